// OrderService and TabService: every action's success and refusal, the state machine, idempotent
// replay, history and outbox, receipts, and constraints as the last line of defence. Outcomes are
// checked by reading the database back, and "nothing changed" by comparing a full dump of it.

#include "ActionJournal.h"
#include "CashierService.h"
#include "CatalogService.h"
#include "Database.h"
#include "Json.h"
#include "OrderService.h"
#include "ResultChecks.h"
#include "TabService.h"
#include "TestSupport.h"
#include "Validation.h"

#include <QCryptographicHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QSqlError>
#include <QSqlQuery>
#include <QSqlRecord>
#include <QTest>
#include <QUuid>

#include <functional>

using namespace Qt::StringLiterals;

namespace SafeTill {

namespace {

const QDateTime startTime = QDateTime::fromString(u"2026-03-01T10:00:00.000Z"_s, Qt::ISODateWithMs);

// What any action returned, in one comparable shape (orders and tabs alike).
struct Run
{
    Outcome outcome = Outcome::Error;
    bool replayed = false;
    QByteArray json;
    QString message;
};

template<typename T> Run run(const Result<T> &result)
{
    return Run{result.outcome(), result.replayed(),
               result.value()
                   ? QJsonDocument(toJson(*result.value())).toJson(QJsonDocument::Compact)
                   : QByteArray(),
               result.message()};
}

QJsonObject parseObject(const QVariant &text)
{
    return QJsonDocument::fromJson(text.toString().toUtf8()).object();
}

ItemSpec catalogItem(const QString &sku, int quantity)
{
    return ItemSpec{sku, {}, std::nullopt, quantity};
}

ItemSpec openPriceItem(const QString &name, std::optional<Cents> price, int quantity)
{
    return ItemSpec{{}, name, price, quantity};
}

// A catalog product sold at an open price, with the price the cashier entered.
ItemSpec pricedItem(const QString &sku, Cents price, int quantity)
{
    return ItemSpec{sku, {}, price, quantity};
}

} // namespace

class OrderServiceTest : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();

    // open / log out / resume
    void openCreatesActiveOrder();
    void openTwiceReturnsTheSameOrder();
    void openUnknownCashier();
    void logOutParksAndOpenResumes();
    void logOutTwiceIsInvalidState();
    void logOutWithoutOrder();
    void parkedOrderRefusesEditsById();
    void addByCashierResumesParkedOrder();

    // line edits
    void addProductCreatesAndRaisesLine();
    void addProductByCashierOpensOrder();
    void addProductRefusals_data();
    void addProductRefusals();
    void addProductBeyondMaximumQuantity();
    void addOpenPriceItem();
    void addOpenPriceItemRefusals_data();
    void addOpenPriceItemRefusals();
    void addOpenPriceProduct();
    void addOpenPriceProductRefusals_data();
    void addOpenPriceProductRefusals();
    void replaceLinesWithOpenPriceProducts();
    void setQuantity();
    void adjustQuantity();
    void removeLine();
    void replaceLinesWithRightVersion();
    void replaceLinesWithStaleVersion();
    void replaceLinesRefusals_data();
    void replaceLinesRefusals();

    // payment
    void completeCashWithChange();
    void completeCardExact();
    void completeTenderBelowTotal();
    void completeEmptyOrder();
    void completeStaleVersion();
    void completeWithoutExpectedVersion();
    void completeBadTender();
    void completedOrderRefusesEverything();

    // tabs
    void assignToTabCreatesTab();
    void secondOrderLandsOnSameTab();
    void assignRefusals();
    void settleTab();
    void settleTwice();
    void settleRefusals();

    // idempotency, request ids, not found
    void replay_data();
    void replay();
    void invalidRequestIds_data();
    void invalidRequestIds();
    void validRequestIdAtTheLimits();
    void notFoundPaths();

    // what actions leave behind
    void receiptNumbersUniqueAndIncreasing();
    void historyEntriesInOrder();
    void outboxOneRowPerActionInCommitOrder();
    void refusedActionsLeaveNoTrace();
    void sqlLookingStringsStoredVerbatim();
    void constraintViolationsAreTypedResults();
    void databaseFunctionWritesTheOwnersRows();
    void replaceFunctionWritesTheOwnersRows();
    void replaceFunctionBatchMatchesOneByOne();
    void batchFunctionsKeepTheirPlanSettings();
    void addFunctionBatchMatchesOneByOne();
    void functionRequestsCarryTheJournalsFingerprint();
    void functionsPriceOpenPriceProductsAsTheOwner();
    void fingerprintIsSha256OfTheCanonicalText();

private:
    Database &db() { return m_tdb->db(); }
    QString rid() { return u"req-%1"_s.arg(++m_requests); }
    // Each item added to Alice's order by the database function (server) and to Bob's by the
    // owner's statements (owner), one at a time as the clock ticks, under request ids
    // "<keyPrefix>-<n>-function" and "-owner": the same outcome and message each time.
    void addBothWays(OrderService &server, OrderService &owner, const QList<ItemSpec> &items,
                     const QString &keyPrefix)
    {
        int step = 0;
        for (const ItemSpec &item : items) {
            tick();
            const QString key = u"%1-%2"_s.arg(keyPrefix).arg(++step);
            const QList<Result<Order>> viaFunction =
                server.addToActiveOrders({{m_alice, item, key + u"-function"_s}});
            const Result<Order> viaOwner = owner.addToActiveOrder(m_bob, item, key + u"-owner"_s);
            QCOMPARE(viaFunction.size(), 1);
            QCOMPARE(int(viaFunction.constFirst().outcome()), int(viaOwner.outcome()));
            QCOMPARE(viaFunction.constFirst().message(), viaOwner.message());
        }
    }
    // The stored results of request `key` as the function ("-function") and the owner's
    // statements ("-owner") wrote them are the same but for what differs by nature: the order
    // and cashier ids and names, and each line's fresh line_id (appended to *lineIds).
    void compareStoredResults(const QString &key, QStringList *lineIds)
    {
        QJsonObject fromFunction = parseObject(value(
            u"SELECT result FROM idempotency WHERE request_id = ?"_s, {key + u"-function"_s}));
        QJsonObject fromOwner = parseObject(
            value(u"SELECT result FROM idempotency WHERE request_id = ?"_s, {key + u"-owner"_s}));
        QVERIFY(!fromFunction.isEmpty());
        for (QJsonObject *stored : {&fromFunction, &fromOwner}) {
            for (const QString &field : {u"id"_s, u"cashier_id"_s, u"cashier"_s})
                stored->remove(field);
            QJsonArray lines = stored->value(u"lines"_s).toArray();
            for (QJsonValueRef line : lines) {
                QJsonObject fields = line.toObject();
                lineIds->append(fields.take(u"line_id"_s).toString());
                line = fields;
            }
            stored->insert(u"lines"_s, lines);
        }
        QCOMPARE(fromFunction, fromOwner);
    }
    // A statement's rows for one order, each as its columns joined by '|' (NULL as <null>): what
    // the database functions and the owners wrote, compared text for text.
    QStringList rowsOf(const QString &sql, const QString &orderId)
    {
        QStringList out;
        QSqlQuery &query = db().exec(sql, {orderId});
        const int columns = query.record().count();
        while (query.next()) {
            QStringList row;
            for (int i = 0; i < columns; ++i)
                row << (query.value(i).isNull() ? u"<null>"_s : query.value(i).toString());
            out << row.join(u'|');
        }
        query.finish();
        return out;
    }
    QString now() const { return toStorageTime(m_clock->now()); }
    void tick() { m_clock->advance(60 * 1000); }
    int count(const QString &table, const QString &where = u"1 = 1"_s,
              const QVariantList &values = {})
    {
        return Test::queryValue(db(), u"SELECT COUNT(*) FROM %1 WHERE %2"_s.arg(table, where),
                                values)
            .toInt();
    }
    QVariant value(const QString &sql, const QVariantList &values = {})
    {
        return Test::queryValue(db(), sql, values);
    }
    QString prefix() { return value(u"SELECT receipt_prefix FROM terminal"_s).toString(); }
    // BAK-CRO (Croissant, 190 in the catalog) sold at an open price from now on.
    bool makeCroissantOpenPrice()
    {
        db().exec(u"UPDATE products SET open_price = 1 WHERE sku = 'BAK-CRO'"_s, {}).finish();
        return value(u"SELECT open_price FROM products WHERE sku = 'BAK-CRO'"_s).toInt() == 1;
    }
    QString dump();
    std::optional<Order> orderWith(const QString &cashierId,
                                   const QList<std::pair<QString, int>> &items);
    std::optional<Tab> tabWithTwoOrders(); // "Table 5": Alice ESP x1, Bob CRO x2 = 600 cents
    // For the batch functions' tests: `pairs` pairs of cashiers named "<prefix> <i>f" and "<i>o",
    // each with an open order that replaceLines() filled with items(i) (then at version 2);
    // cashiers[0] and orders[0] are the function's side, [1] their twins on the owner's side.
    // Both sides' pair 3 get 10 % off their line 1 and pair 4 on their order; BAK-MUF is retired.
    struct TwinOrders
    {
        QStringList cashiers[2];
        QStringList orders[2];
        Discount tenPercent;
    };
    void makeTwinOrders(const QString &prefix, int pairs,
                        const std::function<QList<ItemSpec>(int)> &items, TwinOrders *twins);
    // Each twin pair's order, lines and history, column for column (ids and line ids aside).
    void compareTwinRows(const TwinOrders &twins);

    std::unique_ptr<Test::TestDatabase> m_tdb;
    std::unique_ptr<ManualClock> m_clock;
    std::unique_ptr<OrderService> m_orders;
    std::unique_ptr<TabService> m_tabs;
    QString m_alice;
    QString m_bob;
    QString m_maria;
    int m_requests = 0;
};

void OrderServiceTest::initTestCase()
{
    SAFETILL_REQUIRE_TEST_BACKEND();
    qInfo("database: %s", Test::onPostgres() ? "PostgreSQL" : "SQLite");
}

void OrderServiceTest::init()
{
    m_tdb = std::make_unique<Test::TestDatabase>();
    m_clock = std::make_unique<ManualClock>(startTime);
    m_orders = std::make_unique<OrderService>(db(), *m_clock);
    m_tabs = std::make_unique<TabService>(db(), *m_clock);
    m_alice = m_tdb->cashierId(u"Alice"_s);
    m_bob = m_tdb->cashierId(u"Bob"_s);
    m_maria = m_tdb->cashierId(u"Maria"_s);
    m_requests = 0;
}

void OrderServiceTest::cleanup()
{
    // Invariants that hold after every test, whatever it did.
    if (m_tdb) {
        QVERIFY(Test::integrityOk(db()));
        QVERIFY(Test::foreignKeysOk(db()));
        // Every completed order is paid exactly once, by its own payment or its tab's.
        QCOMPARE(
            count(u"order_sessions o"_s,
                  u"status = 'completed' AND (SELECT COUNT(*) FROM payments p WHERE "
                  "p.order_id = o.id OR (o.tab_id IS NOT NULL AND p.tab_id = o.tab_id)) <> 1"_s),
            0);
        // An order's payment covers exactly its lines; a tab's covers all its orders' lines.
        QCOMPARE(count(u"payments p"_s,
                       u"p.order_id IS NOT NULL AND p.amount_cents <> (SELECT COALESCE(SUM("
                       "unit_price_cents * quantity), 0) FROM order_lines WHERE order_id = "
                       "p.order_id)"_s),
                 0);
        QCOMPARE(count(u"payments p"_s,
                       u"p.tab_id IS NOT NULL AND p.amount_cents <> (SELECT COALESCE(SUM("
                       "l.unit_price_cents * l.quantity), 0) FROM order_lines l JOIN "
                       "order_sessions o ON o.id = l.order_id WHERE o.tab_id = p.tab_id)"_s),
                 0);
    }
    m_tabs.reset();
    m_orders.reset();
    m_tdb.reset();
    m_clock.reset();
}

QString OrderServiceTest::dump()
{
    QStringList parts;
    const QStringList queries{
        u"SELECT * FROM order_sessions ORDER BY id"_s,
        u"SELECT * FROM order_lines ORDER BY order_id, line_no"_s,
        u"SELECT * FROM tabs ORDER BY id"_s,
        u"SELECT * FROM payments ORDER BY id"_s,
        u"SELECT * FROM idempotency ORDER BY request_id"_s,
        u"SELECT * FROM outbox ORDER BY seq"_s,
        u"SELECT * FROM order_history ORDER BY id"_s,
        u"SELECT * FROM terminal"_s,
        u"SELECT * FROM products ORDER BY sku"_s,
        u"SELECT * FROM cashiers ORDER BY id"_s,
    };
    for (const QString &sql : queries) {
        QSqlQuery query(db().connection());
        if (!query.exec(sql)) {
            parts << query.lastError().text();
            continue;
        }
        const int columns = query.record().count();
        while (query.next()) {
            QStringList row;
            for (int i = 0; i < columns; ++i)
                row << (query.value(i).isNull() ? u"<null>"_s : query.value(i).toString());
            parts << row.join(u'|');
        }
        parts << u"----"_s;
    }
    return parts.join(u'\n');
}

std::optional<Order> OrderServiceTest::orderWith(const QString &cashierId,
                                                 const QList<std::pair<QString, int>> &items)
{
    Result<Order> order = m_orders->openOrResume(cashierId, rid());
    for (const auto &[sku, quantity] : items) {
        if (!order)
            break;
        order = m_orders->addProduct(OrderTarget::byId(order->id), sku, quantity, rid());
    }
    if (!order) {
        qWarning("setting up an order failed: %s", qPrintable(order.message()));
        return std::nullopt;
    }
    return *order;
}

std::optional<Tab> OrderServiceTest::tabWithTwoOrders()
{
    const std::optional<Order> first = orderWith(m_alice, {{u"COF-ESP"_s, 1}});
    const std::optional<Order> second = orderWith(m_bob, {{u"BAK-CRO"_s, 2}});
    if (!first || !second)
        return std::nullopt;
    const Result<Order> a =
        m_orders->assignToTab(OrderTarget::byId(first->id), u"Table 5"_s, std::nullopt, rid());
    const Result<Order> b =
        m_orders->assignToTab(OrderTarget::byId(second->id), u"Table 5"_s, std::nullopt, rid());
    if (!a || !b)
        return std::nullopt;
    const Result<Tab> tab = m_tabs->tab(u"Table 5"_s);
    if (!tab)
        return std::nullopt;
    return *tab;
}

// ---------------------------------------------------------------------------------------------
// open / log out / resume

void OrderServiceTest::openCreatesActiveOrder()
{
    const Result<Order> opened = m_orders->openOrResume(m_alice, u"open-1"_s);
    VERIFY_OK(opened);
    QVERIFY(!opened.replayed());
    QVERIFY(!QUuid::fromString(opened->id).isNull());
    QCOMPARE(toString(opened->status), toString(OrderStatus::Active));
    QCOMPARE(opened->version, 1);
    QCOMPARE(opened->cashierId, m_alice);
    QCOMPARE(opened->cashierName, u"Alice"_s);
    QVERIFY(opened->lines.isEmpty());
    QCOMPARE(opened->createdAt, startTime);
    QCOMPARE(opened->updatedAt, startTime);
    QVERIFY(!opened->logoutTime.isValid());
    QVERIFY(!opened->completedAt.isValid());
    QVERIFY(!opened->payment);
    QVERIFY(opened->tabId.isEmpty());
    QVERIFY(opened->receiptNo.isEmpty());

    const QString id = opened->id;
    QCOMPARE(count(u"order_sessions"_s), 1);
    QCOMPARE(value(u"SELECT status FROM order_sessions WHERE id = ?"_s, {id}).toString(),
             u"active"_s);
    QCOMPARE(value(u"SELECT version FROM order_sessions WHERE id = ?"_s, {id}).toInt(), 1);
    QCOMPARE(value(u"SELECT cashier_id FROM order_sessions WHERE id = ?"_s, {id}).toString(),
             m_alice);
    QCOMPARE(value(u"SELECT created_at FROM order_sessions WHERE id = ?"_s, {id}).toString(),
             u"2026-03-01T10:00:00.000Z"_s);
    QCOMPARE(value(u"SELECT updated_at FROM order_sessions WHERE id = ?"_s, {id}).toString(),
             u"2026-03-01T10:00:00.000Z"_s);

    QCOMPARE(count(u"order_history"_s), 1);
    QCOMPARE(value(u"SELECT action FROM order_history"_s).toString(), u"open"_s);
    QVERIFY(value(u"SELECT from_version FROM order_history"_s).isNull());
    QVERIFY(value(u"SELECT from_status FROM order_history"_s).isNull()); // nothing came before
    QCOMPARE(value(u"SELECT to_version FROM order_history"_s).toInt(), 1);
    QCOMPARE(value(u"SELECT to_status FROM order_history"_s).toString(), u"active"_s);
    QCOMPARE(value(u"SELECT request_id FROM order_history"_s).toString(), u"open-1"_s);
    QCOMPARE(value(u"SELECT cashier_id FROM order_history"_s).toString(), m_alice);
    QCOMPARE(value(u"SELECT at FROM order_history"_s).toString(), u"2026-03-01T10:00:00.000Z"_s);

    QCOMPARE(count(u"outbox"_s), 1);
    QCOMPARE(value(u"SELECT op FROM outbox"_s).toString(), u"open"_s);
    QCOMPARE(value(u"SELECT request_id FROM outbox"_s).toString(), u"open-1"_s);
    QCOMPARE(value(u"SELECT order_id FROM outbox"_s).toString(), id);
    QCOMPARE(value(u"SELECT state FROM outbox"_s).toString(), u"pending"_s);
    const QJsonObject payload = parseObject(value(u"SELECT payload FROM outbox"_s));
    QCOMPARE(payload.value(u"order_id"_s).toString(), id);
    QCOMPARE(payload.value(u"version"_s).toInt(), 1);
    QCOMPARE(payload.value(u"status"_s).toString(), u"active"_s);
    QCOMPARE(payload.value(u"cashier_id"_s).toString(), m_alice);

    QCOMPARE(count(u"idempotency"_s, u"request_id = 'open-1' AND action = 'open'"_s), 1);

    const Result<Order> current = m_orders->openOrderOf(m_alice);
    VERIFY_OK(current);
    QCOMPARE(current->id, id);
}

void OrderServiceTest::openTwiceReturnsTheSameOrder()
{
    const Result<Order> first = m_orders->openOrResume(m_alice, rid());
    VERIFY_OK(first);
    tick();
    const Result<Order> second = m_orders->openOrResume(m_alice, rid());
    VERIFY_OK(second);
    QVERIFY(!second.replayed()); // a new request, answered with the order that is already open
    QCOMPARE(second->id, first->id);
    QCOMPARE(second->version, 1);
    QCOMPARE(second->updatedAt, startTime); // nothing changed
    QCOMPARE(count(u"order_sessions"_s), 1);
    QCOMPARE(count(u"order_history"_s), 1);
    QCOMPARE(count(u"outbox"_s), 1);

    const Result<Order> bobs = m_orders->openOrResume(m_bob, rid());
    VERIFY_OK(bobs);
    QVERIFY(bobs->id != first->id);
    QCOMPARE(count(u"order_sessions"_s, u"status = 'active'"_s), 2);
}

void OrderServiceTest::openUnknownCashier()
{
    const QString before = dump();
    for (const QString &cashier : {u"no-such-cashier"_s, u"' OR '1'='1"_s, QString()}) {
        const Result<Order> opened = m_orders->openOrResume(cashier, rid());
        VERIFY_OUTCOME(opened, Outcome::NotFound);
        QVERIFY(!opened.message().isEmpty());
    }
    QCOMPARE(dump(), before);
    QCOMPARE(count(u"order_sessions"_s), 0);
}

