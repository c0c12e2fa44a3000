#pragma once

#include "HttpMessage.h"

#include <QObject>
#include <QPointer>
#include <QTimer>

#include <deque>

class QTcpSocket;

namespace SafeTill {

// Watches one client connection on behalf of the HTTP server, to close the gaps of Qt HttpServer
// 6.4 (see PLATFORM-NOTES.md): it sees every received byte before Qt's parser does (its readyRead
// slot is connected first) and frames requests itself, so it can
// - refuse oversized headers (431) and bodies (413, decided from Content-Length before the body
//   arrives), chunked bodies (411) and protocol upgrades (501), and close the connection;
// - close connections that stay silent, or send a request too slowly, for longer than the idle
//   timeout (408 when a request was half sent);
// - honour "Connection: close" and HTTP/1.0 by closing after the response;
// - write responses in request order, however the worker threads finish;
// - refuse pipelined requests that arrive in one read (Qt 6.4 would answer only one of them);
// - notice when Qt's parser silently gave up on a request (it then only disconnects the socket's
//   signals and leaves the connection open) and answer 400 and close.
// It lives as a child of its socket, so a response for a client that has gone simply finds a
// null QPointer and is dropped.
class ConnectionGuard : public QObject
{
    Q_OBJECT
public:
    struct Limits
    {
        int idleTimeoutMs = 10000;
        qsizetype maxHeaderBytes = 16 * 1024;
        qsizetype maxBodyBytes = 1024 * 1024;
    };

    // Must run before anything else connects to the socket's readyRead. httpServer is the object
    // whose readyRead handling is cut off when the guard refuses a request.
    static ConnectionGuard *attach(QTcpSocket *socket, const Limits &limits, QObject *httpServer);
    static ConnectionGuard *of(QTcpSocket *socket);

    // The server took the next framed request: reserves its place in the response order.
    struct Slot
    {
        quint64 id = 0;
        bool closeAfter = false;
    };
    Slot beginResponse();
    void respond(quint64 slotId, const HttpResponse &response, const QString &requestId,
                 bool closeAfter);
    bool hasPendingResponses() const { return !m_pending.empty(); }
    // Shutdown: close as soon as the responses owed have been written.
    void closeWhenDone();

Q_SIGNALS:
    void responsesDone();

private:
    ConnectionGuard(QTcpSocket *socket, const Limits &limits, QObject *httpServer);
    void onReadyRead();
    void onIdleTimeout();
    void checkHandedOver();
    // Returns false when the head is refused (the refusal has been queued).
    bool parseHead(const QByteArray &head);
    void refuse(int status, const QString &code, const QString &message);
    void flush();
    void finishConnection();
    void updateTimer();
    bool midRequest() const { return m_inBody || !m_head.isEmpty(); }

    struct Pending
    {
        quint64 id = 0;
        bool ready = false;
        bool closeAfter = false;
        QByteArray bytes;
    };
    struct Framed
    {
        bool closeAfter = false;
    };

    QPointer<QTcpSocket> m_socket;
    QPointer<QObject> m_httpServer;
    Limits m_limits;
    QTimer m_idleTimer;
    QByteArray m_head;
    bool m_inBody = false;
    qint64 m_bodyLeft = 0;
    Framed m_current;
    std::deque<Framed> m_framed; // framed here, not yet taken by the server
    std::deque<Pending> m_pending;
    quint64 m_nextSlot = 1;
    bool m_refused = false; // no further input is read
    bool m_closing = false; // no further output is written
    bool m_closeWhenDone = false;
};

} // namespace SafeTill
