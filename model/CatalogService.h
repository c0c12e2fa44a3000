#pragma once

#include "BackOfficeHistory.h"
#include "Clock.h"
#include "Result.h"
#include "Tax.h"
#include "Types.h"

#include <QSet>

namespace SafeTill {

class Database;

struct ImportSummary
{
    int added = 0;
    int updated = 0;
};

// A product as the back office sees it: also whether the till asks for its price each time
// (open price) and whether it was retired (taken off the till; never deleted).
// What the till's order screen shows: the products on sale in the till's order, and those of
// them sold at an open price (the till asks the price when one is added).
struct TillCatalog
{
    QList<Product> products;
    QSet<QString> openPriceSkus;
};

struct CatalogProduct
{
    Product product;
    bool openPrice = false;
    QDateTime retiredAt; // invalid while the product is sold
    bool retired() const { return retiredAt.isValid(); }
};

// The product catalog: prices are integer cents; an order line keeps the price it was sold at.
class CatalogService
{
    Q_DECLARE_TR_FUNCTIONS(SafeTill::CatalogService)

public:
    static constexpr qsizetype maxImportBytes = 10 * 1024 * 1024;
    static constexpr int maxImportRows = 100000;

    explicit CatalogService(Database &database, const Clock &clock = Clock::system());

    // Every change of the catalog below is one write transaction with a history entry
    // (BackOfficeHistory) naming `by`, and is refused (InvalidState, nothing written) on a till
    // that syncs with a server, which owns the catalog.
    Result<Product> add(const Product &product, const ChangeBy &by = {});
    Result<CatalogProduct> add(const CatalogProduct &product, const ChangeBy &by);
    // Changes a product's name, price, category, tax rate and open price (by its SKU, which does
    // not change: order lines name it). NotFound for an unknown SKU; a retired product stays
    // retired.
    Result<CatalogProduct> update(const CatalogProduct &product, const ChangeBy &by);
    // Takes a product off the till (list() leaves it out) and keeps its row, so the receipts and
    // reports that name it stay whole. Retiring a retired product changes nothing (Ok).
    Result<CatalogProduct> retire(const QString &sku, const ChangeBy &by);
    // Puts a retired product back on the till.
    Result<CatalogProduct> restore(const QString &sku, const ChangeBy &by);
    // CSV with the header sku,name,price_cents[,category]. New SKUs are added, known ones updated.
    // Any bad row fails the whole import: every problem is reported with its line number and
    // nothing is imported. An imported SKU that was retired is on the till again.
    Result<ImportSummary> importCsv(const QByteArray &csv, const ChangeBy &by = {});
    // The products on the till (retired ones left out), by category in the till's order
    // (categories()), then name.
    Result<QList<Product>> list();
    // Every product, retired ones too, in the same order (the back office).
    Result<QList<CatalogProduct>> listAll();
    // The categories in their order on the till: those placed (moveCategory, addCategory) first,
    // then the others that products name, by name.
    Result<QStringList> categories();
    // A new, still empty category at the end of the order (InvalidInput when it exists).
    Result<QStringList> addCategory(const QString &name, const ChangeBy &by);
    // Moves a category up (delta < 0) or down in the till's order; the new order.
    Result<QStringList> moveCategory(const QString &name, int delta, const ChangeBy &by);
    Result<Product> product(const QString &sku);
    // list() and, from the same rows, the open-price SKUs among them.
    Result<TillCatalog> tillCatalog();
    // Which of these SKUs are on the till at an open price.
    Result<QSet<QString>> openPriceSkus(const QStringList &among);

    // Tax rates (model/Tax.h): add refuses a code that exists, replace (`tax set`) one that does
    // not. A changed rate applies to lines added from then on, never to lines already rung up.
    Result<TaxRate> addTaxRate(TaxRate rate, bool replace = false);
    Result<QList<TaxRate>> taxRates();

    // Checks and normalizes a product; empty string when it is fine.
    static QString validate(Product &product);

private:
    // Why a product's tax code is not one of tax_rates ("" when empty or known).
    QString unknownTax(const QString &code);
    // Inside a write: refuses on a synced till.
    template<typename T> std::optional<Result<T>> refuseIfSynced();
    std::optional<CatalogProduct> stored(const QString &sku);
    QStringList categoryOrder();
    Database &m_db;
    const Clock &m_clock;
};

} // namespace SafeTill
