// safetill-server backup, restore and retention (issue 13, "Backups"): a backup taken while the
// server serves a stream of sales restores, verifies clean and holds every sale acknowledged
// before it began; restore refuses what is not a SafeTill database, a newer schema and a target a
// running server has open; retention deletes exactly what its rules allow, on demand and on the
// running server's timer, and a recent idempotency key still replays from the store.
// Backup and restore are SQLite's (PostgreSQL uses pg_dump); retention runs on both databases
// (tst_server_backup_pg with SAFETILL_TEST_BACKEND=postgres).

#include "Database.h"
#include "ServerRetention.h"
#include "ServerTestClient.h"
#include "TestSupport.h"

#include <QFileInfo>
#include <QJsonArray>
#include <QMutex>
#include <QProcess>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

#include <atomic>
#include <memory>

using namespace Qt::StringLiterals;
using namespace SafeTill;
using namespace SafeTill::Test;

namespace {

struct AdminRun
{
    int status = -1;
    QByteArray out;
    QByteArray err;
};

AdminRun admin(const QString &db, const QStringList &arguments)
{
    QProcess process;
    process.start(QStringLiteral(SAFETILL_SERVER_PATH), QStringList{u"--db"_s, db} + arguments);
    process.waitForStarted(10000);
    process.closeWriteChannel();
    if (!process.waitForFinished(120000))
        process.kill();
    return {process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -2,
            process.readAllStandardOutput(), process.readAllStandardError()};
}

QByteArray login(quint16 port, const QString &user, const QString &pin)
{
    HttpClient client(port);
    const Response response = client.request("POST", u"/api/auth/login"_s,
                                             json({{u"username"_s, user}, {u"pin"_s, pin}}));
    return response.status == 200 ? response.json().value(u"token"_s).toString().toLatin1()
                                  : QByteArray();
}

QString storage(const QDateTime &time)
{
    return toStorageTime(time);
}

QString hash64(int n)
{
    return QString::number(n).rightJustified(64, u'0');
}

// A plain SQLite file with one statement run in it (not through SafeTill's migrations).
bool writeSqlite(const QString &path, const QStringList &statements)
{
    const QString name = u"raw-"_s + newId();
    bool ok = true;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, name);
        db.setDatabaseName(path);
        ok = db.open();
        for (const QString &sql : statements) {
            QSqlQuery query(db);
            if (ok && !query.exec(sql)) {
                qWarning() << sql << query.lastError().text();
                ok = false;
            }
        }
        db.close();
    }
    QSqlDatabase::removeDatabase(name);
    return ok;
}

// Sales through the REST API, one after the other, from a thread of their own, until stopped or
// a bound is reached: each acknowledged (200) completion's order id is recorded.
class SalesWriter
{
public:
    explicit SalesWriter(quint16 port)
        : m_port(port)
    {}
    ~SalesWriter() { stop(); }
    void start()
    {
        m_thread.reset(QThread::create([this] { run(); }));
        m_thread->start();
    }
    void stop()
    {
        m_stop = true;
        if (m_thread) {
            m_thread->wait(60000);
            m_thread.reset();
        }
    }
    QStringList acknowledged() const
    {
        QMutexLocker lock(&m_mutex);
        return m_acknowledged;
    }
    int failures() const { return m_failures; }

private:
    void run()
    {
        const QByteArray token = login(m_port, u"Alice"_s, u"1234"_s);
        if (token.isEmpty()) {
            ++m_failures;
            return;
        }
        HttpClient client(m_port);
        QElapsedTimer timer;
        timer.start();
        // Bounded in count and time whatever happens.
        for (int i = 0; i < 5000 && !m_stop && timer.elapsed() < 90000; ++i) {
            const Response opened = client.request(
                "POST", u"/api/order-sessions"_s,
                json({{u"items"_s,
                       QJsonArray{QJsonObject{{u"sku"_s, u"COF-ESP"_s}, {u"qty"_s, 1}}}}}),
                bearer(token, {{"Idempotency-Key", newId().toLatin1()}}));
            const Response paid =
                client.request("PUT", u"/api/order-sessions/current/complete"_s,
                               json({{u"method"_s, u"cash"_s}, {u"tenderedCents"_s, 1000}}),
                               bearer(token, {{"Idempotency-Key", newId().toLatin1()}}));
            if (opened.status != 200 || paid.status != 200) {
                ++m_failures;
                if (!client.isConnected())
                    return;
                continue;
            }
            QMutexLocker lock(&m_mutex);
            m_acknowledged.append(paid.json().value(u"id"_s).toString());
        }
    }

