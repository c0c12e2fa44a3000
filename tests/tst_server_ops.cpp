// safetill-server as an operator runs it (issue 13, "Observable"): the Prometheus /metrics (on
// the main port or a listener of its own), log lines the systemd journal understands, systemd
// readiness (Type=notify) and the TLS certificate reloaded on SIGHUP. Every test runs the real
// server process and speaks HTTP on 127.0.0.1; on SQLite, and on PostgreSQL as tst_server_ops_pg.

#include "ServerTestClient.h"
#include "TestSupport.h"

#include <QDateTime>
#include <QFile>
#include <QJsonArray>
#include <QMap>
#include <QProcess>
#include <QRegularExpression>
#include <QSslCertificate>
#include <QSslConfiguration>
#include <QSslSocket>
#include <QTemporaryDir>
#include <QTest>
#include <QUuid>

#include <csignal>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

using namespace Qt::StringLiterals;
using namespace SafeTill;
using namespace SafeTill::Test;

namespace {

// A scrape: "name{labels}" -> value, every sample line checked against the text format 0.0.4.
struct Scrape
{
    QMap<QString, double> samples;
    QStringList badLines;
    QString contentType;
    QByteArray text;
    double value(const QString &series) const { return samples.value(series, 0.0); }
};

Scrape parseMetrics(const Response &response)
{
    static const QRegularExpression sample(
        uR"(^([a-zA-Z_:][a-zA-Z0-9_:]*(?:\{[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\.)*")"
        uR"((?:,[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\.)*")*\})?) )"
        uR"(([-+]?[0-9]+(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?|\+Inf|-Inf|NaN)$)"_s);
    static const QRegularExpression comment(
        uR"(^# (?:HELP [a-zA-Z_:][a-zA-Z0-9_:]* .*|TYPE [a-zA-Z_:][a-zA-Z0-9_:]* )"
        uR"((?:counter|gauge|histogram|summary|untyped))$)"_s);
    Scrape scrape;
    scrape.text = response.body;
    scrape.contentType = QString::fromLatin1(response.header("content-type"));
    for (const QByteArray &raw : response.body.split('\n')) {
        const QString line = QString::fromUtf8(raw);
        if (line.isEmpty())
            continue;
        if (line.startsWith(u'#')) {
            if (!comment.match(line).hasMatch())
                scrape.badLines.append(line);
            continue;
        }
        const QRegularExpressionMatch match = sample.match(line);
        if (!match.hasMatch()) {
            scrape.badLines.append(line);
            continue;
        }
        scrape.samples.insert(match.captured(1), match.captured(2).toDouble());
    }
    return scrape;
}

QString requests(const char *method, const char *route, int status)
{
    return uR"(safetill_http_requests_total{method="%1",route="%2",status="%3"})"_s.arg(
        QLatin1StringView(method), QLatin1StringView(route), QString::number(status));
}

QString latencyCount(const char *method, const char *route)
{
    return uR"(safetill_http_request_duration_seconds_count{method="%1",route="%2"})"_s.arg(
        QLatin1StringView(method), QLatin1StringView(route));
}

// Waits (at most 10 s) until the server's log has the text; returns the log.
QString waitForLog(const std::function<QString()> &log, const QString &text, int count = 1)
{
    QElapsedTimer timer;
    timer.start();
    QString current = log();
    while (current.count(text) < count && timer.elapsed() < 10000) {
        QTest::qWait(50);
        current = log();
    }
    return current;
}

QString readFile(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? QString::fromUtf8(file.readAll()) : QString();
}

