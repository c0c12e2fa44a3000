// First start and back office (issue 16), driven through the real widgets on the offscreen
// platform: the set-up wizard on a fresh profile and database, the login screen it leads to, and
// the back office's products, CSV import, cashiers, approvals and read-only synced till.

#include "ApprovalDialog.h"
#include "BackOfficeWindow.h"
#include "CashierService.h"
#include "CatalogService.h"
#include "GuiTestSupport.h"
#include "LoginWidget.h"
#include "MainWindow.h"
#include "OrderWidget.h"
#include "ReceiptDocument.h"
#include "ResultChecks.h"
#include "Services.h"
#include "SetupWizard.h"
#include "ShopSettings.h"
#include "ShopSettingsDialog.h"
#include "TestSupport.h"
#include "TillApplication.h"
#include "TillBackend.h"

#include <QAbstractButton>
#include <QAction>
#include <QApplication>
#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QLabel>
#include <QLineEdit>
#include <QPointer>
#include <QPushButton>
#include <QSettings>
#include <QSortFilterProxyModel>
#include <QTabWidget>
#include <QTableView>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include <functional>

using namespace Qt::StringLiterals;
using namespace SafeTill;
using SafeTill::Test::click;
using SafeTill::Test::login;
using SafeTill::Test::named;
using SafeTill::Test::visibleOf;
using SafeTill::Test::visibleOne;

namespace {

constexpr int actionTimeoutMs = 5000;

template<typename T> T *visibleTopLevel()
{
    for (QWidget *top : QApplication::topLevelWidgets()) {
        if (auto *widget = qobject_cast<T *>(top); widget && widget->isVisible())
            return widget;
    }
    return nullptr;
}

} // namespace

class GuiSetupTest : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();

    void setupWizardThenLoginWithoutPins();
    void cancelledSetupWritesNothing();
    void setupSyncedTillStoresTheServerOnly();
    void backOfficeProductAddEditRetire();
    void backOfficeImportShowsLineNumberedErrors();
    void backOfficeCashiersAddAndResetPin();
    void cashierNeedsManagersApproval();
    void syncedTillIsReadOnly();

private:
    // The till on the test database, as app/gui/main.cpp builds it (no demo hint).
    MainWindow *startApp();
    void openBackOffice(MainWindow *window, BackOfficeWindow **opened);
    // Shows the back office's tab that holds the widget called name.
    void showTab(BackOfficeWindow *office, const QString &name);
    void typeInto(QLineEdit *edit, const QString &text);
    // Drives the wizard that runFirstStartIfNeeded shows with fill. Rejects it on a failed check
    // so the test never hangs.
    void driveWizard(const std::function<void(SetupWizard *)> &fill);
    // The shop and its manager; `cancel` clicks Cancel on the manager's page instead of finishing.
    void fillWizard(SetupWizard *wizard, bool cancel);
    // "This till syncs with a server": each bad input is refused under its field, then the
    // server URL and the token file (mode 0600) are accepted.
    void fillSyncWizard(SetupWizard *wizard, const QString &tokenFile, const QString &sharedToken);
    // On the sync page, Finish with these inputs is refused with a message under field holding
    // `expected`; the page stays and nothing is stored or written.
    void refuseSync(SetupWizard *wizard, const QString &url, const QString &token,
                    const QString &cert, const QString &field, const QString &expected);
    int count(const QString &sql, const QVariantList &values = {})
    {
        return Test::queryValue(m_db->db(), sql, values).toInt();
    }

    QTemporaryDir m_home;
    std::unique_ptr<Test::TestDatabase> m_db;
    std::unique_ptr<TillApplication> m_app;
};

void GuiSetupTest::initTestCase()
{
    QVERIFY2(Test::startOffscreenSuite(), "run with QT_QPA_PLATFORM=offscreen (ctest sets it)");
    // A fresh profile: QSettings (sync/...) and the data location in a temporary home.
    QVERIFY(m_home.isValid());
    qputenv("HOME", m_home.path().toUtf8());
    qputenv("XDG_CONFIG_HOME", (m_home.path() + u"/config"_s).toUtf8());
    qputenv("XDG_DATA_HOME", (m_home.path() + u"/data"_s).toUtf8());
    QCoreApplication::setOrganizationName(u"SafeTillSetupTest"_s);
    QCoreApplication::setApplicationName(u"safetill"_s);
    QVERIFY(!SyncConfig::load(QSettings()).isConfigured());
}

