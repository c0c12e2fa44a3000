#pragma once

#include "Types.h"

#include <QList>
#include <QMap>
#include <QString>

namespace SafeTill {

// Taxes, in integer minor units only.
//
// The rounding rule (README, "Taxes"): tax is computed on each rate's TOTAL, not per line, and
// rounded half away from zero to the minor unit. This is what the EU VAT directive's invoice
// rules ask for (Art. 226: the VAT amount per rate) and what most POS do. Per rate:
//   prices include tax:  tax = round(gross * rate / (10000 + rate)),  net = gross - tax
//   prices exclude tax:  tax = round(net * rate / 10000),             gross = net + tax
// so net + tax = gross exactly, for every rate and so for the whole receipt. The amounts a rate's
// row starts from are the sums of its lines after their line discounts, less the rate's share of
// the order discount: the order discount is shared among the rates in proportion to their amounts
// (largest remainder, so the shares add up to the discount exactly), and tax is computed after it.
struct TaxRate
{
    QString code;   // "STD"
    QString name;   // "Standard rate"
    int rateBp = 0; // basis points: 2000 = 20 %, 550 = 5.5 %
};

// One row of an order's (or a receipt's) tax table.
struct TaxLine
{
    QString code;
    int rateBp = 0;
    Cents netCents = 0;
    Cents taxCents = 0;
    Cents grossCents = 0;
};

// What a tax table is computed from: the sum of the lines of one rate and one pricing mode.
struct TaxGroup
{
    QString code; // empty: untaxed
    int rateBp = 0;
    bool priceIncludesTax = true;
    Cents amountCents = 0; // the lines' own total (gross when included, net when not)
};

struct TaxTable
{
    QList<TaxLine> rows;          // one per rate code, by code; untaxed lines have none
    Cents untaxedCents = 0;       // lines without a rate
    Cents totalCents = 0;         // what the customer pays: the rows' gross plus the untaxed lines
    Cents subtotalCents = 0;      // the lines after their line discounts, before the order's
    Cents orderDiscountCents = 0; // what the order discount took off that
};

// a * b / c rounded half away from zero (c > 0), without floating point.
Cents roundedMulDiv(Cents a, Cents b, Cents c);

TaxTable taxTable(const QList<TaxGroup> &groups, const Discount &orderDiscount = {});
TaxTable taxTable(const QList<OrderLine> &lines, const Discount &orderDiscount = {});
// The groups less their shares of `discount` (at most their sum), shared in proportion to their
// amounts by largest remainder; ties go to the earlier group.
QList<TaxGroup> afterDiscount(QList<TaxGroup> groups, Cents discount);

// Adds a tax row into a sum of rows by (code, rate): a tab's orders, a shift's sales.
void addTaxRow(QMap<std::pair<QString, int>, TaxLine> &rows, const TaxLine &row);

// `total` shared in proportion to `weights` (all >= 0), by largest remainder: the shares add up to
// `total` exactly; ties go to the earlier weight. All weights 0: the first takes it all.
QList<Cents> shareOut(Cents total, const QList<Cents> &weights);

// What each line of an order was paid: its share of the order's total (after its own discount, its
// share of the order discount, and for a tax-exclusive line its share of its rate's tax), and the
// tax inside that share. The shares of one order add up to taxTable(lines, orderDiscount)'s total
// exactly, and the tax shares of a rate to that rate's tax: what a refund pays back per line.
struct LineShare
{
    QString lineId;
    Cents grossCents = 0;
    Cents taxCents = 0;
};
QList<LineShare> lineShares(const QList<OrderLine> &lines, const Discount &orderDiscount = {});
// What `quantity` more of a line of `sold` units, of which `before` were already refunded, pays
// back of `share`: the difference of two proportional roundings, so refunding a line piece by
// piece pays back exactly its share.
Cents shareOfUnits(Cents share, int sold, int before, int quantity);

// "20%", "5.5%", "0%" (locale-free, for codes and messages; QLocale for screens).
QString formatRate(int rateBp);
// "20", "5.5", "0.25" -> basis points; nothing for anything else or outside 0-100 %.
std::optional<int> parseRate(const QString &text);

} // namespace SafeTill
