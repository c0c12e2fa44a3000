#include "ApiJson.h"

#include <QMutex>

#include "Tax.h"

#include "Clock.h"
#include "ItemsJson.h"
#include "Json.h"
#include "Validation.h"

#include <QJsonArray>
#include <QJsonDocument>

#include <algorithm>
#include <limits>

using namespace Qt::StringLiterals;

namespace SafeTill {

QJsonObject apiJson(const Payment &payment)
{
    QJsonObject json{
        {u"id"_s, payment.id},
        {u"method"_s, toString(payment.method)},
        {u"amountCents"_s, payment.amountCents},
        {u"tenderedCents"_s, payment.tenderedCents},
        {u"changeCents"_s, payment.changeCents},
        {u"receiptNo"_s, textOrNull(payment.receiptNo)}, // only the last of a split tender's
        {u"paidAt"_s, timeOrNull(payment.paidAt)},
    };
    // Issue 14: only when set, like the model's JSON.
    if (!payment.label.isEmpty())
        json.insert(u"label"_s, payment.label);
    if (payment.roundingCents != 0)
        json.insert(u"roundingCents"_s, payment.roundingCents);
    return json;
}

namespace {

QMutex currencyMutex;
QString currencyCode = u"EUR"_s;

} // namespace

void setApiCurrency(const QString &code)
{
    const QMutexLocker lock(&currencyMutex);
    currencyCode = code;
}

QString apiCurrency()
{
    const QMutexLocker lock(&currencyMutex);
    return currencyCode;
}

QJsonObject apiJson(const Order &order)
{
    QJsonArray items;
    for (const OrderLine &line : order.lines) {
        QJsonObject item{
            {u"line"_s, line.lineNo},
            {u"lineId"_s, line.lineId},
            {u"sku"_s, textOrNull(line.sku)},
            {u"name"_s, line.name},
            {u"unitPriceCents"_s, line.unitPriceCents},
            {u"qty"_s, line.quantity},
            {u"totalCents"_s, line.totalCents()},
            {u"taxCode"_s, textOrNull(line.taxCode)},
            {u"taxRateBp"_s, line.taxRateBp},
            {u"priceIncludesTax"_s, line.priceIncludesTax},
        };
        // Only when there is one (issue 14): a discount and what it takes off (totalCents is
        // after it), the list price an override replaced and why.
        if (!line.discount.isNone()) {
            item.insert(u"discount"_s, presentedDiscount(line.discount));
            item.insert(u"discountCents"_s, line.discountCents());
        }
        if (line.listPriceCents) {
            item.insert(u"listPriceCents"_s, *line.listPriceCents);
            item.insert(u"priceReason"_s, line.priceReason);
        }
        items.append(item);
    }
    const TaxTable taxes = taxTable(order.lines, order.discount);
    const QJsonArray discounts = discountRows(order, taxes);
    QJsonArray payments;
    for (const Payment &payment : order.payments)
        payments.append(apiJson(payment));
    QJsonObject json{
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
        {u"taxes"_s, toJson(taxes)},
        {u"currency"_s, order.currency.isEmpty() ? apiCurrency() : order.currency},
        {u"discounts"_s, discounts},
        {u"payments"_s, payments},
        {u"paidCents"_s, order.paidCents()},
        {u"balanceCents"_s, order.balanceCents()},
    };
    if (!order.discount.isNone())
        json.insert(u"discount"_s, presentedDiscount(order.discount));
    return json;
}

namespace {

// apiJson(payment), written directly: its members in QJsonObject's (sorted) order.
void appendApiPayment(QByteArray &out, const Payment &payment)
{
    CompactObjectWriter json(out);
    json.integer("amountCents", payment.amountCents);
    json.integer("changeCents", payment.changeCents);
    json.text("id", payment.id);
    if (!payment.label.isEmpty())
        json.text("label", payment.label);
    json.text("method", toString(payment.method));
    json.time("paidAt", payment.paidAt);
    json.textOrNull("receiptNo", payment.receiptNo);
    if (payment.roundingCents != 0)
        json.integer("roundingCents", payment.roundingCents);
    json.integer("tenderedCents", payment.tenderedCents);
}

// One of apiJson(order)'s items.
void appendApiLine(QByteArray &out, const OrderLine &line)
{
    CompactObjectWriter json(out);
    if (!line.discount.isNone()) {
        appendCompactJson(json.key("discount"), presentedDiscount(line.discount));
        json.integer("discountCents", line.discountCents());
    }
    json.integer("line", line.lineNo);
    json.text("lineId", line.lineId);
    if (line.listPriceCents)
        json.integer("listPriceCents", *line.listPriceCents);
    json.text("name", line.name);
    json.boolean("priceIncludesTax", line.priceIncludesTax);
    if (line.listPriceCents)
        json.text("priceReason", line.priceReason);
    json.integer("qty", line.quantity);
    json.textOrNull("sku", line.sku);
    json.textOrNull("taxCode", line.taxCode);
    json.integer("taxRateBp", line.taxRateBp);
    json.integer("totalCents", line.totalCents());
    json.integer("unitPriceCents", line.unitPriceCents);
}

// `values` as a JSON array, each written by `write`.
template<typename T, typename Write>
void appendArray(QByteArray &out, const QList<T> &values, Write write)
{
    out += '[';
    for (qsizetype i = 0; i < values.size(); ++i) {
        if (i)
            out += ',';
        write(out, values.at(i));
    }
    out += ']';
}

} // namespace

QByteArray apiJsonText(const Order &order)
{
    const TaxTable taxes = taxTable(order.lines, order.discount);
    QByteArray out;
    out.reserve(768 + 384 * order.lines.size() + 256 * order.payments.size());
    {
        CompactObjectWriter json(out);
        json.integer("balanceCents", order.balanceCents());
        json.time("completedAt", order.completedAt);
        json.time("createdAt", order.createdAt);
        json.text("currency", order.currency.isEmpty() ? apiCurrency() : order.currency);
        if (!order.discount.isNone())
            appendCompactJson(json.key("discount"), presentedDiscount(order.discount));
        appendCompactJson(json.key("discounts"), discountRows(order, taxes));
        json.text("id", order.id);
        appendArray(json.key("items"), order.lines, appendApiLine);
        json.time("logoutTime", order.logoutTime);
        json.integer("paidCents", order.paidCents());
        if (order.payment)
            appendApiPayment(json.key("payment"), *order.payment);
        else
            json.key("payment") += "null";
        appendArray(json.key("payments"), order.payments, appendApiPayment);
        json.textOrNull("receiptNo", order.receiptNo);
        json.text("status", toString(order.status));
        json.textOrNull("tabId", order.tabId);
        json.textOrNull("tabName", order.tabName);
        appendArray(json.key("taxes"), taxes.rows, [](QByteArray &to, const TaxLine &row) {
            CompactObjectWriter tax(to);
            tax.text("code", row.code);
            tax.integer("grossCents", row.grossCents);
            tax.integer("netCents", row.netCents);
            tax.integer("rateBp", row.rateBp);
            tax.integer("taxCents", row.taxCents);
        });
        json.integer("total", order.totalCents());
        json.time("updatedAt", order.updatedAt);
        json.text("userId", order.cashierId);
        json.text("userName", order.cashierName);
        json.integer("version", order.version);
    }
    return out;
}

QJsonObject apiJson(const Tab &tab)
{
    QJsonArray orders;
    for (const Order &order : tab.orders)
        orders.append(apiJson(order));
    QJsonArray payments;
    for (const Payment &payment : tab.payments)
        payments.append(apiJson(payment));
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
        {u"payments"_s, payments},
        {u"paidCents"_s, tab.paidCents()},
        {u"balanceCents"_s, tab.balanceCents()},
    };
}

