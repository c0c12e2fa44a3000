// The order screen for a busy till (issue 16): a 3-item cash sale in few taps and from the
// keyboard alone, the receipt shown without blocking the next sale, a barcode scanner (keyboard
// wedge) with the focus anywhere on the screen, kiosk mode, remembered geometry, a dark palette
// that stays readable, accessible names and the About dialog. Driven like tests/tst_gui.cpp:
// the real windows under QT_QPA_PLATFORM=offscreen, QTest events, bounded QTRY_* waits, and the
// database checked, not only the screen.

#include "AboutDialog.h"
#include "ApprovalDialog.h"
#include "GuiTestSupport.h"
#include "LoginWidget.h"
#include "MainWindow.h"
#include "MessageBar.h"
#include "OpenPriceDialog.h"
#include "OrderLinesModel.h"
#include "OrderWidget.h"
#include "PaymentDialog.h"
#include "ReceiptDialog.h"
#include "Screenshots.h"
#include "ShopContext.h"
#include "TestSupport.h"
#include "TillApplication.h"
#include "TillBackend.h"

#include <QAbstractItemView>
#include <QAbstractSlider>
#include <QAbstractSpinBox>
#include <QAccessible>
#include <QAction>
#include <QApplication>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QScrollBar>
#include <QSettings>
#include <QSplitter>
#include <QTabBar>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace Qt::StringLiterals;
using namespace SafeTill;
using SafeTill::Test::login;
using SafeTill::Test::named;
using SafeTill::Test::visibleOf;
using SafeTill::Test::visibleOne;

namespace {

constexpr int actionTimeoutMs = 5000;

// What a screen reader would say the widget is.
QString accessibleName(QWidget *widget)
{
    QAccessibleInterface *iface = QAccessible::queryAccessibleInterface(widget);
    return iface ? iface->text(QAccessible::Name).trimmed() : QString();
}

bool interactive(QWidget *widget)
{
    // Scroll bars belong to their scroll area (the platform names them by role).
    if (qobject_cast<QScrollBar *>(widget))
        return false;
    return qobject_cast<QAbstractButton *>(widget) || qobject_cast<QLineEdit *>(widget) ||
           qobject_cast<QAbstractItemView *>(widget) || qobject_cast<QTabBar *>(widget) ||
           qobject_cast<QComboBox *>(widget) || qobject_cast<QAbstractSpinBox *>(widget) ||
           qobject_cast<QAbstractSlider *>(widget);
}

// The visible interactive widgets under root without an accessible name, as "class objectName".
QStringList unnamedControls(QWidget *root)
{
    QStringList unnamed;
    for (QWidget *widget : root->findChildren<QWidget *>()) {
        if (!widget->isVisible() || !interactive(widget))
            continue;
        if (accessibleName(widget).isEmpty())
            unnamed << u"%1 %2"_s.arg(QLatin1StringView(widget->metaObject()->className()),
                                      widget->objectName());
    }
    return unnamed;
}

QPalette darkPalette()
{
    QPalette dark;
    dark.setColor(QPalette::Window, QColor(0x2b, 0x2b, 0x2b));
    dark.setColor(QPalette::WindowText, QColor(0xee, 0xee, 0xee));
    dark.setColor(QPalette::Base, QColor(0x1e, 0x1e, 0x1e));
    dark.setColor(QPalette::AlternateBase, QColor(0x33, 0x33, 0x33));
    dark.setColor(QPalette::Text, QColor(0xee, 0xee, 0xee));
    dark.setColor(QPalette::Button, QColor(0x3a, 0x3a, 0x3a));
    dark.setColor(QPalette::ButtonText, QColor(0xee, 0xee, 0xee));
    dark.setColor(QPalette::Highlight, QColor(0x2d, 0x6f, 0xb5));
    dark.setColor(QPalette::HighlightedText, Qt::white);
    dark.setColor(QPalette::PlaceholderText, QColor(0xa0, 0xa0, 0xa0));
    return dark;
}

} // namespace

