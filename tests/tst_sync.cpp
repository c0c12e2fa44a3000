// The terminal's sync client (sync/) against a real safetill-server process on 127.0.0.1 (SQLite,
// and PostgreSQL as tst_sync_pg): offline then online, a flaky proxy in between (seeded), the
// server killed mid-backlog, two terminals at once, a conflict, a 10,000-op backlog, bad answers
// from a fake server, and the CLI's `sync --once` / `sync --status`.

#include "CashierService.h"
#include "CatalogService.h"
#include "Database.h"
#include "FlakyProxy.h"
#include "Json.h"
#include "OrderService.h"
#include "PinHasher.h"
#include "ResultChecks.h"
#include "ServerTestClient.h"
#include "ShopSettings.h"
#include "SyncConfig.h"
#include "SyncEngine.h"
#include "SyncService.h"
#include "SyncStore.h"
#include "SyncTransport.h"
#include "TabService.h"
#include "TestSupport.h"

#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <QUuid>

#include <memory>
#include <thread>

using namespace Qt::StringLiterals;
using namespace SafeTill;
using namespace SafeTill::Test;

namespace {

std::pair<int, QByteArray> runProgram(const QString &program, const QStringList &arguments,
                                      QByteArray *errors = nullptr)
{
    QProcess process;
    process.start(program, arguments);
    process.waitForFinished(60000);
    if (errors)
        *errors = process.readAllStandardError();
    return {process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1,
            process.readAllStandardOutput()};
}

// A fake server that answers every request with one canned response.
class FakeServer : public QObject
{
public:
    // postResponse (if given) answers POST requests, response the others.
    explicit FakeServer(QByteArray response, QByteArray postResponse = {})
        : m_response(std::move(response))
        , m_postResponse(std::move(postResponse))
    {
        m_server.listen(QHostAddress::LocalHost, 0);
        QObject::connect(&m_server, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *socket = m_server.nextPendingConnection()) {
                QObject::connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
                QObject::connect(socket, &QTcpSocket::readyRead, socket, [this, socket] {
                    m_request += socket->readAll();
                    const qsizetype headEnd = m_request.indexOf("\r\n\r\n");
                    if (headEnd < 0)
                        return;
                    const bool post = m_request.startsWith("POST ");
                    m_request.clear();
                    socket->write(post && !m_postResponse.isEmpty() ? m_postResponse : m_response);
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

// A terminal: its own SQLite database (fast commits: tests) and order services.
class Terminal
{
public:
    Terminal()
    {
        QString error;
        DatabaseOptions options{m_dir.filePath(u"terminal.sqlite"_s)};
        options.durableCommits = false;
        m_db = Database::open(options, &error);
        if (!m_db)
            qFatal("terminal: %s", qPrintable(error));
        orders = std::make_unique<OrderService>(*m_db);
        tabs = std::make_unique<TabService>(*m_db);
    }
    Database &db() { return *m_db; }
    QString path() const { return m_dir.filePath(u"terminal.sqlite"_s); }
    QString cashierId(const QString &name)
    {
        return queryValue(*m_db, u"SELECT id FROM cashiers WHERE name = ?"_s, {name}).toString();
    }
    qint64 count(const QString &sql) { return queryValue(*m_db, sql).toLongLong(); }

    // Sales by one cashier: `orders` orders of (1 + items + 1) ops each: open, add, complete.
    int sell(const QString &cashier, int orderCount, int items)
    {
        static const QStringList skus{u"COF-ESP"_s, u"COF-DBL"_s, u"COF-AME"_s, u"COF-CAP"_s,
                                      u"COF-LAT"_s, u"COF-FLW"_s, u"TEA-BLK"_s};
        int ops = 0;
        const QString id = cashierId(cashier);
        for (int o = 0; o < orderCount; ++o) {
            const Result<Order> opened = orders->openOrResume(id, newId());
            if (!opened)
                qFatal("open: %s", qPrintable(opened.message()));
            ++ops;
            for (int i = 0; i < items; ++i, ++ops) {
                if (!orders->addProduct(OrderTarget::byId(opened->id), skus.at(i % skus.size()), 1,
                                        newId()))
                    qFatal("add failed");
            }
            if (!orders->complete(OrderTarget::byId(opened->id),
                                  PaymentRequest{PaymentMethod::Cash, 100000}, std::nullopt,
                                  newId()))
                qFatal("complete failed");
            ++ops;
        }
        return ops;
    }

    std::unique_ptr<OrderService> orders;
    std::unique_ptr<TabService> tabs;

private:
    QTemporaryDir m_dir;
    std::unique_ptr<Database> m_db;
};

// Orders, lines, payments and tabs as text, for the orders this terminal has.
QStringList snapshot(Database &db, const QStringList &orderIds, const QStringList &tabIds)
{
    QStringList rows;
    for (const QString &id : orderIds) {
        QSqlQuery query(db.connection());
        query.prepare(u"SELECT status, version, COALESCE(tab_id, ''), COALESCE(receipt_no, ''), "
                      "discount_kind, discount_value, discount_reason, paid_cents "
                      "FROM order_sessions WHERE id = ?"_s);
        query.addBindValue(id);
        QString row = id + u':';
        if (query.exec() && query.next()) {
            for (int c = 0; c < 8; ++c)
                row += query.value(c).toString() + u'|';
        } else {
            row += u"MISSING"_s;
        }
        QSqlQuery lines(db.connection());
        lines.prepare(u"SELECT line_no, COALESCE(sku, ''), name, unit_price_cents, quantity, "
                      "discount_kind, discount_value, discount_reason, "
                      "COALESCE(list_price_cents, -1), price_reason "
                      "FROM order_lines WHERE order_id = ? ORDER BY line_no"_s);
        lines.addBindValue(id);
        lines.exec();
        while (lines.next()) {
            for (int c = 0; c < 10; ++c)
                row += lines.value(c).toString() + u',';
            row += u';';
        }
        QSqlQuery payment(db.connection());
        payment.prepare(u"SELECT id, method, amount_cents, tendered_cents, receipt_no, label, "
                        "rounding_cents, change_cents, kind FROM payments "
                        "WHERE order_id = ? ORDER BY id"_s);
        payment.addBindValue(id);
        payment.exec();
        while (payment.next()) {
            row += u" paid"_s;
            for (int c = 0; c < 9; ++c)
                row += u'/' + payment.value(c).toString();
        }
        rows << row;
    }
    for (const QString &id : tabIds) {
        QSqlQuery tab(db.connection());
        tab.prepare(u"SELECT t.name, t.status, COALESCE(t.receipt_no, ''), t.paid_cents, "
                    "COALESCE(p.id, ''), COALESCE(p.amount_cents, -1), p.method, p.label, "
                    "p.tendered_cents, p.change_cents, p.receipt_no FROM tabs t "
                    "LEFT JOIN payments p ON p.tab_id = t.id WHERE t.id = ? ORDER BY p.id"_s);
        tab.addBindValue(id);
        QString row = u"tab "_s + id + u':';
        if (tab.exec()) {
            while (tab.next()) {
                for (int c = 0; c < 11; ++c)
                    row += tab.value(c).toString() + u'|';
                row += u';';
            }
        }
        rows << row;
    }
    return rows;
}

QStringList column(Database &db, const QString &sql)
{
    QStringList values;
    QSqlQuery query(db.connection());
    if (!query.exec(sql))
        qFatal("%s", qPrintable(query.lastError().text()));
    while (query.next())
        values << query.value(0).toString();
    return values;
}

} // namespace

class SyncClientTest : public QObject
{
    Q_OBJECT

private:
    QByteArray addDevice(const QString &name)
    {
        auto [status, token] = runProgram(QStringLiteral(SAFETILL_SERVER_PATH),
                                          {u"--db"_s, m_db->path(), u"device"_s, u"add"_s, name});
        return status == 0 ? token.trimmed() : QByteArray();
    }
    QUrl url(quint16 port) const { return QUrl(u"http://127.0.0.1:%1"_s.arg(port)); }
    SyncRunReport syncOnce(Terminal &terminal, quint16 port, const QByteArray &token,
                           SyncPolicy policy = fastPolicy())
    {
        SyncTransport transport(url(port), token, {});
        transport.setTimeoutMs(5000);
        SyncEngine engine(terminal.db(), transport, url(port).toString(), policy);
        return engine.run();
    }
    static SyncPolicy fastPolicy()
    {
        SyncPolicy policy;
        policy.maxAttemptsPerRequest = 3;
        policy.firstBackoffMs = 20;
        policy.maxBackoffMs = 200;
        policy.maxRetryAfterMs = 200;
        return policy;
    }
    // The server has exactly the terminal's orders, lines, payments and tabs.
    void compareWithServer(Terminal &terminal)
    {
        const QStringList orderIds =
            column(terminal.db(), u"SELECT id FROM order_sessions ORDER BY id"_s);
        const QStringList tabIds = column(terminal.db(), u"SELECT id FROM tabs ORDER BY id"_s);
        QVERIFY(!orderIds.isEmpty());
        QCOMPARE(snapshot(m_db->db(), orderIds, tabIds), snapshot(terminal.db(), orderIds, tabIds));
    }
    // Every op applied once: the server's history of each order has exactly the terminal's
    // entries (one per applied action, a tab settlement included), with the same versions.
    void appliedOnce(Terminal &terminal)
    {
        const QStringList orderIds = column(terminal.db(), u"SELECT id FROM order_sessions"_s);
        for (const QString &id : orderIds) {
            const QString versions =
                u"SELECT to_version FROM order_history WHERE order_id = '%1' ORDER BY id"_s.arg(id);
            QCOMPARE(column(m_db->db(), versions), column(terminal.db(), versions));
        }
    }

    // A number the server's database holds (a count or a sum).
    qint64 serverCount(const QString &sql, const QVariantList &values)
    {
        return queryValue(m_db->db(), sql, values).toLongLong();
    }

    std::unique_ptr<TestDatabase> m_db;
    std::unique_ptr<ServerProcess> m_server;
    QByteArray m_token;

private Q_SLOTS:
    void initTestCase() { SAFETILL_REQUIRE_TEST_BACKEND(); }
    void init()
    {
        m_db = std::make_unique<TestDatabase>();
        m_token = addDevice(u"Till 1"_s);
        QCOMPARE(m_token.size(), 43);
        m_server = std::make_unique<ServerProcess>();
        QVERIFY(m_server->start(m_db->path()));
    }
    void cleanup()
    {
        if (QTest::currentTestFailed() && m_server)
            qWarning().noquote() << "server log:" << m_server->log();
        m_server.reset();
        if (m_db)
            VERIFY_DATABASE_CLEAN(m_db->db()); // the server's database after every sync test
        m_db.reset();
    }

    // The push body embeds each stored payload as it is instead of parsing and writing it again
    // (a quarter of a push's client time): the bytes must be exactly what QJsonDocument wrote.
    void pushBodyIsWhatQJsonDocumentWrites()
    {
        auto reference = [](const QList<OutboxOp> &ops) {
            QByteArray body = "{\"protocol\":5,\"ops\":[";
            for (qsizetype i = 0; i < ops.size(); ++i) {
                const OutboxOp &op = ops.at(i);
                auto text = [](const QString &value) {
                    return value.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(value);
                };
                const QJsonObject wire{
                    {u"request_id"_s, op.requestId},
                    {u"seq"_s, op.seq},
                    {u"op"_s, op.op},
                    {u"order_id"_s, text(op.orderId)},
                    {u"tab_id"_s, text(op.tabId)},
                    {u"created_at"_s, op.createdAt},
                    {u"payload"_s, QJsonDocument::fromJson(op.payload).object()}};
                body += (i ? "," : "") + QJsonDocument(wire).toJson(QJsonDocument::Compact);
            }
            return body + "]}";
        };
        const QJsonObject payload{
            {u"format"_s, 1},
            {u"order"_s,
             QJsonObject{{u"status"_s, u"completed"_s},
                         {u"lines"_s, QJsonArray{QJsonObject{{u"name"_s, u"Caf\u00e9 \"Z\"\n\\"_s},
                                                             {u"qty"_s, 2},
                                                             {u"unit_price_cents"_s, 250}}}},
                         {u"payment"_s, QJsonValue(QJsonValue::Null)}}},
            {u"changes"_s, QJsonArray{}},
            {u"base_version"_s, 7}};
        const QByteArray stored = QJsonDocument(payload).toJson(QJsonDocument::Compact);
        const QList<OutboxOp> ops{
            {1, u"req-1"_s, u"add_item"_s, u"order-1"_s, {}, u"2026-12-04T10:00:00.000Z"_s, stored},
            {2,
             u"r\u00e9q \"2\"\t"_s,
             u"settle_tab"_s,
             {},
             u"tab-\\1"_s,
             u"2026-12-04T10:00:01.000Z"_s,
             stored},
            {3,
             u"req-3"_s,
             u"open"_s,
             u"order-3"_s,
             {},
             u"2026-12-04T10:00:02.000Z"_s,
             "{\"format\":1}"},
            {4,
             u"req-4"_s,
             u"open"_s,
             u"order-4"_s,
             {},
             u"2026-12-04T10:00:03.000Z"_s,
             "not json"}, // unreadable: sent as {} (as before)
        };
        int taken = 0;
        const QByteArray body = SyncEngine::pushBody(ops, 1 << 20, &taken);
        QCOMPARE(taken, 4);
        QCOMPARE(body, reference(ops));
        QVERIFY(body.contains("\"payload\":{}"));
        QVERIFY(!QJsonDocument::fromJson(body).isNull());
    }

    // Issue 14 through a real server: a sale with a line discount, a price override and an
    // order discount, paid half in cash and half by card; a tab paid in two tenders (a voucher,
    // then cash). The server holds each payment fact once (one receipt per sale, on the last),
    // the same discounts and prices, and both databases verify clean; a second run sends
    // nothing.
    void splitTenderDiscountsAndTabsSync()
    {
        Terminal terminal;
        QCOMPARE(int(syncOnce(terminal, m_server->port(), m_token).status),
                 int(SyncRunReport::Status::Done));
        const QString alice = terminal.cashierId(u"Alice"_s);
        const OrderTarget sale = OrderTarget::byCashier(alice);
        OrderService &orders = *terminal.orders;
        const Result<Order> opened = orders.addProduct(sale, u"COF-ESP"_s, 2, newId());
        VERIFY_OK(opened);
        VERIFY_OK(orders.addProduct(sale, u"BAK-CRO"_s, 1, newId()));
        VERIFY_OK(orders.discountLine(sale, u"1"_s,
                                      Discount{DiscountKind::Percent, 1000, u"regular"_s, alice},
                                      std::nullopt, newId()));
        VERIFY_OK(orders.overridePrice(sale, u"2"_s, 150, u"day old"_s, alice, std::nullopt,
                                       newId(), Approver{u"Maria"_s, u"9999"_s}));
        VERIFY_OK(orders.discountOrder(sale, Discount{DiscountKind::Amount, 50, u"coupon"_s, alice},
                                       std::nullopt, newId()));
        const Result<Order> half =
            orders.pay(sale, PaymentRequest{PaymentMethod::Cash, 300, 248}, std::nullopt, newId());
        VERIFY_OK(half);
        const Result<Order> paid = orders.pay(
            OrderTarget::byId(opened->id),
            PaymentRequest{PaymentMethod::Card, half->balanceCents()}, std::nullopt, newId());
        VERIFY_OK(paid);
        QCOMPARE(toString(paid->status), u"completed"_s);
        QCOMPARE(paid->totalCents(), Cents(496));

        const QString maria = terminal.cashierId(u"Maria"_s);
        VERIFY_OK(orders.addProduct(OrderTarget::byCashier(maria), u"COF-ESP"_s, 2, newId()));
        const Result<Order> onTab =
            orders.assignToTab(OrderTarget::byCashier(maria), u"Table 7"_s, std::nullopt, newId());
        VERIFY_OK(onTab);
        VERIFY_OK(terminal.tabs->pay(onTab->tabId,
                                     PaymentRequest{PaymentMethod::Other, 140, 140, u"Voucher"_s},
                                     std::nullopt, newId()));
        const Result<Tab> settled = terminal.tabs->settle(
            onTab->tabId, PaymentRequest{PaymentMethod::Cash, 500}, std::nullopt, newId());
        VERIFY_OK(settled);
        const qint64 pending =
            terminal.count(u"SELECT COUNT(*) FROM outbox WHERE state = 'pending'"_s);

        const SyncRunReport report = syncOnce(terminal, m_server->port(), m_token);
        QVERIFY2(report.status == SyncRunReport::Status::Done, qPrintable(report.error));
        QCOMPARE(report.sent, int(pending));
        QCOMPARE(report.conflicts, 0);
        QCOMPARE(report.rejected, 0);
        compareWithServer(terminal);
        appliedOnce(terminal);
        QCOMPARE(serverCount(u"SELECT COUNT(*) FROM payments WHERE order_id = ?"_s, {opened->id}),
                 2);
        QCOMPARE(serverCount(u"SELECT COUNT(*) FROM payments WHERE order_id = ? AND receipt_no "
                             "IS NOT NULL"_s,
                             {opened->id}),
                 1);
        QCOMPARE(serverCount(u"SELECT SUM(amount_cents) FROM payments WHERE order_id = ?"_s,
                             {opened->id}),
                 496);
        QCOMPARE(serverCount(u"SELECT COUNT(*) FROM payments WHERE tab_id = ?"_s, {onTab->tabId}),
                 2);
        QCOMPARE(serverCount(u"SELECT COUNT(*) FROM order_lines WHERE order_id = ? AND "
                             "discount_kind = 'percent' AND discount_value = 1000"_s,
                             {opened->id}),
                 1);
        QCOMPARE(serverCount(u"SELECT list_price_cents FROM order_lines WHERE order_id = ? AND "
                             "line_no = 2"_s,
                             {opened->id}),
                 190);
        VERIFY_DATABASE_CLEAN(terminal.db());

        const SyncRunReport again = syncOnce(terminal, m_server->port(), m_token);
        QCOMPARE(int(again.status), int(SyncRunReport::Status::Done));
        QCOMPARE(again.sent, 0);
        compareWithServer(terminal);
    }

    // Issue 16: a product sold at an open price reaches the till with its flag (the pull), and
    // lines added there at the prices entered keep them on the server (the push carries each
    // line's unit price; the server does not price it again).
    void openPriceProductsSync()
    {
        CatalogService serverCatalog(m_db->db());
        CatalogProduct cake;
        cake.product = Product{u"OPN-CAKE"_s, u"Cake slice"_s, 300, u"Bakery"_s, {}};
        cake.openPrice = true;
        QVERIFY(serverCatalog.add(cake, ChangeBy{}));
        Terminal terminal;
        QCOMPARE(int(syncOnce(terminal, m_server->port(), m_token).status),
                 int(SyncRunReport::Status::Done));
        QCOMPARE(terminal.count(u"SELECT open_price FROM products WHERE sku = 'OPN-CAKE'"_s), 1);
        QCOMPARE(terminal.count(u"SELECT open_price FROM products WHERE sku = 'COF-ESP'"_s), 0);
        const QString alice = terminal.cashierId(u"Alice"_s);
        const OrderTarget sale = OrderTarget::byCashier(alice);
        OrderService &orders = *terminal.orders;
        VERIFY_OUTCOME(orders.addProduct(sale, u"OPN-CAKE"_s, 1, newId()), Outcome::InvalidInput);
        const Result<Order> added = orders.addProduct(sale, u"OPN-CAKE"_s, 1, newId(), 450);
        VERIFY_OK(added);
        VERIFY_OK(orders.addProduct(sale, u"OPN-CAKE"_s, 2, newId(), 275));
        const Result<Order> paid =
            orders.complete(sale, PaymentRequest{PaymentMethod::Cash, 2000}, std::nullopt, newId());
        VERIFY_OK(paid);
        QCOMPARE(paid->totalCents(), Cents(450 + 550));

        const SyncRunReport report = syncOnce(terminal, m_server->port(), m_token);
        QVERIFY2(report.status == SyncRunReport::Status::Done, qPrintable(report.error));
        QCOMPARE(report.rejected, 0);
        QCOMPARE(report.conflicts, 0);
        compareWithServer(terminal);
        appliedOnce(terminal);
        QCOMPARE(serverCount(u"SELECT COUNT(*) FROM order_lines WHERE order_id = ? AND sku = "
                             "'OPN-CAKE' AND unit_price_cents = 450 AND quantity = 1 AND "
                             "list_price_cents IS NULL"_s,
                             {added->id}),
                 1);
        QCOMPARE(serverCount(u"SELECT COUNT(*) FROM order_lines WHERE order_id = ? AND sku = "
                             "'OPN-CAKE' AND unit_price_cents = 275 AND quantity = 2"_s,
                             {added->id}),
                 1);
        QCOMPARE(serverCount(u"SELECT SUM(amount_cents) FROM payments WHERE order_id = ?"_s,
                             {added->id}),
                 1000);
    }

    // A till of protocol 3 in front of a server of protocol 2 (a fake one, whose pull says
    // "unchanged"): the push is refused as a whole; every op stays pending (none is marked
    // failed) and the report says why. Once the real server answers, they all go.
    void anOlderServerKeepsTheOpsPending()
    {
        Terminal terminal;
        QCOMPARE(int(syncOnce(terminal, m_server->port(), m_token).status),
                 int(SyncRunReport::Status::Done));
        terminal.sell(u"Alice"_s, 2, 1);
        const qint64 pending =
            terminal.count(u"SELECT COUNT(*) FROM outbox WHERE state = 'pending'"_s);
        QCOMPARE(pending, qint64(6));
        FakeServer old("HTTP/1.1 304 Not Modified\r\nConnection: close\r\n\r\n",
                       httpResponse(400,
                                    R"({"error":"This server speaks sync protocol 2, not 3.",)"
                                    R"("code":"unsupported_protocol","supported_protocols":[2]})"));
        SyncTransport transport(url(old.port()), m_token, {});
        transport.setTimeoutMs(5000);
        SyncEngine engine(terminal.db(), transport, url(m_server->port()).toString(), fastPolicy());
        const SyncRunReport refused = engine.run();
        QCOMPARE(int(refused.status), int(SyncRunReport::Status::Refused));
        QVERIFY2(refused.error.contains(u"protocol 2"_s), qPrintable(refused.error));
        QCOMPARE(terminal.count(u"SELECT COUNT(*) FROM outbox WHERE state = 'pending'"_s), pending);
        QCOMPARE(refused.rejected, 0);

        const SyncRunReport updated = syncOnce(terminal, m_server->port(), m_token);
        QVERIFY2(updated.status == SyncRunReport::Status::Done, qPrintable(updated.error));
        QCOMPARE(updated.sent, int(pending));
        compareWithServer(terminal);
    }

    void offlineThenOnline()
    {
        Terminal terminal;
        // First contact: the pull brings cashiers (with PIN hashes), catalog and the prefix.
        SyncRunReport first = syncOnce(terminal, m_server->port(), m_token);
        QVERIFY2(first.status == SyncRunReport::Status::Done, qPrintable(first.error));
        QVERIFY(first.pulled);
        QVERIFY(!terminal.cashierId(u"Alice"_s).isEmpty());
        QCOMPARE(queryValue(terminal.db(), u"SELECT receipt_prefix FROM terminal"_s).toString(),
                 u"T001"_s);
        QVERIFY(SyncStore::isSyncedTerminal(terminal.db()));

        m_server->stop();
        const int ops = terminal.sell(u"Alice"_s, 3, 2) + terminal.sell(u"Bob"_s, 2, 3);
        // A tab too: assigned, then settled.
        const QString maria = terminal.cashierId(u"Maria"_s);
        const Result<Order> tabOrder =
            terminal.orders->addProduct(OrderTarget::byCashier(maria), u"COF-ESP"_s, 2, newId());
        QVERIFY(tabOrder);
        QVERIFY(terminal.orders->assignToTab(OrderTarget::byId(tabOrder->id), u"Table 5"_s,
                                             std::nullopt, newId()));
        const QString tabId = column(terminal.db(), u"SELECT id FROM tabs"_s).value(0);
        QVERIFY(terminal.tabs->settle(tabId, PaymentRequest{PaymentMethod::Card, 440}, std::nullopt,
                                      newId()));
        const qint64 pending = terminal.count(u"SELECT COUNT(*) FROM outbox"_s);
        QCOMPARE(pending, qint64(ops + 4));

        const SyncRunReport offline = syncOnce(terminal, m_server->port(), m_token);
        QCOMPARE(int(offline.status), int(SyncRunReport::Status::Offline));
        QCOMPARE(offline.pendingAfter, pending);
        QVERIFY(!offline.error.isEmpty());

        QVERIFY(m_server->start(m_db->path()));
        const SyncRunReport online = syncOnce(terminal, m_server->port(), m_token);
        QCOMPARE(int(online.status), int(SyncRunReport::Status::Done));
        QVERIFY(online.outboxEmpty());
        QCOMPARE(online.sent, int(pending));
        compareWithServer(terminal);
        appliedOnce(terminal); // also: in order, as the versions follow one another
    }

    void flakyNetworkAndServerRestart()
    {
        Terminal terminal;
        QCOMPARE(int(syncOnce(terminal, m_server->port(), m_token).status),
                 int(SyncRunReport::Status::Done));
        terminal.sell(u"Alice"_s, 60, 4);
        terminal.sell(u"Bob"_s, 60, 4);
        const quint32 seed = 20261129;
        FlakyProxy proxy(seed, 25);
        proxy.setTarget(m_server->port());
        // Kill the server in the middle of the backlog and bring it back on another port.
        bool restarted = false;
        QTimer::singleShot(150, this, [&] {
            m_server->kill();
            QTimer::singleShot(300, this, [&] {
                restarted = m_server->start(m_db->path());
                proxy.setTarget(m_server->port());
            });
        });
        SyncPolicy policy = fastPolicy();
        policy.maxOpsPerBatch = 40; // many requests, so the faults meet every kind of moment
        policy.maxAttemptsPerRequest = 12;
        SyncRunReport report;
        for (int run = 0; run < 20; ++run) {
            report = syncOnce(terminal, proxy.port(), m_token, policy);
            if (report.status == SyncRunReport::Status::Done && report.outboxEmpty())
                break;
            QTest::qWait(100);
        }
        QTRY_VERIFY_WITH_TIMEOUT(restarted, 20000);
        QVERIFY2(report.outboxEmpty(), qPrintable(report.error));
        QVERIFY(proxy.faults > 0);
        compareWithServer(terminal);
        appliedOnce(terminal);
    }

    void twoTerminalsAtOnce()
    {
        const QByteArray secondToken = addDevice(u"Till 2"_s);
        Terminal one;
        Terminal two;
        QCOMPARE(int(syncOnce(one, m_server->port(), m_token).status),
                 int(SyncRunReport::Status::Done));
        QCOMPARE(int(syncOnce(two, m_server->port(), secondToken).status),
                 int(SyncRunReport::Status::Done));
        one.sell(u"Alice"_s, 40, 3);
        two.sell(u"Bob"_s, 40, 3);
        const quint16 port = m_server->port();
        const QString pathTwo = two.path();
        SyncRunReport reportTwo;
        // The second terminal syncs from a thread of its own, with its own connection.
        std::thread other([&] {
            DatabaseOptions options{pathTwo};
            options.durableCommits = false;
            QString error;
            std::unique_ptr<Database> db = Database::open(options, &error);
            SyncTransport transport(url(port), secondToken, {});
            SyncPolicy policy = fastPolicy();
            policy.maxOpsPerBatch = 25;
            reportTwo = SyncEngine(*db, transport, url(port).toString(), policy).run();
        });
        SyncPolicy policy = fastPolicy();
        policy.maxOpsPerBatch = 25;
        const SyncRunReport reportOne = syncOnce(one, port, m_token, policy);
        other.join();
        QVERIFY2(reportOne.outboxEmpty(), qPrintable(reportOne.error));
        QVERIFY2(reportTwo.outboxEmpty(), qPrintable(reportTwo.error));
        compareWithServer(one);
        compareWithServer(two);
        appliedOnce(one);
        appliedOnce(two);
    }

    // Issue 14: the till takes the server's tax rates, products' rates and shop settings with
    // the catalog, rings up lines with them, and its pushed lines keep their tax on the server.
    void taxesAndShopSettingsReachTheTill()
    {
        CatalogService serverCatalog(m_db->db());
        ShopSettings serverShop(m_db->db());
        QVERIFY(serverCatalog.addTaxRate({u"STD"_s, u"Standard"_s, 2000}));
        QVERIFY(serverCatalog.add(Product{u"TAX-1"_s, u"Taxed"_s, 1000, {}, u"STD"_s}));
        QVERIFY(serverShop.set(u"shop-name"_s, u"Corner Shop"_s));
        QVERIFY(serverShop.set(u"prices-include-tax"_s, u"no"_s));
        const auto restore = qScopeGuard([&] {
            serverShop.set(u"shop-name"_s, {});
            serverShop.set(u"prices-include-tax"_s, {});
        });

        Terminal terminal;
        const SyncRunReport first = syncOnce(terminal, m_server->port(), m_token);
        QVERIFY2(first.status == SyncRunReport::Status::Done, qPrintable(first.error));
        const Result<QList<TaxRate>> rates = CatalogService(terminal.db()).taxRates();
        QVERIFY(rates && rates->size() == 1 && rates->first().rateBp == 2000);
        QCOMPARE(CatalogService(terminal.db()).product(u"TAX-1"_s)->taxCode, u"STD"_s);
        const Result<ShopProfile> shop = ShopSettings(terminal.db()).profile();
        QVERIFY(shop);
        QCOMPARE(shop->name, u"Corner Shop"_s);
        QVERIFY(!shop->pricesIncludeTax);

        const Result<Order> order = terminal.orders->addProduct(
            OrderTarget::byCashier(terminal.cashierId(u"Alice"_s)), u"TAX-1"_s, 1, newId());
        QVERIFY(order);
        QCOMPARE(order->lines.first().taxCode, u"STD"_s);
        QCOMPARE(order->totalCents(), 1200); // 10.00 + 20 %
        QVERIFY(syncOnce(terminal, m_server->port(), m_token).outboxEmpty());
        QCOMPARE(Test::queryValue(m_db->db(),
                                  u"SELECT tax_code || ' ' || tax_rate_bp || ' ' || "
                                  "price_includes_tax FROM order_lines WHERE line_id = ?"_s,
                                  {order->lines.first().lineId})
                     .toString(),
                 u"STD 2000 0"_s);

        // A change on the server reaches the till at its next pull.
        QVERIFY(serverShop.set(u"footer"_s, u"Thank you!"_s));
        QVERIFY(syncOnce(terminal, m_server->port(), m_token).outboxEmpty());
        QCOMPARE(ShopSettings(terminal.db()).profile()->footer, u"Thank you!"_s);
        serverShop.set(u"footer"_s, {});
    }

    void serverEditsMergeIntoTheTill()
    {
        Terminal terminal;
        QCOMPARE(int(syncOnce(terminal, m_server->port(), m_token).status),
                 int(SyncRunReport::Status::Done));
        const QString bob = terminal.cashierId(u"Bob"_s);
        const Result<Order> order =
            terminal.orders->addProduct(OrderTarget::byCashier(bob), u"COF-ESP"_s, 1, newId());
        QVERIFY(order);
        QVERIFY(syncOnce(terminal, m_server->port(), m_token).outboxEmpty());

        // Bob's order is changed on the server (its own code, as a manager's edit would).
        OrderService serverOrders(m_db->db(), Clock::system(), SyncSide::Server);
        QVERIFY(serverOrders.addProduct(OrderTarget::byId(order->id), u"BAK-CRO"_s, 2, newId()));

        // Meanwhile the terminal adds to the same order; Alice sells something unrelated.
        QVERIFY(
            terminal.orders->addProduct(OrderTarget::byId(order->id), u"COF-LAT"_s, 3, newId()));
        terminal.sell(u"Alice"_s, 1, 1);
        const SyncRunReport report = syncOnce(terminal, m_server->port(), m_token);
        QCOMPARE(int(report.status), int(SyncRunReport::Status::Done));
        QCOMPARE(report.conflicts, 0);
        QCOMPARE(report.failedAfter, 0);
        QCOMPARE(report.pendingAfter, 0);
        // The cashier is told that the order now holds what the server added too.
        QCOMPARE(report.messages.size(), 1);
        QVERIFY2(report.messages.first().contains(order->id.left(8)),
                 qPrintable(report.messages.first()));
        // Both sides hold every item: the server's croissants and the till's lattes.
        auto items = [&](Database &db) {
            return column(db,
                          u"SELECT sku || ' x' || quantity FROM order_lines WHERE order_id = '%1' "
                          "ORDER BY sku"_s.arg(order->id));
        };
        QCOMPARE(items(terminal.db()),
                 (QStringList{u"BAK-CRO x2"_s, u"COF-ESP x1"_s, u"COF-LAT x3"_s}));
        QCOMPARE(items(m_db->db()), items(terminal.db()));

        // Paid now for what both sides show: booked once, with nothing to review.
        QVERIFY(terminal.orders->complete(OrderTarget::byId(order->id),
                                          PaymentRequest{PaymentMethod::Cash, 5000}, std::nullopt,
                                          newId()));
        const SyncRunReport after = syncOnce(terminal, m_server->port(), m_token);
        QCOMPARE(after.sent, 1);
        QCOMPARE(after.pendingAfter, 0);
        QCOMPARE(queryValue(m_db->db(), u"SELECT COUNT(*) FROM payments WHERE order_id = ?"_s,
                            {order->id})
                     .toInt(),
                 1);
        QCOMPARE(queryValue(m_db->db(), u"SELECT COUNT(*) FROM review_items"_s).toInt(), 0);
        QCOMPARE(queryValue(terminal.db(), u"SELECT COUNT(*) FROM review_items"_s).toInt(), 0);
    }

    void backlogOf10000Drains()
    {
        Terminal terminal;
        QCOMPARE(int(syncOnce(terminal, m_server->port(), m_token).status),
                 int(SyncRunReport::Status::Done));
        int ops = 0;
        const QStringList cashiers{u"Alice"_s, u"Bob"_s, u"Maria"_s};
        for (int round = 0; ops < 10000; ++round)
            ops += terminal.sell(cashiers.at(round % 3), 1, 8);
        QVERIFY(ops >= 10000);
        QElapsedTimer timer;
        timer.start();
        const SyncRunReport report = syncOnce(terminal, m_server->port(), m_token);
        qInfo("%d ops drained in %lld ms (%d requests)", ops, qint64(timer.elapsed()),
              report.requests);
        QVERIFY2(report.outboxEmpty(), qPrintable(report.error));
        QCOMPARE(report.sent, ops);
        QCOMPARE(queryValue(m_db->db(), u"SELECT COUNT(*) FROM payments"_s).toInt(), ops / 10);
    }

    // A till verifies PINs with the Argon2 cost written in each hash it pulls: a hostile or broken
    // server must not make it hang (or run out of memory) at the sign-in screen.
    void pulledPinHashesHaveABoundedCost()
    {
        Terminal terminal;
        QCOMPARE(int(syncOnce(terminal, m_server->port(), m_token).status),
                 int(SyncRunReport::Status::Done));
        HttpClient client(m_server->port());
        const Response pulled = client.request("GET", u"/api/sync/v1/pull"_s, {}, bearer(m_token));
        QCOMPARE(pulled.status, 200);
        const auto hashes = [&] {
            QStringList list;
            QSqlQuery &query =
                terminal.db().exec(u"SELECT name || ' ' || pin_hash FROM cashiers ORDER BY id"_s);
            while (query.next())
                list << query.value(0).toString();
            query.finish();
            return list;
        };
        const QStringList before = hashes();
        QVERIFY(!before.isEmpty());
        for (const QString &hostile :
             {u"$argon2id$v=19$m=4194304,t=2,p=1$c2FsdHNhbHRzYWx0c2FsdA$aGFzaGhhc2hoYXNoaGFzaA"_s,
              u"$argon2id$v=19$m=19456,t=100000,p=1$c2FsdHNhbHRzYWx0c2FsdA$aGFzaGhhc2g"_s,
              u"$argon2id$v=19$m=19456,t=2$c2FsdHNhbHRzYWx0c2FsdA$aGFzaGhhc2g"_s}) {
            QJsonObject body = pulled.json();
            QJsonArray cashiers = body.value(u"cashiers"_s).toArray();
            QJsonObject first = cashiers.at(0).toObject();
            first.insert(u"pin_hash"_s, hostile);
            cashiers.replace(0, first);
            body.insert(u"cashiers"_s, cashiers);
            body.insert(u"etag"_s, u"hostile"_s);
            FakeServer fake(httpResponse(200, QJsonDocument(body).toJson(QJsonDocument::Compact)));
            SyncTransport transport(url(fake.port()), m_token, {});
            transport.setTimeoutMs(2000);
            SyncPolicy policy = fastPolicy();
            policy.maxAttemptsPerRequest = 1;
            const SyncRunReport report =
                SyncEngine(terminal.db(), transport, url(m_server->port()).toString(), policy)
                    .run();
            QVERIFY2(report.status != SyncRunReport::Status::Done, qPrintable(hostile));
            QVERIFY2(report.error.contains(u"PIN hash"_s), qPrintable(report.error));
            QCOMPARE(hashes(), before); // nothing of that pull was taken
        }
        // The server's own (standard-cost) hashes pass the same check.
        QVERIFY(PinHasher::checkAffordable(PinHasher::hash(u"1234"_s, PinHasher::Cost::Standard))
                    .isEmpty());
    }

    void badAnswersKeepTheOps()
    {
        Terminal terminal;
        QCOMPARE(int(syncOnce(terminal, m_server->port(), m_token).status),
                 int(SyncRunReport::Status::Done));
        terminal.sell(u"Alice"_s, 1, 1);
        const QByteArray huge(20 * 1024 * 1024, 'x');
        const QList<QByteArray> answers{
            httpResponse(200, "this is not json"),
            httpResponse(200, R"({"protocol":1,"results":"no"})"),
            httpResponse(200, R"({"protocol":1,"results":[{"request_id":5,"result":[]}]})"),
            httpResponse(200, R"({"protocol":1,"results":[]})"),
            httpResponse(200, R"([1,2,3])"),
            httpResponse(200, "{\"protocol\":1,\"pad\":\"" + huge + "\"}"),
            QByteArray("HTTP/1.1 200 OK\r\nContent-Length: 99999999\r\n\r\n{\"protocol\":1"),
            QByteArray("garbage\r\n\r\n"),
        };
        for (const QByteArray &answer : answers) {
            FakeServer fake(answer);
            SyncTransport transport(url(fake.port()), m_token, {});
            transport.setTimeoutMs(2000);
            transport.setMaxResponseBytes(4 * 1024 * 1024);
            SyncPolicy policy = fastPolicy();
            policy.maxAttemptsPerRequest = 2;
            SyncEngine engine(terminal.db(), transport, url(m_server->port()).toString(), policy);
            const SyncRunReport report = engine.run();
            QVERIFY2(report.status == SyncRunReport::Status::Offline,
                     qPrintable(QString::fromLatin1(answer.left(60)) + u" -> "_s + report.error));
            QCOMPARE(report.pendingAfter, 3);
            QCOMPARE(report.failedAfter, 0);
        }
        // Unreadable pull snapshots change nothing either.
        const QString cashiersBefore =
            column(terminal.db(), u"SELECT id FROM cashiers"_s).join(u',');
        const Result<int> bad = SyncStore(terminal.db())
                                    .applyPull(QJsonObject{{u"protocol"_s, 2},
                                                           {u"cashiers"_s, QJsonArray{1}},
                                                           {u"products"_s, QJsonArray{}}},
                                               u"x"_s, "e");
        QCOMPARE(bad.outcome(), Outcome::InvalidInput);
        QCOMPARE(column(terminal.db(), u"SELECT id FROM cashiers"_s).join(u','), cashiersBefore);
        // The real server takes them all.
        QVERIFY(syncOnce(terminal, m_server->port(), m_token).outboxEmpty());
        compareWithServer(terminal);
    }

    // The server is the source of truth for cashiers: one removed there can no longer sign in
    // here, nor appear on the sign-in list, but the orders that name them stay.
    void removedCashiersLeaveTheSignInList()
    {
        Terminal terminal;
        QVERIFY(syncOnce(terminal, m_server->port(), m_token).outboxEmpty());
        const QString bob = terminal.cashierId(u"Bob"_s);
        const QString maria = terminal.cashierId(u"Maria"_s);
        QVERIFY(terminal.sell(u"Bob"_s, 1, 1) > 0);

        // The server's snapshot, minus Bob and Maria.
        const QJsonArray cashiers = rowsToJson(terminal.db().exec(
            u"SELECT id, name, role, pin_hash, created_at FROM cashiers WHERE name = ?"_s,
            {u"Alice"_s}));
        const QJsonArray products = rowsToJson(terminal.db().exec(
            u"SELECT sku, name, price_cents, category, updated_at FROM products"_s));
        const Result<int> pulled =
            SyncStore(terminal.db())
                .applyPull(QJsonObject{{u"protocol"_s, 2},
                                       {u"cashiers"_s, cashiers},
                                       {u"products"_s, products}},
                           url(m_server->port()).toString(), "after-removal");
        QVERIFY2(pulled, qPrintable(pulled.message()));

        CashierService service(terminal.db());
        const Result<QList<Cashier>> listed = service.list();
        QVERIFY(listed);
        QCOMPARE(listed->size(), 1);
        QCOMPARE(listed->first().name, u"Alice"_s);
        QVERIFY(!service.verifyPin(u"Bob"_s, u"1234"_s));
        QVERIFY(!service.verifyPin(bob, u"1234"_s));
        // Bob's order keeps its cashier; Maria, with no orders, is gone.
        QCOMPARE(queryValue(terminal.db(),
                            u"SELECT COUNT(*) FROM order_sessions o JOIN cashiers c ON "
                            "c.id = o.cashier_id WHERE c.id = ?"_s,
                            {bob})
                     .toInt(),
                 1);
        QCOMPARE(queryValue(terminal.db(), u"SELECT COUNT(*) FROM cashiers WHERE id = ?"_s, {maria})
                     .toInt(),
                 0);
    }

    // A refusal (here: a revoked token) cannot heal by itself: the background worker stops asking
    // until the token file is replaced, and then tries at once.
    void refusedTokenWaitsForNewSettings()
    {
        QTcpServer refusing;
        QVERIFY(refusing.listen(QHostAddress::LocalHost));
        int requests = 0;
        connect(&refusing, &QTcpServer::newConnection, this, [&] {
            while (QTcpSocket *socket = refusing.nextPendingConnection()) {
                connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
                connect(socket, &QTcpSocket::readyRead, socket, [socket, &requests] {
                    if (!socket->readAll().contains("\r\n\r\n"))
                        return;
                    ++requests;
                    socket->write("HTTP/1.1 401 Unauthorized\r\nContent-Type: application/json\r\n"
                                  "Content-Length: 2\r\nConnection: close\r\n\r\n{}");
                    socket->disconnectFromHost();
                });
            }
        });
        QTemporaryDir dir;
        auto writeToken = [&](const QByteArray &token) {
            QFile file(dir.filePath(u"token"_s));
            QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
            file.write(token + '\n');
            file.close();
            QVERIFY(file.setPermissions(QFile::ReadOwner | QFile::WriteOwner));
        };
        writeToken("revokedrevokedrevokedrevokedrevoked");
        Terminal terminal;
        SyncConfig config;
        config.serverUrl = url(refusing.serverPort());
        config.tokenFile = dir.filePath(u"token"_s);
        SyncService service(DatabaseOptions{terminal.path()});
        QString error;
        QVERIFY2(service.configure(config, &error), qPrintable(error));
        QTRY_VERIFY_WITH_TIMEOUT(service.state().lastError.contains(u"device token"_s), 10000);
        const int refused = requests;
        QCOMPARE(refused, 1);
        QTest::qWait(3000); // the backoff for a network failure would have tried again by now
        QCOMPARE(requests, refused);
        QVERIFY(service.state().connectivity == SyncState::Connectivity::Offline);

        writeToken("a-new-token-from-device-add-a-new-token");
        QTRY_VERIFY_WITH_TIMEOUT(requests > refused, 5000);
        // "Sync now" tries once more too.
        const int afterNewToken = requests;
        QTRY_VERIFY_WITH_TIMEOUT(service.state().connectivity != SyncState::Connectivity::Syncing,
                                 5000);
        service.syncNow();
        QTRY_VERIFY_WITH_TIMEOUT(requests > afterNewToken, 5000);
    }

    void httpsRefusesUntrustedCertificates()
    {
        // A self-signed certificate made now; the client accepts it only when told to trust it.
        QTemporaryDir dir;
        const QString certPath = dir.filePath(u"cert.pem"_s);
        const QString keyPath = dir.filePath(u"key.pem"_s);
        QProcess openssl;
        openssl.start(u"openssl"_s, {u"req"_s, u"-x509"_s, u"-newkey"_s, u"ec"_s, u"-pkeyopt"_s,
                                     u"ec_paramgen_curve:prime256v1"_s, u"-nodes"_s, u"-days"_s,
                                     u"1"_s, u"-subj"_s, u"/CN=safetill-test"_s, u"-keyout"_s,
                                     keyPath, u"-out"_s, certPath});
        if (!openssl.waitForFinished(30000) || openssl.exitCode() != 0)
            QSKIP("The openssl command is not available to make a test certificate.");
        ServerProcess tls;
        QVERIFY(tls.start(m_db->path(), {u"--tls-cert"_s, certPath, u"--tls-key"_s, keyPath}));
        const QUrl https(u"https://127.0.0.1:%1"_s.arg(tls.port()));
        Terminal terminal;

        SyncTransport untrusted(https, m_token, {});
        const SyncRunReport refused =
            SyncEngine(terminal.db(), untrusted, https.toString(), fastPolicy()).run();
        QCOMPARE(int(refused.status), int(SyncRunReport::Status::Refused));
        QVERIFY2(refused.error.contains(u"not trusted"_s), qPrintable(refused.error));
        QVERIFY(!SyncStore::isSyncedTerminal(terminal.db()));

        QString error;
        const auto trusted = SyncConfig::readTrustedCertificates(certPath, &error);
        QVERIFY2(trusted, qPrintable(error));
        SyncTransport trusting(https, m_token, *trusted);
        const SyncRunReport done =
            SyncEngine(terminal.db(), trusting, https.toString(), fastPolicy()).run();
        QVERIFY2(done.status == SyncRunReport::Status::Done, qPrintable(done.error));
        QVERIFY(done.pulled);
        terminal.sell(u"Alice"_s, 1, 2);
        QVERIFY(SyncEngine(terminal.db(), trusting, https.toString(), fastPolicy())
                    .run()
                    .outboxEmpty());
    }

    void cliSyncOnceAndStatus()
    {
        QTemporaryDir dir;
        const QString db = dir.filePath(u"cli.sqlite"_s);
        const QString cli = QStringLiteral(SAFETILL_CLI_PATH);
        QCOMPARE(runProgram(cli, {u"--db"_s, db, u"init"_s}).first, 0);
        const QString tokenFile = dir.filePath(u"token"_s);
        QFile file(tokenFile);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(m_token + '\n');
        file.close();
        const QString server = u"http://127.0.0.1:%1"_s.arg(m_server->port());

        // A token file others can read is refused, clearly, and nothing happens.
        QVERIFY(file.setPermissions(QFile::ReadOwner | QFile::WriteOwner | QFile::ReadGroup |
                                    QFile::ReadOther));
        QByteArray errors;
        auto [loose, ignored] = runProgram(cli,
                                           {u"--db"_s, db, u"sync"_s, u"--server"_s, server,
                                            u"--token-file"_s, tokenFile, u"--once"_s},
                                           &errors);
        QCOMPARE(loose, 2);
        QVERIFY2(errors.contains("chmod 600"), errors.constData());
        QVERIFY(file.setPermissions(QFile::ReadOwner | QFile::WriteOwner));

        const QStringList once{u"--db"_s,         db,        u"sync"_s,  u"--server"_s, server,
                               u"--token-file"_s, tokenFile, u"--once"_s};
        QCOMPARE(runProgram(cli, once).first, 0); // pulls
        QCOMPARE(runProgram(cli, {u"--db"_s, db, u"add"_s, u"Alice"_s, u"COF-ESP"_s}).first, 0);
        auto [status, out] =
            runProgram(cli, {u"--db"_s, db, u"sync"_s, u"--status"_s, u"--json"_s});
        QCOMPARE(status, 0);
        const QJsonObject json = QJsonDocument::fromJson(out).object();
        QCOMPARE(json.value(u"pending"_s).toInt(), 2);
        QCOMPARE(json.value(u"failed"_s).toInt(), 0);
        QCOMPARE(json.value(u"server_url"_s).toString(), server);

        // Unreachable: non-zero with the reason; the ops stay.
        auto [offline, offlineOut] =
            runProgram(cli,
                       {u"--db"_s, db, u"sync"_s, u"--server"_s, u"http://127.0.0.1:1"_s,
                        u"--token-file"_s, tokenFile, u"--once"_s},
                       &errors);
        QCOMPARE(offline, 1);
        QVERIFY2(errors.contains("unreachable"), errors.constData());

        auto [done, doneOut] = runProgram(cli, once + QStringList{u"--json"_s});
        QCOMPARE(done, 0);
        QCOMPARE(QJsonDocument::fromJson(doneOut).object().value(u"sent"_s).toInt(), 2);

        // The server owns cashiers and catalog now.
        auto [refused, refusedOut] = runProgram(
            cli, {u"--db"_s, db, u"cashier"_s, u"add"_s, u"Zed"_s, u"--pin"_s, u"4321"_s}, &errors);
        QCOMPARE(refused, 3);
        QVERIFY2(errors.contains("server"), errors.constData());
        QCOMPARE(
            runProgram(cli, {u"--db"_s, db, u"product"_s, u"add"_s, u"X-1"_s, u"X"_s, u"100"_s})
                .first,
            3);
    }
};

QTEST_GUILESS_MAIN(SyncClientTest)
#include "tst_sync.moc"
