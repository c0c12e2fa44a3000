// Refunds and voids (issue 15) in the model, on both databases: what each line was paid (its share
// of the total after discounts and with its tax) adds up to the receipt exactly and is paid back
// exactly when refunded piece by piece; the roles (a cashier needs a manager's approval, both are
// recorded); every bad request changes nothing; a void only in the sale's own shift; and the
// races: several windows (threads) and several processes refunding one line at once never pay back
// more than was sold. Cash refunds are rounded to the shop's cash-rounding step (card ones are
// not), and a refund line that only partly fits is split by units exactly (splitRefundLine).

#include "Approvals.h"
#include "CashierService.h"
#include "CatalogService.h"
#include "Database.h"
#include "Migrations.h"
#include "OrderService.h"
#include "RaceChecks.h"
#include "RefundService.h"
#include "ResultChecks.h"
#include "ShopSettings.h"
#include "TabService.h"
#include "Tax.h"
#include "TestSupport.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QProcessEnvironment>
#include <QRandomGenerator>
#include <QSqlError>
#include <QSqlQuery>
#include <QTest>

#include <atomic>

using namespace Qt::StringLiterals;
using namespace SafeTill;

class RefundsTest : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();

    void lineSharesAddUpToTheReceipt();
    void partialThenFullRefund();
    void cashRefundIsRoundedToTheCashStep();
    void partlyFittingLineSplitsByUnits();
    void cashierNeedsAManager();
    void badRequestsChangeNothing();
    void repeatedRequestIsReplayed();
    void tabReceiptIsRefundedByLineId();
    void voidOnlyInTheSaleShift();
    void windowsRefundOneLineAtOnce();
    void processesRefundOneLineAtOnce();
    void migration021BackfillsTheSaleTerminal();
    void refundedLineCannotBeDeleted();

private:
    qint64 count(const QString &sql, const QVariantList &values = {})
    {
        return Test::queryValue(m_tdb->db(), sql, values).toLongLong();
    }
    QString rid() { return Test::newId(); }
    // A completed sale by Alice of (sku, qty) lines, with the given order discount; its receipt.
    Order sell(const QList<std::pair<QString, int>> &lines, const Discount &orderDiscount = {});
    RefundRequest request(const Order &sale, const QString &cashier,
                          QList<std::pair<QString, int>> lines = {})
    {
        RefundRequest r;
        r.receiptNo = sale.receiptNo;
        r.cashier = cashier;
        r.lines = std::move(lines);
        r.method = PaymentMethod::Cash;
        return r;
    }

    std::unique_ptr<Test::TestDatabase> m_tdb;
    std::unique_ptr<CatalogService> m_catalog;
    std::unique_ptr<OrderService> m_orders;
    std::unique_ptr<CashierService> m_cashiers;
    std::unique_ptr<Approvals> m_approvals;
    std::unique_ptr<RefundService> m_refunds;
    QString m_alice;
    QString m_maria;
};

void RefundsTest::initTestCase()
{
    SAFETILL_REQUIRE_TEST_BACKEND();
}

void RefundsTest::init()
{
    m_tdb = std::make_unique<Test::TestDatabase>();
    m_catalog = std::make_unique<CatalogService>(m_tdb->db());
    m_orders = std::make_unique<OrderService>(m_tdb->db());
    m_cashiers = std::make_unique<CashierService>(m_tdb->db());
    m_approvals = std::make_unique<Approvals>(*m_cashiers);
    m_refunds = std::make_unique<RefundService>(m_tdb->db(), *m_approvals);
    m_alice = m_tdb->cashierId(u"Alice"_s);
    m_maria = m_tdb->cashierId(u"Maria"_s);
    VERIFY_OK(Test::addTaxedTestCatalog(*m_catalog));
}

void RefundsTest::cleanup()
{
    if (m_tdb)
        VERIFY_DATABASE_CLEAN(m_tdb->db());
    m_refunds.reset();
    m_approvals.reset();
    m_cashiers.reset();
    m_orders.reset();
    m_catalog.reset();
    m_tdb.reset();
}

Order RefundsTest::sell(const QList<std::pair<QString, int>> &lines, const Discount &orderDiscount)
{
    const OrderTarget alice = OrderTarget::byCashier(m_alice);
    Result<Order> order = m_orders->openOrResume(m_alice, rid());
    for (const auto &[sku, qty] : lines)
        order = m_orders->addProduct(alice, sku, qty, rid());
    if (!orderDiscount.isNone())
        order = m_orders->discountOrder(alice, orderDiscount, std::nullopt, rid());
    if (!order)
        return {};
    const Result<Order> paid =
        m_orders->complete(alice, {PaymentMethod::Card, order->totalCents()}, std::nullopt, rid());
    return paid ? *paid : Order{};
}

