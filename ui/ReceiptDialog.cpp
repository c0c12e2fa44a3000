#include "ReceiptDialog.h"

#include "Money.h"

#include <QFileDialog>
#include <QHBoxLayout>
#include <QMessageBox>
#include <QPageSize>
#include <QPdfWriter>
#include <QPrintDialog>
#include <QPrinter>
#include <QPushButton>
#include <QTextBrowser>
#include <QTextDocument>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace SafeTill {

namespace {

std::function<QString()> &saveFileNameProvider()
{
    static std::function<QString()> provider;
    return provider;
}

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

ReceiptDialog::ReceiptDialog(const Order &order, QWidget *parent)
    : QDialog(parent)
    , m_html(receiptHtml(order))
{
    setUp();
}

ReceiptDialog::ReceiptDialog(const Tab &tab, QWidget *parent)
    : QDialog(parent)
    , m_html(receiptHtml(tab))
{
    setUp();
}

void ReceiptDialog::setSaveFileNameProvider(std::function<QString()> provider)
{
    saveFileNameProvider() = std::move(provider);
}

void ReceiptDialog::setUp()
{
    setObjectName(u"receiptDialog"_s);
    setWindowTitle(tr("Receipt"));
    m_view = new QTextBrowser(this);
    m_view->setObjectName(u"receiptView"_s);
    m_view->setHtml(m_html);
    auto *print = new QPushButton(tr("Print…"), this);
    print->setObjectName(u"printReceipt"_s);
    auto *pdf = new QPushButton(tr("Save as PDF…"), this);
    pdf->setObjectName(u"savePdf"_s);
    auto *done = new QPushButton(tr("New order"), this);
    done->setObjectName(u"receiptDone"_s);
    done->setDefault(true);
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(print);
    buttons->addWidget(pdf);
    buttons->addStretch();
    buttons->addWidget(done);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_view, 1);
    layout->addLayout(buttons);
    resize(420, 560);
    connect(print, &QPushButton::clicked, this, &ReceiptDialog::print);
    connect(pdf, &QPushButton::clicked, this, &ReceiptDialog::saveAsPdf);
    connect(done, &QPushButton::clicked, this, &QDialog::accept);
}

void ReceiptDialog::markAsCopy(const QString &copyHtml)
{
    m_copy = true;
    m_html = copyHtml;
    m_view->setHtml(m_html);
    setWindowTitle(tr("Receipt (COPY)"));
    if (auto *done = findChild<QPushButton *>(u"receiptDone"_s))
        done->setText(tr("Close"));
}

bool ReceiptDialog::savePdf(const QString &path)
{
    QPdfWriter writer(path);
    writer.setPageSize(QPageSize(QSizeF(80, 200), QPageSize::Millimeter)); // receipt roll
    writer.setTitle(tr("Receipt"));
    QTextDocument document;
    document.setHtml(m_html);
    document.print(&writer);
    return QFileInfo(path).size() > 0;
}

void ReceiptDialog::print()
{
    QPrinter printer;
    QPrintDialog dialog(&printer, this);
    if (dialog.exec() != QDialog::Accepted)
        return;
    QTextDocument document;
    document.setHtml(m_html);
    document.print(&printer);
    emit printed();
}

void ReceiptDialog::saveAsPdf()
{
    const QString path = saveFileNameProvider()
                             ? saveFileNameProvider()()
                             : QFileDialog::getSaveFileName(this, tr("Save receipt"),
                                                            u"receipt.pdf"_s, tr("PDF (*.pdf)"));
    if (path.isEmpty())
        return;
    if (!savePdf(path)) {
        QMessageBox::warning(this, tr("Save receipt"), tr("Could not write %1.").arg(path));
        return;
    }
    emit printed();
}

} // namespace SafeTill
