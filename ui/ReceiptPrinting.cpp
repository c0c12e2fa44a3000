#include "ReceiptPrinting.h"

#include "EscPos.h"
#include "EscPosReceipt.h"
#include "MessageBar.h"
#include "PrinterTransport.h"
#include "ShopContext.h"
#include "TillBackend.h"

#include <QCoreApplication>
#include <QEventLoop>
#include <QSettings>
#include <QThreadPool>
#include <QTimer>
#include <QUuid>

using namespace Qt::StringLiterals;

namespace SafeTill {

namespace {

// What the worker hands back after a claim: the right to print and the sale to print.
struct ClaimedReceipt
{
    PrintClaim claim;
    Receipt receipt;
};

Result<ClaimedReceipt> claimAndLoad(Services &services, const QString &receiptNo, bool copy)
{
    const Result<PrintClaim> claim =
        copy ? services.prints().claimCopy(receiptNo) : services.prints().claimOriginal(receiptNo);
    if (!claim)
        return Result<ClaimedReceipt>::from(claim);
    const Result<Receipt> receipt = services.receipts().receipt(receiptNo);
    if (!receipt || (!receipt->order && !receipt->tab)) {
        const QString why =
            receipt ? ReceiptPrinting::tr("Receipt %1 has no sale to print.").arg(receiptNo)
                    : receipt.message();
        services.prints().markFailed(*claim, why);
        return Result<ClaimedReceipt>::failure(receipt ? Outcome::NotFound : receipt.outcome(),
                                               why);
    }
    return Result<ClaimedReceipt>::ok({*claim, *receipt});
}

} // namespace

ReceiptPrinting::ReceiptPrinting()
{
    // Quitting while a receipt prints waits for its outcome instead of leaving it "printing".
    if (QCoreApplication *app = QCoreApplication::instance())
        connect(app, &QCoreApplication::aboutToQuit, this, [this] { waitForPrints(); });
}

void ReceiptPrinting::endJob()
{
    if (m_inFlight > 0 && --m_inFlight == 0)
        emit idle();
}

bool ReceiptPrinting::waitForPrints(int timeoutMs)
{
    if (m_inFlight == 0)
        return true;
    // The print's own bound (the transport gives up after the printer's timeout), plus the
    // worker's time to store the outcome.
    if (timeoutMs < 0)
        timeoutMs = config().timeoutMs + 5000;
    QEventLoop loop;
    QTimer::singleShot(timeoutMs, &loop, &QEventLoop::quit);
    connect(this, &ReceiptPrinting::idle, &loop, &QEventLoop::quit);
    loop.exec();
    return m_inFlight == 0;
}

ReceiptPrinting &ReceiptPrinting::instance()
{
    static ReceiptPrinting *printing = new ReceiptPrinting; // lives as long as the process
    return *printing;
}

PrinterConfig ReceiptPrinting::config()
{
    return PrinterConfig::load(QSettings());
}

void ReceiptPrinting::saveConfig(const PrinterConfig &config)
{
    QSettings settings;
    config.save(settings);
}

void ReceiptPrinting::send(const PrinterConfig &config, const QByteArray &bytes,
                           std::function<void(const Result<qint64> &)> done)
{
    QPointer<ReceiptPrinting> self(this);
    QThreadPool::globalInstance()->start([self, config, bytes, done = std::move(done)]() mutable {
        const Result<qint64> sent = sendToPrinter(config, bytes);
        if (self) {
            QMetaObject::invokeMethod(
                self, [sent, done = std::move(done)] { done(sent); }, Qt::QueuedConnection);
        }
    });
}

bool ReceiptPrinting::afterPayment(TillBackend &backend, const Order &order, MessageBar *messages)
{
    const PrinterConfig printer = config();
    if (!printer.enabled() || order.receiptNo.isEmpty())
        return false;
    instance().printOriginal(backend, order.receiptNo, printer.drawerOnCash && tookCash(order),
                             messages, order.cashierId);
    return true;
}

bool ReceiptPrinting::afterPayment(TillBackend &backend, const Tab &tab, MessageBar *messages)
{
    const PrinterConfig printer = config();
    if (!printer.enabled() || tab.receiptNo.isEmpty())
        return false;
    instance().printOriginal(backend, tab.receiptNo, printer.drawerOnCash && tookCash(tab),
                             messages, {});
    return true;
}

void ReceiptPrinting::printOriginal(TillBackend &backend, const QString &receiptNo, bool openDrawer,
                                    QPointer<MessageBar> messages, const QString &cashierId)
{
    const auto notPrinted = [this, &backend, receiptNo, openDrawer, messages,
                             cashierId](const QString &why) {
        emit printFailed(receiptNo, why);
        if (!messages)
            return;
        messages->showMessage(tr("Receipt %1 not printed \u2014 print now: %2").arg(receiptNo, why),
                              MessageBar::Kind::Warning,
                              [this, &backend, receiptNo, openDrawer, messages, cashierId] {
                                  printOriginal(backend, receiptNo, openDrawer, messages,
                                                cashierId);
                              });
    };
    beginJob();
    backend.act(
        this, [receiptNo](Services &services) { return claimAndLoad(services, receiptNo, false); },
        [this, &backend, receiptNo, openDrawer, messages, notPrinted,
         cashierId](const Result<ClaimedReceipt> &claimed) {
            if (!claimed) {
                // Printed already, or being printed elsewhere: nothing more to do here.
                if (messages && claimed.outcome() != Outcome::InvalidState)
                    messages->showMessage(claimed.message(), MessageBar::Kind::Warning);
                if (claimed.outcome() != Outcome::InvalidState &&
                    claimed.outcome() != Outcome::Conflict)
                    notPrinted(claimed.message());
                endJob();
                return;
            }
            if (claimed->claim.afterInterruption && messages) {
                // The original may have come out of the printer already: a copy, never twice.
                messages->showMessage(tr("Printing of receipt %1 was interrupted \u2014 check the "
                                         "printer. Printing a copy (marked COPY)…")
                                          .arg(receiptNo),
                                      MessageBar::Kind::Warning);
            }
            printClaimed(
                backend, claimed->claim, claimed->receipt, openDrawer,
                [this, notPrinted, messages, claim = claimed->claim](bool ok,
                                                                     const QString &message) {
                    if (!ok)
                        notPrinted(message);
                    else if (claim.afterInterruption && messages)
                        messages->showMessage(
                            tr("A copy of receipt %1 was printed (its original's print "
                               "was interrupted).")
                                .arg(claim.receiptNo));
                },
                cashierId);
            endJob();
        });
}

void ReceiptPrinting::printCopy(TillBackend &backend, const QString &receiptNo,
                                std::function<void(bool, const QString &)> done)
{
    if (!config().enabled()) {
        done(false, tr("No receipt printer is set up on this till (Settings \u2192 Receipt "
                       "printer)."));
        return;
    }
    beginJob();
    backend.act(
        this, [receiptNo](Services &services) { return claimAndLoad(services, receiptNo, true); },
        [this, &backend, done](const Result<ClaimedReceipt> &claimed) {
            if (!claimed)
                done(false, claimed.message());
            else
                printClaimed(backend, claimed->claim, claimed->receipt, false, done);
            endJob();
        });
}

void ReceiptPrinting::printClaimed(TillBackend &backend, const PrintClaim &claim,
                                   const Receipt &receipt, bool openDrawer,
                                   std::function<void(bool, const QString &)> done,
                                   const QString &reprintBy)
{
    const PrinterConfig printer = config();
    const ReceiptLayout layout{printer.columns, claim.copy, openDrawer && !claim.copy};
    const ShopProfile &shop = ShopContext::instance().profile();
    const QByteArray bytes = receipt.order ? escPosReceipt(*receipt.order, shop, layout)
                                           : escPosReceipt(*receipt.tab, shop, layout);
    QPointer<TillBackend> backendAlive(&backend);
    beginJob();
    send(printer, bytes, [this, backendAlive, claim, done, reprintBy](const Result<qint64> &sent) {
        if (!backendAlive) {
            done(sent.isOk(), sent.message());
            endJob();
            return;
        }
        const QString error = sent.message();
        backendAlive->act(
            this,
            [claim, ok = sent.isOk(), error, reprintBy](Services &services) {
                if (!ok)
                    return services.prints().markFailed(claim, error);
                const Result<PrintClaim> printed = services.prints().markPrinted(claim);
                if (!printed || !claim.afterInterruption || reprintBy.isEmpty())
                    return printed;
                // The copy handed out instead of the interrupted original: in the order's
                // history, as a copy printed from the receipts list is.
                const Result<Receipt> recorded = services.receipts().recordReprint(
                    claim.receiptNo, reprintBy, QUuid::createUuid().toString(QUuid::WithoutBraces));
                return recorded ? printed : Result<PrintClaim>::from(recorded);
            },
            [this, claim, ok = sent.isOk(), error, done](const Result<PrintClaim> &stored) {
                if (ok)
                    emit printed(claim.receiptNo, claim.copy);
                if (!stored && ok) {
                    // The bytes went out but the record did not: say so rather than hide it.
                    done(true, tr("Receipt %1 was printed, but that could not be recorded: %2")
                                   .arg(claim.receiptNo, stored.message()));
                } else {
                    done(ok, ok ? tr("Receipt %1 printed.").arg(claim.receiptNo) : error);
                }
                endJob();
            });
    });
}

void ReceiptPrinting::checkNotPrinted(TillBackend &backend, MessageBar *messages,
                                      const QString &cashierId)
{
    const PrinterConfig printer = config();
    if (!printer.enabled())
        return;
    QPointer<MessageBar> bar(messages);
    using Lists = std::pair<QStringList, QStringList>; // not printed, interrupted
    backend.query(
        &instance(),
        [since = printer.configuredAt](Services &services) -> Result<Lists> {
            const Result<QStringList> never = services.prints().notPrinted(since);
            if (!never)
                return Result<Lists>::from(never);
            const Result<QStringList> cut = services.prints().interrupted(since);
            if (!cut)
                return Result<Lists>::from(cut);
            return Result<Lists>::ok({*never, *cut});
        },
        [&backend, bar, cashierId](const Result<Lists> &found) {
            if (!bar || !found || (found->first.isEmpty() && found->second.isEmpty()))
                return;
            const QStringList notPrinted = found->first;
            const QStringList interrupted = found->second;
            QStringList parts;
            if (!notPrinted.isEmpty())
                parts << tr("%n receipt(s) not printed \u2014 print now: %1", nullptr,
                            int(notPrinted.size()))
                             .arg(notPrinted.join(u", "_s));
            if (!interrupted.isEmpty())
                parts << tr("printing was interrupted \u2014 check the printer (printing again "
                            "prints a copy): %1")
                             .arg(interrupted.join(u", "_s));
            // Retry: the originals never printed, and a copy of each interrupted one (the claim
            // decides which: PrintStore::claimOriginal).
            const QStringList receipts = notPrinted + interrupted;
            bar->showMessage(parts.join(u"; "_s), MessageBar::Kind::Warning,
                             [&backend, bar, receipts, cashierId] {
                                 for (const QString &receiptNo : receipts)
                                     instance().printOriginal(backend, receiptNo, false, bar,
                                                              cashierId);
                             });
        });
}

void ReceiptPrinting::openDrawer(std::function<void(bool, const QString &)> done)
{
    const PrinterConfig printer = config();
    if (!printer.enabled()) {
        done(false, tr("No cash drawer is set up on this till: it opens through the receipt "
                       "printer (Settings \u2192 Receipt printer)."));
        return;
    }
    send(printer, EscPos().init().kick().bytes(), [done](const Result<qint64> &sent) {
        done(sent.isOk(), sent ? tr("Cash drawer opened.") : sent.message());
    });
}

void ReceiptPrinting::testPrint(const PrinterConfig &config,
                                std::function<void(bool, const QString &)> done)
{
    send(config, escPosTestPage(ShopContext::instance().profile(), config.columns),
         [config, done](const Result<qint64> &sent) {
             done(sent.isOk(),
                  sent ? tr("Test page sent to the %1.").arg(config.describe()) : sent.message());
         });
}

} // namespace SafeTill
