// The API described: docs/openapi.json is a valid OpenAPI 3.1 document in the shape the tests'
// validator needs, it names exactly the routes the server has, the validator can fail (wrong
// bodies, statuses and headers are refused), and a real server's answers to every operation
// conform to it.
#include "SafeTillServer.h"
#include "ServerTestClient.h"
#include "TestSupport.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QSet>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace SafeTill;
using namespace SafeTill::Test;

namespace {

QJsonValue parsed(const QByteArray &text)
{
    const QJsonDocument document = QJsonDocument::fromJson("[" + text + "]");
    return document.array().at(0);
}

// A valid order session as GET /api/order-sessions/current answers it.
QJsonObject sampleOrder()
{
    return parsed(R"({"id": "o1", "userId": "u1", "userName": "Alice", "status": "active",
        "version": 2, "items": [{"line": 1, "lineId": "l1", "sku": "COF-ESP", "name": "Espresso",
        "unitPriceCents": 220, "qty": 2, "totalCents": 440, "taxCode": "STD", "taxRateBp": 2000,
        "priceIncludesTax": true}], "total": 440, "tabId": null,
        "tabName": null, "receiptNo": null, "logoutTime": null,
        "createdAt": "2026-12-04T10:00:00.000Z", "updatedAt": "2026-12-04T10:00:01.000Z",
        "completedAt": null, "payment": null, "taxes": [{"code": "STD", "rateBp": 2000,
        "netCents": 367, "taxCents": 73, "grossCents": 440}], "currency": "EUR",
        "discounts": [], "payments": [], "paidCents": 0, "balanceCents": 440})")
        .toObject();
}

QHash<QByteArray, QByteArray> jsonHeaders(QHash<QByteArray, QByteArray> more = {})
{
    more.insert("content-type", "application/json");
    more.insert("x-request-id", "abc123");
    return more;
}

} // namespace

class OpenApiTest : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void documentIsValidOpenApi31();
    void documentNamesExactlyTheServersRoutes();
    void schemaKeywordsRefuse_data();
    void schemaKeywordsRefuse();
    void wrongBodiesAreRefused_data();
    void wrongBodiesAreRefused();
    void wrongAnswersAreRefused();
    void brokenDocumentIsRefused();
    void realServerAnswersConform();

private:
    const OpenApiDocument &doc() { return OpenApiDocument::shared(); }
};

void OpenApiTest::initTestCase()
{
    QVERIFY2(doc().loadError().isEmpty(), qPrintable(doc().loadError()));
}

void OpenApiTest::documentIsValidOpenApi31()
{
    const QStringList problems = doc().checkDocument();
    QVERIFY2(problems.isEmpty(), qPrintable(problems.join(u'\n')));
    QCOMPARE(doc().root().value(u"openapi"_s).toString(), u"3.1.0"_s);
    // The bearer scheme is the default; the unauthenticated operations say so.
    const QJsonObject bearer = doc()
                                   .root()
                                   .value(u"components"_s)
                                   .toObject()
                                   .value(u"securitySchemes"_s)
                                   .toObject()
                                   .value(u"bearer"_s)
                                   .toObject();
    QCOMPARE(bearer.value(u"scheme"_s).toString(), u"bearer"_s);
    const QJsonObject paths = doc().root().value(u"paths"_s).toObject();
    for (const QString &path : {u"/healthz"_s, u"/readyz"_s, u"/api/auth/login"_s}) {
        const QJsonObject get = paths.value(path).toObject();
        const QJsonObject operation =
            get.value(get.contains(u"get"_s) ? u"get"_s : u"post"_s).toObject();
        QVERIFY2(operation.value(u"security"_s).toArray().isEmpty() &&
                     operation.contains(u"security"_s),
                 qPrintable(path));
    }
}

