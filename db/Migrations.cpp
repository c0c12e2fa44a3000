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
    int newerSchema = 0; // the database's version, when a newer SafeTill wrote it
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
    return latestVersion(database.dialect());
}

int Migrations::latestVersion(SqlDialect dialect)
{
    const auto migrations = knownMigrations(dialect);
    return migrations.isEmpty() ? 0 : migrations.lastKey();
}

QStringList Migrations::splitStatements(const QString &script)
{
    // Line by line: a line that ends in ';' ends a statement unless the ';' is inside a string or
    // a PostgreSQL dollar-quoted body ($$ ... $$, $tag$ ... $tag$), or inside a SQLite trigger body
    // (CREATE TRIGGER ... BEGIN ... END;). Whole-line comments are dropped.
    enum class State { Code, Quoted, Dollar };
    State state = State::Code;
    QString dollarTag;
    bool inTriggerBody = false;
    QStringList statements;
    QString current;
    static const QRegularExpression dollarQuote(u"\\$([A-Za-z_][A-Za-z_0-9]*)?\\$"_s);
    static const QRegularExpression beginWord(u"\\bBEGIN\\b"_s,
                                              QRegularExpression::CaseInsensitiveOption);
    const QStringList lines = script.split(u'\n');
    for (const QString &line : lines) {
        const QString trimmed = line.trimmed();
        if (state == State::Code &&
            (trimmed.startsWith(u"--"_s) || (trimmed.isEmpty() && current.isEmpty())))
            continue;
        const bool statementIsTrigger = (current.isEmpty() ? trimmed : current.trimmed())
                                            .startsWith(u"CREATE TRIGGER"_s, Qt::CaseInsensitive);
        current += line + u'\n';

        // Scan the line for quotes, dollar quotes and (in a trigger) BEGIN.
        QString code; // the parts of the line outside strings and comments
        for (qsizetype i = 0; i < line.size();) {
            if (state == State::Quoted) {
                const qsizetype end = line.indexOf(u'\'', i);
                if (end < 0)
                    break;
                state = State::Code; // '' (an escaped quote) re-enters at once below
                i = end + 1;
            } else if (state == State::Dollar) {
                const qsizetype end = line.indexOf(dollarTag, i);
                if (end < 0)
                    break;
                state = State::Code;
                i = end + dollarTag.size();
            } else {
                const QChar c = line.at(i);
                if (c == u'\'') {
                    state = State::Quoted;
                    ++i;
                } else if (c == u'-' && line.mid(i, 2) == u"--"_s) {
                    break;
                } else if (c == u'$') {
                    const auto match =
                        dollarQuote.match(line, i, QRegularExpression::NormalMatch,
                                          QRegularExpression::AnchorAtOffsetMatchOption);
                    if (match.hasMatch()) {
                        state = State::Dollar;
                        dollarTag = match.captured(0);
                        i += dollarTag.size();
                    } else {
                        code += c;
                        ++i;
                    }
                } else {
                    code += c;
                    ++i;
                }
            }
        }
        if (statementIsTrigger && !inTriggerBody && beginWord.match(code).hasMatch())
            inTriggerBody = true;
        if (state != State::Code)
            continue;
        const QString trimmedCode = code.trimmed();
        const bool endsStatement = inTriggerBody
                                       ? trimmedCode.compare(u"END;"_s, Qt::CaseInsensitive) == 0
                                       : trimmedCode.endsWith(u';');
        if (endsStatement) {
            statements << current.trimmed();
            current.clear();
            inTriggerBody = false;
        }
    }
    if (!current.trimmed().isEmpty())
        statements << current.trimmed();
    return statements;
}

bool Migrations::apply(Database &database, QString *errorMessage, int *newerSchema)
{
    const auto migrations = knownMigrations(database.dialect());
    const int latest = migrations.isEmpty() ? 0 : migrations.lastKey();
    const MigrationOutcome outcome = database.write([&]() -> MigrationOutcome {
        if (database.dialect() == SqlDialect::Postgres) {
            // Several server processes (or worker connections) may start on an empty database
            // at once. Unlike SQLite's BEGIN IMMEDIATE, a PostgreSQL transaction takes no lock
            // up front, so they would all create the same tables; this lock, held to COMMIT,
            // makes them migrate one after the other (the later ones then find nothing to do).
            // One lock per schema: databases in different schemas (tests) do not wait for each
            // other.
            database.exec(
                u"SELECT pg_advisory_xact_lock(hashtext('safetill.migrations.' || current_schema()))"_s);
        }
        database.exec(u"CREATE TABLE IF NOT EXISTS schema_migrations ("
                      " version INTEGER PRIMARY KEY,"
                      " applied_at TEXT NOT NULL)"_s);
        const int current =
            database.scalar(u"SELECT MAX(version) FROM schema_migrations"_s).toInt();
        if (current > latest) {
            return {false,
                    u"The database %1 was written by a newer SafeTill (schema version %2; "
                    "this program knows up to %3). Install the newer SafeTill to use it."_s
                        .arg(database.displayLocation())
                        .arg(current)
                        .arg(latest),
                    current};
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
    if (newerSchema)
        *newerSchema = outcome.newerSchema;
    return outcome.ok;
}

} // namespace SafeTill
