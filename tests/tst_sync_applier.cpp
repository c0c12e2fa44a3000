// The server side of terminal sync, in process: SyncBatch::parse (the push body's structural
// rules) and SyncApplier (a batch in one transaction, a savepoint per op, idempotent, state-based
// conditional replaces). The ops are real outbox rows written by a real terminal database.
// Runs on SQLite, and on PostgreSQL as tst_sync_applier_pg (the server's database; terminals are
// always SQLite).

#include "Database.h"
#include "OrderService.h"
#include "OrderStore.h"
#include "ResultChecks.h"
#include "SyncApplier.h"
#include "SyncEngine.h"
#include "SyncStore.h"
#include "SyncTerminal.h"
#include "TabService.h"
#include "TestSupport.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>
#include <QUuid>

#include <latch>
#include <thread>

using namespace Qt::StringLiterals;
using namespace SafeTill;
using namespace SafeTill::Test;

namespace {

using Terminal = SyncTerminal;

QByteArray body(const QJsonArray &ops, int protocol = SyncBatch::protocolVersion)
{
    return SyncTerminal::body(ops, protocol);
}

QStringList kinds(const QList<SyncOpResult> &results)
{
    QStringList list;
    for (const SyncOpResult &result : results)
        list << syncResultKind(result.toJson());
    return list;
}

} // namespace

class SyncApplierTest : public QObject
{
    Q_OBJECT

private:
    QList<SyncOpResult> push(const QJsonArray &ops, const SyncDevice &device = {})
    {
        const SyncBatch batch = SyncBatch::parse(body(ops));
        if (batch.problem != SyncBatch::Problem::None)
            qFatal("batch refused: %s", qPrintable(batch.message));
        const Result<QList<SyncOpResult>> results =
            SyncApplier(m_server->db()).apply(device.id.isEmpty() ? m_device : device, batch.ops);
        if (!results)
            qFatal("apply failed: %s %s", qPrintable(results.message()),
                   qPrintable(results.detail()));
        return *results;
    }
    // The server's copy of the order equals the terminal's, field by field. timeSlackMs: for
    // orders completed by a tab settlement, whose outbox row has no settlement time and so the
    // server uses the row's own (written a moment later in the same transaction).
    void compareWithServer(Terminal &terminal, const QString &orderId, qint64 timeSlackMs = 0);
    int count(const QString &sql, const QVariantList &values = {})
    {
        return queryValue(m_server->db(), sql, values).toInt();
    }

    QList<SyncOpResult> syncTerminal(Terminal &terminal, const SyncDevice &device);
    static qint64 sumOfPayments(Database &db, const QString &orderId);

    std::unique_ptr<TestDatabase> m_server;
    SyncDevice m_device{u"dev-1"_s, u"Till 1"_s};
    QStringList m_tillFindings; // verify's findings on the tills synced by syncTerminal()

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void parseRefusesMalformedBatches_data();
    void parseRefusesMalformedBatches();
    void parseAcceptsTheOutbox();
    void appliesThenReplays();
    void linesFollowEveryEdit();
    void serverEditsMergeAndBlockNothing();
    void permanentRejections();
    void receiptAndOpenOrderRules();
    void tabsPerDeviceAndSettlement();
    void concurrentTwinsApplyOnce();
    void constraintFailureRollsBackOnlyItsOp();
    void newOpNamesWithStateApply();
    void paymentRacingAServerEditIsBooked();
    void serverCompletesWhileTillEdits();
    void cashierSellsOnTwoTills();
    void concurrentLineEditsMerge();
    void foreignOrdersAreRejectedWithoutRevealingThem();
    void paymentsAreAppendOnly();
    void threeTillsOneCashierAnswersLost();
    void assignWaitsForASettlementOfItsTab();
    void statesOfABatchSurviveARolledBackOp();
    void aRefusedEditWithoutSavepointKeepsTheBatch();
    void splitTenderDiscountsAndPricesSync();
    void tabPaidInTwoTendersSyncs();
    void paymentsAndDiscountsTheServerCannotTake();
    void badDiscountsAndPaymentsAreRefused_data();
    void badDiscountsAndPaymentsAreRefused();
    void badPaymentFactsAreRefused();
    void tabPaymentAfterTheServerSettled();
    void serverDiscountsAndPaymentsReachTheTill();
};

void SyncApplierTest::initTestCase()
{
    SAFETILL_REQUIRE_TEST_BACKEND();
}

void SyncApplierTest::init()
{
    m_server = std::make_unique<TestDatabase>();
}

void SyncApplierTest::cleanup()
{
    // Every database a test left behind keeps the money and history promises (`verify`).
    QVERIFY2(m_tillFindings.isEmpty(), qPrintable(m_tillFindings.join(u'\n')));
    m_tillFindings.clear();
    VERIFY_DATABASE_CLEAN(m_server->db());
    m_server.reset();
}

void SyncApplierTest::compareWithServer(Terminal &terminal, const QString &orderId,
                                        qint64 timeSlackMs)
{
    auto sameTime = [timeSlackMs](const QDateTime &a, const QDateTime &b) {
        return a.isValid() == b.isValid() && (!a.isValid() || qAbs(a.msecsTo(b)) <= timeSlackMs);
    };
    const std::optional<Order> mine = OrderStore(terminal.db()).load(orderId);
    const std::optional<Order> theirs = OrderStore(m_server->db()).load(orderId);
    QVERIFY(mine);
    QVERIFY2(theirs, qPrintable(orderId));
    QCOMPARE(toString(theirs->status), toString(mine->status));
    QCOMPARE(theirs->version, mine->version);
    QCOMPARE(theirs->cashierId, mine->cashierId);
    QCOMPARE(theirs->lines.size(), mine->lines.size());
    for (qsizetype i = 0; i < mine->lines.size(); ++i) {
        QCOMPARE(theirs->lines.at(i).lineNo, mine->lines.at(i).lineNo);
        QCOMPARE(theirs->lines.at(i).sku, mine->lines.at(i).sku);
        QCOMPARE(theirs->lines.at(i).name, mine->lines.at(i).name);
        QCOMPARE(theirs->lines.at(i).unitPriceCents, mine->lines.at(i).unitPriceCents);
        QCOMPARE(theirs->lines.at(i).quantity, mine->lines.at(i).quantity);
    }
    QCOMPARE(theirs->tabId, mine->tabId);
    QCOMPARE(theirs->tabName, mine->tabName);
    QCOMPARE(theirs->receiptNo, mine->receiptNo);
    QCOMPARE(theirs->createdAt, mine->createdAt);
    QVERIFY(sameTime(theirs->updatedAt, mine->updatedAt));
    QCOMPARE(theirs->logoutTime, mine->logoutTime);
    QVERIFY(sameTime(theirs->completedAt, mine->completedAt));
    QCOMPARE(theirs->payment.has_value(), mine->payment.has_value());
    if (mine->payment) {
        QCOMPARE(theirs->payment->amountCents, mine->payment->amountCents);
        QCOMPARE(theirs->payment->tenderedCents, mine->payment->tenderedCents);
        QCOMPARE(theirs->payment->receiptNo, mine->payment->receiptNo);
        QCOMPARE(toString(theirs->payment->method), toString(mine->payment->method));
    }
}

void SyncApplierTest::parseRefusesMalformedBatches_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<int>("problem");
    QTest::addColumn<int>("opIndex");
    using P = SyncBatch::Problem;
    const QByteArray good =
        R"({"request_id":"r1","seq":1,"op":"open","order_id":"o1",)"
        R"("tab_id":null,"created_at":"2026-11-29T10:00:00.000Z","payload":{}})";
    auto batch = [](const QByteArray &ops) { return R"({"protocol":2,"ops":[)" + ops + "]}"; };
    QTest::newRow("not json") << QByteArray("{\"protocol\":2,") << int(P::MalformedJson) << -1;
    QTest::newRow("not an object") << QByteArray("[1,2]") << int(P::InvalidBatch) << -1;
    QTest::newRow("no protocol") << QByteArray(R"({"ops":[]})") << int(P::InvalidBatch) << -1;
    QTest::newRow("protocol 1") << QByteArray(R"({"protocol":1,"ops":[]})")
                                << int(P::UnsupportedProtocol) << -1;
    QTest::newRow("protocol 6 (a newer till)")
        << QByteArray(R"({"protocol":6,"ops":[]})") << int(P::UnsupportedProtocol) << -1;
    QTest::newRow("protocol 3 ops empty")
        << QByteArray(R"({"protocol":3,"ops":[]})") << int(P::InvalidBatch) << -1;
    QTest::newRow("protocol text")
        << QByteArray(R"({"protocol":"2","ops":[]})") << int(P::InvalidBatch) << -1;
    QTest::newRow("ops missing") << QByteArray(R"({"protocol":2})") << int(P::InvalidBatch) << -1;
    QTest::newRow("ops empty") << batch("") << int(P::InvalidBatch) << -1;
    QTest::newRow("op not object") << batch(good + ",7") << int(P::InvalidBatch) << 1;
    QByteArray noId = good;
    noId.replace(R"("request_id":"r1",)", "");
    QTest::newRow("no request id") << batch(noId) << int(P::InvalidBatch) << 0;
    QByteArray badId = good;
    badId.replace(R"("r1")", R"("r 1")");
    QTest::newRow("request id with space") << batch(badId) << int(P::InvalidBatch) << 0;
    QTest::newRow("duplicate request id") << batch(good + "," + good) << int(P::InvalidBatch) << 1;
    QByteArray badSeq = good;
    badSeq.replace(R"("seq":1)", R"("seq":1.5)");
    QTest::newRow("fractional seq") << batch(badSeq) << int(P::InvalidBatch) << 0;
    QByteArray badOp = good;
    badOp.replace(R"("op":"open")", R"("op":"DROP TABLE")");
    QTest::newRow("bad op name") << batch(badOp) << int(P::InvalidBatch) << 0;
    QByteArray badOrder = good;
    badOrder.replace(R"("order_id":"o1")", R"("order_id":17)");
    QTest::newRow("order id number") << batch(badOrder) << int(P::InvalidBatch) << 0;
    QByteArray badTime = good;
    badTime.replace("2026-11-29T10:00:00.000Z", "yesterday");
    QTest::newRow("bad time") << batch(badTime) << int(P::InvalidBatch) << 0;
    QByteArray localTime = good;
    localTime.replace("2026-11-29T10:00:00.000Z", "2026-11-29T10:00:00.000");
    QTest::newRow("time without zone") << batch(localTime) << int(P::InvalidBatch) << 0;
    QByteArray payloadText = good;
    payloadText.replace(R"("payload":{})", R"("payload":"{}")");
    QTest::newRow("payload as text") << batch(payloadText) << int(P::InvalidBatch) << 0;
    QByteArray many;
    for (int i = 0; i < SyncBatch::maxOps + 1; ++i) {
        QByteArray op = good;
        op.replace(R"("r1")", "\"r" + QByteArray::number(i) + '"');
        many += (i ? "," : "") + op;
    }
    QTest::newRow("501 ops") << batch(many) << int(P::TooManyOps) << -1;
}

