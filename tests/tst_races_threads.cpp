// Races between threads of one process, each with its own connection to one database file,
// released together by a latch: SafeTill must never lose, duplicate or double-pay an order, and
// must never hand "busy" to the caller.

#include "CashierService.h"
#include "Database.h"
#include "OrderService.h"
#include "RaceChecks.h"
#include "TabService.h"
#include "TestSupport.h"
#include "Validation.h"

#include <QDeadlineTimer>
#include <QElapsedTimer>
#include <QRandomGenerator>
#include <QSet>
#include <QTest>
#include <QThread>

#include <atomic>
#include <latch>
#include <map>
#include <vector>

using namespace Qt::StringLiterals;
using namespace SafeTill;
using namespace SafeTill::Test;

namespace {

std::atomic<int> g_requestCounter{0};
std::atomic<int> g_retries{0};  // write() attempts beyond the first, over the whole suite
std::atomic<int> g_attempts{0}; // write() calls made by the threads

QString nextRid(const QString &prefix)
{
    return u"%1-%2"_s.arg(prefix).arg(++g_requestCounter);
}

const QStringList skus{u"COF-ESP"_s, u"BAK-CRO"_s, u"COF-LAT"_s,
                       u"TEA-GRN"_s, u"BAK-MUF"_s, u"SNK-SAL"_s};

const PaymentRequest bigCash{PaymentMethod::Cash, Limits::maxTenderCents};

// What one call returned, kept for the main thread to check.
struct Call
{
    Outcome outcome = Outcome::Error;
    bool replayed = false;
    std::optional<Order> order; // the new state on success, the current state on a refusal
    QString message;
};

Call record(Database &db, const Result<Order> &result)
{
    ++g_attempts;
    g_retries += std::max(0, db.lastWriteAttempts() - 1);
    return Call{result.outcome(), result.replayed(), result.value(),
                result.message() + result.detail()};
}

QString describe(const QList<Call> &calls)
{
    std::map<QString, int> counts;
    for (const Call &call : calls)
        ++counts[outcomeName(call.outcome) + (call.replayed ? u"(replay)"_s : QString())];
    QStringList parts;
    for (const auto &[name, n] : counts)
        parts << u"%1=%2"_s.arg(name).arg(n);
    for (const Call &call : calls) {
        if (call.outcome == Outcome::Busy || call.outcome == Outcome::Error) {
            parts << call.message;
            break;
        }
    }
    return parts.join(u' ');
}

qsizetype countOutcome(const QList<Call> &calls, Outcome outcome)
{
    return std::count_if(calls.begin(), calls.end(),
                         [&](const Call &call) { return call.outcome == outcome; });
}

Cents totalOf(const QList<OrderLine> &lines)
{
    Cents total = 0;
    for (const OrderLine &line : lines)
        total += line.totalCents();
    return total;
}

} // namespace

class TstRacesThreads : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void concurrentAddsAllKept();
    void concurrentReplacesSameVersion();
    void concurrentLogouts();
    void concurrentCompletes();
    void completeRacingEdits();
    void completeAtSeenVersionRacingEdits();
    void concurrentOpens();
    void concurrentAssignSameNewTabAndSettle();
    void concurrentIdempotentReplays();
    void mixedLoad();

private:
    Order prepareOrder(TestDatabase &database, const QString &cashierId,
                       const QList<std::pair<QString, int>> &items);
};

void TstRacesThreads::initTestCase()
{
    SAFETILL_REQUIRE_TEST_BACKEND();
    qInfo("database: %s", onPostgres() ? "PostgreSQL" : "SQLite");
}

void TstRacesThreads::cleanupTestCase()
{
    qInfo("write calls from racing threads: %d, busy retries inside write(): %d", g_attempts.load(),
          g_retries.load());
}

Order TstRacesThreads::prepareOrder(TestDatabase &database, const QString &cashierId,
                                    const QList<std::pair<QString, int>> &items)
{
    OrderService orders(database.db());
    std::optional<Order> order;
    for (const auto &[sku, qty] : items) {
        const Result<Order> added =
            orders.addProduct(OrderTarget::byCashier(cashierId), sku, qty, nextRid(u"prep"_s));
        if (!added)
            qFatal("preparing an order failed: %s", qPrintable(added.message()));
        order = *added;
    }
    return *order;
}

