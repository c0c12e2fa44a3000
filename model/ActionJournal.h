#pragma once

#include "Json.h"
#include "Result.h"
#include "Types.h"

#include <QJsonObject>

#include <functional>
#include <optional>

namespace SafeTill {

class Clock;
class Database;

// Which end of sync the actions run at. A terminal's actions each leave an outbox row, sent to the
// server later; the central server is where sync ends, so its actions leave none (no one would
// ever send or delete them).
enum class SyncSide { Terminal, Server };

// What an order action leaves behind besides its change, written in the same transaction:
// the stored result under its request id (idempotent replay), an outbox row for sync, and the
// order's append-only history.
class ActionJournal
{
public:
    ActionJournal(Database &database, const Clock &clock, SyncSide side = SyncSide::Terminal)
        : m_db(database)
        , m_clock(clock)
        , m_side(side)
    {}

    SyncSide side() const { return m_side; }

    struct StoredResult
    {
        QString action;
        QString fingerprint;
        QJsonObject result;
    };

    // Identifies the intent: the same request id must come with the same action and parameters.
    static QString fingerprint(const QString &action, const QJsonObject &parameters);
    // The same for parameters already written as the compact JSON toCompactJson() writes for
    // them (keys sorted): the hot paths write it directly instead of building a QJsonObject.
    static QString fingerprintOfCompact(const QString &action, QByteArrayView compactParameters);

    std::optional<StoredResult> find(const QString &requestId);
    void storeResult(const QString &requestId, const QString &action, const QString &fingerprint,
                     const QJsonObject &result);
    // The same with the result already written as compact JSON (JsonCodec<T>::encodeCompact).
    void storeResult(const QString &requestId, const QString &action, const QString &fingerprint,
                     const QByteArray &compactResult);
    // Does nothing on the server side (see SyncSide).
    void appendOutbox(const QString &requestId, const QString &op, const QString &orderId,
                      const QString &tabId, const QJsonObject &payload);
    // The same with the member "order" of the payload given as compact JSON (toCompactSyncJson):
    // the op is written as if `payload` held it, without building it as a QJsonObject.
    void appendOutbox(const QString &requestId, const QString &op, const QString &orderId,
                      const QString &tabId, const QJsonObject &payload,
                      const QByteArray &orderState);
    void appendHistory(const HistoryEntry &entry);

    // Many rows at once, up to rowsPerStatement per INSERT (the server applying a pushed batch):
    // the same rows as appendHistory() and storeResult(), a fraction of the round trips.
    static constexpr qsizetype rowsPerStatement = 100;
    struct ResultRow
    {
        QString requestId;
        QString action;
        QString fingerprint;
        QString result; // compact JSON
    };
    void appendHistory(const QList<HistoryEntry> &entries);
    void storeResults(const QList<ResultRow> &rows);

    static QString reusedRequestIdMessage(const QString &requestId, const QString &action);

    // Runs one journaled action inside the caller's write transaction: replays a stored result for
    // a known request id, refuses a request id reused for something else, and otherwise runs
    // perform() and stores its successful result.
    template<typename T, typename Perform>
    Result<T> run(const QString &action, const QString &requestId, const QJsonObject &parameters,
                  Perform &&perform)
    {
        const QString print = fingerprint(action, parameters);
        if (const std::optional<StoredResult> stored = find(requestId)) {
            if (stored->action != action || stored->fingerprint != print)
                return Result<T>::invalidInput(reusedRequestIdMessage(requestId, stored->action));
            if (std::optional<T> value = JsonCodec<T>::decode(stored->result))
                return Result<T>::replay(std::move(*value));
            return Result<T>::failure(Outcome::Error,
                                      QStringLiteral("The stored result of this request is "
                                                     "unreadable; nothing was changed."));
        }
        Result<T> result = perform();
        if (result.isOk()) {
            // Written straight to compact JSON where the type has that (orders, the hot path).
            if constexpr (requires { JsonCodec<T>::encodeCompact(*result); })
                storeResult(requestId, action, print, JsonCodec<T>::encodeCompact(*result));
            else
                storeResult(requestId, action, print, JsonCodec<T>::encode(*result));
        } else if (find(requestId))
            throwConcurrentTwin(requestId);
        return result;
    }

private:
    // INSERT INTO `into` VALUES (...), (...): count rows of `columns` values each, filled by
    // row(values, i), up to rowsPerStatement rows per statement.
    void insertRows(const QString &into, int columns, qsizetype count,
                    const std::function<void(QVariantList &, qsizetype)> &row);

    // A request with this id committed while this one waited for a row lock (PostgreSQL, READ
    // COMMITTED: each statement sees the latest commits), so this one was refused by the change
    // its twin made. Run serially it would have replayed the twin's result; so it does: the
    // failure is a serialization failure, which Database::write() rolls back and retries, and the
    // retry finds the stored result. (On SQLite transactions are serialised and this never fires.)
    [[noreturn]] static void throwConcurrentTwin(const QString &requestId);

    Database &m_db;
    const Clock &m_clock;
    SyncSide m_side;

    void insertOutbox(const QString &requestId, const QString &op, const QString &orderId,
                      const QString &tabId, const QByteArray &compactPayload);
};

} // namespace SafeTill
