#pragma once

// Shared by the race and crash suites (tst_races_threads, tst_races_processes, tst_crash): the
// whole-database invariants SafeTill promises after any amount of concurrency, and a helper that
// runs safetill-stress-worker processes and parses their output line by line.

#include "Database.h"
#include "OrderStore.h"
#include "TestSupport.h"

#include <QDateTime>
#include <QDeadlineTimer>
#include <QHash>
#include <QProcess>
#include <QProcessEnvironment>
#include <QSqlQuery>
#include <QSqlRecord>
#include <QStringList>
#include <QThread>

#include <functional>
#include <latch>
#include <memory>
#include <optional>

namespace SafeTill::Test {

using namespace Qt::StringLiterals;

// All rows of one query (test helper: fails hard on SQL errors).
inline QList<QVariantList> queryRows(Database &db, const QString &sql,
                                     const QVariantList &values = {})
{
    QSqlQuery query(db.connection());
    query.setForwardOnly(true);
    if (!query.prepare(sql))
        qFatal("test query does not prepare: %s: %s", qPrintable(sql),
               qPrintable(query.lastError().text()));
    for (qsizetype i = 0; i < values.size(); ++i)
        query.bindValue(int(i), values.at(i));
    if (!query.exec())
        qFatal("test query failed: %s: %s", qPrintable(sql), qPrintable(query.lastError().text()));
    QList<QVariantList> rows;
    while (query.next()) {
        QVariantList row;
        for (int c = 0; c < query.record().count(); ++c)
            row << query.value(c);
        rows << row;
    }
    return rows;
}

inline qint64 count(Database &db, const QString &sql, const QVariantList &values = {})
{
    return queryValue(db, sql, values).toLongLong();
}

// Every promise about the whole database that must hold after any race or crash. Returns one
// sentence per violation (empty when all hold).
inline QStringList invariantViolations(Database &db)
{
    QStringList problems;
    const auto expectNone = [&](const QString &what, const QString &sql) {
        const QList<QVariantList> rows = queryRows(db, sql);
        if (rows.isEmpty())
            return;
        QStringList examples;
        for (qsizetype i = 0; i < rows.size() && i < 3; ++i) {
            QStringList cells;
            for (const QVariant &cell : rows.at(i))
                cells << cell.toString();
            examples << cells.join(u'/');
        }
        problems
            << u"%1: %2 row(s), e.g. %3"_s.arg(what).arg(rows.size()).arg(examples.join(u", "_s));
    };

    if (db.dialect() == SqlDialect::Sqlite) {
        // PostgreSQL checks its pages and foreign keys on every statement; SQLite is asked.
        const QString integrity = queryValue(db, u"PRAGMA integrity_check"_s).toString();
        if (integrity != u"ok"_s)
            problems << u"integrity_check: %1"_s.arg(integrity);
        expectNone(u"foreign key violations"_s, u"PRAGMA foreign_key_check"_s);
    }
    // The queries below are portable SQL (SQLite 3.40 and PostgreSQL 15): IS DISTINCT FROM, no
    // output-column aliases in WHERE, an alias on every subquery in FROM.
    expectNone(u"cashiers with more than one open order"_s,
               u"SELECT cashier_id, COUNT(*) FROM order_sessions "
               "WHERE status IN ('active', 'pending_logout') GROUP BY cashier_id "
               "HAVING COUNT(*) > 1"_s);
    // A split tender is several payments; only the last carries the receipt number.
    expectNone(u"orders with more than one receipt payment"_s,
               u"SELECT order_id, COUNT(*) FROM payments WHERE order_id IS NOT NULL "
               "AND receipt_no IS NOT NULL GROUP BY order_id HAVING COUNT(*) > 1"_s);
    expectNone(u"tabs with more than one receipt payment"_s,
               u"SELECT tab_id, COUNT(*) FROM payments WHERE tab_id IS NOT NULL "
               "AND receipt_no IS NOT NULL GROUP BY tab_id HAVING COUNT(*) > 1"_s);
    // The sums of lines in SQL are exact for orders without an order discount or tax-exclusive
    // lines (the race suites' orders); the Verifier (VERIFY_DATABASE_CLEAN) checks every order
    // by the model's own rule.
    const QString linesTotal = u"(SELECT COALESCE(SUM("_s + OrderStore::lineTotalSql() +
                               u"), 0) FROM order_lines l WHERE l.order_id = o.id)"_s;
    const QString simpleOrder = u"o.discount_kind = '' AND NOT EXISTS (SELECT 1 FROM order_lines x "
                                "WHERE x.order_id = o.id AND x.price_includes_tax = 0)"_s;
    expectNone(u"completed orders (not on a tab) whose sale payments are not exactly their total"_s,
               u"SELECT id, paid, receipts, total FROM (SELECT o.id, (SELECT COALESCE("
               "SUM(p.amount_cents), 0) FROM payments p WHERE p.order_id = o.id AND p.kind = "
               "'sale') AS paid, (SELECT COUNT(*) FROM payments p WHERE p.order_id = o.id AND "
               "p.receipt_no IS NOT NULL) AS receipts, "_s +
                   linesTotal +
                   u" AS total FROM order_sessions o WHERE o.status = 'completed' "
                   "AND o.tab_id IS NULL AND "_s +
                   simpleOrder + u") AS c WHERE receipts <> 1 OR paid <> total"_s);
    expectNone(
        u"completed orders on a tab that is not settled and paid"_s,
        u"SELECT o.id FROM order_sessions o LEFT JOIN tabs t ON t.id = o.tab_id "
        "LEFT JOIN payments p ON p.tab_id = t.id AND p.receipt_no IS NOT NULL "
        "WHERE o.status = 'completed' "
        "AND o.tab_id IS NOT NULL AND (t.status IS DISTINCT FROM 'settled' OR p.id IS NULL)"_s);
    expectNone(u"payments for orders that are not completed (or open with a balance) or are on "
               "a tab"_s,
               u"SELECT o.id, o.status FROM payments p JOIN order_sessions o ON o.id = p.order_id "
               "WHERE (o.status <> 'completed' AND NOT (p.receipt_no IS NULL AND o.status IN "
               "('active', 'pending_logout'))) OR o.tab_id IS NOT NULL"_s);
    expectNone(u"settled tabs whose sale payments are not exactly their orders' total"_s,
               u"SELECT t.id FROM tabs t WHERE t.status = 'settled' AND NOT EXISTS (SELECT 1 "
               "FROM order_sessions o WHERE o.tab_id = t.id AND NOT ("_s +
                   simpleOrder +
                   u")) AND (SELECT COALESCE(SUM(p.amount_cents), 0) FROM payments p "
                   "WHERE p.tab_id = t.id AND p.kind = 'sale') <> (SELECT COALESCE(SUM("_s +
                   OrderStore::lineTotalSql() +
                   u"), 0) FROM order_lines l JOIN order_sessions o ON o.id = l.order_id "
                   "WHERE o.tab_id = t.id)"_s);
    expectNone(u"open tabs with a receipt payment"_s,
               u"SELECT t.id FROM tabs t JOIN payments p ON p.tab_id = t.id "
               "WHERE t.status <> 'settled' AND p.receipt_no IS NOT NULL"_s);
    expectNone(u"orders whose status does not match their tab (assigned = open tab, completed = "
               "settled tab)"_s,
               u"SELECT o.id, o.status, t.status FROM order_sessions o JOIN tabs t "
               "ON t.id = o.tab_id WHERE (t.status = 'settled') <> (o.status = 'completed')"_s);
    // Records made after the sale that change no order (a reprint, a refund, a void: the version
    // and status stay) are left out of the chain checks.
    const QString changes = u"(SELECT * FROM order_history WHERE action NOT IN ('reprint', "
                            "'refund', 'void'))"_s;
    expectNone(u"orders whose version is not their number of history entries"_s,
               u"SELECT id, version, n FROM (SELECT o.id, o.version, (SELECT COUNT(*) "
               "FROM "_s +
                   changes +
                   u" h WHERE h.order_id = o.id) AS n FROM order_sessions o) "
                   "AS c WHERE version <> n"_s);
    expectNone(u"history entries that do not continue the chain from_version -> to_version"_s,
               u"SELECT order_id, id, from_version, to_version, prev FROM (SELECT order_id, id, "
               "from_version, to_version, LAG(to_version) OVER (PARTITION BY order_id "
               "ORDER BY id) AS prev FROM "_s +
                   changes +
                   u" AS x) AS h WHERE (prev IS NULL AND "
                   "(from_version IS NOT NULL OR to_version <> 1)) OR (prev IS NOT NULL AND "
                   "(from_version IS DISTINCT FROM prev OR to_version <> prev + 1))"_s);
    expectNone(u"orders whose last history entry does not match their status and version"_s,
               u"SELECT o.id FROM order_sessions o JOIN order_history h ON h.id = "
               "(SELECT MAX(id) FROM "_s +
                   changes +
                   u" AS x WHERE order_id = o.id) "
                   "WHERE h.to_status <> o.status OR h.to_version <> o.version"_s);
    expectNone(u"history entries after completion"_s, u"SELECT order_id, id FROM "_s + changes +
                                                          u" AS x WHERE from_status = "
                                                          "'completed'"_s);
    expectNone(u"history entries without a stored result for their request id"_s,
               u"SELECT h.order_id, h.request_id FROM order_history h LEFT JOIN idempotency i "
               "ON i.request_id = h.request_id WHERE i.request_id IS NULL"_s);
    return problems;
}

// One parsed line of safetill-stress-worker output: the first word and its key=value fields
// (for ERR, "msg" takes the rest of the line).
struct WorkerLine
{
    QString kind; // ACK, ERR, READY, LATE, DONE, BADREPLAY
    QHash<QString, QString> fields;

