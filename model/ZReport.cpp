#include "ZReport.h"

#include "Clock.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QMap>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace SafeTill {

namespace {

QJsonValue timeJson(const QDateTime &time)
{
    return time.isValid() ? QJsonValue(toStorageTime(time)) : QJsonValue(QJsonValue::Null);
}

QJsonValue optionalCents(const std::optional<Cents> &cents)
{
    return cents ? QJsonValue(qint64(*cents)) : QJsonValue(QJsonValue::Null);
}

std::optional<Cents> optionalCents(const QJsonValue &value)
{
    if (value.isNull() || value.isUndefined())
        return std::nullopt;
    return Cents(value.toInteger());
}

QJsonArray paymentsJson(const QList<ZReport::Payments> &list)
{
    QJsonArray array;
    for (const ZReport::Payments &entry : list)
        array.append(QJsonObject{{u"method"_s, entry.method},
                                 {u"cents"_s, qint64(entry.cents)},
                                 {u"count"_s, entry.count}});
    return array;
}

QList<ZReport::Payments> paymentsFromJson(const QJsonArray &array)
{
    QList<ZReport::Payments> list;
    for (const QJsonValue &value : array) {
        const QJsonObject entry = value.toObject();
        list.append({entry.value(u"method"_s).toString(), entry.value(u"cents"_s).toInteger(),
                     entry.value(u"count"_s).toInt()});
    }
    return list;
}

Cents sumOf(const QList<ZReport::Payments> &list, const QString &method)
{
    Cents sum = 0;
    for (const ZReport::Payments &entry : list) {
        if (entry.method == method)
            sum += entry.cents;
    }
    return sum;
}

} // namespace

QString toString(CashMovementKind kind)
{
    switch (kind) {
    case CashMovementKind::PayIn:
        return u"pay_in"_s;
    case CashMovementKind::PayOut:
        return u"pay_out"_s;
    case CashMovementKind::NoSale:
        return u"no_sale"_s;
    }
    return {};
}

std::optional<CashMovementKind> cashMovementKindFromString(const QString &text)
{
    if (text == u"pay_in"_s)
        return CashMovementKind::PayIn;
    if (text == u"pay_out"_s)
        return CashMovementKind::PayOut;
    if (text == u"no_sale"_s)
        return CashMovementKind::NoSale;
    return std::nullopt;
}

QJsonObject toJson(const CashMovement &movement)
{
    QJsonObject json{{u"id"_s, movement.id},
                     {u"shiftId"_s, movement.shiftId},
                     {u"kind"_s, toString(movement.kind)},
                     {u"cents"_s, qint64(movement.amountCents)},
                     {u"reason"_s, movement.reason},
                     {u"cashierId"_s, movement.cashierId},
                     {u"cashier"_s, movement.cashierName},
                     {u"at"_s, timeJson(movement.createdAt)}};
    if (!movement.approvedBy.isEmpty())
        json.insert(u"approvedBy"_s, movement.approvedBy);
    return json;
}

std::optional<CashMovement> cashMovementFromJson(const QJsonObject &json)
{
    const std::optional<CashMovementKind> kind =
        cashMovementKindFromString(json.value(u"kind"_s).toString());
    if (!kind || !json.value(u"id"_s).isString())
        return std::nullopt;
    CashMovement movement;
    movement.id = json.value(u"id"_s).toString();
    movement.shiftId = json.value(u"shiftId"_s).toString();
    movement.kind = *kind;
    movement.amountCents = json.value(u"cents"_s).toInteger();
    movement.reason = json.value(u"reason"_s).toString();
    movement.cashierId = json.value(u"cashierId"_s).toString();
    movement.cashierName = json.value(u"cashier"_s).toString();
    movement.approvedBy = json.value(u"approvedBy"_s).toString();
    movement.createdAt = fromStorageTime(json.value(u"at"_s).toString());
    return movement;
}

