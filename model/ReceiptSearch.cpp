#include "ReceiptSearch.h"

#include "Database.h"
#include "Validation.h"

#include <QCoreApplication>
#include <QSet>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace SafeTill {

namespace {

struct Text
{
    Q_DECLARE_TR_FUNCTIONS(SafeTill::ReceiptSearch)
};

// kind = 'sale' AND receipt_no IS NOT NULL is written out (not bound) so that SQLite can use the
// partial indexes of migration 012, which hold the payments that carry a receipt number: the only
// payment of a single tender, the last of a split tender. Its due_cents is the receipt's total.
const QString selectSummary =
    u"SELECT p.receipt_no, p.order_id, p.tab_id, t.name, p.paid_at, p.due_cents, p.method, "
    "p.cashier_id, c.name, p.terminal_id FROM payments p "
    "LEFT JOIN cashiers c ON c.id = p.cashier_id "
    "LEFT JOIN tabs t ON t.id = p.tab_id "_s;

ReceiptSummary summaryFromRow(const QSqlQuery &row)
{
    ReceiptSummary summary;
    summary.receiptNo = row.value(0).toString();
    summary.orderId = row.value(1).toString();
    summary.tabId = row.value(2).toString();
    summary.tabName = row.value(3).toString();
    summary.paidAt = fromStorageTime(row.value(4).toString());
    summary.amountCents = row.value(5).toLongLong();
    summary.method = paymentMethodFromString(row.value(6).toString()).value_or(PaymentMethod::Cash);
    summary.cashierId = row.value(7).toString();
    summary.cashierName = row.value(8).toString();
    summary.terminalId = row.value(9).toString();
    return summary;
}

// The first string after every string that starts with prefix, in byte order (SQLite's BINARY,
// PostgreSQL's "C" collation): the prefix with its last character raised by one. The number is
// checked to be printable ASCII, so the raised character never leaves ASCII.
QString prefixEnd(const QString &prefix)
{
    QString end = prefix;
    end.back() = QChar(end.back().unicode() + 1);
    return end;
}

bool isDigits(const QString &text)
{
    return !text.isEmpty() &&
           std::all_of(text.begin(), text.end(), [](QChar c) { return c >= u'0' && c <= u'9'; });
}

// Why a receipt number (trimmed, upper case) cannot name one receipt; empty when it can.
QString numberProblem(const QString &number)
{
    if (number.isEmpty())
        return Text::tr("Give a receipt number.");
    if (number.size() > ReceiptSearch::maxNumberLength)
        return Text::tr("The receipt number is too long (at most %1 characters).")
            .arg(ReceiptSearch::maxNumberLength);
    return {};
}

} // namespace

QJsonObject toJson(const ReceiptSummary &summary)
{
    const QJsonValue null(QJsonValue::Null);
    return QJsonObject{
        {u"receipt_no"_s, summary.receiptNo},
        {u"order_id"_s, summary.orderId.isEmpty() ? null : QJsonValue(summary.orderId)},
        {u"tab_id"_s, summary.tabId.isEmpty() ? null : QJsonValue(summary.tabId)},
        {u"tab_name"_s, summary.tabName.isEmpty() ? null : QJsonValue(summary.tabName)},
        {u"paid_at"_s, toStorageTime(summary.paidAt)},
        {u"amount_cents"_s, summary.amountCents},
        {u"method"_s, toString(summary.method)},
        {u"cashier_id"_s, summary.cashierId.isEmpty() ? null : QJsonValue(summary.cashierId)},
        {u"cashier_name"_s, summary.cashierName.isEmpty() ? null : QJsonValue(summary.cashierName)},
        {u"terminal_id"_s, summary.terminalId}};
}

ReceiptSearch::ReceiptSearch(Database &database, const Clock &clock)
    : m_db(database)
    , m_store(database)
    , m_journal(database, clock)
{}

std::pair<QDateTime, QDateTime> ReceiptSearch::dayRange(QDate date, const QTimeZone &zone)
{
    // QDateTime moves a midnight that does not exist (a DST jump at 00:00) to the first valid time.
    const QDateTime from(date, QTime(0, 0), zone);
    const QDateTime to(date.addDays(1), QTime(0, 0), zone);
    return {from.toUTC(), to.toUTC()};
}

