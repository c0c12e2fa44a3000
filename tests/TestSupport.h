#pragma once

#include "CatalogService.h"
#include "Database.h"
#include "Types.h"

#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>
#include <QUuid>

#include <memory>

namespace SafeTill::Test {

// Which database the suite runs on: SQLite unless the environment says
// SAFETILL_TEST_BACKEND=postgres (tests/CMakeLists.txt registers such suites a second time as
// NAME_pg). PostgreSQL suites connect to SAFETILL_TEST_PG_URL (scripts/run-tests starts a
// throw-away cluster and sets it).
enum class Backend { Sqlite, Postgres };
Backend backend();
inline bool onPostgres()
{
    return backend() == Backend::Postgres;
}
// Why this suite cannot run here (empty when it can): PostgreSQL wanted but no URL given.
QString backendUnavailableReason();
// CI=true: a suite that cannot reach its database fails instead of skipping.
bool skippingIsFailure();

// A fresh, migrated database of the suite's backend, with the demo cashiers (Alice 1234, Bob
// 5678, Maria 9999) and demo catalog (e.g. COF-ESP 220, BAK-CRO 190) installed. On SQLite: a file
// in its own temporary folder. On PostgreSQL: a schema of its own in the test database (the
// connection URL sets search_path to it), dropped again by the destructor; much cheaper than a
// database per test, and just as isolated.
class TestDatabase
{
public:
    explicit TestDatabase(bool withDemoData = true);
    ~TestDatabase();
    TestDatabase(const TestDatabase &) = delete;
    TestDatabase &operator=(const TestDatabase &) = delete;
    // What Database::open() takes: the SQLite file, or the PostgreSQL URL for this test's schema.
    QString path() const { return m_location; }
    bool isPostgres() const { return !m_schema.isEmpty(); }
    // The connection for the calling thread's use (creates one per call; keep it for the thread).
    std::unique_ptr<Database> open() const;
    Database &db() { return *m_db; } // the main thread's connection
    QString cashierId(const QString &name);

private:
    QTemporaryDir m_dir;
    QString m_location;
    QString m_schema; // PostgreSQL only
    std::unique_ptr<Database> m_db;
};

// The database's own consistency check says "ok" (SQLite: PRAGMA integrity_check; PostgreSQL
// checks its pages itself, so there: the connection answers and is not stuck in a failed
// transaction).
bool integrityOk(Database &db);
// No row breaks a foreign key (SQLite: PRAGMA foreign_key_check; PostgreSQL enforces them on
// every statement, so there: true).
bool foreignKeysOk(Database &db);
// What `safetill-cli verify` finds wrong with the database (model/Verifier.h), one line per
// finding ("code id: message"), or why it could not check; empty when the database is clean.
QStringList verifyFindings(Database &db);
// Runs one SQL query and returns the first column of the first row.
QVariant queryValue(Database &db, const QString &sql, const QVariantList &values = {});
// Runs a statement the test expects the database may refuse (a trigger, a CHECK): whether it ran.
// Outside a transaction, so a refusal leaves nothing behind.
bool tryExec(Database &db, const QString &sql, const QVariantList &values = {});

// A fresh request or order id.
inline QString newId()
{
    return QUuid::createUuid().toString(QUuid::WithoutBraces);
}

// A sync op's result as "applied", "conflict:stale_base" ...: its result, and its code if any.
inline QString syncResultKind(const QJsonObject &result)
{
    const QString kind = result.value(QStringLiteral("result")).toString();
    return result.contains(QStringLiteral("code"))
               ? kind + u':' + result.value(QStringLiteral("code")).toString()
               : kind;
}

// count copies of kind.
inline QStringList repeated(const QString &kind, qsizetype count)
{
    QStringList list;
    for (qsizetype i = 0; i < count; ++i)
        list << kind;
    return list;
}
// The native error code of a unique violation on the database's dialect ("2067" / "23505").
QString uniqueViolationCode(const Database &db);
// The catalog the money suites share (tender, refunds, shifts): tax rates STD 20 % and RED 5.5 %,
// and the products D-STD (10.00, STD), D-RED (3.33, RED) and D-NONE (2.50, untaxed). Returns the
// first failure, or the last product added.
Result<Product> addTaxedTestCatalog(CatalogService &catalog);

} // namespace SafeTill::Test

// Fails the test, listing the findings, unless `safetill-cli verify` finds the database clean.
#define VERIFY_DATABASE_CLEAN(database)                                                            \
    do {                                                                                           \
        const QStringList safetillFindings = ::SafeTill::Test::verifyFindings(database);           \
        QVERIFY2(safetillFindings.isEmpty(),                                                       \
                 qPrintable(QStringLiteral("verify found:\n") +                                    \
                            safetillFindings.join(QLatin1Char('\n'))));                            \
    } while (false)

// First line of initTestCase() in every suite that runs on both databases: skips the suite,
// loudly, when its database is not available (fails instead under CI=true).
#define SAFETILL_REQUIRE_TEST_BACKEND()                                                            \
    do {                                                                                           \
        const QString safetillWhy = ::SafeTill::Test::backendUnavailableReason();                  \
        if (!safetillWhy.isEmpty()) {                                                              \
            if (::SafeTill::Test::skippingIsFailure())                                             \
                QFAIL(qPrintable(QStringLiteral("PostgreSQL tests cannot run and CI=true: ") +     \
                                 safetillWhy));                                                    \
            QSKIP(qPrintable(QStringLiteral("PostgreSQL tests SKIPPED: ") + safetillWhy));         \
        }                                                                                          \
    } while (false)