std::optional<Cents> ZReport::cardOverShortCents() const
{
    if (!countedCardCents)
        return std::nullopt;
    return *countedCardCents - (sumOf(payments, u"card"_s) - sumOf(paidBack, u"card"_s));
}

QJsonObject ZReport::toJson() const
{
    QJsonArray taxArray;
    for (const TaxLine &row : taxes)
        taxArray.append(QJsonObject{{u"code"_s, row.code},
                                    {u"rateBp"_s, row.rateBp},
                                    {u"netCents"_s, qint64(row.netCents)},
                                    {u"taxCents"_s, qint64(row.taxCents)},
                                    {u"grossCents"_s, qint64(row.grossCents)}});
    QJsonArray movementArray;
    for (const CashMovement &movement : movements)
        movementArray.append(SafeTill::toJson(movement));
    QJsonObject cash{{u"floatCents"_s, qint64(floatCents)},
                     {u"payInsCents"_s, qint64(payInsCents)},
                     {u"payOutsCents"_s, qint64(payOutsCents)},
                     {u"expectedCents"_s, qint64(expectedCents)},
                     {u"countedCents"_s, optionalCents(countedCents)},
                     {u"overShortCents"_s, optionalCents(overShortCents())},
                     {u"takenCents"_s, qint64(cashTakenCents)},
                     {u"roundingCents"_s, qint64(cashRoundingCents)},
                     {u"paidBackCents"_s, qint64(cashPaidBackCents)},
                     {u"paidBackRoundingCents"_s, qint64(cashPaidBackRoundingCents)}};
    if (countedCardCents) {
        cash.insert(u"countedCardCents"_s, qint64(*countedCardCents));
        cash.insert(u"cardOverShortCents"_s, optionalCents(cardOverShortCents()));
    }
    return QJsonObject{
        {u"kind"_s, isZ() ? u"Z"_s : u"X"_s},
        {u"number"_s, isZ() ? QJsonValue(number) : QJsonValue(QJsonValue::Null)},
        {u"shiftId"_s, shiftId},
        {u"till"_s, till},
        {u"openedAt"_s, timeJson(openedAt)},
        {u"closedAt"_s, timeJson(closedAt)},
        {u"openedBy"_s, openedBy},
        {u"closedBy"_s, closedBy},
        {u"autoOpened"_s, autoOpened},
        {u"currency"_s, currency},
        {u"sales"_s, QJsonObject{{u"grossCents"_s, qint64(grossCents)},
                                 {u"netCents"_s, qint64(netCents)},
                                 {u"taxCents"_s, qint64(taxCents)},
                                 {u"untaxedCents"_s, qint64(untaxedCents)},
                                 {u"taxes"_s, taxArray}}},
        {u"discountsCents"_s, qint64(discountsCents())},
        {u"discounts"_s, QJsonObject{{u"lineCents"_s, qint64(lineDiscountsCents)},
                                     {u"orderCents"_s, qint64(orderDiscountsCents)}}},
        {u"refundsCents"_s, qint64(refundsCents)},
        {u"voidsCents"_s, qint64(voidsCents)},
        {u"refundReceipts"_s, refundReceipts},
        {u"voidReceipts"_s, voidReceipts},
        {u"paidBack"_s, paymentsJson(paidBack)},
        {u"payments"_s, paymentsJson(payments)},
        {u"overpaymentsCents"_s, qint64(overpaymentsCents)},
        {u"cash"_s, cash},
        {u"cashMovements"_s, movementArray},
        {u"receipts"_s, receipts},
        {u"noSales"_s, noSales},
    };
}

