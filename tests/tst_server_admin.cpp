// safetill-server's admin commands (user add/list/retire/set-pin/set-role, device
// add/list/revoke, PINs on standard input only), its failed-login throttle under real concurrency
// (parallel bursts on many connections to two server processes on one database), and the
// permissions of what it creates and reads. Runs on SQLite, and on PostgreSQL as
// tst_server_admin_pg (SAFETILL_TEST_BACKEND=postgres).

#include "Database.h"
#include "ServerTestClient.h"
#include "TestSupport.h"

#include <QElapsedTimer>
#include <QFileInfo>
#include <QJsonArray>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

#include <memory>
#include <sys/stat.h>
#include <vector>

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

// An admin command with `input` on its standard input (then closed).
AdminRun admin(const QString &db, const QStringList &arguments, const QByteArray &input = {})
{
    QProcess process;
    process.start(QStringLiteral(SAFETILL_SERVER_PATH), QStringList{u"--db"_s, db} + arguments);
    process.waitForStarted(10000);
    process.write(input);
    process.closeWriteChannel();
    process.waitForFinished(30000);
    return {process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -2,
            process.readAllStandardOutput(), process.readAllStandardError()};
}

Response login(quint16 port, const QString &user, const QString &pin)
{
    HttpClient client(port);
    return client.request("POST", u"/api/auth/login"_s,
                          json({{u"username"_s, user}, {u"pin"_s, pin}}));
}

// Every request at once, each on its own connection, spread over the ports: the servers see them
// concurrently. The answers' statuses, in order.
QList<int> burst(const QList<quint16> &ports, int count,
                 const std::function<QByteArray(int)> &bodyOf)
{
    std::vector<std::unique_ptr<HttpClient>> clients;
    for (int i = 0; i < count; ++i)
        clients.push_back(std::make_unique<HttpClient>(ports.at(i % ports.size())));
    for (int i = 0; i < count; ++i)
        clients[size_t(i)]->send("POST", u"/api/auth/login"_s, bodyOf(i));
    QList<int> statuses;
    for (auto &client : clients)
        statuses.append(client->receive(60000).status);
    return statuses;
}

QByteArray loginBody(const QString &user, const QString &pin)
{
    return json({{u"username"_s, user}, {u"pin"_s, pin}});
}

} // namespace

class ServerAdminTest : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void pinsComeFromStandardInputOnly();
    void userCommands();
    void retiredUserCannotSignInOrSync();
    void deviceRevokeActsOnEveryProcess();
    void parallelWrongPinsGetOnlyTheLimit();
    void addressLimitDoesNotLockOutOthers();
    void createdFilesAreOwnerOnly();
    void worldReadableTlsKeyIsRefused();
};

void ServerAdminTest::initTestCase()
{
    SAFETILL_REQUIRE_TEST_BACKEND();
}

void ServerAdminTest::pinsComeFromStandardInputOnly()
{
    TestDatabase db;
    // On the command line: refused, and nothing added.
    AdminRun run = admin(db.path(), {u"user"_s, u"add"_s, u"Zed"_s, u"--pin"_s, u"2468"_s});
    QCOMPARE(run.status, 2);
    QVERIFY2(run.err.contains("standard input"), run.err.constData());
    // No PIN at all.
    run = admin(db.path(), {u"user"_s, u"add"_s, u"Zed"_s});
    QCOMPARE(run.status, 2);
    QVERIFY2(run.err.contains("No PIN was given"), run.err.constData());
    // Not a PIN.
    run = admin(db.path(), {u"user"_s, u"add"_s, u"Zed"_s}, "12ab\n");
    QCOMPARE(run.status, 2);
    QVERIFY2(run.err.contains("The PIN is not valid") && run.err.contains("digits only"),
             run.err.constData());
    run = admin(db.path(), {u"user"_s, u"add"_s, u"Zed"_s}, QByteArray(200, '1') + '\n');
    QCOMPARE(run.status, 2);
    QVERIFY2(run.err.contains("too long"), run.err.constData());
    QCOMPARE(queryValue(db.db(), u"SELECT COUNT(*) FROM cashiers WHERE name = 'Zed'"_s).toInt(), 0);
    // A bad role names the role.
    run = admin(db.path(), {u"user"_s, u"add"_s, u"Zed"_s, u"--role"_s, u"boss"_s}, "2468\n");
    QCOMPARE(run.status, 2);
    QVERIFY2(run.err.contains("role") && run.err.contains("boss"), run.err.constData());
    // The PIN on standard input, without a newline too.
    run = admin(db.path(), {u"user"_s, u"add"_s, u"Zed"_s, u"--role"_s, u"manager"_s}, "2468");
    QCOMPARE(run.status, 0);
    QVERIFY(run.out.contains("Added user Zed (manager"));
    ServerProcess server;
    QVERIFY(server.start(db.path()));
    QCOMPARE(login(server.port(), u"Zed"_s, u"2468"_s).status, 200);
}

