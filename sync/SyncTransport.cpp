#include "SyncTransport.h"

#include <QEventLoop>
#include <QNetworkProxy>
#include <QNetworkReply>
#include <QSslError>
#include <QTimer>

using namespace Qt::StringLiterals;

namespace SafeTill {

SyncTransport::SyncTransport(QUrl serverUrl, QByteArray token, QList<QSslCertificate> trusted)
    : m_serverUrl(std::move(serverUrl))
    , m_token(std::move(token))
    , m_trusted(std::move(trusted))
{
    // A refused connection must show as "offline" at once, not after Qt's own proxy lookups.
    m_network.setProxy(QNetworkProxy::NoProxy);
}

QNetworkRequest SyncTransport::request(const QString &path) const
{
    QUrl url = m_serverUrl;
    url.setPath(path);
    QNetworkRequest request(url);
    request.setRawHeader("Authorization", "Bearer " + m_token);
    request.setRawHeader("Accept", "application/json");
    // A timeout reports OperationCanceledError, like an abort: run() tells them apart itself.
    request.setTransferTimeout(m_timeoutMs);
    request.setAttribute(QNetworkRequest::Http2AllowedAttribute, false);
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute,
                         QNetworkRequest::ManualRedirectPolicy);
    return request;
}

HttpExchange SyncTransport::get(const QString &path, const QByteArray &ifNoneMatch)
{
    QNetworkRequest get = request(path);
    if (!ifNoneMatch.isEmpty())
        get.setRawHeader("If-None-Match", ifNoneMatch);
    return run(m_network.get(get));
}

HttpExchange SyncTransport::post(const QString &path, const QByteArray &jsonBody)
{
    QNetworkRequest post = request(path);
    post.setHeader(QNetworkRequest::ContentTypeHeader, u"application/json"_s);
    // Qt may re-send this POST by itself when the server closes the connection without an answer;
    // the server applies each request id once, which is what makes that harmless.
    return run(m_network.post(post, jsonBody));
}

HttpExchange SyncTransport::run(QNetworkReply *reply)
{
    HttpExchange exchange;
    QByteArray body;
    bool stopped = false;
    bool tooLarge = false;
    QString tlsProblem;
    QEventLoop loop;
    QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    QObject::connect(reply, &QNetworkReply::readyRead, &loop, [&] {
        if (!reply->isOpen())
            return;
        body += reply->readAll();
        if (body.size() > m_maxResponseBytes && !tooLarge) {
            tooLarge = true;
            reply->abort();
        }
    });
    QObject::connect(reply, &QNetworkReply::sslErrors, &loop, [&](const QList<QSslError> &errors) {
        // Trusting a certificate means: this exact certificate, whatever else is wrong with it
        // (self-signed, another host name). Anything else stays refused.
        const QSslCertificate peer = reply->sslConfiguration().peerCertificate();
        if (!peer.isNull() && m_trusted.contains(peer)) {
            reply->ignoreSslErrors(errors);
            return;
        }
        QStringList texts;
        for (const QSslError &error : errors)
            texts << error.errorString();
        tlsProblem = texts.join(u"; "_s);
    });
    QTimer stopCheck;
    if (m_stop) {
        QObject::connect(&stopCheck, &QTimer::timeout, &loop, [&] {
            if (m_stop->load()) {
                stopped = true;
                reply->abort();
            }
        });
        stopCheck.start(50);
    }
    if (!reply->isFinished())
        loop.exec();
    if (reply->isOpen())
        body += reply->readAll();

    exchange.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    exchange.etag = reply->rawHeader("ETag");
    bool numeric = false;
    const int retryAfter = reply->rawHeader("Retry-After").trimmed().toInt(&numeric);
    if (numeric && retryAfter >= 0)
        exchange.retryAfterSeconds = retryAfter;
    const QNetworkReply::NetworkError error = reply->error();
    const QString errorText = reply->errorString();
    reply->deleteLater();

    if (stopped) {
        exchange.failure = HttpExchange::Failure::Stopped;
        exchange.error = u"stopped"_s;
    } else if (tooLarge) {
        exchange.failure = HttpExchange::Failure::TooLarge;
        exchange.error = u"the server's answer was larger than %1 bytes"_s.arg(m_maxResponseBytes);
    } else if (!tlsProblem.isEmpty() || error == QNetworkReply::SslHandshakeFailedError) {
        exchange.failure = HttpExchange::Failure::Tls;
        exchange.error = u"the server's TLS certificate is not trusted (%1); trust its certificate "
                         "file explicitly (--trust-cert FILE) if it is the right server"_s.arg(
                             tlsProblem.isEmpty() ? errorText : tlsProblem);
    } else if (error == QNetworkReply::OperationCanceledError) {
        exchange.failure = HttpExchange::Failure::Network;
        exchange.error = u"no answer within %1 ms"_s.arg(m_timeoutMs);
    } else if (exchange.status == 0 || (error != QNetworkReply::NoError &&
                                        error < QNetworkReply::ProxyConnectionRefusedError)) {
        // Network-level errors (refused, reset, closed, DNS, timeout) are numbered below the proxy
        // ones; HTTP error statuses map to higher numbers and keep their status and body.
        // A partial response can come with a status and a network error: never trust its body.
        exchange.failure = HttpExchange::Failure::Network;
        exchange.error = errorText;
    } else {
        exchange.body = std::move(body);
    }
    return exchange;
}

} // namespace SafeTill
