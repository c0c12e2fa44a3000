// safetill-bench-server: requests/s and p50/p99 latency of a real safetill-server process at 32
// concurrent connections, on SQLite and PostgreSQL, then a check that exactly what was
// acknowledged is in the database. See bench/README.md.

#include "BenchSupport.h"
#include "bench_server_load.h"

#include "CatalogService.h"
#include "Database.h"
#include "DemoData.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QEventLoop>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTextStream>
#include <QTimer>
#include <QUrl>
#include <QUrlQuery>
#include <QUuid>

#include <QHostAddress>
#include <QTcpSocket>

#include <sys/resource.h>

#include <algorithm>
#include <cstdio>
#include <optional>

using namespace Qt::StringLiterals;
using namespace SafeTill;
using namespace SafeTill::BenchSupport;
using namespace SafeTill::BenchServer;

namespace {

struct Settings
{
    QString serverPath;
    QString pgUrl;
    QString dir;
    int connections = 32;
    int warmUpMs = 500;
    int measureMs = 3000;
    int requestTimeoutMs = 10000;
    bool sqlite = true;
    bool keep = false;
    int workers = 0;             // 0: the server's default
    QStringList serverArguments; // --server-arg, passed on to the server as they are
    int soakSeconds = 0;         // 0: no soak (the throughput cases instead)
    int idleConnections = 1000;
    QList<Case> cases{Case::ReplaceItems, Case::AddItem, Case::Complete}; // --case
};

// Targets of issue 4 (durable commits, this 2-core machine, load generator included).
constexpr double addTargetSqlite = 1500;
constexpr double addTargetPostgres = 4000;
constexpr double p99TargetMs = 50;
// Issue 13: PUT /current at 32 connections on PostgreSQL, 5x the Express + Prisma peer (~900/s).
constexpr double replaceTargetPostgres = 4500;
// The soak: the server's RSS may grow this much from the first measured slice to the last.
constexpr double soakGrowthLimitMiB = 16;

HttpReply requestAndWait(HttpConnection &connection, const QByteArray &method,
                         const QByteArray &path, const QByteArray &token, const QByteArray &body)
{
    HttpReply result;
    QEventLoop loop;
    connection.send(method, path, token, body, {}, [&](const HttpReply &reply) {
        result = reply;
        loop.quit();
    });
    QTimer::singleShot(15000, &loop, [&] { connection.abandon(); });
    if (connection.isWaiting())
        loop.exec();
    return result;
}

// A throw-away database: a SQLite file in a temporary folder, or a schema of its own on the
// PostgreSQL server (dropped at the end).
class BenchDatabase
{
public:
    ~BenchDatabase() { drop(); }

    bool create(const Settings &settings, bool postgres, QString *error)
    {
        if (!postgres) {
            m_dir = std::make_unique<QTemporaryDir>(
                settings.dir.isEmpty() ? QDir::tempPath() + u"/safetill-bench-server-XXXXXX"_s
                                       : settings.dir + u"/safetill-bench-server-XXXXXX"_s);
            m_dir->setAutoRemove(!settings.keep);
            m_location = m_dir->filePath(u"server.sqlite"_s);
        } else {
            m_adminUrl = settings.pgUrl;
            m_keepSchema = settings.keep;
            m_schema = u"bench_"_s + QUuid::createUuid().toString(QUuid::Id128).left(16);
            if (!adminExec(u"CREATE SCHEMA %1"_s.arg(m_schema), error))
                return false;
            QUrl url(settings.pgUrl);
            QUrlQuery query(url);
            query.addQueryItem(u"options"_s, u"-csearch_path%3D"_s + m_schema);
            url.setQuery(query);
            m_location = url.toString();
        }
        m_db = Database::open(DatabaseOptions{m_location}, error);
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
        if (!m_schema.isEmpty() && m_keepSchema) {
            out() << "kept schema " << m_schema << Qt::endl;
            m_schema.clear();
        } else if (!m_schema.isEmpty()) {
            QString error;
            if (!adminExec(u"DROP SCHEMA %1 CASCADE"_s.arg(m_schema), &error))
                out() << "warning: could not drop schema " << m_schema << ": " << error << Qt::endl;
            m_schema.clear();
        }
        if (m_dir && !m_dir->autoRemove())
            out() << "kept " << m_dir->path() << Qt::endl;
    }

    const QString &location() const { return m_location; }
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
    bool m_keepSchema = false;
    QString m_location;
    std::unique_ptr<Database> m_db;
};

// The safetill-server process under test.
class ServerProcess
{
public:
    explicit ServerProcess(const QStringList &extraArguments)
        : m_extraArguments(extraArguments)
    {}
    ~ServerProcess() { stop(); }

