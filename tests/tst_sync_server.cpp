// The server side of terminal sync over real HTTP: safetill-server as a real process on 127.0.0.1
// (SQLite, and PostgreSQL as tst_sync_server_pg), terminals as real SQLite databases whose outbox
// rows are pushed as docs/sync-protocol.md describes. A small raw HTTP client, so that nothing
// re-sends a request behind the test's back.

#include "Database.h"
#include "OrderService.h"
#include "OrderStore.h"
#include "ResultChecks.h"
#include "ServerTestClient.h"
#include "TestSupport.h"

#include <QElapsedTimer>
#include <QHostAddress>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>
#include <QUuid>

#include <functional>
#include <memory>
#include <vector>

using namespace Qt::StringLiterals;
using namespace SafeTill;
using namespace SafeTill::Test;

namespace {

QByteArray pushBody(const QJsonArray &ops)
{
    return json({{u"protocol"_s, 2}, {u"ops"_s, ops}});
}

// A terminal: a SQLite database filled from a real pull (cashiers with their PIN hashes, the
// catalog, the receipt prefix), its order service, and its outbox rows as push ops.
class Terminal
{
public:
    explicit Terminal(const QJsonObject &pull)
    {
        QString error;
        m_db = Database::open(DatabaseOptions{m_dir.filePath(u"terminal.sqlite"_s)}, &error);
        if (!m_db)
            qFatal("terminal: %s", qPrintable(error));
        for (const QJsonValue &value : pull.value(u"cashiers"_s).toArray()) {
            const QJsonObject cashier = value.toObject();
            exec(u"INSERT INTO cashiers (id, name, name_key, role, pin_hash, created_at) "
                 "VALUES (?, ?, lower(?), ?, ?, ?)"_s,
                 {cashier.value(u"id"_s).toString(), cashier.value(u"name"_s).toString(),
                  cashier.value(u"name"_s).toString(), cashier.value(u"role"_s).toString(),
                  cashier.value(u"pin_hash"_s).toString(),
                  cashier.value(u"created_at"_s).toString()});
        }
        for (const QJsonValue &value : pull.value(u"products"_s).toArray()) {
            const QJsonObject product = value.toObject();
            exec(u"INSERT INTO products (sku, name, price_cents, category, updated_at) "
                 "VALUES (?, ?, ?, ?, ?)"_s,
                 {product.value(u"sku"_s).toString(), product.value(u"name"_s).toString(),
                  product.value(u"price_cents"_s).toInteger(),
                  product.value(u"category"_s).toString(),
                  product.value(u"updated_at"_s).toString()});
        }
        exec(u"UPDATE terminal SET receipt_prefix = ?"_s,
             {pull.value(u"device"_s).toObject().value(u"receipt_prefix"_s).toString()});
        orders = std::make_unique<OrderService>(*m_db);
    }
    Database &db() { return *m_db; }
    QString cashierId(const QString &name)
    {
        return queryValue(*m_db, u"SELECT id FROM cashiers WHERE name = ?"_s, {name}).toString();
    }
    OrderTarget cashier(const QString &name) { return OrderTarget::byCashier(cashierId(name)); }

    // Outbox rows not taken yet, as the wire's ops.
    QJsonArray takeOps()
    {
        QJsonArray ops;
        QSqlQuery query(m_db->connection());
        query.prepare(u"SELECT seq, request_id, op, order_id, tab_id, created_at, payload "
                      "FROM outbox WHERE seq > ? ORDER BY seq"_s);
        query.addBindValue(m_taken);
        if (!query.exec())
            qFatal("outbox: %s", qPrintable(query.lastError().text()));
        auto nullable = [&](int column) {
            return query.value(column).isNull() ? QJsonValue(QJsonValue::Null)
                                                : QJsonValue(query.value(column).toString());
        };
        while (query.next()) {
            m_taken = query.value(0).toLongLong();
            ops.append(QJsonObject{
                {u"seq"_s, m_taken},
                {u"request_id"_s, query.value(1).toString()},
                {u"op"_s, query.value(2).toString()},
                {u"order_id"_s, nullable(3)},
                {u"tab_id"_s, nullable(4)},
                {u"created_at"_s, query.value(5).toString()},
                {u"payload"_s, QJsonDocument::fromJson(query.value(6).toByteArray()).object()}});
        }
        return ops;
    }

    std::unique_ptr<OrderService> orders;

private:
    void exec(const QString &sql, const QVariantList &values)
    {
        QSqlQuery query(m_db->connection());
        query.prepare(sql);
        for (const QVariant &value : values)
            query.addBindValue(value);
        if (!query.exec())
            qFatal("terminal: %s", qPrintable(query.lastError().text()));
    }

    QTemporaryDir m_dir;
    std::unique_ptr<Database> m_db;
    qint64 m_taken = 0;
};

QStringList resultKinds(const Response &response)
{
    QStringList kinds;
    for (const QJsonValue &value : response.json().value(u"results"_s).toArray())
        kinds << syncResultKind(value.toObject());
    return kinds;
}

} // namespace

