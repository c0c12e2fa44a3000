// Taxes and the shop's settings (issue 14): the arithmetic of model/Tax.h on awkward amounts (net
// + tax = gross on every row, always), the rate kept on each line when it is added, a tax-exclusive
// order paid its total with tax, the server's database functions taking the same snapshot as the
// till's code (PostgreSQL), and bad input that changes nothing. Both databases.

#include "CatalogService.h"
#include "Clock.h"
#include "Database.h"
#include "Json.h"
#include "Money.h"
#include "OrderService.h"
#include "ReceiptDocument.h"
#include "ResultChecks.h"
#include "ShopSettings.h"
#include "Tax.h"
#include "TestSupport.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace SafeTill;

class TaxesTest : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();

    void roundingIsHalfAwayFromZero();
    void arithmeticTable_data();
    void arithmeticTable();
    void rowsAlwaysAddUp();
    void ratesAndBasisPoints();
    void currenciesHaveTheirMinorUnits();
    void lineKeepsTheRateItWasAddedWith();
    void taxExclusiveOrderIsPaidWithItsTax();
    void serverFunctionsTakeTheSameSnapshot();
    void serverFunctionsKeepDiscounts();
    void badInputChangesNothing();
    void receiptShowsTheShopAndItsTaxes();

private:
    qint64 count(const QString &sql) { return Test::queryValue(m_tdb->db(), sql).toLongLong(); }
    QString rid() { return Test::newId(); }
    std::unique_ptr<Test::TestDatabase> m_tdb;
    std::unique_ptr<CatalogService> m_catalog;
    std::unique_ptr<OrderService> m_orders;
    std::unique_ptr<ShopSettings> m_shop;
    QString m_alice;
};

void TaxesTest::initTestCase()
{
    SAFETILL_REQUIRE_TEST_BACKEND();
}

void TaxesTest::init()
{
    m_tdb = std::make_unique<Test::TestDatabase>();
    m_catalog = std::make_unique<CatalogService>(m_tdb->db());
    m_orders = std::make_unique<OrderService>(m_tdb->db());
    m_shop = std::make_unique<ShopSettings>(m_tdb->db());
    m_alice = m_tdb->cashierId(u"Alice"_s);
    VERIFY_OK(m_catalog->addTaxRate({u"STD"_s, u"Standard"_s, 2000}));
    VERIFY_OK(m_catalog->addTaxRate({u"RED"_s, u"Reduced"_s, 550}));
    VERIFY_OK(m_catalog->addTaxRate({u"THIRD"_s, u"A third"_s, 3333}));
    VERIFY_OK(m_catalog->addTaxRate({u"ZERO"_s, u"Zero"_s, 0}));
    VERIFY_OK(m_catalog->add(Product{u"T-STD"_s, u"Standard thing"_s, 999, {}, u"STD"_s}));
    VERIFY_OK(m_catalog->add(Product{u"T-RED"_s, u"Food"_s, 1, {}, u"RED"_s}));
    VERIFY_OK(m_catalog->add(Product{u"T-3"_s, u"Third"_s, 100, {}, u"THIRD"_s}));
}

void TaxesTest::cleanup()
{
    if (m_tdb)
        VERIFY_DATABASE_CLEAN(m_tdb->db());
    m_orders.reset();
    m_catalog.reset();
    m_shop.reset();
    m_tdb.reset();
}

void TaxesTest::roundingIsHalfAwayFromZero()
{
    QCOMPARE(roundedMulDiv(1, 1, 2), 1);   // 0.5 -> 1
    QCOMPARE(roundedMulDiv(-1, 1, 2), -1); // -0.5 -> -1
    QCOMPARE(roundedMulDiv(1, 1, 3), 0);   // 0.33 -> 0
    QCOMPARE(roundedMulDiv(2, 1, 3), 1);   // 0.67 -> 1
    QCOMPARE(roundedMulDiv(-2, 1, 3), -1);
    QCOMPARE(roundedMulDiv(1200, 2000, 12000), 200);
}

