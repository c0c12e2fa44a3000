#include "ShopContext.h"

namespace SafeTill {

namespace {

bool sameProfile(const ShopProfile &a, const ShopProfile &b)
{
    return a.name == b.name && a.address == b.address && a.taxNumber == b.taxNumber &&
           a.footer == b.footer && a.currency == b.currency &&
           a.pricesIncludeTax == b.pricesIncludeTax && a.cashRoundingStep == b.cashRoundingStep &&
           a.defaultTax == b.defaultTax && a.minPinDigits == b.minPinDigits;
}

// The locale for amounts a person edits: no group separators, which parseAmount() refuses.
QLocale editingLocale()
{
    QLocale locale;
    locale.setNumberOptions(locale.numberOptions() | QLocale::OmitGroupSeparator);
    return locale;
}

} // namespace

ShopContext::ShopContext()
    : m_profile(defaultProfile())
{}

ShopContext &ShopContext::instance()
{
    static ShopContext context;
    return context;
}

ShopProfile ShopContext::defaultProfile()
{
    ShopProfile profile;
    profile.currency = ShopSettings::defaultCurrency();
    return profile;
}

void ShopContext::setProfile(const ShopProfile &profile)
{
    if (sameProfile(profile, m_profile))
        return;
    const bool newCurrency = !(profile.currency == m_profile.currency);
    m_profile = profile;
    if (newCurrency)
        Q_EMIT currencyChanged();
    Q_EMIT changed();
}

void ShopContext::reset()
{
    setProfile(defaultProfile());
}

QString ShopContext::money(Cents minor)
{
    return formatMoney(minor, currency());
}

QString ShopContext::amount(Cents minor)
{
    return formatAmount(minor, currency().minorUnits, editingLocale());
}

std::optional<Cents> ShopContext::parse(const QString &text)
{
    return parseAmount(text, currency().minorUnits);
}

} // namespace SafeTill
