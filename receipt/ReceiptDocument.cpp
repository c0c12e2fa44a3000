#include "ReceiptDocument.h"

#include "Money.h"
#include "Tax.h"

#include <QCoreApplication>
#include <QFileInfo>
#include <QLocale>
#include <QMap>
#include <QObject>
#include <QPageSize>
#include <QPdfWriter>
#include <QTextDocument>

using namespace Qt::StringLiterals;

namespace SafeTill {

namespace {

// "10%" or "−$1.00": what a discount is, as given (the amount it took off is shown beside it).
QString discountText(const Discount &discount, const Currency &currency)
{
    return discount.kind == DiscountKind::Percent ? formatRate(int(discount.value))
                                                  : formatMoney(discount.value, currency);
}

QString row(const QString &left, const QString &right, bool small = false)
{
    return small
               ? u"<tr><td><small>%1</small></td><td align=right><small>%2</small></td></tr>"_s.arg(
                     left, right)
               : u"<tr><td>%1</td><td align=right>%2</td></tr>"_s.arg(left, right);
}

QString minus(Cents cents, const Currency &currency)
{
    return u"\u2212"_s + formatMoney(cents, currency);
}

// Each line: quantity, name and tax code, its amount before its discount; a re-priced line says
// what the price was and why; a discounted line has its discount as a row of its own below it.
QString linesHtml(const Order &order, const Currency &currency)
{
    QString html;
    for (const OrderLine &line : order.lines) {
        html += row(u"%1 &times; %2%3"_s.arg(
                        QString::number(line.quantity), line.name.toHtmlEscaped(),
                        line.taxCode.isEmpty()
                            ? QString()
                            : u" <small>%1</small>"_s.arg(line.taxCode.toHtmlEscaped())),
                    formatMoney(line.amountCents(), currency));
        if (line.listPriceCents) {
            QString text = QObject::tr("Price %1, was %2")
                               .arg(formatMoney(line.unitPriceCents, currency),
                                    formatMoney(*line.listPriceCents, currency));
            if (!line.priceReason.isEmpty())
                text += u" (%1)"_s.arg(line.priceReason.toHtmlEscaped());
            html += row(u"&nbsp;&nbsp;"_s + text, QString(), true);
        }
        if (!line.discount.isNone()) {
            html += row(u"&nbsp;&nbsp;"_s + QObject::tr("Discount %1 (%2)")
                                                .arg(discountText(line.discount, currency),
                                                     line.discount.reason.toHtmlEscaped()),
                        minus(line.discountCents(), currency), true);
        }
    }
    return html;
}

// Under the lines when there is an order discount: the subtotal and what the discount took off.
QString orderDiscountHtml(const Order &order, const TaxTable &taxes, const Currency &currency)
{
    if (order.discount.isNone())
        return {};
    return row(QObject::tr("Subtotal"), formatMoney(taxes.subtotalCents, currency)) +
           row(QObject::tr("Order discount %1 (%2)")
                   .arg(discountText(order.discount, currency),
                        order.discount.reason.toHtmlEscaped()),
               minus(taxes.orderDiscountCents, currency));
}

QString methodName(const Payment &payment)
{
    switch (payment.method) {
    case PaymentMethod::Card:
        return QObject::tr("Card");
    case PaymentMethod::Other:
        return payment.label.isEmpty() ? QObject::tr("Other") : payment.label.toHtmlEscaped();
    case PaymentMethod::Cash:
        break;
    }
    return QObject::tr("Cash");
}

// Every payment taken (split tender): its method or label and amount; cash rounding as a line of
// its own; for cash what was tendered and the change.
QString paymentsHtml(const QList<Payment> &payments, const Currency &currency)
{
    QString html;
    for (const Payment &payment : payments) {
        if (payment.kind != PaymentKind::Sale)
            continue;
        html += row(methodName(payment), formatMoney(payment.amountCents, currency));
        if (payment.roundingCents != 0) {
            html += row(QObject::tr("Cash rounding"),
                        (payment.roundingCents > 0 ? u"+"_s : u"\u2212"_s) +
                            formatMoney(qAbs(payment.roundingCents), currency));
        }
        if (payment.method == PaymentMethod::Cash) {
            html +=
                row(QObject::tr("Tendered"), formatMoney(payment.tenderedCents, currency), true) +
                row(QObject::tr("Change"), formatMoney(payment.changeCents, currency), true);
        }
    }
    return html;
}

QList<Payment> paymentsOf(const QList<Payment> &all, const std::optional<Payment> &last)
{
    if (!all.isEmpty())
        return all;
    return last ? QList<Payment>{*last} : QList<Payment>{};
}

// The tax table: one row per rate, net + tax = gross on each (model/Tax.h).
QString taxesHtml(const QList<TaxLine> &rows, const Currency &currency)
{
    if (rows.isEmpty())
        return {};
    QString html = u"<table width=100%><tr><td><small>%1</small></td><td align=right><small>%2"
                   "</small></td><td align=right><small>%3</small></td><td align=right><small>"
                   "%4</small></td></tr>"_s.arg(QObject::tr("Tax"), QObject::tr("Net"),
                                                QObject::tr("Tax"), QObject::tr("Gross"));
    for (const TaxLine &row : rows) {
        html +=
            u"<tr><td><small>%1 %2</small></td><td align=right><small>%3</small></td>"
            "<td align=right><small>%4</small></td><td align=right><small>%5</small></td>"
            "</tr>"_s.arg(row.code.toHtmlEscaped(), formatRate(row.rateBp),
                          formatMoney(row.netCents, currency), formatMoney(row.taxCents, currency),
                          formatMoney(row.grossCents, currency));
    }
    return html + u"</table>"_s;
}

QString headerHtml(const ShopProfile &shop)
{
    QString html = u"<h2 align=center>%1</h2>"_s.arg(
        shop.name.isEmpty() ? u"SafeTill"_s : shop.name.toHtmlEscaped());
    QStringList lines;
    for (const QString &line : shop.address)
        lines << line.toHtmlEscaped();
    if (!shop.taxNumber.isEmpty())
        lines << QObject::tr("Tax number %1").arg(shop.taxNumber.toHtmlEscaped());
    if (!lines.isEmpty())
        html += u"<p align=center>%1</p>"_s.arg(lines.join(u"<br>"_s));
    return html;
}

QString footerHtml(const ShopProfile &shop)
{
    if (shop.footer.isEmpty())
        return {};
    return u"<p align=center>%1</p>"_s.arg(shop.footer.toHtmlEscaped().replace(u"\n"_s, u"<br>"_s));
}

QString wrap(const ShopProfile &shop, const QString &title, const QString &receiptNo,
             const QString &terminalId, const QDateTime &when, const QString &body,
             const QList<TaxLine> &taxes, Cents total, const QList<Payment> &payments)
{
    QString where = QObject::tr("Receipt %1").arg(receiptNo.toHtmlEscaped());
    if (!terminalId.isEmpty())
        where += u"<br>"_s + QObject::tr("Terminal %1").arg(terminalId.left(8).toHtmlEscaped());
    return headerHtml(shop) +
           u"<p align=center>%1<br>%2<br>%3</p>"
           "<table width=100%>%4<tr><td><b>%5</b></td><td align=right><b>%6</b></td></tr>%7"
           "</table>%8"_s.arg(title.toHtmlEscaped(), where,
                              QLocale().toString(when.toLocalTime(), QLocale::ShortFormat), body,
                              QObject::tr("Total"), formatMoney(total, shop.currency),
                              paymentsHtml(payments, shop.currency),
                              taxesHtml(taxes, shop.currency)) +
           footerHtml(shop);
}

} // namespace

QString receiptHtml(const Order &order, const ShopProfile &shop)
{
    const TaxTable taxes = taxTable(order.lines, order.discount);
    return wrap(shop, QObject::tr("Served by %1").arg(order.cashierName), order.receiptNo,
                order.terminalId, order.completedAt,
                linesHtml(order, shop.currency) + orderDiscountHtml(order, taxes, shop.currency),
                taxes.rows, taxes.totalCents, paymentsOf(order.payments, order.payment));
}

QString receiptHtml(const Tab &tab, const ShopProfile &shop)
{
    // A tab's tax table is the sum of its orders' (each order's taxes are rounded on their own,
    // as its total is).
    QString body;
    QMap<std::pair<QString, int>, TaxLine> rows;
    for (const Order &order : tab.orders) {
        const TaxTable taxes = taxTable(order.lines, order.discount);
        body += linesHtml(order, shop.currency) + orderDiscountHtml(order, taxes, shop.currency);
        for (const TaxLine &row : taxes.rows)
            addTaxRow(rows, row);
    }
    const QString terminal = tab.orders.isEmpty() ? QString() : tab.orders.first().terminalId;
    return wrap(shop, QObject::tr("Tab %1").arg(tab.name), tab.receiptNo, terminal, tab.settledAt,
                body, rows.values(), tab.totalCents(), paymentsOf(tab.payments, tab.payment));
}

QString receiptCopyHtml(const QString &receiptHtml)
{
    return u"<h1 align=center style=\"letter-spacing: 8px\">%1</h1>"
           "<p align=center>%2</p><hr>%3<hr><h1 align=center>%1</h1>"_s.arg(
               QObject::tr("COPY"), QObject::tr("Reprint: this is not the original receipt."),
               receiptHtml);
}

bool writeReceiptPdf(const QString &html, const QString &path)
{
    QPdfWriter writer(path);
    writer.setPageSize(QPageSize(QSizeF(80, 200), QPageSize::Millimeter)); // receipt roll
    writer.setTitle(QObject::tr("Receipt"));
    QTextDocument document;
    document.setHtml(html);
    document.print(&writer);
    return QFileInfo(path).size() > 0;
}

} // namespace SafeTill