    bool start(const QString &program, const QString &database, const QString &logFile, int workers,
               QString *error, const QStringList &extra = {})
    {
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        environment.insert(u"SAFETILL_PIN_HASH_COST"_s, u"fast"_s);
        m_process.setProcessEnvironment(environment);
        m_process.setStandardErrorFile(logFile);
        QStringList arguments{u"--listen"_s, u"127.0.0.1:0"_s, u"--db"_s, database};
        if (workers > 0)
            arguments << u"--workers"_s << QString::number(workers);
        arguments << extra << m_extraArguments;
        m_process.start(program, arguments);
        if (!m_process.waitForStarted(10000)) {
            *error = u"cannot start %1: %2"_s.arg(program, m_process.errorString());
            return false;
        }
        QByteArray output;
        QElapsedTimer waited;
        waited.start();
        while (!output.contains('\n') && waited.elapsed() < 20000 &&
               m_process.state() == QProcess::Running) {
            m_process.waitForReadyRead(200);
            output += m_process.readAllStandardOutput();
        }
        const qsizetype colon = output.lastIndexOf(':');
        m_port = quint16(output.mid(colon + 1).trimmed().toUInt());
        if (!output.startsWith("Listening on") || m_port == 0) {
            *error =
                u"the server did not start (see %1): %2"_s.arg(logFile, QString::fromUtf8(output));
            return false;
        }
        return true;
    }

    // SIGTERM, as an operator would; true if it shut down cleanly.
    bool stop()
    {
        if (m_process.state() == QProcess::NotRunning)
            return true;
        m_process.terminate();
        if (!m_process.waitForFinished(20000)) {
            m_process.kill();
            m_process.waitForFinished(5000);
            return false;
        }
        return m_process.exitStatus() == QProcess::NormalExit && m_process.exitCode() == 0;
    }

