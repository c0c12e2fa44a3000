#include "ReceiptDialog.h"

#include "ReceiptDocument.h"
#include "ShopContext.h"

#include <QFileDialog>
#include <QHBoxLayout>
#include <QMessageBox>
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

} // namespace

ReceiptDialog::ReceiptDialog(const Order &order, QWidget *parent)
    : QDialog(parent)
    , m_html(receiptHtml(order, ShopContext::instance().profile()))
{
    setUp();
}

ReceiptDialog::ReceiptDialog(const Tab &tab, QWidget *parent)
    : QDialog(parent)
    , m_html(receiptHtml(tab, ShopContext::instance().profile()))
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
    return writeReceiptPdf(m_html, path);
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
