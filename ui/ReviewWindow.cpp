#include "ReviewWindow.h"

#include "Clock.h"
#include "MessageBar.h"
#include "ShopContext.h"
#include "TillBackend.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonArray>
#include <QLineEdit>
#include <QLocale>
#include <QPushButton>
#include <QSplitter>
#include <QTableView>
#include <QTextBrowser>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace SafeTill {

namespace {

// Enough of an id to tell orders apart on screen (the details show all of it).
QString shortId(const QString &id)
{
    return id.left(8);
}

QString formatTime(const QDateTime &time)
{
    return time.isValid() ? QLocale().toString(time.toLocalTime(), QLocale::ShortFormat)
                          : QString();
}

QString statusText(const ReviewItem &item)
{
    return item.resolved ? ReviewWindow::tr("Resolved") : ReviewWindow::tr("Open");
}

// What the difference means for the customer, in the words a manager acts on.
QString describeDifference(Cents cents)
{
    if (cents > 0)
        return ReviewWindow::tr("%1 not paid for").arg(ShopContext::money(cents));
    if (cents < 0)
        return ReviewWindow::tr("%1 paid for but not delivered").arg(ShopContext::money(-cents));
    return ReviewWindow::tr("no money difference");
}

// "2 × Latte at $3.40 = $6.80" for each {name, qty, unit_price_cents}.
QString linesHtml(const QJsonArray &lines)
{
    QString html = u"<ul>"_s;
    for (const QJsonValue &value : lines) {
        const QJsonObject line = value.toObject();
        const qint64 quantity = line.value(u"qty"_s).toInteger();
        const Cents unit = line.value(u"unit_price_cents"_s).toInteger();
        html +=
            u"<li>"_s +
            ReviewWindow::tr("%1 × %2 at %3 = %4")
                .arg(QLocale().toString(quantity), line.value(u"name"_s).toString().toHtmlEscaped(),
                     ShopContext::money(unit), ShopContext::money(quantity * unit)) +
            u"</li>"_s;
    }
    return html + u"</ul>"_s;
}

QString paymentHtml(const QJsonObject &payment)
{
    const QString method = payment.value(u"method"_s).toString() == u"card"_s
                               ? ReviewWindow::tr("by card")
                               : ReviewWindow::tr("in cash");
    QString text = ReviewWindow::tr("%1 %2, receipt %3")
                       .arg(ShopContext::money(payment.value(u"amount_cents"_s).toInteger()),
                            method, payment.value(u"receipt_no"_s).toString().toHtmlEscaped());
    const QDateTime paidAt = fromStorageTime(payment.value(u"paid_at"_s).toString());
    if (paidAt.isValid())
        text += ReviewWindow::tr(", at %1").arg(formatTime(paidAt));
    if (payment.contains(u"due_cents"_s)) {
        text += ReviewWindow::tr(", for an order that came to %1 at that till")
                    .arg(ShopContext::money(payment.value(u"due_cents"_s).toInteger()));
    }
    return u"<p>"_s + text + u".</p>"_s;
}

QString detailsHtml(const ReviewItem &item)
{
    QString html = u"<h3>%1 — %2</h3>"_s.arg(ReviewStore::describeKind(item.kind).toHtmlEscaped(),
                                             statusText(item));
    html += u"<p>%1</p>"_s.arg(item.summary.toHtmlEscaped());
    html += u"<p><b>%1</b> %2</p>"_s.arg(ReviewWindow::tr("Difference:"),
                                         describeDifference(item.amountCents));
    QStringList facts;
    if (!item.orderId.isEmpty())
        facts << ReviewWindow::tr("Order %1").arg(item.orderId.toHtmlEscaped());
    if (!item.tabId.isEmpty())
        facts << ReviewWindow::tr("tab %1").arg(item.tabId.toHtmlEscaped());
    if (!item.terminalId.isEmpty())
        facts << ReviewWindow::tr("till %1").arg(item.terminalId.toHtmlEscaped());
    facts << ReviewWindow::tr("reported %1").arg(formatTime(item.createdAt));
    html += u"<p>%1</p>"_s.arg(facts.join(u" · "_s));

    const QJsonObject payment = item.detail.value(u"payment"_s).toObject();
    if (!payment.isEmpty())
        html += u"<h4>%1</h4>"_s.arg(ReviewWindow::tr("What was paid")) + paymentHtml(payment);
    const QJsonArray unpaid = item.detail.value(u"unpaid_lines"_s).toArray();
    if (!unpaid.isEmpty())
        html += u"<h4>%1</h4>"_s.arg(ReviewWindow::tr("Not paid for")) + linesHtml(unpaid);
    const QJsonArray restored = item.detail.value(u"restored_lines"_s).toArray();
    if (!restored.isEmpty()) {
        html += u"<h4>%1</h4>"_s.arg(
                    ReviewWindow::tr("Paid for but removed elsewhere (put back on the order)")) +
                linesHtml(restored);
    }
    const QString code = item.detail.value(u"code"_s).toString();
    if (!code.isEmpty()) {
        html += u"<p><b>%1</b> %2</p>"_s.arg(ReviewWindow::tr("Server's answer:"),
                                             code.toHtmlEscaped());
    }

    if (item.resolved) {
        html += u"<h4>%1</h4>"_s.arg(ReviewWindow::tr("Resolution"));
        html += u"<p>%1</p>"_s.arg(
            ReviewWindow::tr("Resolved by %1 at %2: %3.")
                .arg(item.resolvedBy.toHtmlEscaped(), formatTime(item.resolvedAt),
                     ReviewStore::describeResolution(item.resolution).toHtmlEscaped()));
        if (!item.resolutionNote.isEmpty()) {
            html += u"<p>%1</p>"_s.arg(
                ReviewWindow::tr("Note: %1").arg(item.resolutionNote.toHtmlEscaped()));
        }
    }
    return html;
}

} // namespace

