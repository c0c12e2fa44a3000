#pragma once

#include "Clock.h"
#include "Result.h"
#include "Types.h"

#include <QByteArray>
#include <QDateTime>
#include <QJsonArray>
#include <QJsonObject>
#include <QList>
#include <QLoggingCategory>
#include <QString>
#include <QStringList>

#include <optional>

Q_DECLARE_LOGGING_CATEGORY(lcSync)

namespace SafeTill {

class Database;

// One outbox row, as it goes on the wire (docs/sync-protocol.md section 5).
struct OutboxOp
{
    qint64 seq = 0;
    QString requestId;
    QString op;
    QString orderId; // empty when null
    QString tabId;   // empty when null
    QString createdAt;
    QByteArray payload; // the stored JSON object text
};

// The server's answer for one op (section 5.3), already checked for shape.
struct PushOutcome
{
    // Deferred (protocol 4): not applied yet, the op stays pending and goes again (a refund of
    // a sale the server does not have yet).
    enum class Kind { Applied, Replayed, Conflict, Rejected, Deferred };
    Kind kind = Kind::Rejected;
    QString code;
    QString message;
    // The server's state of the order (empty when null): on a conflict, and on an applied op
    // whose result the server merged with changes made elsewhere (protocol 2).
    QJsonObject serverOrder;
    QJsonArray reviewItems; // applied: cases the server put on its review list
    QJsonObject serverTab;  // conflict on settle_tab
};

// An op that needs a person's attention: rejected, or a conflict the server won.
struct SyncProblem
{
    qint64 seq = 0;
    QString op;
    QString orderId;
    QString kind; // rejected | conflict
    QString code;
    QString message;
};

// What the status bar and `sync --status` show.
struct SyncCounts
{
    qint64 pending = 0;
    qint64 failed = 0;
    QDateTime lastSuccess; // invalid: never
    QString lastError;
    QString serverUrl;           // set once the terminal has pulled from a server
    QStringList messages;        // unacknowledged conflict messages, newest first
    QList<SyncProblem> problems; // the newest failed ops, newest first
};

// The terminal database's side of sync: reads outbox batches, records the server's answers, takes
// the server's state on a conflict, stores a pull — each step one local write transaction, on the
// sync thread's own connection. Not thread-safe: one per thread.
class SyncStore
{
public:
    struct Recorded
    {
        int sent = 0;
        int conflicts = 0;
        int rejected = 0;
        QStringList messages; // for the cashier: conflicts and rejections, in words
        int deferred = 0;     // kept pending (protocol 4 "deferred")
    };

    explicit SyncStore(Database &database, const Clock &clock = Clock::system());

    // Pending rows in seq order, skipping orders blocked by an earlier rejected op.
    Result<QList<OutboxOp>> pendingOps(int maxOps);
    // Marks pending rows of orders blocked by a rejected op as failed (earlier_op_rejected).
    Result<int> failBlockedOps();
    // Applies the server's answers for ops (same order, same length): sent, failed (rejected), or
    // conflict — the server's order replaces the local copy and the cashier gets a message.
    Result<Recorded> record(const QList<OutboxOp> &ops, const QList<PushOutcome> &outcomes);
    // A permanent failure of one op that the server would not even look at (e.g. refused batch).
    Result<Recorded> failOp(const OutboxOp &op, const QString &code, const QString &message);

    // Stores a pull snapshot (cashiers with PIN hashes, catalog, receipt prefix) in one
    // transaction; InvalidInput (nothing changed) when the snapshot is malformed.
    Result<int> applyPull(const QJsonObject &snapshot, const QString &serverUrl,
                          const QByteArray &etag);
    Result<QByteArray> pullEtag(const QString &serverUrl);
    Result<int> noteSuccess();
    Result<int> noteError(const QString &error);
    Result<SyncCounts> counts();
    Result<int> acknowledgeMessages();

    // True once the terminal has pulled from a server: cashiers and catalog are then the server's.
    static bool isSyncedTerminal(Database &database, QString *serverUrl = nullptr);
    // The sentence a refused local cashier/catalog edit shows.
    static QString serverIsSourceOfTruthMessage(const QString &serverUrl);

private:
    void recordOne(const OutboxOp &op, const PushOutcome &outcome, Recorded &recorded);
    void markFailed(const OutboxOp &op, const QString &kind, const QString &code,
                    const QString &message);
    void markLaterOpsOfOrder(const OutboxOp &op, const QString &kind, const QString &code,
                             const QString &message);
    // Takes the server's state of an open local order (its lines merged with edits made
    // elsewhere, or closed on the server). Never touches a payment taken here: payments are only
    // added. Returns what the cashier is told, or nothing when there was nothing to take.
    QString takeServerOrder(const OutboxOp &op, const QJsonObject &serverOrder);
    void keepReviewItems(const QJsonArray &items);
    // Puts an op the server did not apply on the review list, with the payment it holds back.
    void reviewOp(const OutboxOp &op, const QString &kind, const QString &code,
                  const QString &message);
    void addMessage(const QString &orderId, const QString &message);
    QString now() const;

    Database &m_db;
    const Clock &m_clock;
    QStringList m_replacedInThisRecord;
};

} // namespace SafeTill
