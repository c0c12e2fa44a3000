// safetill-bench-sync: how fast a terminal's outbox reaches the central server. A real
// safetill-server process on 127.0.0.1 (SQLite, and PostgreSQL with --pg URL or
// SAFETILL_TEST_PG_URL), a terminal database with a backlog of N ops (default 10,000) made by the
// real OrderService, then one sync run of the real client (sync/SyncEngine, 500-op batches) drains
// it. Reports ops/s pushed, the time to drain the backlog and peak memory of both processes.
// Bounded: a drain gives up after 120 s; the whole run takes well under 150 s.

#include "BenchSupport.h"
#include "Database.h"
#include "DemoData.h"
#include "OrderService.h"
#include "SyncEngine.h"
#include "SyncTransport.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QTextStream>
#include <QUuid>

#include <cstdio>

using namespace Qt::StringLiterals;
using namespace SafeTill;
using namespace SafeTill::BenchSupport;

namespace {

// Peak resident memory (VmHWM) of a process, in MiB; -1 when unknown.
double peakRssMiB(qint64 pid)
{
    QFile status(u"/proc/%1/status"_s.arg(pid));
    if (!status.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : status.readAll().split('\n')) {
        if (line.startsWith("VmHWM:"))
            return line.mid(6).trimmed().split(' ').value(0).toDouble() / 1024.0;
    }
    return -1;
}

struct Measurement
{
    bool ok = false;
    QString error;
    int ops = 0;
    double drainSeconds = 0;
    int requests = 0;
    double clientRssMiB = -1;
    double serverRssMiB = -1;
};

Measurement measure(const QString &serverDatabase, int opCount)
{
    Measurement m;
    QTemporaryDir dir;
    // The server's database: demo cashiers and catalog, and a device for this terminal.
    {
        QString error;
        std::unique_ptr<Database> db = Database::open(DatabaseOptions{serverDatabase}, &error);
        if (!db || !installDemoData(*db)) {
            m.error = u"server database: "_s + error;
            return m;
        }
    }
    QProcess admin;
    admin.start(QStringLiteral(SAFETILL_SERVER_PATH),
                {u"--db"_s, serverDatabase, u"device"_s, u"add"_s, u"bench "_s + newId().left(8)});
    admin.waitForFinished(30000);
    const QByteArray token = admin.readAllStandardOutput().trimmed();
    if (admin.exitCode() != 0 || token.isEmpty()) {
        m.error = u"device add failed: "_s + QString::fromUtf8(admin.readAllStandardError());
        return m;
    }
    QProcess server;
    server.setProgram(QStringLiteral(SAFETILL_SERVER_PATH));
    server.setArguments({u"--listen"_s, u"127.0.0.1:0"_s, u"--db"_s, serverDatabase});
    server.setStandardErrorFile(dir.filePath(u"server.log"_s));
    server.start();
    QByteArray line;
    QElapsedTimer wait;
    wait.start();
    while (!line.contains('\n') && wait.elapsed() < 20000 && server.waitForStarted(100)) {
        server.waitForReadyRead(100);
        line += server.readAllStandardOutput();
    }
    const quint16 port = quint16(line.trimmed().mid(line.trimmed().lastIndexOf(':') + 1).toUInt());
    if (port == 0) {
        m.error = u"the server did not start"_s;
        return m;
    }
    const QUrl url(u"http://127.0.0.1:%1"_s.arg(port));

    // The terminal: a first sync pulls cashiers and catalog, then the backlog is made offline.
    DatabaseOptions terminalOptions{dir.filePath(u"terminal.sqlite"_s)};
    QString error;
    std::unique_ptr<Database> terminal = Database::open(terminalOptions, &error);
    if (!terminal) {
        m.error = error;
        return m;
    }
    SyncTransport transport(url, token, {});
    SyncPolicy policy;
    SyncEngine engine(*terminal, transport, url.toString(), policy);
    if (SyncRunReport first = engine.run(); first.status != SyncRunReport::Status::Done) {
        m.error = first.error;
        return m;
    }
    OrderService orders(*terminal);
    const QStringList cashiers{u"Alice"_s, u"Bob"_s, u"Maria"_s};
    const QStringList skus{u"COF-ESP"_s, u"COF-DBL"_s, u"COF-AME"_s, u"COF-CAP"_s};
    for (int round = 0; m.ops < opCount; ++round) {
        const QString cashier =
            terminal->scalar(u"SELECT id FROM cashiers WHERE name = ?"_s, {cashiers.at(round % 3)})
                .toString();
        const Result<Order> opened = orders.openOrResume(cashier, newId());
        if (!opened) {
            m.error = opened.message();
            return m;
        }
        ++m.ops;
        for (int i = 0; i < 8 && m.ops < opCount - 1; ++i, ++m.ops)
            orders.addProduct(OrderTarget::byId(opened->id), skus.at(i % skus.size()), 1, newId());
        orders.complete(OrderTarget::byId(opened->id), PaymentRequest{PaymentMethod::Cash, 100000},
                        std::nullopt, newId());
        ++m.ops;
    }
    m.ops = int(terminal->scalar(u"SELECT COUNT(*) FROM outbox WHERE state = 'pending'"_s).toInt());

    QElapsedTimer timer;
    timer.start();
    SyncRunReport report;
    // Bounded: a drain that is not done after 120 s is reported as a failure.
    while (timer.elapsed() < 120000) {
        report = SyncEngine(*terminal, transport, url.toString(), policy).run();
        m.requests += report.requests;
        if (report.status != SyncRunReport::Status::Offline || report.pendingAfter == 0)
            break;
    }
    m.drainSeconds = double(timer.nsecsElapsed()) / 1e9;
    m.ok = report.status == SyncRunReport::Status::Done && report.outboxEmpty();
    if (!m.ok)
        m.error = report.error.isEmpty()
                      ? u"ops left: %1 pending, %2 failed"_s.arg(report.pendingAfter)
                            .arg(report.failedAfter)
                      : report.error;
    m.clientRssMiB = peakRssMiB(QCoreApplication::applicationPid());
    m.serverRssMiB = peakRssMiB(server.processId());
    server.terminate();
    server.waitForFinished(15000);
    return m;
}

void print(const QString &name, const Measurement &m, int target, int minRate)
{
    if (!m.ok) {
        out() << name << ": FAILED: " << m.error << '\n';
        out() << "SUMMARY|" << name << "|ops/s pushed|-|>= " << minRate << " ops/s|FAIL\n";
        return;
    }
    const double rate = m.ops / m.drainSeconds;
    out() << name << ": " << m.ops << " ops drained in " << QString::number(m.drainSeconds, 'f', 2)
          << " s (" << m.requests << " requests), " << QString::number(rate, 'f', 0)
          << " ops/s; peak RSS client " << QString::number(m.clientRssMiB, 'f', 1)
          << " MiB, server " << QString::number(m.serverRssMiB, 'f', 1) << " MiB\n";
    out() << "SUMMARY|" << name << "|ops/s pushed|" << QString::number(rate, 'f', 0)
          << " ops/s|>= " << minRate << " ops/s|" << (rate >= minRate ? "PASS" : "FAIL") << '\n';
    out() << "SUMMARY|" << name << "|drain " << m.ops << " ops|"
          << QString::number(m.drainSeconds, 'f', 2) << " s|"
          << (m.ops >= target ? "< 10 s|" : "-|")
          << (m.ops >= target ? (m.drainSeconds < 10 ? "PASS" : "FAIL") : "-") << '\n';
    out() << "SUMMARY|" << name << "|client peak RSS|" << QString::number(m.clientRssMiB, 'f', 1)
          << " MiB|-|-\n";
    out() << "SUMMARY|" << name << "|server peak RSS|" << QString::number(m.serverRssMiB, 'f', 1)
          << " MiB|-|-\n";
    out().flush();
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(
        u"Pushes a backlog of terminal ops to a real safetill-server on 127.0.0.1 and reports "
        "ops/s, the drain time and peak memory. Bounded: each drain gives up after 120 s "
        "(in practice the whole run takes under a minute)."_s);
    parser.addHelpOption();
    parser.addOptions({
        {u"ops"_s, u"Backlog size (default 10000)."_s, u"n"_s, u"10000"_s},
        {u"quick"_s, u"A 2,000-op backlog (bench/run uses it when short of time)."_s},
        {u"pg"_s, u"Also measure a PostgreSQL server (default: SAFETILL_TEST_PG_URL)."_s, u"url"_s},
    });
    parser.process(app);
    const int ops =
        parser.isSet(u"quick"_s) ? 2000 : qBound(10, parser.value(u"ops"_s).toInt(), 200000);
    QTemporaryDir dir;
    print(u"sync-sqlite"_s, measure(dir.filePath(u"server.sqlite"_s), ops), 10000, 5000);
    const QString pg = parser.isSet(u"pg"_s) ? parser.value(u"pg"_s)
                                             : qEnvironmentVariable("SAFETILL_TEST_PG_URL");
    if (!pg.isEmpty())
        print(u"sync-postgres"_s, measure(pg, ops), 10000, 2500);
    else
        out() << "sync-postgres: skipped (no --pg URL and no SAFETILL_TEST_PG_URL)\n";
    return 0;
}
