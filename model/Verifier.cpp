#include "Verifier.h"

#include "Database.h"
#include "OrderStore.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QMap>

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
// Lines after their line discounts. Orders with an order discount (shared across rates by
// largest remainder, which SQL does not express well) are checked one by one through OrderStore.
QString taxGroups()
{
    return u"SELECT l.order_id, l.tax_rate_bp, l.price_includes_tax, CAST(SUM("_s +
           OrderStore::lineTotalSql() +
           u") AS BIGINT) AS amount FROM order_lines l "
           "GROUP BY l.order_id, l.tax_code, l.tax_rate_bp, l.price_includes_tax"_s;
}
const QString totalWithTax = u"g.amount + CASE WHEN g.price_includes_tax = 0 "
                             "THEN (g.amount * g.tax_rate_bp + 5000) / 10000 ELSE 0 END"_s;

// Every sentence below goes through tr(), in the context "SafeTill::Verifier".
struct Text
{
    Q_DECLARE_TR_FUNCTIONS(SafeTill::Verifier)
};

// The checks, by the names the JSON output uses.
const QString coverageCheck = u"payments_cover_totals"_s;
const QString paymentsCheck = u"payments_belong"_s;
const QString receiptsCheck = u"receipt_numbers"_s;
const QString historyCheck = u"history_chains"_s;
const QString refundsCheck = u"refunds_within_sales"_s;
const QString integrityCheck = u"integrity_check"_s;
const QString foreignKeyCheck = u"foreign_key_check"_s;

class Checks
{
    // Its sentences are the Verifier's: the context lupdate and the translator agree on.
    Q_DECLARE_TR_FUNCTIONS(SafeTill::Verifier)

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
        check(refundsCheck, [this] { refunds(); });
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
        const auto orderFinding = [this](const QString &id, qint64 total, qint64 paid,
                                         qint64 payments) {
            if (payments == 0)
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
        };
        const auto tabFinding = [this](const QString &id, const QString &name, qint64 total,
                                       qint64 paid, qint64 payments) {
            if (payments == 0)
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
        };
        // CASTs: PostgreSQL's SUM of a BIGINT is NUMERIC (a double through QPSQL).
        each(
            u"SELECT o.id, CAST(COALESCE(t.total, 0) AS BIGINT), "
            "CAST(COALESCE(p.paid, 0) AS BIGINT), COALESCE(p.n, 0) FROM order_sessions o "
            "LEFT JOIN (SELECT order_id, SUM("_s +
                totalWithTax + u") AS total FROM ("_s + taxGroups() +
                u") g GROUP BY order_id) t ON t.order_id = o.id "
                "LEFT JOIN (SELECT sp.order_id, SUM(sp.amount_cents) AS paid, COUNT(*) AS n FROM "_s +
                salePayments +
                u" sp WHERE sp.order_id IS NOT NULL GROUP BY sp.order_id) p "
                "ON p.order_id = o.id WHERE o.status = 'completed' AND o.tab_id IS NULL "
                "AND o.discount_kind = '' AND COALESCE(t.total, 0) <> COALESCE(p.paid, 0) "
                "ORDER BY o.id"_s,
            {}, [&](QSqlQuery &q) {
                orderFinding(q.value(0).toString(), q.value(1).toLongLong(),
                             q.value(2).toLongLong(), q.value(3).toLongLong());
            });
        // Orders with an order discount, one by one, by the model's own rule.
        QStringList discounted;
        each(u"SELECT id FROM order_sessions WHERE status = 'completed' AND tab_id IS NULL "
             "AND discount_kind <> '' ORDER BY id"_s,
             {}, [&](QSqlQuery &q) { discounted << q.value(0).toString(); });
        OrderStore store(m_db);
        for (const QString &id : std::as_const(discounted)) {
            const qint64 total = store.orderTotal(id);
            qint64 paid = 0;
            qint64 payments = 0;
            each(u"SELECT CAST(COALESCE(SUM(amount_cents), 0) AS BIGINT), COUNT(*) FROM "_s +
                     salePayments + u" sp WHERE sp.order_id = ?"_s,
                 {id}, [&](QSqlQuery &q) {
                     paid = q.value(0).toLongLong();
                     payments = q.value(1).toLongLong();
                 });
            if (paid != total)
                orderFinding(id, total, paid, payments);
        }

