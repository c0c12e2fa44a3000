#pragma once

#include "Result.h"

#include <QCommandLineParser>
#include <QStringList>

#include <optional>

namespace SafeTill {

// safetill-server's command line: serve the API, or run an admin subcommand on the same
// database (user add/list/retire/set-pin/set-role, device add/list/revoke, product ...).
class ServerApp
{
public:
    ServerApp();
    int run(const QStringList &arguments);

private:
    int serve();
    int admin(const QStringList &positional);
    int product(const QString &command, const QStringList &positional);
    int deviceCashiers(const QStringList &positional);
    // report day DATE [--json] (issue 15, server/ReportApi.h).
    int dayReport(const QString &dateText);
    int settings(const QString &command, const QStringList &positional);
    // backup FILE, restore FILE, prune.
    int maintenance(const QString &command, const QStringList &positional);
    std::optional<int> retentionDays(QString *problem) const;
    static int exitStatus(Outcome outcome);
    QString databaseLocation() const;
    static std::optional<QString> readPin(const QString &user, QString *problem);

    QCommandLineParser m_parser;
};

} // namespace SafeTill
