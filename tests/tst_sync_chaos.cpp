// Issue 12's end-to-end test of "money is a fact", through real processes: one safetill-server
// (SQLite, and PostgreSQL as tst_sync_chaos_pg), three tills (SQLite databases, each with its own
// device token, synced by the real SyncEngine) and the server's REST API as a terminal of its own.
// Every till request goes through a seeded FlakyProxy (resets, 500/503, answers dropped after the
// server committed, delays); the server is killed (SIGKILL) while a till's batch is on its way and
// restarted on the same database on a new port. One cashier, Alice, works on every terminal.
//
// The lost races are built as the protocol allows them (docs/sync-protocol.md, sections 3 and
// 5.1): a device's order can be changed on the server only by the server's own code (a manager's
// edit), never through the REST API, which is a terminal of its own and sees only its own orders.
// So the server-side edits here use the server's OrderService (SyncSide::Server) on the server's
// database while the server process runs, as tst_sync_server's serverEditMergesAndPaymentIsBooked
// does:
//   paid_order_changed   the server adds an item to a till's synced order; the till takes payment
//                        for the items it shows
//   paid_twice           the server takes payment for a till's synced order; so does the till
//   lines_after_payment  the server takes payment for a till's synced order; the till adds an item
//
// Afterwards: every payment a till acknowledged is booked on the server exactly once, with the
// same amount; the server holds no other payment than those and the ones the test made on the
// server (REST, server code); no payment row ever went away on any side; every lost race is on
// the review lists where the protocol puts it; `verify` is clean on every database.
//
// Two product bugs make parts of this suite fail today; each has a small test of its own at the
// end (reviewItemOfALostAnswerReachesTheTill, aSyncRunLeavesNoSnapshotBehind). The assertions
// that meet them come last in the big test, so that everything else is checked first.

#include "Database.h"
#include "FlakyProxy.h"
#include "OrderService.h"
#include "OrderStore.h"
#include "ResultChecks.h"
#include "ServerTestClient.h"
#include "SyncEngine.h"
#include "SyncTransport.h"
#include "TestSupport.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonObject>
#include <QProcess>
#include <QRandomGenerator>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include <atomic>
#include <memory>
#include <optional>
#include <thread>
#include <vector>

using namespace Qt::StringLiterals;
using namespace SafeTill;
using namespace SafeTill::Test;

namespace {

constexpr quint32 chaosSeed = 20261212;
constexpr int faultPercent = 22;
constexpr int salesPerTill = 60;
const QByteArray pushPath = "POST /api/sync/v1/push ";

// One payment row, as every side stores it.
struct PaymentRow
{
    QString orderId;
    qint64 amount = 0;
    QString kind;
    QString method;
    QString receiptNo;
    QString terminalId;
    bool operator==(const PaymentRow &) const = default;
};

QHash<QString, PaymentRow> paymentsOf(Database &db)
{
    QHash<QString, PaymentRow> rows;
    QSqlQuery query(db.connection());
    if (!query.exec(u"SELECT id, COALESCE(order_id, ''), amount_cents, kind, method, receipt_no, "
                    "terminal_id FROM payments"_s))
        qFatal("payments: %s", qPrintable(query.lastError().text()));
    while (query.next()) {
        rows.insert(query.value(0).toString(),
                    PaymentRow{query.value(1).toString(), query.value(2).toLongLong(),
                               query.value(3).toString(), query.value(4).toString(),
                               query.value(5).toString(), query.value(6).toString()});
    }
    return rows;
}

// The review items of an order, as "kind amount" (sorted), or of the whole database.
QStringList reviewItems(Database &db, const QString &orderId)
{
    QStringList items;
    QSqlQuery query(db.connection());
    query.prepare(u"SELECT kind, amount_cents FROM review_items WHERE order_id = ? "
                  "ORDER BY kind, amount_cents"_s);
    query.addBindValue(orderId);
    if (!query.exec())
        qFatal("review items: %s", qPrintable(query.lastError().text()));
    while (query.next())
        items << query.value(0).toString() + u' ' + query.value(1).toString();
    return items;
}

std::pair<int, QByteArray> runProgram(const QString &program, const QStringList &arguments)
{
    QProcess process;
    process.start(program, arguments);
    process.waitForFinished(60000);
    return {process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1,
            process.readAllStandardOutput() + process.readAllStandardError()};
}

// A till: its own SQLite database (fast commits: a test), filled by its first sync's pull, its
// device token, and what it saw of its payments.
class Till
{
public:
    Till(int number, QByteArray token)
        : name(u"Till %1"_s.arg(number))
        , token(std::move(token))
    {
        QString error;
        DatabaseOptions options{path()};
        options.durableCommits = false;
        m_db = Database::open(options, &error);
        if (!m_db)
            qFatal("till: %s", qPrintable(error));
        orders = std::make_unique<OrderService>(*m_db);
    }
    Database &db() { return *m_db; }
    QString path() const { return m_dir.filePath(u"till.sqlite"_s); }
    QString cashierId(const QString &cashier)
    {
        return queryValue(*m_db, u"SELECT id FROM cashiers WHERE name = ?"_s, {cashier}).toString();
    }
    QString terminalId()
    {
        return queryValue(*m_db, u"SELECT terminal_id FROM terminal"_s).toString();
    }
    qint64 count(const QString &sql) { return queryValue(*m_db, sql).toLongLong(); }

