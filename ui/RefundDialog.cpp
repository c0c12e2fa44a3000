#include "RefundDialog.h"

#include "ApprovalDialog.h"
#include "MessageBar.h"
#include "Services.h"
#include "ShopContext.h"
#include "Tax.h"
#include "Tender.h"
#include "TillBackend.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QTableView>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace SafeTill {

void RefundLinesModel::setReceipt(const RefundableReceipt &receipt)
{
    beginResetModel();
    m_receipt = receipt;
    m_quantities = QList<int>(receipt.lines.size(), 0);
    endResetModel();
}

void RefundLinesModel::refundEverything()
{
    for (qsizetype row = 0; row < m_receipt.lines.size(); ++row)
        m_quantities[row] = m_receipt.lines.at(row).left();
    if (!m_receipt.lines.isEmpty())
        Q_EMIT dataChanged(index(0, RefundColumn), index(rowCount() - 1, AmountColumn));
}

QList<std::pair<QString, int>> RefundLinesModel::chosen() const
{
    QList<std::pair<QString, int>> lines;
    for (qsizetype row = 0; row < m_receipt.lines.size(); ++row) {
        if (m_quantities.at(row) > 0)
            lines.append({m_receipt.lines.at(row).lineId, m_quantities.at(row)});
    }
    return lines;
}

Cents RefundLinesModel::amountOf(int row) const
{
    const RefundableLine &line = m_receipt.lines.at(row);
    return shareOfUnits(line.paidCents, line.sold, line.refunded, m_quantities.at(row));
}

Cents RefundLinesModel::chosenCents() const
{
    Cents sum = 0;
    for (int row = 0; row < rowCount(); ++row)
        sum += amountOf(row);
    return sum;
}

int RefundLinesModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_receipt.lines.size());
}

int RefundLinesModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant RefundLinesModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= rowCount())
        return {};
    const RefundableLine &line = m_receipt.lines.at(index.row());
    if (role == Qt::TextAlignmentRole && index.column() != ItemColumn)
        return QVariant(Qt::AlignRight | Qt::AlignVCenter);
    if (role != Qt::DisplayRole && role != Qt::EditRole)
        return {};
    switch (index.column()) {
    case LineColumn:
        return line.lineNo;
    case ItemColumn:
        return line.name;
    case SoldColumn:
        return line.sold;
    case LeftColumn:
        return line.left();
    case RefundColumn:
        return m_quantities.at(index.row());
    case AmountColumn:
        return ShopContext::amount(amountOf(index.row()));
    default:
        return {};
    }
}

bool RefundLinesModel::setData(const QModelIndex &index, const QVariant &value, int role)
{
    if (role != Qt::EditRole || index.column() != RefundColumn || index.row() >= rowCount())
        return false;
    bool ok = false;
    const int quantity = value.toInt(&ok);
    if (!ok || quantity < 0 || quantity > m_receipt.lines.at(index.row()).left())
        return false;
    m_quantities[index.row()] = quantity;
    Q_EMIT dataChanged(this->index(index.row(), RefundColumn),
                       this->index(index.row(), AmountColumn));
    return true;
}

Qt::ItemFlags RefundLinesModel::flags(const QModelIndex &index) const
{
    Qt::ItemFlags flags = QAbstractTableModel::flags(index);
    if (index.column() == RefundColumn && index.row() < rowCount() &&
        m_receipt.lines.at(index.row()).left() > 0)
        flags |= Qt::ItemIsEditable;
    return flags;
}

QVariant RefundLinesModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case LineColumn:
        return tr("Line");
    case ItemColumn:
        return tr("Item");
    case SoldColumn:
        return tr("Sold");
    case LeftColumn:
        return tr("Left");
    case RefundColumn:
        return tr("Refund");
    case AmountColumn:
        return tr("Amount");
    default:
        return {};
    }
}

