#pragma once

#include "ActionJournal.h"
#include "Clock.h"
#include "OrderStore.h"
#include "Result.h"
#include "ReviewStore.h"
#include "Types.h"

#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QSet>
#include <QString>

#include <optional>
#include <utility>

namespace SafeTill {

class Database;

// The terminal that pushed a batch (a row of the server's devices table).
struct SyncDevice
{
    QString id;
    QString name;
};

// One op of a push: one outbox row of a terminal, as docs/sync-protocol.md section 5 describes.
struct SyncOp
{
    QString requestId;
    qint64 seq = 0;
    QString op;
    QString orderId;   // empty when null
    QString tabId;     // empty when null
    QString createdAt; // storage time text, validated
    QJsonObject payload;
};

// A push body that passed the structural rules, or why it did not.
struct SyncBatch
{
    enum class Problem { None, MalformedJson, InvalidBatch, UnsupportedProtocol, TooManyOps };

    QList<SyncOp> ops;
    Problem problem = Problem::None;
    QString message;
    int opIndex = -1; // the first offending op for InvalidBatch, else -1

    // Protocol 3 (issue 14) adds optional members and ops (split tender, discounts, price
    // overrides); a protocol 2 push means the same in 3, so both are accepted, and the answer
    // carries the push's number. The pull did not change: it still says 2.
    // Protocol 4: refunds; 5 (issue 15): shifts, cash movements and Z reports.
    static constexpr int protocolVersion = 5;
    static constexpr int oldestProtocol = 2;
    static constexpr int pullProtocol = 2;
    int protocol = 0; // the push's
    static constexpr int maxOps = 500;
    static constexpr qsizetype maxBodyBytes = 1024 * 1024;

    // Parses and checks a push body (section 5's table); never throws.
    static SyncBatch parse(const QByteArray &body);
};

// The answer for one op (section 5.3).
struct SyncOpResult
{
    // Deferred (protocol 4): not applied now, nothing written; the till keeps the op pending and
    // sends it again (a refund of a sale the server does not have yet).
    enum class Kind { Applied, Replayed, Conflict, Rejected, Deferred };

    QString requestId;
    Kind kind = Kind::Rejected;
    int version = 0; // Applied / Replayed
    QString code;    // Conflict / Rejected
    QString message;
    // Conflict: the server's state of the order (order ops) or tab (settle_tab), if it has one.
    // Applied: the server's order when it differs from the op's state (edits merged from
    // elsewhere), for the till to show.
    std::optional<Order> serverOrder;
    // Applied: cases this op opened on the server's review list (the till keeps a copy).
    QList<ReviewItem> reviewItems;
    std::optional<Tab> serverTab;
    bool isTabOp = false;

    QJsonObject toJson() const;
};

// Applies a batch of terminal ops on the server's database: the whole batch in ONE write
// transaction (one durable commit), each op in its own SAVEPOINT, so a conflicting or rejected op
// rolls back only its own work. Each applied op's idempotency record (keyed by device and request
// id) commits with its change, so a retried or concurrently repeated op is answered "replayed" and
// applied exactly once. Ops are state-based: an order op replaces the server's copy of the order
// with the op's state, only if that copy is still at the op's base version (or absent for a new
// order). Not thread-safe: one instance per thread, on that thread's Database.
class SyncApplier
{
public:
    explicit SyncApplier(Database &database, const Clock &clock = Clock::system());

