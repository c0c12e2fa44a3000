#include "Database.h"
#include "DemoData.h"
#include "OrderWidget.h"
#include "Services.h"
#include "SetupWizard.h"
#include "SyncStore.h"
#include "TillApplication.h"
#include "TillBackend.h"
#include "Translations.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QFile>
#include <QKeyEvent>
#include <QLineEdit>
#include <QListWidget>
#include <QMessageBox>
#include <QPointer>
#include <QPushButton>
#include <QStandardPaths>
#include <QTimer>

#include <cstdio>
#include <ctime>
#include <unistd.h>

using namespace Qt::StringLiterals;

namespace {

QString demoHintText()
{
    QStringList pins;
    for (const SafeTill::DemoCashier &cashier : SafeTill::demoCashiers)
        pins << u"%1 %2"_s.arg(QString::fromUtf16(cashier.name), QString::fromUtf16(cashier.pin));
    return QApplication::translate("main", "Demo database — PINs: %1").arg(pins.join(u", "_s));
}

int fail(const QString &message)
{
    QTextStream(stderr) << message << '\n';
    if (qEnvironmentVariable("QT_QPA_PLATFORM") != u"offscreen"_s)
        QMessageBox::critical(nullptr, QApplication::translate("main", "SafeTill"), message);
    return 1;
}

// --- SAFETILL_STARTUP_PROBE: a measuring hook for bench/safetill-bench-gui ---------------------
// Off unless the environment variable is set; then the app prints one line per moment to stdout,
// with the milliseconds since the process started (the kernel's start time, 10 ms resolution) and
// CLOCK_MONOTONIC in ms (the same clock in every process, so the bench can time from its own
// clock, e.g. from its QProcess::start or from a commit it made):
//   stage main|app|backend|window SINCE_START MONO    startup phases, to see where the time goes
//   first-frame SINCE_START MONO      the window's first paint
//   login-shown SINCE_START MONO      the cashier buttons painted: the login screen is usable
//   order-shown SINCE_START MONO      the order window painted with its order, after the login
//   order-version VERSION LINES MONO  every order version painted (including the first)
// SAFETILL_STARTUP_PROBE_LOGIN=NAME:PIN logs that cashier in through the login widgets (the real
// PIN check) as soon as the login screen is shown. With SAFETILL_STARTUP_PROBE=1 the app quits
// once it has shown what it was asked to; with SAFETILL_STARTUP_PROBE=watch it keeps running.
// SAFETILL_STARTUP_PROBE_TYPE=TEXT types TEXT into the SKU field once the order is shown, one key
// every 80 ms as a person types (search as you type), and prints per key
//   search-key INDEX MS ROWS          the key handled and its suggestions painted, in ms
// then "search-done"; with SAFETILL_STARTUP_PROBE=1 the app quits after it.
// The moments are taken after the paint that shows them: on a Paint event a queued call reports
// once the current paint-and-flush has finished.

double monotonicMs()
{
    timespec now{};
    clock_gettime(CLOCK_MONOTONIC, &now);
    return double(now.tv_sec) * 1e3 + double(now.tv_nsec) / 1e6;
}

double msSinceProcessStart()
{
    // Field 22 of /proc/self/stat, starttime, counts clock ticks since boot (CLOCK_BOOTTIME).
    QFile stat(u"/proc/self/stat"_s);
    if (!stat.open(QIODevice::ReadOnly))
        return -1;
    const QByteArray text = stat.readAll();
    const QList<QByteArray> fields = text.mid(text.lastIndexOf(')') + 2).split(' ');
    if (fields.size() < 20)
        return -1;
    const double startMs = fields.at(19).toDouble() * 1e3 / double(sysconf(_SC_CLK_TCK));
    timespec now{};
    clock_gettime(CLOCK_BOOTTIME, &now);
    return double(now.tv_sec) * 1e3 + double(now.tv_nsec) / 1e6 - startMs;
}

bool probing()
{
    static const bool on = qEnvironmentVariableIsSet("SAFETILL_STARTUP_PROBE");
    return on;
}

void probeMoment(const char *what)
{
    if (!probing())
        return;
    std::printf("%s %.1f %.3f\n", what, msSinceProcessStart(), monotonicMs());
    std::fflush(stdout);
}

class StartupProbe : public QObject
{
public:
    StartupProbe()
        : m_login(qEnvironmentVariable("SAFETILL_STARTUP_PROBE_LOGIN"))
        , m_type(qEnvironmentVariable("SAFETILL_STARTUP_PROBE_TYPE"))
        , m_quitWhenShown(qEnvironmentVariable("SAFETILL_STARTUP_PROBE") != u"watch"_s)
    {
        qApp->installEventFilter(this);
    }

protected:
    bool eventFilter(QObject *watched, QEvent *event) override
    {
        if (event->type() == QEvent::Paint && watched->isWidgetType())
            painted(static_cast<QWidget *>(watched));
        return false;
    }

private:
    void painted(QWidget *widget)
    {
        if (!std::exchange(m_firstFrame, true))
            later([] { probeMoment("first-frame"); });
        if (!m_loginShown && widget->objectName().startsWith(u"cashier-"_s)) {
            m_loginShown = true;
            later([this] {
                probeMoment("login-shown");
                if (!m_login.isEmpty())
                    logIn();
                else if (m_quitWhenShown)
                    QCoreApplication::quit();
            });
        }
        for (QWidget *w = widget; w; w = w->parentWidget()) {
            const auto *orderWidget = qobject_cast<const SafeTill::OrderWidget *>(w);
            if (!orderWidget)
                continue;
            const std::optional<SafeTill::Order> &order = orderWidget->order();
            if (!order)
                break;
            const QString key = order->id + u'/' + QString::number(order->version);
            if (key == m_shownOrder)
                break;
            m_shownOrder = key;
            later([this, version = order->version, lines = order->lines.size()] {
                const bool first = !std::exchange(m_orderShown, true);
                if (first)
                    probeMoment("order-shown");
                std::printf("order-version %d %lld %.3f\n", version, static_cast<long long>(lines),
                            monotonicMs());
                std::fflush(stdout);
                if (first && !m_type.isEmpty())
                    typeKey(0);
                else if (m_quitWhenShown && m_type.isEmpty())
                    QCoreApplication::quit();
            });
            break;
        }
    }