void ReviewModel::setItems(const QList<ReviewItem> &items)
{
    beginResetModel();
    m_items = items;
    endResetModel();
}

int ReviewModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_items.size());
}

int ReviewModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ReviewModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_items.size())
        return {};
    const ReviewItem &item = m_items.at(index.row());
    if (role == Qt::TextAlignmentRole) {
        return index.column() == DifferenceColumn ? QVariant(Qt::AlignRight | Qt::AlignVCenter)
                                                  : QVariant(Qt::AlignLeft | Qt::AlignVCenter);
    }
    if (role == Qt::ToolTipRole)
        return item.summary;
    if (role == Qt::FontRole && !item.resolved) {
        QFont font;
        font.setBold(true); // what still needs a decision stands out
        return font;
    }
    if (role != Qt::DisplayRole)
        return {};
    switch (index.column()) {
    case WhenColumn:
        return formatTime(item.createdAt);
    case KindColumn:
        return ReviewStore::describeKind(item.kind);
    case OrderColumn:
        return shortId(item.orderId);
    case DifferenceColumn:
        return ShopContext::money(item.amountCents);
    case StatusColumn:
        return statusText(item);
    default:
        return {};
    }
}

QVariant ReviewModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case WhenColumn:
        return tr("When");
    case KindColumn:
        return tr("What happened");
    case OrderColumn:
        return tr("Order");
    case DifferenceColumn:
        return tr("Difference");
    case StatusColumn:
        return tr("Status");
    default:
        return {};
    }
}

