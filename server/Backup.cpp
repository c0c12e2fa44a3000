#include "Backup.h"

#include "Database.h"
#include "Migrations.h"

#include <QFile>
#include <QFileInfo>
#include <QScopeGuard>
#include <QSqlDriver>
#include <QSqlError>
#include <QSqlQuery>
#include <QThread>
#include <QUuid>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

using namespace Qt::StringLiterals;

namespace SafeTill {

namespace {

// One QSQLITE connection of its own, removed again when this goes. The sqlite3_backup_* calls
// need the connection's sqlite3 handle (QSqlDriver::handle()). That is only sound when Qt's
// QSQLITE plugin and this program use one and the same libsqlite3: on Debian both link the
// shared system library (libsqlite3.so.0), so the process loads it once; open() also compares
// the library's source id as seen through the connection with the one linked here, and refuses
// to go on if they differ (a plugin with SQLite built in).
class SqliteConnection
{
public:
    SqliteConnection() = default;
    SqliteConnection(const SqliteConnection &) = delete;
    SqliteConnection &operator=(const SqliteConnection &) = delete;
    ~SqliteConnection() { close(); }

    // Empty on success, else why not.
    QString open(const QString &path, bool readOnly)
    {
        m_name = u"safetill-backup-"_s + QUuid::createUuid().toString(QUuid::WithoutBraces);
        QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, m_name);
        db.setDatabaseName(path);
        db.setConnectOptions(readOnly ? u"QSQLITE_OPEN_READONLY;QSQLITE_BUSY_TIMEOUT=5000"_s
                                      : u"QSQLITE_BUSY_TIMEOUT=5000"_s);
        if (!db.open())
            return u"Cannot open %1: %2"_s.arg(path, db.lastError().text());
        const QVariant handle = db.driver()->handle();
        if (handle.isValid() && qstrcmp(handle.typeName(), "sqlite3*") == 0)
            m_handle = *static_cast<sqlite3 *const *>(handle.constData());
        if (!m_handle)
            return u"Qt's SQLite driver gives no sqlite3 handle."_s;
        QSqlQuery query(db);
        if (!query.exec(u"SELECT sqlite_source_id()"_s) || !query.next() ||
            query.value(0).toString() != QString::fromLatin1(sqlite3_sourceid())) {
            return u"Qt's SQLite driver uses another SQLite library than this program (%1); "
                   "the online backup needs the same one."_s.arg(query.value(0).toString());
        }
        return {};
    }
    void close()
    {
        if (m_name.isEmpty())
            return;
        {
            QSqlDatabase db = QSqlDatabase::database(m_name, false);
            db.close();
        }
        QSqlDatabase::removeDatabase(m_name);
        m_name.clear();
        m_handle = nullptr;
    }
    sqlite3 *handle() const { return m_handle; }
    QSqlDatabase db() const { return QSqlDatabase::database(m_name, false); }