namespace {

// The body as a JSON document that is an object: 400 for what is not JSON at all, 422 (with
// notAnObject) for JSON of another shape.
Checked<QJsonDocument> objectDocument(const HttpRequest &request, const QString &notAnObject)
{
    QJsonParseError error;
    QJsonDocument document = QJsonDocument::fromJson(request.body, &error);
    if (error.error != QJsonParseError::NoError) {
        return HttpResponse::error(
            400, u"malformed_json"_s,
            u"The body is not valid JSON (%1 at offset %2)."_s.arg(error.errorString())
                .arg(error.offset));
    }
    if (!document.isObject())
        return HttpResponse::error(422, u"invalid_input"_s, notAnObject);
    return document;
}

} // namespace

// A JSON object body (empty allowed when optional) whose members are all in allowed.
Checked<QJsonObject> objectBody(const HttpRequest &request, const QStringList &allowed,
                                bool optional)
{
    if (request.body.trimmed().isEmpty()) {
        if (optional)
            return QJsonObject();
        return HttpResponse::error(422, u"invalid_input"_s,
                                   u"The request needs a JSON object body."_s);
    }
    const Checked<QJsonDocument> document =
        objectDocument(request, u"The body must be a JSON object."_s);
    if (!document)
        return document.refusal();
    const QJsonObject object = document->object();
    for (auto it = object.begin(); it != object.end(); ++it) {
        if (!allowed.contains(it.key())) {
            return HttpResponse::error(422, u"invalid_input"_s,
                                       u"Unknown member \u201c%1\u201d; expected %2."_s.arg(
                                           it.key(), allowed.join(u", "_s)));
        }
    }
    return object;
}

