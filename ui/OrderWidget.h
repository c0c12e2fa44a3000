#pragma once

#include "Approvals.h"
#include "ProductSearch.h"
#include "ReceiptDialog.h"
#include "Result.h"
#include "Types.h"

#include <QElapsedTimer>
#include <QPointer>
#include <QSet>
#include <QWidget>

#include <functional>

class QKeyEvent;
class QLabel;
class QLineEdit;
class QListWidget;
class QPushButton;
class QSplitter;
class QTabWidget;
class QTableView;
class QTimer;
class QVBoxLayout;

namespace SafeTill {

class MessageBar;
class OpenPriceDialog;
class OrderLinesModel;
class PaymentDialog;
class TillBackend;
class Services;

// The cashier's current order: the catalog as buttons by category, a SKU/search field (a barcode
// scanner types a SKU and Enter), the lines with +/−/remove, the total, and Pay, Put on tab and
// Log out. One action at a time: every action control is disabled from the moment an action
// starts until its result is on screen; SKUs entered meanwhile (a scanner does not wait) queue
// and are added one after another. Changes made in other windows or processes show up by
// themselves.
//
// Made for few taps and for the keyboard alone: Enter on a SKU adds it, F12 or Ctrl+Return opens
// Pay (which preselects the balance as exact cash, so Enter takes it), and the paid order's
// receipt is shown beside the catalog without blocking: the next sale's first key, scan or
// product tap puts it away. A barcode scanner (a keyboard wedge) works wherever the focus is on
// this screen: typed characters that no text field takes go to the SKU field (eventFilter()).
class OrderWidget : public QWidget
{
    Q_OBJECT

public:
    OrderWidget(TillBackend &backend, const Cashier &cashier, QWidget *parent = nullptr);

    const Cashier &cashier() const { return m_cashier; }
    const std::optional<Order> &order() const { return m_order; }
    bool actionInFlight() const { return m_inFlight; }
    MessageBar *messageBar() const { return m_messages; }
    OrderLinesModel *linesModel() const { return m_lines; }

    void pay();
    void putOnTab();
    // A line discount (a line selected) or an order discount, and a price override on the
    // selected line: each with the version on screen, by the logged-in cashier.
    void discount();
    void overridePrice();
    void logOut();
    void addSku(const QString &sku);
    void reload();
    // The last paid order's receipt beside the catalog (nullptr when none is shown).
    ReceiptDialog *receiptPanel() const { return m_receipt; }
    void dismissReceipt();
    // The SKU field's unknown-code flash is on (a beep-free signal a scanner user sees).
    bool isFlashing() const;
    // The catalog|order splitter (its sizes are remembered by MainWindow).
    QSplitter *splitter() const { return m_splitter; }
    // Search as you type: the products matching the SKU field now (up to a screenful).
    QListWidget *suggestions() const { return m_suggestions; }
    // At most this many buttons per category; a big catalog's others are found by search.
    static constexpr int maxButtonsPerCategory = 48;

protected:
    // The barcode wedge: printable keys meant for this screen that no text field takes.
    bool eventFilter(QObject *watched, QEvent *event) override;

Q_SIGNALS:
    void loggedOut();
    void statusChanged(const QString &status);

private:
    using OrderJob = std::function<Result<Order>(Services &, const QString &requestId)>;
    using OrderDone = std::function<void(const Order &)>;
    using OrderRefused = std::function<void(const Result<Order> &)>;
    // An action that may need a manager's approval: run first without an approver.
    using ApprovedJob = std::function<Result<Order>(Services &, const QString &requestId,
                                                    const std::optional<Approver> &approver)>;