void ServerAdminTest::userCommands()
{
    TestDatabase db;
    ServerProcess server;
    QVERIFY(server.start(db.path()));
    const QString aliceId = db.cashierId(u"Alice"_s);

    AdminRun run = admin(db.path(), {u"user"_s, u"list"_s});
    QCOMPARE(run.status, 0);
    QVERIFY2(run.out.contains((aliceId + u"\tAlice\tcashier\tactive"_s).toUtf8()),
             run.out.constData());

    // set-pin by name: the old PIN stops working, the new one works.
    run = admin(db.path(), {u"user"_s, u"set-pin"_s, u"alice"_s}, "97531\n");
    QCOMPARE(run.status, 0);
    QCOMPARE(login(server.port(), u"Alice"_s, u"1234"_s).status, 401);
    QCOMPARE(login(server.port(), u"Alice"_s, u"97531"_s).status, 200);
    run = admin(db.path(), {u"user"_s, u"set-pin"_s, aliceId}, "1\n");
    QCOMPARE(run.status, 2);
    QVERIFY2(run.err.contains("4 to 12 digits"), run.err.constData());

    // set-role by id.
    run = admin(db.path(), {u"user"_s, u"set-role"_s, aliceId, u"manager"_s});
    QCOMPARE(run.status, 0);
    QVERIFY(run.out.contains("Alice is now manager"));
    QCOMPARE(queryValue(db.db(), u"SELECT role FROM cashiers WHERE id = ?"_s, {aliceId}).toString(),
             u"manager"_s);
    run = admin(db.path(), {u"user"_s, u"set-role"_s, aliceId, u"owner"_s});
    QCOMPARE(run.status, 2);
    QVERIFY2(run.err.contains("role") && run.err.contains("owner"), run.err.constData());
    run = admin(db.path(),
                {u"user"_s, u"set-role"_s, aliceId, u"cashier"_s, u"--role"_s, u"manager"_s});
    QCOMPARE(run.status, 2);

    // Unknown users: 4, naming them.
    for (const QString &command : {u"retire"_s, u"set-pin"_s}) {
        run = admin(db.path(), {u"user"_s, command, u"Nobody"_s}, "1234\n");
        QCOMPARE(run.status, 4);
        QVERIFY2(run.err.contains("Nobody"), run.err.constData());
    }
    run = admin(db.path(), {u"user"_s, u"set-role"_s, u"Nobody"_s, u"manager"_s});
    QCOMPARE(run.status, 4);
    // Wrong shapes: 2.
    QCOMPARE(admin(db.path(), {u"user"_s, u"retire"_s}).status, 2);
    QCOMPARE(admin(db.path(), {u"user"_s, u"set-role"_s, u"Alice"_s}).status, 2);
    QCOMPARE(admin(db.path(), {u"device"_s, u"revoke"_s}).status, 2);
    QCOMPARE(admin(db.path(), {u"user"_s, u"delete"_s, u"Alice"_s}).status, 2);
    QCOMPARE(server.stop(), 0);
}

