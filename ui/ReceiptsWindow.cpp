#include "ReceiptsWindow.h"

#include "MessageBar.h"
#include "ReceiptDialog.h"
#include "ReceiptPrinting.h"
#include "RefundDialog.h"
#include "ShopContext.h"
#include "TillBackend.h"

#include <QCheckBox>
#include <QDateEdit>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QTableView>
#include <QUuid>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace SafeTill {

void ReceiptsModel::setReceipts(const QList<ReceiptSummary> &receipts)
{
    beginResetModel();
    m_receipts = receipts;
    endResetModel();
}

void ReceiptsModel::setPrintStates(const QHash<QString, PrintState> &states,
                                   const QDateTime &printerSince)
{
    m_printStates = states;
    m_printerSince = printerSince;
    if (!m_receipts.isEmpty())
        emit dataChanged(index(0, PrintedColumn), index(rowCount() - 1, PrintedColumn));
}

std::optional<PrintState> ReceiptsModel::printState(int row) const
{
    if (row < 0 || row >= m_receipts.size() || !m_printerSince.isValid())
        return std::nullopt;
    const ReceiptSummary &receipt = m_receipts.at(row);
    const auto found = m_printStates.constFind(receipt.receiptNo);
    if (found == m_printStates.cend())
        return std::nullopt;
    // A sale from before the printer was set up was never meant to print.
    if (*found == PrintState::NotPrinted && receipt.paidAt < m_printerSince)
        return std::nullopt;
    return *found;
}

int ReceiptsModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_receipts.size());
}

int ReceiptsModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ReceiptsModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_receipts.size())
        return {};
    if (role == Qt::TextAlignmentRole) {
        return index.column() == AmountColumn ? QVariant(Qt::AlignRight | Qt::AlignVCenter)
                                              : QVariant(Qt::AlignLeft | Qt::AlignVCenter);
    }
    if (role != Qt::DisplayRole)
        return {};
    const ReceiptSummary &receipt = m_receipts.at(index.row());
    switch (index.column()) {
    case ReceiptColumn:
        return receipt.receiptNo;
    case PaidColumn:
        return QLocale().toString(receipt.paidAt.toLocalTime(), QLocale::ShortFormat);
    case AmountColumn:
        return ShopContext::money(receipt.amountCents);
    case MethodColumn:
        return receipt.method == PaymentMethod::Card ? tr("Card") : tr("Cash");
    case WhoColumn:
        return receipt.tabId.isEmpty() ? receipt.cashierName : tr("Tab %1").arg(receipt.tabName);
    case PrintedColumn: {
        const std::optional<PrintState> state = printState(index.row());
        if (!state)
            return QString();
        switch (*state) {
        case PrintState::NotPrinted:
            return tr("not printed \u2014 print now");
        case PrintState::Printing:
            return tr("printing…");
        case PrintState::Interrupted:
            return tr("printing was interrupted — check the printer");
        case PrintState::Printed:
            break;
        }
        return tr("printed");
    }
    default:
        return {};
    }
}

QVariant ReceiptsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case ReceiptColumn:
        return tr("Receipt");
    case PaidColumn:
        return tr("Paid");
    case AmountColumn:
        return tr("Amount");
    case MethodColumn:
        return tr("Method");
    case WhoColumn:
        return tr("Cashier or tab");
    case PrintedColumn:
        return tr("Printed");
    default:
        return {};
    }
}