void RefundsTest::lineSharesAddUpToTheReceipt()
{
    // Random orders: lines of three rates in both pricing modes, line and order discounts. The
    // shares add up to the total, their tax to each rate's tax, and a line refunded one unit at a
    // time pays back exactly its share.
    QRandomGenerator random(15);
    const QList<std::pair<QString, int>> rates{{u"STD"_s, 2000}, {u"RED"_s, 550}, {QString(), 0}};
    for (int round = 0; round < 3000; ++round) {
        QList<OrderLine> lines;
        const int n = 1 + int(random.bounded(6));
        for (int i = 0; i < n; ++i) {
            OrderLine line;
            line.lineId = u"L%1"_s.arg(i);
            line.lineNo = i + 1;
            line.unitPriceCents = random.bounded(5000);
            line.quantity = 1 + int(random.bounded(7));
            const auto &[code, bp] = rates.at(random.bounded(3));
            line.taxCode = code;
            line.taxRateBp = bp;
            line.priceIncludesTax = random.bounded(2) == 0;
            if (random.bounded(3) == 0)
                line.discount = {DiscountKind::Percent, qint64(random.bounded(10001)), u"x"_s, {}};
            lines.append(line);
        }
        Discount orderDiscount;
        if (random.bounded(2) == 0)
            orderDiscount = {DiscountKind::Amount, qint64(random.bounded(3000)), u"y"_s, {}};
        const TaxTable table = taxTable(lines, orderDiscount);
        const QList<LineShare> shares = lineShares(lines, orderDiscount);
        QCOMPARE(shares.size(), lines.size());
        Cents total = 0;
        QMap<QString, Cents> taxByCode;
        for (qsizetype i = 0; i < shares.size(); ++i) {
            QCOMPARE(shares[i].lineId, lines[i].lineId);
            total += shares[i].grossCents;
            taxByCode[lines[i].taxCode] += shares[i].taxCents;
            QVERIFY(shares[i].grossCents >= 0);
            // Piece by piece: exactly the share, never a cent more or less.
            Cents back = 0;
            for (int unit = 0; unit < lines[i].quantity; ++unit)
                back += shareOfUnits(shares[i].grossCents, lines[i].quantity, unit, 1);
            QCOMPARE(back, shares[i].grossCents);
        }
        QCOMPARE(total, table.totalCents);
        for (const TaxLine &row : table.rows)
            QCOMPARE(taxByCode.value(row.code), row.taxCents);
        QCOMPARE(taxByCode.value(QString()), 0);
    }
}

void RefundsTest::partialThenFullRefund()
{
    // 3 x 10.00 (20 %) and 2 x 3.33 (5.5 %), 5.00 off the order: 31.66 in all.
    const Order sale = sell({{u"D-STD"_s, 3}, {u"D-RED"_s, 2}},
                            Discount{DiscountKind::Amount, 500, u"Loyal"_s, m_maria});
    QVERIFY(!sale.receiptNo.isEmpty());
    QCOMPARE(sale.totalCents(), 3666 - 500);
    const QList<LineShare> shares = lineShares(sale.lines, sale.discount);

    const Result<Refund> first = m_refunds->refund(request(sale, u"Maria"_s, {{u"1"_s, 1}}), rid());
    VERIFY_OK(first);
    QVERIFY(first->kind == RefundKind::Refund);
    QCOMPARE(first->originalReceiptNo, sale.receiptNo);
    QVERIFY(first->receiptNo != sale.receiptNo);
    QCOMPARE(first->amountCents, -shareOfUnits(shares[0].grossCents, 3, 0, 1));
    QVERIFY(first->amountCents < 0);
    QCOMPARE(first->approvedBy, QString()); // a manager needs no approver
    QCOMPARE(first->lines.size(), 1);
    QVERIFY(first->lines[0].taxCents < 0);
    // It landed in the till's open shift, like the sale.
    QCOMPARE(first->shiftId, sale.payments.last().shiftId);
    QVERIFY(!first->shiftId.isEmpty());

    // No lines: everything left (2 of line 1, 2 of line 2).
    const Result<Refund> rest = m_refunds->refund(request(sale, u"Maria"_s), rid());
    VERIFY_OK(rest);
    QCOMPARE(rest->lines.size(), 2);
    QCOMPARE(first->amountCents + rest->amountCents, -sale.totalCents());
    const Result<RefundableReceipt> left = m_refunds->refundable(sale.receiptNo);
    VERIFY_OK(left);
    QCOMPARE(left->refundedCents, sale.totalCents());
    for (const RefundableLine &line : left->lines)
        QCOMPARE(line.left(), 0);
    QCOMPARE(left->refunds.size(), 2);

    // Nothing left: refused by the rules, nothing written.
    const qint64 before = count(u"SELECT COUNT(*) FROM refunds"_s);
    const Result<Refund> more = m_refunds->refund(request(sale, u"Maria"_s, {{u"2"_s, 1}}), rid());
    QCOMPARE(outcomeName(more.outcome()), outcomeName(Outcome::InvalidState));
    QVERIFY2(more.message().contains(u"0 of 2 left"_s), qPrintable(more.message()));
    QCOMPARE(count(u"SELECT COUNT(*) FROM refunds"_s), before);
    // Each order's history names the refunds; the order itself is unchanged.
    QCOMPARE(count(u"SELECT COUNT(*) FROM order_history WHERE order_id = ? AND action = 'refund'"_s,
                   {sale.id}),
             2);
    const Result<Order> after = m_orders->order(sale.id);
    VERIFY_OK(after);
    QCOMPARE(after->version, sale.version);
    QVERIFY(after->status == OrderStatus::Completed);
}