void TaxesTest::arithmeticTable_data()
{
    QTest::addColumn<QList<qint64>>("lines"); // one rate, each line's amount
    QTest::addColumn<int>("rateBp");
    QTest::addColumn<bool>("included");
    QTest::addColumn<qint64>("net");
    QTest::addColumn<qint64>("tax");
    QTest::addColumn<qint64>("gross");
    // Tax-inclusive: tax = round(gross x r / (1 + r)) on the rate's total.
    QTest::newRow("20% of 12.00 incl")
        << QList<qint64>{1200} << 2000 << true << 1000ll << 200ll << 1200ll;
    QTest::newRow("one cent at 20% incl") << QList<qint64>{1} << 2000 << true << 1ll << 0ll << 1ll;
    // 100 lines of one cent: per-line rounding would give 0 tax; per rate total it is 17.
    QTest::newRow("100 one-cent lines incl")
        << QList<qint64>(100, 1) << 2000 << true << 83ll << 17ll << 100ll;
    QTest::newRow("33.33% of 1.00 incl")
        << QList<qint64>{100} << 3333 << true << 75ll << 25ll << 100ll;
    QTest::newRow("5.5% of 9.99 incl")
        << QList<qint64>{999} << 550 << true << 947ll << 52ll << 999ll;
    QTest::newRow("0% incl") << QList<qint64>{1234} << 0 << true << 1234ll << 0ll << 1234ll;
    QTest::newRow("100% incl") << QList<qint64>{3} << 10000 << true << 1ll << 2ll << 3ll;
    // Tax-exclusive: tax = round(net x r) on the rate's total, added.
    QTest::newRow("20% of 10.00 excl")
        << QList<qint64>{1000} << 2000 << false << 1000ll << 200ll << 1200ll;
    QTest::newRow("100 one-cent lines excl")
        << QList<qint64>(100, 1) << 2000 << false << 100ll << 20ll << 120ll;
    QTest::newRow("3 x 0.33 at 33.33% excl")
        << QList<qint64>{33, 33, 33} << 3333 << false << 99ll << 33ll << 132ll;
    QTest::newRow("8.875% of 2.25 excl (US)")
        << QList<qint64>{225} << 888 << false << 225ll << 20ll << 245ll;
    QTest::newRow("half a cent rounds up excl")
        << QList<qint64>{25} << 2000 << false << 25ll << 5ll << 30ll;
}

void TaxesTest::arithmeticTable()
{
    QFETCH(QList<qint64>, lines);
    QFETCH(int, rateBp);
    QFETCH(bool, included);
    QFETCH(qint64, net);
    QFETCH(qint64, tax);
    QFETCH(qint64, gross);
    QList<TaxGroup> groups;
    for (const qint64 amount : lines)
        groups.append({u"X"_s, rateBp, included, amount});
    const TaxTable table = taxTable(groups);
    QCOMPARE(table.rows.size(), 1);
    QCOMPARE(table.rows.first().netCents, net);
    QCOMPARE(table.rows.first().taxCents, tax);
    QCOMPARE(table.rows.first().grossCents, gross);
    QCOMPARE(table.totalCents, gross);
}

void TaxesTest::rowsAlwaysAddUp()
{
    // Every amount from 0 to 2,000 minor units at awkward rates, both modes, several rates on one
    // order: each row's net + tax is its gross, and the rows' gross is the total.
    const QList<int> rates{1, 550, 700, 1900, 2000, 2100, 3333, 6667, 9999, 10000};
    for (const bool included : {true, false}) {
        for (qint64 amount = 0; amount <= 2000; ++amount) {
            QList<TaxGroup> groups;
            for (const int rate : rates)
                groups.append({u"R%1"_s.arg(rate), rate, included, amount + rate % 7});
            groups.append({QString(), 0, included, amount}); // untaxed
            const TaxTable table = taxTable(groups);
            QCOMPARE(table.rows.size(), rates.size());
            qint64 gross = table.untaxedCents;
            for (const TaxLine &row : table.rows) {
                QCOMPARE(row.netCents + row.taxCents, row.grossCents);
                QVERIFY(row.taxCents >= 0 && row.netCents >= 0);
                gross += row.grossCents;
            }
            QCOMPARE(table.totalCents, gross);
            QCOMPARE(table.untaxedCents, amount);
        }
    }
}