void OrderServiceTest::logOutParksAndOpenResumes()
{
    const std::optional<Order> order = orderWith(m_alice, {{u"COF-ESP"_s, 2}});
    QVERIFY(order);
    QCOMPARE(order->version, 2);
    tick();
    const QString logoutAt = now();
    const Result<Order> parked = m_orders->logOut(OrderTarget::byId(order->id), u"logout-1"_s);
    VERIFY_OK(parked);
    QCOMPARE(toString(parked->status), toString(OrderStatus::PendingLogout));
    QCOMPARE(parked->version, 3);
    QCOMPARE(parked->logoutTime, m_clock->now());
    QCOMPARE(parked->updatedAt, m_clock->now());
    QCOMPARE(parked->lines.size(), 1);
    QCOMPARE(parked->lines.at(0).quantity, 2);
    QCOMPARE(value(u"SELECT status FROM order_sessions"_s).toString(), u"pending_logout"_s);
    QCOMPARE(value(u"SELECT logout_time FROM order_sessions"_s).toString(), logoutAt);
    QCOMPARE(value(u"SELECT version FROM order_sessions"_s).toInt(), 3);
    const QJsonObject payload =
        parseObject(value(u"SELECT payload FROM outbox WHERE request_id = 'logout-1'"_s));
    QCOMPARE(payload.value(u"logout_time"_s).toString(), logoutAt);
    QCOMPARE(payload.value(u"status"_s).toString(), u"pending_logout"_s);
    QCOMPARE(payload.value(u"version"_s).toInt(), 3);

    // The parked order still counts as the cashier's open order.
    const Result<Order> current = m_orders->openOrderOf(m_alice);
    VERIFY_OK(current);
    QCOMPARE(current->id, order->id);

    tick();
    const Result<Order> resumed = m_orders->openOrResume(m_alice, u"open-2"_s);
    VERIFY_OK(resumed);
    QCOMPARE(resumed->id, order->id);
    QCOMPARE(toString(resumed->status), toString(OrderStatus::Active));
    QCOMPARE(resumed->version, 4);
    QVERIFY(!resumed->logoutTime.isValid());
    QCOMPARE(resumed->updatedAt, m_clock->now());
    QCOMPARE(resumed->lines.size(), 1); // the order was kept, never lost
    QCOMPARE(resumed->lines.at(0).quantity, 2);
    QCOMPARE(count(u"order_sessions"_s), 1);
    QVERIFY(value(u"SELECT logout_time FROM order_sessions"_s).isNull());
    QCOMPARE(value(u"SELECT status FROM order_sessions"_s).toString(), u"active"_s);

    QCOMPARE(value(u"SELECT action FROM order_history ORDER BY id DESC LIMIT 1"_s).toString(),
             u"resume"_s);
    QCOMPARE(value(u"SELECT from_version FROM order_history ORDER BY id DESC LIMIT 1"_s).toInt(),
             3);
    QCOMPARE(value(u"SELECT to_version FROM order_history ORDER BY id DESC LIMIT 1"_s).toInt(), 4);
    QCOMPARE(value(u"SELECT from_status FROM order_history ORDER BY id DESC LIMIT 1"_s).toString(),
             u"pending_logout"_s);
    QCOMPARE(value(u"SELECT to_status FROM order_history ORDER BY id DESC LIMIT 1"_s).toString(),
             u"active"_s);
    QCOMPARE(value(u"SELECT op FROM outbox ORDER BY seq DESC LIMIT 1"_s).toString(), u"resume"_s);
}

void OrderServiceTest::logOutTwiceIsInvalidState()
{
    const std::optional<Order> order = orderWith(m_alice, {});
    QVERIFY(order);
    VERIFY_OK(m_orders->logOut(OrderTarget::byId(order->id), rid()));
    const QString firstLogout = value(u"SELECT logout_time FROM order_sessions"_s).toString();
    QCOMPARE(firstLogout, now());
    const QString before = dump();

    tick();
    for (const OrderTarget &target :
         {OrderTarget::byId(order->id), OrderTarget::byCashier(m_alice)}) {
        const Result<Order> again = m_orders->logOut(target, rid());
        VERIFY_OUTCOME(again, Outcome::InvalidState);
        QVERIFY(again.value());
        QCOMPARE(toString(again->status), toString(OrderStatus::PendingLogout));
        QCOMPARE(again->version, 2);
        QVERIFY2(again.message().contains(u"logged out"_s), qPrintable(again.message()));
    }
    QCOMPARE(dump(), before);
    QCOMPARE(value(u"SELECT logout_time FROM order_sessions"_s).toString(), firstLogout);
    QCOMPARE(count(u"order_history"_s, u"action = 'logout'"_s), 1);
    QCOMPARE(count(u"outbox"_s, u"op = 'logout'"_s), 1);
}

void OrderServiceTest::logOutWithoutOrder()
{
    const QString before = dump();
    VERIFY_OUTCOME(m_orders->logOut(OrderTarget::byCashier(m_bob), rid()), Outcome::NotFound);
    VERIFY_OUTCOME(m_orders->logOut(OrderTarget::byCashier(u"nobody"_s), rid()), Outcome::NotFound);
    VERIFY_OUTCOME(m_orders->logOut(OrderTarget::byId(u"no-such-order"_s), rid()),
                   Outcome::NotFound);
    QCOMPARE(dump(), before);
}

void OrderServiceTest::parkedOrderRefusesEditsById()
{
    const std::optional<Order> order = orderWith(m_alice, {{u"COF-ESP"_s, 1}});
    QVERIFY(order);
    VERIFY_OK(m_orders->logOut(OrderTarget::byId(order->id), rid()));
    const QString before = dump();
    const OrderTarget target = OrderTarget::byId(order->id);

    QList<Result<Order>> results;
    results << m_orders->addProduct(target, u"COF-LAT"_s, 1, rid());
    results << m_orders->setQuantity(target, 1, 3, rid());
    results << m_orders->adjustQuantity(target, 1, 1, rid());
    results << m_orders->removeLine(target, 1, rid());
    results << m_orders->replaceLines(target, {catalogItem(u"COF-LAT"_s, 1)}, 3, rid());
    results << m_orders->complete(target, {PaymentMethod::Cash, 1000}, 3, rid());
    results << m_orders->assignToTab(target, u"Table 1"_s, std::nullopt, rid());
    for (const Result<Order> &result : std::as_const(results)) {
        VERIFY_OUTCOME(result, Outcome::InvalidState);
        QVERIFY(result.value());
        QCOMPARE(toString(result->status), toString(OrderStatus::PendingLogout));
        QVERIFY2(result.message().contains(u"Alice"_s), qPrintable(result.message()));
    }
    QCOMPARE(dump(), before);
}

void OrderServiceTest::addByCashierResumesParkedOrder()
{
    const std::optional<Order> order = orderWith(m_alice, {{u"COF-ESP"_s, 1}});
    QVERIFY(order);
    VERIFY_OK(m_orders->logOut(OrderTarget::byId(order->id), rid()));
    tick();
    const Result<Order> added =
        m_orders->addProduct(OrderTarget::byCashier(m_alice), u"COF-ESP"_s, 1, u"add-back"_s);
    VERIFY_OK(added);
    QCOMPARE(added->id, order->id);
    QCOMPARE(toString(added->status), toString(OrderStatus::Active));
    QCOMPARE(added->version, 5); // 3 after log-out, 4 resumed, 5 with the item
    QCOMPARE(added->lines.size(), 1);
    QCOMPARE(added->lines.at(0).quantity, 2);
    QCOMPARE(count(u"order_sessions"_s), 1);
    QCOMPARE(count(u"order_history"_s, u"request_id = 'add-back'"_s), 2);
    QCOMPARE(count(u"outbox"_s, u"request_id = 'add-back:open' AND op = 'resume'"_s), 1);
    QCOMPARE(count(u"outbox"_s, u"request_id = 'add-back' AND op = 'add_item'"_s), 1);
}

// ---------------------------------------------------------------------------------------------
// line edits

void OrderServiceTest::addProductCreatesAndRaisesLine()
{
    const Result<Order> opened = m_orders->openOrResume(m_alice, rid());
    VERIFY_OK(opened);
    const OrderTarget target = OrderTarget::byId(opened->id);

    tick();
    const Result<Order> a = m_orders->addProduct(target, u"COF-ESP"_s, 2, rid());
    VERIFY_OK(a);
    QCOMPARE(a->version, 2);
    QCOMPARE(a->updatedAt, m_clock->now());
    QCOMPARE(a->lines.size(), 1);
    QCOMPARE(a->lines.at(0).lineNo, 1);
    QCOMPARE(a->lines.at(0).sku, u"COF-ESP"_s);
    QCOMPARE(a->lines.at(0).name, u"Espresso"_s);
    QCOMPARE(a->lines.at(0).unitPriceCents, Cents(220));
    QCOMPARE(a->lines.at(0).quantity, 2);
    QCOMPARE(a->totalCents(), Cents(440));

    const Result<Order> b = m_orders->addProduct(target, u"BAK-CRO"_s, 1, rid());
    VERIFY_OK(b);
    QCOMPARE(b->version, 3);
    QCOMPARE(b->lines.size(), 2);
    QCOMPARE(b->lines.at(1).lineNo, 2);
    QCOMPARE(b->lines.at(1).unitPriceCents, Cents(190));

    // The same product again raises its line instead of adding one.
    const Result<Order> c = m_orders->addProduct(target, u"COF-ESP"_s, 3, rid());
    VERIFY_OK(c);
    QCOMPARE(c->version, 4);
    QCOMPARE(c->lines.size(), 2);
    QCOMPARE(c->lines.at(0).quantity, 5);
    QCOMPARE(c->totalCents(), Cents(5 * 220 + 190));
    QCOMPARE(count(u"order_lines"_s), 2);
    QCOMPARE(value(u"SELECT quantity FROM order_lines WHERE sku = 'COF-ESP'"_s).toInt(), 5);
    QCOMPARE(value(u"SELECT version FROM order_sessions"_s).toInt(), 4);
    QCOMPARE(value(u"SELECT updated_at FROM order_sessions"_s).toString(), now());

    // A line keeps the price it was sold at when the catalog changes.
    db().exec(u"UPDATE products SET price_cents = 999 WHERE sku = 'COF-ESP'"_s);
    const Result<Order> d = m_orders->addProduct(target, u"COF-ESP"_s, 1, rid());
    VERIFY_OK(d);
    QCOMPARE(d->lines.at(0).quantity, 6);
    QCOMPARE(d->lines.at(0).unitPriceCents, Cents(220));

    const QJsonObject payload =
        parseObject(value(u"SELECT payload FROM outbox ORDER BY seq DESC LIMIT 1"_s));
    QCOMPARE(payload.value(u"sku"_s).toString(), u"COF-ESP"_s);
    QCOMPARE(payload.value(u"qty"_s).toInt(), 1);
    QCOMPARE(payload.value(u"order_id"_s).toString(), opened->id);
    QCOMPARE(payload.value(u"version"_s).toInt(), 5);
}

void OrderServiceTest::addProductByCashierOpensOrder()
{
    const Result<Order> added =
        m_orders->addProduct(OrderTarget::byCashier(m_bob), u"COF-LAT"_s, 1, u"add-bob"_s);
    VERIFY_OK(added);
    QCOMPARE(toString(added->status), toString(OrderStatus::Active));
    QCOMPARE(added->cashierId, m_bob);
    QCOMPARE(added->version, 2);
    QCOMPARE(added->lines.size(), 1);
    QCOMPARE(added->totalCents(), Cents(340));
    QCOMPARE(count(u"order_sessions"_s, u"cashier_id = ?"_s, {m_bob}), 1);

    const Result<QList<HistoryEntry>> history = m_orders->history(added->id);
    VERIFY_OK(history);
    QCOMPARE(history->size(), 2);
    QCOMPARE(history->at(0).action, u"open"_s);
    QCOMPARE(history->at(0).toVersion, 1);
    QCOMPARE(history->at(0).requestId, u"add-bob"_s);
    QCOMPARE(history->at(1).action, u"add_item"_s);
    QCOMPARE(history->at(1).fromVersion, std::optional<int>(1));
    QCOMPARE(history->at(1).toVersion, 2);

    // Two outbox rows, each with a request id of its own, in commit order.
    QCOMPARE(value(u"SELECT request_id FROM outbox ORDER BY seq LIMIT 1"_s).toString(),
             u"add-bob:open"_s);
    QCOMPARE(value(u"SELECT op FROM outbox ORDER BY seq LIMIT 1"_s).toString(), u"open"_s);
    QCOMPARE(value(u"SELECT request_id FROM outbox ORDER BY seq DESC LIMIT 1"_s).toString(),
             u"add-bob"_s);
    QCOMPARE(count(u"outbox"_s), 2);

    const Result<Order> more =
        m_orders->addProduct(OrderTarget::byCashier(m_bob), u"BAK-CRO"_s, 2, rid());
    VERIFY_OK(more);
    QCOMPARE(more->id, added->id);
    QCOMPARE(more->version, 3);
    QCOMPARE(count(u"order_sessions"_s), 1);
}

void OrderServiceTest::addProductRefusals_data()
{
    QTest::addColumn<QString>("target");
    QTest::addColumn<QString>("sku");
    QTest::addColumn<int>("quantity");
    QTest::addColumn<Outcome>("expected");

    QTest::newRow("quantity zero") << u"id"_s << u"COF-ESP"_s << 0 << Outcome::InvalidInput;
    QTest::newRow("quantity negative") << u"id"_s << u"COF-ESP"_s << -3 << Outcome::InvalidInput;
    QTest::newRow("quantity too big") << u"id"_s << u"COF-ESP"_s << 10000 << Outcome::InvalidInput;
    QTest::newRow("empty sku") << u"id"_s << QString() << 1 << Outcome::InvalidInput;
    QTest::newRow("sku with space") << u"id"_s << u"COF ESP"_s << 1 << Outcome::InvalidInput;
    QTest::newRow("sku too long") << u"id"_s << QString(65, u'X') << 1 << Outcome::InvalidInput;
    QTest::newRow("sku control char") << u"id"_s << u"COF\u0001"_s << 1 << Outcome::InvalidInput;
    QTest::newRow("unknown sku") << u"id"_s << u"NOPE-1"_s << 1 << Outcome::NotFound;
    QTest::newRow("sql-looking sku") << u"id"_s << u"x'OR'1'='1"_s << 1 << Outcome::NotFound;
    QTest::newRow("sku differs in case") << u"id"_s << u"cof-esp"_s << 1 << Outcome::NotFound;
    QTest::newRow("unknown order") << u"unknown-order"_s << u"COF-ESP"_s << 1 << Outcome::NotFound;
    QTest::newRow("unknown cashier")
        << u"unknown-cashier"_s << u"COF-ESP"_s << 1 << Outcome::NotFound;
    QTest::newRow("unknown sku by cashier") << u"cashier"_s << u"NOPE"_s << 1 << Outcome::NotFound;
}

void OrderServiceTest::addProductRefusals()
{
    QFETCH(QString, target);
    QFETCH(QString, sku);
    QFETCH(int, quantity);
    QFETCH(Outcome, expected);
    const std::optional<Order> order = orderWith(m_alice, {{u"COF-ESP"_s, 1}});
    QVERIFY(order);
    const QString before = dump();
    const OrderTarget resolved = target == u"id"_s              ? OrderTarget::byId(order->id)
                                 : target == u"unknown-order"_s ? OrderTarget::byId(u"nope"_s)
                                 : target == u"unknown-cashier"_s
                                     ? OrderTarget::byCashier(u"nope"_s)
                                     : OrderTarget::byCashier(m_bob);
    tick();
    const Result<Order> result = m_orders->addProduct(resolved, sku, quantity, u"refused"_s);
    VERIFY_OUTCOME(result, expected);
    QVERIFY(!result.message().isEmpty());
    QCOMPARE(dump(), before); // nothing: not the version bump, not an order for Bob, no journal
    QCOMPARE(count(u"idempotency"_s, u"request_id = 'refused'"_s), 0);
}

void OrderServiceTest::addOpenPriceItem()
{
    const std::optional<Order> order = orderWith(m_alice, {{u"COF-ESP"_s, 1}});
    QVERIFY(order);
    const OrderTarget target = OrderTarget::byId(order->id);
    tick();
    const Result<Order> a =
        m_orders->addOpenPriceItem(target, u"  Gift   wrap "_s, 250, 2, u"open-price-1"_s);
    VERIFY_OK(a);
    QCOMPARE(a->version, order->version + 1);
    QCOMPARE(a->lines.size(), 2);
    const OrderLine &line = a->lines.at(1);
    QCOMPARE(line.lineNo, 2);
    QVERIFY(line.sku.isEmpty());
    QCOMPARE(line.name, u"Gift wrap"_s);
    QCOMPARE(line.unitPriceCents, Cents(250));
    QCOMPARE(line.quantity, 2);
    QCOMPARE(a->totalCents(), order->totalCents() + 500);

    // The same thing again is a line of its own (open-price lines are never merged), free is fine.
    const Result<Order> b = m_orders->addOpenPriceItem(target, u"Gift wrap"_s, 0, 1, rid());
    VERIFY_OK(b);
    QCOMPARE(b->lines.size(), 3);
    QCOMPARE(b->lines.at(2).unitPriceCents, Cents(0));

    // One journaled action: history, outbox and stored result; a replay changes nothing.
    QCOMPARE(
        count(u"order_history"_s, u"request_id = 'open-price-1' AND action = 'add_open_item'"_s),
        1);
    QCOMPARE(count(u"outbox"_s, u"request_id = 'open-price-1' AND op = 'add_open_item'"_s), 1);
    const QString before = dump();
    const Result<Order> replay =
        m_orders->addOpenPriceItem(target, u"Gift wrap"_s, 250, 2, u"open-price-1"_s);
    VERIFY_OK(replay);
    QVERIFY(replay.replayed());
    QCOMPARE(replay->version, a->version);
    QCOMPARE(dump(), before);
    // The same request id for another item: refused, nothing changed.
    VERIFY_OUTCOME(m_orders->addOpenPriceItem(target, u"Gift wrap"_s, 999, 2, u"open-price-1"_s),
                   Outcome::InvalidInput);
    QCOMPARE(dump(), before);
    // By cashier: the open order.
    const Result<Order> byCashier =
        m_orders->addOpenPriceItem(OrderTarget::byCashier(m_alice), u"Bag"_s, 10, 1, rid());
    VERIFY_OK(byCashier);
    QCOMPARE(byCashier->id, order->id);
    QCOMPARE(byCashier->lines.size(), 4);
}

void OrderServiceTest::addOpenPriceItemRefusals_data()
{
    QTest::addColumn<QString>("target");
    QTest::addColumn<QString>("name");
    QTest::addColumn<qint64>("price");
    QTest::addColumn<int>("quantity");
    QTest::addColumn<Outcome>("expected");

    QTest::newRow("negative price")
        << u"id"_s << u"X"_s << qint64(-1) << 1 << Outcome::InvalidInput;
    QTest::newRow("absurd price") << u"id"_s << u"X"_s << qint64(Limits::maxPriceCents + 1) << 1
                                  << Outcome::InvalidInput;
    QTest::newRow("quantity zero") << u"id"_s << u"X"_s << qint64(1) << 0 << Outcome::InvalidInput;
    QTest::newRow("quantity negative")
        << u"id"_s << u"X"_s << qint64(1) << -2 << Outcome::InvalidInput;
    QTest::newRow("quantity too big")
        << u"id"_s << u"X"_s << qint64(1) << Limits::maxQuantity + 1 << Outcome::InvalidInput;
    QTest::newRow("empty name") << u"id"_s << QString() << qint64(1) << 1 << Outcome::InvalidInput;
    QTest::newRow("blank name") << u"id"_s << u"   "_s << qint64(1) << 1 << Outcome::InvalidInput;
    QTest::newRow("control char") << u"id"_s << u"a\u0007b"_s << qint64(1) << 1
                                  << Outcome::InvalidInput;
    QTest::newRow("name too long") << u"id"_s << QString(Limits::maxProductNameLength + 1, u'n')
                                   << qint64(1) << 1 << Outcome::InvalidInput;
    QTest::newRow("unknown order")
        << u"unknown-order"_s << u"X"_s << qint64(1) << 1 << Outcome::NotFound;
    QTest::newRow("cashier without order")
        << u"cashier"_s << u"X"_s << qint64(1) << 1 << Outcome::NotFound;
    QTest::newRow("parked order") << u"parked"_s << u"X"_s << qint64(1) << 1
                                  << Outcome::InvalidState;
}