class TestGuiTill : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();

    void threeItemCashSaleInFiveTaps();
    void keyboardOnlySale();
    void scannerWedgeWithFocusElsewhere();
    void scannerLeavesDialogFieldsAlone();
    void searchAsYouType();
    void openPriceProductAsksItsPrice();
    void kioskRefusesQuitWithoutManager();
    void geometryAndSplitterRestored();
    void darkPaletteStaysReadable();
    void accessibleNamesOnEveryControl();
    void aboutAndCurrency();

private:
    MainWindow *openWindow();
    void waitIdle(OrderWidget *order);
    // A tap as a cashier makes it: counted, on a visible and enabled button.
    void tap(QWidget *root, const QString &buttonName);
    // Keys as a keyboard (or a scanner) delivers them: to whatever has the focus.
    void typeKeys(MainWindow *window, const QString &text);
    void key(MainWindow *window, Qt::Key key, Qt::KeyboardModifiers modifiers = {});
    void waitForLines(OrderWidget *order, int lines);

    int count(const QString &sql, const QVariantList &values = {})
    {
        return Test::queryValue(m_db->db(), sql, values).toInt();
    }

    std::unique_ptr<Test::TestDatabase> m_db;
    std::unique_ptr<TillApplication> m_app;
    QTemporaryDir m_settingsDir;
    int m_taps = 0;
};

void TestGuiTill::initTestCase()
{
    QVERIFY2(Test::startOffscreenSuite(), "run with QT_QPA_PLATFORM=offscreen (ctest sets it)");
    // The window's settings (kiosk, geometry) in a folder of this run, never the user's.
    QVERIFY(Test::useTemporarySettings(m_settingsDir, u"tst_gui_till"_s));
}

void TestGuiTill::init()
{
    QSettings().clear();
    m_taps = 0;
    m_db = std::make_unique<Test::TestDatabase>();
}

void TestGuiTill::cleanup()
{
    m_app.reset();
    m_db.reset();
    QApplication::setPalette(QPalette());
}

MainWindow *TestGuiTill::openWindow()
{
    if (!m_app) {
        Result<std::unique_ptr<TillBackend>> backend =
            TillBackend::open(DatabaseOptions{m_db->path()});
        if (!backend)
            return nullptr;
        m_app = TillApplication::create(backend.take(), {});
    }
    MainWindow *window = m_app->newWindow();
    if (!QTest::qWaitForWindowExposed(window))
        return nullptr;
    window->activateWindow();
    if (!QTest::qWaitForWindowActive(window))
        return nullptr;
    return window;
}

void TestGuiTill::waitIdle(OrderWidget *order)
{
    QTRY_VERIFY_WITH_TIMEOUT(!order->actionInFlight() && order->order(), actionTimeoutMs);
}

void TestGuiTill::tap(QWidget *root, const QString &buttonName)
{
    STEP(Test::click(root, buttonName));
    ++m_taps;
}

void TestGuiTill::typeKeys(MainWindow *window, const QString &text)
{
    for (const QChar c : text) {
        QWidget *target = QApplication::focusWidget();
        QTest::keyClick(target ? target : window, c.toLatin1());
    }
}

void TestGuiTill::key(MainWindow *window, Qt::Key key, Qt::KeyboardModifiers modifiers)
{
    QWidget *target = QApplication::focusWidget();
    QTest::keyClick(target ? target : window, key, modifiers);
}

void TestGuiTill::waitForLines(OrderWidget *order, int lines)
{
    QTRY_VERIFY2_WITH_TIMEOUT(
        !order->actionInFlight() && order->order() && order->order()->lines.size() == lines,
        qPrintable(u"%1 line(s) wanted, %2 on screen; message: %3"_s.arg(lines)
                       .arg(order->order() ? order->order()->lines.size() : -1)
                       .arg(order->messageBar()->text())),
        actionTimeoutMs);
}

