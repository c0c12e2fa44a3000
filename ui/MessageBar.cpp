#include "MessageBar.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QTimer>

using namespace Qt::StringLiterals;

namespace SafeTill {

MessageBar::MessageBar(QWidget *parent)
    : QFrame(parent)
    , m_label(new QLabel(this))
    , m_retry(new QPushButton(tr("Retry"), this))
    , m_autoHide(new QTimer(this))
{
    setObjectName(u"messageBar"_s);
    m_label->setObjectName(u"messageText"_s);
    m_label->setWordWrap(true);
    m_retry->setObjectName(u"messageRetry"_s);
    auto *close = new QPushButton(tr("Dismiss"), this);
    auto *layout = new QHBoxLayout(this);
    layout->addWidget(m_label, 1);
    layout->addWidget(m_retry);
    layout->addWidget(close);
    m_autoHide->setSingleShot(true);
    connect(m_autoHide, &QTimer::timeout, this, &MessageBar::clearMessage);
    connect(close, &QPushButton::clicked, this, &MessageBar::clearMessage);
    connect(m_retry, &QPushButton::clicked, this, [this] {
        const auto retry = std::move(m_retryAction);
        clearMessage();
        if (retry)
            retry();
    });
    hide();
}

void MessageBar::showMessage(const QString &text, Kind kind, std::function<void()> retry)
{
    static const char *const colors[] = {"#dcefff", "#fff3cd", "#f8d7da"};
    setStyleSheet(u"#messageBar { background: %1; border-radius: 6px; padding: 4px; }"_s.arg(
        QLatin1StringView(colors[int(kind)])));
    m_label->setText(text);
    m_retryAction = std::move(retry);
    m_retry->setVisible(bool(m_retryAction));
    show();
    // Information fades; warnings stay until the cashier has read them.
    if (kind == Kind::Info && !m_retryAction)
        m_autoHide->start(8000);
    else
        m_autoHide->stop();
}

void MessageBar::clearMessage()
{
    m_retryAction = {};
    m_label->clear();
    hide();
}

QString MessageBar::text() const
{
    return m_label->text();
}

} // namespace SafeTill
