#include "PrinterConfig.h"

#include "Clock.h"

#include <QCoreApplication>
#include <QHostAddress>
#include <QRegularExpression>
#include <QSettings>
#include <QUrl>

using namespace Qt::StringLiterals;

namespace SafeTill {

namespace {

struct Text
{
    Q_DECLARE_TR_FUNCTIONS(SafeTill::PrinterConfig)
};

} // namespace

QString PrinterConfig::backendName(Backend backend)
{
    switch (backend) {
    case Backend::Serial:
        return u"serial"_s;
    case Backend::Network:
        return u"network"_s;
    case Backend::Cups:
        return u"cups"_s;
    case Backend::None:
        break;
    }
    return u"none"_s;
}

std::optional<PrinterConfig::Backend> PrinterConfig::backendFromName(const QString &name)
{
    for (Backend backend : {Backend::None, Backend::Serial, Backend::Network, Backend::Cups}) {
        if (backendName(backend) == name)
            return backend;
    }
    return std::nullopt;
}

QString PrinterConfig::describe() const
{
    switch (backend) {
    case Backend::Serial:
        return Text::tr("serial printer %1 (%2 baud)").arg(serialPort).arg(baudRate);
    case Backend::Network:
        return Text::tr("network printer %1:%2").arg(host).arg(port);
    case Backend::Cups:
        return Text::tr("CUPS queue %1").arg(cupsQueue);
    case Backend::None:
        break;
    }
    return Text::tr("no printer");
}

Result<PrinterConfig> PrinterConfig::validated() const
{
    using R = Result<PrinterConfig>;
    if (columns < 24 || columns > 64)
        return R::invalidInput(
            Text::tr("Columns: type a number of characters per line from 24 to 64 "
                     "(42 or 48 on 80 mm paper, 32 on 58 mm)."));
    if (timeoutMs < 500 || timeoutMs > 60000)
        return R::invalidInput(Text::tr("Timeout: from 0.5 to 60 seconds."));
    switch (backend) {
    case Backend::Serial: {
        if (serialPort.trimmed().isEmpty())
            return R::invalidInput(Text::tr("Serial port: name the port, e.g. /dev/ttyUSB0."));
        static const QList<qint32> rates = {1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200};
        if (!rates.contains(baudRate))
            return R::invalidInput(
                Text::tr("Baud rate: choose one of 1200, 2400, 4800, 9600, 19200, 38400, 57600, "
                         "115200 (most receipt printers: 9600 or 38400)."));
        break;
    }
    case Backend::Network: {
        const QString name = host.trimmed();
        static const QRegularExpression hostName(
            u"^[A-Za-z0-9]([A-Za-z0-9-]{0,62})(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,62}))*$"_s);
        if (name.isEmpty() || (QHostAddress(name).isNull() && !hostName.match(name).hasMatch()))
            return R::invalidInput(
                Text::tr("Printer address: type the printer's IP address or host name, e.g. "
                         "192.168.1.50."));
        if (port == 0)
            return R::invalidInput(
                Text::tr("Port: from 1 to 65535 (receipt printers listen on 9100)."));
        break;
    }
    case Backend::Cups: {
        static const QRegularExpression queueName(u"^[A-Za-z0-9_.-]{1,127}$"_s);
        if (!queueName.match(cupsQueue.trimmed()).hasMatch())
            return R::invalidInput(
                Text::tr("CUPS queue: type the queue's name as `lpstat -p` lists it "
                         "(letters, digits, '-', '_' and '.')."));
        break;
    }
    case Backend::None:
        break;
    }
    PrinterConfig clean = *this;
    clean.serialPort = serialPort.trimmed();
    clean.host = host.trimmed();
    clean.cupsQueue = cupsQueue.trimmed();
    return R::ok(clean);
}

PrinterConfig PrinterConfig::load(const QSettings &settings)
{
    PrinterConfig config;
    config.backend =
        backendFromName(settings.value(u"printer/backend"_s).toString()).value_or(Backend::None);
    config.serialPort = settings.value(u"printer/serialPort"_s).toString();
    config.baudRate = settings.value(u"printer/baudRate"_s, config.baudRate).toInt();
    config.host = settings.value(u"printer/host"_s).toString();
    config.port = quint16(settings.value(u"printer/port"_s, config.port).toUInt());
    config.cupsQueue = settings.value(u"printer/cupsQueue"_s).toString();
    config.columns = settings.value(u"printer/columns"_s, config.columns).toInt();
    config.drawerOnCash = settings.value(u"printer/drawerOnCash"_s, config.drawerOnCash).toBool();
    config.timeoutMs = settings.value(u"printer/timeoutMs"_s, config.timeoutMs).toInt();
    config.configuredAt = fromStorageTime(settings.value(u"printer/configuredAt"_s).toString());
    return config;
}

void PrinterConfig::save(QSettings &settings) const
{
    PrinterConfig stored = *this;
    const PrinterConfig before = load(settings);
    if (before.backend != backend || before.serialPort != serialPort || before.host != host ||
        before.port != port || before.cupsQueue != cupsQueue || !stored.configuredAt.isValid())
        stored.configuredAt = Clock::system().now();
    settings.setValue(u"printer/backend"_s, backendName(stored.backend));
    settings.setValue(u"printer/serialPort"_s, stored.serialPort);
    settings.setValue(u"printer/baudRate"_s, stored.baudRate);
    settings.setValue(u"printer/host"_s, stored.host);
    settings.setValue(u"printer/port"_s, stored.port);
    settings.setValue(u"printer/cupsQueue"_s, stored.cupsQueue);
    settings.setValue(u"printer/columns"_s, stored.columns);
    settings.setValue(u"printer/drawerOnCash"_s, stored.drawerOnCash);
    settings.setValue(u"printer/timeoutMs"_s, stored.timeoutMs);
    settings.setValue(u"printer/configuredAt"_s, toStorageTime(stored.configuredAt));
    settings.sync();
}

} // namespace SafeTill
