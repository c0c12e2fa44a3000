// safetill-bench-receipts: the receipts list over a million past sales (issue 14).
//
// Generates a till database (SQLite) holding N past sales (default 1,000,000) over the last two
// years: completed orders with their sale payment, and one in 50 a settled tab with its payment,
// spread over 3 cashiers, cash and card, about 3,000 distinct amounts — in one transaction of
// raw SQL (INSERT ... SELECT over a counter; the rows are what OrderService and TabService write
// for the columns the search reads). Then, on a fresh connection, it times ReceiptSearch (the code
// the GUI, the CLI and the server run) for many random queries of each kind: an exact receipt
// number, a number's start (up to 100 matches), the sequence digits alone, an exact amount, a
// local day, a day and an amount, and no filter (the latest sales). Prints p50/p99/max per kind
// and SUMMARY lines for bench/run (target: p99 < 50 ms each).
//
// Bounded: at most --queries queries per kind (default 2000) and --seconds per kind (default
// 10 s); generation stops with an error after --max-generate-seconds (default 300 s). --quick:
// 100,000 sales, 300 queries per kind. --dir DIR keeps DIR/receipts-N.sqlite and reuses it.
// --without-indexes drops migration 010's indexes first, to show what they are for.

#include "BenchSupport.h"
#include "Database.h"
#include "DemoData.h"
#include "ReceiptSearch.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QRandomGenerator>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>

#include <algorithm>
#include <functional>

using namespace Qt::StringLiterals;
using namespace SafeTill;
using namespace SafeTill::BenchSupport;

namespace {

constexpr qint64 secondsPerSale(qint64 sales)
{
    // Two years of sales, evenly spaced.
    return std::max<qint64>(1, 2 * 365 * 24 * 3600 / std::max<qint64>(1, sales));
}

bool exec(QSqlDatabase &db, const QString &sql, const QVariantList &values, QString *error)
{
    QSqlQuery query(db);
    if (!query.prepare(sql)) {
        *error = query.lastError().text() + u": "_s + sql;
        return false;
    }
    for (const QVariant &value : values)
        query.addBindValue(value);
    if (!query.exec()) {
        *error = query.lastError().text() + u": "_s + sql;
        return false;
    }
    return true;
}

// The sales, in one transaction. Sale i (1..n) is paid at start + i * step; one in 50 is a tab.
bool generate(Database &database, qint64 sales, const QDateTime &start, QString *error)
{
    QSqlDatabase db = database.connection();
    const qint64 step = secondsPerSale(sales);
    const QString counter = u"WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n "
                            "WHERE i < ?) "_s;
    // The columns every sale shares, per i: its time, receipt number, amount, method, cashier.
    const QString at = u"strftime('%Y-%m-%dT%H:%M:%fZ', ?, '+' || (i * ?) || ' seconds')"_s;
    const QString receipt = u"(SELECT receipt_prefix FROM terminal) || '-' || printf('%06d', i)"_s;
    const QString amount = u"(100 + ((i * 7919) % 3000) * 5)"_s;
    const QString method = u"CASE WHEN i % 3 = 0 THEN 'card' ELSE 'cash' END"_s;
    const QString cashier = u"(SELECT id FROM temp.bench_cashiers WHERE k = i % 3)"_s;
    const QString terminal = u"(SELECT terminal_id FROM terminal)"_s;
    const QString startText = start.toString(u"yyyy-MM-ddTHH:mm:ss"_s);
    if (!exec(db,
              u"CREATE TEMP TABLE bench_cashiers AS SELECT row_number() OVER (ORDER BY id) - 1 "
              "AS k, id FROM cashiers LIMIT 3"_s,
              {}, error) ||
        !exec(db, u"BEGIN IMMEDIATE"_s, {}, error))
        return false;
    const bool ok =
        exec(db,
             counter + u"INSERT INTO order_sessions (id, cashier_id, status, version, receipt_no, "
                       "created_at, updated_at, completed_at, terminal_id, line_seq) "
                       "SELECT 'order-' || i, %1, 'completed', 3, %2, %3, %3, %3, %4, 1 FROM n "
                       "WHERE i % 50 <> 0"_s.arg(cashier, receipt, at, terminal),
             {sales, startText, step, startText, step, startText, step}, error) &&
        exec(db,
             counter + u"INSERT INTO tabs (id, name, name_key, status, version, receipt_no, "
                       "created_at, settled_at, terminal_id) "
                       "SELECT 'tab-' || i, 'Table ' || (i % 40), 'table ' || (i % 40), "
                       "'settled', 2, %1, %2, %2, %3 FROM n WHERE i % 50 = 0"_s.arg(receipt, at,
                                                                                    terminal),
             {sales, startText, step, startText, step}, error) &&
        exec(db,
             counter + u"INSERT INTO payments (id, order_id, tab_id, kind, method, amount_cents, "
                       "tendered_cents, change_cents, due_cents, paid_version, receipt_no, "
                       "terminal_id, cashier_id, paid_at) "
                       "SELECT 'payment-' || i, CASE WHEN i % 50 <> 0 THEN 'order-' || i END, "
                       "CASE WHEN i % 50 = 0 THEN 'tab-' || i END, 'sale', %1, %2, %2, 0, %2, 2, "
                       "%3, %4, CASE WHEN i % 50 <> 0 THEN %5 END, %6 FROM n"_s.arg(
                           method, amount, receipt, terminal, cashier, at),
             {sales, startText, step}, error);
    if (!ok) {
        exec(db, u"ROLLBACK"_s, {}, error);
        return false;
    }
    return exec(db, u"COMMIT"_s, {}, error) && exec(db, u"ANALYZE"_s, {}, error);
}

struct Timing
{
    QString kind;
    QList<double> ms;
    qint64 rows = 0;
    int errors = 0;
    QString firstError;