// Issue 16: "a 3-item cash sale with exact or quick tender in <= 6 taps". Three products of the
// first category, Pay, and Take payment (the balance is preselected as exact cash): five taps.
// The receipt is shown beside the catalog, no dialog blocks, and the next sale's first tap puts
// it away.
void TestGuiTill::threeItemCashSaleInFiveTaps()
{
    MainWindow *window = openWindow();
    QVERIFY(window);
    STEP(login(window, u"Alice"_s, u"1234"_s));
    OrderWidget *order = window->orderWidget();
    const QString orderId = order->order()->id;
    m_taps = 0;
    for (const QString &sku : {u"BAK-CRO"_s, u"BAK-PAC"_s, u"BAK-MUF"_s}) {
        STEP(tap(order, u"product-"_s + sku)); // Bakery, the first tab: no tab to switch
        STEP(waitIdle(order));
    }
    STEP(waitForLines(order, 3));
    STEP(tap(order, u"payButton"_s));
    PaymentDialog *dialog = nullptr;
    QTRY_VERIFY((dialog = visibleOne<PaymentDialog>(window)));
    // The most likely tender: cash, the exact balance, ready to take.
    QVERIFY(named<QPushButton>(dialog, u"cashButton"_s)->isChecked());
    QCOMPARE(named<QLineEdit>(dialog, u"tenderedEdit"_s)->text(), u"6.70"_s);
    QVERIFY(named<QPushButton>(dialog, u"exactButton"_s));
    QVERIFY(named<QPushButton>(dialog, u"note-1000"_s)); // the next notes above the balance
    STEP(tap(dialog, u"confirmPayment"_s));

    QTRY_COMPARE_WITH_TIMEOUT(count(u"SELECT COUNT(*) FROM payments WHERE order_id = ? AND "
                                    "method = 'cash' AND amount_cents = 670"_s,
                                    {orderId}),
                              1, actionTimeoutMs);
    QCOMPARE(m_taps, 5);
    QVERIFY(m_taps <= 6);
    // The receipt is on screen, and nothing modal stands between the cashier and the next sale.
    QTRY_VERIFY(order->receiptPanel() && order->receiptPanel()->isVisible());
    QTRY_VERIFY(!visibleOne<PaymentDialog>(window));
    QVERIFY(!QApplication::activeModalWidget());
    QVERIFY(order->receiptPanel()->html().contains(u"6.70"_s));
    STEP(waitIdle(order));
    QVERIFY(order->order()->id != orderId);
    // The next customer's first item, one tap: the receipt goes, the item is on the new order.
    STEP(tap(order, u"product-BAK-CRO"_s));
    QTRY_VERIFY(!order->receiptPanel());
    STEP(waitForLines(order, 1));
    QCOMPARE(count(u"SELECT COUNT(*) FROM payments"_s), 1);
}

// The same sale without a mouse: SKUs and Enter, Ctrl+Return for Pay, Enter for the
// preselected tender; the next SKU typed dismisses the receipt.
void TestGuiTill::keyboardOnlySale()
{
    MainWindow *window = openWindow();
    QVERIFY(window);
    STEP(login(window, u"Bob"_s, u"5678"_s));
    OrderWidget *order = window->orderWidget();
    const QString orderId = order->order()->id;
    int lines = 0;
    for (const QString &sku : {u"COF-ESP"_s, u"TEA-BLK"_s, u"BAK-CRO"_s}) {
        typeKeys(window, sku);
        key(window, Qt::Key_Return);
        STEP(waitForLines(order, ++lines));
    }
    QCOMPARE(order->order()->totalCents(), 220 + 210 + 190);
    key(window, Qt::Key_Return, Qt::ControlModifier);
    PaymentDialog *dialog = nullptr;
    QTRY_VERIFY((dialog = visibleOne<PaymentDialog>(window)));
    QTRY_VERIFY(dialog->isAncestorOf(QApplication::focusWidget()));
    key(window, Qt::Key_Return);
    QTRY_COMPARE_WITH_TIMEOUT(count(u"SELECT COUNT(*) FROM payments WHERE order_id = ? AND "
                                    "method = 'cash' AND amount_cents = 620"_s,
                                    {orderId}),
                              1, actionTimeoutMs);
    QTRY_VERIFY(order->receiptPanel() && order->receiptPanel()->isVisible());
    QTRY_VERIFY(!visibleOne<PaymentDialog>(window));
    STEP(waitIdle(order));
    // The next sale starts with a key: no click to close anything first.
    typeKeys(window, u"COF-LAT"_s);
    QVERIFY(!order->receiptPanel());
    key(window, Qt::Key_Return);
    STEP(waitForLines(order, 1));
    QCOMPARE(order->order()->lines.front().sku, u"COF-LAT"_s);
    QCOMPARE(count(u"SELECT COUNT(*) FROM payments"_s), 1);
}