void GuiSetupTest::init()
{
    m_db = std::make_unique<Test::TestDatabase>();
}

void GuiSetupTest::cleanup()
{
    // A test that set up a synced till leaves no server behind for the next one.
    QSettings().remove(u"sync"_s);
    for (QWidget *top : QApplication::topLevelWidgets()) {
        if (auto *dialog = qobject_cast<QDialog *>(top); dialog && dialog->isVisible())
            dialog->reject();
    }
    m_app.reset();
    m_db.reset();
}

MainWindow *GuiSetupTest::startApp()
{
    Result<std::unique_ptr<TillBackend>> backend = TillBackend::open(DatabaseOptions{m_db->path()});
    if (!backend)
        return nullptr;
    m_app = TillApplication::create(backend.take(), QString());
    MainWindow *window = m_app->newWindow();
    return QTest::qWaitForWindowExposed(window) ? window : nullptr;
}

void GuiSetupTest::showTab(BackOfficeWindow *office, const QString &name)
{
    auto *tabs = named<QTabWidget>(office, u"backOfficeTabs"_s);
    QVERIFY(tabs);
    for (int i = 0; i < tabs->count(); ++i) {
        if (tabs->widget(i)->findChild<QWidget *>(name)) {
            tabs->setCurrentIndex(i);
            return;
        }
    }
    QFAIL(qPrintable(u"no tab holds %1"_s.arg(name)));
}

void GuiSetupTest::typeInto(QLineEdit *edit, const QString &text)
{
    QVERIFY(edit);
    edit->setFocus();
    QTest::keyClick(edit, Qt::Key_A, Qt::ControlModifier);
    QTest::keyClick(edit, Qt::Key_Backspace);
    QTest::keyClicks(edit, text);
    QCOMPARE(edit->text(), text);
}

void GuiSetupTest::openBackOffice(MainWindow *window, BackOfficeWindow **opened)
{
    auto *action = window->findChild<QAction *>(u"backOfficeAction"_s);
    QVERIFY(action);
    action->trigger();
    QTRY_VERIFY_WITH_TIMEOUT(m_app->backOffice() && m_app->backOffice()->isVisible() &&
                                 m_app->backOffice()->isLoaded(),
                             actionTimeoutMs);
    *opened = m_app->backOffice();
}

// --- the first start -------------------------------------------------------------------------

void GuiSetupTest::driveWizard(const std::function<void(SetupWizard *)> &fill)
{
    // The wizard appears once runFirstStartIfNeeded has read the database: looked for every
    // 20 ms, at most 500 times (10 s); a wizard nobody drives is closed, so a test never hangs.
    auto *poll = new QTimer(this);
    poll->setInterval(20);
    auto attempts = std::make_shared<int>(0);
    connect(poll, &QTimer::timeout, this, [poll, attempts, fill] {
        SetupWizard *wizard = visibleTopLevel<SetupWizard>();
        if (!wizard) {
            if (++*attempts >= 500)
                poll->deleteLater();
            return;
        }
        poll->stop();
        poll->deleteLater();
        fill(wizard);
        if (QTest::currentTestFailed() && wizard->isVisible())
            wizard->reject();
    });
    poll->start();
    QTimer::singleShot(60'000, this, [] {
        if (SetupWizard *wizard = visibleTopLevel<SetupWizard>())
            wizard->reject();
    });
}

