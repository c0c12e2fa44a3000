#pragma once

#include "BackOfficeHistory.h"
#include "Clock.h"
#include "Result.h"
#include "Types.h"

namespace SafeTill {

class Database;

// Cashiers and their PINs. A PIN is stored only as a salted Argon2id hash (PinHasher), with its
// number of digits so that PINs shorter than the shop's policy (ShopSettings::minPinDigits) can be
// flagged. A new or changed PIN must keep that policy.
//
// Wrong PINs are counted in the database (table pin_failures, written here only): after
// freePinAttempts wrong PINs in a row a cashier is locked out for 1 s, then 2, 4, 8, 16 and at
// most 30 s per further wrong PIN, across every window and process on the database and across
// restarts. A right PIN (or a new PIN) resets the count. An approver's PIN counts the same.
//
// Adding, retiring, a new PIN and a new role are each one write transaction with a history entry
// (BackOfficeHistory) naming `by`, refused (InvalidState, nothing written) on a till that syncs
// with a server, which owns the cashiers.
class CashierService
{
    Q_DECLARE_TR_FUNCTIONS(SafeTill::CashierService)

public:
    static constexpr int freePinAttempts = 3;
    static constexpr int maxLockoutSeconds = 30;
    // How long `failures` wrong PINs in a row lock a cashier out (0: not locked).
    static int lockoutSeconds(int failures);

    // A cashier's wrong PINs since their last right one, and until when they are locked out
    // (invalid when not locked, or the lockout is over).
    struct PinLockout
    {
        int failures = 0;
        QDateTime lockedUntil;
    };
    // Whether verifyPin counts wrong PINs and refuses while locked out. The server's sign-in has
    // its own throttle per user and per address (server/AuthStore) and checks with CallerThrottles.
    enum class Lockout { Applies, CallerThrottles };

    explicit CashierService(Database &database, const Clock &clock = Clock::system());

    // The PIN must keep PinHasher::validate and the shop's min-pin-digits (InvalidInput naming
    // the rule otherwise, and nothing is written).
    Result<Cashier> add(const QString &name, const QString &pin, Role role = Role::Cashier,
                        const ChangeBy &by = {});
    // The cashiers who can sign in (retired ones are left out).
    Result<QList<Cashier>> list();
    // By id or (case-insensitively) by name.
    Result<Cashier> find(const QString &idOrName);
    // InvalidInput "wrong PIN" when it does not match; the slow hash runs outside any transaction.
    // A wrong PIN is counted; while the cashier is locked out the PIN is not checked at all and
    // the answer is InvalidState saying until when (see PinLockout).
    Result<Cashier> verifyPin(const QString &idOrName, const QString &pin,
                              Lockout lockout = Lockout::Applies);
    // The lockout state as stored, by id or name (what the login screen shows as a countdown).
    Result<PinLockout> pinLockout(const QString &idOrName);

    // Every cashier, retired ones too (for the server's `user list`).
    struct Entry
    {
        Cashier cashier;
        bool retired = false;
        std::optional<int> pinDigits; // unknown for a PIN set before SafeTill recorded it
    };
    Result<QList<Entry>> listAll();
    // Takes a cashier out of service for good, keeping the row that their orders name: they can
    // no longer sign in (their name maps to nobody, their PIN hash matches nothing, their tokens
    // are deleted), sync pulls leave them out, and their name is free for a new cashier. By id or
    // name; the result tells whether they were active until now.
    Result<Cashier> retire(const QString &idOrName, bool *wasActive = nullptr,
                           const ChangeBy &by = {});
    // A new PIN (validated against PinHasher::validate and the shop's min-pin-digits, hashed
    // outside the transaction). Refused for a retired cashier.
    Result<Cashier> setPin(const QString &idOrName, const QString &pin, const ChangeBy &by = {});
    // A new role. Refused for a retired cashier.
    Result<Cashier> setRole(const QString &idOrName, Role role, const ChangeBy &by = {});
    static bool isRetiredNameKey(const QString &nameKey);

    // A cashier removed on the sync server but kept on a terminal for the orders that name them:
    // a name key no name maps to, a PIN hash nothing matches, and not in list().
    static QString retiredNameKey(const QString &cashierId);
    static QString retiredPinHash();

private:
    // Why this PIN may not be set here (its shape or the shop's policy), or empty.
    Result<QString> pinProblem(const QString &pin);
    // Counts a wrong PIN (one write transaction); the lockout that results.
    Result<PinLockout> countWrongPin(const QString &cashierId);
    // The message of a refusal while locked out.
    QString lockedMessage(const Cashier &cashier, const QDateTime &until) const;

    Database &m_db;
    const Clock &m_clock;
};

} // namespace SafeTill
