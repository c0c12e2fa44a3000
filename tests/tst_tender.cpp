// Discounts, price overrides and split tender (issue 14) in the model, on both databases: taxes
// after discounts (the order discount shared across rates so that net + tax = gross on every row),
// the database's sums agreeing with the model's arithmetic on random orders, a balance paid in
// several tenders completing the order exactly when it reaches zero, the items locked once money
// was taken, cash rounding, every bad input changing nothing, and the races: two windows paying
// one balance, a discount racing a payment.

#include "CatalogService.h"
#include "Database.h"
#include "Json.h"
#include "OrderService.h"
#include "RaceChecks.h"
#include "ResultChecks.h"
#include "ShopSettings.h"
#include "TabService.h"
#include "Tax.h"
#include "Tender.h"
#include "TestSupport.h"

#include <QJsonArray>
#include <QRandomGenerator>
#include <QTest>

#include <atomic>

using namespace Qt::StringLiterals;
using namespace SafeTill;

namespace {

Discount percentOff(int bp, const QString &reason, const QString &by)
{
    return Discount{DiscountKind::Percent, bp, reason, by};
}

Discount amountOff(Cents cents, const QString &reason, const QString &by)
{
    return Discount{DiscountKind::Amount, cents, reason, by};
}

} // namespace

class TenderTest : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();

    void orderDiscountIsSharedExactly();
    void taxesComeAfterDiscounts();
    void databaseSumsAgreeWithTheModel();
    void priceOverrideKeepsTheListPrice();
    void splitTenderCompletesAtZero();
    void itemsAreLockedOnceMoneyWasTaken();
    void payRequestIsIdempotent();
    void cashRoundingIsItsOwnAmount();
    void tabIsSettledInSeveralTenders();
    void badInputChangesNothing();
    void twoWindowsPayOneBalance();
    void discountRacesPayment();

private:
    qint64 count(const QString &sql, const QVariantList &values = {})
    {
        return Test::queryValue(m_tdb->db(), sql, values).toLongLong();
    }
    QString rid() { return Test::newId(); }
    // Alice's open order with `lines` of (sku, qty).
    Order openWith(const QList<std::pair<QString, int>> &lines);

    std::unique_ptr<Test::TestDatabase> m_tdb;
    std::unique_ptr<CatalogService> m_catalog;
    std::unique_ptr<OrderService> m_orders;
    QString m_alice;
    QString m_maria;
};

void TenderTest::initTestCase()
{
    SAFETILL_REQUIRE_TEST_BACKEND();
}

void TenderTest::init()
{
    m_tdb = std::make_unique<Test::TestDatabase>();
    m_catalog = std::make_unique<CatalogService>(m_tdb->db());
    m_orders = std::make_unique<OrderService>(m_tdb->db());
    m_alice = m_tdb->cashierId(u"Alice"_s);
    m_maria = m_tdb->cashierId(u"Maria"_s);
    VERIFY_OK(Test::addTaxedTestCatalog(*m_catalog));
}

void TenderTest::cleanup()
{
    if (m_tdb)
        VERIFY_DATABASE_CLEAN(m_tdb->db());
    m_orders.reset();
    m_catalog.reset();
    m_tdb.reset();
}

Order TenderTest::openWith(const QList<std::pair<QString, int>> &lines)
{
    const OrderTarget alice = OrderTarget::byCashier(m_alice);
    Result<Order> order = m_orders->openOrResume(m_alice, rid());
    for (const auto &[sku, qty] : lines)
        order = m_orders->addProduct(alice, sku, qty, rid());
    return order ? *order : Order{};
}