void ServerAdminTest::retiredUserCannotSignInOrSync()
{
    TestDatabase db;
    ServerProcess a;
    ServerProcess b;
    QVERIFY(a.start(db.path()));
    QVERIFY(b.start(db.path()));
    const QString bobId = db.cashierId(u"Bob"_s);
    AdminRun device = admin(db.path(), {u"device"_s, u"add"_s, u"Till 1"_s});
    QCOMPARE(device.status, 0);
    const QByteArray deviceToken = device.out.trimmed();

    // Bob has an order, and a token on each server (each process caches valid tokens).
    const QByteArray token =
        login(a.port(), u"Bob"_s, u"5678"_s).json().value(u"token"_s).toString().toLatin1();
    QVERIFY(!token.isEmpty());
    {
        HttpClient client(a.port());
        QCOMPARE(client.request("POST", u"/api/order-sessions"_s, {}, bearer(token)).status, 200);
        QCOMPARE(client
                     .request("POST", u"/api/order-sessions/current/items"_s,
                              json({{u"sku"_s, u"COF-ESP"_s}, {u"qty"_s, 1}}), bearer(token))
                     .status,
                 200);
    }
    for (const ServerProcess *server : {&a, &b}) {
        HttpClient client(server->port());
        QCOMPARE(client.request("GET", u"/api/order-sessions/current"_s, {}, bearer(token)).status,
                 200);
    }
    auto pulledNames = [&] {
        HttpClient client(a.port());
        const Response pull =
            client.request("GET", u"/api/sync/v1/pull"_s, {}, bearer(deviceToken));
        QStringList names;
        for (const QJsonValue &cashier : pull.json().value(u"cashiers"_s).toArray())
            names << cashier.toObject().value(u"name"_s).toString();
        return names;
    };
    QVERIFY(pulledNames().contains(u"Bob"_s));

    AdminRun run = admin(db.path(), {u"user"_s, u"retire"_s, u"bob"_s});
    QCOMPARE(run.status, 0);
    QVERIFY2(run.out.contains("Retired user Bob"), run.out.constData());
    // Signed out on both processes within a second.
    QThread::msleep(1100);
    for (const ServerProcess *server : {&a, &b}) {
        HttpClient client(server->port());
        QCOMPARE(client.request("GET", u"/api/order-sessions/current"_s, {}, bearer(token)).status,
                 401);
        // Neither by name nor by id: the same answer as an unknown user.
        QCOMPARE(login(server->port(), u"Bob"_s, u"5678"_s).status, 401);
        QCOMPARE(login(server->port(), bobId, u"5678"_s).status, 401);
    }
    // Not synced to tills any more; history kept.
    QVERIFY(!pulledNames().contains(u"Bob"_s));
    QVERIFY(pulledNames().contains(u"Alice"_s));
    QCOMPARE(
        queryValue(db.db(), u"SELECT COUNT(*) FROM order_sessions WHERE cashier_id = ?"_s, {bobId})
            .toInt(),
        1);
    QCOMPARE(queryValue(db.db(), u"SELECT name FROM cashiers WHERE id = ?"_s, {bobId}).toString(),
             u"Bob"_s);
    run = admin(db.path(), {u"user"_s, u"list"_s});
    QVERIFY2(run.out.contains((bobId + u"\tBob\tcashier\tretired"_s).toUtf8()),
             run.out.constData());
    // Again: nothing to do, exit 0. A retired user's PIN or role cannot change: conflict.
    run = admin(db.path(), {u"user"_s, u"retire"_s, bobId});
    QCOMPARE(run.status, 0);
    QVERIFY(run.out.contains("Already retired: Bob"));
    run = admin(db.path(), {u"user"_s, u"set-pin"_s, bobId}, "5678\n");
    QCOMPARE(run.status, 3);
    QVERIFY2(run.err.contains("retired"), run.err.constData());
    QCOMPARE(admin(db.path(), {u"user"_s, u"set-role"_s, bobId, u"manager"_s}).status, 3);
    // The name is free for a new cashier, who is someone else.
    run = admin(db.path(), {u"user"_s, u"add"_s, u"Bob"_s}, "1357\n");
    QCOMPARE(run.status, 0);
    const Response newBob = login(b.port(), u"Bob"_s, u"1357"_s);
    QCOMPARE(newBob.status, 200);
    QVERIFY(newBob.json().value(u"userId"_s).toString() != bobId);
    QCOMPARE(a.stop(), 0);
    QCOMPARE(b.stop(), 0);
    QVERIFY(integrityOk(db.db()));
}