void OrderServiceTest::addOpenPriceItemRefusals()
{
    QFETCH(QString, target);
    QFETCH(QString, name);
    QFETCH(qint64, price);
    QFETCH(int, quantity);
    QFETCH(Outcome, expected);
    const std::optional<Order> order = orderWith(m_alice, {{u"COF-ESP"_s, 1}});
    QVERIFY(order);
    if (target == u"parked"_s)
        VERIFY_OK(m_orders->logOut(OrderTarget::byId(order->id), rid()));
    const QString before = dump();
    const OrderTarget resolved = target == u"unknown-order"_s ? OrderTarget::byId(u"nope"_s)
                                 : target == u"cashier"_s     ? OrderTarget::byCashier(m_bob)
                                                              : OrderTarget::byId(order->id);
    tick();
    const Result<Order> result =
        m_orders->addOpenPriceItem(resolved, name, price, quantity, u"refused"_s);
    VERIFY_OUTCOME(result, expected);
    QVERIFY(!result.message().isEmpty());
    QCOMPARE(dump(), before); // nothing: no line, no version bump, no journal
    QCOMPARE(count(u"idempotency"_s, u"request_id = 'refused'"_s), 0);
}

void OrderServiceTest::addProductBeyondMaximumQuantity()
{
    const std::optional<Order> order = orderWith(m_alice, {{u"COF-ESP"_s, Limits::maxQuantity}});
    QVERIFY(order);
    QCOMPARE(order->lines.at(0).quantity, 9999);
    const QString before = dump();
    const Result<Order> more =
        m_orders->addProduct(OrderTarget::byId(order->id), u"COF-ESP"_s, 1, rid());
    VERIFY_OUTCOME(more, Outcome::InvalidInput);
    QVERIFY(more.message().contains(u"9999"_s));
    QCOMPARE(dump(), before);
}

// Issue 16: a catalog product sold at an open price takes the price the cashier entered. Its line
// keeps the SKU, name and tax rate and is no price override (no list price, no reason, no
// approver); the same price again raises that line, another price is a line of its own.
void OrderServiceTest::addOpenPriceProduct()
{
    QVERIFY(makeCroissantOpenPrice());
    db().exec(u"UPDATE products SET tax_code = (SELECT MIN(code) FROM tax_rates) "
              "WHERE sku = 'BAK-CRO'"_s,
              {})
        .finish();
    const QString taxCode =
        value(u"SELECT tax_code FROM products WHERE sku = 'BAK-CRO'"_s).toString();
    const std::optional<Order> order = orderWith(m_alice, {{u"COF-ESP"_s, 1}});
    QVERIFY(order);
    const OrderTarget target = OrderTarget::byId(order->id);
    tick();
    const Result<Order> a = m_orders->addProduct(target, u"BAK-CRO"_s, 1, u"entered-1"_s, 450);
    VERIFY_OK(a);
    QCOMPARE(a->lines.size(), 2);
    const OrderLine &line = a->lines.at(1);
    QCOMPARE(line.sku, u"BAK-CRO"_s);
    QCOMPARE(line.name, u"Croissant"_s);
    QCOMPARE(line.unitPriceCents, Cents(450));
    QCOMPARE(line.taxCode, taxCode);
    QVERIFY(!line.listPriceCents); // not an override
    QVERIFY(line.priceReason.isEmpty());
    QCOMPARE(a->totalCents(), order->totalCents() + 450);
    QCOMPARE(value(u"SELECT list_price_cents FROM order_lines WHERE order_id = ? AND line_no = 2"_s,
                   {order->id})
                 .isNull(),
             true);
    QCOMPARE(count(u"order_history"_s, u"request_id = 'entered-1' AND action = 'add_item' AND "
                                       "(approved_by IS NULL OR approved_by = '')"_s),
             1);

    // The same price again: the same line; another price: a line of its own.
    const Result<Order> b = m_orders->addProduct(target, u"BAK-CRO"_s, 2, rid(), 450);
    VERIFY_OK(b);
    QCOMPARE(b->lines.size(), 2);
    QCOMPARE(b->lines.at(1).quantity, 3);
    const Result<Order> c = m_orders->addProduct(target, u"BAK-CRO"_s, 1, rid(), 300);
    VERIFY_OK(c);
    QCOMPARE(c->lines.size(), 3);
    QCOMPARE(c->lines.at(1).unitPriceCents, Cents(450));
    QCOMPARE(c->lines.at(1).quantity, 3);
    QCOMPARE(c->lines.at(2).sku, u"BAK-CRO"_s);
    QCOMPARE(c->lines.at(2).unitPriceCents, Cents(300));
    QCOMPARE(c->lines.at(2).quantity, 1);
    QCOMPARE(c->totalCents(), order->totalCents() + 3 * 450 + 300);
    // The bounds: free and the most a price may be are prices too.
    VERIFY_OK(m_orders->addProduct(target, u"BAK-CRO"_s, 1, rid(), 0));
    const Result<Order> most =
        m_orders->addProduct(target, u"BAK-CRO"_s, 1, rid(), Limits::maxPriceCents);
    VERIFY_OK(most);
    QCOMPARE(most->lines.size(), 5);
    QCOMPARE(most->lines.at(4).unitPriceCents, Limits::maxPriceCents);

    // Through the server API's add (an ItemSpec with a SKU and a price) too, and its sync op
    // carries the entered price.
    const Result<Order> api =
        m_orders->addToActiveOrder(m_alice, pricedItem(u"BAK-CRO"_s, 275, 1), u"api-1"_s);
    VERIFY_OK(api);
    QCOMPARE(api->lines.size(), 6);
    QCOMPARE(api->lines.at(5).unitPriceCents, Cents(275));
    const QJsonObject op =
        parseObject(value(u"SELECT payload FROM outbox WHERE request_id = 'api-1'"_s));
    QCOMPARE(op.value(u"unit_price_cents"_s).toInteger(), 275);
    // A replay is the same answer; the id for another price is reused.
    const Result<Order> replay = m_orders->addProduct(target, u"BAK-CRO"_s, 1, u"entered-1"_s, 450);
    VERIFY_OK(replay);
    QVERIFY(replay.replayed());
    VERIFY_OUTCOME(m_orders->addProduct(target, u"BAK-CRO"_s, 1, u"entered-1"_s, 451),
                   Outcome::InvalidInput);
}

void OrderServiceTest::addOpenPriceProductRefusals_data()
{
    QTest::addColumn<QString>("sku");
    QTest::addColumn<qint64>("price"); // -2: none entered
    QTest::addColumn<QString>("says");

    QTest::newRow("open price without a price") << u"BAK-CRO"_s << qint64(-2) << u"price"_s;
    QTest::newRow("negative price") << u"BAK-CRO"_s << qint64(-1) << u"price"_s;
    QTest::newRow("price above the limit")
        << u"BAK-CRO"_s << qint64(Limits::maxPriceCents + 1) << u"price"_s;
    QTest::newRow("fixed price with a price") << u"COF-ESP"_s << qint64(100) << u"manager"_s;
    QTest::newRow("fixed price at its own price") << u"COF-ESP"_s << qint64(220) << u"manager"_s;
}

// Refused as InvalidInput with a message that says why, and nothing changes.
void OrderServiceTest::addOpenPriceProductRefusals()
{
    QFETCH(QString, sku);
    QFETCH(qint64, price);
    QFETCH(QString, says);
    QVERIFY(makeCroissantOpenPrice());
    const std::optional<Order> order = orderWith(m_alice, {{u"COF-ESP"_s, 1}});
    QVERIFY(order);
    const std::optional<Cents> entered = price == -2 ? std::nullopt : std::optional<Cents>(price);
    const QString before = dump();
    tick();
    const Result<Order> byId =
        m_orders->addProduct(OrderTarget::byId(order->id), sku, 1, u"refused"_s, entered);
    VERIFY_OUTCOME(byId, Outcome::InvalidInput);
    QVERIFY2(byId.message().contains(says), qPrintable(byId.message()));
    const Result<Order> api =
        m_orders->addToActiveOrder(m_alice, ItemSpec{sku, {}, entered, 1}, u"refused-api"_s);
    VERIFY_OUTCOME(api, Outcome::InvalidInput);
    QCOMPARE(api.message(), byId.message());
    QCOMPARE(dump(), before);
    QCOMPARE(count(u"idempotency"_s, u"request_id LIKE 'refused%'"_s), 0);
}

// A whole-list replace prices an open-price product at the price given with it: required, two
// prices make two lines, the same price is merged; a price for a fixed-price product is refused.
void OrderServiceTest::replaceLinesWithOpenPriceProducts()
{
    QVERIFY(makeCroissantOpenPrice());
    const std::optional<Order> order = orderWith(m_alice, {});
    QVERIFY(order);
    const OrderTarget target = OrderTarget::byId(order->id);
    const QString before = dump();
    const Result<Order> without =
        m_orders->replaceLines(target, {catalogItem(u"COF-ESP"_s, 1), catalogItem(u"BAK-CRO"_s, 1)},
                               order->version, rid());
    VERIFY_OUTCOME(without, Outcome::InvalidInput);
    QVERIFY2(without.message().contains(u"BAK-CRO"_s), qPrintable(without.message()));
    QVERIFY2(without.message().contains(u"price"_s), qPrintable(without.message()));
    const Result<Order> fixed =
        m_orders->replaceLines(target, {pricedItem(u"COF-ESP"_s, 100, 1)}, order->version, rid());
    VERIFY_OUTCOME(fixed, Outcome::InvalidInput);
    VERIFY_OUTCOME(
        m_orders->replaceLines(target, {pricedItem(u"BAK-CRO"_s, -1, 1)}, order->version, rid()),
        Outcome::InvalidInput);
    QCOMPARE(dump(), before);

    const Result<Order> replaced =
        m_orders->replaceLines(target,
                               {pricedItem(u"BAK-CRO"_s, 450, 1), catalogItem(u"COF-ESP"_s, 1),
                                pricedItem(u"BAK-CRO"_s, 300, 2), pricedItem(u"BAK-CRO"_s, 450, 1)},
                               order->version, rid());
    VERIFY_OK(replaced);
    QCOMPARE(replaced->lines.size(), 3);
    QCOMPARE(replaced->lines.at(0).sku, u"BAK-CRO"_s);
    QCOMPARE(replaced->lines.at(0).unitPriceCents, Cents(450));
    QCOMPARE(replaced->lines.at(0).quantity, 2);
    QCOMPARE(replaced->lines.at(1).unitPriceCents, Cents(220));
    QCOMPARE(replaced->lines.at(2).unitPriceCents, Cents(300));
    QCOMPARE(replaced->lines.at(2).quantity, 2);
    QVERIFY(!replaced->lines.at(0).listPriceCents);
    QCOMPARE(replaced->totalCents(), 900 + 220 + 600);
}

void OrderServiceTest::setQuantity()
{
    const std::optional<Order> order = orderWith(m_alice, {{u"COF-ESP"_s, 2}, {u"BAK-CRO"_s, 1}});
    QVERIFY(order);
    const OrderTarget target = OrderTarget::byId(order->id);
    tick();
    const Result<Order> set = m_orders->setQuantity(target, 1, 7, rid());
    VERIFY_OK(set);
    QCOMPARE(set->version, 4);
    QCOMPARE(set->lines.at(0).quantity, 7);
    QCOMPARE(set->lines.at(1).quantity, 1);
    QCOMPARE(set->updatedAt, m_clock->now());
    QCOMPARE(value(u"SELECT quantity FROM order_lines WHERE line_no = 1"_s).toInt(), 7);
    QCOMPARE(value(u"SELECT quantity FROM order_lines WHERE line_no = 2"_s).toInt(), 1);

    const Result<Order> byCashier =
        m_orders->setQuantity(OrderTarget::byCashier(m_alice), 2, 3, rid());
    VERIFY_OK(byCashier);
    QCOMPARE(byCashier->version, 5);
    QCOMPARE(value(u"SELECT quantity FROM order_lines WHERE line_no = 2"_s).toInt(), 3);

    const QString before = dump();
    VERIFY_OUTCOME(m_orders->setQuantity(target, 1, 0, rid()), Outcome::InvalidInput);
    VERIFY_OUTCOME(m_orders->setQuantity(target, 1, -1, rid()), Outcome::InvalidInput);
    VERIFY_OUTCOME(m_orders->setQuantity(target, 1, 10000, rid()), Outcome::InvalidInput);
    const Result<Order> missing = m_orders->setQuantity(target, 9, 1, rid());
    VERIFY_OUTCOME(missing, Outcome::NotFound);
    QVERIFY(missing.message().contains(u"9"_s));
    VERIFY_OUTCOME(m_orders->setQuantity(target, 0, 1, rid()), Outcome::NotFound);
    VERIFY_OUTCOME(m_orders->setQuantity(OrderTarget::byCashier(m_bob), 1, 1, rid()),
                   Outcome::NotFound);
    QCOMPARE(dump(), before);
}

void OrderServiceTest::adjustQuantity()
{
    const std::optional<Order> order = orderWith(m_alice, {{u"COF-ESP"_s, 2}});
    QVERIFY(order);
    const OrderTarget target = OrderTarget::byId(order->id);
    const Result<Order> up = m_orders->adjustQuantity(target, 1, 3, rid());
    VERIFY_OK(up);
    QCOMPARE(up->lines.at(0).quantity, 5);
    QCOMPARE(up->version, 3);
    const Result<Order> down = m_orders->adjustQuantity(target, 1, -4, rid());
    VERIFY_OK(down);
    QCOMPARE(down->lines.at(0).quantity, 1);
    QCOMPARE(value(u"SELECT quantity FROM order_lines"_s).toInt(), 1);

    const QString before = dump();
    VERIFY_OUTCOME(m_orders->adjustQuantity(target, 1, -1, rid()), Outcome::InvalidInput);
    VERIFY_OUTCOME(m_orders->adjustQuantity(target, 1, 0, rid()), Outcome::InvalidInput);
    VERIFY_OUTCOME(m_orders->adjustQuantity(target, 1, 10000, rid()), Outcome::InvalidInput);
    VERIFY_OUTCOME(m_orders->adjustQuantity(target, 1, 9999, rid()), Outcome::InvalidInput);
    VERIFY_OUTCOME(m_orders->adjustQuantity(target, 7, 1, rid()), Outcome::NotFound);
    QCOMPARE(dump(), before);
    const Result<Order> top = m_orders->adjustQuantity(target, 1, 9998, rid());
    VERIFY_OK(top);
    QCOMPARE(top->lines.at(0).quantity, 9999);
}

void OrderServiceTest::removeLine()
{
    const std::optional<Order> order =
        orderWith(m_alice, {{u"COF-ESP"_s, 1}, {u"BAK-CRO"_s, 1}, {u"COF-LAT"_s, 1}});
    QVERIFY(order);
    const OrderTarget target = OrderTarget::byId(order->id);
    const Result<Order> removed = m_orders->removeLine(target, 2, rid());
    VERIFY_OK(removed);
    QCOMPARE(removed->version, 5);
    QCOMPARE(removed->lines.size(), 2);
    QCOMPARE(removed->lines.at(0).lineNo, 1);
    QCOMPARE(removed->lines.at(1).lineNo, 3);
    QCOMPARE(count(u"order_lines"_s), 2);
    QCOMPARE(count(u"order_lines"_s, u"sku = 'BAK-CRO'"_s), 0);

    const QString before = dump();
    VERIFY_OUTCOME(m_orders->removeLine(target, 2, rid()), Outcome::NotFound);
    QCOMPARE(dump(), before);

    // New lines continue after the highest number.
    const Result<Order> added = m_orders->addProduct(target, u"DRK-WAT"_s, 1, rid());
    VERIFY_OK(added);
    QCOMPARE(added->lines.last().lineNo, 4);
    VERIFY_OK(m_orders->removeLine(target, 1, rid()));
    VERIFY_OK(m_orders->removeLine(target, 3, rid()));
    const Result<Order> last = m_orders->removeLine(target, 4, rid());
    VERIFY_OK(last);
    QVERIFY(last->lines.isEmpty());
    QCOMPARE(toString(last->status), toString(OrderStatus::Active));
    QCOMPARE(count(u"order_lines"_s), 0);
}

void OrderServiceTest::replaceLinesWithRightVersion()
{
    const std::optional<Order> order = orderWith(m_alice, {{u"COF-ESP"_s, 2}});
    QVERIFY(order);
    const OrderTarget target = OrderTarget::byId(order->id);
    tick();
    const Result<Order> replaced = m_orders->replaceLines(
        target,
        {catalogItem(u"COF-LAT"_s, 1), catalogItem(u"BAK-CRO"_s, 2), catalogItem(u"COF-LAT"_s, 2),
         openPriceItem(u"  Birthday   cake slice "_s, 450, 1)},
        2, u"set-1"_s);
    VERIFY_OK(replaced);
    QCOMPARE(replaced->version, 3);
    QCOMPARE(replaced->lines.size(), 3);
    QCOMPARE(replaced->lines.at(0).sku, u"COF-LAT"_s);
    QCOMPARE(replaced->lines.at(0).quantity, 3); // repeated SKUs merged into one line
    QCOMPARE(replaced->lines.at(0).unitPriceCents, Cents(340));
    QCOMPARE(replaced->lines.at(1).sku, u"BAK-CRO"_s);
    QCOMPARE(replaced->lines.at(1).quantity, 2);
    QCOMPARE(replaced->lines.at(2).sku, QString());
    QCOMPARE(replaced->lines.at(2).name, u"Birthday cake slice"_s);
    QCOMPARE(replaced->lines.at(2).unitPriceCents, Cents(450));
    QCOMPARE(replaced->totalCents(), Cents(3 * 340 + 2 * 190 + 450));
    QCOMPARE(count(u"order_lines"_s), 3);
    QCOMPARE(count(u"order_lines"_s, u"sku = 'COF-ESP'"_s), 0);
    // Line numbers are never reused: the replaced order's lines continue after the old ones.
    QVERIFY(replaced->lines.at(0).lineNo > 1);
    QVERIFY(
        value(u"SELECT sku FROM order_lines WHERE line_no = ?"_s, {replaced->lines.at(2).lineNo})
            .isNull());
    QCOMPARE(value(u"SELECT updated_at FROM order_sessions"_s).toString(), now());
    const QJsonObject payload =
        parseObject(value(u"SELECT payload FROM outbox WHERE request_id = 'set-1'"_s));
    QCOMPARE(payload.value(u"items"_s).toArray().size(), 3);
    QCOMPARE(payload.value(u"expected_version"_s).toInt(), 2);
    QCOMPARE(payload.value(u"version"_s).toInt(), 3);

    const Result<Order> emptied = m_orders->replaceLines(target, {}, 3, rid());
    VERIFY_OK(emptied);
    QVERIFY(emptied->lines.isEmpty());
    QCOMPARE(emptied->version, 4);
    QCOMPARE(count(u"order_lines"_s), 0);
}

