#include "ShiftStore.h"

#include "Clock.h"
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

namespace {

const QString shiftColumns =
    u"SELECT id, terminal_id, status, COALESCE(opened_by, ''), opened_at, float_cents, "
    "auto_opened, COALESCE(z_number, 0), COALESCE(closed_at, '') FROM shifts "_s;

Shift shiftFromRow(const QSqlQuery &query)
{
    Shift shift;
    shift.id = query.value(0).toString();
    shift.terminalId = query.value(1).toString();
    shift.open = query.value(2).toString() == u"open"_s;
    shift.openedBy = query.value(3).toString();
    shift.openedAt = fromStorageTime(query.value(4).toString());
    shift.floatCents = query.value(5).toLongLong();
    shift.autoOpened = query.value(6).toInt() != 0;
    shift.zNumber = query.value(7).toInt();
    shift.closedAt = fromStorageTime(query.value(8).toString());
    return shift;
}

} // namespace

std::optional<Shift> ShiftStore::openShift(const QString &terminalId, bool forClose)
{
    const bool lock = forClose && m_db.dialect() == SqlDialect::Postgres;
    QSqlQuery &query = m_db.exec(shiftColumns + u"WHERE terminal_id = ? AND status = 'open'"_s +
                                     (lock ? u" FOR UPDATE"_s : QString()),
                                 {terminalId});
    std::optional<Shift> found;
    if (query.next())
        found = shiftFromRow(query);
    query.finish();
    return found;
}

std::optional<Shift> ShiftStore::shift(const QString &shiftId)
{
    QSqlQuery &query = m_db.exec(shiftColumns + u"WHERE id = ?"_s, {shiftId});
    std::optional<Shift> found;
    if (query.next())
        found = shiftFromRow(query);
    query.finish();
    return found;
}

std::optional<Shift> ShiftStore::closedShift(const QString &terminalId, int zNumber)
{
    QSqlQuery &query =
        zNumber > 0 ? m_db.exec(shiftColumns + u"WHERE terminal_id = ? AND z_number = ?"_s,
                                {terminalId, zNumber})
                    : m_db.exec(shiftColumns + u"WHERE terminal_id = ? AND status = 'closed' "
                                               "ORDER BY z_number DESC LIMIT 1"_s,
                                {terminalId});
    std::optional<Shift> found;
    if (query.next())
        found = shiftFromRow(query);
    query.finish();
    return found;
}

bool ShiftStore::insertOpenShift(const Shift &shift)
{
    return m_db.change(
               u"INSERT INTO shifts (id, terminal_id, status, opened_by, opened_at, float_cents, "
               "auto_opened) VALUES (?, ?, 'open', ?, ?, ?, 0) ON CONFLICT DO NOTHING"_s,
               {shift.id, shift.terminalId, nullIfEmpty(shift.openedBy),
                toStorageTime(shift.openedAt), shift.floatCents}) == 1;
}

void ShiftStore::insertMovement(const CashMovement &movement, const QString &terminalId)
{
    m_db.exec(u"INSERT INTO cash_movements (id, shift_id, terminal_id, kind, amount_cents, reason, "
              "cashier_id, approved_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"_s,
              {movement.id, movement.shiftId, terminalId, toString(movement.kind),
               movement.amountCents, movement.reason.isNull() ? u""_s : movement.reason,
               movement.cashierId, nullIfEmpty(movement.approvedBy),
               toStorageTime(movement.createdAt)});
}

int ShiftStore::nextZNumber(const QString &terminalId)
{
    return m_db.scalar(u"SELECT COALESCE(MAX(z_number), 0) FROM shifts WHERE terminal_id = ?"_s,
                       {terminalId})
               .toInt() +
           1;
}

bool ShiftStore::closeShift(const QString &shiftId, int zNumber, const QString &closedBy,
                            const QString &closedAt, Cents expectedCents, Cents countedCents,
                            std::optional<Cents> countedCardCents, const QByteArray &zReport)
{
    return m_db.change(u"UPDATE shifts SET status = 'closed', z_number = ?, closed_by = ?, "
                       "closed_at = ?, expected_cents = ?, counted_cents = ?, "
                       "counted_card_cents = ?, z_report = ? WHERE id = ? AND status = 'open'"_s,
                       {zNumber, nullIfEmpty(closedBy), closedAt, expectedCents, countedCents,
                        countedCardCents ? QVariant(qint64(*countedCardCents))
                                         : QVariant(QMetaType(QMetaType::LongLong)),
                        QString::fromUtf8(zReport), shiftId}) == 1;
}

QByteArray ShiftStore::storedZReport(const QString &shiftId)
{
    return m_db.scalar(u"SELECT z_report FROM shifts WHERE id = ?"_s, {shiftId})
        .toString()
        .toUtf8();
}

