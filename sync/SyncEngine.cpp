#include "SyncEngine.h"

#include "Database.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRandomGenerator>
#include <QSet>
#include <QThread>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace SafeTill {

namespace {

// The messages a person reads in the till's sync status and `safetill sync` (translated); the
// technical details they quote (HTTP statuses, the server's own error text) stay as they are.
struct Text
{
    Q_DECLARE_TR_FUNCTIONS(SafeTill::SyncEngine)
};

const QString pullPath = u"/api/sync/v1/pull"_s;
const QString pushPath = u"/api/sync/v1/push"_s;

QString errorOf(const HttpExchange &exchange)
{
    const QJsonObject body = QJsonDocument::fromJson(exchange.body.left(64 * 1024)).object();
    const QString error = body.value(u"error"_s).toString().left(500);
    return error.isEmpty() ? u"HTTP %1"_s.arg(exchange.status)
                           : u"HTTP %1: %2"_s.arg(exchange.status).arg(error);
}

// A JSON string (or null for an empty one), as QJsonDocument writes it.
void appendJsonText(QByteArray &out, const QString &text, bool emptyIsNull)
{
    if (text.isEmpty() && emptyIsNull) {
        out += "null";
        return;
    }
    const bool plain = std::all_of(text.cbegin(), text.cend(), [](QChar c) {
        return c.unicode() >= 0x20 && c.unicode() < 0x7f && c != u'"' && c != u'\\';
    });
    if (plain) {
        out += '"';
        out += text.toLatin1();
        out += '"';
        return;
    }
    const QByteArray array = QJsonDocument(QJsonArray{text}).toJson(QJsonDocument::Compact);
    out += QByteArrayView(array).sliced(1, array.size() - 2); // [ and ] off
}

// The stored payload as it is: it was written by QJsonDocument (compact, keys sorted), so parsing
// and writing it again would give the same bytes at a quarter of a push's client time. Text that
// does not look like an object goes the long way (an unreadable one becomes {} as before).
QByteArray wirePayload(const QByteArray &stored)
{
    if (stored.startsWith('{') && stored.endsWith('}'))
        return stored;
    return QJsonDocument(QJsonDocument::fromJson(stored).object()).toJson(QJsonDocument::Compact);
}

} // namespace

SyncEngine::SyncEngine(Database &database, SyncTransport &transport, QString serverUrl,
                       SyncPolicy policy, const std::atomic<bool> *stop)
    : m_db(database)
    , m_transport(transport)
    , m_store(database)
    , m_serverUrl(std::move(serverUrl))
    , m_policy(policy)
    , m_stop(stop)
{
    m_transport.setStopFlag(stop);
}

SyncRunReport SyncEngine::run()
{
    SyncRunReport report;
    if (pull(report) && push(report))
        prune(report);
    finish(report);
    return report;
}

void SyncEngine::prune(SyncRunReport &report)
{
    // Only after a push that went through: what was just acknowledged is no longer needed for a
    // retry once the period has passed. Bounded (RetentionPolicy::maxChunks); the rest waits for
    // the next run. A failure here does not make the sync fail: nothing is lost by keeping rows.
    RetentionPolicy policy;
    policy.days = m_policy.retentionDays;
    const Result<PruneReport> pruned = Retention(m_db).prune(policy);
    if (pruned)
        report.pruned = pruned->outboxDeleted + pruned->idempotencyDeleted;
    else
        qCWarning(lcSync).noquote() << "retention:" << pruned.message() << pruned.detail();
}

void SyncEngine::finish(SyncRunReport &report)
{
    // Ops of an order blocked by a rejected op, written while this run was busy.
    m_store.failBlockedOps();
    if (report.status == SyncRunReport::Status::Done)
        m_store.noteSuccess();
    else if (report.status != SyncRunReport::Status::Stopped)
        m_store.noteError(report.error);
    const Result<SyncCounts> counts = m_store.counts();
    if (counts) {
        report.pendingAfter = counts->pending;
        report.failedAfter = counts->failed;
    } else if (report.status == SyncRunReport::Status::Done) {
        report.status = SyncRunReport::Status::LocalError;
        report.error = counts.message();
    }
}

