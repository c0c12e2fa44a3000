#include "ProductSearch.h"

#include <algorithm>

namespace SafeTill {

namespace {

// Case-insensitive order of the first text.size() characters against a prefix: <0, 0 (starts
// with it), >0.
int comparePrefix(QStringView text, QStringView prefix)
{
    return text.left(prefix.size()).compare(prefix, Qt::CaseInsensitive);
}

} // namespace

QStringView ProductSearch::skuOf(qint32 product) const
{
    return m_products.at(product).sku;
}

QStringView ProductSearch::wordAt(const std::pair<qint32, qint32> &word) const
{
    return QStringView(m_products.at(word.first).name).mid(word.second);
}

void ProductSearch::reset(const QList<Product> &products)
{
    m_products = products;
    m_bySku.clear();
    m_words.clear();
    m_bySku.reserve(size_t(products.size()));
    for (qsizetype i = 0; i < products.size(); ++i) {
        m_bySku.push_back(qint32(i));
        const QString &name = products.at(i).name;
        bool inWord = false;
        for (qsizetype c = 0; c < name.size(); ++c) {
            const bool letter = name.at(c).isLetterOrNumber();
            if (letter && !inWord)
                m_words.emplace_back(qint32(i), qint32(c));
            inWord = letter;
        }
    }
    std::sort(m_bySku.begin(), m_bySku.end(), [this](qint32 a, qint32 b) {
        return skuOf(a).compare(skuOf(b), Qt::CaseInsensitive) < 0;
    });
    std::sort(m_words.begin(), m_words.end(), [this](const auto &a, const auto &b) {
        return wordAt(a).compare(wordAt(b), Qt::CaseInsensitive) < 0;
    });
}

std::optional<qsizetype> ProductSearch::bySku(QStringView sku) const
{
    const auto it = std::lower_bound(
        m_bySku.begin(), m_bySku.end(), sku, [this](qint32 product, QStringView wanted) {
            return skuOf(product).compare(wanted, Qt::CaseInsensitive) < 0;
        });
    if (it == m_bySku.end() || skuOf(*it).compare(sku, Qt::CaseInsensitive) != 0)
        return std::nullopt;
    return *it;
}

ProductSearch::Matches ProductSearch::search(QStringView text, qsizetype limit) const
{
    Matches matches;
    if (text.isEmpty() || limit <= 0)
        return matches;
    const auto add = [&matches, limit](qsizetype product) {
        if (matches.found.contains(product))
            return true;
        if (matches.found.size() == limit) {
            matches.more = true;
            return false;
        }
        matches.found << product;
        return true;
    };
    auto sku = std::partition_point(m_bySku.begin(), m_bySku.end(), [this, text](qint32 p) {
        return comparePrefix(skuOf(p), text) < 0;
    });
    for (; sku != m_bySku.end() && comparePrefix(skuOf(*sku), text) == 0; ++sku) {
        if (!add(*sku))
            return matches;
    }
    auto word = std::partition_point(m_words.begin(), m_words.end(), [this, text](const auto &w) {
        return comparePrefix(wordAt(w), text) < 0;
    });
    for (; word != m_words.end() && comparePrefix(wordAt(*word), text) == 0; ++word) {
        if (!add(word->first))
            return matches;
    }
    return matches;
}

} // namespace SafeTill
