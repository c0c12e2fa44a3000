#pragma once

#include "ShopSettings.h"
#include "ZReport.h"

#include <QString>

namespace SafeTill {

// An X or Z report (model/ZReport.h) as HTML, and that HTML as a PDF: what the GUI's shift window
// prints and saves, and what `safetill-cli shift x-report|z-report --pdf FILE` writes. Like the
// receipt (ReceiptDocument.h): QtGui only, a QGuiApplication must exist for the PDF.
// The shop's header; the report's kind and number, till, shift times and who opened and closed it;
// sales gross, net and tax per rate; discounts; refunds and voids; payments per method; the cash
// movements with their reasons; the cash drawer (float, cash taken, pay-ins, paid back, pay-outs,
// expected, counted, over/short); the counts of receipts and no-sales. Amounts in the report's
// currency.
QString shiftReportHtml(const ZReport &report, const ShopProfile &shop = {});

// Writes html as a PDF on an 80 mm receipt roll; false when nothing could be written.
bool writeShiftReportPdf(const QString &html, const QString &path);

} // namespace SafeTill
