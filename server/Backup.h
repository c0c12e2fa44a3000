#pragma once

#include "Result.h"

#include <QString>

namespace SafeTill {

// What a SafeTill SQLite database file holds, as `backup` and `restore` report it.
struct DatabaseSummary
{
    qint64 bytes = 0;
    int schemaVersion = 0;
    qint64 orders = 0;
    qint64 payments = 0;
};

// Backup and restore of a server's SQLite database with SQLite's online backup API
// (sqlite3_backup_*), called on the handles of Qt's own QSQLITE connections. Server-only (the
// `safetill-server backup|restore` commands). PostgreSQL databases are backed up with pg_dump
// (README, "Backups"); these refuse a postgresql:// location.
//
// Outcomes: InvalidInput (a PostgreSQL location; FILE not a SafeTill database, damaged, or of a
// newer schema), Conflict (the target exists and overwriting was not asked for; the database is
// in use by a running server), NotFound (the database or FILE is missing), Error (anything else,
// e.g. a full disk). Nothing is left half-written in any of them.
class SqliteBackup
{
public:
    static bool isPostgres(const QString &location);

    // Copies the database at `database` (which may be serving) into `target`: first into
    // target.tmp (mode 0600), checked with PRAGMA integrity_check, then renamed. An existing
    // target is replaced only when `overwrite`.
    static Result<DatabaseSummary> backup(const QString &database, const QString &target,
                                          bool overwrite);

    struct RestoreReport
    {
        DatabaseSummary restored;
        int backupSchemaVersion = 0; // before migrating it to this build's schema
        QString previousKeptAs;      // empty when there was no previous database
    };
    // Replaces the database at `database` with the backup `file`, after checking that `file` is
    // an intact SafeTill database of this build's schema or an older one (migrated on the way).
    // Refused while any other connection (a running server) has `database` open: restore holds an
    // exclusive lock on it from the check to the end, and writes into it with the backup API, so
    // the replacement is one transaction. The previous content is kept as
    // database.before-restore (an existing one is replaced only when `overwrite`).
    static Result<RestoreReport> restore(const QString &database, const QString &file,
                                         bool overwrite);
};

} // namespace SafeTill
