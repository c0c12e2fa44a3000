#include "Tender.h"

#include <QCoreApplication>

#include "Validation.h"

using namespace Qt::StringLiterals;

namespace SafeTill {

namespace {

// The sentences a person reads, in the translations' context "SafeTill::Tender".
struct Text
{
    Q_DECLARE_TR_FUNCTIONS(SafeTill::Tender)
};

} // namespace

Cents roundToStep(Cents amount, Cents step)
{
    if (step <= 1)
        return amount;
    const Cents half = step / 2;
    return amount >= 0 ? (amount + half) / step * step : -((-amount + half) / step * step);
}

Result<Tender> workOutTender(const PaymentRequest &request, Cents balanceCents,
                             Cents cashRoundingStep)
{
    auto refuse = [](const QString &message) { return Result<Tender>::invalidInput(message); };
    if (const QString problem = checkTender(request.tenderedCents); !problem.isEmpty())
        return refuse(problem);
    if (request.method == PaymentMethod::Other) {
        const QString label = request.label.trimmed();
        if (label.isEmpty() || label.size() > 60)
            return refuse(Text::tr("label: an \u201cother\u201d payment needs a label of 1 to 60 "
                                   "characters (e.g. Voucher)."));
    } else if (!request.label.isEmpty()) {
        return refuse(Text::tr("label: only an \u201cother\u201d payment has a label."));
    }
    if (balanceCents < 0)
        return Result<Tender>::failure(Outcome::InvalidState,
                                       Text::tr("This order is already paid in full."));
    Tender tender;
    tender.amountCents = request.amountCents.value_or(balanceCents);
    if (tender.amountCents < 0)
        return refuse(
            Text::tr("amount: a payment cannot be negative (%1 cents).").arg(tender.amountCents));
    if (tender.amountCents > balanceCents) {
        return refuse(Text::tr("amount: %1 cents is more than the balance due (%2 cents).")
                          .arg(tender.amountCents)
                          .arg(balanceCents));
    }
    if (tender.amountCents == 0 && balanceCents > 0)
        return refuse(Text::tr("amount: a payment must be more than 0."));
    tender.last = tender.amountCents == balanceCents;
    if (request.method == PaymentMethod::Cash && tender.last)
        tender.roundingCents =
            roundToStep(tender.amountCents, cashRoundingStep) - tender.amountCents;
    const Cents due = tender.amountCents + tender.roundingCents;
    if (request.method != PaymentMethod::Cash) {
        if (request.tenderedCents != tender.amountCents) {
            return refuse(
                Text::tr("tendered: a %1 payment is for the exact %2 (%3 cents); it cannot "
                         "exceed the balance due.")
                    .arg(toString(request.method), request.amountCents ? u"amount"_s : u"total"_s)
                    .arg(tender.amountCents));
        }
    } else if (request.tenderedCents < due) {
        return refuse(
            Text::tr("tendered: the amount tendered (%1 cents) is less than %2 (%3 cents).")
                .arg(request.tenderedCents)
                .arg(tender.last ? u"the total"_s : u"the amount"_s)
                .arg(due));
    }
    tender.tenderedCents = request.tenderedCents;
    tender.changeCents = request.tenderedCents - due;
    return Result<Tender>::ok(tender);
}

Payment paymentOf(const PaymentRequest &request, const Tender &tender, QString id,
                  QString receiptNo, QDateTime paidAt, Cents dueCents, int paidVersion,
                  QString terminalId)
{
    Payment payment =
        Payment::sale(std::move(id), request.method, tender.amountCents, tender.tenderedCents,
                      std::move(receiptNo), std::move(paidAt), paidVersion, std::move(terminalId));
    payment.label = request.method == PaymentMethod::Other ? request.label.trimmed() : QString();
    payment.roundingCents = tender.roundingCents;
    payment.changeCents = tender.changeCents;
    payment.dueCents = dueCents;
    return payment;
}

QString checkDiscount(const Discount &discount, Cents limit, const QString &what)
{
    switch (discount.kind) {
    case DiscountKind::None:
        return {};
    case DiscountKind::Percent:
        if (discount.value < 1 || discount.value > 10000)
            return Text::tr("percent: %1 is from 0.01 % to 100 %.").arg(what);
        break;
    case DiscountKind::Amount:
        if (discount.value < 1)
            return Text::tr("amount: %1 must be more than 0.").arg(what);
        if (discount.value > limit) {
            return Text::tr("amount: %1 (%2 cents) is more than what it applies to (%3 cents).")
                .arg(what)
                .arg(discount.value)
                .arg(limit);
        }
        break;
    }
    const QString reason = discount.reason.trimmed();
    if (reason.isEmpty() || reason.size() > 200)
        return Text::tr("reason: %1 needs a reason of 1 to 200 characters.").arg(what);
    return {};
}

} // namespace SafeTill