Checked<QString> stringMember(const QJsonObject &object, const QString &name, qsizetype maxLength)
{
    const QJsonValue value = object.value(name);
    if (!value.isString()) {
        return HttpResponse::error(422, u"invalid_input"_s,
                                   u"\u201c%1\u201d must be a string."_s.arg(name));
    }
    const QString text = value.toString();
    if (text.size() > maxLength) {
        return HttpResponse::error(
            422, u"invalid_input"_s,
            u"\u201c%1\u201d is longer than %2 characters."_s.arg(name).arg(maxLength));
    }
    return text;
}

Checked<qint64> wholeMember(const QJsonObject &object, const QString &name, qint64 min, qint64 max)
{
    const std::optional<qint64> number = wholeNumber(object.value(name), min, max);
    if (!number) {
        return HttpResponse::error(
            422, u"invalid_input"_s,
            u"\u201c%1\u201d must be a whole number from %2 to %3."_s.arg(name).arg(min).arg(max));
    }
    return *number;
}

// If-Match: the order (or tab) version the caller saw: 7, "7" or W/"7".
Checked<std::optional<int>> ifMatch(const HttpRequest &request)
{
    if (!request.hasHeader("if-match"))
        return std::optional<int>();
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
        return HttpResponse::error(400, u"bad_if_match"_s,
                                   u"If-Match must be the version you saw, e.g. \"3\"."_s);
    }
    return std::optional<int>(version);
}

Checked<QList<ItemSpec>> itemsBody(const HttpRequest &request, bool optional, bool *present)
{
    *present = false;
    const QString expected = u"The body must be {\"items\": [...]}."_s;
    if (request.body.trimmed().isEmpty()) {
        if (optional)
            return QList<ItemSpec>();
        return HttpResponse::error(422, u"invalid_input"_s, expected);
    }
    const Checked<QJsonDocument> document = objectDocument(request, expected);
    if (!document)
        return document.refusal();
    if (optional && document->object().isEmpty())
        return QList<ItemSpec>();
    const ParsedItems parsed = parseItemsJson(*document);
    if (!parsed.error.isEmpty())
        return HttpResponse::error(422, u"invalid_input"_s, parsed.error);
    *present = true;
    return parsed.items;
}

bool ReplaceBody::hasReadOnly() const
{
    return !order.isEmpty() ||
           std::any_of(itemsFields.begin(), itemsFields.end(),
                       [](const QJsonObject &fields) { return !fields.isEmpty(); });
}

namespace {

// The members of GET .../current's order that a PUT may carry back but cannot change.
const QStringList &readOnlyOrderMembers()
{
    static const QStringList members{
        u"id"_s,          u"userId"_s,    u"userName"_s,    u"status"_s,    u"version"_s,
        u"total"_s,       u"tabId"_s,     u"tabName"_s,     u"receiptNo"_s, u"logoutTime"_s,
        u"createdAt"_s,   u"updatedAt"_s, u"completedAt"_s, u"payment"_s,   u"taxes"_s,
        u"currency"_s,    u"discount"_s,  u"discounts"_s,   u"payments"_s,  u"paidCents"_s,
        u"balanceCents"_s};
    return members;
}

QString shown(const QJsonValue &value)
{
    if (value.isString())
        return u'"' + value.toString() + u'"';
    if (value.isObject())
        return QString::fromUtf8(QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact));
    if (value.isArray())
        return QString::fromUtf8(QJsonDocument(value.toArray()).toJson(QJsonDocument::Compact));
    if (value.isDouble())
        return QString::number(value.toDouble(), 'g', 17);
    if (value.isBool())
        return value.toBool() ? u"true"_s : u"false"_s;
    return u"null"_s;
}

