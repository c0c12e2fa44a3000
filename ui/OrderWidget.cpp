#include "OrderWidget.h"

#include "ApprovalDialog.h"
#include "DiscountDialog.h"
#include "MessageBar.h"
#include "OrderLinesModel.h"
#include "PaymentDialog.h"
#include "ReceiptDialog.h"
#include "ReceiptPrinting.h"
#include "ShopContext.h"
#include "TabPickerDialog.h"
#include "Tax.h"
#include "TillBackend.h"

#include <QGridLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMap>
#include <QPointer>
#include <QPushButton>
#include <QScrollArea>
#include <QSet>
#include <QTabWidget>
#include <QTableView>
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
    m_linesView->setObjectName(u"linesView"_s);
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
    m_balance->setStyleSheet(u"color: #b35c00;"_s);
    m_balance->hide();
    m_orderInfo->setObjectName(u"orderInfo"_s);
    m_plus->setObjectName(u"increaseButton"_s);
    m_minus->setObjectName(u"decreaseButton"_s);
    m_remove->setObjectName(u"removeButton"_s);
    m_discount->setObjectName(u"discountButton"_s);
    m_discount->setToolTip(tr("A discount on the selected line, or on the whole order"));
    m_price->setObjectName(u"priceButton"_s);
    m_price->setToolTip(tr("Change the price of the selected line"));
    for (QPushButton *button : {m_plus, m_minus, m_remove, m_discount, m_price})
        button->setMinimumSize(64, 48);
    m_plus->setShortcut(QKeySequence(Qt::Key_Plus));
    m_minus->setShortcut(QKeySequence(Qt::Key_Minus));
    m_remove->setShortcut(QKeySequence(QKeySequence::Delete));

    auto *left = new QVBoxLayout;
    left->addWidget(m_search);
    left->addWidget(m_catalog, 1);
    auto *lineButtons = new QHBoxLayout;
    lineButtons->addWidget(m_minus);
    lineButtons->addWidget(m_plus);
    lineButtons->addWidget(m_remove);
    lineButtons->addWidget(m_discount);
    lineButtons->addWidget(m_price);
    lineButtons->addStretch();
    lineButtons->addWidget(m_total);
    auto *actions = new QHBoxLayout;
    actions->addWidget(m_logout);
    actions->addWidget(m_tab);
    actions->addWidget(m_pay, 2);
    auto *right = new QVBoxLayout;
    right->addWidget(m_orderInfo);
    right->addWidget(m_linesView, 1);
    right->addWidget(m_summary);
    right->addLayout(lineButtons);
    right->addWidget(m_taxes);
    right->addWidget(m_balance);
    right->addLayout(actions);
    auto *columns = new QHBoxLayout;
    columns->addLayout(left, 3);
    columns->addLayout(right, 2);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_messages);
    layout->addLayout(columns, 1);

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
        this, [](Services &services) { return services.catalog().list(); },
        [this](const Result<QList<Product>> &result) {
            if (result)
                buildCatalog(*result);
            else
                m_messages->showMessage(result.message(), MessageBar::Kind::Error);
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
    QMap<QString, QList<Product>> byCategory;
    for (const Product &product : products)
        byCategory[product.category.isEmpty() ? tr("Other") : product.category].append(product);
    constexpr int columns = 3;
    for (auto it = byCategory.constBegin(); it != byCategory.constEnd(); ++it) {
        auto *scroll = new QScrollArea(m_catalog);
        scroll->setWidgetResizable(true);
        auto *page = new QWidget(scroll);
        auto *grid = new QGridLayout(page);
        for (qsizetype i = 0; i < it->size(); ++i) {
            const Product &product = it->at(i);
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
        grid->setRowStretch(grid->rowCount(), 1);
        scroll->setWidget(page);
        m_catalog->addTab(scroll, it.key());
    }
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

void OrderWidget::shopChanged()
{
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
    if (!m_order)
        return;
    const QString orderId = m_order->id;
    runAction(
        [orderId, sku](Services &services, const QString &requestId) {
            return services.orders().addProduct(OrderTarget::byId(orderId), sku, 1, requestId);
        },
        [this](const Order &order) { showOrder(order); });
}

void OrderWidget::submitSearch()
{
    const QString text = m_search->text().trimmed();
    if (text.isEmpty())
        return;
    // A scanner types the exact SKU; a person may type part of a name.
    QList<Product> matches;
    for (const Product &product : std::as_const(m_products)) {
        if (product.sku.compare(text, Qt::CaseInsensitive) == 0) {
            matches = {product};
            break;
        }
        if (product.name.contains(text, Qt::CaseInsensitive))
            matches << product;
    }
    if (matches.size() == 1) {
        m_search->clear();
        // One add per Enter, in the order scanned, each with its own request id, one at a time.
        m_scanned << matches.front().sku;
        addNextScanned();
    } else if (matches.isEmpty()) {
        m_messages->showMessage(tr("No product matches \u201c%1\u201d.").arg(text),
                                MessageBar::Kind::Warning);
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
    if (m_scanned.isEmpty() || m_inFlight || !m_order || m_order->status != OrderStatus::Active)
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
    // With a receipt printer set up it prints by itself (no dialog), exactly once.
    if (!ReceiptPrinting::afterPayment(m_backend, order, m_messages)) {
        auto *receipt = new ReceiptDialog(order, this);
        receipt->setAttribute(Qt::WA_DeleteOnClose);
        receipt->open();
    }
    openOrder();
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
