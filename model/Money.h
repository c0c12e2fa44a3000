#pragma once

#include "Types.h"

#include <QLocale>
#include <QString>

#include <optional>

namespace SafeTill {

// Money on screen and from the keyboard, without ever passing through floating point.
// formatMoney(1234, en_US) -> "$12.34"; the currency symbol and separators come from the locale.
QString formatMoney(Cents cents, const QLocale &locale = QLocale());
// The amount without a currency symbol: "12.34" (locale decimal point).
QString formatAmount(Cents cents, const QLocale &locale = QLocale());
// "12", "12.5", "12.50" (locale decimal point, or '.') -> cents; nothing for anything else,
// including more than two decimals, signs, exponents and values above Limits::maxTenderCents.
std::optional<Cents> parseAmount(const QString &text, const QLocale &locale = QLocale());

} // namespace SafeTill
