#include "Validation.h"

#include <QCoreApplication>

using namespace Qt::StringLiterals;

namespace SafeTill {

namespace {

// The sentences a person reads, in the translations' context "SafeTill::Validation".
struct Text
{
    Q_DECLARE_TR_FUNCTIONS(SafeTill::Validation)
};

} // namespace

QString checkQuantity(qint64 quantity)
{
    if (quantity < 1 || quantity > Limits::maxQuantity)
        return Text::tr("A quantity must be a whole number from 1 to %1.").arg(Limits::maxQuantity);
    return {};
}

QString checkPrice(qint64 cents)
{
    if (cents < 0 || cents > Limits::maxPriceCents)
        return Text::tr("A price must be from 0 to %1 cents.").arg(Limits::maxPriceCents);
    return {};
}

QString checkTender(qint64 cents)
{
    if (cents < 0 || cents > Limits::maxTenderCents)
        return Text::tr("The amount tendered must be from 0 to %1 cents.")
            .arg(Limits::maxTenderCents);
    return {};
}

QString checkSku(const QString &sku)
{
    if (sku.isEmpty() || sku.size() > Limits::maxSkuLength)
        return Text::tr("A SKU has 1 to %1 characters.").arg(Limits::maxSkuLength);
    for (const QChar c : sku) {
        if (c.isSpace() || !c.isPrint())
            return Text::tr("A SKU cannot contain spaces or control characters.");
    }
    return {};
}

QString checkRequestId(const QString &requestId)
{
    if (requestId.isEmpty() || requestId.size() > Limits::maxRequestIdLength)
        return Text::tr("A request id has 1 to %1 characters.").arg(Limits::maxRequestIdLength);
    for (const QChar c : requestId) {
        const bool allowed = (c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z') ||
                             (c >= u'0' && c <= u'9') || c == u'-' || c == u'_' || c == u'.' ||
                             c == u':';
        if (!allowed)
            return Text::tr("A request id may contain only letters, digits and - _ . :");
    }
    return {};
}

QString normalizedName(const QString &name)
{
    return name.simplified();
}

QString checkName(const QString &normalized, const QString &what, int maxLength)
{
    if (normalized.isEmpty() || normalized.size() > maxLength)
        return Text::tr("%1 must have 1 to %2 characters.").arg(what).arg(maxLength);
    for (const QChar c : normalized) {
        if (!c.isPrint())
            return Text::tr("%1 cannot contain control characters.").arg(what);
    }
    return {};
}

QString nameKey(const QString &normalized)
{
    return normalized.toCaseFolded();
}

} // namespace SafeTill
