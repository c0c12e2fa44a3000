#include "EscPosReceipt.h"

#include "EscPos.h"
#include "Money.h"
#include "Tax.h"

#include <QCoreApplication>
#include <QLocale>
#include <QMap>
#include <QObject>

#include <functional>

using namespace Qt::StringLiterals;

namespace SafeTill {

namespace {

// The receipt's words are the HTML receipt's (receipt/ReceiptDocument.cpp): QObject::tr, the same
// context, so one translation serves both.
// Builds the receipt's body a line at a time, at a fixed width.
class Sheet
{
public:
    Sheet(EscPos &out, int columns)
        : m_out(out)
        , m_columns(columns)
    {}

    int columns() const { return m_columns; }

    // left ........ right; left wraps (at spaces) when it does not fit beside right.
    void row(const QString &left, const QString &right = {}, int indent = 0)
    {
        const QByteArray r = EscPos::encode(right);
        const QByteArray pad(indent, ' ');
        QList<QByteArray> lines = wrap(EscPos::encode(left), m_columns - indent);
        if (lines.isEmpty())
            lines.append(QByteArray());
        QByteArray last = pad + lines.takeLast();
        for (const QByteArray &line : lines)
            m_out.raw(pad + line + '\n');
        if (!r.isEmpty() && last.size() + 1 + r.size() > m_columns) {
            m_out.raw(last + '\n');
            last.clear();
        }
        const qsizetype gap =
            qMax<qsizetype>(r.isEmpty() ? 0 : 1, m_columns - last.size() - r.size());
        m_out.raw(last + QByteArray(r.isEmpty() ? 0 : gap, ' ') + r + '\n');
    }

    void centered(const QString &text)
    {
        for (const QByteArray &line : wrap(EscPos::encode(text), m_columns))
            m_out.raw(line + '\n');
    }

    void rule(char c = '-') { m_out.raw(QByteArray(m_columns, c) + '\n'); }

