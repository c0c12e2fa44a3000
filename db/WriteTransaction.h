#pragma once

namespace SafeTill {

class Database;

// RAII guard for one transaction: begins in the constructor, rolls back in the destructor unless
// commit() succeeded. On SQLite a write transaction begins with BEGIN IMMEDIATE: it takes the write
// lock up front, so the read-then-write inside it can never fail at the upgrade (a deferred BEGIN
// in WAL mode does, and busy_timeout cannot help). Throws SqlFailure when BEGIN or COMMIT fails.
class WriteTransaction
{
public:
    enum class Mode { Write, Read };

    WriteTransaction(Database &database, Mode mode);
    ~WriteTransaction();
    WriteTransaction(const WriteTransaction &) = delete;
    WriteTransaction &operator=(const WriteTransaction &) = delete;

    void commit();

private:
    Database &m_database;
    bool m_open = false;
};

} // namespace SafeTill
