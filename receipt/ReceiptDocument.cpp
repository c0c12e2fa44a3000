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

QString linesHtml(const Order &order, const Currency &currency)
{
    QString html;
    for (const OrderLine &line : order.lines) {
        html += u"<tr><td>%1 &times; %2%3</td><td align=right>%4</td></tr>"_s.arg(
            QString::number(line.quantity), line.name.toHtmlEscaped(),
            line.taxCode.isEmpty() ? QString()
                                   : u" <small>%1</small>"_s.arg(line.taxCode.toHtmlEscaped()),
            formatMoney(line.totalCents(), currency));
    }
    return html;
}

QString paymentHtml(const Payment &payment, const Currency &currency)
{
    return u"<tr><td>%1</td><td align=right>%2</td></tr>"
           "<tr><td>%3</td><td align=right>%4</td></tr>"_s.arg(
               payment.method == PaymentMethod::Card ? QObject::tr("Card") : QObject::tr("Cash"),
               formatMoney(payment.tenderedCents, currency), QObject::tr("Change"),
               formatMoney(payment.changeCents, currency));
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
             const QList<TaxLine> &taxes, Cents total, const std::optional<Payment> &payment)
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
                              payment ? paymentHtml(*payment, shop.currency) : QString(),
                              taxesHtml(taxes, shop.currency)) +
           footerHtml(shop);
}

} // namespace

QString receiptHtml(const Order &order, const ShopProfile &shop)
{
    const TaxTable taxes = taxTable(order.lines);
    return wrap(shop, QObject::tr("Served by %1").arg(order.cashierName), order.receiptNo,
                order.terminalId, order.completedAt, linesHtml(order, shop.currency), taxes.rows,
                taxes.totalCents, order.payment);
}

QString receiptHtml(const Tab &tab, const ShopProfile &shop)
{
    // A tab's tax table is the sum of its orders' (each order's taxes are rounded on their own,
    // as its total is).
    QString body;
    QMap<std::pair<QString, int>, TaxLine> rows;
    for (const Order &order : tab.orders) {
        body += linesHtml(order, shop.currency);
        for (const TaxLine &row : taxTable(order.lines).rows) {
            TaxLine &sum = rows[{row.code, row.rateBp}];
            sum.code = row.code;
            sum.rateBp = row.rateBp;
            sum.netCents += row.netCents;
            sum.taxCents += row.taxCents;
            sum.grossCents += row.grossCents;
        }
    }
    const QString terminal = tab.orders.isEmpty() ? QString() : tab.orders.first().terminalId;
    return wrap(shop, QObject::tr("Tab %1").arg(tab.name), tab.receiptNo, terminal, tab.settledAt,
                body, rows.values(), tab.totalCents(), tab.payment);
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
