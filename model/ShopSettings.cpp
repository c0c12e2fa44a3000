#include "ShopSettings.h"

#include "Database.h"

#include <QCoreApplication>
#include <QJsonObject>
#include <QLocale>

using namespace Qt::StringLiterals;

namespace SafeTill {

namespace {

// The sentences a person reads, in the translations' context "SafeTill::ShopSettings".
struct Text
{
    Q_DECLARE_TR_FUNCTIONS(SafeTill::ShopSettings)
};

// One setting: its command-line name, its row's name in shop_settings, its longest text.
struct Setting
{
    QString name;
    QString key;
    int maxLength;
};

const QList<Setting> &settings()
{
    static const QList<Setting> all{
        {u"shop-name"_s, u"shop_name"_s, 100},
        {u"address-line-1"_s, u"address_line_1"_s, 100},
        {u"address-line-2"_s, u"address_line_2"_s, 100},
        {u"address-line-3"_s, u"address_line_3"_s, 100},
        {u"tax-number"_s, u"tax_number"_s, 40},
        {u"footer"_s, u"footer"_s, 500},
        {u"currency"_s, u"currency"_s, 3},
        {u"prices-include-tax"_s, u"prices_include_tax"_s, 3},
        {u"cash-rounding"_s, u"cash_rounding"_s, 6},
        {u"default-tax"_s, u"default_tax"_s, 16},
        {u"min-pin-digits"_s, u"min_pin_digits"_s, 2},
        {u"cashier-discount-limit"_s, u"cashier_discount_limit"_s, 3},
    };
    return all;
}

const Setting *findSetting(const QString &name)
{
    for (const Setting &setting : settings()) {
        if (setting.name == name)
            return &setting;
    }
    return nullptr;
}

} // namespace

ShopSettings::ShopSettings(Database &database, const Clock &clock)
    : m_db(database)
    , m_clock(clock)
{}

QStringList ShopSettings::pulledKeys()
{
    QStringList keys;
    for (const Setting &setting : settings()) {
        if (setting.name != u"min-pin-digits"_s)
            keys << setting.key;
    }
    return keys;
}

void ShopSettings::storePulled(const QJsonObject &shop)
{
    const QString now = toStorageTime(m_clock.now());
    for (const QString &key : pulledKeys()) {
        const QString value = shop.value(key).toString();
        if (value.isEmpty()) {
            m_db.exec(u"DELETE FROM shop_settings WHERE name = ?"_s, {key});
            continue;
        }
        // Written only when it differs: an unchanged pull leaves the till's revision alone.
        m_db.exec(u"INSERT INTO shop_settings (name, value, updated_at) VALUES (?, ?, ?) "
                  "ON CONFLICT (name) DO UPDATE SET value = excluded.value, "
                  "updated_at = excluded.updated_at WHERE shop_settings.value <> excluded.value"_s,
                  {key, value, now});
    }
}

QStringList ShopSettings::names()
{
    QStringList names;
    for (const Setting &setting : settings())
        names << setting.name;
    return names;
}

Currency ShopSettings::defaultCurrency()
{
    const QString code = QLocale().currencySymbol(QLocale::CurrencyIsoCode);
    return currencyFromCode(code).value_or(Currency{u"EUR"_s, 2});
}

Result<QList<std::pair<QString, QString>>> ShopSettings::values()
{
    return m_db.read([&] {
        QHash<QString, QString> stored;
        QSqlQuery &query = m_db.exec(u"SELECT name, value FROM shop_settings"_s);
        while (query.next())
            stored.insert(query.value(0).toString(), query.value(1).toString());
        query.finish();
        QList<std::pair<QString, QString>> values;
        for (const Setting &setting : settings())
            values.append({setting.name, stored.value(setting.key)});
        return Result<QList<std::pair<QString, QString>>>::ok(values);
    });
}

Result<ShopProfile> ShopSettings::profile()
{
    const auto stored = values();
    if (!stored)
        return Result<ShopProfile>::from(stored);
    QHash<QString, QString> value;
    for (const auto &[name, text] : *stored)
        value.insert(name, text);
    ShopProfile profile;
    profile.name = value.value(u"shop-name"_s);
    for (const QString &line : {u"address-line-1"_s, u"address-line-2"_s, u"address-line-3"_s}) {
        if (!value.value(line).isEmpty())
            profile.address << value.value(line);
    }
    profile.taxNumber = value.value(u"tax-number"_s);
    profile.footer = value.value(u"footer"_s);
    // A value written by hand that no longer passes the checks counts as unset.
    profile.currency = currencyFromCode(value.value(u"currency"_s)).value_or(defaultCurrency());
    profile.pricesIncludeTax = value.value(u"prices-include-tax"_s) != u"no"_s;
    profile.cashRoundingStep = qMax(0, value.value(u"cash-rounding"_s).toInt());
    profile.defaultTax = value.value(u"default-tax"_s);
    bool ok = false;
    const int digits = value.value(u"min-pin-digits"_s).toInt(&ok);
    profile.minPinDigits =
        ok ? qBound(defaultMinPinDigits, digits, maxPinDigits) : defaultMinPinDigits;
    const int limit = value.value(u"cashier-discount-limit"_s).toInt(&ok);
    profile.cashierDiscountLimitPercent =
        ok ? qBound(0, limit, 100) : defaultCashierDiscountLimitPercent;
    return Result<ShopProfile>::ok(profile);
}

Result<int> ShopSettings::cashierDiscountLimitPercent()
{
    const Result<ShopProfile> shop = profile();
    if (!shop)
        return Result<int>::from(shop);
    return Result<int>::ok(shop->cashierDiscountLimitPercent);
}

Result<int> ShopSettings::minPinDigits()
{
    const Result<ShopProfile> shop = profile();
    if (!shop)
        return Result<int>::from(shop);
    return Result<int>::ok(shop->minPinDigits);
}

Result<int> ShopSettings::setMinPinDigits(int digits)
{
    const Result<QString> stored = set(u"min-pin-digits"_s, QString::number(digits));
    if (!stored)
        return Result<int>::from(stored);
    return Result<int>::ok(digits);
}

Result<QString> ShopSettings::set(const QString &name, const QString &input)
{
    const Setting *setting = findSetting(name);
    if (!setting)
        return Result<QString>::invalidInput(
            Text::tr("There is no setting called \u201c%1\u201d; the settings are: %2.")
                .arg(name.left(40), names().join(u", "_s)));
    QString value = input.trimmed();
    if (name != u"footer"_s && value.contains(u'\n'))
        return Result<QString>::invalidInput(Text::tr("%1 is one line of text.").arg(name));
    if (value.size() > setting->maxLength)
        return Result<QString>::invalidInput(Text::tr("%1 is at most %2 characters; this is %3.")
                                                 .arg(name)
                                                 .arg(setting->maxLength)
                                                 .arg(value.size()));

    if (name == u"currency"_s) {
        value = value.toUpper();
        if (!currencyFromCode(value))
            return Result<QString>::invalidInput(
                Text::tr("currency is an ISO 4217 code in use, such as EUR, USD, GBP, JPY or CHF; "
                         "\u201c%1\u201d is not one.")
                    .arg(input.left(20)));
    } else if (name == u"prices-include-tax"_s) {
        value = value.toLower();
        if (value != u"yes"_s && value != u"no"_s)
            return Result<QString>::invalidInput(
                Text::tr(
                    "prices-include-tax is yes (prices on the shelf include tax) or no (tax is "
                    "added at the till), not \u201c%1\u201d.")
                    .arg(input.left(20)));
    } else if (name == u"cash-rounding"_s) {
        bool ok = false;
        const int step = value.toInt(&ok);
        if (!ok || step < 0 || step > 10000)
            return Result<QString>::invalidInput(
                Text::tr(
                    "cash-rounding is the step cash totals are rounded to, in minor units (5 for "
                    "0.05; 0 for none; at most 10000), not \u201c%1\u201d.")
                    .arg(input.left(20)));
        value = QString::number(step);
    } else if (name == u"min-pin-digits"_s) {
        bool ok = false;
        const int digits = value.toInt(&ok);
        if (!ok || digits < defaultMinPinDigits || digits > maxPinDigits)
            return Result<QString>::invalidInput(
                Text::tr("min-pin-digits is a number of digits from %1 to %2, not \u201c%3\u201d.")
                    .arg(defaultMinPinDigits)
                    .arg(maxPinDigits)
                    .arg(input.left(20)));
        value = QString::number(digits);
    } else if (name == u"cashier-discount-limit"_s && !value.isEmpty()) {
        bool ok = false;
        const int percent = value.toInt(&ok);
        if (!ok || percent < 0 || percent > 100)
            return Result<QString>::invalidInput(
                Text::tr(
                    "cashier-discount-limit is the largest discount a cashier may give without a "
                    "manager, in percent from 0 to 100 (empty: the default, %1), not "
                    "\u201c%2\u201d.")
                    .arg(defaultCashierDiscountLimitPercent)
                    .arg(input.left(20)));
        value = QString::number(percent);
    }

    return m_db.write([&]() -> Result<QString> {
        if (name == u"currency"_s) {
            // Amounts are stored in minor units: a currency changed after the first sale would
            // re-read every past amount in another unit.
            const QString current =
                m_db.scalar(u"SELECT value FROM shop_settings WHERE name = 'currency'"_s)
                    .toString();
            const qint64 sales = m_db.scalar(u"SELECT COUNT(*) FROM payments"_s).toLongLong();
            if (sales > 0 && current != value)
                return Result<QString>::invalidInput(
                    Text::tr("currency cannot change once money was taken (%1 payments are in %2).")
                        .arg(sales)
                        .arg(current.isEmpty() ? defaultCurrency().code : current));
        }
        if (name == u"default-tax"_s && !value.isEmpty()) {
            value = value.toUpper();
            if (m_db.scalar(u"SELECT COUNT(*) FROM tax_rates WHERE code = ?"_s, {value}).toInt() ==
                0)
                return Result<QString>::invalidInput(
                    Text::tr("default-tax is a tax code of `tax list`; there is no tax %1.")
                        .arg(value));
        }
        if (value.isEmpty()) {
            m_db.exec(u"DELETE FROM shop_settings WHERE name = ?"_s, {setting->key});
        } else {
            m_db.exec(u"INSERT INTO shop_settings (name, value, updated_at) VALUES (?, ?, ?) "
                      "ON CONFLICT (name) DO UPDATE SET value = excluded.value, "
                      "updated_at = excluded.updated_at"_s,
                      {setting->key, value, toStorageTime(m_clock.now())});
        }
        return Result<QString>::ok(value);
    });
}

QString ShopSettings::pinPolicyProblem(const QString &pin, int minDigits)
{
    if (pin.size() >= minDigits)
        return {};
    return Text::tr(
               "This shop requires PINs of at least %1 digits (the setting min-pin-digits); this "
               "one has %2.")
        .arg(minDigits)
        .arg(pin.size());
}

} // namespace SafeTill
