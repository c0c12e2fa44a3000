// The compact JSON model/Json writes directly (toCompactJson, toCompactSyncJson, appendCompactJson,
// toCompactJsonWith, and the HTTP API's order written with its pieces) is byte for byte what
// QJsonDocument(...).toJson(Compact) writes: for every member an order, a line, a payment and a
// discount can have, awkward text (quotes, control characters, non-ASCII, lone surrogates), numbers
// and times; and in the database, every stored result and outbox op that real actions wrote (open,
// taxed adds, discounts, a price override, quantity changes, split tender) is Qt's own compact JSON
// of what it holds, on both databases.
#include "ApiJson.h"
#include "CatalogService.h"
#include "Clock.h"
#include "Database.h"
#include "Json.h"
#include "OrderService.h"
#include "ResultChecks.h"
#include "TestSupport.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QSqlQuery>
#include <QTest>

#include <cmath>
#include <limits>

Q_DECLARE_METATYPE(SafeTill::Order)

using namespace Qt::StringLiterals;
using namespace SafeTill;

namespace {

QByteArray qtCompact(const QJsonObject &object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

// Text that needs every kind of escape Qt's writer has, and every UTF-8 length.
QString awkwardText()
{
    QString text = u"q\"b\\s/ \b\f\n\r\t\x01\x1f\x7f caf\u00e9 \u20ac \u00ff "_s;
    text += QString::fromUcs4(U"\U0001F600"); // a surrogate pair
    return text;
}

// What a cashier can type into a name or a reason: printable characters only.
QString typedText()
{
    return u"Caf\u00e9 \"best\" \\ / \u20ac \u4e2d"_s;
}

QDateTime at(const char *text)
{
    return QDateTime::fromString(QString::fromLatin1(text), Qt::ISODateWithMs);
}

Payment payment(const QString &id, const QString &receiptNo, const QString &label,
                Cents roundingCents)
{
    Payment p = Payment::sale(id, PaymentMethod::Other, 1234, 1300, receiptNo,
                              at("2026-03-01T10:00:00.007Z"), 7, u"T-1"_s);
    p.orderId = u"o-1"_s;
    p.cashierId = u"c-1"_s;
    p.label = label;
    p.roundingCents = roundingCents;
    p.changeCents = 66 - roundingCents;
    return p;
}

OrderLine line(int number, const QString &sku, const QString &name)
{
    OrderLine l;
    l.lineNo = number;
    l.sku = sku;
    l.name = name;
    l.unitPriceCents = 333;
    l.quantity = 3;
    l.lineId = u"line-%1"_s.arg(number);
    l.taxCode = u"STD"_s;
    l.taxRateBp = 2000;
    return l;
}

} // namespace

class JsonTest : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void orderIsQtsJson_data();
    void orderIsQtsJson();
    void orderReadsBack_data();
    void orderReadsBack();
    void orderReadingIsLenient();
    void orderReadingRefuses_data();
    void orderReadingRefuses();
    void orderReadingReplacesLoneSurrogates();
    void tabReadsBack();
    void apiOrderIsQtsJson_data();
    void apiOrderIsQtsJson();
    void valuesAreQtsJson_data();
    void valuesAreQtsJson();
    void memberIsPlacedInKeyOrder_data();
    void memberIsPlacedInKeyOrder();
    void storageTimesAreQts();
    void actionsStoreQtsJson();
};

void JsonTest::initTestCase()
{
    SAFETILL_REQUIRE_TEST_BACKEND();
}

