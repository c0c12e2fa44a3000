#pragma once

#include "Types.h"

#include <QDialog>

class QLineEdit;
class QListWidget;
class QPushButton;

namespace SafeTill {

// "Put on tab": pick one of the open tabs (with their totals) or type a new tab's name.
class TabPickerDialog : public QDialog
{
    Q_OBJECT

public:
    explicit TabPickerDialog(QWidget *parent = nullptr);

    void setTabs(const QList<Tab> &tabs);
    QString tabName() const;

Q_SIGNALS:
    void chosen(const QString &tabName);

private:
    void choose();

    QListWidget *m_list;
    QLineEdit *m_name;
    QPushButton *m_ok;
    bool m_chosen = false;
};

} // namespace SafeTill
