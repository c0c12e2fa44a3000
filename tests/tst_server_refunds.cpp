// Issue 15 over the REST API: refunds and voids for managers (POST /api/refunds, POST /api/voids,
// GET /api/receipts/{receiptNo}/refundable), against safetill-server as a real process on
// 127.0.0.1. Runs on SQLite, and on PostgreSQL as tst_server_refunds_pg
// (SAFETILL_TEST_BACKEND=postgres). Every answer is checked against docs/openapi.json
// (ServerTestClient.h).

#include "CashierService.h"
#include "Database.h"
#include "ServerTestClient.h"
#include "TestSupport.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

#include <latch>
#include <thread>
#include <vector>

using namespace Qt::StringLiterals;
using namespace SafeTill;
using namespace SafeTill::Test;

namespace {

QString described(const Response &response)
{
    return QString::number(response.status) + u' ' + QString::fromUtf8(response.body);
}

struct Sale
{
    QString receiptNo;
    QString lineId;
    qint64 paidCents = 0;
};

} // namespace

class ServerRefundsTest : public QObject
{
    Q_OBJECT

private:
    QByteArray addUserAndLogin(const QString &name, Role role);
    // A cash sale of qty espressos (220 each) by the token's cashier, completed; its receipt.
    Sale sell(const QByteArray &token, int qty);
    Response post(const QString &path, const QJsonObject &body, const QByteArray &token,
                  Headers more = {})
    {
        HttpClient client(m_port);
        return client.request("POST", path, json(body), bearer(token, more));
    }
    Response refundable(const QString &receiptNo, const QByteArray &token)
    {
        HttpClient client(m_port);
        return client.request("GET", u"/api/receipts/%1/refundable"_s.arg(receiptNo), {},
                              bearer(token));
    }
    qint64 number(const QString &sql, const QVariantList &values = {})
    {
        return queryValue(m_db->db(), sql, values).toLongLong();
    }

    std::unique_ptr<TestDatabase> m_db;
    ServerProcess m_server;
    quint16 m_port = 0;
    QByteArray m_manager;
    QByteArray m_cashier;

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void refundALineAndReadWhatIsLeft();
    void idempotencyKeyReplaysOnce();
    void rolesAreEnforced();
    void errorsAreNamed();
    void voidTakesBackTheWholeSale();
    void severalTokensRaceForOneLine();
};

QByteArray ServerRefundsTest::addUserAndLogin(const QString &name, Role role)
{
    const Result<Cashier> added = CashierService(m_db->db()).add(name, u"4321"_s, role);
    if (!added)
        qWarning() << added.message();
    HttpClient client(m_port);
    const Response response = client.request("POST", u"/api/auth/login"_s,
                                             json({{u"username"_s, name}, {u"pin"_s, u"4321"_s}}));
    return response.status == 200 ? response.json().value(u"token"_s).toString().toLatin1()
                                  : QByteArray();
}

Sale ServerRefundsTest::sell(const QByteArray &token, int qty)
{
    HttpClient client(m_port);
    if (client.request("POST", u"/api/order-sessions"_s, {}, bearer(token)).status != 200)
        return {};
    const Response added =
        client.request("POST", u"/api/order-sessions/current/items"_s,
                       json({{u"sku"_s, u"COF-ESP"_s}, {u"qty"_s, qty}}), bearer(token));
    if (added.status != 200)
        return {};
    const Response done = client.request(
        "PUT", u"/api/order-sessions/current/complete"_s,
        json({{u"method"_s, u"cash"_s}, {u"tenderedCents"_s, 220 * qty}}), bearer(token));
    if (done.status != 200) {
        qWarning().noquote() << "complete:" << described(done);
        return {};
    }
    const QJsonObject order = done.json();
    return Sale{order.value(u"receiptNo"_s).toString(),
                order.value(u"items"_s).toArray().at(0).toObject().value(u"lineId"_s).toString(),
                order.value(u"total"_s).toInteger()};
}

void ServerRefundsTest::initTestCase()
{
    SAFETILL_REQUIRE_TEST_BACKEND();
    m_db = std::make_unique<TestDatabase>();
    QVERIFY(m_server.start(m_db->path(), {u"--writer-lanes"_s, u"4"_s}));
    m_port = m_server.port();
    m_manager = addUserAndLogin(u"Mia"_s, Role::Manager);
    m_cashier = addUserAndLogin(u"Carl"_s, Role::Cashier);
    QVERIFY(!m_manager.isEmpty());
    QVERIFY(!m_cashier.isEmpty());
}

