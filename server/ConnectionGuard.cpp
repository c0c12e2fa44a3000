#include "ConnectionGuard.h"

#include "ServerLogging.h"

#include <QScopedValueRollback>
#include <QTcpSocket>

using namespace Qt::StringLiterals;

namespace SafeTill {

namespace {

// RFC 9110 safe methods: pipelined, they may run in parallel; anything else runs alone, in order.
bool isSafeMethod(const QByteArray &method)
{
    return method == "GET" || method == "HEAD" || method == "OPTIONS" || method == "TRACE";
}

HttpRequestParser::Limits parserLimits(const ConnectionGuard::Limits &limits)
{
    HttpRequestParser::Limits parser;
    parser.maxHeaderBytes = limits.maxHeaderBytes;
    parser.maxBodyBytes = limits.maxBodyBytes;
    return parser;
}

} // namespace

ConnectionGuard *ConnectionGuard::attach(QTcpSocket *socket, const Limits &limits,
                                         RequestDispatcher *dispatcher)
{
    return new ConnectionGuard(socket, limits, dispatcher);
}

ConnectionGuard::ConnectionGuard(QTcpSocket *socket, const Limits &limits,
                                 RequestDispatcher *dispatcher)
    : QObject(socket)
    , m_socket(socket)
    , m_dispatcher(dispatcher)
    , m_limits(limits)
    , m_parser(parserLimits(limits))
{
    // Bounds what the socket buffers while the guard is not reading (pipeline limit reached): the
    // rest waits in the kernel, and TCP slows the client down.
    socket->setReadBufferSize(64 * 1024);
    m_idleTimer.setSingleShot(true);
    m_idleTimer.setInterval(m_limits.idleTimeoutMs);
    connect(&m_idleTimer, &QTimer::timeout, this, &ConnectionGuard::onIdleTimeout);
    connect(socket, &QTcpSocket::readyRead, this, &ConnectionGuard::onReadyRead);
    // A connection that ends (the client closed it, or finishConnection() did) frees its socket,
    // and the guard with it; answers still on their way find a null QPointer.
    connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
    m_idleTimer.start();
    m_peerAddress = canonicalAddress(socket->peerAddress());
    m_peer = m_peerAddress.toString() + u':' + QString::number(socket->peerPort());
    qCDebug(lcConnection).noquote() << "connection accepted from" << m_peer;
}

ConnectionGuard::~ConnectionGuard()
{
    // A child of its socket: freed with it.
    qCDebug(lcConnection).noquote() << "connection freed from" << m_peer;
}

void ConnectionGuard::onReadyRead()
{
    if (!m_socket)
        return;
    if (m_inputDone) {
        m_socket->readAll(); // already answered what will be answered; nobody else reads
        return;
    }
    processInput();
}

void ConnectionGuard::processInput()
{
    // Responses written synchronously (e.g. a 404) resume reading from flush(); while this loop
    // runs it does so itself, so a long pipelined burst does not nest one call per request.
    if (m_processing)
        return;
    QScopedValueRollback processing(m_processing, true);
    const qsizetype readCap = m_limits.maxHeaderBytes + m_limits.maxBodyBytes;
    while (m_socket && !m_closing && !atPipelineLimit()) {
        if (!m_held) {
            if (m_inputDone)
                break;
            if (m_socket->bytesAvailable() > 0 && m_parser.bufferedBytes() < readCap)
                m_parser.feed(m_socket->read(readCap - m_parser.bufferedBytes()));
            HttpRequestParser::Parsed parsed;
            HttpRequestParser::Refusal refusal;
            const HttpRequestParser::Step step = m_parser.next(&parsed, &refusal);
            if (step == HttpRequestParser::Step::Refused) {
                refuse(refusal.status, refusal.code, refusal.message);
                return;
            }
            if (step == HttpRequestParser::Step::NeedMore) {
                if (m_socket->bytesAvailable() > 0 && m_parser.bufferedBytes() < readCap)
                    continue;
                // curl and others wait for this before sending a larger body; only sent when no
                // earlier response is still owed (it would come out before it).
                if (m_parser.takeContinueRequest() && m_pending.empty())
                    m_socket->write("HTTP/1.1 100 Continue\r\n\r\n");
                break;
            }
            parsed.request.remoteAddress =
                clientAddress(m_peerAddress, parsed.request, m_limits.trustedProxies);
            if (parsed.request.remoteAddress != m_peerAddress &&
                parsed.request.remoteAddress != m_lastClient) {
                m_lastClient = parsed.request.remoteAddress;
                qCDebug(lcConnection).noquote()
                    << "requests from" << m_lastClient.toString() << "via proxy" << m_peer;
            }
            if (parsed.closeAfter) {
                // Nothing after a request that closes the connection is read.
                m_inputDone = true;
                m_socket->readAll();
            }
            m_held = std::move(parsed);
        }
        // Pipelined requests that change something run one at a time, in order, as if each had
        // waited for the previous answer (RFC 9112, 9.3.2); safe ones may overlap with safe ones.
        const bool safe = isSafeMethod(m_held->request.method);
        const bool unsafeOwed = std::any_of(m_pending.begin(), m_pending.end(),
                                            [](const Pending &pending) { return pending.unsafe; });
        if (!m_pending.empty() && (!safe || unsafeOwed))
            break; // flush() resumes once the answers owed are written
        HttpRequestParser::Parsed request = std::move(*m_held);
        m_held.reset();
        const Slot slot = beginResponse(request.closeAfter);
        m_pending.back().unsafe = !safe;
        if (m_dispatcher) {
            m_dispatcher->dispatch(this, slot, std::move(request.request));
        } else {
            respond(slot.id,
                    HttpResponse::error(503, u"unavailable"_s, u"Nobody serves requests."_s), {},
                    true);
        }
    }
    updateTimer();
}

ConnectionGuard::Slot ConnectionGuard::beginResponse(bool closeAfter)
{
    Pending pending;
    pending.id = m_nextSlot++;
    m_pending.push_back(pending);
    updateTimer();
    return Slot{pending.id, closeAfter};
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
    m_inputDone = true;
    if (m_socket)
        m_socket->readAll();
    qCInfo(lcServer).noquote() << "refused a request from"
                               << (m_socket ? m_socket->peerAddress().toString() : QString())
                               << status << code;
    // Answered after the responses already owed, then the connection closes.
    const Slot slot = beginResponse(true);
    respond(slot.id, HttpResponse::error(status, code, message), {}, true);
}

void ConnectionGuard::flush()
{
    const bool wasBlocked = atPipelineLimit() || m_held;
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
        if (m_closeWhenDone && !waitingForClient() && !m_held)
            finishConnection();
        Q_EMIT responsesDone();
    }
    if (wasBlocked && !atPipelineLimit() && !m_closing) {
        // A request held back, or input left unread while the pipeline was full: go on.
        processInput();
        return;
    }
    updateTimer();
}

