#include "TabsWindow.h"

#include "MessageBar.h"
#include "PaymentDialog.h"
#include "ReceiptDialog.h"
#include "ReceiptPrinting.h"
#include "ShopContext.h"
#include "TillBackend.h"

#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QTableView>
#include <QUuid>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace SafeTill {

void TabsModel::setTabs(const QList<Tab> &tabs)
{
    beginResetModel();
    m_tabs = tabs;
    endResetModel();
}

int TabsModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_tabs.size());
}

int TabsModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant TabsModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_tabs.size())
        return {};
    if (role == Qt::TextAlignmentRole) {
        return index.column() == NameColumn ? QVariant(Qt::AlignLeft | Qt::AlignVCenter)
                                            : QVariant(Qt::AlignRight | Qt::AlignVCenter);
    }
    if (role != Qt::DisplayRole)
        return {};
    const Tab &tab = m_tabs.at(index.row());
    switch (index.column()) {
    case NameColumn:
        return tab.name;
    case OrdersColumn:
        return int(tab.orders.size());
    case TotalColumn:
        return ShopContext::money(tab.totalCents());
    case BalanceColumn:
        // A tab paid in part (a split tender closed half-way) shows what is still due.
        return ShopContext::money(tab.balanceCents());
    default:
        return {};
    }
}

QVariant TabsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case NameColumn:
        return tr("Tab");
    case OrdersColumn:
        return tr("Orders");
    case TotalColumn:
        return tr("Total");
    case BalanceColumn:
        return tr("Balance due");
    default:
        return {};
    }
}

TabsWindow::TabsWindow(TillBackend &backend, QWidget *parent)
    : QWidget(parent, Qt::Window)
    , m_backend(backend)
    , m_model(new TabsModel(this))
    , m_view(new QTableView(this))
    , m_details(new QLabel(this))
    , m_settle(new QPushButton(tr("Settle tab…"), this))
    , m_messages(new MessageBar(this))
{
    setObjectName(u"tabsWindow"_s);
    setWindowTitle(tr("Open tabs — SafeTill"));
    m_view->setObjectName(u"tabsView"_s);
    m_view->setModel(m_model);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_view->horizontalHeader()->setMinimumSectionSize(
        m_view->fontMetrics().horizontalAdvance(ShopContext::money(99999)) + 24);
    m_view->horizontalHeader()->setSectionResizeMode(TabsModel::NameColumn, QHeaderView::Stretch);
    m_view->verticalHeader()->hide();
    m_view->verticalHeader()->setDefaultSectionSize(40); // rows a finger can pick
    m_details->setObjectName(u"tabDetails"_s);
    m_details->setWordWrap(true);
    m_settle->setObjectName(u"settleButton"_s);
    m_settle->setMinimumHeight(56);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_messages);
    layout->addWidget(m_view, 1);
    layout->addWidget(m_details);
    layout->addWidget(m_settle);
    resize(560, 480);
    connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &TabsWindow::showDetails);
    connect(m_settle, &QPushButton::clicked, this, &TabsWindow::settleSelected);
    connect(&m_backend, &TillBackend::changed, this, &TabsWindow::reload);
    // Amounts in the shop's currency: shown anew when it changes.
    connect(&ShopContext::instance(), &ShopContext::currencyChanged, this, &TabsWindow::reload);
    reload();
}

void TabsWindow::reload()
{
    if (m_reloading) {
        m_reloadAgain = true;
        return;
    }
    m_reloading = true;
    m_backend.query(
        this, [](Services &services) { return services.tabs().openTabs(); },
        [this](const Result<QList<Tab>> &result) {
            m_reloading = false;
            if (result) {
                const std::optional<Tab> selected = selectedTab();
                m_model->setTabs(*result);
                for (int row = 0; selected && row < m_model->rowCount(); ++row) {
                    if (m_model->tabs().at(row).id == selected->id)
                        m_view->selectRow(row);
                }
                showDetails();
            }
            if (std::exchange(m_reloadAgain, false))
                reload();
        });
}

