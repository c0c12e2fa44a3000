// What the GUI suites (tst_gui, tst_gui_till, tst_gui_setup, tst_gui_printer, tst_translations)
// share to drive the real widgets: finding them by object name, the visible one of a kind, a
// step that stops the test when a helper failed, a click on a named button, the login as a
// cashier does it, and quieting the offscreen platform's noise.
#pragma once

#include "LoginWidget.h"
#include "MainWindow.h"
#include "OrderWidget.h"

#include <QAbstractButton>
#include <QCoreApplication>
#include <QGuiApplication>
#include <QLineEdit>
#include <QList>
#include <QLocale>
#include <QObject>
#include <QPushButton>
#include <QSettings>
#include <QString>
#include <QTemporaryDir>
#include <QTest>
#include <QtGlobal>

// Runs a helper that may fail a QTest check and stops the calling test if it did.
#define STEP(expr)                                                                                 \
    do {                                                                                           \
        expr;                                                                                      \
        if (QTest::currentTestFailed())                                                            \
            return;                                                                                \
    } while (false)

namespace SafeTill::Test {

// The bound of a wait for the widgets or the backend's worker (a login, a button enabled after an
// action). Generous: a wait ends as soon as its condition holds, so it only matters when something
// is wrong or the machine is very busy.
inline constexpr int guiWaitMs = 10000;

template<typename T> T *named(const QObject *root, const QString &name)
{
    return root->findChild<T *>(name);
}

// The visible widgets of type T under root (dialogs closed earlier may still await deletion).
template<typename T> QList<T *> visibleOf(const QObject *root)
{
    QList<T *> visible;
    for (T *widget : root->findChildren<T *>()) {
        if (widget->isVisible())
            visible << widget;
    }
    return visible;
}

// The one visible widget of type T under root; null when there is none or more than one.
template<typename T> T *visibleOne(const QObject *root)
{
    const QList<T *> visible = visibleOf<T>(root);
    return visible.size() == 1 ? visible.front() : nullptr;
}

// The offscreen platform warns about every window feature it lacks (size hints, raise); that
// noise would hide the warnings that matter. Call once, in initTestCase().
inline void dropPlatformNoise()
{
    static QtMessageHandler previous = nullptr;
    previous = qInstallMessageHandler(
        [](QtMsgType type, const QMessageLogContext &context, const QString &message) {
            if (type == QtWarningMsg &&
                message.startsWith(QLatin1String("This plugin does not support")))
                return;
            previous(type, context, message);
        });
}

// The start of a GUI suite (its initTestCase): money and dates in US English whatever the
// machine's locale, the platform's noise dropped; true when it runs on the offscreen platform.
inline bool startOffscreenSuite()
{
    QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedStates));
    dropPlatformNoise();
    return QGuiApplication::platformName() == QLatin1String("offscreen");
}

// QSettings of this run only (an INI file in dir, never the user's), under application's name.
inline bool useTemporarySettings(const QTemporaryDir &dir, const QString &application)
{
    if (!dir.isValid())
        return false;
    QCoreApplication::setOrganizationName(QStringLiteral("SafeTillTest"));
    QCoreApplication::setApplicationName(application);
    QSettings::setDefaultFormat(QSettings::IniFormat);
    QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, dir.path());
    return true;
}

// Clicks the button called buttonName under root, once it is visible and enabled.
inline void click(QWidget *root, const QString &buttonName, int timeoutMs = guiWaitMs)
{
    QAbstractButton *button = nullptr;
    QTRY_VERIFY2_WITH_TIMEOUT(
        (button = named<QAbstractButton>(root, buttonName)) && button->isVisible() &&
            button->isEnabled(),
        qPrintable(QStringLiteral("button %1 visible and enabled").arg(buttonName)), timeoutMs);
    QTest::mouseClick(button, Qt::LeftButton);
}

// How the PIN goes in: typed (a keyboard, then Return) or tapped on the PIN pad, then OK.
enum class PinEntry { Keyboard, PinPad };

// Picks the cashier called name on window's login screen; then its PIN field is shown (enabled
// or not: a cashier locked out after wrong guesses gets a disabled one).
inline void chooseCashier(MainWindow *window, const QString &name, int timeoutMs = guiWaitMs)
{
    LoginWidget *login = window->loginWidget();
    QVERIFY(login);
    QTRY_VERIFY_WITH_TIMEOUT(login->isVisible(), timeoutMs);
    QPushButton *who = nullptr;
    QTRY_VERIFY_WITH_TIMEOUT((who = named<QPushButton>(login, QStringLiteral("cashier-") + name)) &&
                                 who->isVisible(),
                             timeoutMs);
    QTest::mouseClick(who, Qt::LeftButton);
    QLineEdit *pinEdit = nullptr;
    QTRY_VERIFY_WITH_TIMEOUT((pinEdit = named<QLineEdit>(login, QStringLiteral("pinEdit"))) &&
                                 pinEdit->isVisible(),
                             timeoutMs);
}

// Enters the PIN of the cashier chosen with chooseCashier() and waits for the order screen: the
// cashier's order loaded, no action in flight, and the cashier called name logged in.
inline void enterPin(MainWindow *window, const QString &name, const QString &pin,
                     PinEntry entry = PinEntry::Keyboard, int timeoutMs = guiWaitMs)
{
    LoginWidget *login = window->loginWidget();
    auto *pinEdit = named<QLineEdit>(login, QStringLiteral("pinEdit"));
    QVERIFY(pinEdit);
    QTRY_VERIFY_WITH_TIMEOUT(pinEdit->isVisible() && pinEdit->isEnabled(), timeoutMs);
    if (entry == PinEntry::Keyboard) {
        QTest::keyClicks(pinEdit, pin);
        QTest::keyClick(pinEdit, Qt::Key_Return);
    } else {
        for (const QChar digit : pin)
            STEP(click(login, QStringLiteral("pinDigit") + digit, timeoutMs));
        STEP(click(login, QStringLiteral("pinOk"), timeoutMs));
    }
    QTRY_VERIFY_WITH_TIMEOUT(window->orderWidget() && window->orderWidget()->isVisible() &&
                                 window->orderWidget()->order() &&
                                 !window->orderWidget()->actionInFlight(),
                             timeoutMs);
    QCOMPARE(window->orderWidget()->cashier().name, name);
}

// The login as a cashier does it: the cashier's button, the PIN, the order screen.
inline void login(MainWindow *window, const QString &name, const QString &pin,
                  PinEntry entry = PinEntry::Keyboard, int timeoutMs = guiWaitMs)
{
    STEP(chooseCashier(window, name, timeoutMs));
    STEP(enterPin(window, name, pin, entry, timeoutMs));
}

} // namespace SafeTill::Test
