// What the GUI suites (tst_gui, tst_gui_till, tst_gui_setup, tst_gui_printer, tst_translations)
// share to drive the real widgets: finding them by object name, the visible one of a kind, a
// step that stops the test when a helper failed, and quieting the offscreen platform's noise.
#pragma once

#include <QCoreApplication>
#include <QGuiApplication>
#include <QList>
#include <QLocale>
#include <QObject>
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

} // namespace SafeTill::Test