class SyncServerTest : public QObject
{
    Q_OBJECT

private:
    QJsonObject pull(const QByteArray &token)
    {
        HttpClient client(m_server->port());
        const Response response = client.request("GET", u"/api/sync/v1/pull"_s, {}, bearer(token));
        if (response.status != 200)
            qWarning() << "pull:" << response.status << response.body;
        return response.json();
    }
    Response push(const QJsonArray &ops, const QByteArray &token = {})
    {
        HttpClient client(m_server->port());
        return client.request("POST", u"/api/sync/v1/push"_s, pushBody(ops),
                              bearer(token.isEmpty() ? m_token : token));
    }
    QByteArray cashierLogin(const QString &name, const QString &pin)
    {
        HttpClient client(m_server->port());
        const Response response = client.request("POST", u"/api/auth/login"_s,
                                                 json({{u"username"_s, name}, {u"pin"_s, pin}}));
        return response.json().value(u"token"_s).toString().toLatin1();
    }
    int count(const QString &sql, const QVariantList &values = {})
    {
        return queryValue(m_db->db(), sql, values).toInt();
    }
    QByteArray addDevice(const QString &name)
    {
        auto [status, token] = runAdmin({u"--db"_s, m_db->path(), u"device"_s, u"add"_s, name});
        return status == 0 ? token.trimmed() : QByteArray();
    }

    std::unique_ptr<TestDatabase> m_db;
    std::unique_ptr<ServerProcess> m_server;
    QByteArray m_token; // device "Till 1"

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void pullGivesCashiersCatalogAndPrefix();
    void tokensAndMethods();
    void pushAppliesThenReplays();
    void serverEditMergesAndPaymentIsBooked();
    void protocol2TillRefusedForServerDiscount();
    void permanentRejectionsKeepTheBatchGoing();
    void malformedAndHugeBatchesApplyNothing();
    void concurrentPushesApplyEachOpOnce();
    void backlogDrainsInBatches();
    void productAdminCommands();
};

void SyncServerTest::initTestCase()
{
    SAFETILL_REQUIRE_TEST_BACKEND();
}

void SyncServerTest::init()
{
    // A fresh server database (demo cashiers Alice 1234, Bob 5678, Maria 9999 and the demo
    // catalog) and server for every test: tests do not see each other's orders.
    m_db = std::make_unique<TestDatabase>();
    m_token = addDevice(u"Till 1"_s);
    QCOMPARE(m_token.size(), 43);
    m_server = std::make_unique<ServerProcess>();
    QVERIFY(m_server->start(m_db->path()));
}

void SyncServerTest::cleanup()
{
    if ((QTest::currentTestFailed() || qEnvironmentVariableIsSet("SAFETILL_SHOW_SERVER_LOG")) &&
        m_server)
        qWarning().noquote() << "server log:" << m_server->log();
    m_server.reset();
    m_db.reset();
}