bool SyncEngine::sleepUnlessStopped(int ms)
{
    QElapsedTimer timer;
    timer.start();
    while (timer.elapsed() < ms) {
        if (stopping())
            return false;
        QThread::msleep(quint64(qMin<qint64>(50, ms - timer.elapsed())));
    }
    return !stopping();
}

bool SyncEngine::withRetries(const std::function<Step()> &attempt, SyncRunReport &report)
{
    for (int number = 1;; ++number) {
        if (stopping()) {
            report.status = SyncRunReport::Status::Stopped;
            report.error = Text::tr("Sync was stopped.");
            return false;
        }
        ++report.requests;
        const Step step = attempt();
        if (step.kind == Step::Kind::Done)
            return true;
        if (step.kind == Step::Kind::Fail) {
            report.status = step.failStatus;
            report.error = step.reason;
            return false;
        }
        if (number >= m_policy.maxAttemptsPerRequest) {
            report.status = SyncRunReport::Status::Offline;
            report.error =
                Text::tr("The sync server is unreachable (%1 attempts; last: %2). The ops are "
                         "kept and sent later.")
                    .arg(number)
                    .arg(step.reason);
            return false;
        }
        // Exponential backoff with jitter (half to full), capped; a Retry-After is honoured.
        const int exponent = qMin(number - 1, 20);
        const qint64 ceiling =
            qMin<qint64>(m_policy.maxBackoffMs, qint64(m_policy.firstBackoffMs) << exponent);
        qint64 delay = ceiling / 2 + QRandomGenerator::global()->bounded(ceiling / 2 + 1);
        if (step.retryAfterMs >= 0)
            delay = qMax<qint64>(delay, qMin(step.retryAfterMs, m_policy.maxRetryAfterMs));
        ++report.retries;
        if (!sleepUnlessStopped(int(delay))) {
            report.status = SyncRunReport::Status::Stopped;
            report.error = Text::tr("Sync was stopped.");
            return false;
        }
    }
}

std::optional<SyncEngine::Step> SyncEngine::commonStep(const HttpExchange &exchange)
{
    using Kind = Step::Kind;
    switch (exchange.failure) {
    case HttpExchange::Failure::None:
        break;
    case HttpExchange::Failure::Network:
    case HttpExchange::Failure::TooLarge:
        return Step{Kind::Retry, exchange.error};
    case HttpExchange::Failure::Tls:
        return Step{Kind::Fail, Text::tr("Refused: %1").arg(exchange.error)};
    case HttpExchange::Failure::Stopped:
        return Step{Kind::Fail, Text::tr("Sync was stopped."), -1, SyncRunReport::Status::Stopped};
    }
    const int status = exchange.status;
    const int retryAfterMs =
        exchange.retryAfterSeconds >= 0 ? int(qMin(exchange.retryAfterSeconds, 3600)) * 1000 : -1;
    if (status == 408 || status == 429 || (status >= 500 && status <= 599))
        return Step{Kind::Retry, errorOf(exchange), retryAfterMs};
    if (status == 401 || status == 403)
        return Step{
            Kind::Fail,
            Text::tr("The server refused this till's device token (%1). Issue a new one with "
                     "\"safetill-server device add NAME\" and configure its token file.")
                .arg(errorOf(exchange))};
    if (status == 404 || status == 405)
        return Step{Kind::Fail,
                    Text::tr("The server does not support sync v1 (%1). Check the server URL.")
                        .arg(errorOf(exchange))};
    return std::nullopt;
}

