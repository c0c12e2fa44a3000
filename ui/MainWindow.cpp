#include "MainWindow.h"

#include "AboutDialog.h"
#include "ApprovalDialog.h"
#include "CashierService.h"
#include "LoginWidget.h"
#include "OrderWidget.h"
#include "PrinterSettingsDialog.h"
#include "ReceiptPrinting.h"
#include "Services.h"
#include "ShopSettingsDialog.h"
#include "SyncStatusWidget.h"
#include "TillBackend.h"

#include <QApplication>
#include <QCloseEvent>
#include <QLabel>
#include <QMenuBar>
#include <QSettings>
#include <QSplitter>
#include <QStackedWidget>
#include <QStatusBar>
#include <QToolButton>

#include <climits>

using namespace Qt::StringLiterals;

namespace SafeTill {

MainWindow::MainWindow(TillBackend &backend, const QString &demoHint, QWidget *parent)
    : QMainWindow(parent)
    , m_backend(backend)
    , m_pages(new QStackedWidget(this))
    , m_login(new LoginWidget(backend, demoHint, this))
    , m_statusCashier(new QLabel(this))
    , m_statusSync(new SyncStatusWidget(this))
    , m_reviewBadge(new QToolButton(this))
{
    setObjectName(u"mainWindow"_s);
    setWindowTitle(tr("SafeTill"));
    setAttribute(Qt::WA_DeleteOnClose);
    setMinimumSize(800, 600);
    resize(1024, 768);
    m_pages->addWidget(m_login);
    setCentralWidget(m_pages);
    m_statusCashier->setObjectName(u"statusCashier"_s);
    statusBar()->addWidget(m_statusCashier, 1);
    // What sync could not settle alone waits for a manager: shown only while there is some.
    m_reviewBadge->setObjectName(u"reviewBadge"_s);
    m_reviewBadge->setAccessibleName(tr("Items to review"));
    m_reviewBadge->setToolTip(tr("Cases sync could not settle alone: open the review list"));
    m_reviewBadge->setStyleSheet(
        u"#reviewBadge { background: palette(highlight); color: palette(highlighted-text); "
        "border-radius: 8px; padding: 2px 10px; font-weight: bold; }"_s);
    m_reviewBadge->hide();
    connect(m_reviewBadge, &QToolButton::clicked, this, &MainWindow::reviewWindowRequested);
    statusBar()->addPermanentWidget(m_reviewBadge);
    statusBar()->addPermanentWidget(m_statusSync);

    QMenu *file = menuBar()->addMenu(tr("&File"));
    QAction *quit = file->addAction(tr("&Quit"), qApp, &QApplication::closeAllWindows);
    quit->setObjectName(u"quitAction"_s);
    quit->setShortcut(QKeySequence::Quit);
    QMenu *window = menuBar()->addMenu(tr("&Window"));
    QAction *newWindow =
        window->addAction(tr("&New Window"), this, &MainWindow::newWindowRequested);
    newWindow->setObjectName(u"newWindowAction"_s);
    newWindow->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_N));
    QAction *tabs = window->addAction(tr("&Tabs"), this, &MainWindow::tabsWindowRequested);
    tabs->setObjectName(u"tabsAction"_s);
    tabs->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_T));
    QAction *receipts =
        window->addAction(tr("R&eceipts"), this, &MainWindow::receiptsWindowRequested);
    receipts->setObjectName(u"receiptsAction"_s);
    receipts->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_E));
    QAction *shift = window->addAction(tr("S&hift"), this, &MainWindow::shiftWindowRequested);
    shift->setObjectName(u"shiftAction"_s);
    QAction *review = window->addAction(tr("&Review"), this, &MainWindow::reviewWindowRequested);
    review->setObjectName(u"reviewAction"_s);
    review->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_R));
    // The back office (issue 16): products, categories, cashiers, shop, for managers.
    QAction *backOffice =
        window->addAction(tr("&Back Office…"), this, &MainWindow::backOfficeRequested);
    backOffice->setObjectName(u"backOfficeAction"_s);
    QMenu *settings = menuBar()->addMenu(tr("&Settings"));
    QAction *sync = settings->addAction(tr("&Sync…"), this, &MainWindow::syncSettingsRequested);
    sync->setObjectName(u"syncSettingsAction"_s);
    QAction *shop = settings->addAction(tr("S&hop…"), this, &MainWindow::showShopSettings);
    shop->setObjectName(u"shopSettingsAction"_s);
    // The till's receipt printer and cash drawer (issue 16).
    QAction *printer = settings->addAction(tr("Receipt &printer…"), this, [this] {
        auto *dialog = new PrinterSettingsDialog(m_backend, cashier(), this);
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        dialog->open();
    });
    printer->setObjectName(u"printerSettingsAction"_s);
    QMenu *help = menuBar()->addMenu(tr("&Help"));
    QAction *about = help->addAction(tr("&About SafeTill"), this, &MainWindow::showAbout);
    about->setObjectName(u"aboutAction"_s);

    // Where the cashier left it last time (kiosk windows fill the screen instead).
    if (const QByteArray geometry = QSettings().value(u"ui/geometry"_s).toByteArray();
        !geometry.isEmpty())
        restoreGeometry(geometry);

    connect(m_login, &LoginWidget::loggedIn, this, &MainWindow::showOrderScreen);
    connect(&m_backend, &TillBackend::changed, this, &MainWindow::refreshReviewBadge);
    showLoginScreen();
    refreshReviewBadge();
}

