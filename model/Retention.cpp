#include "Retention.h"

#include "Database.h"

#include <QCoreApplication>
#include <QSettings>

using namespace Qt::StringLiterals;

namespace SafeTill {

namespace {

// Oldest first (the index on created_at), so a bounded chunk always removes the rows that have
// waited longest. A sent row with a recorded problem is kept: sync_op_problems refers to it.
const QString pruneOutboxSql =
    u"DELETE FROM outbox WHERE seq IN (SELECT seq FROM outbox WHERE state = 'sent' "
    "AND created_at < ? AND NOT EXISTS (SELECT 1 FROM sync_op_problems p WHERE p.seq = outbox.seq) "
    "ORDER BY created_at LIMIT ?)"_s;
const QString pruneIdempotencySql =
    u"DELETE FROM idempotency WHERE request_id IN (SELECT request_id FROM idempotency "
    "WHERE created_at < ? ORDER BY created_at LIMIT ?)"_s;

} // namespace

QString RetentionPolicy::settingsKey()
{
    return u"retention/days"_s;
}

int RetentionPolicy::daysFromSettings(const QSettings &settings)
{
    bool ok = false;
    const qint64 days = settings.value(settingsKey()).toLongLong(&ok);
    if (!ok || !checkDays(days).isEmpty())
        return defaultDays;
    return int(days);
}

QString RetentionPolicy::checkDays(qint64 days)
{
    if (days >= minimumDays && days <= maximumDays)
        return {};
    return QCoreApplication::translate("Retention",
                                       "The retention period must be from %1 to %2 days.")
        .arg(minimumDays)
        .arg(maximumDays);
}

Result<PruneReport> Retention::prune(const RetentionPolicy &policy)
{
    if (const QString problem = RetentionPolicy::checkDays(policy.days); !problem.isEmpty())
        return Result<PruneReport>::invalidInput(problem);
    const int chunkRows = qBound(1, policy.chunkRows, 100000);
    PruneReport report;
    report.cutoff = m_clock.now().addDays(-policy.days);
    const QString cutoff = toStorageTime(report.cutoff);

    const auto pruneTable = [&](const QString &sql, qint64 &deleted) -> Result<int> {
        for (int chunk = 0; policy.maxChunks <= 0 || chunk < policy.maxChunks; ++chunk) {
            const Result<int> removed = m_db.write([&] {
                return Result<int>::ok(m_db.change(sql, {cutoff, chunkRows}));
            });
            ++report.transactions;
            if (!removed)
                return removed;
            deleted += *removed;
            if (*removed < chunkRows)
                return Result<int>::ok(0);
        }
        report.complete = false;
        return Result<int>::ok(0);
    };
    if (const Result<int> done = pruneTable(pruneOutboxSql, report.outboxDeleted); !done)
        return Result<PruneReport>::from(done);
    if (const Result<int> done = pruneTable(pruneIdempotencySql, report.idempotencyDeleted); !done)
        return Result<PruneReport>::from(done);
    return Result<PruneReport>::ok(report);
}

} // namespace SafeTill
