#include "TestSupport.h"

#include "CashierService.h"
#include "DemoData.h"

#include <QTest>

using namespace Qt::StringLiterals;

namespace SafeTill::Test {

TestDatabase::TestDatabase(bool withDemoData)
{
    if (!m_dir.isValid())
        qFatal("cannot create a temporary folder");
    m_db = open();
    if (withDemoData) {
        const Result<DemoInstall> demo = installDemoData(*m_db);
        if (!demo)
            qFatal("demo data: %s", qPrintable(demo.message()));
    }
}

std::unique_ptr<Database> TestDatabase::open() const
{
    QString error;
    std::unique_ptr<Database> db = Database::open(DatabaseOptions{path()}, &error);
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

bool integrityOk(Database &db)
{
    return queryValue(db, u"PRAGMA integrity_check"_s).toString() == u"ok"_s;
}

} // namespace SafeTill::Test
