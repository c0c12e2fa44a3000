// services/: the one place the model services are built (Services) and the till's worker thread
// that runs them (TillBackend). What the side chosen there decides (a terminal's actions leave
// outbox rows for sync, the server's none), that the borrowing form leaves the caller's
// connection open, that a database that cannot be opened is a typed failure, and that the
// backend runs jobs and announces changes with QtCore alone (no widgets in this suite).

#include "ResultChecks.h"
#include "Services.h"
#include "TestSupport.h"
#include "TillBackend.h"

#include <QCoreApplication>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <optional>
#include <utility>

using namespace Qt::StringLiterals;
using namespace SafeTill;

namespace {

// One sale on a tab, every action through the given services: open, add 2 x COF-ESP (2.20),
// assign to a tab, settle in cash.
struct Sale
{
    QString orderId;
    QString tabId;
};

} // namespace

class ServicesTest : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();

    void terminalServicesLeaveAnOutboxRowPerAction();
    void serverServicesLeaveNoOutboxRows();
    void borrowedConnectionStaysOpen();
    void openFailureIsTyped();
    void backendRunsJobsAndAnnouncesActions();
    void backendSeesCommitsOfOtherConnections();

private:
    qint64 count(const QString &sql) { return Test::queryValue(m_tdb->db(), sql).toLongLong(); }
    // Runs the sale; each action must succeed and leave outboxPerAction outbox rows.
    void sell(Services &services, const QString &cashier, qint64 outboxPerAction, Sale *sale);

    std::unique_ptr<Test::TestDatabase> m_tdb;
};

void ServicesTest::initTestCase()
{
    SAFETILL_REQUIRE_TEST_BACKEND();
}

void ServicesTest::init()
{
    m_tdb = std::make_unique<Test::TestDatabase>();
}

void ServicesTest::cleanup()
{
    if (m_tdb)
        VERIFY_DATABASE_CLEAN(m_tdb->db());
    m_tdb.reset();
}

void ServicesTest::sell(Services &services, const QString &cashier, qint64 outboxPerAction,
                        Sale *sale)
{
    const QString cashierId = m_tdb->cashierId(cashier);
    qint64 before = count(u"SELECT COUNT(*) FROM outbox"_s);
    auto outboxGrowth = [&] {
        const qint64 now = count(u"SELECT COUNT(*) FROM outbox"_s);
        return now - std::exchange(before, now);
    };

    const Result<Order> opened = services.orders().openOrResume(cashierId, Test::newId());
    VERIFY_OK(opened);
    sale->orderId = opened->id;
    QCOMPARE(outboxGrowth(), outboxPerAction);
    const Result<Order> added = services.orders().addProduct(OrderTarget::byId(sale->orderId),
                                                             u"COF-ESP"_s, 2, Test::newId());
    VERIFY_OK(added);
    QCOMPARE(outboxGrowth(), outboxPerAction);
    const Result<Order> assigned = services.orders().assignToTab(
        OrderTarget::byId(sale->orderId), u"Table "_s + cashier, added->version, Test::newId());
    VERIFY_OK(assigned);
    QVERIFY(!assigned->tabId.isEmpty());
    sale->tabId = assigned->tabId;
    QCOMPARE(outboxGrowth(), outboxPerAction);
    const Result<Tab> tab = services.tabs().tab(sale->tabId);
    VERIFY_OK(tab);
    VERIFY_OK(services.tabs().settle(sale->tabId, PaymentRequest{PaymentMethod::Cash, 1000},
                                     tab->version, Test::newId()));
    QCOMPARE(outboxGrowth(), outboxPerAction);
}

void ServicesTest::terminalServicesLeaveAnOutboxRowPerAction()
{
    Result<std::unique_ptr<Services>> opened = Services::open(DatabaseOptions{m_tdb->path()});
    QVERIFY2(opened, qPrintable(opened.message()));
    Services &till = **opened;
    QCOMPARE(till.side(), SyncSide::Terminal);

    Sale sale;
    sell(till, u"Alice"_s, 1, &sale);
    if (QTest::currentTestFailed())
        return;
    QCOMPARE(count(u"SELECT COUNT(*) FROM outbox WHERE state = 'pending'"_s), 4);
    // The sale itself: the order completed by the tab's one payment of 2 x 2.20.
    QCOMPARE(Test::queryValue(m_tdb->db(), u"SELECT status FROM order_sessions WHERE id = ?"_s,
                              {sale.orderId})
                 .toString(),
             u"completed"_s);
    QCOMPARE(count(u"SELECT SUM(amount_cents) FROM payments WHERE tab_id = '%1'"_s.arg(sale.tabId)),
             440);
}