    quint16 port() const { return m_port; }
    qint64 pid() const { return m_process.processId(); }

private:
    QProcess m_process;
    QStringList m_extraArguments;
    quint16 m_port = 0;
};

bool addUsers(const Settings &settings, const QString &database, std::vector<BenchUser> &users,
              QString *error)
{
    for (int i = 0; i < settings.connections; ++i) {
        BenchUser user;
        user.name = u"bench%1"_s.arg(i + 1, 2, 10, QChar(u'0'));
        QProcess admin;
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        environment.insert(u"SAFETILL_PIN_HASH_COST"_s, u"fast"_s);
        admin.setProcessEnvironment(environment);
        admin.start(settings.serverPath, {u"--db"_s, database, u"user"_s, u"add"_s, user.name});
        admin.write("4321\n"); // the PIN on standard input, never an argument
        admin.closeWriteChannel();
        if (!admin.waitForFinished(30000) || admin.exitCode() != 0) {
            *error = u"user add %1 failed: %2"_s.arg(
                user.name, QString::fromUtf8(admin.readAllStandardError()));
            return false;
        }
        users.push_back(user);
    }
    return true;
}

// Logs every user in and opens its order (an empty one).
bool signInAndOpen(std::vector<std::unique_ptr<HttpConnection>> &connections,
                   std::vector<BenchUser> &users, QString *error)
{
    for (size_t i = 0; i < users.size(); ++i) {
        BenchUser &user = users[i];
        const QByteArray login =
            QJsonDocument(QJsonObject{{u"username"_s, user.name}, {u"pin"_s, u"4321"_s}})
                .toJson(QJsonDocument::Compact);
        const HttpReply signedIn =
            requestAndWait(*connections[i], "POST", "/api/auth/login", {}, login);
        user.token =
            QJsonDocument::fromJson(signedIn.body).object().value(u"token"_s).toString().toLatin1();
        if (signedIn.status != 200 || user.token.isEmpty()) {
            *error = u"login of %1 answered %2"_s.arg(user.name).arg(signedIn.status);
            return false;
        }
        const HttpReply opened =
            requestAndWait(*connections[i], "POST", "/api/order-sessions", user.token, {});
        if (opened.status != 200) {
            *error = u"opening an order for %1 answered %2"_s.arg(user.name).arg(opened.status);
            return false;
        }
        user.version = QJsonDocument::fromJson(opened.body).object().value(u"version"_s).toInt();
    }
    return true;
}

// The checks after a case: exactly what was acknowledged is in the database.
struct Check
{
    bool ok = true;
    QStringList problems;
    QString summary;
    void fail(const QString &problem)
    {
        ok = false;
        if (problems.size() < 5)
            problems << problem;
    }
};

qint64 number(Database &db, const QString &sql, const QVariantList &values = {})
{
    return db.scalar(sql, values).toLongLong();
}

Check verify(Case which, Database &db, const std::vector<BenchUser> &users,
             const std::vector<BenchUser> &before)
{
    Check check;
    try {
        if (which == Case::Complete) {
            qint64 acknowledged = 0;
            qint64 unanswered = 0;
            for (const BenchUser &user : users) {
                acknowledged += user.acknowledgedCompletes;
                unanswered += user.unansweredCompletes;
            }
            const qint64 completed =
                number(db, u"SELECT COUNT(*) FROM order_sessions WHERE status = 'completed'"_s);
            const qint64 payments =
                number(db, u"SELECT COUNT(*) FROM payments WHERE order_id IS NOT NULL"_s);
            const qint64 notOnePayment = number(
                db, u"SELECT COUNT(*) FROM order_sessions o WHERE o.status = 'completed' AND "
                    "(SELECT COUNT(*) FROM payments p WHERE p.order_id = o.id) <> 1"_s);
            const qint64 wrongAmount =
                number(db, u"SELECT COUNT(*) FROM payments p WHERE p.order_id IS NOT NULL AND "
                           "p.amount_cents <> (SELECT CAST(SUM(l.unit_price_cents * l.quantity) AS "
                           "BIGINT) FROM order_lines l WHERE l.order_id = p.order_id)"_s);
            const qint64 paidButOpen =
                number(db, u"SELECT COUNT(*) FROM payments p JOIN order_sessions o ON "
                           "o.id = p.order_id WHERE o.status <> 'completed'"_s);
            if (completed < acknowledged || completed > acknowledged + unanswered)
                check.fail(u"%1 completed orders, %2 completes acknowledged (%3 unanswered)"_s
                               .arg(completed)
                               .arg(acknowledged)
                               .arg(unanswered));
            if (payments != completed)
                check.fail(u"%1 payments for %2 completed orders"_s.arg(payments).arg(completed));
            if (notOnePayment || wrongAmount || paidButOpen)
                check.fail(u"%1 orders without exactly one payment, %2 payments of the wrong "
                           "amount, %3 payments on unfinished orders"_s.arg(notOnePayment)
                               .arg(wrongAmount)
                               .arg(paidButOpen));
            check.summary = u"%1 acknowledged completes = %2 completed orders = %3 payments, "
                            "each payment once and of the order's total"_s.arg(acknowledged)
                                .arg(completed)
                                .arg(payments);
            return check;
        }
        qint64 totalAdds = 0;
        for (size_t i = 0; i < users.size(); ++i) {
            const BenchUser &user = users[i];
            const QString cashier =
                db.scalar(u"SELECT id FROM cashiers WHERE name = ?"_s, {user.name}).toString();
            const QString order =
                db.scalar(u"SELECT id FROM order_sessions WHERE cashier_id = ? AND status = "
                          "'active'"_s,
                          {cashier})
                    .toString();
            const qint64 version =
                number(db, u"SELECT version FROM order_sessions WHERE id = ?"_s, {order});
            const qint64 quantity = number(
                db, u"SELECT COALESCE(SUM(quantity), 0) FROM order_lines WHERE order_id = ?"_s,
                {order});
            const qint64 lines =
                number(db, u"SELECT COUNT(*) FROM order_lines WHERE order_id = ?"_s, {order});
            if (order.isEmpty()) {
                check.fail(u"%1 has no active order"_s.arg(user.name));
                continue;
            }
            if (which == Case::ReplaceItems) {
                if (lines != 1 || quantity != user.lastReplacedQty || version != user.version)
                    check.fail(u"%1: %2 lines, quantity %3, version %4; acknowledged: 1 line, "
                               "quantity %5, version %6"_s.arg(user.name)
                                   .arg(lines)
                                   .arg(quantity)
                                   .arg(version)
                                   .arg(user.lastReplacedQty)
                                   .arg(user.version));
            } else {
                const qint64 expected = before[i].lastReplacedQty + user.acknowledgedAdds;
                totalAdds += user.acknowledgedAdds;
                if (quantity < expected || quantity > expected + user.unansweredAdds)
                    check.fail(u"%1: quantity %2, acknowledged %3 (+%4 unanswered)"_s.arg(user.name)
                                   .arg(quantity)
                                   .arg(expected)
                                   .arg(user.unansweredAdds));
            }
        }
        check.summary =
            which == Case::ReplaceItems
                ? u"every order holds exactly the items and version of its last "
                  "acknowledged PUT"_s
                : u"every order holds exactly its %1 acknowledged adds"_s.arg(totalAdds);
    } catch (const SqlFailure &failure) {
        check.fail(failure.describe());
    }
    return check;
}

QString failuresText(const RequestStats &stats)
{
    QStringList parts;
    for (const auto &[status, count] : stats.failures)
        parts << u"%1x%2"_s.arg(count).arg(status == 0 ? u"no answer"_s : QString::number(status));
    return parts.isEmpty() ? u"0"_s : parts.join(u' ');
}

struct Row
{
    QString backend;
    QString request;
    double perSecond = 0;
    double p50 = 0;
    double p99 = 0;
    QString errors;
    std::optional<double> target;
    QString check;
};

bool runBackend(const Settings &settings, bool postgres, QList<Row> &rows, bool *allChecksOk)
{
    const QString backend = postgres ? u"PostgreSQL"_s : u"SQLite"_s;
    out() << "== " << backend << " ==" << Qt::endl;
    QString error;
    BenchDatabase database;
    if (!database.create(settings, postgres, &error)) {
        out() << "cannot prepare the database: " << error << Qt::endl;
        return false;
    }
    const Result<QList<Product>> products = CatalogService(database.db()).list();
    QStringList skus;
    if (products) {
        for (const Product &product : *products) {
            if (skus.size() < 5)
                skus << product.sku;
        }
    }
    if (skus.isEmpty()) {
        out() << "the demo catalog is empty" << Qt::endl;
        return false;
    }
    std::vector<BenchUser> users;
    if (!addUsers(settings, database.location(), users, &error)) {
        out() << error << Qt::endl;
        return false;
    }
    QTemporaryDir logDir;
    const QString logFile = logDir.filePath(u"server.log"_s);
    ServerProcess server(settings.serverArguments);
    if (!server.start(settings.serverPath, database.location(), logFile, settings.workers,
                      &error)) {
        out() << error << Qt::endl;
        return false;
    }
    std::vector<std::unique_ptr<HttpConnection>> connections;
    for (int i = 0; i < settings.connections; ++i) {
        connections.push_back(std::make_unique<HttpConnection>(server.port()));
        if (!connections.back()->connectToServer(5000)) {
            out() << "cannot connect to the server" << Qt::endl;
            return false;
        }
    }
    if (!signInAndOpen(connections, users, &error)) {
        out() << error << Qt::endl;
        return false;
    }
    for (const Case which : settings.cases) {
        const std::vector<BenchUser> before = users;
        const CaseResult result = runCase(which, connections, users, skus, settings.warmUpMs,
                                          settings.measureMs, settings.requestTimeoutMs);
        Check check = verify(which, database.db(), users, before);
        // A case whose every request was refused measured nothing, whatever the database holds.
        if (result.main.ok == 0)
            check.fail(u"none of the %1 requests was answered 200"_s.arg(caseName(which)));
        *allChecksOk = *allChecksOk && check.ok;
        Row row{backend,
                caseName(which),
                double(result.main.ok) / result.seconds,
                result.main.percentileMs(50),
                result.main.percentileMs(99),
                failuresText(result.main),
                which == Case::AddItem
                    ? std::optional<double>(postgres ? addTargetPostgres : addTargetSqlite)
                : which == Case::ReplaceItems && postgres
                    ? std::optional<double>(replaceTargetPostgres)
                    : std::nullopt,
                check.ok ? u"ok"_s : u"FAILED"_s};
        rows << row;
        out() << QString(u"  %1: %2 /s, p50 %3 ms, p99 %4 ms, errors %5"_s)
                     .arg(row.request)
                     .arg(row.perSecond, 0, 'f', 0)
                     .arg(row.p50, 0, 'f', 1)
                     .arg(row.p99, 0, 'f', 1)
                     .arg(row.errors)
              << Qt::endl;
        if (which == Case::Complete)
            out() << QString(u"    (each complete follows its own POST /api/order-sessions with "
                             "items: %1 /s, p50 %2 ms, p99 %3 ms, errors %4)"_s)
                         .arg(double(result.setup.ok) / result.seconds, 0, 'f', 0)
                         .arg(result.setup.percentileMs(50), 0, 'f', 1)
                         .arg(result.setup.percentileMs(99), 0, 'f', 1)
                         .arg(failuresText(result.setup))
                  << Qt::endl;
        out() << "    check: " << (check.ok ? u"ok, "_s : u"FAILED, "_s) << check.summary
              << Qt::endl;
        for (const QString &problem : check.problems)
            out() << "      " << problem << Qt::endl;
    }
    if (!server.stop())
        out() << "warning: the server did not shut down cleanly on SIGTERM" << Qt::endl;
    // The server's own account of its group commits, when it keeps one.
    QFile log(logFile);
    if (log.open(QIODevice::ReadOnly)) {
        for (const QByteArray &line : log.readAll().split('\n')) {
            if (line.contains("group commit:"))
                out() << "  server: " << QString::fromUtf8(line.mid(line.indexOf("group commit:")))
                      << Qt::endl;
        }
    }
    return true;
}

void printSummary(const QList<Row> &rows, int connections)
{
    out() << Qt::endl
          << QString(u"%1 %2 %3 %4 %5 %6 %7"_s)
                 .arg(u"backend"_s, -11)
                 .arg(u"request"_s, -25)
                 .arg(u"req/s"_s, 7)
                 .arg(u"p50 ms"_s, 7)
                 .arg(u"p99 ms"_s, 7)
                 .arg(u"errors"_s, -10)
                 .arg(u"check"_s)
          << Qt::endl;
    for (const Row &row : rows) {
        out() << QString(u"%1 %2 %3 %4 %5 %6 %7"_s)
                     .arg(row.backend, -11)
                     .arg(row.request, -25)
                     .arg(row.perSecond, 7, 'f', 0)
                     .arg(row.p50, 7, 'f', 1)
                     .arg(row.p99, 7, 'f', 1)
                     .arg(row.errors, -10)
                     .arg(row.check)
              << Qt::endl;
    }
    out() << "(" << connections << " connections, one user and order each; targets: item adds "
          << ">= " << addTargetSqlite << "/s SQLite, >= " << addTargetPostgres
          << "/s PostgreSQL, p99 < " << p99TargetMs << " ms)" << Qt::endl
          << Qt::endl;
    for (const Row &row : rows) {
        const QString name = row.backend + u' ' + row.request;
        const QString rateTarget =
            row.target ? u">= %1 req/s"_s.arg(*row.target, 0, 'f', 0) : u"-"_s;
        const QString rateVerdict =
            row.target ? (row.perSecond >= *row.target ? u"PASS"_s : u"FAIL"_s) : u"-"_s;
        out() << "SUMMARY|server|" << name << " rate|" << QString::number(row.perSecond, 'f', 0)
              << " req/s|" << rateTarget << '|' << rateVerdict << Qt::endl;
        out() << "SUMMARY|server|" << name << " p50|" << QString::number(row.p50, 'f', 1)
              << " ms|-|-" << Qt::endl;
        out() << "SUMMARY|server|" << name << " p99|" << QString::number(row.p99, 'f', 1)
              << " ms|< " << p99TargetMs << " ms|" << (row.p99 < p99TargetMs ? "PASS" : "FAIL")
              << Qt::endl;
        out() << "SUMMARY|server|" << name << " check|" << row.check << "|ok|"
              << (row.check == u"ok"_s ? "PASS" : "FAIL") << Qt::endl;
    }
}

// The server's resident memory (VmRSS), in MiB; 0 if unreadable.
double residentMiB(qint64 pid)
{
    QFile status(u"/proc/%1/status"_s.arg(pid));
    if (!status.open(QIODevice::ReadOnly))
        return 0;
    for (const QByteArray &line : status.readAll().split('\n')) {
        if (line.startsWith("VmRSS:"))
            return line.mid(6).trimmed().split(' ').value(0).toDouble() / 1024.0;
    }
    return 0;
}

// Room for the idle sockets (the server, started after this, inherits the limit): true if the
// soft limit on open files is now at least needed.
bool raiseFileLimit(rlim_t needed)
{
    rlimit limit{};
    if (getrlimit(RLIMIT_NOFILE, &limit) != 0)
        return false;
    if (limit.rlim_cur >= needed)
        return true;
    limit.rlim_cur = std::min(limit.rlim_max, std::max(needed, limit.rlim_cur));
    return setrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur >= needed;
}

// Whether the server knows an option (another engineer adds the per-address connection limit).
bool serverHasOption(const QString &program, const QString &option)
{
    QProcess help;
    help.start(program, {u"--help"_s});
    if (!help.waitForFinished(10000))
        return false;
    return help.readAllStandardOutput().contains(option.toUtf8());
}

// The soak of issue 13: idleConnections keep-alive connections held open (connected, silent)
// while the 32 load connections run PUT /current and item adds for soakSeconds, the server's RSS
// printed every slice; then the idle ones close and every request after that must be answered.
// Bounded: the soak's seconds plus at most the request timeout per slice.
bool runSoak(const Settings &settings, bool postgres)
{
    const QString backend = postgres ? u"PostgreSQL"_s : u"SQLite"_s;
    out() << "== soak, " << backend << ": " << settings.idleConnections << " idle connections + "
          << settings.connections << " loaded, " << settings.soakSeconds << " s ==" << Qt::endl;
    if (!raiseFileLimit(rlim_t(settings.idleConnections + settings.connections + 512))) {
        out() << "cannot raise the open-file limit to " << settings.idleConnections + 512
              << " (ulimit -Hn)" << Qt::endl;
        return false;
    }
    QString error;
    BenchDatabase database;
    if (!database.create(settings, postgres, &error)) {
        out() << "cannot prepare the database: " << error << Qt::endl;
        return false;
    }
    const Result<QList<Product>> products = CatalogService(database.db()).list();
    QStringList skus;
    for (const Product &product : products.value().value_or(QList<Product>{})) {
        if (skus.size() < 5)
            skus << product.sku;
    }
    std::vector<BenchUser> users;
    if (skus.isEmpty() || !addUsers(settings, database.location(), users, &error)) {
        out() << "cannot prepare the users: " << error << Qt::endl;
        return false;
    }
    // The idle connections must outlive the soak: the idle timeout above it, and the
    // per-address connection limit (where the server has one) above their number.
    QStringList extra{u"--idle-timeout-ms"_s,
                      QString::number(std::min(3'600'000, (settings.soakSeconds + 120) * 1000))};
    if (serverHasOption(settings.serverPath, u"--max-connections-per-address"_s)) {
        extra << u"--max-connections-per-address"_s
              << QString::number(settings.idleConnections + settings.connections + 100);
    }
    QTemporaryDir logDir;
    const QString logFile = logDir.filePath(u"server.log"_s);
    ServerProcess server(settings.serverArguments);
    if (!server.start(settings.serverPath, database.location(), logFile, settings.workers, &error,
                      extra)) {
        out() << error << Qt::endl;
        return false;
    }
    std::vector<std::unique_ptr<HttpConnection>> connections;
    for (int i = 0; i < settings.connections; ++i) {
        connections.push_back(std::make_unique<HttpConnection>(server.port()));
        if (!connections.back()->connectToServer(5000)) {
            out() << "cannot connect to the server" << Qt::endl;
            return false;
        }
    }
    if (!signInAndOpen(connections, users, &error)) {
        out() << error << Qt::endl;
        return false;
    }
    const double rssBefore = residentMiB(server.pid());
    std::vector<std::unique_ptr<QTcpSocket>> idle;
    QElapsedTimer opening;
    opening.start();
    for (int i = 0; i < settings.idleConnections && opening.elapsed() < 60000; ++i) {
        auto socket = std::make_unique<QTcpSocket>();
        socket->connectToHost(QHostAddress::LocalHost, server.port());
        if (!socket->waitForConnected(5000))
            break;
        idle.push_back(std::move(socket));
    }
    if (int(idle.size()) < settings.idleConnections) {
        out() << "only " << idle.size() << " of " << settings.idleConnections
              << " idle connections opened" << Qt::endl;
        return false;
    }
    out() << "  " << idle.size() << " idle connections open; server RSS "
          << QString::number(rssBefore, 'f', 1) << " MiB before them, "
          << QString::number(residentMiB(server.pid()), 'f', 1) << " MiB with them" << Qt::endl;

    // The load, in slices of a few seconds; the RSS after each.
    constexpr int sliceMs = 5000;
    QList<double> rss;
    RequestStats total;
    qint64 requests = 0;
    QElapsedTimer soak;
    soak.start();
    int slice = 0;
    while (soak.elapsed() < qint64(settings.soakSeconds) * 1000) {
        const Case which = slice++ % 2 == 0 ? Case::ReplaceItems : Case::AddItem;
        const int measureMs =
            int(std::min<qint64>(sliceMs, qint64(settings.soakSeconds) * 1000 - soak.elapsed()));
        const CaseResult result = runCase(which, connections, users, skus, 0,
                                          std::max(measureMs, 200), settings.requestTimeoutMs);
        requests += result.main.ok;
        for (const auto &[status, count] : result.main.failures)
            total.failures[status] += count;
        rss << residentMiB(server.pid());
        out() << QString(u"  %1 s: %2 %3 /s, p99 %4 ms, errors %5; server RSS %6 MiB"_s)
                     .arg(soak.elapsed() / 1000.0, 5, 'f', 1)
                     .arg(caseName(which), -24)
                     .arg(double(result.main.ok) / result.seconds, 6, 'f', 0)
                     .arg(result.main.percentileMs(99), 0, 'f', 1)
                     .arg(failuresText(result.main))
                     .arg(rss.last(), 0, 'f', 1)
              << Qt::endl;
    }
    int stillOpen = 0;
    for (const auto &socket : idle)
        stillOpen += socket->state() == QAbstractSocket::ConnectedState ? 1 : 0;
    idle.clear(); // the idle connections close
    QElapsedTimer settle;
    settle.start();
    while (settle.elapsed() < 500)
        QCoreApplication::processEvents(QEventLoop::AllEvents, 50);
    // After them: every request of a last slice answered, and the database holds what was.
    const std::vector<BenchUser> before = users;
    const CaseResult after =
        runCase(Case::ReplaceItems, connections, users, skus, 0, 2000, settings.requestTimeoutMs);
    const Check check = verify(Case::ReplaceItems, database.db(), users, before);
    qint64 afterFailures = 0;
    for (const auto &[status, count] : after.main.failures)
        afterFailures += count;
    qint64 soakFailures = 0;
    for (const auto &[status, count] : total.failures)
        soakFailures += count;
    const double first = rss.value(std::min<qsizetype>(1, rss.size() - 1));
    const double last = rss.isEmpty() ? 0 : rss.last();
    const double peak = rss.isEmpty() ? 0 : *std::max_element(rss.begin(), rss.end());
    const bool flat = !rss.isEmpty() && last - first <= soakGrowthLimitMiB;
    const bool answered = after.main.ok > 0 && afterFailures == 0 && check.ok;
    out() << "  " << stillOpen << " of " << settings.idleConnections
          << " idle connections still open at the end; closed them" << Qt::endl
          << "  after: " << after.main.ok << " requests, " << afterFailures
          << " not answered 200; check: " << (check.ok ? u"ok, "_s : u"FAILED, "_s) << check.summary
          << Qt::endl;
    for (const QString &problem : check.problems)
        out() << "      " << problem << Qt::endl;
    if (!server.stop())
        out() << "warning: the server did not shut down cleanly on SIGTERM" << Qt::endl;
    const QString name = backend + u" soak"_s;
    out() << "SUMMARY|server-soak|" << name << " idle connections held|" << stillOpen << " of "
          << settings.idleConnections << '|' << settings.idleConnections << '|'
          << (stillOpen == settings.idleConnections ? "PASS" : "FAIL") << Qt::endl;
    out() << "SUMMARY|server-soak|" << name << " requests during " << settings.soakSeconds << " s|"
          << requests << " ok, " << soakFailures << " errors|0 errors|"
          << (soakFailures == 0 ? "PASS" : "FAIL") << Qt::endl;
    out() << "SUMMARY|server-soak|" << name << " server RSS (2nd slice -> last, peak)|"
          << QString::number(first, 'f', 1) << " -> " << QString::number(last, 'f', 1)
          << " MiB, peak " << QString::number(peak, 'f', 1)
          << " MiB|growth <= " << soakGrowthLimitMiB << " MiB|" << (flat ? "PASS" : "FAIL")
          << Qt::endl;
    out() << "SUMMARY|server-soak|" << name << " after the idle ones closed|" << after.main.ok
          << " answered, " << afterFailures << " not|all answered|" << (answered ? "PASS" : "FAIL")
          << Qt::endl;
    return stillOpen == settings.idleConnections && soakFailures == 0 && flat && answered;
}

} // namespace