// A safetill-server whose stderr goes to a file of the test's choosing (known before it starts,
// for JOURNAL_STREAM) and whose environment the test sets.
class RawServer
{
public:
    RawServer(const QString &database, const QStringList &extra,
              const QProcessEnvironment &environment, const QString &stderrFile)
    {
        m_process.setProgram(QStringLiteral(SAFETILL_SERVER_PATH));
        m_process.setArguments(QStringList{u"--listen"_s, u"127.0.0.1:0"_s, u"--db"_s, database} +
                               extra);
        m_process.setProcessEnvironment(environment);
        m_process.setStandardErrorFile(stderrFile, QIODevice::Append);
        m_process.start();
        m_process.waitForStarted(5000);
    }
    ~RawServer()
    {
        if (m_process.state() != QProcess::NotRunning) {
            m_process.kill();
            m_process.waitForFinished(10000);
        }
    }
    // The port from the "Listening on" line (0 if none came within 20 s).
    quint16 waitListening()
    {
        QElapsedTimer timer;
        timer.start();
        while (!m_out.contains('\n') && timer.elapsed() < 20000 &&
               m_process.state() == QProcess::Running) {
            m_process.waitForReadyRead(100);
            m_out += m_process.readAllStandardOutput();
        }
        const QByteArray line = m_out.left(m_out.indexOf('\n')).trimmed();
        return quint16(line.mid(line.lastIndexOf(':') + 1).toUInt());
    }
    int terminate()
    {
        m_process.terminate();
        if (!m_process.waitForFinished(15000))
            return -1;
        return m_process.exitStatus() == QProcess::NormalExit ? m_process.exitCode() : -2;
    }
    QProcess &process() { return m_process; }

private:
    QProcess m_process;
    QByteArray m_out;
};

// A unix datagram socket for NOTIFY_SOCKET, as systemd's: the test reads what sd_notify sends.
class NotifySocket
{
public:
    explicit NotifySocket(const QString &path)
        : m_path(path)
    {
        m_fd = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        sockaddr_un address = {};
        address.sun_family = AF_UNIX;
        const QByteArray encoded = QFile::encodeName(path);
        if (m_fd < 0 || size_t(encoded.size()) >= sizeof(address.sun_path))
            return;
        std::copy(encoded.begin(), encoded.end(), address.sun_path);
        if (::bind(m_fd, reinterpret_cast<sockaddr *>(&address), sizeof(address)) != 0) {
            ::close(m_fd);
            m_fd = -1;
        }
    }
    ~NotifySocket()
    {
        if (m_fd >= 0)
            ::close(m_fd);
    }
    bool isValid() const { return m_fd >= 0; }
    // The next datagram, or empty after timeoutMs.
    QByteArray receive(int timeoutMs)
    {
        pollfd watched = {m_fd, POLLIN, 0};
        if (::poll(&watched, 1, timeoutMs) <= 0)
            return {};
        char buffer[4096];
        const ssize_t got = ::recv(m_fd, buffer, sizeof(buffer), 0);
        return got > 0 ? QByteArray(buffer, got) : QByteArray();
    }
    // Datagrams until one contains `wanted` (at most timeoutMs in all); all of them, in order.
    QList<QByteArray> receiveUntil(const QByteArray &wanted, int timeoutMs)
    {
        QList<QByteArray> received;
        QElapsedTimer timer;
        timer.start();
        while (timer.elapsed() < timeoutMs) {
            const QByteArray datagram = receive(int(qMax<qint64>(1, timeoutMs - timer.elapsed())));
            if (datagram.isEmpty())
                continue;
            received.append(datagram);
            if (datagram.split('\n').contains(wanted))
                break;
        }
        return received;
    }

private:
    QString m_path;
    int m_fd = -1;
};

// A self-signed certificate for 127.0.0.1 named `name`, its key readable by its owner only.
bool makeCertificate(const QString &name, const QString &certPath, const QString &keyPath)
{
    QProcess openssl;
    openssl.start(u"openssl"_s,
                  {u"req"_s, u"-x509"_s, u"-newkey"_s, u"ec"_s, u"-pkeyopt"_s,
                   u"ec_paramgen_curve:prime256v1"_s, u"-nodes"_s, u"-days"_s, u"1"_s, u"-subj"_s,
                   u"/CN="_s + name, u"-addext"_s, u"subjectAltName=IP:127.0.0.1"_s, u"-keyout"_s,
                   keyPath, u"-out"_s, certPath});
    if (!openssl.waitForFinished(30000) || openssl.exitCode() != 0)
        return false;
    return QFile::setPermissions(keyPath, QFile::ReadOwner | QFile::WriteOwner);
}