void GuiSetupTest::fillWizard(SetupWizard *wizard, bool cancel)
{
    QCOMPARE(wizard->currentId(), int(SetupWizard::IntroPage));
    QVERIFY(named<QAbstractButton>(wizard, u"setupStandalone"_s)->isChecked());
    QTest::mouseClick(wizard->button(QWizard::NextButton), Qt::LeftButton);
    QCOMPARE(wizard->currentId(), int(SetupWizard::ShopPage));

    // The shop: a wrong currency is named under its field, and the page stays.
    typeInto(named<QLineEdit>(wizard, u"setupShopName"_s), u"Corner Bakery"_s);
    typeInto(named<QLineEdit>(wizard, u"setupAddress1"_s), u"1 Main Street"_s);
    typeInto(named<QLineEdit>(wizard, u"setupTaxNumber"_s), u"DE123456789"_s);
    typeInto(named<QLineEdit>(wizard, u"setupCurrency"_s), u"XYZ"_s);
    QTest::mouseClick(wizard->button(QWizard::NextButton), Qt::LeftButton);
    QCOMPARE(wizard->currentId(), int(SetupWizard::ShopPage));
    QVERIFY2(wizard->fieldError(u"currency"_s).contains(u"XYZ"_s),
             qPrintable(wizard->fieldError(u"currency"_s)));
    typeInto(named<QLineEdit>(wizard, u"setupCurrency"_s), u"EUR"_s);
    QTest::mouseClick(wizard->button(QWizard::NextButton), Qt::LeftButton);
    QCOMPARE(wizard->currentId(), int(SetupWizard::ManagerPage));

    // The manager: PINs that differ, then one too short, each named; nothing written meanwhile.
    typeInto(named<QLineEdit>(wizard, u"setupManagerName"_s), u"Erin"_s);
    typeInto(named<QLineEdit>(wizard, u"setupPin"_s), u"2468"_s);
    typeInto(named<QLineEdit>(wizard, u"setupPinAgain"_s), u"2469"_s);
    if (cancel) {
        QTest::mouseClick(wizard->button(QWizard::CancelButton), Qt::LeftButton);
        return;
    }
    QTest::mouseClick(wizard->button(QWizard::FinishButton), Qt::LeftButton);
    QCOMPARE(wizard->currentId(), int(SetupWizard::ManagerPage));
    QVERIFY(!wizard->fieldError(u"manager-pin-again"_s).isEmpty());
    typeInto(named<QLineEdit>(wizard, u"setupPin"_s), u"12"_s);
    typeInto(named<QLineEdit>(wizard, u"setupPinAgain"_s), u"12"_s);
    QTest::mouseClick(wizard->button(QWizard::FinishButton), Qt::LeftButton);
    QCOMPARE(wizard->currentId(), int(SetupWizard::ManagerPage));
    QVERIFY2(wizard->fieldError(u"manager-pin"_s).contains(u"PIN"_s),
             qPrintable(wizard->fieldError(u"manager-pin"_s)));
    QCOMPARE(count(u"SELECT COUNT(*) FROM cashiers"_s), 0);
    QCOMPARE(count(u"SELECT COUNT(*) FROM shop_settings"_s), 0);
    typeInto(named<QLineEdit>(wizard, u"setupPin"_s), u"2468"_s);
    typeInto(named<QLineEdit>(wizard, u"setupPinAgain"_s), u"2468"_s);
    QTest::mouseClick(wizard->button(QWizard::FinishButton), Qt::LeftButton);
}

void GuiSetupTest::setupWizardThenLoginWithoutPins()
{
    m_db = std::make_unique<Test::TestDatabase>(/*withDemoData=*/false);
    Result<std::unique_ptr<TillBackend>> backend = TillBackend::open(DatabaseOptions{m_db->path()});
    QVERIFY2(backend, qPrintable(backend.message()));
    QString error;
    driveWizard([this](SetupWizard *wizard) { fillWizard(wizard, false); });
    const FirstStartRun run = runFirstStartIfNeeded(**backend, &error);
    QVERIFY(!QTest::currentTestFailed());
    QCOMPARE(int(run), int(FirstStartRun::SetUp));

    QCOMPARE(count(u"SELECT COUNT(*) FROM cashiers WHERE role = 'manager'"_s), 1);
    const Result<ShopProfile> shop = ShopSettings(m_db->db()).profile();
    VERIFY_OK(shop);
    QCOMPARE(shop->name, u"Corner Bakery"_s);
    QCOMPARE(shop->address, QStringList{u"1 Main Street"_s});
    QCOMPARE(shop->taxNumber, u"DE123456789"_s);
    QCOMPARE(shop->currency.code, u"EUR"_s);
    // Set up once: a second start goes straight to the login screen.
    QCOMPARE(int(runFirstStartIfNeeded(**backend, &error)), int(FirstStartRun::NotNeeded));

    m_app = TillApplication::create(backend.take(), QString());
    MainWindow *window = m_app->newWindow();
    QVERIFY(QTest::qWaitForWindowExposed(window));
    QTRY_VERIFY(named<QPushButton>(window, u"cashier-Erin"_s));
    QVERIFY(!named<QPushButton>(window, u"cashier-Alice"_s));
    QVERIFY(!named<QLabel>(window, u"demoHint"_s));
    for (QLabel *label : window->findChildren<QLabel *>())
        QVERIFY2(!label->text().contains(u"2468"_s), qPrintable(label->text()));
    login(window, u"Erin"_s, u"2468"_s);
}

