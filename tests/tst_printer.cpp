// The receipt printer and the cash drawer (issue 16): the ESC/POS encoder's bytes, the receipt as
// ESC/POS, the transports against fake printers (a local TCP listener, a pty, a fake `lp`), the
// printer's settings, and the exactly-once printed state of a receipt.
#include "Clock.h"
#include "EscPos.h"
#include "EscPosReceipt.h"
#include "FakePrinter.h"
#include "Money.h"
#include "PrintStore.h"
#include "PrinterConfig.h"
#include "PrinterTransport.h"
#include "RaceChecks.h"
#include "Services.h"
#include "Tax.h"
#include "TestSupport.h"

#include <QDeadlineTimer>
#include <QFile>
#include <QLocale>
#include <QSerialPort>
#include <QSettings>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

#include <atomic>
#include <barrier>
#include <memory>
#include <mutex>

#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

using namespace SafeTill;
using namespace Qt::StringLiterals;

namespace {

QByteArray hex(const char *text)
{
    return QByteArray::fromHex(text);
}

// Runs sendToPrinter on a thread of its own while this thread's event loop serves the fake
// printer; bounded by the config's timeout (plus a margin).
Result<qint64> sendAsync(const PrinterConfig &config, const QByteArray &bytes)
{
    std::optional<Result<qint64>> result;
    QThread *thread = QThread::create([&] { result = sendToPrinter(config, bytes); });
    thread->start();
    QDeadlineTimer deadline(config.timeoutMs + 5000);
    while (!thread->isFinished() && !deadline.hasExpired())
        QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
    thread->wait();
    delete thread;
    return result ? *result : Result<qint64>::failure(Outcome::Error, u"no result"_s);
}

OrderLine line(int no, const QString &name, Cents price, int quantity, const QString &taxCode = {},
               int rateBp = 0)
{
    OrderLine made;
    made.lineNo = no;
    made.name = name;
    made.unitPriceCents = price;
    made.quantity = quantity;
    made.lineId = Test::newId();
    made.taxCode = taxCode;
    made.taxRateBp = rateBp;
    return made;
}

// A sale of 3 lines (one with a 10 % line discount), an order discount of €1.00, paid €5.00 by card
// and the rest in cash (tendered €20.00).
Order splitTenderSale()
{
    Order order;
    order.id = Test::newId();
    order.cashierName = u"Alice"_s;
    order.status = OrderStatus::Completed;
    order.receiptNo = u"A1B2-000042"_s;
    order.terminalId = u"A1B2C3D4E5"_s;
    order.completedAt = fromStorageTime(u"2026-12-05T09:30:00.000Z"_s);
    order.lines = {line(1, u"Coffee"_s, 300, 2, u"A"_s, 1900),
                   line(2, u"Croissant"_s, 250, 1, u"A"_s, 1900),
                   line(3, u"Müsli mit Äpfeln"_s, 450, 1, u"B"_s, 700)};
    order.lines[1].discount = Discount{DiscountKind::Percent, 1000, u"Staff"_s, {}};
    order.discount = Discount{DiscountKind::Amount, 100, u"Loyalty"_s, {}};
    const Cents total = order.totalCents();
    Payment card = Payment::sale(Test::newId(), PaymentMethod::Card, 500, 500, {},
                                 order.completedAt, 1, order.terminalId);
    Payment cash = Payment::sale(Test::newId(), PaymentMethod::Cash, total - 500, 2000,
                                 order.receiptNo, order.completedAt, 1, order.terminalId);
    order.payments = {card, cash};
    order.payment = cash;
    return order;
}

ShopProfile shop()
{
    ShopProfile profile;
    profile.name = u"Café Nord"_s;
    profile.address = {u"Hauptstraße 1"_s, u"20095 Hamburg"_s};
    profile.taxNumber = u"DE123456789"_s;
    profile.footer = u"Danke!"_s;
    profile.currency = Currency{u"EUR"_s, 2};
    return profile;
}

// "left ...... right" at width columns.
QString justified(const QString &left, const QString &right, int columns = 42)
{
    return left.leftJustified(columns - int(right.size()), u' ') + right;
}

} // namespace