void TenderTest::orderDiscountIsSharedExactly()
{
    // Three groups of 1 cent each and a 2-cent discount: largest remainder, ties to the first.
    const QList<TaxGroup> groups{{u"A"_s, 0, true, 1}, {u"B"_s, 0, true, 1}, {u"C"_s, 0, true, 1}};
    const QList<TaxGroup> shared = afterDiscount(groups, 2);
    QCOMPARE(shared.at(0).amountCents + shared.at(1).amountCents + shared.at(2).amountCents, 1);
    QCOMPARE(shared.at(0).amountCents, 0);
    QCOMPARE(shared.at(1).amountCents, 0);
    QCOMPARE(shared.at(2).amountCents, 1);
    // Never more than there is, never negative.
    const QList<TaxGroup> all = afterDiscount(groups, 50);
    for (const TaxGroup &group : all)
        QCOMPARE(group.amountCents, 0);
    // Any discount on any amounts: the shares add up to it exactly.
    QRandomGenerator random(14);
    for (int round = 0; round < 2000; ++round) {
        QList<TaxGroup> some;
        Cents sum = 0;
        for (int g = 0; g < 1 + int(random.bounded(4)); ++g) {
            some.append({u"G%1"_s.arg(g), 0, true, Cents(random.bounded(100000))});
            sum += some.back().amountCents;
        }
        const Cents discount = sum == 0 ? 0 : Cents(random.bounded(qint64(sum) + 1));
        Cents after = 0;
        for (const TaxGroup &group : afterDiscount(some, discount)) {
            QVERIFY(group.amountCents >= 0);
            after += group.amountCents;
        }
        QCOMPARE(after, sum - discount);
    }
}

void TenderTest::taxesComeAfterDiscounts()
{
    // 2 x 10.00 at 20 % and 3 x 3.33 at 5.5 %, tax included.
    Order order = openWith({{u"D-STD"_s, 2}, {u"D-RED"_s, 3}});
    const OrderTarget alice = OrderTarget::byCashier(m_alice);
    // 10 % off the first line (2.00), then 5.00 off the order.
    Result<Order> done = m_orders->discountLine(
        alice, u"1"_s, percentOff(1000, u"Staff"_s, m_maria), order.version, rid());
    VERIFY_OK(done);
    QCOMPARE(done->lines.at(0).discountCents(), 200);
    QCOMPARE(done->lines.at(0).totalCents(), 1800);
    // 5.00 of 27.99 is above a cashier's limit (10 %): given by Alice, approved by Maria.
    done = m_orders->discountOrder(alice, amountOff(500, u"Loyalty card"_s, m_alice), done->version,
                                   rid(), Approver{u"Maria"_s, u"9999"_s});
    VERIFY_OK(done);
    // Subtotal 18.00 + 9.99 = 27.99; less 5.00 = 22.99.
    const TaxTable taxes = taxTable(done->lines, done->discount);
    QCOMPARE(taxes.subtotalCents, 2799);
    QCOMPARE(taxes.orderDiscountCents, 500);
    QCOMPARE(done->totalCents(), 2299);
    // The 5.00 shared 1800:999 -> 321.54 and 178.46: 322 (STD, the larger remainder) and 178.
    QCOMPARE(taxes.rows.size(), 2);
    const TaxLine red = taxes.rows.at(0); // by code: RED, STD
    const TaxLine std = taxes.rows.at(1);
    QCOMPARE(std.grossCents, 1800 - 322);
    QCOMPARE(red.grossCents, 999 - 178);
    QCOMPARE(std.taxCents, roundedMulDiv(1478, 2000, 12000));
    QCOMPARE(red.taxCents, roundedMulDiv(821, 550, 10550));
    for (const TaxLine &row : taxes.rows)
        QCOMPARE(row.netCents + row.taxCents, row.grossCents);
    // The JSON people and scripts read: both discounts, what they took off, the balance.
    const QJsonObject json = toPresentedJson(*done);
    const QJsonArray discounts = json.value(u"discounts"_s).toArray();
    QCOMPARE(discounts.size(), 2);
    QCOMPARE(discounts.at(0)[u"scope"_s].toString(), u"line"_s);
    QCOMPARE(discounts.at(0)[u"amountCents"_s].toInteger(), 200);
    QCOMPARE(discounts.at(0)[u"by"_s].toString(), m_maria);
    QCOMPARE(discounts.at(1)[u"scope"_s].toString(), u"order"_s);
    QCOMPARE(discounts.at(1)[u"amountCents"_s].toInteger(), 500);
    QCOMPARE(json.value(u"balanceCents"_s).toInteger(), 2299);
    // Kept with the order: reloaded, the same; and in its history, with who gave it.
    const Result<Order> reloaded = m_orders->order(done->id);
    VERIFY_OK(reloaded);
    QCOMPARE(reloaded->totalCents(), 2299);
    QCOMPARE(reloaded->lines.at(0).discount.reason, u"Staff"_s);
    QCOMPARE(reloaded->discount.byCashierId, m_alice);
    QCOMPARE(count(u"SELECT COUNT(*) FROM order_history WHERE order_id = ? AND action IN "
                   "('discount_line', 'discount_order')"_s,
                   {done->id}),
             2);
    // Paid: the payment is the discounted total.
    done = m_orders->complete(alice, {PaymentMethod::Card, 2299}, done->version, rid());
    VERIFY_OK(done);
    QCOMPARE(done->payment->amountCents, 2299);
    // Removing a discount is an edit like any other (on a new order).
    order = openWith({{u"D-STD"_s, 1}});
    done = m_orders->discountLine(alice, u"1"_s, percentOff(5000, u"Damaged"_s, m_maria),
                                  std::nullopt, rid());
    QCOMPARE(done->totalCents(), 500);
    done = m_orders->discountLine(alice, u"1"_s, Discount{}, std::nullopt, rid());
    VERIFY_OK(done);
    QCOMPARE(done->totalCents(), 1000);
    QVERIFY(done->lines.at(0).discount.isNone());
}