    quint16 m_port;
    std::unique_ptr<QThread> m_thread;
    std::atomic<bool> m_stop = false;
    std::atomic<int> m_failures = 0;
    mutable QMutex m_mutex;
    QStringList m_acknowledged;
};

} // namespace

class ServerBackupTest : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void backupUnderLoadRestoresEveryAcknowledgedSale();
    void backupRefusesAnExistingFileAndPostgres();
    void restoreRefusesWhatIsNotASafeTillDatabase();
    void restoreRefusesANewerSchemaAndMigratesAnOlderOne();
    void restoreRefusesATargetInUse();
    void pruneDeletesExactlyTheEligibleRows();
    void pruneWorksInBoundedChunks();
    void serverPrunesOnItsTimerAndReplaysARecentKey();

private:
    static bool sqliteOnly() { return !onPostgres(); }
};

void ServerBackupTest::initTestCase()
{
    SAFETILL_REQUIRE_TEST_BACKEND();
}

void ServerBackupTest::backupUnderLoadRestoresEveryAcknowledgedSale()
{
    if (!sqliteOnly())
        QSKIP("backup and restore are SQLite's; PostgreSQL uses pg_dump (README)");
    TestDatabase db;
    ServerProcess server;
    QVERIFY2(server.start(db.path()), qPrintable(server.log()));
    SalesWriter writer(server.port());
    writer.start();
    // Some sales first, so "acknowledged before the backup began" is not empty.
    QTRY_VERIFY_WITH_TIMEOUT(writer.acknowledged().size() >= 30 || writer.failures() > 0, 60000);
    QCOMPARE(writer.failures(), 0);
    const QStringList before = writer.acknowledged();

    QTemporaryDir dir;
    const QString backup = dir.filePath(u"backup.sqlite"_s);
    const AdminRun backedUp = admin(db.path(), {u"backup"_s, backup});
    const QStringList during = writer.acknowledged();
    writer.stop();
    QCOMPARE(writer.failures(), 0);
    QVERIFY2(backedUp.status == 0, backedUp.err.constData());
    QVERIFY2(backedUp.out.contains("Wrote") && backedUp.out.contains("schema version") &&
                 backedUp.out.contains("payments"),
             backedUp.out.constData());
    qInfo("sales acknowledged: %lld before the backup began, %lld more while it ran",
          qlonglong(before.size()), qlonglong(during.size() - before.size()));
    QCOMPARE(QFileInfo(backup).permissions() &
                 ~(QFile::ReadOwner | QFile::WriteOwner | QFile::ReadUser | QFile::WriteUser),
             QFileDevice::Permissions());
    QVERIFY(!QFileInfo::exists(backup + u".tmp"_s));

    // Restored into a new place, it verifies clean and has every sale acknowledged before.
    const QString restored = dir.filePath(u"restored.sqlite"_s);
    const AdminRun restoring = admin(restored, {u"restore"_s, backup});
    QVERIFY2(restoring.status == 0, restoring.err.constData());
    const AdminRun verified = admin(restored, {u"verify"_s});
    QVERIFY2(verified.status == 0, verified.out.constData());
    QVERIFY2(verified.out.contains("clean"), verified.out.constData());
    QString error;
    std::unique_ptr<Database> copy = Database::open(DatabaseOptions{restored}, &error);
    QVERIFY2(copy, qPrintable(error));
    for (const QString &orderId : before) {
        QCOMPARE(queryValue(*copy, u"SELECT status FROM order_sessions WHERE id = ?"_s, {orderId})
                     .toString(),
                 u"completed"_s);
        QCOMPARE(queryValue(*copy, u"SELECT COUNT(*) FROM payments WHERE order_id = ?"_s, {orderId})
                     .toInt(),
                 1);
    }
    // Nothing half-written: every completed order in the copy is paid and vice versa.
    QCOMPARE(queryValue(*copy,
                        u"SELECT COUNT(*) FROM order_sessions o WHERE status = 'completed' "
                        "AND NOT EXISTS (SELECT 1 FROM payments p WHERE p.order_id = o.id)"_s)
                 .toInt(),
             0);
    QVERIFY(integrityOk(*copy));
    // A restored database is a new one for the tills' pull (its ETag's id changed).
    QVERIFY(queryValue(*copy, u"SELECT database_id FROM sync_catalog_state"_s) !=
            queryValue(db.db(), u"SELECT database_id FROM sync_catalog_state"_s));
    QCOMPARE(server.stop(), 0);
}

