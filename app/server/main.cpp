#include "ServerApp.h"

#include <QCoreApplication>

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setOrganizationName(QStringLiteral("SafeTill"));
    QCoreApplication::setApplicationName(QStringLiteral("safetill"));
    QCoreApplication::setApplicationVersion(QStringLiteral(SAFETILL_VERSION));
    return SafeTill::ServerApp().run(QCoreApplication::arguments());
}
