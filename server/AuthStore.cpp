#include "AuthStore.h"

#include "Database.h"
#include "Validation.h"

#include <QCryptographicHash>
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
    return QString::fromLatin1(
        QCryptographicHash::hash(token.toLatin1(), QCryptographicHash::Sha256).toHex());
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

Result<int> AuthStore::beginLoginAttempt(const QString &userKey, const QString &addressKey,
                                         const ThrottlePolicy &policy)
{
    const QDateTime now = m_clock.now();
    return m_db.write([&]() -> Result<int> {
        struct Row
        {
            QString key;
            int limit = 0;
            int failures = 0;
            QDateTime windowStart;
            QDateTime lockedUntil;
            bool exists = false;
        };
        Row rows[2];
        rows[0].key = userKey;
        rows[0].limit = policy.userLimit;
        rows[1].key = addressKey;
        rows[1].limit = policy.addressLimit;
        qint64 wait = 0;
        for (Row &row : rows) {
            QSqlQuery &query = m_db.exec(u"SELECT failures, window_start, locked_until "
                                         "FROM login_throttle WHERE throttle_key = ?"_s,
                                         {row.key});
            if (query.next()) {
                row.exists = true;
                row.failures = query.value(0).toInt();
                row.windowStart = fromStorageTime(query.value(1).toString());
                row.lockedUntil = fromStorageTime(query.value(2).toString());
            }
            query.finish();
            if (row.lockedUntil.isValid() && row.lockedUntil > now)
                wait = qMax(wait, (now.msecsTo(row.lockedUntil) + 999) / 1000);
        }
        if (wait > 0)
            return Result<int>::ok(int(wait)); // locked: nothing counted, nothing to commit
        for (Row &row : rows) {
            if (!row.windowStart.isValid() || row.windowStart.secsTo(now) > policy.windowSeconds) {
                row.failures = 0;
                row.windowStart = now;
            }
            ++row.failures;
            QVariant lockedUntil{QMetaType(QMetaType::QString)};
            if (row.failures >= row.limit) {
                const int doublings = qMin(row.failures - row.limit, 10);
                const qint64 lock =
                    qMin<qint64>(qint64(policy.lockSeconds) << doublings, policy.maxLockSeconds);
                lockedUntil = toStorageTime(now.addSecs(lock));
            }
            // Upsert in one statement (SQLite and PostgreSQL both have ON CONFLICT ... DO UPDATE).
            m_db.exec(u"INSERT INTO login_throttle (throttle_key, failures, window_start, "
                      "locked_until) VALUES (?, ?, ?, ?) ON CONFLICT (throttle_key) DO UPDATE SET "
                      "failures = excluded.failures, window_start = excluded.window_start, "
                      "locked_until = excluded.locked_until"_s,
                      {row.key, row.failures, toStorageTime(row.windowStart), lockedUntil});
        }
        return Result<int>::ok(0);
    });
}

Result<int> AuthStore::loginSucceeded(const QString &userKey, const QString &addressKey,
                                      const ThrottlePolicy &policy)
{
    return m_db.write([&]() -> Result<int> {
        m_db.exec(u"DELETE FROM login_throttle WHERE throttle_key = ?"_s, {userKey});
        // Only failures count against an address (many tills may share one); the lock this
        // attempt may have set pessimistically is lifted when the count falls below the limit.
        m_db.exec(u"UPDATE login_throttle SET failures = failures - 1, locked_until = CASE "
                  "WHEN failures - 1 < ? THEN NULL ELSE locked_until END "
                  "WHERE throttle_key = ? AND failures > 0"_s,
                  {policy.addressLimit, addressKey});
        return Result<int>::ok(0);
    });
}

} // namespace SafeTill
