#pragma once

#include "Types.h"

#include <QDialog>

#include <functional>

class QTextBrowser;

namespace SafeTill {

// The receipt of a paid order or a settled tab, with Print (QPrinter) and Save as PDF (QPdfWriter).
class ReceiptDialog : public QDialog
{
    Q_OBJECT

public:
    ReceiptDialog(const Order &order, QWidget *parent = nullptr);
    ReceiptDialog(const Tab &tab, QWidget *parent = nullptr);

    bool savePdf(const QString &path);
    QString html() const { return m_html; }

    // Test hook: answers the "Save as PDF" file dialog instead of a person.
    static void setSaveFileNameProvider(std::function<QString()> provider);

private:
    void setUp();
    void print();
    void saveAsPdf();

    QString m_html;
    QTextBrowser *m_view = nullptr;
};

QString receiptHtml(const Order &order);
QString receiptHtml(const Tab &tab);

} // namespace SafeTill
