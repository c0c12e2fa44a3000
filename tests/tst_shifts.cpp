// Shifts, X and Z reports (issue 15) in the model, on both databases: the report's arithmetic on
// awkward cases (split tender, cash rounding, an overpayment, pay-ins and pay-outs, refunds and
// voids), the sales per rate equal to the receipts' own tax tables (model/Tax.h) on random orders
// with discounts, auto-opened shifts, a second open refused, Z numbers sequential per till, a
// reprint byte for byte the Z as printed, a closed shift that cannot change, an X report that
// changes nothing, no-sale only with a manager, idempotent actions, bad input refused - and a Z
// report while 4 OS processes keep selling: every payment lands in exactly one Z.

#include "CashierService.h"
#include "CatalogService.h"
#include "Database.h"
#include "OrderService.h"
#include "RaceChecks.h"
#include "ResultChecks.h"
#include "Services.h"
#include "ShiftService.h"
#include "ShiftStore.h"
#include "ShopSettings.h"
#include "TabService.h"
#include "Tax.h"
#include "TestSupport.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QMap>
#include <QRandomGenerator>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace SafeTill;

namespace {

Cents paymentsOf(const ZReport &report, const QString &method)
{
    Cents sum = 0;
    for (const ZReport::Payments &entry : report.payments) {
        if (entry.method == method)
            sum += entry.cents;
    }
    return sum;
}

Cents allPayments(const ZReport &report)
{
    Cents sum = 0;
    for (const ZReport::Payments &entry : report.payments)
        sum += entry.cents;
    return sum;
}

// What the receipts of these orders show, added up: each order's own tax table (model/Tax.h).
struct ReceiptSums
{
    QMap<std::pair<QString, int>, TaxLine> rows;
    Cents gross = 0;
    Cents untaxed = 0;
    Cents lineDiscounts = 0;
    Cents orderDiscounts = 0;

    void add(const Order &order)
    {
        const TaxTable table = taxTable(order.lines, order.discount);
        for (const TaxLine &row : table.rows) {
            TaxLine &sum = rows[{row.code, row.rateBp}];
            sum.code = row.code;
            sum.rateBp = row.rateBp;
            sum.netCents += row.netCents;
            sum.taxCents += row.taxCents;
            sum.grossCents += row.grossCents;
        }
        gross += table.totalCents;
        untaxed += table.untaxedCents;
        orderDiscounts += table.orderDiscountCents;
        for (const OrderLine &line : order.lines)
            lineDiscounts += line.discountCents();
    }
};

QString describe(const TaxLine &row)
{
    return u"%1@%2 net %3 tax %4 gross %5"_s.arg(row.code)
        .arg(row.rateBp)
        .arg(row.netCents)
        .arg(row.taxCents)
        .arg(row.grossCents);
}

} // namespace

class ShiftsTest : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();

    void reportArithmetic();
    void cashRefundRoundingInTheZReport();
    void salesEqualTheReceiptsTaxTables();
    void autoOpenedShiftsAndZNumbers();
    void secondOpenRefused();
    void reprintIsTheZAsPrinted();
    void closedShiftNeverChanges();
    void xReportChangesNothing();
    void noSaleNeedsAManager();
    void actionsAreIdempotent();
    void badInputChangesNothing();
    void zReportWhileProcessesKeepSelling();

private:
    QString rid() { return Test::newId(); }
    qint64 count(const QString &sql, const QVariantList &values = {})
    {
        return Test::queryValue(m_tdb->db(), sql, values).toLongLong();
    }
    ShiftService &shifts() { return m_services->shifts(); }
    OrderService &orders() { return m_services->orders(); }
    // A completed order of Alice's with `lines` of (sku, qty), paid by `payments` in turn.
    Order sell(const QList<std::pair<QString, int>> &lines, const QList<PaymentRequest> &payments);
    // Everything a shift action could touch, as text: equal digests mean nothing changed.
    QString digest();

    std::unique_ptr<Test::TestDatabase> m_tdb;
    std::unique_ptr<Services> m_services;
    QString m_alice;
    QString m_bob;
    QString m_maria;
};

void ShiftsTest::initTestCase()
{
    SAFETILL_REQUIRE_TEST_BACKEND();
}

void ShiftsTest::init()
{
    m_tdb = std::make_unique<Test::TestDatabase>();
    m_services = std::make_unique<Services>(m_tdb->db(), SyncSide::Terminal);
    m_alice = m_tdb->cashierId(u"Alice"_s);
    m_bob = m_tdb->cashierId(u"Bob"_s);
    m_maria = m_tdb->cashierId(u"Maria"_s);
    CatalogService &catalog = m_services->catalog();
    VERIFY_OK(Test::addTaxedTestCatalog(catalog));
}

void ShiftsTest::cleanup()
{
    if (m_tdb)
        VERIFY_DATABASE_CLEAN(m_tdb->db());
    m_services.reset();
    m_tdb.reset();
}

Order ShiftsTest::sell(const QList<std::pair<QString, int>> &lines,
                       const QList<PaymentRequest> &payments)
{
    const OrderTarget alice = OrderTarget::byCashier(m_alice);
    Result<Order> order = orders().openOrResume(m_alice, rid());
    for (const auto &[sku, qty] : lines)
        order = orders().addProduct(alice, sku, qty, rid());
    for (const PaymentRequest &payment : payments) {
        order = orders().pay(alice, payment, std::nullopt, rid());
        if (!order)
            qWarning() << "payment refused:" << order.message();
    }
    return order ? *order : Order{};
}