void SyncServerTest::pullGivesCashiersCatalogAndPrefix()
{
    HttpClient client(m_server->port());
    const Response first = client.request("GET", u"/api/sync/v1/pull"_s, {}, bearer(m_token));
    QCOMPARE(first.status, 200);
    const QJsonObject body = first.json();
    QCOMPARE(body.value(u"protocol"_s).toInt(), 2);
    const QByteArray etag = first.header("etag");
    QVERIFY(etag.startsWith('"') && etag.endsWith('"') && etag.size() > 10);
    QCOMPARE(body.value(u"etag"_s).toString().toLatin1(), etag);
    const QJsonObject device = body.value(u"device"_s).toObject();
    QCOMPARE(device.value(u"name"_s).toString(), u"Till 1"_s);
    QCOMPARE(device.value(u"receipt_prefix"_s).toString(), u"T001"_s);
    QCOMPARE(body.value(u"limits"_s).toObject().value(u"max_ops_per_batch"_s).toInt(), 500);
    QCOMPARE(body.value(u"limits"_s).toObject().value(u"max_body_bytes"_s).toInt(), 1048576);

    // Cashiers with their PIN hashes, exactly as the server has them, so login works offline.
    const QJsonArray cashiers = body.value(u"cashiers"_s).toArray();
    QCOMPARE(cashiers.size(), count(u"SELECT COUNT(*) FROM cashiers"_s));
    QCOMPARE(cashiers.at(0).toObject().value(u"name"_s).toString(), u"Alice"_s);
    for (const QJsonValue &value : cashiers) {
        const QJsonObject cashier = value.toObject();
        QCOMPARE(cashier.value(u"pin_hash"_s).toString(),
                 queryValue(m_db->db(), u"SELECT pin_hash FROM cashiers WHERE id = ?"_s,
                            {cashier.value(u"id"_s).toString()})
                     .toString());
        QVERIFY(cashier.value(u"pin_hash"_s).toString().startsWith(u"$argon2id$"_s));
    }
    const QJsonArray products = body.value(u"products"_s).toArray();
    QCOMPARE(products.size(), count(u"SELECT COUNT(*) FROM products"_s));
    bool espresso = false;
    for (const QJsonValue &value : products) {
        if (value.toObject().value(u"sku"_s).toString() == u"COF-ESP"_s) {
            espresso = true;
            QCOMPARE(value.toObject().value(u"price_cents"_s).toInt(), 220);
        }
    }
    QVERIFY(espresso);

    // Unchanged: 304, no body. The prefix stays.
    const Response unchanged = client.request("GET", u"/api/sync/v1/pull"_s, {},
                                              bearer(m_token, {{"If-None-Match", etag}}));
    QCOMPARE(unchanged.status, 304);
    QVERIFY(unchanged.body.isEmpty());
    // No Content-Length: it would have to be the 200's length (RFC 9110, 8.6); no Content-Type.
    QVERIFY(!unchanged.headers.contains("content-length"));
    QVERIFY(!unchanged.headers.contains("content-type"));
    QCOMPARE(unchanged.header("etag"), etag);

    // A second device gets its own prefix and its own ETag.
    const QByteArray second = addDevice(u"Till 2"_s);
    const QJsonObject other = pull(second);
    QCOMPARE(other.value(u"device"_s).toObject().value(u"receipt_prefix"_s).toString(), u"T002"_s);
    QVERIFY(other.value(u"etag"_s).toString().toLatin1() != etag);

    // A catalog change makes the old ETag stale.
    QCOMPARE(runAdmin({u"--db"_s, m_db->path(), u"product"_s, u"add"_s, u"SYN-01"_s, u"Green tea"_s,
                       u"310"_s})
                 .first,
             0);
    const Response changed = client.request("GET", u"/api/sync/v1/pull"_s, {},
                                            bearer(m_token, {{"If-None-Match", etag}}));
    QCOMPARE(changed.status, 200);
    QVERIFY(changed.header("etag") != etag);
    QCOMPARE(changed.json().value(u"products"_s).toArray().size(), products.size() + 1);
}

void SyncServerTest::tokensAndMethods()
{
    HttpClient client(m_server->port());
    const Response none = client.request("GET", u"/api/sync/v1/pull"_s);
    QCOMPARE(none.status, 401);
    QVERIFY(!none.header("www-authenticate").isEmpty());
    QCOMPARE(client.request("GET", u"/api/sync/v1/pull"_s, {}, bearer("not-a-token")).status, 401);
    QCOMPARE(
        client.request("POST", u"/api/sync/v1/push"_s, pushBody({}), bearer(QByteArray(43, 'A')))
            .status,
        401);
    // A cashier's token cannot sync; a device token cannot act as a cashier.
    const QByteArray cashier = cashierLogin(u"Alice"_s, u"1234"_s);
    QCOMPARE(cashier.size(), 43);
    const Response userOnSync = client.request("GET", u"/api/sync/v1/pull"_s, {}, bearer(cashier));
    QCOMPARE(userOnSync.status, 403);
    QCOMPARE(userOnSync.json().value(u"code"_s).toString(), u"forbidden"_s);
    QCOMPARE(client.request("POST", u"/api/sync/v1/push"_s, pushBody({}), bearer(cashier)).status,
             403);
    QCOMPARE(client.request("GET", u"/api/order-sessions/current"_s, {}, bearer(m_token)).status,
             403);
    // Wrong methods, unknown versions.
    const Response wrongMethod = client.request("GET", u"/api/sync/v1/push"_s, {}, bearer(m_token));
    QCOMPARE(wrongMethod.status, 405);
    QCOMPARE(wrongMethod.header("allow"), "POST");
    QCOMPARE(client.request("POST", u"/api/sync/v1/pull"_s, {}, bearer(m_token)).status, 405);
    QCOMPARE(client.request("GET", u"/api/sync/v2/pull"_s, {}, bearer(m_token)).status, 404);
}

