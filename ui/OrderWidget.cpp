#include "OrderWidget.h"

#include "ApprovalDialog.h"
#include "DiscountDialog.h"
#include "MessageBar.h"
#include "OpenPriceDialog.h"
#include "OrderLinesModel.h"
#include "PaymentDialog.h"
#include "ReceiptDialog.h"
#include "ReceiptPrinting.h"
#include "ShopContext.h"
#include "TabPickerDialog.h"
#include "Tax.h"
#include "TillBackend.h"

#include <QAbstractSpinBox>
#include <QApplication>
#include <QComboBox>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMap>
#include <QPlainTextEdit>
#include <QPointer>
#include <QPushButton>
#include <QScrollArea>
#include <QSet>
#include <QShortcut>
#include <QSplitter>
#include <QTabWidget>
#include <QTableView>
#include <QTextEdit>
#include <QTimer>
#include <QToolButton>
#include <QUuid>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace SafeTill {

namespace {

QString newRequestId()
{
    return QUuid::createUuid().toString(QUuid::WithoutBraces);
}

QPushButton *actionButton(const QString &text, const QString &name, const QKeySequence &shortcut,
                          QWidget *parent)
{
    auto *button = new QPushButton(text, parent);
    button->setObjectName(name);
    button->setMinimumHeight(64);
    button->setShortcut(shortcut);
    button->setToolTip(u"%1 (%2)"_s.arg(text, shortcut.toString(QKeySequence::NativeText)));
    QFont font = button->font();
    font.setPointSizeF(font.pointSizeF() * 1.3);
    font.setBold(true);
    button->setFont(font);
    return button;
}

// A widget that takes typed text itself: the wedge leaves its keys alone.
bool takesText(const QWidget *widget)
{
    if (const auto *line = qobject_cast<const QLineEdit *>(widget))
        return !line->isReadOnly();
    if (const auto *text = qobject_cast<const QTextEdit *>(widget))
        return !text->isReadOnly();
    if (const auto *plain = qobject_cast<const QPlainTextEdit *>(widget))
        return !plain->isReadOnly();
    if (const auto *combo = qobject_cast<const QComboBox *>(widget))
        return combo->isEditable();
    return qobject_cast<const QAbstractSpinBox *>(widget) != nullptr;
}

// How long the SKU field flashes after an unknown code.
constexpr int flashMs = 900;
// Keys closer together than this are a scanner's burst (a person types 100+ ms apart): the
// suggestions wait for its end instead of being rebuilt for every key.
constexpr int burstGapMs = 25;
constexpr int suggestionRows = 8;

} // namespace

