#include "GuardedTcpServer.h"

#include "ServerLogging.h"

#include <QSslSocket>
#include <QTcpSocket>

namespace SafeTill {

GuardedTcpServer::GuardedTcpServer(const ConnectionGuard::Limits &limits,
                                   RequestDispatcher *dispatcher, QObject *parent)
    : QTcpServer(parent)
    , m_limits(limits)
    , m_dispatcher(dispatcher)
{}

void GuardedTcpServer::incomingConnection(qintptr descriptor)
{
    auto *socket = new QTcpSocket(this);
    if (!socket->setSocketDescriptor(descriptor)) {
        qCWarning(lcServer) << "could not accept a connection:" << socket->errorString();
        delete socket;
        return;
    }
    ConnectionGuard::attach(socket, m_limits, m_dispatcher);
}

GuardedSslServer::GuardedSslServer(const ConnectionGuard::Limits &limits,
                                   RequestDispatcher *dispatcher, QObject *parent)
    : QSslServer(parent)
{
    // A client that never finishes (or never starts) its handshake is dropped after the same
    // idle timeout as a silent plain connection (QSslServer's own default is 5 s); the guard's
    // timer, started with the handshake, covers it as well.
    setHandshakeTimeout(limits.idleTimeoutMs);
    connect(this, &QSslServer::startedEncryptionHandshake, this,
            [limits, dispatcher](QSslSocket *socket) {
                ConnectionGuard::attach(socket, limits, dispatcher);
            });
    // QSslServer queues a socket as a pending connection once its handshake is done. The guard
    // serves it already: take it off the queue (it stays the server's child), or the full queue
    // would stop the server accepting.
    const auto takePending = [this] {
        while (hasPendingConnections())
            nextPendingConnection();
    };
    connect(this, &QTcpServer::pendingConnectionAvailable, this, takePending);
    connect(this, &QTcpServer::newConnection, this, takePending);
}

} // namespace SafeTill
