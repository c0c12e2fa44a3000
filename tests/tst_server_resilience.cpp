// The server survives its database (issue 13): a real safetill-server process on 127.0.0.1, spoken
// to over HTTP while its database goes away and comes back.
// - PostgreSQL (tst_server_resilience_pg): the test cluster is restarted (fast, then immediate:
//   a crash and recovery) under a write load from several cashiers. Every answer is 2xx, 4xx or
//   503 with Retry-After, never a 500; service comes back without restarting the server; every
//   acknowledged write is in the database exactly once; `safetill-server verify` is clean.
// - SQLite (tst_server_resilience): a real SQLITE_FULL (the server's hidden --test-max-db-pages
//   caps the file) answers 503, leaves nothing half-written, and service resumes once space is
//   freed.

#include "CashierService.h"
#include "Database.h"
#include "DemoData.h"
#include "ServerTestClient.h"
#include "TestSupport.h"

#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QProcess>
#include <QRegularExpression>
#include <QScopeGuard>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>
#include <QThread>
#include <QUrl>
#include <QtEndian>

#include <atomic>
#include <future>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

using namespace Qt::StringLiterals;
using namespace SafeTill;
using namespace SafeTill::Test;

namespace {

// A PostgreSQL cluster of the test's own (scripts/pg-test-cluster): restarting the suite's shared
// one would break the suites running beside it.
class OwnCluster
{
public:
    bool start()
    {
        const auto [ok, out] = run({u"start"_s});
        for (const QByteArray &line : out.split('\n')) {
            if (line.startsWith("export SAFETILL_PG_DIR="))
                m_dir = QString::fromLocal8Bit(line.mid(23).trimmed());
        }
        QFile urlFile(m_dir + u"/url"_s);
        if (!ok || m_dir.isEmpty() || !urlFile.open(QIODevice::ReadOnly))
            return false;
        m_url = QString::fromUtf8(urlFile.readAll().trimmed());
        return true;
    }
    bool command(const QString &name, const QStringList &more = {})
    {
        return run(QStringList{name, m_dir} + more).first;
    }
    ~OwnCluster()
    {
        if (!m_dir.isEmpty())
            command(u"stop"_s);
    }
    const QString &url() const { return m_url; }

private:
    std::pair<bool, QByteArray> run(const QStringList &arguments)
    {
        QProcess script;
        script.setProcessChannelMode(QProcess::SeparateChannels);
        script.start(QStringLiteral(SAFETILL_PG_CLUSTER_SCRIPT), arguments);
        const bool ok = script.waitForFinished(120000) &&
                        script.exitStatus() == QProcess::NormalExit && script.exitCode() == 0;
        if (!ok)
            qWarning().noquote() << arguments.join(u' ') << script.readAllStandardError();
        return {ok, script.readAllStandardOutput()};
    }

    QString m_dir;
    QString m_url;
};

// What the load's clients saw.
struct Tally
{
    std::atomic<int> success{0};
    std::atomic<int> clientErrors{0}; // 4xx
    std::atomic<int> unavailable{0};  // 503
    std::atomic<int> noRetryAfter{0}; // a 503 without Retry-After
    std::atomic<int> badStatus{0};    // anything else (500 above all)
    std::atomic<int> noResponse{0};   // the connection ended or timed out without an answer
    std::mutex mutex;
    QStringList problems; // the first few unexpected answers, for the failure message

    void note(const QByteArray &method, const QString &path, const Response &response)
    {
        if (response.status >= 200 && response.status < 300) {
            ++success;
            return;
        }
        if (response.status == 503) {
            ++unavailable;
            if (response.header("retry-after").toInt() < 1) {
                ++noRetryAfter;
                remember(method, path, response);
            }
            return;
        }
        if (response.status >= 400 && response.status < 500)
            ++clientErrors;
        else if (response.status == 0)
            ++noResponse;
        else
            ++badStatus;
        remember(method, path, response);
    }
    void remember(const QByteArray &method, const QString &path, const Response &response)
    {
        std::lock_guard lock(mutex);
        if (problems.size() < 10) {
            problems << u"%1 %2 -> %3 %4"_s.arg(QString::fromLatin1(method), path)
                            .arg(response.status)
                            .arg(QString::fromUtf8(response.body.left(300)));
        }
    }
};

// An order the server acknowledged as paid, and how many item adds it acknowledged for it.
struct Paid
{
    QString orderId;
    int adds = 0;
};

// One cashier's till: sign in, open an order, add items, pay; again and again until told to stop.
// Every request carries an Idempotency-Key and a 503 is retried with the same key (as a till
// would), so each acknowledged write must be in the database exactly once, whatever the server
// could or could not tell about its commit.
class Till
{
public:
    Till(quint16 port, QString name, Tally &tally)
        : m_port(port)
        , m_name(std::move(name))
        , m_tally(tally)
    {}