// A keyboard-wedge scanner types its code and Enter into whatever has the focus: a product
// button, the lines (with a line selected, whose "-" shortcut must not fire). The code lands in
// the SKU field and is added; an unknown code says so and flashes the field.
void TestGuiTill::scannerWedgeWithFocusElsewhere()
{
    MainWindow *window = openWindow();
    QVERIFY(window);
    STEP(login(window, u"Alice"_s, u"1234"_s));
    OrderWidget *order = window->orderWidget();
    auto *sku = named<QLineEdit>(order, u"skuEdit"_s);
    QPushButton *product = nullptr;
    QTRY_VERIFY((product = named<QPushButton>(order, u"product-BAK-CRO"_s)));
    product->setFocus();
    QTRY_COMPARE(QApplication::focusWidget(), product);
    typeKeys(window, u"COF-ESP"_s);
    key(window, Qt::Key_Return);
    STEP(waitForLines(order, 1));
    QCOMPARE(order->order()->lines.front().sku, u"COF-ESP"_s);
    QVERIFY(sku->text().isEmpty());

    // A second espresso's line selected, the focus on the lines: a code with "-" in it.
    auto *view = named<QTableView>(order, u"linesView"_s);
    view->setFocus();
    view->selectRow(0);
    QTRY_COMPARE(QApplication::focusWidget(), view);
    typeKeys(window, u"TEA-GRN"_s);
    key(window, Qt::Key_Return);
    STEP(waitForLines(order, 2));
    QCOMPARE(order->order()->lines.at(0).quantity, 1); // "-" did not decrease it
    QCOMPARE(order->order()->lines.at(1).sku, u"TEA-GRN"_s);

    // An unknown code: a clear message naming it, the field flashing, nothing added.
    const int version = order->order()->version;
    view->setFocus();
    QTRY_COMPARE(QApplication::focusWidget(), view);
    QVERIFY(!order->isFlashing());
    typeKeys(window, u"4006381333931"_s);
    key(window, Qt::Key_Return);
    QTRY_VERIFY(order->messageBar()->isVisible());
    QVERIFY2(order->messageBar()->text().contains(u"Unknown code"_s) &&
                 order->messageBar()->text().contains(u"4006381333931"_s),
             qPrintable(order->messageBar()->text()));
    QVERIFY(order->isFlashing());
    QCOMPARE(sku->selectedText(), u"4006381333931"_s); // the next scan replaces it
    QCOMPARE(order->order()->version, version);
    // The flash ends by itself; the next scan replaces the unknown code.
    QTRY_VERIFY_WITH_TIMEOUT(!order->isFlashing(), actionTimeoutMs);
    typeKeys(window, u"BAK-BAN"_s);
    key(window, Qt::Key_Return);
    STEP(waitForLines(order, 3));
    QCOMPARE(order->order()->lines.at(2).sku, u"BAK-BAN"_s);
}

