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
    Result<QList<Cashier>> list();
    // By id or (case-insensitively) by name.
    Result<Cashier> find(const QString &idOrName);
    // InvalidInput "wrong PIN" when it does not match; the slow hash runs outside any transaction.
    Result<Cashier> verifyPin(const QString &idOrName, const QString &pin);

private:
    Database &m_db;
    const Clock &m_clock;
};

} // namespace SafeTill
