#include "ConnectionGuard.h"

#include "ServerLogging.h"

#include <QTcpSocket>

using namespace Qt::StringLiterals;

namespace SafeTill {

namespace {

const char guardName[] = "safetill-connection-guard";

// Comma-separated header tokens, compared case-insensitively ("Connection: keep-alive, Upgrade").
bool hasToken(const QByteArray &value, const QByteArray &token)
{
    for (const QByteArray &part : value.split(',')) {
        if (part.trimmed().compare(token, Qt::CaseInsensitive) == 0)
            return true;
    }
    return false;
}

} // namespace

ConnectionGuard *ConnectionGuard::attach(QTcpSocket *socket, const Limits &limits,
                                         QObject *httpServer)
{
    return new ConnectionGuard(socket, limits, httpServer);
}

ConnectionGuard *ConnectionGuard::of(QTcpSocket *socket)
{
    return socket ? socket->findChild<ConnectionGuard *>(QLatin1StringView(guardName),
                                                         Qt::FindDirectChildrenOnly)
                  : nullptr;
}

ConnectionGuard::ConnectionGuard(QTcpSocket *socket, const Limits &limits, QObject *httpServer)
    : QObject(socket)
    , m_socket(socket)
    , m_httpServer(httpServer)
    , m_limits(limits)
{
    setObjectName(QLatin1StringView(guardName));
    m_idleTimer.setSingleShot(true);
    m_idleTimer.setInterval(m_limits.idleTimeoutMs);
    connect(&m_idleTimer, &QTimer::timeout, this, &ConnectionGuard::onIdleTimeout);
    connect(socket, &QTcpSocket::readyRead, this, &ConnectionGuard::onReadyRead);
    m_idleTimer.start();
}

void ConnectionGuard::onReadyRead()
{
    if (!m_socket)
        return;
    if (m_refused) {
        m_socket->readAll(); // already answered; nobody else reads any more
        return;
    }
    // Qt's server reads everything available on every readyRead (inside a socket transaction), so
    // what is available now is exactly what arrived since the last call.
    const QByteArray chunk = m_socket->peek(m_socket->bytesAvailable());
    int completed = 0;
    qsizetype i = 0;
    const qsizetype size = chunk.size();
    while (i < size) {
        if (m_inBody) {
            const qint64 take = qMin<qint64>(m_bodyLeft, size - i);
            i += take;
            m_bodyLeft -= take;
        } else {
            if (m_head.isEmpty()) {
                // Empty lines between requests are allowed (RFC 9112, 2.2).
                while (i < size && (chunk.at(i) == '\r' || chunk.at(i) == '\n'))
                    ++i;
                if (i == size)
                    break;
                if (completed > 0) {
                    refuse(400, u"pipelining_unsupported"_s,
                           u"Send one request at a time and wait for its response."_s);
                    return;
                }
                m_idleTimer.start(); // a request must arrive in full within the timeout
            }
            const qsizetype before = m_head.size();
            m_head.append(chunk.constData() + i, size - i);
            const qsizetype end = m_head.indexOf("\r\n\r\n", qMax<qsizetype>(0, before - 3));
            if (end < 0) {
                if (m_head.size() > m_limits.maxHeaderBytes) {
                    refuse(431, u"headers_too_large"_s,
                           u"The request headers are larger than %1 bytes."_s.arg(
                               m_limits.maxHeaderBytes));
                    return;
                }
                i = size;
                break;
            }
            if (end + 4 > m_limits.maxHeaderBytes) {
                refuse(431, u"headers_too_large"_s,
                       u"The request headers are larger than %1 bytes."_s.arg(
                           m_limits.maxHeaderBytes));
                return;
            }
            i += end + 4 - before;
            if (!parseHead(m_head.left(end)))
                return;
            m_head.clear();
            m_inBody = true;
        }
        if (m_inBody && m_bodyLeft == 0) {
            m_inBody = false;
            m_framed.push_back(m_current);
            ++completed;
        }
    }
    if (completed > 0) {
        // Qt's parser runs right after this slot; if it did not hand the request over, it gave up.
        QMetaObject::invokeMethod(this, &ConnectionGuard::checkHandedOver, Qt::QueuedConnection);
    }
    updateTimer();
}

bool ConnectionGuard::parseHead(const QByteArray &head)
{
    const QList<QByteArray> lines = head.split('\n');
    const QList<QByteArray> requestLine = lines.value(0).trimmed().split(' ');
    if (requestLine.size() != 3 || !requestLine.at(2).startsWith("HTTP/1.")) {
        refuse(400, u"bad_request"_s, u"The request line is not valid HTTP/1.1."_s);
        return false;
    }
    const QByteArray method = requestLine.at(0);
    const bool http10 = requestLine.at(2) == "HTTP/1.0";
    QByteArray connection;
    std::optional<qint64> contentLength;
    bool expectContinue = false;
    for (qsizetype n = 1; n < lines.size(); ++n) {
        const QByteArray line = lines.at(n).trimmed();
        const qsizetype colon = line.indexOf(':');
        if (colon <= 0) {
            refuse(400, u"bad_request"_s, u"A request header is malformed."_s);
            return false;
        }
        const QByteArray name = line.left(colon).trimmed().toLower();
        const QByteArray value = line.mid(colon + 1).trimmed();
        if (name == "content-length") {
            bool ok = false;
            const qint64 length = value.toLongLong(&ok);
            const bool digitsOnly =
                !value.isEmpty() && std::all_of(value.begin(), value.end(),
                                                [](char c) { return c >= '0' && c <= '9'; });
            if (!ok || !digitsOnly || length < 0 || (contentLength && *contentLength != length)) {
                refuse(400, u"bad_request"_s, u"The Content-Length header is invalid."_s);
                return false;
            }
            contentLength = length;
        } else if (name == "transfer-encoding") {
            refuse(411, u"length_required"_s,
                   u"Chunked request bodies are not accepted; send a Content-Length."_s);
            return false;
        } else if (name == "upgrade") {
            refuse(501, u"not_implemented"_s, u"Protocol upgrades are not supported."_s);
            return false;
        } else if (name == "connection") {
            connection += value + ',';
        } else if (name == "expect") {
            expectContinue = value.compare("100-continue", Qt::CaseInsensitive) == 0;
        }
    }
    if (method == "HEAD" || method == "CONNECT") {
        refuse(405, u"method_not_allowed"_s, u"This method is not supported here."_s);
        return false;
    }
    const qint64 length = contentLength.value_or(0);
    if (length > m_limits.maxBodyBytes) {
        refuse(413, u"body_too_large"_s,
               u"The request body is larger than %1 bytes."_s.arg(m_limits.maxBodyBytes));
        return false;
    }
    m_current.closeAfter =
        http10 ? !hasToken(connection, "keep-alive") : hasToken(connection, "close");
    m_bodyLeft = length;
    // curl and others wait for this before sending a larger body; only safe to send when no
    // earlier response is still owed (it would come out before it).
    if (expectContinue && length > 0 && m_pending.empty() && m_socket)
        m_socket->write("HTTP/1.1 100 Continue\r\n\r\n");
    return true;
}

void ConnectionGuard::checkHandedOver()
{
    if (!m_framed.empty() && !m_refused && !m_closing) {
        // Qt HttpServer 6.4 drops a request it cannot parse by disconnecting the socket's signals,
        // leaving the client waiting forever.
        m_framed.clear();
        refuse(400, u"bad_request"_s, u"The request could not be parsed."_s);
    }
}

ConnectionGuard::Slot ConnectionGuard::beginResponse()
{
    Framed framed;
    if (!m_framed.empty()) {
        framed = m_framed.front();
        m_framed.pop_front();
    }
    Pending pending;
    pending.id = m_nextSlot++;
    m_pending.push_back(pending);
    updateTimer();
    return Slot{pending.id, framed.closeAfter};
}

void ConnectionGuard::respond(quint64 slotId, const HttpResponse &response,
                              const QString &requestId, bool closeAfter)
{
    for (Pending &pending : m_pending) {
        if (pending.id == slotId) {
            pending.closeAfter = closeAfter || response.closeConnection || m_closeWhenDone;
            pending.bytes = response.serialize(requestId, pending.closeAfter);
            pending.ready = true;
            break;
        }
    }
    flush();
}

void ConnectionGuard::refuse(int status, const QString &code, const QString &message)
{
    m_refused = true;
    m_head.clear();
    m_inBody = false;
    // Qt's parser must not see this input (it would answer it, or misread what follows).
    if (m_socket && m_httpServer)
        disconnect(m_socket, &QTcpSocket::readyRead, m_httpServer, nullptr);
    if (m_socket)
        m_socket->readAll();
    qCInfo(lcServer).noquote() << "refused a request from"
                               << (m_socket ? m_socket->peerAddress().toString() : QString())
                               << status << code;
    const Slot slot = beginResponse();
    respond(slot.id, HttpResponse::error(status, code, message), {}, true);
}

void ConnectionGuard::flush()
{
    while (!m_closing && m_socket && !m_pending.empty() && m_pending.front().ready) {
        const Pending pending = std::move(m_pending.front());
        m_pending.pop_front();
        m_socket->write(pending.bytes);
        if (pending.closeAfter) {
            finishConnection();
            return;
        }
    }
    if (m_pending.empty()) {
        if (m_closeWhenDone && !midRequest())
            finishConnection();
        Q_EMIT responsesDone();
    }
    updateTimer();
}

void ConnectionGuard::finishConnection()
{
    if (m_closing)
        return;
    m_closing = true;
    m_refused = true;
    m_idleTimer.stop();
    if (m_socket && m_httpServer)
        disconnect(m_socket, &QTcpSocket::readyRead, m_httpServer, nullptr);
    m_pending.clear();
    if (!m_socket)
        return;
    // Writes what is buffered, then closes. The socket may have lost its own "delete when
    // disconnected" connection to Qt's parser (see checkHandedOver), so delete it here as well.
    m_socket->disconnectFromHost();
    QTimer::singleShot(5000, m_socket, [socket = m_socket] {
        if (socket) {
            socket->abort();
            socket->deleteLater();
        }
    });
    Q_EMIT responsesDone();
}

void ConnectionGuard::closeWhenDone()
{
    m_closeWhenDone = true;
    if (m_pending.empty())
        finishConnection();
}

void ConnectionGuard::updateTimer()
{
    if (m_closing)
        return;
    // While a response is owed, the client is waiting for us, not idle. Otherwise the timer runs:
    // from the last response, or from the first byte of a request that has not fully arrived.
    if (!m_pending.empty() && !midRequest())
        m_idleTimer.stop();
    else if (!m_idleTimer.isActive())
        m_idleTimer.start();
}

void ConnectionGuard::onIdleTimeout()
{
    if (m_closing)
        return;
    if (midRequest()) {
        refuse(408, u"request_timeout"_s,
               u"The request did not arrive in full within %1 ms."_s.arg(m_limits.idleTimeoutMs));
        return;
    }
    if (m_pending.empty())
        finishConnection();
}

} // namespace SafeTill
