#pragma once

#include "Database.h"
#include "OrderService.h"
#include "TabService.h"
#include "TestSupport.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>

#include <memory>

namespace SafeTill::Test {

using namespace Qt::StringLiterals;

// A terminal for in-process sync tests: its own SQLite database with the server's cashiers and
// catalog (as a pull would leave them), its order services, and its outbox rows as the wire's
// push ops.
class SyncTerminal
{
public:
    explicit SyncTerminal(Database &server)
    {
        QString error;
        m_db = Database::open(DatabaseOptions{m_dir.filePath(u"terminal.sqlite"_s)}, &error);
        if (!m_db)
            qFatal("terminal: %s", qPrintable(error));
        copy(server, u"SELECT id, name, name_key, role, pin_hash, created_at FROM cashiers"_s,
             u"INSERT INTO cashiers (id, name, name_key, role, pin_hash, created_at) "
             "VALUES (?, ?, ?, ?, ?, ?)"_s,
             6);
        copy(server, u"SELECT sku, name, price_cents, category, updated_at FROM products"_s,
             u"INSERT INTO products (sku, name, price_cents, category, updated_at) "
             "VALUES (?, ?, ?, ?, ?)"_s,
             5);
        orders = std::make_unique<OrderService>(*m_db);
        tabs = std::make_unique<TabService>(*m_db);
    }
    Database &db() { return *m_db; }
    QString cashierId(const QString &name)
    {
        return queryValue(*m_db, u"SELECT id FROM cashiers WHERE name = ?"_s, {name}).toString();
    }

    // Outbox rows after the last call (or all), as the wire's ops (docs/sync-protocol.md 5).
    QJsonArray takeOps()
    {
        QJsonArray ops;
        QSqlQuery query(m_db->connection());
        query.prepare(u"SELECT seq, request_id, op, order_id, tab_id, created_at, payload "
                      "FROM outbox WHERE seq > ? ORDER BY seq"_s);
        query.addBindValue(m_taken);
        if (!query.exec())
            qFatal("outbox: %s", qPrintable(query.lastError().text()));
        auto textOrNull = [](const QVariant &value) {
            return value.isNull() ? QJsonValue(QJsonValue::Null) : QJsonValue(value.toString());
        };
        while (query.next()) {
            m_taken = query.value(0).toLongLong();
            ops.append(QJsonObject{
                {u"seq"_s, m_taken},
                {u"request_id"_s, query.value(1).toString()},
                {u"op"_s, query.value(2).toString()},
                {u"order_id"_s, textOrNull(query.value(3))},
                {u"tab_id"_s, textOrNull(query.value(4))},
                {u"created_at"_s, query.value(5).toString()},
                {u"payload"_s, QJsonDocument::fromJson(query.value(6).toByteArray()).object()}});
        }
        return ops;
    }

    // A push body of these ops.
    static QByteArray body(const QJsonArray &ops, int protocol = 2)
    {
        return QJsonDocument(QJsonObject{{u"protocol"_s, protocol}, {u"ops"_s, ops}})
            .toJson(QJsonDocument::Compact);
    }

    std::unique_ptr<OrderService> orders;
    std::unique_ptr<TabService> tabs;

private:
    void copy(Database &from, const QString &select, const QString &insert, int columns)
    {
        QSqlQuery source(from.connection());
        if (!source.exec(select))
            qFatal("copy: %s", qPrintable(source.lastError().text()));
        while (source.next()) {
            QSqlQuery target(m_db->connection());
            target.prepare(insert);
            for (int i = 0; i < columns; ++i)
                target.addBindValue(source.value(i));
            if (!target.exec())
                qFatal("copy: %s", qPrintable(target.lastError().text()));
        }
    }

    QTemporaryDir m_dir;
    std::unique_ptr<Database> m_db;
    qint64 m_taken = 0;
};

} // namespace SafeTill::Test