void JsonTest::orderIsQtsJson_data()
{
    QTest::addColumn<Order>("order");

    Order empty;
    QTest::newRow("empty order") << empty;

    Order plain;
    plain.id = u"o-1"_s;
    plain.cashierId = u"c-1"_s;
    plain.cashierName = u"Alice"_s;
    plain.version = 3;
    plain.createdAt = at("2026-03-01T10:00:00.000Z");
    plain.updatedAt = at("2026-03-01T10:00:05.120Z");
    plain.terminalId = u"T-1"_s;
    plain.lines = {line(1, u"COF-ESP"_s, u"Espresso"_s), line(2, {}, u"Open price"_s)};
    plain.lines[1].taxCode = QString(); // an untaxed line: a null code
    plain.lines[1].priceIncludesTax = false;
    QTest::newRow("active order, a catalog and an open-price line") << plain;

    Order discounted = plain;
    discounted.lines[0].discount = Discount{DiscountKind::Percent, 1000, u"staff"_s, u"c-2"_s};
    discounted.lines[1].discount = Discount{DiscountKind::Amount, 50, QString(), QString()};
    discounted.lines[1].listPriceCents = 400;
    discounted.lines[1].priceReason = u"damaged"_s;
    discounted.discount = Discount{DiscountKind::Amount, 50, u"loyal"_s, u"c-1"_s};
    QTest::newRow("line and order discounts, a price override") << discounted;

    Order paid = discounted;
    paid.status = OrderStatus::Completed;
    paid.receiptNo = u"R-000042"_s;
    paid.completedAt = at("2026-03-01T10:01:00.999Z");
    paid.payments = {payment(u"p-1"_s, {}, u"Voucher"_s, 0),
                     payment(u"p-2"_s, u"R-000042"_s, {}, -2)};
    paid.payments[1].shiftId = u"shift-1"_s; // sync protocol 5: the till's shift
    paid.payment = paid.payments.last();
    QTest::newRow("completed by split tender, a label and cash rounding") << paid;

    Order tabbed = plain;
    tabbed.status = OrderStatus::Assigned;
    tabbed.tabId = u"tab-1"_s;
    tabbed.tabName = u"Table 5"_s;
    tabbed.logoutTime = at("2026-03-01T09:59:59.001Z");
    QTest::newRow("on a tab, with a log-out time") << tabbed;

    Order awkward = paid;
    awkward.cashierName = awkwardText();
    awkward.tabName = awkwardText();
    awkward.lines[0].name = awkwardText();
    awkward.lines[0].sku = u"\u00e9\u00e9"_s;
    awkward.lines[0].discount.reason = awkwardText();
    awkward.payments[0].label = awkwardText();
    awkward.lines[1].name = QString(u"lone "_s) + QChar(0xd800) + u" high, low "_s + QChar(0xdc00) +
                            u", reversed "_s + QChar(0xdc00) + QChar(0xd800);
    awkward.lines[1].priceReason = QString(u"high at the end "_s) + QChar(0xdbff);
    QTest::newRow("awkward text") << awkward;

    Order extreme = plain;
    extreme.version = std::numeric_limits<int>::max();
    extreme.lines[0].unitPriceCents = std::numeric_limits<qint64>::max() / 4;
    extreme.lines[0].quantity = 1;
    extreme.lines[1].unitPriceCents = -(qint64(1) << 53) - 1;
    extreme.lines[1].quantity = 1;
    extreme.createdAt = at("0099-01-02T03:04:05.006Z");
    extreme.updatedAt = QDateTime(QDate(12345, 1, 1), QTime(0, 0), Qt::UTC);
    extreme.logoutTime = QDateTime(QDate(2026, 3, 1), QTime(11, 0, 0, 5), Qt::OffsetFromUTC, 3600);
    QTest::newRow("large and negative numbers, odd years, a time not in UTC") << extreme;
}

void JsonTest::orderIsQtsJson()
{
    QFETCH(Order, order);
    QCOMPARE(toCompactJson(order), qtCompact(toJson(order)));
    QCOMPARE(toCompactSyncJson(order), qtCompact(toSyncJson(order)));
    QCOMPARE(JsonCodec<Order>::encodeCompact(order), qtCompact(JsonCodec<Order>::encode(order)));
}

// Reading back (orderFromJsonText with simdjson, and orderFromJson through it) gives the order
// that was written: the same compact JSON again, for every shape above. A lone surrogate, which
// simdjson refuses as text that is not Unicode, reads as U+FFFD (what the database stores for it).
void JsonTest::orderReadsBack_data()
{
    orderIsQtsJson_data();
}

