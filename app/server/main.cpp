#include "ServerApp.h"

#include <QCoreApplication>

int main(int argc, char *argv[])
{
    // Qt's own event dispatcher instead of GLib's: the server has no GUI and no GLib sources to
    // share a loop with. GLib's signals its wake-up file once per event posted from another
    // thread (every answer a writer lane hands back), Qt's once until the loop runs; with it the
    // server needs about 5 % less CPU per PUT /current on PostgreSQL (bench/README.md). A
    // QT_NO_GLIB already in the environment is left as it is (set but empty, it keeps GLib's).
    if (!qEnvironmentVariableIsSet("QT_NO_GLIB"))
        qputenv("QT_NO_GLIB", "1");
    QCoreApplication app(argc, argv);
    QCoreApplication::setOrganizationName(QStringLiteral("SafeTill"));
    QCoreApplication::setApplicationName(QStringLiteral("safetill"));
    QCoreApplication::setApplicationVersion(QStringLiteral(SAFETILL_VERSION));
    return SafeTill::ServerApp().run(QCoreApplication::arguments());
}
