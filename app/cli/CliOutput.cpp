#include "CliOutput.h"

#include "Clock.h"
#include "Json.h"
#include "Tax.h"

#include <QJsonArray>
#include <QJsonDocument>

#include <cstdio>

using namespace Qt::StringLiterals;

namespace SafeTill {

// Strict whole numbers: digits only (and a leading minus where allowed), within range.
std::optional<qint64> parseWhole(const QString &text, qint64 min, qint64 max)
{
    if (text.isEmpty() || text.size() > 19)
        return std::nullopt;
    for (qsizetype i = 0; i < text.size(); ++i) {
        const QChar c = text.at(i);
        if (!(c >= u'0' && c <= u'9') && !(i == 0 && c == u'-' && text.size() > 1))
            return std::nullopt; // toLongLong() would accept "+5", " 5", "\t5" and "5\n"
    }
    bool ok = false;
    const qint64 value = text.toLongLong(&ok, 10);
    if (!ok || value < min || value > max)
        return std::nullopt;
    return value;
}

int exitStatusFor(Outcome outcome)
{
    switch (outcome) {
    case Outcome::Ok:
        return ExitOk;
    case Outcome::InvalidInput:
        return ExitInvalid;
    case Outcome::Conflict:
    case Outcome::InvalidState:
    case Outcome::Forbidden:
        return ExitRefused;
    case Outcome::NotFound:
        return ExitNotFound;
    case Outcome::Busy:
        return ExitBusy;
    case Outcome::Error:
        break;
    }
    return ExitFailure;
}

CliOutput::CliOutput(bool json)
    : m_json(json)
    , m_out(stdout)
    , m_err(stderr)
{}

namespace {

Currency &shopCurrency()
{
    static Currency currency;
    return currency;
}

Order presented(const Order &order)
{
    Order shown = order;
    if (shown.currency.isEmpty())
        shown.currency = shopCurrency().code;
    return shown;
}

} // namespace

void CliOutput::setCurrency(const Currency &currency)
{
    shopCurrency() = currency;
}

QString CliOutput::money(Cents cents)
{
    QLocale plain = QLocale::c();
    plain.setNumberOptions(QLocale::OmitGroupSeparator);
    return formatAmount(cents, shopCurrency().minorUnits, plain);
}

QJsonObject CliOutput::toJsonObject(const Order &order)
{
    return toPresentedJson(presented(order));
}
QJsonObject CliOutput::toJsonObject(const Tab &tab)
{
    return toJson(tab);
}

void CliOutput::printJson(const QJsonObject &object)
{
    m_out << QString::fromUtf8(QJsonDocument(object).toJson(QJsonDocument::Compact)) << '\n';
    m_out.flush();
}

QString CliOutput::orderText(const Order &order, const QString &indent) const
{
    QString text = u"%1Order %2 (%3): %4, version %5"_s
                       .arg(indent, order.id, order.cashierName, toString(order.status))
                       .arg(order.version);
    if (!order.tabName.isEmpty())
        text += u", tab %1"_s.arg(order.tabName);
    if (!order.receiptNo.isEmpty())
        text += u", receipt %1"_s.arg(order.receiptNo);
    text += u'\n';
    for (const OrderLine &line : order.lines) {
        text += u"%1  %2  %3  %4  %5 x %6 = %7\n"_s.arg(indent)
                    .arg(line.lineNo, 3)
                    .arg(line.sku.isEmpty() ? u"-"_s : line.sku, -12)
                    .arg(line.name, -28)
                    .arg(line.quantity)
                    .arg(money(line.unitPriceCents), money(line.amountCents()));
        if (line.listPriceCents) {
            text += u"%1       price changed from %2 (%3)\n"_s.arg(
                indent, money(*line.listPriceCents), line.priceReason);
        }
        if (!line.discount.isNone()) {
            text += u"%1       discount %2: -%3 (%4)\n"_s.arg(indent, discountText(line.discount),
                                                              money(line.discountCents()),
                                                              line.discount.reason);
        }
    }
    const TaxTable taxes = taxTable(order.lines, order.discount);
    if (!order.discount.isNone()) {
        text += u"%1Subtotal: %2\n%1Order discount %3: -%4 (%5)\n"_s.arg(
            indent, money(taxes.subtotalCents), discountText(order.discount),
            money(taxes.orderDiscountCents), order.discount.reason);
    }
    for (const TaxLine &row : taxes.rows) {
        text += u"%1Tax %2 %3: net %4, tax %5, gross %6\n"_s
                    .arg(indent, row.code, formatRate(row.rateBp), money(row.netCents))
                    .arg(money(row.taxCents), money(row.grossCents));
    }
    text += u"%1Total: %2\n"_s.arg(indent, money(taxes.totalCents));
    text += paymentsText(order.payments, indent);
    if (order.isOpen() && order.paidCents() > 0)
        text += u"%1Balance due: %2\n"_s.arg(indent, money(order.balanceCents()));
    return text;
}

QString CliOutput::discountText(const Discount &discount) const
{
    return discount.kind == DiscountKind::Percent ? formatRate(int(discount.value))
                                                  : money(discount.value);
}

QString CliOutput::paymentsText(const QList<Payment> &payments, const QString &indent) const
{
    QString text;
    for (const Payment &payment : payments) {
        const QString how =
            payment.method == PaymentMethod::Other ? payment.label : toString(payment.method);
        text += u"%1%2 %3 by %4, tendered %5, change %6"_s.arg(
            indent, payment.kind == PaymentKind::Overpayment ? u"Overpaid"_s : u"Paid"_s,
            money(payment.amountCents), how, money(payment.tenderedCents),
            money(payment.changeCents));
        if (payment.roundingCents != 0)
            text += u", cash rounding %1"_s.arg(money(payment.roundingCents));
        text += u'\n';
    }
    return text;
}

void CliOutput::printOrder(const Order &order)
{
    if (m_json)
        return printJson(toJsonObject(order));
    m_out << orderText(order);
    m_out.flush();
}

void CliOutput::printTab(const Tab &tab)
{
    if (m_json)
        return printJson(toJson(tab));
    m_out << u"Tab %1 (%2): %3, %4 orders, total %5"_s.arg(tab.name, tab.id, toString(tab.status))
                 .arg(tab.orders.size())
                 .arg(money(tab.totalCents()));
    if (!tab.receiptNo.isEmpty())
        m_out << u", receipt "_s << tab.receiptNo;
    m_out << '\n' << paymentsText(tab.payments);
    if (tab.status == TabStatus::Open && tab.paidCents() > 0)
        m_out << u"Balance due: %1\n"_s.arg(money(tab.balanceCents()));
    m_out.flush();
}

void CliOutput::printTabs(const QList<Tab> &tabs)
{
    if (m_json) {
        QJsonArray array;
        for (const Tab &tab : tabs)
            array.append(toJson(tab));
        return printJson({{u"tabs"_s, array}});
    }
    if (tabs.isEmpty())
        m_out << u"No open tabs.\n"_s;
    for (const Tab &tab : tabs) {
        m_out << u"%1  %2 orders  %3\n"_s.arg(tab.name, -24)
                     .arg(tab.orders.size(), 3)
                     .arg(money(tab.totalCents()));
    }
    m_out.flush();
}

void CliOutput::printCashiers(const QList<Cashier> &cashiers)
{
    if (m_json) {
        QJsonArray array;
        for (const Cashier &cashier : cashiers)
            array.append(toJson(cashier));
        return printJson({{u"cashiers"_s, array}});
    }
    for (const Cashier &cashier : cashiers)
        m_out << u"%1  %2  %3\n"_s.arg(cashier.name, -24)
                     .arg(toString(cashier.role), -8)
                     .arg(cashier.id);
    m_out.flush();
}

void CliOutput::printProducts(const QList<Product> &products)
{
    if (m_json) {
        QJsonArray array;
        for (const Product &product : products)
            array.append(toJson(product));
        return printJson({{u"products"_s, array}});
    }
    for (const Product &product : products) {
        m_out << u"%1  %2  %3  %4\n"_s.arg(product.sku, -12)
                     .arg(product.name, -28)
                     .arg(money(product.priceCents), 10)
                     .arg(product.category);
    }
    m_out.flush();
}

void CliOutput::printHistory(const QList<HistoryEntry> &history)
{
    if (m_json) {
        QJsonArray array;
        for (const HistoryEntry &entry : history)
            array.append(toJson(entry));
        return printJson({{u"history"_s, array}});
    }
    for (const HistoryEntry &entry : history) {
        m_out << u"%1  %2  v%3 -> v%4  %5 -> %6  %7\n"_s
                     .arg(entry.at.toString(Qt::ISODateWithMs), entry.action)
                     .arg(entry.fromVersion ? QString::number(*entry.fromVersion) : u"-"_s)
                     .arg(entry.toVersion)
                     .arg(entry.fromStatus.isEmpty() ? u"-"_s : entry.fromStatus, entry.toStatus,
                          entry.detail);
    }
    m_out.flush();
}

void CliOutput::printMessage(const QString &text, const QJsonObject &json)
{
    if (m_json)
        return printJson(json);
    m_out << text << '\n';
    m_out.flush();
}

void CliOutput::printReceipts(const ReceiptList &list)
{
    if (m_json) {
        QJsonArray array;
        for (const ReceiptSummary &summary : list.receipts)
            array.append(toJson(summary));
        return printJson({{u"receipts"_s, array}, {u"more"_s, list.more}});
    }
    if (list.receipts.isEmpty())
        m_out << u"No receipts found.\n"_s;
    for (const ReceiptSummary &summary : list.receipts) {
        const QString who =
            summary.tabId.isEmpty() ? summary.cashierName : u"tab "_s + summary.tabName;
        m_out << u"%1  %2  %3  %4  %5\n"_s.arg(summary.receiptNo, -14)
                     .arg(summary.paidAt.toLocalTime().toString(u"yyyy-MM-dd HH:mm:ss"_s))
                     .arg(money(summary.amountCents), 10)
                     .arg(toString(summary.method), -4)
                     .arg(who);
    }
    if (list.more)
        m_out << u"(More receipts match; narrow the search or raise --limit.)\n"_s;
    m_out.flush();
}

void CliOutput::printReceipt(const Receipt &receipt, bool copy)
{
    if (m_json) {
        if (receipt.order)
            return printJson(toJsonObject(*receipt.order));
        return printJson(toJsonObject(*receipt.tab));
    }
    const ReceiptSummary &summary = receipt.summary;
    if (copy)
        m_out << u"*** COPY ***\n"_s;
    m_out << u"Receipt %1\nPaid %2 (UTC %3), terminal %4\n"_s.arg(
        summary.receiptNo, summary.paidAt.toLocalTime().toString(u"yyyy-MM-dd HH:mm:ss"_s),
        toStorageTime(summary.paidAt), summary.terminalId);
    if (receipt.order) {
        m_out << orderText(*receipt.order);
    } else {
        const Tab &tab = *receipt.tab;
        m_out << u"Tab %1, %2 orders\n"_s.arg(tab.name).arg(tab.orders.size());
        for (const Order &order : tab.orders)
            m_out << orderText(order, u"  "_s);
        m_out << u"Total: %1\n"_s.arg(money(tab.totalCents()));
        if (tab.payment) {
            m_out << u"Paid %1 by %2, tendered %3, change %4\n"_s.arg(
                money(tab.payment->amountCents), toString(tab.payment->method),
                money(tab.payment->tenderedCents), money(tab.payment->changeCents));
        }
    }
    if (copy)
        m_out << u"*** COPY ***\n"_s;
    m_out.flush();
}

int CliOutput::failWith(Outcome outcome, const QString &message, const QJsonObject &current,
                        const QString &detail)
{
    m_err << message << '\n';
    if (!detail.isEmpty())
        m_err << detail << '\n';
    m_err.flush();
    if (m_json) {
        QJsonObject error{{u"code"_s, outcomeName(outcome)}, {u"message"_s, message}};
        if (!current.isEmpty())
            error.insert(current.contains(u"orders"_s) ? u"tab"_s : u"order"_s, current);
        printJson({{u"error"_s, error}});
    }
    return exitStatusFor(outcome);
}

int CliOutput::usage(const QString &message)
{
    return failWith(Outcome::InvalidInput,
                    message + u"\nRun safetill-cli --help for the commands."_s);
}

void CliOutput::noteReplay()
{
    m_err << u"(This request id was seen before: its stored result is shown and nothing "
             "changed.)\n"_s;
    m_err.flush();
}

} // namespace SafeTill
