#include "ServerLogging.h"

Q_LOGGING_CATEGORY(lcServer, "safetill.server")
Q_LOGGING_CATEGORY(lcRequest, "safetill.server.request")
Q_LOGGING_CATEGORY(lcConnection, "safetill.server.connection", QtInfoMsg)

#include "Clock.h"

#include <QDateTime>

#include <sys/stat.h>
#include <unistd.h>

namespace SafeTill {

namespace {

bool journalOutput = false;

int journalPriority(QtMsgType type)
{
    switch (type) {
    case QtDebugMsg:
        return 7;
    case QtInfoMsg:
        return 6;
    case QtWarningMsg:
        return 4;
    case QtCriticalMsg:
        return 2;
    case QtFatalMsg:
        return 0;
    }
    return 6;
}

const char *levelName(QtMsgType type)
{
    switch (type) {
    case QtDebugMsg:
        return "DEBUG";
    case QtInfoMsg:
        return "INFO";
    case QtWarningMsg:
        return "WARNING";
    case QtCriticalMsg:
        return "CRITICAL";
    case QtFatalMsg:
        return "FATAL";
    }
    return "INFO";
}

void handleMessage(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    QByteArray line = formatServerLogLine(type, context.category, message, journalOutput);
    line += '\n';
    const char *data = line.constData();
    qsizetype left = line.size();
    while (left > 0) {
        const ssize_t written = ::write(STDERR_FILENO, data, size_t(left));
        if (written <= 0)
            break;
        data += written;
        left -= written;
    }
}

} // namespace

bool stderrIsJournal()
{
    // "DEVICE:INODE" of the journal's stream, inherited by every child: only stderr itself being
    // that stream counts (a child whose stderr was redirected elsewhere keeps the variable).
    const QByteArray stream = qgetenv("JOURNAL_STREAM");
    const qsizetype colon = stream.indexOf(':');
    if (colon <= 0)
        return false;
    bool deviceOk = false;
    bool inodeOk = false;
    const qulonglong device = stream.left(colon).toULongLong(&deviceOk);
    const qulonglong inode = stream.mid(colon + 1).toULongLong(&inodeOk);
    struct stat error = {};
    if (!deviceOk || !inodeOk || ::fstat(STDERR_FILENO, &error) != 0)
        return false;
    return qulonglong(error.st_dev) == device && qulonglong(error.st_ino) == inode;
}

QByteArray formatServerLogLine(QtMsgType type, const char *category, const QString &message,
                               bool journal)
{
    const QByteArray text = message.toUtf8();
    const QByteArray name = category ? QByteArray(category) : QByteArray("default");
    if (journal) {
        // Every line of a multi-line message keeps the priority.
        const QByteArray prefix = '<' + QByteArray::number(journalPriority(type)) + '>';
        QByteArray body = text;
        body.replace('\n', '\n' + prefix);
        return prefix + name + ": " + body;
    }
    // toStorageTime() is Qt::ISODateWithMs of the UTC time, written without QDateTime::toString's
    // cost (every request writes a line).
    return toStorageTime(QDateTime::currentDateTimeUtc()).toLatin1() + ' ' + levelName(type) + ' ' +
           name + ": " + text;
}

void installServerMessageHandler()
{
    journalOutput = stderrIsJournal();
    qInstallMessageHandler(handleMessage);
}

} // namespace SafeTill
