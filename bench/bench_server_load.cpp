#include "bench_server_load.h"

#include <QEventLoop>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QTimer>

#include <algorithm>
#include <cmath>

using namespace Qt::StringLiterals;

namespace SafeTill::BenchServer {

HttpConnection::HttpConnection(quint16 port, QObject *parent)
    : QObject(parent)
    , m_port(port)
{
    connect(&m_socket, &QTcpSocket::readyRead, this, &HttpConnection::onReadyRead);
    connect(&m_socket, &QTcpSocket::disconnected, this, [this] {
        if (m_done)
            finish(HttpReply{});
    });
}

bool HttpConnection::connectToServer(int timeoutMs)
{
    m_socket.connectToHost(QHostAddress::LocalHost, m_port);
    if (!m_socket.waitForConnected(timeoutMs))
        return false;
    m_socket.setSocketOption(QAbstractSocket::LowDelayOption, 1);
    return true;
}

void HttpConnection::send(const QByteArray &method, const QByteArray &path, const QByteArray &token,
                          const QByteArray &body, const QByteArray &extraHeaders, Callback done)
{
    Q_ASSERT(!m_done);
    m_done = std::move(done);
    if (m_socket.state() != QAbstractSocket::ConnectedState) {
        // The server closed this connection earlier; try once to come back.
        m_socket.abort();
        m_buffer.clear();
        if (!connectToServer(2000)) {
            finish(HttpReply{});
            return;
        }
    }
    QByteArray request;
    request.reserve(256 + body.size());
    request += method + ' ' + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n";
    if (!token.isEmpty())
        request += "Authorization: Bearer " + token + "\r\n";
    request += extraHeaders;
    request +=
        "Content-Type: application/json\r\nContent-Length: " + QByteArray::number(body.size()) +
        "\r\n\r\n" + body;
    m_sent.start();
    m_socket.write(request);
}

void HttpConnection::abandon()
{
    m_socket.abort();
    m_buffer.clear();
    if (m_done)
        finish(HttpReply{});
}

void HttpConnection::onReadyRead()
{
    m_buffer += m_socket.readAll();
    if (!m_done)
        return;
    const qsizetype headerEnd = m_buffer.indexOf("\r\n\r\n");
    if (headerEnd < 0)
        return;
    HttpReply reply;
    qsizetype contentLength = 0;
    const QList<QByteArray> lines = m_buffer.left(headerEnd).split('\n');
    const QList<QByteArray> statusLine = lines.value(0).trimmed().split(' ');
    reply.status = statusLine.value(1).toInt();
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const QByteArray &line = lines.at(i);
        const qsizetype colon = line.indexOf(':');
        if (colon < 0)
            continue;
        const QByteArray name = line.left(colon).trimmed().toLower();
        if (name == "content-length")
            contentLength = line.mid(colon + 1).trimmed().toLongLong();
        else if (name == "etag")
            reply.etag = line.mid(colon + 1).trimmed();
    }
    const qsizetype total = headerEnd + 4 + contentLength;
    if (m_buffer.size() < total)
        return;
    reply.body = m_buffer.mid(headerEnd + 4, contentLength);
    m_buffer.remove(0, total);
    reply.latencyNs = m_sent.nsecsElapsed();
    finish(std::move(reply));
}

void HttpConnection::finish(HttpReply reply)
{
    if (reply.status == 0)
        reply.latencyNs = m_sent.isValid() ? m_sent.nsecsElapsed() : 0;
    Callback done = std::move(m_done);
    m_done = nullptr;
    done(reply);
}

void RequestStats::record(const HttpReply &reply, bool success, bool inWindow)
{
    if (!inWindow)
        return;
    if (success)
        ++ok;
    else
        ++failures[reply.status];
    latenciesNs.push_back(reply.latencyNs);
}