    void run(const std::atomic<bool> &stop, qint64 hardDeadlineMs)
    {
        m_deadline.start();
        m_hardDeadlineMs = hardDeadlineMs;
        m_client = std::make_unique<HttpClient>(m_port);
        for (int cycle = 0; cycle < 2000 && !stop.load(); ++cycle) {
            if (!oneCycle(cycle))
                return; // an answer that ends the till's day (counted in the tally)
        }
    }
    // After the till's thread has ended.
    const QList<Paid> &paid() const { return m_paid; }
    // While it runs: payments acknowledged since that time (Till::clock()).
    int paidSince(qint64 msSinceStart) const
    {
        std::lock_guard lock(m_mutex);
        return int(std::count_if(m_paidAt.begin(), m_paidAt.end(),
                                 [&](qint64 at) { return at >= msSinceStart; }));
    }
    static QElapsedTimer &clock()
    {
        static QElapsedTimer timer;
        return timer;
    }

private:
    // The request, again with the same headers (and key) while it answers 503, bounded in time.
    Response send(const QByteArray &method, const QString &path, const QByteArray &body,
                  const Headers &headers)
    {
        for (int attempt = 0; attempt < 1000; ++attempt) {
            if (!m_client->isConnected())
                m_client = std::make_unique<HttpClient>(m_port);
            Response response = m_client->request(method, path, body, headers);
            m_tally.note(method, path, response);
            if (response.status != 503 || m_deadline.elapsed() > m_hardDeadlineMs)
                return response;
            // Retry-After says 1 s; a till honours it, the test keeps to a tenth of it.
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
        return {};
    }

    bool oneCycle(int cycle)
    {
        const QString key = u"%1-%2"_s.arg(QString(m_name).replace(u' ', u'-')).arg(cycle);
        const Response signedIn = send("POST", u"/api/auth/login"_s,
                                       json({{u"username"_s, m_name}, {u"pin"_s, u"4321"_s}}), {});
        if (signedIn.status != 200)
            return false;
        const QByteArray token = signedIn.json().value(u"token"_s).toString().toLatin1();
        const Response opened =
            send("POST", u"/api/order-sessions"_s, {},
                 bearer(token, {{"Idempotency-Key", (key + u"-open"_s).toLatin1()}}));
        if (opened.status != 200)
            return false;
        const QString orderId = opened.json().value(u"id"_s).toString();
        const int adds = 1 + cycle % 3;
        QByteArray version = opened.header("etag");
        for (int i = 0; i < adds; ++i) {
            const Response added =
                send("POST", u"/api/order-sessions/current/items"_s,
                     json({{u"sku"_s, u"COF-ESP"_s}, {u"qty"_s, 1}}),
                     bearer(token, {{"Idempotency-Key", (key + u"-add%1"_s.arg(i)).toLatin1()}}));
            if (added.status != 200)
                return false;
            version = added.header("etag");
        }
        const Response completed =
            send("PUT", u"/api/order-sessions/current/complete"_s,
                 json({{u"method"_s, u"cash"_s}, {u"tenderedCents"_s, 100000}}),
                 bearer(token, {{"Idempotency-Key", (key + u"-pay"_s).toLatin1()},
                                {"If-Match", version}}));
        if (completed.status != 200)
            return false;
        std::lock_guard lock(m_mutex);
        m_paid.append(Paid{orderId, adds});
        m_paidAt.append(clock().elapsed());
        return true;
    }

    quint16 m_port;
    QString m_name;
    Tally &m_tally;
    std::unique_ptr<HttpClient> m_client;
    QElapsedTimer m_deadline;
    qint64 m_hardDeadlineMs = 0;
    mutable std::mutex m_mutex; // guards m_paid and m_paidAt while the till runs
    QList<Paid> m_paid;
    QList<qint64> m_paidAt;
};

int paidSince(const std::vector<std::unique_ptr<Till>> &tills, qint64 since)
{
    int total = 0;
    for (const auto &till : tills)
        total += till->paidSince(since);
    return total;
}

// Waits (at most 30 s) until the tills have been paid `count` more times since `since`; returns
// the milliseconds from `since` to the first of them, or -1.
qint64 waitForPayments(const std::vector<std::unique_ptr<Till>> &tills, qint64 since, int count,
                       int *seen)
{
    QElapsedTimer waited;
    waited.start();
    while (paidSince(tills, since) < count && waited.elapsed() < 30000)
        QTest::qWait(50);
    *seen = paidSince(tills, since);
    return *seen >= count ? waited.elapsed() : -1;
}

// A TCP forwarder between the server and PostgreSQL, on a thread of its own (the test's HTTP
// client blocks its thread). Armed, it waits for the next message from the server that contains
// `marker`, passes it on, and then lets PostgreSQL's answer through only up to `stopAt`: the
// first backend message of that type (a type byte, then a length that counts itself) and all
// after it are not passed on, and the connection is cut there. The messages before it reach the
// server first.
//   - marker "COMMIT", stopAt 'C' (CommandComplete), which PostgreSQL sends only once the commit
//     is durable: a commit that happened, whose outcome the server cannot know.
//   - marker a batched write's own text, stopAt 'C': its rows arrive (QPSQL reads row by row),
//     but not the news that the statement, committed in autocommit, is complete.
class Cutter : public QThread
{
public:
    Cutter(quint16 target, QByteArray marker, char stopAt)
        : m_target(target)
        , m_marker(std::move(marker))
        , m_stopAt(stopAt)
    {}
    ~Cutter() override
    {
        quit();
        wait();
    }
    quint16 listen()
    {
        std::future<quint16> port = m_port.get_future();
        start();
        return port.get();
    }
    std::atomic<bool> armed{false};
    std::atomic<int> cut{0};
    std::atomic<int> rowsPassed{0}; // DataRow messages passed on while watching

protected:
    void run() override
    {
        QTcpServer server;
        server.listen(QHostAddress::LocalHost, 0);
        QObject::connect(&server, &QTcpServer::newConnection, &server, [&] {
            while (QTcpSocket *client = server.nextPendingConnection()) {
                auto *upstream = new QTcpSocket(client);
                auto watching = std::make_shared<bool>(false);
                auto pending = std::make_shared<QByteArray>();
                upstream->connectToHost(QHostAddress::LocalHost, m_target);
                QObject::connect(client, &QTcpSocket::readyRead, client, [=, this] {
                    const QByteArray data = client->readAll();
                    if (data.contains(m_marker) && armed.exchange(false))
                        *watching = true;
                    upstream->write(data);
                });
                QObject::connect(upstream, &QTcpSocket::readyRead, client, [=, this] {
                    const QByteArray data = upstream->readAll();
                    if (!*watching) {
                        client->write(data);
                        return;
                    }
                    *pending += data;
                    qsizetype at = 0;
                    while (pending->size() - at >= 5) {
                        const char type = pending->at(at);
                        const qsizetype length =
                            qFromBigEndian<quint32>(pending->constData() + at + 1);
                        if (pending->size() - at < 1 + length)
                            break;
                        if (type == m_stopAt) {
                            client->write(pending->left(at));
                            *watching = false;
                            ++cut;
                            upstream->abort();
                            client->disconnectFromHost(); // what passed first, then the end
                            return;
                        }
                        if (type == 'D')
                            ++rowsPassed;
                        at += 1 + length;
                    }
                    client->write(pending->left(at));
                    pending->remove(0, at);
                });
                QObject::connect(client, &QTcpSocket::disconnected, client, &QObject::deleteLater);
                QObject::connect(upstream, &QTcpSocket::disconnected, client,
                                 [client] { client->disconnectFromHost(); });
            }
        });
        m_port.set_value(server.serverPort());
        exec();
    }

private:
    quint16 m_target;
    QByteArray m_marker;
    char m_stopAt;
    std::promise<quint16> m_port;
};

} // namespace

class ServerResilienceTest : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void postgresRestartUnderLoad();
    void backedOffConnectionTriesOnceAnotherIsBack();
    void commitCutOffIsNotSuccessAndRetryAppliesOnce();
    void rowsWithoutTheirCommitAreNotSuccess();
    void sqliteDiskFullAnswers503AndRecovers();
};