// Replaces `to`'s content with `from`'s (the file stays, with its mode): as a renewal does.
bool copyContent(const QString &from, const QString &to)
{
    QFile source(from);
    QFile target(to);
    if (!source.open(QIODevice::ReadOnly) ||
        !target.open(QIODevice::WriteOnly | QIODevice::Truncate))
        return false;
    return target.write(source.readAll()) >= 0;
}

// The certificate a new TLS connection to the port is served (null if the handshake fails).
QSslCertificate servedCertificate(quint16 port)
{
    QSslSocket socket;
    QSslConfiguration configuration = QSslConfiguration::defaultConfiguration();
    configuration.setPeerVerifyMode(QSslSocket::VerifyNone); // the test compares it itself
    socket.setSslConfiguration(configuration);
    socket.connectToHostEncrypted(u"127.0.0.1"_s, port);
    if (!socket.waitForEncrypted(10000))
        return QSslCertificate();
    return socket.peerCertificate();
}

QString commonName(const QSslCertificate &certificate)
{
    return certificate.subjectInfo(QSslCertificate::CommonName).value(0);
}

// Waits (at most 10 s) until new connections are served the certificate named `name`.
QString waitForServedName(quint16 port, const QString &name)
{
    QElapsedTimer timer;
    timer.start();
    QString served = commonName(servedCertificate(port));
    while (served != name && timer.elapsed() < 10000) {
        QTest::qWait(100);
        served = commonName(servedCertificate(port));
    }
    return served;
}

QJsonObject teleportOp(int seq)
{
    // An op kind no server knows: rejected ("unsupported_op"), whatever the database holds.
    return {{u"request_id"_s, QUuid::createUuid().toString(QUuid::WithoutBraces)},
            {u"seq"_s, seq},
            {u"op"_s, u"teleport"_s},
            {u"order_id"_s, QUuid::createUuid().toString(QUuid::WithoutBraces)},
            {u"created_at"_s, u"2026-11-29T10:15:02.123Z"_s},
            {u"payload"_s, QJsonObject{{u"format"_s, 1}}}};
}

} // namespace

class ServerOpsTest : public QObject
{
    Q_OBJECT

private:
    Scrape scrape(quint16 port)
    {
        HttpClient client(port);
        const Response response = client.request("GET", u"/metrics"_s);
        if (response.status != 200)
            qWarning() << "GET /metrics answered" << response.status << response.body;
        return parseMetrics(response);
    }

private Q_SLOTS:
    void initTestCase() { SAFETILL_REQUIRE_TEST_BACKEND(); }
    void metricsCountWhatWasSent();
    void metricsOnTheirOwnListener();
    void journalLogLines();
    void readableLogLinesWithoutJournal();
    void systemdReadinessAndStopping();
    void tlsCertificateReloadsOnHangUp();
};