OrderWidget::OrderWidget(TillBackend &backend, const Cashier &cashier, QWidget *parent)
    : QWidget(parent)
    , m_backend(backend)
    , m_cashier(cashier)
    , m_messages(new MessageBar(this))
    , m_catalog(new QTabWidget(this))
    , m_search(new QLineEdit(this))
    , m_linesView(new QTableView(this))
    , m_lines(new OrderLinesModel(this))
    , m_total(new QLabel(this))
    , m_taxes(new QLabel(this))
    , m_summary(new QLabel(this))
    , m_balance(new QLabel(this))
    , m_orderInfo(new QLabel(this))
    , m_plus(new QPushButton(u"+"_s, this))
    , m_minus(new QPushButton(u"\u2212"_s, this))
    , m_remove(new QPushButton(tr("Remove"), this))
    , m_discount(new QPushButton(tr("Discount\u2026"), this))
    , m_price(new QPushButton(tr("Price\u2026"), this))
    , m_pay(actionButton(tr("Pay"), u"payButton"_s, QKeySequence(Qt::Key_F12), this))
    , m_tab(actionButton(tr("Put on tab"), u"tabButton"_s, QKeySequence(Qt::Key_F9), this))
    , m_logout(
          actionButton(tr("Log out"), u"logoutButton"_s, QKeySequence(Qt::CTRL | Qt::Key_L), this))
{
    setObjectName(u"orderWidget"_s);
    m_catalog->setObjectName(u"catalogTabs"_s);
    m_search->setObjectName(u"skuEdit"_s);
    m_search->setPlaceholderText(tr("Scan or type a SKU or product name, then Enter"));
    m_search->setMaxLength(64);
    m_search->setClearButtonEnabled(true);
    m_search->setAccessibleName(tr("SKU, barcode or product name"));
    // Its clear button (a tool button of the line edit's own).
    for (QToolButton *clear : m_search->findChildren<QToolButton *>())
        clear->setAccessibleName(tr("Clear the SKU field"));
    m_catalog->setAccessibleName(tr("Product categories"));
    m_suggestions = new QListWidget(this);
    m_suggestions->setObjectName(u"searchResults"_s);
    m_suggestions->setAccessibleName(tr("Matching products"));
    m_suggestions->setUniformItemSizes(true);
    m_suggestions->setFrameShape(QFrame::Box);
    m_suggestions->hide();
    m_suggestLater = new QTimer(this);
    m_suggestLater->setSingleShot(true);
    m_suggestLater->setInterval(burstGapMs);
    connect(m_suggestLater, &QTimer::timeout, this, &OrderWidget::updateSuggestions);
    connect(m_search, &QLineEdit::textEdited, this, [this] {
        const bool burst = m_lastKey.isValid() && m_lastKey.elapsed() < burstGapMs;
        m_lastKey.start();
        if (burst) {
            m_suggestLater->start();
        } else {
            m_suggestLater->stop();
            updateSuggestions();
        }
    });
    connect(m_suggestions, &QListWidget::itemClicked, this, &OrderWidget::chooseSuggestion);
    m_flash = new QTimer(this);
    m_flash->setSingleShot(true);
    m_flash->setInterval(flashMs);
    connect(m_flash, &QTimer::timeout, this, [this] {
        m_search->setPalette(QPalette());
        m_search->setAutoFillBackground(false);
    });
    m_linesView->setObjectName(u"linesView"_s);
    m_linesView->setAccessibleName(tr("Order lines"));
    m_linesView->horizontalHeader()->setAccessibleName(tr("Order line columns"));
    m_linesView->setModel(m_lines);
    m_linesView->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_linesView->setSelectionMode(QAbstractItemView::SingleSelection);
    m_linesView->verticalHeader()->hide();
    m_linesView->verticalHeader()->setDefaultSectionSize(40);
    // The item name takes the room; numbers take what they need, so the line total is never
    // cut off behind a horizontal scroll bar at 1024x768.
    m_linesView->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_linesView->horizontalHeader()->setMinimumSectionSize(
        m_linesView->fontMetrics().horizontalAdvance(ShopContext::money(9999)) + 24); // some air
    m_linesView->horizontalHeader()->setSectionResizeMode(OrderLinesModel::ItemColumn,
                                                          QHeaderView::Stretch);
    m_linesView->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_linesView->setWordWrap(false);
    m_linesView->setTextElideMode(Qt::ElideRight);
    m_total->setObjectName(u"totalLabel"_s);
    QFont totalFont = m_total->font();
    totalFont.setPointSizeF(totalFont.pointSizeF() * 2);
    totalFont.setBold(true);
    m_total->setFont(totalFont);
    m_total->setAlignment(Qt::AlignRight | Qt::AlignVCenter);
    // The taxes are a footnote to the total: the palette's quieter text colour, right-aligned.
    m_taxes->setObjectName(u"taxSummary"_s);
    m_taxes->setAlignment(Qt::AlignRight | Qt::AlignTop);
    m_taxes->setForegroundRole(QPalette::PlaceholderText);
    m_taxes->setTextFormat(Qt::PlainText);
    m_taxes->hide();
    m_summary->setObjectName(u"orderSummary"_s);
    m_summary->setAlignment(Qt::AlignRight | Qt::AlignTop);
    m_summary->setTextFormat(Qt::PlainText);
    m_summary->hide();
    // Money taken and the order still open: the balance due must be impossible to miss.
    m_balance->setObjectName(u"balanceLabel"_s);
    m_balance->setAlignment(Qt::AlignRight | Qt::AlignVCenter);
    m_balance->setTextFormat(Qt::PlainText);
    QFont balanceFont = m_balance->font();
    balanceFont.setPointSizeF(balanceFont.pointSizeF() * 1.5);
    balanceFont.setBold(true);
    m_balance->setFont(balanceFont);
    // An amber that keeps its contrast on the palette's window colour, light or dark.
    m_balance->setStyleSheet(u"color: %1;"_s.arg(
        readableOn(palette().color(QPalette::Window), QColor(0xb3, 0x5c, 0x00)).name()));
    m_balance->hide();
    m_orderInfo->setObjectName(u"orderInfo"_s);
    m_plus->setObjectName(u"increaseButton"_s);
    m_plus->setAccessibleName(tr("Increase quantity"));
    m_plus->setToolTip(tr("One more of the selected line (+)"));
    m_minus->setObjectName(u"decreaseButton"_s);
    m_minus->setAccessibleName(tr("Decrease quantity"));
    m_minus->setToolTip(tr("One less of the selected line (\u2212)"));
    m_remove->setObjectName(u"removeButton"_s);
    m_remove->setAccessibleName(tr("Remove the selected line"));
    m_discount->setObjectName(u"discountButton"_s);
    m_discount->setToolTip(tr("A discount on the selected line, or on the whole order"));
    m_price->setObjectName(u"priceButton"_s);
    m_price->setToolTip(tr("Change the price of the selected line"));
    for (QPushButton *button : {m_plus, m_minus, m_remove, m_discount, m_price})
        button->setMinimumSize(64, 48);
    m_plus->setShortcut(QKeySequence(Qt::Key_Plus));
    m_minus->setShortcut(QKeySequence(Qt::Key_Minus));
    m_remove->setShortcut(QKeySequence(QKeySequence::Delete));

    m_totalCaption = new QLabel(this);
    m_totalCaption->setObjectName(u"totalCaption"_s);
    m_totalCaption->setAlignment(Qt::AlignRight | Qt::AlignVCenter);
    showTotalCaption();

    auto *leftPane = new QWidget(this);
    leftPane->setObjectName(u"catalogPane"_s);
    auto *left = new QVBoxLayout(leftPane);
    left->setContentsMargins(0, 0, 0, 0);
    left->addWidget(m_search);
    left->addWidget(m_catalog, 1);
    // The suggestions drop down over the catalog (not in the layout: showing them moves no
    // button, so a key costs the search and a small paint, not a relayout of the catalog).
    m_suggestions->setParent(leftPane);
    auto *lineButtons = new QHBoxLayout;
    lineButtons->addWidget(m_minus);
    lineButtons->addWidget(m_plus);
    lineButtons->addWidget(m_remove);
    lineButtons->addWidget(m_discount);
    lineButtons->addWidget(m_price);
    lineButtons->addStretch();
    lineButtons->addWidget(m_totalCaption);
    lineButtons->addWidget(m_total);
    auto *actions = new QHBoxLayout;
    actions->addWidget(m_logout);
    actions->addWidget(m_tab);
    actions->addWidget(m_pay, 2);
    m_right = new QWidget(this);
    m_right->setObjectName(u"orderPane"_s);
    m_rightLayout = new QVBoxLayout(m_right);
    m_rightLayout->setContentsMargins(0, 0, 0, 0);
    m_rightLayout->addWidget(m_orderInfo);
    m_rightLayout->addWidget(m_linesView, 1);
    m_rightLayout->addWidget(m_summary);
    m_rightLayout->addLayout(lineButtons);
    m_rightLayout->addWidget(m_taxes);
    m_rightLayout->addWidget(m_balance);
    m_rightLayout->addLayout(actions);
    // The catalog and the order side by side; the cashier may move the border (remembered by
    // MainWindow with the window's geometry).
    m_splitter = new QSplitter(Qt::Horizontal, this);
    m_splitter->setObjectName(u"orderSplitter"_s);
    m_splitter->setChildrenCollapsible(false);
    m_splitter->addWidget(leftPane);
    m_splitter->addWidget(m_right);
    m_splitter->setStretchFactor(0, 3);
    m_splitter->setStretchFactor(1, 2);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_messages);
    layout->addWidget(m_splitter, 1);

    // Pay from the keyboard: F12 (the button's shortcut) or Ctrl+Return.
    for (const QKeySequence &keys :
         {QKeySequence(Qt::CTRL | Qt::Key_Return), QKeySequence(Qt::CTRL | Qt::Key_Enter)}) {
        auto *payKey = new QShortcut(keys, this);
        connect(payKey, &QShortcut::activated, this, &OrderWidget::pay);
    }
    // The barcode wedge: keys typed anywhere on this window (see eventFilter()).
    qApp->installEventFilter(this);

    connect(m_search, &QLineEdit::returnPressed, this, &OrderWidget::submitSearch);
    connect(m_plus, &QPushButton::clicked, this, [this] { changeSelectedQuantity(+1); });
    connect(m_minus, &QPushButton::clicked, this, [this] { changeSelectedQuantity(-1); });
    connect(m_remove, &QPushButton::clicked, this, &OrderWidget::removeSelected);
    connect(m_discount, &QPushButton::clicked, this, &OrderWidget::discount);
    connect(m_price, &QPushButton::clicked, this, &OrderWidget::overridePrice);
    connect(m_pay, &QPushButton::clicked, this, &OrderWidget::pay);
    connect(m_tab, &QPushButton::clicked, this, &OrderWidget::putOnTab);
    connect(m_logout, &QPushButton::clicked, this, &OrderWidget::logOut);
    connect(&m_backend, &TillBackend::changed, this, &OrderWidget::reload);
    connect(&ShopContext::instance(), &ShopContext::currencyChanged, this,
            &OrderWidget::shopChanged);

    m_backend.query(
        this, [](Services &services) { return services.catalog().tillCatalog(); },
        [this](const Result<TillCatalog> &result) {
            if (result) {
                m_openPriceSkus = result->openPriceSkus;
                buildCatalog(result->products);
            } else {
                m_messages->showMessage(result.message(), MessageBar::Kind::Error);
            }
        });
    openOrder();
}

