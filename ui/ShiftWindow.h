#pragma once

#include "Approvals.h"
#include "Types.h"
#include "ZReport.h"

#include <QPointer>
#include <QWidget>

#include <optional>

class QLabel;
class QLineEdit;
class QPushButton;
class QTextBrowser;

namespace SafeTill {

class ApprovalDialog;
class MessageBar;
class TillBackend;

// Window → Shift (issue 15): the till's shift. Open it with the float counted into the drawer,
// pay cash in or out with a reason, show the X report (changes nothing), close it by the cash
// counted (and optionally the card slips): the Z report is shown, to print or save as a PDF.
// No sale opens the cash drawer (through the receipt printer) and records it.
// Every action is ShiftService's, on TillBackend's worker; a button stays disabled from its click
// until its result is shown.
class ShiftWindow : public QWidget
{
    Q_OBJECT

public:
    explicit ShiftWindow(TillBackend &backend, QWidget *parent = nullptr);

    // Who acts (the cashier logged in where the window was asked for); without one, the reports
    // can be read but nothing can be done.
    void setCashier(const Cashier &cashier);
    // The report shown now (X or Z), if any.
    const std::optional<ZReport> &report() const { return m_report; }
    QString reportHtml() const;
    // Writes the report shown as a PDF; false when there is none or nothing could be written.
    bool savePdf(const QString &path);
    MessageBar *messageBar() const { return m_messages; }
    bool busy() const { return m_busy; }
    // No sale (issue 15/16): opens the cash drawer without a sale, recorded in the shift. A
    // manager may; a cashier with a manager's approval (ApprovalDialog, the model's NoSale
    // permission). The drawer is kicked through the receipt printer once it is recorded.
    void noSale();

private:
    void refresh();
    void openShift();
    void moveCash(bool in);
    void recordNoSale(const std::optional<Approver> &approver, const QString &requestId,
                      QPointer<ApprovalDialog> dialog);
    void showXReport();
    void closeShift();
    void showReport(const ZReport &report);
    void print();
    void saveAs();
    void setBusy(bool busy);
    std::optional<Cents> amountFrom(QLineEdit *edit, const QString &what, bool optional = false);

    TillBackend &m_backend;
    Cashier m_cashier;
    std::optional<Shift> m_shift;
    std::optional<ZReport> m_report;
    bool m_busy = false;
    QLabel *m_status;
    QLineEdit *m_float;
    QPushButton *m_open;
    QLineEdit *m_amount;
    QLineEdit *m_reason;
    QPushButton *m_payIn;
    QPushButton *m_payOut;
    QPushButton *m_noSale;
    QPushButton *m_xReport;
    QLineEdit *m_counted;
    QLineEdit *m_countedCard;
    QPushButton *m_close;
    QTextBrowser *m_view;
    QPushButton *m_print;
    QPushButton *m_pdf;
    MessageBar *m_messages;
};

} // namespace SafeTill
