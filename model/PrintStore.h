#pragma once

#include "Clock.h"
#include "Result.h"
#include "Types.h"

#include <QDateTime>
#include <QHash>
#include <QString>
#include <QStringList>

namespace SafeTill {

class Database;

// The printed state of a receipt's original (issue 16): what the receipts list and the order
// screen show next to a sale.
enum class PrintState {
    NotPrinted, // paid, never claimed for printing (or the claim failed, or its printer died)
    Printing,   // claimed just now by a window that is sending it to the printer
    Printed,    // the printer took it (or, after an interruption, a copy was printed)
    // Its print was cut off: the process printing it died (or has not reported for
    // PrintStore::abandonedAfterMs), so nobody knows whether the printer printed it. Check the
    // printer; printing it again prints a COPY, never a second original.
    Interrupted,
};

// A right to print one receipt, from claimOriginal() or claimCopy(): print, then report the
// outcome with markPrinted() or markFailed() under its token.
struct PrintClaim
{
    QString receiptNo;
    QString token;
    bool copy = false;
    // claimOriginal() gave a copy because the original's print was interrupted (its outcome is
    // unknown): print it marked COPY and tell the cashier to check the printer.
    bool afterInterruption = false;
};

// The process holding a print claim, stored with it: a claim of a process known dead on the same
// machine is interrupted at once, without waiting for PrintStore::abandonedAfterMs.
struct PrintOwner
{
    qint64 pid = 0;
    QString host;
    QString instance; // random, drawn once per process: tells a reused process id apart
    // This process.
    static const PrintOwner &current();
    // Whether this owner is certainly not running any more: on this machine, and its process id is
    // gone (or is this process, started after the claim under another instance id). False when
    // it cannot be known (another machine, no process information).
    bool knownDead() const;
};

// Exactly-once printing of receipts, on the database every window and process of the till
// shares; the one writer of receipt_prints (migration 015). A receipt's original is printed at
// most once: claimOriginal() is a conditional claim (an insert that a unique index lets only one
// caller win, or a conditional update of a failed or abandoned claim) made BEFORE the bytes are
// sent, so two windows, two processes or a double-click cannot both print it. If the process
// dies between payment and print (no claim), the receipt is listed by notPrinted() ("not printed
// — print now") and printed as the original. If it dies while printing (a claim never
// confirmed), nobody knows whether the printer printed it: the receipt is listed by interrupted()
// ("printing was interrupted — check the printer") and printing it again prints a copy, never a
// second original. Such a claim is interrupted at once when its process (PrintOwner, stored with
// the claim) is known dead on the same machine, else after abandonedAfterMs. Reprints are copies:
// any number, each recorded. Each call is its own transaction.
class PrintStore
{
public:
    // A claim still 'printing' this long after it was made belongs to a process that died (a
    // print takes at most the printer's timeout, 60 s): it may be claimed again.
    static constexpr qint64 abandonedAfterMs = 2 * 60 * 1000;

    explicit PrintStore(Database &database, const Clock &clock = Clock::system());

    // The right to print the receipt's original now. NotFound for an unknown receipt number;
    // InvalidState when it was printed already (print a copy instead); Conflict while another
    // window or till is printing it. When its print was interrupted, the right to print a COPY
    // instead (copy and afterInterruption set; the original is recorded as interrupted).
    Result<PrintClaim> claimOriginal(const QString &receiptNo);
    // The right to print a copy (a reprint marked COPY); NotFound for an unknown receipt.
    Result<PrintClaim> claimCopy(const QString &receiptNo);
    // The printer took the bytes. InvalidState when the claim is not (or no longer) printing
    // (it was abandoned and claimed by another).
    Result<PrintClaim> markPrinted(const PrintClaim &claim);
    // The printer did not take them: the original becomes claimable again ("print now").
    Result<PrintClaim> markFailed(const PrintClaim &claim, const QString &error);

    // Sales paid on this till since `since` (UTC) whose original has not been printed: never
    // claimed, or failed. Newest first, at most limit.
    Result<QStringList> notPrinted(const QDateTime &since, int limit = 20);
    // Sales paid on this till since `since` whose original's print was interrupted (see
    // PrintState::Interrupted) and no copy has been printed since. Newest first, at most limit.
    Result<QStringList> interrupted(const QDateTime &since, int limit = 20);
    // The state of each receipt's original (NotPrinted for a receipt with no record).
    Result<QHash<QString, PrintState>> states(const QStringList &receiptNos);

private:
    QString terminalId();
    QString abandonedBefore() const;
    // Whether a 'printing' claim made at claimedAt by owner will never report its outcome.
    bool claimGone(const QString &claimedAt, const PrintOwner &owner) const;
    Result<PrintClaim> insertCopyClaim(const QString &receiptNo, bool afterInterruption);

    Database &m_db;
    const Clock &m_clock;
    QString m_terminalId;
};

} // namespace SafeTill
