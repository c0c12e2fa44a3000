#include "TillApplication.h"

#include "ApprovalDialog.h"
#include "BackOfficeWindow.h"
#include "MainWindow.h"
#include "ReceiptPrinting.h"
#include "ReceiptsWindow.h"
#include "ReviewWindow.h"
#include "SettingsDialog.h"
#include "ShiftWindow.h"
#include "ShopContext.h"
#include "SyncService.h"
#include "TabsWindow.h"
#include "TillBackend.h"

#include <QMessageBox>
#include <QSettings>

namespace SafeTill {

std::unique_ptr<TillApplication> TillApplication::create(std::unique_ptr<TillBackend> backend,
                                                         const QString &demoHint)
{
    std::unique_ptr<TillApplication> app(new TillApplication);
    app->m_backend = std::move(backend);
    app->m_demoHint = demoHint;
    // Receipts are headed with the shop's settings, as they are now (a sync pull or the CLI may
    // change them while the till runs).
    app->refreshShop();
    connect(app->m_backend.get(), &TillBackend::changed, app.get(), &TillApplication::refreshShop);
    return app;
}

void TillApplication::refreshShop()
{
    m_backend->query(
        this, [](Services &services) { return ShopSettings(services.database()).profile(); },
        [](const Result<ShopProfile> &shop) {
            // A failed read keeps the shop last read; the next change reads it again.
            if (shop)
                ShopContext::instance().setProfile(*shop);
            else
                qWarning("cannot read the shop's settings: %s", qPrintable(shop.message()));
        });
}

TillApplication::~TillApplication()
{
    // A receipt still printing gets its outcome stored while the backend is here to store it.
    ReceiptPrinting::instance().waitForPrints();
    m_sync.reset(); // stops the sync thread before the windows that show it go
    // Windows hold references to the backend: close them before it goes.
    for (const QPointer<MainWindow> &window : std::as_const(m_windows))
        delete window.data();
    delete m_tabs.data();
    delete m_review.data();
    delete m_receipts.data();
    delete m_shift.data();
    delete m_backOffice.data();
    ShopContext::instance().reset(); // the next application (tests) starts from the default
}

MainWindow *TillApplication::newWindow()
{
    auto *window = new MainWindow(*m_backend, m_demoHint);
    connect(window, &MainWindow::newWindowRequested, this, &TillApplication::newWindow);
    connect(window, &MainWindow::tabsWindowRequested, this, &TillApplication::showTabs);
    connect(window, &MainWindow::reviewWindowRequested, this,
            [this, window] { showReview(window->cashierName()); });
    connect(window, &MainWindow::receiptsWindowRequested, this,
            [this, window] { showReceipts(window->cashier()); });
    connect(window, &MainWindow::shiftWindowRequested, this,
            [this, window] { showShift(window->cashier()); });
    connect(window, &MainWindow::syncSettingsRequested, this,
            [this, window] { showSyncSettings(window); });
    connect(window, &MainWindow::backOfficeRequested, this,
            [this, window] { showBackOffice(window->cashier(), window); });
    window->setSyncService(m_sync.get());
    window->setKiosk(kiosk());
    m_windows.removeAll(nullptr);
    m_windows << window;
    window->show();
    return window;
}

TabsWindow *TillApplication::showTabs()
{
    if (!m_tabs) {
        m_tabs = new TabsWindow(*m_backend);
        m_tabs->setAttribute(Qt::WA_DeleteOnClose);
    }
    m_tabs->show();
    m_tabs->raise();
    m_tabs->activateWindow();
    return m_tabs;
}

ReviewWindow *TillApplication::showReview(const QString &resolver)
{
    // A closed window is only deleted on the next turn of the event loop: one reopened before
    // that (a click right after closing it) would be deleted under the manager's eyes.
    if (!m_review || !m_review->isVisible()) {
        m_review = new ReviewWindow(*m_backend);
        m_review->setAttribute(Qt::WA_DeleteOnClose);
    }
    if (!resolver.isEmpty())
        m_review->suggestResolver(resolver);
    m_review->show();
    m_review->raise();
    m_review->activateWindow();
    return m_review;
}

ReceiptsWindow *TillApplication::showReceipts(const Cashier &cashier)
{
    // As showReview(): a closed window is deleted only on the next turn of the event loop.
    if (!m_receipts || !m_receipts->isVisible()) {
        m_receipts = new ReceiptsWindow(*m_backend);
        m_receipts->setAttribute(Qt::WA_DeleteOnClose);
    }
    m_receipts->setCashier(cashier);
    m_receipts->show();
    m_receipts->raise();
    m_receipts->activateWindow();
    return m_receipts;
}

ShiftWindow *TillApplication::showShift(const Cashier &cashier)
{
    // As showReview(): a closed window is deleted only on the next turn of the event loop.
    if (!m_shift || !m_shift->isVisible()) {
        m_shift = new ShiftWindow(*m_backend);
        m_shift->setAttribute(Qt::WA_DeleteOnClose);
    }
    m_shift->setCashier(cashier);
    m_shift->show();
    m_shift->raise();
    m_shift->activateWindow();
    return m_shift;
}

BackOfficeWindow *TillApplication::backOffice() const
{
    return m_backOffice;
}

void TillApplication::showBackOffice(const Cashier &cashier, QWidget *parent)
{
    if (cashier.id.isEmpty()) {
        QMessageBox::information(parent, tr("Back office"),
                                 tr("Log in first: the back office needs a manager, or a "
                                    "manager's approval."));
        return;
    }
    authorizeBackOffice(cashier, std::nullopt, parent, nullptr);
}

void TillApplication::authorizeBackOffice(const Cashier &cashier,
                                          const std::optional<Approver> &approver, QWidget *parent,
                                          QPointer<ApprovalDialog> dialog)
{
    // An approver's PIN is checked (and a wrong one counted) by the model: an action.
    m_backend->act(
        this,
        [id = cashier.id, approver](Services &services) {
            return services.approvals().authorize(id, Permission::BackOffice, approver);
        },
        [this, cashier, parent, dialog](const Result<Authorization> &allowed) {
            if (allowed) {
                if (dialog)
                    dialog->accept();
                if (m_backOffice)
                    m_backOffice->close(); // another person's rights
                m_backOffice = new BackOfficeWindow(*m_backend, *allowed);
                m_backOffice->setAttribute(Qt::WA_DeleteOnClose);
                m_backOffice->show();
                m_backOffice->raise();
                m_backOffice->activateWindow();
                return;
            }
            if (allowed.outcome() == Outcome::Forbidden) {
                if (dialog) {
                    dialog->refused(allowed.message());
                    return;
                }
                auto *approval = new ApprovalDialog(*m_backend, allowed.message(), parent);
                approval->setAttribute(Qt::WA_DeleteOnClose);
                const QPointer<ApprovalDialog> open(approval);
                connect(approval, &ApprovalDialog::approved, this,
                        [this, cashier, parent, open](const Approver &approver) {
                            authorizeBackOffice(cashier, approver, parent, open);
                        });
                approval->open();
                return;
            }
            if (dialog)
                dialog->reject();
            QMessageBox::warning(parent, tr("Back office"), allowed.message());
        });
}

bool TillApplication::startSyncFromSettings(QString *error)
{
    const SyncConfig config = SyncConfig::load(QSettings());
    if (!config.isConfigured()) {
        m_sync.reset();
    } else {
        if (!m_sync)
            m_sync = std::make_unique<SyncService>(m_backend->databaseOptions());
        if (!m_sync->configure(config, error))
            m_sync.reset();
    }
    for (MainWindow *window : windows())
        window->setSyncService(m_sync.get());
    return !config.isConfigured() || m_sync != nullptr;
}

void TillApplication::showSyncSettings(QWidget *parent)
{
    SettingsDialog dialog(SyncConfig::load(QSettings()), parent);
    if (dialog.exec() != QDialog::Accepted)
        return;
    QSettings settings;
    dialog.config().save(settings);
    settings.sync();
    QString error;
    if (!startSyncFromSettings(&error))
        QMessageBox::warning(parent, tr("Sync"), error);
}

bool TillApplication::kiosk() const
{
    return m_kiosk || QSettings().value(QStringLiteral("ui/kiosk"), false).toBool();
}

QList<MainWindow *> TillApplication::windows() const
{
    QList<MainWindow *> open;
    for (const QPointer<MainWindow> &window : m_windows) {
        if (window)
            open << window;
    }
    return open;
}

} // namespace SafeTill
