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

    // A cashier removed on the sync server but kept on a terminal for the orders that name them:
    // a name key no name maps to, a PIN hash nothing matches, and not in list().
    static QString retiredNameKey(const QString &cashierId);
    static QString retiredPinHash();

private:
    Database &m_db;
    const Clock &m_clock;
};

} // namespace SafeTill
