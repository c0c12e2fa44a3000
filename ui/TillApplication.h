#pragma once

#include "Approvals.h"
#include "Types.h"

#include <QObject>
#include <QPointer>

#include <memory>

namespace SafeTill {

class ApprovalDialog;
class BackOfficeWindow;
class MainWindow;
class ReceiptsWindow;
class ShiftWindow;
class ReviewWindow;
class TabsWindow;
class TillBackend;
class SyncService;

// The GUI's windows: one backend (worker thread + connection, from the services library) shared
// by all of this process's windows; Window → New Window opens another till window on the same
// database.
class TillApplication : public QObject
{
    Q_OBJECT

public:
    // On an opened backend (TillBackend::open), which it keeps until its windows are gone.
    static std::unique_ptr<TillApplication> create(std::unique_ptr<TillBackend> backend,
                                                   const QString &demoHint);
    ~TillApplication() override;

    MainWindow *newWindow();
    TabsWindow *showTabs();
    // The review list; resolver (who is logged in where it was asked for) prefills "Resolved by".
    ReviewWindow *showReview(const QString &resolver = {});
    // The receipts list; reprints from it are recorded as made by cashier (who is logged in where
    // it was asked for; without one, receipts can be searched but not reprinted).
    ReceiptsWindow *showReceipts(const Cashier &cashier = {});
    // The till's shift: open, pay in and out, X report, close with the Z report; its actions are
    // made by cashier (who is logged in where it was asked for; without one, read-only).
    ShiftWindow *showShift(const Cashier &cashier = {});
    // Window → Back Office…: opens it for a manager; a cashier is asked for a manager's approval
    // (ApprovalDialog), as Approvals::authorize(Permission::BackOffice) decides. The window, once
    // open, is backOffice().
    void showBackOffice(const Cashier &cashier, QWidget *parent = nullptr);
    BackOfficeWindow *backOffice() const;
    TillBackend &backend() { return *m_backend; }
    QList<MainWindow *> windows() const;
    // Background sync, when the settings name a server (QSettings "sync/..."); nullptr otherwise.
    SyncService *sync() const { return m_sync.get(); }
    // Starts or stops background sync from the saved settings; false and *error when they cannot
    // be used (the till then works on its own, as without sync).
    bool startSyncFromSettings(QString *error);
    void showSyncSettings(QWidget *parent);
    // Kiosk mode for the windows opened from now on (--kiosk); the setting ui/kiosk (QSettings)
    // turns it on too. See MainWindow::setKiosk().
    void setKiosk(bool kiosk) { m_kiosk = kiosk; }
    bool kiosk() const;

private:
    // Reads the shop's settings on the worker thread into ShopContext (screens, receipts).
    void refreshShop();
    void authorizeBackOffice(const Cashier &cashier, const std::optional<Approver> &approver,
                             QWidget *parent, QPointer<ApprovalDialog> dialog);
    TillApplication() = default;

    std::unique_ptr<TillBackend> m_backend;
    std::unique_ptr<SyncService> m_sync;
    QString m_demoHint;
    QList<QPointer<MainWindow>> m_windows;
    QPointer<TabsWindow> m_tabs;
    QPointer<ReviewWindow> m_review;
    QPointer<ReceiptsWindow> m_receipts;
    QPointer<ShiftWindow> m_shift;
    QPointer<BackOfficeWindow> m_backOffice;
    bool m_kiosk = false;
};

} // namespace SafeTill
