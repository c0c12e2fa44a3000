#pragma once

#include "ActionJournal.h"
#include "Approvals.h"
#include "Result.h"
#include "ZReport.h"

#include <optional>

namespace SafeTill {

class CashierService;
class Clock;
class Database;

// Shifts and the X and Z reports of this database's own till (issue 15). Every action that writes
// is one write transaction with a request id (a repeat returns the first result, changes nothing).
// The shift itself is written by model/ShiftStore only.
class ShiftService
{
public:
    // side: a till's shift actions leave an outbox row each (sync protocol 5: shift_open,
    // cash_movement, shift_close), the server's own leave none.
    ShiftService(Database &database, const Clock &clock, CashierService &cashiers,
                 Approvals &approvals, SyncSide side = SyncSide::Terminal);

    // The most a float, a pay-in, a pay-out or a count may be (the tables' CHECK).
    static constexpr Cents maxCents = 99'999'999;
    static constexpr int maxReasonLength = 200;

    // Opens the till's shift with the cash counted into the drawer. InvalidState naming the open
    // shift when one is open (also one a sale opened by itself: close it first).
    Result<Shift> open(const QString &cashier, Cents floatCents, const QString &requestId);
    // Cash put into or taken out of the drawer outside a sale, with the reason (required), in the
    // open shift (opened with float 0 when none is, like a sale's).
    Result<CashMovement> payIn(const QString &cashier, Cents cents, const QString &reason,
                               const QString &requestId);
    Result<CashMovement> payOut(const QString &cashier, Cents cents, const QString &reason,
                                const QString &requestId);
    // Opening the drawer without a sale: a manager, or a cashier with a manager's approval
    // (Forbidden otherwise); recorded with who approved it.
    Result<CashMovement> noSale(const QString &cashier, const std::optional<Approver> &approver,
                                const QString &requestId);

    // The open shift so far; changes nothing (one read snapshot). InvalidState when no shift is
    // open.
    Result<ZReport> xReport();
    // Closes the open shift by the cash counted (and optionally the card slips): its Z number
    // (1, 2, ... per till) and its Z report are computed and stored in the write transaction that
    // closes it, so every money fact of the shift is in exactly this Z. InvalidState when no
    // shift is open.
    Result<ZReport> close(const QString &cashier, Cents countedCents,
                          std::optional<Cents> countedCardCents, const QString &requestId);
    // A stored Z report (0: the last), never recomputed; NotFound when there is none.
    Result<ZReport> zReport(int number = 0);
    // The same as printed: the stored text, byte for byte.
    Result<QByteArray> storedZReport(int number = 0);
    // The till's open shift, if any.
    Result<std::optional<Shift>> currentShift();

    // The report of a shift as the database holds it now (inside the caller's transaction): the
    // computation behind xReport() and close(), for tests and benchmarks. number 0: an X report.
    static ZReport compute(Database &database, const Shift &shift, const QDateTime &at);

private:
    // A pay-in or pay-out, checked (amount, reason, cashier), then booked by movement().
    Result<CashMovement> cashMovement(CashMovementKind kind, const QString &cashier, Cents cents,
                                      const QString &reason, const QString &requestId);
    Result<CashMovement> movement(CashMovementKind kind, const QString &cashierId, Cents cents,
                                  const QString &reason, const QString &approvedBy,
                                  const QString &requestId);
    Result<Cashier> findCashier(const QString &cashier);

    Database &m_db;
    const Clock &m_clock;
    CashierService &m_cashiers;
    Approvals &m_approvals;
    SyncSide m_side;
};

} // namespace SafeTill
