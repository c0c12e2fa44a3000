#include "ShopSettingsDialog.h"

#include "Money.h"
#include "ShopContext.h"
#include "ShopSettings.h"
#include "SyncStore.h"
#include "TillBackend.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace SafeTill {

namespace {

const QString shopName = u"shop-name"_s;
const QString taxNumber = u"tax-number"_s;
const QString footer = u"footer"_s;
const QString currency = u"currency"_s;
const QString pricesIncludeTax = u"prices-include-tax"_s;
const QString cashRounding = u"cash-rounding"_s;
const QString defaultTax = u"default-tax"_s;

QString addressLine(int i)
{
    return u"address-line-%1"_s.arg(i + 1);
}

// The currency the form's amounts are in: the one typed, while it is a valid code; else the
// shop's.
Currency formCurrency(const QString &code)
{
    return currencyFromCode(code.trimmed().toUpper()).value_or(ShopContext::currency());
}

QLocale editingLocale()
{
    QLocale locale;
    locale.setNumberOptions(locale.numberOptions() | QLocale::OmitGroupSeparator);
    return locale;
}

} // namespace

ShopSettingsDialog::ShopSettingsDialog(TillBackend &backend, const Cashier &cashier,
                                       QWidget *parent)
    : QDialog(parent)
    , m_backend(backend)
    , m_cashier(cashier)
    , m_note(new QLabel(this))
    , m_name(new QLineEdit(this))
    , m_taxNumber(new QLineEdit(this))
    , m_footer(new QPlainTextEdit(this))
    , m_currency(new QLineEdit(this))
    , m_currencyInfo(new QLabel(this))
    , m_pricesIncludeTax(new QCheckBox(tr("Prices include tax"), this))
    , m_cashRounding(new QLineEdit(this))
    , m_defaultTax(new QComboBox(this))
    , m_buttons(new QDialogButtonBox(QDialogButtonBox::Save | QDialogButtonBox::Close, this))
{
    setObjectName(u"shopSettingsDialog"_s);
    setWindowTitle(tr("Shop settings"));
    m_note->setObjectName(u"shopSettingsNote"_s);
    m_note->setWordWrap(true);
    m_note->hide();
    m_name->setObjectName(u"shopName"_s);
    for (int i = 0; i < 3; ++i) {
        auto *line = new QLineEdit(this);
        line->setObjectName(u"addressLine%1"_s.arg(i + 1));
        m_address << line;
    }
    m_taxNumber->setObjectName(u"taxNumber"_s);
    m_footer->setObjectName(u"footer"_s);
    m_footer->setTabChangesFocus(true);
    m_footer->setFixedHeight(m_footer->fontMetrics().lineSpacing() * 4 + 12);
    m_currency->setObjectName(u"currency"_s);
    m_currency->setMaxLength(3);
    m_currency->setPlaceholderText(ShopSettings::defaultCurrency().code);
    m_currencyInfo->setObjectName(u"currencyInfo"_s);
    m_pricesIncludeTax->setObjectName(u"pricesIncludeTax"_s);
    m_pricesIncludeTax->setToolTip(
        tr("On: shelf prices include tax (most of the world). Off: tax is added at the till."));
    m_cashRounding->setObjectName(u"cashRounding"_s);
    m_cashRounding->setToolTip(tr("Cash totals are rounded to this step, e.g. 0.05; 0 for none."));
    m_defaultTax->setObjectName(u"defaultTax"_s);
    m_buttons->button(QDialogButtonBox::Save)->setObjectName(u"saveShopSettings"_s);
    m_buttons->button(QDialogButtonBox::Close)->setObjectName(u"closeShopSettings"_s);

    auto *form = new QFormLayout;
    // Each field with the line for its message under it.
    auto addRow = [this, form](const QString &label, QWidget *field, const QString &name) {
        auto *error = new QLabel(this);
        error->setObjectName(u"error-"_s + name);
        error->setWordWrap(true);
        error->setStyleSheet(u"color: #b00020;"_s);
        error->hide();
        m_errors.insert(name, error);
        auto *cell = new QVBoxLayout;
        cell->setSpacing(2);
        cell->addWidget(field);
        cell->addWidget(error);
        form->addRow(label, cell);
    };
    addRow(tr("Shop name"), m_name, shopName);
    for (int i = 0; i < 3; ++i)
        addRow(tr("Address line %1").arg(i + 1), m_address[i], addressLine(i));
    addRow(tr("Tax number"), m_taxNumber, taxNumber);
    addRow(tr("Receipt footer"), m_footer, footer);
    auto *currencyRow = new QWidget(this);
    auto *currencyLayout = new QHBoxLayout(currencyRow);
    currencyLayout->setContentsMargins(0, 0, 0, 0);
    currencyLayout->addWidget(m_currency);
    currencyLayout->addWidget(m_currencyInfo, 1);
    addRow(tr("Currency (ISO 4217)"), currencyRow, currency);
    addRow(QString(), m_pricesIncludeTax, pricesIncludeTax);
    addRow(tr("Cash rounding"), m_cashRounding, cashRounding);
    addRow(tr("Default tax"), m_defaultTax, defaultTax);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_note);
    layout->addLayout(form);
    layout->addWidget(m_buttons);

    connect(m_currency, &QLineEdit::textChanged, this, [this](const QString &text) {
        const QString code = text.trimmed().toUpper();
        if (code.isEmpty()) {
            m_currencyInfo->setText(tr("the default: %1").arg(m_currency->placeholderText()));
        } else if (const std::optional<Currency> known = currencyFromCode(code)) {
            m_currencyInfo->setText(tr("%1 · %n decimal(s)", nullptr, known->minorUnits)
                                        .arg(formatMoney(123456, *known)));
        } else {
            m_currencyInfo->setText(tr("not an ISO 4217 code in use"));
        }
    });
    connect(m_buttons, &QDialogButtonBox::accepted, this, &ShopSettingsDialog::save);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    setEditable(false);
    load();
}