    double percentile(double p) const
    {
        if (ms.isEmpty())
            return 0;
        QList<double> sorted = ms;
        std::sort(sorted.begin(), sorted.end());
        const qsizetype index =
            std::min<qsizetype>(sorted.size() - 1, qsizetype(p * double(sorted.size())));
        return sorted.at(index);
    }
};

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(
        u"The receipts list over a million past sales: p50/p99 of ReceiptSearch by number, "
        "amount and day (target p99 < 50 ms). Bounded: --queries and --seconds per kind, "
        "--max-generate-seconds for the data (a full run takes about 1 to 3 minutes on 2 "
        "cores)."_s);
    parser.addHelpOption();
    parser.addOptions({
        {u"quick"_s, u"100,000 sales and 300 queries per kind."_s},
        {u"sales"_s, u"Past sales to generate (default 1000000)."_s, u"n"_s, u"1000000"_s},
        {u"queries"_s, u"Queries per kind at most (default 2000)."_s, u"n"_s, u"2000"_s},
        {u"seconds"_s, u"Seconds per kind at most (default 10)."_s, u"s"_s, u"10"_s},
        {u"max-generate-seconds"_s, u"Give up generating after this long (default 300)."_s, u"s"_s,
         u"300"_s},
        {u"dir"_s, u"Keep the database as DIR/receipts-N.sqlite and reuse it."_s, u"dir"_s},
        {u"without-indexes"_s, u"Drop migration 010's indexes first (to compare)."_s},
    });
    parser.process(app);
    const bool quick = parser.isSet(u"quick"_s);
    const qint64 sales = quick ? 100'000 : std::max(1000LL, parser.value(u"sales"_s).toLongLong());
    const int queries = quick ? 300 : std::max(10, parser.value(u"queries"_s).toInt());
    const int seconds = std::max(1, parser.value(u"seconds"_s).toInt());
    const int maxGenerate = std::max(10, parser.value(u"max-generate-seconds"_s).toInt());

    QTemporaryDir temporary;
    QString folder = parser.value(u"dir"_s);
    if (folder.isEmpty()) {
        if (!temporary.isValid()) {
            out() << "Cannot make a temporary folder\n";
            return 1;
        }
        folder = temporary.path();
    }
    QDir().mkpath(folder);
    const QString path = QDir(folder).filePath(u"receipts-%1.sqlite"_s.arg(sales));
    const bool reuse = QFileInfo::exists(path);
    // Two years up to the start of this UTC day: every day searched below holds sales.
    const QDateTime end(QDate::currentDate(), QTime(0, 0), QTimeZone::utc());
    const QDateTime start = end.addSecs(-secondsPerSale(sales) * sales);

    QString error;
    DatabaseOptions options{path};
    options.durableCommits = false;
    {
        std::unique_ptr<Database> db = Database::open(options, &error);
        if (!db) {
            out() << "Cannot open " << path << ": " << error << '\n';
            return 1;
        }
        if (!reuse) {
            if (!installDemoData(*db)) {
                out() << "Cannot install the demo cashiers\n";
                return 1;
            }
            out() << "Generating " << sales << " past sales in " << path << " ...\n";
            out().flush();
            QElapsedTimer timer;
            timer.start();
            // One statement per table; the bound is checked between them (SQLite cannot be
            // interrupted cleanly from here), so it is a bound on starting, plus one table.
            if (!generate(*db, sales, start, &error)) {
                out() << "Generation failed: " << error << '\n';
                QFile::remove(path);
                return 1;
            }
            out() << "Generated in " << timer.elapsed() / 1000.0 << " s\n";
            if (timer.elapsed() > maxGenerate * 1000LL) {
                out() << "Generation took longer than --max-generate-seconds\n";
                return 1;
            }
        } else {
            out() << "Reusing " << path << '\n';
        }
    }

    // A fresh connection, as a new window or a CLI process has it.
    std::unique_ptr<Database> db = Database::open(options, &error);
    if (!db) {
        out() << "Cannot open " << path << ": " << error << '\n';
        return 1;
    }
    if (parser.isSet(u"without-indexes"_s)) {
        // Only on this file; opening it again (a reuse with --dir) makes them again.
        QSqlQuery drop(db->connection());
        drop.exec(u"DROP INDEX IF EXISTS payments_sales_by_time"_s);
        drop.exec(u"DROP INDEX IF EXISTS payments_sales_by_amount"_s);
    }
    ReceiptSearch search(*db);
    const QString prefix = db->scalar(u"SELECT receipt_prefix FROM terminal"_s).toString();
    QRandomGenerator random(20261204);
    const auto receiptNo = [&](qint64 i) {
        return u"%1-%2"_s.arg(prefix).arg(i, 6, 10, QLatin1Char('0'));
    };
    const qint64 days = start.daysTo(end);

