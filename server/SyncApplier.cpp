#include "SyncApplier.h"

#include "Database.h"
#include "Json.h"
#include "Logging.h"
#include "Refund.h"
#include "ShiftStore.h"
#include "Tax.h"
#include "Tender.h"
#include "Validation.h"
#include "ValueOr.h"

#include <QDateTime>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QUuid>

#include <algorithm>
#include <cmath>
#include <limits>
#include <utility>

using namespace Qt::StringLiterals;

namespace SafeTill {

namespace {

const QString orderOps[] = {
    u"open"_s,        u"resume"_s,        u"add_item"_s,       u"set_qty"_s,       u"adjust_qty"_s,
    u"remove_line"_s, u"set_items"_s,     u"logout"_s,         u"complete"_s,      u"assign_tab"_s,
    u"pay"_s,         u"discount_line"_s, u"discount_order"_s, u"override_price"_s};
const QString settleOp = u"settle_tab"_s;
// A payment on an open tab that leaves a balance (protocol 3); the last one is a settle_tab.
const QString payTabOp = u"pay_tab"_s;
// A till's refund or void of a past sale (protocol 4).
const QString refundOp = u"refund"_s;
// A till's shift opened with a counted float, a pay-in/pay-out/no-sale, a shift closed with its Z
// report (protocol 5).
const QString shiftOpenOp = u"shift_open"_s;
const QString cashMovementOp = u"cash_movement"_s;
const QString shiftCloseOp = u"shift_close"_s;

bool isTabOp(const QString &op)
{
    return op == settleOp || op == payTabOp;
}

bool isOrderOp(const QString &op)
{
    return std::find(std::begin(orderOps), std::end(orderOps), op) != std::end(orderOps);
}

// A UTC time as the terminal writes it (ISO-8601 with "Z"), normalised to the storage form.
// A time already in the storage form (2026-11-29T10:15:02.123Z, what every terminal sends) is
// checked digit by digit and kept as it is: parsing and formatting it through QDateTime cost a
// few per cent of a push.
bool isStorageTime(const QString &text)
{
    if (text.size() != 24)
        return false;
    auto digits = [&text](qsizetype from, qsizetype count) {
        int value = 0;
        for (qsizetype i = from; i < from + count; ++i) {
            const char16_t c = text.at(i).unicode();
            if (c < u'0' || c > u'9')
                return -1;
            value = value * 10 + (c - u'0');
        }
        return value;
    };
    if (text.at(4) != u'-' || text.at(7) != u'-' || text.at(10) != u'T' || text.at(13) != u':' ||
        text.at(16) != u':' || text.at(19) != u'.' || text.at(23) != u'Z')
        return false;
    const int year = digits(0, 4);
    const int month = digits(5, 2);
    const int day = digits(8, 2);
    const int hour = digits(11, 2);
    const int minute = digits(14, 2);
    const int second = digits(17, 2);
    const int ms = digits(20, 3);
    return year >= 1000 && QDate::isValid(year, month, day) &&
           QTime::isValid(hour, minute, second, ms);
}

std::optional<QString> utcTime(const QJsonValue &value)
{
    if (!value.isString())
        return std::nullopt;
    const QString text = value.toString();
    if (isStorageTime(text))
        return text;
    if (text.size() > 40 || !text.endsWith(u'Z'))
        return std::nullopt;
    const QDateTime time = QDateTime::fromString(text, Qt::ISODateWithMs);
    if (!time.isValid())
        return std::nullopt;
    return toStorageTime(time);
}

bool isIdText(const QJsonValue &value)
{
    return value.isString() && !value.toString().isEmpty() && value.toString().size() <= 64;
}

// Why an op is invalid: becomes its "rejected invalid_op" result. The state parser returns it (in
// a Parsed<T>) and the apply steps turn it into their result: never thrown.
struct InvalidOp
{
    QString message;
};

InvalidOp invalid(const QString &message)
{
    return InvalidOp{message};
}

// What the state parser read from an op, or why the op is invalid: the first rule it breaks.
//   const Parsed<PaymentState> payment = parsePayment(json, where);
//   if (!payment)
//       return payment.problem();
template<typename T> class Parsed : public ValueOr<T, InvalidOp>
{
public:
    using ValueOr<T, InvalidOp>::ValueOr;
    // Why the op is invalid; only when there is no value.
    const InvalidOp &problem() const { return this->why(); }
};

struct PaymentState
{
    QString id;
    PaymentMethod method = PaymentMethod::Cash;
    QString label; // "other" only
    Cents amount = 0;
    Cents rounding = 0; // cash rounding of the last cash tender
    Cents tendered = 0;
    Cents change = 0;
    QString receiptNo; // empty (null) on every payment of a split tender but the last
    QString paidAt;
    QString shiftId; // protocol 5: the till's shift it was booked in (empty: not said)
};

// The money fact a till's payment state stands for, taken at `terminalId` (the device); the
// caller sets what it pays (order or tab), what was due and for which version, and who took it.
Payment factOf(const PaymentState &p, const QString &terminalId)
{
    Payment payment;
    payment.id = p.id;
    payment.method = p.method;
    payment.label = p.label;
    payment.amountCents = p.amount;
    payment.roundingCents = p.rounding;
    payment.tenderedCents = p.tendered;
    payment.changeCents = p.change;
    payment.receiptNo = p.receiptNo;
    payment.paidAt = fromStorageTime(p.paidAt);
    payment.kind = PaymentKind::Sale;
    payment.terminalId = terminalId;
    payment.shiftId = p.shiftId;
    return payment;
}

// A discount as the till sends it ({kind, value, reason, by} or null: none), checked as the till
// checked it (model/Tender.h) but for the amount it applies to, which the caller checks.
Parsed<Discount> parseDiscount(const QJsonValue &value, const QString &where)
{
    if (value.isNull() || value.isUndefined())
        return Discount{};
    if (!value.isObject())
        return invalid(where + u" must be an object {kind, value, reason, by} or null."_s);
    const QJsonObject json = value.toObject();
    Discount discount;
    const std::optional<DiscountKind> kind =
        discountKindFromString(json.value(u"kind"_s).toString());
    if (!json.value(u"kind"_s).isString() || !kind || *kind == DiscountKind::None)
        return invalid(where + u".kind must be percent or amount."_s);
    discount.kind = *kind;
    const std::optional<qint64> amount = wholeNumber(
        json.value(u"value"_s), 1, *kind == DiscountKind::Percent ? 10000 : Limits::maxTenderCents);
    if (!amount)
        return invalid(where + (*kind == DiscountKind::Percent
                                    ? u".value must be basis points from 1 to 10000."_s
                                    : u".value must be whole cents from 1 to %1."_s.arg(
                                          Limits::maxTenderCents)));
    discount.value = *amount;
    const QJsonValue reason = json.value(u"reason"_s);
    if (!reason.isString() || reason.toString().trimmed().isEmpty() ||
        reason.toString().size() > 200)
        return invalid(where + u".reason must be a string of 1 to 200 characters."_s);
    discount.reason = reason.toString();
    const QJsonValue by = json.value(u"by"_s);
    if (!by.isNull() && !by.isUndefined() && !isIdText(by))
        return invalid(where + u".by must be a cashier id (1 to 64 characters) or null."_s);
    discount.byCashierId = by.toString();
    return discount;
}

// payload.order of an order op, checked against every rule of docs/sync-protocol.md 5.1.
struct OrderState
{
    QString id;
    QString cashierId;
    OrderStatus status = OrderStatus::Active;
    int version = 0;
    QList<OrderLine> lines;
    QString tabId;
    QString tabName;
    QString receiptNo;
    QString createdAt;
    QString updatedAt;
    QString logoutTime;
    QString completedAt;
    std::optional<PaymentState> payment;
    Discount discount; // the order discount (protocol 3)