QString ShopSettingsDialog::fieldError(const QString &name) const
{
    const QLabel *label = m_errors.value(name);
    return label && !label->isHidden() ? label->text() : QString();
}

void ShopSettingsDialog::setEditable(bool editable)
{
    m_editable = editable;
    for (QLineEdit *edit : {m_name, m_taxNumber, m_currency, m_cashRounding})
        edit->setReadOnly(!editable);
    for (QLineEdit *edit : std::as_const(m_address))
        edit->setReadOnly(!editable);
    m_footer->setReadOnly(!editable);
    m_pricesIncludeTax->setEnabled(editable);
    m_defaultTax->setEnabled(editable);
    m_buttons->button(QDialogButtonBox::Save)->setEnabled(editable && !m_saving);
}

void ShopSettingsDialog::load()
{
    const QString cashierId = m_cashier.id;
    m_backend.query(
        this,
        [cashierId](Services &services) -> Result<Form> {
            Form form;
            Result<QList<std::pair<QString, QString>>> values =
                ShopSettings(services.database()).values();
            if (!values)
                return Result<Form>::from(values);
            form.values = values.take();
            Result<QList<TaxRate>> rates = services.catalog().taxRates();
            if (!rates)
                return Result<Form>::from(rates);
            form.taxRates = rates.take();
            form.synced = SyncStore::isSyncedTerminal(services.database(), &form.serverUrl);
            // Who may change them is the model's rule (Approvals), not this dialog's.
            if (!cashierId.isEmpty())
                form.manager =
                    services.approvals().authorize(cashierId, Permission::ShopSettings).isOk();
            return Result<Form>::ok(form);
        },
        [this](const Result<Form> &form) {
            if (!form) {
                m_note->setText(form.message());
                m_note->show();
                return;
            }
            showForm(*form);
        });
}

void ShopSettingsDialog::showForm(const Form &form)
{
    m_stored.clear();
    for (const auto &[name, value] : form.values)
        m_stored.insert(name, value);
    m_name->setText(m_stored.value(shopName));
    for (int i = 0; i < 3; ++i)
        m_address[i]->setText(m_stored.value(addressLine(i)));
    m_taxNumber->setText(m_stored.value(taxNumber));
    m_footer->setPlainText(m_stored.value(footer));
    m_currency->setText(m_stored.value(currency));
    Q_EMIT m_currency->textChanged(m_currency->text()); // the info next to it, also when empty
    m_pricesIncludeTax->setChecked(m_stored.value(pricesIncludeTax) != u"no"_s);
    const Currency amounts = formCurrency(m_currency->text());
    m_cashRounding->setText(formatAmount(m_stored.value(cashRounding).toLongLong(),
                                         amounts.minorUnits, editingLocale()));
    m_defaultTax->clear();
    m_defaultTax->addItem(tr("None"), QString());
    for (const TaxRate &rate : form.taxRates)
        m_defaultTax->addItem(u"%1 · %2 (%3)"_s.arg(rate.code, rate.name, formatRate(rate.rateBp)),
                              rate.code);
    // A stored code whose rate is gone stays what it is until someone picks another.
    if (const QString code = m_stored.value(defaultTax);
        !code.isEmpty() && m_defaultTax->findData(code) < 0)
        m_defaultTax->addItem(code, code);
    m_defaultTax->setCurrentIndex(qMax(0, m_defaultTax->findData(m_stored.value(defaultTax))));

    m_loaded = true;
    if (form.synced) {
        // As SyncStore::serverIsSourceOfTruthMessage() says of cashiers and the catalog: the
        // server's settings come with every sync, so a change here would not last.
        m_note->setText(
            tr("This till syncs with %1: the shop's settings are managed on the "
               "server and come to this till with the next sync.")
                .arg(form.serverUrl.isEmpty() ? tr("a central server") : form.serverUrl));
    } else if (m_cashier.id.isEmpty()) {
        m_note->setText(tr("Log in as a manager to change the shop's settings."));
    } else if (!form.manager) {
        m_note->setText(tr("Only a manager can change the shop's settings; %1 is a cashier.")
                            .arg(m_cashier.name));
    }
    const bool editable = !form.synced && form.manager;
    m_note->setVisible(!editable);
    setEditable(editable);
}