void SyncApplierTest::parseRefusesMalformedBatches()
{
    QFETCH(QByteArray, body);
    QFETCH(int, problem);
    QFETCH(int, opIndex);
    const SyncBatch batch = SyncBatch::parse(body);
    QCOMPARE(int(batch.problem), problem);
    QCOMPARE(batch.opIndex, opIndex);
    QVERIFY(batch.ops.isEmpty());
    QVERIFY(!batch.message.isEmpty());
}

void SyncApplierTest::parseAcceptsTheOutbox()
{
    Terminal terminal(m_server->db());
    const QString alice = terminal.cashierId(u"Alice"_s);
    QVERIFY(terminal.orders->addProduct(OrderTarget::byCashier(alice), u"COF-ESP"_s, 2, newId()));
    const QJsonArray ops = terminal.takeOps();
    QCOMPARE(ops.size(), 2); // the open it implied, and the add
    const SyncBatch batch = SyncBatch::parse(body(ops));
    QCOMPARE(int(batch.problem), int(SyncBatch::Problem::None));
    QCOMPARE(batch.ops.size(), 2);
    QCOMPARE(batch.ops.at(0).op, u"open"_s);
    QVERIFY(batch.ops.at(0).payload.value(u"base_version"_s).isNull());
    QCOMPARE(batch.ops.at(1).op, u"add_item"_s);
    QCOMPARE(batch.ops.at(1).payload.value(u"base_version"_s).toInt(), 1);
    QCOMPARE(batch.ops.at(1).payload.value(u"order"_s).toObject().value(u"version"_s).toInt(), 2);
    QCOMPARE(batch.ops.at(1).orderId, batch.ops.at(0).orderId);
}

void SyncApplierTest::appliesThenReplays()
{
    Terminal terminal(m_server->db());
    const OrderTarget alice = OrderTarget::byCashier(terminal.cashierId(u"Alice"_s));
    OrderService &orders = *terminal.orders;
    QVERIFY(orders.addProduct(alice, u"COF-ESP"_s, 2, newId()));
    QVERIFY(orders.addProduct(alice, u"BAK-CRO"_s, 1, newId()));
    const Result<Order> paid =
        orders.complete(alice, PaymentRequest{PaymentMethod::Cash, 10000}, std::nullopt, newId());
    QVERIFY2(paid, qPrintable(paid.message()));
    const QJsonArray ops = terminal.takeOps();
    QCOMPARE(ops.size(), 4);

    const QList<SyncOpResult> results = push(ops);
    QCOMPARE(kinds(results), repeated(u"applied"_s, 4));
    // Nothing merged: no answer carries the server's copy back.
    for (const SyncOpResult &result : results)
        QVERIFY(!result.serverOrder && result.reviewItems.isEmpty());
    compareWithServer(terminal, paid->id);
    const int history = count(u"SELECT COUNT(*) FROM order_history"_s);
    const int lines = count(u"SELECT COUNT(*) FROM order_lines"_s);
    QCOMPARE(count(u"SELECT COUNT(*) FROM order_history WHERE order_id = ?"_s, {paid->id}), 4);

    // The same batch again (a lost response): replayed, nothing doubled.
    const QList<SyncOpResult> again = push(ops);
    QCOMPARE(kinds(again), repeated(u"replayed"_s, 4));
    QCOMPARE(again.last().version, paid->version);
    QCOMPARE(count(u"SELECT COUNT(*) FROM order_history"_s), history);
    QCOMPARE(count(u"SELECT COUNT(*) FROM order_lines"_s), lines);
    QCOMPARE(count(u"SELECT COUNT(*) FROM payments WHERE order_id = ?"_s, {paid->id}), 1);
    compareWithServer(terminal, paid->id);

    // The same request ids from another device are other ops: the order is already there.
    // The order belongs to dev-1: to dev-2 it is unknown (nothing about it is revealed).
    const QList<SyncOpResult> otherDevice = push(ops, SyncDevice{u"dev-2"_s, u"Till 2"_s});
    QCOMPARE(otherDevice.first().toJson().value(u"code"_s).toString(), u"unknown_order"_s);
    QCOMPARE(count(u"SELECT COUNT(*) FROM order_history"_s), history);
}

void SyncApplierTest::linesFollowEveryEdit()
{
    Terminal terminal(m_server->db());
    const QString cashier = terminal.cashierId(u"Bob"_s);
    OrderService &orders = *terminal.orders;
    const Result<Order> opened = orders.openOrResume(cashier, newId());
    QVERIFY(opened);
    const OrderTarget order = OrderTarget::byId(opened->id);
    // Every kind of order op, pushed one batch at a time, and the server's copy compared after
    // each: additions, quantity changes, removals, a whole-list replace that renumbers and moves
    // SKUs between line numbers, an open-price item, log out and resume.
    const QList<std::function<bool()>> steps = {
        [&] { return bool(orders.addProduct(order, u"COF-ESP"_s, 1, newId())); },
        [&] { return bool(orders.addProduct(order, u"BAK-CRO"_s, 2, newId())); },
        [&] { return bool(orders.addProduct(order, u"COF-ESP"_s, 3, newId())); },
        [&] { return bool(orders.setQuantity(order, 2, 7, newId())); },
        [&] { return bool(orders.adjustQuantity(order, 1, -1, newId())); },
        [&] { return bool(orders.removeLine(order, 1, newId())); },
        [&] {
            const int version = orders.order(opened->id)->version;
            return bool(orders.replaceLines(order,
                                            {ItemSpec{u"BAK-CRO"_s, {}, {}, 1},
                                             ItemSpec{{}, u"Birthday cake"_s, 1500, 1},
                                             ItemSpec{u"COF-ESP"_s, {}, {}, 4}},
                                            version, newId()));
        },
        [&] { return bool(orders.logOut(order, newId())); },
        [&] { return bool(orders.openOrResume(cashier, newId())); },
        [&] {
            // Numbers are never reused: after the replace, the second line is not line 2.
            const int second = orders.order(opened->id)->lines.at(1).lineNo;
            return bool(orders.removeLine(order, second, newId()));
        },
        [&] { return bool(orders.assignToTab(order, u"Window seat"_s, std::nullopt, newId())); },
    };
    for (qsizetype i = 0; i < steps.size(); ++i) {
        QVERIFY2(steps.at(i)(), qPrintable(u"step %1"_s.arg(i)));
        const QJsonArray ops = terminal.takeOps();
        QCOMPARE(kinds(push(ops)), repeated(u"applied"_s, ops.size()));
        compareWithServer(terminal, opened->id);
        if (QTest::currentTestFailed())
            QFAIL(qPrintable(u"after step %1"_s.arg(i)));
    }
    QVERIFY(integrityOk(m_server->db()));
    QVERIFY(foreignKeysOk(m_server->db()));
}

void SyncApplierTest::serverEditsMergeAndBlockNothing()
{
    Terminal terminal(m_server->db());
    OrderService &orders = *terminal.orders;
    const OrderTarget bob = OrderTarget::byCashier(terminal.cashierId(u"Bob"_s));
    const Result<Order> first = orders.addProduct(bob, u"COF-ESP"_s, 1, newId());
    QVERIFY(first);
    QCOMPARE(kinds(push(terminal.takeOps())), repeated(u"applied"_s, 2));

    // Someone changes the order on the server (the server's own code, e.g. a manager's edit).
    OrderService serverOrders(m_server->db(), Clock::system(), SyncSide::Server);
    const Result<Order> changed =
        serverOrders.addProduct(OrderTarget::byId(first->id), u"BAK-CRO"_s, 5, newId());
    QVERIFY(changed);
    QCOMPARE(changed->version, 3);

    // Meanwhile the terminal edits the same order twice and Maria opens another one.
    QVERIFY(orders.addProduct(bob, u"COF-ESP"_s, 1, newId()));
    QVERIFY(orders.addProduct(bob, u"COF-ESP"_s, 1, newId()));
    const OrderTarget maria = OrderTarget::byCashier(terminal.cashierId(u"Maria"_s));
    const Result<Order> other = orders.addProduct(maria, u"BAK-CRO"_s, 1, newId());
    QVERIFY(other);
    const QJsonArray ops = terminal.takeOps();
    QCOMPARE(ops.size(), 4);
    const QList<SyncOpResult> results = push(ops);
    // Protocol 2: both sides keep their changes; the answers carry the merged order.
    QCOMPARE(kinds(results), repeated(u"applied"_s, 4));
    QVERIFY(results.at(1).serverOrder);
    QCOMPARE(results.at(1).serverOrder->lines.size(), 2);
    const QJsonObject wire = results.at(1).toJson();
    QCOMPARE(wire.value(u"server_order"_s).toObject().value(u"lines"_s).toArray().size(), 2);
    const Result<Order> merged = serverOrders.order(first->id);
    QCOMPARE(merged->version, 5);
    QCOMPARE(merged->lines.size(), 2);
    QCOMPARE(merged->lines.at(0).quantity, 3);
    QCOMPARE(merged->lines.at(1).quantity, 5);
    compareWithServer(terminal, other->id);
    QCOMPARE(count(u"SELECT COUNT(*) FROM idempotency WHERE request_id LIKE 'sync:%'"_s), 6);
}