// Keys typed into a dialog's field stay there: the wedge takes nothing from the payment dialog.
void TestGuiTill::scannerLeavesDialogFieldsAlone()
{
    MainWindow *window = openWindow();
    QVERIFY(window);
    STEP(login(window, u"Alice"_s, u"1234"_s));
    OrderWidget *order = window->orderWidget();
    typeKeys(window, u"SNK-SAL"_s);
    key(window, Qt::Key_Return);
    STEP(waitForLines(order, 1));
    key(window, Qt::Key_F12);
    PaymentDialog *dialog = nullptr;
    QTRY_VERIFY((dialog = visibleOne<PaymentDialog>(window)));
    auto *tendered = named<QLineEdit>(dialog, u"tenderedEdit"_s);
    QTRY_COMPARE(QApplication::focusWidget(), tendered);
    typeKeys(window, u"20"_s); // over the preselected amount
    QCOMPARE(tendered->text(), u"20"_s);
    QVERIFY(named<QLineEdit>(order, u"skuEdit"_s)->text().isEmpty());
    QCOMPARE(named<QLabel>(dialog, u"changeLabel"_s)->text(), u"Change due: $15.10"_s);
    key(window, Qt::Key_Return);
    QTRY_COMPARE_WITH_TIMEOUT(
        count(
            u"SELECT COUNT(*) FROM payments WHERE tendered_cents = 2000 AND change_cents = 1510"_s),
        1, actionTimeoutMs);
}

// Typing part of a name shows the matching products at once; a tap on one, or Down and Enter,
// adds it.
void TestGuiTill::searchAsYouType()
{
    MainWindow *window = openWindow();
    QVERIFY(window);
    STEP(login(window, u"Alice"_s, u"1234"_s));
    OrderWidget *order = window->orderWidget();
    QListWidget *results = order->suggestions();
    QVERIFY(!results->isVisible());
    typeKeys(window, u"crois"_s);
    QTRY_VERIFY(results->isVisible() && results->count() == 1);
    QVERIFY2(results->item(0)->text().contains(u"Croissant"_s),
             qPrintable(results->item(0)->text()));
    QTest::mouseClick(results->viewport(), Qt::LeftButton, {},
                      results->visualItemRect(results->item(0)).center());
    STEP(waitForLines(order, 1));
    QCOMPARE(order->order()->lines.front().sku, u"BAK-CRO"_s);
    QTRY_VERIFY(!results->isVisible());

    // A SKU prefix, from the keyboard alone.
    typeKeys(window, u"snk-s"_s);
    QTRY_VERIFY(results->isVisible() && results->count() == 2); // SNK-SAL, SNK-SOU
    key(window, Qt::Key_Down);
    QCOMPARE(QApplication::focusWidget(), results);
    key(window, Qt::Key_Down);
    QCOMPARE(results->currentItem()->data(Qt::UserRole).toString(), u"SNK-SOU"_s);
    key(window, Qt::Key_Return);
    STEP(waitForLines(order, 2));
    QCOMPARE(order->order()->lines.at(1).sku, u"SNK-SOU"_s);
}

