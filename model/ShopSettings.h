#pragma once

#include "Clock.h"
#include "Result.h"

#include "Money.h"

#include <QString>
#include <QStringList>

namespace SafeTill {

// What the receipts, the screens and the API show about the shop (ShopSettings::profile()).
struct ShopProfile
{
    QString name;                 // shop-name
    QStringList address;          // address-line-1..3, the ones set
    QString taxNumber;            // tax-number (VAT number)
    QString footer;               // footer: the receipt's last lines
    Currency currency;            // currency: ISO 4217 code and its minor units
    bool pricesIncludeTax = true; // prices-include-tax (yes: most of the world; no: US style)
    Cents cashRoundingStep = 0;   // cash-rounding, in minor units (5: to 0.05); 0: none
    QString defaultTax;           // default-tax: the rate of open-price items ("" none)
    int minPinDigits = 4;         // min-pin-digits
    int cashierDiscountLimitPercent = 10; // cashier-discount-limit
};

class Database;

// Settings that every process on one database shares (the server's processes, or a till's GUI and
// CLI), kept in the table shop_settings; this class is the one writer of that table. Each has a
// command-line name (names()) and is checked here, so a bad value changes nothing:
//   shop-name, address-line-1..3, tax-number, footer   texts shown on every receipt
//   currency            an ISO 4217 code (EUR, USD, JPY, KWD), its minor units from ICU
//   prices-include-tax  yes (default) or no
//   cash-rounding       the step cash totals are rounded to, in minor units (0 = none)
//   default-tax         the tax code of open-price items (a code of `tax list`, or empty)
//   min-pin-digits      the fewest digits a new or changed PIN may have (4 to 12, default 4);
//                       `safetill-server settings set min-pin-digits 6` is the "6-digit PINs" rule
//   cashier-discount-limit  the largest discount a cashier may give without a manager, in percent
//                       of what it applies to (0 to 100, default 10; 0: every discount needs one)
class ShopSettings
{
public:
    static constexpr int defaultMinPinDigits = 4;
    static constexpr int maxPinDigits = 12;
    // A cashier may give up to 10 % off on their own (a courtesy or a dented box); a larger
    // discount is a manager's decision (model/Approvals, Permission::DiscountOverLimit).
    static constexpr int defaultCashierDiscountLimitPercent = 10;

    explicit ShopSettings(Database &database, const Clock &clock = Clock::system());

    // The names as the command line spells them (min-pin-digits).
    static QStringList names();

    Result<int> minPinDigits();
    // cashier-discount-limit, in percent (the default when unset).
    Result<int> cashierDiscountLimitPercent();
    // Every setting at once, with the defaults for those never set.
    Result<ShopProfile> profile();
    // Each setting's name and its value as text ("" when unset), in names() order.
    Result<QList<std::pair<QString, QString>>> values();
    // The settings a synced till takes from its server's pull (rows' names in shop_settings):
    // all but the PIN policy.
    static QStringList pulledKeys();
    // A till taking its server's settings (sync/SyncStore.cpp): exactly those of `shop` (row name
    // -> value, pulledKeys() only, checked by pullProblem()) afterwards. Call inside a write.
    void storePulled(const QJsonObject &shop);
    // The currency when none is set: the default locale's (QLocale()), else EUR.
    static Currency defaultCurrency();
    // InvalidInput (naming the setting and its range) outside 4..12.
    Result<int> setMinPinDigits(int digits);
    // A setting by its command-line name, from text: InvalidInput for an unknown name or a bad
    // value. The result is the value as stored.
    Result<QString> set(const QString &name, const QString &value);

    // Why this PIN breaks the rule "at least minDigits digits", in words a person can act on;
    // empty when it keeps it. The PIN's own shape (digits only, 4 to 12) is PinHasher::validate's.
    static QString pinPolicyProblem(const QString &pin, int minDigits);

private:
    Database &m_db;
    const Clock &m_clock;
};

} // namespace SafeTill
