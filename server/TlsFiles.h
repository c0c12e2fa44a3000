#pragma once

#include <QSslConfiguration>
#include <QString>

#include <optional>

namespace SafeTill {

// The server's certificate and private key, read from their PEM files (--tls-cert, --tls-key) at
// start and again on SIGHUP (a renewed certificate, e.g. from certbot, without a restart).

// Why the key file must not be used: readable by every local user (a key others can read is as
// good as published). Empty when it is fine or cannot be stat()ed (reading it then says why).
QString worldReadableKeyProblem(const QString &keyFile);

// The server's TLS configuration from the two files: both readable, valid PEM (an RSA or EC key),
// the key not world-readable, the certificate not expired. On failure *error says why, naming the
// file.
std::optional<QSslConfiguration> loadTlsConfiguration(const QString &certificateFile,
                                                      const QString &keyFile, QString *error);

} // namespace SafeTill