    template<typename F> void later(F f)
    {
        QMetaObject::invokeMethod(this, f, Qt::QueuedConnection);
    }

    void logIn()
    {
        const QString name = m_login.section(u':', 0, 0);
        for (QWidget *top : QApplication::topLevelWidgets()) {
            auto *cashier = top->findChild<QPushButton *>(u"cashier-"_s + name);
            if (cashier && top->findChild<QLineEdit *>(u"pinEdit"_s)) {
                cashier->click();
                typePin(top, 0);
                return;
            }
        }
        std::printf("probe-error no login button for %s\n", qPrintable(name));
        std::fflush(stdout);
    }

    // The PIN field opens once the cashier's lockout state is read (LoginWidget): the PIN goes
    // in then, as a cashier would type it, within a bounded wait (100 x 10 ms).
    void typePin(QWidget *top, int attempt)
    {
        auto *pinEdit = top->findChild<QLineEdit *>(u"pinEdit"_s);
        auto *ok = top->findChild<QPushButton *>(u"pinOk"_s);
        if (pinEdit && ok && pinEdit->isVisible() && pinEdit->isEnabled()) {
            pinEdit->setText(m_login.section(u':', 1));
            if (ok->isEnabled()) {
                ok->click();
                return;
            }
        }
        if (attempt >= 100) {
            std::printf("probe-error the PIN field did not open\n");
            std::fflush(stdout);
            return;
        }
        QTimer::singleShot(10, this, [this, window = QPointer<QWidget>(top), attempt] {
            if (window)
                typePin(window, attempt + 1);
        });
    }

    // Search as you type: one key into the SKU field, timed until its suggestions are painted.
    void typeKey(qsizetype index)
    {
        QTimer::singleShot(80, this, [this, index] {
            QLineEdit *sku = nullptr;
            for (QWidget *top : QApplication::topLevelWidgets()) {
                if (!sku)
                    sku = top->findChild<QLineEdit *>(u"skuEdit"_s);
            }
            if (!sku || index >= m_type.size()) {
                std::printf(sku ? "search-done\n" : "probe-error no SKU field\n");
                std::fflush(stdout);
                if (m_quitWhenShown)
                    QCoreApplication::quit();
                return;
            }
            const QChar c = m_type.at(index);
            const double start = monotonicMs();
            QKeyEvent press(QEvent::KeyPress, c.toUpper().unicode(), Qt::NoModifier, QString(c));
            QCoreApplication::sendEvent(sku, &press);
            QKeyEvent release(QEvent::KeyRelease, c.toUpper().unicode(), Qt::NoModifier,
                              QString(c));
            QCoreApplication::sendEvent(sku, &release);
            // Layout, then the paint of what changed, now, as the next frame would (a layout
            // may post another update).
            QCoreApplication::sendPostedEvents();
            QCoreApplication::sendPostedEvents();
            const auto *results = sku->window()->findChild<QListWidget *>(u"searchResults"_s);
            std::printf("search-key %lld %.3f %d\n", static_cast<long long>(index),
                        monotonicMs() - start, results ? results->count() : -1);
            std::fflush(stdout);
            typeKey(index + 1);
        });
    }

    const QString m_login;
    const QString m_type;
    const bool m_quitWhenShown;
    bool m_firstFrame = false;
    bool m_loginShown = false;
    bool m_orderShown = false;
    QString m_shownOrder;
};

// --language LANG (or --language=LANG), read before the parser so that --help is translated too.
QString requestedLanguage(int argc, char *argv[])
{
    for (int i = 1; i < argc; ++i) {
        const QByteArrayView argument(argv[i]);
        if (argument == "--language" && i + 1 < argc)
            return QString::fromLocal8Bit(argv[i + 1]);
        if (argument.startsWith("--language="))
            return QString::fromLocal8Bit(argument.sliced(11));
    }
    return {};
}

} // namespace