void TenderTest::databaseSumsAgreeWithTheModel()
{
    // Random orders of both pricing modes with line and order discounts: what the database sums
    // (the total a payment must cover, OrderStore::orderTotal) is what the model computes from the
    // lines (what the screen and the receipt show), to the cent.
    QRandomGenerator random(1405);
    ShopSettings shop(m_tdb->db());
    const OrderTarget alice = OrderTarget::byCashier(m_alice);
    const QStringList skus{u"D-STD"_s, u"D-RED"_s, u"D-NONE"_s};
    for (int round = 0; round < 24; ++round) {
        VERIFY_OK(shop.set(u"prices-include-tax"_s, round % 2 ? u"yes"_s : u"no"_s));
        Order order = openWith({});
        const int lines = 1 + int(random.bounded(5));
        Result<Order> now = Result<Order>::ok(order);
        for (int l = 0; l < lines; ++l)
            now = m_orders->addOpenPriceItem(alice, u"Item %1"_s.arg(l),
                                             Cents(1 + random.bounded(5000)),
                                             1 + int(random.bounded(4)), rid());
        for (int l = 0; l < 2; ++l)
            now = m_orders->addProduct(alice, skus.at(int(random.bounded(3))),
                                       1 + int(random.bounded(3)), rid());
        VERIFY_OK(now);
        const QList<OrderLine> added = now->lines; // `now` is replaced below
        for (const OrderLine &line : added) {
            if (random.bounded(2) == 0)
                continue;
            const Discount discount =
                random.bounded(2)
                    ? percentOff(1 + int(random.bounded(10000)), u"r"_s, m_maria)
                    : amountOff(1 + random.bounded(qint64(line.amountCents())), u"r"_s, m_maria);
            now = m_orders->discountLine(alice, line.lineId, discount, std::nullopt, rid());
            VERIFY_OK(now);
        }
        const Cents subtotal = taxTable(now->lines).subtotalCents;
        if (subtotal > 0) {
            now = m_orders->discountOrder(
                alice,
                random.bounded(2)
                    ? percentOff(1 + int(random.bounded(5000)), u"r"_s, m_maria)
                    : amountOff(1 + random.bounded(qint64(subtotal)), u"r"_s, m_maria),
                std::nullopt, rid());
            VERIFY_OK(now);
        }
        const Cents modelTotal = now->totalCents();
        const TaxTable table = taxTable(now->lines, now->discount);
        for (const TaxLine &row : table.rows)
            QCOMPARE(row.netCents + row.taxCents, row.grossCents);
        // A card payment must be for the exact total the database works out.
        const Result<Order> paid =
            m_orders->complete(alice, {PaymentMethod::Card, modelTotal}, now->version, rid());
        QVERIFY2(
            paid.isOk(),
            qPrintable(
                u"round %1: model total %2: %3"_s.arg(round).arg(modelTotal).arg(paid.message())));
    }
}

