#pragma once

#include "Types.h"

#include <QDialog>

#include <optional>

class QLabel;
class QLineEdit;
class QPushButton;

namespace SafeTill {

// A discount (issue 14): on the selected line or on the whole order (a choice, the line only when
// one is selected), a percent or an amount in the shop's currency, and a reason (required).
// "Remove discount" when the chosen one has a discount already. Emits chosen() once; the caller
// gives it to OrderService::discountLine/discountOrder with the version on screen.
class DiscountDialog : public QDialog
{
    Q_OBJECT

public:
    // line: the selected line, if any (its discount is what "line" edits); order: the order's.
    DiscountDialog(const std::optional<OrderLine> &line, const Discount &orderDiscount,
                   Cents orderSubtotalCents, QWidget *parent = nullptr);

    bool forOrder() const;
    // The discount as entered (kind None: remove); nothing when the input is not valid yet.
    std::optional<Discount> discount() const;

Q_SIGNALS:
    // forOrder: the order's discount, else the line's; kind None removes it.
    void chosen(bool forOrder, const SafeTill::Discount &discount);

private:
    void scopeChanged();
    void update();
    void emitChosen(const Discount &discount);

    std::optional<OrderLine> m_line;
    Discount m_orderDiscount;
    Cents m_orderSubtotal = 0;
    bool m_done = false;
    QPushButton *m_lineScope;
    QPushButton *m_orderScope;
    QPushButton *m_percent;
    QPushButton *m_amount;
    QLineEdit *m_value;
    QLineEdit *m_reason;
    QLabel *m_preview;
    QPushButton *m_apply;
    QPushButton *m_remove;
};

// A price override on one line: the new unit price and a reason (required). Emits chosen() once.
class PriceDialog : public QDialog
{
    Q_OBJECT

public:
    explicit PriceDialog(const OrderLine &line, QWidget *parent = nullptr);

Q_SIGNALS:
    void chosen(SafeTill::Cents unitPriceCents, const QString &reason);

private:
    void update();

    bool m_done = false;
    QLineEdit *m_price;
    QLineEdit *m_reason;
    QLabel *m_hint;
    QPushButton *m_apply;
};

} // namespace SafeTill
