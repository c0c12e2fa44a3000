#include "ReceiptDocument.h"

#include "Money.h"

#include <QCoreApplication>
#include <QFileInfo>
#include <QLocale>
#include <QObject>
#include <QPageSize>
#include <QPdfWriter>
#include <QTextDocument>

using namespace Qt::StringLiterals;

namespace SafeTill {

namespace {

QString linesHtml(const Order &order)
{
    QString html;
    for (const OrderLine &line : order.lines) {
        html += u"<tr><td>%1 &times; %2</td><td align=right>%3</td></tr>"_s.arg(
            QString::number(line.quantity), line.name.toHtmlEscaped(),
            formatMoney(line.totalCents()));
    }
    return html;
}

QString paymentHtml(const Payment &payment)
{
    return u"<tr><td>%1</td><td align=right>%2</td></tr>"
           "<tr><td>%3</td><td align=right>%4</td></tr>"_s.arg(
               payment.method == PaymentMethod::Card ? QObject::tr("Card") : QObject::tr("Cash"),
               formatMoney(payment.tenderedCents), QObject::tr("Change"),
               formatMoney(payment.changeCents));
}

QString wrap(const QString &title, const QString &receiptNo, const QDateTime &when,
             const QString &body, Cents total, const std::optional<Payment> &payment)
{
    return u"<h2 align=center>SafeTill</h2><p align=center>%1<br>%2<br>%3</p>"
           "<table width=100%>%4<tr><td><b>%5</b></td><td align=right><b>%6</b></td></tr>%7"
           "</table>"_s.arg(title.toHtmlEscaped(),
                            QObject::tr("Receipt %1").arg(receiptNo.toHtmlEscaped()),
                            QLocale().toString(when.toLocalTime(), QLocale::ShortFormat), body,
                            QObject::tr("Total"), formatMoney(total),
                            payment ? paymentHtml(*payment) : QString());
}

} // namespace

QString receiptHtml(const Order &order)
{
    return wrap(QObject::tr("Served by %1").arg(order.cashierName), order.receiptNo,
                order.completedAt, linesHtml(order), order.totalCents(), order.payment);
}

QString receiptHtml(const Tab &tab)
{
    QString body;
    for (const Order &order : tab.orders)
        body += linesHtml(order);
    return wrap(QObject::tr("Tab %1").arg(tab.name), tab.receiptNo, tab.settledAt, body,
                tab.totalCents(), tab.payment);
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
