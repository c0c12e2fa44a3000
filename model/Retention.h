#pragma once

#include "Clock.h"
#include "Result.h"

#include <QDateTime>
#include <QString>

class QSettings;

namespace SafeTill {

class Database;

// How long a terminal keeps what it only needs for retries: outbox rows the server has
// acknowledged (state 'sent') and stored idempotency results. Both are written by every sale
// (about 3 KB); without pruning the file grows for as long as the till is in use.
struct RetentionPolicy
{
    static constexpr int defaultDays = 30; // far longer than any retry or replay takes
    static constexpr int minimumDays = 1;
    static constexpr int maximumDays = 3650;

    int days = defaultDays;
    // Rows deleted per write transaction: each chunk is one short transaction, so the write lock
    // is never held for long and a till keeps selling while a large backlog is pruned.
    int chunkRows = 500;
    // Chunks per table per prune() call; what is left waits for the next call. 0: no bound
    // (the CLI's on-demand prune).
    int maxChunks = 20;

    // The QSettings key of the period, in days, next to the app's other settings.
    static QString settingsKey();
    // The period from the settings: defaultDays when unset, unreadable or out of range.
    static int daysFromSettings(const QSettings &settings);
    // Why a period cannot be used, in words; empty when it can.
    static QString checkDays(qint64 days);
};

struct PruneReport
{
    QDateTime cutoff;              // rows created before this were eligible
    qint64 outboxDeleted = 0;      // sent outbox rows deleted
    qint64 idempotencyDeleted = 0; // stored results deleted
    int transactions = 0;          // write transactions used
    bool complete = true;          // false: a chunk bound stopped it; call again for the rest
};

// Deletes sent outbox rows and idempotency records older than the retention period, in bounded
// chunks, each in its own write transaction. Never touches a pending or failed outbox row, nor one
// that has a recorded sync problem, nor anything younger than the period. Not thread-safe: one per
// thread, on that thread's Database.
class Retention
{
public:
    explicit Retention(Database &database, const Clock &clock = Clock::system())
        : m_db(database)
        , m_clock(clock)
    {}

    // InvalidInput (nothing deleted) for a period out of range; the first failed chunk's outcome
    // otherwise (what earlier chunks deleted stays deleted: each chunk stands on its own).
    Result<PruneReport> prune(const RetentionPolicy &policy = {});

private:
    Database &m_db;
    const Clock &m_clock;
};

} // namespace SafeTill
