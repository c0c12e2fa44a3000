#pragma once

#include <QFrame>

#include <functional>

class QLabel;
class QPushButton;
class QTimer;

namespace SafeTill {

// A non-blocking message at the top of a screen: what just happened, in words for the cashier,
// optionally with a Retry that repeats the same intent (same request id).
class MessageBar : public QFrame
{
    Q_OBJECT

public:
    enum class Kind { Info, Warning, Error };

    explicit MessageBar(QWidget *parent = nullptr);

    void showMessage(const QString &text, Kind kind = Kind::Info, std::function<void()> retry = {});
    void clearMessage();
    QString text() const;

private:
    QLabel *m_label;
    QPushButton *m_retry;
    QTimer *m_autoHide;
    std::function<void()> m_retryAction;
};

} // namespace SafeTill
