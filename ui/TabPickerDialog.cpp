#include "TabPickerDialog.h"

#include "ShopContext.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace SafeTill {

TabPickerDialog::TabPickerDialog(QWidget *parent)
    : QDialog(parent)
    , m_list(new QListWidget(this))
    , m_name(new QLineEdit(this))
    , m_ok(new QPushButton(tr("Put on tab"), this))
{
    setObjectName(u"tabPickerDialog"_s);
    setWindowTitle(tr("Put on tab"));
    setModal(true);
    m_list->setObjectName(u"openTabsList"_s);
    m_name->setObjectName(u"tabNameEdit"_s);
    m_name->setPlaceholderText(tr("New tab name, e.g. Table 5"));
    m_name->setMaxLength(64);
    m_ok->setObjectName(u"confirmTab"_s);
    m_ok->setDefault(true);
    m_ok->setMinimumHeight(48);
    auto *cancel = new QPushButton(tr("Cancel"), this);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(new QLabel(tr("Open tabs:"), this));
    layout->addWidget(m_list, 1);
    layout->addWidget(m_name);
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(cancel);
    buttons->addWidget(m_ok, 1);
    layout->addLayout(buttons);
    connect(m_list, &QListWidget::currentItemChanged, this, [this](QListWidgetItem *item) {
        if (item)
            m_name->setText(item->data(Qt::UserRole).toString());
    });
    connect(m_list, &QListWidget::itemDoubleClicked, this, &TabPickerDialog::choose);
    connect(m_name, &QLineEdit::textChanged, this, [this](const QString &text) {
        m_ok->setEnabled(!m_chosen && !text.trimmed().isEmpty());
    });
    connect(m_ok, &QPushButton::clicked, this, &TabPickerDialog::choose);
    connect(cancel, &QPushButton::clicked, this, &QDialog::reject);
    m_ok->setEnabled(false);
}

void TabPickerDialog::setTabs(const QList<Tab> &tabs)
{
    m_list->clear();
    for (const Tab &tab : tabs) {
        auto *item = new QListWidgetItem(tr("%1 — %n order(s), %2", nullptr, int(tab.orders.size()))
                                             .arg(tab.name, ShopContext::money(tab.totalCents())),
                                         m_list);
        item->setData(Qt::UserRole, tab.name);
    }
}

QString TabPickerDialog::tabName() const
{
    return m_name->text().simplified();
}

void TabPickerDialog::choose()
{
    if (m_chosen || tabName().isEmpty())
        return;
    m_chosen = true;
    m_ok->setEnabled(false);
    Q_EMIT chosen(tabName());
    accept();
}

} // namespace SafeTill
