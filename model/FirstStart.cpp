#include "FirstStart.h"

#include "BackOfficeHistory.h"
#include "CashierService.h"
#include "Database.h"
#include "ShopSettings.h"

using namespace Qt::StringLiterals;

namespace SafeTill {

namespace {

// Inside a transaction: throws SqlFailure.
bool neededNow(Database &db)
{
    if (BackOfficeHistory::serverOwnsCatalog(db))
        return false;
    return db
        .scalar(u"SELECT 1 FROM cashiers WHERE role = 'manager' AND name_key NOT LIKE ?"_s,
                {u"retired:%"_s})
        .isNull();
}

} // namespace

QString FirstStart::managerPinProblem(const QString &pin)
{
    if (pin.size() > maxFirstPinDigits)
        return tr("PIN: the first manager's PIN has at most %1 digits.").arg(maxFirstPinDigits);
    return {};
}

Result<bool> FirstStart::needed(Database &db)
{
    return db.read([&] { return Result<bool>::ok(neededNow(db)); });
}

Result<Cashier> FirstStart::apply(Database &db, const FirstStartSetup &setup,
                                  QHash<QString, QString> *fieldErrors)
{
    QHash<QString, QString> errors;
    if (const QString problem = managerPinProblem(setup.managerPin); !problem.isEmpty()) {
        if (fieldErrors)
            fieldErrors->insert(managerPinField, problem);
        return Result<Cashier>::invalidInput(tr("Nothing was set up: %1").arg(problem));
    }
    std::optional<Result<Cashier>> refusal;
    std::optional<Result<Cashier>> manager;
    try {
        // One transaction: each owner's write runs as an action of a batch (Database::beginBatch)
        // and the batch commits only when every one of them succeeded.
        db.beginBatch();
        bool ran = db.runBatchAction([&] {
            if (!neededNow(db))
                refusal = Result<Cashier>::failure(
                    Outcome::InvalidState,
                    tr("This till is set up already: log in with a manager's PIN."));
        });
        ShopSettings settings(db);
        // Not a structured binding: clang 14 (the fuzzer's build) cannot capture one.
        for (const std::pair<QString, QString> &field : setup.shop) {
            if (!ran || refusal)
                break;
            ran = db.runBatchAction([&] {
                const Result<QString> stored = settings.set(field.first, field.second);
                if (!stored)
                    errors.insert(field.first, stored.message());
            });
        }
        if (ran && !refusal) {
            ran = db.runBatchAction([&] {
                CashierService cashiers(db);
                manager = cashiers.add(setup.managerName, setup.managerPin, Role::Manager);
            });
        }
        if (!ran) {
            db.rollbackBatch();
            return Result<Cashier>::failure(Outcome::Busy,
                                            tr("The database is busy; nothing was set up. Try "
                                               "again."));
        }
        if (refusal || !errors.isEmpty() || !manager || !*manager) {
            db.rollbackBatch();
        } else {
            db.commitBatch();
            return *manager;
        }
    } catch (const SqlFailure &failure) {
        db.rollbackBatch();
        return Result<Cashier>::databaseError(failure);
    }
    if (refusal)
        return *refusal;
    if (manager && !*manager) {
        if (manager->outcome() != Outcome::InvalidInput)
            return *manager;
        // The name or the PIN: CashierService names the rule; the PIN's rules say "PIN".
        const bool aboutPin = manager->message().contains(u"PIN"_s);
        errors.insert(aboutPin ? managerPinField : managerNameField, manager->message());
    }
    if (fieldErrors)
        *fieldErrors = errors;
    QStringList messages;
    for (auto it = errors.cbegin(); it != errors.cend(); ++it)
        messages << it.value();
    messages.sort();
    return Result<Cashier>::invalidInput(tr("Nothing was set up: %1").arg(messages.join(u" "_s)));
}

} // namespace SafeTill
