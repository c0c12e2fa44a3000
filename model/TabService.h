#pragma once

#include "ActionJournal.h"
#include "Clock.h"
#include "OrderStore.h"
#include "Result.h"
#include "Types.h"

namespace SafeTill {

class Database;

// Tabs: named open bills that collect orders and are paid once. Orders get onto a tab through
// OrderService::assignToTab(); settling pays them all in one transaction, exactly once.
class TabService
{
public:
    explicit TabService(Database &database, const Clock &clock = Clock::system(),
                        SyncSide side = SyncSide::Terminal);

    Result<QList<Tab>> openTabs();
    // By id or by the name of an open tab.
    Result<Tab> tab(const QString &idOrName);
    // All of the tab's orders become completed and one payment covers them, for the tab version
    // the cashier saw when expectedVersion is set.
    // Pays the whole balance due (one tender, or the last of a split tender).
    Result<Tab> settle(const QString &idOrName, const PaymentRequest &payment,
                       std::optional<int> expectedVersion, const QString &requestId);
    // One tender of a split tender (model/Tender.h), like OrderService::pay(): the payment that
    // brings the balance to zero settles the tab and completes its orders in the same
    // transaction. The tab stays open with a smaller balance until then.
    Result<Tab> pay(const QString &idOrName, const PaymentRequest &payment,
                    std::optional<int> expectedVersion, const QString &requestId);

private:
    Result<Tab> payInTransaction(const QString &action, const QString &idOrName,
                                 const PaymentRequest &payment, std::optional<int> expectedVersion,
                                 const QString &requestId, const QJsonObject &parameters);

    Database &m_db;
    const Clock &m_clock;
    OrderStore m_store;
    ActionJournal m_journal;
};

} // namespace SafeTill
