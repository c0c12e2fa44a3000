#include "GuardedTcpServer.h"

#include "ServerLogging.h"

#include <QSslSocket>
#include <QTcpSocket>
#include <QTimer>

using namespace Qt::StringLiterals;

namespace SafeTill {

ConnectionCounter::ConnectionCounter(const ConnectionGuard::Limits &limits)
    : m_limit(limits.maxConnectionsPerAddress)
    , m_exempt(limits.trustedProxies)
{}

bool ConnectionCounter::admit(QTcpSocket *socket, QObject *context)
{
    if (m_limit <= 0)
        return true;
    const QHostAddress address = canonicalAddress(socket->peerAddress());
    if (m_exempt.contains(address))
        return true;
    int &open = m_open[address];
    if (open >= m_limit) {
        QDeadlineTimer &quiet = m_quietUntil[address];
        if (quiet.hasExpired()) {
            quiet.setRemainingTime(60000);
            qCWarning(lcServer).noquote()
                << address.toString() << "has" << open
                << "connections open, the most allowed (--max-connections-per-address): "
                   "further ones are refused";
        }
        return false;
    }
    ++open;
    QObject::connect(socket, &QObject::destroyed, context, [this, address] {
        const auto it = m_open.find(address);
        if (it != m_open.end() && --*it <= 0) {
            m_open.erase(it);
            m_quietUntil.remove(address);
        }
    });
    return true;
}

void ConnectionCounter::refuse(QTcpSocket *socket)
{
    HttpResponse response = HttpResponse::error(
        503, u"too_many_connections"_s,
        u"Too many connections from your address; close some, then try again."_s);
    response.addHeader("Retry-After", "1");
    socket->write(response.serialize({}, true));
    QObject::connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
    socket->disconnectFromHost();
    // A peer that never reads its answer does not keep the socket.
    QTimer::singleShot(5000, socket, [socket] {
        socket->abort();
        socket->deleteLater();
    });
}

GuardedTcpServer::GuardedTcpServer(const ConnectionGuard::Limits &limits,
                                   RequestDispatcher *dispatcher, QObject *parent)
    : QTcpServer(parent)
    , m_limits(limits)
    , m_dispatcher(dispatcher)
    , m_counter(limits)
{}

void GuardedTcpServer::incomingConnection(qintptr descriptor)
{
    auto *socket = new QTcpSocket(this);
    if (!socket->setSocketDescriptor(descriptor)) {
        qCWarning(lcServer) << "could not accept a connection:" << socket->errorString();
        delete socket;
        return;
    }
    if (!m_counter.admit(socket, this)) {
        // Nothing is read from it and nothing reaches the database.
        ConnectionCounter::refuse(socket);
        return;
    }
    ConnectionGuard::attach(socket, m_limits, m_dispatcher);
}

GuardedSslServer::GuardedSslServer(const ConnectionGuard::Limits &limits,
                                   RequestDispatcher *dispatcher, QObject *parent)
    : QSslServer(parent)
    , m_counter(limits)
{
    // A client that never finishes (or never starts) its handshake is dropped after the same
    // idle timeout as a silent plain connection (QSslServer's own default is 5 s); the guard's
    // timer, started with the handshake, covers it as well.
    setHandshakeTimeout(limits.idleTimeoutMs);
    connect(this, &QSslServer::startedEncryptionHandshake, this,
            [this, limits, dispatcher](QSslSocket *socket) {
                if (!m_counter.admit(socket, this)) {
                    // Before the handshake nothing can be said to it: closed as soon as QSslServer
                    // is done setting it up.
                    QMetaObject::invokeMethod(
                        socket,
                        [socket] {
                            socket->abort();
                            socket->deleteLater();
                        },
                        Qt::QueuedConnection);
                    return;
                }
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
