// The receipts list (model/ReceiptSearch, through services/Services): past sales found by receipt
// number (exact, its start, the sequence digits), by amount and by local day, newest first and
// bounded; a settled tab's receipt; the sale behind a number; a reprint recorded in the order's
// history without changing the order; and bad input refused with nothing changed. SQLite and
// PostgreSQL (tst_receipts_pg).

#include "ReceiptDocument.h"
#include "ResultChecks.h"
#include "Services.h"
#include "ShopSettings.h"
#include "TestSupport.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>
#include <QTextDocument>

#include <memory>

using namespace Qt::StringLiterals;
using namespace SafeTill;

namespace {

ReceiptQuery numbered(const QString &number)
{
    ReceiptQuery query;
    query.number = number;
    return query;
}

} // namespace

class ReceiptsTest : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();

    void searchByNumber();
    void searchByAmount();
    void searchByLocalDay();
    void latestFirstWithinTheLimit();
    void settledTabHasOneReceipt();
    void unknownReceiptIsNamed();
    void reprintIsRecordedInTheHistory();
    void reprintOfATabMarksEachOrder();
    void badInputChangesNothing();
    void discountedSplitTenderReceipt();

private:
    // One order of `quantity` espressos (2.20 each) by the cashier, paid by `method` at the
    // clock's time; returns the completed order.
    Order sell(const QString &cashier, int quantity, PaymentMethod method = PaymentMethod::Cash);
    Tab sellTab(const QString &tabName, const QStringList &cashiers);
    ReceiptList search(const ReceiptQuery &query);
    qint64 count(const QString &sql, const QVariantList &values = {})
    {
        return Test::queryValue(m_tdb->db(), sql, values).toLongLong();
    }

    std::unique_ptr<Test::TestDatabase> m_tdb;
    std::unique_ptr<ManualClock> m_clock;
    std::unique_ptr<Services> m_services;
};

void ReceiptsTest::initTestCase()
{
    SAFETILL_REQUIRE_TEST_BACKEND();
}

void ReceiptsTest::init()
{
    m_tdb = std::make_unique<Test::TestDatabase>();
    m_clock = std::make_unique<ManualClock>(
        QDateTime(QDate(2026, 3, 10), QTime(10, 0), QTimeZone::utc()));
    m_services = std::make_unique<Services>(m_tdb->db(), SyncSide::Terminal, *m_clock);
    // Receipt numbers TILL-000001, ...: a random prefix may start with a digit, which a search for
    // sequence digits would then match as the start of every number.
    m_tdb->db().exec(u"UPDATE terminal SET receipt_prefix = 'TILL'"_s);
}

void ReceiptsTest::cleanup()
{
    m_services.reset();
    if (m_tdb)
        VERIFY_DATABASE_CLEAN(m_tdb->db());
    m_tdb.reset();
    m_clock.reset();
}

Order ReceiptsTest::sell(const QString &cashier, int quantity, PaymentMethod method)
{
    const QString cashierId = m_tdb->cashierId(cashier);
    const OrderTarget target = OrderTarget::byCashier(cashierId);
    const Result<Order> added =
        m_services->orders().addProduct(target, u"COF-ESP"_s, quantity, Test::newId());
    if (!added.isOk())
        qWarning() << added.message();
    const Cents total = 220 * quantity;
    const Result<Order> paid = m_services->orders().complete(
        target, PaymentRequest{method, method == PaymentMethod::Cash ? total + 80 : total},
        std::nullopt, Test::newId());
    if (!paid.isOk())
        qWarning() << paid.message();
    return paid.value().value_or(Order{});
}

Tab ReceiptsTest::sellTab(const QString &tabName, const QStringList &cashiers)
{
    for (const QString &cashier : cashiers) {
        const OrderTarget target = OrderTarget::byCashier(m_tdb->cashierId(cashier));
        const Result<Order> added =
            m_services->orders().addProduct(target, u"BAK-CRO"_s, 1, Test::newId());
        if (!added.isOk())
            qWarning() << added.message();
        const Result<Order> assigned =
            m_services->orders().assignToTab(target, tabName, std::nullopt, Test::newId());
        if (!assigned.isOk())
            qWarning() << assigned.message();
    }
    const Cents total = 190 * cashiers.size();
    const Result<Tab> settled = m_services->tabs().settle(
        tabName, PaymentRequest{PaymentMethod::Card, total}, std::nullopt, Test::newId());
    if (!settled.isOk())
        qWarning() << settled.message();
    return settled.value().value_or(Tab{});
}

