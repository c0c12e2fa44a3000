// Issue 15 on the server: a till's shifts, cash movements and Z reports synced (sync protocol 5,
// docs/sync-protocol.md 5.6), against safetill-server as a real process on 127.0.0.1 (SQLite, and
// PostgreSQL as tst_sync_shifts_pg). Tills are SQLite databases synced by the real SyncEngine with
// their own device tokens.
//
// Checked: the server holds the till's shift (same id, float, Z number) with the Z report text the
// till printed, byte for byte, its cash movements, and its payments and refunds in that shift; a
// push sent again changes nothing (every op "replayed"); an answer dropped after the server
// committed books nothing twice; a conflicting re-send is rejected; a protocol 4 push of a shift op
// is refused as an unknown op.

#include "Approvals.h"
#include "CashierService.h"
#include "Clock.h"
#include "Database.h"
#include "FlakyProxy.h"
#include "OrderService.h"
#include "RefundService.h"
#include "ServerTestClient.h"
#include "ShiftService.h"
#include "SyncEngine.h"
#include "SyncTill.h"
#include "SyncTransport.h"
#include "TestSupport.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSqlError>
#include <QSqlQuery>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

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
        policy.maxAttemptsPerRequest = 4;
        policy.firstBackoffMs = 20;
        policy.maxBackoffMs = 100;
        policy.maxOpsPerBatch = 5;
        return policy;
    }
};

// A server that answers every GET with `response` and every POST with `postResponse` (an older
// server refusing the push's protocol).
class FakeServer : public QObject
{
public:
    FakeServer(QByteArray response, QByteArray postResponse)
        : m_response(std::move(response))
        , m_postResponse(std::move(postResponse))
    {
        m_server.listen(QHostAddress::LocalHost, 0);
        QObject::connect(&m_server, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *socket = m_server.nextPendingConnection()) {
                QObject::connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
                QObject::connect(socket, &QTcpSocket::readyRead, socket, [this, socket] {
                    m_request += socket->readAll();
                    if (!m_request.contains("\r\n\r\n"))
                        return;
                    const bool post = m_request.startsWith("POST ");
                    m_request.clear();
                    socket->write(post ? m_postResponse : m_response);
                    socket->disconnectFromHost();
                });
            }
        });
    }
    quint16 port() const { return m_server.serverPort(); }

private:
    QTcpServer m_server;
    QByteArray m_response;
    QByteArray m_postResponse;
    QByteArray m_request;
};

QByteArray httpResponse(int status, const QByteArray &body)
{
    return "HTTP/1.1 " + QByteArray::number(status) +
           " X\r\nContent-Type: application/json\r\nConnection: close\r\nContent-Length: " +
           QByteArray::number(body.size()) + "\r\n\r\n" + body;
}

QString syncReport(const SyncRunReport &report)
{
    return report.error + u' ' + report.messages.join(u" | "_s) +
           u" pending %1 failed %2 rejected %3"_s.arg(report.pendingAfter)
               .arg(report.failedAfter)
               .arg(report.rejected);
}

} // namespace

class SyncShiftsTest : public QObject
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
    QString text(const QString &sql, const QVariantList &values = {})
    {
        return queryValue(m_db->db(), sql, values).toString();
    }
    Response push(const QByteArray &token, const QJsonArray &ops, int protocol)
    {
        HttpClient client(m_server.port());
        return client.request("POST", u"/api/sync/v1/push"_s,
                              json({{u"protocol"_s, protocol}, {u"ops"_s, ops}}), bearer(token));
    }
    // A till's outbox rows (of one op kind, or all), as the wire's ops.
    static QJsonArray outboxOps(Till &till, const QString &op = {})
    {
        QJsonArray ops;
        QSqlQuery query(till.db().connection());
        query.prepare(u"SELECT seq, request_id, op, order_id, tab_id, created_at, payload "
                      "FROM outbox WHERE ? = '' OR op = ? ORDER BY seq"_s);
        query.addBindValue(op.isNull() ? u""_s : op);
        query.addBindValue(op.isNull() ? u""_s : op);
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
    QString deviceId(const QString &name)
    {
        return text(u"SELECT id FROM devices WHERE name = ?"_s, {name});
    }

    std::unique_ptr<TestDatabase> m_db;
    ServerProcess m_server;

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void shiftMovementsAndZReachTheServerOnce();
    void autoOpenedShiftAndConflicts();
    void dayReportIsTheSumOfTheZReports();
    void shiftRoutesForManagers();
    void aVersion4ServerKeepsTheOpsPending();
};