Result<ReceiptList> ReceiptSearch::search(const ReceiptQuery &query)
{
    const QString number = query.number.trimmed().toUpper();
    if (number.size() > maxNumberLength)
        return Result<ReceiptList>::invalidInput(
            Text::tr("The receipt number is too long (at most %1 characters).")
                .arg(maxNumberLength));
    for (const QChar c : number) {
        if (c.unicode() < 0x21 || c.unicode() > 0x7e)
            return Result<ReceiptList>::invalidInput(
                Text::tr("The receipt number may hold only letters, "
                         "digits and signs such as \u201c-\u201d."));
    }
    if (query.amountCents && *query.amountCents < 0)
        return Result<ReceiptList>::invalidInput(
            Text::tr("The amount must be 0 or more (in cents); %1 was given.")
                .arg(*query.amountCents));
    if (query.amountCents && *query.amountCents > Limits::maxTenderCents)
        return Result<ReceiptList>::invalidInput(
            Text::tr("The amount must be at most %1 cents.").arg(Limits::maxTenderCents));
    if (query.date && !query.date->isValid())
        return Result<ReceiptList>::invalidInput(Text::tr("The date is not a valid calendar day."));
    if (query.limit < 1 || query.limit > maxLimit)
        return Result<ReceiptList>::invalidInput(
            Text::tr("The limit must be from 1 to %1.").arg(maxLimit));

    const bool postgres = m_db.dialect() == SqlDialect::Postgres;
    // Receipt numbers compare byte by byte: PostgreSQL's database collation might not (migration
    // 010 indexes them in "C" there).
    const QString receiptColumn = postgres ? u"p.receipt_no COLLATE \"C\""_s : u"p.receipt_no"_s;

    QString filters = u"WHERE p.kind = 'sale' AND p.receipt_no IS NOT NULL"_s;
    QVariantList values;
    if (query.amountCents) {
        filters += u" AND p.due_cents = ?"_s;
        values << *query.amountCents;
    }
    if (query.date) {
        const auto [from, to] = dayRange(*query.date, query.timeZone);
        filters += u" AND p.paid_at >= ? AND p.paid_at < ?"_s;
        values << toStorageTime(from) << toStorageTime(to);
    }

    return m_db.read([&]() -> Result<ReceiptList> {
        QList<ReceiptSummary> found;
        const int fetch = query.limit + 1;
        if (number.isEmpty()) {
            QSqlQuery &rows = m_db.exec(
                selectSummary + filters + u" ORDER BY p.paid_at DESC, p.receipt_no DESC LIMIT ?"_s,
                QVariantList(values) << fetch);
            while (rows.next())
                found.append(summaryFromRow(rows));
            rows.finish();
        } else {
            // The numbers that start with the text, highest first (index range on receipt_no)...
            QSqlQuery &rows = m_db.exec(
                selectSummary + filters +
                    u" AND %1 >= ? AND %1 < ? ORDER BY %1 DESC LIMIT ?"_s.arg(receiptColumn),
                QVariantList(values) << number << prefixEnd(number) << fetch);
            QSet<QString> seen;
            while (rows.next()) {
                found.append(summaryFromRow(rows));
                seen.insert(found.back().receiptNo);
            }
            rows.finish();
            // ...and, for digits alone, the receipt of that sequence number of each prefix known
            // here (this terminal's, and on a server its devices').
            if (isDigits(number) && number.size() <= 12) {
                const QString suffix = u"-%1"_s.arg(number.toLongLong(), 6, 10, QLatin1Char('0'));
                QStringList prefixes;
                QSqlQuery &known = m_db.exec(
                    u"SELECT receipt_prefix FROM terminal UNION SELECT receipt_prefix FROM devices "
                    "WHERE receipt_prefix IS NOT NULL"_s);
                while (known.next())
                    prefixes << known.value(0).toString() + suffix;
                known.finish();
                for (const QString &candidate : std::as_const(prefixes)) {
                    if (seen.contains(candidate))
                        continue;
                    QSqlQuery &one = m_db.exec(selectSummary + filters + u" AND p.receipt_no = ?"_s,
                                               QVariantList(values) << candidate);
                    while (one.next()) {
                        found.append(summaryFromRow(one));
                        seen.insert(candidate);
                    }
                    one.finish();
                }
            }
            std::stable_sort(
                found.begin(), found.end(), [](const ReceiptSummary &a, const ReceiptSummary &b) {
                    return a.paidAt != b.paidAt ? a.paidAt > b.paidAt : a.receiptNo > b.receiptNo;
                });
        }
        ReceiptList list;
        list.more = found.size() > query.limit;
        found.resize(qMin<qsizetype>(found.size(), query.limit));
        list.receipts = std::move(found);
        return Result<ReceiptList>::ok(std::move(list));
    });
}