void TenderTest::priceOverrideKeepsTheListPrice()
{
    const Order order = openWith({{u"D-STD"_s, 2}});
    const OrderTarget alice = OrderTarget::byCashier(m_alice);
    Result<Order> done = m_orders->overridePrice(alice, order.lines.at(0).lineId, 800,
                                                 u"Price match"_s, m_maria, order.version, rid());
    VERIFY_OK(done);
    QCOMPARE(done->lines.at(0).unitPriceCents, 800);
    QCOMPARE(done->lines.at(0).listPriceCents.value_or(-1), 1000);
    QCOMPARE(done->totalCents(), 1600);
    // A second override keeps the catalog's price as the list price.
    done = m_orders->overridePrice(alice, u"1"_s, 750, u"Manager"_s, m_maria, done->version, rid());
    VERIFY_OK(done);
    QCOMPARE(done->lines.at(0).listPriceCents.value_or(-1), 1000);
    QCOMPARE(done->lines.at(0).priceReason, u"Manager"_s);
    // Adding the product again raises the re-priced line (its price stays the override's).
    done = m_orders->addProduct(alice, u"D-STD"_s, 1, rid());
    VERIFY_OK(done);
    QCOMPARE(done->lines.size(), 1);
    QCOMPARE(done->totalCents(), 3 * 750);
    const QList<HistoryEntry> history = *m_orders->history(done->id);
    QVERIFY(std::any_of(history.begin(), history.end(), [](const HistoryEntry &entry) {
        return entry.action == u"override_price"_s && entry.detail.contains(u"Price match"_s);
    }));
    // A stale screen's override is refused as a conflict, and changes nothing.
    const Result<Order> stale =
        m_orders->overridePrice(alice, u"1"_s, 1, u"Typo"_s, m_alice, order.version, rid());
    VERIFY_OUTCOME(stale, Outcome::Conflict);
    QCOMPARE(m_orders->order(done->id)->lines.at(0).unitPriceCents, 750);
    VERIFY_OK(m_orders->complete(alice, {PaymentMethod::Cash, 5000}, std::nullopt, rid()));
}