void JsonTest::orderReadsBack()
{
    QFETCH(Order, order);
    const QByteArray written = toCompactJson(order);
    QByteArray expected = written;
    for (const char *lone : {"\\ud800", "\\udc00", "\\udbff"})
        expected.replace(lone, "\xEF\xBF\xBD"); // U+FFFD, which the writer writes as it is
    // A time that storage cannot write (the year 12345) is written as "", which reads as none.
    expected.replace("\"updated_at\":\"\"", "\"updated_at\":null");
    const std::optional<Order> fromText = orderFromJsonText(written);
    QVERIFY(fromText);
    QCOMPARE(toCompactJson(*fromText), expected);
    const std::optional<Order> fromObject = orderFromJson(toJson(order));
    QVERIFY(fromObject);
    QCOMPARE(toCompactJson(*fromObject), expected);
    // Members in any order, with spaces: any JSON text of the shape.
    const std::optional<Order> indented =
        orderFromJsonText(QJsonDocument(toJson(order)).toJson(QJsonDocument::Indented));
    QVERIFY(indented);
    QCOMPARE(toCompactJson(*indented), expected);
}

// QJsonValue's rules: a member of another type reads as its default, a missing one too, a whole
// number written as a double is that number, unknown members are ignored.
void JsonTest::orderReadingIsLenient()
{
    const std::optional<Order> order = orderFromJsonText(
        R"({"id":"o-9","status":"completed","version":5.0,"unknown":{"x":[1,{"y":null}]},)"
        R"("lines":[{"line":1,"qty":"3","name":7,"unit_price_cents":250,"list_price_cents":null,)"
        R"("price_reason":"ignored without a list price","discount":{"kind":"none","value":5}},)"
        R"({"line":2.5,"qty":2,"name":"Tea \u00e9\ud83d\ude00","price_includes_tax":false,)"
        R"("list_price_cents":300,"price_reason":"damaged"}],)"
        R"("payment":{"amount_cents":100,"method":"barter","kind":"?"},"payments":[1,{"id":"p"}],)"
        R"("tab_id":null,"created_at":"2026-03-01T10:00:00.000Z","completed_at":"not a time"})");
    QVERIFY(order);
    QCOMPARE(order->id, u"o-9"_s);
    QVERIFY(order->status == OrderStatus::Completed);
    QCOMPARE(order->version, 5);
    QCOMPARE(order->lines.size(), 2);
    const OrderLine &first = order->lines.at(0);
    QCOMPARE(first.lineNo, 1);
    QCOMPARE(first.quantity, 0);
    QCOMPARE(first.name, QString());
    QCOMPARE(first.unitPriceCents, 250);
    QVERIFY(first.priceIncludesTax);
    QVERIFY(!first.listPriceCents);
    QVERIFY(first.priceReason.isEmpty());
    QVERIFY(first.discount.isNone());
    QCOMPARE(first.discount.value, 0);
    const OrderLine &second = order->lines.at(1);
    QCOMPARE(second.lineNo, 0);
    QCOMPARE(second.quantity, 2);
    QCOMPARE(second.name, u"Tea \u00e9"_s + QString::fromUcs4(U"\U0001F600"));
    QVERIFY(!second.priceIncludesTax);
    QCOMPARE(second.listPriceCents, std::optional<Cents>(300));
    QCOMPARE(second.priceReason, u"damaged"_s);
    QVERIFY(order->payment);
    QVERIFY(order->payment->method == PaymentMethod::Cash);
    QVERIFY(order->payment->kind == PaymentKind::Sale);
    QCOMPARE(order->payment->dueCents, 100); // due_cents missing: the amount
    QCOMPARE(order->payments.size(), 1);     // the number is no payment
    QCOMPARE(order->payments.at(0).id, u"p"_s);
    QVERIFY(order->tabId.isEmpty());
    QCOMPARE(order->createdAt, at("2026-03-01T10:00:00.000Z"));
    QVERIFY(!order->completedAt.isValid());
}

void JsonTest::orderReadingRefuses_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::newRow("not JSON") << QByteArray(R"({"id":"o","status":"active")");
    QTest::newRow("empty") << QByteArray();
    QTest::newRow("an array") << QByteArray(R"([{"id":"o","status":"active"}])");
    QTest::newRow("no id") << QByteArray(R"({"status":"active"})");
    QTest::newRow("a number as id") << QByteArray(R"({"id":7,"status":"active"})");
    QTest::newRow("an unknown status") << QByteArray(R"({"id":"o","status":"lost"})");
    QTest::newRow("not UTF-8") << QByteArray("{\"id\":\"o\xff\",\"status\":\"active\"}");
}

void JsonTest::orderReadingRefuses()
{
    QFETCH(QByteArray, json);
    QVERIFY(!orderFromJsonText(json));
    QVERIFY(orderFromJsonText(R"({"id":"o","status":"active"})")); // the smallest that reads
}

