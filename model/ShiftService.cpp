#include "ShiftService.h"

#include "ActionJournal.h"
#include "CashierService.h"
#include "Clock.h"
#include "Database.h"
#include "OrderStore.h"
#include "ShiftStore.h"
#include "ShopSettings.h"

#include <QCoreApplication>
#include <QHash>
#include <QJsonDocument>
#include <QMap>
#include <QUuid>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace SafeTill {

namespace {

struct Text
{
    Q_DECLARE_TR_FUNCTIONS(SafeTill::ShiftService)
};

QString newId()
{
    return QUuid::createUuid().toString(QUuid::WithoutBraces);
}

// What a shift sold, in one statement (so one snapshot of its receipts' lines): one row per line
// of the orders of the receipts (the sale payment with the receipt number) booked in the shift,
// an order's own or every order of a settled tab: the order, its order discount, the line's
// rate and pricing mode, its amount after its line discount and before it (list). The rows are
// summed per order and rate in C++ (compute()): SQLite sorts for a GROUP BY, and two GROUP BYs
// over a shift's lines took most of an X report's time (bench/results.md). CAST: PostgreSQL's
// product of a BIGINT and an INTEGER is BIGINT already, kept for symmetry. Binds the shift id
// twice.
QString salesSql()
{
    static const QString columns =
        u"o.id, o.discount_kind, o.discount_value, l.tax_code, l.tax_rate_bp, "
        "l.price_includes_tax, CAST("_s +
        OrderStore::lineTotalSql() +
        u" AS BIGINT), CAST(l.unit_price_cents * l.quantity AS BIGINT) "_s;
    static const QString sql =
        u"SELECT "_s + columns +
        u"FROM payments p JOIN order_sessions o ON o.id = p.order_id "
        "JOIN order_lines l ON l.order_id = o.id "
        "WHERE p.shift_id = ? AND p.kind = 'sale' AND p.receipt_no IS NOT NULL "
        "UNION ALL SELECT "_s +
        columns +
        u"FROM payments p JOIN order_sessions o ON o.tab_id = p.tab_id "
        "JOIN order_lines l ON l.order_id = o.id "
        "WHERE p.shift_id = ? AND p.kind = 'sale' AND p.receipt_no IS NOT NULL "
        "AND p.tab_id IS NOT NULL"_s;
    return sql;
}

// One order's sales while compute() reads its lines: per rate and pricing mode, the lines' total.
struct OrderSales
{
    Discount discount;
    QList<TaxGroup> groups;

    void add(const QString &code, int rate, bool included, Cents amount)
    {
        for (TaxGroup &group : groups) {
            if (group.rateBp == rate && group.priceIncludesTax == included && group.code == code) {
                group.amountCents += amount;
                return;
            }
        }
        groups.append({code, rate, included, amount});
    }
};

void addTo(QList<ZReport::Payments> &list, const QString &method, Cents cents, int count)
{
    for (ZReport::Payments &entry : list) {
        if (entry.method == method) {
            entry.cents += cents;
            entry.count += count;
            return;
        }
    }
    list.append({method, cents, count});
    std::sort(list.begin(), list.end(),
              [](const auto &a, const auto &b) { return a.method < b.method; });
}

QString nameOf(Database &db, const QString &cashierId)
{
    if (cashierId.isEmpty())
        return {};
    const QVariant name = db.scalar(u"SELECT name FROM cashiers WHERE id = ?"_s, {cashierId});
    return name.isNull() ? cashierId : name.toString();
}

QString validReason(const QString &reason, QString *problem)
{
    const QString normalized = reason.simplified();
    if (normalized.isEmpty())
        *problem = Text::tr("Give a reason for the pay-in or pay-out (--reason).");
    else if (normalized.size() > ShiftService::maxReasonLength)
        *problem = Text::tr("The reason is too long: at most 200 characters.");
    return normalized;
}

QString checkCents(Cents cents, const QString &what, Cents min)
{
    if (cents < min || cents > ShiftService::maxCents)
        return Text::tr("%1 must be a whole number of cents from %2 to %3.")
            .arg(what)
            .arg(min)
            .arg(ShiftService::maxCents);
    return {};
}

// The shift as a sync op carries it (docs/sync-protocol.md 5.6): what its open recorded.
QJsonObject shiftSyncJson(const Shift &shift)
{
    return QJsonObject{{u"id"_s, shift.id},
                       {u"opened_at"_s, toStorageTime(shift.openedAt)},
                       {u"opened_by"_s, textOrNull(shift.openedBy)},
                       {u"float_cents"_s, qint64(shift.floatCents)},
                       {u"auto_opened"_s, shift.autoOpened}};
}

} // namespace