// An item's members GET shows that a PUT may carry back (the line's own, checked against it).
const QStringList &lineReadOnlyMembers()
{
    static const QStringList members{u"line"_s,       u"lineId"_s,        u"totalCents"_s,
                                     u"taxCode"_s,    u"taxRateBp"_s,     u"priceIncludesTax"_s,
                                     u"discount"_s,   u"discountCents"_s, u"listPriceCents"_s,
                                     u"priceReason"_s};
    return members;
}

// The members of `object` that are in `names`, in the object's order. A body has a few members and
// the lists about twenty: asking the object for each name (a search of its keys) cost more than
// the rest of reading a PUT /current body.
QStringList membersIn(const QJsonObject &object, const QStringList &names)
{
    QStringList found;
    for (auto it = object.constBegin(); it != object.constEnd(); ++it) {
        if (names.contains(it.key()))
            found.append(it.key());
    }
    return found;
}

// The 400 refusing a read-only member that does not say what GET said.
HttpResponse readOnlyMismatch(const QString &field, const QString &message)
{
    return HttpResponse::error(
        400, u"read_only_mismatch"_s,
        message + u" It is read-only: leave it out, or send it as GET /current returns it."_s,
        {{u"field"_s, field}});
}

bool sameNumber(const QJsonValue &value, qint64 expected)
{
    const std::optional<qint64> number = wholeNumber(value, std::numeric_limits<qint64>::min() / 2,
                                                     std::numeric_limits<qint64>::max() / 2);
    return number && *number == expected;
}

} // namespace

Checked<ReplaceBody> replaceBody(const HttpRequest &request)
{
    const QString expected = u"The body must be {\"items\": [...]}."_s;
    if (request.body.trimmed().isEmpty())
        return HttpResponse::error(422, u"invalid_input"_s, expected);
    const Checked<QJsonDocument> document = objectDocument(request, expected);
    if (!document)
        return document.refusal();
    QJsonObject object = document->object();
    ReplaceBody body;
    for (const QString &member : membersIn(object, readOnlyOrderMembers()))
        body.order.insert(member, object.take(member));
    // What is left is the old shape, {"items": [...]}, checked as before; each item's read-only
    // members are set aside first.
    if (object.value(u"items"_s).isArray()) {
        QJsonArray items = object.value(u"items"_s).toArray();
        for (QJsonValueRef item : items) {
            QJsonObject fields;
            if (item.isObject()) {
                QJsonObject spec = item.toObject();
                for (const QString &member : membersIn(spec, lineReadOnlyMembers()))
                    fields.insert(member, spec.take(member));
                if (spec.value(u"sku"_s).isString()) {
                    for (const QString &member : {u"name"_s, u"unitPriceCents"_s}) {
                        if (spec.contains(member))
                            fields.insert(member, spec.take(member));
                    }
                } else if (spec.contains(u"sku"_s) && spec.value(u"sku"_s).isNull()) {
                    spec.remove(u"sku"_s); // an open-price line as GET shows it
                }
                item = spec;
            }
            body.itemsFields.append(fields);
        }
        object.insert(u"items"_s, items);
    }
    const ParsedItems parsed = parseItemsJson(QJsonDocument(object));
    if (!parsed.error.isEmpty()) {
        if (object.size() != 1 || !object.contains(u"items"_s)) {
            for (auto it = object.begin(); it != object.end(); ++it) {
                if (it.key() != u"items"_s) {
                    return HttpResponse::error(
                        422, u"invalid_input"_s,
                        u"Unknown member \u201c%1\u201d; expected items and the read-only "
                        "members of the order GET /current returns."_s.arg(it.key()));
                }
            }
        }
        return HttpResponse::error(422, u"invalid_input"_s, parsed.error);
    }
    body.items = parsed.items;
    return body;
}

