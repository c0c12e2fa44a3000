#pragma once

#include "OrderWidget.h"
#include "Types.h"

#include <QMainWindow>
#include <QPointer>

class QLabel;
class QStackedWidget;

namespace SafeTill {

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

Q_SIGNALS:
    void newWindowRequested();
    void tabsWindowRequested();
    void syncSettingsRequested();

private:
    void showOrderScreen(const Cashier &cashier);
    void showLoginScreen();

    TillBackend &m_backend;
    QStackedWidget *m_pages;
    LoginWidget *m_login;
    QPointer<OrderWidget> m_order;
    QLabel *m_statusCashier;
    SyncStatusWidget *m_statusSync;
};

} // namespace SafeTill