class PrinterTest : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();

    void encoderCommands();
    void encoderCodePage();
    void receiptLinesDiscountsAndSplitTender();
    void receiptCopyAndKick();
    void receiptWrapsLongNames();
    void configValidationNamesTheField();
    void configRoundTripsThroughQSettings();

    void networkTransportDeliversBytes();
    void networkTransportRefusedIsClear();
    void serialTransportOverPty();
    void cupsTransportThroughLp();

    void originalClaimedOnceAcrossConnections();
    void crashBetweenPaymentAndPrintIsListed();
    void killedWhilePrintingIsInterruptedAtOnce();
    void failedPrintCanBePrintedNow();
    void copiesAreRecordedEachTime();

private:
    // A fresh database with the demo catalog, on the suite's backend, and a sale on it.
    void freshDatabase();
    QString sell(PaymentMethod method = PaymentMethod::Cash);

    std::unique_ptr<Test::TestDatabase> m_tdb;
    std::unique_ptr<ManualClock> m_clock;
    std::unique_ptr<Services> m_services;
};

void PrinterTest::initTestCase()
{
    SAFETILL_REQUIRE_TEST_BACKEND();
    QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedStates));
}

void PrinterTest::encoderCommands()
{
    EscPos out;
    out.init();
    QCOMPARE(out.bytes(), hex("1b40"
                              "1b7413"));

    QCOMPARE(EscPos().bold(true).bytes(), hex("1b4501"));
    QCOMPARE(EscPos().bold(false).bytes(), hex("1b4500"));
    QCOMPARE(EscPos().doubleSize(true).bytes(), hex("1d2111"));
    QCOMPARE(EscPos().doubleSize(false).bytes(), hex("1d2100"));
    QCOMPARE(EscPos().align(EscPos::Align::Center).bytes(), hex("1b6101"));
    QCOMPARE(EscPos().align(EscPos::Align::Right).bytes(), hex("1b6102"));
    QCOMPARE(EscPos().feed(3).bytes(), hex("1b6403"));
    QCOMPARE(EscPos().feed(1000).bytes(), hex("1b64ff"));
    QCOMPARE(EscPos().cut(EscPos::Cut::Full).bytes(), hex("1d5600"));
    QCOMPARE(EscPos().cut(EscPos::Cut::Partial).bytes(), hex("1d5601"));
    // The drawer kick: ESC p 0 25 250 (50 ms on, 500 ms off), and drawer 2.
    QCOMPARE(EscPos().kick().bytes(), hex("1b700019fa"));
    QCOMPARE(EscPos().kick(EscPos::Drawer::Two, 100, 200).bytes(), hex("1b70013264"));
    QCOMPARE(EscPos().line(u"Hi"_s).bytes(), QByteArray("Hi\n"));
}

void PrinterTest::encoderCodePage()
{
    // PC858: € at 0xD5, the German letters at their CP850 places.
    QCOMPARE(EscPos::encode(u"€"_s), hex("d5"));
    QCOMPARE(EscPos::encode(u"äöüÄÖÜß"_s), hex("849481 8e999a e1"));
    QCOMPARE(EscPos::encode(u"é è à ç £"_s), hex("82 20 8a 20 85 20 87 20 9c"));
    QCOMPARE(EscPos::encode(u"12,34\u00A0€"_s), QByteArray("12,34 \xD5"));
    // Look-alikes, and '?' for what the code page lacks.
    QCOMPARE(EscPos::encode(u"\u2212 \u201Cx\u201D \u2026"_s), QByteArray("- \"x\" ..."));
    QCOMPARE(EscPos::encode(u"漢"_s), QByteArray("?"));
    QCOMPARE(EscPos::encode(u"😀"_s), QByteArray("?"));
    // No control character from text can become a command (an ESC in a product name).
    QCOMPARE(EscPos::encode(u"A\x1b@B\tC"_s), QByteArray("A@BC"));
    QCOMPARE(EscPos::decode(EscPos::encode(u"Müsli €5"_s)), u"Müsli €5"_s);
    QCOMPARE(EscPos::width(u"Grüße €"_s), 7);
}

