// Races between separate OS processes on one database file: several safetill-stress-worker
// processes released together with --start-at, joined by real safetill-cli invocations. The
// database's conditional updates, constraints and idempotency table must hold across processes.

#include "CashierService.h"
#include "Database.h"
#include "OrderService.h"
#include "RaceChecks.h"
#include "TestSupport.h"
#include "Validation.h"

#include <QElapsedTimer>
#include <QFileInfo>
#include <QSet>
#include <QTest>
#include <QThread>

#include <map>
#include <vector>

using namespace Qt::StringLiterals;
using namespace SafeTill;
using namespace SafeTill::Test;

namespace {

constexpr int startDelayMs = 1000; // time for every process to start and open the database
constexpr int finishTimeoutMs = 60000;

using Workers = std::vector<std::unique_ptr<WorkerProcess>>;

std::unique_ptr<QProcess> startCli(const QString &dbPath, const QStringList &arguments)
{
    auto process = std::make_unique<QProcess>();
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(u"SAFETILL_PIN_HASH_COST"_s, u"fast"_s);
    process->setProcessEnvironment(env);
    process->setProgram(QString::fromUtf8(SAFETILL_CLI_PATH));
    process->setArguments(QStringList{u"--db"_s, dbPath} + arguments);
    process->start();
    return process;
}

// Sleeps until shortly before the workers' --start-at, so CLI processes started now hit the
// database while the workers are at it.
void waitUntil(qint64 epochMs)
{
    const qint64 wait = epochMs - QDateTime::currentMSecsSinceEpoch();
    if (wait > 0)
        QThread::msleep(ulong(wait));
}

struct Totals
{
    int ok = 0;
    int busy = 0;
    int error = 0;
    int badReplays = 0;
    int retries = 0;
    int late = 0;
    int actions = 0;
    qint64 maxMs = 0;
    QStringList problems;
};

// Waits for every worker; each must exit cleanly with a DONE line. Sums their counters.
Totals finishAll(Workers &workers)
{
    Totals totals;
    for (auto &worker : workers) {
        if (!worker->finish(finishTimeoutMs)) {
            totals.problems << u"worker did not finish cleanly: %1"_s.arg(worker->standardError());
            continue;
        }
        const std::optional<WorkerLine> done = worker->done();
        if (!done) {
            totals.problems << u"worker printed no DONE line"_s;
            continue;
        }
        totals.ok += done->number(u"ok"_s);
        totals.busy += done->number(u"busy"_s);
        totals.error += done->number(u"error"_s);
        totals.badReplays += done->number(u"bad_replays"_s);
        totals.retries += done->number(u"retries"_s);
        totals.actions += done->number(u"actions"_s);
        totals.maxMs = std::max<qint64>(totals.maxMs, done->number(u"max_ms"_s));
        totals.late += int(worker->linesOf(u"LATE"_s).size());
        if (done->number(u"ok"_s) != worker->acks())
            totals.problems << u"DONE says ok=%1 but %2 ACK lines were read"_s
                                   .arg(done->number(u"ok"_s))
                                   .arg(worker->acks());
        for (const WorkerLine &line : worker->linesOf(u"ERR"_s)) {
            const QString outcome = line.value(u"outcome"_s);
            if (outcome == u"busy"_s || outcome == u"error"_s)
                totals.problems << u"%1: %2"_s.arg(outcome, line.value(u"msg"_s));
        }
    }
    return totals;
}

// Exit status of a finished CLI process (-1 if it did not finish or crashed).
int finishCli(QProcess &process)
{
    if (!process.waitForFinished(finishTimeoutMs) || process.exitStatus() != QProcess::NormalExit)
        return -1;
    return process.exitCode();
}

} // namespace

class TstRacesProcesses : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void concurrentAdds();
    void concurrentCompletes();
    void concurrentOpens();
    void concurrentTabCreation();
    void concurrentLogouts();
    void idempotentReplayAcrossProcesses();
    void mixedLoad();

private:
    Workers startWorkers(const QString &dbPath, const QList<QStringList> &argumentLists,
                         qint64 *startAt = nullptr);
    int m_retries = 0;
    int m_late = 0;
};

