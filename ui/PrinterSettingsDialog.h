#pragma once

#include "PrinterConfig.h"
#include "Types.h"

#include <QDialog>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;
class QStackedWidget;

namespace SafeTill {

class TillBackend;

// Settings → Receipt printer…: this till's ESC/POS printer (none, serial port, network printer on
// raw TCP 9100, or a CUPS raw queue) with its parameters, the characters per line, and whether
// the cash drawer opens on cash payments. "Test print" sends a test page to the printer as the
// fields say (saved or not) and shows the result in words. Saving needs a manager: the role is
// checked by the model (Approvals, the shop settings' permission) on the worker when OK is
// pressed; a field that is wrong is named and nothing is saved.
class PrinterSettingsDialog : public QDialog
{
    Q_OBJECT

public:
    PrinterSettingsDialog(TillBackend &backend, const Cashier &cashier, QWidget *parent = nullptr);

    // The fields as a config (not yet checked).
    PrinterConfig edited() const;
    QString errorText() const;
    QString testResult() const;
    bool isBusy() const { return m_busy; }

    void accept() override;

private:
    void showConfig(const PrinterConfig &config);
    void testPrint();
    void setBusy(bool busy);
    void showError(const QString &message);

    TillBackend &m_backend;
    Cashier m_cashier;
    QComboBox *m_backendChoice;
    QStackedWidget *m_pages;
    QComboBox *m_serialPort;
    QComboBox *m_baudRate;
    QLineEdit *m_host;
    QSpinBox *m_port;
    QLineEdit *m_queue;
    QSpinBox *m_columns;
    QCheckBox *m_drawerOnCash;
    QPushButton *m_test;
    QLabel *m_testResult;
    QLabel *m_error;
    QPushButton *m_save;
    bool m_busy = false;
    QDateTime m_configuredAt;
};

} // namespace SafeTill