void SyncShiftsTest::initTestCase()
{
    SAFETILL_REQUIRE_TEST_BACKEND();
    m_db = std::make_unique<TestDatabase>();
    QVERIFY(m_server.start(m_db->path()));
    QVERIFY(CashierService(m_db->db()).add(u"Mia"_s, u"4321"_s, Role::Manager));
    QVERIFY(CashierService(m_db->db()).add(u"Ben"_s, u"1111"_s, Role::Cashier));
}

void SyncShiftsTest::cleanupTestCase()
{
    if (m_db)
        VERIFY_DATABASE_CLEAN(m_db->db());
}

void SyncShiftsTest::shiftMovementsAndZReachTheServerOnce()
{
    Till till(addDevice(u"Till 1"_s));
    QCOMPARE(till.token.size(), 43);
    QCOMPARE(till.sync(m_server.port()).status, SyncRunReport::Status::Done);
    const QString device = deviceId(u"Till 1"_s);
    QVERIFY(!device.isEmpty());

    // A day at the till: open with a float, sell by cash, card and voucher, refund a unit, pay in,
    // pay out, a manager's no-sale, and close by the cash counted.
    const Result<Shift> opened = till.shifts->open(u"Mia"_s, 10000, newId());
    QVERIFY2(opened, qPrintable(opened.message()));
    const auto [cashReceipt, cashLine] = till.sell(u"Ben"_s, 3, PaymentMethod::Cash);
    const auto [cardReceipt, cardLine] = till.sell(u"Ben"_s, 2, PaymentMethod::Card);
    const auto [otherReceipt, otherLine] =
        till.sell(u"Mia"_s, 1, PaymentMethod::Other, u"Voucher"_s);
    QVERIFY(!cashReceipt.isEmpty() && !cardReceipt.isEmpty() && !otherReceipt.isEmpty());
    RefundRequest request;
    request.receiptNo = cashReceipt;
    request.cashier = u"Mia"_s;
    request.lines = {{cashLine, 1}};
    request.reason = u"spilt"_s;
    const Result<Refund> refund = till.refunds->refund(request, newId());
    QVERIFY2(refund, qPrintable(refund.message()));
    QVERIFY(till.shifts->payIn(u"Ben"_s, 500, u"change from the bank"_s, newId()));
    QVERIFY(till.shifts->payOut(u"Ben"_s, 300, u"milk"_s, newId()));
    QVERIFY(till.shifts->noSale(u"Mia"_s, std::nullopt, newId()));
    const Result<ZReport> x = till.shifts->xReport();
    QVERIFY(x);
    const Result<ZReport> z = till.shifts->close(u"Mia"_s, x->expectedCents, std::nullopt, newId());
    QVERIFY2(z, qPrintable(z.message()));
    QCOMPARE(z->number, 1);
    const QString tillZ = till.text(u"SELECT z_report FROM shifts WHERE id = ?"_s, {opened->id});
    QVERIFY(tillZ.contains(u"\"refundsCents\":220"_s));

    // Sync through a proxy that drops the server's first answer to a push carrying the close
    // (after the server committed it): the retry is answered "replayed", nothing twice.
    FlakyProxy proxy(15, 0);
    proxy.setTarget(m_server.port());
    int dropped = 0;
    proxy.decide = [&](const QByteArray &request) -> std::optional<FlakyProxy::Fault> {
        if (dropped == 0 && request.startsWith("POST /api/sync/v1/push") &&
            request.contains("shift_close"))
            return FlakyProxy::DropAnswer;
        return std::nullopt;
    };
    proxy.answerDropped = [&](const QByteArray &, const QByteArray &answer) {
        if (answer.startsWith("HTTP/1.1 200"))
            ++dropped;
    };
    const SyncRunReport report = till.sync(proxy.port());
    QVERIFY2(report.outboxEmpty(), qPrintable(syncReport(report)));
    QCOMPARE(report.rejected, 0);
    QCOMPARE(dropped, 1);

    // The server has the same shift, closed with the same Z number and the same Z text.
    QCOMPARE(number(u"SELECT COUNT(*) FROM shifts WHERE terminal_id = ?"_s, {device}), 1);
    QCOMPARE(text(u"SELECT status FROM shifts WHERE id = ?"_s, {opened->id}), u"closed"_s);
    QCOMPARE(text(u"SELECT terminal_id FROM shifts WHERE id = ?"_s, {opened->id}), device);
    QCOMPARE(number(u"SELECT z_number FROM shifts WHERE id = ?"_s, {opened->id}), 1);
    QCOMPARE(number(u"SELECT float_cents FROM shifts WHERE id = ?"_s, {opened->id}), 10000);
    QCOMPARE(number(u"SELECT auto_opened FROM shifts WHERE id = ?"_s, {opened->id}), 0);
    QCOMPARE(number(u"SELECT counted_cents FROM shifts WHERE id = ?"_s, {opened->id}),
             x->expectedCents);
    QCOMPARE(text(u"SELECT z_report FROM shifts WHERE id = ?"_s, {opened->id}), tillZ);
    QCOMPARE(text(u"SELECT opened_at FROM shifts WHERE id = ?"_s, {opened->id}),
             till.text(u"SELECT opened_at FROM shifts WHERE id = ?"_s, {opened->id}));
    // Its movements, with the till's ids, once.
    QCOMPARE(number(u"SELECT COUNT(*) FROM cash_movements WHERE shift_id = ?"_s, {opened->id}), 3);
    QCOMPARE(number(u"SELECT COALESCE(SUM(amount_cents), 0) FROM cash_movements WHERE "
                    "shift_id = ? AND kind = 'pay_in'"_s,
                    {opened->id}),
             500);
    QCOMPARE(number(u"SELECT COUNT(*) FROM cash_movements WHERE shift_id = ? AND kind = "
                    "'no_sale' AND terminal_id = ?"_s,
                    {opened->id, device}),
             1);
    // The till's payments and its refund are in the till's shift on the server too, once.
    QCOMPARE(number(u"SELECT COUNT(*) FROM payments WHERE terminal_id = ?"_s, {device}), 3);
    QCOMPARE(number(u"SELECT COUNT(*) FROM payments WHERE terminal_id = ? AND shift_id = ?"_s,
                    {device, opened->id}),
             3);
    QCOMPARE(text(u"SELECT shift_id FROM refunds WHERE id = ?"_s, {refund->id}), opened->id);
    QCOMPARE(number(u"SELECT COUNT(*) FROM refunds WHERE terminal_id = ?"_s, {device}), 1);

    // The whole outbox pushed again (a lost answer, a restored till): every op replayed, nothing
    // booked again.
    const QJsonArray all = outboxOps(till);
    QVERIFY(all.size() >= 10);
    const Response again = push(till.token, all, 5);
    QVERIFY2(again.status == 200, qPrintable(described(again)));
    for (const QJsonValue &result : again.json().value(u"results"_s).toArray())
        QVERIFY2(result.toObject().value(u"result"_s).toString() == u"replayed"_s,
                 qPrintable(QString::fromUtf8(QJsonDocument(result.toObject()).toJson())));
    QCOMPARE(number(u"SELECT COUNT(*) FROM shifts WHERE terminal_id = ?"_s, {device}), 1);
    QCOMPARE(number(u"SELECT COUNT(*) FROM cash_movements WHERE terminal_id = ?"_s, {device}), 3);
    QCOMPARE(number(u"SELECT COUNT(*) FROM payments WHERE terminal_id = ?"_s, {device}), 3);
    QCOMPARE(number(u"SELECT COUNT(*) FROM refunds WHERE terminal_id = ?"_s, {device}), 1);

    // The same ops under new request ids (the till's database restored from a backup): the
    // shift, movements and Z are recognised by their ids and applied without a change.
    QJsonArray renamed;
    for (const QJsonValue &value : outboxOps(till)) {
        QJsonObject op = value.toObject();
        const QString kind = op.value(u"op"_s).toString();
        if (kind != u"shift_open"_s && kind != u"cash_movement"_s && kind != u"shift_close"_s)
            continue;
        op.insert(u"request_id"_s, u"restored-"_s + op.value(u"request_id"_s).toString());
        renamed.append(op);
    }
    QCOMPARE(renamed.size(), 5);
    const Response restored = push(till.token, renamed, 5);
    QVERIFY2(restored.status == 200, qPrintable(described(restored)));
    for (const QJsonValue &result : restored.json().value(u"results"_s).toArray())
        QCOMPARE(result.toObject().value(u"result"_s).toString(), u"applied"_s);
    QCOMPARE(number(u"SELECT COUNT(*) FROM cash_movements WHERE terminal_id = ?"_s, {device}), 3);
    QCOMPARE(text(u"SELECT z_report FROM shifts WHERE id = ?"_s, {opened->id}), tillZ);

    VERIFY_DATABASE_CLEAN(till.db());
    VERIFY_DATABASE_CLEAN(m_db->db());
}

