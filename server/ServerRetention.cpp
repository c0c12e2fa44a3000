#include "ServerRetention.h"

#include "Database.h"
#include "Retention.h"

#include <QCoreApplication>

namespace SafeTill {

QString ServerRetentionPolicy::checkDays(qint64 days)
{
    if (days >= minimumIdempotencyDays && days <= maximumIdempotencyDays)
        return {};
    return QCoreApplication::translate(
               "ServerRetention",
               "--days (how long stored request results are kept) is from %1 to %2 days.")
        .arg(minimumIdempotencyDays)
        .arg(maximumIdempotencyDays);
}

Result<ServerPruneReport> pruneServer(Database &database, const ServerRetentionPolicy &policy,
                                      const Clock &clock)
{
    if (const QString problem = ServerRetentionPolicy::checkDays(policy.idempotencyDays);
        !problem.isEmpty())
        return Result<ServerPruneReport>::invalidInput(problem);
    ServerPruneReport report;
    RetentionPolicy results;
    results.days = policy.idempotencyDays;
    results.chunkRows = policy.chunkRows;
    results.maxChunks = policy.maxChunks;
    // On a server the outbox is empty (sync ends there); only the stored results are pruned.
    const Result<PruneReport> pruned = Retention(database, clock).prune(results);
    if (!pruned)
        return Result<ServerPruneReport>::from(pruned);
    report.idempotencyDeleted = pruned->idempotencyDeleted;
    report.transactions += pruned->transactions;
    report.complete = pruned->complete;
    const Result<AuthStore::PruneCounts> expired =
        AuthStore(database, clock)
            .pruneExpired(policy.throttle, policy.chunkRows, policy.maxChunks);
    if (!expired)
        return Result<ServerPruneReport>::from(expired);
    report.tokensDeleted = expired->tokens;
    report.throttleDeleted = expired->throttle;
    report.transactions += expired->transactions;
    report.complete = report.complete && expired->complete;
    return Result<ServerPruneReport>::ok(report);
}

} // namespace SafeTill
