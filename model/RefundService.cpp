#include "RefundService.h"

#include "Database.h"

#include "ShiftStore.h"
#include "Tax.h"
#include "Tender.h"
#include "Validation.h"
#include <QCoreApplication>
#include <QSet>
#include <QUuid>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace SafeTill {

namespace {

// The sentences a person reads, in the translations' context "SafeTill::RefundService".
struct Text
{
    Q_DECLARE_TR_FUNCTIONS(SafeTill::RefundService)
};

} // namespace

struct RefundService::SaleLines
{
    OrderStore::Sale sale;
    RefundableReceipt receipt;
    QList<Order> orders;
    QHash<QString, OrderLine> lines;  // by line id
    QHash<QString, LineShare> shares; // by line id
    QHash<QString, int> refunded;     // by line id
    QHash<QString, QString> orderOf;  // line id -> order id
};

namespace {

constexpr int maxReasonLength = 200;
constexpr int maxLabelLength = 60;

QString receiptNumber(const QString &text)
{
    return text.trimmed().toUpper();
}

// What a request may not be, before anything is read; empty when it is well formed.
QString requestProblem(RefundKind kind, const RefundRequest &request)
{
    if (receiptNumber(request.receiptNo).isEmpty())
        return Text::tr("receipt: say which receipt to refund.");
    if (request.cashier.trimmed().isEmpty())
        return Text::tr("cashier: say who pays the money back.");
    if (request.reason.trimmed().size() > maxReasonLength)
        return Text::tr("reason: at most %1 characters.").arg(maxReasonLength);
    if (kind == RefundKind::Void && request.reason.trimmed().isEmpty())
        return Text::tr("reason: a void needs a reason.");
    if (kind == RefundKind::Void && !request.lines.isEmpty())
        return Text::tr("line: a void takes back the whole sale; refund chosen lines instead.");
    const QString label = request.label.trimmed();
    if (request.method == PaymentMethod::Other &&
        (label.isEmpty() || label.size() > maxLabelLength))
        return Text::tr("label: an \u201cother\u201d refund needs a label of 1 to %1 characters.")
            .arg(maxLabelLength);
    if (request.method != PaymentMethod::Other && !label.isEmpty())
        return Text::tr("label: only an \u201cother\u201d refund has a label.");
    QSet<QString> seen;
    for (const auto &[line, quantity] : request.lines) {
        if (line.trimmed().isEmpty())
            return Text::tr("line: say which line (its id or number).");
        if (quantity < 1 || quantity > Limits::maxQuantity)
            return Text::tr("line %1: the quantity must be 1 to %2.")
                .arg(line)
                .arg(Limits::maxQuantity);
        if (seen.contains(line.trimmed()))
            return Text::tr("line %1: given twice.").arg(line);
        seen.insert(line.trimmed());
    }
    return {};
}

} // namespace

RefundService::RefundService(Database &database, Approvals &approvals, const Clock &clock,
                             SyncSide side)
    : m_db(database)
    , m_approvals(approvals)
    , m_clock(clock)
    , m_store(database)
    , m_journal(database, clock, side)
{}

