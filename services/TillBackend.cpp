#include "TillBackend.h"

#include "Database.h"

#include <QSettings>
#include <QTimer>

using namespace Qt::StringLiterals;

namespace SafeTill {

// Owns the worker thread's connection and watches for commits made by other processes.
class TillWorker : public QObject
{
    Q_OBJECT

public:
    Result<bool> openServices(const DatabaseOptions &options)
    {
        Result<std::unique_ptr<Services>> opened = Services::open(options, SyncSide::Terminal);
        if (!opened)
            return Result<bool>::from(opened);
        m_services = opened.take();
        m_lastDataVersion = m_services->database().dataVersion();
        m_poll = new QTimer(this);
        m_poll->setInterval(TillBackend::pollIntervalMs);
        connect(m_poll, &QTimer::timeout, this, &TillWorker::checkForOutsideChanges);
        m_poll->start();
        // Retention at start-up, in bounded steps on this thread: actions queued meanwhile run
        // between the steps, and each chunk is a short write transaction of its own.
        m_retention.days = RetentionPolicy::daysFromSettings(QSettings());
        QTimer::singleShot(pruneStartDelayMs, this, &TillWorker::pruneStep);
        return Result<bool>::ok(true);
    }

    void closeServices()
    {
        delete m_poll;
        m_poll = nullptr;
        m_services.reset();
    }

    Services &services() { return *m_services; }

Q_SIGNALS:
    void changedElsewhere();

private:
    static constexpr int pruneStartDelayMs = 1000;
    static constexpr int pruneStepIntervalMs = 50;

    void pruneStep()
    {
        if (!m_services)
            return;
        const Result<PruneReport> report = m_services->retention().prune(m_retention);
        if (report && !report->complete)
            QTimer::singleShot(pruneStepIntervalMs, this, &TillWorker::pruneStep);
    }

    void checkForOutsideChanges()
    {
        // data_version moves only when another connection commits: ~3 µs a poll.
        const qint64 version = m_services->database().dataVersion();
        if (version != m_lastDataVersion) {
            m_lastDataVersion = version;
            Q_EMIT changedElsewhere();
        }
    }

    std::unique_ptr<Services> m_services;
    QTimer *m_poll = nullptr;
    qint64 m_lastDataVersion = 0;
    RetentionPolicy m_retention;
};

TillBackend::TillBackend() = default;

Result<std::unique_ptr<TillBackend>> TillBackend::open(const DatabaseOptions &options)
{
    std::unique_ptr<TillBackend> backend(new TillBackend);
    backend->m_thread.setObjectName(u"till-database"_s);
    backend->m_worker = new TillWorker;
    backend->m_workerContext = backend->m_worker;
    backend->m_worker->moveToThread(&backend->m_thread);
    connect(&backend->m_thread, &QThread::finished, backend->m_worker, &QObject::deleteLater);
    connect(backend->m_worker, &TillWorker::changedElsewhere, backend.get(), &TillBackend::changed);
    backend->m_thread.start();
    Result<bool> opened = Result<bool>::ok(false);
    QMetaObject::invokeMethod(
        backend->m_worker, [&] { opened = backend->m_worker->openServices(options); },
        Qt::BlockingQueuedConnection);
    if (!opened)
        return Result<std::unique_ptr<TillBackend>>::from(opened);
    backend->m_options = std::make_unique<const DatabaseOptions>(options);
    return Result<std::unique_ptr<TillBackend>>::ok(std::move(backend));
}

TillBackend::~TillBackend()
{
    if (m_thread.isRunning()) {
        QMetaObject::invokeMethod(
            m_worker, [worker = m_worker] { worker->closeServices(); },
            Qt::BlockingQueuedConnection);
        m_thread.quit();
        m_thread.wait();
    }
}

void TillBackend::drain()
{
    QMetaObject::invokeMethod(
        m_worker, [] {}, Qt::BlockingQueuedConnection);
}

Services &TillBackend::services()
{
    return m_worker->services();
}

void TillBackend::announceChange()
{
    Q_EMIT changed();
}

} // namespace SafeTill

#include "TillBackend.moc"