QString ShiftsTest::digest()
{
    QString text;
    const auto rows = [&](const QString &sql) {
        for (const QVariantList &row : Test::queryRows(m_tdb->db(), sql)) {
            for (const QVariant &value : row)
                text += (value.isNull() ? u"NULL"_s : value.toString()) + u'|';
            text += u'\n';
        }
    };
    rows(u"SELECT id, status, float_cents, COALESCE(z_number, 0), COALESCE(closed_at, ''), "
         "COALESCE(z_report, '') FROM shifts ORDER BY id"_s);
    rows(u"SELECT id, shift_id, kind, amount_cents FROM cash_movements ORDER BY id"_s);
    rows(u"SELECT id, COALESCE(shift_id, '') FROM payments ORDER BY id"_s);
    rows(u"SELECT COUNT(*) FROM idempotency"_s);
    rows(u"SELECT COUNT(*) FROM outbox"_s);
    return text;
}

// One shift with every kind of money fact, checked figure by figure.
void ShiftsTest::reportArithmetic()
{
    ShopSettings shop(m_tdb->db());
    VERIFY_OK(shop.set(u"cash-rounding"_s, u"5"_s));
    const Result<Shift> opened = shifts().open(u"Alice"_s, 10000, rid());
    VERIFY_OK(opened);
    QCOMPARE(opened->floatCents, 10000);
    QVERIFY(!opened->autoOpened);

    // A: 2 x 10.00 STD + 3.33 RED = 23.33, cash rounded to 23.35 (+0.02), tendered 50.00.
    const Order a = sell({{u"D-STD"_s, 2}, {u"D-RED"_s, 1}}, {{PaymentMethod::Cash, 5000}});
    QVERIFY(a.status == OrderStatus::Completed);
    QCOMPARE(a.payment->amountCents, 2333);
    QCOMPARE(a.payment->roundingCents, 2);
    // B, split tender: 13.33 = 5.00 card + 8.33 cash (rounded to 8.35).
    const Order b = sell({{u"D-STD"_s, 1}, {u"D-RED"_s, 1}},
                         {{PaymentMethod::Card, 500, 500}, {PaymentMethod::Cash, 1000}});
    QVERIFY(b.status == OrderStatus::Completed);
    QCOMPARE(b.payments.size(), 2);
    QCOMPARE(b.payments.at(1).roundingCents, 2);
    // C: 3 x 10.00 with 10 % off the line and 1.00 off the order, by card.
    const OrderTarget alice = OrderTarget::byCashier(m_alice);
    Result<Order> c = orders().openOrResume(m_alice, rid());
    c = orders().addProduct(alice, u"D-STD"_s, 3, rid());
    c = orders().addProduct(alice, u"D-NONE"_s, 2, rid());
    VERIFY_OK(c);
    VERIFY_OK(orders().discountLine(alice, c->lines.first().lineId,
                                    Discount{DiscountKind::Percent, 1000, u"loyal"_s, m_alice},
                                    std::nullopt, rid()));
    c = orders().discountOrder(alice, Discount{DiscountKind::Amount, 100, u"sorry"_s, m_alice},
                               std::nullopt, rid());
    VERIFY_OK(c);
    c = orders().complete(alice, {PaymentMethod::Card, 3100}, std::nullopt, rid());
    VERIFY_OK(c);
    QCOMPARE(c->payment->amountCents, 2700 + 500 - 100);
    // A tab of two orders, settled in cash (26.66 -> 26.65: -0.01).
    for (int i = 0; i < 2; ++i) {
        sell({{u"D-STD"_s, 1}, {u"D-RED"_s, 1}}, {});
        VERIFY_OK(orders().assignToTab(alice, u"Table 1"_s, std::nullopt, rid()));
    }
    const Result<Tab> tab =
        m_services->tabs().settle(u"Table 1"_s, {PaymentMethod::Cash, 3000}, std::nullopt, rid());
    VERIFY_OK(tab);
    QCOMPARE(tab->payment->amountCents, 2666);
    QCOMPARE(tab->payment->roundingCents, -1);

    // Money beyond what was due (an order paid at two places at once), booked as an overpayment
    // with its review item, in this shift; and a refund and a void (rows as the refund writer
    // books them: negative amounts, in the shift).
    const QString shiftId = opened->id;
    const QString terminal =
        Test::queryValue(m_tdb->db(), u"SELECT terminal_id FROM terminal"_s).toString();
    const QString now = toStorageTime(QDateTime::currentDateTimeUtc());
    const QString overpayment = rid();
    const QString refundOne = rid();
    const QString refundTwo = rid();
    m_tdb->db().exec(u"INSERT INTO payments (id, order_id, kind, method, amount_cents, "
                     "tendered_cents, change_cents, due_cents, paid_version, terminal_id, paid_at, "
                     "shift_id) VALUES (?, ?, 'overpayment', 'cash', 200, 200, 0, 2333, 1, ?, ?, "
                     "?)"_s,
                     {overpayment, a.id, terminal, now, shiftId});
    m_tdb->db().exec(u"INSERT INTO review_items (id, kind, order_id, payment_id, terminal_id, "
                     "amount_cents, summary, created_at) VALUES (?, 'paid_twice', ?, ?, ?, 200, "
                     "'paid twice', ?)"_s,
                     {rid(), a.id, overpayment, terminal, now});
    m_tdb->db().exec(
        u"INSERT INTO refunds (id, kind, receipt_no, original_receipt_no, method, amount_cents, "
        "reason, cashier_id, approved_by, terminal_id, shift_id, refunded_at, "
        "original_terminal_id) VALUES "
        "(?, 'refund', 'R-1', ?, 'cash', -1000, 'broken', ?, ?, ?, ?, ?, ?), "
        "(?, 'void', 'R-2', ?, 'card', -333, 'wrong item', ?, ?, ?, ?, ?, ?)"_s,
        {refundOne, a.receiptNo, m_alice, m_maria, terminal, shiftId, now, terminal, refundTwo,
         b.receiptNo, m_alice, m_maria, terminal, shiftId, now, terminal});
    // Their lines, as RefundService writes them (verify checks that they add up).
    m_tdb->db().exec(
        u"INSERT INTO refund_lines (refund_id, line_id, order_id, quantity, "
        "amount_cents) VALUES (?, ?, ?, 1, -1000), (?, ?, ?, 1, -333)"_s,
        {refundOne, a.lines.at(0).lineId, a.id, refundTwo, b.lines.at(0).lineId, b.id});
    m_tdb->db().exec(u"UPDATE order_lines SET refunded_qty = 1 WHERE line_id IN (?, ?)"_s,
                     {a.lines.at(0).lineId, b.lines.at(0).lineId});
    VERIFY_OK(shifts().payIn(u"Alice"_s, 500, u"change from the bank"_s, rid()));
    VERIFY_OK(shifts().payOut(u"Bob"_s, 300, u"window cleaner"_s, rid()));

    const Result<ZReport> x = shifts().xReport();
    VERIFY_OK(x);
    QCOMPARE(x->number, 0);
    QVERIFY(!x->countedCents);
    QCOMPARE(x->receipts, 4); // A, B, C and the tab
    const Cents cashAmounts = 2333 + 833 + 2666 + 200;
    const Cents cashRounding = 2 + 2 - 1;
    QCOMPARE(paymentsOf(*x, u"cash"_s), cashAmounts);
    QCOMPARE(paymentsOf(*x, u"card"_s), 500 + 3100);
    QCOMPARE(x->overpaymentsCents, 200);
    QCOMPARE(x->cashRoundingCents, cashRounding);
    QCOMPARE(x->cashTakenCents, cashAmounts + cashRounding);
    QCOMPARE(x->payInsCents, 500);
    QCOMPARE(x->payOutsCents, 300);
    QCOMPARE(x->refundsCents, 1000);
    QCOMPARE(x->voidsCents, 333);
    QCOMPARE(x->refundReceipts, 1);
    QCOMPARE(x->voidReceipts, 1);
    QCOMPARE(x->cashPaidBackCents, 1000);
    const Cents expected = 10000 + cashAmounts + cashRounding + 500 - 1000 - 300;
    QCOMPARE(x->expectedCents, expected);
    // Sales: what the receipts say, before refunds.
    ReceiptSums receipts;
    receipts.add(a);
    receipts.add(b);
    receipts.add(*c);
    for (const Order &order : tab->orders)
        receipts.add(order);
    QCOMPARE(x->grossCents, 2333 + 1333 + 3100 + 2666);
    QCOMPARE(x->grossCents, receipts.gross);
    QCOMPARE(x->untaxedCents, receipts.untaxed);
    QCOMPARE(x->lineDiscountsCents, 300);
    QCOMPARE(x->orderDiscountsCents, 100);
    QCOMPARE(x->discountsCents(), 400);
    QCOMPARE(x->taxes.size(), receipts.rows.size());
    for (const TaxLine &row : x->taxes) {
        const TaxLine want = receipts.rows.value({row.code, row.rateBp});
        QCOMPARE(describe(row), describe(want));
        QCOMPARE(row.netCents + row.taxCents, row.grossCents);
    }
    QCOMPARE(x->netCents + x->taxCents, x->grossCents);

    // Close: counted 0.15 short. The Z is the X plus the count, numbered 1.
    const Result<ZReport> z = shifts().close(u"Bob"_s, expected - 15, 3100, rid());
    VERIFY_OK(z);
    QCOMPARE(z->number, 1);
    QCOMPARE(z->closedBy, u"Bob"_s);
    QCOMPARE(z->expectedCents, expected);
    QCOMPARE(*z->countedCents, expected - 15);
    QCOMPARE(*z->overShortCents(), -15);
    QCOMPARE(*z->cardOverShortCents(), 3100 - (3600 - 333));
    QCOMPARE(z->grossCents, x->grossCents);
    QCOMPARE(z->payments.size(), x->payments.size());
    // The JSON keeps the shape.
    const QJsonObject json = z->toJson();
    for (const QString &key :
         {u"number"_s, u"till"_s, u"openedAt"_s, u"closedAt"_s, u"sales"_s, u"discountsCents"_s,
          u"refundsCents"_s, u"voidsCents"_s, u"payments"_s, u"cash"_s, u"receipts"_s})
        QVERIFY2(json.contains(key), qPrintable(key));
    QCOMPARE(json.value(u"till"_s).toString(), terminal);
    QCOMPARE(json.value(u"sales"_s).toObject().value(u"grossCents"_s).toInteger(), z->grossCents);
    QVERIFY(json.value(u"sales"_s).toObject().value(u"taxes"_s).isArray());
    const QJsonObject cash = json.value(u"cash"_s).toObject();
    QCOMPARE(cash.value(u"floatCents"_s).toInteger(), 10000);
    QCOMPARE(cash.value(u"payInsCents"_s).toInteger(), 500);
    QCOMPARE(cash.value(u"payOutsCents"_s).toInteger(), 300);
    QCOMPARE(cash.value(u"expectedCents"_s).toInteger(), expected);
    QCOMPARE(cash.value(u"countedCents"_s).toInteger(), expected - 15);
    QCOMPARE(cash.value(u"overShortCents"_s).toInteger(), -15);
    QCOMPARE(json.value(u"payments"_s).toArray().first().toObject().value(u"method"_s).toString(),
             u"card"_s);
    // Stored with the shift, with its count.
    QCOMPARE(count(u"SELECT z_number FROM shifts WHERE id = ?"_s, {shiftId}), 1);
    QCOMPARE(count(u"SELECT expected_cents FROM shifts WHERE id = ?"_s, {shiftId}), expected);
    QCOMPARE(count(u"SELECT counted_cents FROM shifts WHERE id = ?"_s, {shiftId}), expected - 15);
    QCOMPARE(count(u"SELECT counted_card_cents FROM shifts WHERE id = ?"_s, {shiftId}), 3100);
}

