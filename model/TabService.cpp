#include "TabService.h"

#include "Database.h"
#include "Json.h"
#include "Tender.h"
#include "Validation.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QUuid>

using namespace Qt::StringLiterals;

namespace SafeTill {

namespace {

// The sentences a person reads, in the translations' context "SafeTill::TabService".
struct Text
{
    Q_DECLARE_TR_FUNCTIONS(SafeTill::TabService)
};

} // namespace

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
        return Result<Tab>::notFound(Text::tr("There is no open tab called %1.").arg(idOrName));
    });
}

Result<Tab> TabService::settle(const QString &idOrName, const PaymentRequest &payment,
                               std::optional<int> expectedVersion, const QString &requestId)
{
    PaymentRequest whole = payment;
    whole.amountCents.reset();
    QJsonObject parameters{{u"tab"_s, idOrName},
                           {u"method"_s, toString(payment.method)},
                           {u"tendered_cents"_s, payment.tenderedCents},
                           {u"expected_version"_s, expectedVersion ? QJsonValue(*expectedVersion)
                                                                   : QJsonValue(QJsonValue::Null)}};
    if (!payment.label.isEmpty())
        parameters.insert(u"label"_s, payment.label);
    return payInTransaction(u"settle_tab"_s, idOrName, whole, expectedVersion, requestId,
                            parameters);
}

Result<Tab> TabService::pay(const QString &idOrName, const PaymentRequest &payment,
                            std::optional<int> expectedVersion, const QString &requestId)
{
    const QJsonObject parameters{
        {u"tab"_s, idOrName},
        {u"method"_s, toString(payment.method)},
        {u"tendered_cents"_s, payment.tenderedCents},
        {u"amount_cents"_s,
         payment.amountCents ? QJsonValue(*payment.amountCents) : QJsonValue(QJsonValue::Null)},
        {u"label"_s, payment.label},
        {u"expected_version"_s,
         expectedVersion ? QJsonValue(*expectedVersion) : QJsonValue(QJsonValue::Null)}};
    return payInTransaction(u"pay_tab"_s, idOrName, payment, expectedVersion, requestId,
                            parameters);
}

Result<Tab> TabService::payInTransaction(const QString &action, const QString &idOrName,
                                         const PaymentRequest &payment,
                                         std::optional<int> expectedVersion,
                                         const QString &requestId, const QJsonObject &parameters)
{
    if (const QString problem = checkRequestId(requestId); !problem.isEmpty())
        return Result<Tab>::invalidInput(problem);
    if (const QString problem = checkTender(payment.tenderedCents); !problem.isEmpty())
        return Result<Tab>::invalidInput(problem);

    return m_db.write([&] {
        return m_journal.run<Tab>(action, requestId, parameters, [&]() -> Result<Tab> {
            const std::optional<QString> tabId = m_store.findTabId(idOrName);
            if (!tabId)
                return Result<Tab>::notFound(
                    Text::tr("There is no open tab called %1.").arg(idOrName));
            const QString now = toStorageTime(m_clock.now());
            // The conditional update first (the row lock on PostgreSQL: an order put on the tab
            // or another payment at the same moment commits first or waits), then the money.
            const std::optional<int> tabVersion = m_store.bumpOpenTab(*tabId, expectedVersion);
            if (!tabVersion) {
                // Found by name, then settled by a concurrent transaction before this update
                // (PostgreSQL, READ COMMITTED): answer as if this one had run after it, when no
                // open tab has that name any more.
                if (*tabId != idOrName && !m_store.findTabId(idOrName))
                    return Result<Tab>::notFound(
                        Text::tr("There is no open tab called %1.").arg(idOrName));
                return m_store.tabRefusal(*tabId, expectedVersion);
            }
            Cents paid = 0;
            const Cents total = m_store.tabTotal(*tabId, &paid);
            if (!m_store.tabHasOrders(*tabId))
                return Result<Tab>::invalidInput(Text::tr("This tab has no orders to pay for."));
            const Result<Tender> tender = workOutTender(
                payment, total - paid,
                payment.method == PaymentMethod::Cash ? m_store.cashRoundingStep() : 0);
            if (!tender)
                return Result<Tab>::from(tender);

            QString receipt;
            QList<OrderStore::ClosedOrder> settledOrders;
            if (tender->last) {
                receipt = allocateReceiptNumber(m_db);
                m_store.markTabSettled(*tabId, now, receipt);
                settledOrders = m_store.completeTabOrders(*tabId, now);
            }
            // The tab's version after this update; it paid version - 1.
            Payment fact = paymentOf(
                payment, *tender, QUuid::createUuid().toString(QUuid::WithoutBraces), receipt,
                fromStorageTime(now), total, *tabVersion - 1, m_store.terminalId());
            fact.tabId = *tabId;
            fact.shiftId = m_store.insertPayment(fact);

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
                                                     requestId,
                                                     {}});
            }
            QJsonObject payload = parameters;
            payload.insert(u"tab_id"_s, *tabId);
            payload.insert(u"amount_cents"_s, tender->amountCents);
            payload.insert(u"payment"_s, toJson(fact));
            if (tender->last) {
                payload.insert(u"order_ids"_s, orderIds);
                payload.insert(u"receipt_no"_s, receipt);
                payload.insert(u"settled_at"_s, now); // the server keeps the terminal's time
            }
            // The last payment settles (op settle_tab, as a single tender always did); one that
            // leaves a balance is an op of its own (pay_tab).
            m_journal.appendOutbox(requestId, tender->last ? u"settle_tab"_s : u"pay_tab"_s, {},
                                   *tabId, payload);
            std::optional<Tab> tab = m_store.loadTab(*tabId);
            if (!tab)
                return Result<Tab>::notFound(Text::tr("There is no tab %1.").arg(*tabId));
            return Result<Tab>::ok(*tab);
        });
    });
}

} // namespace SafeTill