int main(int argc, char *argv[])
{
    probeMoment("stage main");
    // --version and --help only print, so they must work without a display too (a terminal over
    // ssh, the package test): QApplication aborts when no platform plugin can start.
    for (int i = 1; i < argc; ++i) {
        const QByteArrayView argument(argv[i]);
        if (argument == "--version" || argument == "-v" || argument == "--help" ||
            argument == "-h" || argument == "--help-all")
            qputenv("QT_QPA_PLATFORM", "offscreen");
    }
    QApplication app(argc, argv);
    probeMoment("stage app");
    std::unique_ptr<StartupProbe> probe;
    if (probing())
        probe = std::make_unique<StartupProbe>();
    QApplication::setOrganizationName(u"SafeTill"_s);
    QApplication::setApplicationName(u"safetill"_s);
    QApplication::setApplicationDisplayName(u"SafeTill"_s);
    // Wayland and the desktop match windows to the installed desktop entry (and its icon) by this.
    QGuiApplication::setDesktopFileName(u"org.safetill.SafeTill"_s);
    QApplication::setApplicationVersion(QStringLiteral(SAFETILL_VERSION));

    // The language: --language, else the setting ui/language, else the system locale (issue 16).
    QString languageError;
    if (!SafeTill::Translations::install(
            SafeTill::Translations::choose(requestedLanguage(argc, argv)), &languageError)) {
        QTextStream(stderr) << languageError << '\n';
        return 2;
    }

    QCommandLineParser parser;
    parser.setApplicationDescription(
        QApplication::translate("main", "SafeTill point-of-sale terminal."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption dbOption(
        u"db"_s,
        QApplication::translate("main", "The database file (default: safetill.sqlite in the app's "
                                        "data location)."),
        //: The value placeholder of --db, shown in --help as <path>.
        QApplication::translate("main", "path"));
    const QCommandLineOption demoOption(
        u"demo"_s,
        QApplication::translate(
            "main", "Add the demo cashiers and catalog if missing, and show their PINs."));
    const QCommandLineOption languageOption(
        u"language"_s,
        QApplication::translate("main", "The language of the screens: %1 (default: the setting "
                                        "ui/language, else the system's language).")
            .arg(SafeTill::Translations::available().join(u", "_s)),
        //: The value placeholder of --language, shown in --help as <language>.
        QApplication::translate("main", "language"));
    // Kiosk mode: full screen, no window decorations, no quit without a manager (also the
    // setting ui/kiosk=true).
    const QCommandLineOption kioskOption(
        u"kiosk"_s,
        QApplication::translate(
            "main", "Full screen without decorations; quitting needs a manager's PIN."));
    parser.addOptions({dbOption, demoOption, languageOption, kioskOption});
    parser.process(app);

    // The embedded default is a database in the app's data location. Demo data only on request
    // (--demo, which scripts/run-app passes): a real till never has PINs on its login screen.
    const bool embeddedDefault = !parser.isSet(dbOption);
    const QString path = embeddedDefault
                             ? QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) +
                                   u"/safetill.sqlite"_s
                             : parser.value(dbOption);
    const SafeTill::DatabaseOptions options{path};
    bool demo = parser.isSet(demoOption);
    if (demo) {
        SafeTill::Result<std::unique_ptr<SafeTill::Services>> opened =
            SafeTill::Services::open(options);
        if (!opened)
            return fail(opened.message());
        SafeTill::Database &db = (*opened)->database();
        // On a synced till the server owns cashiers and catalog: no demo ones are added.
        demo = !SafeTill::SyncStore::isSyncedTerminal(db);
        if (demo) {
            const SafeTill::Result<SafeTill::DemoInstall> installed = SafeTill::installDemoData(db);
            if (!installed)
                return fail(installed.message());
        }
    }

    SafeTill::Result<std::unique_ptr<SafeTill::TillBackend>> backend =
        SafeTill::TillBackend::open(options);
    if (!backend)
        return fail(backend.message());
    if (!demo) {
        // A first start without a manager (and not synced) runs the set-up; cancelled, it wrote
        // nothing and the app quits.
        QString error;
        switch (SafeTill::runFirstStartIfNeeded(**backend, &error)) {
        case SafeTill::FirstStartRun::Cancelled:
            return 0;
        case SafeTill::FirstStartRun::Failed:
            return fail(error);
        default:
            break;
        }
    }
    std::unique_ptr<SafeTill::TillApplication> till =
        SafeTill::TillApplication::create(backend.take(), demo ? demoHintText() : QString());
    // Sync runs in the background when the settings name a server; a problem with them (a token
    // file others can read, say) is reported and the till works on its own.
    if (QString syncError; !till->startSyncFromSettings(&syncError))
        QTextStream(stderr) << QApplication::translate("main", "Sync is off: %1").arg(syncError)
                            << '\n';
    probeMoment("stage backend");
    if (parser.isSet(kioskOption))
        till->setKiosk(true);
    till->newWindow();
    probeMoment("stage window");
    return app.exec();
}