    const QString name;
    const QByteArray token;
    std::unique_ptr<OrderService> orders;
    QHash<QString, PaymentRow> seen; // every payment row this till ever held
    QHash<QString, qint64> taken;    // payments acknowledged here (complete() said ok): amount
    int rejected = 0;                // ops the server rejected, over all runs
    int conflicts = 0;               // ops that were conflicts, over all runs

private:
    QTemporaryDir m_dir;
    std::unique_ptr<Database> m_db;
};

// A lost race the test built, and the review items it must produce.
struct LostRace
{
    enum Kind { PaidOrderChanged, PaidTwice, LinesAfterPayment };
    Kind kind;
    Till *till = nullptr;
    QString cashier;
    QString orderId;
    QString tillPaymentId;   // the till's payment (PaidOrderChanged, PaidTwice)
    qint64 tillPaid = 0;     // its amount
    QString serverPaymentId; // the server's payment (PaidTwice, LinesAfterPayment)
    qint64 difference = 0;   // the value of what was added elsewhere
};

} // namespace

class SyncChaosTest : public QObject
{
    Q_OBJECT

private:
    QByteArray addDevice(const QString &name)
    {
        auto [status, token] = runAdmin({u"--db"_s, m_db->path(), u"device"_s, u"add"_s, name});
        return status == 0 ? token.trimmed() : QByteArray();
    }
    QUrl proxyUrl() const { return QUrl(u"http://127.0.0.1:%1"_s.arg(m_proxy->port())); }
    static SyncPolicy policy()
    {
        SyncPolicy policy;
        policy.maxAttemptsPerRequest = 12;
        policy.firstBackoffMs = 20;
        policy.maxBackoffMs = 200;
        policy.maxRetryAfterMs = 200;
        policy.maxOpsPerBatch = 10; // many requests, so the faults meet every kind of moment
        return policy;
    }

    // One sync run, on a connection of its own to the till's database, as `safetill-cli sync
    // --once` makes one per run. (Not on the connection the till's actions use: see
    // aSyncRunLeavesNoSnapshotBehind for why not, today.) Thread-safe.
    static SyncRunReport runEngine(const Till &till, const QUrl &url)
    {
        SyncRunReport report;
        DatabaseOptions options{till.path()};
        options.durableCommits = false;
        QString error;
        const std::unique_ptr<Database> db = Database::open(options, &error);
        if (!db) {
            report.status = SyncRunReport::Status::LocalError;
            report.error = error;
            return report;
        }
        SyncTransport transport(url, till.token, {});
        transport.setTimeoutMs(5000);
        QElapsedTimer timer;
        timer.start();
        report = SyncEngine(*db, transport, url.toString(), policy()).run();
        if (timer.elapsed() > 2000) // a request timed out: worth knowing when the suite is slow
            qInfo().noquote() << till.name << "sync run took" << timer.elapsed() << "ms,"
                              << report.requests << "requests," << report.retries << "retries";
        return report;
    }

    // One sync run of a till through the proxy. Every payment row the till held before is still
    // there afterwards, unchanged; so on the server.
    SyncRunReport sync(Till &till)
    {
        rememberPayments(till);
        const SyncRunReport report = runEngine(till, proxyUrl());
        till.rejected += report.rejected;
        till.conflicts += report.conflicts;
        m_problems += paymentsKept(till.name, till.db(), till.seen);
        m_problems += paymentsKept(u"the server"_s, m_db->db(), m_serverSeen);
        rememberPayments(till);
        return report;
    }
    void rememberPayments(Till &till)
    {
        till.seen.insert(paymentsOf(till.db()));
        m_serverSeen.insert(paymentsOf(m_db->db()));
    }
    static QStringList paymentsKept(const QString &where, Database &db,
                                    const QHash<QString, PaymentRow> &before)
    {
        QStringList problems;
        const QHash<QString, PaymentRow> now = paymentsOf(db);
        for (auto it = before.constBegin(); it != before.constEnd(); ++it) {
            if (!now.contains(it.key()))
                problems << u"%1: payment %2 (%3 cents) was deleted"_s.arg(where, it.key())
                                .arg(it->amount);
            else if (!(now.value(it.key()) == *it))
                problems << u"%1: payment %2 was changed"_s.arg(where, it.key());
        }
        if (now.size() < before.size())
            problems << u"%1: fewer payments than before"_s.arg(where);
        return problems;
    }

    // Syncs the tills until no till has an op left to send (bounded); false if some till still
    // has one. In turn, or all at once (each from a thread of its own, with its own connection
    // to its database, while this thread serves the proxy).
    enum class Mode { InTurn, AtOnce };
    bool drain(QList<Till *> tills, Mode mode = Mode::InTurn, int maxRounds = 10)
    {
        for (int round = 0; round < maxRounds; ++round) {
            QList<SyncRunReport> reports;
            if (mode == Mode::InTurn) {
                for (Till *till : tills)
                    reports << sync(*till);
            } else {
                reports = syncAtOnce(tills);
            }
            ++m_rounds;
            bool empty = true;
            for (qsizetype t = 0; t < tills.size(); ++t) {
                const SyncRunReport &report = reports.at(t);
                if (report.status != SyncRunReport::Status::Done || report.pendingAfter != 0) {
                    qInfo().noquote() << tills.at(t)->name << "round" << round << "pending"
                                      << report.pendingAfter << report.error;
                    empty = false;
                }
            }
            if (empty)
                return true;
        }
        return false;
    }
    QList<SyncRunReport> syncAtOnce(const QList<Till *> &tills)
    {
        for (Till *till : tills)
            rememberPayments(*till);
        const QUrl url = proxyUrl();
        QList<SyncRunReport> reports(tills.size());
        std::atomic<int> finished = 0;
        std::vector<std::thread> threads;
        for (qsizetype t = 0; t < tills.size(); ++t) {
            threads.emplace_back([&, t] {
                reports[t] = runEngine(*tills.at(t), url);
                ++finished;
            });
        }
        while (finished < int(tills.size()))
            QTest::qWait(5);
        for (std::thread &thread : threads)
            thread.join();
        for (qsizetype t = 0; t < tills.size(); ++t) {
            Till &till = *tills.at(t);
            till.rejected += reports.at(t).rejected;
            till.conflicts += reports.at(t).conflicts;
            m_problems += paymentsKept(till.name, till.db(), till.seen);
            rememberPayments(till);
        }
        m_problems += paymentsKept(u"the server"_s, m_db->db(), m_serverSeen);
        return reports;
    }