std::optional<Tab> TabsWindow::selectedTab() const
{
    const QModelIndexList rows = m_view->selectionModel()->selectedRows();
    if (rows.isEmpty() || rows.front().row() >= m_model->tabs().size())
        return std::nullopt;
    return m_model->tabs().at(rows.front().row());
}

void TabsWindow::showDetails()
{
    const std::optional<Tab> tab = selectedTab();
    m_settle->setEnabled(tab.has_value() && !m_busy);
    if (!tab) {
        m_details->setText(m_model->tabs().isEmpty() ? tr("No open tabs.")
                                                     : tr("Select a tab to see its orders."));
        return;
    }
    QStringList lines;
    for (const Order &order : tab->orders) {
        lines << tr("%1: %n item(s), %2", nullptr, order.itemCount())
                     .arg(order.cashierName, ShopContext::money(order.totalCents()));
    }
    // Paid in part: what was taken and what is still due, so the smaller balance is visible.
    if (const Cents paid = tab->paidCents(); paid != 0) {
        lines << tr("Paid so far: %1 — balance due: %2")
                     .arg(ShopContext::money(paid), ShopContext::money(tab->balanceCents()));
    }
    m_details->setText(tr("<b>%1</b> — total %2<br>%3")
                           .arg(tab->name.toHtmlEscaped(), ShopContext::money(tab->totalCents()),
                                lines.join(u"<br>"_s)));
}

void TabsWindow::settleSelected()
{
    const std::optional<Tab> tab = selectedTab();
    if (!tab || m_busy)
        return;
    m_busy = true;
    m_settle->setEnabled(false);
    m_paying = *tab;
    auto *dialog = new PaymentDialog(tr("Settle tab %1").arg(tab->name), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    m_payment = dialog;
    dialog->setDue(tab->totalCents(), tab->payments);
    connect(dialog, &PaymentDialog::confirmed, this, [this](const PaymentRequest &payment) {
        settle(payment, QUuid::createUuid().toString(QUuid::WithoutBraces));
    });
    // Closed half-way: the payments taken are kept, the tab stays open with its balance.
    connect(dialog, &QDialog::rejected, this, [this] {
        m_busy = false;
        showDetails();
        reload();
    });
    dialog->open();
}

void TabsWindow::settle(const PaymentRequest &payment, const QString &requestId)
{
    m_backend.act(
        this,
        [id = m_paying.id, version = m_paying.version, payment, requestId](Services &services) {
            // The whole balance in one tender is the settlement it always was.
            return payment.amountCents ? services.tabs().pay(id, payment, version, requestId)
                                       : services.tabs().settle(id, payment, version, requestId);
        },
        [this, payment, requestId](const Result<Tab> &result) {
            if (result && result->status == TabStatus::Settled) {
                if (m_payment) {
                    m_payment->setDue(0, {});
                    m_payment->accept();
                }
                m_busy = false;
                showDetails();
                m_messages->showMessage(
                    tr("Tab %1 settled, receipt %2.").arg(result->name, result->receiptNo));
                // With a receipt printer set up it prints by itself (no dialog), exactly once.
                if (!ReceiptPrinting::afterPayment(m_backend, *result, m_messages)) {
                    auto *receipt = new ReceiptDialog(*result, this);
                    receipt->setAttribute(Qt::WA_DeleteOnClose);
                    receipt->open();
                }
            } else if (result) {
                // Part of the balance: the dialog stays open for the next tender.
                m_paying = *result;
                if (m_payment)
                    m_payment->setDue(result->totalCents(), result->payments);
            } else if (const std::optional<Tab> now = result.value();
                       m_payment && (!now || now->status == TabStatus::Open)) {
                // Nothing was taken: why, in the dialog, with the tab as it is now.
                if (now) {
                    m_paying = *now;
                    m_payment->setDue(now->totalCents(), now->payments);
                }
                m_payment->showRefusal(result.message());
            } else {
                if (m_payment) {
                    m_payment->setDue(0, {});
                    m_payment->close();
                }
                m_busy = false;
                showDetails();
                m_messages->showMessage(result.message(), MessageBar::Kind::Warning);
            }
            reload();
        });
}

} // namespace SafeTill
