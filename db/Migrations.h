#pragma once

#include <QString>

namespace SafeTill {

class Database;
enum class SqlDialect;

// Brings the schema up to date from the SQL files in resources/sql/<dialect>/NNN_name.sql: every
// missing step, in order, inside one write transaction, recording each version applied. A database
// written by a newer SafeTill is refused rather than guessed at.
class Migrations
{
public:
    // *newerSchema, when given, is set to the database's schema version when it is further on
    // than this build's (written by a newer SafeTill), and 0 otherwise.
    static bool apply(Database &database, QString *errorMessage, int *newerSchema = nullptr);
    // The highest schema version this build knows.
    static int latestVersion(const Database &database);
    // The same, for a dialect, without a connection (e.g. to judge a backup file before use).
    static int latestVersion(SqlDialect dialect);
    // Splits a migration file into statements; a CREATE TRIGGER body keeps its inner semicolons.
    static QStringList splitStatements(const QString &script);
};

} // namespace SafeTill
