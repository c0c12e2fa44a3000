#include "TillBackend.h"

#include "Retention.h"

#include <QSettings>
#include <QTimer>

using namespace Qt::StringLiterals;

namespace SafeTill {

// Owns the worker thread's connection and watches for commits made by other processes.
class TillWorker : public QObject
{
    Q_OBJECT

public:
    bool openServices(const DatabaseOptions &options, QString *error)
    {
        m_services.db = Database::open(options, error);
        if (!m_services.db)
            return false;
        Database &db = *m_services.db;
        m_services.orders = std::make_unique<OrderService>(db);
        m_services.tabs = std::make_unique<TabService>(db);
        m_services.cashiers = std::make_unique<CashierService>(db);
        m_services.catalog = std::make_unique<CatalogService>(db);
        m_services.reviews = std::make_unique<ReviewStore>(db);
        m_lastDataVersion = db.dataVersion();
        m_poll = new QTimer(this);
        m_poll->setInterval(TillBackend::pollIntervalMs);
        connect(m_poll, &QTimer::timeout, this, &TillWorker::checkForOutsideChanges);
        m_poll->start();
        // Retention at start-up, in bounded steps on this thread: actions queued meanwhile run
        // between the steps, and each chunk is a short write transaction of its own.
        m_retention.days = RetentionPolicy::daysFromSettings(QSettings());
        QTimer::singleShot(pruneStartDelayMs, this, &TillWorker::pruneStep);
        return true;
    }

    void closeServices()
    {
        delete m_poll;
        m_poll = nullptr;
        m_services = TillServices{};
    }

    TillServices &services() { return m_services; }

Q_SIGNALS:
    void changedElsewhere();

private:
    static constexpr int pruneStartDelayMs = 1000;
    static constexpr int pruneStepIntervalMs = 50;

    void pruneStep()
    {
        if (!m_services.db)
            return;
        const Result<PruneReport> report = Retention(*m_services.db).prune(m_retention);
        if (report && !report->complete)
            QTimer::singleShot(pruneStepIntervalMs, this, &TillWorker::pruneStep);
    }

    void checkForOutsideChanges()
    {
        // data_version moves only when another connection commits: ~3 µs a poll.
        const qint64 version = m_services.db->dataVersion();
        if (version != m_lastDataVersion) {
            m_lastDataVersion = version;
            Q_EMIT changedElsewhere();
        }
    }

    TillServices m_services;
    QTimer *m_poll = nullptr;
    qint64 m_lastDataVersion = 0;
    RetentionPolicy m_retention;
};

TillBackend::TillBackend() = default;

std::unique_ptr<TillBackend> TillBackend::open(const DatabaseOptions &options, QString *error)
{
    std::unique_ptr<TillBackend> backend(new TillBackend);
    backend->m_thread.setObjectName(u"till-database"_s);
    backend->m_worker = new TillWorker;
    backend->m_workerContext = backend->m_worker;
    backend->m_worker->moveToThread(&backend->m_thread);
    connect(&backend->m_thread, &QThread::finished, backend->m_worker, &QObject::deleteLater);
    connect(backend->m_worker, &TillWorker::changedElsewhere, backend.get(), &TillBackend::changed);
    backend->m_thread.start();
    bool opened = false;
    QMetaObject::invokeMethod(
        backend->m_worker, [&] { opened = backend->m_worker->openServices(options, error); },
        Qt::BlockingQueuedConnection);
    if (!opened)
        return nullptr;
    return backend;
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

TillServices &TillBackend::services()
{
    return m_worker->services();
}

void TillBackend::announceChange()
{
    Q_EMIT changed();
}

} // namespace SafeTill

#include "TillBackend.moc"