void PrinterTest::receiptLinesDiscountsAndSplitTender()
{
    const Order order = splitTenderSale();
    const QByteArray bytes = escPosReceipt(order, shop(), ReceiptLayout{42, false, false});
    QVERIFY(bytes.startsWith(hex("1b40"
                                 "1b7413")));
    QVERIFY(bytes.endsWith(hex("1b6404"
                               "1d5601"))); // feed and partial cut
    QVERIFY(!bytes.contains(hex("1b70")));  // no drawer kick unless asked
    const QStringList lines = escPosReceiptText(bytes);
    for (const QString &printed : lines)
        QVERIFY2(printed.size() <= 42, qPrintable(printed));
    QVERIFY(lines.contains(u"Café Nord"_s));
    QVERIFY(lines.contains(u"Hauptstraße 1"_s));
    QVERIFY(lines.contains(u"Tax number DE123456789"_s));
    QVERIFY(lines.contains(u"Receipt A1B2-000042"_s));
    QVERIFY(lines.contains(u"Served by Alice"_s));
    QVERIFY(lines.contains(u"Terminal A1B2C3D4"_s));
    QVERIFY2(lines.contains(justified(u"2 x Coffee A"_s, u"€6.00"_s)),
             qPrintable(lines.join(u'\n')));
    QVERIFY(lines.contains(justified(u"1 x Croissant A"_s, u"€2.50"_s)));
    QVERIFY(lines.contains(justified(u"  Discount 10% (Staff)"_s, u"-€0.25"_s)));
    QVERIFY(lines.contains(justified(u"1 x Müsli mit Äpfeln B"_s, u"€4.50"_s)));
    // 6.00 + 2.25 + 4.50 = 12.75, less the order's 1.00.
    QVERIFY(lines.contains(justified(u"Subtotal"_s, u"€12.75"_s)));
    QVERIFY(lines.contains(justified(u"Order discount €1.00 (Loyalty)"_s, u"-€1.00"_s)));
    QVERIFY(lines.contains(justified(u"Total"_s, u"€11.75"_s)));
    QVERIFY(lines.contains(justified(u"Card"_s, u"€5.00"_s)));
    QVERIFY(lines.contains(justified(u"Cash"_s, u"€6.75"_s)));
    QVERIFY(lines.contains(justified(u"  Tendered"_s, u"€20.00"_s)));
    QVERIFY(lines.contains(justified(u"  Change"_s, u"€13.25"_s)));
    QVERIFY(lines.contains(u"Danke!"_s));
    QVERIFY(!lines.contains(u"COPY"_s));
    // The tax table: one row per rate, net + tax = gross.
    const auto taxRow = std::find_if(lines.cbegin(), lines.cend(), [](const QString &text) {
        return text.startsWith(u"B 7%"_s);
    });
    QVERIFY(taxRow != lines.cend());
    // B's row as the model's tax table has it (its share of the order discount taken off).
    const TaxTable table = taxTable(order.lines, order.discount);
    QCOMPARE(table.rows.size(), 2);
    const TaxLine &b = table.rows.at(1);
    QCOMPARE(b.code, u"B"_s);
    QCOMPARE(taxRow->simplified(),
             u"B 7% %1 %2 %3"_s.arg(formatMoney(b.netCents, {u"EUR"_s, 2}),
                                    formatMoney(b.taxCents, {u"EUR"_s, 2}),
                                    formatMoney(b.grossCents, {u"EUR"_s, 2})));
    QCOMPARE(b.netCents + b.taxCents, b.grossCents);
    // The total is bold: ESC E 1 just before it.
    QVERIFY(bytes.contains(hex("1b4501") + EscPos::encode(justified(u"Total"_s, u"€11.75"_s))));
    // 48 columns: the same receipt, wider.
    const QStringList wide =
        escPosReceiptText(escPosReceipt(order, shop(), ReceiptLayout{48, false, false}));
    QVERIFY(wide.contains(justified(u"Total"_s, u"€11.75"_s, 48)));
}

void PrinterTest::receiptCopyAndKick()
{
    const Order order = splitTenderSale();
    const QByteArray copy = escPosReceipt(order, shop(), ReceiptLayout{42, true, false});
    const QStringList lines = escPosReceiptText(copy);
    QCOMPARE(lines.count(u"COPY"_s), 2); // above and below
    QVERIFY(lines.contains(u"Reprint: this is not the original receipt."_s));
    QVERIFY(lines.contains(justified(u"Total"_s, u"€11.75"_s)));
    QVERIFY(copy.contains(hex("1b4501"
                              "1d2111") +
                          "COPY\n"));

    const QByteArray kicked = escPosReceipt(order, shop(), ReceiptLayout{42, false, true});
    QVERIFY(kicked.startsWith(hex("1b40"
                                  "1b7413"
                                  "1b700019fa"))); // the drawer opens first
    QVERIFY(tookCash(order));
    Order byCard = order;
    byCard.payments.removeLast();
    byCard.payment.reset();
    QVERIFY(!tookCash(byCard));
}