void SyncShiftsTest::autoOpenedShiftAndConflicts()
{
    Till till(addDevice(u"Till 2"_s));
    QCOMPARE(till.sync(m_server.port()).status, SyncRunReport::Status::Done);
    const QString device = deviceId(u"Till 2"_s);

    // No shift opened: the first sale opens one by itself (float 0), the close ends it.
    const auto [receipt, line] = till.sell(u"Ben"_s, 2, PaymentMethod::Cash);
    QVERIFY(!receipt.isEmpty());
    const QString shiftId =
        till.text(u"SELECT shift_id FROM payments WHERE receipt_no = ?"_s, {receipt});
    QVERIFY(!shiftId.isEmpty());
    QVERIFY(till.shifts->payOut(u"Ben"_s, 100, u"bread"_s, newId()));
    const Result<ZReport> z = till.shifts->close(u"Mia"_s, 340, std::nullopt, newId());
    QVERIFY2(z, qPrintable(z.message()));
    const SyncRunReport report = till.sync(m_server.port());
    QVERIFY2(report.outboxEmpty(), qPrintable(syncReport(report)));
    QCOMPARE(text(u"SELECT status FROM shifts WHERE id = ?"_s, {shiftId}), u"closed"_s);
    QCOMPARE(number(u"SELECT auto_opened FROM shifts WHERE id = ?"_s, {shiftId}), 1);
    QCOMPARE(text(u"SELECT opened_at FROM shifts WHERE id = ?"_s, {shiftId}),
             till.text(u"SELECT opened_at FROM shifts WHERE id = ?"_s, {shiftId}));
    QCOMPARE(text(u"SELECT z_report FROM shifts WHERE id = ?"_s, {shiftId}),
             till.text(u"SELECT z_report FROM shifts WHERE id = ?"_s, {shiftId}));
    QCOMPARE(number(u"SELECT COUNT(*) FROM payments WHERE terminal_id = ? AND shift_id = ?"_s,
                    {device, shiftId}),
             1);

    // A close of the same shift with another Z text under a new request id: rejected, nothing
    // changes.
    QJsonArray closes = outboxOps(till, u"shift_close"_s);
    QCOMPARE(closes.size(), 1);
    QJsonObject forged = closes.at(0).toObject();
    forged.insert(u"request_id"_s, u"forged-close"_s);
    QJsonObject payload = forged.value(u"payload"_s).toObject();
    const QString printed = payload.value(u"z_report"_s).toString();
    payload.insert(u"z_report"_s,
                   QString(printed).replace(u"\"receipts\":1"_s, u"\"receipts\":2"_s));
    QVERIFY(payload.value(u"z_report"_s).toString() != printed);
    forged.insert(u"payload"_s, payload);
    Response answer = push(till.token, QJsonArray{forged}, 5);
    QCOMPARE(answer.status, 200);
    QJsonObject result = answer.json().value(u"results"_s).toArray().at(0).toObject();
    QVERIFY2(result.value(u"result"_s).toString() == u"rejected"_s, qPrintable(described(answer)));
    QCOMPARE(result.value(u"code"_s).toString(), u"shift_conflict"_s);
    QCOMPARE(text(u"SELECT z_report FROM shifts WHERE id = ?"_s, {shiftId}),
             till.text(u"SELECT z_report FROM shifts WHERE id = ?"_s, {shiftId}));

    // Another device's push naming this till's shift: refused, nothing of it revealed or changed.
    Till other(addDevice(u"Till 3"_s));
    QCOMPARE(other.sync(m_server.port()).status, SyncRunReport::Status::Done);
    QJsonObject foreign = outboxOps(till, u"cash_movement"_s).at(0).toObject();
    foreign.insert(u"request_id"_s, u"foreign-movement"_s);
    QJsonObject movement = foreign.value(u"payload"_s).toObject();
    QJsonObject fact = movement.value(u"movement"_s).toObject();
    fact.insert(u"id"_s, newId());
    movement.insert(u"movement"_s, fact);
    foreign.insert(u"payload"_s, movement);
    answer = push(other.token, QJsonArray{foreign}, 5);
    QCOMPARE(answer.status, 200);
    result = answer.json().value(u"results"_s).toArray().at(0).toObject();
    QCOMPARE(result.value(u"result"_s).toString(), u"rejected"_s);
    QCOMPARE(result.value(u"code"_s).toString(), u"shift_conflict"_s);
    QCOMPARE(number(u"SELECT COUNT(*) FROM cash_movements WHERE id = ?"_s,
                    {fact.value(u"id"_s).toString()}),
             0);

    // A shift op in a protocol 4 push (a till built between the two): an op that version does
    // not have.
    forged.insert(u"request_id"_s, u"old-protocol-close"_s);
    answer = push(till.token, QJsonArray{forged}, 4);
    QCOMPARE(answer.status, 200);
    result = answer.json().value(u"results"_s).toArray().at(0).toObject();
    QCOMPARE(result.value(u"code"_s).toString(), u"unsupported_op"_s);

    // A malformed op names the member.
    QJsonObject broken = closes.at(0).toObject();
    broken.insert(u"request_id"_s, u"broken-close"_s);
    payload = broken.value(u"payload"_s).toObject();
    QJsonObject shift = payload.value(u"shift"_s).toObject();
    shift.insert(u"counted_cents"_s, -5);
    payload.insert(u"shift"_s, shift);
    broken.insert(u"payload"_s, payload);
    answer = push(till.token, QJsonArray{broken}, 5);
    result = answer.json().value(u"results"_s).toArray().at(0).toObject();
    QCOMPARE(result.value(u"code"_s).toString(), u"invalid_op"_s);
    QVERIFY2(result.value(u"message"_s).toString().contains(u"payload.shift.counted_cents"_s),
             qPrintable(result.value(u"message"_s).toString()));

    VERIFY_DATABASE_CLEAN(till.db());
    VERIFY_DATABASE_CLEAN(m_db->db());
}

