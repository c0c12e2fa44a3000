#pragma once

#include <QLoggingCategory>

// safetill.server: start, stop, failures. safetill.server.request: one line per request (method,
// path, status, duration, request id), so the request log can be switched off on its own.
Q_DECLARE_LOGGING_CATEGORY(lcServer)
Q_DECLARE_LOGGING_CATEGORY(lcRequest)
