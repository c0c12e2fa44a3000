// Issue 15 across tills and the server: refunds pushed by tills (sync protocol 4,
// docs/sync-protocol.md 5.5) racing refunds made through the server's REST API, against
// safetill-server as a real process on 127.0.0.1 (SQLite, and PostgreSQL as tst_sync_refunds_pg).
// Tills are SQLite databases synced by the real SyncEngine with their own device tokens.
//
// The rule checked: a line is never counted refunded more than it was sold on the server, across
// all tills and the server; a till's refund that lost the race (it was offline) is still booked,
// as excess lines with an over_refunded review item (on the server and the till) — only the units
// that did not fit: those that were left count as refunded; the money of
// every refund is on the server exactly once (sum of all refunds there = the tills' + REST);
// `verify` is clean on every database.

#include "Approvals.h"
#include "CashierService.h"
#include "Database.h"
#include "OrderService.h"
#include "RefundService.h"
#include "ServerTestClient.h"
#include "SyncEngine.h"
#include "SyncTill.h"
#include "SyncTransport.h"
#include "TestSupport.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

#include <memory>
#include <tuple>

using namespace Qt::StringLiterals;
using namespace SafeTill;
using namespace SafeTill::Test;

namespace {

QString described(const Response &response)
{
    return QString::number(response.status) + u' ' + QString::fromUtf8(response.body);
}

// A till of this suite (tests/SyncTill.h) with its sync policy.
class Till : public SyncTill
{
public:
    explicit Till(QByteArray deviceToken)
        : SyncTill(std::move(deviceToken), suitePolicy())
    {}

private:
    static SyncPolicy suitePolicy()
    {
        SyncPolicy policy;
        policy.maxAttemptsPerRequest = 3;
        policy.firstBackoffMs = 20;
        policy.maxBackoffMs = 100;
        policy.maxOpsPerBatch = 4;
        return policy;
    }
};

} // namespace

class SyncRefundsTest : public QObject
{
    Q_OBJECT

private:
    QByteArray addDevice(const QString &name)
    {
        auto [status, token] = runAdmin({u"--db"_s, m_db->path(), u"device"_s, u"add"_s, name});
        return status == 0 ? token.trimmed().split('\n').last().trimmed() : QByteArray();
    }
    qint64 number(const QString &sql, const QVariantList &values = {})
    {
        return queryValue(m_db->db(), sql, values).toLongLong();
    }
    Response restRefund(const QString &receiptNo, const QString &lineId, int quantity)
    {
        HttpClient client(m_server.port());
        return client.request(
            "POST", u"/api/refunds"_s,
            json({{u"receiptNo"_s, receiptNo},
                  {u"lines"_s,
                   QJsonArray{QJsonObject{{u"lineId"_s, lineId}, {u"quantity"_s, quantity}}}}}),
            bearer(m_manager));
    }
    // A new till's first sync, its sale of `sold` units by Mia synced to the server, and then
    // `refunded` of them paid back through the REST API: *receipt and *line are the sale's.
    void sellThenRefundByRest(Till &till, int sold, int refunded, QString *receipt, QString *line)
    {
        QCOMPARE(till.sync(m_server.port()).status, SyncRunReport::Status::Done);
        std::tie(*receipt, *line) = till.sell(u"Mia"_s, sold);
        QVERIFY(!receipt->isEmpty());
        QVERIFY(till.sync(m_server.port()).outboxEmpty());
        const Response rest = restRefund(*receipt, *line, refunded);
        QVERIFY2(rest.status == 201, qPrintable(described(rest)));
    }
    Response push(const QByteArray &token, const QJsonArray &ops, int protocol)
    {
        HttpClient client(m_server.port());
        return client.request("POST", u"/api/sync/v1/push"_s,
                              json({{u"protocol"_s, protocol}, {u"ops"_s, ops}}), bearer(token));
    }
    // A till's outbox rows of one op kind, as the wire's ops.
    static QJsonArray outboxOps(Till &till, const QString &op)
    {
        QJsonArray ops;
        QSqlQuery query(till.db().connection());
        query.prepare(u"SELECT seq, request_id, op, order_id, tab_id, created_at, payload "
                      "FROM outbox WHERE op = ? ORDER BY seq"_s);
        query.addBindValue(op);
        if (!query.exec())
            qFatal("outbox: %s", qPrintable(query.lastError().text()));
        auto nullable = [&](int column) {
            return query.value(column).isNull() ? QJsonValue(QJsonValue::Null)
                                                : QJsonValue(query.value(column).toString());
        };
        while (query.next()) {
            ops.append(QJsonObject{
                {u"seq"_s, query.value(0).toLongLong()},
                {u"request_id"_s, query.value(1).toString()},
                {u"op"_s, query.value(2).toString()},
                {u"order_id"_s, nullable(3)},
                {u"tab_id"_s, nullable(4)},
                {u"created_at"_s, query.value(5).toString()},
                {u"payload"_s, QJsonDocument::fromJson(query.value(6).toByteArray()).object()}});
        }
        return ops;
    }

