#pragma once

#include <QCommandLineParser>
#include <QStringList>

namespace SafeTill {

// safetill-server's command line: serve the API, or run an admin subcommand on the same
// database (user add/list, device add).
class ServerApp
{
public:
    ServerApp();
    int run(const QStringList &arguments);

private:
    int serve();
    int admin(const QStringList &positional);
    int product(const QString &command, const QStringList &positional);
    QString databaseLocation() const;

    QCommandLineParser m_parser;
};

} // namespace SafeTill
