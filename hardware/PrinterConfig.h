#pragma once

#include "Result.h"

#include <QDateTime>
#include <QString>

class QSettings;

namespace SafeTill {

// Where this till's receipt printer is and how receipts are laid out on it. A till's own setting
// (a printer is attached to one till), kept in QSettings under "printer/": the printer settings
// dialog writes it, the GUI reads it when a receipt is due.
struct PrinterConfig
{
    enum class Backend { None, Serial, Network, Cups };

    Backend backend = Backend::None;
    // Serial or USB-serial: the port (/dev/ttyUSB0, /dev/ttyS0, or a name QSerialPortInfo lists)
    // and its speed; 8N1 with hardware flow control off, as ESC/POS printers ship.
    QString serialPort;
    qint32 baudRate = 9600;
    // Network printer: raw TCP ("JetDirect", port 9100).
    QString host;
    quint16 port = 9100;
    // A CUPS queue set up as raw: the bytes go through `lp -d QUEUE -o raw` untouched.
    QString cupsQueue;
    // Characters per line: 42 (80 mm paper, font B 48) or 48; 32 for 58 mm paper.
    int columns = 42;
    // Open the cash drawer (kick pulse) with every receipt of a sale that took cash.
    bool drawerOnCash = true;
    // How long one print may take to connect and hand over its bytes.
    int timeoutMs = 5000;
    // When a printer was last set (UTC): sales paid since then without a printed receipt are
    // listed as "not printed".
    QDateTime configuredAt;

    bool enabled() const { return backend != Backend::None; }
    // A short description for messages: "network printer 10.0.0.5:9100".
    QString describe() const;

    // Each field checked; InvalidInput naming the field otherwise.
    Result<PrinterConfig> validated() const;

    static PrinterConfig load(const QSettings &settings);
    // Writes every field (configuredAt set to now when the printer changed).
    void save(QSettings &settings) const;

    static QString backendName(Backend backend);
    static std::optional<Backend> backendFromName(const QString &name);
    bool operator==(const PrinterConfig &) const = default;
};

} // namespace SafeTill