void OrderServiceTest::replaceLinesWithStaleVersion()
{
    const std::optional<Order> order = orderWith(m_alice, {{u"COF-ESP"_s, 2}});
    QVERIFY(order);
    const OrderTarget target = OrderTarget::byId(order->id);
    const QString before = dump();
    for (const int stale : {1, 3, 0}) {
        const Result<Order> refused =
            m_orders->replaceLines(target, {catalogItem(u"COF-LAT"_s, 1)}, stale, rid());
        VERIFY_OUTCOME(refused, Outcome::Conflict);
        QVERIFY(refused.value()); // the current order comes along
        QCOMPARE(refused->version, 2);
        QCOMPARE(refused->lines.size(), 1);
        QCOMPARE(refused->lines.at(0).sku, u"COF-ESP"_s);
        QVERIFY2(refused.message().contains(u"version %1"_s.arg(stale)),
                 qPrintable(refused.message()));
    }
    QCOMPARE(dump(), before);
}

void OrderServiceTest::replaceLinesRefusals_data()
{
    QTest::addColumn<QList<ItemSpec>>("items");
    QTest::addColumn<Outcome>("expected");

    QTest::newRow("unknown sku") << QList<ItemSpec>{catalogItem(u"COF-LAT"_s, 1),
                                                    catalogItem(u"NOPE"_s, 1)}
                                 << Outcome::InvalidInput;
    QTest::newRow("quantity zero")
        << QList<ItemSpec>{catalogItem(u"COF-LAT"_s, 0)} << Outcome::InvalidInput;
    QTest::newRow("quantity too big")
        << QList<ItemSpec>{catalogItem(u"COF-LAT"_s, 10000)} << Outcome::InvalidInput;
    QTest::newRow("merged quantity too big")
        << QList<ItemSpec>{catalogItem(u"COF-LAT"_s, 5000), catalogItem(u"COF-LAT"_s, 5000)}
        << Outcome::InvalidInput;
    QTest::newRow("sku with space")
        << QList<ItemSpec>{catalogItem(u"COF LAT"_s, 1)} << Outcome::InvalidInput;
    QTest::newRow("open price without price")
        << QList<ItemSpec>{openPriceItem(u"Cake"_s, std::nullopt, 1)} << Outcome::InvalidInput;
    QTest::newRow("open price negative")
        << QList<ItemSpec>{openPriceItem(u"Cake"_s, -1, 1)} << Outcome::InvalidInput;
    QTest::newRow("open price too big")
        << QList<ItemSpec>{openPriceItem(u"Cake"_s, Limits::maxPriceCents + 1, 1)}
        << Outcome::InvalidInput;
    QTest::newRow("open price without name")
        << QList<ItemSpec>{openPriceItem(u"   "_s, 100, 1)} << Outcome::InvalidInput;
    QTest::newRow("open price name too long")
        << QList<ItemSpec>{openPriceItem(QString(201, u'n'), 100, 1)} << Outcome::InvalidInput;
    QTest::newRow("too many lines")
        << QList<ItemSpec>(Limits::maxLinesPerOrder + 1, openPriceItem(u"x"_s, 1, 1))
        << Outcome::InvalidInput;
}

void OrderServiceTest::replaceLinesRefusals()
{
    QFETCH(QList<ItemSpec>, items);
    QFETCH(Outcome, expected);
    const std::optional<Order> order = orderWith(m_alice, {{u"COF-ESP"_s, 2}});
    QVERIFY(order);
    const QString before = dump();
    const Result<Order> refused =
        m_orders->replaceLines(OrderTarget::byId(order->id), items, 2, u"refused"_s);
    VERIFY_OUTCOME(refused, expected);
    QVERIFY(!refused.message().isEmpty());
    QCOMPARE(dump(), before);
}

// ---------------------------------------------------------------------------------------------
// payment

void OrderServiceTest::completeCashWithChange()
{
    const std::optional<Order> order = orderWith(m_alice, {{u"COF-ESP"_s, 2}, {u"BAK-CRO"_s, 1}});
    QVERIFY(order);
    QCOMPARE(order->totalCents(), Cents(630));
    tick();
    const Result<Order> paid = m_orders->complete(OrderTarget::byId(order->id),
                                                  {PaymentMethod::Cash, 1000}, 3, u"pay-1"_s);
    VERIFY_OK(paid);
    QCOMPARE(toString(paid->status), toString(OrderStatus::Completed));
    QCOMPARE(paid->version, 4);
    QCOMPARE(paid->completedAt, m_clock->now());
    const QString receipt = prefix() + u"-000001"_s;
    QCOMPARE(paid->receiptNo, receipt);
    QVERIFY(paid->payment);
    QCOMPARE(toString(paid->payment->method), toString(PaymentMethod::Cash));
    QCOMPARE(paid->payment->amountCents, Cents(630));
    QCOMPARE(paid->payment->tenderedCents, Cents(1000));
    QCOMPARE(paid->payment->changeCents, Cents(370));
    QCOMPARE(paid->payment->receiptNo, receipt);
    QCOMPARE(paid->payment->orderId, order->id);
    QVERIFY(paid->payment->tabId.isEmpty());
    QCOMPARE(paid->payment->paidAt, m_clock->now());

    QCOMPARE(count(u"payments"_s), 1);
    QCOMPARE(value(u"SELECT order_id FROM payments"_s).toString(), order->id);
    QVERIFY(value(u"SELECT tab_id FROM payments"_s).isNull());
    QCOMPARE(value(u"SELECT method FROM payments"_s).toString(), u"cash"_s);
    QCOMPARE(value(u"SELECT amount_cents FROM payments"_s).toLongLong(), 630);
    QCOMPARE(value(u"SELECT tendered_cents FROM payments"_s).toLongLong(), 1000);
    QCOMPARE(value(u"SELECT change_cents FROM payments"_s).toLongLong(), 370);
    QCOMPARE(value(u"SELECT receipt_no FROM payments"_s).toString(), receipt);
    QCOMPARE(value(u"SELECT paid_at FROM payments"_s).toString(), now());
    QCOMPARE(value(u"SELECT status FROM order_sessions"_s).toString(), u"completed"_s);
    QCOMPARE(value(u"SELECT receipt_no FROM order_sessions"_s).toString(), receipt);
    QCOMPARE(value(u"SELECT completed_at FROM order_sessions"_s).toString(), now());
    QCOMPARE(value(u"SELECT next_receipt_seq FROM terminal"_s).toInt(), 2);

    QCOMPARE(value(u"SELECT action FROM order_history ORDER BY id DESC LIMIT 1"_s).toString(),
             u"complete"_s);
    QCOMPARE(value(u"SELECT from_status FROM order_history ORDER BY id DESC LIMIT 1"_s).toString(),
             u"active"_s);
    QCOMPARE(value(u"SELECT to_status FROM order_history ORDER BY id DESC LIMIT 1"_s).toString(),
             u"completed"_s);
    const QJsonObject payload =
        parseObject(value(u"SELECT payload FROM outbox WHERE request_id = 'pay-1'"_s));
    QCOMPARE(payload.value(u"amount_cents"_s).toInteger(), 630);
    QCOMPARE(payload.value(u"tendered_cents"_s).toInteger(), 1000);
    QCOMPARE(payload.value(u"receipt_no"_s).toString(), receipt);
    QCOMPARE(payload.value(u"expected_version"_s).toInt(), 3);
    QCOMPARE(payload.value(u"version"_s).toInt(), 4);
    QCOMPARE(payload.value(u"status"_s).toString(), u"completed"_s);

    // The cashier is free: no open order, and the next one is a new order.
    VERIFY_OUTCOME(m_orders->openOrderOf(m_alice), Outcome::NotFound);
    const Result<Order> next = m_orders->openOrResume(m_alice, rid());
    VERIFY_OK(next);
    QVERIFY(next->id != order->id);
    QCOMPARE(next->version, 1);
}

void OrderServiceTest::completeCardExact()
{
    const std::optional<Order> order = orderWith(m_alice, {{u"COF-LAT"_s, 1}});
    QVERIFY(order);
    const OrderTarget target = OrderTarget::byId(order->id);
    const QString before = dump();
    VERIFY_OUTCOME(m_orders->complete(target, {PaymentMethod::Card, 341}, 2, rid()),
                   Outcome::InvalidInput);
    VERIFY_OUTCOME(m_orders->complete(target, {PaymentMethod::Card, 339}, 2, rid()),
                   Outcome::InvalidInput);
    QCOMPARE(dump(), before);
    const Result<Order> paid = m_orders->complete(target, {PaymentMethod::Card, 340}, 2, rid());
    VERIFY_OK(paid);
    QCOMPARE(toString(paid->payment->method), toString(PaymentMethod::Card));
    QCOMPARE(paid->payment->changeCents, Cents(0));
    QCOMPARE(value(u"SELECT method FROM payments"_s).toString(), u"card"_s);
    QCOMPARE(value(u"SELECT change_cents FROM payments"_s).toLongLong(), 0);
    QCOMPARE(paid->receiptNo, prefix() + u"-000001"_s); // refused attempts used no number
}

void OrderServiceTest::completeTenderBelowTotal()
{
    const std::optional<Order> order = orderWith(m_alice, {{u"COF-ESP"_s, 2}, {u"BAK-CRO"_s, 1}});
    QVERIFY(order);
    const QString before = dump();
    tick();
    const Result<Order> refused =
        m_orders->complete(OrderTarget::byId(order->id), {PaymentMethod::Cash, 629}, 3, u"short"_s);
    VERIFY_OUTCOME(refused, Outcome::InvalidInput);
    QVERIFY2(refused.message().contains(u"629"_s) && refused.message().contains(u"630"_s),
             qPrintable(refused.message()));
    QCOMPARE(dump(), before);
    QCOMPARE(value(u"SELECT status FROM order_sessions"_s).toString(), u"active"_s);
    QCOMPARE(count(u"payments"_s), 0);
    QCOMPARE(value(u"SELECT next_receipt_seq FROM terminal"_s).toInt(), 1);

    const Result<Order> exact =
        m_orders->complete(OrderTarget::byId(order->id), {PaymentMethod::Cash, 630}, 3, rid());
    VERIFY_OK(exact);
    QCOMPARE(exact->payment->changeCents, Cents(0));
}

void OrderServiceTest::completeEmptyOrder()
{
    const std::optional<Order> order = orderWith(m_alice, {});
    QVERIFY(order);
    const QString before = dump();
    const Result<Order> refused =
        m_orders->complete(OrderTarget::byId(order->id), {PaymentMethod::Cash, 0}, 1, rid());
    VERIFY_OUTCOME(refused, Outcome::InvalidInput);
    QVERIFY(refused.message().contains(u"empty"_s));
    VERIFY_OUTCOME(
        m_orders->complete(OrderTarget::byCashier(m_alice), {PaymentMethod::Card, 0}, {}, rid()),
        Outcome::InvalidInput);
    QCOMPARE(dump(), before);
    QCOMPARE(value(u"SELECT status FROM order_sessions"_s).toString(), u"active"_s);
}

void OrderServiceTest::completeStaleVersion()
{
    const std::optional<Order> order = orderWith(m_alice, {{u"COF-ESP"_s, 2}, {u"BAK-CRO"_s, 1}});
    QVERIFY(order);
    const OrderTarget target = OrderTarget::byId(order->id);
    const QString before = dump();
    const Result<Order> refused = m_orders->complete(target, {PaymentMethod::Cash, 5000}, 2, rid());
    VERIFY_OUTCOME(refused, Outcome::Conflict);
    QVERIFY(refused.value());
    QCOMPARE(refused->version, 3);
    QCOMPARE(toString(refused->status), toString(OrderStatus::Active));
    QCOMPARE(refused->lines.size(), 2);
    QCOMPARE(dump(), before);

    // Another window adds an item: the version the cashier saw (3) is now stale.
    VERIFY_OK(m_orders->addProduct(target, u"COF-LAT"_s, 1, rid()));
    const QString afterEdit = dump();
    const Result<Order> stale = m_orders->complete(target, {PaymentMethod::Cash, 5000}, 3, rid());
    VERIFY_OUTCOME(stale, Outcome::Conflict);
    QCOMPARE(stale->version, 4);
    QCOMPARE(stale->lines.size(), 3);
    QCOMPARE(stale->totalCents(), Cents(970));
    QCOMPARE(dump(), afterEdit);
    QCOMPARE(count(u"payments"_s), 0);

    const Result<Order> paid = m_orders->complete(target, {PaymentMethod::Cash, 5000}, 4, rid());
    VERIFY_OK(paid);
    QCOMPARE(paid->payment->amountCents, Cents(970));
}

void OrderServiceTest::completeWithoutExpectedVersion()
{
    const std::optional<Order> order = orderWith(m_alice, {{u"COF-ESP"_s, 1}});
    QVERIFY(order);
    const Result<Order> paid = m_orders->complete(OrderTarget::byCashier(m_alice),
                                                  {PaymentMethod::Cash, 500}, {}, u"pay-any"_s);
    VERIFY_OK(paid);
    QCOMPARE(paid->id, order->id);
    QCOMPARE(paid->payment->changeCents, Cents(280));
    // "No expected version" must not travel as version 0 (which a server would see as stale).
    const QJsonObject payload =
        parseObject(value(u"SELECT payload FROM outbox WHERE request_id = 'pay-any'"_s));
    QVERIFY(payload.contains(u"expected_version"_s));
    QVERIFY2(payload.value(u"expected_version"_s).isNull(),
             QJsonDocument(payload).toJson(QJsonDocument::Compact).constData());
    // ...and the same request id with an explicit version is a different request.
    VERIFY_OUTCOME(m_orders->complete(OrderTarget::byCashier(m_alice), {PaymentMethod::Cash, 500},
                                      0, u"pay-any"_s),
                   Outcome::InvalidInput);
}

void OrderServiceTest::completeBadTender()
{
    const std::optional<Order> order = orderWith(m_alice, {{u"COF-ESP"_s, 1}});
    QVERIFY(order);
    const QString before = dump();
    VERIFY_OUTCOME(
        m_orders->complete(OrderTarget::byId(order->id), {PaymentMethod::Cash, -1}, 2, rid()),
        Outcome::InvalidInput);
    VERIFY_OUTCOME(m_orders->complete(OrderTarget::byId(order->id),
                                      {PaymentMethod::Cash, Limits::maxTenderCents + 1}, 2, rid()),
                   Outcome::InvalidInput);
    QCOMPARE(dump(), before);
}

void OrderServiceTest::completedOrderRefusesEverything()
{
    const std::optional<Order> order = orderWith(m_alice, {{u"COF-ESP"_s, 1}});
    QVERIFY(order);
    const OrderTarget target = OrderTarget::byId(order->id);
    const Result<Order> paid = m_orders->complete(target, {PaymentMethod::Cash, 220}, 2, rid());
    VERIFY_OK(paid);
    const QString before = dump();

    QList<Result<Order>> results;
    results << m_orders->addProduct(target, u"COF-LAT"_s, 1, rid());
    results << m_orders->setQuantity(target, 1, 3, rid());
    results << m_orders->adjustQuantity(target, 1, 1, rid());
    results << m_orders->removeLine(target, 1, rid());
    results << m_orders->replaceLines(target, {catalogItem(u"COF-LAT"_s, 1)}, 3, rid());
    results << m_orders->logOut(target, rid());
    results << m_orders->complete(target, {PaymentMethod::Cash, 220}, 3, rid());
    results << m_orders->complete(target, {PaymentMethod::Cash, 220}, {}, rid());
    results << m_orders->assignToTab(target, u"Table 1"_s, std::nullopt, rid());
    for (const Result<Order> &result : std::as_const(results)) {
        VERIFY_OUTCOME(result, Outcome::InvalidState);
        QVERIFY(result.value());
        QCOMPARE(toString(result->status), toString(OrderStatus::Completed));
        QVERIFY2(result.message().contains(paid->receiptNo), qPrintable(result.message()));
    }
    // By cashier there is simply no open order any more.
    VERIFY_OUTCOME(m_orders->logOut(OrderTarget::byCashier(m_alice), rid()), Outcome::NotFound);
    VERIFY_OUTCOME(
        m_orders->complete(OrderTarget::byCashier(m_alice), {PaymentMethod::Cash, 220}, {}, rid()),
        Outcome::NotFound);
    QCOMPARE(dump(), before);
    QCOMPARE(count(u"payments"_s), 1);
}

// ---------------------------------------------------------------------------------------------
// tabs

void OrderServiceTest::assignToTabCreatesTab()
{
    const std::optional<Order> order = orderWith(m_alice, {{u"COF-ESP"_s, 1}});
    QVERIFY(order);
    tick();
    const Result<Order> assigned =
        m_orders->assignToTab(OrderTarget::byId(order->id), u"  Table   5 "_s, 2, u"assign-1"_s);
    VERIFY_OK(assigned);
    QCOMPARE(toString(assigned->status), toString(OrderStatus::Assigned));
    QCOMPARE(assigned->version, 3);
    QCOMPARE(assigned->tabName, u"Table 5"_s);
    QVERIFY(!assigned->tabId.isEmpty());
    QCOMPARE(count(u"tabs"_s), 1);
    QCOMPARE(value(u"SELECT id FROM tabs"_s).toString(), assigned->tabId);
    QCOMPARE(value(u"SELECT name FROM tabs"_s).toString(), u"Table 5"_s);
    QCOMPARE(value(u"SELECT name_key FROM tabs"_s).toString(), u"table 5"_s);
    QCOMPARE(value(u"SELECT status FROM tabs"_s).toString(), u"open"_s);
    QCOMPARE(value(u"SELECT version FROM tabs"_s).toInt(), 2);
    QCOMPARE(value(u"SELECT created_at FROM tabs"_s).toString(), now());
    QCOMPARE(value(u"SELECT status FROM order_sessions"_s).toString(), u"assigned"_s);
    QCOMPARE(value(u"SELECT tab_id FROM order_sessions"_s).toString(), assigned->tabId);
    QCOMPARE(value(u"SELECT to_status FROM order_history ORDER BY id DESC LIMIT 1"_s).toString(),
             u"assigned"_s);
    const QJsonObject payload =
        parseObject(value(u"SELECT payload FROM outbox WHERE request_id = 'assign-1'"_s));
    QCOMPARE(payload.value(u"tab_id"_s).toString(), assigned->tabId);
    QCOMPARE(payload.value(u"tab"_s).toString(), u"Table 5"_s);
    QCOMPARE(value(u"SELECT tab_id FROM outbox WHERE request_id = 'assign-1'"_s).toString(),
             assigned->tabId);

    // The cashier is free for a new order.
    VERIFY_OUTCOME(m_orders->openOrderOf(m_alice), Outcome::NotFound);
    const Result<Order> next = m_orders->openOrResume(m_alice, rid());
    VERIFY_OK(next);
    QVERIFY(next->id != order->id);
    QCOMPARE(toString(next->status), toString(OrderStatus::Active));

    const Result<Tab> tab = m_tabs->tab(u"TABLE 5"_s);
    VERIFY_OK(tab);
    QCOMPARE(tab->id, assigned->tabId);
    QCOMPARE(toString(tab->status), toString(TabStatus::Open));
    QCOMPARE(tab->orders.size(), 1);
    QCOMPARE(tab->totalCents(), Cents(220));
    const Result<Tab> byId = m_tabs->tab(assigned->tabId);
    VERIFY_OK(byId);
    QCOMPARE(byId->name, u"Table 5"_s);
}

