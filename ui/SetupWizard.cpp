#include "SetupWizard.h"

#include "Money.h"
#include "PinHasher.h"
#include "Services.h"
#include "SettingsDialog.h"
#include "ShopSettings.h"
#include "TillBackend.h"
#include "Validation.h"

#include <QEventLoop>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QRadioButton>
#include <QSettings>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace SafeTill {

namespace {

const QString shopNameField = u"shop-name"_s;
const QString taxNumberField = u"tax-number"_s;
const QString currencyField = u"currency"_s;
const QString pinAgainField = u"manager-pin-again"_s;
const QString syncUrlField = u"sync-url"_s;
const QString syncTokenField = u"sync-token"_s;
const QString syncCertField = u"sync-cert"_s;

QString addressField(int i)
{
    return u"address-line-%1"_s.arg(i + 1);
}

QLabel *errorLabel(QWidget *parent, const QString &field)
{
    auto *label = new QLabel(parent);
    label->setObjectName(u"error-"_s + field);
    label->setWordWrap(true);
    // The palette's colour for links that were visited is a readable accent on light and dark
    // themes alike; the text says what is wrong, the colour only draws the eye.
    label->setForegroundRole(QPalette::LinkVisited);
    label->hide();
    return label;
}

// Runs job on the backend's worker and waits for its answer (the start-up path, before any window:
// the wizard is disabled meanwhile, so nothing is clicked twice).
template<typename T, typename Job> Result<T> waitFor(TillBackend &backend, Job job, bool act)
{
    std::optional<Result<T>> answer;
    QEventLoop loop;
    QObject context;
    const auto done = [&](const Result<T> &result) {
        answer = result;
        loop.quit();
    };
    if (act)
        backend.act(&context, std::move(job), done);
    else
        backend.query(&context, std::move(job), done);
    if (!answer)
        loop.exec();
    return *answer;
}

// What FirstStart::apply said: the manager, or the refused fields' messages.
struct Applied
{
    Cashier manager;
    QHash<QString, QString> errors;
};

} // namespace

SetupWizard::SetupWizard(Apply apply, QWidget *parent)
    : QWizard(parent)
    , m_apply(std::move(apply))
{
    setObjectName(u"setupWizard"_s);
    setWindowTitle(tr("Set up SafeTill"));
    setWizardStyle(QWizard::ClassicStyle);
    setOption(QWizard::NoBackButtonOnStartPage);

    // Intro: on its own, or synced with a server.
    auto *intro = new QWizardPage(this);
    intro->setTitle(tr("Welcome to SafeTill"));
    intro->setSubTitle(tr("This till has no manager yet. A few questions, and it is ready."));
    m_standalone = new QRadioButton(tr("This till runs on its own: set up the shop and its "
                                       "first manager here"),
                                    intro);
    m_standalone->setObjectName(u"setupStandalone"_s);
    m_standalone->setChecked(true);
    m_synced = new QRadioButton(tr("This till syncs with a SafeTill server, which manages the "
                                   "shop, the cashiers and the catalog"),
                                intro);
    m_synced->setObjectName(u"setupSynced"_s);
    auto *introLayout = new QVBoxLayout(intro);
    introLayout->addWidget(m_standalone);
    introLayout->addWidget(m_synced);
    introLayout->addStretch();
    setPage(IntroPage, intro);

    // The shop.
    auto *shop = new QWizardPage(this);
    shop->setTitle(tr("The shop"));
    shop->setSubTitle(
        tr("Printed at the top of every receipt; Settings → Shop… changes it later."));
    auto *shopForm = new QFormLayout(shop);
    addField(shop, shopForm, tr("Shop name"), shopNameField, u"setupShopName"_s);
    for (int i = 0; i < 3; ++i)
        addField(shop, shopForm, tr("Address line %1").arg(i + 1), addressField(i),
                 u"setupAddress%1"_s.arg(i + 1));
    addField(shop, shopForm, tr("Tax number"), taxNumberField, u"setupTaxNumber"_s);
    QLineEdit *currency =
        addField(shop, shopForm, tr("Currency (ISO 4217)"), currencyField, u"setupCurrency"_s);
    currency->setMaxLength(3);
    currency->setText(ShopSettings::defaultCurrency().code);
    m_currencyInfo = new QLabel(shop);
    m_currencyInfo->setObjectName(u"setupCurrencyInfo"_s);
    shopForm->addRow(QString(), m_currencyInfo);
    const auto describeCurrency = [this](const QString &text) {
        if (const std::optional<Currency> known = currencyFromCode(text.trimmed().toUpper()))
            m_currencyInfo->setText(tr("%1 · %n decimal(s)", nullptr, known->minorUnits)
                                        .arg(formatMoney(123456, *known)));
        else
            m_currencyInfo->setText(tr("not an ISO 4217 code in use"));
    };
    connect(currency, &QLineEdit::textChanged, this, describeCurrency);
    describeCurrency(currency->text());
    setPage(ShopPage, shop);

    // The first manager.
    auto *manager = new QWizardPage(this);
    manager->setTitle(tr("The first manager"));
    manager->setSubTitle(tr("A manager adds cashiers and products in the back office (Window → "
                            "Back Office…) and approves what a cashier may not do alone."));
    auto *managerForm = new QFormLayout(manager);
    addField(manager, managerForm, tr("Name"), FirstStart::managerNameField, u"setupManagerName"_s);
    for (const QString &field : {FirstStart::managerPinField, pinAgainField}) {
        QLineEdit *pin = addField(
            manager, managerForm, field == pinAgainField ? tr("PIN again") : tr("PIN (digits)"),
            field, field == pinAgainField ? u"setupPinAgain"_s : u"setupPin"_s);
        pin->setEchoMode(QLineEdit::Password);
        pin->setInputMethodHints(Qt::ImhDigitsOnly | Qt::ImhSensitiveData);
        pin->setMaxLength(ShopSettings::maxPinDigits);
    }
    m_finishError = errorLabel(manager, u"setup"_s);
    managerForm->addRow(m_finishError);
    manager->setFinalPage(true);
    setPage(ManagerPage, manager);

    // Sync.
    auto *sync = new QWizardPage(this);
    sync->setTitle(tr("The server"));
    sync->setSubTitle(tr("The server's administrator gives you its address and this till's "
                         "device token file (readable only by you: mode 0600)."));
    auto *syncForm = new QFormLayout(sync);
    QLineEdit *syncUrl =
        addField(sync, syncForm, tr("Server URL"), syncUrlField, u"setupSyncUrl"_s);
    syncUrl->setPlaceholderText(u"https://pos.example.com:8443"_s);
    QLabel *cleartext = SettingsDialog::cleartextWarning(syncUrl, sync);
    cleartext->setObjectName(u"setupSyncCleartextWarning"_s);
    syncForm->addRow(QString(), cleartext);
    addField(sync, syncForm, tr("Device token file"), syncTokenField, u"setupSyncToken"_s);
    addField(sync, syncForm, tr("Trusted certificate (optional)"), syncCertField,
             u"setupSyncCert"_s)
        ->setPlaceholderText(tr("PEM file, for a server with its own certificate"));
    sync->setFinalPage(true);
    setPage(SyncPage, sync);

    setStartId(IntroPage);
}