ReceiptList ReceiptsTest::search(const ReceiptQuery &query)
{
    const Result<ReceiptList> found = m_services->receipts().search(query);
    if (!found.isOk())
        qWarning() << found.message();
    return found.value().value_or(ReceiptList{});
}

void ReceiptsTest::searchByNumber()
{
    const Order first = sell(u"Alice"_s, 1);
    m_clock->advance(60'000);
    const Order second = sell(u"Bob"_s, 2, PaymentMethod::Card);
    m_clock->advance(60'000);
    const Order third = sell(u"Alice"_s, 3);
    QCOMPARE(first.receiptNo, u"TILL-000001"_s);
    QCOMPARE(second.receiptNo, u"TILL-000002"_s);

    // Exact, in any case and with blanks around it: that one sale, with its summary.
    ReceiptList list = search(numbered(u"  "_s + second.receiptNo.toLower() + u" "_s));
    QCOMPARE(list.receipts.size(), 1);
    QVERIFY(!list.more);
    const ReceiptSummary &row = list.receipts.front();
    QCOMPARE(row.receiptNo, second.receiptNo);
    QCOMPARE(row.orderId, second.id);
    QVERIFY(row.tabId.isEmpty());
    QCOMPARE(row.amountCents, 440);
    QCOMPARE(toString(row.method), u"card"_s);
    QCOMPARE(row.cashierName, u"Bob"_s);
    QCOMPARE(row.cashierId, m_tdb->cashierId(u"Bob"_s));
    QCOMPARE(row.terminalId, second.terminalId);
    QVERIFY(!row.terminalId.isEmpty());
    QCOMPARE(row.paidAt, m_clock->now().addMSecs(-60'000));

    // Its start: all three, newest first.
    const QString start = first.receiptNo.left(first.receiptNo.size() - 1);
    list = search(numbered(start));
    QCOMPARE(list.receipts.size(), 3);
    QCOMPARE(list.receipts.at(0).receiptNo, third.receiptNo);
    QCOMPARE(list.receipts.at(2).receiptNo, first.receiptNo);

    // The sequence digits a cashier reads off the paper (A1B2-000002 -> "2" or "000002").
    const QString sequence = second.receiptNo.section(u'-', -1);
    for (const QString &typed : {sequence, QString::number(sequence.toInt())}) {
        list = search(numbered(typed));
        QCOMPARE(list.receipts.size(), 1);
        QCOMPARE(list.receipts.front().receiptNo, second.receiptNo);
    }

    // Nothing that does not match.
    QVERIFY(search(numbered(first.receiptNo + u"9"_s)).receipts.isEmpty());
    QVERIFY(search(numbered(u"ZZZZ-"_s)).receipts.isEmpty());
    QVERIFY(search(numbered(u"99999"_s)).receipts.isEmpty());
}

void ReceiptsTest::searchByAmount()
{
    const Order one = sell(u"Alice"_s, 1);
    m_clock->advance(1000);
    const Order two = sell(u"Bob"_s, 2);
    m_clock->advance(1000);
    const Order twoAgain = sell(u"Maria"_s, 2, PaymentMethod::Card);

    ReceiptQuery query;
    query.amountCents = 440;
    ReceiptList list = search(query);
    QCOMPARE(list.receipts.size(), 2);
    QCOMPARE(list.receipts.at(0).receiptNo, twoAgain.receiptNo);
    QCOMPARE(list.receipts.at(1).receiptNo, two.receiptNo);

    query.amountCents = 220;
    list = search(query);
    QCOMPARE(list.receipts.size(), 1);
    QCOMPARE(list.receipts.front().orderId, one.id);

    // The amount paid, not the amount tendered (one was paid 300 in cash for 220).
    query.amountCents = 300;
    QVERIFY(search(query).receipts.isEmpty());

    // Number and amount together: both must match.
    query.amountCents = 440;
    query.number = one.receiptNo;
    QVERIFY(search(query).receipts.isEmpty());
    query.number = two.receiptNo;
    QCOMPARE(search(query).receipts.size(), 1);
}

void ReceiptsTest::searchByLocalDay()
{
    // A till two hours east of UTC: 23:30 UTC on the 10th is 01:30 on the 11th there.
    const QTimeZone zone(2 * 3600);
    m_clock->set(
        QDateTime(QDate(2026, 3, 10), QTime(21, 0), QTimeZone::utc())); // 23:00 local, the 10th
    const Order lateOnTenth = sell(u"Alice"_s, 1);
    m_clock->set(
        QDateTime(QDate(2026, 3, 10), QTime(23, 30), QTimeZone::utc())); // 01:30 local, the 11th
    const Order earlyOnEleventh = sell(u"Bob"_s, 1);
    m_clock->set(
        QDateTime(QDate(2026, 3, 11), QTime(21, 59, 59, 999), QTimeZone::utc())); // 23:59:59.999
    const Order lastOnEleventh = sell(u"Maria"_s, 1);
    m_clock->set(
        QDateTime(QDate(2026, 3, 11), QTime(22, 0), QTimeZone::utc())); // 00:00 local, the 12th
    const Order twelfth = sell(u"Alice"_s, 2);

    const auto [from, to] = ReceiptSearch::dayRange(QDate(2026, 3, 11), zone);
    QCOMPARE(from, QDateTime(QDate(2026, 3, 10), QTime(22, 0), QTimeZone::utc()));
    QCOMPARE(to, QDateTime(QDate(2026, 3, 11), QTime(22, 0), QTimeZone::utc()));

    ReceiptQuery query;
    query.timeZone = zone;
    query.date = QDate(2026, 3, 11);
    ReceiptList list = search(query);
    QCOMPARE(list.receipts.size(), 2);
    QCOMPARE(list.receipts.at(0).receiptNo, lastOnEleventh.receiptNo);
    QCOMPARE(list.receipts.at(1).receiptNo, earlyOnEleventh.receiptNo);

    query.date = QDate(2026, 3, 10);
    list = search(query);
    QCOMPARE(list.receipts.size(), 1);
    QCOMPARE(list.receipts.front().receiptNo, lateOnTenth.receiptNo);

    query.date = QDate(2026, 3, 12);
    list = search(query);
    QCOMPARE(list.receipts.size(), 1);
    QCOMPARE(list.receipts.front().receiptNo, twelfth.receiptNo);

    // In UTC the 11th holds only the last two.
    query.timeZone = QTimeZone::utc();
    query.date = QDate(2026, 3, 11);
    list = search(query);
    QCOMPARE(list.receipts.size(), 2);
    QCOMPARE(list.receipts.at(0).receiptNo, twelfth.receiptNo);
    QCOMPARE(list.receipts.at(1).receiptNo, lastOnEleventh.receiptNo);

    // Day and amount together.
    query.amountCents = 440;
    list = search(query);
    QCOMPARE(list.receipts.size(), 1);
    QCOMPARE(list.receipts.front().receiptNo, twelfth.receiptNo);
}

void ReceiptsTest::latestFirstWithinTheLimit()
{
    QStringList receipts;
    for (int i = 0; i < 5; ++i) {
        receipts.prepend(sell(u"Alice"_s, 1 + i % 2).receiptNo);
        m_clock->advance(1000);
    }
    ReceiptQuery query;
    query.limit = 2;
    ReceiptList list = search(query);
    QCOMPARE(list.receipts.size(), 2);
    QVERIFY(list.more);
    QCOMPARE(list.receipts.at(0).receiptNo, receipts.at(0));
    QCOMPARE(list.receipts.at(1).receiptNo, receipts.at(1));

    query.limit = 5;
    list = search(query);
    QCOMPARE(list.receipts.size(), 5);
    QVERIFY(!list.more);
    for (int i = 0; i < 5; ++i)
        QCOMPARE(list.receipts.at(i).receiptNo, receipts.at(i));

    // The default limit is 200.
    QCOMPARE(ReceiptQuery().limit, ReceiptSearch::defaultLimit);
    QCOMPARE(ReceiptSearch::defaultLimit, 200);
    // A number search is bounded the same way.
    query.limit = 3;
    query.number = receipts.front().section(u'-', 0, 0);
    list = search(query);
    QCOMPARE(list.receipts.size(), 3);
    QVERIFY(list.more);
    QCOMPARE(list.receipts.front().receiptNo, receipts.front());
}

void ReceiptsTest::settledTabHasOneReceipt()
{
    const Tab tab = sellTab(u"Table 5"_s, {u"Alice"_s, u"Bob"_s});
    QVERIFY(!tab.receiptNo.isEmpty());
    QCOMPARE(tab.orders.size(), 2);

    const ReceiptList list = search(numbered(tab.receiptNo));
    QCOMPARE(list.receipts.size(), 1);
    const ReceiptSummary &row = list.receipts.front();
    QCOMPARE(row.tabId, tab.id);
    QCOMPARE(row.tabName, u"Table 5"_s);
    QVERIFY(row.orderId.isEmpty());
    QCOMPARE(row.amountCents, 380);
    QCOMPARE(toString(row.method), u"card"_s);

    const Result<Receipt> receipt = m_services->receipts().receipt(tab.receiptNo.toLower());
    VERIFY_OK(receipt);
    QVERIFY(!receipt->order);
    QVERIFY(receipt->tab);
    QCOMPARE(receipt->tab->id, tab.id);
    QCOMPARE(receipt->tab->orders.size(), 2);
    QCOMPARE(receipt->tab->totalCents(), 380);

    // An order paid by itself comes back as its order.
    const Order order = sell(u"Maria"_s, 2);
    const Result<Receipt> own = m_services->receipts().receipt(order.receiptNo);
    VERIFY_OK(own);
    QVERIFY(own->order);
    QCOMPARE(own->order->id, order.id);
    QCOMPARE(own->order->totalCents(), 440);
    QCOMPARE(own->summary.cashierName, u"Maria"_s);
}

void ReceiptsTest::unknownReceiptIsNamed()
{
    sell(u"Alice"_s, 1);
    const Result<Receipt> missing = m_services->receipts().receipt(u"zzzz-999999"_s);
    VERIFY_OUTCOME(missing, Outcome::NotFound);
    QCOMPARE(missing.message(), u"There is no receipt ZZZZ-999999."_s);
    const Result<Receipt> reprint = m_services->receipts().recordReprint(
        u"ZZZZ-999999"_s, m_tdb->cashierId(u"Alice"_s), Test::newId());
    VERIFY_OUTCOME(reprint, Outcome::NotFound);
    QCOMPARE(reprint.message(), u"There is no receipt ZZZZ-999999."_s);
}

void ReceiptsTest::reprintIsRecordedInTheHistory()
{
    const Order order = sell(u"Alice"_s, 2);
    const qint64 outbox = count(u"SELECT COUNT(*) FROM outbox"_s);
    const qint64 entries =
        count(u"SELECT COUNT(*) FROM order_history WHERE order_id = ?"_s, {order.id});
    m_clock->advance(3600'000);

    const QString bob = m_tdb->cashierId(u"Bob"_s);
    const QString requestId = Test::newId();
    const Result<Receipt> reprint =
        m_services->receipts().recordReprint(order.receiptNo, bob, requestId);
    VERIFY_OK(reprint);
    QVERIFY(!reprint.replayed());
    QCOMPARE(reprint->order->id, order.id);

    const Result<QList<HistoryEntry>> history = m_services->orders().history(order.id);
    VERIFY_OK(history);
    QCOMPARE(qint64(history->size()), entries + 1);
    const HistoryEntry &last = history->back();
    QCOMPARE(last.action, u"reprint"_s);
    QCOMPARE(last.cashierId, bob);
    QCOMPARE(last.fromVersion, std::optional<int>(order.version));
    QCOMPARE(last.toVersion, order.version);
    QCOMPARE(last.fromStatus, u"completed"_s);
    QCOMPARE(last.toStatus, u"completed"_s);
    QCOMPARE(last.requestId, requestId);
    QCOMPARE(last.at, m_clock->now());
    QVERIFY(last.detail.contains(order.receiptNo));

    // The order itself is unchanged, and nothing is queued for sync.
    const Result<Order> after = m_services->orders().order(order.id);
    VERIFY_OK(after);
    QCOMPARE(after->version, order.version);
    QVERIFY(after->status == OrderStatus::Completed);
    QCOMPARE(count(u"SELECT COUNT(*) FROM outbox"_s), outbox);

    // The same request again records nothing more; a new one records a second copy.
    const Result<Receipt> again =
        m_services->receipts().recordReprint(order.receiptNo, bob, requestId);
    VERIFY_OK(again);
    QVERIFY(again.replayed());
    QCOMPARE(count(u"SELECT COUNT(*) FROM order_history WHERE order_id = ?"_s, {order.id}),
             entries + 1);
    VERIFY_OK(m_services->receipts().recordReprint(order.receiptNo, bob, Test::newId()));
    QCOMPARE(count(u"SELECT COUNT(*) FROM order_history WHERE order_id = ? AND action = "
                   "'reprint'"_s,
                   {order.id}),
             2);
}

void ReceiptsTest::reprintOfATabMarksEachOrder()
{
    const Tab tab = sellTab(u"Table 9"_s, {u"Alice"_s, u"Bob"_s});
    QCOMPARE(tab.orders.size(), 2);
    const QString maria = m_tdb->cashierId(u"Maria"_s);
    VERIFY_OK(m_services->receipts().recordReprint(tab.receiptNo, maria, Test::newId()));
    for (const Order &order : tab.orders) {
        const Result<QList<HistoryEntry>> history = m_services->orders().history(order.id);
        VERIFY_OK(history);
        QCOMPARE(history->back().action, u"reprint"_s);
        QCOMPARE(history->back().cashierId, maria);
        QCOMPARE(history->back().toVersion, order.version);
        QCOMPARE(m_services->orders().order(order.id)->version, order.version);
    }
    QCOMPARE(count(u"SELECT COUNT(*) FROM order_history WHERE action = 'reprint'"_s), 2);
}

void ReceiptsTest::badInputChangesNothing()
{
    const Order order = sell(u"Alice"_s, 1);
    const qint64 history = count(u"SELECT COUNT(*) FROM order_history"_s);
    ReceiptSearch &receipts = m_services->receipts();

    ReceiptQuery query;
    query.amountCents = -1;
    Result<ReceiptList> refused = receipts.search(query);
    VERIFY_OUTCOME(refused, Outcome::InvalidInput);
    QVERIFY2(refused.message().contains(u"amount"_s), qPrintable(refused.message()));

    query = {};
    query.date = QDate(2026, 2, 30);
    refused = receipts.search(query);
    VERIFY_OUTCOME(refused, Outcome::InvalidInput);
    QVERIFY2(refused.message().contains(u"date"_s), qPrintable(refused.message()));

    query = {};
    query.limit = 0;
    refused = receipts.search(query);
    VERIFY_OUTCOME(refused, Outcome::InvalidInput);
    QVERIFY2(refused.message().contains(u"limit"_s), qPrintable(refused.message()));
    query.limit = ReceiptSearch::maxLimit + 1;
    VERIFY_OUTCOME(receipts.search(query), Outcome::InvalidInput);

    query = {};
    query.number = u"A1\nB2"_s;
    refused = receipts.search(query);
    VERIFY_OUTCOME(refused, Outcome::InvalidInput);
    QVERIFY2(refused.message().contains(u"receipt number"_s), qPrintable(refused.message()));
    query.number = QString(ReceiptSearch::maxNumberLength + 1, u'A');
    VERIFY_OUTCOME(receipts.search(query), Outcome::InvalidInput);

    // Reprints that cannot be recorded record nothing.
    Result<Receipt> reprint =
        receipts.recordReprint(order.receiptNo, u"no-such-cashier"_s, Test::newId());
    VERIFY_OUTCOME(reprint, Outcome::NotFound);
    QVERIFY2(reprint.message().contains(u"cashier"_s), qPrintable(reprint.message()));
    VERIFY_OUTCOME(receipts.recordReprint(order.receiptNo, {}, Test::newId()),
                   Outcome::InvalidInput);
    VERIFY_OUTCOME(receipts.recordReprint({}, m_tdb->cashierId(u"Bob"_s), Test::newId()),
                   Outcome::InvalidInput);
    VERIFY_OUTCOME(receipts.recordReprint(order.receiptNo, m_tdb->cashierId(u"Bob"_s), {}),
                   Outcome::InvalidInput);
    QCOMPARE(count(u"SELECT COUNT(*) FROM order_history"_s), history);

    // An open order has no receipt yet.
    VERIFY_OK(m_services->orders().addProduct(OrderTarget::byCashier(m_tdb->cashierId(u"Bob"_s)),
                                              u"COF-ESP"_s, 1, Test::newId()));
    QCOMPARE(search(ReceiptQuery{}).receipts.size(), 1);
}

// A sale with a line discount, an order discount, a re-priced line and two tenders (card, then
// cash with rounding and change): its receipt (HTML, and the text of the document its PDF is
// printed from) has each discount and the price it replaced, the tax after discounts, both
// payments, the cash rounding line, tendered and change, and one receipt number.
void ReceiptsTest::discountedSplitTenderReceipt()
{
    ShopSettings settings(m_tdb->db());
    VERIFY_OK(settings.set(u"cash-rounding"_s, u"5"_s));
    VERIFY_OK(settings.set(u"currency"_s, u"EUR"_s));
    VERIFY_OK(m_services->catalog().addTaxRate({u"STD"_s, u"Standard"_s, 2000}));
    VERIFY_OK(m_services->catalog().add(
        Product{u"T-STD"_s, u"Taxed thing"_s, 1200, u"Taxed"_s, u"STD"_s}));
    const QString alice = m_tdb->cashierId(u"Alice"_s);
    const OrderTarget target = OrderTarget::byCashier(alice);
    VERIFY_OK(m_services->orders().addProduct(target, u"T-STD"_s, 1, Test::newId()));
    VERIFY_OK(m_services->orders().addProduct(target, u"COF-ESP"_s, 2, Test::newId()));
    // Line 1: 10 % off for staff (1.20); line 2 re-priced 2.20 -> 2.00 (4.00); 0.50 off the order.
    VERIFY_OK(m_services->orders().discountLine(
        target, u"1"_s, Discount{DiscountKind::Percent, 1000, u"staff"_s, alice}, std::nullopt,
        Test::newId()));
    VERIFY_OK(m_services->orders().overridePrice(target, u"2"_s, 200, u"price match"_s, alice,
                                                 std::nullopt, Test::newId(),
                                                 Approver{u"Maria"_s, u"9999"_s}));
    const Result<Order> discounted = m_services->orders().discountOrder(
        target, Discount{DiscountKind::Amount, 50, u"loyalty"_s, alice}, std::nullopt,
        Test::newId());
    VERIFY_OK(discounted);
    QCOMPARE(discounted->totalCents(), 1080 + 400 - 50); // 14.30
    // 5.02 by card, then the 9.28 left in cash: rounded to 9.30 (+0.02), 10.00 tendered.
    VERIFY_OK(m_services->orders().pay(target, PaymentRequest{PaymentMethod::Card, 502, 502},
                                       std::nullopt, Test::newId()));
    const Result<Order> paid = m_services->orders().pay(
        target, PaymentRequest{PaymentMethod::Cash, 1000}, std::nullopt, Test::newId());
    VERIFY_OK(paid);
    QVERIFY(paid->status == OrderStatus::Completed);
    QCOMPARE(paid->payments.size(), 2);
    QVERIFY(!paid->receiptNo.isEmpty());
    QCOMPARE(count(u"SELECT COUNT(*) FROM payments WHERE order_id = ? AND receipt_no IS NOT "
                   "NULL"_s,
                   {paid->id}),
             1);

    const Result<ShopProfile> shop = settings.profile();
    VERIFY_OK(shop);
    const auto money = [&](Cents cents) { return formatMoney(cents, shop->currency); };
    const QString html = receiptHtml(*paid, *shop);
    QTextDocument document;
    document.setHtml(html);
    const QString text = document.toPlainText();
    const QStringList expected = {
        u"Discount 10% (staff)"_s,
        u"\u2212"_s + money(120),
        u"Price %1, was %2 (price match)"_s.arg(money(200), money(220)),
        u"Subtotal"_s,
        money(1480),
        u"Order discount %1 (loyalty)"_s.arg(money(50)),
        u"\u2212"_s + money(50),
        money(1430), // the total
        u"Card"_s,
        money(502),
        u"Cash"_s,
        money(928),
        u"Cash rounding"_s,
        u"+"_s + money(2),
        u"Tendered"_s,
        money(1000),
        u"Change"_s,
        money(70),
        paid->receiptNo,
    };
    for (const QString &part : expected)
        QVERIFY2(text.contains(part), qPrintable(u"%1 not in:\n%2"_s.arg(part, text)));
    // The tax after both discounts: the order discount's share of STD is 0.50 * 10.80 / 14.80
    // = 0.36 (largest remainder), so STD's gross is 10.44 and its tax round(10.44 / 6) = 1.74.
    QVERIFY2(text.contains(money(174)) && text.contains(money(1044)), qPrintable(text));
    // The rows appear in the receipt's order: lines, discounts, total, then the payments.
    QVERIFY(text.indexOf(u"staff"_s) < text.indexOf(u"loyalty"_s));
    QVERIFY(text.indexOf(u"loyalty"_s) < text.indexOf(u"Card"_s));
    QVERIFY(text.indexOf(u"Card"_s) < text.indexOf(u"Cash rounding"_s));

    // The PDF is printed from that same document.
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(u"receipt.pdf"_s);
    QVERIFY(writeReceiptPdf(html, path));
    QFile pdf(path);
    QVERIFY(pdf.open(QIODevice::ReadOnly));
    QVERIFY(pdf.read(5) == "%PDF-");
    QVERIFY(pdf.size() > 1000);
}

QTEST_MAIN(ReceiptsTest)
#include "tst_receipts.moc"
