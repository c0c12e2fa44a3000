#pragma once

// One benchmark loop, run either in the parent process (1 process, raw baseline) or in a child
// started with --child (the 4-process runs).

#include <QString>
#include <QStringList>

#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

namespace SafeTillBench {

// add_taxed_discounted: an add of a product with a tax rate to an order that has a line discount
// and an order discount (given once per order, untimed).
enum class Action { AddLine, Complete, AddTaxedDiscounted };
enum class Impl { SafeTill, Raw };

QString actionName(Action action);
std::optional<Action> actionFromName(const QString &name);
QString implName(Impl impl);

struct WorkerSpec
{
    QString dbPath;
    bool durable = true;
    Action action = Action::AddLine;
    Impl impl = Impl::SafeTill;
    QString cashierId;
    QStringList skus;      // products to cycle through
    int index = 0;         // process number, keeps request ids unique across processes
    int durationMs = 4000; // the timed loop stops at whichever bound comes first
    int maxCount = 20000;
    // Experiment: replace SQLite's busy handler (sleeps of 1, 2, 5, ... up to 100 ms) by one that
    // polls every busyPollUs microseconds until the busy timeout. 0 keeps SQLite's.
    int busyPollUs = 0;
    // Experiment: queue writers on flock() of a side file around each SafeTill action, so the
    // kernel hands the write lock over in turn instead of SQLite's sleep-and-retry.
    bool writerFlock = false;
    int warmUp = 5; // untimed actions first, so every statement is prepared
};

struct WorkerResult
{
    std::vector<std::int64_t> latenciesNs; // one per timed action, in order
    std::int64_t timedNs = 0;              // time spent inside the timed calls
    std::int64_t wallNs = 0;               // the whole loop, untimed set-up included
    int errors = 0;           // any outcome that is not Ok (timed and untimed calls), Busy included
    int busy = 0;             // outcomes Busy (the write lock could not be had after all retries)
    int retries = 0;          // extra write attempts Database::write() needed (backoff after busy)
    QStringList errorSamples; // the first few error messages
};

// Opens its connections and warms up in prepare(); run() is the timed loop and may be called
// several times (slices, to interleave two workers); finish() pays the open order and returns
// everything measured.
class Worker
{
public:
    explicit Worker(WorkerSpec spec);
    ~Worker();
    Worker(const Worker &) = delete;
    Worker &operator=(const Worker &) = delete;

    bool prepare(QString *error);
    void run(int durationMs, int maxCount);
    WorkerResult finish();

private:
    struct State;
    std::unique_ptr<State> d;
};

// Serialization of a WorkerResult over a child's stdout.
QByteArray encodeResult(const WorkerResult &result);
bool decodeResult(const QByteArray &output, WorkerResult *result, QString *error);

} // namespace SafeTillBench