void ServerBackupTest::backupRefusesAnExistingFileAndPostgres()
{
    TestDatabase db;
    QTemporaryDir dir;
    const QString backup = dir.filePath(u"backup.sqlite"_s);
    // PostgreSQL: pointed to pg_dump, nothing written.
    if (!sqliteOnly()) {
        const AdminRun refused = admin(db.path(), {u"backup"_s, backup});
        QCOMPARE(refused.status, 2);
        QVERIFY2(refused.err.contains("pg_dump"), refused.err.constData());
        QVERIFY(!QFileInfo::exists(backup));
        const AdminRun restore = admin(db.path(), {u"restore"_s, backup});
        QCOMPARE(restore.status, 2);
        QVERIFY2(restore.err.contains("pg_restore"), restore.err.constData());
        return;
    }
    QCOMPARE(admin(dir.filePath(u"missing.sqlite"_s), {u"backup"_s, backup}).status, 4);
    QVERIFY(!QFileInfo::exists(dir.filePath(u"missing.sqlite"_s)));
    QFile existing(backup);
    QVERIFY(existing.open(QIODevice::WriteOnly));
    existing.write("keep me");
    existing.close();
    const AdminRun refused = admin(db.path(), {u"backup"_s, backup});
    QCOMPARE(refused.status, 3);
    QVERIFY2(refused.err.contains("--force"), refused.err.constData());
    QCOMPARE(QFileInfo(backup).size(), 7);
    const AdminRun forced = admin(db.path(), {u"backup"_s, backup, u"--force"_s});
    QVERIFY2(forced.status == 0, forced.err.constData());
    QVERIFY(QFileInfo(backup).size() > 7);
    QCOMPARE(admin(db.path(), {u"backup"_s, db.path()}).status, 2); // not onto itself
    QCOMPARE(admin(db.path(), {u"backup"_s}).status, 2);
    QCOMPARE(admin(db.path(), {u"prune"_s, u"--force"_s}).status, 2);
}

void ServerBackupTest::restoreRefusesWhatIsNotASafeTillDatabase()
{
    if (!sqliteOnly())
        QSKIP("backup and restore are SQLite's; PostgreSQL uses pg_restore (README)");
    TestDatabase db;
    const int orders = queryValue(db.db(), u"SELECT COUNT(*) FROM cashiers"_s).toInt();
    QTemporaryDir dir;
    const QString text = dir.filePath(u"notes.txt"_s);
    QFile file(text);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(QByteArray("not a database\n").repeated(400));
    file.close();
    AdminRun run = admin(db.path(), {u"restore"_s, text});
    QCOMPARE(run.status, 2);
    QVERIFY2(run.err.contains("not an SQLite database"), run.err.constData());

    const QString other = dir.filePath(u"other.sqlite"_s);
    QVERIFY(writeSqlite(other, {u"CREATE TABLE recipes (id INTEGER PRIMARY KEY, name TEXT)"_s}));
    run = admin(db.path(), {u"restore"_s, other});
    QCOMPARE(run.status, 2);
    QVERIFY2(run.err.contains("not a SafeTill one"), run.err.constData());

    run = admin(db.path(), {u"restore"_s, dir.filePath(u"missing.sqlite"_s)});
    QCOMPARE(run.status, 4);
    // Nothing changed, nothing left behind.
    QCOMPARE(queryValue(db.db(), u"SELECT COUNT(*) FROM cashiers"_s).toInt(), orders);
    QVERIFY(!QFileInfo::exists(db.path() + u".before-restore"_s));
    QVERIFY(!QFileInfo::exists(db.path() + u".tmp"_s));
}

