// safetill-stress-worker: one OS process that performs a bounded stream of order actions on one
// SafeTill database file, for the multi-process race tests and the crash tests.
//
// Output protocol (stdout, one line each, flushed at once):
//   READY pid=P                          the database is open; waiting for --start-at
//   LATE                                 --start-at had already passed when READY was printed
//   ACK rid=R action=A order=O version=V status=S replayed=0|1 attempts=N [sku=K qty=Q]
//       [amount=C] [tab=T]               printed only after the action returned ok (committed)
//   ERR outcome=O rid=R action=A attempts=N msg=...   a refused action (msg runs to end of line)
//   CLAIMED receipt=R copy=0|1           --mode print-claim: the receipt's original is claimed for
//                                        printing; the worker then sleeps until it is killed
//   DONE actions=N ok=N not_found=N conflict=N invalid_state=N invalid_input=N busy=N error=N
//        replays=N bad_replays=N retries=N max_ms=N elapsed_ms=N
// Busy and error outcomes are counted separately: the tests require both to be zero.

#include "CashierService.h"
#include "Database.h"
#include "OrderService.h"
#include "PrintStore.h"
#include "TabService.h"
#include "Validation.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDateTime>
#include <QElapsedTimer>
#include <QRandomGenerator>
#include <QThread>

#include <array>
#include <cstdio>
#include <functional>
#include <map>

using namespace Qt::StringLiterals;
using namespace SafeTill;

namespace {

void emitLine(const QString &line)
{
    const QByteArray bytes = line.toUtf8() + '\n';
    std::fwrite(bytes.constData(), 1, size_t(bytes.size()), stdout);
    std::fflush(stdout);
}

const std::array<QString, 6> skus{u"COF-ESP"_s, u"BAK-CRO"_s, u"COF-LAT"_s,
                                  u"TEA-GRN"_s, u"BAK-MUF"_s, u"SNK-SAL"_s};

struct Counters
{
    std::map<Outcome, int> outcomes;
    int actions = 0;
    int replays = 0;
    int badReplays = 0;
    int retries = 0;
    qint64 maxMs = 0;
};

class Worker
{
public:
    Worker(Database &db, QRandomGenerator rng, QString tag)
        : m_db(db)
        , m_orders(db)
        , m_tabs(db)
        , m_rng(rng)
        , m_tag(std::move(tag))
    {}

    Counters counters;

    QString nextRequestId(const QString &fixed)
    {
        return fixed.isEmpty() ? u"%1-%2"_s.arg(m_tag).arg(++m_sequence) : fixed;
    }

    // Reports one order action: ACK after success, ERR otherwise. extra is appended to ACK.
    void report(const QString &action, const QString &rid, const Result<Order> &result, qint64 ms,
                const QString &extra = {})
    {
        count(result.outcome(), ms);
        if (result) {
            const Order &order = *result;
            QString line = u"ACK rid=%1 action=%2 order=%3 version=%4 status=%5 replayed=%6 "
                           "attempts=%7"_s.arg(rid, action, order.id)
                               .arg(order.version)
                               .arg(toString(order.status))
                               .arg(result.replayed() ? 1 : 0)
                               .arg(m_db.lastWriteAttempts());
            if (action == u"complete"_s && order.payment)
                line += u" amount=%1"_s.arg(order.payment->amountCents);
            if (!order.tabId.isEmpty())
                line += u" tab=%1"_s.arg(order.tabId);
            if (!extra.isEmpty())
                line += u' ' + extra;
            emitLine(line);
        } else {
            refuse(action, rid, result.outcome(), result.message() + result.detail());
        }
    }

    void reportTab(const QString &rid, const Result<Tab> &result, qint64 ms)
    {
        count(result.outcome(), ms);
        if (result) {
            emitLine(u"ACK rid=%1 action=settle order=- version=%2 status=%3 replayed=%4 "
                     "attempts=%5 tab=%6 amount=%7"_s.arg(rid)
                         .arg(result->version)
                         .arg(toString(result->status))
                         .arg(result.replayed() ? 1 : 0)
                         .arg(m_db.lastWriteAttempts())
                         .arg(result->id)
                         .arg(result->payment ? result->payment->amountCents : -1));
        } else {
            refuse(u"settle"_s, rid, result.outcome(), result.message() + result.detail());
        }
    }

