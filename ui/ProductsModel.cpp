#include "ProductsModel.h"

#include "ShopContext.h"

#include <QFont>

namespace SafeTill {

ProductsModel::ProductsModel(QObject *parent)
    : QAbstractTableModel(parent)
{}

void ProductsModel::setProducts(const QList<CatalogProduct> &products)
{
    beginResetModel();
    m_products = products;
    endResetModel();
}

int ProductsModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_products.size());
}

int ProductsModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ProductsModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_products.size())
        return {};
    const CatalogProduct &entry = m_products.at(index.row());
    if (role == Qt::FontRole && entry.retired()) {
        QFont font;
        font.setStrikeOut(true);
        return font;
    }
    if (role == Qt::TextAlignmentRole && index.column() == Price)
        return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
    if (role == Qt::UserRole && index.column() == Price)
        return entry.product.priceCents; // sorting by amount, not by text
    if (role != Qt::DisplayRole && role != Qt::UserRole)
        return {};
    switch (index.column()) {
    case Sku:
        return entry.product.sku;
    case Name:
        return entry.product.name;
    case Price:
        return ShopContext::amount(entry.product.priceCents);
    case Category:
        return entry.product.category;
    case Tax:
        return entry.product.taxCode;
    case OpenPrice:
        return entry.openPrice ? tr("open price") : QString();
    case Status:
        return entry.retired() ? tr("retired") : tr("on the till");
    default:
        return {};
    }
}

QVariant ProductsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Sku:
        return tr("SKU / barcode");
    case Name:
        return tr("Name");
    case Price:
        return tr("Price");
    case Category:
        return tr("Category");
    case Tax:
        return tr("Tax");
    case OpenPrice:
        return tr("Open price");
    case Status:
        return tr("Status");
    default:
        return {};
    }
}

} // namespace SafeTill