// N threads add products to one cashier's order (none open at the start, so the first adds also
// race to open it): every acknowledged add is on the order, nothing else is.
void TstRacesThreads::concurrentAddsAllKept()
{
    TestDatabase database;
    const QString alice = database.cashierId(u"Alice"_s);
    constexpr int threads = 4;
    constexpr int addsPerThread = 60;
    QList<Call> calls[threads];
    QList<QString> skusAdded[threads];

    QElapsedTimer timer;
    timer.start();
    runTogether(database, threads, [&](int index, Database &db) {
        OrderService orders(db);
        QRandomGenerator rng(quint32(100 + index));
        for (int i = 0; i < addsPerThread; ++i) {
            const QString sku = skus.at(int(rng.bounded(4)));
            calls[index] << record(
                db, orders.addProduct(OrderTarget::byCashier(alice), sku, 1, nextRid(u"add"_s)));
            skusAdded[index] << sku;
        }
    });
    const qint64 ms = timer.elapsed();

    QList<Call> all;
    QSet<QString> orderIds;
    QSet<int> versions;
    std::map<QString, int> acksPerSku;
    for (int t = 0; t < threads; ++t) {
        for (qsizetype i = 0; i < calls[t].size(); ++i) {
            const Call &call = calls[t].at(i);
            all << call;
            if (call.outcome != Outcome::Ok)
                continue;
            orderIds << call.order->id;
            versions << call.order->version;
            ++acksPerSku[skusAdded[t].at(i)];
        }
    }
    QCOMPARE(all.size(), qsizetype(threads * addsPerThread));
    QVERIFY2(countOutcome(all, Outcome::Ok) == all.size(), qPrintable(describe(all)));
    QCOMPARE(orderIds.size(), 1); // one order, opened once
    QCOMPARE(versions.size(),
             qsizetype(threads * addsPerThread)); // every add got a version of its own
    const QString orderId = *orderIds.begin();

    Database &db = database.db();
    QCOMPARE(count(db, u"SELECT COALESCE(SUM(quantity), 0) FROM order_lines WHERE order_id = ?"_s,
                   {orderId}),
             qint64(threads * addsPerThread));
    for (const auto &[sku, acks] : acksPerSku) {
        QCOMPARE(count(db, u"SELECT quantity FROM order_lines WHERE order_id = ? AND sku = ?"_s,
                       {orderId, sku}),
                 qint64(acks));
    }
    QCOMPARE(count(db, u"SELECT version FROM order_sessions WHERE id = ?"_s, {orderId}),
             qint64(1 + threads * addsPerThread));
    QCOMPARE(count(db, u"SELECT COUNT(*) FROM order_sessions WHERE cashier_id = ?"_s, {alice}),
             qint64(1));
    QCOMPARE(count(db,
                   u"SELECT COUNT(*) FROM order_history WHERE order_id = ? AND action = 'open'"_s,
                   {orderId}),
             qint64(1));
    const QStringList problems = invariantViolations(db);
    QVERIFY2(problems.isEmpty(), qPrintable(problems.join(u"\n"_s)));
    VERIFY_DATABASE_CLEAN(db);
    qInfo("%d concurrent adds from %d threads in %lld ms (%.0f adds/s)", threads * addsPerThread,
          threads, ms, threads * addsPerThread * 1000.0 / double(std::max<qint64>(ms, 1)));
}

// Whole-list replaces that all saw the same version: exactly one wins, the rest are conflicts
// carrying the winner's state; the winner's list is what the order holds.
void TstRacesThreads::concurrentReplacesSameVersion()
{
    TestDatabase database;
    const QString bob = database.cashierId(u"Bob"_s);
    const Order order = prepareOrder(database, bob, {{u"COF-ESP"_s, 1}});
    constexpr int threads = 6;
    for (int round = 0; round < 8; ++round) {
        const int seen = int(
            count(database.db(), u"SELECT version FROM order_sessions WHERE id = ?"_s, {order.id}));
        QList<Call> calls[threads];
        runTogether(database, threads, [&](int index, Database &db) {
            OrderService orders(db);
            const QList<ItemSpec> items{ItemSpec{skus.at(index), {}, std::nullopt, index + 1},
                                        ItemSpec{{}, u"Round %1"_s.arg(round), 100 + index, 1}};
            calls[index] << record(db, orders.replaceLines(OrderTarget::byId(order.id), items, seen,
                                                           nextRid(u"replace"_s)));
        });
        QList<Call> all;
        int winner = -1;
        for (int t = 0; t < threads; ++t) {
            all << calls[t];
            if (calls[t].front().outcome == Outcome::Ok)
                winner = t;
        }
        QVERIFY2(countOutcome(all, Outcome::Ok) == 1, qPrintable(describe(all)));
        QVERIFY2(countOutcome(all, Outcome::Conflict) == threads - 1, qPrintable(describe(all)));
        for (const Call &call : std::as_const(all)) {
            QVERIFY(call.order);
            QCOMPARE(call.order->version, seen + 1); // a conflict shows the winner's state
        }
        Database &db = database.db();
        const QList<QVariantList> lines =
            queryRows(db,
                      u"SELECT sku, name, unit_price_cents, quantity FROM order_lines "
                      "WHERE order_id = ? ORDER BY line_no"_s,
                      {order.id});
        QCOMPARE(lines.size(), 2);
        QCOMPARE(lines.at(0).at(0).toString(), skus.at(winner));
        QCOMPARE(lines.at(0).at(3).toInt(), winner + 1);
        QCOMPARE(lines.at(1).at(1).toString(), u"Round %1"_s.arg(round));
        QCOMPARE(lines.at(1).at(2).toInt(), 100 + winner);
    }
    const QStringList problems = invariantViolations(database.db());
    QVERIFY2(problems.isEmpty(), qPrintable(problems.join(u"\n"_s)));
    VERIFY_DATABASE_CLEAN(database.db());
}