void ServerAdminTest::deviceRevokeActsOnEveryProcess()
{
    TestDatabase db;
    ServerProcess a;
    ServerProcess b;
    QVERIFY(a.start(db.path()));
    QVERIFY(b.start(db.path()));
    AdminRun run = admin(db.path(), {u"device"_s, u"add"_s, u"Till 1"_s});
    QCOMPARE(run.status, 0);
    const QByteArray stolen = run.out.trimmed();
    run = admin(db.path(), {u"device"_s, u"add"_s, u"Till 2"_s});
    const QByteArray other = run.out.trimmed();
    // Both processes serve both, repeatedly (anything they might cache is warm).
    for (int i = 0; i < 3; ++i) {
        for (const ServerProcess *server : {&a, &b}) {
            HttpClient client(server->port());
            QCOMPARE(client.request("GET", u"/api/sync/v1/pull"_s, {}, bearer(stolen)).status, 200);
            QCOMPARE(client.request("GET", u"/api/sync/v1/pull"_s, {}, bearer(other)).status, 200);
        }
    }
    run = admin(db.path(), {u"device"_s, u"list"_s});
    QCOMPARE(run.status, 0);
    QVERIFY2(run.out.contains("\tTill 1\tT0") && run.out.contains("\tactive\n"),
             run.out.constData());
    const QString tillId = QString::fromUtf8(run.out.split('\n').first().split('\t').first());

    run = admin(db.path(), {u"device"_s, u"revoke"_s, u"till 1"_s});
    QCOMPARE(run.status, 0);
    QVERIFY2(run.out.contains("Revoked device Till 1"), run.out.constData());
    QElapsedTimer sinceRevoke;
    sinceRevoke.start();
    // Refused by both processes within a second, on push as on pull; the other till unharmed.
    for (const ServerProcess *server : {&a, &b}) {
        HttpClient client(server->port());
        Response refused = client.request("GET", u"/api/sync/v1/pull"_s, {}, bearer(stolen));
        while (refused.status == 200 && sinceRevoke.elapsed() < 1000)
            refused = client.request("GET", u"/api/sync/v1/pull"_s, {}, bearer(stolen));
        QCOMPARE(refused.status, 401);
        QVERIFY(refused.json().value(u"error"_s).toString().contains(u"revoked"_s));
        QCOMPARE(client
                     .request("POST", u"/api/sync/v1/push"_s,
                              json({{u"protocol"_s, 1}, {u"ops"_s, QJsonArray{}}}), bearer(stolen))
                     .status,
                 401);
        QCOMPARE(client.request("GET", u"/api/sync/v1/pull"_s, {}, bearer(other)).status, 200);
    }
    QVERIFY(sinceRevoke.elapsed() < 1000 + 5000);
    run = admin(db.path(), {u"device"_s, u"list"_s});
    QVERIFY2(run.out.contains((tillId + u"\tTill 1\t"_s).toUtf8()) &&
                 run.out.contains("\trevoked\n"),
             run.out.constData());
    // By id again: nothing to do, exit 0; unknown: 4.
    run = admin(db.path(), {u"device"_s, u"revoke"_s, tillId});
    QCOMPARE(run.status, 0);
    QVERIFY(run.out.contains("Already revoked: Till 1"));
    run = admin(db.path(), {u"device"_s, u"revoke"_s, u"Till 9"_s});
    QCOMPARE(run.status, 4);
    QVERIFY2(run.err.contains("Till 9"), run.err.constData());
    QCOMPARE(a.stop(), 0);
    QCOMPARE(b.stop(), 0);
}

