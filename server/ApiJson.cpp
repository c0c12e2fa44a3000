#include "ApiJson.h"

#include "Clock.h"

#include <QJsonArray>

using namespace Qt::StringLiterals;

namespace SafeTill {

namespace {

QJsonValue timeOrNull(const QDateTime &time)
{
    return time.isValid() ? QJsonValue(toStorageTime(time)) : QJsonValue(QJsonValue::Null);
}

QJsonValue textOrNull(const QString &text)
{
    return text.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(text);
}

} // namespace

QJsonObject apiJson(const Payment &payment)
{
    return {
        {u"id"_s, payment.id},
        {u"method"_s, toString(payment.method)},
        {u"amountCents"_s, payment.amountCents},
        {u"tenderedCents"_s, payment.tenderedCents},
        {u"changeCents"_s, payment.changeCents},
        {u"receiptNo"_s, payment.receiptNo},
        {u"paidAt"_s, timeOrNull(payment.paidAt)},
    };
}

QJsonObject apiJson(const Order &order)
{
    QJsonArray items;
    for (const OrderLine &line : order.lines) {
        items.append(QJsonObject{
            {u"line"_s, line.lineNo},
            {u"sku"_s, textOrNull(line.sku)},
            {u"name"_s, line.name},
            {u"unitPriceCents"_s, line.unitPriceCents},
            {u"qty"_s, line.quantity},
            {u"totalCents"_s, line.totalCents()},
        });
    }
    return {
        {u"id"_s, order.id},
        {u"userId"_s, order.cashierId},
        {u"userName"_s, order.cashierName},
        {u"status"_s, toString(order.status)},
        {u"version"_s, order.version},
        {u"items"_s, items},
        {u"total"_s, order.totalCents()}, // cents
        {u"tabId"_s, textOrNull(order.tabId)},
        {u"tabName"_s, textOrNull(order.tabName)},
        {u"receiptNo"_s, textOrNull(order.receiptNo)},
        {u"logoutTime"_s, timeOrNull(order.logoutTime)},
        {u"createdAt"_s, timeOrNull(order.createdAt)},
        {u"updatedAt"_s, timeOrNull(order.updatedAt)},
        {u"completedAt"_s, timeOrNull(order.completedAt)},
        {u"payment"_s,
         order.payment ? QJsonValue(apiJson(*order.payment)) : QJsonValue(QJsonValue::Null)},
    };
}

QJsonObject apiJson(const Tab &tab)
{
    QJsonArray orders;
    for (const Order &order : tab.orders)
        orders.append(apiJson(order));
    return {
        {u"id"_s, tab.id},
        {u"name"_s, tab.name},
        {u"status"_s, toString(tab.status)},
        {u"version"_s, tab.version},
        {u"total"_s, tab.totalCents()}, // cents
        {u"orders"_s, orders},
        {u"receiptNo"_s, textOrNull(tab.receiptNo)},
        {u"createdAt"_s, timeOrNull(tab.createdAt)},
        {u"settledAt"_s, timeOrNull(tab.settledAt)},
        {u"payment"_s,
         tab.payment ? QJsonValue(apiJson(*tab.payment)) : QJsonValue(QJsonValue::Null)},
    };
}

} // namespace SafeTill
