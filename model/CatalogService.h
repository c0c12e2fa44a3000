#pragma once

#include "Clock.h"
#include "Result.h"
#include "Tax.h"
#include "Types.h"

namespace SafeTill {

class Database;

struct ImportSummary
{
    int added = 0;
    int updated = 0;
};

// The product catalog: prices are integer cents; an order line keeps the price it was sold at.
class CatalogService
{
public:
    static constexpr qsizetype maxImportBytes = 10 * 1024 * 1024;
    static constexpr int maxImportRows = 100000;

    explicit CatalogService(Database &database, const Clock &clock = Clock::system());

    Result<Product> add(const Product &product);
    // CSV with the header sku,name,price_cents[,category]. New SKUs are added, known ones updated.
    // Any bad row fails the whole import: every problem is reported with its line number and
    // nothing is imported.
    Result<ImportSummary> importCsv(const QByteArray &csv);
    Result<QList<Product>> list();
    Result<Product> product(const QString &sku);

    // Tax rates (model/Tax.h): add refuses a code that exists, replace (`tax set`) one that does
    // not. A changed rate applies to lines added from then on, never to lines already rung up.
    Result<TaxRate> addTaxRate(TaxRate rate, bool replace = false);
    Result<QList<TaxRate>> taxRates();

    // Checks and normalizes a product; empty string when it is fine.
    static QString validate(Product &product);

private:
    // Why a product's tax code is not one of tax_rates ("" when empty or known).
    QString unknownTax(const QString &code);
    Database &m_db;
    const Clock &m_clock;
};

} // namespace SafeTill
