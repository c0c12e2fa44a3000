// safetill-bench-gui: what a cashier feels of the desktop app, measured on the real `safetill`
// executable started as fresh processes (offscreen platform, SAFETILL_STARTUP_PROBE on, see
// app/gui/main.cpp): time from process start to the login screen and to the order window after a
// login, peak RSS with a 500-line order on screen, and the time from another process's commit to
// the window showing it. Issue 16: start-up and RSS with a 50,000-product catalog, and search as
// you type over it (per key, the key handled and its suggestions painted, timed in the app). A
// benchmark, not a test: it prints numbers and a verdict per target.
// See bench/README.md.

#include "GuiApp.h"

#include "CashierService.h"
#include "CatalogService.h"
#include "Database.h"
#include "DemoData.h"
#include "OrderService.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QThread>
#include <QUuid>

#include <sys/vfs.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <iterator>
#include <optional>

using namespace Qt::StringLiterals;
using namespace SafeTillBench;

namespace {

constexpr double loginTargetMs = 300; // issue 16, with the 50,000-product catalog
constexpr double rssTargetMiB = 80;
constexpr double catalogRssTargetMiB = 60; // issue 16: order screen with the big catalog
constexpr double searchKeyTargetMs = 20;   // issue 16: search as you type, per key
// What the search measurement types, a key every 80 ms: a word of the generated names, then
// the start of the next (see catalogCsv()).
const QString searchText = u"fresh hon"_s;
constexpr double refreshTargetMs = 1000;
constexpr int processTimeoutMs = 20000; // one app run, start to quit
constexpr int refreshTimeoutMs = 5000;  // one change to appear
constexpr int settleMs = 500;           // after the order is on screen, before reading VmHWM
constexpr int budgetMs = 140000;        // the whole run; later repetitions are skipped past it
const QString cashierName = u"Alice"_s; // a demo cashier, PIN 1234
const QString cashierLogin = u"Alice:1234"_s;

// The table and notes; stderr when the JSON goes to stdout, so stdout stays one JSON document.
FILE *report = stdout;

void progress(const QString &text)
{
    std::fprintf(stderr, "%s\n", qPrintable(text));
    std::fflush(stderr);
}

struct Config
{
    bool quick = false;
    int startupRuns = 10;
    int rssRuns = 3;
    int refreshes = 20;
    int lines = 500;
    int products = 50000; // the big catalog (issue 16)
    QString app;
    QString dir;
    bool keep = false;
};

// One row of the table: samples and how they are judged.
struct Measurement
{
    Measurement(QString key, QString label, QString unit, QList<double> samples = {})
        : key(std::move(key))
        , label(std::move(label))
        , unit(std::move(unit))
        , samples(std::move(samples))
    {}

    QString key;   // stable name for JSON
    QString label; // for people
    QString unit;  // "ms" or "MiB"
    QList<double> samples;
    QString failure; // why samples are missing, if they are
    // The statistic the verdict uses ("median", "max") and the bound it must stay under;
    // no target: an informative row.
    QString judgedBy;
    std::optional<double> target;

