#include "Database.h"

#include "Logging.h"
#include "Migrations.h"

#include <QDir>
#include <QFileInfo>
#include <QRandomGenerator>
#include <QSqlDriver>
#include <QThread>
#include <QUrl>
#include <QUuid>

using namespace Qt::StringLiterals;

namespace SafeTill {

namespace {

bool isPostgresUrl(const QString &location)
{
    return location.startsWith(u"postgresql://"_s) || location.startsWith(u"postgres://"_s);
}

QString newConnectionName()
{
    return u"safetill-"_s + QUuid::createUuid().toString(QUuid::WithoutBraces);
}

} // namespace

Database::Database(DatabaseOptions options, SqlDialect dialect, QString connectionName)
    : m_options(std::move(options))
    , m_dialect(dialect)
    , m_connectionName(std::move(connectionName))
{}

Database::~Database()
{
    m_statements.clear(); // statements must go before their connection
    {
        QSqlDatabase db = QSqlDatabase::database(m_connectionName, false);
        db.close();
    }
    QSqlDatabase::removeDatabase(m_connectionName);
}

std::unique_ptr<Database> Database::open(const DatabaseOptions &options, QString *errorMessage)
{
    Q_ASSERT(errorMessage);
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
        const QUrl url(options.location);
        db.setHostName(url.host());
        db.setPort(url.port(5432));
        db.setUserName(url.userName());
        db.setPassword(url.password());
        db.setDatabaseName(url.path().mid(1));
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
        *errorMessage =
            u"Cannot open the database %1: %2"_s.arg(options.location, db.lastError().text());
        return nullptr;
    }
    if (!database->configure(errorMessage))
        return nullptr;
    if (!Migrations::apply(*database, errorMessage))
        return nullptr;
    return database;
}

bool Database::configure(QString *errorMessage)
{
    if (m_dialect != SqlDialect::Sqlite)
        return true;
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
            exec(m_options.durableCommits ? u"PRAGMA synchronous=FULL"_s
                                          : u"PRAGMA synchronous=NORMAL"_s);
            return true;
        } catch (const SqlFailure &failure) {
            if (!failure.isBusy() || attempt >= policy.maxAttempts) {
                logFailure(failure);
                *errorMessage = u"Cannot prepare the database %1: %2"_s.arg(m_options.location,
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

QSqlQuery &Database::prepared(const QString &sql)
{
    auto it = m_statements.find(sql);
    if (it != m_statements.end())
        return it.value();
    QSqlQuery query(connection());
    query.setForwardOnly(true);
    if (!query.prepare(sql))
        throw SqlFailure(query.lastError(), sql);
    return m_statements.insert(sql, std::move(query)).value();
}

QSqlQuery &Database::exec(const QString &sql, const QVariantList &values)
{
    QSqlQuery &query = prepared(sql);
    for (qsizetype i = 0; i < values.size(); ++i)
        query.bindValue(int(i), values.at(i));
    if (!query.exec())
        throw SqlFailure(query.lastError(), sql);
    return query;
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
    QSqlQuery &query = exec(sql, values);
    const int rows = query.numRowsAffected();
    query.finish();
    return rows;
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
    qCWarning(lcDb).noquote() << "SQL failure on" << m_options.location << ":"
                              << failure.describe();
}

} // namespace SafeTill