double RequestStats::percentileMs(double p) const
{
    if (latenciesNs.empty())
        return 0;
    std::vector<qint64> sorted = latenciesNs;
    std::sort(sorted.begin(), sorted.end());
    const size_t index =
        std::min(sorted.size() - 1, size_t(std::ceil(p / 100.0 * double(sorted.size())) - 1));
    return double(sorted[index]) / 1e6;
}

QString caseName(Case which)
{
    switch (which) {
    case Case::ReplaceItems:
        return u"PUT /current (If-Match)"_s;
    case Case::AddItem:
        return u"POST /current/items"_s;
    case Case::Complete:
        return u"PUT /current/complete"_s;
    }
    return {};
}

namespace {

int versionOf(const HttpReply &reply)
{
    QByteArray tag = reply.etag;
    tag.replace('"', "");
    return tag.toInt();
}

// The order a 409 carries, to resynchronise the user's version (should not happen: every user
// has a connection of its own).
int versionInConflict(const HttpReply &reply)
{
    const QJsonObject body = QJsonDocument::fromJson(reply.body).object();
    return body.value(u"order"_s).toObject().value(u"version"_s).toInt();
}

// Drives one connection: sends the case's next request whenever the last one answered, until the
// measured window is over.
class Driver
{
public:
    Driver(Case which, HttpConnection &connection, BenchUser &user, const QStringList &skus,
           CaseResult &result, const QElapsedTimer &clock, qint64 windowStartMs, qint64 windowEndMs,
           const QByteArray &keyPrefix)
        : m_case(which)
        , m_connection(connection)
        , m_user(user)
        , m_skus(skus)
        , m_result(result)
        , m_clock(clock)
        , m_windowStartMs(windowStartMs)
        , m_windowEndMs(windowEndMs)
        , m_keyPrefix(keyPrefix)
    {}

    void next()
    {
        if (m_clock.elapsed() >= m_windowEndMs)
            return;
        switch (m_case) {
        case Case::ReplaceItems:
            replaceItems();
            break;
        case Case::AddItem:
            addItem();
            break;
        case Case::Complete:
            if (m_filled)
                complete();
            else
                openWithItems();
            break;
        }
    }

private:
    bool inWindow() const
    {
        const qint64 now = m_clock.elapsed();
        return now >= m_windowStartMs && now <= m_windowEndMs;
    }

    QByteArray headers(bool withVersion)
    {
        QByteArray text =
            "Idempotency-Key: " + m_keyPrefix + QByteArray::number(++m_sequence) + "\r\n";
        if (withVersion)
            text += "If-Match: \"" + QByteArray::number(m_user.version) + "\"\r\n";
        return text;
    }

    void replaceItems()
    {
        const int qty = m_user.lastReplacedQty % 5 + 1;
        const QByteArray body = R"({"items":[{"sku":")" + m_skus.value(0).toUtf8() + R"(","qty":)" +
                                QByteArray::number(qty) + "}]}";
        m_connection.send("PUT", "/api/order-sessions/current", m_user.token, body, headers(true),
                          [this, qty](const HttpReply &reply) {
                              const bool ok = reply.status == 200;
                              if (ok) {
                                  m_user.version = versionOf(reply);
                                  m_user.lastReplacedQty = qty;
                              } else if (reply.status == 409) {
                                  m_user.version = versionInConflict(reply);
                              }
                              m_result.main.record(reply, ok, inWindow());
                              next();
                          });
    }

    void addItem()
    {
        const QString sku = m_skus.at(int(m_sequence % m_skus.size()));
        const QByteArray body = R"({"sku":")" + sku.toUtf8() + R"(","qty":1})";
        m_connection.send("POST", "/api/order-sessions/current/items", m_user.token, body,
                          headers(false), [this](const HttpReply &reply) {
                              const bool ok = reply.status == 200;
                              if (ok) {
                                  ++m_user.acknowledgedAdds;
                                  m_user.version = versionOf(reply);
                              } else if (reply.status == 0) {
                                  ++m_user.unansweredAdds;
                              }
                              m_result.main.record(reply, ok, inWindow());
                              next();
                          });
    }

