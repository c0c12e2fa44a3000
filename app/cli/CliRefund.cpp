// safetill-cli: refund, void and refundable (issue 15).
#include "CliApp.h"

#include "RefundService.h"
#include "Services.h"
#include "Validation.h"

#include <QJsonArray>

using namespace Qt::StringLiterals;

namespace SafeTill {

namespace {

QString refundText(const Refund &refund)
{
    QStringList lines;
    lines.append(u"%1 %2 of %3: %4 paid back by %5"_s.arg(
        refund.kind == RefundKind::Void ? u"Void"_s : u"Refund"_s, refund.receiptNo,
        refund.originalReceiptNo, CliOutput::money(-refund.amountCents),
        refund.method == PaymentMethod::Other ? refund.label : toString(refund.method)));
    if (refund.roundingCents != 0)
        lines.append(u"  cash rounding %1: %2 paid out in cash"_s.arg(
            CliOutput::money(-refund.roundingCents),
            CliOutput::money(-(refund.amountCents + refund.roundingCents))));
    for (const RefundLine &line : refund.lines)
        lines.append(u"  %1  %2 \u00d7 %3  %4%5"_s.arg(line.lineNo)
                         .arg(line.quantity)
                         .arg(line.name, CliOutput::money(line.amountCents),
                              line.excess ? u"  (more than was left: for review)"_s : QString()));
    QString by =
        u"  by %1"_s.arg(refund.cashierName.isEmpty() ? refund.cashierId : refund.cashierName);
    if (!refund.approvedBy.isEmpty())
        by += u", approved by %1"_s.arg(refund.approverName.isEmpty() ? refund.approvedBy
                                                                      : refund.approverName);
    lines.append(by);
    if (!refund.reason.isEmpty())
        lines.append(u"  reason: %1"_s.arg(refund.reason));
    return lines.join(u'\n');
}

} // namespace

int CliApp::refund(const QString &command, const QStringList &args)
{
    const bool isVoid = command == u"void"_s;
    if (auto status = checkOptions(command, {u"request-id"_s, u"cashier"_s, u"line"_s, u"method"_s,
                                             u"label"_s, u"reason"_s, u"approver"_s}))
        return *status;
    if (auto status = checkArgumentCount(command, args, 1))
        return *status;
    if (!m_parser.isSet(u"cashier"_s))
        return m_output.usage(u"%1 needs --cashier NAME: who pays the money back."_s.arg(command));
    RefundRequest request;
    request.receiptNo = args.at(0);
    request.cashier = m_parser.value(u"cashier"_s);
    request.reason = m_parser.value(u"reason"_s);
    request.label = m_parser.value(u"label"_s);
    const QString method = m_parser.value(u"method"_s);
    if (!method.isEmpty() && method != u"original"_s) {
        request.method = paymentMethodFromString(method);
        if (!request.method)
            return m_output.usage(
                u"--method must be cash, card, other (with --label) or original."_s);
    } else if (method.isEmpty() && !isVoid) {
        return m_output.usage(
            u"refund needs --method cash, card, other (with --label) or original."_s);
    }
    if (isVoid && !m_parser.isSet(u"reason"_s))
        return m_output.usage(u"void needs --reason R."_s);
    for (const QString &given : m_parser.values(u"line"_s)) {
        const qsizetype colon = given.lastIndexOf(u':');
        const auto quantity =
            colon > 0 ? parseWhole(given.mid(colon + 1), 1, Limits::maxQuantity) : std::nullopt;
        if (!quantity)
            return m_output.usage(
                u"--line must be LINE:QTY (a line id or number, and 1 to %1), not \u201c%2\u201d."_s
                    .arg(Limits::maxQuantity)
                    .arg(given));
        request.lines.append({given.left(colon), int(*quantity)});
    }
    int status = ExitOk;
    request.approver = approver(&status);
    if (status != ExitOk)
        return status;
    if (auto opened = openDatabase(false))
        return *opened;
    const Result<Refund> result = isVoid ? m_services->refunds().voidSale(request, requestId())
                                         : m_services->refunds().refund(request, requestId());
    if (!result)
        return m_output.fail(result);
    if (result.replayed())
        m_output.noteReplay();
    m_output.printMessage(refundText(*result), toJson(*result));
    return ExitOk;
}

int CliApp::refundable(const QStringList &args)
{
    if (auto status = checkOptions(u"refundable"_s, {}))
        return *status;
    if (auto status = checkArgumentCount(u"refundable"_s, args, 1))
        return *status;
    if (auto opened = openDatabase(false))
        return *opened;
    const Result<RefundableReceipt> result = m_services->refunds().refundable(args.at(0));
    if (!result)
        return m_output.fail(result);
    QStringList text{u"Receipt %1: paid %2, refunded %3"_s.arg(
        result->receiptNo, CliOutput::money(result->paidCents),
        CliOutput::money(result->refundedCents))};
    for (const RefundableLine &line : result->lines)
        text.append(u"  %1  %2  sold %3, refunded %4, left %5  (%6)  id %7"_s.arg(line.lineNo)
                        .arg(line.name)
                        .arg(line.sold)
                        .arg(line.refunded)
                        .arg(line.left())
                        .arg(CliOutput::money(line.paidCents), line.lineId));
    for (const Refund &refund : result->refunds)
        text.append(u"  %1 %2: %3"_s.arg(toString(refund.kind), refund.receiptNo,
                                         CliOutput::money(refund.amountCents)));
    m_output.printMessage(text.join(u'\n'), toJson(*result));
    return ExitOk;
}

} // namespace SafeTill