void TstRacesProcesses::initTestCase()
{
    QVERIFY2(QFileInfo::exists(QString::fromUtf8(SAFETILL_STRESS_WORKER_PATH)),
             SAFETILL_STRESS_WORKER_PATH);
    QVERIFY2(QFileInfo::exists(QString::fromUtf8(SAFETILL_CLI_PATH)), SAFETILL_CLI_PATH);
}

void TstRacesProcesses::cleanupTestCase()
{
    qInfo("busy retries inside write() reported by the workers: %d; workers that started late: %d",
          m_retries, m_late);
}

Workers TstRacesProcesses::startWorkers(const QString &dbPath,
                                        const QList<QStringList> &argumentLists, qint64 *startAt)
{
    const qint64 at = QDateTime::currentMSecsSinceEpoch() + startDelayMs;
    if (startAt)
        *startAt = at;
    Workers workers;
    for (const QStringList &arguments : argumentLists) {
        workers.push_back(std::make_unique<WorkerProcess>(
            QStringList{u"--db"_s, dbPath, u"--start-at"_s, QString::number(at)} + arguments));
    }
    return workers;
}

// Four workers add 100 products each to one cashier's order while CLI processes add too: every
// acknowledged add is on the order, and nothing else is.
void TstRacesProcesses::concurrentAdds()
{
    TestDatabase database;
    constexpr int workerCount = 4;
    constexpr int adds = 100;
    QList<QStringList> arguments;
    for (int i = 0; i < workerCount; ++i) {
        arguments << QStringList{
            u"--mode"_s,    u"add"_s,       u"--count"_s, QString::number(adds),
            u"--cashier"_s, u"Alice"_s,     u"--seed"_s,  QString::number(i + 1),
            u"--tag"_s,     u"p%1"_s.arg(i)};
    }
    qint64 at = 0;
    QElapsedTimer timer;
    timer.start();
    Workers workers = startWorkers(database.path(), arguments, &at);
    waitUntil(at);
    std::vector<std::unique_ptr<QProcess>> clis;
    for (int i = 0; i < 4; ++i) {
        clis.push_back(startCli(database.path(), {u"add"_s, u"Alice"_s, u"COF-ESP"_s,
                                                  u"--request-id"_s, u"cli-add-%1"_s.arg(i)}));
    }
    const Totals totals = finishAll(workers);
    int cliOk = 0;
    for (auto &cli : clis) {
        const int status = finishCli(*cli);
        QVERIFY2(status == 0, qPrintable(QString::fromUtf8(cli->readAllStandardError())));
        ++cliOk;
    }
    const qint64 ms = timer.elapsed() - startDelayMs;
    QVERIFY2(totals.problems.isEmpty(), qPrintable(totals.problems.join(u"\n"_s)));
    QCOMPARE(totals.busy, 0);
    QCOMPARE(totals.error, 0);
    QCOMPARE(totals.ok, workerCount * adds);
    m_retries += totals.retries;
    m_late += totals.late;

    QSet<QString> orderIds;
    std::map<QString, int> acksPerSku;
    acksPerSku[u"COF-ESP"_s] += cliOk;
    Database &db = database.db();
    for (const auto &worker : workers) {
        for (const WorkerLine &ack : worker->linesOf(u"ACK"_s)) {
            orderIds << ack.value(u"order"_s);
            ++acksPerSku[ack.value(u"sku"_s)];
            QCOMPARE(count(db, u"SELECT COUNT(*) FROM idempotency WHERE request_id = ?"_s,
                           {ack.value(u"rid"_s)}),
                     qint64(1));
        }
    }
    QCOMPARE(orderIds.size(), 1);
    const QString orderId = *orderIds.begin();
    QCOMPARE(count(db, u"SELECT SUM(quantity) FROM order_lines WHERE order_id = ?"_s, {orderId}),
             qint64(workerCount * adds + cliOk));
    for (const auto &[sku, acks] : acksPerSku) {
        QCOMPARE(count(db, u"SELECT quantity FROM order_lines WHERE order_id = ? AND sku = ?"_s,
                       {orderId, sku}),
                 qint64(acks));
    }
    QCOMPARE(count(db, u"SELECT COUNT(*) FROM order_sessions"_s), qint64(1));
    const QStringList problems = invariantViolations(db);
    QVERIFY2(problems.isEmpty(), qPrintable(problems.join(u"\n"_s)));
    VERIFY_DATABASE_CLEAN(db);
    qInfo("%d adds from %d processes + %d CLI adds in %lld ms (%.0f adds/s), slowest %lld ms",
          totals.ok, workerCount, cliOk, ms, totals.ok * 1000.0 / double(std::max<qint64>(ms, 1)),
          totals.maxMs);
}

