#include "CliApp.h"
#include "Translations.h"

#include <QCoreApplication>
#include <QGuiApplication>

#include <cstdio>
#include <cstring>
#include <memory>

namespace {

// `receipt --pdf FILE` lays the receipt out with QtGui (fonts need a QGuiApplication); it shows
// no window, so it runs on the offscreen platform, with or without a desktop. Every other
// command stays a plain QCoreApplication.
bool wantsPdf(int argc, char *argv[])
{
    for (int i = 1; i < argc; ++i) {
        if (std::strcmp(argv[i], "--pdf") == 0 || std::strncmp(argv[i], "--pdf=", 6) == 0)
            return true;
    }
    return false;
}

// --language LANG (or --language=LANG): the messages for people (the model's, such as a refused
// refund) in that language. Without it the CLI stays English whatever the locale: scripts read it.
QString requestedLanguage(int argc, char *argv[])
{
    for (int i = 1; i < argc; ++i) {
        if (std::strcmp(argv[i], "--language") == 0 && i + 1 < argc)
            return QString::fromLocal8Bit(argv[i + 1]);
        if (std::strncmp(argv[i], "--language=", 11) == 0)
            return QString::fromLocal8Bit(argv[i] + 11);
    }
    return {};
}

} // namespace

int main(int argc, char *argv[])
{
    std::unique_ptr<QCoreApplication> app;
    if (wantsPdf(argc, argv)) {
        qputenv("QT_QPA_PLATFORM", "offscreen");
        app = std::make_unique<QGuiApplication>(argc, argv);
    } else {
        app = std::make_unique<QCoreApplication>(argc, argv);
    }
    QCoreApplication::setOrganizationName(QStringLiteral("SafeTill"));
    QCoreApplication::setApplicationName(QStringLiteral("safetill"));
    QCoreApplication::setApplicationVersion(QStringLiteral(SAFETILL_VERSION));
    if (const QString language = requestedLanguage(argc, argv); !language.isEmpty()) {
        if (QString error; !SafeTill::Translations::install(language, &error)) {
            std::fprintf(stderr, "%s\n", qPrintable(error));
            return 2; // usage
        }
    }
    return SafeTill::CliApp().run(QCoreApplication::arguments());
}