void SyncServerTest::pushAppliesThenReplays()
{
    Terminal terminal(pull(m_token));
    OrderService &orders = *terminal.orders;
    const OrderTarget alice = terminal.cashier(u"Alice"_s);
    QVERIFY(orders.addProduct(alice, u"COF-ESP"_s, 2, newId()));
    QVERIFY(orders.addProduct(alice, u"BAK-CRO"_s, 1, newId()));
    const Result<Order> paid =
        orders.complete(alice, PaymentRequest{PaymentMethod::Cash, 1000}, std::nullopt, newId());
    QVERIFY(paid);
    QVERIFY(paid->receiptNo.startsWith(u"T001-"_s));
    const QJsonArray ops = terminal.takeOps();
    QCOMPARE(ops.size(), 4);

    const Response first = push(ops);
    QCOMPARE(first.status, 200);
    QCOMPARE(resultKinds(first), repeated(u"applied"_s, 4));
    const QJsonArray results = first.json().value(u"results"_s).toArray();
    QCOMPARE(results.at(3).toObject().value(u"version"_s).toInt(), paid->version);
    QCOMPARE(results.at(0).toObject().value(u"request_id"_s),
             ops.at(0).toObject().value(u"request_id"_s));

    const std::optional<Order> server = OrderStore(m_db->db()).load(paid->id);
    QVERIFY(server);
    QCOMPARE(toString(server->status), u"completed"_s);
    QCOMPARE(server->version, paid->version);
    QCOMPARE(server->receiptNo, paid->receiptNo);
    QCOMPARE(server->totalCents(), paid->totalCents());
    QVERIFY(server->payment);
    QCOMPARE(server->payment->tenderedCents, 1000);
    const int history = count(u"SELECT COUNT(*) FROM order_history"_s);
    const int lines = count(u"SELECT COUNT(*) FROM order_lines"_s);

    // The same batch again, as after a lost response: replayed, nothing doubled.
    const Response again = push(ops);
    QCOMPARE(again.status, 200);
    QCOMPARE(resultKinds(again), repeated(u"replayed"_s, 4));
    QCOMPARE(
        again.json().value(u"results"_s).toArray().at(3).toObject().value(u"version"_s).toInt(),
        paid->version);
    QCOMPARE(count(u"SELECT COUNT(*) FROM order_history"_s), history);
    QCOMPARE(count(u"SELECT COUNT(*) FROM order_lines"_s), lines);
    QCOMPARE(count(u"SELECT COUNT(*) FROM payments"_s), 1);
    QCOMPARE(count(u"SELECT COUNT(*) FROM order_sessions"_s), 1);
}

void SyncServerTest::serverEditMergesAndPaymentIsBooked()
{
    Terminal terminal(pull(m_token));
    OrderService &orders = *terminal.orders;
    const OrderTarget bob = terminal.cashier(u"Bob"_s);
    const Result<Order> synced = orders.addProduct(bob, u"COF-ESP"_s, 1, newId());
    QVERIFY(synced);
    QCOMPARE(resultKinds(push(terminal.takeOps())), repeated(u"applied"_s, 2));

    // The server changes the device's order (its own code, as a manager's edit would).
    OrderService serverOrders(m_db->db(), Clock::system(), SyncSide::Server);
    VERIFY_OK(serverOrders.addProduct(OrderTarget::byId(synced->id), u"BAK-CRO"_s, 2, newId()));
    // The server's REST API is a terminal of its own: Bob's "current" there is not the till's.
    const QByteArray bobToken = cashierLogin(u"Bob"_s, u"5678"_s);
    HttpClient rest(m_server->port());
    const Response current =
        rest.request("GET", u"/api/order-sessions/current"_s, {}, bearer(bobToken));
    QCOMPARE(current.status, 404);

    // Meanwhile, offline, the terminal added to the same order and took payment for what it
    // showed, and Maria sold something.
    QVERIFY(orders.addProduct(bob, u"COF-ESP"_s, 4, newId()));
    const Result<Order> paid =
        orders.complete(bob, PaymentRequest{PaymentMethod::Cash, 5000}, std::nullopt, newId());
    VERIFY_OK(paid);
    const OrderTarget maria = terminal.cashier(u"Maria"_s);
    const Result<Order> other = orders.addProduct(maria, u"BAK-CRO"_s, 1, newId());
    QVERIFY(other);

    const Response response = push(terminal.takeOps());
    QCOMPARE(response.status, 200);
    QCOMPARE(resultKinds(response), repeated(u"applied"_s, 4));
    // The add merged (the answer carries the server's copy with the croissants)...
    const QJsonArray results = response.json().value(u"results"_s).toArray();
    QCOMPARE(results.at(0)
                 .toObject()
                 .value(u"server_order"_s)
                 .toObject()
                 .value(u"lines"_s)
                 .toArray()
                 .size(),
             2);
    // ...and the payment is booked for what was paid: 5 espressos. The croissants added on the
    // server were not paid for: a review item with their value.
    const QJsonArray reviews = results.at(1).toObject().value(u"review_items"_s).toArray();
    QCOMPARE(reviews.size(), 1);
    QCOMPARE(reviews.at(0).toObject().value(u"kind"_s).toString(), u"paid_order_changed"_s);
    QCOMPARE(reviews.at(0).toObject().value(u"amount_cents"_s).toInteger(), 2 * 190);
    QCOMPARE(count(u"SELECT COUNT(*) FROM payments WHERE order_id = ?"_s, {synced->id}), 1);
    QCOMPARE(count(u"SELECT amount_cents FROM payments WHERE order_id = ?"_s, {synced->id}),
             5 * 220);
    QCOMPARE(count(u"SELECT COUNT(*) FROM order_sessions WHERE id = ? AND status = 'completed'"_s,
                   {synced->id}),
             1);
    QCOMPARE(count(u"SELECT COUNT(*) FROM review_items WHERE order_id = ?"_s, {synced->id}), 1);
    QCOMPARE(count(u"SELECT version FROM order_sessions WHERE id = ?"_s, {other->id}),
             other->version);
}

