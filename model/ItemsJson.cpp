#include "ItemsJson.h"

#include "Json.h"

#include "Validation.h"
#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>

using namespace Qt::StringLiterals;

namespace SafeTill {

namespace {

// The sentences a person reads, in the translations' context "SafeTill::ItemsJson".
struct Text
{
    Q_DECLARE_TR_FUNCTIONS(SafeTill::ItemsJson)
};

constexpr qsizetype maxJsonBytes = 1024 * 1024;

} // namespace

ParsedItems parseItemsJson(const QByteArray &json)
{
    ParsedItems parsed;
    if (json.size() > maxJsonBytes) {
        parsed.error = Text::tr("The item list is larger than 1 MiB.");
        return parsed;
    }
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(json, &error);
    if (error.error != QJsonParseError::NoError) {
        parsed.error = Text::tr("The item list is not valid JSON (%1 at character %2).")
                           .arg(error.errorString())
                           .arg(error.offset);
        return parsed;
    }
    return parseItemsJson(document);
}

ParsedItems parseItemsJson(const QJsonDocument &document)
{
    ParsedItems parsed;
    QJsonArray array;
    if (document.isArray()) {
        array = document.array();
    } else if (document.isObject() && document.object().value(u"items"_s).isArray() &&
               document.object().size() == 1) {
        array = document.object().value(u"items"_s).toArray();
    } else {
        parsed.error = Text::tr("The item list must be a JSON array of items.");
        return parsed;
    }
    if (array.size() > Limits::maxLinesPerOrder) {
        parsed.error =
            Text::tr("An order can have at most %1 lines.").arg(Limits::maxLinesPerOrder);
        return parsed;
    }
    static const QSet<QString> knownKeys{u"sku"_s, u"qty"_s, u"name"_s, u"unit_price_cents"_s,
                                         u"unitPriceCents"_s};
    for (qsizetype i = 0; i < array.size(); ++i) {
        const QString where = Text::tr("Item %1: ").arg(i + 1);
        if (!array.at(i).isObject()) {
            parsed.error = where + Text::tr("each item must be a JSON object.");
            return parsed;
        }
        QJsonObject object = array.at(i).toObject();
        if (object.contains(u"unitPriceCents"_s)) { // the HTTP API's spelling
            if (object.contains(u"unit_price_cents"_s)) {
                parsed.error = where + Text::tr("give the price once.");
                return parsed;
            }
            object.insert(u"unit_price_cents"_s, object.take(u"unitPriceCents"_s));
        }
        for (auto it = object.begin(); it != object.end(); ++it) {
            if (!knownKeys.contains(it.key())) {
                parsed.error = where + Text::tr("unknown field \u201c%1\u201d.").arg(it.key());
                return parsed;
            }
        }
        ItemSpec item;
        const std::optional<qint64> qty =
            wholeNumber(object.value(u"qty"_s), 1, Limits::maxQuantity);
        if (!qty) {
            parsed.error =
                where +
                Text::tr("qty must be a whole number from 1 to %1.").arg(Limits::maxQuantity);
            return parsed;
        }
        item.quantity = int(*qty);
        if (object.contains(u"sku"_s)) {
            if (!object.value(u"sku"_s).isString() || object.contains(u"name"_s)) {
                parsed.error = where + Text::tr("a catalog item has a text sku, a qty and, when "
                                                "it is sold at an open price, its "
                                                "unit_price_cents.");
                return parsed;
            }
            if (object.contains(u"unit_price_cents"_s)) { // an open-price product's price
                const std::optional<qint64> price =
                    wholeNumber(object.value(u"unit_price_cents"_s), 0, Limits::maxPriceCents);
                if (!price) {
                    parsed.error = where + Text::tr("unit_price_cents must be a whole number "
                                                    "from 0 to %1.")
                                               .arg(Limits::maxPriceCents);
                    return parsed;
                }
                item.unitPriceCents = *price;
            }
            item.sku = object.value(u"sku"_s).toString();
            // An empty sku is no catalog item (and, with no price, no open-price item either).
            if (const QString problem = checkSku(item.sku); !problem.isEmpty()) {
                parsed.error = where + problem;
                return parsed;
            }
        } else {
            const std::optional<qint64> price =
                wholeNumber(object.value(u"unit_price_cents"_s), 0, Limits::maxPriceCents);
            if (!object.value(u"name"_s).isString() || !price) {
                parsed.error = where + Text::tr("an item needs a sku, or a text name and "
                                                "unit_price_cents from 0 to %1.")
                                           .arg(Limits::maxPriceCents);
                return parsed;
            }
            item.name = object.value(u"name"_s).toString();
            item.unitPriceCents = *price;
        }
        parsed.items << item;
    }
    return parsed;
}

} // namespace SafeTill
