#include "Json.h"

#include "Tax.h"

#include "Clock.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QSqlQuery>
#include <QSqlRecord>

#include <QCborValue>
#include <QLocale>

#include <simdjson.h>

#include <charconv>
#include <cmath>
#include <limits>

using namespace Qt::StringLiterals;

namespace SafeTill {

QJsonValue timeOrNull(const QDateTime &time)
{
    return time.isValid() ? QJsonValue(toStorageTime(time)) : QJsonValue(QJsonValue::Null);
}

QJsonValue textOrNull(const QString &text)
{
    return text.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(text);
}

std::optional<qint64> wholeNumber(const QJsonValue &value, qint64 min, qint64 max)
{
    if (!value.isDouble())
        return std::nullopt;
    const double number = value.toDouble();
    if (!std::isfinite(number) || std::trunc(number) != number || number < double(min) ||
        number > double(max))
        return std::nullopt;
    return qint64(number);
}

QJsonArray rowsToJson(QSqlQuery &query)
{
    const QSqlRecord columns = query.record();
    QJsonArray rows;
    while (query.next()) {
        QJsonObject row;
        for (int i = 0; i < columns.count(); ++i)
            row.insert(columns.fieldName(i), QJsonValue::fromVariant(query.value(i)));
        rows.append(row);
    }
    query.finish();
    return rows;
}

QJsonValue toJson(const Discount &discount)
{
    if (discount.isNone())
        return QJsonValue(QJsonValue::Null);
    return QJsonObject{{u"kind"_s, toString(discount.kind)},
                       {u"value"_s, discount.value},
                       {u"reason"_s, discount.reason},
                       {u"by"_s, textOrNull(discount.byCashierId)}};
}

namespace {

QJsonObject lineJson(const OrderLine &line, bool forSync)
{
    QJsonObject json{
        {u"line"_s, line.lineNo},
        {u"sku"_s, textOrNull(line.sku)},
        {u"name"_s, line.name},
        {u"unit_price_cents"_s, line.unitPriceCents},
        {u"qty"_s, line.quantity},
        {u"line_id"_s, line.lineId},
        {u"tax_code"_s, line.taxCode},
        {u"tax_rate_bp"_s, line.taxRateBp},
        {u"price_includes_tax"_s, line.priceIncludesTax},
    };
    // Only when there is one (issue 14), so a plain line keeps the shape the PostgreSQL write
    // functions build and older readers know.
    if (!line.discount.isNone()) {
        json.insert(u"discount"_s, toJson(line.discount));
        json.insert(u"discount_cents"_s, line.discountCents());
    }
    if (line.listPriceCents) {
        json.insert(u"list_price_cents"_s, *line.listPriceCents);
        json.insert(u"price_reason"_s, line.priceReason);
    }
    if (!forSync)
        json.insert(u"total_cents"_s, line.totalCents());
    return json;
}

} // namespace

QJsonObject toJson(const OrderLine &line)
{
    return lineJson(line, false);
}

QJsonObject toJson(const Payment &payment)
{
    QJsonObject json{
        {u"id"_s, payment.id},
        {u"order_id"_s, textOrNull(payment.orderId)},
        {u"tab_id"_s, textOrNull(payment.tabId)},
        {u"method"_s, toString(payment.method)},
        {u"amount_cents"_s, payment.amountCents},
        {u"tendered_cents"_s, payment.tenderedCents},
        {u"change_cents"_s, payment.changeCents},
        {u"receipt_no"_s, textOrNull(payment.receiptNo)},
        {u"paid_at"_s, timeOrNull(payment.paidAt)},
        {u"kind"_s, toString(payment.kind)},
        {u"due_cents"_s, payment.dueCents},
        {u"paid_version"_s, payment.paidVersion},
        {u"terminal_id"_s, payment.terminalId},
        {u"cashier_id"_s, textOrNull(payment.cashierId)},
    };
    if (!payment.label.isEmpty())
        json.insert(u"label"_s, payment.label);
    if (payment.roundingCents != 0)
        json.insert(u"rounding_cents"_s, payment.roundingCents);
    // The shift of its terminal it was booked in (sync protocol 5: the server books the till's
    // payment in the till's shift); absent when none.
    if (!payment.shiftId.isEmpty())
        json.insert(u"shift_id"_s, payment.shiftId);
    return json;
}

namespace {

// An order's JSON; for sync (docs/sync-protocol.md 5.1) without what the server does not read:
// the cashier's name, the totals, the payments list and the terminal (built without them rather
// than built and trimmed: every action writes one, bench/README.md "Issue 14" measured the cost).
QJsonObject orderJson(const Order &order, bool forSync)
{
    QJsonArray lines;
    for (const OrderLine &line : order.lines)
        lines.append(lineJson(line, forSync));
    QJsonObject json{
        {u"id"_s, order.id},
        {u"cashier_id"_s, order.cashierId},
        {u"status"_s, toString(order.status)},
        {u"version"_s, order.version},
        {u"lines"_s, lines},
        {u"tab_id"_s, textOrNull(order.tabId)},
        {u"tab"_s, textOrNull(order.tabName)},
        {u"receipt_no"_s, textOrNull(order.receiptNo)},
        {u"created_at"_s, timeOrNull(order.createdAt)},
        {u"updated_at"_s, timeOrNull(order.updatedAt)},
        {u"logout_time"_s, timeOrNull(order.logoutTime)},
        {u"completed_at"_s, timeOrNull(order.completedAt)},
    };
    json.insert(u"payment"_s,
                order.payment ? QJsonValue(toJson(*order.payment)) : QJsonValue(QJsonValue::Null));
    if (!forSync) {
        json.insert(u"cashier"_s, order.cashierName);
        json.insert(u"total_cents"_s, order.totalCents());
        QJsonArray payments;
        for (const Payment &payment : order.payments)
            payments.append(toJson(payment));
        json.insert(u"payments"_s, payments);
        json.insert(u"terminal_id"_s, order.terminalId);
    }
    if (!order.discount.isNone())
        json.insert(u"discount"_s, toJson(order.discount));
    return json;
}

} // namespace

QJsonObject toJson(const Order &order)
{
    return orderJson(order, false);
}

QJsonObject toSyncJson(const Order &order)
{
    return orderJson(order, true);
}

QJsonObject presentedDiscount(const Discount &discount)
{
    return QJsonObject{
        {u"kind"_s, toString(discount.kind)},
        {discount.kind == DiscountKind::Percent ? u"percentBp"_s : u"valueCents"_s, discount.value},
        {u"reason"_s, discount.reason},
        {u"by"_s, textOrNull(discount.byCashierId)}};
}

QJsonArray discountRows(const Order &order, const TaxTable &taxes)
{
    QJsonArray discounts;
    for (const OrderLine &line : order.lines) {
        if (line.discount.isNone())
            continue;
        QJsonObject row = presentedDiscount(line.discount);
        row.insert(u"amountCents"_s, line.discountCents());
        row.insert(u"scope"_s, u"line"_s);
        row.insert(u"lineId"_s, line.lineId);
        row.insert(u"line"_s, line.lineNo);
        discounts.append(row);
    }
    if (!order.discount.isNone()) {
        QJsonObject row = presentedDiscount(order.discount);
        row.insert(u"amountCents"_s, taxes.orderDiscountCents);
        row.insert(u"scope"_s, u"order"_s);
        discounts.append(row);
    }
    return discounts;
}

QJsonObject toPresentedJson(const Order &order)
{
    QJsonObject json = toJson(order);
    const TaxTable taxes = taxTable(order.lines, order.discount);
    json.insert(u"taxes"_s, toJson(taxes));
    json.insert(u"currency"_s, textOrNull(order.currency));
    // Issue 14's names: every discount with what it took off, and what is left to pay.
    json.insert(u"discounts"_s, discountRows(order, taxes));
    json.insert(u"paidCents"_s, order.paidCents());
    json.insert(u"balanceCents"_s, order.totalCents() - order.paidCents());
    return json;
}

QJsonArray toJson(const TaxTable &table)
{
    // The member names of issue 14's API (camelCase inside this array, in the CLI's JSON too).
    QJsonArray rows;
    for (const TaxLine &row : table.rows) {
        rows.append(QJsonObject{{u"code"_s, row.code},
                                {u"rateBp"_s, row.rateBp},
                                {u"netCents"_s, row.netCents},
                                {u"taxCents"_s, row.taxCents},
                                {u"grossCents"_s, row.grossCents}});
    }
    return rows;
}

QJsonObject toJson(const Tab &tab)
{
    QJsonArray orders;
    for (const Order &order : tab.orders)
        orders.append(toJson(order));
    QJsonObject json{
        {u"id"_s, tab.id},
        {u"name"_s, tab.name},
        {u"status"_s, toString(tab.status)},
        {u"version"_s, tab.version},
        {u"receipt_no"_s, textOrNull(tab.receiptNo)},
        {u"created_at"_s, timeOrNull(tab.createdAt)},
        {u"settled_at"_s, timeOrNull(tab.settledAt)},
        {u"order_count"_s, int(tab.orders.size())},
        {u"total_cents"_s, tab.totalCents()},
        {u"orders"_s, orders},
    };
    json.insert(u"payment"_s,
                tab.payment ? QJsonValue(toJson(*tab.payment)) : QJsonValue(QJsonValue::Null));
    if (!tab.payments.isEmpty()) {
        QJsonArray payments;
        for (const Payment &payment : tab.payments)
            payments.append(toJson(payment));
        json.insert(u"payments"_s, payments);
        json.insert(u"balance_cents"_s, tab.balanceCents());
    }
    return json;
}

QJsonObject toJson(const Cashier &cashier)
{
    return {
        {u"id"_s, cashier.id},
        {u"name"_s, cashier.name},
        {u"role"_s, toString(cashier.role)},
        {u"created_at"_s, timeOrNull(cashier.createdAt)},
    };
}

QJsonObject toJson(const Product &product)
{
    return {
        {u"sku"_s, product.sku},
        {u"name"_s, product.name},
        {u"price_cents"_s, product.priceCents},
        {u"category"_s, product.category},
    };
}

QJsonObject toJson(const HistoryEntry &entry)
{
    return {
        {u"id"_s, entry.id},
        {u"order_id"_s, entry.orderId},
        {u"at"_s, timeOrNull(entry.at)},
        {u"cashier_id"_s, textOrNull(entry.cashierId)},
        {u"action"_s, entry.action},
        {u"from_version"_s,
         entry.fromVersion ? QJsonValue(*entry.fromVersion) : QJsonValue(QJsonValue::Null)},
        {u"to_version"_s, entry.toVersion},
        {u"from_status"_s, textOrNull(entry.fromStatus)},
        {u"to_status"_s, entry.toStatus},
        {u"detail"_s, entry.detail},
        {u"request_id"_s, entry.requestId},
    };
}

// ---- Orders and tabs read back (see Json.h) ----
//
// With simdjson's DOM parser: QJsonDocument's parser and QJsonObject's lookups by key were two
// thirds of the server's instructions for a replace's answer (bench/README.md, "results read with
// simdjson"). The rules are QJsonValue's: a missing member, or one of another type, reads as the
// default (empty text, 0, the stated default), and unknown members are ignored.

namespace {

using JsonElement = simdjson::dom::element;
using simdjson::dom::element_type;

QString textOf(JsonElement value)
{
    std::string_view text;
    if (value.get_string().get(text) != simdjson::SUCCESS)
        return {};
    return QString::fromUtf8(text.data(), qsizetype(text.size()));
}

// A whole number, as QJsonValue::toInteger: an integer, or a double without a fraction in range.
qint64 integerOf(JsonElement value, qint64 otherwise = 0)
{
    if (value.type() == element_type::INT64)
        return value.get_int64().value_unsafe();
    if (value.type() == element_type::DOUBLE) {
        const double number = value.get_double().value_unsafe();
        if (std::trunc(number) == number && number >= -9.2e18 && number <= 9.2e18)
            return qint64(number);
    }
    return otherwise;
}

// QJsonValue::toInt: a whole number that fits an int, else 0.
int intOf(JsonElement value)
{
    const qint64 number = integerOf(value, 0);
    return number >= std::numeric_limits<int>::min() && number <= std::numeric_limits<int>::max()
               ? int(number)
               : 0;
}

// QJsonValue::toBool(otherwise).
bool boolOf(JsonElement value, bool otherwise)
{
    bool flag = otherwise;
    return value.get_bool().get(flag) == simdjson::SUCCESS ? flag : otherwise;
}

bool isNumber(JsonElement value)
{
    const element_type type = value.type();
    return type == element_type::INT64 || type == element_type::UINT64 ||
           type == element_type::DOUBLE;
}

// Calls read(key, value) for every member of `value` if it is an object; false if it is not.
template<typename Read> bool forEachMember(JsonElement value, Read &&read)
{
    simdjson::dom::object object;
    if (value.get_object().get(object) != simdjson::SUCCESS)
        return false;
    for (const simdjson::dom::key_value_pair member : object)
        read(member.key, member.value);
    return true;
}

template<typename Read> void forEachElement(JsonElement value, Read &&read)
{
    simdjson::dom::array array;
    if (value.get_array().get(array) != simdjson::SUCCESS)
        return;
    for (const JsonElement element : array)
        read(element);
}

Discount discountOf(JsonElement value)
{
    Discount discount;
    QString kind;
    forEachMember(value, [&](std::string_view key, JsonElement member) {
        if (key == "kind")
            kind = textOf(member);
        else if (key == "value")
            discount.value = integerOf(member);
        else if (key == "reason")
            discount.reason = textOf(member);
        else if (key == "by")
            discount.byCashierId = textOf(member);
    });
    discount.kind = discountKindFromString(kind).value_or(DiscountKind::None);
    return discount.isNone() ? Discount{} : discount;
}

std::optional<Payment> paymentOf(JsonElement value)
{
    Payment payment;
    std::optional<qint64> due;
    QString method;
    QString kind;
    const bool isObject = forEachMember(value, [&](std::string_view key, JsonElement member) {
        if (key == "id")
            payment.id = textOf(member);
        else if (key == "order_id")
            payment.orderId = textOf(member);
        else if (key == "tab_id")
            payment.tabId = textOf(member);
        else if (key == "method")
            method = textOf(member);
        else if (key == "amount_cents")
            payment.amountCents = integerOf(member);
        else if (key == "tendered_cents")
            payment.tenderedCents = integerOf(member);
        else if (key == "change_cents")
            payment.changeCents = integerOf(member);
        else if (key == "receipt_no")
            payment.receiptNo = textOf(member);
        else if (key == "label")
            payment.label = textOf(member);
        else if (key == "rounding_cents")
            payment.roundingCents = integerOf(member);
        else if (key == "paid_at")
            payment.paidAt = fromStorageTime(textOf(member));
        else if (key == "kind")
            kind = textOf(member);
        else if (key == "due_cents" && isNumber(member))
            due = integerOf(member);
        else if (key == "paid_version")
            payment.paidVersion = intOf(member);
        else if (key == "terminal_id")
            payment.terminalId = textOf(member);
        else if (key == "cashier_id")
            payment.cashierId = textOf(member);
        else if (key == "shift_id")
            payment.shiftId = textOf(member);
    });
    if (!isObject)
        return std::nullopt;
    payment.method = paymentMethodFromString(method).value_or(PaymentMethod::Cash);
    payment.kind = paymentKindFromString(kind).value_or(PaymentKind::Sale);
    payment.dueCents = due.value_or(payment.amountCents);
    return payment;
}

void appendPaymentsOf(QList<Payment> &to, JsonElement value)
{
    forEachElement(value, [&](JsonElement element) {
        if (std::optional<Payment> payment = paymentOf(element))
            to.append(std::move(*payment));
    });
}

OrderLine lineOf(JsonElement value)
{
    OrderLine line;
    std::optional<qint64> listPrice;
    QString priceReason;
    forEachMember(value, [&](std::string_view key, JsonElement member) {
        if (key == "line")
            line.lineNo = intOf(member);
        else if (key == "sku")
            line.sku = textOf(member);
        else if (key == "name")
            line.name = textOf(member);
        else if (key == "unit_price_cents")
            line.unitPriceCents = integerOf(member);
        else if (key == "qty")
            line.quantity = intOf(member);
        else if (key == "line_id")
            line.lineId = textOf(member);
        else if (key == "tax_code")
            line.taxCode = textOf(member);
        else if (key == "tax_rate_bp")
            line.taxRateBp = intOf(member);
        else if (key == "price_includes_tax")
            line.priceIncludesTax = boolOf(member, true);
        else if (key == "discount")
            line.discount = discountOf(member);
        else if (key == "list_price_cents" && isNumber(member))
            listPrice = integerOf(member);
        else if (key == "price_reason")
            priceReason = textOf(member);
    });
    if (listPrice) {
        line.listPriceCents = *listPrice;
        line.priceReason = priceReason;
    }
    return line;
}

std::optional<Order> orderOf(JsonElement value)
{
    Order order;
    QString status;
    bool hasId = false;
    forEachMember(value, [&](std::string_view key, JsonElement member) {
        if (key == "id") {
            hasId = member.type() == element_type::STRING;
            order.id = textOf(member);
        } else if (key == "cashier_id") {
            order.cashierId = textOf(member);
        } else if (key == "cashier") {
            order.cashierName = textOf(member);
        } else if (key == "status") {
            status = textOf(member);
        } else if (key == "version") {
            order.version = intOf(member);
        } else if (key == "lines") {
            forEachElement(member, [&](JsonElement line) { order.lines.append(lineOf(line)); });
        } else if (key == "tab_id") {
            order.tabId = textOf(member);
        } else if (key == "tab") {
            order.tabName = textOf(member);
        } else if (key == "receipt_no") {
            order.receiptNo = textOf(member);
        } else if (key == "created_at") {
            order.createdAt = fromStorageTime(textOf(member));
        } else if (key == "updated_at") {
            order.updatedAt = fromStorageTime(textOf(member));
        } else if (key == "logout_time") {
            order.logoutTime = fromStorageTime(textOf(member));
        } else if (key == "completed_at") {
            order.completedAt = fromStorageTime(textOf(member));
        } else if (key == "currency") {
            order.currency = textOf(member);
        } else if (key == "payment") {
            order.payment = paymentOf(member);
        } else if (key == "payments") {
            appendPaymentsOf(order.payments, member);
        } else if (key == "terminal_id") {
            order.terminalId = textOf(member);
        } else if (key == "discount") {
            order.discount = discountOf(member);
        }
    });
    const std::optional<OrderStatus> parsed = orderStatusFromString(status);
    if (!parsed || !hasId)
        return std::nullopt;
    order.status = *parsed;
    return order;
}

std::optional<Tab> tabOf(JsonElement value)
{
    Tab tab;
    QString status;
    bool hasId = false;
    forEachMember(value, [&](std::string_view key, JsonElement member) {
        if (key == "id") {
            hasId = member.type() == element_type::STRING;
            tab.id = textOf(member);
        } else if (key == "name") {
            tab.name = textOf(member);
        } else if (key == "status") {
            status = textOf(member);
        } else if (key == "version") {
            tab.version = intOf(member);
        } else if (key == "receipt_no") {
            tab.receiptNo = textOf(member);
        } else if (key == "created_at") {
            tab.createdAt = fromStorageTime(textOf(member));
        } else if (key == "settled_at") {
            tab.settledAt = fromStorageTime(textOf(member));
        } else if (key == "orders") {
            forEachElement(member, [&](JsonElement element) {
                if (std::optional<Order> order = orderOf(element))
                    tab.orders.append(std::move(*order));
            });
        } else if (key == "payment") {
            tab.payment = paymentOf(member);
        } else if (key == "payments") {
            appendPaymentsOf(tab.payments, member);
        }
    });
    const std::optional<TabStatus> parsed = tabStatusFromString(status);
    if (!parsed || !hasId)
        return std::nullopt;
    tab.status = *parsed;
    return tab;
}

// The UTF-16 unit of the \u escape at `at` (a backslash), or -1 if there is none there. Qt's
// number parsing also takes a sign or spaces, but only four hex digits make a surrogate, the one
// thing the caller acts on.
int escapedUnit(QByteArrayView json, qsizetype at)
{
    if (at + 6 > json.size() || json.at(at) != '\\' || json.at(at + 1) != 'u')
        return -1;
    bool ok = false;
    const ushort unit = json.sliced(at + 2, 4).toUShort(&ok, 16);
    return ok ? int(unit) : -1;
}

// `json` with every \u escape of a lone UTF-16 surrogate written as \ufffd. Qt's JSON writer, and
// appendJsonString, write a QString's lone surrogate so, and simdjson refuses it as text that is
// not Unicode. It reads as U+FFFD, as such text already does when converted to UTF-8 to be stored
// in a column. A backslash only starts an escape inside a string, so one pass finds them all.
QByteArray withLoneSurrogatesReplaced(QByteArrayView json)
{
    QByteArray out;
    out.reserve(json.size());
    for (qsizetype i = 0; i < json.size();) {
        if (json.at(i) != '\\') {
            out += json.at(i++);
            continue;
        }
        const int unit = escapedUnit(json, i);
        if (unit < 0 || !QChar::isSurrogate(char16_t(unit))) {
            const qsizetype length = unit < 0 ? 2 : 6; // the backslash and what it escapes
            out += json.sliced(i, std::min(length, json.size() - i));
            i += length;
            continue;
        }
        const int next = escapedUnit(json, i + 6);
        if (QChar::isHighSurrogate(char16_t(unit)) && next >= 0 &&
            QChar::isLowSurrogate(char16_t(next))) {
            out += json.sliced(i, 12);
            i += 12;
        } else {
            out += "\\ufffd";
            i += 6;
        }
    }
    return out;
}

// Parses `json` with this thread's parser (a simdjson parser is for one thread at a time and
// keeps its buffers between documents) and reads the document with `read`.
template<typename T, typename Read> std::optional<T> parsed(QByteArrayView json, Read &&read)
{
    thread_local simdjson::dom::parser parser;
    JsonElement document;
    simdjson::error_code error = parser.parse(json.data(), size_t(json.size())).get(document);
    QByteArray replaced;
    if (error == simdjson::STRING_ERROR) {
        replaced = withLoneSurrogatesReplaced(json);
        error = parser.parse(replaced.constData(), size_t(replaced.size())).get(document);
    }
    if (error != simdjson::SUCCESS)
        return std::nullopt;
    return read(document);
}

} // namespace

std::optional<Order> orderFromJsonText(QByteArrayView json)
{
    return parsed<Order>(json, orderOf);
}

std::optional<Order> orderFromJson(const QJsonObject &json)
{
    return orderFromJsonText(QJsonDocument(json).toJson(QJsonDocument::Compact));
}

std::optional<Tab> tabFromJson(const QJsonObject &json)
{
    return parsed<Tab>(QJsonDocument(json).toJson(QJsonDocument::Compact), tabOf);
}

// ---- Compact JSON written directly (see Json.h) ----
//
// Each function below writes what QJsonDocument's compact writer (qjsonwriter.cpp) writes for the
// same QJsonValue. The fixed shapes (orders, lines, payments, discounts) write their members in
// the order QJsonObject keeps them, sorted by key; tests/tst_json compares every shape, and the
// stored results and outbox ops of real actions, with Qt's own output.

namespace {

char hexDigit(unsigned value)
{
    return char(value < 10 ? '0' + value : 'a' + value - 10);
}

char *writeEscapedUnit(char *to, char16_t unit)
{
    *to++ = '\\';
    *to++ = 'u';
    *to++ = hexDigit((unit >> 12) & 0xf);
    *to++ = hexDigit((unit >> 8) & 0xf);
    *to++ = hexDigit((unit >> 4) & 0xf);
    *to++ = hexDigit(unit & 0xf);
    return to;
}

} // namespace

void appendJsonString(QByteArray &out, QStringView text)
{
    // Written into room for the longest outcome (6 bytes per UTF-16 unit, for \u0001) and cut to
    // what was written: one size check for the whole string, not one per byte.
    const qsizetype start = out.size();
    out.resize(start + 6 * text.size() + 2);
    char *to = out.data() + start;
    *to++ = '"';
    const char16_t *src = text.utf16();
    const char16_t *const end = src + text.size();
    while (src != end) {
        const char16_t unit = *src++;
        if (unit < 0x80) {
            if (unit >= 0x20 && unit != u'"' && unit != u'\\') {
                *to++ = char(unit);
                continue;
            }
            *to++ = '\\';
            switch (unit) {
            case u'"':
                *to++ = '"';
                break;
            case u'\\':
                *to++ = '\\';
                break;
            case 0x8:
                *to++ = 'b';
                break;
            case 0xc:
                *to++ = 'f';
                break;
            case 0xa:
                *to++ = 'n';
                break;
            case 0xd:
                *to++ = 'r';
                break;
            case 0x9:
                *to++ = 't';
                break;
            default:
                *to++ = 'u';
                *to++ = '0';
                *to++ = '0';
                *to++ = hexDigit(unit >> 4);
                *to++ = hexDigit(unit & 0xf);
            }
        } else if (unit < 0x800) {
            *to++ = char(0xc0 | (unit >> 6));
            *to++ = char(0x80 | (unit & 0x3f));
        } else if (!QChar::isSurrogate(unit)) {
            *to++ = char(0xe0 | (unit >> 12));
            *to++ = char(0x80 | ((unit >> 6) & 0x3f));
            *to++ = char(0x80 | (unit & 0x3f));
        } else if (QChar::isHighSurrogate(unit) && src != end && QChar::isLowSurrogate(*src)) {
            const char32_t point = QChar::surrogateToUcs4(unit, *src++);
            *to++ = char(0xf0 | (point >> 18));
            *to++ = char(0x80 | ((point >> 12) & 0x3f));
            *to++ = char(0x80 | ((point >> 6) & 0x3f));
            *to++ = char(0x80 | (point & 0x3f));
        } else {
            // A lone surrogate is not UTF-8: Qt writes it as an escape sequence.
            to = writeEscapedUnit(to, unit);
        }
    }
    *to++ = '"';
    out.truncate(to - out.constData());
}

void appendJsonInteger(QByteArray &out, qint64 value)
{
    char digits[24];
    const std::to_chars_result end = std::to_chars(digits, digits + sizeof digits, value);
    out.append(digits, end.ptr - digits);
}

void appendJsonTextOrNull(QByteArray &out, const QString &text)
{
    if (text.isEmpty())
        out += "null";
    else
        appendJsonString(out, text);
}

void appendJsonTimeOrNull(QByteArray &out, const QDateTime &time)
{
    if (time.isValid())
        appendJsonString(out, toStorageTime(time));
    else
        out += "null";
}

namespace {

void appendDiscount(QByteArray &out, const Discount &discount)
{
    if (discount.isNone()) {
        out += "null";
        return;
    }
    CompactObjectWriter json(out);
    json.textOrNull("by", discount.byCashierId);
    json.text("kind", toString(discount.kind));
    json.text("reason", discount.reason);
    json.integer("value", discount.value);
}

// lineJson(line, forSync)
void appendLine(QByteArray &out, const OrderLine &line, bool forSync)
{
    CompactObjectWriter json(out);
    if (!line.discount.isNone()) {
        appendDiscount(json.key("discount"), line.discount);
        json.integer("discount_cents", line.discountCents());
    }
    json.integer("line", line.lineNo);
    json.text("line_id", line.lineId);
    if (line.listPriceCents)
        json.integer("list_price_cents", *line.listPriceCents);
    json.text("name", line.name);
    json.boolean("price_includes_tax", line.priceIncludesTax);
    if (line.listPriceCents)
        json.text("price_reason", line.priceReason);
    json.integer("qty", line.quantity);
    json.textOrNull("sku", line.sku);
    json.text("tax_code", line.taxCode);
    json.integer("tax_rate_bp", line.taxRateBp);
    if (!forSync)
        json.integer("total_cents", line.totalCents());
    json.integer("unit_price_cents", line.unitPriceCents);
}

// toJson(payment)
void appendPayment(QByteArray &out, const Payment &payment)
{
    CompactObjectWriter json(out);
    json.integer("amount_cents", payment.amountCents);
    json.textOrNull("cashier_id", payment.cashierId);
    json.integer("change_cents", payment.changeCents);
    json.integer("due_cents", payment.dueCents);
    json.text("id", payment.id);
    json.text("kind", toString(payment.kind));
    if (!payment.label.isEmpty())
        json.text("label", payment.label);
    json.text("method", toString(payment.method));
    json.textOrNull("order_id", payment.orderId);
    json.time("paid_at", payment.paidAt);
    json.integer("paid_version", payment.paidVersion);
    json.textOrNull("receipt_no", payment.receiptNo);
    if (payment.roundingCents != 0)
        json.integer("rounding_cents", payment.roundingCents);
    if (!payment.shiftId.isEmpty())
        json.text("shift_id", payment.shiftId);
    json.textOrNull("tab_id", payment.tabId);
    json.integer("tendered_cents", payment.tenderedCents);
    json.text("terminal_id", payment.terminalId);
}

// orderJson(order, forSync)
void appendOrder(QByteArray &out, const Order &order, bool forSync)
{
    CompactObjectWriter json(out);
    if (!forSync)
        json.text("cashier", order.cashierName);
    json.text("cashier_id", order.cashierId);
    json.time("completed_at", order.completedAt);
    json.time("created_at", order.createdAt);
    if (!order.discount.isNone())
        appendDiscount(json.key("discount"), order.discount);
    json.text("id", order.id);
    QByteArray &lines = json.key("lines");
    lines += '[';
    for (qsizetype i = 0; i < order.lines.size(); ++i) {
        if (i)
            lines += ',';
        appendLine(lines, order.lines.at(i), forSync);
    }
    lines += ']';
    json.time("logout_time", order.logoutTime);
    QByteArray &payment = json.key("payment");
    if (order.payment)
        appendPayment(payment, *order.payment);
    else
        payment += "null";
    if (!forSync) {
        QByteArray &payments = json.key("payments");
        payments += '[';
        for (qsizetype i = 0; i < order.payments.size(); ++i) {
            if (i)
                payments += ',';
            appendPayment(payments, order.payments.at(i));
        }
        payments += ']';
    }
    json.textOrNull("receipt_no", order.receiptNo);
    json.text("status", toString(order.status));
    json.textOrNull("tab", order.tabName);
    json.textOrNull("tab_id", order.tabId);
    if (!forSync) {
        json.text("terminal_id", order.terminalId);
        json.integer("total_cents", order.totalCents());
    }
    json.time("updated_at", order.updatedAt);
    json.integer("version", order.version);
}

void appendMember(QByteArray &out, bool &first, QStringView key, const QJsonValue &value)
{
    if (!first)
        out += ',';
    first = false;
    appendJsonString(out, key);
    out += ':';
    appendCompactJson(out, value);
}

} // namespace

void appendCompactJson(QByteArray &out, const QJsonValue &value)
{
    switch (value.type()) {
    case QJsonValue::Bool:
        out += value.toBool() ? "true" : "false";
        break;
    case QJsonValue::Double: {
        // QJsonValue keeps whole numbers as integers and writes them so; other numbers as Qt's
        // shortest double, null when not finite.
        const QCborValue number = QCborValue::fromJsonValue(value);
        if (number.isInteger()) {
            appendJsonInteger(out, number.toInteger());
        } else if (const double real = number.toDouble(); std::isfinite(real)) {
            out += QByteArray::number(real, 'g', QLocale::FloatingPointShortest);
        } else {
            out += "null";
        }
        break;
    }
    case QJsonValue::String:
        appendJsonString(out, value.toString());
        break;
    case QJsonValue::Array: {
        const QJsonArray array = value.toArray();
        out += '[';
        for (qsizetype i = 0; i < array.size(); ++i) {
            if (i)
                out += ',';
            appendCompactJson(out, array.at(i));
        }
        out += ']';
        break;
    }
    case QJsonValue::Object: {
        const QJsonObject object = value.toObject();
        out += '{';
        bool first = true;
        for (auto it = object.constBegin(); it != object.constEnd(); ++it)
            appendMember(out, first, it.key(), it.value());
        out += '}';
        break;
    }
    case QJsonValue::Null:
    case QJsonValue::Undefined:
        out += "null";
        break;
    }
}

QByteArray toCompactJson(const QJsonObject &object)
{
    QByteArray out;
    out.reserve(256);
    appendCompactJson(out, object);
    return out;
}

QByteArray toCompactJson(const Order &order)
{
    QByteArray out;
    out.reserve(1024 + 400 * order.lines.size());
    appendOrder(out, order, false);
    return out;
}

QByteArray toCompactSyncJson(const Order &order)
{
    QByteArray out;
    out.reserve(512 + 300 * order.lines.size());
    appendOrder(out, order, true);
    return out;
}

QByteArray toCompactJsonWith(const QJsonObject &object, QStringView key, const QByteArray &rawValue)
{
    Q_ASSERT(!object.contains(key));
    QByteArray out;
    out.reserve(rawValue.size() + 512);
    out += '{';
    bool first = true;
    bool placed = false;
    const auto place = [&] {
        if (!first)
            out += ',';
        first = false;
        appendJsonString(out, key);
        out += ':';
        out += rawValue;
        placed = true;
    };
    for (auto it = object.constBegin(); it != object.constEnd(); ++it) {
        // QJsonObject's order: keys compared as UTF-16 code units.
        if (!placed && QStringView(it.key()).compare(key) > 0)
            place();
        appendMember(out, first, it.key(), it.value());
    }
    if (!placed)
        place();
    out += '}';
    return out;
}

} // namespace SafeTill