std::optional<HttpResponse> checkReadOnly(
    const ReplaceBody &body, const Order &current, int version,
    const std::function<Checked<std::optional<CatalogEntry>>(const QString &sku)> &catalog)
{
    const QJsonObject stored = apiJson(current);
    const QJsonArray storedLines = stored.value(u"items"_s).toArray();
    auto storedLine = [&](const QJsonValue &number) -> std::optional<QJsonObject> {
        for (const QJsonValue &line : storedLines) {
            if (sameNumber(number, line.toObject().value(u"line"_s).toInteger()))
                return line.toObject();
        }
        return std::nullopt;
    };

    // Each item: its line, then its catalog name and price, then its total.
    Cents newTotal = 0;
    bool newTotalKnown = true;
    for (qsizetype i = 0; i < body.items.size(); ++i) {
        const ItemSpec &item = body.items.at(i);
        const QJsonObject fields = body.itemsFields.value(i);
        const QString where = u"items[%1]."_s.arg(i);
        const QString itemName = u"Item %1"_s.arg(i + 1);
        std::optional<QJsonObject> line;
        if (fields.contains(u"line"_s)) {
            line = storedLine(fields.value(u"line"_s));
            const bool sameKind =
                line && (item.sku.isEmpty() ? line->value(u"sku"_s).isNull()
                                            : line->value(u"sku"_s).toString() == item.sku);
            if (!sameKind) {
                return readOnlyMismatch(
                    where + u"line"_s,
                    u"%1: \u201cline\u201d is %2, but the order has no such line%3."_s.arg(
                        itemName, shown(fields.value(u"line"_s)),
                        item.sku.isEmpty() ? u" with an open-price item"_s
                                           : u" of SKU %1"_s.arg(item.sku)));
            }
        }
        std::optional<Cents> price = item.unitPriceCents;
        if (!item.sku.isEmpty()) {
            // A catalog item's name and price are the line's (as GET showed it) or, for a line
            // not on the order yet, the catalog's.
            std::optional<QJsonObject> shownLine = line;
            if (!shownLine) {
                for (const QJsonValue &candidate : storedLines) {
                    if (candidate.toObject().value(u"sku"_s).toString() == item.sku) {
                        shownLine = candidate.toObject();
                        break;
                    }
                }
            }
            std::optional<CatalogEntry> product;
            if (!shownLine) {
                const Checked<std::optional<CatalogEntry>> entry = catalog(item.sku);
                if (!entry)
                    return entry.refusal();
                product = *entry;
            }
            if (item.unitPriceCents) {
                // A product sold at an open price: the price entered is the item's own.
            } else if (shownLine) {
                price = shownLine->value(u"unitPriceCents"_s).toInteger();
            } else if (product) {
                price = product->priceCents;
            }
            if (fields.contains(u"name"_s)) {
                const QJsonValue expectedName =
                    shownLine ? shownLine->value(u"name"_s)
                              : (product ? QJsonValue(product->name) : QJsonValue());
                if (fields.value(u"name"_s) != expectedName) {
                    return readOnlyMismatch(where + u"name"_s,
                                            u"%1: \u201cname\u201d is %2, but SKU %3 is %4."_s.arg(
                                                itemName, shown(fields.value(u"name"_s)), item.sku,
                                                shown(expectedName)));
                }
            }
            if (fields.contains(u"unitPriceCents"_s) &&
                !(price && sameNumber(fields.value(u"unitPriceCents"_s), *price))) {
                return readOnlyMismatch(
                    where + u"unitPriceCents"_s,
                    u"%1: \u201cunitPriceCents\u201d is %2, but SKU %3 costs %4 cents."_s.arg(
                        itemName, shown(fields.value(u"unitPriceCents"_s)), item.sku,
                        price ? QString::number(*price) : u"(unknown)"_s));
            }
        }
        if (price)
            newTotal += *price * item.quantity;
        else
            newTotalKnown = false;
        if (fields.contains(u"totalCents"_s)) {
            // What GET showed for the line, or what the new quantity makes.
            const bool asShown = line && sameNumber(fields.value(u"totalCents"_s),
                                                    line->value(u"totalCents"_s).toInteger());
            const bool asNew =
                price && sameNumber(fields.value(u"totalCents"_s), *price * item.quantity);
            if (!asShown && !asNew) {
                return readOnlyMismatch(
                    where + u"totalCents"_s,
                    u"%1: \u201ctotalCents\u201d is %2, but qty \u00d7 unitPriceCents is %3."_s.arg(
                        itemName, shown(fields.value(u"totalCents"_s)),
                        price ? QString::number(*price * item.quantity) : u"unknown"_s));
            }
        }
        // A line's tax is the one it was added with: as GET showed it for that line. A new item
        // takes the tax that applies now, whatever the body says it would.
        // The same for its id, discount and price override (issue 14): as GET showed them.
        for (const QString &member :
             {u"taxCode"_s, u"taxRateBp"_s, u"priceIncludesTax"_s, u"lineId"_s, u"discount"_s,
              u"discountCents"_s, u"listPriceCents"_s, u"priceReason"_s}) {
            if (line && fields.contains(member) && fields.value(member) != line->value(member)) {
                return readOnlyMismatch(
                    where + member,
                    u"%1: \u201c%2\u201d is %3, but the line's is %4."_s.arg(
                        itemName, member, shown(fields.value(member)), shown(line->value(member))));
            }
        }
    }

    // The order's members: as GET returned them for this version; the total as it was or as
    // the new items make it.
    for (auto it = body.order.begin(); it != body.order.end(); ++it) {
        const QString &member = it.key();
        const QJsonValue &value = it.value();
        if (member == u"version"_s) {
            if (!sameNumber(value, version)) {
                return readOnlyMismatch(
                    member,
                    u"\u201cversion\u201d is %1, but If-Match names version %2."_s.arg(shown(value))
                        .arg(version));
            }
        } else if (member == u"total"_s) {
            const bool asShown = sameNumber(value, current.totalCents());
            const bool asNew = newTotalKnown && sameNumber(value, newTotal);
            if (!asShown && !asNew) {
                return readOnlyMismatch(
                    member,
                    u"\u201ctotal\u201d is %1, but the items add up to %2 cents."_s.arg(
                        shown(value), newTotalKnown ? QString::number(newTotal)
                                                    : QString::number(current.totalCents())));
            }
        } else if (value != stored.value(member)) {
            return readOnlyMismatch(member, u"\u201c%1\u201d is %2, but the order's is %3."_s.arg(
                                                member, shown(value), shown(stored.value(member))));
        }
    }
    return std::nullopt;
}

