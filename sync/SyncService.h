#pragma once

#include "SyncConfig.h"
#include "SyncStore.h"

#include <QDateTime>
#include <QObject>
#include <QThread>

#include <atomic>
#include <memory>

namespace SafeTill {

// What the status bar shows.
struct SyncState
{
    enum class Connectivity { NotConfigured, Online, Offline, Syncing };
    Connectivity connectivity = Connectivity::NotConfigured;
    qint64 pending = 0;
    qint64 failed = 0;
    QDateTime lastSuccess;
    QString lastError;
    QStringList messages;        // conflicts and rejections not yet acknowledged, newest first
    QList<SyncProblem> problems; // failed ops, newest first

    bool needsAttention() const { return failed > 0 || !messages.isEmpty(); }
};

struct DatabaseOptions;
class SyncWorker;

// Background sync while the app runs: a worker thread with its own database connection (never the
// UI's) runs a sync whenever the outbox grows (PRAGMA data_version, polled), periodically to pull,
// and after a failure with capped exponential backoff. stateChanged() reaches the UI thread.
class SyncService : public QObject
{
    Q_OBJECT

public:
    explicit SyncService(const DatabaseOptions &database, QObject *parent = nullptr);
    ~SyncService() override;

    // Starts (or restarts) syncing with this configuration; an unconfigured one stops it. False
    // and *error when the token file or certificate cannot be used (then nothing runs).
    bool configure(const SyncConfig &config, QString *error);
    bool isRunning() const { return m_worker != nullptr; }
    const SyncState &state() const { return m_state; }
    // Runs a sync as soon as the worker is free.
    void syncNow();
    void acknowledgeMessages();

Q_SIGNALS:
    void stateChanged(const SyncState &state);

private:
    void stop();
    void setState(const SyncState &state);

    std::unique_ptr<const DatabaseOptions> m_database; // a copy; the type stays out of this header
    QThread m_thread;
    SyncWorker *m_worker = nullptr;
    std::atomic<bool> m_stopRequested{false};
    SyncState m_state;
};

} // namespace SafeTill

Q_DECLARE_METATYPE(SafeTill::SyncState)
