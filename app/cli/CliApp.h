#pragma once

#include "Approvals.h"
#include "CliOutput.h"

#include <QCommandLineParser>
#include <QStringList>

#include <memory>
#include <optional>

namespace SafeTill {

class Services;
struct ZReport;

// safetill-cli: the order service for store staff, scripts and tests. One command per run; each
// mutating command is one action with a request id (fresh unless --request-id is given).
class CliApp
{
public:
    CliApp();
    ~CliApp();
    int run(const QStringList &arguments);

private:
    int dispatch(const QString &command, const QStringList &args);
    int init(const QStringList &args);
    int cashier(const QStringList &args);
    int settings(const QString &name, const QStringList &args);
    int tax(const QStringList &args);
    static QJsonValue settingJson(const QString &name, const QString &value);
    int product(const QStringList &args);
    int orderCommand(const QString &command, const QStringList &args);
    int tabs(const QStringList &args);
    int settleTab(const QStringList &args);
    int history(const QStringList &args);
    int receipts(const QStringList &args);
    int receipt(const QStringList &args);
    // app/cli/CliRefund.cpp
    int refund(const QString &command, const QStringList &args);
    int refundable(const QStringList &args);
    int review(const QStringList &args);
    int verify(const QStringList &args);
    int sync(const QStringList &args);
    int syncStatus();
    int prune(const QStringList &args);
    // Shifts, X and Z reports, no-sale (CliShift.cpp).
    int shift(const QStringList &args);
    int noSale(const QStringList &args);
    static QString shiftReportText(const ZReport &report);
    int printShiftReport(const ZReport &report, const QJsonObject &json);
    // The retention period: --older-than-days, else the app's setting, else the default.
    std::optional<int> retentionDays(int *days);
    // On a synced terminal the server owns cashiers and catalog: local edits are refused.
    std::optional<int> refuseIfSynced();

    // Returns an error exit status, or nothing when the database is open.
    std::optional<int> openDatabase(bool create);
    std::optional<int> checkArgumentCount(const QString &command, const QStringList &args,
                                          qsizetype count);
    std::optional<int> checkOptions(const QString &command, const QStringList &allowed);
    std::optional<QString> cashierId(const QString &nameOrId, int *status);
    // --approver NAME with the PIN read from standard input; nothing when --approver is not
    // given. *status is an error exit status when --approver is given without a PIN.
    std::optional<Approver> approver(int *status);
    QString requestId() const;
    template<typename T> int report(const Result<T> &result);

    QCommandLineParser m_parser;
    CliOutput m_output{false};
    std::unique_ptr<Services> m_services;
};

} // namespace SafeTill