    // What the customer pays, as the till works it out: the lines after their discounts and the
    // order discount, plus the tax of tax-exclusive lines (model/Tax.h).
    Cents total() const { return taxTable(lines, discount).totalCents; }
};

Parsed<QString> optionalTime(const QJsonObject &json, const QString &name)
{
    const QJsonValue value = json.value(name);
    if (value.isNull() || value.isUndefined())
        return QString();
    const std::optional<QString> time = utcTime(value);
    if (!time)
        return invalid(
            u"order.%1 must be a UTC time like 2026-11-29T10:15:02.123Z, or null."_s.arg(name));
    return *time;
}

Parsed<QString> optionalText(const QJsonObject &json, const QString &name, int maxLength)
{
    const QJsonValue value = json.value(name);
    if (value.isNull() || value.isUndefined())
        return QString();
    if (!value.isString() || value.toString().isEmpty() || value.toString().size() > maxLength)
        return invalid(u"order.%1 must be a string of 1 to %2 characters, or null."_s.arg(name).arg(
            maxLength));
    return value.toString();
}

Parsed<OrderLine> parseLine(const QJsonValue &value, int index)
{
    const QString where = u"order.lines[%1]"_s.arg(index);
    if (!value.isObject())
        return invalid(where + u" must be an object."_s);
    const QJsonObject json = value.toObject();
    OrderLine line;
    const std::optional<qint64> number = wholeNumber(json.value(u"line"_s), 1, 1'000'000);
    if (!number)
        return invalid(where + u".line must be a whole number of at least 1."_s);
    line.lineNo = int(*number);
    const QJsonValue sku = json.value(u"sku"_s);
    if (!sku.isNull() && !sku.isUndefined()) {
        if (!sku.isString())
            return invalid(where + u".sku must be a string or null."_s);
        if (const QString problem = checkSku(sku.toString()); !problem.isEmpty())
            return invalid(where + u": "_s + problem);
        line.sku = sku.toString();
    }
    const QJsonValue name = json.value(u"name"_s);
    if (!name.isString() || name.toString().trimmed().isEmpty() ||
        name.toString().size() > Limits::maxProductNameLength)
        return invalid(where + u".name must be a string of 1 to %1 characters."_s.arg(
                                   Limits::maxProductNameLength));
    line.name = name.toString();
    const std::optional<qint64> price =
        wholeNumber(json.value(u"unit_price_cents"_s), 0, Limits::maxPriceCents);
    if (!price)
        return invalid(where + u".unit_price_cents must be a whole number from 0 to %1."_s.arg(
                                   Limits::maxPriceCents));
    line.unitPriceCents = *price;
    const std::optional<qint64> quantity =
        wholeNumber(json.value(u"qty"_s), 1, Limits::maxQuantity);
    if (!quantity)
        return invalid(where +
                       u".qty must be a whole number from 1 to %1."_s.arg(Limits::maxQuantity));
    line.quantity = int(*quantity);
    if (!isIdText(json.value(u"line_id"_s)))
        return invalid(where + u".line_id must be a string of 1 to 64 characters."_s);
    line.lineId = json.value(u"line_id"_s).toString();
    // The tax the till added the line with; a till from before taxes sends none: untaxed, as its
    // own line is.
    const QJsonValue taxCode = json.value(u"tax_code"_s);
    if (!taxCode.isUndefined() && (!taxCode.isString() || taxCode.toString().size() > 16))
        return invalid(where + u".tax_code must be a string of at most 16 characters."_s);
    line.taxCode = taxCode.toString(u""_s);
    if (json.contains(u"tax_rate_bp"_s)) {
        const std::optional<qint64> rate = wholeNumber(json.value(u"tax_rate_bp"_s), 0, 10000);
        if (!rate)
            return invalid(where + u".tax_rate_bp must be a whole number from 0 to 10000."_s);
        line.taxRateBp = int(*rate);
    }
    const QJsonValue included = json.value(u"price_includes_tax"_s);
    if (!included.isUndefined() && !included.isBool())
        return invalid(where + u".price_includes_tax must be true or false."_s);
    line.priceIncludesTax = included.toBool(true);
    // Protocol 3: the line's discount and price override (model/Json.cpp writes them only when
    // set). A discount never takes off more than the line's amount.
    const Parsed<Discount> discount =
        parseDiscount(json.value(u"discount"_s), where + u".discount"_s);
    if (!discount)
        return discount.problem();
    line.discount = *discount;
    if (line.discount.kind == DiscountKind::Amount && line.discount.value > line.amountCents())
        return invalid(where + u".discount.value (%1) is more than the line's amount (%2)."_s
                                   .arg(line.discount.value)
                                   .arg(line.amountCents()));
    const QJsonValue listPrice = json.value(u"list_price_cents"_s);
    if (!listPrice.isNull() && !listPrice.isUndefined()) {
        const std::optional<qint64> list = wholeNumber(listPrice, 0, Limits::maxPriceCents);
        if (!list)
            return invalid(where +
                           u".list_price_cents must be a whole number from 0 to %1, or null."_s.arg(
                               Limits::maxPriceCents));
        line.listPriceCents = *list;
        const QJsonValue reason = json.value(u"price_reason"_s);
        if (!reason.isString() || reason.toString().trimmed().isEmpty() ||
            reason.toString().size() > 200)
            return invalid(where +
                           u".price_reason must be a string of 1 to 200 characters (a price "
                           "override needs its reason)."_s);
        line.priceReason = reason.toString();
    }
    return line;
}

Parsed<PaymentState> parsePayment(const QJsonObject &json, const QString &where)
{
    PaymentState payment;
    if (!isIdText(json.value(u"id"_s)))
        return invalid(where + u".id must be a string of 1 to 64 characters."_s);
    payment.id = json.value(u"id"_s).toString();
    const std::optional<PaymentMethod> method =
        paymentMethodFromString(json.value(u"method"_s).toString());
    if (!json.value(u"method"_s).isString() || !method)
        return invalid(where + u".method must be cash, card or other."_s);
    payment.method = *method;
    const QJsonValue label = json.value(u"label"_s);
    if (!label.isUndefined() && !label.isNull() &&
        (!label.isString() || label.toString().size() > 60))
        return invalid(where + u".label must be a string of at most 60 characters."_s);
    payment.label = label.toString();
    if ((payment.method == PaymentMethod::Other) == payment.label.trimmed().isEmpty())
        return invalid(where +
                       u".label is required for an \u201cother\u201d payment (e.g. Voucher) "
                       "and only for one."_s);
    const auto amount = wholeNumber(json.value(u"amount_cents"_s), 0, Limits::maxTenderCents);
    const auto tendered = wholeNumber(json.value(u"tendered_cents"_s), 0, Limits::maxTenderCents);
    const auto change = wholeNumber(json.value(u"change_cents"_s), 0, Limits::maxTenderCents);
    if (!amount || !tendered || !change)
        return invalid(where + u"'s amounts must be whole numbers of cents from 0 to %1."_s.arg(
                                   Limits::maxTenderCents));
    std::optional<qint64> rounding = 0;
    if (json.contains(u"rounding_cents"_s))
        rounding = wholeNumber(json.value(u"rounding_cents"_s), -10000, 10000);
    if (!rounding)
        return invalid(where + u".rounding_cents must be a whole number from -10000 to 10000."_s);
    if (*rounding != 0 && payment.method != PaymentMethod::Cash)
        return invalid(where + u".rounding_cents is for cash only."_s);
    if (*tendered < *amount + *rounding || *change != *tendered - *amount - *rounding)
        return invalid(where + u" must have tendered >= amount + rounding and change = tendered - "
                               "amount - rounding."_s);
    if (payment.method != PaymentMethod::Cash && *tendered != *amount)
        return invalid(where +
                       u": a card or other payment is for its exact amount (tendered_cents = "
                       "amount_cents)."_s);
    payment.amount = *amount;
    payment.rounding = *rounding;
    payment.tendered = *tendered;
    payment.change = *change;
    const QJsonValue receipt = json.value(u"receipt_no"_s);
    if (!receipt.isNull() && !receipt.isUndefined() && !isIdText(receipt))
        return invalid(where + u".receipt_no must be a string of 1 to 64 characters, or null."_s);
    payment.receiptNo = receipt.toString();
    const std::optional<QString> paidAt = utcTime(json.value(u"paid_at"_s));
    if (!paidAt)
        return invalid(where + u".paid_at must be a UTC time."_s);
    payment.paidAt = *paidAt;
    // Protocol 5: the till's shift (checked against the device's shifts when booked).
    const QJsonValue shift = json.value(u"shift_id"_s);
    if (!shift.isUndefined() && !shift.isNull() && !isIdText(shift))
        return invalid(where + u".shift_id must be a string of 1 to 64 characters, or absent."_s);
    payment.shiftId = shift.toString();
    return payment;
}

// payload.changes of an order op (protocol 2, 3): what the action did, by line id.
struct LineChange
{
    enum class Kind { Add, Adjust, Remove, Discount, OrderDiscount, Price, Payment };
    Kind kind = Kind::Add;
    QString lineId;
    OrderLine line;       // Add
    int delta = 0;        // Adjust
    Discount discount;    // Discount, OrderDiscount (none: removed)
    Cents price = 0;      // Price
    QString reason;       // Price
    QString by;           // Price
    PaymentState payment; // Payment: one that left a balance
};

Parsed<QList<LineChange>> parseChanges(const QJsonObject &payload)
{
    const QJsonValue value = payload.value(u"changes"_s);
    if (value.isUndefined() || value.isNull())
        return QList<LineChange>();
    if (!value.isArray() || value.toArray().size() > 2 * Limits::maxLinesPerOrder)
        return invalid(u"payload.changes must be an array of line changes."_s);
    QList<LineChange> changes;
    const QJsonArray array = value.toArray();
    for (qsizetype i = 0; i < array.size(); ++i) {
        const QString where = u"payload.changes[%1]"_s.arg(i);
        const QJsonObject json = array.at(i).toObject();
        LineChange change;
        const QString kind = json.value(u"kind"_s).toString();
        const bool orderWide = kind == u"order_discount"_s || kind == u"payment"_s;
        if (!orderWide) {
            if (!isIdText(json.value(u"line_id"_s)))
                return invalid(where + u".line_id must be a string of 1 to 64 characters."_s);
            change.lineId = json.value(u"line_id"_s).toString();
        }
        if (kind == u"add"_s) {
            change.kind = LineChange::Kind::Add;
            const Parsed<OrderLine> line = parseLine(json, int(i));
            if (!line)
                return line.problem();
            change.line = *line;
        } else if (kind == u"adjust"_s) {
            change.kind = LineChange::Kind::Adjust;
            const std::optional<qint64> delta =
                wholeNumber(json.value(u"delta"_s), -Limits::maxQuantity, Limits::maxQuantity);
            if (!delta || *delta == 0)
                return invalid(where +
                               u".delta must be a whole number from -%1 to %1, not 0."_s.arg(
                                   Limits::maxQuantity));
            change.delta = int(*delta);
        } else if (kind == u"remove"_s) {
            change.kind = LineChange::Kind::Remove;
        } else if (kind == u"discount"_s || kind == u"order_discount"_s) {
            change.kind = kind == u"discount"_s ? LineChange::Kind::Discount
                                                : LineChange::Kind::OrderDiscount;
            if (!json.contains(u"discount"_s))
                return invalid(where +
                               u".discount must be a discount object, or null to remove one."_s);
            const Parsed<Discount> discount =
                parseDiscount(json.value(u"discount"_s), where + u".discount"_s);
            if (!discount)
                return discount.problem();
            change.discount = *discount;
        } else if (kind == u"price"_s) {
            change.kind = LineChange::Kind::Price;
            const std::optional<qint64> price =
                wholeNumber(json.value(u"unit_price_cents"_s), 0, Limits::maxPriceCents);
            if (!price)
                return invalid(where +
                               u".unit_price_cents must be a whole number from 0 to %1."_s.arg(
                                   Limits::maxPriceCents));
            change.price = *price;
            const QJsonValue reason = json.value(u"reason"_s);
            if (!reason.isString() || reason.toString().trimmed().isEmpty() ||
                reason.toString().size() > 200)
                return invalid(where + u".reason must be a string of 1 to 200 characters."_s);
            change.reason = reason.toString();
            const QJsonValue by = json.value(u"by"_s);
            if (!by.isNull() && !by.isUndefined() && !isIdText(by))
                return invalid(where + u".by must be a cashier id (1 to 64 characters) or null."_s);
            change.by = by.toString();
        } else if (kind == u"payment"_s) {
            change.kind = LineChange::Kind::Payment;
            if (!json.value(u"payment"_s).isObject())
                return invalid(where + u".payment must be a payment object."_s);
            const Parsed<PaymentState> payment =
                parsePayment(json.value(u"payment"_s).toObject(), where + u".payment"_s);
            if (!payment)
                return payment.problem();
            change.payment = *payment;
            if (!change.payment.receiptNo.isEmpty())
                return invalid(where + u".payment.receipt_no must be null: only the payment that "
                                       "completes the order carries the receipt number."_s);
        } else {
            return invalid(where +
                           u".kind must be add, adjust, remove, discount, order_discount, price "
                           "or payment."_s);
        }
        changes.append(change);
    }
    return changes;
}

Parsed<OrderState> parseOrderState(const SyncOp &op, std::optional<int> baseVersion)
{
    const QJsonObject json = op.payload.value(u"order"_s).toObject();
    OrderState state;
    if (json.value(u"id"_s).toString() != op.orderId)
        return invalid(u"order.id must be the op's order_id."_s);
    state.id = op.orderId;
    if (!isIdText(json.value(u"cashier_id"_s)))
        return invalid(u"order.cashier_id must be a string of 1 to 64 characters."_s);
    state.cashierId = json.value(u"cashier_id"_s).toString();
    const std::optional<OrderStatus> status =
        orderStatusFromString(json.value(u"status"_s).toString());
    if (!json.value(u"status"_s).isString() || !status)
        return invalid(u"order.status must be active, pending_logout, assigned or completed."_s);
    state.status = *status;
    const std::optional<qint64> version = wholeNumber(json.value(u"version"_s), 1, 1'000'000'000);
    if (!version)
        return invalid(u"order.version must be a whole number of at least 1."_s);
    state.version = int(*version);
    if (baseVersion && state.version <= *baseVersion)
        return invalid(
            u"order.version (%1) must be greater than base_version (%2)."_s.arg(state.version)
                .arg(*baseVersion));

    const QJsonValue lines = json.value(u"lines"_s);
    if (!lines.isArray())
        return invalid(u"order.lines must be an array."_s);
    const QJsonArray lineArray = lines.toArray();
    if (lineArray.size() > Limits::maxLinesPerOrder)
        return invalid(u"An order has at most %1 lines."_s.arg(Limits::maxLinesPerOrder));
    QSet<int> lineNumbers;
    for (qsizetype i = 0; i < lineArray.size(); ++i) {
        Parsed<OrderLine> line = parseLine(lineArray.at(i), int(i));
        if (!line)
            return line.problem();
        if (lineNumbers.contains(line->lineNo))
            return invalid(u"order.lines has line %1 twice."_s.arg(line->lineNo));
        lineNumbers.insert(line->lineNo);
        state.lines.append(std::move(*line));
    }

    const Parsed<QString> tabId = optionalText(json, u"tab_id"_s, 64);
    if (!tabId)
        return tabId.problem();
    state.tabId = *tabId;
    const Parsed<QString> tabName = optionalText(json, u"tab"_s, Limits::maxNameLength);
    if (!tabName)
        return tabName.problem();
    state.tabName = *tabName;
    if (!state.tabId.isEmpty()) {
        if (const QString problem =
                checkName(normalizedName(state.tabName), u"order.tab"_s, Limits::maxNameLength);
            !problem.isEmpty())
            return invalid(u"An order on a tab needs the tab's name: "_s + problem);
    }
    const Parsed<QString> receiptNo = optionalText(json, u"receipt_no"_s, 64);
    if (!receiptNo)
        return receiptNo.problem();
    state.receiptNo = *receiptNo;
    const std::optional<QString> createdAt = utcTime(json.value(u"created_at"_s));
    const std::optional<QString> updatedAt = utcTime(json.value(u"updated_at"_s));
    if (!createdAt || !updatedAt)
        return invalid(u"order.created_at and order.updated_at must be UTC times."_s);
    state.createdAt = *createdAt;
    state.updatedAt = *updatedAt;
    const Parsed<QString> logoutTime = optionalTime(json, u"logout_time"_s);
    if (!logoutTime)
        return logoutTime.problem();
    state.logoutTime = *logoutTime;
    const Parsed<QString> completedAt = optionalTime(json, u"completed_at"_s);
    if (!completedAt)
        return completedAt.problem();
    state.completedAt = *completedAt;

    const Parsed<Discount> discount = parseDiscount(json.value(u"discount"_s), u"order.discount"_s);
    if (!discount)
        return discount.problem();
    state.discount = *discount;
    if (state.discount.kind == DiscountKind::Amount &&
        state.discount.value > taxTable(state.lines).subtotalCents)
        return invalid(
            u"order.discount.value (%1) is more than the lines' total after their discounts "
            "(%2)."_s.arg(state.discount.value)
                .arg(taxTable(state.lines).subtotalCents));

    const QJsonValue payment = json.value(u"payment"_s);
    if (payment.isObject()) {
        const Parsed<PaymentState> parsed = parsePayment(payment.toObject(), u"order.payment"_s);
        if (!parsed)
            return parsed.problem();
        state.payment = *parsed;
    } else if (!payment.isNull() && !payment.isUndefined())
        return invalid(u"order.payment must be an object or null."_s);

    // The invariants the schema's CHECKs hold, with a message instead of a constraint failure.
    const bool pending = state.status == OrderStatus::PendingLogout;
    const bool completed = state.status == OrderStatus::Completed;
    if (pending != !state.logoutTime.isEmpty())
        return invalid(u"order.logout_time is set exactly when the order is pending_logout."_s);
    if (completed != !state.completedAt.isEmpty())
        return invalid(u"order.completed_at is set exactly when the order is completed."_s);
    if (state.status == OrderStatus::Assigned && state.tabId.isEmpty())
        return invalid(u"An assigned order needs order.tab_id."_s);
    if (completed != state.payment.has_value())
        return invalid(u"A completed order (and only a completed one) comes with its payment."_s);
    if (state.payment) {
        if (state.payment->receiptNo.isEmpty())
            return invalid(
                u"order.payment.receipt_no must be set: the payment that completes an order "
                "carries its receipt number."_s);
        if (state.payment->receiptNo != state.receiptNo)
            return invalid(u"order.receipt_no must be the payment's receipt_no."_s);
        // The last payment of a split tender pays what the earlier ones left (the server checks
        // that against the payments it booked); a single tender pays the total.
        if (state.payment->amount > state.total())
            return invalid(
                u"order.payment.amount_cents (%1) must be at most the order's total (%2)."_s
                    .arg(state.payment->amount)
                    .arg(state.total()));
    }
    return state;
}

// sameItems() and the same discounts and price overrides, line by line id.
bool sameSale(const QList<OrderLine> &a, const QList<OrderLine> &b)
{
    if (!sameItems(a, b))
        return false;
    QHash<QString, const OrderLine *> byId;
    for (const OrderLine &line : a)
        byId.insert(line.lineId, &line);
    for (const OrderLine &line : b) {
        const OrderLine *other = byId.value(line.lineId);
        if (!other || other->discount != line.discount ||
            other->listPriceCents != line.listPriceCents)
            return false;
    }
    return true;
}

SyncOpResult failed(const SyncOp &op, SyncOpResult::Kind kind, const QString &code,
                    const QString &message)
{
    SyncOpResult result;
    result.requestId = op.requestId;
    result.kind = kind;
    result.code = code;
    result.message = message;
    result.isTabOp = isTabOp(op.op);
    return result;
}

SyncOpResult rejected(const SyncOp &op, const QString &code, const QString &message)
{
    return failed(op, SyncOpResult::Kind::Rejected, code, message);
}

// The result of an op found invalid (by the state parser or an apply step).
SyncOpResult rejected(const SyncOp &op, const InvalidOp &problem)
{
    return rejected(op, u"invalid_op"_s, problem.message);
}

SyncOpResult applied(const SyncOp &op, int version)
{
    SyncOpResult result;
    result.requestId = op.requestId;
    result.kind = SyncOpResult::Kind::Applied;
    result.version = version;
    result.isTabOp = isTabOp(op.op);
    return result;
}

QString fingerprintOf(const SyncOp &op)
{
    return ActionJournal::fingerprint(
        u"sync:"_s + op.op,
        {{u"order_id"_s, op.orderId}, {u"tab_id"_s, op.tabId}, {u"payload"_s, op.payload}});
}

} // namespace

// ---------------------------------------------------------------------------------------------
// The push body

SyncBatch SyncBatch::parse(const QByteArray &body)
{
    SyncBatch batch;
    auto refuse = [&batch](Problem problem, const QString &message, int index = -1) {
        batch.ops.clear();
        batch.problem = problem;
        batch.message = message;
        batch.opIndex = index;
        return batch;
    };
    if (body.size() > maxBodyBytes)
        return refuse(Problem::TooManyOps,
                      u"The body is larger than %1 bytes; send fewer ops."_s.arg(maxBodyBytes));
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(body, &error);
    if (error.error != QJsonParseError::NoError)
        return refuse(Problem::MalformedJson,
                      u"The body is not valid JSON (%1 at offset %2)."_s.arg(error.errorString())
                          .arg(error.offset));
    if (!document.isObject())
        return refuse(Problem::InvalidBatch, u"The body must be a JSON object."_s);
    const QJsonObject root = document.object();
    const std::optional<qint64> protocol = wholeNumber(root.value(u"protocol"_s), 0, 1'000'000);
    if (!protocol)
        return refuse(Problem::InvalidBatch, u"\u201cprotocol\u201d must be a whole number."_s);
    if (*protocol < oldestProtocol || *protocol > protocolVersion)
        return refuse(
            Problem::UnsupportedProtocol,
            u"This server speaks sync protocol %1 (and %2), not %3."_s.arg(protocolVersion)
                .arg(oldestProtocol)
                .arg(*protocol));
    batch.protocol = int(*protocol);
    const QJsonValue opsValue = root.value(u"ops"_s);
    if (!opsValue.isArray())
        return refuse(Problem::InvalidBatch, u"\u201cops\u201d must be an array."_s);
    const QJsonArray ops = opsValue.toArray();
    if (ops.isEmpty())
        return refuse(Problem::InvalidBatch, u"\u201cops\u201d must not be empty."_s);
    if (ops.size() > maxOps)
        return refuse(
            Problem::TooManyOps,
            u"A batch has at most %1 ops (this one has %2); send fewer."_s.arg(maxOps).arg(
                ops.size()));

    static const QRegularExpression opName(u"^[a-z_]{1,32}$"_s);
    QSet<QString> requestIds;
    for (qsizetype i = 0; i < ops.size(); ++i) {
        const int index = int(i);
        auto bad = [&](const QString &what) {
            return refuse(Problem::InvalidBatch, u"ops[%1]: %2"_s.arg(index).arg(what), index);
        };
        if (!ops.at(i).isObject())
            return bad(u"an op must be an object."_s);
        const QJsonObject json = ops.at(i).toObject();
        SyncOp op;
        const QJsonValue requestId = json.value(u"request_id"_s);
        if (!requestId.isString() || !checkRequestId(requestId.toString()).isEmpty())
            return bad(u"request_id must be 1 to %1 characters of A-Z a-z 0-9 - _ . :"_s.arg(
                Limits::maxRequestIdLength));
        op.requestId = requestId.toString();
        if (requestIds.contains(op.requestId))
            return bad(u"the request_id %1 appears twice in the batch."_s.arg(op.requestId));
        requestIds.insert(op.requestId);
        const std::optional<qint64> seq =
            wholeNumber(json.value(u"seq"_s), 1, std::numeric_limits<qint32>::max() * 1024LL);
        if (!seq)
            return bad(u"seq must be a whole number of at least 1."_s);
        op.seq = *seq;
        const QJsonValue name = json.value(u"op"_s);
        if (!name.isString() || !opName.match(name.toString()).hasMatch())
            return bad(u"op must be 1 to 32 characters of a-z and _."_s);
        op.op = name.toString();
        for (const QString &member : {u"order_id"_s, u"tab_id"_s}) {
            const QJsonValue value = json.value(member);
            if (value.isNull() || value.isUndefined())
                continue;
            if (!isIdText(value))
                return bad(member + u" must be a string of 1 to 64 characters, or null."_s);
            (member == u"order_id"_s ? op.orderId : op.tabId) = value.toString();
        }
        const std::optional<QString> createdAt = utcTime(json.value(u"created_at"_s));
        if (!createdAt)
            return bad(u"created_at must be a UTC time like 2026-11-29T10:15:02.123Z."_s);
        op.createdAt = *createdAt;
        if (!json.value(u"payload"_s).isObject())
            return bad(u"payload must be a JSON object."_s);
        op.payload = json.value(u"payload"_s).toObject();
        batch.ops.append(std::move(op));
    }
    return batch;
}

// ---------------------------------------------------------------------------------------------
// Results

QJsonObject SyncOpResult::toJson() const
{
    QJsonObject json{{u"request_id"_s, requestId}};
    switch (kind) {
    case Kind::Applied:
    case Kind::Replayed: {
        // A replay answers what the first answer said (it may have been lost on the way): the
        // review items the op opened and the server's copy of the order.
        json.insert(u"result"_s, kind == Kind::Applied ? u"applied"_s : u"replayed"_s);
        json.insert(u"version"_s, version);
        if (serverOrder)
            json.insert(u"server_order"_s, SafeTill::toJson(*serverOrder));
        if (!reviewItems.isEmpty()) {
            QJsonArray items;
            for (const ReviewItem &item : reviewItems)
                items.append(SafeTill::toJson(item));
            json.insert(u"review_items"_s, items);
        }
        return json;
    }
    case Kind::Conflict:
        json.insert(u"result"_s, u"conflict"_s);
        if (isTabOp) {
            json.insert(u"server_tab"_s, serverTab ? QJsonValue(SafeTill::toJson(*serverTab))
                                                   : QJsonValue(QJsonValue::Null));
        } else {
            json.insert(u"server_order"_s, serverOrder ? QJsonValue(SafeTill::toJson(*serverOrder))
                                                       : QJsonValue(QJsonValue::Null));
        }
        break;
    case Kind::Rejected:
        json.insert(u"result"_s, u"rejected"_s);
        break;
    case Kind::Deferred:
        json.insert(u"result"_s, u"deferred"_s);
        break;
    }
    json.insert(u"code"_s, code);
    json.insert(u"message"_s, message);
    return json;
}

// ---------------------------------------------------------------------------------------------
// Applying

QString SyncApplier::forUpdate() const
{
    // SQLite has no row locks (and needs none: its write transactions are serialised).
    return m_db.dialect() == SqlDialect::Postgres ? u" FOR UPDATE"_s : QString();
}

SyncApplier::SyncApplier(Database &database, const Clock &clock)
    : m_db(database)
    , m_clock(clock)
    , m_store(database)
    , m_journal(database, clock)
    , m_reviews(database, clock)
{}

Result<QList<SyncOpResult>> SyncApplier::apply(const SyncDevice &device, const QList<SyncOp> &ops,
                                               int protocol)
{
    m_protocol = protocol;
    // Ops whose statements a constraint refused (a bug or a race lost twice): answered
    // "rejected" without running, when the batch is run again.
    QSet<int> poisoned;
    QSet<int> restartedOnce;
    for (;;) {
        // On PostgreSQL a failed statement aborts the transaction, which then cannot be
        // committed even after a rollback to the op's savepoint: the run stops at that op, its
        // transaction is rolled back, and the batch runs again from a new one.
        std::optional<int> restartAt;
        Result<QList<SyncOpResult>> applied = m_db.write([&] {
            QList<SyncOpResult> results = applyAll(device, ops, poisoned, &restartAt);
            if (restartAt) // not Ok: write() rolls the run back
                return Result<QList<SyncOpResult>>::failure(Outcome::Conflict,
                                                            u"The batch runs again."_s);
            // A version 2 till cannot show what its orders became on the server: refused as
            // a whole, nothing of the batch kept (docs/sync-protocol.md, section 1).
            if (const QString why = unrepresentableForProtocol2(ops, results); !why.isEmpty())
                return Result<QList<SyncOpResult>>::failure(Outcome::InvalidState, why);
            return Result<QList<SyncOpResult>>::ok(std::move(results));
        });
        if (!restartAt)
            return applied;
        // The first time, the failure may be a race with a concurrent push (READ COMMITTED sees
        // its rows in the next run); a second time it is the op itself.
        if (restartedOnce.contains(*restartAt))
            poisoned.insert(*restartAt);
        restartedOnce.insert(*restartAt);
        if (poisoned.size() > ops.size())
            return Result<QList<SyncOpResult>>::failure(Outcome::Error,
                                                        u"The batch could not be applied."_s);
    }
}

namespace {

// What of `order` a version 2 till cannot show (empty: nothing), for the refusal's message.
QStringList beyondProtocol2(const Order &order)
{
    QStringList what;
    if (!order.discount.isNone())
        what << u"an order discount"_s;
    if (std::any_of(order.lines.cbegin(), order.lines.cend(),
                    [](const OrderLine &line) { return !line.discount.isNone(); }))
        what << u"a line discount"_s;
    if (std::any_of(order.lines.cbegin(), order.lines.cend(),
                    [](const OrderLine &line) { return line.listPriceCents.has_value(); }))
        what << u"a price override"_s;
    const qsizetype sales =
        std::count_if(order.payments.cbegin(), order.payments.cend(),
                      [](const Payment &payment) { return payment.kind == PaymentKind::Sale; });
    if (sales > 1)
        what << u"more than one payment"_s;
    if (std::any_of(order.payments.cbegin(), order.payments.cend(), [](const Payment &payment) {
            return payment.method == PaymentMethod::Other || payment.roundingCents != 0;
        }))
        what << u"a payment other than cash or card"_s;
    return what;
}

} // namespace

QString SyncApplier::unrepresentableForProtocol2(const QList<SyncOp> &ops,
                                                 const QList<SyncOpResult> &results)
{
    if (m_protocol >= 3)
        return {};
    const auto refusal = [](const QString &orderId, const QStringList &what) {
        return u"This till must be updated: order %1 has on the server %2, which this till's "
               "sync protocol 2 cannot show (the server speaks 3 to 5). Nothing of this push was "
               "applied; the till keeps its ops and sends them once it is updated."_s.arg(
                   orderId.left(8), what.join(u", "_s));
    };
    // The server's copy as an answer would hand it to the till (section 5.3)...
    for (const SyncOpResult &result : results) {
        if (!result.serverOrder)
            continue;
        if (const QStringList what = beyondProtocol2(*result.serverOrder); !what.isEmpty())
            return refusal(result.serverOrder->id, what);
    }
    // ...and each order as the batch leaves it (an op applied without an answer's copy).
    QSet<QString> checked;
    for (qsizetype i = 0; i < ops.size() && i < results.size(); ++i) {
        const SyncOp &op = ops.at(i);
        // A rejected op (a foreign or unknown order among them) is answered without the
        // server's copy: nothing to show, and nothing to reveal.
        if (results.at(i).kind == SyncOpResult::Kind::Rejected || op.orderId.isEmpty() ||
            isTabOp(op.op) || checked.contains(op.orderId))
            continue;
        checked.insert(op.orderId);
        const std::optional<Order> order = loadOrder(op.orderId);
        if (!order)
            continue;
        if (const QStringList what = beyondProtocol2(*order); !what.isEmpty())
            return refusal(op.orderId, what);
    }
    return {};
}

void SyncApplier::loadStoredResults(const QStringList &keys)
{
    // Fixed-size chunks (padded with the first key) keep this to one prepared statement.
    constexpr qsizetype chunk = 50;
    QString sql = u"SELECT request_id, action, fingerprint, result FROM idempotency "
                  "WHERE request_id IN (?"_s;
    for (qsizetype i = 1; i < chunk; ++i)
        sql += u", ?"_s;
    sql += u')';
    for (qsizetype from = 0; from < keys.size(); from += chunk) {
        QVariantList values;
        for (qsizetype i = from; i < from + chunk; ++i)
            values.append(keys.value(i < keys.size() ? i : from));
        QSqlQuery &query = m_db.exec(sql, values);
        while (query.next()) {
            m_stored.insert(query.value(0).toString(),
                            ActionJournal::StoredResult{
                                query.value(1).toString(), query.value(2).toString(),
                                QJsonDocument::fromJson(query.value(3).toByteArray()).object()});
        }
        query.finish();
    }
}

QList<SyncOpResult> SyncApplier::applyAll(const SyncDevice &device, const QList<SyncOp> &ops,
                                          const QSet<int> &poisoned, std::optional<int> *restartAt)
{
    const bool postgres = m_db.dialect() == SqlDialect::Postgres;
    m_stored.clear();
    m_knownCashiers.clear();
    m_knownOrders.clear();
    m_results.clear();
    m_history.clear();
    m_replayedOrders.clear();
    m_pendingStates.clear();
    m_pendingOrder.clear();
    m_opState.reset();
    m_flushedInOp.clear();
    QStringList keys;
    keys.reserve(ops.size());
    for (const SyncOp &op : ops)
        keys.append(u"sync:"_s + device.id + u':' + op.requestId);
    loadStoredResults(keys);

    // The order (or tab) of each op that was not applied: later ops of it in this batch were made
    // on top of it, so they get the same kind of answer without being tried.
    QHash<QString, SyncOpResult::Kind> stopped;
    bool savepointOpen = false;
    QList<SyncOpResult> results;
    results.reserve(ops.size());
    for (qsizetype i = 0; i < ops.size(); ++i) {
        const SyncOp &op = ops.at(i);
        const QString &key = keys.at(i);
        const QString target = isTabOp(op.op) ? u"tab:"_s + op.tabId : op.orderId;
        SyncOpResult result;
        if (auto it = stopped.constFind(target); !target.isEmpty() && it != stopped.constEnd()) {
            if (*it == SyncOpResult::Kind::Conflict) {
                result = failed(op, SyncOpResult::Kind::Conflict, u"earlier_op_conflicted"_s,
                                u"An earlier op of this order in the batch was a conflict; the "
                                "server's state wins."_s);
                if (isTabOp(op.op))
                    result.serverTab = loadTab(op.tabId);
                else
                    result.serverOrder = loadOrder(op.orderId);
            } else {
                result = rejected(op, u"earlier_op_rejected"_s,
                                  u"An earlier op of this order in the batch was rejected."_s);
            }
            results.append(result);
            continue;
        }
        if (auto stored = m_stored.constFind(key); stored != m_stored.constEnd()) {
            if (stored->action != u"sync:"_s + op.op || stored->fingerprint != fingerprintOf(op)) {
                result = rejected(op, u"request_id_reused"_s,
                                  u"This device sent the request id %1 before with other "
                                  "content."_s.arg(op.requestId));
            } else {
                result = replayOf(op, stored->result);
            }
        } else if (poisoned.contains(int(i))) {
            result = rejected(op, u"constraint"_s,
                              u"The server's database refused this op (a constraint); it was "
                              "not applied. Please report it."_s);
        } else {
            m_changedOrder.reset();
            m_settledOrders.clear();
            m_opHistory.clear();
            m_opState.reset();
            m_flushedInOp.clear();
            // PostgreSQL: the previous op's savepoint is released in the same round trip that
            // opens this one (a batch's time there is mostly round trips). An op that writes at
            // most one row, as the last thing it does, needs none there: if it is not applied it
            // wrote nothing (and a failed statement restarts the whole batch anyway).
            const bool ownSavepoint = !postgres || !writesAtMostOnceLast(op);
            if (!ownSavepoint) {
                // the previous op's savepoint (if any) stays open; released by a later op
            } else if (savepointOpen) {
                m_db.exec(u"RELEASE SAVEPOINT sync_op; SAVEPOINT sync_op"_s);
            } else {
                m_db.exec(u"SAVEPOINT sync_op"_s);
                savepointOpen = true;
            }
            try {
                result = applyOne(device, op, key);
                if (result.kind == SyncOpResult::Kind::Applied) {
                    QJsonObject stored{{u"result"_s, u"applied"_s}, {u"version"_s, result.version}};
                    if (!result.reviewItems.isEmpty()) {
                        QJsonArray items;
                        for (const ReviewItem &item : std::as_const(result.reviewItems))
                            items.append(SafeTill::toJson(item));
                        stored.insert(u"review_items"_s, items);
                    }
                    m_results.append(ActionJournal::ResultRow{
                        key, u"sync:"_s + op.op, fingerprintOf(op),
                        QString::fromUtf8(QJsonDocument(stored).toJson(QJsonDocument::Compact))});
                    m_history.append(m_opHistory);
                }
            } catch (const SqlFailure &failure) {
                // Busy, deadlock, a lost connection: the whole batch is retried or answered as
                // an error by write(); nothing of it is kept.
                if (failure.isBusy() || !failure.isConstraintViolation())
                    throw;
                qCWarning(lcDb).noquote() << "sync op" << op.requestId
                                          << "refused by a constraint:" << failure.describe();
                if (postgres) { // the whole batch runs again, from a new transaction
                    *restartAt = int(i);
                    return {};
                }
                m_db.exec(u"ROLLBACK TO SAVEPOINT sync_op"_s);
                m_db.exec(u"RELEASE SAVEPOINT sync_op"_s);
                savepointOpen = false;
                restoreFlushedInOp();
                result = rejected(op, u"constraint"_s,
                                  u"The server's database refused this op (a constraint); it was "
                                  "not applied. Please report it."_s);
                results.append(result);
                stopped.insert(target, result.kind);
                continue;
            }
            if (result.kind != SyncOpResult::Kind::Applied) {
                if (ownSavepoint) {
                    m_db.exec(u"ROLLBACK TO SAVEPOINT sync_op"_s);
                    restoreFlushedInOp();
                }
                m_opState.reset();
            } else {
                keepOpState();
            }
            m_flushedInOp.clear();
            if (!postgres) { // SQLite runs one statement per call
                m_db.exec(u"RELEASE SAVEPOINT sync_op"_s);
                savepointOpen = false;
            }
            if (result.kind == SyncOpResult::Kind::Applied) {
                if (m_changedOrder)
                    m_knownOrders.insert(m_changedOrder->first, m_changedOrder->second);
                for (const QString &orderId : std::as_const(m_settledOrders))
                    m_knownOrders.remove(orderId);
            }
        }
        // A rejected op blocks the later ops of its order (they were made on top of it); a
        // conflict does not (protocol 2): its change was reported and not applied, and the
        // order's later ops (its payment above all) still apply on the server's copy.
        if (result.kind == SyncOpResult::Kind::Rejected)
            stopped.insert(target, result.kind);
        results.append(result);
    }
    if (savepointOpen)
        m_db.exec(u"RELEASE SAVEPOINT sync_op"_s);
    flushStates();
    m_flushedInOp.clear();
    writeJournal();
    return results;
}

void SyncApplier::flushStates()
{
    for (const QString &orderId : std::as_const(m_pendingOrder)) {
        const OrderStore::State state = m_pendingStates.take(orderId);
        m_store.writeState(orderId, state);
        m_flushedInOp.append({orderId, state});
    }
    m_pendingOrder.clear();
}

void SyncApplier::keepOpState()
{
    if (!m_opState)
        return;
    m_pendingOrder.removeOne(m_opState->first);
    m_pendingOrder.append(m_opState->first);
    m_pendingStates.insert(m_opState->first, m_opState->second);
    m_opState.reset();
}

void SyncApplier::restoreFlushedInOp()
{
    // Written inside the savepoint that was just rolled back: earlier ops' states, still due.
    m_opState.reset();
    for (qsizetype i = m_flushedInOp.size() - 1; i >= 0; --i) {
        const auto &[orderId, state] = m_flushedInOp.at(i);
        if (!m_pendingStates.contains(orderId)) {
            m_pendingOrder.prepend(orderId);
            m_pendingStates.insert(orderId, state);
        }
    }
    m_flushedInOp.clear();
}

std::optional<Order> SyncApplier::loadOrder(const QString &orderId)
{
    flushStates();
    return m_store.load(orderId);
}

std::optional<Tab> SyncApplier::loadTab(const QString &tabId)
{
    flushStates();
    return m_store.loadTab(tabId);
}

void SyncApplier::writeJournal()
{
    // The applied ops' history entries and idempotency records, many rows per statement: the
    // same transaction as the changes (so they commit with them or not at all), but a fraction
    // of the round trips.
    m_journal.appendHistory(m_history);
    m_journal.storeResults(m_results);
}

SyncOpResult SyncApplier::applyOne(const SyncDevice &device, const SyncOp &op, const QString &key)
{
    SyncOpResult result;
    // State-based: any op whose payload carries the order's state is applied the same way,
    // whatever action made it (so a new kind of line edit on the terminal needs no new
    // server). The known names matter only for telling an old payload from an unknown op.
    if (op.op == settleOp) {
        flushStates(); // the settlement reads its orders from the database
        result = applySettlement(device, op, key);
    } else if (op.op == payTabOp) {
        flushStates(); // the tab's total is read from its orders in the database
        result = applyTabPayment(device, op, key);
    } else if (op.op == refundOp) {
        flushStates(); // the refund reads the sale's lines from the database
        result = applyRefund(device, op, key);
    } else if (op.op == shiftOpenOp || op.op == cashMovementOp || op.op == shiftCloseOp) {
        if (m_protocol < 5)
            return rejected(op, u"unsupported_op"_s,
                            u"The op \u201c%1\u201d needs sync protocol 5."_s.arg(op.op));
        result = applyShiftOp(device, op);
    } else if (isOrderOp(op.op) || op.payload.value(u"order"_s).isObject())
        result = applyOrderOp(device, op, key);
    else
        return rejected(op, u"unsupported_op"_s,
                        u"This server does not know the op \u201c%1\u201d."_s.arg(op.op));
    if (result.kind == SyncOpResult::Kind::Conflict ||
        result.kind == SyncOpResult::Kind::Rejected) {
        // PostgreSQL: a push of the same op may have committed after this one's first look.
        if (std::optional<SyncOpResult> twin = twinCommitted(op, key))
            return *twin;
    }
    return result;
}

bool SyncApplier::writesAtMostOnceLast(const SyncOp &op)
{
    // An edit of an open order this batch has already read, with at most one line change and no
    // payment, tab or status change: applyOrderOp() decides every conflict and refusal before
    // its only write (the line change; the order's state is written later, by flushStates()).
    if (isTabOp(op.op))
        return false;
    const auto known = m_knownOrders.constFind(op.orderId);
    if (known == m_knownOrders.constEnd() || known->status != OrderStatus::Active)
        return false;
    const QJsonObject order = op.payload.value(u"order"_s).toObject();
    const QJsonValue payment = order.value(u"payment"_s);
    const QJsonValue base = op.payload.value(u"base_version"_s);
    return order.value(u"status"_s).toString() == u"active"_s &&
           (payment.isNull() || payment.isUndefined()) && !base.isNull() && !base.isUndefined() &&
           op.payload.value(u"changes"_s).toArray().size() <= 1 &&
           // a payment change books a fact and may open a review item: more than one write
           op.payload.value(u"changes"_s).toArray().at(0).toObject().value(u"kind"_s) !=
               QJsonValue(u"payment"_s);
}

std::optional<SyncOpResult> SyncApplier::twinCommitted(const SyncOp &op, const QString &key)
{
    if (const std::optional<ActionJournal::StoredResult> stored = m_journal.find(key))
        return replayOf(op, stored->result);
    return std::nullopt;
}

SyncOpResult SyncApplier::replayOf(const SyncOp &op, const QJsonObject &stored)
{
    SyncOpResult result = applied(op, stored.value(u"version"_s).toInt());
    result.kind = SyncOpResult::Kind::Replayed;
    for (const QJsonValue &value : stored.value(u"review_items"_s).toArray()) {
        if (std::optional<ReviewItem> item = reviewItemFromJson(value.toObject()))
            result.reviewItems.append(*item);
    }
    // The first answer may have carried the server's merged copy of an open order; the till
    // adopts it if it still differs. Once per order in a batch: the copy is the same for each.
    if (!isTabOp(op.op) && !op.orderId.isEmpty() && !m_replayedOrders.contains(op.orderId)) {
        m_replayedOrders.insert(op.orderId);
        std::optional<Order> order = loadOrder(op.orderId);
        if (order &&
            (order->status == OrderStatus::Active || order->status == OrderStatus::PendingLogout))
            result.serverOrder = std::move(order);
    }
    return result;
}

bool SyncApplier::receiptTaken(const QString &receiptNo, const QString &orderId,
                               const QString &tabId)
{
    if (receiptNo.isEmpty())
        return false;
    flushStates(); // the receipts of this batch's orders are in the database
    return !m_db.scalar(u"SELECT 1 FROM order_sessions WHERE receipt_no = ? AND id <> ? "
                        "UNION ALL SELECT 1 FROM tabs WHERE receipt_no = ? AND id <> ? "
                        "UNION ALL SELECT 1 FROM payments WHERE receipt_no = ? AND "
                        "COALESCE(order_id, '') <> ? AND COALESCE(tab_id, '') <> ?"_s,
                        {receiptNo, orderId, receiptNo, tabId, receiptNo, orderId, tabId})
                .isNull();
}

bool SyncApplier::paymentHeld(const QString &paymentId)
{
    return !m_db.scalar(u"SELECT 1 FROM payments WHERE id = ?"_s, {paymentId}).isNull();
}

ReviewItem SyncApplier::bookOverpayment(const SyncDevice &device, Payment fact, const QString &what,
                                        const QString &why)
{
    fact.kind = PaymentKind::Overpayment;
    bookPayment(device, fact);
    ReviewItem review;
    review.id = QUuid::createUuid().toString(QUuid::WithoutBraces);
    review.kind = u"paid_twice"_s;
    review.orderId = fact.orderId;
    review.tabId = fact.tabId;
    review.paymentId = fact.id;
    review.terminalId = device.id;
    review.amountCents = -fact.amountCents;
    review.summary =
        u"%1 was paid at %2 (%3, %4 cents) %5: the customer paid twice; refund or keep %4 "
        "cents."_s
            .arg(what, device.name,
                 fact.receiptNo.isEmpty() ? u"payment %1"_s.arg(fact.id)
                                          : u"receipt %1"_s.arg(fact.receiptNo))
            .arg(fact.amountCents)
            .arg(why);
    review.detail = QJsonObject{{u"payment"_s, SafeTill::toJson(fact)}};
    m_reviews.insert(review);
    return review;
}

void SyncApplier::ensureTab(const SyncDevice &device, const QString &tabId, const QString &tabName,
                            const QString &createdAt)
{
    // A tab belongs to the terminal that opened it: its unique open-tab name is scoped to the
    // device, so "Table 5" on two terminals is two tabs here (docs/sync-protocol.md, section 3).
    const QString name = normalizedName(tabName);
    m_store.insertOpenTab(tabId, name, nameKey(name) + u'@' + device.id, device.id, createdAt);
}

SyncOpResult SyncApplier::applyOrderOp(const SyncDevice &device, const SyncOp &op,
                                       const QString &key)
{
    if (op.orderId.isEmpty())
        return rejected(op, invalid(u"An order op needs order_id."_s));
    if (!op.payload.value(u"order"_s).isObject())
        return rejected(op, u"unsupported_payload"_s,
                        u"This op was written before sync existed (its payload has no order "
                        "state); it cannot be applied."_s);
    const QJsonValue baseValue = op.payload.value(u"base_version"_s);
    std::optional<int> baseVersion;
    if (!baseValue.isNull() && !baseValue.isUndefined()) {
        const std::optional<qint64> base = wholeNumber(baseValue, 1, 1'000'000'000);
        if (!base)
            return rejected(
                op,
                invalid(u"payload.base_version must be a whole number of at least 1, or null."_s));
        baseVersion = int(*base);
    }
    const Parsed<OrderState> parsedState = parseOrderState(op, baseVersion);
    if (!parsedState)
        return rejected(op, parsedState.problem());
    const OrderState &state = *parsedState;
    const Parsed<QList<LineChange>> parsedChanges = parseChanges(op.payload);
    if (!parsedChanges)
        return rejected(op, parsedChanges.problem());
    const QList<LineChange> &changes = *parsedChanges;

    auto conflict = [&](const QString &code, const QString &message) {
        SyncOpResult result = failed(op, SyncOpResult::Kind::Conflict, code, message);
        result.serverOrder = loadOrder(op.orderId);
        return result;
    };
    // The same answer for an order that does not exist and one of another device: nothing about
    // another device's order is revealed.
    auto unknownOrder = [&] {
        return rejected(op, u"unknown_order"_s,
                        u"This device has no order %1 on the server: its first op never arrived "
                        "or was rejected."_s.arg(op.orderId));
    };

    if (!m_knownCashiers.contains(state.cashierId)) {
        if (!m_store.cashierExists(state.cashierId))
            return rejected(op, u"unknown_cashier"_s,
                            u"The server has no cashier %1; orders of cashiers that did not come "
                            "from the server cannot be synced."_s.arg(state.cashierId));
        m_knownCashiers.insert(state.cashierId);
    }

    // The server's copy: as an earlier op of this batch left it, or read (and, on PostgreSQL,
    // locked: FOR UPDATE waits for a concurrent change of this order and reads what it committed).
    auto readServer = [&]() -> std::optional<KnownOrder> {
        QSqlQuery &query = m_db.exec(u"SELECT cashier_id, status, version, tab_id, receipt_no, "
                                     "terminal_id, line_seq, discount_kind, discount_value, "
                                     "discount_reason, discount_by FROM order_sessions "
                                     "WHERE id = ?"_s +
                                         forUpdate(),
                                     {op.orderId});
        std::optional<KnownOrder> found;
        if (query.next()) {
            found = KnownOrder{
                query.value(0).toString(),
                orderStatusFromString(query.value(1).toString()).value_or(OrderStatus::Active),
                query.value(2).toInt(),
                query.value(3).toString(),
                query.value(4).toString(),
                query.value(5).toString(),
                {},
                false,
                query.value(6).toInt(),
                {}};
            found->discount.kind =
                discountKindFromString(query.value(7).toString()).value_or(DiscountKind::None);
            if (!found->discount.isNone()) {
                found->discount.value = query.value(8).toLongLong();
                found->discount.reason = query.value(9).toString();
                found->discount.byCashierId = query.value(10).toString();
            }
        }
        query.finish();
        return found;
    };
    std::optional<KnownOrder> server;
    bool created = false;
    if (auto known = m_knownOrders.constFind(op.orderId); known != m_knownOrders.constEnd()) {
        server = *known;
    } else if (baseVersion) {
        server = readServer();
        if (!server)
            return unknownOrder();
    } else {
        // A new order of this device: the insert finds out itself whether it exists (one round
        // trip, not two). Inserted only if the id is new and the cashier has no other open
        // order of this device (one per cashier per terminal).
        // The cashier's previous order may have closed in this batch: its state must be in
        // the database for the one-open-order index to see it.
        flushStates();
        created = m_store.insertOrder(op.orderId, state.cashierId, device.id, state.version,
                                      state.createdAt) == 1;
        if (!created) {
            if (std::optional<SyncOpResult> twin = twinCommitted(op, key))
                return *twin;
            server = readServer(); // an order of this id exists: this device's own, or not
            if (!server)
                return rejected(
                    op, u"cashier_has_open_order"_s,
                    u"Cashier %1 has another open order of this device on the server."_s.arg(
                        state.cashierId));
        }
    }

    const QString now = toStorageTime(m_clock.now());
    if (created) {
        server = KnownOrder{state.cashierId,
                            OrderStatus::Active,
                            state.version,
                            {},
                            {},
                            device.id,
                            {},
                            true,
                            0,
                            {}};
        if (state.status == OrderStatus::Active && changes.isEmpty()) {
            // The op that opened it: nothing more to do.
            m_opHistory.append(HistoryEntry{0,
                                            op.orderId,
                                            {},
                                            state.cashierId,
                                            op.op,
                                            std::nullopt,
                                            state.version,
                                            QString(),
                                            toString(OrderStatus::Active),
                                            u"synced from device %1"_s.arg(device.name),
                                            key,
                                            {}});
            m_changedOrder = std::pair{op.orderId, *server};
            return applied(op, state.version);
        }
        m_opHistory.append(HistoryEntry{0,
                                        op.orderId,
                                        {},
                                        state.cashierId,
                                        u"open"_s,
                                        std::nullopt,
                                        state.version,
                                        QString(),
                                        toString(OrderStatus::Active),
                                        u"synced from device %1"_s.arg(device.name),
                                        key,
                                        {}});
    } else if (server->terminalId != device.id) {
        return unknownOrder();
    } else if (server->cashierId != state.cashierId) {
        return rejected(op, invalid(u"An order's cashier cannot change."_s));
    }
    if (!server->linesKnown) {
        server->lines = m_store.lines(op.orderId);
        server->linesKnown = true;
    }

    const int fromVersion = server->version;
    const OrderStatus fromStatus = server->status;
    QList<ReviewItem> reviews;
    auto orderFactOf = [&](const PaymentState &p) {
        Payment payment = factOf(p, device.id);
        payment.orderId = op.orderId;
        payment.dueCents = state.total();
        payment.paidVersion = state.version - 1;
        payment.cashierId = state.cashierId;
        return payment;
    };
    std::optional<Payment> fact;
    if (state.payment)
        fact = orderFactOf(*state.payment);
    // Payments that left a balance (op "pay", protocol 3), each booked once by its id.
    QList<Payment> partials;
    for (const LineChange &change : changes) {
        if (change.kind == LineChange::Kind::Payment)
            partials.append(orderFactOf(change.payment));
    }
    // A payment the server does not hold yet. (On an open order it cannot hold the one that
    // completes it: that is booked as the order closes; the payment's primary key backs it up.)
    const bool closedOnServer =
        server->status == OrderStatus::Completed || server->status == OrderStatus::Assigned;
    const bool paysNow = fact && state.status == OrderStatus::Completed &&
                         (!closedOnServer || !paymentHeld(fact->id));

    if (closedOnServer) {
        QList<Payment> unbooked;
        for (const Payment &partial : std::as_const(partials)) {
            if (!paymentHeld(partial.id))
                unbooked.append(partial);
        }
        if (paysNow)
            unbooked.append(*fact);
        if (unbooked.isEmpty()) {
            return conflict(u"order_closed"_s,
                            u"Order %1 was already %2 on the server; this change was not "
                            "applied."_s.arg(op.orderId, toString(server->status)));
        }
        // Paid here and already paid (or put on a tab) on the server: the money taken here is a
        // fact, booked as an overpayment for a manager to refund or keep.
        if (paysNow && receiptTaken(fact->receiptNo, QString(), QString()))
            return rejected(
                op, u"receipt_no_taken"_s,
                u"The receipt number %1 is already used on the server."_s.arg(fact->receiptNo));
        for (const Payment &payment : std::as_const(unbooked)) {
            reviews.append(bookOverpayment(
                device, payment, u"Order %1"_s.arg(op.orderId),
                u"after it had been %1 on the server"_s.arg(toString(server->status))));
        }
    } else {
        // Open on the server: the line changes merge, as deltas by line id.
        QHash<QString, qsizetype> index;
        for (qsizetype i = 0; i < server->lines.size(); ++i)
            index.insert(server->lines.at(i).lineId, i);
        for (const LineChange &change : changes) {
            const auto at = index.constFind(change.lineId);
            const bool present = at != index.constEnd();
            if (change.kind == LineChange::Kind::Add) {
                if (present)
                    continue; // added before (the same line id): nothing to do
                if (server->lines.size() >= Limits::maxLinesPerOrder)
                    return conflict(
                        u"order_full"_s,
                        u"Order %1 has %2 lines on the server; no more fit."_s.arg(op.orderId)
                            .arg(server->lines.size()));
                OrderLine line = change.line;
                // The till's number when this order never had it here (the usual case: both
                // sides then show the same numbers); else the server's next. Never reused.
                // (The order's row is held by this transaction, so the next number is known
                // here; line_seq is written with the version below, in the same statement.)
                if (line.lineNo > server->lineSeq)
                    server->lineSeq = line.lineNo;
                else
                    line.lineNo = ++server->lineSeq;
                line = m_store.insertLine(op.orderId, line);
                index.insert(line.lineId, server->lines.size());
                server->lines.append(line);
            } else if (change.kind == LineChange::Kind::Adjust) {
                if (!present)
                    return conflict(u"line_removed"_s,
                                    u"The item changed here was removed from order %1 elsewhere; "
                                    "this change was not applied."_s.arg(op.orderId));
                OrderLine &line = server->lines[*at];
                const int quantity = line.quantity + change.delta;
                if (quantity < 1 || quantity > Limits::maxQuantity)
                    return conflict(
                        u"quantity_conflict"_s,
                        u"%1 on order %2 would hold %3 items after the changes made "
                        "elsewhere; this change was not applied."_s.arg(line.name, op.orderId)
                            .arg(quantity));
                m_store.addToLine(op.orderId, line.lineId, change.delta);
                line.quantity = quantity;
            } else if (change.kind == LineChange::Kind::Remove) {
                if (!present)
                    continue; // already gone: nothing to do
                m_store.deleteLine(op.orderId, change.lineId);
                server->lines.removeAt(*at);
                index.clear();
                for (qsizetype i = 0; i < server->lines.size(); ++i)
                    index.insert(server->lines.at(i).lineId, i);
            } else if (change.kind == LineChange::Kind::Discount ||
                       change.kind == LineChange::Kind::Price) {
                // A discount or price for a line the server no longer has: the till's cashier
                // gave it to an item that is gone; a conflict puts it on the till's review list.
                if (!present)
                    return conflict(u"line_removed"_s,
                                    u"The item discounted or re-priced here was removed from order "
                                    "%1 elsewhere; this change was not applied."_s.arg(op.orderId));
                OrderLine &line = server->lines[*at];
                if (change.kind == LineChange::Kind::Discount) {
                    if (change.discount.kind == DiscountKind::Amount &&
                        change.discount.value > line.amountCents())
                        return conflict(
                            u"quantity_conflict"_s,
                            u"The discount of %1 cents on %2 is more than the line's amount on "
                            "the server (%3 cents); this change was not applied."_s
                                .arg(change.discount.value)
                                .arg(line.name)
                                .arg(line.amountCents()));
                    m_store.setLineDiscount(op.orderId, line.lineId, change.discount);
                    line.discount = change.discount;
                } else {
                    m_store.setLinePrice(op.orderId, line.lineId, change.price, change.reason);
                    if (!line.listPriceCents)
                        line.listPriceCents = line.unitPriceCents;
                    line.unitPriceCents = change.price;
                    line.priceReason = change.reason;
                }
            } else if (change.kind == LineChange::Kind::OrderDiscount) {
                m_store.setOrderDiscount(op.orderId, change.discount);
                server->discount = change.discount;
            }
        }

        // Payments that left a balance: booked once by id, as sales while the server's copy
        // still owes that much, else (paid meanwhile elsewhere) as an overpayment to review.
        for (Payment partial : std::as_const(partials)) {
            if (paymentHeld(partial.id))
                continue;
            Cents paid = 0;
            const Cents total = m_store.orderTotal(op.orderId, nullptr, &paid);
            if (partial.amountCents <= total - paid) {
                partial.dueCents = total;
                bookPayment(device, partial);
            } else {
                reviews.append(bookOverpayment(
                    device, partial, u"Order %1"_s.arg(op.orderId),
                    u"when the server's copy owed %1 cents"_s.arg(qMax<Cents>(0, total - paid))));
            }
        }

        if (paysNow) {
            // What the till paid for is what the order is: its lines become the paid lines, and
            // whatever was on the server's copy beyond them (or missing from it) is the
            // difference, for a manager. The payment is booked either way.
            if (receiptTaken(fact->receiptNo, op.orderId, QString()))
                return rejected(
                    op, u"receipt_no_taken"_s,
                    u"The receipt number %1 is already used on the server."_s.arg(fact->receiptNo));
            QJsonArray unpaid;
            QJsonArray notDelivered;
            Cents difference = 0;
            QHash<QString, const OrderLine *> paid;
            for (const OrderLine &line : state.lines)
                paid.insert(line.lineId, &line);
            QList<OrderLine> kept;
            for (const OrderLine &line : std::as_const(server->lines)) {
                const OrderLine *paidLine = paid.value(line.lineId);
                const int paidQty = paidLine ? paidLine->quantity : 0;
                const Cents paidPrice = paidLine ? paidLine->unitPriceCents : line.unitPriceCents;
                if (line.quantity > paidQty || paidPrice != line.unitPriceCents) {
                    const int extra = line.quantity - paidQty;
                    if (extra > 0) {
                        unpaid.append(QJsonObject{{u"line_id"_s, line.lineId},
                                                  {u"name"_s, line.name},
                                                  {u"sku"_s, textOrNull(line.sku)},
                                                  {u"qty"_s, extra},
                                                  {u"unit_price_cents"_s, line.unitPriceCents}});
                        difference += Cents(extra) * line.unitPriceCents;
                    }
                }
                if (paidLine) {
                    if (paidLine->quantity != line.quantity)
                        m_store.addToLine(op.orderId, line.lineId,
                                          paidLine->quantity - line.quantity);
                    // The discount and price the customer paid with are the line's.
                    if (paidLine->discount != line.discount)
                        m_store.setLineDiscount(op.orderId, line.lineId, paidLine->discount);
                    if (paidLine->unitPriceCents != line.unitPriceCents)
                        m_store.setLinePrice(op.orderId, line.lineId, paidLine->unitPriceCents,
                                             paidLine->priceReason.isEmpty()
                                                 ? u"as paid at %1"_s.arg(device.name)
                                                 : paidLine->priceReason);
                    OrderLine keptLine = line;
                    keptLine.quantity = paidLine->quantity;
                    keptLine.discount = paidLine->discount;
                    if (paidLine->unitPriceCents != line.unitPriceCents) {
                        keptLine.listPriceCents = line.listPriceCents.value_or(line.unitPriceCents);
                        keptLine.unitPriceCents = paidLine->unitPriceCents;
                    }
                    kept.append(keptLine);
                    paid.remove(line.lineId);
                } else {
                    m_store.deleteLine(op.orderId, line.lineId);
                }
            }
            for (const OrderLine &line : state.lines) {
                if (!paid.contains(line.lineId))
                    continue;
                // Paid for here, but removed on the server meanwhile: the customer has it (the
                // till sold it), so it goes back on the order it was paid with.
                OrderLine restored = line;
                restored.lineNo = ++server->lineSeq;
                kept.append(m_store.insertLine(op.orderId, restored));
                notDelivered.append(QJsonObject{{u"line_id"_s, line.lineId},
                                                {u"name"_s, line.name},
                                                {u"qty"_s, line.quantity},
                                                {u"unit_price_cents"_s, line.unitPriceCents}});
            }
            server->lines = kept;
            if (state.discount != server->discount) {
                m_store.setOrderDiscount(op.orderId, state.discount);
                server->discount = state.discount;
            }
            // The last payment of a split tender pays what the earlier ones (booked by their
            // own ops, which came first) left; one that does not fit what the server's copy
            // still owes was paid meanwhile elsewhere: an overpayment, for a manager.
            Cents paidBefore = 0;
            m_store.orderTotal(op.orderId, nullptr, &paidBefore);
            if (fact->amountCents + paidBefore > fact->dueCents) {
                reviews.append(bookOverpayment(
                    device, *fact, u"Order %1"_s.arg(op.orderId),
                    u"when %1 of its %2 cents were paid on the server already"_s.arg(paidBefore)
                        .arg(fact->dueCents)));
            } else {
                bookPayment(device, *fact);
            }
            if (fact->amountCents + paidBefore < fact->dueCents) {
                // Less than the total reached the server (an earlier payment of the till never
                // did): the order completes as it did on the till; the gap is for a manager.
                difference += fact->dueCents - fact->amountCents - paidBefore;
                unpaid.append(QJsonObject{
                    {u"name"_s, u"balance not paid"_s},
                    {u"amount_cents"_s, fact->dueCents - fact->amountCents - paidBefore}});
            }
            if (!unpaid.isEmpty() || !notDelivered.isEmpty()) {
                ReviewItem review;
                review.id = QUuid::createUuid().toString(QUuid::WithoutBraces);
                review.kind = u"paid_order_changed"_s;
                review.orderId = op.orderId;
                review.paymentId = fact->id;
                review.terminalId = device.id;
                review.amountCents = difference;
                review.summary =
                    u"Order %1 was paid at %2 (receipt %3, %4 cents) for the items shown there, "
                    "while it was changed on the server: %5 item(s) worth %6 cents were not paid "
                    "for. The payment is booked; collect, refund or write off the difference."_s
                        .arg(op.orderId, device.name, fact->receiptNo)
                        .arg(fact->amountCents)
                        .arg(unpaid.size() + notDelivered.size())
                        .arg(difference);
                review.detail = QJsonObject{{u"payment"_s, SafeTill::toJson(*fact)},
                                            {u"unpaid_lines"_s, unpaid},
                                            {u"restored_lines"_s, notDelivered}};
                m_reviews.insert(review);
                reviews.append(review);
            }
        }

        if (state.status == OrderStatus::Assigned && server->tabId != state.tabId) {
            ensureTab(device, state.tabId, state.tabName, op.createdAt);
            // The tab's row lock (its conditional update): a settlement of the tab at the same
            // moment either commits first (then the tab is not open here) or waits for this.
            if (!m_store.lockOpenTab(state.tabId, device.id)) {
                const QVariant owner =
                    m_db.scalar(u"SELECT terminal_id FROM tabs WHERE id = ?"_s, {state.tabId});
                if (owner.isNull() || owner.toString() != device.id)
                    return rejected(op, u"tab_name_taken"_s,
                                    u"The server already has another open tab \u201c%1\u201d of "
                                    "this device."_s.arg(state.tabName));
                return conflict(u"tab_closed"_s,
                                u"The tab \u201c%1\u201d is already settled on the server."_s.arg(
                                    state.tabName));
            }
        }
        server->status = state.status;
        if (state.status == OrderStatus::Assigned)
            server->tabId = state.tabId;
        if (paysNow)
            server->receiptNo = fact->receiptNo;
        if (state.status == OrderStatus::Completed && !paysNow && fromStatus != state.status)
            return rejected(op, invalid(u"A completed order comes with its payment."_s));
    }

    const bool closedHere =
        fromStatus == OrderStatus::Completed || fromStatus == OrderStatus::Assigned;
    // The till's version when the server's copy was where the till's started (nothing merged:
    // both sides then name the same versions), else the server's next; always up.
    const int version = baseVersion && *baseVersion == fromVersion
                            ? qMax(state.version, fromVersion + 1)
                            : fromVersion + 1;
    OrderStore::State written;
    written.version = version;
    written.lineSeq = server->lineSeq;
    written.status = server->status;
    written.tabId = server->tabId;
    written.receiptNo = server->receiptNo;
    written.updatedAt = state.updatedAt.isEmpty() ? now : state.updatedAt;
    written.logoutTime = state.logoutTime.isEmpty() ? now : state.logoutTime;
    if (server->status == OrderStatus::Completed) {
        if (!closedHere)
            written.completedAt = state.completedAt.isEmpty() ? now : state.completedAt;
        else if (auto pending = m_pendingStates.constFind(op.orderId);
                 pending != m_pendingStates.constEnd())
            written.completedAt = pending->completedAt;
        else
            written.completedAt =
                m_db.scalar(u"SELECT completed_at FROM order_sessions WHERE id = ?"_s, {op.orderId})
                    .toString();
    }
    m_opState = std::pair{op.orderId, written}; // written by flushStates()
    server->version = version;
    m_opHistory.append(HistoryEntry{0,
                                    op.orderId,
                                    {},
                                    state.cashierId,
                                    op.op,
                                    fromVersion,
                                    version,
                                    toString(fromStatus),
                                    toString(server->status),
                                    u"synced from device %1"_s.arg(device.name),
                                    key,
                                    {}});
    m_changedOrder = std::pair{op.orderId, *server};

    SyncOpResult result = applied(op, version);
    result.reviewItems = reviews;
    // The till's copy differs from the server's (edits merged from elsewhere): it gets the
    // server's, to show the cashier the merged order.
    if (!sameSale(server->lines, state.lines) || server->status != state.status ||
        server->discount != state.discount)
        result.serverOrder = loadOrder(op.orderId);
    return result;
}

SyncOpResult SyncApplier::applySettlement(const SyncDevice &device, const SyncOp &op,
                                          const QString &key)
{
    const QJsonObject &payload = op.payload;
    if (op.tabId.isEmpty() || payload.value(u"tab_id"_s).toString() != op.tabId)
        return rejected(
            op, invalid(u"A settle_tab op needs tab_id, the same in the op and its payload."_s));
    const QJsonValue orderIdsValue = payload.value(u"order_ids"_s);
    if (!orderIdsValue.isArray() || orderIdsValue.toArray().isEmpty() ||
        orderIdsValue.toArray().size() > 10000)
        return rejected(op,
                        invalid(u"payload.order_ids must be a non-empty array of order ids."_s));
    QSet<QString> orderIds;
    for (const QJsonValue &value : orderIdsValue.toArray()) {
        if (!isIdText(value))
            return rejected(
                op,
                invalid(
                    u"payload.order_ids must hold order ids (strings of 1 to 64 characters)."_s));
        orderIds.insert(value.toString());
    }
    const std::optional<PaymentMethod> method =
        paymentMethodFromString(payload.value(u"method"_s).toString());
    if (!payload.value(u"method"_s).isString() || !method)
        return rejected(op, invalid(u"payload.method must be cash, card or other."_s));
    const auto amount = wholeNumber(payload.value(u"amount_cents"_s), 0, Limits::maxTenderCents);
    const auto tendered =
        wholeNumber(payload.value(u"tendered_cents"_s), 0, Limits::maxTenderCents);
    if (!amount || !tendered || *tendered < *amount ||
        (*method != PaymentMethod::Cash && *tendered != *amount))
        return rejected(
            op,
            invalid(u"payload.amount_cents and tendered_cents must be whole cents with tendered >= "
                    "amount (equal for a card or other payment)."_s));
    if (!isIdText(payload.value(u"receipt_no"_s)))
        return rejected(op,
                        invalid(u"payload.receipt_no must be a string of 1 to 64 characters."_s));
    const QString receiptNo = payload.value(u"receipt_no"_s).toString();
    // The payment fact as the till booked it (protocol 3: label, cash rounding); a till from
    // before split tender sent the amounts above only.
    std::optional<PaymentState> tillPayment;
    if (payload.value(u"payment"_s).isObject()) {
        const Parsed<PaymentState> parsed =
            parsePayment(payload.value(u"payment"_s).toObject(), u"payload.payment"_s);
        if (!parsed)
            return rejected(op, parsed.problem());
        tillPayment = *parsed;
        if (tillPayment->amount != *amount || tillPayment->method != *method ||
            tillPayment->tendered != *tendered || tillPayment->receiptNo != receiptNo)
            return rejected(
                op,
                invalid(u"payload.payment must have the op's method, amount_cents, tendered_cents "
                        "and receipt_no."_s));
    }
    // The terminal's settlement time when its payload carries one, else when its row was written.
    const QString settledAt = utcTime(payload.value(u"settled_at"_s)).value_or(op.createdAt);

    auto conflict = [&](const QString &message) {
        SyncOpResult result = failed(op, SyncOpResult::Kind::Conflict, u"tab_changed"_s, message);
        result.serverTab = loadTab(op.tabId);
        return result;
    };

    QSqlQuery &tabQuery =
        m_db.exec(u"SELECT status, terminal_id FROM tabs WHERE id = ?"_s + forUpdate(), {op.tabId});
    QVariant status;
    if (tabQuery.next() && tabQuery.value(1).toString() == device.id)
        status = tabQuery.value(0); // another device's tab is answered as unknown
    tabQuery.finish();
    if (status.isNull())
        return rejected(op, u"unknown_tab"_s,
                        u"The server has no tab %1: the ops that put orders on it never arrived "
                        "or were rejected."_s.arg(op.tabId));
    if (status.toString() != u"open"_s)
        return conflict(u"The tab is already settled on the server."_s);
    {
        QSet<QString> serverOrders;
        bool allAssigned = true;
        QSqlQuery &query =
            m_db.exec(u"SELECT id, status FROM order_sessions WHERE tab_id = ?"_s, {op.tabId});
        while (query.next()) {
            serverOrders.insert(query.value(0).toString());
            allAssigned = allAssigned && query.value(1).toString() == u"assigned"_s;
        }
        query.finish();
        if (serverOrders != orderIds || !allAssigned)
            return conflict(u"The tab holds other orders on the server than the ones paid for."_s);
    }
    // The last payment of a split tender pays what the earlier ones (pay_tab ops, booked
    // first) left; a single tender the whole total.
    Cents paidBefore = 0;
    const Cents total = m_store.tabTotal(op.tabId, &paidBefore);
    if (total - paidBefore != *amount)
        return conflict(u"The tab's balance on the server (%1 cents of %2) is not the amount paid "
                        "(%3 cents)."_s.arg(total - paidBefore)
                            .arg(total)
                            .arg(*amount));
    if (receiptTaken(receiptNo, QString(), op.tabId))
        return rejected(op, u"receipt_no_taken"_s,
                        u"The receipt number %1 is already used on the server."_s.arg(receiptNo));

    const std::optional<int> tabVersion =
        m_store.settleOpenTab(op.tabId, std::nullopt, settledAt, receiptNo);
    if (!tabVersion) {
        if (std::optional<SyncOpResult> twin = twinCommitted(op, key))
            return *twin;
        return conflict(u"The tab was settled on the server at the same moment."_s);
    }
    QList<HistoryEntry> entries;
    for (const OrderStore::ClosedOrder &order : m_store.completeTabOrders(op.tabId, settledAt)) {
        entries.append(HistoryEntry{
            0,
            order.orderId,
            {},
            order.cashierId,
            settleOp,
            order.version - 1,
            order.version,
            toString(OrderStatus::Assigned),
            toString(OrderStatus::Completed),
            u"tab settled, receipt %1, synced from device %2"_s.arg(receiptNo, device.name),
            key,
            {}});
    }
    if (entries.size() != orderIds.size()) // the orders changed between the check and now
        return conflict(u"The tab's orders changed on the server at the same moment."_s);
    // The payment fact keeps the id the till gave it, so both sides name the same payment.
    // (total == *amount: checked above.)
    const QJsonValue factId = payload.value(u"payment"_s).toObject().value(u"id"_s);
    Payment fact = Payment::sale(
        isIdText(factId) ? factId.toString() : QUuid::createUuid().toString(QUuid::WithoutBraces),
        *method, *amount, *tendered, receiptNo, fromStorageTime(settledAt), *tabVersion - 1,
        device.id);
    fact.dueCents = total;
    fact.tabId = op.tabId;
    if (tillPayment) {
        fact.label = tillPayment->label;
        fact.roundingCents = tillPayment->rounding;
        fact.changeCents = tillPayment->change;
    }
    bookPayment(device, fact);
    for (const HistoryEntry &entry : std::as_const(entries)) {
        m_opHistory.append(entry);
        m_settledOrders.append(entry.orderId);
    }
    return applied(op, *tabVersion);
}

SyncOpResult SyncApplier::applyTabPayment(const SyncDevice &device, const SyncOp &op,
                                          const QString &key)
{
    const QJsonObject &payload = op.payload;
    if (op.tabId.isEmpty() || payload.value(u"tab_id"_s).toString() != op.tabId)
        return rejected(
            op, invalid(u"A pay_tab op needs tab_id, the same in the op and its payload."_s));
    if (!payload.value(u"payment"_s).isObject())
        return rejected(op, invalid(u"payload.payment must be the payment object."_s));
    const Parsed<PaymentState> parsed =
        parsePayment(payload.value(u"payment"_s).toObject(), u"payload.payment"_s);
    if (!parsed)
        return rejected(op, parsed.problem());
    const PaymentState &state = *parsed;
    if (!state.receiptNo.isEmpty())
        return rejected(
            op,
            invalid(
                u"payload.payment.receipt_no must be null: only the payment that settles the tab "
                "carries the receipt number."_s));
    if (state.amount < 1)
        return rejected(op, invalid(u"payload.payment.amount_cents must be at least 1."_s));

    // The tab's row lock (its conditional update), as a settlement takes it: a settlement or an
    // order put on the tab at the same moment commits first or waits.
    QSqlQuery &tabQuery =
        m_db.exec(u"SELECT status, terminal_id FROM tabs WHERE id = ?"_s + forUpdate(), {op.tabId});
    QVariant status;
    if (tabQuery.next() && tabQuery.value(1).toString() == device.id)
        status = tabQuery.value(0); // another device's tab is answered as unknown
    tabQuery.finish();
    if (status.isNull())
        return rejected(op, u"unknown_tab"_s,
                        u"The server has no tab %1: the ops that put orders on it never arrived "
                        "or were rejected."_s.arg(op.tabId));

    Payment fact = factOf(state, device.id);
    fact.tabId = op.tabId;
    fact.receiptNo.clear(); // a payment that leaves a balance has none
    fact.cashierId = payload.value(u"payment"_s).toObject().value(u"cashier_id"_s).toString();
    if (!fact.cashierId.isEmpty() && !m_store.cashierExists(fact.cashierId))
        fact.cashierId.clear();

    SyncOpResult result;
    if (paymentHeld(fact.id)) {
        // Booked before (by this op through another route): nothing more.
        result = applied(
            op, m_db.scalar(u"SELECT version FROM tabs WHERE id = ?"_s, {op.tabId}).toInt());
        return result;
    }
    std::optional<int> version;
    if (status.toString() == u"open"_s)
        version = m_store.bumpOpenTab(op.tabId, std::nullopt);
    Cents paid = 0;
    const Cents total = m_store.tabTotal(op.tabId, &paid);
    fact.dueCents = total;
    if (version && fact.amountCents <= total - paid) {
        fact.paidVersion = *version - 1;
        bookPayment(device, fact);
        result = applied(op, *version);
    } else {
        // Settled (or paid down) on the server meanwhile: the money taken here is a fact all
        // the same, booked as an overpayment for a manager to refund or keep.
        fact.paidVersion =
            qMax(1, m_db.scalar(u"SELECT version FROM tabs WHERE id = ?"_s, {op.tabId}).toInt());
        if (version)
            fact.paidVersion = *version - 1;
        result = applied(op, version ? *version : fact.paidVersion);
        result.reviewItems.append(bookOverpayment(
            device, fact, u"Tab %1"_s.arg(op.tabId),
            version ? u"when the server's tab owed %1 cents"_s.arg(qMax<Cents>(0, total - paid))
                    : u"after it had been settled on the server"_s));
    }
    m_opHistory.clear(); // a tab's payment changes none of its orders
    Q_UNUSED(key);
    return result;
}

// ---------------------------------------------------------------------------------------------
// Refunds (protocol 4, docs/sync-protocol.md section 5.5)

SyncOpResult SyncApplier::applyRefund(const SyncDevice &device, const SyncOp &op,
                                      const QString &key)
{
    const QJsonValue value = op.payload.value(u"refund"_s);
    if (!value.isObject())
        return rejected(
            op, invalid(u"payload.refund must be an object (the refund as the till booked it)."_s));
    std::optional<Refund> parsed = refundFromJson(value.toObject());
    if (!parsed)
        return rejected(
            op,
            invalid(u"payload.refund needs an id, kind (refund or void), method, amount_cents < 0, "
                    "lines each with a line_id and a quantity of at least 1, and a rounding_cents "
                    "(when given) from -10000 to 10000."_s));
    Refund refund = std::move(*parsed);
    if (refund.id.size() > 64)
        return rejected(op, invalid(u"payload.refund.id must be 1 to 64 characters."_s));
    if (refund.receiptNo.isEmpty() || refund.receiptNo.size() > 64)
        return rejected(op, invalid(u"payload.refund.receipt_no must be 1 to 64 characters."_s));
    if (refund.originalReceiptNo.isEmpty() || refund.originalReceiptNo.size() > 64)
        return rejected(
            op, invalid(u"payload.refund.original_receipt_no must be 1 to 64 characters."_s));
    // Booked at the device, as its payments are (the till's own terminal id is local to it).
    refund.terminalId = device.id;
    if (!utcTime(value.toObject().value(u"refunded_at"_s)))
        return rejected(
            op,
            invalid(
                u"payload.refund.refunded_at must be a UTC time like 2026-11-29T10:15:02.123Z."_s));
    if (refund.cashierId.isEmpty() || refund.cashierId.size() > 64)
        return rejected(
            op, invalid(u"payload.refund.cashier_id must be a cashier id (1 to 64 characters)."_s));
    if (refund.reason.size() > 200)
        return rejected(op, invalid(u"payload.refund.reason must be at most 200 characters."_s));
    if (refund.kind == RefundKind::Void && refund.reason.trimmed().isEmpty())
        return rejected(op, invalid(u"payload.refund.reason: a void needs a reason."_s));
    if ((refund.method == PaymentMethod::Other) != !refund.label.isEmpty() ||
        refund.label.size() > 60)
        return rejected(
            op,
            invalid(
                u"payload.refund.label must be 1 to 60 characters for method other, else empty."_s));
    // Cash rounding (docs/sync-protocol.md 5.5): cash only, and never turning money out into
    // money in.
    if (refund.roundingCents != 0 &&
        (refund.method != PaymentMethod::Cash || refund.amountCents + refund.roundingCents > 0))
        return rejected(
            op, invalid(u"payload.refund.rounding_cents is for cash only, with amount_cents + "
                        "rounding_cents <= 0."_s));
    if (refund.lines.isEmpty())
        return rejected(op, invalid(u"payload.refund.lines must not be empty."_s));
    Cents sum = 0;
    QSet<QString> seen;
    for (qsizetype i = 0; i < refund.lines.size(); ++i) {
        const RefundLine &line = refund.lines.at(i);
        if (seen.contains(line.lineId))
            return rejected(op,
                            invalid(u"payload.refund.lines[%1].line_id is given twice."_s.arg(i)));
        seen.insert(line.lineId);
        if (line.quantity > Limits::maxQuantity)
            return rejected(
                op, invalid(u"payload.refund.lines[%1].quantity must be 1 to %2."_s.arg(i).arg(
                        Limits::maxQuantity)));
        if (line.taxCents < line.amountCents)
            return rejected(
                op,
                invalid(
                    u"payload.refund.lines[%1].tax_cents must be within amount_cents."_s.arg(i)));
        sum += line.amountCents;
    }
    if (sum != refund.amountCents)
        return rejected(
            op,
            invalid(u"payload.refund.amount_cents must be the sum of its lines' amount_cents."_s));

    // The answer's version: the sale's order (a tab's: its orders' highest), which a refund does
    // not change.
    auto saleVersion = [this](const QString &originalReceiptNo) {
        const std::optional<OrderStore::Sale> sold = m_store.saleOfReceipt(originalReceiptNo);
        if (!sold)
            return 1;
        return std::max(1, m_db.scalar(u"SELECT MAX(version) FROM order_sessions "
                                       "WHERE id = ? OR tab_id = ?"_s,
                                       {nullIfEmpty(sold->orderId), nullIfEmpty(sold->tabId)})
                               .toInt());
    };
    // Idempotent by the refund's id: a refund the server holds already (pushed with another
    // request id, e.g. after the till's database was restored) is not booked twice.
    if (!m_db.scalar(u"SELECT 1 FROM refunds WHERE id = ?"_s, {refund.id}).isNull())
        return applied(op, saleVersion(refund.originalReceiptNo));
    if (!m_db.scalar(u"SELECT 1 FROM refunds WHERE receipt_no = ?"_s, {refund.receiptNo})
             .isNull() ||
        receiptTaken(refund.receiptNo, QString(), QString()))
        return rejected(op, u"receipt_no_taken"_s,
                        u"The server already has a receipt %1."_s.arg(refund.receiptNo));
    if (!m_knownCashiers.contains(refund.cashierId)) {
        if (!m_store.cashierExists(refund.cashierId))
            return rejected(op, u"unknown_cashier"_s,
                            u"The server has no cashier %1."_s.arg(refund.cashierId));
        m_knownCashiers.insert(refund.cashierId);
    }

    const std::optional<OrderStore::Sale> sale = m_store.saleOfReceipt(refund.originalReceiptNo);
    if (!sale) {
        // The sale's own ops have not been applied here (yet): nothing is written, the till
        // keeps the op and sends it again (protocol 4); its money stays booked on the till.
        const QString message =
            u"The server does not have receipt %1 (yet): the refund %2 is kept on the till and "
            "sent again once the sale has been synced."_s.arg(refund.originalReceiptNo,
                                                              refund.receiptNo);
        if (m_protocol < 4)
            return rejected(op, u"sale_unknown"_s, message);
        return failed(op, SyncOpResult::Kind::Deferred, u"sale_unknown"_s, message);
    }
    m_store.lockSaleLines(*sale);
    // The sale's terminal as the server has it (never the till's word).
    refund.originalTerminalId = sale->terminalId;

    struct SoldLine
    {
        QString orderId;
        int lineNo = 0;
        QString name;
        int quantity = 0;
        int refunded = 0;
    };
    QHash<QString, SoldLine> sold;
    QHash<QString, std::pair<int, QString>> orders; // id -> version, status
    {
        QSqlQuery &query = m_db.exec(
            u"SELECT l.line_id, l.order_id, l.line_no, l.name, l.quantity, l.refunded_qty, "
            "o.version, o.status FROM order_lines l JOIN order_sessions o ON o.id = l.order_id "
            "WHERE o.id = ? OR o.tab_id = ?"_s,
            {nullIfEmpty(sale->orderId), nullIfEmpty(sale->tabId)});
        while (query.next()) {
            sold.insert(query.value(0).toString(),
                        SoldLine{query.value(1).toString(), query.value(2).toInt(),
                                 query.value(3).toString(), query.value(4).toInt(),
                                 query.value(5).toInt()});
            orders.insert(query.value(1).toString(),
                          {query.value(6).toInt(), query.value(7).toString()});
        }
        query.finish();
    }

    // Each line's units, in line id order (PostgreSQL row locks in one order). A line with fewer
    // units left than the till paid back books the units that were left normally and only the
    // rest as excess (model/Refund.h splitRefundLine: amounts split by units, the excess part
    // takes the remainder): the excess money was paid out, it counts toward nothing, and a review
    // item names it.
    std::sort(refund.lines.begin(), refund.lines.end(),
              [](const RefundLine &a, const RefundLine &b) { return a.lineId < b.lineId; });
    QJsonArray excessLines;
    Cents excessCents = 0;
    QStringList excessText;
    QList<RefundLine> booked;
    booked.reserve(refund.lines.size());
    for (RefundLine line : std::as_const(refund.lines)) {
        const auto found = sold.constFind(line.lineId);
        if (found == sold.constEnd())
            return rejected(op,
                            invalid(u"payload.refund.lines: line %1 is not on receipt %2."_s.arg(
                                line.lineId, refund.originalReceiptNo)));
        line.orderId = found->orderId;
        line.lineNo = found->lineNo;
        line.name = found->name;
        line.excess = false;
        if (m_store.takeRefundable(line.lineId, line.quantity)) {
            booked.append(line);
            continue;
        }
        // The line's rows are locked (PostgreSQL) or the database is (SQLite): what is left now
        // is what this refund can take.
        const int left =
            found->quantity -
            m_store.refundedQuantities(found->orderId).value(line.lineId, found->refunded);
        RefundLine excess = line;
        excess.excess = true;
        if (left > 0 && left < line.quantity && m_store.takeRefundable(line.lineId, left)) {
            const std::pair<RefundLine, RefundLine> parts = splitRefundLine(line, left);
            booked.append(parts.first);
            excess = parts.second;
        }
        booked.append(excess);
        excessCents += excess.amountCents;
        excessText.append(
            u"line %1 (%2): %3 paid back, %4 of %5 were left, %6 in excess"_s.arg(line.lineNo)
                .arg(line.name)
                .arg(line.quantity)
                .arg(left)
                .arg(found->quantity)
                .arg(excess.quantity));
        excessLines.append(QJsonObject{{u"line_id"_s, line.lineId},
                                       {u"line_no"_s, line.lineNo},
                                       {u"name"_s, line.name},
                                       {u"quantity"_s, excess.quantity},
                                       {u"paid_back"_s, line.quantity},
                                       {u"left"_s, left},
                                       {u"sold"_s, found->quantity},
                                       {u"amount_cents"_s, excess.amountCents}});
    }
    refund.lines = booked;
    // The till's refund exactly (number, terminal, cashier, approver, time, amounts), in the
    // till's shift (protocol 5; made here if this refund opened it), else none (NULL).
    if (!refund.shiftId.isEmpty() &&
        (refund.shiftId.size() > 64 ||
         !ShiftStore(m_db).ensureSyncedShift(refund.shiftId, device.id,
                                             toStorageTime(refund.refundedAt), refund.cashierId)))
        refund.shiftId.clear();
    m_store.insertRefund(refund);

    int version = 1;
    for (const auto &[orderVersion, status] : std::as_const(orders))
        version = std::max(version, orderVersion);
    SyncOpResult result = applied(op, version);
    if (!excessLines.isEmpty()) {
        ReviewItem review;
        review.id = u"over-refunded-"_s + refund.id;
        review.kind = u"over_refunded"_s;
        review.orderId = sale->orderId;
        review.tabId = sale->tabId;
        review.terminalId = device.id;
        review.amountCents = -excessCents; // paid out, owed to nobody
        review.summary =
            u"Refund %1 at %2 paid back %3 cents for units of receipt %4 that had been refunded "
            "elsewhere meanwhile (%5); the money is booked: collect it or write it off."_s
                .arg(refund.receiptNo, device.name)
                .arg(-excessCents)
                .arg(refund.originalReceiptNo, excessText.join(u"; "_s));
        review.detail = QJsonObject{{u"refund_receipt_no"_s, refund.receiptNo},
                                    {u"original_receipt_no"_s, refund.originalReceiptNo},
                                    {u"refund_id"_s, refund.id},
                                    {u"lines"_s, excessLines}};
        m_reviews.insert(review);
        result.reviewItems.append(review);
    }
    const QString action = toString(refund.kind);
    for (auto it = orders.constBegin(); it != orders.constEnd(); ++it) {
        QStringList what;
        for (const RefundLine &line : std::as_const(refund.lines)) {
            if (line.orderId == it.key())
                what.append(u"%1 \u00d7 %2%3"_s.arg(line.quantity)
                                .arg(line.name)
                                .arg(line.excess ? u" (excess)"_s : QString()));
        }
        if (what.isEmpty())
            continue;
        m_opHistory.append(HistoryEntry{
            0,
            it.key(),
            {},
            refund.cashierId,
            action,
            it->first,
            it->first,
            it->second,
            it->second,
            u"%1 %2 of %3 synced from device %4: %5; %6 by %7"_s.arg(
                action, refund.receiptNo, refund.originalReceiptNo, device.name, what.join(u", "_s),
                QString::number(refund.amountCents), toString(refund.method)),
            key,
            refund.approvedBy});
    }
    return result;
}

// Shifts, cash movements and Z reports (protocol 5, docs/sync-protocol.md section 5.6)

void SyncApplier::bookPayment(const SyncDevice &device, Payment fact)
{
    if (!fact.shiftId.isEmpty() &&
        !ShiftStore(m_db).ensureSyncedShift(fact.shiftId, device.id, toStorageTime(fact.paidAt),
                                            fact.cashierId))
        fact.shiftId.clear();
    m_store.insertPayment(fact);
}

namespace {

constexpr qint64 maxShiftCents = 99'999'999;

Parsed<QString> requiredTime(const QJsonObject &json, const QString &name, const QString &where)
{
    const std::optional<QString> time = utcTime(json.value(name));
    if (!time)
        return invalid(where + u"."_s + name +
                       u" must be a UTC time like 2026-11-29T10:15:02.123Z."_s);
    return *time;
}

Parsed<QString> requiredId(const QJsonObject &json, const QString &name, const QString &where)
{
    if (!isIdText(json.value(name)))
        return invalid(where + u"."_s + name + u" must be a string of 1 to 64 characters."_s);
    return json.value(name).toString();
}

Parsed<QString> optionalId(const QJsonObject &json, const QString &name, const QString &where)
{
    const QJsonValue value = json.value(name);
    if (value.isNull() || value.isUndefined())
        return QString();
    if (!isIdText(value))
        return invalid(where + u"."_s + name +
                       u" must be a string of 1 to 64 characters, or null."_s);
    return value.toString();
}

Parsed<qint64> requiredCents(const QJsonObject &json, const QString &name, const QString &where,
                             qint64 min, qint64 max)
{
    const std::optional<qint64> cents = wholeNumber(json.value(name), min, max);
    if (!cents)
        return invalid(where + u"."_s + name +
                       u" must be a whole number of cents from %1 to %2."_s.arg(min).arg(max));
    return *cents;
}

Parsed<QJsonObject> requiredObject(const QJsonObject &payload, const QString &name)
{
    if (!payload.value(name).isObject())
        return invalid(u"payload."_s + name + u" must be an object."_s);
    return payload.value(name).toObject();
}

// payload.shift: what the till's shift recorded when it was opened.
Parsed<Shift> parseOpenedShift(const QJsonObject &json, const QString &terminalId)
{
    const QString where = u"payload.shift"_s;
    Shift shift;
    const Parsed<QString> id = requiredId(json, u"id"_s, where);
    if (!id)
        return id.problem();
    shift.id = *id;
    shift.terminalId = terminalId;
    const Parsed<QString> openedAt = requiredTime(json, u"opened_at"_s, where);
    if (!openedAt)
        return openedAt.problem();
    shift.openedAt = fromStorageTime(*openedAt);
    const Parsed<QString> openedBy = optionalId(json, u"opened_by"_s, where);
    if (!openedBy)
        return openedBy.problem();
    shift.openedBy = *openedBy;
    const Parsed<qint64> floatCents =
        requiredCents(json, u"float_cents"_s, where, 0, maxShiftCents);
    if (!floatCents)
        return floatCents.problem();
    shift.floatCents = *floatCents;
    const QJsonValue automatic = json.value(u"auto_opened"_s);
    if (!automatic.isBool())
        return invalid(where + u".auto_opened must be true or false."_s);
    shift.autoOpened = automatic.toBool();
    return shift;
}

// The op's payload.shift, read by parseOpenedShift().
Parsed<Shift> openedShiftOf(const SyncOp &op, const QString &terminalId)
{
    const Parsed<QJsonObject> json = requiredObject(op.payload, u"shift"_s);
    if (!json)
        return json.problem();
    return parseOpenedShift(*json, terminalId);
}

// A cash_movement op's movement, and its created_at as the till sent it (a UTC time in storage
// form, compared byte for byte with a movement held already); or why the op is invalid.
struct SyncedMovement
{
    CashMovement movement;
    QString createdAt;
};

Parsed<SyncedMovement> movementOf(const SyncOp &op)
{
    const QString where = u"payload.movement"_s;
    const Parsed<QJsonObject> movementJson = requiredObject(op.payload, u"movement"_s);
    if (!movementJson)
        return movementJson.problem();
    const QJsonObject &json = *movementJson;
    CashMovement movement;
    const Parsed<QString> id = requiredId(json, u"id"_s, where);
    if (!id)
        return id.problem();
    movement.id = *id;
    const Parsed<QString> shiftId = requiredId(json, u"shift_id"_s, where);
    if (!shiftId)
        return shiftId.problem();
    movement.shiftId = *shiftId;
    const std::optional<CashMovementKind> kind =
        cashMovementKindFromString(json.value(u"kind"_s).toString());
    if (!json.value(u"kind"_s).isString() || !kind)
        return invalid(where + u".kind must be pay_in, pay_out or no_sale."_s);
    movement.kind = *kind;
    const bool noSale = movement.kind == CashMovementKind::NoSale;
    const Parsed<qint64> amount =
        requiredCents(json, u"amount_cents"_s, where, noSale ? 0 : 1, noSale ? 0 : maxShiftCents);
    if (!amount)
        return amount.problem();
    movement.amountCents = *amount;
    const QJsonValue reason = json.value(u"reason"_s);
    if (!reason.isString() || reason.toString().size() > 200 ||
        (!noSale && reason.toString().trimmed().isEmpty()))
        return invalid(where + u".reason must be a string of at most 200 characters (required for "
                               "a pay-in or pay-out)."_s);
    movement.reason = reason.toString();
    const Parsed<QString> cashierId = requiredId(json, u"cashier_id"_s, where);
    if (!cashierId)
        return cashierId.problem();
    movement.cashierId = *cashierId;
    const Parsed<QString> approvedBy = optionalId(json, u"approved_by"_s, where);
    if (!approvedBy)
        return approvedBy.problem();
    movement.approvedBy = *approvedBy;
    const Parsed<QString> created = requiredTime(json, u"created_at"_s, where);
    if (!created)
        return created.problem();
    movement.createdAt = fromStorageTime(*created);
    return SyncedMovement{movement, *created};
}

// A shift_close op's whole shift and its Z report as printed, or why the op is invalid.
Parsed<ShiftStore::SyncedClose> closeOf(const SyncOp &op, const QString &terminalId)
{
    ShiftStore::SyncedClose close;
    const Parsed<Shift> closed = openedShiftOf(op, terminalId);
    if (!closed)
        return closed.problem();
    close.shift = *closed;
    const QString where = u"payload.shift"_s;
    const QJsonObject json = op.payload.value(u"shift"_s).toObject();
    close.shift.open = false;
    const Parsed<qint64> zNumber = requiredCents(json, u"z_number"_s, where, 1, 1'000'000'000);
    if (!zNumber)
        return zNumber.problem();
    close.shift.zNumber = int(*zNumber);
    const Parsed<QString> closedAt = requiredTime(json, u"closed_at"_s, where);
    if (!closedAt)
        return closedAt.problem();
    close.shift.closedAt = fromStorageTime(*closedAt);
    const Parsed<QString> closedBy = requiredId(json, u"closed_by"_s, where);
    if (!closedBy)
        return closedBy.problem();
    close.closedBy = *closedBy;
    const Parsed<qint64> expected =
        requiredCents(json, u"expected_cents"_s, where, -Limits::maxTenderCents * 1000,
                      Limits::maxTenderCents * 1000);
    if (!expected)
        return expected.problem();
    close.expectedCents = *expected;
    const Parsed<qint64> counted = requiredCents(json, u"counted_cents"_s, where, 0, maxShiftCents);
    if (!counted)
        return counted.problem();
    close.countedCents = *counted;
    if (!json.value(u"counted_card_cents"_s).isNull() &&
        !json.value(u"counted_card_cents"_s).isUndefined()) {
        const Parsed<qint64> countedCard =
            requiredCents(json, u"counted_card_cents"_s, where, 0, maxShiftCents);
        if (!countedCard)
            return countedCard.problem();
        close.countedCardCents = *countedCard;
    }
    const QJsonValue text = op.payload.value(u"z_report"_s);
    if (!text.isString())
        return invalid(
            u"payload.z_report must be the Z report's JSON text, as the till printed it."_s);
    close.zReport = text.toString().toUtf8();
    QJsonParseError parseError{};
    const QJsonDocument document = QJsonDocument::fromJson(close.zReport, &parseError);
    const std::optional<ZReport> report =
        document.isObject() ? ZReport::fromJson(document.object()) : std::nullopt;
    if (!report || report->number != close.shift.zNumber || report->shiftId != close.shift.id)
        return invalid(
            u"payload.z_report must be a Z report (JSON) with the shift's id and Z number."_s);
    return close;
}

SyncOpResult shiftConflict(const SyncOp &op, const QString &message)
{
    return rejected(op, u"shift_conflict"_s, message);
}

} // namespace

SyncOpResult SyncApplier::applyShiftOp(const SyncDevice &device, const SyncOp &op)
{
    ShiftStore shifts(m_db);
    auto knownCashier = [this](const QString &cashierId) {
        if (cashierId.isEmpty() || m_knownCashiers.contains(cashierId))
            return true;
        if (!m_store.cashierExists(cashierId))
            return false;
        m_knownCashiers.insert(cashierId);
        return true;
    };
    auto unknownCashier = [&op](const QString &cashierId) {
        return rejected(op, u"unknown_cashier"_s,
                        u"The server has no cashier %1; pull first."_s.arg(cashierId));
    };

    if (op.op == shiftOpenOp) {
        const Parsed<Shift> opened = openedShiftOf(op, device.id);
        if (!opened)
            return rejected(op, opened.problem());
        const Shift &shift = *opened;
        if (shift.openedBy.isEmpty() || shift.autoOpened)
            return rejected(
                op, invalid(u"payload.shift: a shift_open is a cashier's open (opened_by set, "
                            "auto_opened false)."_s));
        if (!knownCashier(shift.openedBy))
            return unknownCashier(shift.openedBy);
        if (const auto stored = shifts.storedShift(shift.id)) {
            if (stored->terminalId != device.id)
                return shiftConflict(op,
                                     u"The server holds another till's shift %1."_s.arg(shift.id));
            // The same open sent again, or a copy a money fact of the shift made first (its
            // close brings the till's values): nothing to change.
            if (stored->autoOpened ||
                (stored->openedAt == toStorageTime(shift.openedAt) &&
                 stored->floatCents == shift.floatCents && stored->openedBy == shift.openedBy))
                return applied(op, 1);
            return shiftConflict(op, u"The server holds shift %1 with another open (float, "
                                     "time or cashier)."_s.arg(shift.id));
        }
        if (!shifts.insertOpenShift(shift))
            return shiftConflict(
                op, u"Device %1 has another shift open on the server (its close has not been "
                    "applied): shift %2 cannot open."_s.arg(device.name, shift.id));
        return applied(op, 1);
    }

    if (op.op == cashMovementOp) {
        const Parsed<SyncedMovement> parsed = movementOf(op);
        if (!parsed)
            return rejected(op, parsed.problem());
        const CashMovement &movement = parsed->movement;
        const QString &createdAt = parsed->createdAt;
        if (!knownCashier(movement.cashierId))
            return unknownCashier(movement.cashierId);
        if (!knownCashier(movement.approvedBy))
            return unknownCashier(movement.approvedBy);
        if (const auto stored = shifts.storedMovement(movement.id)) {
            const CashMovement &held = stored->first;
            if (stored->second == device.id && held.shiftId == movement.shiftId &&
                held.kind == movement.kind && held.amountCents == movement.amountCents &&
                held.reason == movement.reason && held.cashierId == movement.cashierId &&
                held.approvedBy == movement.approvedBy &&
                toStorageTime(held.createdAt) == createdAt)
                return applied(op, 1);
            return shiftConflict(
                op, u"The server holds cash movement %1 with other values."_s.arg(movement.id));
        }
        if (!shifts.ensureSyncedShift(movement.shiftId, device.id, createdAt, movement.cashierId))
            return shiftConflict(
                op, u"Shift %1 cannot take the movement on the server: it is "
                    "another till's, or device %2 has another shift open there "
                    "(its close has not been applied)."_s.arg(movement.shiftId, device.name));
        shifts.insertMovementOnce(movement, device.id);
        return applied(op, 1);
    }

    // shift_close: the whole shift and its Z report as printed.
    const Parsed<ShiftStore::SyncedClose> parsed = closeOf(op, device.id);
    if (!parsed)
        return rejected(op, parsed.problem());
    const ShiftStore::SyncedClose &close = *parsed;
    if (!knownCashier(close.closedBy))
        return unknownCashier(close.closedBy);
    if (!knownCashier(close.shift.openedBy))
        return unknownCashier(close.shift.openedBy);
    if (const auto stored = shifts.storedShift(close.shift.id)) {
        if (stored->terminalId != device.id)
            return shiftConflict(
                op, u"The server holds another till's shift %1."_s.arg(close.shift.id));
        if (!stored->open) {
            // The same close sent again (an answer lost): the same Z, byte for byte.
            if (stored->zNumber == close.shift.zNumber && stored->zReport == close.zReport)
                return applied(op, 1);
            return shiftConflict(op, u"The server holds shift %1 closed with another Z report "
                                     "(Z %2)."_s.arg(close.shift.id)
                                         .arg(stored->zNumber));
        }
    }
    if (!m_db.scalar(u"SELECT 1 FROM shifts WHERE terminal_id = ? AND z_number = ? AND id <> ?"_s,
                     {device.id, close.shift.zNumber, close.shift.id})
             .isNull())
        return shiftConflict(
            op, u"Device %1 has another shift with Z number %2 on the server."_s.arg(device.name)
                    .arg(close.shift.zNumber));
    if (!shifts.storeSyncedClose(close))
        return shiftConflict(
            op, u"Shift %1 could not be stored closed on the server."_s.arg(close.shift.id));
    return applied(op, 1);
}

} // namespace SafeTill