QString MainWindow::cashierName() const
{
    return m_order ? m_order->cashier().name : QString();
}

Cashier MainWindow::cashier() const
{
    return m_order ? m_order->cashier() : Cashier{};
}

void MainWindow::refreshReviewBadge()
{
    if (m_countingReviews) {
        m_countReviewsAgain = true;
        return;
    }
    m_countingReviews = true;
    m_backend.query(
        this, [](Services &services) { return services.reviews().openCount(); },
        [this](const Result<qint64> &result) {
            m_countingReviews = false;
            // A failed count keeps the last one shown; the next change asks again.
            if (result) {
                const int open = int(qMin<qint64>(*result, INT_MAX));
                m_reviewBadge->setText(tr("Review: %1").arg(open));
                m_reviewBadge->setAccessibleDescription(tr("%n item(s) to review", nullptr, open));
                m_reviewBadge->setVisible(open > 0);
            }
            if (std::exchange(m_countReviewsAgain, false))
                refreshReviewBadge();
        });
}

void MainWindow::showShopSettings()
{
    auto *dialog = new ShopSettingsDialog(m_backend, cashier(), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->open();
}

void MainWindow::showAbout()
{
    auto *dialog = new AboutDialog(this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->open();
}

void MainWindow::setKiosk(bool kiosk)
{
    m_kiosk = kiosk;
    if (kiosk) {
        setWindowFlag(Qt::FramelessWindowHint, true);
        setWindowState(windowState() | Qt::WindowFullScreen);
    } else {
        setWindowFlag(Qt::FramelessWindowHint, false);
        setWindowState(windowState() & ~Qt::WindowFullScreen);
    }
}

void MainWindow::saveLayout()
{
    QSettings settings;
    // A kiosk's full screen is not the size a desktop window should come back with.
    if (!m_kiosk)
        settings.setValue(u"ui/geometry"_s, saveGeometry());
    if (m_order)
        settings.setValue(u"ui/orderSplitter"_s, m_order->splitter()->saveState());
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    if (m_kiosk && !m_leaveApproved) {
        // Close, Alt+F4 and File → Quit all end here: a kiosk stays until a manager says so.
        event->ignore();
        askToLeaveKiosk();
        return;
    }
    saveLayout();
    QMainWindow::closeEvent(event);
}

void MainWindow::askToLeaveKiosk()
{
    if (m_leaveDialog) {
        m_leaveDialog->raise();
        return;
    }
    auto *dialog =
        new ApprovalDialog(m_backend, tr("Closing the till in kiosk mode needs a manager."), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    m_leaveDialog = dialog;
    connect(dialog, &ApprovalDialog::approved, this, [this](const Approver &approver) {
        // The model checks the PIN (a wrong one counts towards the manager's lockout).
        m_backend.query(
            this,
            [approver](Services &services) {
                return services.cashiers().verifyPin(approver.idOrName, approver.pin);
            },
            [this](const Result<Cashier> &manager) {
                if (!m_leaveDialog)
                    return;
                if (!manager) {
                    // A wrong PIN (counted towards the manager's lockout), or why the PIN was
                    // not checked (locked out until a time, an unknown manager).
                    m_leaveDialog->refused(manager.outcome() == Outcome::InvalidInput
                                               ? tr("Not approved: the manager's PIN is wrong.")
                                               : tr("Not approved: %1").arg(manager.message()));
                    return;
                }
                if (manager->role != Role::Manager) {
                    m_leaveDialog->refused(
                        tr("%1 is not a manager; closing the till needs a manager.")
                            .arg(manager->name));
                    return;
                }
                m_leaveApproved = true;
                m_leaveDialog->accept();
                close();
            });
    });
    dialog->open();
}

void MainWindow::setSyncService(SyncService *service)
{
    m_statusSync->setService(service);
}

void MainWindow::showOrderScreen(const Cashier &cashier)
{
    if (m_order)
        m_order->deleteLater();
    m_order = new OrderWidget(m_backend, cashier, this);
    m_pages->addWidget(m_order);
    m_pages->setCurrentWidget(m_order);
    if (const QByteArray sizes = QSettings().value(u"ui/orderSplitter"_s).toByteArray();
        !sizes.isEmpty())
        m_order->splitter()->restoreState(sizes);
    connect(m_order->splitter(), &QSplitter::splitterMoved, this, &MainWindow::saveLayout);
    m_statusCashier->setText(cashier.name);
    setWindowTitle(tr("SafeTill — %1").arg(cashier.name));
    connect(m_order, &OrderWidget::statusChanged, m_statusCashier, &QLabel::setText);
    connect(m_order, &OrderWidget::loggedOut, this, &MainWindow::showLoginScreen);
    // Sales paid but never printed (a crash, a printer that was off): "print now".
    ReceiptPrinting::checkNotPrinted(m_backend, m_order->messageBar(), cashier.id);
}

void MainWindow::showLoginScreen()
{
    if (m_order) {
        saveLayout();
        m_pages->removeWidget(m_order);
        m_order->deleteLater();
        m_order = nullptr;
    }
    // Showing the login page reloads it (LoginWidget::showEvent); a second reload here would
    // rebuild the cashier buttons under the cashier's finger.
    m_pages->setCurrentWidget(m_login);
    m_statusCashier->setText(tr("Nobody logged in"));
    setWindowTitle(tr("SafeTill"));
}

} // namespace SafeTill
