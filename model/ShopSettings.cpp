#include "ShopSettings.h"

#include "Database.h"

using namespace Qt::StringLiterals;

namespace SafeTill {

namespace {

const QString minPinDigitsName = u"min-pin-digits"_s;
const QString minPinDigitsKey = u"min_pin_digits"_s; // the row's name in shop_settings

} // namespace

ShopSettings::ShopSettings(Database &database, const Clock &clock)
    : m_db(database)
    , m_clock(clock)
{}

QStringList ShopSettings::names()
{
    return {minPinDigitsName};
}

Result<int> ShopSettings::minPinDigits()
{
    return m_db.read([&] {
        const QVariant stored =
            m_db.scalar(u"SELECT value FROM shop_settings WHERE name = ?"_s, {minPinDigitsKey});
        bool ok = false;
        const int digits = stored.toString().toInt(&ok);
        // A value written by hand outside the range counts as the nearest one allowed.
        if (stored.isNull() || !ok)
            return Result<int>::ok(defaultMinPinDigits);
        return Result<int>::ok(qBound(defaultMinPinDigits, digits, maxPinDigits));
    });
}

Result<int> ShopSettings::setMinPinDigits(int digits)
{
    if (digits < defaultMinPinDigits || digits > maxPinDigits)
        return Result<int>::invalidInput(
            u"min-pin-digits is a number of digits from %1 to %2, not %3."_s
                .arg(defaultMinPinDigits)
                .arg(maxPinDigits)
                .arg(digits));
    return m_db.write([&] {
        m_db.exec(u"INSERT INTO shop_settings (name, value, updated_at) VALUES (?, ?, ?) "
                  "ON CONFLICT (name) DO UPDATE SET value = excluded.value, "
                  "updated_at = excluded.updated_at"_s,
                  {minPinDigitsKey, QString::number(digits), toStorageTime(m_clock.now())});
        return Result<int>::ok(digits);
    });
}

Result<QString> ShopSettings::set(const QString &name, const QString &value)
{
    if (name != minPinDigitsName)
        return Result<QString>::invalidInput(
            u"There is no setting called \u201c%1\u201d; the settings are: %2."_s.arg(
                name, names().join(u", "_s)));
    bool ok = false;
    const int digits = value.toInt(&ok);
    if (!ok || value.size() > 2)
        return Result<QString>::invalidInput(
            u"min-pin-digits is a number of digits from %1 to %2, not \u201c%3\u201d."_s
                .arg(defaultMinPinDigits)
                .arg(maxPinDigits)
                .arg(value.left(20)));
    const Result<int> stored = setMinPinDigits(digits);
    if (!stored)
        return Result<QString>::from(stored);
    return Result<QString>::ok(QString::number(*stored));
}

QString ShopSettings::pinPolicyProblem(const QString &pin, int minDigits)
{
    if (pin.size() >= minDigits)
        return {};
    return u"This shop requires PINs of at least %1 digits (the setting min-pin-digits); this "
           "one has %2."_s.arg(minDigits)
               .arg(pin.size());
}

} // namespace SafeTill
