#include "SafeTillServer.h"

#include "GuardedTcpServer.h"
#include "ServerLogging.h"

#include <QFile>
#include <QRandomGenerator>
#include <QSslCertificate>
#include <QSslConfiguration>
#include <QSslKey>
#include <QTcpSocket>
#include <QThread>
#include <QtConcurrent>

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
    m_graceTimer.setSingleShot(true);
    connect(&m_graceTimer, &QTimer::timeout, this, [this] {
        qCWarning(lcServer) << m_inFlight << "requests still running after the grace period";
        m_inFlight = 0;
        maybeStopped();
    });
}

SafeTillServer::~SafeTillServer()
{
    // Workers' connections are closed as their threads finish (QThreadStorage in OrderApi).
    m_pool.waitForDone();
    m_batcher.reset();
}

bool SafeTillServer::start(QString *error)
{
    m_db = Database::open(m_options.api.database, error);
    if (!m_db)
        return false;
    if (m_options.groupCommit) {
        m_batcher = std::make_unique<WriteBatcher>(m_options.api, m_db->dialect(),
                                                   m_options.writerLanes, m_options.maxBatch);
        if (!m_batcher->start(error)) {
            m_batcher.reset();
            return false;
        }
    }
    QTcpServer *tcp = nullptr;
    if (isTls()) {
        QFile certFile(m_options.tlsCertificateFile);
        QFile keyFile(m_options.tlsKeyFile);
        if (!certFile.open(QIODevice::ReadOnly) || !keyFile.open(QIODevice::ReadOnly)) {
            *error = u"Cannot read the TLS certificate or key (%1, %2)."_s.arg(
                m_options.tlsCertificateFile, m_options.tlsKeyFile);
            return false;
        }
        const QSslCertificate certificate(&certFile, QSsl::Pem);
        QSslKey key(&keyFile, QSsl::Rsa, QSsl::Pem);
        if (key.isNull()) {
            keyFile.seek(0);
            key = QSslKey(&keyFile, QSsl::Ec, QSsl::Pem);
        }
        if (certificate.isNull() || key.isNull()) {
            *error = u"The TLS certificate or key is not valid PEM."_s;
            return false;
        }
        QSslConfiguration configuration = QSslConfiguration::defaultConfiguration();
        configuration.setLocalCertificate(certificate);
        configuration.setPrivateKey(key);
        configuration.setPeerVerifyMode(QSslSocket::VerifyNone);
        auto *ssl = new GuardedSslServer(m_options.limits, this, this);
        ssl->setSslConfiguration(configuration);
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
    qCInfo(lcServer).noquote() << "listening on" << m_options.address.toString() << m_port << "with"
                               << m_pool.maxThreadCount() << "workers, database"
                               << m_db->displayLocation();
    return true;
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
        {"GET", u"/api/sync/v1/pull", Route::SyncPull},
        {"POST", u"/api/sync/v1/push", Route::SyncPush},
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
    for (const RouteEntry &entry : routes()) {
        const QList<QStringView> pattern = entry.path.split(u'/');
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
    QFuture<HttpResponse> handled =
        m_batcher && WriteBatcher::isBatched(route)
            ? m_batcher->submit(route, request, parameters)
            : QtConcurrent::run(&m_pool, [config, route, request, parameters]() noexcept {
                  return OrderApi::handle(*config, route, request, parameters);
              });
    handled.then(this, [this, guardPointer, slot, request, elapsed](const HttpResponse &response) {
        --m_inFlight;
        finishRequest(guardPointer, slot.id, slot.closeAfter, request, response, elapsed);
        maybeStopped();
    });
}

void SafeTillServer::finishRequest(const QPointer<ConnectionGuard> &guard, quint64 slot,
                                   bool closeAfter, const HttpRequest &request,
                                   const HttpResponse &response, const QElapsedTimer &elapsed)
{
    qCInfo(lcRequest).noquote() << request.method << request.path.left(200) << response.status
                                << QString::number(elapsed.nsecsElapsed() / 1e6, 'f', 1) + u"ms"_s
                                << u"id="_s + request.requestId
                                << (guard ? QString() : u"(client gone)"_s);
    if (guard)
        guard->respond(slot, response, request.requestId, closeAfter || m_draining);
}

void SafeTillServer::shutdown()
{
    if (m_draining)
        return;
    m_draining = true;
    qCInfo(lcServer) << "shutting down:" << m_inFlight << "requests in flight";
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
