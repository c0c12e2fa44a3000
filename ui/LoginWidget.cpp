#include "LoginWidget.h"

#include "TillBackend.h"

#include <QDateTime>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRegularExpressionValidator>
#include <QStackedWidget>
#include <QTimer>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace SafeTill {

namespace {

QPushButton *bigButton(const QString &text, QWidget *parent)
{
    auto *button = new QPushButton(text, parent);
    // Finger-sized, but not stretched over a whole 1024x768 screen.
    button->setMinimumSize(96, 88);
    button->setMaximumHeight(112);
    button->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
    QFont font = button->font();
    font.setPointSizeF(font.pointSizeF() * 1.4);
    button->setFont(font);
    return button;
}

// A column of at most maxWidth in the middle of page, centered vertically too; returns its
// layout. A PIN pad as wide as the screen is harder to use, not easier.
QVBoxLayout *centeredColumn(QWidget *page, int maxWidth)
{
    auto *column = new QWidget(page);
    column->setMaximumWidth(maxWidth);
    auto *rows = new QVBoxLayout(page);
    auto *middle = new QHBoxLayout;
    middle->addStretch(1);
    middle->addWidget(column, 100);
    middle->addStretch(1);
    rows->addStretch(1);
    rows->addLayout(middle);
    rows->addStretch(1);
    return new QVBoxLayout(column);
}
} // namespace

LoginWidget::LoginWidget(TillBackend &backend, const QString &demoHint, QWidget *parent)
    : QWidget(parent)
    , m_backend(backend)
    , m_pages(new QStackedWidget(this))
    , m_cashierPage(new QWidget(this))
    , m_cashierGrid(new QGridLayout)
    , m_whoLabel(new QLabel(this))
    , m_pinEdit(new QLineEdit(this))
    , m_pinMessage(new QLabel(this))
    , m_lockoutTimer(new QTimer(this))
{
    setObjectName(u"loginWidget"_s);
    auto *title = new QLabel(tr("Who is working?"), m_cashierPage);
    QFont titleFont = title->font();
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.8);
    title->setFont(titleFont);
    QVBoxLayout *cashierLayout = centeredColumn(m_cashierPage, 840);
    cashierLayout->addWidget(title, 0, Qt::AlignHCenter);
    cashierLayout->addSpacing(16);
    cashierLayout->addLayout(m_cashierGrid);
    cashierLayout->addSpacing(24);
    if (!demoHint.isEmpty()) {
        auto *hint = new QLabel(demoHint, m_cashierPage);
        hint->setObjectName(u"demoHint"_s);
        hint->setWordWrap(true);
        // Centered by the label itself: a word-wrapped label given a layout alignment gets its
        // one-line height and is cut off.
        hint->setAlignment(Qt::AlignCenter);
        cashierLayout->addWidget(hint);
    }

    auto *pinPage = new QWidget(this);
    QVBoxLayout *pinLayout = centeredColumn(pinPage, 480);
    m_whoLabel->setFont(titleFont);
    pinLayout->addWidget(m_whoLabel, 0, Qt::AlignHCenter);
    m_pinEdit->setObjectName(u"pinEdit"_s);
    m_pinEdit->setEchoMode(QLineEdit::Password);
    m_pinEdit->setMaxLength(12);
    m_pinEdit->setValidator(
        new QRegularExpressionValidator(QRegularExpression(u"[0-9]{0,12}"_s), m_pinEdit));
    m_pinEdit->setAlignment(Qt::AlignCenter);
    m_pinEdit->setFont(titleFont);
    pinLayout->addWidget(m_pinEdit);
    m_pinMessage->setObjectName(u"pinMessage"_s);
    m_pinMessage->setAlignment(Qt::AlignCenter);
    pinLayout->addWidget(m_pinMessage);

    auto *pad = new QGridLayout;
    for (int digit = 1; digit <= 9; ++digit) {
        QPushButton *button = bigButton(QString::number(digit), pinPage);
        button->setObjectName(u"pinDigit%1"_s.arg(digit));
        pad->addWidget(button, (digit - 1) / 3, (digit - 1) % 3);
        m_padButtons << button;
    }
    QPushButton *clear = bigButton(tr("Clear"), pinPage);
    QPushButton *zero = bigButton(u"0"_s, pinPage);
    zero->setObjectName(u"pinDigit0"_s);
    QPushButton *ok = bigButton(tr("OK"), pinPage);
    ok->setObjectName(u"pinOk"_s);
    pad->addWidget(clear, 3, 0);
    pad->addWidget(zero, 3, 1);
    pad->addWidget(ok, 3, 2);
    m_padButtons << zero << clear << ok;
    pinLayout->addLayout(pad, 1);
    QPushButton *back = new QPushButton(tr("Back"), pinPage);
    back->setObjectName(u"pinBack"_s);
    back->setMinimumHeight(48);
    pinLayout->addWidget(back);

    for (QPushButton *button : std::as_const(m_padButtons)) {
        if (button == clear || button == ok)
            continue;
        connect(button, &QPushButton::clicked, this, [this, button] {
            m_pinEdit->insert(button->text());
            m_pinEdit->setFocus();
        });
    }
    connect(clear, &QPushButton::clicked, m_pinEdit, &QLineEdit::clear);
    connect(ok, &QPushButton::clicked, this, &LoginWidget::submitPin);
    connect(m_pinEdit, &QLineEdit::returnPressed, this, &LoginWidget::submitPin);
    connect(back, &QPushButton::clicked, this, [this] {
        m_pinEdit->clear();
        m_pages->setCurrentWidget(m_cashierPage);
    });
    m_lockoutTimer->setInterval(250);
    connect(m_lockoutTimer, &QTimer::timeout, this, &LoginWidget::updateLockout);

    m_pages->addWidget(m_cashierPage);
    m_pages->addWidget(pinPage);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_pages);
}

