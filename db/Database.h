#pragma once

#include "SqlFailure.h"
#include "WriteTransaction.h"

#include <QElapsedTimer>
#include <QHash>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QString>
#include <QVariant>

#include <concepts>
#include <functional>
#include <memory>
#include <unordered_map>
#include <vector>

struct sqlite3;
struct sqlite3_stmt;

namespace SafeTill {

class Database;

// Text already encoded as UTF-8 (an action's compact JSON), bound as TEXT by Database::query()
// and exec(): on SQLite's own API without a round trip through UTF-16.
struct Utf8Text
{
    QByteArray bytes;
};

// The rows of a statement run by Database::query(), read column by column. On SQLite they come
// straight from SQLite's API (UTF-8 text, no QVariant, no QSqlRecord per run); on PostgreSQL from
// the QSqlQuery that Database::exec() ran. Positioned before the first row, as a QSqlQuery is.
class SqlRows
{
public:
    SqlRows() = default;
    SqlRows(const SqlRows &) = delete;
    SqlRows &operator=(const SqlRows &) = delete;

    // The next row; false after the last. Throws SqlFailure if reading it fails.
    bool next();
    QString text(int column) const;
    qint64 integer(int column) const;
    bool isNull(int column) const;
    // Rows changed by an INSERT, UPDATE or DELETE.
    int rowsAffected() const { return m_rowsAffected; }
    // Ends the statement (an unfinished SELECT would keep its read snapshot open).
    void finish();

private:
    friend class Database;
    [[noreturn]] void fail(int stepped);
    Database *m_db = nullptr;
    QString m_sql;
    QSqlQuery *m_query =
        nullptr; // the Qt path (PostgreSQL, or a value SQLite's path does not bind)
    sqlite3_stmt *m_stmt = nullptr;  // SQLite's own path
    std::vector<QByteArray> m_texts; // the UTF-8 values bound to m_stmt, kept until its next run
    bool m_rowPending = false;       // the run stepped onto the first row, which next() returns
    bool m_active = false;           // m_stmt is stepped and not yet reset
    int m_rowsAffected = 0;
};

// A text value to bind, or SQL NULL when it is empty (optional ids, receipt numbers, names).
inline QVariant nullIfEmpty(const QString &text)
{
    return text.isEmpty() ? QVariant(QMetaType(QMetaType::QString)) : QVariant(text);
}

enum class SqlDialect { Sqlite, Postgres };

struct DatabaseOptions
{
    // A file path (SQLite) or a postgresql://USER[:PASSWORD]@HOST[:PORT]/DBNAME[?PARAM=VALUE&...]
    // URL. Without a password in the URL, libpq's PGPASSWORD and ~/.pgpass apply. URL parameters
    // are passed to libpq as connection options (e.g. sslmode=require, connect_timeout=3,
    // options=-csearch_path%3Dmyschema).
    QString location;
    // On: a payment acknowledged to the cashier survives a power cut (SQLite synchronous=FULL,
    // PostgreSQL synchronous_commit=on). Off only for benchmarks.
    bool durableCommits = true;
    // How long one statement waits for a lock before the attempt counts as busy (SQLite
    // busy_timeout, PostgreSQL lock_timeout).
    int busyTimeoutMs = 5000;
    // PostgreSQL: give up connecting after this long (unless the URL says connect_timeout).
    int connectTimeoutSeconds = 10;
    // SQLite, for tests only: PRAGMA max_page_count on every connection, so that a test can make
    // a real SQLITE_FULL without a small file system (safetill-server's hidden
    // --test-max-db-pages). 0: SQLite's default (no practical limit).
    int maxPageCount = 0;
};

// Bounded retry for a write transaction that could not get the write lock.
struct RetryPolicy
{
    int maxAttempts = 8;
    int firstBackoffMs = 2;
    int maxBackoffMs = 250;
    // PostgreSQL only: re-runs after a unique violation. Under READ COMMITTED a check-then-insert
    // (an idempotency record, a cashier name) that loses a race to a concurrent transaction hits
    // the constraint; the re-run sees the winner's row and takes the "already there" path. A
    // violation that persists is a bug and is reported as a database error.
    int maxUniqueViolationRetries = 2;
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
    // Why open() failed: the sentence, and the database's schema version when it is further on
    // than this build's (a newer SafeTill migrated it: it answers, but is not for this program).
    struct OpenFailure
    {
        QString message;
        int newerSchema = 0; // then also the version this build knows:
        int knownSchema = 0;
    };
    static std::unique_ptr<Database> open(const DatabaseOptions &options, OpenFailure *failure);
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
    // exec() for the statements every action runs, read with SqlRows: on SQLite the statement
    // runs on the connection's sqlite3 handle (prepared once and kept, values bound as UTF-8),
    // which takes a fraction of QSqlQuery's instructions (bench/README.md "Issue 14"); on
    // PostgreSQL, and for a value of a type other than null, integer, bool, double, QString,
    // QByteArray (a BLOB, as QSqlQuery binds it) and Utf8Text, it is exec(). The same statement
    // observer, savepoints, reconnection and SqlFailure as exec().
    SqlRows &query(const QString &sql, const QVariantList &values = {});
    // Executes and returns the first column of the first row (null QVariant if no row).
    QVariant scalar(const QString &sql, const QVariantList &values = {});
    // Executes and returns the number of rows changed.
    int change(const QString &sql, const QVariantList &values = {});