void OrderServiceTest::secondOrderLandsOnSameTab()
{
    const std::optional<Order> first = orderWith(m_alice, {{u"COF-ESP"_s, 1}});
    const std::optional<Order> second = orderWith(m_bob, {{u"BAK-CRO"_s, 2}});
    const std::optional<Order> third = orderWith(m_maria, {{u"COF-LAT"_s, 1}});
    QVERIFY(first && second && third);
    const Result<Order> a =
        m_orders->assignToTab(OrderTarget::byId(first->id), u"Table 5"_s, std::nullopt, rid());
    VERIFY_OK(a);
    const Result<Order> b =
        m_orders->assignToTab(OrderTarget::byId(second->id), u"TABLE 5"_s, std::nullopt, rid());
    VERIFY_OK(b);
    QCOMPARE(b->tabId, a->tabId);
    QCOMPARE(b->tabName, u"Table 5"_s); // the tab keeps the name it was created with
    const QJsonObject payload =
        parseObject(value(u"SELECT payload FROM outbox ORDER BY seq DESC LIMIT 1"_s));
    QCOMPARE(payload.value(u"tab_id"_s).toString(), a->tabId);
    QVERIFY(payload.contains(u"expected_version"_s));
    QVERIFY(payload.value(u"expected_version"_s).isNull()); // not 0: no version was given
    QCOMPARE(count(u"tabs"_s), 1);
    QCOMPARE(value(u"SELECT version FROM tabs"_s).toInt(), 3);
    QCOMPARE(count(u"order_sessions"_s, u"tab_id = ? AND status = 'assigned'"_s, {a->tabId}), 2);

    const Result<Order> c =
        m_orders->assignToTab(OrderTarget::byId(third->id), u"table 6"_s, std::nullopt, rid());
    VERIFY_OK(c);
    QVERIFY(c->tabId != a->tabId);

    const Result<QList<Tab>> open = m_tabs->openTabs();
    VERIFY_OK(open);
    QCOMPARE(open->size(), 2);
    QCOMPARE(open->at(0).name, u"Table 5"_s);
    QCOMPARE(open->at(0).orders.size(), 2);
    QCOMPARE(open->at(0).totalCents(), Cents(220 + 380));
    QCOMPARE(open->at(1).name, u"table 6"_s);
    QCOMPARE(open->at(1).totalCents(), Cents(340));
}

void OrderServiceTest::assignRefusals()
{
    const std::optional<Order> empty = orderWith(m_alice, {});
    const std::optional<Order> full = orderWith(m_bob, {{u"COF-ESP"_s, 1}});
    QVERIFY(empty && full);
    const QString before = dump();

    const Result<Order> emptyOrder =
        m_orders->assignToTab(OrderTarget::byId(empty->id), u"Table 1"_s, std::nullopt, rid());
    VERIFY_OUTCOME(emptyOrder, Outcome::InvalidInput);
    QCOMPARE(count(u"tabs"_s), 0); // the tab it would have created was rolled back too

    for (const QString &name : {QString(), u"   "_s, QString(65, u'n'), u"Table\u0007"_s}) {
        VERIFY_OUTCOME(
            m_orders->assignToTab(OrderTarget::byId(full->id), name, std::nullopt, rid()),
            Outcome::InvalidInput);
    }
    const Result<Order> stale =
        m_orders->assignToTab(OrderTarget::byId(full->id), u"Table 1"_s, 1, rid());
    VERIFY_OUTCOME(stale, Outcome::Conflict);
    QCOMPARE(stale->version, 2);
    VERIFY_OUTCOME(
        m_orders->assignToTab(OrderTarget::byId(u"nope"_s), u"Table 1"_s, std::nullopt, rid()),
        Outcome::NotFound);
    VERIFY_OUTCOME(
        m_orders->assignToTab(OrderTarget::byCashier(m_maria), u"Table 1"_s, std::nullopt, rid()),
        Outcome::NotFound);
    QCOMPARE(dump(), before);

    // Already on a tab, or parked: invalid state.
    VERIFY_OK(m_orders->assignToTab(OrderTarget::byId(full->id), u"Table 1"_s, 2, rid()));
    const QString assigned = dump();
    const Result<Order> again =
        m_orders->assignToTab(OrderTarget::byId(full->id), u"Table 2"_s, std::nullopt, rid());
    VERIFY_OUTCOME(again, Outcome::InvalidState);
    QVERIFY(again.message().contains(u"Table 1"_s));
    QCOMPARE(dump(), assigned);
    VERIFY_OK(m_orders->addProduct(OrderTarget::byId(empty->id), u"COF-ESP"_s, 1, rid()));
    VERIFY_OK(m_orders->logOut(OrderTarget::byId(empty->id), rid()));
    const QString parked = dump();
    VERIFY_OUTCOME(
        m_orders->assignToTab(OrderTarget::byId(empty->id), u"Table 1"_s, std::nullopt, rid()),
        Outcome::InvalidState);
    QCOMPARE(dump(), parked);
}

void OrderServiceTest::settleTab()
{
    const std::optional<Tab> tab = tabWithTwoOrders();
    QVERIFY(tab);
    QCOMPARE(tab->version, 3);
    QCOMPARE(tab->totalCents(), Cents(600));
    tick();
    const Result<Tab> settled =
        m_tabs->settle(u"table 5"_s, {PaymentMethod::Cash, 1000}, 3, u"settle-1"_s);
    VERIFY_OK(settled);
    QCOMPARE(settled->id, tab->id);
    QCOMPARE(toString(settled->status), toString(TabStatus::Settled));
    QCOMPARE(settled->version, 4);
    QCOMPARE(settled->settledAt, m_clock->now());
    const QString receipt = prefix() + u"-000001"_s;
    QCOMPARE(settled->receiptNo, receipt);
    QVERIFY(settled->payment);
    QCOMPARE(settled->payment->tabId, tab->id);
    QVERIFY(settled->payment->orderId.isEmpty());
    QCOMPARE(settled->payment->amountCents, Cents(600));
    QCOMPARE(settled->payment->changeCents, Cents(400));
    QCOMPARE(settled->orders.size(), 2);
    for (const Order &order : settled->orders) {
        QCOMPARE(toString(order.status), toString(OrderStatus::Completed));
        QCOMPARE(order.version, 4);
        QCOMPARE(order.completedAt, m_clock->now());
    }

    QCOMPARE(count(u"payments"_s), 1); // one payment for the whole tab
    QCOMPARE(value(u"SELECT tab_id FROM payments"_s).toString(), tab->id);
    QVERIFY(value(u"SELECT order_id FROM payments"_s).isNull());
    QCOMPARE(value(u"SELECT amount_cents FROM payments"_s).toLongLong(), 600);
    QCOMPARE(value(u"SELECT tendered_cents FROM payments"_s).toLongLong(), 1000);
    QCOMPARE(value(u"SELECT receipt_no FROM payments"_s).toString(), receipt);
    QCOMPARE(value(u"SELECT status FROM tabs"_s).toString(), u"settled"_s);
    QCOMPARE(value(u"SELECT receipt_no FROM tabs"_s).toString(), receipt);
    QCOMPARE(value(u"SELECT settled_at FROM tabs"_s).toString(), now());
    QCOMPARE(count(u"order_sessions"_s, u"status = 'completed' AND completed_at = ?"_s, {now()}),
             2);
    QCOMPARE(count(u"order_history"_s,
                   u"action = 'settle_tab' AND from_status = 'assigned' AND to_status = "
                   "'completed' AND from_version = 3 AND to_version = 4 AND request_id = "
                   "'settle-1'"_s),
             2);
    QCOMPARE(count(u"outbox"_s, u"request_id = 'settle-1'"_s), 1);
    QCOMPARE(value(u"SELECT op FROM outbox WHERE request_id = 'settle-1'"_s).toString(),
             u"settle_tab"_s);
    QCOMPARE(value(u"SELECT tab_id FROM outbox WHERE request_id = 'settle-1'"_s).toString(),
             tab->id);
    const QJsonObject payload =
        parseObject(value(u"SELECT payload FROM outbox WHERE request_id = 'settle-1'"_s));
    QCOMPARE(payload.value(u"amount_cents"_s).toInteger(), 600);
    QCOMPARE(payload.value(u"order_ids"_s).toArray().size(), 2);
    QCOMPARE(payload.value(u"receipt_no"_s).toString(), receipt);

    // The name is free again: a new order on "Table 5" opens a new tab.
    const std::optional<Order> later = orderWith(m_maria, {{u"COF-ESP"_s, 1}});
    QVERIFY(later);
    const Result<Order> assigned =
        m_orders->assignToTab(OrderTarget::byId(later->id), u"Table 5"_s, std::nullopt, rid());
    VERIFY_OK(assigned);
    QVERIFY(assigned->tabId != tab->id);
    QCOMPARE(count(u"tabs"_s), 2);
}

void OrderServiceTest::settleTwice()
{
    const std::optional<Tab> tab = tabWithTwoOrders();
    QVERIFY(tab);
    VERIFY_OK(m_tabs->settle(tab->id, {PaymentMethod::Card, 600}, std::nullopt, rid()));
    const QString before = dump();
    const Result<Tab> again = m_tabs->settle(tab->id, {PaymentMethod::Card, 600}, {}, rid());
    VERIFY_OUTCOME(again, Outcome::InvalidState);
    QVERIFY(again.value());
    QCOMPARE(toString(again->status), toString(TabStatus::Settled));
    QVERIFY2(again.message().contains(prefix() + u"-000001"_s), qPrintable(again.message()));
    // By name there is no open tab of that name any more.
    VERIFY_OUTCOME(m_tabs->settle(u"Table 5"_s, {PaymentMethod::Card, 600}, {}, rid()),
                   Outcome::NotFound);
    QCOMPARE(dump(), before);
    QCOMPARE(count(u"payments"_s), 1);
    QCOMPARE(value(u"SELECT next_receipt_seq FROM terminal"_s).toInt(), 2);
}

void OrderServiceTest::settleRefusals()
{
    const std::optional<Tab> tab = tabWithTwoOrders();
    QVERIFY(tab);
    const QString before = dump();
    const Result<Tab> shortTender = m_tabs->settle(tab->id, {PaymentMethod::Cash, 599}, 3, rid());
    VERIFY_OUTCOME(shortTender, Outcome::InvalidInput);
    QVERIFY(shortTender.message().contains(u"600"_s));
    VERIFY_OUTCOME(m_tabs->settle(tab->id, {PaymentMethod::Card, 601}, 3, rid()),
                   Outcome::InvalidInput);
    VERIFY_OUTCOME(m_tabs->settle(tab->id, {PaymentMethod::Cash, -5}, 3, rid()),
                   Outcome::InvalidInput);
    VERIFY_OUTCOME(m_tabs->settle(u"No such tab"_s, {PaymentMethod::Cash, 600}, {}, rid()),
                   Outcome::NotFound);
    const Result<Tab> stale = m_tabs->settle(tab->id, {PaymentMethod::Cash, 600}, 2, rid());
    VERIFY_OUTCOME(stale, Outcome::Conflict);
    QVERIFY(stale.value());
    QCOMPARE(stale->version, 3);
    QCOMPARE(stale->orders.size(), 2);
    QCOMPARE(dump(), before); // tab open, orders assigned, no payment, receipt number unused

    // A tab with no orders (only possible by hand) cannot be paid.
    db().exec(u"INSERT INTO tabs (id, name, name_key, status, version, created_at) VALUES "
              "('empty-tab', 'Empty', 'empty', 'open', 1, 't')"_s);
    const QString withEmpty = dump();
    VERIFY_OUTCOME(m_tabs->settle(u"Empty"_s, {PaymentMethod::Cash, 0}, {}, rid()),
                   Outcome::InvalidInput);
    QCOMPARE(dump(), withEmpty);

    VERIFY_OK(m_tabs->settle(tab->id, {PaymentMethod::Cash, 600}, 3, rid()));
    QCOMPARE(value(u"SELECT receipt_no FROM payments"_s).toString(), prefix() + u"-000001"_s);
}

// ---------------------------------------------------------------------------------------------
// idempotency

void OrderServiceTest::replay_data()
{
    QTest::addColumn<QString>("action");
    QTest::addColumn<int>("historyRows");   // history rows written under the request id
    QTest::addColumn<int>("paymentRows");   // payments after the action
    QTest::addColumn<QString>("outboxOps"); // outbox rows under the request id (and ":open")

    QTest::newRow("open") << u"open"_s << 1 << 0 << u"open"_s;
    QTest::newRow("add item") << u"add_item"_s << 1 << 0 << u"add_item"_s;
    QTest::newRow("add item by cashier")
        << u"add_item_by_cashier"_s << 2 << 0 << u"open,add_item"_s;
    QTest::newRow("set quantity") << u"set_qty"_s << 1 << 0 << u"set_qty"_s;
    QTest::newRow("adjust quantity") << u"adjust_qty"_s << 1 << 0 << u"adjust_qty"_s;
    QTest::newRow("remove line") << u"remove_line"_s << 1 << 0 << u"remove_line"_s;
    QTest::newRow("set items") << u"set_items"_s << 1 << 0 << u"set_items"_s;
    QTest::newRow("log out") << u"logout"_s << 1 << 0 << u"logout"_s;
    QTest::newRow("resume") << u"resume"_s << 1 << 0 << u"resume"_s;
    QTest::newRow("complete") << u"complete"_s << 1 << 1 << u"complete"_s;
    QTest::newRow("assign tab") << u"assign_tab"_s << 1 << 0 << u"assign_tab"_s;
    QTest::newRow("settle tab") << u"settle_tab"_s << 1 << 1 << u"settle_tab"_s;
}

void OrderServiceTest::replay()
{
    QFETCH(QString, action);
    QFETCH(int, historyRows);
    QFETCH(int, paymentRows);
    QFETCH(QString, outboxOps);

    const std::optional<Order> base = orderWith(m_alice, {{u"COF-ESP"_s, 2}, {u"BAK-CRO"_s, 1}});
    QVERIFY(base); // version 3, 630 cents
    const QString id = base->id;
    if (action == u"settle_tab"_s)
        VERIFY_OK(m_orders->assignToTab(OrderTarget::byId(id), u"T1"_s, 3, rid()));
    if (action == u"resume"_s)
        VERIFY_OK(m_orders->logOut(OrderTarget::byId(id), rid()));
    const QString key = u"same-request"_s;

    // variant 0: the original request; variant 1: the same request id with other parameters.
    const auto perform = [&](OrderService &orders, TabService &tabs, int variant) -> Run {
        const OrderTarget target = OrderTarget::byId(id);
        if (action == u"open"_s)
            return run(orders.openOrResume(variant ? m_maria : m_bob, key));
        if (action == u"resume"_s)
            return run(orders.openOrResume(variant ? m_bob : m_alice, key));
        if (action == u"add_item"_s)
            return run(orders.addProduct(target, u"COF-LAT"_s, 1 + variant, key));
        if (action == u"add_item_by_cashier"_s)
            return run(orders.addProduct(OrderTarget::byCashier(m_bob),
                                         variant ? u"TEA-GRN"_s : u"COF-LAT"_s, 1, key));
        if (action == u"set_qty"_s)
            return run(orders.setQuantity(target, 1, 5 + variant, key));
        if (action == u"adjust_qty"_s)
            return run(orders.adjustQuantity(target, 1, 1 + variant, key));
        if (action == u"remove_line"_s)
            return run(orders.removeLine(target, 2 - variant, key));
        if (action == u"set_items"_s)
            return run(
                orders.replaceLines(target, {catalogItem(u"COF-LAT"_s, 1 + variant)}, 3, key));
        if (action == u"logout"_s)
            return run(orders.logOut(variant ? OrderTarget::byCashier(m_alice) : target, key));
        if (action == u"complete"_s)
            return run(orders.complete(target, {PaymentMethod::Cash, 1000 + variant}, 3, key));
        if (action == u"assign_tab"_s)
            return run(orders.assignToTab(target, variant ? u"T2"_s : u"T1"_s, 3, key));
        if (action == u"settle_tab"_s)
            return run(tabs.settle(u"T1"_s, {PaymentMethod::Cash, 5000 + variant}, {}, key));
        return Run{};
    };

    const Run first = perform(*m_orders, *m_tabs, 0);
    QVERIFY2(first.outcome == Outcome::Ok, qPrintable(first.message));
    QVERIFY(!first.replayed);
    QVERIFY(!first.json.isEmpty());
    const QString afterFirst = dump();
    QCOMPARE(count(u"idempotency"_s, u"request_id = ?"_s, {key}), 1);
    QCOMPARE(count(u"order_history"_s, u"request_id = ?"_s, {key}), historyRows);
    QCOMPARE(count(u"payments"_s), paymentRows);
    QStringList ops;
    {
        QSqlQuery query(db().connection());
        query.prepare(
            u"SELECT op FROM outbox WHERE request_id = ? OR request_id = ? ORDER BY seq"_s);
        query.addBindValue(key);
        query.addBindValue(key + u":open"_s);
        QVERIFY(query.exec());
        while (query.next())
            ops << query.value(0).toString();
    }
    QCOMPARE(ops.join(u','), outboxOps);

    // The same request again: the stored result, marked as a replay, and nothing written.
    tick();
    const Run again = perform(*m_orders, *m_tabs, 0);
    QVERIFY2(again.outcome == Outcome::Ok, qPrintable(again.message));
    QVERIFY(again.replayed);
    QCOMPARE(again.json, first.json);
    QCOMPARE(dump(), afterFirst);

    // Also from another connection (another window or process) with services of its own.
    {
        const std::unique_ptr<Database> other = m_tdb->open();
        OrderService otherOrders(*other, *m_clock);
        TabService otherTabs(*other, *m_clock);
        const Run third = perform(otherOrders, otherTabs, 0);
        QVERIFY2(third.outcome == Outcome::Ok, qPrintable(third.message));
        QVERIFY(third.replayed);
        QCOMPARE(third.json, first.json);
    }
    QCOMPARE(dump(), afterFirst);

    // The same request id with different parameters, or for another action, is refused.
    const Run different = perform(*m_orders, *m_tabs, 1);
    QVERIFY2(different.outcome == Outcome::InvalidInput,
             qPrintable(outcomeName(different.outcome)));
    QVERIFY(!different.replayed);
    QVERIFY2(different.message.contains(key), qPrintable(different.message));
    const Run otherAction = action == u"logout"_s
                                ? run(m_orders->openOrResume(m_maria, key))
                                : run(m_orders->logOut(OrderTarget::byCashier(m_maria), key));
    QVERIFY2(otherAction.outcome == Outcome::InvalidInput,
             qPrintable(outcomeName(otherAction.outcome)));
    QCOMPARE(dump(), afterFirst);
}

void OrderServiceTest::invalidRequestIds_data()
{
    QTest::addColumn<QString>("requestId");
    QTest::newRow("empty") << QString();
    QTest::newRow("space") << u"a b"_s;
    QTest::newRow("quote") << u"x');DROP TABLE idempotency;--"_s;
    QTest::newRow("too long") << QString(Limits::maxRequestIdLength + 1, u'a');
    QTest::newRow("non-ascii") << u"r\u00e9quest"_s;
    QTest::newRow("control") << u"req\t1"_s;
    QTest::newRow("slash") << u"req/1"_s;
}

void OrderServiceTest::invalidRequestIds()
{
    QFETCH(QString, requestId);
    const std::optional<Order> order = orderWith(m_alice, {{u"COF-ESP"_s, 1}});
    const std::optional<Order> onTab = orderWith(m_bob, {{u"BAK-CRO"_s, 1}});
    QVERIFY(order && onTab);
    VERIFY_OK(m_orders->assignToTab(OrderTarget::byId(onTab->id), u"T1"_s, {}, rid()));
    const QString before = dump();
    const OrderTarget target = OrderTarget::byId(order->id);

    QList<Result<Order>> results;
    results << m_orders->openOrResume(m_maria, requestId);
    results << m_orders->addProduct(target, u"COF-LAT"_s, 1, requestId);
    results << m_orders->addProduct(OrderTarget::byCashier(m_maria), u"COF-LAT"_s, 1, requestId);
    results << m_orders->setQuantity(target, 1, 2, requestId);
    results << m_orders->adjustQuantity(target, 1, 1, requestId);
    results << m_orders->removeLine(target, 1, requestId);
    results << m_orders->replaceLines(target, {}, 2, requestId);
    results << m_orders->logOut(target, requestId);
    results << m_orders->complete(target, {PaymentMethod::Cash, 1000}, 2, requestId);
    results << m_orders->assignToTab(target, u"T1"_s, 2, requestId);
    for (const Result<Order> &result : std::as_const(results)) {
        VERIFY_OUTCOME(result, Outcome::InvalidInput);
        QVERIFY2(result.message().contains(u"request id"_s), qPrintable(result.message()));
    }
    const Result<Tab> settle = m_tabs->settle(u"T1"_s, {PaymentMethod::Cash, 1000}, {}, requestId);
    VERIFY_OUTCOME(settle, Outcome::InvalidInput);
    QVERIFY2(settle.message().contains(u"request id"_s), qPrintable(settle.message()));
    QCOMPARE(dump(), before);
}