// A version 2 till (pushBody says protocol 2) cannot show a discount: when its op meets an order
// discounted on the server, the push is refused as a whole (404 till_update_required, which a
// version 2 client answers by keeping every op pending) and nothing changes on the server. Its
// ops on an order without one still apply, before and after.
void SyncServerTest::protocol2TillRefusedForServerDiscount()
{
    Terminal terminal(pull(m_token));
    OrderService &orders = *terminal.orders;
    const OrderTarget bob = terminal.cashier(u"Bob"_s);
    const Result<Order> synced = orders.addProduct(bob, u"COF-ESP"_s, 2, newId());
    QVERIFY(synced);
    QCOMPARE(resultKinds(push(terminal.takeOps())), repeated(u"applied"_s, 2));

    // A manager discounts the till's order on the server.
    OrderService serverOrders(m_db->db(), Clock::system(), SyncSide::Server);
    Discount discount{DiscountKind::Amount, 50, u"Regular"_s, m_db->cashierId(u"Maria"_s)};
    VERIFY_OK(
        serverOrders.discountOrder(OrderTarget::byId(synced->id), discount, std::nullopt, newId()));
    const auto serverState = [&] {
        return u"%1/%2/%3/%4/%5"_s
            .arg(count(u"SELECT version FROM order_sessions WHERE id = ?"_s, {synced->id}))
            .arg(count(u"SELECT COUNT(*) FROM order_lines"_s))
            .arg(count(u"SELECT COUNT(*) FROM payments"_s))
            .arg(count(u"SELECT COUNT(*) FROM idempotency"_s))
            .arg(count(u"SELECT COUNT(*) FROM order_sessions"_s));
    };
    const QString before = serverState();

    // Offline the till added to it and took the cash for what it showed; Maria sold something
    // on another order in the same batch.
    QVERIFY(orders.addProduct(bob, u"BAK-CRO"_s, 1, newId()));
    VERIFY_OK(
        orders.complete(bob, PaymentRequest{PaymentMethod::Cash, 5000}, std::nullopt, newId()));
    const OrderTarget maria = terminal.cashier(u"Maria"_s);
    const Result<Order> other = orders.addProduct(maria, u"BAK-CRO"_s, 1, newId());
    QVERIFY(other);
    const QJsonArray ops = terminal.takeOps();
    QCOMPARE(ops.size(), 4);
    const Response refused = push(ops);
    QCOMPARE(refused.status, 404);
    QCOMPARE(refused.json().value(u"code"_s).toString(), u"till_update_required"_s);
    const QString message = refused.json().value(u"error"_s).toString();
    QVERIFY2(message.contains(u"must be updated"_s), qPrintable(message));
    QVERIFY2(message.contains(u"discount"_s), qPrintable(message));
    QVERIFY2(message.contains(synced->id.left(8)), qPrintable(message));
    QCOMPARE(serverState(), before); // nothing of the batch, not even Maria's order
    QCOMPARE(count(u"SELECT COUNT(*) FROM order_sessions WHERE id = ?"_s, {other->id}), 0);
    // Sent again (the till kept them): refused again, still nothing changed.
    QCOMPARE(push(ops).status, 404);
    QCOMPARE(serverState(), before);

    // Protocol 3 and later tills take the discount: the same ops as protocol 3 apply.
    HttpClient client(m_server->port());
    const Response updated =
        client.request("POST", u"/api/sync/v1/push"_s, json({{u"protocol"_s, 3}, {u"ops"_s, ops}}),
                       bearer(m_token));
    QCOMPARE(updated.status, 200);
    QCOMPARE(resultKinds(updated), repeated(u"applied"_s, 4));
    QCOMPARE(count(u"SELECT COUNT(*) FROM order_sessions WHERE id = ?"_s, {other->id}), 1);

    // A version 2 op on an order without a discount still applies.
    QVERIFY(orders.addProduct(maria, u"COF-ESP"_s, 1, newId()));
    const Response plain = push(terminal.takeOps());
    QCOMPARE(plain.status, 200);
    QCOMPARE(resultKinds(plain), QStringList{u"applied"_s});
}