QList<std::pair<QString, QString>> ShopSettingsDialog::edited() const
{
    QList<std::pair<QString, QString>> values;
    values.append({shopName, m_name->text()});
    for (int i = 0; i < 3; ++i)
        values.append({addressLine(i), m_address[i]->text()});
    values.append({taxNumber, m_taxNumber->text()});
    values.append({footer, m_footer->toPlainText()});
    values.append({currency, m_currency->text()});
    values.append({pricesIncludeTax, m_pricesIncludeTax->isChecked() ? u"yes"_s : u"no"_s});
    values.append({defaultTax, m_defaultTax->currentData().toString()});
    return values;
}

void ShopSettingsDialog::showError(const QString &name, const QString &message)
{
    if (QLabel *label = m_errors.value(name)) {
        label->setText(message);
        label->setVisible(!message.isEmpty());
    }
}

void ShopSettingsDialog::save()
{
    if (!m_loaded || !m_editable || m_saving)
        return;
    for (QLabel *label : std::as_const(m_errors))
        label->hide();
    // Only what differs from what was loaded: a field left alone is never written.
    QList<std::pair<QString, QString>> changes;
    for (const auto &[name, text] : edited()) {
        const QString stored = m_stored.value(name);
        const QString value = text.trimmed();
        const bool same = name == pricesIncludeTax
                              ? (stored == u"no"_s) == (value == u"no"_s)
                              : stored.compare(value, name == currency || name == defaultTax
                                                          ? Qt::CaseInsensitive
                                                          : Qt::CaseSensitive) == 0;
        if (!same)
            changes.append({name, value});
    }
    // Cash rounding is typed as an amount of the currency (0.05) and kept in its minor units (5).
    const Currency amounts = formCurrency(m_currency->text());
    const std::optional<Cents> step = parseAmount(m_cashRounding->text(), amounts.minorUnits);
    if (!step) {
        showError(cashRounding, tr("Cash rounding is an amount of %1 with at most %n decimal(s), "
                                   "such as %2 (0 for none), not \u201c%3\u201d.",
                                   nullptr, amounts.minorUnits)
                                    .arg(amounts.code,
                                         formatAmount(amounts.minorUnits >= 2 ? 5 : 10,
                                                      amounts.minorUnits, editingLocale()),
                                         m_cashRounding->text().left(20)));
    } else if (*step != m_stored.value(cashRounding).toLongLong()) {
        changes.append({cashRounding, QString::number(*step)});
    }
    if (changes.isEmpty()) {
        if (step)
            accept();
        return;
    }

    m_saving = true;
    setEditable(m_editable); // Save stays off until the answer is back
    const QString cashierId = m_cashier.id;
    const bool roundingRefused = !step;
    m_backend.act(
        this,
        [cashierId, changes](Services &services) -> Result<Saved> {
            // Checked again where the write happens: the role may have changed since the
            // dialog opened, and a till may have become synced.
            QString serverUrl;
            if (SyncStore::isSyncedTerminal(services.database(), &serverUrl))
                return Result<Saved>::invalidInput(
                    SyncStore::serverIsSourceOfTruthMessage(serverUrl));
            const Result<Authorization> allowed =
                services.approvals().authorize(cashierId, Permission::ShopSettings);
            if (!allowed)
                return Result<Saved>::failure(
                    allowed.outcome(),
                    allowed.outcome() == Outcome::Forbidden
                        ? ShopSettingsDialog::tr("Only a manager can change the shop's "
                                                 "settings. Nothing was changed.")
                        : allowed.message());
            Saved saved;
            ShopSettings settings(services.database());
            for (const auto &[name, value] : changes) {
                Result<QString> stored = settings.set(name, value);
                if (stored)
                    saved.stored.insert(name, *stored);
                else
                    saved.errors.insert(name, stored.message());
            }
            return Result<Saved>::ok(saved);
        },
        [this, roundingRefused](const Result<Saved> &result) {
            m_saving = false;
            setEditable(m_editable);
            if (!result) {
                m_note->setText(result.message());
                m_note->show();
                return;
            }
            for (auto it = result->stored.cbegin(); it != result->stored.cend(); ++it)
                m_stored.insert(it.key(), it.value());
            for (auto it = result->errors.cbegin(); it != result->errors.cend(); ++it)
                showError(it.key(), it.value());
            if (result->errors.isEmpty() && !roundingRefused) {
                Q_EMIT saved();
                accept();
            }
        });
}

} // namespace SafeTill
