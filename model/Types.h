#pragma once

#include <QDateTime>
#include <QList>
#include <QString>

#include <optional>

namespace SafeTill {

// Money is always an integer number of minor units (cents). Never a floating-point number.
using Cents = qint64;

enum class OrderStatus { Active, PendingLogout, Assigned, Completed };
enum class TabStatus { Open, Settled };
enum class PaymentMethod { Cash, Card, Other };
enum class DiscountKind { None, Percent, Amount };
enum class Role { Cashier, Manager };
// A sale payment pays what was due; money taken beyond that (an order paid at two places at once)
// is still booked, as an overpayment, for a manager to resolve. Never deleted either way.
enum class PaymentKind { Sale, Overpayment };

QString toString(OrderStatus status);
QString toString(TabStatus status);
QString toString(PaymentMethod method);
QString toString(Role role);
QString toString(PaymentKind kind);
QString toString(DiscountKind kind);
std::optional<OrderStatus> orderStatusFromString(const QString &text);
std::optional<TabStatus> tabStatusFromString(const QString &text);
std::optional<PaymentMethod> paymentMethodFromString(const QString &text);
std::optional<Role> roleFromString(const QString &text);
std::optional<PaymentKind> paymentKindFromString(const QString &text);
std::optional<DiscountKind> discountKindFromString(const QString &text);

// A discount on a line or on a whole order, stored as given (a percent or an amount, the reason and
// who gave it): what it takes off is derived from the amount it applies to, so a quantity changed
// later never leaves a discount larger than its line.
struct Discount
{
    DiscountKind kind = DiscountKind::None;
    qint64 value = 0; // basis points for a percent (1000 = 10 %), minor units for an amount
    QString reason;
    QString byCashierId; // who gave it (the approval hook of the end-of-day issue)

    bool isNone() const { return kind == DiscountKind::None; }
    // What it takes off `amount`: a percent rounded half away from zero, an amount at most all.
    Cents of(Cents amount) const;
    bool operator==(const Discount &) const = default;
};

struct Cashier
{
    QString id;
    QString name;
    Role role = Role::Cashier;
    QDateTime createdAt;
};

struct Product
{
    QString sku;
    QString name;
    Cents priceCents = 0;
    QString category;
    QString taxCode; // its tax rate (model/Tax.h); empty: untaxed
};

struct OrderLine
{
    int lineNo = 0;
    QString sku; // empty for an open-price item
    QString name;
    Cents unitPriceCents = 0;
    int quantity = 0;
    // Stable from creation (a UUID), the same on every till and the server; lineNo is for
    // people and never reused within an order.
    QString lineId;
    // The tax that applied when the line was added (model/Tax.h): kept with the line, so a rate
    // changed later never changes it. An empty code is an untaxed line.
    QString taxCode;
    int taxRateBp = 0;
    bool priceIncludesTax = true;
    // A line discount (none by default) and a price override: listPriceCents is the price the
    // override replaced (unitPriceCents is the price charged), priceReason why.
    Discount discount;
    std::optional<Cents> listPriceCents;
    QString priceReason;

    // quantity x unit price, before the line's discount.
    Cents amountCents() const { return unitPriceCents * quantity; }
    Cents discountCents() const { return discount.of(amountCents()); }
    // The line's own total after its discount (gross when the price includes tax).
    Cents totalCents() const { return amountCents() - discountCents(); }
};

// Whether two line lists hold the same items (by line id, quantity and unit price), in any order:
// what the till and the server compare to know whether their copies of an order differ.
bool sameItems(const QList<OrderLine> &a, const QList<OrderLine> &b);

struct Payment
{
    QString id;
    QString orderId; // set for an order's payment...
    QString tabId;   // ...or for a tab's; never both
    PaymentMethod method = PaymentMethod::Cash;
    QString label;           // what an "other" payment was (a voucher); empty for cash and card
    Cents amountCents = 0;   // what it settled of the balance due
    Cents roundingCents = 0; // cash rounding: the cash taken was amountCents + roundingCents
    Cents tenderedCents = 0;
    Cents changeCents = 0; // tendered - amount - rounding
    QString receiptNo;     // the last payment of an order or tab carries its receipt number
    QDateTime paidAt;
    PaymentKind kind = PaymentKind::Sale;
    Cents dueCents = 0;  // what the order (or tab) version it paid for totalled
    int paidVersion = 0; // that version
    QString terminalId;  // where the money was taken
    QString cashierId;   // who took it (empty for a tab's settlement)
    // The shift of its terminal it was booked in (model/ShiftStore.h); empty: booked before
    // shifts existed, or taken on another terminal that did not say.
    QString shiftId;