    void refuse(const QString &action, const QString &rid, Outcome outcome, QString message)
    {
        emitLine(u"ERR outcome=%1 rid=%2 action=%3 attempts=%4 msg=%5"_s.arg(
            outcomeName(outcome), rid, action, QString::number(m_db.lastWriteAttempts()),
            message.replace(u'\n', u' ')));
    }

    void count(Outcome outcome, qint64 ms)
    {
        ++counters.actions;
        ++counters.outcomes[outcome];
        counters.retries += std::max(0, m_db.lastWriteAttempts() - 1);
        counters.maxMs = std::max(counters.maxMs, ms);
    }

    // Times one call and reports it.
    template<typename Call>
    void timed(const QString &action, const QString &rid, Call &&call, const QString &extra = {})
    {
        QElapsedTimer timer;
        timer.start();
        const Result<Order> result = call();
        report(action, rid, result, timer.elapsed(), extra);
    }

    // Repeats the last acknowledged add with its request id: it must replay, changing nothing.
    void replayLastAdd()
    {
        if (!m_lastAdd.call)
            return;
        QElapsedTimer timer;
        timer.start();
        const Result<Order> result = m_lastAdd.call();
        ++counters.replays;
        if (result.isOk() && !result.replayed()) {
            ++counters.badReplays;
            emitLine(u"BADREPLAY rid=%1"_s.arg(m_lastAdd.rid));
        }
        report(u"replay"_s, m_lastAdd.rid, result, timer.elapsed(), m_lastAdd.extra);
    }

    OrderTarget target(const QString &cashierId, const QString &orderId) const
    {
        return orderId.isEmpty() ? OrderTarget::byCashier(cashierId) : OrderTarget::byId(orderId);
    }

    void add(const OrderTarget &target, const QString &sku, int qty, const QString &rid)
    {
        const auto call = [=, this] { return m_orders.addProduct(target, sku, qty, rid); };
        const QString extra = u"sku=%1 qty=%2"_s.arg(sku).arg(qty);
        QElapsedTimer timer;
        timer.start();
        const Result<Order> result = call();
        report(u"add"_s, rid, result, timer.elapsed(), extra);
        if (result && !result.replayed())
            m_lastAdd = {rid, call, extra};
    }

    QString randomSku() { return skus.at(m_rng.bounded(int(skus.size()))); }
    int bounded(int n) { return int(m_rng.bounded(n)); }

