#include "SettingsDialog.h"

#include "Translations.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSettings>

using namespace Qt::StringLiterals;

namespace SafeTill {

namespace {

QWidget *withBrowse(QLineEdit *edit, const QString &title, QWidget *parent)
{
    auto *row = new QWidget(parent);
    auto *layout = new QHBoxLayout(row);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(edit, 1);
    auto *browse = new QPushButton(SettingsDialog::tr("Browse…"), row);
    layout->addWidget(browse);
    QObject::connect(browse, &QPushButton::clicked, edit, [edit, title, row] {
        const QString file = QFileDialog::getOpenFileName(row, title, edit->text());
        if (!file.isEmpty())
            edit->setText(file);
    });
    return row;
}

} // namespace

SettingsDialog::SettingsDialog(const SyncConfig &config, QWidget *parent)
    : QDialog(parent)
    , m_url(new QLineEdit(config.serverUrl.toString(), this))
    , m_tokenFile(new QLineEdit(config.tokenFile, this))
    , m_certFile(new QLineEdit(config.trustedCertFile, this))
    , m_error(new QLabel(this))
    , m_config(config)
{
    setObjectName(u"settingsDialog"_s);
    setWindowTitle(tr("Sync settings"));
    m_url->setObjectName(u"syncServerUrl"_s);
    m_url->setPlaceholderText(u"https://till-server.example:8443"_s);
    m_tokenFile->setObjectName(u"syncTokenFile"_s);
    m_certFile->setObjectName(u"syncTrustedCert"_s);
    m_error->setObjectName(u"settingsError"_s);
    m_error->setWordWrap(true);
    m_error->setStyleSheet(u"color: #b00020;"_s);
    auto *form = new QFormLayout(this);
    form->addRow(new QLabel(tr("Leave the server empty to use this till on its own. On a synced "
                               "till the server manages cashiers and the catalog."),
                            this));
    form->addRow(tr("Server URL"), m_url);
    QLabel *cleartext = cleartextWarning(m_url, this);
    cleartext->setObjectName(u"syncCleartextWarning"_s);
    form->addRow(cleartext);
    form->addRow(tr("Device token file (mode 0600)"),
                 withBrowse(m_tokenFile, tr("Device token file"), this));
    form->addRow(tr("Trusted certificate (optional)"),
                 withBrowse(m_certFile, tr("Trusted certificate"), this));
    // The language of the screens (issue 16), stored at once in ui/language.
    m_language = new QComboBox(this);
    m_language->setObjectName(u"languageChoice"_s);
    m_language->addItem(tr("The system's language"), QString());
    for (const QString &language : Translations::available())
        m_language->addItem(Translations::nativeName(language), language);
    m_language->setCurrentIndex(std::max(
        0, m_language->findData(
               QSettings().value(QLatin1StringView(Translations::settingsKey)).toString())));
    form->addRow(tr("Language (from the next start)"), m_language);
    form->addRow(m_error);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    connect(buttons, &QDialogButtonBox::accepted, this, &SettingsDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &SettingsDialog::reject);
    form->addRow(buttons);
}

QLabel *SettingsDialog::cleartextWarning(QLineEdit *url, QWidget *parent)
{
    auto *label = new QLabel(tr("Not encrypted: with http:// the device token and the cashiers' "
                                "PIN hashes travel in the clear. Use https:// unless this network "
                                "is private."),
                             parent);
    label->setWordWrap(true);
    label->setForegroundRole(QPalette::LinkVisited); // readable on light and dark themes
    const auto update = [url, label] {
        const QUrl typed(url->text().trimmed());
        label->setVisible(typed.isValid() && !SyncConfig::cleartextWarning(typed).isEmpty());
    };
    connect(url, &QLineEdit::textChanged, label, update);
    update();
    return label;
}

void SettingsDialog::accept()
{
    SyncConfig config;
    QString error;
    if (!m_url->text().trimmed().isEmpty()) {
        const std::optional<QUrl> url = SyncConfig::parseServerUrl(m_url->text(), &error);
        if (!url) {
            m_error->setText(error);
            return;
        }
        config.serverUrl = *url;
        config.tokenFile = m_tokenFile->text().trimmed();
        config.trustedCertFile = m_certFile->text().trimmed();
        if (!SyncConfig::readToken(config.tokenFile, &error) ||
            !SyncConfig::readTrustedCertificates(config.trustedCertFile, &error)) {
            m_error->setText(error);
            return;
        }
    }
    m_config = config;
    QSettings settings;
    const QString language = m_language->currentData().toString();
    if (settings.value(QLatin1StringView(Translations::settingsKey)).toString() != language) {
        if (language.isEmpty())
            settings.remove(QLatin1StringView(Translations::settingsKey));
        else
            settings.setValue(QLatin1StringView(Translations::settingsKey), language);
    }
    QDialog::accept();
}

} // namespace SafeTill
