#include "HttpMessage.h"

#include <QJsonDocument>
#include <QStringDecoder>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace SafeTill {

HttpResponse HttpResponse::json(int status, const QJsonObject &body)
{
    HttpResponse response;
    response.status = status;
    response.body = QJsonDocument(body).toJson(QJsonDocument::Compact);
    return response;
}

HttpResponse HttpResponse::json(int status, QByteArray compactBody)
{
    HttpResponse response;
    response.status = status;
    response.body = std::move(compactBody);
    return response;
}

HttpResponse HttpResponse::error(int status, const QString &code, const QString &message,
                                 const QJsonObject &extra)
{
    QJsonObject body = extra;
    body.insert(u"error"_s, message);
    body.insert(u"code"_s, code);
    return json(status, body);
}

QByteArray reasonPhrase(int status)
{
    switch (status) {
    case 200:
        return "OK";
    case 201:
        return "Created";
    case 204:
        return "No Content";
    case 304:
        return "Not Modified";
    case 400:
        return "Bad Request";
    case 401:
        return "Unauthorized";
    case 403:
        return "Forbidden";
    case 404:
        return "Not Found";
    case 405:
        return "Method Not Allowed";
    case 408:
        return "Request Timeout";
    case 409:
        return "Conflict";
    case 411:
        return "Length Required";
    case 413:
        return "Content Too Large";
    case 415:
        return "Unsupported Media Type";
    case 422:
        return "Unprocessable Content";
    case 417:
        return "Expectation Failed";
    case 428:
        return "Precondition Required";
    case 429:
        return "Too Many Requests";
    case 431:
        return "Request Header Fields Too Large";
    case 500:
        return "Internal Server Error";
    case 501:
        return "Not Implemented";
    case 503:
        return "Service Unavailable";
    case 505:
        return "HTTP Version Not Supported";
    default:
        return "Unknown";
    }
}

QByteArray HttpResponse::serialize(const QString &requestId, bool closeAfter) const
{
    QByteArray out;
    out.reserve(body.size() + 256);
    out += "HTTP/1.1 " + QByteArray::number(status) + ' ' + reasonPhrase(status) + "\r\n";
    // A 204 and a 304 have no body. A 204 must not announce one; a 304's Content-Length would
    // have to be the length of the 200 it stands for (RFC 9110, 8.6), so it sends none.
    const bool hasBody = status != 204 && status != 304;
    if (hasBody) {
        // JSON unless the response names its own type (GET /metrics: Prometheus text).
        const bool typed = std::any_of(headers.begin(), headers.end(), [](const auto &header) {
            return header.first.compare("Content-Type", Qt::CaseInsensitive) == 0;
        });
        if (!typed)
            out += "Content-Type: application/json\r\n";
        out += "Content-Length: " + QByteArray::number(body.size()) + "\r\n";
    }
    out += closeAfter ? "Connection: close\r\n" : "Connection: keep-alive\r\n";
    out += "Cache-Control: no-store\r\n";
    if (!requestId.isEmpty())
        out += "X-Request-Id: " + requestId.toLatin1() + "\r\n";
    for (const auto &[name, value] : headers)
        out += name + ": " + value + "\r\n";
    out += "\r\n";
    if (hasBody)
        out += body;
    return out;
}

