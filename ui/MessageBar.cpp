#include "MessageBar.h"

#include <QApplication>
#include <QEvent>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QTimer>

#include <cmath>

using namespace Qt::StringLiterals;

namespace SafeTill {

namespace {

double linear(double channel)
{
    return channel <= 0.03928 ? channel / 12.92 : std::pow((channel + 0.055) / 1.055, 2.4);
}

double luminance(const QColor &color)
{
    const QColor rgb = color.toRgb();
    return 0.2126 * linear(rgb.redF()) + 0.7152 * linear(rgb.greenF()) +
           0.0722 * linear(rgb.blueF());
}

QColor mix(const QColor &base, const QColor &tint, double share)
{
    const QColor a = base.toRgb();
    const QColor b = tint.toRgb();
    return QColor::fromRgbF(float(a.redF() * (1 - share) + b.redF() * share),
                            float(a.greenF() * (1 - share) + b.greenF() * share),
                            float(a.blueF() * (1 - share) + b.blueF() * share));
}

constexpr double readable = 4.5; // WCAG AA for normal text

} // namespace

double contrastRatio(const QColor &a, const QColor &b)
{
    const double la = luminance(a);
    const double lb = luminance(b);
    return (qMax(la, lb) + 0.05) / (qMin(la, lb) + 0.05);
}

QColor messageTone(const QPalette &palette, MessageBar::Kind kind)
{
    static const QColor tints[] = {QColor(0x2d, 0x8c, 0xff), QColor(0xff, 0xb3, 0x00),
                                   QColor(0xe0, 0x30, 0x40)};
    const QColor window = palette.color(QPalette::Window);
    const QColor text = palette.color(QPalette::WindowText);
    for (double share = 0.3; share > 0.01; share -= 0.05) {
        const QColor tone = mix(window, tints[int(kind)], share);
        if (contrastRatio(tone, text) >= readable)
            return tone;
    }
    return window;
}

QColor readableOn(const QColor &background, const QColor &accent)
{
    const bool darkBackground = luminance(background) < 0.18;
    QColor color = accent.toHsl();
    for (int step = 0; step < 20 && contrastRatio(color, background) < readable; ++step) {
        const int lightness = color.lightness() + (darkBackground ? 12 : -12);
        color.setHsl(color.hslHue(), color.hslSaturation(), qBound(0, lightness, 255));
    }
    return color.toRgb();
}

MessageBar::MessageBar(QWidget *parent)
    : QFrame(parent)
    , m_label(new QLabel(this))
    , m_retry(new QPushButton(tr("Retry"), this))
    , m_autoHide(new QTimer(this))
{
    setObjectName(u"messageBar"_s);
    setAccessibleName(tr("Messages"));
    setFrameShape(QFrame::StyledPanel);
    setAutoFillBackground(true);
    m_label->setObjectName(u"messageText"_s);
    m_label->setWordWrap(true);
    m_retry->setObjectName(u"messageRetry"_s);
    auto *close = new QPushButton(tr("Dismiss"), this);
    close->setObjectName(u"messageDismiss"_s);
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

void MessageBar::applyColours()
{
    // From the palette the bar would have without its own colours: the parent's, or the
    // application's (a theme switched while the till runs is followed, see changeEvent()).
    const QPalette base = parentWidget() ? parentWidget()->palette() : QApplication::palette();
    QPalette own = base;
    own.setColor(QPalette::Window, messageTone(base, m_kind));
    m_applying = true;
    setPalette(own);
    m_applying = false;
}

void MessageBar::changeEvent(QEvent *event)
{
    QFrame::changeEvent(event);
    if (!m_applying &&
        (event->type() == QEvent::ApplicationPaletteChange ||
         event->type() == QEvent::ParentChange || event->type() == QEvent::StyleChange))
        applyColours();
}

void MessageBar::showMessage(const QString &text, Kind kind, std::function<void()> retry)
{
    m_kind = kind;
    applyColours();
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