void RefundsTest::cashRefundIsRoundedToTheCashStep()
{
    // The shop rounds cash to 0.05. 1 x 3.33 (5.5 %) + 1 x 10.00 (20 %), sold by card.
    VERIFY_OK(ShopSettings(m_tdb->db()).set(u"cash-rounding"_s, u"5"_s));
    const Order sale = sell({{u"D-RED"_s, 2}, {u"D-STD"_s, 1}});
    QVERIFY(!sale.receiptNo.isEmpty());
    QCOMPARE(sale.totalCents(), 666 + 1000);

    // One 3.33 back in cash: the drawer pays 3.35 (half away from zero, as a cash payment), the
    // rounding (-0.02: more money out) booked on the refund, its amount the line's share exactly.
    const Result<Refund> cash = m_refunds->refund(request(sale, u"Maria"_s, {{u"1"_s, 1}}), rid());
    VERIFY_OK(cash);
    QCOMPARE(cash->amountCents, -333);
    QCOMPARE(cash->roundingCents, -2);
    QCOMPARE(count(u"SELECT rounding_cents FROM refunds WHERE id = ?"_s, {cash->id}), -2);
    // The refund as the till reads it back and as it goes to the server (sync payload).
    const Result<Refund> found = m_refunds->find(cash->receiptNo);
    VERIFY_OK(found);
    QCOMPARE(found->roundingCents, -2);
    QCOMPARE(toJson(*cash).value(u"rounding_cents"_s).toInteger(), -2);
    QCOMPARE(refundFromJson(toJson(*cash))->roundingCents, -2);
    const QJsonObject payload =
        QJsonDocument::fromJson(Test::queryValue(m_tdb->db(),
                                                 u"SELECT payload FROM outbox WHERE op = "
                                                 "'refund' ORDER BY seq DESC LIMIT 1"_s)
                                    .toByteArray())
            .object();
    QCOMPARE(payload.value(u"refund"_s).toObject().value(u"rounding_cents"_s).toInteger(), -2);

    // The other 3.33 by card: card refunds are not rounded.
    RefundRequest byCard = request(sale, u"Maria"_s, {{u"1"_s, 1}});
    byCard.method = PaymentMethod::Card;
    const Result<Refund> card = m_refunds->refund(byCard, rid());
    VERIFY_OK(card);
    QCOMPARE(card->amountCents, -333);
    QCOMPARE(card->roundingCents, 0);
    QVERIFY(!toJson(*card).contains(u"rounding_cents"_s));

    // 10.00 in cash is a multiple of the step: no rounding.
    const Result<Refund> even = m_refunds->refund(request(sale, u"Maria"_s, {{u"2"_s, 1}}), rid());
    VERIFY_OK(even);
    QCOMPARE(even->amountCents, -1000);
    QCOMPARE(even->roundingCents, 0);

    // The schema refuses rounding on a card refund and rounding that turns money out into in.
    QVERIFY(!Test::tryExec(
        m_tdb->db(),
        u"INSERT INTO refunds (id, kind, receipt_no, original_receipt_no, method, amount_cents, "
        "cashier_id, terminal_id, refunded_at, rounding_cents) VALUES ('x', 'refund', 'X-1', ?, "
        "'card', -333, ?, 't', '2026-01-01T00:00:00.000Z', -2)"_s,
        {sale.receiptNo, m_maria}));
    QVERIFY(!Test::tryExec(
        m_tdb->db(),
        u"INSERT INTO refunds (id, kind, receipt_no, original_receipt_no, method, amount_cents, "
        "cashier_id, terminal_id, refunded_at, rounding_cents) VALUES ('x', 'refund', 'X-1', ?, "
        "'cash', -2, ?, 't', '2026-01-01T00:00:00.000Z', 3)"_s,
        {sale.receiptNo, m_maria}));
}

