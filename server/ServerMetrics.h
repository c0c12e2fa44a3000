#pragma once

#include <QByteArray>
#include <QtGlobal>

#include <array>
#include <atomic>
#include <span>

namespace SafeTill {

// The server's Prometheus metrics (GET /metrics, text exposition format 0.0.4): a fixed set of
// counters and histograms made of relaxed atomics, so recording on the hot path (any thread)
// takes no lock. A scrape reads each atomic once; it may see one request counted in its status
// counter and not yet in its latency histogram, never a torn or decreasing value.

class MetricCounter
{
public:
    void add(quint64 amount = 1) { m_value.fetch_add(amount, std::memory_order_relaxed); }
    quint64 value() const { return m_value.load(std::memory_order_relaxed); }

private:
    std::atomic<quint64> m_value{0};
};

// Buckets as Prometheus wants them (cumulative, "le" upper bounds, +Inf last); each bucket holds
// only its own observations, summed up when rendered, so _count always equals the +Inf bucket.
class MetricHistogram
{
public:
    static constexpr size_t maxBuckets = 16;
    explicit MetricHistogram(std::span<const double> upperBounds);
    void observe(double value);
    // Appends name_bucket{labels,le="..."}, name_sum{labels} and name_count{labels}; labels is
    // empty or a rendered list such as route="/healthz" (without braces).
    void render(QByteArray &out, const QByteArray &name, const QByteArray &labels) const;
    quint64 count() const;

private:
    std::span<const double> m_bounds;
    std::array<std::atomic<quint64>, maxBuckets + 1> m_buckets{}; // the last one: +Inf
    std::atomic<quint64> m_sumNanoUnits{0}; // the sum in 1e-9 units (seconds: nanoseconds)
};

// One HTTP route of the server for the metrics: a method and the route's template (never the raw
// path, so the number of series stays bounded whatever clients send).
struct MetricRoute
{
    const char *method;
    const char *path;
};

class ServerMetrics
{
public:
    // Routes are numbered by the caller (SafeTillServer: its Route values, then /metrics); a
    // number out of range is counted as "unmatched".
    static constexpr int maxRoutes = 48;
    static constexpr int unmatchedRoute = maxRoutes; // 404 and 405: no route template

    // The process's registry (one server per process; in-process tests share it).
    static ServerMetrics &instance();

    // Names route number `route` in the output (called before serving; not thread-safe).
    void defineRoute(int route, MetricRoute label);
    void recordRequest(int route, int status, qint64 nanoseconds);

    enum class SyncOutcome { Applied, Replayed, Conflict, Rejected };
    void recordSyncOps(SyncOutcome outcome, quint64 count);
    void recordWriteBatch(quint64 size) { m_writeBatchSizes.observe(double(size)); }
    void recordLoginLockouts(quint64 count) { m_loginLockouts.add(count); }

    // The whole exposition; `extra` (already rendered lines, e.g. the server's gauges) is
    // appended.
    QByteArray render(const QByteArray &extra = {}) const;

    quint64 requests(int route, int status) const;

private:
    ServerMetrics();
    static constexpr int firstStatus = 100;
    static constexpr int statusCount = 500; // 100..599
    struct RouteMetrics
    {
        MetricRoute label{nullptr, nullptr};
        std::array<MetricCounter, statusCount> byStatus;
        MetricHistogram latency;
        RouteMetrics();
    };
    std::array<RouteMetrics, maxRoutes + 1> m_routes; // the last one: unmatched
    std::array<MetricCounter, 4> m_syncOps;
    MetricCounter m_loginLockouts;
    MetricHistogram m_writeBatchSizes;
    qint64 m_startSecs;
};

} // namespace SafeTill
