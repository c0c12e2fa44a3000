// The server's limits, each against a real safetill-server process on 127.0.0.1 (issue 13):
// the client address behind a trusted reverse proxy (--trusted-proxy) and the login throttle on
// it, the connection limit per address, the bounded writer queue and bad tokens that never take
// writer time, and the device's receipt prefix chosen once under concurrent first pulls.
// Runs on SQLite, and on PostgreSQL as tst_server_limits_pg.

#include "BatcherAnswers.h"
#include "CashierService.h"
#include "ClientAddress.h"
#include "Database.h"
#include "HttpMessage.h"
#include "OrderApi.h"
#include "ServerTestClient.h"
#include "TestSupport.h"
#include "WriteBatcher.h"

#include <QJsonArray>
#include <QRegularExpression>
#include <QSet>
#include <QTest>

#include <memory>
#include <vector>

using namespace Qt::StringLiterals;
using namespace SafeTill;
using namespace SafeTill::Test;

namespace {

// Sends every request at once, each on its own connection, then collects the answers in order.
QList<Response> fireAll(quint16 port, int count, const std::function<void(HttpClient &, int)> &send)
{
    std::vector<std::unique_ptr<HttpClient>> clients;
    for (int i = 0; i < count; ++i)
        clients.push_back(std::make_unique<HttpClient>(port));
    for (int i = 0; i < count; ++i)
        send(*clients[size_t(i)], i);
    QList<Response> responses;
    for (auto &client : clients)
        responses.append(client->receive());
    return responses;
}

Response login(quint16 port, const QString &user, const QString &pin, const Headers &headers = {})
{
    HttpClient client(port);
    return client.request("POST", u"/api/auth/login"_s,
                          json({{u"username"_s, user}, {u"pin"_s, pin}}), headers);
}

// A number the server printed in its shutdown line "... N writes queued, M refused ...".
qint64 loggedCount(const QString &log, const QString &what)
{
    const QRegularExpressionMatch match =
        QRegularExpression(u"(\\d+) "_s + QRegularExpression::escape(what)).match(log);
    return match.hasMatch() ? match.captured(1).toLongLong() : -1;
}

HttpRequest requestWith(const QList<QPair<QByteArray, QByteArray>> &headers)
{
    HttpRequest request;
    for (const auto &[name, value] : headers)
        request.headers.insert(name, value);
    return request;
}

} // namespace

class ServerLimitsTest : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void clientAddressFromTrustedProxiesOnly();
    void spoofedForwardedForChangesNothing();
    void trustedProxyThrottlesEachForwardedClient();
    void connectionLimitPerAddress();
    void badTokensNeverTakeWriterTime();
    void fullWriterQueueAnswers503AtOnce();
    void firstPullsAgreeOnOneReceiptPrefix();
};

void ServerLimitsTest::initTestCase()
{
    SAFETILL_REQUIRE_TEST_BACKEND();
}