void ConnectionGuard::finishConnection()
{
    if (m_closing)
        return;
    m_closing = true;
    m_inputDone = true;
    m_idleTimer.stop();
    m_pending.clear();
    m_held.reset();
    if (!m_socket)
        return;
    // Writes what is buffered, then closes; the socket is deleted when it disconnects (see the
    // constructor). One that never does (a peer that ignores the close) is deleted here.
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
    if (m_pending.empty() && !m_held)
        finishConnection();
}

void ConnectionGuard::updateTimer()
{
    if (m_closing)
        return;
    const bool waiting = waitingForClient();
    if (waiting && !m_timingRequest) {
        m_timingRequest = true;
        m_idleTimer.start(); // a request must arrive in full within the timeout
        return;
    }
    if (!waiting)
        m_timingRequest = false;
    // While a response is owed, the client is waiting for us, not idle. Otherwise the timer runs:
    // from the last response, or from the first byte of a request that has not fully arrived.
    if (!m_pending.empty() && !waiting)
        m_idleTimer.stop();
    else if (!m_idleTimer.isActive())
        m_idleTimer.start();
}

void ConnectionGuard::onIdleTimeout()
{
    if (m_closing)
        return;
    if (waitingForClient()) {
        refuse(408, u"request_timeout"_s,
               u"The request did not arrive in full within %1 ms."_s.arg(m_limits.idleTimeoutMs));
        return;
    }
    if (m_pending.empty())
        finishConnection();
}

} // namespace SafeTill
