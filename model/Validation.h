#pragma once

#include "Types.h"

#include <QString>

namespace SafeTill {

// The limits every input path shares (CLI, UI, HTTP, CSV, sync), so a value one path accepts is
// never refused by another. Each check returns an empty string when the value is fine, else a
// sentence for the cashier.
namespace Limits {
constexpr Cents maxPriceCents = 99'999'999; // 999,999.99 in the store's currency
constexpr Cents maxTenderCents = 999'999'999;
constexpr int maxQuantity = 9999;
constexpr int maxLinesPerOrder = 2000;
constexpr int maxNameLength = 64;
constexpr int maxProductNameLength = 200;
constexpr int maxSkuLength = 64;
constexpr int maxRequestIdLength = 128;
} // namespace Limits

QString checkQuantity(qint64 quantity);
QString checkPrice(qint64 cents);
QString checkTender(qint64 cents);
QString checkSku(const QString &sku);
QString checkRequestId(const QString &requestId);
// Names of people, tabs and products: trimmed, inner whitespace collapsed, no control characters.
QString normalizedName(const QString &name);
QString checkName(const QString &normalized, const QString &what, int maxLength);
// The key under which names are unique: "Table 5" and "table 5" are the same tab.
QString nameKey(const QString &normalized);

} // namespace SafeTill
