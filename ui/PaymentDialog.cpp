#include "PaymentDialog.h"

#include "ShopContext.h"

#include <QButtonGroup>
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

} // namespace

PaymentDialog::PaymentDialog(Cents totalCents, const QString &title, QWidget *parent)
    : QDialog(parent)
    , m_total(totalCents)
    , m_cash(new QPushButton(tr("Cash"), this))
    , m_card(new QPushButton(tr("Card"), this))
    , m_tendered(new QLineEdit(this))
    , m_change(new QLabel(this))
    , m_confirm(new QPushButton(tr("Confirm payment"), this))
{
    setObjectName(u"paymentDialog"_s);
    setWindowTitle(title);
    setModal(true);
    auto *layout = new QVBoxLayout(this);
    auto *totalLabel = new QLabel(tr("Total: %1").arg(ShopContext::money(totalCents)), this);
    totalLabel->setObjectName(u"paymentTotal"_s);
    QFont big = totalLabel->font();
    big.setPointSizeF(big.pointSizeF() * 1.8);
    totalLabel->setFont(big);
    layout->addWidget(totalLabel);

    m_cash->setObjectName(u"cashButton"_s);
    m_card->setObjectName(u"cardButton"_s);
    auto *methodGroup = new QButtonGroup(this);
    methodGroup->setExclusive(true);
    auto *methods = new QHBoxLayout;
    for (QPushButton *method : {m_cash, m_card}) {
        method->setCheckable(true);
        method->setMinimumHeight(48);
        methodGroup->addButton(method);
        methods->addWidget(method);
    }
    // The chosen method must be obvious at a glance, not a slightly darker shade.
    const QString checkedStyle =
        u"QPushButton:checked { background: #2d6fb5; color: white; border: 1px solid #1f5189;"
        " border-radius: 4px; font-weight: bold; }"_s;
    m_cash->setStyleSheet(checkedStyle);
    m_card->setStyleSheet(checkedStyle);
    m_cash->setChecked(true);
    layout->addLayout(methods);

    auto *tenderedRow = new QHBoxLayout;
    tenderedRow->addWidget(new QLabel(tr("Tendered:"), this));
    m_tendered->setObjectName(u"tenderedEdit"_s);
    m_tendered->setFont(big);
    tenderedRow->addWidget(m_tendered, 1);
    layout->addLayout(tenderedRow);

    // Exact, then the next round notes above the total.
    auto *quick = new QGridLayout;
    auto *exact = new QPushButton(tr("Exact"), this);
    exact->setObjectName(u"exactButton"_s);
    connect(exact, &QPushButton::clicked, this, [this] { setTendered(m_total); });
    quick->addWidget(exact, 0, 0);
    m_quickButtons << exact;
    int column = 1;
    for (const Cents note : banknotes()) {
        if (note <= m_total || column > 3)
            continue;
        auto *button = new QPushButton(ShopContext::money(note), this);
        button->setObjectName(u"note-%1"_s.arg(note));
        connect(button, &QPushButton::clicked, this, [this, note] { setTendered(note); });
        quick->addWidget(button, 0, column++);
        m_quickButtons << button;
    }
    for (QPushButton *button : std::as_const(m_quickButtons))
        button->setMinimumHeight(48);
    layout->addLayout(quick);

    m_change->setObjectName(u"changeLabel"_s);
    m_change->setFont(big);
    layout->addWidget(m_change);

    m_confirm->setObjectName(u"confirmPayment"_s);
    m_confirm->setDefault(true);
    m_confirm->setMinimumHeight(56);
    auto *cancel = new QPushButton(tr("Cancel"), this);
    cancel->setObjectName(u"cancelPayment"_s);
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(cancel);
    buttons->addWidget(m_confirm, 1);
    layout->addLayout(buttons);

    connect(m_tendered, &QLineEdit::textChanged, this, &PaymentDialog::update);
    connect(m_cash, &QPushButton::toggled, this, &PaymentDialog::update);
    connect(m_card, &QPushButton::toggled, this, [this](bool card) {
        if (card)
            setTendered(m_total); // a card pays the exact total
        update();
    });
    connect(m_confirm, &QPushButton::clicked, this, &PaymentDialog::confirm);
    connect(cancel, &QPushButton::clicked, this, &QDialog::reject);
    setTendered(m_total);
}

void PaymentDialog::setTendered(Cents cents)
{
    m_tendered->setText(ShopContext::amount(cents));
}

PaymentRequest PaymentDialog::payment() const
{
    return PaymentRequest{m_card->isChecked() ? PaymentMethod::Card : PaymentMethod::Cash,
                          ShopContext::parse(m_tendered->text()).value_or(-1)};
}

void PaymentDialog::update()
{
    const bool card = m_card->isChecked();
    m_tendered->setReadOnly(card);
    for (QPushButton *button : std::as_const(m_quickButtons))
        button->setEnabled(!card);
    const std::optional<Cents> tendered = ShopContext::parse(m_tendered->text());
    if (!tendered) {
        m_change->setText(
            tr("Enter the amount tendered, e.g. %1").arg(ShopContext::amount(m_total)));
        m_confirm->setEnabled(false);
    } else if (*tendered < m_total) {
        m_change->setText(tr("%1 short").arg(ShopContext::money(m_total - *tendered)));
        m_confirm->setEnabled(false);
    } else {
        m_change->setText(tr("Change due: %1").arg(ShopContext::money(*tendered - m_total)));
        m_confirm->setEnabled(!m_confirmed);
    }
}

void PaymentDialog::confirm()
{
    // One confirmation per dialog, however often Enter or the button is hit.
    if (m_confirmed || !m_confirm->isEnabled())
        return;
    m_confirmed = true;
    m_confirm->setEnabled(false);
    Q_EMIT confirmed(payment());
    accept();
}

} // namespace SafeTill
