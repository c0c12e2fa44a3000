// No hot-path query may scan the tables that grow with a till's history (issue 12). The suite runs
// every hot-path action through the real model and sync code, records the statements the
// connection actually issues (Database::setStatementObserver), and asks SQLite for each one's
// EXPLAIN QUERY PLAN: a SCAN of order_sessions, order_lines, payments, order_history, outbox,
// idempotency or tabs fails, unless it walks a partial index (whose size does not grow with
// history), or walks an index in the order the statement asks for and stops at its LIMIT (the
// receipts list's latest sales). No SQL is copied here, so the check cannot drift from the code.
// The server's sync pull, run the same way, reads the refunds of the pulling till's sales made
// elsewhere through its partial index (migration 021), not every refund of the shop.

#include "TestSupport.h"

#include "AuthStore.h"
#include "CashierService.h"
#include "Clock.h"
#include "OrderService.h"
#include "ReceiptSearch.h"
#include "Retention.h"
#include "SyncApi.h"
#include "SyncStore.h"
#include "TabService.h"

#include <QRegularExpression>
#include <QSqlQuery>
#include <QSqlRecord>
#include <QTest>

#include <map>

using namespace Qt::StringLiterals;
using namespace SafeTill;

namespace {

// Every table that gains rows with each sale (tabs: with each tab the shop ever opened).
const QStringList historyTables{
    u"order_sessions"_s, u"order_lines"_s, u"payments"_s, u"order_history"_s,
    u"outbox"_s,         u"idempotency"_s, u"tabs"_s};

// Positional parameters outside string literals.
int placeholderCount(const QString &sql)
{
    int count = 0;
    bool inString = false;
    for (const QChar c : sql) {
        if (c == u'\'')
            inString = !inString;
        else if (c == u'?' && !inString)
            ++count;
    }
    return count;
}

// alias -> table, for the names EXPLAIN QUERY PLAN prints ("SCAN o" for "FROM outbox o"). Aliases
// in the code are lower case; keywords are upper case.
QHash<QString, QString> aliasesOf(const QString &sql)
{
    static const QRegularExpression pattern(
        u"\\b(?:FROM|JOIN|UPDATE|INTO)\\s+([a-z_][a-z0-9_]*)(?:\\s+(?:AS\\s+)?([a-z_][a-z0-9_]*))?"_s);
    QHash<QString, QString> aliases;
    for (auto it = pattern.globalMatch(sql); it.hasNext();) {
        const auto match = it.next();
        aliases.insert(match.captured(1), match.captured(1));
        if (!match.captured(2).isEmpty())
            aliases.insert(match.captured(2), match.captured(1));
    }
    return aliases;
}

} // namespace

class QueryPlansTest : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void hotPathsNeverScanHistory();
    void syncPullReadsOnlyRefundsOfItsSales();

private:
    void runHotPaths(Database &db, const ManualClock &clock);
    QStringList problemsOf(Database &db, const QString &sql, const QString &label);

    QString m_label;                         // the action running now
    std::map<QString, QString> m_statements; // SQL -> the first action that issued it
    QSet<QString> m_partialIndexes;
};

void QueryPlansTest::initTestCase()
{
    if (Test::onPostgres())
        QSKIP("EXPLAIN QUERY PLAN is SQLite's; this suite checks the terminal's database.");
}

