#pragma once

#include "Clock.h"
#include "Result.h"
#include "Types.h"

#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

namespace SafeTill {

class Database;

// A case sync could not settle alone, for a manager (docs/sync-protocol.md, "review list"). The
// money in it is always booked already; an item says what to look at and records how it was
// resolved. Kinds:
//   paid_order_changed   a till took payment for a version of an order that had meanwhile been
//                        changed elsewhere: the payment is booked for what was paid, the lines
//                        that were not paid for (or paid for but removed) are the difference
//   paid_twice           an order was paid at two places: the second payment is an overpayment
//   lines_after_payment  items added at a till to an order already paid on the server
//   line_conflict        an edit of a line that was removed or changed elsewhere; not applied
//   sync_rejected        the server refused an op of this till (the code and message say why)
//   over_refunded        a till's refund paid back units that had meanwhile been refunded
//                        elsewhere (another till, the server): booked as excess lines, money kept;
//                        amountCents is what was paid out too much; collected or written_off
struct ReviewItem
{
    QString id;
    QString kind;
    QString orderId;
    QString tabId;
    QString paymentId;
    QString terminalId;
    Cents amountCents = 0; // the difference: > 0 not paid for, < 0 paid for but not delivered
    QString summary;       // one sentence in domain words
    QJsonObject detail;    // what was paid, what changed (lines)
    QDateTime createdAt;
    bool resolved = false;
    QString resolution;
    QString resolutionNote;
    QString resolvedBy;
    QDateTime resolvedAt;
};

QJsonObject toJson(const ReviewItem &item);
std::optional<ReviewItem> reviewItemFromJson(const QJsonObject &json);

// The one owner of review_items' writes.
class ReviewStore
{
public:
    explicit ReviewStore(Database &database, const Clock &clock = Clock::system())
        : m_db(database)
        , m_clock(clock)
    {}

    // Inside the caller's write transaction. An item with a known id is kept as it is (the same
    // case reported twice, e.g. by the server's answer and a retry of it).
    void insert(const ReviewItem &item);

    // Each its own transaction.
    Result<QList<ReviewItem>> list(bool includeResolved = false);
    Result<ReviewItem> item(const QString &id);
    Result<qint64> openCount();
    // Closes an open item with one of resolutionsFor(kind); who resolved it is recorded.
    Result<ReviewItem> resolve(const QString &id, const QString &resolution, const QString &note,
                               const QString &resolvedBy);

    // What a person can decide for a kind of item (machine names, see describeResolution()).
    static QStringList resolutionsFor(const QString &kind);
    static QString describeResolution(const QString &resolution);
    static QString describeKind(const QString &kind);

private:
    std::optional<ReviewItem> load(const QString &id);

    Database &m_db;
    const Clock &m_clock;
};

} // namespace SafeTill