        each(
            u"SELECT t.id, t.name, CAST(COALESCE(ot.total, 0) AS BIGINT), "
            "CAST(COALESCE(p.paid, 0) AS BIGINT), COALESCE(p.n, 0) FROM tabs t "
            "LEFT JOIN (SELECT o.tab_id, SUM("_s +
                totalWithTax + u") AS total FROM ("_s + taxGroups() +
                u") g JOIN order_sessions o ON o.id = g.order_id "
                "WHERE o.tab_id IS NOT NULL GROUP BY o.tab_id) ot ON ot.tab_id = t.id "
                "LEFT JOIN (SELECT sp.tab_id, SUM(sp.amount_cents) AS paid, COUNT(*) AS n FROM "_s +
                salePayments +
                u" sp WHERE sp.tab_id IS NOT NULL GROUP BY sp.tab_id) p ON p.tab_id = t.id "
                "WHERE t.status = 'settled' AND COALESCE(ot.total, 0) <> COALESCE(p.paid, 0) "
                "AND NOT EXISTS (SELECT 1 FROM order_sessions d WHERE d.tab_id = t.id "
                "AND d.discount_kind <> '') ORDER BY t.id"_s,
            {}, [&](QSqlQuery &q) {
                tabFinding(q.value(0).toString(), q.value(1).toString(), q.value(2).toLongLong(),
                           q.value(3).toLongLong(), q.value(4).toLongLong());
            });
        QList<std::pair<QString, QString>> discountedTabs;
        each(u"SELECT t.id, t.name FROM tabs t WHERE t.status = 'settled' AND EXISTS (SELECT 1 "
             "FROM order_sessions d WHERE d.tab_id = t.id AND d.discount_kind <> '') "
             "ORDER BY t.id"_s,
             {}, [&](QSqlQuery &q) {
                 discountedTabs.append({q.value(0).toString(), q.value(1).toString()});
             });
        for (const auto &[id, name] : std::as_const(discountedTabs)) {
            const qint64 total = store.tabTotal(id);
            qint64 paid = 0;
            qint64 payments = 0;
            each(u"SELECT CAST(COALESCE(SUM(amount_cents), 0) AS BIGINT), COUNT(*) FROM "_s +
                     salePayments + u" sp WHERE sp.tab_id = ?"_s,
                 {id}, [&](QSqlQuery &q) {
                     paid = q.value(0).toLongLong();
                     payments = q.value(1).toLongLong();
                 });
            if (paid != total)
                tabFinding(id, name, total, paid, payments);
        }

