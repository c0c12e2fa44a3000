#include "ShiftWindow.h"

#include "ApprovalDialog.h"
#include "MessageBar.h"
#include "ReceiptPrinting.h"
#include "ShiftReportDocument.h"
#include "ShopContext.h"
#include "TillBackend.h"

#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPrintDialog>
#include <QPrinter>
#include <QPushButton>
#include <QTextBrowser>
#include <QTextDocument>
#include <QUuid>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace SafeTill {

namespace {

QString newRequestId()
{
    return QUuid::createUuid().toString(QUuid::WithoutBraces);
}

QPushButton *button(const QString &text, const QString &name, QWidget *parent)
{
    auto *created = new QPushButton(text, parent);
    created->setObjectName(name);
    return created;
}

QLineEdit *field(const QString &name, const QString &placeholder, QWidget *parent)
{
    auto *edit = new QLineEdit(parent);
    edit->setObjectName(name);
    edit->setPlaceholderText(placeholder);
    return edit;
}

} // namespace

ShiftWindow::ShiftWindow(TillBackend &backend, QWidget *parent)
    : QWidget(parent, Qt::Window)
    , m_backend(backend)
    , m_status(new QLabel(this))
    , m_float(field(u"shiftFloat"_s, tr("Float counted"), this))
    , m_open(button(tr("&Open shift"), u"openShift"_s, this))
    , m_amount(field(u"cashAmount"_s, tr("Amount"), this))
    , m_reason(field(u"cashReason"_s, tr("Reason (required)"), this))
    , m_payIn(button(tr("Pay &in"), u"payIn"_s, this))
    , m_payOut(button(tr("Pay o&ut"), u"payOut"_s, this))
    , m_noSale(button(tr("&No sale (open drawer)"), u"noSale"_s, this))
    , m_xReport(button(tr("&X report"), u"xReport"_s, this))
    , m_counted(field(u"countedCash"_s, tr("Cash counted"), this))
    , m_countedCard(field(u"countedCard"_s, tr("Card slips (optional)"), this))
    , m_close(button(tr("&Close shift (Z report)"), u"closeShift"_s, this))
    , m_view(new QTextBrowser(this))
    , m_print(button(tr("&Print…"), u"printReport"_s, this))
    , m_pdf(button(tr("Save P&DF…"), u"saveReportPdf"_s, this))
    , m_messages(new MessageBar(this))
{
    setWindowTitle(tr("Shift"));
    setObjectName(u"shiftWindow"_s);
    m_status->setObjectName(u"shiftStatus"_s);
    m_view->setObjectName(u"reportView"_s);
    auto *form = new QFormLayout;
    auto *openRow = new QHBoxLayout;
    openRow->addWidget(m_float);
    openRow->addWidget(m_open);
    form->addRow(tr("Open"), openRow);
    auto *cashRow = new QHBoxLayout;
    cashRow->addWidget(m_amount);
    cashRow->addWidget(m_reason, 2);
    cashRow->addWidget(m_payIn);
    cashRow->addWidget(m_payOut);
    cashRow->addWidget(m_noSale);
    form->addRow(tr("Cash"), cashRow);
    auto *closeRow = new QHBoxLayout;
    closeRow->addWidget(m_counted);
    closeRow->addWidget(m_countedCard);
    closeRow->addWidget(m_close);
    form->addRow(tr("Close"), closeRow);
    auto *outputRow = new QHBoxLayout;
    outputRow->addWidget(m_xReport);
    outputRow->addStretch();
    outputRow->addWidget(m_print);
    outputRow->addWidget(m_pdf);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_status);
    layout->addLayout(form);
    layout->addWidget(m_messages);
    layout->addWidget(m_view, 1);
    layout->addLayout(outputRow);
    resize(560, 640);

    connect(m_open, &QPushButton::clicked, this, &ShiftWindow::openShift);
    connect(m_payIn, &QPushButton::clicked, this, [this] { moveCash(true); });
    connect(m_payOut, &QPushButton::clicked, this, [this] { moveCash(false); });
    connect(m_noSale, &QPushButton::clicked, this, &ShiftWindow::noSale);
    connect(m_xReport, &QPushButton::clicked, this, &ShiftWindow::showXReport);
    connect(m_close, &QPushButton::clicked, this, &ShiftWindow::closeShift);
    connect(m_print, &QPushButton::clicked, this, &ShiftWindow::print);
    connect(m_pdf, &QPushButton::clicked, this, &ShiftWindow::saveAs);
    connect(&m_backend, &TillBackend::changed, this, &ShiftWindow::refresh);
    setBusy(false);
    refresh();
}

void ShiftWindow::setCashier(const Cashier &cashier)
{
    m_cashier = cashier;
    setBusy(m_busy);
}