void OrderWidget::buildCatalog(const QList<Product> &products)
{
    m_products = products;
    m_productButtons.clear();
    while (m_catalog->count() > 0) {
        QWidget *page = m_catalog->widget(0);
        m_catalog->removeTab(0);
        delete page;
    }
    m_index.reset(products);
    // Buttons for the first products of each category; on a big catalog (a supermarket's tens of
    // thousands) the others are scanned or searched, not laid out as thousands of buttons.
    QMap<QString, QList<qsizetype>> byCategory;
    QMap<QString, qsizetype> hidden;
    for (qsizetype p = 0; p < products.size(); ++p) {
        const QString &category = products.at(p).category;
        const QString tab = category.isEmpty() ? tr("Other") : category;
        QList<qsizetype> &shown = byCategory[tab];
        if (shown.size() < maxButtonsPerCategory)
            shown << p;
        else
            ++hidden[tab];
    }
    constexpr int columns = 3;
    for (auto it = byCategory.constBegin(); it != byCategory.constEnd(); ++it) {
        auto *scroll = new QScrollArea(m_catalog);
        scroll->setWidgetResizable(true);
        auto *page = new QWidget(scroll);
        auto *grid = new QGridLayout(page);
        for (qsizetype i = 0; i < it->size(); ++i) {
            const Product &product = products.at(it->at(i));
            auto *button = new QPushButton(
                u"%1\n%2"_s.arg(product.name, ShopContext::money(product.priceCents)), page);
            button->setObjectName(u"product-%1"_s.arg(product.sku));
            button->setMinimumSize(120, 72);
            button->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);
            button->setEnabled(!m_inFlight);
            connect(button, &QPushButton::clicked, this,
                    [this, sku = product.sku] { addSku(sku); });
            grid->addWidget(button, int(i) / columns, int(i) % columns);
            m_productButtons << button;
        }
        if (const qsizetype more = hidden.value(it.key())) {
            auto *note =
                new QLabel(tr("%n more product(s) in this category: scan or type to find them.",
                              nullptr, int(more)),
                           page);
            note->setObjectName(u"moreProducts"_s);
            note->setWordWrap(true);
            grid->addWidget(note, grid->rowCount(), 0, 1, columns);
        }
        grid->setRowStretch(grid->rowCount(), 1);
        scroll->setWidget(page);
        m_catalog->addTab(scroll, it.key());
    }
}

void OrderWidget::updateSuggestions()
{
    m_suggestLater->stop();
    m_suggestions->clear();
    const QString text = m_search->text().trimmed();
    const ProductSearch::Matches matches = m_index.search(text, suggestionRows);
    for (const qsizetype p : matches.found) {
        const Product &product = m_index.products().at(p);
        auto *item = new QListWidgetItem(u"%1 \u00b7 %2 \u00b7 %3"_s.arg(
            product.name, product.sku, ShopContext::money(product.priceCents)));
        item->setData(Qt::UserRole, product.sku);
        m_suggestions->addItem(item);
    }
    if (matches.more)
        m_suggestions->addItem(tr("More products match: type more of the name or the SKU."));
    if (m_suggestions->count() == 0) {
        m_suggestions->hide();
        return;
    }
    const int rowHeight = qMax(m_suggestions->sizeHintForRow(0), 1);
    const int frame = 2 * m_suggestions->frameWidth();
    m_suggestions->setGeometry(m_search->x(), m_search->geometry().bottom() + 2, m_search->width(),
                               rowHeight * int(m_suggestions->count()) + frame);
    m_suggestions->raise();
    m_suggestions->show();
}

