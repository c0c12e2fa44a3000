#pragma once

#include "Approvals.h"
#include "Result.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QString>

#include <optional>

namespace SafeTill {

class Database;

// Who makes a back-office change: the person signed in (empty for the command line or the
// first-start set-up) and the manager who approved it when that person is a cashier.
struct ChangeBy
{
    QString actorId;
    QString approvedById;

    static ChangeBy from(const Authorization &authorization)
    {
        return {authorization.actor.id, authorization.approvedById()};
    }
};

// One back-office change as recorded.
struct BackOfficeChange
{
    qint64 id = 0;
    QDateTime at;
    QString actorId;
    QString actorName; // empty when no person made it
    QString approvedById;
    QString subjectKind; // product, category, catalog, cashier
    QString subject;     // a SKU, a category's name, a cashier's id; "csv" for an import
    QString action;      // add, edit, retire, move, import, pin, role
    QString detail;      // what changed, for people
};

// The history of the catalog and the cashiers (table backoffice_history, written here only):
// CatalogService and CashierService record each change in the transaction that makes it. Also the
// model's check that this database may change its catalog and cashiers at all: on a till that
// syncs with a server, the server owns them.
class BackOfficeHistory
{
    Q_DECLARE_TR_FUNCTIONS(SafeTill::BackOfficeHistory)

public:
    // Inside a write transaction: one row. Throws SqlFailure as Database::exec() does.
    static void record(Database &db, const QDateTime &at, const ChangeBy &by,
                       const QString &subjectKind, const QString &subject, const QString &action,
                       const QString &detail = {});
    // The newest entries first (at most limit), optionally of one subject.
    static Result<QList<BackOfficeChange>> entries(Database &db, int limit = 200,
                                                   const QString &subjectKind = {},
                                                   const QString &subject = {});
    // Why this database may not change its catalog and cashiers (a till synced with a server),
    // or nullopt. Read inside the transaction that would write. Throws SqlFailure.
    static std::optional<QString> serverOwnsCatalog(Database &db);
    // The same as a read of its own (the back office's screens): a failure is a Result.
    static Result<std::optional<QString>> catalogOwner(Database &db);
};

} // namespace SafeTill
