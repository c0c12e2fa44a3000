#pragma once

#include <QLoggingCategory>

// safetill.server: start, stop, failures. safetill.server.request: one line per request (method,
// path, status, duration, request id), so the request log can be switched off on its own.
// safetill.server.connection: each connection accepted and freed (debug level, off by default;
// QT_LOGGING_RULES="safetill.server.connection.debug=true" shows them).
Q_DECLARE_LOGGING_CATEGORY(lcServer)
Q_DECLARE_LOGGING_CATEGORY(lcRequest)
Q_DECLARE_LOGGING_CATEGORY(lcConnection)

namespace SafeTill {

// The server's log lines on standard error, for whoever reads them:
// - when stderr is the systemd journal (JOURNAL_STREAM names stderr's device and inode, see
//   systemd.exec(5)), each line starts with its sd-daemon priority, e.g. "<6>safetill.server:
//   listening ..." (debug 7, info 6, warning 4, critical 2, fatal 0), so journalctl -p works
//   and the journal adds the time itself;
// - otherwise "2026-01-31T12:00:00.000Z INFO safetill.server: listening ...", time in UTC.
// Each line is written with one write(), so lines of different threads never interleave.
void installServerMessageHandler();

// The line the handler writes for a message (without the newline); journal: the journal format.
QByteArray formatServerLogLine(QtMsgType type, const char *category, const QString &message,
                               bool journal);

// True when JOURNAL_STREAM names the file standard error is (its device:inode).
bool stderrIsJournal();

} // namespace SafeTill
