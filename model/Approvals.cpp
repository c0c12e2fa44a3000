#include "Approvals.h"

#include "CashierService.h"

using namespace Qt::StringLiterals;

namespace SafeTill {

QString Approvals::describe(Permission what)
{
    switch (what) {
    case Permission::Refund:
        return u"A refund"_s;
    case Permission::Void:
        return u"A void"_s;
    case Permission::NoSale:
        return u"Opening the drawer without a sale"_s;
    case Permission::DiscountOverLimit:
        return u"A discount above the limit for cashiers"_s;
    case Permission::PriceOverride:
        return u"A price override"_s;
    case Permission::ShopSettings:
        return u"Changing the shop's settings"_s;
    case Permission::BackOffice:
        return u"The back office"_s;
    }
    return u"This"_s;
}

Result<Authorization> Approvals::authorize(const QString &actorId, Permission what,
                                           const std::optional<Approver> &approver)
{
    const Result<Cashier> actor = m_cashiers.find(actorId);
    if (!actor)
        return Result<Authorization>::from(actor);
    if (actor->role == Role::Manager)
        return Result<Authorization>::ok({*actor, std::nullopt});
    if (!approver || approver->idOrName.isEmpty())
        return Result<Authorization>::failure(
            Outcome::Forbidden,
            u"%1 needs a manager: ask a manager to approve it with their PIN."_s.arg(
                describe(what)));
    const Result<Cashier> manager = m_cashiers.verifyPin(approver->idOrName, approver->pin);
    if (!manager) {
        // A wrong PIN is counted against the approver like a wrong sign-in (CashierService), and
        // an approver locked out by wrong PINs cannot approve until the lockout is over.
        switch (manager.outcome()) {
        case Outcome::InvalidInput:
            return Result<Authorization>::failure(Outcome::Forbidden,
                                                  u"Not approved: the approver's PIN is wrong."_s);
        case Outcome::NotFound:
        case Outcome::InvalidState:
            return Result<Authorization>::failure(Outcome::Forbidden,
                                                  u"Not approved: %1"_s.arg(manager.message()));
        default:
            return Result<Authorization>::from(manager);
        }
    }
    if (manager->role != Role::Manager)
        return Result<Authorization>::failure(
            Outcome::Forbidden, u"Not approved: %1 is not a manager. %2 needs a manager."_s.arg(
                                    manager->name, describe(what)));
    if (manager->id == actor->id)
        return Result<Authorization>::failure(Outcome::Forbidden,
                                              u"Not approved: a cashier cannot approve their "
                                              "own action."_s);
    return Result<Authorization>::ok({*actor, *manager});
}

} // namespace SafeTill