void ServerOpsTest::metricsCountWhatWasSent()
{
    TestDatabase db;
    ServerProcess server;
    QVERIFY2(server.start(db.path()), qPrintable(server.log()));
    const quint16 port = server.port();
    const auto [added, deviceToken] =
        runAdmin({u"--db"_s, db.path(), u"device"_s, u"add"_s, u"Metrics till"_s});
    QCOMPARE(added, 0);

    // A path with an id: counted under its template, never its raw path. (Apart: whether a
    // request without a token takes a place in a write batch is not this test's business.)
    const Scrape start = scrape(port);
    {
        HttpClient client(port);
        QCOMPARE(client.request("PUT", u"/api/tabs/tab-secret-4711/settle"_s, "{}").status, 401);
    }
    const Scrape before = scrape(port);
    QCOMPARE(before.value(requests("PUT", "/api/tabs/{id}/settle", 401)) -
                 start.value(requests("PUT", "/api/tabs/{id}/settle", 401)),
             1.0);
    QVERIFY2(before.badLines.isEmpty(), qPrintable(before.badLines.join(u'\n')));
    QVERIFY2(before.contentType.startsWith(u"text/plain; version=0.0.4"_s),
             qPrintable(before.contentType));
    QVERIFY(before.samples.contains(u"process_start_time_seconds"_s));
    QVERIFY(before.samples.contains(u"safetill_database_reconnects_total"_s));

    // Known traffic, on one keep-alive connection.
    HttpClient client(port);
    for (int i = 0; i < 5; ++i)
        QCOMPARE(client.request("GET", u"/healthz"_s).status, 200);
    for (int i = 0; i < 3; ++i)
        QCOMPARE(client.request("GET", u"/no/such/path-%1"_s.arg(i)).status, 404);
    QCOMPARE(client.request("DELETE", u"/healthz"_s).status, 405);
    const Response login = client.request(
        "POST", u"/api/auth/login"_s, json({{u"username"_s, u"Alice"_s}, {u"pin"_s, u"1234"_s}}));
    QCOMPARE(login.status, 200);
    const QByteArray token = login.json().value(u"token"_s).toString().toLatin1();
    QCOMPARE(client.request("POST", u"/api/order-sessions"_s, {}, bearer(token)).status, 200);
    for (int i = 0; i < 4; ++i)
        QCOMPARE(client
                     .request("POST", u"/api/order-sessions/current/items"_s,
                              json({{u"sku"_s, u"COF-ESP"_s}, {u"qty"_s, 1}}), bearer(token))
                     .status,
                 200);
    // Five wrong PINs lock Bob (the user limit): one lockout; the sixth try is refused.
    for (int i = 0; i < 5; ++i)
        QCOMPARE(client
                     .request("POST", u"/api/auth/login"_s,
                              json({{u"username"_s, u"Bob"_s}, {u"pin"_s, u"0000"_s}}))
                     .status,
                 401);
    QCOMPARE(client
                 .request("POST", u"/api/auth/login"_s,
                          json({{u"username"_s, u"Bob"_s}, {u"pin"_s, u"0000"_s}}))
                 .status,
             429);
    // Two ops of a kind the server does not know: two rejected.
    const Response pushed = client.request(
        "POST", u"/api/sync/v1/push"_s,
        json({{u"protocol"_s, 2}, {u"ops"_s, QJsonArray{teleportOp(1), teleportOp(2)}}}),
        bearer(deviceToken.trimmed()));
    QCOMPARE(pushed.status, 200);

    const Scrape after = scrape(port);
    QVERIFY2(after.badLines.isEmpty(), qPrintable(after.badLines.join(u'\n')));
    auto moved = [&](const QString &series) { return after.value(series) - before.value(series); };
    QCOMPARE(moved(requests("GET", "/healthz", 200)), 5.0);
    QCOMPARE(moved(requests("other", "unmatched", 404)), 3.0);
    QCOMPARE(moved(requests("other", "unmatched", 405)), 1.0);
    QCOMPARE(moved(requests("POST", "/api/auth/login", 200)), 1.0);
    QCOMPARE(moved(requests("POST", "/api/auth/login", 401)), 5.0);
    QCOMPARE(moved(requests("POST", "/api/auth/login", 429)), 1.0);
    QCOMPARE(moved(requests("POST", "/api/order-sessions", 200)), 1.0);
    QCOMPARE(moved(requests("POST", "/api/order-sessions/current/items", 200)), 4.0);
    QCOMPARE(moved(requests("POST", "/api/sync/v1/push", 200)), 1.0);
    // The first scrape is counted once it was answered, the second not yet.
    QCOMPARE(moved(requests("GET", "/metrics", 200)), 1.0);
    // Latency: one observation per request, in the histogram of its route.
    QCOMPARE(moved(latencyCount("GET", "/healthz")), 5.0);
    QCOMPARE(moved(latencyCount("POST", "/api/order-sessions/current/items")), 4.0);
    QCOMPARE(after.value(uR"(safetill_http_request_duration_seconds_bucket{method="GET",)"
                         uR"(route="/healthz",le="+Inf"})"_s),
             after.value(latencyCount("GET", "/healthz")));
    // Group commit: the open and the four adds went through the writer, one action each.
    QCOMPARE(moved(u"safetill_write_batch_size_sum"_s), 5.0);
    QVERIFY(moved(u"safetill_write_batch_size_count"_s) >= 1.0);
    QCOMPARE(moved(u"safetill_login_lockouts_total"_s), 1.0);
    QCOMPARE(moved(uR"(safetill_sync_ops_total{outcome="rejected"})"_s), 2.0);
    QCOMPARE(moved(uR"(safetill_sync_ops_total{outcome="applied"})"_s), 0.0);
    QCOMPARE(after.value(u"safetill_database_reconnects_total"_s), 0.0);
    QVERIFY(after.value(u"safetill_open_connections"_s) >= 2.0); // `client` and the scrape's
    QVERIFY(after.value(u"process_start_time_seconds"_s) <=
            double(QDateTime::currentSecsSinceEpoch()));
    QVERIFY(after.value(u"process_start_time_seconds"_s) >
            double(QDateTime::currentSecsSinceEpoch() - 3600));
    // Raw paths never become labels.
    QVERIFY(!after.text.contains("tab-secret-4711"));
    QVERIFY(!after.text.contains("/no/such/path"));
    QCOMPARE(server.stop(), 0);
}

