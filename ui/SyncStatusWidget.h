#pragma once

#include "SyncService.h"

#include <QLabel>
#include <QPointer>

namespace SafeTill {

// The status bar's sync field: online / offline / syncing, ops pending, last success, and any op
// needing attention. A click shows the conflict messages and failed ops.
class SyncStatusWidget : public QLabel
{
    Q_OBJECT

public:
    explicit SyncStatusWidget(QWidget *parent = nullptr);
    // Follows the service (nullptr: "not configured", as before sync existed).
    void setService(SyncService *service);
    static QString summary(const SyncState &state);

protected:
    void mousePressEvent(QMouseEvent *event) override;

private:
    void show(const SyncState &state);

    QPointer<SyncService> m_service;
};

} // namespace SafeTill
