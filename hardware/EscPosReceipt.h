#pragma once

#include "ShopSettings.h"
#include "Types.h"

#include <QByteArray>

namespace SafeTill {

// How a receipt is laid out on the printer.
struct ReceiptLayout
{
    int columns = 42;  // characters per line (PrinterConfig::columns)
    bool copy = false; // a reprint: a COPY banner above and below the receipt
    bool kick = false; // open the cash drawer (ESC p) before printing
};

// The receipt of a paid order or a settled tab as ESC/POS bytes (EscPos): the same content as
// receipt/ReceiptDocument's HTML, from the same data. The shop's header (name in double size,
// address, tax number), who served, the receipt number, terminal and time, the lines with their
// re-prices and discounts, the order discount under the subtotal, the total in bold, every payment
// of a split tender (cash rounding, tendered and change for cash), the tax table per rate (net,
// tax, gross), the footer; then a feed and a partial cut. Amounts right-aligned to `columns`;
// a line's text too long for one line wraps, its amount on the last.
QByteArray escPosReceipt(const Order &order, const ShopProfile &shop, const ReceiptLayout &layout);
QByteArray escPosReceipt(const Tab &tab, const ShopProfile &shop, const ReceiptLayout &layout);

// The lines the receipt prints, as text (PC858 decoded back, formatting commands left out): what
// tests compare and a preview shows.
QStringList escPosReceiptText(const QByteArray &bytes);

// Whether the sale took cash (a sale payment in cash): its receipt opens the drawer.
bool tookCash(const Order &order);
bool tookCash(const Tab &tab);

// A short test page for the printer settings: the shop's name, "Test print", the time, the
// code page's special characters (€ ä ö ü ß é), the column ruler, a cut.
QByteArray escPosTestPage(const ShopProfile &shop, int columns);

} // namespace SafeTill