// Random orders with line and order discounts, both pricing modes, orders and tabs: the report's
// sales per rate (summed in SQL where there is no order discount) equal the receipts' own tax
// tables added up.
// A cash refund pays back what the drawer can pay (rounded to the cash step, as cash taken is):
// the Z report's cash paid back is the refunds' amounts with their rounding, a card refund is
// not rounded, and expected = float + cash taken + pay-ins - cash paid back - pay-outs.
void ShiftsTest::cashRefundRoundingInTheZReport()
{
    VERIFY_OK(ShopSettings(m_tdb->db()).set(u"cash-rounding"_s, u"5"_s));
    VERIFY_OK(shifts().open(u"Alice"_s, 5000, rid()));
    // 2 x 3.33 RED + 10.00 STD = 16.66 in cash: 16.65 taken (-0.01).
    const Order sale = sell({{u"D-RED"_s, 2}, {u"D-STD"_s, 1}}, {{PaymentMethod::Cash, 2000}});
    QVERIFY(sale.status == OrderStatus::Completed);
    QCOMPARE(sale.payment->roundingCents, -1);

    RefundRequest request;
    request.receiptNo = sale.receiptNo;
    request.cashier = u"Maria"_s;
    request.lines = {{u"1"_s, 1}};
    request.method = PaymentMethod::Cash;
    const Result<Refund> cash = m_services->refunds().refund(request, rid()); // 3.33 -> 3.35
    VERIFY_OK(cash);
    QCOMPARE(cash->amountCents, -333);
    QCOMPARE(cash->roundingCents, -2);
    request.method = PaymentMethod::Card;
    const Result<Refund> card = m_services->refunds().refund(request, rid()); // 3.33 by card
    VERIFY_OK(card);
    QCOMPARE(card->roundingCents, 0);
    VERIFY_OK(shifts().payIn(u"Alice"_s, 500, u"change from the bank"_s, rid()));
    VERIFY_OK(shifts().payOut(u"Bob"_s, 300, u"window cleaner"_s, rid()));

    const Result<ZReport> x = shifts().xReport();
    VERIFY_OK(x);
    QCOMPARE(x->cashTakenCents, 1666 - 1);
    QCOMPARE(x->refundsCents, 333 + 333); // what the refunds paid back (amounts, as payments)
    QCOMPARE(x->cashPaidBackCents, 335);  // the cash that left the drawer
    QCOMPARE(x->cashPaidBackRoundingCents, 2);
    QCOMPARE(x->expectedCents, 5000 + 1665 + 500 - 335 - 300);
    // The figures survive the Z report's JSON (the stored, reprinted report).
    const std::optional<ZReport> back = ZReport::fromJson(x->toJson());
    QVERIFY(back);
    QCOMPARE(back->cashPaidBackCents, 335);
    QCOMPARE(back->cashPaidBackRoundingCents, 2);

    // The Z report closes the shift with the same figures; counting the expected cash is even.
    const Result<ZReport> z = shifts().close(u"Alice"_s, x->expectedCents, std::nullopt, rid());
    VERIFY_OK(z);
    QCOMPARE(z->cashPaidBackCents, 335);
    QCOMPARE(z->expectedCents, x->expectedCents);
    QCOMPARE(*z->overShortCents(), 0);
}

