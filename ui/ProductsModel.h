#pragma once

#include "CatalogService.h"

#include <QAbstractTableModel>

namespace SafeTill {

// The back office's product table: SKU, name, price (in the shop's currency), category, tax,
// open price, status (retired products stay in the list, marked, since they are never deleted).
// Sorted and searched through a QSortFilterProxyModel (BackOfficeWindow).
class ProductsModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column { Sku, Name, Price, Category, Tax, OpenPrice, Status, ColumnCount };

    explicit ProductsModel(QObject *parent = nullptr);

    void setProducts(const QList<CatalogProduct> &products);
    const QList<CatalogProduct> &products() const { return m_products; }
    // The product of a row of this model (not of a proxy).
    const CatalogProduct &product(int row) const { return m_products.at(row); }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    QList<CatalogProduct> m_products;
};

} // namespace SafeTill
