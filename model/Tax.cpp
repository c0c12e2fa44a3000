#include "Tax.h"

#include <QMap>

#include <algorithm>
#include <tuple>

using namespace Qt::StringLiterals;

namespace SafeTill {

Cents roundedMulDiv(Cents a, Cents b, Cents c)
{
    Q_ASSERT(c > 0);
    // Amounts are bounded (Limits: an order's total stays far below 2^63 / 10^4).
    const Cents product = a * b;
    const Cents half = c / 2;
    return product >= 0 ? (product + half) / c : -((-product + half) / c);
}

QList<TaxGroup> afterDiscount(QList<TaxGroup> groups, Cents discount)
{
    Cents sum = 0;
    for (const TaxGroup &group : groups)
        sum += group.amountCents;
    discount = qBound(Cents(0), discount, sum);
    if (discount == 0 || sum == 0)
        return groups;
    QList<std::pair<Cents, qsizetype>> remainders; // (remainder, index)
    Cents shared = 0;
    for (qsizetype i = 0; i < groups.size(); ++i) {
        const Cents product = groups[i].amountCents * discount;
        const Cents share = product / sum;
        groups[i].amountCents -= share;
        shared += share;
        remainders.append({product % sum, i});
    }
    std::stable_sort(remainders.begin(), remainders.end(),
                     [](const auto &a, const auto &b) { return a.first > b.first; });
    for (qsizetype k = 0; shared < discount && k < remainders.size(); ++k, ++shared)
        groups[remainders[k].second].amountCents -= 1;
    return groups;
}

TaxTable taxTable(const QList<TaxGroup> &input, const Discount &orderDiscount)
{
    // Merged by rate and mode first (in that key's order), so the order discount is shared the same
    // way whether the groups are the lines themselves or the database's sums of them.
    QMap<std::tuple<QString, int, bool>, Cents> merged;
    Cents subtotal = 0;
    for (const TaxGroup &group : input) {
        merged[{group.code, group.rateBp, group.priceIncludesTax}] += group.amountCents;
        subtotal += group.amountCents;
    }
    QList<TaxGroup> groups;
    for (auto it = merged.cbegin(); it != merged.cend(); ++it) {
        const auto &[code, rateBp, included] = it.key();
        groups.append({code, rateBp, included, it.value()});
    }
    const Cents orderDiscountCents = orderDiscount.of(subtotal);
    groups = afterDiscount(groups, orderDiscountCents);
    // Lines of one code are summed per pricing mode first: a rate's tax is rounded once per mode
    // (one order normally has one mode; a mode changed mid-order keeps each line's own).
    QMap<std::tuple<QString, int, bool>, Cents> sums;
    TaxTable table;
    for (const TaxGroup &group : groups) {
        if (group.code.isEmpty()) {
            table.untaxedCents += group.amountCents;
            continue;
        }
        sums[{group.code, group.rateBp, group.priceIncludesTax}] += group.amountCents;
    }
    QMap<std::pair<QString, int>, TaxLine> rows;
    for (auto it = sums.cbegin(); it != sums.cend(); ++it) {
        const auto &[code, rateBp, included] = it.key();
        const Cents amount = it.value();
        TaxLine &row = rows[{code, rateBp}];
        row.code = code;
        row.rateBp = rateBp;
        if (included) {
            const Cents tax = roundedMulDiv(amount, rateBp, 10000 + rateBp);
            row.grossCents += amount;
            row.taxCents += tax;
            row.netCents += amount - tax;
        } else {
            const Cents tax = roundedMulDiv(amount, rateBp, 10000);
            row.netCents += amount;
            row.taxCents += tax;
            row.grossCents += amount + tax;
        }
    }
    table.subtotalCents = subtotal;
    table.orderDiscountCents = orderDiscountCents;
    table.totalCents = table.untaxedCents;
    for (const TaxLine &row : rows) {
        table.rows.append(row);
        table.totalCents += row.grossCents;
    }
    return table;
}

TaxTable taxTable(const QList<OrderLine> &lines, const Discount &orderDiscount)
{
    QList<TaxGroup> groups;
    groups.reserve(lines.size());
    for (const OrderLine &line : lines)
        groups.append({line.taxCode, line.taxRateBp, line.priceIncludesTax, line.totalCents()});
    return taxTable(groups, orderDiscount);
}

QString formatRate(int rateBp)
{
    QString text = QString::number(rateBp / 100);
    if (const int fraction = rateBp % 100; fraction != 0) {
        text += u'.' + u"%1"_s.arg(fraction, 2, 10, QLatin1Char('0'));
        while (text.endsWith(u'0'))
            text.chop(1);
    }
    return text + u'%';
}

std::optional<int> parseRate(const QString &input)
{
    QString text = input.trimmed();
    if (text.endsWith(u'%'))
        text.chop(1);
    const qsizetype point = text.indexOf(u'.');
    const QString whole = point < 0 ? text : text.left(point);
    QString fraction = point < 0 ? QString() : text.mid(point + 1);
    if (whole.isEmpty() || whole.size() > 3 || fraction.size() > 2 ||
        (point >= 0 && fraction.isEmpty()))
        return std::nullopt;
    for (const QString &part : {whole, fraction}) {
        for (const QChar c : part) {
            if (c < u'0' || c > u'9')
                return std::nullopt;
        }
    }
    while (fraction.size() < 2)
        fraction += u'0';
    const int bp = whole.toInt() * 100 + fraction.toInt();
    if (bp > 10000)
        return std::nullopt;
    return bp;
}

} // namespace SafeTill

