#pragma once

#include "ActionJournal.h"
#include "Approvals.h"
#include "CashierService.h"
#include "Clock.h"
#include "OrderStore.h"
#include "Result.h"
#include "Types.h"

#include <QJsonArray>

#include <functional>
#include <optional>

namespace SafeTill {

class Clock;
class Database;

// The cashier's order actions. Each call is exactly one write transaction: a conditional update on
// the order's status (and version, where the caller saw one) whose changed-row count is checked,
// the change itself, its history entry, its outbox row for sync and its result stored under the
// request id — all committed together or not at all. A request id seen before returns the stored
// result and changes nothing. Not thread-safe: one instance per thread, on that thread's Database.
class OrderService
{
public:
    explicit OrderService(Database &database, const Clock &clock = Clock::system(),
                          SyncSide side = SyncSide::Terminal);

    // Opens the cashier's order, or resumes it: a pending_logout order comes back as active, an
    // active one is returned as it is. Never two open orders for one cashier.
    // bound: more of the request the id stands for (e.g. the hash of an HTTP body), so the same
    // id used again for a different request is refused as reused, not taken as a repeat.
    Result<Order> openOrResume(const QString &cashierId, const QString &requestId,
                               const QJsonObject &bound = {});

    // Line edits are deltas, so two windows adding at once both keep their items. Adding a product
    // already on the order raises that line's quantity. By cashier, add opens an order if needed.
    // A product sold at an open price (products.open_price) needs the price the cashier entered
    // (enteredPriceCents, 0..Limits::maxPriceCents): without one the add is refused
    // (InvalidInput). Its line keeps the SKU, name and tax rate and is no price override (no
    // manager, no reason); it merges only with a line of that SKU at the same price. A price
    // given for a fixed-price product is refused (InvalidInput): charging another price is a
    // price override (overridePrice), which needs a manager.
    Result<Order> addProduct(const OrderTarget &target, const QString &sku, int quantity,
                             const QString &requestId,
                             std::optional<Cents> enteredPriceCents = std::nullopt);
    // An open-price line (a thing not in the catalog, priced by the cashier): always a line of
    // its own. The order must be open (by cashier: the open order; this never opens one).
    Result<Order> addOpenPriceItem(const OrderTarget &target, const QString &name,
                                   Cents unitPriceCents, int quantity, const QString &requestId);
    // The server API's add: a catalog item (sku, with its price when it is sold at an open
    // price) or an open-price item (name and price) to the
    // cashier's active order, never opening one. A request id seen before goes to the order it
    // was first applied to. Outcomes: InvalidState when the cashier has no active order, NotFound
    // for an unknown SKU. On PostgreSQL on the server side this is one round trip (a server-side
    // function, resources/sql/postgres/005_add_item_function.sql).
    Result<Order> addToActiveOrder(const QString &cashierId, const ItemSpec &item,
                                   const QString &requestId);
    struct ActiveOrderAdd
    {
        QString cashierId;
        ItemSpec item;
        QString requestId;
    };
    // addToActiveOrder() for each, in order, with one result each. On PostgreSQL on the server
    // side they reach the database as one statement: one round trip for all of them.
    QList<Result<Order>> addToActiveOrders(const QList<ActiveOrderAdd> &adds);
    Result<Order> setQuantity(const OrderTarget &target, int lineNo, int quantity,
                              const QString &requestId);
    // Raises or lowers a line's quantity by delta (a delta, so +1 from two windows gives +2).
    Result<Order> adjustQuantity(const OrderTarget &target, int lineNo, int delta,
                                 const QString &requestId);
    Result<Order> removeLine(const OrderTarget &target, int lineNo, const QString &requestId);
    // Replaces every line; only if the order is still at the version the editor saw. By cashier
    // on PostgreSQL on the server side this is one round trip (a server-side function,
    // resources/sql/postgres/009_replace_items_function.sql).
    Result<Order> replaceLines(const OrderTarget &target, const QList<ItemSpec> &items,
                               int expectedVersion, const QString &requestId);
    struct ActiveOrderReplace
    {
        QString cashierId;
        QList<ItemSpec> items;
        int expectedVersion = 0;
        QString requestId;
    };
    // replaceLines() by cashier for each, in order, with one result each. On PostgreSQL on the
    // server side they reach the database as one statement: one round trip for all of them.
    QList<Result<Order>> replaceActiveOrdersLines(const QList<ActiveOrderReplace> &replaces);

    // active -> pending_logout; the order is kept for the cashier's return.
    Result<Order> logOut(const OrderTarget &target, const QString &requestId);
    // Pays the whole balance due (one tender, or the last of a split tender): active -> completed,
    // for the version on screen when expectedVersion is set. The one-tender shortcut of pay().
    Result<Order> complete(const OrderTarget &target, const PaymentRequest &payment,
                           std::optional<int> expectedVersion, const QString &requestId);
    // One tender of a split tender (model/Tender.h): a payment fact of part (or all) of the
    // balance due. The payment that brings the balance to zero completes the order in the same
    // transaction and gets the receipt number. Once money was taken, the items and discounts are
    // locked (edits answer InvalidState); the order stays open, visibly, with its balance.
    Result<Order> pay(const OrderTarget &target, const PaymentRequest &payment,
                      std::optional<int> expectedVersion, const QString &requestId);

