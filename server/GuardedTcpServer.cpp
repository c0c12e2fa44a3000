#include "GuardedTcpServer.h"

#include "ServerLogging.h"

#include <QSslSocket>
#include <QTcpSocket>

namespace SafeTill {

GuardedTcpServer::GuardedTcpServer(const ConnectionGuard::Limits &limits, QObject *httpServer,
                                   RequestDispatcher *dispatcher, QObject *parent)
    : QTcpServer(parent)
    , m_limits(limits)
    , m_httpServer(httpServer)
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
    // Connected before Qt HttpServer connects its own readyRead handler (on pendingConnection).
    ConnectionGuard::attach(socket, m_limits, m_httpServer, m_dispatcher);
    addPendingConnection(socket);
}

GuardedSslServer::GuardedSslServer(const ConnectionGuard::Limits &limits, QObject *httpServer,
                                   RequestDispatcher *dispatcher, QObject *parent)
    : QSslServer(parent)
{
    // A client that never finishes (or never starts) its handshake is dropped after the same
    // idle timeout as a silent plain connection (QSslServer's own default is 5 s); the guard's
    // timer, started with the handshake, covers it as well.
    setHandshakeTimeout(limits.idleTimeoutMs);
    connect(this, &QSslServer::startedEncryptionHandshake, this,
            [limits, httpServer, dispatcher](QSslSocket *socket) {
                ConnectionGuard::attach(socket, limits, httpServer, dispatcher);
            });
}

} // namespace SafeTill
