// The receipt printer and the cash drawer in the cashier app (issue 16), driven through the real
// windows under QT_QPA_PLATFORM=offscreen against a fake network printer (tests/FakePrinter.h):
// a paid sale prints by itself with no dialog (the drawer kick first for cash), exactly once; a
// printer that is off leaves "not printed — print now", which prints it once it is back; a sale
// whose process died before printing is offered again at the next login; no sale with a
// manager's approval opens the drawer; the printer settings' test print and manager-only save.
#include "ApprovalDialog.h"
#include "EscPos.h"
#include "GuiTestSupport.h"
#include "LoginWidget.h"
#include "MainWindow.h"
#include "MessageBar.h"
#include "OrderWidget.h"
#include "PaymentDialog.h"
#include "PrintStore.h"
#include "PrinterConfig.h"
#include "PrinterSettingsDialog.h"
#include "ReceiptDialog.h"
#include "ReceiptPrinting.h"
#include "ReceiptsWindow.h"
#include "Services.h"
#include "ShiftWindow.h"
#include "TabsWindow.h"
#include "TestSupport.h"
#include "TillApplication.h"
#include "TillBackend.h"

#include "FakePrinter.h"

#include <QApplication>
#include <QComboBox>
#include <QElapsedTimer>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QScopeGuard>
#include <QSettings>
#include <QSpinBox>
#include <QTabBar>
#include <QTabWidget>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace Qt::StringLiterals;
using namespace SafeTill;
using SafeTill::Test::click;
using SafeTill::Test::login;
using SafeTill::Test::named;
using SafeTill::Test::visibleOf;
using SafeTill::Test::visibleOne;

namespace {

constexpr int actionTimeoutMs = 10000;

QByteArray kick()
{
    return QByteArray::fromHex("1b700019fa");
}

} // namespace

class GuiPrinterTest : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();

    void cashSalePrintsWithoutDialogAndKicks();
    void noPrinterKeepsTheReceiptDialog();
    void printerOffThenPrintNow();
    void crashBeforePrintIsOfferedAtLogin();
    void interruptedPrintIsShownAndPrintsACopy();
    void quitWaitsForThePrintInFlight();
    void settledTabPrintsWithoutDialog();
    void noSaleWithApprovalKicksDrawer();
    void settingsTestPrintAndManagerOnlySave();

private:
    void usePrinter(quint16 port, bool drawerOnCash = true, int timeoutMs = 3000);
    MainWindow *openWindow();
    void sellCash(MainWindow *window, const QString &sku);
    // Bob sells an espresso through another connection's services (another process, as far as
    // the window can tell); its receipt number, empty if the sale failed.
    QString sellEspressoElsewhere(Services &services, const PaymentRequest &payment)
    {
        const OrderTarget target = OrderTarget::byCashier(m_db->cashierId(u"Bob"_s));
        if (!services.orders().addProduct(target, u"COF-ESP"_s, 1, Test::newId()))
            return {};
        const Result<Order> paid =
            services.orders().complete(target, payment, std::nullopt, Test::newId());
        return paid ? paid->receiptNo : QString();
    }
    int count(const QString &sql, const QVariantList &values = {})
    {
        return Test::queryValue(m_db->db(), sql, values).toInt();
    }

    QTemporaryDir m_settings;
    std::unique_ptr<Test::TestDatabase> m_db;
    std::unique_ptr<TillApplication> m_app;
};

void GuiPrinterTest::initTestCase()
{
    QVERIFY2(Test::startOffscreenSuite(), "run with QT_QPA_PLATFORM=offscreen (ctest sets it)");
    // The printer settings of this suite only, never the user's.
    QVERIFY(Test::useTemporarySettings(m_settings, u"tst_gui_printer"_s));
}

void GuiPrinterTest::init()
{
    QSettings().clear();
    m_db = std::make_unique<Test::TestDatabase>();
}

void GuiPrinterTest::cleanup()
{
    m_app.reset();
    m_db.reset();
    QSettings().clear();
}

void GuiPrinterTest::usePrinter(quint16 port, bool drawerOnCash, int timeoutMs)
{
    PrinterConfig config;
    config.backend = PrinterConfig::Backend::Network;
    config.host = u"127.0.0.1"_s;
    config.port = port;
    config.drawerOnCash = drawerOnCash;
    config.timeoutMs = timeoutMs;
    ReceiptPrinting::saveConfig(config);
}