    std::unique_ptr<TestDatabase> m_db;
    ServerProcess m_server;
    QByteArray m_manager;

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void offlineTillsLoseTheRaceAndKeepTheMoney();
    void refundOfASaleTheServerLacksIsDeferred();
    void partlyFittingRefundBooksTheUnitsThatFit();
    void tillRefusesWhatTheServerRefunded();
};

void SyncRefundsTest::initTestCase()
{
    SAFETILL_REQUIRE_TEST_BACKEND();
    m_db = std::make_unique<TestDatabase>();
    QVERIFY(m_server.start(m_db->path(), {u"--writer-lanes"_s, u"4"_s}));
    QVERIFY(CashierService(m_db->db()).add(u"Mia"_s, u"4321"_s, Role::Manager));
    HttpClient client(m_server.port());
    const Response login = client.request("POST", u"/api/auth/login"_s,
                                          json({{u"username"_s, u"Mia"_s}, {u"pin"_s, u"4321"_s}}));
    QCOMPARE(login.status, 200);
    m_manager = login.json().value(u"token"_s).toString().toLatin1();
}

void SyncRefundsTest::cleanupTestCase()
{
    if (m_db)
        VERIFY_DATABASE_CLEAN(m_db->db());
}

void SyncRefundsTest::offlineTillsLoseTheRaceAndKeepTheMoney()
{
    Till till1(addDevice(u"Till 1"_s));
    Till till2(addDevice(u"Till 2"_s));
    QCOMPARE(till1.token.size(), 43);
    QCOMPARE(till2.token.size(), 43);
    QCOMPARE(till1.sync(m_server.port()).status, SyncRunReport::Status::Done);
    QCOMPARE(till2.sync(m_server.port()).status, SyncRunReport::Status::Done);

    // Each till sells three espressos and syncs: the sales are on the server.
    const auto [receipt1, line1] = till1.sell(u"Mia"_s, 3);
    const auto [receipt2, line2] = till2.sell(u"Mia"_s, 3);
    QVERIFY(!receipt1.isEmpty() && !receipt2.isEmpty());
    QVERIFY(till1.sync(m_server.port()).outboxEmpty());
    QVERIFY(till2.sync(m_server.port()).outboxEmpty());
    QCOMPARE(
        number(u"SELECT COUNT(*) FROM payments WHERE receipt_no IN (?, ?)"_s, {receipt1, receipt2}),
        2);

    // Offline, till 1 refunds two units of its line, till 2 one unit of its line; meanwhile the
    // server's REST refunds two units of till 1's line and all three of till 2's.
    const Result<Refund> offline1 = till1.refund(u"Mia"_s, receipt1, line1, 2);
    QVERIFY2(offline1, qPrintable(offline1.message()));
    const Result<Refund> offline2 = till2.refund(u"Mia"_s, receipt2, line2, 1);
    QVERIFY2(offline2, qPrintable(offline2.message()));
    const Response rest1 = restRefund(receipt1, line1, 2);
    QVERIFY2(rest1.status == 201, qPrintable(described(rest1)));
    const Response rest2 = restRefund(receipt2, line2, 3);
    QVERIFY2(rest2.status == 201, qPrintable(described(rest2)));

    // Back online: the tills' refunds are booked, as excess where they lost.
    const SyncRunReport report1 = till1.sync(m_server.port());
    QVERIFY2(
        report1.outboxEmpty(),
        qPrintable(report1.error + u' ' + report1.messages.join(u" | "_s) +
                   u" pending %1 failed %2"_s.arg(report1.pendingAfter).arg(report1.failedAfter)));
    QCOMPARE(report1.rejected, 0);
    const SyncRunReport report2 = till2.sync(m_server.port());
    QVERIFY2(report2.outboxEmpty(), qPrintable(report2.error));
    QCOMPARE(report2.rejected, 0);

    // Never more counted than sold, on the server.
    // Till 1's line: REST took 2 of 3; of the till's 2, the 1 left fits and counts, the other
    // counts toward nothing. Till 2's line: REST took all 3.
    QCOMPARE(number(u"SELECT refunded_qty FROM order_lines WHERE line_id = ?"_s, {line1}), 3);
    QCOMPARE(number(u"SELECT refunded_qty FROM order_lines WHERE line_id = ?"_s, {line2}), 3);
    QCOMPARE(number(u"SELECT COUNT(*) FROM order_lines WHERE refunded_qty > quantity"_s), 0);
    // Till 1's refund: 1 of its 2 units was left, so its line is booked as two rows, 1 unit that
    // fits and 1 unit of excess, half the amount each; till 2's is all excess (nothing was left).
    QCOMPARE(number(u"SELECT quantity FROM refund_lines WHERE refund_id = ? AND excess = 1"_s,
                    {offline1->id}),
             1);
    QCOMPARE(number(u"SELECT amount_cents FROM refund_lines WHERE refund_id = ? AND excess = 1"_s,
                    {offline1->id}),
             -220);
    QCOMPARE(number(u"SELECT quantity FROM refund_lines WHERE refund_id = ? AND excess = 0"_s,
                    {offline1->id}),
             1);
    QCOMPARE(number(u"SELECT COUNT(*) FROM refund_lines WHERE refund_id = ? AND excess = 1"_s,
                    {offline2->id}),
             1);
    // ... and they were booked exactly as the tills booked them (number, terminal, cashier,
    // amount), in the till's shift (sync protocol 5: the server holds the till's shifts).
    QCOMPARE(
        number(u"SELECT COUNT(*) FROM refunds WHERE id = ? AND receipt_no = ? AND "
               "terminal_id = ? AND cashier_id = ? AND amount_cents = ?"_s,
               {offline1->id, offline1->receiptNo,
                queryValue(m_db->db(), u"SELECT terminal_id FROM payments WHERE receipt_no = ?"_s,
                           {receipt1})
                    .toString(),
                offline1->cashierId, offline1->amountCents}),
        1);
    QVERIFY(!offline1->shiftId.isEmpty());
    QCOMPARE(queryValue(m_db->db(), u"SELECT shift_id FROM refunds WHERE id = ?"_s, {offline1->id})
                 .toString(),
             offline1->shiftId);

    // Money kept: every refund is on the server once; the sum there is the tills' and REST's.
    const qint64 restSum = rest1.json().value(u"amountCents"_s).toInteger() +
                           rest2.json().value(u"amountCents"_s).toInteger();
    QCOMPARE(restSum, -220 * 5);
    QCOMPARE(number(u"SELECT COALESCE(SUM(amount_cents), 0) FROM refunds"_s),
             offline1->amountCents + offline2->amountCents + restSum);
    QCOMPARE(number(u"SELECT COUNT(*) FROM refunds"_s), 4);

    // The review list: one over_refunded item per lost refund, with the excess amount, on the
    // server and on the till that paid it.
    QCOMPARE(number(u"SELECT COUNT(*) FROM review_items WHERE kind = 'over_refunded'"_s), 2);
    QCOMPARE(number(u"SELECT amount_cents FROM review_items WHERE id = ?"_s,
                    {u"over-refunded-"_s + offline1->id}),
             220); // the excess unit only
    QCOMPARE(number(u"SELECT amount_cents FROM review_items WHERE id = ?"_s,
                    {u"over-refunded-"_s + offline2->id}),
             -offline2->amountCents);
    QCOMPARE(till1.number(u"SELECT COUNT(*) FROM review_items WHERE kind = 'over_refunded'"_s), 1);
    QCOMPARE(till2.number(u"SELECT COUNT(*) FROM review_items WHERE kind = 'over_refunded'"_s), 1);

    // Nothing is left on the server of till 1's line: a REST refund of one is refused.
    const Response more = restRefund(receipt1, line1, 1);
    QCOMPARE(more.status, 409);
    QCOMPARE(number(u"SELECT refunded_qty FROM order_lines WHERE line_id = ?"_s, {line1}), 3);

    // The same refund pushed again (a lost answer): replayed, with its review item again.
    const QJsonArray again = outboxOps(till1, u"refund"_s);
    QCOMPARE(again.size(), 1);
    const Response replay = push(till1.token, again, 4);
    QCOMPARE(replay.status, 200);
    const QJsonObject result = replay.json().value(u"results"_s).toArray().at(0).toObject();
    QCOMPARE(result.value(u"result"_s).toString(), u"replayed"_s);
    QCOMPARE(result.value(u"review_items"_s).toArray().size(), 1);
    QCOMPARE(number(u"SELECT COUNT(*) FROM refunds"_s), 4);

    VERIFY_DATABASE_CLEAN(till1.db());
    VERIFY_DATABASE_CLEAN(till2.db());
    VERIFY_DATABASE_CLEAN(m_db->db());
}

