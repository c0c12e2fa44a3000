#pragma once

#include "ActionJournal.h"
#include "Clock.h"
#include "OrderStore.h"
#include "Result.h"
#include "Types.h"

#include <QDate>
#include <QJsonObject>
#include <QTimeZone>

#include <optional>

namespace SafeTill {

class Database;

// What a cashier looks for in the receipts list. Every field given must match (AND); none given
// lists the latest sales.
struct ReceiptQuery
{
    // A receipt number as printed ("A1B2-000123", any case), or the start of one ("A1B2-0001"),
    // or just the sequence digits after the terminal prefix ("123" or "000123": that receipt of
    // each terminal prefix this database knows).
    QString number;
    // The exact amount paid, in cents.
    std::optional<Cents> amountCents;
    // A calendar day in timeZone (the till's own by default): the sales paid from that day's
    // local midnight up to the next one, converted to a UTC range of paid_at (which is stored in
    // UTC). A day with a DST change is 23 or 25 hours long.
    std::optional<QDate> date;
    QTimeZone timeZone = QTimeZone::systemTimeZone();
    // At most this many rows (1 to maxLimit); ReceiptList::more says when there were more.
    int limit = 200;
};

// One past sale: an order paid by itself, or a settled tab.
struct ReceiptSummary
{
    QString receiptNo;
    QString orderId; // set for an order paid by itself...
    QString tabId;   // ...or for a settled tab; never both
    QString tabName;
    QDateTime paidAt; // UTC
    Cents amountCents = 0;
    PaymentMethod method = PaymentMethod::Cash;
    QString cashierId;   // who took the money (empty for a tab's settlement)
    QString cashierName; // their name, where known
    QString terminalId;  // where the money was taken
};

struct ReceiptList
{
    QList<ReceiptSummary> receipts; // newest first
    bool more = false;              // more sales matched than the limit
};

// A receipt and the sale behind it: the order, or the tab with its orders.
struct Receipt
{
    ReceiptSummary summary;
    std::optional<Order> order;
    std::optional<Tab> tab;
};

QJsonObject toJson(const ReceiptSummary &summary);

// The receipts list (read-only over payments, orders and tabs), and the record of a reprint.
// Sales are found through their sale payment, which carries the receipt number for an order
// paid by itself and for a settled tab alike. One instance per thread, on that thread's
// Database (see services/Services).
class ReceiptSearch
{
public:
    static constexpr int defaultLimit = 200;
    static constexpr int maxLimit = 1000;
    static constexpr int maxNumberLength = 40;

    ReceiptSearch(Database &database, const Clock &clock = Clock::system());

    // Newest first (number searches: the highest numbers matched, shown newest first), at most
    // query.limit rows. InvalidInput, naming the field, for a bad number, a negative amount or a
    // limit out of range.
    Result<ReceiptList> search(const ReceiptQuery &query);
    // The sale behind a receipt number (exact, any case). NotFound: "There is no receipt …".
    Result<Receipt> receipt(const QString &receiptNo);
    // Records that the receipt was printed again (a COPY) by the cashier: one history entry
    // "reprint" on the order (for a tab, on each of its orders), its version and status
    // unchanged, in one write transaction. A repeated request id records nothing more (replay).
    // Local only: a reprint changes no order, so it leaves no outbox row and is not synced.
    Result<Receipt> recordReprint(const QString &receiptNo, const QString &cashierId,
                                  const QString &requestId);

    // The UTC range [from, to) of a local calendar day, as search() uses it.
    static std::pair<QDateTime, QDateTime> dayRange(QDate date, const QTimeZone &zone);

private:
    std::optional<Receipt> load(const QString &receiptNo);

    Database &m_db;
    OrderStore m_store;
    ActionJournal m_journal;
};

} // namespace SafeTill