bool SyncEngine::pull(SyncRunReport &report)
{
    const Result<QByteArray> etag = m_store.pullEtag(m_serverUrl);
    if (!etag) {
        report.status = SyncRunReport::Status::LocalError;
        report.error = etag.message();
        return false;
    }
    QString localError;
    const bool ok = withRetries(
        [&]() -> Step {
            const HttpExchange exchange = m_transport.get(pullPath, *etag);
            if (std::optional<Step> common = commonStep(exchange))
                return *common;
            if (exchange.status == 304)
                return Step{};
            if (exchange.status != 200)
                return Step{Step::Kind::Fail,
                            Text::tr("The server refused the pull: %1").arg(errorOf(exchange))};
            QJsonParseError parseError{};
            const QJsonDocument document = QJsonDocument::fromJson(exchange.body, &parseError);
            if (!document.isObject())
                return Step{Step::Kind::Retry, u"the pull answer is not a JSON object"_s};
            const Result<int> applied =
                m_store.applyPull(document.object(), m_serverUrl, exchange.etag);
            if (applied.outcome() == Outcome::InvalidInput)
                return Step{Step::Kind::Retry, applied.message()};
            if (!applied) {
                localError = applied.message();
                return Step{Step::Kind::Fail, applied.message(), -1,
                            SyncRunReport::Status::LocalError};
            }
            report.pulled = true;
            return Step{};
        },
        report);
    return ok;
}

QByteArray SyncEngine::pushBody(const QList<OutboxOp> &ops, qint64 maxBytes, int *taken)
{
    // Protocol 5 (docs/sync-protocol.md section 1): shifts, cash movements, Z reports; 4:
    // refunds; 3: split tender, discounts, price overrides.
    QByteArray body = "{\"protocol\":5,\"ops\":[";
    const QByteArray end = "]}";
    *taken = 0;
    for (const OutboxOp &op : ops) {
        // The keys in QJsonDocument's (sorted) order, so the bytes are what it would write.
        QByteArray json = "{\"created_at\":";
        appendJsonText(json, op.createdAt, false);
        json += ",\"op\":";
        appendJsonText(json, op.op, false);
        json += ",\"order_id\":";
        appendJsonText(json, op.orderId, true);
        json += ",\"payload\":";
        json += wirePayload(op.payload);
        json += ",\"request_id\":";
        appendJsonText(json, op.requestId, false);
        json += ",\"seq\":";
        json += QByteArray::number(op.seq);
        json += ",\"tab_id\":";
        appendJsonText(json, op.tabId, true);
        json += '}';
        const qint64 grown = body.size() + (*taken > 0 ? 1 : 0) + json.size() + end.size();
        if (grown > maxBytes)
            break;
        if (*taken > 0)
            body += ',';
        body += json;
        ++*taken;
    }
    return body + end;
}

