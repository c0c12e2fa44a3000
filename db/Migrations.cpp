#include "Migrations.h"

#include "Database.h"
#include "Logging.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QMap>
#include <QRegularExpression>

using namespace Qt::StringLiterals;

namespace SafeTill {

namespace {

QString dialectFolder(SqlDialect dialect)
{
    return dialect == SqlDialect::Postgres ? u":/sql/postgres"_s : u":/sql/sqlite"_s;
}

// version -> resource path
QMap<int, QString> knownMigrations(SqlDialect dialect)
{
    QMap<int, QString> migrations;
    static const QRegularExpression pattern(u"^(\\d{3})_.*\\.sql$"_s);
    const QDir folder(dialectFolder(dialect));
    for (const QString &file : folder.entryList(QDir::Files, QDir::Name)) {
        const auto match = pattern.match(file);
        if (match.hasMatch())
            migrations.insert(match.captured(1).toInt(), folder.filePath(file));
    }
    return migrations;
}

// The result type write() needs; migrations only care about success and a message.
struct MigrationOutcome
{
    bool ok = false;
    QString message;
    bool shouldCommit() const { return ok; }
    static MigrationOutcome busy()
    {
        return {false, u"The database stayed locked by another program."_s};
    }
    static MigrationOutcome databaseError(const SqlFailure &failure)
    {
        return {false, failure.error().text()};
    }
};

} // namespace

int Migrations::latestVersion(const Database &database)
{
    const auto migrations = knownMigrations(database.dialect());
    return migrations.isEmpty() ? 0 : migrations.lastKey();
}

QStringList Migrations::splitStatements(const QString &script)
{
    QStringList statements;
    QString current;
    bool inTrigger = false;
    const QStringList lines = script.split(u'\n');
    for (const QString &line : lines) {
        const QString trimmed = line.trimmed();
        if (trimmed.startsWith(u"--"_s) || (trimmed.isEmpty() && current.isEmpty()))
            continue;
        if (current.isEmpty() && trimmed.startsWith(u"CREATE TRIGGER"_s, Qt::CaseInsensitive))
            inTrigger = true;
        current += line + u'\n';
        const bool endsStatement = inTrigger ? trimmed.compare(u"END;"_s, Qt::CaseInsensitive) == 0
                                             : trimmed.endsWith(u';');
        if (endsStatement) {
            statements << current.trimmed();
            current.clear();
            inTrigger = false;
        }
    }
    if (!current.trimmed().isEmpty())
        statements << current.trimmed();
    return statements;
}

bool Migrations::apply(Database &database, QString *errorMessage)
{
    const auto migrations = knownMigrations(database.dialect());
    const int latest = migrations.isEmpty() ? 0 : migrations.lastKey();
    const MigrationOutcome outcome = database.write([&]() -> MigrationOutcome {
        database.exec(u"CREATE TABLE IF NOT EXISTS schema_migrations ("
                      " version INTEGER PRIMARY KEY,"
                      " applied_at TEXT NOT NULL)"_s);
        const int current =
            database.scalar(u"SELECT MAX(version) FROM schema_migrations"_s).toInt();
        if (current > latest) {
            return {false, u"The database %1 was written by a newer SafeTill (schema version %2; "
                           "this program knows up to %3). Install the newer SafeTill to use it."_s
                               .arg(database.options().location)
                               .arg(current)
                               .arg(latest)};
        }
        for (auto it = migrations.constBegin(); it != migrations.constEnd(); ++it) {
            if (it.key() <= current)
                continue;
            QFile file(it.value());
            if (!file.open(QIODevice::ReadOnly))
                return {false, u"Migration %1 is missing from this build."_s.arg(it.value())};
            const QString script = QString::fromUtf8(file.readAll());
            for (const QString &statement : splitStatements(script))
                database.exec(statement);
            database.exec(u"INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)"_s,
                          {it.key(), QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs)});
            qCInfo(lcDb) << "applied schema migration" << it.key();
        }
        return {true, {}};
    });
    if (!outcome.ok)
        *errorMessage = outcome.message;
    return outcome.ok;
}

} // namespace SafeTill