void ShiftsTest::salesEqualTheReceiptsTaxTables()
{
    VERIFY_OK(shifts().open(u"Alice"_s, 0, rid()));
    ShopSettings shop(m_tdb->db());
    QRandomGenerator random(15);
    const OrderTarget alice = OrderTarget::byCashier(m_alice);
    const QStringList skus{u"D-STD"_s, u"D-RED"_s, u"D-NONE"_s, u"COF-ESP"_s};
    QStringList soldOrders;
    QStringList tabs;
    for (int n = 0; n < 40; ++n) {
        VERIFY_OK(shop.set(u"prices-include-tax"_s, random.bounded(4) == 0 ? u"no"_s : u"yes"_s));
        Result<Order> order = orders().openOrResume(m_alice, rid());
        for (int l = 0, lines = 1 + int(random.bounded(4)); l < lines; ++l)
            order = orders().addProduct(alice, skus.at(random.bounded(int(skus.size()))),
                                        1 + int(random.bounded(5)), rid());
        VERIFY_OK(order);
        if (random.bounded(3) == 0) {
            order = orders().discountLine(
                alice, order->lines.first().lineId,
                Discount{DiscountKind::Percent, 1 + random.bounded(5000), u"promo"_s, m_maria},
                std::nullopt, rid());
            VERIFY_OK(order);
        }
        if (random.bounded(2) == 0) {
            const Discount discount =
                random.bounded(2) == 0
                    ? Discount{DiscountKind::Percent, 1 + random.bounded(3000), u"x"_s, m_maria}
                    : Discount{
                          DiscountKind::Amount,
                          1 + random.bounded(qMax<qint64>(1, taxTable(order->lines).subtotalCents)),
                          u"y"_s, m_maria};
            order = orders().discountOrder(alice, discount, std::nullopt, rid());
            VERIFY_OK(order);
        }
        if (random.bounded(5) == 0) {
            const QString tab = u"Table %1"_s.arg(n % 3);
            VERIFY_OK(orders().assignToTab(alice, tab, std::nullopt, rid()));
            if (!tabs.contains(tab))
                tabs << tab;
            continue;
        }
        const Result<Order> done =
            orders().complete(alice, {PaymentMethod::Cash, 10'000'000}, std::nullopt, rid());
        VERIFY_OK(done);
        soldOrders << done->id;
    }
    ReceiptSums receipts;
    for (const QString &tab : std::as_const(tabs)) {
        const Result<Tab> settled =
            m_services->tabs().settle(tab, {PaymentMethod::Cash, 10'000'000}, std::nullopt, rid());
        VERIFY_OK(settled);
        for (const Order &order : settled->orders)
            receipts.add(order);
    }
    for (const QString &id : std::as_const(soldOrders)) {
        const Result<Order> order = orders().order(id);
        VERIFY_OK(order);
        receipts.add(*order);
    }
    const Result<ZReport> x = shifts().xReport();
    VERIFY_OK(x);
    QCOMPARE(x->receipts, soldOrders.size() + tabs.size());
    QCOMPARE(x->grossCents, receipts.gross);
    QCOMPARE(x->grossCents, paymentsOf(*x, u"cash"_s));
    QCOMPARE(x->untaxedCents, receipts.untaxed);
    QCOMPARE(x->lineDiscountsCents, receipts.lineDiscounts);
    QCOMPARE(x->orderDiscountsCents, receipts.orderDiscounts);
    QVERIFY(receipts.orderDiscounts > 0);
    QStringList got;
    QStringList want;
    for (const TaxLine &row : x->taxes)
        got << describe(row);
    for (const TaxLine &row : std::as_const(receipts.rows))
        want << describe(row);
    QCOMPARE(got, want);
}

