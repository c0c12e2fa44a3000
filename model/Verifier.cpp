#include "Verifier.h"

#include "Database.h"
#include "OrderStore.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QMap>
#include <QSet>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace SafeTill {

namespace {

// THE ONE PLACE where payments are filtered for what they pay for: sale payments. An overpayment
// is money booked for a manager's review (with its review item), not part of what covers an
// order or a tab. Every sum below reads payments through this; the orphan, duplicate and receipt
// checks read all payments (every money fact must belong to something).
const QString salePayments =
    u"(SELECT order_id, tab_id, amount_cents FROM payments WHERE kind = 'sale')"_s;

// An order's lines summed per tax rate and pricing mode (model/Tax.h), and what each such group
// adds to the order's total: its own amount, plus its tax when the prices exclude it (rounded
// half up: the amounts are never negative). The same rule as taxTable(), in SQL, so the check
// stays one statement over every order. CAST: PostgreSQL's SUM of a BIGINT is NUMERIC.
const QString taxGroups =
    u"SELECT order_id, tax_rate_bp, price_includes_tax, "
    "CAST(SUM(unit_price_cents * quantity) AS BIGINT) AS amount FROM order_lines "
    "GROUP BY order_id, tax_code, tax_rate_bp, price_includes_tax"_s;
// An order (alias o) with a line or order discount: its total is checked through the model.
const QString discounted =
    u"(o.discount_kind <> '' OR EXISTS (SELECT 1 FROM order_lines dl WHERE dl.order_id = o.id "
    "AND dl.discount_kind <> ''))"_s;
const QString totalWithTax = u"g.amount + CASE WHEN g.price_includes_tax = 0 "
                             "THEN (g.amount * g.tax_rate_bp + 5000) / 10000 ELSE 0 END"_s;

// Every sentence below goes through tr(), in the context "SafeTill::Verifier".
struct Text
{
    Q_DECLARE_TR_FUNCTIONS(SafeTill::Verifier)
};

QString tr(const char *text, int n = -1)
{
    return Text::tr(text, nullptr, n);
}

// The checks, by the names the JSON output uses.
const QString coverageCheck = u"payments_cover_totals"_s;
const QString paymentsCheck = u"payments_belong"_s;
const QString receiptsCheck = u"receipt_numbers"_s;
const QString historyCheck = u"history_chains"_s;
const QString integrityCheck = u"integrity_check"_s;
const QString foreignKeyCheck = u"foreign_key_check"_s;

class Checks
{
public:
    explicit Checks(Database &db)
        : m_db(db)
    {}

    VerifyReport run()
    {
        check(coverageCheck, [this] { coverage(); });
        check(paymentsCheck, [this] { payments(); });
        check(receiptsCheck, [this] { receipts(); });
        check(historyCheck, [this] { history(); });
        if (m_db.dialect() == SqlDialect::Sqlite) {
            check(integrityCheck, [this] { integrity(); });
            check(foreignKeyCheck, [this] { foreignKeys(); });
        } else {
            const QString why = tr("PostgreSQL checks its pages and foreign keys itself.");
            m_report.checks << VerifyCheck{integrityCheck, VerifyCheck::Status::Skipped, 0, why}
                            << VerifyCheck{foreignKeyCheck, VerifyCheck::Status::Skipped, 0, why};
        }
        return m_report;
    }

private:
    template<typename Body> void check(const QString &name, Body &&body)
    {
        m_check = name;
        const qsizetype before = m_report.findings.size();
        body();
        const int count = int(m_report.findings.size() - before);
        m_report.checks << VerifyCheck{
            name, count == 0 ? VerifyCheck::Status::Ok : VerifyCheck::Status::Findings, count, {}};
    }

    void found(const QString &code, const QString &id, const QString &message)
    {
        m_report.findings << VerifyFinding{m_check, code, id, message};
    }

    // Runs a query and calls row() for each result row.
    template<typename Row> void each(const QString &sql, const QVariantList &values, Row &&row)
    {
        QSqlQuery &query = m_db.exec(sql, values);
        while (query.next())
            row(query);
        query.finish();
    }

