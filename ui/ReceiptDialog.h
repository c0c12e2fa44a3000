#pragma once

#include "ReceiptDocument.h"
#include "Types.h"

#include <QDialog>

#include <functional>

class QTextBrowser;

namespace SafeTill {

// The receipt of a paid order or a settled tab, headed with the shop as ShopContext knows it, with
// Print (QPrinter) and Save as PDF (QPdfWriter).
class ReceiptDialog : public QDialog
{
    Q_OBJECT

public:
    ReceiptDialog(const Order &order, QWidget *parent = nullptr);
    ReceiptDialog(const Tab &tab, QWidget *parent = nullptr);

    bool savePdf(const QString &path);
    QString html() const { return m_html; }
    // A reprint from the receipts list: shows copyHtml (the receipt wrapped in a COPY banner,
    // receiptCopyHtml()) and says so in the title; its done button closes.
    void markAsCopy(const QString &copyHtml);
    bool isCopy() const { return m_copy; }

Q_SIGNALS:
    // After the receipt was sent to a printer or written as a PDF through the dialog's buttons.
    void printed();

public:
    // Test hook: answers the "Save as PDF" file dialog instead of a person.
    static void setSaveFileNameProvider(std::function<QString()> provider);

private:
    void setUp();
    void print();
    void saveAsPdf();

    QString m_html;
    QTextBrowser *m_view = nullptr;
    bool m_copy = false;
};

} // namespace SafeTill