void TenderTest::splitTenderCompletesAtZero()
{
    const Order order = openWith({{u"D-STD"_s, 3}}); // 30.00
    const OrderTarget alice = OrderTarget::byCashier(m_alice);
    // 10.00 cash from a 20.00 note: change 10.00, the order stays open with 20.00 due.
    Result<Order> done =
        m_orders->pay(alice, {PaymentMethod::Cash, 2000, 1000}, order.version, rid());
    VERIFY_OK(done);
    QVERIFY(done->status == OrderStatus::Active);
    QCOMPARE(done->paidCents(), 1000);
    QCOMPARE(done->balanceCents(), 2000);
    QCOMPARE(done->payments.size(), 1);
    QCOMPARE(done->payments.at(0).changeCents, 1000);
    QVERIFY(done->payments.at(0).receiptNo.isEmpty());
    QVERIFY(done->receiptNo.isEmpty());
    QVERIFY(!done->payment);
    // A voucher of 5.00.
    done = m_orders->pay(alice, {PaymentMethod::Other, 500, 500, u"Gift voucher"_s}, done->version,
                         rid());
    VERIFY_OK(done);
    QCOMPARE(done->balanceCents(), 1500);
    // The card for the rest (no amount: the whole balance) completes it, with the receipt.
    done = m_orders->pay(alice, {PaymentMethod::Card, 1500}, done->version, rid());
    VERIFY_OK(done);
    QVERIFY(done->status == OrderStatus::Completed);
    QVERIFY(!done->receiptNo.isEmpty());
    QCOMPARE(done->payments.size(), 3);
    QCOMPARE(done->payments.at(1).label, u"Gift voucher"_s);
    QVERIFY(done->payment);
    QCOMPARE(done->payment->receiptNo, done->receiptNo);
    QCOMPARE(done->payment->amountCents, 1500);
    QCOMPARE(done->payment->dueCents, 3000);
    QCOMPARE(done->balanceCents(), 0);
    QCOMPARE(count(u"SELECT COUNT(*) FROM payments WHERE order_id = ? AND receipt_no IS NOT NULL"_s,
                   {done->id}),
             1);
    QCOMPARE(count(u"SELECT paid_cents FROM order_sessions WHERE id = ?"_s, {done->id}), 3000);
    // A payment on a completed order is refused and books nothing.
    VERIFY_OUTCOME(m_orders->pay(OrderTarget::byId(done->id), {PaymentMethod::Cash, 100, 100},
                                 std::nullopt, rid()),
                   Outcome::InvalidState);
    QCOMPARE(count(u"SELECT COUNT(*) FROM payments WHERE order_id = ?"_s, {done->id}), 3);
    // The receipts list finds it by its total, not by its last tender.
    QCOMPARE(count(u"SELECT due_cents FROM payments WHERE receipt_no = ?"_s, {done->receiptNo}),
             3000);
}

void TenderTest::itemsAreLockedOnceMoneyWasTaken()
{
    const Order order = openWith({{u"D-STD"_s, 2}});
    const OrderTarget alice = OrderTarget::byCashier(m_alice);
    Result<Order> done =
        m_orders->pay(alice, {PaymentMethod::Card, 500, 500}, order.version, rid());
    VERIFY_OK(done);
    const int version = done->version;
    const auto refused = [&](const Result<Order> &result) {
        VERIFY_OUTCOME(result, Outcome::InvalidState);
        QVERIFY2(result.message().contains(u"Payments were taken"_s), qPrintable(result.message()));
    };
    refused(m_orders->addProduct(alice, u"D-RED"_s, 1, rid()));
    refused(m_orders->adjustQuantity(alice, 1, -1, rid()));
    refused(m_orders->removeLine(alice, 1, rid()));
    refused(
        m_orders->discountOrder(alice, percentOff(1000, u"Late"_s, m_alice), std::nullopt, rid()));
    refused(m_orders->overridePrice(alice, u"1"_s, 1, u"Late"_s, m_alice, std::nullopt, rid()));
    refused(m_orders->replaceLines(alice, {ItemSpec{u"D-RED"_s, {}, {}, 1}}, version, rid()));
    refused(m_orders->assignToTab(alice, u"Table 4"_s, std::nullopt, rid()));
    QCOMPARE(m_orders->order(done->id)->version, version);
    QCOMPARE(m_orders->order(done->id)->totalCents(), 2000);
    // Logging out keeps it, balance and all; back again, the rest is paid.
    VERIFY_OK(m_orders->logOut(alice, rid()));
    done = m_orders->openOrResume(m_alice, rid());
    VERIFY_OK(done);
    QCOMPARE(done->balanceCents(), 1500);
    done = m_orders->complete(alice, {PaymentMethod::Cash, 2000}, done->version, rid());
    VERIFY_OK(done);
    QCOMPARE(done->payment->changeCents, 500);
}

