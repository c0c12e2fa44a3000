#pragma once

#include "PrintStore.h"
#include "ReceiptSearch.h"
#include "RefundDialog.h"

#include <QAbstractTableModel>
#include <QPointer>
#include <QWidget>

class QCheckBox;
class QDateEdit;
class QLabel;
class QLineEdit;
class QPushButton;
class QTableView;

namespace SafeTill {

class MessageBar;
class ReceiptDialog;
class TillBackend;

// The receipts list's rows: newest first, as ReceiptSearch::search() returns them.
class ReceiptsModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column {
        ReceiptColumn,
        PaidColumn,
        AmountColumn,
        MethodColumn,
        WhoColumn,
        PrintedColumn, // with a receipt printer: printed, or "not printed — print now"
        ColumnCount
    };
    using QAbstractTableModel::QAbstractTableModel;

    void setReceipts(const QList<ReceiptSummary> &receipts);
    // The printed state of each receipt's original (PrintStore), and since when this till has
    // had a printer (sales before that were never meant to print); none: no printer.
    void setPrintStates(const QHash<QString, PrintState> &states, const QDateTime &printerSince);
    std::optional<PrintState> printState(int row) const;
    const QList<ReceiptSummary> &receipts() const { return m_receipts; }
    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    QList<ReceiptSummary> m_receipts;
    QHash<QString, PrintState> m_printStates;
    QDateTime m_printerSince;
};

// Today's and past sales, searchable by receipt number, amount and day (this till's time zone);
// opens a receipt marked COPY, and records each print or PDF of it as a reprint by the cashier
// logged in where the window was opened. Every database call runs on TillBackend's worker.
class ReceiptsWindow : public QWidget
{
    Q_OBJECT

public:
    explicit ReceiptsWindow(TillBackend &backend, QWidget *parent = nullptr);

    // Who reprints (the cashier logged in where the window was asked for); without one, receipts
    // can be found but not opened for printing.
    void setCashier(const Cashier &cashier);
    void search();
    ReceiptsModel *model() const { return m_model; }
    MessageBar *messageBar() const { return m_messages; }
    // The COPY dialog open now, if any (tests).
    ReceiptDialog *openReceiptDialog() const;
    // The refund dialog open now, if any (tests).
    RefundDialog *openRefundDialog() const { return m_refundDialog; }

    bool busy() const { return m_searching || m_opening; }

private:
    void openSelected();
    void refundSelected();
    void showReceipt(const Receipt &receipt);
    void recordReprint(const QString &receiptNo);
    // The receipt printer (issue 16): the original of a receipt not printed, a copy of any.
    void printNowSelected();
    void printCopySelected();
    void loadPrintStates();
    void updatePrintButtons();
    QString selectedReceiptNo() const;
    // The fields as a query; a mistyped amount is reported on the message bar when report is set.
    std::optional<ReceiptQuery> queryFromFields(bool report);
    // search() again after a change elsewhere: quietly skipped while the fields are mistyped.
    void refresh();
    void run(const ReceiptQuery &query);

    TillBackend &m_backend;
    Cashier m_cashier;
    ReceiptsModel *m_model;
    QLineEdit *m_number;
    QLineEdit *m_amount;
    QCheckBox *m_useDate;
    QDateEdit *m_date;
    QPushButton *m_search;
    QPushButton *m_refund;
    QPointer<RefundDialog> m_refundDialog;

    QTableView *m_view;
    QLabel *m_more;
    QPushButton *m_open;
    QPushButton *m_printNow;
    QPushButton *m_printCopy;
    MessageBar *m_messages;
    QPointer<ReceiptDialog> m_dialog;
    bool m_searching = false;
    bool m_searchAgain = false;
    bool m_opening = false;
};

} // namespace SafeTill