    // 1. Completed orders and settled tabs are paid exactly their total.
    void coverage()
    {
        // CASTs: PostgreSQL's SUM of a BIGINT is NUMERIC (a double through QPSQL).
        each(
            u"SELECT o.id, CAST(COALESCE(t.total, 0) AS BIGINT), "
            "CAST(COALESCE(p.paid, 0) AS BIGINT), COALESCE(p.n, 0) FROM order_sessions o "
            "LEFT JOIN (SELECT order_id, SUM("_s +
                totalWithTax + u") AS total FROM ("_s + taxGroups +
                u") g GROUP BY order_id) t ON t.order_id = o.id "
                "LEFT JOIN (SELECT sp.order_id, SUM(sp.amount_cents) AS paid, COUNT(*) AS n FROM "_s +
                salePayments +
                u" sp WHERE sp.order_id IS NOT NULL GROUP BY sp.order_id) p "
                "ON p.order_id = o.id WHERE o.status = 'completed' AND o.tab_id IS NULL "
                "AND COALESCE(t.total, 0) <> COALESCE(p.paid, 0) AND NOT "_s +
                discounted + u" ORDER BY o.id"_s,
            {}, [this](QSqlQuery &q) {
                const QString id = q.value(0).toString();
                const qint64 total = q.value(1).toLongLong();
                const qint64 paid = q.value(2).toLongLong();
                if (q.value(3).toLongLong() == 0)
                    found(u"order_underpaid"_s, id,
                          tr("Order %1 is completed but has no payment (its total is %2 cents).")
                              .arg(id, QString::number(total)));
                else if (paid < total)
                    found(u"order_underpaid"_s, id,
                          tr("Order %1 is completed but underpaid: its payments add up to %2 "
                             "cents, its total is %3 cents.")
                              .arg(id, QString::number(paid), QString::number(total)));
                else
                    found(u"order_overpaid"_s, id,
                          tr("Order %1 was paid more than due: its payments add up to %2 cents, "
                             "its total is %3 cents.")
                              .arg(id, QString::number(paid), QString::number(total)));
            });

        each(
            u"SELECT t.id, t.name, CAST(COALESCE(ot.total, 0) AS BIGINT), "
            "CAST(COALESCE(p.paid, 0) AS BIGINT), COALESCE(p.n, 0) FROM tabs t "
            "LEFT JOIN (SELECT o.tab_id, SUM("_s +
                totalWithTax + u") AS total FROM ("_s + taxGroups +
                u") g JOIN order_sessions o ON o.id = g.order_id "
                "WHERE o.tab_id IS NOT NULL GROUP BY o.tab_id) ot ON ot.tab_id = t.id "
                "LEFT JOIN (SELECT sp.tab_id, SUM(sp.amount_cents) AS paid, COUNT(*) AS n FROM "_s +
                salePayments +
                u" sp WHERE sp.tab_id IS NOT NULL GROUP BY sp.tab_id) p ON p.tab_id = t.id "
                "WHERE t.status = 'settled' AND COALESCE(ot.total, 0) <> COALESCE(p.paid, 0) "
                "AND NOT EXISTS (SELECT 1 FROM order_sessions o WHERE o.tab_id = t.id AND "_s +
                discounted + u") ORDER BY t.id"_s,
            {}, [this](QSqlQuery &q) {
                const QString id = q.value(0).toString();
                const QString name = q.value(1).toString();
                const qint64 total = q.value(2).toLongLong();
                const qint64 paid = q.value(3).toLongLong();
                if (q.value(4).toLongLong() == 0)
                    found(u"tab_underpaid"_s, id,
                          tr("Tab \u201c%1\u201d (%2) is settled but has no payment (its orders "
                             "total %3 cents).")
                              .arg(name, id, QString::number(total)));
                else if (paid < total)
                    found(u"tab_underpaid"_s, id,
                          tr("Tab \u201c%1\u201d (%2) is settled but underpaid: its payments add "
                             "up to %3 cents, its orders total %4 cents.")
                              .arg(name, id, QString::number(paid), QString::number(total)));
                else
                    found(u"tab_overpaid"_s, id,
                          tr("Tab \u201c%1\u201d (%2) was paid more than due: its payments add up "
                             "to %3 cents, its orders total %4 cents.")
                              .arg(name, id, QString::number(paid), QString::number(total)));
            });

        // Orders with a discount (issue 14): their totals as the model works them out
        // (model/Tax.h: the order discount is shared across rates before tax), order by order.
        QStringList discountedOrders;
        QSet<QString> discountedTabs;
        each(u"SELECT o.id, COALESCE(o.tab_id, '') FROM order_sessions o WHERE "_s + discounted +
                 u" AND o.status = 'completed' ORDER BY o.id"_s,
             {}, [&](QSqlQuery &q) {
                 if (q.value(1).toString().isEmpty())
                     discountedOrders << q.value(0).toString();
                 else
                     discountedTabs.insert(q.value(1).toString());
             });
        OrderStore store(m_db);
        auto salePaid = [this](const QString &column, const QString &id, qint64 *count) {
            QSqlQuery &q = m_db.exec(u"SELECT CAST(COALESCE(SUM(amount_cents), 0) AS BIGINT), "
                                     "COUNT(*) FROM "_s +
                                         salePayments + u" sp WHERE sp."_s + column + u" = ?"_s,
                                     {id});
            qint64 paid = 0;
            if (q.next()) {
                paid = q.value(0).toLongLong();
                *count = q.value(1).toLongLong();
            }
            q.finish();
            return paid;
        };
        for (const QString &id : std::as_const(discountedOrders)) {
            const std::optional<Order> order = store.load(id);
            qint64 count = 0;
            const qint64 paid = salePaid(u"order_id"_s, id, &count);
            const qint64 total = order ? order->totalCents() : 0;
            if (paid < total)
                found(u"order_underpaid"_s, id,
                      tr("Order %1 is completed but underpaid: its payments add up to %2 "
                         "cents, its total is %3 cents.")
                          .arg(id, QString::number(paid), QString::number(total)));
            else if (paid > total)
                found(u"order_overpaid"_s, id,
                      tr("Order %1 was paid more than due: its payments add up to %2 cents, "
                         "its total is %3 cents.")
                          .arg(id, QString::number(paid), QString::number(total)));
        }
        QStringList tabIds(discountedTabs.begin(), discountedTabs.end());
        tabIds.sort();
        for (const QString &id : std::as_const(tabIds)) {
            const std::optional<Tab> tab = store.loadTab(id);
            if (!tab || tab->status != TabStatus::Settled)
                continue;
            qint64 count = 0;
            const qint64 paid = salePaid(u"tab_id"_s, id, &count);
            const qint64 total = tab->totalCents();
            if (paid != total)
                found(paid < total ? u"tab_underpaid"_s : u"tab_overpaid"_s, id,
                      tr("Tab \u201c%1\u201d (%2) is settled, its payments add up to %3 cents, "
                         "its orders total %4 cents.")
                          .arg(tab->name, id, QString::number(paid), QString::number(total)));
        }

        // An order completed through a tab is paid by the tab's payment: the tab must be settled.
        each(u"SELECT o.id, o.tab_id, t.id FROM order_sessions o LEFT JOIN tabs t "
             "ON t.id = o.tab_id WHERE o.status = 'completed' AND o.tab_id IS NOT NULL "
             "AND (t.id IS NULL OR t.status <> 'settled') ORDER BY o.id"_s,
             {}, [this](QSqlQuery &q) {
                 const QString id = q.value(0).toString();
                 const QString tabId = q.value(1).toString();
                 found(u"tab_not_settled"_s, id,
                       q.value(2).isNull()
                           ? tr("Order %1 was completed through tab %2, which does not exist.")
                                 .arg(id, tabId)
                           : tr("Order %1 was completed through tab %2, which is not settled: "
                                "nothing paid for it.")
                                 .arg(id, tabId));
             });
        // Settling a tab completes all its orders; one left open on it was not paid for.
        each(u"SELECT o.id, o.status, t.name FROM order_sessions o JOIN tabs t "
             "ON t.id = o.tab_id WHERE t.status = 'settled' AND o.status <> 'completed' "
             "ORDER BY o.id"_s,
             {}, [this](QSqlQuery &q) {
                 const QString id = q.value(0).toString();
                 found(u"tab_order_not_completed"_s, id,
                       tr("Order %1 is still %2 on tab \u201c%3\u201d, which is already settled.")
                           .arg(id, q.value(1).toString(), q.value(2).toString()));
             });
    }