std::optional<Receipt> ReceiptSearch::load(const QString &receiptNo)
{
    QSqlQuery &row = m_db.exec(selectSummary + u"WHERE p.receipt_no = ?"_s, {receiptNo});
    if (!row.next()) {
        row.finish();
        return std::nullopt;
    }
    Receipt receipt;
    receipt.summary = summaryFromRow(row);
    row.finish();
    if (!receipt.summary.orderId.isEmpty())
        receipt.order = m_store.load(receipt.summary.orderId);
    else
        receipt.tab = m_store.loadTab(receipt.summary.tabId);
    if (!receipt.order && !receipt.tab)
        return std::nullopt;
    return receipt;
}

Result<Receipt> ReceiptSearch::receipt(const QString &receiptNo)
{
    const QString number = receiptNo.trimmed().toUpper();
    if (const QString problem = numberProblem(number); !problem.isEmpty())
        return Result<Receipt>::invalidInput(problem);
    return m_db.read([&]() -> Result<Receipt> {
        if (std::optional<Receipt> found = load(number))
            return Result<Receipt>::ok(std::move(*found));
        return Result<Receipt>::notFound(Text::tr("There is no receipt %1.").arg(number));
    });
}

Result<Receipt> ReceiptSearch::recordReprint(const QString &receiptNo, const QString &cashierId,
                                             const QString &requestId)
{
    const QString number = receiptNo.trimmed().toUpper();
    if (const QString problem = numberProblem(number); !problem.isEmpty())
        return Result<Receipt>::invalidInput(problem);
    if (const QString problem = checkRequestId(requestId); !problem.isEmpty())
        return Result<Receipt>::invalidInput(problem);
    if (cashierId.isEmpty())
        return Result<Receipt>::invalidInput(Text::tr("Say which cashier reprints the receipt."));

    return m_db.write([&]() -> Result<Receipt> {
        std::optional<Receipt> found = load(number);
        if (!found)
            return Result<Receipt>::notFound(Text::tr("There is no receipt %1.").arg(number));
        if (!m_store.cashierExists(cashierId))
            return Result<Receipt>::notFound(Text::tr("There is no cashier %1.").arg(cashierId));
        QList<Order> orders;
        if (found->order)
            orders.append(*found->order);
        else
            orders = found->tab->orders;
        // A reprint changes no order: each entry goes from the order's version and status to the
        // same. Not synced (no outbox row): it is this till's record of a piece of paper.
        QList<HistoryEntry> entries;
        for (const Order &order : std::as_const(orders)) {
            const bool recorded =
                m_db.scalar(u"SELECT 1 FROM order_history WHERE order_id = ? AND request_id = ? "
                            "AND action = 'reprint'"_s,
                            {order.id, requestId})
                    .isValid();
            if (recorded)
                continue;
            entries.append(HistoryEntry{0,
                                        order.id,
                                        {},
                                        cashierId,
                                        u"reprint"_s,
                                        order.version,
                                        order.version,
                                        toString(order.status),
                                        toString(order.status),
                                        u"receipt %1 printed again (COPY)"_s.arg(number),
                                        requestId,
                                        {}});
        }
        if (entries.isEmpty() && !orders.isEmpty())
            return Result<Receipt>::replay(std::move(*found));
        m_journal.appendHistory(entries);
        return Result<Receipt>::ok(std::move(*found));
    });
}

} // namespace SafeTill