    // Runs body() inside one write transaction (BEGIN IMMEDIATE on SQLite, READ COMMITTED on
    // PostgreSQL) and commits only if the result asks for it. A lock that cannot be had (and on
    // PostgreSQL a serialization failure or deadlock) is retried with exponential backoff and
    // jitter; after the last attempt the result is R::busy(). Any other SQL failure rolls back and
    // becomes R::databaseError(). Nothing is ever half-written.
    template<typename Body>
    requires TransactionOutcome<std::invoke_result_t<Body &>> std::invoke_result_t<Body &>
    write(Body &&body, const RetryPolicy &policy = {});

    // write() for a body whose whole change is ONE statement that either does all of it or fails
    // having done nothing (a server-side function that checks before it writes), and that changes
    // nothing when its result does not ask to commit. Alone it is write() on SQLite and, on
    // PostgreSQL, that statement in autocommit with write()'s retries (one round trip instead of
    // three); in a batch it needs no savepoint, which on PostgreSQL saves the round trips that
    // would cost more than the action.
    template<typename Body>
    requires TransactionOutcome<std::invoke_result_t<Body &>> std::invoke_result_t<Body &>
    writeAtomic(Body &&body, const RetryPolicy &policy = {});

    // Runs body() in a read transaction so several SELECTs see one consistent snapshot.
    template<typename Body>
    requires TransactionOutcome<std::invoke_result_t<Body &>> std::invoke_result_t<Body &>
    read(Body &&body);

    // Number of attempts the last write() needed; for tests and benchmarks.
    int lastWriteAttempts() const { return m_lastWriteAttempts; }

    // Group commit (used by the server's WriteBatcher): several actions share one write
    // transaction and so one durable commit. beginBatch() opens it (BEGIN IMMEDIATE / READ
    // COMMITTED, one attempt; throws SqlFailure). runBatchAction() runs one action in its own
    // SAVEPOINT; inside it write() uses a nested savepoint instead of BEGIN/COMMIT, so a refused
    // action rolls back only its own work. The action's savepoint is taken by its first statement
    // that may need undoing: reads and writeAtomic() need none, so an action that is one
    // writeAtomic() costs one round trip, not five. It returns false when the action met a database
    // failure (a failed statement, busy, a lost race): its work is rolled back to its savepoint,
    // the batch stays usable (also on PostgreSQL), and the caller re-runs the action alone with
    // the ordinary write() and its retries. commitBatch() commits (throws SqlFailure: then
    // nothing of the batch is kept); rollbackBatch() abandons it.
    void beginBatch();
    bool runBatchAction(const std::function<void()> &action);
    void commitBatch();
    void rollbackBatch() noexcept;
    bool inBatch() const { return m_batchOpen; }