    // A sale at a till: the cashier's order (opened, or resumed), 1..3 items, paid in cash or by
    // card; its payment is then acknowledged at the till.
    Result<Order> sell(Till &till, const QString &cashier, bool card)
    {
        Result<Order> order = till.orders->openOrResume(till.cashierId(cashier), newId());
        if (!order)
            return order;
        const int items = 1 + int(m_random.bounded(3));
        for (int i = 0; i < items && order; ++i)
            order = till.orders->addProduct(OrderTarget::byId(order->id), anySku(),
                                            1 + int(m_random.bounded(2)), newId());
        if (!order)
            return order;
        return pay(till, *order, card);
    }
    Result<Order> pay(Till &till, const Order &order, bool card)
    {
        const Cents total = order.totalCents();
        const PaymentRequest payment{card ? PaymentMethod::Card : PaymentMethod::Cash,
                                     card ? total : (total / 500 + 1) * 500};
        Result<Order> paid =
            till.orders->complete(OrderTarget::byId(order.id), payment, order.version, newId());
        if (paid && paid->payment)
            till.taken.insert(paid->payment->id, paid->payment->amountCents);
        return paid;
    }
    // An open order of the cashier at the till with two items, not paid.
    Result<Order> openWithItems(Till &till, const QString &cashier)
    {
        Result<Order> order = till.orders->openOrResume(till.cashierId(cashier), newId());
        if (order)
            order = till.orders->addProduct(OrderTarget::byId(order->id), u"COF-ESP"_s, 2, newId());
        return order;
    }
    QString anySku()
    {
        static const QStringList skus{u"COF-ESP"_s, u"COF-DBL"_s, u"COF-AME"_s, u"COF-CAP"_s,
                                      u"COF-LAT"_s, u"BAK-CRO"_s, u"TEA-BLK"_s};
        return skus.at(int(m_random.bounded(int(skus.size()))));
    }
    Cents price(const QString &sku)
    {
        return queryValue(m_db->db(), u"SELECT price_cents FROM products WHERE sku = ?"_s, {sku})
            .toLongLong();
    }

    // The REST API, as a cashier: straight to the server (a back-office client on its host).
    QByteArray restLogin(const QString &cashier, const QString &pin)
    {
        HttpClient client(m_server->port());
        return client
            .request("POST", u"/api/auth/login"_s,
                     json({{u"username"_s, cashier}, {u"pin"_s, pin}}))
            .json()
            .value(u"token"_s)
            .toString()
            .toLatin1();
    }
    // Opens (or resumes) the cashier's REST order and adds an item; its total, or -1.
    qint64 restAdd(const QByteArray &token, const QString &sku, int qty)
    {
        HttpClient client(m_server->port());
        if (client.request("POST", u"/api/order-sessions"_s, {}, bearer(token)).status != 200)
            return -1;
        const Response added =
            client.request("POST", u"/api/order-sessions/current/items"_s,
                           json({{u"sku"_s, sku}, {u"qty"_s, qty}}), bearer(token));
        return added.status == 200 ? added.json().value(u"total"_s).toInteger() : -1;
    }
    // Pays the cashier's REST order by card; the payment's id (recorded as made on the server).
    QString restPay(const QByteArray &token, qint64 total)
    {
        HttpClient client(m_server->port());
        const Response paid = client.request(
            "PUT", u"/api/order-sessions/current/complete"_s,
            json({{u"method"_s, u"card"_s}, {u"tenderedCents"_s, total}}), bearer(token));
        const QString id = paid.json().value(u"payment"_s).toObject().value(u"id"_s).toString();
        if (paid.status == 200 && !id.isEmpty())
            m_serverMade.insert(id, total);
        return id;
    }

    std::unique_ptr<TestDatabase> m_db;
    std::unique_ptr<ServerProcess> m_server;
    std::unique_ptr<FlakyProxy> m_proxy;
    QRandomGenerator m_random{chaosSeed};
    QHash<QString, PaymentRow> m_serverSeen;
    QHash<QString, qint64> m_serverMade; // payments made on the server (REST, server code)
    QStringList m_problems;              // payment rows that went away or changed
    int m_rounds = 0;

private Q_SLOTS:
    void initTestCase() { SAFETILL_REQUIRE_TEST_BACKEND(); }
    void init()
    {
        m_db = std::make_unique<TestDatabase>();
        m_server = std::make_unique<ServerProcess>();
        QVERIFY(m_server->start(m_db->path()));
        m_proxy = std::make_unique<FlakyProxy>(chaosSeed, faultPercent);
        m_proxy->setTarget(m_server->port());
        m_random.seed(chaosSeed);
        m_serverSeen.clear();
        m_serverMade.clear();
        m_problems.clear();
        m_rounds = 0;
    }
    void cleanup()
    {
        if ((QTest::currentTestFailed() || qEnvironmentVariableIsSet("SAFETILL_SHOW_SERVER_LOG")) &&
            m_server)
            qWarning().noquote() << "server log:" << m_server->log();
        m_proxy.reset();
        m_server.reset();
        m_db.reset();
    }