void ServerRefundsTest::cleanupTestCase()
{
    if (m_db)
        VERIFY_DATABASE_CLEAN(m_db->db());
}

void ServerRefundsTest::refundALineAndReadWhatIsLeft()
{
    const Sale sale = sell(m_cashier, 3);
    QVERIFY(!sale.receiptNo.isEmpty());
    QCOMPARE(sale.paidCents, 660);

    Response left = refundable(sale.receiptNo, m_manager);
    QCOMPARE(left.status, 200);
    QCOMPARE(left.json().value(u"paidCents"_s).toInteger(), 660);
    QCOMPARE(left.json().value(u"lines"_s).toArray().at(0).toObject().value(u"left"_s).toInt(), 3);

    const Response refunded =
        post(u"/api/refunds"_s,
             {{u"receiptNo"_s, sale.receiptNo},
              {u"lines"_s, QJsonArray{QJsonObject{{u"lineId"_s, sale.lineId}, {u"quantity"_s, 1}}}},
              {u"reason"_s, u"cold"_s}},
             m_manager);
    QVERIFY2(refunded.status == 201, qPrintable(described(refunded)));
    const QJsonObject refund = refunded.json();
    QCOMPARE(refund.value(u"kind"_s).toString(), u"refund"_s);
    QCOMPARE(refund.value(u"amountCents"_s).toInteger(), -220);
    QCOMPARE(refund.value(u"originalReceiptNo"_s).toString(), sale.receiptNo);
    QVERIFY(!refund.value(u"receiptNo"_s).toString().isEmpty());
    QVERIFY(refund.value(u"receiptNo"_s).toString() != sale.receiptNo);
    QCOMPARE(refund.value(u"method"_s).toString(), u"cash"_s);
    QCOMPARE(refund.value(u"lines"_s).toArray().size(), 1);

    left = refundable(sale.receiptNo, m_manager);
    QCOMPARE(left.status, 200);
    QCOMPARE(left.json().value(u"refundedCents"_s).toInteger(), 220);
    QCOMPARE(left.json().value(u"lines"_s).toArray().at(0).toObject().value(u"left"_s).toInt(), 2);
    QCOMPARE(left.json().value(u"refunds"_s).toArray().size(), 1);
    QCOMPARE(number(u"SELECT refunded_qty FROM order_lines WHERE line_id = ?"_s, {sale.lineId}), 1);
    QCOMPARE(number(u"SELECT amount_cents FROM refunds WHERE receipt_no = ?"_s,
                    {refund.value(u"receiptNo"_s).toString()}),
             -220);
}

void ServerRefundsTest::idempotencyKeyReplaysOnce()
{
    const Sale sale = sell(m_cashier, 2);
    QVERIFY(!sale.receiptNo.isEmpty());
    const QJsonObject body{
        {u"receiptNo"_s, sale.receiptNo},
        {u"lines"_s, QJsonArray{QJsonObject{{u"lineId"_s, sale.lineId}, {u"quantity"_s, 1}}}}};
    const Headers key{{"Idempotency-Key", "refund-once-1"}};
    const Response first = post(u"/api/refunds"_s, body, m_manager, key);
    QVERIFY2(first.status == 201, qPrintable(described(first)));
    const Response again = post(u"/api/refunds"_s, body, m_manager, key);
    QVERIFY2(again.status == 201, qPrintable(described(again)));
    QCOMPARE(again.headers.value("idempotent-replayed"), QByteArray("true"));
    QCOMPARE(again.json().value(u"receiptNo"_s), first.json().value(u"receiptNo"_s));
    QCOMPARE(
        number(u"SELECT COUNT(*) FROM refunds WHERE original_receipt_no = ?"_s, {sale.receiptNo}),
        1);
    QCOMPARE(number(u"SELECT refunded_qty FROM order_lines WHERE line_id = ?"_s, {sale.lineId}), 1);

    QJsonObject other = body;
    other.insert(u"reason"_s, u"another request"_s);
    const Response reused = post(u"/api/refunds"_s, other, m_manager, key);
    QCOMPARE(reused.status, 422);
    QCOMPARE(reused.json().value(u"code"_s).toString(), u"idempotency_key_reused"_s);
    QCOMPARE(
        number(u"SELECT COUNT(*) FROM refunds WHERE original_receipt_no = ?"_s, {sale.receiptNo}),
        1);
}

