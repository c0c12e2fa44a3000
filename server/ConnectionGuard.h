#pragma once

#include "ClientAddress.h"
#include "HttpMessage.h"

#include <QObject>
#include <QPointer>
#include <QTimer>

#include <deque>
#include <optional>

class QTcpSocket;

namespace SafeTill {

class ConnectionGuard;

// A request's place in its connection's response order.
struct ResponseSlot
{
    quint64 id = 0;
    bool closeAfter = false; // the client asked to close after this response
};

// Whoever serves the requests a ConnectionGuard frames (the SafeTillServer).
class RequestDispatcher
{
public:
    virtual ~RequestDispatcher() = default;
    // A complete request, taken in arrival order. The answer goes to guard->respond(slotId, ...),
    // now or later; the guard writes the answers in request order.
    virtual void dispatch(ConnectionGuard *guard, ResponseSlot slot, HttpRequest request) = 0;
};

// Reads and answers one client connection on behalf of the HTTP server (SafeTillServer, on plain
// QTcpServer/QSslServer): frames and parses requests with HttpRequestParser, hands each to the
// dispatcher, and writes the answers. It
// - serves pipelined requests, answering in request order however the workers finish: safe ones
//   (GET) may run side by side, any other runs alone after the answers before it, as if the
//   client had waited; at most maxPipelined answers are owed before it stops reading (TCP
//   back-pressure);
// - refuses oversized headers (431) and bodies (413, decided from Content-Length before the body
//   arrives), chunked bodies (411), protocol upgrades (501), malformed requests (400) — answered
//   after the responses already owed, then the connection is closed;
// - closes connections that stay silent, or send a request too slowly, for longer than the idle
//   timeout (408 when a request was half sent); a TLS handshake that never ends counts as silence;
// - honours "Connection: close" and HTTP/1.0 by closing after the response.
// It lives as a child of its socket, so a response for a client that has gone simply finds a
// null QPointer and is dropped; the socket is deleted when its connection ends.
class ConnectionGuard : public QObject
{
    Q_OBJECT
public:
    struct Limits
    {
        int idleTimeoutMs = 10000;
        qsizetype maxHeaderBytes = 16 * 1024;
        qsizetype maxBodyBytes = 1024 * 1024;
        int maxPipelined = 16;
        // Peers whose Forwarded / X-Forwarded-For name the client (see clientAddress()); the
        // client address is what the throttle and the logs see.
        TrustedProxies trustedProxies;
        // Open connections from one address; more are answered 503 and closed by the listener
        // (GuardedTcpServer) before anything is read. 0: no limit. Trusted proxies are exempt:
        // they carry many clients' connections.
        int maxConnectionsPerAddress = 64;
    };

    // Takes over the socket: the guard is the only reader of its bytes; dispatcher serves the
    // requests.
    static ConnectionGuard *attach(QTcpSocket *socket, const Limits &limits,
                                   RequestDispatcher *dispatcher);
    ~ConnectionGuard() override;

    using Slot = ResponseSlot;
    void respond(quint64 slotId, const HttpResponse &response, const QString &requestId,
                 bool closeAfter);
    bool hasPendingResponses() const { return !m_pending.empty(); }
    // Shutdown: close as soon as the responses owed have been written.
    void closeWhenDone();

Q_SIGNALS:
    void responsesDone();

private:
    ConnectionGuard(QTcpSocket *socket, const Limits &limits, RequestDispatcher *dispatcher);
    // Reserves the next place in the response order.
    Slot beginResponse(bool closeAfter = false);
    void onReadyRead();
    void processInput();
    void onIdleTimeout();
    void refuse(int status, const QString &code, const QString &message);
    void flush();
    void finishConnection();
    void updateTimer();
    bool atPipelineLimit() const { return m_pending.size() >= size_t(m_limits.maxPipelined); }
    // The client owes us the rest of a request (not: we are not reading what it sent).
    bool waitingForClient() const
    {
        return !m_inputDone && !m_held && m_parser.midRequest() && !atPipelineLimit();
    }

    struct Pending
    {
        quint64 id = 0;
        bool ready = false;
        bool closeAfter = false;
        bool unsafe = false; // the request may change something
        QByteArray bytes;
    };

    QPointer<QTcpSocket> m_socket;
    QString m_peer; // for the connection log, which outlives the socket's address
    QHostAddress m_peerAddress;
    QHostAddress m_lastClient; // the last forwarded client logged for this connection
    RequestDispatcher *m_dispatcher;
    Limits m_limits;
    HttpRequestParser m_parser;
    // A parsed request waiting for the answers owed before it (see processInput()).
    std::optional<HttpRequestParser::Parsed> m_held;
    QTimer m_idleTimer;
    bool m_timingRequest = false; // the idle timer measures the arrival of one request
    std::deque<Pending> m_pending;
    quint64 m_nextSlot = 1;
    bool m_processing = false;
    bool m_inputDone = false; // no further input is read (refused, or after Connection: close)
    bool m_closing = false;   // no further output is written
    bool m_closeWhenDone = false;
};

} // namespace SafeTill
