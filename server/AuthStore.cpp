#include "AuthStore.h"

#include "CashierService.h"
#include "Database.h"
#include "Digest.h"
#include "Validation.h"

#include <QHash>
#include <QMutex>
#include <QRandomGenerator>
#include <QUuid>

using namespace Qt::StringLiterals;

namespace SafeTill {

AuthStore::AuthStore(Database &database, const Clock &clock)
    : m_db(database)
    , m_clock(clock)
{}

QString AuthStore::newToken()
{
    QByteArray bytes(32, Qt::Uninitialized);
    QRandomGenerator::system()->fillRange(reinterpret_cast<quint32 *>(bytes.data()),
                                          bytes.size() / int(sizeof(quint32)));
    return QString::fromLatin1(
        bytes.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
}

QString AuthStore::hashToken(const QString &token)
{
    return sha256Hex(token.toLatin1());
}

bool AuthStore::looksLikeToken(const QString &token)
{
    if (token.size() != 43)
        return false;
    return std::all_of(token.begin(), token.end(), [](QChar c) {
        return (c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z') || (c >= u'0' && c <= u'9') ||
               c == u'-' || c == u'_';
    });
}

Result<AuthStore::IssuedToken> AuthStore::issueToken(const QString &cashierId, int ttlSeconds)
{
    const QDateTime now = m_clock.now();
    IssuedToken issued{newToken(), cashierId, now.addSecs(ttlSeconds)};
    return m_db.write([&]() -> Result<IssuedToken> {
        // Expired tokens are useless; clearing them here keeps the table small without a job.
        m_db.exec(u"DELETE FROM auth_tokens WHERE expires_at <= ?"_s, {toStorageTime(now)});
        m_db.exec(u"INSERT INTO auth_tokens (token_hash, cashier_id, created_at, expires_at) "
                  "VALUES (?, ?, ?, ?)"_s,
                  {hashToken(issued.token), cashierId, toStorageTime(now),
                   toStorageTime(issued.expiresAt)});
        return Result<IssuedToken>::ok(issued);
    });
}

namespace {

// Valid tokens seen in the last second, so a burst of requests does not cost one read
// transaction each. Only valid tokens are cached, for at most tokenCacheMs and never past their
// expiry: a token deleted or expired in the database stops working here within that time.
constexpr qint64 tokenCacheMs = 1000;
constexpr qsizetype tokenCacheMaxEntries = 10000;
struct CachedToken
{
    QString cashierId;
    QDateTime validUntil;
};
QMutex tokenCacheMutex;
QHash<QString, CachedToken> tokenCache;
// Bumped by every revocation: a lookup that began before one must not cache what it read, which
// may be the revoked token's row read just before its deletion committed.
quint64 tokenCacheGeneration = 0;

} // namespace

std::optional<QString> AuthStore::cachedCashierForToken(const QString &token, const QDateTime &now)
{
    if (!looksLikeToken(token))
        return std::nullopt;
    const QString hash = hashToken(token);
    QMutexLocker lock(&tokenCacheMutex);
    if (auto it = tokenCache.constFind(hash); it != tokenCache.constEnd() && it->validUntil > now)
        return it->cashierId;
    return std::nullopt;
}

Result<QString> AuthStore::cashierForToken(const QString &token)
{
    if (!looksLikeToken(token))
        return Result<QString>::notFound(u"The token is not valid."_s);
    const QString hash = hashToken(token);
    const QDateTime now = m_clock.now();
    quint64 generation = 0;
    {
        QMutexLocker lock(&tokenCacheMutex);
        if (auto it = tokenCache.constFind(hash);
            it != tokenCache.constEnd() && it->validUntil > now)
            return Result<QString>::ok(it->cashierId);
        generation = tokenCacheGeneration;
    }
    return m_db.read([&]() -> Result<QString> {
        QSqlQuery &query = m_db.exec(u"SELECT cashier_id, expires_at FROM auth_tokens "
                                     "WHERE token_hash = ? AND expires_at > ?"_s,
                                     {hash, toStorageTime(now)});
        std::optional<CachedToken> found;
        if (query.next()) {
            found = CachedToken{
                query.value(0).toString(),
                qMin(fromStorageTime(query.value(1).toString()), now.addMSecs(tokenCacheMs))};
        }
        query.finish();
        if (found) {
            QMutexLocker lock(&tokenCacheMutex);
            if (tokenCache.size() >= tokenCacheMaxEntries)
                tokenCache.clear();
            if (generation == tokenCacheGeneration)
                tokenCache.insert(hash, *found);
            return Result<QString>::ok(found->cashierId);
        }
        if (!m_db.scalar(u"SELECT id FROM devices WHERE token_hash = ? AND revoked_at IS NULL"_s,
                         {hash})
                 .isNull()) {
            return Result<QString>::failure(Outcome::InvalidState,
                                            u"A device token cannot act on a cashier's orders; "
                                            "sign in as the cashier."_s);
        }
        return Result<QString>::notFound(u"The token is not valid or has expired."_s);
    });
}

Result<bool> AuthStore::revokeToken(const QString &token)
{
    if (!looksLikeToken(token))
        return Result<bool>::ok(false);
    const QString hash = hashToken(token);
    const Result<bool> revoked = m_db.write([&]() -> Result<bool> {
        return Result<bool>::ok(
            m_db.change(u"DELETE FROM auth_tokens WHERE token_hash = ?"_s, {hash}) > 0);
    });
    if (revoked) {
        // After the commit: no lookup from now on finds the row, and none still running caches it.
        QMutexLocker lock(&tokenCacheMutex);
        tokenCache.remove(hash);
        ++tokenCacheGeneration;
    }
    return revoked;
}

Result<QString> AuthStore::addDevice(const QString &name)
{
    const QString normalized = normalizedName(name);
    if (const QString problem = checkName(normalized, u"A device's name"_s, Limits::maxNameLength);
        !problem.isEmpty())
        return Result<QString>::invalidInput(problem);
    const QString token = newToken();
    return m_db.write([&]() -> Result<QString> {
        if (!m_db.scalar(u"SELECT id FROM devices WHERE name_key = ?"_s, {nameKey(normalized)})
                 .isNull()) {
            return Result<QString>::failure(
                Outcome::Conflict, u"There is already a device called %1."_s.arg(normalized));
        }
        m_db.exec(u"INSERT INTO devices (id, name, name_key, token_hash, created_at) "
                  "VALUES (?, ?, ?, ?, ?)"_s,
                  {QUuid::createUuid().toString(QUuid::WithoutBraces), normalized,
                   nameKey(normalized), hashToken(token), toStorageTime(m_clock.now())});
        return Result<QString>::ok(token);
    });
}

namespace {

// One atomic step of a counter: a new row, a window started afresh, or one more failure; none of
// it while the counter is locked (then no row comes back). Both databases run it as one statement
// that holds the row until the transaction ends, so parallel attempts count one after the other.
std::optional<int> countAttempt(Database &db, const QString &key, const QDateTime &now,
                                int windowSeconds)
{
    const QString nowText = toStorageTime(now);
    const QString windowStart = toStorageTime(now.addSecs(-windowSeconds));
    QSqlQuery &query = db.exec(
        u"INSERT INTO login_throttle (throttle_key, failures, window_start, locked_until) "
        "VALUES (?, 1, ?, NULL) ON CONFLICT (throttle_key) DO UPDATE SET "
        "failures = CASE WHEN login_throttle.window_start < ? THEN 1 "
        "ELSE login_throttle.failures + 1 END, "
        "window_start = CASE WHEN login_throttle.window_start < ? THEN excluded.window_start "
        "ELSE login_throttle.window_start END "
        "WHERE login_throttle.locked_until IS NULL OR login_throttle.locked_until <= ? "
        "RETURNING failures"_s,
        {key, nowText, windowStart, windowStart, nowText});
    std::optional<int> failures;
    if (query.next())
        failures = query.value(0).toInt();
    query.finish();
    return failures;
}

// Seconds until the counter's lock ends (at least 1 while it holds).
qint64 secondsLocked(Database &db, const QString &key, const QDateTime &now)
{
    const QDateTime until = fromStorageTime(
        db.scalar(u"SELECT locked_until FROM login_throttle WHERE throttle_key = ?"_s, {key})
            .toString());
    if (!until.isValid() || until <= now)
        return 1; // it ended just now: a retry will be counted
    return qMax<qint64>(1, (now.msecsTo(until) + 999) / 1000);
}

// The count has reached the limit: lock, for longer with every further failure. True if it
// locked.
bool lockIfAtLimit(Database &db, const QString &key, int failures, int limit, const QDateTime &now,
                   const AuthStore::ThrottlePolicy &policy)
{
    if (failures < limit)
        return false;
    const int doublings = qMin(failures - limit, 10);
    const qint64 lock =
        qMin<qint64>(qint64(policy.lockSeconds) << doublings, policy.maxLockSeconds);
    db.exec(u"UPDATE login_throttle SET locked_until = ? WHERE throttle_key = ?"_s,
            {toStorageTime(now.addSecs(lock)), key});
    return true;
}

} // namespace

Result<AuthStore::LoginGate> AuthStore::beginLoginAttempt(const QString &user,
                                                          const QString &address,
                                                          const ThrottlePolicy &policy)
{
    const QDateTime now = m_clock.now();
    const QString userNameKey = nameKey(normalizedName(user));
    return m_db.write([&]() -> Result<LoginGate> {
        LoginGate gate;
        gate.addressKey = u"addr:"_s + address;
        // The canonical user: a cashier's id whether they typed the name or the id (the same
        // lookup as CashierService's), else the name's key (so unknown names are throttled too).
        const QVariant id = m_db.scalar(u"SELECT id FROM cashiers WHERE id = ? OR name_key = ? "
                                        "ORDER BY id = ? DESC LIMIT 1"_s,
                                        {user, userNameKey, user});
        gate.userKey = id.isNull() ? u"name:"_s + userNameKey : u"user:"_s + id.toString();
        const std::optional<int> userFailures =
            countAttempt(m_db, gate.userKey, now, policy.windowSeconds);
        if (!userFailures) {
            gate.waitSeconds = int(secondsLocked(m_db, gate.userKey, now));
            return Result<LoginGate>::ok(gate); // locked: nothing counted
        }
        const std::optional<int> addressFailures =
            countAttempt(m_db, gate.addressKey, now, policy.windowSeconds);
        if (!addressFailures && *userFailures > 1) {
            // The address is locked and this user has failures of their own: refused, and the
            // user's count taken back (the row is ours until the commit).
            m_db.exec(u"UPDATE login_throttle SET failures = failures - 1 WHERE throttle_key = ?"_s,
                      {gate.userKey});
            gate.waitSeconds = int(secondsLocked(m_db, gate.addressKey, now));
            return Result<LoginGate>::ok(gate);
        }
        gate.addressCounted = addressFailures.has_value();
        gate.locksSet +=
            int(lockIfAtLimit(m_db, gate.userKey, *userFailures, policy.userLimit, now, policy));
        if (addressFailures)
            gate.locksSet += int(lockIfAtLimit(m_db, gate.addressKey, *addressFailures,
                                               policy.addressLimit, now, policy));
        return Result<LoginGate>::ok(gate);
    });
}

Result<int> AuthStore::loginSucceeded(const LoginGate &gate, const ThrottlePolicy &policy)
{
    return m_db.write([&]() -> Result<int> {
        m_db.exec(u"DELETE FROM login_throttle WHERE throttle_key = ?"_s, {gate.userKey});
        // Only failures count against an address (many tills may share one); the lock this
        // attempt may have set pessimistically is lifted when the count falls below the limit.
        if (gate.addressCounted) {
            m_db.exec(u"UPDATE login_throttle SET failures = failures - 1, locked_until = CASE "
                      "WHEN failures - 1 < ? THEN NULL ELSE locked_until END "
                      "WHERE throttle_key = ? AND failures > 0"_s,
                      {policy.addressLimit, gate.addressKey});
        }
        return Result<int>::ok(0);
    });
}

Result<int> AuthStore::clearUserThrottle(const QString &cashierId)
{
    return m_db.write([&]() -> Result<int> {
        return Result<int>::ok(m_db.change(u"DELETE FROM login_throttle WHERE throttle_key = ?"_s,
                                           {u"user:"_s + cashierId}));
    });
}

namespace {

// No index on the throttle's window: the table holds only the counters of roughly the last window
// plus one prune interval (every counter older goes at the next run), so a scan stays small.
// The conditions stand in the outer DELETE too: on PostgreSQL a row changed by a concurrent
// login attempt after the subquery's snapshot is re-checked against them before it goes.
const QString pruneTokensSql =
    u"DELETE FROM auth_tokens WHERE token_hash IN (SELECT token_hash FROM auth_tokens "
    "WHERE expires_at <= ? ORDER BY expires_at LIMIT ?) AND expires_at <= ?"_s;
const QString pruneThrottleSql =
    u"DELETE FROM login_throttle WHERE throttle_key IN (SELECT throttle_key FROM login_throttle "
    "WHERE window_start < ? AND (locked_until IS NULL OR locked_until <= ?) "
    "ORDER BY window_start LIMIT ?) "
    "AND window_start < ? AND (locked_until IS NULL OR locked_until <= ?)"_s;

} // namespace

Result<AuthStore::PruneCounts> AuthStore::pruneExpired(const ThrottlePolicy &policy, int chunkRows,
                                                       int maxChunks)
{
    const QDateTime now = m_clock.now();
    const QString nowText = toStorageTime(now);
    // A counter whose window began before this restarts at 1 on the next attempt.
    const QString windowOver = toStorageTime(now.addSecs(-policy.windowSeconds));
    const int rows = qBound(1, chunkRows, 100000);
    PruneCounts counts;
    const auto pruneTable = [&](const QString &sql, const QVariantList &values,
                                qint64 &deleted) -> Result<int> {
        for (int chunk = 0; maxChunks <= 0 || chunk < maxChunks; ++chunk) {
            const Result<int> removed =
                m_db.write([&] { return Result<int>::ok(m_db.change(sql, values)); });
            ++counts.transactions;
            if (!removed)
                return removed;
            deleted += *removed;
            if (*removed < rows)
                return Result<int>::ok(0);
        }
        counts.complete = false;
        return Result<int>::ok(0);
    };
    if (const Result<int> done =
            pruneTable(pruneTokensSql, {nowText, rows, nowText}, counts.tokens);
        !done)
        return Result<PruneCounts>::from(done);
    if (const Result<int> done = pruneTable(
            pruneThrottleSql, {windowOver, nowText, rows, windowOver, nowText}, counts.throttle);
        !done)
        return Result<PruneCounts>::from(done);
    return Result<PruneCounts>::ok(counts);
}

namespace {

AuthStore::DeviceInfo deviceFromRow(const QSqlQuery &row)
{
    return AuthStore::DeviceInfo{row.value(0).toString(), row.value(1).toString(),
                                 row.value(2).toString(), fromStorageTime(row.value(3).toString()),
                                 row.value(4).isNull() ? QDateTime()
                                                       : fromStorageTime(row.value(4).toString())};
}

const QString selectDevice =
    u"SELECT id, name, receipt_prefix, created_at, revoked_at FROM devices "_s;

} // namespace

Result<QList<AuthStore::DeviceInfo>> AuthStore::listDevices()
{
    return m_db.read([&] {
        QSqlQuery &query = m_db.exec(selectDevice + u"ORDER BY name_key"_s);
        QList<DeviceInfo> devices;
        while (query.next())
            devices.append(deviceFromRow(query));
        query.finish();
        return Result<QList<DeviceInfo>>::ok(devices);
    });
}

Result<AuthStore::DeviceInfo> AuthStore::revokeDevice(const QString &idOrName, bool *wasActive)
{
    const QString key = nameKey(normalizedName(idOrName));
    const QDateTime now = m_clock.now();
    return m_db.write([&]() -> Result<DeviceInfo> {
        QSqlQuery &query = m_db.exec(selectDevice + u"WHERE id = ? OR name_key = ? "
                                                    "ORDER BY id = ? DESC LIMIT 1"_s,
                                     {idOrName, key, idOrName});
        std::optional<DeviceInfo> device;
        if (query.next())
            device = deviceFromRow(query);
        query.finish();
        if (!device)
            return Result<DeviceInfo>::notFound(u"There is no device called %1."_s.arg(idOrName));
        if (wasActive)
            *wasActive = !device->revokedAt.isValid();
        if (!device->revokedAt.isValid()) {
            m_db.exec(u"UPDATE devices SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL"_s,
                      {toStorageTime(now), device->id});
            device->revokedAt = fromStorageTime(toStorageTime(now));
        }
        return Result<DeviceInfo>::ok(*device);
    });
}

QString AuthStore::syncedCashiersSql()
{
    // Retired cashiers stay for their orders' sake but are no till's users any more.
    return u"SELECT c.id, c.name, c.role, c.pin_hash, c.created_at FROM cashiers c "
           "WHERE c.name_key NOT LIKE ? AND (NOT EXISTS (SELECT 1 FROM devices d "
           "WHERE d.id = ? AND d.cashiers_restricted = 1) OR EXISTS (SELECT 1 FROM "
           "device_cashiers dc WHERE dc.device_id = ? AND dc.cashier_id = c.id)) "
           "ORDER BY c.name_key"_s;
}

QVariantList AuthStore::syncedCashiersValues(const QString &deviceId)
{
    return {CashierService::retiredNameKey({}) + u'%', deviceId, deviceId};
}

namespace {

std::optional<AuthStore::DeviceInfo> findDevice(Database &db, const QString &idOrName,
                                                bool *restricted)
{
    QSqlQuery &query = db.exec(u"SELECT id, name, receipt_prefix, created_at, revoked_at, "
                               "cashiers_restricted FROM devices WHERE id = ? OR name_key = ? "
                               "ORDER BY id = ? DESC LIMIT 1"_s,
                               {idOrName, nameKey(normalizedName(idOrName)), idOrName});
    std::optional<AuthStore::DeviceInfo> device;
    if (query.next()) {
        device = deviceFromRow(query);
        *restricted = query.value(5).toInt() == 1;
    }
    query.finish();
    return device;
}

QList<AuthStore::SyncedCashier> syncedCashiers(Database &db, const QString &deviceId)
{
    QSqlQuery &query =
        db.exec(AuthStore::syncedCashiersSql(), AuthStore::syncedCashiersValues(deviceId));
    QList<AuthStore::SyncedCashier> cashiers;
    while (query.next())
        cashiers.append(
            {query.value(0).toString(), query.value(1).toString(), query.value(2).toString()});
    query.finish();
    return cashiers;
}

} // namespace

Result<AuthStore::DeviceCashiers> AuthStore::deviceCashiers(const QString &deviceIdOrName)
{
    return m_db.read([&]() -> Result<DeviceCashiers> {
        DeviceCashiers result;
        const std::optional<DeviceInfo> device =
            findDevice(m_db, deviceIdOrName, &result.restricted);
        if (!device)
            return Result<DeviceCashiers>::notFound(
                u"There is no device called %1."_s.arg(deviceIdOrName));
        result.device = *device;
        result.cashiers = syncedCashiers(m_db, device->id);
        return Result<DeviceCashiers>::ok(result);
    });
}

Result<AuthStore::DeviceCashiers>
AuthStore::restrictDeviceCashiers(const QString &deviceIdOrName,
                                  const QStringList &cashierIdsOrNames)
{
    if (cashierIdsOrNames.isEmpty())
        return Result<DeviceCashiers>::invalidInput(
            u"The list of cashiers is empty: name at least one (a till nobody may use is "
            "revoked instead: device revoke DEVICE)."_s);
    return m_db.write([&]() -> Result<DeviceCashiers> {
        DeviceCashiers result;
        const std::optional<DeviceInfo> device =
            findDevice(m_db, deviceIdOrName, &result.restricted);
        if (!device)
            return Result<DeviceCashiers>::notFound(
                u"There is no device called %1."_s.arg(deviceIdOrName));
        QStringList ids;
        for (const QString &wanted : cashierIdsOrNames) {
            QSqlQuery &query = m_db.exec(u"SELECT id, name, name_key FROM cashiers "
                                         "WHERE id = ? OR name_key = ? "
                                         "ORDER BY id = ? DESC LIMIT 1"_s,
                                         {wanted, nameKey(normalizedName(wanted)), wanted});
            QString id;
            QString name;
            bool retired = false;
            if (query.next()) {
                id = query.value(0).toString();
                name = query.value(1).toString();
                retired = CashierService::isRetiredNameKey(query.value(2).toString());
            }
            query.finish();
            if (id.isEmpty())
                return Result<DeviceCashiers>::notFound(
                    u"There is no cashier called %1; nothing was changed."_s.arg(wanted));
            if (retired)
                return Result<DeviceCashiers>::failure(
                    Outcome::Conflict,
                    u"%1 is retired and cannot be allowed on a till; nothing was changed."_s.arg(
                        name));
            if (!ids.contains(id))
                ids.append(id);
        }
        m_db.exec(u"DELETE FROM device_cashiers WHERE device_id = ?"_s, {device->id});
        for (const QString &id : std::as_const(ids))
            m_db.exec(u"INSERT INTO device_cashiers (device_id, cashier_id) VALUES (?, ?)"_s,
                      {device->id, id});
        m_db.exec(u"UPDATE devices SET cashiers_restricted = 1 WHERE id = ?"_s, {device->id});
        result.device = *device;
        result.restricted = true;
        result.cashiers = syncedCashiers(m_db, device->id);
        return Result<DeviceCashiers>::ok(result);
    });
}

Result<AuthStore::DeviceCashiers> AuthStore::allowAllDeviceCashiers(const QString &deviceIdOrName)
{
    return m_db.write([&]() -> Result<DeviceCashiers> {
        DeviceCashiers result;
        const std::optional<DeviceInfo> device =
            findDevice(m_db, deviceIdOrName, &result.restricted);
        if (!device)
            return Result<DeviceCashiers>::notFound(
                u"There is no device called %1."_s.arg(deviceIdOrName));
        m_db.exec(u"DELETE FROM device_cashiers WHERE device_id = ?"_s, {device->id});
        if (result.restricted)
            m_db.exec(u"UPDATE devices SET cashiers_restricted = 0 WHERE id = ?"_s, {device->id});
        result.device = *device;
        result.restricted = false;
        result.cashiers = syncedCashiers(m_db, device->id);
        return Result<DeviceCashiers>::ok(result);
    });
}

} // namespace SafeTill