    void threeTillsRestAndAKilledServer();
    void reviewItemOfALostAnswerReachesTheTill();
    void aSyncRunLeavesNoSnapshotBehind();
    void splitTendersThroughALossyProxy();
};

void SyncChaosTest::threeTillsRestAndAKilledServer()
{
    QElapsedTimer clock;
    clock.start();
    // A fourth cashier, so each till has a cashier for each kind of lost race besides Alice.
    QCOMPARE(runAdmin({u"--db"_s, m_db->path(), u"user"_s, u"add"_s, u"Dave"_s}, "4321\n").first,
             0);
    std::vector<std::unique_ptr<Till>> owned;
    QList<Till *> tills;
    for (int number = 1; number <= 3; ++number) {
        const QByteArray token = addDevice(u"Till %1"_s.arg(number));
        QCOMPARE(token.size(), 43);
        owned.push_back(std::make_unique<Till>(number, token));
        tills << owned.back().get();
    }
    Till &till1 = *tills.at(0);
    Till &till2 = *tills.at(1);
    Till &till3 = *tills.at(2);

    // The server is killed once, a moment after till 2's second push of the backlog reached it,
    // and comes back on the same database on a new port.
    QObject scope; // the timer below dies with this test function
    int kills = 0;
    int till2Pushes = 0;
    bool killArmed = false;
    quint16 firstPort = m_server->port();
    bool restarted = false;
    m_proxy->forwarded = [&](const QByteArray &request) {
        if (!killArmed || !request.startsWith(pushPath) || !request.contains(till2.token) ||
            ++till2Pushes != 2)
            return;
        killArmed = false;
        QTimer::singleShot(3, &scope, [&] {
            m_server->kill();
            ++kills;
            restarted = m_server->start(m_db->path());
            m_proxy->setTarget(m_server->port());
        });
    };
    // The answers to each till's push of its lost races are lost after the server committed
    // (a 200 dropped on its way back): the review list must survive that. The dice drop others.
    QSet<QByteArray> dropPushesOf;
    int droppedCommitted = 0;
    m_proxy->decide = [&](const QByteArray &request) -> std::optional<FlakyProxy::Fault> {
        for (const QByteArray &token : std::as_const(dropPushesOf)) {
            if (request.startsWith(pushPath) && request.contains(token))
                return FlakyProxy::DropAnswer;
        }
        return std::nullopt;
    };
    m_proxy->answerDropped = [&](const QByteArray &request, const QByteArray &answer) {
        for (const QByteArray &token : std::as_const(dropPushesOf)) {
            if (request.contains(token) && answer.startsWith("HTTP/1.1 200")) {
                dropPushesOf.remove(token);
                ++droppedCommitted;
                return;
            }
        }
    };

    // First contact: each till pulls cashiers, catalog and its receipt prefix.
    QVERIFY(drain(tills));
    for (Till *till : tills)
        QVERIFY(!till->cashierId(u"Dave"_s).isEmpty());

    // --- The backlog: every cashier sells on every till, cash and card; Alice parks an order on
    // till 1 and sells on tills 2 and 3 and through the REST API, where she parks one too; Maria
    // and Bob park one each on tills 2 and 3 and leave them there. The orders of the lost races
    // are opened (and synced) but not paid. The tills push all at once.
    const QStringList cashiers{u"Alice"_s, u"Bob"_s, u"Maria"_s, u"Dave"_s};
    for (qsizetype t = 0; t < tills.size(); ++t) {
        for (int i = 0; i < salesPerTill; ++i) {
            const QString cashier = cashiers.at((i + t) % cashiers.size());
            const Result<Order> sold = sell(*tills.at(t), cashier, i % 3 == 0);
            QVERIFY2(sold, qPrintable(sold.message()));
        }
    }
    const Result<Order> parked = openWithItems(till1, u"Alice"_s);
    QVERIFY(parked);
    QVERIFY(till1.orders->logOut(OrderTarget::byId(parked->id), newId()));
    QList<std::pair<Till *, QString>> leftParked; // (till, order id)
    for (const auto &[till, cashier] :
         {std::pair{&till2, u"Maria"_s}, std::pair{&till3, u"Bob"_s}}) {
        const Result<Order> order = openWithItems(*till, cashier);
        QVERIFY(order);
        QVERIFY(till->orders->logOut(OrderTarget::byId(order->id), newId()));
        leftParked << std::pair{till, order->id};
    }
    // Each park of a cashier's order on another till while she sells here is fine (issue 12,
    // scenario 2): one open order per cashier per terminal.
    const QByteArray aliceRest = restLogin(u"Alice"_s, u"1234"_s);
    QCOMPARE(aliceRest.size(), 43);
    for (int i = 0; i < 2; ++i) {
        const qint64 total = restAdd(aliceRest, anySku(), 2);
        QVERIFY(total > 0);
        QVERIFY(!restPay(aliceRest, total).isEmpty());
    }
    QVERIFY(restAdd(aliceRest, u"TEA-BLK"_s, 1) > 0);
    {
        HttpClient client(m_server->port());
        QCOMPARE(
            client.request("PUT", u"/api/order-sessions/current/logout"_s, {}, bearer(aliceRest))
                .status,
            200);
    }

    // The lost races: per till, one cashier each (Alice on tills 2 and 3).
    struct Plan
    {
        Till *till;
        QString cashier;
        LostRace::Kind kind;
    };
    const QList<Plan> plans{
        {&till1, u"Bob"_s, LostRace::PaidOrderChanged},
        {&till1, u"Maria"_s, LostRace::PaidTwice},
        {&till1, u"Dave"_s, LostRace::LinesAfterPayment},
        {&till2, u"Alice"_s, LostRace::PaidOrderChanged},
        {&till2, u"Bob"_s, LostRace::PaidTwice},
        {&till2, u"Dave"_s, LostRace::LinesAfterPayment},
        {&till3, u"Maria"_s, LostRace::PaidOrderChanged},
        {&till3, u"Dave"_s, LostRace::PaidTwice},
        {&till3, u"Alice"_s, LostRace::LinesAfterPayment},
    };
    QList<LostRace> races;
    for (const Plan &plan : plans) {
        const Result<Order> order = openWithItems(*plan.till, plan.cashier);
        QVERIFY2(order, qPrintable(order.message()));
        races << LostRace{plan.kind, plan.till, plan.cashier, order->id, {}, 0, {}, 0};
    }

    killArmed = true;
    QVERIFY(drain(tills, Mode::AtOnce));
    QTRY_VERIFY_WITH_TIMEOUT(restarted, 20000);
    QCOMPARE(kills, 1);
    qInfo("backlog synced (%d rounds, server killed and restarted on port %d after %d), %lld ms",
          m_rounds, m_server->port(), firstPort, qint64(clock.elapsed()));

    // --- The races. The server changes each race order (its own code: a manager's edit) while
    // the till, which has not heard of it, pays for it or adds to it.
    OrderService server(m_db->db(), Clock::system(), SyncSide::Server);
    for (LostRace &race : races) {
        const OrderTarget onServer = OrderTarget::byId(race.orderId);
        const std::optional<Order> tillCopy = OrderStore(race.till->db()).load(race.orderId);
        QVERIFY(tillCopy);
        switch (race.kind) {
        case LostRace::PaidOrderChanged: {
            QVERIFY(server.addProduct(onServer, u"BAK-CRO"_s, 1, newId()));
            race.difference = price(u"BAK-CRO"_s);
            const Result<Order> paid = pay(*race.till, *tillCopy, race.till == &till2);
            QVERIFY2(paid, qPrintable(paid.message()));
            race.tillPaymentId = paid->payment->id;
            race.tillPaid = paid->payment->amountCents;
            break;
        }
        case LostRace::PaidTwice: {
            const Result<Order> serverPaid = server.complete(
                onServer, PaymentRequest{PaymentMethod::Card, tillCopy->totalCents()}, std::nullopt,
                newId());
            QVERIFY2(serverPaid, qPrintable(serverPaid.message()));
            race.serverPaymentId = serverPaid->payment->id;
            m_serverMade.insert(race.serverPaymentId, serverPaid->payment->amountCents);
            const Result<Order> paid = pay(*race.till, *tillCopy, false);
            QVERIFY2(paid, qPrintable(paid.message()));
            race.tillPaymentId = paid->payment->id;
            race.tillPaid = paid->payment->amountCents;
            break;
        }
        case LostRace::LinesAfterPayment: {
            const Result<Order> serverPaid = server.complete(
                onServer, PaymentRequest{PaymentMethod::Cash, 5000}, std::nullopt, newId());
            QVERIFY2(serverPaid, qPrintable(serverPaid.message()));
            race.serverPaymentId = serverPaid->payment->id;
            m_serverMade.insert(race.serverPaymentId, serverPaid->payment->amountCents);
            QVERIFY(race.till->orders->addProduct(OrderTarget::byId(race.orderId), u"COF-LAT"_s, 1,
                                                  newId()));
            race.difference = price(u"COF-LAT"_s);
            break;
        }
        }
    }
    // Business goes on meanwhile: a sale on each till (by a cashier with no open order there),
    // one through REST.
    QVERIFY(sell(till1, u"Maria"_s, true));
    QVERIFY(sell(till2, u"Alice"_s, false));
    QVERIFY(sell(till3, u"Maria"_s, true));
    const QByteArray bobRest = restLogin(u"Bob"_s, u"5678"_s);
    const qint64 bobTotal = restAdd(bobRest, u"COF-CAP"_s, 1);
    QVERIFY(bobTotal > 0);
    QVERIFY(!restPay(bobRest, bobTotal).isEmpty());

    for (Till *till : tills)
        dropPushesOf.insert(till->token);
    QVERIFY(drain(tills));
    QVERIFY(dropPushesOf.isEmpty());

    // --- Alice comes back to till 1 and pays for her parked order; she pays her REST one too.
    const Result<Order> resumed = till1.orders->openOrResume(till1.cashierId(u"Alice"_s), newId());
    QVERIFY(resumed);
    QCOMPARE(resumed->id, parked->id);
    QVERIFY(pay(till1, *resumed, true));
    const qint64 restTotal = restAdd(aliceRest, u"BAK-CRO"_s, 1);
    QVERIFY(restTotal > 0);
    QVERIFY(!restPay(aliceRest, restTotal).isEmpty());
    QVERIFY(drain(tills, Mode::AtOnce));
    qInfo("all synced after %d rounds, %lld ms; proxy: %d requests, %d faults (%d resets, %d "
          "500s, %d 503s, %d answers dropped, %d delayed)",
          m_rounds, qint64(clock.elapsed()), m_proxy->requests, m_proxy->faults,
          m_proxy->counts[FlakyProxy::Reset], m_proxy->counts[FlakyProxy::Error500],
          m_proxy->counts[FlakyProxy::Error503], m_proxy->counts[FlakyProxy::DropAnswer],
          m_proxy->counts[FlakyProxy::Delay]);

    // --- The checks.
    // The chaos happened.
    QCOMPARE(kills, 1);
    QVERIFY(m_proxy->faults > 0);
    QVERIFY(m_proxy->faults > droppedCommitted); // the dice too, not only the planned drops
    QCOMPARE(droppedCommitted, 3);

    // No payment row ever went away or changed, on any side, across every sync run.
    QVERIFY2(m_problems.isEmpty(), qPrintable(m_problems.join(u'\n')));
    for (Till *till : tills) {
        // Every payment the till acknowledged is still there, as acknowledged.
        const QHash<QString, PaymentRow> held = paymentsOf(till->db());
        for (auto it = till->taken.constBegin(); it != till->taken.constEnd(); ++it) {
            QVERIFY2(held.contains(it.key()), qPrintable(till->name + u" lost "_s + it.key()));
            QCOMPARE(held.value(it.key()).amount, it.value());
        }
        // Nothing left to send; what is held back is exactly the three conflicts of the
        // lines_after_payment races (the items added after the server's payment); nothing
        // was rejected (Alice's orders on four terminals included).
        QCOMPARE(till->count(u"SELECT COUNT(*) FROM outbox WHERE state = 'pending'"_s), 0);
        QCOMPARE(till->rejected, 0);
        QCOMPARE(till->count(u"SELECT COUNT(*) FROM review_items WHERE kind = 'sync_rejected'"_s),
                 0);
    }

    // Every payment acknowledged at a till is on the server once, by its id, with its amount;
    // the server holds no other payment than those and the ones made on the server.
    const QHash<QString, PaymentRow> onServer = paymentsOf(m_db->db());
    qint64 acknowledged = 0;
    qint64 booked = 0;
    QSet<QString> expected;
    for (Till *till : tills) {
        const QString device =
            queryValue(m_db->db(), u"SELECT id FROM devices WHERE name = ?"_s, {till->name})
                .toString();
        int bookedForDevice = 0;
        for (const PaymentRow &row : onServer)
            bookedForDevice += row.terminalId == device;
        QCOMPARE(bookedForDevice, int(till->taken.size()));
        for (auto it = till->taken.constBegin(); it != till->taken.constEnd(); ++it) {
            QVERIFY2(onServer.contains(it.key()),
                     qPrintable(till->name + u": payment not booked: "_s + it.key()));
            const PaymentRow &row = onServer.value(it.key());
            QCOMPARE(row.amount, it.value());
            QCOMPARE(row.terminalId, device);
            QCOMPARE(row.receiptNo, paymentsOf(till->db()).value(it.key()).receiptNo);
            acknowledged += it.value();
            booked += row.amount;
            expected.insert(it.key());
        }
    }
    QCOMPARE(booked, acknowledged);
    for (auto it = m_serverMade.constBegin(); it != m_serverMade.constEnd(); ++it) {
        QVERIFY(onServer.contains(it.key()));
        QCOMPARE(onServer.value(it.key()).amount, it.value());
        expected.insert(it.key());
    }
    QCOMPARE(QSet<QString>(onServer.keyBegin(), onServer.keyEnd()), expected);
    qint64 serverSum = 0;
    for (const PaymentRow &row : onServer)
        serverSum += row.amount;
    qint64 madeOnServer = 0;
    for (qint64 amount : std::as_const(m_serverMade))
        madeOnServer += amount;
    QCOMPARE(serverSum, acknowledged + madeOnServer);

    // The orders left parked are parked on the server too, with the till's items.
    for (const auto &[till, orderId] : std::as_const(leftParked)) {
        const std::optional<Order> serverOrder = OrderStore(m_db->db()).load(orderId);
        const std::optional<Order> tillOrder = OrderStore(till->db()).load(orderId);
        QVERIFY(serverOrder && tillOrder);
        QCOMPARE(toString(serverOrder->status), u"pending_logout"_s);
        QCOMPARE(toString(tillOrder->status), u"pending_logout"_s);
        QCOMPARE(serverOrder->totalCents(), tillOrder->totalCents());
        QVERIFY(serverOrder->payments.isEmpty());
    }
    QCOMPARE(toString(OrderStore(m_db->db()).load(parked->id)->status), u"completed"_s);

    // Every lost race is on the server's review list, with the right difference; the paid
    // orders stay paid everywhere.
    for (const LostRace &race : std::as_const(races)) {
        const QString what = race.till->name + u' ' + race.cashier + u' ' + race.orderId;
        const std::optional<Order> serverOrder = OrderStore(m_db->db()).load(race.orderId);
        const std::optional<Order> tillOrder = OrderStore(race.till->db()).load(race.orderId);
        QVERIFY2(serverOrder && tillOrder, qPrintable(what));
        QCOMPARE(toString(serverOrder->status), u"completed"_s);
        QCOMPARE(toString(tillOrder->status), u"completed"_s);
        switch (race.kind) {
        case LostRace::PaidOrderChanged:
            QCOMPARE(reviewItems(m_db->db(), race.orderId),
                     QStringList{u"paid_order_changed %1"_s.arg(race.difference)});
            QCOMPARE(onServer.value(race.tillPaymentId).kind, u"sale"_s);
            QCOMPARE(serverOrder->totalCents(), race.tillPaid);
            break;
        case LostRace::PaidTwice:
            QCOMPARE(reviewItems(m_db->db(), race.orderId),
                     QStringList{u"paid_twice %1"_s.arg(-race.tillPaid)});
            QCOMPARE(onServer.value(race.tillPaymentId).kind, u"overpayment"_s);
            QCOMPARE(onServer.value(race.serverPaymentId).kind, u"sale"_s);
            break;
        case LostRace::LinesAfterPayment:
            // Only the till knows of the items it added after the server's payment.
            QCOMPARE(reviewItems(m_db->db(), race.orderId), QStringList{});
            QCOMPARE(reviewItems(race.till->db(), race.orderId),
                     (QStringList{u"line_conflict 0"_s,
                                  u"lines_after_payment %1"_s.arg(race.difference)}));
            QCOMPARE(race.till->count(u"SELECT COUNT(*) FROM outbox WHERE state = 'failed' "
                                      "AND order_id = '%1'"_s.arg(race.orderId)),
                     qint64(1));
            // The till took the server's payment; the item added after it is not on the order.
            QVERIFY(paymentsOf(race.till->db()).contains(race.serverPaymentId));
            QCOMPARE(tillOrder->totalCents(), serverOrder->totalCents());
            break;
        }
    }
    const qint64 serverReviews =
        queryValue(m_db->db(), u"SELECT COUNT(*) FROM review_items"_s).toLongLong();
    QCOMPARE(serverReviews, qint64(6));
    for (Till *till : tills)
        QCOMPARE(till->count(u"SELECT COUNT(*) FROM outbox WHERE state = 'failed'"_s), qint64(1));

    // verify: clean on every database, in process and as the shipped commands.
    VERIFY_DATABASE_CLEAN(m_db->db());
    auto [serverVerify, serverOut] =
        runProgram(QStringLiteral(SAFETILL_SERVER_PATH), {u"--db"_s, m_db->path(), u"verify"_s});
    QVERIFY2(serverVerify == 0, serverOut.constData());
    for (Till *till : tills) {
        VERIFY_DATABASE_CLEAN(till->db());
        auto [tillVerify, tillOut] =
            runProgram(QStringLiteral(SAFETILL_CLI_PATH), {u"--db"_s, till->path(), u"verify"_s});
        QVERIFY2(tillVerify == 0, tillOut.constData());
    }

    // Last, the tills' own review lists: the server's answer brings each case the server
    // opened for the till's payment (docs/sync-protocol.md 5.1 step 4, 5.3), even when the first
    // answer to that push was lost.
    QStringList missing;
    for (const LostRace &race : std::as_const(races)) {
        if (race.kind == LostRace::LinesAfterPayment)
            continue;
        const QStringList want = reviewItems(m_db->db(), race.orderId);
        const QStringList have = reviewItems(race.till->db(), race.orderId);
        if (have != want)
            missing << u"%1 order %2: server has [%3], till has [%4]"_s.arg(
                race.till->name, race.orderId, want.join(u", "_s), have.join(u", "_s));
    }
    qInfo("checked after %lld ms", qint64(clock.elapsed()));
    QVERIFY2(missing.isEmpty(),
             qPrintable(u"review items the till never got:\n"_s + missing.join(u'\n')));
}