void OrderServiceTest::validRequestIdAtTheLimits()
{
    QString longest = u"aZ09-_.:"_s;
    while (longest.size() < Limits::maxRequestIdLength)
        longest += u'x';
    QCOMPARE(longest.size(), Limits::maxRequestIdLength);
    const Result<Order> opened = m_orders->openOrResume(m_maria, longest);
    VERIFY_OK(opened);
    QCOMPARE(count(u"idempotency"_s, u"request_id = ?"_s, {longest}), 1);
    const Result<Order> single =
        m_orders->addProduct(OrderTarget::byId(opened->id), u"COF-ESP"_s, 1, u"1"_s);
    VERIFY_OK(single);
}

void OrderServiceTest::notFoundPaths()
{
    const std::optional<Order> order = orderWith(m_alice, {{u"COF-ESP"_s, 1}});
    QVERIFY(order);
    const QString before = dump();

    for (const OrderTarget &target :
         {OrderTarget::byId(u"no-such-order"_s), OrderTarget::byCashier(u"no-such-cashier"_s),
          OrderTarget::byCashier(m_bob) /* exists, but has no open order */}) {
        QList<Result<Order>> results;
        results << m_orders->setQuantity(target, 1, 2, rid());
        results << m_orders->adjustQuantity(target, 1, 1, rid());
        results << m_orders->removeLine(target, 1, rid());
        results << m_orders->replaceLines(target, {}, 1, rid());
        results << m_orders->logOut(target, rid());
        results << m_orders->complete(target, {PaymentMethod::Cash, 1000}, {}, rid());
        results << m_orders->assignToTab(target, u"T1"_s, {}, rid());
        if (target.isById() || target.cashierId() != m_bob)
            results << m_orders->addProduct(target, u"COF-ESP"_s, 1, rid());
        for (const Result<Order> &result : std::as_const(results)) {
            VERIFY_OUTCOME(result, Outcome::NotFound);
            QVERIFY(!result.message().isEmpty());
            QVERIFY(!result.value());
        }
    }
    VERIFY_OUTCOME(m_orders->openOrResume(u"no-such-cashier"_s, rid()), Outcome::NotFound);
    const OrderTarget target = OrderTarget::byId(order->id);
    VERIFY_OUTCOME(m_orders->addProduct(target, u"NO-SUCH-SKU"_s, 1, rid()), Outcome::NotFound);
    VERIFY_OUTCOME(m_orders->setQuantity(target, 42, 1, rid()), Outcome::NotFound);
    VERIFY_OUTCOME(m_orders->adjustQuantity(target, 42, 1, rid()), Outcome::NotFound);
    VERIFY_OUTCOME(m_orders->removeLine(target, 42, rid()), Outcome::NotFound);
    VERIFY_OUTCOME(m_tabs->settle(u"no-such-tab"_s, {PaymentMethod::Cash, 1}, {}, rid()),
                   Outcome::NotFound);
    VERIFY_OUTCOME(m_tabs->tab(u"no-such-tab"_s), Outcome::NotFound);
    VERIFY_OUTCOME(m_orders->order(u"no-such-order"_s), Outcome::NotFound);
    VERIFY_OUTCOME(m_orders->history(u"no-such-order"_s), Outcome::NotFound);
    VERIFY_OUTCOME(m_orders->openOrderOf(u"no-such-cashier"_s), Outcome::NotFound);
    VERIFY_OUTCOME(m_orders->openOrderOf(m_bob), Outcome::NotFound);
    QCOMPARE(dump(), before);

    const Result<Order> found = m_orders->order(order->id);
    VERIFY_OK(found);
    QCOMPARE(found->version, 2);
}

// ---------------------------------------------------------------------------------------------
// what actions leave behind

void OrderServiceTest::receiptNumbersUniqueAndIncreasing()
{
    const QString terminalPrefix = prefix();
    QVERIFY(terminalPrefix.contains(QRegularExpression(u"^[0-9A-F]{4}$"_s)));
    const QRegularExpression pattern(u"^%1-(\\d{6})$"_s.arg(terminalPrefix));
    QStringList receipts;

    const std::optional<Order> a = orderWith(m_alice, {{u"COF-ESP"_s, 1}});
    QVERIFY(a);
    const Result<Order> paidA =
        m_orders->complete(OrderTarget::byId(a->id), {PaymentMethod::Cash, 220}, {}, rid());
    VERIFY_OK(paidA);
    receipts << paidA->receiptNo;

    const std::optional<Order> b = orderWith(m_bob, {{u"COF-LAT"_s, 1}});
    QVERIFY(b);
    VERIFY_OUTCOME(
        m_orders->complete(OrderTarget::byId(b->id), {PaymentMethod::Cash, 10}, {}, rid()),
        Outcome::InvalidInput); // refused: gives its number back
    const Result<Order> paidB =
        m_orders->complete(OrderTarget::byId(b->id), {PaymentMethod::Card, 340}, {}, rid());
    VERIFY_OK(paidB);
    receipts << paidB->receiptNo;

    const std::optional<Order> c = orderWith(m_maria, {{u"BAK-CRO"_s, 1}});
    QVERIFY(c);
    VERIFY_OK(m_orders->assignToTab(OrderTarget::byId(c->id), u"T"_s, {}, rid()));
    const Result<Tab> settled = m_tabs->settle(u"T"_s, {PaymentMethod::Cash, 190}, {}, rid());
    VERIFY_OK(settled);
    receipts << settled->receiptNo;

    const std::optional<Order> d = orderWith(m_alice, {{u"DRK-WAT"_s, 1}});
    QVERIFY(d);
    const Result<Order> paidD =
        m_orders->complete(OrderTarget::byId(d->id), {PaymentMethod::Cash, 200}, {}, rid());
    VERIFY_OK(paidD);
    receipts << paidD->receiptNo;

    QCOMPARE(receipts, (QStringList{terminalPrefix + u"-000001"_s, terminalPrefix + u"-000002"_s,
                                    terminalPrefix + u"-000003"_s, terminalPrefix + u"-000004"_s}));
    int previous = 0;
    for (const QString &receipt : std::as_const(receipts)) {
        const auto match = pattern.match(receipt);
        QVERIFY2(match.hasMatch(), qPrintable(receipt));
        QVERIFY(match.captured(1).toInt() > previous);
        previous = match.captured(1).toInt();
    }
    QCOMPARE(value(u"SELECT COUNT(DISTINCT receipt_no) FROM payments"_s).toInt(), 4);
    QCOMPARE(count(u"payments"_s), 4);
    QCOMPARE(value(u"SELECT next_receipt_seq FROM terminal"_s).toInt(), 5);

    // The number is a minimum width, not a limit.
    db().exec(u"UPDATE terminal SET receipt_prefix = 'SHOP1', next_receipt_seq = 999999"_s);
    for (const QString &expected : {u"SHOP1-999999"_s, u"SHOP1-1000000"_s}) {
        const std::optional<Order> e = orderWith(m_bob, {{u"DRK-WAT"_s, 1}});
        QVERIFY(e);
        const Result<Order> paid =
            m_orders->complete(OrderTarget::byId(e->id), {PaymentMethod::Cash, 150}, {}, rid());
        VERIFY_OK(paid);
        QCOMPARE(paid->receiptNo, expected);
    }
}

void OrderServiceTest::historyEntriesInOrder()
{
    const Result<Order> opened = m_orders->openOrResume(m_alice, u"h1"_s);
    VERIFY_OK(opened);
    const OrderTarget target = OrderTarget::byId(opened->id);
    // Bob's actions interleave but never show up in Alice's history.
    tick();
    VERIFY_OK(m_orders->addProduct(target, u"COF-ESP"_s, 1, u"h2"_s));
    VERIFY_OK(m_orders->addProduct(OrderTarget::byCashier(m_bob), u"COF-ESP"_s, 1, u"bob"_s));
    tick();
    VERIFY_OK(m_orders->addProduct(target, u"BAK-CRO"_s, 1, u"h3"_s));
    tick();
    VERIFY_OK(m_orders->setQuantity(target, 1, 3, u"h4"_s));
    tick();
    VERIFY_OK(m_orders->logOut(target, u"h5"_s));
    tick();
    VERIFY_OK(m_orders->openOrResume(m_alice, u"h6"_s));
    tick();
    VERIFY_OK(m_orders->removeLine(target, 2, u"h7"_s));
    tick();
    VERIFY_OK(m_orders->complete(target, {PaymentMethod::Cash, 1000}, 7, u"h8"_s));

    const Result<QList<HistoryEntry>> history = m_orders->history(opened->id);
    VERIFY_OK(history);
    const QStringList actions{u"open"_s,   u"add_item"_s, u"add_item"_s,    u"set_qty"_s,
                              u"logout"_s, u"resume"_s,   u"remove_line"_s, u"complete"_s};
    const QStringList from{u"active"_s, u"active"_s,         u"active"_s, u"active"_s,
                           u"active"_s, u"pending_logout"_s, u"active"_s, u"active"_s};
    const QStringList to{u"active"_s,         u"active"_s, u"active"_s, u"active"_s,
                         u"pending_logout"_s, u"active"_s, u"active"_s, u"completed"_s};
    QCOMPARE(history->size(), actions.size());
    qint64 previousId = 0;
    for (qsizetype i = 0; i < history->size(); ++i) {
        const HistoryEntry &entry = history->at(i);
        QCOMPARE(entry.action, actions.at(i));
        QCOMPARE(entry.orderId, opened->id);
        QCOMPARE(entry.cashierId, m_alice);
        QCOMPARE(entry.requestId, u"h%1"_s.arg(i + 1));
        QCOMPARE(entry.toVersion, int(i + 1));
        QCOMPARE(entry.fromVersion, i == 0 ? std::nullopt : std::optional<int>(int(i)));
        QCOMPARE(entry.toStatus, to.at(i));
        if (i > 0)
            QCOMPARE(entry.fromStatus, from.at(i));
        QCOMPARE(entry.at, startTime.addSecs(60 * i));
        QVERIFY(entry.id > previousId);
        QVERIFY(!entry.detail.isEmpty());
        previousId = entry.id;
    }
    QCOMPARE(count(u"order_history"_s, u"order_id = ?"_s, {opened->id}), 8);
    QCOMPARE(count(u"order_history"_s), 8 + 2); // and Bob's open + add
}

void OrderServiceTest::outboxOneRowPerActionInCommitOrder()
{
    struct Expected
    {
        QString requestId;
        QString op;
        int version;
        bool alice;
    };
    QList<Expected> expected;
    const Result<Order> a = m_orders->openOrResume(m_alice, u"o1"_s);
    VERIFY_OK(a);
    expected << Expected{u"o1"_s, u"open"_s, 1, true};
    tick();
    const Result<Order> b = m_orders->openOrResume(m_bob, u"o2"_s);
    VERIFY_OK(b);
    expected << Expected{u"o2"_s, u"open"_s, 1, false};
    tick();
    VERIFY_OK(m_orders->addProduct(OrderTarget::byId(a->id), u"COF-ESP"_s, 1, u"o3"_s));
    expected << Expected{u"o3"_s, u"add_item"_s, 2, true};
    tick();
    VERIFY_OK(m_orders->addProduct(OrderTarget::byId(b->id), u"COF-LAT"_s, 2, u"o4"_s));
    expected << Expected{u"o4"_s, u"add_item"_s, 2, false};
    tick();
    VERIFY_OUTCOME(m_orders->addProduct(OrderTarget::byId(b->id), u"NOPE"_s, 2, u"o-refused"_s),
                   Outcome::NotFound);
    tick();
    VERIFY_OK(m_orders->logOut(OrderTarget::byId(a->id), u"o5"_s));
    expected << Expected{u"o5"_s, u"logout"_s, 3, true};
    tick();
    VERIFY_OK(m_orders->complete(OrderTarget::byId(b->id), {PaymentMethod::Card, 680}, 2, u"o6"_s));
    expected << Expected{u"o6"_s, u"complete"_s, 3, false};

    QSqlQuery query(db().connection());
    QVERIFY(query.exec(u"SELECT seq, request_id, op, order_id, tab_id, payload, created_at, state, "
                       "attempts FROM outbox ORDER BY seq"_s));
    qsizetype i = 0;
    qint64 previousSeq = 0;
    QString previousTime;
    while (query.next()) {
        QVERIFY2(i < expected.size(), "more outbox rows than actions");
        const Expected &row = expected.at(i);
        const QString orderId = row.alice ? a->id : b->id;
        QVERIFY(query.value(0).toLongLong() > previousSeq);
        previousSeq = query.value(0).toLongLong();
        QCOMPARE(query.value(1).toString(), row.requestId);
        QCOMPARE(query.value(2).toString(), row.op);
        QCOMPARE(query.value(3).toString(), orderId);
        QVERIFY(query.value(4).isNull());
        const QJsonObject payload = parseObject(query.value(5));
        QCOMPARE(payload.value(u"order_id"_s).toString(), orderId);
        QCOMPARE(payload.value(u"version"_s).toInt(), row.version);
        QCOMPARE(payload.value(u"cashier_id"_s).toString(), row.alice ? m_alice : m_bob);
        QCOMPARE(payload.value(u"format"_s).toInt(), 1);
        const QString createdAt = query.value(6).toString();
        QVERIFY2(createdAt > previousTime, qPrintable(createdAt));
        previousTime = createdAt;
        QCOMPARE(query.value(7).toString(), u"pending"_s);
        QCOMPARE(query.value(8).toInt(), 0);
        ++i;
    }
    QCOMPARE(i, expected.size());
    // The last row carries the clock's time, and the refused action left none.
    QCOMPARE(previousTime, now());
    QCOMPARE(count(u"outbox"_s, u"request_id = 'o-refused'"_s), 0);
}

void OrderServiceTest::refusedActionsLeaveNoTrace()
{
    const std::optional<Order> order = orderWith(m_alice, {{u"COF-ESP"_s, 1}});
    QVERIFY(order);
    const OrderTarget target = OrderTarget::byId(order->id);
    const QString before = dump();
    const int history = count(u"order_history"_s);
    const int outbox = count(u"outbox"_s);
    const int idempotency = count(u"idempotency"_s);

    VERIFY_OUTCOME(m_orders->complete(target, {PaymentMethod::Cash, 1}, 2, u"x1"_s),
                   Outcome::InvalidInput);
    VERIFY_OUTCOME(m_orders->complete(target, {PaymentMethod::Cash, 500}, 1, u"x2"_s),
                   Outcome::Conflict);
    VERIFY_OUTCOME(m_orders->addProduct(target, u"NOPE"_s, 1, u"x3"_s), Outcome::NotFound);
    VERIFY_OUTCOME(m_orders->setQuantity(target, 5, 1, u"x4"_s), Outcome::NotFound);
    VERIFY_OUTCOME(m_orders->replaceLines(target, {catalogItem(u"NOPE"_s, 1)}, 2, u"x5"_s),
                   Outcome::InvalidInput);
    VERIFY_OUTCOME(m_orders->replaceLines(target, {}, 9, u"x6"_s), Outcome::Conflict);
    VERIFY_OUTCOME(m_orders->assignToTab(target, QString(), {}, u"x7"_s), Outcome::InvalidInput);
    VERIFY_OUTCOME(m_tabs->settle(u"nope"_s, {PaymentMethod::Cash, 1}, {}, u"x8"_s),
                   Outcome::NotFound);
    QCOMPARE(count(u"order_history"_s), history);
    QCOMPARE(count(u"outbox"_s), outbox);
    QCOMPARE(count(u"idempotency"_s), idempotency);
    QCOMPARE(count(u"idempotency"_s, u"request_id LIKE 'x%'"_s), 0);
    QCOMPARE(dump(), before);

    // A refused request id was not used up: the corrected request can carry it.
    const Result<Order> retried =
        m_orders->complete(target, {PaymentMethod::Cash, 500}, 2, u"x1"_s);
    VERIFY_OK(retried);
    QVERIFY(!retried.replayed());
    QCOMPARE(count(u"idempotency"_s, u"request_id = 'x1'"_s), 1);
}

void OrderServiceTest::sqlLookingStringsStoredVerbatim()
{
    const QString tabName = u"'); DROP TABLE tabs; --"_s;
    const QString itemName = u"Robert'); DROP TABLE order_lines;-- \"x\" \u00ab\u00e9\u00bb"_s;
    const std::optional<Order> order = orderWith(m_alice, {});
    QVERIFY(order);
    const Result<Order> replaced = m_orders->replaceLines(
        OrderTarget::byId(order->id), {openPriceItem(itemName, 300, 1)}, 1, rid());
    VERIFY_OK(replaced);
    QCOMPARE(replaced->lines.at(0).name, itemName);
    QCOMPARE(value(u"SELECT name FROM order_lines"_s).toString(), itemName);

    const Result<Order> assigned =
        m_orders->assignToTab(OrderTarget::byId(order->id), tabName, {}, rid());
    VERIFY_OK(assigned);
    QCOMPARE(assigned->tabName, tabName);
    QCOMPARE(value(u"SELECT name FROM tabs"_s).toString(), tabName);
    QCOMPARE(
        Test::onPostgres()
            ? count(u"information_schema.tables"_s,
                    u"table_schema = current_schema() AND table_name IN ('tabs', "
                    "'order_lines')"_s)
            : count(u"sqlite_master"_s, u"type = 'table' AND name IN ('tabs', 'order_lines')"_s),
        2);
    const Result<Tab> tab = m_tabs->tab(tabName);
    VERIFY_OK(tab);
    QCOMPARE(tab->name, tabName);
    const Result<Tab> settled = m_tabs->settle(tabName, {PaymentMethod::Cash, 300}, {}, rid());
    VERIFY_OK(settled);
    QCOMPARE(value(u"SELECT status FROM tabs"_s).toString(), u"settled"_s);
    const QJsonObject payload =
        parseObject(value(u"SELECT payload FROM outbox WHERE op = 'assign_tab'"_s));
    QCOMPARE(payload.value(u"tab"_s).toString(), tabName);

    // Looking things up by SQL-looking text finds nothing rather than everything.
    VERIFY_OUTCOME(m_orders->openOrResume(u"' OR '1'='1"_s, rid()), Outcome::NotFound);
    VERIFY_OUTCOME(m_orders->order(u"' OR '1'='1"_s), Outcome::NotFound);
    VERIFY_OUTCOME(m_tabs->tab(u"' OR '1'='1"_s), Outcome::NotFound);
    QCOMPARE(count(u"products"_s), 24);
}

// On PostgreSQL the server's item adds run in one database function (safetill_add_items) instead
// of OrderStore's statements. The two must write the same rows: the same order state, lines
// (numbers, quantities, prices, a fresh line id each), history and stored results.
// The batch functions' settings (017, 024, 025) are what keep their statements fast: an index
// scan over an order's dead lines, and one generic plan instead of a new plan for every batch.
// CREATE OR REPLACE FUNCTION drops them, so a migration that replaces a function without setting
// them again fails here.
void OrderServiceTest::batchFunctionsKeepTheirPlanSettings()
{
    if (!Test::onPostgres())
        QSKIP("safetill_add_items and safetill_replace_items exist on PostgreSQL only");
    for (const QString &function : {u"safetill_replace_items(text, text)"_s,
                                    u"safetill_add_items(text, text, integer, integer)"_s}) {
        const QStringList settings = value(u"SELECT array_to_string(proconfig, ',') FROM pg_proc "
                                           "WHERE oid = to_regprocedure(?)"_s,
                                           {function})
                                         .toString()
                                         .split(u',');
        QVERIFY2(settings.contains(u"enable_bitmapscan=off"_s),
                 qPrintable(function + u": "_s + settings.join(u' ')));
        QVERIFY2(settings.contains(u"plan_cache_mode=force_generic_plan"_s),
                 qPrintable(function + u": "_s + settings.join(u' ')));
    }
}