    // Changes whenever another connection commits (SQLite's PRAGMA data_version). Cheap to poll.
    // Always 0 on PostgreSQL, which has no such counter.
    qint64 dataVersion();

    // options().location with any password replaced, for messages and logs.
    QString displayLocation() const;

    // A lost connection (PostgreSQL restarted, failed over, unreachable) is noticed on the failed
    // statement (SqlFailure::Kind::ConnectionLost) and reopened before the next unit of work
    // (transaction, batch or lone statement) on this connection: at once the first time, then no
    // sooner than a backoff of 100 ms doubling to 2 s, jittered, has passed since the last
    // attempt, or another connection of this process has been reopened since (the database is up
    // again: no connection keeps answering 503 for the rest of its wait). Until
    // it is back every statement fails at once with ConnectionLost, so a caller
    // answers "unavailable" instead of waiting. A failure that may or may not have been the
    // connection (libpq's own error without a SQLSTATE) makes the next unit of work check it first
    // with a SELECT 1. A transaction's BEGIN (or a lone SELECT) that finds the connection dead is
    // re-run once on the reopened one: it had not reached the database. Nothing else is re-run
    // here; a transaction cut off is reported as failed (the caller's request id makes a retry
    // safe). Connections are per thread, so there is never more than one attempt at a time per
    // connection.
    bool connectionLost() const { return m_connectionLost; }
    // Connections reopened after a loss, by every Database of this process (for /metrics).
    static quint64 reconnectCount();

    // Debug hook for tests and benchmarks: called with the SQL text of every statement this
    // connection runs (every statement goes through exec()), before it runs. Lets a test check
    // the real statements (e.g. their query plans) instead of copies that could drift.
    using StatementObserver = std::function<void(const QString &sql)>;
    void setStatementObserver(StatementObserver observer)
    {
        m_statementObserver = std::move(observer);
    }

private:
    Database(DatabaseOptions options, SqlDialect dialect, QString connectionName);
    template<typename Result, typename Body>
    Result writeInBatch(Body &body, const RetryPolicy &policy);
    template<typename Result, typename Body> Result writeAtomicInBatch(Body &body);
    // write()'s retries (busy, lost races); ownTransaction false: body() is one atomic statement
    // run in autocommit (writeAtomic() on PostgreSQL).
    template<typename Result, typename Body>
    Result writeWithRetries(Body &body, const RetryPolicy &policy, bool ownTransaction);
    void takeActionSavepoint();
    void rollbackToSavepoint(const QString &name) noexcept;
    void resetBatchState();
    static SqlFailure connectionLostOrFull(bool lost);
    // Ends every cached statement still positioned on a row. On SQLite a SELECT left unfinished
    // keeps its read snapshot after the transaction ends, so this connection's later writes fail
    // as busy (SQLITE_BUSY_SNAPSHOT) once another connection commits. Called as each transaction
    // ends, so no caller's forgotten finish() can pin a snapshot.
    void finishStatements();
    bool configure(QString *errorMessage);
    void sleepBeforeRetry(int attempt, const RetryPolicy &policy) const;
    void logFailure(const SqlFailure &failure) const;
    // PostgreSQL aborts a transaction at its first failed statement (every later one fails and
    // COMMIT quietly rolls back), so the transaction guard must know that one failed.
    [[noreturn]] void fail(const QSqlError &error, const QString &sql);
    QSqlQuery &execStatement(const QString &sql, const QVariantList &values);
    SqlRows &queryStatement(const QString &sql, const QVariantList &values);
    // Runs a statement the way exec() does (observer, savepoint, reconnection), by run().
    template<typename Run> decltype(auto) guarded(const QString &sql, Run &&run);
    // SQLite's handle of this connection (for query()), looked up once per connection.
    sqlite3 *sqliteHandle();
    [[noreturn]] void failSqlite(int code, const QString &what, const QString &sql);
    void finalizeSqliteStatements() noexcept;
    friend class SqlRows;
    // Before a unit of work: reopens a lost connection (or checks a suspect one) as described at
    // connectionLost(); throws SqlFailure (ConnectionLost) while it cannot.
    void ensureConnection();
    bool reopen(QString *error);
    bool outsideTransaction() const { return !m_inTransaction && !m_batchOpen && !m_reopening; }
    friend class WriteTransaction;