// Logging out from several windows at once: one logout, one logout time; the rest see the order
// already parked. Each round the cashier comes back (resume) and it happens again.
void TstRacesThreads::concurrentLogouts()
{
    TestDatabase database;
    const QString alice = database.cashierId(u"Alice"_s);
    const Order order = prepareOrder(database, alice, {{u"BAK-CRO"_s, 2}});
    OrderService main(database.db());
    constexpr int threads = 6;
    constexpr int rounds = 8;
    for (int round = 0; round < rounds; ++round) {
        if (round > 0) {
            const Result<Order> resumed = main.openOrResume(alice, nextRid(u"resume"_s));
            QVERIFY2(resumed, qPrintable(resumed.message()));
            QCOMPARE(resumed->id, order.id);
        }
        QList<Call> calls[threads];
        runTogether(database, threads, [&](int index, Database &db) {
            OrderService orders(db);
            const OrderTarget target =
                index % 2 ? OrderTarget::byId(order.id) : OrderTarget::byCashier(alice);
            calls[index] << record(db, orders.logOut(target, nextRid(u"logout"_s)));
        });
        QList<Call> all;
        std::optional<Order> winner;
        for (int t = 0; t < threads; ++t) {
            all << calls[t];
            if (calls[t].front().outcome == Outcome::Ok)
                winner = calls[t].front().order;
        }
        QVERIFY2(countOutcome(all, Outcome::Ok) == 1, qPrintable(describe(all)));
        QVERIFY2(countOutcome(all, Outcome::InvalidState) == threads - 1,
                 qPrintable(describe(all)));
        const QList<QVariantList> row =
            queryRows(database.db(),
                      u"SELECT status, logout_time FROM order_sessions WHERE id = ?"_s, {order.id});
        QCOMPARE(row.front().at(0).toString(), u"pending_logout"_s);
        QCOMPARE(fromStorageTime(row.front().at(1).toString()), winner->logoutTime);
        QCOMPARE(count(database.db(),
                       u"SELECT COUNT(*) FROM order_history WHERE order_id = ? "
                       "AND action = 'logout'"_s,
                       {order.id}),
                 qint64(round + 1));
    }
    QCOMPARE(count(database.db(),
                   u"SELECT COUNT(*) FROM order_history WHERE order_id = ? AND action = 'resume'"_s,
                   {order.id}),
             qint64(rounds - 1));
    const QStringList problems = invariantViolations(database.db());
    QVERIFY2(problems.isEmpty(), qPrintable(problems.join(u"\n"_s)));
    VERIFY_DATABASE_CLEAN(database.db());
}

// Several windows press "Pay" with different request ids: one payment; the others are told the
// order is already paid (by id) or that there is no open order any more (by cashier).
void TstRacesThreads::concurrentCompletes()
{
    TestDatabase database;
    const QString bob = database.cashierId(u"Bob"_s);
    constexpr int threads = 6;
    for (int round = 0; round < 8; ++round) {
        const bool byId = round % 2 == 0;
        const Order order =
            prepareOrder(database, bob, {{u"COF-LAT"_s, 1 + round}, {u"BAK-MUF"_s, 1}});
        const Cents total = order.totalCents();
        QList<Call> calls[threads];
        runTogether(database, threads, [&](int index, Database &db) {
            OrderService orders(db);
            const OrderTarget target =
                byId ? OrderTarget::byId(order.id) : OrderTarget::byCashier(bob);
            calls[index] << record(
                db,
                orders.complete(target, PaymentRequest{PaymentMethod::Cash, total + 1000 + index},
                                std::nullopt, nextRid(u"pay"_s)));
        });
        QList<Call> all;
        int winner = -1;
        for (int t = 0; t < threads; ++t) {
            all << calls[t];
            if (calls[t].front().outcome == Outcome::Ok)
                winner = t;
        }
        QVERIFY2(countOutcome(all, Outcome::Ok) == 1, qPrintable(describe(all)));
        QVERIFY2(countOutcome(all, byId ? Outcome::InvalidState : Outcome::NotFound) == threads - 1,
                 qPrintable(describe(all)));
        Database &db = database.db();
        const QList<QVariantList> payments = queryRows(
            db,
            u"SELECT amount_cents, tendered_cents, change_cents FROM payments WHERE order_id = ?"_s,
            {order.id});
        QCOMPARE(payments.size(), 1);
        QCOMPARE(payments.front().at(0).toLongLong(), total);
        QCOMPARE(payments.front().at(1).toLongLong(), total + 1000 + winner); // the winner's tender
        QCOMPARE(payments.front().at(2).toLongLong(), 1000 + winner);
        QCOMPARE(queryValue(db, u"SELECT status FROM order_sessions WHERE id = ?"_s, {order.id})
                     .toString(),
                 u"completed"_s);
    }
    QCOMPARE(count(database.db(), u"SELECT COUNT(*) FROM payments"_s), qint64(8));
    const QStringList problems = invariantViolations(database.db());
    QVERIFY2(problems.isEmpty(), qPrintable(problems.join(u"\n"_s)));
    VERIFY_DATABASE_CLEAN(database.db());
}