void LoginWidget::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    // Shown by the app (first window, back after a log-out): start over with fresh cashiers. A
    // spontaneous show is the window coming back from minimized: keep a half-typed PIN.
    if (!event->spontaneous())
        reload();
}

void LoginWidget::reload()
{
    m_pinEdit->clear();
    m_pinMessage->clear();
    m_pages->setCurrentWidget(m_cashierPage);
    m_backend.query(
        this, [](Services &services) { return services.cashiers().list(); },
        [this](const Result<QList<Cashier>> &result) {
            if (result)
                showCashiers(*result);
        });
}

void LoginWidget::showCashiers(const QList<Cashier> &cashiers)
{
    while (QLayoutItem *item = m_cashierGrid->takeAt(0)) {
        delete item->widget();
        delete item;
    }
    const int columns = cashiers.size() > 6 ? 4 : 3;
    for (qsizetype i = 0; i < cashiers.size(); ++i) {
        const Cashier cashier = cashiers.at(i);
        QPushButton *button = bigButton(cashier.name, m_cashierPage);
        button->setObjectName(u"cashier-%1"_s.arg(cashier.name));
        m_cashierGrid->addWidget(button, int(i) / columns, int(i) % columns);
        connect(button, &QPushButton::clicked, this, [this, cashier] { choose(cashier); });
    }
}

void LoginWidget::choose(const Cashier &cashier)
{
    m_chosen = cashier;
    m_whoLabel->setText(tr("PIN for %1").arg(cashier.name));
    m_pinEdit->clear();
    m_pinMessage->clear();
    m_lockedUntil = QDateTime();
    m_lockoutTimer->stop();
    m_pages->setCurrentIndex(1);
    // No guess until the model said whether this cashier is locked out.
    m_checking = true;
    setPadEnabled(false);
    readLockout(QString());
}

void LoginWidget::readLockout(const QString &message)
{
    const QString id = m_chosen.id;
    m_backend.query(
        this, [id](Services &services) { return services.cashiers().pinLockout(id); },
        [this, id, message](const Result<CashierService::PinLockout> &result) {
            if (id != m_chosen.id)
                return; // another cashier was chosen meanwhile
            m_checking = false;
            m_lockedUntil = result ? result->lockedUntil : QDateTime();
            m_pinMessage->setText(message);
            setPadEnabled(true);
            updateLockout();
        });
}

void LoginWidget::submitPin()
{
    if (m_checking || m_pinEdit->text().isEmpty())
        return;
    if (m_lockedUntil.isValid() && m_lockedUntil > QDateTime::currentDateTimeUtc())
        return;
    m_checking = true;
    setPadEnabled(false);
    const QString id = m_chosen.id;
    const QString pin = m_pinEdit->text();
    m_backend.query(
        this, [id, pin](Services &services) { return services.cashiers().verifyPin(id, pin); },
        [this](const Result<Cashier> &result) {
            m_pinEdit->clear();
            if (result) {
                m_checking = false;
                setPadEnabled(true);
                m_lockedUntil = QDateTime();
                m_pinMessage->clear();
                Q_EMIT loggedIn(*result);
                return;
            }
            pinRejected(result.outcome() == Outcome::InvalidInput ||
                                result.outcome() == Outcome::InvalidState
                            ? tr("Wrong PIN.")
                            : result.message());
        });
}

void LoginWidget::pinRejected(const QString &message)
{
    // The model counted it (or refused while locked out): show its lockout, kept for every
    // window and process.
    readLockout(message);
}

void LoginWidget::updateLockout()
{
    const qint64 remainingMs =
        m_lockedUntil.isValid() ? QDateTime::currentDateTimeUtc().msecsTo(m_lockedUntil) : 0;
    if (remainingMs <= 0) {
        // A countdown that reached zero must not keep saying "try again in 1 second".
        if (m_lockoutTimer->isActive())
            m_pinMessage->setText(tr("Wrong PIN. You can try again now."));
        m_lockoutTimer->stop();
        setPadEnabled(!m_checking);
        return;
    }
    setPadEnabled(false);
    m_pinMessage->setText(
        tr("Wrong PIN. Try again in %n second(s).", nullptr, int((remainingMs + 999) / 1000)));
    if (!m_lockoutTimer->isActive())
        m_lockoutTimer->start();
}

void LoginWidget::setPadEnabled(bool enabled)
{
    for (QPushButton *button : std::as_const(m_padButtons))
        button->setEnabled(enabled);
    m_pinEdit->setEnabled(enabled);
    if (enabled)
        m_pinEdit->setFocus();
}

QString LoginWidget::pinMessage() const
{
    return m_pinMessage->text();
}

} // namespace SafeTill