void OpenApiTest::documentNamesExactlyTheServersRoutes()
{
    QSet<QString> server;
    for (const SafeTillServer::RouteEntry &entry : SafeTillServer::routes())
        server.insert(QString::fromLatin1(entry.method) + u' ' + entry.path.toString());
    QCOMPARE(server.size(), qsizetype(SafeTillServer::routes().size())); // no route twice
    QSet<QString> documented;
    QSet<QString> separateListener; // e.g. GET /metrics, when served on its own address
    const QJsonObject paths = doc().root().value(u"paths"_s).toObject();
    for (const auto &[method, path] : doc().operations()) {
        const QString name = QString::fromLatin1(method) + u' ' + path;
        documented.insert(name);
        if (paths.value(path)
                .toObject()
                .value(QString::fromLatin1(method).toLower())
                .toObject()
                .value(u"x-safetill-separate-listener"_s)
                .toBool())
            separateListener.insert(name);
    }
    const QSet<QString> undocumented = server - documented;
    QVERIFY2(undocumented.isEmpty(),
             qPrintable(u"routes missing from docs/openapi.json: "_s +
                        QStringList(undocumented.begin(), undocumented.end()).join(u", "_s)));
    const QSet<QString> unknown = documented - server - separateListener;
    QVERIFY2(unknown.isEmpty(),
             qPrintable(u"operations of docs/openapi.json the server does not route: "_s +
                        QStringList(unknown.begin(), unknown.end()).join(u", "_s)));
    QVERIFY(documented.contains(u"GET /metrics"_s));
    // The path templates route as the server routes them.
    QCOMPARE(doc().pathTemplate(u"/api/tabs/abc-1/settle"_s), u"/api/tabs/{id}/settle"_s);
    QCOMPARE(doc().pathTemplate(u"/api/tabs/"_s), u"/api/tabs"_s);
    QVERIFY(!doc().pathTemplate(u"/api/tabs//settle"_s));
    QVERIFY(!doc().pathTemplate(u"/api/nothing"_s));
}