void ServerResilienceTest::initTestCase()
{
    SAFETILL_REQUIRE_TEST_BACKEND();
    Till::clock().start();
}

void ServerResilienceTest::postgresRestartUnderLoad()
{
    if (!onPostgres())
        QSKIP("A PostgreSQL restart: tst_server_resilience_pg");
    OwnCluster cluster;
    QVERIFY(cluster.start());

    constexpr int tills = 6;
    {
        QString error;
        std::unique_ptr<Database> db = Database::open(DatabaseOptions{cluster.url()}, &error);
        QVERIFY2(db, qPrintable(error));
        QVERIFY(installDemoData(*db));
        for (int i = 0; i < tills; ++i)
            QVERIFY(CashierService(*db).add(u"Till %1"_s.arg(i), u"4321"_s));
    }

    ServerProcess server;
    QVERIFY2(server.start(cluster.url()), qPrintable(server.log()));
    const quint16 port = server.port();

    Tally tally;
    std::atomic<bool> stop{false};
    std::vector<std::unique_ptr<Till>> load;
    std::vector<std::thread> threads;
    for (int i = 0; i < tills; ++i)
        load.push_back(std::make_unique<Till>(port, u"Till %1"_s.arg(i), tally));
    for (auto &till : load)
        threads.emplace_back([&stop, till = till.get()] { till->run(stop, 90000); });
    const auto joinAll = qScopeGuard([&] {
        stop = true;
        for (std::thread &thread : threads)
            thread.join();
    });
    int seen = 0;
    QVERIFY2(waitForPayments(load, 0, 2 * tills, &seen) >= 0,
             qPrintable(u"only %1 payments before the restart"_s.arg(seen)));

    // An operator's restart, then a crash and recovery: clients lose their connections both times.
    for (const QString &mode : {u"fast"_s, u"immediate"_s}) {
        QVERIFY(cluster.command(u"restart"_s, {mode}));
        const qint64 back = Till::clock().elapsed();
        const qint64 resumedAfter = waitForPayments(load, back, 2 * tills, &seen);
        QVERIFY2(
            resumedAfter >= 0,
            qPrintable(u"after the %1 restart only %2 payments in 30 s; server log:\n%3"_s.arg(mode)
                           .arg(seen)
                           .arg(server.log())));
        qInfo().noquote() << "restart" << mode << ": service back" << resumedAfter
                          << "ms after PostgreSQL was up again";
    }

    // A longer outage: a write in the gap is answered 503 + Retry-After with the usual JSON
    // error body, and its retry with the same key after the database is back is applied once.
    stop = true;
    for (std::thread &thread : threads)
        thread.join();
    threads.clear();
    HttpClient client(port);
    const Response signedIn = client.request(
        "POST", u"/api/auth/login"_s, json({{u"username"_s, u"Till 0"_s}, {u"pin"_s, u"4321"_s}}));
    QCOMPARE(signedIn.status, 200);
    const QByteArray token = signedIn.json().value(u"token"_s).toString().toLatin1();
    const Headers keyed = bearer(token, {{"Idempotency-Key", "outage-open"}});
    QVERIFY(cluster.command(u"pause"_s));
    Response inGap = client.request("POST", u"/api/order-sessions"_s, {}, keyed);
    QCOMPARE(inGap.status, 503);
    QVERIFY(inGap.header("retry-after").toInt() >= 1);
    QCOMPARE(inGap.json().value(u"code"_s).toString(), u"database_unavailable"_s);
    QVERIFY(!inGap.json().value(u"error"_s).toString().isEmpty());
    const Response ready = client.request("GET", u"/readyz"_s);
    QCOMPARE(ready.status, 503);
    QCOMPARE(ready.json().value(u"database"_s).toString(), u"unreachable"_s);
    QVERIFY(cluster.command(u"resume"_s));
    // Starting PostgreSQL again can take longer than the server keeps an idle connection open
    // (on a loaded machine): a till then connects again, as Till::send() does.
    std::unique_ptr<HttpClient> retrying = std::make_unique<HttpClient>(port);
    Response opened;
    QElapsedTimer waited;
    waited.start();
    while (waited.elapsed() < 20000) {
        if (!retrying->isConnected())
            retrying = std::make_unique<HttpClient>(port);
        opened = retrying->request("POST", u"/api/order-sessions"_s, {}, keyed);
        if (opened.status != 503 && opened.status != 0)
            break;
        QTest::qWait(100);
    }
    QCOMPARE(opened.status, 200);
    const Response again = retrying->request("POST", u"/api/order-sessions"_s, {}, keyed);
    QCOMPARE(again.status, 200);
    QCOMPARE(again.header("idempotent-replayed"), QByteArray("true"));
    QCOMPARE(again.json().value(u"id"_s), opened.json().value(u"id"_s));

    {
        std::lock_guard lock(tally.mutex);
        // On failure, the server's own words about it (QTest shortens long messages).
        QStringList why;
        if (!tally.problems.isEmpty()) {
            for (const QString &line : server.log(1 << 26).split(u'\n')) {
                if (line.contains(u"database error"_s) && why.size() < 5)
                    why << line.right(300);
            }
        }
        QVERIFY2(tally.problems.isEmpty(),
                 qPrintable(tally.problems.join(u'\n') + u'\n' + why.join(u'\n')));
    }
    qInfo() << "answers:" << tally.success.load() << "2xx," << tally.unavailable.load() << "503,"
            << tally.clientErrors.load() << "4xx";
    QCOMPARE(tally.badStatus.load(), 0);
    QCOMPARE(tally.noResponse.load(), 0);
    QCOMPARE(tally.noRetryAfter.load(), 0);
    QCOMPARE(tally.clientErrors.load(), 0); // this load never makes a mistake of its own
    QVERIFY2(server.log(1 << 24).contains(u"reconnected to"_s), "no connection was reopened");
    QVERIFY(server.running());

    // Every acknowledged payment once, with exactly the items acknowledged for it; nothing paid
    // that was not acknowledged.
    QString error;
    std::unique_ptr<Database> db = Database::open(DatabaseOptions{cluster.url()}, &error);
    QVERIFY2(db, qPrintable(error));
    int acknowledged = 0;
    for (const auto &till : load) {
        for (const Paid &paid : till->paid()) {
            ++acknowledged;
            QCOMPARE(queryValue(*db, u"SELECT COUNT(*) FROM payments WHERE order_id = ?"_s,
                                {paid.orderId})
                         .toInt(),
                     1);
            QCOMPARE(
                queryValue(*db, u"SELECT status FROM order_sessions WHERE id = ?"_s, {paid.orderId})
                    .toString(),
                u"completed"_s);
            QCOMPARE(queryValue(*db, u"SELECT SUM(quantity) FROM order_lines WHERE order_id = ?"_s,
                                {paid.orderId})
                         .toInt(),
                     paid.adds);
        }
    }
    QVERIFY(acknowledged > 6 * tills);
    QCOMPARE(queryValue(*db, u"SELECT COUNT(*) FROM payments"_s).toInt(), acknowledged);
    QVERIFY2(verifyFindings(*db).isEmpty(), qPrintable(verifyFindings(*db).join(u'\n')));
    db.reset();
    // The operator sees the outage in the metrics: the lost connections were opened again.
    {
        HttpClient scraper(port);
        const Response metrics = scraper.request("GET", u"/metrics"_s);
        QCOMPARE(metrics.status, 200);
        const QByteArray marker = "\nsafetill_database_reconnects_total ";
        const qsizetype at = metrics.body.indexOf(marker);
        QVERIFY2(at >= 0, metrics.body.constData());
        const qsizetype end = metrics.body.indexOf('\n', at + marker.size());
        const qint64 reconnects =
            metrics.body.mid(at + marker.size(), end - at - marker.size()).trimmed().toLongLong();
        QVERIFY2(reconnects >= 1, metrics.body.mid(at, 80).constData());
    }
    const auto [verified, report] = runAdmin({u"verify"_s, u"--db"_s, cluster.url()});
    QVERIFY2(verified == 0, report.constData());
    QCOMPARE(server.stop(), 0);
}

