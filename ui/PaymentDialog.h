#pragma once

#include "Types.h"

#include <QDialog>

class QLabel;
class QLineEdit;
class QPushButton;
class QGridLayout;

namespace SafeTill {

// Split tender (issue 14): the total, the payments taken so far (method or label, amount) and the
// balance due; then the next tender: cash, card or other (with a label), the amount (the balance by
// default), for cash the amount tendered (quick buttons for the exact amount and round notes), the
// cash rounding when this tender clears the balance (ShopProfile::cashRoundingStep, its own row)
// and the change. "Take payment" emits one tender and waits: the caller pays it and either shows
// the smaller balance with setDue() (the dialog stays open for the next tender), shows a refusal
// with showRefusal(), or closes the dialog when the balance reached zero. Closing it half-way keeps
// the payments taken; while a tender is being paid it cannot be closed.
class PaymentDialog : public QDialog
{
    Q_OBJECT

public:
    PaymentDialog(const QString &title, QWidget *parent = nullptr);

    // What is due: the total and the sale payments taken so far; balance = total - their sum.
    // Ends a tender in flight: the next one can be entered.
    void setDue(Cents totalCents, const QList<Payment> &payments);
    // The model's message about the tender in flight (nothing was taken); the next can be entered.
    void showRefusal(const QString &message);
    PaymentRequest payment() const;
    Cents balanceCents() const { return m_balance; }
    bool busy() const { return m_busy; }

    void reject() override;

Q_SIGNALS:
    void confirmed(const SafeTill::PaymentRequest &payment);

private:
    void setTendered(Cents cents);
    void rebuildQuickButtons();
    void update();
    void confirm();
    PaymentMethod method() const;
    // The cash rounding this tender would get (model/Tender.h): only the cash tender that clears
    // the balance is rounded.
    Cents rounding(Cents amount) const;

    Cents m_total = 0;
    Cents m_balance = 0;
    bool m_busy = false;
    // Checkable buttons, not radio buttons: a radio button reacts only on its small label, too
    // small a target for a finger on a touch screen.
    QPushButton *m_cash;
    QPushButton *m_card;
    QPushButton *m_other;
    QLabel *m_totalLabel;
    QLabel *m_paymentsLabel;
    QLabel *m_balanceLabel;
    QLineEdit *m_label;
    QLineEdit *m_amount;
    QLineEdit *m_tendered;
    QLabel *m_rounding;
    QLabel *m_change;
    QLabel *m_error;
    QPushButton *m_confirm;
    QPushButton *m_cancel;
    QGridLayout *m_quick;
    QList<QPushButton *> m_quickButtons;
};

} // namespace SafeTill