// Lone surrogates are replaced before simdjson reads again; escapes cut off or malformed around
// them are left for simdjson to refuse (nothing read past the end: ASan in the fuzzing build).
void JsonTest::orderReadingReplacesLoneSurrogates()
{
    const std::optional<Order> order =
        orderFromJsonText(R"({"id":"a\ud800\\ud800\udbff\udfff\udfff\ud800","status":"active",)"
                          R"("cashier":"\\\ud800x\u00e9"})");
    QVERIFY(order);
    QCOMPARE(order->id, u"a\ufffd\\ud800"_s + QString::fromUcs4(U"\U0010FFFF") + u"\ufffd\ufffd"_s);
    QCOMPARE(order->cashierName, u"\\\ufffdx\u00e9"_s);
    for (const char *broken : {R"({"id":"\ud800","status":"active"\)", R"({"id":"\ud800\u12)",
                               R"({"id":"\ud800\)", R"({"id":"\ud800\ug000","status":"active"})",
                               R"({"id":"\ud80","status":"active"})", R"(\ud800)", "\\"}) {
        QVERIFY2(!orderFromJsonText(broken), broken);
    }
}

void JsonTest::tabReadsBack()
{
    Tab tab;
    tab.id = u"tab-1"_s;
    tab.name = typedText();
    tab.status = TabStatus::Settled;
    tab.version = 4;
    tab.receiptNo = u"R-000007"_s;
    tab.createdAt = at("2026-03-01T09:00:00.000Z");
    tab.settledAt = at("2026-03-01T11:00:00.500Z");
    Order first;
    first.id = u"o-1"_s;
    first.status = OrderStatus::Assigned;
    first.tabId = tab.id;
    first.lines = {line(1, u"COF-ESP"_s, u"Espresso"_s)};
    Order second = first;
    second.id = u"o-2"_s;
    second.lines = {line(1, {}, typedText()), line(2, u"TEA"_s, u"Tea"_s)};
    tab.orders = {first, second};
    tab.payments = {payment(u"p-1"_s, u"R-000007"_s, {}, 0)};
    tab.payments[0].tabId = tab.id;
    tab.payment = tab.payments.last();

    const std::optional<Tab> read = tabFromJson(toJson(tab));
    QVERIFY(read);
    QCOMPARE(qtCompact(toJson(*read)), qtCompact(toJson(tab)));
    QVERIFY(!tabFromJson(QJsonObject{{u"id"_s, u"t"_s}, {u"status"_s, u"gone"_s}}));
}

// The HTTP API's order (server/ApiJson), written directly, against Qt's writer of apiJson(order):
// the same orders, and each in a currency of its own.
void JsonTest::apiOrderIsQtsJson_data()
{
    orderIsQtsJson_data();
}

void JsonTest::apiOrderIsQtsJson()
{
    QFETCH(Order, order);
    QCOMPARE(apiJsonText(order), qtCompact(apiJson(order)));
    order.currency = u"CHF"_s;
    QCOMPARE(apiJsonText(order), qtCompact(apiJson(order)));
    QVERIFY(apiJsonText(order).contains("\"currency\":\"CHF\""));
}

void JsonTest::valuesAreQtsJson_data()
{
    QTest::addColumn<QJsonObject>("object");
    QTest::newRow("empty") << QJsonObject();
    QTest::newRow("scalars") << QJsonObject{{u"t"_s, true},
                                            {u"f"_s, false},
                                            {u"n"_s, QJsonValue(QJsonValue::Null)},
                                            {u"i"_s, 42},
                                            {u"neg"_s, -7},
                                            {u"big"_s, std::numeric_limits<qint64>::max()},
                                            {u"small"_s, std::numeric_limits<qint64>::min()},
                                            {u"s"_s, awkwardText()},
                                            {u"e"_s, QString()}};
    QTest::newRow("doubles") << QJsonObject{
        {u"half"_s, 2.5},         {u"tenth"_s, 0.1},
        {u"whole"_s, 3.0},        {u"huge"_s, 1e300},
        {u"e16"_s, 1e16},         {u"minus zero"_s, -0.0},
        {u"nan"_s, std::nan("")}, {u"inf"_s, std::numeric_limits<double>::infinity()}};
    QTest::newRow("nested") << QJsonObject{
        {u"a"_s, QJsonArray{1, u"x"_s, QJsonArray{}, QJsonObject{}, QJsonValue::Null}},
        {u"o"_s, QJsonObject{{u"z"_s, 1}, {u"a"_s, QJsonObject{{u"k"_s, awkwardText()}}}}},
        {awkwardText(), u"awkward key"_s},
        {u"\u00e9"_s, 1},
        {u"Z"_s, 2},
        {u"_"_s, 3}};
}

