// safetill-bench-history: does a till's cost grow with its history? (issue 12)
//
// Generates till databases holding N past completed orders (default 200,000 and 1,000,000) with
// the rows the real code writes for each sale — order_sessions, order_lines, payments,
// order_history, idempotency and outbox, shaped like OrderService's (open, one add per line,
// complete; the stored results and outbox payloads carry the order's JSON) — in one transaction
// with prepared statements. Then it measures every action against an empty database (demo data
// only): `safetill-cli add` per process (wall ms), and in process on a fresh connection (cold
// SQLite cache, as a CLI process or a new window has it): open, add, complete, the GUI's refresh
// (OrderWidget and TabsWindow reload, the sync status bar), the login list and sync's pending-ops
// query, each with the database pages it read (SQLITE_DBSTATUS_CACHE_MISS). Prints a table of each
// number against the empty baseline with PASS/FAIL for "within 10 %" (pages: within 10 % or 2
// pages), and SUMMARY lines for bench/run.
//
// Bounded: --runs rounds per action (default 7, median), at most --max-seconds (default 600) in
// all; generation stops with an error if it would overrun. With --dir DIR a generated database is
// kept as DIR/history-N.sqlite and reused by later runs (it is migrated by Database::open first).

#include "BenchSupport.h"
#include "CashierService.h"
#include "Database.h"
#include "DemoData.h"
#include "Json.h"
#include "OrderService.h"
#include "SyncStore.h"
#include "TabService.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QCryptographicHash>
#include <QDeadlineTimer>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QProcess>
#include <QRandomGenerator>
#include <QScopeGuard>
#include <QSqlDriver>
#include <QTemporaryDir>
#include <QTextStream>
#include <QUuid>

#include <sqlite3.h>

#include <algorithm>
#include <cstdio>
#include <functional>
#include <map>

using namespace Qt::StringLiterals;
using namespace SafeTill;
using namespace SafeTill::BenchSupport;

namespace {

double median(QList<double> values)
{
    if (values.isEmpty())
        return 0;
    std::sort(values.begin(), values.end());
    const qsizetype n = values.size();
    return n % 2 ? values.at(n / 2) : (values.at(n / 2 - 1) + values.at(n / 2)) / 2;
}

sqlite3 *handleOf(Database &db)
{
    const QVariant v = db.connection().driver()->handle();
    if (v.isValid() && qstrcmp(v.typeName(), "sqlite3*") == 0)
        return *static_cast<sqlite3 *const *>(v.constData());
    return nullptr;
}

// Pages this connection had to read (page cache misses) since the last call.
qint64 takeCacheMisses(sqlite3 *handle)
{
    int current = 0;
    int highwater = 0;
    sqlite3_db_status(handle, SQLITE_DBSTATUS_CACHE_MISS, &current, &highwater, 1);
    return current;
}

// ---------------------------------------------------------------------------------------------
// History generation

struct Product
{
    QString sku;
    QString name;
    qint64 price;
};

class Generator
{
public:
    explicit Generator(QString path)
        : m_path(std::move(path))
    {}

    bool run(qint64 orders, const QDeadlineTimer &deadline, QString *error);

private:
    bool check(int rc, const char *what, QString *error)
    {
        if (rc == SQLITE_OK || rc == SQLITE_DONE || rc == SQLITE_ROW)
            return true;
        *error =
            u"%1: %2"_s.arg(QString::fromLatin1(what), QString::fromUtf8(sqlite3_errmsg(m_db)));
        return false;
    }
    sqlite3_stmt *prepare(const char *sql, QString *error)
    {
        sqlite3_stmt *statement = nullptr;
        if (!check(sqlite3_prepare_v2(m_db, sql, -1, &statement, nullptr), sql, error))
            return nullptr;
        m_statements.push_back(statement);
        return statement;
    }
    void bind(sqlite3_stmt *s, int i, const QByteArray &text)
    {
        sqlite3_bind_text(s, i, text.constData(), int(text.size()), SQLITE_TRANSIENT);
    }
    bool step(sqlite3_stmt *s, QString *error)
    {
        const int rc = sqlite3_step(s);
        sqlite3_reset(s);
        sqlite3_clear_bindings(s);
        return check(rc == SQLITE_DONE ? SQLITE_OK : rc, sqlite3_sql(s), error);
    }

