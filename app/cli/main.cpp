#include "CliApp.h"

#include <QCoreApplication>
#include <QGuiApplication>

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
    return SafeTill::CliApp().run(QCoreApplication::arguments());
}