ReceiptsWindow::ReceiptsWindow(TillBackend &backend, QWidget *parent)
    : QWidget(parent, Qt::Window)
    , m_backend(backend)
    , m_model(new ReceiptsModel(this))
    , m_number(new QLineEdit(this))
    , m_amount(new QLineEdit(this))
    , m_useDate(new QCheckBox(tr("Day"), this))
    , m_date(new QDateEdit(QDate::currentDate(), this))
    , m_search(new QPushButton(tr("Search"), this))
    , m_refund(new QPushButton(tr("Refund…"), this))
    , m_view(new QTableView(this))
    , m_more(new QLabel(this))
    , m_open(new QPushButton(tr("Open receipt (COPY)…"), this))
    , m_printNow(new QPushButton(tr("Print &now"), this))
    , m_printCopy(new QPushButton(tr("Print &copy"), this))
    , m_messages(new MessageBar(this))
{
    setObjectName(u"receiptsWindow"_s);
    setWindowTitle(tr("Receipts — SafeTill"));
    m_number->setObjectName(u"receiptNumber"_s);
    m_number->setPlaceholderText(tr("Receipt number, its start or its last digits"));
    m_number->setMaxLength(ReceiptSearch::maxNumberLength);
    m_amount->setObjectName(u"receiptAmount"_s);
    m_amount->setPlaceholderText(tr("Exact amount, e.g. %1").arg(ShopContext::amount(1250)));
    m_useDate->setObjectName(u"receiptDateEnabled"_s);
    m_useDate->setChecked(true); // today's sales first
    m_date->setObjectName(u"receiptDate"_s);
    m_date->setCalendarPopup(true);
    m_date->setMaximumDate(QDate::currentDate().addDays(1));
    m_search->setObjectName(u"searchReceipts"_s);
    m_search->setDefault(true);
    m_view->setObjectName(u"receiptsView"_s);
    m_view->setModel(m_model);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_view->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_view->horizontalHeader()->setSectionResizeMode(ReceiptsModel::WhoColumn,
                                                     QHeaderView::Stretch);
    m_view->verticalHeader()->hide();
    m_view->verticalHeader()->setDefaultSectionSize(40); // rows a finger can pick
    m_more->setObjectName(u"receiptsMore"_s);
    m_more->setWordWrap(true);
    m_open->setObjectName(u"openReceipt"_s);
    m_open->setMinimumHeight(56);
    m_open->setEnabled(false);
    m_refund->setObjectName(u"refundReceipt"_s);
    m_refund->setMinimumHeight(56);
    m_refund->setEnabled(false);
    m_refund->setToolTip(tr("Pay back chosen lines of this sale, or void it"));

    m_printNow->setObjectName(u"printNow"_s);
    m_printNow->setMinimumHeight(56);
    m_printNow->setToolTip(tr("Print the original of a receipt that was not printed"));
    m_printCopy->setObjectName(u"printCopy"_s);
    m_printCopy->setMinimumHeight(56);
    m_printCopy->setToolTip(tr("Print a copy marked COPY on the receipt printer"));

    auto *fields = new QFormLayout;
    fields->addRow(tr("Number"), m_number);
    fields->addRow(tr("Amount"), m_amount);
    auto *day = new QHBoxLayout;
    day->addWidget(m_useDate);
    day->addWidget(m_date, 1);
    day->addWidget(m_search);
    fields->addRow(tr("Paid on"), day);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_messages);
    layout->addLayout(fields);
    layout->addWidget(m_view, 1);
    layout->addWidget(m_more);
    auto *actions = new QHBoxLayout;
    actions->addWidget(m_open, 1);
    actions->addWidget(m_printNow);
    actions->addWidget(m_printCopy);
    actions->addWidget(m_refund);
    layout->addLayout(actions);
    resize(720, 560);

    connect(m_search, &QPushButton::clicked, this, &ReceiptsWindow::search);
    connect(m_number, &QLineEdit::returnPressed, this, &ReceiptsWindow::search);
    connect(m_amount, &QLineEdit::returnPressed, this, &ReceiptsWindow::search);
    connect(m_useDate, &QCheckBox::toggled, m_date, &QWidget::setEnabled);
    connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, this, [this] {
        const bool selected = m_view->selectionModel()->hasSelection();
        m_open->setEnabled(selected && !m_opening);
        m_refund->setEnabled(selected && !m_cashier.id.isEmpty());
        updatePrintButtons();
    });
    connect(m_printNow, &QPushButton::clicked, this, &ReceiptsWindow::printNowSelected);
    connect(m_printCopy, &QPushButton::clicked, this, &ReceiptsWindow::printCopySelected);
    connect(&ReceiptPrinting::instance(), &ReceiptPrinting::printed, this,
            &ReceiptsWindow::loadPrintStates);
    connect(&ReceiptPrinting::instance(), &ReceiptPrinting::printFailed, this,
            &ReceiptsWindow::loadPrintStates);
    updatePrintButtons();
    connect(m_refund, &QPushButton::clicked, this, &ReceiptsWindow::refundSelected);
    connect(m_view, &QTableView::doubleClicked, this, &ReceiptsWindow::openSelected);
    connect(m_open, &QPushButton::clicked, this, &ReceiptsWindow::openSelected);
    // New sales (this process or another) appear in the list.
    connect(&m_backend, &TillBackend::changed, this, &ReceiptsWindow::refresh);
    // Amounts in the shop's currency: shown anew when it changes.
    connect(&ShopContext::instance(), &ShopContext::currencyChanged, this,
            &ReceiptsWindow::refresh);
    search();
}

ReceiptDialog *ReceiptsWindow::openReceiptDialog() const
{
    return m_dialog;
}

