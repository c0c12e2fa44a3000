#include "PaymentDialog.h"

#include "MessageBar.h"
#include "ShopContext.h"
#include "Tender.h"

#include <QButtonGroup>
#include <QFormLayout>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace SafeTill {

namespace {

// Round notes in the shop's currency, in minor units: 5, 10, 20, 50 and 100 of its major unit
// (500 to 10000 cents, 5000 to 100000 fils); a currency without minor units (JPY, KRW) has no
// small notes, so 1000 to 50000 of it.
QList<Cents> banknotes()
{
    const int minorUnits = ShopContext::currency().minorUnits;
    if (minorUnits == 0)
        return {1000, 2000, 5000, 10000, 50000};
    Cents scale = 1;
    for (int i = 0; i < minorUnits; ++i)
        scale *= 10;
    return {5 * scale, 10 * scale, 20 * scale, 50 * scale, 100 * scale};
}

QString methodName(const Payment &payment)
{
    switch (payment.method) {
    case PaymentMethod::Card:
        return PaymentDialog::tr("Card");
    case PaymentMethod::Other:
        return payment.label.isEmpty() ? PaymentDialog::tr("Other") : payment.label;
    case PaymentMethod::Cash:
        break;
    }
    return PaymentDialog::tr("Cash");
}

} // namespace

PaymentDialog::PaymentDialog(const QString &title, QWidget *parent)
    : QDialog(parent)
    , m_cash(new QPushButton(tr("Cash"), this))
    , m_card(new QPushButton(tr("Card"), this))
    , m_other(new QPushButton(tr("Other"), this))
    , m_totalLabel(new QLabel(this))
    , m_paymentsLabel(new QLabel(this))
    , m_balanceLabel(new QLabel(this))
    , m_label(new QLineEdit(this))
    , m_amount(new QLineEdit(this))
    , m_tendered(new QLineEdit(this))
    , m_rounding(new QLabel(this))
    , m_change(new QLabel(this))
    , m_error(new QLabel(this))
    , m_confirm(new QPushButton(tr("Take payment"), this))
    , m_cancel(new QPushButton(tr("Close"), this))
    , m_quick(new QGridLayout)
{
    setObjectName(u"paymentDialog"_s);
    setWindowTitle(title);
    setModal(true);
    auto *layout = new QVBoxLayout(this);
    m_totalLabel->setObjectName(u"paymentTotal"_s);
    QFont big = m_totalLabel->font();
    big.setPointSizeF(big.pointSizeF() * 1.8);
    m_totalLabel->setFont(big);
    layout->addWidget(m_totalLabel);
    m_paymentsLabel->setObjectName(u"paymentsTaken"_s);
    m_paymentsLabel->setTextFormat(Qt::PlainText);
    layout->addWidget(m_paymentsLabel);
    m_balanceLabel->setObjectName(u"paymentBalance"_s);
    QFont bold = m_balanceLabel->font();
    bold.setPointSizeF(bold.pointSizeF() * 1.4);
    bold.setBold(true);
    m_balanceLabel->setFont(bold);
    layout->addWidget(m_balanceLabel);

    m_cash->setObjectName(u"cashButton"_s);
    m_card->setObjectName(u"cardButton"_s);
    m_other->setObjectName(u"otherButton"_s);
    auto *methodGroup = new QButtonGroup(this);
    methodGroup->setExclusive(true);
    auto *methods = new QHBoxLayout;
    // The chosen method must be obvious at a glance, not a slightly darker shade.
    const QString checkedStyle =
        u"QPushButton:checked { background: #2d6fb5; color: white; border: 1px solid #1f5189;"
        " border-radius: 4px; font-weight: bold; }"_s;
    for (QPushButton *method : {m_cash, m_card, m_other}) {
        method->setCheckable(true);
        method->setMinimumHeight(48);
        method->setStyleSheet(checkedStyle);
        // Enter takes the payment wherever the focus is; these buttons toggle on Space.
        method->setAutoDefault(false);
        methodGroup->addButton(method);
        methods->addWidget(method);
    }
    m_cash->setChecked(true);
    layout->addLayout(methods);

    auto *form = new QFormLayout;
    m_label->setObjectName(u"otherLabelEdit"_s);
    m_label->setPlaceholderText(tr("e.g. Voucher"));
    m_label->setMaxLength(60);
    form->addRow(tr("Label:"), m_label);
    m_amount->setObjectName(u"amountEdit"_s);
    m_amount->setFont(big);
    form->addRow(tr("Amount:"), m_amount);
    m_tendered->setObjectName(u"tenderedEdit"_s);
    m_tendered->setFont(big);
    form->addRow(tr("Tendered:"), m_tendered);
    layout->addLayout(form);
    layout->addLayout(m_quick);

    m_rounding->setObjectName(u"roundingLabel"_s);
    layout->addWidget(m_rounding);
    m_change->setObjectName(u"changeLabel"_s);
    m_change->setFont(big);
    layout->addWidget(m_change);
    m_error->setObjectName(u"paymentError"_s);
    m_error->setWordWrap(true);
    m_error->setStyleSheet(u"color: %1;"_s.arg(
        readableOn(palette().color(QPalette::Window), QColor(0xb0, 0x00, 0x20)).name()));
    m_error->hide();
    layout->addWidget(m_error);

    m_confirm->setObjectName(u"confirmPayment"_s);
    m_confirm->setDefault(true);
    m_confirm->setMinimumHeight(56);
    m_cancel->setObjectName(u"cancelPayment"_s);
    m_cancel->setAutoDefault(false);
    m_cancel->setToolTip(tr("Close; the payments taken are kept and the order stays open with "
                            "its balance due."));
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_cancel);
    buttons->addWidget(m_confirm, 1);
    layout->addLayout(buttons);

    connect(m_tendered, &QLineEdit::textChanged, this, &PaymentDialog::update);
    connect(m_label, &QLineEdit::textChanged, this, &PaymentDialog::update);
    connect(m_amount, &QLineEdit::textEdited, this, [this] {
        // A card or "other" pays exactly its amount; cash is tendered at least that.
        if (const std::optional<Cents> amount = ShopContext::parse(m_amount->text()))
            setTendered(*amount + (method() == PaymentMethod::Cash ? rounding(*amount) : 0));
        update();
    });
    connect(methodGroup, &QButtonGroup::buttonToggled, this, [this](QAbstractButton *, bool on) {
        if (!on)
            return;
        if (const std::optional<Cents> amount = ShopContext::parse(m_amount->text());
            amount && method() != PaymentMethod::Cash)
            setTendered(*amount);
        update();
    });
    connect(m_confirm, &QPushButton::clicked, this, &PaymentDialog::confirm);
    connect(m_cancel, &QPushButton::clicked, this, &QDialog::reject);
}

