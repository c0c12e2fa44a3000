// Crash safety: writer processes are killed with SIGKILL at random moments in a stream of adds and
// payments. Whatever they acknowledged must be in the database, exactly once, with its effect;
// nothing may be half-written; and the next writer must carry on.

#include "Database.h"
#include "OrderService.h"
#include "RaceChecks.h"
#include "TestSupport.h"
#include "Validation.h"

#include <QElapsedTimer>
#include <QFileInfo>
#include <QRandomGenerator>
#include <QTest>

#include <map>
#include <vector>

using namespace Qt::StringLiterals;
using namespace SafeTill;
using namespace SafeTill::Test;

namespace {

constexpr int maxRounds = 40;
constexpr qint64 timeBudgetMs = 45000;
constexpr int workersPerRound = 2;

// One stream worker and when to kill it: after `killAfterAcks` ACK lines plus `extraDelayMs`.
struct Victim
{
    std::unique_ptr<WorkerProcess> worker;
    QString cashier;
    int killAfterAcks = 0;
    int extraDelayMs = 0;
    qint64 killAt = -1; // on the round's clock, once the ACK count is reached
    bool killed = false;
    bool finishedByItself = false;
};

} // namespace

class TstCrash : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void killedWritersLoseNothingAcknowledged();
};

void TstCrash::initTestCase()
{
    QVERIFY2(QFileInfo::exists(QString::fromUtf8(SAFETILL_STRESS_WORKER_PATH)),
             SAFETILL_STRESS_WORKER_PATH);
}