void ServerOpsTest::metricsOnTheirOwnListener()
{
    TestDatabase db;
    ServerProcess server;
    QVERIFY2(server.start(db.path(), {u"--metrics-listen"_s, u"127.0.0.1:0"_s}),
             qPrintable(server.log()));
    static const QRegularExpression announced(uR"(metrics on http://127\.0\.0\.1:(\d+)/metrics)"_s);
    const QRegularExpressionMatch match =
        announced.match(waitForLog([&] { return server.log(); }, u"metrics on http://"_s));
    QVERIFY2(match.hasMatch(), qPrintable(server.log()));
    const quint16 metricsPort = quint16(match.captured(1).toUInt());
    QVERIFY(metricsPort != 0 && metricsPort != server.port());

    // Not on the main port...
    HttpClient api(server.port());
    QCOMPARE(api.request("GET", u"/metrics"_s).status, 404);
    for (int i = 0; i < 3; ++i)
        QCOMPARE(api.request("GET", u"/healthz"_s).status, 200);
    // ...only on its own, which serves nothing else.
    HttpClient metrics(metricsPort);
    QCOMPARE(metrics.request("GET", u"/healthz"_s).status, 404);
    QCOMPARE(metrics.request("POST", u"/metrics"_s, "{}").status, 405);
    const Response response = metrics.request("GET", u"/metrics"_s);
    QCOMPARE(response.status, 200);
    QVERIFY(!response.header("x-request-id").isEmpty());
    const Scrape scraped = parseMetrics(response);
    QVERIFY2(scraped.badLines.isEmpty(), qPrintable(scraped.badLines.join(u'\n')));
    QCOMPARE(scraped.value(requests("GET", "/healthz", 200)), 3.0);
    // The main port's /metrics counts as an unknown path; the listener's own 404 too.
    QCOMPARE(scraped.value(requests("other", "unmatched", 404)), 2.0);
    QCOMPARE(scraped.value(requests("GET", "/metrics", 405)), 1.0);
    QCOMPARE(server.stop(), 0);
}

