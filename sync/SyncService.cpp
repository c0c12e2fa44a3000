#include "SyncService.h"

#include "Database.h"
#include "SyncEngine.h"

#include <QFileInfo>
#include <QRandomGenerator>
#include <QSettings>
#include <QTimer>

using namespace Qt::StringLiterals;

namespace SafeTill {

// Lives on the service's thread; everything it does blocks only that thread.
class SyncWorker : public QObject
{
    Q_OBJECT

public:
    static constexpr int pollIntervalMs = 500;
    static constexpr qint64 pullIntervalMs = 60 * 1000;
    static constexpr qint64 maxRetryDelayMs = 60 * 1000;

    SyncWorker(DatabaseOptions database, SyncConfig config, QByteArray token,
               QList<QSslCertificate> trusted, const std::atomic<bool> *stop)
        : m_options(std::move(database))
        , m_config(std::move(config))
        , m_token(std::move(token))
        , m_trusted(std::move(trusted))
        , m_stop(stop)
    {}

    void start()
    {
        QString error;
        m_db = Database::open(m_options, &error);
        if (!m_db) {
            SyncState state;
            state.connectivity = SyncState::Connectivity::Offline;
            state.lastError = error;
            Q_EMIT stateChanged(state);
            return;
        }
        m_transport = std::make_unique<SyncTransport>(m_config.serverUrl, m_token, m_trusted);
        m_retentionDays = RetentionPolicy::daysFromSettings(QSettings());
        m_tokenFileStamp = tokenFileStamp();
        m_timer = new QTimer(this);
        connect(m_timer, &QTimer::timeout, this, &SyncWorker::tick);
        m_timer->start(pollIntervalMs);
        m_runNow = true;
        tick();
    }

    void requestRun()
    {
        m_refused = false; // a person asked: try the settings once more
        m_runNow = true;
        m_nextAttemptMs = 0;
        tick();
    }

    void acknowledge()
    {
        if (!m_db)
            return;
        SyncStore(*m_db).acknowledgeMessages();
        publish(m_connectivity);
    }

Q_SIGNALS:
    void stateChanged(const SafeTill::SyncState &state);

private:
    void tick()
    {
        if (!m_db || m_stop->load())
            return;
        if (m_refused && !tokenFileReplaced())
            return;
        const qint64 nowMs = QDateTime::currentMSecsSinceEpoch();
        const qint64 dataVersion = m_db->dataVersion();
        const bool outboxMayHaveGrown = dataVersion != m_seenDataVersion;
        m_seenDataVersion = dataVersion;
        if (outboxMayHaveGrown)
            m_runNow = true;
        const bool due = nowMs >= m_nextAttemptMs;
        if (!due || (!m_runNow && nowMs - m_lastRunMs < pullIntervalMs)) {
            if (outboxMayHaveGrown)
                publish(m_connectivity);
            return;
        }
        m_runNow = false;
        m_lastRunMs = nowMs;
        publish(SyncState::Connectivity::Syncing);
        // Few retries inside a run: the status bar should say "offline" soon; the worker's own
        // backoff between runs does the patient part.
        SyncPolicy policy;
        policy.maxAttemptsPerRequest = 2;
        policy.firstBackoffMs = 500;
        policy.retentionDays = m_retentionDays;
        SyncEngine engine(*m_db, *m_transport, m_config.serverUrl.toString(), policy, m_stop);
        const SyncRunReport report = engine.run();
        // Our own commits do not change data_version; others' during the run do, and are caught
        // by the next tick.
        m_seenDataVersion = m_db->dataVersion();
        // Refused (a revoked token, an untrusted certificate, no sync on the server): trying again
        // cannot help until the settings change, so no more automatic attempts until then (a new
        // token file, new settings, or "Sync now").
        m_refused = report.status == SyncRunReport::Status::Refused;
        if (report.status == SyncRunReport::Status::Done) {
            m_failures = 0;
            m_nextAttemptMs = 0;
            m_connectivity = SyncState::Connectivity::Online;
        } else if (report.status != SyncRunReport::Status::Stopped) {
            ++m_failures;
            const qint64 ceiling = qMin<qint64>(maxRetryDelayMs, 1000LL << qMin(m_failures, 16));
            m_nextAttemptMs = QDateTime::currentMSecsSinceEpoch() + ceiling / 2 +
                              QRandomGenerator::global()->bounded(ceiling / 2 + 1);
            m_connectivity = SyncState::Connectivity::Offline;
            m_lastError = report.error;
        }
        if (report.status == SyncRunReport::Status::Done)
            m_lastError.clear();
        publish(m_connectivity);
    }