// A sale with no shift open opens one (float 0, auto-opened); it closes like any other, and the
// Z numbers count 1, 2, 3 per till.
void ShiftsTest::autoOpenedShiftsAndZNumbers()
{
    VERIFY_OUTCOME(shifts().xReport(), Outcome::InvalidState);
    VERIFY_OUTCOME(shifts().close(u"Alice"_s, 0, std::nullopt, rid()), Outcome::InvalidState);
    VERIFY_OUTCOME(shifts().zReport(), Outcome::NotFound);
    for (int number = 1; number <= 3; ++number) {
        const Order sold = sell({{u"D-STD"_s, 1}}, {{PaymentMethod::Cash, 1000}});
        QVERIFY(sold.status == OrderStatus::Completed);
        QVERIFY(!sold.payment->shiftId.isEmpty());
        const Result<std::optional<Shift>> current = shifts().currentShift();
        VERIFY_OK(current);
        QVERIFY(current->has_value());
        QCOMPARE((*current)->id, sold.payment->shiftId);
        QVERIFY((*current)->autoOpened);
        QCOMPARE((*current)->floatCents, 0);
        const Result<ZReport> z = shifts().close(u"Bob"_s, 1000, std::nullopt, rid());
        VERIFY_OK(z);
        QCOMPARE(z->number, number);
        QVERIFY(z->autoOpened);
        QCOMPARE(z->receipts, 1);
        QCOMPARE(z->expectedCents, 1000);
        QCOMPARE(*z->overShortCents(), 0);
        VERIFY_OUTCOME(shifts().xReport(), Outcome::InvalidState);
    }
    QCOMPARE(count(u"SELECT COUNT(*) FROM shifts WHERE status = 'closed'"_s), 3);
    QCOMPARE(count(u"SELECT COUNT(DISTINCT z_number) FROM shifts"_s), 3);
    QCOMPARE(count(u"SELECT MAX(z_number) FROM shifts"_s), 3);
    VERIFY_OK(shifts().zReport(2));
    QCOMPARE(shifts().zReport(2)->number, 2);
    QCOMPARE(shifts().zReport()->number, 3);
    VERIFY_OUTCOME(shifts().zReport(4), Outcome::NotFound);
    // Z numbers are the till's own: another terminal's shifts in the same table do not count.
    m_tdb->db().exec(u"INSERT INTO shifts (id, terminal_id, status, opened_at, z_number, "
                     "closed_at, expected_cents, counted_cents, z_report) VALUES "
                     "(?, 'other-till', 'closed', ?, 7, ?, 0, 0, '{}')"_s,
                     {rid(), toStorageTime(QDateTime::currentDateTimeUtc()),
                      toStorageTime(QDateTime::currentDateTimeUtc())});
    sell({{u"D-RED"_s, 1}}, {{PaymentMethod::Card, 333}});
    QCOMPARE(shifts().close(u"Alice"_s, 0, std::nullopt, rid())->number, 4);
    // The unique Z number per till holds in the schema too.
    QVERIFY_THROWS_EXCEPTION(
        SqlFailure,
        m_tdb->db().exec(u"INSERT INTO shifts (id, terminal_id, status, opened_at, z_number, "
                         "closed_at, expected_cents, counted_cents, z_report) VALUES "
                         "(?, 'other-till', 'closed', ?, 7, ?, 0, 0, '{}')"_s,
                         {rid(), toStorageTime(QDateTime::currentDateTimeUtc()),
                          toStorageTime(QDateTime::currentDateTimeUtc())}));
}

void ShiftsTest::secondOpenRefused()
{
    const Result<Shift> first = shifts().open(u"Alice"_s, 5000, rid());
    VERIFY_OK(first);
    const Result<Shift> second = shifts().open(u"Bob"_s, 100, rid());
    VERIFY_OUTCOME(second, Outcome::InvalidState);
    QVERIFY2(second.message().contains(first->id.left(8)), qPrintable(second.message()));
    QVERIFY2(second.message().contains(u"Alice"_s), qPrintable(second.message()));
    QCOMPARE(count(u"SELECT COUNT(*) FROM shifts"_s), 1);
    // An auto-opened shift is named as such.
    VERIFY_OK(shifts().close(u"Alice"_s, 5000, std::nullopt, rid()));
    sell({{u"D-STD"_s, 1}}, {{PaymentMethod::Card, 1000}});
    const Result<Shift> third = shifts().open(u"Bob"_s, 100, rid());
    VERIFY_OUTCOME(third, Outcome::InvalidState);
    QVERIFY2(third.message().contains(u"first sale"_s), qPrintable(third.message()));
    // The schema refuses a second open shift of a till whatever the code does.
    QVERIFY_THROWS_EXCEPTION(
        SqlFailure, m_tdb->db().exec(u"INSERT INTO shifts (id, terminal_id, opened_at) "
                                     "SELECT ?, terminal_id, ? FROM terminal"_s,
                                     {rid(), toStorageTime(QDateTime::currentDateTimeUtc())}));
}

