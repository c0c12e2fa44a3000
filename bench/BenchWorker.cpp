#include "BenchWorker.h"

#include "RawOrders.h"

#include "Database.h"
#include "OrderService.h"

#include <QByteArrayList>
#include <QFile>
#include <QSqlDriver>

#include <sqlite3.h>

#include <cstdio>
#include <ctime>
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <chrono>

using namespace Qt::StringLiterals;

namespace SafeTillBench {

namespace {

using Clock = std::chrono::steady_clock;

// An add-line order gets this many adds before it is paid and a new one opened (untimed): it
// cycles through the SKUs, so the first adds insert lines and the later ones raise quantities.
constexpr int addsPerOrder = 20;
constexpr SafeTill::Cents tenderCents = 1'000'000;
constexpr int maxErrorSamples = 5;

// SAFETILL_BENCH_TRACE=N: report (on stderr, forwarded by the parent) every SQL statement and
// auto-checkpoint of SafeTill's connection and every timed action that took more than N ms.
std::int64_t traceThresholdNs()
{
    static const std::int64_t threshold =
        std::int64_t(qEnvironmentVariableIntValue("SAFETILL_BENCH_TRACE")) * 1'000'000;
    return threshold;
}

int traceSlowStatement(unsigned, void *, void *statement, void *nanos)
{
    const std::int64_t elapsed = *static_cast<const sqlite3_int64 *>(nanos);
    if (elapsed > traceThresholdNs()) {
        std::fprintf(stderr, "slow statement, %.1f ms: %s\n", double(elapsed) / 1e6,
                     sqlite3_sql(static_cast<sqlite3_stmt *>(statement)));
    }
    return 0;
}

// Does what SQLite's default WAL hook does (a passive checkpoint once the WAL holds 1000 pages),
// timing it: the profile callback above fires before the checkpoint runs.
int traceCheckpoint(void *, sqlite3 *db, const char *name, int pages)
{
    if (pages < 1000)
        return SQLITE_OK;
    const auto start = std::chrono::steady_clock::now();
    sqlite3_wal_checkpoint(db, name);
    const auto elapsed = std::chrono::duration_cast<std::chrono::nanoseconds>(
                             std::chrono::steady_clock::now() - start)
                             .count();
    if (elapsed > traceThresholdNs())
        std::fprintf(stderr, "slow auto-checkpoint, %.1f ms\n", double(elapsed) / 1e6);
    return SQLITE_OK;
}

// SAFETILL_BENCH_SQL=1: print every statement either side runs (unexpanded, in order) on stderr,
// prefixed with the side, so the baseline's statements can be compared with SafeTill's.
bool traceAllStatements()
{
    static const bool all = qEnvironmentVariableIntValue("SAFETILL_BENCH_SQL") > 0;
    return all;
}

int traceStatement(unsigned, void *context, void *statement, void *)
{
    std::fprintf(stderr, "SQL %s: %s\n", static_cast<const char *>(context),
                 sqlite3_sql(static_cast<sqlite3_stmt *>(statement)));
    return 0;
}

struct PollingBusyHandler
{
    int pollUs;
    int timeoutMs;
};

// Called by SQLite while a lock is held elsewhere: short, even sleeps instead of SQLite's growing
// ones (1, 2, 5, 10, 15, 20, 25, 25, 25, 50, 50, 100 ms ...), so a waiter notices the lock is free
// within pollUs instead of after up to 100 ms, when another process may have taken it again.
int pollingBusyHandler(void *context, int attempt)
{
    const auto *handler = static_cast<const PollingBusyHandler *>(context);
    if (std::int64_t(attempt) * handler->pollUs >= std::int64_t(handler->timeoutMs) * 1000)
        return 0;
    const timespec pause{0, long(handler->pollUs) * 1000};
    nanosleep(&pause, nullptr);
    return 1;
}

void installPollingBusyHandler(sqlite3 *db, int pollUs, int timeoutMs)
{
    static thread_local PollingBusyHandler handler{pollUs, timeoutMs};
    handler = {pollUs, timeoutMs};
    sqlite3_busy_handler(db, pollingBusyHandler, &handler);
}

// Holds the writer flock for one action (nothing when fd < 0).
class WriterLock
{
public:
    explicit WriterLock(int fd)
        : m_fd(fd)
    {
        if (m_fd >= 0)
            flock(m_fd, LOCK_EX);
    }
    ~WriterLock()
    {
        if (m_fd >= 0)
            flock(m_fd, LOCK_UN);
    }
    WriterLock(const WriterLock &) = delete;
    WriterLock &operator=(const WriterLock &) = delete;

private:
    int m_fd;
};

std::int64_t nanosSince(Clock::time_point start)
{
    return std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now() - start).count();
}

} // namespace

