#pragma once

#include <QDialog>

namespace SafeTill {

// Help → About SafeTill: the version, the licence (MIT, as in LICENSE) and the Qt the app was
// built with and runs on.
class AboutDialog : public QDialog
{
    Q_OBJECT

public:
    explicit AboutDialog(QWidget *parent = nullptr);

    // The text shown, for tests and for a bug report.
    QString text() const { return m_text; }

private:
    QString m_text;
};

} // namespace SafeTill