void SyncApplierTest::permanentRejections()
{
    Terminal terminal(m_server->db());
    OrderService &orders = *terminal.orders;

    // A cashier the server does not know.
    QVERIFY(queryValue(terminal.db(),
                       u"INSERT INTO cashiers (id, name, name_key, role, pin_hash, created_at) "
                       "SELECT 'local-1', 'Local', 'local', role, pin_hash, created_at FROM "
                       "cashiers LIMIT 1 RETURNING id"_s)
                .isValid());
    QVERIFY(orders.addProduct(OrderTarget::byCashier(u"local-1"_s), u"COF-ESP"_s, 1, newId()));
    QCOMPARE(kinds(push(terminal.takeOps())),
             (QStringList{u"rejected:unknown_cashier"_s, u"rejected:earlier_op_rejected"_s}));

    // An op whose order's first op never arrived.
    const OrderTarget alice = OrderTarget::byCashier(terminal.cashierId(u"Alice"_s));
    QVERIFY(orders.addProduct(alice, u"COF-ESP"_s, 1, newId()));
    QJsonArray ops = terminal.takeOps();
    QCOMPARE(kinds(push(QJsonArray{ops.at(1)})), QStringList{u"rejected:unknown_order"_s});
    QCOMPARE(kinds(push(ops)), repeated(u"applied"_s, 2));

    // Values that break the rules, an unknown op, a payload from before sync.
    QVERIFY(orders.addProduct(alice, u"COF-ESP"_s, 1, newId()));
    ops = terminal.takeOps();
    QJsonObject tampered = ops.at(0).toObject();
    QJsonObject payload = tampered.value(u"payload"_s).toObject();
    QJsonObject state = payload.value(u"order"_s).toObject();
    QJsonArray lines = state.value(u"lines"_s).toArray();
    QJsonObject line = lines.at(0).toObject();
    line.insert(u"qty"_s, 0);
    lines.replace(0, line);
    state.insert(u"lines"_s, lines);
    payload.insert(u"order"_s, state);
    tampered.insert(u"payload"_s, payload);
    tampered.insert(u"request_id"_s, newId());
    QJsonObject unknownOp = ops.at(0).toObject();
    unknownOp.insert(u"op"_s, u"teleport"_s);
    unknownOp.insert(u"order_id"_s, newId()); // another order, so not blocked by the first
    // An op carrying an order state is applied whatever its name; one without is unknown.
    unknownOp.insert(u"payload"_s, QJsonObject{{u"format"_s, 1}});
    unknownOp.insert(u"request_id"_s, newId());
    QJsonObject legacy = ops.at(0).toObject();
    legacy.insert(u"payload"_s, QJsonObject{{u"format"_s, 1}, {u"sku"_s, u"COF-ESP"_s}});
    legacy.insert(u"request_id"_s, newId());
    const QList<SyncOpResult> refused = push(QJsonArray{tampered, unknownOp, legacy});
    QCOMPARE(kinds(refused), (QStringList{u"rejected:invalid_op"_s, u"rejected:unsupported_op"_s,
                                          u"rejected:earlier_op_rejected"_s}));
    QVERIFY2(refused.at(0).message.contains(u"qty"_s), qPrintable(refused.at(0).message));
    QCOMPARE(kinds(push(QJsonArray{legacy})), QStringList{u"rejected:unsupported_payload"_s});
    // The real op still applies afterwards; then its id cannot be reused for something else.
    QCOMPARE(kinds(push(ops)), QStringList{u"applied"_s});
    QJsonObject reused = tampered;
    reused.insert(u"request_id"_s, ops.at(0).toObject().value(u"request_id"_s));
    QCOMPARE(kinds(push(QJsonArray{reused})), QStringList{u"rejected:request_id_reused"_s});
    QCOMPARE(count(u"SELECT COUNT(*) FROM order_lines l JOIN order_sessions o ON o.id = "
                   "l.order_id WHERE o.cashier_id = ?"_s,
                   {terminal.cashierId(u"Alice"_s)}),
             1);
}

void SyncApplierTest::receiptAndOpenOrderRules()
{
    Terminal terminal(m_server->db());
    OrderService &orders = *terminal.orders;
    OrderService serverOrders(m_server->db());

    // One open order per cashier per terminal: the server's own open order for Bob does not
    // stop this device's, but a second open one of the same device cannot exist.
    const QString bob = terminal.cashierId(u"Bob"_s);
    QVERIFY(serverOrders.openOrResume(bob, newId()));
    QVERIFY(orders.openOrResume(bob, newId()));
    QJsonArray opened = terminal.takeOps();
    QCOMPARE(kinds(push(opened)), QStringList{u"applied"_s});
    QCOMPARE(count(u"SELECT COUNT(*) FROM order_sessions WHERE cashier_id = ? AND status = "
                   "'active'"_s,
                   {bob}),
             2);
    QJsonObject second = opened.first().toObject();
    const QString secondId = newId();
    QJsonObject payload = second.value(u"payload"_s).toObject();
    QJsonObject state = payload.value(u"order"_s).toObject();
    state.insert(u"id"_s, secondId);
    payload.insert(u"order"_s, state);
    second.insert(u"payload"_s, payload);
    second.insert(u"order_id"_s, secondId);
    second.insert(u"request_id"_s, newId());
    QCOMPARE(kinds(push(QJsonArray{second})), QStringList{u"rejected:cashier_has_open_order"_s});

    // A receipt number the server already used (a terminal prefix that collides with the
    // server's own, as could happen before a terminal's first pull).
    const QString maria = terminal.cashierId(u"Maria"_s);
    const Result<Order> serverSale =
        serverOrders.addProduct(OrderTarget::byCashier(maria), u"COF-ESP"_s, 1, newId());
    QVERIFY(serverSale);
    const Result<Order> serverPaid =
        serverOrders.complete(OrderTarget::byId(serverSale->id),
                              PaymentRequest{PaymentMethod::Cash, 1000}, std::nullopt, newId());
    QVERIFY(serverPaid);
    const QString serverPrefix =
        queryValue(m_server->db(), u"SELECT receipt_prefix FROM terminal"_s).toString();
    queryValue(terminal.db(),
               u"UPDATE terminal SET receipt_prefix = ?, next_receipt_seq = 1 "
               "RETURNING id"_s,
               {serverPrefix});
    const QString alice = terminal.cashierId(u"Alice"_s);
    QVERIFY(orders.addProduct(OrderTarget::byCashier(alice), u"COF-ESP"_s, 1, newId()));
    const Result<Order> paid =
        orders.complete(OrderTarget::byCashier(alice), PaymentRequest{PaymentMethod::Card, 220},
                        std::nullopt, newId());
    QVERIFY2(paid, qPrintable(paid.message()));
    QCOMPARE(paid->receiptNo, serverPaid->receiptNo);
    QCOMPARE(kinds(push(terminal.takeOps())),
             (QStringList{u"applied"_s, u"applied"_s, u"rejected:receipt_no_taken"_s}));
    QCOMPARE(toString(serverOrders.order(paid->id)->status), toString(OrderStatus::Active));
}

void SyncApplierTest::tabsPerDeviceAndSettlement()
{
    Terminal till1(m_server->db());
    Terminal till2(m_server->db());
    const SyncDevice device2{u"dev-2"_s, u"Till 2"_s};
    const OrderTarget alice = OrderTarget::byCashier(till1.cashierId(u"Alice"_s));
    const OrderTarget bob = OrderTarget::byCashier(till2.cashierId(u"Bob"_s));
    const OrderTarget maria = OrderTarget::byCashier(till1.cashierId(u"Maria"_s));
    QVERIFY(till1.orders->addProduct(alice, u"COF-ESP"_s, 2, newId()));
    const Result<Order> a = till1.orders->assignToTab(alice, u"Table 5"_s, std::nullopt, newId());
    QVERIFY(till1.orders->addProduct(maria, u"BAK-CRO"_s, 1, newId()));
    const Result<Order> m = till1.orders->assignToTab(maria, u"table 5"_s, std::nullopt, newId());
    QVERIFY(till2.orders->addProduct(bob, u"BAK-CRO"_s, 1, newId()));
    const Result<Order> b = till2.orders->assignToTab(bob, u"Table 5"_s, std::nullopt, newId());
    QVERIFY(a && m && b);
    QCOMPARE(a->tabId, m->tabId);
    QCOMPARE(kinds(push(till1.takeOps())), repeated(u"applied"_s, 6));
    QCOMPARE(kinds(push(till2.takeOps(), device2)), repeated(u"applied"_s, 3));
    // One name, two terminals: two tabs on the server.
    QCOMPARE(count(u"SELECT COUNT(*) FROM tabs WHERE name = 'Table 5' AND status = 'open'"_s), 2);
    compareWithServer(till1, a->id);
    compareWithServer(till2, b->id);

    const Result<Tab> settled = till1.tabs->settle(
        a->tabId, PaymentRequest{PaymentMethod::Cash, 1000}, std::nullopt, newId());
    QVERIFY2(settled, qPrintable(settled.message()));
    const QList<SyncOpResult> results = push(till1.takeOps());
    QCOMPARE(kinds(results), QStringList{u"applied"_s});
    const std::optional<Tab> serverTab = OrderStore(m_server->db()).loadTab(a->tabId);
    QVERIFY(serverTab);
    QCOMPARE(toString(serverTab->status), toString(TabStatus::Settled));
    QCOMPARE(serverTab->receiptNo, settled->receiptNo);
    QVERIFY(serverTab->payment);
    QCOMPARE(serverTab->payment->amountCents, settled->totalCents());
    compareWithServer(till1, a->id, 1000);
    compareWithServer(till1, m->id, 1000);

    // Till 2's tab is settled on the server first: its own settlement is a conflict.
    QVERIFY(
        TabService(m_server->db())
            .settle(b->tabId, PaymentRequest{PaymentMethod::Cash, 5000}, std::nullopt, newId()));
    QVERIFY(till2.tabs->settle(b->tabId, PaymentRequest{PaymentMethod::Cash, 5000}, std::nullopt,
                               newId()));
    const QList<SyncOpResult> conflict = push(till2.takeOps(), device2);
    QCOMPARE(kinds(conflict), QStringList{u"conflict:tab_changed"_s});
    QVERIFY(conflict.at(0).serverTab);
    QCOMPARE(conflict.at(0).toJson().value(u"server_tab"_s).toObject().value(u"status"_s),
             u"settled"_s);
    QCOMPARE(count(u"SELECT COUNT(*) FROM payments WHERE tab_id = ?"_s, {b->tabId}), 1);
}

void SyncApplierTest::concurrentTwinsApplyOnce()
{
    // The same batch pushed by several connections at once (a client retrying while its first
    // attempt still runs, or two server processes): every op applied exactly once.
    Terminal terminal(m_server->db());
    OrderService &orders = *terminal.orders;
    for (const QString &name : {u"Alice"_s, u"Bob"_s, u"Maria"_s}) {
        const OrderTarget cashier = OrderTarget::byCashier(terminal.cashierId(name));
        for (int i = 0; i < 5; ++i)
            QVERIFY(orders.addProduct(cashier, i % 2 ? u"COF-ESP"_s : u"BAK-CRO"_s, 1, newId()));
    }
    const QJsonArray ops = terminal.takeOps();
    QCOMPARE(ops.size(), 18);
    const SyncBatch batch = SyncBatch::parse(body(ops));
    constexpr int pushers = 4;
    std::latch start(pushers);
    QList<SyncOpResult> results[pushers];
    QString failures[pushers];
    std::vector<std::thread> threads;
    for (int t = 0; t < pushers; ++t) {
        threads.emplace_back([&, t] {
            std::unique_ptr<Database> db = m_server->open();
            start.arrive_and_wait();
            const Result<QList<SyncOpResult>> result = SyncApplier(*db).apply(m_device, batch.ops);
            if (result)
                results[t] = *result;
            else
                failures[t] = result.message() + result.detail();
        });
    }
    for (std::thread &thread : threads)
        thread.join();
    for (int op = 0; op < ops.size(); ++op) {
        int appliedCount = 0;
        for (int t = 0; t < pushers; ++t) {
            QVERIFY2(failures[t].isEmpty(), qPrintable(failures[t]));
            const SyncOpResult::Kind kind = results[t].at(op).kind;
            QVERIFY2(kind == SyncOpResult::Kind::Applied || kind == SyncOpResult::Kind::Replayed,
                     QJsonDocument(results[t].at(op).toJson()).toJson().constData());
            appliedCount += kind == SyncOpResult::Kind::Applied;
        }
        QCOMPARE(appliedCount, 1);
    }
    QCOMPARE(count(u"SELECT COUNT(*) FROM order_history WHERE request_id LIKE 'sync:%'"_s), 18);
    QCOMPARE(count(u"SELECT COUNT(*) FROM order_sessions"_s), 3);
}