// "Pay" (without an expected version) racing line edits from other windows: the payment is for
// exactly the lines the order had at completion, no edit lands after it, and every edit that
// lost the race is refused as invalid_state.
void TstRacesThreads::completeRacingEdits()
{
    TestDatabase database;
    const QString maria = database.cashierId(u"Maria"_s);
    constexpr int editors = 3;
    int editsBefore = 0;
    int editsRefused = 0;
    qint64 completionMs = 0; // the slowest completion: how long "Pay" waited for the lock
    for (int round = 0; round < 10; ++round) {
        const Order order = prepareOrder(database, maria, {{u"COF-ESP"_s, 2}, {u"BAK-CRO"_s, 1}});
        Call completion;
        std::atomic<bool> payReturned{false};
        int acceptedAfterPay[editors + 1] = {};
        QList<Call> edits[editors + 1];
        runTogether(database, editors + 1, [&](int index, Database &db) {
            OrderService orders(db);
            QRandomGenerator rng(quint32(round * 10 + index));
            if (index == 0) {
                QThread::usleep(ulong(rng.bounded(4000)));
                QElapsedTimer timer;
                timer.start();
                completion = record(db, orders.complete(OrderTarget::byId(order.id), bigCash,
                                                        std::nullopt, nextRid(u"pay"_s)));
                completionMs = std::max(completionMs, timer.elapsed());
                payReturned = true;
                return;
            }
            // Edits with short pauses, as windows make them, until the completion stops them:
            // an edit started after "Pay" returned must be refused, so the loop ends then at the
            // latest (the count and time bounds only guard against a broken build).
            QElapsedTimer bound;
            bound.start();
            for (int i = 0; i < 50000 && bound.elapsed() < 20000; ++i) {
                const bool afterPay = payReturned;
                const Call call =
                    i % 2
                        ? record(db, orders.setQuantity(OrderTarget::byId(order.id), 1,
                                                        1 + int(rng.bounded(5)), nextRid(u"qty"_s)))
                        : record(db, orders.addProduct(OrderTarget::byId(order.id),
                                                       skus.at(int(rng.bounded(6))), 1,
                                                       nextRid(u"edit"_s)));
                if (afterPay && call.outcome == Outcome::Ok)
                    ++acceptedAfterPay[index];
                edits[index] << call;
                if (call.outcome != Outcome::Ok)
                    break;
                QThread::usleep(ulong(rng.bounded(300)));
            }
        });
        QVERIFY2(completion.outcome == Outcome::Ok, qPrintable(completion.message));
        for (int t = 1; t <= editors; ++t)
            QCOMPARE(acceptedAfterPay[t], 0);
        const int paidVersion = completion.order->version;
        const Cents paid = completion.order->payment->amountCents;
        QCOMPARE(paid, totalOf(completion.order->lines));

        // The last edit before the completion shows exactly what was paid for.
        std::optional<Order> lastEdit;
        for (int t = 1; t <= editors; ++t) {
            QVERIFY(!edits[t].isEmpty());
            for (const Call &call : std::as_const(edits[t])) {
                if (call.outcome == Outcome::Ok) {
                    QVERIFY2(call.order->version < paidVersion,
                             "an edit was acknowledged after the order was paid");
                    if (!lastEdit || call.order->version > lastEdit->version)
                        lastEdit = call.order;
                    ++editsBefore;
                } else {
                    QVERIFY2(call.outcome == Outcome::InvalidState, qPrintable(call.message));
                    QVERIFY(call.order->status == OrderStatus::Completed);
                    ++editsRefused;
                }
            }
            QVERIFY2(edits[t].back().outcome == Outcome::InvalidState,
                     "an editor never saw the completion");
        }
        const Order &before = lastEdit ? *lastEdit : order;
        QCOMPARE(before.version, paidVersion - 1);
        QCOMPARE(totalOf(before.lines), paid);

        Database &db = database.db();
        QCOMPARE(count(db,
                       u"SELECT COALESCE(SUM(unit_price_cents * quantity), 0) FROM order_lines "
                       "WHERE order_id = ?"_s,
                       {order.id}),
                 paid);
        QCOMPARE(count(db, u"SELECT amount_cents FROM payments WHERE order_id = ?"_s, {order.id}),
                 paid);
        QCOMPARE(count(db, u"SELECT MAX(to_version) FROM order_history WHERE order_id = ?"_s,
                       {order.id}),
                 qint64(paidVersion));
        QCOMPARE(queryValue(db,
                            u"SELECT action FROM order_history WHERE order_id = ? "
                            "ORDER BY id DESC LIMIT 1"_s,
                            {order.id})
                     .toString(),
                 u"complete"_s);
    }
    qInfo("edits acknowledged before completion: %d, refused after it: %d; slowest completion "
          "%lld ms",
          editsBefore, editsRefused, completionMs);
    QVERIFY(editsBefore > 0); // the race really happened
    const QStringList problems = invariantViolations(database.db());
    QVERIFY2(problems.isEmpty(), qPrintable(problems.join(u"\n"_s)));
    VERIFY_DATABASE_CLEAN(database.db());
}

// The cashier pays for the version on screen while other windows keep editing: completion is
// refused as a conflict whenever the order moved on, and when it succeeds the payment is exactly
// the total that was on screen.
void TstRacesThreads::completeAtSeenVersionRacingEdits()
{
    TestDatabase database;
    const QString bob = database.cashierId(u"Bob"_s);
    constexpr int editors = 3;
    int conflicts = 0;
    for (int round = 0; round < 10; ++round) {
        const Order order = prepareOrder(database, bob, {{u"TEA-GRN"_s, 1}});
        QList<Call> payCalls;
        std::optional<Order> onScreen;
        QList<Call> edits[editors + 1];
        runTogether(database, editors + 1, [&](int index, Database &db) {
            OrderService orders(db);
            if (index == 0) {
                // Enough attempts to outlast the editors (3 x 400 edits): on PostgreSQL the
                // editors' row-lock queue lets one commit between nearly every read and pay, so the
                // payer may only get through once they stop. Ends at the first success either way.
                for (int attempt = 0; attempt < 3000; ++attempt) {
                    const Result<Order> seen = orders.order(order.id);
                    if (!seen)
                        break;
                    onScreen = *seen;
                    const Call call =
                        record(db, orders.complete(OrderTarget::byId(order.id),
                                                   PaymentRequest{PaymentMethod::Cash,
                                                                  seen->totalCents() + 500},
                                                   seen->version, nextRid(u"pay"_s)));
                    payCalls << call;
                    if (call.outcome != Outcome::Conflict)
                        break;
                }
                return;
            }
            QRandomGenerator rng(quint32(round * 10 + index));
            // Fewer edits on PostgreSQL, where the payer mostly waits for the editors to stop (see
            // above): the same races, in a tenth of the time.
            const int editsPerEditor = onPostgres() ? 60 : 400;
            for (int i = 0; i < editsPerEditor; ++i) {
                const Call call = record(db, orders.addProduct(OrderTarget::byId(order.id),
                                                               skus.at(int(rng.bounded(6))), 1,
                                                               nextRid(u"edit"_s)));
                edits[index] << call;
                if (call.outcome != Outcome::Ok)
                    break;
            }
        });
        QVERIFY(!payCalls.isEmpty());
        const Call &paid = payCalls.back();
        QVERIFY2(paid.outcome == Outcome::Ok, qPrintable(describe(payCalls)));
        for (qsizetype i = 0; i + 1 < payCalls.size(); ++i) {
            QVERIFY2(payCalls.at(i).outcome == Outcome::Conflict,
                     qPrintable(payCalls.at(i).message));
            ++conflicts;
        }
        QCOMPARE(paid.order->version, onScreen->version + 1);
        QCOMPARE(paid.order->payment->amountCents, onScreen->totalCents());
        QCOMPARE(paid.order->payment->changeCents, Cents(500));
        QCOMPARE(paid.order->lines.size(), onScreen->lines.size());
        for (int t = 1; t <= editors; ++t) {
            for (const Call &call : std::as_const(edits[t])) {
                if (call.outcome == Outcome::Ok)
                    QVERIFY(call.order->version <= onScreen->version);
                else
                    QVERIFY2(call.outcome == Outcome::InvalidState, qPrintable(call.message));
            }
        }
        QCOMPARE(count(database.db(),
                       u"SELECT COALESCE(SUM(unit_price_cents * quantity), 0) FROM order_lines "
                       "WHERE order_id = ?"_s,
                       {order.id}),
                 onScreen->totalCents());
    }
    qInfo("completions refused as conflicts because the order moved on: %d", conflicts);
    QVERIFY(conflicts > 0); // the race really happened
    const QStringList problems = invariantViolations(database.db());
    QVERIFY2(problems.isEmpty(), qPrintable(problems.join(u"\n"_s)));
    VERIFY_DATABASE_CLEAN(database.db());
}