QString actionName(Action action)
{
    switch (action) {
    case Action::AddLine:
        return u"add_line"_s;
    case Action::Complete:
        return u"complete"_s;
    case Action::AddTaxedDiscounted:
        return u"add_taxed_discounted"_s;
    }
    return {};
}

std::optional<Action> actionFromName(const QString &name)
{
    for (const Action action : {Action::AddLine, Action::Complete, Action::AddTaxedDiscounted}) {
        if (name == actionName(action))
            return action;
    }
    return std::nullopt;
}

QString implName(Impl impl)
{
    return impl == Impl::SafeTill ? u"safetill"_s : u"raw"_s;
}

struct Worker::State
{
    WorkerSpec spec;
    std::unique_ptr<SafeTill::Database> db;
    std::unique_ptr<SafeTill::OrderService> orders;
    RawOrders raw;
    std::vector<std::string> rawSkus;
    std::string rawCashierId;
    WorkerResult result;
    qint64 counter = 0;
    QString orderId;
    std::string rawOrderId;
    int lockFd = -1;

    ~State()
    {
        if (lockFd >= 0)
            close(lockFd);
    }
    int addsOnOrder = 0;

    QString nextRequestId() { return u"bench-%1-%2"_s.arg(spec.index).arg(++counter); }

    void noteError(const QString &message, bool busy)
    {
        ++result.errors;
        if (busy)
            ++result.busy;
        if (result.errorSamples.size() < maxErrorSamples)
            result.errorSamples << message;
    }

    template<typename R> bool tally(const SafeTill::Result<R> &outcome)
    {
        result.retries += std::max(0, db->lastWriteAttempts() - 1);
        if (outcome)
            return true;
        noteError(u"%1: %2 %3"_s.arg(SafeTill::outcomeName(outcome.outcome()), outcome.message(),
                                     outcome.detail()),
                  outcome.outcome() == SafeTill::Outcome::Busy);
        return false;
    }

    bool tally(const RawOrders::Outcome &outcome)
    {
        if (outcome.status == RawOrders::Status::Ok)
            return true;
        noteError(u"raw: "_s + QString::fromStdString(outcome.message),
                  outcome.status == RawOrders::Status::Busy);
        return false;
    }

    void setOrder(const QString &id)
    {
        orderId = id;
        rawOrderId = id.toStdString();
        addsOnOrder = 0;
    }

    // The three operations, through SafeTill or the raw connection. Only the call itself is timed
    // (into *elapsed when given); request ids and targets are built before the clock starts.
    bool openOrder()
    {
        const QString requestId = nextRequestId();
        if (spec.impl == Impl::Raw) {
            const RawOrders::Outcome opened =
                raw.openOrResume(rawCashierId, requestId.toStdString());
            setOrder(tally(opened) ? QString::fromStdString(opened.orderId) : QString());
        } else {
            std::optional<WriterLock> lock(std::in_place, lockFd);
            const SafeTill::Result<SafeTill::Order> opened =
                orders->openOrResume(spec.cashierId, requestId);
            lock.reset();
            setOrder(tally(opened) ? opened->id : QString());
        }
        return !orderId.isEmpty();
    }

    std::optional<int> addLine(qsizetype skuIndex, std::int64_t *elapsed)
    {
        const QString requestId = nextRequestId();
        std::optional<int> version;
        if (spec.impl == Impl::Raw) {
            const std::string rawRequestId = requestId.toStdString();
            const Clock::time_point start = Clock::now();
            const RawOrders::Outcome outcome =
                raw.addProduct(rawOrderId, rawSkus[std::size_t(skuIndex)], 1, rawRequestId);
            if (elapsed)
                *elapsed = nanosSince(start);
            if (tally(outcome))
                version = outcome.version;
        } else {
            const SafeTill::OrderTarget target = SafeTill::OrderTarget::byId(orderId);
            const QString &sku = spec.skus.at(skuIndex);
            const Clock::time_point start = Clock::now();
            std::optional<WriterLock> lock(std::in_place, lockFd);
            const SafeTill::Result<SafeTill::Order> outcome =
                orders->addProduct(target, sku, 1, requestId);
            lock.reset();
            if (elapsed)
                *elapsed = nanosSince(start);
            if (tally(outcome))
                version = outcome->version;
        }
        ++addsOnOrder;
        return version;
    }

