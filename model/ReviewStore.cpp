#include "ReviewStore.h"

#include "Database.h"
#include "Json.h"

#include <QCoreApplication>
#include <QJsonDocument>

using namespace Qt::StringLiterals;

namespace SafeTill {

namespace {

struct Text
{
    Q_DECLARE_TR_FUNCTIONS(SafeTill::ReviewStore)
};

const QString selectItem = u"SELECT id, kind, order_id, tab_id, payment_id, terminal_id, "
                           "amount_cents, summary, detail, created_at, status, resolution, "
                           "resolution_note, resolved_by, resolved_at FROM review_items "_s;

ReviewItem itemFromRow(const QSqlQuery &row)
{
    ReviewItem item;
    item.id = row.value(0).toString();
    item.kind = row.value(1).toString();
    item.orderId = row.value(2).toString();
    item.tabId = row.value(3).toString();
    item.paymentId = row.value(4).toString();
    item.terminalId = row.value(5).toString();
    item.amountCents = row.value(6).toLongLong();
    item.summary = row.value(7).toString();
    item.detail = QJsonDocument::fromJson(row.value(8).toString().toUtf8()).object();
    item.createdAt = fromStorageTime(row.value(9).toString());
    item.resolved = row.value(10).toString() == u"resolved"_s;
    item.resolution = row.value(11).toString();
    item.resolutionNote = row.value(12).toString();
    item.resolvedBy = row.value(13).toString();
    item.resolvedAt = fromStorageTime(row.value(14).toString());
    return item;
}

} // namespace

QJsonObject toJson(const ReviewItem &item)
{
    return {
        {u"id"_s, item.id},
        {u"kind"_s, item.kind},
        {u"order_id"_s, textOrNull(item.orderId)},
        {u"tab_id"_s, textOrNull(item.tabId)},
        {u"payment_id"_s, textOrNull(item.paymentId)},
        {u"terminal_id"_s, item.terminalId},
        {u"amount_cents"_s, item.amountCents},
        {u"summary"_s, item.summary},
        {u"detail"_s, item.detail},
        {u"created_at"_s, timeOrNull(item.createdAt)},
        {u"status"_s, item.resolved ? u"resolved"_s : u"open"_s},
        {u"resolution"_s, textOrNull(item.resolution)},
        {u"resolution_note"_s, textOrNull(item.resolutionNote)},
        {u"resolved_by"_s, textOrNull(item.resolvedBy)},
        {u"resolved_at"_s, timeOrNull(item.resolvedAt)},
    };
}

std::optional<ReviewItem> reviewItemFromJson(const QJsonObject &json)
{
    ReviewItem item;
    item.id = json.value(u"id"_s).toString();
    item.kind = json.value(u"kind"_s).toString();
    if (item.id.isEmpty() || item.id.size() > 64 || !ReviewStore::resolutionsFor(item.kind).size())
        return std::nullopt;
    item.orderId = json.value(u"order_id"_s).toString();
    item.tabId = json.value(u"tab_id"_s).toString();
    item.paymentId = json.value(u"payment_id"_s).toString();
    item.terminalId = json.value(u"terminal_id"_s).toString();
    item.amountCents = json.value(u"amount_cents"_s).toInteger();
    item.summary = json.value(u"summary"_s).toString().left(2000);
    if (item.summary.isEmpty())
        return std::nullopt;
    item.detail = json.value(u"detail"_s).toObject();
    item.createdAt = fromStorageTime(json.value(u"created_at"_s).toString());
    return item;
}

void ReviewStore::insert(const ReviewItem &item)
{
    const QDateTime created = item.createdAt.isValid() ? item.createdAt : m_clock.now();
    m_db.exec(u"INSERT INTO review_items (id, kind, order_id, tab_id, payment_id, terminal_id, "
              "amount_cents, summary, detail, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
              "ON CONFLICT (id) DO NOTHING"_s,
              {item.id, item.kind, nullIfEmpty(item.orderId), nullIfEmpty(item.tabId),
               nullIfEmpty(item.paymentId), item.terminalId, item.amountCents,
               item.summary.left(2000),
               QString::fromUtf8(QJsonDocument(item.detail).toJson(QJsonDocument::Compact)),
               toStorageTime(created)});
}

std::optional<ReviewItem> ReviewStore::load(const QString &id)
{
    QSqlQuery &query = m_db.exec(selectItem + u"WHERE id = ?"_s, {id});
    std::optional<ReviewItem> item;
    if (query.next())
        item = itemFromRow(query);
    query.finish();
    return item;
}

Result<QList<ReviewItem>> ReviewStore::list(bool includeResolved)
{
    return m_db.read([&] {
        QSqlQuery &query =
            includeResolved
                ? m_db.exec(selectItem + u"ORDER BY created_at DESC, id"_s)
                : m_db.exec(selectItem + u"WHERE status = 'open' ORDER BY created_at DESC, id"_s);
        QList<ReviewItem> items;
        while (query.next())
            items.append(itemFromRow(query));
        query.finish();
        return Result<QList<ReviewItem>>::ok(items);
    });
}

Result<ReviewItem> ReviewStore::item(const QString &id)
{
    return m_db.read([&] {
        if (std::optional<ReviewItem> item = load(id))
            return Result<ReviewItem>::ok(*item);
        return Result<ReviewItem>::notFound(Text::tr("There is no review item %1.").arg(id));
    });
}

Result<qint64> ReviewStore::openCount()
{
    return m_db.read([&] {
        return Result<qint64>::ok(
            m_db.scalar(u"SELECT COUNT(*) FROM review_items WHERE status = 'open'"_s).toLongLong());
    });
}

Result<ReviewItem> ReviewStore::resolve(const QString &id, const QString &resolution,
                                        const QString &note, const QString &resolvedBy)
{
    if (note.size() > 2000)
        return Result<ReviewItem>::invalidInput(
            Text::tr("The note is longer than 2000 characters."));
    if (resolvedBy.trimmed().isEmpty())
        return Result<ReviewItem>::invalidInput(
            Text::tr("Say who resolves the item (the manager's name)."));
    return m_db.write([&]() -> Result<ReviewItem> {
        const std::optional<ReviewItem> current = load(id);
        if (!current)
            return Result<ReviewItem>::notFound(Text::tr("There is no review item %1.").arg(id));
        if (current->resolved) {
            return Result<ReviewItem>::failure(
                Outcome::InvalidState,
                Text::tr("This item was already resolved (%1 by %2).")
                    .arg(describeResolution(current->resolution), current->resolvedBy),
                current);
        }
        if (!resolutionsFor(current->kind).contains(resolution)) {
            return Result<ReviewItem>::invalidInput(
                Text::tr("The resolution \u201c%1\u201d does not fit this item; choose one of: %2.")
                    .arg(resolution, resolutionsFor(current->kind).join(u", "_s)));
        }
        // Conditional: a manager resolving the same item in another window at once loses here.
        const int changed = m_db.change(
            u"UPDATE review_items SET status = 'resolved', resolution = ?, resolution_note = ?, "
            "resolved_by = ?, resolved_at = ? WHERE id = ? AND status = 'open'"_s,
            {resolution, note, resolvedBy.trimmed(), toStorageTime(m_clock.now()), id});
        if (changed != 1)
            return Result<ReviewItem>::failure(
                Outcome::Conflict, Text::tr("This item was resolved at the same moment."));
        return Result<ReviewItem>::ok(*load(id));
    });
}

QStringList ReviewStore::resolutionsFor(const QString &kind)
{
    if (kind == u"paid_order_changed"_s || kind == u"lines_after_payment"_s)
        return {u"collected"_s, u"refunded"_s, u"written_off"_s};
    if (kind == u"paid_twice"_s)
        return {u"refunded"_s, u"kept"_s};
    if (kind == u"line_conflict"_s || kind == u"sync_rejected"_s)
        return {u"acknowledged"_s};
    if (kind == u"over_refunded"_s)
        return {u"collected"_s, u"written_off"_s};
    return {};
}

QString ReviewStore::describeResolution(const QString &resolution)
{
    if (resolution == u"collected"_s)
        return Text::tr("the difference was collected from the customer");
    if (resolution == u"refunded"_s)
        return Text::tr("the difference was refunded to the customer");
    if (resolution == u"written_off"_s)
        return Text::tr("the difference was written off");
    if (resolution == u"kept"_s)
        return Text::tr("the overpayment was kept, with the customer's agreement");
    if (resolution == u"acknowledged"_s)
        return Text::tr("seen and dealt with");
    return resolution;
}

QString ReviewStore::describeKind(const QString &kind)
{
    if (kind == u"paid_order_changed"_s)
        return Text::tr("Paid order changed elsewhere");
    if (kind == u"paid_twice"_s)
        return Text::tr("Order paid twice");
    if (kind == u"lines_after_payment"_s)
        return Text::tr("Items added after payment");
    if (kind == u"line_conflict"_s)
        return Text::tr("Line edit not applied");
    if (kind == u"sync_rejected"_s)
        return Text::tr("Refused by the server");
    if (kind == u"over_refunded"_s)
        return Text::tr("Refunded more than was sold");
    return kind;
}

} // namespace SafeTill
