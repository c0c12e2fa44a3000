#include "Services.h"

#include "Database.h"

namespace SafeTill {

Result<std::unique_ptr<Services>> Services::open(const DatabaseOptions &options, SyncSide side,
                                                 const Clock &clock, Database::OpenFailure *why)
{
    Database::OpenFailure failure;
    std::unique_ptr<Database> db = Database::open(options, &failure);
    if (why)
        *why = failure;
    if (!db) {
        return Result<std::unique_ptr<Services>>::failure(
            failure.newerSchema ? Outcome::InvalidState : Outcome::Error, failure.message);
    }
    return Result<std::unique_ptr<Services>>::ok(
        std::unique_ptr<Services>(new Services(std::move(db), side, clock)));
}

Services::Services(Database &database, SyncSide side, const Clock &clock)
    : m_db(database)
    , m_clock(clock)
    , m_side(side)
    , m_orders(database, clock, side)
    , m_tabs(database, clock, side)
    , m_cashiers(database, clock)
    , m_approvals(m_cashiers)
    , m_refunds(database, m_approvals, clock, side)
    , m_catalog(database, clock)
    , m_reviews(database, clock)
    , m_receipts(database, clock)
    , m_verifier(database)
    , m_retention(database, clock)
    , m_shifts(database, clock, m_cashiers, m_approvals, side)
    , m_prints(database, clock)
{}

Services::Services(std::unique_ptr<Database> owned, SyncSide side, const Clock &clock)
    : Services(*owned, side, clock)
{
    m_owned = std::move(owned);
}

Services::~Services() = default;

} // namespace SafeTill