void TenderTest::payRequestIsIdempotent()
{
    const Order order = openWith({{u"D-STD"_s, 1}});
    const OrderTarget alice = OrderTarget::byCashier(m_alice);
    const QString request = rid();
    const Result<Order> first =
        m_orders->pay(alice, {PaymentMethod::Cash, 500, 400}, order.version, request);
    VERIFY_OK(first);
    // The answer was lost; the same request again replays it and takes nothing more.
    const Result<Order> again =
        m_orders->pay(alice, {PaymentMethod::Cash, 500, 400}, order.version, request);
    VERIFY_OK(again);
    QCOMPARE(again->version, first->version);
    QCOMPARE(count(u"SELECT COUNT(*) FROM payments WHERE order_id = ?"_s, {order.id}), 1);
    // The same id for a different payment is refused, not taken as a repeat.
    VERIFY_OUTCOME(m_orders->pay(alice, {PaymentMethod::Cash, 500, 300}, first->version, request),
                   Outcome::InvalidInput);
    VERIFY_OK(m_orders->complete(alice, {PaymentMethod::Card, 600}, first->version, rid()));
}

void TenderTest::cashRoundingIsItsOwnAmount()
{
    ShopSettings shop(m_tdb->db());
    VERIFY_OK(shop.set(u"cash-rounding"_s, u"5"_s));
    const OrderTarget alice = OrderTarget::byCashier(m_alice);
    // 3 x 3.33 = 9.99 -> 10.00 in cash: +0.01 rounding.
    Order order = openWith({{u"D-RED"_s, 3}});
    Result<Order> done =
        m_orders->complete(alice, {PaymentMethod::Cash, 1000}, order.version, rid());
    VERIFY_OK(done);
    QCOMPARE(done->payment->amountCents, 999);
    QCOMPARE(done->payment->roundingCents, 1);
    QCOMPARE(done->payment->changeCents, 0);
    // 2 x 3.33 = 6.66 -> 6.65: a tender of 6.65 is enough.
    order = openWith({{u"D-RED"_s, 2}});
    done = m_orders->complete(alice, {PaymentMethod::Cash, 665}, order.version, rid());
    VERIFY_OK(done);
    QCOMPARE(done->payment->roundingCents, -1);
    QCOMPARE(done->payment->changeCents, 0);
    // A card pays the exact amount, never rounded; a part paid in cash is not rounded either.
    order = openWith({{u"D-RED"_s, 1}});
    done = m_orders->pay(alice, {PaymentMethod::Cash, 101, 101}, order.version, rid());
    VERIFY_OK(done);
    QCOMPARE(done->payments.at(0).roundingCents, 0);
    done = m_orders->complete(alice, {PaymentMethod::Card, 232}, done->version, rid());
    VERIFY_OK(done);
    QCOMPARE(done->payment->roundingCents, 0);
}

void TenderTest::tabIsSettledInSeveralTenders()
{
    TabService tabs(m_tdb->db());
    const OrderTarget alice = OrderTarget::byCashier(m_alice);
    for (int i = 0; i < 2; ++i) {
        const Order order = openWith({{u"D-STD"_s, 1}});
        VERIFY_OK(m_orders->assignToTab(alice, u"Table 9"_s, order.version, rid()));
    }
    Result<Tab> tab = tabs.tab(u"Table 9"_s);
    VERIFY_OK(tab);
    QCOMPARE(tab->totalCents(), 2000);
    // Half by card: the tab stays open with 10.00 due.
    tab = tabs.pay(u"Table 9"_s, {PaymentMethod::Card, 1000, 1000}, tab->version, rid());
    VERIFY_OK(tab);
    QVERIFY(tab->status == TabStatus::Open);
    QCOMPARE(tab->balanceCents(), 1000);
    // More than the balance by card is refused.
    VERIFY_OUTCOME(tabs.pay(u"Table 9"_s, {PaymentMethod::Card, 1500, 1500}, tab->version, rid()),
                   Outcome::InvalidInput);
    // The rest in cash settles it and completes both orders.
    const Result<Tab> settled =
        tabs.settle(u"Table 9"_s, {PaymentMethod::Cash, 2000}, tab->version, rid());
    VERIFY_OK(settled);
    QVERIFY(settled->status == TabStatus::Settled);
    QCOMPARE(settled->payments.size(), 2);
    QCOMPARE(settled->payment->changeCents, 1000);
    QCOMPARE(count(u"SELECT COUNT(*) FROM order_sessions WHERE tab_id = ? AND status = "
                   "'completed'"_s,
                   {settled->id}),
             2);
}