void ServerLimitsTest::clientAddressFromTrustedProxiesOnly()
{
    QString error;
    const std::optional<TrustedProxies> proxies =
        TrustedProxies::parse({u"10.0.0.5"_s, u"192.168.0.0/16"_s, u"::1"_s}, &error);
    QVERIFY2(proxies, qPrintable(error));
    QVERIFY(!TrustedProxies::parse({u"proxy.example"_s}, &error));
    QVERIFY(error.contains(u"proxy.example"_s));
    QVERIFY(!TrustedProxies::parse({u"10.0.0.0/99"_s}, &error));

    const QHostAddress proxy(u"10.0.0.5"_s);
    const QHostAddress stranger(u"203.0.113.9"_s);
    const auto client = [&](const QHostAddress &peer, const HttpRequest &request) {
        return clientAddress(peer, request, *proxies).toString();
    };
    // Not from a trusted proxy: the headers prove nothing.
    QCOMPARE(client(stranger, requestWith({{"x-forwarded-for", "1.2.3.4"}})), u"203.0.113.9"_s);
    QCOMPARE(client(stranger, requestWith({{"forwarded", "for=1.2.3.4"}})), u"203.0.113.9"_s);
    // No trusted proxy configured at all.
    QCOMPARE(clientAddress(proxy, requestWith({{"x-forwarded-for", "1.2.3.4"}}), TrustedProxies())
                 .toString(),
             u"10.0.0.5"_s);
    // From the proxy: the rightmost address that is not itself a trusted proxy; what the client
    // wrote further left is ignored.
    QCOMPARE(client(proxy, requestWith({{"x-forwarded-for", "6.6.6.6, 198.51.100.7"}})),
             u"198.51.100.7"_s);
    QCOMPARE(
        client(proxy, requestWith({{"x-forwarded-for", "6.6.6.6, 198.51.100.7, 192.168.1.1"}})),
        u"198.51.100.7"_s);
    QCOMPARE(client(proxy, requestWith({{"x-forwarded-for", "198.51.100.7:4711"}})),
             u"198.51.100.7"_s);
    QCOMPARE(client(proxy, requestWith({{"x-forwarded-for", "2001:db8::7"}})), u"2001:db8::7"_s);
    // Forwarded (RFC 7239) wins over X-Forwarded-For; quoted, with ports, IPv6 in brackets.
    QCOMPARE(client(proxy, requestWith({{"forwarded", "for=198.51.100.8;proto=https"},
                                        {"x-forwarded-for", "198.51.100.7"}})),
             u"198.51.100.8"_s);
    QCOMPARE(client(proxy, requestWith({{"forwarded", "for=6.6.6.6, for=\"[2001:db8::9]:80\""}})),
             u"2001:db8::9"_s);
    QCOMPARE(client(proxy, requestWith({{"forwarded", "For=\"198.51.100.8:1\", for=192.168.3.3"}})),
             u"198.51.100.8"_s);
    // A Forwarded without for= leaves X-Forwarded-For.
    QCOMPARE(client(proxy, requestWith({{"forwarded", "proto=https"},
                                        {"x-forwarded-for", "198.51.100.7"}})),
             u"198.51.100.7"_s);
    // A hidden client ("unknown", obfuscated, garbage) counts as the proxy itself.
    QCOMPARE(client(proxy, requestWith({{"forwarded", "for=unknown"}})), u"10.0.0.5"_s);
    QCOMPARE(client(proxy, requestWith({{"forwarded", "for=_hidden"}})), u"10.0.0.5"_s);
    QCOMPARE(client(proxy, requestWith({{"x-forwarded-for", "1.2.3.4, nonsense"}})), u"10.0.0.5"_s);
    // Every node a trusted proxy: the leftmost made the request. No header: the proxy.
    QCOMPARE(client(proxy, requestWith({{"x-forwarded-for", "192.168.7.7, 10.0.0.5"}})),
             u"192.168.7.7"_s);
    QCOMPARE(client(proxy, requestWith({})), u"10.0.0.5"_s);
    // A dual-stack listener's IPv4-mapped peer is the same proxy.
    QCOMPARE(client(QHostAddress(u"::ffff:10.0.0.5"_s),
                    requestWith({{"x-forwarded-for", "198.51.100.7"}})),
             u"198.51.100.7"_s);
}

void ServerLimitsTest::spoofedForwardedForChangesNothing()
{
    // Without --trusted-proxy, X-Forwarded-For and Forwarded from a client are ignored: failures
    // "from" many made-up addresses all count against the real one, which locks.
    TestDatabase db;
    QVERIFY(CashierService(db.db()).add(u"Dora"_s, u"4321"_s));
    ServerProcess server;
    QVERIFY(server.start(db.path()));
    const quint16 port = server.port();
    for (int i = 0; i < 20; ++i) {
        const Headers spoof = i % 2
                                  ? Headers{{"X-Forwarded-For", "10.1.0." + QByteArray::number(i)}}
                                  : Headers{{"Forwarded", "for=10.1.0." + QByteArray::number(i)}};
        QCOMPARE(login(port, u"ghost %1"_s.arg(i), u"1111"_s, spoof).status, 401);
    }
    // The address (127.0.0.1) is locked: Dora's own failure goes through once, and then she is
    // refused whatever address she claims.
    QCOMPARE(login(port, u"Dora"_s, u"0000"_s, {{"X-Forwarded-For", "10.9.9.9"}}).status, 401);
    const Response refused = login(port, u"Dora"_s, u"4321"_s, {{"X-Forwarded-For", "10.9.9.9"}});
    QCOMPARE(refused.status, 429);
    QVERIFY(!refused.header("retry-after").isEmpty());
    const QString log = server.log(1024 * 1024);
    QVERIFY2(log.contains(u"from=127.0.0.1"_s), qPrintable(log.right(2000)));
    QVERIFY2(!log.contains(u"from=10."_s), qPrintable(log.right(2000)));
}