void RefundsTest::partlyFittingLineSplitsByUnits()
{
    // 3 units paid back 10.00 with 1.67 tax, of which 2 fit: the fitting part is rounded toward
    // zero (6.66, 1.11), the excess part takes the remainder (3.34, 0.56); they add up exactly.
    RefundLine line;
    line.lineId = u"L1"_s;
    line.quantity = 3;
    line.amountCents = -1000;
    line.taxCode = u"STD"_s;
    line.taxCents = -167;
    const auto [fits, rest] = splitRefundLine(line, 2);
    QCOMPARE(fits.quantity, 2);
    QVERIFY(!fits.excess);
    QCOMPARE(fits.amountCents, -666);
    QCOMPARE(fits.taxCents, -111);
    QCOMPARE(rest.quantity, 1);
    QVERIFY(rest.excess);
    QCOMPARE(rest.amountCents, -334);
    QCOMPARE(rest.taxCents, -56);
    QCOMPARE(fits.lineId, line.lineId);
    QCOMPARE(rest.taxCode, line.taxCode);
    // Every split of every amount adds up, keeps its tax within its amount and its signs.
    QRandomGenerator random(17);
    for (int round = 0; round < 2000; ++round) {
        line.quantity = 2 + int(random.bounded(50));
        line.amountCents = -qint64(random.bounded(100000));
        line.taxCents = -qint64(random.bounded(qint64(-line.amountCents) + 1));
        const int fitting = 1 + int(random.bounded(line.quantity - 1));
        const auto [a, b] = splitRefundLine(line, fitting);
        QCOMPARE(a.quantity + b.quantity, line.quantity);
        QCOMPARE(a.amountCents + b.amountCents, line.amountCents);
        QCOMPARE(a.taxCents + b.taxCents, line.taxCents);
        QVERIFY(a.amountCents <= 0 && b.amountCents <= 0 && a.taxCents <= 0 && b.taxCents <= 0);
        QVERIFY(a.taxCents >= a.amountCents && b.taxCents >= b.amountCents);
        // The fitting part never exceeds its units' proportional share.
        QVERIFY(-a.amountCents * line.quantity <= -line.amountCents * fitting);
    }
}

void RefundsTest::cashierNeedsAManager()
{
    const Order sale = sell({{u"D-STD"_s, 2}});
    // Alone: refused, nothing written.
    const Result<Refund> alone = m_refunds->refund(request(sale, u"Alice"_s), rid());
    QCOMPARE(outcomeName(alone.outcome()), outcomeName(Outcome::Forbidden));
    QVERIFY2(alone.message().contains(u"manager"_s), qPrintable(alone.message()));
    // A wrong PIN, a cashier as approver, herself as approver: refused.
    RefundRequest wrong = request(sale, u"Alice"_s);
    wrong.approver = Approver{u"Maria"_s, u"0000"_s};
    QCOMPARE(outcomeName(m_refunds->refund(wrong, rid()).outcome()),
             outcomeName(Outcome::Forbidden));
    wrong.approver = Approver{u"Bob"_s, u"5678"_s};
    QCOMPARE(outcomeName(m_refunds->refund(wrong, rid()).outcome()),
             outcomeName(Outcome::Forbidden));
    wrong.approver = Approver{u"Alice"_s, u"1234"_s};
    QCOMPARE(outcomeName(m_refunds->refund(wrong, rid()).outcome()),
             outcomeName(Outcome::Forbidden));
    QCOMPARE(count(u"SELECT COUNT(*) FROM refunds"_s), 0);
    QCOMPARE(count(u"SELECT SUM(refunded_qty) FROM order_lines WHERE order_id = ?"_s, {sale.id}),
             0);
    // With Maria's PIN on the same screen: done, and both are recorded.
    RefundRequest approved = request(sale, u"Alice"_s, {{u"1"_s, 1}});
    approved.approver = Approver{u"Maria"_s, u"9999"_s};
    const Result<Refund> done = m_refunds->refund(approved, rid());
    VERIFY_OK(done);
    QCOMPARE(done->cashierId, m_alice);
    QCOMPARE(done->approvedBy, m_maria);
    QCOMPARE(done->approverName, u"Maria"_s);
    QCOMPARE(
        Test::queryValue(m_tdb->db(), u"SELECT approved_by FROM refunds WHERE id = ?"_s, {done->id})
            .toString(),
        m_maria);
    QVERIFY(Test::queryValue(m_tdb->db(),
                             u"SELECT detail FROM order_history WHERE order_id = ? AND action = "
                             "'refund'"_s,
                             {sale.id})
                .toString()
                .contains(u"approved by Maria"_s));
}

