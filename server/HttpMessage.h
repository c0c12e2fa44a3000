#pragma once

#include <QByteArray>
#include <QHash>
#include <QHostAddress>
#include <QJsonObject>
#include <QList>
#include <QPair>
#include <QString>

namespace SafeTill {

// A request as the API handlers see it: a plain copy, so it can travel to a worker thread while
// Qt HttpServer reuses its own request object for the connection's next request.
struct HttpRequest
{
    QByteArray method; // upper case, e.g. "PUT"
    QString path;      // decoded path without query, e.g. /api/order-sessions/current
    QHash<QByteArray, QByteArray> headers; // lower-case names
    QByteArray body;
    QHostAddress remoteAddress;
    QString requestId; // for the log and the X-Request-Id response header

    QByteArray header(const QByteArray &lowerCaseName) const
    {
        return headers.value(lowerCaseName);
    }
    bool hasHeader(const QByteArray &lowerCaseName) const
    {
        return headers.contains(lowerCaseName);
    }
};

struct HttpResponse
{
    int status = 200;
    QList<QPair<QByteArray, QByteArray>> headers;
    QByteArray body; // JSON
    // The connection must be closed after this response (e.g. the request could not be framed).
    bool closeConnection = false;

    void addHeader(QByteArray name, QByteArray value)
    {
        headers.append({std::move(name), std::move(value)});
    }
    static HttpResponse json(int status, const QJsonObject &body);
    // {"error": message, "code": code} plus extra members (e.g. "order").
    static HttpResponse error(int status, const QString &code, const QString &message,
                              const QJsonObject &extra = {});
    // Status line, headers (Content-Length, Connection, X-Request-Id, ...) and body, ready to send.
    QByteArray serialize(const QString &requestId, bool closeAfter) const;
};

QByteArray reasonPhrase(int status);

} // namespace SafeTill
