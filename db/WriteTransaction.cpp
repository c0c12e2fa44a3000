#include "WriteTransaction.h"

#include "Database.h"
#include "Logging.h"

using namespace Qt::StringLiterals;

namespace SafeTill {

namespace {
QString beginStatement(SqlDialect dialect, WriteTransaction::Mode mode)
{
    if (dialect == SqlDialect::Postgres) {
        // Writes: READ COMMITTED, stated so a server default of SERIALIZABLE cannot change the
        // behaviour. The conditional UPDATE is the lock: it waits for a concurrent writer of the
        // same row, re-checks its WHERE on the committed row, and every later statement of the
        // transaction reads the latest commits. REPEATABLE READ would turn each of those waits
        // into a serialization failure and a retry, for no gain in correctness.
        // Reads: one snapshot for all SELECTs (an order and its lines agree); a read-only
        // REPEATABLE READ transaction never fails with a serialization error.
        return mode == WriteTransaction::Mode::Write
                   ? u"BEGIN ISOLATION LEVEL READ COMMITTED"_s
                   : u"BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"_s;
    }
    return mode == WriteTransaction::Mode::Write ? u"BEGIN IMMEDIATE"_s : u"BEGIN DEFERRED"_s;
}
} // namespace

WriteTransaction::WriteTransaction(Database &database, Mode mode)
    : m_database(database)
{
    m_database.exec(beginStatement(database.dialect(), mode));
    m_open = true;
    m_database.m_inTransaction = true;
    m_database.m_transactionFailed = false;
}

WriteTransaction::~WriteTransaction()
{
    m_database.m_inTransaction = false;
    m_database.m_transactionFailed = false;
    if (!m_open) // committed: commit() finished the statements
        return;
    m_database.finishStatements();
    if (m_database.m_connectionLost)
        return; // the server rolled back when the connection ended; reopened before next use
    QSqlQuery rollback(m_database.connection());
    if (!rollback.exec(u"ROLLBACK"_s))
        qCWarning(lcDb) << "ROLLBACK failed:" << rollback.lastError().text();
}

void WriteTransaction::commit()
{
    if (m_database.dialect() == SqlDialect::Postgres && m_database.m_transactionFailed) {
        // PostgreSQL has aborted this transaction: its COMMIT would answer "ROLLBACK" without an
        // error, and the caller would believe its work was saved. Refuse instead; the destructor
        // rolls back.
        throw SqlFailure(QSqlError(u"commit after a failed statement"_s,
                                   u"the transaction was aborted by an earlier failed statement "
                                   "and has been rolled back"_s,
                                   QSqlError::TransactionError, u"25P02"_s),
                         u"COMMIT"_s);
    }
    m_database.finishStatements();
    m_database.exec(u"COMMIT"_s);
    m_open = false;
}

} // namespace SafeTill
