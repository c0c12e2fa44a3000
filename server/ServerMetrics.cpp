#include "ServerMetrics.h"

#include "Database.h"

#include <QDateTime>

#include <cmath>

namespace SafeTill {

namespace {

// Latency buckets in seconds: 1 ms to 10 s.
constexpr double latencyBounds[] = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1,
                                    0.25,  0.5,    1.0,   2.5,  5.0,   10.0};
// Actions in one group-commit transaction (WriteBatcher: at most 64).
constexpr double batchBounds[] = {1, 2, 4, 8, 16, 24, 32, 48, 64};

QByteArray number(double value)
{
    if (std::isinf(value))
        return "+Inf";
    return QByteArray::number(value, 'g', 15);
}

void appendSample(QByteArray &out, const QByteArray &name, const QByteArray &labels,
                  const QByteArray &value)
{
    out += name;
    if (!labels.isEmpty())
        out += '{' + labels + '}';
    out += ' ' + value + '\n';
}

void appendHelp(QByteArray &out, const char *name, const char *type, const char *help)
{
    out += QByteArray("# HELP ") + name + ' ' + help + "\n# TYPE " + name + ' ' + type + '\n';
}

} // namespace

MetricHistogram::MetricHistogram(std::span<const double> upperBounds)
    : m_bounds(upperBounds.first(std::min(upperBounds.size(), maxBuckets)))
{}

void MetricHistogram::observe(double value)
{
    size_t bucket = 0;
    while (bucket < m_bounds.size() && value > m_bounds[bucket])
        ++bucket;
    m_buckets[bucket].fetch_add(1, std::memory_order_relaxed);
    m_sumNanoUnits.fetch_add(quint64(std::llround(std::max(0.0, value) * 1e9)),
                             std::memory_order_relaxed);
}

quint64 MetricHistogram::count() const
{
    quint64 total = 0;
    for (size_t i = 0; i <= m_bounds.size(); ++i)
        total += m_buckets[i].load(std::memory_order_relaxed);
    return total;
}

void MetricHistogram::render(QByteArray &out, const QByteArray &name,
                             const QByteArray &labels) const
{
    const QByteArray prefix = labels.isEmpty() ? QByteArray() : labels + ',';
    quint64 cumulative = 0;
    for (size_t i = 0; i <= m_bounds.size(); ++i) {
        cumulative += m_buckets[i].load(std::memory_order_relaxed);
        const double bound = i < m_bounds.size() ? m_bounds[i] : INFINITY;
        appendSample(out, name + "_bucket", prefix + "le=\"" + number(bound) + '"',
                     QByteArray::number(cumulative));
    }
    appendSample(out, name + "_sum", labels,
                 number(double(m_sumNanoUnits.load(std::memory_order_relaxed)) / 1e9));
    appendSample(out, name + "_count", labels, QByteArray::number(cumulative));
}

ServerMetrics::RouteMetrics::RouteMetrics()
    : latency(latencyBounds)
{}

ServerMetrics::ServerMetrics()
    : m_writeBatchSizes(batchBounds)
    , m_startSecs(QDateTime::currentSecsSinceEpoch())
{
    m_routes[unmatchedRoute].label = {"other", "unmatched"};
}

ServerMetrics &ServerMetrics::instance()
{
    static ServerMetrics metrics;
    return metrics;
}

void ServerMetrics::defineRoute(int route, MetricRoute label)
{
    if (route >= 0 && route < maxRoutes)
        m_routes[size_t(route)].label = label;
}

void ServerMetrics::recordRequest(int route, int status, qint64 nanoseconds)
{
    RouteMetrics &metrics = m_routes[size_t(
        route >= 0 && route < maxRoutes && m_routes[size_t(route)].label.path ? route
                                                                              : unmatchedRoute)];
    const int index = qBound(0, status - firstStatus, statusCount - 1);
    metrics.byStatus[size_t(index)].add();
    metrics.latency.observe(double(nanoseconds) / 1e9);
}

quint64 ServerMetrics::requests(int route, int status) const
{
    if (route < 0 || route > maxRoutes || status < firstStatus ||
        status >= firstStatus + statusCount)
        return 0;
    return m_routes[size_t(route)].byStatus[size_t(status - firstStatus)].value();
}

void ServerMetrics::recordSyncOps(SyncOutcome outcome, quint64 count)
{
    m_syncOps[size_t(outcome)].add(count);
}

QByteArray ServerMetrics::render(const QByteArray &extra) const
{
    QByteArray out;
    out.reserve(32 * 1024);
    auto routeLabels = [](const RouteMetrics &route) {
        return QByteArray("method=\"") + route.label.method + "\",route=\"" + route.label.path +
               '"';
    };

    appendHelp(out, "safetill_http_requests_total", "counter",
               "HTTP requests answered, by method, route template and status.");
    for (const RouteMetrics &route : m_routes) {
        if (!route.label.path)
            continue;
        const QByteArray labels = routeLabels(route);
        for (int i = 0; i < statusCount; ++i) {
            const quint64 value = route.byStatus[size_t(i)].value();
            if (value > 0)
                appendSample(out, "safetill_http_requests_total",
                             labels + ",status=\"" + QByteArray::number(firstStatus + i) + '"',
                             QByteArray::number(value));
        }
    }
    appendHelp(out, "safetill_http_request_duration_seconds", "histogram",
               "Time from a parsed request to its response, by method and route template.");
    for (const RouteMetrics &route : m_routes) {
        if (route.label.path && route.latency.count() > 0)
            route.latency.render(out, "safetill_http_request_duration_seconds", routeLabels(route));
    }

    appendHelp(out, "safetill_write_batch_size", "histogram",
               "Write requests committed together in one group-commit transaction.");
    m_writeBatchSizes.render(out, "safetill_write_batch_size", {});

    appendHelp(out, "safetill_login_lockouts_total", "counter",
               "Sign-in locks set by the failed-login throttle (per user or per address).");
    appendSample(out, "safetill_login_lockouts_total", {},
                 QByteArray::number(m_loginLockouts.value()));

    appendHelp(out, "safetill_sync_ops_total", "counter", "Pushed sync ops, by outcome.");
    static const char *const outcomes[] = {"applied", "replayed", "conflict", "rejected"};
    for (size_t i = 0; i < m_syncOps.size(); ++i)
        appendSample(out, "safetill_sync_ops_total", QByteArray("outcome=\"") + outcomes[i] + '"',
                     QByteArray::number(m_syncOps[i].value()));

    appendHelp(out, "safetill_database_reconnects_total", "counter",
               "Lost database connections opened again.");
    appendSample(out, "safetill_database_reconnects_total", {},
                 QByteArray::number(Database::reconnectCount()));

    appendHelp(out, "process_start_time_seconds", "gauge",
               "Start time of the process since the Unix epoch, in seconds.");
    appendSample(out, "process_start_time_seconds", {}, QByteArray::number(m_startSecs));
    out += extra;
    return out;
}

} // namespace SafeTill