void TenderTest::badInputChangesNothing()
{
    const Order order = openWith({{u"D-STD"_s, 1}}); // 10.00
    const OrderTarget alice = OrderTarget::byCashier(m_alice);
    struct Case
    {
        const char *name;
        std::function<Result<Order>()> run;
        QString field;
    };
    const QList<Case> cases{
        {"card above the balance",
         [&] {
             return m_orders->pay(alice, {PaymentMethod::Card, 1500, 1500}, {}, rid());
         },
         u"amount"_s},
        {"negative amount",
         [&] {
             return m_orders->pay(alice, {PaymentMethod::Cash, 100, -100}, {}, rid());
         },
         u"amount"_s},
        {"zero amount",
         [&] {
             return m_orders->pay(alice, {PaymentMethod::Cash, 100, 0}, {}, rid());
         },
         u"amount"_s},
        {"other without a label",
         [&] {
             return m_orders->pay(alice, {PaymentMethod::Other, 100, 100}, {}, rid());
         },
         u"label"_s},
        {"card with a label",
         [&] {
             return m_orders->pay(alice, {PaymentMethod::Card, 100, 100, u"x"_s}, {}, rid());
         },
         u"label"_s},
        {"cash short",
         [&] {
             return m_orders->pay(alice, {PaymentMethod::Cash, 50, 100}, {}, rid());
         },
         u"tendered"_s},
        {"card not exact",
         [&] {
             return m_orders->pay(alice, {PaymentMethod::Card, 150, 100}, {}, rid());
         },
         u"tendered"_s},
        {"discount above the line",
         [&] {
             return m_orders->discountLine(alice, u"1"_s, amountOff(1001, u"r"_s, m_alice), {},
                                           rid());
         },
         u"amount"_s},
        {"percent above 100",
         [&] {
             return m_orders->discountLine(alice, u"1"_s, percentOff(10001, u"r"_s, m_alice), {},
                                           rid());
         },
         u"percent"_s},
        {"discount without a reason",
         [&] {
             return m_orders->discountOrder(alice, percentOff(1000, u"  "_s, m_alice), {}, rid());
         },
         u"reason"_s},
        {"order discount above the total",
         [&] {
             return m_orders->discountOrder(alice, amountOff(1001, u"r"_s, m_alice), {}, rid());
         },
         u"amount"_s},
        {"unknown line",
         [&] {
             return m_orders->discountLine(alice, u"7"_s, percentOff(1000, u"r"_s, m_alice), {},
                                           rid());
         },
         u"line"_s},
        {"unknown cashier",
         [&] {
             return m_orders->discountLine(alice, u"1"_s, percentOff(1000, u"r"_s, u"nobody"_s), {},
                                           rid());
         },
         u"by"_s},
        {"override without a reason",
         [&] { return m_orders->overridePrice(alice, u"1"_s, 100, {}, m_alice, {}, rid()); },
         u"reason"_s},
        {"negative price",
         [&] { return m_orders->overridePrice(alice, u"1"_s, -1, u"r"_s, m_alice, {}, rid()); },
         u"price"_s},
    };
    const qint64 history = count(u"SELECT COUNT(*) FROM order_history"_s);
    for (const Case &c : cases) {
        const Result<Order> result = c.run();
        QVERIFY2(!result.isOk(), c.name);
        QVERIFY2(result.message().startsWith(c.field + u':'),
                 qPrintable(u"%1: %2"_s.arg(QString::fromUtf8(c.name), result.message())));
    }
    QCOMPARE(count(u"SELECT COUNT(*) FROM payments"_s), 0);
    QCOMPARE(count(u"SELECT COUNT(*) FROM order_history"_s), history);
    const Result<Order> after = m_orders->order(order.id);
    QCOMPARE(after->version, order.version);
    QCOMPARE(after->totalCents(), 1000);
    QVERIFY(after->discount.isNone() && after->lines.at(0).discount.isNone());
    VERIFY_OK(m_orders->complete(alice, {PaymentMethod::Card, 1000}, std::nullopt, rid()));
}

