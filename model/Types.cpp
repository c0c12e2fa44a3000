#include "Types.h"

#include "Tax.h"

#include <QHash>

#include "Result.h"

#include <array>
#include <utility>

using namespace Qt::StringLiterals;

namespace SafeTill {

namespace {

template<typename Enum, std::size_t N>
QString nameOf(Enum value, const std::array<std::pair<Enum, const char16_t *>, N> &names)
{
    for (const auto &[candidate, name] : names) {
        if (candidate == value)
            return QString::fromUtf16(name);
    }
    return {};
}

template<typename Enum, std::size_t N>
std::optional<Enum> valueOf(const QString &text,
                            const std::array<std::pair<Enum, const char16_t *>, N> &names)
{
    for (const auto &[candidate, name] : names) {
        if (text == QStringView(name))
            return candidate;
    }
    return std::nullopt;
}

constexpr std::array<std::pair<OrderStatus, const char16_t *>, 4> orderStatusNames{{
    {OrderStatus::Active, u"active"},
    {OrderStatus::PendingLogout, u"pending_logout"},
    {OrderStatus::Assigned, u"assigned"},
    {OrderStatus::Completed, u"completed"},
}};
constexpr std::array<std::pair<TabStatus, const char16_t *>, 2> tabStatusNames{{
    {TabStatus::Open, u"open"},
    {TabStatus::Settled, u"settled"},
}};
constexpr std::array<std::pair<PaymentMethod, const char16_t *>, 3> methodNames{{
    {PaymentMethod::Cash, u"cash"},
    {PaymentMethod::Card, u"card"},
    {PaymentMethod::Other, u"other"},
}};
constexpr std::array<std::pair<DiscountKind, const char16_t *>, 3> discountKindNames{{
    {DiscountKind::None, u""},
    {DiscountKind::Percent, u"percent"},
    {DiscountKind::Amount, u"amount"},
}};
constexpr std::array<std::pair<PaymentKind, const char16_t *>, 2> paymentKindNames{{
    {PaymentKind::Sale, u"sale"},
    {PaymentKind::Overpayment, u"overpayment"},
}};
constexpr std::array<std::pair<Role, const char16_t *>, 2> roleNames{{
    {Role::Cashier, u"cashier"},
    {Role::Manager, u"manager"},
}};
constexpr std::array<std::pair<Outcome, const char16_t *>, 8> outcomeNames{{
    {Outcome::Ok, u"ok"},
    {Outcome::NotFound, u"not_found"},
    {Outcome::Conflict, u"conflict"},
    {Outcome::InvalidState, u"invalid_state"},
    {Outcome::InvalidInput, u"invalid_input"},
    {Outcome::Forbidden, u"forbidden"},
    {Outcome::Busy, u"busy"},
    {Outcome::Error, u"error"},
}};

} // namespace

QString toString(OrderStatus status)
{
    return nameOf(status, orderStatusNames);
}
QString toString(TabStatus status)
{
    return nameOf(status, tabStatusNames);
}
QString toString(PaymentMethod method)
{
    return nameOf(method, methodNames);
}
QString toString(Role role)
{
    return nameOf(role, roleNames);
}
QString toString(PaymentKind kind)
{
    return nameOf(kind, paymentKindNames);
}
QString toString(DiscountKind kind)
{
    return nameOf(kind, discountKindNames);
}
std::optional<DiscountKind> discountKindFromString(const QString &text)
{
    return valueOf(text, discountKindNames);
}
QString outcomeName(Outcome outcome)
{
    return nameOf(outcome, outcomeNames);
}

std::optional<OrderStatus> orderStatusFromString(const QString &text)
{
    return valueOf(text, orderStatusNames);
}
std::optional<TabStatus> tabStatusFromString(const QString &text)
{
    return valueOf(text, tabStatusNames);
}
std::optional<PaymentMethod> paymentMethodFromString(const QString &text)
{
    return valueOf(text, methodNames);
}
std::optional<Role> roleFromString(const QString &text)
{
    return valueOf(text, roleNames);
}
std::optional<PaymentKind> paymentKindFromString(const QString &text)
{
    return valueOf(text, paymentKindNames);
}

bool sameItems(const QList<OrderLine> &a, const QList<OrderLine> &b)
{
    if (a.size() != b.size())
        return false;
    QHash<QString, const OrderLine *> byId;
    for (const OrderLine &line : a)
        byId.insert(line.lineId, &line);
    for (const OrderLine &line : b) {
        const OrderLine *other = byId.value(line.lineId);
        if (!other || other->quantity != line.quantity ||
            other->unitPriceCents != line.unitPriceCents || other->discount != line.discount)
            return false;
    }
    return true;
}

Cents Discount::of(Cents amount) const
{
    switch (kind) {
    case DiscountKind::Percent:
        return roundedMulDiv(amount, value, 10000);
    case DiscountKind::Amount:
        return qBound(Cents(0), Cents(value), amount);
    case DiscountKind::None:
        break;
    }
    return 0;
}

namespace {

Cents salePaid(const QList<Payment> &payments)
{
    Cents paid = 0;
    for (const Payment &payment : payments) {
        if (payment.kind == PaymentKind::Sale)
            paid += payment.amountCents;
    }
    return paid;
}

} // namespace

Cents Order::totalCents() const
{
    return taxTable(lines, discount).totalCents;
}

Cents Order::paidCents() const
{
    return salePaid(payments);
}

Cents Tab::paidCents() const
{
    return salePaid(payments);
}

int Order::itemCount() const
{
    int count = 0;
    for (const OrderLine &line : lines)
        count += line.quantity;
    return count;
}

Cents Tab::totalCents() const
{
    Cents total = 0;
    for (const Order &order : orders)
        total += order.totalCents();
    return total;
}

} // namespace SafeTill