// Several processes try to complete one order (workers by id with different request ids, CLI
// processes by cashier): exactly one payment.
void TstRacesProcesses::concurrentCompletes()
{
    TestDatabase database;
    const QString bob = database.cashierId(u"Bob"_s);
    OrderService main(database.db());
    for (int round = 0; round < 3; ++round) {
        for (const QString &sku : {u"COF-LAT"_s, u"SNK-SAL"_s}) {
            QVERIFY(main.addProduct(OrderTarget::byCashier(bob), sku, 1 + round,
                                    u"prep-%1-%2"_s.arg(round).arg(sku)));
        }
        const Result<Order> order = main.openOrderOf(bob);
        QVERIFY(order);
        QList<QStringList> arguments;
        for (int i = 0; i < 4; ++i) {
            arguments << QStringList{u"--mode"_s, u"complete"_s, u"--order"_s,
                                     order->id,   u"--tag"_s,    u"pay%1-%2"_s.arg(round).arg(i)};
        }
        qint64 at = 0;
        Workers workers = startWorkers(database.path(), arguments, &at);
        waitUntil(at);
        std::vector<std::unique_ptr<QProcess>> clis;
        for (int i = 0; i < 2; ++i) {
            clis.push_back(startCli(database.path(), {u"complete"_s, u"Bob"_s, u"--method"_s,
                                                      u"cash"_s, u"--tendered"_s, u"100000"_s}));
        }
        const Totals totals = finishAll(workers);
        QVERIFY2(totals.problems.isEmpty(), qPrintable(totals.problems.join(u"\n"_s)));
        m_retries += totals.retries;
        m_late += totals.late;
        int cliOk = 0;
        for (auto &cli : clis) {
            const int status = finishCli(*cli);
            // 0 paid; 3 already paid (invalid state); 4 no open order any more (not found)
            QVERIFY2(status == 0 || status == 3 || status == 4,
                     qPrintable(u"exit %1: %2"_s.arg(status).arg(
                         QString::fromUtf8(cli->readAllStandardError()))));
            cliOk += status == 0 ? 1 : 0;
        }
        QCOMPARE(totals.ok + cliOk, 1);
        for (const auto &worker : workers) {
            for (const WorkerLine &err : worker->linesOf(u"ERR"_s))
                QCOMPARE(err.value(u"outcome"_s), u"invalid_state"_s);
        }
        Database &db = database.db();
        QCOMPARE(count(db, u"SELECT COUNT(*) FROM payments WHERE order_id = ?"_s, {order->id}),
                 qint64(1));
        QCOMPARE(count(db, u"SELECT amount_cents FROM payments WHERE order_id = ?"_s, {order->id}),
                 order->totalCents());
    }
    const QStringList problems = invariantViolations(database.db());
    QVERIFY2(problems.isEmpty(), qPrintable(problems.join(u"\n"_s)));
    VERIFY_DATABASE_CLEAN(database.db());
}