    bool completeOrder(std::optional<int> version, std::int64_t *elapsed)
    {
        const QString requestId = nextRequestId();
        if (spec.impl == Impl::Raw) {
            const std::string rawRequestId = requestId.toStdString();
            const Clock::time_point start = Clock::now();
            const RawOrders::Outcome outcome =
                raw.complete(rawOrderId, tenderCents, version, rawRequestId);
            if (elapsed)
                *elapsed = nanosSince(start);
            return tally(outcome);
        }
        const SafeTill::OrderTarget target = SafeTill::OrderTarget::byId(orderId);
        const SafeTill::PaymentRequest payment{SafeTill::PaymentMethod::Cash, tenderCents};
        const Clock::time_point start = Clock::now();
        std::optional<WriterLock> lock(std::in_place, lockFd);
        const SafeTill::Result<SafeTill::Order> outcome =
            orders->complete(target, payment, version, requestId);
        lock.reset();
        if (elapsed)
            *elapsed = nanosSince(start);
        return tally(outcome);
    }

    // add_taxed_discounted: the new order's first line (the first taxed product) gets 10 % off
    // and the order 0.50 off, once per order, untimed. The timed adds then cycle through the taxed
    // products (the first raises that discounted line's quantity).
    bool discountOrder()
    {
        if (!addLine(0, nullptr))
            return false;
        const SafeTill::Discount line{SafeTill::DiscountKind::Percent, 1000, u"bench staff"_s,
                                      spec.cashierId};
        const SafeTill::Discount order{SafeTill::DiscountKind::Amount, 50, u"bench voucher"_s,
                                       spec.cashierId};
        if (spec.impl == Impl::Raw) {
            const RawOrders::Outcome lineDone = raw.discountLine(
                rawOrderId, 1, 1000, "bench staff", rawCashierId, nextRequestId().toStdString());
            if (!tally(lineDone))
                return false;
            return tally(raw.discountOrder(rawOrderId, 50, "bench voucher", rawCashierId,
                                           nextRequestId().toStdString()));
        }
        const SafeTill::OrderTarget target = SafeTill::OrderTarget::byId(orderId);
        const SafeTill::Result<SafeTill::Order> lineDone =
            orders->discountLine(target, u"1"_s, line, std::nullopt, nextRequestId());
        if (!tally(lineDone))
            return false;
        return tally(orders->discountOrder(target, order, std::nullopt, nextRequestId()));
    }

    // Pays the current add-line order (if it has lines) and opens the next one; untimed.
    void rotate()
    {
        if (!orderId.isEmpty() && addsOnOrder > 0)
            completeOrder(std::nullopt, nullptr);
        if (openOrder() && spec.action == Action::AddTaxedDiscounted && !discountOrder())
            setOrder(QString());
    }

    // Runs actions until count or duration; records latencies only when asked.
    void loop(int count, std::int64_t durationNs, bool record)
    {
        const Clock::time_point start = Clock::now();
        int done = 0;
        while (done < count && nanosSince(start) < durationNs) {
            std::int64_t elapsed = 0;
            if (spec.action != Action::Complete) {
                if (orderId.isEmpty() || addsOnOrder >= addsPerOrder) {
                    rotate();
                    if (orderId.isEmpty())
                        continue;
                }
                addLine(addsOnOrder % spec.skus.size(), &elapsed);
            } else {
                // Open an order and add one line (untimed), then pay it (timed).
                if (!openOrder())
                    continue;
                const std::optional<int> version = addLine(done % spec.skus.size(), nullptr);
                if (!version)
                    continue;
                completeOrder(version, &elapsed);
            }
            ++done;
            if (record) {
                result.latenciesNs.push_back(elapsed);
                if (traceThresholdNs() > 0 && elapsed > traceThresholdNs()) {
                    std::fprintf(stderr,
                                 "slow action: process %d, action %d, %.1f ms into the "
                                 "loop, took %.1f ms\n",
                                 spec.index, done, double(nanosSince(start)) / 1e6,
                                 double(elapsed) / 1e6);
                }
                result.timedNs += elapsed;
            }
        }
        if (record)
            result.wallNs += nanosSince(start);
    }
};

Worker::Worker(WorkerSpec spec)
    : d(std::make_unique<State>())
{
    d->spec = std::move(spec);
}

Worker::~Worker() = default;