void TaxesTest::ratesAndBasisPoints()
{
    QCOMPARE(formatRate(2000), u"20%"_s);
    QCOMPARE(formatRate(550), u"5.5%"_s);
    QCOMPARE(formatRate(25), u"0.25%"_s);
    QCOMPARE(formatRate(0), u"0%"_s);
    QCOMPARE(parseRate(u"5.5"_s), std::optional<int>(550));
    QCOMPARE(parseRate(u"20%"_s), std::optional<int>(2000));
    QCOMPARE(parseRate(u"100"_s), std::optional<int>(10000));
    QVERIFY(!parseRate(u"100.01"_s));
    QVERIFY(!parseRate(u"-1"_s));
    QVERIFY(!parseRate(u"5.555"_s));
    QVERIFY(!parseRate(u"abc"_s));
}

void TaxesTest::currenciesHaveTheirMinorUnits()
{
    QCOMPARE(currencyFromCode(u"EUR"_s)->minorUnits, 2);
    QCOMPARE(currencyFromCode(u"USD"_s)->minorUnits, 2);
    QCOMPARE(currencyFromCode(u"JPY"_s)->minorUnits, 0);
    QCOMPARE(currencyFromCode(u"KWD"_s)->minorUnits, 3);
    QVERIFY(!currencyFromCode(u"XYZ"_s));
    QVERIFY(!currencyFromCode(u"eur"_s));
    QVERIFY(!currencyFromCode(u"EURO"_s));
    const QLocale c = QLocale::c();
    QCOMPARE(formatAmount(1234, 0, c), u"1234"_s);
    QCOMPARE(formatAmount(1234, 3, c), u"1.234"_s);
    QCOMPARE(formatAmount(-5, 2, c), u"-0.05"_s);
    QCOMPARE(parseAmount(u"1.234"_s, 3, c), std::optional<Cents>(1234));
    QCOMPARE(parseAmount(u"1234"_s, 0, c), std::optional<Cents>(1234));
    QVERIFY(!parseAmount(u"12.5"_s, 0, c));
    const QString euros = formatMoney(1234, Currency{u"EUR"_s, 2}, QLocale(u"de_DE"_s));
    QVERIFY2(euros.contains(u"12,34"_s) && euros.contains(u"€"_s), qPrintable(euros));
    const QString yen = formatMoney(1234, Currency{u"JPY"_s, 0}, QLocale(u"en_US"_s));
    QVERIFY2(yen.contains(u"1,234"_s) && !yen.contains(u'.'), qPrintable(yen));
}

void TaxesTest::lineKeepsTheRateItWasAddedWith()
{
    const Result<Order> added =
        m_orders->addProduct(OrderTarget::byCashier(m_alice), u"T-STD"_s, 1, rid());
    VERIFY_OK(added);
    QCOMPARE(added->lines.first().taxCode, u"STD"_s);
    QCOMPARE(added->lines.first().taxRateBp, 2000);
    // The rate changes, and the shop's pricing: the line rung up keeps both.
    VERIFY_OK(m_catalog->addTaxRate({u"STD"_s, u"Standard"_s, 2100}, true));
    VERIFY_OK(m_shop->set(u"prices-include-tax"_s, u"no"_s));
    const Result<Order> again =
        m_orders->addProduct(OrderTarget::byCashier(m_alice), u"T-STD"_s, 1, rid());
    VERIFY_OK(again);
    QCOMPARE(again->lines.size(), 1);
    QCOMPARE(again->lines.first().quantity, 2);
    QCOMPARE(again->lines.first().taxRateBp, 2000);
    QVERIFY(again->lines.first().priceIncludesTax);
    // A new line takes today's rate and pricing.
    const Result<Order> third =
        m_orders->addProduct(OrderTarget::byCashier(m_alice), u"T-3"_s, 1, rid());
    VERIFY_OK(third);
    QCOMPARE(third->lines.last().taxRateBp, 3333);
    QVERIFY(!third->lines.last().priceIncludesTax);
    const QJsonObject json = toPresentedJson(*third);
    QCOMPARE(json.value(u"taxes"_s).toArray().size(), 2);
    // Reloaded from the database: the same lines.
    const Result<Order> loaded = m_orders->order(third->id);
    VERIFY_OK(loaded);
    QCOMPARE(loaded->lines.first().taxRateBp, 2000);
    QCOMPARE(loaded->totalCents(), third->totalCents());
}

