#pragma once

#include <QSqlError>
#include <QString>

#include <exception>

namespace SafeTill {

// A failed SQL statement inside a write transaction. It is thrown by the query helpers and caught
// by Database::write(), which rolls back and turns it into a typed result: it never leaves the db
// layer as an exception, so it can never reach an event loop or escape a worker thread.
class SqlFailure : public std::exception
{
public:
    enum class Kind {
        Busy,                // another connection holds the write lock: worth retrying
        UniqueViolation,     // a UNIQUE / PRIMARY KEY constraint refused the write
        ForeignKeyViolation, // a row refers to something that does not exist
        CheckViolation,      // a CHECK / NOT NULL constraint refused the value
        // The database cannot be used right now, whatever the statement: PostgreSQL's connection
        // is gone (server restarted or unreachable, reopened by Database with backoff), or
        // SQLite's disk is full or failing (SQLITE_FULL, SQLITE_IOERR). The statement changed
        // nothing that will be kept, except that a COMMIT cut off this way may have committed:
        // a retry under the same request id is applied once (the idempotency journal).
        ConnectionLost,
        StorageFailure,
        Other,
    };

    SqlFailure(const QSqlError &error, QString statement);

    Kind kind() const { return m_kind; }
    const QSqlError &error() const { return m_error; }
    const QString &statement() const { return m_statement; }
    bool isBusy() const { return m_kind == Kind::Busy; }
    bool isConstraintViolation() const;
    // The database is unreachable or cannot store anything: worth retrying later, not a bug.
    bool isUnavailable() const
    {
        return m_kind == Kind::ConnectionLost || m_kind == Kind::StorageFailure;
    }
    // Technical description for logs and support staff; never shown to a cashier.
    QString describe() const;
    const char *what() const noexcept override { return "SQL statement failed"; }

    static Kind classify(const QSqlError &error);

private:
    QSqlError m_error;
    QString m_statement;
    Kind m_kind;
};

} // namespace SafeTill