// The server writes the batch functions' requests directly, fingerprint included, instead of
// building QJsonObjects. A fingerprint must still be the journal's (ActionJournal::fingerprint of
// the action's parameters for the cashier, as addProduct(), addOpenPriceItem() and replaceLines()
// journal them): a replay of the same request through another path is then recognised, not
// refused as a reused request id. Awkward names, entered prices and merged SKUs included.
void OrderServiceTest::functionRequestsCarryTheJournalsFingerprint()
{
    if (!Test::onPostgres())
        QSKIP("safetill_add_items and safetill_replace_items exist on PostgreSQL only");
    QVERIFY(makeCroissantOpenPrice());
    OrderService server(db(), *m_clock, SyncSide::Server);
    const Result<Order> opened = m_orders->openOrResume(m_alice, rid());
    VERIFY_OK(opened);
    const QString awkward = u"  Caf\u00e9 \"Z\"  \\ \u2615\u00fc  "_s;
    const QString name = u"Caf\u00e9 \"Z\" \\ \u2615\u00fc"_s; // as normalizedName() keeps it
    const auto stored = [this](const QString &requestId) {
        return value(u"SELECT fingerprint FROM idempotency WHERE request_id = ?"_s, {requestId})
            .toString();
    };
    const auto expected = [this](const QString &action, QJsonObject parameters) {
        parameters.insert(u"cashier_id"_s, m_alice);
        return ActionJournal::fingerprint(action, parameters);
    };

    const QList<Result<Order>> added =
        server.addToActiveOrders({{m_alice, catalogItem(u"COF-ESP"_s, 2), u"fp-add-1"_s},
                                  {m_alice, openPriceItem(awkward, 350, 3), u"fp-add-2"_s},
                                  {m_alice, pricedItem(u"BAK-CRO"_s, 425, 1), u"fp-add-3"_s}});
    QCOMPARE(added.size(), 3);
    for (const Result<Order> &add : added)
        VERIFY_OK(add);
    QCOMPARE(stored(u"fp-add-1"_s),
             expected(u"add_item"_s, {{u"sku"_s, u"COF-ESP"_s}, {u"qty"_s, 2}}));
    QCOMPARE(stored(u"fp-add-2"_s),
             expected(u"add_open_item"_s,
                      {{u"name"_s, name}, {u"unit_price_cents"_s, 350}, {u"qty"_s, 3}}));
    QCOMPARE(stored(u"fp-add-3"_s),
             expected(u"add_item"_s,
                      {{u"sku"_s, u"BAK-CRO"_s}, {u"qty"_s, 1}, {u"unit_price_cents"_s, 425}}));

    const int version = added.constLast()->version;
    const QList<Result<Order>> replaced = server.replaceActiveOrdersLines(
        {{m_alice,
          {catalogItem(u"COF-ESP"_s, 1), openPriceItem(awkward, 99999999, 2),
           catalogItem(u"COF-ESP"_s, 4), pricedItem(u"BAK-CRO"_s, 0, 9999)},
          version,
          u"fp-replace-1"_s}});
    QCOMPARE(replaced.size(), 1);
    VERIFY_OK(replaced.constFirst());
    QCOMPARE(replaced.constFirst()->lines.size(), 3); // COF-ESP merged into one line of 5
    const QJsonArray given{
        QJsonObject{{u"sku"_s, u"COF-ESP"_s}, {u"qty"_s, 1}},
        QJsonObject{{u"name"_s, name}, {u"unit_price_cents"_s, 99999999}, {u"qty"_s, 2}},
        QJsonObject{{u"sku"_s, u"COF-ESP"_s}, {u"qty"_s, 4}},
        QJsonObject{{u"sku"_s, u"BAK-CRO"_s}, {u"qty"_s, 9999}, {u"unit_price_cents"_s, 0}}};
    QCOMPARE(stored(u"fp-replace-1"_s),
             expected(u"set_items"_s, {{u"items"_s, given}, {u"expected_version"_s, version}}));
}

// Stored results keep the fingerprint of their request; a new way of computing it must give the
// same digest, or every replay after an upgrade would be refused as a reused request id.
// Issue 16 on PostgreSQL's server side: the item functions (017 for replaces, 018 for adds) price
// open-price products as OrderService's C++ path does, with the same outcomes, messages, lines and
// history.
void OrderServiceTest::functionsPriceOpenPriceProductsAsTheOwner()
{
    if (!Test::onPostgres())
        QSKIP("safetill_add_items and safetill_replace_items exist on PostgreSQL only");
    QVERIFY(makeCroissantOpenPrice());
    OrderService server(db(), *m_clock, SyncSide::Server);  // the functions
    OrderService owner(db(), *m_clock, SyncSide::Terminal); // OrderStore's statements
    const Result<Order> alice = m_orders->openOrResume(m_alice, rid());
    const Result<Order> bob = m_orders->openOrResume(m_bob, rid());
    QVERIFY(alice && bob);
    const QList<ItemSpec> adds{pricedItem(u"BAK-CRO"_s, 450, 1),
                               catalogItem(u"BAK-CRO"_s, 1),
                               pricedItem(u"COF-ESP"_s, 220, 1),
                               pricedItem(u"BAK-CRO"_s, 450, 2),
                               pricedItem(u"BAK-CRO"_s, 300, 1),
                               catalogItem(u"COF-ESP"_s, 1),
                               pricedItem(u"BAK-CRO"_s, Limits::maxPriceCents + 1, 1)};
    addBothWays(server, owner, adds, u"open-price"_s);
    if (QTest::currentTestFailed())
        return;
    const QString lineSql = u"SELECT line_no, sku, name, unit_price_cents, quantity, tax_code, "
                            "list_price_cents, price_reason FROM order_lines WHERE order_id = ? "
                            "ORDER BY line_no"_s;
    const QString historySql = u"SELECT at, action, from_version, to_version, detail FROM "
                               "order_history WHERE order_id = ? ORDER BY id"_s;
    const QStringList lines = rowsOf(lineSql, alice->id);
    QCOMPARE(lines, rowsOf(lineSql, bob->id));
    QCOMPARE(lines.size(), 3); // BAK-CRO at 450 x3, BAK-CRO at 300, COF-ESP
    QVERIFY2(lines.at(0).startsWith(u"1|BAK-CRO|Croissant|450|3|"_s), qPrintable(lines.at(0)));
    QVERIFY2(lines.at(1).startsWith(u"2|BAK-CRO|Croissant|300|1|"_s), qPrintable(lines.at(1)));
    QCOMPARE(rowsOf(historySql, alice->id), rowsOf(historySql, bob->id));

    // The replace function: the same rules.
    const QList<QList<ItemSpec>> replaces{
        {catalogItem(u"BAK-CRO"_s, 1)},
        {pricedItem(u"COF-ESP"_s, 100, 1)},
        {pricedItem(u"BAK-CRO"_s, 125, 1), pricedItem(u"BAK-CRO"_s, 250, 2),
         pricedItem(u"BAK-CRO"_s, 125, 1), catalogItem(u"COF-ESP"_s, 1)},
    };
    int version = value(u"SELECT version FROM order_sessions WHERE id = ?"_s, {alice->id}).toInt();
    QCOMPARE(value(u"SELECT version FROM order_sessions WHERE id = ?"_s, {bob->id}).toInt(),
             version);
    int step = int(adds.size()); // the replaces' keys go on from the adds'
    for (const QList<ItemSpec> &items : replaces) {
        tick();
        const QString key = u"open-price-r%1"_s.arg(++step);
        const QList<Result<Order>> viaFunction =
            server.replaceActiveOrdersLines({{m_alice, items, version, key + u"-function"_s}});
        const Result<Order> viaOwner =
            owner.replaceLines(OrderTarget::byCashier(m_bob), items, version, key + u"-owner"_s);
        QCOMPARE(viaFunction.size(), 1);
        QCOMPARE(int(viaFunction.constFirst().outcome()), int(viaOwner.outcome()));
        QCOMPARE(viaFunction.constFirst().message(), viaOwner.message());
        if (viaOwner)
            ++version;
    }
    const QStringList replaced = rowsOf(lineSql, alice->id);
    QCOMPARE(replaced, rowsOf(lineSql, bob->id));
    QCOMPARE(replaced.size(), 3);
    QVERIFY2(replaced.at(0).contains(u"|BAK-CRO|Croissant|125|2|"_s), qPrintable(replaced.at(0)));
    QVERIFY2(replaced.at(1).contains(u"|BAK-CRO|Croissant|250|2|"_s), qPrintable(replaced.at(1)));
    QCOMPARE(rowsOf(historySql, alice->id), rowsOf(historySql, bob->id));
}

void OrderServiceTest::fingerprintIsSha256OfTheCanonicalText()
{
    const QJsonObject parameters{{u"sku"_s, u"COF-ESP"_s},
                                 {u"qty"_s, 2},
                                 {u"name"_s, u"Caf\u00e9 \"Z\""_s},
                                 {u"order"_s, QJsonObject{{u"lines"_s, QJsonArray{1, 2}}}}};
    const QByteArray text = "add_item\n" + QJsonDocument(parameters).toJson(QJsonDocument::Compact);
    QCOMPARE(
        ActionJournal::fingerprint(u"add_item"_s, parameters),
        QString::fromLatin1(QCryptographicHash::hash(text, QCryptographicHash::Sha256).toHex()));
    // A fixed value (sha256sum of "open", a newline and "{}"), so it cannot drift with both.
    QCOMPARE(ActionJournal::fingerprint(u"open"_s, {}),
             u"e6c9321fdcb397e2330230de7a4ca6268ae663af6f169a746db01ccd94d7084e"_s);
}

void OrderServiceTest::databaseFunctionWritesTheOwnersRows()
{
    if (!Test::onPostgres())
        QSKIP("safetill_add_items exists on PostgreSQL only");
    OrderService server(db(), *m_clock, SyncSide::Server);  // the function
    OrderService owner(db(), *m_clock, SyncSide::Terminal); // OrderStore's statements
    const Result<Order> alice = m_orders->openOrResume(m_alice, rid());
    const Result<Order> bob = m_orders->openOrResume(m_bob, rid());
    QVERIFY(alice && bob);
    const QList<ItemSpec> adds{catalogItem(u"COF-ESP"_s, 2), catalogItem(u"COF-ESP"_s, 1),
                               openPriceItem(u"Gift wrap"_s, 250, 1), catalogItem(u"BAK-CRO"_s, 3),
                               catalogItem(u"NO-SUCH"_s, 1)};
    addBothWays(server, owner, adds, u"same"_s);
    if (QTest::currentTestFailed())
        return;
    const QString aliceOrder = alice->id;
    const QString bobOrder = bob->id;
    const QString orderSql = u"SELECT status, version, line_seq, created_at, updated_at, "
                             "terminal_id, tab_id, receipt_no FROM order_sessions WHERE id = ?"_s;
    const QString lineSql = u"SELECT line_no, sku, name, unit_price_cents, quantity FROM "
                            "order_lines WHERE order_id = ? ORDER BY line_no"_s;
    const QString historySql = u"SELECT at, action, from_version, to_version, from_status, "
                               "to_status, detail FROM order_history WHERE order_id = ? "
                               "ORDER BY id"_s;
    QCOMPARE(rowsOf(orderSql, aliceOrder), rowsOf(orderSql, bobOrder));
    QCOMPARE(rowsOf(lineSql, aliceOrder).size(), 3);
    QCOMPARE(rowsOf(lineSql, aliceOrder), rowsOf(lineSql, bobOrder));
    QCOMPARE(rowsOf(historySql, aliceOrder).size(), 5); // open + 4 adds (the refused one: none)
    QCOMPARE(rowsOf(historySql, aliceOrder), rowsOf(historySql, bobOrder));
    // Every line has its own id, of the same shape on both paths.
    const QRegularExpression uuid(
        u"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"_s);
    QCOMPARE(count(u"order_lines"_s, u"order_id IN (?, ?) AND line_id IS NOT NULL"_s,
                   {aliceOrder, bobOrder}),
             6);
    QSqlQuery &ids = db().exec(u"SELECT COUNT(DISTINCT line_id), MIN(line_id), MAX(line_id) "
                               "FROM order_lines WHERE order_id IN (?, ?)"_s,
                               {aliceOrder, bobOrder});
    QVERIFY(ids.next());
    QCOMPARE(ids.value(0).toInt(), 6);
    QVERIFY(uuid.match(ids.value(1).toString()).hasMatch());
    QVERIFY(uuid.match(ids.value(2).toString()).hasMatch());
    ids.finish();
    // The stored results: the same action, and the same order once its ids are set aside.
    for (int i = 1; i <= 4; ++i) {
        const QString key = u"same-%1"_s.arg(i);
        QCOMPARE(
            value(u"SELECT action FROM idempotency WHERE request_id = ?"_s, {key + u"-function"_s}),
            value(u"SELECT action FROM idempotency WHERE request_id = ?"_s, {key + u"-owner"_s}));
        QStringList lineIds;
        compareStoredResults(key, &lineIds);
        if (QTest::currentTestFailed())
            return;
        QCOMPARE(lineIds.size(), 2 * (i < 3 ? 1 : i - 1)); // each result's lines
        for (const QString &lineId : std::as_const(lineIds))
            QVERIFY(uuid.match(lineId).hasMatch());
    }
    QCOMPARE(count(u"idempotency"_s, u"request_id = ?"_s, {u"same-5-function"_s}), 0);
}

// The same for PUT /current's replaces (safetill_replace_items, migration 009) against
// OrderStore's statements: the same order state (version, line_seq), lines (numbers after the
// line_seq, merged SKUs, catalog prices, fresh ids), history, stored results and refusals.
void OrderServiceTest::replaceFunctionWritesTheOwnersRows()
{
    if (!Test::onPostgres())
        QSKIP("safetill_replace_items exists on PostgreSQL only");
    OrderService server(db(), *m_clock, SyncSide::Server);  // the function
    OrderService owner(db(), *m_clock, SyncSide::Terminal); // OrderStore's statements
    const Result<Order> alice = m_orders->openOrResume(m_alice, rid());
    const Result<Order> bob = m_orders->openOrResume(m_bob, rid());
    QVERIFY(alice && bob);
    struct Step
    {
        QList<ItemSpec> items;
        int version;
        QString key;
    };
    const QList<Step> steps{
        {{catalogItem(u"COF-ESP"_s, 2), openPriceItem(u"Gift wrap"_s, 250, 1),
          catalogItem(u"COF-ESP"_s, 1), catalogItem(u"BAK-CRO"_s, 3)},
         1,
         u"r-1"_s},
        {{catalogItem(u"BAK-CRO"_s, 1)}, 2, u"r-2"_s},
        {{catalogItem(u"COF-ESP"_s, 1)}, 2, u"r-3"_s}, // stale: conflict
        {{catalogItem(u"NO-SUCH"_s, 1)}, 3, u"r-4"_s}, // unknown SKU
        {{catalogItem(u"COF-ESP"_s, 0)}, 3, u"r-5"_s}, // invalid quantity
        {{catalogItem(u"BAK-CRO"_s, 1)}, 2, u"r-2"_s}, // replay
        {{catalogItem(u"BAK-CRO"_s, 2)}, 2, u"r-2"_s}, // reused id
        {{}, 3, u"r-6"_s},                             // no lines
        // A name JSON must escape: the function writes its result as text (migration 023).
        {{openPriceItem(u"Cake \"Sacher\" \\ 1/2 \u00fc\u20ac"_s, 500, 2)}, 4, u"r-7"_s},
    };
    for (const Step &step : steps) {
        tick();
        const QList<Result<Order>> viaFunction = server.replaceActiveOrdersLines(
            {{m_alice, step.items, step.version, step.key + u"-function"_s}});
        const Result<Order> viaOwner = owner.replaceLines(OrderTarget::byCashier(m_bob), step.items,
                                                          step.version, step.key + u"-owner"_s);
        QCOMPARE(viaFunction.size(), 1);
        const Result<Order> &function = viaFunction.constFirst();
        QCOMPARE(int(function.outcome()), int(viaOwner.outcome()));
        QCOMPARE(function.replayed(), viaOwner.replayed());
        QCOMPARE(QString(function.message()).replace(u"-function"_s, u"-owner"_s),
                 viaOwner.message());
        if (function) {
            QCOMPARE(function->version, viaOwner->version);
            QCOMPARE(function->totalCents(), viaOwner->totalCents());
            QCOMPARE(function->lines.size(), viaOwner->lines.size());
        }
    }
    // The function also takes many replaces in one call: each sees the one before it.
    tick();
    const QList<Result<Order>> two = server.replaceActiveOrdersLines(
        {{m_alice, {catalogItem(u"COF-ESP"_s, 4)}, 5, u"r-8-function"_s},
         {m_alice, {catalogItem(u"BAK-CRO"_s, 5)}, 6, u"r-9-function"_s}});
    const Result<Order> eight = owner.replaceLines(
        OrderTarget::byCashier(m_bob), {catalogItem(u"COF-ESP"_s, 4)}, 5, u"r-8-owner"_s);
    const Result<Order> nine = owner.replaceLines(
        OrderTarget::byCashier(m_bob), {catalogItem(u"BAK-CRO"_s, 5)}, 6, u"r-9-owner"_s);
    QCOMPARE(two.size(), 2);
    QVERIFY(two.at(0) && two.at(1) && eight && nine);
    QCOMPARE(two.at(1)->version, 7);

    const QString orderSql = u"SELECT status, version, line_seq, created_at, updated_at, "
                             "terminal_id, tab_id, receipt_no FROM order_sessions WHERE id = ?"_s;
    const QString lineSql = u"SELECT line_no, sku, name, unit_price_cents, quantity FROM "
                            "order_lines WHERE order_id = ? ORDER BY line_no"_s;
    const QString historySql = u"SELECT at, action, from_version, to_version, from_status, "
                               "to_status, detail FROM order_history WHERE order_id = ? "
                               "ORDER BY id"_s;
    QCOMPARE(rowsOf(orderSql, alice->id), rowsOf(orderSql, bob->id));
    QCOMPARE(rowsOf(lineSql, alice->id).size(), 1);
    QCOMPARE(rowsOf(lineSql, alice->id), rowsOf(lineSql, bob->id));
    QCOMPARE(rowsOf(historySql, alice->id).size(), 7); // open + 6 replaces
    QCOMPARE(rowsOf(historySql, alice->id), rowsOf(historySql, bob->id));
    const QRegularExpression uuid(
        u"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"_s);
    for (const QString &key : {u"r-1"_s, u"r-2"_s, u"r-6"_s, u"r-7"_s, u"r-8"_s, u"r-9"_s}) {
        QCOMPARE(
            value(u"SELECT action FROM idempotency WHERE request_id = ?"_s, {key + u"-function"_s}),
            value(u"SELECT action FROM idempotency WHERE request_id = ?"_s, {key + u"-owner"_s}));
        QCOMPARE(value(u"SELECT fingerprint FROM idempotency WHERE request_id = ?"_s,
                       {key + u"-function"_s})
                     .toString()
                     .isEmpty(),
                 false);
        QStringList lineIds;
        compareStoredResults(key, &lineIds);
        if (QTest::currentTestFailed())
            return;
        for (const QString &lineId : std::as_const(lineIds))
            QVERIFY(uuid.match(lineId).hasMatch());
    }
    for (const QString &key : {u"r-3"_s, u"r-4"_s, u"r-5"_s})
        QCOMPARE(count(u"idempotency"_s, u"request_id = ?"_s, {key + u"-function"_s}), 0);
}