void OpenApiTest::schemaKeywordsRefuse_data()
{
    QTest::addColumn<QByteArray>("schema");
    QTest::addColumn<QByteArray>("value");
    QTest::addColumn<bool>("valid");
    auto row = [](const char *name, const char *schema, const char *value, bool valid) {
        QTest::newRow(name) << QByteArray(schema) << QByteArray(value) << valid;
    };
    row("type string", R"({"type": "string"})", R"("a")", true);
    row("type string, number", R"({"type": "string"})", "1", false);
    row("integer", R"({"type": "integer"})", "3", true);
    row("integer, fraction", R"({"type": "integer"})", "3.5", false);
    row("type array with null", R"({"type": ["string", "null"]})", "null", true);
    row("type array, boolean", R"({"type": ["string", "null"]})", "true", false);
    row("enum", R"({"enum": ["cash", "card"]})", R"("cash")", true);
    row("enum, other", R"({"enum": ["cash", "card"]})", R"("cheque")", false);
    row("const", R"({"const": 2})", "2", true);
    row("const, other", R"({"const": 2})", "1", false);
    row("minimum", R"({"minimum": 1})", "0", false);
    row("maximum", R"({"maximum": 9999})", "10000", false);
    row("minLength", R"({"minLength": 1})", R"("")", false);
    row("maxLength counts characters", R"({"maxLength": 2})", R"("éé")", true);
    row("maxLength", R"({"maxLength": 2})", R"("abc")", false);
    row("pattern", R"({"pattern": "^T[0-9]{3}$"})", R"("T007")", true);
    row("pattern, other", R"({"pattern": "^T[0-9]{3}$"})", R"("X007")", false);
    row("required", R"({"type": "object", "required": ["a"]})", "{}", false);
    row("properties", R"({"properties": {"a": {"type": "integer"}}})", R"({"a": "x"})", false);
    row("additionalProperties false", R"({"properties": {"a": {}}, "additionalProperties": false})",
        R"({"a": 1, "b": 2})", false);
    row("additionalProperties schema", R"({"additionalProperties": {"type": "integer"}})",
        R"({"b": "x"})", false);
    row("items", R"({"items": {"type": "integer"}})", R"([1, "x"])", false);
    row("maxItems", R"({"maxItems": 1})", "[1, 2]", false);
    row("oneOf, one", R"({"oneOf": [{"type": "integer"}, {"type": "string"}]})", "1", true);
    row("oneOf, two", R"({"oneOf": [{"type": "integer"}, {"minimum": 0}]})", "1", false);
    row("oneOf, none", R"({"oneOf": [{"type": "integer"}, {"type": "string"}]})", "null", false);
    row("anyOf, two", R"({"anyOf": [{"type": "integer"}, {"minimum": 0}]})", "1", true);
    row("anyOf, none", R"({"anyOf": [{"type": "integer"}, {"type": "string"}]})", "[]", false);
    row("allOf", R"({"allOf": [{"type": "integer"}, {"minimum": 5}]})", "4", false);
    row("$ref", R"({"$ref": "#/components/schemas/Payment"})", "{}", false);
    row("$ref unresolved", R"({"$ref": "#/components/schemas/Nothing"})", "{}", false);
    row("false schema", "false", "1", false);
}

void OpenApiTest::schemaKeywordsRefuse()
{
    QFETCH(QByteArray, schema);
    QFETCH(QByteArray, value);
    QFETCH(bool, valid);
    const QStringList errors = doc().validate(parsed(value), parsed(schema), u"#/test"_s);
    QVERIFY2(errors.isEmpty() == valid, qPrintable(errors.join(u'\n')));
    if (!valid)
        QVERIFY2(errors.first().contains(u"(schema #"_s), qPrintable(errors.first()));
}

void OpenApiTest::wrongBodiesAreRefused_data()
{
    QTest::addColumn<QString>("schema");
    QTest::addColumn<QJsonValue>("body");
    QTest::addColumn<QString>("where"); // the instance path the error must name; empty: valid

    const QString order = u"#/components/schemas/OrderSession"_s;
    QTest::newRow("order") << order << QJsonValue(sampleOrder()) << QString();
    QJsonObject missing = sampleOrder();
    missing.remove(u"version"_s);
    QTest::newRow("order without version") << order << QJsonValue(missing) << u"at $:"_s;
    QJsonObject extra = sampleOrder();
    extra.insert(u"secret"_s, 1);
    QTest::newRow("order with an unknown member") << order << QJsonValue(extra) << u"at $:"_s;
    QJsonObject badLine = sampleOrder();
    QJsonArray items = badLine.value(u"items"_s).toArray();
    QJsonObject line = items.at(0).toObject();
    line.insert(u"qty"_s, 0);
    items.replace(0, line);
    badLine.insert(u"items"_s, items);
    QTest::newRow("line qty 0") << order << QJsonValue(badLine) << u"at $.items[0].qty:"_s;
    QJsonObject badStatus = sampleOrder();
    badStatus.insert(u"status"_s, u"paid"_s);
    QTest::newRow("order status") << order << QJsonValue(badStatus) << u"at $.status:"_s;
    QJsonObject badTime = sampleOrder();
    badTime.insert(u"createdAt"_s, u"04/12/2026"_s);
    QTest::newRow("order time") << order << QJsonValue(badTime) << u"at $.createdAt:"_s;
    QJsonObject money = sampleOrder();
    money.insert(u"total"_s, 4.4);
    QTest::newRow("money not cents") << order << QJsonValue(money) << u"at $.total:"_s;

    const QString error = u"#/components/schemas/Error"_s;
    QTest::newRow("error") << error
                           << QJsonValue(QJsonObject{{u"error"_s, u"No."_s}, {u"code"_s, u"x"_s}})
                           << QString();
    QTest::newRow("error without code")
        << error << QJsonValue(QJsonObject{{u"error"_s, u"No."_s}}) << u"at $:"_s;
    QTest::newRow("error as text") << error << QJsonValue(u"No."_s) << u"at $:"_s;

    const QString result = u"#/components/schemas/SyncOpResult"_s;
    QTest::newRow("push result applied")
        << result << parsed(R"({"request_id": "r1", "result": "applied", "version": 3})")
        << QString();
    QTest::newRow("push result unknown")
        << result << parsed(R"({"request_id": "r1", "result": "maybe", "version": 3})")
        << u"at $:"_s;
    QTest::newRow("push conflict without code")
        << result << parsed(R"({"request_id": "r1", "result": "conflict", "message": "m"})")
        << u"at $:"_s;

    const QString pull = u"#/components/schemas/SyncPull"_s;
    QTest::newRow("pull without device")
        << pull
        << parsed(R"({"protocol": 2, "etag": "\"a\"", "server_time": "2026-12-04T10:00:00.000Z",
            "limits": {"max_ops_per_batch": 500, "max_body_bytes": 1, "max_lines_per_order": 1},
            "cashiers": [], "products": []})")
        << u"at $:"_s;
    QTest::newRow("pull of protocol 1")
        << pull
        << parsed(R"({"protocol": 1, "etag": "\"a\"", "server_time": "2026-12-04T10:00:00.000Z",
            "device": {"id": "d", "name": "Till", "receipt_prefix": "T001"},
            "limits": {"max_ops_per_batch": 500, "max_body_bytes": 1, "max_lines_per_order": 1},
            "cashiers": [], "products": []})")
        << u"at $.protocol:"_s;
}