namespace {

// One Z report field summed over reports: a path of object members, e.g. {"sales", "grossCents"}.
qint64 sumField(const QList<QJsonObject> &reports, const QStringList &path)
{
    qint64 sum = 0;
    for (const QJsonObject &report : reports) {
        QJsonValue value = report;
        for (const QString &key : path)
            value = value.toObject().value(key);
        sum += value.toInteger();
    }
    return sum;
}

qint64 field(const QJsonObject &json, const QStringList &path)
{
    QJsonValue value = json;
    for (const QString &key : path)
        value = value.toObject().value(key);
    return value.toInteger();
}

QMap<QString, qint64> byMethod(const QJsonArray &payments)
{
    QMap<QString, qint64> sums;
    for (const QJsonValue &value : payments)
        sums[value.toObject().value(u"method"_s).toString()] +=
            value.toObject().value(u"cents"_s).toInteger();
    return sums;
}

// A day of a till: open with a float (0: no open, the first sale opens it), sales, close.
QString tillDay(Till &till, Cents floatCents, int sales, Cents payOut)
{
    QString shiftId;
    if (floatCents > 0) {
        const Result<Shift> opened = till.shifts->open(u"Mia"_s, floatCents, newId());
        if (!opened)
            return {};
        shiftId = opened->id;
    }
    for (int i = 0; i < sales; ++i) {
        const PaymentMethod method = i % 3 == 0   ? PaymentMethod::Card
                                     : i % 3 == 1 ? PaymentMethod::Cash
                                                  : PaymentMethod::Other;
        if (till.sell(u"Ben"_s, 1 + i % 2, method,
                      method == PaymentMethod::Other ? u"Voucher"_s : QString())
                .first.isEmpty())
            return {};
    }
    if (payOut > 0 && !till.shifts->payOut(u"Ben"_s, payOut, u"supplies"_s, newId()))
        return {};
    const Result<ZReport> x = till.shifts->xReport();
    if (!x)
        return {};
    // Counted 10 cents short, so over/short is not 0.
    const Result<ZReport> z = till.shifts->close(
        u"Mia"_s, std::max<Cents>(0, x->expectedCents - 10), std::nullopt, newId());
    return z ? z->shiftId : QString();
}

} // namespace