void OrderServiceTest::makeTwinOrders(const QString &prefix, int pairs,
                                      const std::function<QList<ItemSpec>(int)> &items,
                                      TwinOrders *twins)
{
    CashierService cashiers(db(), *m_clock);
    for (int i = 0; i < pairs; ++i) {
        for (int side = 0; side < 2; ++side) {
            const Result<Cashier> added = cashiers.add(
                u"%1 %2%3"_s.arg(prefix).arg(i).arg(side == 0 ? u"f"_s : u"o"_s), u"4829"_s);
            VERIFY_OK(added);
            twins->cashiers[side].append(added->id);
            const Result<Order> opened = m_orders->openOrResume(added->id, rid());
            VERIFY_OK(opened);
            twins->orders[side].append(opened->id);
            VERIFY_OK(m_orders->replaceLines(OrderTarget::byId(opened->id), items(i), 1, rid()));
        }
    }
    twins->tenPercent = Discount{DiscountKind::Percent, 1000, u"Staff"_s, m_maria};
    for (const QStringList &side : twins->cashiers) {
        VERIFY_OK(m_orders->discountLine(OrderTarget::byCashier(side.at(3)), u"1"_s,
                                         twins->tenPercent, 2, rid()));
        VERIFY_OK(m_orders->discountOrder(OrderTarget::byCashier(side.at(4)), twins->tenPercent, 2,
                                          rid()));
    }
    VERIFY_OK(CatalogService(db(), *m_clock).retire(u"BAK-MUF"_s, ChangeBy{m_maria, {}}));
}

void OrderServiceTest::compareTwinRows(const TwinOrders &twins)
{
    const QString orderSql = u"SELECT status, version, line_seq, updated_at, discount_kind, "
                             "discount_value FROM order_sessions WHERE id = ?"_s;
    const QString lineSql = u"SELECT line_no, sku, name, unit_price_cents, quantity, tax_code, "
                            "tax_rate_bp, price_includes_tax, discount_kind FROM order_lines "
                            "WHERE order_id = ? ORDER BY line_no"_s;
    const QString historySql = u"SELECT at, action, from_version, to_version, from_status, "
                               "to_status, detail FROM order_history WHERE order_id = ? "
                               "ORDER BY id"_s;
    for (qsizetype i = 0; i < twins.orders[0].size(); ++i) {
        for (const QString &sql : {orderSql, lineSql, historySql})
            QCOMPARE(rowsOf(sql, twins.orders[0].at(i)), rowsOf(sql, twins.orders[1].at(i)));
    }
}

void OrderServiceTest::replaceFunctionBatchMatchesOneByOne()
{
    if (!Test::onPostgres())
        QSKIP("safetill_replace_items exists on PostgreSQL only");
    // The function does a batch's usual replaces in one statement and the others (a cashier's
    // second request, refusals, replays, an order discount) one by one after them: a batch that
    // mixes them all answers and writes, request for request, what the owner's statements do
    // run one after the other on twin orders.
    OrderService server(db(), *m_clock, SyncSide::Server);  // the function
    OrderService owner(db(), *m_clock, SyncSide::Terminal); // OrderStore's statements
    TwinOrders orders;
    makeTwinOrders(
        u"Batch"_s, 6, [](int) { return QList<ItemSpec>{catalogItem(u"COF-ESP"_s, 1)}; }, &orders);
    if (QTest::currentTestFailed())
        return;
    const QStringList &function = orders.cashiers[0]; // twins.at(i) is the twin of function.at(i)
    const QStringList &twins = orders.cashiers[1];
    const Discount &tenPercent = orders.tenPercent;
    struct Request
    {
        int pair;
        QList<ItemSpec> items;
        int version;
        QString key;
    };
    const QList<Request> batch{
        {0, {catalogItem(u"COF-ESP"_s, 2), catalogItem(u"BAK-CRO"_s, 1)}, 2, u"b-1"_s}, // usual
        {1, {openPriceItem(u"Gift wrap"_s, 250, 2)}, 2, u"b-2"_s},                      // usual
        {0, {catalogItem(u"BAK-CRO"_s, 3)}, 3, u"b-3"_s}, // the cashier's second: after b-1
        {2, {catalogItem(u"COF-ESP"_s, 1)}, 1, u"b-4"_s}, // stale: conflict
        {3, {catalogItem(u"COF-ESP"_s, 1)}, 3, u"b-5"_s}, // a discounted line
        {4, {catalogItem(u"BAK-CRO"_s, 2)}, 3, u"b-6"_s}, // an order discount: kept
        {5, {catalogItem(u"BAK-MUF"_s, 1)}, 2, u"b-7"_s}, // a retired product
        {1, {openPriceItem(u"Gift wrap"_s, 250, 2)}, 2, u"b-2"_s}, // replay of b-2
        {5, {}, 2, u"b-8"_s}, // no lines, after its cashier's refusal
    };
    tick();
    QList<OrderService::ActiveOrderReplace> replaces;
    for (const Request &request : batch) {
        replaces.append({function.at(request.pair), request.items, request.version,
                         request.key + u"-function"_s});
    }
    const QList<Result<Order>> viaFunction = server.replaceActiveOrdersLines(replaces);
    QCOMPARE(viaFunction.size(), batch.size());
    for (qsizetype k = 0; k < batch.size(); ++k) {
        const Request &request = batch.at(k);
        const Result<Order> viaOwner =
            owner.replaceLines(OrderTarget::byCashier(twins.at(request.pair)), request.items,
                               request.version, request.key + u"-owner"_s);
        const Result<Order> &fromFunction = viaFunction.at(k);
        QCOMPARE(int(fromFunction.outcome()), int(viaOwner.outcome()));
        QCOMPARE(fromFunction.replayed(), viaOwner.replayed());
        QCOMPARE(QString(fromFunction.message()).replace(u"-function"_s, u"-owner"_s),
                 viaOwner.message());
        if (fromFunction) {
            QCOMPARE(fromFunction->version, viaOwner->version);
            QCOMPARE(fromFunction->totalCents(), viaOwner->totalCents());
            QCOMPARE(fromFunction->lines.size(), viaOwner->lines.size());
        }
    }
    // What each request did, as the tests see it: the outcomes the batch must give.
    QVERIFY(viaFunction.at(0) && viaFunction.at(1) && viaFunction.at(2) && viaFunction.at(5) &&
            viaFunction.at(8));
    QCOMPARE(viaFunction.at(2)->version, 4);
    QCOMPARE(int(viaFunction.at(3).outcome()), int(Outcome::Conflict));
    QVERIFY(!viaFunction.at(4) && !viaFunction.at(6));
    QVERIFY(viaFunction.at(7).replayed());
    QVERIFY(viaFunction.at(5)->discount == tenPercent);

    compareTwinRows(orders);
    if (QTest::currentTestFailed())
        return;
    for (const QString &key : {u"b-1"_s, u"b-2"_s, u"b-3"_s, u"b-6"_s, u"b-8"_s}) {
        QStringList lineIds;
        compareStoredResults(key, &lineIds);
        if (QTest::currentTestFailed())
            return;
    }
    for (const QString &key : {u"b-4"_s, u"b-5"_s, u"b-7"_s})
        QCOMPARE(count(u"idempotency"_s, u"request_id = ?"_s, {key + u"-function"_s}), 0);
}

void OrderServiceTest::addFunctionBatchMatchesOneByOne()
{
    if (!Test::onPostgres())
        QSKIP("safetill_add_items exists on PostgreSQL only");
    // The function (025) does a batch's usual adds in one statement and the others (a cashier's
    // second request, an open item, refusals, replays, a discount, a full line) one by one after
    // them: a batch that mixes them all answers and writes, request for request, what the
    // owner's statements do run one after the other on twin orders.
    OrderService server(db(), *m_clock, SyncSide::Server);  // the function
    OrderService owner(db(), *m_clock, SyncSide::Terminal); // OrderStore's statements
    TwinOrders orders;
    makeTwinOrders(
        u"Adds"_s, 7,
        [](int i) {
            return QList<ItemSpec>{catalogItem(u"COF-ESP"_s, 1),
                                   catalogItem(u"BAK-CRO"_s, i == 6 ? 9999 : 2)};
        },
        &orders);
    if (QTest::currentTestFailed())
        return;
    const QStringList &function = orders.cashiers[0]; // twins.at(i) is the twin of function.at(i)
    const QStringList &twins = orders.cashiers[1];
    const Discount &tenPercent = orders.tenPercent;
    struct Request
    {
        int pair;
        ItemSpec item;
        QString key;
    };
    const QList<Request> batch{
        {0, catalogItem(u"COF-ESP"_s, 2), u"a-1"_s},          // usual: its line grows
        {1, catalogItem(u"TEA-GRN"_s, 1), u"a-2"_s},          // usual: a new line
        {0, catalogItem(u"TEA-GRN"_s, 3), u"a-3"_s},          // the cashier's second: after a-1
        {2, openPriceItem(u"Gift wrap"_s, 250, 1), u"a-4"_s}, // an open item
        {3, catalogItem(u"COF-ESP"_s, 1), u"a-5"_s},          // onto a discounted line
        {4, catalogItem(u"BAK-CRO"_s, 2), u"a-6"_s},          // an order discount
        {5, catalogItem(u"BAK-MUF"_s, 1), u"a-7"_s},          // a retired product
        {1, catalogItem(u"TEA-GRN"_s, 1), u"a-2"_s},          // replay of a-2
        {6, catalogItem(u"BAK-CRO"_s, 1), u"a-8"_s},          // a full line
        {2, catalogItem(u"COF-ESP"_s, 4), u"a-9"_s},          // after its cashier's open item
        {5, catalogItem(u"COF-ESP"_s, 1), u"a-10"_s},         // after its cashier's refusal
    };
    tick();
    QList<OrderService::ActiveOrderAdd> adds;
    for (const Request &request : batch)
        adds.append({function.at(request.pair), request.item, request.key + u"-function"_s});
    const QList<Result<Order>> viaFunction = server.addToActiveOrders(adds);
    QCOMPARE(viaFunction.size(), batch.size());
    for (qsizetype k = 0; k < batch.size(); ++k) {
        const Request &request = batch.at(k);
        const Result<Order> viaOwner =
            owner.addToActiveOrder(twins.at(request.pair), request.item, request.key + u"-owner"_s);
        const Result<Order> &fromFunction = viaFunction.at(k);
        QCOMPARE(int(fromFunction.outcome()), int(viaOwner.outcome()));
        QCOMPARE(fromFunction.replayed(), viaOwner.replayed());
        QCOMPARE(QString(fromFunction.message()).replace(u"-function"_s, u"-owner"_s),
                 viaOwner.message());
        if (fromFunction) {
            QCOMPARE(fromFunction->version, viaOwner->version);
            QCOMPARE(fromFunction->totalCents(), viaOwner->totalCents());
            QCOMPARE(fromFunction->lines.size(), viaOwner->lines.size());
        }
    }
    // What each request did, as the tests see it: the outcomes the batch must give.
    for (const int ok : {0, 1, 2, 3, 4, 5, 7, 9, 10})
        QVERIFY2(viaFunction.at(ok), qPrintable(viaFunction.at(ok).message()));
    QVERIFY(!viaFunction.at(6) && !viaFunction.at(8));
    QVERIFY(viaFunction.at(7).replayed());
    QCOMPARE(viaFunction.at(0)->version, 3);
    QCOMPARE(viaFunction.at(2)->version, 4);
    QCOMPARE(viaFunction.at(0)->lines.size(), 2);
    QCOMPARE(viaFunction.at(1)->lines.size(), 3);
    QVERIFY(viaFunction.at(5)->discount == tenPercent);

    compareTwinRows(orders);
    if (QTest::currentTestFailed())
        return;
    for (const QString &key :
         {u"a-1"_s, u"a-2"_s, u"a-3"_s, u"a-4"_s, u"a-5"_s, u"a-6"_s, u"a-9"_s, u"a-10"_s}) {
        QStringList lineIds;
        compareStoredResults(key, &lineIds);
        if (QTest::currentTestFailed())
            return;
    }
    for (const QString &key : {u"a-7"_s, u"a-8"_s})
        QCOMPARE(count(u"idempotency"_s, u"request_id = ?"_s, {key + u"-function"_s}), 0);
}

void OrderServiceTest::constraintViolationsAreTypedResults()
{
    const std::optional<Order> order = orderWith(m_alice, {{u"COF-ESP"_s, 1}});
    QVERIFY(order);
    const QString before = dump();
    const QString t = now();

    // Raw SQL first: the database itself refuses.
    const auto rawError = [&](const QString &sql) {
        QSqlQuery query(db().connection());
        return query.exec(sql) ? QSqlError() : query.lastError();
    };
    const QSqlError second = rawError(
        u"INSERT INTO order_sessions (id, cashier_id, status, version, created_at, updated_at, "
        "terminal_id) VALUES ('second', '%1', 'active', 1, 't', 't', "
        "(SELECT terminal_id FROM terminal WHERE id = 1))"_s.arg(m_alice));
    QVERIFY2(second.isValid(), "a second open order for one cashier must be refused");
    QCOMPARE(second.nativeErrorCode(), Test::uniqueViolationCode(db()));
    QCOMPARE(SqlFailure::classify(second), SqlFailure::Kind::UniqueViolation);
    QCOMPARE(dump(), before);

    // Through the write helper the same refusal is a typed result, not a crash or an exception.
    const auto attempt = [&](const QString &sql, const QVariantList &values) {
        return db().write([&]() -> Result<Order> {
            db().exec(sql, values);
            return Result<Order>::ok(Order{});
        });
    };
    const QString insertOrder =
        u"INSERT INTO order_sessions (id, cashier_id, status, version, tab_id, created_at, "
        "updated_at, logout_time, completed_at, terminal_id) VALUES (?, ?, ?, 1, ?, ?, ?, ?, ?, "
        "(SELECT terminal_id FROM terminal WHERE id = 1))"_s;
    const QVariant null{QMetaType(QMetaType::QString)};
    struct Case
    {
        const char *what;
        QString sql;
        QVariantList values;
        SqlFailure::Kind kind;
    };
    const QString insertPayment =
        u"INSERT INTO payments (id, order_id, tab_id, method, amount_cents, tendered_cents, "
        "change_cents, receipt_no, paid_at, due_cents, paid_version, terminal_id) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 100000, 1, 't')"_s;
    const QList<Case> cases{
        {"second active order",
         insertOrder,
         {u"o2"_s, m_alice, u"active"_s, null, t, t, null, null},
         SqlFailure::Kind::UniqueViolation},
        {"second parked order",
         insertOrder,
         {u"o3"_s, m_alice, u"pending_logout"_s, null, t, t, t, null},
         SqlFailure::Kind::UniqueViolation},
        {"unknown status",
         insertOrder,
         {u"o4"_s, m_bob, u"bogus"_s, null, t, t, null, null},
         SqlFailure::Kind::CheckViolation},
        {"assigned without tab",
         insertOrder,
         {u"o5"_s, m_bob, u"assigned"_s, null, t, t, null, null},
         SqlFailure::Kind::CheckViolation},
        {"completed without time",
         insertOrder,
         {u"o6"_s, m_bob, u"completed"_s, null, t, t, null, null},
         SqlFailure::Kind::CheckViolation},
        {"unknown cashier",
         insertOrder,
         {u"o7"_s, u"nobody"_s, u"active"_s, null, t, t, null, null},
         SqlFailure::Kind::ForeignKeyViolation},
        {"tendered below amount",
         insertPayment,
         {u"p1"_s, order->id, null, u"cash"_s, 500, 400, -100, u"R-1"_s, t},
         SqlFailure::Kind::CheckViolation},
        {"wrong change",
         insertPayment,
         {u"p2"_s, order->id, null, u"cash"_s, 500, 600, 50, u"R-2"_s, t},
         SqlFailure::Kind::CheckViolation},
        {"payment for nothing",
         insertPayment,
         {u"p3"_s, null, null, u"cash"_s, 5, 5, 0, u"R-3"_s, t},
         SqlFailure::Kind::CheckViolation},
        {"payment for an unknown order",
         insertPayment,
         {u"p4"_s, u"nope"_s, null, u"cash"_s, 5, 5, 0, u"R-4"_s, t},
         SqlFailure::Kind::ForeignKeyViolation},
        {"negative amount",
         insertPayment,
         {u"p5"_s, order->id, null, u"cash"_s, -5, 0, 5, u"R-5"_s, t},
         SqlFailure::Kind::CheckViolation},
        {"quantity zero",
         u"INSERT INTO order_lines (order_id, line_no, sku, name, unit_price_cents, quantity) "
         "VALUES (?, 2, 'COF-LAT', 'Latte', 340, 0)"_s,
         {order->id},
         SqlFailure::Kind::CheckViolation},
        {"one line id twice",
         u"INSERT INTO order_lines (order_id, line_no, line_id, sku, name, unit_price_cents, "
         "quantity) SELECT order_id, 2, line_id, sku, name, unit_price_cents, 1 FROM order_lines "
         "WHERE order_id = ?"_s,
         {order->id},
         SqlFailure::Kind::UniqueViolation},
        {"negative price",
         u"UPDATE order_lines SET unit_price_cents = -1 WHERE order_id = ?"_s,
         {order->id},
         SqlFailure::Kind::CheckViolation},
        {"version zero",
         u"UPDATE order_sessions SET version = 0 WHERE id = ?"_s,
         {order->id},
         SqlFailure::Kind::CheckViolation},
    };
    for (const Case &c : cases) {
        const Result<Order> result = attempt(c.sql, c.values);
        QVERIFY2(
            result.outcome() == Outcome::Error,
            qPrintable(u"%1: %2"_s.arg(QLatin1StringView(c.what), outcomeName(result.outcome()))));
        QVERIFY2(!result.value(), c.what);
        QVERIFY2(!result.detail().isEmpty(), c.what);
        QVERIFY2(result.message().contains(u"nothing was changed"_s), c.what);
        // The kind is in the detail as the native code; classify it again from there.
        const QString code = result.detail().section(u"native code "_s, 1).section(u')', 0, 0);
        QVERIFY2(SqlFailure::classify(QSqlError({}, {}, QSqlError::StatementError, code)) == c.kind,
                 qPrintable(u"%1: %2"_s.arg(QLatin1StringView(c.what), result.detail())));
    }
    QCOMPARE(dump(), before);

    // A completed order is not open, so the partial index lets it sit beside the open one.
    const Result<Order> completed =
        attempt(insertOrder, {u"done"_s, m_alice, u"completed"_s, null, t, t, null, t});
    VERIFY_OK(completed);
    QCOMPARE(count(u"order_sessions"_s, u"cashier_id = ?"_s, {m_alice}), 2);
    db().exec(u"INSERT INTO order_lines (order_id, line_no, line_id, name, unit_price_cents, "
              "quantity) VALUES ('done', 1, 'done-1', 'Cake', 100, 1)"_s);
    db().exec(u"INSERT INTO payments (id, order_id, method, amount_cents, tendered_cents, "
              "change_cents, receipt_no, paid_at, due_cents, paid_version, terminal_id) VALUES "
              "('pay-done', 'done', 'cash', 100, 100, 0, 'R-9', 't', 100, 1, 't')"_s);
    // ...but its sale payments never exceed what was due (a trigger: payments are facts, several
    // may pay one order, and none may pay it twice).
    const Result<Order> secondPayment =
        attempt(u"INSERT INTO payments (id, order_id, method, amount_cents, tendered_cents, "
                "change_cents, receipt_no, paid_at, due_cents, paid_version, terminal_id) VALUES "
                "('pay-again', 'done', 'cash', 100, 100, 0, 'R-10', 't', 100, 1, 't')"_s,
                {});
    VERIFY_OUTCOME(secondPayment, Outcome::Error);
    QVERIFY2(secondPayment.detail().contains(u"never exceed what was due"_s),
             qPrintable(secondPayment.detail()));
}

} // namespace SafeTill

QTEST_GUILESS_MAIN(SafeTill::OrderServiceTest)
#include "tst_orderservice.moc"
