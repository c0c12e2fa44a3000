#include "DiscountDialog.h"

#include "ShopContext.h"
#include "Tax.h"

#include <QButtonGroup>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPushButton>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace SafeTill {

namespace {

constexpr int maxReasonLength = 200;

QPushButton *choice(const QString &text, const QString &name, QWidget *parent)
{
    auto *button = new QPushButton(text, parent);
    button->setObjectName(name);
    button->setCheckable(true);
    button->setMinimumHeight(44);
    button->setStyleSheet(
        u"QPushButton:checked { background: #2d6fb5; color: white; border: 1px solid #1f5189;"
        " border-radius: 4px; font-weight: bold; }"_s);
    return button;
}

// "12.5" or, in a locale with a decimal comma, "12,5": a percent in basis points.
std::optional<int> parsePercent(const QString &text)
{
    QString plain = text.trimmed();
    plain.replace(QLocale().decimalPoint(), u"."_s);
    const std::optional<int> bp = parseRate(plain);
    if (!bp || *bp <= 0)
        return std::nullopt;
    return bp;
}

} // namespace

DiscountDialog::DiscountDialog(const std::optional<OrderLine> &line, const Discount &orderDiscount,
                               Cents orderSubtotalCents, QWidget *parent)
    : QDialog(parent)
    , m_line(line)
    , m_orderDiscount(orderDiscount)
    , m_orderSubtotal(orderSubtotalCents)
    , m_lineScope(choice(tr("This line"), u"lineScope"_s, this))
    , m_orderScope(choice(tr("Whole order"), u"orderScope"_s, this))
    , m_percent(choice(tr("Percent"), u"percentButton"_s, this))
    , m_amount(choice(tr("Amount"), u"amountButton"_s, this))
    , m_value(new QLineEdit(this))
    , m_reason(new QLineEdit(this))
    , m_preview(new QLabel(this))
    , m_apply(new QPushButton(tr("Give discount"), this))
    , m_remove(new QPushButton(tr("Remove discount"), this))
{
    setObjectName(u"discountDialog"_s);
    setWindowTitle(tr("Discount"));
    setModal(true);
    auto *layout = new QVBoxLayout(this);

    auto *scopes = new QButtonGroup(this);
    auto *scopeRow = new QHBoxLayout;
    for (QPushButton *button : {m_lineScope, m_orderScope}) {
        scopes->addButton(button);
        scopeRow->addWidget(button);
    }
    if (m_line) {
        m_lineScope->setText(tr("Line %1: %2").arg(m_line->lineNo).arg(m_line->name));
        m_lineScope->setChecked(true);
    } else {
        m_lineScope->setEnabled(false);
        m_lineScope->setToolTip(tr("Select a line on the order for a line discount."));
        m_orderScope->setChecked(true);
    }
    layout->addLayout(scopeRow);

    auto *kinds = new QButtonGroup(this);
    auto *kindRow = new QHBoxLayout;
    for (QPushButton *button : {m_percent, m_amount}) {
        kinds->addButton(button);
        kindRow->addWidget(button);
    }
    m_percent->setChecked(true);
    layout->addLayout(kindRow);

    auto *form = new QFormLayout;
    m_value->setObjectName(u"discountValue"_s);
    m_value->setMaxLength(16);
    form->addRow(tr("Discount:"), m_value);
    m_reason->setObjectName(u"discountReason"_s);
    m_reason->setMaxLength(maxReasonLength);
    m_reason->setPlaceholderText(tr("Required, e.g. staff, damaged, loyalty"));
    form->addRow(tr("Reason:"), m_reason);
    layout->addLayout(form);
    m_preview->setObjectName(u"discountPreview"_s);
    m_preview->setWordWrap(true);
    layout->addWidget(m_preview);

    m_apply->setObjectName(u"applyDiscount"_s);
    m_apply->setDefault(true);
    m_apply->setMinimumHeight(48);
    m_remove->setObjectName(u"removeDiscount"_s);
    auto *cancel = new QPushButton(tr("Cancel"), this);
    cancel->setObjectName(u"cancelDiscount"_s);
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(cancel);
    buttons->addWidget(m_remove);
    buttons->addWidget(m_apply, 1);
    layout->addLayout(buttons);

    connect(scopes, &QButtonGroup::buttonToggled, this, [this](QAbstractButton *, bool on) {
        if (on)
            scopeChanged();
    });
    connect(kinds, &QButtonGroup::buttonToggled, this, [this](QAbstractButton *, bool on) {
        if (on)
            update();
    });
    connect(m_value, &QLineEdit::textChanged, this, &DiscountDialog::update);
    connect(m_reason, &QLineEdit::textChanged, this, &DiscountDialog::update);
    connect(m_apply, &QPushButton::clicked, this, [this] {
        if (const std::optional<Discount> given = discount(); given && m_apply->isEnabled())
            emitChosen(*given);
    });
    connect(m_remove, &QPushButton::clicked, this, [this] { emitChosen(Discount{}); });
    connect(cancel, &QPushButton::clicked, this, &QDialog::reject);
    scopeChanged();
}

bool DiscountDialog::forOrder() const
{
    return m_orderScope->isChecked();
}