// Log-ins from several windows at once: one order is opened (or resumed) once, and every window
// gets that same order.
void TstRacesThreads::concurrentOpens()
{
    TestDatabase database;
    const QString alice = database.cashierId(u"Alice"_s);
    OrderService main(database.db());
    constexpr int threads = 6;
    for (int round = 0; round < 5; ++round) {
        for (const QString &step : {u"open"_s, u"resume"_s, u"add-opens"_s}) {
            // open: the cashier has no open order; resume: it is parked; add-opens: none again,
            // and the racing adds open it.
            if (step == u"resume"_s) {
                const Result<Order> out =
                    main.logOut(OrderTarget::byCashier(alice), nextRid(u"out"_s));
                QVERIFY2(out, qPrintable(out.message()));
            } else {
                if (main.openOrderOf(alice)) {
                    const Result<Order> added = main.addProduct(OrderTarget::byCashier(alice),
                                                                u"BAK-CRO"_s, 1, nextRid(u"a"_s));
                    QVERIFY2(added, qPrintable(added.message()));
                    const Result<Order> paid = main.complete(OrderTarget::byCashier(alice), bigCash,
                                                             std::nullopt, nextRid(u"pay"_s));
                    QVERIFY2(paid, qPrintable(paid.message()));
                }
            }
            const qint64 ordersBefore =
                count(database.db(), u"SELECT COUNT(*) FROM order_sessions"_s);
            QList<Call> calls[threads];
            runTogether(database, threads, [&](int index, Database &db) {
                OrderService orders(db);
                calls[index] << record(db,
                                       step == u"add-opens"_s
                                           ? orders.addProduct(OrderTarget::byCashier(alice),
                                                               u"COF-ESP"_s, 1, nextRid(u"add"_s))
                                           : orders.openOrResume(alice, nextRid(u"open"_s)));
            });
            QList<Call> all;
            QSet<QString> ids;
            for (int t = 0; t < threads; ++t) {
                all << calls[t];
                if (calls[t].front().outcome == Outcome::Ok)
                    ids << calls[t].front().order->id;
            }
            QVERIFY2(countOutcome(all, Outcome::Ok) == threads, qPrintable(describe(all)));
            QCOMPARE(ids.size(), 1);
            const QString id = *ids.begin();
            Database &db = database.db();
            QCOMPARE(count(db,
                           u"SELECT COUNT(*) FROM order_sessions WHERE cashier_id = ? "
                           "AND status IN ('active', 'pending_logout')"_s,
                           {alice}),
                     qint64(1));
            QCOMPARE(count(db, u"SELECT COUNT(*) FROM order_sessions"_s),
                     ordersBefore + (step == u"resume"_s ? 0 : 1));
            QCOMPARE(queryValue(db, u"SELECT status FROM order_sessions WHERE id = ?"_s, {id})
                         .toString(),
                     u"active"_s);
            const QString action = step == u"resume"_s ? u"resume"_s : u"open"_s;
            QCOMPARE(
                count(db, u"SELECT COUNT(*) FROM order_history WHERE order_id = ? AND action = ?"_s,
                      {id, action}),
                qint64(1));
            if (step == u"add-opens"_s) {
                QCOMPARE(count(db, u"SELECT quantity FROM order_lines WHERE order_id = ?"_s, {id}),
                         qint64(threads));
            } else if (step == u"open"_s) {
                for (const Call &call : std::as_const(all))
                    QCOMPARE(call.order->version, 1);
            }
        }
    }
    const QStringList problems = invariantViolations(database.db());
    QVERIFY2(problems.isEmpty(), qPrintable(problems.join(u"\n"_s)));
    VERIFY_DATABASE_CLEAN(database.db());
}