void SyncServerTest::permanentRejectionsKeepTheBatchGoing()
{
    Terminal terminal(pull(m_token));
    OrderService &orders = *terminal.orders;
    // A cashier made on the terminal, unknown to the server; an op of a kind the server does not
    // know; then a good order.
    queryValue(terminal.db(), u"INSERT INTO cashiers (id, name, name_key, role, pin_hash, "
                              "created_at) SELECT 'local-1', 'Local', 'local', role, pin_hash, "
                              "created_at FROM cashiers LIMIT 1 RETURNING id"_s);
    QVERIFY(orders.addProduct(OrderTarget::byCashier(u"local-1"_s), u"COF-ESP"_s, 1, newId()));
    QJsonArray ops = terminal.takeOps();
    QJsonObject unknown = ops.at(0).toObject();
    unknown.insert(u"op"_s, u"teleport"_s);
    unknown.insert(u"order_id"_s, newId());
    unknown.insert(u"payload"_s, QJsonObject{{u"format"_s, 1}}); // no order state: not an order op
    unknown.insert(u"request_id"_s, newId());
    ops.append(unknown);
    QVERIFY(orders.addProduct(terminal.cashier(u"Alice"_s), u"COF-ESP"_s, 1, newId()));
    for (const QJsonValue &op : terminal.takeOps())
        ops.append(op);
    const Response response = push(ops);
    QCOMPARE(response.status, 200);
    QCOMPARE(resultKinds(response),
             (QStringList{u"rejected:unknown_cashier"_s, u"rejected:earlier_op_rejected"_s,
                          u"rejected:unsupported_op"_s, u"applied"_s, u"applied"_s}));
    for (const QJsonValue &value : response.json().value(u"results"_s).toArray()) {
        if (value.toObject().value(u"result"_s).toString() == u"rejected"_s)
            QVERIFY(!value.toObject().value(u"message"_s).toString().isEmpty());
    }
    QCOMPARE(count(u"SELECT COUNT(*) FROM order_sessions"_s), 1);
}

void SyncServerTest::malformedAndHugeBatchesApplyNothing()
{
    Terminal terminal(pull(m_token));
    QVERIFY(terminal.orders->addProduct(terminal.cashier(u"Alice"_s), u"COF-ESP"_s, 1, newId()));
    const QJsonArray good = terminal.takeOps();
    HttpClient client(m_server->port());
    auto send = [&](const QByteArray &body) {
        return client.request("POST", u"/api/sync/v1/push"_s, body, bearer(m_token));
    };
    auto code = [](const Response &response) {
        return response.json().value(u"code"_s).toString();
    };

    Response response = send("{\"protocol\": 2, \"ops\": [");
    QCOMPARE(response.status, 400);
    QCOMPARE(code(response), u"malformed_json"_s);
    // A version 1 terminal gets a clear refusal, and nothing is applied.
    response = send(json({{u"protocol"_s, 1}, {u"ops"_s, good}}));
    QCOMPARE(response.status, 400);
    QCOMPARE(code(response), u"unsupported_protocol"_s);
    QCOMPARE(response.json().value(u"supported_protocols"_s).toArray(), (QJsonArray{2, 5}));
    // A till newer than the server (protocol 5): refused the same way, nothing applied.
    response = send(json({{u"protocol"_s, 6}, {u"ops"_s, good}}));
    QCOMPARE(response.status, 400);
    QCOMPARE(code(response), u"unsupported_protocol"_s);
    // A good op followed by a broken one: the whole batch is refused, the good op not applied.
    QJsonArray broken = good;
    QJsonObject noPayload = good.at(1).toObject();
    noPayload.remove(u"payload"_s);
    noPayload.insert(u"request_id"_s, newId());
    broken.append(noPayload);
    response = send(pushBody(broken));
    QCOMPARE(response.status, 400);
    QCOMPARE(code(response), u"invalid_batch"_s);
    QCOMPARE(response.json().value(u"op_index"_s).toInt(), 2);
    QJsonArray duplicated = good;
    duplicated.append(good.at(0));
    response = send(pushBody(duplicated));
    QCOMPARE(response.status, 400);
    QCOMPARE(response.json().value(u"op_index"_s).toInt(), 2);
    response = send(json({{u"protocol"_s, 2}, {u"ops"_s, u"all of them"_s}}));
    QCOMPARE(response.status, 400);

    // Too many ops: 413 from the applier's limit, with the good ops first in the batch.
    QJsonArray many = good;
    for (int i = 0; i < 500; ++i) {
        QJsonObject op = good.at(1).toObject();
        op.insert(u"request_id"_s, u"many-%1"_s.arg(i));
        many.append(op);
    }
    response = send(pushBody(many));
    QCOMPARE(response.status, 413);
    QCOMPARE(code(response), u"batch_too_large"_s);
    QCOMPARE(count(u"SELECT COUNT(*) FROM order_sessions"_s), 0);

    // Over 1 MiB: refused from Content-Length before the body is read; the connection closes.
    {
        HttpClient big(m_server->port());
        big.sendRaw("POST /api/sync/v1/push HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " +
                    m_token + "\r\nContent-Length: 1048577\r\n\r\n");
        const Response tooBig = big.receive();
        QCOMPARE(tooBig.status, 413);
        QCOMPARE(code(tooBig), u"body_too_large"_s);
    }
    QCOMPARE(count(u"SELECT COUNT(*) FROM order_sessions"_s), 0);
    QCOMPARE(count(u"SELECT COUNT(*) FROM idempotency"_s), 0);

    // And the good batch alone still applies.
    HttpClient after(m_server->port());
    QCOMPARE(
        resultKinds(after.request("POST", u"/api/sync/v1/push"_s, pushBody(good), bearer(m_token))),
        repeated(u"applied"_s, 2));
}