void SyncApplierTest::constraintFailureRollsBackOnlyItsOp()
{
    // A constraint the applier does not check first (here a trigger standing in for a bug): the
    // op's statement fails inside its savepoint. Only that op is refused (on PostgreSQL, whose
    // failed statement poisons the transaction, by running the batch again without it); the rest
    // of the batch is applied.
    Database &server = m_server->db();
    if (server.dialect() == SqlDialect::Postgres) {
        server.exec(u"CREATE FUNCTION refuse_poison() RETURNS trigger LANGUAGE plpgsql AS $$ "
                    "BEGIN IF NEW.name = 'Poison' THEN RAISE EXCEPTION 'poison'; END IF; "
                    "RETURN NEW; END; $$"_s);
        server.exec(u"CREATE TRIGGER refuse_poison BEFORE INSERT ON order_lines FOR EACH ROW "
                    "EXECUTE FUNCTION refuse_poison()"_s);
    } else {
        server.exec(u"CREATE TRIGGER refuse_poison BEFORE INSERT ON order_lines "
                    "WHEN NEW.name = 'Poison' BEGIN SELECT RAISE(ABORT, 'poison'); END"_s);
    }
    Terminal terminal(server);
    OrderService &orders = *terminal.orders;
    const Result<Order> poisoned = orders.openOrResume(terminal.cashierId(u"Alice"_s), newId());
    QVERIFY(poisoned);
    QVERIFY(orders.replaceLines(OrderTarget::byId(poisoned->id),
                                {ItemSpec{{}, u"Poison"_s, 100, 1}}, 1, newId()));
    QVERIFY(orders.addProduct(OrderTarget::byCashier(terminal.cashierId(u"Bob"_s)), u"COF-ESP"_s, 1,
                              newId()));
    const QList<SyncOpResult> results = push(terminal.takeOps());
    QCOMPARE(kinds(results),
             (QStringList{u"applied"_s, u"rejected:constraint"_s, u"applied"_s, u"applied"_s}));
    QCOMPARE(OrderService(server).order(poisoned->id)->version, 1);
    QCOMPARE(count(u"SELECT COUNT(*) FROM order_lines WHERE order_id = ?"_s, {poisoned->id}), 0);
    QCOMPARE(count(u"SELECT COUNT(*) FROM idempotency WHERE request_id LIKE 'sync:%'"_s), 3);
    QCOMPARE(count(u"SELECT COUNT(*) FROM order_lines"_s), 1);
}

void SyncApplierTest::newOpNamesWithStateApply()
{
    // Ops are state-based: an action the server has never heard of (a newer terminal's) applies
    // like any other as long as its payload carries the order's state.
    Terminal terminal(m_server->db());
    const Result<Order> order = terminal.orders->addProduct(
        OrderTarget::byCashier(terminal.cashierId(u"Maria"_s)), u"COF-ESP"_s, 1, newId());
    QVERIFY(order);
    QJsonArray ops = terminal.takeOps();
    QJsonObject renamed = ops.at(1).toObject();
    renamed.insert(u"op"_s, u"add_gift_wrap"_s);
    ops.replace(1, renamed);
    QCOMPARE(kinds(push(ops)), repeated(u"applied"_s, 2));
    compareWithServer(terminal, order->id);
    QCOMPARE(count(u"SELECT COUNT(*) FROM order_history WHERE action = 'add_gift_wrap'"_s), 1);
}

// ---- Protocol 2: money is a fact, lines merge by id, devices own their orders ----

// One sync round of a terminal over the real wire shapes (pushBody -> parse -> apply ->
// answer -> parsePushAnswer -> record), without HTTP. Returns the server's results.
QList<SyncOpResult> SyncApplierTest::syncTerminal(Terminal &terminal, const SyncDevice &device)
{
    SyncStore store(terminal.db());
    const Result<QList<OutboxOp>> ops = store.pendingOps(500);
    if (!ops || ops->isEmpty())
        return {};
    int taken = 0;
    const QByteArray body = SyncEngine::pushBody(*ops, SyncBatch::maxBodyBytes, &taken);
    const SyncBatch batch = SyncBatch::parse(body);
    if (batch.problem != SyncBatch::Problem::None)
        qFatal("batch refused: %s", qPrintable(batch.message));
    const Result<QList<SyncOpResult>> results =
        SyncApplier(m_server->db()).apply(device, batch.ops);
    if (!results)
        qFatal("apply failed: %s", qPrintable(results.message()));
    QJsonArray answers;
    for (const SyncOpResult &result : *results)
        answers.append(result.toJson());
    QString error;
    const QList<OutboxOp> sent = ops->mid(0, taken);
    const auto outcomes = SyncEngine::parsePushAnswer(
        QJsonDocument(QJsonObject{{u"protocol"_s, 5}, {u"results"_s, answers}}).toJson(), sent,
        &error);
    if (!outcomes)
        qFatal("answer refused: %s", qPrintable(error));
    if (!store.record(sent, *outcomes))
        qFatal("record failed");
    m_tillFindings << verifyFindings(terminal.db());
    return *results;
}

qint64 SyncApplierTest::sumOfPayments(Database &db, const QString &orderId)
{
    return queryValue(db,
                      u"SELECT COALESCE(SUM(amount_cents), 0) FROM payments WHERE order_id = ?"_s,
                      {orderId})
        .toLongLong();
}

void SyncApplierTest::paymentRacingAServerEditIsBooked()
{
    // Scenario 1 of "Money is a fact": Alice's order (2 x espresso) is synced; the server adds a
    // croissant to it; at the till Alice takes cash for the 2 espressos she sees.
    Terminal till(m_server->db());
    const OrderTarget alice = OrderTarget::byCashier(till.cashierId(u"Alice"_s));
    const Result<Order> order = till.orders->addProduct(alice, u"COF-ESP"_s, 2, newId());
    QVERIFY(order);
    QCOMPARE(kinds(syncTerminal(till, m_device)), repeated(u"applied"_s, 2));

    OrderService server(m_server->db(), Clock::system(), SyncSide::Server);
    VERIFY_OK(server.addProduct(OrderTarget::byId(order->id), u"BAK-CRO"_s, 1, newId()));

    const Result<Order> paid = till.orders->complete(
        alice, PaymentRequest{PaymentMethod::Cash, 1000}, order->version, newId());
    VERIFY_OK(paid);
    const QList<SyncOpResult> results = syncTerminal(till, m_device);
    QCOMPARE(kinds(results), QStringList{u"applied"_s});
    QCOMPARE(results.first().reviewItems.size(), 1);
    QCOMPARE(results.first().reviewItems.first().kind, u"paid_order_changed"_s);
    QCOMPARE(results.first().reviewItems.first().amountCents, Cents(190));

    // The server booked the payment for what was paid; the order is completed with the paid
    // lines; the croissant is the difference on the review list.
    const std::optional<Order> onServer = OrderStore(m_server->db()).load(order->id);
    QVERIFY(onServer);
    QCOMPARE(toString(onServer->status), u"completed"_s);
    QCOMPARE(onServer->payments.size(), 1);
    QCOMPARE(onServer->payments.first().id, paid->payment->id);
    QCOMPARE(sumOfPayments(m_server->db(), order->id), Cents(440));
    QCOMPARE(onServer->totalCents(), Cents(440));
    QCOMPARE(count(u"SELECT COUNT(*) FROM review_items WHERE order_id = ? AND status = 'open'"_s,
                   {order->id}),
             1);
    // The till kept its payment and its completed order, and has the review item too.
    const std::optional<Order> onTill = OrderStore(till.db()).load(order->id);
    QCOMPARE(toString(onTill->status), u"completed"_s);
    QCOMPARE(sumOfPayments(till.db(), order->id), Cents(440));
    QCOMPARE(queryValue(till.db(), u"SELECT COUNT(*) FROM review_items WHERE kind = "
                                   "'paid_order_changed'"_s)
                 .toInt(),
             1);
    // Synced again: nothing changes twice.
    QVERIFY(syncTerminal(till, m_device).isEmpty());
    QCOMPARE(sumOfPayments(m_server->db(), order->id), Cents(440));
}

void SyncApplierTest::serverCompletesWhileTillEdits()
{
    // The mirror image: the server takes payment for the synced order while the till adds an
    // item and then takes payment too. Both payments are facts; the second is an overpayment.
    Terminal till(m_server->db());
    const OrderTarget alice = OrderTarget::byCashier(till.cashierId(u"Alice"_s));
    const Result<Order> order = till.orders->addProduct(alice, u"COF-ESP"_s, 1, newId());
    QVERIFY(order);
    syncTerminal(till, m_device);
    OrderService server(m_server->db(), Clock::system(), SyncSide::Server);
    VERIFY_OK(server.complete(OrderTarget::byId(order->id),
                              PaymentRequest{PaymentMethod::Card, 220}, std::nullopt, newId()));

    VERIFY_OK(till.orders->addProduct(alice, u"BAK-CRO"_s, 1, newId()));
    const QList<SyncOpResult> first = syncTerminal(till, m_device);
    QCOMPARE(kinds(first), QStringList{u"conflict:order_closed"_s});
    // The till took the server's completed order, its payment added, nothing of its own lost:
    // the croissant it added is on its review list, not paid for.
    const std::optional<Order> onTill = OrderStore(till.db()).load(order->id);
    QCOMPARE(toString(onTill->status), u"completed"_s);
    QCOMPARE(sumOfPayments(till.db(), order->id), Cents(220));
    QCOMPARE(queryValue(till.db(), u"SELECT amount_cents FROM review_items WHERE kind = "
                                   "'lines_after_payment'"_s)
                 .toLongLong(),
             Cents(190));

    // A second till paid for the same order at the same time (here: the same till, before it
    // heard): the server books it as an overpayment with a paid_twice item.
    Terminal till2(m_server->db());
    const OrderTarget alice2 = OrderTarget::byCashier(till2.cashierId(u"Alice"_s));
    const Result<Order> other = till2.orders->addProduct(alice2, u"COF-ESP"_s, 1, newId());
    syncTerminal(till2, SyncDevice{u"dev-2"_s, u"Till 2"_s});
    VERIFY_OK(server.complete(OrderTarget::byId(other->id),
                              PaymentRequest{PaymentMethod::Cash, 500}, std::nullopt, newId()));
    VERIFY_OK(till2.orders->complete(alice2, PaymentRequest{PaymentMethod::Cash, 500}, std::nullopt,
                                     newId()));
    const QList<SyncOpResult> second = syncTerminal(till2, SyncDevice{u"dev-2"_s, u"Till 2"_s});
    QCOMPARE(kinds(second), QStringList{u"applied"_s});
    QCOMPARE(second.first().reviewItems.first().kind, u"paid_twice"_s);
    QCOMPARE(sumOfPayments(m_server->db(), other->id), Cents(440));
    QCOMPARE(count(u"SELECT COUNT(*) FROM payments WHERE order_id = ? AND kind = 'overpayment'"_s,
                   {other->id}),
             1);
    QCOMPARE(sumOfPayments(till2.db(), other->id), Cents(220)); // the till's own, untouched
}