void TenderTest::twoWindowsPayOneBalance()
{
    // Each round: an order with a partial payment; then 4 windows (threads, own connections) pay
    // the balance at once, half of them for the version on their screen, half without one.
    const OrderTarget alice = OrderTarget::byCashier(m_alice);
    for (int round = 0; round < 6; ++round) {
        Order order = openWith({{u"D-STD"_s, 2}});
        const Result<Order> part =
            m_orders->pay(alice, {PaymentMethod::Card, 700, 700}, order.version, rid());
        VERIFY_OK(part);
        std::atomic<int> paid = 0;
        std::atomic<int> refused = 0;
        std::atomic<int> other = 0;
        Test::runTogether(*m_tdb, 4, [&](int index, Database &db) {
            OrderService window(db);
            const std::optional<int> seen =
                index % 2 ? std::optional<int>(part->version) : std::nullopt;
            const Result<Order> result = window.complete(OrderTarget::byId(part->id),
                                                         {PaymentMethod::Cash, 2000}, seen, rid());
            if (result.isOk())
                ++paid;
            else if (result.outcome() == Outcome::InvalidState ||
                     result.outcome() == Outcome::Conflict)
                ++refused;
            else
                ++other;
        });
        QCOMPARE(paid.load(), 1);
        QCOMPARE(refused.load(), 3);
        QCOMPARE(other.load(), 0);
        QCOMPARE(count(u"SELECT COUNT(*) FROM payments WHERE order_id = ?"_s, {part->id}), 2);
        QCOMPARE(count(u"SELECT SUM(amount_cents) FROM payments WHERE order_id = ?"_s, {part->id}),
                 2000);
    }
    QCOMPARE(Test::invariantViolations(m_tdb->db()), QStringList());
}

void TenderTest::discountRacesPayment()
{
    // A discount and a payment of the whole balance, from two windows at the same moment, neither
    // with a version: whichever commits first, the payment paid exactly what was due at its
    // version, and no discount lands after money was taken.
    const OrderTarget alice = OrderTarget::byCashier(m_alice);
    int discountFirst = 0;
    int paymentFirst = 0;
    for (int round = 0; round < 10; ++round) {
        const Order order = openWith({{u"D-STD"_s, 1}});
        std::optional<Result<Order>> discount;
        std::optional<Result<Order>> payment;
        Test::runTogether(*m_tdb, 2, [&](int index, Database &db) {
            OrderService window(db);
            if (index == 0)
                discount = window.discountOrder(OrderTarget::byId(order.id),
                                                percentOff(5000, u"Half price"_s, m_maria),
                                                std::nullopt, rid());
            else
                payment = window.complete(OrderTarget::byId(order.id), {PaymentMethod::Cash, 1000},
                                          std::nullopt, rid());
        });
        VERIFY_OK(*payment);
        const Result<Order> after = m_orders->order(order.id);
        QVERIFY(after->status == OrderStatus::Completed);
        if (discount->isOk()) {
            ++discountFirst;
            QCOMPARE(after->payment->amountCents, 500);
            QCOMPARE(after->payment->changeCents, 500);
        } else {
            ++paymentFirst;
            VERIFY_OUTCOME(*discount, Outcome::InvalidState);
            QCOMPARE(after->payment->amountCents, 1000);
            QVERIFY(after->discount.isNone());
        }
    }
    qInfo("discount first %d times, payment first %d times", discountFirst, paymentFirst);
    QCOMPARE(Test::invariantViolations(m_tdb->db()), QStringList());
}

QTEST_GUILESS_MAIN(TenderTest)
#include "tst_tender.moc"
