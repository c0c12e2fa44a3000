#pragma once

#include "Refund.h"
#include "Result.h"
#include "Tax.h"
#include "Types.h"

#include <QHash>

#include <optional>

namespace SafeTill {

class Database;

// The one owner of the writes of orders, their lines, tabs and payments (cmake/WriteOwners.cmake
// fails the build when another product source writes those tables): the till's actions
// (OrderService, TabService), the server's API, the server applying a push (SyncApplier) and the
// till taking the server's answer (SyncStore) all write through it. The PostgreSQL fast path for
// item adds, safetill_add_items (resources/sql/postgres/006_money_facts.sql), writes the same rows
// as insertLine()/addToLine()/bumpVersion(); tst_server compares the two byte for byte.
// Also reads orders and tabs the way every action and screen needs them (lines, cashier and tab
// names, payments), and explains why a conditional update changed no row. Throws SqlFailure like
// the query helpers; call it inside Database::write()/read().
class OrderStore
{
public:
    explicit OrderStore(Database &database)
        : m_db(database)
    {}

    std::optional<Order> load(const QString &orderId);
    std::optional<Tab> loadTab(const QString &tabId);
    QList<Tab> openTabs();
    QList<HistoryEntry> history(const QString &orderId);
    // The cashier's active or pending_logout order, if any.
    std::optional<QString> openOrderIdOf(const QString &cashierId);
    bool cashierExists(const QString &cashierId);
    // An open tab by id or (case-insensitively) by name.
    std::optional<QString> findTabId(const QString &idOrName);

    // Why an UPDATE ... WHERE id = ? AND status = 'active' [AND version = ?] changed nothing:
    // not found, invalid state, or conflict — with the order as it is now.
    Result<Order> refusal(const QString &orderId, std::optional<int> expectedVersion);
    Result<Tab> tabRefusal(const QString &tabId, std::optional<int> expectedVersion);

    // This database's own terminal id (table terminal): the owner of the orders and tabs opened
    // here. Read once per store.
    QString terminalId();

    // The writes of an order's lines and of payments live here, so every writer (the till's
    // actions, the server's API, the server applying a push, the till taking the server's answer)
    // writes the same rows. Call inside Database::write().
    static QString newLineId();
    // A new active order of a terminal, unless one of that id exists or the cashier has another
    // open order on that terminal (then nothing is inserted: 0 rows; on PostgreSQL a racing
    // insert is waited for). Returns the rows inserted.
    int insertOrder(const QString &orderId, const QString &cashierId, const QString &terminalId,
                    int version, const QString &createdAt);
    // An open tab, unless that id exists or another open tab has that name key (0 rows).
    int insertOpenTab(const QString &tabId, const QString &name, const QString &nameKey,
                      const QString &terminalId, const QString &createdAt);
    // The order's next line number: never reused, even after its last line was removed.
    int allocateLineNo(const QString &orderId);
    // A new line (lineNo from allocateLineNo(), or 0 to allocate here; lineId set or made here),
    // with the tax the line carries (withCurrentTax() for a line added now).
    OrderLine insertLine(const QString &orderId, OrderLine line);
    // The line with the tax that applies to it now: its product's rate (by sku), or the shop's
    // default-tax for an open-price item (no sku), and the shop's prices-include-tax.
    OrderLine withCurrentTax(OrderLine line);
    // Raises or lowers a line's quantity by delta; false when the line is not on the order.
    bool addToLine(const QString &orderId, const QString &lineId, int delta);
    bool deleteLine(const QString &orderId, const QString &lineId);
    void deleteLines(const QString &orderId);
    // A payment is a money fact: appended, never updated or deleted (triggers enforce it). A sale
    // payment adds to its order's (or tab's) paid_cents in the same transaction.
    // Returns the shift it was booked in (the terminal's open one for money taken here, opened
    // if none is; the payment's own otherwise), empty for none.
    QString insertPayment(const Payment &payment);
    // A line's discount (DiscountKind::None removes it); false when the line is not on the order.
    bool setLineDiscount(const QString &orderId, const QString &lineId, const Discount &discount);
    void setOrderDiscount(const QString &orderId, const Discount &discount);
    // A price override: the line's unit price becomes unitPriceCents; the first override keeps the
    // price it replaced in list_price_cents. False when the line is not on the order.
    bool setLinePrice(const QString &orderId, const QString &lineId, Cents unitPriceCents,
                      const QString &reason);
    // The sale payment of a list of payments, if any.
    static std::optional<Payment> salePayment(const QList<Payment> &payments);