void GuiSetupTest::cancelledSetupWritesNothing()
{
    m_db = std::make_unique<Test::TestDatabase>(/*withDemoData=*/false);
    const auto dump = [this] {
        QStringList rows;
        for (const QString &table :
             {u"cashiers"_s, u"shop_settings"_s, u"backoffice_history"_s, u"products"_s})
            rows << QString::number(count(u"SELECT COUNT(*) FROM %1"_s.arg(table)));
        return rows.join(u","_s);
    };
    const QString before = dump();
    Result<std::unique_ptr<TillBackend>> backend = TillBackend::open(DatabaseOptions{m_db->path()});
    QVERIFY2(backend, qPrintable(backend.message()));
    QString error;
    driveWizard([this](SetupWizard *wizard) { fillWizard(wizard, true); });
    QCOMPARE(int(runFirstStartIfNeeded(**backend, &error)), int(FirstStartRun::Cancelled));
    QCOMPARE(dump(), before);
    QCOMPARE(before, u"0,0,0,0"_s);
    QVERIFY(!SyncConfig::load(QSettings()).isConfigured());
}

void GuiSetupTest::refuseSync(SetupWizard *wizard, const QString &url, const QString &token,
                              const QString &cert, const QString &field, const QString &expected)
{
    typeInto(named<QLineEdit>(wizard, u"setupSyncUrl"_s), url);
    typeInto(named<QLineEdit>(wizard, u"setupSyncToken"_s), token);
    typeInto(named<QLineEdit>(wizard, u"setupSyncCert"_s), cert);
    QTest::mouseClick(wizard->button(QWizard::FinishButton), Qt::LeftButton);
    QCOMPARE(wizard->currentId(), int(SetupWizard::SyncPage));
    const QString shown = wizard->fieldError(field);
    QVERIFY2(shown.contains(expected, Qt::CaseInsensitive),
             qPrintable(u"%1: \"%2\" wanted in \"%3\""_s.arg(field, expected, shown)));
    QVERIFY(named<QLabel>(wizard, u"error-"_s + field)->isVisibleTo(wizard));
    // One message, under the field at fault.
    for (const QString &other : {u"sync-url"_s, u"sync-token"_s, u"sync-cert"_s}) {
        if (other != field)
            QVERIFY2(wizard->fieldError(other).isEmpty(), qPrintable(other));
    }
    QVERIFY(!QSettings().childGroups().contains(u"sync"_s));
    QCOMPARE(count(u"SELECT COUNT(*) FROM cashiers"_s), 0);
    QCOMPARE(count(u"SELECT COUNT(*) FROM shop_settings"_s), 0);
}

void GuiSetupTest::fillSyncWizard(SetupWizard *wizard, const QString &tokenFile,
                                  const QString &sharedToken)
{
    QCOMPARE(wizard->currentId(), int(SetupWizard::IntroPage));
    auto *synced = named<QAbstractButton>(wizard, u"setupSynced"_s);
    QTest::mouseClick(synced, Qt::LeftButton, {}, QPoint(8, synced->height() / 2));
    QVERIFY(synced->isChecked());
    QTest::mouseClick(wizard->button(QWizard::NextButton), Qt::LeftButton);
    QCOMPARE(wizard->currentId(), int(SetupWizard::SyncPage));
    QVERIFY(wizard->button(QWizard::FinishButton)->isVisible());

    // http:// to another machine is warned about while it is typed; https:// and this machine
    // are not.
    auto *url = named<QLineEdit>(wizard, u"setupSyncUrl"_s);
    auto *cleartext = named<QLabel>(wizard, u"setupSyncCleartextWarning"_s);
    QVERIFY(cleartext);
    QVERIFY(!cleartext->isVisibleTo(wizard));
    typeInto(url, u"http://till-server.example:8080"_s);
    QVERIFY(cleartext->isVisibleTo(wizard));
    QVERIFY(cleartext->text().contains(u"http://"_s));
    typeInto(url, u"http://127.0.0.1:8080"_s);
    QVERIFY(!cleartext->isVisibleTo(wizard));
    typeInto(url, u"https://till-server.example:8443"_s);
    QVERIFY(!cleartext->isVisibleTo(wizard));

    // Each bad input: a message naming the field, under that field; nothing stored.
    const QString https = u"https://till-server.example:8443"_s;
    const QString missing = QFileInfo(tokenFile).dir().filePath(u"no-such.token"_s);
    STEP(refuseSync(wizard, {}, tokenFile, {}, u"sync-url"_s, u"server URL"_s));
    STEP(refuseSync(wizard, u"till-server.example"_s, tokenFile, {}, u"sync-url"_s,
                    u"server URL"_s));
    STEP(refuseSync(wizard, https + u"/api?token=x"_s, tokenFile, {}, u"sync-url"_s,
                    u"server URL"_s));
    STEP(refuseSync(wizard, https, {}, {}, u"sync-token"_s, u"token file"_s));
    STEP(refuseSync(wizard, https, missing, {}, u"sync-token"_s, u"token file"_s));
    STEP(refuseSync(wizard, https, sharedToken, {}, u"sync-token"_s, u"readable"_s));
    QVERIFY(wizard->fieldError(u"sync-token"_s).contains(u"chmod 600"_s));
    STEP(refuseSync(wizard, https, tokenFile, missing, u"sync-cert"_s, u"certificate"_s));

    // The server and the token file, given relative to the current folder: accepted, the
    // wizard closes.
    typeInto(url, https + u"/"_s);
    typeInto(named<QLineEdit>(wizard, u"setupSyncToken"_s),
             QDir::current().relativeFilePath(tokenFile));
    typeInto(named<QLineEdit>(wizard, u"setupSyncCert"_s), {});
    QTest::mouseClick(wizard->button(QWizard::FinishButton), Qt::LeftButton);
    QVERIFY(!wizard->isVisible());
}

