#pragma once

#include "FirstStart.h"
#include "Result.h"
#include "SyncConfig.h"
#include "Types.h"

#include <QHash>
#include <QWizard>

#include <functional>

class QFormLayout;
class QLabel;
class QLineEdit;
class QRadioButton;

namespace SafeTill {

class TillBackend;

// The first start of a till (issue 16): whether it runs on its own or syncs with a server; on its
// own, the shop (name, address, tax number, currency) and the first manager (name, PIN typed
// twice); syncing, the server's URL, the device token file and an optional trusted certificate
// (as Settings → Sync… stores them). Each page checks its fields with the model's rules and shows
// a message under the field at fault. Finish writes everything through `apply` (FirstStart::apply:
// one transaction); Cancel writes nothing.
class SetupWizard : public QWizard
{
    Q_OBJECT

public:
    enum Page { IntroPage, ShopPage, ManagerPage, SyncPage };
    using Apply =
        std::function<Result<Cashier>(const FirstStartSetup &, QHash<QString, QString> *)>;

    explicit SetupWizard(Apply apply, QWidget *parent = nullptr);

    bool syncChosen() const;
    // What the sync page accepted (only when syncChosen()).
    SyncConfig syncConfig() const { return m_syncConfig; }
    // The manager added at Finish (only when not syncChosen()).
    Cashier manager() const { return m_manager; }
    // The message under a field (its ShopSettings or FirstStart name, or sync-url, sync-token,
    // sync-cert, manager-pin-again); empty when none is shown.
    QString fieldError(const QString &field) const;

    int nextId() const override;
    bool validateCurrentPage() override;

private:
    QLineEdit *addField(QWidget *page, QFormLayout *form, const QString &label,
                        const QString &field, const QString &objectName);
    void showError(const QString &field, const QString &message);
    void clearErrors();
    bool checkShop();
    bool checkManager();
    bool checkSync();
    bool finish();

    Apply m_apply;
    QRadioButton *m_standalone = nullptr;
    QRadioButton *m_synced = nullptr;
    QHash<QString, QLineEdit *> m_fields;
    QHash<QString, QLabel *> m_errors;
    QLabel *m_currencyInfo = nullptr;
    QLabel *m_finishError = nullptr;
    SyncConfig m_syncConfig;
    Cashier m_manager;
};

// The start-up path's first step for a till without demo data (app/gui/main.cpp, before the first
// window): when the backend's database needs a set-up (no manager, not synced, no sync configured
// in QSettings) the wizard runs, and its Finish writes through the backend's worker.
enum class FirstStartRun { NotNeeded, SetUp, SyncConfigured, Cancelled, Failed };
FirstStartRun runFirstStartIfNeeded(TillBackend &backend, QString *error,
                                    QWidget *parent = nullptr);

} // namespace SafeTill