// A Z report is stored as printed: a reprint is that text, byte for byte, also after the sales
// it counts changed (refunded, or rows a bug touched).
void ShiftsTest::reprintIsTheZAsPrinted()
{
    VERIFY_OK(shifts().open(u"Alice"_s, 2000, rid()));
    sell({{u"D-STD"_s, 2}}, {{PaymentMethod::Cash, 2000}});
    VERIFY_OK(shifts().payOut(u"Alice"_s, 150, u"milk"_s, rid()));
    const Result<ZReport> z = shifts().close(u"Alice"_s, 3850, std::nullopt, rid());
    VERIFY_OK(z);
    const Result<QByteArray> stored = shifts().storedZReport(1);
    VERIFY_OK(stored);
    QCOMPARE(*stored, z->toStoredJson());
    QCOMPARE(*shifts().storedZReport(), *stored);
    QCOMPARE(shifts().zReport(1)->toStoredJson(), *stored);
    // A row a bug (here: the test) adds to the closed shift later: the Z stays as printed, where
    // a recomputation would differ.
    m_tdb->db().exec(u"INSERT INTO cash_movements (id, shift_id, terminal_id, kind, amount_cents, "
                     "reason, cashier_id, created_at) SELECT ?, ?, terminal_id, 'pay_in', 999, "
                     "'late', ?, ? FROM terminal"_s,
                     {rid(), z->shiftId, m_alice, toStorageTime(QDateTime::currentDateTimeUtc())});
    QCOMPARE(*shifts().storedZReport(1), *stored);
    QCOMPARE(shifts().zReport(1)->payInsCents, 0);
    const std::optional<Shift> shift = ShiftStore(m_tdb->db()).shift(z->shiftId);
    QVERIFY(shift);
    QCOMPARE(ShiftService::compute(m_tdb->db(), *shift, z->closedAt).payInsCents, 999);
}

void ShiftsTest::closedShiftNeverChanges()
{
    const Result<Shift> opened = shifts().open(u"Alice"_s, 1000, rid());
    VERIFY_OK(opened);
    VERIFY_OK(shifts().payIn(u"Alice"_s, 100, u"coins"_s, rid()));
    VERIFY_OK(shifts().close(u"Alice"_s, 1100, std::nullopt, rid()));
    const QString before = digest();
    Database &db = m_tdb->db();
    QVERIFY_THROWS_EXCEPTION(
        SqlFailure, db.exec(u"UPDATE shifts SET counted_cents = 1 WHERE id = ?"_s, {opened->id}));
    QVERIFY_THROWS_EXCEPTION(
        SqlFailure, db.exec(u"UPDATE shifts SET status = 'open' WHERE id = ?"_s, {opened->id}));
    QVERIFY_THROWS_EXCEPTION(SqlFailure,
                             db.exec(u"DELETE FROM shifts WHERE id = ?"_s, {opened->id}));
    QVERIFY_THROWS_EXCEPTION(SqlFailure, db.exec(u"DELETE FROM cash_movements"_s));
    QCOMPARE(digest(), before);
    // The store's own close is conditional: a closed shift is not closed again.
    const bool closedAgain = [&] {
        ShiftStore store(db);
        return store.closeShift(opened->id, 9, m_alice, u"2030-01-01T00:00:00.000Z"_s, 0, 0,
                                std::nullopt, "{}");
    }();
    QVERIFY(!closedAgain);
    // Money taken after the close goes to a new shift, never into the closed one.
    const Order sold = sell({{u"D-STD"_s, 1}}, {{PaymentMethod::Cash, 1000}});
    QVERIFY(sold.payment->shiftId != opened->id);
    const Result<CashMovement> in = shifts().payIn(u"Alice"_s, 100, u"coins"_s, rid());
    VERIFY_OK(in);
    QCOMPARE(in->shiftId, sold.payment->shiftId);
    QCOMPARE(count(u"SELECT COUNT(*) FROM payments WHERE shift_id = ?"_s, {opened->id}), 0);
}

void ShiftsTest::xReportChangesNothing()
{
    VERIFY_OK(shifts().open(u"Alice"_s, 1000, rid()));
    sell({{u"D-STD"_s, 1}, {u"D-RED"_s, 2}}, {{PaymentMethod::Cash, 5000}});
    VERIFY_OK(shifts().payIn(u"Alice"_s, 100, u"coins"_s, rid()));
    const QString before = digest();
    const Result<ZReport> first = shifts().xReport();
    VERIFY_OK(first);
    const Result<ZReport> second = shifts().xReport();
    VERIFY_OK(second);
    QCOMPARE(digest(), before);
    QCOMPARE(first->number, 0);
    QCOMPARE(first->expectedCents, second->expectedCents);
    QCOMPARE(first->grossCents, second->grossCents);
    QCOMPARE(first->expectedCents, 1000 + 1666 + 100);
    QCOMPARE(count(u"SELECT COUNT(*) FROM shifts WHERE status = 'open'"_s), 1);
    // The X equals the Z that follows, but for the count.
    const Result<ZReport> z = shifts().close(u"Alice"_s, 2766, std::nullopt, rid());
    VERIFY_OK(z);
    QCOMPARE(z->expectedCents, first->expectedCents);
    QCOMPARE(z->grossCents, first->grossCents);
    QCOMPARE(z->receipts, first->receipts);
}