void ShiftWindow::setBusy(bool busy)
{
    m_busy = busy;
    const bool canAct = !busy && !m_cashier.id.isEmpty();
    m_open->setEnabled(canAct && !m_shift);
    m_payIn->setEnabled(canAct);
    m_payOut->setEnabled(canAct);
    m_noSale->setEnabled(canAct);
    m_close->setEnabled(canAct && m_shift.has_value());
    m_xReport->setEnabled(!busy && m_shift.has_value());
    m_print->setEnabled(!busy && m_report.has_value());
    m_pdf->setEnabled(!busy && m_report.has_value());
}

void ShiftWindow::refresh()
{
    m_backend.query(
        this, [](Services &services) { return services.shifts().currentShift(); },
        [this](const Result<std::optional<Shift>> &current) {
            if (!current) {
                m_messages->showMessage(current.message(), MessageBar::Kind::Error);
                return;
            }
            m_shift = *current;
            if (!m_shift)
                m_status->setText(tr("No shift is open on this till."));
            else
                m_status->setText(
                    tr("Shift open since %1%2, float %3.")
                        .arg(QLocale().toString(m_shift->openedAt.toLocalTime(),
                                                QLocale::ShortFormat),
                             m_shift->autoOpened ? tr(" (opened by the first sale)") : QString(),
                             ShopContext::money(m_shift->floatCents)));
            setBusy(m_busy);
        });
}

std::optional<Cents> ShiftWindow::amountFrom(QLineEdit *edit, const QString &what, bool optional)
{
    if (optional && edit->text().trimmed().isEmpty())
        return std::nullopt;
    const std::optional<Cents> cents = ShopContext::parse(edit->text());
    if (!cents || *cents < 0) {
        m_messages->showMessage(
            tr("%1: type an amount such as %2.").arg(what, ShopContext::amount(1250)),
            MessageBar::Kind::Warning);
        edit->setFocus();
        return std::nullopt;
    }
    return cents;
}

void ShiftWindow::openShift()
{
    const std::optional<Cents> floatCents = amountFrom(m_float, tr("Float"));
    if (!floatCents)
        return;
    setBusy(true);
    m_messages->clearMessage();
    const QString cashier = m_cashier.id;
    m_backend.act(
        this,
        [cashier, cents = *floatCents, id = newRequestId()](Services &services) {
            return services.shifts().open(cashier, cents, id);
        },
        [this](const Result<Shift> &opened) {
            setBusy(false);
            if (!opened) {
                m_messages->showMessage(opened.message(), MessageBar::Kind::Error);
                return;
            }
            m_float->clear();
            m_messages->showMessage(
                tr("Shift opened with a float of %1.").arg(ShopContext::money(opened->floatCents)));
            refresh();
        });
}

void ShiftWindow::moveCash(bool in)
{
    const std::optional<Cents> cents = amountFrom(m_amount, tr("Amount"));
    if (!cents)
        return;
    if (m_reason->text().trimmed().isEmpty()) {
        m_messages->showMessage(
            tr("Reason: say why the cash goes %1 the drawer.").arg(in ? tr("into") : tr("out of")),
            MessageBar::Kind::Warning);
        m_reason->setFocus();
        return;
    }
    setBusy(true);
    m_messages->clearMessage();
    const QString cashier = m_cashier.id;
    m_backend.act(
        this,
        [in, cashier, cents = *cents, reason = m_reason->text(),
         id = newRequestId()](Services &services) {
            return in ? services.shifts().payIn(cashier, cents, reason, id)
                      : services.shifts().payOut(cashier, cents, reason, id);
        },
        [this, in](const Result<CashMovement> &moved) {
            setBusy(false);
            if (!moved) {
                m_messages->showMessage(moved.message(), MessageBar::Kind::Error);
                return;
            }
            m_amount->clear();
            m_reason->clear();
            m_messages->showMessage(
                (in ? tr("Paid in %1: %2") : tr("Paid out %1: %2"))
                    .arg(ShopContext::money(moved->amountCents), moved->reason));
            refresh();
        });
}

void ShiftWindow::noSale()
{
    if (m_busy || m_cashier.id.isEmpty())
        return;
    setBusy(true);
    m_messages->clearMessage();
    recordNoSale(std::nullopt, newRequestId(), nullptr);
}