Result<RefundService::SaleLines> RefundService::saleLines(const QString &receiptNo,
                                                          std::optional<OrderStore::Sale> sale)
{
    const QString number = receiptNumber(receiptNo);
    if (!sale)
        sale = m_store.saleOfReceipt(number);
    if (!sale) {
        if (m_store.loadRefund(number))
            return Result<SaleLines>::invalidInput(
                Text::tr("receipt: %1 is a refund; give the receipt of the sale.").arg(number));
        return Result<SaleLines>::notFound(Text::tr("There is no receipt %1.").arg(number));
    }
    SaleLines found;
    found.sale = *sale;
    found.receipt.receiptNo = number;
    found.receipt.shiftId = sale->shiftId;
    QList<Payment> payments;
    if (!sale->orderId.isEmpty()) {
        if (std::optional<Order> order = m_store.load(sale->orderId)) {
            payments = order->payments;
            found.orders.append(*order);
        }
    } else if (std::optional<Tab> tab = m_store.loadTab(sale->tabId)) {
        payments = tab->payments;
        found.orders = tab->orders;
    }
    // The method that took the most of the sale: what "the original method" pays back by.
    Cents most = -1;
    for (const Payment &payment : std::as_const(payments)) {
        if (payment.kind == PaymentKind::Sale && payment.amountCents > most) {
            most = payment.amountCents;
            found.receipt.originalMethod = payment.method;
        }
    }
    for (const Order &order : std::as_const(found.orders)) {
        const QHash<QString, int> refunded = m_store.refundedQuantities(order.id);
        const QList<LineShare> shares = lineShares(order.lines, order.discount);
        for (qsizetype i = 0; i < order.lines.size(); ++i) {
            const OrderLine &line = order.lines.at(i);
            found.lines.insert(line.lineId, line);
            found.shares.insert(line.lineId, shares.at(i));
            found.refunded.insert(line.lineId, refunded.value(line.lineId));
            found.orderOf.insert(line.lineId, order.id);
            found.receipt.lines.append({line.lineId, order.id, line.lineNo, line.name,
                                        line.quantity, refunded.value(line.lineId),
                                        shares.at(i).grossCents, 0});
            found.receipt.paidCents += shares.at(i).grossCents;
        }
    }
    found.receipt.refunds = m_store.refundsOf(number);
    for (const Refund &refund : std::as_const(found.receipt.refunds)) {
        found.receipt.refundedCents -= refund.amountCents;
        for (const RefundLine &line : refund.lines) {
            if (line.excess)
                continue;
            for (RefundableLine &row : found.receipt.lines) {
                if (row.lineId == line.lineId)
                    row.refundedCents -= line.amountCents;
            }
        }
    }
    return Result<SaleLines>::ok(std::move(found));
}

Result<RefundableReceipt> RefundService::refundable(const QString &receiptNo)
{
    if (receiptNumber(receiptNo).isEmpty())
        return Result<RefundableReceipt>::invalidInput(Text::tr("receipt: say which receipt."));
    return m_db.read([&]() -> Result<RefundableReceipt> {
        Result<SaleLines> sale = saleLines(receiptNo);
        if (!sale)
            return Result<RefundableReceipt>::from(sale);
        return Result<RefundableReceipt>::ok(sale->receipt);
    });
}

Result<Refund> RefundService::find(const QString &refundReceiptNo)
{
    const QString number = receiptNumber(refundReceiptNo);
    return m_db.read([&]() -> Result<Refund> {
        if (std::optional<Refund> refund = m_store.loadRefund(number))
            return Result<Refund>::ok(*refund);
        return Result<Refund>::notFound(Text::tr("There is no refund %1.").arg(number));
    });
}

Result<Refund> RefundService::refund(const RefundRequest &request, const QString &requestId)
{
    return perform(RefundKind::Refund, request, requestId);
}

Result<Refund> RefundService::voidSale(const RefundRequest &request, const QString &requestId)
{
    return perform(RefundKind::Void, request, requestId);
}