// Several processes open (or resume) one cashier's order again and again: one order, opened once.
void TstRacesProcesses::concurrentOpens()
{
    TestDatabase database;
    QList<QStringList> arguments;
    for (int i = 0; i < 4; ++i) {
        arguments << QStringList{u"--mode"_s,    u"open"_s,  u"--count"_s, u"20"_s,
                                 u"--cashier"_s, u"Maria"_s, u"--tag"_s,   u"open%1"_s.arg(i)};
    }
    qint64 at = 0;
    Workers workers = startWorkers(database.path(), arguments, &at);
    waitUntil(at);
    std::vector<std::unique_ptr<QProcess>> clis;
    for (int i = 0; i < 3; ++i)
        clis.push_back(startCli(database.path(), {u"open"_s, u"Maria"_s}));
    const Totals totals = finishAll(workers);
    QVERIFY2(totals.problems.isEmpty(), qPrintable(totals.problems.join(u"\n"_s)));
    QCOMPARE(totals.ok, 80);
    m_retries += totals.retries;
    m_late += totals.late;
    for (auto &cli : clis)
        QCOMPARE(finishCli(*cli), 0);

    QSet<QString> ids;
    for (const auto &worker : workers) {
        for (const WorkerLine &ack : worker->linesOf(u"ACK"_s)) {
            ids << ack.value(u"order"_s);
            QCOMPARE(ack.number(u"version"_s), 1); // nobody changed it: opened once
        }
    }
    QCOMPARE(ids.size(), 1);
    Database &db = database.db();
    QCOMPARE(count(db, u"SELECT COUNT(*) FROM order_sessions"_s), qint64(1));
    QCOMPARE(count(db, u"SELECT COUNT(*) FROM order_history WHERE action = 'open'"_s), qint64(1));
    const QStringList problems = invariantViolations(db);
    QVERIFY2(problems.isEmpty(), qPrintable(problems.join(u"\n"_s)));
    VERIFY_DATABASE_CLEAN(db);
}

// Four tills put their cashiers' orders on a new tab of the same name at the same moment (one of
// them through the CLI): one tab holding every order.
void TstRacesProcesses::concurrentTabCreation()
{
    TestDatabase database;
    QStringList names{u"Alice"_s, u"Bob"_s, u"Maria"_s, u"Dana"_s, u"Emil"_s};
    QVERIFY(CashierService(database.db()).add(u"Dana"_s, u"4321"_s));
    QVERIFY(CashierService(database.db()).add(u"Emil"_s, u"4321"_s));
    OrderService main(database.db());
    for (int round = 0; round < 3; ++round) {
        Cents total = 0;
        for (const QString &name : names) {
            const Result<Order> added =
                main.addProduct(OrderTarget::byCashier(database.cashierId(name)), u"TEA-GRN"_s,
                                1 + round, u"prep-%1-%2"_s.arg(round).arg(name));
            QVERIFY2(added, qPrintable(added.message()));
            total += added->totalCents();
        }
        const QStringList spellings{u"Table 9"_s, u"table 9"_s, u"TABLE 9"_s, u" Table  9"_s};
        QList<QStringList> arguments;
        for (int i = 0; i < 4; ++i) {
            arguments << QStringList{
                u"--mode"_s, u"assign"_s,     u"--cashier"_s, names.at(i),
                u"--tab"_s,  spellings.at(i), u"--tag"_s,     u"tab%1-%2"_s.arg(round).arg(i)};
        }
        qint64 at = 0;
        Workers workers = startWorkers(database.path(), arguments, &at);
        waitUntil(at);
        std::unique_ptr<QProcess> cli =
            startCli(database.path(), {u"assign-tab"_s, names.at(4), u"TABLE 9"_s});
        const Totals totals = finishAll(workers);
        QVERIFY2(totals.problems.isEmpty(), qPrintable(totals.problems.join(u"\n"_s)));
        QCOMPARE(totals.ok, 4);
        QCOMPARE(finishCli(*cli), 0);
        m_retries += totals.retries;
        m_late += totals.late;

        QSet<QString> tabIds;
        for (const auto &worker : workers) {
            for (const WorkerLine &ack : worker->linesOf(u"ACK"_s))
                tabIds << ack.value(u"tab"_s);
        }
        QCOMPARE(tabIds.size(), 1);
        const QString tabId = *tabIds.begin();
        Database &db = database.db();
        QCOMPARE(count(db, u"SELECT COUNT(*) FROM tabs WHERE status = 'open'"_s), qint64(1));
        QCOMPARE(count(db, u"SELECT COUNT(*) FROM order_sessions WHERE tab_id = ?"_s, {tabId}),
                 qint64(names.size()));

        // Settle it from three processes at once: one payment for all five orders.
        QList<QStringList> settlers;
        for (int i = 0; i < 3; ++i) {
            settlers << QStringList{u"--mode"_s, u"settle"_s, u"--tab"_s,
                                    tabId,       u"--tag"_s,  u"settle%1-%2"_s.arg(round).arg(i)};
        }
        Workers settling = startWorkers(database.path(), settlers);
        const Totals settled = finishAll(settling);
        QVERIFY2(settled.problems.isEmpty(), qPrintable(settled.problems.join(u"\n"_s)));
        QCOMPARE(settled.ok, 1);
        QCOMPARE(count(db, u"SELECT COUNT(*) FROM payments WHERE tab_id = ?"_s, {tabId}),
                 qint64(1));
        QCOMPARE(count(db, u"SELECT amount_cents FROM payments WHERE tab_id = ?"_s, {tabId}),
                 total);
    }
    const QStringList problems = invariantViolations(database.db());
    QVERIFY2(problems.isEmpty(), qPrintable(problems.join(u"\n"_s)));
    VERIFY_DATABASE_CLEAN(database.db());
}