bool ShiftStore::ensureSyncedShift(const QString &shiftId, const QString &terminalId,
                                   const QString &openedAt, const QString &openedBy)
{
    const QVariant owner = m_db.scalar(u"SELECT terminal_id FROM shifts WHERE id = ?"_s, {shiftId});
    if (owner.isValid() && !owner.isNull())
        return owner.toString() == terminalId;
    // ON CONFLICT DO NOTHING: the terminal's other open shift (its partial unique index) or a
    // twin push making the same shift (PostgreSQL waits for it, then finds it below).
    m_db.change(u"INSERT INTO shifts (id, terminal_id, status, opened_by, opened_at, float_cents, "
                "auto_opened) VALUES (?, ?, 'open', ?, ?, 0, 1) ON CONFLICT DO NOTHING"_s,
                {shiftId, terminalId, nullIfEmpty(openedBy), openedAt});
    return m_db.scalar(u"SELECT terminal_id FROM shifts WHERE id = ?"_s, {shiftId}).toString() ==
           terminalId;
}

bool ShiftStore::storeSyncedClose(const SyncedClose &close)
{
    const Shift &shift = close.shift;
    const QVariant card = close.countedCardCents ? QVariant(qint64(*close.countedCardCents))
                                                 : QVariant(QMetaType(QMetaType::LongLong));
    const QVariantList values{nullIfEmpty(shift.openedBy),
                              toStorageTime(shift.openedAt),
                              shift.floatCents,
                              shift.autoOpened ? 1 : 0,
                              shift.zNumber,
                              nullIfEmpty(close.closedBy),
                              toStorageTime(shift.closedAt),
                              close.expectedCents,
                              close.countedCents,
                              card,
                              QString::fromUtf8(close.zReport)};
    QVariantList update = values;
    update << shift.id << shift.terminalId;
    if (m_db.change(u"UPDATE shifts SET opened_by = ?, opened_at = ?, float_cents = ?, "
                    "auto_opened = ?, z_number = ?, closed_by = ?, closed_at = ?, "
                    "expected_cents = ?, counted_cents = ?, counted_card_cents = ?, z_report = ?, "
                    "status = 'closed' WHERE id = ? AND terminal_id = ? AND status = 'open'"_s,
                    update) == 1)
        return true;
    if (!m_db.scalar(u"SELECT 1 FROM shifts WHERE id = ?"_s, {shift.id}).isNull())
        return false;
    QVariantList insert{shift.id, shift.terminalId};
    insert += values;
    return m_db.change(u"INSERT INTO shifts (id, terminal_id, opened_by, opened_at, float_cents, "
                       "auto_opened, z_number, closed_by, closed_at, expected_cents, "
                       "counted_cents, counted_card_cents, z_report, status) "
                       "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'closed') "
                       "ON CONFLICT (id) DO NOTHING"_s,
                       insert) == 1;
}

bool ShiftStore::insertMovementOnce(const CashMovement &movement, const QString &terminalId)
{
    return m_db.change(
               u"INSERT INTO cash_movements (id, shift_id, terminal_id, kind, amount_cents, "
               "reason, cashier_id, approved_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
               "ON CONFLICT (id) DO NOTHING"_s,
               {movement.id, movement.shiftId, terminalId, toString(movement.kind),
                movement.amountCents, movement.reason.isNull() ? u""_s : movement.reason,
                movement.cashierId, nullIfEmpty(movement.approvedBy),
                toStorageTime(movement.createdAt)}) == 1;
}

std::optional<ShiftStore::StoredShift> ShiftStore::storedShift(const QString &shiftId)
{
    QSqlQuery &query =
        m_db.exec(u"SELECT terminal_id, status, COALESCE(opened_by, ''), opened_at, float_cents, "
                  "auto_opened, COALESCE(z_number, 0), COALESCE(z_report, '') FROM shifts "
                  "WHERE id = ?"_s,
                  {shiftId});
    std::optional<StoredShift> found;
    if (query.next())
        found = StoredShift{query.value(0).toString(),   query.value(1).toString() == u"open"_s,
                            query.value(2).toString(),   query.value(3).toString(),
                            query.value(4).toLongLong(), query.value(5).toInt() != 0,
                            query.value(6).toInt(),      query.value(7).toString().toUtf8()};
    query.finish();
    return found;
}

std::optional<std::pair<CashMovement, QString>>
ShiftStore::storedMovement(const QString &movementId)
{
    QSqlQuery &query = m_db.exec(u"SELECT shift_id, kind, amount_cents, reason, cashier_id, "
                                 "COALESCE(approved_by, ''), created_at, terminal_id "
                                 "FROM cash_movements WHERE id = ?"_s,
                                 {movementId});
    std::optional<std::pair<CashMovement, QString>> found;
    if (query.next()) {
        CashMovement movement;
        movement.id = movementId;
        movement.shiftId = query.value(0).toString();
        movement.kind = cashMovementKindFromString(query.value(1).toString())
                            .value_or(CashMovementKind::NoSale);
        movement.amountCents = query.value(2).toLongLong();
        movement.reason = query.value(3).toString();
        movement.cashierId = query.value(4).toString();
        movement.approvedBy = query.value(5).toString();
        movement.createdAt = fromStorageTime(query.value(6).toString());
        found = std::pair{movement, query.value(7).toString()};
    }
    query.finish();
    return found;
}

} // namespace SafeTill
