#include "CashierService.h"

#include "Database.h"
#include "PinHasher.h"
#include "ShopSettings.h"
#include "Validation.h"

#include <QCoreApplication>
#include <QUuid>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace SafeTill {

namespace {

// The sentences a person reads, in the translations' context "SafeTill::CashierService".
struct Text
{
    Q_DECLARE_TR_FUNCTIONS(SafeTill::CashierService)
};

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
    CashierService::PinLockout lockout;
};

CashierService::PinLockout storedLockout(Database &db, const QString &cashierId)
{
    QSqlQuery &query = db.exec(
        u"SELECT failures, locked_until FROM pin_failures WHERE cashier_id = ?"_s, {cashierId});
    CashierService::PinLockout lockout;
    if (query.next()) {
        lockout.failures = query.value(0).toInt();
        if (!query.value(1).isNull())
            lockout.lockedUntil = fromStorageTime(query.value(1).toString());
    }
    query.finish();
    return lockout;
}

std::optional<FoundCashier> lookUp(Database &db, const QString &idOrName)
{
    QSqlQuery &query =
        db.exec(u"SELECT id, name, role, created_at, pin_hash, name_key FROM cashiers "
                "WHERE id = ? OR name_key = ? ORDER BY id = ? DESC LIMIT 1"_s,
                {idOrName, nameKey(normalizedName(idOrName)), idOrName});
    std::optional<FoundCashier> found;
    if (query.next())
        found = FoundCashier{cashierFromRow(query),
                             query.value(4).toString(),
                             query.value(5).toString().startsWith(retiredPrefix),
                             {}};
    query.finish();
    if (found)
        found->lockout = storedLockout(db, found->cashier.id);
    return found;
}

} // namespace

int CashierService::lockoutSeconds(int failures)
{
    if (failures < freePinAttempts)
        return 0;
    return std::min(maxLockoutSeconds, 1 << std::min(failures - freePinAttempts, 5));
}

CashierService::CashierService(Database &database, const Clock &clock)
    : m_db(database)
    , m_clock(clock)
{}

namespace {

std::optional<Result<Cashier>> refusedOnSyncedTill(Database &db)
{
    if (const std::optional<QString> why = BackOfficeHistory::serverOwnsCatalog(db))
        return Result<Cashier>::failure(Outcome::InvalidState, *why);
    return std::nullopt;
}

} // namespace

Result<Cashier> CashierService::add(const QString &name, const QString &pin, Role role,
                                    const ChangeBy &by)
{
    const QString normalized = normalizedName(name);
    if (const QString problem =
            checkName(normalized, Text::tr("A cashier's name"), Limits::maxNameLength);
        !problem.isEmpty())
        return Result<Cashier>::invalidInput(problem);
    if (const Result<QString> problem = pinProblem(pin); !problem || !problem->isEmpty())
        return !problem ? Result<Cashier>::from(problem) : Result<Cashier>::invalidInput(*problem);
    const QString pinHash = PinHasher::hash(pin); // slow on purpose: not inside the transaction
    if (pinHash.isEmpty())
        return Result<Cashier>::failure(Outcome::Error, Text::tr("The PIN could not be hashed."));
    const Cashier cashier{QUuid::createUuid().toString(QUuid::WithoutBraces), normalized, role,
                          m_clock.now()};
    return m_db.write([&]() -> Result<Cashier> {
        if (auto refused = refusedOnSyncedTill(m_db))
            return *refused;
        if (!m_db.scalar(u"SELECT 1 FROM cashiers WHERE name_key = ?"_s, {nameKey(normalized)})
                 .isNull())
            return Result<Cashier>::invalidInput(
                Text::tr("There is already a cashier called %1.").arg(normalized));
        m_db.exec(u"INSERT INTO cashiers (id, name, name_key, role, pin_hash, pin_digits, "
                  "created_at) VALUES (?, ?, ?, ?, ?, ?, ?)"_s,
                  {cashier.id, cashier.name, nameKey(normalized), toString(role), pinHash,
                   int(pin.size()), toStorageTime(cashier.createdAt)});
        BackOfficeHistory::record(m_db, cashier.createdAt, by, u"cashier"_s, cashier.id, u"add"_s,
                                  u"%1 · %2"_s.arg(cashier.name, toString(role)));
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
        return Result<Cashier>::notFound(Text::tr("There is no cashier called %1.").arg(idOrName));
    });
}