std::optional<ZReport> ZReport::fromJson(const QJsonObject &json)
{
    if (!json.value(u"sales"_s).isObject() || !json.value(u"cash"_s).isObject() ||
        !json.value(u"payments"_s).isArray())
        return std::nullopt;
    ZReport report;
    report.number = json.value(u"number"_s).toInt();
    report.shiftId = json.value(u"shiftId"_s).toString();
    report.till = json.value(u"till"_s).toString();
    report.openedAt = fromStorageTime(json.value(u"openedAt"_s).toString());
    report.closedAt = fromStorageTime(json.value(u"closedAt"_s).toString());
    report.openedBy = json.value(u"openedBy"_s).toString();
    report.closedBy = json.value(u"closedBy"_s).toString();
    report.autoOpened = json.value(u"autoOpened"_s).toBool();
    report.currency = json.value(u"currency"_s).toString();
    const QJsonObject sales = json.value(u"sales"_s).toObject();
    report.grossCents = sales.value(u"grossCents"_s).toInteger();
    report.netCents = sales.value(u"netCents"_s).toInteger();
    report.taxCents = sales.value(u"taxCents"_s).toInteger();
    report.untaxedCents = sales.value(u"untaxedCents"_s).toInteger();
    for (const QJsonValue &value : sales.value(u"taxes"_s).toArray()) {
        const QJsonObject row = value.toObject();
        report.taxes.append({row.value(u"code"_s).toString(), row.value(u"rateBp"_s).toInt(),
                             row.value(u"netCents"_s).toInteger(),
                             row.value(u"taxCents"_s).toInteger(),
                             row.value(u"grossCents"_s).toInteger()});
    }
    const QJsonObject discounts = json.value(u"discounts"_s).toObject();
    report.lineDiscountsCents = discounts.value(u"lineCents"_s).toInteger();
    report.orderDiscountsCents = discounts.value(u"orderCents"_s).toInteger();
    report.refundsCents = json.value(u"refundsCents"_s).toInteger();
    report.voidsCents = json.value(u"voidsCents"_s).toInteger();
    report.refundReceipts = json.value(u"refundReceipts"_s).toInt();
    report.voidReceipts = json.value(u"voidReceipts"_s).toInt();
    report.paidBack = paymentsFromJson(json.value(u"paidBack"_s).toArray());
    report.payments = paymentsFromJson(json.value(u"payments"_s).toArray());
    report.overpaymentsCents = json.value(u"overpaymentsCents"_s).toInteger();
    const QJsonObject cash = json.value(u"cash"_s).toObject();
    report.floatCents = cash.value(u"floatCents"_s).toInteger();
    report.payInsCents = cash.value(u"payInsCents"_s).toInteger();
    report.payOutsCents = cash.value(u"payOutsCents"_s).toInteger();
    report.expectedCents = cash.value(u"expectedCents"_s).toInteger();
    report.countedCents = optionalCents(cash.value(u"countedCents"_s));
    report.countedCardCents = optionalCents(cash.value(u"countedCardCents"_s));
    report.cashTakenCents = cash.value(u"takenCents"_s).toInteger();
    report.cashRoundingCents = cash.value(u"roundingCents"_s).toInteger();
    report.cashPaidBackCents = cash.value(u"paidBackCents"_s).toInteger();
    report.cashPaidBackRoundingCents = cash.value(u"paidBackRoundingCents"_s).toInteger();
    for (const QJsonValue &value : json.value(u"cashMovements"_s).toArray()) {
        if (std::optional<CashMovement> movement = cashMovementFromJson(value.toObject()))
            report.movements.append(*movement);
    }
    report.receipts = json.value(u"receipts"_s).toInt();
    report.noSales = json.value(u"noSales"_s).toInt();
    return report;
}

namespace {

void addPayments(QList<ZReport::Payments> &into, const QList<ZReport::Payments> &from)
{
    for (const ZReport::Payments &entry : from) {
        auto found = std::find_if(into.begin(), into.end(),
                                  [&](const auto &held) { return held.method == entry.method; });
        if (found == into.end()) {
            into.append(entry);
        } else {
            found->cents += entry.cents;
            found->count += entry.count;
        }
    }
    std::sort(into.begin(), into.end(),
              [](const auto &a, const auto &b) { return a.method < b.method; });
}

} // namespace

