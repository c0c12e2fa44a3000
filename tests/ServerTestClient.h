// A real safetill-server process on 127.0.0.1 and a raw HTTP/1.1 client for it, shared by the
// server test suites (QNetworkAccessManager would silently re-send requests and hide what the
// server really did). Needs SAFETILL_SERVER_PATH (tests/CMakeLists.txt).
#pragma once

#include <QElapsedTimer>
#include <QFile>
#include <QHash>
#include <QHostAddress>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTcpSocket>
#include <QTemporaryDir>

#include <memory>
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

    void sendRaw(const QByteArray &bytes)
    {
        m_socket.write(bytes);
        m_socket.waitForBytesWritten(5000);
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
        sendRaw(request);
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