// Issue 16: a product sold at an open price asks its price when tapped or scanned: the dialog's
// field takes the price in the shop's currency, Enter adds the line at that price (its own, not
// an override), Esc adds nothing.
void TestGuiTill::openPriceProductAsksItsPrice()
{
    m_db->db().exec(u"UPDATE products SET open_price = 1 WHERE sku = 'BAK-CRO'"_s, {}).finish();
    MainWindow *window = openWindow();
    QVERIFY(window);
    STEP(login(window, u"Alice"_s, u"1234"_s));
    OrderWidget *order = window->orderWidget();
    const QString orderId = order->order()->id;

    // A tap: the dialog, its field focused; 4.50 and Enter.
    STEP(tap(order, u"product-BAK-CRO"_s));
    OpenPriceDialog *dialog = nullptr;
    QTRY_VERIFY((dialog = visibleOne<OpenPriceDialog>(window)));
    QCOMPARE(dialog->objectName(), u"openPriceDialog"_s);
    auto *price = named<QLineEdit>(dialog, u"openPriceEdit"_s);
    QVERIFY(price);
    QTRY_COMPARE(QApplication::focusWidget(), price);
    QVERIFY(!named<QPushButton>(dialog, u"addOpenPrice"_s)->isEnabled()); // nothing typed yet
    typeKeys(window, u"4.50"_s);
    QCOMPARE(price->text(), u"4.50"_s);
    QVERIFY(named<QLineEdit>(order, u"skuEdit"_s)->text().isEmpty()); // the wedge left it alone
    key(window, Qt::Key_Return);
    STEP(waitForLines(order, 1));
    QTRY_VERIFY(!visibleOne<OpenPriceDialog>(window));
    const OrderLine line = order->order()->lines.front();
    QCOMPARE(line.sku, u"BAK-CRO"_s);
    QCOMPARE(line.name, u"Croissant"_s);
    QCOMPARE(line.unitPriceCents, Cents(450));
    QVERIFY(!line.listPriceCents);
    QCOMPARE(order->order()->totalCents(), Cents(450));
    QVERIFY2(named<QLabel>(order, u"totalLabel"_s)->text().contains(u"4.50"_s),
             qPrintable(named<QLabel>(order, u"totalLabel"_s)->text()));
    auto *view = named<QTableView>(order, u"linesView"_s);
    bool shown = false;
    for (int column = 0; column < view->model()->columnCount(); ++column)
        shown = shown || view->model()->index(0, column).data().toString().contains(u"4.50"_s);
    QVERIFY2(shown, "the line shows 4.50");
    QCOMPARE(count(u"SELECT COUNT(*) FROM order_lines WHERE order_id = ? AND sku = 'BAK-CRO' "
                   "AND unit_price_cents = 450 AND list_price_cents IS NULL"_s,
                   {orderId}),
             1);

    // Esc: the dialog goes and nothing is added.
    STEP(tap(order, u"product-BAK-CRO"_s));
    QTRY_VERIFY((dialog = visibleOne<OpenPriceDialog>(window)));
    QTRY_COMPARE(QApplication::focusWidget(), named<QLineEdit>(dialog, u"openPriceEdit"_s));
    typeKeys(window, u"9"_s);
    key(window, Qt::Key_Escape);
    QTRY_VERIFY(!visibleOne<OpenPriceDialog>(window));
    STEP(waitIdle(order));
    QTest::qWait(100);
    QCOMPARE(order->order()->lines.size(), 1);
    QCOMPARE(count(u"SELECT COUNT(*) FROM order_lines WHERE order_id = ?"_s, {orderId}), 1);
    QCOMPARE(order->order()->totalCents(), Cents(450));

    // Scanned with the focus anywhere: the same dialog; another price is a line of its own.
    view->setFocus();
    typeKeys(window, u"BAK-CRO"_s);
    key(window, Qt::Key_Return);
    QTRY_VERIFY((dialog = visibleOne<OpenPriceDialog>(window)));
    QTRY_COMPARE(QApplication::focusWidget(), named<QLineEdit>(dialog, u"openPriceEdit"_s));
    typeKeys(window, u"3"_s);
    key(window, Qt::Key_Return);
    STEP(waitForLines(order, 2));
    QCOMPARE(order->order()->lines.at(1).unitPriceCents, Cents(300));
    QCOMPARE(order->order()->totalCents(), Cents(750));
}

