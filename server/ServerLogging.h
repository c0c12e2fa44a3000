#pragma once

#include <QLoggingCategory>

// safetill.server: start, stop, failures. safetill.server.request: one line per request (method,
// path, status, duration, request id), so the request log can be switched off on its own.
// safetill.server.connection: each connection accepted and freed (debug level, off by default;
// QT_LOGGING_RULES="safetill.server.connection.debug=true" shows them).
Q_DECLARE_LOGGING_CATEGORY(lcServer)
Q_DECLARE_LOGGING_CATEGORY(lcRequest)
Q_DECLARE_LOGGING_CATEGORY(lcConnection)
