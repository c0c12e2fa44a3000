#pragma once

#include "ApprovalDialog.h"
#include "Approvals.h"
#include "Refund.h"

#include <QAbstractTableModel>
#include <QDialog>
#include <QPointer>
#include <QUuid>

#include <optional>

class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QTableView;

namespace SafeTill {

class MessageBar;
class TillBackend;

// A sale receipt's lines with what is left to refund and how many to refund now (the one
// editable column, 0 up to what is left).
class RefundLinesModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column {
        LineColumn,
        ItemColumn,
        SoldColumn,
        LeftColumn,
        RefundColumn,
        AmountColumn,
        ColumnCount
    };
    using QAbstractTableModel::QAbstractTableModel;

    void setReceipt(const RefundableReceipt &receipt);
    const RefundableReceipt &receipt() const { return m_receipt; }
    // Sets every line's quantity to what is left of it.
    void refundEverything();
    // The lines and quantities chosen, and what they pay back (the model's own rule, lineShares).
    QList<std::pair<QString, int>> chosen() const;
    Cents chosenCents() const;
    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    bool setData(const QModelIndex &index, const QVariant &value, int role = Qt::EditRole) override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    Cents amountOf(int row) const;

    RefundableReceipt m_receipt;
    QList<int> m_quantities;
};

// Refund or void a past sale: choose lines and quantities, the method and a reason. The model
// enforces the roles: when the answer is "needs a manager", the dialog asks for a manager's
// approval on the same screen (ApprovalDialog) and sends the request again with it. Every
// database call runs on TillBackend's worker; the request id is kept across retries, so a
// double click or a retry never refunds twice.
class RefundDialog : public QDialog
{
    Q_OBJECT

public:
    RefundDialog(TillBackend &backend, const Cashier &cashier, const QString &receiptNo,
                 QWidget *parent = nullptr);

    RefundLinesModel *model() const { return m_model; }
    MessageBar *messageBar() const { return m_messages; }
    bool busy() const { return m_busy; }
    // The manager's approval being asked for now, if any (tests).
    ApprovalDialog *approvalDialog() const { return m_approvalDialog; }
    // The refund made, once done.
    const std::optional<Refund> &done() const { return m_done; }

Q_SIGNALS:
    void refunded(const SafeTill::Refund &refund);

private:
    void load();
    void submit(bool isVoid, const std::optional<Approver> &approver);
    void updateTotal();

    TillBackend &m_backend;
    Cashier m_cashier;
    QString m_receiptNo;
    RefundLinesModel *m_model;
    QTableView *m_view;
    QComboBox *m_method;
    QLineEdit *m_reason;
    QLabel *m_total;
    QPushButton *m_all;
    QPushButton *m_refund;
    QPushButton *m_void;
    MessageBar *m_messages;
    QPointer<ApprovalDialog> m_approvalDialog;
    QString m_requestId = QUuid::createUuid().toString(QUuid::WithoutBraces);
    std::optional<PaymentMethod> m_originalMethod; // known once the receipt is loaded
    bool m_busy = false;
    std::optional<Refund> m_done;
};

} // namespace SafeTill
