#include "BackOfficeHistory.h"

#include "Clock.h"
#include "Database.h"

using namespace Qt::StringLiterals;

namespace SafeTill {

void BackOfficeHistory::record(Database &db, const QDateTime &at, const ChangeBy &by,
                               const QString &subjectKind, const QString &subject,
                               const QString &action, const QString &detail)
{
    db.exec(u"INSERT INTO backoffice_history (at, actor_id, approved_by, subject_kind, subject, "
            "action, detail) VALUES (?, ?, ?, ?, ?, ?, ?)"_s,
            {toStorageTime(at), nullIfEmpty(by.actorId), nullIfEmpty(by.approvedById), subjectKind,
             subject, action, detail.left(2000)});
}

Result<QList<BackOfficeChange>> BackOfficeHistory::entries(Database &db, int limit,
                                                           const QString &subjectKind,
                                                           const QString &subject)
{
    return db.read([&] {
        QSqlQuery &query = db.exec(
            u"SELECT h.id, h.at, h.actor_id, c.name, h.approved_by, h.subject_kind, h.subject, "
            "h.action, h.detail FROM backoffice_history h LEFT JOIN cashiers c ON c.id = "
            "h.actor_id "
            "WHERE (CAST(? AS TEXT) = '' OR h.subject_kind = ?) AND (CAST(? AS TEXT) = '' OR "
            "h.subject = ?) "
            "ORDER BY h.id DESC LIMIT ?"_s,
            {subjectKind, subjectKind, subject, subject, std::clamp(limit, 1, 10000)});
        QList<BackOfficeChange> entries;
        while (query.next())
            entries.append({query.value(0).toLongLong(), fromStorageTime(query.value(1).toString()),
                            query.value(2).toString(), query.value(3).toString(),
                            query.value(4).toString(), query.value(5).toString(),
                            query.value(6).toString(), query.value(7).toString(),
                            query.value(8).toString()});
        query.finish();
        return Result<QList<BackOfficeChange>>::ok(entries);
    });
}

std::optional<QString> BackOfficeHistory::serverOwnsCatalog(Database &db)
{
    const QVariant url = db.scalar(u"SELECT server_url FROM sync_client_state WHERE id = 1"_s);
    if (url.isNull() || url.toString().isEmpty())
        return std::nullopt;
    return tr("This till syncs with %1: cashiers and the catalog are managed on the server and "
              "come to this till with the next sync. Nothing was changed here.")
        .arg(url.toString());
}

Result<std::optional<QString>> BackOfficeHistory::catalogOwner(Database &db)
{
    return db.read([&] { return Result<std::optional<QString>>::ok(serverOwnsCatalog(db)); });
}

} // namespace SafeTill
