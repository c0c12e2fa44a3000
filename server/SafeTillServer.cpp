#include "SafeTillServer.h"

#include "ApiJson.h"

#include "ShopSettings.h"

#include "GuardedTcpServer.h"
#include "ServerLogging.h"
#include "ServerMetrics.h"
#include "TlsFiles.h"

#include <QDir>

#include <QFile>
#include <QRandomGenerator>
#include <QSslCertificate>
#include <QSslConfiguration>
#include <QSslKey>
#include <QTcpSocket>
#include <QThread>

#include <vector>

#include <unistd.h>

using namespace Qt::StringLiterals;

namespace SafeTill {

namespace {

// The client's X-Request-Id when it is a sane token, else a fresh one.
QString requestIdFor(const QByteArray &given)
{
    const bool usable = !given.isEmpty() && given.size() <= 64 &&
                        std::all_of(given.begin(), given.end(), [](char c) {
                            return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                                   (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.';
                        });
    if (usable)
        return QString::fromLatin1(given);
    return QString::number(QRandomGenerator::global()->generate64(), 16).rightJustified(16, u'0');
}

// The metrics' name for a route: its method and path template.
MetricRoute metricRoute(Route route)
{
    switch (route) {
    case Route::Health:
        return {"GET", "/healthz"};
    case Route::Ready:
        return {"GET", "/readyz"};
    case Route::Login:
        return {"POST", "/api/auth/login"};
    case Route::SignOut:
        return {"POST", "/api/auth/logout"};
    case Route::OpenOrder:
        return {"POST", "/api/order-sessions"};
    case Route::GetCurrent:
        return {"GET", "/api/order-sessions/current"};
    case Route::PutCurrent:
        return {"PUT", "/api/order-sessions/current"};
    case Route::AddItem:
        return {"POST", "/api/order-sessions/current/items"};
    case Route::Logout:
        return {"PUT", "/api/order-sessions/current/logout"};
    case Route::Complete:
        return {"PUT", "/api/order-sessions/current/complete"};
    case Route::AssignTab:
        return {"PUT", "/api/order-sessions/current/assign-tab"};
    case Route::ListTabs:
        return {"GET", "/api/tabs"};
    case Route::SettleTab:
        return {"PUT", "/api/tabs/{id}/settle"};
    case Route::AddDiscount:
        return {"POST", "/api/order-sessions/current/discounts"};
    case Route::SetLinePrice:
        return {"PUT", "/api/order-sessions/current/lines/{lineId}/price"};
    case Route::PayOrder:
        return {"POST", "/api/order-sessions/current/payments"};
    case Route::PayTab:
        return {"POST", "/api/tabs/{id}/payments"};
    case Route::SyncPull:
        return {"GET", "/api/sync/v1/pull"};
    case Route::SyncPush:
        return {"POST", "/api/sync/v1/push"};
    case Route::Refund:
        return {"POST", "/api/refunds"};
    case Route::VoidSale:
        return {"POST", "/api/voids"};
    case Route::Refundable:
        return {"GET", "/api/receipts/{receiptNo}/refundable"};
    case Route::DayReport:
        return {"GET", "/api/reports/day"};
    case Route::ListShifts:
        return {"GET", "/api/shifts"};
    case Route::ShiftZReport:
        return {"GET", "/api/shifts/{id}/z-report"};
    }
    return {nullptr, nullptr};
}

// GET /metrics's number in ServerMetrics (after every Route).
constexpr int metricsRoute = ServerMetrics::maxRoutes - 1;

bool isMetricsPath(const QString &path)
{
    return path == u"/metrics"_s || path == u"/metrics/"_s;
}

void logRequest(const HttpRequest &request, const HttpResponse &response,
                const QElapsedTimer &elapsed, bool clientGone)
{
    if (!lcRequest().isInfoEnabled())
        return;
    // One string streamed once: every request writes this line, and QDebug's work per item was
    // most of its cost.
    QString line = QString::fromLatin1(request.method);
    line += u' ';
    line += QStringView(request.path).left(200);
    line += u' ';
    line += QString::number(response.status);
    line += u' ';
    line += QString::number(elapsed.nsecsElapsed() / 1e6, 'f', 1);
    line += u"ms id="_s;
    line += request.requestId;
    line += u" from="_s;
    line += request.remoteAddress.toString();
    if (clientGone)
        line += u" (client gone)"_s;
    qCInfo(lcRequest).noquote() << line;
}

// Process figures for the metrics, from /proc (Linux); -1 where unknown.
qint64 residentBytes()
{
    QFile statm(u"/proc/self/statm"_s);
    if (!statm.open(QIODevice::ReadOnly))
        return -1;
    const QList<QByteArray> fields = statm.readAll().split(' ');
    return fields.size() > 1 ? fields.at(1).toLongLong() * ::sysconf(_SC_PAGESIZE) : -1;
}

qint64 openFileDescriptors()
{
    const QDir fds(u"/proc/self/fd"_s);
    return fds.exists()
               ? qint64(
                     fds.entryList(QDir::AllEntries | QDir::System | QDir::NoDotAndDotDot).size())
               : -1;
}

} // namespace

// The separate metrics listener's requests (--metrics-listen): GET /metrics and nothing else,
// with the same parser and connection guard as the API.
class MetricsDispatcher : public RequestDispatcher
{
public:
    explicit MetricsDispatcher(const SafeTillServer *server)
        : m_server(server)
    {}
    void dispatch(ConnectionGuard *guard, ResponseSlot slot, HttpRequest request) override
    {
        QElapsedTimer elapsed;
        elapsed.start();
        request.requestId = requestIdFor(request.header("x-request-id"));
        const bool metrics = isMetricsPath(request.path);
        const HttpResponse response =
            metrics ? m_server->metricsResponse(request)
                    : HttpResponse::error(404, u"not_found"_s,
                                          u"This listener serves GET /metrics only."_s);
        ServerMetrics::instance().recordRequest(metrics ? metricsRoute
                                                        : ServerMetrics::unmatchedRoute,
                                                response.status, elapsed.nsecsElapsed());
        logRequest(request, response, elapsed, false);
        guard->respond(slot.id, response, request.requestId, slot.closeAfter);
    }

private:
    const SafeTillServer *m_server;
};

namespace {

void defineMetricRoutes()
{
    ServerMetrics &metrics = ServerMetrics::instance();
    for (int route = 0; route < metricsRoute; ++route)
        metrics.defineRoute(route, metricRoute(Route(route)));
    metrics.defineRoute(metricsRoute, {"GET", "/metrics"});
}

} // namespace

SafeTillServer::SafeTillServer(Options options, QObject *parent)
    : QObject(parent)
    , m_options(std::move(options))
{
    int threads = m_options.workerThreads;
    if (threads <= 0)
        threads = qBound(2, 2 * QThread::idealThreadCount(), 16);
    m_pool.setMaxThreadCount(threads);
    m_pool.setExpiryTimeout(-1); // threads keep their database connection for the server's life
    defineMetricRoutes();
    m_graceTimer.setSingleShot(true);
    connect(&m_graceTimer, &QTimer::timeout, this, [this] {
        qCWarning(lcServer) << m_inFlight << "requests still running after the grace period";
        m_inFlight = 0;
        maybeStopped();
    });
}

SafeTillServer::~SafeTillServer()
{
    m_pruneTimer.stop();
    m_prunePool.waitForDone();
    // Workers' connections are closed as their threads finish (QThreadStorage in OrderApi).
    m_pool.waitForDone();
    m_batcher.reset();
    delete m_metricsListener; // its connections' guards use m_metricsDispatcher
}

bool SafeTillServer::start(QString *error)
{
    m_db = Database::open(m_options.api.database, error);
    if (!m_db)
        return false;
    reloadShopSettings();
    if (m_options.groupCommit) {
        m_batcher = std::make_unique<WriteBatcher>(
            m_options.api, m_db->dialect(), m_options.writerLanes, m_options.maxBatch,
            m_options.maxQueuedWrites, m_options.batchWaitUs);
        if (!m_batcher->start(error)) {
            m_batcher.reset();
            return false;
        }
    }
    QTcpServer *tcp = nullptr;
    if (isTls()) {
        const std::optional<QSslConfiguration> configuration =
            loadTlsConfiguration(m_options.tlsCertificateFile, m_options.tlsKeyFile, error);
        if (!configuration)
            return false;
        auto *ssl = new GuardedSslServer(m_options.limits, this, this);
        ssl->setSslConfiguration(*configuration);
        tcp = ssl;
    } else {
        tcp = new GuardedTcpServer(m_options.limits, this, this);
    }
    if (!tcp->listen(m_options.address, m_options.port)) {
        *error = u"Cannot listen on %1:%2: %3"_s.arg(m_options.address.toString())
                     .arg(m_options.port)
                     .arg(tcp->errorString());
        delete tcp;
        return false;
    }
    m_port = tcp->serverPort();
    m_listener = tcp;
    if (m_options.separateMetrics && !startMetricsListener(error))
        return false;
    qCInfo(lcServer).noquote() << "listening on" << m_options.address.toString() << m_port << "with"
                               << m_pool.maxThreadCount() << "workers, database"
                               << m_db->displayLocation();
    if (m_options.pruneIntervalMs > 0) {
        m_prunePool.setMaxThreadCount(1);
        m_pruneTimer.setInterval(m_options.pruneIntervalMs);
        connect(&m_pruneTimer, &QTimer::timeout, this, &SafeTillServer::pruneNow);
        m_pruneTimer.start();
    }
    return true;
}

void SafeTillServer::pruneNow()
{
    if (m_draining || m_pruning)
        return;
    m_pruning = true;
    const DatabaseOptions database = m_options.api.database;
    ServerRetentionPolicy policy = m_options.retention;
    policy.throttle = m_options.api.throttle;
    m_prunePool.start([this, database, policy] {
        // A connection of its own for the few chunks (the pool's thread may change between
        // ticks, and a connection must stay on the thread that opened it).
        QString error;
        if (std::unique_ptr<Database> db = Database::open(database, &error)) {
            const Result<ServerPruneReport> pruned = pruneServer(*db, policy);
            if (!pruned) {
                qCWarning(lcServer).noquote() << "retention: pruning failed:" << pruned.message();
            } else if (pruned->total() > 0) {
                qCInfo(lcServer).noquote()
                    << "retention: deleted" << pruned->idempotencyDeleted
                    << "stored request results," << pruned->tokensDeleted << "expired tokens,"
                    << pruned->throttleDeleted << "spent login-throttle counters"
                    << (pruned->complete ? "" : "(more at the next run)");
            }
        } else {
            qCWarning(lcServer).noquote() << "retention: cannot open the database:" << error;
        }
        QMetaObject::invokeMethod(
            this, [this] { m_pruning = false; }, Qt::QueuedConnection);
    });
}

std::span<const SafeTillServer::RouteEntry> SafeTillServer::routes()
{
    // The one list of routes: match() routes by it, and tst_openapi compares it with
    // docs/openapi.json. A segment "{name}" matches any one non-empty path segment.
    static const RouteEntry table[] = {
        {"GET", u"/healthz", Route::Health},
        {"GET", u"/readyz", Route::Ready},
        {"POST", u"/api/auth/login", Route::Login},
        {"POST", u"/api/auth/logout", Route::SignOut},
        {"POST", u"/api/order-sessions", Route::OpenOrder},
        {"GET", u"/api/order-sessions/current", Route::GetCurrent},
        {"PUT", u"/api/order-sessions/current", Route::PutCurrent},
        {"POST", u"/api/order-sessions/current/items", Route::AddItem},
        {"PUT", u"/api/order-sessions/current/logout", Route::Logout},
        {"PUT", u"/api/order-sessions/current/complete", Route::Complete},
        {"PUT", u"/api/order-sessions/current/assign-tab", Route::AssignTab},
        {"GET", u"/api/tabs", Route::ListTabs},
        {"PUT", u"/api/tabs/{id}/settle", Route::SettleTab},
        {"POST", u"/api/order-sessions/current/discounts", Route::AddDiscount},
        {"PUT", u"/api/order-sessions/current/lines/{lineId}/price", Route::SetLinePrice},
        {"POST", u"/api/order-sessions/current/payments", Route::PayOrder},
        {"POST", u"/api/tabs/{id}/payments", Route::PayTab},
        {"GET", u"/api/sync/v1/pull", Route::SyncPull},
        {"POST", u"/api/sync/v1/push", Route::SyncPush},
        {"POST", u"/api/refunds", Route::Refund},
        {"POST", u"/api/voids", Route::VoidSale},
        {"GET", u"/api/receipts/{receiptNo}/refundable", Route::Refundable},
        {"GET", u"/api/reports/day", Route::DayReport},
        {"GET", u"/api/shifts", Route::ListShifts},
        {"GET", u"/api/shifts/{id}/z-report", Route::ShiftZReport},
    };
    return table;
}

SafeTillServer::Match SafeTillServer::match(const QByteArray &method, const QString &path)
{
    Match result;
    QString normalized = path;
    if (normalized.size() > 1 && normalized.endsWith(u'/'))
        normalized.chop(1);
    const QList<QStringView> segments = QStringView(normalized).split(u'/');
    // Every request is matched (and matched again for its metrics): the patterns are split once.
    static const std::vector<QList<QStringView>> patterns = [] {
        std::vector<QList<QStringView>> split;
        for (const RouteEntry &entry : routes())
            split.push_back(entry.path.split(u'/'));
        return split;
    }();
    const std::span<const RouteEntry> table = routes();
    for (size_t index = 0; index < table.size(); ++index) {
        const RouteEntry &entry = table[index];
        const QList<QStringView> &pattern = patterns[index];
        if (pattern.size() != segments.size())
            continue;
        QStringList parameters;
        bool same = true;
        for (qsizetype i = 0; same && i < pattern.size(); ++i) {
            if (pattern.at(i).startsWith(u'{')) {
                same = !segments.at(i).isEmpty();
                parameters.append(segments.at(i).toString());
            } else {
                same = pattern.at(i) == segments.at(i);
            }
        }
        if (!same)
            continue;
        if (method == entry.method) {
            result.route = entry.route;
            result.parameters = parameters;
            result.allowed.clear();
            return result;
        }
        result.allowed += (result.allowed.isEmpty() ? "" : ", ") + entry.method.toByteArray();
    }
    return result;
}

void SafeTillServer::dispatch(ConnectionGuard *guard, ResponseSlot slot, HttpRequest request)
{
    QElapsedTimer elapsed;
    elapsed.start();
    request.requestId = requestIdFor(request.header("x-request-id"));
    QPointer<ConnectionGuard> guardPointer(guard);

    if (answerMetrics(guardPointer, slot, request, elapsed))
        return;
    if (m_draining) {
        HttpResponse response = HttpResponse::error(503, u"shutting_down"_s,
                                                    u"The server is shutting down; try again."_s);
        response.addHeader("Retry-After", "1");
        finishRequest(guardPointer, slot.id, true, request, response, elapsed);
        return;
    }
    const Match found = match(request.method, request.path);
    if (!found.route) {
        HttpResponse response;
        if (!found.allowed.isEmpty()) {
            response = HttpResponse::error(
                405, u"method_not_allowed"_s,
                u"%1 is not allowed here; use %2."_s.arg(QString::fromLatin1(request.method),
                                                         QString::fromLatin1(found.allowed)));
            response.addHeader("Allow", found.allowed);
        } else {
            response = HttpResponse::error(404, u"not_found"_s,
                                           u"There is no %1."_s.arg(request.path.left(200)));
        }
        finishRequest(guardPointer, slot.id, slot.closeAfter, request, response, elapsed);
        return;
    }

    if (*found.route == Route::Health) {
        // Liveness: the process reads, routes and answers; no worker or database involved.
        finishRequest(guardPointer, slot.id, slot.closeAfter, request, OrderApi::liveness(),
                      elapsed);
        return;
    }
    ++m_inFlight;
    const Route route = *found.route;
    const QStringList parameters = found.parameters;
    const ApiConfig *config = &m_options.api;
    // A request carrying a manager's approval checks their PIN (a slow hash, and a wrong one is
    // counted): on a pool thread of its own, never inside a batch's write transaction.
    const bool approval = request.body.contains("\"approver\"");
    // Answered on a worker or writer thread; finished here, on the server's thread. Callbacks and
    // queued calls, not QFuture continuations (see WriteBatcher::submit()).
    WriteBatcher::Answer answered = [this, guardPointer, slot, request,
                                     elapsed](const HttpResponse &response) {
        QMetaObject::invokeMethod(
            this,
            [this, guardPointer, slot, request, elapsed, response] {
                --m_inFlight;
                finishRequest(guardPointer, slot.id, slot.closeAfter, request, response, elapsed);
                maybeStopped();
            },
            Qt::QueuedConnection);
    };
    if (m_batcher && WriteBatcher::isBatched(route) && !approval) {
        submitWrite(route, request, parameters, std::move(answered));
        return;
    }
    m_pool.start([config, route, request, parameters, answered = std::move(answered)] {
        answered(OrderApi::handle(*config, route, request, parameters));
    });
}

void SafeTillServer::submitWrite(Route route, const HttpRequest &request,
                                 const QStringList &parameters, WriteBatcher::Answer answered)
{
    if (OrderApi::callerCached(request)) {
        m_batcher->submit(route, request, parameters, std::move(answered));
        return;
    }
    m_pool.start([config = &m_options.api, batcher = m_batcher.get(), route, request, parameters,
                  answered = std::move(answered)]() mutable {
        if (const std::optional<HttpResponse> refusal =
                OrderApi::refusalForCaller(*config, request)) {
            answered(*refusal);
            return;
        }
        batcher->submit(route, request, parameters, std::move(answered));
    });
}

void SafeTillServer::finishRequest(const QPointer<ConnectionGuard> &guard, quint64 slot,
                                   bool closeAfter, const HttpRequest &request,
                                   const HttpResponse &response, const QElapsedTimer &elapsed)
{
    logRequest(request, response, elapsed, !guard);
    recordMetrics(request, response, elapsed);
    if (guard)
        guard->respond(slot, response, request.requestId, closeAfter || m_draining);
}

void SafeTillServer::shutdown()
{
    if (m_draining)
        return;
    m_draining = true;
    qCInfo(lcServer) << "shutting down:" << m_inFlight << "requests in flight";
    if (m_metricsListener)
        m_metricsListener->close();
    if (m_listener) {
        m_listener->close();
        // Idle keep-alive connections close now, busy ones right after their response.
        for (ConnectionGuard *guard : m_listener->findChildren<ConnectionGuard *>())
            guard->closeWhenDone();
    }
    m_graceTimer.start(m_options.shutdownGraceMs);
    maybeStopped();
}

void SafeTillServer::maybeStopped()
{
    if (!m_draining || m_stopped || m_inFlight > 0)
        return;
    m_stopped = true;
    m_graceTimer.stop();
    m_pruneTimer.stop();
    m_prunePool.waitForDone();
    m_pool.waitForDone();
    if (m_batcher)
        m_batcher->stop();
    if (m_listener) {
        for (QTcpSocket *socket : m_listener->findChildren<QTcpSocket *>())
            socket->flush(); // the last responses reach the kernel before the event loop ends
    }
    m_db.reset();
    qCInfo(lcServer) << "stopped";
    QMetaObject::invokeMethod(this, &SafeTillServer::stopped, Qt::QueuedConnection);
}

} // namespace SafeTill

namespace SafeTill {

bool SafeTillServer::startMetricsListener(QString *error)
{
    m_metricsDispatcher = std::make_unique<MetricsDispatcher>(this);
    auto *tcp = new GuardedTcpServer(m_options.limits, m_metricsDispatcher.get(), this);
    if (!tcp->listen(m_options.metricsAddress, m_options.metricsPort)) {
        *error =
            u"Cannot listen for metrics on %1:%2: %3"_s.arg(m_options.metricsAddress.toString())
                .arg(m_options.metricsPort)
                .arg(tcp->errorString());
        delete tcp;
        return false;
    }
    m_metricsListener = tcp;
    m_metricsPort = tcp->serverPort();
    qCInfo(lcServer).noquote() << u"metrics on http://"_s + m_options.metricsAddress.toString() +
                                      u':' + QString::number(m_metricsPort) + u"/metrics"_s;
    return true;
}

bool SafeTillServer::answerMetrics(const QPointer<ConnectionGuard> &guard, ResponseSlot slot,
                                   const HttpRequest &request, const QElapsedTimer &elapsed)
{
    if (m_metricsListener || !isMetricsPath(request.path))
        return false;
    finishRequest(guard, slot.id, slot.closeAfter, request, metricsResponse(request), elapsed);
    return true;
}

void SafeTillServer::recordMetrics(const HttpRequest &request, const HttpResponse &response,
                                   const QElapsedTimer &elapsed) const
{
    int route = ServerMetrics::unmatchedRoute;
    if (!m_metricsListener && isMetricsPath(request.path)) {
        route = metricsRoute;
    } else if (const Match found = match(request.method, request.path); found.route) {
        route = int(*found.route);
    }
    ServerMetrics::instance().recordRequest(route, response.status, elapsed.nsecsElapsed());
}

HttpResponse SafeTillServer::metricsResponse(const HttpRequest &request) const
{
    if (request.method != "GET") {
        HttpResponse response = HttpResponse::error(
            405, u"method_not_allowed"_s,
            u"%1 is not allowed here; use GET."_s.arg(QString::fromLatin1(request.method)));
        response.addHeader("Allow", "GET");
        return response;
    }
    qsizetype connections = 0;
    for (const QTcpServer *listener : {m_listener.data(), m_metricsListener.data()}) {
        if (listener)
            connections += listener->findChildren<ConnectionGuard *>().size();
    }
    QByteArray gauges;
    auto gauge = [&gauges](const char *name, const char *help, qint64 value) {
        if (value < 0)
            return;
        gauges += QByteArray("# HELP ") + name + ' ' + help + "\n# TYPE " + name + " gauge\n" +
                  name + ' ' + QByteArray::number(value) + '\n';
    };
    gauge("safetill_open_connections", "Client connections open (API and metrics listeners).",
          connections);
    gauge("safetill_http_requests_in_flight", "Requests handed to the workers, not answered yet.",
          m_inFlight);
    gauge("process_resident_memory_bytes", "Resident memory size in bytes.", residentBytes());
    gauge("process_open_fds", "Open file descriptors.", openFileDescriptors());
    HttpResponse response;
    response.status = 200;
    response.body = ServerMetrics::instance().render(gauges);
    response.addHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
    return response;
}

void SafeTillServer::reloadShopSettings()
{
    const Result<ShopProfile> shop = ShopSettings(*m_db).profile();
    if (!shop) {
        qCWarning(lcServer).noquote() << "cannot read the shop's settings:" << shop.message();
        return;
    }
    setApiCurrency(shop->currency.code);
    qCInfo(lcServer).noquote() << "amounts are in" << shop->currency.code;
}

bool SafeTillServer::reloadTls(QString *error)
{
    auto *ssl = qobject_cast<QSslServer *>(m_listener.data());
    if (!ssl) {
        *error = u"The server does not serve HTTPS (no --tls-cert)."_s;
        return false;
    }
    const std::optional<QSslConfiguration> configuration =
        loadTlsConfiguration(m_options.tlsCertificateFile, m_options.tlsKeyFile, error);
    if (!configuration)
        return false;
    // QSslServer gives each connection it accepts from now on a copy of this configuration; the
    // connections already open keep the certificate they began with.
    ssl->setSslConfiguration(*configuration);
    qCInfo(lcServer).noquote()
        << "TLS certificate reloaded from" << m_options.tlsCertificateFile
        << u"("_s + configuration->localCertificate().subjectDisplayName() + u", expires "_s +
               configuration->localCertificate().expiryDate().toUTC().toString(Qt::ISODate) +
               u")"_s;
    return true;
}

} // namespace SafeTill
