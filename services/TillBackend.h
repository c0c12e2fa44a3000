#pragma once

#include "Result.h"
#include "Services.h"

#include <QHash>
#include <QObject>
#include <QPointer>
#include <QThread>

#include <memory>

namespace SafeTill {

struct DatabaseOptions;
class TillWorker;

// Keeps the database off the UI thread. Jobs run one after another on a worker thread with its own
// connection and its own Services (a terminal's, built by Services::open); their results come
// back to the window that asked, on the UI thread, and are dropped if that window is gone.
// changed() fires after a successful action in this process and when another process commits
// (PRAGMA data_version, polled every pollIntervalMs), so every window can refresh.
class TillBackend : public QObject
{
    Q_OBJECT

public:
    static constexpr int pollIntervalMs = 200;

    // Opens the database on the worker thread and waits for it; Outcome::Error with the reason
    // when it cannot be opened.
    static Result<std::unique_ptr<TillBackend>> open(const DatabaseOptions &options);
    ~TillBackend() override;

    // What it was opened with, for the other connections of this process (background sync).
    const DatabaseOptions &databaseOptions() const { return *m_options; }

    // A read: job(Services &) on the worker, done(result) on context's thread.
    template<typename Job, typename Done> void query(QObject *context, Job job, Done done)
    {
        post(context, std::move(job), std::move(done), false);
    }
    // An action: like query(), and a successful, non-replayed result announces changed().
    template<typename Job, typename Done> void act(QObject *context, Job job, Done done)
    {
        post(context, std::move(job), std::move(done), true);
    }

    // Blocks until every job queued so far has run (tests and shutdown only).
    void drain();

Q_SIGNALS:
    void changed();

private:
    TillBackend();
    template<typename Job, typename Done>
    void post(QObject *context, Job job, Done done, bool announce);
    Services &services();
    void announceChange();

    QThread m_thread;
    TillWorker *m_worker = nullptr;     // lives on m_thread
    QObject *m_workerContext = nullptr; // the same object, as the context jobs are posted to
    std::unique_ptr<const DatabaseOptions> m_options;
};

template<typename Job, typename Done>
void TillBackend::post(QObject *context, Job job, Done done, bool announce)
{
    QPointer<QObject> target(context);
    QMetaObject::invokeMethod(
        m_workerContext,
        [this, target, announce, job = std::move(job), done = std::move(done)]() mutable {
            auto result = job(services());
            const bool changedSomething = announce && result.isOk() && !result.replayed();
            // Back on the UI thread via the backend, which outlives every job (its destructor
            // waits for the worker); only there is it safe to ask whether the window still exists.
            QMetaObject::invokeMethod(
                this,
                [this, target, changedSomething, result = std::move(result),
                 done = std::move(done)]() mutable {
                    if (target)
                        done(result);
                    if (changedSomething)
                        announceChange();
                },
                Qt::QueuedConnection);
        },
        Qt::QueuedConnection);
}

} // namespace SafeTill
