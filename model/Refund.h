#pragma once

#include "Json.h"
#include "Types.h"

#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QString>

#include <optional>
#include <utility>

namespace SafeTill {

// A void takes back a whole sale of the same shift (a manager's correction); a refund pays back
// chosen lines and quantities of any past receipt.
enum class RefundKind { Refund, Void };
QString toString(RefundKind kind);
std::optional<RefundKind> refundKindFromString(const QString &text);

// One line of a refund: how many units of which sold line, and what they paid back. Amounts are
// negative (money out). An excess line is one a till paid out after the line had been refunded in
// full elsewhere (two tills, one offline): its money is kept, it counts toward nothing, and a
// review item says so.
struct RefundLine
{
    QString lineId;
    QString orderId;
    int lineNo = 0;
    QString name;
    int quantity = 0;
    Cents amountCents = 0; // <= 0
    QString taxCode;
    Cents taxCents = 0; // <= 0: the tax inside amountCents
    bool excess = false;
};

// A refund line of `quantity` units of which only `fitting` (1 to quantity - 1) were left to refund
// where it is booked: the units that fit (first) and the rest as excess (second). Amount and tax
// are split by units, rounded toward zero for the fitting part; the excess part takes the
// remainder, so the two add up exactly to the line's and the fitting part never pays back more
// than its units' proportional share.
std::pair<RefundLine, RefundLine> splitRefundLine(const RefundLine &line, int fitting);

// A refund is a money fact of its own: a negative amount, its own receipt number, the receipt it
// pays back, and its lines. Appended, never changed (triggers enforce it).
struct Refund
{
    QString id;
    RefundKind kind = RefundKind::Refund;
    QString receiptNo;         // the refund's own number
    QString originalReceiptNo; // the sale it pays back
    // The terminal of that sale (its sale payment's terminal_id), as the caller read the sale:
    // stored so a till's sync pull finds what others refunded of its sales through an index
    // (docs/sync-protocol.md section 4). Not sent in the refund's JSON: each database takes it
    // from its own copy of the sale.
    QString originalTerminalId;
    PaymentMethod method = PaymentMethod::Cash;
    QString label;         // for method other
    Cents amountCents = 0; // < 0: what was paid back
    QString reason;
    QString cashierId;  // who paid it back
    QString approvedBy; // the manager who approved it, when the cashier is not one
    QString terminalId;
    QString shiftId;
    QDateTime refundedAt;
    // Cash rounding (method cash, a shop with a cash-rounding step): what rounding added to (or
    // took off) the cash paid back; the drawer paid out -(amountCents + roundingCents). 0 else.
    Cents roundingCents = 0;
    QList<RefundLine> lines;
    // Names for people (read with the refund, not stored with it).
    QString cashierName;
    QString approverName;
};

// What is left to refund of a sale receipt, line by line.
struct RefundableLine
{
    QString lineId;
    QString orderId;
    int lineNo = 0;
    QString name;
    int sold = 0;
    int refunded = 0;
    Cents paidCents = 0;     // the line's share of what the sale was paid (model/Tax lineShares)
    Cents refundedCents = 0; // paid back so far (>= 0)
    int left() const { return sold - refunded; }
};
struct RefundableReceipt
{
    QString receiptNo;
    Cents paidCents = 0; // the sale's total
    Cents refundedCents = 0;
    PaymentMethod originalMethod = PaymentMethod::Cash; // the method that took the most
    QString shiftId;                                    // the shift the sale was booked in
    QList<RefundableLine> lines;
    QList<Refund> refunds; // earlier refunds of it, oldest first
};

QJsonObject toJson(const Refund &refund);
std::optional<Refund> refundFromJson(const QJsonObject &json);
QJsonObject toJson(const RefundableReceipt &receipt);

template<> struct JsonCodec<Refund>
{
    static QJsonObject encode(const Refund &refund) { return toJson(refund); }
    static QByteArray encodeCompact(const Refund &refund) { return toCompactJson(toJson(refund)); }
    static std::optional<Refund> decode(const QJsonObject &json) { return refundFromJson(json); }
};

} // namespace SafeTill