    // 2. Every payment pays something that exists and is paid, and none is booked twice.
    void payments()
    {
        // (A split tender's payments before the last, issue 14, have no receipt number: they may
        // belong to an order or tab that is still open, with a balance left.)
        each(u"SELECT p.id, p.order_id, p.tab_id, o.id, o.status, o.tab_id, t.id, t.status, "
             "t.name FROM payments p LEFT JOIN order_sessions o ON o.id = p.order_id "
             "LEFT JOIN tabs t ON t.id = p.tab_id WHERE (p.order_id IS NOT NULL AND (o.id IS NULL "
             "OR (o.status <> 'completed' AND NOT (p.kind = 'sale' AND p.receipt_no IS NULL AND "
             "o.status IN ('active', 'pending_logout'))) OR o.tab_id IS NOT NULL)) OR "
             "(p.tab_id IS NOT NULL AND (t.id IS NULL OR (t.status <> 'settled' AND NOT "
             "(p.kind = 'sale' AND p.receipt_no IS NULL)))) ORDER BY p.id"_s,
             {}, [this](QSqlQuery &q) {
                 const QString id = q.value(0).toString();
                 const QString orderId = q.value(1).toString();
                 const QString tabId = q.value(2).toString();
                 if (!orderId.isEmpty()) {
                     if (q.value(3).isNull())
                         found(u"payment_orphaned"_s, id,
                               tr("Payment %1 is for order %2, which does not exist.")
                                   .arg(id, orderId));
                     else if (q.value(4).toString() != u"completed"_s)
                         found(u"payment_order_not_completed"_s, id,
                               tr("Payment %1 is for order %2, which is %3, not completed.")
                                   .arg(id, orderId, q.value(4).toString()));
                     else
                         found(u"payment_order_on_tab"_s, id,
                               tr("Payment %1 pays order %2 on its own, but that order was "
                                  "completed through tab %3 and is paid with it.")
                                   .arg(id, orderId, q.value(5).toString()));
                     return;
                 }
                 if (q.value(6).isNull())
                     found(u"payment_orphaned"_s, id,
                           tr("Payment %1 is for tab %2, which does not exist.").arg(id, tabId));
                 else
                     found(u"payment_tab_not_settled"_s, id,
                           tr("Payment %1 is for tab \u201c%2\u201d (%3), which is still open.")
                               .arg(id, q.value(8).toString(), tabId));
             });

        // Money beyond what was due exists only as an overpayment that a manager is told about.
        each(u"SELECT p.id, COALESCE(p.order_id, p.tab_id) FROM payments p "
             "WHERE p.kind = 'overpayment' AND NOT EXISTS (SELECT 1 FROM review_items r "
             "WHERE r.payment_id = p.id) ORDER BY p.id"_s,
             {}, [this](QSqlQuery &q) {
                 found(u"overpayment_not_reviewed"_s, q.value(0).toString(),
                       tr("Payment %1 of %2 is an overpayment with no review item: no manager "
                          "was told to refund or keep it.")
                           .arg(q.value(0).toString(), q.value(1).toString()));
             });

        // The same payment booked twice: same order or tab, same amount, same receipt.
        // (Payments without a receipt number are a split tender's earlier ones: two of the same
        // amount are two tenders, each with its own id.)
        each(u"SELECT order_id, tab_id, receipt_no, amount_cents, COUNT(*) FROM payments "
             "WHERE receipt_no IS NOT NULL "
             "GROUP BY order_id, tab_id, receipt_no, amount_cents HAVING COUNT(*) > 1 "
             "ORDER BY receipt_no"_s,
             {}, [this](QSqlQuery &q) {
                 const bool forOrder = !q.value(0).isNull();
                 const QString id = forOrder ? q.value(0).toString() : q.value(1).toString();
                 const int n = q.value(4).toInt();
                 found(
                     u"payment_duplicated"_s, id,
                     (forOrder ? tr("Order %1 has %n payments of %2 cents with the same receipt "
                                    "%3: one was booked twice.",
                                    n)
                               : tr("Tab %1 has %n payments of %2 cents with the same receipt "
                                    "%3: one was booked twice.",
                                    n))
                         .arg(id, QString::number(q.value(3).toLongLong()), q.value(2).toString()));
             });
    }