void DiscountDialog::scopeChanged()
{
    const Discount &current = forOrder() || !m_line ? m_orderDiscount : m_line->discount;
    m_remove->setVisible(!current.isNone());
    if (!current.isNone()) {
        // What is there now, to change or remove.
        (current.kind == DiscountKind::Percent ? m_percent : m_amount)->setChecked(true);
        m_value->setText(current.kind == DiscountKind::Percent
                             ? QLocale().toString(double(current.value) / 100, 'f',
                                                  QLocale::FloatingPointShortest)
                             : ShopContext::amount(current.value));
        m_reason->setText(current.reason);
    }
    update();
}

std::optional<Discount> DiscountDialog::discount() const
{
    Discount given;
    given.reason = m_reason->text().trimmed();
    if (m_percent->isChecked()) {
        const std::optional<int> bp = parsePercent(m_value->text());
        if (!bp)
            return std::nullopt;
        given.kind = DiscountKind::Percent;
        given.value = *bp;
    } else {
        const std::optional<Cents> cents = ShopContext::parse(m_value->text());
        if (!cents || *cents <= 0)
            return std::nullopt;
        given.kind = DiscountKind::Amount;
        given.value = *cents;
    }
    return given;
}

void DiscountDialog::update()
{
    const Cents base = forOrder() || !m_line ? m_orderSubtotal : m_line->amountCents();
    const std::optional<Discount> given = discount();
    bool ok = false;
    if (!given) {
        m_preview->setText(
            m_percent->isChecked()
                ? tr("Enter a percent from %1 to 100, e.g. 10").arg(QLocale().toString(0.01))
                : tr("Enter an amount of at most %1, e.g. %2")
                      .arg(ShopContext::money(base), ShopContext::amount(100)));
    } else if (given->kind == DiscountKind::Amount && given->value > base) {
        m_preview->setText(tr("The discount is more than the %1 (%2).")
                               .arg(forOrder() ? tr("order subtotal") : tr("line amount"),
                                    ShopContext::money(base)));
    } else if (given->reason.isEmpty()) {
        m_preview->setText(tr("Enter a reason for the discount."));
    } else {
        m_preview->setText(tr("Takes off %1 of %2.")
                               .arg(ShopContext::money(given->of(base)), ShopContext::money(base)));
        ok = true;
    }
    m_apply->setEnabled(ok && !m_done);
}

void DiscountDialog::emitChosen(const Discount &discount)
{
    if (m_done)
        return;
    m_done = true;
    Q_EMIT chosen(forOrder(), discount);
    accept();
}

PriceDialog::PriceDialog(const OrderLine &line, QWidget *parent)
    : QDialog(parent)
    , m_price(new QLineEdit(this))
    , m_reason(new QLineEdit(this))
    , m_hint(new QLabel(this))
    , m_apply(new QPushButton(tr("Change price"), this))
{
    setObjectName(u"priceDialog"_s);
    setWindowTitle(tr("Price of %1").arg(line.name));
    setModal(true);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(new QLabel(tr("Line %1: %2, now %3 each")
                                     .arg(line.lineNo)
                                     .arg(line.name, ShopContext::money(line.unitPriceCents)),
                                 this));
    auto *form = new QFormLayout;
    m_price->setObjectName(u"priceEdit"_s);
    m_price->setMaxLength(16);
    m_price->setText(ShopContext::amount(line.unitPriceCents));
    form->addRow(tr("New unit price:"), m_price);
    m_reason->setObjectName(u"priceReason"_s);
    m_reason->setMaxLength(maxReasonLength);
    m_reason->setPlaceholderText(tr("Required, e.g. price match, shelf label"));
    form->addRow(tr("Reason:"), m_reason);
    layout->addLayout(form);
    m_hint->setObjectName(u"priceHint"_s);
    layout->addWidget(m_hint);
    m_apply->setObjectName(u"applyPrice"_s);
    m_apply->setDefault(true);
    m_apply->setMinimumHeight(48);
    auto *cancel = new QPushButton(tr("Cancel"), this);
    cancel->setObjectName(u"cancelPrice"_s);
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(cancel);
    buttons->addWidget(m_apply, 1);
    layout->addLayout(buttons);
    connect(m_price, &QLineEdit::textChanged, this, &PriceDialog::update);
    connect(m_reason, &QLineEdit::textChanged, this, &PriceDialog::update);
    connect(m_apply, &QPushButton::clicked, this, [this] {
        const std::optional<Cents> price = ShopContext::parse(m_price->text());
        if (m_done || !m_apply->isEnabled() || !price)
            return;
        m_done = true;
        Q_EMIT chosen(*price, m_reason->text().trimmed());
        accept();
    });
    connect(cancel, &QPushButton::clicked, this, &QDialog::reject);
    update();
}

void PriceDialog::update()
{
    const std::optional<Cents> price = ShopContext::parse(m_price->text());
    bool ok = false;
    if (!price || *price < 0)
        m_hint->setText(tr("Enter the new unit price, e.g. %1").arg(ShopContext::amount(150)));
    else if (m_reason->text().trimmed().isEmpty())
        m_hint->setText(tr("Enter a reason for the new price."));
    else
        ok = true;
    if (ok)
        m_hint->clear();
    m_apply->setEnabled(ok && !m_done);
}

} // namespace SafeTill
