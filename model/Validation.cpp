#include "Validation.h"

using namespace Qt::StringLiterals;

namespace SafeTill {

QString checkQuantity(qint64 quantity)
{
    if (quantity < 1 || quantity > Limits::maxQuantity)
        return u"A quantity must be a whole number from 1 to %1."_s.arg(Limits::maxQuantity);
    return {};
}

QString checkPrice(qint64 cents)
{
    if (cents < 0 || cents > Limits::maxPriceCents)
        return u"A price must be from 0 to %1 cents."_s.arg(Limits::maxPriceCents);
    return {};
}

QString checkTender(qint64 cents)
{
    if (cents < 0 || cents > Limits::maxTenderCents)
        return u"The amount tendered must be from 0 to %1 cents."_s.arg(Limits::maxTenderCents);
    return {};
}

QString checkSku(const QString &sku)
{
    if (sku.isEmpty() || sku.size() > Limits::maxSkuLength)
        return u"A SKU has 1 to %1 characters."_s.arg(Limits::maxSkuLength);
    for (const QChar c : sku) {
        if (c.isSpace() || !c.isPrint())
            return u"A SKU cannot contain spaces or control characters."_s;
    }
    return {};
}

QString checkRequestId(const QString &requestId)
{
    if (requestId.isEmpty() || requestId.size() > Limits::maxRequestIdLength)
        return u"A request id has 1 to %1 characters."_s.arg(Limits::maxRequestIdLength);
    for (const QChar c : requestId) {
        const bool allowed = (c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z') ||
                             (c >= u'0' && c <= u'9') || c == u'-' || c == u'_' || c == u'.' ||
                             c == u':';
        if (!allowed)
            return u"A request id may contain only letters, digits and - _ . :"_s;
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
        return u"%1 must have 1 to %2 characters."_s.arg(what).arg(maxLength);
    for (const QChar c : normalized) {
        if (!c.isPrint())
            return u"%1 cannot contain control characters."_s.arg(what);
    }
    return {};
}

QString nameKey(const QString &normalized)
{
    return normalized.toCaseFolded();
}

} // namespace SafeTill