    QString value(const QString &key) const { return fields.value(key); }
    int number(const QString &key) const { return fields.value(key).toInt(); }

    static WorkerLine parse(const QString &text)
    {
        WorkerLine line;
        const qsizetype msg = text.indexOf(u" msg="_s);
        const QString head = msg >= 0 ? text.left(msg) : text;
        const QStringList words = head.split(u' ', Qt::SkipEmptyParts);
        line.kind = words.value(0);
        for (qsizetype i = 1; i < words.size(); ++i) {
            const qsizetype eq = words.at(i).indexOf(u'=');
            if (eq > 0)
                line.fields.insert(words.at(i).left(eq), words.at(i).mid(eq + 1));
        }
        if (msg >= 0)
            line.fields.insert(u"msg"_s, text.mid(msg + 5));
        return line;
    }
};

#ifdef SAFETILL_STRESS_WORKER_PATH
// A safetill-stress-worker process. Output is parsed as it arrives; only complete lines count.
class WorkerProcess
{
public:
    explicit WorkerProcess(const QStringList &arguments)
        : m_process(std::make_unique<QProcess>())
    {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(u"SAFETILL_PIN_HASH_COST"_s, u"fast"_s);
        m_process->setProcessEnvironment(env);
        m_process->setProgram(QString::fromUtf8(SAFETILL_STRESS_WORKER_PATH));
        m_process->setArguments(arguments);
        QObject::connect(m_process.get(), &QProcess::readyReadStandardOutput, m_process.get(),
                         [this] { readLines(); });
        m_process->start();
    }
    WorkerProcess(const WorkerProcess &) = delete;
    WorkerProcess &operator=(const WorkerProcess &) = delete;
    ~WorkerProcess()
    {
        if (m_process->state() != QProcess::NotRunning) {
            m_process->kill();
            m_process->waitForFinished(5000);
        }
    }

