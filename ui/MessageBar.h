#pragma once

#include <QColor>
#include <QFrame>

#include <functional>

class QLabel;
class QPushButton;
class QTimer;

namespace SafeTill {

// A non-blocking message at the top of a screen: what just happened, in words for the cashier,
// optionally with a Retry that repeats the same intent (same request id). Its colours come from
// the palette (a tint of the window colour per kind, the palette's text colour), so a dark
// desktop theme stays readable.
class MessageBar : public QFrame
{
    Q_OBJECT

public:
    enum class Kind { Info, Warning, Error };

    explicit MessageBar(QWidget *parent = nullptr);

    void showMessage(const QString &text, Kind kind = Kind::Info, std::function<void()> retry = {});
    void clearMessage();
    QString text() const;
    Kind kind() const { return m_kind; }

protected:
    void changeEvent(QEvent *event) override;

private:
    void applyColours();

    QLabel *m_label;
    QPushButton *m_retry;
    QTimer *m_autoHide;
    std::function<void()> m_retryAction;
    Kind m_kind = Kind::Info;
    bool m_applying = false;
};

// WCAG 2 contrast ratio of two colours, 1 (none) to 21 (black on white).
double contrastRatio(const QColor &a, const QColor &b);
// The background of a message of that kind: the palette's window colour tinted blue, amber or
// red, keeping at least 4.5:1 contrast with the palette's text colour.
QColor messageTone(const QPalette &palette, MessageBar::Kind kind);
// accent, made lighter or darker until it reads on background (at least 4.5:1).
QColor readableOn(const QColor &background, const QColor &accent);

} // namespace SafeTill