ShiftService::ShiftService(Database &database, const Clock &clock, CashierService &cashiers,
                           Approvals &approvals, SyncSide side)
    : m_db(database)
    , m_clock(clock)
    , m_cashiers(cashiers)
    , m_approvals(approvals)
    , m_side(side)
{}

Result<Cashier> ShiftService::findCashier(const QString &cashier)
{
    return m_cashiers.find(cashier);
}

ZReport ShiftService::compute(Database &db, const Shift &shift, const QDateTime &at)
{
    ZReport report;
    report.shiftId = shift.id;
    report.till = shift.terminalId;
    report.openedAt = shift.openedAt;
    report.closedAt = at;
    report.openedBy = nameOf(db, shift.openedBy);
    report.autoOpened = shift.autoOpened;
    report.floatCents = shift.floatCents;
    const QVariant currency =
        db.scalar(u"SELECT value FROM shop_settings WHERE name = 'currency'"_s);
    report.currency = currency.isNull() || currency.toString().isEmpty()
                          ? ShopSettings::defaultCurrency().code
                          : currency.toString();

    // Sales, per rate: each order's tax rounded on its own total per rate, as its receipt shows
    // it (model/Tax.h), then added up; an order discount shared among its rates as on its receipt.
    QMap<std::pair<QString, int>, TaxLine> rows;
    Cents listCents = 0;
    Cents afterLineCents = 0;
    {
        // The rows of one order come one after another (one order's lines per join step); a hash
        // keeps the sums right even if they did not.
        QHash<QString, OrderSales> orders;
        OrderSales *current = nullptr;
        QString currentId;
        SqlRows &query = db.query(salesSql(), {shift.id, shift.id});
        while (query.next()) {
            const QString orderId = query.text(0);
            if (current == nullptr || orderId != currentId) {
                currentId = orderId;
                const auto found = orders.find(orderId);
                if (found != orders.end()) {
                    current = &found.value();
                } else {
                    current = &orders[orderId];
                    current->discount.kind =
                        discountKindFromString(query.text(1)).value_or(DiscountKind::None);
                    current->discount.value = query.integer(2);
                }
            }
            const Cents amount = query.integer(6);
            listCents += query.integer(7);
            afterLineCents += amount;
            current->add(query.text(3), int(query.integer(4)), query.integer(5) != 0, amount);
        }
        query.finish();
        current = nullptr;

        // The orders without an order discount, summed per rate and mode (each order's tax
        // rounded on its own) before they are added.
        struct PlainSum
        {
            TaxGroup group; // amountCents: the orders' amounts
            Cents taxCents = 0;
        };
        QList<PlainSum> plain;
        for (const OrderSales &order : std::as_const(orders)) {
            if (order.discount.kind != DiscountKind::None) {
                const TaxTable table = taxTable(order.groups, order.discount);
                for (const TaxLine &row : table.rows)
                    addTaxRow(rows, row);
                report.untaxedCents += table.untaxedCents;
                report.orderDiscountsCents += table.orderDiscountCents;
                continue;
            }
            for (const TaxGroup &group : order.groups) {
                const auto same = [&group](const PlainSum &sum) {
                    return sum.group.rateBp == group.rateBp &&
                           sum.group.priceIncludesTax == group.priceIncludesTax &&
                           sum.group.code == group.code;
                };
                auto sum = std::find_if(plain.begin(), plain.end(), same);
                if (sum == plain.end())
                    sum = plain.insert(plain.end(), PlainSum{{group.code, group.rateBp,
                                                              group.priceIncludesTax, 0}});
                sum->group.amountCents += group.amountCents;
                if (!group.code.isEmpty())
                    sum->taxCents +=
                        roundedMulDiv(group.amountCents, group.rateBp,
                                      group.priceIncludesTax ? 10000 + group.rateBp : 10000);
            }
        }
        for (const PlainSum &sum : std::as_const(plain)) {
            const TaxGroup &group = sum.group;
            const Cents amount = group.amountCents;
            const Cents tax = sum.taxCents;
            if (group.code.isEmpty())
                report.untaxedCents += amount;
            else
                addTaxRow(rows, group.priceIncludesTax
                                    ? TaxLine{group.code, group.rateBp, amount - tax, tax, amount}
                                    : TaxLine{group.code, group.rateBp, amount, tax, amount + tax});
        }
    }
    report.lineDiscountsCents = listCents - afterLineCents;
    report.grossCents = report.untaxedCents;
    for (const TaxLine &row : std::as_const(rows)) {
        report.taxes.append(row);
        report.grossCents += row.grossCents;
        report.netCents += row.netCents;
        report.taxCents += row.taxCents;
    }
    report.netCents += report.untaxedCents;

    // Payments: what was taken, per method. Summed here rather than by a GROUP BY (a sort of the
    // shift's payments in SQLite).
    {
        struct Taken
        {
            QString method;
            QString kind;
            Cents cents = 0;
            Cents rounding = 0;
            int count = 0;
            int receipts = 0;
        };
        QList<Taken> taken;
        SqlRows &query = db.query(u"SELECT method, kind, amount_cents, rounding_cents, "
                                  "CASE WHEN receipt_no IS NULL THEN 0 ELSE 1 END "
                                  "FROM payments WHERE shift_id = ?"_s,
                                  {shift.id});
        while (query.next()) {
            const QString method = query.text(0);
            const QString kind = query.text(1);
            qsizetype i = 0;
            while (i < taken.size() && !(taken[i].method == method && taken[i].kind == kind))
                ++i;
            if (i == taken.size())
                taken.append({method, kind});
            taken[i].cents += query.integer(2);
            taken[i].rounding += query.integer(3);
            ++taken[i].count;
            taken[i].receipts += int(query.integer(4));
        }
        query.finish();
        for (const Taken &entry : std::as_const(taken)) {
            addTo(report.payments, entry.method, entry.cents, entry.count);
            if (entry.kind == u"sale"_s) // the receipts: sale payments with a number
                report.receipts += entry.receipts;
            if (entry.kind == u"overpayment"_s)
                report.overpaymentsCents += entry.cents;
            if (entry.method == u"cash"_s) {
                report.cashRoundingCents += entry.rounding;
                report.cashTakenCents += entry.cents + entry.rounding;
            }
        }
    }

    // Refunds and voids: what was paid back (negative in the table).
    {
        QSqlQuery &query =
            db.exec(u"SELECT kind, method, CAST(SUM(amount_cents) AS BIGINT), COUNT(*), "
                    "CAST(SUM(rounding_cents) AS BIGINT) "
                    "FROM refunds WHERE shift_id = ? GROUP BY kind, method"_s,
                    {shift.id});
        while (query.next()) {
            const bool isVoid = query.value(0).toString() == u"void"_s;
            const QString method = query.value(1).toString();
            const Cents cents = -query.value(2).toLongLong();
            const int count = query.value(3).toInt();
            (isVoid ? report.voidsCents : report.refundsCents) += cents;
            (isVoid ? report.voidReceipts : report.refundReceipts) += count;
            addTo(report.paidBack, method, cents, count);
            if (method == u"cash"_s) {
                // The cash that left the drawer: the refunds' amounts with their cash rounding
                // (as cash taken is the payments' amounts with theirs).
                const Cents rounding = -query.value(4).toLongLong();
                report.cashPaidBackRoundingCents += rounding;
                report.cashPaidBackCents += cents + rounding;
            }
        }
        query.finish();
    }

    // Cash movements, in order.
    {
        QSqlQuery &query = db.exec(
            u"SELECT m.id, m.kind, m.amount_cents, m.reason, m.cashier_id, COALESCE(c.name, ''), "
            "COALESCE(m.approved_by, ''), m.created_at FROM cash_movements m "
            "LEFT JOIN cashiers c ON c.id = m.cashier_id WHERE m.shift_id = ? "
            "ORDER BY m.created_at, m.id"_s,
            {shift.id});
        while (query.next()) {
            CashMovement movement;
            movement.id = query.value(0).toString();
            movement.shiftId = shift.id;
            movement.kind = cashMovementKindFromString(query.value(1).toString())
                                .value_or(CashMovementKind::NoSale);
            movement.amountCents = query.value(2).toLongLong();
            movement.reason = query.value(3).toString();
            movement.cashierId = query.value(4).toString();
            movement.cashierName = query.value(5).toString();
            movement.approvedBy = query.value(6).toString();
            movement.createdAt = fromStorageTime(query.value(7).toString());
            switch (movement.kind) {
            case CashMovementKind::PayIn:
                report.payInsCents += movement.amountCents;
                break;
            case CashMovementKind::PayOut:
                report.payOutsCents += movement.amountCents;
                break;
            case CashMovementKind::NoSale:
                ++report.noSales;
                break;
            }
            report.movements.append(movement);
        }
        query.finish();
    }
    report.expectedCents = report.floatCents + report.cashTakenCents + report.payInsCents -
                           report.cashPaidBackCents - report.payOutsCents;
    return report;
}