    double stat(const QString &name) const;
    std::optional<bool> pass() const
    {
        if (!target)
            return std::nullopt;
        if (samples.isEmpty())
            return false;
        return stat(judgedBy) < *target;
    }
};

double percentile(QList<double> values, double p)
{
    if (values.isEmpty())
        return std::nan("");
    std::sort(values.begin(), values.end());
    // Nearest rank: the smallest value with at least p of the samples at or below it.
    const qsizetype rank = qsizetype(std::ceil(p * double(values.size())));
    return values.at(std::clamp<qsizetype>(rank - 1, 0, values.size() - 1));
}

double Measurement::stat(const QString &name) const
{
    if (samples.isEmpty())
        return std::nan("");
    if (name == u"min"_s)
        return *std::min_element(samples.begin(), samples.end());
    if (name == u"max"_s)
        return *std::max_element(samples.begin(), samples.end());
    if (name == u"p95"_s)
        return percentile(samples, 0.95);
    // The median of an even count is the mean of the middle two.
    QList<double> sorted = samples;
    std::sort(sorted.begin(), sorted.end());
    const qsizetype n = sorted.size();
    return n % 2 ? sorted.at(n / 2) : (sorted.at(n / 2 - 1) + sorted.at(n / 2)) / 2;
}

// Budget for the whole run: every loop stops early rather than run past it.
class Budget
{
public:
    Budget() { m_timer.start(); }
    bool exhausted() const { return m_timer.elapsed() > budgetMs; }
    double seconds() const { return double(m_timer.elapsed()) / 1000.0; }

private:
    QElapsedTimer m_timer;
};

// ---- preparing the databases ------------------------------------------------------------------

struct Prepared
{
    QString path;
    QString orderId; // the demo cashier's open order
    int version = 0;
    QStringList skus; // products on the order, for the refresh changes
};

QString newRequestId()
{
    return QUuid::createUuid().toString(QUuid::WithoutBraces);
}

// A demo database (cashiers with the real PIN hash cost, so the login costs what it costs in a
// shop) where the demo cashier has an open order: with the first few demo products, or with
// `lines` lines of as many extra products (in 10 categories, so the catalog has them as buttons).
std::optional<Prepared> prepare(const QString &path, int lines, QString *error)
{
    std::unique_ptr<SafeTill::Database> db = SafeTill::Database::open({path}, error);
    if (!db)
        return std::nullopt;
    if (const auto installed = SafeTill::installDemoData(*db); !installed) {
        *error = installed.message();
        return std::nullopt;
    }
    SafeTill::CatalogService catalog(*db);
    QStringList skus;
    if (lines > 0) {
        QByteArray csv = "sku,name,price_cents,category\n";
        for (int i = 1; i <= lines; ++i) {
            const QByteArray sku = "BENCH-" + QByteArray::number(i).rightJustified(4, '0');
            csv += sku + ",Bench product " + QByteArray::number(i) + "," +
                   QByteArray::number(100 + i) + ",Bench " + char('A' + i % 10) + '\n';
            skus << QString::fromLatin1(sku);
        }
        if (const auto imported = catalog.importCsv(csv); !imported) {
            *error = imported.message();
            return std::nullopt;
        }
    } else {
        const auto products = catalog.list();
        if (!products || products->size() < 3) {
            *error = u"The demo catalog is missing."_s;
            return std::nullopt;
        }
        for (qsizetype i = 0; i < 3; ++i)
            skus << products->at(i).sku;
    }

    SafeTill::CashierService cashiers(*db);
    const auto cashier = cashiers.find(cashierName);
    if (!cashier) {
        *error = cashier.message();
        return std::nullopt;
    }
    SafeTill::OrderService orders(*db);
    const auto opened = orders.openOrResume(cashier->id, newRequestId());
    if (!opened) {
        *error = opened.message();
        return std::nullopt;
    }
    QList<SafeTill::ItemSpec> items;
    for (const QString &sku : std::as_const(skus))
        items << SafeTill::ItemSpec{sku, {}, {}, 1};
    const auto filled = orders.replaceLines(SafeTill::OrderTarget::byId(opened->id), items,
                                            opened->version, newRequestId());
    if (!filled) {
        *error = filled.message();
        return std::nullopt;
    }
    return Prepared{path, filled->id, filled->version, skus};
}

// `count` generated products in 20 categories, named from two words of a small list and a number
// ("Fresh Honey 12345"), as catalog CSV.
QByteArray catalogCsv(int count)
{
    static const char *const words[] = {"Fresh", "Honey", "Dark",   "Green",  "Salted", "Smoked",
                                        "Sweet", "Wild",  "Golden", "Spicy",  "Crispy", "Creamy",
                                        "Apple", "Berry", "Cheese", "Tomato", "Walnut", "Lemon"};
    constexpr int wordCount = int(std::size(words));
    QByteArray csv = "sku,name,price_cents,category\n";
    csv.reserve(count * 48);
    for (int i = 1; i <= count; ++i) {
        csv += "CAT-" + QByteArray::number(i).rightJustified(6, '0') + ',' + words[i % wordCount] +
               ' ' + words[(i / wordCount) % wordCount] + ' ' + QByteArray::number(i) + ',' +
               QByteArray::number(50 + i % 2000) + ",Aisle " + QByteArray::number(i % 20 + 1) +
               '\n';
    }
    return csv;
}

// The demo database (as prepare() with no extra lines: a 3-line order) plus `count` products.
std::optional<Prepared> prepareCatalog(const QString &path, int count, QString *error)
{
    std::optional<Prepared> prepared = prepare(path, 0, error);
    if (!prepared)
        return std::nullopt;
    std::unique_ptr<SafeTill::Database> db = SafeTill::Database::open({path}, error);
    if (!db)
        return std::nullopt;
    if (const auto imported = SafeTill::CatalogService(*db).importCsv(catalogCsv(count));
        !imported) {
        *error = imported.message();
        return std::nullopt;
    }
    return prepared;
}

// ---- the measurements -------------------------------------------------------------------------

GuiApp::Options appOptions(const Config &config, const QString &db, const QString &mode,
                           const QString &login, const QString &logDir)
{
    return {config.app, db, mode, login, logDir + u"/app-stderr.log"_s, {}};
}

struct StartupResult
{
    Measurement firstFrame{u"start_to_first_frame"_s, u"start -> first frame"_s, u"ms"_s};
    Measurement login{u"start_to_login_shown"_s, u"start -> login shown"_s, u"ms"_s};
    Measurement loginKernel{u"start_to_login_shown_app_clock"_s,
                            u"start -> login shown (app's clock, 10 ms res.)"_s, u"ms"_s};
    Measurement order{u"start_to_order_shown"_s, u"start -> order shown (login, PIN check)"_s,
                      u"ms"_s};
    // Phases, from the benchmark's QProcess::start, for the breakdown under the table.
    QList<std::pair<QByteArray, QList<double>>> stages{
        {"stage main", {}},  {"stage app", {}},   {"stage backend", {}}, {"stage window", {}},
        {"first-frame", {}}, {"login-shown", {}}, {"order-shown", {}}};
    std::optional<double> warmUpLoginMs;
};

// Runs the app with SAFETILL_STARTUP_PROBE=1 and the demo login until it quits by itself.
StartupResult measureStartup(const Config &config, const Prepared &db, const QString &logDir,
                             const Budget &budget)
{
    StartupResult r;
    r.login.judgedBy = u"median"_s;
    r.login.target = loginTargetMs;
    // One untimed run first: it pays for the page cache (libraries, fonts) once.
    for (int run = 0; run <= config.startupRuns && !budget.exhausted(); ++run) {
        GuiApp app;
        QString error;
        if (!app.start(appOptions(config, db.path, u"1"_s, cashierLogin, logDir), &error)) {
            r.login.failure = error;
            break;
        }
        const bool shown = app.waitFor("order-shown", processTimeoutMs).has_value();
        const bool exited = app.waitForExit(processTimeoutMs);
        const auto login = app.seen("login-shown");
        if (!shown || !exited || !login) {
            r.login.failure = r.order.failure = u"run %1: %2"_s.arg(run).arg(app.describeFailure());
            break;
        }
        const double t0 = app.startMonoMs();
        if (run == 0) {
            r.warmUpLoginMs = login->monoMs() - t0;
            continue;
        }
        r.login.samples << login->monoMs() - t0;
        r.loginKernel.samples << login->sinceStartMs();
        r.order.samples << app.seen("order-shown")->monoMs() - t0;
        if (const auto frame = app.seen("first-frame"))
            r.firstFrame.samples << frame->monoMs() - t0;
        for (auto &[stage, samples] : r.stages) {
            if (const auto line = app.seen(stage))
                samples << line->monoMs() - t0;
        }
    }
    return r;
}

struct RssResult
{
    Measurement loginScreen{u"peak_rss_login_screen"_s, u"peak RSS, login screen"_s, u"MiB"_s};
    Measurement smallOrder{u"peak_rss_small_order"_s, u"peak RSS, 3-line order"_s, u"MiB"_s};
    Measurement bigOrder{u"peak_rss_big_order"_s, u"peak RSS, N-line order"_s, u"MiB"_s};
    Measurement bigOrderRss{u"rss_big_order"_s, u"RSS now, N-line order"_s, u"MiB"_s};
    Measurement bigOrderShown{u"start_to_big_order_shown"_s, u"start -> N-line order shown"_s,
                              u"ms"_s};
};

// Starts the app in watch mode, waits until it shows the order with `lines` lines (or only the
// login screen, without a login) plus a moment to settle, and reads VmHWM. The app is left
// running in *keep for the refresh measurement when asked.
std::optional<double> peakRssMiB(const Config &config, const QString &db, bool logIn,
                                 qsizetype lines, const QString &logDir, QString *error,
                                 std::unique_ptr<GuiApp> *keep = nullptr,
                                 double *shownAfterMs = nullptr, double *rssNowMiB = nullptr)
{
    auto app = std::make_unique<GuiApp>();
    if (!app->start(appOptions(config, db, u"watch"_s, logIn ? cashierLogin : QString(), logDir),
                    error))
        return std::nullopt;
    const std::optional<ProbeLine> shown =
        logIn ? app->waitFor(
                    "order-version", processTimeoutMs,
                    [lines](const ProbeLine &l) { return l.fields.value(2).toLongLong() == lines; })
              : app->waitFor("login-shown", processTimeoutMs);
    if (!shown) {
        *error = app->describeFailure();
        return std::nullopt;
    }
    if (shownAfterMs)
        *shownAfterMs =
            (logIn ? app->seen("order-shown")->monoMs() : shown->monoMs()) - app->startMonoMs();
    QThread::msleep(settleMs);
    const std::optional<qint64> hwm = app->statusKiB("VmHWM");
    if (rssNowMiB)
        *rssNowMiB = double(app->statusKiB("VmRSS").value_or(0)) / 1024.0;
    if (!hwm) {
        *error = u"cannot read /proc/%1/status"_s.arg(app->pid());
        return std::nullopt;
    }
    if (keep)
        *keep = std::move(app);
    return double(*hwm) / 1024.0;
}

// The window shows `db`'s order (app already running, logged in); this process changes the
// order `count` times through OrderService on its own connection, each at a random moment, and
// times from the commit (the call has returned) to the app printing that version as painted.
Measurement measureRefresh(const Config &config, GuiApp &app, const Prepared &db,
                           const QString &key, const QString &label, const Budget &budget)
{
    Measurement m{key, label, u"ms"_s};
    m.judgedBy = u"max"_s;
    m.target = refreshTargetMs;
    QString error;
    std::unique_ptr<SafeTill::Database> conn = SafeTill::Database::open({db.path}, &error);
    if (!conn) {
        m.failure = error;
        return m;
    }
    SafeTill::OrderService orders(*conn);
    for (int i = 0; i < config.refreshes && !budget.exhausted(); ++i) {
        // A random moment, so the commits fall anywhere in the app's poll interval.
        QThread::msleep(50 + QRandomGenerator::global()->bounded(250));
        const QString sku = db.skus.at(i % db.skus.size());
        const auto changed =
            orders.addProduct(SafeTill::OrderTarget::byId(db.orderId), sku, 1, newRequestId());
        const double committed = monotonicMs();
        if (!changed) {
            m.failure = u"the change failed: "_s + changed.message();
            break;
        }
        const int version = changed->version;
        const auto shown =
            app.waitFor("order-version", refreshTimeoutMs, [version](const ProbeLine &l) {
                return l.fields.value(1).toInt() >= version;
            });
        if (!shown) {
            m.failure = u"version %1 not shown within %2 ms (%3)"_s.arg(version)
                            .arg(refreshTimeoutMs)
                            .arg(app.describeFailure());
            break;
        }
        m.samples << shown->monoMs() - committed;
    }
    return m;
}

// Logs in on the big catalog and types searchText into the SKU field, a key every 80 ms, as a
// person does; the app times each key until its suggestions are painted (search-key lines).
Measurement measureSearch(const Config &config, const Prepared &db, const QString &logDir,
                          const Budget &budget)
{
    Measurement m{u"search_per_key"_s,
                  u"search as you type, %1 products, per key"_s.arg(config.products), u"ms"_s};
    m.judgedBy = u"max"_s;
    m.target = searchKeyTargetMs;
    for (int run = 0; run < config.rssRuns && !budget.exhausted(); ++run) {
        GuiApp app;
        QString error;
        GuiApp::Options options = appOptions(config, db.path, u"1"_s, cashierLogin, logDir);
        options.type = searchText;
        if (!app.start(options, &error)) {
            m.failure = error;
            return m;
        }
        for (qsizetype i = 0; i < searchText.size(); ++i) {
            const auto key = app.waitFor("search-key", processTimeoutMs);
            if (!key) {
                m.failure = u"key %1: %2"_s.arg(i).arg(app.describeFailure());
                return m;
            }
            if (key->fields.value(3).toInt() <= 0) {
                m.failure = u"key %1 found no product"_s.arg(i);
                return m;
            }
            m.samples << key->fields.value(2).toDouble();
        }
        if (!app.waitForExit(processTimeoutMs)) {
            m.failure = app.describeFailure();
            return m;
        }
    }
    return m;
}

// ---- output -----------------------------------------------------------------------------------

const QStringList headers{u"measurement"_s, u"n"_s,    u"min"_s,    u"median"_s, u"p95"_s,
                          u"max"_s,         u"unit"_s, u"target"_s, u"result"_s};

QString number(double value)
{
    return std::isnan(value) ? u"-"_s : QString::number(value, 'f', 1);
}

QStringList cells(const Measurement &m)
{
    QString target = u"-"_s;
    QString result = u"-"_s;
    if (m.target) {
        target = u"%1 < %2 %3"_s.arg(m.judgedBy, QString::number(*m.target), m.unit);
        result = *m.pass() ? u"PASS"_s : u"FAIL"_s;
    }
    if (!m.failure.isEmpty() && m.samples.isEmpty())
        result = m.target ? u"FAIL (did not run)"_s : u"did not run"_s;
    return {m.label,
            QString::number(m.samples.size()),
            number(m.stat(u"min"_s)),
            number(m.stat(u"median"_s)),
            number(m.stat(u"p95"_s)),
            number(m.stat(u"max"_s)),
            m.unit,
            target,
            result};
}

void printTable(const QList<Measurement> &rows, bool markdown)
{
    QList<QStringList> table;
    for (const Measurement &m : rows)
        table << cells(m);
    auto numeric = [](qsizetype column) { return column >= 1 && column <= 5; };
    if (markdown) {
        std::fprintf(report, "| %s |\n", qPrintable(headers.join(u" | "_s)));
        QStringList rule;
        for (qsizetype i = 0; i < headers.size(); ++i)
            rule << (numeric(i) ? u"---:"_s : u"---"_s);
        std::fprintf(report, "| %s |\n", qPrintable(rule.join(u" | "_s)));
        for (const QStringList &row : std::as_const(table))
            std::fprintf(report, "| %s |\n", qPrintable(row.join(u" | "_s)));
        return;
    }
    QList<qsizetype> widths;
    for (const QString &h : headers)
        widths << h.size();
    for (const QStringList &row : std::as_const(table)) {
        for (qsizetype i = 0; i < row.size(); ++i)
            widths[i] = std::max(widths[i], row.at(i).size());
    }
    auto line = [&](const QStringList &row) {
        QString text;
        for (qsizetype i = 0; i < row.size(); ++i) {
            text += numeric(i) ? row.at(i).rightJustified(widths[i])
                               : row.at(i).leftJustified(widths[i]);
            text += u"  "_s;
        }
        std::fprintf(report, "%s\n", qPrintable(text.trimmed()));
    };
    line(headers);
    QStringList rule;
    for (const qsizetype w : widths)
        rule << QString(w, u'-');
    line(rule);
    for (const QStringList &row : std::as_const(table))
        line(row);
}

QJsonObject toJson(const Measurement &m)
{
    QJsonArray samples;
    for (const double s : m.samples)
        samples.append(s);
    auto value = [&](const QString &name) {
        return m.samples.isEmpty() ? QJsonValue() : QJsonValue(m.stat(name));
    };
    QJsonObject json{{u"key"_s, m.key},           {u"label"_s, m.label},
                     {u"unit"_s, m.unit},         {u"samples"_s, samples},
                     {u"min"_s, value(u"min"_s)}, {u"median"_s, value(u"median"_s)},
                     {u"p95"_s, value(u"p95"_s)}, {u"max"_s, value(u"max"_s)}};
    if (m.target) {
        json.insert(u"target"_s,
                    QJsonObject{{u"statistic"_s, m.judgedBy}, {u"below"_s, *m.target}});
        json.insert(u"pass"_s, *m.pass());
    }
    if (!m.failure.isEmpty())
        json.insert(u"failure"_s, m.failure);
    return json;
}

QString loadAverage()
{
    QFile file(u"/proc/loadavg"_s);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QString::fromLatin1(file.readAll().split(' ').mid(0, 3).join(' '));
}

QString defaultApp()
{
    // Next to the build's other executables: build/bench/ -> build/bin/safetill.
    const QString sibling = QCoreApplication::applicationDirPath() + u"/../bin/safetill"_s;
    if (QFileInfo(sibling).isExecutable())
        return QFileInfo(sibling).canonicalFilePath();
    return QStringLiteral(SAFETILL_GUI_EXECUTABLE);
}

// One line per headline number for bench/run, which collects them into one table:
//   SUMMARY|safetill-bench-gui|<metric>|<value>|<target>|<PASS, FAIL or ->
// Every row with a target (by the statistic it is judged by), plus start -> order shown. To the
// report stream: stdout, except with --json - where stdout must stay one JSON document.
void printSummary(const QList<Measurement> &rows)
{
    for (const Measurement &m : rows) {
        if (!m.target && m.key != u"start_to_order_shown"_s)
            continue;
        const QString statistic = m.target ? m.judgedBy : u"median"_s;
        const QString value =
            m.samples.isEmpty() ? u"did not run"_s
                                : u"%1 %2 (%3)"_s.arg(number(m.stat(statistic)), m.unit, statistic);
        const QStringList row = cells(m);
        const QString verdict = !m.target ? u"-"_s : (*m.pass() ? u"PASS"_s : u"FAIL"_s);
        std::fprintf(report, "SUMMARY|safetill-bench-gui|%s|%s|%s|%s\n", qPrintable(m.label),
                     qPrintable(value), qPrintable(row.at(7)), qPrintable(verdict));
    }
}

int run(const Config &config, const QCommandLineParser &parser)
{
    Budget budget;
    const QString base = config.dir.isEmpty() ? QDir::tempPath() : config.dir;
    QTemporaryDir dir(base + u"/safetill-bench-gui-XXXXXX"_s);
    if (!dir.isValid()) {
        progress(u"Cannot create a folder in %1: %2"_s.arg(base, dir.errorString()));
        return 2;
    }
    dir.setAutoRemove(!config.keep);
    struct statfs fs
    {
    };
    const bool tmpfs = statfs(QFile::encodeName(dir.path()).constData(), &fs) == 0 &&
                       fs.f_type == 0x01021994; // TMPFS_MAGIC
    std::fprintf(report, "SafeTill GUI benchmark%s: Qt %s, %d CPU(s), load %s, app %s\n",
                 config.quick ? " (quick)" : "", qVersion(), QThread::idealThreadCount(),
                 qPrintable(loadAverage()), qPrintable(config.app));
    std::fflush(report);

    progress(u"Preparing the databases (demo data with the real PIN hash cost)..."_s);
    QString error;
    const std::optional<Prepared> small = prepare(dir.filePath(u"demo.sqlite"_s), 0, &error);
    if (!small) {
        progress(u"Cannot prepare the demo database: "_s + error);
        return 1;
    }
    const std::optional<Prepared> big =
        prepare(dir.filePath(u"big.sqlite"_s), config.lines, &error);
    if (!big) {
        progress(u"Cannot prepare the %1-line database: "_s.arg(config.lines) + error);
        return 1;
    }

    progress(u"Generating a %1-product catalog..."_s.arg(config.products));
    const std::optional<Prepared> catalog =
        prepareCatalog(dir.filePath(u"catalog.sqlite"_s), config.products, &error);
    if (!catalog) {
        progress(u"Cannot prepare the %1-product database: "_s.arg(config.products) + error);
        return 1;
    }

    // Issue 16: the start-up is measured with the big catalog in the database.
    progress(u"Start-up (%1 products): 1 untimed + %2 runs..."_s.arg(config.products)
                 .arg(config.startupRuns));
    StartupResult startup = measureStartup(config, *catalog, dir.path(), budget);
    startup.login.label = u"start -> login shown, %1 products"_s.arg(config.products);
    startup.order.label =
        u"start -> order shown (login, PIN check), %1 products"_s.arg(config.products);

    progress(u"Peak RSS: %1 run(s) of each case..."_s.arg(config.rssRuns));
    RssResult rss;
    const QString n = QString::number(config.lines);
    // VmHWM after a login includes the PIN check's argon2id memory (about 128 MiB at the standard
    // cost, freed once the PIN is checked), so the big order's target is judged on the resident
    // set once it shows, as the catalog's below; the peak is reported.
    rss.bigOrder.label = u"peak RSS (PIN hash included), %1-line order + %1 products"_s.arg(n);
    rss.bigOrderRss.label = u"RSS after showing the %1-line order + %1 products"_s.arg(n);
    rss.bigOrderRss.judgedBy = u"max"_s;
    rss.bigOrderRss.target = rssTargetMiB;
    rss.bigOrderShown.label = u"start -> %1-line order shown"_s.arg(n);
    std::unique_ptr<GuiApp> smallApp;
    std::unique_ptr<GuiApp> bigApp;
    for (int run = 0; run < config.rssRuns && !budget.exhausted(); ++run) {
        const bool last = run == config.rssRuns - 1;
        if (auto mib = peakRssMiB(config, small->path, false, 0, dir.path(), &error))
            rss.loginScreen.samples << *mib;
        else
            rss.loginScreen.failure = error;
        // The refresh measurements reuse the last runs' apps, still showing their orders.
        if (auto mib = peakRssMiB(config, small->path, true, small->skus.size(), dir.path(), &error,
                                  last ? &smallApp : nullptr))
            rss.smallOrder.samples << *mib;
        else
            rss.smallOrder.failure = error;
        double shownMs = 0;
        double nowMiB = 0;
        if (auto mib = peakRssMiB(config, big->path, true, config.lines, dir.path(), &error,
                                  last ? &bigApp : nullptr, &shownMs, &nowMiB)) {
            rss.bigOrder.samples << *mib;
            rss.bigOrderRss.samples << nowMiB;
            rss.bigOrderShown.samples << shownMs;
        } else {
            rss.bigOrder.failure = error;
        }
    }

    // VmHWM after a login includes the PIN check's argon2id memory (the real hash cost, freed
    // once the PIN is checked, the same with any catalog: see "peak RSS, 3-line order"), so the
    // catalog's target is judged on the resident set once the order screen shows the catalog.
    Measurement catalogRss{u"rss_catalog"_s,
                           u"RSS, order screen + %1 products"_s.arg(config.products), u"MiB"_s};
    catalogRss.judgedBy = u"max"_s;
    catalogRss.target = catalogRssTargetMiB;
    Measurement catalogPeak{
        u"peak_rss_catalog"_s,
        u"peak RSS (PIN hash included), order screen + %1 products"_s.arg(config.products),
        u"MiB"_s};
    for (int run = 0; run < config.rssRuns && !budget.exhausted(); ++run) {
        double nowMiB = 0;
        if (auto mib = peakRssMiB(config, catalog->path, true, catalog->skus.size(), dir.path(),
                                  &error, nullptr, nullptr, &nowMiB)) {
            catalogPeak.samples << *mib;
            catalogRss.samples << nowMiB;
        } else {
            catalogRss.failure = catalogPeak.failure = error;
        }
    }
    progress(u"Search as you type: %1 run(s) of \u201c%2\u201d..."_s.arg(config.rssRuns)
                 .arg(searchText));
    const Measurement search = measureSearch(config, *catalog, dir.path(), budget);

    progress(u"Cross-process refresh: %1 changes per order..."_s.arg(config.refreshes));
    Measurement refreshSmall{u"refresh_small_order"_s, u"refresh after another process, 3 lines"_s,
                             u"ms"_s};
    Measurement refreshBig{u"refresh_big_order"_s,
                           u"refresh after another process, %1 lines"_s.arg(n), u"ms"_s};
    if (smallApp)
        refreshSmall =
            measureRefresh(config, *smallApp, *small, refreshSmall.key, refreshSmall.label, budget);
    else
        refreshSmall.failure = u"no app showing the order"_s;
    smallApp.reset();
    if (bigApp)
        refreshBig =
            measureRefresh(config, *bigApp, *big, refreshBig.key, refreshBig.label, budget);
    else
        refreshBig.failure = u"no app showing the order"_s;
    bigApp.reset();

    const QList<Measurement> rows{
        startup.firstFrame, startup.login,  startup.loginKernel, startup.order,   rss.bigOrderShown,
        rss.loginScreen,    rss.smallOrder, rss.bigOrder,        rss.bigOrderRss, catalogRss,
        catalogPeak,        search,         refreshSmall,        refreshBig};
    std::fprintf(report, "\n");
    printTable(rows, parser.isSet(u"markdown"_s));
    std::fprintf(report, "\n");
    printSummary(rows);

    std::fprintf(report, "\nStart-up phases (median ms from QProcess::start, %lld runs):",
                 static_cast<long long>(startup.login.samples.size()));
    for (const auto &[stage, samples] : startup.stages) {
        Measurement m{QString(), QString(), QString(), samples};
        std::fprintf(report, " %s %s ·", stage.constData(),
                     qPrintable(number(m.stat(u"median"_s))));
    }
    std::fprintf(report, "\n");
    if (startup.warmUpLoginMs)
        std::fprintf(report, "Untimed first run: start -> login shown %.1f ms.\n",
                     *startup.warmUpLoginMs);
    std::fprintf(report,
                 "start: from the benchmark's QProcess::start (fork + exec included); app's clock: "
                 "the app's /proc/self/stat start time. Refresh: from this process's commit to the "
                 "app printing the version after painting it (the app polls every 200 ms).\n");
    if (tmpfs)
        std::fprintf(report, "NOTE: %s is tmpfs: commits cost no fsync here.\n",
                     qPrintable(dir.path()));
    for (const Measurement &m : rows) {
        if (!m.failure.isEmpty())
            std::fprintf(report, "PROBLEM %s: %s\n", qPrintable(m.label), qPrintable(m.failure));
    }
    if (budget.exhausted())
        std::fprintf(report, "NOTE: the %d s budget ran out; later repetitions were skipped.\n",
                     budgetMs / 1000);
    if (config.keep)
        std::fprintf(report, "Databases and the app's stderr kept in %s\n", qPrintable(dir.path()));
    std::fprintf(report, "Total run time %.1f s.\n", budget.seconds());

    if (parser.isSet(u"json"_s)) {
        QJsonArray measured;
        for (const Measurement &m : rows)
            measured.append(toJson(m));
        QJsonObject stages;
        for (const auto &[stage, samples] : startup.stages) {
            Measurement m{QString(), QString(), QString(), samples};
            stages.insert(QString::fromLatin1(stage),
                          samples.isEmpty() ? QJsonValue() : QJsonValue(m.stat(u"median"_s)));
        }
        const QJsonObject root{{u"benchmark"_s, u"safetill-bench-gui"_s},
                               {u"quick"_s, config.quick},
                               {u"qt"_s, QString::fromLatin1(qVersion())},
                               {u"cpus"_s, QThread::idealThreadCount()},
                               {u"load_average"_s, loadAverage()},
                               {u"app"_s, config.app},
                               {u"order_lines"_s, config.lines},
                               {u"catalog_products"_s, config.products},
                               {u"startup_stage_medians_ms"_s, stages},
                               {u"warm_up_login_ms"_s, startup.warmUpLoginMs
                                                           ? QJsonValue(*startup.warmUpLoginMs)
                                                           : QJsonValue()},
                               {u"measurements"_s, measured},
                               {u"total_seconds"_s, budget.seconds()}};
        const QString target = parser.value(u"json"_s);
        QFile file;
        const bool opened =
            target == u"-"_s
                ? file.open(stdout, QIODevice::WriteOnly)
                : (file.setFileName(target), file.open(QIODevice::WriteOnly | QIODevice::Truncate));
        if (!opened || file.write(QJsonDocument(root).toJson()) < 0) {
            progress(u"Cannot write %1: %2"_s.arg(target, file.errorString()));
            return 2;
        }
        if (target != u"-"_s)
            progress(u"Wrote %1."_s.arg(target));
    }
    return 0;
}

} // namespace

