#pragma once

#include <QByteArray>
#include <QList>
#include <QNetworkAccessManager>
#include <QSslCertificate>
#include <QString>
#include <QUrl>

#include <atomic>

namespace SafeTill {

// One HTTP exchange with the sync server, as the engine needs to judge it.
struct HttpExchange
{
    enum class Failure {
        None,     // an HTTP status arrived with a complete body
        Network,  // refused, reset, closed, timed out, DNS: worth retrying
        Tls,      // the certificate was not trusted: a configuration problem
        TooLarge, // the body exceeded the cap: a broken or hostile server
        Stopped,  // the caller asked to stop
    };
    Failure failure = Failure::None;
    int status = 0;
    QByteArray body;
    QByteArray etag;
    int retryAfterSeconds = -1; // -1: no usable Retry-After header
    QString error;              // for Network/Tls/TooLarge
};

// Blocking requests to the sync server for a thread that does nothing else (the sync worker, the
// CLI). Every request has a transfer timeout; response bodies are capped; TLS errors are refused
// unless the server's certificate is one the user trusts. Not thread-safe: one per thread.
class SyncTransport
{
public:
    SyncTransport(QUrl serverUrl, QByteArray token, QList<QSslCertificate> trusted);

    void setTimeoutMs(int ms) { m_timeoutMs = ms; }
    void setMaxResponseBytes(qint64 bytes) { m_maxResponseBytes = bytes; }
    // Checked while waiting; set from any thread to abandon the request in flight.
    void setStopFlag(const std::atomic<bool> *stop) { m_stop = stop; }

    HttpExchange get(const QString &path, const QByteArray &ifNoneMatch = {});
    HttpExchange post(const QString &path, const QByteArray &jsonBody);

private:
    HttpExchange run(QNetworkReply *reply);
    QNetworkRequest request(const QString &path) const;

    QNetworkAccessManager m_network;
    QUrl m_serverUrl;
    QByteArray m_token;
    QList<QSslCertificate> m_trusted;
    int m_timeoutMs = 15000;
    qint64 m_maxResponseBytes = 16 * 1024 * 1024;
    const std::atomic<bool> *m_stop = nullptr;
};

} // namespace SafeTill
