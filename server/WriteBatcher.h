#pragma once

#include "OrderApi.h"
#include "OrderService.h"

#include <QHash>
#include <QThread>

#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <optional>
#include <variant>
#include <vector>

namespace SafeTill {

class Services;

// Defined in OrderApi.cpp: serves one request with the given services, on their connection (no
// locking, never throws).
HttpResponse handleOnDatabase(const ApiConfig &config, Route route, const HttpRequest &request,
                              const QStringList &parameters, Services &services) noexcept;
// Defined in OrderApi.cpp: POST /current/items in two halves. prepareItemAdd() authenticates and
// parses (the add to make, or the response that ends the request); finishItemAdd() answers.
struct PreparedItemAdd
{
    OrderService::ActiveOrderAdd add;
    bool keyed = false; // the client sent an Idempotency-Key
};
std::variant<HttpResponse, PreparedItemAdd>
prepareItemAdd(const ApiConfig &config, const HttpRequest &request, Services &services) noexcept;
HttpResponse finishItemAdd(const ApiConfig &config, const HttpRequest &request,
                           const PreparedItemAdd &prepared, const Result<Order> &added,
                           Services &services) noexcept;
// Defined in OrderApi.cpp: PUT /current in two halves, as the item adds.
struct PreparedReplace
{
    OrderService::ActiveOrderReplace replace;
    bool keyed = false; // the client sent an Idempotency-Key
};
std::variant<HttpResponse, PreparedReplace>
prepareReplace(const ApiConfig &config, const HttpRequest &request, Services &services) noexcept;
HttpResponse finishReplace(const ApiConfig &config, const HttpRequest &request,
                           const PreparedReplace &prepared, const Result<Order> &replaced,
                           Services &services) noexcept;
// Defined in OrderApi.cpp: the lock the SQLite writers of this process queue on.
std::mutex &sqliteWriterLock();

// Group commit for the server's write requests. One writer thread with its own connection takes
// every write request queued meanwhile and runs them in ONE transaction, each in its own savepoint
// (Database::runBatchAction), then commits once and only then answers them all. A durable commit
// (an fsync) costs far more than a small action, so N concurrent writers pay about one fsync
// between them instead of N.
//
// Guarantees kept: an action refused by the model rolls back to its savepoint only; an action that
// meets a database failure is rolled back to its savepoint and re-run alone after the batch with
// the ordinary Database::write() (its retries, its typed errors); if BEGIN or COMMIT fails, nothing
// of the batch was acknowledged and every action is re-run alone. The idempotency record of an
// action sits in the same savepoint as its change, so it commits with it or not at all. A
// response is released only after the commit that made it true.
class WriteBatcher
{
public:
    struct Statistics
    {
        qint64 batches = 0;
        qint64 actions = 0;     // actions that committed or were refused inside a batch
        qint64 aloneReruns = 0; // actions re-run on their own (database failure, batch failure)
        qint64 largestBatch = 0;
        qint64 addsTogether = 0;     // item adds sent to the database with others in one statement
        qint64 replacesTogether = 0; // PUT /current replaces sent together in one statement
        qint64 oneStatementBatches = 0; // batches that were one statement, without BEGIN/COMMIT
        qint64 actionNs = 0;            // time spent running actions inside batches
        qint64 commitNs = 0;            // time spent in COMMIT (the durable write)
        qint64 submitted = 0;           // requests given a place in a lane's queue
        qint64 refusedFull = 0;         // requests answered 503 at once: maxQueued were waiting
        qint64 gatherWaits = 0;         // batches that waited for more requests (gatherMs)
        qint64 gatherNs = 0;            // time those waits took
    };

    // lanes: writer threads, each with its connection and its own batches (0: 1 on SQLite, which
    // has one writer at a time anyway; 2 on PostgreSQL, where one connection's round trips are
    // the limit: measured at 32 connections on 2 cores, 2 and 3 lanes beat 4, whose smaller
    // batches pay more commits). A caller (an Authorization header) with a request still in a lane
    // gets that lane, so one lane never waits for another on the caller's order; any other goes
    // to the lane with the least work (a hash of the caller split them unevenly).
    // maxBatch: the most actions in one transaction (0: 64 on SQLite, 24 on PostgreSQL, where
    // many actions in one transaction make every snapshot of the server slower).
    // maxQueued: the most write requests waiting or running at once, over all lanes (0: 1024);
    // one more is answered 503 with Retry-After at once, without taking any writer time.
    // gatherUs: how long a lane may wait for more requests before it starts a batch while another
    // lane is running one (see gatherMore(); -1: 2000 us; 0: never wait).
    WriteBatcher(const ApiConfig &config, SqlDialect dialect, int lanes = 0, int maxBatch = 0,
                 int maxQueued = 0, int gatherUs = -1);
    ~WriteBatcher();
    WriteBatcher(const WriteBatcher &) = delete;
    WriteBatcher &operator=(const WriteBatcher &) = delete;