// Several processes log the same cashier out at once: one logout, one logout time.
void TstRacesProcesses::concurrentLogouts()
{
    TestDatabase database;
    const QString alice = database.cashierId(u"Alice"_s);
    OrderService main(database.db());
    QVERIFY(main.addProduct(OrderTarget::byCashier(alice), u"BAK-CRO"_s, 1, u"prep"_s));
    for (int round = 0; round < 3; ++round) {
        if (round > 0)
            QVERIFY(main.openOrResume(alice, u"resume-%1"_s.arg(round)));
        QList<QStringList> arguments;
        for (int i = 0; i < 4; ++i) {
            arguments << QStringList{u"--mode"_s, u"logout"_s, u"--cashier"_s,
                                     u"Alice"_s,  u"--tag"_s,  u"out%1-%2"_s.arg(round).arg(i)};
        }
        qint64 at = 0;
        Workers workers = startWorkers(database.path(), arguments, &at);
        waitUntil(at);
        std::vector<std::unique_ptr<QProcess>> clis;
        for (int i = 0; i < 2; ++i)
            clis.push_back(startCli(database.path(), {u"logout"_s, u"Alice"_s}));
        const Totals totals = finishAll(workers);
        QVERIFY2(totals.problems.isEmpty(), qPrintable(totals.problems.join(u"\n"_s)));
        m_retries += totals.retries;
        m_late += totals.late;
        int cliOk = 0;
        for (auto &cli : clis) {
            const int status = finishCli(*cli);
            QVERIFY2(status == 0 || status == 3, qPrintable(u"exit %1"_s.arg(status)));
            cliOk += status == 0 ? 1 : 0;
        }
        QCOMPARE(totals.ok + cliOk, 1);
        Database &db = database.db();
        QCOMPARE(count(db, u"SELECT COUNT(*) FROM order_sessions WHERE status = 'pending_logout' "
                           "AND logout_time IS NOT NULL"_s),
                 qint64(1));
        QCOMPARE(count(db, u"SELECT COUNT(*) FROM order_history WHERE action = 'logout'"_s),
                 qint64(round + 1));
    }
    const QStringList problems = invariantViolations(database.db());
    QVERIFY2(problems.isEmpty(), qPrintable(problems.join(u"\n"_s)));
    VERIFY_DATABASE_CLEAN(database.db());
}

