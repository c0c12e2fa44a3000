#pragma once

#include "Types.h"

#include <QAbstractTableModel>
#include <QPointer>
#include <QWidget>

class QLabel;
class QPushButton;
class QTableView;

namespace SafeTill {

class PaymentDialog;

class MessageBar;
class TillBackend;

class TabsModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column { NameColumn, OrdersColumn, TotalColumn, BalanceColumn, ColumnCount };
    using QAbstractTableModel::QAbstractTableModel;

    void setTabs(const QList<Tab> &tabs);
    const QList<Tab> &tabs() const { return m_tabs; }
    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    QList<Tab> m_tabs;
};

// The open tabs with their orders and totals; settles the selected tab with the payment dialog,
// one tender after another (split tender): the tab stays open with its balance until the last.
class TabsWindow : public QWidget
{
    Q_OBJECT

public:
    explicit TabsWindow(TillBackend &backend, QWidget *parent = nullptr);

    void reload();
    TabsModel *model() const { return m_model; }
    MessageBar *messageBar() const { return m_messages; }

private:
    void showDetails();
    void settleSelected();
    // One tender of the tab's split tender, for the tab (and version) the dialog shows.
    void settle(const PaymentRequest &payment, const QString &requestId);
    std::optional<Tab> selectedTab() const;

    TillBackend &m_backend;
    TabsModel *m_model;
    QTableView *m_view;
    QLabel *m_details;
    QPushButton *m_settle;
    MessageBar *m_messages;
    QPointer<PaymentDialog> m_payment; // open while the selected tab is being paid
    Tab m_paying;                      // that tab as last seen (its version goes with a tender)
    bool m_busy = false;
    bool m_reloading = false;
    bool m_reloadAgain = false;
};

} // namespace SafeTill
