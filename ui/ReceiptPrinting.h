#pragma once

#include "PrintStore.h"
#include "PrinterConfig.h"
#include "ReceiptSearch.h"
#include "Types.h"

#include <QObject>
#include <QPointer>

#include <functional>

namespace SafeTill {

class MessageBar;
class TillBackend;

// The till's receipt printer and cash drawer, seen from the screens (issue 16). With a printer
// set up (Settings → Receipt printer, PrinterConfig in QSettings), a paid sale's receipt prints
// by itself, without a dialog, exactly once:
//   1. the original is claimed in the database (PrintStore::claimOriginal, on TillBackend's
//      worker): a second window, a double-click or another till cannot print it as well;
//   2. its ESC/POS bytes (hardware/EscPosReceipt, with the drawer kick when it took cash and the
//      setting says so) go to the printer on a thread of the pool, never blocking the screen;
//   3. the outcome is stored (printed, or failed with the printer's message).
// A print that failed, and a sale whose process died before printing, show as "Receipt … not
// printed — print now" on the order screen's message bar (its Retry prints it) and in the
// receipts list. A print cut off while printing (the process died: PrintState::Interrupted) may
// have come out of the printer: it shows as "printing was interrupted — check the printer", and
// printing it again prints a COPY, never a second original. Quitting the app does not cut a print
// off: it waits (bounded by the printer's timeout) until every print in flight has its outcome
// stored. Reprints print as COPY. UI thread only.
class ReceiptPrinting : public QObject
{
    Q_OBJECT

public:
    static ReceiptPrinting &instance();

    // This till's printer settings (QSettings "printer/...").
    static PrinterConfig config();
    static void saveConfig(const PrinterConfig &config);

    // The hook after a payment on the order screen: with a printer set up, prints the receipt of
    // `order` (see above), its problems said on `messages`, and returns true; false without a
    // printer, and the caller shows the receipt as before.
    static bool afterPayment(TillBackend &backend, const Order &order, MessageBar *messages);
    // The same for a settled tab (its receipt covers the tab's orders).
    static bool afterPayment(TillBackend &backend, const Tab &tab, MessageBar *messages);
    // Says on `messages` which sales of this till were paid but not printed since the printer
    // was set up, with "print now" (Retry) printing them (for cashierId, the one logged in);
    // nothing when all were printed.
    static void checkNotPrinted(TillBackend &backend, MessageBar *messages,
                                const QString &cashierId);

    // Claims, prints and records a receipt's original (after payment, or "print now"). When its
    // print was interrupted, a COPY comes out instead, recorded as a reprint by cashierId in the
    // order's history (as a copy from the receipts list is; none without a cashier).
    void printOriginal(TillBackend &backend, const QString &receiptNo, bool openDrawer,
                       QPointer<MessageBar> messages, const QString &cashierId);
    // Prints a copy (COPY banner) of a receipt, recorded as a copy; done(ok, message).
    void printCopy(TillBackend &backend, const QString &receiptNo,
                   std::function<void(bool, const QString &)> done);
    // Opens the cash drawer (ESC p), e.g. for a no-sale; done(ok, message).
    void openDrawer(std::function<void(bool, const QString &)> done);
    // A test page to `config`'s printer; done(ok, message) names the printer either way.
    void testPrint(const PrinterConfig &config, std::function<void(bool, const QString &)> done);

    // Receipts being claimed, printed or recorded right now.
    int printsInFlight() const { return m_inFlight; }
    // Runs the event loop until every print in flight has its outcome stored, at most timeoutMs
    // (by default the printer's timeout plus time to record the outcome); whether it finished.
    // Called when the app quits (QCoreApplication::aboutToQuit) and when the TillApplication
    // goes, so that quitting during a print does not leave it "printing" (interrupted).
    bool waitForPrints(int timeoutMs = -1);

Q_SIGNALS:
    // The printer took a receipt (copy: a reprint).
    void printed(const QString &receiptNo, bool copy);
    void printFailed(const QString &receiptNo, const QString &message);
    // The last print in flight has its outcome stored.
    void idle();

private:
    ReceiptPrinting();
    void beginJob() { ++m_inFlight; }
    void endJob();
    // Sends bytes on a pool thread; done(result) back on the UI thread.
    void send(const PrinterConfig &config, const QByteArray &bytes,
              std::function<void(const Result<qint64> &)> done);
    // reprintBy: the cashier to record a copy that replaced an interrupted original for.
    void printClaimed(TillBackend &backend, const PrintClaim &claim, const Receipt &receipt,
                      bool openDrawer, std::function<void(bool, const QString &)> done,
                      const QString &reprintBy = {});

    int m_inFlight = 0;
};

} // namespace SafeTill