void SyncRefundsTest::refundOfASaleTheServerLacksIsDeferred()
{
    Till till(addDevice(u"Till 3"_s));
    QCOMPARE(till.sync(m_server.port()).status, SyncRunReport::Status::Done);
    const auto [receipt, line] = till.sell(u"Mia"_s, 2);
    QVERIFY(!receipt.isEmpty());
    const Result<Refund> refund = till.refund(u"Mia"_s, receipt, line, 1);
    QVERIFY2(refund, qPrintable(refund.message()));
    const QJsonArray refundOps = outboxOps(till, u"refund"_s);
    QCOMPARE(refundOps.size(), 1);

    // The refund alone, before its sale: deferred (protocol 4), rejected for a version 3 push;
    // nothing is written either way.
    Response answer = push(till.token, refundOps, 4);
    QCOMPARE(answer.status, 200);
    QJsonObject result = answer.json().value(u"results"_s).toArray().at(0).toObject();
    QVERIFY2(result.value(u"result"_s).toString() == u"deferred"_s, qPrintable(described(answer)));
    QCOMPARE(result.value(u"code"_s).toString(), u"sale_unknown"_s);
    answer = push(till.token, refundOps, 3);
    QCOMPARE(answer.status, 200);
    result = answer.json().value(u"results"_s).toArray().at(0).toObject();
    QCOMPARE(result.value(u"result"_s).toString(), u"rejected"_s);
    QCOMPARE(result.value(u"code"_s).toString(), u"sale_unknown"_s);
    QCOMPARE(number(u"SELECT COUNT(*) FROM refunds WHERE id = ?"_s, {refund->id}), 0);

    // The till's outbox put the refund first (as when its sale's ops were held back): the run
    // meets "deferred", keeps the op pending, sends the sale behind it, and ends; the next run
    // books the refund.
    QSqlQuery move(till.db().connection());
    QVERIFY(move.exec(u"UPDATE outbox SET seq = seq + 1000 WHERE op <> 'refund'"_s));
    const SyncRunReport first = till.sync(m_server.port());
    QCOMPARE(first.status, SyncRunReport::Status::Done);
    QCOMPARE(first.rejected, 0);
    QCOMPARE(number(u"SELECT COUNT(*) FROM payments WHERE receipt_no = ?"_s, {receipt}), 1);
    QCOMPARE(first.pendingAfter, 1);
    QCOMPARE(till.number(u"SELECT COUNT(*) FROM outbox WHERE state = 'pending' AND "
                         "op = 'refund' AND last_error IS NOT NULL"_s),
             1);
    QCOMPARE(number(u"SELECT COUNT(*) FROM refunds WHERE id = ?"_s, {refund->id}), 0);
    const SyncRunReport second = till.sync(m_server.port());
    QVERIFY2(second.outboxEmpty(), qPrintable(second.error));
    QCOMPARE(number(u"SELECT amount_cents FROM refunds WHERE id = ?"_s, {refund->id}), -220);
    QCOMPARE(number(u"SELECT refunded_qty FROM order_lines WHERE line_id = ?"_s, {line}), 1);
    QCOMPARE(number(u"SELECT COUNT(*) FROM refund_lines WHERE refund_id = ? AND excess = 1"_s,
                    {refund->id}),
             0);
    VERIFY_DATABASE_CLEAN(till.db());
}