// A server's idle pool connections each fail a reconnect attempt during an outage and back off
// (up to 2 s). Once one connection of the process is back, the others try again at once instead
// of answering 503 for the rest of their wait (seen as a login answered 503 after a restart,
// while the tills were served again).
void ServerResilienceTest::backedOffConnectionTriesOnceAnotherIsBack()
{
    if (!onPostgres())
        QSKIP("PostgreSQL's reconnection: tst_server_resilience_pg");
    OwnCluster cluster;
    QVERIFY(cluster.start());
    QString error;
    std::unique_ptr<Database> first = Database::open(DatabaseOptions{cluster.url()}, &error);
    QVERIFY2(first, qPrintable(error));
    std::unique_ptr<Database> second = Database::open(DatabaseOptions{cluster.url()}, &error);
    QVERIFY2(second, qPrintable(error));
    auto one = [](Database &db) {
        return db.read([&] { return Result<int>::ok(db.scalar(u"SELECT 1"_s).toInt()); });
    };
    QCOMPARE(*one(*first), 1);
    QCOMPARE(*one(*second), 1);

    QVERIFY(cluster.command(u"pause"_s));
    // The second connection fails attempts until its backoff is long: a wait of over 1.5 s
    // reported right after a failed attempt (the ceiling doubles from 100 ms to 2 s, the wait is
    // drawn from its upper half).
    static const QRegularExpression waitText(u"next attempt in (\\d+) ms"_s);
    int waitMs = 0;
    QElapsedTimer trying;
    trying.start();
    while (waitMs <= 1500 && trying.elapsed() < 30000) {
        const Result<int> down = one(*second);
        QVERIFY(!down);
        QVERIFY2(down.unavailable(), qPrintable(down.detail()));
        const QRegularExpressionMatch wait = waitText.match(down.detail());
        if (wait.hasMatch()) {
            waitMs = 0; // waiting out an earlier attempt: not one just made
            QThread::msleep(std::min(100, wait.captured(1).toInt() + 1));
            continue;
        }
        // An attempt was just made and failed: the next call reports the full wait.
        const Result<int> waiting = one(*second);
        QVERIFY(!waiting && waiting.unavailable());
        const QRegularExpressionMatch next = waitText.match(waiting.detail());
        QVERIFY2(next.hasMatch(), qPrintable(waiting.detail()));
        waitMs = next.captured(1).toInt();
        if (waitMs <= 1500)
            QThread::msleep(waitMs + 1);
    }
    QVERIFY2(waitMs > 1500, "the backoff never reached 1.5 s");
    QElapsedTimer sinceAttempt;
    sinceAttempt.start();

    QVERIFY(cluster.command(u"resume"_s));
    // The first connection has not tried since the outage: it reopens at once.
    const Result<int> back = one(*first);
    QVERIFY2(back, qPrintable(back.detail()));
    // The second still has part of its wait left, but the database is known to be back.
    const qint64 left = waitMs - sinceAttempt.elapsed();
    const Result<int> alsoBack = one(*second);
    QVERIFY2(alsoBack,
             qPrintable(u"%1 (%2 ms of the wait were left)"_s.arg(alsoBack.detail()).arg(left)));
    QCOMPARE(*alsoBack, 1);
    if (left <= 0)
        qWarning() << "the database took longer to resume than the wait: this run could not fail";
}

