#include "DemoData.h"

#include "CashierService.h"
#include "CatalogService.h"
#include "Database.h"

#include <QCoreApplication>
#include <QFile>

using namespace Qt::StringLiterals;

namespace SafeTill {

namespace {

// The sentences a person reads, in the translations' context "SafeTill::DemoData".
struct Text
{
    Q_DECLARE_TR_FUNCTIONS(SafeTill::DemoData)
};

} // namespace

Result<DemoInstall> installDemoData(Database &database)
{
    DemoInstall installed;
    CashierService cashiers(database);
    for (const DemoCashier &demo : demoCashiers) {
        const QString name = QString::fromUtf16(demo.name);
        const Result<Cashier> existing = cashiers.find(name);
        if (existing)
            continue;
        if (existing.outcome() != Outcome::NotFound)
            return Result<DemoInstall>::from(existing);
        const Result<Cashier> added =
            cashiers.add(name, QString::fromUtf16(demo.pin),
                         roleFromString(QString::fromUtf16(demo.role)).value_or(Role::Cashier));
        if (!added)
            return Result<DemoInstall>::from(added);
        ++installed.cashiersAdded;
    }

    CatalogService catalog(database);
    const Result<QList<Product>> products = catalog.list();
    if (!products)
        return Result<DemoInstall>::from(products);
    if (products->isEmpty()) {
        QFile file(u":/demo/catalog.csv"_s);
        if (!file.open(QIODevice::ReadOnly))
            return Result<DemoInstall>::failure(
                Outcome::Error, Text::tr("The demo catalog is missing from this build."));
        const Result<ImportSummary> imported = catalog.importCsv(file.readAll());
        if (!imported)
            return Result<DemoInstall>::from(imported);
        installed.productsAdded = imported->added;
    }
    return Result<DemoInstall>::ok(installed);
}

} // namespace SafeTill