void SyncRefundsTest::partlyFittingRefundBooksTheUnitsThatFit()
{
    // Two tills each refund 2 of the 3 units of one line, and both reach the server: the first
    // fits, of the second 1 unit fits and 1 is excess. Till 4 sold the line; till 5's refund is
    // the op a till would push for it (a till can only refund sales it holds, so it is built from
    // till 4's op with till 5's identity: its own refund id, receipt number and request id).
    Till till4(addDevice(u"Till 4"_s));
    Till till5(addDevice(u"Till 5"_s));
    QCOMPARE(till4.sync(m_server.port()).status, SyncRunReport::Status::Done);
    QCOMPARE(till5.sync(m_server.port()).status, SyncRunReport::Status::Done);
    const auto [receipt, line] = till4.sell(u"Mia"_s, 3);
    QVERIFY(!receipt.isEmpty());
    QVERIFY(till4.sync(m_server.port()).outboxEmpty());

    const Result<Refund> atTill4 = till4.refund(u"Mia"_s, receipt, line, 2); // offline
    QVERIFY2(atTill4, qPrintable(atTill4.message()));
    QCOMPARE(atTill4->amountCents, -440);
    const QJsonArray till4Ops = outboxOps(till4, u"refund"_s);
    QCOMPARE(till4Ops.size(), 1);
    QJsonObject op = till4Ops.at(0).toObject();
    QJsonObject refund = op.value(u"payload"_s).toObject().value(u"refund"_s).toObject();
    const QString till5RefundId = Test::newId();
    refund.insert(u"id"_s, till5RefundId);
    refund.insert(u"receipt_no"_s, u"T5-000001"_s);
    refund.insert(u"shift_id"_s, QJsonValue::Null);
    op.insert(u"request_id"_s, Test::newId());
    op.insert(u"seq"_s, 1);
    op.insert(u"payload"_s, QJsonObject{{u"refund"_s, refund}});
    const Response pushed = push(till5.token, QJsonArray{op}, 5);
    QVERIFY2(pushed.status == 200, qPrintable(described(pushed)));
    QCOMPARE(pushed.json().value(u"results"_s).toArray().at(0).toObject().value(u"result"_s),
             u"applied"_s);
    QCOMPARE(number(u"SELECT refunded_qty FROM order_lines WHERE line_id = ?"_s, {line}), 2);

    // Till 4 syncs: 1 unit was left of its 2.
    const SyncRunReport report = till4.sync(m_server.port());
    QVERIFY2(report.outboxEmpty(), qPrintable(report.error));
    QCOMPARE(report.rejected, 0);

    // Counted exactly as sold; exactly 1 unit excess; till 4's rows add up to what it paid back.
    QCOMPARE(number(u"SELECT refunded_qty FROM order_lines WHERE line_id = ?"_s, {line}), 3);
    QCOMPARE(number(u"SELECT SUM(quantity) FROM refund_lines WHERE line_id = ? AND excess = 0"_s,
                    {line}),
             3);
    QCOMPARE(number(u"SELECT SUM(quantity) FROM refund_lines WHERE line_id = ? AND excess = 1"_s,
                    {line}),
             1);
    QCOMPARE(number(u"SELECT COUNT(*) FROM refund_lines WHERE refund_id = ?"_s, {atTill4->id}), 2);
    QCOMPARE(number(u"SELECT amount_cents FROM refund_lines WHERE refund_id = ? AND excess = 0"_s,
                    {atTill4->id}),
             -220);
    QCOMPARE(number(u"SELECT amount_cents FROM refund_lines WHERE refund_id = ? AND excess = 1"_s,
                    {atTill4->id}),
             -220);
    QCOMPARE(
        number(u"SELECT SUM(tax_cents) FROM refund_lines WHERE refund_id = ?"_s, {atTill4->id}),
        atTill4->lines.at(0).taxCents);
    QCOMPARE(number(u"SELECT COUNT(*) FROM refund_lines WHERE refund_id = ?"_s, {till5RefundId}),
             1);

    // Money booked exactly once: two refunds of the receipt, each as its till paid it.
    QCOMPARE(number(u"SELECT COUNT(*) FROM refunds WHERE original_receipt_no = ?"_s, {receipt}), 2);
    QCOMPARE(
        number(u"SELECT SUM(amount_cents) FROM refunds WHERE original_receipt_no = ?"_s, {receipt}),
        -880);
    QCOMPARE(number(u"SELECT amount_cents FROM refunds WHERE id = ?"_s, {atTill4->id}), -440);

    // The review item names only the excess unit and its amount, on the server and the till.
    const QString reviewId = u"over-refunded-"_s + atTill4->id;
    QCOMPARE(number(u"SELECT amount_cents FROM review_items WHERE id = ?"_s, {reviewId}), 220);
    const QJsonObject detail =
        QJsonDocument::fromJson(
            queryValue(m_db->db(), u"SELECT detail FROM review_items WHERE id = ?"_s, {reviewId})
                .toByteArray())
            .object();
    const QJsonArray lines = detail.value(u"lines"_s).toArray();
    QCOMPARE(lines.size(), 1);
    QCOMPARE(lines.at(0).toObject().value(u"quantity"_s).toInt(), 1);
    QCOMPARE(lines.at(0).toObject().value(u"paid_back"_s).toInt(), 2);
    QCOMPARE(lines.at(0).toObject().value(u"left"_s).toInt(), 1);
    QCOMPARE(lines.at(0).toObject().value(u"amount_cents"_s).toInteger(), -220);
    QCOMPARE(till4.number(u"SELECT amount_cents FROM review_items WHERE id = ?"_s, {reviewId}),
             220);
    QCOMPARE(number(u"SELECT COUNT(*) FROM review_items WHERE id = ?"_s,
                    {u"over-refunded-"_s + till5RefundId}),
             0);

    VERIFY_DATABASE_CLEAN(till4.db());
    VERIFY_DATABASE_CLEAN(m_db->db());
}