MainWindow *GuiPrinterTest::openWindow()
{
    if (!m_app) {
        Result<std::unique_ptr<TillBackend>> backend =
            TillBackend::open(DatabaseOptions{m_db->path()});
        if (!backend)
            return nullptr;
        m_app = TillApplication::create(backend.take(), QString());
    }
    MainWindow *window = m_app->newWindow();
    if (window && !QTest::qWaitForWindowExposed(window))
        return nullptr;
    return window;
}

// One item, paid in cash with a 10.00 note.
void GuiPrinterTest::sellCash(MainWindow *window, const QString &sku)
{
    OrderWidget *order = window->orderWidget();
    QPushButton *product = nullptr;
    QTRY_VERIFY_WITH_TIMEOUT((product = named<QPushButton>(order, u"product-"_s + sku)),
                             actionTimeoutMs);
    auto *catalog = named<QTabWidget>(order, u"catalogTabs"_s);
    for (int i = 0; catalog && i < catalog->count(); ++i) {
        if (catalog->widget(i)->isAncestorOf(product) && catalog->currentIndex() != i)
            QTest::mouseClick(catalog->tabBar(), Qt::LeftButton, {},
                              catalog->tabBar()->tabRect(i).center());
    }
    const int before = order->order()->version;
    QTRY_VERIFY(product->isVisible() && product->isEnabled());
    QTest::mouseClick(product, Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(!order->actionInFlight() && order->order()->version > before,
                             actionTimeoutMs);
    STEP(click(order, u"payButton"_s));
    PaymentDialog *dialog = nullptr;
    QTRY_VERIFY((dialog = visibleOne<PaymentDialog>(window)));
    STEP(click(dialog, u"note-1000"_s));
    STEP(click(dialog, u"confirmPayment"_s));
}

void GuiPrinterTest::cashSalePrintsWithoutDialogAndKicks()
{
    FakePrinter printer;
    QVERIFY(printer.listening());
    usePrinter(printer.port());
    MainWindow *window = openWindow();
    QVERIFY(window);
    STEP(login(window, u"Alice"_s, u"1234"_s));
    STEP(sellCash(window, u"COF-ESP"_s));
    QTRY_COMPARE_WITH_TIMEOUT(printer.finishedJobs().size(), 1, actionTimeoutMs);
    const QString receiptNo =
        Test::queryValue(m_db->db(), u"SELECT receipt_no FROM payments"_s).toString();
    const QByteArray job = printer.finishedJobs().first();
    QVERIFY(job.startsWith(QByteArray::fromHex("1b40"
                                               "1b7413") +
                           kick())); // drawer first
    QVERIFY(job.contains(receiptNo.toLatin1()));
    QVERIFY(job.endsWith(QByteArray::fromHex("1d5601")));
    // No receipt dialog, and the state is stored: printed, once.
    QVERIFY(visibleOf<ReceiptDialog>(window).isEmpty());
    QTRY_COMPARE_WITH_TIMEOUT(
        count(u"SELECT COUNT(*) FROM receipt_prints WHERE receipt_no = ? AND kind = 'original' "
              "AND state = 'printed'"_s,
              {receiptNo}),
        1, actionTimeoutMs);
    QVERIFY(window->orderWidget()->messageBar()->text().contains(receiptNo));
    // The next sale can start at once, and a second sale prints its own receipt.
    STEP(sellCash(window, u"BAK-CRO"_s));
    QTRY_COMPARE_WITH_TIMEOUT(printer.finishedJobs().size(), 2, actionTimeoutMs);
    QTRY_COMPARE_WITH_TIMEOUT(count(u"SELECT COUNT(*) FROM receipt_prints WHERE state = "
                                    "'printed'"_s),
                              2, actionTimeoutMs);
    QVERIFY(visibleOf<ReceiptDialog>(window).isEmpty());
}

void GuiPrinterTest::noPrinterKeepsTheReceiptDialog()
{
    MainWindow *window = openWindow();
    QVERIFY(window);
    STEP(login(window, u"Alice"_s, u"1234"_s));
    STEP(sellCash(window, u"COF-ESP"_s));
    QTRY_VERIFY_WITH_TIMEOUT(!visibleOf<ReceiptDialog>(window).isEmpty(), actionTimeoutMs);
    QCOMPARE(count(u"SELECT COUNT(*) FROM receipt_prints"_s), 0);
}

void GuiPrinterTest::printerOffThenPrintNow()
{
    quint16 port = 0;
    {
        FakePrinter off;
        port = off.port();
    }
    usePrinter(port);
    MainWindow *window = openWindow();
    QVERIFY(window);
    STEP(login(window, u"Alice"_s, u"1234"_s));
    STEP(sellCash(window, u"COF-ESP"_s));
    MessageBar *bar = window->orderWidget()->messageBar();
    QTRY_VERIFY_WITH_TIMEOUT(bar->text().contains(u"not printed \u2014 print now"_s),
                             actionTimeoutMs);
    QVERIFY2(bar->text().contains(u"127.0.0.1:%1"_s.arg(port)), qPrintable(bar->text()));
    QCOMPARE(count(u"SELECT COUNT(*) FROM receipt_prints WHERE state = 'failed'"_s), 1);
    QVERIFY(visibleOf<ReceiptDialog>(window).isEmpty());

    // The printer is switched on again: "print now" prints it, once.
    FakePrinter on(port);
    QVERIFY(on.listening());
    STEP(click(bar, u"messageRetry"_s));
    QTRY_COMPARE_WITH_TIMEOUT(on.finishedJobs().size(), 1, actionTimeoutMs);
    QVERIFY(on.finishedJobs().first().contains(kick())); // a cash sale: the drawer opens now
    QTRY_COMPARE_WITH_TIMEOUT(count(u"SELECT COUNT(*) FROM receipt_prints WHERE state = "
                                    "'printed'"_s),
                              1, actionTimeoutMs);
}

void GuiPrinterTest::crashBeforePrintIsOfferedAtLogin()
{
    FakePrinter printer;
    usePrinter(printer.port());
    // Paid by another process that died before it printed: no claim at all.
    QString receiptNo;
    {
        const std::unique_ptr<Database> db = m_db->open();
        Services services(*db, SyncSide::Terminal);
        receiptNo = sellEspressoElsewhere(services, PaymentRequest{PaymentMethod::Card, 220});
        QVERIFY(!receiptNo.isEmpty());
    }
    MainWindow *window = openWindow();
    QVERIFY(window);
    STEP(login(window, u"Alice"_s, u"1234"_s));
    MessageBar *bar = window->orderWidget()->messageBar();
    QTRY_VERIFY_WITH_TIMEOUT(bar->text().contains(u"not printed \u2014 print now"_s) &&
                                 bar->text().contains(receiptNo),
                             actionTimeoutMs);
    // The receipts list says so too.
    ReceiptsWindow *receipts = m_app->showReceipts(window->cashier());
    QVERIFY(receipts);
    QTRY_VERIFY_WITH_TIMEOUT(receipts->model()->rowCount() == 1 &&
                                 receipts->model()
                                     ->index(0, ReceiptsModel::PrintedColumn)
                                     .data()
                                     .toString()
                                     .contains(u"not printed"_s),
                             actionTimeoutMs);
    QVERIFY(printer.finishedJobs().isEmpty()); // nothing printed by itself: never twice
    STEP(click(bar, u"messageRetry"_s));
    QTRY_COMPARE_WITH_TIMEOUT(printer.finishedJobs().size(), 1, actionTimeoutMs);
    QVERIFY(printer.finishedJobs().first().contains(receiptNo.toLatin1()));
    QVERIFY(!printer.finishedJobs().first().contains(kick())); // a card sale
    QTRY_VERIFY_WITH_TIMEOUT(
        receipts->model()->index(0, ReceiptsModel::PrintedColumn).data().toString() == u"printed"_s,
        actionTimeoutMs);
    // A second "print now" cannot print the original again; a copy is marked COPY.
    ReceiptPrinting::instance().printOriginal(m_app->backend(), receiptNo, false, bar,
                                              window->cashier().id);
    m_app->backend().drain(); // the claim has run (and was refused: no 'printing' claim left)
    QCoreApplication::processEvents();
    QCOMPARE(count(u"SELECT COUNT(*) FROM receipt_prints WHERE state <> 'printed'"_s), 0);
    QCOMPARE(printer.finishedJobs().size(), 1);
    auto *view = receipts->findChild<QTableView *>(u"receiptsView"_s);
    QVERIFY(view);
    view->selectRow(0);
    STEP(click(receipts, u"printCopy"_s));
    QTRY_COMPARE_WITH_TIMEOUT(printer.finishedJobs().size(), 2, actionTimeoutMs);
    QVERIFY(printer.finishedJobs().at(1).contains("COPY\n"));
    QTRY_COMPARE_WITH_TIMEOUT(count(u"SELECT COUNT(*) FROM order_history WHERE action = "
                                    "'reprint'"_s),
                              1, actionTimeoutMs);
    QCOMPARE(count(u"SELECT COUNT(*) FROM receipt_prints WHERE kind = 'original'"_s), 1);
}

// Another till process died while printing a receipt (its claim names this machine and a process
// that is gone): at login the order screen says "printing was interrupted — check the printer",
// the receipts list too, and printing it again prints a COPY, never a second original.
void GuiPrinterTest::interruptedPrintIsShownAndPrintsACopy()
{
    FakePrinter printer;
    usePrinter(printer.port());
    QString receiptNo;
    {
        const std::unique_ptr<Database> db = m_db->open();
        Services services(*db, SyncSide::Terminal);
        receiptNo = sellEspressoElsewhere(services, PaymentRequest{PaymentMethod::Cash, 500});
        QVERIFY(!receiptNo.isEmpty());
        const Result<PrintClaim> claim = services.prints().claimOriginal(receiptNo);
        QVERIFY(claim);
        // The claimer: this process id, but an earlier process (another instance id) — dead.
        QVERIFY(Test::tryExec(
            *db, u"UPDATE receipt_prints SET owner_instance = 'gone' WHERE claim = ?"_s,
            {claim->token}));
    }
    MainWindow *window = openWindow();
    QVERIFY(window);
    STEP(login(window, u"Alice"_s, u"1234"_s));
    MessageBar *bar = window->orderWidget()->messageBar();
    QTRY_VERIFY_WITH_TIMEOUT(bar->text().contains(u"printing was interrupted \u2014 check the "
                                                  "printer"_s) &&
                                 bar->text().contains(receiptNo),
                             actionTimeoutMs);
    QVERIFY2(!bar->text().contains(u"not printed"_s), qPrintable(bar->text()));
    ReceiptsWindow *receipts = m_app->showReceipts(window->cashier());
    QVERIFY(receipts);
    QTRY_VERIFY_WITH_TIMEOUT(receipts->model()->rowCount() == 1 &&
                                 receipts->model()
                                     ->index(0, ReceiptsModel::PrintedColumn)
                                     .data()
                                     .toString()
                                     .contains(u"interrupted"_s),
                             actionTimeoutMs);
    QVERIFY(printer.finishedJobs().isEmpty()); // nothing printed by itself
    STEP(click(bar, u"messageRetry"_s));
    QTRY_COMPARE_WITH_TIMEOUT(printer.finishedJobs().size(), 1, actionTimeoutMs);
    const QByteArray job = printer.finishedJobs().first();
    QVERIFY(job.contains(receiptNo.toLatin1()));
    QVERIFY(job.contains("COPY\n"));
    QVERIFY(!job.contains(kick())); // the drawer opened with the first attempt, if at all
    QTRY_COMPARE_WITH_TIMEOUT(count(u"SELECT COUNT(*) FROM receipt_prints WHERE kind = 'copy' "
                                    "AND state = 'printed'"_s),
                              1, actionTimeoutMs);
    QCOMPARE(count(u"SELECT COUNT(*) FROM receipt_prints WHERE kind = 'original' AND state = "
                   "'interrupted'"_s),
             1);
    // The copy handed out is in the order's history, by the cashier who printed it, the order
    // unchanged.
    QTRY_COMPARE_WITH_TIMEOUT(count(u"SELECT COUNT(*) FROM order_history WHERE action = 'reprint' "
                                    "AND cashier_id = ? AND from_version = to_version"_s,
                                    {window->cashier().id}),
                              1, actionTimeoutMs);
    QTRY_VERIFY_WITH_TIMEOUT(
        receipts->model()->index(0, ReceiptsModel::PrintedColumn).data().toString() == u"printed"_s,
        actionTimeoutMs);
}

// Quitting while a receipt is on its way to a slow printer: the app waits for the print (bounded
// by the printer's timeout) and stores its outcome, instead of leaving it "printing" (which the
// next start would show as interrupted).
void GuiPrinterTest::quitWaitsForThePrintInFlight()
{
    // A slow printer: a CUPS queue whose `lp` (a fake one first on PATH) takes 3 s to take the
    // job, then keeps it.
    QTemporaryDir bin;
    QFile script(bin.filePath(u"lp"_s));
    QVERIFY(script.open(QIODevice::WriteOnly));
    script.write("#!/bin/sh\nsleep 3\ncat > \"$(dirname \"$0\")/job\"\n");
    script.close();
    QVERIFY(script.setPermissions(QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner));
    const QByteArray path = qgetenv("PATH");
    qputenv("PATH", QFile::encodeName(bin.path()) + ':' + path);
    const auto restorePath = qScopeGuard([&] { qputenv("PATH", path); });
    constexpr int printerTimeoutMs = 8000;
    PrinterConfig config;
    config.backend = PrinterConfig::Backend::Cups;
    config.cupsQueue = u"TM-T20"_s;
    config.timeoutMs = printerTimeoutMs;
    ReceiptPrinting::saveConfig(config);
    MainWindow *window = openWindow();
    QVERIFY(window);
    STEP(login(window, u"Alice"_s, u"1234"_s));
    STEP(sellCash(window, u"COF-ESP"_s));
    QTRY_VERIFY_WITH_TIMEOUT(count(u"SELECT COUNT(*) FROM receipt_prints"_s) == 1, actionTimeoutMs);
    QCOMPARE(Test::queryValue(m_db->db(), u"SELECT state FROM receipt_prints"_s).toString(),
             u"printing"_s);
    QVERIFY(ReceiptPrinting::instance().printsInFlight() > 0);
    QVERIFY(!QFile::exists(bin.filePath(u"job"_s)));
    QElapsedTimer quitting;
    quitting.start();
    m_app.reset(); // what quitting does to the app (aboutToQuit waits the same way)
    QVERIFY2(quitting.elapsed() < printerTimeoutMs + 5000 + 2000,
             qPrintable(QString::number(quitting.elapsed())));
    QCOMPARE(ReceiptPrinting::instance().printsInFlight(), 0);
    QCOMPARE(count(u"SELECT COUNT(*) FROM receipt_prints WHERE state = 'printing'"_s), 0);
    QCOMPARE(count(u"SELECT COUNT(*) FROM receipt_prints WHERE kind = 'original' AND state = "
                   "'printed'"_s),
             1);
    QVERIFY(QFile(bin.filePath(u"job"_s)).size() > 0); // the printer got the receipt
}

// A tab settled in cash from the Tabs window: its receipt prints (both orders), the drawer opens.
void GuiPrinterTest::settledTabPrintsWithoutDialog()
{
    FakePrinter printer;
    usePrinter(printer.port());
    {
        const std::unique_ptr<Database> db = m_db->open();
        Services services(*db, SyncSide::Terminal);
        for (const QString &cashier : {u"Alice"_s, u"Bob"_s}) {
            const OrderTarget target = OrderTarget::byCashier(m_db->cashierId(cashier));
            QVERIFY(services.orders().addProduct(target, u"COF-ESP"_s, 1, Test::newId()));
            QVERIFY(
                services.orders().assignToTab(target, u"Table 5"_s, std::nullopt, Test::newId()));
        }
    }
    MainWindow *window = openWindow();
    QVERIFY(window);
    STEP(login(window, u"Alice"_s, u"1234"_s));
    TabsWindow *tabs = m_app->showTabs();
    QVERIFY(tabs && QTest::qWaitForWindowExposed(tabs));
    QTRY_COMPARE_WITH_TIMEOUT(tabs->model()->rowCount(), 1, actionTimeoutMs);
    auto *view = named<QTableView>(tabs, u"tabsView"_s);
    view->selectRow(0);
    STEP(click(tabs, u"settleButton"_s));
    PaymentDialog *dialog = nullptr;
    QTRY_VERIFY((dialog = visibleOne<PaymentDialog>(tabs)));
    STEP(click(dialog, u"exactButton"_s));
    STEP(click(dialog, u"confirmPayment"_s));
    QTRY_COMPARE_WITH_TIMEOUT(printer.finishedJobs().size(), 1, actionTimeoutMs);
    const QByteArray job = printer.finishedJobs().first();
    QVERIFY(job.contains(kick()));
    QVERIFY(job.contains("Tab Table 5"));
    QCOMPARE(job.count("1 x Espresso"), 2);
    QVERIFY(visibleOf<ReceiptDialog>(tabs).isEmpty());
    QTRY_COMPARE_WITH_TIMEOUT(count(u"SELECT COUNT(*) FROM receipt_prints WHERE state = "
                                    "'printed'"_s),
                              1, actionTimeoutMs);
}

void GuiPrinterTest::noSaleWithApprovalKicksDrawer()
{
    FakePrinter printer;
    usePrinter(printer.port());
    MainWindow *window = openWindow();
    QVERIFY(window);
    STEP(login(window, u"Bob"_s, u"5678"_s)); // a cashier
    ShiftWindow *shift = m_app->showShift(window->cashier());
    QVERIFY(shift);
    STEP(click(shift, u"noSale"_s));
    ApprovalDialog *approval = nullptr;
    QTRY_VERIFY_WITH_TIMEOUT((approval = visibleOne<ApprovalDialog>(shift)), actionTimeoutMs);
    QVERIFY(printer.finishedJobs().isEmpty()); // not before a manager approved
    auto *manager = named<QComboBox>(approval, u"approvalManager"_s);
    QTRY_COMPARE(manager->currentText(), u"Maria"_s);
    QTest::keyClicks(named<QLineEdit>(approval, u"approvalPin"_s), u"9999"_s);
    STEP(click(approval, u"approvalApprove"_s));
    QTRY_COMPARE_WITH_TIMEOUT(printer.finishedJobs().size(), 1, actionTimeoutMs);
    QCOMPARE(printer.finishedJobs().first(), QByteArray::fromHex("1b40"
                                                                 "1b7413") +
                                                 kick());
    QTRY_VERIFY_WITH_TIMEOUT(shift->messageBar()->text().contains(u"drawer is open"_s),
                             actionTimeoutMs);
    QCOMPARE(count(u"SELECT COUNT(*) FROM cash_movements WHERE kind = 'no_sale' AND cashier_id = "
                   "? AND approved_by = ?"_s,
                   {m_db->cashierId(u"Bob"_s), m_db->cashierId(u"Maria"_s)}),
             1);
}

void GuiPrinterTest::settingsTestPrintAndManagerOnlySave()
{
    FakePrinter printer;
    MainWindow *window = openWindow();
    QVERIFY(window);
    STEP(login(window, u"Bob"_s, u"5678"_s));
    PrinterSettingsDialog dialog(m_app->backend(), window->cashier(), window);
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    auto *backend = named<QComboBox>(&dialog, u"printerBackend"_s);
    backend->setCurrentIndex(backend->findData(u"network"_s));
    auto *host = named<QLineEdit>(&dialog, u"printerHost"_s);
    QTest::keyClicks(host, u"not a host!"_s);
    STEP(click(&dialog, u"printerTest"_s));
    QVERIFY2(dialog.errorText().startsWith(u"Printer address"_s), qPrintable(dialog.errorText()));
    host->clear();
    QTest::keyClicks(host, u"127.0.0.1"_s);
    named<QSpinBox>(&dialog, u"printerPort"_s)->setValue(printer.port());
    STEP(click(&dialog, u"printerTest"_s));
    QTRY_COMPARE_WITH_TIMEOUT(printer.finishedJobs().size(), 1, actionTimeoutMs);
    QVERIFY(printer.finishedJobs().first().contains("Test print"));
    QTRY_VERIFY_WITH_TIMEOUT(dialog.testResult().contains(u"Test page sent"_s), actionTimeoutMs);
    // Bob is a cashier: saving is refused, nothing stored.
    STEP(click(&dialog, u"printerSave"_s));
    QTRY_VERIFY_WITH_TIMEOUT(dialog.errorText().contains(u"Only a manager"_s), actionTimeoutMs);
    QVERIFY(!ReceiptPrinting::config().enabled());
    QVERIFY(dialog.isVisible());
    dialog.reject();

    // Maria, a manager, may.
    MainWindow *second = openWindow();
    QVERIFY(second);
    STEP(login(second, u"Maria"_s, u"9999"_s));
    PrinterSettingsDialog managerDialog(m_app->backend(), second->cashier(), second);
    managerDialog.show();
    auto *choice = named<QComboBox>(&managerDialog, u"printerBackend"_s);
    choice->setCurrentIndex(choice->findData(u"network"_s));
    QTest::keyClicks(named<QLineEdit>(&managerDialog, u"printerHost"_s), u"127.0.0.1"_s);
    named<QSpinBox>(&managerDialog, u"printerPort"_s)->setValue(printer.port());
    named<QSpinBox>(&managerDialog, u"printerColumns"_s)->setValue(48);
    STEP(click(&managerDialog, u"printerSave"_s));
    QTRY_VERIFY_WITH_TIMEOUT(!managerDialog.isVisible(), actionTimeoutMs);
    const PrinterConfig saved = ReceiptPrinting::config();
    QCOMPARE(saved.backend, PrinterConfig::Backend::Network);
    QCOMPARE(saved.port, printer.port());
    QCOMPARE(saved.columns, 48);
    QVERIFY(saved.configuredAt.isValid());
}

QTEST_MAIN(GuiPrinterTest)
#include "tst_gui_printer.moc"