void ServerOpsTest::journalLogLines()
{
    TestDatabase db;
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString logPath = dir.filePath(u"journal-stream"_s);
    {
        QFile create(logPath);
        QVERIFY(create.open(QIODevice::WriteOnly));
    }
    struct stat stream = {};
    QCOMPARE(::stat(QFile::encodeName(logPath).constData(), &stream), 0);
    if (!db.isPostgres()) // every local user could read it: the server warns (priority 4)
        QVERIFY(QFile::setPermissions(db.path(),
                                      QFile::ReadOwner | QFile::WriteOwner | QFile::ReadOther));
    // systemd sets JOURNAL_STREAM to DEVICE:INODE of the stream it connects to stderr.
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(u"JOURNAL_STREAM"_s,
                       u"%1:%2"_s.arg(quint64(stream.st_dev)).arg(quint64(stream.st_ino)));
    environment.insert(u"QT_LOGGING_RULES"_s, u"safetill.*.debug=false"_s);
    RawServer server(db.path(), {}, environment, logPath);
    const quint16 port = server.waitListening();
    QVERIFY2(port != 0, qPrintable(readFile(logPath)));
    HttpClient client(port);
    QCOMPARE(client.request("GET", u"/healthz"_s, {}, {{"X-Request-Id", "journal-probe-1"}}).status,
             200);
    QCOMPARE(client.request("GET", u"/nowhere"_s, {}, {{"X-Request-Id", "journal-probe-2"}}).status,
             404);
    const QString log = waitForLog([&] { return readFile(logPath); }, u"id=journal-probe-2"_s);
    QCOMPARE(server.terminate(), 0);
    const QString all = readFile(logPath);

    const QStringList lines = all.split(u'\n', Qt::SkipEmptyParts);
    QVERIFY(lines.size() >= 4);
    static const QRegularExpression prefixed(uR"(^<[0-7]>[a-z][\w.]*: )"_s);
    for (const QString &line : lines)
        QVERIFY2(prefixed.match(line).hasMatch(), qPrintable(line));
    QVERIFY2(all.contains(QRegularExpression(uR"(^<6>safetill\.server: listening on )"_s,
                                             QRegularExpression::MultilineOption)),
             qPrintable(all));
    // Every request line carries its request id.
    QVERIFY2(
        all.contains(QRegularExpression(uR"(^<6>safetill\.server\.request: GET /healthz 200 .*)"
                                        uR"(id=journal-probe-1)"_s,
                                        QRegularExpression::MultilineOption)),
        qPrintable(all));
    QVERIFY2(all.contains(QRegularExpression(uR"(^<6>safetill\.server\.request: .*)"
                                             uR"(id=journal-probe-2)"_s,
                                             QRegularExpression::MultilineOption)),
             qPrintable(all));
    if (!db.isPostgres())
        QVERIFY2(all.contains(QRegularExpression(uR"(^<4>safetill\.server: the database .*)"
                                                 uR"(readable by every user)"_s,
                                                 QRegularExpression::MultilineOption)),
                 qPrintable(all));
    QVERIFY2(all.contains(QRegularExpression(uR"(^<6>safetill\.server: stopped$)"_s,
                                             QRegularExpression::MultilineOption)),
             qPrintable(all));
    Q_UNUSED(log);
}

