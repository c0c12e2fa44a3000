// A real safetill-server process on 127.0.0.1 and a raw HTTP/1.1 client for it, shared by the
// server test suites (QNetworkAccessManager would silently re-send requests and hide what the
// server really did). Needs SAFETILL_SERVER_PATH (tests/CMakeLists.txt).
// Every response the client receives is checked against docs/openapi.json (OpenApiValidator):
// a status, header or body the document does not describe fails the running test.
#pragma once

#include "OpenApiValidator.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QHash>
#include <QHostAddress>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>
#include <QUrl>

#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <utility>

namespace SafeTill::Test {

using namespace Qt::StringLiterals;

using Headers = QList<QPair<QByteArray, QByteArray>>;

struct Response
{
    int status = 0; // 0: no (complete) response
    QHash<QByteArray, QByteArray> headers;
    QByteArray body;
    QJsonObject json() const { return QJsonDocument::fromJson(body).object(); }
    QByteArray header(const QByteArray &name) const { return headers.value(name.toLower()); }
};

// Answers that did not match docs/openapi.json. On the test's (main) thread they fail the running
// test at once; other threads' wait here until the main thread next receives or stops a server.
class ApiConformance
{
public:
    static void report(const QStringList &problems)
    {
        if (problems.isEmpty())
            return;
        {
            std::lock_guard lock(mutex());
            pending().append(problems);
        }
        flush();
    }
    static void flush()
    {
        if (!QCoreApplication::instance() ||
            QThread::currentThread() != QCoreApplication::instance()->thread())
            return;
        QStringList problems;
        {
            std::lock_guard lock(mutex());
            problems.swap(pending());
        }
        if (problems.isEmpty())
            return;
        const QString message = u"The server's answer does not match docs/openapi.json:\n  "_s +
                                problems.mid(0, 20).join(u"\n  "_s) +
                                (problems.size() > 20 ? u"\n  ..."_s : QString());
        if (QTest::currentTestFunction())
            QTest::qFail(qPrintable(message), __FILE__, __LINE__);
        else
            qFatal("%s", qPrintable(message)); // outside a test function: still a failure
    }

private:
    static std::mutex &mutex()
    {
        static std::mutex lock;
        return lock;
    }
    static QStringList &pending()
    {
        static QStringList list;
        return list;
    }
};

// One keep-alive connection with byte-level control over what is sent.
class HttpClient
{
public:
    explicit HttpClient(quint16 port)
    {
        m_socket.connectToHost(QHostAddress::LocalHost, port);
        m_socket.waitForConnected(5000);
    }
    bool isConnected() const { return m_socket.state() == QAbstractSocket::ConnectedState; }

    // Bytes as they are; the requests in them (as far as they can be read) are remembered, so
    // that their answers are checked against the operation they address.
    void sendRaw(const QByteArray &bytes)
    {
        noteRawRequests(bytes);
        write(bytes);
    }
    void send(const QByteArray &method, const QString &path, const QByteArray &body = {},
              const Headers &headers = {})
    {
        QByteArray request = method + ' ' + path.toUtf8() + " HTTP/1.1\r\nHost: 127.0.0.1\r\n";
        for (const auto &[name, value] : headers)
            request += name + ": " + value + "\r\n";
        if (!body.isEmpty() || method != "GET")
            request += "Content-Length: " + QByteArray::number(body.size()) + "\r\n";
        request += "\r\n" + body;
        m_sent.push_back(
            Sent{method, QUrl::fromPercentEncoding(path.section(u'?', 0, 0).toUtf8())});
        write(request);
    }
    Response receive(int timeoutMs = 30000)
    {
        QElapsedTimer timer;
        timer.start();
        Response response;
        qsizetype headEnd = -1;
        while ((headEnd = m_buffer.indexOf("\r\n\r\n")) < 0) {
            if (!readMore(timer, timeoutMs))
                return response;
        }
        const QList<QByteArray> lines = m_buffer.left(headEnd).split('\n');
        const QList<QByteArray> statusLine = lines.value(0).trimmed().split(' ');
        for (qsizetype i = 1; i < lines.size(); ++i) {
            const QByteArray line = lines.at(i).trimmed();
            const qsizetype colon = line.indexOf(':');
            response.headers.insert(line.left(colon).trimmed().toLower(),
                                    line.mid(colon + 1).trimmed());
        }
        const qsizetype length = response.headers.value("content-length").toLongLong();
        while (m_buffer.size() < headEnd + 4 + length) {
            if (!readMore(timer, timeoutMs))
                return response;
        }
        response.body = m_buffer.mid(headEnd + 4, length);
        m_buffer.remove(0, headEnd + 4 + length);
        response.status = statusLine.value(1).toInt();
        if (response.status >= 200)
            check(response);
        return response;
    }
    Response request(const QByteArray &method, const QString &path, const QByteArray &body = {},
                     const Headers &headers = {})
    {
        send(method, path, body, headers);
        return receive();
    }
    // True when the server closes the connection within the time (after any pending data).
    bool waitClosed(int timeoutMs)
    {
        QElapsedTimer timer;
        timer.start();
        while (m_socket.state() != QAbstractSocket::UnconnectedState) {
            if (timer.elapsed() > timeoutMs)
                return false;
            m_socket.waitForReadyRead(50);
            m_buffer += m_socket.readAll();
        }
        return true;
    }
    void abort() { m_socket.abort(); }

private:
    struct Sent
    {
        QByteArray method; // empty: a request that cannot be read
        QString path;
    };

