#include "Money.h"

#include "Validation.h"

using namespace Qt::StringLiterals;

namespace SafeTill {

QString formatAmount(Cents cents, const QLocale &locale)
{
    const bool negative = cents < 0;
    const Cents magnitude = negative ? -cents : cents;
    QString text = locale.toString(magnitude / 100) + locale.decimalPoint() +
                   u"%1"_s.arg(magnitude % 100, 2, 10, QLatin1Char('0'));
    return negative ? locale.negativeSign() + text : text;
}

QString formatMoney(Cents cents, const QLocale &locale)
{
    QString symbol = locale.currencySymbol(QLocale::CurrencySymbol);
    if (symbol.isEmpty() || locale.language() == QLocale::C)
        return formatAmount(cents, locale);
    // A minus sign in front of the whole amount ("-$4.50", not "$-4.50"): QLocale's own negative
    // currency pattern is the accountant's "($4.50)", which is easily misread at a till.
    if (cents < 0)
        return locale.negativeSign() + formatMoney(-cents, locale);
    // The locale's own pattern decides where the symbol goes; QLocale only formats doubles for
    // currencies, so format a placeholder integer and swap the amount in.
    const QString pattern = locale.toCurrencyString(qlonglong(1), symbol);
    const QString one = locale.toString(1);
    const qsizetype at = pattern.indexOf(one);
    if (at < 0)
        return symbol + formatAmount(cents, locale);
    return pattern.left(at) + formatAmount(cents, locale) + pattern.mid(at + one.size());
}

std::optional<Cents> parseAmount(const QString &input, const QLocale &locale)
{
    QString text = input.trimmed();
    if (text.isEmpty() || text.size() > 16)
        return std::nullopt;
    const QString point = locale.decimalPoint();
    qsizetype separator = text.indexOf(point);
    if (separator < 0)
        separator = text.indexOf(u'.');
    const QString whole = separator < 0 ? text : text.left(separator);
    QString fraction = separator < 0 ? QString() : text.mid(separator + 1);
    if (whole.isEmpty() && fraction.isEmpty())
        return std::nullopt;
    if (fraction.size() > 2 || (separator >= 0 && fraction.isEmpty()))
        return std::nullopt;
    for (const QString &part : {whole, fraction}) {
        for (const QChar c : part) {
            if (c < u'0' || c > u'9')
                return std::nullopt;
        }
    }
    if (whole.size() > 10)
        return std::nullopt;
    while (fraction.size() < 2)
        fraction += u'0';
    const Cents cents = (whole.isEmpty() ? 0 : whole.toLongLong()) * 100 + fraction.toLongLong();
    if (cents > Limits::maxTenderCents)
        return std::nullopt;
    return cents;
}

} // namespace SafeTill
