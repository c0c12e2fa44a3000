#include "TabService.h"

#include "Database.h"
#include "Json.h"
#include "Validation.h"

#include <QJsonArray>
#include <QUuid>

using namespace Qt::StringLiterals;

namespace SafeTill {

TabService::TabService(Database &database, const Clock &clock, SyncSide side)
    : m_db(database)
    , m_clock(clock)
    , m_store(database)
    , m_journal(database, clock, side)
{}

Result<QList<Tab>> TabService::openTabs()
{
    return m_db.read([&] { return Result<QList<Tab>>::ok(m_store.openTabs()); });
}

Result<Tab> TabService::tab(const QString &idOrName)
{
    return m_db.read([&]() -> Result<Tab> {
        if (const std::optional<QString> id = m_store.findTabId(idOrName)) {
            if (std::optional<Tab> tab = m_store.loadTab(*id))
                return Result<Tab>::ok(*tab);
        }
        return Result<Tab>::notFound(u"There is no open tab called %1."_s.arg(idOrName));
    });
}

Result<Tab> TabService::settle(const QString &idOrName, const PaymentRequest &payment,
                               std::optional<int> expectedVersion, const QString &requestId)
{
    if (const QString problem = checkRequestId(requestId); !problem.isEmpty())
        return Result<Tab>::invalidInput(problem);
    if (const QString problem = checkTender(payment.tenderedCents); !problem.isEmpty())
        return Result<Tab>::invalidInput(problem);
    const QJsonObject parameters{{u"tab"_s, idOrName},
                                 {u"method"_s, toString(payment.method)},
                                 {u"tendered_cents"_s, payment.tenderedCents},
                                 {u"expected_version"_s, expectedVersion
                                                             ? QJsonValue(*expectedVersion)
                                                             : QJsonValue(QJsonValue::Null)}};

    return m_db.write([&] {
        return m_journal.run<Tab>(u"settle_tab"_s, requestId, parameters, [&]() -> Result<Tab> {
            const std::optional<QString> tabId = m_store.findTabId(idOrName);
            if (!tabId)
                return Result<Tab>::notFound(u"There is no open tab called %1."_s.arg(idOrName));
            const QString now = toStorageTime(m_clock.now());
            const QString receipt = allocateReceiptNumber(m_db);
            QSqlQuery &query =
                expectedVersion
                    ? m_db.exec(u"UPDATE tabs SET status = 'settled', version = version + 1, "
                                "settled_at = ?, receipt_no = ? WHERE id = ? AND status = 'open' "
                                "AND version = ? RETURNING version"_s,
                                {now, receipt, *tabId, *expectedVersion})
                    : m_db.exec(u"UPDATE tabs SET status = 'settled', version = version + 1, "
                                "settled_at = ?, receipt_no = ? WHERE id = ? AND status = 'open' "
                                "RETURNING version"_s,
                                {now, receipt, *tabId});
            const bool settled = query.next();
            const int tabVersion = settled ? query.value(0).toInt() : 0;
            query.finish();
            if (!settled) {
                // Found by name, then settled by a concurrent transaction before this update
                // (PostgreSQL, READ COMMITTED): answer as if this one had run after it, when no
                // open tab has that name any more.
                if (*tabId != idOrName && !m_store.findTabId(idOrName))
                    return Result<Tab>::notFound(
                        u"There is no open tab called %1."_s.arg(idOrName));
                return m_store.tabRefusal(*tabId, expectedVersion);
            }

            QSqlQuery &orders = m_db.exec(
                u"UPDATE order_sessions SET status = 'completed', version = version + 1, "
                "updated_at = ?, completed_at = ? WHERE tab_id = ? AND status = 'assigned' "
                "RETURNING id, cashier_id, version"_s,
                {now, now, *tabId});
            struct Settled
            {
                QString orderId;
                QString cashierId;
                int version;
            };
            QList<Settled> settledOrders;
            while (orders.next()) {
                settledOrders.append({orders.value(0).toString(), orders.value(1).toString(),
                                      orders.value(2).toInt()});
            }
            orders.finish();
            if (settledOrders.isEmpty())
                return Result<Tab>::invalidInput(u"This tab has no orders to pay for."_s);

            const Cents total =
                // CAST: PostgreSQL's SUM of a BIGINT is NUMERIC (a double through QPSQL).
                m_db.scalar(u"SELECT CAST(COALESCE(SUM(l.unit_price_cents * l.quantity), 0) "
                            "AS BIGINT) "
                            "FROM order_lines l JOIN order_sessions o ON o.id = l.order_id "
                            "WHERE o.tab_id = ?"_s,
                            {*tabId})
                    .toLongLong();
            if (payment.method == PaymentMethod::Card && payment.tenderedCents != total) {
                return Result<Tab>::invalidInput(
                    u"A card payment is for the exact total (%1 cents)."_s.arg(total));
            }
            if (payment.tenderedCents < total) {
                return Result<Tab>::invalidInput(
                    u"The amount tendered (%1 cents) is less than the tab's total (%2 cents)."_s
                        .arg(payment.tenderedCents)
                        .arg(total));
            }
            // RETURNING version above: the tab's version after settling; it paid version - 1.
            Payment fact;
            fact.id = QUuid::createUuid().toString(QUuid::WithoutBraces);
            fact.tabId = *tabId;
            fact.method = payment.method;
            fact.amountCents = total;
            fact.tenderedCents = payment.tenderedCents;
            fact.changeCents = payment.tenderedCents - total;
            fact.receiptNo = receipt;
            fact.paidAt = fromStorageTime(now);
            fact.dueCents = total;
            fact.paidVersion = tabVersion - 1;
            fact.terminalId = m_store.terminalId();
            m_store.insertPayment(fact);

            QJsonArray orderIds;
            for (const Settled &order : std::as_const(settledOrders)) {
                orderIds.append(order.orderId);
                m_journal.appendHistory(HistoryEntry{0,
                                                     order.orderId,
                                                     {},
                                                     order.cashierId,
                                                     u"settle_tab"_s,
                                                     order.version - 1,
                                                     order.version,
                                                     toString(OrderStatus::Assigned),
                                                     toString(OrderStatus::Completed),
                                                     u"tab settled, receipt %1"_s.arg(receipt),
                                                     requestId});
            }
            QJsonObject payload = parameters;
            payload.insert(u"tab_id"_s, *tabId);
            payload.insert(u"order_ids"_s, orderIds);
            payload.insert(u"amount_cents"_s, total);
            payload.insert(u"receipt_no"_s, receipt);
            payload.insert(u"settled_at"_s, now); // the server keeps the terminal's time
            payload.insert(u"payment"_s, toJson(fact));
            m_journal.appendOutbox(requestId, u"settle_tab"_s, {}, *tabId, payload);
            std::optional<Tab> tab = m_store.loadTab(*tabId);
            if (!tab)
                return Result<Tab>::notFound(u"There is no tab %1."_s.arg(*tabId));
            return Result<Tab>::ok(*tab);
        });
    });
}

} // namespace SafeTill