// "This till syncs with a server" (issue 16): the wizard refuses each bad input under its field,
// then stores the server's URL and the token file's path in QSettings for the sync to use, and
// writes nothing into the database: no manager, no shop (the server's come with the sync).
void GuiSetupTest::setupSyncedTillStoresTheServerOnly()
{
    m_db = std::make_unique<Test::TestDatabase>(/*withDemoData=*/false);
    QTemporaryDir files;
    QVERIFY(files.isValid());
    const QByteArray token = "d3v1ce-t0ken_0123456789abcdef";
    const QString tokenFile = files.filePath(u"device.token"_s);
    const QString sharedToken = files.filePath(u"shared.token"_s);
    for (const QString &path : {tokenFile, sharedToken}) {
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        QCOMPARE(file.write(token + '\n'), qint64(token.size() + 1));
    }
    QVERIFY(QFile::setPermissions(tokenFile, QFile::ReadOwner | QFile::WriteOwner));
    QVERIFY(QFile::setPermissions(sharedToken, QFile::ReadOwner | QFile::WriteOwner |
                                                   QFile::ReadGroup | QFile::ReadOther));
    Result<std::unique_ptr<TillBackend>> backend = TillBackend::open(DatabaseOptions{m_db->path()});
    QVERIFY2(backend, qPrintable(backend.message()));

    QString error;
    driveWizard([this, tokenFile, sharedToken](SetupWizard *wizard) {
        fillSyncWizard(wizard, tokenFile, sharedToken);
    });
    const FirstStartRun run = runFirstStartIfNeeded(**backend, &error);
    QVERIFY(!QTest::currentTestFailed());
    QCOMPARE(int(run), int(FirstStartRun::SyncConfigured));

    QSettings settings;
    QCOMPARE(settings.value(u"sync/serverUrl"_s).toString(), u"https://till-server.example:8443"_s);
    // Absolute, although typed relative: the next start may be from another folder.
    QCOMPARE(settings.value(u"sync/tokenFile"_s).toString(), tokenFile);
    QCOMPARE(settings.value(u"sync/trustedCertFile"_s).toString(), QString());
    const SyncConfig stored = SyncConfig::load(settings);
    QVERIFY(stored.isConfigured());
    QVERIFY(SyncConfig::readToken(stored.tokenFile, &error));
    // The token itself is never kept in the settings, only the file's path.
    for (const QString &key : settings.allKeys())
        QVERIFY2(!settings.value(key).toString().contains(QString::fromLatin1(token)),
                 qPrintable(key));
    // No manager, no shop, no history: the server owns them.
    for (const QString &table : {u"cashiers"_s, u"shop_settings"_s, u"backoffice_history"_s})
        QVERIFY2(count(u"SELECT COUNT(*) FROM %1"_s.arg(table)) == 0, qPrintable(table));
    // Configured: the next start goes on without the wizard.
    QCOMPARE(int(runFirstStartIfNeeded(**backend, &error)), int(FirstStartRun::NotNeeded));
}

// --- the back office -------------------------------------------------------------------------