void ServerResilienceTest::commitCutOffIsNotSuccessAndRetryAppliesOnce()
{
    if (!onPostgres())
        QSKIP("A PostgreSQL connection lost during COMMIT: tst_server_resilience_pg");
    TestDatabase database;
    QVERIFY(CashierService(database.db()).add(u"Cut"_s, u"4321"_s));
    QUrl url(database.path());
    // A simple-protocol Query message: 'Q', length, "COMMIT", NUL.
    Cutter cutter(quint16(url.port()), QByteArray("COMMIT\0", 7), 'C');
    url.setPort(cutter.listen());

    ServerProcess server;
    QVERIFY2(server.start(url.toString()), qPrintable(server.log()));
    HttpClient client(server.port());
    const Response signedIn = client.request(
        "POST", u"/api/auth/login"_s, json({{u"username"_s, u"Cut"_s}, {u"pin"_s, u"4321"_s}}));
    QCOMPARE(signedIn.status, 200);
    const QByteArray token = signedIn.json().value(u"token"_s).toString().toLatin1();
    const Response opened = client.request(
        "POST", u"/api/order-sessions"_s,
        json({{u"items"_s, QJsonArray{QJsonObject{{u"sku"_s, u"COF-ESP"_s}, {u"qty"_s, 2}}}}}),
        bearer(token, {{"Idempotency-Key", "cut-open"}}));
    QCOMPARE(opened.status, 200);
    const QString orderId = opened.json().value(u"id"_s).toString();
    const auto payments = [&] {
        return queryValue(database.db(), u"SELECT COUNT(*) FROM payments WHERE order_id = ?"_s,
                          {orderId})
            .toInt();
    };

    // The payment commits in PostgreSQL, but the server never hears so: not a success.
    const QByteArray pay = json({{u"method"_s, u"cash"_s}, {u"tenderedCents"_s, 1000}});
    const Headers keyed = bearer(token, {{"Idempotency-Key", "cut-pay"}});
    cutter.armed = true;
    const Response cutOff =
        client.request("PUT", u"/api/order-sessions/current/complete"_s, pay, keyed);
    QCOMPARE(cutter.cut.load(), 1);
    QCOMPARE(cutOff.status, 503);
    QVERIFY(cutOff.header("retry-after").toInt() >= 1);
    QCOMPARE(cutOff.json().value(u"code"_s).toString(), u"database_unavailable"_s);
    QCOMPARE(payments(), 1); // it did commit

    // The client's retry with the same key: the stored result, not a second payment.
    Response retried;
    QElapsedTimer waited;
    waited.start();
    while ((retried = client.request("PUT", u"/api/order-sessions/current/complete"_s, pay, keyed))
                   .status == 503 &&
           waited.elapsed() < 20000)
        QTest::qWait(100);
    QCOMPARE(retried.status, 200);
    QCOMPARE(retried.header("idempotent-replayed"), QByteArray("true"));
    QCOMPARE(retried.json().value(u"status"_s).toString(), u"completed"_s);
    QCOMPARE(payments(), 1);
    QVERIFY2(verifyFindings(database.db()).isEmpty(),
             qPrintable(verifyFindings(database.db()).join(u'\n')));
    QCOMPARE(server.stop(), 0);
}

