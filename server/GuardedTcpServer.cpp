#include "GuardedTcpServer.h"

#include "ServerLogging.h"

#include <QSslSocket>
#include <QTcpSocket>

namespace SafeTill {

GuardedTcpServer::GuardedTcpServer(const ConnectionGuard::Limits &limits, QObject *httpServer,
                                   QObject *parent)
    : QTcpServer(parent)
    , m_limits(limits)
    , m_httpServer(httpServer)
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
    ConnectionGuard::attach(socket, m_limits, m_httpServer);
    addPendingConnection(socket);
}

GuardedSslServer::GuardedSslServer(const ConnectionGuard::Limits &limits, QObject *httpServer,
                                   QObject *parent)
    : QSslServer(parent)
{
    connect(this, &QSslServer::startedEncryptionHandshake, this,
            [limits, httpServer](QSslSocket *socket) {
                ConnectionGuard::attach(socket, limits, httpServer);
            });
}

} // namespace SafeTill