    // 3. A receipt number belongs to one order or tab (and its own payment), and this terminal's
    // sequence has not issued its next number yet.
    void receipts()
    {
        const QString owners =
            u"WITH r AS (SELECT receipt_no, 'order' AS kind, id AS owner FROM order_sessions "
            "WHERE receipt_no IS NOT NULL UNION ALL SELECT receipt_no, 'tab', id FROM tabs "
            "WHERE receipt_no IS NOT NULL UNION ALL SELECT receipt_no, CASE WHEN order_id IS NOT "
            "NULL THEN 'order' ELSE 'tab' END, COALESCE(order_id, tab_id) FROM payments) "_s;
        QMap<QString, QStringList> sharedBy;
        each(owners + u"SELECT DISTINCT receipt_no, kind, owner FROM r WHERE receipt_no IN "
                      "(SELECT receipt_no FROM r GROUP BY receipt_no "
                      "HAVING COUNT(DISTINCT kind || ':' || owner) > 1) "
                      "ORDER BY receipt_no, kind, owner"_s,
             {}, [&](QSqlQuery &q) {
                 const QString owner = q.value(1).toString() == u"order"_s
                                           ? tr("order %1").arg(q.value(2).toString())
                                           : tr("tab %1").arg(q.value(2).toString());
                 sharedBy[q.value(0).toString()] << owner;
             });
        for (auto it = sharedBy.cbegin(); it != sharedBy.cend(); ++it) {
            found(u"receipt_duplicated"_s, it.key(),
                  tr("Receipt %1 was issued more than once: it is on %2.")
                      .arg(it.key(), it.value().join(u", "_s)));
        }

        QString prefix;
        qint64 next = 0;
        each(u"SELECT receipt_prefix, next_receipt_seq FROM terminal WHERE id = 1"_s, {},
             [&](QSqlQuery &q) {
                 prefix = q.value(0).toString();
                 next = q.value(1).toLongLong();
             });
        if (prefix.isEmpty()) {
            found(u"terminal_missing"_s, {},
                  tr("The terminal row (receipt prefix and sequence) is missing."));
            return;
        }
        // Receipt numbers are PREFIX-SEQUENCE (allocateReceiptNumber()).
        const QString start = prefix + u'-';
        QString pattern = start;
        pattern.replace(u'!', u"!!"_s).replace(u'%', u"!%"_s).replace(u'_', u"!_"_s);
        pattern += u'%';
        qint64 highest = 0;
        QString highestReceipt;
        each(u"SELECT receipt_no FROM order_sessions WHERE receipt_no LIKE ? ESCAPE '!' "
             "UNION SELECT receipt_no FROM tabs WHERE receipt_no LIKE ? ESCAPE '!' "
             "UNION SELECT receipt_no FROM payments WHERE receipt_no LIKE ? ESCAPE '!'"_s,
             {pattern, pattern, pattern}, [&](QSqlQuery &q) {
                 const QString receipt = q.value(0).toString();
                 const QString digits = receipt.mid(start.size());
                 const bool allDigits = !digits.isEmpty() && digits.size() <= 18 &&
                                        std::all_of(digits.begin(), digits.end(),
                                                    [](QChar c) { return c >= u'0' && c <= u'9'; });
                 if (allDigits && digits.toLongLong() >= highest) {
                     highest = digits.toLongLong();
                     highestReceipt = receipt;
                 }
             });
        if (!highestReceipt.isEmpty() && next <= highest) {
            found(u"receipt_sequence_behind"_s, highestReceipt,
                  tr("This terminal's next receipt sequence number is %1, but receipt %2 was "
                     "already issued: the next receipt would repeat a number.")
                      .arg(QString::number(next), highestReceipt));
        }
    }