void RefundsTest::badRequestsChangeNothing()
{
    const Order sale = sell({{u"D-STD"_s, 2}});
    const Result<Refund> one = m_refunds->refund(request(sale, u"Maria"_s, {{u"1"_s, 1}}), rid());
    VERIFY_OK(one);
    const qint64 refunds = count(u"SELECT COUNT(*) FROM refunds"_s);
    const qint64 history = count(u"SELECT COUNT(*) FROM order_history"_s);

    auto expect = [&](RefundRequest r, Outcome outcome, const QString &says) {
        const Result<Refund> result = m_refunds->refund(r, rid());
        QCOMPARE(outcomeName(result.outcome()), outcomeName(outcome));
        QVERIFY2(result.message().contains(says), qPrintable(result.message()));
    };
    RefundRequest r = request(sale, u"Maria"_s);
    r.receiptNo = u"NOPE-000001"_s;
    expect(r, Outcome::NotFound, u"no receipt"_s);
    r = request(sale, u"Maria"_s);
    r.receiptNo = one->receiptNo;
    expect(r, Outcome::InvalidInput, u"is a refund"_s);
    expect(request(sale, u"Maria"_s, {{u"1"_s, 0}}), Outcome::InvalidInput, u"quantity"_s);
    expect(request(sale, u"Maria"_s, {{u"7"_s, 1}}), Outcome::NotFound, u"line 7"_s);
    expect(request(sale, u"Maria"_s, {{u"1"_s, 1}, {u"1"_s, 1}}), Outcome::InvalidInput,
           u"twice"_s);
    expect(request(sale, u"Nobody"_s), Outcome::NotFound, u"Nobody"_s);
    r = request(sale, u"Maria"_s);
    r.method = PaymentMethod::Other;
    expect(r, Outcome::InvalidInput, u"label"_s);
    r = request(sale, u"Maria"_s);
    r.reason = QString(201, u'x');
    expect(r, Outcome::InvalidInput, u"reason"_s);
    // A void needs a reason.
    const Result<Refund> noReason = m_refunds->voidSale(request(sale, u"Maria"_s), rid());
    QCOMPARE(outcomeName(noReason.outcome()), outcomeName(Outcome::InvalidInput));
    QCOMPARE(count(u"SELECT COUNT(*) FROM refunds"_s), refunds);
    QCOMPARE(count(u"SELECT COUNT(*) FROM order_history"_s), history);
    // A refund is a fact: no update, no delete.
    QVERIFY(!Test::tryExec(m_tdb->db(), u"UPDATE refunds SET amount_cents = -1"_s));
    QVERIFY(!Test::tryExec(m_tdb->db(), u"DELETE FROM refund_lines"_s));
    // The database refuses more refunded than sold even past the model.
    QVERIFY(!Test::tryExec(m_tdb->db(),
                           u"UPDATE order_lines SET refunded_qty = 3 WHERE "
                           "order_id = ?"_s,
                           {sale.id}));
}

void RefundsTest::repeatedRequestIsReplayed()
{
    const Order sale = sell({{u"D-STD"_s, 2}});
    const QString id = rid();
    const Result<Refund> first = m_refunds->refund(request(sale, u"Maria"_s, {{u"1"_s, 1}}), id);
    VERIFY_OK(first);
    // The answer was lost; the till sends the same request again: the same refund, no second one.
    const Result<Refund> again = m_refunds->refund(request(sale, u"Maria"_s, {{u"1"_s, 1}}), id);
    VERIFY_OK(again);
    QVERIFY(again.replayed());
    QCOMPARE(again->receiptNo, first->receiptNo);
    QCOMPARE(again->amountCents, first->amountCents);
    QCOMPARE(count(u"SELECT COUNT(*) FROM refunds"_s), 1);
    QCOMPARE(count(u"SELECT refunded_qty FROM order_lines WHERE order_id = ?"_s, {sale.id}), 1);
    // The same id for another refund is refused.
    const Result<Refund> other = m_refunds->refund(request(sale, u"Maria"_s, {{u"1"_s, 2}}), id);
    QCOMPARE(outcomeName(other.outcome()), outcomeName(Outcome::InvalidInput));
}

