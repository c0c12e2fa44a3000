#pragma once

#include "Clock.h"
#include "Result.h"
#include "Types.h"

namespace SafeTill {

class Database;

// Cashiers and their PINs. A PIN is stored only as a salted Argon2id hash (PinHasher), with its
// number of digits so that PINs shorter than the shop's policy (ShopSettings::minPinDigits) can be
// flagged. A new or changed PIN must keep that policy.
class CashierService
{
public:
    explicit CashierService(Database &database, const Clock &clock = Clock::system());

    // The PIN must keep PinHasher::validate and the shop's min-pin-digits (InvalidInput naming
    // the rule otherwise, and nothing is written).
    Result<Cashier> add(const QString &name, const QString &pin, Role role = Role::Cashier);
    // The cashiers who can sign in (retired ones are left out).
    Result<QList<Cashier>> list();
    // By id or (case-insensitively) by name.
    Result<Cashier> find(const QString &idOrName);
    // InvalidInput "wrong PIN" when it does not match; the slow hash runs outside any transaction.
    Result<Cashier> verifyPin(const QString &idOrName, const QString &pin);

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
    Result<Cashier> retire(const QString &idOrName, bool *wasActive = nullptr);
    // A new PIN (validated against PinHasher::validate and the shop's min-pin-digits, hashed
    // outside the transaction). Refused for a retired cashier.
    Result<Cashier> setPin(const QString &idOrName, const QString &pin);
    // A new role. Refused for a retired cashier.
    Result<Cashier> setRole(const QString &idOrName, Role role);
    static bool isRetiredNameKey(const QString &nameKey);

    // A cashier removed on the sync server but kept on a terminal for the orders that name them:
    // a name key no name maps to, a PIN hash nothing matches, and not in list().
    static QString retiredNameKey(const QString &cashierId);
    static QString retiredPinHash();

private:
    // Why this PIN may not be set here (its shape or the shop's policy), or empty.
    Result<QString> pinProblem(const QString &pin);

    Database &m_db;
    const Clock &m_clock;
};

} // namespace SafeTill