    // 4. Each order's history is one continuous chain of versions ending at the order's version.
    void history()
    {
        each(u"SELECT o.id FROM order_sessions o WHERE NOT EXISTS (SELECT 1 FROM order_history h "
             "WHERE h.order_id = o.id) ORDER BY o.id"_s,
             {}, [this](QSqlQuery &q) {
                 const QString id = q.value(0).toString();
                 found(u"history_missing"_s, id, tr("Order %1 has no history entries.").arg(id));
             });
        // A chain starts with a new order (from_version NULL: opened here, or first seen by the
        // server as a new order). A terminal that takes the server's copy of an order it had
        // before writes a sync_conflict entry from its own version; that one is never first
        // unless the terminal had no copy, and then its from_version is NULL too, but allow it.
        each(u"SELECT order_id, id, from_version, prev FROM (SELECT order_id, id, action, "
             "from_version, LAG(to_version) OVER (PARTITION BY order_id ORDER BY id) AS prev "
             "FROM order_history) AS h WHERE (prev IS NULL AND from_version IS NOT NULL AND "
             "action <> 'sync_conflict') OR (prev IS NOT NULL AND from_version IS DISTINCT FROM "
             "prev) ORDER BY order_id, id"_s,
             {}, [this](QSqlQuery &q) {
                 const QString id = q.value(0).toString();
                 const QString entry = q.value(1).toString();
                 const QString from = q.value(2).isNull() ? tr("none") : q.value(2).toString();
                 if (q.value(3).isNull())
                     found(u"history_bad_start"_s, id,
                           tr("The history of order %1 does not start with a new order: its first "
                              "entry (%2) starts from version %3.")
                               .arg(id, entry, from));
                 else
                     found(u"history_gap"_s, id,
                           tr("The history of order %1 breaks at entry %2: it starts from version "
                              "%3, but the entry before it ended at version %4.")
                               .arg(id, entry, from, q.value(3).toString()));
             });
        each(u"SELECT o.id, o.version, h.to_version FROM order_sessions o JOIN order_history h "
             "ON h.id = (SELECT MAX(id) FROM order_history WHERE order_id = o.id) "
             "WHERE h.to_version <> o.version ORDER BY o.id"_s,
             {}, [this](QSqlQuery &q) {
                 const QString id = q.value(0).toString();
                 found(u"history_version_mismatch"_s, id,
                       tr("Order %1 is at version %2, but its history ends at version %3.")
                           .arg(id, q.value(1).toString(), q.value(2).toString()));
             });
    }