    // One random action of the mixed load: what several tills and windows would do at once.
    void mixedAction(const QStringList &cashierIds, const QStringList &tabNames)
    {
        const QString cashier = cashierIds.at(bounded(int(cashierIds.size())));
        const QString rid = nextRequestId({});
        const int roll = bounded(100);
        const auto current = [&]() -> std::optional<Order> {
            const Result<Order> open = m_orders.openOrderOf(cashier);
            if (open.outcome() == Outcome::Busy || open.outcome() == Outcome::Error) {
                ++counters.outcomes[open.outcome()]; // a read must not be busy either
                emitLine(u"ERR outcome=%1 rid=- action=read attempts=1 msg=%2"_s.arg(
                    outcomeName(open.outcome()), open.message()));
            }
            return open ? std::optional<Order>(*open) : std::nullopt;
        };
        if (roll < 38) {
            add(OrderTarget::byCashier(cashier), randomSku(), 1 + bounded(3), rid);
        } else if (roll < 46) {
            const std::optional<Order> order = current();
            const int line = order && !order->lines.isEmpty()
                                 ? order->lines.at(bounded(int(order->lines.size()))).lineNo
                                 : 1;
            const int qty = 1 + bounded(5);
            timed(u"set_qty"_s, rid, [&] {
                return m_orders.setQuantity(OrderTarget::byCashier(cashier), line, qty, rid);
            });
        } else if (roll < 50) {
            const std::optional<Order> order = current();
            const int line = order && !order->lines.isEmpty()
                                 ? order->lines.at(bounded(int(order->lines.size()))).lineNo
                                 : 1;
            timed(u"remove"_s, rid,
                  [&] { return m_orders.removeLine(OrderTarget::byCashier(cashier), line, rid); });
        } else if (roll < 55) {
            const std::optional<Order> order = current();
            QList<ItemSpec> items;
            for (int i = 0, n = 1 + bounded(3); i < n; ++i)
                items.append(ItemSpec{randomSku(), {}, std::nullopt, 1 + bounded(3)});
            const QString id = order ? order->id : QString();
            const int version = order ? order->version : 1;
            timed(u"replace"_s, rid,
                  [&] { return m_orders.replaceLines(target(cashier, id), items, version, rid); });
        } else if (roll < 68) {
            const std::optional<Order> order = current();
            const std::optional<int> expected =
                order && bounded(2) == 0 ? std::optional<int>(order->version) : std::nullopt;
            const QString id = order ? order->id : QString();
            timed(u"complete"_s, rid, [&] {
                return m_orders.complete(
                    target(cashier, id),
                    PaymentRequest{PaymentMethod::Cash, Limits::maxTenderCents}, expected, rid);
            });
        } else if (roll < 74) {
            timed(u"logout"_s, rid,
                  [&] { return m_orders.logOut(OrderTarget::byCashier(cashier), rid); });
        } else if (roll < 82) {
            timed(u"open"_s, rid, [&] { return m_orders.openOrResume(cashier, rid); });
        } else if (roll < 90) {
            const QString tab = tabNames.at(bounded(int(tabNames.size())));
            timed(u"assign"_s, rid, [&] {
                return m_orders.assignToTab(OrderTarget::byCashier(cashier), tab, std::nullopt,
                                            rid);
            });
        } else if (roll < 95) {
            const QString tab = tabNames.at(bounded(int(tabNames.size())));
            QElapsedTimer timer;
            timer.start();
            const Result<Tab> settled =
                m_tabs.settle(tab, PaymentRequest{PaymentMethod::Cash, Limits::maxTenderCents},
                              std::nullopt, rid);
            reportTab(rid, settled, timer.elapsed());
        } else {
            replayLastAdd();
        }
    }

    // The crash-test stream: adds to the cashier's order, completing it every few adds.
    void streamAction(const QString &cashier)
    {
        const QString rid = nextRequestId({});
        if (m_untilComplete <= 0) {
            m_untilComplete = 2 + bounded(6);
            timed(u"complete"_s, rid, [&] {
                return m_orders.complete(
                    OrderTarget::byCashier(cashier),
                    PaymentRequest{PaymentMethod::Cash, Limits::maxTenderCents}, std::nullopt, rid);
            });
            return;
        }
        --m_untilComplete;
        add(OrderTarget::byCashier(cashier), randomSku(), 1, rid);
    }

