#pragma once

#include "Types.h"

#include <QDialog>

class QButtonGroup;
class QLabel;
class QLineEdit;
class QPushButton;

namespace SafeTill {

// Cash or card, the amount tendered (with quick buttons for the exact amount and round notes) and
// the change due. Confirming emits the payment once; the caller completes the order it showed.
class PaymentDialog : public QDialog
{
    Q_OBJECT

public:
    PaymentDialog(Cents totalCents, const QString &title, QWidget *parent = nullptr);

    PaymentRequest payment() const;

Q_SIGNALS:
    void confirmed(const SafeTill::PaymentRequest &payment);

private:
    void setTendered(Cents cents);
    void update();
    void confirm();

    Cents m_total;
    // Checkable buttons, not radio buttons: a radio button reacts only on its small label, too
    // small a target for a finger on a touch screen.
    QPushButton *m_cash;
    QPushButton *m_card;
    QLineEdit *m_tendered;
    QLabel *m_change;
    QPushButton *m_confirm;
    QList<QPushButton *> m_quickButtons;
    bool m_confirmed = false;
};

} // namespace SafeTill