// A batched item add is one statement in autocommit on PostgreSQL; its rows come back before it
// is known to have committed. Cut there, the add is not answered as done: 503, and its retry
// with the same key replays what PostgreSQL did commit, once.
void ServerResilienceTest::rowsWithoutTheirCommitAreNotSuccess()
{
    if (!onPostgres())
        QSKIP("A PostgreSQL connection lost after a statement's rows: tst_server_resilience_pg");
    TestDatabase database;
    QVERIFY(CashierService(database.db()).add(u"Rows"_s, u"4321"_s));
    QUrl url(database.path());
    Cutter cutter(quint16(url.port()), QByteArray("\"action\":\"add_item\""), 'C');
    url.setPort(cutter.listen());

    ServerProcess server;
    QVERIFY2(server.start(url.toString()), qPrintable(server.log()));
    HttpClient client(server.port());
    const Response signedIn = client.request(
        "POST", u"/api/auth/login"_s, json({{u"username"_s, u"Rows"_s}, {u"pin"_s, u"4321"_s}}));
    QCOMPARE(signedIn.status, 200);
    const QByteArray token = signedIn.json().value(u"token"_s).toString().toLatin1();
    const Response opened = client.request("POST", u"/api/order-sessions"_s, {},
                                           bearer(token, {{"Idempotency-Key", "rows-open"}}));
    QCOMPARE(opened.status, 200);
    const QString orderId = opened.json().value(u"id"_s).toString();

    const QByteArray add = json({{u"sku"_s, u"COF-ESP"_s}, {u"qty"_s, 2}});
    const Headers keyed = bearer(token, {{"Idempotency-Key", "rows-add"}});
    cutter.armed = true;
    const Response cutOff =
        client.request("POST", u"/api/order-sessions/current/items"_s, add, keyed);
    QCOMPARE(cutter.cut.load(), 1);
    QVERIFY(cutter.rowsPassed.load() >= 1); // the rows did reach the server
    QCOMPARE(cutOff.status, 503);
    QCOMPARE(cutOff.json().value(u"code"_s).toString(), u"database_unavailable"_s);

    Response retried;
    QElapsedTimer waited;
    waited.start();
    while ((retried = client.request("POST", u"/api/order-sessions/current/items"_s, add, keyed))
                   .status == 503 &&
           waited.elapsed() < 10000)
        QTest::qWait(100);
    QCOMPARE(retried.status, 200);
    QCOMPARE(retried.header("idempotent-replayed"), QByteArray("true"));
    QCOMPARE(queryValue(database.db(),
                        u"SELECT SUM(quantity) FROM order_lines WHERE order_id = ?"_s, {orderId})
                 .toInt(),
             2);
}