void SyncShiftsTest::dayReportIsTheSumOfTheZReports()
{
    Till till4(addDevice(u"Till 4"_s));
    Till till5(addDevice(u"Till 5"_s));
    Till till6(addDevice(u"Till 6"_s));
    for (Till *till : {&till4, &till5, &till6})
        QCOMPARE(till->sync(m_server.port()).status, SyncRunReport::Status::Done);
    QVERIFY(!tillDay(till4, 5000, 4, 200).isEmpty());
    QVERIFY(!tillDay(till4, 0, 3, 0).isEmpty()); // a second shift, opened by its first sale
    QVERIFY(!tillDay(till5, 8000, 5, 150).isEmpty());
    // Till 6 sells in a shift it has not closed.
    QVERIFY(till6.shifts->open(u"Mia"_s, 1000, newId()));
    QVERIFY(!till6.sell(u"Ben"_s, 2, PaymentMethod::Cash).first.isEmpty());
    for (Till *till : {&till4, &till5, &till6}) {
        const SyncRunReport report = till->sync(m_server.port());
        QVERIFY2(report.outboxEmpty(), qPrintable(syncReport(report)));
    }

    // The day: that of till 5's close (UTC). The Z reports the server holds for it, as printed.
    const QString closedAt =
        text(u"SELECT MAX(closed_at) FROM shifts WHERE terminal_id = ?"_s, {deviceId(u"Till 5"_s)});
    const QString date = closedAt.left(10);
    QList<QJsonObject> zReports;
    QHash<QString, QList<QJsonObject>> perTill;
    {
        QSqlQuery query(m_db->db().connection());
        query.prepare(u"SELECT terminal_id, z_report FROM shifts WHERE status = 'closed' AND "
                      "closed_at >= ? AND closed_at < ?"_s);
        query.addBindValue(date + u"T00:00:00.000Z"_s);
        query.addBindValue(QDate::fromString(date, Qt::ISODate).addDays(1).toString(Qt::ISODate) +
                           u"T00:00:00.000Z"_s);
        QVERIFY2(query.exec(), qPrintable(query.lastError().text()));
        while (query.next()) {
            const QJsonObject z = QJsonDocument::fromJson(query.value(1).toByteArray()).object();
            zReports.append(z);
            perTill[query.value(0).toString()].append(z);
        }
    }
    if (perTill.value(deviceId(u"Till 4"_s)).size() != 2)
        QSKIP("The tills' shifts closed on both sides of midnight UTC; run it again.");
    QVERIFY(zReports.size() >= 3);

    // Who may read it: a manager; a cashier and a device get 403 forbidden.
    HttpClient client(m_server.port());
    auto login = [&](const QString &name, const QString &pin) {
        const Response answer = client.request("POST", u"/api/auth/login"_s,
                                               json({{u"username"_s, name}, {u"pin"_s, pin}}));
        return answer.json().value(u"token"_s).toString().toLatin1();
    };
    const QByteArray manager = login(u"Mia"_s, u"4321"_s);
    const QByteArray cashier = login(u"Ben"_s, u"1111"_s);
    QVERIFY(!manager.isEmpty() && !cashier.isEmpty());
    const QString path = u"/api/reports/day?date="_s + date;
    Response answer = client.request("GET", path, {}, bearer(cashier));
    QCOMPARE(answer.status, 403);
    QCOMPARE(answer.json().value(u"code"_s).toString(), u"forbidden"_s);
    answer = client.request("GET", path, {}, bearer(till4.token));
    QCOMPARE(answer.status, 403);
    answer = client.request("GET", u"/api/reports/day?date=2026-02-30"_s, {}, bearer(manager));
    QCOMPARE(answer.status, 422);
    QVERIFY(answer.json().value(u"error"_s).toString().contains(u"date"_s));
    answer = client.request("GET", u"/api/reports/day"_s, {}, bearer(manager));
    QCOMPARE(answer.status, 422);
    answer = client.request("GET", path, {}, bearer(manager));
    QVERIFY2(answer.status == 200, qPrintable(described(answer)));
    const QJsonObject report = answer.json();
    QCOMPARE(report.value(u"date"_s).toString(), date);
    QCOMPARE(report.value(u"timeZone"_s).toString(), u"UTC"_s);

    // The shop's total is the sum of the Z reports exactly, field by field, and the sum of the
    // tills' parts.
    const QJsonObject shop = report.value(u"shop"_s).toObject();
    QList<QJsonObject> tillParts;
    for (const QJsonValue &value : report.value(u"tills"_s).toArray())
        tillParts.append(value.toObject());
    QCOMPARE(shop.value(u"shifts"_s).toInt(), int(zReports.size()));
    const QList<QStringList> fields{{u"sales"_s, u"grossCents"_s},
                                    {u"sales"_s, u"netCents"_s},
                                    {u"sales"_s, u"taxCents"_s},
                                    {u"discountsCents"_s},
                                    {u"refundsCents"_s},
                                    {u"voidsCents"_s},
                                    {u"receipts"_s},
                                    {u"cash"_s, u"floatCents"_s},
                                    {u"cash"_s, u"payInsCents"_s},
                                    {u"cash"_s, u"payOutsCents"_s},
                                    {u"cash"_s, u"expectedCents"_s},
                                    {u"cash"_s, u"countedCents"_s},
                                    {u"cash"_s, u"overShortCents"_s},
                                    {u"noSales"_s}};
    for (const QStringList &name : fields) {
        QCOMPARE(field(shop, name), sumField(zReports, name));
        QCOMPARE(sumField(tillParts, name), sumField(zReports, name));
    }
    QVERIFY(field(shop, {u"sales"_s, u"grossCents"_s}) > 0);
    QVERIFY(field(shop, {u"cash"_s, u"overShortCents"_s}) < 0);
    QMap<QString, qint64> methods;
    for (const QJsonObject &z : std::as_const(zReports)) {
        const QMap<QString, qint64> one = byMethod(z.value(u"payments"_s).toArray());
        for (auto it = one.begin(); it != one.end(); ++it)
            methods[it.key()] += it.value();
    }
    QCOMPARE(byMethod(shop.value(u"payments"_s).toArray()), methods);
    QVERIFY(methods.value(u"card"_s) > 0 && methods.value(u"other"_s) > 0);
    // Per till: its own Z reports summed, their numbers listed.
    bool sawTill4 = false;
    for (const QJsonObject &part : std::as_const(tillParts)) {
        const QList<QJsonObject> own = perTill.value(part.value(u"till"_s).toString());
        QCOMPARE(field(part, {u"sales"_s, u"grossCents"_s}),
                 sumField(own, {u"sales"_s, u"grossCents"_s}));
        QCOMPARE(part.value(u"zNumbers"_s).toArray().size(), own.size());
        if (part.value(u"tillName"_s).toString() == u"Till 4"_s) {
            sawTill4 = true;
            QCOMPARE(part.value(u"zNumbers"_s).toArray(), (QJsonArray{1, 2}));
        }
    }
    QVERIFY(sawTill4);
    // Till 6's open shift: apart, with its sale so far, not in the totals.
    bool sawOpen = false;
    for (const QJsonValue &value : report.value(u"openShifts"_s).toArray()) {
        const QJsonObject open = value.toObject();
        if (open.value(u"tillName"_s).toString() != u"Till 6"_s)
            continue;
        sawOpen = true;
        QCOMPARE(field(open, {u"report"_s, u"sales"_s, u"grossCents"_s}), 440);
        QCOMPARE(field(open, {u"report"_s, u"cash"_s, u"floatCents"_s}), 1000);
    }
    QVERIFY(sawOpen);

    // The CLI prints the same tills and shop.
    auto [status, out] =
        runAdmin({u"--db"_s, m_db->path(), u"report"_s, u"day"_s, date, u"--json"_s});
    QCOMPARE(status, 0);
    const QJsonObject printed = QJsonDocument::fromJson(out).object();
    QCOMPARE(printed.value(u"shop"_s).toObject(), shop);
    QCOMPARE(printed.value(u"tills"_s).toArray(), report.value(u"tills"_s).toArray());
    std::tie(status, out) = runAdmin({u"--db"_s, m_db->path(), u"report"_s, u"day"_s, date});
    QCOMPARE(status, 0);
    QVERIFY2(out.contains("Till 4") && out.contains("Shop"), out.constData());
    std::tie(status, out) =
        runAdmin({u"--db"_s, m_db->path(), u"report"_s, u"day"_s, u"05.12.2026"_s});
    QCOMPARE(status, 2);
    // A day with nothing: zeros, no tills.
    std::tie(status, out) =
        runAdmin({u"--db"_s, m_db->path(), u"report"_s, u"day"_s, u"2001-01-01"_s, u"--json"_s});
    QCOMPARE(status, 0);
    const QJsonObject empty = QJsonDocument::fromJson(out).object();
    QCOMPARE(empty.value(u"tills"_s).toArray().size(), 0);
    QCOMPARE(field(empty, {u"shop"_s, u"sales"_s, u"grossCents"_s}), 0);
}