Result<Refund> RefundService::perform(RefundKind kind, const RefundRequest &request,
                                      const QString &requestId)
{
    if (const QString problem = requestProblem(kind, request); !problem.isEmpty())
        return Result<Refund>::invalidInput(problem);
    if (const QString problem = checkRequestId(requestId); !problem.isEmpty())
        return Result<Refund>::invalidInput(problem);
    // The roles first, outside the transaction (a PIN's hash is slow on purpose).
    const Result<Authorization> allowed = m_approvals.authorize(
        request.cashier.trimmed(), kind == RefundKind::Void ? Permission::Void : Permission::Refund,
        request.approver);
    if (!allowed)
        return Result<Refund>::from(allowed);

    const QString number = receiptNumber(request.receiptNo);
    const QString action = toString(kind);
    QJsonArray lineParameters;
    for (const auto &[line, quantity] : request.lines)
        lineParameters.append(QJsonArray{line.trimmed(), quantity});
    const QJsonObject parameters{
        {u"receipt"_s, number},
        {u"cashier"_s, allowed->actor.id},
        {u"approver"_s, allowed->approvedById()},
        {u"lines"_s, lineParameters},
        {u"method"_s, request.method ? toString(*request.method) : u"original"_s},
        {u"label"_s, request.label.trimmed()},
        {u"reason"_s, request.reason.trimmed()}};

    return m_db.write([&] {
        return m_journal.run<Refund>(action, requestId, parameters, [&]() -> Result<Refund> {
            // One lookup of the sale: its lines locked first (PostgreSQL), then read.
            const std::optional<OrderStore::Sale> sold = m_store.saleOfReceipt(number);
            if (sold)
                m_store.lockSaleLines(*sold);
            Result<SaleLines> found = saleLines(number, sold);
            if (!found)
                return Result<Refund>::from(found);
            const SaleLines &sale = *found;
            const QString terminalId = m_store.terminalId();
            if (kind == RefundKind::Void) {
                const std::optional<Shift> open = ShiftStore(m_db).openShift(terminalId);
                if (sale.sale.terminalId != terminalId || sale.sale.shiftId.isEmpty() || !open ||
                    open->id != sale.sale.shiftId)
                    return Result<Refund>::failure(
                        Outcome::InvalidState,
                        Text::tr(
                            "A void takes back a sale of this till's current shift; %1 was sold in "
                            "an earlier shift or on another till. Refund it instead.")
                            .arg(number));
            }

            // Which units of which lines, in line id order (PostgreSQL row locks in one order).
            QList<std::pair<QString, int>> wanted;
            if (request.lines.isEmpty()) {
                for (const RefundableLine &line : std::as_const(sale.receipt.lines)) {
                    if (line.left() > 0)
                        wanted.append({line.lineId, line.left()});
                }
                if (wanted.isEmpty())
                    return Result<Refund>::failure(
                        Outcome::InvalidState,
                        Text::tr("Everything on receipt %1 has been refunded already.")
                            .arg(number));
            } else {
                for (const auto &[given, quantity] : request.lines) {
                    const QString ref = given.trimmed();
                    QString lineId;
                    if (sale.lines.contains(ref)) {
                        lineId = ref;
                    } else if (bool isNumber = false; ref.toInt(&isNumber), isNumber) {
                        if (sale.orders.size() > 1)
                            return Result<Refund>::invalidInput(
                                Text::tr(
                                    "line %1: on a tab's receipt, give the line's id (line numbers "
                                    "repeat across its orders).")
                                    .arg(ref));
                        for (const RefundableLine &line : std::as_const(sale.receipt.lines)) {
                            if (line.lineNo == ref.toInt())
                                lineId = line.lineId;
                        }
                    }
                    if (lineId.isEmpty())
                        return Result<Refund>::notFound(
                            Text::tr("line %1 is not on receipt %2.").arg(ref, number));
                    wanted.append({lineId, quantity});
                }
            }
            std::sort(wanted.begin(), wanted.end());
            for (qsizetype i = 1; i < wanted.size(); ++i) {
                if (wanted[i].first == wanted[i - 1].first)
                    return Result<Refund>::invalidInput(
                        Text::tr("line %1: given twice.")
                            .arg(sale.lines.value(wanted[i].first).lineNo));
            }

            Refund refund;
            refund.id = QUuid::createUuid().toString(QUuid::WithoutBraces);
            refund.kind = kind;
            refund.originalReceiptNo = number;
            refund.originalTerminalId = sale.sale.terminalId;
            refund.method = request.method.value_or(sale.receipt.originalMethod);
            refund.label = request.label.trimmed();
            if (refund.method == PaymentMethod::Other && refund.label.isEmpty())
                refund.label = u"Refund"_s;
            refund.reason = request.reason.trimmed();
            refund.cashierId = allowed->actor.id;
            refund.cashierName = allowed->actor.name;
            refund.approvedBy = allowed->approvedById();
            if (allowed->approver)
                refund.approverName = allowed->approver->name;
            refund.terminalId = terminalId;
            const QString now = toStorageTime(m_clock.now());
            refund.refundedAt = fromStorageTime(now);

            for (const auto &[lineId, quantity] : std::as_const(wanted)) {
                const OrderLine &line = sale.lines.value(lineId);
                // The conditional update: never more refunded than sold, whoever refunds at once.
                const std::optional<int> after = m_store.takeRefundable(lineId, quantity);
                if (!after) {
                    const int left =
                        line.quantity -
                        m_store.refundedQuantities(sale.orderOf.value(lineId)).value(lineId);
                    return Result<Refund>::failure(
                        Outcome::InvalidState,
                        Text::tr("line %1 (%2): %3 of %4 left to refund, not %5.")
                            .arg(line.lineNo)
                            .arg(line.name)
                            .arg(left)
                            .arg(line.quantity)
                            .arg(quantity));
                }
                const int before = *after - quantity;
                const LineShare share = sale.shares.value(lineId);
                RefundLine refunded;
                refunded.lineId = lineId;
                refunded.orderId = sale.orderOf.value(lineId);
                refunded.lineNo = line.lineNo;
                refunded.name = line.name;
                refunded.quantity = quantity;
                refunded.amountCents =
                    -shareOfUnits(share.grossCents, line.quantity, before, quantity);
                refunded.taxCode = line.taxCode;
                refunded.taxCents = -shareOfUnits(share.taxCents, line.quantity, before, quantity);
                refund.amountCents += refunded.amountCents;
                refund.lines.append(refunded);
            }
            // Cash is paid back in what the drawer can pay: rounded to the shop's cash-rounding
            // step as a cash payment is (half away from zero), the rounding booked on its own.
            if (refund.method == PaymentMethod::Cash)
                refund.roundingCents = roundToStep(refund.amountCents, m_store.cashRoundingStep()) -
                                       refund.amountCents;
            refund.receiptNo = allocateReceiptNumber(m_db);
            refund.shiftId = ShiftStore(m_db).openShiftFor(terminalId, refund.cashierId, now);
            m_store.insertRefund(refund);

            // Each order's history: the order is unchanged (version and status), the money moved.
            QList<HistoryEntry> entries;
            for (const Order &order : std::as_const(sale.orders)) {
                QStringList what;
                for (const RefundLine &line : std::as_const(refund.lines)) {
                    if (line.orderId == order.id)
                        what.append(u"%1 \u00d7 %2"_s.arg(line.quantity).arg(line.name));
                }
                if (what.isEmpty())
                    continue;
                QString detail = u"%1 %2 of %3: %4; %5 by %6"_s.arg(
                    action, refund.receiptNo, number, what.join(u", "_s),
                    QString::number(refund.amountCents), toString(refund.method));
                if (!refund.approverName.isEmpty())
                    detail += u"; approved by %1"_s.arg(refund.approverName);
                if (!refund.reason.isEmpty())
                    detail += u"; reason: %1"_s.arg(refund.reason);
                entries.append(HistoryEntry{0,
                                            order.id,
                                            {},
                                            refund.cashierId,
                                            action,
                                            order.version,
                                            order.version,
                                            toString(order.status),
                                            toString(order.status),
                                            detail,
                                            requestId,
                                            refund.approvedBy});
            }
            m_journal.appendHistory(entries);
            m_journal.appendOutbox(requestId, u"refund"_s, sale.sale.orderId, sale.sale.tabId,
                                   {{u"refund"_s, toJson(refund)}});
            return Result<Refund>::ok(refund);
        });
    });
}

} // namespace SafeTill
