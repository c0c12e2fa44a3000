#include "TlsFiles.h"

#include <QDateTime>
#include <QFile>
#include <QSslCertificate>
#include <QSslKey>

#include <sys/stat.h>

using namespace Qt::StringLiterals;

namespace SafeTill {

QString worldReadableKeyProblem(const QString &keyFile)
{
    struct stat key = {};
    if (::stat(QFile::encodeName(keyFile).constData(), &key) != 0 || (key.st_mode & S_IROTH) == 0)
        return {};
    return u"--tls-key %1 is readable by every user (mode %2): the server refuses a private key "
           "others can read. Make it readable by its owner only (chmod 600 %1), or by its group "
           "(chmod 640)."_s.arg(keyFile)
               .arg(key.st_mode & 07777, 4, 8, QLatin1Char('0'));
}

std::optional<QSslConfiguration> loadTlsConfiguration(const QString &certificateFile,
                                                      const QString &keyFile, QString *error)
{
    if (const QString problem = worldReadableKeyProblem(keyFile); !problem.isEmpty()) {
        *error = problem;
        return std::nullopt;
    }
    QFile certFile(certificateFile);
    if (!certFile.open(QIODevice::ReadOnly)) {
        *error = u"Cannot read the TLS certificate %1: %2"_s.arg(certificateFile,
                                                                 certFile.errorString());
        return std::nullopt;
    }
    QFile keyData(keyFile);
    if (!keyData.open(QIODevice::ReadOnly)) {
        *error = u"Cannot read the TLS key %1: %2"_s.arg(keyFile, keyData.errorString());
        return std::nullopt;
    }
    const QSslCertificate certificate(&certFile, QSsl::Pem);
    if (certificate.isNull()) {
        *error = u"The TLS certificate %1 is not a valid PEM certificate."_s.arg(certificateFile);
        return std::nullopt;
    }
    const QByteArray pem = keyData.readAll();
    QSslKey key(pem, QSsl::Rsa, QSsl::Pem);
    if (key.isNull())
        key = QSslKey(pem, QSsl::Ec, QSsl::Pem);
    if (key.isNull()) {
        *error = u"The TLS key %1 is not a valid PEM private key (RSA or EC)."_s.arg(keyFile);
        return std::nullopt;
    }
    if (certificate.expiryDate() < QDateTime::currentDateTimeUtc()) {
        *error = u"The TLS certificate %1 expired on %2."_s.arg(
            certificateFile, certificate.expiryDate().toUTC().toString(Qt::ISODate));
        return std::nullopt;
    }
    QSslConfiguration configuration = QSslConfiguration::defaultConfiguration();
    configuration.setLocalCertificate(certificate);
    configuration.setPrivateKey(key);
    configuration.setPeerVerifyMode(QSslSocket::VerifyNone);
    return configuration;
}

} // namespace SafeTill
