#pragma once

#include "Result.h"

#include <QJsonObject>
#include <QList>
#include <QString>

namespace SafeTill {

class Database;

// One thing the verifier found wrong: which check, a stable machine-readable code (e.g.
// "order_underpaid"), the order, payment or tab id (or receipt number) it is about, and a
// sentence a person can read.
struct VerifyFinding
{
    QString check;
    QString code;
    QString id;
    QString message;
};

struct VerifyCheck
{
    enum class Status { Ok, Findings, Skipped };
    QString name;
    Status status = Status::Ok;
    int count = 0;      // findings of this check
    QString skipReason; // why it was skipped (Skipped only)
};

struct VerifyReport
{
    QList<VerifyCheck> checks;
    QList<VerifyFinding> findings;
    bool clean() const { return findings.isEmpty(); }
};

QString toString(VerifyCheck::Status status); // "ok", "findings", "skipped"
// {"ok": bool, "checks": [{"name", "status", "count"}], "findings": [{"check", "code", "id",
// "message"}]}: what `safetill-cli verify --json` and `safetill-server verify --json` print.
QJsonObject toJson(const VerifyReport &report);
// The same for people: one line per check, then one per finding.
QString toText(const VerifyReport &report);

// Checks the promises about money and history that every database must keep (issue 12, "money
// is a fact"): completed orders and settled tabs are paid exactly, no payment is orphaned or
// duplicated, receipt numbers are unique and the receipt sequence is ahead of them, every order's
// history is a continuous version chain ending at its version, and (SQLite) the file's own
// integrity and foreign keys. Reads only, in one snapshot. Outcomes: Ok when clean,
// InvalidState with the report as value when there are findings, Busy/Error when the database
// could not be read.
class Verifier
{
public:
    explicit Verifier(Database &database);
    Result<VerifyReport> run();

private:
    Database &m_db;
};

} // namespace SafeTill