void TaxesTest::taxExclusiveOrderIsPaidWithItsTax()
{
    VERIFY_OK(m_shop->set(u"prices-include-tax"_s, u"no"_s));
    // 3 x 1.00 at 33.33 % + 1 x 0.01 at 5.5 %: net 3.01, tax 1.00 + 0.00, total 4.01.
    VERIFY_OK(m_orders->addProduct(OrderTarget::byCashier(m_alice), u"T-3"_s, 3, rid()));
    const Result<Order> order =
        m_orders->addProduct(OrderTarget::byCashier(m_alice), u"T-RED"_s, 1, rid());
    VERIFY_OK(order);
    QCOMPARE(order->totalCents(), 401);
    // Paying the lines' own sum is not enough; a card pays the total with tax exactly.
    const Result<Order> short_ = m_orders->complete(
        OrderTarget::byId(order->id), {PaymentMethod::Card, 301}, order->version, rid());
    VERIFY_OUTCOME(short_, Outcome::InvalidInput);
    QCOMPARE(count(u"SELECT COUNT(*) FROM payments"_s), 0);
    const Result<Order> paid = m_orders->complete(
        OrderTarget::byId(order->id), {PaymentMethod::Card, 401}, order->version, rid());
    VERIFY_OK(paid);
    QCOMPARE(paid->payment->amountCents, 401);
    QVERIFY(Test::verifyFindings(m_tdb->db()).isEmpty());
}

void TaxesTest::serverFunctionsTakeTheSameSnapshot()
{
    if (!Test::onPostgres())
        QSKIP("the server-side write functions exist on PostgreSQL only");
    VERIFY_OK(m_shop->set(u"default-tax"_s, u"RED"_s));
    VERIFY_OK(m_shop->set(u"prices-include-tax"_s, u"no"_s));
    const QString bob = m_tdb->cashierId(u"Bob"_s);
    OrderService server(m_tdb->db(), Clock::system(), SyncSide::Server);  // the functions
    OrderService owner(m_tdb->db(), Clock::system(), SyncSide::Terminal); // OrderStore
    VERIFY_OK(m_orders->openOrResume(m_alice, rid()));
    VERIFY_OK(m_orders->openOrResume(bob, rid()));
    for (const ItemSpec &item :
         {ItemSpec{u"T-STD"_s, {}, {}, 2}, ItemSpec{{}, u"Wrap"_s, 250, 1}}) {
        const QList<Result<Order>> viaFunction = server.addToActiveOrders({{m_alice, item, rid()}});
        const Result<Order> viaOwner = owner.addToActiveOrder(bob, item, rid());
        VERIFY_OK(viaFunction.first());
        VERIFY_OK(viaOwner);
        const OrderLine &a = viaFunction.first()->lines.last();
        const OrderLine &b = viaOwner->lines.last();
        QCOMPARE(a.taxCode, b.taxCode);
        QCOMPARE(a.taxRateBp, b.taxRateBp);
        QCOMPARE(a.priceIncludesTax, b.priceIncludesTax);
    }
    const Result<Order> alice = m_orders->openOrderOf(m_alice);
    VERIFY_OK(alice);
    QCOMPARE(alice->lines.last().taxCode, u"RED"_s); // the open-price item: default-tax
    QCOMPARE(alice->lines.first().taxCode, u"STD"_s);
    QVERIFY(!alice->lines.first().priceIncludesTax);
    // The replace function too.
    const QList<Result<Order>> replaced = server.replaceActiveOrdersLines(
        {{m_alice, {ItemSpec{u"T-3"_s, {}, {}, 1}}, alice->version, rid()}});
    VERIFY_OK(replaced.first());
    QCOMPARE(replaced.first()->lines.first().taxRateBp, 3333);
    QCOMPARE(replaced.first()->totalCents(), 133);
}