void ServerResilienceTest::sqliteDiskFullAnswers503AndRecovers()
{
    if (onPostgres())
        QSKIP("SQLITE_FULL: tst_server_resilience");
    TestDatabase database;
    QVERIFY(CashierService(database.db()).add(u"Full"_s, u"4321"_s));
    // Room that the test can give back later: pages the server's connections may reuse once
    // this table is dropped.
    queryValue(database.db(), u"CREATE TABLE test_filler (data BLOB)"_s);
    for (int i = 0; i < 64; ++i)
        queryValue(database.db(), u"INSERT INTO test_filler VALUES (zeroblob(4000))"_s);
    queryValue(database.db(), u"PRAGMA wal_checkpoint(TRUNCATE)"_s);
    const int pages = queryValue(database.db(), u"PRAGMA page_count"_s).toInt();
    QVERIFY(pages > 64);

    ServerProcess server;
    // A few pages of headroom for signing in and opening the order, then full.
    QVERIFY2(server.start(database.path(), {u"--test-max-db-pages"_s, QString::number(pages + 6)}),
             qPrintable(server.log()));
    HttpClient client(server.port());
    const Response signedIn = client.request(
        "POST", u"/api/auth/login"_s, json({{u"username"_s, u"Full"_s}, {u"pin"_s, u"4321"_s}}));
    QCOMPARE(signedIn.status, 200);
    const QByteArray token = signedIn.json().value(u"token"_s).toString().toLatin1();
    QCOMPARE(client
                 .request("POST", u"/api/order-sessions"_s, {},
                          bearer(token, {{"Idempotency-Key", "full-open"}}))
                 .status,
             200);

    // Open-price items with long names fill pages fast (the order and its stored result grow).
    const auto add = [&](int i) {
        return client.request(
            "POST", u"/api/order-sessions/current/items"_s,
            json({{u"name"_s, u"Item %1 %2"_s.arg(i).arg(QString(150, u'x'))},
                  {u"unitPriceCents"_s, 100},
                  {u"qty"_s, 1}}),
            bearer(token, {{"Idempotency-Key", u"full-add-%1"_s.arg(i).toLatin1()}}));
    };
    int acknowledged = 0;
    Response full;
    for (int i = 0; i < 400; ++i) {
        const Response added = add(i);
        if (added.status != 200) {
            full = added;
            break;
        }
        ++acknowledged;
    }
    QCOMPARE(full.status, 503);
    QVERIFY(full.header("retry-after").toInt() >= 1);
    QCOMPARE(full.json().value(u"code"_s).toString(), u"database_unavailable"_s);
    QVERIFY2(server.log(1 << 20).contains(u"database or disk is full"_s), qPrintable(server.log()));
    QVERIFY(acknowledged > 0);

    // Nothing half-written: the order holds exactly the acknowledged items, and the database is
    // consistent while still full.
    const QString orderId =
        queryValue(database.db(), u"SELECT id FROM order_sessions WHERE status = 'active'"_s)
            .toString();
    QVERIFY(!orderId.isEmpty());
    const auto lines = [&] {
        return queryValue(database.db(), u"SELECT COUNT(*) FROM order_lines WHERE order_id = ?"_s,
                          {orderId})
            .toInt();
    };
    QCOMPARE(lines(), acknowledged);
    QCOMPARE(add(acknowledged).status, 503); // still full: the same request, refused again
    QCOMPARE(lines(), acknowledged);
    {
        const auto [verified, report] = runAdmin({u"verify"_s, u"--db"_s, database.path()});
        QVERIFY2(verified == 0, report.constData());
    }

    // Space comes back: the refused request, retried with its key, is applied once; service goes
    // on without a restart.
    queryValue(database.db(), u"DROP TABLE test_filler"_s);
    const Response retried = add(acknowledged);
    QCOMPARE(retried.status, 200);
    QCOMPARE(lines(), acknowledged + 1);
    const Response replayed = add(acknowledged);
    QCOMPARE(replayed.status, 200);
    QCOMPARE(replayed.header("idempotent-replayed"), QByteArray("true"));
    QCOMPARE(lines(), acknowledged + 1);
    QCOMPARE(client
                 .request("PUT", u"/api/order-sessions/current/complete"_s,
                          json({{u"method"_s, u"cash"_s}, {u"tenderedCents"_s, 1000000}}),
                          bearer(token, {{"Idempotency-Key", "full-pay"}}))
                 .status,
             200);
    QCOMPARE(server.stop(), 0);
    QVERIFY(integrityOk(database.db()));
    QVERIFY2(verifyFindings(database.db()).isEmpty(),
             qPrintable(verifyFindings(database.db()).join(u'\n')));
    const auto [verified, report] = runAdmin({u"verify"_s, u"--db"_s, database.path()});
    QVERIFY2(verified == 0, report.constData());
}

QTEST_GUILESS_MAIN(ServerResilienceTest)
#include "tst_server_resilience.moc"
