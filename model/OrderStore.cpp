#include "OrderStore.h"

#include "Clock.h"
#include "Database.h"
#include "ShiftStore.h"
#include "Validation.h"

#include <QCoreApplication>
#include <QMap>
#include <QUuid>

using namespace Qt::StringLiterals;

namespace SafeTill {

namespace {

// The sentences a person reads, in the translations' context "SafeTill::OrderStore".
struct Text
{
    Q_DECLARE_TR_FUNCTIONS(SafeTill::OrderStore)
};

const QString selectOrder = u"SELECT o.id, o.cashier_id, c.name, o.status, o.version, o.tab_id, "
                            "t.name, o.receipt_no, o.created_at, o.updated_at, o.logout_time, "
                            "o.completed_at, o.terminal_id, o.discount_kind, o.discount_value, "
                            "o.discount_reason, o.discount_by FROM order_sessions o "
                            "JOIN cashiers c ON c.id = o.cashier_id "
                            "LEFT JOIN tabs t ON t.id = o.tab_id "_s;

// A discount from four columns: kind, value, reason, by.
Discount discountFromRow(const SqlRows &row, int first)
{
    Discount discount;
    discount.kind = discountKindFromString(row.text(first)).value_or(DiscountKind::None);
    discount.value = row.integer(first + 1);
    discount.reason = row.text(first + 2);
    discount.byCashierId = row.text(first + 3);
    return discount;
}

Order orderFromRow(const SqlRows &row)
{
    Order order;
    order.id = row.text(0);
    order.cashierId = row.text(1);
    order.cashierName = row.text(2);
    order.status = orderStatusFromString(row.text(3)).value_or(OrderStatus::Active);
    order.version = int(row.integer(4));
    order.tabId = row.text(5);
    order.tabName = row.text(6);
    order.receiptNo = row.text(7);
    order.createdAt = fromStorageTime(row.text(8));
    order.updatedAt = fromStorageTime(row.text(9));
    order.logoutTime = fromStorageTime(row.text(10));
    order.completedAt = fromStorageTime(row.text(11));
    order.terminalId = row.text(12);
    order.discount = discountFromRow(row, 13);
    return order;
}

const QString selectTab = u"SELECT id, name, status, version, receipt_no, created_at, settled_at "
                          "FROM tabs "_s;

Tab tabFromRow(const QSqlQuery &row)
{
    Tab tab;
    tab.id = row.value(0).toString();
    tab.name = row.value(1).toString();
    tab.status = tabStatusFromString(row.value(2).toString()).value_or(TabStatus::Open);
    tab.version = row.value(3).toInt();
    tab.receiptNo = row.value(4).toString();
    tab.createdAt = fromStorageTime(row.value(5).toString());
    tab.settledAt = fromStorageTime(row.value(6).toString());
    return tab;
}

QString describeState(const Order &order)
{
    switch (order.status) {
    case OrderStatus::Completed:
        return order.receiptNo.isEmpty()
                   ? Text::tr("This order has already been paid.")
                   : Text::tr("This order has already been paid (receipt %1).")
                         .arg(order.receiptNo);
    case OrderStatus::Assigned:
        return Text::tr("This order is already on the tab \u201c%1\u201d.").arg(order.tabName);
    case OrderStatus::PendingLogout:
        return Text::tr("This order is parked because %1 logged out; log in again to continue it.")
            .arg(order.cashierName);
    case OrderStatus::Active:
        if (order.paidCents() > 0) {
            return Text::tr(
                       "Payments were taken on this order: its items and discounts can no longer "
                       "change. Take the rest of the balance (%1 cents), or refund the payments.")
                .arg(order.balanceCents());
        }
        break;
    }
    return {};
}

} // namespace

const QString &OrderStore::lineTotalSql()
{
    // A function's static: the Verifier builds its own statements from it at start-up.
    static const QString lineTotalSql =
        u"(l.unit_price_cents * l.quantity - CASE l.discount_kind "
        "WHEN 'percent' THEN (l.unit_price_cents * l.quantity * l.discount_value + 5000) / 10000 "
        "WHEN 'amount' THEN CASE WHEN l.discount_value < l.unit_price_cents * l.quantity "
        "THEN l.discount_value ELSE l.unit_price_cents * l.quantity END ELSE 0 END)"_s;
    return lineTotalSql;
}

std::optional<Order> OrderStore::load(const QString &orderId)
{
    static const QString byId = selectOrder + u"WHERE o.id = ?"_s; // built once, not per read
    SqlRows &query = m_db.query(byId, {orderId});
    if (!query.next()) {
        query.finish();
        return std::nullopt;
    }
    Order order = orderFromRow(query);
    query.finish();
    order.lines = lines(orderId);
    order.payments = payments(u"order_id"_s, orderId);
    order.payment = salePayment(order.payments);
    return order;
}

QList<OrderLine> OrderStore::lines(const QString &orderId)
{
    SqlRows &query = m_db.query(u"SELECT line_no, sku, name, unit_price_cents, quantity, line_id, "
                                "tax_code, tax_rate_bp, price_includes_tax, discount_kind, "
                                "discount_value, discount_reason, discount_by, "
                                "list_price_cents, price_reason "
                                "FROM order_lines WHERE order_id = ? ORDER BY line_no"_s,
                                {orderId});
    QList<OrderLine> result;
    while (query.next()) {
        OrderLine line;
        line.lineNo = int(query.integer(0));
        line.sku = query.text(1);
        line.name = query.text(2);
        line.unitPriceCents = query.integer(3);
        line.quantity = int(query.integer(4));
        line.lineId = query.text(5);
        line.taxCode = query.text(6);
        line.taxRateBp = int(query.integer(7));
        line.priceIncludesTax = query.integer(8) != 0;
        line.discount = discountFromRow(query, 9);
        if (!query.isNull(13))
            line.listPriceCents = query.integer(13);
        line.priceReason = query.text(14);
        result.append(line);
    }
    query.finish();
    return result;
}

QList<Payment> OrderStore::payments(const QString &column, const QString &id)
{
    // column is one of two fixed names, never input; each statement's text is built once
    static const QString sql = u"SELECT id, order_id, tab_id, method, amount_cents, "
                               "tendered_cents, change_cents, receipt_no, paid_at, kind, "
                               "due_cents, paid_version, terminal_id, cashier_id, label, "
                               "rounding_cents, shift_id FROM payments WHERE %1 = ? "
                               "ORDER BY paid_at, receipt_no IS NOT NULL, id"_s;
    static const QString byOrder = sql.arg(u"order_id"_s);
    static const QString byTab = sql.arg(u"tab_id"_s);
    SqlRows &query = m_db.query(column == u"order_id"_s ? byOrder
                                : column == u"tab_id"_s ? byTab
                                                        : sql.arg(column),
                                {id});
    QList<Payment> result;
    while (query.next()) {
        Payment p;
        p.id = query.text(0);
        p.orderId = query.text(1);
        p.tabId = query.text(2);
        p.method = paymentMethodFromString(query.text(3)).value_or(PaymentMethod::Cash);
        p.amountCents = query.integer(4);
        p.tenderedCents = query.integer(5);
        p.changeCents = query.integer(6);
        p.receiptNo = query.text(7);
        p.paidAt = fromStorageTime(query.text(8));
        p.kind = paymentKindFromString(query.text(9)).value_or(PaymentKind::Sale);
        p.dueCents = query.integer(10);
        p.paidVersion = int(query.integer(11));
        p.terminalId = query.text(12);
        p.cashierId = query.text(13);
        p.label = query.text(14);
        p.roundingCents = query.integer(15);
        p.shiftId = query.text(16);
        result.append(p);
    }
    query.finish();
    return result;
}

std::optional<OrderStore::LineRef> OrderStore::findLine(const QString &orderId,
                                                        const QString &idOrNumber)
{
    bool isNumber = false;
    const int lineNo = idOrNumber.toInt(&isNumber);
    QSqlQuery &query =
        m_db.exec(u"SELECT line_id, line_no, unit_price_cents * quantity FROM order_lines "
                  "WHERE order_id = ? AND %1 = ?"_s.arg(isNumber ? u"line_no"_s : u"line_id"_s),
                  {orderId, isNumber ? QVariant(lineNo) : QVariant(idOrNumber)});
    std::optional<LineRef> line;
    if (query.next())
        line =
            LineRef{query.value(0).toString(), query.value(1).toInt(), query.value(2).toLongLong()};
    query.finish();
    return line;
}

Cents OrderStore::cashRoundingStep()
{
    return m_db.scalar(u"SELECT value FROM shop_settings WHERE name = 'cash_rounding'"_s)
        .toLongLong();
}

std::optional<Payment> OrderStore::salePayment(const QList<Payment> &payments)
{
    // The one that carries the receipt number: the only one of a single tender, the last of a
    // split tender.
    for (const Payment &payment : payments) {
        if (payment.kind == PaymentKind::Sale && !payment.receiptNo.isEmpty())
            return payment;
    }
    return std::nullopt;
}

std::optional<Tab> OrderStore::loadTab(const QString &tabId)
{
    QSqlQuery &query = m_db.exec(selectTab + u"WHERE id = ?"_s, {tabId});
    if (!query.next()) {
        query.finish();
        return std::nullopt;
    }
    Tab tab = tabFromRow(query);
    query.finish();
    QSqlQuery &orders = m_db.exec(
        u"SELECT id FROM order_sessions WHERE tab_id = ? ORDER BY created_at, id"_s, {tabId});
    QStringList orderIds;
    while (orders.next())
        orderIds << orders.value(0).toString();
    orders.finish();
    for (const QString &orderId : std::as_const(orderIds)) {
        if (auto order = load(orderId))
            tab.orders.append(*order);
    }
    tab.payments = payments(u"tab_id"_s, tabId);
    tab.payment = salePayment(tab.payments);
    return tab;
}

QList<Tab> OrderStore::openTabs()
{
    QSqlQuery &query =
        m_db.exec(u"SELECT id FROM tabs WHERE status = 'open' ORDER BY name_key, created_at"_s);
    QStringList ids;
    while (query.next())
        ids << query.value(0).toString();
    query.finish();
    QList<Tab> tabs;
    for (const QString &id : std::as_const(ids)) {
        if (auto tab = loadTab(id))
            tabs.append(*tab);
    }
    return tabs;
}

QList<HistoryEntry> OrderStore::history(const QString &orderId)
{
    QSqlQuery &query = m_db.exec(
        u"SELECT id, order_id, at, cashier_id, action, from_version, to_version, from_status, "
        "to_status, detail, request_id, approved_by FROM order_history WHERE order_id = ? "
        "ORDER BY id"_s,
        {orderId});
    QList<HistoryEntry> entries;
    while (query.next()) {
        HistoryEntry entry;
        entry.id = query.value(0).toLongLong();
        entry.orderId = query.value(1).toString();
        entry.at = fromStorageTime(query.value(2).toString());
        entry.cashierId = query.value(3).toString();
        entry.action = query.value(4).toString();
        if (!query.value(5).isNull())
            entry.fromVersion = query.value(5).toInt();
        entry.toVersion = query.value(6).toInt();
        entry.fromStatus = query.value(7).toString();
        entry.toStatus = query.value(8).toString();
        entry.detail = query.value(9).toString();
        entry.requestId = query.value(10).toString();
        entry.approvedById = query.value(11).toString();
        entries.append(entry);
    }
    query.finish();
    return entries;
}

std::optional<QString> OrderStore::openOrderIdOf(const QString &cashierId)
{
    // The terminal's id in the statement itself: no round trip of its own (the server builds an
    // OrderStore per request).
    const QVariant id = m_db.scalar(
        u"SELECT id FROM order_sessions WHERE terminal_id = (SELECT terminal_id FROM terminal "
        "WHERE id = 1) AND cashier_id = ? AND status IN ('active', 'pending_logout')"_s,
        {cashierId});
    if (id.isNull())
        return std::nullopt;
    return id.toString();
}

bool OrderStore::cashierExists(const QString &cashierId)
{
    return !m_db.scalar(u"SELECT 1 FROM cashiers WHERE id = ?"_s, {cashierId}).isNull();
}

std::optional<QString> OrderStore::findTabId(const QString &idOrName)
{
    QVariant id = m_db.scalar(u"SELECT id FROM tabs WHERE id = ?"_s, {idOrName});
    if (id.isNull()) {
        id = m_db.scalar(u"SELECT id FROM tabs WHERE name_key = ? AND status = 'open'"_s,
                         {nameKey(normalizedName(idOrName))});
    }
    if (id.isNull())
        return std::nullopt;
    return id.toString();
}

Result<Order> OrderStore::refusal(const QString &orderId, std::optional<int> expectedVersion)
{
    const std::optional<Order> current = load(orderId);
    if (!current)
        return Result<Order>::notFound(Text::tr("There is no order %1.").arg(orderId));
    if (current->status != OrderStatus::Active)
        return Result<Order>::failure(Outcome::InvalidState, describeState(*current), current);
    if (expectedVersion && current->version != *expectedVersion) {
        return Result<Order>::failure(
            Outcome::Conflict,
            Text::tr("This order was changed in another window or on another till while you were "
                     "looking "
                     "at it (you saw version %1, it is now version %2). Check it and try again.")
                .arg(*expectedVersion)
                .arg(current->version),
            current);
    }
    // An edit's conditional update also asks for an order that took no money yet.
    if (current->paidCents() > 0)
        return Result<Order>::failure(Outcome::InvalidState, describeState(*current), current);
    // The row matched on re-read: the update must have lost a race that has since resolved.
    return Result<Order>::failure(
        Outcome::Conflict, Text::tr("This order changed at the same moment; please try again."),
        current);
}

Result<Tab> OrderStore::tabRefusal(const QString &tabId, std::optional<int> expectedVersion)
{
    const std::optional<Tab> current = loadTab(tabId);
    if (!current)
        return Result<Tab>::notFound(Text::tr("There is no tab %1.").arg(tabId));
    if (current->status == TabStatus::Settled) {
        return Result<Tab>::failure(
            Outcome::InvalidState,
            Text::tr("The tab \u201c%1\u201d has already been settled (receipt %2).")
                .arg(current->name, current->receiptNo),
            current);
    }
    if (expectedVersion && current->version != *expectedVersion) {
        return Result<Tab>::failure(
            Outcome::Conflict,
            Text::tr(
                "The tab \u201c%1\u201d changed while you were looking at it (an order was added). "
                "Check the total and try again.")
                .arg(current->name),
            current);
    }
    return Result<Tab>::failure(Outcome::Conflict,
                                Text::tr("This tab changed at the same moment; please try again."),
                                current);
}

QString OrderStore::terminalId()
{
    if (m_terminalId.isEmpty())
        m_terminalId = m_db.scalar(u"SELECT terminal_id FROM terminal WHERE id = 1"_s).toString();
    return m_terminalId;
}

QString OrderStore::newLineId()
{
    return QUuid::createUuid().toString(QUuid::WithoutBraces);
}

int OrderStore::insertOrder(const QString &orderId, const QString &cashierId,
                            const QString &terminalId, int version, const QString &createdAt)
{
    return m_db.change(
        u"INSERT INTO order_sessions (id, cashier_id, status, version, created_at, updated_at, "
        "terminal_id) VALUES (?, ?, 'active', ?, ?, ?, ?) ON CONFLICT DO NOTHING"_s,
        {orderId, cashierId, version, createdAt, createdAt, terminalId});
}

int OrderStore::insertOpenTab(const QString &tabId, const QString &name, const QString &nameKey,
                              const QString &terminalId, const QString &createdAt)
{
    return m_db.change(u"INSERT INTO tabs (id, name, name_key, status, version, created_at, "
                       "terminal_id) VALUES (?, ?, ?, 'open', 1, ?, ?) ON CONFLICT DO NOTHING"_s,
                       {tabId, name, nameKey, createdAt, terminalId});
}

int OrderStore::allocateLineNo(const QString &orderId)
{
    return m_db
        .scalar(u"UPDATE order_sessions SET line_seq = line_seq + 1 WHERE id = ? "
                "RETURNING line_seq"_s,
                {orderId})
        .toInt();
}

OrderLine OrderStore::insertLine(const QString &orderId, OrderLine line)
{
    if (line.lineNo <= 0)
        line.lineNo = allocateLineNo(orderId);
    if (line.lineId.isEmpty())
        line.lineId = newLineId();
    if (line.discount.isNone() && line.listPriceCents == std::nullopt) {
        m_db.exec(u"INSERT INTO order_lines (order_id, line_no, line_id, sku, name, "
                  "unit_price_cents, quantity, tax_code, tax_rate_bp, price_includes_tax) "
                  "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"_s,
                  {orderId, line.lineNo, line.lineId, nullIfEmpty(line.sku), line.name,
                   line.unitPriceCents, line.quantity,
                   line.taxCode.isNull() ? u""_s : line.taxCode, // NOT NULL: '' is untaxed
                   line.taxRateBp, line.priceIncludesTax ? 1 : 0});
        return line;
    }
    // A line that arrives with its discount or price override (sync, either way).
    m_db.exec(u"INSERT INTO order_lines (order_id, line_no, line_id, sku, name, unit_price_cents, "
              "quantity, tax_code, tax_rate_bp, price_includes_tax, discount_kind, discount_value, "
              "discount_reason, discount_by, list_price_cents, price_reason) "
              "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"_s,
              {orderId, line.lineNo, line.lineId, nullIfEmpty(line.sku), line.name,
               line.unitPriceCents, line.quantity, line.taxCode.isNull() ? u""_s : line.taxCode,
               line.taxRateBp, line.priceIncludesTax ? 1 : 0, toString(line.discount.kind),
               line.discount.value, line.discount.reason.isNull() ? u""_s : line.discount.reason,
               nullIfEmpty(line.discount.byCashierId),
               line.listPriceCents ? QVariant(*line.listPriceCents)
                                   : QVariant(QMetaType(QMetaType::LongLong)),
               line.priceReason.isNull() ? u""_s : line.priceReason});
    return line;
}

OrderLine OrderStore::withCurrentTax(OrderLine line)
{
    // The same snapshot as the server-side functions of PostgreSQL migration 011 take: the
    // product's rate, or the shop's default-tax for an open-price item; the shop's
    // prices-include-tax.
    QSqlQuery &query = m_db.exec(
        u"SELECT COALESCE(r.code, ''), COALESCE(r.rate_bp, 0), "
        "COALESCE((SELECT CASE s.value WHEN 'no' THEN 0 ELSE 1 END FROM shop_settings s "
        "WHERE s.name = 'prices_include_tax'), 1) "
        "FROM (SELECT 1) AS one LEFT JOIN tax_rates r ON r.code = CASE "
        "WHEN COALESCE(CAST(? AS TEXT), '') = '' THEN (SELECT s.value FROM shop_settings s "
        "WHERE s.name = 'default_tax') "
        "ELSE (SELECT p.tax_code FROM products p WHERE p.sku = CAST(? AS TEXT)) END"_s,
        {line.sku, line.sku});
    if (query.next()) {
        line.taxCode = query.value(0).toString();
        line.taxRateBp = query.value(1).toInt();
        line.priceIncludesTax = query.value(2).toInt() != 0;
    }
    query.finish();
    return line;
}

TaxTable OrderStore::taxesOf(const QString &column, const QString &id, int *lineCount,
                             Cents *paidCents)
{
    // One statement: the sums of the lines after their discounts, by order and rate, with each
    // order's discount (and, for an order, what was paid). CAST: PostgreSQL's SUM of a BIGINT is
    // NUMERIC, which QPSQL hands over as a double. MAX() of an order's own columns: one value per
    // group, which PostgreSQL wants aggregated.
    const bool tab = column == u"tab_id"_s;
    const QString sql =
        u"SELECT o.id, l.tax_code, l.tax_rate_bp, l.price_includes_tax, "
        "CAST(COALESCE(SUM(%1), 0) AS BIGINT), COUNT(l.line_id), MAX(o.discount_kind), "
        "MAX(o.discount_value), MAX(o.paid_cents) FROM order_sessions o "
        "%2 JOIN order_lines l ON l.order_id = o.id WHERE o.%3 = ? "
        "GROUP BY o.id, l.tax_code, l.tax_rate_bp, l.price_includes_tax"_s.arg(
            lineTotalSql(), tab ? u""_s : u"LEFT"_s, tab ? u"tab_id"_s : u"id"_s);
    QSqlQuery &query = m_db.exec(sql, {id});
    // Each order's groups and discount: an order's taxes are rounded on its own (as its own
    // receipt shows them), and a tab's total is the sum of its orders' totals.
    QMap<QString, std::pair<QList<TaxGroup>, Discount>> orders;
    int lines = 0;
    Cents paid = 0;
    while (query.next()) {
        auto &[groups, discount] = orders[query.value(0).toString()];
        discount.kind =
            discountKindFromString(query.value(6).toString()).value_or(DiscountKind::None);
        discount.value = query.value(7).toLongLong();
        paid = query.value(8).toLongLong();
        if (const int count = query.value(5).toInt(); count > 0) {
            groups.append({query.value(1).toString(), query.value(2).toInt(),
                           query.value(3).toInt() != 0, query.value(4).toLongLong()});
            lines += count;
        }
    }
    query.finish();
    if (lineCount)
        *lineCount = lines;
    if (paidCents)
        *paidCents =
            tab ? m_db.scalar(u"SELECT paid_cents FROM tabs WHERE id = ?"_s, {id}).toLongLong()
                : paid;
    if (!tab) {
        return orders.isEmpty() ? TaxTable{}
                                : taxTable(orders.first().first, orders.first().second);
    }
    TaxTable sum;
    for (const auto &[groups, discount] : std::as_const(orders)) {
        const TaxTable one = taxTable(groups, discount);
        sum.totalCents += one.totalCents;
        sum.untaxedCents += one.untaxedCents;
        sum.subtotalCents += one.subtotalCents;
        sum.orderDiscountCents += one.orderDiscountCents;
    }
    return sum;
}

bool OrderStore::addToLine(const QString &orderId, const QString &lineId, int delta)
{
    return m_db.change(u"UPDATE order_lines SET quantity = quantity + ? "
                       "WHERE order_id = ? AND line_id = ?"_s,
                       {delta, orderId, lineId}) == 1;
}

bool OrderStore::deleteLine(const QString &orderId, const QString &lineId)
{
    return m_db.change(u"DELETE FROM order_lines WHERE order_id = ? AND line_id = ?"_s,
                       {orderId, lineId}) == 1;
}

void OrderStore::deleteLines(const QString &orderId)
{
    m_db.exec(u"DELETE FROM order_lines WHERE order_id = ?"_s, {orderId});
}

QString OrderStore::insertPayment(const Payment &payment)
{
    // Money taken here lands in this terminal's open shift (opened now if none is); a payment
    // taken elsewhere keeps the shift it came with, if any.
    QString shiftId = payment.shiftId;
    if (shiftId.isEmpty() && payment.terminalId == terminalId())
        shiftId = ShiftStore(m_db).openShiftFor(payment.terminalId, payment.cashierId,
                                                toStorageTime(payment.paidAt));
    m_db.exec(u"INSERT INTO payments (id, order_id, tab_id, kind, method, label, amount_cents, "
              "rounding_cents, tendered_cents, change_cents, due_cents, paid_version, receipt_no, "
              "terminal_id, cashier_id, paid_at, shift_id) "
              "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"_s,
              {payment.id, nullIfEmpty(payment.orderId), nullIfEmpty(payment.tabId),
               toString(payment.kind), toString(payment.method),
               payment.label.isNull() ? u""_s : payment.label, payment.amountCents,
               payment.roundingCents, payment.tenderedCents, payment.changeCents, payment.dueCents,
               payment.paidVersion, nullIfEmpty(payment.receiptNo), payment.terminalId,
               nullIfEmpty(payment.cashierId), toStorageTime(payment.paidAt),
               nullIfEmpty(shiftId)});
    // What was paid, with the order or tab: the balance due is read with it, and an edit's
    // conditional update refuses an order that took money (bumpUnpaid()).
    if (payment.kind == PaymentKind::Sale) {
        const bool tab = !payment.tabId.isEmpty();
        m_db.exec(tab ? u"UPDATE tabs SET paid_cents = paid_cents + ? WHERE id = ?"_s
                      : u"UPDATE order_sessions SET paid_cents = paid_cents + ? WHERE id = ?"_s,
                  {payment.amountCents, tab ? payment.tabId : payment.orderId});
    }
    return shiftId;
}

bool OrderStore::setLineDiscount(const QString &orderId, const QString &lineId,
                                 const Discount &discount)
{
    return m_db.change(u"UPDATE order_lines SET discount_kind = ?, discount_value = ?, "
                       "discount_reason = ?, discount_by = ? WHERE order_id = ? AND line_id = ?"_s,
                       {toString(discount.kind), discount.value,
                        discount.reason.isNull() ? u""_s : discount.reason,
                        nullIfEmpty(discount.byCashierId), orderId, lineId}) == 1;
}

void OrderStore::setOrderDiscount(const QString &orderId, const Discount &discount)
{
    m_db.exec(u"UPDATE order_sessions SET discount_kind = ?, discount_value = ?, "
              "discount_reason = ?, discount_by = ? WHERE id = ?"_s,
              {toString(discount.kind), discount.value,
               discount.reason.isNull() ? u""_s : discount.reason,
               nullIfEmpty(discount.byCashierId), orderId});
}

bool OrderStore::setLinePrice(const QString &orderId, const QString &lineId, Cents unitPriceCents,
                              const QString &reason)
{
    // The first override keeps the price it replaced; a second keeps the first's.
    return m_db.change(u"UPDATE order_lines SET list_price_cents = COALESCE(list_price_cents, "
                       "unit_price_cents), unit_price_cents = ?, price_reason = ? "
                       "WHERE order_id = ? AND line_id = ?"_s,
                       {unitPriceCents, reason, orderId, lineId}) == 1;
}

namespace {

std::optional<int> returnedVersion(QSqlQuery &query)
{
    std::optional<int> version;
    if (query.next())
        version = query.value(0).toInt();
    query.finish();
    return version;
}

QVariant nullableText(bool write, const QString &text)
{
    return write ? QVariant(text) : QVariant(QMetaType(QMetaType::QString));
}

} // namespace

std::optional<int> OrderStore::transition(QString sql, QVariantList values,
                                          std::optional<int> expectedVersion)
{
    if (expectedVersion) {
        sql += u" AND version = ?"_s;
        values.append(*expectedVersion);
    }
    return returnedVersion(m_db.exec(sql + u" RETURNING version"_s, values));
}

std::optional<int> OrderStore::bumpVersion(const QString &orderId,
                                           std::optional<int> expectedVersion, const QString &now)
{
    return transition(u"UPDATE order_sessions SET version = version + 1, updated_at = ? "
                      "WHERE id = ? AND status = 'active'"_s,
                      {now, orderId}, expectedVersion);
}

std::optional<int> OrderStore::bumpUnpaid(const QString &orderId,
                                          std::optional<int> expectedVersion, const QString &now)
{
    return transition(u"UPDATE order_sessions SET version = version + 1, updated_at = ? "
                      "WHERE id = ? AND status = 'active' AND paid_cents = 0"_s,
                      {now, orderId}, expectedVersion);
}

void OrderStore::markCompleted(const QString &orderId, const QString &now)
{
    m_db.exec(u"UPDATE order_sessions SET status = 'completed', completed_at = ? "
              "WHERE id = ? AND status = 'active'"_s,
              {now, orderId});
}

std::optional<OrderStore::Resumed> OrderStore::resumeParked(const QString &cashierId,
                                                            const QString &now)
{
    // The repeated status term is the partial index's own WHERE clause: SQLite uses a partial
    // index only when the query states its condition, and without it every log-in would scan
    // all the orders the till has ever had (tests/tst_query_plans.cpp).
    QSqlQuery &query = m_db.exec(
        u"UPDATE order_sessions SET status = 'active', version = version + 1, updated_at = ?, "
        "logout_time = NULL WHERE terminal_id = (SELECT terminal_id FROM terminal WHERE id = 1) "
        "AND cashier_id = ? AND status IN ('active', 'pending_logout') "
        "AND status = 'pending_logout' RETURNING id, version"_s,
        {now, cashierId});
    std::optional<Resumed> resumed;
    if (query.next())
        resumed = Resumed{query.value(0).toString(), query.value(1).toInt()};
    query.finish();
    return resumed;
}

std::optional<int> OrderStore::parkForLogout(const QString &orderId, const QString &now)
{
    return returnedVersion(m_db.exec(
        u"UPDATE order_sessions SET status = 'pending_logout', version = version + 1, "
        "updated_at = ?, logout_time = ? WHERE id = ? AND status = 'active' RETURNING version"_s,
        {now, now, orderId}));
}

std::optional<int> OrderStore::completeActive(const QString &orderId,
                                              std::optional<int> expectedVersion,
                                              const QString &now)
{
    return transition(u"UPDATE order_sessions SET status = 'completed', version = version + 1, "
                      "updated_at = ?, completed_at = ? WHERE id = ? AND status = 'active'"_s,
                      {now, now, orderId}, expectedVersion);
}

std::optional<int> OrderStore::assignActiveToTab(const QString &orderId, const QString &tabId,
                                                 std::optional<int> expectedVersion,
                                                 const QString &now)
{
    return transition(u"UPDATE order_sessions SET status = 'assigned', tab_id = ?, "
                      "version = version + 1, updated_at = ? WHERE id = ? AND status = 'active' "
                      "AND paid_cents = 0"_s,
                      {tabId, now, orderId}, expectedVersion);
}

QString OrderStore::setReceipt(const QString &orderId, const QString &receiptNo)
{
    return m_db
        .scalar(u"UPDATE order_sessions SET receipt_no = ? WHERE id = ? RETURNING cashier_id"_s,
                {receiptNo, orderId})
        .toString();
}

void OrderStore::writeState(const QString &orderId, const State &state)
{
    const bool parked = state.status == OrderStatus::PendingLogout;
    const bool completed = state.status == OrderStatus::Completed;
    m_db.exec(u"UPDATE order_sessions SET version = ?, line_seq = COALESCE(?, line_seq), "
              "status = ?, tab_id = ?, receipt_no = ?, updated_at = ?, logout_time = ?, "
              "completed_at = ? WHERE id = ?"_s,
              {state.version,
               state.lineSeq ? QVariant(*state.lineSeq) : QVariant(QMetaType(QMetaType::Int)),
               toString(state.status), nullIfEmpty(state.tabId), nullIfEmpty(state.receiptNo),
               state.updatedAt, nullableText(parked, state.logoutTime),
               nullableText(completed, state.completedAt), orderId});
}

Cents OrderStore::tabTotal(const QString &tabId, Cents *paidCents)
{
    return taxesOf(u"tab_id"_s, tabId, nullptr, paidCents).totalCents;
}

Cents OrderStore::orderTotal(const QString &orderId, int *lineCount, Cents *paidCents)
{
    return taxesOf(u"order_id"_s, orderId, lineCount, paidCents).totalCents;
}

QString OrderStore::lockOpenTabByKey(const QString &nameKey)
{
    return m_db
        .scalar(u"UPDATE tabs SET version = version + 1 WHERE name_key = ? AND status = 'open' "
                "RETURNING id"_s,
                {nameKey})
        .toString();
}

std::optional<int> OrderStore::bumpOpenTab(const QString &tabId, std::optional<int> expectedVersion)
{
    return transition(u"UPDATE tabs SET version = version + 1 WHERE id = ? AND status = 'open'"_s,
                      {tabId}, expectedVersion);
}

void OrderStore::markTabSettled(const QString &tabId, const QString &settledAt,
                                const QString &receiptNo)
{
    m_db.exec(u"UPDATE tabs SET status = 'settled', settled_at = ?, receipt_no = ? "
              "WHERE id = ? AND status = 'open'"_s,
              {settledAt, receiptNo, tabId});
}

bool OrderStore::tabHasOrders(const QString &tabId)
{
    return !m_db.scalar(u"SELECT 1 FROM order_sessions WHERE tab_id = ? LIMIT 1"_s, {tabId})
                .isNull();
}

bool OrderStore::lockOpenTab(const QString &tabId, const QString &terminalId)
{
    return !m_db.scalar(u"UPDATE tabs SET version = version + 1 WHERE id = ? AND status = 'open' "
                        "AND terminal_id = ? RETURNING id"_s,
                        {tabId, terminalId})
                .isNull();
}

std::optional<int> OrderStore::settleOpenTab(const QString &tabId,
                                             std::optional<int> expectedVersion,
                                             const QString &settledAt, const QString &receiptNo)
{
    return transition(u"UPDATE tabs SET status = 'settled', version = version + 1, "
                      "settled_at = ?, receipt_no = ? WHERE id = ? AND status = 'open'"_s,
                      {settledAt, receiptNo, tabId}, expectedVersion);
}

QList<OrderStore::ClosedOrder> OrderStore::completeTabOrders(const QString &tabId,
                                                             const QString &completedAt)
{
    QSqlQuery &query = m_db.exec(
        u"UPDATE order_sessions SET status = 'completed', version = version + 1, updated_at = ?, "
        "completed_at = ? WHERE tab_id = ? AND status = 'assigned' "
        "RETURNING id, cashier_id, version"_s,
        {completedAt, completedAt, tabId});
    QList<ClosedOrder> closed;
    while (query.next())
        closed.append(
            {query.value(0).toString(), query.value(1).toString(), query.value(2).toInt()});
    query.finish();
    return closed;
}

QString allocateReceiptNumber(Database &database)
{
    QSqlQuery &query = database.exec(u"UPDATE terminal SET next_receipt_seq = next_receipt_seq + 1 "
                                     "WHERE id = 1 RETURNING receipt_prefix, next_receipt_seq"_s);
    if (!query.next()) {
        query.finish();
        throw SqlFailure(QSqlError(u"terminal row missing"_s, {}, QSqlError::StatementError),
                         u"allocateReceiptNumber"_s);
    }
    const QString prefix = query.value(0).toString();
    const qint64 sequence = query.value(1).toLongLong() - 1;
    query.finish();
    return u"%1-%2"_s.arg(prefix).arg(sequence, 6, 10, QLatin1Char('0'));
}

} // namespace SafeTill