// Kiosk mode: full screen without decorations; closing the window, Ctrl+Q and a wrong PIN leave
// it open; the manager's PIN closes it.
void TestGuiTill::kioskRefusesQuitWithoutManager()
{
    QSettings().setValue(u"ui/kiosk"_s, true);
    MainWindow *window = openWindow();
    QVERIFY(window);
    QPointer<MainWindow> alive(window);
    QVERIFY(window->isKiosk());
    QVERIFY(window->windowState() & Qt::WindowFullScreen);
    QVERIFY(window->windowFlags() & Qt::FramelessWindowHint);
    STEP(login(window, u"Alice"_s, u"1234"_s));

    QVERIFY(!window->close()); // the close button, Alt+F4
    QVERIFY(window->isVisible());
    ApprovalDialog *approval = nullptr;
    QTRY_VERIFY((approval = window->leaveKioskDialog()) && approval->isVisible());
    QTest::keyClick(approval, Qt::Key_Escape);
    QTRY_VERIFY(!window->leaveKioskDialog());
    QVERIFY(window->isVisible());

    window->activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(window));
    auto *quit = window->findChild<QAction *>(u"quitAction"_s);
    QVERIFY(quit);
    quit->trigger(); // File → Quit (Ctrl+Q): every window is asked to close
    QTRY_VERIFY((approval = window->leaveKioskDialog()) && approval->isVisible());
    QVERIFY(alive && window->isVisible());
    auto *manager = named<QComboBox>(approval, u"approvalManager"_s);
    QTRY_COMPARE(manager->currentText(), u"Maria"_s);
    auto *pin = named<QLineEdit>(approval, u"approvalPin"_s);
    QTest::keyClicks(pin, u"1111"_s);
    QTest::keyClick(pin, Qt::Key_Return);
    QTRY_VERIFY2_WITH_TIMEOUT(approval->message().contains(u"PIN"_s) && pin->isEnabled(),
                              qPrintable(approval->message()), actionTimeoutMs);
    QVERIFY(alive && window->isVisible());
    QTest::keyClicks(pin, u"9999"_s);
    QTest::keyClick(pin, Qt::Key_Return);
    QTRY_VERIFY_WITH_TIMEOUT(!alive || !window->isVisible(), actionTimeoutMs);
}

// The window's size and the catalog|order border come back as the cashier left them.
void TestGuiTill::geometryAndSplitterRestored()
{
    MainWindow *first = openWindow();
    QVERIFY(first);
    QVERIFY(!first->isKiosk());
    first->resize(first->minimumWidth() + 10, first->minimumHeight() + 20);
    const QSize size = first->size();
    STEP(login(first, u"Alice"_s, u"1234"_s));
    QSplitter *splitter = first->orderWidget()->splitter();
    const int total = splitter->sizes().at(0) + splitter->sizes().at(1);
    const QList<int> wanted{total / 4, total - total / 4};
    splitter->setSizes(wanted);
    QCOMPARE(splitter->sizes(), wanted);
    QVERIFY(first->close());

    MainWindow *second = openWindow();
    QVERIFY(second);
    QCOMPARE(second->size(), size);
    STEP(login(second, u"Bob"_s, u"5678"_s));
    QTRY_COMPARE(second->orderWidget()->splitter()->sizes(), wanted);
}

// A dark desktop theme: the message bar's text and background contrast (WCAG AA, 4.5:1) for
// every kind of message, as the light theme does.
void TestGuiTill::darkPaletteStaysReadable()
{
    QApplication::setPalette(darkPalette());
    MainWindow *window = openWindow();
    QVERIFY(window);
    STEP(login(window, u"Alice"_s, u"1234"_s));
    MessageBar *bar = window->orderWidget()->messageBar();
    auto *text = named<QLabel>(bar, u"messageText"_s);
    for (const MessageBar::Kind kind :
         {MessageBar::Kind::Info, MessageBar::Kind::Warning, MessageBar::Kind::Error}) {
        bar->showMessage(u"Something happened"_s, kind);
        QTRY_VERIFY(bar->isVisible());
        const QColor background = bar->palette().color(bar->backgroundRole());
        const QColor foreground = text->palette().color(text->foregroundRole());
        QVERIFY2(bar->autoFillBackground(), "the bar paints its own background");
        QVERIFY2(background.lightness() < 110,
                 qPrintable(u"a dark background: %1"_s.arg(background.name())));
        const double ratio = contrastRatio(background, foreground);
        QVERIFY2(ratio >= 4.5, qPrintable(u"kind %1: %2 on %3 is %4:1"_s.arg(int(kind))
                                              .arg(foreground.name(), background.name())
                                              .arg(ratio)));
        // What is painted is that background (no style sheet paints over it).
        const QImage shot = bar->grab().toImage();
        const QColor painted = shot.pixelColor(shot.width() / 2, 3);
        QVERIFY2(contrastRatio(painted, foreground) >= 4.5,
                 qPrintable(u"painted %1"_s.arg(painted.name())));
    }
    // The accent colours stay readable on the dark window too.
    const QColor window_ = window->palette().color(QPalette::Window);
    QVERIFY(contrastRatio(readableOn(window_, QColor(0xb0, 0x00, 0x20)), window_) >= 4.5);
    QVERIFY(contrastRatio(readableOn(QColor(Qt::white), QColor(0xb3, 0x5c, 0x00)),
                          QColor(Qt::white)) >= 4.5);

    // The order screen on the dark desktop, for the README (docs/screenshots/order-dark.png).
    window->resize(1024, 768);
    OrderWidget *order = window->orderWidget();
    for (const QString &sku : {u"BAK-CRO"_s, u"BAK-MUF"_s}) {
        STEP(tap(order, u"product-"_s + sku));
        STEP(waitIdle(order));
    }
    STEP(waitForLines(order, 2));
    bar->showMessage(u"Added Blueberry muffin."_s, MessageBar::Kind::Info);
    QCoreApplication::sendPostedEvents(nullptr, QEvent::LayoutRequest);
    const QString screenshot = Test::saveScreenshot(window->grab(), u"order-dark"_s);
    QVERIFY2(screenshot.isEmpty(), qPrintable(screenshot));
}

