// A forwarder on 127.0.0.1 between sync clients and a real server, misbehaving at random (seeded),
// per request: resets the connection, answers 500/503 itself, forwards but drops the server's
// answer (after the server committed), or delays the answer. The server behind it may change port
// (restarts). Shared by the sync suites (tst_sync, tst_sync_chaos).
#pragma once

#include <QHostAddress>
#include <QObject>
#include <QPointer>
#include <QRandomGenerator>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTimer>

#include <array>
#include <functional>
#include <memory>
#include <optional>
#include <utility>

namespace SafeTill::Test {

class FlakyProxy : public QObject
{
public:
    enum Fault { None, Reset, Error500, Error503, DropAnswer, Delay };
    static constexpr int faultKinds = 6;

    FlakyProxy(quint32 seed, int faultPercent)
        : m_random(seed)
        , m_faultPercent(faultPercent)
    {
        m_server.listen(QHostAddress::LocalHost, 0);
        QObject::connect(&m_server, &QTcpServer::newConnection, this, [this] { accept(); });
    }
    quint16 port() const { return m_server.serverPort(); }
    void setTarget(quint16 port) { m_target = port; }

    // Faults injected so far, in all and by kind (counts[DropAnswer] ...).
    int faults = 0;
    std::array<int, faultKinds> counts{};
    int requests = 0; // requests seen (their first bytes), faulty or not

    // Optional: decides the fault of a request instead of the dice (given the request's first
    // bytes: method, path, headers, maybe the body). The dice are rolled anyway, so a decision
    // here does not shift the seeded sequence of the other requests.
    std::function<std::optional<Fault>(const QByteArray &request)> decide;
    // Optional: called after a request's first bytes were written to the server.
    std::function<void(const QByteArray &request)> forwarded;
    // Optional: called when the server's answer to a request is dropped (its first bytes).
    std::function<void(const QByteArray &request, const QByteArray &answer)> answerDropped;

private:
    struct Link
    {
        QPointer<QTcpSocket> client;
        QPointer<QTcpSocket> upstream;
        Fault fault = None;
        QByteArray held;
        QByteArray request; // the first bytes of the request on its way
    };

    void accept()
    {
        while (QTcpSocket *client = m_server.nextPendingConnection()) {
            auto link = std::make_shared<Link>();
            link->client = client;
            link->upstream = new QTcpSocket(client);
            link->upstream->connectToHost(QHostAddress::LocalHost, m_target);
            QObject::connect(client, &QTcpSocket::readyRead, client,
                             [this, link] { fromClient(link); });
            QObject::connect(link->upstream, &QTcpSocket::readyRead, client,
                             [this, link] { fromUpstream(link); });
            QObject::connect(client, &QTcpSocket::disconnected, client, &QObject::deleteLater);
            QObject::connect(link->upstream, &QTcpSocket::disconnected, client, [link] {
                if (link->client && link->held.isEmpty())
                    link->client->disconnectFromHost();
            });
            // No server behind the port, or it died while connecting (a restart): the client
            // sees the connection close at once instead of waiting for its timeout.
            QObject::connect(link->upstream, &QTcpSocket::errorOccurred, client,
                             [link](QAbstractSocket::SocketError) {
                                 if (link->client && link->held.isEmpty())
                                     link->client->disconnectFromHost();
                             });
        }
    }

    Fault pick(const QByteArray &request)
    {
        ++requests;
        Fault fault = None;
        if (int(m_random.bounded(100)) < m_faultPercent)
            fault = Fault(1 + m_random.bounded(5));
        if (decide) {
            if (const std::optional<Fault> decided = decide(request))
                fault = *decided;
        }
        if (fault != None) {
            ++faults;
            ++counts[fault];
        }
        return fault;
    }

    void fromClient(const std::shared_ptr<Link> &link)
    {
        const QByteArray data = link->client->readAll();
        const bool requestStart = data.startsWith("GET ") || data.startsWith("POST ");
        if (requestStart) {
            link->request = data;
            link->fault = pick(data);
            if (link->fault == Reset) {
                link->client->abort();
                return;
            }
            if (link->fault == Error500 || link->fault == Error503) {
                const QByteArray body = R"({"error":"injected","code":"busy"})";
                link->client->write((link->fault == Error500
                                         ? "HTTP/1.1 500 Internal Server Error\r\n"
                                         : "HTTP/1.1 503 Service Unavailable\r\n"
                                           "Retry-After: 0\r\n") +
                                    QByteArray("Content-Type: application/json\r\nConnection: "
                                               "close\r\nContent-Length: ") +
                                    QByteArray::number(body.size()) + "\r\n\r\n" + body);
                link->client->disconnectFromHost();
                return;
            }
        }
        if (link->fault == Reset || link->fault == Error500 || link->fault == Error503)
            return;
        link->upstream->write(data);
        if (requestStart && forwarded)
            forwarded(data);
    }

    void fromUpstream(const std::shared_ptr<Link> &link)
    {
        const QByteArray data = link->upstream->readAll();
        if (!link->client)
            return;
        if (link->fault == DropAnswer) {
            // The server has committed and answered; the terminal never hears of it.
            if (answerDropped)
                answerDropped(link->request, data);
            link->upstream->abort();
            link->client->abort();
            return;
        }
        if (link->fault == Delay) {
            link->held += data;
            if (link->held.size() == data.size()) {
                QTimer::singleShot(300, link->client, [link] {
                    if (link->client) {
                        link->client->write(std::exchange(link->held, {}));
                        link->fault = None;
                        // The server went away meanwhile: what it sent is all there is.
                        if (!link->upstream ||
                            link->upstream->state() != QAbstractSocket::ConnectedState)
                            link->client->disconnectFromHost();
                    }
                });
            }
            return;
        }
        link->client->write(data);
    }

    QTcpServer m_server;
    QRandomGenerator m_random;
    int m_faultPercent;
    quint16 m_target = 0;
};

} // namespace SafeTill::Test
