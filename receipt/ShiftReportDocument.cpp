#include "ShiftReportDocument.h"

#include "Money.h"
#include "Tax.h"

#include <QFileInfo>
#include <QLocale>
#include <QObject>
#include <QPageSize>
#include <QPdfWriter>
#include <QTextDocument>

using namespace Qt::StringLiterals;

namespace SafeTill {

namespace {

QString row(const QString &left, const QString &right, bool bold = false)
{
    return bold ? u"<tr><td><b>%1</b></td><td align=right><b>%2</b></td></tr>"_s.arg(left, right)
                : u"<tr><td>%1</td><td align=right>%2</td></tr>"_s.arg(left, right);
}

QString heading(const QString &text)
{
    return u"<tr><td colspan=2><br><b>%1</b></td></tr>"_s.arg(text.toHtmlEscaped());
}

QString methodName(const QString &method)
{
    if (method == u"cash"_s)
        return QObject::tr("Cash");
    if (method == u"card"_s)
        return QObject::tr("Card");
    return QObject::tr("Other");
}

QString when(const QDateTime &time)
{
    return time.isValid() ? QLocale().toString(time.toLocalTime(), QLocale::ShortFormat)
                          : QString();
}

} // namespace

QString shiftReportHtml(const ZReport &report, const ShopProfile &shop)
{
    const Currency currency = currencyFromCode(report.currency).value_or(shop.currency);
    const auto money = [&](Cents cents) { return formatMoney(cents, currency); };
    QString html = u"<h3 align=center>%1</h3>"_s.arg(
        (shop.name.isEmpty() ? u"SafeTill"_s : shop.name).toHtmlEscaped());
    const QString title = report.isZ() ? QObject::tr("Z report %1").arg(report.number)
                                       : QObject::tr("X report (the shift so far)");
    html += u"<h2 align=center>%1</h2>"_s.arg(title.toHtmlEscaped());
    QStringList head;
    head << QObject::tr("Terminal %1").arg(report.till.left(8).toHtmlEscaped());
    head << QObject::tr("Opened %1%2")
                .arg(when(report.openedAt),
                     report.autoOpened
                         ? QObject::tr(" by the first sale")
                         : (report.openedBy.isEmpty()
                                ? QString()
                                : QObject::tr(" by %1").arg(report.openedBy.toHtmlEscaped())));
    head << (report.isZ() ? QObject::tr("Closed %1 by %2")
                                .arg(when(report.closedAt), report.closedBy.toHtmlEscaped())
                          : QObject::tr("Printed %1").arg(when(report.closedAt)));
    html += u"<p align=center>%1</p><table width=100%>"_s.arg(head.join(u"<br>"_s));

    html += heading(QObject::tr("Sales"));
    html += row(QObject::tr("Receipts"), QString::number(report.receipts));
    for (const TaxLine &tax : report.taxes) {
        html += row(QObject::tr("%1 %2 net").arg(tax.code.toHtmlEscaped(), formatRate(tax.rateBp)),
                    money(tax.netCents));
        html += row(QObject::tr("%1 %2 tax").arg(tax.code.toHtmlEscaped(), formatRate(tax.rateBp)),
                    money(tax.taxCents));
        html +=
            row(QObject::tr("%1 %2 gross").arg(tax.code.toHtmlEscaped(), formatRate(tax.rateBp)),
                money(tax.grossCents));
    }
    if (report.untaxedCents != 0)
        html += row(QObject::tr("Untaxed"), money(report.untaxedCents));
    html += row(QObject::tr("Net"), money(report.netCents));
    html += row(QObject::tr("Tax"), money(report.taxCents));
    html += row(QObject::tr("Gross sales"), money(report.grossCents), true);
    html += row(QObject::tr("Discounts (lines %1, orders %2)")
                    .arg(money(report.lineDiscountsCents), money(report.orderDiscountsCents)),
                money(report.discountsCents()));

    html += heading(QObject::tr("Refunds and voids"));
    html += row(QObject::tr("Refunds (%1)").arg(report.refundReceipts), money(report.refundsCents));
    html += row(QObject::tr("Voids (%1)").arg(report.voidReceipts), money(report.voidsCents));
    for (const ZReport::Payments &back : report.paidBack)
        html += row(QObject::tr("Paid back by %1").arg(methodName(back.method).toLower()),
                    money(back.cents));

    html += heading(QObject::tr("Payments taken"));
    for (const ZReport::Payments &payment : report.payments)
        html += row(u"%1 (%2)"_s.arg(methodName(payment.method)).arg(payment.count),
                    money(payment.cents));
    if (report.overpaymentsCents != 0)
        html += row(QObject::tr("of which overpaid (for review)"), money(report.overpaymentsCents));

    if (!report.movements.isEmpty()) {
        html += heading(QObject::tr("Cash movements"));
        for (const CashMovement &movement : report.movements) {
            const QString what = movement.kind == CashMovementKind::PayIn ? QObject::tr("Pay-in")
                                 : movement.kind == CashMovementKind::PayOut
                                     ? QObject::tr("Pay-out")
                                     : QObject::tr("No sale");
            QString text = u"%1 %2, %3"_s.arg(what, when(movement.createdAt),
                                              movement.cashierName.toHtmlEscaped());
            if (!movement.reason.isEmpty())
                text += u": %1"_s.arg(movement.reason.toHtmlEscaped());
            html +=
                row(text, movement.kind == CashMovementKind::NoSale ? QString()
                                                                    : money(movement.amountCents));
        }
    }

    html += heading(QObject::tr("Cash drawer"));
    html += row(QObject::tr("Float"), money(report.floatCents));
    html += row(QObject::tr("+ Cash taken"), money(report.cashTakenCents));
    html += row(QObject::tr("+ Pay-ins"), money(report.payInsCents));
    html += row(QObject::tr("\u2212 Cash paid back"), money(report.cashPaidBackCents));
    html += row(QObject::tr("\u2212 Pay-outs"), money(report.payOutsCents));
    html += row(QObject::tr("Expected"), money(report.expectedCents), true);
    if (report.countedCents) {
        html += row(QObject::tr("Counted"), money(*report.countedCents), true);
        const Cents overShort = *report.overShortCents();
        html +=
            row(overShort < 0 ? QObject::tr("Short") : QObject::tr("Over"), money(overShort), true);
    }
    if (report.countedCardCents) {
        html += row(QObject::tr("Card slips counted"), money(*report.countedCardCents));
        html += row(QObject::tr("Card over/short"), money(*report.cardOverShortCents()));
    }
    html += row(QObject::tr("No sales"), QString::number(report.noSales));
    html += u"</table>"_s;
    return html;
}

bool writeShiftReportPdf(const QString &html, const QString &path)
{
    QPdfWriter writer(path);
    writer.setPageSize(QPageSize(QSizeF(80, 297), QPageSize::Millimeter)); // receipt roll
    writer.setTitle(QObject::tr("Shift report"));
    QTextDocument document;
    document.setHtml(html);
    document.print(&writer);
    return QFileInfo(path).size() > 0;
}

} // namespace SafeTill