void SyncServerTest::concurrentPushesApplyEachOpOnce()
{
    // One batch sent by several connections at once (a client that retried while the first
    // attempt was still running, or a proxy that re-sent it): each op applied exactly once.
    Terminal terminal(pull(m_token));
    OrderService &orders = *terminal.orders;
    for (const QString &name : {u"Alice"_s, u"Bob"_s, u"Maria"_s}) {
        for (int i = 0; i < 6; ++i)
            QVERIFY(orders.addProduct(terminal.cashier(name), i % 2 ? u"COF-ESP"_s : u"BAK-CRO"_s,
                                      1, newId()));
    }
    QVERIFY(orders.complete(terminal.cashier(u"Alice"_s),
                            PaymentRequest{PaymentMethod::Cash, 10000}, std::nullopt, newId()));
    const QJsonArray ops = terminal.takeOps();
    QCOMPARE(ops.size(), 22);
    const QByteArray body = pushBody(ops);

    constexpr int clients = 6;
    std::vector<std::unique_ptr<HttpClient>> connections;
    for (int i = 0; i < clients; ++i)
        connections.push_back(std::make_unique<HttpClient>(m_server->port()));
    for (auto &connection : connections)
        connection->send("POST", u"/api/sync/v1/push"_s, body, bearer(m_token));
    QList<QStringList> answers;
    for (auto &connection : connections) {
        const Response response = connection->receive();
        QCOMPARE(response.status, 200);
        answers.append(resultKinds(response));
    }
    for (qsizetype op = 0; op < ops.size(); ++op) {
        int applied = 0;
        for (const QStringList &answer : std::as_const(answers)) {
            QVERIFY2(answer.at(op) == u"applied"_s || answer.at(op) == u"replayed"_s,
                     qPrintable(answer.at(op)));
            applied += answer.at(op) == u"applied"_s;
        }
        QCOMPARE(applied, 1);
    }
    QCOMPARE(count(u"SELECT COUNT(*) FROM order_history"_s), 22);
    QCOMPARE(count(u"SELECT COUNT(*) FROM payments"_s), 1);
    QCOMPARE(count(u"SELECT SUM(quantity) FROM order_lines"_s), 18);
}

void SyncServerTest::backlogDrainsInBatches()
{
    // A terminal's backlog (offline for a while) pushed in full batches of 500: all applied,
    // in order, and the server's orders equal the terminal's. The rate is printed, not asserted.
    Terminal terminal(pull(m_token));
    OrderService &orders = *terminal.orders;
    constexpr int sales = 250; // 4 ops each: open, add, add, complete
    for (int i = 0; i < sales; ++i) {
        const OrderTarget cashier = terminal.cashier(i % 3 == 0   ? u"Alice"_s
                                                     : i % 3 == 1 ? u"Bob"_s
                                                                  : u"Maria"_s);
        QVERIFY(orders.addProduct(cashier, u"COF-ESP"_s, 1 + i % 4, newId()));
        QVERIFY(orders.addProduct(cashier, u"BAK-CRO"_s, 1, newId()));
        QVERIFY(orders.complete(cashier, PaymentRequest{PaymentMethod::Cash, 5000}, std::nullopt,
                                newId()));
    }
    const QJsonArray ops = terminal.takeOps();
    QCOMPARE(ops.size(), sales * 4);
    QElapsedTimer timer;
    timer.start();
    HttpClient client(m_server->port());
    for (qsizetype from = 0; from < ops.size(); from += 500) {
        QJsonArray batch;
        for (qsizetype i = from; i < qMin(from + 500, ops.size()); ++i)
            batch.append(ops.at(i));
        const Response response =
            client.request("POST", u"/api/sync/v1/push"_s, pushBody(batch), bearer(m_token));
        QCOMPARE(response.status, 200);
        QCOMPARE(resultKinds(response), repeated(u"applied"_s, batch.size()));
    }
    const qint64 ms = qMax<qint64>(1, timer.elapsed());
    qInfo().noquote() << u"pushed %1 ops in %2 ms (%3 ops/s, %4)"_s.arg(ops.size())
                             .arg(ms)
                             .arg(ops.size() * 1000 / ms)
                             .arg(m_db->isPostgres() ? u"PostgreSQL"_s : u"SQLite"_s);
    QCOMPARE(count(u"SELECT COUNT(*) FROM order_sessions WHERE status = 'completed'"_s), sales);
    QCOMPARE(count(u"SELECT COUNT(*) FROM payments"_s), sales);
    QCOMPARE(queryValue(m_db->db(), u"SELECT SUM(amount_cents) FROM payments"_s).toLongLong(),
             queryValue(terminal.db(), u"SELECT SUM(amount_cents) FROM payments"_s).toLongLong());
}