void SyncChaosTest::reviewItemOfALostAnswerReachesTheTill()
{
    // The smallest case of the above: no dice, one till, one lost race (paid_order_changed), and
    // the answer to the push with the payment lost after the server committed. The retry is
    // answered "replayed"; the till must still learn of the review item the server opened.
    const QByteArray token = addDevice(u"Till 1"_s);
    QCOMPARE(token.size(), 43);
    m_proxy = std::make_unique<FlakyProxy>(chaosSeed, 0);
    m_proxy->setTarget(m_server->port());
    bool dropNext = false;
    int dropped = 0;
    m_proxy->decide = [&](const QByteArray &request) -> std::optional<FlakyProxy::Fault> {
        if (!dropNext || !request.startsWith(pushPath))
            return std::nullopt;
        return FlakyProxy::DropAnswer;
    };
    m_proxy->answerDropped = [&](const QByteArray &, const QByteArray &answer) {
        if (answer.startsWith("HTTP/1.1 200")) {
            dropNext = false;
            ++dropped;
        }
    };
    Till till(1, token);
    QVERIFY(drain({&till}));
    const Result<Order> order = openWithItems(till, u"Alice"_s);
    QVERIFY(order);
    QVERIFY(drain({&till}));

    OrderService server(m_db->db(), Clock::system(), SyncSide::Server);
    QVERIFY(server.addProduct(OrderTarget::byId(order->id), u"BAK-CRO"_s, 1, newId()));
    const Result<Order> paid = pay(till, *order, false);
    QVERIFY(paid);
    dropNext = true;
    QVERIFY(drain({&till}));
    QCOMPARE(dropped, 1);

    QVERIFY2(m_problems.isEmpty(), qPrintable(m_problems.join(u'\n')));
    QCOMPARE(queryValue(m_db->db(), u"SELECT amount_cents FROM payments WHERE id = ?"_s,
                        {paid->payment->id})
                 .toLongLong(),
             paid->payment->amountCents);
    QCOMPARE(reviewItems(m_db->db(), order->id),
             QStringList{u"paid_order_changed %1"_s.arg(price(u"BAK-CRO"_s))});
    VERIFY_DATABASE_CLEAN(m_db->db());
    VERIFY_DATABASE_CLEAN(till.db());
    QCOMPARE(reviewItems(till.db(), order->id), reviewItems(m_db->db(), order->id));
}

