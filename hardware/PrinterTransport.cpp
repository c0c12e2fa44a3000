#include "PrinterTransport.h"

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QProcess>
#include <QSerialPort>
#include <QStandardPaths>
#include <QTcpSocket>

using namespace Qt::StringLiterals;

namespace SafeTill {

namespace {

struct Text
{
    Q_DECLARE_TR_FUNCTIONS(SafeTill::PrinterTransport)
};

Result<qint64> failed(const QString &message)
{
    return Result<qint64>::failure(Outcome::Error, message);
}

int remaining(const QDeadlineTimer &deadline)
{
    return int(qMax<qint64>(1, deadline.remainingTime()));
}

// Writes everything through device (a connected socket or an open port) before the deadline.
template<typename Device>
std::optional<QString> writeAll(Device &device, const QByteArray &bytes,
                                const QDeadlineTimer &deadline)
{
    qint64 written = 0;
    while (written < bytes.size()) {
        const qint64 now = device.write(bytes.constData() + written, bytes.size() - written);
        if (now < 0)
            return device.errorString();
        written += now;
    }
    while (device.bytesToWrite() > 0) {
        if (deadline.hasExpired() || !device.waitForBytesWritten(remaining(deadline)))
            return deadline.hasExpired() ? Text::tr("it took the data too slowly (timed out)")
                                         : device.errorString();
    }
    return std::nullopt;
}

Result<qint64> sendNetwork(const PrinterConfig &config, const QByteArray &bytes,
                           const QDeadlineTimer &deadline)
{
    const QString where = u"%1:%2"_s.arg(config.host).arg(config.port);
    QTcpSocket socket;
    socket.connectToHost(config.host, config.port);
    if (!socket.waitForConnected(remaining(deadline))) {
        const bool timedOut = socket.error() == QAbstractSocket::SocketTimeoutError;
        return failed(timedOut
                          ? Text::tr("The network printer at %1 did not answer within %2 s; check "
                                     "that it is on and its address is right.")
                                .arg(where)
                                .arg(config.timeoutMs / 1000.0)
                          : Text::tr("Could not reach the network printer at %1: %2. Check that "
                                     "it is on and its address is right.")
                                .arg(where, socket.errorString()));
    }
    if (const std::optional<QString> error = writeAll(socket, bytes, deadline)) {
        return failed(Text::tr("The network printer at %1 stopped taking the receipt: %2.")
                          .arg(where, *error));
    }
    socket.disconnectFromHost();
    if (socket.state() != QAbstractSocket::UnconnectedState)
        socket.waitForDisconnected(remaining(deadline));
    return Result<qint64>::ok(bytes.size());
}

Result<qint64> sendSerial(const PrinterConfig &config, const QByteArray &bytes,
                          const QDeadlineTimer &deadline)
{
    QSerialPort port;
    port.setPortName(config.serialPort);
    if (!port.open(QIODevice::WriteOnly)) {
        return failed(
            Text::tr("Could not open the printer's serial port %1: %2. Check the cable and "
                     "that this user may use the port (group dialout).")
                .arg(config.serialPort, port.errorString()));
    }
    port.setBaudRate(config.baudRate);
    port.setDataBits(QSerialPort::Data8);
    port.setParity(QSerialPort::NoParity);
    port.setStopBits(QSerialPort::OneStop);
    port.setFlowControl(QSerialPort::NoFlowControl);
    if (const std::optional<QString> error = writeAll(port, bytes, deadline)) {
        return failed(Text::tr("The serial printer on %1 stopped taking the receipt: %2.")
                          .arg(config.serialPort, *error));
    }
    port.close();
    return Result<qint64>::ok(bytes.size());
}

Result<qint64> sendCups(const PrinterConfig &config, const QByteArray &bytes,
                        const QDeadlineTimer &deadline)
{
    const QString lp = QStandardPaths::findExecutable(u"lp"_s);
    if (lp.isEmpty())
        return failed(
            Text::tr("The program lp was not found: install the package cups-client to print "
                     "to the CUPS queue %1.")
                .arg(config.cupsQueue));
    QProcess process;
    process.start(lp, {u"-d"_s, config.cupsQueue, u"-o"_s, u"raw"_s});
    if (!process.waitForStarted(remaining(deadline)))
        return failed(Text::tr("Could not start lp: %1.").arg(process.errorString()));
    process.write(bytes);
    process.closeWriteChannel();
    if (!process.waitForFinished(remaining(deadline))) {
        process.kill();
        process.waitForFinished(1000);
        return failed(Text::tr("CUPS did not take the receipt for queue %1 within %2 s; check that "
                               "cupsd is running.")
                          .arg(config.cupsQueue)
                          .arg(config.timeoutMs / 1000.0));
    }
    if (process.exitStatus() != QProcess::NormalExit || process.exitCode() != 0) {
        const QString said = QString::fromLocal8Bit(process.readAllStandardError()).trimmed();
        return failed(Text::tr("CUPS refused the receipt for queue %1: %2")
                          .arg(config.cupsQueue,
                               said.isEmpty()
                                   ? Text::tr("lp exited with code %1").arg(process.exitCode())
                                   : said));
    }
    return Result<qint64>::ok(bytes.size());
}

} // namespace

Result<qint64> sendToPrinter(const PrinterConfig &config, const QByteArray &bytes)
{
    const QDeadlineTimer deadline(qMax(1, config.timeoutMs));
    switch (config.backend) {
    case PrinterConfig::Backend::Network:
        return sendNetwork(config, bytes, deadline);
    case PrinterConfig::Backend::Serial:
        return sendSerial(config, bytes, deadline);
    case PrinterConfig::Backend::Cups:
        return sendCups(config, bytes, deadline);
    case PrinterConfig::Backend::None:
        break;
    }
    return Result<qint64>::failure(Outcome::InvalidState,
                                   Text::tr("No receipt printer is set up on this till (Settings → "
                                            "Receipt printer)."));
}

} // namespace SafeTill