Result<Cashier> CashierService::verifyPin(const QString &idOrName, const QString &pin,
                                          Lockout lockout)
{
    const Result<FoundCashier> found = m_db.read([&]() -> Result<FoundCashier> {
        if (std::optional<FoundCashier> cashier = lookUp(m_db, idOrName))
            return Result<FoundCashier>::ok(*cashier);
        return Result<FoundCashier>::notFound(
            Text::tr("There is no cashier called %1.").arg(idOrName));
    });
    if (!found)
        return Result<Cashier>::from(found);
    if (found->retired) // by id: the same answer as an unknown name, and no hash to check
        return Result<Cashier>::notFound(Text::tr("There is no cashier called %1.").arg(idOrName));
    const bool counted = lockout == Lockout::Applies;
    if (counted && found->lockout.lockedUntil.isValid() &&
        found->lockout.lockedUntil > m_clock.now())
        return Result<Cashier>::failure(Outcome::InvalidState,
                                        lockedMessage(found->cashier, found->lockout.lockedUntil));
    if (!PinHasher::verify(pin, found->pinHash)) {
        if (counted) {
            // Counted after the slow hash: guesses running at the same moment each count, so
            // they are bounded by how many run at once, and the next ones meet the lockout.
            const Result<PinLockout> now = countWrongPin(found->cashier.id);
            if (!now)
                return Result<Cashier>::from(now);
        }
        return Result<Cashier>::invalidInput(Text::tr("Wrong PIN."));
    }
    if (counted && found->lockout.failures > 0) {
        const Result<bool> reset = m_db.write([&] {
            m_db.exec(u"DELETE FROM pin_failures WHERE cashier_id = ?"_s, {found->cashier.id});
            return Result<bool>::ok(true);
        });
        if (!reset)
            return Result<Cashier>::from(reset);
    }
    return Result<Cashier>::ok(found->cashier);
}

Result<CashierService::PinLockout> CashierService::countWrongPin(const QString &cashierId)
{
    return m_db.write([&] {
        const QDateTime now = m_clock.now();
        m_db.exec(u"INSERT INTO pin_failures (cashier_id, failures, locked_until, updated_at) "
                  "VALUES (?, 1, NULL, ?) ON CONFLICT (cashier_id) DO UPDATE SET "
                  "failures = pin_failures.failures + 1, updated_at = excluded.updated_at"_s,
                  {cashierId, toStorageTime(now)});
        PinLockout lockout = storedLockout(m_db, cashierId);
        if (const int seconds = lockoutSeconds(lockout.failures); seconds > 0) {
            lockout.lockedUntil = now.addSecs(seconds);
            m_db.exec(u"UPDATE pin_failures SET locked_until = ? WHERE cashier_id = ?"_s,
                      {toStorageTime(lockout.lockedUntil), cashierId});
        }
        return Result<PinLockout>::ok(lockout);
    });
}

Result<CashierService::PinLockout> CashierService::pinLockout(const QString &idOrName)
{
    return m_db.read([&]() -> Result<PinLockout> {
        const std::optional<FoundCashier> found = lookUp(m_db, idOrName);
        if (!found || found->retired)
            return Result<PinLockout>::notFound(
                Text::tr("There is no cashier called %1.").arg(idOrName));
        PinLockout lockout = found->lockout;
        if (lockout.lockedUntil.isValid() && lockout.lockedUntil <= m_clock.now())
            lockout.lockedUntil = QDateTime();
        return Result<PinLockout>::ok(lockout);
    });
}

