#include "Refund.h"

#include "Clock.h"

using namespace Qt::StringLiterals;

namespace SafeTill {

QString toString(RefundKind kind)
{
    return kind == RefundKind::Void ? u"void"_s : u"refund"_s;
}

std::optional<RefundKind> refundKindFromString(const QString &text)
{
    if (text == u"refund"_s)
        return RefundKind::Refund;
    if (text == u"void"_s)
        return RefundKind::Void;
    return std::nullopt;
}

std::pair<RefundLine, RefundLine> splitRefundLine(const RefundLine &line, int fitting)
{
    RefundLine fits = line;
    fits.excess = false;
    fits.quantity = fitting;
    // Integer division truncates toward zero: the fitting part's amounts are never larger (in
    // absolute value) than its units' share.
    fits.amountCents = line.amountCents * fitting / line.quantity;
    fits.taxCents = line.taxCents * fitting / line.quantity;
    RefundLine rest = line;
    rest.excess = true;
    rest.quantity = line.quantity - fitting;
    rest.amountCents = line.amountCents - fits.amountCents;
    rest.taxCents = line.taxCents - fits.taxCents;
    return {fits, rest};
}

QJsonObject toJson(const Refund &refund)
{
    QJsonArray lines;
    for (const RefundLine &line : refund.lines) {
        QJsonObject json{{u"line_id"_s, line.lineId},    {u"order_id"_s, line.orderId},
                         {u"line_no"_s, line.lineNo},    {u"name"_s, line.name},
                         {u"quantity"_s, line.quantity}, {u"amount_cents"_s, line.amountCents},
                         {u"tax_code"_s, line.taxCode},  {u"tax_cents"_s, line.taxCents}};
        if (line.excess)
            json.insert(u"excess"_s, true);
        lines.append(json);
    }
    QJsonObject json{
        {u"id"_s, refund.id},
        {u"kind"_s, toString(refund.kind)},
        {u"receipt_no"_s, refund.receiptNo},
        {u"original_receipt_no"_s, refund.originalReceiptNo},
        {u"method"_s, toString(refund.method)},
        {u"amount_cents"_s, refund.amountCents},
        {u"reason"_s, refund.reason},
        {u"cashier_id"_s, refund.cashierId},
        {u"approved_by"_s, textOrNull(refund.approvedBy)},
        {u"terminal_id"_s, refund.terminalId},
        {u"shift_id"_s, textOrNull(refund.shiftId)},
        {u"refunded_at"_s, timeOrNull(refund.refundedAt)},
        {u"lines"_s, lines},
    };
    if (!refund.label.isEmpty())
        json.insert(u"label"_s, refund.label);
    if (refund.roundingCents != 0)
        json.insert(u"rounding_cents"_s, refund.roundingCents);
    if (!refund.cashierName.isEmpty())
        json.insert(u"cashier_name"_s, refund.cashierName);
    if (!refund.approverName.isEmpty())
        json.insert(u"approver_name"_s, refund.approverName);
    return json;
}

std::optional<Refund> refundFromJson(const QJsonObject &json)
{
    Refund refund;
    refund.id = json.value(u"id"_s).toString();
    const std::optional<RefundKind> kind = refundKindFromString(json.value(u"kind"_s).toString());
    const std::optional<PaymentMethod> method =
        paymentMethodFromString(json.value(u"method"_s).toString());
    const std::optional<qint64> amount =
        wholeNumber(json.value(u"amount_cents"_s), -99999999999LL, -1);
    if (refund.id.isEmpty() || !kind || !method || !amount)
        return std::nullopt;
    refund.kind = *kind;
    refund.method = *method;
    refund.amountCents = *amount;
    refund.receiptNo = json.value(u"receipt_no"_s).toString();
    refund.originalReceiptNo = json.value(u"original_receipt_no"_s).toString();
    refund.label = json.value(u"label"_s).toString();
    if (json.contains(u"rounding_cents"_s)) {
        const std::optional<qint64> rounding =
            wholeNumber(json.value(u"rounding_cents"_s), -10000, 10000);
        if (!rounding)
            return std::nullopt;
        refund.roundingCents = *rounding;
    }
    refund.reason = json.value(u"reason"_s).toString();
    refund.cashierId = json.value(u"cashier_id"_s).toString();
    refund.approvedBy = json.value(u"approved_by"_s).toString();
    refund.terminalId = json.value(u"terminal_id"_s).toString();
    refund.shiftId = json.value(u"shift_id"_s).toString();
    refund.refundedAt = fromStorageTime(json.value(u"refunded_at"_s).toString());
    refund.cashierName = json.value(u"cashier_name"_s).toString();
    refund.approverName = json.value(u"approver_name"_s).toString();
    for (const QJsonValue &value : json.value(u"lines"_s).toArray()) {
        const QJsonObject object = value.toObject();
        RefundLine line;
        line.lineId = object.value(u"line_id"_s).toString();
        line.orderId = object.value(u"order_id"_s).toString();
        line.lineNo = object.value(u"line_no"_s).toInt();
        line.name = object.value(u"name"_s).toString();
        line.quantity = object.value(u"quantity"_s).toInt();
        line.amountCents =
            wholeNumber(object.value(u"amount_cents"_s), -99999999999LL, 0).value_or(0);
        line.taxCode = object.value(u"tax_code"_s).toString();
        line.taxCents = wholeNumber(object.value(u"tax_cents"_s), -99999999999LL, 0).value_or(0);
        line.excess = object.value(u"excess"_s).toBool();
        if (line.lineId.isEmpty() || line.quantity < 1)
            return std::nullopt;
        refund.lines.append(line);
    }
    return refund;
}

QJsonObject toJson(const RefundableReceipt &receipt)
{
    QJsonArray lines;
    for (const RefundableLine &line : receipt.lines)
        lines.append(QJsonObject{{u"lineId"_s, line.lineId},
                                 {u"line"_s, line.lineNo},
                                 {u"name"_s, line.name},
                                 {u"sold"_s, line.sold},
                                 {u"refunded"_s, line.refunded},
                                 {u"left"_s, line.left()},
                                 {u"paidCents"_s, line.paidCents},
                                 {u"refundedCents"_s, line.refundedCents}});
    QJsonArray refunds;
    for (const Refund &refund : receipt.refunds)
        refunds.append(toJson(refund));
    return {{u"receiptNo"_s, receipt.receiptNo},
            {u"paidCents"_s, receipt.paidCents},
            {u"refundedCents"_s, receipt.refundedCents},
            {u"originalMethod"_s, toString(receipt.originalMethod)},
            {u"lines"_s, lines},
            {u"refunds"_s, refunds}};
}

} // namespace SafeTill
