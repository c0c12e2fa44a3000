#pragma once

#include "Types.h"

#include <QJsonDocument>
#include <QList>
#include <QString>

namespace SafeTill {

// Parses an item list (CLI `set-items`, HTTP `PUT .../current`): a JSON array (or {"items": [...]})
// of {"sku": "...", "qty": N} (with "unit_price_cents": N, the entered price, for a product sold
// at an open price) or open-price {"name": "...", "unit_price_cents": N, "qty": N}
// (also spelled "unitPriceCents").
// Strict: wrong types, fractions, unknown keys and oversized input are refused with a reason.
struct ParsedItems
{
    QList<ItemSpec> items;
    QString error;
};

ParsedItems parseItemsJson(const QByteArray &json);
// The same, for a body already parsed.
ParsedItems parseItemsJson(const QJsonDocument &document);

} // namespace SafeTill
