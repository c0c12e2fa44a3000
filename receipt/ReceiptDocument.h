#pragma once

#include "ShopSettings.h"
#include "Types.h"

#include <QString>

namespace SafeTill {

// The receipt of a paid order or a settled tab as HTML, and that HTML as a PDF: what the GUI's
// receipt dialog shows, prints and saves, and what `safetill-cli receipt --pdf` writes. QtGui
// only (QTextDocument, QPdfWriter), no widgets: a QGuiApplication (the offscreen platform will do)
// must exist for the PDF.
// The shop's header (name, address, tax number), the lines with their discounts and replaced
// prices, the order discount under the subtotal, the total, every payment of a split tender
// (method or label, amount; cash rounding as its own line; tendered and change for cash), the tax
// table per rate after discounts (net, tax, gross), the receipt number, cashier, terminal and time,
// and the shop's footer; amounts in the shop's currency. An unnamed shop is headed "SafeTill".
QString receiptHtml(const Order &order, const ShopProfile &shop = {});
QString receiptHtml(const Tab &tab, const ShopProfile &shop = {});

// A reprint: the receipt's HTML with a COPY banner above and below it (the receipt unchanged).
QString receiptCopyHtml(const QString &receiptHtml);

// Writes html as a PDF on an 80 mm receipt roll page; false when nothing could be written.
bool writeReceiptPdf(const QString &html, const QString &path);

} // namespace SafeTill