int main(int argc, char *argv[])
{
    // The load client on Qt's own event dispatcher, as safetill-server is (app/server/main.cpp):
    // with GLib's it made 5.9 system calls per PUT /current (its wake-up file written twice per
    // request), with Qt's 3.5. The client shares the machine with the server and PostgreSQL, so
    // its own cost is taken from what it measures.
    if (!qEnvironmentVariableIsSet("QT_NO_GLIB"))
        qputenv("QT_NO_GLIB", "1");
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(u"safetill-bench-server"_s);
    QCommandLineParser parser;
    parser.setApplicationDescription(
        u"Throughput and latency of safetill-server at 32 concurrent connections: PUT /current "
        "with If-Match, POST /current/items and PUT /current/complete, on SQLite and (with --pg "
        "or SAFETILL_TEST_PG_URL) PostgreSQL; then checks the database holds exactly what was "
        "acknowledged. Bounded: 3.5 s per case and about 45 s in all with the defaults, 20 s "
        "with --quick (every request times out after 10 s)."_s);
    parser.addHelpOption();
    parser.addOptions({
        {u"pg"_s, u"PostgreSQL URL (default: $SAFETILL_TEST_PG_URL; none: SQLite only)."_s,
         u"url"_s},
        {u"sqlite-only"_s, u"Skip PostgreSQL."_s},
        {u"postgres-only"_s, u"Skip SQLite."_s},
        {u"seconds"_s, u"Measured seconds per case, 1 to 20 (default 3)."_s, u"s"_s, u"3"_s},
        {u"connections"_s, u"Concurrent connections, 1 to 128 (default 32)."_s, u"n"_s, u"32"_s},
        {u"server"_s, u"The safetill-server executable (default: the one built with this)."_s,
         u"path"_s, QStringLiteral(SAFETILL_SERVER_PATH)},
        {u"dir"_s, u"Folder for the SQLite database (default: the temp folder; not tmpfs)."_s,
         u"dir"_s},
        {u"keep"_s, u"Keep the SQLite database or the PostgreSQL schema and print where it is."_s},
        {u"quick"_s, u"Short run: 1 s per case after 0.3 s of warm-up (about 20 s in all)."_s},
        {u"workers"_s, u"Pass --workers N to the server (default: its own default)."_s, u"n"_s},
        {u"server-arg"_s,
         u"Pass ARG on to the server (repeatable), e.g. --server-arg=--writer-lanes=3."_s,
         u"arg"_s},
        {u"soak"_s,
         u"Instead of the cases: the soak, SECONDS (10 to 600; 60 is the issue's) of load on the "
         "32 connections while --idle N more connections are held open, the server's RSS "
         "printed every 5 s; then the idle ones close and every request must still be "
         "answered. On SQLite, or PostgreSQL with --postgres-only."_s,
         u"seconds"_s},
        {u"idle"_s, u"Idle connections held open in the soak, 1 to 5000 (default 1000)."_s, u"n"_s,
         u"1000"_s},
        {u"case"_s,
         u"Run only this case: put, add or complete (repeatable; default: all three), e.g. to "
         "profile one."_s,
         u"case"_s},
    });
    parser.process(app);
    Settings settings;
    bool ok = false;
    const int seconds = parser.value(u"seconds"_s).toInt(&ok);
    if (!ok || seconds < 1 || seconds > 20) {
        std::fputs("--seconds is from 1 to 20\n", stderr);
        return 2;
    }
    settings.measureMs = seconds * 1000;
    if (parser.isSet(u"quick"_s)) {
        settings.measureMs = 1000;
        settings.warmUpMs = 300;
    }
    settings.connections = parser.value(u"connections"_s).toInt(&ok);
    if (!ok || settings.connections < 1 || settings.connections > 128) {
        std::fputs("--connections is from 1 to 128\n", stderr);
        return 2;
    }
    settings.serverPath = parser.value(u"server"_s);
    settings.dir = parser.value(u"dir"_s);
    settings.keep = parser.isSet(u"keep"_s);
    settings.workers = parser.value(u"workers"_s).toInt();
    settings.serverArguments = parser.values(u"server-arg"_s);
    settings.pgUrl = parser.isSet(u"pg"_s) ? parser.value(u"pg"_s)
                                           : qEnvironmentVariable("SAFETILL_TEST_PG_URL");
    if (parser.isSet(u"sqlite-only"_s))
        settings.pgUrl.clear();
    settings.sqlite = !parser.isSet(u"postgres-only"_s);
    if (parser.isSet(u"case"_s)) {
        settings.cases.clear();
        const QHash<QString, Case> byName{{u"put"_s, Case::ReplaceItems},
                                          {u"add"_s, Case::AddItem},
                                          {u"complete"_s, Case::Complete}};
        for (const QString &name : parser.values(u"case"_s)) {
            if (!byName.contains(name)) {
                std::fputs("--case is put, add or complete\n", stderr);
                return 2;
            }
            settings.cases.append(byName.value(name));
        }
    }

    if (parser.isSet(u"soak"_s)) {
        settings.soakSeconds = parser.value(u"soak"_s).toInt(&ok);
        if (!ok || settings.soakSeconds < 10 || settings.soakSeconds > 600) {
            std::fputs("--soak is from 10 to 600 seconds\n", stderr);
            return 2;
        }
        settings.idleConnections = parser.value(u"idle"_s).toInt(&ok);
        if (!ok || settings.idleConnections < 1 || settings.idleConnections > 5000) {
            std::fputs("--idle is from 1 to 5000\n", stderr);
            return 2;
        }
        const bool postgres = parser.isSet(u"postgres-only"_s);
        if (postgres && settings.pgUrl.isEmpty()) {
            std::fputs("--postgres-only needs --pg or SAFETILL_TEST_PG_URL\n", stderr);
            return 2;
        }
        return runSoak(settings, postgres) ? 0 : 1;
    }

    QList<Row> rows;
    bool checksOk = true;
    bool ranAll = true;
    if (settings.sqlite)
        ranAll = runBackend(settings, false, rows, &checksOk) && ranAll;
    if (!settings.pgUrl.isEmpty())
        ranAll = runBackend(settings, true, rows, &checksOk) && ranAll;
    else
        out() << "PostgreSQL: skipped (no --pg URL and no SAFETILL_TEST_PG_URL)" << Qt::endl;
    printSummary(rows, settings.connections);
    return ranAll && checksOk ? 0 : 1;
}