Checked<ItemSpec> addItemBody(const HttpRequest &request)
{
    const Checked<QJsonObject> body =
        objectBody(request, {u"sku"_s, u"qty"_s, u"name"_s, u"unitPriceCents"_s}, false);
    if (!body)
        return body.refusal();
    ItemSpec item;
    item.quantity = 1;
    if (body->contains(u"qty"_s)) {
        const Checked<qint64> quantity = wholeMember(*body, u"qty"_s, 1, Limits::maxQuantity);
        if (!quantity)
            return quantity.refusal();
        item.quantity = int(*quantity);
    }
    if (body->contains(u"sku"_s)) {
        if (body->contains(u"name"_s)) {
            return HttpResponse::error(
                422, u"invalid_input"_s,
                u"An item has a \u201csku\u201d (catalog) or a \u201cname\u201d and "
                "\u201cunitPriceCents\u201d (open price), not both."_s);
        }
        const Checked<QString> sku = stringMember(*body, u"sku"_s, Limits::maxSkuLength);
        if (!sku)
            return sku.refusal();
        item.sku = *sku;
    } else {
        if (!body->contains(u"name"_s) || !body->contains(u"unitPriceCents"_s)) {
            return HttpResponse::error(
                422, u"invalid_input"_s,
                u"An item needs a \u201csku\u201d, or a \u201cname\u201d and "
                "\u201cunitPriceCents\u201d."_s);
        }
        const Checked<QString> name = stringMember(*body, u"name"_s, Limits::maxProductNameLength);
        if (!name)
            return name.refusal();
        item.name = *name;
    }
    // The price entered: an open-price item's (required above), or a catalog product's sold at
    // an open price (refused for a fixed-price product by OrderService::addProduct).
    if (body->contains(u"unitPriceCents"_s)) {
        const Checked<qint64> price =
            wholeMember(*body, u"unitPriceCents"_s, 0, Limits::maxPriceCents);
        if (!price)
            return price.refusal();
        item.unitPriceCents = *price;
    }
    return item;
}