    void buildCatalog(const QList<Product> &products);
    void openOrder();
    // Starts one order action with a fresh request id, unless one is already in flight.
    bool runAction(const OrderJob &job, const OrderDone &onOk);
    // Submits it (in flight already); a Busy result offers Retry with the same request id. A
    // refusal goes to onRefused when given, else to handleRefusal().
    void submit(const OrderJob &job, const OrderDone &onOk, const QString &requestId,
                const OrderRefused &onRefused = {});
    // Starts an action that may need a manager (model/Approvals). When the model answers
    // Forbidden, ApprovalDialog asks a manager for their PIN on the same screen and the same
    // intent (the same request id) is retried with them as the approver.
    bool runApproved(const ApprovedJob &job, const OrderDone &onOk);
    void askApproval(const QString &why, const ApprovedJob &job, const OrderDone &onOk,
                     const QString &requestId);
    // One tender from the payment dialog, for the order and version on screen.
    void takePayment(const PaymentRequest &payment);
    void paid(const Order &order);
    // The one spot where a paid order's receipt is shown (and, with a printer, printed).
    void showReceipt(const Order &order);
    // The SKU field flashes (unknown code): no beep, a visible sign.
    void flashSearch();
    // Where the wedge routes a key event meant for `target` (a widget of this window).
    bool routeKey(QWidget *target, QKeyEvent *event);
    void setInFlight(bool inFlight);
    void showOrder(const Order &order);
    // Under the total: the order's tax per rate after discounts (nothing when no line is taxed).
    void showTaxes(const QList<OrderLine> &lines, const Discount &orderDiscount = {});
    // Above the total: the subtotal and the order discount when there is one; under it, what was
    // paid so far and the balance due once money was taken.
    void showSummary(const Order &order);
    // A line selected on screen, if any.
    std::optional<OrderLine> selectedLine() const;
    // The shop's currency changed (ShopContext): every amount on screen anew.
    void shopChanged();
    // "Total (USD)": the shop's currency next to the total.
    void showTotalCaption();
    void handleRefusal(const Result<Order> &result);
    // The order was paid, put on a tab or parked elsewhere: say so, and go on with a new one.
    // refusedHere: this window's own action was refused because of it.
    void orderLeftThisScreen(const Order &order, bool refusedHere);
    void submitSearch();
    // The suggestions for the SKU field's text (a few index lookups: see ProductSearch).
    void updateSuggestions();
    void chooseSuggestion();
    // Adds the oldest SKU entered while another action ran, once nothing runs.
    void addNextScanned();
    // A product sold at an open price: asks its price (OpenPriceDialog), then adds it at that
    // price; cancelled, nothing is added.
    void askPrice(const QString &sku);
    void dropScanned();
    void changeSelectedQuantity(int delta);
    void removeSelected();
    int selectedLineNo() const;

    TillBackend &m_backend;
    Cashier m_cashier;
    std::optional<Order> m_order;
    QList<Product> m_products;
    QSet<QString> m_openPriceSkus; // the products whose price is asked each time
    QStringList m_scanned;         // SKUs entered (scanned) and not added yet, oldest first
    bool m_inFlight = false;
    bool m_reloading = false;
    bool m_reloadAgain = false;

    MessageBar *m_messages;
    QTabWidget *m_catalog;
    QLineEdit *m_search;
    QTableView *m_linesView;
    OrderLinesModel *m_lines;
    QLabel *m_total;
    QLabel *m_taxes;
    QLabel *m_summary;
    QLabel *m_balance;
    QLabel *m_orderInfo;
    QPushButton *m_plus;
    QPushButton *m_minus;
    QPushButton *m_remove;
    QPushButton *m_discount;
    QPushButton *m_price;
    QPushButton *m_pay;
    QPushButton *m_tab;
    QPushButton *m_logout;
    QList<QPushButton *> m_productButtons;
    QPointer<PaymentDialog> m_payment;    // open while the cashier takes payments
    QPointer<OpenPriceDialog> m_askPrice; // open while the cashier enters a price
    QPointer<ReceiptDialog> m_receipt;    // the last receipt, beside the catalog
    QSplitter *m_splitter = nullptr;
    QWidget *m_right = nullptr;
    QVBoxLayout *m_rightLayout = nullptr;
    QLabel *m_totalCaption = nullptr;
    QTimer *m_flash = nullptr;
    ProductSearch m_index;
    QListWidget *m_suggestions = nullptr;
    QTimer *m_suggestLater = nullptr; // a scanner's burst: one update after it
    QElapsedTimer m_lastKey;
};

} // namespace SafeTill
