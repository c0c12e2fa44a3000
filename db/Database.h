#pragma once

#include "SqlFailure.h"
#include "WriteTransaction.h"

#include <QHash>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QString>
#include <QVariant>

#include <concepts>
#include <memory>

namespace SafeTill {

enum class SqlDialect { Sqlite, Postgres };

struct DatabaseOptions
{
    // A file path (SQLite) or a postgresql://USER@HOST:PORT/DBNAME URL.
    QString location;
    // FULL: a payment acknowledged to the cashier survives a power cut. NORMAL only for benchmarks.
    bool durableCommits = true;
    int busyTimeoutMs = 5000;
};

// Bounded retry for a write transaction that could not get the write lock.
struct RetryPolicy
{
    int maxAttempts = 8;
    int firstBackoffMs = 2;
    int maxBackoffMs = 250;
};

// What a write-transaction body returns. The body decides whether its work is kept; the runner
// turns database trouble into a result of the same type instead of an exception.
template<typename R>
concept TransactionOutcome = requires(const R &r, const SqlFailure &failure)
{
    {
        r.shouldCommit()
        } -> std::convertible_to<bool>;
    {
        R::busy()
        } -> std::same_as<R>;
    {
        R::databaseError(failure)
        } -> std::same_as<R>;
};

// One thread's connection to the SafeTill database. Create one per thread (Qt's QSqlDatabase
// connections must not cross threads); the object owns its uniquely named connection and removes it
// when destroyed.
class Database
{
public:
    // Opens (creating if needed) and migrates the database. On failure returns nullptr and sets
    // *errorMessage to a sentence a person can act on.
    static std::unique_ptr<Database> open(const DatabaseOptions &options, QString *errorMessage);
    ~Database();
    Database(const Database &) = delete;
    Database &operator=(const Database &) = delete;

    SqlDialect dialect() const { return m_dialect; }
    const DatabaseOptions &options() const { return m_options; }
    QSqlDatabase connection() const;

    // A prepared statement kept for the life of the connection: preparing is a noticeable part of a
    // small transaction's cost. Throws SqlFailure if the SQL does not prepare.
    QSqlQuery &prepared(const QString &sql);
    // Binds the values in order, executes, and throws SqlFailure on error.
    QSqlQuery &exec(const QString &sql, const QVariantList &values = {});
    // Executes and returns the first column of the first row (null QVariant if no row).
    QVariant scalar(const QString &sql, const QVariantList &values = {});
    // Executes and returns the number of rows changed.
    int change(const QString &sql, const QVariantList &values = {});

    // Runs body() inside one write transaction (BEGIN IMMEDIATE on SQLite) and commits only if the
    // result asks for it. A lock that cannot be had is retried with exponential backoff and jitter;
    // after the last attempt the result is R::busy(). Any other SQL failure rolls back and becomes
    // R::databaseError(). Nothing is ever half-written.
    template<typename Body>
    requires TransactionOutcome<std::invoke_result_t<Body &>> std::invoke_result_t<Body &>
    write(Body &&body, const RetryPolicy &policy = {});

    // Runs body() in a read transaction so several SELECTs see one consistent snapshot.
    template<typename Body>
    requires TransactionOutcome<std::invoke_result_t<Body &>> std::invoke_result_t<Body &>
    read(Body &&body);

    // Number of attempts the last write() needed; for tests and benchmarks.
    int lastWriteAttempts() const { return m_lastWriteAttempts; }

    // Changes whenever another connection commits (SQLite's PRAGMA data_version). Cheap to poll.
    qint64 dataVersion();

private:
    Database(DatabaseOptions options, SqlDialect dialect, QString connectionName);
    bool configure(QString *errorMessage);
    void sleepBeforeRetry(int attempt, const RetryPolicy &policy) const;
    void logFailure(const SqlFailure &failure) const;

    DatabaseOptions m_options;
    SqlDialect m_dialect;
    QString m_connectionName;
    QHash<QString, QSqlQuery> m_statements;
    int m_lastWriteAttempts = 0;
};

template<typename Body>
requires TransactionOutcome<std::invoke_result_t<Body &>> std::invoke_result_t<Body &>
Database::write(Body &&body, const RetryPolicy &policy)
{
    using Result = std::invoke_result_t<Body &>;
    for (int attempt = 1;; ++attempt) {
        m_lastWriteAttempts = attempt;
        try {
            WriteTransaction transaction(*this, WriteTransaction::Mode::Write);
            Result result = body();
            if (result.shouldCommit())
                transaction.commit();
            return result; // the guard rolls back anything not committed
        } catch (const SqlFailure &failure) {
            if (!failure.isBusy()) {
                logFailure(failure);
                return Result::databaseError(failure);
            }
            if (attempt >= policy.maxAttempts)
                return Result::busy();
            sleepBeforeRetry(attempt, policy);
        }
    }
}

template<typename Body>
requires TransactionOutcome<std::invoke_result_t<Body &>> std::invoke_result_t<Body &>
Database::read(Body &&body)
{
    using Result = std::invoke_result_t<Body &>;
    try {
        WriteTransaction transaction(*this, WriteTransaction::Mode::Read);
        return body();
    } catch (const SqlFailure &failure) {
        if (failure.isBusy())
            return Result::busy();
        logFailure(failure);
        return Result::databaseError(failure);
    }
}

} // namespace SafeTill