    QProcess &process() { return *m_process; }
    const QList<WorkerLine> &lines() const { return m_lines; }
    QList<WorkerLine> linesOf(const QString &kind) const
    {
        QList<WorkerLine> result;
        for (const WorkerLine &line : m_lines) {
            if (line.kind == kind)
                result << line;
        }
        return result;
    }
    int acks() const { return m_acks; }
    std::optional<WorkerLine> done() const
    {
        for (const WorkerLine &line : m_lines) {
            if (line.kind == u"DONE"_s)
                return line;
        }
        return std::nullopt;
    }
    QString standardError() { return QString::fromUtf8(m_process->readAllStandardError()); }

    // Reads whatever complete lines are available (also called from readyReadStandardOutput).
    void readLines()
    {
        m_pending += m_process->readAllStandardOutput();
        qsizetype newline;
        while ((newline = m_pending.indexOf('\n')) >= 0) {
            const WorkerLine line = WorkerLine::parse(QString::fromUtf8(m_pending.left(newline)));
            m_pending.remove(0, newline + 1);
            if (line.kind == u"ACK"_s)
                ++m_acks;
            m_lines << line;
            if (m_onLine)
                m_onLine(line);
        }
    }
    void onLine(std::function<void(const WorkerLine &)> callback)
    {
        m_onLine = std::move(callback);
    }

    bool finish(int timeoutMs)
    {
        const bool finished = m_process->waitForFinished(timeoutMs);
        readLines(); // an incomplete last line (a killed worker) stays in m_pending, uncounted
        return finished && m_process->exitStatus() == QProcess::NormalExit &&
               m_process->exitCode() == 0;
    }

private:
    std::unique_ptr<QProcess> m_process;
    QByteArray m_pending;
    QList<WorkerLine> m_lines;
    int m_acks = 0;
    std::function<void(const WorkerLine &)> m_onLine;
};
#endif

// A moment shortly in the future for --start-at, so processes started one after another begin
// their work together.
inline QString startAt(int fromNowMs)
{
    return QString::number(QDateTime::currentMSecsSinceEpoch() + fromNowMs);
}

// Runs body(index, db) on `threads` threads, each with its own connection, all released at the
// same moment. A thread that does not finish in time means a deadlock: the suite aborts.
inline void runTogether(const TestDatabase &database, int threads,
                        const std::function<void(int index, Database &db)> &body,
                        int timeoutMs = 60000)
{
    std::latch start(threads);
    std::vector<std::unique_ptr<QThread>> workers;
    for (int i = 0; i < threads; ++i) {
        workers.emplace_back(QThread::create([&, i] {
            const std::unique_ptr<Database> db = database.open();
            start.arrive_and_wait();
            body(i, *db);
        }));
        workers.back()->start();
    }
    const QDeadlineTimer deadline(timeoutMs);
    for (const auto &worker : workers) {
        if (!worker->wait(deadline))
            qFatal("threads did not finish within %d ms: deadlock or starvation", timeoutMs);
    }
}

} // namespace SafeTill::Test