// Issue 14 on PostgreSQL: the write functions of migration 012 on orders with discounts and price
// overrides, against OrderStore's statements: the same stored result (the lines' discounts and
// totals after them, the order's discount and its total with each rate's share of it, prices
// before tax here), the same refusals of a replace that would drop a discount and of any edit
// once money was taken.
void TaxesTest::serverFunctionsKeepDiscounts()
{
    if (!Test::onPostgres())
        QSKIP("the server-side write functions exist on PostgreSQL only");
    VERIFY_OK(m_shop->set(u"default-tax"_s, u"RED"_s));
    VERIFY_OK(m_shop->set(u"prices-include-tax"_s, u"no"_s));
    const QString bob = m_tdb->cashierId(u"Bob"_s);
    OrderService server(m_tdb->db(), Clock::system(), SyncSide::Server);  // the functions
    OrderService owner(m_tdb->db(), Clock::system(), SyncSide::Terminal); // OrderStore
    VERIFY_OK(m_orders->openOrResume(m_alice, rid()));
    VERIFY_OK(m_orders->openOrResume(bob, rid()));
    // Lines of three rates (and an open-price one of the default rate), added by each path.
    const QList<ItemSpec> first{ItemSpec{u"T-STD"_s, {}, {}, 2}, ItemSpec{u"T-RED"_s, {}, {}, 3},
                                ItemSpec{{}, u"Wrap"_s, 250, 1}, ItemSpec{u"T-3"_s, {}, {}, 1}};
    for (const ItemSpec &item : first) {
        VERIFY_OK(server.addToActiveOrders({{m_alice, item, rid()}}).first());
        VERIFY_OK(owner.addToActiveOrder(bob, item, rid()));
    }
    // The same discounts and override on both orders (given by Alice, approved by Maria where the
    // roles need a manager).
    for (const QString &cashier : {m_alice, bob}) {
        const OrderTarget target = OrderTarget::byCashier(cashier);
        VERIFY_OK(m_orders->discountLine(target, u"1"_s,
                                         Discount{DiscountKind::Percent, 1250, u"Bulk"_s, m_alice},
                                         std::nullopt, rid(), Approver{u"Maria"_s, u"9999"_s}));
        VERIFY_OK(m_orders->overridePrice(target, u"3"_s, 199, u"Price match"_s, m_alice,
                                          std::nullopt, rid(), Approver{u"Maria"_s, u"9999"_s}));
        VERIFY_OK(m_orders->discountOrder(
            target, Discount{DiscountKind::Amount, 7, u"Sorry"_s, m_alice}, std::nullopt, rid()));
    }
    // One more add each: the stored results must be the same but for the ids.
    const QString viaFunctionId = rid();
    const QString viaOwnerId = rid();
    const QList<Result<Order>> viaFunction =
        server.addToActiveOrders({{m_alice, ItemSpec{u"T-STD"_s, {}, {}, 1}, viaFunctionId}});
    const Result<Order> viaOwner =
        owner.addToActiveOrder(bob, ItemSpec{u"T-STD"_s, {}, {}, 1}, viaOwnerId);
    VERIFY_OK(viaFunction.first());
    VERIFY_OK(viaOwner);
    QCOMPARE(viaFunction.first()->totalCents(), viaOwner->totalCents());
    auto stored = [&](const QString &requestId) {
        QJsonObject json =
            QJsonDocument::fromJson(Test::queryValue(m_tdb->db(),
                                                     u"SELECT result FROM idempotency WHERE "
                                                     "request_id = ?"_s,
                                                     {requestId})
                                        .toString()
                                        .toUtf8())
                .object();
        for (const QString &field :
             {u"id"_s, u"cashier_id"_s, u"cashier"_s, u"created_at"_s, u"updated_at"_s})
            json.remove(field);
        QJsonArray lines = json.value(u"lines"_s).toArray();
        for (QJsonValueRef line : lines) {
            QJsonObject fields = line.toObject();
            fields.remove(u"line_id"_s);
            line = fields;
        }
        json.insert(u"lines"_s, lines);
        return json;
    };
    const QJsonObject fromFunction = stored(viaFunctionId);
    const QJsonObject fromOwner = stored(viaOwnerId);
    QVERIFY(fromFunction.value(u"lines"_s).toArray().at(0).toObject().contains(u"discount"_s));
    QVERIFY(
        fromFunction.value(u"lines"_s).toArray().at(2).toObject().contains(u"list_price_cents"_s));
    QVERIFY(fromFunction.contains(u"discount"_s));
    QCOMPARE(fromFunction.value(u"total_cents"_s).toInteger(), viaOwner->totalCents());
    QCOMPARE(fromFunction, fromOwner);

    // A replace would drop the discount: refused alike, nothing changes.
    const int aliceVersion = viaFunction.first()->version;
    const Result<Order> replacedByFunction =
        server
            .replaceActiveOrdersLines(
                {{m_alice, {ItemSpec{u"T-3"_s, {}, {}, 1}}, aliceVersion, rid()}})
            .first();
    const Result<Order> replacedByOwner = owner.replaceLines(
        OrderTarget::byCashier(bob), {ItemSpec{u"T-3"_s, {}, {}, 1}}, viaOwner->version, rid());
    VERIFY_OUTCOME(replacedByFunction, Outcome::InvalidState);
    QCOMPARE(int(replacedByOwner.outcome()), int(replacedByFunction.outcome()));
    QCOMPARE(replacedByFunction.message(), replacedByOwner.message());
    QCOMPARE(m_orders->openOrderOf(m_alice)->version, aliceVersion);

    // Once money was taken, an add is refused alike.
    for (const QString &cashier : {m_alice, bob})
        VERIFY_OK(m_orders->pay(OrderTarget::byCashier(cashier),
                                PaymentRequest{PaymentMethod::Cash, 100, 100}, std::nullopt,
                                rid()));
    const Result<Order> addByFunction =
        server.addToActiveOrders({{m_alice, ItemSpec{u"T-RED"_s, {}, {}, 1}, rid()}}).first();
    const Result<Order> addByOwner =
        owner.addToActiveOrder(bob, ItemSpec{u"T-RED"_s, {}, {}, 1}, rid());
    VERIFY_OUTCOME(addByFunction, Outcome::InvalidState);
    QCOMPARE(int(addByOwner.outcome()), int(addByFunction.outcome()));
    QCOMPARE(addByFunction.message(), addByOwner.message());
    const Result<Order> paidReplace =
        server
            .replaceActiveOrdersLines(
                {{m_alice, {ItemSpec{u"T-3"_s, {}, {}, 1}}, aliceVersion + 1, rid()}})
            .first();
    VERIFY_OUTCOME(paidReplace, Outcome::InvalidState);
    QCOMPARE(m_orders->openOrderOf(m_alice)->paidCents(), 100);
}