void ReceiptsWindow::setCashier(const Cashier &cashier)
{
    if (!cashier.id.isEmpty())
        m_cashier = cashier;
    updatePrintButtons();
}

std::optional<ReceiptQuery> ReceiptsWindow::queryFromFields(bool report)
{
    ReceiptQuery query;
    query.number = m_number->text().trimmed();
    const QString amount = m_amount->text().trimmed();
    if (!amount.isEmpty()) {
        const std::optional<Cents> cents = ShopContext::parse(amount);
        if (!cents) {
            if (report)
                m_messages->showMessage(
                    tr("The amount \u201c%1\u201d is not an amount of money, e.g. %2.")
                        .arg(amount, ShopContext::amount(1250)),
                    MessageBar::Kind::Warning);
            return std::nullopt;
        }
        query.amountCents = *cents;
    }
    if (m_useDate->isChecked())
        query.date = m_date->date();
    return query;
}

void ReceiptsWindow::search()
{
    if (const std::optional<ReceiptQuery> query = queryFromFields(true))
        run(*query);
}

void ReceiptsWindow::refresh()
{
    if (const std::optional<ReceiptQuery> query = queryFromFields(false))
        run(*query);
}

void ReceiptsWindow::run(const ReceiptQuery &query)
{
    if (m_searching) {
        m_searchAgain = true; // the fields are read again when this one is back
        return;
    }
    m_searching = true;
    m_backend.query(
        this, [query](Services &services) { return services.receipts().search(query); },
        [this](const Result<ReceiptList> &result) {
            m_searching = false;
            if (result) {
                const QModelIndexList rows = m_view->selectionModel()->selectedRows();
                const QString selected =
                    rows.isEmpty() ? QString()
                                   : m_model->receipts().value(rows.front().row()).receiptNo;
                m_model->setReceipts(result->receipts);
                loadPrintStates();
                for (int row = 0; !selected.isEmpty() && row < m_model->rowCount(); ++row) {
                    if (m_model->receipts().at(row).receiptNo == selected)
                        m_view->selectRow(row);
                }
                m_more->setText(result->more ? tr("Showing the latest %n receipt(s) found; "
                                                  "narrow the search to see older ones.",
                                                  nullptr, int(result->receipts.size()))
                                : result->receipts.isEmpty() ? tr("No receipts found.")
                                                             : QString());
            } else {
                m_messages->showMessage(result.message(), MessageBar::Kind::Warning);
            }
            if (std::exchange(m_searchAgain, false))
                refresh();
        });
}

void ReceiptsWindow::openSelected()
{
    const QModelIndexList rows = m_view->selectionModel()->selectedRows();
    if (rows.isEmpty() || m_opening || rows.front().row() >= m_model->receipts().size())
        return;
    if (m_cashier.id.isEmpty()) {
        m_messages->showMessage(tr("Log in first: a reprint is recorded with who made it."),
                                MessageBar::Kind::Warning);
        return;
    }
    m_opening = true;
    m_open->setEnabled(false);
    const QString receiptNo = m_model->receipts().at(rows.front().row()).receiptNo;
    m_backend.query(
        this, [receiptNo](Services &services) { return services.receipts().receipt(receiptNo); },
        [this](const Result<Receipt> &result) {
            m_opening = false;
            m_open->setEnabled(m_view->selectionModel()->hasSelection());
            if (!result) {
                m_messages->showMessage(result.message(), MessageBar::Kind::Warning);
                return;
            }
            showReceipt(*result);
        });
}