void ServerBackupTest::restoreRefusesANewerSchemaAndMigratesAnOlderOne()
{
    if (!sqliteOnly())
        QSKIP("backup and restore are SQLite's; PostgreSQL uses pg_restore (README)");
    TestDatabase db;
    QTemporaryDir dir;
    const QString backup = dir.filePath(u"backup.sqlite"_s);
    QCOMPARE(admin(db.path(), {u"backup"_s, backup}).status, 0);
    const int latest = queryValue(db.db(), u"SELECT MAX(version) FROM schema_migrations"_s).toInt();

    const QString newer = dir.filePath(u"newer.sqlite"_s);
    QVERIFY(QFile::copy(backup, newer));
    QVERIFY(writeSqlite(newer, {u"INSERT INTO schema_migrations (version, applied_at) "
                                "VALUES (999, '2099-01-01T00:00:00.000Z')"_s}));
    const QString target = dir.filePath(u"target.sqlite"_s);
    AdminRun run = admin(target, {u"restore"_s, newer});
    QCOMPARE(run.status, 2);
    QVERIFY2(run.err.contains("newer SafeTill"), run.err.constData());
    QVERIFY(!QFileInfo::exists(target));

    // An older backup (version 6: 7's and 10's indexes, 8's PIN policy and 11's taxes not yet
    // there) is brought up to date.
    const QString older = dir.filePath(u"older.sqlite"_s);
    QVERIFY(QFile::copy(backup, older));
    QVERIFY(writeSqlite(
        older,
        {u"DROP INDEX outbox_failed"_s, u"DROP INDEX outbox_sent_by_age"_s,
         u"DROP INDEX idempotency_by_age"_s,
         // 010's receipt search indexes.
         u"DROP INDEX payments_sales_by_time"_s, u"DROP INDEX payments_sales_by_amount"_s,
         // 008's PIN policy undone too (009 is PostgreSQL's only).
         u"DROP TRIGGER sync_catalog_device_cashier_insert"_s,
         u"DROP TRIGGER sync_catalog_device_cashier_delete"_s,
         u"DROP TRIGGER sync_catalog_device_restricted"_s, u"DROP TABLE device_cashiers"_s,
         u"DROP TABLE shop_settings"_s, u"ALTER TABLE devices DROP COLUMN cashiers_restricted"_s,
         u"ALTER TABLE cashiers DROP COLUMN pin_digits"_s,
         // 011's shop settings and taxes.
         u"ALTER TABLE order_lines DROP COLUMN tax_code"_s,
         u"ALTER TABLE order_lines DROP COLUMN tax_rate_bp"_s,
         u"ALTER TABLE order_lines DROP COLUMN price_includes_tax"_s,
         u"ALTER TABLE products DROP COLUMN tax_code"_s, u"DROP TABLE tax_rates"_s,
         // 012's discounts and paid amounts (payments keep their rebuilt shape: SQLite cannot
         // drop a column a table CHECK names; 012 rebuilds them again from it).
         u"ALTER TABLE order_lines DROP COLUMN discount_value"_s,
         u"ALTER TABLE order_lines DROP COLUMN discount_kind"_s,
         u"ALTER TABLE order_lines DROP COLUMN discount_reason"_s,
         u"ALTER TABLE order_lines DROP COLUMN discount_by"_s,
         u"ALTER TABLE order_lines DROP COLUMN list_price_cents"_s,
         u"ALTER TABLE order_lines DROP COLUMN price_reason"_s,
         u"ALTER TABLE order_sessions DROP COLUMN discount_value"_s,
         u"ALTER TABLE order_sessions DROP COLUMN discount_kind"_s,
         u"ALTER TABLE order_sessions DROP COLUMN discount_reason"_s,
         u"ALTER TABLE order_sessions DROP COLUMN discount_by"_s,
         u"ALTER TABLE order_sessions DROP COLUMN paid_cents"_s,
         u"ALTER TABLE tabs DROP COLUMN paid_cents"_s,
         // 013's shifts and refunds (payments.shift_id goes with 012's rebuild of payments).
         u"DROP TABLE refund_lines"_s, u"DROP TABLE refunds"_s, u"DROP TABLE cash_movements"_s,
         u"DROP TABLE shifts"_s, u"ALTER TABLE order_lines DROP COLUMN refunded_qty"_s,
         // 014's PIN lockout and approvals.
         u"DROP TABLE pin_failures"_s, u"ALTER TABLE order_history DROP COLUMN approved_by"_s,
         // 015's printed state of receipts.
         u"DROP TABLE receipt_prints"_s,
         // 016's back office.
         u"DROP TABLE backoffice_history"_s, u"DROP TABLE product_categories"_s,
         u"ALTER TABLE products DROP COLUMN open_price"_s,
         u"ALTER TABLE products DROP COLUMN retired_at"_s,
         // 020's refunds made elsewhere (its refund columns went with 013's refunds).
         u"DROP INDEX order_lines_refunded_elsewhere"_s,
         u"ALTER TABLE order_lines DROP COLUMN refunded_elsewhere_qty"_s,
         u"DELETE FROM schema_migrations WHERE version >= 7"_s}));
    run = admin(target, {u"restore"_s, older});
    QVERIFY2(run.status == 0, run.err.constData());
    QVERIFY2(run.out.contains("migrated from 6"), run.out.constData());
    QString error;
    std::unique_ptr<Database> restored = Database::open(DatabaseOptions{target}, &error);
    QVERIFY2(restored, qPrintable(error));
    QCOMPARE(queryValue(*restored, u"SELECT MAX(version) FROM schema_migrations"_s).toInt(),
             latest);
    QCOMPARE(queryValue(*restored, u"SELECT COUNT(*) FROM sqlite_master WHERE name = "
                                   "'idempotency_by_age'"_s)
                 .toInt(),
             1);
    QCOMPARE(queryValue(*restored, u"SELECT COUNT(*) FROM cashiers"_s).toInt(),
             queryValue(db.db(), u"SELECT COUNT(*) FROM cashiers"_s).toInt());
}