void ShiftsTest::noSaleNeedsAManager()
{
    VERIFY_OK(shifts().open(u"Alice"_s, 0, rid()));
    // A cashier alone: refused, nothing recorded.
    VERIFY_OUTCOME(shifts().noSale(u"Alice"_s, std::nullopt, rid()), Outcome::Forbidden);
    // A wrong PIN, or a cashier approving: refused.
    VERIFY_OUTCOME(shifts().noSale(u"Alice"_s, Approver{u"Maria"_s, u"0000"_s}, rid()),
                   Outcome::Forbidden);
    VERIFY_OUTCOME(shifts().noSale(u"Alice"_s, Approver{u"Bob"_s, u"5678"_s}, rid()),
                   Outcome::Forbidden);
    QCOMPARE(count(u"SELECT COUNT(*) FROM cash_movements"_s), 0);
    // With a manager's approval: recorded with both people.
    const Result<CashMovement> approved =
        shifts().noSale(u"Alice"_s, Approver{u"Maria"_s, u"9999"_s}, rid());
    VERIFY_OK(approved);
    QCOMPARE(approved->cashierId, m_alice);
    QCOMPARE(approved->approvedBy, m_maria);
    QVERIFY(approved->kind == CashMovementKind::NoSale);
    // A manager alone.
    const Result<CashMovement> manager = shifts().noSale(u"Maria"_s, std::nullopt, rid());
    VERIFY_OK(manager);
    QVERIFY(manager->approvedBy.isEmpty());
    QCOMPARE(count(u"SELECT COUNT(*) FROM cash_movements WHERE kind = 'no_sale'"_s), 2);
    QCOMPARE(count(u"SELECT COUNT(*) FROM cash_movements WHERE approved_by = ?"_s, {m_maria}), 1);
    const Result<ZReport> x = shifts().xReport();
    QCOMPARE(x->noSales, 2);
    QCOMPARE(x->expectedCents, 0);
}

void ShiftsTest::actionsAreIdempotent()
{
    const QString openId = rid();
    const Result<Shift> opened = shifts().open(u"Alice"_s, 700, openId);
    VERIFY_OK(opened);
    const Result<Shift> again = shifts().open(u"Alice"_s, 700, openId);
    VERIFY_OK(again);
    QVERIFY(again.replayed());
    QCOMPARE(again->id, opened->id);
    // The same id for something else is refused as reused.
    VERIFY_OUTCOME(shifts().open(u"Alice"_s, 800, openId), Outcome::InvalidInput);
    const QString payId = rid();
    VERIFY_OK(shifts().payIn(u"Alice"_s, 300, u"coins"_s, payId));
    VERIFY_OK(shifts().payIn(u"Alice"_s, 300, u"coins"_s, payId));
    QCOMPARE(count(u"SELECT COUNT(*) FROM cash_movements"_s), 1);
    const QString closeId = rid();
    const Result<ZReport> z = shifts().close(u"Alice"_s, 1000, std::nullopt, closeId);
    VERIFY_OK(z);
    // The repeat of a close whose answer was lost gets that Z again, not "no shift open".
    const Result<ZReport> repeat = shifts().close(u"Alice"_s, 1000, std::nullopt, closeId);
    VERIFY_OK(repeat);
    QVERIFY(repeat.replayed());
    QCOMPARE(repeat->toStoredJson(), z->toStoredJson());
    QCOMPARE(count(u"SELECT COUNT(*) FROM shifts"_s), 1);
}

void ShiftsTest::badInputChangesNothing()
{
    VERIFY_OK(shifts().open(u"Alice"_s, 0, rid()));
    const QString before = digest();
    VERIFY_OUTCOME(shifts().open(u"Alice"_s, -1, rid()), Outcome::InvalidInput);
    VERIFY_OUTCOME(shifts().open(u"Alice"_s, 100'000'000, rid()), Outcome::InvalidInput);
    VERIFY_OUTCOME(shifts().payIn(u"Alice"_s, 0, u"x"_s, rid()), Outcome::InvalidInput);
    VERIFY_OUTCOME(shifts().payIn(u"Alice"_s, -5, u"x"_s, rid()), Outcome::InvalidInput);
    VERIFY_OUTCOME(shifts().payOut(u"Alice"_s, 5, u"  "_s, rid()), Outcome::InvalidInput);
    VERIFY_OUTCOME(shifts().payOut(u"Alice"_s, 5, QString(201, u'x'), rid()),
                   Outcome::InvalidInput);
    VERIFY_OUTCOME(shifts().payIn(u"Nobody"_s, 5, u"x"_s, rid()), Outcome::NotFound);
    VERIFY_OUTCOME(shifts().close(u"Alice"_s, -1, std::nullopt, rid()), Outcome::InvalidInput);
    VERIFY_OUTCOME(shifts().close(u"Alice"_s, 0, -1, rid()), Outcome::InvalidInput);
    VERIFY_OUTCOME(shifts().close(u"Nobody"_s, 0, std::nullopt, rid()), Outcome::NotFound);
    VERIFY_OUTCOME(shifts().noSale(u"Nobody"_s, std::nullopt, rid()), Outcome::NotFound);
    VERIFY_OUTCOME(shifts().storedZReport(-1), Outcome::InvalidInput);
    const Result<CashMovement> named = shifts().payIn(u"Alice"_s, 0, u"x"_s, rid());
    QVERIFY2(named.message().contains(u"pay-in"_s), qPrintable(named.message()));
    QCOMPARE(digest(), before);
}

