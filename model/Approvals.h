#pragma once

#include "Result.h"
#include "Types.h"

#include <optional>

namespace SafeTill {

class CashierService;

// What only a manager may do, or a cashier with a manager's approval given on the spot.
enum class Permission {
    Refund,            // pay money back for a past receipt
    Void,              // take back a completed sale of the same shift
    NoSale,            // open the drawer without a sale
    DiscountOverLimit, // a discount above the shop's limit for cashiers
    PriceOverride,     // charge another price than the catalog's
    ShopSettings,      // change the shop's settings and tax rates
    BackOffice,        // products, categories, cashiers
};

// A manager approving on the spot: who, and the PIN they typed on the same screen (never stored).
struct Approver
{
    QString idOrName;
    QString pin;
};

// Who did an action that needs a manager, and which manager allowed it: the actor when they are a
// manager themselves, the approver otherwise. Both are recorded with the action.
struct Authorization
{
    Cashier actor;
    std::optional<Cashier> approver;

    // The manager who allowed it (the approver, or the actor).
    const Cashier &manager() const { return approver ? *approver : actor; }
    // The approver's id to record next to the actor's (empty when the actor is the manager).
    QString approvedById() const { return approver ? approver->id : QString(); }
};

// The one place the roles are enforced, in the model: the GUI, the CLI and the server's API call
// the services, and the services ask here before they write. A refusal is Outcome::Forbidden and
// changes nothing.
class Approvals
{
public:
    explicit Approvals(CashierService &cashiers)
        : m_cashiers(cashiers)
    {}

    // actorId (an id or a name) may do `what`: a manager may; a cashier may with an approver who
    // is a manager and whose PIN matches (checked here, outside any transaction: the hash is slow).
    // NotFound for an unknown actor; Forbidden naming what is missing otherwise.
    Result<Authorization> authorize(const QString &actorId, Permission what,
                                    const std::optional<Approver> &approver = std::nullopt);
    // What the permission is, for messages ("a refund").
    static QString describe(Permission what);

private:
    CashierService &m_cashiers;
};

} // namespace SafeTill