namespace SafeTill {

QList<Cents> shareOut(Cents total, const QList<Cents> &weights)
{
    QList<Cents> shares(weights.size(), 0);
    if (weights.isEmpty())
        return shares;
    Cents sum = 0;
    for (const Cents weight : weights)
        sum += weight;
    if (sum == 0) {
        shares[0] = total;
        return shares;
    }
    const Cents magnitude = total < 0 ? -total : total;
    QList<std::pair<Cents, qsizetype>> remainders; // (remainder, index)
    Cents shared = 0;
    for (qsizetype i = 0; i < weights.size(); ++i) {
        const Cents product = weights[i] * magnitude;
        shares[i] = product / sum;
        shared += shares[i];
        remainders.append({product % sum, i});
    }
    std::stable_sort(remainders.begin(), remainders.end(),
                     [](const auto &a, const auto &b) { return a.first > b.first; });
    for (qsizetype k = 0; shared < magnitude && k < remainders.size(); ++k, ++shared)
        shares[remainders[k].second] += 1;
    if (total < 0) {
        for (Cents &share : shares)
            share = -share;
    }
    return shares;
}

QList<LineShare> lineShares(const QList<OrderLine> &lines, const Discount &orderDiscount)
{
    // The groups taxTable() computes with: one per rate and pricing mode, in key order.
    using Key = std::tuple<QString, int, bool>;
    QMap<Key, QList<qsizetype>> members;
    Cents subtotal = 0;
    for (qsizetype i = 0; i < lines.size(); ++i) {
        members[{lines[i].taxCode, lines[i].taxRateBp, lines[i].priceIncludesTax}].append(i);
        subtotal += lines[i].totalCents();
    }
    QList<TaxGroup> groups;
    for (auto it = members.cbegin(); it != members.cend(); ++it) {
        const auto &[code, rateBp, included] = it.key();
        Cents amount = 0;
        for (const qsizetype i : it.value())
            amount += lines[i].totalCents();
        groups.append({code, rateBp, included, amount});
    }
    const QList<TaxGroup> after = afterDiscount(groups, orderDiscount.of(subtotal));

    QList<LineShare> shares(lines.size());
    qsizetype g = 0;
    for (auto it = members.cbegin(); it != members.cend(); ++it, ++g) {
        const QList<qsizetype> &indexes = it.value();
        QList<Cents> amounts;
        for (const qsizetype i : indexes)
            amounts.append(lines[i].totalCents());
        // The group's discount shared among its lines, then its tax among what they come to.
        const QList<Cents> discounts =
            shareOut(groups[g].amountCents - after[g].amountCents, amounts);
        QList<Cents> net;
        for (qsizetype k = 0; k < indexes.size(); ++k)
            net.append(amounts[k] - discounts[k]);
        const TaxGroup &group = after[g];
        Cents tax = 0;
        if (!group.code.isEmpty())
            tax = group.priceIncludesTax
                      ? roundedMulDiv(group.amountCents, group.rateBp, 10000 + group.rateBp)
                      : roundedMulDiv(group.amountCents, group.rateBp, 10000);
        const QList<Cents> taxes = shareOut(tax, net);
        for (qsizetype k = 0; k < indexes.size(); ++k) {
            LineShare &share = shares[indexes[k]];
            share.lineId = lines[indexes[k]].lineId;
            share.taxCents = taxes[k];
            share.grossCents = net[k] + (group.priceIncludesTax ? 0 : taxes[k]);
        }
    }
    return shares;
}

Cents shareOfUnits(Cents share, int sold, int before, int quantity)
{
    if (sold <= 0)
        return 0;
    return roundedMulDiv(share, before + quantity, sold) - roundedMulDiv(share, before, sold);
}

} // namespace SafeTill

namespace SafeTill {

void addTaxRow(QMap<std::pair<QString, int>, TaxLine> &rows, const TaxLine &row)
{
    TaxLine &sum = rows[{row.code, row.rateBp}];
    sum.code = row.code;
    sum.rateBp = row.rateBp;
    sum.netCents += row.netCents;
    sum.taxCents += row.taxCents;
    sum.grossCents += row.grossCents;
}

} // namespace SafeTill
