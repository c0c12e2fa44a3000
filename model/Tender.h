#pragma once

#include "Result.h"
#include "Types.h"

namespace SafeTill {

// One tender against a balance due (split tender, issue 14), worked out before anything is written:
// - amount: what it settles (unset in the request: the whole balance); more than 0 and at most the
//   balance (0 only for a balance of 0);
// - cash may be over-tendered and gives change; card and "other" (with a label) pay exactly their
//   amount, so they never exceed the balance;
// - the payment that clears the balance is the last: with cash and a cash-rounding step it is
//   rounded half away from zero to that step (rounding: what was added or taken off).
struct Tender
{
    Cents amountCents = 0;
    Cents roundingCents = 0;
    Cents tenderedCents = 0;
    Cents changeCents = 0;
    bool last = false; // it clears the balance: the order (or tab) completes with it
};

// Every refusal names the field it is about.
Result<Tender> workOutTender(const PaymentRequest &request, Cents balanceCents,
                             Cents cashRoundingStep);

// amount rounded half away from zero to a multiple of step (step <= 1: unchanged).
Cents roundToStep(Cents amount, Cents step);

// The payment fact of a worked-out tender; the caller sets orderId or tabId and cashierId.
Payment paymentOf(const PaymentRequest &request, const Tender &tender, QString id,
                  QString receiptNo, QDateTime paidAt, Cents dueCents, int paidVersion,
                  QString terminalId);

// A discount as asked for, checked: a percent from 0.01 % to 100 %, an amount from 1 minor unit to
// `limit` (what it applies to), a reason of 1 to 200 characters; `what` names it in messages
// ("The line discount"). An empty string when it is fine.
QString checkDiscount(const Discount &discount, Cents limit, const QString &what);

} // namespace SafeTill