std::optional<QList<PushOutcome>>
SyncEngine::parsePushAnswer(const QByteArray &body, const QList<OutboxOp> &ops, QString *error)
{
    QJsonParseError parseError{};
    const QJsonDocument document = QJsonDocument::fromJson(body, &parseError);
    if (!document.isObject()) {
        *error = u"the push answer is not a JSON object"_s;
        return std::nullopt;
    }
    const QJsonObject answer = document.object();
    const QJsonValue results = answer.value(u"results"_s);
    if (answer.value(u"protocol"_s) != QJsonValue(5) || !results.isArray() ||
        results.toArray().size() != ops.size()) {
        *error = u"the push answer does not have protocol 5 and one result per op"_s;
        return std::nullopt;
    }
    QList<PushOutcome> outcomes;
    outcomes.reserve(ops.size());
    const QJsonArray list = results.toArray();
    for (qsizetype i = 0; i < list.size(); ++i) {
        const QJsonObject result = list.at(i).toObject();
        if (!list.at(i).isObject() ||
            result.value(u"request_id"_s).toString() != ops.at(i).requestId) {
            *error = u"result %1 is not for request %2"_s.arg(i).arg(ops.at(i).requestId);
            return std::nullopt;
        }
        const QString kind = result.value(u"result"_s).toString();
        PushOutcome outcome;
        const QJsonValue code = result.value(u"code"_s);
        const QJsonValue message = result.value(u"message"_s);
        if ((!code.isUndefined() && !code.isString()) ||
            (!message.isUndefined() && !message.isString())) {
            *error = u"result %1 has a code or message that is not text"_s.arg(i);
            return std::nullopt;
        }
        outcome.code = code.toString().left(64);
        outcome.message = message.toString().left(1000);
        if (kind == u"applied"_s || kind == u"replayed"_s) {
            if (!result.value(u"version"_s).isDouble()) {
                *error = u"result %1 has no version number"_s.arg(i);
                return std::nullopt;
            }
            outcome.kind =
                kind == u"applied"_s ? PushOutcome::Kind::Applied : PushOutcome::Kind::Replayed;
            // Protocol 2: the server's merged order, and the cases it put on the review list.
            const QJsonValue order = result.value(u"server_order"_s);
            const QJsonValue reviews = result.value(u"review_items"_s);
            if ((!order.isUndefined() && !order.isNull() && !order.isObject()) ||
                (!reviews.isUndefined() && !reviews.isArray())) {
                *error = u"applied result %1 has the wrong types"_s.arg(i);
                return std::nullopt;
            }
            outcome.serverOrder = order.toObject();
            outcome.reviewItems = reviews.toArray();
        } else if (kind == u"conflict"_s) {
            const QJsonValue order = result.value(u"server_order"_s);
            const QJsonValue tab = result.value(u"server_tab"_s);
            if ((!order.isUndefined() && !order.isNull() && !order.isObject()) ||
                (!tab.isUndefined() && !tab.isNull() && !tab.isObject()) || !code.isString()) {
                *error = u"conflict result %1 has the wrong types"_s.arg(i);
                return std::nullopt;
            }
            outcome.kind = PushOutcome::Kind::Conflict;
            outcome.serverOrder = order.toObject();
            outcome.serverTab = tab.toObject();
        } else if (kind == u"rejected"_s) {
            if (!code.isString()) {
                *error = u"rejected result %1 has no code"_s.arg(i);
                return std::nullopt;
            }
            outcome.kind = PushOutcome::Kind::Rejected;
        } else if (kind == u"deferred"_s) {
            if (!code.isString()) {
                *error = u"deferred result %1 has no code"_s.arg(i);
                return std::nullopt;
            }
            outcome.kind = PushOutcome::Kind::Deferred;
        } else {
            *error = u"result %1 is of an unknown kind"_s.arg(i);
            return std::nullopt;
        }
        outcomes.append(std::move(outcome));
    }
    return outcomes;
}

