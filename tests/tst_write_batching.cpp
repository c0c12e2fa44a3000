// Group commit: several actions in one transaction, each in its own savepoint (Database's batch
// API), and the server's WriteBatcher that uses it. Runs on SQLite and, as tst_write_batching_pg,
// on PostgreSQL, where a failed statement aborts the whole transaction unless a savepoint catches
// it.

#include "AuthStore.h"
#include "BatcherAnswers.h"
#include "Database.h"
#include "OrderService.h"
#include "ResultChecks.h"
#include "TestSupport.h"
#include "WriteBatcher.h"

#include <QElapsedTimer>
#include <QJsonDocument>
#include <QTest>
#include <QThread>

#include <atomic>
#include <memory>
#include <vector>

using namespace Qt::StringLiterals;

namespace SafeTill {

using namespace Test;

class WriteBatchingTest : public QObject
{
    Q_OBJECT

private:
    // Opens an (empty) order for each demo cashier; *orders gets their ids.
    void openOrders(Database &db, QStringList *orders);
    int quantityOn(Database &db, const QString &orderId)
    {
        return queryValue(db,
                          u"SELECT COALESCE(SUM(quantity), 0) FROM order_lines "
                          "WHERE order_id = ?"_s,
                          {orderId})
            .toInt();
    }
    int versionOf(Database &db, const QString &orderId)
    {
        return queryValue(db, u"SELECT version FROM order_sessions WHERE id = ?"_s, {orderId})
            .toInt();
    }
    // One addProduct() as a batch action: its outcome, or Busy when the action failed.
    Outcome addInBatch(Database &db, const QString &orderId, const QString &sku, int quantity,
                       const QString &requestId)
    {
        OrderService service(db);
        Outcome outcome = Outcome::Busy;
        const bool done = db.runBatchAction([&] {
            outcome =
                service.addProduct(OrderTarget::byId(orderId), sku, quantity, requestId).outcome();
        });
        return done ? outcome : Outcome::Busy;
    }
    bool stored(Database &db, const QString &requestId)
    {
        return queryValue(db, u"SELECT COUNT(*) FROM idempotency WHERE request_id = ?"_s,
                          {requestId})
                   .toInt() == 1;
    }

    // A token for each demo cashier (Alice, Bob, Maria, in that order); *cashiers gets their ids.
    QList<QByteArray> issueTokens(Database &db, QStringList *cashiers = nullptr)
    {
        QList<QByteArray> tokens;
        for (const QString &name : {u"Alice"_s, u"Bob"_s, u"Maria"_s}) {
            const QString cashier = m_test->cashierId(name);
            if (cashiers)
                *cashiers << cashier;
            const Result<AuthStore::IssuedToken> issued = AuthStore(db).issueToken(cashier, 3600);
            if (!issued) {
                qWarning() << "no token for" << name << issued.message();
                return {};
            }
            tokens << issued->token.toLatin1();
        }
        return tokens;
    }
    // A started WriteBatcher on this test's database, one lane unless told (null if it could not
    // start); waitUs: how long a lane may wait for more requests (WriteBatcher's gatherUs).
    std::unique_ptr<WriteBatcher> startBatcher(SqlDialect dialect, int lanes = 1, int waitUs = -1)
    {
        m_apiConfig.database.location = m_test->path();
        auto batcher = std::make_unique<WriteBatcher>(m_apiConfig, dialect, lanes, 0, 0, waitUs);
        QString error;
        if (!batcher->start(&error)) {
            qWarning() << "the batcher did not start:" << error;
            return nullptr;
        }
        return batcher;
    }

    // POST /current/items of one unit of sku for the token's cashier, under the given key.
    static QFuture<HttpResponse> addOne(WriteBatcher &batcher, const QByteArray &token,
                                        const QByteArray &key, const QByteArray &sku = "COF-ESP")
    {
        return submitted(batcher, Route::AddItem, itemAdd(token, key, sku));
    }
    // The request of addOne().
    static HttpRequest itemAdd(const QByteArray &token, const QByteArray &key,
                               const QByteArray &sku = "COF-ESP")
    {
        HttpRequest request;
        request.method = "POST";
        request.path = u"/api/order-sessions/current/items"_s;
        request.headers.insert("authorization", "Bearer " + token);
        request.headers.insert("idempotency-key", key);
        // Not a raw string: moc, reading this class, takes its lone quotes for open strings.
        request.body = "{\"sku\":\"" + sku + "\",\"qty\":1}";
        return request;
    }

