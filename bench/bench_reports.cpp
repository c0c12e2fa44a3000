// safetill-bench-reports: the X and Z reports of a shift of 20,000 sales (issue 15).
//
// Generates, in one transaction of plain INSERTs (the rows OrderService and TabService write for
// the columns the report reads), a shift holding N sales (default 20,000): orders of 1 to 3 lines
// on two tax rates and untaxed, a line discount on one in 5, an order discount on one in 10,
// tax-exclusive prices on one in 13, one in 50 a tab of two orders, one in 20 paid in two tenders
// (card, then cash), the rest cash or card; and a few pay-ins and pay-outs. Then it times
// ShiftService::xReport() (--x-runs times) and closes the shift with ShiftService::close() (the Z:
// the same computation plus the close, in one write transaction). --rounds R repeats it with a new
// shift each time (the older shifts' sales stay in the database), so the Z of the last shift
// shows that a report reads its own shift only. Checks each Z against the payments it should
// hold and prints p50/max per kind and SUMMARY lines for bench/run (target: < 200 ms each).
//
// SQLite always; PostgreSQL too with --pg URL (default: SAFETILL_TEST_PG_URL), in a schema of
// its own that is dropped at the end. Bounded: generation gives up after --max-generate-seconds
// (default 120 s) per round; --quick: 5,000 sales, 1 round.
//
// Then the server's day report (issue 15, server/ReportApi.h) over --day-tills tills (default 100)
// of --day-sales sales each (default 20,000), on a database of its own: each till's sales are
// generated with one INSERT ... SELECT per table (a series of numbers), its shift closed with the Z
// report ShiftService computes (the till's work, not timed), stored as a synced close; then
// ReportApi::dayReport() is timed (--day-runs times, target < 2 s) and its shop total checked
// against what was generated. --skip-day-report leaves it out. On PostgreSQL generating 2,000,000
// sales takes minutes (about 6 on a loaded 2-core machine), so there the default is 10 tills of
// 20,000 sales; --day-pg-full runs the full 100 x 20,000 there too.

#include "BenchSupport.h"
#include "Database.h"
#include "DemoData.h"
#include "ReportApi.h"
#include "Services.h"
#include "ShiftService.h"
#include "ShiftStore.h"
#include "Tax.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QDir>
#include <QElapsedTimer>
#include <QTemporaryDir>
#include <QUrl>
#include <QUrlQuery>

#include <algorithm>

#include <ctime>

using namespace Qt::StringLiterals;
using namespace SafeTill;
using namespace SafeTill::BenchSupport;

namespace {

struct Settings
{
    qint64 sales = 20000;
    int rounds = 3;
    int xRuns = 10;
    int maxGenerateSeconds = 120;
    double targetMs = 200;
    QString pgUrl;
    bool dayReport = true;
    int dayTills = 100;
    qint64 daySales = 20000;
    int dayRuns = 5;
    int dayPgTills = 10; // PostgreSQL's default (--day-pg-full: dayTills)
    double dayTargetMs = 2000;
};

// A throw-away database: a SQLite file in a temporary folder, or a schema of its own on the
// PostgreSQL server (dropped at the end).
class BenchDatabase
{
public:
    ~BenchDatabase() { drop(); }

    bool create(const QString &pgUrl, QString *error)
    {
        if (pgUrl.isEmpty()) {
            m_dir = std::make_unique<QTemporaryDir>(QDir::tempPath() +
                                                    u"/safetill-bench-reports-XXXXXX"_s);
            m_dir->setAutoRemove(!qEnvironmentVariableIsSet("SAFETILL_BENCH_KEEP"));
            m_location = m_dir->filePath(u"till.sqlite"_s);
        } else {
            m_adminUrl = pgUrl;
            m_schema = u"bench_"_s + QUuid::createUuid().toString(QUuid::Id128).left(16);
            if (!adminExec(u"CREATE SCHEMA %1"_s.arg(m_schema), error))
                return false;
            QUrl url(pgUrl);
            QUrlQuery query(url);
            query.addQueryItem(u"options"_s, u"-csearch_path%3D"_s + m_schema);
            url.setQuery(query);
            m_location = url.toString();
        }
        DatabaseOptions options{m_location};
        options.durableCommits = false;
        m_db = Database::open(options, error);
        if (!m_db)
            return false;
        const Result<DemoInstall> demo = installDemoData(*m_db);
        if (!demo) {
            *error = demo.message();
            return false;
        }
        return true;
    }