    QString m_path;
    sqlite3 *m_db = nullptr;
    std::vector<sqlite3_stmt *> m_statements;
};

bool Generator::run(qint64 orders, const QDeadlineTimer &deadline, QString *error)
{
    // What the real code left: the demo catalog and cashiers, the terminal's receipt prefix.
    QList<Product> products;
    QList<QPair<QByteArray, QString>> cashiers; // id, name
    QString prefix;
    QString terminalId;  // the owner of the orders made here
    qint64 firstSeq = 1; // the copied database may have sold a few orders already
    {
        QString openError;
        std::unique_ptr<Database> db = Database::open(DatabaseOptions{m_path}, &openError);
        if (!db) {
            *error = openError;
            return false;
        }
        QSqlQuery &p = db->exec(u"SELECT sku, name, price_cents FROM products ORDER BY sku"_s);
        while (p.next())
            products.append(
                {p.value(0).toString(), p.value(1).toString(), p.value(2).toLongLong()});
        p.finish();
        QSqlQuery &c = db->exec(u"SELECT id, name FROM cashiers ORDER BY name"_s);
        while (c.next())
            cashiers.append({c.value(0).toString().toUtf8(), c.value(1).toString()});
        c.finish();
        prefix = db->scalar(u"SELECT receipt_prefix FROM terminal WHERE id = 1"_s).toString();
        terminalId = db->scalar(u"SELECT terminal_id FROM terminal WHERE id = 1"_s).toString();
        firstSeq = db->scalar(u"SELECT next_receipt_seq FROM terminal WHERE id = 1"_s).toLongLong();
        db->exec(u"PRAGMA wal_checkpoint(TRUNCATE)"_s);
    }
    if (products.size() < 4 || cashiers.isEmpty()) {
        *error = u"the demo data is missing"_s;
        return false;
    }

    if (sqlite3_open_v2(m_path.toUtf8().constData(), &m_db, SQLITE_OPEN_READWRITE, nullptr) !=
        SQLITE_OK) {
        *error = u"cannot open %1"_s.arg(m_path);
        return false;
    }
    const auto cleanup = qScopeGuard([&] {
        for (sqlite3_stmt *s : m_statements)
            sqlite3_finalize(s);
        m_statements.clear();
        sqlite3_close(m_db);
        m_db = nullptr;
    });
    // A throw-away file: no journal while it is filled, WAL again afterwards (as the app has it).
    for (const char *pragma : {"PRAGMA journal_mode=OFF", "PRAGMA synchronous=OFF",
                               "PRAGMA cache_size=-1000000", "PRAGMA foreign_keys=OFF"}) {
        if (!check(sqlite3_exec(m_db, pragma, nullptr, nullptr, nullptr), pragma, error))
            return false;
    }
    if (!check(sqlite3_exec(m_db, "BEGIN", nullptr, nullptr, nullptr), "BEGIN", error))
        return false;
    sqlite3_stmt *insOrder = prepare(
        "INSERT INTO order_sessions (id, cashier_id, status, version, receipt_no, created_at, "
        "updated_at, completed_at, terminal_id, line_seq) "
        "VALUES (?, ?, 'completed', ?, ?, ?, ?, ?, ?, ?)",
        error);
    sqlite3_stmt *insLine = prepare("INSERT INTO order_lines (order_id, line_no, sku, name, "
                                    "unit_price_cents, quantity, line_id) "
                                    "VALUES (?, ?, ?, ?, ?, ?, ?)",
                                    error);
    sqlite3_stmt *insPayment = prepare(
        "INSERT INTO payments (id, order_id, method, amount_cents, tendered_cents, change_cents, "
        "receipt_no, paid_at, kind, due_cents, paid_version, terminal_id, cashier_id) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'sale', ?, ?, ?, ?)",
        error);
    sqlite3_stmt *insHistory = prepare(
        "INSERT INTO order_history (order_id, at, cashier_id, action, from_version, to_version, "
        "from_status, to_status, detail, request_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        error);
    sqlite3_stmt *insIdem = prepare("INSERT INTO idempotency (request_id, action, fingerprint, "
                                    "result, created_at) VALUES (?, ?, ?, ?, ?)",
                                    error);
    sqlite3_stmt *insOutbox =
        prepare("INSERT INTO outbox (request_id, op, order_id, tab_id, payload, created_at, state, "
                "attempts) VALUES (?, ?, ?, NULL, ?, ?, 'sent', 1)",
                error);
    if (!insOrder || !insLine || !insPayment || !insHistory || !insIdem || !insOutbox)
        return false;

    // The history spans the last two years up to an hour ago, oldest first, as a till fills it.
    const QDateTime end = QDateTime::currentDateTimeUtc().addSecs(-3600);
    const qint64 spanMs = 2LL * 365 * 24 * 3600 * 1000;
    QRandomGenerator random(12);
    for (qint64 n = 0; n < orders; ++n) {
        if ((n & 4095) == 0 && deadline.hasExpired()) {
            *error =
                u"generation did not finish within the time bound (%1 of %2 orders)"_s.arg(n).arg(
                    orders);
            return false;
        }
        const QDateTime start = end.addMSecs(-spanMs + spanMs * n / orders);
        const auto &cashier = cashiers.at(int(n % cashiers.size()));
        const int lineCount = 1 + int(random.bounded(4)); // 1..4 lines
        Order order;
        order.id = newId();
        order.cashierId = QString::fromUtf8(cashier.first);
        order.cashierName = cashier.second;
        order.status = OrderStatus::Completed;
        order.version = 1 + lineCount + 1;
        order.receiptNo = u"%1-%2"_s.arg(prefix).arg(firstSeq + n, 6, 10, QLatin1Char('0'));
        order.createdAt = start;
        const int first = int(random.bounded(products.size()));
        for (int l = 0; l < lineCount; ++l) {
            const Product &p = products.at((first + l) % products.size());
            order.lines.append(OrderLine{l + 1,
                                         p.sku,
                                         p.name,
                                         p.price,
                                         1 + int(random.bounded(3)),
                                         newId(),
                                         {},
                                         0,
                                         true,
                                         {},
                                         std::nullopt,
                                         {}});
        }
        const Cents total = order.totalCents();
        const QDateTime completedAt = start.addSecs(20 + 10 * lineCount);
        order.updatedAt = completedAt;
        order.completedAt = completedAt;
        const bool card = random.bounded(2) == 0;
        const Cents tendered = card ? total : ((total + 999) / 1000) * 1000;
        order.payment =
            Payment::sale(newId(), card ? PaymentMethod::Card : PaymentMethod::Cash, total,
                          tendered, order.receiptNo, completedAt, order.version - 1, terminalId);
        order.payment->orderId = order.id;
        order.payment->cashierId = order.cashierId;
        order.payments = {*order.payment};
        order.terminalId = terminalId;
        const QByteArray orderJson = QJsonDocument(toJson(order)).toJson(QJsonDocument::Compact);
        const QByteArray id = order.id.toUtf8();
        const QByteArray created = toStorageTime(start).toUtf8();
        const QByteArray completed = toStorageTime(completedAt).toUtf8();
        const QByteArray receipt = order.receiptNo.toUtf8();

        sqlite3_bind_text(insOrder, 1, id.constData(), int(id.size()), SQLITE_TRANSIENT);
        bind(insOrder, 2, cashier.first);
        sqlite3_bind_int(insOrder, 3, order.version);
        bind(insOrder, 4, receipt);
        bind(insOrder, 5, created);
        bind(insOrder, 6, completed);
        bind(insOrder, 7, completed);
        bind(insOrder, 8, terminalId.toUtf8());
        sqlite3_bind_int(insOrder, 9, lineCount);
        if (!step(insOrder, error))
            return false;
        for (const OrderLine &line : std::as_const(order.lines)) {
            bind(insLine, 1, id);
            sqlite3_bind_int(insLine, 2, line.lineNo);
            bind(insLine, 3, line.sku.toUtf8());
            bind(insLine, 4, line.name.toUtf8());
            sqlite3_bind_int64(insLine, 5, line.unitPriceCents);
            sqlite3_bind_int(insLine, 6, line.quantity);
            bind(insLine, 7, line.lineId.toUtf8());
            if (!step(insLine, error))
                return false;
        }
        bind(insPayment, 1, order.payment->id.toUtf8());
        bind(insPayment, 2, id);
        bind(insPayment, 3, card ? "card"_ba : "cash"_ba);
        sqlite3_bind_int64(insPayment, 4, total);
        sqlite3_bind_int64(insPayment, 5, tendered);
        sqlite3_bind_int64(insPayment, 6, tendered - total);
        bind(insPayment, 7, receipt);
        bind(insPayment, 8, completed);
        sqlite3_bind_int64(insPayment, 9, total);
        sqlite3_bind_int(insPayment, 10, order.version - 1);
        bind(insPayment, 11, terminalId.toUtf8());
        bind(insPayment, 12, cashier.first);
        if (!step(insPayment, error))
            return false;

        // One journaled action each: open, one add per line, complete.
        for (int a = 0; a < lineCount + 2; ++a) {
            const bool isOpen = a == 0;
            const bool isComplete = a == lineCount + 1;
            const QByteArray action = isOpen       ? "open"_ba
                                      : isComplete ? "complete"_ba
                                                   : "add_item"_ba;
            const QByteArray at = toStorageTime(start.addSecs(10 * a)).toUtf8();
            const QByteArray requestId = newId().toUtf8();
            const int toVersion = a + 1;
            const QByteArray detail =
                isOpen ? "opened"_ba
                : isComplete
                    ? "paid %1 cents by %2, receipt %3"_ba.replace("%1", QByteArray::number(total))
                          .replace("%2", card ? "card" : "cash")
                          .replace("%3", receipt)
                    : "line %1: %2 x%3"_ba.replace("%1", QByteArray::number(a))
                          .replace("%2", order.lines.at(a - 1).sku.toUtf8())
                          .replace("%3", QByteArray::number(order.lines.at(a - 1).quantity));
            bind(insHistory, 1, id);
            bind(insHistory, 2, at);
            bind(insHistory, 3, cashier.first);
            bind(insHistory, 4, action);
            if (isOpen)
                sqlite3_bind_null(insHistory, 5);
            else
                sqlite3_bind_int(insHistory, 5, toVersion - 1);
            sqlite3_bind_int(insHistory, 6, toVersion);
            if (isOpen)
                sqlite3_bind_null(insHistory, 7);
            else
                bind(insHistory, 7, "active"_ba);
            bind(insHistory, 8, isComplete ? "completed"_ba : "active"_ba);
            bind(insHistory, 9, detail);
            bind(insHistory, 10, requestId);
            if (!step(insHistory, error))
                return false;

            // The stored result and the sync op both carry the order as it was then; its final
            // state is close enough in size and shape.
            bind(insIdem, 1, requestId);
            bind(insIdem, 2, action);
            bind(insIdem, 3,
                 QCryptographicHash::hash(requestId, QCryptographicHash::Sha256).toHex());
            bind(insIdem, 4, orderJson);
            bind(insIdem, 5, at);
            if (!step(insIdem, error))
                return false;
            const QByteArray payload =
                "{\"base_version\":"_ba + (isOpen ? "null"_ba : QByteArray::number(toVersion - 1)) +
                ",\"cashier_id\":\""_ba + cashier.first + "\",\"format\":1,\"order\":"_ba +
                orderJson + ",\"order_id\":\""_ba + id + "\",\"status\":\""_ba +
                (isComplete ? "completed"_ba : "active"_ba) + "\",\"version\":"_ba +
                QByteArray::number(toVersion) + '}';
            bind(insOutbox, 1, requestId);
            bind(insOutbox, 2, action);
            bind(insOutbox, 3, id);
            bind(insOutbox, 4, payload);
            bind(insOutbox, 5, at);
            if (!step(insOutbox, error))
                return false;
        }
    }
    const QByteArray advance =
        "UPDATE terminal SET next_receipt_seq = " + QByteArray::number(firstSeq + orders) +
        " WHERE id = 1";
    for (const QByteArray &sql : {advance, "COMMIT"_ba, "PRAGMA journal_mode=WAL"_ba}) {
        if (!check(sqlite3_exec(m_db, sql.constData(), nullptr, nullptr, nullptr), sql.constData(),
                   error))
            return false;
    }
    return true;
}

// ---------------------------------------------------------------------------------------------
// Measurements

struct Measure
{
    double ms = 0;     // median wall time
    double pages = -1; // median pages read; -1: not measured
};

using Table = std::map<QString, Measure>; // action -> numbers

struct Bench
{
    QString cliPath;
    int runs = 7;

    // `safetill-cli add` as a separate process, wall time.
    bool cliAdd(const QString &path, Measure &result, QString *error)
    {
        QList<double> times;
        for (int i = 0; i < runs + 1; ++i) { // the first run is a warm-up
            QProcess cli;
            QElapsedTimer timer;
            timer.start();
            cli.start(cliPath, {u"--db"_s, path, u"add"_s, u"Alice"_s, u"COF-ESP"_s});
            if (!cli.waitForFinished(180000) || cli.exitCode() != 0) {
                *error = u"safetill-cli add failed: %1"_s.arg(
                    QString::fromUtf8(cli.readAllStandardError()).trimmed());
                return false;
            }
            if (i > 0)
                times << timer.nsecsElapsed() / 1e6;
        }
        result.ms = median(times);
        return true;
    }

    // One action on a fresh connection (opened untimed), timed and counted.
    bool timed(const QString &path, const std::function<bool(Database &, QString *)> &action,
               QList<double> &times, QList<double> &pages, QString *error)
    {
        std::unique_ptr<Database> db = Database::open(DatabaseOptions{path}, error);
        if (!db)
            return false;
        sqlite3 *handle = handleOf(*db);
        takeCacheMisses(handle);
        QElapsedTimer timer;
        timer.start();
        if (!action(*db, error))
            return false;
        times << timer.nsecsElapsed() / 1e6;
        pages << double(takeCacheMisses(handle));
        return true;
    }

    bool inProcess(const QString &path, Table &table, QString *error)
    {
        QString cashierId;
        {
            std::unique_ptr<Database> db = Database::open(DatabaseOptions{path}, error);
            if (!db)
                return false;
            const Result<Cashier> bob = CashierService(*db).find(u"Bob"_s);
            if (!bob) {
                *error = bob.message();
                return false;
            }
            cashierId = bob->id;
        }
        const OrderTarget target = OrderTarget::byCashier(cashierId);
        std::map<QString, QList<double>> times;
        std::map<QString, QList<double>> pages;
        QString orderId;
        const auto expect = [error](const auto &result, const QString &what) {
            if (!result)
                *error = what + u": "_s + result.message() + u' ' + result.detail();
            return bool(result);
        };
        const QList<QPair<QString, std::function<bool(Database &, QString *)>>> actions{
            {u"open"_s,
             [&](Database &db, QString *) {
                 const Result<Order> r = OrderService(db).openOrResume(cashierId, newId());
                 if (r)
                     orderId = r->id;
                 return expect(r, u"open"_s);
             }},
            {u"add"_s,
             [&](Database &db, QString *) {
                 return expect(OrderService(db).addProduct(target, u"COF-ESP"_s, 1, newId()),
                               u"add"_s);
             }},
            {u"refresh"_s,
             [&](Database &db, QString *) {
                 // What the windows reload on a change: the order on screen, the open tabs, and
                 // the sync status bar's counts.
                 return expect(OrderService(db).order(orderId), u"refresh order"_s) &&
                        expect(TabService(db).openTabs(), u"refresh tabs"_s) &&
                        expect(SyncStore(db).counts(), u"refresh sync counts"_s);
             }},
            {u"login list"_s,
             [&](Database &db, QString *) {
                 return expect(CashierService(db).list(), u"login list"_s);
             }},
            {u"pending ops"_s,
             [&](Database &db, QString *) {
                 return expect(SyncStore(db).pendingOps(500), u"pending ops"_s);
             }},
            {u"logout"_s,
             [&](Database &db, QString *) {
                 return expect(OrderService(db).logOut(target, newId()), u"logout"_s);
             }},
            {u"resume"_s,
             [&](Database &db, QString *) {
                 return expect(OrderService(db).openOrResume(cashierId, newId()), u"resume"_s);
             }},
            {u"complete"_s,
             [&](Database &db, QString *) {
                 return expect(OrderService(db).complete(target, {PaymentMethod::Cash, 1000000},
                                                         std::nullopt, newId()),
                               u"complete"_s);
             }},
        };
        for (int round = 0; round < runs + 1; ++round) { // round 0 warms up
            for (const auto &[name, action] : actions) {
                QList<double> t;
                QList<double> p;
                if (!timed(path, action, t, p, error))
                    return false;
                if (round > 0) {
                    times[name] << t;
                    pages[name] << p;
                }
            }
        }
        for (const auto &[name, list] : times)
            table[name] = Measure{median(list), median(pages[name])};
        return true;
    }
};

QString verdict(double value, double base, double slack)
{
    return value <= base * 1.10 + slack ? u"PASS"_s : u"FAIL"_s;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(u"safetill-bench-history"_s);
    qputenv("SAFETILL_PIN_HASH_COST", qgetenv("SAFETILL_PIN_HASH_COST").isEmpty()
                                          ? QByteArray("fast")
                                          : qgetenv("SAFETILL_PIN_HASH_COST"));
    QCommandLineParser parser;
    parser.setApplicationDescription(
        u"Does an action's cost grow with the till's history? Generates databases with N past "
        "completed orders and compares every action with an empty database. Bounded by "
        "--max-seconds (default 600)."_s);
    parser.addHelpOption();
    parser.addOptions({
        {u"orders"_s, u"Comma-separated history sizes (default 200000,1000000)."_s, u"list"_s},
        {u"quick"_s, u"Only 200,000 orders, 5 runs per action."_s},
        {u"runs"_s, u"Measured runs per action, median reported (default 7, 1..50)."_s, u"n"_s},
        {u"dir"_s, u"Keep generated databases in DIR and reuse them (history-N.sqlite)."_s,
         u"dir"_s},
        {u"max-seconds"_s, u"Bound on the whole run (default 600)."_s, u"s"_s},
    });
    parser.process(app);
    QDeadlineTimer deadline(qint64(parser.value(u"max-seconds"_s).toInt() > 0
                                       ? parser.value(u"max-seconds"_s).toInt()
                                       : 600) *
                            1000);
    QList<qint64> sizes{200000, 1000000};
    Bench bench;
    bench.cliPath = QStringLiteral(SAFETILL_CLI_PATH);
    if (parser.isSet(u"quick"_s)) {
        sizes = {200000};
        bench.runs = 5;
    }
    if (parser.isSet(u"orders"_s)) {
        sizes.clear();
        for (const QString &part : parser.value(u"orders"_s).split(u',')) {
            bool ok = false;
            const qint64 n = part.trimmed().toLongLong(&ok);
            if (!ok || n < 1 || n > 5000000) {
                QTextStream(stderr) << "--orders: whole numbers from 1 to 5000000\n";
                return 2;
            }
            sizes << n;
        }
    }
    if (parser.isSet(u"runs"_s))
        bench.runs = std::clamp(parser.value(u"runs"_s).toInt(), 1, 50);

    QTemporaryDir temp;
    const QString keepDir = parser.value(u"dir"_s);
    const QString dir = keepDir.isEmpty() ? temp.path() : keepDir;
    QDir().mkpath(dir);
    QString error;
    const auto fail = [&](const QString &what) {
        QTextStream(stderr) << "safetill-bench-history: " << what << ": " << error << '\n';
        return 1;
    };

    // The baseline: demo data, no history.
    const QString emptyPath = dir + u"/empty.sqlite"_s;
    for (const QString &suffix : {u""_s, u"-wal"_s, u"-shm"_s})
        QFile::remove(emptyPath + suffix);
    {
        std::unique_ptr<Database> db = Database::open(DatabaseOptions{emptyPath}, &error);
        if (!db || !installDemoData(*db))
            return fail(u"empty database"_s);
    }
    std::map<QString, Table> tables; // "empty", "200000" ...
    std::map<QString, QString> sizeText;
    const auto measure = [&](const QString &key, const QString &path) {
        {
            // Untimed: migrate (a kept file may predate a migration) and warm the OS cache.
            std::unique_ptr<Database> db = Database::open(DatabaseOptions{path}, &error);
            if (!db)
                return false;
        }
        Table table;
        Measure cli;
        if (!bench.cliAdd(path, cli, &error) || !bench.inProcess(path, table, &error))
            return false;
        table[u"cli add"_s] = cli;
        tables[key] = table;
        sizeText[key] = u"%1 MiB"_s.arg(QFileInfo(path).size() / 1048576.0, 0, 'f', 1);
        return true;
    };
    out() << "safetill-bench-history: " << bench.runs << " runs per action, median; pages = "
          << "SQLite page-cache misses on a fresh connection\n";
    out().flush();
    if (!measure(u"empty"_s, emptyPath))
        return fail(u"measuring the empty database"_s);

    QStringList keys{u"empty"_s};
    // The table: each history size against the empty baseline; SUMMARY lines only once, at
    // the end (a partial table is printed after each size, so a long run shows progress).
    const auto printTable = [&](bool summary) {
        const Table &base = tables[u"empty"_s];
        static const QStringList actions{u"cli add"_s,  u"open"_s,    u"add"_s,
                                         u"complete"_s, u"refresh"_s, u"login list"_s,
                                         u"logout"_s,   u"resume"_s,  u"pending ops"_s};
        out() << "\n"
              << QString(u"%1"_s).arg(u"action"_s, -12) << QString(u"%1"_s).arg(u"empty"_s, 18);
        for (qsizetype k = 1; k < keys.size(); ++k)
            out() << QString(u"%1"_s).arg(keys.at(k) + u" orders"_s, 34);
        out() << "\n";
        int failures = 0;
        for (const QString &action : actions) {
            const Measure &b = base.at(action);
            QString line = QString(u"%1"_s).arg(action, -12);
            line += b.pages >= 0 ? u"%1 ms %2 pg"_s.arg(b.ms, 7, 'f', 2).arg(b.pages, 5, 'f', 0)
                                 : u"%1 ms         "_s.arg(b.ms, 7, 'f', 2);
            for (qsizetype k = 1; k < keys.size(); ++k) {
                const Measure &m = tables[keys.at(k)].at(action);
                const QString msVerdict = verdict(m.ms, b.ms, 0.05);
                line += u"   %1 ms %2"_s.arg(m.ms, 7, 'f', 2).arg(msVerdict, 4);
                if (m.pages >= 0) {
                    const QString pageVerdict = verdict(m.pages, b.pages, 2);
                    line += u" %1 pg %2"_s.arg(m.pages, 6, 'f', 0).arg(pageVerdict, 4);
                    failures += pageVerdict == u"FAIL"_s;
                    out().flush();
                    if (summary)
                        std::printf(
                            "SUMMARY|safetill-bench-history|%s pages, %s orders|%.0f (empty %.0f)|"
                            "within 10%%|%s\n",
                            qPrintable(action), qPrintable(keys.at(k)), m.pages, b.pages,
                            qPrintable(pageVerdict));
                } else {
                    line += u"              "_s;
                }
                failures += msVerdict == u"FAIL"_s;
                out().flush();
                if (summary)
                    std::printf(
                        "SUMMARY|safetill-bench-history|%s ms, %s orders|%.2f ms (empty %.2f)|"
                        "within 10%%|%s\n",
                        qPrintable(action), qPrintable(keys.at(k)), m.ms, b.ms,
                        qPrintable(msVerdict));
                std::fflush(stdout);
            }
            out() << line << "\n";
        }
        out() << "\nfile sizes:";
        for (const QString &key : std::as_const(keys))
            out() << ' ' << key << ' ' << sizeText[key] << ';';
        out() << "\nPASS: within 10 % of the empty database (ms: +0.05 ms, pages: +2 pages of "
                 "slack for noise). "
              << failures << " FAIL\n";
    };
    for (const qint64 n : std::as_const(sizes)) {
        const QString path = dir + u"/history-%1.sqlite"_s.arg(n);
        if (keepDir.isEmpty() || !QFileInfo::exists(path)) {
            for (const QString &suffix : {u""_s, u"-wal"_s, u"-shm"_s})
                QFile::remove(path + suffix);
            if (!QFile::copy(emptyPath, path))
                return fail(u"copying the empty database"_s);
            QElapsedTimer timer;
            timer.start();
            if (!Generator(path).run(n, deadline, &error))
                return fail(u"generating %1 orders"_s.arg(n));
            out() << "generated " << n << " orders in " << timer.elapsed() / 1000.0 << " s, "
                  << QFileInfo(path).size() / 1048576 << " MiB\n";
            out().flush();
        } else {
            out() << "reusing " << path << '\n';
        }
        if (deadline.hasExpired()) {
            error = u"time bound reached"_s;
            return fail(u"before measuring %1 orders"_s.arg(n));
        }
        if (!measure(QString::number(n), path))
            return fail(u"measuring %1 orders"_s.arg(n));
        keys << QString::number(n);
        if (n != sizes.constLast())
            printTable(false);
        if (keepDir.isEmpty()) {
            for (const QString &suffix : {u""_s, u"-wal"_s, u"-shm"_s})
                QFile::remove(path + suffix);
        }
    }

    printTable(true);
    return 0;
}
