#pragma once

#include <QByteArrayList>
#include <QProcess>
#include <QString>

#include <optional>

namespace SafeTillBench {

// CLOCK_MONOTONIC in milliseconds: the clock the app's startup probe prints, the same in every
// process, so a moment in the app can be compared with one in the benchmark.
double monotonicMs();

// One line the app's startup probe printed (see app/gui/main.cpp), split at spaces, with the
// moment the benchmark read it.
struct ProbeLine
{
    QByteArray text;
    QByteArrayList fields;
    double readMonoMs = 0;

    // For a moment line ("login-shown SINCE_START MONO", "stage main SINCE_START MONO"): the
    // app's CLOCK_MONOTONIC and its own milliseconds since the process started.
    double monoMs() const { return fields.value(fields.size() - 1).toDouble(); }
    double sinceStartMs() const { return fields.value(fields.size() - 2).toDouble(); }
};

// The real `safetill` executable, started as a fresh process on the offscreen platform with
// SAFETILL_STARTUP_PROBE on, read line by line without an event loop. Every wait is bounded.
class GuiApp
{
public:
    struct Options
    {
        QString executable;
        QString database;
        QString probeMode = QStringLiteral("1"); // "1": quit once shown; "watch": keep running
        QString login;                           // NAME:PIN, or empty to stay on the login screen
        QString stderrFile;                      // the app's stderr goes here (never blocks it)
        QString type; // typed into the SKU field once the order is shown (search as you type)
    };

    GuiApp() = default;
    ~GuiApp();
    GuiApp(const GuiApp &) = delete;
    GuiApp &operator=(const GuiApp &) = delete;

    // Starts the process; startMonoMs() is taken right before QProcess::start.
    bool start(const Options &options, QString *error);
    double startMonoMs() const { return m_startMonoMs; }
    qint64 pid() const { return m_process.processId(); }

    // The next line whose first field is `event` and which satisfies `accept` (earlier lines are
    // kept in lines()); nullopt when the time runs out or the process ends first.
    template<typename Accept>
    std::optional<ProbeLine> waitFor(const QByteArray &event, int timeoutMs, Accept accept);
    std::optional<ProbeLine> waitFor(const QByteArray &event, int timeoutMs)
    {
        return waitFor(event, timeoutMs, [](const ProbeLine &) { return true; });
    }
    // The first line seen so far that starts with `prefix` (e.g. "stage backend").
    std::optional<ProbeLine> seen(const QByteArray &prefix) const;
    const QList<ProbeLine> &lines() const { return m_lines; }

    // A field of /proc/PID/status in KiB (VmHWM is the peak resident set size).
    std::optional<qint64> statusKiB(const QByteArray &field) const;

    // Waits for the process to quit by itself; false if it had to be stopped.
    bool waitForExit(int timeoutMs);
    // SIGTERM, then SIGKILL after a grace period.
    void stop();
    QString describeFailure() const; // exit state and the tail of the app's stderr

private:
    std::optional<ProbeLine> nextLine(int timeoutMs);

    QProcess m_process;
    Options m_options;
    double m_startMonoMs = 0;
    QList<ProbeLine> m_lines;
    qsizetype m_consumed = 0; // lines already handed out by waitFor
};

template<typename Accept>
std::optional<ProbeLine> GuiApp::waitFor(const QByteArray &event, int timeoutMs, Accept accept)
{
    const double deadline = monotonicMs() + timeoutMs;
    while (true) {
        const int left = int(deadline - monotonicMs());
        std::optional<ProbeLine> line = nextLine(std::max(left, 0));
        if (!line)
            return std::nullopt;
        if (line->fields.value(0) == event && accept(*line))
            return line;
        if (left <= 0)
            return std::nullopt;
    }
}

} // namespace SafeTillBench
