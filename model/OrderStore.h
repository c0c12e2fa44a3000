#pragma once

#include "Result.h"
#include "Types.h"

#include <optional>

namespace SafeTill {

class Database;

// Reads orders and tabs the way every action and screen needs them (lines, cashier and tab names,
// payment), and explains why a conditional update changed no row. Throws SqlFailure like the query
// helpers; call it inside Database::write()/read().
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

private:
    QList<OrderLine> lines(const QString &orderId);
    std::optional<Payment> payment(const QString &column, const QString &id);

    Database &m_db;
};

// Receipt numbers for people: the terminal's prefix plus its own sequence, advanced inside the
// completing transaction (so a refused payment gives its number back) and unique by constraint.
QString allocateReceiptNumber(Database &database);

} // namespace SafeTill
