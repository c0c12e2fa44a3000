// The db layer: opening and pragmas, migrations, the write-transaction helper (commit, rollback,
// bounded BUSY retry), SQL failure classification and the append-only history triggers.

#include "Database.h"
#include "Migrations.h"
#include "Result.h"
#include "SqlFailure.h"
#include "TestSupport.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QSemaphore>
#include <QSqlError>
#include <QSqlQuery>
#include <QTest>
#include <QThread>

#include <atomic>

using namespace Qt::StringLiterals;

namespace SafeTill {

namespace {

// A minimal result type for Database::write(): records how the transaction ended.
struct Probe
{
    enum class Kind { Done, Busy, Error };
    Kind kind = Kind::Done;
    bool commit = true;
    SqlFailure::Kind failureKind = SqlFailure::Kind::Other;
    QString detail;

    bool shouldCommit() const { return kind == Kind::Done && commit; }
    static Probe busy() { return Probe{Kind::Busy, false, SqlFailure::Kind::Busy, {}}; }
    static Probe databaseError(const SqlFailure &failure)
    {
        return Probe{Kind::Error, false, failure.kind(), failure.describe()};
    }
};

void createScratch(Database &db)
{
    db.exec(u"CREATE TABLE scratch (x INTEGER NOT NULL UNIQUE CHECK (x >= 0))"_s);
}

int scratchCount(Database &db)
{
    return Test::queryValue(db, u"SELECT COUNT(*) FROM scratch"_s).toInt();
}

std::unique_ptr<Database> openWith(const DatabaseOptions &options)
{
    QString error;
    std::unique_ptr<Database> db = Database::open(options, &error);
    if (!db)
        qWarning("open failed: %s", qPrintable(error));
    return db;
}

// Runs one statement outside the helpers and returns its error (NoError when it succeeded).
QSqlError rawExec(Database &db, const QString &sql)
{
    QSqlQuery query(db.connection());
    if (!query.exec(sql))
        return query.lastError();
    return {};
}

QString insertOrderWithHistory(Database &db)
{
    const QString cashierId =
        Test::queryValue(db, u"SELECT id FROM cashiers WHERE name = 'Alice'"_s).toString();
    if (cashierId.isEmpty())
        return {};
    const QString orderId = u"order-1"_s;
    db.exec(u"INSERT INTO order_sessions (id, cashier_id, status, version, created_at, updated_at) "
            "VALUES (?, ?, 'active', 1, '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z')"_s,
            {orderId, cashierId});
    db.exec(u"INSERT INTO order_history (order_id, at, cashier_id, action, from_version, "
            "to_version, from_status, to_status, detail, request_id) VALUES (?, "
            "'2026-01-01T00:00:00.000Z', ?, 'open', NULL, 1, NULL, 'active', 'opened', 'r1')"_s,
            {orderId, cashierId});
    return orderId;
}

} // namespace

class DatabaseTest : public QObject
{
    Q_OBJECT

private slots:
    void openSetsPragmas();
    void openWithNormalCommits();
    void openRefusesBadLocation();
    void migrationsCreateSchemaAndRecordVersion();
    void reopeningIsANoOp();
    void newerSchemaIsRefused();
    void splitStatements_data();
    void splitStatements();
    void splitStatementsOfTheRealMigration();
    void writeCommitsWhenAsked();
    void writeRollsBackWhenNotAsked();
    void writeRollsBackOnSqlFailure();
    void writeRollsBackOnThrownSqlFailure();
    void writeRetriesThrownBusyThenSucceeds();
    void writeReturnsBusyWhileLockIsHeld();
    void writeSucceedsWhenLockIsReleasedDuringRetries();
    void readSeesOneSnapshot();
    void unfinishedReadPinsNoSnapshot();
    void dataVersionSeesOtherConnections();
    void classify_data();
    void classify();
    void lostConnectionTextsAreClassified();
    void realFailuresAreClassified_data();
    void realFailuresAreClassified();
    void historyRefusesUpdate();
    void historyRefusesDelete();
};

namespace {

// The migration scripts this build carries for the database's dialect (Migrations.cpp's folders).
int migrationSteps(const SafeTill::Database &db)
{
    const QDir folder(db.dialect() == SafeTill::SqlDialect::Postgres
                          ? QStringLiteral(":/sql/postgres")
                          : QStringLiteral(":/sql/sqlite"));
    return int(folder.entryList({QStringLiteral("*.sql")}, QDir::Files).size());
}

} // namespace

void DatabaseTest::openSetsPragmas()
{
    Test::TestDatabase tdb(false);
    Database &db = tdb.db();
    QCOMPARE(db.dialect(), SqlDialect::Sqlite);
    QCOMPARE(Test::queryValue(db, u"PRAGMA journal_mode"_s).toString(), u"wal"_s);
    QCOMPARE(Test::queryValue(db, u"PRAGMA foreign_keys"_s).toInt(), 1);
    QCOMPARE(Test::queryValue(db, u"PRAGMA synchronous"_s).toInt(), 2); // FULL
    QCOMPARE(Test::queryValue(db, u"PRAGMA busy_timeout"_s).toInt(), 5000);

    // A second connection with its own busy timeout gets the same pragmas.
    const auto other = openWith(DatabaseOptions{tdb.path(), true, 1234});
    QVERIFY(other);
    QCOMPARE(Test::queryValue(*other, u"PRAGMA busy_timeout"_s).toInt(), 1234);
    QCOMPARE(Test::queryValue(*other, u"PRAGMA foreign_keys"_s).toInt(), 1);
    QCOMPARE(Test::queryValue(*other, u"PRAGMA journal_mode"_s).toString(), u"wal"_s);
    QVERIFY(QFile::exists(tdb.path()));
    QVERIFY(Test::integrityOk(db));
}

void DatabaseTest::openWithNormalCommits()
{
    Test::TestDatabase tdb(false);
    const auto fast = openWith(DatabaseOptions{tdb.path(), false, 100});
    QVERIFY(fast);
    QCOMPARE(Test::queryValue(*fast, u"PRAGMA synchronous"_s).toInt(), 1); // NORMAL
    QCOMPARE(Test::queryValue(*fast, u"PRAGMA busy_timeout"_s).toInt(), 100);
}

void DatabaseTest::openRefusesBadLocation()
{
    QString error;
    QVERIFY(!Database::open(DatabaseOptions{}, &error));
    QVERIFY2(error.contains(u"location"_s), qPrintable(error));

    error.clear();
    QVERIFY(!Database::open(DatabaseOptions{u"/proc/safetill-nope/x/test.sqlite"_s}, &error));
    QVERIFY2(!error.isEmpty(), "a refusal needs a message");
    QVERIFY2(error.contains(u"/proc/safetill-nope/x"_s), qPrintable(error));
}

void DatabaseTest::migrationsCreateSchemaAndRecordVersion()
{
    Test::TestDatabase tdb(false);
    Database &db = tdb.db();
    // One row per migration step (001_initial, 002_server, ...), numbered from 1, the highest
    // being the latest (numbers may leave gaps, e.g. 011 written before 008 was merged).
    QVERIFY(Migrations::latestVersion(db) >= 1);
    QCOMPARE(Test::queryValue(db, u"SELECT COUNT(*) FROM schema_migrations"_s).toInt(),
             migrationSteps(db));
    QCOMPARE(Test::queryValue(db, u"SELECT MAX(version) FROM schema_migrations"_s).toInt(),
             Migrations::latestVersion(db));
    QCOMPARE(Test::queryValue(db, u"SELECT MIN(version) FROM schema_migrations"_s).toInt(), 1);
    QVERIFY(
        !Test::queryValue(db, u"SELECT applied_at FROM schema_migrations"_s).toString().isEmpty());
    for (const QString &table :
         {u"terminal"_s, u"cashiers"_s, u"products"_s, u"tabs"_s, u"order_sessions"_s,
          u"order_lines"_s, u"payments"_s, u"idempotency"_s, u"outbox"_s, u"order_history"_s}) {
        QVERIFY2(Test::queryValue(db,
                                  u"SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' "
                                  "AND name = ?"_s,
                                  {table})
                         .toInt() == 1,
                 qPrintable(table));
    }
    for (const QString &name :
         {u"order_history_no_update"_s, u"order_history_no_delete"_s, u"payments_no_update"_s,
          u"payments_no_delete"_s, u"payments_never_exceed_due"_s,
          u"payments_of_a_tab_never_exceed_due"_s}) {
        QVERIFY2(Test::queryValue(db,
                                  u"SELECT COUNT(*) FROM sqlite_master WHERE type = "
                                  "'trigger' AND name = ?"_s,
                                  {name})
                         .toInt() == 1,
                 qPrintable(name));
    }
    for (const QString &name : {u"order_sessions_one_open_per_terminal_cashier"_s,
                                u"tabs_one_open_per_name"_s, u"order_lines_by_sku"_s}) {
        QVERIFY2(Test::queryValue(db,
                                  u"SELECT COUNT(*) FROM sqlite_master WHERE type = 'index' "
                                  "AND name = ?"_s,
                                  {name})
                         .toInt() == 1,
                 qPrintable(name));
    }
    // The terminal row exists with a 4-hex-digit receipt prefix and a sequence starting at 1.
    QCOMPARE(Test::queryValue(db, u"SELECT next_receipt_seq FROM terminal WHERE id = 1"_s).toInt(),
             1);
    QVERIFY(Test::queryValue(db, u"SELECT receipt_prefix FROM terminal"_s)
                .toString()
                .contains(QRegularExpression(u"^[0-9A-F]{4}$"_s)));
}

void DatabaseTest::reopeningIsANoOp()
{
    Test::TestDatabase tdb(false);
    const QString appliedAt =
        Test::queryValue(tdb.db(), u"SELECT applied_at FROM schema_migrations"_s).toString();
    const QString prefix =
        Test::queryValue(tdb.db(), u"SELECT receipt_prefix FROM terminal"_s).toString();
    tdb.db().exec(u"UPDATE terminal SET next_receipt_seq = 42"_s);
    for (int i = 0; i < 3; ++i) {
        const auto again = tdb.open();
        QVERIFY(again);
        QCOMPARE(Test::queryValue(*again, u"SELECT COUNT(*) FROM schema_migrations"_s).toInt(),
                 migrationSteps(*again));
        QCOMPARE(Test::queryValue(*again, u"SELECT applied_at FROM schema_migrations"_s).toString(),
                 appliedAt);
        // The initial INSERT into terminal did not run again.
        QCOMPARE(Test::queryValue(*again, u"SELECT COUNT(*) FROM terminal"_s).toInt(), 1);
        QCOMPARE(Test::queryValue(*again, u"SELECT receipt_prefix FROM terminal"_s).toString(),
                 prefix);
        QCOMPARE(Test::queryValue(*again, u"SELECT next_receipt_seq FROM terminal"_s).toInt(), 42);
    }
}

void DatabaseTest::newerSchemaIsRefused()
{
    Test::TestDatabase tdb(false);
    tdb.db().exec(u"INSERT INTO schema_migrations (version, applied_at) VALUES (999, 'later')"_s);

    QString error;
    const auto refused = Database::open(DatabaseOptions{tdb.path()}, &error);
    QVERIFY(!refused);
    QVERIFY2(error.contains(u"newer"_s), qPrintable(error));
    QVERIFY2(error.contains(u"999"_s), qPrintable(error));
    QVERIFY2(error.contains(tdb.path()), qPrintable(error));
    // Refusing changed nothing: both versions are still recorded and nothing is locked.
    QCOMPARE(Test::queryValue(tdb.db(), u"SELECT COUNT(*) FROM schema_migrations"_s).toInt(),
             migrationSteps(tdb.db()) + 1);
    QCOMPARE(Test::queryValue(tdb.db(), u"SELECT MAX(version) FROM schema_migrations"_s).toInt(),
             999);
    createScratch(tdb.db());
    QCOMPARE(tdb.db().change(u"INSERT INTO scratch (x) VALUES (1)"_s), 1);
}

void DatabaseTest::splitStatements_data()
{
    QTest::addColumn<QString>("script");
    QTest::addColumn<QStringList>("expected");

    QTest::newRow("empty") << QString() << QStringList();
    QTest::newRow("comments only") << u"-- one\n   -- two\n\n"_s << QStringList();
    QTest::newRow("two statements")
        << u"CREATE TABLE a (x INT);\nCREATE TABLE b (y INT);\n"_s
        << QStringList{u"CREATE TABLE a (x INT);"_s, u"CREATE TABLE b (y INT);"_s};
    QTest::newRow("multi-line statement and comments")
        << u"-- header\nCREATE TABLE a (\n    x INT,\n    y INT\n);\n\n-- next\nINSERT INTO a "
           "VALUES (1, 2);\n"_s
        << QStringList{u"CREATE TABLE a (\n    x INT,\n    y INT\n);"_s,
                       u"INSERT INTO a VALUES (1, 2);"_s};
    QTest::newRow("last statement without semicolon")
        << u"CREATE TABLE a (x INT);\nSELECT 1"_s
        << QStringList{u"CREATE TABLE a (x INT);"_s, u"SELECT 1"_s};
    QTest::newRow("trigger body kept whole")
        << u"CREATE TABLE a (x INT);\nCREATE TRIGGER t BEFORE UPDATE ON a\nBEGIN\n    SELECT "
           "RAISE(ABORT, 'no');\n    INSERT INTO log VALUES (1);\nEND;\nCREATE TABLE b (y INT);\n"_s
        << QStringList{u"CREATE TABLE a (x INT);"_s,
                       u"CREATE TRIGGER t BEFORE UPDATE ON a\nBEGIN\n    SELECT RAISE(ABORT, "
                       "'no');\n    INSERT INTO log VALUES (1);\nEND;"_s,
                       u"CREATE TABLE b (y INT);"_s};
    QTest::newRow("lower-case trigger")
        << u"create trigger t after insert on a\nbegin\n  delete from b;\n  delete from c;\nend;\n"_s
        << QStringList{
               u"create trigger t after insert on a\nbegin\n  delete from b;\n  delete from c;\nend;"_s};
    QTest::newRow("two triggers in a row")
        << u"CREATE TRIGGER t1 BEFORE DELETE ON a\nBEGIN\n  SELECT 1;\nEND;\nCREATE TRIGGER t2 "
           "BEFORE UPDATE ON a\nBEGIN\n  SELECT 2;\nEND;\n"_s
        << QStringList{u"CREATE TRIGGER t1 BEFORE DELETE ON a\nBEGIN\n  SELECT 1;\nEND;"_s,
                       u"CREATE TRIGGER t2 BEFORE UPDATE ON a\nBEGIN\n  SELECT 2;\nEND;"_s};
    QTest::newRow("postgres function body in dollar quotes, one-line trigger")
        << u"CREATE FUNCTION f() RETURNS trigger\nLANGUAGE plpgsql AS $$\nBEGIN\n    RAISE "
           "EXCEPTION 'no;';\nEND;\n$$;\nCREATE TRIGGER t BEFORE UPDATE ON a\n    FOR EACH ROW "
           "EXECUTE FUNCTION f();\nCREATE TABLE b (y INT);\n"_s
        << QStringList{u"CREATE FUNCTION f() RETURNS trigger\nLANGUAGE plpgsql AS $$\nBEGIN\n    "
                       "RAISE EXCEPTION 'no;';\nEND;\n$$;"_s,
                       u"CREATE TRIGGER t BEFORE UPDATE ON a\n    FOR EACH ROW EXECUTE FUNCTION "
                       "f();"_s,
                       u"CREATE TABLE b (y INT);"_s};
    QTest::newRow("dollar signs inside a string are not a dollar quote")
        << u"CREATE TABLE c (h TEXT CHECK (h LIKE '$argon2id$%'));\nCREATE TABLE d (x INT);\n"_s
        << QStringList{u"CREATE TABLE c (h TEXT CHECK (h LIKE '$argon2id$%'));"_s,
                       u"CREATE TABLE d (x INT);"_s};
    QTest::newRow("tagged dollar quote spanning lines")
        << u"DO $body$\nBEGIN\n  PERFORM 1;\nEND\n$body$;\nSELECT 2;\n"_s
        << QStringList{u"DO $body$\nBEGIN\n  PERFORM 1;\nEND\n$body$;"_s, u"SELECT 2;"_s};
    QTest::newRow("CRLF line ends")
        << u"CREATE TABLE a (x INT);\r\nCREATE TRIGGER t BEFORE DELETE ON a\r\nBEGIN\r\n  SELECT "
           "1;\r\nEND;\r\n"_s
        << QStringList{u"CREATE TABLE a (x INT);"_s,
                       u"CREATE TRIGGER t BEFORE DELETE ON a\r\nBEGIN\r\n  SELECT 1;\r\nEND;"_s};
}

void DatabaseTest::splitStatements()
{
    QFETCH(QString, script);
    QFETCH(QStringList, expected);
    QCOMPARE(Migrations::splitStatements(script), expected);
}

void DatabaseTest::splitStatementsOfTheRealMigration()
{
    QFile file(u":/sql/sqlite/001_initial.sql"_s);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QStringList statements = Migrations::splitStatements(QString::fromUtf8(file.readAll()));
    QStringList triggers;
    for (const QString &statement : statements) {
        QVERIFY2(statement.endsWith(u';'), qPrintable(statement));
        QVERIFY2(!statement.startsWith(u"--"_s), qPrintable(statement));
        if (statement.startsWith(u"CREATE TRIGGER"_s))
            triggers << statement;
    }
    QCOMPARE(triggers.size(), 2);
    for (const QString &trigger : std::as_const(triggers)) {
        QVERIFY2(trigger.contains(u"RAISE(ABORT, 'order history is append-only');"_s),
                 qPrintable(trigger));
        QVERIFY2(trigger.endsWith(u"END;"_s), qPrintable(trigger));
    }
    // Every statement but the terminal row's INSERT created one schema object (and so does
    // every CREATE of the later migration steps).
    qsizetype created = statements.size() - 1;
    for (const QString &name : QDir(u":/sql/sqlite"_s).entryList({u"*.sql"_s}, QDir::Files)) {
        if (name == u"001_initial.sql"_s)
            continue;
        QFile later(u":/sql/sqlite/"_s + name);
        QVERIFY(later.open(QIODevice::ReadOnly));
        // A DROP removes one object (a table rebuilt in place: CREATE new, DROP old, RENAME).
        for (const QString &statement :
             Migrations::splitStatements(QString::fromUtf8(later.readAll())))
            created += statement.startsWith(u"CREATE"_s) ? 1
                       : statement.startsWith(u"DROP"_s) ? -1
                                                         : 0;
    }
    Test::TestDatabase tdb(false);
    QCOMPARE(Test::queryValue(tdb.db(), u"SELECT COUNT(*) FROM sqlite_master WHERE type IN "
                                        "('table', 'index', 'trigger') AND name NOT LIKE "
                                        "'sqlite_%' AND name <> 'schema_migrations'"_s)
                 .toInt(),
             int(created));
}

void DatabaseTest::writeCommitsWhenAsked()
{
    Test::TestDatabase tdb(false);
    Database &db = tdb.db();
    createScratch(db);
    const Probe result = db.write([&] {
        db.exec(u"INSERT INTO scratch (x) VALUES (?)"_s, {7});
        return Probe{};
    });
    QCOMPARE(result.kind, Probe::Kind::Done);
    QCOMPARE(db.lastWriteAttempts(), 1);
    // Visible to another connection: it was committed, not left in an open transaction.
    const auto other = tdb.open();
    QCOMPARE(Test::queryValue(*other, u"SELECT x FROM scratch"_s).toInt(), 7);
    // No transaction is left open on the writer: a new BEGIN works.
    QVERIFY(!rawExec(db, u"BEGIN IMMEDIATE"_s).isValid());
    QVERIFY(!rawExec(db, u"ROLLBACK"_s).isValid());
}

void DatabaseTest::writeRollsBackWhenNotAsked()
{
    Test::TestDatabase tdb(false);
    Database &db = tdb.db();
    createScratch(db);
    int seenInside = -1;
    const Probe result = db.write([&] {
        db.exec(u"INSERT INTO scratch (x) VALUES (1)"_s);
        seenInside = scratchCount(db);
        return Probe{Probe::Kind::Done, false, SqlFailure::Kind::Other, {}};
    });
    QCOMPARE(result.kind, Probe::Kind::Done);
    QCOMPARE(seenInside, 1);       // visible inside the transaction...
    QCOMPARE(scratchCount(db), 0); // ...and gone after it
    const auto other = tdb.open();
    QCOMPARE(scratchCount(*other), 0);
    // The connection is usable afterwards.
    const Probe next = db.write([&] {
        db.exec(u"INSERT INTO scratch (x) VALUES (2)"_s);
        return Probe{};
    });
    QCOMPARE(next.kind, Probe::Kind::Done);
    QCOMPARE(scratchCount(*other), 1);
}

void DatabaseTest::writeRollsBackOnSqlFailure()
{
    Test::TestDatabase tdb(false);
    Database &db = tdb.db();
    createScratch(db);
    int bodyRuns = 0;
    const Probe result = db.write([&] {
        ++bodyRuns;
        db.exec(u"INSERT INTO scratch (x) VALUES (1)"_s);
        db.exec(u"INSERT INTO scratch (x) VALUES (1)"_s); // UNIQUE: throws SqlFailure
        return Probe{};
    });
    QCOMPARE(result.kind, Probe::Kind::Error);
    QCOMPARE(result.failureKind, SqlFailure::Kind::UniqueViolation);
    QVERIFY2(result.detail.contains(u"2067"_s), qPrintable(result.detail));
    QCOMPARE(bodyRuns, 1); // a constraint failure is not retried
    QCOMPARE(db.lastWriteAttempts(), 1);
    QCOMPARE(scratchCount(db), 0);

    const Probe checked = db.write([&] {
        db.exec(u"INSERT INTO scratch (x) VALUES (3)"_s);
        db.exec(u"INSERT INTO scratch (x) VALUES (-1)"_s); // CHECK
        return Probe{};
    });
    QCOMPARE(checked.kind, Probe::Kind::Error);
    QCOMPARE(checked.failureKind, SqlFailure::Kind::CheckViolation);
    QCOMPARE(scratchCount(db), 0);

    const Probe broken = db.write([&] {
        db.exec(u"INSERT INTO scratch (x) VALUES (4)"_s);
        db.exec(u"INSERT INTO no_such_table VALUES (1)"_s); // does not prepare
        return Probe{};
    });
    QCOMPARE(broken.kind, Probe::Kind::Error);
    QCOMPARE(broken.failureKind, SqlFailure::Kind::Other);
    QVERIFY2(broken.detail.contains(u"no_such_table"_s), qPrintable(broken.detail));
    QCOMPARE(scratchCount(db), 0);
    QCOMPARE(scratchCount(*tdb.open()), 0);
}

void DatabaseTest::writeRollsBackOnThrownSqlFailure()
{
    Test::TestDatabase tdb(false);
    Database &db = tdb.db();
    createScratch(db);
    const Probe result = db.write([&]() -> Probe {
        db.exec(u"INSERT INTO scratch (x) VALUES (1)"_s);
        throw SqlFailure(QSqlError(u"driver"_s, u"made up"_s, QSqlError::StatementError, u"787"_s),
                         u"body"_s);
    });
    QCOMPARE(result.kind, Probe::Kind::Error);
    QCOMPARE(result.failureKind, SqlFailure::Kind::ForeignKeyViolation);
    QVERIFY2(result.detail.contains(u"made up"_s), qPrintable(result.detail));
    QCOMPARE(scratchCount(db), 0);
}

void DatabaseTest::writeRetriesThrownBusyThenSucceeds()
{
    Test::TestDatabase tdb(false);
    Database &db = tdb.db();
    createScratch(db);
    int bodyRuns = 0;
    const Probe result = db.write(
        [&]() -> Probe {
            ++bodyRuns;
            db.exec(u"INSERT INTO scratch (x) VALUES (?)"_s, {bodyRuns});
            if (bodyRuns < 3) {
                throw SqlFailure(QSqlError(u"driver"_s, u"database is locked"_s,
                                           QSqlError::StatementError, u"5"_s),
                                 u"body"_s);
            }
            return Probe{};
        },
        RetryPolicy{5, 1, 2});
    QCOMPARE(result.kind, Probe::Kind::Done);
    QCOMPARE(bodyRuns, 3);
    QCOMPARE(db.lastWriteAttempts(), 3);
    // Only the attempt that committed left its row; the two before were rolled back.
    QCOMPARE(scratchCount(db), 1);
    QCOMPARE(Test::queryValue(db, u"SELECT x FROM scratch"_s).toInt(), 3);

    // Busy on every attempt: bounded, then busy().
    bodyRuns = 0;
    const Probe exhausted = db.write(
        [&]() -> Probe {
            ++bodyRuns;
            db.exec(u"INSERT INTO scratch (x) VALUES (?)"_s, {100 + bodyRuns});
            throw SqlFailure(
                QSqlError(u"driver"_s, u"locked"_s, QSqlError::StatementError, u"517"_s),
                u"body"_s);
        },
        RetryPolicy{4, 1, 2});
    QCOMPARE(exhausted.kind, Probe::Kind::Busy);
    QCOMPARE(bodyRuns, 4);
    QCOMPARE(db.lastWriteAttempts(), 4);
    QCOMPARE(scratchCount(db), 1);
}

void DatabaseTest::writeReturnsBusyWhileLockIsHeld()
{
    Test::TestDatabase tdb(false);
    createScratch(tdb.db());
    const auto writer = openWith(DatabaseOptions{tdb.path(), true, 50});
    QVERIFY(writer);
    const auto holder = tdb.open();
    holder->exec(u"BEGIN IMMEDIATE"_s);
    holder->exec(u"INSERT INTO scratch (x) VALUES (1)"_s);

    int bodyRuns = 0;
    QElapsedTimer timer;
    timer.start();
    const Probe result = writer->write(
        [&] {
            ++bodyRuns;
            writer->exec(u"INSERT INTO scratch (x) VALUES (2)"_s);
            return Probe{};
        },
        RetryPolicy{3, 1, 4});
    const qint64 elapsed = timer.elapsed();
    QCOMPARE(result.kind, Probe::Kind::Busy);
    QCOMPARE(writer->lastWriteAttempts(), 3);
    QCOMPARE(bodyRuns, 0); // BEGIN IMMEDIATE never got the lock, so the body never ran
    // Each attempt waited about busy_timeout (50 ms), and the whole thing stayed bounded.
    QVERIFY2(elapsed >= 100, qPrintable(QString::number(elapsed)));
    QVERIFY2(elapsed < 3000, qPrintable(QString::number(elapsed)));

    holder->exec(u"ROLLBACK"_s);
    QCOMPARE(scratchCount(*writer), 0);
    // Once the lock is free the same connection writes at the first attempt.
    const Probe after = writer->write([&] {
        writer->exec(u"INSERT INTO scratch (x) VALUES (2)"_s);
        return Probe{};
    });
    QCOMPARE(after.kind, Probe::Kind::Done);
    QCOMPARE(writer->lastWriteAttempts(), 1);
    QCOMPARE(scratchCount(tdb.db()), 1);
}

void DatabaseTest::writeSucceedsWhenLockIsReleasedDuringRetries()
{
    Test::TestDatabase tdb(false);
    createScratch(tdb.db());
    const auto writer = openWith(DatabaseOptions{tdb.path(), true, 50});
    QVERIFY(writer);

    QSemaphore locked;
    std::atomic<bool> holderOk{false};
    const QString path = tdb.path();
    std::unique_ptr<QThread> holderThread(QThread::create([&] {
        // Its own connection on its own thread, as Database requires.
        QString error;
        std::unique_ptr<Database> holder = Database::open(DatabaseOptions{path}, &error);
        if (!holder) {
            locked.release();
            return;
        }
        try {
            holder->exec(u"BEGIN IMMEDIATE"_s);
            holder->exec(u"INSERT INTO scratch (x) VALUES (1)"_s);
            locked.release();
            QThread::msleep(400); // long enough to outlast a scheduling stall
            holder->exec(u"COMMIT"_s);
            holderOk = true;
        } catch (const SqlFailure &failure) {
            qWarning("holder failed: %s", qPrintable(failure.describe()));
            locked.release();
        }
    }));
    holderThread->start();
    QVERIFY(locked.tryAcquire(1, 10000));

    int bodyRuns = 0;
    QElapsedTimer timer;
    timer.start();
    const Probe result = writer->write(
        [&] {
            ++bodyRuns;
            // The holder's committed row is visible: this transaction started after it.
            const int seen = writer->scalar(u"SELECT COUNT(*) FROM scratch"_s).toInt();
            writer->exec(u"INSERT INTO scratch (x) VALUES (?)"_s, {100 + seen});
            return Probe{};
        },
        RetryPolicy{40, 5, 20});
    const qint64 elapsed = timer.elapsed();
    QVERIFY(holderThread->wait(10000));
    QVERIFY(holderOk);
    QCOMPARE(result.kind, Probe::Kind::Done);
    QVERIFY2(writer->lastWriteAttempts() > 1,
             "the lock was held, so the first attempt had to fail");
    QVERIFY(writer->lastWriteAttempts() < 40);
    QCOMPARE(bodyRuns, 1);
    QVERIFY2(elapsed >= 100, qPrintable(QString::number(elapsed)));
    QCOMPARE(scratchCount(tdb.db()), 2);
    QCOMPARE(Test::queryValue(tdb.db(), u"SELECT MAX(x) FROM scratch"_s).toInt(), 101);
}

void DatabaseTest::readSeesOneSnapshot()
{
    Test::TestDatabase tdb(false);
    Database &db = tdb.db();
    createScratch(db);
    db.exec(u"INSERT INTO scratch (x) VALUES (1)"_s);
    const auto other = tdb.open();
    const Probe result = db.read([&] {
        const int before = db.scalar(u"SELECT COUNT(*) FROM scratch"_s).toInt();
        other->exec(u"INSERT INTO scratch (x) VALUES (2)"_s); // commits on its own
        const int after = db.scalar(u"SELECT COUNT(*) FROM scratch"_s).toInt();
        return Probe{before == 1 && after == 1 ? Probe::Kind::Done : Probe::Kind::Error, false,
                     SqlFailure::Kind::Other, u"%1 then %2"_s.arg(before).arg(after)};
    });
    QVERIFY2(result.kind == Probe::Kind::Done, qPrintable(result.detail));
    QCOMPARE(scratchCount(db), 2);
}

// A SELECT a caller forgot to finish must not keep its snapshot once the transaction is over:
// on SQLite this connection's next write would fail as busy (SQLITE_BUSY_SNAPSHOT) for ever once
// another connection has committed (found by tst_sync_chaos, in the sync client's reads).
void DatabaseTest::unfinishedReadPinsNoSnapshot()
{
    Test::TestDatabase tdb(false);
    Database &db = tdb.db();
    createScratch(db);
    db.exec(u"INSERT INTO scratch (x) VALUES (1), (2), (3)"_s);
    const auto other = tdb.open();
    const Probe read = db.read([&] {
        QSqlQuery &query = db.exec(u"SELECT x FROM scratch ORDER BY x"_s);
        const bool found = query.next(); // one row of three: the statement stays in progress
        return Probe{
            found ? Probe::Kind::Done : Probe::Kind::Error, false, SqlFailure::Kind::Other, {}};
    });
    QVERIFY(read.kind == Probe::Kind::Done);
    other->exec(u"INSERT INTO scratch (x) VALUES (4)"_s);
    const Probe written = db.write([&] {
        db.exec(u"INSERT INTO scratch (x) VALUES (5)"_s);
        return Probe{Probe::Kind::Done, true, SqlFailure::Kind::Other, {}};
    });
    QVERIFY2(written.kind == Probe::Kind::Done, qPrintable(written.detail));
    QCOMPARE(scratchCount(db), 5);
}

void DatabaseTest::dataVersionSeesOtherConnections()
{
    Test::TestDatabase tdb(false);
    Database &db = tdb.db();
    createScratch(db);
    const auto other = tdb.open();
    const qint64 start = db.dataVersion();
    QVERIFY(start >= 0);
    db.exec(u"INSERT INTO scratch (x) VALUES (1)"_s);
    QCOMPARE(db.dataVersion(), start); // its own commit does not count
    other->exec(u"INSERT INTO scratch (x) VALUES (2)"_s);
    QVERIFY(db.dataVersion() != start);
}

void DatabaseTest::classify_data()
{
    QTest::addColumn<QString>("code");
    QTest::addColumn<SqlFailure::Kind>("kind");
    QTest::addColumn<bool>("constraint");

    using K = SqlFailure::Kind;
    // SQLite extended result codes as QSQLITE reports them.
    QTest::newRow("sqlite 5 busy") << u"5"_s << K::Busy << false;
    QTest::newRow("sqlite 517 busy snapshot") << u"517"_s << K::Busy << false;
    QTest::newRow("sqlite 261 busy recovery") << u"261"_s << K::Busy << false;
    QTest::newRow("sqlite 6 locked") << u"6"_s << K::Busy << false;
    QTest::newRow("sqlite 2067 unique") << u"2067"_s << K::UniqueViolation << true;
    QTest::newRow("sqlite 1555 primary key") << u"1555"_s << K::UniqueViolation << true;
    QTest::newRow("sqlite 787 foreign key") << u"787"_s << K::ForeignKeyViolation << true;
    QTest::newRow("sqlite 275 check") << u"275"_s << K::CheckViolation << true;
    QTest::newRow("sqlite 1299 not null") << u"1299"_s << K::CheckViolation << true;
    QTest::newRow("sqlite 1811 trigger") << u"1811"_s << K::CheckViolation << true;
    QTest::newRow("sqlite 19 constraint") << u"19"_s << K::CheckViolation << true;
    QTest::newRow("sqlite 1 error") << u"1"_s << K::Other << false;
    QTest::newRow("sqlite 11 corrupt") << u"11"_s << K::Other << false;
    QTest::newRow("sqlite 8 readonly") << u"8"_s << K::Other << false;
    // PostgreSQL SQLSTATEs as QPSQL reports them.
    QTest::newRow("pg 40001 serialization") << u"40001"_s << K::Busy << false;
    QTest::newRow("pg 40P01 deadlock") << u"40P01"_s << K::Busy << false;
    QTest::newRow("pg 55P03 lock not available") << u"55P03"_s << K::Busy << false;
    QTest::newRow("pg 23505 unique") << u"23505"_s << K::UniqueViolation << true;
    QTest::newRow("pg 23503 foreign key") << u"23503"_s << K::ForeignKeyViolation << true;
    QTest::newRow("pg 23514 check") << u"23514"_s << K::CheckViolation << true;
    QTest::newRow("pg 23502 not null") << u"23502"_s << K::CheckViolation << true;
    QTest::newRow("pg 42P01 undefined table") << u"42P01"_s << K::Other << false;
    // The database is unavailable (issue 13): reopened and answered 503 by the server.
    QTest::newRow("sqlite 13 full") << u"13"_s << K::StorageFailure << false;
    QTest::newRow("sqlite 10 ioerr") << u"10"_s << K::StorageFailure << false;
    QTest::newRow("sqlite 778 ioerr write") << u"778"_s << K::StorageFailure << false;
    QTest::newRow("pg 08006 connection failure") << u"08006"_s << K::ConnectionLost << false;
    QTest::newRow("pg 08001 cannot connect") << u"08001"_s << K::ConnectionLost << false;
    QTest::newRow("pg 57P01 admin shutdown") << u"57P01"_s << K::ConnectionLost << false;
    QTest::newRow("pg 57P03 cannot connect now") << u"57P03"_s << K::ConnectionLost << false;
    QTest::newRow("pg 53100 disk full") << u"53100"_s << K::StorageFailure << false;
    QTest::newRow("no code") << QString() << K::Other << false;
    QTest::newRow("garbage") << u"busy"_s << K::Other << false;
}

void DatabaseTest::lostConnectionTextsAreClassified()
{
    // libpq reports a connection it lost without a SQLSTATE, in words only.
    for (const QString &text :
         {u"server closed the connection unexpectedly\n\tThis probably means the server "
          "terminated abnormally"_s,
          u"no connection to the server\n"_s,
          u"FATAL:  terminating connection due to administrator command"_s,
          u"connection to server at \"127.0.0.1\", port 5432 failed: Connection refused"_s}) {
        const QSqlError error(u"QPSQL: Unable to create query"_s, text, QSqlError::StatementError,
                              QString());
        QCOMPARE(SqlFailure::classify(error), SqlFailure::Kind::ConnectionLost);
        QVERIFY(SqlFailure(error, u"BEGIN"_s).isUnavailable());
        QVERIFY(Result<int>::databaseError(SqlFailure(error, u"BEGIN"_s)).unavailable());
    }
    const QSqlError other(u"QPSQL: Unable to create query"_s, u"syntax error"_s,
                          QSqlError::StatementError, QString());
    QCOMPARE(SqlFailure::classify(other), SqlFailure::Kind::Other);
    QVERIFY(!Result<int>::databaseError(SqlFailure(other, u"SELECT"_s)).unavailable());
}

void DatabaseTest::classify()
{
    QFETCH(QString, code);
    QFETCH(SqlFailure::Kind, kind);
    QFETCH(bool, constraint);
    const QSqlError error(u"driver text"_s, u"database text"_s, QSqlError::StatementError, code);
    QCOMPARE(SqlFailure::classify(error), kind);
    const SqlFailure failure(error, u"SELECT\n  1"_s);
    QCOMPARE(failure.kind(), kind);
    QCOMPARE(failure.isBusy(), kind == SqlFailure::Kind::Busy);
    QCOMPARE(failure.isConstraintViolation(), constraint);
    QVERIFY(failure.describe().contains(u"SELECT 1"_s)); // the statement, simplified
    QVERIFY(failure.describe().contains(u"database text"_s));
}

void DatabaseTest::realFailuresAreClassified_data()
{
    QTest::addColumn<QString>("sql");
    QTest::addColumn<QString>("nativeCode");
    QTest::addColumn<SqlFailure::Kind>("kind");

    using K = SqlFailure::Kind;
    QTest::newRow("duplicate primary key")
        << u"INSERT INTO products (sku, name, price_cents, updated_at) VALUES ('COF-ESP', 'x', 1, "
           "'t')"_s
        << u"1555"_s << K::UniqueViolation;
    QTest::newRow("duplicate unique column")
        << u"INSERT INTO cashiers (id, name, name_key, role, pin_hash, created_at) VALUES ('new', "
           "'ALICE', 'alice', 'cashier', '$argon2id$x', 't')"_s
        << u"2067"_s << K::UniqueViolation;
    QTest::newRow("foreign key")
        << u"INSERT INTO order_lines (order_id, line_no, line_id, name, unit_price_cents, "
           "quantity) VALUES ('no-such-order', 1, 'l1', 'x', 1, 1)"_s
        << u"787"_s << K::ForeignKeyViolation;
    QTest::newRow("check")
        << u"INSERT INTO products (sku, name, price_cents, updated_at) VALUES ('NEG', 'x', -1, "
           "'t')"_s
        << u"275"_s << K::CheckViolation;
    QTest::newRow("not null")
        << u"INSERT INTO products (sku, name, price_cents, updated_at) VALUES ('NUL', NULL, 1, "
           "'t')"_s
        << u"1299"_s << K::CheckViolation;
    QTest::newRow("pin hash not argon2id")
        << u"INSERT INTO cashiers (id, name, name_key, role, pin_hash, created_at) VALUES ('new', "
           "'Zed', 'zed', 'cashier', '1234', 't')"_s
        << u"275"_s << K::CheckViolation;
    QTest::newRow("syntax error") << u"INSERT INTO nowhere"_s << u"1"_s << K::Other;
}

void DatabaseTest::realFailuresAreClassified()
{
    QFETCH(QString, sql);
    QFETCH(QString, nativeCode);
    QFETCH(SqlFailure::Kind, kind);
    Test::TestDatabase tdb(true);
    const int productsBefore =
        Test::queryValue(tdb.db(), u"SELECT COUNT(*) FROM products"_s).toInt();
    try {
        tdb.db().exec(sql);
        QFAIL("the statement should have failed");
    } catch (const SqlFailure &failure) {
        QCOMPARE(failure.error().nativeErrorCode(), nativeCode);
        QCOMPARE(failure.kind(), kind);
        QCOMPARE(failure.statement(), sql);
    }
    QCOMPARE(Test::queryValue(tdb.db(), u"SELECT COUNT(*) FROM products"_s).toInt(),
             productsBefore);
    QCOMPARE(Test::queryValue(tdb.db(), u"SELECT COUNT(*) FROM cashiers"_s).toInt(), 3);
}

void DatabaseTest::historyRefusesUpdate()
{
    Test::TestDatabase tdb(true);
    Database &db = tdb.db();
    const QString orderId = insertOrderWithHistory(db);
    QVERIFY(!orderId.isEmpty());

    const QSqlError raw = rawExec(db, u"UPDATE order_history SET action = 'forged'"_s);
    QVERIFY(raw.isValid());
    QVERIFY2(raw.text().contains(u"append-only"_s), qPrintable(raw.text()));
    QCOMPARE(SqlFailure::classify(raw), SqlFailure::Kind::CheckViolation);

    // Through the helper it becomes a typed result, and nothing changed.
    const Probe result = db.write([&] {
        db.exec(u"UPDATE order_history SET to_version = 99 WHERE order_id = ?"_s, {orderId});
        return Probe{};
    });
    QCOMPARE(result.kind, Probe::Kind::Error);
    QCOMPARE(result.failureKind, SqlFailure::Kind::CheckViolation);
    QCOMPARE(Test::queryValue(db, u"SELECT action FROM order_history"_s).toString(), u"open"_s);
    QCOMPARE(Test::queryValue(db, u"SELECT to_version FROM order_history"_s).toInt(), 1);
    // Appending is still allowed.
    db.exec(u"INSERT INTO order_history (order_id, at, action, to_version, to_status, "
            "request_id) VALUES (?, 't', 'note', 1, 'active', 'r2')"_s,
            {orderId});
    QCOMPARE(Test::queryValue(db, u"SELECT COUNT(*) FROM order_history"_s).toInt(), 2);
}

void DatabaseTest::historyRefusesDelete()
{
    Test::TestDatabase tdb(true);
    Database &db = tdb.db();
    const QString orderId = insertOrderWithHistory(db);
    QVERIFY(!orderId.isEmpty());

    for (const QString &sql : {u"DELETE FROM order_history"_s,
                               u"DELETE FROM order_history WHERE order_id = 'order-1'"_s}) {
        const QSqlError raw = rawExec(db, sql);
        QVERIFY2(raw.isValid(), qPrintable(sql));
        QVERIFY2(raw.text().contains(u"append-only"_s), qPrintable(raw.text()));
    }
    const Probe result = db.write([&] {
        db.exec(u"DELETE FROM order_history WHERE order_id = ?"_s, {orderId});
        return Probe{};
    });
    QCOMPARE(result.kind, Probe::Kind::Error);
    QCOMPARE(result.failureKind, SqlFailure::Kind::CheckViolation);
    QCOMPARE(Test::queryValue(db, u"SELECT COUNT(*) FROM order_history"_s).toInt(), 1);
    // The order it documents cannot be deleted either (history refers to it).
    QVERIFY(rawExec(db, u"DELETE FROM order_sessions"_s).isValid());
    QCOMPARE(Test::queryValue(db, u"SELECT COUNT(*) FROM order_sessions"_s).toInt(), 1);
}

} // namespace SafeTill

QTEST_GUILESS_MAIN(SafeTill::DatabaseTest)
#include "tst_database.moc"