void ServerLimitsTest::trustedProxyThrottlesEachForwardedClient()
{
    // Behind a trusted proxy (127.0.0.1 here), wrong PINs "from" one forwarded address lock out
    // that address only, not other cashiers behind the same proxy.
    TestDatabase db;
    QVERIFY(CashierService(db.db()).add(u"Erin"_s, u"4321"_s));
    QVERIFY(CashierService(db.db()).add(u"Finn"_s, u"4321"_s));
    ServerProcess server;
    QVERIFY(server.start(db.path(), {u"--trusted-proxy"_s, u"127.0.0.0/8"_s}));
    const quint16 port = server.port();
    for (int i = 0; i < 20; ++i) {
        // The client may write anything on the left; the proxy appends the real address.
        const Headers forwarded =
            i % 2 ? Headers{{"X-Forwarded-For", "6.6.6." + QByteArray::number(i) + ", 10.2.0.66"}}
                  : Headers{{"Forwarded", "for=\"10.2.0.66:5555\";proto=http"}};
        QCOMPARE(login(port, u"ghost %1"_s.arg(i), u"1111"_s, forwarded).status, 401);
    }
    const Headers attacker{{"X-Forwarded-For", "10.2.0.66"}};
    const Headers neighbour{{"X-Forwarded-For", "10.2.0.77"}};
    // Another till behind the same proxy: a wrong PIN, then the right one, signs in.
    QCOMPARE(login(port, u"Erin"_s, u"0000"_s, neighbour).status, 401);
    QCOMPARE(login(port, u"Erin"_s, u"4321"_s, neighbour).status, 200);
    // The proxy's own requests (no header) are not the locked address either.
    QCOMPARE(login(port, u"Erin"_s, u"4321"_s).status, 200);
    // From the locked address, a cashier with a failure of their own is refused.
    QCOMPARE(login(port, u"Finn"_s, u"0000"_s, attacker).status, 401);
    QCOMPARE(login(port, u"Finn"_s, u"4321"_s, attacker).status, 429);
    // The request log names the forwarded clients.
    const QString log = server.log(1024 * 1024);
    QVERIFY2(log.contains(u"from=10.2.0.66"_s), qPrintable(log.right(2000)));
    QVERIFY2(log.contains(u"from=10.2.0.77"_s), qPrintable(log.right(2000)));
    QVERIFY2(!log.contains(u"from=6.6.6."_s), qPrintable(log.right(2000)));
}

void ServerLimitsTest::connectionLimitPerAddress()
{
    TestDatabase db;
    ServerProcess server;
    QVERIFY(server.start(db.path(), {u"--max-connections-per-address"_s, u"3"_s}));
    const quint16 port = server.port();
    std::vector<std::unique_ptr<HttpClient>> open;
    for (int i = 0; i < 3; ++i) {
        open.push_back(std::make_unique<HttpClient>(port));
        QCOMPARE(open.back()->request("GET", u"/healthz"_s).status, 200);
    }
    // A fourth from the same address: answered 503 with Retry-After, then closed, before it
    // sent anything (nothing read, nothing for the database).
    HttpClient fourth(port);
    const Response refused = fourth.receive(10000);
    QCOMPARE(refused.status, 503);
    QCOMPARE(refused.header("retry-after"), QByteArray("1"));
    QCOMPARE(refused.json().value(u"code"_s).toString(), u"too_many_connections"_s);
    QVERIFY(fourth.waitClosed(5000));
    // The three still work.
    for (auto &client : open)
        QCOMPARE(client->request("GET", u"/healthz"_s).status, 200);
    // One closes: a new connection is served again (once the server has seen it go).
    open.front()->abort();
    int status = 0;
    for (int attempt = 0; attempt < 100 && status != 200; ++attempt) {
        HttpClient again(port);
        again.send("GET", u"/healthz"_s);
        status = again.receive(5000).status;
        if (status != 200)
            QTest::qWait(50);
    }
    QCOMPARE(status, 200);
    QVERIFY(server.log().contains(u"--max-connections-per-address"_s));
    QCOMPARE(server.stop(), 0);
}

