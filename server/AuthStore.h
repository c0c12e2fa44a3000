#pragma once

#include "Clock.h"
#include "Result.h"

#include <QDateTime>
#include <QString>
#include <QStringList>

#include <optional>

namespace SafeTill {

class Database;

// Bearer tokens, device tokens and the failed-login throttle, all in the database (so they hold
// across server processes). Tokens are random (256 bits) and only their SHA-256 is stored.
// One instance per thread, on that thread's Database.
class AuthStore
{
public:
    struct ThrottlePolicy
    {
        int userLimit = 5;       // failed attempts per user name before a lock
        int addressLimit = 20;   // failed attempts per client address before a lock
        int windowSeconds = 900; // failures older than this are forgotten
        int lockSeconds = 30;    // first lock; doubles with every further failure
        int maxLockSeconds = 900;
    };
    struct IssuedToken
    {
        QString token;
        QString cashierId;
        QDateTime expiresAt;
    };

    explicit AuthStore(Database &database, const Clock &clock = Clock::system());

    static QString newToken();
    static QString hashToken(const QString &token);
    // Tokens are base64url of 32 bytes (43 characters); anything else is refused unread.
    static bool looksLikeToken(const QString &token);

    Result<IssuedToken> issueToken(const QString &cashierId, int ttlSeconds);
    // The cashier of a valid, unexpired user token. NotFound when unknown or expired; InvalidState
    // when it is a device token (those are for terminal sync, not for a cashier's orders).
    Result<QString> cashierForToken(const QString &token);
    // The cashier of a user token found in the short cache of valid tokens (no database read);
    // nullopt when it is not there (it may still be valid: ask cashierForToken()).
    static std::optional<QString> cachedCashierForToken(const QString &token, const QDateTime &now);
    // Signs a user token out: it stops working at once in this process, and in every other
    // server process as soon as its short cache of valid tokens lapses (at most a second). The
    // result tells whether the token existed.
    Result<bool> revokeToken(const QString &token);
    // Registers a device; the result is its token, which is not stored and cannot be shown again.
    Result<QString> addDevice(const QString &name);

    // The throttle's decision on one login attempt, made before the PIN is checked.
    struct LoginGate
    {
        int waitSeconds = 0;         // > 0: refused, nothing evaluated; try again in that long
        QString userKey;             // the canonical user's counter ("user:ID" or "name:KEY")
        QString addressKey;          // the client address's counter ("addr:ADDRESS")
        bool addressCounted = false; // this attempt counts against the address too
        int locksSet = 0;            // counters this attempt locked (user, address): metrics
    };
    // Counts one login attempt, by a cashier's name or id (one counter per cashier either way),
    // from a client address, before the PIN is checked, so concurrent guesses cannot slip past
    // the limit: each counter is one atomic conditional increment (INSERT ... ON CONFLICT DO
    // UPDATE ... WHERE not locked RETURNING failures) and the lock is set in the same
    // transaction, which holds the row. A locked user is refused without counting against the
    // address. A locked address refuses users with failures of their own, but not a user whose
    // counter is clean: one attacker behind a shared address cannot lock everyone else out.
    Result<LoginGate> beginLoginAttempt(const QString &user, const QString &address,
                                        const ThrottlePolicy &policy);
    // The PIN was right: forget the user's failures and take back this attempt's address count.
    Result<int> loginSucceeded(const LoginGate &gate, const ThrottlePolicy &policy);
    // Forgets a cashier's failed sign-ins (after an administrator set a new PIN).
    Result<int> clearUserThrottle(const QString &cashierId);

    // Retention (server/ServerRetention.h): deletes what can never count again, oldest first, in
    // chunks of `chunkRows`, each chunk its own short write transaction, at most `maxChunks`
    // chunks per table (0: no bound). A user token once it has expired (a signed-out one is
    // deleted at once by revokeToken()); a throttle counter once both its window and its lock
    // are over, when the next attempt would start it afresh anyway (a missing row and such a
    // row count the same, see beginLoginAttempt()).
    struct PruneCounts
    {
        qint64 tokens = 0;
        qint64 throttle = 0;
        int transactions = 0;
        bool complete = true; // false: a chunk bound stopped it; call again for the rest
    };
    Result<PruneCounts> pruneExpired(const ThrottlePolicy &policy, int chunkRows, int maxChunks);

    // Devices, for the admin commands. A revoked device's token is refused by the next sync
    // request on every server process (device tokens are looked up per request, never cached).
    struct DeviceInfo
    {
        QString id;
        QString name;
        QString receiptPrefix; // empty until its first pull
        QDateTime createdAt;
        QDateTime revokedAt; // invalid while active
    };
    Result<QList<DeviceInfo>> listDevices();
    // By id or (case-insensitively) by name. The result tells whether it was active until now.
    Result<DeviceInfo> revokeDevice(const QString &idOrName, bool *wasActive = nullptr);

    // Which cashiers' PIN hashes a device receives in its sync pull: every active cashier by
    // default, or, once restricted, only the active ones on its list (device_cashiers, written
    // here only). A cashier taken off the list, or retired, is deleted from the till by its next
    // pull (sync/SyncStore::applyPull).
    struct SyncedCashier
    {
        QString id;
        QString name;
        QString role;
    };
    struct DeviceCashiers
    {
        DeviceInfo device;
        bool restricted = false;
        QList<SyncedCashier> cashiers; // what its next pull sends, by name
    };
    Result<DeviceCashiers> deviceCashiers(const QString &deviceIdOrName);
    // Restricts the device to these cashiers (by id or name; repeats do not matter), replacing its
    // list. NotFound naming an unknown device or cashier, Conflict for a retired cashier,
    // InvalidInput for an empty list: nothing is changed then.
    Result<DeviceCashiers> restrictDeviceCashiers(const QString &deviceIdOrName,
                                                  const QStringList &cashierIdsOrNames);
    // Back to the default: the device receives every active cashier.
    Result<DeviceCashiers> allowAllDeviceCashiers(const QString &deviceIdOrName);
    // The pull's query: id, name, role, pin_hash, created_at of the cashiers a device receives,
    // ordered by name; bind syncedCashiersValues(deviceId).
    static QString syncedCashiersSql();
    static QVariantList syncedCashiersValues(const QString &deviceId);

private:
    Database &m_db;
    const Clock &m_clock;
};

} // namespace SafeTill
