// A till for the sync suites that go through a real server process (tst_sync_refunds,
// tst_sync_shifts): its own SQLite database, filled by its first sync's pull; its order, refund
// and shift services; its device token; one sync run at a time, as `safetill-cli sync --once`.
#pragma once

#include "Approvals.h"
#include "CashierService.h"
#include "Clock.h"
#include "Database.h"
#include "OrderService.h"
#include "RefundService.h"
#include "ShiftService.h"
#include "SyncEngine.h"
#include "SyncTransport.h"
#include "TestSupport.h"

#include <QTemporaryDir>
#include <QUrl>

#include <memory>

namespace SafeTill::Test {

using namespace Qt::StringLiterals;

class SyncTill
{
public:
    // policy: how the till's sync retries and batches (each suite picks its own).
    SyncTill(QByteArray deviceToken, SyncPolicy syncPolicy)
        : token(std::move(deviceToken))
        , policy(syncPolicy)
    {
        QString error;
        DatabaseOptions options{path()};
        options.durableCommits = false;
        m_db = Database::open(options, &error);
        if (!m_db)
            qFatal("till: %s", qPrintable(error));
        orders = std::make_unique<OrderService>(*m_db);
        cashiers = std::make_unique<CashierService>(*m_db);
        approvals = std::make_unique<Approvals>(*cashiers);
        refunds = std::make_unique<RefundService>(*m_db, *approvals);
        shifts = std::make_unique<ShiftService>(*m_db, Clock::system(), *cashiers, *approvals);
    }
    Database &db() { return *m_db; }
    QString path() const { return m_dir.filePath(u"till.sqlite"_s); }
    QString cashierId(const QString &name)
    {
        return queryValue(*m_db, u"SELECT id FROM cashiers WHERE name = ?"_s, {name}).toString();
    }
    qint64 number(const QString &sql, const QVariantList &values = {})
    {
        return queryValue(*m_db, sql, values).toLongLong();
    }
    QString text(const QString &sql, const QVariantList &values = {})
    {
        return queryValue(*m_db, sql, values).toString();
    }
    // One sync run on a connection of its own (as `safetill-cli sync --once` makes).
    SyncRunReport sync(quint16 port)
    {
        DatabaseOptions options{path()};
        options.durableCommits = false;
        QString error;
        const std::unique_ptr<Database> db = Database::open(options, &error);
        if (!db) {
            SyncRunReport report;
            report.status = SyncRunReport::Status::LocalError;
            report.error = error;
            return report;
        }
        const QUrl url(u"http://127.0.0.1:%1"_s.arg(port));
        SyncTransport transport(url, token, {});
        transport.setTimeoutMs(10000);
        return SyncEngine(*db, transport, url.toString(), policy).run();
    }
    // A sale of qty espressos (220 each) by the cashier, paid as given; its receipt and line.
    std::pair<QString, QString> sell(const QString &cashier, int qty,
                                     PaymentMethod method = PaymentMethod::Cash,
                                     const QString &label = {})
    {
        Result<Order> order = orders->openOrResume(cashierId(cashier), newId());
        if (order)
            order = orders->addProduct(OrderTarget::byId(order->id), u"COF-ESP"_s, qty, newId());
        if (order)
            order = orders->complete(OrderTarget::byId(order->id),
                                     PaymentRequest{method, 220 * qty, {}, label}, order->version,
                                     newId());
        if (!order || order->lines.isEmpty()) {
            qWarning() << "sale failed:" << order.message();
            return {};
        }
        return {order->receiptNo, order->lines.first().lineId};
    }

    Result<Refund> refund(const QString &cashier, const QString &receiptNo, const QString &lineId,
                          int quantity)
    {
        RefundRequest request;
        request.receiptNo = receiptNo;
        request.cashier = cashier;
        request.lines = {{lineId, quantity}};
        request.reason = u"offline refund"_s;
        return refunds->refund(request, newId());
    }

    const QByteArray token;
    const SyncPolicy policy;
    std::unique_ptr<OrderService> orders;
    std::unique_ptr<CashierService> cashiers;
    std::unique_ptr<Approvals> approvals;
    std::unique_ptr<RefundService> refunds;
    std::unique_ptr<ShiftService> shifts;

private:
    QTemporaryDir m_dir;
    std::unique_ptr<Database> m_db;
};

} // namespace SafeTill::Test
