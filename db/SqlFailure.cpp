#include "SqlFailure.h"

using namespace Qt::StringLiterals;

namespace SafeTill {

SqlFailure::SqlFailure(const QSqlError &error, QString statement)
    : m_error(error)
    , m_statement(std::move(statement))
    , m_kind(classify(error))
{}

bool SqlFailure::isConstraintViolation() const
{
    return m_kind == Kind::UniqueViolation || m_kind == Kind::ForeignKeyViolation ||
           m_kind == Kind::CheckViolation;
}

QString SqlFailure::describe() const
{
    return u"%1 (native code %2) in: %3"_s.arg(m_error.text(), m_error.nativeErrorCode(),
                                               m_statement.simplified());
}

SqlFailure::Kind SqlFailure::classify(const QSqlError &error)
{
    const QString code = error.nativeErrorCode();
    // PostgreSQL reports a five-character SQLSTATE; none of these collide with SQLite's codes.
    if (code == u"40001"_s || code == u"40P01"_s || code == u"55P03"_s)
        return Kind::Busy; // serialization failure, deadlock, lock not available: retry
    if (code == u"23505"_s)
        return Kind::UniqueViolation;
    if (code == u"23503"_s)
        return Kind::ForeignKeyViolation;
    if (code == u"23514"_s || code == u"23502"_s || code == u"P0001"_s)
        return Kind::CheckViolation;

    // SQLite reports the extended result code; its low byte is the primary code.
    bool isNumber = false;
    const int extended = code.toInt(&isNumber);
    if (!isNumber)
        return Kind::Other;
    switch (extended) {
    case 1555: // SQLITE_CONSTRAINT_PRIMARYKEY
    case 2067: // SQLITE_CONSTRAINT_UNIQUE
        return Kind::UniqueViolation;
    case 787: // SQLITE_CONSTRAINT_FOREIGNKEY
        return Kind::ForeignKeyViolation;
    case 275:  // SQLITE_CONSTRAINT_CHECK
    case 1299: // SQLITE_CONSTRAINT_NOTNULL
        return Kind::CheckViolation;
    default:
        break;
    }
    switch (extended & 0xff) {
    case 5: // SQLITE_BUSY (517 = BUSY_SNAPSHOT, 261 = BUSY_RECOVERY)
    case 6: // SQLITE_LOCKED
        return Kind::Busy;
    case 19: // SQLITE_CONSTRAINT, other kinds (e.g. RAISE(ABORT) from a trigger)
        return Kind::CheckViolation;
    default:
        return Kind::Other;
    }
}

} // namespace SafeTill