void TaxesTest::badInputChangesNothing()
{
    const qint64 rates = count(u"SELECT COUNT(*) FROM tax_rates"_s);
    VERIFY_OUTCOME(m_catalog->addTaxRate({u"BIG"_s, u"Too big"_s, 10001}), Outcome::InvalidInput);
    VERIFY_OUTCOME(m_catalog->addTaxRate({u"NEG"_s, u"Negative"_s, -1}), Outcome::InvalidInput);
    VERIFY_OUTCOME(m_catalog->addTaxRate({u"STD"_s, u"Again"_s, 100}), Outcome::InvalidInput);
    VERIFY_OUTCOME(m_catalog->addTaxRate({u"A B"_s, u"Space"_s, 100}), Outcome::InvalidInput);
    QCOMPARE(count(u"SELECT COUNT(*) FROM tax_rates"_s), rates);
    QCOMPARE(count(u"SELECT rate_bp FROM tax_rates WHERE code = 'STD'"_s), 2000);

    const Result<Product> unknown =
        m_catalog->add(Product{u"T-X"_s, u"Unknown tax"_s, 100, {}, u"NOPE"_s});
    VERIFY_OUTCOME(unknown, Outcome::InvalidInput);
    QVERIFY(unknown.message().contains(u"tax"_s));
    const Result<ImportSummary> csv =
        m_catalog->importCsv("sku,name,price_cents,tax\nT-Y,Fine,100,STD\nT-Z,Bad,100,NOPE\n");
    VERIFY_OUTCOME(csv, Outcome::InvalidInput);
    QVERIFY2(csv.message().contains(u"line 3: tax"_s), qPrintable(csv.message()));
    QCOMPARE(count(u"SELECT COUNT(*) FROM products WHERE sku IN ('T-X', 'T-Y', 'T-Z')"_s), 0);
    VERIFY_OK(m_catalog->importCsv("sku,name,price_cents,tax\nT-Y,Fine,100,red\n"));
    QCOMPARE(Test::queryValue(m_tdb->db(), u"SELECT tax_code FROM products WHERE sku = 'T-Y'"_s)
                 .toString(),
             u"RED"_s);

    for (const auto &[name, value] :
         QList<std::pair<QString, QString>>{{u"currency"_s, u"XYZ"_s},
                                            {u"currency"_s, u"EURO"_s},
                                            {u"prices-include-tax"_s, u"maybe"_s},
                                            {u"cash-rounding"_s, u"-5"_s},
                                            {u"default-tax"_s, u"NOPE"_s},
                                            {u"no-such-setting"_s, u"1"_s},
                                            {u"shop-name"_s, QString(101, u'x')}}) {
        const Result<QString> set = m_shop->set(name, value);
        VERIFY_OUTCOME(set, Outcome::InvalidInput);
        QVERIFY2(set.message().contains(name.left(8)), qPrintable(set.message()));
    }
    QCOMPARE(count(u"SELECT COUNT(*) FROM shop_settings"_s), 0);

    // The currency is fixed once money was taken.
    VERIFY_OK(m_shop->set(u"currency"_s, u"jpy"_s));
    QCOMPARE(m_shop->profile()->currency, (Currency{u"JPY"_s, 0}));
    const Result<Order> order =
        m_orders->addProduct(OrderTarget::byCashier(m_alice), u"T-STD"_s, 1, rid());
    VERIFY_OK(order);
    VERIFY_OK(m_orders->complete(OrderTarget::byId(order->id), {PaymentMethod::Cash, 1000},
                                 order->version, rid()));
    VERIFY_OUTCOME(m_shop->set(u"currency"_s, u"EUR"_s), Outcome::InvalidInput);
    QCOMPARE(m_shop->profile()->currency.code, u"JPY"_s);
    VERIFY_OK(m_shop->set(u"currency"_s, u"JPY"_s)); // the same: fine
}