ReviewWindow::ReviewWindow(TillBackend &backend, QWidget *parent)
    : QWidget(parent, Qt::Window)
    , m_backend(backend)
    , m_model(new ReviewModel(this))
    , m_showResolved(new QCheckBox(tr("Show resolved"), this))
    , m_view(new QTableView(this))
    , m_details(new QTextBrowser(this))
    , m_resolution(new QComboBox(this))
    , m_note(new QLineEdit(this))
    , m_resolvedBy(new QLineEdit(this))
    , m_resolve(new QPushButton(tr("Resolve"), this))
    , m_messages(new MessageBar(this))
{
    setObjectName(u"reviewWindow"_s);
    setWindowTitle(tr("Review — SafeTill"));

    m_showResolved->setObjectName(u"showResolved"_s);
    m_showResolved->setAccessibleName(tr("Show resolved items"));
    m_view->setObjectName(u"reviewView"_s);
    m_view->setAccessibleName(tr("Review items"));
    m_view->setModel(m_model);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_view->horizontalHeader()->setSectionResizeMode(ReviewModel::KindColumn, QHeaderView::Stretch);
    m_view->verticalHeader()->hide();
    m_view->verticalHeader()->setDefaultSectionSize(40); // rows a finger can pick
    m_details->setObjectName(u"reviewDetails"_s);
    m_details->setAccessibleName(tr("Details of the selected item"));
    m_details->setOpenLinks(false);
    m_resolution->setObjectName(u"resolutionCombo"_s);
    m_resolution->setAccessibleName(tr("Resolution"));
    m_resolution->setPlaceholderText(tr("Choose what was done…"));
    m_resolution->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_note->setObjectName(u"resolutionNote"_s);
    m_note->setAccessibleName(tr("Note"));
    m_note->setPlaceholderText(tr("Optional: what was agreed with the customer"));
    m_note->setMaxLength(2000);
    m_resolvedBy->setObjectName(u"resolvedBy"_s);
    m_resolvedBy->setAccessibleName(tr("Resolved by"));
    m_resolvedBy->setPlaceholderText(tr("The manager's name (required)"));
    m_resolvedBy->setMaxLength(200);
    m_resolve->setObjectName(u"resolveButton"_s);
    m_resolve->setAccessibleName(tr("Resolve the selected item"));
    m_resolve->setMinimumHeight(56);

    auto *list = new QWidget(this);
    auto *listLayout = new QVBoxLayout(list);
    listLayout->setContentsMargins(0, 0, 0, 0);
    listLayout->addWidget(m_showResolved);
    listLayout->addWidget(m_view, 1);

    auto *decision = new QWidget(this);
    auto *decisionLayout = new QVBoxLayout(decision);
    decisionLayout->setContentsMargins(0, 0, 0, 0);
    decisionLayout->addWidget(m_details, 1);
    auto *form = new QFormLayout;
    form->addRow(tr("&Resolution:"), m_resolution);
    form->addRow(tr("&Note:"), m_note);
    form->addRow(tr("Resolved &by:"), m_resolvedBy);
    decisionLayout->addLayout(form);
    decisionLayout->addWidget(m_resolve);

    auto *splitter = new QSplitter(this);
    splitter->setObjectName(u"reviewSplitter"_s);
    splitter->addWidget(list);
    splitter->addWidget(decision);
    splitter->setStretchFactor(0, 1);
    splitter->setStretchFactor(1, 1);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_messages);
    layout->addWidget(splitter, 1);
    resize(960, 600);

    connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &ReviewWindow::showDetails);
    connect(m_showResolved, &QCheckBox::toggled, this, &ReviewWindow::reload);
    connect(m_resolution, &QComboBox::currentIndexChanged, this,
            &ReviewWindow::updateResolveButton);
    connect(m_resolvedBy, &QLineEdit::textChanged, this, &ReviewWindow::updateResolveButton);
    connect(m_resolve, &QPushButton::clicked, this, &ReviewWindow::resolveSelected);
    connect(&m_backend, &TillBackend::changed, this, &ReviewWindow::reload);
    // Amounts in the shop's currency: shown anew when it changes.
    connect(&ShopContext::instance(), &ShopContext::currencyChanged, this, &ReviewWindow::reload);
    showDetails();
    reload();
}

void ReviewWindow::suggestResolver(const QString &name)
{
    if (m_resolvedBy->text().trimmed().isEmpty())
        m_resolvedBy->setText(name);
}