void PrinterTest::receiptWrapsLongNames()
{
    Order order = splitTenderSale();
    order.lines = {line(1, u"Extra large caramel hazelnut oat milk latte with cream"_s, 595, 1)};
    order.discount = {};
    const QStringList lines =
        escPosReceiptText(escPosReceipt(order, shop(), ReceiptLayout{32, false, false}));
    for (const QString &printed : lines)
        QVERIFY2(printed.size() <= 32, qPrintable(printed));
    QVERIFY(lines.contains(u"1 x Extra large caramel hazelnut"_s));
    QVERIFY(lines.contains(justified(u"oat milk latte with cream"_s, u"€5.95"_s, 32)));
}

void PrinterTest::configValidationNamesTheField()
{
    PrinterConfig config;
    QVERIFY(config.validated());
    config.backend = PrinterConfig::Backend::Network;
    config.host = u""_s;
    Result<PrinterConfig> checked = config.validated();
    QCOMPARE(checked.outcome(), Outcome::InvalidInput);
    QVERIFY(checked.message().startsWith(u"Printer address"_s));
    config.host = u"not a host!"_s;
    QVERIFY(config.validated().message().startsWith(u"Printer address"_s));
    config.host = u" 192.168.1.50 "_s;
    checked = config.validated();
    QVERIFY(checked);
    QCOMPARE(checked->host, u"192.168.1.50"_s);
    config.port = 0;
    QVERIFY(config.validated().message().startsWith(u"Port"_s));
    config = PrinterConfig{};
    config.backend = PrinterConfig::Backend::Serial;
    QVERIFY(config.validated().message().startsWith(u"Serial port"_s));
    config.serialPort = u"/dev/ttyUSB0"_s;
    config.baudRate = 1234;
    QVERIFY(config.validated().message().startsWith(u"Baud rate"_s));
    config.baudRate = 38400;
    QVERIFY(config.validated());
    config.columns = 100;
    QVERIFY(config.validated().message().startsWith(u"Columns"_s));
    config = PrinterConfig{};
    config.backend = PrinterConfig::Backend::Cups;
    config.cupsQueue = u"bad queue; rm"_s;
    QVERIFY(config.validated().message().startsWith(u"CUPS queue"_s));
    config.cupsQueue = u"TM-T20"_s;
    QVERIFY(config.validated());
}

void PrinterTest::configRoundTripsThroughQSettings()
{
    QTemporaryDir dir;
    QSettings settings(dir.filePath(u"till.ini"_s), QSettings::IniFormat);
    QCOMPARE(PrinterConfig::load(settings).backend, PrinterConfig::Backend::None);
    PrinterConfig config;
    config.backend = PrinterConfig::Backend::Network;
    config.host = u"10.0.0.5"_s;
    config.port = 9101;
    config.columns = 48;
    config.drawerOnCash = false;
    config.save(settings);
    const PrinterConfig loaded = PrinterConfig::load(settings);
    QCOMPARE(loaded.backend, PrinterConfig::Backend::Network);
    QCOMPARE(loaded.host, u"10.0.0.5"_s);
    QCOMPARE(loaded.port, quint16(9101));
    QCOMPARE(loaded.columns, 48);
    QCOMPARE(loaded.drawerOnCash, false);
    QVERIFY(loaded.configuredAt.isValid());
    QCOMPARE(loaded.describe(), u"network printer 10.0.0.5:9101"_s);
}

void PrinterTest::networkTransportDeliversBytes()
{
    FakePrinter printer;
    QVERIFY(printer.listening());
    PrinterConfig config;
    config.backend = PrinterConfig::Backend::Network;
    config.host = u"127.0.0.1"_s;
    config.port = printer.port();
    const QByteArray receipt =
        escPosReceipt(splitTenderSale(), shop(), ReceiptLayout{42, false, true});
    const Result<qint64> sent = sendAsync(config, receipt);
    QVERIFY2(sent, qPrintable(sent.message()));
    QCOMPARE(*sent, receipt.size());
    QTRY_COMPARE(printer.finishedJobs().size(), 1);
    QCOMPARE(printer.finishedJobs().first(), receipt);
    // A large job (a long receipt) arrives whole too.
    const QByteArray big(256 * 1024, 'x');
    QVERIFY(sendAsync(config, big));
    QTRY_COMPARE(printer.finishedJobs().size(), 2);
    QCOMPARE(printer.finishedJobs().at(1), big);
}

