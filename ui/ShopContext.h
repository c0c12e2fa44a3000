#pragma once

#include "Money.h"
#include "ShopSettings.h"
#include "Types.h"

#include <QObject>

#include <optional>

namespace SafeTill {

// The shop as the screens of this process see it (ShopSettings::profile(): name, address, tax
// number, footer, currency, pricing mode): the one ui-side place that knows it. TillApplication
// reads it on the worker thread at start and after every TillBackend::changed(), and stores it
// here; every screen formats and parses money through it, so a JPY shop shows and accepts no
// decimals and a KWD shop three. Until the first read (and after the application is gone) it is
// the default profile with ShopSettings::defaultCurrency() (QLocale()'s currency). UI thread only.
class ShopContext : public QObject
{
    Q_OBJECT

public:
    static ShopContext &instance();

    const ShopProfile &profile() const { return m_profile; }
    // Stores the shop and emits changed() when it differs from the one kept (and
    // currencyChanged() first when its currency does).
    void setProfile(const ShopProfile &profile);
    // Back to the default profile (TillApplication's end).
    void reset();

    static const Currency &currency() { return instance().m_profile.currency; }
    // "$12.34", "￥1,234", "KWD 1.234" as the locale writes the shop's currency.
    static QString money(Cents minor);
    // The amount as typed into a field, without a symbol or group separators ("1234.50", "1234").
    static QString amount(Cents minor);
    // What a person typed, in the shop's minor units (at most that many decimals).
    static std::optional<Cents> parse(const QString &text);

Q_SIGNALS:
    void changed();
    // The amounts on screen need formatting anew.
    void currencyChanged();

private:
    ShopContext();
    static ShopProfile defaultProfile();

    ShopProfile m_profile;
};

} // namespace SafeTill