void ServerLimitsTest::badTokensNeverTakeWriterTime()
{
    // A flood of writes with bad tokens (unknown, malformed, missing) among valid ones: every bad
    // one is answered 401 by a worker and never queued for the group-commit writers. The
    // batcher's count of queued writes, printed at shutdown, is exactly the valid ones.
    TestDatabase db;
    QVERIFY(CashierService(db.db()).add(u"Gina"_s, u"4321"_s));
    ServerProcess server;
    // 40 connections a round, the last round's perhaps not freed yet: no per-address limit.
    QVERIFY(server.start(db.path(), {u"--max-connections-per-address"_s, u"0"_s}));
    const quint16 port = server.port();
    const QByteArray token =
        login(port, u"Gina"_s, u"4321"_s).json().value(u"token"_s).toString().toLatin1();
    QVERIFY(!token.isEmpty());
    {
        HttpClient client(port);
        QCOMPARE(client.request("POST", u"/api/order-sessions"_s, {}, bearer(token)).status, 200);
    }
    // A device token is a valid token, but not a cashier's: 403 from the worker, not queued.
    {
        auto [status, device] = runAdmin({u"--db"_s, db.path(), u"device"_s, u"add"_s, u"Till"_s});
        QCOMPARE(status, 0);
        HttpClient client(port);
        QCOMPARE(client
                     .request("POST", u"/api/order-sessions/current/items"_s,
                              json({{u"sku"_s, u"COF-ESP"_s}}), bearer(device.trimmed()))
                     .status,
                 403);
    }
    int validWrites = 1;
    for (int round = 0; round < 4; ++round) {
        const QList<Response> responses = fireAll(port, 40, [&](HttpClient &client, int i) {
            const QByteArray item = json({{u"sku"_s, u"COF-ESP"_s}});
            switch (i % 5) {
            case 0: // valid
                client.send("POST", u"/api/order-sessions/current/items"_s, item, bearer(token));
                break;
            case 1: // well-formed, unknown
                client.send("POST", u"/api/order-sessions/current/items"_s, item,
                            bearer(QByteArray(43, 'a' + char(i % 26))));
                break;
            case 2: // malformed
                client.send("PUT", u"/api/order-sessions/current/complete"_s,
                            json({{u"method"_s, u"cash"_s}, {u"tenderedCents"_s, 100000}}),
                            bearer("not-a-token"));
                break;
            case 3: // none
                client.send("PUT", u"/api/tabs/t1/settle"_s, {}, {});
                break;
            default: // a revoked-looking one that was never issued, on another route
                client.send("PUT", u"/api/order-sessions/current/logout"_s, {},
                            bearer(AuthStore::newToken().toLatin1()));
                break;
            }
        });
        for (int i = 0; i < responses.size(); ++i) {
            const Response &response = responses.at(i);
            if (i % 5 == 0) {
                QCOMPARE(response.status, 200);
                ++validWrites;
            } else {
                QCOMPARE(response.status, 401);
                QVERIFY(!response.header("www-authenticate").isEmpty());
            }
        }
    }
    HttpClient client(port);
    const Response current =
        client.request("GET", u"/api/order-sessions/current"_s, {}, bearer(token));
    QCOMPARE(current.json().value(u"items"_s).toArray().at(0).toObject().value(u"qty"_s).toInt(),
             validWrites - 1);
    QCOMPARE(server.stop(), 0);
    const QString log = server.log(1024 * 1024);
    QCOMPARE(loggedCount(log, u"writes queued"_s), qint64(validWrites));
    QCOMPARE(loggedCount(log, u"refused with a full queue"_s), qint64(0));
}

