// The invariant checker (model/Verifier, `safetill-cli verify`, `safetill-server verify`): a
// database made by the real services (open, parked, completed and tab-settled orders, and sync to
// a server) is clean; then each promise is broken by raw SQL and the matching finding, and only
// it, must appear, with the InvalidState outcome and exit status 3.

#include "Approvals.h"
#include "CashierService.h"
#include "Database.h"
#include "OrderService.h"
#include "RefundService.h"
#include "SyncApplier.h"
#include "SyncTerminal.h"
#include "TabService.h"
#include "TestSupport.h"
#include "Verifier.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QProcessEnvironment>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <memory>

using namespace Qt::StringLiterals;
using namespace SafeTill;
using namespace SafeTill::Test;

namespace {

// Runs one statement outside the services (the test's way of breaking a promise).
void rawExec(Database &db, const QString &sql, const QVariantList &values = {})
{
    QSqlQuery query(db.connection());
    if (values.isEmpty()) { // DDL: PostgreSQL cannot prepare it
        if (!query.exec(sql))
            qFatal("failed: %s: %s", qPrintable(sql), qPrintable(query.lastError().text()));
        return;
    }
    if (!query.prepare(sql))
        qFatal("does not prepare: %s: %s", qPrintable(sql), qPrintable(query.lastError().text()));
    for (qsizetype i = 0; i < values.size(); ++i)
        query.bindValue(int(i), values.at(i));
    if (!query.exec())
        qFatal("failed: %s: %s", qPrintable(sql), qPrintable(query.lastError().text()));
}

const QString now = u"2026-03-01T10:00:00.000Z"_s;

// The sorted, distinct finding codes of a run; "not run: ..." when there is no report.
QStringList codes(const Result<VerifyReport> &result)
{
    if (!result.value())
        return {u"not run: "_s + result.message() + u' ' + result.detail()};
    QStringList list;
    for (const VerifyFinding &finding : result.value()->findings)
        list << finding.code;
    list.sort();
    list.removeDuplicates();
    return list;
}

QString describe(const Result<VerifyReport> &result)
{
    return result.value() ? toText(*result.value()) : result.message();
}

bool hasFinding(const Result<VerifyReport> &result, const QString &check, const QString &code,
                const QString &id)
{
    if (!result.value())
        return false;
    const QList<VerifyFinding> &findings = result.value()->findings;
    return std::any_of(findings.begin(), findings.end(), [&](const VerifyFinding &finding) {
        return finding.check == check && finding.code == code && finding.id == id &&
               !finding.message.isEmpty();
    });
}

// The result has exactly these finding codes, the outcome says so, and the named finding is
// there for the given id.
#define EXPECT_FINDINGS(result, expectedCodes, check, code, id)                                    \
    do {                                                                                           \
        const Result<VerifyReport> &checked_ = (result);                                           \
        QStringList expected_ = (expectedCodes);                                                   \
        expected_.sort();                                                                          \
        QVERIFY2(codes(checked_) == expected_, qPrintable(describe(checked_)));                    \
        QCOMPARE(checked_.outcome(), Outcome::InvalidState);                                       \
        QVERIFY2(hasFinding(checked_, check, code, id), qPrintable(describe(checked_)));           \
    } while (false)

struct CliRun
{
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
    QJsonObject json() const { return QJsonDocument::fromJson(out).object(); }
    QString describe() const
    {
        return u"exit %1\n--- stdout:\n%2\n--- stderr:\n%3"_s.arg(exitCode).arg(
            QString::fromUtf8(out), QString::fromUtf8(err));
    }
};

CliRun runProgram(const QString &program, const QStringList &args)
{
    QProcess process;
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(u"SAFETILL_PIN_HASH_COST"_s, u"fast"_s);
    environment.insert(u"QT_LOGGING_RULES"_s, u"safetill.*.debug=false"_s);
    process.setProcessEnvironment(environment);
    process.start(program, args);
    CliRun run;
    if (!process.waitForStarted(10'000) || !process.waitForFinished(60'000)) {
        process.kill();
        process.waitForFinished(5'000);
        run.err = "did not run: " + program.toUtf8();
        return run;
    }
    run.out = process.readAllStandardOutput();
    run.err = process.readAllStandardError();
    run.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -2;
    return run;
}

// The JSON report's shape: ok, checks [{name, status, count}], findings [{check, code, id,
// message}].
QString jsonShapeProblem(const QJsonObject &json, bool ok, bool onPostgres)
{
    if (!json.value(u"ok"_s).isBool() || json.value(u"ok"_s).toBool() != ok)
        return u"ok is not %1"_s.arg(ok);
    const QJsonArray checks = json.value(u"checks"_s).toArray();
    if (checks.size() != 7)
        return u"not 7 checks"_s;
    int findingCount = 0;
    for (const QJsonValue &value : checks) {
        const QJsonObject check = value.toObject();
        const QString status = check.value(u"status"_s).toString();
        if (check.value(u"name"_s).toString().isEmpty() || !check.value(u"count"_s).isDouble())
            return u"a check without name or count"_s;
        if (!QStringList{u"ok"_s, u"findings"_s, u"skipped"_s}.contains(status))
            return u"status %1"_s.arg(status);
        const QString name = check.value(u"name"_s).toString();
        const bool sqliteOnly = name == u"integrity_check"_s || name == u"foreign_key_check"_s;
        if ((status == u"skipped"_s) != (sqliteOnly && onPostgres))
            return u"%1 is %2"_s.arg(name, status);
        if ((status == u"findings"_s) != (check.value(u"count"_s).toInt() > 0))
            return u"%1: status and count disagree"_s.arg(name);
        findingCount += check.value(u"count"_s).toInt();
    }
    const QJsonArray findings = json.value(u"findings"_s).toArray();
    if (!json.value(u"findings"_s).isArray() || findings.size() != findingCount)
        return u"findings do not match the counts"_s;
    for (const QJsonValue &value : findings) {
        const QJsonObject finding = value.toObject();
        for (const QString &key : {u"check"_s, u"code"_s, u"id"_s, u"message"_s}) {
            if (!finding.value(key).isString())
                return u"a finding without %1"_s.arg(key);
        }
    }
    return {};
}

// A terminal whose outbox rows come as the applier's ops.
class Terminal : public SyncTerminal
{
public:
    using SyncTerminal::SyncTerminal;
    QList<SyncOp> takeOps()
    {
        const QJsonArray ops = SyncTerminal::takeOps();
        return ops.isEmpty() ? QList<SyncOp>() : SyncBatch::parse(body(ops)).ops;
    }
};

} // namespace

class VerifyTest : public QObject
{
    Q_OBJECT

private:
    Database &db() { return m_database->db(); }
    // The checks, after the test's raw writes to payments are reflected in what orders and tabs
    // keep as paid (as OrderStore::insertPayment would have done): each test breaks one promise.
    Result<VerifyReport> verify()
    {
        rawExec(db(), u"UPDATE order_sessions SET paid_cents = (SELECT COALESCE(SUM(amount_cents), "
                      "0) FROM payments p WHERE p.order_id = order_sessions.id AND p.kind = "
                      "'sale')"_s);
        rawExec(db(), u"UPDATE tabs SET paid_cents = (SELECT COALESCE(SUM(amount_cents), 0) FROM "
                      "payments p WHERE p.tab_id = tabs.id AND p.kind = 'sale')"_s);
        return Verifier(db()).run();
    }
    QVariant value(const QString &sql, const QVariantList &values = {})
    {
        return queryValue(db(), sql, values);
    }
    // Drops the one-payment-per-order and unique-receipt constraints of payments, as the change
    // landing in parallel (several payments per order) does: duplicates become possible.
    void dropPaymentGuards();
    // Lets a payment refer to a row that does not exist (SQLite: foreign keys off for the
    // insert; PostgreSQL: the test schema's constraint dropped).
    void insertOrphanPayment(const QString &orderId);
    void insertPayment(const QString &orderId, const QString &tabId, qint64 amount,
                       const QString &receipt);

