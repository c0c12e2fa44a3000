#pragma once

#include "ActionJournal.h"
#include "Approvals.h"
#include "Clock.h"
#include "OrderStore.h"
#include "Refund.h"
#include "Result.h"

#include <optional>

namespace SafeTill {

class Database;

// What to refund of a sale receipt.
struct RefundRequest
{
    QString receiptNo; // the sale's receipt number
    QString cashier;   // who pays the money back (id or name)
    // Which lines (a line id, or a line number on a receipt of one order) and how many of each;
    // empty: everything not refunded yet.
    QList<std::pair<QString, int>> lines;
    std::optional<PaymentMethod> method; // nothing: the method that took the most of the sale
    QString label;                       // for method other
    QString reason;
    std::optional<Approver> approver; // a manager approving on the spot, when the cashier is none
};

// Refunds and voids of past sales (issue 15). A refund is its own money fact (model/Refund.h):
// one write transaction takes each line's units with a conditional update (never more refunded
// than sold, also when two windows, processes or tills refund one receipt at once), books the
// negative amount with its own receipt number in the terminal's open shift, and writes each
// order's history. Needs a manager, or a cashier with a manager's approval (model/Approvals).
class RefundService
{
public:
    RefundService(Database &database, Approvals &approvals, const Clock &clock = Clock::system(),
                  SyncSide side = SyncSide::Terminal);

    // What is left to refund of a sale receipt (read only).
    Result<RefundableReceipt> refundable(const QString &receiptNo);
    // InvalidInput for a malformed request (naming the field), NotFound for an unknown receipt,
    // line or cashier, Forbidden without a manager, InvalidState when a line has fewer units left
    // than asked (nothing is refunded then). A repeated request id replays the first result.
    Result<Refund> refund(const RefundRequest &request, const QString &requestId);
    // A whole sale taken back in the shift it was sold in, on the till that sold it (a manager's
    // correction; a reason is required): a refund of kind void of every line not refunded yet.
    Result<Refund> voidSale(const RefundRequest &request, const QString &requestId);
    // A refund by its own receipt number.
    Result<Refund> find(const QString &refundReceiptNo);

private:
    Result<Refund> perform(RefundKind kind, const RefundRequest &request, const QString &requestId);
    // The sale behind a receipt, with every order's line shares and refunded quantities.
    struct SaleLines;
    // `sale`: the receipt's sale when the caller already looked it up (saleOfReceipt()).
    Result<SaleLines> saleLines(const QString &receiptNo,
                                std::optional<OrderStore::Sale> sale = std::nullopt);

    Database &m_db;
    Approvals &m_approvals;
    const Clock &m_clock;
    OrderStore m_store;
    ActionJournal m_journal;
};

} // namespace SafeTill
