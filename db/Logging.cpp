#include "Logging.h"

Q_LOGGING_CATEGORY(lcDb, "safetill.db", QtWarningMsg)