void SyncChaosTest::aSyncRunLeavesNoSnapshotBehind()
{
    // The app's background sync keeps one connection to the till's database for its runs (and
    // its status counts), while the cashier's actions write through another. A sync run must
    // leave no read transaction open on its connection: else the sales made through the other
    // connection afterwards are invisible to it (a stale snapshot) and its writes fail as busy.
    const QByteArray token = addDevice(u"Till 1"_s);
    QCOMPARE(token.size(), 43);
    Till till(1, token);
    const QUrl direct(u"http://127.0.0.1:%1"_s.arg(m_server->port()));
    auto run = [&] {
        SyncTransport transport(direct, token, {});
        transport.setTimeoutMs(5000);
        return SyncEngine(till.db(), transport, direct.toString(), policy()).run();
    };
    const SyncRunReport first = run();
    QCOMPARE(int(first.status), int(SyncRunReport::Status::Done));
    QVERIFY(first.pulled);

    // The cashier sells through the other connection.
    DatabaseOptions options{till.path()};
    options.durableCommits = false;
    QString error;
    const std::unique_ptr<Database> counter = Database::open(options, &error);
    QVERIFY2(counter, qPrintable(error));
    OrderService orders(*counter);
    const QString alice =
        queryValue(*counter, u"SELECT id FROM cashiers WHERE name = 'Alice'"_s).toString();
    const Result<Order> order =
        orders.addProduct(OrderTarget::byCashier(alice), u"COF-ESP"_s, 1, newId());
    QVERIFY(order);
    QVERIFY(orders.complete(OrderTarget::byId(order->id), PaymentRequest{PaymentMethod::Cash, 500},
                            std::nullopt, newId()));

    // The next run on the sync connection sends the sale.
    const SyncRunReport second = run();
    QVERIFY2(second.status == SyncRunReport::Status::Done, qPrintable(second.error));
    QCOMPARE(second.sent, 3);
    QCOMPARE(second.pendingAfter, 0);
    QCOMPARE(
        queryValue(m_db->db(), u"SELECT COUNT(*) FROM payments WHERE order_id = ?"_s, {order->id})
            .toInt(),
        1);
}

