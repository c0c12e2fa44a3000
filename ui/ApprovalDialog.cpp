#include "ApprovalDialog.h"

#include "TillBackend.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRegularExpressionValidator>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace SafeTill {

ApprovalDialog::ApprovalDialog(TillBackend &backend, const QString &why, QWidget *parent)
    : QDialog(parent)
    , m_manager(new QComboBox(this))
    , m_pin(new QLineEdit(this))
    , m_message(new QLabel(this))
    , m_approve(nullptr)
{
    setObjectName(u"approvalDialog"_s);
    setWindowTitle(tr("Manager approval"));
    setAccessibleName(tr("Manager approval"));

    auto *reason = new QLabel(why, this);
    reason->setObjectName(u"approvalReason"_s);
    reason->setWordWrap(true);
    reason->setAccessibleName(tr("What needs a manager"));

    m_manager->setObjectName(u"approvalManager"_s);
    m_manager->setAccessibleName(tr("Approving manager"));
    m_manager->setMinimumHeight(40);
    m_pin->setObjectName(u"approvalPin"_s);
    m_pin->setAccessibleName(tr("Manager's PIN"));
    m_pin->setEchoMode(QLineEdit::Password);
    m_pin->setMaxLength(12);
    m_pin->setMinimumHeight(40);
    m_pin->setValidator(
        new QRegularExpressionValidator(QRegularExpression(u"[0-9]{0,12}"_s), m_pin));
    m_message->setObjectName(u"approvalMessage"_s);
    m_message->setWordWrap(true);
    m_message->setAccessibleName(tr("Approval message"));

    auto *form = new QFormLayout;
    form->addRow(tr("&Manager:"), m_manager);
    form->addRow(tr("&PIN:"), m_pin);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Cancel, this);
    m_approve = buttons->addButton(tr("&Approve"), QDialogButtonBox::AcceptRole);
    m_approve->setObjectName(u"approvalApprove"_s);
    m_approve->setAccessibleName(tr("Approve"));
    m_approve->setDefault(true);
    buttons->button(QDialogButtonBox::Cancel)->setObjectName(u"approvalCancel"_s);
    // Approve retries the action; the dialog closes when it went through (the caller accepts).
    connect(m_approve, &QPushButton::clicked, this, &ApprovalDialog::submit);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    // Enter in the PIN field presses Approve, the default button, once. (A returnPressed
    // connection as well disabled the field first, the focus moved on to Cancel, which became
    // the default button, and the same Enter closed the dialog.)
    connect(m_pin, &QLineEdit::textChanged, this, &ApprovalDialog::updateButton);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(reason);
    layout->addLayout(form);
    layout->addWidget(m_message);
    layout->addWidget(buttons);
    updateButton();

    // The shop's managers (the model decides whether the one chosen is one; this only helps).
    backend.query(
        this, [](Services &services) { return services.cashiers().list(); },
        [this](const Result<QList<Cashier>> &cashiers) {
            if (!cashiers) {
                m_message->setText(cashiers.message());
                return;
            }
            for (const Cashier &cashier : *cashiers) {
                if (cashier.role == Role::Manager)
                    m_manager->addItem(cashier.name, cashier.id);
            }
            if (m_manager->count() == 0)
                m_message->setText(tr("There is no manager to approve this."));
            updateButton();
        });
}

void ApprovalDialog::submit()
{
    if (m_waiting || !m_approve->isEnabled())
        return;
    m_waiting = true;
    const Approver approver{m_manager->currentData().toString(), m_pin->text()};
    m_pin->clear(); // never kept on screen
    m_message->setText(tr("Checking…"));
    updateButton();
    Q_EMIT approved(approver);
}

void ApprovalDialog::refused(const QString &message)
{
    m_waiting = false;
    m_message->setText(message);
    updateButton();
    m_pin->setFocus();
}

QString ApprovalDialog::message() const
{
    return m_message->text();
}

void ApprovalDialog::updateButton()
{
    const bool ready = !m_waiting && m_manager->count() > 0 && !m_pin->text().isEmpty();
    m_approve->setEnabled(ready);
    m_pin->setEnabled(!m_waiting);
    m_manager->setEnabled(!m_waiting);
}

} // namespace SafeTill