void ServicesTest::serverServicesLeaveNoOutboxRows()
{
    Services server(m_tdb->db(), SyncSide::Server);
    QCOMPARE(server.side(), SyncSide::Server);

    Sale sale;
    sell(server, u"Bob"_s, 0, &sale);
    if (QTest::currentTestFailed())
        return;
    QCOMPARE(count(u"SELECT COUNT(*) FROM outbox"_s), 0);
    // The actions happened all the same: history and the payment are there.
    QVERIFY(count(u"SELECT COUNT(*) FROM order_history WHERE order_id = '%1'"_s.arg(
                sale.orderId)) >= 3);
    QCOMPARE(count(u"SELECT SUM(amount_cents) FROM payments WHERE tab_id = '%1'"_s.arg(sale.tabId)),
             440);
    QVERIFY(server.verifier().run());
}

void ServicesTest::borrowedConnectionStaysOpen()
{
    {
        Services borrowed(m_tdb->db(), SyncSide::Server);
        QCOMPARE(&borrowed.database(), &m_tdb->db());
        const Result<QList<Cashier>> cashiers = borrowed.cashiers().list();
        QVERIFY(cashiers);
        QCOMPARE(cashiers->size(), 3);
    }
    // Gone with the services: nothing of the connection the test still holds.
    QCOMPARE(count(u"SELECT COUNT(*) FROM cashiers"_s), 3);
}

void ServicesTest::openFailureIsTyped()
{
    // A directory is no database file.
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const Result<std::unique_ptr<Services>> opened = Services::open(DatabaseOptions{dir.path()});
    QCOMPARE(opened.outcome(), Outcome::Error);
    QVERIFY(!opened.message().isEmpty());
    QVERIFY(!opened.value());

    const Result<std::unique_ptr<TillBackend>> backend =
        TillBackend::open(DatabaseOptions{dir.path()});
    QCOMPARE(backend.outcome(), Outcome::Error);
    QVERIFY(!backend.message().isEmpty());
}

void ServicesTest::backendRunsJobsAndAnnouncesActions()
{
    Result<std::unique_ptr<TillBackend>> opened = TillBackend::open(DatabaseOptions{m_tdb->path()});
    QVERIFY2(opened, qPrintable(opened.message()));
    TillBackend &backend = **opened;
    QCOMPARE(backend.databaseOptions().location, m_tdb->path());
    QSignalSpy changed(&backend, &TillBackend::changed);
    QObject window;

    std::optional<Result<QList<Cashier>>> listed;
    backend.query(
        &window, [](Services &services) { return services.cashiers().list(); },
        [&](const Result<QList<Cashier>> &result) { listed = result; });
    QTRY_VERIFY(listed.has_value());
    QVERIFY(*listed);
    QCOMPARE((*listed)->size(), 3);

    const QString alice = m_tdb->cashierId(u"Alice"_s);
    std::optional<Result<Order>> done;
    backend.act(
        &window,
        [alice](Services &services) {
            return services.orders().openOrResume(alice, u"backend-open"_s);
        },
        [&](const Result<Order> &result) { done = result; });
    QTRY_VERIFY(done.has_value());
    QVERIFY(*done);
    QTRY_VERIFY(changed.count() >= 1);
    // The till's services: the action is queued for sync.
    QCOMPARE(count(u"SELECT COUNT(*) FROM outbox WHERE request_id = 'backend-open'"_s), 1);

    // A result for a window that is gone is dropped; the job still runs.
    bool called = false;
    {
        QObject closed;
        backend.act(
            &closed,
            [alice](Services &services) {
                return services.orders().logOut(OrderTarget::byCashier(alice), u"backend-logout"_s);
            },
            [&](const Result<Order> &) { called = true; });
    }
    backend.drain();
    QCoreApplication::processEvents();
    QVERIFY(!called);
    QCOMPARE(count(u"SELECT COUNT(*) FROM outbox WHERE request_id = 'backend-logout'"_s), 1);
}

void ServicesTest::backendSeesCommitsOfOtherConnections()
{
    if (m_tdb->isPostgres())
        QSKIP("The till polls SQLite's data_version; PostgreSQL is the server's database.");
    Result<std::unique_ptr<TillBackend>> opened = TillBackend::open(DatabaseOptions{m_tdb->path()});
    QVERIFY2(opened, qPrintable(opened.message()));
    QSignalSpy changed(&**opened, &TillBackend::changed);
    // Another process's action, as far as the backend can tell: the test's own connection.
    Services other(m_tdb->db(), SyncSide::Terminal);
    QVERIFY(other.orders().openOrResume(m_tdb->cashierId(u"Bob"_s), Test::newId()));
    QTRY_VERIFY_WITH_TIMEOUT(changed.count() >= 1, 2000);
}

QTEST_GUILESS_MAIN(ServicesTest)
#include "tst_services.moc"