    void write(const QByteArray &bytes)
    {
        m_socket.write(bytes);
        m_socket.waitForBytesWritten(5000);
    }

    // Frames the raw bytes sent like a lenient server would: request line, head, Content-Length
    // body. What cannot be framed is one unreadable request, and nothing after it is.
    void noteRawRequests(const QByteArray &bytes)
    {
        if (m_rawBroken)
            return;
        m_raw += bytes;
        while (true) {
            qsizetype start = 0;
            while (start < m_raw.size() && (m_raw.at(start) == '\r' || m_raw.at(start) == '\n'))
                ++start;
            // The head ends at the first empty line, "\n\n" or "\n\r\n" (as the server reads it).
            qsizetype headEnd = -1;
            qsizetype bodyStart = -1;
            for (qsizetype i = start; i < m_raw.size() && headEnd < 0; ++i) {
                if (m_raw.at(i) != '\n')
                    continue;
                if (m_raw.mid(i + 1, 1) == "\n") {
                    headEnd = i;
                    bodyStart = i + 2;
                } else if (m_raw.mid(i + 1, 2) == "\r\n") {
                    headEnd = i;
                    bodyStart = i + 3;
                }
            }
            if (headEnd < 0)
                return;
            const QList<QByteArray> lines = m_raw.mid(start, headEnd - start).split('\n');
            const QList<QByteArray> requestLine = lines.value(0).trimmed().split(' ');
            qsizetype length = 0;
            bool readable = requestLine.size() == 3 && requestLine.at(1).startsWith('/') &&
                            requestLine.at(2).startsWith("HTTP/");
            for (qsizetype i = 1; i < lines.size(); ++i) {
                const QByteArray line = lines.at(i).trimmed();
                const QByteArray name = line.left(line.indexOf(':')).trimmed().toLower();
                if (name == "content-length")
                    length = line.mid(line.indexOf(':') + 1).trimmed().toLongLong(&readable);
                else if (name == "transfer-encoding")
                    readable = false;
            }
            if (!readable || length < 0) {
                m_sent.push_back(Sent{});
                m_rawBroken = true;
                m_raw.clear();
                return;
            }
            if (m_raw.size() < bodyStart + length)
                return;
            const QByteArray target = requestLine.at(1).split('?').first().split('#').first();
            m_sent.push_back(Sent{requestLine.at(0), QUrl::fromPercentEncoding(target)});
            m_raw.remove(0, bodyStart + length);
        }
    }

    void check(const Response &response)
    {
        Sent sent;
        if (!m_sent.empty()) {
            sent = m_sent.front();
            m_sent.pop_front();
        }
        ApiConformance::report(OpenApiDocument::shared().checkResponse(
            sent.method, sent.path, response.status, response.headers, response.body));
        ApiConformance::flush();
    }

