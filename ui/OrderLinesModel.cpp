#include "OrderLinesModel.h"

#include "ShopContext.h"

#include <QLocale>

using namespace Qt::StringLiterals;

namespace SafeTill {

OrderLinesModel::OrderLinesModel(QObject *parent)
    : QAbstractTableModel(parent)
{
    connect(&ShopContext::instance(), &ShopContext::currencyChanged, this, [this] {
        if (!m_lines.isEmpty())
            Q_EMIT dataChanged(index(0, PriceColumn), index(rowCount() - 1, TotalColumn));
    });
}

void OrderLinesModel::setLines(const QList<OrderLine> &lines)
{
    // Same rows: update in place so the selection and scroll position survive a refresh.
    bool sameShape = lines.size() == m_lines.size();
    for (qsizetype i = 0; sameShape && i < lines.size(); ++i)
        sameShape = lines.at(i).lineNo == m_lines.at(i).lineNo;
    if (sameShape) {
        m_lines = lines;
        if (!m_lines.isEmpty())
            Q_EMIT dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
        return;
    }
    beginResetModel();
    m_lines = lines;
    endResetModel();
}

int OrderLinesModel::lineNoAt(int row) const
{
    return row >= 0 && row < m_lines.size() ? m_lines.at(row).lineNo : 0;
}

int OrderLinesModel::rowOfLine(int lineNo) const
{
    for (qsizetype i = 0; i < m_lines.size(); ++i) {
        if (m_lines.at(i).lineNo == lineNo)
            return int(i);
    }
    return -1;
}

int OrderLinesModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_lines.size());
}

int OrderLinesModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant OrderLinesModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_lines.size())
        return {};
    const OrderLine &line = m_lines.at(index.row());
    if (role == Qt::TextAlignmentRole) {
        return index.column() == ItemColumn ? QVariant(Qt::AlignLeft | Qt::AlignVCenter)
                                            : QVariant(Qt::AlignRight | Qt::AlignVCenter);
    }
    if (role == Qt::ToolTipRole) {
        QStringList notes;
        if (!line.discount.isNone())
            notes << discountText(line.discount) + u" \u2212"_s +
                         ShopContext::money(line.discountCents());
        if (line.listPriceCents)
            notes << tr("Price changed from %1: %2")
                         .arg(ShopContext::money(*line.listPriceCents), line.priceReason);
        return notes.isEmpty() ? QVariant() : QVariant(notes.join(u'\n'));
    }
    if (role != Qt::DisplayRole && role != Qt::AccessibleTextRole)
        return {};
    switch (index.column()) {
    case LineColumn:
        return line.lineNo;
    case ItemColumn:
        // A discounted line says so under its name: what was given, why, and what it took off.
        return line.discount.isNone() ? line.name
                                      : line.name + u'\n' + discountText(line.discount) +
                                            u" \u2212"_s + ShopContext::money(line.discountCents());
    case QuantityColumn:
        return line.quantity;
    case PriceColumn:
        // A re-priced line shows the price it replaced under the one charged.
        return line.listPriceCents ? ShopContext::money(line.unitPriceCents) + u'\n' +
                                         tr("was %1").arg(ShopContext::money(*line.listPriceCents))
                                   : ShopContext::money(line.unitPriceCents);
    case TotalColumn:
        return ShopContext::money(line.totalCents());
    default:
        return {};
    }
}

QString OrderLinesModel::discountText(const Discount &discount)
{
    // "−10 % staff"; an amount shows once, as what it took off.
    if (discount.kind != DiscountKind::Percent)
        return tr("Discount: %1").arg(discount.reason);
    const QLocale locale;
    return tr("\u2212%1\u00a0%2 %3")
        .arg(locale.toString(double(discount.value) / 100, 'f', QLocale::FloatingPointShortest),
             locale.percent(), discount.reason);
}

QVariant OrderLinesModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case LineColumn:
        return tr("#");
    case ItemColumn:
        return tr("Item");
    case QuantityColumn:
        return tr("Qty");
    case PriceColumn:
        return tr("Price");
    case TotalColumn:
        return tr("Total");
    default:
        return {};
    }
}

} // namespace SafeTill