ZReport ZReport::total(const QList<ZReport> &reports)
{
    ZReport sum;
    QMap<std::pair<QString, int>, TaxLine> taxes;
    bool anyCounted = false;
    for (const ZReport &report : reports) {
        if (sum.currency.isEmpty())
            sum.currency = report.currency;
        if (report.openedAt.isValid() &&
            (!sum.openedAt.isValid() || report.openedAt < sum.openedAt))
            sum.openedAt = report.openedAt;
        if (report.closedAt.isValid() &&
            (!sum.closedAt.isValid() || report.closedAt > sum.closedAt))
            sum.closedAt = report.closedAt;
        sum.grossCents += report.grossCents;
        sum.netCents += report.netCents;
        sum.taxCents += report.taxCents;
        sum.untaxedCents += report.untaxedCents;
        for (const TaxLine &row : report.taxes)
            addTaxRow(taxes, row);
        sum.lineDiscountsCents += report.lineDiscountsCents;
        sum.orderDiscountsCents += report.orderDiscountsCents;
        sum.refundsCents += report.refundsCents;
        sum.voidsCents += report.voidsCents;
        sum.refundReceipts += report.refundReceipts;
        sum.voidReceipts += report.voidReceipts;
        addPayments(sum.paidBack, report.paidBack);
        addPayments(sum.payments, report.payments);
        sum.overpaymentsCents += report.overpaymentsCents;
        sum.cashTakenCents += report.cashTakenCents;
        sum.cashRoundingCents += report.cashRoundingCents;
        sum.cashPaidBackCents += report.cashPaidBackCents;
        sum.cashPaidBackRoundingCents += report.cashPaidBackRoundingCents;
        sum.floatCents += report.floatCents;
        sum.payInsCents += report.payInsCents;
        sum.payOutsCents += report.payOutsCents;
        sum.expectedCents += report.expectedCents;
        if (report.countedCents) {
            anyCounted = true;
            sum.countedCents = sum.countedCents.value_or(0) + *report.countedCents;
        }
        if (report.countedCardCents)
            sum.countedCardCents = sum.countedCardCents.value_or(0) + *report.countedCardCents;
        sum.receipts += report.receipts;
        sum.noSales += report.noSales;
    }
    if (!anyCounted)
        sum.countedCents.reset();
    for (const TaxLine &row : std::as_const(taxes))
        sum.taxes.append(row);
    return sum;
}

QByteArray ZReport::toStoredJson() const
{
    return QJsonDocument(toJson()).toJson(QJsonDocument::Compact);
}

QJsonObject JsonCodec<Shift>::encode(const Shift &shift)
{
    return QJsonObject{
        {u"id"_s, shift.id},
        {u"till"_s, shift.terminalId},
        {u"status"_s, shift.open ? u"open"_s : u"closed"_s},
        {u"openedBy"_s, shift.openedBy},
        {u"openedAt"_s, timeJson(shift.openedAt)},
        {u"floatCents"_s, qint64(shift.floatCents)},
        {u"autoOpened"_s, shift.autoOpened},
        {u"number"_s, shift.zNumber > 0 ? QJsonValue(shift.zNumber) : QJsonValue(QJsonValue::Null)},
        {u"closedAt"_s, timeJson(shift.closedAt)}};
}

std::optional<Shift> JsonCodec<Shift>::decode(const QJsonObject &json)
{
    if (!json.value(u"id"_s).isString())
        return std::nullopt;
    Shift shift;
    shift.id = json.value(u"id"_s).toString();
    shift.terminalId = json.value(u"till"_s).toString();
    shift.open = json.value(u"status"_s).toString() == u"open"_s;
    shift.openedBy = json.value(u"openedBy"_s).toString();
    shift.openedAt = fromStorageTime(json.value(u"openedAt"_s).toString());
    shift.floatCents = json.value(u"floatCents"_s).toInteger();
    shift.autoOpened = json.value(u"autoOpened"_s).toBool();
    shift.zNumber = json.value(u"number"_s).toInt();
    shift.closedAt = fromStorageTime(json.value(u"closedAt"_s).toString());
    return shift;
}

} // namespace SafeTill