void SyncChaosTest::splitTendersThroughALossyProxy()
{
    // Issue 14: orders with a discount, paid in three tenders (cash with change, a voucher, card
    // for the rest), synced through the seeded lossy proxy (resets, 5xx, answers dropped after
    // the server committed), some while the order is still half paid. Every payment fact is
    // booked on the server exactly once, as a sale with the till's amount; one receipt per order.
    const QByteArray token = addDevice(u"Till 1"_s);
    QCOMPARE(token.size(), 43);
    Till till(1, token);
    QVERIFY(drain({&till}));
    const QString alice = till.cashierId(u"Alice"_s);
    QHash<QString, qint64> tillPayments;
    QStringList orderIds;
    for (int i = 0; i < 12; ++i) {
        const Result<Order> order = openWithItems(till, u"Alice"_s);
        QVERIFY2(order, qPrintable(order.message()));
        const OrderTarget target = OrderTarget::byId(order->id);
        VERIFY_OK(till.orders->discountLine(target, u"1"_s,
                                            Discount{DiscountKind::Percent, 500, u"staff"_s, alice},
                                            std::nullopt, newId()));
        VERIFY_OK(till.orders->pay(target, PaymentRequest{PaymentMethod::Cash, 200, 100},
                                   std::nullopt, newId()));
        if (i % 3 == 0) // synced while half paid
            QVERIFY(drain({&till}));
        const Result<Order> voucher =
            till.orders->pay(target, PaymentRequest{PaymentMethod::Other, 50, 50, u"Voucher"_s},
                             std::nullopt, newId());
        VERIFY_OK(voucher);
        const Result<Order> paid =
            till.orders->pay(target, PaymentRequest{PaymentMethod::Card, voucher->balanceCents()},
                             std::nullopt, newId());
        VERIFY_OK(paid);
        QCOMPARE(toString(paid->status), u"completed"_s);
        QCOMPARE(paid->payments.size(), 3);
        for (const Payment &payment : paid->payments)
            tillPayments.insert(payment.id, payment.amountCents);
        orderIds << order->id;
    }
    QVERIFY(drain({&till}));
    QVERIFY2(m_problems.isEmpty(), qPrintable(m_problems.join(u'\n')));
    QCOMPARE(till.rejected, 0);
    QCOMPARE(till.conflicts, 0);
    for (auto it = tillPayments.constBegin(); it != tillPayments.constEnd(); ++it) {
        QCOMPARE(queryValue(m_db->db(),
                            u"SELECT COUNT(*) FROM payments WHERE id = ? AND kind = 'sale' AND "
                            "amount_cents = ?"_s,
                            {it.key(), it.value()})
                     .toInt(),
                 1);
    }
    for (const QString &id : std::as_const(orderIds)) {
        QCOMPARE(queryValue(m_db->db(), u"SELECT COUNT(*) FROM payments WHERE order_id = ?"_s, {id})
                     .toInt(),
                 3);
        QCOMPARE(queryValue(m_db->db(),
                            u"SELECT COUNT(*) FROM payments WHERE order_id = ? AND receipt_no IS "
                            "NOT NULL"_s,
                            {id})
                     .toInt(),
                 1);
        QCOMPARE(queryValue(m_db->db(), u"SELECT status FROM order_sessions WHERE id = ?"_s, {id})
                     .toString(),
                 u"completed"_s);
    }
    VERIFY_DATABASE_CLEAN(m_db->db());
    VERIFY_DATABASE_CLEAN(till.db());
}

QTEST_GUILESS_MAIN(SyncChaosTest)
#include "tst_sync_chaos.moc"