void ServerLimitsTest::fullWriterQueueAnswers503AtOnce()
{
    // In process: a batcher whose writers have not started yet holds what it is given; beyond its
    // bound, a write is answered 503 with Retry-After at once. Started, it answers the rest.
    TestDatabase db;
    ApiConfig config;
    config.database.location = db.path();
    WriteBatcher batcher(config, db.db().dialect(), 1, 0, 4);
    HttpRequest request;
    request.method = "POST";
    request.path = u"/api/order-sessions"_s;
    request.headers.insert("authorization", "Bearer " + AuthStore::newToken().toLatin1());
    QList<QFuture<HttpResponse>> queued;
    for (int i = 0; i < 4; ++i)
        queued.append(submitted(batcher, Route::OpenOrder, request));
    for (const QFuture<HttpResponse> &future : std::as_const(queued))
        QVERIFY(!future.isFinished());
    QFuture<HttpResponse> refused = submitted(batcher, Route::OpenOrder, request);
    QVERIFY(refused.isFinished());
    QCOMPARE(refused.result().status, 503);
    const auto &headers = refused.result().headers;
    QVERIFY(std::any_of(headers.begin(), headers.end(), [](const auto &header) {
        return header.first == "Retry-After" && header.second == "1";
    }));
    QCOMPARE(batcher.statistics().submitted, 4);
    QCOMPARE(batcher.statistics().refusedFull, 1);
    QString error;
    QVERIFY2(batcher.start(&error), qPrintable(error));
    for (QFuture<HttpResponse> &future : queued) {
        future.waitForFinished();
        QCOMPARE(future.result().status, 401); // the writer still checks the token
    }
    // Room again.
    QFuture<HttpResponse> later = submitted(batcher, Route::OpenOrder, request);
    later.waitForFinished();
    QCOMPARE(later.result().status, 401);
    batcher.stop();
}

void ServerLimitsTest::firstPullsAgreeOnOneReceiptPrefix()
{
    // Concurrent first pulls of one device all get the same prefix; concurrent first pulls of
    // many devices get distinct ones.
    TestDatabase db;
    ServerProcess server;
    QVERIFY(server.start(db.path()));
    const quint16 port = server.port();
    constexpr int devices = 8;
    QList<QByteArray> tokens;
    for (int d = 0; d < devices; ++d) {
        auto [status, token] =
            runAdmin({u"--db"_s, db.path(), u"device"_s, u"add"_s, u"Till %1"_s.arg(d)});
        QCOMPARE(status, 0);
        tokens.append(token.trimmed());
    }
    const auto prefixOf = [](const Response &response) {
        return response.json().value(u"device"_s).toObject().value(u"receipt_prefix"_s).toString();
    };
    // One device, 12 connections at once.
    const QList<Response> same = fireAll(port, 12, [&](HttpClient &client, int) {
        client.send("GET", u"/api/sync/v1/pull"_s, {}, bearer(tokens.first()));
    });
    QSet<QString> firstPrefixes;
    for (const Response &response : same) {
        QCOMPARE(response.status, 200);
        firstPrefixes.insert(prefixOf(response));
    }
    QCOMPARE(firstPrefixes.size(), 1);
    QVERIFY(!firstPrefixes.begin()->isEmpty());
    // The other devices, three connections each, all at once.
    const QList<Response> many = fireAll(port, 3 * (devices - 1), [&](HttpClient &client, int i) {
        client.send("GET", u"/api/sync/v1/pull"_s, {}, bearer(tokens.at(1 + i % (devices - 1))));
    });
    QHash<int, QSet<QString>> byDevice;
    for (int i = 0; i < many.size(); ++i) {
        QCOMPARE(many.at(i).status, 200);
        byDevice[1 + i % (devices - 1)].insert(prefixOf(many.at(i)));
    }
    QSet<QString> all = firstPrefixes;
    for (auto it = byDevice.cbegin(); it != byDevice.cend(); ++it) {
        QCOMPARE(it.value().size(), 1);
        all.insert(*it.value().begin());
    }
    QCOMPARE(all.size(), devices);
    QCOMPARE(queryValue(db.db(), u"SELECT COUNT(DISTINCT receipt_prefix) FROM devices"_s).toInt(),
             devices);
    QCOMPARE(
        queryValue(db.db(), u"SELECT COUNT(*) FROM devices WHERE receipt_prefix IS NULL"_s).toInt(),
        0);
    QCOMPARE(server.stop(), 0);
}

QTEST_GUILESS_MAIN(ServerLimitsTest)
#include "tst_server_limits.moc"