    std::unique_ptr<TestDatabase> m_database;
    // The clean scene init() makes with the real services.
    QString m_completed; // Alice's order, paid by itself
    QString m_parked;    // Bob's order, pending_logout
    QString m_active;    // Alice's next order, active
    QString m_onTab1;    // Maria's orders, completed by settling "Table 5"
    QString m_onTab2;
    QString m_assigned; // Maria's order on the open tab "Table 7"
    QString m_settledTab;
    QString m_openTab;

private slots:
    void initTestCase();
    void init();
    void cleanup();

    void cleanDatabaseIsClean();
    void paidAmountIsKeptWithTheOrder();
    void emptyDatabaseIsClean();
    void syncedDatabasesAreClean();

    void orderUnderpaid();
    void orderWithoutPayment();
    void orderOverpaid();
    void severalPaymentsCoverAnOrder();
    void tabUnderpaidOrOverpaid();
    void orderCompletedOnOpenTab();
    void orderLeftOpenOnSettledTab();

    void orphanedPayment();
    void paymentForOpenOrder();
    void paymentForOrderOnTab();
    void paymentForOpenTab();
    void duplicatedPayment();

    void receiptUsedTwice();
    void receiptSequenceBehind();

    void historyMissing();
    void historyGap();
    void historyStartsMidway();
    void historyEndsAtAnotherVersion();

    void refundNamesAnotherTerminal();