void QueryPlansTest::runHotPaths(Database &db, const ManualClock &clock)
{
    OrderService orders(db, clock);
    TabService tabs(db, clock);
    CashierService cashiers(db);
    SyncStore sync(db, clock);
    int requests = 0;
    const auto rid = [&] { return u"plan-%1"_s.arg(++requests); };
    const auto step = [&](const QString &label) { m_label = label; };

    step(u"login list"_s);
    QVERIFY(cashiers.list());
    step(u"cli cashier lookup"_s);
    const Result<Cashier> alice = cashiers.find(u"Alice"_s);
    QVERIFY(alice);
    step(u"login"_s);
    QVERIFY(cashiers.verifyPin(alice->id, u"1234"_s));
    const OrderTarget byCashier = OrderTarget::byCashier(alice->id);

    step(u"open"_s);
    const Result<Order> opened = orders.openOrResume(alice->id, rid());
    QVERIFY(opened);
    step(u"open (already open)"_s);
    QVERIFY(orders.openOrResume(alice->id, rid()));
    step(u"add by cashier"_s);
    QVERIFY(orders.addProduct(byCashier, u"COF-ESP"_s, 1, rid()));
    step(u"add again (raises the line)"_s);
    QVERIFY(orders.addProduct(byCashier, u"COF-ESP"_s, 1, rid()));
    step(u"add by id (window)"_s);
    QVERIFY(orders.addProduct(OrderTarget::byId(opened->id), u"BAK-CRO"_s, 2, rid()));
    step(u"add open price"_s);
    QVERIFY(orders.addOpenPriceItem(byCashier, u"Cake"_s, 350, 1, rid()));
    step(u"add (server API)"_s);
    QVERIFY(orders.addToActiveOrder(alice->id, ItemSpec{u"COF-ESP"_s, {}, {}, 1}, rid()));
    step(u"set-qty"_s);
    QVERIFY(orders.setQuantity(byCashier, 1, 3, rid()));
    step(u"adjust qty (window)"_s);
    QVERIFY(orders.adjustQuantity(OrderTarget::byId(opened->id), 1, 1, rid()));
    step(u"remove"_s);
    QVERIFY(orders.removeLine(byCashier, 3, rid()));
    step(u"replay"_s);
    const QString repeated = rid();
    QVERIFY(orders.addProduct(byCashier, u"BAK-CRO"_s, 1, repeated));
    QVERIFY(orders.addProduct(byCashier, u"BAK-CRO"_s, 1, repeated).replayed());
    step(u"set-items"_s);
    const Result<Order> current = orders.openOrderOf(alice->id);
    QVERIFY(current);
    QVERIFY(orders.replaceLines(byCashier, {ItemSpec{u"COF-ESP"_s, {}, {}, 2}}, current->version,
                                rid()));
    step(u"stale version (refusal)"_s);
    QVERIFY(!orders.complete(byCashier, {PaymentMethod::Cash, 100000}, 1, rid()));
    step(u"logout"_s);
    QVERIFY(orders.logOut(byCashier, rid()));
    step(u"resume"_s);
    const Result<Order> resumed = orders.openOrResume(alice->id, rid());
    QVERIFY(resumed);
    step(u"complete"_s);
    QVERIFY(orders.complete(byCashier, {PaymentMethod::Cash, 100000}, resumed->version, rid()));
    step(u"complete a paid order (refusal)"_s);
    QVERIFY(!orders.complete(OrderTarget::byId(opened->id), {PaymentMethod::Cash, 100000},
                             std::nullopt, rid()));
    step(u"no open order (refusal)"_s);
    QVERIFY(!orders.addProduct(OrderTarget::byId(u"no-such-order"_s), u"COF-ESP"_s, 1, rid()));

    step(u"assign-tab"_s);
    QVERIFY(orders.addProduct(byCashier, u"COF-ESP"_s, 1, rid())); // opens a new order
    QVERIFY(orders.assignToTab(byCashier, u"Table 5"_s, std::nullopt, rid()));
    step(u"GUI refresh"_s);
    QVERIFY(orders.order(opened->id));
    QVERIFY(tabs.openTabs());
    QVERIFY(sync.counts());
    QVERIFY(orders.history(opened->id));
    step(u"settle-tab"_s);
    QVERIFY(tabs.settle(u"Table 5"_s, {PaymentMethod::Cash, 100000}, std::nullopt, rid()));

    step(u"sync pending ops"_s);
    QVERIFY(sync.failBlockedOps());
    const Result<QList<OutboxOp>> pending = sync.pendingOps(500);
    QVERIFY(pending);
    QVERIFY(pending->size() >= 3);
    step(u"sync record"_s);
    QList<PushOutcome> outcomes;
    for (qsizetype i = 0; i < pending->size(); ++i)
        outcomes.append(PushOutcome{PushOutcome::Kind::Applied, {}, {}, {}, {}, {}});
    // The first op of the last order is rejected: its later ops are marked failed too.
    outcomes[pending->size() - 2] =
        PushOutcome{PushOutcome::Kind::Rejected, u"invalid"_s, u"no"_s, {}, {}, {}};
    QVERIFY(sync.record(*pending, outcomes));
    step(u"sync status with failures"_s);
    const Result<SyncCounts> counts = sync.counts();
    QVERIFY(counts);
    QVERIFY(counts->failed > 0);
    step(u"prune"_s);
    QVERIFY(Retention(db, clock).prune());

    // The receipts list (issue 14, migration 010): every kind of search, a receipt, a reprint.
    ReceiptSearch receipts(db, clock);
    step(u"receipts: latest"_s);
    const Result<ReceiptList> latest = receipts.search({});
    QVERIFY(latest);
    QCOMPARE(latest->receipts.size(), 2); // the order paid by itself and the tab
    const QString number = latest->receipts.back().receiptNo;
    step(u"receipts by number"_s);
    ReceiptQuery query;
    query.number = number;
    QVERIFY(receipts.search(query));
    query.number = number.section(u'-', 0, 0) + u"-0"_s;
    QVERIFY(receipts.search(query));
    query.number = number.section(u'-', 1);
    QVERIFY(receipts.search(query));
    step(u"receipts by amount"_s);
    query = {};
    query.amountCents = 440;
    QVERIFY(receipts.search(query));
    step(u"receipts by day"_s);
    query.amountCents.reset();
    query.date = QDate(2026, 3, 1);
    QVERIFY(receipts.search(query));
    step(u"receipts by day and amount"_s);
    query.amountCents = 440;
    QVERIFY(receipts.search(query));
    step(u"receipts: latest"_s);
    QVERIFY(receipts.search({}));
    step(u"receipt"_s);
    QVERIFY(receipts.receipt(number));
    step(u"reprint"_s);
    QVERIFY(receipts.recordReprint(number, alice->id, rid()));
    QVERIFY(receipts.recordReprint(latest->receipts.front().receiptNo, alice->id, rid()));
}