void SyncRefundsTest::tillRefusesWhatTheServerRefunded()
{
    // The pull carries what others (here the server's REST API) refunded of the till's sales, so
    // the till does not pay the same units back again (docs/sync-protocol.md section 4).
    Till till(addDevice(u"Till 6"_s));
    QString receipt;
    QString line;
    sellThenRefundByRest(till, 3, 2, &receipt, &line);
    if (QTest::currentTestFailed())
        return;
    QCOMPARE(
        till.number(u"SELECT refunded_elsewhere_qty FROM order_lines WHERE line_id = ?"_s, {line}),
        0);

    // The next sync's pull (a new ETag: the refund changed the answer) tells the till.
    const SyncRunReport pulled = till.sync(m_server.port());
    QCOMPARE(pulled.status, SyncRunReport::Status::Done);
    QVERIFY(pulled.pulled);
    QCOMPARE(
        till.number(u"SELECT refunded_elsewhere_qty FROM order_lines WHERE line_id = ?"_s, {line}),
        2);
    const Result<RefundableReceipt> refundable = till.refunds->refundable(receipt);
    QVERIFY2(refundable, qPrintable(refundable.message()));
    QCOMPARE(refundable->lines.size(), 1);
    QCOMPARE(refundable->lines.at(0).left(), 1);

    // Two more units: refused by the rules on the till, nothing written.
    const Result<Refund> tooMany = till.refund(u"Mia"_s, receipt, line, 2);
    QVERIFY(!tooMany);
    QVERIFY(tooMany.outcome() == Outcome::InvalidState);
    QVERIFY2(tooMany.message().contains(u"1 of 3 left"_s), qPrintable(tooMany.message()));
    QCOMPARE(till.number(u"SELECT COUNT(*) FROM refunds"_s), 0);

    // The one unit left is refunded, synced, and fits on the server: no excess, no review item.
    const Result<Refund> last = till.refund(u"Mia"_s, receipt, line, 1);
    QVERIFY2(last, qPrintable(last.message()));
    QVERIFY(till.sync(m_server.port()).outboxEmpty());
    QCOMPARE(number(u"SELECT refunded_qty FROM order_lines WHERE line_id = ?"_s, {line}), 3);
    QCOMPARE(number(u"SELECT COUNT(*) FROM refund_lines WHERE refund_id = ? AND excess = 0"_s,
                    {last->id}),
             1);
    QCOMPARE(number(u"SELECT COUNT(*) FROM refund_lines WHERE refund_id = ? AND excess = 1"_s,
                    {last->id}),
             0);
    QCOMPARE(number(u"SELECT COUNT(*) FROM review_items WHERE id = ?"_s,
                    {u"over-refunded-"_s + last->id}),
             0);
    // The money: the server's 2 units and the till's 1 add up to the line's 3 x 2.20.
    QCOMPARE(
        number(u"SELECT SUM(amount_cents) FROM refunds WHERE original_receipt_no = ?"_s, {receipt}),
        -660);

    // The till's own refund is not "elsewhere": after another pull the till counts 2 from the
    // server and 1 of its own, and nothing is left to refund.
    QCOMPARE(till.sync(m_server.port()).status, SyncRunReport::Status::Done);
    QCOMPARE(
        till.number(u"SELECT refunded_elsewhere_qty FROM order_lines WHERE line_id = ?"_s, {line}),
        2);
    QCOMPARE(till.number(u"SELECT refunded_qty FROM order_lines WHERE line_id = ?"_s, {line}), 1);
    const Result<Refund> none = till.refund(u"Mia"_s, receipt, line, 1);
    QVERIFY(none.outcome() == Outcome::InvalidState);

    // Another till's sale refunded through the REST API: that till is told, this one's answer is
    // unchanged (the server finds them by the sale's terminal stored with each refund, schema 21).
    Till other(addDevice(u"Till 7"_s));
    QString otherReceipt;
    QString otherLine;
    sellThenRefundByRest(other, 2, 1, &otherReceipt, &otherLine);
    if (QTest::currentTestFailed())
        return;
    QCOMPARE(other.sync(m_server.port()).status, SyncRunReport::Status::Done);
    QCOMPARE(other.number(u"SELECT refunded_elsewhere_qty FROM order_lines WHERE line_id = ?"_s,
                          {otherLine}),
             1);
    QCOMPARE(till.sync(m_server.port()).status, SyncRunReport::Status::Done);
    QCOMPARE(
        till.number(u"SELECT refunded_elsewhere_qty FROM order_lines WHERE line_id = ?"_s, {line}),
        2);
    QCOMPARE(till.number(u"SELECT SUM(refunded_elsewhere_qty) FROM order_lines"_s), 2);
    // Every refund on the server (the REST API's and the one the till pushed) names the terminal
    // of the sale it pays back, and the sales were made on two terminals.
    QCOMPARE(number(u"SELECT COUNT(*) FROM refunds WHERE original_receipt_no IN (?, ?)"_s,
                    {receipt, otherReceipt}),
             3);
    QCOMPARE(number(u"SELECT COUNT(*) FROM refunds r JOIN payments p "
                    "ON p.receipt_no = r.original_receipt_no AND p.kind = 'sale' "
                    "WHERE r.original_receipt_no IN (?, ?) "
                    "AND r.original_terminal_id = p.terminal_id"_s,
                    {receipt, otherReceipt}),
             3);
    QCOMPARE(number(u"SELECT COUNT(DISTINCT original_terminal_id) FROM refunds "
                    "WHERE original_receipt_no IN (?, ?)"_s,
                    {receipt, otherReceipt}),
             2);

    VERIFY_DATABASE_CLEAN(till.db());
    VERIFY_DATABASE_CLEAN(other.db());
    VERIFY_DATABASE_CLEAN(m_db->db());
}

QTEST_GUILESS_MAIN(SyncRefundsTest)
#include "tst_sync_refunds.moc"