        // What an order or tab keeps as paid (the balance due is read from it) is the sum of its
        // sale payments, and never more than its total while it is open.
        each(u"SELECT 'order', o.id, o.paid_cents, CAST(COALESCE(SUM(sp.amount_cents), 0) AS "
             "BIGINT) FROM order_sessions o LEFT JOIN "_s +
                 salePayments +
                 u" sp ON sp.order_id = o.id GROUP BY o.id, o.paid_cents "
                 "HAVING o.paid_cents <> COALESCE(SUM(sp.amount_cents), 0) "
                 "UNION ALL SELECT 'tab', t.id, t.paid_cents, CAST(COALESCE(SUM(sp.amount_cents), "
                 "0) AS BIGINT) FROM tabs t LEFT JOIN "_s +
                 salePayments +
                 u" sp ON sp.tab_id = t.id GROUP BY t.id, t.paid_cents "
                 "HAVING t.paid_cents <> COALESCE(SUM(sp.amount_cents), 0)"_s,
             {}, [this](QSqlQuery &q) {
                 found(u"paid_amount_wrong"_s, q.value(1).toString(),
                       tr("The %1 %2 keeps %3 cents as paid, but its payments add up to %4 "
                          "cents: its balance due is wrong.")
                           .arg(q.value(0).toString(), q.value(1).toString(),
                                QString::number(q.value(2).toLongLong()),
                                QString::number(q.value(3).toLongLong())));
             });
        QStringList openPaid;
        each(u"SELECT id FROM order_sessions WHERE paid_cents > 0 AND status IN ('active', "
             "'pending_logout') ORDER BY id"_s,
             {}, [&](QSqlQuery &q) { openPaid << q.value(0).toString(); });
        for (const QString &id : std::as_const(openPaid)) {
            Cents paid = 0;
            const Cents total = store.orderTotal(id, nullptr, &paid);
            if (paid > total)
                found(u"order_overpaid"_s, id,
                      tr("Order %1 is still open but its payments (%2 cents) exceed its total "
                         "(%3 cents).")
                          .arg(id, QString::number(paid), QString::number(total)));
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
        each(u"SELECT p.id, p.order_id, p.tab_id, o.id, o.status, o.tab_id, t.id, t.status, "
             "t.name FROM payments p LEFT JOIN order_sessions o ON o.id = p.order_id "
             "LEFT JOIN tabs t ON t.id = p.tab_id WHERE (p.order_id IS NOT NULL AND (o.id IS NULL "
             "OR (o.status <> 'completed' AND NOT (p.receipt_no IS NULL AND p.kind = 'sale' AND "
             "o.status IN ('active', 'pending_logout'))) OR o.tab_id IS NOT NULL)) OR "
             "(p.tab_id IS NOT NULL AND (t.id IS NULL OR (t.status <> 'settled' AND NOT "
             "(p.receipt_no IS NULL AND p.kind = 'sale')))) ORDER BY p.id"_s,
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
        // (Payments before the last of a split tender have no receipt number: not compared.)
        each(u"SELECT order_id, tab_id, receipt_no, amount_cents, COUNT(*) FROM payments "
             "WHERE receipt_no IS NOT NULL GROUP BY order_id, tab_id, receipt_no, amount_cents "
             "HAVING COUNT(*) > 1 "
             "ORDER BY receipt_no"_s,
             {}, [this](QSqlQuery &q) {
                 const bool forOrder = !q.value(0).isNull();
                 const QString id = forOrder ? q.value(0).toString() : q.value(1).toString();
                 const int n = q.value(4).toInt();
                 found(
                     u"payment_duplicated"_s, id,
                     (forOrder ? tr("Order %1 has %n payments of %2 cents with the same receipt "
                                    "%3: one was booked twice.",
                                    nullptr, n)
                               : tr("Tab %1 has %n payments of %2 cents with the same receipt "
                                    "%3: one was booked twice.",
                                    nullptr, n))
                         .arg(id, QString::number(q.value(3).toLongLong()), q.value(2).toString()));
             });
    }

    // 3. A receipt number belongs to one order or tab (and its own payment), and this terminal's
    // sequence has not issued its next number yet.
    // 6. Refunds (issue 15): each line's refunded quantity is what its refunds counted, a refund's
    // amount is the sum of its lines, it pays back a sale that exists and names that sale's
    // terminal, and a sale never paid back more than it was paid (refunds that lost a race are
    // "excess" and counted apart). Units are excess only when none were left: a line with excess
    // rows is refunded in full (a refund that partly fitted booked the units that fit normally,
    // docs/sync-protocol.md 5.5).
    void refunds()
    {
        each(u"SELECT l.line_id, l.refunded_qty, COALESCE(SUM(rl.quantity), 0) FROM order_lines l "
             "LEFT JOIN refund_lines rl ON rl.line_id = l.line_id AND rl.excess = 0 "
             "WHERE l.refunded_qty > 0 OR rl.line_id IS NOT NULL "
             "GROUP BY l.line_id, l.refunded_qty "
             "HAVING l.refunded_qty <> COALESCE(SUM(rl.quantity), 0) ORDER BY l.line_id"_s,
             {}, [&](QSqlQuery &q) {
                 found(u"refunded_qty_wrong"_s, q.value(0).toString(),
                       tr("Line %1 counts %2 refunded, its refunds %3.")
                           .arg(q.value(0).toString())
                           .arg(q.value(1).toLongLong())
                           .arg(q.value(2).toLongLong()));
             });
        each(u"SELECT DISTINCT l.line_id, l.refunded_qty, l.quantity FROM order_lines l "
             "JOIN refund_lines rl ON rl.line_id = l.line_id AND rl.excess = 1 "
             "WHERE l.refunded_qty < l.quantity ORDER BY l.line_id"_s,
             {}, [&](QSqlQuery &q) {
                 found(u"refund_excess_while_left"_s, q.value(0).toString(),
                       tr("Line %1 has refunds booked as excess, yet only %2 of its %3 units "
                          "are counted refunded.")
                           .arg(q.value(0).toString())
                           .arg(q.value(1).toLongLong())
                           .arg(q.value(2).toLongLong()));
             });
        each(u"SELECT r.receipt_no, r.amount_cents, COALESCE(SUM(rl.amount_cents), 0) "
             "FROM refunds r LEFT JOIN refund_lines rl ON rl.refund_id = r.id "
             "GROUP BY r.id, r.receipt_no, r.amount_cents "
             "HAVING r.amount_cents <> COALESCE(SUM(rl.amount_cents), 0) ORDER BY r.receipt_no"_s,
             {}, [&](QSqlQuery &q) {
                 found(u"refund_amount_wrong"_s, q.value(0).toString(),
                       tr("Refund %1 is %2 but its lines add up to %3.")
                           .arg(q.value(0).toString())
                           .arg(q.value(1).toLongLong())
                           .arg(q.value(2).toLongLong()));
             });
        each(u"SELECT r.receipt_no, r.original_receipt_no FROM refunds r WHERE NOT EXISTS "
             "(SELECT 1 FROM payments p WHERE p.receipt_no = r.original_receipt_no "
             "AND p.kind = 'sale') ORDER BY r.receipt_no"_s,
             {}, [&](QSqlQuery &q) {
                 found(u"refund_orphaned"_s, q.value(0).toString(),
                       tr("Refund %1 pays back receipt %2, which is no sale here.")
                           .arg(q.value(0).toString(), q.value(1).toString()));
             });
        // The sale's terminal stored with each refund (migration 021) is its sale's: the sync
        // pull finds what others refunded of a till's sales by it, so a wrong or missing one
        // hides a refund from that till (docs/sync-protocol.md section 4).
        each(u"SELECT r.receipt_no, r.original_receipt_no, r.original_terminal_id, p.terminal_id "
             "FROM refunds r JOIN payments p ON p.receipt_no = r.original_receipt_no "
             "AND p.kind = 'sale' WHERE r.original_terminal_id IS NULL "
             "OR r.original_terminal_id <> p.terminal_id ORDER BY r.receipt_no"_s,
             {}, [&](QSqlQuery &q) {
                 found(u"refund_origin_wrong"_s, q.value(0).toString(),
                       q.value(2).isNull()
                           ? tr("Refund %1 does not name the terminal of receipt %2 (%3).")
                                 .arg(q.value(0).toString(), q.value(1).toString(),
                                      q.value(3).toString())
                           : tr("Refund %1 names terminal %2 for receipt %3, which was sold on "
                                "%4.")
                                 .arg(q.value(0).toString(), q.value(2).toString(),
                                      q.value(1).toString(), q.value(3).toString()));
             });
        each(u"SELECT p.receipt_no, p.due_cents, -SUM(rl.amount_cents) FROM payments p "
             "JOIN refunds r ON r.original_receipt_no = p.receipt_no "
             "JOIN refund_lines rl ON rl.refund_id = r.id AND rl.excess = 0 "
             "WHERE p.kind = 'sale' AND p.receipt_no IS NOT NULL "
             "GROUP BY p.receipt_no, p.due_cents HAVING -SUM(rl.amount_cents) > p.due_cents "
             "ORDER BY p.receipt_no"_s,
             {}, [&](QSqlQuery &q) {
                 found(u"refunded_more_than_paid"_s, q.value(0).toString(),
                       tr("Receipt %1 was paid %2 and refunded %3.")
                           .arg(q.value(0).toString())
                           .arg(q.value(1).toLongLong())
                           .arg(q.value(2).toLongLong()));
             });
    }

    void receipts()
    {
        const QString owners =
            u"WITH r AS (SELECT receipt_no, 'order' AS kind, id AS owner FROM order_sessions "
            "WHERE receipt_no IS NOT NULL UNION ALL SELECT receipt_no, 'tab', id FROM tabs "
            "WHERE receipt_no IS NOT NULL UNION ALL SELECT receipt_no, CASE WHEN order_id IS NOT "
            "NULL THEN 'order' ELSE 'tab' END, COALESCE(order_id, tab_id) FROM payments "
            "WHERE receipt_no IS NOT NULL UNION ALL SELECT receipt_no, 'refund', id "
            "FROM refunds) "_s;
        QMap<QString, QStringList> sharedBy;
        each(owners + u"SELECT DISTINCT receipt_no, kind, owner FROM r WHERE receipt_no IN "
                      "(SELECT receipt_no FROM r GROUP BY receipt_no "
                      "HAVING COUNT(DISTINCT kind || ':' || owner) > 1) "
                      "ORDER BY receipt_no, kind, owner"_s,
             {}, [&](QSqlQuery &q) {
                 const QString kind = q.value(1).toString();
                 const QString owner =
                     kind == u"order"_s ? tr("order %1").arg(q.value(2).toString())
                     : kind == u"tab"_s ? tr("tab %1").arg(q.value(2).toString())
                                        : tr("refund %1").arg(q.value(2).toString());
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
             "UNION SELECT receipt_no FROM payments WHERE receipt_no LIKE ? ESCAPE '!' "
             "UNION SELECT receipt_no FROM refunds WHERE receipt_no LIKE ? ESCAPE '!'"_s,
             {pattern, pattern, pattern, pattern}, [&](QSqlQuery &q) {
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
            text += Text::tr("%1 ok\n").arg(check.name.leftJustified(22));
            break;
        case VerifyCheck::Status::Findings:
            text += Text::tr("%1 %n finding(s)\n", nullptr, check.count)
                        .arg(check.name.leftJustified(22));
            break;
        case VerifyCheck::Status::Skipped:
            text +=
                Text::tr("%1 skipped (%2)\n").arg(check.name.leftJustified(22), check.skipReason);
            break;
        }
    }
    for (const VerifyFinding &finding : report.findings)
        text += u"%1 %2 [%3]\n"_s.arg(finding.code, finding.message, finding.check);
    text += report.clean() ? Text::tr("The database is clean.")
                           : Text::tr("%n problem(s) found.", nullptr, int(report.findings.size()));
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
            Text::tr("The database breaks %n of SafeTill's promises; see the findings.", nullptr,
                     n),
            std::move(report));
    });
}

} // namespace SafeTill
