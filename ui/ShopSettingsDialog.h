#pragma once

#include "Tax.h"
#include "Types.h"

#include <QDialog>
#include <QHash>

class QCheckBox;
class QComboBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;

namespace SafeTill {

class TillBackend;

// Settings → Shop…: the shop's name, address, tax number, receipt footer, currency, pricing mode,
// cash rounding and default tax (ShopSettings). Read and saved on the worker thread. Only a
// manager may save (the role is read again from the database, on the worker, when saving); for
// anyone else, and on a till that syncs with a server (which owns these settings), it is
// read-only with a note saying why. Each field is saved on its own (ShopSettings::set): a field
// refused shows its message under it and keeps its stored value, the others are saved.
class ShopSettingsDialog : public QDialog
{
    Q_OBJECT

public:
    // cashier: who is logged in in the window it was opened from (an empty id: nobody).
    ShopSettingsDialog(TillBackend &backend, const Cashier &cashier, QWidget *parent = nullptr);

    // Loaded, and this cashier may change the settings here.
    bool isEditable() const { return m_editable; }
    bool isLoaded() const { return m_loaded; }
    bool isSaving() const { return m_saving; }
    // The message under a field after a refused save (its ShopSettings name); empty otherwise.
    QString fieldError(const QString &name) const;

    // The loaded form: each setting's value as ShopSettings stores it, the tax rates to choose
    // the default from, and who may save.
    struct Form
    {
        QList<std::pair<QString, QString>> values;
        QList<TaxRate> taxRates;
        bool synced = false;
        QString serverUrl;
        bool manager = false;
    };
    // After a save: the refused fields' messages, and the values stored for the others.
    struct Saved
    {
        QHash<QString, QString> errors;
        QHash<QString, QString> stored;
    };

Q_SIGNALS:
    // A save finished and stored every field (the dialog then closes).
    void saved();

private:
    void load();
    void showForm(const Form &form);
    void save();
    // The setting names and what the form says for each now.
    QList<std::pair<QString, QString>> edited() const;
    void setEditable(bool editable);
    void showError(const QString &name, const QString &message);

    TillBackend &m_backend;
    Cashier m_cashier;
    QHash<QString, QString> m_stored; // as loaded (and as saved since)
    bool m_loaded = false;
    bool m_editable = false;
    bool m_saving = false;

    QLabel *m_note;
    QLineEdit *m_name;
    QList<QLineEdit *> m_address;
    QLineEdit *m_taxNumber;
    QPlainTextEdit *m_footer;
    QLineEdit *m_currency;
    QLabel *m_currencyInfo;
    QCheckBox *m_pricesIncludeTax;
    QLineEdit *m_cashRounding;
    QComboBox *m_defaultTax;
    QHash<QString, QLabel *> m_errors; // by setting name
    QDialogButtonBox *m_buttons;
};

} // namespace SafeTill
