// Roles and approvals (issue 15) in the model, on both databases: a cashier calling the service
// directly is refused a discount above the shop's limit and every price override (Forbidden,
// nothing written), a manager may, a cashier with a manager's PIN may and both are recorded, a
// wrong approver PIN or a non-manager approver is refused; the shop's limit is a validated
// setting; and the PIN lockout lives in the database: it survives a new connection and holds
// across processes (the CLI's wrong approver PINs lock the manager out for this process).

#include "Approvals.h"
#include "CashierService.h"
#include "CatalogService.h"
#include "Database.h"
#include "OrderService.h"
#include "ResultChecks.h"
#include "ShopSettings.h"
#include "TestSupport.h"

#include <QProcess>
#include <QTest>
#include <QTimeZone>

using namespace Qt::StringLiterals;
using namespace SafeTill;

namespace {

Discount percentOff(int bp, const QString &by)
{
    return Discount{DiscountKind::Percent, bp, u"Damaged box"_s, by};
}

Discount amountOff(Cents cents, const QString &by)
{
    return Discount{DiscountKind::Amount, cents, u"Loyalty"_s, by};
}

const Approver maria{u"Maria"_s, u"9999"_s};

struct Run
{
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
};

// safetill-cli on `db` with `input` on standard input: another process on the same database.
Run cli(const QString &db, const QStringList &arguments, const QByteArray &input)
{
    QProcess process;
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(u"SAFETILL_PIN_HASH_COST"_s, u"fast"_s);
    environment.insert(u"QT_LOGGING_RULES"_s, u"safetill.*.debug=false"_s);
    process.setProcessEnvironment(environment);
    process.start(QStringLiteral(SAFETILL_CLI_PATH), QStringList{u"--db"_s, db} + arguments);
    Run run;
    if (!process.waitForStarted(10'000))
        return run;
    process.write(input);
    process.closeWriteChannel();
    if (!process.waitForFinished(60'000)) {
        process.kill();
        process.waitForFinished();
        return run;
    }
    run.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -2;
    run.out = process.readAllStandardOutput();
    run.err = process.readAllStandardError();
    return run;
}

} // namespace

class ApprovalsTest : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();

    void cashierIsRefusedAndNothingIsWritten();
    void cashierMayGiveUpToTheLimit();
    void managerMay();
    void cashierWithManagersPinMayAndBothAreRecorded();
    void wrongOrNonManagerApproverIsRefused();
    void limitIsAValidatedShopSetting();
    void lockoutPersistsAcrossConnections();
    void lockoutHoldsAcrossProcesses();

private:
    qint64 count(const QString &sql, const QVariantList &values = {})
    {
        return Test::queryValue(m_tdb->db(), sql, values).toLongLong();
    }
    QString rid() { return Test::newId(); }
    // `cashier`'s open order with one line of 10.00.
    Order openWithOneLine(const QString &cashierId);
    // What the order and its history are now, to show that a refusal wrote nothing.
    QString snapshot(const QString &orderId);

    std::unique_ptr<Test::TestDatabase> m_tdb;
    std::unique_ptr<OrderService> m_orders;
    QString m_alice;
    QString m_bob;
    QString m_maria;
};

void ApprovalsTest::initTestCase()
{
    SAFETILL_REQUIRE_TEST_BACKEND();
}

void ApprovalsTest::init()
{
    m_tdb = std::make_unique<Test::TestDatabase>();
    m_orders = std::make_unique<OrderService>(m_tdb->db());
    m_alice = m_tdb->cashierId(u"Alice"_s);
    m_bob = m_tdb->cashierId(u"Bob"_s);
    m_maria = m_tdb->cashierId(u"Maria"_s);
    CatalogService catalog(m_tdb->db());
    VERIFY_OK(catalog.add(Product{u"TEN"_s, u"Ten"_s, 1000, {}, {}}));
}

void ApprovalsTest::cleanup()
{
    if (m_tdb)
        VERIFY_DATABASE_CLEAN(m_tdb->db());
    m_orders.reset();
    m_tdb.reset();
}

Order ApprovalsTest::openWithOneLine(const QString &cashierId)
{
    const Result<Order> opened = m_orders->openOrResume(cashierId, rid());
    if (!opened)
        return {};
    const Result<Order> added =
        m_orders->addProduct(OrderTarget::byCashier(cashierId), u"TEN"_s, 1, rid());
    return added ? *added : Order{};
}

QString ApprovalsTest::snapshot(const QString &orderId)
{
    return u"v%1 line-discounts %2 order-discount %3 prices %4 history %5 outbox %6"_s
        .arg(count(u"SELECT version FROM order_sessions WHERE id = ?"_s, {orderId}))
        .arg(count(u"SELECT COUNT(*) FROM order_lines WHERE order_id = ? AND discount_kind <> ''"_s,
                   {orderId}))
        .arg(count(u"SELECT COUNT(*) FROM order_sessions WHERE id = ? AND discount_kind <> ''"_s,
                   {orderId}))
        .arg(count(u"SELECT COUNT(*) FROM order_lines WHERE order_id = ? AND "
                   "list_price_cents IS NOT NULL"_s,
                   {orderId}))
        .arg(count(u"SELECT COUNT(*) FROM order_history WHERE order_id = ?"_s, {orderId}))
        .arg(count(u"SELECT COUNT(*) FROM outbox"_s));
}

void ApprovalsTest::cashierIsRefusedAndNothingIsWritten()
{
    const Order order = openWithOneLine(m_alice);
    QVERIFY(!order.id.isEmpty());
    const OrderTarget alice = OrderTarget::byCashier(m_alice);
    const QString before = snapshot(order.id);

    // The default limit is 10 %: 20 % off the line, 2.00 of 10.00, 20 % off the order.
    Result<Order> refused =
        m_orders->discountLine(alice, u"1"_s, percentOff(2000, m_alice), order.version, rid());
    VERIFY_OUTCOME(refused, Outcome::Forbidden);
    QVERIFY2(refused.message().contains(u"manager"_s), qPrintable(refused.message()));
    VERIFY_OUTCOME(
        m_orders->discountLine(alice, u"1"_s, amountOff(200, m_alice), order.version, rid()),
        Outcome::Forbidden);
    VERIFY_OUTCOME(m_orders->discountOrder(alice, percentOff(2000, m_alice), order.version, rid()),
                   Outcome::Forbidden);
    // A price override always needs a manager, up or down.
    refused = m_orders->overridePrice(alice, u"1"_s, 500, u"Price match"_s, m_alice, order.version,
                                      rid());
    VERIFY_OUTCOME(refused, Outcome::Forbidden);
    QVERIFY2(refused.message().contains(u"price override"_s), qPrintable(refused.message()));
    VERIFY_OUTCOME(
        m_orders->overridePrice(alice, u"1"_s, 1500, u"Dearer"_s, m_alice, order.version, rid()),
        Outcome::Forbidden);
    QCOMPARE(snapshot(order.id), before);

    // The same request id, retried with a manager's approval, then goes through.
    const QString id = rid();
    VERIFY_OUTCOME(
        m_orders->discountLine(alice, u"1"_s, percentOff(2000, m_alice), order.version, id),
        Outcome::Forbidden);
    VERIFY_OK(
        m_orders->discountLine(alice, u"1"_s, percentOff(2000, m_alice), order.version, id, maria));
}

void ApprovalsTest::cashierMayGiveUpToTheLimit()
{
    const Order order = openWithOneLine(m_alice);
    const OrderTarget alice = OrderTarget::byCashier(m_alice);
    // Exactly 10 % of the line: allowed.
    Result<Order> done =
        m_orders->discountLine(alice, u"1"_s, amountOff(100, m_alice), order.version, rid());
    VERIFY_OK(done);
    done = m_orders->discountLine(alice, u"1"_s, percentOff(1000, m_alice), done->version, rid());
    VERIFY_OK(done);
    // 10 % of the order after the line's own 10 %: 0.90 of 9.00; 0.91 is above.
    VERIFY_OUTCOME(m_orders->discountOrder(alice, amountOff(91, m_alice), done->version, rid()),
                   Outcome::Forbidden);
    done = m_orders->discountOrder(alice, amountOff(90, m_alice), done->version, rid());
    VERIFY_OK(done);
    // Taking a discount off needs nobody.
    done = m_orders->discountLine(alice, u"1"_s, Discount{}, done->version, rid());
    VERIFY_OK(done);
    QVERIFY(done->lines.at(0).discount.isNone());
    const QList<HistoryEntry> history = *m_orders->history(order.id);
    for (const HistoryEntry &entry : history)
        QVERIFY2(entry.approvedById.isEmpty(), qPrintable(entry.detail));
}

void ApprovalsTest::managerMay()
{
    const Order order = openWithOneLine(m_maria);
    const OrderTarget target = OrderTarget::byCashier(m_maria);
    Result<Order> done =
        m_orders->discountLine(target, u"1"_s, percentOff(5000, m_maria), order.version, rid());
    VERIFY_OK(done);
    done = m_orders->overridePrice(target, u"1"_s, 800, u"Price match"_s, m_maria, done->version,
                                   rid());
    VERIFY_OK(done);
    QCOMPARE(done->lines.at(0).unitPriceCents, 800);
    done = m_orders->discountOrder(target, percentOff(3000, m_maria), done->version, rid());
    VERIFY_OK(done);
    // A manager acting alone: nobody else approved it.
    const QList<HistoryEntry> history = *m_orders->history(order.id);
    for (const HistoryEntry &entry : history)
        QVERIFY2(entry.approvedById.isEmpty(), qPrintable(entry.detail));
    // Without an expected version too.
    VERIFY_OK(
        m_orders->discountLine(target, u"1"_s, percentOff(6000, m_maria), std::nullopt, rid()));
}

void ApprovalsTest::cashierWithManagersPinMayAndBothAreRecorded()
{
    const Order order = openWithOneLine(m_alice);
    const OrderTarget alice = OrderTarget::byCashier(m_alice);
    Result<Order> done = m_orders->discountLine(alice, u"1"_s, percentOff(5000, m_alice),
                                                order.version, rid(), maria);
    VERIFY_OK(done);
    QCOMPARE(done->lines.at(0).discount.byCashierId, m_alice);
    done = m_orders->overridePrice(alice, u"1"_s, 700, u"Price match"_s, m_alice, done->version,
                                   rid(), Approver{m_maria, u"9999"_s}); // by id works too
    VERIFY_OK(done);
    QCOMPARE(done->lines.at(0).unitPriceCents, 700);
    done = m_orders->discountOrder(alice, amountOff(300, m_alice), done->version, rid(), maria);
    VERIFY_OK(done);

    const QList<HistoryEntry> history = *m_orders->history(order.id);
    QStringList approved;
    for (const HistoryEntry &entry : history) {
        if (entry.approvedById.isEmpty())
            continue;
        QCOMPARE(entry.approvedById, m_maria);
        QCOMPARE(entry.cashierId, m_alice);
        QVERIFY2(entry.detail.contains(u"approved by Maria"_s), qPrintable(entry.detail));
        approved << entry.action;
    }
    QCOMPARE(approved, (QStringList{u"discount_line"_s, u"override_price"_s, u"discount_order"_s}));
    // In the database: the approver next to the cashier (order_history.cashier_id).
    QCOMPARE(count(u"SELECT COUNT(*) FROM order_history WHERE order_id = ? AND approved_by = ?"_s,
                   {order.id, m_maria}),
             3);
    // A right PIN leaves no failures behind.
    QCOMPARE(CashierService(m_tdb->db()).pinLockout(u"Maria"_s)->failures, 0);
}

void ApprovalsTest::wrongOrNonManagerApproverIsRefused()
{
    const Order order = openWithOneLine(m_alice);
    const OrderTarget alice = OrderTarget::byCashier(m_alice);
    const QString before = snapshot(order.id);

    Result<Order> refused =
        m_orders->discountLine(alice, u"1"_s, percentOff(5000, m_alice), order.version, rid(),
                               Approver{u"Maria"_s, u"1111"_s});
    VERIFY_OUTCOME(refused, Outcome::Forbidden);
    QVERIFY2(refused.message().contains(u"PIN"_s), qPrintable(refused.message()));
    // Bob's PIN is right, but Bob is a cashier.
    refused = m_orders->overridePrice(alice, u"1"_s, 500, u"Price match"_s, m_alice, order.version,
                                      rid(), Approver{u"Bob"_s, u"5678"_s});
    VERIFY_OUTCOME(refused, Outcome::Forbidden);
    QVERIFY2(refused.message().contains(u"not a manager"_s), qPrintable(refused.message()));
    VERIFY_OUTCOME(m_orders->discountOrder(alice, percentOff(5000, m_alice), order.version, rid(),
                                           Approver{u"Nobody"_s, u"9999"_s}),
                   Outcome::Forbidden);
    // A cashier cannot approve their own action with their own PIN.
    VERIFY_OUTCOME(m_orders->overridePrice(alice, u"1"_s, 500, u"Mine"_s, m_alice, order.version,
                                           rid(), Approver{u"Alice"_s, u"1234"_s}),
                   Outcome::Forbidden);
    QCOMPARE(snapshot(order.id), before);
    // The wrong approver PIN counted against Maria, like a wrong sign-in.
    const Result<CashierService::PinLockout> lockout =
        CashierService(m_tdb->db()).pinLockout(u"Maria"_s);
    VERIFY_OK(lockout);
    QCOMPARE(lockout->failures, 1);
    // An unknown actor is not found, whoever approves.
    VERIFY_OUTCOME(
        m_orders->overridePrice(alice, u"1"_s, 500, u"x"_s, rid(), order.version, rid(), maria),
        Outcome::NotFound);
}

void ApprovalsTest::limitIsAValidatedShopSetting()
{
    ShopSettings settings(m_tdb->db());
    QCOMPARE(*settings.cashierDiscountLimitPercent(),
             ShopSettings::defaultCashierDiscountLimitPercent);
    for (const QString &bad : {u"101"_s, u"-1"_s, u"ten"_s, u"12.5"_s}) {
        const Result<QString> refused = settings.set(u"cashier-discount-limit"_s, bad);
        VERIFY_OUTCOME(refused, Outcome::InvalidInput);
        QVERIFY2(refused.message().contains(u"cashier-discount-limit"_s),
                 qPrintable(refused.message()));
    }
    QCOMPARE(*settings.cashierDiscountLimitPercent(), 10);

    VERIFY_OK(settings.set(u"cashier-discount-limit"_s, u"25"_s));
    QCOMPARE(*settings.cashierDiscountLimitPercent(), 25);
    const Order order = openWithOneLine(m_alice);
    const OrderTarget alice = OrderTarget::byCashier(m_alice);
    Result<Order> done =
        m_orders->discountLine(alice, u"1"_s, percentOff(2500, m_alice), order.version, rid());
    VERIFY_OK(done);
    VERIFY_OUTCOME(
        m_orders->discountLine(alice, u"1"_s, percentOff(2501, m_alice), done->version, rid()),
        Outcome::Forbidden);

    // 0: every discount needs a manager.
    VERIFY_OK(settings.set(u"cashier-discount-limit"_s, u"0"_s));
    VERIFY_OUTCOME(
        m_orders->discountLine(alice, u"1"_s, amountOff(1, m_alice), done->version, rid()),
        Outcome::Forbidden);
    // Unset again: the default.
    VERIFY_OK(settings.set(u"cashier-discount-limit"_s, QString()));
    QCOMPARE(*settings.cashierDiscountLimitPercent(), 10);
}

void ApprovalsTest::lockoutPersistsAcrossConnections()
{
    ManualClock clock(QDateTime(QDate(2026, 12, 5), QTime(12, 0), QTimeZone::utc()));
    {
        CashierService cashiers(m_tdb->db(), clock);
        VERIFY_OUTCOME(cashiers.verifyPin(u"Bob"_s, u"0000"_s), Outcome::InvalidInput);
        VERIFY_OUTCOME(cashiers.verifyPin(u"Bob"_s, u"0001"_s), Outcome::InvalidInput);
        QVERIFY(!cashiers.pinLockout(u"Bob"_s)->lockedUntil.isValid()); // two are free
        VERIFY_OUTCOME(cashiers.verifyPin(u"Bob"_s, u"0002"_s), Outcome::InvalidInput);
        const Result<CashierService::PinLockout> locked = cashiers.pinLockout(u"Bob"_s);
        QCOMPARE(locked->failures, 3);
        QCOMPARE(locked->lockedUntil, clock.now().addSecs(1));
        // Locked: even the right PIN is refused, saying until when, and is not checked.
        const Result<Cashier> refused = cashiers.verifyPin(u"Bob"_s, u"5678"_s);
        VERIFY_OUTCOME(refused, Outcome::InvalidState);
        QVERIFY2(refused.message().contains(u"12:00:01"_s), qPrintable(refused.message()));
        QCOMPARE(cashiers.pinLockout(u"Bob"_s)->failures, 3);
    }
    {
        // A new connection (a restarted app) sees the same lockout.
        const std::unique_ptr<Database> other = m_tdb->open();
        CashierService cashiers(*other, clock);
        VERIFY_OUTCOME(cashiers.verifyPin(u"Bob"_s, u"5678"_s), Outcome::InvalidState);
        // Others are not affected.
        VERIFY_OK(cashiers.verifyPin(u"Alice"_s, u"1234"_s));
        // Each further wrong PIN doubles the wait: 2, 4, 8, 16, then 30 s at most.
        QList<int> waits;
        for (int i = 0; i < 6; ++i) {
            clock.set(cashiers.pinLockout(u"Bob"_s)->lockedUntil.isValid()
                          ? cashiers.pinLockout(u"Bob"_s)->lockedUntil
                          : clock.now());
            VERIFY_OUTCOME(cashiers.verifyPin(u"Bob"_s, u"0003"_s), Outcome::InvalidInput);
            waits << int(clock.now().secsTo(cashiers.pinLockout(u"Bob"_s)->lockedUntil));
        }
        QCOMPARE(waits, (QList<int>{2, 4, 8, 16, 30, 30}));
        // After the wait the right PIN works and resets the count.
        clock.set(cashiers.pinLockout(u"Bob"_s)->lockedUntil);
        VERIFY_OK(cashiers.verifyPin(u"Bob"_s, u"5678"_s));
        QCOMPARE(cashiers.pinLockout(u"Bob"_s)->failures, 0);
        QCOMPARE(count(u"SELECT COUNT(*) FROM pin_failures"_s), 0);
    }
    {
        // A new PIN set by an administrator works at once.
        CashierService cashiers(m_tdb->db(), clock);
        for (int i = 0; i < 3; ++i)
            VERIFY_OUTCOME(cashiers.verifyPin(u"Bob"_s, u"0000"_s), Outcome::InvalidInput);
        VERIFY_OUTCOME(cashiers.verifyPin(u"Bob"_s, u"5678"_s), Outcome::InvalidState);
        VERIFY_OK(cashiers.setPin(u"Bob"_s, u"8765"_s));
        VERIFY_OK(cashiers.verifyPin(u"Bob"_s, u"8765"_s));
    }
}

void ApprovalsTest::lockoutHoldsAcrossProcesses()
{
    const Order order = openWithOneLine(m_alice);
    QVERIFY(!order.id.isEmpty());
    // Another process (the CLI) is refused three times with a wrong approver PIN: exit 3.
    for (int i = 0; i < 3; ++i) {
        const Run run = cli(m_tdb->path(),
                            {u"discount"_s, u"Alice"_s, u"--line"_s, u"1"_s, u"--percent"_s,
                             u"50"_s, u"--reason"_s, u"Damaged"_s, u"--approver"_s, u"Maria"_s},
                            "1111\n");
        QVERIFY2(run.exitCode == 3, run.err.constData());
        QVERIFY2(run.err.contains("Not approved"), run.err.constData());
    }
    // This process sees Maria locked out by them, until a second after the third one.
    CashierService cashiers(m_tdb->db());
    const Result<CashierService::PinLockout> stored = cashiers.pinLockout(u"Maria"_s);
    VERIFY_OK(stored);
    QCOMPARE(stored->failures, 3);
    const QDateTime until = fromStorageTime(
        Test::queryValue(m_tdb->db(), u"SELECT locked_until FROM pin_failures"_s).toString());
    QVERIFY(until.isValid());
    ManualClock clock(until.addMSecs(-500));
    CashierService atThatTime(m_tdb->db(), clock);
    VERIFY_OUTCOME(atThatTime.verifyPin(u"Maria"_s, u"9999"_s), Outcome::InvalidState);
    // An approval by a locked-out manager is refused too, saying why.
    const Result<Authorization> refused =
        Approvals(atThatTime).authorize(m_alice, Permission::PriceOverride, maria);
    VERIFY_OUTCOME(refused, Outcome::Forbidden);
    QVERIFY2(refused.message().contains(u"locked"_s), qPrintable(refused.message()));
    // Nothing of the order changed in the other process.
    QCOMPARE(count(u"SELECT COUNT(*) FROM order_lines WHERE discount_kind <> ''"_s), 0);
    // Once it is over (waited for, not asserted on), the right PIN in the other process
    // approves, and resets the count.
    const qint64 left = QDateTime::currentDateTimeUtc().msecsTo(until);
    if (left > 0)
        QTest::qWait(int(left) + 50);
    const Run approved = cli(m_tdb->path(),
                             {u"discount"_s, u"Alice"_s, u"--line"_s, u"1"_s, u"--percent"_s,
                              u"50"_s, u"--reason"_s, u"Damaged"_s, u"--approver"_s, u"Maria"_s},
                             "9999\n");
    QVERIFY2(approved.exitCode == 0, approved.err.constData());
    QCOMPARE(cashiers.pinLockout(u"Maria"_s)->failures, 0);
    QCOMPARE(count(u"SELECT COUNT(*) FROM order_history WHERE approved_by = ?"_s, {m_maria}), 1);
    QCOMPARE(count(u"SELECT COUNT(*) FROM order_lines WHERE discount_kind <> ''"_s), 1);
}

QTEST_GUILESS_MAIN(ApprovalsTest)
#include "tst_approvals.moc"