void ServerRefundsTest::rolesAreEnforced()
{
    const Sale sale = sell(m_cashier, 2);
    QVERIFY(!sale.receiptNo.isEmpty());
    const QJsonObject body{
        {u"receiptNo"_s, sale.receiptNo},
        {u"lines"_s, QJsonArray{QJsonObject{{u"lineId"_s, sale.lineId}, {u"quantity"_s, 1}}}}};
    const Response alone = post(u"/api/refunds"_s, body, m_cashier);
    QCOMPARE(alone.status, 403);
    QCOMPARE(alone.json().value(u"code"_s).toString(), u"forbidden"_s);

    QJsonObject wrongPin = body;
    wrongPin.insert(u"approver"_s, QJsonObject{{u"name"_s, u"Mia"_s}, {u"pin"_s, u"0000"_s}});
    const Response refused = post(u"/api/refunds"_s, wrongPin, m_cashier);
    QCOMPARE(refused.status, 403);
    QCOMPARE(
        number(u"SELECT COUNT(*) FROM refunds WHERE original_receipt_no = ?"_s, {sale.receiptNo}),
        0);

    QJsonObject approved = body;
    approved.insert(u"approver"_s, QJsonObject{{u"name"_s, u"Mia"_s}, {u"pin"_s, u"4321"_s}});
    const Response done = post(u"/api/refunds"_s, approved, m_cashier);
    QVERIFY2(done.status == 201, qPrintable(described(done)));
    QCOMPARE(done.json().value(u"approverName"_s).toString(), u"Mia"_s);
    QCOMPARE(done.json().value(u"cashierName"_s).toString(), u"Carl"_s);
    QVERIFY(!done.json().value(u"approvedBy"_s).toString().isEmpty());

    // No token at all: 401.
    HttpClient client(m_port);
    QCOMPARE(client.request("POST", u"/api/refunds"_s, json(body)).status, 401);
}

void ServerRefundsTest::errorsAreNamed()
{
    const Sale sale = sell(m_cashier, 1);
    QVERIFY(!sale.receiptNo.isEmpty());
    auto line = [&](const QString &id, int quantity) {
        return QJsonArray{QJsonObject{{u"lineId"_s, id}, {u"quantity"_s, quantity}}};
    };
    Response r =
        post(u"/api/refunds"_s,
             {{u"receiptNo"_s, u"NO-SUCH-1"_s}, {u"lines"_s, line(sale.lineId, 1)}}, m_manager);
    QCOMPARE(r.status, 404);
    r = post(u"/api/refunds"_s,
             {{u"receiptNo"_s, sale.receiptNo}, {u"lines"_s, line(sale.lineId, 2)}}, m_manager);
    QCOMPARE(r.status, 409);
    QCOMPARE(r.json().value(u"code"_s).toString(), u"invalid_state"_s);
    r = post(u"/api/refunds"_s,
             {{u"receiptNo"_s, sale.receiptNo}, {u"lines"_s, line(sale.lineId, 0)}}, m_manager);
    QCOMPARE(r.status, 422);
    QVERIFY(r.json().value(u"error"_s).toString().contains(u"quantity"_s));
    r = post(u"/api/refunds"_s, {{u"lines"_s, line(sale.lineId, 1)}}, m_manager);
    QCOMPARE(r.status, 422);
    QVERIFY(r.json().value(u"error"_s).toString().contains(u"receiptNo"_s));
    r = post(u"/api/refunds"_s,
             {{u"receiptNo"_s, sale.receiptNo}, {u"lines"_s, line(u"no-such-line"_s, 1)}},
             m_manager);
    QCOMPARE(r.status, 404);
    r = post(u"/api/refunds"_s, {{u"receiptNo"_s, sale.receiptNo}, {u"method"_s, u"other"_s}},
             m_manager);
    QCOMPARE(r.status, 422);
    QVERIFY(r.json().value(u"error"_s).toString().contains(u"label"_s));
    QCOMPARE(refundable(u"NO-SUCH-2"_s, m_manager).status, 404);
    QCOMPARE(
        number(u"SELECT COUNT(*) FROM refunds WHERE original_receipt_no = ?"_s, {sale.receiptNo}),
        0);
    // Everything left, with the other method named: the whole line by card.
    r = post(u"/api/refunds"_s, {{u"receiptNo"_s, sale.receiptNo}, {u"method"_s, u"card"_s}},
             m_manager);
    QVERIFY2(r.status == 201, qPrintable(described(r)));
    QCOMPARE(r.json().value(u"method"_s).toString(), u"card"_s);
    QCOMPARE(r.json().value(u"amountCents"_s).toInteger(), -220);
    r = post(u"/api/refunds"_s, {{u"receiptNo"_s, sale.receiptNo}}, m_manager);
    QCOMPARE(r.status, 409);
}