RefundDialog::RefundDialog(TillBackend &backend, const Cashier &cashier, const QString &receiptNo,
                           QWidget *parent)
    : QDialog(parent)
    , m_backend(backend)
    , m_cashier(cashier)
    , m_receiptNo(receiptNo)
    , m_model(new RefundLinesModel(this))
    , m_view(new QTableView(this))
    , m_method(new QComboBox(this))
    , m_reason(new QLineEdit(this))
    , m_total(new QLabel(this))
    , m_all(new QPushButton(tr("Everything left"), this))
    , m_refund(new QPushButton(tr("Refund"), this))
    , m_void(new QPushButton(tr("Void sale"), this))
    , m_messages(new MessageBar(this))
{
    setObjectName(u"refundDialog"_s);
    setWindowTitle(tr("Refund receipt %1").arg(receiptNo));
    m_view->setObjectName(u"refundLines"_s);
    m_view->setAccessibleName(tr("Lines to refund"));
    m_view->setModel(m_model);
    m_view->verticalHeader()->hide();
    m_view->verticalHeader()->setDefaultSectionSize(40);
    m_view->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_view->horizontalHeader()->setSectionResizeMode(RefundLinesModel::ItemColumn,
                                                     QHeaderView::Stretch);
    m_view->setEditTriggers(QAbstractItemView::AllEditTriggers);
    m_method->setObjectName(u"refundMethod"_s);
    m_method->setAccessibleName(tr("Pay back by"));
    m_method->addItem(tr("The original method"), QString());
    m_method->addItem(tr("Cash"), toString(PaymentMethod::Cash));
    m_method->addItem(tr("Card"), toString(PaymentMethod::Card));
    m_reason->setObjectName(u"refundReason"_s);
    m_reason->setAccessibleName(tr("Reason"));
    m_reason->setMaxLength(200);
    m_reason->setPlaceholderText(tr("Why (required for a void)"));
    m_total->setObjectName(u"refundTotal"_s);
    m_all->setObjectName(u"refundAll"_s);
    m_refund->setObjectName(u"refundButton"_s);
    m_refund->setMinimumHeight(48);
    m_void->setObjectName(u"voidButton"_s);
    m_void->setMinimumHeight(48);
    m_void->setToolTip(tr("Take back the whole sale (this shift, a manager)"));

    auto *form = new QFormLayout;
    form->addRow(tr("Pay back by"), m_method);
    form->addRow(tr("Reason"), m_reason);
    auto *buttons = new QDialogButtonBox(this);
    buttons->addButton(m_refund, QDialogButtonBox::AcceptRole);
    buttons->addButton(m_void, QDialogButtonBox::ActionRole);
    buttons->addButton(QDialogButtonBox::Cancel);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_messages);
    layout->addWidget(m_view, 1);
    auto *totals = new QHBoxLayout;
    totals->addWidget(m_all);
    totals->addStretch(1);
    totals->addWidget(m_total);
    layout->addLayout(totals);
    layout->addLayout(form);
    layout->addWidget(buttons);
    resize(640, 480);

    connect(m_all, &QPushButton::clicked, m_model, &RefundLinesModel::refundEverything);
    connect(m_model, &QAbstractItemModel::dataChanged, this, &RefundDialog::updateTotal);
    connect(m_model, &QAbstractItemModel::modelReset, this, &RefundDialog::updateTotal);
    connect(m_method, &QComboBox::currentIndexChanged, this, &RefundDialog::updateTotal);
    connect(m_refund, &QPushButton::clicked, this, [this] { submit(false, std::nullopt); });
    connect(m_void, &QPushButton::clicked, this, [this] { submit(true, std::nullopt); });
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    updateTotal();
    load();
}

