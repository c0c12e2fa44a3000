// Retention (issue 12): sent outbox rows and idempotency records older than the period are pruned
// in bounded chunks; pending and failed ops, ops with a recorded problem and anything younger than
// the period are never touched, and a young request id still replays after a prune.

#include "TestSupport.h"

#include "Clock.h"
#include "OrderService.h"
#include "Retention.h"

#include <QSettings>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace SafeTill;

namespace {
const QDateTime startTime = QDateTime::fromString(u"2026-01-01T10:00:00.000Z"_s, Qt::ISODateWithMs);
constexpr qint64 dayMs = 24LL * 3600 * 1000;
} // namespace

class RetentionTest : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void prunesOldSentRowsAndOldResults();
    void keepsPendingFailedAndProblemRows();
    void youngRequestStillReplaysAfterPrune();
    void chunksAreBounded();
    void periodOutOfRangeChangesNothing();
    void periodFromSettings();

private:
    Database &db() { return m_tdb->db(); }
    qint64 count(const QString &sql) { return Test::queryValue(db(), sql).toLongLong(); }
    // One sale (open, add, complete): three actions, each with an outbox row and a stored result.
    QStringList sale(const QString &cashier);
    void markAllSent() { Test::queryValue(db(), u"UPDATE outbox SET state = 'sent'"_s); }

    std::unique_ptr<Test::TestDatabase> m_tdb;
    std::unique_ptr<ManualClock> m_clock;
    std::unique_ptr<OrderService> m_orders;
    int m_requests = 0;
};

void RetentionTest::init()
{
    m_tdb = std::make_unique<Test::TestDatabase>();
    m_clock = std::make_unique<ManualClock>(startTime);
    m_orders = std::make_unique<OrderService>(db(), *m_clock);
}

void RetentionTest::cleanup()
{
    if (m_tdb) {
        QVERIFY(Test::integrityOk(db()));
        QVERIFY(Test::foreignKeysOk(db()));
    }
    m_orders.reset();
    m_tdb.reset();
}

QStringList RetentionTest::sale(const QString &cashierName)
{
    const QString cashier = m_tdb->cashierId(cashierName);
    QStringList ids;
    for (int i = 0; i < 3; ++i)
        ids << u"req-%1"_s.arg(++m_requests);
    const auto target = OrderTarget::byCashier(cashier);
    if (!m_orders->openOrResume(cashier, ids.at(0)) ||
        !m_orders->addProduct(target, u"COF-ESP"_s, 1, ids.at(1)) ||
        !m_orders->complete(target, {PaymentMethod::Cash, 1000}, std::nullopt, ids.at(2)))
        qWarning("a sale failed");
    return ids;
}

void RetentionTest::prunesOldSentRowsAndOldResults()
{
    sale(u"Alice"_s);
    sale(u"Bob"_s);
    markAllSent();
    m_clock->advance(31 * dayMs);
    const QStringList young = sale(u"Alice"_s);
    markAllSent();
    QCOMPARE(count(u"SELECT COUNT(*) FROM outbox"_s), 9);
    QCOMPARE(count(u"SELECT COUNT(*) FROM idempotency"_s), 9);

    const Result<PruneReport> report = Retention(db(), *m_clock).prune(RetentionPolicy{});
    QVERIFY2(report, qPrintable(report.message()));
    QCOMPARE(report->outboxDeleted, 6);
    QCOMPARE(report->idempotencyDeleted, 6);
    QVERIFY(report->complete);
    QCOMPARE(report->cutoff, m_clock->now().addDays(-30));
    QCOMPARE(count(u"SELECT COUNT(*) FROM outbox"_s), 3);
    QCOMPARE(count(u"SELECT COUNT(*) FROM idempotency"_s), 3);
    for (const QString &id : young) {
        QCOMPARE(
            Test::queryValue(db(), u"SELECT COUNT(*) FROM idempotency WHERE request_id = ?"_s, {id})
                .toInt(),
            1);
    }
    // Orders, lines, payments and history are facts: never pruned.
    QCOMPARE(count(u"SELECT COUNT(*) FROM order_sessions"_s), 3);
    QCOMPARE(count(u"SELECT COUNT(*) FROM payments"_s), 3);
    QCOMPARE(count(u"SELECT COUNT(*) FROM order_history"_s), 9);

    // A second run finds nothing more.
    const Result<PruneReport> again = Retention(db(), *m_clock).prune(RetentionPolicy{});
    QVERIFY(again);
    QCOMPARE(again->outboxDeleted + again->idempotencyDeleted, 0);
}

void RetentionTest::keepsPendingFailedAndProblemRows()
{
    sale(u"Alice"_s); // seq 1..3
    sale(u"Bob"_s);   // seq 4..6
    Test::queryValue(db(), u"UPDATE outbox SET state = 'sent' WHERE seq IN (1, 2, 4, 5)"_s);
    Test::queryValue(db(), u"UPDATE outbox SET state = 'failed' WHERE seq = 3"_s);
    // seq 6 stays pending; seq 5 is sent but has a problem on record (kept for inspection).
    Test::queryValue(db(),
                     u"INSERT INTO sync_op_problems (seq, kind, code, message, at) "
                     "VALUES (5, 'conflict', 'stale_base', 'kept', '2026-01-01T10:00:00.000Z')"_s);
    m_clock->advance(400 * dayMs);

    const Result<PruneReport> report = Retention(db(), *m_clock).prune(RetentionPolicy{});
    QVERIFY2(report, qPrintable(report.message()));
    QCOMPARE(report->outboxDeleted, 3);
    QCOMPARE(count(u"SELECT COUNT(*) FROM outbox"_s), 3);
    QCOMPARE(count(u"SELECT COUNT(*) FROM outbox WHERE seq = 3 AND state = 'failed'"_s), 1);
    QCOMPARE(count(u"SELECT COUNT(*) FROM outbox WHERE seq = 5 AND state = 'sent'"_s), 1);
    QCOMPARE(count(u"SELECT COUNT(*) FROM outbox WHERE seq = 6 AND state = 'pending'"_s), 1);
    // Stored results are only for replays: all six are past the period.
    QCOMPARE(report->idempotencyDeleted, 6);
}

