#include "SyncApi.h"

#include "ShopSettings.h"

#include "ApiJson.h"
#include "AuthStore.h"
#include "Clock.h"
#include "Database.h"
#include "Digest.h"
#include "Json.h"
#include "ServerLogging.h"
#include "ServerMetrics.h"
#include "SyncApplier.h"
#include "Validation.h"

#include <QJsonArray>
#include <QJsonDocument>

using namespace Qt::StringLiterals;

namespace SafeTill {

namespace {

constexpr int maxReceiptPrefixAttempts = 100;

HttpResponse unauthorized(const QString &message)
{
    HttpResponse response = HttpResponse::error(401, u"unauthorized"_s, message);
    response.addHeader("WWW-Authenticate", "Bearer");
    return response;
}

HttpResponse busy(const QString &message)
{
    HttpResponse response = HttpResponse::error(503, u"busy"_s, message);
    response.addHeader("Retry-After", "1");
    return response;
}

// Busy and database errors of a lookup; the body never shows SQL.
template<typename T> HttpResponse fromFailure(const Result<T> &result)
{
    if (result.outcome() == Outcome::Busy)
        return busy(u"The server's database is busy; nothing was changed. Try again."_s);
    if (result.unavailable()) {
        qCWarning(lcServer).noquote() << "sync: database unavailable:" << result.detail();
        return databaseUnavailable();
    }
    qCWarning(lcServer).noquote() << "sync: database error:" << result.message() << result.detail();
    return HttpResponse::error(500, u"internal"_s,
                               u"The server could not complete the request; nothing was "
                               "changed."_s);
}

// If-None-Match holds this ETag (a list of ETags, weak or strong, or "*").
bool etagMatches(const QByteArray &ifNoneMatch, const QByteArray &etag)
{
    for (QByteArray candidate : ifNoneMatch.split(',')) {
        candidate = candidate.trimmed();
        if (candidate.startsWith("W/"))
            candidate = candidate.mid(2);
        if (candidate == "*" || candidate == etag)
            return true;
    }
    return false;
}

struct CatalogSnapshot
{
    QByteArray etag;
    QJsonArray cashiers;
    QJsonArray products;
    QJsonArray taxRates;
    QJsonObject shop;
    QJsonArray refundedElsewhere;
};

} // namespace

std::optional<SyncApi::Device> SyncApi::authenticate(HttpResponse *refusal)
{
    const QByteArray header = m_request.header("authorization").trimmed();
    QString token;
    if (header.size() > 7 && header.left(7).compare("Bearer ", Qt::CaseInsensitive) == 0)
        token = QString::fromLatin1(header.mid(7).trimmed());
    if (token.isEmpty()) {
        *refusal = unauthorized(u"Sync needs a device token: Authorization: Bearer <token> "
                                "(from safetill-server device add NAME)."_s);
        return std::nullopt;
    }
    if (!AuthStore::looksLikeToken(token)) {
        *refusal = unauthorized(u"The device token is not valid."_s);
        return std::nullopt;
    }
    const QString hash = AuthStore::hashToken(token);
    enum class Kind { Device, Revoked, UserToken, Unknown };
    struct Found
    {
        Kind kind = Kind::Unknown;
        Device device;
    };
    const Result<Found> found = m_db.read([&]() -> Result<Found> {
        Found result;
        QSqlQuery &query = m_db.exec(
            u"SELECT id, name, receipt_prefix, revoked_at FROM devices WHERE token_hash = ?"_s,
            {hash});
        if (query.next()) {
            result.kind = query.value(3).isNull() ? Kind::Device : Kind::Revoked;
            result.device = Device{query.value(0).toString(), query.value(1).toString(),
                                   query.value(2).toString()};
        }
        query.finish();
        if (result.kind == Kind::Unknown &&
            !m_db.scalar(u"SELECT 1 FROM auth_tokens WHERE token_hash = ?"_s, {hash}).isNull())
            result.kind = Kind::UserToken;
        return Result<Found>::ok(result);
    });
    if (!found) {
        *refusal = fromFailure(found);
        return std::nullopt;
    }
    switch (found->kind) {
    case Kind::Device:
        return found->device;
    case Kind::Revoked:
        *refusal = unauthorized(u"This device has been revoked; register it again."_s);
        return std::nullopt;
    case Kind::UserToken:
        *refusal = HttpResponse::error(403, u"forbidden"_s,
                                       u"A cashier's token cannot sync; use the device token "
                                       "from safetill-server device add NAME."_s);
        return std::nullopt;
    case Kind::Unknown:
        break;
    }
    *refusal = unauthorized(u"The device token is not valid."_s);
    return std::nullopt;
}

std::optional<QString> SyncApi::receiptPrefixFor(const Device &device, HttpResponse *refusal)
{
    if (!device.receiptPrefix.isEmpty())
        return device.receiptPrefix;
    // "T" and at least three digits, the next free number. The write is conditional (only while
    // the device has none) and its row count checked: a concurrent first pull of the same device
    // that won makes it change nothing, and this one answers the winner's prefix. A concurrent
    // first pull of another device that takes the same number makes this transaction hit the
    // unique index (PostgreSQL), and write() runs it again with a fresh look, as often as there
    // can be devices racing for it.
    RetryPolicy policy;
    policy.maxUniqueViolationRetries = 64;
    const Result<QString> assigned = m_db.write(
        [&]() -> Result<QString> {
            const QVariant existing =
                m_db.scalar(u"SELECT receipt_prefix FROM devices WHERE id = ?"_s, {device.id});
            if (!existing.isNull())
                return Result<QString>::ok(existing.toString());
            const qint64 taken =
                m_db.scalar(u"SELECT COUNT(*) FROM devices WHERE receipt_prefix IS NOT NULL"_s)
                    .toLongLong();
            for (qint64 number = taken + 1; number <= taken + maxReceiptPrefixAttempts; ++number) {
                const QString candidate = u"T%1"_s.arg(number, 3, 10, QLatin1Char('0'));
                if (candidate.size() > 8)
                    break;
                if (!m_db.scalar(u"SELECT 1 FROM devices WHERE receipt_prefix = ?"_s, {candidate})
                         .isNull())
                    continue;
                if (m_db.change(u"UPDATE devices SET receipt_prefix = ? WHERE id = ? "
                                "AND receipt_prefix IS NULL"_s,
                                {candidate, device.id}) == 1)
                    return Result<QString>::ok(candidate);
                // Another first pull of this device got there first: its prefix is the one.
                const QVariant winner =
                    m_db.scalar(u"SELECT receipt_prefix FROM devices WHERE id = ?"_s, {device.id});
                if (winner.isNull()) {
                    return Result<QString>::notFound(
                        u"The device is no longer registered; register it again."_s);
                }
                return Result<QString>::ok(winner.toString());
            }
            return Result<QString>::failure(Outcome::Error, u"No receipt prefix is left."_s);
        },
        policy);
    if (!assigned) {
        *refusal = fromFailure(assigned);
        return std::nullopt;
    }
    qCInfo(lcServer).noquote() << "device" << device.name << "has the receipt prefix" << *assigned;
    return *assigned;
}

HttpResponse SyncApi::pull() noexcept
{
    try {
        HttpResponse refusal;
        const std::optional<Device> device = authenticate(&refusal);
        if (!device)
            return refusal;
        const std::optional<QString> prefix = receiptPrefixFor(*device, &refusal);
        if (!prefix)
            return refusal;
        const QByteArray ifNoneMatch = m_request.header("if-none-match");

        // One read transaction: the revision and the lists it stands for agree.
        const Result<CatalogSnapshot> snapshot = m_db.read([&]() -> Result<CatalogSnapshot> {
            CatalogSnapshot result;
            QSqlQuery &state =
                m_db.exec(u"SELECT database_id, revision FROM sync_catalog_state WHERE id = 1"_s);
            QString tag;
            if (state.next())
                tag = state.value(0).toString() + u':' + state.value(1).toString();
            state.finish();
            // The device and its prefix are part of the answer, so of its tag.
            tag += u':' + device->id + u':' + device->name + u':' + *prefix;
            // What others refunded of this device's sales (the REST API, other tills): units
            // counted on the server, by line, so that the till refuses to pay them back again
            // (docs/sync-protocol.md section 4). Part of the tag: a refund changes the answer.
            // Runs on every pull of every till: an index range (refunds_of_sales_elsewhere,
            // migration 021, whose expression the WHERE repeats word for word so that both
            // databases use it) over the refunds of this device's sales made elsewhere, then
            // their lines by key.
            result.refundedElsewhere = rowsToJson(m_db.exec(
                u"SELECT rl.line_id, CAST(SUM(rl.quantity) AS INTEGER) AS quantity "
                "FROM refunds r JOIN refund_lines rl ON rl.refund_id = r.id AND rl.excess = 0 "
                "WHERE CASE WHEN r.original_terminal_id <> r.terminal_id "
                "THEN r.original_terminal_id END = ? "
                "GROUP BY rl.line_id ORDER BY rl.line_id"_s,
                {device->id}));
            tag +=
                u':' + QString::fromUtf8(
                           QJsonDocument(result.refundedElsewhere).toJson(QJsonDocument::Compact));
            result.etag = '"' + QStringView(sha256Hex(tag.toUtf8())).left(32).toLatin1() + '"';
            if (!ifNoneMatch.isEmpty() && etagMatches(ifNoneMatch, result.etag))
                return Result<CatalogSnapshot>::ok(result);
            // Only the cashiers allowed on this device (all active ones by default): a till
            // holds no PIN hash it does not need. The list is part of the revision above.
            result.cashiers = rowsToJson(m_db.exec(AuthStore::syncedCashiersSql(),
                                                   AuthStore::syncedCashiersValues(device->id)));
            result.products = rowsToJson(
                m_db.exec(u"SELECT sku, name, price_cents, category, updated_at, tax_code, "
                          "open_price FROM products ORDER BY sku"_s));
            // The tax rates and the shop's receipt and money settings (not its PIN policy,
            // which is the server's own): a till's lines and receipts follow the server's.
            result.taxRates =
                rowsToJson(m_db.exec(u"SELECT code, name, rate_bp FROM tax_rates ORDER BY code"_s));
            QSqlQuery &shop = m_db.exec(u"SELECT name, value FROM shop_settings"_s);
            while (shop.next()) {
                if (ShopSettings::pulledKeys().contains(shop.value(0).toString()))
                    result.shop.insert(shop.value(0).toString(), shop.value(1).toString());
            }
            shop.finish();
            return Result<CatalogSnapshot>::ok(result);
        });
        if (!snapshot)
            return fromFailure(snapshot);
        if (!ifNoneMatch.isEmpty() && etagMatches(ifNoneMatch, snapshot->etag)) {
            HttpResponse notModified;
            notModified.status = 304;
            notModified.addHeader("ETag", snapshot->etag);
            return notModified;
        }
        HttpResponse response = HttpResponse::json(
            200, {{u"protocol"_s, SyncBatch::pullProtocol},
                  {u"etag"_s, QString::fromLatin1(snapshot->etag)},
                  {u"server_time"_s, toStorageTime(Clock::system().now())},
                  {u"device"_s, QJsonObject{{u"id"_s, device->id},
                                            {u"name"_s, device->name},
                                            {u"receipt_prefix"_s, *prefix}}},
                  {u"limits"_s, QJsonObject{{u"max_ops_per_batch"_s, SyncBatch::maxOps},
                                            {u"max_body_bytes"_s, qint64(SyncBatch::maxBodyBytes)},
                                            {u"max_lines_per_order"_s, Limits::maxLinesPerOrder}}},
                  {u"cashiers"_s, snapshot->cashiers},
                  {u"products"_s, snapshot->products},
                  {u"tax_rates"_s, snapshot->taxRates},
                  {u"shop"_s, snapshot->shop},
                  {u"refunded_elsewhere"_s, snapshot->refundedElsewhere}});
        response.addHeader("ETag", snapshot->etag);
        return response;
    } catch (const SqlFailure &failure) {
        if (failure.isUnavailable()) {
            qCWarning(lcServer).noquote()
                << "sync pull: database unavailable:" << failure.describe();
            return databaseUnavailable();
        }
        qCWarning(lcServer).noquote() << "sync pull: database error:" << failure.describe();
    } catch (const std::exception &exception) {
        qCCritical(lcServer) << "sync pull failed:" << exception.what();
    }
    return HttpResponse::error(500, u"internal"_s, u"The server failed; nothing was changed."_s);
}

namespace {

// Pushed ops by outcome, for GET /metrics (counts in SyncOpResult::Kind's order).
void recordSyncMetrics(const int (&counts)[4])
{
    using Outcome = ServerMetrics::SyncOutcome;
    static constexpr Outcome outcomes[] = {Outcome::Applied, Outcome::Replayed, Outcome::Conflict,
                                           Outcome::Rejected};
    for (size_t i = 0; i < 4; ++i)
        ServerMetrics::instance().recordSyncOps(outcomes[i], quint64(counts[i]));
}

} // namespace

HttpResponse SyncApi::push() noexcept
{
    try {
        HttpResponse refusal;
        const std::optional<Device> device = authenticate(&refusal);
        if (!device)
            return refusal;
        const SyncBatch batch = SyncBatch::parse(m_request.body);
        switch (batch.problem) {
        case SyncBatch::Problem::None:
            break;
        case SyncBatch::Problem::MalformedJson:
            return HttpResponse::error(400, u"malformed_json"_s, batch.message);
        case SyncBatch::Problem::UnsupportedProtocol:
            return HttpResponse::error(
                400, u"unsupported_protocol"_s, batch.message,
                {{u"supported_protocols"_s,
                  QJsonArray{SyncBatch::oldestProtocol, SyncBatch::protocolVersion}}});
        case SyncBatch::Problem::TooManyOps:
            return HttpResponse::error(413, u"batch_too_large"_s, batch.message);
        case SyncBatch::Problem::InvalidBatch:
            return HttpResponse::error(
                400, u"invalid_batch"_s, batch.message,
                batch.opIndex >= 0 ? QJsonObject{{u"op_index"_s, batch.opIndex}} : QJsonObject{});
        }

        const Result<QList<SyncOpResult>> results = SyncApplier(m_db).apply(
            SyncDevice{device->id, device->name}, batch.ops, batch.protocol);
        if (results.outcome() == Outcome::InvalidState) {
            // A version 2 till meeting an order it cannot show. 404 is what a version 2 client
            // answers by keeping every op pending and showing the message (it predates
            // "unsupported_protocol", whose 400 it would take as refusing one op and mark that
            // op and its order's later ops failed): docs/sync-protocol.md, section 1.
            qCInfo(lcServer).noquote()
                << "sync push from" << device->name << "refused (protocol 2):" << results.message();
            return HttpResponse::error(
                404, u"till_update_required"_s, results.message(),
                {{u"supported_protocols"_s, QJsonArray{3, SyncBatch::protocolVersion}}});
        }
        if (!results)
            return fromFailure(results);
        QJsonArray list;
        int counts[4] = {0, 0, 0, 0};
        for (const SyncOpResult &result : *results) {
            ++counts[int(result.kind)];
            list.append(result.toJson());
        }
        recordSyncMetrics(counts);
        qCInfo(lcServer).noquote() << "sync push from" << device->name << ":" << batch.ops.size()
                                   << "ops," << counts[0] << "applied," << counts[1] << "replayed,"
                                   << counts[2] << "conflicts," << counts[3] << "rejected";
        return HttpResponse::json(200, {{u"protocol"_s, batch.protocol},
                                        {u"server_time"_s, toStorageTime(Clock::system().now())},
                                        {u"results"_s, list}});
    } catch (const SqlFailure &failure) {
        if (failure.isUnavailable()) {
            qCWarning(lcServer).noquote()
                << "sync push: database unavailable:" << failure.describe();
            return databaseUnavailable();
        }
        qCWarning(lcServer).noquote() << "sync push: database error:" << failure.describe();
    } catch (const std::exception &exception) {
        qCCritical(lcServer) << "sync push failed:" << exception.what();
    }
    return HttpResponse::error(500, u"internal"_s, u"The server failed; nothing was changed."_s);
}

} // namespace SafeTill
