#pragma once

#include "TillBackend.h"
#include "Types.h"

#include <QDateTime>
#include <QWidget>

class QGridLayout;
class QLabel;
class QLineEdit;
class QPushButton;
class QStackedWidget;
class QTimer;

namespace SafeTill {

// Who is working: the cashiers as large buttons, then a PIN pad (touch or keyboard). Wrong PINs
// slow down further guesses for that cashier: the model counts them in the database
// (CashierService), so the lockout shown here holds in every window and process and survives a
// restart; this screen only shows it (a countdown) and keeps the pad disabled meanwhile.
class LoginWidget : public QWidget
{
    Q_OBJECT

public:
    LoginWidget(TillBackend &backend, const QString &demoHint, QWidget *parent = nullptr);

    void reload();
    QString pinMessage() const;

Q_SIGNALS:
    void loggedIn(const SafeTill::Cashier &cashier);

protected:
    void showEvent(QShowEvent *event) override;

private:
    void showCashiers(const QList<Cashier> &cashiers);
    void choose(const Cashier &cashier);
    void submitPin();
    void pinRejected(const QString &message);
    void updateLockout();
    // Reads the chosen cashier's lockout from the model, then shows it (message: the text to
    // show when not locked).
    void readLockout(const QString &message);
    void setPadEnabled(bool enabled);

    TillBackend &m_backend;
    QStackedWidget *m_pages;
    QWidget *m_cashierPage;
    QGridLayout *m_cashierGrid;
    QLabel *m_whoLabel;
    QLineEdit *m_pinEdit;
    QLabel *m_pinMessage;
    QList<QPushButton *> m_padButtons;
    QTimer *m_lockoutTimer;
    Cashier m_chosen;
    bool m_checking = false;
    // Until when the chosen cashier is locked out, as the model last said (UTC; invalid: not).
    QDateTime m_lockedUntil;
};

} // namespace SafeTill
