#include "WriteBatcher.h"

#include "ServerLogging.h"
#include "ServerMetrics.h"
#include "Services.h"

#include <QElapsedTimer>

#include <algorithm>
#include <optional>

using namespace Qt::StringLiterals;

namespace SafeTill {

namespace {

HttpResponse busyResponse()
{
    HttpResponse response = HttpResponse::error(
        503, u"busy"_s, u"The database is busy; nothing was changed. Please try again."_s);
    response.addHeader("Retry-After", "1");
    return response;
}

// SQLite: the writers of this process queue on one lock (see OrderApi.cpp) instead of polling in
// SQLite's busy handler. PostgreSQL needs no such lock.
std::unique_lock<std::mutex> writerLock(const Database &db)
{
    if (db.dialect() == SqlDialect::Sqlite)
        return std::unique_lock(sqliteWriterLock());
    return {};
}

} // namespace

WriteBatcher::WriteBatcher(const ApiConfig &config, SqlDialect dialect, int lanes, int maxBatch,
                           int maxQueued, int gatherUs)
    : m_config(config)
    , m_dialect(dialect)
    , m_maxBatch(maxBatch > 0                      ? maxBatch
                 : dialect == SqlDialect::Postgres ? 24
                                                   : 64)
    , m_maxQueued(maxQueued > 0 ? maxQueued : 1024)
    , m_gather(gatherUs >= 0 ? gatherUs : 2000)
{
    if (dialect == SqlDialect::Sqlite || lanes < 1)
        lanes = dialect == SqlDialect::Postgres ? 2 : 1;
    for (int i = 0; i < lanes; ++i)
        m_lanes.push_back(std::make_unique<Lane>());
}

WriteBatcher::~WriteBatcher()
{
    stop();
}

bool WriteBatcher::start(QString *error)
{
    if (m_dialect == SqlDialect::Sqlite) {
        std::promise<bool> opened;
        std::future<bool> openResult = opened.get_future();
        m_checkpointer.reset(QThread::create([this, &opened] { checkpointLoop(&opened); }));
        m_checkpointer->setObjectName(u"safetill-checkpoint"_s);
        m_checkpointer->start();
        m_backgroundCheckpoints = openResult.get();
    }
    for (size_t i = 0; i < m_lanes.size(); ++i) {
        Lane &lane = *m_lanes[i];
        std::promise<QString> opened;
        std::future<QString> openResult = opened.get_future();
        lane.thread.reset(QThread::create([this, &lane, &opened] { run(lane, &opened); }));
        lane.thread->setObjectName(u"safetill-writer-%1"_s.arg(i));
        lane.thread->start();
        *error = openResult.get();
        if (!error->isEmpty()) {
            stop();
            return false;
        }
    }
    return true;
}

void WriteBatcher::stop()
{
    {
        std::lock_guard lock(m_mutex);
        if (m_stopping)
            return;
        m_stopping = true;
    }
    for (auto &lane : m_lanes) {
        lane->wake.notify_all();
        if (lane->thread)
            lane->thread->wait();
        lane->thread.reset();
    }
    if (m_checkpointer) {
        m_checkpointWake.notify_all();
        m_checkpointer->wait();
        m_checkpointer.reset();
    }
    const Statistics stats = statistics();
    qCInfo(lcServer).noquote() << "group commit:" << stats.actions << "actions in" << stats.batches
                               << "batches (largest" << stats.largestBatch << "),"
                               << stats.aloneReruns << "re-run alone;" << stats.actionNs / 1000000
                               << "ms in actions," << stats.commitNs / 1000000 << "ms in commits;"
                               << stats.addsTogether << "item adds and" << stats.replacesTogether
                               << "replaces sent together," << stats.oneStatementBatches
                               << "batches of one statement;" << stats.submitted << "writes queued,"
                               << stats.refusedFull << "refused with a full queue;"
                               << stats.gatherWaits << "batches waited for more requests,"
                               << stats.gatherNs / 1000000 << "ms in all";
}

bool WriteBatcher::isBatched(Route route)
{
    switch (route) {
    case Route::OpenOrder:
    case Route::PutCurrent:
    case Route::AddItem:
    case Route::Logout:
    case Route::Complete:
    case Route::AssignTab:
    case Route::SettleTab:
    case Route::AddDiscount:
    case Route::SetLinePrice:
    case Route::PayOrder:
    case Route::PayTab:
    case Route::Refund:
    case Route::VoidSale:
        return true;
    default:
        return false;
    }
}

void WriteBatcher::submit(Route route, const HttpRequest &request, const QStringList &parameters,
                          Answer answer)
{
    auto job = std::make_unique<Job>(
        Job{route, request, parameters, std::move(answer), request.header("authorization")});
    Lane *lane = nullptr;
    bool wake = false;
    std::optional<HttpResponse> refused;
    {
        std::lock_guard lock(m_mutex);
        if (m_stopping) {
            refused = busyResponse();
        } else if (m_unanswered >= m_maxQueued) {
            // Bounded: a burst beyond what the writers can answer soon is told to come back,
            // instead of holding memory and making every later write wait longer.
            ++m_statistics.refusedFull;
            refused = HttpResponse::error(
                503, u"busy"_s,
                u"The server has too many changes waiting; nothing was changed. Please try "
                "again."_s);
            refused->addHeader("Retry-After", "1");
        } else {
            ++m_unanswered;
            ++m_statistics.submitted;
            auto caller = m_callers.find(job->caller);
            if (caller == m_callers.end()) {
                size_t leastBusy = 0;
                for (size_t i = 1; i < m_lanes.size(); ++i) {
                    if (m_lanes[i]->unanswered < m_lanes[leastBusy]->unanswered)
                        leastBusy = i;
                }
                caller = m_callers.insert(job->caller, CallerLane{leastBusy, 0});
            }
            ++caller->unanswered;
            lane = m_lanes[caller->lane].get();
            ++lane->unanswered;
            lane->queue.push_back(std::move(job));
            wake = lane->queue.size() >= lane->wakeAt;
        }
    }
    if (refused) {
        job->answer(*refused); // outside the lock: the answer may post an event or wake a thread
        return;
    }
    if (wake)
        lane->wake.notify_one();
}

WriteBatcher::Statistics WriteBatcher::statistics() const
{
    std::lock_guard lock(m_mutex);
    return m_statistics;
}

void WriteBatcher::answer(Job &job, const HttpResponse &response)
{
    job.answer(response);
    std::lock_guard lock(m_mutex);
    --m_unanswered;
    const auto caller = m_callers.find(job.caller);
    if (caller == m_callers.end())
        return;
    --m_lanes[caller->lane]->unanswered;
    if (--caller->unanswered == 0)
        m_callers.erase(caller);
}

WriteBatcher::Jobs WriteBatcher::takeJobs(Lane &lane)
{
    std::unique_lock lock(m_mutex);
    lane.wake.wait(lock, [this, &lane] { return m_stopping || !lane.queue.empty(); });
    gatherMore(lane, lock);
    Jobs jobs;
    while (!lane.queue.empty() && qsizetype(jobs.size()) < m_maxBatch) {
        jobs.push_back(std::move(lane.queue.front()));
        lane.queue.pop_front();
    }
    lane.running = jobs.size();
    return jobs;
}

// Under load, fewer and larger batches: every batch costs a round trip, its statement's fixed work
// and a durable commit whatever its size (on PostgreSQL as much as several replaces: at 32
// connections batches grew from 7.5 to 11-12 and the CPU per PUT /current fell by about an
// eighth, bench/README.md).
// So while another lane runs a batch, a lane that has fewer requests queued than that batch waits
// (at most m_gather) until it has as many, or the other batch ends; then it takes them all. Its
// requests would mostly have waited anyway: both lanes share the same cores. A lane never waits
// when no other lane is running, so a lone till's request goes at once, and SQLite (one lane)
// never waits. No lane waits for a waiting one: only a running batch makes others wait.
void WriteBatcher::gatherMore(Lane &lane, std::unique_lock<std::mutex> &lock)
{
    if (m_gather.count() <= 0 || m_stopping)
        return;
    auto target = [this, &lane] {
        size_t largest = 0;
        for (const auto &other : m_lanes) {
            if (other.get() != &lane)
                largest = std::max(largest, other->running);
        }
        return std::min(largest, size_t(m_maxBatch));
    };
    if (lane.queue.size() >= target())
        return;
    QElapsedTimer waited;
    waited.start();
    lane.wake.wait_for(lock, m_gather, [this, &lane, &target] {
        lane.wakeAt = target(); // rises should another lane start a larger batch meanwhile
        return m_stopping || lane.queue.size() >= lane.wakeAt;
    });
    lane.wakeAt = 1;
    ++m_statistics.gatherWaits;
    m_statistics.gatherNs += waited.nsecsElapsed();
}

void WriteBatcher::run(Lane &lane, std::promise<QString> *opened)
{
    QString error;
    std::unique_ptr<Database> db = Database::open(m_config.database, &error);
    if (!db) {
        opened->set_value(error.isEmpty() ? u"The writer could not open the database."_s : error);
        return;
    }
    if (m_backgroundCheckpoints) {
        try {
            // The checkpointer keeps the WAL short; this only bounds it should it fall behind.
            db->exec(u"PRAGMA wal_autocheckpoint=20000"_s);
        } catch (const SqlFailure &failure) {
            qCWarning(lcServer).noquote()
                << "writer keeps automatic checkpoints:" << failure.describe();
        }
    }
    opened->set_value(QString());
    {
        // On this lane's connection, which it keeps: the server's services (no outbox rows).
        Services services(*db, SyncSide::Server);
        for (;;) {
            Jobs jobs = takeJobs(lane);
            if (jobs.empty())
                break; // stopping, and nothing left to answer
            runBatch(services, jobs);
            {
                std::lock_guard lock(m_mutex);
                lane.running = 0;
            }
            for (const auto &other : m_lanes) {
                if (other.get() != &lane)
                    other->wake.notify_one(); // one that gathers may start now
            }
        }
    }
    db.reset(); // closed on the thread that opened it
}

void WriteBatcher::checkpointLoop(std::promise<bool> *opened)
{
    QString error;
    std::unique_ptr<Database> db = Database::open(m_config.database, &error);
    if (!db)
        qCWarning(lcServer).noquote() << "no checkpoint thread, the writers checkpoint:" << error;
    opened->set_value(bool(db));
    if (!db)
        return;
    std::unique_lock lock(m_mutex);
    while (!m_stopping) {
        m_checkpointWake.wait_for(lock, std::chrono::milliseconds(100));
        if (m_stopping)
            break;
        lock.unlock();
        try {
            // PASSIVE: copies what it can without ever blocking a writer or a reader.
            db->scalar(u"PRAGMA wal_checkpoint(PASSIVE)"_s);
        } catch (const SqlFailure &failure) {
            qCWarning(lcServer).noquote() << "checkpoint failed:" << failure.describe();
        }
        lock.lock();
    }
    lock.unlock();
    db.reset();
}

void WriteBatcher::runBatch(Services &services, Jobs &jobs)
{
    Database &db = services.database();
    // A lone action gains nothing from the savepoints: it runs as an ordinary transaction.
    if (jobs.size() == 1) {
        // Counted before the answer is released, so a scrape after it sees the batch.
        ServerMetrics::instance().recordWriteBatch(1);
        runAlone(services, *jobs.front());
        std::lock_guard lock(m_mutex);
        ++m_statistics.batches;
        ++m_statistics.actions;
        m_statistics.largestBatch = std::max<qint64>(m_statistics.largestBatch, 1);
        return;
    }
    if (runOneStatement(services, jobs))
        return;
    // Payments last: they take the next receipt number from one counter row, whose lock is held
    // until the commit, so the other lanes' payments wait for as short a time as possible. (Every
    // job of a batch is pending at once, so any order of them is as good as the queue's.)
    std::stable_partition(jobs.begin(), jobs.end(), [](const std::unique_ptr<Job> &job) {
        return job->route != Route::Complete && job->route != Route::SettleTab &&
               job->route != Route::PayOrder && job->route != Route::PayTab &&
               job->route != Route::Refund && job->route != Route::VoidSale;
    });
    std::vector<std::optional<HttpResponse>> responses(jobs.size());
    bool committed = false;
    QElapsedTimer timer;
    qint64 actionNs = 0;
    qint64 commitNs = 0;
    {
        std::unique_lock<std::mutex> lock = writerLock(db);
        try {
            timer.start();
            db.beginBatch();
            std::vector<bool> taken(jobs.size(), false);
            if (m_dialect == SqlDialect::Postgres) {
                runTogetherInBatch(services, jobs, Route::AddItem, &taken, &responses);
                runTogetherInBatch(services, jobs, Route::PutCurrent, &taken, &responses);
            }
            for (size_t i = 0; i < jobs.size(); ++i) {
                if (taken[i])
                    continue;
                Job &job = *jobs[i];
                HttpResponse response;
                if (db.runBatchAction([&] {
                        response = handleOnDatabase(m_config, job.route, job.request,
                                                    job.parameters, services);
                    }))
                    responses[i] = std::move(response);
            }
            actionNs = timer.nsecsElapsed();
            db.commitBatch();
            commitNs = timer.nsecsElapsed() - actionNs;
            committed = true;
        } catch (const SqlFailure &failure) {
            // BEGIN, a savepoint or COMMIT failed: nothing of this batch is kept or answered.
            db.rollbackBatch();
            qCWarning(lcServer).noquote()
                << "group commit of" << jobs.size()
                << "actions failed; running each alone:" << failure.describe();
        }
    }
    // Counted before any answer is released, so a scrape after one sees the batch.
    ServerMetrics::instance().recordWriteBatch(jobs.size());
    qint64 alone = 0;
    for (size_t i = 0; i < jobs.size(); ++i) {
        if (committed && responses[i]) {
            answer(*jobs[i], *responses[i]);
        } else {
            ++alone;
            runAlone(services, *jobs[i]);
        }
    }
    std::lock_guard lock(m_mutex);
    ++m_statistics.batches;
    m_statistics.actions += qint64(jobs.size()) - alone;
    m_statistics.aloneReruns += alone;
    m_statistics.largestBatch = std::max<qint64>(m_statistics.largestBatch, qint64(jobs.size()));
    m_statistics.actionNs += actionNs;
    m_statistics.commitNs += commitNs;
}

namespace {

// A result of the whole statement failing (busy after its retries, an error), as opposed to one
// request refused for itself.
bool failedWhole(const Result<Order> &result)
{
    return result.outcome() == Outcome::Error || result.outcome() == Outcome::Busy;
}

// The requests answered from one call of the model (the batched item adds or replaces):
// prepare() gives each its work (Prepared, whose member `work` the call takes) or the response
// that ends it, call() runs all the work in one go, finish() answers each from its result;
// note() sees every result.
template<typename Prepared, typename Work, typename Prepare, typename Call, typename Finish,
         typename Note>
std::vector<HttpResponse> answerTogether(const std::vector<const HttpRequest *> &requests,
                                         Work Prepared::*work, Prepare prepare, Call call,
                                         Finish finish, Note note)
{
    std::vector<std::variant<HttpResponse, Prepared>> prepared;
    QList<Work> works;
    for (const HttpRequest *request : requests) {
        prepared.push_back(prepare(*request));
        if (const auto *one = std::get_if<Prepared>(&prepared.back()))
            works.append(one->*work);
    }
    const QList<Result<Order>> results = works.isEmpty() ? QList<Result<Order>>{} : call(works);
    std::vector<HttpResponse> answers(requests.size());
    qsizetype next = 0;
    for (size_t k = 0; k < requests.size(); ++k) {
        if (const auto *one = std::get_if<Prepared>(&prepared[k])) {
            const Result<Order> &result = results.at(next++);
            note(result);
            answers[k] = finish(*requests[k], *one, result);
        } else {
            answers[k] = std::get<HttpResponse>(prepared[k]);
        }
    }
    return answers;
}

} // namespace

std::vector<HttpResponse> WriteBatcher::runTogether(Services &services, Jobs &jobs,
                                                    const std::vector<size_t> &indices,
                                                    bool *rerunAlone)
{
    // Every job of a batch is pending at once (none is answered before the commit), and two
    // requests of one caller stay in the queue's order, so this order is as good as the queue's.
    std::vector<HttpResponse> answers;
    const Route route = jobs[indices.front()]->route;
    qsizetype sent = 0;
    qsizetype failed = 0;
    bool unavailable = false;
    auto note = [&](const Result<Order> &result) {
        ++sent;
        if (failedWhole(result))
            ++failed;
        unavailable = unavailable || result.unavailable();
    };
    std::vector<const HttpRequest *> requests;
    for (size_t i : indices)
        requests.push_back(&jobs[i]->request);
    if (route == Route::AddItem) {
        answers = answerTogether(
            requests, &PreparedItemAdd::add,
            [&](const HttpRequest &request) { return prepareItemAdd(m_config, request, services); },
            [&](const QList<OrderService::ActiveOrderAdd> &adds) {
                return services.orders().addToActiveOrders(adds);
            },
            [&](const HttpRequest &request, const PreparedItemAdd &add,
                const Result<Order> &result) {
                return finishItemAdd(m_config, request, add, result, services);
            },
            note);
    } else {
        Q_ASSERT(route == Route::PutCurrent);
        answers = answerTogether(
            requests, &PreparedReplace::replace,
            [&](const HttpRequest &request) { return prepareReplace(m_config, request, services); },
            [&](const QList<OrderService::ActiveOrderReplace> &replaces) {
                return services.orders().replaceActiveOrdersLines(replaces);
            },
            [&](const HttpRequest &request, const PreparedReplace &replace,
                const Result<Order> &result) {
                return finishReplace(m_config, request, replace, result, services);
            },
            note);
    }
    // Failed as a whole and certainly changed nothing: each request may run again on its own. Not
    // when the database was lost on the way (it may have committed before the answer was lost):
    // the 503 each gets tells the client to retry with its Idempotency-Key, which replays it.
    *rerunAlone = sent > 0 && failed == sent && !unavailable;
    return answers;
}

void WriteBatcher::runTogetherInBatch(Services &services, Jobs &jobs, Route route,
                                      std::vector<bool> *taken,
                                      std::vector<std::optional<HttpResponse>> *responses)
{
    Database &db = services.database();
    std::vector<size_t> indices;
    for (size_t i = 0; i < jobs.size(); ++i) {
        if (jobs[i]->route == route)
            indices.push_back(i);
    }
    if (indices.size() < 2)
        return;
    std::vector<HttpResponse> answers;
    bool rerunAlone = false; // in a batch, a failed statement fails the action: run alone anyway
    const bool done =
        db.runBatchAction([&] { answers = runTogether(services, jobs, indices, &rerunAlone); });
    for (size_t k = 0; k < indices.size(); ++k) {
        (*taken)[indices[k]] = true;
        if (done)
            (*responses)[indices[k]] = std::move(answers[k]);
    }
    if (done) {
        std::lock_guard lock(m_mutex);
        (route == Route::AddItem ? m_statistics.addsTogether : m_statistics.replacesTogether) +=
            qint64(indices.size());
    }
}

bool WriteBatcher::runOneStatement(Services &services, Jobs &jobs)
{
    const Route route = jobs.front()->route;
    if (m_dialect != SqlDialect::Postgres || jobs.size() < 2 ||
        (route != Route::AddItem && route != Route::PutCurrent) ||
        !std::all_of(jobs.begin(), jobs.end(),
                     [route](const std::unique_ptr<Job> &job) { return job->route == route; }))
        return false;
    // The whole batch is one statement (OrderService's batched add or replace, writeAtomic()):
    // on PostgreSQL it runs as its own transaction, committed durably before its rows come
    // back, so the batch needs no BEGIN and no COMMIT of its own (two round trips fewer). The
    // guarantees are the group commit's: nothing is answered before the commit, and a statement
    // that failed as a whole (not one request refused for itself) changed nothing and is not
    // answered: each of its requests is run alone, as a failed batch's are. A statement whose
    // connection was lost is answered 503 instead (see runTogether()): Database re-sends a lost
    // lone statement once itself, which replays what committed (the batch's request ids are in
    // it), but a request run alone would get a new id when it has no Idempotency-Key.
    std::vector<size_t> indices(jobs.size());
    for (size_t i = 0; i < jobs.size(); ++i)
        indices[i] = i;
    QElapsedTimer timer;
    timer.start();
    bool rerunAlone = false;
    std::vector<HttpResponse> answers = runTogether(services, jobs, indices, &rerunAlone);
    const qint64 statementNs = timer.nsecsElapsed();
    ServerMetrics::instance().recordWriteBatch(jobs.size());
    for (size_t i = 0; i < jobs.size(); ++i) {
        if (rerunAlone)
            runAlone(services, *jobs[i]);
        else
            answer(*jobs[i], answers[i]);
    }
    std::lock_guard lock(m_mutex);
    ++m_statistics.batches;
    ++m_statistics.oneStatementBatches;
    if (rerunAlone) {
        m_statistics.aloneReruns += qint64(jobs.size());
    } else {
        m_statistics.actions += qint64(jobs.size());
        (route == Route::AddItem ? m_statistics.addsTogether : m_statistics.replacesTogether) +=
            qint64(jobs.size());
    }
    m_statistics.largestBatch = std::max<qint64>(m_statistics.largestBatch, qint64(jobs.size()));
    m_statistics.actionNs += statementNs;
    return true;
}

void WriteBatcher::runAlone(Services &services, Job &job)
{
    HttpResponse response;
    {
        std::unique_lock<std::mutex> lock = writerLock(services.database());
        response = handleOnDatabase(m_config, job.route, job.request, job.parameters, services);
    }
    answer(job, response);
}

} // namespace SafeTill
