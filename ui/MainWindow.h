#pragma once

#include "OrderWidget.h"
#include "Types.h"

#include <QMainWindow>
#include <QPointer>

class QLabel;
class QStackedWidget;

namespace SafeTill {

class LoginWidget;
class TillBackend;

// One till window: the login screen, then the logged-in cashier's order screen.
class MainWindow : public QMainWindow
{
    Q_OBJECT

public:
    MainWindow(TillBackend &backend, const QString &demoHint, QWidget *parent = nullptr);

    LoginWidget *loginWidget() const { return m_login; }
    OrderWidget *orderWidget() const { return m_order; }

Q_SIGNALS:
    void newWindowRequested();
    void tabsWindowRequested();

private:
    void showOrderScreen(const Cashier &cashier);
    void showLoginScreen();

    TillBackend &m_backend;
    QStackedWidget *m_pages;
    LoginWidget *m_login;
    QPointer<OrderWidget> m_order;
    QLabel *m_statusCashier;
    QLabel *m_statusSync;
};

} // namespace SafeTill