void TaxesTest::receiptShowsTheShopAndItsTaxes()
{
    for (const auto &[name, value] :
         QList<std::pair<QString, QString>>{{u"shop-name"_s, u"Café <Corner>"_s},
                                            {u"address-line-1"_s, u"1 Main Street"_s},
                                            {u"address-line-2"_s, u"75001 Paris"_s},
                                            {u"tax-number"_s, u"FR12345678901"_s},
                                            {u"footer"_s, u"Merci !\nSee you soon"_s},
                                            {u"currency"_s, u"EUR"_s}})
        VERIFY_OK(m_shop->set(name, value));
    VERIFY_OK(m_orders->addProduct(OrderTarget::byCashier(m_alice), u"T-STD"_s, 2, rid()));
    const Result<Order> order =
        m_orders->addProduct(OrderTarget::byCashier(m_alice), u"T-RED"_s, 1, rid());
    VERIFY_OK(order);
    const Result<Order> paid = m_orders->complete(
        OrderTarget::byId(order->id), {PaymentMethod::Cash, 2000}, order->version, rid());
    VERIFY_OK(paid);
    const Result<ShopProfile> shop = m_shop->profile();
    VERIFY_OK(shop);
    const QString html = receiptHtml(*paid, *shop);
    for (const QString &expected :
         {u"Café &lt;Corner&gt;"_s, u"1 Main Street<br>75001 Paris"_s, u"FR12345678901"_s,
          u"Merci !<br>See you soon"_s, paid->receiptNo, u"STD 20%"_s, u"RED 5.5%"_s, u"Alice"_s})
        QVERIFY2(html.contains(expected), qPrintable(expected + u" not in "_s + html));
    // 2 x 9.99 at 20 % incl.: net 16.65, tax 3.33; 0.01 at 5.5 %: net 0.01, tax 0.00.
    const TaxTable table = taxTable(paid->lines);
    QCOMPARE(table.rows.size(), 2);
    QCOMPARE(table.rows.at(1).code, u"STD"_s);
    QCOMPARE(table.rows.at(1).taxCents, 333);
    QCOMPARE(table.rows.at(1).netCents, 1665);
    QCOMPARE(table.totalCents, 1999);
    const QString shown = formatMoney(333, shop->currency, QLocale());
    QVERIFY2(html.contains(shown), qPrintable(shown));
}

QTEST_GUILESS_MAIN(TaxesTest)
#include "tst_taxes.moc"
