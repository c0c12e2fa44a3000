#include "OrderService.h"

#include "Clock.h"
#include "Database.h"
#include "Json.h"
#include "ShopSettings.h"
#include "Tax.h"
#include "Tender.h"
#include "Validation.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QMap>
#include <QUuid>

using namespace Qt::StringLiterals;

namespace SafeTill {

namespace {

// The sentences a person reads, in the translations' context "SafeTill::OrderService".
struct Text
{
    Q_DECLARE_TR_FUNCTIONS(SafeTill::OrderService)
};

// A new line as an action adds it (number, id and tax filled in by OrderStore).
OrderLine lineOf(const QString &sku, const QString &name, Cents unitPriceCents, int quantity)
{
    OrderLine line;
    line.sku = sku;
    line.name = name;
    line.unitPriceCents = unitPriceCents;
    line.quantity = quantity;
    return line;
}

// One row of a batched PostgreSQL write function (safetill_add_items, safetill_replace_items):
// the outcome of the request at that ordinal.
struct FunctionRow
{
    QString outcome;
    QString orderId;
    QString detail;
    QByteArray result;
};

// Calls such a function (sql selects ordinal, outcome, order_id, detail, result, ordered by
// ordinal) and reads its rows; an error unless there is exactly one row per request sent.
Result<QList<FunctionRow>> callBatchFunction(Database &db, const QString &sql,
                                             const QVariantList &values, qsizetype sent,
                                             const QString &what)
{
    // SqlRows: a connection lost after the rows but before the commit is a failure, not the end.
    SqlRows &call = db.query(sql, values);
    QList<FunctionRow> rows;
    while (call.next()) {
        rows.append(FunctionRow{call.text(1), call.text(2), call.text(3), call.text(4).toUtf8()});
    }
    call.finish();
    if (rows.size() != sent) {
        return Result<QList<FunctionRow>>::failure(
            Outcome::Error,
            Text::tr("The database answered %1 of %2 %3.").arg(rows.size()).arg(sent).arg(what));
    }
    return Result<QList<FunctionRow>>::ok(rows);
}

QString firstProblem(std::initializer_list<QString> problems)
{
    for (const QString &problem : problems) {
        if (!problem.isEmpty())
            return problem;
    }
    return {};
}

QJsonObject targetParameters(const OrderTarget &target)
{
    return target.isById() ? QJsonObject{{u"order_id"_s, target.orderId()}}
                           : QJsonObject{{u"cashier_id"_s, target.cashierId()}};
}

QJsonObject withTarget(QJsonObject parameters, const OrderTarget &target)
{
    const QJsonObject targetPart = targetParameters(target);
    for (auto it = targetPart.begin(); it != targetPart.end(); ++it)
        parameters.insert(it.key(), it.value());
    return parameters;
}

// An item's members as request fingerprints and the PostgreSQL functions read them: a catalog
// item's SKU and quantity (with an open-price product's entered price), an open item's name,
// price and quantity. In Qt's (sorted) key order, so a fingerprinted object whose other keys sort
// before "name" (such as "cashier_id") has QJsonDocument's bytes (tst_orderservice compares).
void appendItemMembers(CompactObjectWriter &json, const ItemSpec &item)
{
    if (item.sku.isEmpty()) {
        json.text("name", item.name);
        json.integer("qty", item.quantity);
        json.integer("unit_price_cents", item.unitPriceCents.value_or(0));
        return;
    }
    json.integer("qty", item.quantity);
    json.text("sku", item.sku);
    if (item.unitPriceCents)
        json.integer("unit_price_cents", *item.unitPriceCents);
}

void appendItemsJson(QByteArray &out, const QList<ItemSpec> &items)
{
    out += '[';
    for (qsizetype i = 0; i < items.size(); ++i) {
        if (i > 0)
            out += ',';
        CompactObjectWriter json(out);
        appendItemMembers(json, items.at(i));
    }
    out += ']';
}

// The same items as a QJsonArray, for the parameters journaled on the owner's path.
QJsonArray itemsJsonOf(const QList<ItemSpec> &items)
{
    QByteArray json;
    appendItemsJson(json, items);
    return QJsonDocument::fromJson(json).array();
}

// JSON null when the caller saw no version. (QJsonValue::fromVariant turns a null int QVariant
// into 0, which would fingerprint and sync as "expected version 0".)
QJsonValue versionOrNull(std::optional<int> version)
{
    return version ? QJsonValue(*version) : QJsonValue(QJsonValue::Null);
}

QString noOpenOrderMessage()
{
    return Text::tr("This cashier has no open order.");
}

// Why a whole-list replace is refused: the line numbered `lineNo` has a discount or a changed
// price (the same words from OrderStore's path and the PostgreSQL function's).
QString replaceDropsDiscountMessage(const QString &lineNo)
{
    return Text::tr(
               "Line %1 has a discount or a changed price, which replacing every line would drop; "
               "remove it first, or change the lines one by one.")
        .arg(lineNo);
}

// Why a catalog product's add is refused: sold at an open price and no price was entered, or a
// price was given for a fixed-price product (the same words from the C++ paths and the
// PostgreSQL functions', which name the SKU).
QString openPriceNeededMessage(const QString &sku)
{
    return Text::tr("SKU %1 is sold at an open price: enter its price.").arg(sku);
}

QString fixedPriceMessage(const QString &sku)
{
    return Text::tr("SKU %1 has a fixed price; charging another price is a price override, "
                    "which needs a manager.")
        .arg(sku);
}

// The refusal, if any, of a catalog product's price: open-price products need one, fixed-price
// products take none.
QString catalogPriceProblem(const QString &sku, bool openPrice, std::optional<Cents> entered)
{
    if (openPrice && !entered)
        return openPriceNeededMessage(sku);
    if (!openPrice && entered)
        return fixedPriceMessage(sku);
    return {};
}

QString newId()
{
    return QUuid::createUuid().toString(QUuid::WithoutBraces);
}

} // namespace

OrderService::OrderService(Database &database, const Clock &clock, SyncSide side)
    : m_db(database)
    , m_clock(clock)
    , m_store(database)
    , m_journal(database, clock, side)
    , m_cashiers(database, clock)
    , m_approvals(m_cashiers)
{}

template<typename Perform>
Result<Order> OrderService::journaled(const QString &action, const QString &requestId,
                                      const QJsonObject &parameters, Perform &&perform)
{
    if (const QString problem = checkRequestId(requestId); !problem.isEmpty())
        return Result<Order>::invalidInput(problem);
    return m_db.write([&] {
        m_changes = QJsonArray();
        m_approvedBy.clear();
        return m_journal.run<Order>(action, requestId, parameters, perform);
    });
}

Result<QString> OrderService::resolve(const OrderTarget &target)
{
    if (target.isById())
        return Result<QString>::ok(target.orderId());
    if (!m_store.cashierExists(target.cashierId()))
        return Result<QString>::notFound(
            Text::tr("There is no cashier %1.").arg(target.cashierId()));
    if (std::optional<QString> orderId = m_store.openOrderIdOf(target.cashierId()))
        return Result<QString>::ok(*orderId);
    return Result<QString>::notFound(noOpenOrderMessage());
}

Result<Order> OrderService::refusal(const OrderTarget &target, const QString &orderId,
                                    std::optional<int> expectedVersion)
{
    if (!target.isById()) {
        // On PostgreSQL (READ COMMITTED) the cashier's open order was looked up before a
        // concurrent transaction closed it, and the update then saw that commit. Answer as if this
        // action had run after the other one, as SQLite's serialised transactions do: the cashier
        // has no open order any more (the API's 404), not "this order is already paid".
        if (const Result<QString> current = resolve(target); !current)
            return Result<Order>::from(current);
    }
    return m_store.refusal(orderId, expectedVersion);
}

std::optional<int> OrderService::bump(const QString &orderId, std::optional<int> expectedVersion)
{
    // An edit of the items or discounts: never once money was taken on the order.
    return m_store.bumpUnpaid(orderId, expectedVersion, toStorageTime(m_clock.now()));
}

Result<Order> OrderService::finish(const QString &action, const QString &requestId,
                                   const QString &orderId, std::optional<OrderStatus> from,
                                   std::optional<int> fromVersion, const QString &detail,
                                   QJsonObject payload, const QString &outboxRequestId)
{
    std::optional<Order> order = m_store.load(orderId);
    if (!order)
        return Result<Order>::notFound(Text::tr("There is no order %1.").arg(orderId));
    m_journal.appendHistory(HistoryEntry{0,
                                         orderId,
                                         {},
                                         order->cashierId,
                                         action,
                                         fromVersion,
                                         order->version,
                                         from ? toString(*from) : QString(),
                                         toString(order->status),
                                         detail,
                                         requestId,
                                         m_approvedBy});
    m_approvedBy.clear();
    payload.insert(u"order_id"_s, orderId);
    payload.insert(u"cashier_id"_s, order->cashierId);
    payload.insert(u"version"_s, order->version);
    payload.insert(u"status"_s, toString(order->status));
    // Sync ops are state-based (docs/sync-protocol.md): the server replaces its copy of the order
    // with this state, but only if its copy is still at the version this action started from.
    payload.insert(u"base_version"_s, versionOrNull(fromVersion));
    // Protocol 2: what this action did to the lines, as deltas by line id (so the server merges
    // them with edits made elsewhere). A payment taken is in the state (order.payment).
    payload.insert(u"changes"_s, m_changes);
    m_changes = QJsonArray();
    payload.remove(u"order"_s); // written below
    // The member "order": the order's state as a sync op carries it (docs/sync-protocol.md 5.1,
    // toSyncJson), what the server reads without the names, totals and server-side members of the
    // API's shape, so an op (which every action writes, with all its lines) is not larger than it
    // needs to be; written straight to compact JSON.
    m_journal.appendOutbox(outboxRequestId.isEmpty() ? requestId : outboxRequestId, action, orderId,
                           order->tabId, payload, toCompactSyncJson(*order));
    return Result<Order>::ok(std::move(*order));
}

Result<Order> OrderService::openOrResumeInTransaction(const QString &cashierId,
                                                      const QString &historyRequestId,
                                                      const QString &outboxRequestId)
{
    if (!m_store.cashierExists(cashierId))
        return Result<Order>::notFound(Text::tr("There is no cashier %1.").arg(cashierId));
    const QString now = toStorageTime(m_clock.now());

    if (const std::optional<OrderStore::Resumed> resumed = m_store.resumeParked(cashierId, now)) {
        return finish(u"resume"_s, historyRequestId, resumed->orderId, OrderStatus::PendingLogout,
                      resumed->version - 1, u"resumed after log-out"_s, {}, outboxRequestId);
    }

    if (std::optional<QString> active = m_store.openOrderIdOf(cashierId)) {
        if (std::optional<Order> order = m_store.load(*active))
            return Result<Order>::ok(*order); // already open: nothing changes
    }

    // The partial unique index allows one open order per cashier on each terminal. ON CONFLICT
    // DO NOTHING lets a racing opener on PostgreSQL fall through to the order the other one made.
    const QString orderId = newId();
    const int inserted = m_store.insertOrder(orderId, cashierId, m_store.terminalId(), 1, now);
    if (inserted == 0) {
        if (std::optional<QString> other = m_store.openOrderIdOf(cashierId)) {
            if (std::optional<Order> order = m_store.load(*other))
                return Result<Order>::ok(*order);
        }
        return Result<Order>::failure(
            Outcome::Conflict, Text::tr("Another till opened an order at the same moment; please "
                                        "try again."));
    }
    // A new order has no previous status; its history starts here.
    return finish(u"open"_s, historyRequestId, orderId, std::nullopt, std::nullopt, u"opened"_s, {},
                  outboxRequestId);
}

Result<Order> OrderService::openOrResume(const QString &cashierId, const QString &requestId,
                                         const QJsonObject &bound)
{
    QJsonObject parameters = bound;
    parameters.insert(u"cashier_id"_s, cashierId);
    return journaled(u"open"_s, requestId, parameters,
                     [&] { return openOrResumeInTransaction(cashierId, requestId, requestId); });
}

Result<Order> OrderService::lineEdit(const OrderTarget &target, const QString &action,
                                     const QString &requestId, QJsonObject parameters,
                                     const std::function<Result<QString>(const QString &)> &edit,
                                     std::optional<int> expectedVersion)
{
    if (expectedVersion)
        parameters.insert(u"expected_version"_s, *expectedVersion);
    const QJsonObject fingerprinted = withTarget(parameters, target);
    return journaled(action, requestId, fingerprinted, [&]() -> Result<Order> {
        const Result<QString> orderId = resolve(target);
        if (!orderId)
            return Result<Order>::from(orderId);
        const std::optional<int> version = bump(*orderId, expectedVersion);
        if (!version)
            return refusal(target, *orderId, expectedVersion);
        const Result<QString> detail = edit(*orderId);
        if (!detail)
            return Result<Order>::from(detail);
        return finish(action, requestId, *orderId, OrderStatus::Active, *version - 1, *detail,
                      parameters);
    });
}

Result<Order> OrderService::addProduct(const OrderTarget &target, const QString &sku, int quantity,
                                       const QString &requestId,
                                       std::optional<Cents> enteredPriceCents)
{
    if (const QString problem =
            firstProblem({checkSku(sku), checkQuantity(quantity),
                          enteredPriceCents ? checkPrice(*enteredPriceCents) : QString()});
        !problem.isEmpty())
        return Result<Order>::invalidInput(problem);
    QJsonObject parameters{{u"sku"_s, sku}, {u"qty"_s, quantity}};
    if (enteredPriceCents) // only then, so the fingerprints of fixed-price adds stay as they were
        parameters.insert(u"unit_price_cents"_s, *enteredPriceCents);

    return journaled(
        u"add_item"_s, requestId, withTarget(parameters, target), [&]() -> Result<Order> {
            // By cashier, adding to "no order" opens one (or resumes a parked one) in the same
            // transaction; its outbox row gets a request id of its own, derived from this one.
            OrderTarget effective = target;
            if (!target.isById()) {
                const Result<Order> opened = openOrResumeInTransaction(
                    target.cashierId(), requestId, requestId + u":open"_s);
                if (!opened)
                    return opened;
                effective = OrderTarget::byId(opened->id);
            }
            const Result<QString> orderId = resolve(effective);
            if (!orderId)
                return Result<Order>::from(orderId);
            const std::optional<int> version = bump(*orderId, std::nullopt);
            if (!version)
                return m_store.refusal(*orderId, std::nullopt);

            // Database::query(): the statements every add runs, on SQLite's own API.
            // A retired product (the back office) is no longer sold; its old receipts keep it.
            SqlRows &product = m_db.query(u"SELECT name, price_cents, open_price FROM products "
                                          "WHERE sku = ? AND retired_at IS NULL"_s,
                                          {sku});
            if (!product.next()) {
                product.finish();
                return Result<Order>::notFound(
                    Text::tr("There is no product with SKU %1.").arg(sku));
            }
            const QString name = product.text(0);
            const Cents catalogPrice = product.integer(1);
            const bool openPrice = product.integer(2) != 0;
            product.finish();
            if (const QString problem = catalogPriceProblem(sku, openPrice, enteredPriceCents);
                !problem.isEmpty())
                return Result<Order>::invalidInput(problem);
            // The price the cashier entered is the line's own price, not an override of the
            // catalog's (no list price, no reason, no manager).
            const Cents price = enteredPriceCents.value_or(catalogPrice);

            // An open-price product joins only a line of the same price: two prices, two lines.
            SqlRows &existing =
                openPrice ? m_db.query(u"SELECT line_no, quantity, line_id FROM order_lines "
                                       u"WHERE order_id = ? AND sku = ? AND unit_price_cents = ? "
                                       "ORDER BY line_no LIMIT 1"_s,
                                       {*orderId, sku, price})
                          : m_db.query(u"SELECT line_no, quantity, line_id FROM order_lines "
                                       u"WHERE order_id = ? AND sku = ? "
                                       "ORDER BY line_no LIMIT 1"_s,
                                       {*orderId, sku});
            struct Existing
            {
                int lineNo;
                int quantity;
                QString lineId;
            };
            std::optional<Existing> line;
            if (existing.next())
                line =
                    Existing{int(existing.integer(0)), int(existing.integer(1)), existing.text(2)};
            existing.finish();

            QString detail;
            if (line) {
                if (line->quantity + quantity > Limits::maxQuantity) {
                    return Result<Order>::invalidInput(
                        Text::tr("A line can hold at most %1 items.").arg(Limits::maxQuantity));
                }
                m_store.addToLine(*orderId, line->lineId, quantity);
                noteAdjust(line->lineId, quantity);
                detail = u"line %1: %2 +%3"_s.arg(line->lineNo).arg(sku).arg(quantity);
            } else {
                SqlRows &count = m_db.query(
                    u"SELECT COUNT(*) FROM order_lines WHERE order_id = ?"_s, {*orderId});
                const int lineCount = count.next() ? int(count.integer(0)) : 0;
                count.finish();
                if (lineCount >= Limits::maxLinesPerOrder) {
                    return Result<Order>::invalidInput(
                        Text::tr("An order can have at most %1 lines.")
                            .arg(Limits::maxLinesPerOrder));
                }
                const OrderLine added = m_store.insertLine(
                    *orderId, m_store.withCurrentTax(lineOf(sku, name, price, quantity)));
                noteAdd(added);
                detail = u"line %1: %2 x%3"_s.arg(added.lineNo).arg(sku).arg(quantity);
            }
            QJsonObject payload = parameters;
            payload.insert(u"name"_s, name);
            payload.insert(u"unit_price_cents"_s, price);
            return finish(u"add_item"_s, requestId, *orderId, OrderStatus::Active, *version - 1,
                          detail, payload);
        });
}

Result<Order> OrderService::addOpenPriceItem(const OrderTarget &target, const QString &name,
                                             Cents unitPriceCents, int quantity,
                                             const QString &requestId)
{
    const QString normalized = normalizedName(name);
    if (const QString problem = firstProblem(
            {checkName(normalized, Text::tr("An item's name"), Limits::maxProductNameLength),
             checkPrice(unitPriceCents), checkQuantity(quantity)});
        !problem.isEmpty())
        return Result<Order>::invalidInput(problem);
    return lineEdit(
        target, u"add_open_item"_s, requestId,
        {{u"name"_s, normalized}, {u"unit_price_cents"_s, unitPriceCents}, {u"qty"_s, quantity}},
        [&](const QString &orderId) -> Result<QString> {
            const int lineCount =
                m_db.scalar(u"SELECT COUNT(*) FROM order_lines WHERE order_id = ?"_s, {orderId})
                    .toInt();
            if (lineCount >= Limits::maxLinesPerOrder) {
                return Result<QString>::invalidInput(
                    Text::tr("An order can have at most %1 lines.").arg(Limits::maxLinesPerOrder));
            }
            const OrderLine added = m_store.insertLine(
                orderId, m_store.withCurrentTax(lineOf({}, normalized, unitPriceCents, quantity)));
            noteAdd(added);
            return Result<QString>::ok(u"line %1: %2 x%3 at %4"_s.arg(added.lineNo)
                                           .arg(normalized)
                                           .arg(quantity)
                                           .arg(unitPriceCents));
        });
}

bool OrderService::addsInDatabase() const
{
    return m_db.dialect() == SqlDialect::Postgres && m_journal.side() == SyncSide::Server;
}

Result<Order> OrderService::addToActiveOrder(const QString &cashierId, const ItemSpec &item,
                                             const QString &requestId)
{
    if (addsInDatabase())
        return addToActiveOrdersInDatabase({{cashierId, item, requestId}}).constFirst();
    // A request id seen before goes to the order it was first applied to, so its replay is found
    // even when that order is no longer active. Otherwise the add is conditional on the order
    // still being active when it runs (a parked or completed one is refused).
    const Result<QString> orderId = m_db.read([&]() -> Result<QString> {
        if (const std::optional<ActionJournal::StoredResult> stored = m_journal.find(requestId)) {
            if (const QString id = stored->result.value(u"id"_s).toString(); !id.isEmpty())
                return Result<QString>::ok(id);
        }
        if (std::optional<QString> open = m_store.openOrderIdOf(cashierId))
            return Result<QString>::ok(*open);
        return Result<QString>::failure(Outcome::InvalidState, noOpenOrderMessage());
    });
    if (!orderId)
        return Result<Order>::from(orderId);
    if (item.sku.isEmpty()) {
        return addOpenPriceItem(OrderTarget::byId(*orderId), item.name,
                                item.unitPriceCents.value_or(-1), item.quantity, requestId);
    }
    return addProduct(OrderTarget::byId(*orderId), item.sku, item.quantity, requestId,
                      item.unitPriceCents);
}

QList<Result<Order>> OrderService::addToActiveOrders(const QList<ActiveOrderAdd> &adds)
{
    if (addsInDatabase())
        return addToActiveOrdersInDatabase(adds);
    QList<Result<Order>> results;
    results.reserve(adds.size());
    for (const ActiveOrderAdd &add : adds)
        results.append(addToActiveOrder(add.cashierId, add.item, add.requestId));
    return results;
}

QList<Result<Order>> OrderService::addToActiveOrdersInDatabase(const QList<ActiveOrderAdd> &adds)
{
    // The same checks, in the same order, as addProduct()/addOpenPriceItem(); the function does
    // the rest (see its migration for why it exists).
    std::vector<std::optional<Result<Order>>> results(size_t(adds.size()));
    // The requests as the function reads them, written directly (no QJsonObject per request),
    // with the fingerprint of what addProduct()/addOpenPriceItem() journal (the item's members,
    // for the cashier), keys sorted as Qt writes them.
    QByteArray requests = "[";
    QList<qsizetype> sent; // the index in adds of each request
    for (qsizetype i = 0; i < adds.size(); ++i) {
        const ActiveOrderAdd &add = adds.at(i);
        const ItemSpec &item = add.item;
        const bool fromCatalog = !item.sku.isEmpty();
        const QString name = fromCatalog ? QString() : normalizedName(item.name);
        const Cents price = item.unitPriceCents.value_or(-1);
        const QString problem = firstProblem(
            {fromCatalog
                 ? checkSku(item.sku)
                 : checkName(name, Text::tr("An item's name"), Limits::maxProductNameLength),
             fromCatalog ? QString() : checkPrice(price), checkQuantity(item.quantity),
             fromCatalog && item.unitPriceCents ? checkPrice(*item.unitPriceCents) : QString(),
             checkRequestId(add.requestId)});
        if (!problem.isEmpty()) {
            results[size_t(i)] = Result<Order>::invalidInput(problem);
            continue;
        }
        const QString action = fromCatalog ? u"add_item"_s : u"add_open_item"_s;
        // A catalog item's SKU and quantity (and an open-price product's entered price); an open
        // item's name, price and quantity.
        const ItemSpec fingerprinted =
            fromCatalog ? ItemSpec{item.sku, {}, item.unitPriceCents, item.quantity}
                        : ItemSpec{{}, name, price, item.quantity};
        QByteArray parameters;
        {
            CompactObjectWriter json(parameters); // withTarget(), by cashier
            json.text("cashier_id", add.cashierId);
            appendItemMembers(json, fingerprinted);
        }
        if (!sent.isEmpty())
            requests += ',';
        {
            CompactObjectWriter json(requests); // the function reads its members by name
            json.text("action", action);
            json.text("cashier_id", add.cashierId);
            json.text("fingerprint", ActionJournal::fingerprintOfCompact(action, parameters));
            json.text("request_id", add.requestId);
            appendItemMembers(json, fingerprinted);
        }
        sent.append(i);
    }

    requests += ']';

    if (!sent.isEmpty()) {
        const QString payload = QString::fromUtf8(requests);
        // Atomic: the function writes nothing for an add unless all its checks passed, and a
        // refusal below only reads.
        const Result<QList<Result<Order>>> done =
            m_db.writeAtomic([&]() -> Result<QList<Result<Order>>> {
                const Result<QList<FunctionRow>> rows =
                    callBatchFunction(m_db,
                                      u"SELECT ordinal, outcome, order_id, detail, result "
                                      "FROM safetill_add_items(?, ?, ?, ?) ORDER BY ordinal"_s,
                                      {payload, toStorageTime(m_clock.now()), Limits::maxQuantity,
                                       Limits::maxLinesPerOrder},
                                      sent.size(), u"item adds"_s);
                if (!rows)
                    return Result<QList<Result<Order>>>::from(rows);
                QList<Result<Order>> answers;
                for (qsizetype k = 0; k < rows->size(); ++k) {
                    const FunctionRow &row = rows->at(k);
                    const ActiveOrderAdd &add = adds.at(sent.at(k));
                    answers.append(
                        addOutcome(add, row.outcome, row.orderId, row.detail, row.result));
                }
                return Result<QList<Result<Order>>>::ok(answers);
            });
        for (qsizetype k = 0; k < sent.size(); ++k) {
            results[size_t(sent.at(k))] = done ? done->at(k) : Result<Order>::from(done);
        }
    }

    QList<Result<Order>> answers;
    answers.reserve(adds.size());
    for (std::optional<Result<Order>> &result : results)
        answers.append(std::move(*result));
    return answers;
}

Result<Order> OrderService::addOutcome(const ActiveOrderAdd &add, const QString &outcome,
                                       const QString &orderId, const QString &detail,
                                       const QByteArray &result)
{
    if (outcome == u"ok"_s || outcome == u"replay"_s) {
        std::optional<Order> order = orderFromJsonText(result);
        if (!order) {
            return Result<Order>::failure(
                Outcome::Error, Text::tr("The result of this request is unreadable; nothing "
                                         "was changed."));
        }
        return outcome == u"ok"_s ? Result<Order>::ok(std::move(*order))
                                  : Result<Order>::replay(std::move(*order));
    }
    if (outcome == u"reused"_s)
        return Result<Order>::invalidInput(
            ActionJournal::reusedRequestIdMessage(add.requestId, detail));
    if (outcome == u"no_order"_s)
        return Result<Order>::failure(Outcome::InvalidState, noOpenOrderMessage());
    if (outcome == u"refused"_s)
        return m_store.refusal(orderId, std::nullopt);
    if (outcome == u"unknown_sku"_s)
        return Result<Order>::notFound(
            Text::tr("There is no product with SKU %1.").arg(add.item.sku));
    if (outcome == u"price_needed"_s)
        return Result<Order>::invalidInput(openPriceNeededMessage(add.item.sku));
    if (outcome == u"fixed_price"_s)
        return Result<Order>::invalidInput(fixedPriceMessage(add.item.sku));
    if (outcome == u"line_full"_s)
        return Result<Order>::invalidInput(
            Text::tr("A line can hold at most %1 items.").arg(Limits::maxQuantity));
    if (outcome == u"order_full"_s)
        return Result<Order>::invalidInput(
            Text::tr("An order can have at most %1 lines.").arg(Limits::maxLinesPerOrder));
    return Result<Order>::failure(
        Outcome::Error,
        Text::tr("The database answered an item add with \u201c%1\u201d.").arg(outcome));
}

Result<Order> OrderService::setQuantity(const OrderTarget &target, int lineNo, int quantity,
                                        const QString &requestId)
{
    if (const QString problem = checkQuantity(quantity); !problem.isEmpty())
        return Result<Order>::invalidInput(problem + Text::tr(" To take a line off, remove it."));
    return lineEdit(target, u"set_qty"_s, requestId, {{u"line"_s, lineNo}, {u"qty"_s, quantity}},
                    [&](const QString &orderId) -> Result<QString> {
                        const std::optional<std::pair<QString, int>> line =
                            lineByNumber(orderId, lineNo);
                        if (!line)
                            return Result<QString>::notFound(
                                Text::tr("Line %1 is not on this order.").arg(lineNo));
                        // A delta on the wire: set-qty from 2 to 3 here and +1 elsewhere make 4.
                        if (const int delta = quantity - line->second; delta != 0) {
                            m_store.addToLine(orderId, line->first, delta);
                            noteAdjust(line->first, delta);
                        }
                        return Result<QString>::ok(u"line %1: qty %2"_s.arg(lineNo).arg(quantity));
                    });
}

Result<Order> OrderService::adjustQuantity(const OrderTarget &target, int lineNo, int delta,
                                           const QString &requestId)
{
    if (delta == 0 || delta < -Limits::maxQuantity || delta > Limits::maxQuantity)
        return Result<Order>::invalidInput(
            Text::tr("A quantity change must be from -%1 to %1, and not 0.")
                .arg(Limits::maxQuantity));
    return lineEdit(
        target, u"adjust_qty"_s, requestId, {{u"line"_s, lineNo}, {u"delta"_s, delta}},
        [&](const QString &orderId) -> Result<QString> {
            const std::optional<std::pair<QString, int>> line = lineByNumber(orderId, lineNo);
            if (!line)
                return Result<QString>::notFound(
                    Text::tr("Line %1 is not on this order.").arg(lineNo));
            if (line->second + delta >= 1 && line->second + delta <= Limits::maxQuantity) {
                m_store.addToLine(orderId, line->first, delta);
                noteAdjust(line->first, delta);
                return Result<QString>::ok(u"line %1: qty %2%3"_s.arg(lineNo)
                                               .arg(delta > 0 ? u"+"_s : QString())
                                               .arg(delta));
            }
            return Result<QString>::invalidInput(
                Text::tr("A line holds 1 to %1 items; to take it off, remove it.")
                    .arg(Limits::maxQuantity));
        });
}

Result<Order> OrderService::removeLine(const OrderTarget &target, int lineNo,
                                       const QString &requestId)
{
    return lineEdit(target, u"remove_line"_s, requestId, {{u"line"_s, lineNo}},
                    [&](const QString &orderId) -> Result<QString> {
                        const std::optional<std::pair<QString, int>> line =
                            lineByNumber(orderId, lineNo);
                        if (!line)
                            return Result<QString>::notFound(
                                Text::tr("Line %1 is not on this order.").arg(lineNo));
                        m_store.deleteLine(orderId, line->first);
                        noteRemove(line->first);
                        return Result<QString>::ok(u"line %1 removed"_s.arg(lineNo));
                    });
}

namespace {

// A replace's items validated, with repeated SKUs merged into one line, and the items as the
// request's parameters (its fingerprint) show them; or the first problem.
struct MergedItems
{
    QString problem;
    QList<ItemSpec> merged;
    QList<ItemSpec> given; // as the request's parameters show them: before merging
};

MergedItems mergeItems(const QList<ItemSpec> &items)
{
    MergedItems out;
    if (items.size() > Limits::maxLinesPerOrder) {
        out.problem = Text::tr("An order can have at most %1 lines.").arg(Limits::maxLinesPerOrder);
        return out;
    }
    // A catalog item's line by SKU and entered price (an open-price product's lines at two
    // prices are two lines).
    QMap<std::pair<QString, Cents>, qsizetype> lineOfSku;
    for (qsizetype i = 0; i < items.size(); ++i) {
        const ItemSpec &item = items.at(i);
        const QString where = Text::tr("Item %1: ").arg(i + 1);
        auto refuse = [&](const QString &problem) {
            out.problem = where + problem;
            return out;
        };
        if (const QString problem = checkQuantity(item.quantity); !problem.isEmpty())
            return refuse(problem);
        if (!item.sku.isEmpty()) {
            if (const QString problem = checkSku(item.sku); !problem.isEmpty())
                return refuse(problem);
            if (item.unitPriceCents) {
                if (const QString problem = checkPrice(*item.unitPriceCents); !problem.isEmpty())
                    return refuse(problem);
            }
            out.given.append(item);
            const std::pair<QString, Cents> key{item.sku, item.unitPriceCents.value_or(-1)};
            if (auto it = lineOfSku.constFind(key); it != lineOfSku.constEnd()) {
                out.merged[*it].quantity += item.quantity;
                if (const QString problem = checkQuantity(out.merged[*it].quantity);
                    !problem.isEmpty())
                    return refuse(problem);
            } else {
                lineOfSku.insert(key, out.merged.size());
                out.merged.append(item);
            }
        } else {
            const QString name = normalizedName(item.name);
            if (const QString problem =
                    checkName(name, Text::tr("An item's name"), Limits::maxProductNameLength);
                !problem.isEmpty())
                return refuse(problem);
            if (!item.unitPriceCents)
                return refuse(Text::tr("An item needs a SKU, or a name and a price."));
            if (const QString problem = checkPrice(*item.unitPriceCents); !problem.isEmpty())
                return refuse(problem);
            out.merged.append(ItemSpec{{}, name, item.unitPriceCents, item.quantity});
            out.given.append(out.merged.constLast());
        }
    }
    return out;
}

} // namespace

Result<Order> OrderService::replaceLines(const OrderTarget &target, const QList<ItemSpec> &items,
                                         int expectedVersion, const QString &requestId)
{
    if (addsInDatabase() && !target.isById())
        return replaceInDatabase({{target.cashierId(), items, expectedVersion, requestId}})
            .constFirst();
    // Validate everything before touching the database; merge repeated SKUs into one line.
    const MergedItems checked = mergeItems(items);
    if (!checked.problem.isEmpty())
        return Result<Order>::invalidInput(checked.problem);
    const QList<ItemSpec> &merged = checked.merged;
    const QJsonObject parameters{{u"items"_s, itemsJsonOf(checked.given)},
                                 {u"expected_version"_s, expectedVersion}};

    return journaled(
        u"set_items"_s, requestId, withTarget(parameters, target), [&]() -> Result<Order> {
            const Result<QString> orderId = resolve(target);
            if (!orderId)
                return Result<Order>::from(orderId);
            const std::optional<int> version = bump(*orderId, expectedVersion);
            if (!version)
                return refusal(target, *orderId, expectedVersion);
            const QList<OrderLine> oldLines = m_store.lines(*orderId);
            for (const OrderLine &old : oldLines) {
                // A replace makes new lines: it would silently drop what a cashier gave.
                if (!old.discount.isNone() || old.listPriceCents) {
                    return Result<Order>::failure(
                        Outcome::InvalidState,
                        replaceDropsDiscountMessage(QString::number(old.lineNo)));
                }
            }
            for (const OrderLine &old : oldLines)
                noteRemove(old.lineId);
            m_store.deleteLines(*orderId);
            QJsonArray resolvedItems;
            int lineCount = 0;
            for (const ItemSpec &item : std::as_const(merged)) {
                QString name = item.name;
                Cents price = item.unitPriceCents.value_or(0);
                if (!item.sku.isEmpty()) {
                    QSqlQuery &product = m_db.exec(u"SELECT name, price_cents, open_price FROM "
                                                   "products WHERE sku = ? AND "
                                                   "retired_at IS NULL"_s,
                                                   {item.sku});
                    const bool known = product.next();
                    bool openPrice = false;
                    if (known) {
                        name = product.value(0).toString();
                        price = product.value(1).toLongLong();
                        openPrice = product.value(2).toInt() != 0;
                    }
                    product.finish();
                    if (!known)
                        return Result<Order>::invalidInput(
                            Text::tr("There is no product with SKU %1; nothing was changed.")
                                .arg(item.sku));
                    if (const QString problem =
                            catalogPriceProblem(item.sku, openPrice, item.unitPriceCents);
                        !problem.isEmpty())
                        return Result<Order>::invalidInput(problem);
                    price = item.unitPriceCents.value_or(price);
                }
                ++lineCount;
                noteAdd(m_store.insertLine(*orderId, m_store.withCurrentTax(lineOf(
                                                         item.sku, name, price, item.quantity))));
                resolvedItems.append(QJsonObject{{u"sku"_s, item.sku},
                                                 {u"name"_s, name},
                                                 {u"unit_price_cents"_s, price},
                                                 {u"qty"_s, item.quantity}});
            }
            return finish(u"set_items"_s, requestId, *orderId, OrderStatus::Active, *version - 1,
                          u"%1 lines"_s.arg(lineCount),
                          {{u"items"_s, resolvedItems}, {u"expected_version"_s, expectedVersion}});
        });
}

QList<Result<Order>>
OrderService::replaceActiveOrdersLines(const QList<ActiveOrderReplace> &replaces)
{
    if (addsInDatabase())
        return replaceInDatabase(replaces);
    QList<Result<Order>> results;
    results.reserve(replaces.size());
    for (const ActiveOrderReplace &replace : replaces) {
        results.append(replaceLines(OrderTarget::byCashier(replace.cashierId), replace.items,
                                    replace.expectedVersion, replace.requestId));
    }
    return results;
}

QList<Result<Order>> OrderService::replaceInDatabase(const QList<ActiveOrderReplace> &replaces)
{
    // The same checks, in the same order, as replaceLines(); the function does the rest (see its
    // migration for why it exists).
    std::vector<std::optional<Result<Order>>> results(size_t(replaces.size()));
    // The requests as the function reads them, written directly (no QJsonObject per request):
    // what the function reads, with the fingerprint of what replaceLines() journals (set_items:
    // the items as given and the version, for the cashier), keys sorted as Qt writes them.
    QByteArray requests = "[";
    QList<qsizetype> sent; // the index in replaces of each request
    for (qsizetype i = 0; i < replaces.size(); ++i) {
        const ActiveOrderReplace &replace = replaces.at(i);
        const MergedItems checked = mergeItems(replace.items);
        QString problem = checked.problem;
        if (problem.isEmpty())
            problem = checkRequestId(replace.requestId);
        if (!problem.isEmpty()) {
            results[size_t(i)] = Result<Order>::invalidInput(problem);
            continue;
        }
        QByteArray parameters;
        {
            CompactObjectWriter json(parameters); // withTarget(), by cashier
            json.text("cashier_id", replace.cashierId);
            json.integer("expected_version", replace.expectedVersion);
            appendItemsJson(json.key("items"), checked.given);
        }
        if (!sent.isEmpty())
            requests += ',';
        {
            CompactObjectWriter json(requests);
            json.text("action", u"set_items");
            json.text("cashier_id", replace.cashierId);
            json.integer("expected_version", replace.expectedVersion);
            json.text("fingerprint",
                      ActionJournal::fingerprintOfCompact(u"set_items"_s, parameters));
            appendItemsJson(json.key("items"), checked.merged);
            json.text("request_id", replace.requestId);
        }
        sent.append(i);
    }
    requests += ']';

    if (!sent.isEmpty()) {
        const QString payload = QString::fromUtf8(requests);
        // Atomic: the function writes nothing for a replace unless all its checks passed, and a
        // refusal below only reads.
        const Result<QList<Result<Order>>> done =
            m_db.writeAtomic([&]() -> Result<QList<Result<Order>>> {
                const Result<QList<FunctionRow>> rows = callBatchFunction(
                    m_db,
                    u"SELECT ordinal, outcome, order_id, detail, result "
                    "FROM safetill_replace_items(?, ?) ORDER BY ordinal"_s,
                    {payload, toStorageTime(m_clock.now())}, sent.size(), u"item replaces"_s);
                if (!rows)
                    return Result<QList<Result<Order>>>::from(rows);
                QList<Result<Order>> answers;
                for (qsizetype k = 0; k < rows->size(); ++k) {
                    const FunctionRow &row = rows->at(k);
                    const ActiveOrderReplace &replace = replaces.at(sent.at(k));
                    const OrderTarget target = OrderTarget::byCashier(replace.cashierId);
                    if (row.outcome == u"no_cashier"_s) {
                        answers.append(Result<Order>::notFound(
                            Text::tr("There is no cashier %1.").arg(replace.cashierId)));
                    } else if (row.outcome == u"no_order"_s) {
                        answers.append(Result<Order>::notFound(noOpenOrderMessage()));
                    } else if (row.outcome == u"refused"_s) {
                        answers.append(refusal(target, row.orderId, replace.expectedVersion));
                    } else if (row.outcome == u"discounted"_s) {
                        answers.append(Result<Order>::failure(
                            Outcome::InvalidState, replaceDropsDiscountMessage(row.detail)));
                    } else if (row.outcome == u"unknown_sku"_s) {
                        answers.append(Result<Order>::invalidInput(
                            Text::tr("There is no product with SKU %1; nothing was changed.")
                                .arg(row.detail)));
                    } else if (row.outcome == u"price_needed"_s) {
                        answers.append(
                            Result<Order>::invalidInput(openPriceNeededMessage(row.detail)));
                    } else if (row.outcome == u"fixed_price"_s) {
                        answers.append(Result<Order>::invalidInput(fixedPriceMessage(row.detail)));
                    } else {
                        answers.append(addOutcome({replace.cashierId, {}, replace.requestId},
                                                  row.outcome, row.orderId, row.detail,
                                                  row.result));
                    }
                }
                return Result<QList<Result<Order>>>::ok(answers);
            });
        for (qsizetype k = 0; k < sent.size(); ++k)
            results[size_t(sent.at(k))] = done ? done->at(k) : Result<Order>::from(done);
    }

    QList<Result<Order>> answers;
    answers.reserve(replaces.size());
    for (std::optional<Result<Order>> &result : results)
        answers.append(std::move(*result));
    return answers;
}

Result<Order> OrderService::logOut(const OrderTarget &target, const QString &requestId)
{
    return journaled(u"logout"_s, requestId, targetParameters(target), [&]() -> Result<Order> {
        const Result<QString> orderId = resolve(target);
        if (!orderId)
            return Result<Order>::from(orderId);
        const QString now = toStorageTime(m_clock.now());
        const std::optional<int> version = m_store.parkForLogout(*orderId, now);
        if (!version)
            return refusal(target, *orderId, std::nullopt);
        return finish(u"logout"_s, requestId, *orderId, OrderStatus::Active, *version - 1,
                      u"logged out"_s, {{u"logout_time"_s, now}});
    });
}

Result<Order> OrderService::complete(const OrderTarget &target, const PaymentRequest &payment,
                                     std::optional<int> expectedVersion, const QString &requestId)
{
    PaymentRequest whole = payment;
    whole.amountCents.reset(); // the whole balance
    QJsonObject parameters{{u"method"_s, toString(payment.method)},
                           {u"tendered_cents"_s, payment.tenderedCents},
                           {u"expected_version"_s, versionOrNull(expectedVersion)}};
    if (!payment.label.isEmpty())
        parameters.insert(u"label"_s, payment.label);
    return payInTransaction(u"complete"_s, target, whole, expectedVersion, requestId, parameters);
}

Result<Order> OrderService::pay(const OrderTarget &target, const PaymentRequest &payment,
                                std::optional<int> expectedVersion, const QString &requestId)
{
    QJsonObject parameters{{u"method"_s, toString(payment.method)},
                           {u"tendered_cents"_s, payment.tenderedCents},
                           {u"amount_cents"_s, payment.amountCents
                                                   ? QJsonValue(*payment.amountCents)
                                                   : QJsonValue(QJsonValue::Null)},
                           {u"label"_s, payment.label},
                           {u"expected_version"_s, versionOrNull(expectedVersion)}};
    return payInTransaction(u"pay"_s, target, payment, expectedVersion, requestId, parameters);
}

Result<Order> OrderService::payInTransaction(const QString &action, const OrderTarget &target,
                                             const PaymentRequest &payment,
                                             std::optional<int> expectedVersion,
                                             const QString &requestId,
                                             const QJsonObject &parameters)
{
    if (const QString problem = checkTender(payment.tenderedCents); !problem.isEmpty())
        return Result<Order>::invalidInput(problem);
    return journaled(action, requestId, withTarget(parameters, target), [&]() -> Result<Order> {
        const Result<QString> orderId = resolve(target);
        if (!orderId)
            return Result<Order>::from(orderId);
        const QString now = toStorageTime(m_clock.now());
        // First the conditional update (it takes the row lock on PostgreSQL, so no edit or other
        // payment can slip in between the balance read below and this payment), then the money
        // checks. Two windows paying one balance: the second waits, then finds it paid.
        const std::optional<int> version = m_store.bumpVersion(*orderId, expectedVersion, now);
        if (!version)
            return refusal(target, *orderId, expectedVersion);

        // The lines after discounts plus the tax of tax-exclusive lines (model/Tax.h), how many
        // lines and what was paid so far, in one statement.
        int lineCount = 0;
        Cents paid = 0;
        const Cents total = m_store.orderTotal(*orderId, &lineCount, &paid);
        if (lineCount == 0)
            return Result<Order>::invalidInput(Text::tr("An empty order cannot be paid."));
        const bool mayRound = payment.method == PaymentMethod::Cash;
        const Result<Tender> tender =
            workOutTender(payment, total - paid, mayRound ? m_store.cashRoundingStep() : 0);
        if (!tender)
            return Result<Order>::from(tender);

        QString receipt;
        QString cashierId;
        if (tender->last) {
            receipt = allocateReceiptNumber(m_db);
            cashierId = m_store.setReceipt(*orderId, receipt);
            m_store.markCompleted(*orderId, now);
        } else {
            cashierId =
                m_db.scalar(u"SELECT cashier_id FROM order_sessions WHERE id = ?"_s, {*orderId})
                    .toString();
        }
        // The money fact: what was taken, for which version of the order and what it was due.
        Payment fact = paymentOf(payment, *tender, newId(), receipt, fromStorageTime(now), total,
                                 *version - 1, m_store.terminalId());
        fact.orderId = *orderId;
        fact.cashierId = cashierId;
        fact.shiftId = m_store.insertPayment(fact);
        QJsonObject payload = parameters;
        payload.insert(u"amount_cents"_s, tender->amountCents);
        payload.insert(u"receipt_no"_s, textOrNull(receipt));
        if (!tender->last) {
            // A payment that leaves a balance is in the op's changes (the last one is in the
            // state's payment, as a single tender always was).
            noteChange({{u"kind"_s, u"payment"_s}, {u"payment"_s, toJson(fact)}});
        }
        const QString how =
            payment.method == PaymentMethod::Other ? fact.label : toString(payment.method);
        const QString detail =
            tender->last
                ? u"paid %1 cents by %2, receipt %3"_s.arg(tender->amountCents).arg(how, receipt)
                : u"paid %1 cents by %2, %3 cents left"_s.arg(tender->amountCents)
                      .arg(how)
                      .arg(total - paid - tender->amountCents);
        return finish(action, requestId, *orderId, OrderStatus::Active, *version - 1, detail,
                      payload);
    });
}

namespace {

QString describeDiscount(const Discount &discount)
{
    switch (discount.kind) {
    case DiscountKind::Percent:
        return u"%1 off (%2)"_s.arg(formatRate(int(discount.value)), discount.reason);
    case DiscountKind::Amount:
        return u"%1 cents off (%2)"_s.arg(discount.value).arg(discount.reason);
    case DiscountKind::None:
        break;
    }
    return u"discount removed"_s;
}

// Whether a cashier alone may not give this discount: more than limitPercent of `base` (what
// it applies to: the line, or the order's lines after their own discounts).
bool overLimit(const Discount &discount, Cents base, int limitPercent)
{
    switch (discount.kind) {
    case DiscountKind::Percent:
        return discount.value > qint64(limitPercent) * 100;
    case DiscountKind::Amount:
        return discount.value * 100 > Cents(limitPercent) * base;
    case DiscountKind::None:
        break;
    }
    return false;
}

QString overLimitMessage(int limitPercent)
{
    return Text::tr(
               "%1 (more than %2 % off, the shop's cashier-discount-limit) needs a manager: ask a "
               "manager to approve it with their PIN.")
        .arg(Approvals::describe(Permission::DiscountOverLimit))
        .arg(limitPercent);
}

} // namespace

Result<std::optional<Authorization>> OrderService::approval(const QString &actorId, Permission what,
                                                            const std::optional<Approver> &approver)
{
    using Allowed = std::optional<Authorization>;
    if (approver) {
        const Result<Authorization> authorized = m_approvals.authorize(actorId, what, approver);
        if (!authorized)
            return Result<Allowed>::from(authorized);
        return Result<Allowed>::ok(*authorized);
    }
    const Result<Cashier> actor = m_cashiers.find(actorId);
    if (actor && actor->role == Role::Manager)
        return Result<Allowed>::ok(Authorization{*actor, std::nullopt});
    if (!actor && actor.outcome() != Outcome::NotFound)
        return Result<Allowed>::from(actor);
    return Result<Allowed>::ok(std::nullopt);
}

Result<std::optional<Authorization>>
OrderService::discountAllowance(const Discount &discount, const std::optional<Approver> &approver,
                                int *limit)
{
    using Allowed = std::optional<Authorization>;
    if (discount.isNone())
        return Result<Allowed>::ok(std::nullopt);
    const Result<Allowed> upfront =
        approval(discount.byCashierId, Permission::DiscountOverLimit, approver);
    if (!upfront || *upfront)
        return upfront;
    // A cashier alone: the shop's limit applies (checked against the amount inside).
    const Result<int> shopLimit = ShopSettings(m_db, m_clock).cashierDiscountLimitPercent();
    if (!shopLimit)
        return Result<Allowed>::from(shopLimit);
    *limit = *shopLimit;
    return upfront;
}

void OrderService::noteApproval(const std::optional<Authorization> &allowed, QJsonObject &change,
                                QString &detail)
{
    if (!allowed || !allowed->approver)
        return;
    m_approvedBy = allowed->approvedById();
    change.insert(u"approved_by"_s, m_approvedBy);
    detail += u", approved by %1"_s.arg(allowed->approver->name);
}

Result<Order> OrderService::discountLine(const OrderTarget &target, const QString &line,
                                         const Discount &requested,
                                         std::optional<int> expectedVersion,
                                         const QString &requestId,
                                         const std::optional<Approver> &approver)
{
    Discount discount = requested;
    discount.reason = discount.reason.trimmed();
    if (discount.isNone())
        discount = Discount{};
    // The amount's own limit (the line) is checked inside, with the line as it is.
    if (const QString problem =
            checkDiscount(discount, Limits::maxTenderCents, Text::tr("The line discount"));
        !problem.isEmpty())
        return Result<Order>::invalidInput(problem);
    int limit = 100;
    const Result<std::optional<Authorization>> upfront =
        discountAllowance(discount, approver, &limit);
    if (!upfront)
        return Result<Order>::from(upfront);
    const std::optional<Authorization> allowed = *upfront;
    return lineEdit(
        target, u"discount_line"_s, requestId,
        {{u"line"_s, line}, {u"discount"_s, toJson(discount)}},
        [&](const QString &orderId) -> Result<QString> {
            const std::optional<OrderStore::LineRef> found = m_store.findLine(orderId, line);
            if (!found)
                return Result<QString>::notFound(
                    Text::tr("line: %1 is not on this order.").arg(line));
            if (const QString problem =
                    checkDiscount(discount, found->amountCents, Text::tr("The line discount"));
                !problem.isEmpty())
                return Result<QString>::invalidInput(problem);
            if (!discount.isNone() && !m_store.cashierExists(discount.byCashierId))
                return Result<QString>::notFound(
                    Text::tr("by: there is no cashier %1.").arg(discount.byCashierId));
            if (!allowed && overLimit(discount, found->amountCents, limit))
                return Result<QString>::failure(Outcome::Forbidden, overLimitMessage(limit));
            m_store.setLineDiscount(orderId, found->lineId, discount);
            QJsonObject change{{u"kind"_s, u"discount"_s},
                               {u"line_id"_s, found->lineId},
                               {u"discount"_s, toJson(discount)}};
            QString detail = u"line %1: %2"_s.arg(found->lineNo).arg(describeDiscount(discount));
            noteApproval(allowed, change, detail);
            noteChange(change);
            return Result<QString>::ok(detail);
        },
        expectedVersion);
}

Result<Order> OrderService::discountOrder(const OrderTarget &target, const Discount &requested,
                                          std::optional<int> expectedVersion,
                                          const QString &requestId,
                                          const std::optional<Approver> &approver)
{
    Discount discount = requested;
    discount.reason = discount.reason.trimmed();
    if (discount.isNone())
        discount = Discount{};
    if (const QString problem =
            checkDiscount(discount, Limits::maxTenderCents, Text::tr("The order discount"));
        !problem.isEmpty())
        return Result<Order>::invalidInput(problem);
    int limit = 100;
    const Result<std::optional<Authorization>> upfront =
        discountAllowance(discount, approver, &limit);
    if (!upfront)
        return Result<Order>::from(upfront);
    const std::optional<Authorization> allowed = *upfront;
    return lineEdit(
        target, u"discount_order"_s, requestId, {{u"discount"_s, toJson(discount)}},
        [&](const QString &orderId) -> Result<QString> {
            // What an order discount applies to: the lines after their own discounts.
            const TaxTable before = taxTable(m_store.lines(orderId));
            if (const QString problem =
                    checkDiscount(discount, before.subtotalCents, Text::tr("The order discount"));
                !problem.isEmpty())
                return Result<QString>::invalidInput(problem);
            if (!discount.isNone() && !m_store.cashierExists(discount.byCashierId))
                return Result<QString>::notFound(
                    Text::tr("by: there is no cashier %1.").arg(discount.byCashierId));
            if (!allowed && overLimit(discount, before.subtotalCents, limit))
                return Result<QString>::failure(Outcome::Forbidden, overLimitMessage(limit));
            m_store.setOrderDiscount(orderId, discount);
            QJsonObject change{{u"kind"_s, u"order_discount"_s}, {u"discount"_s, toJson(discount)}};
            QString detail = u"order: %1"_s.arg(describeDiscount(discount));
            noteApproval(allowed, change, detail);
            noteChange(change);
            return Result<QString>::ok(detail);
        },
        expectedVersion);
}

Result<Order> OrderService::overridePrice(const OrderTarget &target, const QString &line,
                                          Cents unitPriceCents, const QString &reason,
                                          const QString &byCashierId,
                                          std::optional<int> expectedVersion,
                                          const QString &requestId,
                                          const std::optional<Approver> &approver)
{
    const QString why = reason.trimmed();
    if (const QString problem = checkPrice(unitPriceCents); !problem.isEmpty())
        return Result<Order>::invalidInput(Text::tr("price: ") + problem);
    if (why.isEmpty() || why.size() > 200)
        return Result<Order>::invalidInput(
            Text::tr("reason: a price override needs a reason of 1 to 200 characters."));
    const Result<std::optional<Authorization>> allowed =
        approval(byCashierId, Permission::PriceOverride, approver);
    if (!allowed)
        return Result<Order>::from(allowed);
    return lineEdit(
        target, u"override_price"_s, requestId,
        {{u"line"_s, line},
         {u"unit_price_cents"_s, unitPriceCents},
         {u"reason"_s, why},
         {u"by"_s, byCashierId}},
        [&](const QString &orderId) -> Result<QString> {
            const std::optional<OrderStore::LineRef> found = m_store.findLine(orderId, line);
            if (!found)
                return Result<QString>::notFound(
                    Text::tr("line: %1 is not on this order.").arg(line));
            if (!m_store.cashierExists(byCashierId))
                return Result<QString>::notFound(
                    Text::tr("by: there is no cashier %1.").arg(byCashierId));
            if (!*allowed)
                return Result<QString>::failure(
                    Outcome::Forbidden,
                    Text::tr("%1 needs a manager: ask a manager to approve it with their PIN.")
                        .arg(Approvals::describe(Permission::PriceOverride)));
            m_store.setLinePrice(orderId, found->lineId, unitPriceCents, why);
            QJsonObject change{{u"kind"_s, u"price"_s},
                               {u"line_id"_s, found->lineId},
                               {u"unit_price_cents"_s, unitPriceCents},
                               {u"reason"_s, why},
                               {u"by"_s, byCashierId}};
            QString detail = u"line %1: price %2 cents by %3 (%4)"_s.arg(found->lineNo)
                                 .arg(unitPriceCents)
                                 .arg(byCashierId, why);
            noteApproval(*allowed, change, detail);
            noteChange(change);
            return Result<QString>::ok(detail);
        },
        expectedVersion);
}

Result<Order> OrderService::assignToTab(const OrderTarget &target, const QString &tabName,
                                        std::optional<int> expectedVersion,
                                        const QString &requestId)
{
    const QString name = normalizedName(tabName);
    if (const QString problem = checkName(name, Text::tr("A tab's name"), Limits::maxNameLength);
        !problem.isEmpty())
        return Result<Order>::invalidInput(problem);
    const QString key = nameKey(name);
    QJsonObject parameters{{u"tab"_s, name},
                           {u"expected_version"_s, versionOrNull(expectedVersion)}};

    return journaled(
        u"assign_tab"_s, requestId, withTarget(parameters, target), [&]() -> Result<Order> {
            const Result<QString> orderId = resolve(target);
            if (!orderId)
                return Result<Order>::from(orderId);
            const QString now = toStorageTime(m_clock.now());
            // One open tab per name (partial unique index): a racing creator falls through to the
            // tab the other one made.
            // On PostgreSQL (READ COMMITTED) the open tab that made the INSERT do nothing can be
            // settled by a concurrent transaction before the UPDATE below gets its row lock; the
            // UPDATE then matches nothing. Run again, the INSERT sees the settled tab and opens a
            // new one, as it would have if this transaction had started after the settlement.
            QString tabId;
            for (int attempt = 0; attempt < 3 && tabId.isEmpty(); ++attempt) {
                m_store.insertOpenTab(newId(), name, key, m_store.terminalId(), now);
                tabId = m_store.lockOpenTabByKey(key);
            }
            if (tabId.isEmpty()) {
                return Result<Order>::failure(
                    Outcome::Conflict,
                    Text::tr(
                        "The tab \u201c%1\u201d was being settled at the same moment; please try "
                        "again.")
                        .arg(name));
            }
            const std::optional<int> version =
                m_store.assignActiveToTab(*orderId, tabId, expectedVersion, now);
            if (!version)
                return refusal(target, *orderId, expectedVersion);
            if (m_db.scalar(u"SELECT COUNT(*) FROM order_lines WHERE order_id = ?"_s, {*orderId})
                    .toInt() == 0)
                return Result<Order>::invalidInput(
                    Text::tr("An empty order cannot be put on a tab."));
            QJsonObject payload = parameters;
            payload.insert(u"tab_id"_s, tabId);
            return finish(u"assign_tab"_s, requestId, *orderId, OrderStatus::Active, *version - 1,
                          u"put on tab %1"_s.arg(name), payload);
        });
}

std::optional<std::pair<QString, int>> OrderService::lineByNumber(const QString &orderId,
                                                                  int lineNo)
{
    QSqlQuery &query =
        m_db.exec(u"SELECT line_id, quantity FROM order_lines WHERE order_id = ? AND line_no = ?"_s,
                  {orderId, lineNo});
    std::optional<std::pair<QString, int>> line;
    if (query.next())
        line = std::pair(query.value(0).toString(), query.value(1).toInt());
    query.finish();
    return line;
}

void OrderService::noteAdd(const OrderLine &line)
{
    m_changes.append(QJsonObject{
        {u"kind"_s, u"add"_s},
        {u"line_id"_s, line.lineId},
        {u"line"_s, line.lineNo},
        {u"sku"_s, line.sku.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(line.sku)},
        {u"name"_s, line.name},
        {u"unit_price_cents"_s, line.unitPriceCents},
        {u"qty"_s, line.quantity},
        // The tax the line was added with (migration 011): the server keeps the till's.
        {u"tax_code"_s, line.taxCode},
        {u"tax_rate_bp"_s, line.taxRateBp},
        {u"price_includes_tax"_s, line.priceIncludesTax}});
}

void OrderService::noteAdjust(const QString &lineId, int delta)
{
    m_changes.append(
        QJsonObject{{u"kind"_s, u"adjust"_s}, {u"line_id"_s, lineId}, {u"delta"_s, delta}});
}

void OrderService::noteRemove(const QString &lineId)
{
    m_changes.append(QJsonObject{{u"kind"_s, u"remove"_s}, {u"line_id"_s, lineId}});
}

Result<Order> OrderService::order(const QString &orderId)
{
    return m_db.read([&]() -> Result<Order> {
        if (std::optional<Order> order = m_store.load(orderId))
            return Result<Order>::ok(*order);
        return Result<Order>::notFound(Text::tr("There is no order %1.").arg(orderId));
    });
}

Result<Order> OrderService::openOrderOf(const QString &cashierId)
{
    return m_db.read([&]() -> Result<Order> {
        const Result<QString> orderId = resolve(OrderTarget::byCashier(cashierId));
        if (!orderId)
            return Result<Order>::from(orderId);
        if (std::optional<Order> order = m_store.load(*orderId))
            return Result<Order>::ok(*order);
        return Result<Order>::notFound(noOpenOrderMessage());
    });
}

Result<QList<HistoryEntry>> OrderService::history(const QString &orderId)
{
    return m_db.read([&]() -> Result<QList<HistoryEntry>> {
        QList<HistoryEntry> entries = m_store.history(orderId);
        if (entries.isEmpty() && !m_store.load(orderId))
            return Result<QList<HistoryEntry>>::notFound(
                Text::tr("There is no order %1.").arg(orderId));
        return Result<QList<HistoryEntry>>::ok(entries);
    });
}

} // namespace SafeTill