Result<Shift> ShiftService::open(const QString &cashier, Cents floatCents, const QString &requestId)
{
    if (const QString problem = checkCents(floatCents, Text::tr("The float"), 0);
        !problem.isEmpty())
        return Result<Shift>::invalidInput(problem);
    const Result<Cashier> who = findCashier(cashier);
    if (!who)
        return Result<Shift>::from(who);
    const QJsonObject parameters{{u"cashierId"_s, who->id}, {u"floatCents"_s, floatCents}};
    return m_db.write([&]() -> Result<Shift> {
        ActionJournal journal(m_db, m_clock, m_side);
        return journal.run<Shift>(u"shift_open"_s, requestId, parameters, [&]() -> Result<Shift> {
            OrderStore orders(m_db);
            ShiftStore shifts(m_db);
            const QString till = orders.terminalId();
            if (const std::optional<Shift> open = shifts.openShift(till)) {
                const QString by = open->autoOpened
                                       ? Text::tr("opened by the first sale, with no float")
                                       : Text::tr("opened by %1").arg(nameOf(m_db, open->openedBy));
                return Result<Shift>::failure(
                    Outcome::InvalidState,
                    Text::tr("A shift is already open on this till (%1 at %2, %3): close it first "
                             "with shift close.")
                        .arg(open->id.left(8), toStorageTime(open->openedAt), by),
                    *open);
            }
            Shift shift;
            shift.id = newId();
            shift.terminalId = till;
            shift.openedBy = who->id;
            shift.openedAt = m_clock.now();
            shift.floatCents = floatCents;
            if (!shifts.insertOpenShift(shift)) // a racing open won
                return Result<Shift>::failure(
                    Outcome::InvalidState,
                    Text::tr(
                        "A shift was opened on this till at the same moment: close it first."));
            journal.appendOutbox(requestId, u"shift_open"_s, {}, {},
                                 QJsonObject{{u"shift"_s, shiftSyncJson(shift)}});
            return Result<Shift>::ok(shift);
        });
    });
}

