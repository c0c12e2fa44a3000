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
            const std::optional<int> tabVersion =
                m_store.settleOpenTab(*tabId, expectedVersion, now, receipt);
            if (!tabVersion) {
                // Found by name, then settled by a concurrent transaction before this update
                // (PostgreSQL, READ COMMITTED): answer as if this one had run after it, when no
                // open tab has that name any more.
                if (*tabId != idOrName && !m_store.findTabId(idOrName))
                    return Result<Tab>::notFound(
                        u"There is no open tab called %1."_s.arg(idOrName));
                return m_store.tabRefusal(*tabId, expectedVersion);
            }

            const QList<OrderStore::ClosedOrder> settledOrders =
                m_store.completeTabOrders(*tabId, now);
            if (settledOrders.isEmpty())
                return Result<Tab>::invalidInput(u"This tab has no orders to pay for."_s);

            const Cents total = m_store.tabTotal(*tabId);
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
            Payment fact =
                Payment::sale(QUuid::createUuid().toString(QUuid::WithoutBraces), payment.method,
                              total, payment.tenderedCents, receipt, fromStorageTime(now),
                              *tabVersion - 1, m_store.terminalId());
            fact.tabId = *tabId;
            m_store.insertPayment(fact);

            QJsonArray orderIds;
            for (const OrderStore::ClosedOrder &order : std::as_const(settledOrders)) {
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
