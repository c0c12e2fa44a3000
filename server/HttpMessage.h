#pragma once

#include <QByteArray>
#include <QHash>
#include <QHostAddress>
#include <QJsonObject>
#include <QList>
#include <QPair>
#include <QString>

#include <optional>

namespace SafeTill {

// A request as the API handlers see it: a plain value, so it can travel to a worker thread while
// the connection goes on reading the next request.
struct HttpRequest
{
    QByteArray method; // upper case, e.g. "PUT"
    QString path;      // decoded path without query, e.g. /api/order-sessions/current
    QString query;     // the query as sent (percent-encoded), e.g. date=2026-12-05; or empty
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
    // A body already written as compact JSON.
    static HttpResponse json(int status, QByteArray compactBody);
    // {"error": message, "code": code} plus extra members (e.g. "order").
    static HttpResponse error(int status, const QString &code, const QString &message,
                              const QJsonObject &extra = {});
    // Status line, headers (Content-Length, Connection, X-Request-Id, ...) and body, ready to send.
    QByteArray serialize(const QString &requestId, bool closeAfter) const;
};

QByteArray reasonPhrase(int status);

// Frames and parses HTTP/1.1 requests from a connection's byte stream, incrementally and strictly.
// It is the server's only HTTP parser (ConnectionGuard feeds it every connection's bytes), and
// pipelined requests come out one by one in order. A pure function of the bytes fed in: the fuzz
// target drives it directly.
class HttpRequestParser
{
public:
    struct Limits
    {
        qsizetype maxHeaderBytes = 16 * 1024;
        qsizetype maxBodyBytes = 1024 * 1024;
        int maxHeaderCount = 100;
    };
    // Why a request was refused; the connection is answered with it and closed (the stream can
    // no longer be framed reliably).
    struct Refusal
    {
        int status = 400;
        QString code;
        QString message;
    };
    struct Parsed
    {
        HttpRequest request;     // remoteAddress and requestId are left for the caller
        bool closeAfter = false; // Connection: close, or HTTP/1.0 without keep-alive
    };
    enum class Step {
        NeedMore, // no complete request buffered
        Request,  // *parsed holds the next request
        Refused,  // *refusal says why; feed nothing more
    };

    HttpRequestParser();
    explicit HttpRequestParser(const Limits &limits);

    void feed(QByteArrayView bytes);
    // Takes the next complete request off the buffered bytes.
    Step next(Parsed *parsed, Refusal *refusal);
    // Some bytes of a request that has not fully arrived are buffered.
    bool midRequest() const;
    // True once after the head of a request with "Expect: 100-continue" and a body is parsed.
    bool takeContinueRequest();
    qsizetype bufferedBytes() const { return m_buffer.size() - m_offset; }

private:
    std::optional<Refusal> parseHead(QByteArrayView head);
    void compact();

    Limits m_limits;
    QByteArray m_buffer;
    qsizetype m_offset = 0;   // start of the unparsed bytes in m_buffer
    qsizetype m_scanFrom = 0; // where to resume looking for the end of the head
    bool m_haveHead = false;  // m_head parsed, waiting for its body
    qint64 m_bodyLength = 0;
    bool m_continueWanted = false;
    bool m_refused = false;
    Parsed m_head;
};

} // namespace SafeTill
