#include "TestSupport.h"

#include "CashierService.h"
#include "DemoData.h"
#include "Verifier.h"

#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QUrl>
#include <QUrlQuery>
#include <QUuid>

using namespace Qt::StringLiterals;

namespace SafeTill::Test {

namespace {

QString postgresUrl()
{
    return qEnvironmentVariable("SAFETILL_TEST_PG_URL");
}

// Runs one statement on a short-lived connection of its own (creating and dropping schemas must
// not happen on a connection whose search_path points into them).
void adminExec(const QString &sql)
{
    QString error;
    const std::unique_ptr<Database> admin = Database::open(DatabaseOptions{postgresUrl()}, &error);
    if (!admin)
        qFatal("cannot reach the PostgreSQL test database: %s", qPrintable(error));
    QSqlQuery query(admin->connection());
    if (!query.exec(sql))
        qFatal("%s failed: %s", qPrintable(sql), qPrintable(query.lastError().text()));
}

} // namespace

Backend backend()
{
    static const Backend chosen =
        qEnvironmentVariable("SAFETILL_TEST_BACKEND").compare(u"postgres"_s, Qt::CaseInsensitive) ==
                0
            ? Backend::Postgres
            : Backend::Sqlite;
    return chosen;
}

QString backendUnavailableReason()
{
    if (backend() == Backend::Postgres && postgresUrl().isEmpty()) {
        return u"SAFETILL_TEST_PG_URL not set (scripts/run-tests starts a throw-away cluster with "
               "scripts/pg-test-cluster and sets it)"_s;
    }
    return {};
}

bool skippingIsFailure()
{
    return qEnvironmentVariable("CI").compare(u"true"_s, Qt::CaseInsensitive) == 0;
}

TestDatabase::TestDatabase(bool withDemoData)
{
    if (backend() == Backend::Postgres) {
        if (postgresUrl().isEmpty())
            qFatal("%s", qPrintable(backendUnavailableReason()));
        // Note: the admin connection itself migrates the shared database's public schema once;
        // harmless, and it keeps every test's own schema free of anything but its own tables.
        m_schema = u"t_"_s + QUuid::createUuid().toString(QUuid::Id128);
        adminExec(u"CREATE SCHEMA %1"_s.arg(m_schema)); // a fixed pattern, not input
        QUrl url(postgresUrl());
        QUrlQuery query(url);
        query.addQueryItem(u"options"_s, u"-csearch_path%3D"_s + m_schema);
        url.setQuery(query);
        m_location = url.toString();
    } else {
        if (!m_dir.isValid())
            qFatal("cannot create a temporary folder");
        m_location = m_dir.filePath(u"test.sqlite"_s);
    }
    m_db = open();
    if (withDemoData) {
        const Result<DemoInstall> demo = installDemoData(*m_db);
        if (!demo)
            qFatal("demo data: %s", qPrintable(demo.message()));
    }
}

TestDatabase::~TestDatabase()
{
    m_db.reset(); // the schema cannot be dropped under an open transaction of its own
    if (!m_schema.isEmpty())
        adminExec(u"DROP SCHEMA %1 CASCADE"_s.arg(m_schema));
}

std::unique_ptr<Database> TestDatabase::open() const
{
    QString error;
    std::unique_ptr<Database> db = Database::open(DatabaseOptions{m_location}, &error);
    if (!db)
        qFatal("cannot open the test database: %s", qPrintable(error));
    return db;
}

QString TestDatabase::cashierId(const QString &name)
{
    const Result<Cashier> cashier = CashierService(*m_db).find(name);
    if (!cashier)
        qFatal("no cashier %s", qPrintable(name));
    return cashier->id;
}

QVariant queryValue(Database &db, const QString &sql, const QVariantList &values)
{
    QSqlQuery query(db.connection());
    query.prepare(sql);
    for (qsizetype i = 0; i < values.size(); ++i)
        query.bindValue(int(i), values.at(i));
    if (!query.exec())
        qFatal("test query failed: %s: %s", qPrintable(sql), qPrintable(query.lastError().text()));
    return query.next() ? query.value(0) : QVariant();
}

bool tryExec(Database &db, const QString &sql, const QVariantList &values)
{
    QSqlQuery query(db.connection());
    if (!query.prepare(sql))
        return false;
    for (qsizetype i = 0; i < values.size(); ++i)
        query.bindValue(int(i), values.at(i));
    return query.exec();
}

QStringList verifyFindings(Database &db)
{
    const Result<VerifyReport> report = Verifier(db).run();
    if (!report.value())
        return {u"verify could not run (%1): %2 %3"_s.arg(outcomeName(report.outcome()),
                                                          report.message(), report.detail())};
    QStringList findings;
    for (const VerifyFinding &finding : report.value()->findings)
        findings << u"%1 %2: %3"_s.arg(finding.code, finding.id, finding.message);
    return findings;
}

bool integrityOk(Database &db)
{
    if (db.dialect() == SqlDialect::Postgres)
        return queryValue(db, u"SELECT 1"_s).toInt() == 1;
    return queryValue(db, u"PRAGMA integrity_check"_s).toString() == u"ok"_s;
}

bool foreignKeysOk(Database &db)
{
    if (db.dialect() == SqlDialect::Postgres)
        return true;
    return queryValue(db, u"PRAGMA foreign_key_check"_s).isNull();
}

QString uniqueViolationCode(const Database &db)
{
    return db.dialect() == SqlDialect::Postgres ? u"23505"_s : u"2067"_s;
}

Result<Product> addTaxedTestCatalog(CatalogService &catalog)
{
    for (const TaxRate &rate :
         {TaxRate{u"STD"_s, u"Standard"_s, 2000}, TaxRate{u"RED"_s, u"Reduced"_s, 550}}) {
        if (Result<TaxRate> added = catalog.addTaxRate(rate); !added)
            return Result<Product>::from(added);
    }
    Result<Product> added = Result<Product>::invalidInput(u"no product"_s);
    for (const Product &product : {Product{u"D-STD"_s, u"Thing"_s, 1000, {}, u"STD"_s},
                                   Product{u"D-RED"_s, u"Food"_s, 333, {}, u"RED"_s},
                                   Product{u"D-NONE"_s, u"Untaxed"_s, 250, {}, {}}}) {
        added = catalog.add(product);
        if (!added)
            return added;
    }
    return added;
}

} // namespace SafeTill::Test
