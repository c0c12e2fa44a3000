#include "Database.h"
#include "DemoData.h"
#include "TillApplication.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QMessageBox>
#include <QStandardPaths>

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

} // namespace

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QApplication::setOrganizationName(u"SafeTill"_s);
    QApplication::setApplicationName(u"safetill"_s);
    QApplication::setApplicationDisplayName(u"SafeTill"_s);
    QApplication::setApplicationVersion(QStringLiteral(SAFETILL_VERSION));

    QCommandLineParser parser;
    parser.setApplicationDescription(u"SafeTill point-of-sale terminal."_s);
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption dbOption(
        u"db"_s, u"The database file (default: a demo database in the app's data location)."_s,
        u"path"_s);
    const QCommandLineOption demoOption(u"demo"_s,
                                        u"Add the demo cashiers and catalog if missing."_s);
    parser.addOptions({dbOption, demoOption});
    parser.process(app);

    // The embedded default is a local demo database, so a fresh install can be tried at once.
    const bool embeddedDefault = !parser.isSet(dbOption);
    const QString path = embeddedDefault
                             ? QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) +
                                   u"/safetill.sqlite"_s
                             : parser.value(dbOption);
    const SafeTill::DatabaseOptions options{path};
    const bool demo = embeddedDefault || parser.isSet(demoOption);
    if (demo) {
        QString error;
        std::unique_ptr<SafeTill::Database> db = SafeTill::Database::open(options, &error);
        if (!db)
            return fail(error);
        const SafeTill::Result<SafeTill::DemoInstall> installed = SafeTill::installDemoData(*db);
        if (!installed)
            return fail(installed.message());
    }

    QString error;
    std::unique_ptr<SafeTill::TillApplication> till =
        SafeTill::TillApplication::create(options, demo ? demoHintText() : QString(), &error);
    if (!till)
        return fail(error);
    till->newWindow();
    return app.exec();
}