namespace {

// RFC 9110 token characters (method and header names).
bool isTokenChar(char c)
{
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
        return true;
    return QByteArrayView("!#$%&'*+-.^_`|~").contains(c);
}

bool isToken(QByteArrayView text)
{
    return !text.isEmpty() && std::all_of(text.begin(), text.end(), isTokenChar);
}

bool isDigits(QByteArrayView text)
{
    return !text.isEmpty() &&
           std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// Comma-separated header tokens, compared case-insensitively ("Connection: keep-alive, Upgrade").
bool hasToken(const QByteArray &value, QByteArrayView token)
{
    for (const QByteArray &part : value.split(',')) {
        if (part.trimmed().compare(token, Qt::CaseInsensitive) == 0)
            return true;
    }
    return false;
}

QByteArrayView trimmedSpaces(QByteArrayView text)
{
    while (!text.isEmpty() && (text.front() == ' ' || text.front() == '\t'))
        text = text.sliced(1);
    while (!text.isEmpty() && (text.back() == ' ' || text.back() == '\t'))
        text.chop(1);
    return text;
}

int hexValue(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

// The path of an origin-form request target ("/a/b?q"), percent-decoded; nullopt when it is not
// one, has a broken escape, is not UTF-8 or decodes to control characters.
std::optional<QString> decodedPath(QByteArrayView target)
{
    if (target.isEmpty() || target.front() != '/')
        return std::nullopt;
    for (char c : target) {
        if (c <= ' ' || c >= 0x7f) // visible ASCII only; a signed char >= 0x80 is negative
            return std::nullopt;
    }
    const qsizetype end = std::min(target.indexOf('?') < 0 ? target.size() : target.indexOf('?'),
                                   target.indexOf('#') < 0 ? target.size() : target.indexOf('#'));
    QByteArray bytes;
    bytes.reserve(end);
    for (qsizetype i = 0; i < end; ++i) {
        if (target.at(i) != '%') {
            bytes += target.at(i);
            continue;
        }
        if (i + 2 >= end)
            return std::nullopt;
        const int high = hexValue(target.at(i + 1));
        const int low = hexValue(target.at(i + 2));
        if (high < 0 || low < 0)
            return std::nullopt;
        bytes += char(high * 16 + low);
        i += 2;
    }
    QStringDecoder decoder(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
    QString path = decoder.decode(bytes);
    if (decoder.hasError())
        return std::nullopt;
    if (std::any_of(path.begin(), path.end(),
                    [](QChar c) { return c.unicode() < 0x20 || c.unicode() == 0x7f; }))
        return std::nullopt;
    return path;
}

// A Host field value: uri-host [ ":" port ] (RFC 9110, 7.2), possibly empty; a bracketed IPv6
// literal included. Not checked further: the server answers the same whatever the name.
bool isHostValue(QByteArrayView value)
{
    return std::all_of(value.begin(), value.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
               QByteArrayView("-._~!$&'()*+,;=:[]%").contains(c);
    });
}

HttpRequestParser::Refusal badRequest(const QString &message)
{
    return {400, u"bad_request"_s, message};
}

} // namespace

HttpRequestParser::HttpRequestParser()
    : HttpRequestParser(Limits{})
{}

HttpRequestParser::HttpRequestParser(const Limits &limits)
    : m_limits(limits)
{}

void HttpRequestParser::feed(QByteArrayView bytes)
{
    if (!m_refused)
        m_buffer.append(bytes);
}

bool HttpRequestParser::midRequest() const
{
    return m_haveHead || bufferedBytes() > 0;
}

bool HttpRequestParser::takeContinueRequest()
{
    return std::exchange(m_continueWanted, false);
}

void HttpRequestParser::compact()
{
    // Drop what was parsed, but not byte by byte for every pipelined request.
    if (m_offset > 0 && (m_offset == m_buffer.size() || m_offset >= 64 * 1024)) {
        m_buffer.remove(0, m_offset);
        m_scanFrom = std::max<qsizetype>(0, m_scanFrom - m_offset);
        m_offset = 0;
    }
}

HttpRequestParser::Step HttpRequestParser::next(Parsed *parsed, Refusal *refusal)
{
    if (m_refused) {
        *refusal = badRequest(u"The connection can no longer be read."_s);
        return Step::Refused;
    }
    const qsizetype size = m_buffer.size();
    if (!m_haveHead) {
        // Empty lines before a request are allowed (RFC 9112, 2.2).
        while (m_offset < size && (m_buffer.at(m_offset) == '\r' || m_buffer.at(m_offset) == '\n'))
            ++m_offset;
        if (m_offset == size) {
            compact();
            return Step::NeedMore;
        }
        // The head ends at the first empty line: "\n\n" or "\n\r\n".
        qsizetype headEnd = -1;   // the newline that ends the last header line
        qsizetype bodyStart = -1; // just after the empty line
        for (qsizetype i = std::max(m_offset, m_scanFrom - 2); i < size; ++i) {
            if (m_buffer.at(i) != '\n')
                continue;
            if (i + 1 < size && m_buffer.at(i + 1) == '\n') {
                headEnd = i;
                bodyStart = i + 2;
                break;
            }
            if (i + 2 < size && m_buffer.at(i + 1) == '\r' && m_buffer.at(i + 2) == '\n') {
                headEnd = i;
                bodyStart = i + 3;
                break;
            }
        }
        const qsizetype headBytes = (bodyStart < 0 ? size : bodyStart) - m_offset;
        if (headBytes > m_limits.maxHeaderBytes) {
            m_refused = true;
            *refusal = {
                431, u"headers_too_large"_s,
                u"The request headers are larger than %1 bytes."_s.arg(m_limits.maxHeaderBytes)};
            return Step::Refused;
        }
        if (bodyStart < 0) {
            m_scanFrom = size;
            compact();
            return Step::NeedMore;
        }
        if (std::optional<Refusal> refused =
                parseHead(QByteArrayView(m_buffer).sliced(m_offset, headEnd - m_offset))) {
            m_refused = true;
            *refusal = std::move(*refused);
            return Step::Refused;
        }
        m_offset = bodyStart;
        m_scanFrom = m_offset;
        m_haveHead = true;
    }
    if (size - m_offset < m_bodyLength)
        return Step::NeedMore;
    m_head.request.body = m_buffer.mid(m_offset, m_bodyLength);
    m_offset += m_bodyLength;
    m_scanFrom = m_offset;
    m_haveHead = false;
    m_continueWanted = false;
    *parsed = std::exchange(m_head, Parsed{});
    compact();
    return Step::Request;
}

std::optional<HttpRequestParser::Refusal> HttpRequestParser::parseHead(QByteArrayView head)
{
    QList<QByteArrayView> lines;
    while (true) {
        const qsizetype newline = head.indexOf('\n');
        QByteArrayView line = newline < 0 ? head : head.first(newline);
        if (line.endsWith('\r'))
            line.chop(1);
        if (line.contains('\r'))
            return badRequest(u"A bare carriage return in the request head."_s);
        lines.append(line);
        if (newline < 0)
            break;
        head = head.sliced(newline + 1);
    }
    if (lines.size() - 1 > m_limits.maxHeaderCount) {
        return Refusal{431, u"headers_too_large"_s,
                       u"A request may have at most %1 headers."_s.arg(m_limits.maxHeaderCount)};
    }

    // request-line = method SP request-target SP HTTP-version
    const QByteArrayView requestLine = lines.first();
    const qsizetype firstSpace = requestLine.indexOf(' ');
    const qsizetype lastSpace = requestLine.lastIndexOf(' ');
    if (firstSpace <= 0 || lastSpace <= firstSpace + 1)
        return badRequest(u"The request line is not valid HTTP/1.1."_s);
    const QByteArrayView method = requestLine.first(firstSpace);
    const QByteArrayView target = requestLine.sliced(firstSpace + 1, lastSpace - firstSpace - 1);
    const QByteArrayView version = requestLine.sliced(lastSpace + 1);
    if (!isToken(method) || method.size() > 32)
        return badRequest(u"The request method is not valid."_s);
    if (version != "HTTP/1.1" && version != "HTTP/1.0") {
        if (version.size() == 8 && version.startsWith("HTTP/") && isDigits(version.sliced(5, 1)) &&
            version.at(6) == '.' && isDigits(version.sliced(7, 1))) {
            return Refusal{505, u"http_version_not_supported"_s,
                           u"Only HTTP/1.1 and HTTP/1.0 are spoken here."_s};
        }
        return badRequest(u"The request line is not valid HTTP/1.1."_s);
    }
    const std::optional<QString> path = decodedPath(target);
    if (!path)
        return badRequest(u"The request target must be a path such as /api/tabs."_s);

    Parsed parsed;
    parsed.request.method = method.toByteArray();
    parsed.request.path = *path;
    // The query (after '?', before any '#'), still percent-encoded: read with QUrlQuery.
    if (const qsizetype mark = target.indexOf('?'); mark >= 0) {
        const qsizetype hash = target.indexOf('#');
        parsed.request.query = QString::fromLatin1(
            target.sliced(mark + 1, (hash > mark ? hash : target.size()) - mark - 1));
    }
    QByteArray connection;
    int hostFields = 0;
    std::optional<qint64> contentLength;
    bool expectContinue = false;
    for (qsizetype n = 1; n < lines.size(); ++n) {
        const QByteArrayView line = lines.at(n);
        if (line.startsWith(' ') || line.startsWith('\t'))
            return badRequest(u"Folded header lines are not accepted."_s);
        const qsizetype colon = line.indexOf(':');
        if (colon <= 0 || !isToken(line.first(colon)))
            return badRequest(u"A request header is malformed."_s);
        const QByteArrayView value = trimmedSpaces(line.sliced(colon + 1));
        if (std::any_of(value.begin(), value.end(),
                        [](char c) { return (c >= 0 && c < 0x20 && c != '\t') || c == 0x7f; }))
            return badRequest(u"A request header contains control characters."_s);
        const QByteArray name = line.first(colon).toByteArray().toLower();
        if (name == "content-length") {
            if (!isDigits(value) || value.size() > 15)
                return badRequest(u"The Content-Length header is invalid."_s);
            const qint64 length = value.toLongLong();
            if (contentLength && *contentLength != length)
                return badRequest(u"The Content-Length header is invalid."_s);
            contentLength = length;
        } else if (name == "transfer-encoding") {
            return Refusal{411, u"length_required"_s,
                           u"Chunked request bodies are not accepted; send a Content-Length."_s};
        } else if (name == "upgrade") {
            return Refusal{501, u"not_implemented"_s, u"Protocol upgrades are not supported."_s};
        } else if (name == "host") {
            // More than one Host, or one that is not a host, is refused (RFC 9112, 3.2).
            if (++hostFields > 1 || !isHostValue(value))
                return badRequest(u"The Host header is invalid."_s);
        } else if (name == "connection") {
            connection += value.toByteArray() + ',';
        } else if (name == "expect") {
            if (value.compare("100-continue", Qt::CaseInsensitive) != 0) {
                return Refusal{417, u"expectation_failed"_s,
                               u"Only \u201cExpect: 100-continue\u201d is understood."_s};
            }
            expectContinue = true;
        }
        // Repeated fields combine into one comma-separated value (RFC 9110, 5.3).
        QByteArray &stored = parsed.request.headers[name];
        stored = stored.isEmpty() ? value.toByteArray() : stored + ", " + value.toByteArray();
    }
    // An HTTP/1.1 request must name its host (RFC 9112, 3.2); HTTP/1.0 predates the header.
    if (version == "HTTP/1.1" && hostFields == 0)
        return badRequest(u"An HTTP/1.1 request needs a Host header."_s);
    if (method == "HEAD" || method == "CONNECT")
        return Refusal{405, u"method_not_allowed"_s, u"This method is not supported here."_s};
    const qint64 length = contentLength.value_or(0);
    if (length > m_limits.maxBodyBytes) {
        return Refusal{413, u"body_too_large"_s,
                       u"The request body is larger than %1 bytes."_s.arg(m_limits.maxBodyBytes)};
    }
    parsed.closeAfter =
        version == "HTTP/1.0" ? !hasToken(connection, "keep-alive") : hasToken(connection, "close");
    m_bodyLength = length;
    m_continueWanted = expectContinue && length > 0;
    m_head = std::move(parsed);
    return std::nullopt;
}

} // namespace SafeTill
