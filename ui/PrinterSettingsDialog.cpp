#include "PrinterSettingsDialog.h"

#include "Approvals.h"
#include "ReceiptPrinting.h"
#include "TillBackend.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSerialPortInfo>
#include <QSpinBox>
#include <QStackedWidget>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace SafeTill {

PrinterSettingsDialog::PrinterSettingsDialog(TillBackend &backend, const Cashier &cashier,
                                             QWidget *parent)
    : QDialog(parent)
    , m_backend(backend)
    , m_cashier(cashier)
    , m_backendChoice(new QComboBox(this))
    , m_pages(new QStackedWidget(this))
    , m_serialPort(new QComboBox(this))
    , m_baudRate(new QComboBox(this))
    , m_host(new QLineEdit(this))
    , m_port(new QSpinBox(this))
    , m_queue(new QLineEdit(this))
    , m_columns(new QSpinBox(this))
    , m_drawerOnCash(new QCheckBox(tr("Open the cash drawer on cash payments"), this))
    , m_test(new QPushButton(tr("&Test print"), this))
    , m_testResult(new QLabel(this))
    , m_error(new QLabel(this))
{
    setObjectName(u"printerSettingsDialog"_s);
    setWindowTitle(tr("Receipt printer"));
    m_backendChoice->setObjectName(u"printerBackend"_s);
    m_backendChoice->setAccessibleName(tr("Printer connection"));
    m_backendChoice->addItem(tr("No printer (show the receipt on screen)"),
                             PrinterConfig::backendName(PrinterConfig::Backend::None));
    m_backendChoice->addItem(tr("Serial or USB-serial port"),
                             PrinterConfig::backendName(PrinterConfig::Backend::Serial));
    m_backendChoice->addItem(tr("Network printer (raw TCP)"),
                             PrinterConfig::backendName(PrinterConfig::Backend::Network));
    m_backendChoice->addItem(tr("CUPS queue (raw)"),
                             PrinterConfig::backendName(PrinterConfig::Backend::Cups));

    // One page of parameters per connection, in the order of the choices.
    m_pages->addWidget(new QWidget(m_pages));
    auto *serial = new QWidget(m_pages);
    auto *serialForm = new QFormLayout(serial);
    m_serialPort->setObjectName(u"printerSerialPort"_s);
    m_serialPort->setEditable(true);
    for (const QSerialPortInfo &port : QSerialPortInfo::availablePorts())
        m_serialPort->addItem(port.systemLocation());
    m_serialPort->setAccessibleName(tr("Serial port"));
    m_baudRate->setObjectName(u"printerBaudRate"_s);
    m_baudRate->setAccessibleName(tr("Baud rate"));
    for (const int rate : {9600, 19200, 38400, 57600, 115200, 4800, 2400, 1200})
        m_baudRate->addItem(QString::number(rate), rate);
    serialForm->addRow(tr("Port"), m_serialPort);
    serialForm->addRow(tr("Baud rate"), m_baudRate);
    m_pages->addWidget(serial);
    auto *network = new QWidget(m_pages);
    auto *networkForm = new QFormLayout(network);
    m_host->setObjectName(u"printerHost"_s);
    m_host->setAccessibleName(tr("Printer address"));
    m_host->setPlaceholderText(u"192.168.1.50"_s);
    m_port->setObjectName(u"printerPort"_s);
    m_port->setAccessibleName(tr("Port"));
    m_port->setRange(1, 65535);
    networkForm->addRow(tr("Address"), m_host);
    networkForm->addRow(tr("Port"), m_port);
    m_pages->addWidget(network);
    auto *cups = new QWidget(m_pages);
    auto *cupsForm = new QFormLayout(cups);
    m_queue->setObjectName(u"printerQueue"_s);
    m_queue->setAccessibleName(tr("CUPS queue"));
    m_queue->setPlaceholderText(tr("as `lpstat -p` lists it"));
    cupsForm->addRow(tr("Queue"), m_queue);
    m_pages->addWidget(cups);

    m_columns->setObjectName(u"printerColumns"_s);
    m_columns->setAccessibleName(tr("Characters per line"));
    m_columns->setRange(24, 64);
    m_columns->setToolTip(tr("42 or 48 on 80 mm paper, 32 on 58 mm paper"));
    m_drawerOnCash->setObjectName(u"printerDrawerOnCash"_s);
    m_test->setObjectName(u"printerTest"_s);
    m_testResult->setObjectName(u"printerTestResult"_s);
    m_testResult->setWordWrap(true);
    m_error->setObjectName(u"printerError"_s);
    m_error->setWordWrap(true);
    // Bold in the palette's own text colour: readable on light and dark themes alike.
    QFont bold = m_error->font();
    bold.setBold(true);
    m_error->setFont(bold);
    m_error->hide();

    auto *form = new QFormLayout;
    form->addRow(tr("Connection"), m_backendChoice);
    form->addRow(m_pages);
    form->addRow(tr("Characters per line"), m_columns);
    form->addRow(m_drawerOnCash);
    auto *testRow = new QHBoxLayout;
    testRow->addWidget(m_test);
    testRow->addWidget(m_testResult, 1);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Save | QDialogButtonBox::Cancel, this);
    m_save = buttons->button(QDialogButtonBox::Save);
    m_save->setObjectName(u"printerSave"_s);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addLayout(testRow);
    layout->addWidget(m_error);
    layout->addWidget(buttons);

    connect(m_backendChoice, &QComboBox::currentIndexChanged, this, [this](int index) {
        m_pages->setCurrentIndex(index);
        m_test->setEnabled(!m_busy && index != 0);
    });
    connect(m_test, &QPushButton::clicked, this, &PrinterSettingsDialog::testPrint);
    connect(buttons, &QDialogButtonBox::accepted, this, &PrinterSettingsDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &PrinterSettingsDialog::reject);
    showConfig(ReceiptPrinting::config());
    setBusy(false);
}

