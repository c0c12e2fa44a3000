#pragma once

#include "Clock.h"
#include "Result.h"
#include "Types.h"

namespace SafeTill {

class Database;

// Cashiers and their PINs. A PIN is stored only as a salted PBKDF2 hash.
class CashierService
{
public:
    explicit CashierService(Database &database, const Clock &clock = Clock::system());

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
    };
    Result<QList<Entry>> listAll();
    // Takes a cashier out of service for good, keeping the row that their orders name: they can
    // no longer sign in (their name maps to nobody, their PIN hash matches nothing, their tokens
    // are deleted), sync pulls leave them out, and their name is free for a new cashier. By id or
    // name; the result tells whether they were active until now.
    Result<Cashier> retire(const QString &idOrName, bool *wasActive = nullptr);
    // A new PIN (validated, hashed outside the transaction). Refused for a retired cashier.
    Result<Cashier> setPin(const QString &idOrName, const QString &pin);
    // A new role. Refused for a retired cashier.
    Result<Cashier> setRole(const QString &idOrName, Role role);
    static bool isRetiredNameKey(const QString &nameKey);

    // A cashier removed on the sync server but kept on a terminal for the orders that name them:
    // a name key no name maps to, a PIN hash nothing matches, and not in list().
    static QString retiredNameKey(const QString &cashierId);
    static QString retiredPinHash();

private:
    Database &m_db;
    const Clock &m_clock;
};

} // namespace SafeTill