void PaymentDialog::setDue(Cents totalCents, const QList<Payment> &payments)
{
    m_total = totalCents;
    Cents paid = 0;
    QStringList rows;
    for (const Payment &payment : payments) {
        if (payment.kind != PaymentKind::Sale)
            continue;
        paid += payment.amountCents;
        rows << tr("%1: %2").arg(methodName(payment), ShopContext::money(payment.amountCents));
    }
    m_balance = totalCents - paid;
    m_totalLabel->setText(tr("Total: %1").arg(ShopContext::money(totalCents)));
    m_paymentsLabel->setText(rows.isEmpty() ? QString()
                                            : tr("Paid so far:") + u'\n' + rows.join(u'\n'));
    m_paymentsLabel->setVisible(!rows.isEmpty());
    m_balanceLabel->setText(tr("Balance due: %1").arg(ShopContext::money(m_balance)));
    m_balanceLabel->setVisible(!rows.isEmpty());
    m_busy = false;
    m_error->hide();
    m_amount->setText(ShopContext::amount(m_balance));
    rebuildQuickButtons();
    setTendered(m_balance + (method() == PaymentMethod::Cash ? rounding(m_balance) : 0));
    update();
    // The most likely tender is preselected (the balance as exact cash): Enter takes it, and a
    // cashier handed a note types its amount over the selection.
    m_tendered->setFocus(Qt::OtherFocusReason);
    m_tendered->selectAll();
}

void PaymentDialog::showRefusal(const QString &message)
{
    m_busy = false;
    m_error->setText(message);
    m_error->show();
    update();
}

void PaymentDialog::reject()
{
    // A tender being paid has to come back first: whether it was taken decides what to show.
    if (m_busy)
        return;
    QDialog::reject();
}