void SyncShiftsTest::shiftRoutesForManagers()
{
    Till till(addDevice(u"Till 7"_s));
    QCOMPARE(till.sync(m_server.port()).status, SyncRunReport::Status::Done);
    const QString first = tillDay(till, 2000, 2, 0);
    QVERIFY(!first.isEmpty());
    QVERIFY(till.shifts->open(u"Mia"_s, 3000, newId()));
    QVERIFY(!till.sell(u"Ben"_s, 1, PaymentMethod::Card).first.isEmpty());
    const SyncRunReport synced = till.sync(m_server.port());
    QVERIFY2(synced.outboxEmpty(), qPrintable(syncReport(synced)));

    HttpClient client(m_server.port());
    auto login = [&](const QString &name, const QString &pin) {
        const Response answer = client.request("POST", u"/api/auth/login"_s,
                                               json({{u"username"_s, name}, {u"pin"_s, pin}}));
        return answer.json().value(u"token"_s).toString().toLatin1();
    };
    const QByteArray manager = login(u"Mia"_s, u"4321"_s);
    const QByteArray cashier = login(u"Ben"_s, u"1111"_s);
    Response answer =
        client.request("GET", u"/api/shifts?till=Till%207&status=closed"_s, {}, bearer(manager));
    QVERIFY2(answer.status == 200, qPrintable(described(answer)));
    QJsonArray list = answer.json().value(u"shifts"_s).toArray();
    QCOMPARE(list.size(), 1);
    QCOMPARE(list.at(0).toObject().value(u"id"_s).toString(), first);
    QCOMPARE(list.at(0).toObject().value(u"number"_s).toInt(), 1);
    answer = client.request("GET", u"/api/shifts?till=Till%207&status=open"_s, {}, bearer(manager));
    list = answer.json().value(u"shifts"_s).toArray();
    QCOMPARE(list.size(), 1);
    QCOMPARE(list.at(0).toObject().value(u"floatCents"_s).toInt(), 3000);
    answer = client.request("GET", u"/api/shifts?till=Till%207"_s, {}, bearer(manager));
    QCOMPARE(answer.json().value(u"shifts"_s).toArray().size(), 2);
    answer = client.request("GET", u"/api/shifts?status=half"_s, {}, bearer(manager));
    QCOMPARE(answer.status, 422);
    answer = client.request("GET", u"/api/shifts"_s, {}, bearer(cashier));
    QCOMPARE(answer.status, 403);

    // The Z report as the till printed it, byte for byte.
    answer = client.request("GET", u"/api/shifts/%1/z-report"_s.arg(first), {}, bearer(manager));
    QCOMPARE(answer.status, 200);
    QCOMPARE(answer.body,
             till.text(u"SELECT z_report FROM shifts WHERE id = ?"_s, {first}).toUtf8());
    answer = client.request("GET", u"/api/shifts/no-such-shift/z-report"_s, {}, bearer(manager));
    QCOMPARE(answer.status, 404);
    answer = client.request("GET", u"/api/shifts/%1/z-report"_s.arg(first), {}, bearer(cashier));
    QCOMPARE(answer.status, 403);
    answer = client.request("GET", u"/api/shifts/%1/z-report"_s.arg(first), {}, bearer(till.token));
    QCOMPARE(answer.status, 403);
}