void SyncApplierTest::cashierSellsOnTwoTills()
{
    // Scenario 2: Alice parks an order on till 1 and sells by card on till 2.
    Terminal till1(m_server->db());
    Terminal till2(m_server->db());
    const SyncDevice dev2{u"dev-2"_s, u"Till 2"_s};
    const OrderTarget alice1 = OrderTarget::byCashier(till1.cashierId(u"Alice"_s));
    const OrderTarget alice2 = OrderTarget::byCashier(till2.cashierId(u"Alice"_s));
    const Result<Order> parked = till1.orders->addProduct(alice1, u"COF-ESP"_s, 1, newId());
    VERIFY_OK(till1.orders->logOut(alice1, newId()));
    const Result<Order> sold = till2.orders->addProduct(alice2, u"COF-ESP"_s, 3, newId());
    VERIFY_OK(till2.orders->complete(alice2, PaymentRequest{PaymentMethod::Card, 660}, std::nullopt,
                                     newId()));
    QCOMPARE(kinds(syncTerminal(till1, m_device)), repeated(u"applied"_s, 3));
    QCOMPARE(kinds(syncTerminal(till2, dev2)), repeated(u"applied"_s, 3));
    QCOMPARE(toString(OrderStore(m_server->db()).load(parked->id)->status), u"pending_logout"_s);
    QCOMPARE(toString(OrderStore(m_server->db()).load(sold->id)->status), u"completed"_s);
    QCOMPARE(sumOfPayments(m_server->db(), sold->id), Cents(660));
}

void SyncApplierTest::concurrentLineEditsMerge()
{
    // Scenario 3: the till adds a second espresso while the server adds a croissant.
    Terminal till(m_server->db());
    const OrderTarget bob = OrderTarget::byCashier(till.cashierId(u"Bob"_s));
    const Result<Order> order = till.orders->addProduct(bob, u"COF-ESP"_s, 1, newId());
    syncTerminal(till, m_device);
    OrderService server(m_server->db(), Clock::system(), SyncSide::Server);
    VERIFY_OK(server.addProduct(OrderTarget::byId(order->id), u"BAK-CRO"_s, 1, newId()));
    VERIFY_OK(till.orders->addProduct(bob, u"COF-ESP"_s, 1, newId()));
    const QList<SyncOpResult> results = syncTerminal(till, m_device);
    QCOMPARE(kinds(results), QStringList{u"applied"_s});
    QVERIFY(results.first().serverOrder); // merged: the till gets the server's copy
    for (Database *db : {&m_server->db(), &till.db()}) {
        const std::optional<Order> merged = OrderStore(*db).load(order->id);
        QCOMPARE(merged->lines.size(), 2);
        QCOMPARE(merged->itemCount(), 3);
        QCOMPARE(merged->totalCents(), Cents(2 * 220 + 190));
    }
    // A change to a line removed elsewhere is a reported conflict, not an edit of another line.
    const QString espresso = OrderStore(till.db()).load(order->id)->lines.first().lineId;
    const int espressoNo = OrderStore(till.db()).load(order->id)->lines.first().lineNo;
    VERIFY_OK(server.removeLine(OrderTarget::byId(order->id),
                                OrderStore(m_server->db()).load(order->id)->lines.first().lineNo,
                                newId()));
    VERIFY_OK(till.orders->adjustQuantity(bob, espressoNo, 1, newId()));
    const QList<SyncOpResult> removed = syncTerminal(till, m_device);
    QCOMPARE(kinds(removed), QStringList{u"conflict:line_removed"_s});
    const std::optional<Order> after = OrderStore(till.db()).load(order->id);
    QCOMPARE(after->lines.size(), 1);
    QVERIFY(after->lines.first().lineId != espresso);
    QCOMPARE(queryValue(till.db(), u"SELECT COUNT(*) FROM review_items WHERE kind = "
                                   "'line_conflict'"_s)
                 .toInt(),
             1);
    // Line numbers are never reused.
    VERIFY_OK(till.orders->addProduct(bob, u"COF-ESP"_s, 1, newId()));
    QVERIFY(OrderStore(till.db()).load(order->id)->lines.last().lineNo > espressoNo);
}

void SyncApplierTest::foreignOrdersAreRejectedWithoutRevealingThem()
{
    Terminal till(m_server->db());
    const OrderTarget alice = OrderTarget::byCashier(till.cashierId(u"Alice"_s));
    const Result<Order> order = till.orders->addProduct(alice, u"COF-ESP"_s, 1, newId());
    const QJsonArray ops = till.takeOps();
    QCOMPARE(kinds(push(ops)), repeated(u"applied"_s, 2));
    // Another device pushes ops for that order (say, a stolen token replaying captured ops with
    // new request ids): rejected as unknown, with no server state in the answer.
    QJsonArray forged;
    for (const QJsonValue &value : ops) {
        QJsonObject op = value.toObject();
        op.insert(u"request_id"_s, newId());
        forged.append(op);
    }
    const QList<SyncOpResult> results = push(forged, SyncDevice{u"dev-2"_s, u"Till 2"_s});
    for (const SyncOpResult &result : results) {
        QCOMPARE(result.kind, SyncOpResult::Kind::Rejected);
        QVERIFY(!result.toJson().contains(u"server_order"_s));
        QVERIFY(!result.toJson().value(u"message"_s).toString().contains(u"Alice"_s));
    }
    QCOMPARE(results.first().code, u"unknown_order"_s);
    QCOMPARE(OrderStore(m_server->db()).load(order->id)->lines.first().quantity, 1);
}

void SyncApplierTest::paymentsAreAppendOnly()
{
    Terminal till(m_server->db());
    const OrderTarget alice = OrderTarget::byCashier(till.cashierId(u"Alice"_s));
    VERIFY_OK(till.orders->addProduct(alice, u"COF-ESP"_s, 1, newId()));
    const Result<Order> paid = till.orders->complete(
        alice, PaymentRequest{PaymentMethod::Cash, 500}, std::nullopt, newId());
    syncTerminal(till, m_device);
    for (Database *db : {&m_server->db(), &till.db()}) {
        QSqlQuery query(db->connection());
        QVERIFY(!query.exec(u"UPDATE payments SET amount_cents = 0"_s));
        QVERIFY(!query.exec(u"DELETE FROM payments"_s));
        // A second sale payment for the order exceeds what was due.
        QVERIFY(!query.exec(u"INSERT INTO payments (id, order_id, kind, method, amount_cents, "
                            "tendered_cents, change_cents, due_cents, paid_version, receipt_no, "
                            "terminal_id, paid_at) VALUES ('again', '%1', 'sale', 'cash', 220, "
                            "220, 0, 220, 2, 'X-1', 't', 't')"_s.arg(paid->id)));
        QCOMPARE(sumOfPayments(*db, paid->id), Cents(220));
    }
}