    void cliExitCodesAndJson();
    void serverVerifyCommand();
};

void VerifyTest::initTestCase()
{
    SAFETILL_REQUIRE_TEST_BACKEND();
}

void VerifyTest::init()
{
    m_database = std::make_unique<TestDatabase>();
    OrderService orders(db());
    TabService tabs(db());
    const OrderTarget alice = OrderTarget::byCashier(m_database->cashierId(u"Alice"_s));
    const OrderTarget bob = OrderTarget::byCashier(m_database->cashierId(u"Bob"_s));
    const OrderTarget maria = OrderTarget::byCashier(m_database->cashierId(u"Maria"_s));
    const PaymentRequest cash{PaymentMethod::Cash, 100'000};

    QVERIFY(orders.addProduct(alice, u"COF-ESP"_s, 2, newId()));
    QVERIFY(orders.addProduct(alice, u"BAK-CRO"_s, 1, newId()));
    const Result<Order> completed = orders.complete(alice, cash, std::nullopt, newId());
    QVERIFY2(completed, qPrintable(completed.message()));
    m_completed = completed->id;

    QVERIFY(orders.addProduct(bob, u"BAK-CRO"_s, 3, newId()));
    const Result<Order> parked = orders.logOut(bob, newId());
    QVERIFY2(parked, qPrintable(parked.message()));
    m_parked = parked->id;

    QVERIFY(orders.addProduct(maria, u"COF-ESP"_s, 1, newId()));
    const Result<Order> tab1 = orders.assignToTab(maria, u"Table 5"_s, std::nullopt, newId());
    QVERIFY2(tab1, qPrintable(tab1.message()));
    QVERIFY(orders.addProduct(maria, u"BAK-CRO"_s, 2, newId()));
    QVERIFY(orders.adjustQuantity(maria, 1, 1, newId()));
    const Result<Order> tab2 = orders.assignToTab(maria, u"Table 5"_s, std::nullopt, newId());
    QVERIFY2(tab2, qPrintable(tab2.message()));
    const Result<Tab> settled = tabs.settle(u"Table 5"_s, cash, std::nullopt, newId());
    QVERIFY2(settled, qPrintable(settled.message()));
    m_onTab1 = tab1->id;
    m_onTab2 = tab2->id;
    m_settledTab = settled->id;

    QVERIFY(orders.addProduct(maria, u"COF-ESP"_s, 1, newId()));
    const Result<Order> assigned = orders.assignToTab(maria, u"Table 7"_s, std::nullopt, newId());
    QVERIFY2(assigned, qPrintable(assigned.message()));
    m_assigned = assigned->id;
    m_openTab = assigned->tabId;

    const Result<Order> active = orders.addProduct(alice, u"COF-ESP"_s, 1, newId());
    QVERIFY2(active, qPrintable(active.message()));
    m_active = active->id;
}

void VerifyTest::cleanup()
{
    m_database.reset();
}

void VerifyTest::dropPaymentGuards()
{
    // Payments are guarded by constraints and triggers (append-only, never beyond what was due);
    // to break the promises on purpose, this test takes the guards away first.
    if (onPostgres()) {
        rawExec(db(), u"ALTER TABLE payments DROP CONSTRAINT payments_receipt_no_key"_s);
        rawExec(db(), u"ALTER TABLE payments DISABLE TRIGGER USER"_s);
        rawExec(db(), u"ALTER TABLE payments DROP CONSTRAINT payments_within_due"_s);
        return;
    }
    // SQLite cannot drop a column's UNIQUE: the table is rebuilt without it (and its triggers).
    rawExec(db(), u"PRAGMA foreign_keys=OFF"_s);
    rawExec(db(), u"CREATE TABLE payments_new (id TEXT PRIMARY KEY, "
                  "order_id TEXT REFERENCES order_sessions (id), "
                  "tab_id TEXT REFERENCES tabs (id), kind TEXT NOT NULL DEFAULT 'sale', "
                  "method TEXT NOT NULL, amount_cents INTEGER NOT NULL, "
                  "tendered_cents INTEGER NOT NULL, change_cents INTEGER NOT NULL, "
                  "due_cents INTEGER NOT NULL, paid_version INTEGER NOT NULL, "
                  "receipt_no TEXT, terminal_id TEXT NOT NULL, cashier_id TEXT, "
                  "paid_at TEXT NOT NULL, label TEXT NOT NULL DEFAULT '', "
                  "rounding_cents INTEGER NOT NULL DEFAULT 0)"_s);
    rawExec(db(), u"INSERT INTO payments_new SELECT id, order_id, tab_id, kind, method, "
                  "amount_cents, tendered_cents, change_cents, due_cents, paid_version, "
                  "receipt_no, terminal_id, cashier_id, paid_at, label, rounding_cents "
                  "FROM payments"_s);
    rawExec(db(), u"DROP TABLE payments"_s);
    rawExec(db(), u"ALTER TABLE payments_new RENAME TO payments"_s);
    rawExec(db(), u"PRAGMA foreign_keys=ON"_s);
}

void VerifyTest::insertPayment(const QString &orderId, const QString &tabId, qint64 amount,
                               const QString &receipt)
{
    rawExec(db(),
            u"INSERT INTO payments (id, order_id, tab_id, method, amount_cents, tendered_cents, "
            "change_cents, receipt_no, paid_at, due_cents, paid_version, terminal_id) "
            "VALUES (?, ?, ?, 'cash', ?, ?, 0, ?, ?, 99999999, 1, 't')"_s,
            {newId(), orderId.isEmpty() ? QVariant(QMetaType(QMetaType::QString)) : orderId,
             tabId.isEmpty() ? QVariant(QMetaType(QMetaType::QString)) : tabId, amount, amount,
             receipt, now});
}

void VerifyTest::insertOrphanPayment(const QString &orderId)
{
    if (onPostgres()) {
        rawExec(db(), u"ALTER TABLE payments DROP CONSTRAINT payments_order_id_fkey"_s);
        insertPayment(orderId, {}, 500, u"ZZ-000001"_s);
        return;
    }
    rawExec(db(), u"PRAGMA foreign_keys=OFF"_s);
    insertPayment(orderId, {}, 500, u"ZZ-000001"_s);
    rawExec(db(), u"PRAGMA foreign_keys=ON"_s);
}

void VerifyTest::cleanDatabaseIsClean()
{
    QCOMPARE(value(u"SELECT COUNT(*) FROM order_sessions"_s).toInt(), 6);
    QCOMPARE(value(u"SELECT status FROM order_sessions WHERE id = ?"_s, {m_onTab1}).toString(),
             u"completed"_s);
    const Result<VerifyReport> result = verify();
    QVERIFY2(result, qPrintable(describe(result)));
    QCOMPARE(result.outcome(), Outcome::Ok);
    QCOMPARE(result->checks.size(), 7);
    for (const VerifyCheck &check : result->checks) {
        const bool sqliteOnly =
            check.name == u"integrity_check"_s || check.name == u"foreign_key_check"_s;
        QCOMPARE(toString(check.status), sqliteOnly && onPostgres() ? u"skipped"_s : u"ok"_s);
        QCOMPARE(check.count, 0);
    }
    QCOMPARE(jsonShapeProblem(toJson(*result), true, onPostgres()), QString());
    VERIFY_DATABASE_CLEAN(db());
}

void VerifyTest::emptyDatabaseIsClean()
{
    TestDatabase empty(false);
    const Result<VerifyReport> result = Verifier(empty.db()).run();
    QVERIFY2(result, qPrintable(describe(result)));
}

void VerifyTest::syncedDatabasesAreClean()
{
    // The server side of sync: a terminal's ops applied by SyncApplier, including a tab
    // settlement, a conflict and a repeat, leave both databases clean.
    TestDatabase server;
    Terminal till(server.db());
    OrderService orders(till.db());
    TabService tabs(till.db());
    const OrderTarget alice = OrderTarget::byCashier(till.cashierId(u"Alice"_s));
    const OrderTarget bob = OrderTarget::byCashier(till.cashierId(u"Bob"_s));
    const OrderTarget maria = OrderTarget::byCashier(till.cashierId(u"Maria"_s));
    const PaymentRequest cash{PaymentMethod::Cash, 100'000};
    QVERIFY(orders.addProduct(alice, u"COF-ESP"_s, 2, newId()));
    QVERIFY(orders.complete(alice, cash, std::nullopt, newId()));
    QVERIFY(orders.addProduct(bob, u"BAK-CRO"_s, 1, newId()));
    QVERIFY(orders.assignToTab(bob, u"Table 1"_s, std::nullopt, newId()));
    QVERIFY(orders.addProduct(maria, u"COF-ESP"_s, 1, newId()));
    QVERIFY(orders.assignToTab(maria, u"Table 1"_s, std::nullopt, newId()));
    QVERIFY(tabs.settle(u"Table 1"_s, cash, std::nullopt, newId()));
    const Result<Order> open = orders.addProduct(alice, u"BAK-CRO"_s, 1, newId());
    QVERIFY(open);

    const SyncDevice device{u"dev-1"_s, u"Till 1"_s};
    const QList<SyncOp> ops = till.takeOps();
    QVERIFY(!ops.isEmpty());
    const Result<QList<SyncOpResult>> applied = SyncApplier(server.db()).apply(device, ops);
    QVERIFY2(applied, qPrintable(applied.message() + u' ' + applied.detail()));
    for (const SyncOpResult &result : *applied)
        QCOMPARE(syncResultKind(result.toJson()), u"applied"_s);
    // A repeat changes nothing.
    QVERIFY(SyncApplier(server.db()).apply(device, ops));

    // The server changes the open order, the terminal edits it too (merged), then pays for
    // what it shows: booked, with the difference on the review list; both databases clean.
    QVERIFY(OrderService(server.db(), Clock::system(), SyncSide::Server)
                .addProduct(OrderTarget::byId(open->id), u"COF-ESP"_s, 1, newId()));
    QVERIFY(orders.addProduct(alice, u"BAK-CRO"_s, 1, newId()));
    QVERIFY(orders.complete(alice, cash, std::nullopt, newId()));
    const Result<QList<SyncOpResult>> merged =
        SyncApplier(server.db()).apply(device, till.takeOps());
    QVERIFY2(merged, qPrintable(merged.message()));
    QCOMPARE(merged->size(), 2);
    QCOMPARE(merged->at(1).reviewItems.size(), 1);

    VERIFY_DATABASE_CLEAN(till.db());
    VERIFY_DATABASE_CLEAN(server.db());
}

void VerifyTest::paidAmountIsKeptWithTheOrder()
{
    // The balance due is read from what an order keeps as paid: a wrong one is found.
    rawExec(db(), u"UPDATE order_sessions SET paid_cents = paid_cents + 1 WHERE id = ?"_s,
            {m_completed});
    const Result<VerifyReport> result = Verifier(db()).run();
    EXPECT_FINDINGS(result, QStringList{u"paid_amount_wrong"_s}, u"payments_cover_totals"_s,
                    u"paid_amount_wrong"_s, m_completed);
}

void VerifyTest::orderUnderpaid()
{
    rawExec(db(),
            u"INSERT INTO order_lines (order_id, line_no, line_id, sku, name, unit_price_cents, "
            "quantity) VALUES (?, 99, 'extra-line', NULL, 'Extra', 150, 1)"_s,
            {m_completed});
    EXPECT_FINDINGS(verify(), QStringList{u"order_underpaid"_s}, u"payments_cover_totals"_s,
                    u"order_underpaid"_s, m_completed);
}

void VerifyTest::orderWithoutPayment()
{
    dropPaymentGuards();
    rawExec(db(), u"DELETE FROM payments WHERE order_id = ?"_s, {m_completed});
    const Result<VerifyReport> result = verify();
    EXPECT_FINDINGS(result, QStringList{u"order_underpaid"_s}, u"payments_cover_totals"_s,
                    u"order_underpaid"_s, m_completed);
    QVERIFY2(result->findings.at(0).message.contains(u"no payment"_s),
             qPrintable(describe(result)));
}

void VerifyTest::orderOverpaid()
{
    dropPaymentGuards();
    rawExec(db(),
            u"UPDATE payments SET amount_cents = amount_cents + 10, tendered_cents = "
            "tendered_cents + 10 WHERE order_id = ?"_s,
            {m_completed});
    EXPECT_FINDINGS(verify(), QStringList{u"order_overpaid"_s}, u"payments_cover_totals"_s,
                    u"order_overpaid"_s, m_completed);
}

void VerifyTest::severalPaymentsCoverAnOrder()
{
    // Split tender (the parallel change): two payments on one receipt that add up to the total
    // are clean; a third one is more than due.
    dropPaymentGuards();
    const QString receipt =
        value(u"SELECT receipt_no FROM payments WHERE order_id = ?"_s, {m_completed}).toString();
    rawExec(db(),
            u"UPDATE payments SET amount_cents = amount_cents - 100, tendered_cents = "
            "amount_cents - 100, change_cents = 0 WHERE order_id = ?"_s,
            {m_completed});
    insertPayment(m_completed, {}, 100, receipt);
    const Result<VerifyReport> split = verify();
    QVERIFY2(split, qPrintable(describe(split)));

    insertPayment(m_completed, {}, 30, receipt);
    EXPECT_FINDINGS(verify(), QStringList{u"order_overpaid"_s}, u"payments_cover_totals"_s,
                    u"order_overpaid"_s, m_completed);
}

void VerifyTest::tabUnderpaidOrOverpaid()
{
    dropPaymentGuards();
    rawExec(db(),
            u"UPDATE payments SET amount_cents = amount_cents - 10, change_cents = change_cents + "
            "10 WHERE tab_id = ?"_s,
            {m_settledTab});
    EXPECT_FINDINGS(verify(), QStringList{u"tab_underpaid"_s}, u"payments_cover_totals"_s,
                    u"tab_underpaid"_s, m_settledTab);
    rawExec(db(),
            u"UPDATE payments SET amount_cents = amount_cents + 20, change_cents = change_cents - "
            "20 WHERE tab_id = ?"_s,
            {m_settledTab});
    EXPECT_FINDINGS(verify(), QStringList{u"tab_overpaid"_s}, u"payments_cover_totals"_s,
                    u"tab_overpaid"_s, m_settledTab);
}

void VerifyTest::orderCompletedOnOpenTab()
{
    rawExec(db(),
            u"UPDATE order_sessions SET status = 'completed', completed_at = ? WHERE id = ?"_s,
            {now, m_assigned});
    EXPECT_FINDINGS(verify(), QStringList{u"tab_not_settled"_s}, u"payments_cover_totals"_s,
                    u"tab_not_settled"_s, m_assigned);
}

void VerifyTest::orderLeftOpenOnSettledTab()
{
    // Moved onto the settled tab: still assigned, and the tab's payment no longer covers it.
    rawExec(db(), u"UPDATE order_sessions SET tab_id = ? WHERE id = ?"_s,
            {m_settledTab, m_assigned});
    EXPECT_FINDINGS(verify(), (QStringList{u"tab_order_not_completed"_s, u"tab_underpaid"_s}),
                    u"payments_cover_totals"_s, u"tab_order_not_completed"_s, m_assigned);
}

void VerifyTest::orphanedPayment()
{
    insertOrphanPayment(u"no-such-order"_s);
    const QString paymentId =
        value(u"SELECT id FROM payments WHERE order_id = 'no-such-order'"_s).toString();
    const Result<VerifyReport> result = verify();
    const QStringList expected =
        onPostgres() ? QStringList{u"payment_orphaned"_s}
                     : QStringList{u"foreign_key_violation"_s, u"payment_orphaned"_s};
    EXPECT_FINDINGS(result, expected, u"payments_belong"_s, u"payment_orphaned"_s, paymentId);
    if (!onPostgres()) {
        const auto fk = std::find_if(
            result->checks.begin(), result->checks.end(),
            [](const VerifyCheck &check) { return check.name == u"foreign_key_check"_s; });
        QVERIFY(fk != result->checks.end());
        QCOMPARE(toString(fk->status), u"findings"_s);
        QCOMPARE(fk->count, 1);
    }
}

void VerifyTest::paymentForOpenOrder()
{
    insertPayment(m_active, {}, 220, u"ZZ-000002"_s);
    const QString paymentId =
        value(u"SELECT id FROM payments WHERE order_id = ?"_s, {m_active}).toString();
    EXPECT_FINDINGS(verify(), QStringList{u"payment_order_not_completed"_s}, u"payments_belong"_s,
                    u"payment_order_not_completed"_s, paymentId);
}

void VerifyTest::paymentForOrderOnTab()
{
    insertPayment(m_onTab1, {}, 220, u"ZZ-000003"_s);
    const QString paymentId =
        value(u"SELECT id FROM payments WHERE order_id = ?"_s, {m_onTab1}).toString();
    EXPECT_FINDINGS(verify(), QStringList{u"payment_order_on_tab"_s}, u"payments_belong"_s,
                    u"payment_order_on_tab"_s, paymentId);
}

void VerifyTest::paymentForOpenTab()
{
    insertPayment({}, m_openTab, 220, u"ZZ-000004"_s);
    const QString paymentId =
        value(u"SELECT id FROM payments WHERE tab_id = ?"_s, {m_openTab}).toString();
    EXPECT_FINDINGS(verify(), QStringList{u"payment_tab_not_settled"_s}, u"payments_belong"_s,
                    u"payment_tab_not_settled"_s, paymentId);
}

void VerifyTest::duplicatedPayment()
{
    dropPaymentGuards();
    rawExec(db(),
            u"INSERT INTO payments (id, order_id, tab_id, method, amount_cents, tendered_cents, "
            "change_cents, receipt_no, paid_at, due_cents, paid_version, terminal_id) "
            "SELECT ?, order_id, tab_id, method, amount_cents, tendered_cents, change_cents, "
            "receipt_no, paid_at, due_cents, paid_version, terminal_id FROM payments "
            "WHERE order_id = ?"_s,
            {newId(), m_completed});
    EXPECT_FINDINGS(verify(), (QStringList{u"order_overpaid"_s, u"payment_duplicated"_s}),
                    u"payments_belong"_s, u"payment_duplicated"_s, m_completed);
}

void VerifyTest::receiptUsedTwice()
{
    const QString receipt =
        value(u"SELECT receipt_no FROM order_sessions WHERE id = ?"_s, {m_completed}).toString();
    QVERIFY(!receipt.isEmpty());
    rawExec(db(), u"UPDATE tabs SET receipt_no = ? WHERE id = ?"_s, {receipt, m_settledTab});
    const Result<VerifyReport> result = verify();
    EXPECT_FINDINGS(result, QStringList{u"receipt_duplicated"_s}, u"receipt_numbers"_s,
                    u"receipt_duplicated"_s, receipt);
    QVERIFY2(result->findings.at(0).message.contains(m_completed) &&
                 result->findings.at(0).message.contains(m_settledTab),
             qPrintable(describe(result)));
}

void VerifyTest::receiptSequenceBehind()
{
    // The last receipt issued is the tab's; setting the sequence back to it repeats it next.
    const QString last =
        value(u"SELECT receipt_no FROM tabs WHERE id = ?"_s, {m_settledTab}).toString();
    rawExec(db(), u"UPDATE terminal SET next_receipt_seq = next_receipt_seq - 1"_s);
    EXPECT_FINDINGS(verify(), QStringList{u"receipt_sequence_behind"_s}, u"receipt_numbers"_s,
                    u"receipt_sequence_behind"_s, last);
}

void VerifyTest::historyMissing()
{
    const QString orderId = newId();
    rawExec(db(),
            u"INSERT INTO order_sessions (id, cashier_id, status, version, tab_id, created_at, "
            "updated_at) VALUES (?, ?, 'assigned', 1, ?, ?, ?)"_s,
            {orderId, m_database->cashierId(u"Bob"_s), m_openTab, now, now});
    EXPECT_FINDINGS(verify(), QStringList{u"history_missing"_s}, u"history_chains"_s,
                    u"history_missing"_s, orderId);
}

void VerifyTest::historyGap()
{
    // Append-only: the chain is broken by inserting, never by rewriting an entry.
    const int version =
        value(u"SELECT version FROM order_sessions WHERE id = ?"_s, {m_active}).toInt();
    rawExec(db(),
            u"INSERT INTO order_history (order_id, at, action, from_version, to_version, "
            "from_status, to_status, request_id) VALUES (?, ?, 'add_item', ?, ?, 'active', "
            "'active', ?)"_s,
            {m_active, now, version + 1, version + 2, newId()});
    rawExec(db(), u"UPDATE order_sessions SET version = ? WHERE id = ?"_s, {version + 2, m_active});
    EXPECT_FINDINGS(verify(), QStringList{u"history_gap"_s}, u"history_chains"_s, u"history_gap"_s,
                    m_active);
}

void VerifyTest::historyStartsMidway()
{
    const QString orderId = newId();
    rawExec(db(),
            u"INSERT INTO order_sessions (id, cashier_id, status, version, tab_id, created_at, "
            "updated_at) VALUES (?, ?, 'assigned', 5, ?, ?, ?)"_s,
            {orderId, m_database->cashierId(u"Bob"_s), m_openTab, now, now});
    const QString insertEntry =
        u"INSERT INTO order_history (order_id, at, action, from_version, to_version, "
        "from_status, to_status, request_id) VALUES (?, ?, ?, 4, 5, 'active', 'assigned', ?)"_s;
    rawExec(db(), insertEntry, {orderId, now, u"assign_tab"_s, newId()});
    EXPECT_FINDINGS(verify(), QStringList{u"history_bad_start"_s}, u"history_chains"_s,
                    u"history_bad_start"_s, orderId);

    // A terminal that takes the server's copy of an order starts from the version it had.
    const QString synced = newId();
    rawExec(db(),
            u"INSERT INTO order_sessions (id, cashier_id, status, version, tab_id, created_at, "
            "updated_at) VALUES (?, ?, 'assigned', 5, ?, ?, ?)"_s,
            {synced, m_database->cashierId(u"Bob"_s), m_openTab, now, now});
    rawExec(db(), insertEntry, {synced, now, u"sync_conflict"_s, newId()});
    const Result<VerifyReport> result = verify();
    EXPECT_FINDINGS(result, QStringList{u"history_bad_start"_s}, u"history_chains"_s,
                    u"history_bad_start"_s, orderId);
    QCOMPARE(result->findings.size(), 1);
}

void VerifyTest::historyEndsAtAnotherVersion()
{
    rawExec(db(), u"UPDATE order_sessions SET version = version + 1 WHERE id = ?"_s, {m_parked});
    EXPECT_FINDINGS(verify(), QStringList{u"history_version_mismatch"_s}, u"history_chains"_s,
                    u"history_version_mismatch"_s, m_parked);
}

void VerifyTest::refundNamesAnotherTerminal()
{
    // A real refund of Alice's sale stores the sale's terminal (migration 021): clean.
    const QString receipt =
        value(u"SELECT receipt_no FROM payments WHERE order_id = ? AND kind = 'sale'"_s,
              {m_completed})
            .toString();
    QVERIFY(!receipt.isEmpty());
    CashierService cashiers(db());
    Approvals approvals(cashiers);
    RefundService refunds(db(), approvals);
    RefundRequest request;
    request.receiptNo = receipt;
    request.cashier = u"Maria"_s;
    request.lines = {{u"1"_s, 1}};
    const Result<Refund> refund = refunds.refund(request, newId());
    QVERIFY2(refund, qPrintable(refund.message()));
    const QString saleTerminal =
        value(u"SELECT terminal_id FROM payments WHERE receipt_no = ?"_s, {receipt}).toString();
    QVERIFY(!saleTerminal.isEmpty());
    QCOMPARE(
        value(u"SELECT original_terminal_id FROM refunds WHERE id = ?"_s, {refund->id}).toString(),
        saleTerminal);
    const Result<VerifyReport> clean = verify();
    QVERIFY2(clean, qPrintable(describe(clean)));

    // Refunds are append-only: the guard is taken away to break the promise on purpose.
    if (onPostgres())
        rawExec(db(), u"ALTER TABLE refunds DISABLE TRIGGER USER"_s);
    else
        rawExec(db(), u"DROP TRIGGER refunds_no_update"_s);
    rawExec(db(), u"UPDATE refunds SET original_terminal_id = ? WHERE id = ?"_s,
            {u"another-till"_s, refund->id});
    const Result<VerifyReport> wrong = verify();
    EXPECT_FINDINGS(wrong, QStringList{u"refund_origin_wrong"_s}, u"refunds_within_sales"_s,
                    u"refund_origin_wrong"_s, refund->receiptNo);
    QVERIFY2(wrong->findings.at(0).message.contains(u"another-till"_s) &&
                 wrong->findings.at(0).message.contains(saleTerminal),
             qPrintable(describe(wrong)));

    // A missing one hides the refund from its till's sync pull just as well.
    rawExec(db(), u"UPDATE refunds SET original_terminal_id = NULL WHERE id = ?"_s, {refund->id});
    EXPECT_FINDINGS(verify(), QStringList{u"refund_origin_wrong"_s}, u"refunds_within_sales"_s,
                    u"refund_origin_wrong"_s, refund->receiptNo);
}

void VerifyTest::cliExitCodesAndJson()
{
    const QString cli = QStringLiteral(SAFETILL_CLI_PATH);
    const QStringList base{u"--db"_s, m_database->path()};

    const CliRun clean = runProgram(cli, base + QStringList{u"verify"_s});
    QVERIFY2(clean.exitCode == 0, qPrintable(clean.describe()));
    QVERIFY2(clean.out.contains("The database is clean."), qPrintable(clean.describe()));
    const CliRun cleanJson = runProgram(cli, base + QStringList{u"--json"_s, u"verify"_s});
    QVERIFY2(cleanJson.exitCode == 0, qPrintable(cleanJson.describe()));
    QCOMPARE(jsonShapeProblem(cleanJson.json(), true, onPostgres()), QString());
    QVERIFY(cleanJson.json().value(u"findings"_s).toArray().isEmpty());

    const CliRun extra = runProgram(cli, base + QStringList{u"verify"_s, u"now"_s});
    QVERIFY2(extra.exitCode == 2, qPrintable(extra.describe()));

    rawExec(db(),
            u"INSERT INTO order_lines (order_id, line_no, line_id, sku, name, unit_price_cents, "
            "quantity) VALUES (?, 99, 'extra-line', NULL, 'Extra', 150, 1)"_s,
            {m_completed});
    const CliRun broken = runProgram(cli, base + QStringList{u"verify"_s});
    QVERIFY2(broken.exitCode == 3, qPrintable(broken.describe()));
    QVERIFY2(broken.out.contains("order_underpaid") && broken.out.contains(m_completed.toUtf8()),
             qPrintable(broken.describe()));
    const CliRun brokenJson = runProgram(cli, base + QStringList{u"--json"_s, u"verify"_s});
    QVERIFY2(brokenJson.exitCode == 3, qPrintable(brokenJson.describe()));
    const QJsonObject json = brokenJson.json();
    QCOMPARE(jsonShapeProblem(json, false, onPostgres()), QString());
    const QJsonArray findings = json.value(u"findings"_s).toArray();
    QCOMPARE(findings.size(), 1);
    const QJsonObject finding = findings.at(0).toObject();
    QCOMPARE(finding.value(u"check"_s).toString(), u"payments_cover_totals"_s);
    QCOMPARE(finding.value(u"code"_s).toString(), u"order_underpaid"_s);
    QCOMPARE(finding.value(u"id"_s).toString(), m_completed);
}

void VerifyTest::serverVerifyCommand()
{
    const QString server = QStringLiteral(SAFETILL_SERVER_PATH);
    const QStringList base{u"--db"_s, m_database->path(), u"verify"_s};
    const CliRun clean = runProgram(server, base + QStringList{u"--json"_s});
    QVERIFY2(clean.exitCode == 0, qPrintable(clean.describe()));
    QCOMPARE(jsonShapeProblem(clean.json(), true, onPostgres()), QString());

    rawExec(db(), u"UPDATE terminal SET next_receipt_seq = 1"_s);
    const CliRun broken = runProgram(server, base);
    QVERIFY2(broken.exitCode == 3, qPrintable(broken.describe()));
    QVERIFY2(broken.out.contains("receipt_sequence_behind"), qPrintable(broken.describe()));
    const CliRun brokenJson = runProgram(server, base + QStringList{u"--json"_s});
    QVERIFY2(brokenJson.exitCode == 3, qPrintable(brokenJson.describe()));
    QCOMPARE(jsonShapeProblem(brokenJson.json(), false, onPostgres()), QString());
}

QTEST_GUILESS_MAIN(VerifyTest)
#include "tst_verify.moc"
