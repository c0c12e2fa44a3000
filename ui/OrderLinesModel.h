#pragma once

#include "Types.h"

#include <QAbstractTableModel>

namespace SafeTill {

// The lines of the order on screen, for a QTableView: #, item, quantity, unit price, line total.
class OrderLinesModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column { LineColumn, ItemColumn, QuantityColumn, PriceColumn, TotalColumn, ColumnCount };

    // Amounts in the shop's currency (ShopContext); they are shown anew when it changes.
    explicit OrderLinesModel(QObject *parent = nullptr);

    void setLines(const QList<OrderLine> &lines);
    const QList<OrderLine> &lines() const { return m_lines; }
    // The line number shown in a row, or 0.
    int lineNoAt(int row) const;
    int rowOfLine(int lineNo) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

    // A discount as the order screen shows it: "−10 % staff", "Discount: damaged".
    static QString discountText(const Discount &discount);

private:
    QList<OrderLine> m_lines;
};

} // namespace SafeTill
