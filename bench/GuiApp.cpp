#include "GuiApp.h"

#include <QFile>
#include <QProcessEnvironment>

#include <ctime>

using namespace Qt::StringLiterals;

namespace SafeTillBench {

double monotonicMs()
{
    timespec now{};
    clock_gettime(CLOCK_MONOTONIC, &now);
    return double(now.tv_sec) * 1e3 + double(now.tv_nsec) / 1e6;
}

GuiApp::~GuiApp()
{
    stop();
}

bool GuiApp::start(const Options &options, QString *error)
{
    m_options = options;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(u"QT_QPA_PLATFORM"_s, u"offscreen"_s);
    env.insert(u"SAFETILL_STARTUP_PROBE"_s, options.probeMode);
    if (options.login.isEmpty())
        env.remove(u"SAFETILL_STARTUP_PROBE_LOGIN"_s);
    else
        env.insert(u"SAFETILL_STARTUP_PROBE_LOGIN"_s, options.login);
    if (options.type.isEmpty())
        env.remove(u"SAFETILL_STARTUP_PROBE_TYPE"_s);
    else
        env.insert(u"SAFETILL_STARTUP_PROBE_TYPE"_s, options.type);
    m_process.setProcessEnvironment(env);
    m_process.setProgram(options.executable);
    m_process.setArguments({u"--db"_s, options.database});
    m_process.setProcessChannelMode(QProcess::SeparateChannels);
    m_process.setReadChannel(QProcess::StandardOutput);
    if (!options.stderrFile.isEmpty())
        m_process.setStandardErrorFile(options.stderrFile, QIODevice::Append);
    m_startMonoMs = monotonicMs();
    m_process.start();
    if (!m_process.waitForStarted(10000)) {
        *error = u"Could not start %1: %2"_s.arg(options.executable, m_process.errorString());
        return false;
    }
    return true;
}

std::optional<ProbeLine> GuiApp::nextLine(int timeoutMs)
{
    if (m_consumed < m_lines.size())
        return m_lines.at(m_consumed++);
    const double deadline = monotonicMs() + timeoutMs;
    while (!m_process.canReadLine()) {
        const int left = int(deadline - monotonicMs());
        if (left <= 0 || m_process.state() == QProcess::NotRunning)
            return std::nullopt;
        m_process.waitForReadyRead(left);
    }
    ProbeLine line;
    line.readMonoMs = monotonicMs();
    line.text = m_process.readLine().trimmed();
    line.fields = line.text.split(' ');
    m_lines << line;
    ++m_consumed;
    return line;
}

std::optional<ProbeLine> GuiApp::seen(const QByteArray &prefix) const
{
    for (const ProbeLine &line : m_lines) {
        if (line.text.startsWith(prefix + ' '))
            return line;
    }
    return std::nullopt;
}

std::optional<qint64> GuiApp::statusKiB(const QByteArray &field) const
{
    QFile status(u"/proc/%1/status"_s.arg(pid()));
    if (pid() <= 0 || !status.open(QIODevice::ReadOnly))
        return std::nullopt;
    for (const QByteArray &line : status.readAll().split('\n')) {
        if (line.startsWith(field + ':')) {
            const QByteArrayList parts = line.mid(field.size() + 1).simplified().split(' ');
            bool ok = false;
            const qint64 kib = parts.value(0).toLongLong(&ok);
            return ok ? std::optional<qint64>(kib) : std::nullopt;
        }
    }
    return std::nullopt;
}

bool GuiApp::waitForExit(int timeoutMs)
{
    if (m_process.state() == QProcess::NotRunning)
        return true;
    // Drain stdout while waiting, so the app never blocks on a full pipe.
    const double deadline = monotonicMs() + timeoutMs;
    while (m_process.state() != QProcess::NotRunning) {
        const int left = int(deadline - monotonicMs());
        if (left <= 0) {
            stop();
            return false;
        }
        if (!nextLine(left))
            m_process.waitForFinished(std::min(left, 50));
    }
    while (nextLine(0)) {
    }
    return m_process.exitStatus() == QProcess::NormalExit && m_process.exitCode() == 0;
}

void GuiApp::stop()
{
    if (m_process.state() == QProcess::NotRunning)
        return;
    m_process.terminate();
    if (!m_process.waitForFinished(3000)) {
        m_process.kill();
        m_process.waitForFinished(3000);
    }
}

QString GuiApp::describeFailure() const
{
    QString text =
        m_process.state() == QProcess::NotRunning
            ? u"exit code %1%2"_s.arg(m_process.exitCode())
                  .arg(m_process.exitStatus() == QProcess::CrashExit ? u" (crashed)"_s : QString())
            : u"still running"_s;
    if (!m_lines.isEmpty())
        text += u"; last probe line: "_s + QString::fromUtf8(m_lines.last().text);
    QFile err(m_options.stderrFile);
    if (!m_options.stderrFile.isEmpty() && err.open(QIODevice::ReadOnly)) {
        const QByteArray tail = err.readAll().right(400).trimmed();
        if (!tail.isEmpty())
            text += u"; stderr: "_s + QString::fromUtf8(tail);
    }
    return text;
}

} // namespace SafeTillBench