void PrinterTest::networkTransportRefusedIsClear()
{
    quint16 closedPort = 0;
    {
        FakePrinter gone;
        closedPort = gone.port();
    } // nobody listens there now
    PrinterConfig config;
    config.backend = PrinterConfig::Backend::Network;
    config.host = u"127.0.0.1"_s;
    config.port = closedPort;
    config.timeoutMs = 2000;
    const Result<qint64> sent = sendToPrinter(config, "x");
    QCOMPARE(sent.outcome(), Outcome::Error);
    QVERIFY2(sent.message().contains(u"127.0.0.1:%1"_s.arg(closedPort)),
             qPrintable(sent.message()));
    QVERIFY(sent.message().contains(u"network printer"_s));

    const Result<qint64> none = sendToPrinter(PrinterConfig{}, "x");
    QCOMPARE(none.outcome(), Outcome::InvalidState);
}

void PrinterTest::serialTransportOverPty()
{
    const int master = posix_openpt(O_RDWR | O_NOCTTY);
    if (master < 0 || grantpt(master) != 0 || unlockpt(master) != 0)
        QSKIP("No pseudo-terminal available here (posix_openpt)");
    const QString slave = QString::fromLocal8Bit(ptsname(master));
    {
        QSerialPort probe;
        probe.setPortName(slave);
        if (!probe.open(QIODevice::WriteOnly)) {
            ::close(master);
            QSKIP(qPrintable(
                u"QSerialPort cannot open the pty %1 here: %2"_s.arg(slave, probe.errorString())));
        }
    }
    fcntl(master, F_SETFL, fcntl(master, F_GETFL) | O_NONBLOCK);
    PrinterConfig config;
    config.backend = PrinterConfig::Backend::Serial;
    config.serialPort = slave;
    config.baudRate = 38400;
    const QByteArray receipt =
        escPosReceipt(splitTenderSale(), shop(), ReceiptLayout{42, false, true});
    const Result<qint64> sent = sendToPrinter(config, receipt);
    QVERIFY2(sent, qPrintable(sent.message()));
    QByteArray received;
    QDeadlineTimer deadline(10000);
    while (received.size() < receipt.size() && !deadline.hasExpired()) {
        char buffer[4096];
        const ssize_t got = ::read(master, buffer, sizeof buffer);
        if (got > 0)
            received.append(buffer, got);
        else
            QThread::msleep(5);
    }
    ::close(master);
    QCOMPARE(received, receipt);

    config.serialPort = u"/dev/safetill-no-such-port"_s;
    const Result<qint64> missing = sendToPrinter(config, "x");
    QCOMPARE(missing.outcome(), Outcome::Error);
    QVERIFY(missing.message().contains(u"/dev/safetill-no-such-port"_s));
}

void PrinterTest::cupsTransportThroughLp()
{
    // A fake lp first on PATH: it keeps its arguments and its stdin, and refuses queue "gone".
    QTemporaryDir dir;
    const QString lp = dir.filePath(u"lp"_s);
    QFile script(lp);
    QVERIFY(script.open(QIODevice::WriteOnly));
    script.write("#!/bin/sh\n"
                 "if [ \"$2\" = gone ]; then echo 'lp: The printer or class does not exist.' >&2;"
                 " exit 1; fi\n"
                 "echo \"$@\" > \"$(dirname \"$0\")/args\"\n"
                 "cat > \"$(dirname \"$0\")/job\"\n");
    script.close();
    QVERIFY(script.setPermissions(QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner));
    const QByteArray path = qgetenv("PATH");
    qputenv("PATH", QFile::encodeName(dir.path()) + ':' + path);
    PrinterConfig config;
    config.backend = PrinterConfig::Backend::Cups;
    config.cupsQueue = u"TM-T20"_s;
    const QByteArray receipt =
        escPosReceipt(splitTenderSale(), shop(), ReceiptLayout{42, false, false});
    const Result<qint64> sent = sendToPrinter(config, receipt);
    config.cupsQueue = u"gone"_s;
    const Result<qint64> refused = sendToPrinter(config, receipt);
    qputenv("PATH", path);
    QVERIFY2(sent, qPrintable(sent.message()));
    QFile args(dir.filePath(u"args"_s));
    QVERIFY(args.open(QIODevice::ReadOnly));
    QCOMPARE(args.readAll().trimmed(), QByteArray("-d TM-T20 -o raw"));
    QFile job(dir.filePath(u"job"_s));
    QVERIFY(job.open(QIODevice::ReadOnly));
    QCOMPARE(job.readAll(), receipt);
    QCOMPARE(refused.outcome(), Outcome::Error);
    QVERIFY2(refused.message().contains(u"does not exist"_s), qPrintable(refused.message()));
    QVERIFY(refused.message().contains(u"gone"_s));
}