bool Worker::prepare(QString *error)
{
    SafeTill::DatabaseOptions options;
    options.location = d->spec.dbPath;
    options.durableCommits = d->spec.durable;
    d->db = SafeTill::Database::open(options, error);
    if (!d->db)
        return false;
    d->orders = std::make_unique<SafeTill::OrderService>(*d->db);
    const QVariant handle = d->db->connection().driver()->handle();
    sqlite3 *const connection = qstrcmp(handle.typeName(), "sqlite3*") == 0
                                    ? *static_cast<sqlite3 *const *>(handle.constData())
                                    : nullptr;
    if (!connection) {
        *error = u"the Qt SQLite driver gave no sqlite3 handle"_s;
        return false;
    }
    if (traceThresholdNs() > 0) {
        sqlite3_trace_v2(connection, SQLITE_TRACE_PROFILE, traceSlowStatement, nullptr);
        sqlite3_wal_hook(connection, traceCheckpoint, nullptr);
    }
    if (traceAllStatements() && d->spec.impl == Impl::SafeTill) {
        sqlite3_trace_v2(connection, SQLITE_TRACE_STMT, traceStatement,
                         const_cast<char *>("safetill"));
    }
    if (d->spec.writerFlock) {
        d->lockFd = ::open(QFile::encodeName(d->spec.dbPath + u"-writer.lock"_s).constData(),
                           O_RDWR | O_CREAT | O_CLOEXEC, 0644);
        if (d->lockFd < 0) {
            *error = u"cannot open the writer lock file"_s;
            return false;
        }
    }
    if (d->spec.busyPollUs > 0)
        installPollingBusyHandler(connection, d->spec.busyPollUs, options.busyTimeoutMs);
    if (d->spec.skus.isEmpty()) {
        *error = u"no products to sell"_s;
        return false;
    }
    if (d->spec.impl == Impl::Raw) {
        std::string rawError;
        if (!d->raw.open(d->spec.dbPath.toStdString(), options.durableCommits,
                         options.busyTimeoutMs, &rawError)) {
            *error = u"raw connection: "_s + QString::fromStdString(rawError);
            return false;
        }
        if (traceAllStatements()) {
            sqlite3_trace_v2(d->raw.handle(), SQLITE_TRACE_STMT, traceStatement,
                             const_cast<char *>("raw"));
        }
        for (const QString &sku : std::as_const(d->spec.skus))
            d->rawSkus.push_back(sku.toStdString());
        d->rawCashierId = d->spec.cashierId.toStdString();
    }
    d->result.latenciesNs.reserve(std::size_t(std::min(d->spec.maxCount, 200000)));
    d->loop(d->spec.warmUp, std::int64_t(2'000'000'000), false);
    return true;
}

void Worker::run(int durationMs, int maxCount)
{
    d->loop(maxCount, std::int64_t(durationMs) * 1'000'000, true);
}

WorkerResult Worker::finish()
{
    // Leave no order open behind (untimed; errors still count).
    if (d->spec.action != Action::Complete && !d->orderId.isEmpty() && d->addsOnOrder > 0)
        d->completeOrder(std::nullopt, nullptr);
    return std::move(d->result);
}

QByteArray encodeResult(const WorkerResult &result)
{
    QByteArray out;
    out += "RESULT " + QByteArray::number(result.timedNs) + ' ' +
           QByteArray::number(result.wallNs) + ' ' + QByteArray::number(result.errors) + ' ' +
           QByteArray::number(result.busy) + ' ' + QByteArray::number(result.retries) + ' ' +
           QByteArray::number(qulonglong(result.latenciesNs.size())) + '\n';
    out += "LAT";
    for (const std::int64_t ns : result.latenciesNs)
        out += ' ' + QByteArray::number(ns);
    out += '\n';
    for (const QString &sample : result.errorSamples)
        out += "ERR " + sample.simplified().toUtf8() + '\n';
    out += "END\n";
    return out;
}

bool decodeResult(const QByteArray &output, WorkerResult *result, QString *error)
{
    bool sawResult = false;
    bool sawEnd = false;
    qulonglong expected = 0;
    const QByteArrayList lines = output.split('\n');
    for (const QByteArray &line : lines) {
        if (line.startsWith("RESULT ")) {
            const QByteArrayList f = line.mid(7).split(' ');
            if (f.size() != 6) {
                *error = u"malformed RESULT line"_s;
                return false;
            }
            result->timedNs = f[0].toLongLong();
            result->wallNs = f[1].toLongLong();
            result->errors = f[2].toInt();
            result->busy = f[3].toInt();
            result->retries = f[4].toInt();
            expected = f[5].toULongLong();
            sawResult = true;
        } else if (line.startsWith("LAT")) {
            const QByteArrayList values = line.mid(3).split(' ');
            for (const QByteArray &value : values) {
                if (!value.isEmpty())
                    result->latenciesNs.push_back(value.toLongLong());
            }
        } else if (line.startsWith("ERR ")) {
            result->errorSamples << QString::fromUtf8(line.mid(4));
        } else if (line == "END") {
            sawEnd = true;
        }
    }
    if (!sawResult || !sawEnd || result->latenciesNs.size() != expected) {
        *error = u"incomplete report from the child process"_s;
        return false;
    }
    return true;
}

} // namespace SafeTillBench
