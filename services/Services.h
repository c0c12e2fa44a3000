#pragma once

#include "ActionJournal.h"
#include "Approvals.h"
#include "CashierService.h"
#include "CatalogService.h"
#include "Clock.h"
#include "Database.h"
#include "OrderService.h"
#include "PrintStore.h"
#include "ReceiptSearch.h"
#include "RefundService.h"
#include "Result.h"
#include "Retention.h"
#include "ReviewStore.h"
#include "ShiftService.h"
#include "TabService.h"
#include "Verifier.h"

#include <memory>

namespace SafeTill {

// The one place the model services are put together: the till's worker thread, the CLI and each
// of the server's connections get theirs from here, all on one connection, one clock and one end
// of sync (a terminal's actions leave outbox rows, the server's none). Like the services it holds,
// one instance per thread, used on that thread only.
class Services
{
public:
    // Opens a connection of its own (the till's worker thread, the CLI, the server's admin
    // commands). Outcome::Error with the reason when the database cannot be opened;
    // Outcome::InvalidState when it answers but a newer SafeTill migrated it (*failure, when
    // given, then has both schema versions).
    static Result<std::unique_ptr<Services>> open(const DatabaseOptions &options,
                                                  SyncSide side = SyncSide::Terminal,
                                                  const Clock &clock = Clock::system(),
                                                  Database::OpenFailure *failure = nullptr);
    // On a connection the caller owns and keeps open for this object's life (the server's
    // connection per thread).
    Services(Database &database, SyncSide side, const Clock &clock = Clock::system());
    ~Services();
    Services(const Services &) = delete;
    Services &operator=(const Services &) = delete;

    Database &database() { return m_db; }
    SyncSide side() const { return m_side; }
    const Clock &clock() const { return m_clock; }

    OrderService &orders() { return m_orders; }
    TabService &tabs() { return m_tabs; }
    CashierService &cashiers() { return m_cashiers; }
    // The roles, enforced: who may do what needs a manager (model/Approvals.h).
    Approvals &approvals() { return m_approvals; }
    // Refunds and voids of past sales.
    RefundService &refunds() { return m_refunds; }
    CatalogService &catalog() { return m_catalog; }
    ReviewStore &reviews() { return m_reviews; }
    // The receipts list and the record of reprints (GUI, CLI and server alike).
    ReceiptSearch &receipts() { return m_receipts; }
    Verifier &verifier() { return m_verifier; }
    Retention &retention() { return m_retention; }
    // Shifts, pay-ins and pay-outs, no-sales, X and Z reports of this till (issue 15).
    ShiftService &shifts() { return m_shifts; }
    // The printed state of receipts: exactly-once printing of originals (issue 16).
    PrintStore &prints() { return m_prints; }

private:
    Services(std::unique_ptr<Database> owned, SyncSide side, const Clock &clock);

    std::unique_ptr<Database> m_owned; // null when borrowed; declared first, destroyed last
    Database &m_db;
    const Clock &m_clock;
    SyncSide m_side;
    OrderService m_orders;
    TabService m_tabs;
    CashierService m_cashiers;
    Approvals m_approvals;
    RefundService m_refunds;
    CatalogService m_catalog;
    ReviewStore m_reviews;
    ReceiptSearch m_receipts;
    Verifier m_verifier;
    Retention m_retention;
    ShiftService m_shifts;
    PrintStore m_prints;
};

} // namespace SafeTill