void JsonTest::valuesAreQtsJson()
{
    QFETCH(QJsonObject, object);
    QCOMPARE(toCompactJson(object), qtCompact(object));
    QByteArray array;
    appendCompactJson(array, QJsonArray{object, object});
    QCOMPARE(array, QJsonDocument(QJsonArray{object, object}).toJson(QJsonDocument::Compact));
}

void JsonTest::memberIsPlacedInKeyOrder_data()
{
    QTest::addColumn<QString>("key");
    // The outbox op's members around "order", and keys before, between and after all of them.
    for (const QString &key : {u"order"_s, u"a"_s, u"zz"_s, u"or"_s, u"order_"_s, u"orde"_s,
                               u"changes"_s, u"version"_s, u"\u00e9"_s}) {
        QTest::newRow(qPrintable(key)) << key;
    }
}

void JsonTest::memberIsPlacedInKeyOrder()
{
    QFETCH(QString, key);
    const QJsonObject raw{{u"x"_s, 1}, {u"y"_s, QJsonArray{u"a\"b"_s}}};
    QJsonObject payload{
        {u"base_version"_s, 2}, {u"cashier_id"_s, u"c-1"_s}, {u"changes"_s, QJsonArray{}},
        {u"format"_s, 1},       {u"order_id"_s, u"o-1"_s},   {u"status"_s, u"active"_s},
        {u"version"_s, 3}};
    payload.remove(key);
    QJsonObject whole = payload;
    whole.insert(key, raw);
    QCOMPARE(toCompactJsonWith(payload, key, qtCompact(raw)), qtCompact(whole));
    QCOMPARE(toCompactJsonWith(QJsonObject(), key, qtCompact(raw)),
             qtCompact(QJsonObject{{key, raw}}));
}

void JsonTest::storageTimesAreQts()
{
    // toStorageTime/fromStorageTime write and read the stored times themselves: the same as Qt's
    // ISODateWithMs in UTC, for times spread over the years, ones not in UTC, and odd texts.
    QList<QDateTime> times{at("2026-03-01T10:00:00.000Z"),
                           at("1970-01-01T00:00:00.001Z"),
                           at("0001-01-01T00:00:00.000Z"),
                           at("9999-12-31T23:59:59.999Z"),
                           QDateTime(QDate(2026, 3, 1), QTime(0, 30), Qt::OffsetFromUTC, 3600),
                           QDateTime(QDate(12345, 6, 7), QTime(1, 2, 3, 4), Qt::UTC),
                           QDateTime(QDate(-5, 6, 7), QTime(1, 2, 3, 4), Qt::UTC),
                           QDateTime()};
    for (qint64 ms = -62135596800000; ms < 253402300800000; ms += 987654321987)
        times.append(QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC));
    for (const QDateTime &time : times) {
        const QString text = toStorageTime(time);
        QCOMPARE(text, time.isValid() ? time.toUTC().toString(Qt::ISODateWithMs) : QString());
        const QDateTime read = fromStorageTime(text);
        const QDateTime qts =
            text.isEmpty() ? QDateTime() : QDateTime::fromString(text, Qt::ISODateWithMs).toUTC();
        QCOMPARE(read, qts);
        QCOMPARE(read.timeSpec(), qts.timeSpec());
        QCOMPARE(read.isValid(), qts.isValid());
    }
    for (const QString &odd : {u"2026-02-30T10:00:00.000Z"_s, u"2026-03-01T24:00:00.000Z"_s,
                               u"2026-03-01T10:00:00.000+01:00"_s, u"2026-03-01T10:00:00Z"_s,
                               u"2026-03-01T10:00:00.00xZ"_s, u"x026-03-01T10:00:00.000Z"_s,
                               u"0000-03-01T10:00:00.000Z"_s, u"nonsense"_s}) {
        const QDateTime qts = QDateTime::fromString(odd, Qt::ISODateWithMs).toUTC();
        QCOMPARE(fromStorageTime(odd), qts);
        QCOMPARE(fromStorageTime(odd).isValid(), qts.isValid());
    }
}

