#pragma once

#include "Clock.h"
#include "Result.h"

#include <QString>

namespace SafeTill {

class Database;

// Settings that every process on one database shares (the server's processes, or a till's GUI and
// CLI), kept in the table shop_settings; this class is the one writer of that table.
// Today one setting: min-pin-digits, the fewest digits a new or changed PIN may have (4 to 12,
// default 4). `safetill-server settings set min-pin-digits 6` is the shop's "6-digit PINs" rule.
class ShopSettings
{
public:
    static constexpr int defaultMinPinDigits = 4;
    static constexpr int maxPinDigits = 12;

    explicit ShopSettings(Database &database, const Clock &clock = Clock::system());

    // The names as the command line spells them (min-pin-digits).
    static QStringList names();

    Result<int> minPinDigits();
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