void SyncApplierTest::threeTillsOneCashierAnswersLost()
{
    // Three tills and the server's own API on one server; Alice works on all of them, parks an
    // order on one and sells on the others; every other push's answer is lost (the till sends
    // the same ops again); the server edits a till's order before it is paid. Afterwards every
    // payment acknowledged at a till is booked on the server exactly once, nothing was deleted,
    // the difference is on the review list, and verify is clean everywhere.
    QList<std::shared_ptr<Terminal>> tills;
    QList<SyncDevice> devices;
    for (int i = 1; i <= 3; ++i) {
        tills.append(std::make_shared<Terminal>(m_server->db()));
        devices.append(SyncDevice{u"dev-%1"_s.arg(i), u"Till %1"_s.arg(i)});
    }
    OrderService server(m_server->db(), Clock::system(), SyncSide::Server);
    const QString alice = tills.first()->cashierId(u"Alice"_s);
    int round = 0;
    auto syncAll = [&] {
        for (qsizetype t = 0; t < tills.size(); ++t) {
            if (++round % 2 == 0) {
                // The answer is lost: the server committed, the till heard nothing.
                SyncStore store(tills.at(t)->db());
                const Result<QList<OutboxOp>> pending = store.pendingOps(500);
                if (pending && !pending->isEmpty()) {
                    int taken = 0;
                    const SyncBatch batch = SyncBatch::parse(
                        SyncEngine::pushBody(*pending, SyncBatch::maxBodyBytes, &taken));
                    QVERIFY(SyncApplier(m_server->db()).apply(devices.at(t), batch.ops));
                }
            }
            syncTerminal(*tills.at(t), devices.at(t));
        }
    };
    const PaymentRequest cash{PaymentMethod::Cash, 100'000};
    // Till 1: Alice parks an order; till 2 and 3: she sells; the server sells too.
    const OrderTarget on1 = OrderTarget::byCashier(alice);
    QVERIFY(tills.at(0)->orders->addProduct(on1, u"COF-ESP"_s, 1, newId()));
    VERIFY_OK(tills.at(0)->orders->logOut(on1, newId()));
    for (int t : {1, 2}) {
        QVERIFY(tills.at(t)->orders->addProduct(on1, u"BAK-CRO"_s, t, newId()));
        VERIFY_OK(tills.at(t)->orders->complete(on1, cash, std::nullopt, newId()));
    }
    VERIFY_OK(server.addProduct(OrderTarget::byCashier(alice), u"COF-LAT"_s, 1, newId()));
    VERIFY_OK(server.complete(OrderTarget::byCashier(alice), cash, std::nullopt, newId()));
    syncAll();
    // Alice comes back to till 1; meanwhile the server adds to that order; she takes payment.
    const Result<Order> parked = tills.at(0)->orders->openOrResume(alice, newId());
    VERIFY_OK(parked);
    syncAll();
    VERIFY_OK(server.addProduct(OrderTarget::byId(parked->id), u"BAK-CRO"_s, 1, newId()));
    VERIFY_OK(tills.at(0)->orders->complete(on1, cash, std::nullopt, newId()));
    syncAll();
    syncAll();

    // Every payment a till holds is on the server, once, with the same amount.
    qint64 acknowledged = 0;
    for (const auto &till : tills) {
        QSqlQuery query(till->db().connection());
        QVERIFY(query.exec(u"SELECT id, amount_cents FROM payments"_s));
        while (query.next()) {
            acknowledged += query.value(1).toLongLong();
            QCOMPARE(queryValue(m_server->db(), u"SELECT amount_cents FROM payments WHERE id = ?"_s,
                                {query.value(0)})
                         .toLongLong(),
                     query.value(1).toLongLong());
        }
        QCOMPARE(SyncStore(till->db()).pendingOps(500)->size(), 0);
    }
    const qint64 serverOwn = queryValue(m_server->db(), u"SELECT COALESCE(SUM(amount_cents), 0) "
                                                        "FROM payments WHERE terminal_id = "
                                                        "(SELECT terminal_id FROM terminal)"_s)
                                 .toLongLong();
    QCOMPARE(queryValue(m_server->db(), u"SELECT COALESCE(SUM(amount_cents), 0) FROM payments"_s)
                 .toLongLong(),
             acknowledged + serverOwn);
    QCOMPARE(acknowledged, Cents(190 + 2 * 190 + 220));
    QCOMPARE(count(u"SELECT COUNT(*) FROM review_items WHERE kind = 'paid_order_changed'"_s), 1);
    QCOMPARE(count(u"SELECT COUNT(*) FROM order_sessions WHERE cashier_id = ? AND status = "
                   "'completed'"_s,
                   {alice}),
             4);
}

void SyncApplierTest::assignWaitsForASettlementOfItsTab()
{
    // A pushed op that puts an order on a tab takes the tab's row lock (its conditional update)
    // rather than reading its status: a settlement of that tab committing at the same moment is
    // either seen (the assign is a conflict) or waits. It can never leave an order on a settled
    // tab, unpaid.
    Terminal till(m_server->db());
    const OrderTarget bob = OrderTarget::byCashier(till.cashierId(u"Bob"_s));
    const OrderTarget maria = OrderTarget::byCashier(till.cashierId(u"Maria"_s));
    QVERIFY(till.orders->addProduct(bob, u"COF-ESP"_s, 1, newId()));
    VERIFY_OK(till.orders->assignToTab(bob, u"Table 9"_s, std::nullopt, newId()));
    QVERIFY(till.orders->addProduct(maria, u"BAK-CRO"_s, 1, newId()));
    QCOMPARE(kinds(push(till.takeOps())), repeated(u"applied"_s, 5));
    VERIFY_OK(till.orders->assignToTab(maria, u"Table 9"_s, std::nullopt, newId()));
    const QJsonArray assign = till.takeOps();
    QCOMPARE(assign.size(), 1);
    const QString tabId =
        queryValue(m_server->db(), u"SELECT id FROM tabs WHERE status = 'open'"_s).toString();
    QVERIFY(!tabId.isEmpty());

    // The settlement, held open in a transaction of its own...
    std::unique_ptr<Database> settler = m_server->open();
    const bool postgres = settler->dialect() == SqlDialect::Postgres;
    const QString at = toStorageTime(QDateTime::currentDateTimeUtc());
    auto run = [&](const QString &sql, const QVariantList &values = {}) {
        QSqlQuery query(settler->connection());
        bool done = false;
        if (values.isEmpty()) { // BEGIN and COMMIT cannot be prepared on PostgreSQL
            done = query.exec(sql);
        } else {
            query.prepare(sql);
            for (const QVariant &value : values)
                query.addBindValue(value);
            done = query.exec();
        }
        if (!done)
            qFatal("settle: %s", qPrintable(query.lastError().text()));
    };
    run(postgres ? u"BEGIN"_s : u"BEGIN IMMEDIATE"_s);
    run(u"UPDATE tabs SET status = 'settled', version = version + 1, settled_at = ?, "
        "receipt_no = 'HELD-1', paid_cents = 220 WHERE id = ?"_s,
        {at, tabId});
    run(u"UPDATE order_sessions SET status = 'completed', version = version + 1, updated_at = ?, "
        "completed_at = ? WHERE tab_id = ? AND status = 'assigned'"_s,
        {at, at, tabId});
    run(u"INSERT INTO order_history (order_id, at, cashier_id, action, from_version, to_version, "
        "from_status, to_status, detail, request_id) SELECT id, ?, cashier_id, 'settle_tab', "
        "version - 1, version, 'assigned', 'completed', 'settled', 'held' FROM order_sessions "
        "WHERE tab_id = ?"_s,
        {at, tabId});
    run(u"INSERT INTO payments (id, tab_id, kind, method, amount_cents, tendered_cents, "
        "change_cents, due_cents, paid_version, receipt_no, terminal_id, paid_at) VALUES "
        "(?, ?, 'sale', 'cash', 220, 220, 0, 220, 2, 'HELD-1', ?, ?)"_s,
        {newId(), tabId, m_device.id, at});
    // ...while the push that puts Maria's order on that tab runs on another connection.
    QList<SyncOpResult> results;
    std::thread pusher([&] {
        std::unique_ptr<Database> db = m_server->open();
        const SyncBatch batch = SyncBatch::parse(body(assign));
        if (Result<QList<SyncOpResult>> applied = SyncApplier(*db).apply(m_device, batch.ops))
            results = *applied;
    });
    QThread::msleep(300); // the push is now waiting for the tab (or the write lock)
    run(u"COMMIT"_s);
    pusher.join();
    QCOMPARE(kinds(results), QStringList{u"conflict:tab_closed"_s});
    QCOMPARE(count(u"SELECT COUNT(*) FROM order_sessions o JOIN tabs t ON t.id = o.tab_id "
                   "WHERE t.status = 'settled' AND o.status <> 'completed'"_s),
             0);
}

QTEST_GUILESS_MAIN(SyncApplierTest)

// The applier writes each order's new state once per batch (at the end, or before something
// reads order_sessions). A conflict answer reads the server's order inside the conflicting op's
// savepoint, which is then rolled back: the states written there for earlier ops must still
// reach the database.
void SyncApplierTest::statesOfABatchSurviveARolledBackOp()
{
    Terminal terminal(m_server->db());
    OrderService &orders = *terminal.orders;
    const OrderTarget bob = OrderTarget::byCashier(terminal.cashierId(u"Bob"_s));
    const OrderTarget maria = OrderTarget::byCashier(terminal.cashierId(u"Maria"_s));
    const Result<Order> bobs = orders.addProduct(bob, u"COF-ESP"_s, 1, newId());
    const Result<Order> marias = orders.addProduct(maria, u"BAK-CRO"_s, 1, newId());
    QVERIFY(bobs && marias);
    QCOMPARE(kinds(push(terminal.takeOps())), repeated(u"applied"_s, 4));
    // Maria's order is paid on the server; the till does not know yet.
    OrderService serverOrders(m_server->db(), Clock::system(), SyncSide::Server);
    QVERIFY(serverOrders.complete(OrderTarget::byId(marias->id),
                                  PaymentRequest{PaymentMethod::Cash, 100000}, std::nullopt,
                                  newId()));
    const Result<Order> bobsNow = orders.addProduct(bob, u"COF-ESP"_s, 1, newId());
    QVERIFY(bobsNow);
    QVERIFY(orders.addProduct(maria, u"BAK-CRO"_s, 1, newId()));
    const QList<SyncOpResult> results = push(terminal.takeOps());
    QCOMPARE(kinds(results), (QStringList{u"applied"_s, u"conflict:order_closed"_s}));
    QVERIFY(results.at(1).serverOrder); // read from the database inside the rolled-back op
    const Result<Order> bobsOnServer = serverOrders.order(bobs->id);
    QVERIFY(bobsOnServer);
    QCOMPARE(bobsOnServer->version, bobsNow->version);
    QCOMPARE(bobsOnServer->lines.constFirst().quantity, 2);
    compareWithServer(terminal, bobs->id);
}

// On PostgreSQL an edit with one line change of an order the batch already holds takes no
// savepoint (a round trip saved per op): refused, it must have written nothing, and the ops
// before it in the batch must keep what they wrote.
void SyncApplierTest::aRefusedEditWithoutSavepointKeepsTheBatch()
{
    Terminal terminal(m_server->db());
    OrderService &orders = *terminal.orders;
    const OrderTarget bob = OrderTarget::byCashier(terminal.cashierId(u"Bob"_s));
    const Result<Order> first = orders.addProduct(bob, u"COF-ESP"_s, 1, newId());
    QVERIFY(first);
    QCOMPARE(kinds(push(terminal.takeOps())), repeated(u"applied"_s, 2));
    // The server removes the line; the till, not knowing, adds another item, then raises the
    // removed line's quantity.
    OrderService serverOrders(m_server->db(), Clock::system(), SyncSide::Server);
    QVERIFY(serverOrders.removeLine(OrderTarget::byId(first->id), 1, newId()));
    const Result<Order> added = orders.addProduct(bob, u"BAK-CRO"_s, 2, newId());
    QVERIFY(added);
    QVERIFY(orders.adjustQuantity(OrderTarget::byId(first->id), 1, 1, newId()));
    const QList<SyncOpResult> results = push(terminal.takeOps());
    QCOMPARE(kinds(results), (QStringList{u"applied"_s, u"conflict:line_removed"_s}));
    const Result<Order> onServer = serverOrders.order(first->id);
    QVERIFY(onServer);
    QCOMPARE(onServer->lines.size(), 1);
    QCOMPARE(onServer->lines.constFirst().sku, u"BAK-CRO"_s);
    QCOMPARE(onServer->lines.constFirst().quantity, 2);
    QCOMPARE(onServer->version, results.at(0).version);
    QCOMPARE(count(u"SELECT COUNT(*) FROM order_lines WHERE order_id = ?"_s, {first->id}), 1);
}

// Issue 14 through sync: a line discount, a price override, an order discount and a split
// tender (cash, then card for the rest) made on the till arrive on the server as they were:
// the same discounts and prices, two payment facts (one receipt number, on the last), each
// booked once; a second push of the same ops changes nothing.
void SyncApplierTest::splitTenderDiscountsAndPricesSync()
{
    Terminal till(m_server->db());
    OrderService &orders = *till.orders;
    const QString aliceId = till.cashierId(u"Alice"_s);
    const OrderTarget alice = OrderTarget::byCashier(aliceId);
    const Result<Order> opened = orders.addProduct(alice, u"COF-ESP"_s, 2, newId());
    QVERIFY(opened);
    VERIFY_OK(orders.addProduct(alice, u"BAK-CRO"_s, 1, newId()));
    VERIFY_OK(orders.discountLine(alice, u"1"_s,
                                  Discount{DiscountKind::Percent, 1000, u"regular"_s, aliceId},
                                  std::nullopt, newId()));
    VERIFY_OK(orders.overridePrice(alice, u"2"_s, 150, u"yesterday's"_s, aliceId, std::nullopt,
                                   newId(), Approver{u"Maria"_s, u"9999"_s}));
    VERIFY_OK(orders.discountOrder(alice, Discount{DiscountKind::Amount, 50, u"coupon"_s, aliceId},
                                   std::nullopt, newId()));
    const Result<Order> part =
        orders.pay(alice, PaymentRequest{PaymentMethod::Cash, 500, 200}, std::nullopt, newId());
    VERIFY_OK(part);
    QCOMPARE(toString(part->status), u"active"_s);
    const Result<Order> paid = orders.pay(OrderTarget::byId(opened->id),
                                          PaymentRequest{PaymentMethod::Card, part->balanceCents()},
                                          std::nullopt, newId());
    VERIFY_OK(paid);
    QCOMPARE(toString(paid->status), u"completed"_s);
    // 2 x 220 - 10 % = 396, + 150, - 50 = 496.
    QCOMPARE(paid->totalCents(), Cents(496));

    const QJsonArray ops = till.takeOps();
    QCOMPARE(kinds(push(ops)), repeated(u"applied"_s, ops.size()));
    compareWithServer(till, opened->id);
    const std::optional<Order> server = OrderStore(m_server->db()).load(opened->id);
    QVERIFY(server);
    QCOMPARE(server->totalCents(), Cents(496));
    QCOMPARE(server->discount, paid->discount);
    for (qsizetype i = 0; i < paid->lines.size(); ++i) {
        QCOMPARE(server->lines.at(i).discount, paid->lines.at(i).discount);
        QCOMPARE(server->lines.at(i).listPriceCents, paid->lines.at(i).listPriceCents);
        QCOMPARE(server->lines.at(i).priceReason, paid->lines.at(i).priceReason);
    }
    QCOMPARE(server->payments.size(), 2);
    QCOMPARE(server->paidCents(), Cents(496));
    QCOMPARE(server->balanceCents(), Cents(0));
    QCOMPARE(server->payments.at(0).id, paid->payments.at(0).id);
    QVERIFY(server->payments.at(0).receiptNo.isEmpty());
    QCOMPARE(server->payments.at(0).changeCents, Cents(300));
    QCOMPARE(server->payments.at(1).receiptNo, paid->receiptNo);
    QCOMPARE(count(u"SELECT COUNT(*) FROM payments WHERE receipt_no IS NOT NULL AND order_id = ?"_s,
                   {opened->id}),
             1);

    // Every op again (a lost answer): replayed, nothing booked twice.
    QCOMPARE(kinds(push(ops)), repeated(u"replayed"_s, ops.size()));
    QCOMPARE(sumOfPayments(m_server->db(), opened->id), Cents(496));
    QCOMPARE(count(u"SELECT COUNT(*) FROM payments WHERE order_id = ?"_s, {opened->id}), 2);
}

// A tab paid in two tenders: pay_tab books the first, settle_tab the rest with the receipt.
void SyncApplierTest::tabPaidInTwoTendersSyncs()
{
    Terminal till(m_server->db());
    const OrderTarget alice = OrderTarget::byCashier(till.cashierId(u"Alice"_s));
    VERIFY_OK(till.orders->addProduct(alice, u"COF-ESP"_s, 2, newId()));
    const Result<Order> onTab =
        till.orders->assignToTab(alice, u"Table 9"_s, std::nullopt, newId());
    VERIFY_OK(onTab);
    const Result<Tab> part =
        till.tabs->pay(onTab->tabId, PaymentRequest{PaymentMethod::Other, 100, 100, u"Voucher"_s},
                       std::nullopt, newId());
    VERIFY_OK(part);
    QCOMPARE(toString(part->status), u"open"_s);
    const Result<Tab> settled = till.tabs->settle(
        onTab->tabId, PaymentRequest{PaymentMethod::Cash, 1000}, std::nullopt, newId());
    VERIFY_OK(settled);
    const QJsonArray ops = till.takeOps();
    QCOMPARE(ops.last().toObject().value(u"op"_s).toString(), u"settle_tab"_s);
    QCOMPARE(ops.at(ops.size() - 2).toObject().value(u"op"_s).toString(), u"pay_tab"_s);
    QCOMPARE(kinds(push(ops)), repeated(u"applied"_s, ops.size()));
    const std::optional<Tab> server = OrderStore(m_server->db()).loadTab(onTab->tabId);
    QVERIFY(server);
    QCOMPARE(toString(server->status), u"settled"_s);
    QCOMPARE(server->receiptNo, settled->receiptNo);
    QCOMPARE(server->payments.size(), 2);
    QCOMPARE(server->payments.at(0).label, u"Voucher"_s);
    QCOMPARE(toString(server->payments.at(0).method), u"other"_s);
    QVERIFY(server->payments.at(0).receiptNo.isEmpty());
    QCOMPARE(server->paidCents(), Cents(440));
    QCOMPARE(server->payments.at(1).changeCents, settled->payments.at(1).changeCents);
    compareWithServer(till, onTab->id, 1000);
    QCOMPARE(kinds(push(ops)), repeated(u"replayed"_s, ops.size()));
    QCOMPARE(count(u"SELECT COUNT(*) FROM payments WHERE tab_id = ?"_s, {onTab->tabId}), 2);
}

// A payment the server's copy cannot take (the order was paid on the server meanwhile) is booked
// all the same, as an overpayment with a paid_twice review item; a discount for a line the
// server removed is a conflict (the till's review list).
void SyncApplierTest::paymentsAndDiscountsTheServerCannotTake()
{
    Terminal till(m_server->db());
    const QString aliceId = till.cashierId(u"Alice"_s);
    const OrderTarget alice = OrderTarget::byCashier(aliceId);
    const Result<Order> order = till.orders->addProduct(alice, u"COF-ESP"_s, 1, newId());
    VERIFY_OK(order);
    VERIFY_OK(till.orders->addProduct(alice, u"BAK-CRO"_s, 1, newId()));
    QCOMPARE(kinds(push(till.takeOps())), repeated(u"applied"_s, 3));

    OrderService server(m_server->db(), Clock::system(), SyncSide::Server);
    VERIFY_OK(server.removeLine(OrderTarget::byId(order->id), 2, newId()));
    VERIFY_OK(till.orders->discountLine(alice, u"2"_s,
                                        Discount{DiscountKind::Amount, 40, u"stale"_s, aliceId},
                                        std::nullopt, newId(), Approver{u"Maria"_s, u"9999"_s}));
    const QList<SyncOpResult> removed = push(till.takeOps());
    QCOMPARE(kinds(removed), QStringList{u"conflict:line_removed"_s});
    QCOMPARE(count(u"SELECT COUNT(*) FROM order_lines WHERE order_id = ? AND discount_kind <> ''"_s,
                   {order->id}),
             0);

    // The server takes the whole payment; the till, not knowing, takes part of it.
    VERIFY_OK(server.complete(OrderTarget::byId(order->id),
                              PaymentRequest{PaymentMethod::Card, 220}, std::nullopt, newId()));
    Terminal till2(m_server->db());
    const SyncDevice device2{u"dev-2"_s, u"Till 2"_s};
    const OrderTarget bob = OrderTarget::byCashier(till2.cashierId(u"Bob"_s));
    const Result<Order> other = till2.orders->addProduct(bob, u"COF-ESP"_s, 2, newId());
    VERIFY_OK(other);
    QCOMPARE(kinds(push(till2.takeOps(), device2)), repeated(u"applied"_s, 2));
    VERIFY_OK(server.complete(OrderTarget::byId(other->id),
                              PaymentRequest{PaymentMethod::Cash, 440}, std::nullopt, newId()));
    VERIFY_OK(till2.orders->pay(bob, PaymentRequest{PaymentMethod::Cash, 100, 100}, std::nullopt,
                                newId()));
    const QList<SyncOpResult> late = push(till2.takeOps(), device2);
    QCOMPARE(kinds(late), QStringList{u"applied"_s});
    QCOMPARE(late.first().reviewItems.size(), 1);
    QCOMPARE(late.first().reviewItems.first().kind, u"paid_twice"_s);
    QCOMPARE(count(u"SELECT COUNT(*) FROM payments WHERE order_id = ? AND kind = 'overpayment' "
                   "AND amount_cents = 100 AND receipt_no IS NULL"_s,
                   {other->id}),
             1);
}

// Bad protocol 3 members are refused with the field named, and nothing of the op is applied.
void SyncApplierTest::badDiscountsAndPaymentsAreRefused_data()
{
    QTest::addColumn<QString>("path"); // where in the op to put the value: see below
    QTest::addColumn<QJsonValue>("value");
    QTest::addColumn<QString>("named");
    const QJsonObject percent{{u"kind"_s, u"percent"_s}, {u"value"_s, 1000}, {u"reason"_s, u"r"_s}};
    QJsonObject tooMuch = percent;
    tooMuch.insert(u"value"_s, 10001);
    QJsonObject noReason = percent;
    noReason.remove(u"reason"_s);
    QJsonObject strangeKind = percent;
    strangeKind.insert(u"kind"_s, u"free"_s);
    QJsonObject bigAmount{{u"kind"_s, u"amount"_s}, {u"value"_s, 100000}, {u"reason"_s, u"r"_s}};
    QTest::newRow("percent over 100")
        << u"change.discount"_s << QJsonValue(tooMuch) << u"payload.changes[0].discount.value"_s;
    QTest::newRow("no reason") << u"change.discount"_s << QJsonValue(noReason)
                               << u"payload.changes[0].discount.reason"_s;
    QTest::newRow("unknown kind") << u"change.discount"_s << QJsonValue(strangeKind)
                                  << u"payload.changes[0].discount.kind"_s;
    QTest::newRow("line discount over the line")
        << u"line.discount"_s << QJsonValue(bigAmount) << u"order.lines[0].discount.value"_s;
    QTest::newRow("list price without reason")
        << u"line.list_price_cents"_s << QJsonValue(300) << u"order.lines[0].price_reason"_s;
    QTest::newRow("negative list price")
        << u"line.list_price_cents"_s << QJsonValue(-1) << u"order.lines[0].list_price_cents"_s;
    QTest::newRow("order discount over the order")
        << u"order.discount"_s << QJsonValue(bigAmount) << u"order.discount.value"_s;
}

void SyncApplierTest::badDiscountsAndPaymentsAreRefused()
{
    QFETCH(QString, path);
    QFETCH(QJsonValue, value);
    QFETCH(QString, named);
    Terminal till(m_server->db());
    const QString aliceId = till.cashierId(u"Alice"_s);
    const OrderTarget alice = OrderTarget::byCashier(aliceId);
    const Result<Order> order = till.orders->addProduct(alice, u"COF-ESP"_s, 1, newId());
    VERIFY_OK(order);
    QCOMPARE(kinds(push(till.takeOps())), repeated(u"applied"_s, 2));
    VERIFY_OK(till.orders->discountLine(alice, u"1"_s,
                                        Discount{DiscountKind::Percent, 500, u"ok"_s, aliceId},
                                        std::nullopt, newId()));
    QJsonArray ops = till.takeOps();
    QCOMPARE(ops.size(), 1);
    QJsonObject op = ops.at(0).toObject();
    QJsonObject payload = op.value(u"payload"_s).toObject();
    QJsonObject state = payload.value(u"order"_s).toObject();
    if (path == u"change.discount"_s) {
        QJsonArray changes = payload.value(u"changes"_s).toArray();
        QJsonObject change = changes.at(0).toObject();
        change.insert(u"discount"_s, value);
        changes[0] = change;
        payload.insert(u"changes"_s, changes);
    } else if (path.startsWith(u"line."_s)) {
        QJsonArray lines = state.value(u"lines"_s).toArray();
        QJsonObject line = lines.at(0).toObject();
        line.insert(path.mid(5), value);
        lines[0] = line;
        state.insert(u"lines"_s, lines);
    } else {
        state.insert(path.mid(6), value);
    }
    payload.insert(u"order"_s, state);
    op.insert(u"payload"_s, payload);
    const QList<SyncOpResult> results = push(QJsonArray{op});
    QCOMPARE(kinds(results), QStringList{u"rejected:invalid_op"_s});
    QVERIFY2(results.first().message.contains(named), qPrintable(results.first().message));
    QCOMPARE(count(u"SELECT COUNT(*) FROM order_lines WHERE order_id = ? AND discount_kind <> ''"_s,
                   {order->id}),
             0);
    QCOMPARE(count(u"SELECT version FROM order_sessions WHERE id = ?"_s, {order->id}), 2);
}

// The payment facts of a split tender, tampered with: each refusal names its field.
void SyncApplierTest::badPaymentFactsAreRefused()
{
    Terminal till(m_server->db());
    const OrderTarget alice = OrderTarget::byCashier(till.cashierId(u"Alice"_s));
    const Result<Order> order = till.orders->addProduct(alice, u"COF-ESP"_s, 2, newId());
    VERIFY_OK(order);
    QCOMPARE(kinds(push(till.takeOps())), repeated(u"applied"_s, 2));
    VERIFY_OK(till.orders->pay(alice, PaymentRequest{PaymentMethod::Cash, 100, 100}, std::nullopt,
                               newId()));
    const QJsonObject op = till.takeOps().at(0).toObject();
    auto tampered = [&](const std::function<void(QJsonObject &)> &change) {
        QJsonObject copy = op;
        QJsonObject payload = copy.value(u"payload"_s).toObject();
        QJsonArray changes = payload.value(u"changes"_s).toArray();
        QJsonObject payment = changes.at(0).toObject().value(u"payment"_s).toObject();
        change(payment);
        changes[0] = QJsonObject{{u"kind"_s, u"payment"_s}, {u"payment"_s, payment}};
        payload.insert(u"changes"_s, changes);
        copy.insert(u"payload"_s, payload);
        copy.insert(u"request_id"_s, newId());
        return copy;
    };
    const QList<std::pair<std::function<void(QJsonObject &)>, QString>> cases{
        {[](QJsonObject &p) { p.insert(u"receipt_no"_s, u"T001-9"_s); },
         u"payload.changes[0].payment.receipt_no"_s},
        {[](QJsonObject &p) { p.insert(u"method"_s, u"other"_s); },
         u"payload.changes[0].payment.label"_s},
        {[](QJsonObject &p) { p.insert(u"method"_s, u"cheque"_s); },
         u"payload.changes[0].payment.method"_s},
        {[](QJsonObject &p) { p.insert(u"change_cents"_s, 5); },
         u"payload.changes[0].payment must have tendered"_s},
        {[](QJsonObject &p) { p.insert(u"rounding_cents"_s, 20000); },
         u"payload.changes[0].payment.rounding_cents"_s},
    };
    for (const auto &[change, named] : cases) {
        const QList<SyncOpResult> results = push(QJsonArray{tampered(change)});
        QCOMPARE(kinds(results), QStringList{u"rejected:invalid_op"_s});
        QVERIFY2(results.first().message.contains(named), qPrintable(results.first().message));
    }
    QCOMPARE(count(u"SELECT COUNT(*) FROM payments WHERE order_id = ?"_s, {order->id}), 0);
    // The op as written is fine.
    QCOMPARE(kinds(push(QJsonArray{op})), QStringList{u"applied"_s});
    QCOMPARE(sumOfPayments(m_server->db(), order->id), Cents(100));
}

// A tab settled on the server while the till takes a first tender for it: the till's payment is
// booked all the same, as an overpayment of the tab with a paid_twice review item.
void SyncApplierTest::tabPaymentAfterTheServerSettled()
{
    Terminal till(m_server->db());
    const OrderTarget alice = OrderTarget::byCashier(till.cashierId(u"Alice"_s));
    VERIFY_OK(till.orders->addProduct(alice, u"COF-ESP"_s, 1, newId()));
    const Result<Order> onTab =
        till.orders->assignToTab(alice, u"Table 3"_s, std::nullopt, newId());
    VERIFY_OK(onTab);
    QCOMPARE(kinds(push(till.takeOps())), repeated(u"applied"_s, 3));
    VERIFY_OK(
        TabService(m_server->db())
            .settle(onTab->tabId, PaymentRequest{PaymentMethod::Card, 220}, std::nullopt, newId()));
    const Result<Tab> part = till.tabs->pay(
        onTab->tabId, PaymentRequest{PaymentMethod::Cash, 100, 100}, std::nullopt, newId());
    VERIFY_OK(part);
    const QJsonArray ops = till.takeOps();
    QCOMPARE(ops.size(), 1);
    const QList<SyncOpResult> results = push(ops);
    QCOMPARE(kinds(results), QStringList{u"applied"_s});
    QCOMPARE(results.first().reviewItems.size(), 1);
    QCOMPARE(results.first().reviewItems.first().kind, u"paid_twice"_s);
    QCOMPARE(results.first().reviewItems.first().tabId, onTab->tabId);
    QCOMPARE(count(u"SELECT COUNT(*) FROM payments WHERE tab_id = ? AND kind = 'overpayment' AND "
                   "amount_cents = 100"_s,
                   {onTab->tabId}),
             1);
    // Again (a lost answer): replayed, not booked twice.
    QCOMPARE(kinds(push(ops)), QStringList{u"replayed"_s});
    QCOMPARE(count(u"SELECT COUNT(*) FROM payments WHERE tab_id = ?"_s, {onTab->tabId}), 2);
    // A pay_tab for a tab the server does not have.
    QJsonObject stranger = ops.at(0).toObject();
    stranger.insert(u"request_id"_s, newId());
    stranger.insert(u"tab_id"_s, u"no-such-tab"_s);
    QJsonObject payload = stranger.value(u"payload"_s).toObject();
    payload.insert(u"tab_id"_s, u"no-such-tab"_s);
    stranger.insert(u"payload"_s, payload);
    QCOMPARE(kinds(push(QJsonArray{stranger})), QStringList{u"rejected:unknown_tab"_s});
}

// Server -> till: discounts, a price override, an order discount and a payment made on the server
// (a manager's edit of the till's order) reach the till when it takes the server's copy.
void SyncApplierTest::serverDiscountsAndPaymentsReachTheTill()
{
    Terminal till(m_server->db());
    const QString aliceId = till.cashierId(u"Alice"_s);
    const OrderTarget alice = OrderTarget::byCashier(aliceId);
    const Result<Order> order = till.orders->addProduct(alice, u"COF-ESP"_s, 2, newId());
    VERIFY_OK(order);
    VERIFY_OK(till.orders->addProduct(alice, u"BAK-CRO"_s, 1, newId()));
    syncTerminal(till, m_device);

    OrderService server(m_server->db(), Clock::system(), SyncSide::Server);
    const OrderTarget byId = OrderTarget::byId(order->id);
    VERIFY_OK(server.discountLine(byId, u"1"_s,
                                  Discount{DiscountKind::Percent, 1000, u"manager"_s, aliceId},
                                  std::nullopt, newId()));
    VERIFY_OK(server.overridePrice(byId, u"2"_s, 150, u"day old"_s, aliceId, std::nullopt, newId(),
                                   Approver{u"Maria"_s, u"9999"_s}));
    VERIFY_OK(server.discountOrder(byId, Discount{DiscountKind::Amount, 30, u"sorry"_s, aliceId},
                                   std::nullopt, newId()));
    const Result<Order> onServer = server.pay(
        byId, PaymentRequest{PaymentMethod::Other, 100, 100, u"Voucher"_s}, std::nullopt, newId());
    VERIFY_OK(onServer);

    // The till, not knowing, logs the cashier out: its answer carries the server's copy.
    VERIFY_OK(till.orders->logOut(alice, newId()));
    const QList<SyncOpResult> results = syncTerminal(till, m_device);
    QCOMPARE(kinds(results), QStringList{u"applied"_s});
    QVERIFY(results.first().serverOrder);
    const std::optional<Order> mine = OrderStore(till.db()).load(order->id);
    QVERIFY(mine);
    QCOMPARE(mine->lines.size(), 2);
    QCOMPARE(mine->lines.at(0).discount, onServer->lines.at(0).discount);
    QCOMPARE(mine->lines.at(1).unitPriceCents, Cents(150));
    QCOMPARE(mine->lines.at(1).listPriceCents, std::optional<Cents>(190));
    QCOMPARE(mine->lines.at(1).priceReason, u"day old"_s);
    QCOMPARE(mine->discount, onServer->discount);
    QCOMPARE(mine->payments.size(), 1);
    QCOMPARE(mine->payments.first().id, onServer->payments.first().id);
    QCOMPARE(mine->payments.first().label, u"Voucher"_s);
    QVERIFY(mine->payments.first().receiptNo.isEmpty());
    QCOMPARE(mine->totalCents(), onServer->totalCents());
    QCOMPARE(mine->balanceCents(), onServer->balanceCents());
}

#include "tst_sync_applier.moc"