void ServerBackupTest::restoreRefusesATargetInUse()
{
    if (!sqliteOnly())
        QSKIP("backup and restore are SQLite's; PostgreSQL uses pg_restore (README)");
    QTemporaryDir dir;
    const QString target = dir.filePath(u"server.sqlite"_s);
    const QString backup = dir.filePath(u"backup.sqlite"_s);
    {
        TestDatabase source;
        QCOMPARE(admin(source.path(), {u"backup"_s, backup}).status, 0);
    }
    // The target: a server's database with a user the backup does not have.
    QCOMPARE(admin(target, {u"device"_s, u"add"_s, u"till-1"_s}).status, 0);
    ServerProcess server;
    QVERIFY2(server.start(target), qPrintable(server.log()));

    AdminRun run = admin(target, {u"restore"_s, backup});
    QCOMPARE(run.status, 3);
    QVERIFY2(run.err.contains("in use"), run.err.constData());
    QVERIFY(!QFileInfo::exists(target + u".before-restore"_s));
    // The server was not disturbed.
    HttpClient client(server.port());
    QCOMPARE(client.request("GET", u"/healthz"_s).status, 200);
    QCOMPARE(admin(target, {u"device"_s, u"list"_s}).out.count("till-1"), 1);

    QCOMPARE(server.stop(), 0);
    run = admin(target, {u"restore"_s, backup});
    QVERIFY2(run.status == 0, run.err.constData());
    QVERIFY2(run.out.contains(".before-restore"), run.out.constData());
    // The old database is kept whole beside it; the target now is the backup.
    QCOMPARE(admin(target + u".before-restore"_s, {u"device"_s, u"list"_s}).out.count("till-1"), 1);
    QCOMPARE(admin(target, {u"device"_s, u"list"_s}).out.count("till-1"), 0);
    QVERIFY(QFileInfo(target + u".before-restore"_s).permissions().testFlag(QFile::ReadOwner));
    QVERIFY(!QFileInfo(target + u".before-restore"_s).permissions().testFlag(QFile::ReadOther));
    // Once more: the kept file is not silently replaced.
    run = admin(target, {u"restore"_s, backup});
    QCOMPARE(run.status, 3);
    QVERIFY2(run.err.contains("--force"), run.err.constData());
    run = admin(target, {u"restore"_s, backup, u"--force"_s});
    QVERIFY2(run.status == 0, run.err.constData());
    // And the restored database serves: Alice signs in.
    QVERIFY2(server.start(target), qPrintable(server.log()));
    QVERIFY(!login(server.port(), u"Alice"_s, u"1234"_s).isEmpty());
    QCOMPARE(server.stop(), 0);
}

