#pragma once

#include <QString>

namespace SafeTill {

// The server's messages to systemd (Type=notify; sd_notify(3), libsystemd). Without
// NOTIFY_SOCKET (not started by systemd) each is a no-op.
namespace ServiceNotifier {

// The listener is up and the database migrated: the service is started.
void ready(const QString &status);
// A SIGHUP is being handled (the TLS files are read again); ready() follows.
void reloading();
// Shutdown has begun: stopping, finishing the requests in flight.
void stopping(const QString &status);
void status(const QString &status);

} // namespace ServiceNotifier

} // namespace SafeTill
