#pragma once

#include <QString>

namespace SafeTill {

class Database;

// The one owner of the writes of shifts and cash movements (cmake/WriteOwners.cmake). A shift is a
// terminal's working period between two cash counts; every money fact of a terminal (a payment, a
// refund, a cash movement) names the shift that was open on its terminal when it was booked.
// Throws SqlFailure like the query helpers; call it inside Database::write()/read().
class ShiftStore
{
public:
    explicit ShiftStore(Database &database)
        : m_db(database)
    {}

    // The id of the terminal's open shift, opening one (float 0, marked auto-opened) when none is
    // open, so that a money fact always lands in exactly one shift. Call inside the money fact's
    // own write transaction: on SQLite that transaction holds the write lock; on PostgreSQL the
    // open shift's row is read FOR SHARE, so a close that locks it FOR UPDATE either waits for
    // this transaction (and counts its fact) or commits first (and this one opens the next shift).
    QString openShiftFor(const QString &terminalId, const QString &cashierId, const QString &now);

private:
    Database &m_db;
};

} // namespace SafeTill