    QList<OrderLine> lines(const QString &orderId);
    // A line's total after its discount, in SQL over order_lines aliased l (Discount::of(): a
    // percent rounded half away from zero, an amount at most the line), for every sum of lines.
    static const QString &lineTotalSql();
    // The line with that id, or with that number when the text is a number (a line number from the
    // screen or the command line): its id, quantity and amount before discount.
    struct LineRef
    {
        QString lineId;
        int lineNo = 0;
        Cents amountCents = 0;
    };
    std::optional<LineRef> findLine(const QString &orderId, const QString &idOrNumber);
    // The shop's cash-rounding step in minor units (0: none).
    Cents cashRoundingStep();

    // The order's state changes. Each is one conditional UPDATE (the whole concurrency story: it
    // matches only an order in the state the change starts from, at the version the caller saw
    // if given, and on PostgreSQL its row lock orders concurrent edits). They return the new
    // version, or nothing when no row matched; refusal() then says why. Times are storage times.
    std::optional<int> bumpVersion(const QString &orderId, std::optional<int> expectedVersion,
                                   const QString &now);
    // bumpVersion() for an edit of the items or discounts: only while no money was taken on it
    // (refusal() then says the order took payments).
    std::optional<int> bumpUnpaid(const QString &orderId, std::optional<int> expectedVersion,
                                  const QString &now);
    // The active order whose version pay() just bumped becomes completed (its last payment).
    void markCompleted(const QString &orderId, const QString &now);
    struct Resumed
    {
        QString orderId;
        int version = 0;
    };
    // The cashier's order parked on this terminal, made active again.
    std::optional<Resumed> resumeParked(const QString &cashierId, const QString &now);
    std::optional<int> parkForLogout(const QString &orderId, const QString &now);
    std::optional<int> completeActive(const QString &orderId, std::optional<int> expectedVersion,
                                      const QString &now);
    std::optional<int> assignActiveToTab(const QString &orderId, const QString &tabId,
                                         std::optional<int> expectedVersion, const QString &now);
    // Writes the receipt number of a completed order; returns the order's cashier id.
    QString setReceipt(const QString &orderId, const QString &receiptNo);
    // The whole state an order was merged to (the server applying a push) or taken over as (a
    // till adopting the server's copy). A null lineSeq keeps the stored one.
    struct State
    {
        int version = 0;
        std::optional<int> lineSeq;
        OrderStatus status = OrderStatus::Active;
        QString tabId;
        QString receiptNo;
        QString updatedAt;
        QString logoutTime;  // written only for a pending_logout order
        QString completedAt; // written only for a completed order
    };
    void writeState(const QString &orderId, const State &state);
    // A tab's total as stored: the sum of its orders' totals (model/Tax.h); *paidCents (if given)
    // what its sale payments paid so far.
    Cents tabTotal(const QString &tabId, Cents *paidCents = nullptr);
    // An order's total as stored: its lines after discounts plus the tax of tax-exclusive lines;
    // *lineCount and *paidCents (if given) its number of lines and what its sale payments paid so
    // far, from the same statement.
    Cents orderTotal(const QString &orderId, int *lineCount = nullptr, Cents *paidCents = nullptr);

