#include "Money.h"

#include "Validation.h"

#include <unicode/ucurr.h>
#include <unicode/uloc.h>

using namespace Qt::StringLiterals;

namespace SafeTill {

namespace {

Cents powerOfTen(int digits)
{
    Cents value = 1;
    for (int i = 0; i < digits; ++i)
        value *= 10;
    return value;
}

// ICU wants the code as UTF-16 with a terminating zero.
std::u16string icuCode(const QString &code)
{
    return std::u16string(reinterpret_cast<const char16_t *>(code.utf16()), size_t(code.size()));
}

// The currency's symbol as the locale writes it ("€", "US$", "￥"), from ICU.
QString icuSymbol(const QString &code, const QLocale &locale)
{
    const std::u16string iso = icuCode(code);
    const QByteArray localeName = locale.name().toLatin1();
    UErrorCode status = U_ZERO_ERROR;
    UBool isChoiceFormat = false;
    int32_t length = 0;
    const UChar *name = ucurr_getName(iso.c_str(), localeName.constData(), UCURR_SYMBOL_NAME,
                                      &isChoiceFormat, &length, &status);
    if (U_FAILURE(status) || !name)
        return code;
    return QString::fromUtf16(reinterpret_cast<const char16_t *>(name), length);
}

} // namespace

std::optional<Currency> currencyFromCode(const QString &code)
{
    if (code.size() != 3)
        return std::nullopt;
    for (const QChar c : code) {
        if (c < u'A' || c > u'Z')
            return std::nullopt;
    }
    const std::u16string iso = icuCode(code);
    UErrorCode status = U_ZERO_ERROR;
    // In use now: legal tender at this moment (ICU's dates are milliseconds since 1970).
    const UDate now = UDate(QDateTime::currentMSecsSinceEpoch());
    if (!ucurr_isAvailable(iso.c_str(), now, now, &status) || U_FAILURE(status))
        return std::nullopt;
    status = U_ZERO_ERROR;
    const int32_t digits = ucurr_getDefaultFractionDigits(iso.c_str(), &status);
    if (U_FAILURE(status) || digits < 0 || digits > 4)
        return std::nullopt;
    return Currency{code, int(digits)};
}

QString formatAmount(Cents minor, int minorUnits, const QLocale &locale)
{
    const bool negative = minor < 0;
    const Cents magnitude = negative ? -minor : minor;
    const Cents scale = powerOfTen(minorUnits);
    QString text = locale.toString(magnitude / scale);
    if (minorUnits > 0)
        text += locale.decimalPoint() +
                u"%1"_s.arg(magnitude % scale, minorUnits, 10, QLatin1Char('0'));
    return negative ? locale.negativeSign() + text : text;
}

QString formatAmount(Cents cents, const QLocale &locale)
{
    return formatAmount(cents, 2, locale);
}

namespace {

QString withSymbol(Cents minor, int minorUnits, const QString &symbol, const QLocale &locale)
{
    if (symbol.isEmpty() || locale.language() == QLocale::C)
        return formatAmount(minor, minorUnits, locale);
    // A minus sign in front of the whole amount ("-$4.50", not "$-4.50"): QLocale's own negative
    // currency pattern is the accountant's "($4.50)", which is easily misread at a till.
    if (minor < 0)
        return locale.negativeSign() + withSymbol(-minor, minorUnits, symbol, locale);
    // The locale's own pattern decides where the symbol goes; QLocale only formats doubles for
    // currencies, so format a placeholder integer and swap the amount in.
    const QString pattern = locale.toCurrencyString(qlonglong(1), symbol);
    const QString one = locale.toString(1);
    const qsizetype at = pattern.indexOf(one);
    if (at < 0)
        return symbol + formatAmount(minor, minorUnits, locale);
    return pattern.left(at) + formatAmount(minor, minorUnits, locale) +
           pattern.mid(at + one.size());
}

} // namespace

QString formatMoney(Cents cents, const QLocale &locale)
{
    return withSymbol(cents, 2, locale.currencySymbol(QLocale::CurrencySymbol), locale);
}

QString formatMoney(Cents minor, const Currency &currency, const QLocale &locale)
{
    if (locale.language() == QLocale::C)
        return formatAmount(minor, currency.minorUnits, locale) + u' ' + currency.code;
    const QString symbol = locale.currencySymbol(QLocale::CurrencyIsoCode) == currency.code
                               ? locale.currencySymbol(QLocale::CurrencySymbol)
                               : icuSymbol(currency.code, locale);
    return withSymbol(minor, currency.minorUnits, symbol, locale);
}

std::optional<Cents> parseAmount(const QString &input, int minorUnits, const QLocale &locale)
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
    if (fraction.size() > minorUnits || (separator >= 0 && fraction.isEmpty()))
        return std::nullopt;
    for (const QString &part : {whole, fraction}) {
        for (const QChar c : part) {
            if (c < u'0' || c > u'9')
                return std::nullopt;
        }
    }
    if (whole.size() > 10)
        return std::nullopt;
    while (fraction.size() < minorUnits)
        fraction += u'0';
    const Cents minor = (whole.isEmpty() ? 0 : whole.toLongLong()) * powerOfTen(minorUnits) +
                        (fraction.isEmpty() ? 0 : fraction.toLongLong());
    if (minor > Limits::maxTenderCents)
        return std::nullopt;
    return minor;
}

std::optional<Cents> parseAmount(const QString &input, const QLocale &locale)
{
    return parseAmount(input, 2, locale);
}

} // namespace SafeTill