void PaymentDialog::rebuildQuickButtons()
{
    for (QPushButton *button : std::as_const(m_quickButtons))
        delete button;
    m_quickButtons.clear();
    // Exact, then the next round notes above the balance.
    auto *exact = new QPushButton(tr("Exact"), this);
    exact->setObjectName(u"exactButton"_s);
    connect(exact, &QPushButton::clicked, this, [this] {
        const Cents amount = ShopContext::parse(m_amount->text()).value_or(m_balance);
        setTendered(amount + rounding(amount));
    });
    m_quick->addWidget(exact, 0, 0);
    m_quickButtons << exact;
    int column = 1;
    for (const Cents note : banknotes()) {
        if (note <= m_balance || column > 3)
            continue;
        auto *button = new QPushButton(ShopContext::money(note), this);
        button->setObjectName(u"note-%1"_s.arg(note));
        connect(button, &QPushButton::clicked, this, [this, note] { setTendered(note); });
        m_quick->addWidget(button, 0, column++);
        m_quickButtons << button;
    }
    for (QPushButton *button : std::as_const(m_quickButtons)) {
        button->setMinimumHeight(48);
        button->setAutoDefault(false);
    }
}

void PaymentDialog::setTendered(Cents cents)
{
    m_tendered->setText(ShopContext::amount(cents));
}

PaymentMethod PaymentDialog::method() const
{
    if (m_card->isChecked())
        return PaymentMethod::Card;
    if (m_other->isChecked())
        return PaymentMethod::Other;
    return PaymentMethod::Cash;
}

Cents PaymentDialog::rounding(Cents amount) const
{
    if (amount != m_balance)
        return 0;
    return roundToStep(amount, ShopContext::instance().profile().cashRoundingStep) - amount;
}

PaymentRequest PaymentDialog::payment() const
{
    const PaymentMethod chosen = method();
    const Cents amount = ShopContext::parse(m_amount->text()).value_or(-1);
    const Cents tendered = chosen == PaymentMethod::Cash
                               ? ShopContext::parse(m_tendered->text()).value_or(-1)
                               : amount;
    // The whole balance goes as "unset", so that the model pays exactly what is due then.
    std::optional<Cents> requested;
    if (amount != m_balance)
        requested = amount;
    return PaymentRequest{chosen, tendered, requested,
                          chosen == PaymentMethod::Other ? m_label->text().trimmed() : QString()};
}

void PaymentDialog::update()
{
    const PaymentMethod chosen = method();
    const bool cash = chosen == PaymentMethod::Cash;
    m_tendered->setReadOnly(!cash);
    m_label->setEnabled(chosen == PaymentMethod::Other);
    for (QPushButton *button : std::as_const(m_quickButtons))
        button->setEnabled(cash);
    const std::optional<Cents> amount = ShopContext::parse(m_amount->text());
    const std::optional<Cents> tendered = ShopContext::parse(m_tendered->text());
    bool ok = false;
    m_rounding->clear();
    if (!amount || *amount <= 0) {
        m_change->setText(
            tr("Enter the amount to pay, at most %1").arg(ShopContext::money(m_balance)));
    } else if (*amount > m_balance) {
        m_change->setText(
            tr("The amount is more than the balance due (%1)").arg(ShopContext::money(m_balance)));
    } else if (chosen == PaymentMethod::Other && m_label->text().trimmed().isEmpty()) {
        m_change->setText(tr("Enter a label for this payment, e.g. Voucher"));
    } else if (!cash) {
        m_change->setText(
            *amount == m_balance
                ? tr("Pays the balance")
                : tr("Balance after: %1").arg(ShopContext::money(m_balance - *amount)));
        ok = true;
    } else {
        const Cents round = rounding(*amount);
        const Cents due = *amount + round;
        if (round != 0) {
            m_rounding->setText(tr("Cash rounding: %1%2 (to pay in cash: %3)")
                                    .arg(round > 0 ? u"+"_s : u"\u2212"_s,
                                         ShopContext::money(qAbs(round)), ShopContext::money(due)));
        }
        if (!tendered) {
            m_change->setText(
                tr("Enter the amount tendered, e.g. %1").arg(ShopContext::amount(due)));
        } else if (*tendered < due) {
            m_change->setText(tr("%1 short").arg(ShopContext::money(due - *tendered)));
        } else {
            m_change->setText(tr("Change due: %1").arg(ShopContext::money(*tendered - due)));
            ok = true;
        }
    }
    m_rounding->setVisible(!m_rounding->text().isEmpty());
    m_confirm->setEnabled(ok && !m_busy);
    m_cancel->setEnabled(!m_busy);
}

void PaymentDialog::confirm()
{
    // One tender at a time, however often Enter or the button is hit.
    if (m_busy || !m_confirm->isEnabled())
        return;
    m_busy = true;
    m_error->hide();
    m_confirm->setEnabled(false);
    m_cancel->setEnabled(false);
    Q_EMIT confirmed(payment());
}

} // namespace SafeTill