void GuiSetupTest::backOfficeProductAddEditRetire()
{
    MainWindow *window = startApp();
    QVERIFY(window);
    login(window, u"Maria"_s, u"9999"_s);
    if (QTest::currentTestFailed())
        return;
    BackOfficeWindow *office = nullptr;
    openBackOffice(window, &office);
    QVERIFY(office);
    QVERIFY(!office->isReadOnly());

    // Add.
    click(office, u"addProduct"_s);
    QPointer<QDialog> dialog;
    QTRY_VERIFY((dialog = office->findChild<QDialog *>(u"productDialog"_s)) && dialog->isVisible());
    typeInto(named<QLineEdit>(dialog, u"productSku"_s), u"BO-TART"_s);
    typeInto(named<QLineEdit>(dialog, u"productName"_s), u"Lemon tart"_s);
    typeInto(named<QLineEdit>(dialog, u"productPrice"_s), u"3.50"_s);
    named<QComboBox>(dialog, u"productCategory"_s)->setCurrentText(u"Food"_s);
    click(dialog, u"productSave"_s);
    QTRY_COMPARE_WITH_TIMEOUT(count(u"SELECT COUNT(*) FROM products WHERE sku = 'BO-TART'"_s), 1,
                              actionTimeoutMs);
    QCOMPARE(count(u"SELECT price_cents FROM products WHERE sku = 'BO-TART'"_s), 350);

    // Edit its price: found by the search.
    auto *search = named<QLineEdit>(office, u"productSearch"_s);
    auto *view = named<QTableView>(office, u"productsTable"_s);
    QTRY_VERIFY(!dialog || !dialog->isVisible());
    typeInto(search, u"lemon t"_s);
    QTRY_COMPARE(view->model()->rowCount(), 1);
    view->selectRow(0);
    click(office, u"editProduct"_s);
    QTRY_VERIFY((dialog = office->findChild<QDialog *>(u"productDialog"_s)) && dialog->isVisible());
    QVERIFY(named<QLineEdit>(dialog, u"productSku"_s)->isReadOnly());
    typeInto(named<QLineEdit>(dialog, u"productPrice"_s), u"-1"_s);
    click(dialog, u"productSave"_s);
    QTRY_VERIFY(named<QLabel>(dialog, u"productError"_s)->isVisible());
    typeInto(named<QLineEdit>(dialog, u"productPrice"_s), u"3.75"_s);
    click(dialog, u"productSave"_s);
    QTRY_COMPARE_WITH_TIMEOUT(count(u"SELECT price_cents FROM products WHERE sku = 'BO-TART'"_s),
                              375, actionTimeoutMs);

    // A sale of it, before it is retired.
    Services services(m_db->db(), SyncSide::Terminal);
    const QString alice = m_db->cashierId(u"Alice"_s);
    VERIFY_OK(services.orders().openOrResume(alice, Test::newId()));
    VERIFY_OK(services.orders().addProduct(OrderTarget::byCashier(alice), u"BO-TART"_s, 1,
                                           Test::newId()));
    const Result<Order> sold = services.orders().complete(OrderTarget::byCashier(alice),
                                                          PaymentRequest(PaymentMethod::Cash, 375),
                                                          std::nullopt, Test::newId());
    VERIFY_OK(sold);

    // Retire: off the till, on its old receipt.
    QTRY_COMPARE(view->model()->rowCount(), 1);
    view->selectRow(0);
    click(office, u"retireProduct"_s);
    QTRY_VERIFY_WITH_TIMEOUT(
        count(
            u"SELECT COUNT(*) FROM products WHERE sku = 'BO-TART' AND retired_at IS NOT NULL"_s) ==
            1,
        actionTimeoutMs);
    QCOMPARE(count(u"SELECT COUNT(*) FROM products WHERE sku = 'BO-TART'"_s), 1); // not deleted
    MainWindow *first = window;
    MainWindow *second = m_app->newWindow();
    QVERIFY(QTest::qWaitForWindowExposed(second));
    login(second, u"Bob"_s, u"5678"_s);
    // The catalog is on screen (a demo product's button), without the retired product; the
    // same SKU typed in the search adds nothing.
    QTRY_VERIFY_WITH_TIMEOUT(second->orderWidget()->findChild<QPushButton *>(u"product-COF-ESP"_s),
                             actionTimeoutMs);
    QVERIFY(!second->orderWidget()->findChild<QPushButton *>(u"product-BO-TART"_s));
    auto *sku = named<QLineEdit>(second->orderWidget(), u"skuEdit"_s);
    typeInto(sku, u"BO-TART"_s);
    QTest::keyClick(sku, Qt::Key_Return);
    QTRY_VERIFY(
        named<QLabel>(second->orderWidget(), u"messageText"_s) &&
        named<QLabel>(second->orderWidget(), u"messageText"_s)->text().contains(u"BO-TART"_s));
    QVERIFY(second->orderWidget()->order());
    QVERIFY(second->orderWidget()->order()->lines.isEmpty());
    QVERIFY(first->orderWidget()->findChild<QPushButton *>(u"product-COF-ESP"_s));
    const Result<Order> old = services.orders().order(sold->id);
    VERIFY_OK(old);
    QVERIFY(receiptHtml(*old).contains(u"Lemon tart"_s));

    // Who did it, in the history.
    QCOMPARE(count(u"SELECT COUNT(*) FROM backoffice_history WHERE subject = 'BO-TART' AND "
                   "actor_id = ?"_s,
                   {m_db->cashierId(u"Maria"_s)}),
             3);

    // The shop's settings from the back office: editable for a manager.
    showTab(office, u"openShopSettings"_s);
    click(office, u"openShopSettings"_s);
    ShopSettingsDialog *settings = nullptr;
    QTRY_VERIFY((settings = office->findChild<ShopSettingsDialog *>()) && settings->isLoaded());
    QVERIFY(settings->isEditable());
    settings->reject();
}