    DatabaseOptions m_options;
    SqlDialect m_dialect;
    QString m_connectionName;
    // std::unordered_map, not QHash: QSqlQuery is move-only (its copy constructor is deleted from
    // Qt 6.5 on, which QHash's implicit sharing needs), and a node map keeps the references that
    // prepared() and exec() hand out valid while other statements are added.
    std::unordered_map<QString, QSqlQuery> m_statements;
    std::unordered_map<QString, QSqlQuery> m_plainStatements; // PostgreSQL: unprepared (see exec())
    std::unordered_map<QString, SqlRows> m_rows; // query()'s statements (SQLite: prepared here)
    sqlite3 *m_sqlite = nullptr;
    int m_lastWriteAttempts = 0;
    StatementObserver m_statementObserver;
    bool m_inTransaction = false;
    bool m_transactionFailed = false;
    bool m_batchOpen = false;
    bool m_batchActionFailed = false; // the current batch action must be re-run on its own
    // The current batch action's savepoint is still to be taken (see runBatchAction()), and
    // whether it was.
    bool m_actionSavepointPending = false;
    bool m_actionSavepointTaken = false;
    // Statements run now need no savepoint: reads, and writeAtomic()'s one statement.
    int m_savepointFreeDepth = 0;
    // A writeAtomic() changed something before the action had a savepoint: if the action then
    // fails, its change cannot be undone alone and the whole batch must go.
    bool m_actionUnguardedWrite = false;
    // A statement of the current batch action failed because the database is unavailable (see
    // SqlFailure::isUnavailable()): the batch ends and its actions are re-run alone.
    bool m_actionUnavailable = false;

    // Reconnection (see connectionLost()).
    bool m_connectionLost = false;
    bool m_probeBeforeUse = false;
    bool m_reopening = false;
    int m_reopenBackoffMs = 0;    // the backoff's current ceiling; 0 until an attempt failed
    int m_reopenDelayMs = 0;      // the jittered wait before the next attempt
    QElapsedTimer m_sinceAttempt; // since the last reopen attempt
    int m_failedAttempts = 0;
    quint64 m_reconnectsAtAttempt = 0; // reconnectCount() at the last attempt

    // Marks the statements run while it lives as needing no savepoint.
    class SavepointFreeScope
    {
    public:
        explicit SavepointFreeScope(Database &db)
            : m_db(db)
        {
            ++m_db.m_savepointFreeDepth;
        }
        ~SavepointFreeScope() { --m_db.m_savepointFreeDepth; }
        SavepointFreeScope(const SavepointFreeScope &) = delete;
        SavepointFreeScope &operator=(const SavepointFreeScope &) = delete;

