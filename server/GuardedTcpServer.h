#pragma once

#include "ConnectionGuard.h"

#include <QSslServer>
#include <QTcpServer>

namespace SafeTill {

// Listening sockets whose every accepted connection gets a ConnectionGuard before Qt HttpServer
// sees it (QAbstractHttpServer::bind() takes the server and connects to its new connections).
class GuardedTcpServer : public QTcpServer
{
    Q_OBJECT
public:
    GuardedTcpServer(const ConnectionGuard::Limits &limits, QObject *httpServer,
                     RequestDispatcher *dispatcher, QObject *parent = nullptr);

protected:
    void incomingConnection(qintptr descriptor) override;

private:
    ConnectionGuard::Limits m_limits;
    QObject *m_httpServer;
    RequestDispatcher *m_dispatcher;
};

// The same for HTTPS: the guard is attached when the TLS handshake starts, so a client that
// never finishes its handshake is closed by the idle timeout too.
class GuardedSslServer : public QSslServer
{
    Q_OBJECT
public:
    GuardedSslServer(const ConnectionGuard::Limits &limits, QObject *httpServer,
                     RequestDispatcher *dispatcher, QObject *parent = nullptr);
};

} // namespace SafeTill