void GuiSetupTest::backOfficeImportShowsLineNumberedErrors()
{
    MainWindow *window = startApp();
    QVERIFY(window);
    login(window, u"Maria"_s, u"9999"_s);
    if (QTest::currentTestFailed())
        return;
    BackOfficeWindow *office = nullptr;
    openBackOffice(window, &office);
    QVERIFY(office);
    const int products = count(u"SELECT COUNT(*) FROM products"_s);
    office->importCsv("sku,name,price_cents\nOK-1,Fine,100\nBAD-1,Broken,abc\n");
    auto *errors = named<QTableWidget>(office, u"importErrors"_s);
    QTRY_COMPARE_WITH_TIMEOUT(errors->rowCount(), 1, actionTimeoutMs);
    QCOMPARE(errors->item(0, 0)->text(), u"3"_s);
    QVERIFY2(errors->item(0, 1)->text().contains(u"price_cents"_s),
             qPrintable(errors->item(0, 1)->text()));
    QCOMPARE(count(u"SELECT COUNT(*) FROM products"_s), products);
    QCOMPARE(count(u"SELECT COUNT(*) FROM products WHERE sku = 'OK-1'"_s), 0);

    office->importCsv("sku,name,price_cents\nOK-1,Fine,100\n");
    QTRY_COMPARE_WITH_TIMEOUT(count(u"SELECT COUNT(*) FROM products WHERE sku = 'OK-1'"_s), 1,
                              actionTimeoutMs);
    QTRY_COMPARE(errors->rowCount(), 0);
}

void GuiSetupTest::backOfficeCashiersAddAndResetPin()
{
    MainWindow *window = startApp();
    QVERIFY(window);
    login(window, u"Maria"_s, u"9999"_s);
    if (QTest::currentTestFailed())
        return;
    BackOfficeWindow *office = nullptr;
    openBackOffice(window, &office);
    QVERIFY(office);

    showTab(office, u"addCashier"_s);
    click(office, u"addCashier"_s);
    QPointer<QDialog> dialog;
    QTRY_VERIFY((dialog = office->findChild<QDialog *>(u"cashierDialog"_s)) && dialog->isVisible());
    typeInto(named<QLineEdit>(dialog, u"cashierName"_s), u"Nina"_s);
    typeInto(named<QLineEdit>(dialog, u"cashierPin"_s), u"4321"_s);
    typeInto(named<QLineEdit>(dialog, u"cashierPinAgain"_s), u"4321"_s);
    click(dialog, u"cashierSave"_s);
    QTRY_COMPARE_WITH_TIMEOUT(count(u"SELECT COUNT(*) FROM cashiers WHERE name = 'Nina'"_s), 1,
                              actionTimeoutMs);
    QTRY_VERIFY(!dialog || !dialog->isVisible());

    auto *table = named<QTableWidget>(office, u"cashiersTable"_s);
    int row = -1;
    QTRY_VERIFY([&] {
        for (int r = 0; r < table->rowCount(); ++r) {
            if (table->item(r, 0) && table->item(r, 0)->text() == u"Nina"_s)
                row = r;
        }
        return row >= 0;
    }());
    table->selectRow(row);
    click(office, u"resetPin"_s);
    QTRY_VERIFY((dialog = office->findChild<QDialog *>(u"cashierDialog"_s)) && dialog->isVisible());
    typeInto(named<QLineEdit>(dialog, u"cashierPin"_s), u"8765"_s);
    typeInto(named<QLineEdit>(dialog, u"cashierPinAgain"_s), u"8765"_s);
    click(dialog, u"cashierSave"_s);
    QTRY_VERIFY_WITH_TIMEOUT(!dialog || !dialog->isVisible(), actionTimeoutMs);
    CashierService cashiers(m_db->db());
    VERIFY_OK(cashiers.verifyPin(u"Nina"_s, u"8765"_s));
    QCOMPARE(count(u"SELECT COUNT(*) FROM backoffice_history WHERE subject_kind = 'cashier' AND "
                   "action IN ('add', 'pin') AND actor_id = ?"_s,
                   {m_db->cashierId(u"Maria"_s)}),
             2);
}