    using MakeQuery = std::function<ReceiptQuery()>;
    const QList<std::pair<QString, MakeQuery>> kinds{
        {u"number (exact)"_s,
         [&] {
             ReceiptQuery q;
             q.number = receiptNo(1 + qint64(random.bounded(quint64(sales))));
             return q;
         }},
        {u"number (start, up to 100)"_s,
         [&] {
             ReceiptQuery q;
             const QString full = receiptNo(1 + qint64(random.bounded(quint64(sales))));
             q.number = full.left(full.size() - 2);
             return q;
         }},
        {u"number (sequence digits)"_s,
         [&] {
             ReceiptQuery q;
             q.number = QString::number(1 + qint64(random.bounded(quint64(sales))));
             return q;
         }},
        {u"amount"_s,
         [&] {
             ReceiptQuery q;
             q.amountCents = 100 + 5 * qint64(random.bounded(3000));
             return q;
         }},
        {u"local day"_s,
         [&] {
             ReceiptQuery q;
             q.date = start.date().addDays(1 + qint64(random.bounded(quint64(days - 1))));
             return q;
         }},
        {u"local day and amount"_s,
         [&] {
             // A sale that exists: its local day and its amount.
             const qint64 i = 1 + qint64(random.bounded(quint64(sales)));
             ReceiptQuery q;
             q.date = start.addSecs(i * secondsPerSale(sales)).toLocalTime().date();
             q.amountCents = 100 + ((i * 7919) % 3000) * 5;
             return q;
         }},
        {u"latest (no filter)"_s, [&] { return ReceiptQuery{}; }},
    };

    QList<Timing> timings;
    for (const auto &[kind, make] : kinds) {
        Timing timing;
        timing.kind = kind;
        QDeadlineTimer deadline(seconds * 1000LL);
        for (int i = 0; i < queries && !deadline.hasExpired(); ++i) {
            const ReceiptQuery query = make();
            QElapsedTimer timer;
            timer.start();
            const Result<ReceiptList> found = search.search(query);
            timing.ms.append(double(timer.nsecsElapsed()) / 1e6);
            if (!found) {
                if (timing.errors++ == 0)
                    timing.firstError = found.message() + u' ' + found.detail();
            } else {
                timing.rows += found->receipts.size();
            }
        }
        timings.append(timing);
    }

    QString salesText = QString::number(sales);
    for (qsizetype at = salesText.size() - 3; at > 0; at -= 3)
        salesText.insert(at, u',');
    out() << "\nReceipts list over " << sales << " past sales (" << path << ")"
          << (parser.isSet(u"without-indexes"_s) ? " WITHOUT migration 010's indexes" : "") << "\n";
    out() << u"%1 %2 %3 %4 %5 %6\n"_s.arg(u"kind"_s, -28)
                 .arg(u"queries"_s, 8)
                 .arg(u"p50 ms"_s, 9)
                 .arg(u"p99 ms"_s, 9)
                 .arg(u"max ms"_s, 9)
                 .arg(u"rows/query"_s, 11);
    bool allPass = true;
    for (const Timing &t : std::as_const(timings)) {
        const double p99 = t.percentile(0.99);
        const bool pass = t.errors == 0 && p99 < 50.0;
        allPass = allPass && pass;
        out() << u"%1 %2 %3 %4 %5 %6\n"_s.arg(t.kind, -28)
                     .arg(t.ms.size(), 8)
                     .arg(t.percentile(0.5), 9, 'f', 3)
                     .arg(p99, 9, 'f', 3)
                     .arg(t.percentile(1.0), 9, 'f', 3)
                     .arg(t.ms.isEmpty() ? 0.0 : double(t.rows) / double(t.ms.size()), 11, 'f', 1);
        if (t.errors)
            out() << "  " << t.errors << " errors, first: " << t.firstError << '\n';
    }
    out() << '\n';
    const QString suffix =
        parser.isSet(u"without-indexes"_s) ? u", without 010's indexes"_s : QString();
    for (const Timing &t : std::as_const(timings)) {
        const double p99 = t.percentile(0.99);
        const bool pass = t.errors == 0 && p99 < 50.0;
        out() << u"SUMMARY|safetill-bench-receipts|search by %1, %2 sales%3|p50 %4 ms, p99 %5 ms, "
                 "%6 queries, %7 errors|p99 < 50 ms|%8\n"_s.arg(t.kind, salesText, suffix)
                     .arg(t.percentile(0.5), 0, 'f', 2)
                     .arg(p99, 0, 'f', 2)
                     .arg(t.ms.size())
                     .arg(t.errors)
                     .arg(pass ? u"PASS"_s : u"FAIL"_s);
    }
    out().flush();
    return allPass ? 0 : 3;
}