    // Runs one statement; empty on success, else the database's message.
    QString exec(const QString &sql)
    {
        QSqlQuery query(db());
        m_lastCode = 0;
        if (!query.exec(sql)) {
            m_lastCode = query.lastError().nativeErrorCode().toInt();
            return query.lastError().text();
        }
        return {};
    }
    // The last exec()'s failure was a lock held by another connection.
    bool lastWasBusy() const
    {
        return (m_lastCode & 0xff) == SQLITE_BUSY || (m_lastCode & 0xff) == SQLITE_LOCKED;
    }

private:
    QString m_name;
    sqlite3 *m_handle = nullptr;
    int m_lastCode = 0;
};

// Copies every page of `from` into `to` with one sqlite3_backup_step(-1): the whole copy runs
// under one read transaction on the source. Why one step and not steps of N pages with sleeps:
// the server's database is in WAL mode, where a reader never blocks the writer nor the writer a
// reader, so the server keeps serving while the copy runs, and the copy is the snapshot of the
// moment it began (every commit acknowledged before it is in; nothing half-written is). Stepped
// copies must restart from the first page whenever another process commits between two steps,
// so under a steady stream of sales they could restart forever. The price of one step: a
// checkpoint cannot recycle the WAL past the snapshot while the copy runs (a sequential read,
// about a second per few hundred MB), so the WAL may grow meanwhile.
QString copyPages(sqlite3 *from, sqlite3 *to)
{
    for (int attempt = 1;; ++attempt) {
        sqlite3_backup *backup = sqlite3_backup_init(to, "main", from, "main");
        if (!backup)
            return QString::fromUtf8(sqlite3_errmsg(to));
        const int step = sqlite3_backup_step(backup, -1);
        const int finished = sqlite3_backup_finish(backup);
        if (step == SQLITE_DONE && finished == SQLITE_OK)
            return {};
        // The source's busy handler (5 s) has already waited; a lock still held (a WAL recovery
        // or a checkpoint in another process) is tried again a few times.
        const bool busy = step == SQLITE_BUSY || step == SQLITE_LOCKED;
        if (!busy || attempt >= 5)
            return QString::fromUtf8(sqlite3_errstr(step == SQLITE_DONE ? finished : step));
        QThread::msleep(200);
    }
}

// An empty file for the owner only (0600), whatever the umask; a leftover one is replaced.
QString createPrivateFile(const QString &path)
{
    for (const QString &suffix : {u""_s, u"-journal"_s, u"-wal"_s, u"-shm"_s})
        QFile::remove(path + suffix);
    const QByteArray name = QFile::encodeName(path);
    const int fd = ::open(name.constData(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0)
        return u"Cannot create %1: %2"_s.arg(path, QString::fromLocal8Bit(strerror(errno)));
    ::fchmod(fd, 0600);
    ::close(fd);
    return {};
}

void removeDatabaseFiles(const QString &path)
{
    for (const QString &suffix : {u""_s, u"-journal"_s, u"-wal"_s, u"-shm"_s})
        QFile::remove(path + suffix);
}

// The directory entry of a rename survives a power cut only once the directory is synced.
void syncDirectoryOf(const QString &path)
{
    const QByteArray dir = QFile::encodeName(QFileInfo(path).absolutePath());
    const int fd = ::open(dir.constData(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0) {
        ::fsync(fd);
        ::close(fd);
    }
}

// Moves `from` to `to`; without `overwrite` an existing `to` is refused (link() is atomic about
// that, unlike a check followed by rename()).
Result<bool> moveFile(const QString &from, const QString &to, bool overwrite)
{
    const QByteArray source = QFile::encodeName(from);
    const QByteArray target = QFile::encodeName(to);
    if (overwrite) {
        if (::rename(source.constData(), target.constData()) != 0)
            return Result<bool>::failure(Outcome::Error,
                                         u"Cannot rename %1 to %2: %3"_s.arg(
                                             from, to, QString::fromLocal8Bit(strerror(errno))));
    } else {
        if (::link(source.constData(), target.constData()) != 0) {
            const int error = errno;
            if (error == EEXIST)
                return Result<bool>::failure(
                    Outcome::Conflict, u"%1 exists already; give --force to replace it."_s.arg(to));
            return Result<bool>::failure(
                Outcome::Error,
                u"Cannot create %1: %2"_s.arg(to, QString::fromLocal8Bit(strerror(error))));
        }
        ::unlink(source.constData());
    }
    syncDirectoryOf(to);
    return Result<bool>::ok(true);
}

// Checks that the open database is intact and SafeTill's, and counts what it holds.
Result<DatabaseSummary> summarize(SqliteConnection &connection, const QString &what)
{
    QSqlQuery query(connection.db());
    if (!query.exec(u"PRAGMA integrity_check"_s)) {
        // "file is not a database" (a text file, an encrypted or truncated one) ends up here.
        return Result<DatabaseSummary>::invalidInput(
            u"%1 is not an SQLite database: %2"_s.arg(what, query.lastError().text()));
    }
    QStringList problems;
    while (query.next() && problems.size() < 10)
        problems << query.value(0).toString();
    query.finish();
    if (problems != QStringList{u"ok"_s})
        return Result<DatabaseSummary>::invalidInput(
            u"%1 is damaged (PRAGMA integrity_check): %2"_s.arg(what, problems.join(u"; "_s)));
    if (!query.exec(u"SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name IN "
                    "('schema_migrations', 'order_sessions', 'payments', 'cashiers', "
                    "'idempotency')"_s) ||
        !query.next() || query.value(0).toInt() != 5) {
        return Result<DatabaseSummary>::invalidInput(
            u"%1 is an SQLite database but not a SafeTill one (it lacks SafeTill's tables)."_s.arg(
                what));
    }
    query.finish();
    DatabaseSummary summary;
    const auto scalar = [&](const QString &sql) -> std::optional<qint64> {
        if (!query.exec(sql) || !query.next())
            return std::nullopt;
        const qint64 value = query.value(0).toLongLong();
        query.finish();
        return value;
    };
    const auto version = scalar(u"SELECT MAX(version) FROM schema_migrations"_s);
    const auto orders = scalar(u"SELECT COUNT(*) FROM order_sessions"_s);
    const auto payments = scalar(u"SELECT COUNT(*) FROM payments"_s);
    const auto pages = scalar(u"PRAGMA page_count"_s);
    const auto pageSize = scalar(u"PRAGMA page_size"_s);
    if (!version || !orders || !payments || !pages || !pageSize)
        return Result<DatabaseSummary>::failure(
            Outcome::Error, u"Cannot read %1: %2"_s.arg(what, query.lastError().text()));
    summary.schemaVersion = int(*version);
    summary.orders = *orders;
    summary.payments = *payments;
    summary.bytes = *pages * *pageSize;
    return Result<DatabaseSummary>::ok(summary);
}

} // namespace

bool SqliteBackup::isPostgres(const QString &location)
{
    return location.startsWith(u"postgres://"_s) || location.startsWith(u"postgresql://"_s);
}

Result<DatabaseSummary> SqliteBackup::backup(const QString &database, const QString &target,
                                             bool overwrite)
{
    if (isPostgres(database))
        return Result<DatabaseSummary>::invalidInput(
            u"backup copies an SQLite database; a PostgreSQL database is backed up with "
            "pg_dump (e.g. pg_dump --format=custom --file=FILE DBNAME; see the README, "
            "\u201cBackups\u201d)."_s);
    if (!QFileInfo(database).isFile())
        return Result<DatabaseSummary>::notFound(u"There is no database %1."_s.arg(database));
    if (QFileInfo(target).absoluteFilePath() == QFileInfo(database).absoluteFilePath())
        return Result<DatabaseSummary>::invalidInput(
            u"The backup FILE must not be the database itself."_s);
    if (!overwrite && QFileInfo::exists(target))
        return Result<DatabaseSummary>::failure(
            Outcome::Conflict, u"%1 exists already; give --force to replace it."_s.arg(target));

    const QString temporary = target + u".tmp"_s;
    if (const QString problem = createPrivateFile(temporary); !problem.isEmpty())
        return Result<DatabaseSummary>::failure(Outcome::Error, problem);
    Result<DatabaseSummary> written = [&]() -> Result<DatabaseSummary> {
        SqliteConnection source;
        if (const QString problem = source.open(database, true); !problem.isEmpty())
            return Result<DatabaseSummary>::failure(Outcome::Error, problem);
        SqliteConnection copy;
        if (const QString problem = copy.open(temporary, false); !problem.isEmpty())
            return Result<DatabaseSummary>::failure(Outcome::Error, problem);
        if (const QString problem = copyPages(source.handle(), copy.handle()); !problem.isEmpty())
            return Result<DatabaseSummary>::failure(
                Outcome::Error, u"Cannot copy %1 to %2: %3"_s.arg(database, temporary, problem));
        source.close();
        // The copy keeps the source's WAL mode; a file on its own is easier to move, mail or
        // restore (no -wal beside it), and reads the same.
        if (const QString problem = copy.exec(u"PRAGMA journal_mode=DELETE"_s); !problem.isEmpty())
            return Result<DatabaseSummary>::failure(Outcome::Error, problem);
        return summarize(copy, temporary);
    }();
    if (!written) {
        removeDatabaseFiles(temporary);
        return written;
    }
    // The copy is complete on disk before its name says so.
    if (const int fd = ::open(QFile::encodeName(temporary).constData(), O_RDONLY | O_CLOEXEC);
        fd >= 0) {
        ::fsync(fd);
        ::close(fd);
    }
    if (const Result<bool> moved = moveFile(temporary, target, overwrite); !moved) {
        removeDatabaseFiles(temporary);
        return Result<DatabaseSummary>::from(moved);
    }
    DatabaseSummary summary = *written;
    summary.bytes = QFileInfo(target).size();
    return Result<DatabaseSummary>::ok(summary);
}

Result<SqliteBackup::RestoreReport> SqliteBackup::restore(const QString &database,
                                                          const QString &file, bool overwrite)
{
    using R = Result<RestoreReport>;
    if (isPostgres(database))
        return R::invalidInput(u"restore writes an SQLite database; a PostgreSQL database is "
                               "restored with pg_restore (see the README, \u201cBackups\u201d)."_s);
    if (!QFileInfo(file).isFile())
        return R::notFound(u"There is no backup file %1."_s.arg(file));
    if (QFileInfo(file).absoluteFilePath() == QFileInfo(database).absoluteFilePath())
        return R::invalidInput(u"The backup FILE must not be the database itself."_s);
    RestoreReport report;
    const int latest = Migrations::latestVersion(SqlDialect::Sqlite);

    // 1. The backup: intact, SafeTill's, not newer than this build. Read only: it stays as it is.
    {
        SqliteConnection backup;
        if (const QString problem = backup.open(file, true); !problem.isEmpty())
            return R::invalidInput(problem);
        const Result<DatabaseSummary> checked = summarize(backup, file);
        if (!checked)
            return R::from(checked);
        report.backupSchemaVersion = checked->schemaVersion;
        if (checked->schemaVersion > latest)
            return R::invalidInput(u"%1 was written by a newer SafeTill (schema version %2; this "
                                   "program knows up to %3). Restore it with the newer "
                                   "safetill-server."_s.arg(file)
                                       .arg(checked->schemaVersion)
                                       .arg(latest));
    }

    // 2. The target, locked for this connection alone until the end. A running server keeps its
    // connections open, and an open WAL connection (even an idle one) keeps others from the
    // exclusive lock: so "busy" here means in use. A server that starts meanwhile finds the
    // database locked and does not start. (No target yet: the migrated copy is moved there at
    // the end, refused if one appeared meanwhile.)
    const bool existed = QFileInfo::exists(database);
    const bool hasContent = existed && QFileInfo(database).size() > 0;
    SqliteConnection target;
    if (existed) {
        if (const QString problem = target.open(database, false); !problem.isEmpty())
            return R::failure(Outcome::Error, problem);
        sqlite3_busy_timeout(target.handle(), 0);
        // WAL (what the server uses anyway) before the lock: in exclusive locking mode it
        // needs no shared memory, and leaves no rollback journal behind.
        QString problem = target.exec(u"PRAGMA journal_mode=WAL"_s);
        if (problem.isEmpty())
            problem = target.exec(u"PRAGMA locking_mode=EXCLUSIVE"_s);
        if (problem.isEmpty())
            problem = target.exec(u"BEGIN EXCLUSIVE"_s);
        if (problem.isEmpty())
            problem = target.exec(u"COMMIT"_s);
        if (!problem.isEmpty()) {
            if (target.lastWasBusy()) {
                return R::failure(
                    Outcome::Conflict,
                    u"The database %1 is in use (a running safetill-server or another program "
                    "has it open); stop the server first (systemctl stop safetill-server), "
                    "then restore."_s.arg(database));
            }
            return R::failure(Outcome::Error,
                              u"Cannot lock the database %1: %2"_s.arg(database, problem));
        }
        sqlite3_busy_timeout(target.handle(), 5000);
    }

    // 3. The backup copied aside and brought to this build's schema.
    const QString staged = database + u".tmp"_s;
    const auto cleanUp = qScopeGuard([&] { removeDatabaseFiles(staged); });
    if (const QString problem = createPrivateFile(staged); !problem.isEmpty())
        return R::failure(Outcome::Error, problem);
    {
        SqliteConnection backup;
        SqliteConnection copy;
        QString problem = backup.open(file, true);
        if (problem.isEmpty())
            problem = copy.open(staged, false);
        if (problem.isEmpty())
            problem = copyPages(backup.handle(), copy.handle());
        if (!problem.isEmpty())
            return R::failure(Outcome::Error,
                              u"Cannot copy %1 to %2: %3"_s.arg(file, staged, problem));
    }
    {
        QString problem;
        std::unique_ptr<Database> migrated = Database::open(DatabaseOptions{staged}, &problem);
        if (!migrated)
            return R::failure(Outcome::Error, problem);
        // A restored database is another database for the tills' pull: a new id in its ETag,
        // so no till takes its catalog as "unchanged" from what it pulled before the restore.
        const Result<int> renamed = migrated->write([&] {
            return Result<int>::ok(
                migrated->change(u"UPDATE sync_catalog_state SET database_id = ? WHERE id = 1"_s,
                                 {QUuid::createUuid().toString(QUuid::Id128)}));
        });
        if (!renamed)
            return R::from(renamed);
    }

    if (!existed) {
        if (const Result<bool> moved = moveFile(staged, database, false); !moved)
            return R::from(moved);
        SqliteConnection restored;
        if (const QString problem = restored.open(database, false); !problem.isEmpty())
            return R::failure(Outcome::Error, problem);
        const Result<DatabaseSummary> summary = summarize(restored, database);
        if (!summary)
            return R::from(summary);
        report.restored = *summary;
        return R::ok(report);
    }

    // 4. What the target held, kept beside it (from the locked connection: consistent).
    if (hasContent) {
        report.previousKeptAs = database + u".before-restore"_s;
        if (!overwrite && QFileInfo::exists(report.previousKeptAs))
            return R::failure(Outcome::Conflict,
                              u"%1 exists already (from an earlier restore); move it away or "
                              "give --force to replace it."_s.arg(report.previousKeptAs));
        const QString keeping = report.previousKeptAs + u".tmp"_s;
        if (const QString problem = createPrivateFile(keeping); !problem.isEmpty())
            return R::failure(Outcome::Error, problem);
        QString problem;
        {
            SqliteConnection kept;
            problem = kept.open(keeping, false);
            if (problem.isEmpty())
                problem = copyPages(target.handle(), kept.handle());
            if (problem.isEmpty())
                problem = kept.exec(u"PRAGMA journal_mode=DELETE"_s);
        }
        if (!problem.isEmpty()) {
            removeDatabaseFiles(keeping);
            return R::failure(Outcome::Error, u"Cannot keep the database %1 as %2: %3"_s.arg(
                                                  database, report.previousKeptAs, problem));
        }
        if (const Result<bool> moved = moveFile(keeping, report.previousKeptAs, true); !moved) {
            removeDatabaseFiles(keeping);
            return R::from(moved);
        }
    }

    // 5. The replacement: one write transaction of the backup API into the locked target, so
    // the database is either all old or all restored, whatever happens meanwhile.
    {
        SqliteConnection source;
        QString problem = source.open(staged, true);
        if (problem.isEmpty())
            problem = copyPages(source.handle(), target.handle());
        if (!problem.isEmpty())
            return R::failure(Outcome::Error, u"Cannot restore into %1: %2 (it is unchanged)"_s.arg(
                                                  database, problem));
    }
    const Result<DatabaseSummary> restored = summarize(target, database);
    if (!restored)
        return R::from(restored);
    report.restored = *restored;
    return R::ok(report);
}

} // namespace SafeTill