void PrinterSettingsDialog::showConfig(const PrinterConfig &config)
{
    m_backendChoice->setCurrentIndex(int(config.backend));
    m_pages->setCurrentIndex(int(config.backend));
    m_serialPort->setCurrentText(config.serialPort);
    const int rate = m_baudRate->findData(config.baudRate);
    m_baudRate->setCurrentIndex(rate < 0 ? 0 : rate);
    m_host->setText(config.host);
    m_port->setValue(config.port);
    m_queue->setText(config.cupsQueue);
    m_columns->setValue(config.columns);
    m_drawerOnCash->setChecked(config.drawerOnCash);
    m_configuredAt = config.configuredAt;
}

PrinterConfig PrinterSettingsDialog::edited() const
{
    PrinterConfig config = ReceiptPrinting::config(); // keeps what the dialog does not show
    config.backend = PrinterConfig::backendFromName(m_backendChoice->currentData().toString())
                         .value_or(PrinterConfig::Backend::None);
    config.serialPort = m_serialPort->currentText();
    config.baudRate = m_baudRate->currentData().toInt();
    config.host = m_host->text();
    config.port = quint16(m_port->value());
    config.cupsQueue = m_queue->text();
    config.columns = m_columns->value();
    config.drawerOnCash = m_drawerOnCash->isChecked();
    return config;
}

QString PrinterSettingsDialog::errorText() const
{
    return m_error->text();
}

QString PrinterSettingsDialog::testResult() const
{
    return m_testResult->text();
}

void PrinterSettingsDialog::setBusy(bool busy)
{
    m_busy = busy;
    m_test->setEnabled(!busy && m_backendChoice->currentIndex() != 0);
    m_save->setEnabled(!busy);
}

void PrinterSettingsDialog::showError(const QString &message)
{
    m_error->setText(message);
    m_error->setVisible(!message.isEmpty());
}

void PrinterSettingsDialog::testPrint()
{
    const Result<PrinterConfig> config = edited().validated();
    if (!config) {
        showError(config.message());
        return;
    }
    showError({});
    setBusy(true);
    m_testResult->setText(tr("Printing a test page on the %1…").arg(config->describe()));
    QPointer<PrinterSettingsDialog> self(this);
    ReceiptPrinting::instance().testPrint(*config, [self](bool ok, const QString &message) {
        if (!self)
            return;
        self->setBusy(false);
        self->m_testResult->setText(ok ? message : tr("Test print failed: %1").arg(message));
    });
}

void PrinterSettingsDialog::accept()
{
    if (m_busy)
        return;
    const Result<PrinterConfig> config = edited().validated();
    if (!config) {
        showError(config.message());
        return;
    }
    if (m_cashier.id.isEmpty()) {
        showError(tr("Log in as a manager to change the receipt printer."));
        return;
    }
    showError({});
    setBusy(true);
    m_backend.query(
        this,
        [cashier = m_cashier.id](Services &services) {
            return services.approvals().authorize(cashier, Permission::ShopSettings);
        },
        [this, checked = *config](const Result<Authorization> &allowed) {
            setBusy(false);
            if (!allowed) {
                showError(allowed.outcome() == Outcome::Forbidden
                              ? tr("Only a manager can change the receipt printer; %1 is a "
                                   "cashier. Ask a manager to log in and change it.")
                                    .arg(m_cashier.name)
                              : allowed.message());
                return;
            }
            ReceiptPrinting::saveConfig(checked);
            QDialog::accept();
        });
}

} // namespace SafeTill