    // A sale payment: `due` (the order's or tab's total at paidVersion) taken by `method` from
    // `tendered`; the caller sets orderId or tabId, and cashierId where there is one.
    static Payment sale(QString id, PaymentMethod method, Cents due, Cents tendered,
                        QString receiptNo, QDateTime paidAt, int paidVersion, QString terminalId)
    {
        Payment payment;
        payment.id = std::move(id);
        payment.method = method;
        payment.amountCents = due;
        payment.tenderedCents = tendered;
        payment.changeCents = tendered - due;
        payment.receiptNo = std::move(receiptNo);
        payment.paidAt = std::move(paidAt);
        payment.kind = PaymentKind::Sale;
        payment.dueCents = due;
        payment.paidVersion = paidVersion;
        payment.terminalId = std::move(terminalId);
        return payment;
    }
};

struct Order
{
    QString id;
    QString cashierId;
    QString cashierName;
    OrderStatus status = OrderStatus::Active;
    int version = 0;
    QList<OrderLine> lines;
    QString tabId;
    QString tabName;
    QString receiptNo;
    QDateTime createdAt;
    QDateTime updatedAt;
    QDateTime logoutTime;
    QDateTime completedAt;
    // The sale payment that completed it (set when completed by itself, not through a tab).
    std::optional<Payment> payment;
    // The order discount (none by default), applied after the line discounts, before tax.
    Discount discount;
    // Every payment fact of the order, in the order they were taken (sale and overpayments).
    QList<Payment> payments;
    QString terminalId; // the terminal that owns the order
    // The shop's ISO 4217 currency the amounts are in (set where orders are shown: JSON, screens).
    QString currency;

    // What the customer pays: the lines after discounts, plus the tax on tax-exclusive lines
    // (model/Tax.h).
    Cents totalCents() const;
    // The sale payments taken so far, and what is left to pay.
    Cents paidCents() const;
    Cents balanceCents() const { return totalCents() - paidCents(); }
    int itemCount() const;
    bool isOpen() const
    {
        return status == OrderStatus::Active || status == OrderStatus::PendingLogout;
    }
};

struct Tab
{
    QString id;
    QString name;
    TabStatus status = TabStatus::Open;
    int version = 0;
    QString receiptNo;
    QDateTime createdAt;
    QDateTime settledAt;
    QList<Order> orders;
    std::optional<Payment> payment; // the payment that settled it
    QList<Payment> payments;        // every payment fact of the tab, in order

    Cents totalCents() const;
    Cents paidCents() const;
    Cents balanceCents() const { return totalCents() - paidCents(); }
};

// One entry of an order's append-only history.
struct HistoryEntry
{
    qint64 id = 0;
    QString orderId;
    QDateTime at;
    QString cashierId;
    QString action;
    std::optional<int> fromVersion;
    int toVersion = 0;
    QString fromStatus;
    QString toStatus;
    QString detail;
    QString requestId;
    QString approvedById; // the manager who approved it on the spot (issue 15), or empty
};

// An item in a whole-list replace: a catalog product by SKU, or an open-price item with its own
// name and price (for things not in the catalog).
struct ItemSpec
{
    QString sku;
    QString name;
    std::optional<Cents> unitPriceCents;
    int quantity = 1;
};

// One tender. `complete` pays the whole balance (amountCents unset); `pay` may pay part of it.
struct PaymentRequest
{
    PaymentRequest() = default;
    PaymentRequest(PaymentMethod method, Cents tendered, std::optional<Cents> amount = {},
                   QString label = {})
        : method(method)
        , tenderedCents(tendered)
        , amountCents(amount)
        , label(std::move(label))
    {}

    PaymentMethod method = PaymentMethod::Cash;
    Cents tenderedCents = 0;
    std::optional<Cents> amountCents; // unset: the whole balance due
    QString label;                    // required for "other" (e.g. "Voucher"), else empty
};

// Which order an action is for: a known order id (windows, sync), or whichever order is open for a
// cashier, resolved inside the action's own transaction (CLI, "current" in the HTTP API).
class OrderTarget
{
public:
    static OrderTarget byId(QString orderId) { return OrderTarget(std::move(orderId), {}); }
    static OrderTarget byCashier(QString cashierId)
    {
        return OrderTarget({}, std::move(cashierId));
    }
    const QString &orderId() const { return m_orderId; }
    const QString &cashierId() const { return m_cashierId; }
    bool isById() const { return !m_orderId.isEmpty(); }

private:
    OrderTarget(QString orderId, QString cashierId)
        : m_orderId(std::move(orderId))
        , m_cashierId(std::move(cashierId))
    {}
    QString m_orderId;
    QString m_cashierId;
};

} // namespace SafeTill
