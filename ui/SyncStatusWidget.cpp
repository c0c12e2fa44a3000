#include "SyncStatusWidget.h"

#include <QLocale>
#include <QMessageBox>

using namespace Qt::StringLiterals;

namespace SafeTill {

SyncStatusWidget::SyncStatusWidget(QWidget *parent)
    : QLabel(tr("Sync: not configured"), parent)
{
    setObjectName(u"statusSync"_s);
}

void SyncStatusWidget::setService(SyncService *service)
{
    if (m_service)
        disconnect(m_service, nullptr, this, nullptr);
    m_service = service;
    if (!service) {
        setText(tr("Sync: not configured"));
        return;
    }
    connect(service, &SyncService::stateChanged, this, &SyncStatusWidget::show);
    show(service->state());
}

QString SyncStatusWidget::summary(const SyncState &state)
{
    QString connectivity;
    switch (state.connectivity) {
    case SyncState::Connectivity::NotConfigured:
        return tr("Sync: not configured");
    case SyncState::Connectivity::Online:
        connectivity = tr("online");
        break;
    case SyncState::Connectivity::Offline:
        connectivity = tr("offline");
        break;
    case SyncState::Connectivity::Syncing:
        connectivity = tr("syncing");
        break;
    }
    QString text = tr("Sync: %1, %n pending", nullptr, int(qMin<qint64>(state.pending, INT_MAX)))
                       .arg(connectivity);
    if (state.lastSuccess.isValid())
        text += tr(", last %1")
                    .arg(QLocale().toString(state.lastSuccess.toLocalTime().time(),
                                            QLocale::ShortFormat));
    if (state.needsAttention())
        text += tr(" — %n need(s) attention", nullptr,
                   int(qMax<qint64>(state.failed, state.messages.size())));
    return text;
}

void SyncStatusWidget::show(const SyncState &state)
{
    setText(summary(state));
    setStyleSheet(state.needsAttention() ? u"color: #b00020; font-weight: bold;"_s : QString());
    QStringList tip;
    if (!state.lastError.isEmpty())
        tip << state.lastError;
    tip << state.messages.mid(0, 5);
    setToolTip(tip.join(u"\n"_s));
}

void SyncStatusWidget::mousePressEvent(QMouseEvent *event)
{
    QLabel::mousePressEvent(event);
    if (!m_service || !m_service->state().needsAttention())
        return;
    const SyncState &state = m_service->state();
    QStringList lines = state.messages;
    for (const SyncProblem &problem : state.problems)
        lines << tr("Kept sync op %1 (%2): %3").arg(problem.seq).arg(problem.op, problem.message);
    QMessageBox box(QMessageBox::Warning, tr("Sync needs attention"),
                    tr("These actions could not be synced as they were. Nothing was deleted: the "
                       "server's state is shown for conflicting orders, and the kept ops can be "
                       "inspected with \"safetill-cli sync --status\"."),
                    QMessageBox::Ok, this);
    box.setDetailedText(lines.join(u"\n"_s));
    box.exec();
    m_service->acknowledgeMessages();
}

} // namespace SafeTill
