#pragma once

#include "Database.h"
#include "Types.h"

#include <QTemporaryDir>

#include <memory>

namespace SafeTill::Test {

// A fresh database file in its own temporary folder, migrated, with the demo cashiers
// (Alice 1234, Bob 5678, Maria 9999) and demo catalog (e.g. COF-ESP 220, BAK-CRO 190) installed.
class TestDatabase
{
public:
    explicit TestDatabase(bool withDemoData = true);
    QString path() const { return m_dir.filePath(QStringLiteral("test.sqlite")); }
    // The connection for the calling thread's use (creates one per call; keep it for the thread).
    std::unique_ptr<Database> open() const;
    Database &db() { return *m_db; } // the main thread's connection
    QString cashierId(const QString &name);

private:
    QTemporaryDir m_dir;
    std::unique_ptr<Database> m_db;
};

// PRAGMA integrity_check says "ok".
bool integrityOk(Database &db);
// Runs one SQL query and returns the first column of the first row.
QVariant queryValue(Database &db, const QString &sql, const QVariantList &values = {});

} // namespace SafeTill::Test
