#include "ApiJson.h"

#include "Clock.h"
#include "ItemsJson.h"
#include "Json.h"
#include "Validation.h"

#include <QJsonArray>
#include <QJsonDocument>

using namespace Qt::StringLiterals;

namespace SafeTill {

QJsonObject apiJson(const Payment &payment)
{
    return {
        {u"id"_s, payment.id},
        {u"method"_s, toString(payment.method)},
        {u"amountCents"_s, payment.amountCents},
        {u"tenderedCents"_s, payment.tenderedCents},
        {u"changeCents"_s, payment.changeCents},
        {u"receiptNo"_s, payment.receiptNo},
        {u"paidAt"_s, timeOrNull(payment.paidAt)},
    };
}

QJsonObject apiJson(const Order &order)
{
    QJsonArray items;
    for (const OrderLine &line : order.lines) {
        items.append(QJsonObject{
            {u"line"_s, line.lineNo},
            {u"sku"_s, textOrNull(line.sku)},
            {u"name"_s, line.name},
            {u"unitPriceCents"_s, line.unitPriceCents},
            {u"qty"_s, line.quantity},
            {u"totalCents"_s, line.totalCents()},
        });
    }
    return {
        {u"id"_s, order.id},
        {u"userId"_s, order.cashierId},
        {u"userName"_s, order.cashierName},
        {u"status"_s, toString(order.status)},
        {u"version"_s, order.version},
        {u"items"_s, items},
        {u"total"_s, order.totalCents()}, // cents
        {u"tabId"_s, textOrNull(order.tabId)},
        {u"tabName"_s, textOrNull(order.tabName)},
        {u"receiptNo"_s, textOrNull(order.receiptNo)},
        {u"logoutTime"_s, timeOrNull(order.logoutTime)},
        {u"createdAt"_s, timeOrNull(order.createdAt)},
        {u"updatedAt"_s, timeOrNull(order.updatedAt)},
        {u"completedAt"_s, timeOrNull(order.completedAt)},
        {u"payment"_s,
         order.payment ? QJsonValue(apiJson(*order.payment)) : QJsonValue(QJsonValue::Null)},
    };
}

QJsonObject apiJson(const Tab &tab)
{
    QJsonArray orders;
    for (const Order &order : tab.orders)
        orders.append(apiJson(order));
    return {
        {u"id"_s, tab.id},
        {u"name"_s, tab.name},
        {u"status"_s, toString(tab.status)},
        {u"version"_s, tab.version},
        {u"total"_s, tab.totalCents()}, // cents
        {u"orders"_s, orders},
        {u"receiptNo"_s, textOrNull(tab.receiptNo)},
        {u"createdAt"_s, timeOrNull(tab.createdAt)},
        {u"settledAt"_s, timeOrNull(tab.settledAt)},
        {u"payment"_s,
         tab.payment ? QJsonValue(apiJson(*tab.payment)) : QJsonValue(QJsonValue::Null)},
    };
}

namespace {

// The body as a JSON document that is an object: 400 for what is not JSON at all, 422 (with
// notAnObject) for JSON of another shape.
QJsonDocument objectDocument(const HttpRequest &request, const QString &notAnObject)
{
    QJsonParseError error;
    QJsonDocument document = QJsonDocument::fromJson(request.body, &error);
    if (error.error != QJsonParseError::NoError) {
        throw Refusal{HttpResponse::error(
            400, u"malformed_json"_s,
            u"The body is not valid JSON (%1 at offset %2)."_s.arg(error.errorString())
                .arg(error.offset))};
    }
    if (!document.isObject())
        throw Refusal{HttpResponse::error(422, u"invalid_input"_s, notAnObject)};
    return document;
}

} // namespace

// A JSON object body (empty allowed when optional) whose members are all in allowed.
QJsonObject objectBody(const HttpRequest &request, const QStringList &allowed, bool optional)
{
    if (request.body.trimmed().isEmpty()) {
        if (optional)
            return {};
        throw Refusal{HttpResponse::error(422, u"invalid_input"_s,
                                          u"The request needs a JSON object body."_s)};
    }
    const QJsonDocument document = objectDocument(request, u"The body must be a JSON object."_s);
    const QJsonObject object = document.object();
    for (auto it = object.begin(); it != object.end(); ++it) {
        if (!allowed.contains(it.key())) {
            throw Refusal{HttpResponse::error(422, u"invalid_input"_s,
                                              u"Unknown member \u201c%1\u201d; expected %2."_s.arg(
                                                  it.key(), allowed.join(u", "_s)))};
        }
    }
    return object;
}

QString stringMember(const QJsonObject &object, const QString &name, qsizetype maxLength)
{
    const QJsonValue value = object.value(name);
    if (!value.isString()) {
        throw Refusal{HttpResponse::error(422, u"invalid_input"_s,
                                          u"\u201c%1\u201d must be a string."_s.arg(name))};
    }
    const QString text = value.toString();
    if (text.size() > maxLength) {
        throw Refusal{HttpResponse::error(
            422, u"invalid_input"_s,
            u"\u201c%1\u201d is longer than %2 characters."_s.arg(name).arg(maxLength))};
    }
    return text;
}

qint64 wholeMember(const QJsonObject &object, const QString &name, qint64 min, qint64 max)
{
    const std::optional<qint64> number = wholeNumber(object.value(name), min, max);
    if (!number) {
        throw Refusal{HttpResponse::error(
            422, u"invalid_input"_s,
            u"\u201c%1\u201d must be a whole number from %2 to %3."_s.arg(name).arg(min).arg(max))};
    }
    return *number;
}

// If-Match: the order (or tab) version the caller saw: 7, "7" or W/"7".
std::optional<int> ifMatch(const HttpRequest &request)
{
    if (!request.hasHeader("if-match"))
        return std::nullopt;
    QByteArray value = request.header("if-match").trimmed();
    if (value.startsWith("W/"))
        value = value.mid(2);
    if (value.size() >= 2 && value.startsWith('"') && value.endsWith('"'))
        value = value.mid(1, value.size() - 2);
    bool ok = false;
    const int version = value.toInt(&ok);
    const bool digitsOnly = !value.isEmpty() && std::all_of(value.begin(), value.end(), [](char c) {
        return c >= '0' && c <= '9';
    });
    if (!ok || !digitsOnly || version < 1) {
        throw Refusal{HttpResponse::error(400, u"bad_if_match"_s,
                                          u"If-Match must be the version you saw, e.g. \"3\"."_s)};
    }
    return version;
}

QList<ItemSpec> itemsBody(const HttpRequest &request, bool optional, bool *present)
{
    *present = false;
    const QString expected = u"The body must be {\"items\": [...]}."_s;
    if (request.body.trimmed().isEmpty()) {
        if (optional)
            return {};
        throw Refusal{HttpResponse::error(422, u"invalid_input"_s, expected)};
    }
    const QJsonDocument document = objectDocument(request, expected);
    if (optional && document.object().isEmpty())
        return {};
    const ParsedItems parsed = parseItemsJson(document);
    if (!parsed.error.isEmpty())
        throw Refusal{HttpResponse::error(422, u"invalid_input"_s, parsed.error)};
    *present = true;
    return parsed.items;
}

ItemSpec addItemBody(const HttpRequest &request)
{
    const QJsonObject body =
        objectBody(request, {u"sku"_s, u"qty"_s, u"name"_s, u"unitPriceCents"_s}, false);
    ItemSpec item;
    item.quantity =
        body.contains(u"qty"_s) ? int(wholeMember(body, u"qty"_s, 1, Limits::maxQuantity)) : 1;
    if (body.contains(u"sku"_s)) {
        if (body.contains(u"name"_s) || body.contains(u"unitPriceCents"_s)) {
            throw Refusal{HttpResponse::error(
                422, u"invalid_input"_s,
                u"An item has a \u201csku\u201d (catalog) or a \u201cname\u201d and "
                "\u201cunitPriceCents\u201d (open price), not both."_s)};
        }
        item.sku = stringMember(body, u"sku"_s, Limits::maxSkuLength);
        return item;
    }
    if (!body.contains(u"name"_s) || !body.contains(u"unitPriceCents"_s)) {
        throw Refusal{
            HttpResponse::error(422, u"invalid_input"_s,
                                u"An item needs a \u201csku\u201d, or a \u201cname\u201d and "
                                "\u201cunitPriceCents\u201d."_s)};
    }
    item.name = stringMember(body, u"name"_s, Limits::maxProductNameLength);
    item.unitPriceCents = wholeMember(body, u"unitPriceCents"_s, 0, Limits::maxPriceCents);
    return item;
}

PaymentRequest paymentBody(const HttpRequest &request)
{
    const QJsonObject body = objectBody(request, {u"method"_s, u"tenderedCents"_s}, false);
    const std::optional<PaymentMethod> method =
        paymentMethodFromString(stringMember(body, u"method"_s, 16));
    if (!method) {
        throw Refusal{
            HttpResponse::error(422, u"invalid_input"_s, u"\u201cmethod\u201d is cash or card."_s)};
    }
    return PaymentRequest{*method,
                          wholeMember(body, u"tenderedCents"_s, 0, Limits::maxTenderCents)};
}

HttpResponse databaseUnavailable()
{
    HttpResponse response = HttpResponse::error(
        503, u"database_unavailable"_s,
        u"The server's database is unavailable right now (unreachable or out of space). Try "
        "again in a moment with the same Idempotency-Key: a request that was in fact saved is "
        "then not applied twice."_s);
    response.addHeader("Retry-After", "1");
    return response;
}

} // namespace SafeTill