namespace SafeTill {

void OrderStore::insertRefund(const Refund &refund)
{
    m_db.exec(u"INSERT INTO refunds (id, kind, receipt_no, original_receipt_no, method, label, "
              "amount_cents, reason, cashier_id, approved_by, terminal_id, shift_id, refunded_at, "
              "rounding_cents, original_terminal_id) "
              "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"_s,
              {refund.id, toString(refund.kind), refund.receiptNo, refund.originalReceiptNo,
               toString(refund.method), refund.label.isNull() ? u""_s : refund.label,
               refund.amountCents, refund.reason.isNull() ? u""_s : refund.reason, refund.cashierId,
               nullIfEmpty(refund.approvedBy), refund.terminalId, nullIfEmpty(refund.shiftId),
               toStorageTime(refund.refundedAt), refund.roundingCents,
               nullIfEmpty(refund.originalTerminalId)});
    for (const RefundLine &line : refund.lines)
        m_db.exec(u"INSERT INTO refund_lines (refund_id, line_id, order_id, quantity, "
                  "amount_cents, tax_code, tax_cents, excess) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"_s,
                  {refund.id, line.lineId, line.orderId, line.quantity, line.amountCents,
                   line.taxCode.isNull() ? u""_s : line.taxCode, line.taxCents,
                   line.excess ? 1 : 0});
}

std::optional<int> OrderStore::takeRefundable(const QString &lineId, int quantity)
{
    QSqlQuery &query =
        m_db.exec(u"UPDATE order_lines SET refunded_qty = refunded_qty + ? "
                  "WHERE line_id = ? AND refunded_qty + refunded_elsewhere_qty + ? <= quantity "
                  "RETURNING refunded_qty + refunded_elsewhere_qty"_s,
                  {quantity, lineId, quantity});
    std::optional<int> after;
    if (query.next())
        after = query.value(0).toInt();
    query.finish();
    return after;
}

QHash<QString, int> OrderStore::refundedQuantities(const QString &orderId)
{
    QSqlQuery &query = m_db.exec(u"SELECT line_id, refunded_qty + refunded_elsewhere_qty "
                                 "FROM order_lines WHERE order_id = ?"_s,
                                 {orderId});
    QHash<QString, int> quantities;
    while (query.next())
        quantities.insert(query.value(0).toString(), query.value(1).toInt());
    query.finish();
    return quantities;
}

void OrderStore::storeRefundedElsewhere(const QHash<QString, int> &quantities)
{
    QStringList stale;
    {
        QSqlQuery &query =
            m_db.exec(u"SELECT line_id FROM order_lines WHERE refunded_elsewhere_qty > 0"_s);
        while (query.next()) {
            if (!quantities.contains(query.value(0).toString()))
                stale.append(query.value(0).toString());
        }
        query.finish();
    }
    for (const QString &lineId : std::as_const(stale))
        m_db.exec(u"UPDATE order_lines SET refunded_elsewhere_qty = 0 WHERE line_id = ?"_s,
                  {lineId});
    for (auto it = quantities.constBegin(); it != quantities.constEnd(); ++it)
        m_db.exec(u"UPDATE order_lines SET refunded_elsewhere_qty = ? WHERE line_id = ? AND "
                  "refunded_elsewhere_qty <> ?"_s,
                  {it.value(), it.key(), it.value()});
}

QList<Refund> OrderStore::refunds(const QString &where, const QVariantList &values)
{
    // `where` is one of two fixed conditions, never input.
    QSqlQuery &query = m_db.exec(
        u"SELECT r.id, r.kind, r.receipt_no, r.original_receipt_no, r.method, r.label, "
        "r.amount_cents, r.reason, r.cashier_id, r.approved_by, r.terminal_id, r.shift_id, "
        "r.refunded_at, c.name, a.name, r.rounding_cents, r.original_terminal_id FROM refunds r "
        "LEFT JOIN cashiers c ON c.id = r.cashier_id LEFT JOIN cashiers a ON a.id = r.approved_by "
        "WHERE %1 ORDER BY r.refunded_at, r.receipt_no"_s.arg(where),
        values);
    QList<Refund> result;
    while (query.next()) {
        Refund refund;
        refund.id = query.value(0).toString();
        refund.kind = refundKindFromString(query.value(1).toString()).value_or(RefundKind::Refund);
        refund.receiptNo = query.value(2).toString();
        refund.originalReceiptNo = query.value(3).toString();
        refund.method =
            paymentMethodFromString(query.value(4).toString()).value_or(PaymentMethod::Cash);
        refund.label = query.value(5).toString();
        refund.amountCents = query.value(6).toLongLong();
        refund.reason = query.value(7).toString();
        refund.cashierId = query.value(8).toString();
        refund.approvedBy = query.value(9).toString();
        refund.terminalId = query.value(10).toString();
        refund.shiftId = query.value(11).toString();
        refund.refundedAt = fromStorageTime(query.value(12).toString());
        refund.cashierName = query.value(13).toString();
        refund.approverName = query.value(14).toString();
        refund.roundingCents = query.value(15).toLongLong();
        refund.originalTerminalId = query.value(16).toString();
        result.append(refund);
    }
    query.finish();
    for (Refund &refund : result) {
        QSqlQuery &lines = m_db.exec(
            u"SELECT rl.line_id, rl.order_id, l.line_no, l.name, rl.quantity, rl.amount_cents, "
            "rl.tax_code, rl.tax_cents, rl.excess FROM refund_lines rl "
            "JOIN order_lines l ON l.line_id = rl.line_id WHERE rl.refund_id = ? "
            "ORDER BY rl.order_id, l.line_no, rl.excess"_s,
            {refund.id});
        while (lines.next())
            refund.lines.append({lines.value(0).toString(), lines.value(1).toString(),
                                 lines.value(2).toInt(), lines.value(3).toString(),
                                 lines.value(4).toInt(), lines.value(5).toLongLong(),
                                 lines.value(6).toString(), lines.value(7).toLongLong(),
                                 lines.value(8).toInt() != 0});
        lines.finish();
    }
    return result;
}

QList<Refund> OrderStore::refundsOf(const QString &originalReceiptNo)
{
    return refunds(u"r.original_receipt_no = ?"_s, {originalReceiptNo});
}

std::optional<Refund> OrderStore::loadRefund(const QString &receiptNo)
{
    const QList<Refund> found = refunds(u"r.receipt_no = ?"_s, {receiptNo});
    if (found.isEmpty())
        return std::nullopt;
    return found.front();
}

std::optional<OrderStore::Sale> OrderStore::saleOfReceipt(const QString &receiptNo)
{
    QSqlQuery &query = m_db.exec(u"SELECT order_id, tab_id, shift_id, terminal_id FROM payments "
                                 "WHERE receipt_no = ? AND kind = 'sale'"_s,
                                 {receiptNo});
    std::optional<Sale> sale;
    if (query.next())
        sale = Sale{query.value(0).toString(), query.value(1).toString(), query.value(2).toString(),
                    query.value(3).toString()};
    query.finish();
    return sale;
}

} // namespace SafeTill

namespace SafeTill {

void OrderStore::lockSaleLines(const Sale &sale)
{
    if (m_db.dialect() != SqlDialect::Postgres)
        return;
    QSqlQuery &query =
        m_db.exec(u"SELECT l.line_id FROM order_lines l JOIN order_sessions o ON o.id = l.order_id "
                  "WHERE o.id = ? OR o.tab_id = ? ORDER BY l.line_id FOR UPDATE OF l"_s,
                  {nullIfEmpty(sale.orderId), nullIfEmpty(sale.tabId)});
    while (query.next()) {
    }
    query.finish();
}

} // namespace SafeTill