QLineEdit *SetupWizard::addField(QWidget *page, QFormLayout *form, const QString &label,
                                 const QString &field, const QString &objectName)
{
    auto *edit = new QLineEdit(page);
    edit->setObjectName(objectName);
    edit->setAccessibleName(label);
    QLabel *error = errorLabel(page, field);
    auto *cell = new QVBoxLayout;
    cell->setSpacing(2);
    cell->addWidget(edit);
    cell->addWidget(error);
    form->addRow(label, cell);
    m_fields.insert(field, edit);
    m_errors.insert(field, error);
    return edit;
}

bool SetupWizard::syncChosen() const
{
    return m_synced->isChecked();
}

QString SetupWizard::fieldError(const QString &field) const
{
    const QLabel *label = field == u"setup"_s ? m_finishError : m_errors.value(field);
    return label && !label->isHidden() ? label->text() : QString();
}

int SetupWizard::nextId() const
{
    switch (currentId()) {
    case IntroPage:
        return syncChosen() ? SyncPage : ShopPage;
    case ShopPage:
        return ManagerPage;
    default:
        return -1;
    }
}

void SetupWizard::showError(const QString &field, const QString &message)
{
    QLabel *label = field == u"setup"_s ? m_finishError : m_errors.value(field);
    if (!label)
        label = m_finishError;
    label->setText(message);
    label->setVisible(!message.isEmpty());
    if (QLineEdit *edit = m_fields.value(field); edit && !message.isEmpty())
        edit->setAccessibleDescription(message);
}

void SetupWizard::clearErrors()
{
    for (QLabel *label : std::as_const(m_errors))
        label->hide();
    m_finishError->hide();
}

bool SetupWizard::validateCurrentPage()
{
    clearErrors();
    switch (currentId()) {
    case ShopPage:
        return checkShop();
    case ManagerPage:
        return checkManager() && finish();
    case SyncPage:
        return checkSync();
    default:
        return true;
    }
}

bool SetupWizard::checkShop()
{
    bool ok = true;
    const QString name = normalizedName(m_fields.value(shopNameField)->text());
    if (name.isEmpty()) {
        showError(shopNameField, tr("Shop name: type the name printed on the receipts."));
        ok = false;
    }
    const QString code = m_fields.value(currencyField)->text().trimmed().toUpper();
    if (!currencyFromCode(code)) {
        showError(currencyField, tr("Currency: \u201c%1\u201d is not an ISO 4217 code in use; "
                                    "type one such as EUR, USD, GBP or CHF.")
                                     .arg(code.left(3)));
        ok = false;
    }
    return ok;
}