void ServerBackupTest::pruneDeletesExactlyTheEligibleRows()
{
    TestDatabase db;
    Database &d = db.db();
    const QDateTime now = QDateTime::currentDateTimeUtc();
    const QString alice = db.cashierId(u"Alice"_s);
    // Stored results: 100 days old (past the default 90), 10 days, 1 hour.
    const auto result = [&](const QString &id, const QDateTime &at) {
        d.exec(u"INSERT INTO idempotency (request_id, action, fingerprint, result, created_at) "
               "VALUES (?, 'open', 'f', '{}', ?)"_s,
               {id, storage(at)});
    };
    result(u"old-1"_s, now.addDays(-100));
    result(u"old-2"_s, now.addDays(-91));
    result(u"ten-days"_s, now.addDays(-10));
    result(u"recent"_s, now.addSecs(-3600));
    // Tokens: expired an hour ago, expired a year ago, valid for another hour.
    const auto token = [&](int n, const QDateTime &created, const QDateTime &expires) {
        d.exec(u"INSERT INTO auth_tokens (token_hash, cashier_id, created_at, expires_at) "
               "VALUES (?, ?, ?, ?)"_s,
               {hash64(n), alice, storage(created), storage(expires)});
    };
    token(1, now.addSecs(-7200), now.addSecs(-3600));
    token(2, now.addDays(-400), now.addDays(-365));
    token(3, now.addSecs(-60), now.addSecs(3600));
    // Throttle counters (window 900 s): window over and never locked; window over and lock
    // over; window over but still locked; window still running.
    const auto counter = [&](const QString &key, const QDateTime &start, const QVariant &until) {
        d.exec(u"INSERT INTO login_throttle (throttle_key, failures, window_start, locked_until) "
               "VALUES (?, 3, ?, ?)"_s,
               {key, storage(start), until});
    };
    counter(u"name:spent"_s, now.addSecs(-3600), QVariant(QMetaType(QMetaType::QString)));
    counter(u"addr:lock-over"_s, now.addSecs(-7200), storage(now.addSecs(-600)));
    counter(u"user:locked"_s, now.addSecs(-3600), storage(now.addSecs(600)));
    counter(u"addr:counting"_s, now.addSecs(-60), QVariant(QMetaType(QMetaType::QString)));

    AdminRun run = admin(db.path(), {u"prune"_s});
    QVERIFY2(run.status == 0, run.err.constData());
    QVERIFY2(run.out.contains("Deleted 2 stored request results") &&
                 run.out.contains("2 expired tokens") &&
                 run.out.contains("2 spent login-throttle counters"),
             run.out.constData());
    const auto ids = [&](const QString &sql) {
        QStringList found;
        QSqlQuery &query = d.exec(sql);
        while (query.next())
            found << query.value(0).toString();
        query.finish();
        return found;
    };
    QCOMPARE(ids(u"SELECT request_id FROM idempotency ORDER BY request_id"_s),
             (QStringList{u"recent"_s, u"ten-days"_s}));
    QCOMPARE(ids(u"SELECT token_hash FROM auth_tokens WHERE token_hash LIKE '000%'"_s),
             QStringList{hash64(3)});
    QCOMPARE(ids(u"SELECT throttle_key FROM login_throttle ORDER BY throttle_key"_s),
             (QStringList{u"addr:counting"_s, u"user:locked"_s}));

    // A shorter period (at least 7 days): the 10-day-old result goes too, the recent one stays.
    run = admin(db.path(), {u"prune"_s, u"--days"_s, u"7"_s});
    QVERIFY2(run.status == 0, run.err.constData());
    QCOMPARE(ids(u"SELECT request_id FROM idempotency ORDER BY request_id"_s),
             QStringList{u"recent"_s});
    // Periods shorter than any client retries are refused, changing nothing.
    for (const QString &days : {u"6"_s, u"0"_s, u"-1"_s, u"x"_s, u"4000"_s}) {
        run = admin(db.path(), {u"prune"_s, u"--days"_s, days});
        QCOMPARE(run.status, 2);
        QVERIFY2(run.err.contains("--days"), run.err.constData());
    }
    QCOMPARE(ids(u"SELECT request_id FROM idempotency"_s), QStringList{u"recent"_s});
}