void GuiSetupTest::cashierNeedsManagersApproval()
{
    MainWindow *window = startApp();
    QVERIFY(window);
    login(window, u"Alice"_s, u"1234"_s);
    if (QTest::currentTestFailed())
        return;
    window->findChild<QAction *>(u"backOfficeAction"_s)->trigger();
    ApprovalDialog *approval = nullptr;
    QTRY_VERIFY_WITH_TIMEOUT((approval = window->findChild<ApprovalDialog *>()) &&
                                 approval->isVisible(),
                             actionTimeoutMs);
    QVERIFY(!m_app->backOffice());
    auto *manager = named<QComboBox>(approval, u"approvalManager"_s);
    QTRY_VERIFY(manager->findText(u"Maria"_s) >= 0);
    manager->setCurrentIndex(manager->findText(u"Maria"_s));
    // A wrong PIN: refused, still no back office.
    typeInto(named<QLineEdit>(approval, u"approvalPin"_s), u"0000"_s);
    click(approval, u"approvalApprove"_s);
    QTRY_VERIFY_WITH_TIMEOUT(!approval->message().isEmpty(), actionTimeoutMs);
    QVERIFY(!m_app->backOffice());
    QTRY_VERIFY(named<QLineEdit>(approval, u"approvalPin"_s)->isEnabled());
    typeInto(named<QLineEdit>(approval, u"approvalPin"_s), u"9999"_s);
    click(approval, u"approvalApprove"_s);
    QTRY_VERIFY_WITH_TIMEOUT(m_app->backOffice() && m_app->backOffice()->isVisible(),
                             actionTimeoutMs);
    QVERIFY(m_app->backOffice()->windowTitle().contains(u"Maria"_s));
    QVERIFY(m_app->backOffice()->windowTitle().contains(u"Alice"_s));
}

void GuiSetupTest::syncedTillIsReadOnly()
{
    QVERIFY(Test::tryExec(m_db->db(), u"UPDATE sync_client_state SET server_url = ? WHERE id = 1"_s,
                          {u"https://pos-server.example:8443"_s}));
    MainWindow *window = startApp();
    QVERIFY(window);
    login(window, u"Maria"_s, u"9999"_s);
    if (QTest::currentTestFailed())
        return;
    BackOfficeWindow *office = nullptr;
    openBackOffice(window, &office);
    QVERIFY(office);
    QVERIFY(office->isReadOnly());
    auto *note = named<QLabel>(office, u"backOfficeNote"_s);
    QVERIFY(note->isVisible());
    QVERIFY2(note->text().contains(u"pos-server.example"_s), qPrintable(note->text()));
    for (const QString &name : {u"addProduct"_s, u"retireProduct"_s, u"importFile"_s,
                                u"addCashier"_s, u"resetPin"_s, u"categoryUp"_s})
        QVERIFY2(!named<QPushButton>(office, name)->isEnabled(), qPrintable(name));
    // The model refuses too, whoever asks.
    Services services(m_db->db(), SyncSide::Terminal);
    const Result<Product> added =
        services.catalog().add(Product{u"SYNC-1"_s, u"Pie"_s, 100, {}, {}});
    VERIFY_OUTCOME(added, Outcome::InvalidState);
    VERIFY_OUTCOME(services.cashiers().add(u"Nina"_s, u"4321"_s), Outcome::InvalidState);
    QCOMPARE(count(u"SELECT COUNT(*) FROM products WHERE sku = 'SYNC-1'"_s), 0);
}

QTEST_MAIN(GuiSetupTest)
#include "tst_gui_setup.moc"