Checked<PaymentRequest> paymentBody(const HttpRequest &request)
{
    const Checked<QJsonObject> body = objectBody(request, {u"method"_s, u"tenderedCents"_s}, false);
    if (!body)
        return body.refusal();
    const Checked<QString> methodName = stringMember(*body, u"method"_s, 16);
    if (!methodName)
        return methodName.refusal();
    const std::optional<PaymentMethod> method = paymentMethodFromString(*methodName);
    if (!method) {
        return HttpResponse::error(422, u"invalid_input"_s,
                                   u"\u201cmethod\u201d is cash or card."_s);
    }
    const Checked<qint64> tendered =
        wholeMember(*body, u"tenderedCents"_s, 0, Limits::maxTenderCents);
    if (!tendered)
        return tendered.refusal();
    return PaymentRequest{*method, *tendered};
}

Checked<TenderBody> tenderBody(const HttpRequest &request)
{
    const Checked<QJsonObject> body =
        objectBody(request, {u"method"_s, u"amountCents"_s, u"tenderedCents"_s, u"label"_s}, false);
    if (!body)
        return body.refusal();
    const Checked<QString> methodName = stringMember(*body, u"method"_s, 16);
    if (!methodName)
        return methodName.refusal();
    const std::optional<PaymentMethod> method = paymentMethodFromString(*methodName);
    if (!method) {
        return HttpResponse::error(422, u"invalid_input"_s,
                                   u"\u201cmethod\u201d is cash, card or other."_s);
    }
    TenderBody tender;
    tender.payment.method = *method;
    if (body->contains(u"amountCents"_s)) {
        const Checked<qint64> amount =
            wholeMember(*body, u"amountCents"_s, 1, Limits::maxTenderCents);
        if (!amount)
            return amount.refusal();
        tender.payment.amountCents = *amount;
    }
    if (body->contains(u"tenderedCents"_s)) {
        const Checked<qint64> tendered =
            wholeMember(*body, u"tenderedCents"_s, 0, Limits::maxTenderCents);
        if (!tendered)
            return tendered.refusal();
        tender.payment.tenderedCents = *tendered;
        tender.tenderedGiven = true;
    } else if (*method == PaymentMethod::Cash) {
        return HttpResponse::error(
            422, u"invalid_input"_s,
            u"\u201ctenderedCents\u201d: a cash payment needs the amount handed over."_s);
    } else if (tender.payment.amountCents) {
        tender.payment.tenderedCents = *tender.payment.amountCents;
        tender.tenderedGiven = true;
    }
    if (body->contains(u"label"_s)) {
        const Checked<QString> label = stringMember(*body, u"label"_s, 60);
        if (!label)
            return label.refusal();
        tender.payment.label = *label;
    }
    if (*method == PaymentMethod::Other && tender.payment.label.trimmed().isEmpty()) {
        return HttpResponse::error(
            422, u"invalid_input"_s,
            u"\u201clabel\u201d: an \u201cother\u201d payment needs a label (e.g. Voucher)."_s);
    }
    if (*method != PaymentMethod::Other && body->contains(u"label"_s)) {
        return HttpResponse::error(
            422, u"invalid_input"_s,
            u"\u201clabel\u201d: only an \u201cother\u201d payment has a label."_s);
    }
    return tender;
}