    // A tab's state changes, conditional like the order's. lockOpenTab*() take the open tab's row
    // lock (a version bump), so a settlement at the same moment commits first or waits.
    QString lockOpenTabByKey(const QString &nameKey);
    // An open tab's version bump (its row lock), at the version seen when given; the new version.
    std::optional<int> bumpOpenTab(const QString &tabId, std::optional<int> expectedVersion);
    // The open tab whose version a payment just bumped is settled by its last payment.
    void markTabSettled(const QString &tabId, const QString &settledAt, const QString &receiptNo);
    bool tabHasOrders(const QString &tabId);
    bool lockOpenTab(const QString &tabId, const QString &terminalId);
    std::optional<int> settleOpenTab(const QString &tabId, std::optional<int> expectedVersion,
                                     const QString &settledAt, const QString &receiptNo);
    struct ClosedOrder
    {
        QString orderId;
        QString cashierId;
        int version = 0;
    };
    // Completes the orders put on a tab (at its settlement).
    QList<ClosedOrder> completeTabOrders(const QString &tabId, const QString &completedAt);

    // Refunds (model/RefundService). A refund's rows, appended in the caller's transaction; its
    // lines' refunded_qty was taken first with takeRefundable(). refund.originalTerminalId is the
    // terminal of the sale it pays back (saleOfReceipt's terminalId).
    void insertRefund(const Refund &refund);
    // Counts `quantity` more units of a sold line as refunded, unless that would be more than was
    // sold (the conditional update; the CHECK on refunded_qty backs it): the line's refunded
    // quantity after it (here and, on a till, on the server by others: refunded_elsewhere_qty),
    // or nothing (the line is missing or has fewer units left). On PostgreSQL the row lock orders
    // two refunds of one line.
    std::optional<int> takeRefundable(const QString &lineId, int quantity);
    // The refunded quantity of each line of an order, by line id (on a till: with the units the
    // server counts refunded by others).
    QHash<QString, int> refundedQuantities(const QString &orderId);
    // A till's copy of what the server counts refunded of its sales' lines by others (its REST
    // API, other tills), from a sync pull: a complete list by line id; lines not in it have none.
    // Lines the till does not hold are skipped.
    void storeRefundedElsewhere(const QHash<QString, int> &quantities);
    // The refunds of a sale receipt, oldest first, and one refund by its own receipt number.
    QList<Refund> refundsOf(const QString &originalReceiptNo);
    std::optional<Refund> loadRefund(const QString &receiptNo);
    // The sale a receipt number belongs to: its order or tab, and the shift its receipt payment
    // was booked in.
    struct Sale
    {
        QString orderId;
        QString tabId;
        QString shiftId;
        QString terminalId;
    };
    std::optional<Sale> saleOfReceipt(const QString &receiptNo);
    // PostgreSQL: locks the sale's lines (in line id order) before a refund reads what is left of
    // them, so two refunds of one receipt read one after the other, as on SQLite, whose write
    // transaction already holds the database. Nothing on SQLite.
    void lockSaleLines(const Sale &sale);

private:
    QList<Refund> refunds(const QString &where, const QVariantList &values);
    // The tax table of an order's lines (column order_id) or a tab's orders (tab_id).
    TaxTable taxesOf(const QString &column, const QString &id, int *lineCount = nullptr,
                     Cents *paidCents = nullptr);
    QList<Payment> payments(const QString &column, const QString &id);
    // sql (an UPDATE ... WHERE ...) with "AND version = ?" when expectedVersion is set, and
    // "RETURNING version": the new version, or nothing when no row matched.
    std::optional<int> transition(QString sql, QVariantList values,
                                  std::optional<int> expectedVersion);

    Database &m_db;
    QString m_terminalId;
};

// Receipt numbers for people: the terminal's prefix plus its own sequence, advanced inside the
// completing transaction (so a refused payment gives its number back) and unique by constraint.
QString allocateReceiptNumber(Database &database);

} // namespace SafeTill