void PrinterTest::freshDatabase()
{
    m_services.reset();
    m_tdb = std::make_unique<Test::TestDatabase>();
    m_clock =
        std::make_unique<ManualClock>(QDateTime(QDate(2026, 12, 5), QTime(9, 0), QTimeZone::utc()));
    m_services = std::make_unique<Services>(m_tdb->db(), SyncSide::Terminal, *m_clock);
}

QString PrinterTest::sell(PaymentMethod method)
{
    const OrderTarget target = OrderTarget::byCashier(m_tdb->cashierId(u"Alice"_s));
    const Result<Order> added =
        m_services->orders().addProduct(target, u"COF-ESP"_s, 1, Test::newId());
    if (!added)
        qWarning() << added.message();
    const Result<Order> paid = m_services->orders().complete(
        target, PaymentRequest{method, method == PaymentMethod::Cash ? 500 : 220}, std::nullopt,
        Test::newId());
    if (!paid)
        qWarning() << paid.message();
    m_clock->advance(1000);
    return paid ? paid->receiptNo : QString();
}

// Two windows (two connections, two threads) claim each receipt at the same moment: exactly one
// of them may print it, the other is told why not; nothing is printed twice.
void PrinterTest::originalClaimedOnceAcrossConnections()
{
    freshDatabase();
    QStringList receipts;
    for (int i = 0; i < 12; ++i)
        receipts << sell();
    QVERIFY(!receipts.contains(QString()));
    std::barrier together(2);
    std::mutex lock;
    QHash<QString, int> printed;
    QStringList unexpected;
    const auto window = [&] {
        const std::unique_ptr<Database> db = m_tdb->open();
        PrintStore store(*db);
        for (const QString &receipt : receipts) {
            together.arrive_and_wait();
            const Result<PrintClaim> claim = store.claimOriginal(receipt);
            if (claim) {
                const Result<PrintClaim> done = store.markPrinted(*claim);
                const std::scoped_lock guard(lock);
                ++printed[receipt];
                if (!done)
                    unexpected << done.message();
            } else if (claim.outcome() != Outcome::Conflict &&
                       claim.outcome() != Outcome::InvalidState) {
                const std::scoped_lock guard(lock);
                unexpected << claim.message();
            }
        }
    };
    QThread *first = QThread::create(window);
    QThread *second = QThread::create(window);
    first->start();
    second->start();
    QVERIFY(first->wait(60000));
    QVERIFY(second->wait(60000));
    delete first;
    delete second;
    QVERIFY2(unexpected.isEmpty(), qPrintable(unexpected.join(u'\n')));
    for (const QString &receipt : receipts)
        QCOMPARE(printed.value(receipt), 1);
    const Result<QHash<QString, PrintState>> states = m_services->prints().states(receipts);
    QVERIFY(states);
    for (const QString &receipt : receipts)
        QCOMPARE(states->value(receipt), PrintState::Printed);
    // A third claim later is refused too, and says to print a copy.
    const Result<PrintClaim> again = m_services->prints().claimOriginal(receipts.first());
    QCOMPARE(again.outcome(), Outcome::InvalidState);
    QVERIFY2(again.message().contains(u"copy"_s), qPrintable(again.message()));
    QCOMPARE(Test::queryValue(m_tdb->db(),
                              u"SELECT COUNT(*) FROM receipt_prints WHERE kind = 'original'"_s)
                 .toInt(),
             receipts.size());
}