void OrderWidget::chooseSuggestion()
{
    QListWidgetItem *item = m_suggestions->currentItem();
    const QString sku = item ? item->data(Qt::UserRole).toString() : QString();
    if (sku.isEmpty())
        return;
    m_search->clear();
    updateSuggestions();
    m_search->setFocus();
    m_scanned << sku;
    addNextScanned();
}

void OrderWidget::openOrder()
{
    m_order.reset();
    m_lines->setLines({});
    m_total->setText(ShopContext::money(0));
    showTaxes({});
    m_summary->hide();
    m_balance->hide();
    const QString cashierId = m_cashier.id;
    runAction(
        [cashierId](Services &services, const QString &requestId) {
            return services.orders().openOrResume(cashierId, requestId);
        },
        [this](const Order &order) { showOrder(order); });
}

bool OrderWidget::runAction(const OrderJob &job, const OrderDone &onOk)
{
    if (m_inFlight)
        return false; // a second click, key repeat or shortcut while the first is running
    setInFlight(true);
    submit(job, onOk, newRequestId());
    return true;
}

void OrderWidget::submit(const OrderJob &job, const OrderDone &onOk, const QString &requestId,
                         const OrderRefused &onRefused)
{
    m_backend.act(
        this, [job, requestId](Services &services) { return job(services, requestId); },
        [this, job, onOk, requestId, onRefused](const Result<Order> &result) {
            setInFlight(false);
            if (result) {
                onOk(*result);
            } else if (result.outcome() == Outcome::Busy) {
                m_messages->showMessage(result.message(), MessageBar::Kind::Warning,
                                        [this, job, onOk, requestId, onRefused] {
                                            if (m_inFlight)
                                                return;
                                            setInFlight(true);
                                            // the same intent
                                            submit(job, onOk, requestId, onRefused);
                                        });
                if (onRefused)
                    onRefused(result);
            } else if (onRefused) {
                onRefused(result);
                dropScanned();
            } else {
                handleRefusal(result);
                dropScanned();
            }
            if (std::exchange(m_reloadAgain, false))
                reload();
            addNextScanned();
        });
}

bool OrderWidget::runApproved(const ApprovedJob &job, const OrderDone &onOk)
{
    if (m_inFlight)
        return false;
    setInFlight(true);
    const QString requestId = newRequestId();
    submit([job](Services &services, const QString &id) { return job(services, id, std::nullopt); },
           onOk, requestId,
           [this, job, onOk, requestId](const Result<Order> &refused) {
               if (refused.outcome() == Outcome::Busy)
                   return; // submit() offers Retry
               if (refused.outcome() == Outcome::Forbidden)
                   askApproval(refused.message(), job, onOk, requestId);
               else
                   handleRefusal(refused);
           });
    return true;
}