Result<CashMovement> ShiftService::movement(CashMovementKind kind, const QString &cashierId,
                                            Cents cents, const QString &reason,
                                            const QString &approvedBy, const QString &requestId)
{
    const QJsonObject parameters{{u"kind"_s, toString(kind)},
                                 {u"cashierId"_s, cashierId},
                                 {u"cents"_s, cents},
                                 {u"reason"_s, reason},
                                 {u"approvedBy"_s, approvedBy}};
    return m_db.write([&]() -> Result<CashMovement> {
        ActionJournal journal(m_db, m_clock, m_side);
        return journal.run<CashMovement>(
            u"cash_"_s + toString(kind), requestId, parameters, [&]() -> Result<CashMovement> {
                const QString till = OrderStore(m_db).terminalId();
                CashMovement movement;
                movement.id = newId();
                movement.createdAt = m_clock.now();
                movement.shiftId = ShiftStore(m_db).openShiftFor(till, cashierId,
                                                                 toStorageTime(movement.createdAt));
                movement.kind = kind;
                movement.amountCents = cents;
                movement.reason = reason;
                movement.cashierId = cashierId;
                movement.cashierName = nameOf(m_db, cashierId);
                movement.approvedBy = approvedBy;
                ShiftStore(m_db).insertMovement(movement, till);
                journal.appendOutbox(
                    requestId, u"cash_movement"_s, {}, {},
                    QJsonObject{
                        {u"movement"_s,
                         QJsonObject{{u"id"_s, movement.id},
                                     {u"shift_id"_s, movement.shiftId},
                                     {u"kind"_s, toString(kind)},
                                     {u"amount_cents"_s, qint64(cents)},
                                     {u"reason"_s, reason.isNull() ? u""_s : reason},
                                     {u"cashier_id"_s, cashierId},
                                     {u"approved_by"_s, textOrNull(approvedBy)},
                                     {u"created_at"_s, toStorageTime(movement.createdAt)}}}});
                return Result<CashMovement>::ok(movement);
            });
    });
}