    bool readMore(const QElapsedTimer &timer, int timeoutMs)
    {
        if (m_socket.bytesAvailable() == 0) {
            if (timer.elapsed() > timeoutMs)
                return false;
            if (!m_socket.waitForReadyRead(int(qMax<qint64>(1, timeoutMs - timer.elapsed()))) &&
                m_socket.bytesAvailable() == 0)
                return false;
        }
        m_buffer += m_socket.readAll();
        return true;
    }

    QTcpSocket m_socket;
    QByteArray m_buffer;
    std::deque<Sent> m_sent; // requests sent whose answers have not been received
    QByteArray m_raw;        // raw bytes not yet framed into a request
    bool m_rawBroken = false;
};

inline Headers bearer(const QByteArray &token, Headers more = {})
{
    more.prepend({"Authorization", "Bearer " + token});
    return more;
}

inline QByteArray json(const QJsonObject &object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

// A safetill-server process on 127.0.0.1 and a port of its choosing.
class ServerProcess
{
public:
    // Starts the server (again, after stop() or kill(): the log goes on in the same file).
    bool start(const QString &database, const QStringList &extra = {})
    {
        if (!m_log)
            m_log = std::make_unique<QTemporaryDir>();
        m_process.setProgram(QStringLiteral(SAFETILL_SERVER_PATH));
        m_process.setArguments(QStringList{u"--listen"_s, u"127.0.0.1:0"_s, u"--db"_s, database} +
                               extra);
        m_process.setStandardErrorFile(m_log->filePath(u"server.log"_s), QIODevice::Append);
        m_process.start();
        if (!m_process.waitForStarted(5000))
            return false;
        QByteArray out;
        QElapsedTimer timer;
        timer.start();
        while (!out.contains('\n') && timer.elapsed() < 20000) {
            m_process.waitForReadyRead(100);
            out += m_process.readAllStandardOutput();
            if (m_process.state() != QProcess::Running)
                break;
        }
        const qsizetype colon = out.trimmed().lastIndexOf(':');
        m_port = quint16(out.trimmed().mid(colon + 1).toUInt());
        return m_port != 0;
    }
    // For the next start(): e.g. QT_LOGGING_RULES to switch on a debug log.
    void setEnvironmentVariable(const QString &name, const QString &value)
    {
        QProcessEnvironment environment = m_process.processEnvironment();
        if (environment.isEmpty())
            environment = QProcessEnvironment::systemEnvironment();
        environment.insert(name, value);
        m_process.setProcessEnvironment(environment);
    }
    // SIGTERM, then the exit status (0 after a graceful shutdown).
    int stop()
    {
        ApiConformance::flush();
        if (m_process.state() == QProcess::NotRunning)
            return m_process.exitCode();
        m_process.terminate();
        if (!m_process.waitForFinished(15000)) {
            m_process.kill();
            m_process.waitForFinished();
            return -1;
        }
        return m_process.exitStatus() == QProcess::NormalExit ? m_process.exitCode() : -2;
    }
    // SIGKILL: a crash, with no graceful shutdown.
    void kill()
    {
        if (m_process.state() == QProcess::NotRunning)
            return;
        m_process.kill();
        m_process.waitForFinished(10000);
    }
    ~ServerProcess() { stop(); }
    quint16 port() const { return m_port; }
    // The end of the server's log (stderr), at most `tail` bytes.
    QString log(qsizetype tail = 4000) const
    {
        if (!m_log)
            return {};
        QFile file(m_log->filePath(u"server.log"_s));
        return file.open(QIODevice::ReadOnly) ? QString::fromUtf8(file.readAll().right(tail))
                                              : QString();
    }
    bool running() const { return m_process.state() == QProcess::Running; }
    qint64 pid() const { return m_process.processId(); }

private:
    QProcess m_process;
    std::unique_ptr<QTemporaryDir> m_log;
    quint16 m_port = 0;
};

// Runs an admin command of safetill-server with `input` on its standard input (a PIN, for user
// add); returns exit code and stdout.
inline std::pair<int, QByteArray> runAdmin(const QStringList &arguments,
                                           const QByteArray &input = {})
{
    QProcess process;
    process.start(QStringLiteral(SAFETILL_SERVER_PATH), arguments);
    process.waitForStarted(10000);
    process.write(input);
    process.closeWriteChannel();
    process.waitForFinished(30000);
    return {process.exitCode(), process.readAllStandardOutput()};
}

} // namespace SafeTill::Test