void ServerOpsTest::readableLogLinesWithoutJournal()
{
    // JOURNAL_STREAM inherited from a journal-logged parent, but stderr is a file: no priorities.
    TestDatabase db;
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString logPath = dir.filePath(u"server.log"_s);
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(u"JOURNAL_STREAM"_s, u"1:1"_s);
    environment.insert(u"QT_LOGGING_RULES"_s, u"safetill.*.debug=false"_s);
    RawServer server(db.path(), {}, environment, logPath);
    const quint16 port = server.waitListening();
    QVERIFY2(port != 0, qPrintable(readFile(logPath)));
    HttpClient client(port);
    QCOMPARE(client.request("GET", u"/healthz"_s, {}, {{"X-Request-Id", "plain-probe-1"}}).status,
             200);
    waitForLog([&] { return readFile(logPath); }, u"id=plain-probe-1"_s);
    QCOMPARE(server.terminate(), 0);
    const QString all = readFile(logPath);
    const QStringList lines = all.split(u'\n', Qt::SkipEmptyParts);
    QVERIFY(lines.size() >= 3);
    static const QRegularExpression readable(
        uR"(^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z (DEBUG|INFO|WARNING|CRITICAL|FATAL) )"
        uR"([a-z][\w.]*: )"_s);
    for (const QString &line : lines)
        QVERIFY2(readable.match(line).hasMatch(), qPrintable(line));
    QVERIFY2(all.contains(QRegularExpression(uR"(Z INFO safetill\.server\.request: GET /healthz )"
                                             uR"(200 .*id=plain-probe-1)"_s)),
             qPrintable(all));
    // The time is UTC and now.
    const QDateTime stamp =
        QDateTime::fromString(lines.first().section(u' ', 0, 0), Qt::ISODateWithMs);
    QVERIFY(stamp.isValid());
    QCOMPARE(stamp.timeSpec(), Qt::UTC);
    QVERIFY(qAbs(stamp.secsTo(QDateTime::currentDateTimeUtc())) < 600);
}

void ServerOpsTest::systemdReadinessAndStopping()
{
    TestDatabase db;
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    NotifySocket notify(dir.filePath(u"notify"_s));
    QVERIFY(notify.isValid());
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(u"NOTIFY_SOCKET"_s, dir.filePath(u"notify"_s));
    const QString logPath = dir.filePath(u"server.log"_s);
    RawServer server(db.path(), {}, environment, logPath);

    // The first thing systemd hears is READY=1, and by then the port answers, the database
    // migrated (readyz). The port comes from STATUS=, not from the stdout line.
    const QList<QByteArray> untilReady = notify.receiveUntil("READY=1", 30000);
    QVERIFY2(!untilReady.isEmpty(), qPrintable(readFile(logPath)));
    const QByteArray ready = untilReady.last();
    QVERIFY2(ready.split('\n').contains("READY=1"), ready.constData());
    QCOMPARE(untilReady.size(), 1);
    static const QRegularExpression status(uR"(STATUS=Listening on http://127\.0\.0\.1:(\d+))"_s);
    const QRegularExpressionMatch match = status.match(QString::fromUtf8(ready));
    QVERIFY2(match.hasMatch(), ready.constData());
    const quint16 port = quint16(match.captured(1).toUInt());
    {
        HttpClient client(port);
        QVERIFY(client.isConnected());
        QCOMPARE(client.request("GET", u"/readyz"_s).status, 200);
    }
    QCOMPARE(server.waitListening(), port);

    // SIGHUP without TLS reloads nothing and changes nothing: the server keeps serving.
    ::kill(pid_t(server.process().processId()), SIGHUP);
    waitForLog([&] { return readFile(logPath); }, u"SIGHUP: nothing to reload"_s);
    QVERIFY(server.process().state() == QProcess::Running);

    // SIGTERM: STOPPING=1 before the process ends, then a clean exit.
    ::kill(pid_t(server.process().processId()), SIGTERM);
    const QList<QByteArray> untilStopping = notify.receiveUntil("STOPPING=1", 15000);
    QVERIFY(!untilStopping.isEmpty());
    QVERIFY2(untilStopping.last().split('\n').contains("STOPPING=1"),
             untilStopping.last().constData());
    QVERIFY(server.process().waitForFinished(15000));
    QCOMPARE(server.process().exitCode(), 0);
}