bool SetupWizard::checkManager()
{
    bool ok = true;
    const QString name = normalizedName(m_fields.value(FirstStart::managerNameField)->text());
    if (const QString problem = checkName(name, tr("The manager's name"), Limits::maxNameLength);
        !problem.isEmpty()) {
        showError(FirstStart::managerNameField, problem);
        ok = false;
    }
    const QString pin = m_fields.value(FirstStart::managerPinField)->text();
    QString problem = PinHasher::validate(pin);
    if (problem.isEmpty())
        problem = ShopSettings::pinPolicyProblem(pin, ShopSettings::defaultMinPinDigits);
    if (problem.isEmpty())
        problem = FirstStart::managerPinProblem(pin);
    if (!problem.isEmpty()) {
        showError(FirstStart::managerPinField, problem);
        ok = false;
    } else if (m_fields.value(pinAgainField)->text() != pin) {
        showError(pinAgainField, tr("PIN again: the two PINs differ; type the same PIN twice."));
        ok = false;
    }
    return ok;
}

bool SetupWizard::finish()
{
    FirstStartSetup setup;
    for (const QString &field :
         {shopNameField, addressField(0), addressField(1), addressField(2), taxNumberField})
        setup.shop.append({field, m_fields.value(field)->text().trimmed()});
    setup.shop.append({currencyField, m_fields.value(currencyField)->text().trimmed().toUpper()});
    setup.managerName = m_fields.value(FirstStart::managerNameField)->text();
    setup.managerPin = m_fields.value(FirstStart::managerPinField)->text();
    QHash<QString, QString> errors;
    const Result<Cashier> manager = m_apply(setup, &errors);
    if (manager) {
        m_manager = *manager;
        return true;
    }
    for (auto it = errors.cbegin(); it != errors.cend(); ++it)
        showError(it.key(), it.value());
    showError(u"setup"_s, manager.message());
    return false;
}

bool SetupWizard::checkSync()
{
    QString error;
    const std::optional<QUrl> url =
        SyncConfig::parseServerUrl(m_fields.value(syncUrlField)->text().trimmed(), &error);
    if (!url) {
        showError(syncUrlField, error);
        return false;
    }
    const QString tokenFile = m_fields.value(syncTokenField)->text().trimmed();
    if (!SyncConfig::readToken(tokenFile, &error)) {
        showError(syncTokenField, error);
        return false;
    }
    const QString certFile = m_fields.value(syncCertField)->text().trimmed();
    if (!SyncConfig::readTrustedCertificates(certFile, &error)) {
        showError(syncCertField, error);
        return false;
    }
    // SyncConfig::save() stores the paths absolute (as Settings -> Sync... does).
    m_syncConfig = SyncConfig{*url, tokenFile, certFile};
    return true;
}

FirstStartRun runFirstStartIfNeeded(TillBackend &backend, QString *error, QWidget *parent)
{
    if (SyncConfig::load(QSettings()).isConfigured())
        return FirstStartRun::NotNeeded; // the server's cashiers come with the sync
    const Result<bool> needed = waitFor<bool>(
        backend, [](Services &services) { return FirstStart::needed(services.database()); }, false);
    if (!needed) {
        *error = needed.message();
        return FirstStartRun::Failed;
    }
    if (!*needed)
        return FirstStartRun::NotNeeded;
    SetupWizard *wizardPointer = nullptr;
    SetupWizard wizard(
        [&backend, &wizardPointer](const FirstStartSetup &setup, QHash<QString, QString> *errors) {
            wizardPointer->setEnabled(false);
            const Result<Applied> applied = waitFor<Applied>(
                backend,
                [setup](Services &services) -> Result<Applied> {
                    Applied answer;
                    const Result<Cashier> manager =
                        FirstStart::apply(services.database(), setup, &answer.errors);
                    if (!manager)
                        return Result<Applied>::failure(manager.outcome(), manager.message(),
                                                        answer);
                    answer.manager = *manager;
                    return Result<Applied>::ok(answer);
                },
                true);
            wizardPointer->setEnabled(true);
            if (applied.value())
                *errors = applied.value()->errors;
            if (!applied)
                return Result<Cashier>::failure(applied.outcome(), applied.message());
            return Result<Cashier>::ok(applied->manager);
        },
        parent);
    wizardPointer = &wizard;
    if (wizard.exec() != QDialog::Accepted)
        return FirstStartRun::Cancelled;
    if (wizard.syncChosen()) {
        QSettings settings;
        wizard.syncConfig().save(settings);
        settings.sync();
        return FirstStartRun::SyncConfigured;
    }
    return FirstStartRun::SetUp;
}

} // namespace SafeTill