// One request id delivered by several processes at once and repeatedly: one effect.
void TstRacesProcesses::idempotentReplayAcrossProcesses()
{
    TestDatabase database;
    OrderService main(database.db());
    const Result<Order> order = main.addProduct(
        OrderTarget::byCashier(database.cashierId(u"Bob"_s)), u"BAK-CRO"_s, 1, u"prep"_s);
    QVERIFY(order);
    QList<QStringList> arguments;
    for (int i = 0; i < 4; ++i) {
        arguments << QStringList{u"--mode"_s,       u"add"_s,     u"--count"_s, u"5"_s,
                                 u"--order"_s,      order->id,    u"--sku"_s,   u"COF-LAT"_s,
                                 u"--request-id"_s, u"same-add"_s};
    }
    Workers workers = startWorkers(database.path(), arguments);
    const Totals totals = finishAll(workers);
    QVERIFY2(totals.problems.isEmpty(), qPrintable(totals.problems.join(u"\n"_s)));
    QCOMPARE(totals.ok, 20);
    int firstRuns = 0;
    QSet<int> versions;
    for (const auto &worker : workers) {
        for (const WorkerLine &ack : worker->linesOf(u"ACK"_s)) {
            firstRuns += ack.number(u"replayed"_s) == 0 ? 1 : 0;
            versions << ack.number(u"version"_s);
        }
    }
    QCOMPARE(firstRuns, 1);
    QCOMPARE(versions.size(), 1);
    Database &db = database.db();
    QCOMPARE(count(db, u"SELECT quantity FROM order_lines WHERE order_id = ? AND sku = 'COF-LAT'"_s,
                   {order->id}),
             qint64(1));
    QCOMPARE(count(db, u"SELECT COUNT(*) FROM order_history WHERE request_id = 'same-add'"_s),
             qint64(1));
    const QStringList problems = invariantViolations(db);
    QVERIFY2(problems.isEmpty(), qPrintable(problems.join(u"\n"_s)));
    VERIFY_DATABASE_CLEAN(db);
}

// Four processes doing everything at once (bounded by count and time): no busy or error outcome
// surfaces, every acknowledged action is stored, and every invariant holds.
void TstRacesProcesses::mixedLoad()
{
    TestDatabase database;
    QVERIFY(CashierService(database.db()).add(u"Dana"_s, u"4321"_s));
    constexpr int workerCount = 4;
    QList<QStringList> arguments;
    for (int i = 0; i < workerCount; ++i) {
        arguments << QStringList{u"--mode"_s,        u"mixed"_s,
                                 u"--count"_s,       u"400"_s,
                                 u"--duration-ms"_s, u"15000"_s,
                                 u"--cashier"_s,     u"Alice,Bob,Maria,Dana"_s,
                                 u"--tab"_s,         u"Table 1,Table 2,Terrace"_s,
                                 u"--seed"_s,        QString::number(7000 + i),
                                 u"--tag"_s,         u"mix%1"_s.arg(i)};
    }
    QElapsedTimer timer;
    timer.start();
    Workers workers = startWorkers(database.path(), arguments);
    const Totals totals = finishAll(workers);
    const qint64 ms = timer.elapsed() - startDelayMs;
    QVERIFY2(totals.problems.isEmpty(), qPrintable(totals.problems.join(u"\n"_s)));
    QCOMPARE(totals.busy, 0);
    QCOMPARE(totals.error, 0);
    QCOMPARE(totals.badReplays, 0);
    QVERIFY(totals.actions >= workerCount * 50);
    QVERIFY(totals.ok > totals.actions / 3);
    m_retries += totals.retries;
    m_late += totals.late;

    Database &db = database.db();
    int acked = 0;
    for (const auto &worker : workers) {
        for (const WorkerLine &ack : worker->linesOf(u"ACK"_s)) {
            ++acked;
            QVERIFY2(
                count(db, u"SELECT COUNT(*) FROM idempotency WHERE request_id = ?"_s,
                      {ack.value(u"rid"_s)}) == 1,
                qPrintable(u"acknowledged %1 has no stored result"_s.arg(ack.value(u"rid"_s))));
            if (ack.value(u"action"_s) == u"complete"_s) {
                QCOMPARE(count(db, u"SELECT amount_cents FROM payments WHERE order_id = ?"_s,
                               {ack.value(u"order"_s)}),
                         ack.value(u"amount"_s).toLongLong());
            }
        }
    }
    QVERIFY(count(db, u"SELECT COUNT(*) FROM payments"_s) > 0);
    const QStringList problems = invariantViolations(db);
    QVERIFY2(problems.isEmpty(), qPrintable(problems.join(u"\n"_s)));
    VERIFY_DATABASE_CLEAN(db);
    qInfo("mixed load: %d actions (%d acknowledged) from %d processes in about %lld ms "
          "(%.0f actions/s), slowest action %lld ms, busy retries %d",
          totals.actions, acked, workerCount, ms,
          totals.actions * 1000.0 / double(std::max<qint64>(ms, 1)), totals.maxMs, totals.retries);
}

QTEST_GUILESS_MAIN(TstRacesProcesses)
#include "tst_races_processes.moc"
