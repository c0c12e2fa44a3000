#pragma once

#include <QByteArray>
#include <QElapsedTimer>
#include <QObject>
#include <QTcpSocket>

#include <functional>
#include <map>
#include <memory>
#include <vector>

namespace SafeTill::BenchServer {

struct HttpReply
{
    int status = 0; // 0: no answer (connection lost or timed out)
    QByteArray etag;
    QByteArray body;
    qint64 latencyNs = 0;
};

// One keep-alive HTTP/1.1 connection of the load client: one request at a time, the response
// parsed by Content-Length (all the server sends), latency from the write to the last byte.
class HttpConnection : public QObject
{
    Q_OBJECT
public:
    using Callback = std::function<void(const HttpReply &)>;
    explicit HttpConnection(quint16 port, QObject *parent = nullptr);
    bool connectToServer(int timeoutMs);
    void send(const QByteArray &method, const QByteArray &path, const QByteArray &token,
              const QByteArray &body, const QByteArray &extraHeaders, Callback done);
    bool isWaiting() const { return bool(m_done); }
    // Ends a request that did not answer in time: the connection is dropped.
    void abandon();

private:
    void onReadyRead();
    void finish(HttpReply reply);

    quint16 m_port;
    QTcpSocket m_socket;
    QByteArray m_buffer;
    QElapsedTimer m_sent;
    Callback m_done;
};

// The three measured cases of the benchmark.
enum class Case { ReplaceItems, AddItem, Complete };

// What one kind of request did inside the measured window.
struct RequestStats
{
    qint64 ok = 0;
    std::map<int, qint64> failures; // status (0: no answer) -> count
    std::vector<qint64> latenciesNs;
    void record(const HttpReply &reply, bool success, bool inWindow);
    double percentileMs(double p) const;
};

// One user (cashier) driven by one connection, and what the server acknowledged to it.
struct BenchUser
{
    QString name;
    QByteArray token;
    int version = 0;         // of the active order, from the last acknowledged answer
    int lastReplacedQty = 0; // the quantity the last acknowledged PUT set
    qint64 acknowledgedAdds = 0;
    qint64 unansweredAdds = 0;
    qint64 acknowledgedCompletes = 0;
    qint64 unansweredCompletes = 0;
};

struct CaseResult
{
    Case which;
    double seconds = 0; // the measured window
    RequestStats main;  // PUT /current, POST /current/items or PUT /current/complete
    RequestStats setup; // complete only: the opening requests (with items)
};

// Runs one case on every connection at once for warmUpMs + measureMs, then lets the requests in
// flight finish (each bounded by requestTimeoutMs).
CaseResult runCase(Case which, std::vector<std::unique_ptr<HttpConnection>> &connections,
                   std::vector<BenchUser> &users, const QStringList &skus, int warmUpMs,
                   int measureMs, int requestTimeoutMs);

QString caseName(Case which);

} // namespace SafeTill::BenchServer