void ServerRefundsTest::voidTakesBackTheWholeSale()
{
    const Sale sale = sell(m_cashier, 2);
    QVERIFY(!sale.receiptNo.isEmpty());
    Response r = post(u"/api/voids"_s, {{u"receiptNo"_s, sale.receiptNo}}, m_manager);
    QCOMPARE(r.status, 422);
    QVERIFY(r.json().value(u"error"_s).toString().contains(u"reason"_s));
    r = post(u"/api/voids"_s, {{u"receiptNo"_s, sale.receiptNo}, {u"reason"_s, u"wrong till"_s}},
             m_cashier);
    QCOMPARE(r.status, 403);
    r = post(u"/api/voids"_s, {{u"receiptNo"_s, sale.receiptNo}, {u"reason"_s, u"wrong till"_s}},
             m_manager);
    QVERIFY2(r.status == 201, qPrintable(described(r)));
    QCOMPARE(r.json().value(u"kind"_s).toString(), u"void"_s);
    QCOMPARE(r.json().value(u"amountCents"_s).toInteger(), -sale.paidCents);
    r = post(u"/api/voids"_s, {{u"receiptNo"_s, sale.receiptNo}, {u"reason"_s, u"again"_s}},
             m_manager);
    QCOMPARE(r.status, 409);
    QCOMPARE(number(u"SELECT refunded_qty FROM order_lines WHERE line_id = ?"_s, {sale.lineId}), 2);
}

void ServerRefundsTest::severalTokensRaceForOneLine()
{
    // Six managers' tokens each refund one unit of a line of three, released together: exactly
    // three are refunded, the others are told nothing is left; never more counted than sold.
    constexpr int racers = 6;
    std::vector<QByteArray> tokens;
    for (int i = 0; i < racers; ++i) {
        tokens.push_back(addUserAndLogin(u"Racer %1"_s.arg(i), Role::Manager));
        QVERIFY(!tokens.back().isEmpty());
    }
    const Sale sale = sell(m_cashier, 3);
    QVERIFY(!sale.receiptNo.isEmpty());
    const QByteArray body = json(
        {{u"receiptNo"_s, sale.receiptNo},
         {u"lines"_s, QJsonArray{QJsonObject{{u"lineId"_s, sale.lineId}, {u"quantity"_s, 1}}}}});
    std::vector<Response> answers(racers);
    std::latch start(racers);
    std::vector<std::thread> threads;
    for (int i = 0; i < racers; ++i) {
        threads.emplace_back([&, i] {
            HttpClient client(m_port);
            start.arrive_and_wait();
            client.send("POST", u"/api/refunds"_s, body, bearer(tokens[size_t(i)]));
            answers[size_t(i)] = client.receive();
        });
    }
    for (std::thread &thread : threads)
        thread.join();
    int created = 0;
    int conflicts = 0;
    for (const Response &answer : answers) {
        if (answer.status == 201)
            ++created;
        else if (answer.status == 409)
            ++conflicts;
        else
            QFAIL(qPrintable(described(answer)));
    }
    QCOMPARE(created, 3);
    QCOMPARE(conflicts, racers - 3);
    QCOMPARE(number(u"SELECT refunded_qty FROM order_lines WHERE line_id = ?"_s, {sale.lineId}), 3);
    QCOMPARE(number(u"SELECT COALESCE(SUM(amount_cents), 0) FROM refunds "
                    "WHERE original_receipt_no = ?"_s,
                    {sale.receiptNo}),
             -660);
}

QTEST_GUILESS_MAIN(ServerRefundsTest)
#include "tst_server_refunds.moc"
