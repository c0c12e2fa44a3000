#pragma once

#include <QByteArray>
#include <QList>
#include <QSslCertificate>
#include <QString>
#include <QUrl>

#include <optional>

class QSettings;

namespace SafeTill {

// Where a terminal syncs to. The device token itself is never kept here: only the path of a file
// that holds it (mode 0600), so it is never a command-line argument and never world-readable.
struct SyncConfig
{
    QUrl serverUrl;          // http:// or https://, no path beyond "/"
    QString tokenFile;       // mode 0600
    QString trustedCertFile; // optional: a PEM certificate accepted despite TLS errors

    bool isConfigured() const { return serverUrl.isValid() && !tokenFile.isEmpty(); }

    // QSettings keys under "sync/".
    static SyncConfig load(const QSettings &settings);
    void save(QSettings &settings) const;

    // Checks a server URL typed by a person; nullopt and *error when it is not usable.
    static std::optional<QUrl> parseServerUrl(const QString &text, QString *error);
    // A warning when the server is reached without TLS over a network (http:// to a host other
    // than this machine): the device token and the cashiers' PIN hashes would travel in the
    // clear. Empty for https:// and for loopback.
    static QString cleartextWarning(const QUrl &url);
    // Reads the device token: the file must be a regular file, readable and writable only by its
    // owner (mode 0600 or stricter) and hold one token of base64url characters.
    static std::optional<QByteArray> readToken(const QString &path, QString *error);
    // Reads the PEM certificate(s) the user trusts; empty path gives an empty list.
    static std::optional<QList<QSslCertificate>> readTrustedCertificates(const QString &path,
                                                                         QString *error);
};

} // namespace SafeTill