    private:
        Database &m_db;
    };
};

template<typename Body>
requires TransactionOutcome<std::invoke_result_t<Body &>> std::invoke_result_t<Body &>
Database::write(Body &&body, const RetryPolicy &policy)
{
    using Result = std::invoke_result_t<Body &>;
    if (m_batchOpen)
        return writeInBatch<Result>(body, policy);
    return writeWithRetries<Result>(body, policy, true);
}

template<typename Result, typename Body>
Result Database::writeWithRetries(Body &body, const RetryPolicy &policy, bool ownTransaction)
{
    int uniqueRetries = 0;
    for (int attempt = 1;; ++attempt) {
        m_lastWriteAttempts = attempt;
        try {
            if (!ownTransaction)
                return body(); // its one statement commits (or fails) on its own
            WriteTransaction transaction(*this, WriteTransaction::Mode::Write);
            Result result = body();
            if (result.shouldCommit())
                transaction.commit();
            return result; // the guard rolls back anything not committed
        } catch (const SqlFailure &failure) {
            // The guard has rolled back by now (on PostgreSQL the failed statement aborted the
            // transaction anyway), so a retry starts from a clean slate.
            if (m_dialect == SqlDialect::Postgres &&
                failure.kind() == SqlFailure::Kind::UniqueViolation &&
                uniqueRetries < policy.maxUniqueViolationRetries) {
                ++uniqueRetries;
                continue; // the winner has committed: a fresh snapshot sees its row
            }
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
    if (m_batchOpen) {
        // The batch's transaction is the snapshot. A failure poisons (on PostgreSQL aborts) the
        // action; runBatchAction() rolls it back and the action is re-run alone.
        const SavepointFreeScope reading(*this);
        try {
            return body();
        } catch (const SqlFailure &) {
            m_batchActionFailed = true;
            return Result::busy();
        }
    }
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

template<typename Body>
requires TransactionOutcome<std::invoke_result_t<Body &>> std::invoke_result_t<Body &>
Database::writeAtomic(Body &&body, const RetryPolicy &policy)
{
    using Result = std::invoke_result_t<Body &>;
    if (m_batchOpen)
        return writeAtomicInBatch<Result>(body);
    // PostgreSQL: the one statement is its own transaction (an implicit one, READ COMMITTED as
    // configure() sets it), committed durably before its result comes back. BEGIN and COMMIT
    // would only add two round trips.
    if (m_dialect == SqlDialect::Postgres && !m_inTransaction)
        return writeWithRetries<Result>(body, policy, false);
    return write(body, policy);
}

template<typename Result, typename Body> Result Database::writeAtomicInBatch(Body &body)
{
    const bool guarded = !m_actionSavepointPending; // inside the action's savepoint already
    const SavepointFreeScope atomic(*this);
    try {
        Result result = body();
        if (!guarded && result.shouldCommit())
            m_actionUnguardedWrite = true;
        return result;
    } catch (const SqlFailure &) {
        // The statement changed nothing (it is atomic), but on PostgreSQL its failure aborted
        // the batch's transaction; runBatchAction() sees that and ends the batch.
        m_batchActionFailed = true;
        return Result::busy();
    }
}

template<typename Result, typename Body>
Result Database::writeInBatch(Body &body, const RetryPolicy &policy)
{
    // The action's own savepoint serves when nothing before this write needed it: one savepoint
    // (two round trips) fewer. Taken here whatever scope this write runs in, so what it changes
    // can always be undone with the action.
    const bool useActionSavepoint = m_actionSavepointPending;
    const QString savepoint =
        useActionSavepoint ? QStringLiteral("safetill_action") : QStringLiteral("safetill_write");
    int uniqueRetries = 0;
    for (;;) {
        try {
            if (useActionSavepoint) {
                if (m_actionSavepointPending)
                    takeActionSavepoint();
            } else {
                exec(QStringLiteral("SAVEPOINT safetill_write"));
            }
            Result result = body();
            if (!result.shouldCommit())
                exec(QStringLiteral("ROLLBACK TO SAVEPOINT ") + savepoint);
            if (!useActionSavepoint)
                exec(QStringLiteral("RELEASE SAVEPOINT safetill_write"));
            return result;
        } catch (const SqlFailure &failure) {
            rollbackToSavepoint(savepoint);
            // As in write(): under READ COMMITTED the next statement sees the racing winner's row.
            if (m_dialect == SqlDialect::Postgres &&
                failure.kind() == SqlFailure::Kind::UniqueViolation &&
                uniqueRetries < policy.maxUniqueViolationRetries) {
                ++uniqueRetries;
                continue;
            }
            // Busy, a lost race or a real error: the ordinary write() path (retries with backoff,
            // the typed database error) decides, when the batcher re-runs the action alone.
            m_batchActionFailed = true;
            return Result::busy();
        }
    }
}

} // namespace SafeTill

Q_DECLARE_METATYPE(SafeTill::Utf8Text)