    // Starts the writer threads and opens their connections; false (and *error) if one cannot.
    bool start(QString *error);
    // Answers what is queued, then ends the writer threads and closes their connections.
    void stop();

    // The routes whose work is one or more model write actions (login is not: its slow PIN hash
    // must not hold up a batch).
    static bool isBatched(Route route);
    // Called exactly once with a request's response: on a writer thread once the transaction
    // holding it committed, or at once on the caller's thread with a 503 when the queue is full
    // (or the batcher stopping). It must be quick and must not call back into the batcher.
    using Answer = std::function<void(const HttpResponse &)>;
    // Queues a request. The caller has checked the request's token: a write without a valid one
    // never comes here (SafeTillServer).
    // A callback and not a QFuture: with Qt 6.4, a continuation attached (QFuture::then) while
    // another thread finishes the future can run twice, the second time on a moved-from promise,
    // and the server crashed on it (QFutureInterfaceBase::reportStarted() on null data; later Qt
    // guards it). A callback has no such window.
    void submit(Route route, const HttpRequest &request, const QStringList &parameters,
                Answer answer);

    Statistics statistics() const;

private:
    struct Job
    {
        Route route;
        HttpRequest request;
        QStringList parameters;
        Answer answer;
        QByteArray caller; // the Authorization header
    };
    using Jobs = std::vector<std::unique_ptr<Job>>;
    struct Lane
    {
        std::unique_ptr<QThread> thread;
        std::deque<std::unique_ptr<Job>> queue;
        std::condition_variable wake;
        int unanswered = 0; // jobs given to this lane and not answered yet
        size_t running = 0; // the size of the batch this lane is running (0: none)
        // A submit wakes this lane's thread only once its queue holds this many jobs: one while
        // it waits for work, gatherMore()'s target while it gathers (waking it for each job
        // below that would only put it to sleep again: a futex call and a context switch per
        // request).
        size_t wakeAt = 1;
    };
    struct CallerLane
    {
        size_t lane = 0;
        int unanswered = 0;
    };

    void run(Lane &lane, std::promise<QString> *opened);
    void checkpointLoop(std::promise<bool> *opened);
    Jobs takeJobs(Lane &lane);
    void gatherMore(Lane &lane, std::unique_lock<std::mutex> &lock);
    void runBatch(Services &services, Jobs &jobs);
    // PostgreSQL: the jobs at indices, all item adds or all PUT /current replaces, answered
    // from one statement (OrderService::addToActiveOrders(), replaceActiveOrdersLines()).
    // *rerunAlone: that statement failed as a whole (no request was refused for itself) and
    // certainly changed nothing, so each request may be run again alone.
    std::vector<HttpResponse> runTogether(Services &services, Jobs &jobs,
                                          const std::vector<size_t> &indices, bool *rerunAlone);
    // PostgreSQL: the batch's jobs of this route (AddItem or PutCurrent) as one action of the
    // batch (runTogether()). Marks the jobs it took in *taken; fills their responses if it
    // succeeded (if not, they are re-run alone like any failed action).
    void runTogetherInBatch(Services &services, Jobs &jobs, Route route, std::vector<bool> *taken,
                            std::vector<std::optional<HttpResponse>> *responses);
    // PostgreSQL: a batch of only item adds or only replaces is one statement, run without a
    // transaction of its own (see the .cpp). False: the batch is not such a one.
    bool runOneStatement(Services &services, Jobs &jobs);
    void runAlone(Services &services, Job &job);
    // Fulfils the job's promise and releases its place in its lane.
    void answer(Job &job, const HttpResponse &response);

    const ApiConfig &m_config;
    SqlDialect m_dialect;
    int m_maxBatch;
    int m_maxQueued;
    std::chrono::microseconds m_gather;
    int m_unanswered = 0; // jobs in every lane, queued or running
    // SQLite: checkpoints the WAL on a thread of its own, so a writer's COMMIT never pays for one.
    std::unique_ptr<QThread> m_checkpointer;
    std::condition_variable m_checkpointWake;
    bool m_backgroundCheckpoints = false;
    std::vector<std::unique_ptr<Lane>> m_lanes;
    mutable std::mutex m_mutex; // guards every lane's queue, m_stopping and m_statistics
    bool m_stopping = false;
    QHash<QByteArray, CallerLane> m_callers; // callers with unanswered jobs, and their lane
    Statistics m_statistics;
};

} // namespace SafeTill