Checked<DiscountBody> discountBody(const HttpRequest &request)
{
    const Checked<QJsonObject> body = objectBody(
        request,
        {u"scope"_s, u"lineId"_s, u"percentBp"_s, u"amountCents"_s, u"reason"_s, u"approver"_s},
        false);
    if (!body)
        return body.refusal();
    DiscountBody discount;
    const Checked<std::optional<Approver>> approver = approverMember(*body);
    if (!approver)
        return approver.refusal();
    discount.approver = *approver;
    const Checked<QString> scope = stringMember(*body, u"scope"_s, 8);
    if (!scope)
        return scope.refusal();
    if (*scope != u"line"_s && *scope != u"order"_s) {
        return HttpResponse::error(422, u"invalid_input"_s,
                                   u"\u201cscope\u201d is line or order."_s);
    }
    discount.wholeOrder = *scope == u"order"_s;
    if (discount.wholeOrder && body->contains(u"lineId"_s)) {
        return HttpResponse::error(
            422, u"invalid_input"_s,
            u"\u201clineId\u201d: an order discount is not on a line; leave it out."_s);
    }
    if (!discount.wholeOrder) {
        const QJsonValue line = body->value(u"lineId"_s);
        if (line.isDouble()) {
            const Checked<qint64> number = wholeMember(*body, u"lineId"_s, 1, 1000000000);
            if (!number)
                return number.refusal();
            discount.line = QString::number(*number);
        } else if (line.isString() && !line.toString().isEmpty()) {
            const Checked<QString> lineId = stringMember(*body, u"lineId"_s, 64);
            if (!lineId)
                return lineId.refusal();
            discount.line = *lineId;
        } else {
            return HttpResponse::error(
                422, u"invalid_input"_s,
                u"\u201clineId\u201d: a line discount names its line (its lineId, or its line "
                "number)."_s);
        }
    }
    const bool percent = body->contains(u"percentBp"_s);
    if (percent == body->contains(u"amountCents"_s)) {
        return HttpResponse::error(
            422, u"invalid_input"_s,
            u"A discount is \u201cpercentBp\u201d (1000 = 10 %) or \u201camountCents\u201d, one of "
            "the two (0 removes it)."_s);
    }
    const Checked<qint64> value =
        percent ? wholeMember(*body, u"percentBp"_s, 0, 10000)
                : wholeMember(*body, u"amountCents"_s, 0, Limits::maxTenderCents);
    if (!value)
        return value.refusal();
    if (*value > 0) {
        discount.discount.kind = percent ? DiscountKind::Percent : DiscountKind::Amount;
        discount.discount.value = *value;
        if (body->contains(u"reason"_s)) {
            const Checked<QString> reason = stringMember(*body, u"reason"_s, 200);
            if (!reason)
                return reason.refusal();
            discount.discount.reason = reason->trimmed();
        }
        if (discount.discount.reason.isEmpty()) {
            return HttpResponse::error(
                422, u"invalid_input"_s,
                u"\u201creason\u201d: a discount needs a reason of 1 to 200 characters."_s);
        }
    }
    return discount;
}

Checked<PriceBody> priceBody(const HttpRequest &request)
{
    const Checked<QJsonObject> body =
        objectBody(request, {u"unitPriceCents"_s, u"reason"_s, u"approver"_s}, false);
    if (!body)
        return body.refusal();
    if (!body->contains(u"unitPriceCents"_s)) {
        return HttpResponse::error(422, u"invalid_input"_s,
                                   u"\u201cunitPriceCents\u201d: the new price is needed."_s);
    }
    PriceBody price;
    const Checked<std::optional<Approver>> approver = approverMember(*body);
    if (!approver)
        return approver.refusal();
    price.approver = *approver;
    const Checked<qint64> unitPrice =
        wholeMember(*body, u"unitPriceCents"_s, 0, Limits::maxPriceCents);
    if (!unitPrice)
        return unitPrice.refusal();
    price.unitPriceCents = *unitPrice;
    if (body->contains(u"reason"_s)) {
        const Checked<QString> reason = stringMember(*body, u"reason"_s, 200);
        if (!reason)
            return reason.refusal();
        price.reason = reason->trimmed();
    }
    if (price.reason.isEmpty()) {
        return HttpResponse::error(
            422, u"invalid_input"_s,
            u"\u201creason\u201d: a price override needs a reason of 1 to 200 characters."_s);
    }
    return price;
}

Checked<std::optional<Approver>> approverMember(const QJsonObject &body)
{
    if (!body.contains(u"approver"_s))
        return std::optional<Approver>();
    const QJsonValue value = body.value(u"approver"_s);
    const QJsonObject approver = value.toObject();
    const auto malformed = [] {
        return HttpResponse::error(
            422, u"invalid_input"_s,
            u"\u201capprover\u201d is {\"name\": the approving manager's name, \"pin\": their "
            "PIN}."_s);
    };
    if (!value.isObject() || approver.size() != 2 || !approver.value(u"name"_s).isString() ||
        !approver.value(u"pin"_s).isString())
        return malformed();
    const QString name = approver.value(u"name"_s).toString().trimmed();
    const QString pin = approver.value(u"pin"_s).toString();
    if (name.isEmpty() || name.size() > Limits::maxNameLength || pin.isEmpty() || pin.size() > 64)
        return malformed();
    return std::optional<Approver>(Approver{name, pin});
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