    void openWithItems()
    {
        const QByteArray body =
            R"({"items":[{"sku":")" + m_skus.value(0).toUtf8() + R"(","qty":2}]})";
        m_connection.send("POST", "/api/order-sessions", m_user.token, body, headers(false),
                          [this](const HttpReply &reply) {
                              const bool ok = reply.status == 200;
                              if (ok) {
                                  m_user.version = versionOf(reply);
                                  m_filled = true;
                              }
                              m_result.setup.record(reply, ok, inWindow());
                              next();
                          });
    }

    void complete()
    {
        const QByteArray body = R"({"method":"cash","tenderedCents":1000000})";
        m_connection.send("PUT", "/api/order-sessions/current/complete", m_user.token, body,
                          headers(true), [this](const HttpReply &reply) {
                              const bool ok = reply.status == 200;
                              if (ok) {
                                  ++m_user.acknowledgedCompletes;
                                  m_filled = false;
                              } else if (reply.status == 0) {
                                  ++m_user.unansweredCompletes;
                                  m_filled = false; // unknown: open (or resume) again
                              } else if (reply.status == 404 || reply.status == 422) {
                                  // No order, or one that cannot be paid as it is: fill again.
                                  m_filled = false;
                              } else if (reply.status == 409) {
                                  m_user.version = versionInConflict(reply);
                              }
                              m_result.main.record(reply, ok, inWindow());
                              next();
                          });
    }

    Case m_case;
    HttpConnection &m_connection;
    BenchUser &m_user;
    const QStringList &m_skus;
    CaseResult &m_result;
    const QElapsedTimer &m_clock;
    qint64 m_windowStartMs;
    qint64 m_windowEndMs;
    QByteArray m_keyPrefix;
    qint64 m_sequence = 0;
    // Complete: the user's order holds the items this driver put in it, ready to pay. Not at the
    // start: the order the set-up opened (or an earlier case left) may be empty, and an empty
    // order cannot be paid (422); each complete follows its own open with items.
    bool m_filled = false;
};

} // namespace

CaseResult runCase(Case which, std::vector<std::unique_ptr<HttpConnection>> &connections,
                   std::vector<BenchUser> &users, const QStringList &skus, int warmUpMs,
                   int measureMs, int requestTimeoutMs)
{
    CaseResult result;
    result.which = which;
    QElapsedTimer clock;
    clock.start();
    const QByteArray runId = QByteArray::number(QRandomGenerator::global()->generate64(), 36);
    std::vector<std::unique_ptr<Driver>> drivers;
    for (size_t i = 0; i < connections.size(); ++i) {
        const QByteArray prefix = "bench-" + runId + '-' + QByteArray::number(int(which)) + '-' +
                                  QByteArray::number(i) + '-';
        drivers.push_back(std::make_unique<Driver>(which, *connections[i], users[i], skus, result,
                                                   clock, warmUpMs, warmUpMs + measureMs, prefix));
    }
    for (auto &driver : drivers)
        driver->next();

    // Ends when the window is over and every request in flight has answered (or timed out).
    QEventLoop loop;
    QTimer check;
    std::vector<qint64> waitingSince(connections.size(), -1);
    QObject::connect(&check, &QTimer::timeout, &loop, [&] {
        bool anyWaiting = false;
        for (size_t i = 0; i < connections.size(); ++i) {
            if (!connections[i]->isWaiting()) {
                waitingSince[i] = -1;
                continue;
            }
            anyWaiting = true;
            if (clock.elapsed() < warmUpMs + measureMs)
                continue;
            if (waitingSince[i] < 0)
                waitingSince[i] = clock.elapsed();
            else if (clock.elapsed() - waitingSince[i] > requestTimeoutMs)
                connections[i]->abandon();
        }
        if (!anyWaiting && clock.elapsed() >= warmUpMs + measureMs)
            loop.quit();
    });
    check.start(5);
    loop.exec();
    result.seconds = measureMs / 1000.0;
    return result;
}

} // namespace SafeTill::BenchServer
