#pragma once

#include "Types.h"

#include <QList>

#include <optional>
#include <utility>
#include <vector>

namespace SafeTill {

// The catalog searched as the cashier types, fast on a big catalog (50,000 products: well under a
// millisecond per key): SKUs and the words of product names, sorted once without regard to case,
// searched by prefix with a binary search. The products are shared with the caller's list
// (QList's implicit sharing), not copied; the index itself is a few bytes per word.
class ProductSearch
{
public:
    void reset(const QList<Product> &products);
    const QList<Product> &products() const { return m_products; }

    // The product whose SKU is exactly sku, whatever its case.
    std::optional<qsizetype> bySku(QStringView sku) const;

    struct Matches
    {
        QList<qsizetype> found; // positions in products(), SKU matches first, at most `limit`
        bool more = false;      // more products match than were returned
    };
    // Products whose SKU, or a word of whose name, starts with text (case-insensitive).
    Matches search(QStringView text, qsizetype limit) const;

private:
    QStringView skuOf(qint32 product) const;
    QStringView wordAt(const std::pair<qint32, qint32> &word) const;

    QList<Product> m_products;
    std::vector<qint32> m_bySku;                    // product positions by SKU
    std::vector<std::pair<qint32, qint32>> m_words; // (product, word offset) by the name from there
};

} // namespace SafeTill