    // One result per op, in order; Busy or Error when nothing of the batch could be committed.
    // InvalidState (nothing committed) for a protocol 2 push one of whose orders carries on the
    // server what protocol 2 cannot represent (a discount, a price override, split or "other"
    // tender): the till must be updated (docs/sync-protocol.md, section 1).
    Result<QList<SyncOpResult>> apply(const SyncDevice &device, const QList<SyncOp> &ops,
                                      int protocol = SyncBatch::protocolVersion);

private:
    // One run of the batch in the open transaction. On PostgreSQL an op whose statement a
    // constraint refused aborts the transaction: *restartAt is set to its index and the run stops
    // there (its results are meaningless, nothing of it may be committed).
    QList<SyncOpResult> applyAll(const SyncDevice &device, const QList<SyncOp> &ops,
                                 const QSet<int> &poisoned, std::optional<int> *restartAt);
    SyncOpResult applyOne(const SyncDevice &device, const SyncOp &op, const QString &key);
    SyncOpResult applyOrderOp(const SyncDevice &device, const SyncOp &op, const QString &key);
    SyncOpResult applySettlement(const SyncDevice &device, const SyncOp &op, const QString &key);
    // pay_tab (protocol 3): a payment on an open tab that leaves a balance.
    SyncOpResult applyTabPayment(const SyncDevice &device, const SyncOp &op, const QString &key);
    // A till's refund (protocol 4, docs/sync-protocol.md 5.5): booked as the till booked it, each
    // line's units taken by the conditional update; a line with fewer units left (the race lost
    // to another till or the server) is booked as excess with an over_refunded review item.
    SyncOpResult applyRefund(const SyncDevice &device, const SyncOp &op, const QString &key);
    // A till's shift_open, cash_movement or shift_close (protocol 5, docs/sync-protocol.md 5.6),
    // stored through model/ShiftStore under the till's ids at the device: a re-sent op that
    // matches what is stored is applied without a change, a conflicting one rejected.
    SyncOpResult applyShiftOp(const SyncDevice &device, const SyncOp &op);
    // A payment fact booked for the device: in the till's shift when it names one the device
    // has here (made if the payment opened it), else in none.
    void bookPayment(const SyncDevice &device, Payment fact);
    // A payment the server's copy cannot take (the order or tab was paid meanwhile): booked as an
    // overpayment, with a paid_twice review item, which is returned.
    ReviewItem bookOverpayment(const SyncDevice &device, Payment fact, const QString &what,
                               const QString &why);
    bool paymentHeld(const QString &paymentId);
    // A conditional update matched nothing: either a twin of this very op committed meanwhile
    // (another push of the same batch, PostgreSQL) — then it is a replay — or a real conflict.
    std::optional<SyncOpResult> twinCommitted(const SyncOp &op, const QString &key);
    // Whether op, if it is not applied, certainly wrote nothing (so it needs no savepoint).
    bool writesAtMostOnceLast(const SyncOp &op);
    // The answer to an op applied before: what its stored result says, and the order as it is.
    SyncOpResult replayOf(const SyncOp &op, const QJsonObject &stored);
    bool receiptTaken(const QString &receiptNo, const QString &orderId, const QString &tabId);
    QString forUpdate() const;
    void ensureTab(const SyncDevice &device, const QString &tabId, const QString &tabName,
                   const QString &createdAt);

    // The idempotency records of this batch's ops that exist already, looked up in a few
    // queries rather than one per op.
    void loadStoredResults(const QStringList &keys);
    void writeJournal();

    Database &m_db;
    const Clock &m_clock;
    int m_protocol = SyncBatch::protocolVersion; // the push's
    OrderStore m_store;
    ActionJournal m_journal;
    ReviewStore m_reviews;

    // What the batch's transaction knows, so an order's second op in a batch costs no reads.
    // An order this transaction changed stays as it left it until the commit: it holds the row
    // (PostgreSQL's row lock, SQLite's write lock). Reset for every run of a batch.
    struct KnownOrder
    {
        QString cashierId;
        OrderStatus status = OrderStatus::Active;
        int version = 0;
        QString tabId;
        QString receiptNo;
        QString terminalId;
        QList<OrderLine> lines;
        bool linesKnown = false;
        int lineSeq = 0;   // the highest line number the server's copy ever had
        Discount discount; // the order discount (read with the lines)
    };
    QHash<QString, ActionJournal::StoredResult> m_stored;
    QSet<QString> m_knownCashiers;
    QHash<QString, KnownOrder> m_knownOrders;
    // Set by the op being applied; taken into m_knownOrders once its savepoint is released.
    std::optional<std::pair<QString, KnownOrder>> m_changedOrder;
    QStringList m_settledOrders;
    QSet<QString> m_replayedOrders; // orders whose copy a replay in this batch already carried
    // An applied op's new order state is written once per order and batch, not once per op (a
    // round trip each on PostgreSQL): kept here in the order of the last change, written before
    // anything reads order_sessions from the database, and at the end of the batch.
    // m_opState: the state the op being applied sets; m_flushedInOp: states written inside its
    // savepoint (due again if it rolls back).
    QHash<QString, OrderStore::State> m_pendingStates;
    QStringList m_pendingOrder;
    std::optional<std::pair<QString, OrderStore::State>> m_opState;
    QList<std::pair<QString, OrderStore::State>> m_flushedInOp;
    void flushStates();
    void keepOpState();
    void restoreFlushedInOp();
    std::optional<Order> loadOrder(const QString &orderId);
    // Protocol 2 pushes: why the server's copy of one of the ops' orders (as the batch leaves
    // it; ops not rejected) cannot be shown by a version 2 till; empty when every one can (or
    // protocol >= 3).
    QString unrepresentableForProtocol2(const QList<SyncOp> &ops,
                                        const QList<SyncOpResult> &results);
    std::optional<Tab> loadTab(const QString &tabId);
    // The journal of the batch's applied ops, written by writeJournal() at the end of the batch
    // (m_opHistory: the op being applied, kept only if it is).
    QList<ActionJournal::ResultRow> m_results;
    QList<HistoryEntry> m_history;
    QList<HistoryEntry> m_opHistory;
};

} // namespace SafeTill
