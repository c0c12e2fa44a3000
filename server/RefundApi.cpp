#include "RefundApi.h"

#include "ApiJson.h"
#include "Validation.h"

#include <QJsonArray>
#include <QJsonDocument>

using namespace Qt::StringLiterals;

namespace SafeTill::RefundApi {

namespace {

[[noreturn]] void refuse(const QString &message)
{
    throw Refusal{HttpResponse::error(422, u"invalid_input"_s, message)};
}

QJsonValue textOrNull(const QString &text)
{
    return text.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(text);
}

std::optional<Approver> approverMember(const QJsonObject &body)
{
    const QJsonValue value = body.value(u"approver"_s);
    if (value.isUndefined() || value.isNull())
        return std::nullopt;
    if (!value.isObject())
        refuse(u"\u201capprover\u201d must be an object {name, pin}."_s);
    const QJsonObject approver = value.toObject();
    for (auto it = approver.constBegin(); it != approver.constEnd(); ++it) {
        if (it.key() != u"name"_s && it.key() != u"pin"_s)
            refuse(u"\u201capprover.%1\u201d is not expected (name, pin)."_s.arg(it.key()));
    }
    const QString name = stringMember(approver, u"name"_s, Limits::maxNameLength).trimmed();
    const QString pin = stringMember(approver, u"pin"_s, 64);
    if (name.isEmpty())
        refuse(u"\u201capprover.name\u201d must not be empty."_s);
    if (pin.isEmpty())
        refuse(u"\u201capprover.pin\u201d must not be empty."_s);
    return Approver{name, pin};
}

RefundRequest common(const QJsonObject &body)
{
    RefundRequest request;
    request.receiptNo = stringMember(body, u"receiptNo"_s, 64).trimmed();
    if (request.receiptNo.isEmpty())
        refuse(u"\u201creceiptNo\u201d must not be empty."_s);
    if (body.contains(u"reason"_s))
        request.reason = stringMember(body, u"reason"_s, 200);
    request.approver = approverMember(body);
    return request;
}

} // namespace

RefundRequest refundBody(const HttpRequest &request)
{
    const QJsonObject body = objectBody(
        request, {u"receiptNo"_s, u"lines"_s, u"method"_s, u"label"_s, u"reason"_s, u"approver"_s},
        false);
    RefundRequest refund = common(body);
    if (body.contains(u"lines"_s)) {
        const QJsonValue lines = body.value(u"lines"_s);
        if (!lines.isArray() || lines.toArray().isEmpty() || lines.toArray().size() > 500)
            refuse(u"\u201clines\u201d must be an array of 1 to 500 {lineId, quantity}."_s);
        const QJsonArray list = lines.toArray();
        for (qsizetype i = 0; i < list.size(); ++i) {
            if (!list.at(i).isObject())
                refuse(u"\u201clines[%1]\u201d must be an object {lineId, quantity}."_s.arg(i));
            const QJsonObject line = list.at(i).toObject();
            for (auto it = line.constBegin(); it != line.constEnd(); ++it) {
                if (it.key() != u"lineId"_s && it.key() != u"quantity"_s)
                    refuse(u"\u201clines[%1].%2\u201d is not expected (lineId, quantity)."_s.arg(i)
                               .arg(it.key()));
            }
            const QString lineId = stringMember(line, u"lineId"_s, 64).trimmed();
            if (lineId.isEmpty())
                refuse(u"\u201clines[%1].lineId\u201d must not be empty."_s.arg(i));
            const int quantity = int(wholeMember(line, u"quantity"_s, 1, Limits::maxQuantity));
            refund.lines.append({lineId, quantity});
        }
    }
    if (body.contains(u"method"_s)) {
        const std::optional<PaymentMethod> method =
            paymentMethodFromString(stringMember(body, u"method"_s, 16));
        if (!method)
            refuse(u"\u201cmethod\u201d must be cash, card or other."_s);
        refund.method = method;
    }
    if (body.contains(u"label"_s))
        refund.label = stringMember(body, u"label"_s, 60);
    return refund;
}

RefundRequest voidBody(const HttpRequest &request)
{
    const QJsonObject body =
        objectBody(request, {u"receiptNo"_s, u"reason"_s, u"approver"_s}, false);
    RefundRequest request_ = common(body);
    if (request_.reason.trimmed().isEmpty())
        refuse(u"\u201creason\u201d: a void needs a reason."_s);
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
