#include "SyncConfig.h"

#include <QCoreApplication>
#include <QFile>
#include <QFileInfo>
#include <QHostAddress>
#include <QRegularExpression>
#include <QSettings>

#include <sys/stat.h>

using namespace Qt::StringLiterals;

namespace SafeTill {

namespace {
constexpr qint64 maxTokenFileBytes = 4096;

// The messages a person reads in the set-up wizard and Settings -> Sync... (translated).
struct Text
{
    Q_DECLARE_TR_FUNCTIONS(SafeTill::SyncConfig)
};

// Stored as absolute paths: a relative one would be read against whatever folder the till is
// started from next time, and sync would stop with "cannot read the token file".
QString absolutePath(const QString &path)
{
    return path.isEmpty() ? path : QFileInfo(path).absoluteFilePath();
}
} // namespace

SyncConfig SyncConfig::load(const QSettings &settings)
{
    SyncConfig config;
    const QString url = settings.value(u"sync/serverUrl"_s).toString();
    if (!url.isEmpty())
        config.serverUrl = QUrl(url, QUrl::StrictMode);
    config.tokenFile = settings.value(u"sync/tokenFile"_s).toString();
    config.trustedCertFile = settings.value(u"sync/trustedCertFile"_s).toString();
    return config;
}

void SyncConfig::save(QSettings &settings) const
{
    settings.setValue(u"sync/serverUrl"_s, serverUrl.toString());
    settings.setValue(u"sync/tokenFile"_s, absolutePath(tokenFile));
    settings.setValue(u"sync/trustedCertFile"_s, absolutePath(trustedCertFile));
}

std::optional<QUrl> SyncConfig::parseServerUrl(const QString &text, QString *error)
{
    const QUrl url(text.trimmed(), QUrl::StrictMode);
    if (!url.isValid() || (url.scheme() != u"http"_s && url.scheme() != u"https"_s) ||
        url.host().isEmpty()) {
        *error = Text::tr("The server URL \"%1\" is not usable: give http://HOST:PORT or "
                          "https://HOST:PORT.")
                     .arg(text);
        return std::nullopt;
    }
    if (!url.userInfo().isEmpty() || url.hasQuery() || url.hasFragment() ||
        (!url.path().isEmpty() && url.path() != u"/"_s)) {
        *error =
            Text::tr(
                "The server URL \"%1\" must be just the scheme, host and port (the device token "
                "goes in a token file, not in the URL).")
                .arg(text);
        return std::nullopt;
    }
    return url.adjusted(QUrl::RemovePath);
}

QString SyncConfig::cleartextWarning(const QUrl &url)
{
    if (url.scheme() != u"http"_s)
        return {};
    const QString host = url.host();
    const QHostAddress address(host);
    if (host == u"localhost"_s || (!address.isNull() && address.isLoopback()))
        return {};
    return Text::
        tr("Warning: the server %1 is reached without encryption (http://): the device token and "
           "the cashiers' PIN hashes travel in the clear. Use https:// unless this network is "
           "private.")
            .arg(url.toString());
}

std::optional<QByteArray> SyncConfig::readToken(const QString &path, QString *error)
{
    if (path.isEmpty()) {
        *error = Text::tr("No device token file is configured (--token-file FILE, mode 0600).");
        return std::nullopt;
    }
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = Text::tr("Cannot read the token file %1: %2").arg(path, file.errorString());
        return std::nullopt;
    }
    // Checked on the open file, so the mode belongs to the file actually read.
    struct stat info
    {
    };
    if (fstat(file.handle(), &info) != 0 || !S_ISREG(info.st_mode)) {
        *error = Text::tr("The token file %1 is not a regular file.").arg(path);
        return std::nullopt;
    }
    if ((info.st_mode & 077) != 0) {
        *error =
            Text::tr("Refusing the token file %1: it is readable or writable by other users (mode "
                     "%2). The device token is a secret: run \"chmod 600 %1\".")
                .arg(path, QString::number(info.st_mode & 0777, 8).rightJustified(4, u'0'));
        return std::nullopt;
    }
    const QByteArray token = file.read(maxTokenFileBytes + 1).trimmed();
    static const QRegularExpression tokenPattern(u"^[A-Za-z0-9_-]{16,512}$"_s);
    if (token.size() > maxTokenFileBytes ||
        !tokenPattern.match(QString::fromLatin1(token)).hasMatch()) {
        *error = Text::tr("The token file %1 does not hold a device token (one line of base64url "
                          "characters, as printed by \"safetill-server device add NAME\").")
                     .arg(path);
        return std::nullopt;
    }
    return token;
}

std::optional<QList<QSslCertificate>> SyncConfig::readTrustedCertificates(const QString &path,
                                                                          QString *error)
{
    if (path.isEmpty())
        return QList<QSslCertificate>{};
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *error =
            Text::tr("Cannot read the trusted certificate %1: %2").arg(path, file.errorString());
        return std::nullopt;
    }
    const QList<QSslCertificate> certificates =
        QSslCertificate::fromData(file.read(1024 * 1024), QSsl::Pem);
    if (certificates.isEmpty()) {
        *error = Text::tr("The trusted certificate file %1 holds no PEM certificate.").arg(path);
        return std::nullopt;
    }
    return certificates;
}

} // namespace SafeTill