void ReceiptsWindow::showReceipt(const Receipt &receipt)
{
    if (m_dialog)
        m_dialog->close();
    auto *dialog = receipt.order ? new ReceiptDialog(*receipt.order, this)
                                 : new ReceiptDialog(*receipt.tab, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->markAsCopy(receiptCopyHtml(dialog->html()));
    const QString receiptNo = receipt.summary.receiptNo;
    // Each print or PDF is one more copy handed out: one history entry each.
    connect(dialog, &ReceiptDialog::printed, this, [this, receiptNo] { recordReprint(receiptNo); });
    m_dialog = dialog;
    dialog->open();
}

void ReceiptsWindow::refundSelected()
{
    const QModelIndexList rows = m_view->selectionModel()->selectedRows();
    if (rows.isEmpty() || m_cashier.id.isEmpty())
        return;
    if (m_refundDialog)
        m_refundDialog->close();
    auto *dialog = new RefundDialog(m_backend, m_cashier,
                                    m_model->receipts().at(rows.front().row()).receiptNo, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &RefundDialog::refunded, this, [this](const Refund &refund) {
        // What the customer gets: a cash refund rounded to the cash step (its rounding booked).
        QString message =
            tr("%1 %2 of receipt %3: %4 paid back by %5.")
                .arg(refund.kind == RefundKind::Void ? tr("Void") : tr("Refund"), refund.receiptNo,
                     refund.originalReceiptNo,
                     ShopContext::amount(-(refund.amountCents + refund.roundingCents)),
                     refund.method == PaymentMethod::Other ? refund.label
                                                           : toString(refund.method));
        if (refund.roundingCents != 0)
            message += u' ' + tr("(%1 with cash rounding %2.)")
                                  .arg(ShopContext::amount(-refund.amountCents),
                                       ShopContext::amount(-refund.roundingCents));
        m_messages->showMessage(message);
    });
    m_refundDialog = dialog;
    dialog->open();
}

QString ReceiptsWindow::selectedReceiptNo() const
{
    const QModelIndexList rows = m_view->selectionModel()->selectedRows();
    if (rows.isEmpty() || rows.front().row() >= m_model->receipts().size())
        return {};
    return m_model->receipts().at(rows.front().row()).receiptNo;
}

void ReceiptsWindow::updatePrintButtons()
{
    const bool printer = ReceiptPrinting::config().enabled();
    m_printNow->setVisible(printer);
    m_printCopy->setVisible(printer);
    const QModelIndexList rows = m_view->selectionModel()->selectedRows();
    const int row = rows.isEmpty() ? -1 : rows.front().row();
    const bool canPrint = printer && row >= 0 && !m_cashier.id.isEmpty();
    // An interrupted print is printed again as a copy (PrintStore::claimOriginal decides).
    const std::optional<PrintState> state = m_model->printState(row);
    m_printNow->setEnabled(canPrint &&
                           (state == PrintState::NotPrinted || state == PrintState::Interrupted));
    m_printCopy->setEnabled(canPrint);
}

void ReceiptsWindow::loadPrintStates()
{
    const PrinterConfig printer = ReceiptPrinting::config();
    if (!printer.enabled()) {
        m_model->setPrintStates({}, {});
        updatePrintButtons();
        return;
    }
    QStringList numbers;
    for (const ReceiptSummary &receipt : m_model->receipts())
        numbers << receipt.receiptNo;
    m_backend.query(
        this, [numbers](Services &services) { return services.prints().states(numbers); },
        [this, since = printer.configuredAt](const Result<QHash<QString, PrintState>> &states) {
            if (states)
                m_model->setPrintStates(*states, since);
            else
                m_messages->showMessage(states.message(), MessageBar::Kind::Warning);
            updatePrintButtons();
        });
}

void ReceiptsWindow::printNowSelected()
{
    const QString receiptNo = selectedReceiptNo();
    if (receiptNo.isEmpty())
        return;
    m_printNow->setEnabled(false);
    m_messages->showMessage(tr("Printing receipt %1…").arg(receiptNo));
    ReceiptPrinting::instance().printOriginal(m_backend, receiptNo, false, m_messages,
                                              m_cashier.id);
}

void ReceiptsWindow::printCopySelected()
{
    const QString receiptNo = selectedReceiptNo();
    if (receiptNo.isEmpty() || m_cashier.id.isEmpty())
        return;
    m_printCopy->setEnabled(false);
    QPointer<ReceiptsWindow> self(this);
    ReceiptPrinting::instance().printCopy(
        m_backend, receiptNo, [self, receiptNo](bool ok, const QString &message) {
            if (!self)
                return;
            self->updatePrintButtons();
            if (ok)
                self->recordReprint(receiptNo); // the copy handed out, in the order's history
            else
                self->m_messages->showMessage(
                    tr("The copy of receipt %1 was not printed: %2").arg(receiptNo, message),
                    MessageBar::Kind::Error);
        });
}

void ReceiptsWindow::recordReprint(const QString &receiptNo)
{
    const QString requestId = QUuid::createUuid().toString(QUuid::WithoutBraces);
    m_backend.act(
        this,
        [receiptNo, cashierId = m_cashier.id, requestId](Services &services) {
            return services.receipts().recordReprint(receiptNo, cashierId, requestId);
        },
        [this, receiptNo](const Result<Receipt> &result) {
            if (result)
                m_messages->showMessage(
                    tr("Reprint of receipt %1 recorded (%2).").arg(receiptNo, m_cashier.name));
            else
                m_messages->showMessage(tr("The reprint of receipt %1 was not recorded: %2")
                                            .arg(receiptNo, result.message()),
                                        MessageBar::Kind::Error);
        });
}

} // namespace SafeTill