int main(int argc, char *argv[])
{
    // The demo cashiers get the PIN hash a shop has, so the measured login costs what it costs.
    qunsetenv("SAFETILL_PIN_HASH_COST");
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(u"safetill-bench-gui"_s);
    QCoreApplication::setApplicationVersion(QStringLiteral(SAFETILL_VERSION));

    QCommandLineParser parser;
    parser.setApplicationDescription(
        u"Measures the real safetill app (offscreen): start to login screen and to order window, "
        "peak RSS with a big order, and refresh after another process's change."_s);
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addOptions({
        {u"quick"_s, u"Short run: 3 start-ups, 1 RSS run, 5 refreshes per order."_s},
        {u"json"_s, u"Also write the numbers as JSON to FILE (- for stdout)."_s, u"FILE"_s},
        {u"markdown"_s, u"Print the table as Markdown."_s},
        {u"runs"_s, u"Timed start-ups (default 10, quick 3)."_s, u"N"_s},
        {u"rss-runs"_s, u"App runs per peak RSS case (default 3, quick 1)."_s, u"N"_s},
        {u"refreshes"_s, u"Changes per order for the refresh time (default 20, quick 5)."_s,
         u"N"_s},
        {u"lines"_s, u"Lines of the big order (default 500)."_s, u"N"_s},
        {u"products"_s, u"Products of the big catalog (default 50000)."_s, u"N"_s},
        {u"app"_s, u"The safetill executable (default: the build's bin/safetill)."_s, u"PATH"_s},
        {u"dir"_s, u"Folder for the database files (default: the system temp folder)."_s, u"DIR"_s},
        {u"keep"_s, u"Keep the database files and the app's stderr (their folder is printed)."_s},
    });
    parser.process(app);

    Config config;
    config.quick = parser.isSet(u"quick"_s);
    if (config.quick) {
        config.startupRuns = 3;
        config.rssRuns = 1;
        config.refreshes = 5;
    }
    bool ok = true;
    auto count = [&](const QString &name, int *value, int min, int max) {
        if (!ok || !parser.isSet(name))
            return;
        *value = parser.value(name).toInt(&ok);
        ok = ok && *value >= min && *value <= max;
    };
    count(u"runs"_s, &config.startupRuns, 1, 100);
    count(u"rss-runs"_s, &config.rssRuns, 1, 10);
    count(u"refreshes"_s, &config.refreshes, 1, 200);
    count(u"lines"_s, &config.lines, 1, 2000);
    count(u"products"_s, &config.products, 1, 200000);
    if (!ok) {
        progress(u"Invalid count; see --help for the bounds."_s);
        return 2;
    }
    config.app = parser.isSet(u"app"_s) ? parser.value(u"app"_s) : defaultApp();
    if (!QFileInfo(config.app).isExecutable()) {
        progress(u"No safetill executable at %1 (build the target safetill, or use --app)."_s.arg(
            config.app));
        return 2;
    }
    if (parser.value(u"json"_s) == u"-"_s)
        report = stderr;
    config.dir = parser.value(u"dir"_s);
    config.keep = parser.isSet(u"keep"_s);
    return run(config, parser);
}
