#pragma once

#include "SyncConfig.h"

#include <QDialog>

class QComboBox;
class QLineEdit;
class QLabel;

namespace SafeTill {

// Sync settings: the server URL, the device token file (mode 0600) and an optional trusted
// certificate. OK checks them (the token file's mode too) before anything is saved. Also the
// language of the screens (QSettings ui/language; the system's language when not set).
class SettingsDialog : public QDialog
{
    Q_OBJECT

public:
    explicit SettingsDialog(const SyncConfig &config, QWidget *parent = nullptr);
    // What the user accepted; empty URL and token file mean "no sync".
    SyncConfig config() const { return m_config; }

    void accept() override;

    // The warning shown under a server URL field while it names an http:// server other than this
    // machine (SyncConfig::cleartextWarning): the token and the PIN hashes would travel in the
    // clear. A warning, not a refusal: a private network may do without TLS. Also the set-up
    // wizard's.
    static QLabel *cleartextWarning(QLineEdit *url, QWidget *parent);

private:
    QLineEdit *m_url;
    QLineEdit *m_tokenFile;
    QLineEdit *m_certFile;
    QLabel *m_error;
    QComboBox *m_language = nullptr; // ui/language: the screens' language, from the next start
    SyncConfig m_config;
};

} // namespace SafeTill