    // The token file's identity as last read: replacing it (a new device token) is the usual
    // way out of a refusal.
    QString tokenFileStamp() const
    {
        const QFileInfo file(m_config.tokenFile);
        return file.exists() ? file.lastModified().toString(Qt::ISODateWithMs) + u' ' +
                                   QString::number(file.size())
                             : QString();
    }

    bool tokenFileReplaced()
    {
        const QString stamp = tokenFileStamp();
        if (stamp == m_tokenFileStamp)
            return false;
        m_tokenFileStamp = stamp;
        QString error;
        const std::optional<QByteArray> token = SyncConfig::readToken(m_config.tokenFile, &error);
        if (!token) {
            m_lastError = error;
            publish(m_connectivity);
            return false;
        }
        m_token = *token;
        m_transport = std::make_unique<SyncTransport>(m_config.serverUrl, m_token, m_trusted);
        m_refused = false;
        m_runNow = true;
        m_nextAttemptMs = 0;
        return true;
    }

    void publish(SyncState::Connectivity connectivity)
    {
        SyncState state;
        state.connectivity = connectivity;
        SyncStore store(*m_db);
        const Result<SyncCounts> counts = store.counts();
        if (counts) {
            state.pending = counts->pending;
            state.failed = counts->failed;
            state.lastSuccess = counts->lastSuccess;
            state.messages = counts->messages;
            state.problems = counts->problems;
        }
        state.lastError = counts ? m_lastError : counts.message();
        Q_EMIT stateChanged(state);
    }

    DatabaseOptions m_options;
    SyncConfig m_config;
    QByteArray m_token;
    QList<QSslCertificate> m_trusted;
    const std::atomic<bool> *m_stop;
    std::unique_ptr<Database> m_db;
    std::unique_ptr<SyncTransport> m_transport;
    QTimer *m_timer = nullptr;
    qint64 m_seenDataVersion = -1;
    qint64 m_nextAttemptMs = 0;
    qint64 m_lastRunMs = 0;
    int m_failures = 0;
    int m_retentionDays = RetentionPolicy::defaultDays;
    bool m_runNow = false;
    bool m_refused = false; // waiting for new settings (see tick())
    QString m_tokenFileStamp;
    SyncState::Connectivity m_connectivity = SyncState::Connectivity::Offline;
    QString m_lastError;
};

SyncService::SyncService(const DatabaseOptions &database, QObject *parent)
    : QObject(parent)
    , m_database(std::make_unique<const DatabaseOptions>(database))
{
    qRegisterMetaType<SafeTill::SyncState>();
}

SyncService::~SyncService()
{
    stop();
}

void SyncService::stop()
{
    if (!m_worker)
        return;
    m_stopRequested = true;
    m_thread.quit();
    m_thread.wait();
    m_worker = nullptr; // deleted by the thread's finished() connection
    m_stopRequested = false;
}

bool SyncService::configure(const SyncConfig &config, QString *error)
{
    stop();
    if (!config.isConfigured()) {
        setState(SyncState{});
        return true;
    }
    const std::optional<QByteArray> token = SyncConfig::readToken(config.tokenFile, error);
    if (!token)
        return false;
    const std::optional<QList<QSslCertificate>> trusted =
        SyncConfig::readTrustedCertificates(config.trustedCertFile, error);
    if (!trusted)
        return false;
    m_worker = new SyncWorker(*m_database, config, *token, *trusted, &m_stopRequested);
    m_worker->moveToThread(&m_thread);
    connect(&m_thread, &QThread::finished, m_worker, &QObject::deleteLater);
    connect(m_worker, &SyncWorker::stateChanged, this, &SyncService::setState);
    m_thread.start();
    QMetaObject::invokeMethod(m_worker, &SyncWorker::start, Qt::QueuedConnection);
    SyncState starting = m_state;
    starting.connectivity = SyncState::Connectivity::Syncing;
    setState(starting);
    return true;
}

void SyncService::syncNow()
{
    if (m_worker)
        QMetaObject::invokeMethod(m_worker, &SyncWorker::requestRun, Qt::QueuedConnection);
}

void SyncService::acknowledgeMessages()
{
    if (m_worker)
        QMetaObject::invokeMethod(m_worker, &SyncWorker::acknowledge, Qt::QueuedConnection);
}

void SyncService::setState(const SyncState &state)
{
    m_state = state;
    Q_EMIT stateChanged(m_state);
}

} // namespace SafeTill

#include "SyncService.moc"