    Database &m_db;
    OrderService m_orders;
    TabService m_tabs;

private:
    struct LastAdd
    {
        QString rid;
        std::function<Result<Order>()> call;
        QString extra;
    };
    QRandomGenerator m_rng;
    QString m_tag;
    int m_sequence = 0;
    int m_untilComplete = 3;
    LastAdd m_lastAdd;
};

int fail(const QString &message)
{
    const QByteArray bytes = u"safetill-stress-worker: %1\n"_s.arg(message).toUtf8();
    std::fwrite(bytes.constData(), 1, size_t(bytes.size()), stderr);
    return 2;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(u"safetill-stress-worker"_s);

    QCommandLineParser parser;
    parser.setApplicationDescription(
        u"Performs a bounded stream of SafeTill order actions on one database and prints one "
        "ACK line per acknowledged action."_s);
    parser.addHelpOption();
    parser.addOptions({
        {u"db"_s, u"The database file."_s, u"path"_s},
        {u"mode"_s, u"add, complete, logout, open, assign, replace, settle, stream or mixed."_s,
         u"mode"_s},
        {u"count"_s, u"How many actions (default 1)."_s, u"n"_s, u"1"_s},
        {u"cashier"_s, u"Cashier name or id; a comma-separated list for mixed."_s, u"name"_s,
         u"Alice"_s},
        {u"order"_s, u"Act on this order id instead of the cashier's open order."_s, u"id"_s},
        {u"seed"_s, u"Random seed."_s, u"n"_s},
        {u"tag"_s, u"Request id prefix (default: the process id)."_s, u"tag"_s},
        {u"request-id"_s, u"Use this one request id for every action (replay test)."_s, u"id"_s},
        {u"start-at"_s, u"Begin at this time (ms since the epoch)."_s, u"ms"_s},
        {u"duration-ms"_s, u"Stop after this long even if count is not reached."_s, u"ms"_s},
        {u"sku"_s, u"The product for add (default: random)."_s, u"sku"_s},
        {u"tab"_s, u"Tab name(s) for assign / settle / mixed, comma-separated."_s, u"name"_s,
         u"Table 1,Table 2,Table 3"_s},
        {u"expect-version"_s, u"Expected order version for replace / complete."_s, u"v"_s},
        {u"receipt"_s, u"The receipt for print-claim."_s, u"number"_s},
        {u"pause-ms"_s, u"Sleep this long between actions."_s, u"ms"_s, u"0"_s},
    });
    parser.process(app);

    const QString mode = parser.value(u"mode"_s);
    static const QStringList modes{u"add"_s,    u"complete"_s,   u"logout"_s, u"open"_s,
                                   u"assign"_s, u"replace"_s,    u"settle"_s, u"stream"_s,
                                   u"mixed"_s,  u"print-claim"_s};
    if (!modes.contains(mode))
        return fail(u"--mode must be one of %1"_s.arg(modes.join(u", "_s)));
    if (parser.value(u"db"_s).isEmpty())
        return fail(u"--db is required"_s);
    bool ok = false;
    const int count = parser.value(u"count"_s).toInt(&ok);
    if (!ok || count < 0)
        return fail(u"--count must be a whole number"_s);
    const qint64 durationMs =
        parser.isSet(u"duration-ms"_s) ? parser.value(u"duration-ms"_s).toLongLong() : -1;
    const int pauseMs = parser.value(u"pause-ms"_s).toInt();
    std::optional<int> expectedVersion;
    if (parser.isSet(u"expect-version"_s))
        expectedVersion = parser.value(u"expect-version"_s).toInt();
    const quint32 seed = parser.isSet(u"seed"_s) ? parser.value(u"seed"_s).toUInt()
                                                 : QRandomGenerator::global()->generate();
    const QString tag = parser.isSet(u"tag"_s) ? parser.value(u"tag"_s)
                                               : u"w%1"_s.arg(QCoreApplication::applicationPid());
    const QString fixedRequestId = parser.value(u"request-id"_s);
    const QStringList tabNames = parser.value(u"tab"_s).split(u',', Qt::SkipEmptyParts);
    if (tabNames.isEmpty())
        return fail(u"--tab needs a name"_s);

    QString error;
    std::unique_ptr<Database> db = Database::open(DatabaseOptions{parser.value(u"db"_s)}, &error);
    if (!db)
        return fail(error);
    QStringList cashierIds;
    for (const QString &name : parser.value(u"cashier"_s).split(u',', Qt::SkipEmptyParts)) {
        const Result<Cashier> cashier = CashierService(*db).find(name);
        if (!cashier)
            return fail(u"cashier %1: %2"_s.arg(name, cashier.message()));
        cashierIds << cashier->id;
    }
    if (cashierIds.isEmpty())
        return fail(u"--cashier needs a name"_s);
    const QString cashier = cashierIds.front();
    const QString orderId = parser.value(u"order"_s);

    Worker worker(*db, QRandomGenerator(seed), tag);
    const OrderTarget target =
        orderId.isEmpty() ? OrderTarget::byCashier(cashier) : OrderTarget::byId(orderId);

    emitLine(u"READY pid=%1"_s.arg(QCoreApplication::applicationPid()));
    if (mode == u"print-claim"_s) {
        // A till that dies while printing (tst_printer): claim the original, then hang as if the
        // printer never answered, until the test kills this process.
        const Result<PrintClaim> claim = PrintStore(*db).claimOriginal(parser.value(u"receipt"_s));
        if (!claim)
            return fail(u"claim: %1"_s.arg(claim.message()));
        emitLine(u"CLAIMED receipt=%1 copy=%2"_s.arg(claim->receiptNo).arg(claim->copy ? 1 : 0));
        for (;;)
            QThread::sleep(60);
    }
    if (parser.isSet(u"start-at"_s)) {
        const qint64 wait =
            parser.value(u"start-at"_s).toLongLong() - QDateTime::currentMSecsSinceEpoch();
        if (wait > 0)
            QThread::msleep(ulong(wait));
        else
            emitLine(u"LATE"_s);
    }

    QElapsedTimer elapsed;
    elapsed.start();
    const PaymentRequest cash{PaymentMethod::Cash, Limits::maxTenderCents};
    for (int i = 0; i < count; ++i) {
        if (durationMs >= 0 && elapsed.elapsed() >= durationMs)
            break;
        const bool ownRequestIds = mode == u"stream"_s || mode == u"mixed"_s;
        const QString rid = ownRequestIds ? QString() : worker.nextRequestId(fixedRequestId);
        if (mode == u"add"_s) {
            const QString sku =
                parser.isSet(u"sku"_s) ? parser.value(u"sku"_s) : worker.randomSku();
            worker.add(target, sku, 1, rid);
        } else if (mode == u"complete"_s) {
            worker.timed(u"complete"_s, rid, [&] {
                return worker.m_orders.complete(target, cash, expectedVersion, rid);
            });
        } else if (mode == u"logout"_s) {
            worker.timed(u"logout"_s, rid, [&] { return worker.m_orders.logOut(target, rid); });
        } else if (mode == u"open"_s) {
            worker.timed(u"open"_s, rid,
                         [&] { return worker.m_orders.openOrResume(cashier, rid); });
        } else if (mode == u"assign"_s) {
            worker.timed(u"assign"_s, rid, [&] {
                return worker.m_orders.assignToTab(target, tabNames.front(), expectedVersion, rid);
            });
        } else if (mode == u"replace"_s) {
            QList<ItemSpec> items;
            for (int n = 0, lines = 1 + worker.bounded(3); n < lines; ++n)
                items.append(ItemSpec{worker.randomSku(), {}, std::nullopt, 1 + worker.bounded(4)});
            worker.timed(u"replace"_s, rid, [&] {
                return worker.m_orders.replaceLines(target, items, expectedVersion.value_or(1),
                                                    rid);
            });
        } else if (mode == u"settle"_s) {
            QElapsedTimer timer;
            timer.start();
            const Result<Tab> settled =
                worker.m_tabs.settle(tabNames.front(), cash, expectedVersion, rid);
            worker.reportTab(rid, settled, timer.elapsed());
        } else if (mode == u"stream"_s) {
            worker.streamAction(cashier);
        } else {
            worker.mixedAction(cashierIds, tabNames);
        }
        if (pauseMs > 0)
            QThread::msleep(ulong(pauseMs));
    }

    const Counters &c = worker.counters;
    const auto n = [&](Outcome outcome) {
        const auto it = c.outcomes.find(outcome);
        return it == c.outcomes.end() ? 0 : it->second;
    };
    emitLine(u"DONE actions=%1 ok=%2 not_found=%3 conflict=%4 invalid_state=%5 invalid_input=%6 "
             "busy=%7 error=%8 replays=%9 bad_replays=%10 retries=%11 max_ms=%12 elapsed_ms=%13"_s
                 .arg(c.actions)
                 .arg(n(Outcome::Ok))
                 .arg(n(Outcome::NotFound))
                 .arg(n(Outcome::Conflict))
                 .arg(n(Outcome::InvalidState))
                 .arg(n(Outcome::InvalidInput))
                 .arg(n(Outcome::Busy))
                 .arg(n(Outcome::Error))
                 .arg(c.replays)
                 .arg(c.badReplays)
                 .arg(c.retries)
                 .arg(c.maxMs)
                 .arg(elapsed.elapsed()));
    return 0;
}