void RefundsTest::tabReceiptIsRefundedByLineId()
{
    // Two orders on one tab, settled with one receipt.
    TabService tabs(m_tdb->db());
    const QString bob = m_tdb->cashierId(u"Bob"_s);
    for (const QString &cashier : {m_alice, bob}) {
        const OrderTarget who = OrderTarget::byCashier(cashier);
        VERIFY_OK(m_orders->openOrResume(cashier, rid()));
        VERIFY_OK(m_orders->addProduct(who, u"D-STD"_s, 1, rid()));
        VERIFY_OK(m_orders->addProduct(who, u"D-RED"_s, 2, rid()));
        VERIFY_OK(m_orders->assignToTab(who, u"Table 4"_s, std::nullopt, rid()));
    }
    const Result<Tab> settled =
        tabs.settle(u"Table 4"_s, {PaymentMethod::Cash, 100000}, std::nullopt, rid());
    VERIFY_OK(settled);
    const QString receipt = settled->receiptNo;
    RefundRequest byNumber;
    byNumber.receiptNo = receipt;
    byNumber.cashier = u"Maria"_s;
    byNumber.method = PaymentMethod::Cash;
    byNumber.lines = {{u"1"_s, 1}};
    const Result<Refund> ambiguous = m_refunds->refund(byNumber, rid());
    QCOMPARE(outcomeName(ambiguous.outcome()), outcomeName(Outcome::InvalidInput));
    // By line id, one line of each order.
    RefundRequest byId = byNumber;
    byId.lines = {{settled->orders[0].lines[1].lineId, 2}, {settled->orders[1].lines[0].lineId, 1}};
    const Result<Refund> done = m_refunds->refund(byId, rid());
    VERIFY_OK(done);
    QCOMPARE(done->lines.size(), 2);
    QCOMPARE(done->amountCents, -(666 + 1000));
    // The rest pays back the tab's total exactly.
    byId.lines.clear();
    const Result<Refund> rest = m_refunds->refund(byId, rid());
    VERIFY_OK(rest);
    QCOMPARE(done->amountCents + rest->amountCents, -settled->totalCents());
}

void RefundsTest::voidOnlyInTheSaleShift()
{
    const Order sale = sell({{u"D-STD"_s, 1}, {u"D-NONE"_s, 2}});
    RefundRequest v = request(sale, u"Alice"_s);
    v.reason = u"Rung up the wrong table"_s;
    v.method.reset(); // the original method: card
    QCOMPARE(outcomeName(m_refunds->voidSale(v, rid()).outcome()), outcomeName(Outcome::Forbidden));
    v.approver = Approver{u"Maria"_s, u"9999"_s};
    const Result<Refund> voided = m_refunds->voidSale(v, rid());
    VERIFY_OK(voided);
    QVERIFY(voided->kind == RefundKind::Void);
    QVERIFY(voided->method == PaymentMethod::Card);
    QCOMPARE(voided->amountCents, -sale.totalCents());
    QCOMPARE(voided->approvedBy, m_maria);

    // A sale of an earlier shift: the shift is closed (as a Z report closes it), then a void is
    // refused and a refund is still possible.
    const Order older = sell({{u"D-STD"_s, 1}});
    const QString shift = older.payments.last().shiftId;
    QVERIFY(Test::tryExec(m_tdb->db(),
                          u"UPDATE shifts SET status = 'closed', z_number = 1, closed_at = ?, "
                          "expected_cents = 0, counted_cents = 0, z_report = '{}' WHERE id = ?"_s,
                          {u"2026-12-05T10:00:00.000Z"_s, shift}));
    RefundRequest late = request(older, u"Maria"_s);
    late.reason = u"Wrong item"_s;
    const Result<Refund> tooLate = m_refunds->voidSale(late, rid());
    QCOMPARE(outcomeName(tooLate.outcome()), outcomeName(Outcome::InvalidState));
    QVERIFY2(tooLate.message().contains(u"Refund it instead"_s), qPrintable(tooLate.message()));
    const Result<Refund> refunded = m_refunds->refund(late, rid());
    VERIFY_OK(refunded);
    // It went into a new shift, opened by the refund itself.
    QVERIFY(refunded->shiftId != shift);
}

