#pragma once

#include "Json.h"
#include "Tax.h"
#include "Types.h"

#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QString>

#include <optional>

namespace SafeTill {

// A shift: a till's working period between two cash counts (model/ShiftStore.h writes them).
struct Shift
{
    QString id;
    QString terminalId;
    bool open = true;
    QString openedBy; // cashier id; empty when a money fact opened it (auto-opened)
    QDateTime openedAt;
    Cents floatCents = 0;
    bool autoOpened = false;
    int zNumber = 0; // 0 while open
    QDateTime closedAt;
};

// A pay-in, a pay-out or a no-sale (the drawer opened without a sale): a money fact of a shift.
enum class CashMovementKind { PayIn, PayOut, NoSale };
QString toString(CashMovementKind kind); // "pay_in", "pay_out", "no_sale"
std::optional<CashMovementKind> cashMovementKindFromString(const QString &text);

struct CashMovement
{
    QString id;
    QString shiftId;
    CashMovementKind kind = CashMovementKind::PayIn;
    Cents amountCents = 0; // 0 for a no-sale
    QString reason;
    QString cashierId;
    QString cashierName;
    QString approvedBy; // the approving manager's id (no-sale by a cashier); empty otherwise
    QDateTime createdAt;
};
QJsonObject toJson(const CashMovement &movement);
std::optional<CashMovement> cashMovementFromJson(const QJsonObject &json);

// The X report (a shift so far, changes nothing) and the Z report (the shift closed: numbered per
// till, stored as printed and never recomputed). `number` is 0 for an X report.
// JSON (issue 15; scripts depend on it, fields may be added, never renamed):
//   {number, till, openedAt, closedAt, sales: {grossCents, netCents, taxes: [...]},
//    discountsCents, refundsCents, voidsCents, payments: [{method, cents}],
//    cash: {floatCents, payInsCents, payOutsCents, expectedCents, countedCents, overShortCents},
//    receipts}
// `sales` is what was sold (the orders and tabs whose receipt payment is in the shift, before
// refunds; net + tax = gross per rate, each receipt's taxes as it printed them), `refundsCents`
// and `voidsCents` what was paid back (positive), `payments` the amounts taken per method (not
// the tendered cash), expectedCents = float + cash taken (with cash rounding) + pay-ins - cash
// paid back - pay-outs, overShortCents = counted - expected.
struct ZReport
{
    struct Payments
    {
        QString method; // cash, card, other
        Cents cents = 0;
        int count = 0;
    };

    int number = 0; // the Z number; 0: an X report
    QString shiftId;
    QString till; // the terminal id
    QDateTime openedAt;
    QDateTime closedAt; // the close (Z) or the moment of the X report
    QString openedBy;   // names ("" when auto-opened)
    QString closedBy;
    bool autoOpened = false;

    Cents grossCents = 0;
    Cents netCents = 0;
    Cents taxCents = 0;
    Cents untaxedCents = 0;
    QList<TaxLine> taxes; // by code
    Cents lineDiscountsCents = 0;
    Cents orderDiscountsCents = 0;
    Cents discountsCents() const { return lineDiscountsCents + orderDiscountsCents; }

    Cents refundsCents = 0; // paid back by refunds (positive)
    Cents voidsCents = 0;   // paid back by voids (positive)
    int refundReceipts = 0;
    int voidReceipts = 0;
    QList<Payments> paidBack; // refunds and voids per method (positive)

    QList<Payments> payments;            // amount_cents per method, sale payments and overpayments
    Cents overpaymentsCents = 0;         // of those, money taken beyond what was due (for review)
    Cents cashTakenCents = 0;            // cash payments with their cash rounding
    Cents cashRoundingCents = 0;         // of that, what cash rounding added (or took off)
    Cents cashPaidBackCents = 0;         // refunds and voids paid in cash, with their cash rounding
    Cents cashPaidBackRoundingCents = 0; // of that, what cash rounding added (or took off)

    Cents floatCents = 0;
    Cents payInsCents = 0;
    Cents payOutsCents = 0;
    Cents expectedCents = 0;
    std::optional<Cents> countedCents; // a Z report's; none for an X report
    std::optional<Cents> countedCardCents;
    std::optional<Cents> overShortCents() const
    {
        return countedCents ? std::optional<Cents>(*countedCents - expectedCents) : std::nullopt;
    }
    std::optional<Cents> cardOverShortCents() const;

    int receipts = 0; // sales receipts
    int noSales = 0;
    QList<CashMovement> movements; // pay-ins, pay-outs and no-sales, in order
    QString currency;              // ISO 4217 code of the amounts

    bool isZ() const { return number > 0; }
    QJsonObject toJson() const;
    static std::optional<ZReport> fromJson(const QJsonObject &json);
    // The stored form: compact JSON, the text a reprint prints.
    QByteArray toStoredJson() const;

    // The sum of several Z reports (a till's or a shop's day on the server): every amount and
    // count added exactly, tax rows by code and rate, payments and paid-back amounts by method;
    // counted cash summed (card slips: of the reports that have them); no movements listed
    // (their sums are); openedAt the earliest, closedAt the latest. number 0.
    static ZReport total(const QList<ZReport> &reports);
};

template<> struct JsonCodec<ZReport>
{
    static QJsonObject encode(const ZReport &report) { return report.toJson(); }
    static std::optional<ZReport> decode(const QJsonObject &json)
    {
        return ZReport::fromJson(json);
    }
};

template<> struct JsonCodec<CashMovement>
{
    static QJsonObject encode(const CashMovement &movement) { return toJson(movement); }
    static std::optional<CashMovement> decode(const QJsonObject &json)
    {
        return cashMovementFromJson(json);
    }
};

template<> struct JsonCodec<Shift>
{
    static QJsonObject encode(const Shift &shift);
    static std::optional<Shift> decode(const QJsonObject &json);
};

} // namespace SafeTill
