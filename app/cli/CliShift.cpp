// safetill-cli's shift commands (issue 15): shift open|pay-in|pay-out|close|x-report|z-report and
// no-sale. Members of CliApp (CliApp.h); dispatched from CliApp::dispatch().

#include "CliApp.h"

#include "Clock.h"
#include "Services.h"
#include "ShiftReportDocument.h"
#include "ShiftService.h"
#include "ShopSettings.h"

#include <QJsonDocument>

using namespace Qt::StringLiterals;

namespace SafeTill {

namespace {

// Strict cents: digits only, 0..ShiftService::maxCents.
std::optional<Cents> parseCents(const QString &text)
{
    if (text.isEmpty() || text.size() > 9)
        return std::nullopt;
    for (const QChar c : text) {
        if (c < u'0' || c > u'9')
            return std::nullopt;
    }
    const Cents value = text.toLongLong();
    if (value > ShiftService::maxCents)
        return std::nullopt;
    return value;
}

QString methodName(const QString &method)
{
    if (method == u"cash"_s)
        return u"Cash"_s;
    if (method == u"card"_s)
        return u"Card"_s;
    return u"Other"_s;
}

QString line(const QString &label, Cents cents)
{
    return u"  %1%2\n"_s.arg(label, -30).arg(CliOutput::money(cents), 14);
}

} // namespace

QString CliApp::shiftReportText(const ZReport &report)
{
    const auto time = [](const QDateTime &at) { return at.isValid() ? toStorageTime(at) : u"-"_s; };
    QString text = report.isZ() ? u"Z report %1\n"_s.arg(report.number)
                                : u"X report (the shift so far; nothing was closed)\n"_s;
    text += u"Till %1, shift %2\n"_s.arg(report.till, report.shiftId);
    text += u"Opened %1 %2\n"_s.arg(time(report.openedAt), report.autoOpened
                                                               ? u"by the first sale"_s
                                                               : u"by %1"_s.arg(report.openedBy));
    text += report.isZ() ? u"Closed %1 by %2\n"_s.arg(time(report.closedAt), report.closedBy)
                         : u"At %1\n"_s.arg(time(report.closedAt));
    text += u"Amounts in %1\n\nSales (%2 receipts)\n"_s.arg(report.currency).arg(report.receipts);
    for (const TaxLine &tax : report.taxes) {
        text += u"  %1 %2: net %3, tax %4, gross %5\n"_s.arg(
            tax.code, formatRate(tax.rateBp), CliOutput::money(tax.netCents),
            CliOutput::money(tax.taxCents), CliOutput::money(tax.grossCents));
    }
    if (report.untaxedCents != 0)
        text += line(u"Untaxed"_s, report.untaxedCents);
    text += line(u"Net"_s, report.netCents);
    text += line(u"Tax"_s, report.taxCents);
    text += line(u"Gross"_s, report.grossCents);
    text += line(u"Discounts (lines)"_s, report.lineDiscountsCents);
    text += line(u"Discounts (orders)"_s, report.orderDiscountsCents);
    text += u"\nRefunds and voids\n"_s;
    text += line(u"Refunds (%1)"_s.arg(report.refundReceipts), report.refundsCents);
    text += line(u"Voids (%1)"_s.arg(report.voidReceipts), report.voidsCents);
    for (const ZReport::Payments &back : report.paidBack)
        text += line(u"Paid back, %1"_s.arg(back.method), back.cents);
    text += u"\nPayments taken\n"_s;
    for (const ZReport::Payments &payment : report.payments)
        text +=
            line(u"%1 (%2)"_s.arg(methodName(payment.method)).arg(payment.count), payment.cents);
    if (report.overpaymentsCents != 0)
        text += line(u"of which overpaid"_s, report.overpaymentsCents);
    if (!report.movements.isEmpty()) {
        text += u"\nCash movements\n"_s;
        for (const CashMovement &movement : report.movements) {
            text += u"  %1 %2 %3 %4%5\n"_s.arg(
                time(movement.createdAt), toString(movement.kind),
                movement.kind == CashMovementKind::NoSale ? u"-"_s
                                                          : CliOutput::money(movement.amountCents),
                movement.cashierName,
                movement.reason.isEmpty() ? QString() : u": "_s + movement.reason);
        }
    }
    text += u"\nCash drawer\n"_s;
    text += line(u"Float"_s, report.floatCents);
    text += line(u"+ cash taken"_s, report.cashTakenCents);
    text += line(u"+ pay-ins"_s, report.payInsCents);
    text += line(u"- cash paid back"_s, report.cashPaidBackCents);
    text += line(u"- pay-outs"_s, report.payOutsCents);
    text += line(u"Expected"_s, report.expectedCents);
    if (report.countedCents) {
        text += line(u"Counted"_s, *report.countedCents);
        text += line(u"Over (+) / short (-)"_s, *report.overShortCents());
    }
    if (report.countedCardCents) {
        text += line(u"Card slips counted"_s, *report.countedCardCents);
        text += line(u"Card over (+) / short (-)"_s, *report.cardOverShortCents());
    }
    text += u"\nNo sales: %1"_s.arg(report.noSales);
    return text;
}

int CliApp::printShiftReport(const ZReport &report, const QJsonObject &json)
{
    const QString pdf = m_parser.value(u"pdf"_s);
    if (!pdf.isEmpty()) {
        const Result<ShopProfile> shop = ShopSettings(m_services->database()).profile();
        if (!shop)
            return m_output.fail(shop);
        if (!writeShiftReportPdf(shiftReportHtml(report, *shop), pdf))
            return m_output.failWith(Outcome::Error, u"Could not write the PDF %1."_s.arg(pdf));
        if (!m_output.json()) {
            m_output.printMessage(
                u"%1 written to %2"_s.arg(
                    report.isZ() ? u"Z report %1"_s.arg(report.number) : u"X report"_s, pdf),
                {});
            return ExitOk;
        }
    }
    m_output.printMessage(shiftReportText(report), json);
    return ExitOk;
}

int CliApp::shift(const QStringList &args)
{
    const QString sub = args.value(0);
    const QString command = u"shift "_s + sub;
    const QStringList rest = args.mid(1);
    if (sub == u"open"_s) {
        if (auto status = checkOptions(command, {u"float"_s, u"request-id"_s}))
            return *status;
        if (auto status = checkArgumentCount(command, rest, 1))
            return *status;
        if (!m_parser.isSet(u"float"_s))
            return m_output.usage(u"shift open needs --float CENTS: the cash counted into the "
                                  "drawer (0 for none)."_s);
        const std::optional<Cents> floatCents = parseCents(m_parser.value(u"float"_s));
        if (!floatCents)
            return m_output.usage(u"--float must be a whole number of cents from 0 to %1."_s.arg(
                ShiftService::maxCents));
        if (auto status = openDatabase(false))
            return *status;
        const Result<Shift> opened =
            m_services->shifts().open(rest.at(0), *floatCents, requestId());
        if (!opened)
            return m_output.fail(opened);
        if (opened.replayed())
            m_output.noteReplay();
        m_output.printMessage(
            u"Shift %1 opened at %2 with a float of %3"_s.arg(
                opened->id, toStorageTime(opened->openedAt), CliOutput::money(opened->floatCents)),
            JsonCodec<Shift>::encode(*opened));
        return ExitOk;
    }
    if (sub == u"pay-in"_s || sub == u"pay-out"_s) {
        if (auto status = checkOptions(command, {u"reason"_s, u"request-id"_s}))
            return *status;
        if (auto status = checkArgumentCount(command, rest, 2))
            return *status;
        const std::optional<Cents> cents = parseCents(rest.at(1));
        if (!cents || *cents == 0)
            return m_output.usage(u"CENTS must be a whole number of cents from 1 to %1."_s.arg(
                ShiftService::maxCents));
        if (!m_parser.isSet(u"reason"_s) || m_parser.value(u"reason"_s).trimmed().isEmpty())
            return m_output.usage(u"%1 needs --reason R: why the cash goes %2 the drawer."_s.arg(
                command, sub == u"pay-in"_s ? u"into"_s : u"out of"_s));
        if (auto status = openDatabase(false))
            return *status;
        ShiftService &shifts = m_services->shifts();
        const Result<CashMovement> moved =
            sub == u"pay-in"_s
                ? shifts.payIn(rest.at(0), *cents, m_parser.value(u"reason"_s), requestId())
                : shifts.payOut(rest.at(0), *cents, m_parser.value(u"reason"_s), requestId());
        if (!moved)
            return m_output.fail(moved);
        if (moved.replayed())
            m_output.noteReplay();
        m_output.printMessage(u"%1 of %2 by %3: %4 (shift %5)"_s.arg(
                                  sub == u"pay-in"_s ? u"Pay-in"_s : u"Pay-out"_s,
                                  CliOutput::money(moved->amountCents), moved->cashierName,
                                  moved->reason, moved->shiftId),
                              toJson(*moved));
        return ExitOk;
    }
    if (sub == u"close"_s) {
        if (auto status =
                checkOptions(command, {u"counted"_s, u"counted-card"_s, u"request-id"_s, u"pdf"_s}))
            return *status;
        if (auto status = checkArgumentCount(command, rest, 1))
            return *status;
        if (!m_parser.isSet(u"counted"_s))
            return m_output.usage(
                u"shift close needs --counted CENTS: the cash counted in the drawer."_s);
        const std::optional<Cents> counted = parseCents(m_parser.value(u"counted"_s));
        if (!counted)
            return m_output.usage(u"--counted must be a whole number of cents from 0 to %1."_s.arg(
                ShiftService::maxCents));
        std::optional<Cents> countedCard;
        if (m_parser.isSet(u"counted-card"_s)) {
            countedCard = parseCents(m_parser.value(u"counted-card"_s));
            if (!countedCard)
                return m_output.usage(
                    u"--counted-card must be a whole number of cents from 0 to %1."_s.arg(
                        ShiftService::maxCents));
        }
        if (auto status = openDatabase(false))
            return *status;
        const Result<ZReport> closed =
            m_services->shifts().close(rest.at(0), *counted, countedCard, requestId());
        if (!closed)
            return m_output.fail(closed);
        if (closed.replayed())
            m_output.noteReplay();
        return printShiftReport(*closed, closed->toJson());
    }
    if (sub == u"x-report"_s) {
        if (auto status = checkOptions(command, {u"pdf"_s}))
            return *status;
        if (auto status = checkArgumentCount(command, rest, 0))
            return *status;
        if (auto status = openDatabase(false))
            return *status;
        const Result<ZReport> report = m_services->shifts().xReport();
        if (!report)
            return m_output.fail(report);
        return printShiftReport(*report, report->toJson());
    }
    if (sub == u"z-report"_s) {
        if (auto status = checkOptions(command, {u"pdf"_s}))
            return *status;
        if (rest.size() > 1)
            return m_output.usage(
                u"shift z-report takes at most one argument (the Z number), %1 given."_s.arg(
                    rest.size()));
        int number = 0;
        if (!rest.isEmpty()) {
            const std::optional<Cents> parsed = parseCents(rest.at(0));
            if (!parsed || *parsed < 1 || *parsed > 999999999)
                return m_output.usage(
                    u"NUMBER is a Z report number (1, 2, ...), not \u201c%1\u201d."_s.arg(
                        rest.at(0).left(20)));
            number = int(*parsed);
        }
        if (auto status = openDatabase(false))
            return *status;
        // The stored text, never recomputed: --json prints the stored object as it was printed.
        const Result<QByteArray> stored = m_services->shifts().storedZReport(number);
        if (!stored)
            return m_output.fail(stored);
        const QJsonObject json = QJsonDocument::fromJson(*stored).object();
        const std::optional<ZReport> report = ZReport::fromJson(json);
        if (!report)
            return m_output.failWith(Outcome::Error, u"The stored Z report is unreadable."_s);
        return printShiftReport(*report, json);
    }
    return m_output.usage(u"shift takes open, pay-in, pay-out, close, x-report or z-report."_s);
}

int CliApp::noSale(const QStringList &args)
{
    if (auto status = checkOptions(u"no-sale"_s, {u"approver"_s, u"request-id"_s}))
        return *status;
    if (auto status = checkArgumentCount(u"no-sale"_s, args, 1))
        return *status;
    int status = ExitOk;
    const std::optional<Approver> approvedBy = approver(&status);
    if (status != ExitOk)
        return status;
    if (auto failed = openDatabase(false))
        return *failed;
    const Result<CashMovement> opened =
        m_services->shifts().noSale(args.at(0), approvedBy, requestId());
    if (!opened)
        return m_output.fail(opened);
    if (opened.replayed())
        m_output.noteReplay();
    m_output.printMessage(
        u"No sale: drawer opened by %1%2 (shift %3)"_s.arg(
            opened->cashierName,
            approvedBy ? u", approved by %1"_s.arg(approvedBy->idOrName) : QString(),
            opened->shiftId),
        toJson(*opened));
    return ExitOk;
}

} // namespace SafeTill