// Four OS processes keep selling (cash) on the till's database while this one closes shifts and
// books pay-ins: every payment lands in exactly one shift, each Z counts exactly the payments its
// shift holds (nothing was added to a shift after its Z was computed), and the Z reports add up
// to every payment taken.
void ShiftsTest::zReportWhileProcessesKeepSelling()
{
    VERIFY_OK(m_services->cashiers().add(u"Dora"_s, u"4321"_s));
    VERIFY_OK(shifts().open(u"Maria"_s, 5000, rid()));
    constexpr int workerCount = 4;
    constexpr int actionsPerWorker = 400;
    const qint64 startAt = QDateTime::currentMSecsSinceEpoch() + 1000;
    const QStringList cashiers{u"Alice"_s, u"Bob"_s, u"Maria"_s, u"Dora"_s};
    std::vector<std::unique_ptr<Test::WorkerProcess>> workers;
    for (int i = 0; i < workerCount; ++i) {
        workers.push_back(std::make_unique<Test::WorkerProcess>(
            QStringList{u"--db"_s, m_tdb->path(), u"--mode"_s, u"stream"_s, u"--count"_s,
                        QString::number(actionsPerWorker), u"--duration-ms"_s, u"20000"_s,
                        u"--cashier"_s, cashiers.at(i), u"--seed"_s, QString::number(i + 7),
                        u"--tag"_s, u"z%1"_s.arg(i), u"--start-at"_s, QString::number(startAt)}));
    }
    // Close a shift while they sell: the first three 10 ms apart, then every 100 ms (bounded: at
    // most 40 closes, 60 s). The workers may take a third of a second on a quiet machine (a CI
    // run saw 2 closes at 100 ms from the start), so a slower start could miss them.
    QElapsedTimer timer;
    timer.start();
    int closes = 0;
    QTest::qWait(int(qMax<qint64>(0, startAt - QDateTime::currentMSecsSinceEpoch())));
    const auto running = [&] {
        for (const auto &worker : workers) {
            if (worker->process().state() != QProcess::NotRunning)
                return true;
        }
        return false;
    };
    while (running() && closes < 40 && timer.elapsed() < 60'000) {
        QTest::qWait(closes < 3 ? 10 : 100);
        VERIFY_OK(shifts().payIn(u"Maria"_s, 100, u"coins"_s, rid()));
        const Result<ZReport> z = shifts().close(u"Maria"_s, 0, std::nullopt, rid());
        if (z.outcome() == Outcome::InvalidState)
            continue; // nothing sold since the last close
        VERIFY_OK(z);
        ++closes;
        QCOMPARE(z->number, closes);
    }
    for (auto &worker : workers) {
        // finish() waits for a running worker; one that has exited already is read as it is.
        if (worker->process().state() != QProcess::NotRunning)
            QVERIFY2(worker->finish(60'000), qPrintable(worker->standardError()));
        worker->readLines();
        QCOMPARE(worker->process().exitStatus(), QProcess::NormalExit);
        QCOMPARE(worker->process().exitCode(), 0);
        const std::optional<Test::WorkerLine> done = worker->done();
        QVERIFY(done);
        QCOMPARE(done->number(u"busy"_s), 0);
        QCOMPARE(done->number(u"error"_s), 0);
        QVERIFY(done->number(u"ok"_s) > 0);
    }
    // The last shift too.
    if (shifts().currentShift()->has_value()) {
        VERIFY_OK(shifts().close(u"Maria"_s, 0, std::nullopt, rid()));
        ++closes;
    }
    qInfo("%d Z reports while 4 processes sold; %lld payments", closes,
          count(u"SELECT COUNT(*) FROM payments"_s));
    QVERIFY2(closes >= 3, "the workers finished before several shifts could close");
    QCOMPARE(count(u"SELECT COUNT(*) FROM shifts WHERE status = 'open'"_s), 0);
    QCOMPARE(count(u"SELECT COUNT(*) FROM payments WHERE shift_id IS NULL"_s), 0);
    QCOMPARE(count(u"SELECT COUNT(*) FROM payments p WHERE NOT EXISTS "
                   "(SELECT 1 FROM shifts s WHERE s.id = p.shift_id)"_s),
             0);
    QVERIFY(count(u"SELECT COUNT(*) FROM payments WHERE kind = 'sale' AND "
                  "receipt_no IS NOT NULL"_s) > 20);
    Cents zPayments = 0;
    Cents zGross = 0;
    Cents zPayIns = 0;
    qint64 zReceipts = 0;
    for (int number = 1; number <= closes; ++number) {
        const Result<ZReport> stored = shifts().zReport(number);
        VERIFY_OK(stored);
        zPayments += allPayments(*stored);
        zGross += stored->grossCents;
        zPayIns += stored->payInsCents;
        zReceipts += stored->receipts;
        // Recomputed now, the shift holds exactly what its Z counted.
        const std::optional<Shift> shift = ShiftStore(m_tdb->db()).shift(stored->shiftId);
        QVERIFY(shift);
        const ZReport now = ShiftService::compute(m_tdb->db(), *shift, stored->closedAt);
        QCOMPARE(allPayments(now), allPayments(*stored));
        QCOMPARE(now.receipts, stored->receipts);
        QCOMPARE(now.expectedCents, stored->expectedCents);
        QCOMPARE(stored->expectedCents,
                 stored->floatCents + stored->cashTakenCents + stored->payInsCents);
    }
    QCOMPARE(zPayments, count(u"SELECT COALESCE(SUM(amount_cents), 0) FROM payments"_s));
    QCOMPARE(zReceipts, count(u"SELECT COUNT(*) FROM payments WHERE kind = 'sale' AND "
                              "receipt_no IS NOT NULL"_s));
    QCOMPARE(zGross, count(u"SELECT COALESCE(SUM(due_cents), 0) FROM payments "
                           "WHERE kind = 'sale' AND receipt_no IS NOT NULL"_s));
    QCOMPARE(zPayIns, count(u"SELECT COALESCE(SUM(amount_cents), 0) FROM cash_movements"_s));
}

QTEST_GUILESS_MAIN(ShiftsTest)
#include "tst_shifts.moc"
