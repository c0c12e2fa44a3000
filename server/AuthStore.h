#pragma once

#include "Clock.h"
#include "Result.h"

#include <QDateTime>
#include <QString>
#include <QStringList>

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
    // Signs a user token out: it stops working at once in this process, and in every other
    // server process as soon as its short cache of valid tokens lapses (at most a second). The
    // result tells whether the token existed.
    Result<bool> revokeToken(const QString &token);
    // Registers a device; the result is its token, which is not stored and cannot be shown again.
    Result<QString> addDevice(const QString &name);

    // Counts one login attempt against every key (e.g. "user:alice", "addr:10.0.0.7") before the
    // PIN is checked, so concurrent guesses cannot slip past the limit. The result is 0 when the
    // attempt may proceed, else the seconds until the caller may try again (nothing counted).
    Result<int> beginLoginAttempt(const QString &userKey, const QString &addressKey,
                                  const ThrottlePolicy &policy);
    // The PIN was right: forget the user's failures and take back this attempt's count.
    Result<int> loginSucceeded(const QString &userKey, const QString &addressKey,
                               const ThrottlePolicy &policy);

private:
    Database &m_db;
    const Clock &m_clock;
};

} // namespace SafeTill