// Cashiers on different tills put their orders on "Table 7" at the same moment (spelled
// differently): one tab is created and holds every order. Then several tills settle it at once:
// one payment, for all of them.
void TstRacesThreads::concurrentAssignSameNewTabAndSettle()
{
    TestDatabase database;
    QStringList cashiers{database.cashierId(u"Alice"_s), database.cashierId(u"Bob"_s),
                         database.cashierId(u"Maria"_s)};
    for (const QString &name : {u"Dana"_s, u"Emil"_s, u"Farah"_s}) {
        const Result<Cashier> added = CashierService(database.db()).add(name, u"4321"_s);
        QVERIFY2(added, qPrintable(added.message()));
        cashiers << added->id;
    }
    const QStringList spellings{u"Table 7"_s, u"table 7"_s, u"  TABLE   7 "_s, u"Table 7"_s};
    const qsizetype threads = cashiers.size();
    constexpr int rounds = 5;
    for (int round = 0; round < rounds; ++round) {
        Cents expectedTotal = 0;
        for (qsizetype c = 0; c < threads; ++c)
            expectedTotal +=
                prepareOrder(database, cashiers.at(c), {{skus.at(c), 1 + round}}).totalCents();
        QList<Call> calls[6];
        runTogether(database, int(threads), [&](int index, Database &db) {
            OrderService orders(db);
            calls[index] << record(
                db, orders.assignToTab(OrderTarget::byCashier(cashiers.at(index)),
                                       spellings.at(index % 4), std::nullopt, nextRid(u"tab"_s)));
        });
        QList<Call> all;
        QSet<QString> tabIds;
        for (qsizetype t = 0; t < threads; ++t) {
            all << calls[t];
            if (calls[t].front().outcome == Outcome::Ok)
                tabIds << calls[t].front().order->tabId;
        }
        QVERIFY2(countOutcome(all, Outcome::Ok) == threads, qPrintable(describe(all)));
        QCOMPARE(tabIds.size(), 1);
        const QString tabId = *tabIds.begin();
        Database &db = database.db();
        QCOMPARE(
            count(db,
                  u"SELECT COUNT(*) FROM tabs WHERE name_key = 'table 7' AND status = 'open'"_s),
            qint64(1));
        QCOMPARE(count(db,
                       u"SELECT COUNT(*) FROM order_sessions WHERE tab_id = ? AND status = "
                       "'assigned'"_s,
                       {tabId}),
                 qint64(threads));
        QCOMPARE(count(db, u"SELECT version FROM tabs WHERE id = ?"_s, {tabId}),
                 qint64(1 + threads));

        // Settle from four tills at once, two by id and two by name.
        constexpr int settlers = 4;
        QList<Result<Tab>> settles[settlers];
        runTogether(database, settlers, [&](int index, Database &db) {
            TabService tabs(db);
            settles[index] << tabs.settle(index % 2 ? tabId : u"TABLE 7"_s, bigCash, std::nullopt,
                                          nextRid(u"settle"_s));
            g_retries += std::max(0, db.lastWriteAttempts() - 1);
        });
        int ok = 0;
        for (int t = 0; t < settlers; ++t) {
            const Result<Tab> &result = settles[t].front();
            if (result.isOk()) {
                ++ok;
                QCOMPARE(result->payment->amountCents, expectedTotal);
                QCOMPARE(result->orders.size(), threads);
            } else {
                // by id: already settled; by name: there is no open tab of that name any more
                QVERIFY2(result.outcome() == (t % 2 ? Outcome::InvalidState : Outcome::NotFound),
                         qPrintable(outcomeName(result.outcome()) + u": "_s + result.message()));
            }
        }
        QCOMPARE(ok, 1);
        QCOMPARE(count(db, u"SELECT COUNT(*) FROM payments WHERE tab_id = ?"_s, {tabId}),
                 qint64(1));
        QCOMPARE(count(db, u"SELECT amount_cents FROM payments WHERE tab_id = ?"_s, {tabId}),
                 expectedTotal);
        QCOMPARE(count(db,
                       u"SELECT COUNT(*) FROM order_sessions WHERE tab_id = ? AND status = "
                       "'completed'"_s,
                       {tabId}),
                 qint64(threads));
    }
    QCOMPARE(count(database.db(), u"SELECT COUNT(*) FROM tabs WHERE status = 'settled'"_s),
             qint64(rounds));
    const QStringList problems = invariantViolations(database.db());
    QVERIFY2(problems.isEmpty(), qPrintable(problems.join(u"\n"_s)));
    VERIFY_DATABASE_CLEAN(database.db());
}