void OpenApiTest::wrongBodiesAreRefused()
{
    QFETCH(QString, schema);
    QFETCH(QJsonValue, body);
    QFETCH(QString, where);
    const QStringList errors = doc().validateAgainst(body, schema);
    if (where.isEmpty()) {
        QVERIFY2(errors.isEmpty(), qPrintable(errors.join(u'\n')));
        return;
    }
    QVERIFY(!errors.isEmpty());
    QVERIFY2(errors.join(u'\n').contains(where), qPrintable(errors.join(u'\n')));
    QVERIFY2(errors.join(u'\n').contains(u"schema #/components/schemas/"_s),
             qPrintable(errors.join(u'\n')));
}

void OpenApiTest::wrongAnswersAreRefused()
{
    const QByteArray orderBody = QJsonDocument(sampleOrder()).toJson(QJsonDocument::Compact);
    const QString current = u"/api/order-sessions/current"_s;
    auto check = [&](const QByteArray &method, const QString &path, int status,
                     const QHash<QByteArray, QByteArray> &headers, const QByteArray &body) {
        return doc().checkResponse(method, path, status, headers, body);
    };
    // The right answer passes...
    QStringList problems = check("GET", current, 200, jsonHeaders({{"etag", "\"2\""}}), orderBody);
    QVERIFY2(problems.isEmpty(), qPrintable(problems.join(u'\n')));
    // ... a status the operation does not have fails ...
    problems = check("GET", current, 201, jsonHeaders({{"etag", "\"2\""}}), orderBody);
    QVERIFY(!problems.isEmpty());
    QVERIFY2(problems.first().contains(u"201 is not documented"_s), qPrintable(problems.first()));
    // ... as do a missing ETag, another Content-Type, a body of another shape ...
    QVERIFY(!check("GET", current, 200, jsonHeaders(), orderBody).isEmpty());
    QVERIFY(
        !check("GET", current, 200, {{"etag", "\"2\""}, {"content-type", "text/html"}}, orderBody)
             .isEmpty());
    problems = check("GET", current, 200, jsonHeaders({{"etag", "\"2\""}}), R"({"id": "o1"})");
    QVERIFY(!problems.isEmpty());
    QVERIFY2(problems.first().startsWith(u"GET /api/order-sessions/current -> 200: body at $:"_s),
             qPrintable(problems.first()));
    // ... a 304 or 204 with a body ...
    QVERIFY(!check("GET", u"/api/sync/v1/pull"_s, 304,
                   {{"etag", "\"x\""}, {"x-request-id", "a"}, {"content-length", "2"}}, "{}")
                 .isEmpty());
    QVERIFY(
        check("GET", u"/api/sync/v1/pull"_s, 304, {{"etag", "\"x\""}, {"x-request-id", "a"}}, {})
            .isEmpty());
    QVERIFY(!check("POST", u"/api/auth/logout"_s, 204, jsonHeaders(), "{}").isEmpty());
    // ... an error whose shape is not {"error", "code"} ...
    QVERIFY(!check("GET", current, 404, jsonHeaders(), R"({"message": "no"})").isEmpty());
    QVERIFY(check("GET", current, 404, jsonHeaders(), R"({"error": "No.", "code": "not_found"})")
                .isEmpty());
    // ... a 200 for a path the document does not have, and a wrong Allow.
    QVERIFY(!check("GET", u"/api/nothing"_s, 200, jsonHeaders(), "{}").isEmpty());
    QVERIFY(check("GET", u"/api/nothing"_s, 404, jsonHeaders(),
                  R"({"error": "No.", "code": "not_found"})")
                .isEmpty());
    QVERIFY(!check("DELETE", current, 405, jsonHeaders({{"allow", "GET"}}),
                   R"({"error": "No.", "code": "method_not_allowed"})")
                 .isEmpty());
    QVERIFY(check("DELETE", current, 405, jsonHeaders({{"allow", "GET, PUT"}}),
                  R"({"error": "No.", "code": "method_not_allowed"})")
                .isEmpty());
    // Retry-After is required on a 503.
    QVERIFY(!check("GET", current, 503, jsonHeaders(), R"({"error": "Busy.", "code": "busy"})")
                 .isEmpty());
}