Result<CashMovement> ShiftService::payIn(const QString &cashier, Cents cents, const QString &reason,
                                         const QString &requestId)
{
    return cashMovement(CashMovementKind::PayIn, cashier, cents, reason, requestId);
}

Result<CashMovement> ShiftService::payOut(const QString &cashier, Cents cents,
                                          const QString &reason, const QString &requestId)
{
    return cashMovement(CashMovementKind::PayOut, cashier, cents, reason, requestId);
}

Result<CashMovement> ShiftService::cashMovement(CashMovementKind kind, const QString &cashier,
                                                Cents cents, const QString &reason,
                                                const QString &requestId)
{
    const QString what =
        kind == CashMovementKind::PayIn ? Text::tr("The pay-in") : Text::tr("The pay-out");
    if (const QString problem = checkCents(cents, what, 1); !problem.isEmpty())
        return Result<CashMovement>::invalidInput(problem);
    QString problem;
    const QString why = validReason(reason, &problem);
    if (!problem.isEmpty())
        return Result<CashMovement>::invalidInput(problem);
    const Result<Cashier> who = findCashier(cashier);
    if (!who)
        return Result<CashMovement>::from(who);
    return movement(kind, who->id, cents, why, {}, requestId);
}

Result<CashMovement> ShiftService::noSale(const QString &cashier,
                                          const std::optional<Approver> &approver,
                                          const QString &requestId)
{
    // Outside any transaction: the approver's PIN hash is slow.
    const Result<Authorization> allowed =
        m_approvals.authorize(cashier, Permission::NoSale, approver);
    if (!allowed)
        return Result<CashMovement>::from(allowed);
    return movement(CashMovementKind::NoSale, allowed->actor.id, 0, {}, allowed->approvedById(),
                    requestId);
}

Result<ZReport> ShiftService::xReport()
{
    return m_db.read([&]() -> Result<ZReport> {
        const QString till = OrderStore(m_db).terminalId();
        const std::optional<Shift> open = ShiftStore(m_db).openShift(till);
        if (!open)
            return Result<ZReport>::failure(
                Outcome::InvalidState,
                Text::tr("No shift is open on this till: nothing has been sold since the last Z "
                         "report. Open one with shift open."));
        return Result<ZReport>::ok(compute(m_db, *open, m_clock.now()));
    });
}