    // Each test's database, with an open (empty) order for each demo cashier.
    std::unique_ptr<TestDatabase> m_test;
    ApiConfig m_apiConfig; // the batcher's (it keeps a reference)
    QStringList m_orders;

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void everyActionCommitsOnce();
    void refusedActionRollsBackOnlyItself();
    void failedStatementSparesTheOthers();
    void failedCommitKeepsNothing();
    void atomicWritesNeedNoSavepoint();
    void batcherAnswersEachRequestAfterItsCommit();
    void loneAtomicWriteIsItsOwnTransaction();
    void batchOfOneStatementAnswersAfterItsCommit();
    void lostConnectionIsReopened();
    void loneRequestNeverWaitsForMore();
    void laneWaitsForABatchAsLargeAsTheRunningOne();
    void requestsFromManyThreadsAreEachAnsweredOnce();
};

void WriteBatchingTest::initTestCase()
{
    SAFETILL_REQUIRE_TEST_BACKEND();
}

void WriteBatchingTest::init()
{
    m_test = std::make_unique<TestDatabase>();
    m_orders.clear();
    openOrders(m_test->db(), &m_orders);
}

void WriteBatchingTest::cleanup()
{
    m_test.reset();
}

void WriteBatchingTest::openOrders(Database &db, QStringList *orders)
{
    OrderService service(db);
    for (const QString &name : {u"Alice"_s, u"Bob"_s, u"Maria"_s}) {
        const QString cashier =
            queryValue(db, u"SELECT id FROM cashiers WHERE name = ?"_s, {name}).toString();
        const Result<Order> opened = service.openOrResume(cashier, u"open-"_s + name);
        VERIFY_OUTCOME(opened, Outcome::Ok);
        *orders << opened->id;
    }
}

void WriteBatchingTest::everyActionCommitsOnce()
{
    Database &db = m_test->db();
    const QStringList &orders = m_orders;
    const std::unique_ptr<Database> observer = m_test->open();
    OrderService service(db);

    db.beginBatch();
    QVERIFY(db.inBatch());
    for (int i = 0; i < orders.size(); ++i) {
        QVERIFY(db.runBatchAction([&] {
            const Result<Order> added = service.addProduct(OrderTarget::byId(orders.at(i)),
                                                           u"COF-ESP"_s, i + 1, u"add-%1"_s.arg(i));
            QCOMPARE(added.outcome(), Outcome::Ok);
        }));
    }
    // Nothing is visible to anyone else (nor acknowledged) before the one commit.
    for (const QString &order : orders)
        QCOMPARE(quantityOn(*observer, order), 0);
    db.commitBatch();
    QVERIFY(!db.inBatch());
    for (int i = 0; i < orders.size(); ++i) {
        QCOMPARE(quantityOn(*observer, orders.at(i)), i + 1);
        QVERIFY(stored(*observer, u"add-%1"_s.arg(i)));
    }
    // A repeat of a batched request replays, as after any commit.
    const Result<Order> again =
        service.addProduct(OrderTarget::byId(orders.at(0)), u"COF-ESP"_s, 1, u"add-0"_s);
    VERIFY_OUTCOME(again, Outcome::Ok);
    QVERIFY(again.replayed());
    QCOMPARE(quantityOn(db, orders.at(0)), 1);
}

void WriteBatchingTest::refusedActionRollsBackOnlyItself()
{
    Database &db = m_test->db();
    const QStringList &orders = m_orders;
    OrderService service(db);
    const int secondVersion = versionOf(db, orders.at(1));

    db.beginBatch();
    QCOMPARE(addInBatch(db, orders.at(0), u"COF-ESP"_s, 2, u"a"_s), Outcome::Ok);
    // Refused after its conditional update already bumped the version: that must not survive.
    QCOMPARE(addInBatch(db, orders.at(1), u"NOPE"_s, 1, u"b"_s), Outcome::NotFound);
    // A stale version is a conflict; a refusal is not a database failure, so the action counts
    // as done (runBatchAction is true) and is answered from the batch.
    QVERIFY(db.runBatchAction([&] {
        QCOMPARE(
            service
                .complete(OrderTarget::byId(orders.at(2)), {PaymentMethod::Cash, 1000}, 99, u"c"_s)
                .outcome(),
            Outcome::Conflict);
    }));
    QCOMPARE(addInBatch(db, orders.at(2), u"BAK-CRO"_s, 3, u"d"_s), Outcome::Ok);
    db.commitBatch();

    QCOMPARE(quantityOn(db, orders.at(0)), 2);
    QCOMPARE(versionOf(db, orders.at(1)), secondVersion);
    QVERIFY(!stored(db, u"b"_s));
    QVERIFY(!stored(db, u"c"_s));
    QCOMPARE(quantityOn(db, orders.at(2)), 3);
    QCOMPARE(queryValue(db, u"SELECT COUNT(*) FROM payments"_s).toInt(), 0);
    QVERIFY(integrityOk(db));
}

void WriteBatchingTest::failedStatementSparesTheOthers()
{
    Database &db = m_test->db();
    const QStringList &orders = m_orders;
    OrderService service(db);

    db.beginBatch();
    QCOMPARE(addInBatch(db, orders.at(0), u"COF-ESP"_s, 1, u"a"_s), Outcome::Ok);
    // One request made two writes; the second hit a CHECK constraint (on PostgreSQL that aborts
    // the transaction). The whole request is rolled back, and the batch goes on.
    Outcome inBatch = Outcome::Ok;
    QVERIFY(!db.runBatchAction([&] {
        QCOMPARE(
            service.addProduct(OrderTarget::byId(orders.at(1)), u"COF-ESP"_s, 5, u"b"_s).outcome(),
            Outcome::Ok);
        inBatch = db.write([&] {
                        db.exec(u"UPDATE order_lines SET quantity = -1 WHERE order_id = ?"_s,
                                {orders.at(1)});
                        return Result<int>::ok(1);
                    }).outcome();
    }));
    QCOMPARE(inBatch, Outcome::Busy); // a placeholder: the batcher re-runs such a request alone
    QCOMPARE(addInBatch(db, orders.at(2), u"BAK-CRO"_s, 2, u"c"_s), Outcome::Ok);
    db.commitBatch();

    QCOMPARE(quantityOn(db, orders.at(0)), 1);
    QCOMPARE(quantityOn(db, orders.at(1)), 0);
    QVERIFY(!stored(db, u"b"_s));
    QCOMPARE(quantityOn(db, orders.at(2)), 2);
    // Run alone, the failing write gets the ordinary typed error.
    const Result<int> alone = db.write([&] {
        db.exec(u"UPDATE order_lines SET quantity = -1 WHERE order_id = ?"_s, {orders.at(0)});
        return Result<int>::ok(1);
    });
    QCOMPARE(alone.outcome(), Outcome::Error);
    QCOMPARE(quantityOn(db, orders.at(0)), 1);
    QVERIFY(integrityOk(db));
}

void WriteBatchingTest::failedCommitKeepsNothing()
{
    Database &db = m_test->db();
    const QStringList &orders = m_orders;
    OrderService service(db);
    // A deferred foreign key is checked at COMMIT only: the way to make a commit fail on demand,
    // on both databases.
    db.exec(u"CREATE TABLE batch_probe (cashier_id TEXT REFERENCES cashiers (id) "
            "DEFERRABLE INITIALLY DEFERRED)"_s);

    db.beginBatch();
    QCOMPARE(addInBatch(db, orders.at(0), u"COF-ESP"_s, 1, u"a"_s), Outcome::Ok);
    QVERIFY(db.runBatchAction([&] {
        QCOMPARE(db.write([&] {
                       db.exec(u"INSERT INTO batch_probe (cashier_id) VALUES (?)"_s, {u"nobody"_s});
                       return Result<int>::ok(1);
                   }).outcome(),
                 Outcome::Ok);
    }));
    bool commitFailed = false;
    try {
        db.commitBatch();
    } catch (const SqlFailure &failure) {
        commitFailed = true;
        QCOMPARE(failure.kind(), SqlFailure::Kind::ForeignKeyViolation);
    }
    QVERIFY(commitFailed);
    QVERIFY(!db.inBatch());
    // Nothing of the batch is kept, the first action's idempotency record included, so a retry
    // of that request runs again instead of replaying an answer that was never true.
    QCOMPARE(quantityOn(db, orders.at(0)), 0);
    QVERIFY(!stored(db, u"a"_s));
    QCOMPARE(queryValue(db, u"SELECT COUNT(*) FROM batch_probe"_s).toInt(), 0);
    const Result<Order> retried =
        service.addProduct(OrderTarget::byId(orders.at(0)), u"COF-ESP"_s, 1, u"a"_s);
    VERIFY_OUTCOME(retried, Outcome::Ok);
    QVERIFY(!retried.replayed());
    QCOMPARE(quantityOn(db, orders.at(0)), 1);
}

// An action made of reads and one writeAtomic() runs without a savepoint (on PostgreSQL that is
// four round trips fewer). What it must still guarantee: a refusal changes nothing, and a change
// that cannot be undone alone ends the batch rather than be kept beside a failure.
void WriteBatchingTest::atomicWritesNeedNoSavepoint()
{
    Database &db = m_test->db();
    const QStringList &orders = m_orders;
    OrderService service(db);
    const QString marked = u"2030-01-01T00:00:00.000Z"_s;
    auto markFirstOrder = [&] {
        return db.writeAtomic([&] {
            return Result<int>::ok(db.change(u"UPDATE order_sessions SET updated_at = ? "
                                             "WHERE id = ?"_s,
                                             {marked, orders.at(0)}));
        });
    };
    auto breakALine = [&] {
        db.exec(u"UPDATE order_lines SET quantity = -1 WHERE order_id = ?"_s, {orders.at(1)});
        return Result<int>::ok(1);
    };

    db.beginBatch();
    QVERIFY(db.runBatchAction([&] {
        QCOMPARE(markFirstOrder().outcome(), Outcome::Ok);
        const Result<int> read = db.read([&] {
            return Result<int>::ok(
                queryValue(db, u"SELECT COUNT(*) FROM order_sessions"_s).toInt());
        });
        QCOMPARE(*read, 3);
    }));
    QVERIFY(db.runBatchAction([&] {
        QCOMPARE(db.writeAtomic([] { return Result<int>::invalidInput(u"refused"_s); }).outcome(),
                 Outcome::InvalidInput);
    }));
    // An ordinary action after them still has its savepoint: its refusal is undone alone.
    QCOMPARE(addInBatch(db, orders.at(1), u"NOPE"_s, 1, u"x"_s), Outcome::NotFound);
    QCOMPARE(addInBatch(db, orders.at(1), u"COF-ESP"_s, 2, u"y"_s), Outcome::Ok);
    db.commitBatch();
    QCOMPARE(queryValue(db, u"SELECT updated_at FROM order_sessions WHERE id = ?"_s, {orders.at(0)})
                 .toString(),
             marked);
    QCOMPARE(quantityOn(db, orders.at(1)), 2);
    QVERIFY(!stored(db, u"x"_s));
    const int versionBefore = versionOf(db, orders.at(1));

    // An atomic change, then a failure in the same action: the change cannot be undone on its
    // own, so the whole batch ends (the batcher then runs every action alone), nothing kept.
    db.beginBatch();
    QCOMPARE(addInBatch(db, orders.at(2), u"BAK-CRO"_s, 1, u"z"_s), Outcome::Ok);
    bool batchEnded = false;
    try {
        db.runBatchAction([&] {
            QCOMPARE(markFirstOrder().outcome(), Outcome::Ok);
            QCOMPARE(db.write(breakALine).outcome(), Outcome::Busy);
        });
    } catch (const SqlFailure &) {
        batchEnded = true;
    }
    QVERIFY(batchEnded);
    db.rollbackBatch();
    QVERIFY(!db.inBatch());
    QCOMPARE(quantityOn(db, orders.at(2)), 0);
    QVERIFY(!stored(db, u"z"_s));

    // A failing atomic statement with no savepoint: on PostgreSQL it aborted the transaction,
    // so the batch ends there too.
    db.beginBatch();
    batchEnded = false;
    try {
        db.runBatchAction([&] { QCOMPARE(db.writeAtomic(breakALine).outcome(), Outcome::Busy); });
    } catch (const SqlFailure &) {
        batchEnded = true;
    }
    QVERIFY(batchEnded);
    db.rollbackBatch();
    QCOMPARE(quantityOn(db, orders.at(1)), 2);
    QCOMPARE(versionOf(db, orders.at(1)), versionBefore);
    // Alone, a writeAtomic() is an ordinary write with its typed error.
    QCOMPARE(db.writeAtomic(breakALine).outcome(), Outcome::Error);
    QVERIFY(integrityOk(db));
}

void WriteBatchingTest::batcherAnswersEachRequestAfterItsCommit()
{
    Database &db = m_test->db();
    const QStringList &orders = m_orders;
    const QList<QByteArray> tokens = issueTokens(db);
    QCOMPARE(tokens.size(), 3);
    const std::unique_ptr<WriteBatcher> batcher = startBatcher(db.dialect());
    QVERIFY(batcher);

    auto addItem = [&](int user, const QByteArray &sku, const QByteArray &key) {
        return addOne(*batcher, tokens.at(user), key, sku);
    };
    QList<QFuture<HttpResponse>> answers;
    QList<int> expected;
    {
        // SQLite: holding the writers' lock keeps the writer from starting, so the requests
        // queue up and make one batch. (PostgreSQL takes no such lock; there the batches form
        // as they come, which the outcome must not depend on.)
        std::unique_lock<std::mutex> hold;
        if (db.dialect() == SqlDialect::Sqlite)
            hold = std::unique_lock(sqliteWriterLock());
        for (int i = 0; i < 30; ++i) {
            const int user = i % 3;
            const bool unknownSku = i % 7 == 3;
            answers << addItem(user, unknownSku ? "NOPE" : "COF-ESP",
                               "key-" + QByteArray::number(i));
            expected << (unknownSku ? 422 : 200);
        }
        // In the same batch: a key reused for another item, and a token nobody issued (on
        // PostgreSQL the batch's adds go to the database as one statement; these must still
        // get answers of their own).
        answers << addItem(1, "BAK-CRO", "key-1");
        expected << 422;
        HttpRequest stranger;
        stranger.method = "POST";
        stranger.path = u"/api/order-sessions/current/items"_s;
        stranger.headers.insert("authorization", "Bearer not-a-token");
        stranger.body = R"({"sku":"COF-ESP","qty":1})";
        answers << submitted(*batcher, Route::AddItem, stranger);
        expected << 401;
        // The same key twice in one batch: one effect, the second a replay.
        answers << addItem(0, "COF-ESP", "key-0");
        expected << 200;
        for (const QFuture<HttpResponse> &answer : std::as_const(answers))
            QVERIFY(!answer.isFinished()); // nothing answered before its commit
    }
    QList<int> added(3, 0);
    for (int i = 0; i < answers.size(); ++i) {
        const HttpResponse response = answers[i].result();
        QCOMPARE(response.status, expected.at(i));
        if (i < 30 && response.status == 200)
            ++added[i % 3];
    }
    const HttpResponse replay = answers.last().result();
    QVERIFY(std::any_of(replay.headers.begin(), replay.headers.end(),
                        [](const auto &header) { return header.first == "Idempotent-Replayed"; }));
    for (int user = 0; user < 3; ++user)
        QCOMPARE(quantityOn(db, orders.at(user)), added.at(user));
    batcher->stop();
    const WriteBatcher::Statistics statistics = batcher->statistics();
    QCOMPARE(statistics.actions + statistics.aloneReruns, qint64(answers.size()));
    QCOMPARE(statistics.aloneReruns, 0);
    if (db.dialect() == SqlDialect::Sqlite)
        QVERIFY(statistics.largestBatch >= 2);
    else if (statistics.largestBatch >= 2)
        QVERIFY(statistics.addsTogether >= 2); // PostgreSQL: a batch's adds went together
}

// PostgreSQL: a writeAtomic() outside any transaction is its one statement in autocommit, with no
// BEGIN or COMMIT of its own (two round trips fewer), committed when it returns; its failure
// leaves nothing and is the ordinary typed error.
void WriteBatchingTest::loneAtomicWriteIsItsOwnTransaction()
{
    if (!onPostgres())
        QSKIP("PostgreSQL's implicit transactions: tst_write_batching_pg");
    Database &db = m_test->db();
    const std::unique_ptr<Database> other = m_test->open();
    QStringList statements;
    db.setStatementObserver([&](const QString &sql) { statements << sql.simplified(); });
    const QString marked = u"2031-01-01T00:00:00.000Z"_s;
    const Result<int> changed = db.writeAtomic([&] {
        return Result<int>::ok(db.change(u"UPDATE order_sessions SET updated_at = ? WHERE id = ?"_s,
                                         {marked, m_orders.at(0)}));
    });
    VERIFY_OUTCOME(changed, Outcome::Ok);
    QCOMPARE(*changed, 1);
    QVERIFY2(statements.size() == 1, qPrintable(statements.join(u" | "_s)));
    QVERIFY2(statements.constFirst().startsWith(u"UPDATE order_sessions"_s),
             qPrintable(statements.join(u" | "_s)));
    // Committed: another connection sees it at once.
    QCOMPARE(queryValue(*other, u"SELECT updated_at FROM order_sessions WHERE id = ?"_s,
                        {m_orders.at(0)})
                 .toString(),
             marked);

    // The batched replace of OrderService: one statement, durable when its answers come back.
    OrderService service(db, Clock::system(), SyncSide::Server);
    const QList<OrderService::ActiveOrderReplace> replaces{
        {m_test->cashierId(u"Alice"_s), {ItemSpec{u"COF-ESP"_s, {}, {}, 2}}, 1, u"r1"_s},
        {m_test->cashierId(u"Bob"_s), {ItemSpec{u"BAK-CRO"_s, {}, {}, 3}}, 1, u"r2"_s}};
    statements.clear();
    const QList<Result<Order>> replaced = service.replaceActiveOrdersLines(replaces);
    QCOMPARE(replaced.size(), 2);
    VERIFY_OUTCOME(replaced.at(0), Outcome::Ok);
    VERIFY_OUTCOME(replaced.at(1), Outcome::Ok);
    QVERIFY2(statements.size() == 1, qPrintable(statements.join(u" | "_s)));
    QVERIFY2(statements.constFirst().contains(u"safetill_replace_items"_s),
             qPrintable(statements.join(u" | "_s)));
    QCOMPARE(quantityOn(*other, m_orders.at(0)), 2);
    QCOMPARE(quantityOn(*other, m_orders.at(1)), 3);
    QVERIFY(stored(*other, u"r1"_s));

    // A failing statement changes nothing and is the typed error; the connection goes on.
    const int versionBefore = versionOf(*other, m_orders.at(1));
    const Result<int> failed = db.writeAtomic([&] {
        db.exec(u"UPDATE order_lines SET quantity = -1 WHERE order_id = ?"_s, {m_orders.at(1)});
        return Result<int>::ok(1);
    });
    QCOMPARE(failed.outcome(), Outcome::Error);
    QCOMPARE(quantityOn(*other, m_orders.at(1)), 3);
    QCOMPARE(versionOf(*other, m_orders.at(1)), versionBefore);
    db.setStatementObserver({});
    QVERIFY(integrityOk(db));
}

// PostgreSQL: a batch of only PUT /current replaces is one statement without BEGIN and COMMIT
// (WriteBatcher::runOneStatement); every answer still comes after the commit that made it true,
// and a request refused for itself does not take the others with it.
void WriteBatchingTest::batchOfOneStatementAnswersAfterItsCommit()
{
    if (!onPostgres())
        QSKIP("PostgreSQL's one-statement batches: tst_write_batching_pg");
    Database &db = m_test->db();
    QStringList cashiers;
    const QList<QByteArray> tokens = issueTokens(db, &cashiers);
    QCOMPARE(tokens.size(), 3);
    const std::unique_ptr<WriteBatcher> batcher = startBatcher(db.dialect());
    QVERIFY(batcher);
    const std::unique_ptr<Database> other = m_test->open();

    struct Sent
    {
        int user;
        QByteArray key;
        int version;
        QFuture<HttpResponse> answer;
    };
    auto replace = [&](int user, int version, const QByteArray &sku, const QByteArray &key) {
        HttpRequest request;
        request.method = "PUT";
        request.path = u"/api/order-sessions/current"_s;
        request.headers.insert("authorization", "Bearer " + tokens.at(user));
        request.headers.insert("idempotency-key", key);
        request.headers.insert("if-match", '"' + QByteArray::number(version) + '"');
        request.body = R"({"items":[{"sku":")" + sku + R"(","qty":2}]})";
        return Sent{user, key, version, submitted(*batcher, Route::PutCurrent, request)};
    };
    // Rounds of one replace per cashier, each at the version the last round answered, plus one
    // with a version never seen (409) and one with an unknown SKU (422) in the same rounds.
    QList<int> versions{1, 1, 1};
    int checked = 0;
    for (int round = 0; round < 20; ++round) {
        QList<Sent> sent;
        for (int user = 0; user < 3; ++user) {
            sent << replace(user, versions.at(user),
                            user == 2 && round % 5 == 4 ? "NOPE" : "COF-ESP",
                            "k-" + QByteArray::number(round) + '-' + QByteArray::number(user));
        }
        sent << replace(0, versions.at(0) + 7, "COF-ESP", "stale-" + QByteArray::number(round));
        for (Sent &one : sent) {
            const HttpResponse response = one.answer.result();
            const bool unknown = one.user == 2 && round % 5 == 4 && !one.key.startsWith("stale");
            if (one.key.startsWith("stale")) {
                QCOMPARE(response.status, 409);
                continue;
            }
            if (unknown) {
                QCOMPARE(response.status, 422);
                continue;
            }
            QCOMPARE(response.status, 200);
            // Answered, so committed: another connection sees its idempotency record and order.
            QVERIFY(stored(*other, u"http:"_s + cashiers.at(one.user) + u':' +
                                       QString::fromLatin1(one.key)));
            versions[one.user] = one.version + 1;
            QCOMPARE(versionOf(*other, m_orders.at(one.user)), versions.at(one.user));
            ++checked;
        }
    }
    QCOMPARE(checked, 20 * 3 - 4);
    batcher->stop();
    const WriteBatcher::Statistics statistics = batcher->statistics();
    QCOMPARE(statistics.aloneReruns, 0);
    if (statistics.largestBatch >= 2)
        QVERIFY(statistics.oneStatementBatches >= 1);
    for (int user = 0; user < 3; ++user)
        QCOMPARE(quantityOn(*other, m_orders.at(user)), 2);
    QVERIFY(integrityOk(*other));
}

// Issue 13: a PostgreSQL connection that dies (here: its backend terminated, as a restart does) is
// reopened before its next unit of work, and a transaction it cut off reports "unavailable".
void WriteBatchingTest::lostConnectionIsReopened()
{
    if (!onPostgres())
        QSKIP("PostgreSQL connections: tst_write_batching_pg");
    Database &db = m_test->db();
    const std::unique_ptr<Database> admin = m_test->open();
    OrderService service(db);
    const quint64 before = Database::reconnectCount();
    // Returns true once the backend of db is gone.
    const auto killConnection = [&]() -> bool {
        const qint64 pid = db.scalar(u"SELECT pg_backend_pid()"_s).toLongLong();
        if (!admin->scalar(u"SELECT pg_terminate_backend(?)"_s, {pid}).toBool())
            return false;
        QElapsedTimer waited;
        waited.start();
        while (
            admin->scalar(u"SELECT COUNT(*) FROM pg_stat_activity WHERE pid = ?"_s, {pid}).toInt() >
            0) {
            if (waited.elapsed() > 10000)
                return false;
            QTest::qWait(20);
        }
        return true;
    };

    // Killed while idle: the next write's BEGIN finds it dead, reopens it and runs.
    QVERIFY(killConnection());
    VERIFY_OUTCOME(
        service.addProduct(OrderTarget::byId(m_orders.at(0)), u"COF-ESP"_s, 1, u"after-kill"_s),
        Outcome::Ok);
    QCOMPARE(Database::reconnectCount(), before + 1);
    QVERIFY(!db.connectionLost());

    // Killed inside a transaction: the write fails as "unavailable" (not a plain error), keeps
    // nothing, and the connection is back for the next one.
    const int version = versionOf(*admin, m_orders.at(1));
    bool killed = false;
    const Result<int> cut = db.write([&] {
        db.exec(u"UPDATE order_sessions SET version = version + 1 WHERE id = ?"_s,
                {m_orders.at(1)});
        killed = killConnection();
        db.exec(u"UPDATE order_sessions SET version = version + 1 WHERE id = ?"_s,
                {m_orders.at(1)});
        return Result<int>::ok(1);
    });
    QVERIFY(killed);
    QCOMPARE(cut.outcome(), Outcome::Error);
    QVERIFY(cut.unavailable());
    QVERIFY(db.connectionLost());
    QCOMPARE(versionOf(*admin, m_orders.at(1)), version);
    // (queryValue() would bypass Database; scalar() reopens first.)
    QCOMPARE(
        db.scalar(u"SELECT version FROM order_sessions WHERE id = ?"_s, {m_orders.at(1)}).toInt(),
        version);
    QVERIFY(!db.connectionLost());
    QCOMPARE(Database::reconnectCount(), before + 2);

    // Killed in a batch: the action's failure ends the batch (the caller re-runs it alone).
    QVERIFY(killConnection());
    db.beginBatch(); // BEGIN reopens the connection first
    QCOMPARE(Database::reconnectCount(), before + 3);
    QVERIFY(killConnection());
    bool threw = false;
    try {
        addInBatch(db, m_orders.at(2), u"COF-ESP"_s, 1, u"batch-kill"_s);
    } catch (const SqlFailure &failure) {
        threw = failure.isUnavailable();
    }
    QVERIFY(threw);
    db.rollbackBatch();
    QVERIFY(!db.inBatch());
    QCOMPARE(quantityOn(*admin, m_orders.at(2)), 0);
    QVERIFY(!stored(*admin, u"batch-kill"_s));
    QCOMPARE(db.scalar(u"SELECT 1"_s).toInt(), 1); // reopened for whatever comes next
}

// Without another lane running a batch, a lane starts at once, however long it may wait for more:
// a lone till's request is not held back (two lanes, a wait of 60 s allowed).
void WriteBatchingTest::loneRequestNeverWaitsForMore()
{
    Database &db = m_test->db();
    const QList<QByteArray> tokens = issueTokens(db);
    QCOMPARE(tokens.size(), 3);
    const std::unique_ptr<WriteBatcher> batcher = startBatcher(db.dialect(), 2, 60'000'000);
    QVERIFY(batcher);
    QElapsedTimer answered;
    answered.start();
    for (int i = 0; i < 3; ++i) {
        QFuture<HttpResponse> added =
            addOne(*batcher, tokens.at(i), "alone-" + QByteArray::number(i));
        QCOMPARE(added.result().status, 200);
    }
    QVERIFY2(answered.elapsed() < 20'000, "a request waited for others that never came");
    batcher->stop();
    QCOMPARE(batcher->statistics().gatherWaits, 0);
    QCOMPARE(quantityOn(db, m_orders.at(0)), 1);
}

// PostgreSQL, two lanes: while lane A runs a batch of two, lane B with one request waits for a
// second one (WriteBatcher::gatherMore), but only as long as allowed; then it runs what it has.
// The batches are held in the database by row locks of other connections on the orders.
void WriteBatchingTest::laneWaitsForABatchAsLargeAsTheRunningOne()
{
    if (!onPostgres())
        QSKIP("two writer lanes: tst_write_batching_pg");
    Database &db = m_test->db();
    const QList<QByteArray> tokens = issueTokens(db);
    QCOMPARE(tokens.size(), 3);
    // A lock on each cashier's order, each in a transaction of its own connection.
    std::vector<std::unique_ptr<Database>> holders;
    for (const QString &order : std::as_const(m_orders)) {
        holders.push_back(m_test->open());
        QVERIFY(holders.back());
        holders.back()->exec(u"BEGIN"_s);
        holders.back()->exec(u"SELECT id FROM order_sessions WHERE id = ? FOR UPDATE"_s, {order});
    }
    // How many backends wait for holder i's lock.
    const std::unique_ptr<Database> observer = m_test->open();
    auto blockedBy = [&](size_t i) {
        const qint64 pid = holders.at(i)->scalar(u"SELECT pg_backend_pid()"_s).toLongLong();
        return observer
            ->scalar(
                u"SELECT COUNT(*) FROM pg_stat_activity WHERE ? = ANY(pg_blocking_pids(pid))"_s,
                {pid})
            .toInt();
    };
    const int waitMs = 1500;
    const std::unique_ptr<WriteBatcher> batcher = startBatcher(db.dialect(), 2, waitMs * 1000);
    QVERIFY(batcher);

    // Lane A (the first) runs Alice's add, held by her lock; lane B runs Bob's, held by his.
    QFuture<HttpResponse> alice1 = addOne(*batcher, tokens.at(0), "alice-1");
    QTRY_COMPARE(blockedBy(0), 1);
    QFuture<HttpResponse> bob1 = addOne(*batcher, tokens.at(1), "bob-1");
    QTRY_COMPARE(blockedBy(1), 1);
    // Queued behind them: Bob's second (his lane), Alice's second (hers) and Maria's first (the
    // lane with the least work, a tie: lane A).
    QFuture<HttpResponse> bob2 = addOne(*batcher, tokens.at(1), "bob-2");
    QFuture<HttpResponse> alice2 = addOne(*batcher, tokens.at(0), "alice-2");
    QFuture<HttpResponse> maria1 = addOne(*batcher, tokens.at(2), "maria-1");

    // Alice's lock goes: lane A answers her first add and runs her second with Maria's, a batch
    // of two that Maria's lock holds (lane B runs one: A has no reason to wait).
    holders.at(0)->exec(u"COMMIT"_s);
    QCOMPARE(alice1.result().status, 200);
    QTRY_COMPARE(blockedBy(2), 1);
    QVERIFY(!alice2.isFinished());

    // Bob's lock goes: lane B answers his first add; his second alone is less than lane A's
    // batch of two, so lane B waits for more, at most waitMs, though Maria's lock still holds A.
    QElapsedTimer waited;
    waited.start();
    holders.at(1)->exec(u"COMMIT"_s);
    QCOMPARE(bob1.result().status, 200);
    QTest::qWait(waitMs / 3);
    QVERIFY2(!bob2.isFinished(), "lane B did not wait for more requests");
    QTRY_VERIFY_WITH_TIMEOUT(bob2.isFinished(), 10 * waitMs);
    QVERIFY(waited.elapsed() >= waitMs - 100);
    QCOMPARE(bob2.result().status, 200);
    QVERIFY(!maria1.isFinished());

    holders.at(2)->exec(u"COMMIT"_s);
    QCOMPARE(alice2.result().status, 200);
    QCOMPARE(maria1.result().status, 200);
    batcher->stop();
    QCOMPARE(batcher->statistics().gatherWaits, 1);
    for (int user = 0; user < 3; ++user)
        QCOMPARE(quantityOn(db, m_orders.at(user)), user == 2 ? 1 : 2);
}

// Six threads submit at once, two per cashier, while the writers answer: every request gets
// exactly one answer (the callback WriteBatcher::submit() takes), and every add is in the orders
// once. The server crashed when a QFuture's continuation was attached while a writer finished it
// (Qt 6.4 ran it twice), so the batcher answers through a callback; this holds it to once.
void WriteBatchingTest::requestsFromManyThreadsAreEachAnsweredOnce()
{
    Database &db = m_test->db();
    const QList<QByteArray> tokens = issueTokens(db);
    QCOMPARE(tokens.size(), 3);
    const std::unique_ptr<WriteBatcher> batcher = startBatcher(db.dialect(), onPostgres() ? 2 : 1);
    QVERIFY(batcher);

    constexpr int threads = 6;
    constexpr int perThread = 40;
    std::vector<std::atomic<int>> answers(threads * perThread);
    std::vector<std::atomic<int>> statuses(threads * perThread);
    std::atomic<int> answered{0};
    std::atomic<int> ready{0};
    std::vector<std::unique_ptr<QThread>> senders;
    for (int t = 0; t < threads; ++t) {
        senders.emplace_back(QThread::create([&, t] {
            ready.fetch_add(1);
            while (ready.load() < threads) // all start together
                QThread::yieldCurrentThread();
            for (int i = 0; i < perThread; ++i) {
                const int n = t * perThread + i;
                const HttpRequest request =
                    itemAdd(tokens.at(t % 3), "many-" + QByteArray::number(n));
                batcher->submit(Route::AddItem, request, {}, [&, n](const HttpResponse &response) {
                    statuses[size_t(n)].store(response.status);
                    answers[size_t(n)].fetch_add(1);
                    answered.fetch_add(1);
                });
            }
        }));
        senders.back()->start();
    }
    for (auto &sender : senders)
        QVERIFY(sender->wait(60'000));
    QTRY_COMPARE_WITH_TIMEOUT(answered.load(), threads * perThread, 60'000);
    batcher->stop(); // a second answer to anything would have come by now
    QCOMPARE(answered.load(), threads * perThread);
    for (size_t n = 0; n < answers.size(); ++n) {
        QCOMPARE(answers[n].load(), 1);
        QCOMPARE(statuses[n].load(), 200);
    }
    for (int user = 0; user < 3; ++user)
        QCOMPARE(quantityOn(db, m_orders.at(user)), threads / 3 * perThread);
    QCOMPARE(batcher->statistics().submitted, threads * perThread);
}

} // namespace SafeTill

QTEST_GUILESS_MAIN(SafeTill::WriteBatchingTest)
#include "tst_write_batching.moc"