// Every control a person can operate on the login screen, the order screen (with the receipt),
// the payment dialog and About has a name a screen reader can say.
void TestGuiTill::accessibleNamesOnEveryControl()
{
    MainWindow *window = openWindow();
    QVERIFY(window);
    QTRY_VERIFY_WITH_TIMEOUT(named<QPushButton>(window->loginWidget(), u"cashier-Alice"_s),
                             actionTimeoutMs);
    QStringList unnamed = unnamedControls(window);
    QVERIFY2(unnamed.isEmpty(), qPrintable(u"login screen: "_s + unnamed.join(u", "_s)));
    STEP(login(window, u"Alice"_s, u"1234"_s));
    OrderWidget *order = window->orderWidget();
    typeKeys(window, u"COF-ESP"_s);
    key(window, Qt::Key_Return);
    STEP(waitForLines(order, 1));
    unnamed = unnamedControls(window);
    QVERIFY2(unnamed.isEmpty(), qPrintable(u"order screen: "_s + unnamed.join(u", "_s)));
    key(window, Qt::Key_F12);
    PaymentDialog *dialog = nullptr;
    QTRY_VERIFY((dialog = visibleOne<PaymentDialog>(window)));
    unnamed = unnamedControls(dialog);
    QVERIFY2(unnamed.isEmpty(), qPrintable(u"payment: "_s + unnamed.join(u", "_s)));
    key(window, Qt::Key_Return);
    QTRY_VERIFY_WITH_TIMEOUT(order->receiptPanel() && order->receiptPanel()->isVisible(),
                             actionTimeoutMs);
    unnamed = unnamedControls(window);
    QVERIFY2(unnamed.isEmpty(), qPrintable(u"with the receipt: "_s + unnamed.join(u", "_s)));
    AboutDialog about(window);
    about.show();
    unnamed = unnamedControls(&about);
    QVERIFY2(unnamed.isEmpty(), qPrintable(u"about: "_s + unnamed.join(u", "_s)));
}

void TestGuiTill::aboutAndCurrency()
{
    MainWindow *window = openWindow();
    QVERIFY(window);
    window->showAbout();
    AboutDialog *about = nullptr;
    QTRY_VERIFY((about = visibleOne<AboutDialog>(window)));
    QVERIFY(about->text().contains(QStringLiteral(SAFETILL_VERSION)));
    QVERIFY(about->text().contains(u"MIT"_s));
    QVERIFY(about->text().contains(QLatin1StringView(qVersion())));
    about->close();
    STEP(login(window, u"Alice"_s, u"1234"_s));
    auto *caption = named<QLabel>(window->orderWidget(), u"totalCaption"_s);
    QVERIFY(caption && caption->isVisible());
    QVERIFY2(caption->text().contains(ShopContext::currency().code), qPrintable(caption->text()));
}

QTEST_MAIN(TestGuiTill)
#include "tst_gui_till.moc"