void SyncShiftsTest::aVersion4ServerKeepsTheOpsPending()
{
    Till till(addDevice(u"Till 8"_s));
    QCOMPARE(till.sync(m_server.port()).status, SyncRunReport::Status::Done);
    const Result<Shift> opened = till.shifts->open(u"Mia"_s, 700, newId());
    QVERIFY(opened);
    QVERIFY(till.shifts->payIn(u"Ben"_s, 300, u"coins"_s, newId()));
    const qint64 pending = till.number(u"SELECT COUNT(*) FROM outbox WHERE state = 'pending'"_s);
    QCOMPARE(pending, qint64(2));

    // A server of protocol 4 refuses the push as a whole: every op is kept, none failed, and the
    // till says why.
    FakeServer old("HTTP/1.1 304 Not Modified\r\nConnection: close\r\n\r\n",
                   httpResponse(400, R"({"error":"This server speaks sync protocol 4 (and 2), )"
                                     R"(not 5.","code":"unsupported_protocol",)"
                                     R"("supported_protocols":[2,4]})"));
    const SyncRunReport refused = till.sync(old.port());
    QCOMPARE(int(refused.status), int(SyncRunReport::Status::Refused));
    QVERIFY2(refused.error.contains(u"protocol 4"_s), qPrintable(refused.error));
    QCOMPARE(refused.rejected, 0);
    QCOMPARE(till.number(u"SELECT COUNT(*) FROM outbox WHERE state = 'pending'"_s), pending);

    // The server updated: they go.
    const SyncRunReport report = till.sync(m_server.port());
    QVERIFY2(report.outboxEmpty(), qPrintable(syncReport(report)));
    QCOMPARE(number(u"SELECT float_cents FROM shifts WHERE id = ?"_s, {opened->id}), 700);
    QCOMPARE(number(u"SELECT COUNT(*) FROM cash_movements WHERE shift_id = ?"_s, {opened->id}), 1);
}

QTEST_GUILESS_MAIN(SyncShiftsTest)
#include "tst_sync_shifts.moc"
