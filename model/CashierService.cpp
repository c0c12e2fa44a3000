#include "CashierService.h"

#include "Database.h"
#include "PinHasher.h"
#include "ShopSettings.h"
#include "Validation.h"

#include <QUuid>

using namespace Qt::StringLiterals;

namespace SafeTill {

namespace {

const QString selectCashier = u"SELECT id, name, role, created_at FROM cashiers "_s;
const QString retiredPrefix = u"retired:"_s;

Cashier cashierFromRow(const QSqlQuery &row)
{
    return Cashier{row.value(0).toString(), row.value(1).toString(),
                   roleFromString(row.value(2).toString()).value_or(Role::Cashier),
                   fromStorageTime(row.value(3).toString())};
}

struct FoundCashier
{
    Cashier cashier;
    QString pinHash;
    bool retired = false;
};

std::optional<FoundCashier> lookUp(Database &db, const QString &idOrName)
{
    QSqlQuery &query =
        db.exec(u"SELECT id, name, role, created_at, pin_hash, name_key FROM cashiers "
                "WHERE id = ? OR name_key = ? ORDER BY id = ? DESC LIMIT 1"_s,
                {idOrName, nameKey(normalizedName(idOrName)), idOrName});
    std::optional<FoundCashier> found;
    if (query.next())
        found = FoundCashier{cashierFromRow(query), query.value(4).toString(),
                             query.value(5).toString().startsWith(retiredPrefix)};
    query.finish();
    return found;
}

} // namespace

CashierService::CashierService(Database &database, const Clock &clock)
    : m_db(database)
    , m_clock(clock)
{}

Result<Cashier> CashierService::add(const QString &name, const QString &pin, Role role)
{
    const QString normalized = normalizedName(name);
    if (const QString problem = checkName(normalized, u"A cashier's name"_s, Limits::maxNameLength);
        !problem.isEmpty())
        return Result<Cashier>::invalidInput(problem);
    if (const Result<QString> problem = pinProblem(pin); !problem || !problem->isEmpty())
        return !problem ? Result<Cashier>::from(problem) : Result<Cashier>::invalidInput(*problem);
    const QString pinHash = PinHasher::hash(pin); // slow on purpose: not inside the transaction
    if (pinHash.isEmpty())
        return Result<Cashier>::failure(Outcome::Error, u"The PIN could not be hashed."_s);
    const Cashier cashier{QUuid::createUuid().toString(QUuid::WithoutBraces), normalized, role,
                          m_clock.now()};
    return m_db.write([&]() -> Result<Cashier> {
        if (!m_db.scalar(u"SELECT 1 FROM cashiers WHERE name_key = ?"_s, {nameKey(normalized)})
                 .isNull())
            return Result<Cashier>::invalidInput(
                u"There is already a cashier called %1."_s.arg(normalized));
        m_db.exec(u"INSERT INTO cashiers (id, name, name_key, role, pin_hash, pin_digits, "
                  "created_at) VALUES (?, ?, ?, ?, ?, ?, ?)"_s,
                  {cashier.id, cashier.name, nameKey(normalized), toString(role), pinHash,
                   int(pin.size()), toStorageTime(cashier.createdAt)});
        return Result<Cashier>::ok(cashier);
    });
}

Result<QString> CashierService::pinProblem(const QString &pin)
{
    if (const QString problem = PinHasher::validate(pin); !problem.isEmpty())
        return Result<QString>::ok(problem);
    const Result<int> minDigits = ShopSettings(m_db, m_clock).minPinDigits();
    if (!minDigits)
        return Result<QString>::from(minDigits);
    return Result<QString>::ok(ShopSettings::pinPolicyProblem(pin, *minDigits));
}

QString CashierService::retiredNameKey(const QString &cashierId)
{
    return retiredPrefix + cashierId;
}

QString CashierService::retiredPinHash()
{
    return u"$argon2id$retired"_s; // passes the schema's CHECK, matches no PIN
}

Result<QList<Cashier>> CashierService::list()
{
    return m_db.read([&] {
        QSqlQuery &query =
            m_db.exec(selectCashier + u"WHERE name_key NOT LIKE ? ORDER BY name_key"_s,
                      {retiredPrefix + u'%'});
        QList<Cashier> cashiers;
        while (query.next())
            cashiers.append(cashierFromRow(query));
        query.finish();
        return Result<QList<Cashier>>::ok(cashiers);
    });
}

Result<Cashier> CashierService::find(const QString &idOrName)
{
    return m_db.read([&]() -> Result<Cashier> {
        if (std::optional<FoundCashier> found = lookUp(m_db, idOrName))
            return Result<Cashier>::ok(found->cashier);
        return Result<Cashier>::notFound(u"There is no cashier called %1."_s.arg(idOrName));
    });
}

Result<Cashier> CashierService::verifyPin(const QString &idOrName, const QString &pin)
{
    const Result<FoundCashier> found = m_db.read([&]() -> Result<FoundCashier> {
        if (std::optional<FoundCashier> cashier = lookUp(m_db, idOrName))
            return Result<FoundCashier>::ok(*cashier);
        return Result<FoundCashier>::notFound(u"There is no cashier called %1."_s.arg(idOrName));
    });
    if (!found)
        return Result<Cashier>::from(found);
    if (found->retired) // by id: the same answer as an unknown name, and no hash to check
        return Result<Cashier>::notFound(u"There is no cashier called %1."_s.arg(idOrName));
    if (!PinHasher::verify(pin, found->pinHash))
        return Result<Cashier>::invalidInput(u"Wrong PIN."_s);
    return Result<Cashier>::ok(found->cashier);
}

bool CashierService::isRetiredNameKey(const QString &nameKey)
{
    return nameKey.startsWith(retiredPrefix);
}

Result<QList<CashierService::Entry>> CashierService::listAll()
{
    return m_db.read([&] {
        QSqlQuery &query =
            m_db.exec(u"SELECT id, name, role, created_at, name_key, pin_digits FROM cashiers "
                      "ORDER BY name, id"_s);
        QList<Entry> cashiers;
        while (query.next()) {
            Entry entry{cashierFromRow(query), query.value(4).toString().startsWith(retiredPrefix),
                        std::nullopt};
            if (!query.value(5).isNull())
                entry.pinDigits = query.value(5).toInt();
            cashiers.append(entry);
        }
        query.finish();
        return Result<QList<Entry>>::ok(cashiers);
    });
}

Result<Cashier> CashierService::retire(const QString &idOrName, bool *wasActive)
{
    return m_db.write([&]() -> Result<Cashier> {
        const std::optional<FoundCashier> found = lookUp(m_db, idOrName);
        if (!found)
            return Result<Cashier>::notFound(u"There is no cashier called %1."_s.arg(idOrName));
        if (wasActive)
            *wasActive = !found->retired;
        if (found->retired)
            return Result<Cashier>::ok(found->cashier);
        const QString id = found->cashier.id;
        m_db.exec(u"UPDATE cashiers SET name_key = ?, pin_hash = ? WHERE id = ?"_s,
                  {retiredNameKey(id), retiredPinHash(), id});
        // Signed out everywhere: other server processes stop accepting a cached token within a
        // second (AuthStore's cache).
        m_db.exec(u"DELETE FROM auth_tokens WHERE cashier_id = ?"_s, {id});
        return Result<Cashier>::ok(found->cashier);
    });
}

Result<Cashier> CashierService::setPin(const QString &idOrName, const QString &pin)
{
    if (const Result<QString> problem = pinProblem(pin); !problem || !problem->isEmpty())
        return !problem ? Result<Cashier>::from(problem) : Result<Cashier>::invalidInput(*problem);
    const QString pinHash = PinHasher::hash(pin); // slow on purpose: not inside the transaction
    if (pinHash.isEmpty())
        return Result<Cashier>::failure(Outcome::Error, u"The PIN could not be hashed."_s);
    return m_db.write([&]() -> Result<Cashier> {
        const std::optional<FoundCashier> found = lookUp(m_db, idOrName);
        if (!found)
            return Result<Cashier>::notFound(u"There is no cashier called %1."_s.arg(idOrName));
        if (found->retired)
            return Result<Cashier>::failure(
                Outcome::Conflict,
                u"%1 is retired: a retired cashier has no PIN."_s.arg(found->cashier.name));
        m_db.exec(u"UPDATE cashiers SET pin_hash = ?, pin_digits = ? WHERE id = ?"_s,
                  {pinHash, int(pin.size()), found->cashier.id});
        return Result<Cashier>::ok(found->cashier);
    });
}

Result<Cashier> CashierService::setRole(const QString &idOrName, Role role)
{
    return m_db.write([&]() -> Result<Cashier> {
        std::optional<FoundCashier> found = lookUp(m_db, idOrName);
        if (!found)
            return Result<Cashier>::notFound(u"There is no cashier called %1."_s.arg(idOrName));
        if (found->retired)
            return Result<Cashier>::failure(
                Outcome::Conflict, u"%1 is retired: a retired cashier's role cannot change."_s.arg(
                                       found->cashier.name));
        m_db.exec(u"UPDATE cashiers SET role = ? WHERE id = ?"_s,
                  {toString(role), found->cashier.id});
        found->cashier.role = role;
        return Result<Cashier>::ok(found->cashier);
    });
}

} // namespace SafeTill
