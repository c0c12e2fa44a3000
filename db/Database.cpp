#include "Database.h"

#include "Logging.h"
#include "Migrations.h"

#include <QDir>
#include <QFileInfo>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QScopeGuard>
#include <QSqlDriver>
#include <QThread>
#include <QUrl>
#include <QUrlQuery>
#include <QUuid>

#include <sqlite3.h>

#include <atomic>

using namespace Qt::StringLiterals;

namespace SafeTill {

namespace {

// Connections reopened by every Database of this process. A connection waiting out its backoff
// tries at once when another has come back since its own last attempt: the database is up again,
// and waiting would only answer 503 for nothing (a server's idle pool connections each failed an
// attempt during the outage, some with up to 2 s still to wait).
std::atomic<quint64> reconnects{0};

// What every statement fails with while the connection is lost and not yet reopened.
SqlFailure connectionLostFailure(const QString &why)
{
    // 08006: connection_failure, which SqlFailure classifies as ConnectionLost.
    return SqlFailure(QSqlError(u"the database connection is lost"_s, why,
                                QSqlError::ConnectionError, u"08006"_s),
                      u"(reconnect)"_s);
}

bool isPostgresUrl(const QString &location)
{
    return location.startsWith(u"postgresql://"_s) || location.startsWith(u"postgres://"_s);
}

QString newConnectionName()
{
    return u"safetill-"_s + QUuid::createUuid().toString(QUuid::WithoutBraces);
}

// libpq connection options from the URL's parameters, plus a connect timeout unless the URL sets
// one (libpq's default is to wait for ever). Returns an empty string and sets *problem when a
// parameter cannot be passed on safely.
QString postgresConnectOptions(const QUrl &url, int connectTimeoutSeconds, QString *problem)
{
    QStringList options;
    bool hasTimeout = false;
    const QUrlQuery query(url);
    for (const auto &[key, value] : query.queryItems(QUrl::FullyDecoded)) {
        // QPSQL joins the options with spaces into a libpq conninfo string, where a space or quote
        // inside a value would split it or change its meaning.
        static const QRegularExpression safeKey(u"^[a-z_]+$"_s);
        if (!safeKey.match(key).hasMatch() || value.isEmpty() || value.contains(u' ') ||
            value.contains(u'\'') || value.contains(u';') || value.contains(u'\\')) {
            *problem = u"The database URL parameter \u201c%1\u201d cannot be used (a value "
                       "must not be empty or contain spaces, quotes or semicolons)."_s.arg(key);
            return {};
        }
        if (key == u"connect_timeout"_s)
            hasTimeout = true;
        options << key + u'=' + value;
    }
    if (!hasTimeout)
        options << u"connect_timeout=%1"_s.arg(connectTimeoutSeconds);
    return options.join(u';');
}

} // namespace

Database::Database(DatabaseOptions options, SqlDialect dialect, QString connectionName)
    : m_options(std::move(options))
    , m_dialect(dialect)
    , m_connectionName(std::move(connectionName))
{}

Database::~Database()
{
    finalizeSqliteStatements();
    m_statements.clear(); // statements must go before their connection
    m_plainStatements.clear();
    {
        QSqlDatabase db = QSqlDatabase::database(m_connectionName, false);
        db.close();
    }
    QSqlDatabase::removeDatabase(m_connectionName);
}

std::unique_ptr<Database> Database::open(const DatabaseOptions &options, QString *errorMessage)
{
    Q_ASSERT(errorMessage);
    OpenFailure failure;
    std::unique_ptr<Database> database = open(options, &failure);
    if (!database)
        *errorMessage = failure.message;
    return database;
}

std::unique_ptr<Database> Database::open(const DatabaseOptions &options, OpenFailure *failure)
{
    Q_ASSERT(failure);
    QString *errorMessage = &failure->message;
    if (options.location.isEmpty()) {
        *errorMessage = u"No database location was given."_s;
        return nullptr;
    }
    const bool postgres = isPostgresUrl(options.location);
    const QString driver = postgres ? u"QPSQL"_s : u"QSQLITE"_s;
    if (!QSqlDatabase::isDriverAvailable(driver)) {
        *errorMessage = postgres ? u"The PostgreSQL driver for Qt is not installed (Debian package "
                                   "libqt6sql6-psql)."_s
                                 : u"The SQLite driver for Qt is not installed (Debian package "
                                   "libqt6sql6-sqlite)."_s;
        return nullptr;
    }

    const QString name = newConnectionName();
    std::unique_ptr<Database> database(
        new Database(options, postgres ? SqlDialect::Postgres : SqlDialect::Sqlite, name));
    QSqlDatabase db = QSqlDatabase::addDatabase(driver, name);
    if (postgres) {
        const QUrl url(options.location, QUrl::StrictMode);
        const QString databaseName = url.path(QUrl::FullyDecoded).mid(1);
        if (!url.isValid() || databaseName.isEmpty() || databaseName.contains(u'/')) {
            *errorMessage =
                u"The database URL %1 is not of the form "
                "postgresql://USER@HOST:PORT/DBNAME."_s.arg(database->displayLocation());
            return nullptr;
        }
        QString problem;
        const QString connectOptions =
            postgresConnectOptions(url, options.connectTimeoutSeconds, &problem);
        if (!problem.isEmpty()) {
            *errorMessage = problem;
            return nullptr;
        }
        // An empty host means libpq's default (the local socket); an empty password lets libpq
        // use PGPASSWORD or ~/.pgpass, so no password needs to be on a command line.
        db.setHostName(url.host(QUrl::FullyDecoded));
        db.setPort(url.port(5432));
        db.setUserName(url.userName(QUrl::FullyDecoded));
        db.setPassword(url.password(QUrl::FullyDecoded));
        db.setDatabaseName(databaseName);
        db.setConnectOptions(connectOptions);
    } else {
        const QFileInfo file(options.location);
        if (!QDir().mkpath(file.absolutePath())) {
            *errorMessage =
                u"Cannot create the folder %1 for the database."_s.arg(file.absolutePath());
            return nullptr;
        }
        db.setDatabaseName(file.absoluteFilePath());
        db.setConnectOptions(u"QSQLITE_BUSY_TIMEOUT=%1"_s.arg(options.busyTimeoutMs));
    }
    if (!db.open()) {
        *errorMessage = u"Cannot open the database %1: %2"_s.arg(database->displayLocation(),
                                                                 db.lastError().text());
        return nullptr;
    }
    if (!database->configure(errorMessage))
        return nullptr;
    if (!Migrations::apply(*database, errorMessage, &failure->newerSchema)) {
        if (failure->newerSchema)
            failure->knownSchema = Migrations::latestVersion(*database);
        return nullptr;
    }
    return database;
}

bool Database::configure(QString *errorMessage)
{
    if (m_dialect == SqlDialect::Postgres) {
        try {
            // NOTICEs ("relation already exists, skipping") would reach the log as warnings.
            exec(u"SET client_min_messages = warning"_s);
            exec(m_options.durableCommits ? u"SET synchronous_commit = on"_s
                                          : u"SET synchronous_commit = off"_s);
            // The counterpart of SQLite's busy_timeout: a lock wait longer than this fails with
            // lock_not_available, which write() retries and finally reports as busy.
            exec(u"SET lock_timeout = %1"_s.arg(std::max(1, m_options.busyTimeoutMs)));
            // Times are UTC text written by the application, but keep server-side defaults such
            // as now() in UTC too, whatever the server's configuration.
            exec(u"SET TIME ZONE 'UTC'"_s);
            // A lone statement (writeAtomic()) runs in an implicit transaction: READ COMMITTED
            // like WriteTransaction's, whatever the server's default.
            exec(u"SET default_transaction_isolation = 'read committed'"_s);
            return true;
        } catch (const SqlFailure &failure) {
            logFailure(failure);
            *errorMessage = u"Cannot prepare the database %1: %2"_s.arg(displayLocation(),
                                                                        failure.error().text());
            return false;
        }
    }
    // journal_mode needs a moment of exclusive access when it actually changes the mode; two
    // processes creating the same file at once can see BUSY here, so retry it like a write.
    RetryPolicy policy;
    for (int attempt = 1;; ++attempt) {
        try {
            const QString mode = scalar(u"PRAGMA journal_mode=WAL"_s).toString();
            if (mode.compare(u"wal"_s, Qt::CaseInsensitive) != 0) {
                *errorMessage =
                    u"The database %1 cannot use write-ahead logging (journal mode "
                    "stays %2); is it on a network file system?"_s.arg(m_options.location, mode);
                return false;
            }
            // foreign_keys is ignored inside a transaction, so it is set right after open.
            exec(u"PRAGMA foreign_keys=ON"_s);
            if (m_options.maxPageCount > 0)
                scalar(u"PRAGMA max_page_count=%1"_s.arg(m_options.maxPageCount));
            exec(m_options.durableCommits ? u"PRAGMA synchronous=FULL"_s
                                          : u"PRAGMA synchronous=NORMAL"_s);
            return true;
        } catch (const SqlFailure &failure) {
            if (!failure.isBusy() || attempt >= policy.maxAttempts) {
                logFailure(failure);
                *errorMessage = u"Cannot prepare the database %1: %2"_s.arg(displayLocation(),
                                                                            failure.error().text());
                return false;
            }
            sleepBeforeRetry(attempt, policy);
        }
    }
}

QSqlDatabase Database::connection() const
{
    return QSqlDatabase::database(m_connectionName, false);
}

void Database::fail(const QSqlError &error, const QString &sql)
{
    if (m_inTransaction)
        m_transactionFailed = true;
    SqlFailure failure(error, sql);
    // QPSQL answers "database not open" (no code, no text from libpq) for a statement on a
    // connection it has closed, e.g. one that a reconnect attempt opened while PostgreSQL was
    // still starting and then lost: that is a lost connection (503 and a reopen), not an error.
    if (m_dialect == SqlDialect::Postgres && failure.kind() == SqlFailure::Kind::Other &&
        !connection().isOpen())
        failure = SqlFailure(QSqlError(u"the database connection is lost"_s,
                                       u"the connection is not open"_s, QSqlError::ConnectionError,
                                       u"08006"_s),
                             sql);
    if (failure.isUnavailable())
        m_actionUnavailable = true;
    if (m_dialect == SqlDialect::Postgres) {
        if (failure.kind() == SqlFailure::Kind::ConnectionLost)
            m_connectionLost = true;
        else if (failure.kind() == SqlFailure::Kind::Other && error.nativeErrorCode().isEmpty())
            m_probeBeforeUse = true; // libpq's own error: maybe the connection, check before reuse
    }
    throw failure;
}

quint64 Database::reconnectCount()
{
    return reconnects.load(std::memory_order_relaxed);
}

void Database::ensureConnection()
{
    if (!m_connectionLost && m_probeBeforeUse) {
        m_probeBeforeUse = false;
        QSqlQuery probe(connection());
        if (connection().isOpen() && probe.exec(u"SELECT 1"_s))
            return;
        qCWarning(lcDb).noquote() << "the connection to" << displayLocation()
                                  << "does not answer:" << probe.lastError().text();
        m_connectionLost = true;
    }
    if (!m_connectionLost)
        return;
    if (m_reopenDelayMs > 0 && m_sinceAttempt.isValid() &&
        m_sinceAttempt.elapsed() < m_reopenDelayMs &&
        reconnects.load(std::memory_order_relaxed) == m_reconnectsAtAttempt)
        throw connectionLostFailure(u"reconnecting to the database (next attempt in %1 ms)"_s.arg(
            m_reopenDelayMs - m_sinceAttempt.elapsed()));
    m_sinceAttempt.start();
    m_reconnectsAtAttempt = reconnects.load(std::memory_order_relaxed);
    QString error;
    if (!reopen(&error)) {
        ++m_failedAttempts;
        // 100 ms doubling to 2 s; the wait is drawn from [ceiling/2, ceiling] so the connections
        // of many threads and processes do not knock at once.
        m_reopenBackoffMs = m_reopenBackoffMs == 0 ? 100 : std::min(2000, m_reopenBackoffMs * 2);
        m_reopenDelayMs = m_reopenBackoffMs / 2 +
                          int(QRandomGenerator::global()->bounded(m_reopenBackoffMs / 2 + 1));
        if (m_failedAttempts == 1 || m_failedAttempts % 10 == 0) {
            qCWarning(lcDb).noquote() << "cannot reconnect to" << displayLocation() << "(attempt"
                                      << m_failedAttempts << "):" << error;
        }
        throw connectionLostFailure(error);
    }
    reconnects.fetch_add(1, std::memory_order_relaxed);
    // A warning, as the loss was: the operator sees both in the journal.
    qCWarning(lcDb).noquote() << "reconnected to" << displayLocation() << "after"
                              << m_failedAttempts + 1 << "attempt(s)";
    m_connectionLost = false;
    m_probeBeforeUse = false;
    m_reopenBackoffMs = 0;
    m_reopenDelayMs = 0;
    m_failedAttempts = 0;
}

bool Database::reopen(QString *error)
{
    m_reopening = true;
    const auto done = qScopeGuard([this] { m_reopening = false; });
    // A fresh connection under a new name, with the same settings. Removing the old name deletes
    // its driver first, so the cached statements, which belong to the old connection, are then
    // dropped without each trying to DEALLOCATE on the dead one (QPSQL warns for every one).
    const QString name = newConnectionName();
    QSqlDatabase::cloneDatabase(m_connectionName, name);
    QSqlDatabase::removeDatabase(m_connectionName);
    m_connectionName = name;
    finalizeSqliteStatements();
    m_statements.clear();
    m_plainStatements.clear();
    QSqlDatabase db = connection();
    if (!db.open()) {
        *error = db.lastError().text();
        return false;
    }
    if (!configure(error)) {
        db.close();
        return false;
    }
    return true;
}

QSqlQuery &Database::prepared(const QString &sql)
{
    auto it = m_statements.find(sql);
    if (it != m_statements.end())
        return it->second;
    QSqlQuery query(connection());
    query.setForwardOnly(true);
    if (!query.prepare(sql))
        fail(query.lastError(), sql);
    return m_statements.emplace(sql, std::move(query)).first->second;
}

void Database::takeActionSavepoint()
{
    m_actionSavepointPending = false; // first: the SAVEPOINT is a statement too
    exec(u"SAVEPOINT safetill_action"_s);
    m_actionSavepointTaken = true;
}

void Database::finishStatements()
{
    for (auto &[sql, query] : m_statements) {
        if (query.isActive())
            query.finish();
    }
    for (auto &[sql, rows] : m_rows) {
        if (rows.m_active)
            rows.finish();
    }
}

template<typename Run> decltype(auto) Database::guarded(const QString &sql, Run &&run)
{
    if (m_statementObserver)
        m_statementObserver(sql);
    if (m_actionSavepointPending && m_savepointFreeDepth == 0)
        takeActionSavepoint();
    if (!outsideTransaction())
        return run();
    if (m_connectionLost || m_probeBeforeUse)
        ensureConnection();
    try {
        return run();
    } catch (const SqlFailure &failure) {
        // A connection that died while idle (the server restarted meanwhile) is found by the
        // next statement. When that is a BEGIN or a lone SELECT nothing has happened yet: reopen
        // and run it once more. (A lone SELECT of a batched write function, writeAtomic() on
        // PostgreSQL, may have committed before the connection went; run again it replays that,
        // since it carries the same request ids.)
        const bool repeatable =
            sql.startsWith(u"BEGIN"_s) || sql.startsWith(u"SELECT"_s, Qt::CaseInsensitive);
        if (failure.kind() != SqlFailure::Kind::ConnectionLost || !repeatable || !m_connectionLost)
            throw;
        ensureConnection();
        return run();
    }
}

QSqlQuery &Database::exec(const QString &sql, const QVariantList &values)
{
    return guarded(sql, [&]() -> QSqlQuery & { return execStatement(sql, values); });
}

SqlRows &Database::query(const QString &sql, const QVariantList &values)
{
    return guarded(sql, [&]() -> SqlRows & { return queryStatement(sql, values); });
}

QSqlQuery &Database::execStatement(const QString &sql, const QVariantList &values)
{
    if (m_dialect == SqlDialect::Postgres && values.isEmpty()) {
        // QPSQL prepares with PREPARE ... AS, which only takes SELECT/INSERT/UPDATE/DELETE: BEGIN,
        // SET and DDL must run as plain statements. A statement without parameters gains little
        // from a server-side plan, so every one of them runs this way.
        auto it = m_plainStatements.find(sql);
        if (it == m_plainStatements.end()) {
            QSqlQuery query(connection());
            query.setForwardOnly(true);
            it = m_plainStatements.emplace(sql, std::move(query)).first;
        }
        if (!it->second.exec(sql))
            fail(it->second.lastError(), sql);
        return it->second;
    }
    QSqlQuery &query = prepared(sql);
    for (qsizetype i = 0; i < values.size(); ++i) {
        const QVariant &value = values.at(i);
        if (value.metaType() == QMetaType::fromType<Utf8Text>())
            query.bindValue(int(i), QString::fromUtf8(value.value<Utf8Text>().bytes));
        else
            query.bindValue(int(i), value);
    }
    if (!query.exec())
        fail(query.lastError(), sql);
    return query;
}

namespace {

// Whether query() binds every value on SQLite's own API as QSqlQuery would bind it.
bool bindsOnSqlite(const QVariantList &values)
{
    for (const QVariant &value : values) {
        switch (value.typeId()) {
        case QMetaType::UnknownType:
        case QMetaType::Int:
        case QMetaType::UInt:
        case QMetaType::LongLong:
        case QMetaType::Bool:
        case QMetaType::Double:
        case QMetaType::QString:
        case QMetaType::QByteArray:
            break;
        default:
            if (value.metaType() != QMetaType::fromType<Utf8Text>())
                return false;
        }
    }
    return true;
}

} // namespace

sqlite3 *Database::sqliteHandle()
{
    if (!m_sqlite) {
        const QVariant handle = connection().driver()->handle();
        if (handle.isValid() && qstrcmp(handle.typeName(), "sqlite3*") == 0)
            m_sqlite = *static_cast<sqlite3 *const *>(handle.constData());
    }
    return m_sqlite;
}

void Database::failSqlite(int code, const QString &what, const QString &sql)
{
    // What QSqlQuery reports for the same failure (the QSQLITE driver): the extended result
    // code, SQLite's message.
    fail(QSqlError(what, QString::fromUtf8(sqlite3_errmsg(m_sqlite)), QSqlError::ConnectionError,
                   QString::number(code)),
         sql);
}

void Database::finalizeSqliteStatements() noexcept
{
    for (auto &[sql, rows] : m_rows) {
        if (rows.m_stmt)
            sqlite3_finalize(rows.m_stmt);
    }
    m_rows.clear();
    m_sqlite = nullptr;
}

SqlRows &Database::queryStatement(const QString &sql, const QVariantList &values)
{
    auto it = m_rows.find(sql);
    if (it == m_rows.end()) {
        it = m_rows.try_emplace(sql).first;
        it->second.m_db = this;
        it->second.m_sql = sql;
    }
    SqlRows &rows = it->second;
    rows.finish();
    rows.m_query = nullptr;
    rows.m_rowsAffected = 0;
    sqlite3 *handle =
        m_dialect == SqlDialect::Sqlite && bindsOnSqlite(values) ? sqliteHandle() : nullptr;
    if (!handle) {
        rows.m_query = &execStatement(sql, values);
        rows.m_rowsAffected = rows.m_query->numRowsAffected();
        return rows;
    }
    if (!rows.m_stmt) {
        const QByteArray text = sql.toUtf8();
        const char *tail = nullptr;
        const int prepared = sqlite3_prepare_v3(handle, text.constData(), int(text.size()),
                                                SQLITE_PREPARE_PERSISTENT, &rows.m_stmt, &tail);
        if (prepared != SQLITE_OK) {
            sqlite3_finalize(rows.m_stmt);
            rows.m_stmt = nullptr;
            failSqlite(prepared, u"Unable to execute statement"_s, sql);
        }
        // One statement, as QSqlQuery takes (SQLite would ignore the rest silently).
        if (!rows.m_stmt ||
            !QByteArrayView(tail, text.constData() + text.size() - tail).trimmed().isEmpty()) {
            sqlite3_finalize(rows.m_stmt);
            rows.m_stmt = nullptr;
            fail(QSqlError(u"Unable to execute multiple statements at a time"_s, {},
                           QSqlError::StatementError, u"21"_s),
                 sql);
        }
    }
    sqlite3_stmt *stmt = rows.m_stmt;
    if (sqlite3_bind_parameter_count(stmt) != values.size()) {
        fail(QSqlError(u"Parameter count mismatch"_s, {}, QSqlError::StatementError, QString()),
             sql);
    }
    rows.m_texts.clear();
    rows.m_texts.reserve(std::size_t(values.size()));
    // As QSqlQuery binds them: a null value (a null QString or QByteArray too) as NULL, a
    // QByteArray as a BLOB, text as TEXT (here in UTF-8, kept in m_texts until the next run).
    static const char empty[] = "";
    for (int i = 0; i < int(values.size()); ++i) {
        const QVariant &value = values.at(i);
        int bound = SQLITE_OK;
        switch (value.typeId()) {
        case QMetaType::Int:
        case QMetaType::UInt:
        case QMetaType::LongLong:
        case QMetaType::Bool:
            bound = value.isNull() ? sqlite3_bind_null(stmt, i + 1)
                                   : sqlite3_bind_int64(stmt, i + 1, value.toLongLong());
            break;
        case QMetaType::Double:
            bound = value.isNull() ? sqlite3_bind_null(stmt, i + 1)
                                   : sqlite3_bind_double(stmt, i + 1, value.toDouble());
            break;
        case QMetaType::QString: {
            const QString *text = static_cast<const QString *>(value.constData());
            if (value.isNull() || text->isNull()) {
                bound = sqlite3_bind_null(stmt, i + 1);
            } else if (text->isEmpty()) {
                bound = sqlite3_bind_text(stmt, i + 1, empty, 0, SQLITE_STATIC);
            } else {
                const QByteArray &utf8 = rows.m_texts.emplace_back(text->toUtf8());
                bound = sqlite3_bind_text(stmt, i + 1, utf8.constData(), int(utf8.size()),
                                          SQLITE_STATIC);
            }
            break;
        }
        case QMetaType::QByteArray: {
            const QByteArray *bytes = static_cast<const QByteArray *>(value.constData());
            if (value.isNull() || bytes->isNull()) {
                bound = sqlite3_bind_null(stmt, i + 1);
            } else {
                const QByteArray &kept = rows.m_texts.emplace_back(*bytes);
                bound = sqlite3_bind_blob(stmt, i + 1, kept.isEmpty() ? empty : kept.constData(),
                                          int(kept.size()), SQLITE_STATIC);
            }
            break;
        }
        case QMetaType::UnknownType:
            bound = sqlite3_bind_null(stmt, i + 1);
            break;
        default: { // Utf8Text (bindsOnSqlite() let no other type through)
            const QByteArray &utf8 =
                rows.m_texts.emplace_back(static_cast<const Utf8Text *>(value.constData())->bytes);
            bound = sqlite3_bind_text(stmt, i + 1, utf8.isEmpty() ? empty : utf8.constData(),
                                      int(utf8.size()), SQLITE_STATIC);
            break;
        }
        }
        if (bound != SQLITE_OK)
            failSqlite(bound, u"Unable to bind parameters"_s, sql);
    }
    rows.m_active = true;
    const int stepped = sqlite3_step(stmt);
    if (stepped == SQLITE_ROW) {
        rows.m_rowPending = true;
        return rows;
    }
    if (stepped == SQLITE_DONE) {
        rows.m_rowsAffected = sqlite3_changes(handle);
        rows.finish();
        return rows;
    }
    rows.fail(stepped);
}

bool SqlRows::next()
{
    if (m_query) {
        if (m_query->next())
            return true;
        // QPSQL reads a forward-only result row by row (libpq's single-row mode): the rows of a
        // lone statement arrive before PostgreSQL has committed it, and a connection lost after
        // them ends the rows like their end does. Only the error tells the two apart, and a
        // batched write's rows must not be taken for a commit that never came.
        if (const QSqlError error = m_query->lastError(); error.isValid())
            m_db->fail(error, m_sql);
        return false;
    }
    if (!m_active)
        return false;
    if (m_rowPending) {
        m_rowPending = false;
        return true;
    }
    const int stepped = sqlite3_step(m_stmt);
    if (stepped == SQLITE_ROW)
        return true;
    if (stepped == SQLITE_DONE) {
        finish();
        return false;
    }
    fail(stepped);
}

void SqlRows::fail(int stepped)
{
    // As the QSQLITE driver does: SQLITE_ERROR's own code comes from the reset.
    const int code = stepped == SQLITE_ERROR ? sqlite3_reset(m_stmt) : stepped;
    const QString message = QString::fromUtf8(sqlite3_errmsg(m_db->m_sqlite));
    finish();
    m_db->fail(QSqlError(u"Unable to fetch row"_s, message, QSqlError::ConnectionError,
                         QString::number(code)),
               m_sql);
}

QString SqlRows::text(int column) const
{
    if (m_query)
        return m_query->value(column).toString();
    const auto *utf8 = reinterpret_cast<const char *>(sqlite3_column_text(m_stmt, column));
    return QString::fromUtf8(utf8, sqlite3_column_bytes(m_stmt, column));
}

qint64 SqlRows::integer(int column) const
{
    if (m_query)
        return m_query->value(column).toLongLong();
    return sqlite3_column_int64(m_stmt, column);
}

bool SqlRows::isNull(int column) const
{
    if (m_query)
        return m_query->value(column).isNull();
    return sqlite3_column_type(m_stmt, column) == SQLITE_NULL;
}

void SqlRows::finish()
{
    if (m_query) {
        m_query->finish();
        return;
    }
    m_rowPending = false;
    if (m_active) {
        m_active = false;
        sqlite3_reset(m_stmt);
    }
}

QVariant Database::scalar(const QString &sql, const QVariantList &values)
{
    QSqlQuery &query = exec(sql, values);
    QVariant value;
    if (query.next())
        value = query.value(0);
    query.finish(); // an unfinished SELECT would keep its read snapshot open
    return value;
}

int Database::change(const QString &sql, const QVariantList &values)
{
    SqlRows &query = this->query(sql, values);
    const int rows = query.rowsAffected();
    query.finish();
    return rows;
}

void Database::beginBatch()
{
    Q_ASSERT(!m_batchOpen && !m_inTransaction);
    exec(m_dialect == SqlDialect::Postgres ? u"BEGIN ISOLATION LEVEL READ COMMITTED"_s
                                           : u"BEGIN IMMEDIATE"_s);
    m_batchOpen = true;
    m_inTransaction = true;
    m_transactionFailed = false;
    m_batchActionFailed = false;
}

bool Database::runBatchAction(const std::function<void()> &action)
{
    Q_ASSERT(m_batchOpen);
    m_batchActionFailed = false;
    m_actionUnguardedWrite = false;
    m_actionUnavailable = false;
    m_actionSavepointTaken = false;
    // Taken by the action's first statement that may need undoing (see exec()), not here: an
    // action of reads and one writeAtomic() then needs none.
    m_actionSavepointPending = true;
    try {
        action();
    } catch (const SqlFailure &failure) {
        logFailure(failure);
        m_batchActionFailed = true;
    }
    m_actionSavepointPending = false;
    // m_transactionFailed: a statement failed outside write()/read() (on PostgreSQL the whole
    // transaction is aborted until the rollback to the savepoint).
    const bool failed = m_batchActionFailed || m_transactionFailed;
    m_batchActionFailed = false;
    if (failed && m_actionUnavailable) {
        // The connection is gone or the disk is full (SQLite may then have rolled back the whole
        // transaction): nothing more can run in this batch. It ends, and its actions are re-run
        // alone, each answering for itself.
        throw connectionLostOrFull(m_connectionLost);
    }
    if (!failed) {
        if (m_actionSavepointTaken)
            exec(u"RELEASE SAVEPOINT safetill_action"_s);
        return true;
    }
    // An unguarded change cannot be undone on its own, and without a savepoint PostgreSQL cannot
    // leave an aborted transaction: then the batch ends here and every action is re-run alone.
    if (m_actionUnguardedWrite || (!m_actionSavepointTaken && m_transactionFailed)) {
        throw SqlFailure(QSqlError(u"batch action failed without a savepoint"_s,
                                   u"an action failed where its savepoint could not undo it"_s,
                                   QSqlError::TransactionError, u"25P02"_s),
                         u"runBatchAction"_s);
    }
    if (m_actionSavepointTaken) {
        rollbackToSavepoint(u"safetill_action"_s);
        exec(u"RELEASE SAVEPOINT safetill_action"_s);
    }
    return false;
}

void Database::commitBatch()
{
    Q_ASSERT(m_batchOpen);
    bool commitSent = false;
    try {
        if (m_dialect == SqlDialect::Postgres && m_transactionFailed) {
            // As in WriteTransaction::commit(): PostgreSQL would answer a COMMIT of an aborted
            // transaction with a silent rollback.
            throw SqlFailure(QSqlError(u"commit after a failed statement"_s,
                                       u"the batch was aborted by a failed statement"_s,
                                       QSqlError::TransactionError, u"25P02"_s),
                             u"COMMIT"_s);
        }
        commitSent = true;
        finishStatements();
        exec(u"COMMIT"_s);
    } catch (const SqlFailure &) {
        // A failed COMMIT ends a PostgreSQL transaction (a ROLLBACK would only draw a warning);
        // SQLite keeps it open, e.g. after a deferred foreign key check, until rolled back.
        if (commitSent && m_dialect == SqlDialect::Postgres)
            m_batchOpen = false;
        rollbackBatch();
        resetBatchState();
        throw;
    }
    resetBatchState();
}

SqlFailure Database::connectionLostOrFull(bool lost)
{
    if (lost)
        return connectionLostFailure(u"the connection was lost during a batch"_s);
    return SqlFailure(QSqlError(u"the database cannot store more"_s,
                                u"a statement of the batch failed for want of space or I/O"_s,
                                QSqlError::StatementError, u"13"_s),
                      u"runBatchAction"_s);
}

void Database::resetBatchState()
{
    m_actionSavepointPending = false;
    m_actionSavepointTaken = false;
    m_actionUnguardedWrite = false;
    m_actionUnavailable = false;
    m_batchOpen = false;
    m_inTransaction = false;
    m_transactionFailed = false;
    m_batchActionFailed = false;
}

void Database::rollbackBatch() noexcept
{
    if (!m_batchOpen)
        return;
    resetBatchState();
    finishStatements();
    if (m_connectionLost)
        return; // the server rolled it back when the connection ended
    QSqlQuery rollback(connection());
    if (!rollback.exec(u"ROLLBACK"_s))
        qCWarning(lcDb) << "ROLLBACK of a batch failed:" << rollback.lastError().text();
}

void Database::rollbackToSavepoint(const QString &name) noexcept
{
    try {
        exec(u"ROLLBACK TO SAVEPOINT "_s + name);
        m_transactionFailed = false; // PostgreSQL: the transaction is usable again
    } catch (const SqlFailure &failure) {
        logFailure(failure); // m_transactionFailed stays set: the batch cannot commit
    }
}

qint64 Database::dataVersion()
{
    if (m_dialect != SqlDialect::Sqlite)
        return 0;
    try {
        return scalar(u"PRAGMA data_version"_s).toLongLong();
    } catch (const SqlFailure &failure) {
        logFailure(failure);
        return -1;
    }
}

QString Database::displayLocation() const
{
    if (m_dialect != SqlDialect::Postgres)
        return m_options.location;
    QUrl url(m_options.location);
    if (!url.password().isEmpty())
        url.setPassword(u"***"_s);
    return url.toString();
}

void Database::sleepBeforeRetry(int attempt, const RetryPolicy &policy) const
{
    // Exponential backoff with full jitter: waiters that collided once do not collide again in
    // step.
    const int ceiling =
        std::min(policy.maxBackoffMs, policy.firstBackoffMs << std::min(attempt, 16));
    const int delay = int(QRandomGenerator::global()->bounded(ceiling + 1));
    qCDebug(lcDb) << "database busy, attempt" << attempt << "retrying in" << delay << "ms";
    QThread::msleep(ulong(delay));
}

void Database::logFailure(const SqlFailure &failure) const
{
    qCWarning(lcDb).noquote() << "SQL failure on" << displayLocation() << ":" << failure.describe();
}

} // namespace SafeTill