QStringList QueryPlansTest::problemsOf(Database &db, const QString &sql, const QString &label)
{
    QSqlQuery explain(db.connection());
    if (!explain.prepare(u"EXPLAIN QUERY PLAN "_s + sql))
        return {u"[%1] cannot explain: %2\n    %3"_s.arg(label, explain.lastError().text(), sql)};
    for (int i = 0; i < placeholderCount(sql); ++i)
        explain.addBindValue(QVariant(QMetaType(QMetaType::QString)));
    if (!explain.exec())
        return {u"[%1] cannot explain: %2\n    %3"_s.arg(label, explain.lastError().text(), sql)};
    static const QRegularExpression scan(u"^SCAN (\\w+)(?: USING (?:COVERING )?INDEX (\\w+))?"_s);
    // An index walked in the order the statement asks for, stopping at its LIMIT: it reads that
    // many rows whatever the table holds (no temporary B-tree: nothing is sorted first).
    static const QRegularExpression orderedLimit(u"ORDER BY [^()?]+ LIMIT \\?\\s*$"_s);
    bool sorts = false;
    const QHash<QString, QString> aliases = aliasesOf(sql);
    QStringList problems;
    QStringList plan;
    QList<std::pair<QString, QString>> scans; // table, index
    while (explain.next()) {
        const QString detail = explain.value(3).toString();
        plan << detail;
        if (detail.contains(u"TEMP B-TREE"_s))
            sorts = true;
        const auto match = scan.match(detail);
        if (!match.hasMatch())
            continue;
        const QString table = aliases.value(match.captured(1), match.captured(1));
        if (!historyTables.contains(table))
            continue;
        if (!match.captured(2).isEmpty() && m_partialIndexes.contains(match.captured(2)))
            continue; // a partial index holds only the rows that are open/pending/failed
        scans.append({table, match.captured(2)});
        problems << u"[%1] %2 scans %3\n    %4"_s.arg(label, detail, table, sql);
    }
    if (!sorts && scans.size() == 1 && !scans.front().second.isEmpty() &&
        orderedLimit.match(sql).hasMatch())
        problems.clear();
    if (!problems.isEmpty())
        problems.last() += u"\n    plan: "_s + plan.join(u" | "_s);
    return problems;
}