Result<ZReport> ShiftService::close(const QString &cashier, Cents countedCents,
                                    std::optional<Cents> countedCardCents, const QString &requestId)
{
    if (const QString problem = checkCents(countedCents, Text::tr("The counted cash"), 0);
        !problem.isEmpty())
        return Result<ZReport>::invalidInput(problem);
    if (countedCardCents) {
        if (const QString problem =
                checkCents(*countedCardCents, Text::tr("The counted card slips"), 0);
            !problem.isEmpty())
            return Result<ZReport>::invalidInput(problem);
    }
    const Result<Cashier> who = findCashier(cashier);
    if (!who)
        return Result<ZReport>::from(who);
    QJsonObject parameters{{u"cashierId"_s, who->id}, {u"countedCents"_s, countedCents}};
    if (countedCardCents)
        parameters.insert(u"countedCardCents"_s, *countedCardCents);
    return m_db.write([&]() -> Result<ZReport> {
        ActionJournal journal(m_db, m_clock, m_side);
        return journal.run<ZReport>(
            u"shift_close"_s, requestId, parameters, [&]() -> Result<ZReport> {
                ShiftStore shifts(m_db);
                const QString till = OrderStore(m_db).terminalId();
                // On PostgreSQL: locked FOR UPDATE before anything is summed (see ShiftStore).
                const std::optional<Shift> open = shifts.openShift(till, true);
                if (!open)
                    return Result<ZReport>::failure(
                        Outcome::InvalidState,
                        Text::tr("No shift is open on this till: there is nothing to close."));
                ZReport report = compute(m_db, *open, m_clock.now());
                report.number = shifts.nextZNumber(till);
                report.closedBy = who->name;
                report.countedCents = countedCents;
                report.countedCardCents = countedCardCents;
                const QByteArray stored = report.toStoredJson();
                if (!shifts.closeShift(open->id, report.number, who->id,
                                       toStorageTime(report.closedAt), report.expectedCents,
                                       countedCents, countedCardCents, stored))
                    return Result<ZReport>::failure(
                        Outcome::Conflict,
                        Text::tr("The shift was closed at the same moment elsewhere."));
                // The whole shift and its Z report as printed (the same text), for the server.
                QJsonObject shift = shiftSyncJson(*open);
                shift.insert(u"z_number"_s, report.number);
                shift.insert(u"closed_at"_s, toStorageTime(report.closedAt));
                shift.insert(u"closed_by"_s, who->id);
                shift.insert(u"expected_cents"_s, qint64(report.expectedCents));
                shift.insert(u"counted_cents"_s, qint64(countedCents));
                shift.insert(u"counted_card_cents"_s, countedCardCents
                                                          ? QJsonValue(qint64(*countedCardCents))
                                                          : QJsonValue(QJsonValue::Null));
                journal.appendOutbox(
                    requestId, u"shift_close"_s, {}, {},
                    QJsonObject{{u"shift"_s, shift}, {u"z_report"_s, QString::fromUtf8(stored)}});
                return Result<ZReport>::ok(report);
            });
    });
}

Result<QByteArray> ShiftService::storedZReport(int number)
{
    if (number < 0)
        return Result<QByteArray>::invalidInput(Text::tr("A Z report number is 1 or more."));
    return m_db.read([&]() -> Result<QByteArray> {
        ShiftStore shifts(m_db);
        const QString till = OrderStore(m_db).terminalId();
        const std::optional<Shift> closed = shifts.closedShift(till, number);
        if (!closed)
            return Result<QByteArray>::notFound(
                number > 0 ? Text::tr("There is no Z report %1 on this till.").arg(number)
                           : Text::tr("There is no Z report on this till yet."));
        return Result<QByteArray>::ok(shifts.storedZReport(closed->id));
    });
}

Result<ZReport> ShiftService::zReport(int number)
{
    const Result<QByteArray> stored = storedZReport(number);
    if (!stored)
        return Result<ZReport>::from(stored);
    const QJsonDocument document = QJsonDocument::fromJson(*stored);
    std::optional<ZReport> report = ZReport::fromJson(document.object());
    if (!report)
        return Result<ZReport>::failure(Outcome::Error,
                                        Text::tr("The stored Z report is unreadable."));
    return Result<ZReport>::ok(*report);
}

Result<std::optional<Shift>> ShiftService::currentShift()
{
    return m_db.read([&]() -> Result<std::optional<Shift>> {
        return Result<std::optional<Shift>>::ok(
            ShiftStore(m_db).openShift(OrderStore(m_db).terminalId()));
    });
}

} // namespace SafeTill
