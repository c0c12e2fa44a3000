#include "OpenPriceDialog.h"

#include "ShopContext.h"
#include "Validation.h"

#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace SafeTill {

OpenPriceDialog::OpenPriceDialog(const Product &product, QWidget *parent)
    : QDialog(parent)
    , m_price(new QLineEdit(this))
    , m_hint(new QLabel(this))
    , m_add(new QPushButton(tr("Add"), this))
{
    setObjectName(u"openPriceDialog"_s);
    setWindowTitle(tr("Price of %1").arg(product.name));
    setModal(true);
    auto *layout = new QVBoxLayout(this);
    auto *about = new QLabel(tr("%1 (%2) is sold at an open price: enter the price of this one.")
                                 .arg(product.name, product.sku),
                             this);
    about->setWordWrap(true);
    layout->addWidget(about);
    auto *form = new QFormLayout;
    m_price->setObjectName(u"openPriceEdit"_s);
    m_price->setAccessibleName(tr("Price"));
    m_price->setMaxLength(16);
    m_price->setInputMethodHints(Qt::ImhFormattedNumbersOnly);
    m_price->setPlaceholderText(ShopContext::amount(product.priceCents));
    form->addRow(tr("Price (%1):").arg(ShopContext::currency().code), m_price);
    layout->addLayout(form);
    m_hint->setObjectName(u"openPriceHint"_s);
    m_hint->setWordWrap(true);
    layout->addWidget(m_hint);
    m_add->setObjectName(u"addOpenPrice"_s);
    m_add->setDefault(true);
    m_add->setAutoDefault(true);
    m_add->setMinimumHeight(48);
    auto *cancel = new QPushButton(tr("Cancel"), this);
    cancel->setObjectName(u"cancelOpenPrice"_s);
    cancel->setAutoDefault(false);
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(cancel);
    buttons->addWidget(m_add, 1);
    layout->addLayout(buttons);
    connect(m_price, &QLineEdit::textChanged, this, &OpenPriceDialog::update);
    // Enter in the field confirms (a valid price), as the default button does.
    connect(m_price, &QLineEdit::returnPressed, this, &OpenPriceDialog::confirm);
    connect(m_add, &QPushButton::clicked, this, &OpenPriceDialog::confirm);
    connect(cancel, &QPushButton::clicked, this, &QDialog::reject);
    m_price->setFocus();
    update();
}

std::optional<Cents> OpenPriceDialog::price() const
{
    const std::optional<Cents> price = ShopContext::parse(m_price->text());
    if (!price || !checkPrice(*price).isEmpty())
        return std::nullopt;
    return price;
}

void OpenPriceDialog::confirm()
{
    const std::optional<Cents> entered = price();
    if (m_done || !entered)
        return;
    m_done = true;
    Q_EMIT chosen(*entered);
    accept();
}

void OpenPriceDialog::update()
{
    const bool ok = price().has_value();
    if (ok || m_price->text().trimmed().isEmpty())
        m_hint->clear();
    else
        m_hint->setText(tr("Enter a price from %1 to %2, e.g. %3")
                            .arg(ShopContext::money(0), ShopContext::money(Limits::maxPriceCents),
                                 ShopContext::amount(450)));
    m_add->setEnabled(ok && !m_done);
}

} // namespace SafeTill
