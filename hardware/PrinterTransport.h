#pragma once

#include "PrinterConfig.h"
#include "Result.h"

#include <QByteArray>

namespace SafeTill {

// Hands bytes (EscPos::bytes()) to the printer config names, blocking until they are handed over
// or config.timeoutMs has passed: run it off the UI thread (ReceiptPrinting does). Any thread:
// every call makes its own socket, port or process.
//   Serial   QSerialPort on config.serialPort at config.baudRate, 8N1, no flow control
//   Network  QTcpSocket to config.host:config.port (raw, "port 9100")
//   Cups     `lp -d QUEUE -o raw` (QProcess; lp from cups-client), the bytes on its stdin
// The number of bytes handed over, or Outcome::Error with a message that names the printer and
// what to check (Outcome::InvalidState when no printer is set). "Handed over" means accepted by
// the printer's connection, the port or the spooler: a printer out of paper may still accept them.
Result<qint64> sendToPrinter(const PrinterConfig &config, const QByteArray &bytes);

} // namespace SafeTill
