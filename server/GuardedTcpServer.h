#pragma once

#include "ConnectionGuard.h"

#include <QSslServer>
#include <QTcpServer>

#include <QDeadlineTimer>
#include <QHash>

namespace SafeTill {

// The open connections of each peer address, for Limits::maxConnectionsPerAddress. Lives on the
// listener's thread, like the sockets it counts.
class ConnectionCounter
{
public:
    explicit ConnectionCounter(const ConnectionGuard::Limits &limits);
    // Counts the new connection (until the socket is destroyed) and returns true; or returns
    // false, counting nothing, when its address already has the most allowed.
    bool admit(QTcpSocket *socket, QObject *context);
    // Answers 503 with Retry-After on a refused plain connection, then closes it.
    static void refuse(QTcpSocket *socket);

private:
    int m_limit;
    TrustedProxies m_exempt;
    QHash<QHostAddress, int> m_open;
    QHash<QHostAddress, QDeadlineTimer> m_quietUntil; // one warning a minute per address
};

// The server's listening socket: every accepted connection gets a ConnectionGuard, which reads,
// parses and answers it on behalf of the dispatcher (the SafeTillServer). The sockets are the
// listener's children; each is deleted when its connection ends (see ConnectionGuard).
class GuardedTcpServer : public QTcpServer
{
    Q_OBJECT
public:
    GuardedTcpServer(const ConnectionGuard::Limits &limits, RequestDispatcher *dispatcher,
                     QObject *parent = nullptr);

protected:
    // Not queued as a pending connection: nobody takes it from there, and a full queue would
    // make QTcpServer stop accepting.
    void incomingConnection(qintptr descriptor) override;

private:
    ConnectionGuard::Limits m_limits;
    RequestDispatcher *m_dispatcher;
    ConnectionCounter m_counter;
};

// The same for HTTPS (QSslServer, Qt 6.4+): the guard is attached when the TLS handshake starts,
// so a client that never finishes its handshake is closed by the idle timeout too.
class GuardedSslServer : public QSslServer
{
    Q_OBJECT
public:
    GuardedSslServer(const ConnectionGuard::Limits &limits, RequestDispatcher *dispatcher,
                     QObject *parent = nullptr);

private:
    ConnectionCounter m_counter;
};

} // namespace SafeTill