void ServerOpsTest::tlsCertificateReloadsOnHangUp()
{
    TestDatabase db;
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString certPath = dir.filePath(u"cert.pem"_s);
    const QString keyPath = dir.filePath(u"key.pem"_s);
    if (!makeCertificate(u"safetill-a"_s, certPath, keyPath))
        QSKIP("The openssl command is not available to make a test certificate.");
    QVERIFY(makeCertificate(u"safetill-b"_s, dir.filePath(u"b-cert.pem"_s),
                            dir.filePath(u"b-key.pem"_s)));
    QVERIFY(makeCertificate(u"safetill-c"_s, dir.filePath(u"c-cert.pem"_s),
                            dir.filePath(u"c-key.pem"_s)));

    ServerProcess server;
    QVERIFY2(server.start(db.path(), {u"--tls-cert"_s, certPath, u"--tls-key"_s, keyPath}),
             qPrintable(server.log()));
    const quint16 port = server.port();
    QCOMPARE(commonName(servedCertificate(port)), u"safetill-a"_s);
    // A connection made before the reload keeps working with the certificate it began with.
    QSslSocket before;
    {
        QSslConfiguration configuration = QSslConfiguration::defaultConfiguration();
        configuration.setPeerVerifyMode(QSslSocket::VerifyNone);
        before.setSslConfiguration(configuration);
        before.connectToHostEncrypted(u"127.0.0.1"_s, port);
        QVERIFY(before.waitForEncrypted(10000));
    }

    // Renewed: the same files now hold certificate B; SIGHUP; new connections get B.
    QVERIFY(copyContent(dir.filePath(u"b-cert.pem"_s), certPath));
    QVERIFY(copyContent(dir.filePath(u"b-key.pem"_s), keyPath));
    ::kill(pid_t(server.pid()), SIGHUP);
    QCOMPARE(waitForServedName(port, u"safetill-b"_s), u"safetill-b"_s);
    QVERIFY(server.log().contains(u"TLS certificate reloaded"_s));
    before.write("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
    QByteArray answer;
    QElapsedTimer timer;
    timer.start();
    while (!answer.contains("\r\n\r\n") && timer.elapsed() < 10000 && before.waitForReadyRead(1000))
        answer += before.readAll();
    QVERIFY2(answer.startsWith("HTTP/1.1 200"), answer.constData());
    QCOMPARE(commonName(before.peerCertificate()), u"safetill-a"_s);

    // A broken certificate file: refused with a warning, B stays.
    {
        QFile broken(certPath);
        QVERIFY(broken.open(QIODevice::WriteOnly | QIODevice::Truncate));
        broken.write("-----BEGIN CERTIFICATE-----\nnot a certificate\n-----END CERTIFICATE-----\n");
    }
    ::kill(pid_t(server.pid()), SIGHUP);
    QString log =
        waitForLog([&] { return server.log(64 * 1024); }, u"kept the current TLS certificate"_s);
    QVERIFY2(log.contains(u"not a valid PEM certificate"_s), qPrintable(log));
    QCOMPARE(commonName(servedCertificate(port)), u"safetill-b"_s);

    // A valid certificate C whose key every user can read: refused too, B stays.
    QVERIFY(copyContent(dir.filePath(u"c-cert.pem"_s), certPath));
    QVERIFY(copyContent(dir.filePath(u"c-key.pem"_s), keyPath));
    QVERIFY(QFile::setPermissions(keyPath, QFile::ReadOwner | QFile::WriteOwner | QFile::ReadGroup |
                                               QFile::ReadOther));
    ::kill(pid_t(server.pid()), SIGHUP);
    log =
        waitForLog([&] { return server.log(64 * 1024); }, u"kept the current TLS certificate"_s, 2);
    QVERIFY2(log.contains(u"readable by every user"_s), qPrintable(log));
    QCOMPARE(commonName(servedCertificate(port)), u"safetill-b"_s);

    // Put right: C is served from the next reload on.
    QVERIFY(QFile::setPermissions(keyPath, QFile::ReadOwner | QFile::WriteOwner));
    ::kill(pid_t(server.pid()), SIGHUP);
    QCOMPARE(waitForServedName(port, u"safetill-c"_s), u"safetill-c"_s);
    QVERIFY(server.running());
    QCOMPARE(server.stop(), 0);
}

QTEST_GUILESS_MAIN(ServerOpsTest)
#include "tst_server_ops.moc"