void ReviewWindow::reload()
{
    if (m_reloading) {
        m_reloadAgain = true;
        return;
    }
    m_reloading = true;
    m_backend.query(
        this,
        [includeResolved = m_showResolved->isChecked()](Services &services) {
            return services.reviews().list(includeResolved);
        },
        [this](const Result<QList<ReviewItem>> &result) {
            m_reloading = false;
            if (result) {
                const std::optional<ReviewItem> selected = selectedItem();
                m_model->setItems(*result);
                for (int row = 0; selected && row < m_model->rowCount(); ++row) {
                    if (m_model->items().at(row).id == selected->id)
                        m_view->selectRow(row);
                }
                showDetails();
            } else {
                m_messages->showMessage(result.message(), MessageBar::Kind::Warning);
            }
            // A toggle of "Show resolved" during the query asks for the other list again.
            if (std::exchange(m_reloadAgain, false))
                reload();
        });
}

std::optional<ReviewItem> ReviewWindow::selectedItem() const
{
    const QModelIndexList rows = m_view->selectionModel()->selectedRows();
    if (rows.isEmpty() || rows.front().row() >= m_model->items().size())
        return std::nullopt;
    return m_model->items().at(rows.front().row());
}

void ReviewWindow::showDetails()
{
    const std::optional<ReviewItem> item = selectedItem();
    fillResolutions(item);
    if (!item) {
        m_details->setPlainText(m_model->items().isEmpty()
                                    ? tr("Nothing to review.")
                                    : tr("Select an item to see what was paid and what changed."));
    } else {
        m_details->setHtml(detailsHtml(*item));
    }
    updateResolveButton();
}

// The decisions that fit the selected item; kept as they are while the same item stays selected
// (a refresh must not undo the manager's choice).
void ReviewWindow::fillResolutions(const std::optional<ReviewItem> &item)
{
    const bool open = item && !item->resolved;
    const QString id = open ? item->id : QString();
    m_resolution->setEnabled(open);
    m_note->setEnabled(open);
    m_resolvedBy->setEnabled(open);
    if (id == m_formItemId)
        return;
    m_formItemId = id;
    m_note->clear();
    const QSignalBlocker blocker(m_resolution);
    m_resolution->clear();
    if (!open)
        return;
    const QStringList resolutions = ReviewStore::resolutionsFor(item->kind);
    for (const QString &resolution : resolutions)
        m_resolution->addItem(ReviewStore::describeResolution(resolution), resolution);
    // One possible decision needs no choosing; several need a deliberate one.
    m_resolution->setCurrentIndex(resolutions.size() == 1 ? 0 : -1);
}

void ReviewWindow::updateResolveButton()
{
    const std::optional<ReviewItem> item = selectedItem();
    m_resolve->setEnabled(!m_busy && item && !item->resolved && m_resolution->currentIndex() >= 0 &&
                          !m_resolvedBy->text().trimmed().isEmpty());
}

void ReviewWindow::resolveSelected()
{
    const std::optional<ReviewItem> item = selectedItem();
    if (!item || m_busy || m_resolution->currentIndex() < 0)
        return;
    resolve(item->id, m_resolution->currentData().toString(), m_note->text().trimmed(),
            m_resolvedBy->text().trimmed());
}

void ReviewWindow::resolve(const QString &id, const QString &resolution, const QString &note,
                           const QString &resolvedBy)
{
    m_busy = true; // no second submission until this one's answer is here
    updateResolveButton();
    m_messages->clearMessage();
    m_backend.act(
        this,
        [id, resolution, note, resolvedBy](Services &services) {
            return services.reviews().resolve(id, resolution, note, resolvedBy);
        },
        [this, id, resolution, note, resolvedBy](const Result<ReviewItem> &result) {
            m_busy = false;
            if (result) {
                m_messages->showMessage(tr("Resolved: %1 — %2.")
                                            .arg(ReviewStore::describeKind(result->kind),
                                                 ReviewStore::describeResolution(resolution)));
                m_note->clear();
            } else if (result.outcome() == Outcome::Busy) {
                m_messages->showMessage(result.message(), MessageBar::Kind::Warning,
                                        [this, id, resolution, note, resolvedBy] {
                                            resolve(id, resolution, note, resolvedBy);
                                        });
            } else {
                m_messages->showMessage(result.message(), MessageBar::Kind::Warning);
            }
            updateResolveButton();
            reload();
        });
}

} // namespace SafeTill