    void drop()
    {
        m_db.reset();
        if (!m_schema.isEmpty() && qEnvironmentVariableIsSet("SAFETILL_BENCH_KEEP")) {
            out() << "kept schema " << m_schema << Qt::endl;
            m_schema.clear();
        }
        if (!m_schema.isEmpty()) {
            QString error;
            if (!adminExec(u"DROP SCHEMA %1 CASCADE"_s.arg(m_schema), &error))
                out() << "warning: could not drop schema " << m_schema << ": " << error << Qt::endl;
            m_schema.clear();
        }
    }

    Database &db() { return *m_db; }

private:
    bool adminExec(const QString &sql, QString *error)
    {
        const std::unique_ptr<Database> admin = Database::open(DatabaseOptions{m_adminUrl}, error);
        if (!admin)
            return false;
        try {
            admin->exec(sql);
            return true;
        } catch (const SqlFailure &failure) {
            *error = failure.describe();
            return false;
        }
    }

    std::unique_ptr<QTemporaryDir> m_dir;
    QString m_adminUrl;
    QString m_schema;
    QString m_location;
    std::unique_ptr<Database> m_db;
};

// What the generator booked, to check the Z against.
struct Booked
{
    qint64 receipts = 0;
    Cents payments = 0;
    Cents gross = 0;
};

struct Generated
{
    bool ok = false;
    QString error;
    Booked booked;
};

// Text that is never SQL NULL (an empty QString() would bind as NULL).
QString text(const QString &value)
{
    return value.isNull() ? u""_s : value;
}

// One order's rows (and its total, as its receipt shows it).
Cents insertOrder(Database &db, const QString &orderId, qint64 i, const QString &cashierId,
                  const QString &terminalId, const QString &tabId, const QString &at)
{
    QList<OrderLine> lines;
    const int lineCount = 1 + int(i % 3);
    const bool included = i % 13 != 0;
    for (int l = 0; l < lineCount; ++l) {
        OrderLine line;
        line.lineNo = l + 1;
        line.lineId = orderId + u"-"_s + QString::number(l + 1);
        line.priceIncludesTax = included;
        if (l == 0) {
            line.sku = u"COF-ESP"_s;
            line.name = u"Espresso"_s;
            line.unitPriceCents = 1000 + (i % 7) * 35;
            line.quantity = 1 + int(i % 2);
            line.taxCode = u"STD"_s;
            line.taxRateBp = 2000;
            if (i % 5 == 0)
                line.discount = Discount{DiscountKind::Percent, 1000, u"promo"_s, cashierId};
        } else if (l == 1) {
            line.sku = u"BAK-CRO"_s;
            line.name = u"Croissant"_s;
            line.unitPriceCents = 333;
            line.quantity = 1;
            line.taxCode = u"RED"_s;
            line.taxRateBp = 550;
        } else {
            line.name = u"Gift wrap"_s;
            line.unitPriceCents = 250;
            line.quantity = 1;
        }
        lines.append(line);
    }
    const Discount discount =
        i % 10 == 0 ? Discount{DiscountKind::Amount, 50, u"sorry"_s, cashierId} : Discount{};
    const Cents total = taxTable(lines, discount).totalCents;
    db.exec(u"INSERT INTO order_sessions (id, cashier_id, status, version, tab_id, created_at, "
            "updated_at, completed_at, terminal_id, line_seq, discount_kind, discount_value, "
            "paid_cents) VALUES (?, ?, 'completed', 3, ?, ?, ?, ?, ?, ?, ?, ?, ?)"_s,
            {orderId, cashierId, nullIfEmpty(tabId), at, at, at, terminalId, lineCount,
             text(toString(discount.kind)), discount.value, tabId.isEmpty() ? total : Cents(0)});
    for (const OrderLine &line : lines) {
        db.exec(u"INSERT INTO order_lines (order_id, line_no, line_id, sku, name, "
                "unit_price_cents, quantity, tax_code, tax_rate_bp, price_includes_tax, "
                "discount_kind, discount_value) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"_s,
                {orderId, line.lineNo, line.lineId, nullIfEmpty(line.sku), line.name,
                 line.unitPriceCents, line.quantity, text(line.taxCode), line.taxRateBp,
                 line.priceIncludesTax ? 1 : 0, text(toString(line.discount.kind)),
                 line.discount.value});
    }
    return total;
}

void insertPayment(Database &db, const QString &id, const QString &orderId, const QString &tabId,
                   const QString &method, Cents amount, Cents due, const QString &receiptNo,
                   const QString &terminalId, const QString &cashierId, const QString &at,
                   const QString &shiftId)
{
    const Cents tendered = method == u"cash"_s ? (amount + 99) / 100 * 100 : amount;
    db.exec(u"INSERT INTO payments (id, order_id, tab_id, kind, method, amount_cents, "
            "tendered_cents, change_cents, due_cents, paid_version, receipt_no, terminal_id, "
            "cashier_id, paid_at, shift_id) VALUES (?, ?, ?, 'sale', ?, ?, ?, ?, ?, 3, ?, ?, ?, ?, "
            "?)"_s,
            {id, nullIfEmpty(orderId), nullIfEmpty(tabId), method, amount, tendered,
             tendered - amount, due, nullIfEmpty(receiptNo), terminalId, nullIfEmpty(cashierId), at,
             shiftId});
}

// N sales in the till's open shift, in one write transaction.
Generated generate(Services &services, qint64 sales, int round, int maxSeconds)
{
    Generated generated;
    Database &db = services.database();
    const QDeadlineTimer deadline(qint64(maxSeconds) * 1000);
    const QString cashierId = services.cashiers().find(u"Alice"_s)->id;
    const Result<Shift> shift = services.shifts().open(u"Alice"_s, 20000, newId());
    if (!shift) {
        generated.error = shift.message();
        return generated;
    }
    struct Done
    {
        Outcome outcome = Outcome::Ok;
        bool shouldCommit() const { return outcome == Outcome::Ok; }
        static Done busy() { return {Outcome::Busy}; }
        static Done databaseError(const SqlFailure &failure)
        {
            qWarning().noquote() << failure.describe();
            return {Outcome::Error};
        }
    };
    Booked booked;
    bool timedOut = false;
    const Done done = db.write([&]() -> Done {
        booked = {};
        const QString terminalId =
            db.scalar(u"SELECT terminal_id FROM terminal WHERE id = 1"_s).toString();
        const QString at = toStorageTime(QDateTime::currentDateTimeUtc());
        for (qint64 i = 0; i < sales; ++i) {
            if (i % 1000 == 0 && deadline.hasExpired()) {
                timedOut = true;
                return {Outcome::Error};
            }
            const QString key = u"r%1-%2"_s.arg(round).arg(i);
            const QString receiptNo = u"B%1-%2"_s.arg(round).arg(i, 6, 10, QLatin1Char('0'));
            QString orderId;
            QString tabId;
            Cents total = 0;
            if (i % 50 == 0) {
                tabId = u"tab-"_s + key;
                db.exec(
                    u"INSERT INTO tabs (id, name, name_key, status, version, receipt_no, "
                    "created_at, settled_at, terminal_id) VALUES (?, ?, ?, 'settled', 2, ?, "
                    "?, ?, ?)"_s,
                    {tabId, u"Table "_s + key, u"table "_s + key, receiptNo, at, at, terminalId});
                total = insertOrder(db, u"order-"_s + key + u"a"_s, i, cashierId, terminalId, tabId,
                                    at) +
                        insertOrder(db, u"order-"_s + key + u"b"_s, i + 1, cashierId, terminalId,
                                    tabId, at);
            } else {
                orderId = u"order-"_s + key;
                total = insertOrder(db, orderId, i, cashierId, terminalId, {}, at);
                db.exec(u"UPDATE order_sessions SET receipt_no = ? WHERE id = ?"_s,
                        {receiptNo, orderId});
            }
            const QString cashier = tabId.isEmpty() ? cashierId : QString();
            if (i % 20 == 5 && total > 1) {
                insertPayment(db, u"pay-"_s + key + u"a"_s, orderId, tabId, u"card"_s, total / 2,
                              total, {}, terminalId, cashier, at, shift->id);
                insertPayment(db, u"pay-"_s + key + u"b"_s, orderId, tabId, u"cash"_s,
                              total - total / 2, total, receiptNo, terminalId, cashier, at,
                              shift->id);
            } else {
                insertPayment(db, u"pay-"_s + key, orderId, tabId,
                              i % 3 == 0 ? u"card"_s : u"cash"_s, total, total, receiptNo,
                              terminalId, cashier, at, shift->id);
            }
            ++booked.receipts;
            booked.payments += total;
            booked.gross += total;
        }
        return {};
    });
    if (timedOut) {
        generated.error = u"generation took more than %1 s"_s.arg(maxSeconds);
        return generated;
    }
    if (!done.shouldCommit()) {
        generated.error = u"generation failed"_s;
        return generated;
    }
    // Statistics, as the database's own maintenance (PostgreSQL's autovacuum) keeps them.
    try {
        db.exec(u"ANALYZE"_s);
    } catch (const SqlFailure &failure) {
        generated.error = failure.describe();
        return generated;
    }
    for (int k = 0; k < 5; ++k) {
        if (!services.shifts().payIn(u"Alice"_s, 1000, u"change"_s, newId()) ||
            !services.shifts().payOut(u"Bob"_s, 400, u"supplies"_s, newId())) {
            generated.error = u"pay-in or pay-out refused"_s;
            return generated;
        }
    }
    generated.booked = booked;
    generated.ok = true;
    return generated;
}

// This thread's CPU time in ms: on a shared machine the wall time includes waiting for a core.
double cpuMs()
{
    timespec now{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
    return double(now.tv_sec) * 1e3 + double(now.tv_nsec) / 1e6;
}

double percentile(QList<double> values, double p)
{
    if (values.isEmpty())
        return 0;
    std::sort(values.begin(), values.end());
    return values.at(std::min<qsizetype>(values.size() - 1, qsizetype(p * double(values.size()))));
}

// One database: generate, time X and Z. Returns false when something failed.
bool run(const Settings &settings, const QString &backend, const QString &pgUrl)
{
    BenchDatabase database;
    QString error;
    if (!database.create(pgUrl, &error)) {
        out() << backend << ": cannot create the database: " << error << Qt::endl;
        return false;
    }
    Services services(database.db(), SyncSide::Terminal);
    if (!services.catalog().addTaxRate({u"STD"_s, u"Standard"_s, 2000}) ||
        !services.catalog().addTaxRate({u"RED"_s, u"Reduced"_s, 550})) {
        out() << backend << ": cannot add the tax rates" << Qt::endl;
        return false;
    }
    QList<double> xMs;
    QList<double> zMs;
    QList<double> xCpuMs;
    QList<double> zCpuMs;
    QList<double> reprintMs;
    bool ok = true;
    for (int round = 1; round <= settings.rounds; ++round) {
        QElapsedTimer timer;
        timer.start();
        const Generated generated =
            generate(services, settings.sales, round, settings.maxGenerateSeconds);
        if (!generated.ok) {
            out() << backend << ": " << generated.error << Qt::endl;
            return false;
        }
        out() << backend << " round " << round << ": " << settings.sales << " sales generated in "
              << timer.elapsed() << " ms" << Qt::endl;
        Result<ZReport> x = Result<ZReport>::busy();
        for (int run = 0; run < settings.xRuns; ++run) {
            timer.restart();
            const double cpu = cpuMs();
            x = services.shifts().xReport();
            xCpuMs << cpuMs() - cpu;
            xMs << double(timer.nsecsElapsed()) / 1e6;
            if (!x) {
                out() << backend << ": X report failed: " << x.message() << Qt::endl;
                return false;
            }
        }
        timer.restart();
        const double cpu = cpuMs();
        const Result<ZReport> z = services.shifts().close(u"Bob"_s, 0, std::nullopt, newId());
        zCpuMs << cpuMs() - cpu;
        zMs << double(timer.nsecsElapsed()) / 1e6;
        if (!z) {
            out() << backend << ": Z report failed: " << z.message() << Qt::endl;
            return false;
        }
        for (int run = 0; run < 5; ++run) {
            timer.restart();
            const Result<ZReport> reprint = services.shifts().zReport(z->number);
            reprintMs << double(timer.nsecsElapsed()) / 1e6;
            ok = ok && reprint && reprint->toStoredJson() == z->toStoredJson();
        }
        Cents paid = 0;
        for (const ZReport::Payments &entry : z->payments)
            paid += entry.cents;
        const bool right =
            z->receipts == generated.booked.receipts && paid == generated.booked.payments &&
            z->grossCents == generated.booked.gross && z->netCents + z->taxCents == z->grossCents &&
            z->grossCents == x->grossCents && z->number == round;
        out() << backend << " Z " << z->number << ": " << z->receipts << " receipts, gross "
              << z->grossCents << ", net " << z->netCents << ", tax " << z->taxCents
              << ", discounts " << z->discountsCents() << ", expected cash " << z->expectedCents
              << (right ? " (checked)" : " WRONG: does not match what was booked") << Qt::endl;
        ok = ok && right;
    }
    const auto summary = [&](const QString &metric, const QList<double> &ms, bool withTarget) {
        const double p50 = percentile(ms, 0.5);
        const double max = *std::max_element(ms.cbegin(), ms.cend());
        out() << backend << " " << metric << ": p50 " << QString::number(p50, 'f', 1) << " ms, max "
              << QString::number(max, 'f', 1) << " ms (" << ms.size() << " runs)" << Qt::endl;
        out() << "SUMMARY|safetill-bench-reports|" << backend << " " << metric << " max, "
              << settings.sales << " sales|" << QString::number(max, 'f', 1) << " ms|"
              << (withTarget ? u"< %1 ms"_s.arg(settings.targetMs) : u"-"_s) << "|"
              << (withTarget ? (max < settings.targetMs ? "PASS" : "FAIL") : "-") << Qt::endl;
        return !withTarget || max < settings.targetMs;
    };
    const bool xFast = summary(u"X report"_s, xMs, true);
    const bool zFast = summary(u"Z report (close)"_s, zMs, true);
    summary(u"Z reprint"_s, reprintMs, false);
    // The process's own CPU time (on SQLite the whole computation; on PostgreSQL the client's
    // share): what the report costs where the machine is not shared.
    summary(u"X report CPU"_s, xCpuMs, false);
    summary(u"Z report (close) CPU"_s, zCpuMs, false);
    out() << "SUMMARY|safetill-bench-reports|" << backend << " Z reports match the sales|"
          << (ok ? "yes" : "no") << "|yes|" << (ok ? "PASS" : "FAIL") << Qt::endl;
    return ok && xFast && zFast;
}

// The day report: tills x sales generated straight into the database, each till's shift closed
// with its Z report, then ReportApi::dayReport() timed.
bool runDayReport(Settings settings, const QString &backend, const QString &pgUrl)
{
    if (!pgUrl.isEmpty())
        settings.dayTills = std::min(settings.dayTills, settings.dayPgTills);
    BenchDatabase database;
    QString error;
    if (!database.create(pgUrl, &error)) {
        out() << backend << ": cannot create the database: " << error << Qt::endl;
        return false;
    }
    Database &db = database.db();
    Services services(db, SyncSide::Server);
    if (!services.catalog().addTaxRate({u"STD"_s, u"Standard"_s, 2000})) {
        out() << backend << ": cannot add the tax rate" << Qt::endl;
        return false;
    }
    const QString cashierId = services.cashiers().find(u"Alice"_s)->id;
    const bool postgres = db.dialect() == SqlDialect::Postgres;
    // 0 .. n-1, as a table "seq(i)".
    const QString series =
        postgres ? u"SELECT generate_series(0, CAST(? AS INTEGER) - 1) AS i"_s
                 : u"WITH RECURSIVE seq(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM seq "
                   "WHERE i + 1 < CAST(? AS INTEGER)) SELECT i FROM seq"_s;
    const QDate day(2026, 12, 1);
    const QString openedAt = u"2026-12-01T08:00:00.000Z"_s;
    struct Done
    {
        Outcome outcome = Outcome::Ok;
        bool shouldCommit() const { return outcome == Outcome::Ok; }
        static Done busy() { return {Outcome::Busy}; }
        static Done databaseError(const SqlFailure &failure)
        {
            qWarning().noquote() << failure.describe();
            return {Outcome::Error};
        }
    };
    // Each sale: one line of 1 or 2 at 10.00 to 12.10 (tax included), paid by card (1 in 3) or
    // cash; its total is the payment.
    const QString unit = u"(1000 + (s.i % 7) * 35)"_s;
    const QString qty = u"(1 + s.i % 2)"_s;
    Cents generatedGross = 0;
    qint64 generatedReceipts = 0;
    QElapsedTimer timer;
    timer.start();
    const QDeadlineTimer deadline(qint64(settings.maxGenerateSeconds) * 1000);
    for (int t = 0; t < settings.dayTills; ++t) {
        if (deadline.hasExpired()) {
            out() << backend << ": day report generation took more than "
                  << settings.maxGenerateSeconds << " s" << Qt::endl;
            return false;
        }
        const QString till = u"bench-till-%1"_s.arg(t, 3, 10, QLatin1Char('0'));
        const QString prefix = u"d%1-"_s.arg(t);
        const QString shiftId = u"bench-shift-%1"_s.arg(t);
        const Done done = db.write([&]() -> Done {
            db.exec(u"INSERT INTO shifts (id, terminal_id, status, opened_by, opened_at, "
                    "float_cents, auto_opened) VALUES (?, ?, 'open', ?, ?, 10000, 0)"_s,
                    {shiftId, till, cashierId, openedAt});
            db.exec(u"INSERT INTO order_sessions (id, cashier_id, status, version, receipt_no, "
                    "created_at, updated_at, completed_at, terminal_id, line_seq, paid_cents) "
                    "SELECT ? || CAST(s.i AS TEXT), ?, 'completed', 3, ? || CAST(s.i AS TEXT), ?, "
                    "?, ?, ?, 1, "_s +
                        unit + u" * "_s + qty + u" FROM ("_s + series + u") s"_s,
                    {prefix, cashierId, u"R"_s + prefix, openedAt, openedAt, openedAt, till,
                     settings.daySales});
            db.exec(u"INSERT INTO order_lines (order_id, line_no, line_id, sku, name, "
                    "unit_price_cents, quantity, tax_code, tax_rate_bp, price_includes_tax) "
                    "SELECT ? || CAST(s.i AS TEXT), 1, ? || CAST(s.i AS TEXT), 'COF-ESP', "
                    "'Espresso', "_s +
                        unit + u", "_s + qty + u", 'STD', 2000, 1 FROM ("_s + series + u") s"_s,
                    {prefix, u"L"_s + prefix, settings.daySales});
            db.exec(u"INSERT INTO payments (id, order_id, kind, method, amount_cents, "
                    "tendered_cents, change_cents, due_cents, paid_version, receipt_no, "
                    "terminal_id, cashier_id, paid_at, shift_id) "
                    "SELECT ? || CAST(s.i AS TEXT), ? || CAST(s.i AS TEXT), 'sale', "
                    "CASE WHEN s.i % 3 = 0 THEN 'card' ELSE 'cash' END, "_s +
                        unit + u" * "_s + qty + u", "_s + unit + u" * "_s + qty + u", 0, "_s +
                        unit + u" * "_s + qty +
                        u", 2, ? || CAST(s.i AS TEXT), ?, ?, ?, ? FROM ("_s + series + u") s"_s,
                    {u"P"_s + prefix, prefix, u"R"_s + prefix, till, cashierId, openedAt, shiftId,
                     settings.daySales});
            return {};
        });
        if (!done.shouldCommit()) {
            out() << backend << ": generating till " << t << " failed" << Qt::endl;
            return false;
        }
        for (qint64 i = 0; i < settings.daySales; ++i)
            generatedGross += (1000 + (i % 7) * 35) * (1 + i % 2);
        generatedReceipts += settings.daySales;
    }
    try {
        db.exec(u"ANALYZE"_s);
    } catch (const SqlFailure &failure) {
        out() << backend << ": " << failure.describe() << Qt::endl;
        return false;
    }
    out() << backend << " day report: " << settings.dayTills << " tills x " << settings.daySales
          << " sales generated in " << timer.elapsed() << " ms" << Qt::endl;
    // Each till closes its shift: its Z report computed as the till does, stored as synced.
    timer.restart();
    for (int t = 0; t < settings.dayTills; ++t) {
        const QString shiftId = u"bench-shift-%1"_s.arg(t);
        const Done done = db.write([&]() -> Done {
            ShiftStore store(db);
            const std::optional<Shift> shift = store.shift(shiftId);
            if (!shift)
                return {Outcome::Error};
            const QDateTime closedAt = fromStorageTime(u"2026-12-01T20:00:00.000Z"_s).addSecs(t);
            ZReport z = ShiftService::compute(db, *shift, closedAt);
            z.number = 1;
            z.closedBy = u"Alice"_s;
            z.countedCents = z.expectedCents;
            ShiftStore::SyncedClose close;
            close.shift = *shift;
            close.shift.zNumber = 1;
            close.shift.closedAt = closedAt;
            close.closedBy = cashierId;
            close.expectedCents = z.expectedCents;
            close.countedCents = z.expectedCents;
            close.zReport = z.toStoredJson();
            return store.storeSyncedClose(close) ? Done{} : Done{Outcome::Error};
        });
        if (!done.shouldCommit()) {
            out() << backend << ": closing till " << t << "'s shift failed" << Qt::endl;
            return false;
        }
    }
    out() << backend << " day report: " << settings.dayTills << " Z reports computed in "
          << timer.elapsed() << " ms" << Qt::endl;

    QList<double> ms;
    QList<double> cpu;
    bool right = true;
    for (int run = 0; run < settings.dayRuns; ++run) {
        timer.restart();
        const double started = cpuMs();
        const Result<QJsonObject> report =
            ReportApi::dayReport(db, day, QDateTime::currentDateTimeUtc());
        cpu << cpuMs() - started;
        ms << double(timer.nsecsElapsed()) / 1e6;
        if (!report) {
            out() << backend << ": day report failed: " << report.message() << Qt::endl;
            return false;
        }
        const QJsonObject shop = report->value(u"shop"_s).toObject();
        const Cents gross = shop.value(u"sales"_s).toObject().value(u"grossCents"_s).toInteger();
        const qint64 receipts = shop.value(u"receipts"_s).toInteger();
        const bool checked = gross == generatedGross && receipts == generatedReceipts &&
                             report->value(u"tills"_s).toArray().size() == settings.dayTills;
        if (run == 0)
            out() << backend << " day report: " << report->value(u"tills"_s).toArray().size()
                  << " tills, " << receipts << " receipts, gross " << gross
                  << (checked ? " (checked)" : " WRONG: does not match what was generated")
                  << Qt::endl;
        right = right && checked;
    }
    const double max = *std::max_element(ms.cbegin(), ms.cend());
    const double p50 = percentile(ms, 0.5);
    out() << backend << " day report: p50 " << QString::number(p50, 'f', 1) << " ms, max "
          << QString::number(max, 'f', 1) << " ms, CPU p50 "
          << QString::number(percentile(cpu, 0.5), 'f', 1) << " ms (" << ms.size() << " runs)"
          << Qt::endl;
    const QString what = u"%1 tills x %2 sales"_s.arg(settings.dayTills).arg(settings.daySales);
    out() << "SUMMARY|safetill-bench-reports|" << backend << " day report max, " << what << "|"
          << QString::number(max, 'f', 1) << " ms|< " << settings.dayTargetMs << " ms|"
          << (max < settings.dayTargetMs ? "PASS" : "FAIL") << Qt::endl;
    out() << "SUMMARY|safetill-bench-reports|" << backend << " day report = the Z reports' sum|"
          << (right ? "yes" : "no") << "|yes|" << (right ? "PASS" : "FAIL") << Qt::endl;
    return right && max < settings.dayTargetMs;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(u"safetill-bench-reports"_s);
    QCommandLineParser parser;
    parser.setApplicationDescription(
        u"The X and Z reports of a shift of N sales (default 20,000), on SQLite and (with --pg "
        "or SAFETILL_TEST_PG_URL) PostgreSQL; target < 200 ms each. Bounded: generation gives up "
        "after --max-generate-seconds per round; a full run takes well under a minute on "
        "SQLite."_s);
    parser.addHelpOption();
    parser.addOptions({
        {u"sales"_s, u"Sales per shift (default 20000)."_s, u"n"_s},
        {u"rounds"_s, u"Shifts generated and closed, one after another (default 3)."_s, u"n"_s},
        {u"x-runs"_s, u"X reports timed per shift (default 10)."_s, u"n"_s},
        {u"max-generate-seconds"_s, u"Give up generating after this long (default 120)."_s, u"s"_s},
        {u"quick"_s, u"5,000 sales, 1 round; day report: 10 tills x 2,000 sales."_s},
        {u"skip-day-report"_s, u"Leave out the server's day report."_s},
        {u"day-tills"_s, u"Tills in the day report (default 100)."_s, u"n"_s},
        {u"day-sales"_s, u"Sales per till in the day report (default 20000)."_s, u"n"_s},
        {u"day-runs"_s, u"Day reports timed (default 5)."_s, u"n"_s},
        {u"day-pg-full"_s,
         u"The day report on PostgreSQL over all --day-tills tills too (default: at most 10 "
         "there; generating 2,000,000 sales takes minutes)."_s},
        {u"pg"_s, u"PostgreSQL URL (default: $SAFETILL_TEST_PG_URL; none: SQLite only)."_s,
         u"url"_s},
    });
    parser.process(app);
    Settings settings;
    if (parser.isSet(u"quick"_s)) {
        settings.sales = 5000;
        settings.rounds = 1;
        settings.dayTills = 10;
        settings.daySales = 2000;
    }
    settings.dayReport = !parser.isSet(u"skip-day-report"_s);
    if (parser.isSet(u"day-pg-full"_s))
        settings.dayPgTills = 1000;
    if (parser.isSet(u"day-tills"_s))
        settings.dayTills = qBound(1, parser.value(u"day-tills"_s).toInt(), 1000);
    if (parser.isSet(u"day-sales"_s))
        settings.daySales =
            qBound(qint64(1), parser.value(u"day-sales"_s).toLongLong(), qint64(1'000'000));
    if (parser.isSet(u"day-runs"_s))
        settings.dayRuns = qBound(1, parser.value(u"day-runs"_s).toInt(), 100);
    if (parser.isSet(u"sales"_s))
        settings.sales =
            qBound(qint64(1), parser.value(u"sales"_s).toLongLong(), qint64(1'000'000));
    if (parser.isSet(u"rounds"_s))
        settings.rounds = qBound(1, parser.value(u"rounds"_s).toInt(), 20);
    if (parser.isSet(u"x-runs"_s))
        settings.xRuns = qBound(1, parser.value(u"x-runs"_s).toInt(), 1000);
    if (parser.isSet(u"max-generate-seconds"_s))
        settings.maxGenerateSeconds =
            qBound(1, parser.value(u"max-generate-seconds"_s).toInt(), 3600);
    settings.pgUrl = parser.isSet(u"pg"_s) ? parser.value(u"pg"_s)
                                           : qEnvironmentVariable("SAFETILL_TEST_PG_URL");
    bool ok = run(settings, u"SQLite"_s, {});
    if (settings.dayReport)
        ok = runDayReport(settings, u"SQLite"_s, {}) && ok;
    if (settings.pgUrl.isEmpty()) {
        out() << "PostgreSQL: skipped (no --pg URL and no SAFETILL_TEST_PG_URL)" << Qt::endl;
    } else {
        ok = run(settings, u"PostgreSQL"_s, settings.pgUrl) && ok;
        if (settings.dayReport)
            ok = runDayReport(settings, u"PostgreSQL"_s, settings.pgUrl) && ok;
    }
    return ok ? 0 : 1;
}