void RefundDialog::load()
{
    m_busy = true;
    m_backend.query(
        this,
        [receiptNo = m_receiptNo](Services &services) {
            return services.refunds().refundable(receiptNo);
        },
        [this](const Result<RefundableReceipt> &result) {
            m_busy = false;
            if (!result) {
                m_messages->showMessage(result.message(), MessageBar::Kind::Warning);
                return;
            }
            m_originalMethod = result->originalMethod;
            m_model->setReceipt(*result);
            m_method->setItemText(
                0, tr("The original method (%1)").arg(toString(result->originalMethod)));
            if (result->refundedCents > 0)
                m_messages->showMessage(tr("%1 of %2 was refunded already.")
                                            .arg(ShopContext::amount(result->refundedCents),
                                                 ShopContext::amount(result->paidCents)));
        });
}

void RefundDialog::updateTotal()
{
    const Cents total = m_model->chosenCents();
    // Cash is paid back rounded to the shop's cash-rounding step (as RefundService books it):
    // the cashier sees what leaves the drawer before confirming.
    const QString chosen = m_method->currentData().toString();
    const bool cash = chosen.isEmpty() ? m_originalMethod == PaymentMethod::Cash
                                       : paymentMethodFromString(chosen) == PaymentMethod::Cash;
    const Cents inCash =
        cash ? -roundToStep(-total, ShopContext::instance().profile().cashRoundingStep) : total;
    m_total->setText(inCash == total
                         ? tr("To pay back: %1").arg(ShopContext::amount(total))
                         : tr("To pay back: %1, in cash %2")
                               .arg(ShopContext::amount(total), ShopContext::amount(inCash)));
    m_refund->setEnabled(!m_busy && !m_model->chosen().isEmpty());
}

void RefundDialog::submit(bool isVoid, const std::optional<Approver> &approver)
{
    if (m_busy)
        return; // a double click sends one request
    RefundRequest request;
    request.receiptNo = m_receiptNo;
    request.cashier = m_cashier.id;
    request.reason = m_reason->text().trimmed();
    if (const QString method = m_method->currentData().toString(); !method.isEmpty())
        request.method = paymentMethodFromString(method);
    if (!isVoid) {
        request.lines = m_model->chosen();
        if (request.lines.isEmpty()) {
            m_messages->showMessage(tr("Choose how many of which lines to refund."),
                                    MessageBar::Kind::Warning);
            return;
        }
    } else if (request.reason.isEmpty()) {
        m_messages->showMessage(tr("Reason: a void needs a reason."), MessageBar::Kind::Warning);
        m_reason->setFocus();
        return;
    }
    request.approver = approver;
    m_busy = true;
    m_refund->setEnabled(false);
    m_void->setEnabled(false);
    m_backend.act(
        this,
        [request, isVoid, requestId = m_requestId](Services &services) {
            return isVoid ? services.refunds().voidSale(request, requestId)
                          : services.refunds().refund(request, requestId);
        },
        [this, isVoid](const Result<Refund> &result) {
            m_busy = false;
            m_void->setEnabled(true);
            updateTotal();
            if (result) {
                if (m_approvalDialog)
                    m_approvalDialog->accept();
                m_done = *result;
                Q_EMIT refunded(*result);
                accept();
                return;
            }
            if (result.outcome() == Outcome::Forbidden) {
                // A manager approves on the same screen; the same request is sent again.
                if (m_approvalDialog) {
                    m_approvalDialog->refused(result.message());
                    return;
                }
                auto *dialog = new ApprovalDialog(m_backend, result.message(), this);
                dialog->setAttribute(Qt::WA_DeleteOnClose);
                connect(dialog, &ApprovalDialog::approved, this,
                        [this, isVoid](const Approver &approver) { submit(isVoid, approver); });
                m_approvalDialog = dialog;
                dialog->open();
                return;
            }
            if (m_approvalDialog)
                m_approvalDialog->reject();
            m_messages->showMessage(result.message(), result.outcome() == Outcome::Error
                                                          ? MessageBar::Kind::Error
                                                          : MessageBar::Kind::Warning);
            if (result.outcome() == Outcome::InvalidState) {
                // Someone refunded some of it meanwhile: show what is left now, with a new
                // request id for the next try.
                m_requestId = QUuid::createUuid().toString(QUuid::WithoutBraces);
                load();
            }
        });
}

} // namespace SafeTill