// One intent delivered several times at once (a double-click, a client retry): one effect, and
// every delivery gets the same answer. The same request id with different parameters is refused.
void TstRacesThreads::concurrentIdempotentReplays()
{
    TestDatabase database;
    const QString bob = database.cashierId(u"Bob"_s);
    constexpr int threads = 6;
    Database &main = database.db();
    for (int round = 0; round < 5; ++round) {
        const Order order = prepareOrder(database, bob, {{u"BAK-CRO"_s, 1}});

        // The same add, six times at once.
        const QString addRid = nextRid(u"same-add"_s);
        QList<Call> adds[threads];
        runTogether(database, threads, [&](int index, Database &db) {
            adds[index] << record(db, OrderService(db).addProduct(OrderTarget::byId(order.id),
                                                                  u"COF-LAT"_s, 2, addRid));
        });
        QList<Call> all;
        QSet<int> versions;
        for (int t = 0; t < threads; ++t) {
            all << adds[t];
            if (adds[t].front().order)
                versions << adds[t].front().order->version;
        }
        QVERIFY2(countOutcome(all, Outcome::Ok) == threads, qPrintable(describe(all)));
        QCOMPARE(std::count_if(all.begin(), all.end(), [](const Call &c) { return !c.replayed; }),
                 std::ptrdiff_t(1));
        QCOMPARE(versions.size(), 1);
        QCOMPARE(count(main, u"SELECT quantity FROM order_lines WHERE order_id = ? AND sku = ?"_s,
                       {order.id, u"COF-LAT"_s}),
                 qint64(2));
        QCOMPARE(
            count(main, u"SELECT COUNT(*) FROM order_history WHERE request_id = ?"_s, {addRid}),
            qint64(1));
        QCOMPARE(count(main, u"SELECT COUNT(*) FROM idempotency WHERE request_id = ?"_s, {addRid}),
                 qint64(1));
        QCOMPARE(count(main, u"SELECT COUNT(*) FROM outbox WHERE request_id = ?"_s, {addRid}),
                 qint64(1));

        // One request id used for two different adds at once: one wins, the same one replays,
        // the other is refused and changes nothing.
        const QString mixedRid = nextRid(u"mixed"_s);
        QList<Call> mixed[threads];
        runTogether(database, threads, [&](int index, Database &db) {
            mixed[index] << record(db, OrderService(db).addProduct(
                                           OrderTarget::byId(order.id),
                                           index % 2 ? u"TEA-GRN"_s : u"SNK-SAL"_s, 1, mixedRid));
        });
        int firstRuns = 0;
        int winnerParity = -1;
        for (int t = 0; t < threads; ++t) {
            if (mixed[t].front().outcome == Outcome::Ok && !mixed[t].front().replayed) {
                ++firstRuns;
                winnerParity = t % 2;
            }
        }
        QCOMPARE(firstRuns, 1);
        for (int t = 0; t < threads; ++t) {
            const Call &call = mixed[t].front();
            QVERIFY2(call.outcome == (t % 2 == winnerParity ? Outcome::Ok : Outcome::InvalidInput),
                     qPrintable(call.message));
        }
        QCOMPARE(count(main,
                       u"SELECT COUNT(*) FROM order_lines WHERE order_id = ? AND sku IN "
                       "('TEA-GRN', 'SNK-SAL')"_s,
                       {order.id}),
                 qint64(1));

        // The same payment, six times at once.
        const QString payRid = nextRid(u"same-pay"_s);
        QList<Call> pays[threads];
        runTogether(database, threads, [&](int index, Database &db) {
            pays[index] << record(db, OrderService(db).complete(OrderTarget::byId(order.id),
                                                                bigCash, std::nullopt, payRid));
        });
        all.clear();
        QSet<QString> receipts;
        for (int t = 0; t < threads; ++t) {
            all << pays[t];
            if (pays[t].front().order)
                receipts << pays[t].front().order->receiptNo;
        }
        QVERIFY2(countOutcome(all, Outcome::Ok) == threads, qPrintable(describe(all)));
        QCOMPARE(std::count_if(all.begin(), all.end(), [](const Call &c) { return !c.replayed; }),
                 std::ptrdiff_t(1));
        QCOMPARE(receipts.size(), 1);
        QCOMPARE(count(main, u"SELECT COUNT(*) FROM payments WHERE order_id = ?"_s, {order.id}),
                 qint64(1));
    }
    const QStringList problems = invariantViolations(main);
    QVERIFY2(problems.isEmpty(), qPrintable(problems.join(u"\n"_s)));
    VERIFY_DATABASE_CLEAN(main);
}

