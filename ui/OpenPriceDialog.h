#pragma once

#include "Types.h"

#include <QDialog>

class QLabel;
class QLineEdit;
class QPushButton;

namespace SafeTill {

// The price of a product sold at an open price (products.open_price), asked each time it is added:
// one money field in the shop's currency (its minor units, the locale's way of writing them). Enter
// confirms, Esc cancels and adds nothing. Emits chosen() once; the caller gives the price to
// OrderService::addProduct, where it is the line's own price (no price override).
class OpenPriceDialog : public QDialog
{
    Q_OBJECT

public:
    OpenPriceDialog(const Product &product, QWidget *parent = nullptr);

    // The price as typed, in minor units; nothing while it is not a valid price.
    std::optional<Cents> price() const;

Q_SIGNALS:
    void chosen(SafeTill::Cents unitPriceCents);

private:
    void update();
    void confirm();

    bool m_done = false;
    QLineEdit *m_price;
    QLabel *m_hint;
    QPushButton *m_add;
};

} // namespace SafeTill
