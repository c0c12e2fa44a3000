#pragma once

#include "ConnectionGuard.h"

#include <QSslServer>
#include <QTcpServer>

namespace SafeTill {

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
};

// The same for HTTPS (QSslServer, Qt 6.4+): the guard is attached when the TLS handshake starts,
// so a client that never finishes its handshake is closed by the idle timeout too.
class GuardedSslServer : public QSslServer
{
    Q_OBJECT
public:
    GuardedSslServer(const ConnectionGuard::Limits &limits, RequestDispatcher *dispatcher,
                     QObject *parent = nullptr);
};

} // namespace SafeTill
