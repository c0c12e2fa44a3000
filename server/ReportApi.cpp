#include "ReportApi.h"

#include "Clock.h"
#include "Database.h"
#include "OrderStore.h"
#include "ShiftService.h"
#include "ShiftStore.h"
#include "ZReport.h"

#include <QCoreApplication>
#include <QJsonDocument>
#include <QLocale>
#include <QMap>
#include <QRegularExpression>
#include <QTimeZone>
#include <QUrlQuery>

using namespace Qt::StringLiterals;

namespace SafeTill::ReportApi {

namespace {

struct Text
{
    Q_DECLARE_TR_FUNCTIONS(SafeTill::ReportApi)
};

// The Z report fields of a sum (the per-shift identity left out: number, shift, till, who
// opened and closed it, its movements one by one).
QJsonObject sumFields(const ZReport &sum)
{
    QJsonObject json = sum.toJson();
    for (const QString &key : {u"kind"_s, u"number"_s, u"shiftId"_s, u"till"_s, u"openedBy"_s,
                               u"closedBy"_s, u"autoOpened"_s, u"cashMovements"_s})
        json.remove(key);
    return json;
}

QString dayStart(const QDate &date)
{
#if QT_VERSION >= QT_VERSION_CHECK(6, 5, 0)
    return toStorageTime(QDateTime(date, QTime(0, 0), QTimeZone::UTC));
#else
    return toStorageTime(QDateTime(date, QTime(0, 0), Qt::UTC));
#endif
}

struct TillDay
{
    QString name;
    QList<ZReport> reports;
    QJsonArray numbers;
};

} // namespace

std::optional<QDate> parseDate(const QString &text)
{
    static const QRegularExpression shape(u"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"_s);
    if (!shape.match(text).hasMatch())
        return std::nullopt;
    const QDate date = QDate::fromString(text, Qt::ISODate);
    if (!date.isValid())
        return std::nullopt;
    return date;
}

Result<QJsonObject> dayReport(Database &db, const QDate &date, const QDateTime &now)
{
    const QString from = dayStart(date);
    const QString to = dayStart(date.addDays(1));
    return db.read([&]() -> Result<QJsonObject> {
        const QString server = OrderStore(db).terminalId();
        // The tills in the order of their names (the server's own REST sales: "server").
        QMap<QString, QString> order; // sort key -> till
        QHash<QString, TillDay> tills;
        QList<ZReport> all;
        {
            QSqlQuery &query =
                db.exec(u"SELECT s.terminal_id, COALESCE(d.name, ''), s.z_number, s.z_report "
                        "FROM shifts s LEFT JOIN devices d ON d.id = s.terminal_id "
                        "WHERE s.status = 'closed' AND s.closed_at >= ? AND s.closed_at < ? "
                        "ORDER BY s.terminal_id, s.z_number"_s,
                        {from, to});
            while (query.next()) {
                const QString till = query.value(0).toString();
                const QJsonDocument document =
                    QJsonDocument::fromJson(query.value(3).toString().toUtf8());
                std::optional<ZReport> report = ZReport::fromJson(document.object());
                if (!report)
                    return Result<QJsonObject>::failure(
                        Outcome::Error, Text::tr("The stored Z report %1 of till %2 is "
                                                 "unreadable.")
                                            .arg(query.value(2).toInt())
                                            .arg(till));
                TillDay &day = tills[till];
                if (day.reports.isEmpty()) {
                    day.name = query.value(1).toString();
                    if (day.name.isEmpty())
                        day.name = till == server ? u"server"_s : till;
                    order.insert(day.name + u'\n' + till, till);
                }
                day.numbers.append(query.value(2).toInt());
                day.reports.append(*report);
                all.append(*report);
            }
            query.finish();
        }
        QJsonArray tillArray;
        for (const QString &till : std::as_const(order)) {
            const TillDay &day = tills.value(till);
            QJsonObject json = sumFields(ZReport::total(day.reports));
            json.insert(u"till"_s, till);
            json.insert(u"tillName"_s, day.name);
            json.insert(u"zNumbers"_s, day.numbers);
            json.insert(u"shifts"_s, int(day.reports.size()));
            tillArray.append(json);
        }
        const ZReport shopTotal = ZReport::total(all);
        QJsonObject shop = sumFields(shopTotal);
        shop.insert(u"shifts"_s, int(all.size()));

        // Shifts open on the server that began before the day ended: what the server holds of
        // them so far, apart (their Z reports are not in yet).
        QJsonArray open;
        {
            QStringList ids;
            QSqlQuery &query = db.exec(u"SELECT id FROM shifts WHERE status = 'open' AND "
                                       "opened_at < ? ORDER BY terminal_id"_s,
                                       {to});
            while (query.next())
                ids.append(query.value(0).toString());
            query.finish();
            ShiftStore store(db);
            for (const QString &id : std::as_const(ids)) {
                const std::optional<Shift> shift = store.shift(id);
                if (!shift)
                    continue;
                const QString name =
                    db.scalar(u"SELECT name FROM devices WHERE id = ?"_s, {shift->terminalId})
                        .toString();
                const ZReport so = ShiftService::compute(db, *shift, now);
                open.append(QJsonObject{
                    {u"till"_s, shift->terminalId},
                    {u"tillName"_s,
                     !name.isEmpty()
                         ? name
                         : (shift->terminalId == server ? u"server"_s : shift->terminalId)},
                    {u"shiftId"_s, shift->id},
                    {u"openedAt"_s, toStorageTime(shift->openedAt)},
                    {u"report"_s, so.toJson()}});
            }
        }
        QString currency = shopTotal.currency;
        if (currency.isEmpty())
            currency =
                db.scalar(u"SELECT value FROM shop_settings WHERE name = 'currency'"_s).toString();
        return Result<QJsonObject>::ok(QJsonObject{{u"date"_s, date.toString(Qt::ISODate)},
                                                   {u"timeZone"_s, u"UTC"_s},
                                                   {u"from"_s, from},
                                                   {u"to"_s, to},
                                                   {u"currency"_s, currency},
                                                   {u"tills"_s, tillArray},
                                                   {u"shop"_s, shop},
                                                   {u"openShifts"_s, open}});
    });
}

QString dayReportText(const QJsonObject &report)
{
    const QLocale locale = QLocale::system();
    auto money = [&](const QJsonValue &cents) {
        return locale.toString(double(cents.toInteger()) / 100.0, 'f', 2);
    };
    auto part = [&](const QJsonObject &json) {
        const QJsonObject sales = json.value(u"sales"_s).toObject();
        const QJsonObject cash = json.value(u"cash"_s).toObject();
        QString text =
            Text::tr("  sales %1 (net %2, tax %3), %4 receipts; discounts %5; "
                     "refunds %6, voids %7\n")
                .arg(money(sales.value(u"grossCents"_s)), money(sales.value(u"netCents"_s)),
                     money(sales.value(u"taxCents"_s)))
                .arg(json.value(u"receipts"_s).toInt())
                .arg(money(json.value(u"discountsCents"_s)), money(json.value(u"refundsCents"_s)),
                     money(json.value(u"voidsCents"_s)));
        QStringList methods;
        for (const QJsonValue &value : json.value(u"payments"_s).toArray()) {
            const QJsonObject entry = value.toObject();
            methods.append(u"%1 %2"_s.arg(entry.value(u"method"_s).toString(),
                                          money(entry.value(u"cents"_s))));
        }
        text += Text::tr("  payments: %1\n")
                    .arg(methods.isEmpty() ? Text::tr("none") : methods.join(u", "_s));
        text +=
            Text::tr("  cash: float %1, pay-ins %2, pay-outs %3, expected %4, counted %5, "
                     "over/short %6\n")
                .arg(money(cash.value(u"floatCents"_s)), money(cash.value(u"payInsCents"_s)),
                     money(cash.value(u"payOutsCents"_s)), money(cash.value(u"expectedCents"_s)),
                     money(cash.value(u"countedCents"_s)), money(cash.value(u"overShortCents"_s)));
        return text;
    };
    QString text =
        Text::tr("Day report %1 (UTC), amounts in %2\n")
            .arg(report.value(u"date"_s).toString(), report.value(u"currency"_s).toString());
    for (const QJsonValue &value : report.value(u"tills"_s).toArray()) {
        const QJsonObject till = value.toObject();
        QStringList numbers;
        for (const QJsonValue &number : till.value(u"zNumbers"_s).toArray())
            numbers.append(QString::number(number.toInt()));
        text += Text::tr("Till %1 (Z %2):\n")
                    .arg(till.value(u"tillName"_s).toString(), numbers.join(u", "_s));
        text += part(till);
    }
    const QJsonObject shop = report.value(u"shop"_s).toObject();
    text += Text::tr("Shop (%1 Z reports):\n").arg(shop.value(u"shifts"_s).toInt());
    text += part(shop);
    const QJsonArray open = report.value(u"openShifts"_s).toArray();
    if (!open.isEmpty()) {
        text += Text::tr("Open shifts (not in the totals: their Z reports are not in yet):\n");
        for (const QJsonValue &value : open) {
            const QJsonObject shift = value.toObject();
            const QJsonObject so = shift.value(u"report"_s).toObject();
            text += Text::tr("  %1, opened %2: sales %3 so far\n")
                        .arg(shift.value(u"tillName"_s).toString(),
                             shift.value(u"openedAt"_s).toString(),
                             money(so.value(u"sales"_s).toObject().value(u"grossCents"_s)));
        }
    }
    return text;
}

Result<QJsonArray> shifts(Database &db, const QString &tillText, const QString &statusText,
                          int limit)
{
    // Never NULL (a null QString binds as NULL, and NULL = '' is not true).
    const QString till = tillText.isNull() ? u""_s : tillText;
    const QString status = statusText.isNull() ? u""_s : statusText;
    return db.read([&]() -> Result<QJsonArray> {
        const QString server = OrderStore(db).terminalId();
        QSqlQuery &query = db.exec(
            u"SELECT s.id, s.terminal_id, COALESCE(d.name, ''), s.status, s.opened_at, "
            "COALESCE(s.opened_by, ''), s.float_cents, s.auto_opened, s.z_number, s.closed_at, "
            "COALESCE(s.closed_by, ''), s.expected_cents, s.counted_cents "
            "FROM shifts s LEFT JOIN devices d ON d.id = s.terminal_id "
            "WHERE (? = '' OR s.terminal_id = ? OR d.name = ?) AND (? = '' OR s.status = ?) "
            "ORDER BY s.opened_at DESC, s.id LIMIT ?"_s,
            {till, till, till, status, status, limit});
        QJsonArray list;
        auto nullable = [&](int column) {
            return query.value(column).isNull() ? QJsonValue(QJsonValue::Null)
                                                : QJsonValue(query.value(column).toLongLong());
        };
        while (query.next()) {
            QString name = query.value(2).toString();
            if (name.isEmpty())
                name =
                    query.value(1).toString() == server ? u"server"_s : query.value(1).toString();
            list.append(QJsonObject{{u"id"_s, query.value(0).toString()},
                                    {u"till"_s, query.value(1).toString()},
                                    {u"tillName"_s, name},
                                    {u"status"_s, query.value(3).toString()},
                                    {u"openedAt"_s, query.value(4).toString()},
                                    {u"openedBy"_s, query.value(5).toString().isEmpty()
                                                        ? QJsonValue(QJsonValue::Null)
                                                        : QJsonValue(query.value(5).toString())},
                                    {u"floatCents"_s, query.value(6).toLongLong()},
                                    {u"autoOpened"_s, query.value(7).toInt() != 0},
                                    {u"number"_s, nullable(8)},
                                    {u"closedAt"_s, query.value(9).isNull()
                                                        ? QJsonValue(QJsonValue::Null)
                                                        : QJsonValue(query.value(9).toString())},
                                    {u"closedBy"_s, query.value(10).toString().isEmpty()
                                                        ? QJsonValue(QJsonValue::Null)
                                                        : QJsonValue(query.value(10).toString())},
                                    {u"expectedCents"_s, nullable(11)},
                                    {u"countedCents"_s, nullable(12)}});
        }
        query.finish();
        return Result<QJsonArray>::ok(list);
    });
}

Result<QByteArray> zReportText(Database &db, const QString &shiftId)
{
    return db.read([&]() -> Result<QByteArray> {
        const QVariant text = db.scalar(
            u"SELECT z_report FROM shifts WHERE id = ? AND status = 'closed'"_s, {shiftId});
        if (!text.isValid() || text.isNull())
            return Result<QByteArray>::notFound(
                Text::tr("There is no closed shift %1 (its Z report is not on the server).")
                    .arg(shiftId));
        return Result<QByteArray>::ok(text.toString().toUtf8());
    });
}

namespace {

HttpResponse failure(const QString &message, Outcome outcome)
{
    switch (outcome) {
    case Outcome::NotFound:
        return HttpResponse::error(404, u"not_found"_s, message);
    case Outcome::Busy: {
        HttpResponse response = HttpResponse::error(503, u"busy"_s, message);
        response.addHeader("Retry-After", "1");
        return response;
    }
    default:
        return HttpResponse::error(500, u"internal"_s, message);
    }
}

} // namespace

HttpResponse dayReportResponse(Database &db, const HttpRequest &request)
{
    const QUrlQuery query(request.query);
    const std::optional<QDate> date =
        parseDate(query.queryItemValue(u"date"_s, QUrl::FullyDecoded));
    if (!date)
        return HttpResponse::error(
            422, u"invalid_input"_s,
            Text::tr("\u201cdate\u201d must be a day as YYYY-MM-DD, e.g. ?date=2026-12-05."));
    const Result<QJsonObject> report = dayReport(db, *date, Clock::system().now());
    if (!report)
        return failure(report.message(), report.outcome());
    return HttpResponse::json(200, *report);
}

HttpResponse shiftsResponse(Database &db, const HttpRequest &request)
{
    const QUrlQuery query(request.query);
    const QString till = query.queryItemValue(u"till"_s, QUrl::FullyDecoded);
    const QString status = query.queryItemValue(u"status"_s, QUrl::FullyDecoded);
    if (till.size() > 64)
        return HttpResponse::error(422, u"invalid_input"_s,
                                   Text::tr("\u201ctill\u201d must be a device id or name of at "
                                            "most 64 characters."));
    if (!status.isEmpty() && status != u"open"_s && status != u"closed"_s)
        return HttpResponse::error(422, u"invalid_input"_s,
                                   Text::tr("\u201cstatus\u201d must be open or closed."));
    const Result<QJsonArray> list = shifts(db, till, status, 500);
    if (!list)
        return failure(list.message(), list.outcome());
    return HttpResponse::json(200, {{u"shifts"_s, *list}});
}

HttpResponse zReportResponse(Database &db, const QString &shiftId)
{
    if (shiftId.isEmpty() || shiftId.size() > 64)
        return HttpResponse::error(404, u"not_found"_s, Text::tr("There is no such shift."));
    const Result<QByteArray> text = zReportText(db, shiftId);
    if (!text)
        return failure(text.message(), text.outcome());
    // The Z report as the till printed it, byte for byte.
    HttpResponse response;
    response.status = 200;
    response.body = *text;
    return response;
}

} // namespace SafeTill::ReportApi
