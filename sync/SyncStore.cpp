#include "SyncStore.h"

#include "ShopSettings.h"

#include "ActionJournal.h"
#include "CashierService.h"
#include "Database.h"
#include "Json.h"
#include "Money.h"
#include "OrderStore.h"
#include "PinHasher.h"
#include "ReviewStore.h"
#include "Validation.h"

#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QSet>
#include <QUuid>

using namespace Qt::StringLiterals;

Q_LOGGING_CATEGORY(lcSync, "safetill.sync", QtInfoMsg)

namespace SafeTill {

namespace {

constexpr int maxPulledCashiers = 10000;
constexpr int maxPulledProducts = 200000;
constexpr int maxPulledRefundedLines = 200000;
constexpr int maxShownProblems = 20;

QString shortId(const QString &id)
{
    return id.left(8);
}

QString describeLines(const Order &order)
{
    return u"%1 item(s), %2"_s.arg(order.itemCount()).arg(formatMoney(order.totalCents()));
}

// What the cashier reads: which order, and what the server's state changed on this till.
QString describeChange(const std::optional<Order> &local, const Order &server)
{
    QStringList changes;
    if (!local) {
        changes << u"it now shows the server's copy (%1, %2)"_s.arg(toString(server.status),
                                                                    describeLines(server));
    } else {
        if (local->status != server.status)
            changes << u"status %1 → %2"_s.arg(toString(local->status), toString(server.status));
        if (local->totalCents() != server.totalCents() ||
            local->itemCount() != server.itemCount() || local->lines.size() != server.lines.size())
            changes << u"items %1 → %2"_s.arg(describeLines(*local), describeLines(server));
        if (local->tabId != server.tabId)
            changes << u"tab \"%1\" → \"%2\""_s.arg(local->tabName, server.tabName);
        if (!local->payment && server.payment)
            changes << u"paid on the server"_s;
        changes << u"version %1 → %2"_s.arg(local->version).arg(server.version);
    }
    const QString cashier =
        server.cashierName.isEmpty() ? QString() : u" (%1)"_s.arg(server.cashierName);
    return u"Order %1%2 was changed on the server too; this till now shows both: %3."_s.arg(
        shortId(server.id), cashier, changes.join(u", "_s));
}

bool isText(const QJsonObject &object, const QString &key, int minLength, int maxLength)
{
    const QJsonValue value = object.value(key);
    return value.isString() && value.toString().size() >= minLength &&
           value.toString().size() <= maxLength;
}

bool isTime(const QJsonObject &object, const QString &key)
{
    return object.value(key).isString() && fromStorageTime(object.value(key).toString()).isValid();
}

// Section 4's shapes; the first problem found, or empty.
QString pullProblem(const QJsonObject &snapshot)
{
    // The pull is the same in protocols 2 and 3.
    if (const int protocol = snapshot.value(u"protocol"_s).toInt(-1);
        protocol != 2 && protocol != 3)
        return u"protocol is not 2 or 3"_s;
    const QJsonValue cashiers = snapshot.value(u"cashiers"_s);
    const QJsonValue products = snapshot.value(u"products"_s);
    if (!cashiers.isArray() || cashiers.toArray().size() > maxPulledCashiers)
        return u"cashiers is not a list (of at most %1)"_s.arg(maxPulledCashiers);
    if (!products.isArray() || products.toArray().size() > maxPulledProducts)
        return u"products is not a list (of at most %1)"_s.arg(maxPulledProducts);
    QSet<QString> ids;
    QSet<QString> names;
    for (const QJsonValue &value : cashiers.toArray()) {
        const QJsonObject cashier = value.toObject();
        if (!value.isObject() || !isText(cashier, u"id"_s, 1, 64) ||
            !isText(cashier, u"name"_s, 1, 64) ||
            !roleFromString(cashier.value(u"role"_s).toString()) ||
            !isText(cashier, u"pin_hash"_s, 11, 512) ||
            !cashier.value(u"pin_hash"_s).toString().startsWith(u"$argon2id$"_s) ||
            !isTime(cashier, u"created_at"_s))
            return u"a cashier has a missing or wrong member"_s;
        if (const QString why = PinHasher::checkAffordable(cashier.value(u"pin_hash"_s).toString());
            !why.isEmpty())
            return u"cashier %1's PIN hash is refused: %2"_s.arg(
                cashier.value(u"name"_s).toString(), why);
        if (ids.contains(cashier.value(u"id"_s).toString()))
            return u"a cashier id appears twice"_s;
        ids.insert(cashier.value(u"id"_s).toString());
        const QString key = nameKey(cashier.value(u"name"_s).toString());
        if (names.contains(key))
            return u"a cashier name appears twice"_s;
        names.insert(key);
    }
    QSet<QString> skus;
    for (const QJsonValue &value : products.toArray()) {
        const QJsonObject product = value.toObject();
        const QJsonValue price = product.value(u"price_cents"_s);
        if (!value.isObject() || !isText(product, u"sku"_s, 1, 64) ||
            !isText(product, u"name"_s, 1, 200) || !wholeNumber(price, 0, Limits::maxPriceCents) ||
            (product.contains(u"category"_s) && !isText(product, u"category"_s, 0, 64)) ||
            !isTime(product, u"updated_at"_s))
            return u"a product has a missing or wrong member"_s;
        if (skus.contains(product.value(u"sku"_s).toString()))
            return u"a SKU appears twice"_s;
        if (!product.value(u"tax_code"_s).isUndefined() && !product.value(u"tax_code"_s).isNull() &&
            !isText(product, u"tax_code"_s, 0, 16))
            return u"a product's tax_code is not a code"_s;
        // From servers of issue 16 on: 1 when the till asks the price each time (absent: 0).
        if (!product.value(u"open_price"_s).isUndefined() &&
            !wholeNumber(product.value(u"open_price"_s), 0, 1))
            return u"a product's open_price is not 0 or 1"_s;
        skus.insert(product.value(u"sku"_s).toString());
    }
    // Member of servers from issue 15's pulled refunds on (docs/sync-protocol.md section 4):
    // what the server counts refunded of this till's sales' lines by others.
    const QJsonValue elsewhere = snapshot.value(u"refunded_elsewhere"_s);
    if (!elsewhere.isUndefined() &&
        (!elsewhere.isArray() || elsewhere.toArray().size() > maxPulledRefundedLines))
        return u"refunded_elsewhere is not a list (of at most %1)"_s.arg(maxPulledRefundedLines);
    QSet<QString> refundedLines;
    for (const QJsonValue &value : elsewhere.toArray()) {
        const QJsonObject line = value.toObject();
        if (!value.isObject() || !isText(line, u"line_id"_s, 1, 64) ||
            !wholeNumber(line.value(u"quantity"_s), 1, Limits::maxQuantity))
            return u"a refunded_elsewhere entry has a missing or wrong member"_s;
        if (refundedLines.contains(line.value(u"line_id"_s).toString()))
            return u"a refunded_elsewhere line appears twice"_s;
        refundedLines.insert(line.value(u"line_id"_s).toString());
    }
    // Members of servers from issue 14 on: absent from older ones.
    const QJsonValue rates = snapshot.value(u"tax_rates"_s);
    if (!rates.isUndefined() && (!rates.isArray() || rates.toArray().size() > 1000))
        return u"tax_rates is not a list (of at most 1000)"_s;
    for (const QJsonValue &value : rates.toArray()) {
        const QJsonObject rate = value.toObject();
        if (!value.isObject() || !isText(rate, u"code"_s, 1, 16) ||
            !isText(rate, u"name"_s, 1, 64) || !wholeNumber(rate.value(u"rate_bp"_s), 0, 10000))
            return u"a tax rate has a missing or wrong member"_s;
    }
    const QJsonValue shop = snapshot.value(u"shop"_s);
    if (!shop.isUndefined() && !shop.isObject())
        return u"shop is not an object"_s;
    const QJsonObject shopObject = shop.toObject();
    for (auto it = shopObject.begin(); it != shopObject.end(); ++it) {
        if (!ShopSettings::pulledKeys().contains(it.key()) || !it.value().isString() ||
            it.value().toString().size() > 500)
            return u"shop has an unknown or wrong setting (%1)"_s.arg(it.key().left(40));
    }
    const QJsonValue prefix = snapshot.value(u"device"_s).toObject().value(u"receipt_prefix"_s);
    static const QRegularExpression prefixPattern(u"^T[0-9]{1,7}$"_s);
    if (!prefix.isUndefined() && !prefix.isNull() &&
        !prefixPattern.match(prefix.toString()).hasMatch())
        return u"device.receipt_prefix is not T and digits"_s;
    return {};
}

} // namespace

SyncStore::SyncStore(Database &database, const Clock &clock)
    : m_db(database)
    , m_clock(clock)
{}

QString SyncStore::now() const
{
    return toStorageTime(m_clock.now());
}

Result<QList<OutboxOp>> SyncStore::pendingOps(int maxOps)
{
    return m_db.read([&] {
        QList<OutboxOp> ops;
        QSqlQuery &query = m_db.exec(
            u"SELECT seq, request_id, op, order_id, tab_id, created_at, payload FROM outbox "
            "WHERE state = 'pending' AND (order_id IS NULL OR order_id NOT IN ("
            "  SELECT o.order_id FROM outbox o JOIN sync_op_problems p ON p.seq = o.seq "
            "  WHERE p.kind = 'rejected' AND o.order_id IS NOT NULL)) "
            "ORDER BY seq LIMIT ?"_s,
            {maxOps});
        while (query.next()) {
            ops.append(OutboxOp{query.value(0).toLongLong(), query.value(1).toString(),
                                query.value(2).toString(), query.value(3).toString(),
                                query.value(4).toString(), query.value(5).toString(),
                                query.value(6).toByteArray()});
        }
        return Result<QList<OutboxOp>>::ok(ops);
    });
}

Result<int> SyncStore::failBlockedOps()
{
    return m_db.write([&] {
        const QString blocked =
            u"state = 'pending' AND order_id IN ("
            "  SELECT o.order_id FROM outbox o JOIN sync_op_problems p ON p.seq = o.seq "
            "  WHERE p.kind = 'rejected' AND o.order_id IS NOT NULL)"_s;
        const QString message = u"Not sent: an earlier action on this order was rejected by the "
                                "server."_s;
        m_db.exec(u"INSERT INTO sync_op_problems (seq, kind, code, message, at) "
                  "SELECT seq, 'rejected', 'earlier_op_rejected', ?, ? FROM outbox WHERE "_s +
                      blocked + u" ON CONFLICT (seq) DO NOTHING"_s,
                  {message, now()});
        const int changed = m_db.change(
            u"UPDATE outbox SET state = 'failed', last_error = ? WHERE "_s + blocked, {message});
        return Result<int>::ok(changed);
    });
}

void SyncStore::markFailed(const OutboxOp &op, const QString &kind, const QString &code,
                           const QString &message)
{
    m_db.exec(u"UPDATE outbox SET state = 'failed', attempts = attempts + 1, last_error = ? "
              "WHERE seq = ?"_s,
              {message, op.seq});
    m_db.exec(u"INSERT INTO sync_op_problems (seq, kind, code, message, at) VALUES (?, ?, ?, ?, ?) "
              "ON CONFLICT (seq) DO NOTHING"_s,
              {op.seq, kind, code, message, now()});
}

void SyncStore::markLaterOpsOfOrder(const OutboxOp &op, const QString &kind, const QString &code,
                                    const QString &message)
{
    if (op.orderId.isEmpty())
        return;
    m_db.exec(u"INSERT INTO sync_op_problems (seq, kind, code, message, at) "
              "SELECT seq, ?, ?, ?, ? FROM outbox WHERE order_id = ? AND seq > ? "
              "AND state = 'pending' ON CONFLICT (seq) DO NOTHING"_s,
              {kind, code, message, now(), op.orderId, op.seq});
    m_db.exec(u"UPDATE outbox SET state = 'failed', last_error = ? "
              "WHERE order_id = ? AND seq > ? AND state = 'pending'"_s,
              {message, op.orderId, op.seq});
}

void SyncStore::addMessage(const QString &orderId, const QString &message)
{
    m_db.exec(u"INSERT INTO sync_messages (at, order_id, message) VALUES (?, ?, ?)"_s,
              {now(), nullIfEmpty(orderId), message.left(2000)});
}

// The server's state of an order this till holds open: its lines (merged with edits made
// elsewhere), status, tab and receipt, and any payment taken on the server, which is added.
// Nothing of a payment taken here is ever deleted or changed, and an order completed here is not
// touched at all (the server booked its payment; a difference is on the review list). Throws
// SqlFailure when the local database refuses it; the caller then keeps the op failed.
QString SyncStore::takeServerOrder(const OutboxOp &op, const QJsonObject &serverJson)
{
    std::optional<Order> server = orderFromJson(serverJson);
    if (!server || server->id != op.orderId || server->version < 1)
        return u"Order %1: the server's answer was unreadable; this till's copy is unchanged."_s
            .arg(shortId(op.orderId));
    OrderStore store(m_db);
    const std::optional<Order> local = store.load(server->id);
    if (!local)
        return u"Order %1 is not on this till; the server's copy was not taken."_s.arg(
            shortId(op.orderId));
    if (local->status == OrderStatus::Completed || local->status == OrderStatus::Assigned)
        return {};
    // A later action of this order is still to be sent: its answer brings the newer state.
    if (!m_db.scalar(u"SELECT 1 FROM outbox WHERE order_id = ? AND seq > ? AND state = 'pending' "
                     "LIMIT 1"_s,
                     {op.orderId, op.seq})
             .isNull())
        return {};
    // The same items, discounts and prices (protocol 3) and status: nothing to take.
    auto samePricing = [&] {
        if (local->discount != server->discount)
            return false;
        QHash<QString, const OrderLine *> mine;
        for (const OrderLine &line : local->lines)
            mine.insert(line.lineId, &line);
        for (const OrderLine &line : server->lines) {
            const OrderLine *other = mine.value(line.lineId);
            if (!other || other->discount != line.discount ||
                other->listPriceCents != line.listPriceCents ||
                other->priceReason != line.priceReason)
                return false;
        }
        return true;
    };
    if (sameItems(local->lines, server->lines) && local->status == server->status && samePricing())
        return {};

    if (!server->tabId.isEmpty()) {
        const QString tabName = server->tabName.isEmpty() ? u"Tab"_s : server->tabName.left(64);
        store.insertOpenTab(server->tabId, tabName, nameKey(tabName), store.terminalId(), now());
    }
    // Lines by id: a line both sides know keeps this till's number; a new one gets the next.
    QHash<QString, const OrderLine *> localLines;
    for (const OrderLine &line : local->lines)
        localLines.insert(line.lineId, &line);
    QJsonArray notOnServer;
    Cents notOnServerCents = 0;
    for (const OrderLine &line : server->lines) {
        if (const OrderLine *mine = localLines.take(line.lineId)) {
            if (mine->quantity != line.quantity)
                store.addToLine(server->id, line.lineId, line.quantity - mine->quantity);
            // The server's discount and price override of the line (protocol 3).
            if (mine->discount != line.discount)
                store.setLineDiscount(server->id, line.lineId, line.discount);
            if (mine->unitPriceCents != line.unitPriceCents ||
                mine->listPriceCents != line.listPriceCents) {
                // (The first override keeps the price it replaced, as on the server.)
                store.setLinePrice(server->id, line.lineId, line.unitPriceCents, line.priceReason);
            }
        } else {
            OrderLine added = line;
            added.lineNo = 0;
            store.insertLine(server->id, added);
        }
    }
    for (const OrderLine *line : std::as_const(localLines)) {
        store.deleteLine(server->id, line->lineId);
        notOnServer.append(QJsonObject{{u"line_id"_s, line->lineId},
                                       {u"name"_s, line->name},
                                       {u"qty"_s, line->quantity},
                                       {u"unit_price_cents"_s, line->unitPriceCents}});
        notOnServerCents += line->totalCents();
    }
    if (local->discount != server->discount)
        store.setOrderDiscount(server->id, server->discount);
    QSet<QString> knownPayments;
    for (const Payment &payment : local->payments)
        knownPayments.insert(payment.id);
    for (Payment payment : std::as_const(server->payments)) {
        // A payment taken elsewhere is in none of this till's shifts (protocol 5: its shift_id
        // names the other side's shift, which this till does not hold).
        payment.shiftId.clear();
        if (!knownPayments.contains(payment.id))
            store.insertPayment(payment);
    }
    const int version = local->version + 1; // this till's versions only ever go up
    OrderStore::State adopted;
    adopted.version = version;
    adopted.status = server->status;
    adopted.tabId = server->tabId;
    adopted.receiptNo = server->receiptNo;
    adopted.updatedAt = now();
    adopted.logoutTime =
        toStorageTime(server->logoutTime.isValid() ? server->logoutTime : m_clock.now());
    adopted.completedAt =
        toStorageTime(server->completedAt.isValid() ? server->completedAt : m_clock.now());
    store.writeState(server->id, adopted);
    if (server->status == OrderStatus::Completed && !notOnServer.isEmpty()) {
        // Items added here after the order was paid on the server: not paid for.
        ReviewItem review;
        review.id = QUuid::createUuid().toString(QUuid::WithoutBraces);
        review.kind = u"lines_after_payment"_s;
        review.orderId = server->id;
        review.terminalId = store.terminalId();
        review.amountCents = notOnServerCents;
        review.summary =
            u"Order %1 was paid on the server (receipt %2) while items worth %3 cents "
            "were added here; they were not paid for."_s.arg(shortId(server->id), server->receiptNo)
                .arg(notOnServerCents);
        review.detail = QJsonObject{{u"unpaid_lines"_s, notOnServer}};
        ReviewStore(m_db, m_clock).insert(review);
    }
    Order merged = *server;
    merged.lines = store.lines(server->id);
    merged.version = version;
    if (server->cashierName.isEmpty())
        merged.cashierName = local->cashierName;
    const QString message = describeChange(local, merged);
    HistoryEntry entry;
    entry.orderId = server->id;
    entry.at = m_clock.now();
    entry.cashierId = server->cashierId;
    entry.action = u"sync_merge"_s;
    entry.fromVersion = local->version;
    entry.fromStatus = toString(local->status);
    entry.toVersion = version;
    entry.toStatus = toString(server->status);
    entry.detail = message;
    entry.requestId = op.requestId + u":server-state"_s;
    ActionJournal(m_db, m_clock).appendHistory(entry);
    m_replacedInThisRecord << server->id;
    return message;
}

void SyncStore::keepReviewItems(const QJsonArray &items)
{
    ReviewStore reviews(m_db, m_clock);
    for (const QJsonValue &value : items) {
        if (std::optional<ReviewItem> item = reviewItemFromJson(value.toObject()))
            reviews.insert(*item);
    }
}

void SyncStore::reviewOp(const OutboxOp &op, const QString &kind, const QString &code,
                         const QString &message)
{
    ReviewItem review;
    review.id = u"sync-"_s + op.requestId;
    review.kind = kind;
    review.orderId = op.orderId;
    review.tabId = op.tabId;
    review.terminalId = OrderStore(m_db).terminalId();
    const QJsonObject payload = QJsonDocument::fromJson(op.payload).object();
    // The payment the op carries: the order's last (order.payment), a split tender's earlier
    // one (a "payment" change) or a tab's (payload.payment).
    QJsonObject payment = payload.value(u"order"_s).toObject().value(u"payment"_s).toObject();
    for (const QJsonValue &change : payload.value(u"changes"_s).toArray()) {
        if (payment.isEmpty() && change.toObject().value(u"kind"_s) == QJsonValue(u"payment"_s))
            payment = change.toObject().value(u"payment"_s).toObject();
    }
    if (payment.isEmpty())
        payment = payload.value(u"payment"_s).toObject();
    review.paymentId = payment.value(u"id"_s).toString();
    review.amountCents = payment.value(u"amount_cents"_s).toInteger();
    review.summary =
        payment.isEmpty()
            ? message
            : message + u" The payment taken here (%1, %2 cents) is not on "
                        "the server."_s
                            .arg(payment.value(u"receipt_no"_s).isString()
                                     ? u"receipt "_s + payment.value(u"receipt_no"_s).toString()
                                     : u"no receipt yet"_s)
                            .arg(review.amountCents);
    review.detail = QJsonObject{
        {u"seq"_s, op.seq}, {u"op"_s, op.op}, {u"code"_s, code}, {u"request_id"_s, op.requestId}};
    ReviewStore(m_db, m_clock).insert(review);
}

void SyncStore::recordOne(const OutboxOp &op, const PushOutcome &outcome, Recorded &recorded)
{
    switch (outcome.kind) {
    case PushOutcome::Kind::Applied:
    case PushOutcome::Kind::Replayed:
        m_db.exec(u"UPDATE outbox SET state = 'sent', attempts = attempts + 1, last_error = NULL "
                  "WHERE seq = ? AND state = 'pending'"_s,
                  {op.seq});
        ++recorded.sent;
        keepReviewItems(outcome.reviewItems);
        for (const QJsonValue &item : outcome.reviewItems) {
            const QString summary = item.toObject().value(u"summary"_s).toString();
            addMessage(op.orderId, summary);
            recorded.messages << summary;
        }
        if (!op.orderId.isEmpty() && !outcome.serverOrder.isEmpty()) {
            if (const QString message = takeServerOrder(op, outcome.serverOrder);
                !message.isEmpty()) {
                addMessage(op.orderId, message);
                recorded.messages << message;
            }
        }
        return;
    case PushOutcome::Kind::Deferred:
        // Kept pending, sent again by a later push (its money stays booked here meanwhile).
        m_db.exec(u"UPDATE outbox SET attempts = attempts + 1, last_error = ? "
                  "WHERE seq = ? AND state = 'pending'"_s,
                  {outcome.message, op.seq});
        ++recorded.deferred;
        return;
    case PushOutcome::Kind::Rejected: {
        const QString message = u"The server rejected %1 (seq %2)%3: %4 (%5)"_s.arg(
            op.op, QString::number(op.seq),
            op.orderId.isEmpty() ? QString() : u" of order "_s + shortId(op.orderId),
            outcome.message, outcome.code);
        markFailed(op, u"rejected"_s, outcome.code, message);
        markLaterOpsOfOrder(op, u"rejected"_s, u"earlier_op_rejected"_s,
                            u"Not sent: the server rejected an earlier action on this order "
                            "(seq %1)."_s.arg(op.seq));
        ++recorded.rejected;
        // A person must see it, and resolve it; with the payment when one is held back.
        reviewOp(op, u"sync_rejected"_s, outcome.code, message);
        if (outcome.code != u"earlier_op_rejected"_s) {
            addMessage(op.orderId, message);
            recorded.messages << message;
        }
        return;
    }
    case PushOutcome::Kind::Conflict: {
        ++recorded.conflicts;
        QString message;
        if (!op.orderId.isEmpty() && !outcome.serverOrder.isEmpty()) {
            const QString taken = takeServerOrder(op, outcome.serverOrder);
            message = u"Order %1: %2"_s.arg(shortId(op.orderId), outcome.message);
            if (!taken.isEmpty())
                message += u' ' + taken;
        } else if (!op.orderId.isEmpty()) {
            message =
                u"Order %1 could not be synced: %2"_s.arg(shortId(op.orderId), outcome.message);
        } else {
            const QString tabName = outcome.serverTab.value(u"name"_s).toString();
            message = u"Tab %1 could not be settled on the server: %2"_s.arg(
                tabName.isEmpty() ? shortId(op.tabId) : u"\"%1\""_s.arg(tabName), outcome.message);
        }
        // A conflict is this one change, reported and not applied; the order's later actions
        // (its payment above all) are still sent (protocol 2).
        markFailed(op, u"conflict"_s, outcome.code, message);
        reviewOp(op, op.orderId.isEmpty() ? u"sync_rejected"_s : u"line_conflict"_s, outcome.code,
                 message);
        addMessage(op.orderId, message);
        recorded.messages << message;
        return;
    }
    }
}

Result<SyncStore::Recorded> SyncStore::record(const QList<OutboxOp> &ops,
                                              const QList<PushOutcome> &outcomes)
{
    Q_ASSERT(ops.size() == outcomes.size());
    Result<Recorded> all = m_db.write([&] {
        m_replacedInThisRecord.clear();
        Recorded recorded;
        for (qsizetype i = 0; i < ops.size(); ++i)
            recordOne(ops.at(i), outcomes.at(i), recorded);
        return Result<Recorded>::ok(recorded);
    });
    if (all.outcome() != Outcome::Error)
        return all;
    // One op whose server state this database refuses (a cashier unknown here, a tab name taken)
    // must not hold back the others: record them one by one, and keep the refused one failed.
    Recorded total;
    for (qsizetype i = 0; i < ops.size(); ++i) {
        Result<Recorded> one = m_db.write([&] {
            m_replacedInThisRecord.clear();
            Recorded recorded;
            recordOne(ops.at(i), outcomes.at(i), recorded);
            return Result<Recorded>::ok(recorded);
        });
        if (one.outcome() == Outcome::Error) {
            one = failOp(ops.at(i), u"local_apply_failed"_s,
                         u"The server's state of order %1 could not be stored on this till (%2); "
                         "the op is kept."_s.arg(shortId(ops.at(i).orderId), one.detail()));
        }
        if (!one)
            return one;
        total.sent += one->sent;
        total.conflicts += one->conflicts;
        total.rejected += one->rejected;
        total.deferred += one->deferred;
        total.messages << one->messages;
    }
    return Result<Recorded>::ok(total);
}

Result<SyncStore::Recorded> SyncStore::failOp(const OutboxOp &op, const QString &code,
                                              const QString &message)
{
    return m_db.write([&] {
        markFailed(op, u"rejected"_s, code, message);
        markLaterOpsOfOrder(
            op, u"rejected"_s, u"earlier_op_rejected"_s,
            u"Not sent: an earlier action on this order (seq %1) failed."_s.arg(op.seq));
        addMessage(op.orderId, message);
        Recorded recorded;
        recorded.rejected = 1;
        recorded.messages << message;
        return Result<Recorded>::ok(recorded);
    });
}

Result<int> SyncStore::applyPull(const QJsonObject &snapshot, const QString &serverUrl,
                                 const QByteArray &etag)
{
    const QString problem = pullProblem(snapshot);
    if (!problem.isEmpty())
        return Result<int>::invalidInput(
            u"The server's pull answer is malformed (%1); nothing was changed."_s.arg(problem));
    return m_db.write([&] {
        QSet<QString> serverCashiers;
        for (const QJsonValue &value : snapshot.value(u"cashiers"_s).toArray())
            serverCashiers.insert(value.toObject().value(u"id"_s).toString());
        // Local cashiers the server does not have: gone if nothing refers to them; otherwise kept
        // for their orders' sake, but no longer able to log in (the server is the source of truth).
        QStringList retired;
        {
            QSqlQuery &query = m_db.exec(u"SELECT id FROM cashiers"_s);
            while (query.next()) {
                if (!serverCashiers.contains(query.value(0).toString()))
                    retired << query.value(0).toString();
            }
        }
        for (const QString &id : std::as_const(retired)) {
            if (m_db.scalar(u"SELECT 1 FROM order_sessions WHERE cashier_id = ? LIMIT 1"_s, {id})
                    .isValid()) {
                m_db.exec(
                    u"UPDATE cashiers SET name_key = ?, pin_hash = ? WHERE id = ?"_s,
                    {CashierService::retiredNameKey(id), CashierService::retiredPinHash(), id});
            } else {
                m_db.exec(u"DELETE FROM cashiers WHERE id = ?"_s, {id});
            }
        }
        // A renamed cashier could briefly collide with another's old name: clear the keys first.
        for (const QString &id : std::as_const(serverCashiers))
            m_db.exec(u"UPDATE cashiers SET name_key = ? WHERE id = ?"_s,
                      {u"renaming:"_s + id, id});
        for (const QJsonValue &value : snapshot.value(u"cashiers"_s).toArray()) {
            const QJsonObject cashier = value.toObject();
            const QString name = cashier.value(u"name"_s).toString();
            m_db.exec(u"INSERT INTO cashiers (id, name, name_key, role, pin_hash, created_at) "
                      "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET "
                      "name = excluded.name, name_key = excluded.name_key, role = excluded.role, "
                      "pin_hash = excluded.pin_hash, created_at = excluded.created_at"_s,
                      {cashier.value(u"id"_s).toString(), name, nameKey(name),
                       cashier.value(u"role"_s).toString(), cashier.value(u"pin_hash"_s).toString(),
                       cashier.value(u"created_at"_s).toString()});
        }
        QSet<QString> serverSkus;
        for (const QJsonValue &value : snapshot.value(u"products"_s).toArray()) {
            const QJsonObject product = value.toObject();
            serverSkus.insert(product.value(u"sku"_s).toString());
            m_db.exec(u"INSERT INTO products (sku, name, price_cents, category, updated_at, "
                      "tax_code, open_price) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (sku) DO "
                      "UPDATE SET name = excluded.name, price_cents = excluded.price_cents, "
                      "category = excluded.category, updated_at = excluded.updated_at, "
                      "tax_code = excluded.tax_code, open_price = excluded.open_price"_s,
                      {product.value(u"sku"_s).toString(), product.value(u"name"_s).toString(),
                       product.value(u"price_cents"_s).toInteger(),
                       product.value(u"category"_s).toString(),
                       product.value(u"updated_at"_s).toString(),
                       nullIfEmpty(product.value(u"tax_code"_s).toString()),
                       product.value(u"open_price"_s).toInt()});
        }
        // The server's tax rates, exactly (a server from before taxes sends none). Lines keep
        // the rate they were added with, so a rate gone from the list changes no order.
        QSet<QString> serverRates;
        for (const QJsonValue &value : snapshot.value(u"tax_rates"_s).toArray()) {
            const QJsonObject rate = value.toObject();
            serverRates.insert(rate.value(u"code"_s).toString());
            m_db.exec(u"INSERT INTO tax_rates (code, name, rate_bp, updated_at) "
                      "VALUES (?, ?, ?, ?) ON CONFLICT (code) DO UPDATE SET "
                      "name = excluded.name, rate_bp = excluded.rate_bp, "
                      "updated_at = excluded.updated_at"_s,
                      {rate.value(u"code"_s).toString(), rate.value(u"name"_s).toString(),
                       rate.value(u"rate_bp"_s).toInt(), toStorageTime(Clock::system().now())});
        }
        {
            QStringList gone;
            QSqlQuery &query = m_db.exec(u"SELECT code FROM tax_rates"_s);
            while (query.next()) {
                if (!serverRates.contains(query.value(0).toString()))
                    gone << query.value(0).toString();
            }
            query.finish();
            for (const QString &code : std::as_const(gone))
                m_db.exec(u"DELETE FROM tax_rates WHERE code = ?"_s, {code});
        }
        ShopSettings(m_db).storePulled(snapshot.value(u"shop"_s).toObject());
        // Refunds made elsewhere of this till's sales (absent from older servers: unchanged).
        if (snapshot.contains(u"refunded_elsewhere"_s)) {
            QHash<QString, int> refunded;
            for (const QJsonValue &value : snapshot.value(u"refunded_elsewhere"_s).toArray())
                refunded.insert(value.toObject().value(u"line_id"_s).toString(),
                                value.toObject().value(u"quantity"_s).toInt());
            OrderStore(m_db).storeRefundedElsewhere(refunded);
        }
        // Order lines copy a product's name and price, so a product the server dropped can go.
        QStringList dropped;
        {
            QSqlQuery &query = m_db.exec(u"SELECT sku FROM products"_s);
            while (query.next()) {
                if (!serverSkus.contains(query.value(0).toString()))
                    dropped << query.value(0).toString();
            }
        }
        for (const QString &sku : std::as_const(dropped))
            m_db.exec(u"DELETE FROM products WHERE sku = ?"_s, {sku});
        const QString prefix =
            snapshot.value(u"device"_s).toObject().value(u"receipt_prefix"_s).toString();
        if (!prefix.isEmpty())
            m_db.exec(u"UPDATE terminal SET receipt_prefix = ? WHERE receipt_prefix <> ?"_s,
                      {prefix, prefix});
        m_db.exec(u"UPDATE sync_client_state SET server_url = ?, pull_etag = ? WHERE id = 1"_s,
                  {serverUrl, QString::fromLatin1(etag)});
        return Result<int>::ok(int(serverCashiers.size() + serverSkus.size()));
    });
}

Result<QByteArray> SyncStore::pullEtag(const QString &serverUrl)
{
    return m_db.read([&] {
        QSqlQuery &query =
            m_db.exec(u"SELECT server_url, pull_etag FROM sync_client_state WHERE id = 1"_s);
        // An ETag from another server means nothing to this one.
        QByteArray etag;
        if (query.next() && query.value(0).toString() == serverUrl)
            etag = query.value(1).toString().toLatin1();
        query.finish();
        return Result<QByteArray>::ok(etag);
    });
}

Result<int> SyncStore::noteSuccess()
{
    return m_db.write([&] {
        return Result<int>::ok(m_db.change(u"UPDATE sync_client_state SET last_success_at = ?, "
                                           "last_error = NULL, next_attempt_at = NULL "
                                           "WHERE id = 1"_s,
                                           {now()}));
    });
}

Result<int> SyncStore::noteError(const QString &error)
{
    return m_db.write([&] {
        return Result<int>::ok(m_db.change(
            u"UPDATE sync_client_state SET last_error = ? WHERE id = 1"_s, {error.left(2000)}));
    });
}

Result<SyncCounts> SyncStore::counts()
{
    return m_db.read([&] {
        SyncCounts counts;
        counts.pending =
            m_db.scalar(u"SELECT COUNT(*) FROM outbox WHERE state = 'pending'"_s).toLongLong();
        counts.failed =
            m_db.scalar(u"SELECT COUNT(*) FROM outbox WHERE state = 'failed'"_s).toLongLong();
        {
            QSqlQuery &query = m_db.exec(u"SELECT last_success_at, last_error, server_url "
                                         "FROM sync_client_state WHERE id = 1"_s);
            if (query.next()) {
                counts.lastSuccess = fromStorageTime(query.value(0).toString());
                counts.lastError = query.value(1).toString();
                counts.serverUrl = query.value(2).toString();
            }
            query.finish();
        }
        {
            QSqlQuery &query =
                m_db.exec(u"SELECT message FROM sync_messages WHERE acknowledged = 0 "
                          "ORDER BY id DESC LIMIT ?"_s,
                          {maxShownProblems});
            while (query.next())
                counts.messages << query.value(0).toString();
        }
        if (counts.failed > 0) {
            QSqlQuery &query = m_db.exec(
                u"SELECT o.seq, o.op, o.order_id, p.kind, p.code, p.message FROM outbox o "
                "JOIN sync_op_problems p ON p.seq = o.seq WHERE o.state = 'failed' "
                "ORDER BY o.seq DESC LIMIT ?"_s,
                {maxShownProblems});
            while (query.next()) {
                counts.problems.append(
                    SyncProblem{query.value(0).toLongLong(), query.value(1).toString(),
                                query.value(2).toString(), query.value(3).toString(),
                                query.value(4).toString(), query.value(5).toString()});
            }
        }
        return Result<SyncCounts>::ok(counts);
    });
}

Result<int> SyncStore::acknowledgeMessages()
{
    return m_db.write([&] {
        return Result<int>::ok(
            m_db.change(u"UPDATE sync_messages SET acknowledged = 1 WHERE acknowledged = 0"_s));
    });
}

bool SyncStore::isSyncedTerminal(Database &database, QString *serverUrl)
{
    try {
        const QVariant url =
            database.scalar(u"SELECT server_url FROM sync_client_state WHERE id = 1"_s);
        if (serverUrl)
            *serverUrl = url.toString();
        return !url.isNull() && !url.toString().isEmpty();
    } catch (const SqlFailure &failure) {
        // An unknown state counts as synced, so that no local edit slips past the server.
        qCWarning(lcSync).noquote() << "cannot read the sync state:" << failure.describe();
        return true;
    }
}

QString SyncStore::serverIsSourceOfTruthMessage(const QString &serverUrl)
{
    return u"This till syncs with %1: cashiers and the catalog are managed on the server "
           "(safetill-server user/product commands) and come to this till with the next sync. "
           "Nothing was changed here."_s.arg(serverUrl.isEmpty() ? u"a central server"_s
                                                                 : serverUrl);
}

} // namespace SafeTill
