// safetill-server as a real process on 127.0.0.1, spoken to over real HTTP with a small raw client
// (QNetworkAccessManager would silently re-send requests and hide what the server really did).
// Runs on SQLite, and on PostgreSQL as tst_server_pg (SAFETILL_TEST_BACKEND=postgres).

#include "CashierService.h"
#include "CatalogService.h"
#include "Clock.h"
#include "Database.h"
#include "ServerTestClient.h"
#include "TestSupport.h"

#include <QCryptographicHash>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QHostAddress>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QScopeGuard>
#include <QSet>
#include <QSignalSpy>
#include <QSslCertificate>
#include <QSslConfiguration>
#include <QSslSocket>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

#include <atomic>
#include <latch>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

using namespace Qt::StringLiterals;
using namespace SafeTill;
using namespace SafeTill::Test;

namespace {

// Sends every request at once, each from its own thread on its own connection (all released
// together), then collects the answers in order: the server sees them concurrently.
QList<Response> fireAll(quint16 port, int count, const std::function<void(HttpClient &, int)> &send)
{
    std::vector<Response> responses(static_cast<size_t>(count));
    std::latch start(count);
    std::vector<std::thread> threads;
    for (int i = 0; i < count; ++i) {
        threads.emplace_back([&, i] {
            HttpClient client(port);
            start.arrive_and_wait();
            send(client, i);
            responses[size_t(i)] = client.receive();
        });
    }
    for (std::thread &thread : threads)
        thread.join();
    return QList<Response>(responses.begin(), responses.end());
}

// The number of files (sockets included) a process has open; -1 without /proc.
qsizetype openFiles(qint64 pid)
{
    const QDir dir(u"/proc/%1/fd"_s.arg(pid));
    if (!dir.exists())
        return -1;
    return dir.entryList(QDir::AllEntries | QDir::System | QDir::NoDotAndDotDot).size();
}

// Waits (at most 10 s) until the process has at most `most` files open; returns how many it has.
qsizetype openFilesSettled(qint64 pid, qsizetype most)
{
    QElapsedTimer timer;
    timer.start();
    while (openFiles(pid) > most && timer.elapsed() < 10000)
        QTest::qWait(100);
    return openFiles(pid);
}

// With the connection log on (connectionLogOn()): waits (at most 10 s) until the server has freed
// every connection it accepted; *accepted says how many.
void connectionLogOn(ServerProcess &server)
{
    server.setEnvironmentVariable(
        u"QT_LOGGING_RULES"_s, u"safetill.*.debug=false;safetill.server.connection.debug=true"_s);
}

bool allConnectionsFreed(const ServerProcess &server, qsizetype *accepted)
{
    QElapsedTimer timer;
    timer.start();
    while (true) {
        const QString log = server.log(64 * 1024 * 1024);
        *accepted = log.count(u"connection accepted from"_s);
        const qsizetype freed = log.count(u"connection freed from"_s);
        if (freed == *accepted)
            return true;
        if (timer.elapsed() > 10000) {
            qWarning() << *accepted << "connections accepted," << freed << "freed";
            return false;
        }
        QTest::qWait(200);
    }
}

QString nextName(const QString &prefix)
{
    static int counter = 0;
    return u"%1 %2"_s.arg(prefix).arg(++counter);
}

} // namespace

class ServerTest : public QObject
{
    Q_OBJECT

private:
    QByteArray addUserAndLogin(const QString &name, quint16 port = 0);
    // A new cashier signed in `sessions` times: as many tokens, so concurrent requests for the
    // same cashier come from many callers (the group commit gives one caller's requests one
    // writer lane, which would serialise them).
    QList<QByteArray> addUserAndLogins(const QString &name, int sessions = 8);
    QByteArray login(const QString &name, const QString &pin, quint16 port = 0);
    void openWithItem(const QByteArray &token, int qty = 1);
    int count(const QString &sql, const QVariantList &values = {})
    {
        return queryValue(m_db->db(), sql, values).toInt();
    }

    std::unique_ptr<TestDatabase> m_db;
    ServerProcess m_server;
    quint16 m_port = 0;

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void health();
    void readiness();
    void readinessFollowsPostgres();
    void adminCommands();
    void login();
    void authRequired();
    void orderLifecycle();
    void itemsValidation();
    void putAcceptsWhatGetReturns();
    void tabs();
    void completeThenUpdateIsRefused();
    void idempotencyReplays();
    void unknownRoutesAndMethods();
    void oversizedRequests();
    void idleAndHalfSentConnectionsClose();
    void connectionCloseAndHttp10();
    void malformedAndPipelinedRequests();
    void pipelinedWritesRunInOrder();
    void openPriceItems();
    void openPriceProducts();
    void itemAddsAnswerTheStoredOrder();
    void signOutRevokesTheToken();
    void httpsWithTls();
    void protocolDetails();
    void expiredTokenIsRefused();
    void disconnectingClientsDoNotHurt();
    void endedConnectionsAreFreed();
    void concurrentReadThenPutLosesNothing();
    void concurrentCompletesPayOnce();
    void concurrentLogoutsLogOutOnce();
    void concurrentOpensOpenOne();
    void concurrentAddsAllSurvive();
    void concurrentIdempotentRequestsActOnce();
    void twoServerProcessesOneDatabase();
    void mixedLoadHasNoServerErrors();
    void loginThrottleHoldsAcrossProcesses();
    void gracefulShutdown();
};

QByteArray ServerTest::login(const QString &name, const QString &pin, quint16 port)
{
    HttpClient client(port ? port : m_port);
    const Response response = client.request("POST", u"/api/auth/login"_s,
                                             json({{u"username"_s, name}, {u"pin"_s, pin}}));
    return response.status == 200 ? response.json().value(u"token"_s).toString().toLatin1()
                                  : QByteArray();
}

QByteArray ServerTest::addUserAndLogin(const QString &name, quint16 port)
{
    const Result<Cashier> added = CashierService(m_db->db()).add(name, u"4321"_s);
    if (!added)
        qWarning() << added.message();
    return login(name, u"4321"_s, port);
}

QList<QByteArray> ServerTest::addUserAndLogins(const QString &name, int sessions)
{
    QList<QByteArray> tokens{addUserAndLogin(name)};
    while (tokens.size() < sessions)
        tokens.append(login(name, u"4321"_s));
    return tokens;
}

void ServerTest::openWithItem(const QByteArray &token, int qty)
{
    HttpClient client(m_port);
    QCOMPARE(client.request("POST", u"/api/order-sessions"_s, {}, bearer(token)).status, 200);
    QCOMPARE(client
                 .request("POST", u"/api/order-sessions/current/items"_s,
                          json({{u"sku"_s, u"COF-ESP"_s}, {u"qty"_s, qty}}), bearer(token))
                 .status,
             200);
}

void ServerTest::initTestCase()
{
    SAFETILL_REQUIRE_TEST_BACKEND();
    m_db = std::make_unique<TestDatabase>();
    // Several writer lanes on PostgreSQL (SQLite has one writer anyway), so concurrent writes
    // from different callers really run at once.
    QVERIFY(m_server.start(m_db->path(),
                           {u"--idle-timeout-ms"_s, u"1500"_s, u"--writer-lanes"_s, u"4"_s}));
    m_port = m_server.port();
}

void ServerTest::cleanupTestCase()
{
    if (m_db)
        QVERIFY2(integrityOk(m_db->db()), "database integrity check");
}

void ServerTest::health()
{
    // Liveness: 200 while the process serves, whatever the database does (readiness() checks
    // that).
    HttpClient client(m_port);
    const Response response = client.request("GET", u"/healthz"_s);
    QCOMPARE(response.status, 200);
    QCOMPARE(response.json().value(u"status"_s).toString(), u"ok"_s);
    QVERIFY(!response.header("x-request-id").isEmpty());
    QCOMPARE(response.header("content-length").toInt(), response.body.size());
}

