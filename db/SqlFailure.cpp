#include "SqlFailure.h"

using namespace Qt::StringLiterals;

namespace SafeTill {

namespace {

// libpq reports a lost connection without a SQLSTATE (it is the client that noticed), only as
// text. These are libpq's own messages (fe-misc.c, fe-exec.c, fe-connect.c); Qt passes them on
// untranslated in the error's databaseText().
bool isConnectionFailureText(const QSqlError &error)
{
    if (error.type() == QSqlError::ConnectionError)
        return true;
    static const char16_t *const phrases[] = {
        u"server closed the connection unexpectedly",
        u"no connection to the server",
        u"terminating connection",
        u"could not send data to server",
        u"could not receive data from server",
        u"connection to server",
        u"could not connect to server",
        u"SSL SYSCALL error",
        u"SSL connection has been closed unexpectedly",
        u"lost synchronization with server",
        u"the database system is",
    };
    const QString text = error.databaseText() + u' ' + error.driverText();
    for (const char16_t *phrase : phrases) {
        if (text.contains(QStringView(phrase), Qt::CaseInsensitive))
            return true;
    }
    return false;
}

} // namespace

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
    // Connection exceptions (class 08), the server shutting down, restarting or refusing new
    // connections (57P01..57P03), too many connections (53300).
    if ((code.size() == 5 && code.startsWith(u"08"_s)) || code == u"57P01"_s ||
        code == u"57P02"_s || code == u"57P03"_s || code == u"53300"_s)
        return Kind::ConnectionLost;
    if (code == u"53100"_s || code == u"58030"_s) // disk full, I/O error
        return Kind::StorageFailure;
    if (code.isEmpty() && isConnectionFailureText(error))
        return Kind::ConnectionLost;

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
    case 10: // SQLITE_IOERR and its extended codes (e.g. 778 = IOERR_WRITE)
    case 13: // SQLITE_FULL: the disk (or max_page_count) is full
        return Kind::StorageFailure;
    case 19: // SQLITE_CONSTRAINT, other kinds (e.g. RAISE(ABORT) from a trigger)
        return Kind::CheckViolation;
    default:
        return Kind::Other;
    }
}

} // namespace SafeTill
