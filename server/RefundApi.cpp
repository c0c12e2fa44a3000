#include "RefundApi.h"

#include "ApiJson.h"
#include "Validation.h"

#include <QJsonArray>
#include <QJsonDocument>

using namespace Qt::StringLiterals;

namespace SafeTill::RefundApi {

namespace {

// The 422 refusing a body member.
HttpResponse refuse(const QString &message)
{
    return HttpResponse::error(422, u"invalid_input"_s, message);
}

QJsonValue textOrNull(const QString &text)
{
    return text.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(text);
}

Checked<std::optional<Approver>> approverMember(const QJsonObject &body)
{
    const QJsonValue value = body.value(u"approver"_s);
    if (value.isUndefined() || value.isNull())
        return std::optional<Approver>();
    if (!value.isObject())
        return refuse(u"\u201capprover\u201d must be an object {name, pin}."_s);
    const QJsonObject approver = value.toObject();
    for (auto it = approver.constBegin(); it != approver.constEnd(); ++it) {
        if (it.key() != u"name"_s && it.key() != u"pin"_s)
            return refuse(u"\u201capprover.%1\u201d is not expected (name, pin)."_s.arg(it.key()));
    }
    const Checked<QString> name = stringMember(approver, u"name"_s, Limits::maxNameLength);
    if (!name)
        return name.refusal();
    const Checked<QString> pin = stringMember(approver, u"pin"_s, 64);
    if (!pin)
        return pin.refusal();
    if (name->trimmed().isEmpty())
        return refuse(u"\u201capprover.name\u201d must not be empty."_s);
    if (pin->isEmpty())
        return refuse(u"\u201capprover.pin\u201d must not be empty."_s);
    return std::optional<Approver>(Approver{name->trimmed(), *pin});
}

Checked<RefundRequest> common(const QJsonObject &body)
{
    RefundRequest request;
    const Checked<QString> receiptNo = stringMember(body, u"receiptNo"_s, 64);
    if (!receiptNo)
        return receiptNo.refusal();
    request.receiptNo = receiptNo->trimmed();
    if (request.receiptNo.isEmpty())
        return refuse(u"\u201creceiptNo\u201d must not be empty."_s);
    if (body.contains(u"reason"_s)) {
        const Checked<QString> reason = stringMember(body, u"reason"_s, 200);
        if (!reason)
            return reason.refusal();
        request.reason = *reason;
    }
    const Checked<std::optional<Approver>> approver = approverMember(body);
    if (!approver)
        return approver.refusal();
    request.approver = *approver;
    return request;
}

} // namespace

Checked<RefundRequest> refundBody(const HttpRequest &request)
{
    const Checked<QJsonObject> body = objectBody(
        request, {u"receiptNo"_s, u"lines"_s, u"method"_s, u"label"_s, u"reason"_s, u"approver"_s},
        false);
    if (!body)
        return body.refusal();
    Checked<RefundRequest> refund = common(*body);
    if (!refund)
        return refund.refusal();
    if (body->contains(u"lines"_s)) {
        const QJsonValue lines = body->value(u"lines"_s);
        if (!lines.isArray() || lines.toArray().isEmpty() || lines.toArray().size() > 500)
            return refuse(u"\u201clines\u201d must be an array of 1 to 500 {lineId, quantity}."_s);
        const QJsonArray list = lines.toArray();
        for (qsizetype i = 0; i < list.size(); ++i) {
            if (!list.at(i).isObject())
                return refuse(
                    u"\u201clines[%1]\u201d must be an object {lineId, quantity}."_s.arg(i));
            const QJsonObject line = list.at(i).toObject();
            for (auto it = line.constBegin(); it != line.constEnd(); ++it) {
                if (it.key() != u"lineId"_s && it.key() != u"quantity"_s)
                    return refuse(
                        u"\u201clines[%1].%2\u201d is not expected (lineId, quantity)."_s.arg(i)
                            .arg(it.key()));
            }
            const Checked<QString> lineId = stringMember(line, u"lineId"_s, 64);
            if (!lineId)
                return lineId.refusal();
            if (lineId->trimmed().isEmpty())
                return refuse(u"\u201clines[%1].lineId\u201d must not be empty."_s.arg(i));
            const Checked<qint64> quantity =
                wholeMember(line, u"quantity"_s, 1, Limits::maxQuantity);
            if (!quantity)
                return quantity.refusal();
            refund->lines.append({lineId->trimmed(), int(*quantity)});
        }
    }
    if (body->contains(u"method"_s)) {
        const Checked<QString> methodName = stringMember(*body, u"method"_s, 16);
        if (!methodName)
            return methodName.refusal();
        const std::optional<PaymentMethod> method = paymentMethodFromString(*methodName);
        if (!method)
            return refuse(u"\u201cmethod\u201d must be cash, card or other."_s);
        refund->method = method;
    }
    if (body->contains(u"label"_s)) {
        const Checked<QString> label = stringMember(*body, u"label"_s, 60);
        if (!label)
            return label.refusal();
        refund->label = *label;
    }
    return refund;
}

Checked<RefundRequest> voidBody(const HttpRequest &request)
{
    const Checked<QJsonObject> body =
        objectBody(request, {u"receiptNo"_s, u"reason"_s, u"approver"_s}, false);
    if (!body)
        return body.refusal();
    const Checked<RefundRequest> request_ = common(*body);
    if (!request_)
        return request_.refusal();
    if (request_->reason.trimmed().isEmpty())
        return refuse(u"\u201creason\u201d: a void needs a reason."_s);
    return request_;
}

QJsonObject apiJson(const Refund &refund)
{
    QJsonArray lines;
    for (const RefundLine &line : refund.lines) {
        lines.append(QJsonObject{{u"lineId"_s, line.lineId},
                                 {u"orderId"_s, line.orderId},
                                 {u"line"_s, line.lineNo},
                                 {u"name"_s, line.name},
                                 {u"quantity"_s, line.quantity},
                                 {u"amountCents"_s, line.amountCents},
                                 {u"taxCode"_s, line.taxCode},
                                 {u"taxCents"_s, line.taxCents},
                                 {u"excess"_s, line.excess}});
    }
    return {{u"id"_s, refund.id},
            {u"kind"_s, toString(refund.kind)},
            {u"receiptNo"_s, refund.receiptNo},
            {u"originalReceiptNo"_s, refund.originalReceiptNo},
            {u"method"_s, toString(refund.method)},
            {u"label"_s, textOrNull(refund.label)},
            {u"amountCents"_s, refund.amountCents},
            {u"roundingCents"_s, refund.roundingCents},
            {u"reason"_s, refund.reason},
            {u"cashierId"_s, refund.cashierId},
            {u"cashierName"_s, textOrNull(refund.cashierName)},
            {u"approvedBy"_s, textOrNull(refund.approvedBy)},
            {u"approverName"_s, textOrNull(refund.approverName)},
            {u"terminalId"_s, refund.terminalId},
            {u"shiftId"_s, textOrNull(refund.shiftId)},
            {u"refundedAt"_s, timeOrNull(refund.refundedAt)},
            {u"lines"_s, lines}};
}

QJsonObject apiJson(const RefundableReceipt &receipt)
{
    QJsonObject json = toJson(receipt); // camelCase already, but for its refunds
    QJsonArray refunds;
    for (const Refund &refund : receipt.refunds)
        refunds.append(apiJson(refund));
    json.insert(u"refunds"_s, refunds);
    return json;
}

} // namespace SafeTill::RefundApi