void ServerAdminTest::parallelWrongPinsGetOnlyTheLimit()
{
    // Its own database: the throttle's rows are per database.
    TestDatabase db;
    ServerProcess a;
    ServerProcess b;
    // Long enough that the lock cannot lapse during a burst on a slow, busy machine.
    constexpr int lockSeconds = 5;
    const QStringList options{u"--login-lock-seconds"_s, QString::number(lockSeconds)};
    QVERIFY(a.start(db.path(), options));
    QVERIFY(b.start(db.path(), options));
    const QString aliceId = db.cashierId(u"Alice"_s);
    constexpr int userLimit = 5; // AuthStore::ThrottlePolicy
    constexpr int attempts = 40;
    // By name (in any case) and by id: one counter.
    const QList<int> statuses = burst({a.port(), b.port()}, attempts, [&](int i) {
        return loginBody(i % 3 == 0 ? aliceId : i % 3 == 1 ? u"alice"_s : u"ALICE"_s, u"0000"_s);
    });
    const qsizetype evaluated = statuses.count(401);
    const qsizetype refused = statuses.count(429);
    qInfo() << "burst of" << attempts << "wrong PINs:" << evaluated << "evaluated (401)," << refused
            << "refused (429)";
    QCOMPARE(evaluated + refused, qsizetype(attempts)); // nothing else (no 500, no 503)
    // Exactly the limit: each attempt is counted atomically before its PIN is checked.
    QVERIFY2(evaluated == userLimit, qPrintable(u"%1 PINs were checked"_s.arg(evaluated)));
    // The right PIN is refused while the lock holds, by name and by id, on both processes.
    const Response locked = login(a.port(), u"Alice"_s, u"1234"_s);
    QCOMPARE(locked.status, 429);
    const int retryAfter = locked.header("retry-after").toInt();
    QVERIFY(retryAfter >= 1 && retryAfter <= lockSeconds);
    QCOMPARE(login(b.port(), aliceId, u"1234"_s).status, 429);
    // Another user from the same address is not locked out.
    QCOMPARE(login(b.port(), u"Bob"_s, u"5678"_s).status, 200);
    // The lock ends: the right PIN works (and clears the count).
    QThread::msleep(uint(retryAfter) * 1000 + 300);
    QCOMPARE(login(b.port(), u"Alice"_s, u"1234"_s).status, 200);
    QCOMPARE(login(a.port(), u"Alice"_s, u"0000"_s).status, 401);
    QCOMPARE(login(a.port(), aliceId, u"1234"_s).status, 200);

    // A second burst after the lock: the count continues, so every wrong PIN beyond the limit
    // locks for longer (one evaluated attempt per expired lock).
    for (int i = 0; i < userLimit; ++i)
        QCOMPARE(login(a.port(), u"Alice"_s, u"0000"_s).status, 401);
    QThread::msleep(lockSeconds * 1000 + 300);
    const QList<int> again =
        burst({a.port(), b.port()}, 20, [&](int) { return loginBody(aliceId, u"0000"_s); });
    QCOMPARE(again.count(401), 1);
    QCOMPARE(again.count(429), 19);
    const int longer = login(a.port(), u"Alice"_s, u"1234"_s).header("retry-after").toInt();
    QVERIFY2(longer > lockSeconds, qPrintable(u"Retry-After %1"_s.arg(longer)));
    QCOMPARE(a.stop(), 0);
    QCOMPARE(b.stop(), 0);
}

void ServerAdminTest::addressLimitDoesNotLockOutOthers()
{
    TestDatabase db;
    ServerProcess a;
    ServerProcess b;
    QVERIFY(a.start(db.path()));
    QVERIFY(b.start(db.path()));
    constexpr int addressLimit = 20; // AuthStore::ThrottlePolicy
    // Eight cashiers, each guessed at three times (below their own limit) from this address, all
    // at once: 24 failures, so the address is locked.
    QStringList names;
    for (int i = 0; i < 8; ++i) {
        names << u"Guessed %1"_s.arg(i);
        QCOMPARE(admin(db.path(), {u"user"_s, u"add"_s, names.last()}, "2468\n").status, 0);
    }
    const QList<int> statuses = burst({a.port(), b.port()}, 24,
                                      [&](int i) { return loginBody(names.at(i % 8), u"0000"_s); });
    QCOMPARE(statuses.count(401) + statuses.count(429), 24);
    // The first 20 are counted; after the lock, only a cashier's first failure gets through.
    QVERIFY2(statuses.count(401) >= addressLimit &&
                 statuses.count(401) <= addressLimit + names.size(),
             qPrintable(u"%1 evaluated"_s.arg(statuses.count(401))));
    // A guessed-at cashier is refused from this address now, even with the right PIN...
    QCOMPARE(login(a.port(), names.at(0), u"2468"_s).status, 429);
    QCOMPARE(login(b.port(), names.at(7), u"2468"_s).status, 429);
    // ...but the address lock does not lock out the others: cashiers with no failures of their
    // own still sign in from it, and may mistype once.
    QCOMPARE(login(a.port(), u"Alice"_s, u"1234"_s).status, 200);
    QCOMPARE(login(b.port(), u"Bob"_s, u"0000"_s).status, 401);
    QCOMPARE(login(b.port(), u"Bob"_s, u"5678"_s).status, 429); // now Bob has a failure
    // A user's own lock does not spill over onto others either.
    QCOMPARE(login(a.port(), u"Alice"_s, u"1234"_s).status, 200);
    QCOMPARE(a.stop(), 0);
    QCOMPARE(b.stop(), 0);
}