    // 5. SQLite's own checks of the file.
    void integrity()
    {
        each(u"PRAGMA integrity_check"_s, {}, [this](QSqlQuery &q) {
            const QString line = q.value(0).toString();
            if (line != u"ok"_s)
                found(u"integrity_error"_s, {},
                      tr("SQLite's integrity check reports: %1").arg(line));
        });
    }

    void foreignKeys()
    {
        each(u"PRAGMA foreign_key_check"_s, {}, [this](QSqlQuery &q) {
            const QString table = q.value(0).toString();
            const QString rowid = q.value(1).toString();
            found(u"foreign_key_violation"_s, u"%1:%2"_s.arg(table, rowid),
                  tr("Row %1 of %2 refers to a row of %3 that does not exist.")
                      .arg(rowid, table, q.value(2).toString()));
        });
    }

    Database &m_db;
    VerifyReport m_report;
    QString m_check;
};

} // namespace

QString toString(VerifyCheck::Status status)
{
    switch (status) {
    case VerifyCheck::Status::Ok:
        return u"ok"_s;
    case VerifyCheck::Status::Findings:
        return u"findings"_s;
    case VerifyCheck::Status::Skipped:
        break;
    }
    return u"skipped"_s;
}

QJsonObject toJson(const VerifyReport &report)
{
    QJsonArray checks;
    for (const VerifyCheck &check : report.checks) {
        QJsonObject json{{u"name"_s, check.name},
                         {u"status"_s, toString(check.status)},
                         {u"count"_s, check.count}};
        if (!check.skipReason.isEmpty())
            json.insert(u"reason"_s, check.skipReason);
        checks.append(json);
    }
    QJsonArray findings;
    for (const VerifyFinding &finding : report.findings) {
        findings.append(QJsonObject{{u"check"_s, finding.check},
                                    {u"code"_s, finding.code},
                                    {u"id"_s, finding.id},
                                    {u"message"_s, finding.message}});
    }
    return QJsonObject{{u"ok"_s, report.clean()}, {u"checks"_s, checks}, {u"findings"_s, findings}};
}

QString toText(const VerifyReport &report)
{
    QString text;
    for (const VerifyCheck &check : report.checks) {
        switch (check.status) {
        case VerifyCheck::Status::Ok:
            text += tr("%1 ok\n").arg(check.name.leftJustified(22));
            break;
        case VerifyCheck::Status::Findings:
            text += tr("%1 %n finding(s)\n", check.count).arg(check.name.leftJustified(22));
            break;
        case VerifyCheck::Status::Skipped:
            text += tr("%1 skipped (%2)\n").arg(check.name.leftJustified(22), check.skipReason);
            break;
        }
    }
    for (const VerifyFinding &finding : report.findings)
        text += u"%1 %2 [%3]\n"_s.arg(finding.code, finding.message, finding.check);
    text += report.clean() ? tr("The database is clean.")
                           : tr("%n problem(s) found.", int(report.findings.size()));
    return text;
}

Verifier::Verifier(Database &database)
    : m_db(database)
{}

Result<VerifyReport> Verifier::run()
{
    return m_db.read([&]() -> Result<VerifyReport> {
        VerifyReport report = Checks(m_db).run();
        if (report.clean())
            return Result<VerifyReport>::ok(std::move(report));
        const int n = int(report.findings.size());
        return Result<VerifyReport>::failure(
            Outcome::InvalidState,
            tr("The database breaks %n of SafeTill's promises; see the findings.", n),
            std::move(report));
    });
}

} // namespace SafeTill