void OpenApiTest::brokenDocumentIsRefused()
{
    OpenApiDocument broken;
    QString error;
    QVERIFY(broken.loadJson(R"({"openapi": "3.0.3", "info": {"title": "t", "version": "1"},
        "paths": {"/a": {"get": {"operationId": "a", "responses": {}},
                         "post": {"operationId": "b", "responses": {"200": {
                           "description": "ok", "content": {"application/json": {"schema":
                             {"$ref": "#/components/schemas/Missing", "format": "x",
                              "uniqueItems": true}}}}}}}},
        "components": {"schemas": {}}})",
                            &error));
    const QString problems = broken.checkDocument().join(u'\n');
    QVERIFY2(problems.contains(u"not 3.1"_s), qPrintable(problems));
    QVERIFY2(problems.contains(u"Missing does not resolve"_s), qPrintable(problems));
    QVERIFY2(problems.contains(u"#/paths/~1a/get: no responses"_s), qPrintable(problems));
    QVERIFY2(problems.contains(u"\u201cuniqueItems\u201d is not supported"_s),
             qPrintable(problems));
    QVERIFY(!broken.loadJson("not json", &error));
}

void OpenApiTest::realServerAnswersConform()
{
    SAFETILL_REQUIRE_TEST_BACKEND();
    TestDatabase db;
    ServerProcess server;
    QVERIFY(server.start(db.path()));
    HttpClient client(server.port());
    QVERIFY(client.isConnected());
    // Every answer below is also checked by HttpClient itself; here the check is explicit, so
    // that this test fails by its own assertion.
    auto call = [&](const QByteArray &method, const QString &path, const QByteArray &body,
                    const Headers &headers) {
        const Response response = client.request(method, path, body, headers);
        const QStringList problems =
            doc().checkResponse(method, path, response.status, response.headers, response.body);
        if (!problems.isEmpty())
            qWarning().noquote() << problems.join(u'\n');
        return std::pair{response, problems.isEmpty()};
    };
    auto [health, healthOk] = call("GET", u"/healthz"_s, {}, {});
    QCOMPARE(health.status, 200);
    QVERIFY(healthOk);
    auto [ready, readyOk] = call("GET", u"/readyz"_s, {}, {});
    QCOMPARE(ready.status, 200);
    QVERIFY(readyOk);
    auto [denied, deniedOk] = call("POST", u"/api/auth/login"_s,
                                   json({{u"username"_s, u"Alice"_s}, {u"pin"_s, u"0000"_s}}), {});
    QCOMPARE(denied.status, 401);
    QVERIFY(deniedOk);
    auto [login, loginOk] = call("POST", u"/api/auth/login"_s,
                                 json({{u"username"_s, u"Alice"_s}, {u"pin"_s, u"1234"_s}}), {});
    QCOMPARE(login.status, 200);
    QVERIFY(loginOk);
    const QByteArray token = login.json().value(u"token"_s).toString().toLatin1();

    auto [noOrder, noOrderOk] = call("GET", u"/api/order-sessions/current"_s, {}, bearer(token));
    QCOMPARE(noOrder.status, 404);
    QVERIFY(noOrderOk);
    auto [opened, openedOk] = call("POST", u"/api/order-sessions"_s, {}, bearer(token));
    QCOMPARE(opened.status, 200);
    QVERIFY(openedOk);
    auto [added, addedOk] = call("POST", u"/api/order-sessions/current/items"_s,
                                 json({{u"sku"_s, u"COF-ESP"_s}, {u"qty"_s, 2}}),
                                 bearer(token, {{"Idempotency-Key", "k1"}}));
    QCOMPARE(added.status, 200);
    QVERIFY(addedOk);
    auto [replayed, replayedOk] = call("POST", u"/api/order-sessions/current/items"_s,
                                       json({{u"sku"_s, u"COF-ESP"_s}, {u"qty"_s, 2}}),
                                       bearer(token, {{"Idempotency-Key", "k1"}}));
    QCOMPARE(replayed.header("idempotent-replayed"), "true");
    QVERIFY(replayedOk);
    auto [unknownSku, unknownSkuOk] = call("POST", u"/api/order-sessions/current/items"_s,
                                           json({{u"sku"_s, u"NOPE"_s}}), bearer(token));
    QCOMPARE(unknownSku.status, 422);
    QVERIFY(unknownSkuOk);
    auto [noIfMatch, noIfMatchOk] =
        call("PUT", u"/api/order-sessions/current"_s, R"({"items": []})", bearer(token));
    QCOMPARE(noIfMatch.status, 428);
    QVERIFY(noIfMatchOk);
    const QByteArray etag = added.header("etag");
    auto [replaced, replacedOk] = call(
        "PUT", u"/api/order-sessions/current"_s,
        R"({"items": [{"sku": "COF-ESP", "qty": 1}, {"name": "Cake", "unitPriceCents": 350, "qty": 1}]})",
        bearer(token, {{"If-Match", etag}}));
    QCOMPARE(replaced.status, 200);
    QVERIFY(replacedOk);
    auto [stale, staleOk] = call("PUT", u"/api/order-sessions/current"_s, R"({"items": []})",
                                 bearer(token, {{"If-Match", etag}}));
    QCOMPARE(stale.status, 409);
    QVERIFY(stale.json().value(u"order"_s).isObject());
    QVERIFY(staleOk);
    auto [badJson, badJsonOk] =
        call("PUT", u"/api/order-sessions/current/assign-tab"_s, "{", bearer(token));
    QCOMPARE(badJson.status, 400);
    QVERIFY(badJsonOk);
    auto [assigned, assignedOk] = call("PUT", u"/api/order-sessions/current/assign-tab"_s,
                                       json({{u"tabName"_s, u"Table 5"_s}}), bearer(token));
    QCOMPARE(assigned.status, 200);
    QVERIFY(assignedOk);
    auto [tabs, tabsOk] = call("GET", u"/api/tabs"_s, {}, bearer(token));
    QCOMPARE(tabs.status, 200);
    QVERIFY(tabsOk);
    const QString tabId =
        tabs.json().value(u"tabs"_s).toArray().at(0).toObject().value(u"id"_s).toString();
    QVERIFY(!tabId.isEmpty());
    // One payment of a split tender on the tab (issue 14): it stays open with its balance.
    auto [tabPart, tabPartOk] =
        call("POST", u"/api/tabs/%1/payments"_s.arg(tabId),
             json({{u"method"_s, u"cash"_s}, {u"amountCents"_s, 70}, {u"tenderedCents"_s, 100}}),
             bearer(token));
    QCOMPARE(tabPart.status, 200);
    QCOMPARE(tabPart.json().value(u"balanceCents"_s).toInteger(), 500);
    QVERIFY(tabPartOk);
    auto [settled, settledOk] =
        call("PUT", u"/api/tabs/%1/settle"_s.arg(tabId),
             json({{u"method"_s, u"cash"_s}, {u"tenderedCents"_s, 10000}}), bearer(token));
    QCOMPARE(settled.status, 200);
    QCOMPARE(settled.json().value(u"status"_s).toString(), u"settled"_s);
    QVERIFY(settledOk);
    auto [again, againOk] = call("PUT", u"/api/tabs/%1/settle"_s.arg(tabId),
                                 json({{u"method"_s, u"cash"_s}, {u"tenderedCents"_s, 10000}}),
                                 bearer(token, {{"If-Match", "\"1\""}}));
    QCOMPARE(again.status, 409);
    QVERIFY(againOk);
    auto [second, secondOk] = call("POST", u"/api/order-sessions"_s,
                                   R"({"items": [{"sku": "COF-ESP", "qty": 1}]})", bearer(token));
    QCOMPARE(second.status, 200);
    QVERIFY(secondOk);
    // Issue 14: a line discount, an order discount, a price override, a part payment.
    auto [lineOff, lineOffOk] = call("POST", u"/api/order-sessions/current/discounts"_s,
                                     json({{u"scope"_s, u"line"_s},
                                           {u"lineId"_s, 1},
                                           {u"amountCents"_s, 20},
                                           {u"reason"_s, u"Dented"_s}}),
                                     bearer(token));
    QCOMPARE(lineOff.status, 200);
    QVERIFY(lineOffOk);
    auto [orderOff, orderOffOk] =
        call("POST", u"/api/order-sessions/current/discounts"_s,
             json({{u"scope"_s, u"order"_s}, {u"percentBp"_s, 1000}, {u"reason"_s, u"Regular"_s}}),
             bearer(token));
    QCOMPARE(orderOff.status, 200);
    QCOMPARE(orderOff.json().value(u"discounts"_s).toArray().size(), 2);
    QVERIFY(orderOffOk);
    auto [badOff, badOffOk] =
        call("POST", u"/api/order-sessions/current/discounts"_s,
             json({{u"scope"_s, u"order"_s}, {u"percentBp"_s, 5}}), bearer(token));
    QCOMPARE(badOff.status, 422);
    QVERIFY(badOffOk);
    // Issue 15: a price override needs a manager: Alice alone is refused 403, with Maria's
    // approval it goes through.
    auto [alone, aloneOk] =
        call("PUT", u"/api/order-sessions/current/lines/1/price"_s,
             json({{u"unitPriceCents"_s, 240}, {u"reason"_s, u"Large cup"_s}}), bearer(token));
    QCOMPARE(alone.status, 403);
    QVERIFY(aloneOk);
    auto [priced, pricedOk] =
        call("PUT", u"/api/order-sessions/current/lines/1/price"_s,
             json({{u"unitPriceCents"_s, 240},
                   {u"reason"_s, u"Large cup"_s},
                   {u"approver"_s, QJsonObject{{u"name"_s, u"Maria"_s}, {u"pin"_s, u"9999"_s}}}}),
             bearer(token));
    QCOMPARE(priced.status, 200);
    QVERIFY(pricedOk);
    // (240 - 20) less 10 %: 198.
    QCOMPARE(priced.json().value(u"total"_s).toInteger(), 198);
    auto [part, partOk] =
        call("POST", u"/api/order-sessions/current/payments"_s,
             json({{u"method"_s, u"cash"_s}, {u"amountCents"_s, 100}, {u"tenderedCents"_s, 100}}),
             bearer(token));
    QCOMPARE(part.status, 200);
    QCOMPARE(part.json().value(u"balanceCents"_s).toInteger(), 98);
    QVERIFY(
        part.json().value(u"payments"_s).toArray().at(0).toObject().value(u"receiptNo"_s).isNull());
    QVERIFY(partOk);
    auto [locked, lockedOk] =
        call("POST", u"/api/order-sessions/current/discounts"_s,
             json({{u"scope"_s, u"order"_s}, {u"amountCents"_s, 0}}), bearer(token));
    QCOMPARE(locked.status, 409);
    QVERIFY(lockedOk);
    auto [paid, paidOk] =
        call("PUT", u"/api/order-sessions/current/complete"_s,
             json({{u"method"_s, u"card"_s}, {u"tenderedCents"_s, 98}}), bearer(token));
    QCOMPARE(paid.status, 200);
    QVERIFY(paid.json().value(u"payment"_s).isObject());
    QVERIFY(paidOk);
    auto [third, thirdOk] = call("POST", u"/api/order-sessions"_s, {}, bearer(token));
    QVERIFY(thirdOk);
    auto [parked, parkedOk] =
        call("PUT", u"/api/order-sessions/current/logout"_s, {}, bearer(token));
    QCOMPARE(parked.status, 200);
    QCOMPARE(parked.json().value(u"status"_s).toString(), u"pending_logout"_s);
    QVERIFY(parkedOk);
    auto [wrongMethod, wrongMethodOk] = call("DELETE", u"/api/order-sessions/current"_s, {}, {});
    QCOMPARE(wrongMethod.status, 405);
    QVERIFY(wrongMethodOk);
    auto [nowhere, nowhereOk] = call("GET", u"/api/nowhere"_s, {}, {});
    QCOMPARE(nowhere.status, 404);
    QVERIFY(nowhereOk);

    // Sync, with a device token.
    auto [status, deviceToken] =
        runAdmin({u"--db"_s, db.path(), u"device"_s, u"add"_s, u"Till 1"_s});
    QCOMPARE(status, 0);
    const QByteArray device = deviceToken.trimmed().split('\n').last().trimmed();
    auto [cashierOnSync, cashierOnSyncOk] = call("GET", u"/api/sync/v1/pull"_s, {}, bearer(token));
    QCOMPARE(cashierOnSync.status, 403);
    QVERIFY(cashierOnSyncOk);
    auto [pulled, pulledOk] = call("GET", u"/api/sync/v1/pull"_s, {}, bearer(device));
    QCOMPARE(pulled.status, 200);
    QVERIFY(!pulled.json().value(u"cashiers"_s).toArray().isEmpty());
    QVERIFY(pulledOk);
    auto [unchanged, unchangedOk] =
        call("GET", u"/api/sync/v1/pull"_s, {},
             bearer(device, {{"If-None-Match", pulled.header("etag")}}));
    QCOMPARE(unchanged.status, 304);
    QVERIFY(unchangedOk);
    auto [oldProtocol, oldProtocolOk] =
        call("POST", u"/api/sync/v1/push"_s, R"({"protocol": 1, "ops": []})", bearer(device));
    QCOMPARE(oldProtocol.status, 400);
    QVERIFY(oldProtocolOk);
    auto [rejected, rejectedOk] =
        call("POST", u"/api/sync/v1/push"_s,
             R"({"protocol": 2, "ops": [{"request_id": "r1", "seq": 1, "op": "frobnicate",
            "order_id": "o1", "tab_id": null, "created_at": "2026-12-04T10:00:00.000Z",
            "payload": {}}]})",
             bearer(device));
    QCOMPARE(rejected.status, 200);
    QCOMPARE(rejected.json().value(u"results"_s).toArray().at(0).toObject().value(u"result"_s),
             u"rejected"_s);
    QVERIFY(rejectedOk);

    auto [signedOut, signedOutOk] = call("POST", u"/api/auth/logout"_s, {}, bearer(token));
    QCOMPARE(signedOut.status, 204);
    QVERIFY(signedOutOk);
    auto [afterSignOut, afterSignOutOk] = call("GET", u"/api/tabs"_s, {}, bearer(token));
    QCOMPARE(afterSignOut.status, 401);
    QVERIFY(afterSignOutOk);
    QCOMPARE(server.stop(), 0);
}

QTEST_GUILESS_MAIN(OpenApiTest)
#include "tst_openapi.moc"