void RetentionTest::youngRequestStillReplaysAfterPrune()
{
    sale(u"Alice"_s);
    markAllSent();
    m_clock->advance(29 * dayMs);
    const QString cashier = m_tdb->cashierId(u"Bob"_s);
    QVERIFY(m_orders->openOrResume(cashier, u"young-open"_s));
    const Result<Order> added =
        m_orders->addProduct(OrderTarget::byCashier(cashier), u"COF-ESP"_s, 1, u"young-add"_s);
    QVERIFY(added);
    markAllSent();
    m_clock->advance(2 * dayMs); // the first sale is now 31 days old, the young add 2 days

    const Result<PruneReport> report = Retention(db(), *m_clock).prune(RetentionPolicy{});
    QVERIFY(report);
    QCOMPARE(report->idempotencyDeleted, 3);

    // The young request replays: same result, nothing changes.
    const Result<Order> replay =
        m_orders->addProduct(OrderTarget::byCashier(cashier), u"COF-ESP"_s, 1, u"young-add"_s);
    QVERIFY(replay);
    QVERIFY(replay.replayed());
    QCOMPARE(replay->version, added->version);
    QCOMPARE(replay->lines.value(0).quantity, 1);
    QCOMPARE(count(u"SELECT SUM(quantity) FROM order_lines l JOIN order_sessions o ON o.id = "
                   "l.order_id WHERE o.status = 'active'"_s),
             1);
}

void RetentionTest::chunksAreBounded()
{
    for (int i = 0; i < 3; ++i)
        sale(i % 2 ? u"Bob"_s : u"Alice"_s); // 9 outbox rows, 9 stored results
    markAllSent();
    m_clock->advance(60 * dayMs);

    RetentionPolicy policy;
    policy.chunkRows = 2;
    policy.maxChunks = 2;
    const Result<PruneReport> first = Retention(db(), *m_clock).prune(policy);
    QVERIFY(first);
    QVERIFY(!first->complete);
    QCOMPARE(first->outboxDeleted, 4); // two chunks of two, each its own transaction
    QCOMPARE(first->idempotencyDeleted, 4);
    QCOMPARE(first->transactions, 4);
    QCOMPARE(count(u"SELECT COUNT(*) FROM outbox"_s), 5);

    qint64 outbox = first->outboxDeleted;
    qint64 results = first->idempotencyDeleted;
    for (int run = 0; run < 10; ++run) {
        const Result<PruneReport> next = Retention(db(), *m_clock).prune(policy);
        QVERIFY(next);
        outbox += next->outboxDeleted;
        results += next->idempotencyDeleted;
        if (next->complete)
            break;
    }
    QCOMPARE(outbox, 9);
    QCOMPARE(results, 9);
    QCOMPARE(count(u"SELECT COUNT(*) FROM outbox"_s), 0);
    QCOMPARE(count(u"SELECT COUNT(*) FROM idempotency"_s), 0);

    // Oldest first: with a chunk bound, the rows that waited longest go before younger ones.
    sale(u"Alice"_s);
    markAllSent();
    m_clock->advance(dayMs);
    sale(u"Bob"_s);
    markAllSent();
    m_clock->advance(40 * dayMs);
    policy.chunkRows = 3;
    policy.maxChunks = 1;
    const Result<PruneReport> oldest = Retention(db(), *m_clock).prune(policy);
    QVERIFY(oldest);
    QCOMPARE(oldest->outboxDeleted, 3);
    QCOMPARE(count(u"SELECT MIN(seq) FROM outbox"_s), 13); // Bob's sale, seq 13..15, is left
}

void RetentionTest::periodOutOfRangeChangesNothing()
{
    sale(u"Alice"_s);
    markAllSent();
    m_clock->advance(400 * dayMs);
    for (const int days : {0, -5, RetentionPolicy::maximumDays + 1}) {
        RetentionPolicy policy;
        policy.days = days;
        const Result<PruneReport> report = Retention(db(), *m_clock).prune(policy);
        QCOMPARE(report.outcome(), Outcome::InvalidInput);
        QVERIFY(!report.message().isEmpty());
    }
    QCOMPARE(count(u"SELECT COUNT(*) FROM outbox"_s), 3);
    RetentionPolicy oneDay;
    oneDay.days = RetentionPolicy::minimumDays;
    QVERIFY(Retention(db(), *m_clock).prune(oneDay));
    QCOMPARE(count(u"SELECT COUNT(*) FROM outbox"_s), 0);
}

void RetentionTest::periodFromSettings()
{
    QTemporaryDir dir;
    QSettings settings(dir.filePath(u"settings.ini"_s), QSettings::IniFormat);
    QCOMPARE(RetentionPolicy::daysFromSettings(settings), RetentionPolicy::defaultDays);
    settings.setValue(RetentionPolicy::settingsKey(), 7);
    QCOMPARE(RetentionPolicy::daysFromSettings(settings), 7);
    for (const QVariant &bad : {QVariant(0), QVariant(-3), QVariant(u"soon"_s), QVariant(99999)}) {
        settings.setValue(RetentionPolicy::settingsKey(), bad);
        QCOMPARE(RetentionPolicy::daysFromSettings(settings), RetentionPolicy::defaultDays);
    }
}

QTEST_GUILESS_MAIN(RetentionTest)
#include "tst_retention.moc"
