#include "Approvals.h"

#include "CashierService.h"

#include <QCoreApplication>

using namespace Qt::StringLiterals;

namespace SafeTill {

namespace {

// The sentences a person reads, in the translations' context "SafeTill::Approvals".
struct Text
{
    Q_DECLARE_TR_FUNCTIONS(SafeTill::Approvals)
};

} // namespace

QString Approvals::describe(Permission what)
{
    switch (what) {
    case Permission::Refund:
        return Text::tr("A refund");
    case Permission::Void:
        return Text::tr("A void");
    case Permission::NoSale:
        return Text::tr("Opening the drawer without a sale");
    case Permission::DiscountOverLimit:
        return Text::tr("A discount above the limit for cashiers");
    case Permission::PriceOverride:
        return Text::tr("A price override");
    case Permission::ShopSettings:
        return Text::tr("Changing the shop's settings");
    case Permission::BackOffice:
        return Text::tr("The back office");
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
            Text::tr("%1 needs a manager: ask a manager to approve it with their PIN.")
                .arg(describe(what)));
    const Result<Cashier> manager = m_cashiers.verifyPin(approver->idOrName, approver->pin);
    if (!manager) {
        // A wrong PIN is counted against the approver like a wrong sign-in (CashierService), and
        // an approver locked out by wrong PINs cannot approve until the lockout is over.
        switch (manager.outcome()) {
        case Outcome::InvalidInput:
            return Result<Authorization>::failure(
                Outcome::Forbidden, Text::tr("Not approved: the approver's PIN is wrong."));
        case Outcome::NotFound:
        case Outcome::InvalidState:
            return Result<Authorization>::failure(
                Outcome::Forbidden, Text::tr("Not approved: %1").arg(manager.message()));
        default:
            return Result<Authorization>::from(manager);
        }
    }
    if (manager->role != Role::Manager)
        return Result<Authorization>::failure(
            Outcome::Forbidden, Text::tr("Not approved: %1 is not a manager. %2 needs a manager.")
                                    .arg(manager->name, describe(what)));
    if (manager->id == actor->id)
        return Result<Authorization>::failure(
            Outcome::Forbidden, Text::tr("Not approved: a cashier cannot approve their "
                                         "own action."));
    return Result<Authorization>::ok({*actor, *manager});
}

} // namespace SafeTill