void QueryPlansTest::hotPathsNeverScanHistory()
{
    Test::TestDatabase tdb;
    Database &db = tdb.db();
    ManualClock clock(QDateTime::fromString(u"2026-03-01T09:00:00.000Z"_s, Qt::ISODateWithMs));
    {
        QSqlQuery indexes(db.connection());
        QVERIFY(indexes.exec(u"SELECT name FROM sqlite_master WHERE type = 'index' AND sql LIKE "
                             "'%WHERE%'"_s));
        while (indexes.next())
            m_partialIndexes.insert(indexes.value(0).toString());
        // Partial, but holding every sale (migration 010): they grow with history like the table.
        QVERIFY(m_partialIndexes.remove(u"payments_sales_by_time"_s));
        QVERIFY(m_partialIndexes.remove(u"payments_sales_by_amount"_s));
    }
    db.setStatementObserver([this](const QString &sql) {
        static const QRegularExpression control(
            u"^\\s*(PRAGMA|BEGIN|COMMIT|ROLLBACK|SAVEPOINT|RELEASE|SET)\\b"_s,
            QRegularExpression::CaseInsensitiveOption);
        if (!control.match(sql).hasMatch())
            m_statements.emplace(sql, m_label);
    });
    runHotPaths(db, clock);
    db.setStatementObserver({});
    if (QTest::currentTestFailed())
        return;

    // Not vacuous: each table that grows was touched by the recorded statements.
    for (const QString &table : historyTables) {
        const bool touched = std::any_of(m_statements.begin(), m_statements.end(),
                                         [&](const auto &s) { return s.first.contains(table); });
        QVERIFY2(touched, qPrintable(u"no recorded statement uses "_s + table));
    }
    QVERIFY(m_statements.size() > 40);

    QStringList problems;
    for (const auto &[sql, label] : m_statements)
        problems << problemsOf(db, sql, label);
    qInfo("%d distinct statements checked", int(m_statements.size()));
    QVERIFY2(problems.isEmpty(),
             qPrintable(
                 u"%1 statement(s) scan a table that grows with history:\n"_s.arg(problems.size()) +
                 problems.join(u"\n"_s)));
}

void QueryPlansTest::syncPullReadsOnlyRefundsOfItsSales()
{
    // The server's sync pull runs every few seconds for every till; its "refunded elsewhere"
    // (docs/sync-protocol.md section 4) must read the refunds of the pulling device's sales made
    // elsewhere through migration 021's partial index, not every refund of the shop: no SCAN of
    // refunds, refund_lines or payments. The pull is the real one (server/SyncApi), in process.
    Test::TestDatabase tdb;
    Database &db = tdb.db();
    AuthStore auth(db);
    const Result<QString> token = auth.addDevice(u"Till 1"_s);
    QVERIFY2(token, qPrintable(token.message()));
    QStringList statements;
    db.setStatementObserver([&statements](const QString &sql) {
        if (sql.contains(u"refunds"_s) && !statements.contains(sql))
            statements << sql;
    });
    HttpRequest request;
    request.method = "GET";
    request.path = u"/api/sync/v1/pull"_s;
    request.headers.insert("authorization", "Bearer " + token->toLatin1());
    const HttpResponse pulled = SyncApi(db, request).pull();
    db.setStatementObserver({});
    QVERIFY2(pulled.status == 200, pulled.body.constData());
    QCOMPARE(statements.size(), 1);

    const QString sql = statements.front();
    QSqlQuery explain(db.connection());
    QVERIFY2(explain.prepare(u"EXPLAIN QUERY PLAN "_s + sql), qPrintable(sql));
    for (int i = 0; i < placeholderCount(sql); ++i)
        explain.addBindValue(QVariant(QMetaType(QMetaType::QString)));
    QVERIFY2(explain.exec(), qPrintable(explain.lastError().text()));
    QStringList plan;
    while (explain.next())
        plan << explain.value(3).toString();
    const QString described = sql + u"\n    plan: "_s + plan.join(u" | "_s);
    static const QRegularExpression scan(u"^SCAN (\\w+)"_s);
    const QHash<QString, QString> aliases = aliasesOf(sql);
    const QStringList growing{u"refunds"_s, u"refund_lines"_s, u"payments"_s};
    for (const QString &detail : std::as_const(plan)) {
        const auto match = scan.match(detail);
        const bool scansGrowing =
            match.hasMatch() &&
            growing.contains(aliases.value(match.captured(1), match.captured(1)));
        QVERIFY2(!scansGrowing, qPrintable(described));
    }
    const bool usesIndex = std::any_of(plan.cbegin(), plan.cend(), [](const QString &detail) {
        return detail.contains(u"INDEX refunds_of_sales_elsewhere"_s);
    });
    QVERIFY2(usesIndex, qPrintable(described));
}

QTEST_GUILESS_MAIN(QueryPlansTest)
#include "tst_query_plans.moc"