void ServerAdminTest::createdFilesAreOwnerOnly()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString byAdmin = dir.filePath(u"admin.sqlite"_s);
    const QString byServer = dir.filePath(u"server.sqlite"_s);
    if (qEnvironmentVariable("SAFETILL_TEST_BACKEND") == u"postgres"_s)
        QSKIP("PostgreSQL keeps its own files; the SQLite run checks the server's.");
    ::umask(022); // what a shell usually has
    AdminRun run = admin(byAdmin, {u"device"_s, u"add"_s, u"Till"_s});
    QCOMPARE(run.status, 0);
    ServerProcess server;
    QVERIFY(server.start(byServer));
    QCOMPARE(login(server.port(), u"Nobody"_s, u"1234"_s).status, 401); // writes: WAL in use
    for (const QString &path : {byAdmin, byServer, byServer + u"-wal"_s, byServer + u"-shm"_s}) {
        if (!QFileInfo::exists(path) && !path.endsWith(u".sqlite"_s))
            continue; // no journal at the moment
        struct stat info = {};
        QCOMPARE(::stat(QFile::encodeName(path).constData(), &info), 0);
        QVERIFY2((info.st_mode & 0777) == 0600,
                 qPrintable(u"%1 has mode %2"_s.arg(path).arg(info.st_mode & 0777, 0, 8)));
    }
    QCOMPARE(server.stop(), 0);
}

void ServerAdminTest::worldReadableTlsKeyIsRefused()
{
    TestDatabase db;
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString certPath = dir.filePath(u"cert.pem"_s);
    const QString keyPath = dir.filePath(u"key.pem"_s);
    QProcess openssl;
    openssl.start(u"openssl"_s,
                  {u"req"_s, u"-x509"_s, u"-newkey"_s, u"ec"_s, u"-pkeyopt"_s,
                   u"ec_paramgen_curve:prime256v1"_s, u"-nodes"_s, u"-days"_s, u"1"_s, u"-subj"_s,
                   u"/CN=127.0.0.1"_s, u"-keyout"_s, keyPath, u"-out"_s, certPath});
    if (!openssl.waitForFinished(30000) || openssl.exitCode() != 0)
        QSKIP("The openssl command is not available to make a test certificate.");
    const QStringList tls{u"--tls-cert"_s, certPath, u"--tls-key"_s, keyPath};

    QVERIFY(QFile::setPermissions(keyPath, QFile::ReadOwner | QFile::WriteOwner | QFile::ReadGroup |
                                               QFile::ReadOther));
    QProcess refused;
    refused.start(QStringLiteral(SAFETILL_SERVER_PATH),
                  QStringList{u"--listen"_s, u"127.0.0.1:0"_s, u"--db"_s, db.path()} + tls);
    QVERIFY(refused.waitForFinished(20000));
    QCOMPARE(refused.exitCode(), 2);
    const QByteArray message = refused.readAllStandardError();
    QVERIFY2(message.contains("readable by every user") && message.contains("0644") &&
                 message.contains("chmod 600"),
             message.constData());
    QVERIFY(refused.readAllStandardOutput().isEmpty()); // never listened

    // Owner and group only: served.
    QVERIFY(
        QFile::setPermissions(keyPath, QFile::ReadOwner | QFile::WriteOwner | QFile::ReadGroup));
    ServerProcess server;
    QVERIFY(server.start(db.path(), tls));
    QCOMPARE(server.stop(), 0);
}

QTEST_GUILESS_MAIN(ServerAdminTest)
#include "tst_server_admin.moc"