// The process died after the payment, before the print (no claim): the receipt is listed as not
// printed and prints as the original. It died while printing (a claim never confirmed): nobody
// knows whether the printer printed it, so after the abandon time it is listed as interrupted
// and printing it again prints a copy, never a second original.
void PrinterTest::crashBetweenPaymentAndPrintIsListed()
{
    freshDatabase();
    const QDateTime since = m_clock->now();
    const QString neverClaimed = sell();
    const QString diedPrinting = sell(PaymentMethod::Card);
    const QString printed = sell();
    PrintStore &prints = m_services->prints();
    const Result<PrintClaim> dying = prints.claimOriginal(diedPrinting);
    QVERIFY(dying);
    QVERIFY(!dying->copy);
    const Result<PrintClaim> ok = prints.claimOriginal(printed);
    QVERIFY(ok);
    QVERIFY(prints.markPrinted(*ok));

    // While the claim is fresh (and its process, this one, alive), another window must not print
    // it: it is "printing".
    Result<QStringList> listed = prints.notPrinted(since);
    QVERIFY(listed);
    QCOMPARE(*listed, QStringList{neverClaimed});
    QVERIFY(prints.interrupted(since)->isEmpty());
    QCOMPARE(prints.claimOriginal(diedPrinting).outcome(), Outcome::Conflict);
    QCOMPARE(prints.states({diedPrinting})->value(diedPrinting), PrintState::Printing);

    // Its process never came back: after the abandon time its print counts as interrupted.
    m_clock->advance(PrintStore::abandonedAfterMs + 1000);
    QCOMPARE(*prints.notPrinted(since), QStringList{neverClaimed});
    QCOMPARE(*prints.interrupted(since), QStringList{diedPrinting});
    QCOMPARE(prints.states({diedPrinting})->value(diedPrinting), PrintState::Interrupted);
    QCOMPARE(prints.states({neverClaimed})->value(neverClaimed), PrintState::NotPrinted);
    // Printing it again gives a copy; the dead claim can no longer confirm the original.
    const Result<PrintClaim> again = prints.claimOriginal(diedPrinting);
    QVERIFY2(again, qPrintable(again.message()));
    QVERIFY(again->copy);
    QVERIFY(again->afterInterruption);
    QCOMPARE(prints.markPrinted(*dying).outcome(), Outcome::InvalidState);
    QCOMPARE(Test::queryValue(m_tdb->db(),
                              u"SELECT state FROM receipt_prints WHERE receipt_no = ? AND kind = "
                              "'original'"_s,
                              {diedPrinting})
                 .toString(),
             u"interrupted"_s);
    // Until the copy is printed it is still listed; a failed copy leaves it listed too.
    QVERIFY(prints.markFailed(*again, u"paper out"_s));
    QCOMPARE(*prints.interrupted(since), QStringList{diedPrinting});
    const Result<PrintClaim> retry = prints.claimOriginal(diedPrinting);
    QVERIFY(retry);
    QVERIFY(retry->copy);
    QVERIFY(prints.markPrinted(*retry));
    QVERIFY(prints.interrupted(since)->isEmpty());
    QCOMPARE(prints.states({diedPrinting})->value(diedPrinting), PrintState::Printed);
    QCOMPARE(Test::queryValue(m_tdb->db(),
                              u"SELECT COUNT(*) FROM receipt_prints WHERE receipt_no = ? AND "
                              "kind = 'original' AND state = 'printed'"_s,
                              {diedPrinting})
                 .toInt(),
             0); // never a second original

    // The sale that was never claimed prints as the original.
    const Result<PrintClaim> original = prints.claimOriginal(neverClaimed);
    QVERIFY(original);
    QVERIFY(!original->copy);
    QVERIFY(prints.markPrinted(*original));
    QVERIFY(prints.notPrinted(since)->isEmpty());
    // Sales before the printer was set up are not listed.
    QVERIFY(prints.notPrinted(m_clock->now())->isEmpty());
    QCOMPARE(prints.claimOriginal(u"NOPE-000001"_s).outcome(), Outcome::NotFound);
}