    // Discounts and price overrides (issue 14), order edits like any other: conditional on the
    // version on screen when given, idempotent, in the history and synced. A line is named by its
    // id or its number. DiscountKind::None removes a discount. `discount.byCashierId` (and
    // `byCashierId`) is who gave it, recorded with it.
    // Roles (issue 15, model/Approvals): a discount above the shop's cashier-discount-limit and
    // every price override need a manager: the one who gives it, or a manager approving on the
    // spot (`approver`, whose PIN is checked before the transaction and counted when wrong).
    // Without one the answer is Forbidden and nothing changes; the approver is recorded in the
    // order's history (approved_by) next to the one who gave it. Removing a discount needs no one.
    Result<Order> discountLine(const OrderTarget &target, const QString &line,
                               const Discount &discount, std::optional<int> expectedVersion,
                               const QString &requestId,
                               const std::optional<Approver> &approver = std::nullopt);
    Result<Order> discountOrder(const OrderTarget &target, const Discount &discount,
                                std::optional<int> expectedVersion, const QString &requestId,
                                const std::optional<Approver> &approver = std::nullopt);
    Result<Order> overridePrice(const OrderTarget &target, const QString &line,
                                Cents unitPriceCents, const QString &reason,
                                const QString &byCashierId, std::optional<int> expectedVersion,
                                const QString &requestId,
                                const std::optional<Approver> &approver = std::nullopt);
    // active -> assigned to the open tab of that name, creating it if there is none.
    Result<Order> assignToTab(const OrderTarget &target, const QString &tabName,
                              std::optional<int> expectedVersion, const QString &requestId);

    Result<Order> order(const QString &orderId);
    Result<Order> openOrderOf(const QString &cashierId);
    Result<QList<HistoryEntry>> history(const QString &orderId);

private:
    template<typename Perform>
    Result<Order> journaled(const QString &action, const QString &requestId,
                            const QJsonObject &parameters, Perform &&perform);
    Result<QString> resolve(const OrderTarget &target);
    // Why the conditional update on the order the target resolved to changed nothing.
    Result<Order> refusal(const OrderTarget &target, const QString &orderId,
                          std::optional<int> expectedVersion);
    Result<Order> openOrResumeInTransaction(const QString &cashierId,
                                            const QString &historyRequestId,
                                            const QString &outboxRequestId);
    std::optional<int> bump(const QString &orderId, std::optional<int> expectedVersion);
    Result<Order> finish(const QString &action, const QString &requestId, const QString &orderId,
                         std::optional<OrderStatus> from, std::optional<int> fromVersion,
                         const QString &detail, QJsonObject payload,
                         const QString &outboxRequestId = {});
    // Whether item adds run as the server-side function (resources/sql/postgres/005_*.sql).
    bool addsInDatabase() const;
    QList<Result<Order>> addToActiveOrdersInDatabase(const QList<ActiveOrderAdd> &adds);
    QList<Result<Order>> replaceInDatabase(const QList<ActiveOrderReplace> &replaces);
    // What one row of safetill_add_items() means for its add.
    Result<Order> addOutcome(const ActiveOrderAdd &add, const QString &outcome,
                             const QString &orderId, const QString &detail,
                             const QByteArray &result);
    Result<Order> lineEdit(const OrderTarget &target, const QString &action,
                           const QString &requestId, QJsonObject parameters,
                           const std::function<Result<QString>(const QString &orderId)> &edit,
                           std::optional<int> expectedVersion = std::nullopt);
    // complete() and pay(): the action's name and fingerprinted parameters differ.
    Result<Order> payInTransaction(const QString &action, const OrderTarget &target,
                                   const PaymentRequest &payment,
                                   std::optional<int> expectedVersion, const QString &requestId,
                                   const QJsonObject &parameters);

    // The line's id and quantity by its number on the order. Numbers are never reused, so a
    // number from a stale screen finds the line that screen showed, or none.
    std::optional<std::pair<QString, int>> lineByNumber(const QString &orderId, int lineNo);
    // What the running action did to lines, for its outbox row (protocol 2).
    void noteAdd(const OrderLine &line);
    void noteAdjust(const QString &lineId, int delta);
    void noteRemove(const QString &lineId);
    void noteChange(QJsonObject change) { m_changes.append(change); }
    // Who may do `what` before the transaction: the actor when a manager, or the actor with a
    // manager approving on the spot (their PIN checked here: the hash is slow). nullopt: a
    // cashier without an approver, or an actor not found (the edit itself answers for those).
    // Who allows a discount: a manager (or an approver) allows any; a cashier alone gets the
    // shop's limit in *limit (percent) and nothing as the authorization.
    Result<std::optional<Authorization>> discountAllowance(const Discount &discount,
                                                           const std::optional<Approver> &approver,
                                                           int *limit);
    Result<std::optional<Authorization>> approval(const QString &actorId, Permission what,
                                                  const std::optional<Approver> &approver);
    // Records the approver (if any) of the running action in its history entry and its change.
    void noteApproval(const std::optional<Authorization> &allowed, QJsonObject &change,
                      QString &detail);

    Database &m_db;
    const Clock &m_clock;
    OrderStore m_store;
    ActionJournal m_journal;
    QJsonArray m_changes;
    CashierService m_cashiers;
    Approvals m_approvals;
    QString m_approvedBy; // the running action's approver, for its history entry
};

} // namespace SafeTill