// Several tills doing everything at once for a while (bounded by count and time): no deadlock,
// no busy or error outcome, every acknowledged action stored, and every invariant holds.
void TstRacesThreads::mixedLoad()
{
    TestDatabase database;
    QStringList cashiers{database.cashierId(u"Alice"_s), database.cashierId(u"Bob"_s),
                         database.cashierId(u"Maria"_s)};
    for (const QString &name : {u"Dana"_s, u"Emil"_s}) {
        const Result<Cashier> added = CashierService(database.db()).add(name, u"4321"_s);
        QVERIFY2(added, qPrintable(added.message()));
        cashiers << added->id;
    }
    const QStringList tabNames{u"Table 1"_s, u"Table 2"_s, u"Terrace"_s};
    constexpr int threads = 4;
    constexpr int actionsPerThread = 300;
    constexpr qint64 timeBudgetMs = 20000;

    struct Tally
    {
        std::map<Outcome, int> outcomes;
        QStringList ackedRequestIds; // first executions only
        QStringList failures;        // busy / error messages, bad replays
        int actions = 0;
        int replays = 0;
        qint64 maxMs = 0;
    };
    Tally tallies[threads];
    QElapsedTimer wall;
    wall.start();
    runTogether(
        database, threads,
        [&](int index, Database &db) {
            OrderService orders(db);
            TabService tabs(db);
            QRandomGenerator rng(quint32(4242 + index));
            Tally &tally = tallies[index];
            struct Add
            {
                QString rid;
                QString cashier;
                QString sku;
                int qty;
            };
            std::optional<Add> lastAdd;
            const auto note = [&](Outcome outcome, bool replayed, const QString &rid,
                                  const QString &message, qint64 ms) {
                ++tally.actions;
                ++tally.outcomes[outcome];
                tally.maxMs = std::max(tally.maxMs, ms);
                ++g_attempts;
                g_retries += std::max(0, db.lastWriteAttempts() - 1);
                if (outcome == Outcome::Ok && !replayed)
                    tally.ackedRequestIds << rid;
                if (outcome == Outcome::Busy || outcome == Outcome::Error)
                    tally.failures << outcomeName(outcome) + u": "_s + message;
            };
            for (int i = 0; i < actionsPerThread && wall.elapsed() < timeBudgetMs; ++i) {
                const QString cashier = cashiers.at(int(rng.bounded(int(cashiers.size()))));
                const QString rid = nextRid(u"mix%1"_s.arg(index));
                const int roll = int(rng.bounded(100));
                const OrderTarget byCashier = OrderTarget::byCashier(cashier);
                const auto current = [&]() -> std::optional<Order> {
                    const Result<Order> open = orders.openOrderOf(cashier);
                    if (open.outcome() == Outcome::Busy || open.outcome() == Outcome::Error)
                        tally.failures << u"read: "_s + open.message();
                    return open ? std::optional<Order>(*open) : std::nullopt;
                };
                const auto randomLine = [&](const std::optional<Order> &order) {
                    return order && !order->lines.isEmpty()
                               ? order->lines.at(int(rng.bounded(int(order->lines.size())))).lineNo
                               : 1;
                };
                QElapsedTimer timer;
                timer.start();
                if (roll < 90) {
                    Result<Order> result = Result<Order>::invalidInput({});
                    if (roll < 38) {
                        const QString sku = skus.at(int(rng.bounded(6)));
                        const int qty = 1 + int(rng.bounded(3));
                        result = orders.addProduct(byCashier, sku, qty, rid);
                        if (result && !result.replayed())
                            lastAdd = Add{rid, cashier, sku, qty};
                    } else if (roll < 46) {
                        const int line = randomLine(current());
                        timer.restart();
                        result = orders.setQuantity(byCashier, line, 1 + int(rng.bounded(5)), rid);
                    } else if (roll < 50) {
                        const int line = randomLine(current());
                        timer.restart();
                        result = orders.removeLine(byCashier, line, rid);
                    } else if (roll < 55) {
                        const std::optional<Order> order = current();
                        QList<ItemSpec> items;
                        for (int n = 0, lines = 1 + int(rng.bounded(3)); n < lines; ++n)
                            items.append(ItemSpec{skus.at(int(rng.bounded(6))),
                                                  {},
                                                  std::nullopt,
                                                  1 + int(rng.bounded(3))});
                        timer.restart();
                        result =
                            orders.replaceLines(byCashier, items, order ? order->version : 1, rid);
                    } else if (roll < 68) {
                        const std::optional<Order> order = current();
                        const bool atVersion = order && rng.bounded(2) == 0;
                        timer.restart();
                        result = orders.complete(
                            order ? OrderTarget::byId(order->id) : byCashier, bigCash,
                            atVersion ? std::optional<int>(order->version) : std::nullopt, rid);
                        // paid for exactly what was on screen
                        if (result && atVersion &&
                            result->payment->amountCents != order->totalCents()) {
                            tally.failures
                                << u"paid %1, screen showed %2"_s.arg(result->payment->amountCents)
                                       .arg(order->totalCents());
                        }
                    } else if (roll < 74) {
                        result = orders.logOut(byCashier, rid);
                    } else if (roll < 82) {
                        result = orders.openOrResume(cashier, rid);
                    } else {
                        result = orders.assignToTab(
                            byCashier, tabNames.at(int(rng.bounded(int(tabNames.size())))),
                            std::nullopt, rid);
                    }
                    note(result.outcome(), result.replayed(), rid,
                         result.message() + result.detail(), timer.elapsed());
                } else if (roll < 96) {
                    const Result<Tab> settled =
                        tabs.settle(tabNames.at(int(rng.bounded(int(tabNames.size())))), bigCash,
                                    std::nullopt, rid);
                    note(settled.outcome(), settled.replayed(), rid,
                         settled.message() + settled.detail(), timer.elapsed());
                } else if (lastAdd) {
                    const Result<Order> again =
                        orders.addProduct(OrderTarget::byCashier(lastAdd->cashier), lastAdd->sku,
                                          lastAdd->qty, lastAdd->rid);
                    ++tally.replays;
                    if (!again.isOk() || !again.replayed())
                        tally.failures << u"replay of %1 was %2 (replayed %3)"_s.arg(
                            lastAdd->rid, outcomeName(again.outcome()),
                            again.replayed() ? u"yes"_s : u"no"_s);
                    note(again.outcome(), true, lastAdd->rid, again.message(), timer.elapsed());
                }
            }
        },
        90000);
    const qint64 ms = wall.elapsed();

    std::map<Outcome, int> outcomes;
    QStringList failures;
    QStringList acked;
    int actions = 0;
    int replays = 0;
    qint64 maxMs = 0;
    for (const Tally &tally : tallies) {
        for (const auto &[outcome, n] : tally.outcomes)
            outcomes[outcome] += n;
        failures << tally.failures;
        acked << tally.ackedRequestIds;
        actions += tally.actions;
        replays += tally.replays;
        maxMs = std::max(maxMs, tally.maxMs);
    }
    QStringList summary;
    for (const auto &[outcome, n] : outcomes)
        summary << u"%1=%2"_s.arg(outcomeName(outcome)).arg(n);
    qInfo("mixed load: %d actions from %d threads in %lld ms (%.0f actions/s), %d replays, "
          "slowest action %lld ms; %s",
          actions, threads, ms, actions * 1000.0 / double(std::max<qint64>(ms, 1)), replays, maxMs,
          qPrintable(summary.join(u' ')));

    QVERIFY2(failures.isEmpty(), qPrintable(failures.mid(0, 5).join(u"\n"_s)));
    QCOMPARE(outcomes[Outcome::Busy], 0);
    QCOMPARE(outcomes[Outcome::Error], 0);
    QVERIFY(outcomes[Outcome::Ok] > actions / 3); // the load really did something
    QVERIFY(actions >= threads * 50);             // and was not cut short by the clock at once

    Database &db = database.db();
    for (const QString &rid : std::as_const(acked)) {
        QVERIFY2(count(db, u"SELECT COUNT(*) FROM idempotency WHERE request_id = ?"_s, {rid}) == 1,
                 qPrintable(u"acknowledged request %1 has no stored result"_s.arg(rid)));
    }
    QVERIFY(count(db, u"SELECT COUNT(*) FROM payments"_s) > 0);
    const QStringList problems = invariantViolations(db);
    QVERIFY2(problems.isEmpty(), qPrintable(problems.join(u"\n"_s)));
    VERIFY_DATABASE_CLEAN(db);
}

QTEST_GUILESS_MAIN(TstRacesThreads)
#include "tst_races_threads.moc"