// A real till process claims a receipt's original and is killed (SIGKILL) while "printing": on
// the same machine its claim is recognised as interrupted at once, not after the abandon time,
// and the next print is a copy. A claim of a live process on another machine still waits.
void PrinterTest::killedWhilePrintingIsInterruptedAtOnce()
{
    freshDatabase();
    const QDateTime since = m_clock->now();
    const QString receipt = sell();
    QVERIFY(!receipt.isEmpty());
    auto worker = std::make_unique<Test::WorkerProcess>(QStringList{
        u"--db"_s, m_tdb->path(), u"--mode"_s, u"print-claim"_s, u"--receipt"_s, receipt});
    QTRY_VERIFY2_WITH_TIMEOUT(!worker->linesOf(u"CLAIMED"_s).isEmpty() ||
                                  worker->process().state() == QProcess::NotRunning,
                              qPrintable(worker->standardError()), 30000);
    QCOMPARE(worker->linesOf(u"CLAIMED"_s).size(), 1);
    QCOMPARE(worker->linesOf(u"CLAIMED"_s).first().fields.value(u"copy"_s), u"0"_s);
    const qint64 pid = worker->process().processId();
    QCOMPARE(Test::queryValue(m_tdb->db(),
                              u"SELECT owner_pid FROM receipt_prints WHERE receipt_no = ?"_s,
                              {receipt})
                 .toLongLong(),
             pid);
    PrintStore &prints = m_services->prints();
    // Alive: it is printing; nobody else may print it.
    QCOMPARE(prints.states({receipt})->value(receipt), PrintState::Printing);
    QCOMPARE(prints.claimOriginal(receipt).outcome(), Outcome::Conflict);

    worker->process().kill(); // SIGKILL: dies mid-print, without recording anything
    QVERIFY(worker->process().waitForFinished(10000));
    worker.reset();
    // No time has passed on the store's clock: the dead process alone makes it interrupted.
    QCOMPARE(prints.states({receipt})->value(receipt), PrintState::Interrupted);
    QCOMPARE(*prints.interrupted(since), QStringList{receipt});
    QVERIFY(prints.notPrinted(since)->isEmpty());
    const Result<PrintClaim> next = prints.claimOriginal(receipt);
    QVERIFY2(next, qPrintable(next.message()));
    QVERIFY(next->copy);
    QVERIFY(next->afterInterruption);
    QVERIFY(prints.markPrinted(*next));
    QCOMPARE(prints.states({receipt})->value(receipt), PrintState::Printed);
    QCOMPARE(Test::queryValue(m_tdb->db(),
                              u"SELECT COUNT(*) FROM receipt_prints WHERE receipt_no = ? AND "
                              "kind = 'copy' AND state = 'printed'"_s,
                              {receipt})
                 .toInt(),
             1);

    // A claim held on another machine (or whose process cannot be checked) keeps the time limit.
    const QString elsewhere = sell();
    const Result<PrintClaim> remote = prints.claimOriginal(elsewhere);
    QVERIFY(remote);
    QCOMPARE(Test::tryExec(m_tdb->db(),
                           u"UPDATE receipt_prints SET owner_host = 'other-till', owner_pid = 1 "
                           "WHERE claim = ?"_s,
                           {remote->token}),
             true);
    QCOMPARE(prints.states({elsewhere})->value(elsewhere), PrintState::Printing);
    m_clock->advance(PrintStore::abandonedAfterMs + 1000);
    QCOMPARE(prints.states({elsewhere})->value(elsewhere), PrintState::Interrupted);
    // This process id under another instance id: a later process than the claimer.
    QVERIFY(!PrintOwner::current().knownDead());
    PrintOwner reused = PrintOwner::current();
    reused.instance = Test::newId();
    QVERIFY(reused.knownDead());
    m_services.reset();
    VERIFY_DATABASE_CLEAN(m_tdb->db());
}

void PrinterTest::failedPrintCanBePrintedNow()
{
    freshDatabase();
    const QDateTime since = m_clock->now();
    const QString receipt = sell();
    PrintStore &prints = m_services->prints();
    const Result<PrintClaim> first = prints.claimOriginal(receipt);
    QVERIFY(first);
    QVERIFY(prints.markFailed(*first, u"printer off"_s));
    QCOMPARE(*prints.notPrinted(since), QStringList{receipt});
    QCOMPARE(Test::queryValue(m_tdb->db(), u"SELECT error FROM receipt_prints"_s).toString(),
             u"printer off"_s);
    const Result<PrintClaim> second = prints.claimOriginal(receipt.toLower());
    QVERIFY(second);
    QVERIFY(second->token != first->token);
    QVERIFY(prints.markPrinted(*second));
    QVERIFY(prints.notPrinted(since)->isEmpty());
}

void PrinterTest::copiesAreRecordedEachTime()
{
    freshDatabase();
    const QString receipt = sell();
    PrintStore &prints = m_services->prints();
    for (int i = 0; i < 3; ++i) {
        const Result<PrintClaim> copy = prints.claimCopy(receipt);
        QVERIFY(copy);
        QVERIFY(copy->copy);
        QVERIFY(prints.markPrinted(*copy));
    }
    QCOMPARE(Test::queryValue(m_tdb->db(),
                              u"SELECT COUNT(*) FROM receipt_prints WHERE kind = 'copy' AND "
                              "state = 'printed'"_s)
                 .toInt(),
             3);
    // Copies are not the original: it is still not printed.
    QCOMPARE(prints.states({receipt})->value(receipt), PrintState::NotPrinted);
    QCOMPARE(prints.claimCopy(u"NOPE-000001"_s).outcome(), Outcome::NotFound);
    m_services.reset();
    VERIFY_DATABASE_CLEAN(m_tdb->db());
}

QTEST_MAIN(PrinterTest)
#include "tst_printer.moc"
