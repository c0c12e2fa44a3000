#pragma once

#include "Types.h"

#include <QLocale>
#include <QString>

#include <optional>

namespace SafeTill {

// A currency: its ISO 4217 code and how many minor units its amounts have (JPY 0, EUR 2, KWD 3).
// Every amount in SafeTill is an integer number of these minor units.
struct Currency
{
    QString code = QStringLiteral("EUR");
    int minorUnits = 2;
    bool operator==(const Currency &) const = default;
};

// The currency of an ISO 4217 code (upper case, three letters) that is in use today, with its
// minor units, from ICU's currency data; nothing for anything else.
std::optional<Currency> currencyFromCode(const QString &code);

// Money on screen and from the keyboard, without ever passing through floating point.
// formatMoney(1234, en_US) -> "$12.34"; the currency symbol and separators come from the locale.
QString formatMoney(Cents cents, const QLocale &locale = QLocale());
// The amount without a currency symbol: "12.34" (locale decimal point).
QString formatAmount(Cents cents, const QLocale &locale = QLocale());
// "12", "12.5", "12.50" (locale decimal point, or '.') -> cents; nothing for anything else,
// including more than two decimals, signs, exponents and values above Limits::maxTenderCents.
std::optional<Cents> parseAmount(const QString &text, const QLocale &locale = QLocale());

// The same for a given currency: its symbol (the locale's own, or ICU's for that locale) and its
// minor units. formatMoney(1234, {"EUR", 2}, de_DE) -> "12,34 €"; ({"JPY", 0}, ja_JP) 1234 ->
// "￥1,234".
QString formatMoney(Cents minor, const Currency &currency, const QLocale &locale = QLocale());
QString formatAmount(Cents minor, int minorUnits, const QLocale &locale = QLocale());
// At most minorUnits decimals.
std::optional<Cents> parseAmount(const QString &text, int minorUnits,
                                 const QLocale &locale = QLocale());

} // namespace SafeTill
