#pragma once

#include "Retention.h"
#include "SyncStore.h"
#include "SyncTransport.h"

#include <QString>
#include <QStringList>

#include <atomic>
#include <functional>

namespace SafeTill {

class Database;

// How hard one sync run tries before it reports the server unreachable.
struct SyncPolicy
{
    int maxAttemptsPerRequest = 6; // per HTTP request within one run
    int firstBackoffMs = 200;      // doubled per attempt, with jitter, capped:
    int maxBackoffMs = 5000;
    int maxRetryAfterMs = 30000; // a server's Retry-After is honoured up to this
    int maxOpsPerBatch = 500;    // docs/sync-protocol.md section 7
    qint64 maxBodyBytes = 1024 * 1024;
    // After a successful push, sent ops and stored results older than this are pruned
    // (model/Retention.h), in bounded chunks.
    int retentionDays = RetentionPolicy::defaultDays;
};

// What one run did, for the CLI's exit status and the status bar.
struct SyncRunReport
{
    enum class Status {
        Done,       // pulled and pushed everything that could be pushed
        Offline,    // the server did not answer usefully after every retry
        Refused,    // configuration trouble: token, certificate, no sync on the server
        LocalError, // the terminal's database failed
        Stopped,    // asked to stop
    };
    Status status = Status::Done;
    QString error; // for anything but Done: what went wrong, in words
    bool pulled = false;
    int sent = 0;
    int conflicts = 0;
    int rejected = 0;
    int requests = 0;
    int retries = 0;
    QStringList messages; // conflicts and rejections, for the cashier
    qint64 pendingAfter = 0;
    qint64 failedAfter = 0;
    qint64 pruned = 0; // outbox rows and stored results deleted by retention after the push

    bool outboxEmpty() const { return pendingAfter == 0 && failedAfter == 0; }
};

// One sync run: pull the cashiers and catalog, then push the outbox in bounded batches, each op
// with its request id as the idempotency key, until nothing sendable is left. Transient trouble
// (timeouts, refused or reset connections, 408, 429, 5xx, unreadable answers) is retried with
// capped exponential backoff and jitter — always the same ops with the same request ids, which the
// server applies once. A permanent refusal of one op marks it failed and keeps it; the rest go on.
// Blocking: runs on a thread of its own (the sync worker, the CLI).
class SyncEngine
{
public:
    SyncEngine(Database &database, SyncTransport &transport, QString serverUrl,
               SyncPolicy policy = {}, const std::atomic<bool> *stop = nullptr);

    SyncRunReport run();

    static QByteArray pushBody(const QList<OutboxOp> &ops, qint64 maxBytes, int *taken);
    // Section 5.3's answer for exactly these ops, or nullopt and *error.
    static std::optional<QList<PushOutcome>>
    parsePushAnswer(const QByteArray &body, const QList<OutboxOp> &ops, QString *error);

private:
    struct Step
    {
        enum class Kind { Done, Retry, Fail };
        Kind kind = Kind::Done;
        QString reason;
        int retryAfterMs = -1;
        SyncRunReport::Status failStatus = SyncRunReport::Status::Refused;
    };
    // Runs attempt() until it is Done or Fail, retrying Retry with backoff; false (and the report
    // filled in) when the run must end.
    bool withRetries(const std::function<Step()> &attempt, SyncRunReport &report);
    // Status codes every endpoint shares; nullopt for the ones the caller handles itself.
    static std::optional<Step> commonStep(const HttpExchange &exchange);
    bool pull(SyncRunReport &report);
    bool push(SyncRunReport &report);
    bool sleepUnlessStopped(int ms);
    bool stopping() const { return m_stop && m_stop->load(); }
    void finish(SyncRunReport &report);
    void prune(SyncRunReport &report);

    Database &m_db;
    SyncTransport &m_transport;
    SyncStore m_store;
    QString m_serverUrl;
    SyncPolicy m_policy;
    const std::atomic<bool> *m_stop;
};

} // namespace SafeTill
