#include "AboutDialog.h"

#include <QCoreApplication>
#include <QDialogButtonBox>
#include <QLabel>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace SafeTill {

AboutDialog::AboutDialog(QWidget *parent)
    : QDialog(parent)
{
    setObjectName(u"aboutDialog"_s);
    setWindowTitle(tr("About SafeTill"));
    QString version = QCoreApplication::applicationVersion();
    if (version.isEmpty())
        version = QStringLiteral(SAFETILL_VERSION);
    QStringList rows;
    rows << tr("SafeTill %1").arg(version)
         << tr("A point-of-sale terminal: no order is lost, duplicated or paid twice.")
         << tr("Licence: MIT (see the LICENSE file that came with it).")
         << tr("Built with Qt %1, running on Qt %2.")
                .arg(QLatin1StringView(QT_VERSION_STR), QLatin1StringView(qVersion()));
    m_text = rows.join(u'\n');

    auto *label = new QLabel(m_text, this);
    label->setObjectName(u"aboutText"_s);
    label->setTextFormat(Qt::PlainText);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    label->setWordWrap(true);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    buttons->setObjectName(u"aboutButtons"_s);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(label);
    layout->addWidget(buttons);
}

} // namespace SafeTill
