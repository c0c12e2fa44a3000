#include "ShiftStore.h"

#include "Database.h"

#include <QUuid>

using namespace Qt::StringLiterals;

namespace SafeTill {

QString ShiftStore::openShiftFor(const QString &terminalId, const QString &cashierId,
                                 const QString &now)
{
    const bool postgres = m_db.dialect() == SqlDialect::Postgres;
    const QString find = postgres ? u"SELECT id FROM shifts WHERE terminal_id = ? AND status = "
                                    "'open' FOR SHARE"_s
                                  : u"SELECT id FROM shifts WHERE terminal_id = ? AND status = "
                                    "'open'"_s;
    // Twice at most: on PostgreSQL a shift opened by a racing transaction is waited for by the
    // unique index (ON CONFLICT DO NOTHING), then found.
    for (int attempt = 0; attempt < 2; ++attempt) {
        const QVariant open = m_db.scalar(find, {terminalId});
        if (open.isValid() && !open.isNull())
            return open.toString();
        const QString id = QUuid::createUuid().toString(QUuid::WithoutBraces);
        const int inserted = m_db.change(
            u"INSERT INTO shifts (id, terminal_id, status, opened_by, opened_at, float_cents, "
            "auto_opened) VALUES (?, ?, 'open', ?, ?, 0, 1) ON CONFLICT DO NOTHING"_s,
            {id, terminalId, nullIfEmpty(cashierId), now});
        if (inserted == 1)
            return id;
    }
    // Unreachable unless a shift opened and closed between our two reads.
    return m_db.scalar(find, {terminalId}).toString();
}

} // namespace SafeTill