void JsonTest::actionsStoreQtsJson()
{
    Test::TestDatabase tdb;
    Database &db = tdb.db();
    CatalogService catalog(db);
    OrderService orders(db);
    VERIFY_OK(catalog.addTaxRate({u"STD"_s, u"Standard"_s, 2000}));
    VERIFY_OK(catalog.add(Product{u"J-STD"_s, typedText(), 1000, {}, u"STD"_s}));
    VERIFY_OK(catalog.add(Product{u"J-NONE"_s, u"Untaxed"_s, 333, {}, {}}));
    const QString alice = tdb.cashierId(u"Alice"_s);
    const OrderTarget byCashier = OrderTarget::byCashier(alice);

    // Every action that writes an order's stored result and outbox op, and what it returned.
    QList<std::pair<QString, Order>> done;
    const auto keep = [&](const QString &requestId, const Result<Order> &result) {
        QVERIFY2(result.isOk(), qPrintable(result.message()));
        done.append({requestId, *result});
    };
    const auto rid = [] { return Test::newId(); };
    QString id = rid();
    keep(id, orders.openOrResume(alice, id));
    const OrderTarget order = OrderTarget::byId(done.last().second.id);
    for (const QString &sku : {u"J-STD"_s, u"J-NONE"_s, u"J-STD"_s}) {
        id = rid();
        keep(id, orders.addProduct(order, sku, 2, id));
    }
    id = rid();
    keep(id, orders.discountLine(order, u"1"_s,
                                 Discount{DiscountKind::Percent, 1000, typedText(), alice},
                                 std::nullopt, id));
    id = rid();
    keep(id, orders.discountOrder(byCashier, Discount{DiscountKind::Amount, 50, u"loyal"_s, alice},
                                  std::nullopt, id));
    id = rid();
    keep(id, orders.overridePrice(order, u"2"_s, 300, u"dented \"tin\""_s,
                                  tdb.cashierId(u"Maria"_s), std::nullopt, id));
    id = rid();
    keep(id, orders.addProduct(byCashier, u"J-STD"_s, 1, id));
    id = rid();
    keep(id, orders.pay(order, PaymentRequest(PaymentMethod::Other, 500, 500, u"Voucher \u20ac"_s),
                        std::nullopt, id));
    id = rid();
    keep(id, orders.complete(order, PaymentRequest(PaymentMethod::Cash, 100000), std::nullopt, id));
    QCOMPARE(done.size(), qsizetype(10));

    for (const auto &[requestId, returned] : done) {
        const QByteArray stored =
            Test::queryValue(db, u"SELECT result FROM idempotency WHERE request_id = ?"_s,
                             {requestId})
                .toString()
                .toUtf8();
        QCOMPARE(stored, qtCompact(toJson(returned)));
    }

    // Every outbox op (those of these actions and of the catalog's) is Qt's compact JSON of what
    // it holds: keys sorted, Qt's escapes and numbers; and an order's op holds its sync state.
    QSqlQuery &ops = db.exec(u"SELECT request_id, payload FROM outbox ORDER BY seq"_s);
    QHash<QString, QByteArray> payloads;
    while (ops.next())
        payloads.insert(ops.value(0).toString(), ops.value(1).toString().toUtf8());
    ops.finish();
    QVERIFY(payloads.size() >= done.size());
    for (auto it = payloads.cbegin(); it != payloads.cend(); ++it) {
        const QJsonDocument parsed = QJsonDocument::fromJson(it.value());
        QVERIFY2(parsed.isObject(), it.value().constData());
        QCOMPARE(it.value(), parsed.toJson(QJsonDocument::Compact));
    }
    for (const auto &[requestId, returned] : done) {
        const QJsonObject op = QJsonDocument::fromJson(payloads.value(requestId)).object();
        QCOMPARE(op.value(u"order"_s).toObject(), toSyncJson(returned));
        QCOMPARE(op.value(u"format"_s).toInt(), 1);
        QCOMPARE(op.value(u"version"_s).toInt(), returned.version);
    }
}

QTEST_GUILESS_MAIN(JsonTest)
#include "tst_json.moc"
