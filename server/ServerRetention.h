#pragma once

#include "AuthStore.h"
#include "Clock.h"
#include "Result.h"

namespace SafeTill {

class Database;

// What the central server keeps only for a while, and for how long (issue 13: these tables grew
// forever). Pruned by the running server on a timer (SafeTillServer::Options::pruneIntervalMs)
// and on demand by `safetill-server prune [--days N]`.
struct ServerRetentionPolicy
{
    // Stored idempotency results (REST Idempotency-Key and terminal sync ops): a repeat of a
    // request must find its first result for as long as any client may still send it. A REST
    // client retries within seconds; a till retries a pushed op until the server's answer comes
    // back, which after a lost answer may be at its next sync weeks later (a till stored away
    // over a holiday). 90 days by default, never below 7, so a typo cannot turn a retry of last
    // week into a second application. (A payment keeps its own id as well: even a retry after
    // the period never books money twice, docs/sync-protocol.md.)
    static constexpr int defaultIdempotencyDays = 90;
    static constexpr int minimumIdempotencyDays = 7;
    static constexpr int maximumIdempotencyDays = 3650;
    int idempotencyDays = defaultIdempotencyDays;
    // The throttle's window and locks (a counter is pruned once both are over).
    AuthStore::ThrottlePolicy throttle;
    // Each chunk is one short write transaction, so the server's writer is never held for long.
    int chunkRows = 500;
    // Chunks per table per call (0: no bound, the on-demand command). The timer's calls are
    // bounded; what is left waits for the next tick.
    int maxChunks = 20;

    // Why a period cannot be used, in words naming it; empty when it can.
    static QString checkDays(qint64 days);
};

struct ServerPruneReport
{
    qint64 idempotencyDeleted = 0;
    qint64 tokensDeleted = 0;
    qint64 throttleDeleted = 0;
    int transactions = 0;
    bool complete = true;
    qint64 total() const { return idempotencyDeleted + tokensDeleted + throttleDeleted; }
};

// Runs every table's rule once, on the calling thread's Database. The idempotency results are
// pruned by their owner (model/Retention), tokens and throttle counters by AuthStore.
Result<ServerPruneReport> pruneServer(Database &database, const ServerRetentionPolicy &policy,
                                      const Clock &clock = Clock::system());

} // namespace SafeTill