void ShiftWindow::recordNoSale(const std::optional<Approver> &approver, const QString &requestId,
                               QPointer<ApprovalDialog> dialog)
{
    m_backend.act(
        this,
        [cashier = m_cashier.id, approver, requestId](Services &services) {
            return services.shifts().noSale(cashier, approver, requestId);
        },
        [this, requestId, dialog](const Result<CashMovement> &recorded) {
            if (recorded.outcome() == Outcome::Forbidden) {
                if (dialog) {
                    dialog->refused(recorded.message()); // a wrong PIN: try again
                    return;
                }
                // A cashier: a manager approves on this screen, then the same request again.
                auto *approval = new ApprovalDialog(m_backend, recorded.message(), this);
                approval->setAttribute(Qt::WA_DeleteOnClose);
                const QPointer<ApprovalDialog> open(approval);
                connect(approval, &ApprovalDialog::approved, this,
                        [this, requestId, open](const Approver &who) {
                            recordNoSale(who, requestId, open);
                        });
                connect(approval, &QDialog::rejected, this, [this] {
                    setBusy(false);
                    m_messages->showMessage(tr("No sale cancelled: the drawer stays closed."));
                });
                approval->open();
                return;
            }
            if (dialog)
                dialog->accept();
            if (!recorded) {
                setBusy(false);
                m_messages->showMessage(recorded.message(), MessageBar::Kind::Error);
                return;
            }
            QPointer<ShiftWindow> self(this);
            ReceiptPrinting::instance().openDrawer([self](bool ok, const QString &message) {
                if (!self)
                    return;
                self->setBusy(false);
                self->m_messages->showMessage(
                    ok ? tr("No sale recorded; the cash drawer is open.")
                       : tr("No sale recorded, but the drawer did not open: %1").arg(message),
                    ok ? MessageBar::Kind::Info : MessageBar::Kind::Warning);
            });
            refresh();
        });
}

void ShiftWindow::showXReport()
{
    setBusy(true);
    m_messages->clearMessage();
    m_backend.query(
        this, [](Services &services) { return services.shifts().xReport(); },
        [this](const Result<ZReport> &report) {
            setBusy(false);
            if (!report) {
                m_messages->showMessage(report.message(), MessageBar::Kind::Error);
                return;
            }
            showReport(*report);
        });
}

void ShiftWindow::closeShift()
{
    const std::optional<Cents> counted = amountFrom(m_counted, tr("Cash counted"));
    if (!counted)
        return;
    std::optional<Cents> countedCard;
    if (!m_countedCard->text().trimmed().isEmpty()) {
        countedCard = amountFrom(m_countedCard, tr("Card slips"));
        if (!countedCard)
            return;
    }
    setBusy(true);
    m_messages->clearMessage();
    const QString cashier = m_cashier.id;
    m_backend.act(
        this,
        [cashier, counted = *counted, countedCard, id = newRequestId()](Services &services) {
            return services.shifts().close(cashier, counted, countedCard, id);
        },
        [this](const Result<ZReport> &z) {
            setBusy(false);
            if (!z) {
                m_messages->showMessage(z.message(), MessageBar::Kind::Error);
                return;
            }
            m_counted->clear();
            m_countedCard->clear();
            showReport(*z);
            const Cents overShort = *z->overShortCents();
            m_messages->showMessage(overShort == 0
                                        ? tr("Z report %1: the cash is right.").arg(z->number)
                                    : overShort < 0 ? tr("Z report %1: %2 short.")
                                                          .arg(z->number)
                                                          .arg(ShopContext::money(-overShort))
                                                    : tr("Z report %1: %2 over.")
                                                          .arg(z->number)
                                                          .arg(ShopContext::money(overShort)));
            refresh();
        });
}

void ShiftWindow::showReport(const ZReport &report)
{
    m_report = report;
    m_view->setHtml(reportHtml());
    setBusy(m_busy);
}

QString ShiftWindow::reportHtml() const
{
    return m_report ? shiftReportHtml(*m_report, ShopContext::instance().profile()) : QString();
}

bool ShiftWindow::savePdf(const QString &path)
{
    return m_report && writeShiftReportPdf(reportHtml(), path);
}

void ShiftWindow::print()
{
    if (!m_report)
        return;
    QPrinter printer;
    QPrintDialog dialog(&printer, this);
    if (dialog.exec() != QDialog::Accepted)
        return;
    QTextDocument document;
    document.setHtml(reportHtml());
    document.print(&printer);
}

void ShiftWindow::saveAs()
{
    if (!m_report)
        return;
    const QString path = QFileDialog::getSaveFileName(
        this, tr("Save report"),
        m_report->isZ() ? u"z-report-%1.pdf"_s.arg(m_report->number) : u"x-report.pdf"_s,
        tr("PDF (*.pdf)"));
    if (path.isEmpty())
        return;
    if (!savePdf(path))
        m_messages->showMessage(tr("Could not write %1.").arg(path), MessageBar::Kind::Error);
}

} // namespace SafeTill