bool SyncEngine::push(SyncRunReport &report)
{
    const Result<int> blocked = m_store.failBlockedOps();
    if (!blocked) {
        report.status = SyncRunReport::Status::LocalError;
        report.error = blocked.message();
        return false;
    }
    int batchLimit = qBound(1, m_policy.maxOpsPerBatch, 500);
    // Ops the server deferred in this run (protocol 4: a refund of a sale it does not have yet):
    // kept pending for the next run, skipped for the rest of this one, so the run ends and the
    // ops behind them still go.
    QSet<qint64> deferredNow;
    for (;;) {
        if (stopping()) {
            report.status = SyncRunReport::Status::Stopped;
            report.error = Text::tr("Sync was stopped.");
            return false;
        }
        const Result<QList<OutboxOp>> read =
            m_store.pendingOps(batchLimit + int(qMin<qsizetype>(deferredNow.size(), 100000)));
        if (!read) {
            report.status = SyncRunReport::Status::LocalError;
            report.error = read.message();
            return false;
        }
        QList<OutboxOp> sendable = *read;
        sendable.removeIf([&](const OutboxOp &op) { return deferredNow.contains(op.seq); });
        if (sendable.size() > batchLimit)
            sendable.resize(batchLimit);
        const QList<OutboxOp> *pending = &sendable;
        if (pending->isEmpty())
            return true;
        int taken = 0;
        const QByteArray body = pushBody(*pending, m_policy.maxBodyBytes, &taken);
        if (taken == 0) {
            const Result<SyncStore::Recorded> failed = m_store.failOp(
                pending->first(), u"too_large"_s,
                Text::tr("Sync op %1 is larger than the server accepts in one request; it is "
                         "kept.")
                    .arg(pending->first().seq));
            if (!failed) {
                report.status = SyncRunReport::Status::LocalError;
                report.error = failed.message();
                return false;
            }
            ++report.rejected;
            report.messages << failed->messages;
            continue;
        }
        const QList<OutboxOp> batch = pending->first(taken);

        std::optional<QList<PushOutcome>> outcomes;
        std::optional<std::pair<qsizetype, QString>> refusedOp; // a 4xx naming one op
        bool split = false;
        const bool answered = withRetries(
            [&]() -> Step {
                const HttpExchange exchange = m_transport.post(pushPath, body);
                if (std::optional<Step> common = commonStep(exchange))
                    return *common;
                if (exchange.status == 200) {
                    QString problem;
                    outcomes = parsePushAnswer(exchange.body, batch, &problem);
                    // Unreadable: nothing is known about the ops, so the same ops go again; any
                    // that were applied come back "replayed".
                    if (!outcomes)
                        return Step{Step::Kind::Retry, u"unreadable push answer: "_s + problem};
                    return Step{};
                }
                // A refused batch changed nothing on the server. Find the op it is about: the
                // op the server names, or by splitting, down to a single op.
                const QJsonObject error =
                    QJsonDocument::fromJson(exchange.body.left(64 * 1024)).object();
                // An older server: no op is at fault, every one is kept (pending) until the
                // server is updated.
                if (exchange.status == 400 &&
                    error.value(u"code"_s).toString() == u"unsupported_protocol"_s) {
                    const QJsonArray supported = error.value(u"supported_protocols"_s).toArray();
                    return Step{
                        Step::Kind::Fail,
                        Text::tr("The server speaks sync protocol %1, this till 5; its ops are "
                                 "kept until the server is updated.")
                            .arg(supported.isEmpty() ? u"?"_s
                                                     : QString::number(supported.last().toInt())),
                        -1, SyncRunReport::Status::Refused};
                }
                const QJsonValue index = error.value(u"op_index"_s);
                if (exchange.status == 400 && index.isDouble() && index.toInt(-1) >= 0 &&
                    index.toInt(-1) < batch.size()) {
                    refusedOp = {index.toInt(), errorOf(exchange)};
                } else if (batch.size() > 1 && exchange.status != 411) {
                    split = true;
                } else {
                    refusedOp = {0, errorOf(exchange)};
                }
                return Step{};
            },
            report);
        if (!answered)
            return false;
        if (split) {
            batchLimit = qMax(1, int(batch.size() / 2));
            continue;
        }
        Result<SyncStore::Recorded> recorded =
            refusedOp
                ? m_store.failOp(batch.at(refusedOp->first), u"refused"_s,
                                 Text::tr("The server refused sync op %1 (%2): %3. It is kept.")
                                     .arg(QString::number(batch.at(refusedOp->first).seq),
                                          batch.at(refusedOp->first).op, refusedOp->second))
                : m_store.record(batch, *outcomes);
        if (!recorded) {
            report.status = SyncRunReport::Status::LocalError;
            report.error = recorded.message() + u' ' + recorded.detail();
            return false;
        }
        report.sent += recorded->sent;
        report.conflicts += recorded->conflicts;
        report.rejected += recorded->rejected;
        report.messages << recorded->messages;
        if (outcomes && !refusedOp) {
            for (qsizetype i = 0; i < batch.size() && i < outcomes->size(); ++i) {
                if (outcomes->at(i).kind == PushOutcome::Kind::Deferred)
                    deferredNow.insert(batch.at(i).seq);
            }
        }
    }
}

} // namespace SafeTill