void RefundsTest::windowsRefundOneLineAtOnce()
{
    // Each round: a sale of 2 units; 4 windows (threads, own connections) each refund 1 unit at
    // once: exactly 2 succeed, the others are refused, and exactly the line's share is paid back.
    for (int round = 0; round < 6; ++round) {
        const Order sale = sell({{u"D-STD"_s, 2}, {u"D-RED"_s, 1}});
        const Cents share = lineShares(sale.lines, sale.discount).at(0).grossCents;
        std::atomic<int> done = 0;
        std::atomic<int> refused = 0;
        std::atomic<int> other = 0;
        Test::runTogether(*m_tdb, 4, [&](int index, Database &db) {
            CashierService cashiers(db);
            Approvals approvals(cashiers);
            RefundService window(db, approvals);
            // Half of them everything that is left, half one unit of line 1.
            RefundRequest r = request(sale, u"Maria"_s);
            if (index % 2 == 0)
                r.lines = {{sale.lines.at(0).lineId, 1}};
            const Result<Refund> result = window.refund(r, rid());
            if (result.isOk())
                ++done;
            else if (result.outcome() == Outcome::InvalidState)
                ++refused;
            else
                ++other;
        });
        QCOMPARE(other.load(), 0);
        QVERIFY(done.load() >= 1);
        QCOMPARE(done.load() + refused.load(), 4);
        QCOMPARE(count(u"SELECT refunded_qty FROM order_lines WHERE line_id = ?"_s,
                       {sale.lines.at(0).lineId}),
                 2);
        QCOMPARE(-count(u"SELECT SUM(rl.amount_cents) FROM refund_lines rl WHERE line_id = ?"_s,
                        {sale.lines.at(0).lineId}),
                 share);
        QCOMPARE(-count(u"SELECT SUM(amount_cents) FROM refunds WHERE original_receipt_no = ?"_s,
                        {sale.receiptNo}),
                 sale.totalCents());
    }
    QCOMPARE(Test::invariantViolations(m_tdb->db()).join(u"\n"_s), QString());
}