void OrderWidget::askApproval(const QString &why, const ApprovedJob &job, const OrderDone &onOk,
                              const QString &requestId)
{
    auto *dialog = new ApprovalDialog(m_backend, why, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    const QPointer<ApprovalDialog> open(dialog);
    connect(dialog, &ApprovalDialog::approved, this,
            [this, open, job, onOk, requestId](const Approver &approver) {
                if (m_inFlight) {
                    if (open)
                        open->refused(tr("Another action is still running; try again."));
                    return;
                }
                setInFlight(true);
                submit([job, approver](Services &services,
                                       const QString &id) { return job(services, id, approver); },
                       [open, onOk](const Order &order) {
                           if (open)
                               open->accept();
                           onOk(order);
                       },
                       requestId,
                       [this, open](const Result<Order> &again) {
                           if (again.outcome() == Outcome::Busy) {
                               if (open)
                                   open->refused(again.message());
                               return;
                           }
                           if (again.outcome() == Outcome::Forbidden && open) {
                               open->refused(again.message());
                               return;
                           }
                           if (open)
                               open->reject();
                           handleRefusal(again);
                       });
            });
    dialog->open();
}

void OrderWidget::setInFlight(bool inFlight)
{
    m_inFlight = inFlight;
    const bool hasOrder = m_order && m_order->status == OrderStatus::Active;
    const bool enabled = !inFlight && hasOrder;
    const bool hasLines = enabled && !m_order->lines.isEmpty();
    // Once money was taken the items, discounts and tab are locked (the model refuses them too):
    // what is left is paying the balance.
    const bool editable = enabled && m_order->paidCents() == 0;
    for (QPushButton *button : std::as_const(m_productButtons))
        button->setEnabled(editable);
    // The SKU field stays editable: a scanner types the next code without waiting for the
    // previous one, and read-only would silently swallow it. Entered codes queue instead.
    for (QPushButton *button : {m_plus, m_minus, m_remove, m_discount, m_price, m_tab})
        button->setEnabled(hasLines && editable);
    m_pay->setEnabled(hasLines);
    m_logout->setEnabled(!inFlight);
}

void OrderWidget::showOrder(const Order &order)
{
    if (order.status != OrderStatus::Active) {
        orderLeftThisScreen(order, /*refusedHere=*/false);
        return;
    }
    const int selectedLine = selectedLineNo();
    m_order = order;
    m_lines->setLines(order.lines);
    if (const int row = m_lines->rowOfLine(selectedLine); row >= 0)
        m_linesView->selectRow(row);
    m_total->setText(ShopContext::money(order.totalCents()));
    showTaxes(order.lines, order.discount);
    showSummary(order);
    m_orderInfo->setText(
        tr("Order %1 · %n item(s)", nullptr, order.itemCount()).arg(order.id.left(8)));
    setInFlight(m_inFlight);
    Q_EMIT statusChanged(
        tr("%1 · order %2 · version %3").arg(m_cashier.name, order.id.left(8)).arg(order.version));
}

void OrderWidget::showTaxes(const QList<OrderLine> &lines, const Discount &orderDiscount)
{
    // One table per pricing mode, so that each row says whether its tax is in the prices
    // ("incl.") or added to them ("+"). The order discount is shared among rate and mode first,
    // exactly as the model does (model/Tax.h), so each mode's rows are the model's.
    QMap<std::tuple<QString, int, bool>, Cents> merged;
    Cents subtotal = 0;
    for (const OrderLine &line : lines) {
        merged[{line.taxCode, line.taxRateBp, line.priceIncludesTax}] += line.totalCents();
        subtotal += line.totalCents();
    }
    QList<TaxGroup> groups;
    for (auto it = merged.cbegin(); it != merged.cend(); ++it) {
        const auto &[code, rateBp, included] = it.key();
        groups.append({code, rateBp, included, it.value()});
    }
    groups = afterDiscount(groups, orderDiscount.of(subtotal));
    const QLocale locale;
    QStringList rows;
    for (const bool inPrices : {true, false}) {
        QList<TaxGroup> ofMode;
        for (const TaxGroup &group : std::as_const(groups)) {
            if (group.priceIncludesTax == inPrices)
                ofMode.append(group);
        }
        for (const TaxLine &row : taxTable(ofMode).rows) {
            const QString rate =
                locale.toString(double(row.rateBp) / 100, 'f', QLocale::FloatingPointShortest) +
                locale.percent();
            const QString money = ShopContext::money(row.taxCents);
            rows << (inPrices ? tr("incl. %1 %2: %3") : tr("+ %1 %2: %3"))
                        .arg(row.code, rate, money);
        }
    }
    m_taxes->setText(rows.join(u'\n'));
    m_taxes->setVisible(!rows.isEmpty());
}

void OrderWidget::showSummary(const Order &order)
{
    if (order.discount.isNone()) {
        m_summary->hide();
    } else {
        const TaxTable table = taxTable(order.lines, order.discount);
        m_summary->setText(tr("Subtotal: %1").arg(ShopContext::money(table.subtotalCents)) + u'\n' +
                           tr("Order discount %1: \u2212%2")
                               .arg(OrderLinesModel::discountText(order.discount),
                                    ShopContext::money(table.orderDiscountCents)));
        m_summary->show();
    }
    const Cents paid = order.paidCents();
    if (paid == 0) {
        m_balance->hide();
        return;
    }
    m_balance->setText(
        tr("Paid so far: %1 \u00b7 Balance due: %2")
            .arg(ShopContext::money(paid), ShopContext::money(order.balanceCents())));
    m_balance->show();
}

void OrderWidget::showTotalCaption()
{
    m_totalCaption->setText(tr("Total (%1)").arg(ShopContext::currency().code));
    m_total->setAccessibleName(tr("Total in %1").arg(ShopContext::currency().code));
}

void OrderWidget::shopChanged()
{
    showTotalCaption();
    if (!m_products.isEmpty()) {
        const int tab = m_catalog->currentIndex();
        buildCatalog(m_products); // the prices on the buttons
        m_catalog->setCurrentIndex(tab);
    }
    m_linesView->horizontalHeader()->setMinimumSectionSize(
        m_linesView->fontMetrics().horizontalAdvance(ShopContext::money(9999)) + 24);
    if (m_order)
        showOrder(*m_order);
    else
        m_total->setText(ShopContext::money(0));
}

void OrderWidget::handleRefusal(const Result<Order> &result)
{
    const MessageBar::Kind kind =
        result.outcome() == Outcome::Error ? MessageBar::Kind::Error : MessageBar::Kind::Warning;
    m_messages->showMessage(result.message(), kind);
    if (result.value() && m_order && result.value()->id == m_order->id) {
        // The order changed elsewhere (conflict, paid, on a tab): show it as it is now.
        if (result.value()->status == OrderStatus::Active)
            showOrder(*result.value());
        else
            orderLeftThisScreen(*result.value(), /*refusedHere=*/true);
    } else {
        reload();
    }
}

void OrderWidget::orderLeftThisScreen(const Order &order, bool refusedHere)
{
    QString what;
    switch (order.status) {
    case OrderStatus::Completed:
        what = order.receiptNo.isEmpty()
                   ? tr("Order %1 was paid in another window or on another till.")
                         .arg(order.id.left(8))
                   : tr("Order %1 was paid in another window or on another till (receipt %2).")
                         .arg(order.id.left(8), order.receiptNo);
        break;
    case OrderStatus::Assigned:
        what = tr("Order %1 was put on the tab %2 in another window.")
                   .arg(order.id.left(8), order.tabName);
        break;
    case OrderStatus::PendingLogout:
        what = tr("%1 logged out in another window; the order is kept.").arg(m_cashier.name);
        break;
    case OrderStatus::Active:
        break;
    }
    // After a refused Pay the cashier must not believe this window took the money.
    if (refusedHere)
        what = tr("Not done here: %1").arg(what);
    m_messages->showMessage(what, MessageBar::Kind::Warning);
    m_order.reset();
    if (order.status == OrderStatus::PendingLogout) {
        Q_EMIT loggedOut();
        return;
    }
    openOrder();
}

void OrderWidget::reload()
{
    if (!m_order)
        return;
    if (m_inFlight || m_reloading) {
        m_reloadAgain = true; // after the running action or reload
        return;
    }
    m_reloading = true;
    const QString orderId = m_order->id;
    m_backend.query(
        this, [orderId](Services &services) { return services.orders().order(orderId); },
        [this, orderId](const Result<Order> &result) {
            m_reloading = false;
            // Only if this screen still shows that order and nothing started meanwhile.
            if (result && m_order && m_order->id == orderId && !m_inFlight &&
                result->version != m_order->version)
                showOrder(*result);
            if (!m_inFlight && std::exchange(m_reloadAgain, false))
                reload();
        });
}

void OrderWidget::addSku(const QString &sku)
{
    dismissReceipt(); // the next sale has begun
    if (!m_order)
        return;
    if (m_openPriceSkus.contains(sku)) {
        askPrice(sku);
        return;
    }
    const QString orderId = m_order->id;
    runAction(
        [orderId, sku](Services &services, const QString &requestId) {
            return services.orders().addProduct(OrderTarget::byId(orderId), sku, 1, requestId);
        },
        [this](const Order &order) { showOrder(order); });
}

void OrderWidget::askPrice(const QString &sku)
{
    if (m_askPrice)
        return; // one price at a time; the queue waits (addNextScanned)
    const std::optional<qsizetype> at = m_index.bySku(sku);
    if (!at)
        return;
    auto *dialog = new OpenPriceDialog(m_index.products().at(*at), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    m_askPrice = dialog;
    connect(dialog, &OpenPriceDialog::chosen, this, [this, sku](Cents price) {
        if (!m_order)
            return;
        const QString orderId = m_order->id;
        runAction(
            [orderId, sku, price](Services &services, const QString &requestId) {
                return services.orders().addProduct(OrderTarget::byId(orderId), sku, 1, requestId,
                                                    price);
            },
            [this](const Order &order) { showOrder(order); });
    });
    connect(dialog, &QDialog::rejected, this, [this] {
        m_messages->showMessage(tr("Nothing was added: no price was entered."),
                                MessageBar::Kind::Info);
        m_search->setFocus(Qt::OtherFocusReason);
        // The next scanned code, if any, once this dialog is gone.
        QTimer::singleShot(0, this, &OrderWidget::addNextScanned);
    });
    dialog->open();
}

void OrderWidget::submitSearch()
{
    const QString text = m_search->text().trimmed();
    if (text.isEmpty())
        return;
    dismissReceipt();
    // A scanner types the exact SKU (found in the index); a person may type part of a name.
    m_suggestLater->stop();
    QList<Product> matches;
    if (const std::optional<qsizetype> exact = m_index.bySku(text)) {
        matches = {m_products.at(*exact)};
    } else {
        for (const Product &product : std::as_const(m_products)) {
            if (product.name.contains(text, Qt::CaseInsensitive))
                matches << product;
        }
    }
    if (matches.size() == 1) {
        m_search->clear();
        updateSuggestions();
        // One add per Enter, in the order scanned, each with its own request id, one at a time.
        m_scanned << matches.front().sku;
        addNextScanned();
    } else if (matches.isEmpty()) {
        // Said clearly and seen at once; the code stays selected, so the next scan replaces it.
        m_messages->showMessage(
            tr("Unknown code \u201c%1\u201d: no product has this SKU, and no product name "
               "contains it.")
                .arg(text),
            MessageBar::Kind::Warning);
        m_search->selectAll();
        flashSearch();
    } else {
        QStringList names;
        for (const Product &product : std::as_const(matches).mid(0, 5))
            names << u"%1 (%2)"_s.arg(product.name, product.sku);
        m_messages->showMessage(tr("%n products match: %1. Type more of the name or the SKU.",
                                   nullptr, int(matches.size()))
                                    .arg(names.join(u", "_s)),
                                MessageBar::Kind::Info);
    }
}

void OrderWidget::addNextScanned()
{
    if (m_scanned.isEmpty() || m_inFlight || m_askPrice || !m_order ||
        m_order->status != OrderStatus::Active)
        return;
    addSku(m_scanned.takeFirst());
}

void OrderWidget::dropScanned()
{
    // After a refusal (the order was paid or changed elsewhere) the queued codes were meant for
    // the order that is gone: never add them to another one behind the cashier's back.
    if (m_scanned.isEmpty())
        return;
    const int dropped = int(m_scanned.size());
    m_scanned.clear();
    m_messages->showMessage(
        m_messages->text() + u' ' +
            tr("%n scanned item(s) were not added; scan them again.", nullptr, dropped),
        MessageBar::Kind::Warning);
}

int OrderWidget::selectedLineNo() const
{
    const QModelIndexList rows = m_linesView->selectionModel()->selectedRows();
    return rows.isEmpty() ? 0 : m_lines->lineNoAt(rows.front().row());
}

void OrderWidget::changeSelectedQuantity(int delta)
{
    const int lineNo = selectedLineNo();
    if (!m_order || lineNo == 0) {
        m_messages->showMessage(tr("Select a line first."), MessageBar::Kind::Info);
        return;
    }
    const int row = m_lines->rowOfLine(lineNo);
    if (delta < 0 && row >= 0 && m_lines->lines().at(row).quantity <= 1) {
        removeSelected();
        return;
    }
    const QString orderId = m_order->id;
    runAction(
        [orderId, lineNo, delta](Services &services, const QString &requestId) {
            return services.orders().adjustQuantity(OrderTarget::byId(orderId), lineNo, delta,
                                                    requestId);
        },
        [this](const Order &order) { showOrder(order); });
}

void OrderWidget::removeSelected()
{
    const int lineNo = selectedLineNo();
    if (!m_order || lineNo == 0) {
        m_messages->showMessage(tr("Select a line first."), MessageBar::Kind::Info);
        return;
    }
    const QString orderId = m_order->id;
    runAction(
        [orderId, lineNo](Services &services, const QString &requestId) {
            return services.orders().removeLine(OrderTarget::byId(orderId), lineNo, requestId);
        },
        [this](const Order &order) { showOrder(order); });
}

void OrderWidget::pay()
{
    if (m_inFlight || !m_order || m_order->lines.isEmpty())
        return;
    setInFlight(true); // until the dialog is closed: the order on screen is being paid
    auto *dialog = new PaymentDialog(tr("Pay order"), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    m_payment = dialog;
    dialog->setDue(m_order->totalCents(), m_order->payments);
    connect(dialog, &PaymentDialog::confirmed, this, &OrderWidget::takePayment);
    // Closed half-way: the payments taken are kept; the order stays open with its balance.
    connect(dialog, &QDialog::rejected, this, [this] {
        setInFlight(false);
        if (m_order && m_order->paidCents() > 0) {
            m_messages->showMessage(tr("%1 paid so far; the balance due is %2.")
                                        .arg(ShopContext::money(m_order->paidCents()),
                                             ShopContext::money(m_order->balanceCents())),
                                    MessageBar::Kind::Info);
        }
        if (std::exchange(m_reloadAgain, false))
            reload();
    });
    dialog->open();
}

void OrderWidget::takePayment(const PaymentRequest &payment)
{
    if (!m_order)
        return;
    // The customer pays for exactly the order on screen: its version goes along.
    submit(
        [orderId = m_order->id, version = m_order->version, payment](Services &services,
                                                                     const QString &requestId) {
            // The whole balance in one tender is the "complete" it always was.
            const OrderTarget target = OrderTarget::byId(orderId);
            return payment.amountCents
                       ? services.orders().pay(target, payment, version, requestId)
                       : services.orders().complete(target, payment, version, requestId);
        },
        [this](const Order &order) {
            if (order.status == OrderStatus::Completed) {
                paid(order);
                return;
            }
            // Part of the balance: the dialog stays open for the next tender.
            setInFlight(true);
            showOrder(order);
            if (m_payment)
                m_payment->setDue(order.totalCents(), order.payments);
        },
        newRequestId(),
        [this](const Result<Order> &result) {
            const std::optional<Order> now = result.value();
            const bool stillHere =
                now && m_order && now->id == m_order->id && now->status == OrderStatus::Active;
            if (m_payment && (stillHere || result.outcome() == Outcome::Busy ||
                              result.outcome() == Outcome::InvalidInput)) {
                // Nothing was taken: say why in the dialog, with the order as it is now.
                setInFlight(true);
                if (stillHere) {
                    showOrder(*now);
                    m_payment->setDue(now->totalCents(), now->payments);
                }
                m_payment->showRefusal(result.message());
                return;
            }
            // Paid elsewhere, put on a tab, logged out: the dialog has nothing left to pay.
            if (m_payment) {
                m_payment->setDue(0, {}); // not busy any more, so it can close
                m_payment->close();
            }
            setInFlight(false);
            handleRefusal(result);
        });
}

void OrderWidget::paid(const Order &order)
{
    if (m_payment) {
        m_payment->setDue(0, {});
        m_payment->accept();
    }
    m_order.reset();
    const Cents change = order.payment ? order.payment->changeCents : 0;
    m_messages->showMessage(
        tr("Paid. Receipt %1, change %2.").arg(order.receiptNo, ShopContext::money(change)));
    // With a receipt printer set up it prints by itself, exactly once; without one the receipt is
    // shown beside the catalog, never blocking the next sale.
    if (!ReceiptPrinting::afterPayment(m_backend, order, m_messages))
        showReceipt(order);
    openOrder();
}

void OrderWidget::showReceipt(const Order &order)
{
    // Beside the catalog, not over it: the next sale starts at once, and its first key, scan or
    // product tap puts the receipt away (dismissReceipt()).
    dismissReceipt();
    auto *receipt = new ReceiptDialog(order, m_right);
    receipt->setWindowFlags(Qt::Widget);
    receipt->setAttribute(Qt::WA_ShowWithoutActivating);
    m_receipt = receipt;
    m_rightLayout->insertWidget(m_rightLayout->indexOf(m_linesView) + 1, receipt, 1);
    m_linesView->hide();
    connect(receipt, &QDialog::finished, this, &OrderWidget::dismissReceipt);
    receipt->show();
}

void OrderWidget::dismissReceipt()
{
    if (!m_receipt)
        return;
    ReceiptDialog *receipt = m_receipt;
    m_receipt = nullptr;
    const bool hadFocus = receipt->isAncestorOf(QApplication::focusWidget());
    receipt->hide();
    receipt->deleteLater();
    m_linesView->show();
    if (hadFocus)
        m_search->setFocus();
}

bool OrderWidget::isFlashing() const
{
    return m_flash->isActive();
}

void OrderWidget::flashSearch()
{
    // A beep would be lost in a shop's noise and annoy everyone else: the field lights up.
    QPalette flash = m_search->palette();
    const QColor warning = messageTone(palette(), MessageBar::Kind::Error);
    flash.setColor(QPalette::Base, warning);
    flash.setColor(QPalette::Text, palette().color(QPalette::WindowText));
    m_search->setPalette(flash);
    m_search->setAutoFillBackground(true);
    m_flash->start();
}

bool OrderWidget::eventFilter(QObject *watched, QEvent *event)
{
    const QEvent::Type type = event->type();
    if ((type != QEvent::KeyPress && type != QEvent::ShortcutOverride) || !watched->isWidgetType())
        return false;
    auto *target = static_cast<QWidget *>(watched);
    if (!isVisible() || target->window() != window())
        return false;
    auto *key = static_cast<QKeyEvent *>(event);
    if (type == QEvent::KeyPress && key->modifiers() == Qt::NoModifier) {
        // Down from the SKU field into the suggestions, Enter there takes the one chosen.
        if (target == m_search && key->key() == Qt::Key_Down && m_suggestions->isVisible()) {
            m_suggestions->setFocus();
            m_suggestions->setCurrentRow(0);
            return true;
        }
        if (target == m_suggestions &&
            (key->key() == Qt::Key_Return || key->key() == Qt::Key_Enter)) {
            chooseSuggestion();
            return true;
        }
    }
    return routeKey(target, key);
}

bool OrderWidget::routeKey(QWidget *target, QKeyEvent *key)
{
    // Dialogs (payment, approval) and open menus keep their keys.
    if (QApplication::activeModalWidget() || QApplication::activePopupWidget())
        return false;
    const bool press = key->type() == QEvent::KeyPress;
    if (key->modifiers() & (Qt::ControlModifier | Qt::AltModifier | Qt::MetaModifier))
        return false;
    if (key->key() == Qt::Key_Escape && press && m_receipt && !m_receipt->isAncestorOf(target)) {
        dismissReceipt();
        return true;
    }
    // Enter after a code typed while the focus was elsewhere (the window came back to the front
    // without a focus widget, say): the code is submitted as from the SKU field.
    if ((key->key() == Qt::Key_Return || key->key() == Qt::Key_Enter) &&
        !m_search->text().trimmed().isEmpty() && !takesText(target) &&
        !qobject_cast<QAbstractButton *>(target) && !m_receipt) {
        if (press)
            submitSearch();
        else
            key->accept();
        return true;
    }
    const QString text = key->text();
    const bool printable = !text.isEmpty() && text.front().isPrint() && key->key() != Qt::Key_Space;
    if (!printable)
        return false;
    if (takesText(target)) {
        // The SKU field itself (a cashier typing, a scanner with the focus there): the next sale
        // starts, so the last receipt goes.
        if (target == m_search && press)
            dismissReceipt();
        return false;
    }
    // + and − on an empty SKU field change the selected line (their shortcuts).
    if ((key->key() == Qt::Key_Plus || key->key() == Qt::Key_Minus) && m_search->text().isEmpty())
        return false;
    if (!press) {
        // A shortcut would take the key first (a code with "-" in it): it is a key to type.
        key->accept();
        return true;
    }
    // A scanner's code (or a cashier typing) with the focus on a button, the lines, the receipt:
    // into the SKU field, whose Enter adds it.
    dismissReceipt();
    m_search->setFocus(Qt::OtherFocusReason);
    QCoreApplication::sendEvent(m_search, key);
    return true;
}

std::optional<OrderLine> OrderWidget::selectedLine() const
{
    const int row = m_lines->rowOfLine(selectedLineNo());
    if (row < 0)
        return std::nullopt;
    return m_lines->lines().at(row);
}

void OrderWidget::discount()
{
    if (m_inFlight || !m_order || m_order->lines.isEmpty())
        return;
    const Order shown = *m_order;
    auto *dialog = new DiscountDialog(selectedLine(), shown.discount,
                                      taxTable(shown.lines).subtotalCents, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    const std::optional<OrderLine> line = selectedLine();
    connect(dialog, &DiscountDialog::chosen, this,
            [this, shown, line](bool forOrder, const Discount &chosen) {
                Discount given = chosen;
                given.byCashierId = m_cashier.id;
                runApproved(
                    [orderId = shown.id, version = shown.version, forOrder, given,
                     lineId = line ? line->lineId
                                   : QString()](Services &services, const QString &requestId,
                                                const std::optional<Approver> &approver) {
                        return forOrder
                                   ? services.orders().discountOrder(OrderTarget::byId(orderId),
                                                                     given, version, requestId,
                                                                     approver)
                                   : services.orders().discountLine(OrderTarget::byId(orderId),
                                                                    lineId, given, version,
                                                                    requestId, approver);
                    },
                    [this](const Order &order) { showOrder(order); });
            });
    dialog->open();
}

void OrderWidget::overridePrice()
{
    if (m_inFlight || !m_order)
        return;
    const std::optional<OrderLine> line = selectedLine();
    if (!line) {
        m_messages->showMessage(tr("Select a line first."), MessageBar::Kind::Info);
        return;
    }
    const Order shown = *m_order;
    auto *dialog = new PriceDialog(*line, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &PriceDialog::chosen, this,
            [this, shown, lineId = line->lineId](Cents price, const QString &reason) {
                runApproved(
                    [orderId = shown.id, version = shown.version, lineId, price, reason,
                     by = m_cashier.id](Services &services, const QString &requestId,
                                        const std::optional<Approver> &approver) {
                        return services.orders().overridePrice(OrderTarget::byId(orderId), lineId,
                                                               price, reason, by, version,
                                                               requestId, approver);
                    },
                    [this](const Order &order) { showOrder(order); });
            });
    dialog->open();
}

void OrderWidget::putOnTab()
{
    if (m_inFlight || !m_order || m_order->lines.isEmpty())
        return;
    setInFlight(true);
    const Order shown = *m_order;
    auto *dialog = new TabPickerDialog(this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    m_backend.query(
        dialog, [](Services &services) { return services.tabs().openTabs(); },
        [dialog](const Result<QList<Tab>> &tabs) {
            if (tabs)
                dialog->setTabs(*tabs);
        });
    connect(dialog, &TabPickerDialog::chosen, this, [this, shown](const QString &tabName) {
        submit(
            [orderId = shown.id, version = shown.version, tabName](Services &services,
                                                                   const QString &requestId) {
                return services.orders().assignToTab(OrderTarget::byId(orderId), tabName, version,
                                                     requestId);
            },
            [this](const Order &assigned) {
                m_order.reset();
                m_messages->showMessage(tr("Order put on the tab %1.").arg(assigned.tabName));
                openOrder();
            },
            newRequestId());
    });
    connect(dialog, &QDialog::rejected, this, [this] { setInFlight(false); });
    dialog->open();
}

void OrderWidget::logOut()
{
    if (!m_order) {
        if (!m_inFlight)
            Q_EMIT loggedOut();
        return;
    }
    const QString orderId = m_order->id;
    runAction(
        [orderId](Services &services, const QString &requestId) {
            return services.orders().logOut(OrderTarget::byId(orderId), requestId);
        },
        [this](const Order &) {
            m_order.reset();
            Q_EMIT loggedOut();
        });
}

} // namespace SafeTill