void ServerTest::readiness()
{
    HttpClient client(m_port);
    const Response ready = client.request("GET", u"/readyz"_s);
    QCOMPARE(ready.status, 200);
    const QJsonObject body = ready.json();
    QCOMPARE(body.value(u"status"_s).toString(), u"ready"_s);
    QCOMPARE(body.value(u"database"_s).toString(), u"ok"_s);
    const int latest = count(u"SELECT MAX(version) FROM schema_migrations"_s);
    QVERIFY(latest > 0);
    QCOMPARE(body.value(u"schema_version"_s).toInt(), latest);
    QCOMPARE(body.value(u"expected_schema_version"_s).toInt(), latest);

    // The schema is not the one this server needs (another process migrated the shared database
    // further): not ready, and the answer says why. Liveness is unaffected.
    Database &db = m_db->db();
    const auto setVersion = [&](int from, int to) {
        return db.write([&] {
            return Result<int>::ok(db.change(
                u"UPDATE schema_migrations SET version = ? WHERE version = ?"_s, {to, from}));
        });
    };
    const Result<int> bumped = setVersion(latest, latest + 1000);
    QVERIFY2(bumped, qPrintable(bumped.message() + u' ' + bumped.detail()));
    QCOMPARE(*bumped, 1);
    const Response mismatch = client.request("GET", u"/readyz"_s);
    // Several at once, so that workers whose connection is not open yet answer too: opening
    // migrates first, which refuses a newer schema; that is the same mismatch, not "unreachable".
    std::vector<std::unique_ptr<HttpClient>> burst;
    for (int i = 0; i < 8; ++i) {
        burst.push_back(std::make_unique<HttpClient>(m_port));
        burst.back()->sendRaw("GET /readyz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
    }
    QList<Response> burstAnswers;
    for (const std::unique_ptr<HttpClient> &each : burst)
        burstAnswers << each->receive(5000);
    const Result<int> restored = setVersion(latest + 1000, latest);
    QVERIFY2(restored && *restored == 1, qPrintable(restored.message()));
    QCOMPARE(mismatch.status, 503);
    const QJsonObject why = mismatch.json();
    QCOMPARE(why.value(u"status"_s).toString(), u"unavailable"_s);
    QCOMPARE(why.value(u"database"_s).toString(), u"schema_mismatch"_s);
    QCOMPARE(why.value(u"code"_s).toString(), u"not_ready"_s);
    QCOMPARE(why.value(u"schema_version"_s).toInt(), latest + 1000);
    QCOMPARE(why.value(u"expected_schema_version"_s).toInt(), latest);
    QVERIFY(!why.value(u"error"_s).toString().isEmpty());
    QCOMPARE(mismatch.header("Retry-After"), QByteArray("1"));
    for (const Response &answer : burstAnswers) {
        QCOMPARE(answer.status, 503);
        QCOMPARE(answer.json().value(u"database"_s).toString(), u"schema_mismatch"_s);
        QCOMPARE(answer.json().value(u"schema_version"_s).toInt(), latest + 1000);
        QCOMPARE(answer.json().value(u"expected_schema_version"_s).toInt(), latest);
    }

    QCOMPARE(client.request("GET", u"/readyz"_s).status, 200);
    QCOMPARE(client.request("GET", u"/healthz"_s).status, 200);
    QCOMPARE(client.request("POST", u"/readyz"_s).status, 405);
}

void ServerTest::readinessFollowsPostgres()
{
    if (!onPostgres())
        QSKIP("A PostgreSQL outage: tst_server_pg");
    // A cluster of its own: stopping the suite's would break the suites running beside it. The
    // script makes its folder (one the server's system user can enter when run as root).
    QString clusterDir;
    const auto cluster = [&](const QString &command) {
        QProcess script;
        script.setProcessChannelMode(QProcess::SeparateChannels);
        script.setProcessEnvironment(QProcessEnvironment::systemEnvironment());
        script.start(QStringLiteral(SAFETILL_PG_CLUSTER_SCRIPT),
                     command == u"start"_s ? QStringList{command}
                                           : QStringList{command, clusterDir});
        const bool ok = script.waitForFinished(120000) &&
                        script.exitStatus() == QProcess::NormalExit && script.exitCode() == 0;
        if (!ok)
            qWarning().noquote() << script.readAllStandardError();
        // start prints "export SAFETILL_TEST_PG_URL=..." and "export SAFETILL_PG_DIR=...".
        const QList<QByteArray> lines = script.readAllStandardOutput().split('\n');
        for (const QByteArray &line : lines) {
            if (line.startsWith("export SAFETILL_PG_DIR="))
                clusterDir = QString::fromLocal8Bit(line.mid(23).trimmed());
        }
        return ok;
    };
    QVERIFY(cluster(u"start"_s));
    QVERIFY(!clusterDir.isEmpty());
    const auto removeCluster = qScopeGuard([&] { cluster(u"stop"_s); });
    QFile urlFile(clusterDir + u"/url"_s);
    QVERIFY(urlFile.open(QIODevice::ReadOnly));
    const QString url = QString::fromUtf8(urlFile.readAll().trimmed());

    // One worker: readiness is probed on the connection that requests would use.
    ServerProcess server;
    QVERIFY2(server.start(url, {u"--workers"_s, u"1"_s}), qPrintable(server.log()));
    const auto readyz = [&] {
        HttpClient client(server.port());
        client.send("GET", u"/readyz"_s);
        return client.receive(10000);
    };
    QCOMPARE(readyz().status, 200);

    QVERIFY(cluster(u"pause"_s));
    Response down = readyz();
    QCOMPARE(down.status, 503);
    QCOMPARE(down.json().value(u"database"_s).toString(), u"unreachable"_s);
    QCOMPARE(down.json().value(u"code"_s).toString(), u"not_ready"_s);
    {
        HttpClient client(server.port());
        QCOMPARE(client.request("GET", u"/healthz"_s).status, 200); // alive all the same
    }

    QVERIFY(cluster(u"resume"_s));
    QElapsedTimer timer;
    timer.start();
    Response back;
    while ((back = readyz()).status != 200 && timer.elapsed() < 10000)
        QTest::qWait(250);
    // The lost connection is reopened (with backoff) without restarting the server.
    QCOMPARE(back.status, 200);
    QCOMPARE(back.json().value(u"database"_s).toString(), u"ok"_s);
    QVERIFY(server.running());
    QCOMPARE(server.stop(), 0);
}

void ServerTest::adminCommands()
{
    const QString db = m_db->path();
    auto [added, addOut] = runAdmin(
        {u"--db"_s, db, u"user"_s, u"add"_s, u"Zed"_s, u"--role"_s, u"manager"_s}, "2468\n");
    QCOMPARE(added, 0);
    QVERIFY(addOut.contains("Zed"));
    auto [listed, listOut] = runAdmin({u"--db"_s, db, u"user"_s, u"list"_s});
    QCOMPARE(listed, 0);
    QVERIFY(listOut.contains("Zed\tmanager\tactive"));
    QVERIFY(listOut.contains("Alice\tcashier\tactive"));
    auto [device, token] = runAdmin({u"--db"_s, db, u"device"_s, u"add"_s, u"Till 1"_s});
    QCOMPARE(device, 0);
    QCOMPARE(token.trimmed().size(), 43); // the token alone
    QCOMPARE(token.count('\n'), 1);
    QCOMPARE(runAdmin({u"--db"_s, db, u"device"_s, u"add"_s, u"till 1"_s}).first, 3);
    QCOMPARE(runAdmin({u"--db"_s, db, u"user"_s, u"add"_s, u"NoPin"_s}).first, 2);
    QCOMPARE(runAdmin({u"--db"_s, db, u"frobnicate"_s}).first, 2);
    auto [version, versionOut] = runAdmin({u"--version"_s});
    QCOMPARE(version, 0);
    QVERIFY(versionOut.contains(SAFETILL_VERSION));
    // A device token is a valid token but not a cashier's: 403 on the order API.
    HttpClient client(m_port);
    QCOMPARE(
        client.request("GET", u"/api/order-sessions/current"_s, {}, bearer(token.trimmed())).status,
        403);
}

void ServerTest::login()
{
    HttpClient client(m_port);
    Response ok = client.request("POST", u"/api/auth/login"_s,
                                 json({{u"username"_s, u"alice"_s}, {u"pin"_s, u"1234"_s}}));
    QCOMPARE(ok.status, 200);
    QCOMPARE(ok.json().value(u"token"_s).toString().size(), 43);
    QCOMPARE(ok.json().value(u"userId"_s).toString(), m_db->cashierId(u"Alice"_s));
    QVERIFY(ok.json().value(u"expiresAt"_s).toString().endsWith(u'Z'));
    // Only the hash is stored.
    QCOMPARE(count(u"SELECT COUNT(*) FROM auth_tokens WHERE token_hash = ?"_s,
                   {ok.json().value(u"token"_s).toString()}),
             0);
    QCOMPARE(client
                 .request("POST", u"/api/auth/login"_s,
                          json({{u"username"_s, u"Alice"_s}, {u"pin"_s, u"9999"_s}}))
                 .status,
             401);
    QCOMPARE(client
                 .request("POST", u"/api/auth/login"_s,
                          json({{u"username"_s, u"Nobody"_s}, {u"pin"_s, u"1234"_s}}))
                 .status,
             401);
    QCOMPARE(client.request("POST", u"/api/auth/login"_s, "{\"username\":").status, 400);
    QCOMPARE(
        client.request("POST", u"/api/auth/login"_s, json({{u"username"_s, u"Alice"_s}})).status,
        422);
    QCOMPARE(client
                 .request("POST", u"/api/auth/login"_s,
                          json({{u"username"_s, u"Alice"_s}, {u"pin"_s, 1234}}))
                 .status,
             422);
}

void ServerTest::authRequired()
{
    HttpClient client(m_port);
    Response none = client.request("GET", u"/api/order-sessions/current"_s);
    QCOMPARE(none.status, 401);
    QCOMPARE(none.json().value(u"code"_s).toString(), u"unauthorized"_s);
    QVERIFY(!none.json().value(u"error"_s).toString().isEmpty());
    QCOMPARE(client
                 .request("GET", u"/api/order-sessions/current"_s, {},
                          bearer("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"))
                 .status,
             401);
    QCOMPARE(client.request("POST", u"/api/order-sessions"_s, {}, bearer("short")).status, 401);
    QCOMPARE(client.request("GET", u"/api/tabs"_s, {}, {{"Authorization", "Basic abc"}}).status,
             401);
    // An expired token is refused (expiry is checked in SQL).
    const QByteArray token = login(u"Bob"_s, u"5678"_s);
    QVERIFY(!token.isEmpty());
    QCOMPARE(client.request("GET", u"/api/tabs"_s, {}, bearer(token)).status, 200);
    m_db->db().exec(u"UPDATE auth_tokens SET expires_at = '2000-01-01T00:00:00.000Z', "
                    "created_at = '1999-01-01T00:00:00.000Z'"_s);
    QTest::qWait(1100); // a server caches a valid token for at most a second
    QCOMPARE(client.request("GET", u"/api/tabs"_s, {}, bearer(token)).status, 401);
}

void ServerTest::orderLifecycle()
{
    const QByteArray token = addUserAndLogin(nextName(u"Life"_s));
    QVERIFY(!token.isEmpty());
    HttpClient client(m_port);
    QCOMPARE(client.request("GET", u"/api/order-sessions/current"_s, {}, bearer(token)).status,
             404);
    Response opened = client.request("POST", u"/api/order-sessions"_s, {}, bearer(token));
    QCOMPARE(opened.status, 200);
    const QJsonObject order = opened.json();
    QCOMPARE(order.value(u"status"_s).toString(), u"active"_s);
    QCOMPARE(order.value(u"version"_s).toInt(), 1);
    for (const QString &key : {u"id"_s, u"userId"_s, u"items"_s, u"tabId"_s, u"logoutTime"_s,
                               u"createdAt"_s, u"updatedAt"_s, u"total"_s})
        QVERIFY2(order.contains(key), qPrintable(key));
    QCOMPARE(opened.header("etag"), "\"1\"");

    Response current = client.request("GET", u"/api/order-sessions/current"_s, {}, bearer(token));
    QCOMPARE(current.status, 200);
    QCOMPARE(current.json().value(u"id"_s), order.value(u"id"_s));

    Response added = client.request("POST", u"/api/order-sessions/current/items"_s,
                                    json({{u"sku"_s, u"COF-ESP"_s}, {u"qty"_s, 2}}), bearer(token));
    QCOMPARE(added.status, 200);
    QCOMPARE(added.json().value(u"total"_s).toInt(), 440);
    QCOMPARE(added.json().value(u"version"_s).toInt(), 2);

    const QByteArray items =
        json({{u"items"_s, QJsonArray{QJsonObject{{u"sku"_s, u"BAK-CRO"_s}, {u"qty"_s, 1}},
                                      QJsonObject{{u"name"_s, u"Cake"_s},
                                                  {u"unitPriceCents"_s, 500},
                                                  {u"qty"_s, 1}}}}});
    QCOMPARE(client.request("PUT", u"/api/order-sessions/current"_s, items, bearer(token)).status,
             428);
    Response stale = client.request("PUT", u"/api/order-sessions/current"_s, items,
                                    bearer(token, {{"If-Match", "\"1\""}}));
    QCOMPARE(stale.status, 409);
    QCOMPARE(stale.json().value(u"code"_s).toString(), u"conflict"_s);
    QCOMPARE(stale.json().value(u"order"_s).toObject().value(u"version"_s).toInt(), 2);
    Response replaced = client.request("PUT", u"/api/order-sessions/current"_s, items,
                                       bearer(token, {{"If-Match", "2"}}));
    QCOMPARE(replaced.status, 200);
    QCOMPARE(replaced.json().value(u"items"_s).toArray().size(), 2);
    QCOMPARE(replaced.json().value(u"total"_s).toInt(), 690);
    QCOMPARE(client
                 .request("PUT", u"/api/order-sessions/current"_s, items,
                          bearer(token, {{"If-Match", "abc"}}))
                 .status,
             400);

    Response loggedOut =
        client.request("PUT", u"/api/order-sessions/current/logout"_s, {}, bearer(token));
    QCOMPARE(loggedOut.status, 200);
    QCOMPARE(loggedOut.json().value(u"status"_s).toString(), u"pending_logout"_s);
    QVERIFY(loggedOut.json().value(u"logoutTime"_s).isString());
    QCOMPARE(client.request("GET", u"/api/order-sessions/current"_s, {}, bearer(token)).status,
             404);
    QCOMPARE(
        client.request("PUT", u"/api/order-sessions/current/logout"_s, {}, bearer(token)).status,
        404);
    Response resumed = client.request("POST", u"/api/order-sessions"_s, {}, bearer(token));
    QCOMPARE(resumed.status, 200);
    QCOMPARE(resumed.json().value(u"id"_s), order.value(u"id"_s)); // kept, never lost
    QCOMPARE(resumed.json().value(u"status"_s).toString(), u"active"_s);
    QCOMPARE(resumed.json().value(u"items"_s).toArray().size(), 2);

    QCOMPARE(client
                 .request("PUT", u"/api/order-sessions/current/complete"_s,
                          json({{u"method"_s, u"card"_s}, {u"tenderedCents"_s, 100}}),
                          bearer(token))
                 .status,
             422); // card is for the exact total
    QCOMPARE(client
                 .request("PUT", u"/api/order-sessions/current/complete"_s,
                          json({{u"method"_s, u"cash"_s}, {u"tenderedCents"_s, -5}}), bearer(token))
                 .status,
             422);
    Response paid =
        client.request("PUT", u"/api/order-sessions/current/complete"_s,
                       json({{u"method"_s, u"cash"_s}, {u"tenderedCents"_s, 1000}}), bearer(token));
    QCOMPARE(paid.status, 200);
    QCOMPARE(paid.json().value(u"status"_s).toString(), u"completed"_s);
    QCOMPARE(paid.json().value(u"payment"_s).toObject().value(u"changeCents"_s).toInt(), 310);
    QCOMPARE(client
                 .request("PUT", u"/api/order-sessions/current/complete"_s,
                          json({{u"method"_s, u"cash"_s}, {u"tenderedCents"_s, 1000}}),
                          bearer(token))
                 .status,
             404);

    // Opening with items.
    Response withItems = client.request(
        "POST", u"/api/order-sessions"_s,
        json({{u"items"_s, QJsonArray{QJsonObject{{u"sku"_s, u"COF-ESP"_s}, {u"qty"_s, 3}}}}}),
        bearer(token));
    QCOMPARE(withItems.status, 200);
    QCOMPARE(withItems.json().value(u"total"_s).toInt(), 660);
    QVERIFY(withItems.json().value(u"id"_s) != order.value(u"id"_s));
}

// PUT /current takes back what GET /current returned: its read-only members (the order's ids,
// status, version, totals; a line's number and total, a catalog line's name and price) are
// ignored when they say what GET said, and refused with a 400 naming the member otherwise.
void ServerTest::putAcceptsWhatGetReturns()
{
    const QByteArray token = addUserAndLogin(nextName(u"Echo"_s));
    HttpClient client(m_port);
    QCOMPARE(client.request("POST", u"/api/order-sessions"_s, {}, bearer(token)).status, 200);
    QCOMPARE(client
                 .request("POST", u"/api/order-sessions/current/items"_s,
                          json({{u"sku"_s, u"COF-ESP"_s}, {u"qty"_s, 2}}), bearer(token))
                 .status,
             200);
    QCOMPARE(client
                 .request("POST", u"/api/order-sessions/current/items"_s,
                          json({{u"name"_s, u"Cake"_s}, {u"unitPriceCents"_s, 500}}), bearer(token))
                 .status,
             200);
    auto get = [&] {
        Response current =
            client.request("GET", u"/api/order-sessions/current"_s, {}, bearer(token));
        return current.json();
    };
    auto put = [&](const QJsonObject &body, int version) {
        return client.request(
            "PUT", u"/api/order-sessions/current"_s, json(body),
            bearer(token, {{"If-Match", '"' + QByteArray::number(version) + '"'}}));
    };
    auto withItem = [](QJsonObject order, int index, const QString &member,
                       const QJsonValue &value) {
        QJsonArray items = order.value(u"items"_s).toArray();
        QJsonObject item = items.at(index).toObject();
        item.insert(member, value);
        items[index] = item;
        order.insert(u"items"_s, items);
        return order;
    };

    // GET, change a quantity, PUT the same JSON back: accepted, the stale totals ignored.
    QJsonObject shown = get();
    QCOMPARE(shown.value(u"version"_s).toInt(), 3);
    QCOMPARE(shown.value(u"total"_s).toInt(), 940);
    Response replaced = put(withItem(shown, 0, u"qty"_s, 3), 3);
    QCOMPARE(replaced.status, 200);
    QJsonObject order = replaced.json();
    QCOMPARE(order.value(u"version"_s).toInt(), 4);
    QCOMPARE(order.value(u"total"_s).toInt(), 3 * 220 + 500);
    QJsonArray items = order.value(u"items"_s).toArray();
    QCOMPARE(items.size(), 2);
    QCOMPARE(items.at(0).toObject().value(u"sku"_s).toString(), u"COF-ESP"_s);
    QCOMPARE(items.at(0).toObject().value(u"qty"_s).toInt(), 3);
    QCOMPARE(items.at(1).toObject().value(u"sku"_s), QJsonValue(QJsonValue::Null));
    QCOMPARE(items.at(1).toObject().value(u"name"_s).toString(), u"Cake"_s);
    QCOMPARE(get(), order); // what was answered is what is stored

    // Exactly as GET returned it, with the new totals: accepted too.
    QCOMPARE(put(order, 4).status, 200);
    shown = get();
    QCOMPARE(shown.value(u"version"_s).toInt(), 5);

    // Inconsistent read-only members: 400 naming the member, nothing changed.
    struct Case
    {
        QJsonObject body;
        QString field;
    };
    QJsonObject wrongUser = shown;
    wrongUser.insert(u"userName"_s, u"Mallory"_s);
    QJsonObject wrongVersion = shown;
    wrongVersion.insert(u"version"_s, 4);
    QJsonObject wrongTotal = shown;
    wrongTotal.insert(u"total"_s, 1);
    QJsonObject wrongStatus = shown;
    wrongStatus.insert(u"status"_s, u"completed"_s);
    // Issue 14: an order shows its tax table and currency, each line the tax it was added with.
    QCOMPARE(shown.value(u"currency"_s).toString(), u"EUR"_s);
    QVERIFY(shown.value(u"taxes"_s).isArray());
    QVERIFY(shown.value(u"items"_s).toArray().at(0).toObject().contains(u"taxRateBp"_s));
    QJsonObject wrongCurrency = shown;
    wrongCurrency.insert(u"currency"_s, u"USD"_s);
    QJsonObject wrongTaxes = shown;
    wrongTaxes.insert(u"taxes"_s, QJsonArray{QJsonObject{{u"code"_s, u"X"_s}}});
    const QList<Case> cases{
        {withItem(shown, 0, u"taxRateBp"_s, 1234), u"items[0].taxRateBp"_s},
        {withItem(shown, 0, u"taxCode"_s, u"STD"_s), u"items[0].taxCode"_s},
        {wrongCurrency, u"currency"_s},
        {wrongTaxes, u"taxes"_s},
        {withItem(shown, 0, u"totalCents"_s, 1), u"items[0].totalCents"_s},
        {withItem(shown, 1, u"totalCents"_s, 499), u"items[1].totalCents"_s},
        {withItem(shown, 0, u"line"_s, 999), u"items[0].line"_s},
        {withItem(shown, 0, u"unitPriceCents"_s, 1), u"items[0].unitPriceCents"_s},
        {withItem(shown, 0, u"name"_s, u"Free coffee"_s), u"items[0].name"_s},
        {wrongUser, u"userName"_s},
        {wrongVersion, u"version"_s},
        {wrongTotal, u"total"_s},
        {wrongStatus, u"status"_s},
    };
    for (const Case &refused : cases) {
        const Response answer = put(refused.body, 5);
        QCOMPARE(answer.status, 400);
        QCOMPARE(answer.json().value(u"code"_s).toString(), u"read_only_mismatch"_s);
        QCOMPARE(answer.json().value(u"field"_s).toString(), refused.field);
        QVERIFY2(
            answer.json().value(u"error"_s).toString().contains(refused.field.section(u'.', -1)),
            qPrintable(answer.json().value(u"error"_s).toString()));
    }
    QCOMPARE(get(), shown);

    // A stale copy is a conflict (409 with the order as it is), not a read-only mismatch.
    const Response stale = put(order, 4);
    QCOMPARE(stale.status, 409);
    QCOMPARE(stale.json().value(u"order"_s).toObject().value(u"version"_s).toInt(), 5);
    // Members that are not the order's are still refused as before.
    QJsonObject unknown = shown;
    unknown.insert(u"evil"_s, true);
    QCOMPARE(put(unknown, 5).status, 422);
    QCOMPARE(get(), shown);
}

void ServerTest::itemsValidation()
{
    const QByteArray token = addUserAndLogin(nextName(u"Valid"_s));
    HttpClient client(m_port);
    QCOMPARE(client.request("POST", u"/api/order-sessions"_s, {}, bearer(token)).status, 200);
    const Headers v1 = bearer(token, {{"If-Match", "1"}});
    auto put = [&](const QByteArray &body) {
        return client.request("PUT", u"/api/order-sessions/current"_s, body, v1).status;
    };
    QCOMPARE(put("not json"), 400);
    QCOMPARE(put("[1,2"), 400);
    QCOMPARE(put("{\"items\":[{\"sku\":\"COF-ESP\",\"qty\":-1}]}"), 422);
    QCOMPARE(put("{\"items\":[{\"sku\":\"COF-ESP\",\"qty\":1.5}]}"), 422);
    QCOMPARE(put("{\"items\":[{\"sku\":\"COF-ESP\",\"qty\":100000000}]}"), 422);
    QCOMPARE(put("{\"items\":[{\"sku\":\"COF-ESP\",\"qty\":\"2\"}]}"), 422);
    QCOMPARE(put("{\"items\":[{\"sku\":\"NOPE\",\"qty\":1}]}"), 422);
    QCOMPARE(put("{\"items\":[{\"name\":\"X\",\"qty\":1}]}"), 422);
    QCOMPARE(put("{\"items\":[{\"name\":\"X\",\"unitPriceCents\":-1,\"qty\":1}]}"), 422);
    QCOMPARE(put("{\"items\":[{\"name\":\"X\",\"unitPriceCents\":1e12,\"qty\":1}]}"), 422);
    QCOMPARE(put("{\"items\":[{\"sku\":\"COF-ESP\",\"qty\":1,\"evil\":true}]}"), 422);
    QCOMPARE(put("{\"items\":\"COF-ESP\"}"), 422);
    auto add = [&](const QByteArray &body) {
        return client.request("POST", u"/api/order-sessions/current/items"_s, body, bearer(token))
            .status;
    };
    QCOMPARE(add("{\"sku\":\"NOPE\"}"), 422);
    QCOMPARE(add("{\"sku\":\"COF-ESP\",\"qty\":0}"), 422);
    QCOMPARE(add("{\"sku\":\"COF-ESP\",\"qty\":10000}"), 422);
    QCOMPARE(add("{\"sku\":5}"), 422);
    QCOMPARE(add("{\"sku\":\"COF-ESP\",\"extra\":1}"), 422);
    QCOMPARE(add("{"), 400);
    // Nothing above changed the order.
    Response current = client.request("GET", u"/api/order-sessions/current"_s, {}, bearer(token));
    QCOMPARE(current.json().value(u"version"_s).toInt(), 1);
    QCOMPARE(current.json().value(u"items"_s).toArray().size(), 0);
}

void ServerTest::tabs()
{
    const QByteArray token = addUserAndLogin(nextName(u"Tabber"_s));
    openWithItem(token, 2);
    HttpClient client(m_port);
    const QString tabName = nextName(u"Table"_s);
    Response assigned = client.request("PUT", u"/api/order-sessions/current/assign-tab"_s,
                                       json({{u"tabName"_s, tabName}}), bearer(token));
    QCOMPARE(assigned.status, 200);
    QCOMPARE(assigned.json().value(u"status"_s).toString(), u"assigned"_s);
    const QString tabId = assigned.json().value(u"tabId"_s).toString();
    QVERIFY(!tabId.isEmpty());
    QCOMPARE(client.request("GET", u"/api/order-sessions/current"_s, {}, bearer(token)).status,
             404);
    Response list = client.request("GET", u"/api/tabs"_s, {}, bearer(token));
    QCOMPARE(list.status, 200);
    bool found = false;
    int version = 0;
    for (const QJsonValue &tab : list.json().value(u"tabs"_s).toArray()) {
        if (tab.toObject().value(u"id"_s).toString() == tabId) {
            found = true;
            version = tab.toObject().value(u"version"_s).toInt();
            QCOMPARE(tab.toObject().value(u"total"_s).toInt(), 440);
        }
    }
    QVERIFY(found);
    QCOMPARE(client
                 .request("PUT", u"/api/tabs/%1/settle"_s.arg(tabId),
                          json({{u"method"_s, u"cash"_s}, {u"tenderedCents"_s, 500}}),
                          bearer(token, {{"If-Match", QByteArray::number(version + 5)}}))
                 .status,
             409);
    Response settled =
        client.request("PUT", u"/api/tabs/%1/settle"_s.arg(tabId),
                       json({{u"method"_s, u"cash"_s}, {u"tenderedCents"_s, 500}}), bearer(token));
    QCOMPARE(settled.status, 200);
    QCOMPARE(settled.json().value(u"status"_s).toString(), u"settled"_s);
    Response again =
        client.request("PUT", u"/api/tabs/%1/settle"_s.arg(tabId),
                       json({{u"method"_s, u"cash"_s}, {u"tenderedCents"_s, 500}}), bearer(token));
    QCOMPARE(again.status, 409);
    QVERIFY(again.json().contains(u"tab"_s));
    QCOMPARE(client
                 .request("PUT", u"/api/tabs/no-such-tab/settle"_s,
                          json({{u"method"_s, u"cash"_s}, {u"tenderedCents"_s, 500}}),
                          bearer(token))
                 .status,
             404);
    QCOMPARE(client.request("GET", u"/api/tabs/%1/settle"_s.arg(tabId), {}, bearer(token)).status,
             405);
    QCOMPARE(count(u"SELECT COUNT(*) FROM payments WHERE tab_id = ?"_s, {tabId}), 1);
}

void ServerTest::completeThenUpdateIsRefused()
{
    const QByteArray token = addUserAndLogin(nextName(u"Late"_s));
    openWithItem(token);
    HttpClient client(m_port);
    Response paid = client.request("PUT", u"/api/order-sessions/current/complete"_s,
                                   json({{u"method"_s, u"cash"_s}, {u"tenderedCents"_s, 220}}),
                                   bearer(token, {{"If-Match", "2"}}));
    QCOMPARE(paid.status, 200);
    const QByteArray items =
        json({{u"items"_s, QJsonArray{QJsonObject{{u"sku"_s, u"COF-ESP"_s}, {u"qty"_s, 5}}}}});
    QCOMPARE(client
                 .request("PUT", u"/api/order-sessions/current"_s, items,
                          bearer(token, {{"If-Match", "2"}}))
                 .status,
             404);
    QCOMPARE(client
                 .request("POST", u"/api/order-sessions/current/items"_s,
                          json({{u"sku"_s, u"COF-ESP"_s}}), bearer(token))
                 .status,
             404);
    QCOMPARE(client
                 .request("PUT", u"/api/order-sessions/current/assign-tab"_s,
                          json({{u"tabName"_s, u"Late tab"_s}}), bearer(token))
                 .status,
             404);
    const QString orderId = paid.json().value(u"id"_s).toString();
    QCOMPARE(count(u"SELECT SUM(quantity) FROM order_lines WHERE order_id = ?"_s, {orderId}), 1);
    QCOMPARE(count(u"SELECT COUNT(*) FROM payments WHERE order_id = ?"_s, {orderId}), 1);
}

void ServerTest::idempotencyReplays()
{
    const QByteArray token = addUserAndLogin(nextName(u"Idem"_s));
    openWithItem(token);
    HttpClient client(m_port);
    const QByteArray body = json({{u"sku"_s, u"BAK-CRO"_s}, {u"qty"_s, 2}});
    Response first = client.request("POST", u"/api/order-sessions/current/items"_s, body,
                                    bearer(token, {{"Idempotency-Key", "add-1"}}));
    QCOMPARE(first.status, 200);
    QVERIFY(first.header("idempotent-replayed").isEmpty());
    Response second = client.request("POST", u"/api/order-sessions/current/items"_s, body,
                                     bearer(token, {{"Idempotency-Key", "add-1"}}));
    QCOMPARE(second.status, 200);
    QCOMPARE(second.header("idempotent-replayed"), "true");
    QCOMPARE(second.body, first.body); // the response is a function of the stored result
    Response different = client.request("POST", u"/api/order-sessions/current/items"_s,
                                        json({{u"sku"_s, u"BAK-CRO"_s}, {u"qty"_s, 3}}),
                                        bearer(token, {{"Idempotency-Key", "add-1"}}));
    QCOMPARE(different.status, 422);
    QCOMPARE(different.json().value(u"code"_s).toString(), u"idempotency_key_reused"_s);
    // The same key on another endpoint is another request too.
    QCOMPARE(client
                 .request("PUT", u"/api/order-sessions/current/logout"_s, {},
                          bearer(token, {{"Idempotency-Key", "add-1"}}))
                 .status,
             422);
    QCOMPARE(client
                 .request("POST", u"/api/order-sessions/current/items"_s, body,
                          bearer(token, {{"Idempotency-Key", "bad key!"}}))
                 .status,
             400);
    // Keys are per user: another user's "add-1" is a different request.
    const QByteArray other = addUserAndLogin(nextName(u"Idem"_s));
    openWithItem(other);
    Response others = client.request("POST", u"/api/order-sessions/current/items"_s, body,
                                     bearer(other, {{"Idempotency-Key", "add-1"}}));
    QCOMPARE(others.status, 200);
    QVERIFY(others.header("idempotent-replayed").isEmpty());

    // Complete with a key: the replay after completion still answers 200 with the same order,
    // and a complete without the key is 404 (no current order).
    const QByteArray pay = json({{u"method"_s, u"cash"_s}, {u"tenderedCents"_s, 10000}});
    Response paid = client.request("PUT", u"/api/order-sessions/current/complete"_s, pay,
                                   bearer(token, {{"Idempotency-Key", "pay-1"}}));
    QCOMPARE(paid.status, 200);
    Response replay = client.request("PUT", u"/api/order-sessions/current/complete"_s, pay,
                                     bearer(token, {{"Idempotency-Key", "pay-1"}}));
    QCOMPARE(replay.status, 200);
    QCOMPARE(replay.body, paid.body);
    QCOMPARE(replay.header("idempotent-replayed"), "true");
    // A retried add whose order has since been paid replays too (it goes to the stored order).
    Response lateReplay = client.request("POST", u"/api/order-sessions/current/items"_s, body,
                                         bearer(token, {{"Idempotency-Key", "add-1"}}));
    QCOMPARE(lateReplay.status, 200);
    QCOMPARE(lateReplay.body, first.body);
    // A key binds the whole request: first used to open with no body, then with items, it is
    // refused as reused (the items are not added to the order the first request opened)...
    const QByteArray opener = addUserAndLogin(nextName(u"Idem"_s));
    QCOMPARE(client
                 .request("POST", u"/api/order-sessions"_s, {},
                          bearer(opener, {{"Idempotency-Key", "open-1"}}))
                 .status,
             200);
    Response withItems = client.request(
        "POST", u"/api/order-sessions"_s,
        json({{u"items"_s, QJsonArray{QJsonObject{{u"sku"_s, u"BAK-CRO"_s}, {u"qty"_s, 1}}}}}),
        bearer(opener, {{"Idempotency-Key", "open-1"}}));
    QCOMPARE(withItems.status, 422);
    QCOMPARE(withItems.json().value(u"code"_s).toString(), u"idempotency_key_reused"_s);
    // ...also when the first request failed half-way (its items were refused): the key is spent.
    const QByteArray failer = addUserAndLogin(nextName(u"Idem"_s));
    Response failed = client.request(
        "POST", u"/api/order-sessions"_s,
        json({{u"items"_s, QJsonArray{QJsonObject{{u"sku"_s, u"NO-SUCH"_s}, {u"qty"_s, 1}}}}}),
        bearer(failer, {{"Idempotency-Key", "open-2"}}));
    QCOMPARE(failed.status, 422);
    QCOMPARE(failed.json().value(u"code"_s).toString(), u"invalid_input"_s);
    Response retried = client.request(
        "POST", u"/api/order-sessions"_s,
        json({{u"items"_s, QJsonArray{QJsonObject{{u"sku"_s, u"BAK-CRO"_s}, {u"qty"_s, 1}}}}}),
        bearer(failer, {{"Idempotency-Key", "open-2"}}));
    QCOMPARE(retried.status, 422);
    QCOMPARE(retried.json().value(u"code"_s).toString(), u"idempotency_key_reused"_s);
    // If-Match is part of the request: the same key with another If-Match is refused.
    QCOMPARE(client
                 .request("PUT", u"/api/order-sessions/current/complete"_s, pay,
                          bearer(token, {{"Idempotency-Key", "pay-1"}, {"If-Match", "9"}}))
                 .status,
             422);
    QCOMPARE(
        client.request("PUT", u"/api/order-sessions/current/complete"_s, pay, bearer(token)).status,
        404);
    QCOMPARE(count(u"SELECT COUNT(*) FROM payments WHERE order_id = ?"_s,
                   {paid.json().value(u"id"_s).toString()}),
             1);
}

void ServerTest::unknownRoutesAndMethods()
{
    HttpClient client(m_port);
    Response unknown = client.request("GET", u"/api/nothing-here"_s);
    QCOMPARE(unknown.status, 404);
    QCOMPARE(unknown.json().value(u"code"_s).toString(), u"not_found"_s);
    Response wrong = client.request("DELETE", u"/api/order-sessions/current"_s);
    QCOMPARE(wrong.status, 405);
    QCOMPARE(wrong.header("allow"), "GET, PUT");
    QCOMPARE(client.request("GET", u"/api/auth/login"_s).status, 405);
    QCOMPARE(client.request("POST", u"/healthz"_s).status, 405);
    QCOMPARE(client.request("PATCH", u"/api/order-sessions/current/complete"_s).status, 405);
    QCOMPARE(client.request("GET", u"/healthz"_s).status, 200); // the connection is still usable
}

void ServerTest::oversizedRequests()
{
    {
        // Refused from Content-Length alone, before the body is sent.
        HttpClient client(m_port);
        client.sendRaw("PUT /api/order-sessions/current HTTP/1.1\r\nHost: x\r\n"
                       "Content-Length: 2000000\r\n\r\n");
        const Response response = client.receive();
        QCOMPARE(response.status, 413);
        QCOMPARE(response.json().value(u"code"_s).toString(), u"body_too_large"_s);
        QVERIFY(client.waitClosed(3000));
    }
    {
        HttpClient client(m_port);
        client.sendRaw("GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + QByteArray(40000, 'a') +
                       "\r\n\r\n");
        QCOMPARE(client.receive().status, 431);
        QVERIFY(client.waitClosed(3000));
    }
    {
        HttpClient client(m_port);
        client.sendRaw(
            "POST /api/auth/login HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
            "5\r\nhello\r\n0\r\n\r\n");
        QCOMPARE(client.receive().status, 411);
        QVERIFY(client.waitClosed(3000));
    }
    {
        // Just under the cap is read in full (and refused for what it is, not its size).
        HttpClient client(m_port);
        const QByteArray body = "{\"username\":\"" + QByteArray(1000000, 'x') + "\"}";
        QCOMPARE(client.request("POST", u"/api/auth/login"_s, body).status, 422);
    }
    HttpClient client(m_port);
    QCOMPARE(client.request("GET", u"/healthz"_s).status, 200);
}

void ServerTest::idleAndHalfSentConnectionsClose()
{
    // The server runs with --idle-timeout-ms 1500.
    QElapsedTimer timer;
    timer.start();
    HttpClient idle(m_port);
    QVERIFY(idle.waitClosed(5000));
    QVERIFY2(timer.elapsed() >= 1000, "closed too early");

    HttpClient used(m_port);
    QCOMPARE(used.request("GET", u"/healthz"_s).status, 200);
    QVERIFY(used.waitClosed(5000)); // idle after a response, too

    HttpClient halfHead(m_port);
    halfHead.sendRaw("GET /healthz HTTP/1.1\r\nHost: x\r\n");
    QCOMPARE(halfHead.receive(5000).status, 408);
    QVERIFY(halfHead.waitClosed(3000));

    // A trickle of bytes does not keep a half-sent request alive.
    HttpClient trickle(m_port);
    trickle.sendRaw("POST /api/auth/login HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{");
    timer.restart();
    bool closed = false;
    while (timer.elapsed() < 6000 && !(closed = trickle.waitClosed(300)))
        trickle.sendRaw(" ");
    QVERIFY2(closed, "a slowly trickled request kept its connection");
}

void ServerTest::connectionCloseAndHttp10()
{
    HttpClient close(m_port);
    close.send("GET", u"/healthz"_s, {}, {{"Connection", "close"}});
    const Response closed = close.receive();
    QCOMPARE(closed.status, 200);
    QCOMPARE(closed.header("connection"), "close");
    QVERIFY(close.waitClosed(1000));

    HttpClient old(m_port);
    old.sendRaw("GET /healthz HTTP/1.0\r\n\r\n");
    QCOMPARE(old.receive().status, 200);
    QVERIFY(old.waitClosed(1000));

    HttpClient keepAlive10(m_port);
    keepAlive10.sendRaw("GET /healthz HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
    QCOMPARE(keepAlive10.receive().status, 200);
    keepAlive10.sendRaw("GET /healthz HTTP/1.0\r\n\r\n");
    QCOMPARE(keepAlive10.receive().status, 200);
    QVERIFY(keepAlive10.waitClosed(1000));

    // Keep-alive: many requests on one connection.
    HttpClient keep(m_port);
    for (int i = 0; i < 20; ++i)
        QCOMPARE(keep.request("GET", u"/healthz"_s).status, 200);
}

void ServerTest::malformedAndPipelinedRequests()
{
    {
        HttpClient client(m_port);
        client.sendRaw("GARBAGE\r\n\r\n");
        QCOMPARE(client.receive().status, 400);
        QVERIFY(client.waitClosed(2000));
    }
    {
        // An obsolete folded header line.
        HttpClient client(m_port);
        client.sendRaw("GET /healthz HTTP/1.1\r\nHost: x\r\n folded\r\n\r\n");
        QCOMPARE(client.receive(3000).status, 400);
        QVERIFY(client.waitClosed(2000));
    }
    {
        HttpClient client(m_port);
        client.sendRaw("GET /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n");
        QCOMPARE(client.receive().status, 400);
    }
    {
        // Pipelined in one write: each answered, in request order, on the open connection.
        const QByteArray token = login(u"Alice"_s, u"1234"_s);
        HttpClient client(m_port);
        client.sendRaw(
            "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Request-Id: p1\r\n\r\n"
            "GET /api/tabs HTTP/1.1\r\nHost: x\r\nX-Request-Id: p2\r\nAuthorization: Bearer " +
            token +
            "\r\n\r\n"
            "GET /nope HTTP/1.1\r\nHost: x\r\nX-Request-Id: p3\r\n\r\n");
        const Response first = client.receive();
        const Response second = client.receive();
        const Response third = client.receive();
        QCOMPARE(first.status, 200);
        QCOMPARE(first.header("X-Request-Id"), QByteArray("p1"));
        QCOMPARE(second.status, 200);
        QCOMPARE(second.header("X-Request-Id"), QByteArray("p2"));
        QVERIFY(second.json().value(u"tabs"_s).isArray());
        QCOMPARE(third.status, 404);
        QCOMPARE(third.header("X-Request-Id"), QByteArray("p3"));
        QCOMPARE(client.request("GET", u"/healthz"_s).status, 200); // still open
    }
    {
        // A long burst, past the number of answers the server owes one connection at a time:
        // it stops reading, answers, reads on — every answer, in order.
        HttpClient client(m_port);
        QByteArray burst;
        const int requests = 100;
        for (int i = 0; i < requests; ++i)
            burst += "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Request-Id: b" + QByteArray::number(i) +
                     "\r\n\r\n";
        client.sendRaw(burst);
        for (int i = 0; i < requests; ++i) {
            const Response response = client.receive();
            QCOMPARE(response.status, 200);
            QCOMPARE(response.header("X-Request-Id"), "b" + QByteArray::number(i));
        }
    }
    {
        // A malformed request after good ones: the good ones answered first, then 400 and close.
        HttpClient client(m_port);
        client.sendRaw("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\nGET /healthz HTTP/1.1\r\nHost: "
                       "x\r\n\r\nBAD\r\n\r\n");
        QCOMPARE(client.receive().status, 200);
        QCOMPARE(client.receive().status, 200);
        QCOMPARE(client.receive().status, 400);
        QVERIFY(client.waitClosed(2000));
    }
    {
        // Connection: close in the middle of a burst: answered up to it, the rest is not read.
        HttpClient client(m_port);
        client.sendRaw("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"
                       "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
                       "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
        QCOMPARE(client.receive().status, 200);
        const Response closing = client.receive();
        QCOMPARE(closing.status, 200);
        QCOMPARE(closing.header("Connection"), QByteArray("close"));
        QVERIFY(client.waitClosed(2000));
        QCOMPARE(client.receive(200).status, 0);
    }
    {
        // The second request arriving while the first is being answered: both, in order.
        const QByteArray token = login(u"Alice"_s, u"1234"_s);
        HttpClient client(m_port);
        client.send("GET", u"/api/tabs"_s, {}, bearer(token));
        QTest::qWait(20); // a separate read on the server, not a pipelined burst
        client.send("GET", u"/nope"_s);
        QCOMPARE(client.receive().status, 200);
        QCOMPARE(client.receive().status, 404);
    }
    {
        HttpClient client(m_port);
        client.sendRaw("GET /healthz HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: "
                       "Upgrade\r\n\r\n");
        QCOMPARE(client.receive().status, 501);
    }
    HttpClient client(m_port);
    QCOMPARE(client.request("GET", u"/healthz"_s).status, 200);
}

void ServerTest::pipelinedWritesRunInOrder()
{
    // Item adds pipelined in one write behave as if each had waited for its answer: applied in
    // request order (versions rise one by one), each answered, in order.
    const QByteArray token = addUserAndLogin(nextName(u"Pipe"_s));
    HttpClient client(m_port);
    const Response opened = client.request("POST", u"/api/order-sessions"_s, {}, bearer(token));
    QCOMPARE(opened.status, 200);
    const int startVersion = opened.json().value(u"version"_s).toInt();
    const QStringList skus{u"COF-ESP"_s, u"BAK-CRO"_s, u"COF-ESP"_s, u"BAK-CRO"_s, u"COF-ESP"_s};
    QByteArray burst;
    for (const QString &sku : skus) {
        const QByteArray body = json({{u"sku"_s, sku}});
        burst +=
            "POST /api/order-sessions/current/items HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " +
            token + "\r\nContent-Length: " + QByteArray::number(body.size()) + "\r\n\r\n" + body;
    }
    burst += "GET /api/order-sessions/current HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " +
             token + "\r\n\r\n";
    client.sendRaw(burst);
    for (qsizetype i = 0; i < skus.size(); ++i) {
        const Response added = client.receive();
        QCOMPARE(added.status, 200);
        QCOMPARE(added.json().value(u"version"_s).toInt(), startVersion + 1 + int(i));
    }
    const Response current = client.receive();
    QCOMPARE(current.status, 200);
    QCOMPARE(current.json().value(u"version"_s).toInt(), startVersion + int(skus.size()));
    const QJsonArray items = current.json().value(u"items"_s).toArray();
    QCOMPARE(items.size(), 2);
    QCOMPARE(items.at(0).toObject().value(u"qty"_s).toInt(), 3);
    QCOMPARE(items.at(1).toObject().value(u"qty"_s).toInt(), 2);
}

void ServerTest::openPriceItems()
{
    const QByteArray token = addUserAndLogin(nextName(u"Open"_s));
    HttpClient client(m_port);
    QCOMPARE(client.request("POST", u"/api/order-sessions"_s, {}, bearer(token)).status, 200);
    const QString path = u"/api/order-sessions/current/items"_s;
    Response added = client.request(
        "POST", path,
        json({{u"name"_s, u"Gift wrap"_s}, {u"unitPriceCents"_s, 250}, {u"qty"_s, 2}}),
        bearer(token, {{"Idempotency-Key", "wrap-1"}}));
    QCOMPARE(added.status, 200);
    QJsonArray items = added.json().value(u"items"_s).toArray();
    QCOMPARE(items.size(), 1);
    QJsonObject line = items.at(0).toObject();
    QVERIFY(line.value(u"sku"_s).isNull());
    QCOMPARE(line.value(u"name"_s).toString(), u"Gift wrap"_s);
    QCOMPARE(line.value(u"unitPriceCents"_s).toInteger(), 250);
    QCOMPARE(line.value(u"qty"_s).toInt(), 2);
    QCOMPARE(added.json().value(u"total"_s).toInteger(), 500);
    const int version = added.json().value(u"version"_s).toInt();

    // The same key again: the stored answer, nothing added.
    const Response replay = client.request(
        "POST", path,
        json({{u"name"_s, u"Gift wrap"_s}, {u"unitPriceCents"_s, 250}, {u"qty"_s, 2}}),
        bearer(token, {{"Idempotency-Key", "wrap-1"}}));
    QCOMPARE(replay.status, 200);
    QCOMPARE(replay.header("Idempotent-Replayed"), QByteArray("true"));
    QCOMPARE(replay.json().value(u"version"_s).toInt(), version);
    // ... and with another body: refused.
    QCOMPARE(client
                 .request("POST", path,
                          json({{u"name"_s, u"Gift wrap"_s}, {u"unitPriceCents"_s, 999}}),
                          bearer(token, {{"Idempotency-Key", "wrap-1"}}))
                 .status,
             422);

    // Open-price and catalog items side by side; a second open-price item is a line of its own.
    QCOMPARE(client.request("POST", path, json({{u"sku"_s, u"COF-ESP"_s}}), bearer(token)).status,
             200);
    added = client.request("POST", path,
                           json({{u"name"_s, u"  Gift   wrap "_s}, {u"unitPriceCents"_s, 0}}),
                           bearer(token));
    QCOMPARE(added.status, 200);
    items = added.json().value(u"items"_s).toArray();
    QCOMPARE(items.size(), 3);
    QCOMPARE(items.at(2).toObject().value(u"name"_s).toString(), u"Gift wrap"_s);
    QCOMPARE(items.at(2).toObject().value(u"qty"_s).toInt(), 1);
    const int versionBefore = added.json().value(u"version"_s).toInt();

    struct Bad
    {
        QByteArray body;
        int status;
    };
    const QList<Bad> bad{
        {R"({"name":"X","unitPriceCents":-1})", 422},
        {R"({"name":"X","unitPriceCents":100000000})", 422},
        {R"({"name":"X","unitPriceCents":1e300})", 422},
        {R"({"name":"X","unitPriceCents":2.5})", 422},
        {R"({"name":"X","unitPriceCents":"250"})", 422},
        {R"({"name":"X","unitPriceCents":null})", 422},
        {R"({"name":"X","unitPriceCents":true})", 422},
        {R"({"name":"X","unitPriceCents":250,"qty":0})", 422},
        {R"({"name":"X","unitPriceCents":250,"qty":-3})", 422},
        {R"({"name":"X","unitPriceCents":250,"qty":10000})", 422},
        {R"({"name":"X","unitPriceCents":250,"qty":"2"})", 422},
        {R"({"name":"X","unitPriceCents":250,"qty":1.5})", 422},
        {R"({"name":42,"unitPriceCents":250})", 422},
        {R"({"name":["X"],"unitPriceCents":250})", 422},
        {R"({"name":"","unitPriceCents":250})", 422},
        {R"({"name":"   ","unitPriceCents":250})", 422},
        {R"({"name":"ab","unitPriceCents":250})", 422},
        {"{\"name\":\"" + QByteArray(201, 'n') + "\",\"unitPriceCents\":250}", 422},
        {R"({"name":"X"})", 422},
        {R"({"unitPriceCents":250})", 422},
        {R"({"sku":"COF-ESP","name":"X","unitPriceCents":250})", 422},
        {R"({"sku":"COF-ESP","unitPriceCents":250})", 422},
        {R"({"name":"X","unitPriceCents":250,"discount":5})", 422},
        {R"({"name":"X","unit_price_cents":250})", 422},
        {R"([{"name":"X","unitPriceCents":250}])", 422},
        {R"({"name":"X","unitPriceCents":250)", 400},
        {"", 422},
    };
    for (const Bad &item : bad) {
        const Response response = client.request("POST", path, item.body, bearer(token));
        QVERIFY2(response.status == item.status,
                 (item.body.left(80) + " -> " + QByteArray::number(response.status)).constData());
        QVERIFY(!response.json().value(u"error"_s).toString().isEmpty());
    }
    const Response current =
        client.request("GET", u"/api/order-sessions/current"_s, {}, bearer(token));
    QCOMPARE(current.json().value(u"version"_s).toInt(), versionBefore); // nothing changed
    QCOMPARE(current.json().value(u"items"_s).toArray().size(), 3);

    // Concurrent open-price adds all survive.
    const QList<Response> responses = fireAll(m_port, 12, [&](HttpClient &c, int i) {
        c.send("POST", path,
               json({{u"name"_s, u"Misc %1"_s.arg(i)}, {u"unitPriceCents"_s, 100 + i}}),
               bearer(token));
    });
    for (const Response &response : responses)
        QCOMPARE(response.status, 200);
    const Response after =
        client.request("GET", u"/api/order-sessions/current"_s, {}, bearer(token));
    QCOMPARE(after.json().value(u"items"_s).toArray().size(), 15);
    QCOMPARE(after.json().value(u"version"_s).toInt(), versionBefore + 12);
}

// Issue 16: a catalog product sold at an open price is added with the price entered
// ({"sku", "unitPriceCents"}), refused without one; the same in a PUT of the item list and of
// what GET returned. A price for a fixed-price product stays refused.
void ServerTest::openPriceProducts()
{
    if (!CatalogService(m_db->db()).product(u"OPN-CAKE"_s)) {
        CatalogProduct cake;
        cake.product = Product{u"OPN-CAKE"_s, u"Cake slice"_s, 300, u"Bakery"_s, {}};
        cake.openPrice = true;
        QVERIFY(CatalogService(m_db->db()).add(cake, ChangeBy{}));
    }
    const QByteArray token = addUserAndLogin(nextName(u"Cake"_s));
    HttpClient client(m_port);
    QCOMPARE(client.request("POST", u"/api/order-sessions"_s, {}, bearer(token)).status, 200);
    const QString path = u"/api/order-sessions/current/items"_s;
    const Response without =
        client.request("POST", path, json({{u"sku"_s, u"OPN-CAKE"_s}}), bearer(token));
    QCOMPARE(without.status, 422);
    QVERIFY2(without.json().value(u"error"_s).toString().contains(u"price"_s),
             without.body.constData());
    Response added = client.request(
        "POST", path, json({{u"sku"_s, u"OPN-CAKE"_s}, {u"unitPriceCents"_s, 450}}), bearer(token));
    QCOMPARE(added.status, 200);
    QJsonObject line = added.json().value(u"items"_s).toArray().at(0).toObject();
    QCOMPARE(line.value(u"sku"_s).toString(), u"OPN-CAKE"_s);
    QCOMPARE(line.value(u"name"_s).toString(), u"Cake slice"_s);
    QCOMPARE(line.value(u"unitPriceCents"_s).toInteger(), 450);
    QVERIFY(!line.contains(u"listPriceCents"_s)); // not a price override
    added = client.request(
        "POST", path, json({{u"sku"_s, u"OPN-CAKE"_s}, {u"unitPriceCents"_s, 450}, {u"qty"_s, 2}}),
        bearer(token));
    QCOMPARE(added.status, 200);
    QCOMPARE(added.json().value(u"items"_s).toArray().size(), 1);
    QCOMPARE(added.json().value(u"items"_s).toArray().at(0).toObject().value(u"qty"_s).toInt(), 3);
    added = client.request(
        "POST", path, json({{u"sku"_s, u"OPN-CAKE"_s}, {u"unitPriceCents"_s, 300}}), bearer(token));
    QCOMPARE(added.status, 200);
    QJsonArray items = added.json().value(u"items"_s).toArray();
    QCOMPARE(items.size(), 2);
    QCOMPARE(items.at(1).toObject().value(u"unitPriceCents"_s).toInteger(), 300);
    QCOMPARE(added.json().value(u"total"_s).toInteger(), 3 * 450 + 300);
    const int version = added.json().value(u"version"_s).toInt();
    for (const QByteArray &bad : {QByteArray(R"({"sku":"OPN-CAKE","unitPriceCents":-1})"),
                                  QByteArray(R"({"sku":"OPN-CAKE","unitPriceCents":100000000})"),
                                  QByteArray(R"({"sku":"OPN-CAKE","unitPriceCents":4.5})"),
                                  QByteArray(R"({"sku":"COF-ESP","unitPriceCents":220})")}) {
        const Response refused = client.request("POST", path, bad, bearer(token));
        QVERIFY2(refused.status == 422, (bad + " -> " + refused.body).constData());
    }

    // PUT what GET returned: the entered prices stay.
    const Response current =
        client.request("GET", u"/api/order-sessions/current"_s, {}, bearer(token));
    QCOMPARE(current.json().value(u"version"_s).toInt(), version); // nothing changed
    Response put = client.request("PUT", u"/api/order-sessions/current"_s, current.body,
                                  bearer(token, {{"If-Match", QByteArray::number(version)}}));
    QVERIFY2(put.status == 200, put.body.constData());
    QCOMPARE(put.json().value(u"total"_s).toInteger(), 3 * 450 + 300);
    // A new list: the price given with the SKU; without one, refused.
    const QByteArray priced =
        json({{u"items"_s,
               QJsonArray{QJsonObject{
                              {u"sku"_s, u"OPN-CAKE"_s}, {u"unitPriceCents"_s, 125}, {u"qty"_s, 2}},
                          QJsonObject{{u"sku"_s, u"COF-ESP"_s}, {u"qty"_s, 1}}}}});
    put = client.request("PUT", u"/api/order-sessions/current"_s, priced,
                         bearer(token, {{"If-Match", QByteArray::number(version + 1)}}));
    QVERIFY2(put.status == 200, put.body.constData());
    items = put.json().value(u"items"_s).toArray();
    QCOMPARE(items.size(), 2);
    QCOMPARE(items.at(0).toObject().value(u"unitPriceCents"_s).toInteger(), 125);
    QCOMPARE(put.json().value(u"total"_s).toInteger(), 250 + 220);
    const QByteArray unpriced =
        json({{u"items"_s, QJsonArray{QJsonObject{{u"sku"_s, u"OPN-CAKE"_s}, {u"qty"_s, 1}}}}});
    put = client.request("PUT", u"/api/order-sessions/current"_s, unpriced,
                         bearer(token, {{"If-Match", QByteArray::number(version + 2)}}));
    QCOMPARE(put.status, 422);
}

// On PostgreSQL an item add is one server-side function (its own SQL, its own JSON of the order);
// everything else reads the order through the C++ model. The two must agree to the byte, refuse
// the same things, and leave the same history.
void ServerTest::itemAddsAnswerTheStoredOrder()
{
    const QByteArray token = addUserAndLogin(nextName(u"Same"_s));
    HttpClient client(m_port);
    const QString path = u"/api/order-sessions/current/items"_s;
    auto current = [&] {
        return client.request("GET", u"/api/order-sessions/current"_s, {}, bearer(token));
    };
    QCOMPARE(client.request("POST", path, json({{u"sku"_s, u"COF-ESP"_s}}), bearer(token)).status,
             404); // adding never opens an order
    const Response opened = client.request("POST", u"/api/order-sessions"_s, {}, bearer(token));
    QCOMPARE(opened.status, 200);
    const QString orderId = opened.json().value(u"id"_s).toString();

    Response added = client.request("POST", path, json({{u"sku"_s, u"COF-ESP"_s}, {u"qty"_s, 2}}),
                                    bearer(token));
    QCOMPARE(added.status, 200);
    QCOMPARE(added.body, current().body);
    added = client.request("POST", path, json({{u"sku"_s, u"COF-ESP"_s}}), bearer(token));
    QCOMPARE(added.status, 200);
    QCOMPARE(added.json().value(u"items"_s).toArray().size(), 1);
    QCOMPARE(added.body, current().body);
    added = client.request("POST", path,
                           json({{u"name"_s, u"Gift wrap"_s}, {u"unitPriceCents"_s, 250}}),
                           bearer(token, {{"Idempotency-Key", "same-wrap"}}));
    QCOMPARE(added.status, 200);
    QCOMPARE(added.body, current().body);
    QCOMPARE(added.header("etag"), "\"4\"");
    QStringList history;
    QSqlQuery &entries =
        m_db->db().exec(u"SELECT action, from_version, to_version, detail FROM order_history "
                        "WHERE order_id = ? ORDER BY id"_s,
                        {orderId});
    while (entries.next()) {
        const QString from = entries.isNull(1) ? u"-"_s : entries.value(1).toString();
        history << u"%1 %2>%3 %4"_s.arg(entries.value(0).toString(), from,
                                        entries.value(2).toString(), entries.value(3).toString());
    }
    entries.finish();
    QCOMPARE(history, QStringList({u"open ->1 opened"_s, u"add_item 1>2 line 1: COF-ESP x2"_s,
                                   u"add_item 2>3 line 1: COF-ESP +1"_s,
                                   u"add_open_item 3>4 line 2: Gift wrap x1 at 250"_s}));
    // The server is where sync ends: no outbox rows to send anywhere.
    QCOMPARE(count(u"SELECT COUNT(*) FROM outbox WHERE order_id = ?"_s, {orderId}), 0);

    // Refusals change nothing: an unknown SKU, a line over its limit, a parked order.
    const Response unknown =
        client.request("POST", path, json({{u"sku"_s, u"NO-SUCH"_s}}), bearer(token));
    QCOMPARE(unknown.status, 422);
    QCOMPARE(unknown.json().value(u"code"_s).toString(), u"unknown_sku"_s);
    const Response tooMany = client.request(
        "POST", path, json({{u"sku"_s, u"COF-ESP"_s}, {u"qty"_s, 9998}}), bearer(token));
    QCOMPARE(tooMany.status, 422);
    QVERIFY(tooMany.json().value(u"error"_s).toString().contains(u"at most 9999"_s));
    QCOMPARE(current().json().value(u"version"_s).toInt(), 4);
    QCOMPARE(
        client.request("PUT", u"/api/order-sessions/current/logout"_s, {}, bearer(token)).status,
        200);
    const Response parked =
        client.request("POST", path, json({{u"sku"_s, u"COF-ESP"_s}}), bearer(token));
    QCOMPARE(parked.status, 404);
    QCOMPARE(parked.json().value(u"code"_s).toString(), u"not_found"_s);
    // The keyed add replays even now that its order is parked.
    const Response replayed = client.request(
        "POST", path, json({{u"name"_s, u"Gift wrap"_s}, {u"unitPriceCents"_s, 250}}),
        bearer(token, {{"Idempotency-Key", "same-wrap"}}));
    QCOMPARE(replayed.status, 200);
    QCOMPARE(replayed.body, added.body);
    QCOMPARE(count(u"SELECT version FROM order_sessions WHERE id = ?"_s, {orderId}), 5);
    QCOMPARE(count(u"SELECT SUM(quantity) FROM order_lines WHERE order_id = ?"_s, {orderId}), 4);
}

void ServerTest::signOutRevokesTheToken()
{
    const QString name = nextName(u"Leaving"_s);
    const QByteArray token = addUserAndLogin(name);
    const QByteArray otherToken = login(name, u"4321"_s); // the same user on another till
    QVERIFY(!token.isEmpty() && !otherToken.isEmpty());
    ServerProcess second;
    QVERIFY(second.start(m_db->path()));
    HttpClient here(m_port);
    HttpClient there(second.port());
    // Both processes have seen (and may have cached) the token.
    QCOMPARE(here.request("GET", u"/api/tabs"_s, {}, bearer(token)).status, 200);
    QCOMPARE(there.request("GET", u"/api/tabs"_s, {}, bearer(token)).status, 200);

    QCOMPARE(here.request("POST", u"/api/auth/logout"_s, "{}", bearer(token)).status, 204);
    const Response refused = here.request("GET", u"/api/tabs"_s, {}, bearer(token));
    QCOMPARE(refused.status, 401);
    QCOMPARE(here.request("POST", u"/api/order-sessions"_s, {}, bearer(token)).status, 401);
    QCOMPARE(here.request("POST", u"/api/auth/logout"_s, {}, bearer(token)).status, 401);
    // The other process: refused as soon as its short cache of valid tokens lapses (bounded).
    QElapsedTimer timer;
    timer.start();
    int status = 0;
    while ((status = there.request("GET", u"/api/tabs"_s, {}, bearer(token)).status) == 200 &&
           timer.elapsed() < 10000)
        QTest::qWait(100);
    QCOMPARE(status, 401);
    // Only that token: the user's other sign-in still works, on both.
    QCOMPARE(here.request("GET", u"/api/tabs"_s, {}, bearer(otherToken)).status, 200);
    QCOMPARE(there.request("GET", u"/api/tabs"_s, {}, bearer(otherToken)).status, 200);
    // Sign-out needs a token; a body is not expected.
    QCOMPARE(here.request("POST", u"/api/auth/logout"_s).status, 401);
    QCOMPARE(
        here.request("POST", u"/api/auth/logout"_s, R"({"all":true})", bearer(otherToken)).status,
        422);
    QCOMPARE(here.request("GET", u"/api/auth/logout"_s, {}, bearer(otherToken)).status, 405);
    QCOMPARE(count(u"SELECT COUNT(*) FROM auth_tokens"_s) > 0, true);
    QCOMPARE(second.stop(), 0);
}

void ServerTest::httpsWithTls()
{
    // A self-signed certificate made now, for 127.0.0.1; the client trusts exactly it.
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString certPath = dir.filePath(u"cert.pem"_s);
    const QString keyPath = dir.filePath(u"key.pem"_s);
    QProcess openssl;
    openssl.start(u"openssl"_s,
                  {u"req"_s, u"-x509"_s, u"-newkey"_s, u"ec"_s, u"-pkeyopt"_s,
                   u"ec_paramgen_curve:prime256v1"_s, u"-nodes"_s, u"-days"_s, u"1"_s, u"-subj"_s,
                   u"/CN=127.0.0.1"_s, u"-addext"_s, u"subjectAltName=IP:127.0.0.1"_s, u"-keyout"_s,
                   keyPath, u"-out"_s, certPath});
    if (!openssl.waitForFinished(30000) || openssl.exitCode() != 0)
        QSKIP("The openssl command is not available to make a test certificate.");
    const QList<QSslCertificate> certificates = QSslCertificate::fromPath(certPath);
    QCOMPARE(certificates.size(), 1);

    ServerProcess server;
    connectionLogOn(server);
    QVERIFY(server.start(m_db->path(), {u"--tls-cert"_s, certPath, u"--tls-key"_s, keyPath,
                                        u"--idle-timeout-ms"_s, u"1500"_s}));
    const quint16 port = server.port();

    QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
    tls.setCaCertificates(certificates);
    tls.setPeerVerifyMode(QSslSocket::VerifyPeer);
    QNetworkAccessManager network;
    network.setTransferTimeout(20000);
    auto call = [&](const QByteArray &method, const QString &path, const QByteArray &body,
                    const QByteArray &token) {
        QNetworkRequest request(QUrl(u"https://127.0.0.1:%1%2"_s.arg(port).arg(path)));
        request.setSslConfiguration(tls);
        request.setHeader(QNetworkRequest::ContentTypeHeader, u"application/json"_s);
        if (!token.isEmpty())
            request.setRawHeader("Authorization", "Bearer " + token);
        std::unique_ptr<QNetworkReply> reply(network.sendCustomRequest(request, method, body));
        QSignalSpy finished(reply.get(), &QNetworkReply::finished);
        if (!reply->isFinished())
            finished.wait(30000);
        Response response;
        response.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        response.body = reply->readAll();
        if (reply->error() != QNetworkReply::NoError && response.status == 0)
            qWarning() << "HTTPS request failed:" << reply->errorString();
        return response;
    };
    const QString name = nextName(u"Secure"_s);
    QVERIFY(CashierService(m_db->db()).add(name, u"4321"_s));
    const Response signedIn = call("POST", u"/api/auth/login"_s,
                                   json({{u"username"_s, name}, {u"pin"_s, u"4321"_s}}), {});
    QCOMPARE(signedIn.status, 200);
    const QByteArray token = signedIn.json().value(u"token"_s).toString().toLatin1();
    QCOMPARE(call("POST", u"/api/order-sessions"_s, {}, token).status, 200);
    const Response added = call("POST", u"/api/order-sessions/current/items"_s,
                                json({{u"sku"_s, u"COF-ESP"_s}, {u"qty"_s, 2}}), token);
    QCOMPARE(added.status, 200);
    QCOMPARE(added.json().value(u"items"_s).toArray().size(), 1);

    // Plain HTTP to the TLS port: no answer, the connection is dropped, the server carries on.
    {
        HttpClient plain(port);
        plain.send("GET", u"/healthz"_s);
        QCOMPARE(plain.receive(3000).status, 0);
        QVERIFY(plain.waitClosed(10000));
    }
    // A client that connects and never starts (or never finishes) its handshake is closed.
    {
        HttpClient silent(port);
        HttpClient halfHello(port);
        halfHello.sendRaw(QByteArray::fromHex("160301"));
        QVERIFY(silent.waitClosed(10000));
        QVERIFY(halfHello.waitClosed(10000));
    }
    // After a finished handshake, an idle TLS connection is closed by the same timeout.
    {
        QSslSocket idle;
        idle.setSslConfiguration(tls);
        idle.connectToHostEncrypted(u"127.0.0.1"_s, port);
        QVERIFY(idle.waitForEncrypted(10000));
        QElapsedTimer timer;
        timer.start();
        while (idle.state() != QAbstractSocket::UnconnectedState && timer.elapsed() < 10000)
            idle.waitForDisconnected(100);
        QCOMPARE(idle.state(), QAbstractSocket::UnconnectedState);
    }
    const Response current = call("GET", u"/api/order-sessions/current"_s, {}, token);
    QCOMPARE(current.status, 200);
    QCOMPARE(current.json().value(u"total"_s).toInteger(), 2 * added.json()
                                                                   .value(u"items"_s)
                                                                   .toArray()
                                                                   .at(0)
                                                                   .toObject()
                                                                   .value(u"unitPriceCents"_s)
                                                                   .toInteger());

    // Every TLS connection that ends gives its socket back too, whichever side ends it.
    if (openFiles(server.pid()) >= 0) {
        QTest::qWait(2000); // the keep-alive connection above: closed by the idle timeout
        const qsizetype baseline = openFiles(server.pid());
        {
            std::vector<std::unique_ptr<QSslSocket>> sockets;
            for (int i = 0; i < 20; ++i) {
                auto socket = std::make_unique<QSslSocket>();
                socket->setSslConfiguration(tls);
                socket->connectToHostEncrypted(u"127.0.0.1"_s, port);
                QVERIFY(socket->waitForEncrypted(10000));
                socket->write("GET /healthz HTTP/1.1\r\nHost: x\r\n" +
                              QByteArray(i % 2 ? "Connection: close\r\n" : "") + "\r\n");
                QVERIFY(socket->waitForReadyRead(10000));
                QVERIFY(socket->readAll().startsWith("HTTP/1.1 200"));
                sockets.push_back(std::move(socket));
            }
            QVERIFY(openFiles(server.pid()) >= baseline + 10); // the open ones are held
        }                                                      // the clients close theirs
        const qsizetype after = openFilesSettled(server.pid(), baseline);
        QVERIFY2(after <= baseline,
                 qPrintable(u"%1 open files before, %2 after"_s.arg(baseline).arg(after)));
    }
    // Every connection accepted (handshake started) was freed, finished handshake or not.
    qsizetype accepted = 0;
    QVERIFY(allConnectionsFreed(server, &accepted));
    QVERIFY(accepted >= 20);
    QVERIFY(server.running());
    QCOMPARE(server.stop(), 0);
}

void ServerTest::protocolDetails()
{
    {
        // Expect: 100-continue: the interim answer comes before the body is sent.
        HttpClient client(m_port);
        const QByteArray body = json({{u"username"_s, u"Alice"_s}, {u"pin"_s, u"1234"_s}});
        client.sendRaw(
            "POST /api/auth/login HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: " +
            QByteArray::number(body.size()) + "\r\n\r\n");
        QCOMPARE(client.receive().status, 100);
        client.sendRaw(body);
        const Response signedIn = client.receive();
        QCOMPARE(signedIn.status, 200);
        QVERIFY(!signedIn.json().value(u"token"_s).toString().isEmpty());
    }
    struct Case
    {
        QByteArray raw;
        int status;
        bool closes;
    };
    const QList<Case> cases{
        {"HEAD /healthz HTTP/1.1\r\nHost: x\r\n\r\n", 405, true},
        {"OPTIONS /healthz HTTP/1.1\r\nHost: x\r\n\r\n", 405, false},
        {"GET /health%7A HTTP/1.1\r\nHost: x\r\n\r\n", 200, false}, // percent-decoded path
        {"GET /healthz?probe=1#x HTTP/1.1\r\nHost: x\r\n\r\n", 200,
         false},                                            // query and fragment ignored
        {"GET /healthz HTTP/1.1\nHost: x\n\n", 200, false}, // bare LF line ends
        {"GET /%zz HTTP/1.1\r\nHost: x\r\n\r\n", 400, true},
        {"GET /a%00b HTTP/1.1\r\nHost: x\r\n\r\n", 400, true},
        {"GET /%C3%28 HTTP/1.1\r\nHost: x\r\n\r\n", 400, true}, // not UTF-8
        {"GET http://x/healthz HTTP/1.1\r\nHost: x\r\n\r\n", 400, true},
        {"GET /healthz HTTP/1.1\r\nHost: x\r\nNoColon\r\n\r\n", 400, true},
        {"GET /healthz HTTP/1.1\r\nHost: x\r\nBad Name: x\r\n\r\n", 400, true},
        {"GET /healthz HTTP/1.1\r\nHost: x\r\nX: a\x01b\r\n\r\n", 400, true},
        {"GET /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab",
         400, true},
        {"GET /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999999999999\r\n\r\n", 400,
         true},
        {"POST /api/auth/login HTTP/1.1\r\nHost: x\r\nExpect: magic\r\nContent-Length: 2\r\n\r\n{}",
         417, true},
        {"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", 505, true},
        {"GET /healthz HTTP/1.1 extra\r\n\r\n", 400, true},
        // Host (RFC 9112, 3.2): required in HTTP/1.1, once, and a host; empty is allowed.
        {"GET /healthz HTTP/1.1\r\n\r\n", 400, true},
        {"GET /healthz HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", 400, true},
        {"GET /healthz HTTP/1.1\r\nHost: a b/c\r\n\r\n", 400, true},
        {"GET /healthz HTTP/1.1\r\nHost:\r\n\r\n", 200, false},
        {"GET /healthz HTTP/1.1\r\nHost: [::1]:8080\r\n\r\n", 200, false},
        {"GET /healthz HTTP/1.0\r\nConnection: keep-alive\r\n\r\n", 200, false},
    };
    for (const Case &item : cases) {
        HttpClient client(m_port);
        client.sendRaw(item.raw);
        const Response response = client.receive(5000);
        QVERIFY2(response.status == item.status,
                 (item.raw.left(60) + " -> " + QByteArray::number(response.status)).constData());
        if (item.status >= 400 && item.status != 404)
            QVERIFY(!response.json().value(u"code"_s).toString().isEmpty());
        if (item.closes)
            QVERIFY2(client.waitClosed(3000), item.raw.left(60).constData());
        else
            QCOMPARE(client.request("GET", u"/healthz"_s).status, 200);
    }
    // The structured request log: method, path, status, duration, request id.
    {
        HttpClient client(m_port);
        QCOMPARE(client.request("GET", u"/healthz"_s, {}, {{"X-Request-Id", "log-probe-1"}}).status,
                 200);
    }
    QElapsedTimer timer;
    timer.start();
    while (!m_server.log().contains(u"id=log-probe-1"_s) && timer.elapsed() < 5000)
        QTest::qWait(50);
    const QString log = m_server.log();
    QVERIFY2(log.contains(QRegularExpression(u"GET /healthz 200 [0-9.]+ms id=log-probe-1"_s)),
             qPrintable(log.right(500)));
}

void ServerTest::expiredTokenIsRefused()
{
    const QByteArray token = addUserAndLogin(nextName(u"Late"_s));
    HttpClient client(m_port);
    QCOMPARE(client.request("GET", u"/api/tabs"_s, {}, bearer(token)).status, 200);
    const QString hash =
        QString::fromLatin1(QCryptographicHash::hash(token, QCryptographicHash::Sha256).toHex());
    Database &db = m_db->db();
    const Result<int> expired = db.write([&] {
        return Result<int>::ok(db.change(
            u"UPDATE auth_tokens SET created_at = ?, expires_at = ? WHERE token_hash = ?"_s,
            {toStorageTime(QDateTime::currentDateTimeUtc().addSecs(-120)),
             toStorageTime(QDateTime::currentDateTimeUtc().addSecs(-60)), hash}));
    });
    QVERIFY2(expired, qPrintable(expired.message() + u' ' + expired.detail()));
    QCOMPARE(*expired, 1);
    // Refused once the server's short cache of valid tokens lapses (bounded wait).
    QElapsedTimer timer;
    timer.start();
    Response response;
    while ((response = client.request("GET", u"/api/tabs"_s, {}, bearer(token))).status == 200 &&
           timer.elapsed() < 10000)
        QTest::qWait(100);
    QCOMPARE(response.status, 401);
    QCOMPARE(response.header("WWW-Authenticate"), QByteArray("Bearer error=\"invalid_token\""));
}

void ServerTest::disconnectingClientsDoNotHurt()
{
    const QByteArray token = addUserAndLogin(nextName(u"Gone"_s));
    openWithItem(token);
    for (int round = 0; round < 5; ++round) {
        std::vector<std::unique_ptr<HttpClient>> clients;
        for (int i = 0; i < 20; ++i) {
            clients.push_back(std::make_unique<HttpClient>(m_port));
            clients.back()->send("POST", u"/api/order-sessions/current/items"_s,
                                 json({{u"sku"_s, u"BAK-CRO"_s}}), bearer(token));
        }
        for (auto &client : clients)
            client->abort(); // before the answers
    }
    HttpClient half(m_port);
    half.sendRaw("POST /api/auth/login HTTP/1.1\r\nHost: x\r\nContent-Length: 50\r\n\r\n{\"user");
    half.abort();
    QTest::qWait(300);
    QVERIFY2(m_server.running(), qPrintable(m_server.log()));
    HttpClient client(m_port);
    QCOMPARE(client.request("GET", u"/healthz"_s).status, 200);
}

void ServerTest::endedConnectionsAreFreed()
{
    // The server owns its sockets: every connection that ends, whichever side ends it (the client
    // closing, "Connection: close", the idle timeout, a refused request), is freed (its socket
    // object, from the connection log) and gives its file descriptor back (/proc/PID/fd).
    ServerProcess server;
    connectionLogOn(server);
    // 60 connections a round, while the last round's may not be freed yet: no per-address limit
    // (tst_server_limits tests that).
    QVERIFY(server.start(m_db->path(), {u"--idle-timeout-ms"_s, u"1000"_s,
                                        u"--max-connections-per-address"_s, u"0"_s}));
    const quint16 port = server.port();
    const qint64 pid = server.pid();
    const bool countFiles = openFiles(pid) >= 0;
    {
        HttpClient warm(port); // anything opened on first use is open before the baseline
        QCOMPARE(warm.request("GET", u"/healthz"_s).status, 200);
    }
    qsizetype accepted = 0;
    QVERIFY(allConnectionsFreed(server, &accepted));
    const qsizetype baseline = openFiles(pid);
    for (int round = 0; round < 3; ++round) {
        std::vector<std::unique_ptr<HttpClient>> clients;
        for (int i = 0; i < 60; ++i) {
            auto client = std::make_unique<HttpClient>(port);
            switch (i % 4) {
            case 0: // answered, then the client goes
                QCOMPARE(client->request("GET", u"/healthz"_s).status, 200);
                client->abort();
                break;
            case 1: // the server closes after its answer
                client->send("GET", u"/healthz"_s, {}, {{"Connection", "close"}});
                QCOMPARE(client->receive().status, 200);
                break;
            case 2: // refused, then closed by the server
                client->sendRaw("GET /healthz HTTP/1.1\r\n\r\n");
                QCOMPARE(client->receive().status, 400);
                break;
            default: // silent until the idle timeout
                break;
            }
            clients.push_back(std::move(client));
        }
        if (countFiles)
            QVERIFY(openFiles(pid) >= baseline + 10); // the silent ones are really held meanwhile
        for (auto &client : clients) {
            if (client->isConnected())
                QVERIFY(client->waitClosed(5000));
        }
    }
    QVERIFY(allConnectionsFreed(server, &accepted));
    QCOMPARE(accepted, 1 + 3 * 60);
    if (countFiles) {
        const qsizetype after = openFilesSettled(pid, baseline);
        QVERIFY2(after <= baseline,
                 qPrintable(u"%1 open files before, %2 after"_s.arg(baseline).arg(after)));
    }
    HttpClient client(port);
    QCOMPARE(client.request("GET", u"/healthz"_s).status, 200);
    QCOMPARE(server.stop(), 0);
}

void ServerTest::concurrentReadThenPutLosesNothing()
{
    // Each client reads the order, appends its own item and PUTs the list with If-Match; a 409
    // means re-read and try again. Every item acknowledged with 200 must be in the final order.
    constexpr int clients = 8;
    const QList<QByteArray> tokens = addUserAndLogins(nextName(u"Editor"_s), clients);
    const QByteArray token = tokens.first();
    {
        HttpClient client(m_port);
        QCOMPARE(client.request("POST", u"/api/order-sessions"_s, {}, bearer(token)).status, 200);
    }
    constexpr int itemsEach = 3;
    std::mutex mutex;
    QStringList acknowledged;
    std::atomic<int> conflicts{0};
    std::atomic<int> failures{0};
    std::latch start(clients);
    std::vector<std::thread> threads;
    for (int c = 0; c < clients; ++c) {
        threads.emplace_back([&, c] {
            HttpClient client(m_port);
            const QByteArray token = tokens.at(c); // each client a session of its own
            start.arrive_and_wait();
            for (int n = 0; n < itemsEach; ++n) {
                const QString name = u"c%1-item%2"_s.arg(c).arg(n);
                for (int attempt = 0; attempt < 200; ++attempt) {
                    const Response current =
                        client.request("GET", u"/api/order-sessions/current"_s, {}, bearer(token));
                    if (current.status != 200) {
                        ++failures;
                        return;
                    }
                    QJsonArray items;
                    for (const QJsonValue &line : current.json().value(u"items"_s).toArray()) {
                        items.append(QJsonObject{
                            {u"name"_s, line.toObject().value(u"name"_s)},
                            {u"unitPriceCents"_s, line.toObject().value(u"unitPriceCents"_s)},
                            {u"qty"_s, line.toObject().value(u"qty"_s)}});
                    }
                    items.append(
                        QJsonObject{{u"name"_s, name}, {u"unitPriceCents"_s, 100}, {u"qty"_s, 1}});
                    const Response put = client.request(
                        "PUT", u"/api/order-sessions/current"_s, json({{u"items"_s, items}}),
                        bearer(token, {{"If-Match", current.header("etag")}}));
                    if (put.status == 200) {
                        std::lock_guard lock(mutex);
                        acknowledged.append(name);
                        break;
                    }
                    if (put.status != 409) {
                        ++failures;
                        return;
                    }
                    ++conflicts;
                }
            }
        });
    }
    for (std::thread &thread : threads)
        thread.join();
    QCOMPARE(failures.load(), 0);
    QCOMPARE(acknowledged.size(), clients * itemsEach);
    HttpClient client(m_port);
    const Response final =
        client.request("GET", u"/api/order-sessions/current"_s, {}, bearer(token));
    QSet<QString> names;
    for (const QJsonValue &line : final.json().value(u"items"_s).toArray())
        names.insert(line.toObject().value(u"name"_s).toString());
    for (const QString &name : std::as_const(acknowledged))
        QVERIFY2(names.contains(name), qPrintable(u"lost acknowledged item "_s + name));
    qInfo("read-then-PUT: %d items, %d conflicts retried", int(acknowledged.size()),
          conflicts.load());
}

void ServerTest::concurrentCompletesPayOnce()
{
    const QList<QByteArray> tokens = addUserAndLogins(nextName(u"Payer"_s));
    const QByteArray token = tokens.first();
    openWithItem(token, 3);
    const QList<Response> responses = fireAll(m_port, 16, [&](HttpClient &client, int i) {
        client.send("PUT", u"/api/order-sessions/current/complete"_s,
                    json({{u"method"_s, u"cash"_s}, {u"tenderedCents"_s, 1000}}),
                    bearer(tokens.at(i % tokens.size())));
    });
    int ok = 0;
    QString orderId;
    for (const Response &response : responses) {
        QVERIFY2(response.status == 200 || response.status == 404,
                 qPrintable(QString::number(response.status) + QString::fromUtf8(response.body)));
        if (response.status == 200) {
            ++ok;
            orderId = response.json().value(u"id"_s).toString();
        }
    }
    QCOMPARE(ok, 1);
    QCOMPARE(count(u"SELECT COUNT(*) FROM payments WHERE order_id = ?"_s, {orderId}), 1);
}

void ServerTest::concurrentLogoutsLogOutOnce()
{
    const QList<QByteArray> tokens = addUserAndLogins(nextName(u"Leaver"_s));
    const QByteArray token = tokens.first();
    openWithItem(token);
    const QList<Response> responses = fireAll(m_port, 16, [&](HttpClient &client, int i) {
        client.send("PUT", u"/api/order-sessions/current/logout"_s, {},
                    bearer(tokens.at(i % tokens.size())));
    });
    int ok = 0;
    QString logoutTime;
    QString orderId;
    for (const Response &response : responses) {
        QVERIFY2(response.status == 200 || response.status == 404,
                 qPrintable(QString::number(response.status)));
        if (response.status == 200) {
            ++ok;
            logoutTime = response.json().value(u"logoutTime"_s).toString();
            orderId = response.json().value(u"id"_s).toString();
        }
    }
    QCOMPARE(ok, 1);
    QCOMPARE(
        queryValue(m_db->db(), u"SELECT logout_time FROM order_sessions WHERE id = ?"_s, {orderId})
            .toString(),
        logoutTime);
    QCOMPARE(count(u"SELECT COUNT(*) FROM order_history WHERE order_id = ? AND action = 'logout'"_s,
                   {orderId}),
             1);
}

void ServerTest::concurrentOpensOpenOne()
{
    const QList<QByteArray> tokens = addUserAndLogins(nextName(u"Opener"_s));
    const QByteArray token = tokens.first();
    const QList<Response> responses = fireAll(m_port, 16, [&](HttpClient &client, int i) {
        client.send("POST", u"/api/order-sessions"_s, {}, bearer(tokens.at(i % tokens.size())));
    });
    QSet<QString> ids;
    for (const Response &response : responses) {
        QCOMPARE(response.status, 200);
        ids.insert(response.json().value(u"id"_s).toString());
    }
    QCOMPARE(ids.size(), 1);
    QCOMPARE(count(u"SELECT COUNT(*) FROM order_sessions WHERE cashier_id = "
                   "(SELECT cashier_id FROM order_sessions WHERE id = ?)"_s,
                   {*ids.begin()}),
             1);
}

void ServerTest::concurrentAddsAllSurvive()
{
    const QList<QByteArray> tokens = addUserAndLogins(nextName(u"Adder"_s));
    const QByteArray token = tokens.first();
    openWithItem(token, 1);
    const QList<Response> responses = fireAll(m_port, 32, [&](HttpClient &client, int i) {
        client.send("POST", u"/api/order-sessions/current/items"_s,
                    json({{u"sku"_s, u"COF-ESP"_s}}), bearer(tokens.at(i % tokens.size())));
    });
    for (const Response &response : responses)
        QCOMPARE(response.status, 200);
    HttpClient client(m_port);
    const Response current =
        client.request("GET", u"/api/order-sessions/current"_s, {}, bearer(token));
    QCOMPARE(current.json().value(u"items"_s).toArray().at(0).toObject().value(u"qty"_s).toInt(),
             33);
    QCOMPARE(current.json().value(u"version"_s).toInt(), 2 + 32);
}

void ServerTest::concurrentIdempotentRequestsActOnce()
{
    const QList<QByteArray> tokens = addUserAndLogins(nextName(u"Twin"_s));
    const QByteArray token = tokens.first();
    openWithItem(token, 1);
    const QList<Response> adds = fireAll(m_port, 16, [&](HttpClient &client, int i) {
        client.send("POST", u"/api/order-sessions/current/items"_s,
                    json({{u"sku"_s, u"BAK-CRO"_s}, {u"qty"_s, 2}}),
                    bearer(tokens.at(i % tokens.size()), {{"Idempotency-Key", "same-add"}}));
    });
    int replayed = 0;
    for (const Response &response : adds) {
        QCOMPARE(response.status, 200);
        QCOMPARE(response.body, adds.first().body);
        replayed += response.header("idempotent-replayed") == "true";
    }
    QCOMPARE(replayed, 15);
    const QList<Response> pays = fireAll(m_port, 16, [&](HttpClient &client, int i) {
        client.send("PUT", u"/api/order-sessions/current/complete"_s,
                    json({{u"method"_s, u"cash"_s}, {u"tenderedCents"_s, 5000}}),
                    bearer(tokens.at(i % tokens.size()), {{"Idempotency-Key", "same-pay"}}));
    });
    for (const Response &response : pays) {
        QCOMPARE(response.status, 200);
        QCOMPARE(response.body, pays.first().body);
    }
    const QString orderId = pays.first().json().value(u"id"_s).toString();
    QCOMPARE(pays.first().json().value(u"total"_s).toInt(), 220 + 2 * 190);
    QCOMPARE(count(u"SELECT COUNT(*) FROM payments WHERE order_id = ?"_s, {orderId}), 1);
}

void ServerTest::twoServerProcessesOneDatabase()
{
    ServerProcess second;
    QVERIFY(second.start(m_db->path()));
    const QList<QByteArray> tokens = addUserAndLogins(nextName(u"Twice"_s));
    const QByteArray token = tokens.first();
    // A token from one process works on the other (tokens live in the database).
    HttpClient other(second.port());
    QCOMPARE(other.request("GET", u"/api/tabs"_s, {}, bearer(token)).status, 200);

    const QList<quint16> ports{m_port, second.port()};
    std::vector<std::unique_ptr<HttpClient>> clients;
    for (int i = 0; i < 16; ++i) {
        clients.push_back(std::make_unique<HttpClient>(ports.at(i % 2)));
        clients.back()->send("POST", u"/api/order-sessions"_s, {},
                             bearer(tokens.at(i % tokens.size())));
    }
    QSet<QString> ids;
    for (auto &client : clients) {
        const Response response = client->receive();
        QCOMPARE(response.status, 200);
        ids.insert(response.json().value(u"id"_s).toString());
    }
    QCOMPARE(ids.size(), 1);
    {
        HttpClient client(second.port());
        QCOMPARE(client
                     .request("POST", u"/api/order-sessions/current/items"_s,
                              json({{u"sku"_s, u"COF-ESP"_s}}), bearer(token))
                     .status,
                 200);
    }
    clients.clear();
    for (int i = 0; i < 16; ++i) {
        clients.push_back(std::make_unique<HttpClient>(ports.at(i % 2)));
        clients.back()->send("PUT", u"/api/order-sessions/current/complete"_s,
                             json({{u"method"_s, u"cash"_s}, {u"tenderedCents"_s, 1000}}),
                             bearer(tokens.at(i % tokens.size())));
    }
    int ok = 0;
    for (auto &client : clients) {
        const Response response = client->receive();
        QVERIFY(response.status == 200 || response.status == 404);
        ok += response.status == 200;
    }
    QCOMPARE(ok, 1);
    QCOMPARE(count(u"SELECT COUNT(*) FROM payments WHERE order_id = ?"_s, {*ids.begin()}), 1);
    QCOMPARE(second.stop(), 0);
}

void ServerTest::mixedLoadHasNoServerErrors()
{
    constexpr int users = 8;
    QList<QByteArray> tokens;
    for (int i = 0; i < users; ++i)
        tokens.append(addUserAndLogin(nextName(u"Load"_s)));
    std::atomic<int> requests{0};
    std::atomic<int> serverErrors{0};
    std::atomic<int> unanswered{0};
    std::atomic<int> completed{0};
    QElapsedTimer timer;
    timer.start();
    std::vector<std::thread> threads;
    for (int t = 0; t < 16; ++t) {
        threads.emplace_back([&, t] {
            HttpClient client(m_port);
            const QByteArray token = tokens.at(t % users);
            QRandomGenerator random(quint32(t + 1));
            while (timer.elapsed() < 4000) {
                Response response;
                switch (random.bounded(6)) {
                case 0:
                    response = client.request("POST", u"/api/order-sessions"_s, {}, bearer(token));
                    break;
                case 1:
                case 2:
                    response = client.request("POST", u"/api/order-sessions/current/items"_s,
                                              json({{u"sku"_s, u"COF-ESP"_s}}), bearer(token));
                    break;
                case 3:
                    response =
                        client.request("GET", u"/api/order-sessions/current"_s, {}, bearer(token));
                    break;
                case 4:
                    response = client.request(
                        "PUT", u"/api/order-sessions/current/complete"_s,
                        json({{u"method"_s, u"cash"_s}, {u"tenderedCents"_s, 999999}}),
                        bearer(token));
                    completed += response.status == 200;
                    break;
                default:
                    response = client.request("PUT", u"/api/order-sessions/current/logout"_s, {},
                                              bearer(token));
                    break;
                }
                ++requests;
                if (response.status == 0) {
                    ++unanswered;
                    return;
                }
                if (response.status >= 500)
                    ++serverErrors;
            }
        });
    }
    for (std::thread &thread : threads)
        thread.join();
    qInfo("mixed load: %d requests in %lld ms (%d completes)", requests.load(), timer.elapsed(),
          completed.load());
    QCOMPARE(unanswered.load(), 0);
    QCOMPARE(serverErrors.load(), 0);
    QVERIFY(integrityOk(m_db->db()));
    QVERIFY(foreignKeysOk(m_db->db()));
    // Every completed order has exactly one payment, and nobody has two open orders.
    QCOMPARE(count(u"SELECT COUNT(*) FROM order_sessions o WHERE status = 'completed' AND "
                   "tab_id IS NULL AND "
                   "(SELECT COUNT(*) FROM payments p WHERE p.order_id = o.id) <> 1"_s),
             0);
}

void ServerTest::loginThrottleHoldsAcrossProcesses()
{
    // Its own database: the per-address lock would lock out every other test on 127.0.0.1.
    TestDatabase db;
    ServerProcess a;
    ServerProcess b;
    QVERIFY(a.start(db.path()));
    QVERIFY(b.start(db.path()));
    HttpClient clientA(a.port());
    HttpClient clientB(b.port());
    auto attempt = [](HttpClient &client, const QString &user, const QString &pin) {
        return client.request("POST", u"/api/auth/login"_s,
                              json({{u"username"_s, user}, {u"pin"_s, pin}}));
    };
    for (int i = 0; i < 5; ++i)
        QCOMPARE(attempt(i % 2 ? clientB : clientA, u"Bob"_s, u"0000"_s).status, 401);
    // Locked now, on both processes, even with the right PIN.
    const Response locked = attempt(clientB, u"Bob"_s, u"5678"_s);
    QCOMPARE(locked.status, 429);
    QVERIFY(locked.header("retry-after").toInt() > 0);
    QCOMPARE(attempt(clientA, u"Bob"_s, u"5678"_s).status, 429);
    // Another user from the same address is not locked (yet).
    QCOMPARE(attempt(clientA, u"Alice"_s, u"1234"_s).status, 200);
    // Guessing over and over at a few names locks the address for them (Bob's 5 failures count
    // too)...
    int status = 0;
    for (int i = 0; i < 40 && status != 429; ++i)
        status = attempt(i % 2 ? clientB : clientA, u"Ghost %1"_s.arg(i % 4), u"1111"_s).status;
    QCOMPARE(status, 429);
    QCOMPARE(attempt(clientA, u"Ghost 0"_s, u"1111"_s).status, 429);
    // ...but not for a cashier without failures of their own: a locked address locks nobody
    // else out.
    QCOMPARE(attempt(clientB, u"Maria"_s, u"9999"_s).status, 200);
    QCOMPARE(a.stop(), 0);
    QCOMPARE(b.stop(), 0);
}

void ServerTest::gracefulShutdown()
{
    ServerProcess server;
    QVERIFY(server.start(m_db->path()));
    const QByteArray token = login(u"Alice"_s, u"1234"_s, server.port());
    std::vector<std::unique_ptr<HttpClient>> clients;
    for (int i = 0; i < 8; ++i) {
        clients.push_back(std::make_unique<HttpClient>(server.port()));
        clients.back()->send("GET", u"/api/tabs"_s, {}, bearer(token));
    }
    HttpClient idle(server.port());
    QTest::qWait(20);
    QCOMPARE(server.stop(), 0); // SIGTERM: in-flight requests are answered, then it exits
    for (auto &client : clients)
        QCOMPARE(client->receive(3000).status, 200);
    QVERIFY(idle.waitClosed(1000));
}

QTEST_GUILESS_MAIN(ServerTest)
#include "tst_server.moc"
