#include "ServiceNotifier.h"

#include "ServerLogging.h"

#include <systemd/sd-daemon.h>

#include <ctime>

namespace SafeTill::ServiceNotifier {

namespace {

void send(const QByteArray &state)
{
    // unset_environment 0: a process the server starts is never one systemd waits for anyway.
    const int sent = sd_notify(0, state.constData());
    if (sent < 0)
        qCWarning(lcServer).noquote() << "could not notify systemd:" << qt_error_string(-sent);
}

QByteArray statusLine(const QString &status)
{
    QByteArray line = status.toUtf8();
    line.replace('\n', ' ');
    return "STATUS=" + line;
}

} // namespace

void ready(const QString &status)
{
    send("READY=1\n" + statusLine(status));
}

void reloading()
{
    timespec now = {};
    ::clock_gettime(CLOCK_MONOTONIC, &now);
    const quint64 microseconds = quint64(now.tv_sec) * 1000000u + quint64(now.tv_nsec) / 1000u;
    send("RELOADING=1\nMONOTONIC_USEC=" + QByteArray::number(microseconds));
}

void stopping(const QString &status)
{
    send("STOPPING=1\n" + statusLine(status));
}

void status(const QString &status)
{
    send(statusLine(status));
}

} // namespace SafeTill::ServiceNotifier