QString CashierService::lockedMessage(const Cashier &cashier, const QDateTime &until) const
{
    const qint64 seconds = std::max<qint64>(1, (m_clock.now().msecsTo(until) + 999) / 1000);
    return Text::tr("Too many wrong PINs for %1: locked until %2 UTC (try again in %3 s).")
        .arg(cashier.name, until.toUTC().toString(u"HH:mm:ss"_s), QString::number(seconds));
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

Result<Cashier> CashierService::retire(const QString &idOrName, bool *wasActive, const ChangeBy &by)
{
    return m_db.write([&]() -> Result<Cashier> {
        if (auto refused = refusedOnSyncedTill(m_db))
            return *refused;
        const std::optional<FoundCashier> found = lookUp(m_db, idOrName);
        if (!found)
            return Result<Cashier>::notFound(
                Text::tr("There is no cashier called %1.").arg(idOrName));
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
        BackOfficeHistory::record(m_db, m_clock.now(), by, u"cashier"_s, id, u"retire"_s,
                                  found->cashier.name);
        return Result<Cashier>::ok(found->cashier);
    });
}

Result<Cashier> CashierService::setPin(const QString &idOrName, const QString &pin,
                                       const ChangeBy &by)
{
    if (const Result<QString> problem = pinProblem(pin); !problem || !problem->isEmpty())
        return !problem ? Result<Cashier>::from(problem) : Result<Cashier>::invalidInput(*problem);
    const QString pinHash = PinHasher::hash(pin); // slow on purpose: not inside the transaction
    if (pinHash.isEmpty())
        return Result<Cashier>::failure(Outcome::Error, Text::tr("The PIN could not be hashed."));
    return m_db.write([&]() -> Result<Cashier> {
        if (auto refused = refusedOnSyncedTill(m_db))
            return *refused;
        const std::optional<FoundCashier> found = lookUp(m_db, idOrName);
        if (!found)
            return Result<Cashier>::notFound(
                Text::tr("There is no cashier called %1.").arg(idOrName));
        if (found->retired)
            return Result<Cashier>::failure(
                Outcome::Conflict,
                Text::tr("%1 is retired: a retired cashier has no PIN.").arg(found->cashier.name));
        m_db.exec(u"UPDATE cashiers SET pin_hash = ?, pin_digits = ? WHERE id = ?"_s,
                  {pinHash, int(pin.size()), found->cashier.id});
        // The new PIN works at once, even for a cashier locked out by wrong ones.
        m_db.exec(u"DELETE FROM pin_failures WHERE cashier_id = ?"_s, {found->cashier.id});
        // The PIN itself is never written anywhere but its hash.
        BackOfficeHistory::record(m_db, m_clock.now(), by, u"cashier"_s, found->cashier.id,
                                  u"pin"_s, found->cashier.name);
        return Result<Cashier>::ok(found->cashier);
    });
}

Result<Cashier> CashierService::setRole(const QString &idOrName, Role role, const ChangeBy &by)
{
    return m_db.write([&]() -> Result<Cashier> {
        if (auto refused = refusedOnSyncedTill(m_db))
            return *refused;
        std::optional<FoundCashier> found = lookUp(m_db, idOrName);
        if (!found)
            return Result<Cashier>::notFound(
                Text::tr("There is no cashier called %1.").arg(idOrName));
        if (found->retired)
            return Result<Cashier>::failure(
                Outcome::Conflict,
                Text::tr("%1 is retired: a retired cashier's role cannot change.")
                    .arg(found->cashier.name));
        m_db.exec(u"UPDATE cashiers SET role = ? WHERE id = ?"_s,
                  {toString(role), found->cashier.id});
        if (found->cashier.role != role)
            BackOfficeHistory::record(
                m_db, m_clock.now(), by, u"cashier"_s, found->cashier.id, u"role"_s,
                u"%1: %2 \u2192 %3"_s.arg(found->cashier.name, toString(found->cashier.role),
                                          toString(role)));
        found->cashier.role = role;
        return Result<Cashier>::ok(found->cashier);
    });
}

} // namespace SafeTill