void RefundsTest::processesRefundOneLineAtOnce()
{
    if (m_tdb->isPostgres())
        QSKIP("safetill-cli works on SQLite files; the PostgreSQL races run in threads above.");
    // 4 safetill-cli processes refund 1 unit each of a line of 2, at the same moment.
    const Order sale = sell({{u"D-STD"_s, 2}});
    m_refunds.reset();
    std::vector<std::unique_ptr<QProcess>> processes;
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(u"SAFETILL_PIN_HASH_COST"_s, u"fast"_s);
    for (int i = 0; i < 4; ++i) {
        auto process = std::make_unique<QProcess>();
        process->setProcessEnvironment(environment);
        process->start(QStringLiteral(SAFETILL_CLI_PATH),
                       {u"--db"_s, m_tdb->path(), u"refund"_s, sale.receiptNo, u"--cashier"_s,
                        u"Alice"_s, u"--line"_s, u"1:1"_s, u"--method"_s, u"cash"_s,
                        u"--approver"_s, u"Maria"_s});
        QVERIFY(process->waitForStarted(10'000));
        process->write("9999\n");
        process->closeWriteChannel();
        processes.push_back(std::move(process));
    }
    int ok = 0;
    int refused = 0;
    for (const auto &process : processes) {
        QVERIFY(process->waitForFinished(60'000));
        if (process->exitCode() == 0)
            ++ok;
        else if (process->exitCode() == 3)
            ++refused;
        else
            QFAIL(qPrintable(u"exit %1: %2"_s.arg(process->exitCode())
                                 .arg(QString::fromUtf8(process->readAllStandardError()))));
    }
    QCOMPARE(ok, 2);
    QCOMPARE(refused, 2);
    QCOMPARE(-count(u"SELECT SUM(amount_cents) FROM refunds"_s), sale.totalCents());
    QCOMPARE(count(u"SELECT COUNT(DISTINCT approved_by) FROM refunds"_s), 1);
    QCOMPARE(Test::invariantViolations(m_tdb->db()).join(u"\n"_s), QString());
}

void RefundsTest::migration021BackfillsTheSaleTerminal()
{
    // Schema 21 stores the terminal of the sale a refund pays back (the sync pull's index). A
    // refund made before it is given its sale's terminal by the migration, and the append-only
    // guard is back exactly as it was.
    Database &db = m_tdb->db();
    const bool postgres = db.dialect() == SqlDialect::Postgres;
    const auto ddl = [&](const QString &sql) {
        QSqlQuery query(db.connection());
        QVERIFY2(query.exec(sql), qPrintable(sql + u": "_s + query.lastError().text()));
    };
    const Order sale = sell({{u"D-STD"_s, 2}});
    const Result<Refund> refund =
        m_refunds->refund(request(sale, u"Maria"_s, {{u"1"_s, 1}}), rid());
    VERIFY_OK(refund);
    const QString saleTerminal = Test::queryValue(db,
                                                  u"SELECT terminal_id FROM payments "
                                                  "WHERE receipt_no = ? AND kind = 'sale'"_s,
                                                  {sale.receiptNo})
                                     .toString();
    QVERIFY(!saleTerminal.isEmpty());
    QCOMPARE(Test::queryValue(db, u"SELECT original_terminal_id FROM refunds WHERE id = ?"_s,
                              {refund->id})
                 .toString(),
             saleTerminal);
    QCOMPARE(refund->originalTerminalId, saleTerminal);

    // The guard as the schema has it now: the migration must leave it just so.
    const QString guardSql =
        postgres ? u"SELECT pg_get_triggerdef(t.oid) || ' ' || CAST(t.tgenabled AS TEXT) "
                   "FROM pg_trigger t WHERE t.tgrelid = to_regclass('refunds') "
                   "AND t.tgname = 'refunds_append_only'"_s
                 : u"SELECT sql FROM sqlite_master WHERE type = 'trigger' "
                   "AND name = 'refunds_no_update'"_s;
    const QString guard = Test::queryValue(db, guardSql).toString();
    QVERIFY(!guard.isEmpty());

    // Back to schema 20: no column (its index goes with it).
    if (!postgres)
        ddl(u"DROP INDEX refunds_of_sales_elsewhere"_s);
    ddl(u"ALTER TABLE refunds DROP COLUMN original_terminal_id"_s);
    // Every later version goes too: the migrations run from the highest one recorded, so 021
    // runs again only under them (each later one must then be safe to run twice, as 022's
    // CREATE OR REPLACE is).
    ddl(u"DELETE FROM schema_migrations WHERE version >= 21"_s);

    // Opening the database migrates it (021 and the ones after it).
    const std::unique_ptr<Database> migrated = m_tdb->open();
    QVERIFY(migrated);
    QCOMPARE(Test::queryValue(*migrated, u"SELECT MAX(version) FROM schema_migrations"_s).toInt(),
             Migrations::latestVersion(*migrated));
    QCOMPARE(Test::queryValue(*migrated, u"SELECT original_terminal_id FROM refunds WHERE id = ?"_s,
                              {refund->id})
                 .toString(),
             saleTerminal);
    QCOMPARE(Test::queryValue(*migrated, guardSql).toString(), guard);
    QVERIFY(!Test::tryExec(
        *migrated, u"UPDATE refunds SET original_terminal_id = 'x' WHERE id = ?"_s, {refund->id}));
    QCOMPARE(Test::queryValue(*migrated,
                              postgres ? u"SELECT COUNT(*) FROM pg_indexes WHERE schemaname = "
                                         "current_schema() AND indexname = "
                                         "'refunds_of_sales_elsewhere'"_s
                                       : u"SELECT COUNT(*) FROM sqlite_master WHERE type = "
                                         "'index' AND name = 'refunds_of_sales_elsewhere'"_s)
                 .toInt(),
             1);
}

void RefundsTest::refundedLineCannotBeDeleted()
{
    // A refund line points at the sale's line: that line can no longer be deleted, by any
    // statement. On PostgreSQL the key is ON DELETE RESTRICT (migration 023: one query per deleted
    // line instead of NO ACTION's two); the refund is still there and whole afterwards.
    Database &db = m_tdb->db();
    const Order sale = sell({{u"D-STD"_s, 2}, {u"D-RED"_s, 1}});
    QCOMPARE(sale.lines.size(), 2);
    const Result<Refund> refund =
        m_refunds->refund(request(sale, u"Maria"_s, {{u"1"_s, 1}}), rid());
    VERIFY_OK(refund);
    const QString refunded = sale.lines.at(0).lineId;
    QVERIFY(!refunded.isEmpty());

    QVERIFY(!Test::tryExec(db, u"DELETE FROM order_lines WHERE line_id = ?"_s, {refunded}));
    QCOMPARE(count(u"SELECT COUNT(*) FROM order_lines WHERE line_id = ?"_s, {refunded}), 1);
    QCOMPARE(count(u"SELECT COUNT(*) FROM refund_lines WHERE line_id = ?"_s, {refunded}), 1);
    QVERIFY(!Test::tryExec(db, u"DELETE FROM order_lines WHERE order_id = ?"_s, {sale.id}));
    QCOMPARE(count(u"SELECT COUNT(*) FROM order_lines WHERE order_id = ?"_s, {sale.id}), 2);
    if (db.dialect() == SqlDialect::Postgres) {
        QCOMPARE(Test::queryValue(db, u"SELECT CAST(confdeltype AS TEXT) FROM pg_constraint "
                                      "WHERE conname = 'refund_lines_line_id_fkey' "
                                      "AND conrelid = to_regclass('refund_lines')"_s)
                     .toString(),
                 u"r"_s);
    }
    const Result<RefundableReceipt> left = m_refunds->refundable(sale.receiptNo);
    VERIFY_OK(left);
    QCOMPARE(left->refunds.size(), 1);
}

QTEST_GUILESS_MAIN(RefundsTest)
#include "tst_refunds.moc"
