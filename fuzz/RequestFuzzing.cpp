#include "RequestFuzzing.h"

#include "ApiJson.h"
#include "HttpMessage.h"
#include "ItemsJson.h"
#include "Validation.h"

#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace SafeTill::Fuzz {

namespace {

// Small limits, so the size checks are reachable with the fuzzer's short inputs.
HttpRequestParser::Limits fuzzLimits()
{
    HttpRequestParser::Limits limits;
    limits.maxHeaderBytes = 512;
    limits.maxBodyBytes = 2048;
    limits.maxHeaderCount = 16;
    return limits;
}

// What one parse of a stream produced: each request, then the refusal (if any).
struct Outcome
{
    QList<HttpRequestParser::Parsed> requests;
    std::optional<HttpRequestParser::Refusal> refusal;
};

bool sameRequest(const HttpRequestParser::Parsed &a, const HttpRequestParser::Parsed &b)
{
    return a.closeAfter == b.closeAfter && a.request.method == b.request.method &&
           a.request.path == b.request.path && a.request.headers == b.request.headers &&
           a.request.body == b.request.body;
}

Outcome parseStream(QByteArrayView stream, qsizetype chunk)
{
    Outcome outcome;
    HttpRequestParser parser(fuzzLimits());
    qsizetype fed = 0;
    // Like ConnectionGuard: feed what arrived, take every complete request, repeat.
    while (true) {
        HttpRequestParser::Parsed parsed;
        HttpRequestParser::Refusal refusal;
        const HttpRequestParser::Step step = parser.next(&parsed, &refusal);
        if (step == HttpRequestParser::Step::Request) {
            outcome.requests.append(std::move(parsed));
            continue;
        }
        if (step == HttpRequestParser::Step::Refused) {
            outcome.refusal = refusal;
            break;
        }
        if (fed == stream.size())
            break;
        const qsizetype take = std::min(chunk, stream.size() - fed);
        parser.feed(stream.sliced(fed, take));
        fed += take;
    }
    return outcome;
}

QString checkRefusalResponse(const HttpResponse &response, const QString &where)
{
    if (response.status != 400 && response.status != 422)
        return where + u": refused with status %1"_s.arg(response.status);
    const QJsonObject body = QJsonDocument::fromJson(response.body).object();
    if (body.value(u"error"_s).toString().isEmpty() || body.value(u"code"_s).toString().isEmpty())
        return where + u": a refusal without error and code"_s;
    return {};
}

QString checkItem(const ItemSpec &item, const QString &where)
{
    if (item.quantity < 1 || item.quantity > Limits::maxQuantity)
        return where + u": quantity %1 accepted"_s.arg(item.quantity);
    if (item.sku.isEmpty()) {
        if (!item.unitPriceCents || *item.unitPriceCents < 0 ||
            *item.unitPriceCents > Limits::maxPriceCents)
            return where + u": an open-price item without a sane price"_s;
        if (item.name.size() > Limits::maxProductNameLength)
            return where + u": an overlong name accepted"_s;
    } else if (item.sku.size() > Limits::maxSkuLength && where != u"items"_s) {
        // PUT /current leaves the SKU length to the model (checkSku); the add-item reader checks.
        return where + u": an overlong SKU accepted"_s;
    }
    return {};
}

// Every reader of the API on one request; whatever they accept must be within the limits, and
// whatever they refuse must be refused as the API refuses (400 or 422, with error and code).
QString checkReaders(const HttpRequest &request)
{
    QString problem;
    problem = [&] {
        const Checked<std::optional<int>> version = ifMatch(request);
        if (!version)
            return checkRefusalResponse(version.refusal(), u"if-match"_s);
        return *version && **version < 1 ? u"if-match: version %1 accepted"_s.arg(**version)
                                         : QString();
    }();
    if (!problem.isEmpty())
        return problem;
    for (const bool optional : {false, true}) {
        problem = [&] {
            bool present = false;
            const Checked<QList<ItemSpec>> items = itemsBody(request, optional, &present);
            if (!items)
                return checkRefusalResponse(items.refusal(), u"items"_s);
            if (items->size() > Limits::maxLinesPerOrder)
                return u"items: %1 lines accepted"_s.arg(items->size());
            if (!present && !items->isEmpty())
                return u"items: items without a list"_s;
            for (const ItemSpec &item : *items) {
                if (QString itemProblem = checkItem(item, u"items"_s); !itemProblem.isEmpty())
                    return itemProblem;
            }
            return QString();
        }();
        if (!problem.isEmpty())
            return problem;
    }
    problem = [&] {
        // PUT /current as GET returns it: the items as above, then the read-only members checked
        // against an order (which may only refuse, with a 400).
        const Checked<ReplaceBody> body = replaceBody(request);
        if (!body)
            return checkRefusalResponse(body.refusal(), u"replace"_s);
        if (body->items.size() > Limits::maxLinesPerOrder)
            return u"replace: %1 lines accepted"_s.arg(body->items.size());
        if (body->itemsFields.size() != body->items.size())
            return u"replace: %1 items but %2 read-only sets"_s.arg(body->items.size())
                .arg(body->itemsFields.size());
        for (const ItemSpec &item : body->items) {
            if (QString itemProblem = checkItem(item, u"items"_s); !itemProblem.isEmpty())
                return itemProblem;
        }
        Order current;
        current.id = u"order-1"_s;
        current.cashierId = u"cashier-1"_s;
        current.version = 3;
        current.lines = {
            OrderLine{1,
                      u"COF-ESP"_s,
                      u"Espresso"_s,
                      220,
                      2,
                      u"line-1"_s,
                      {},
                      0,
                      true,
                      {},
                      std::nullopt,
                      {}},
            OrderLine{2, {}, u"Cake"_s, 500, 1, u"line-2"_s, {}, 0, true, {}, std::nullopt, {}}};
        const std::optional<HttpResponse> refused = checkReadOnly(
            *body, current, 3, [](const QString &sku) -> Checked<std::optional<CatalogEntry>> {
                if (sku == u"BAK-CRO"_s)
                    return std::optional<CatalogEntry>(CatalogEntry{u"Croissant"_s, 190});
                return std::optional<CatalogEntry>();
            });
        if (refused)
            return checkRefusalResponse(*refused, u"replace"_s);
        return QString();
    }();
    if (!problem.isEmpty())
        return problem;
    problem = [&] {
        const Checked<ItemSpec> item = addItemBody(request);
        if (!item)
            return checkRefusalResponse(item.refusal(), u"add-item"_s);
        // A catalog item may carry the price entered for a product sold at an open price
        // (OrderService refuses it for a fixed-price one), never an open item's name.
        if (!item->sku.isEmpty() && !item->name.isEmpty())
            return u"add-item: both a SKU and an open item's name"_s;
        if (!item->sku.isEmpty() && item->unitPriceCents &&
            (*item->unitPriceCents < 0 || *item->unitPriceCents > Limits::maxPriceCents))
            return u"add-item: an entered price %1 accepted"_s.arg(*item->unitPriceCents);
        return checkItem(*item, u"add-item"_s);
    }();
    if (!problem.isEmpty())
        return problem;
    problem = [&] {
        const Checked<PaymentRequest> payment = paymentBody(request);
        if (!payment)
            return checkRefusalResponse(payment.refusal(), u"payment"_s);
        if (payment->tenderedCents < 0 || payment->tenderedCents > Limits::maxTenderCents)
            return u"payment: tendered %1 accepted"_s.arg(payment->tenderedCents);
        return QString();
    }();
    if (!problem.isEmpty())
        return problem;
    problem = [&] {
        const Checked<QJsonObject> body = objectBody(request, {u"username"_s, u"pin"_s}, false);
        if (!body)
            return checkRefusalResponse(body.refusal(), u"login"_s);
        const Checked<QString> name = stringMember(*body, u"username"_s, Limits::maxNameLength);
        if (!name)
            return checkRefusalResponse(name.refusal(), u"login"_s);
        const Checked<QString> pin = stringMember(*body, u"pin"_s, 64);
        if (!pin)
            return checkRefusalResponse(pin.refusal(), u"login"_s);
        return name->size() > Limits::maxNameLength || pin->size() > 64
                   ? u"login: overlong member accepted"_s
                   : QString();
    }();
    if (!problem.isEmpty())
        return problem;
    // The CLI and sync read item lists with the same parser, also as a bare array.
    // On an error it may return the items read before it (tst_catalog allows that); callers act
    // on the error alone, so only an accepted list must hold up.
    const ParsedItems parsed = parseItemsJson(request.body);
    if (!parsed.error.isEmpty())
        return {};
    for (const ItemSpec &item : parsed.items) {
        if (QString itemProblem = checkItem(item, u"items"_s); !itemProblem.isEmpty())
            return itemProblem;
    }
    return {};
}

QString checkStream(QByteArrayView stream, qsizetype chunk)
{
    const Outcome whole = parseStream(stream, std::max<qsizetype>(1, stream.size()));
    const Outcome pieces = parseStream(stream, chunk);
    // Framing must not depend on how the bytes were split into reads.
    if (whole.requests.size() != pieces.requests.size())
        return u"framing: %1 requests whole, %2 in chunks of %3"_s.arg(whole.requests.size())
            .arg(pieces.requests.size())
            .arg(chunk);
    for (qsizetype i = 0; i < whole.requests.size(); ++i) {
        if (!sameRequest(whole.requests.at(i), pieces.requests.at(i)))
            return u"framing: request %1 differs when read in chunks of %2"_s.arg(i).arg(chunk);
    }
    if (whole.refusal.has_value() != pieces.refusal.has_value() ||
        (whole.refusal && whole.refusal->status != pieces.refusal->status))
        return u"framing: the refusal differs when read in chunks of %1"_s.arg(chunk);
    if (whole.refusal) {
        static const QList<int> refusals{400, 405, 411, 413, 417, 431, 501, 505};
        if (!refusals.contains(whole.refusal->status) || whole.refusal->message.isEmpty())
            return u"refusal: status %1"_s.arg(whole.refusal->status);
        const QByteArray response =
            HttpResponse::error(whole.refusal->status, whole.refusal->code, whole.refusal->message)
                .serialize({}, true);
        if (!response.startsWith("HTTP/1.1 "))
            return u"refusal: unserializable"_s;
    }
    const HttpRequestParser::Limits limits = fuzzLimits();
    for (const HttpRequestParser::Parsed &parsed : whole.requests) {
        const HttpRequest &request = parsed.request;
        if (request.method.isEmpty() || !request.path.startsWith(u'/'))
            return u"request: no method or no path"_s;
        if (request.body.size() > limits.maxBodyBytes)
            return u"request: a body over the limit"_s;
        if (std::any_of(request.path.begin(), request.path.end(),
                        [](QChar c) { return c.unicode() < 0x20; }))
            return u"request: control characters in the path"_s;
        for (auto it = request.headers.begin(); it != request.headers.end(); ++it) {
            if (it.key().isEmpty() || it.key() != it.key().toLower())
                return u"request: header name not normalised"_s;
            if (it.value().contains('\r') || it.value().contains('\n'))
                return u"request: a line break in a header value"_s;
        }
        if (QString problem = checkReaders(request); !problem.isEmpty())
            return problem;
    }
    return {};
}

} // namespace

QString checkRequestBytes(QByteArrayView input)
{
    if (input.isEmpty())
        return {};
    const unsigned char mode = static_cast<unsigned char>(input.front());
    const QByteArrayView payload = input.sliced(1);
    if ((mode & 3) == 3) {
        HttpRequest request;
        request.method = "PUT";
        request.path = u"/api/order-sessions/current"_s;
        const qsizetype newline = payload.indexOf('\n');
        if (newline >= 0)
            request.headers.insert("if-match", payload.first(newline).toByteArray());
        request.body = payload.sliced(newline + 1).toByteArray();
        return checkReaders(request);
    }
    return checkStream(payload, (mode >> 2) + 1);
}

} // namespace SafeTill::Fuzz