void ServerBackupTest::pruneWorksInBoundedChunks()
{
    TestDatabase db;
    Database &d = db.db();
    const QDateTime now = QDateTime::currentDateTimeUtc();
    const QString alice = db.cashierId(u"Alice"_s);
    for (int i = 0; i < 25; ++i) {
        d.exec(u"INSERT INTO auth_tokens (token_hash, cashier_id, created_at, expires_at) "
               "VALUES (?, ?, ?, ?)"_s,
               {hash64(100 + i), alice, storage(now.addDays(-2)), storage(now.addDays(-1))});
        d.exec(u"INSERT INTO idempotency (request_id, action, fingerprint, result, created_at) "
               "VALUES (?, 'open', 'f', '{}', ?)"_s,
               {u"old-%1"_s.arg(i), storage(now.addDays(-200))});
    }
    ServerRetentionPolicy policy;
    policy.chunkRows = 10;
    policy.maxChunks = 2; // at most 20 rows a table per call
    Result<ServerPruneReport> pruned = pruneServer(d, policy);
    QVERIFY2(pruned, qPrintable(pruned.message()));
    QCOMPARE(pruned->idempotencyDeleted, 20);
    QCOMPARE(pruned->tokensDeleted, 20);
    QVERIFY(!pruned->complete);
    pruned = pruneServer(d, policy);
    QVERIFY2(pruned, qPrintable(pruned.message()));
    QCOMPARE(pruned->idempotencyDeleted, 5);
    QCOMPARE(pruned->tokensDeleted, 5);
    QVERIFY(pruned->complete);
    QCOMPARE(queryValue(d, u"SELECT COUNT(*) FROM idempotency"_s).toInt(), 0);
    policy.idempotencyDays = 6;
    QCOMPARE(pruneServer(d, policy).outcome(), Outcome::InvalidInput);
}

void ServerBackupTest::serverPrunesOnItsTimerAndReplaysARecentKey()
{
    TestDatabase db;
    Database &d = db.db();
    ServerProcess server;
    QVERIFY2(server.start(db.path(), {u"--prune-interval"_s, u"1"_s}), qPrintable(server.log()));
    const QByteArray token = login(server.port(), u"Bob"_s, u"5678"_s);
    QVERIFY(!token.isEmpty());
    HttpClient client(server.port());
    const QByteArray body =
        json({{u"items"_s, QJsonArray{QJsonObject{{u"sku"_s, u"COF-ESP"_s}, {u"qty"_s, 2}}}}});
    const Response first =
        client.request("POST", u"/api/order-sessions"_s, body,
                       bearer(token, {{"Idempotency-Key", "open-before-prune"}}));
    QCOMPARE(first.status, 200);
    QVERIFY(first.header("idempotent-replayed").isEmpty());

    const QDateTime now = QDateTime::currentDateTimeUtc();
    d.exec(u"INSERT INTO idempotency (request_id, action, fingerprint, result, created_at) "
           "VALUES ('ancient', 'open', 'f', '{}', ?)"_s,
           {storage(now.addDays(-120))});
    d.exec(
        u"INSERT INTO auth_tokens (token_hash, cashier_id, created_at, expires_at) "
        "VALUES (?, ?, ?, ?)"_s,
        {hash64(7), db.cashierId(u"Alice"_s), storage(now.addDays(-2)), storage(now.addDays(-1))});
    d.exec(u"INSERT INTO login_throttle (throttle_key, failures, window_start) "
           "VALUES ('addr:203.0.113.9', 4, ?)"_s,
           {storage(now.addSecs(-3600))});
    const auto eligible = [&] {
        return queryValue(d, u"SELECT COUNT(*) FROM idempotency WHERE request_id = 'ancient'"_s)
                   .toInt() +
               queryValue(d, u"SELECT COUNT(*) FROM auth_tokens WHERE token_hash = ?"_s,
                          {hash64(7)})
                   .toInt() +
               queryValue(d, u"SELECT COUNT(*) FROM login_throttle WHERE throttle_key = "
                             "'addr:203.0.113.9'"_s)
                   .toInt();
    };
    QCOMPARE(eligible(), 3);
    // The server's own timer (every second here) removes them.
    QTRY_COMPARE_WITH_TIMEOUT(eligible(), 0, 30000);
    QVERIFY2(server.log().contains(u"retention: deleted"_s), qPrintable(server.log()));

    // What is recent stays: the key replays the stored answer, and Bob's token still works.
    const Response again =
        client.request("POST", u"/api/order-sessions"_s, body,
                       bearer(token, {{"Idempotency-Key", "open-before-prune"}}));
    QCOMPARE(again.status, 200);
    QCOMPARE(again.header("idempotent-replayed"), "true");
    QCOMPARE(again.json().value(u"id"_s), first.json().value(u"id"_s));
    QCOMPARE(queryValue(d, u"SELECT COUNT(*) FROM order_sessions WHERE cashier_id = ?"_s,
                        {db.cashierId(u"Bob"_s)})
                 .toInt(),
             1);
    QCOMPARE(server.stop(), 0);
}

QTEST_GUILESS_MAIN(ServerBackupTest)
#include "tst_server_backup.moc"