    static QList<QByteArray> wrap(const QByteArray &text, int width)
    {
        QList<QByteArray> lines;
        for (const QByteArray &paragraph : text.split('\n')) {
            QByteArray line;
            for (const QByteArray &word : paragraph.split(' ')) {
                QByteArray rest = word;
                while (rest.size() > width) { // a word longer than a line is broken
                    if (!line.isEmpty()) {
                        lines.append(line);
                        line.clear();
                    }
                    lines.append(rest.left(width));
                    rest = rest.mid(width);
                }
                if (line.isEmpty())
                    line = rest;
                else if (line.size() + 1 + rest.size() <= width)
                    line += ' ' + rest;
                else {
                    lines.append(line);
                    line = rest;
                }
            }
            lines.append(line);
        }
        return lines;
    }

private:
    EscPos &m_out;
    int m_columns;
};

QString discountText(const Discount &discount, const Currency &currency)
{
    return discount.kind == DiscountKind::Percent ? formatRate(int(discount.value))
                                                  : formatMoney(discount.value, currency);
}

QString minus(Cents cents, const Currency &currency)
{
    return u"-"_s + formatMoney(cents, currency);
}

void lines(Sheet &sheet, const Order &order, const Currency &currency)
{
    for (const OrderLine &line : order.lines) {
        sheet.row(u"%1 x %2%3"_s.arg(QString::number(line.quantity), line.name,
                                     line.taxCode.isEmpty() ? QString() : u" "_s + line.taxCode),
                  formatMoney(line.amountCents(), currency));
        if (line.listPriceCents) {
            QString text = QObject::tr("Price %1, was %2")
                               .arg(formatMoney(line.unitPriceCents, currency),
                                    formatMoney(*line.listPriceCents, currency));
            if (!line.priceReason.isEmpty())
                text += u" (%1)"_s.arg(line.priceReason);
            sheet.row(text, {}, 2);
        }
        if (!line.discount.isNone()) {
            sheet.row(QObject::tr("Discount %1 (%2)")
                          .arg(discountText(line.discount, currency), line.discount.reason),
                      minus(line.discountCents(), currency), 2);
        }
    }
}

void orderDiscount(Sheet &sheet, const Order &order, const TaxTable &taxes,
                   const Currency &currency)
{
    if (order.discount.isNone())
        return;
    sheet.row(QObject::tr("Subtotal"), formatMoney(taxes.subtotalCents, currency));
    sheet.row(QObject::tr("Order discount %1 (%2)")
                  .arg(discountText(order.discount, currency), order.discount.reason),
              minus(taxes.orderDiscountCents, currency));
}

QString methodName(const Payment &payment)
{
    switch (payment.method) {
    case PaymentMethod::Card:
        return QObject::tr("Card");
    case PaymentMethod::Other:
        return payment.label.isEmpty() ? QObject::tr("Other") : payment.label;
    case PaymentMethod::Cash:
        break;
    }
    return QObject::tr("Cash");
}

QList<Payment> paymentsOf(const QList<Payment> &all, const std::optional<Payment> &last)
{
    if (!all.isEmpty())
        return all;
    return last ? QList<Payment>{*last} : QList<Payment>{};
}

void payments(Sheet &sheet, const QList<Payment> &payments, const Currency &currency)
{
    for (const Payment &payment : payments) {
        if (payment.kind != PaymentKind::Sale)
            continue;
        sheet.row(methodName(payment), formatMoney(payment.amountCents, currency));
        if (payment.roundingCents != 0)
            sheet.row(QObject::tr("Cash rounding"),
                      (payment.roundingCents > 0 ? u"+"_s : u"-"_s) +
                          formatMoney(qAbs(payment.roundingCents), currency));
        if (payment.method == PaymentMethod::Cash) {
            sheet.row(QObject::tr("Tendered"), formatMoney(payment.tenderedCents, currency), 2);
            sheet.row(QObject::tr("Change"), formatMoney(payment.changeCents, currency), 2);
        }
    }
}

void taxes(Sheet &sheet, EscPos &out, const QList<TaxLine> &rows, const Currency &currency)
{
    if (rows.isEmpty())
        return;
    // Rate | net | tax | gross, the amounts right-aligned in three equal columns.
    const int amountWidth = qMin(12, (sheet.columns() - 8) / 3);
    const int first = sheet.columns() - 3 * amountWidth;
    const auto cell = [](const QString &text, int width, bool right) {
        QByteArray bytes = EscPos::encode(text).left(width);
        const QByteArray pad(width - bytes.size(), ' ');
        return right ? pad + bytes : bytes + pad;
    };
    const auto tableRow = [&](const QString &a, const QString &b, const QString &c,
                              const QString &d) {
        QByteArray line = cell(a, first, false) + cell(b, amountWidth, true) +
                          cell(c, amountWidth, true) + cell(d, amountWidth, true);
        while (line.endsWith(' '))
            line.chop(1);
        out.raw(line + '\n');
    };
    sheet.rule();
    tableRow(QObject::tr("Tax"), QObject::tr("Net"), QObject::tr("Tax"), QObject::tr("Gross"));
    for (const TaxLine &row : rows)
        tableRow(u"%1 %2"_s.arg(row.code, formatRate(row.rateBp)),
                 formatMoney(row.netCents, currency), formatMoney(row.taxCents, currency),
                 formatMoney(row.grossCents, currency));
}

void copyBanner(EscPos &out, Sheet &sheet)
{
    out.align(EscPos::Align::Center).bold(true).doubleSize(true).line(QObject::tr("COPY"));
    out.doubleSize(false).bold(false);
    sheet.centered(QObject::tr("Reprint: this is not the original receipt."));
    out.align(EscPos::Align::Left);
}

void header(EscPos &out, Sheet &sheet, const ShopProfile &shop)
{
    out.align(EscPos::Align::Center).doubleSize(true).bold(true);
    for (const QByteArray &line : Sheet::wrap(
             EscPos::encode(shop.name.isEmpty() ? u"SafeTill"_s : shop.name), sheet.columns() / 2))
        out.raw(line + '\n');
    out.bold(false).doubleSize(false);
    for (const QString &line : shop.address)
        sheet.centered(line);
    if (!shop.taxNumber.isEmpty())
        sheet.centered(QObject::tr("Tax number %1").arg(shop.taxNumber));
}

QByteArray render(const ShopProfile &shop, const ReceiptLayout &layout, const QString &title,
                  const QString &receiptNo, const QString &terminalId, const QDateTime &when,
                  const std::function<void(Sheet &)> &body, const QList<TaxLine> &taxRows,
                  Cents total, const QList<Payment> &paid)
{
    EscPos out;
    out.init();
    if (layout.kick)
        out.kick();
    Sheet sheet(out, layout.columns);
    if (layout.copy)
        copyBanner(out, sheet);
    header(out, sheet, shop);
    out.line();
    sheet.centered(title);
    sheet.centered(QObject::tr("Receipt %1").arg(receiptNo));
    if (!terminalId.isEmpty())
        sheet.centered(QObject::tr("Terminal %1").arg(terminalId.left(8)));
    sheet.centered(QLocale().toString(when.toLocalTime(), QLocale::ShortFormat));
    out.align(EscPos::Align::Left);
    sheet.rule();
    body(sheet);
    sheet.rule();
    out.bold(true);
    sheet.row(QObject::tr("Total"), formatMoney(total, shop.currency));
    out.bold(false);
    payments(sheet, paid, shop.currency);
    taxes(sheet, out, taxRows, shop.currency);
    if (!shop.footer.isEmpty()) {
        out.line().align(EscPos::Align::Center);
        sheet.centered(shop.footer);
        out.align(EscPos::Align::Left);
    }
    if (layout.copy) {
        out.line();
        copyBanner(out, sheet);
    }
    out.feed(4).cut(EscPos::Cut::Partial);
    return out.bytes();
}

} // namespace

QByteArray escPosReceipt(const Order &order, const ShopProfile &shop, const ReceiptLayout &layout)
{
    const TaxTable table = taxTable(order.lines, order.discount);
    return render(
        shop, layout, QObject::tr("Served by %1").arg(order.cashierName), order.receiptNo,
        order.terminalId, order.completedAt,
        [&](Sheet &sheet) {
            lines(sheet, order, shop.currency);
            orderDiscount(sheet, order, table, shop.currency);
        },
        table.rows, table.totalCents, paymentsOf(order.payments, order.payment));
}

QByteArray escPosReceipt(const Tab &tab, const ShopProfile &shop, const ReceiptLayout &layout)
{
    QMap<std::pair<QString, int>, TaxLine> rows;
    for (const Order &order : tab.orders) {
        for (const TaxLine &row : taxTable(order.lines, order.discount).rows)
            addTaxRow(rows, row);
    }
    const QString terminal = tab.orders.isEmpty() ? QString() : tab.orders.first().terminalId;
    return render(
        shop, layout, QObject::tr("Tab %1").arg(tab.name), tab.receiptNo, terminal, tab.settledAt,
        [&](Sheet &sheet) {
            for (const Order &order : tab.orders) {
                lines(sheet, order, shop.currency);
                orderDiscount(sheet, order, taxTable(order.lines, order.discount), shop.currency);
            }
        },
        rows.values(), tab.totalCents(), paymentsOf(tab.payments, tab.payment));
}

QStringList escPosReceiptText(const QByteArray &bytes)
{
    // Drops the commands this renderer emits (their lengths are fixed), decodes PC858.
    static const QMap<char, int> escLengths = {{'@', 0}, {'t', 1}, {'E', 1},
                                               {'a', 1}, {'d', 1}, {'p', 3}};
    static const QMap<char, int> gsLengths = {{'!', 1}, {'V', 1}};
    QString text;
    for (qsizetype i = 0; i < bytes.size(); ++i) {
        const char c = bytes.at(i);
        if ((c == 0x1B || c == 0x1D) && i + 1 < bytes.size()) {
            const QMap<char, int> &lengths = c == 0x1B ? escLengths : gsLengths;
            i += 1 + lengths.value(bytes.at(i + 1), 0);
            continue;
        }
        text += EscPos::decode(QByteArray(1, c));
    }
    QStringList lines = text.split(u'\n');
    if (!lines.isEmpty() && lines.last().isEmpty())
        lines.removeLast();
    return lines;
}

bool tookCash(const Order &order)
{
    for (const Payment &payment : paymentsOf(order.payments, order.payment)) {
        if (payment.kind == PaymentKind::Sale && payment.method == PaymentMethod::Cash)
            return true;
    }
    return false;
}

bool tookCash(const Tab &tab)
{
    for (const Payment &payment : paymentsOf(tab.payments, tab.payment)) {
        if (payment.kind == PaymentKind::Sale && payment.method == PaymentMethod::Cash)
            return true;
    }
    return false;
}

QByteArray escPosTestPage(const ShopProfile &shop, int columns)
{
    EscPos out;
    out.init();
    Sheet sheet(out, columns);
    header(out, sheet, shop);
    out.line().bold(true).line(QObject::tr("Test print")).bold(false);
    sheet.centered(QLocale().toString(QDateTime::currentDateTime(), QLocale::ShortFormat));
    sheet.centered(u"\u20AC \u00E4 \u00F6 \u00FC \u00C4 \u00D6 \u00DC \u00DF \u00E9 \u00E8 "
                   "\u00E0 \u00E7 \u00A3"_s);
    out.align(EscPos::Align::Left);
    QByteArray ruler;
    for (int i = 1; i <= columns; ++i)
        ruler.append(char('0' + i % 10));
    out.raw(ruler + '\n');
    out.feed(4).cut(EscPos::Cut::Partial);
    return out.bytes();
}

} // namespace SafeTill
