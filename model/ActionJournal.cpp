#include "ActionJournal.h"

#include "Clock.h"
#include "Database.h"
#include "Digest.h"

#include <QCoreApplication>
#include <QJsonDocument>

using namespace Qt::StringLiterals;

namespace SafeTill {

namespace {

// The sentences a person reads, in the translations' context "SafeTill::ActionJournal".
struct Text
{
    Q_DECLARE_TR_FUNCTIONS(SafeTill::ActionJournal)
};

} // namespace

QString ActionJournal::fingerprint(const QString &action, const QJsonObject &parameters)
{
    // Compact JSON with the object keys sorted (QJsonDocument's bytes), so equal parameters give
    // equal bytes. SHA-256 by libsodium (sha256Hex; the server fingerprints every pushed op;
    // tests/tst_orderservice pins the value).
    return fingerprintOfCompact(action, toCompactJson(parameters));
}

QString ActionJournal::fingerprintOfCompact(const QString &action, QByteArrayView compactParameters)
{
    QByteArray text = action.toUtf8();
    text.reserve(text.size() + 1 + compactParameters.size());
    text += '\n';
    text += compactParameters;
    return sha256Hex(text);
}

std::optional<ActionJournal::StoredResult> ActionJournal::find(const QString &requestId)
{
    SqlRows &query = m_db.query(
        u"SELECT action, fingerprint, result FROM idempotency WHERE request_id = ?"_s, {requestId});
    std::optional<StoredResult> stored;
    if (query.next()) {
        stored = StoredResult{query.text(0), query.text(1),
                              QJsonDocument::fromJson(query.text(2).toUtf8()).object()};
    }
    query.finish();
    return stored;
}

void ActionJournal::storeResult(const QString &requestId, const QString &action,
                                const QString &fingerprint, const QJsonObject &result)
{
    storeResult(requestId, action, fingerprint, toCompactJson(result));
}

void ActionJournal::storeResult(const QString &requestId, const QString &action,
                                const QString &fingerprint, const QByteArray &compactResult)
{
    m_db.query(u"INSERT INTO idempotency (request_id, action, fingerprint, result, created_at) "
               "VALUES (?, ?, ?, ?, ?)"_s,
               {requestId, action, fingerprint, QVariant::fromValue(Utf8Text{compactResult}),
                toStorageTime(m_clock.now())});
}

namespace {

// The sync wire format version an outbox row is written in (its member "format").
const QString formatKey = QStringLiteral("format");

} // namespace

void ActionJournal::appendOutbox(const QString &requestId, const QString &op,
                                 const QString &orderId, const QString &tabId,
                                 const QJsonObject &payload)
{
    if (m_side == SyncSide::Server)
        return;
    QJsonObject envelope = payload;
    envelope.insert(formatKey, 1);
    insertOutbox(requestId, op, orderId, tabId, toCompactJson(envelope));
}

void ActionJournal::appendOutbox(const QString &requestId, const QString &op,
                                 const QString &orderId, const QString &tabId,
                                 const QJsonObject &payload, const QByteArray &orderState)
{
    if (m_side == SyncSide::Server)
        return;
    QJsonObject envelope = payload;
    envelope.insert(formatKey, 1);
    insertOutbox(requestId, op, orderId, tabId, toCompactJsonWith(envelope, u"order", orderState));
}

void ActionJournal::insertOutbox(const QString &requestId, const QString &op,
                                 const QString &orderId, const QString &tabId,
                                 const QByteArray &compactPayload)
{
    m_db.query(u"INSERT INTO outbox (request_id, op, order_id, tab_id, payload, created_at) "
               "VALUES (?, ?, ?, ?, ?, ?)"_s,
               {requestId, op,
                orderId.isEmpty() ? QVariant(QMetaType(QMetaType::QString)) : orderId,
                tabId.isEmpty() ? QVariant(QMetaType(QMetaType::QString)) : tabId,
                QVariant::fromValue(Utf8Text{compactPayload}), toStorageTime(m_clock.now())});
}

namespace {

// "(?, ?), (?, ?)": count rows of a VALUES list.
QString valueRows(const QString &row, qsizetype count)
{
    QString values;
    for (qsizetype i = 0; i < count; ++i)
        values += (i ? u", "_s : QString()) + row;
    return values;
}

void appendHistoryValues(QVariantList &values, const HistoryEntry &entry, const QString &at)
{
    const QVariant nullText{QMetaType(QMetaType::QString)};
    values << entry.orderId << at
           << (entry.cashierId.isEmpty() ? nullText : QVariant(entry.cashierId)) << entry.action
           << (entry.fromVersion ? QVariant(*entry.fromVersion)
                                 : QVariant(QMetaType(QMetaType::Int)))
           << entry.toVersion
           << (entry.fromStatus.isEmpty() ? nullText : QVariant(entry.fromStatus)) << entry.toStatus
           << entry.detail << entry.requestId
           << (entry.approvedById.isEmpty() ? nullText : QVariant(entry.approvedById));
}

} // namespace

void ActionJournal::appendHistory(const HistoryEntry &entry)
{
    appendHistory(QList<HistoryEntry>{entry});
}

void ActionJournal::appendHistory(const QList<HistoryEntry> &entries)
{
    const QString now = toStorageTime(m_clock.now());
    insertRows(u"order_history (order_id, at, cashier_id, action, from_version, to_version, "
               "from_status, to_status, detail, request_id, approved_by)"_s,
               11, entries.size(), [&](QVariantList &values, qsizetype i) {
                   appendHistoryValues(values, entries.at(i), now);
               });
}

void ActionJournal::storeResults(const QList<ResultRow> &rows)
{
    const QString now = toStorageTime(m_clock.now());
    insertRows(u"idempotency (request_id, action, fingerprint, result, created_at)"_s, 5,
               rows.size(), [&](QVariantList &values, qsizetype i) {
                   const ResultRow &row = rows.at(i);
                   values << row.requestId << row.action << row.fingerprint << row.result << now;
               });
}

void ActionJournal::insertRows(const QString &into, int columns, qsizetype count,
                               const std::function<void(QVariantList &, qsizetype)> &row)
{
    QString placeholders = u"(?"_s;
    for (int i = 1; i < columns; ++i)
        placeholders += u", ?"_s;
    placeholders += u')';
    for (qsizetype from = 0; from < count; from += rowsPerStatement) {
        const qsizetype rows = qMin(rowsPerStatement, count - from);
        QVariantList values;
        values.reserve(rows * columns);
        for (qsizetype i = from; i < from + rows; ++i)
            row(values, i);
        m_db.query(u"INSERT INTO "_s + into + u" VALUES "_s + valueRows(placeholders, rows),
                   values);
    }
}

void ActionJournal::throwConcurrentTwin(const QString &requestId)
{
    // SQLSTATE 40001 (serialization_failure): the one code every layer already treats as "roll
    // back and run the whole transaction again".
    throw SqlFailure(QSqlError(u"request committed concurrently"_s,
                               u"a request with the id %1 was committed by another transaction "
                               "while this one ran"_s.arg(requestId),
                               QSqlError::TransactionError, u"40001"_s),
                     u"ActionJournal::run"_s);
}

QString ActionJournal::reusedRequestIdMessage(const QString &requestId, const QString &action)
{
    return Text::tr("The request id %1 was already used for a different request (%2); nothing was "
                    "changed. Use a new request id for a new action.")
        .arg(requestId, action);
}

} // namespace SafeTill
