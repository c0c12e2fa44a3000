#include "CatalogService.h"

#include "CsvReader.h"
#include "Database.h"
#include "Validation.h"

#include <QCoreApplication>
#include <QSet>

using namespace Qt::StringLiterals;

namespace SafeTill {

namespace {

// The sentences a person reads, in the translations' context "SafeTill::CatalogService".
struct Text
{
    Q_DECLARE_TR_FUNCTIONS(SafeTill::CatalogService)
};

Product productFromRow(const QSqlQuery &row)
{
    return Product{row.value(0).toString(), row.value(1).toString(), row.value(2).toLongLong(),
                   row.value(3).toString(), row.value(4).toString()};
}

// The columns productFromRow and catalogProductFromRow read.
const QString productColumns = u"p.sku, p.name, p.price_cents, p.category, p.tax_code, "
                               "p.open_price, p.retired_at FROM products p "_s;
// The till's order: placed categories by position, then the others by name.
const QString tillOrder =
    u"LEFT JOIN product_categories c ON c.name = p.category %1 ORDER BY CASE WHEN c.position IS "
    "NULL THEN 1 ELSE 0 END, c.position, p.category, p.name, p.sku"_s;

CatalogProduct catalogProductFromRow(const QSqlQuery &row)
{
    return CatalogProduct{productFromRow(row), row.value(5).toInt() != 0,
                          fromStorageTime(row.value(6).toString())};
}

QString describe(const CatalogProduct &p)
{
    return u"%1 · %2 · %3 · %4 · %5%6"_s.arg(p.product.name, QString::number(p.product.priceCents),
                                             p.product.category, p.product.taxCode,
                                             p.openPrice ? u"open price"_s : u"fixed price"_s,
                                             p.retired() ? u" · retired"_s : QString());
}

// What differs between two versions of a product, for the history ("price 250 → 300").
QString changes(const CatalogProduct &before, const CatalogProduct &after)
{
    QStringList changed;
    const auto note = [&](const QString &what, const QString &from, const QString &to) {
        if (from != to)
            changed << u"%1 \u201c%2\u201d \u2192 \u201c%3\u201d"_s.arg(what, from, to);
    };
    note(u"name"_s, before.product.name, after.product.name);
    note(u"price_cents"_s, QString::number(before.product.priceCents),
         QString::number(after.product.priceCents));
    note(u"category"_s, before.product.category, after.product.category);
    note(u"tax"_s, before.product.taxCode, after.product.taxCode);
    note(u"open_price"_s, before.openPrice ? u"yes"_s : u"no"_s,
         after.openPrice ? u"yes"_s : u"no"_s);
    return changed.join(u"; "_s);
}

// Strict whole-number parsing: "12", not "12.5", "1e3", " 12" or "+12".
std::optional<qint64> parseCents(const QString &text)
{
    if (text.isEmpty() || text.size() > 12)
        return std::nullopt;
    for (const QChar c : text) {
        if (c < u'0' || c > u'9')
            return std::nullopt;
    }
    return text.toLongLong();
}

} // namespace

CatalogService::CatalogService(Database &database, const Clock &clock)
    : m_db(database)
    , m_clock(clock)
{}

QString CatalogService::validate(Product &product)
{
    product.sku = product.sku.trimmed();
    product.taxCode = product.taxCode.trimmed().toUpper();
    product.name = normalizedName(product.name);
    product.category = normalizedName(product.category);
    if (product.category.isNull())
        product.category = u""_s; // no category is empty text: a null QString binds as NULL
    if (QString problem = checkSku(product.sku); !problem.isEmpty())
        return problem;
    if (QString problem =
            checkName(product.name, Text::tr("A product's name"), Limits::maxProductNameLength);
        !problem.isEmpty())
        return problem;
    if (product.category.size() > Limits::maxNameLength)
        return Text::tr("A category has at most %1 characters.").arg(Limits::maxNameLength);
    return checkPrice(product.priceCents);
}

template<typename T> std::optional<Result<T>> CatalogService::refuseIfSynced()
{
    if (const std::optional<QString> why = BackOfficeHistory::serverOwnsCatalog(m_db))
        return Result<T>::failure(Outcome::InvalidState, *why);
    return std::nullopt;
}

std::optional<CatalogProduct> CatalogService::stored(const QString &sku)
{
    QSqlQuery &query = m_db.exec(u"SELECT "_s + productColumns + u"WHERE p.sku = ?"_s, {sku});
    std::optional<CatalogProduct> found;
    if (query.next())
        found = catalogProductFromRow(query);
    query.finish();
    return found;
}

Result<Product> CatalogService::add(const Product &product, const ChangeBy &by)
{
    const Result<CatalogProduct> added = add(CatalogProduct{product, false, {}}, by);
    if (!added)
        return Result<Product>::from(added);
    return Result<Product>::ok(added->product);
}

Result<CatalogProduct> CatalogService::add(const CatalogProduct &input, const ChangeBy &by)
{
    CatalogProduct entry = input;
    entry.retiredAt = QDateTime();
    Product &product = entry.product;
    if (const QString problem = validate(product); !problem.isEmpty())
        return Result<CatalogProduct>::invalidInput(problem);
    return m_db.write([&]() -> Result<CatalogProduct> {
        if (auto refused = refuseIfSynced<CatalogProduct>())
            return *refused;
        if (!m_db.scalar(u"SELECT 1 FROM products WHERE sku = ?"_s, {product.sku}).isNull())
            return Result<CatalogProduct>::invalidInput(
                Text::tr("SKU: there is already a product with SKU %1.").arg(product.sku));
        if (const QString problem = unknownTax(product.taxCode); !problem.isEmpty())
            return Result<CatalogProduct>::invalidInput(problem);
        const QDateTime now = m_clock.now();
        m_db.exec(u"INSERT INTO products (sku, name, price_cents, category, updated_at, tax_code, "
                  "open_price) VALUES (?, ?, ?, ?, ?, ?, ?)"_s,
                  {product.sku, product.name, product.priceCents, product.category,
                   toStorageTime(now), nullIfEmpty(product.taxCode), entry.openPrice ? 1 : 0});
        BackOfficeHistory::record(m_db, now, by, u"product"_s, product.sku, u"add"_s,
                                  describe(entry));
        return Result<CatalogProduct>::ok(entry);
    });
}

Result<CatalogProduct> CatalogService::update(const CatalogProduct &input, const ChangeBy &by)
{
    CatalogProduct entry = input;
    if (const QString problem = validate(entry.product); !problem.isEmpty())
        return Result<CatalogProduct>::invalidInput(problem);
    return m_db.write([&]() -> Result<CatalogProduct> {
        if (auto refused = refuseIfSynced<CatalogProduct>())
            return *refused;
        const std::optional<CatalogProduct> before = stored(entry.product.sku);
        if (!before)
            return Result<CatalogProduct>::notFound(
                Text::tr("There is no product with SKU %1.").arg(entry.product.sku));
        if (const QString problem = unknownTax(entry.product.taxCode); !problem.isEmpty())
            return Result<CatalogProduct>::invalidInput(problem);
        entry.retiredAt = before->retiredAt;
        const QString changed = changes(*before, entry);
        if (changed.isEmpty())
            return Result<CatalogProduct>::ok(entry);
        const QDateTime now = m_clock.now();
        m_db.exec(u"UPDATE products SET name = ?, price_cents = ?, category = ?, tax_code = ?, "
                  "open_price = ?, updated_at = ? WHERE sku = ?"_s,
                  {entry.product.name, entry.product.priceCents, entry.product.category,
                   nullIfEmpty(entry.product.taxCode), entry.openPrice ? 1 : 0, toStorageTime(now),
                   entry.product.sku});
        BackOfficeHistory::record(m_db, now, by, u"product"_s, entry.product.sku, u"edit"_s,
                                  changed);
        return Result<CatalogProduct>::ok(entry);
    });
}

Result<CatalogProduct> CatalogService::retire(const QString &sku, const ChangeBy &by)
{
    return m_db.write([&]() -> Result<CatalogProduct> {
        if (auto refused = refuseIfSynced<CatalogProduct>())
            return *refused;
        std::optional<CatalogProduct> entry = stored(sku.trimmed());
        if (!entry)
            return Result<CatalogProduct>::notFound(
                Text::tr("There is no product with SKU %1.").arg(sku));
        if (entry->retired())
            return Result<CatalogProduct>::ok(*entry);
        const QDateTime now = m_clock.now();
        m_db.exec(u"UPDATE products SET retired_at = ?, updated_at = ? WHERE sku = ? AND "
                  "retired_at IS NULL"_s,
                  {toStorageTime(now), toStorageTime(now), entry->product.sku});
        BackOfficeHistory::record(m_db, now, by, u"product"_s, entry->product.sku, u"retire"_s,
                                  describe(*entry));
        entry->retiredAt = fromStorageTime(toStorageTime(now));
        return Result<CatalogProduct>::ok(*entry);
    });
}

Result<CatalogProduct> CatalogService::restore(const QString &sku, const ChangeBy &by)
{
    return m_db.write([&]() -> Result<CatalogProduct> {
        if (auto refused = refuseIfSynced<CatalogProduct>())
            return *refused;
        std::optional<CatalogProduct> entry = stored(sku.trimmed());
        if (!entry)
            return Result<CatalogProduct>::notFound(
                Text::tr("There is no product with SKU %1.").arg(sku));
        if (!entry->retired())
            return Result<CatalogProduct>::ok(*entry);
        const QDateTime now = m_clock.now();
        m_db.exec(u"UPDATE products SET retired_at = NULL, updated_at = ? WHERE sku = ?"_s,
                  {toStorageTime(now), entry->product.sku});
        entry->retiredAt = QDateTime();
        BackOfficeHistory::record(m_db, now, by, u"product"_s, entry->product.sku, u"restore"_s,
                                  describe(*entry));
        return Result<CatalogProduct>::ok(*entry);
    });
}

QStringList CatalogService::categoryOrder()
{
    QStringList order;
    QSqlQuery &placed = m_db.exec(u"SELECT name FROM product_categories ORDER BY position, name"_s);
    while (placed.next())
        order << placed.value(0).toString();
    placed.finish();
    QSqlQuery &named = m_db.exec(u"SELECT DISTINCT category FROM products WHERE category <> '' "
                                 "ORDER BY category"_s);
    while (named.next()) {
        const QString name = named.value(0).toString();
        if (!order.contains(name))
            order << name;
    }
    named.finish();
    return order;
}

Result<QStringList> CatalogService::categories()
{
    return m_db.read([&] { return Result<QStringList>::ok(categoryOrder()); });
}

Result<QStringList> CatalogService::addCategory(const QString &input, const ChangeBy &by)
{
    const QString name = normalizedName(input);
    if (const QString problem =
            checkName(name, Text::tr("A category's name"), Limits::maxNameLength);
        !problem.isEmpty())
        return Result<QStringList>::invalidInput(problem);
    return m_db.write([&]() -> Result<QStringList> {
        if (auto refused = refuseIfSynced<QStringList>())
            return *refused;
        QStringList order = categoryOrder();
        if (order.contains(name, Qt::CaseInsensitive))
            return Result<QStringList>::invalidInput(
                Text::tr("Category: there is already a category called %1.").arg(name));
        const QDateTime now = m_clock.now();
        order << name;
        for (qsizetype i = 0; i < order.size(); ++i)
            m_db.exec(u"INSERT INTO product_categories (name, position, updated_at) VALUES "
                      "(?, ?, ?) ON CONFLICT (name) DO UPDATE SET position = excluded.position, "
                      "updated_at = excluded.updated_at"_s,
                      {order.at(i), int(i), toStorageTime(now)});
        BackOfficeHistory::record(m_db, now, by, u"category"_s, name, u"add"_s,
                                  Text::tr("position %1").arg(order.size()));
        return Result<QStringList>::ok(order);
    });
}

Result<QStringList> CatalogService::moveCategory(const QString &input, int delta,
                                                 const ChangeBy &by)
{
    const QString name = normalizedName(input);
    return m_db.write([&]() -> Result<QStringList> {
        if (auto refused = refuseIfSynced<QStringList>())
            return *refused;
        QStringList order = categoryOrder();
        const qsizetype from = order.indexOf(name);
        if (from < 0)
            return Result<QStringList>::notFound(
                Text::tr("There is no category called %1.").arg(name));
        const qsizetype to = std::clamp<qsizetype>(from + delta, 0, order.size() - 1);
        if (to == from)
            return Result<QStringList>::ok(order);
        order.move(from, to);
        const QDateTime now = m_clock.now();
        for (qsizetype i = 0; i < order.size(); ++i)
            m_db.exec(u"INSERT INTO product_categories (name, position, updated_at) VALUES "
                      "(?, ?, ?) ON CONFLICT (name) DO UPDATE SET position = excluded.position, "
                      "updated_at = excluded.updated_at"_s,
                      {order.at(i), int(i), toStorageTime(now)});
        BackOfficeHistory::record(m_db, now, by, u"category"_s, name, u"move"_s,
                                  Text::tr("position %1 \u2192 %2").arg(from + 1).arg(to + 1));
        return Result<QStringList>::ok(order);
    });
}

Result<ImportSummary> CatalogService::importCsv(const QByteArray &csv, const ChangeBy &by)
{
    if (csv.size() > maxImportBytes)
        return Result<ImportSummary>::invalidInput(
            Text::tr("The file is larger than %1 MiB.").arg(maxImportBytes / (1024 * 1024)));
    const CsvParse parsed = parseCsv(csv);
    if (!parsed.error.isEmpty())
        return Result<ImportSummary>::invalidInput(parsed.error);
    if (parsed.records.isEmpty())
        return Result<ImportSummary>::invalidInput(Text::tr("The file is empty."));
    if (parsed.records.size() - 1 > maxImportRows)
        return Result<ImportSummary>::invalidInput(
            Text::tr("The file has more than %1 products.").arg(maxImportRows));

    QStringList header = parsed.records.front().fields;
    for (QString &column : header)
        column = column.trimmed().toLower();
    const qsizetype skuColumn = header.indexOf(u"sku"_s);
    const qsizetype nameColumn = header.indexOf(u"name"_s);
    const qsizetype priceColumn = header.indexOf(u"price_cents"_s);
    const qsizetype categoryColumn = header.indexOf(u"category"_s);
    const qsizetype taxColumn = header.indexOf(u"tax"_s);
    if (skuColumn < 0 || nameColumn < 0 || priceColumn < 0)
        return Result<ImportSummary>::invalidInput(
            Text::tr("line 1: the header must name the columns sku, name and price_cents "
                     "(and optionally category and tax)."));
    const Result<QList<TaxRate>> rates = taxRates();
    if (!rates)
        return Result<ImportSummary>::from(rates);
    QSet<QString> taxCodes;
    for (const TaxRate &rate : *rates)
        taxCodes.insert(rate.code);

    QStringList problems;
    QList<Product> products;
    QSet<QString> seen;
    for (qsizetype i = 1; i < parsed.records.size(); ++i) {
        const CsvRecord &record = parsed.records.at(i);
        const auto problem = [&](const QString &text) {
            problems << u"line %1: %2"_s.arg(record.line).arg(text);
        };
        if (record.fields.size() != header.size()) {
            problem(Text::tr("expected %1 fields, found %2.")
                        .arg(header.size())
                        .arg(record.fields.size()));
            continue;
        }
        const std::optional<qint64> price = parseCents(record.fields.at(priceColumn).trimmed());
        if (!price) {
            problem(Text::tr("price_cents must be a whole number of cents, not \u201c%1\u201d.")
                        .arg(record.fields.at(priceColumn)));
            continue;
        }
        Product product{record.fields.at(skuColumn), record.fields.at(nameColumn), *price,
                        categoryColumn >= 0 ? record.fields.at(categoryColumn) : QString(),
                        taxColumn >= 0 ? record.fields.at(taxColumn).trimmed().toUpper()
                                       : QString()};
        if (!product.taxCode.isEmpty() && !taxCodes.contains(product.taxCode)) {
            problem(
                Text::tr("tax: there is no tax rate with the code \u201c%1\u201d (see `tax list`).")
                    .arg(product.taxCode.left(20)));
            continue;
        }
        if (const QString invalid = validate(product); !invalid.isEmpty()) {
            problem(invalid);
            continue;
        }
        if (seen.contains(product.sku)) {
            problem(Text::tr("the SKU %1 appears twice in the file.").arg(product.sku));
            continue;
        }
        seen.insert(product.sku);
        products << product;
    }
    if (!problems.isEmpty()) {
        const qsizetype shown = std::min<qsizetype>(problems.size(), 50);
        QString message = Text::tr("Nothing was imported. ") + problems.mid(0, shown).join(u"\n"_s);
        if (shown < problems.size())
            message += Text::tr("\n… and %1 more problems.").arg(problems.size() - shown);
        return Result<ImportSummary>::invalidInput(message);
    }

    const QString now = toStorageTime(m_clock.now());
    return m_db.write([&]() -> Result<ImportSummary> {
        if (auto refused = refuseIfSynced<ImportSummary>())
            return *refused;
        ImportSummary summary;
        for (const Product &product : std::as_const(products)) {
            const bool known =
                !m_db.scalar(u"SELECT 1 FROM products WHERE sku = ?"_s, {product.sku}).isNull();
            // Without a tax column, a known product keeps its rate.
            m_db.exec(
                u"INSERT INTO products (sku, name, price_cents, category, updated_at, "
                "tax_code) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (sku) DO UPDATE SET "
                "name = excluded.name, price_cents = excluded.price_cents, "
                "category = excluded.category, updated_at = excluded.updated_at, "
                "retired_at = NULL, tax_code = CASE WHEN ? THEN excluded.tax_code ELSE products.tax_code END"_s,
                {product.sku, product.name, product.priceCents, product.category, now,
                 nullIfEmpty(product.taxCode), taxColumn >= 0});
            ++(known ? summary.updated : summary.added);
        }
        BackOfficeHistory::record(
            m_db, m_clock.now(), by, u"catalog"_s, u"csv"_s, u"import"_s,
            Text::tr("%1 added, %2 updated").arg(summary.added).arg(summary.updated));
        return Result<ImportSummary>::ok(summary);
    });
}

Result<QList<Product>> CatalogService::list()
{
    const Result<TillCatalog> catalog = tillCatalog();
    if (!catalog)
        return Result<QList<Product>>::from(catalog);
    return Result<QList<Product>>::ok(catalog->products);
}

Result<TillCatalog> CatalogService::tillCatalog()
{
    return m_db.read([&] {
        QSqlQuery &query = m_db.exec(u"SELECT "_s + productColumns +
                                     tillOrder.arg(u"WHERE p.retired_at IS NULL"_s));
        TillCatalog catalog;
        while (query.next()) {
            const CatalogProduct product = catalogProductFromRow(query);
            if (product.openPrice)
                catalog.openPriceSkus.insert(product.product.sku);
            catalog.products.append(product.product);
        }
        query.finish();
        return Result<TillCatalog>::ok(catalog);
    });
}

Result<QList<CatalogProduct>> CatalogService::listAll()
{
    return m_db.read([&] {
        QSqlQuery &query = m_db.exec(u"SELECT "_s + productColumns + tillOrder.arg(QString()));
        QList<CatalogProduct> products;
        while (query.next())
            products.append(catalogProductFromRow(query));
        query.finish();
        return Result<QList<CatalogProduct>>::ok(products);
    });
}

Result<Product> CatalogService::product(const QString &sku)
{
    return m_db.read([&]() -> Result<Product> {
        QSqlQuery &query = m_db.exec(
            u"SELECT sku, name, price_cents, category, tax_code FROM products WHERE sku = ?"_s,
            {sku});
        std::optional<Product> product;
        if (query.next())
            product = productFromRow(query);
        query.finish();
        if (!product)
            return Result<Product>::notFound(Text::tr("There is no product with SKU %1.").arg(sku));
        return Result<Product>::ok(*product);
    });
}

Result<QSet<QString>> CatalogService::openPriceSkus(const QStringList &among)
{
    return m_db.read([&]() -> Result<QSet<QString>> {
        QSet<QString> skus;
        for (const QString &sku : among) { // by the primary key, one each
            if (!m_db.scalar(u"SELECT 1 FROM products WHERE sku = ? AND open_price = 1 AND "
                             "retired_at IS NULL"_s,
                             {sku})
                     .isNull())
                skus.insert(sku);
        }
        return Result<QSet<QString>>::ok(skus);
    });
}

QString CatalogService::unknownTax(const QString &code)
{
    if (code.isEmpty() ||
        !m_db.scalar(u"SELECT 1 FROM tax_rates WHERE code = ?"_s, {code}).isNull())
        return {};
    return Text::tr("tax: there is no tax rate with the code \u201c%1\u201d (see `tax list`).")
        .arg(code.left(20));
}

namespace {

QString checkTaxRate(TaxRate &rate)
{
    rate.code = rate.code.trimmed().toUpper();
    rate.name = normalizedName(rate.name);
    if (rate.code.isEmpty() || rate.code.size() > 16)
        return Text::tr("A tax code has 1 to 16 characters (such as STD, RED or ZERO).");
    for (const QChar c : std::as_const(rate.code)) {
        if (!(c >= u'A' && c <= u'Z') && !(c >= u'0' && c <= u'9') && c != u'-' && c != u'_')
            return Text::tr("A tax code is letters, digits, - and _ only, not \u201c%1\u201d.")
                .arg(rate.code);
    }
    if (rate.name.isEmpty() || rate.name.size() > 64)
        return Text::tr("A tax rate's name has 1 to 64 characters.");
    if (rate.rateBp < 0 || rate.rateBp > 10000)
        return Text::tr("A tax rate is from 0 to 10000 basis points (0 to 100 %%), not %1.")
            .arg(rate.rateBp);
    return {};
}

} // namespace

Result<TaxRate> CatalogService::addTaxRate(TaxRate rate, bool replace)
{
    if (const QString problem = checkTaxRate(rate); !problem.isEmpty())
        return Result<TaxRate>::invalidInput(problem);
    return m_db.write([&]() -> Result<TaxRate> {
        const bool known =
            !m_db.scalar(u"SELECT 1 FROM tax_rates WHERE code = ?"_s, {rate.code}).isNull();
        if (known && !replace)
            return Result<TaxRate>::invalidInput(
                Text::tr("There is already a tax rate %1; `tax set` changes it.").arg(rate.code));
        if (!known && replace)
            return Result<TaxRate>::notFound(
                Text::tr("There is no tax rate %1; `tax add` adds it.").arg(rate.code));
        // A changed rate applies to lines added from now on: every line keeps the rate it was
        // added with (order_lines.tax_rate_bp).
        m_db.exec(u"INSERT INTO tax_rates (code, name, rate_bp, updated_at) VALUES (?, ?, ?, ?) "
                  "ON CONFLICT (code) DO UPDATE SET name = excluded.name, "
                  "rate_bp = excluded.rate_bp, updated_at = excluded.updated_at"_s,
                  {rate.code, rate.name, rate.rateBp, toStorageTime(m_clock.now())});
        return Result<TaxRate>::ok(rate);
    });
}

Result<QList<TaxRate>> CatalogService::taxRates()
{
    return m_db.read([&] {
        QSqlQuery &query = m_db.exec(u"SELECT code, name, rate_bp FROM tax_rates ORDER BY code"_s);
        QList<TaxRate> rates;
        while (query.next())
            rates.append(
                {query.value(0).toString(), query.value(1).toString(), query.value(2).toInt()});
        query.finish();
        return Result<QList<TaxRate>>::ok(rates);
    });
}

} // namespace SafeTill