void SyncServerTest::productAdminCommands()
{
    const QString db = m_db->path();
    auto admin = [&](QStringList arguments) {
        arguments.prepend(db);
        arguments.prepend(u"--db"_s);
        return runAdmin(arguments);
    };
    auto [added, addOut] = admin(
        {u"product"_s, u"add"_s, u"SYN-01"_s, u"Green tea"_s, u"310"_s, u"--category"_s, u"Tea"_s});
    QCOMPARE(added, 0);
    QVERIFY(addOut.contains("SYN-01"));
    // Refused, nothing changed: a known SKU, a bad price, a negative one, a missing argument.
    QCOMPARE(admin({u"product"_s, u"add"_s, u"SYN-01"_s, u"Other"_s, u"1"_s}).first, 2);
    QCOMPARE(admin({u"product"_s, u"add"_s, u"SYN-02"_s, u"Tea"_s, u"3.10"_s}).first, 2);
    QCOMPARE(admin({u"product"_s, u"add"_s, u"SYN-02"_s, u"Tea"_s, u"-5"_s}).first, 2);
    QCOMPARE(admin({u"product"_s, u"add"_s, u"SYN-02"_s, u"Tea"_s, u"100000000"_s}).first, 2);
    QCOMPARE(admin({u"product"_s, u"add"_s, u"SYN-02"_s, u"Tea"_s}).first, 2);
    QCOMPARE(admin({u"product"_s, u"list"_s, u"--category"_s, u"x"_s}).first, 2);
    QCOMPARE(count(u"SELECT COUNT(*) FROM products WHERE sku LIKE 'SYN-%'"_s), 1);

    QTemporaryDir dir;
    const QString good = dir.filePath(u"good.csv"_s);
    QFile goodFile(good);
    QVERIFY(goodFile.open(QIODevice::WriteOnly));
    goodFile.write("sku,name,price_cents,category\nSYN-01,Green tea,330,Tea\n"
                   "SYN-02,Black tea,290,Tea\n");
    goodFile.close();
    auto [imported, importOut] = admin({u"product"_s, u"import"_s, good});
    QCOMPARE(imported, 0);
    QVERIFY2(importOut.contains("1 added, 1 updated"), importOut.constData());
    QCOMPARE(count(u"SELECT price_cents FROM products WHERE sku = 'SYN-01'"_s), 330);

    const QString bad = dir.filePath(u"bad.csv"_s);
    QFile badFile(bad);
    QVERIFY(badFile.open(QIODevice::WriteOnly));
    badFile.write("sku,name,price_cents\nSYN-03,White tea,400\nSYN-04,,12\nSYN-05,Mate,abc\n");
    badFile.close();
    QProcess process;
    process.start(QStringLiteral(SAFETILL_SERVER_PATH),
                  {u"--db"_s, db, u"product"_s, u"import"_s, bad});
    QVERIFY(process.waitForFinished(30000));
    QCOMPARE(process.exitCode(), 2);
    const QByteArray errors = process.readAllStandardError();
    QVERIFY2(errors.contains("3") && errors.contains("4"), errors.constData()); // line numbers
    QCOMPARE(count(u"SELECT COUNT(*) FROM products WHERE sku = 'SYN-03'"_s), 0);
    QCOMPARE(admin({u"product"_s, u"import"_s, dir.filePath(u"missing.csv"_s)}).first, 4);

    auto [listed, listOut] = admin({u"product"_s, u"list"_s});
    QCOMPARE(listed, 0);
    QVERIFY(listOut.contains("SYN-02\tBlack tea\t290\tTea"));
    QProcess help;
    help.start(QStringLiteral(SAFETILL_SERVER_PATH), {u"--help"_s});
    QVERIFY(help.waitForFinished(30000));
    const QByteArray usage = help.readAllStandardOutput();
    QVERIFY(usage.contains("product add SKU NAME PRICE_CENTS [--category C]"));
    QVERIFY(usage.contains("product import FILE"));

    // What the admin commands added is what terminals pull.
    bool found = false;
    for (const QJsonValue &value : pull(m_token).value(u"products"_s).toArray()) {
        const QJsonObject product = value.toObject();
        if (product.value(u"sku"_s).toString() == u"SYN-02"_s) {
            found = true;
            QCOMPARE(product.value(u"price_cents"_s).toInt(), 290);
            QCOMPARE(product.value(u"category"_s).toString(), u"Tea"_s);
        }
    }
    QVERIFY(found);
}

QTEST_GUILESS_MAIN(SyncServerTest)
#include "tst_sync_server.moc"
