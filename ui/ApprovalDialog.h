#pragma once

#include "Approvals.h"

#include <QDialog>

class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;

namespace SafeTill {

class TillBackend;

// A manager approves a cashier's action on the spot, on the same screen: they pick their name
// from the shop's managers and type their PIN. Reusable for anything the model answers with
// Outcome::Forbidden (discounts above the limit and price overrides now; refunds, voids and
// no-sale later):
//
//     auto *dialog = new ApprovalDialog(backend, refusal.message(), this);
//     connect(dialog, &ApprovalDialog::approved, this, [=](const Approver &approver) {
//         // retry the action with `approver`; on success dialog->accept(), on another
//         // Forbidden dialog->refused(message), on anything else dialog->reject()
//     });
//     dialog->open();
//
// The PIN is checked by the model when the action is retried (and a wrong one is counted
// towards the manager's lockout), never here; it is cleared after every attempt.
class ApprovalDialog : public QDialog
{
    Q_OBJECT

public:
    // why: what needs the approval, as the model said it (shown at the top).
    ApprovalDialog(TillBackend &backend, const QString &why, QWidget *parent = nullptr);

    // The retried action was refused again (a wrong PIN, a manager locked out): say why and let
    // them try again.
    void refused(const QString &message);
    QString message() const;

Q_SIGNALS:
    void approved(const SafeTill::Approver &approver);

private:
    void submit();
    void updateButton();

    QComboBox *m_manager;
    QLineEdit *m_pin;
    QLabel *m_message;
    QPushButton *m_approve;
    bool m_waiting = false;
};

} // namespace SafeTill
