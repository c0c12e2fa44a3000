#include "ServerLogging.h"

Q_LOGGING_CATEGORY(lcServer, "safetill.server")
Q_LOGGING_CATEGORY(lcRequest, "safetill.server.request")
Q_LOGGING_CATEGORY(lcConnection, "safetill.server.connection", QtInfoMsg)
