#pragma once

#include "ConnectionGuard.h"
#include "OrderApi.h"
#include "ServerRetention.h"
#include "WriteBatcher.h"

#include <QElapsedTimer>
#include <QHostAddress>
#include <QObject>
#include <QPointer>
#include <QThreadPool>
#include <QTimer>

#include <memory>
#include <optional>
#include <span>

class QTcpServer;

namespace SafeTill {

// The order-sessions HTTP server, on Qt Network alone: it owns its listening socket (a
// GuardedTcpServer, or a GuardedSslServer for HTTPS), every accepted connection is read by its
// ConnectionGuard with the project's own parser (HttpRequestParser), and the parsed requests come
// here to be routed. Routing, the request log and the response order live on the server's (main)
// thread; every handler that touches the database runs on the worker pool.
class SafeTillServer : public QObject, public RequestDispatcher
{
    Q_OBJECT
public:
    struct Options
    {
        QHostAddress address = QHostAddress::LocalHost;
        quint16 port = 8080;
        ApiConfig api;
        ConnectionGuard::Limits limits;
        int workerThreads = 0; // 0: twice the cores, at most 16
        QString tlsCertificateFile;
        QString tlsKeyFile;
        int shutdownGraceMs = 10000;
        // Group commit: write requests share transactions and durable commits (WriteBatcher).
        bool groupCommit = true;
        int writerLanes = 0; // 0: the WriteBatcher's defaults for the dialect
        int maxBatch = 0;
        int maxQueuedWrites = 0; // 0: the WriteBatcher's default
        int batchWaitUs = -1;    // -1: the WriteBatcher's default; 0: lanes never wait
        // GET /metrics on a listener of its own (plain HTTP) and not on the main port; without
        // it, /metrics is served on the main port.
        bool separateMetrics = false;
        QHostAddress metricsAddress = QHostAddress::LocalHost;
        quint16 metricsPort = 0;
        // Retention (ServerRetention.h): how often the server prunes expired tokens, spent
        // throttle counters and old stored results, in short bounded chunks on a thread of its
        // own (0: never; `safetill-server prune` then does it on demand).
        int pruneIntervalMs = 10 * 60 * 1000;
        ServerRetentionPolicy retention; // its throttle policy is api.throttle's
    };

    explicit SafeTillServer(Options options, QObject *parent = nullptr);
    ~SafeTillServer() override;

    // Opens (and migrates) the database, then listens. On failure *error says why.
    bool start(QString *error);
    quint16 port() const { return m_port; }
    bool isTls() const { return !m_options.tlsCertificateFile.isEmpty(); }
    quint16 metricsPort() const { return m_metricsPort; } // 0: /metrics on the main port
    // Reads the TLS certificate and key files again and uses them for new connections (SIGHUP).
    // A file that is missing, invalid or world-readable changes nothing: false, *error says why.
    bool reloadTls(QString *error);
    // Reads the shop's currency for the API's answers again (at start and on SIGHUP).
    void reloadShopSettings();

    // The route table: method, path template ("{id}" stands for one path segment) and route.
    struct RouteEntry
    {
        QByteArrayView method;
        QStringView path;
        Route route;
    };
    static std::span<const RouteEntry> routes();

    // Stops accepting, lets in-flight requests finish (at most shutdownGraceMs), closes every
    // connection, waits for the workers; then emits stopped().
    void shutdown();

Q_SIGNALS:
    void stopped();

protected:
    // Every request, as its connection's ConnectionGuard parsed it.
    void dispatch(ConnectionGuard *guard, ResponseSlot slot, HttpRequest request) override;

private:
    struct Match
    {
        std::optional<Route> route;
        QStringList parameters;
        QByteArray allowed; // for 405
    };
    static Match match(const QByteArray &method, const QString &path);
    // A group-commit write: queued for the writers only once its token is known valid (from the
    // token cache, or checked on a worker, which answers a bad one itself).
    void submitWrite(Route route, const HttpRequest &request, const QStringList &parameters,
                     WriteBatcher::Answer answered);
    void finishRequest(const QPointer<ConnectionGuard> &guard, quint64 slot, bool closeAfter,
                       const HttpRequest &request, const HttpResponse &response,
                       const QElapsedTimer &elapsed);
    void maybeStopped();
    // Observability hooks, kept out of dispatch(): GET /metrics when this port serves it, and
    // every answered request counted by route and status.
    bool answerMetrics(const QPointer<ConnectionGuard> &guard, ResponseSlot slot,
                       const HttpRequest &request, const QElapsedTimer &elapsed);
    void recordMetrics(const HttpRequest &request, const HttpResponse &response,
                       const QElapsedTimer &elapsed) const;
    HttpResponse metricsResponse(const HttpRequest &request) const;
    bool startMetricsListener(QString *error);
    friend class MetricsDispatcher;
    void pruneNow();

    Options m_options;
    QPointer<QTcpServer> m_listener;        // a child; its connections' sockets are its children
    QPointer<QTcpServer> m_metricsListener; // with separateMetrics
    std::unique_ptr<RequestDispatcher> m_metricsDispatcher;
    quint16 m_metricsPort = 0;
    QThreadPool m_pool;
    std::unique_ptr<Database> m_db; // the main thread's: migrations at start, then kept open
    std::unique_ptr<WriteBatcher> m_batcher; // null without group commit
    quint16 m_port = 0;
    int m_inFlight = 0;
    bool m_draining = false;
    bool m_stopped = false;
    QTimer m_graceTimer;
    QTimer m_pruneTimer;
    QThreadPool m_prunePool; // one thread: one prune at a time, never on a request's worker
    bool m_pruning = false;
};

} // namespace SafeTill
