#pragma once

#include "HttpMessage.h"
#include "Result.h"

#include <QDate>
#include <QDateTime>
#include <QJsonArray>
#include <QJsonObject>

#include <optional>

namespace SafeTill {

class Database;

// The server's reports for managers (issue 15): the shop's day report and the tills' shifts, read
// from what the tills synced (sync protocol 5: shifts, cash movements and Z reports as printed).
// Used by `safetill-server report day` and by the REST routes (OrderApi.cpp authenticates the
// caller and checks the manager role, then calls these).
namespace ReportApi {

// A DATE argument: YYYY-MM-DD, a real day; nullopt otherwise.
std::optional<QDate> parseDate(const QString &text);

// The day report of DATE (a UTC day: from DATE 00:00:00.000Z to the next day's, excluded), in one
// read snapshot:
//   {date, timeZone: "UTC", from, to, currency,
//    tills: [{till, tillName, zNumbers: [...], shifts, <the Z report fields, summed>}],
//    shop: {shifts, <the Z report fields, summed over every till>},
//    openShifts: [{till, tillName, shiftId, openedAt, report: <an X report so far>}]}
// Every Z report whose shift closed on DATE counts, as the till printed it (its stored text): a
// till's part is the sum of its Z reports, the shop's the sum of all of them (ZReport::total), so
// the shop total equals the sum of the tills' Z reports exactly. Shifts still open (on the
// server: their close has not been synced yet) are listed apart with what the server holds of
// them so far, never in the totals.
Result<QJsonObject> dayReport(Database &database, const QDate &date, const QDateTime &now);
// The same for a person: a few lines per till and the shop's totals.
QString dayReportText(const QJsonObject &report);

// Shifts, newest first: of one till (a device id or name; empty: every till) and in one status
// ("open", "closed"; empty: both), at most `limit`.
Result<QJsonArray> shifts(Database &database, const QString &till, const QString &status,
                          int limit);
// A closed shift's Z report as printed (the stored text); NotFound when there is none.
Result<QByteArray> zReportText(Database &database, const QString &shiftId);

// GET /api/reports/day?date=YYYY-MM-DD, GET /api/shifts?till=&status=,
// GET /api/shifts/{id}/z-report: the answers for a caller already known to be a manager.
HttpResponse dayReportResponse(Database &database, const HttpRequest &request);
HttpResponse shiftsResponse(Database &database, const HttpRequest &request);
HttpResponse zReportResponse(Database &database, const QString &shiftId);

} // namespace ReportApi

} // namespace SafeTill