void TstCrash::killedWritersLoseNothingAcknowledged()
{
    TestDatabase database;
    const QString path = database.path();
    const QStringList cashiers{u"Alice"_s, u"Bob"_s};
    QRandomGenerator rng(20260501);
    QElapsedTimer budget;
    budget.start();

    int rounds = 0;
    int totalAcks = 0;
    int ackedAdds = 0;
    int ackedPayments = 0;
    int killedBeforeFirstAck = 0;
    for (; rounds < maxRounds && budget.elapsed() < timeBudgetMs; ++rounds) {
        std::vector<Victim> victims;
        for (int w = 0; w < workersPerRound; ++w) {
            Victim victim;
            victim.cashier = cashiers.at(w);
            // One kill in six lands before the first acknowledgement (during open, migration
            // check or the first transaction).
            const bool early = rng.bounded(6) == 0;
            victim.killAfterAcks = early ? 0 : 1 + int(rng.bounded(60));
            victim.extraDelayMs = int(rng.bounded(early ? 3 : 15));
            victim.worker = std::make_unique<WorkerProcess>(QStringList{
                u"--db"_s, path, u"--mode"_s, u"stream"_s, u"--count"_s, u"100000"_s,
                u"--cashier"_s, victim.cashier, u"--seed"_s, QString::number(rng.generate()),
                u"--tag"_s, u"r%1w%2"_s.arg(rounds).arg(w)});
            victims.push_back(std::move(victim));
        }

        // Watch the ACK lines as they come and kill each worker at its moment.
        QElapsedTimer clock;
        clock.start();
        while (clock.elapsed() < 15000) {
            bool allDone = true;
            for (Victim &victim : victims) {
                if (victim.killed || victim.finishedByItself)
                    continue;
                allDone = false;
                QProcess &process = victim.worker->process();
                process.waitForReadyRead(2); // delivers readyReadStandardOutput -> readLines()
                const bool ready = victim.killAfterAcks == 0
                                       ? !victim.worker->linesOf(u"READY"_s).isEmpty()
                                       : victim.worker->acks() >= victim.killAfterAcks;
                if (ready && victim.killAt < 0)
                    victim.killAt = clock.elapsed() + victim.extraDelayMs;
                if (victim.killAt >= 0 && clock.elapsed() >= victim.killAt) {
                    process.kill(); // SIGKILL: no chance to finish the transaction or flush
                    victim.killed = true;
                } else if (process.state() == QProcess::NotRunning) {
                    victim.finishedByItself = true;
                }
            }
            if (allDone)
                break;
        }
        for (Victim &victim : victims) {
            QVERIFY2(victim.killed, "a worker was neither killed nor still running in time");
            // Lines written completely before the kill were acknowledged after their commit;
            // a torn last line stays unparsed.
            victim.worker->finish(10000);
            QCOMPARE(victim.worker->process().exitStatus(), QProcess::CrashExit);
            if (victim.worker->acks() == 0)
                ++killedBeforeFirstAck;
        }

        // A fresh connection, as the next program to start would open.
        const std::unique_ptr<Database> db = database.open();
        const QStringList problems = invariantViolations(*db);
        QVERIFY2(problems.isEmpty(),
                 qPrintable(u"round %1:\n"_s.arg(rounds) + problems.join(u"\n"_s)));
        VERIFY_DATABASE_CLEAN(*db);

        OrderService orders(*db);
        for (const Victim &victim : victims) {
            std::optional<WorkerLine> lastAdd;
            for (const WorkerLine &ack : victim.worker->linesOf(u"ACK"_s)) {
                ++totalAcks;
                const QString rid = ack.value(u"rid"_s);
                const QString orderId = ack.value(u"order"_s);
                QVERIFY2(count(*db, u"SELECT COUNT(*) FROM idempotency WHERE request_id = ?"_s,
                               {rid}) == 1,
                         qPrintable(u"acknowledged %1 has no stored result"_s.arg(rid)));
                QVERIFY2(count(*db,
                               u"SELECT COUNT(*) FROM order_history WHERE request_id = ? "
                               "AND order_id = ? AND to_version = ?"_s,
                               {rid, orderId, ack.number(u"version"_s)}) == 1,
                         qPrintable(u"acknowledged %1 left no history entry"_s.arg(rid)));
                if (ack.value(u"action"_s) == u"add"_s) {
                    ++ackedAdds;
                    lastAdd = ack;
                    QVERIFY2(count(*db,
                                   u"SELECT COUNT(*) FROM order_lines WHERE order_id = ? "
                                   "AND sku = ? AND quantity >= 1"_s,
                                   {orderId, ack.value(u"sku"_s)}) == 1,
                             qPrintable(u"acknowledged add %1 is not on its order"_s.arg(rid)));
                } else {
                    ++ackedPayments;
                    const QList<QVariantList> payments = queryRows(
                        *db, u"SELECT amount_cents FROM payments WHERE order_id = ?"_s, {orderId});
                    QCOMPARE(payments.size(), 1);
                    QCOMPARE(payments.front().front().toLongLong(),
                             ack.value(u"amount"_s).toLongLong());
                }
            }
            // The acknowledged add, sent again (a retry after the crash): replayed, no change.
            if (lastAdd) {
                const qint64 before = count(*db,
                                            u"SELECT COALESCE(SUM(quantity), 0) FROM "
                                            "order_lines WHERE order_id = ?"_s,
                                            {lastAdd->value(u"order"_s)});
                const Result<Order> again =
                    orders.addProduct(OrderTarget::byCashier(database.cashierId(victim.cashier)),
                                      lastAdd->value(u"sku"_s), 1, lastAdd->value(u"rid"_s));
                QVERIFY2(again && again.replayed(), qPrintable(again.message()));
                QCOMPARE(again->version, lastAdd->number(u"version"_s));
                QCOMPARE(count(*db,
                               u"SELECT COALESCE(SUM(quantity), 0) FROM order_lines WHERE "
                               "order_id = ?"_s,
                               {lastAdd->value(u"order"_s)}),
                         before);
            }
        }
        // Every add, acknowledged or not, is counted exactly once: a line's quantity is the
        // number of its add entries in the history (each add in the stream is of quantity 1).
        const QList<QVariantList> miscounted = queryRows(
            *db, u"SELECT o.id, (SELECT COALESCE(SUM(quantity), 0) FROM order_lines l WHERE "
                 "l.order_id = o.id) AS q, (SELECT COUNT(*) FROM order_history h WHERE "
                 "h.order_id = o.id AND h.action = 'add_item') AS n FROM order_sessions o "
                 "WHERE q <> n"_s);
        QVERIFY2(
            miscounted.isEmpty(),
            qPrintable(miscounted.isEmpty() ? QString() : miscounted.front().front().toString()));

        // The next writer carries on: it adds to and pays whatever order the cashier has.
        for (const QString &name : cashiers) {
            const QString cashier = database.cashierId(name);
            const Result<Order> added =
                orders.addProduct(OrderTarget::byCashier(cashier), u"COF-ESP"_s, 1,
                                  u"after-r%1-%2"_s.arg(rounds).arg(name));
            QVERIFY2(added, qPrintable(added.message()));
            if (rng.bounded(2) == 0) {
                const Result<Order> paid =
                    orders.complete(OrderTarget::byId(added->id),
                                    PaymentRequest{PaymentMethod::Cash, Limits::maxTenderCents},
                                    added->version, u"after-pay-r%1-%2"_s.arg(rounds).arg(name));
                QVERIFY2(paid, qPrintable(paid.message()));
                QCOMPARE(paid->payment->amountCents, added->totalCents());
            }
        }
    }
    const std::unique_ptr<Database> db = database.open();
    const QStringList problems = invariantViolations(*db);
    QVERIFY2(problems.isEmpty(), qPrintable(problems.join(u"\n"_s)));
    VERIFY_DATABASE_CLEAN(*db);
    qInfo("%d rounds of %d killed writers in %lld ms: %d acknowledged actions checked (%d adds, "
          "%d payments); %d kills before the first acknowledgement; %lld orders, %lld payments",
          rounds, workersPerRound, budget.elapsed(), totalAcks, ackedAdds, ackedPayments,
          killedBeforeFirstAck, count(*db, u"SELECT COUNT(*) FROM order_sessions"_s),
          count(*db, u"SELECT COUNT(*) FROM payments"_s));
    QVERIFY(rounds >= 5);
    QVERIFY(ackedAdds > 0 && ackedPayments > 0);
}

QTEST_GUILESS_MAIN(TstCrash)
#include "tst_crash.moc"
