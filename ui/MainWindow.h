#pragma once

#include "OrderWidget.h"
#include "Types.h"

#include <QMainWindow>
#include <QPointer>

class QLabel;
class QToolButton;
class QStackedWidget;

namespace SafeTill {

class ApprovalDialog;
class LoginWidget;
class SyncService;
class SyncStatusWidget;
class TillBackend;

// One till window: the login screen, then the logged-in cashier's order screen.
class MainWindow : public QMainWindow
{
    Q_OBJECT

public:
    MainWindow(TillBackend &backend, const QString &demoHint, QWidget *parent = nullptr);

    LoginWidget *loginWidget() const { return m_login; }
    OrderWidget *orderWidget() const { return m_order; }
    // The status bar follows this sync service (nullptr: not configured).
    void setSyncService(SyncService *service);
    // The logged-in cashier's name; empty on the login screen.
    QString cashierName() const;
    // The logged-in cashier; an empty id on the login screen.
    Cashier cashier() const;
    // Kiosk mode (--kiosk or the setting ui/kiosk): full screen without window decorations, and
    // closing (the window's close, Alt+F4, File → Quit) needs a manager's PIN.
    void setKiosk(bool kiosk);
    bool isKiosk() const { return m_kiosk; }
    // While a kiosk window asks for a manager to leave (nullptr otherwise).
    ApprovalDialog *leaveKioskDialog() const { return m_leaveDialog; }
    void showAbout();

Q_SIGNALS:
    void newWindowRequested();
    void tabsWindowRequested();
    void reviewWindowRequested();
    void receiptsWindowRequested();
    void shiftWindowRequested();
    void syncSettingsRequested();
    // Window → Back Office… (issue 16): TillApplication asks Approvals, then opens it.
    void backOfficeRequested();

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    // Window geometry and the order screen's splitter, in QSettings (ui/...).
    void saveLayout();
    void askToLeaveKiosk();
    void showOrderScreen(const Cashier &cashier);
    void showLoginScreen();
    void refreshReviewBadge();
    // Settings → Shop…: editable by a logged-in manager, read-only for everyone else.
    void showShopSettings();

    TillBackend &m_backend;
    QStackedWidget *m_pages;
    LoginWidget *m_login;
    QPointer<OrderWidget> m_order;
    QLabel *m_statusCashier;
    SyncStatusWidget *m_statusSync;
    QToolButton *m_reviewBadge;
    bool m_countingReviews = false;
    bool m_countReviewsAgain = false;
    bool m_kiosk = false;
    bool m_leaveApproved = false;
    QPointer<ApprovalDialog> m_leaveDialog;
};

} // namespace SafeTill
