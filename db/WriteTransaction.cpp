#include "WriteTransaction.h"

#include "Database.h"
#include "Logging.h"

using namespace Qt::StringLiterals;

namespace SafeTill {

namespace {
QString beginStatement(SqlDialect dialect, WriteTransaction::Mode mode)
{
    if (dialect == SqlDialect::Postgres) // the conditional UPDATE's row lock is the lock there
        return u"BEGIN"_s;
    return mode == WriteTransaction::Mode::Write ? u"BEGIN IMMEDIATE"_s : u"BEGIN DEFERRED"_s;
}
} // namespace

WriteTransaction::WriteTransaction(Database &database, Mode mode)
    : m_database(database)
{
    m_database.exec(beginStatement(database.dialect(), mode));
    m_open = true;
}

WriteTransaction::~WriteTransaction()
{
    if (!m_open)
        return;
    QSqlQuery rollback(m_database.connection());
    if (!rollback.exec(u"ROLLBACK"_s))
        qCWarning(lcDb) << "ROLLBACK failed:" << rollback.lastError().text();
}

void WriteTransaction::commit()
{
    m_database.exec(u"COMMIT"_s);
    m_open = false;
}

} // namespace SafeTill
