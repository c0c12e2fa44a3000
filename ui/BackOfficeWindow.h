#pragma once

#include "Approvals.h"
#include "BackOfficeHistory.h"
#include "CashierService.h"
#include "CatalogService.h"

#include <QWidget>

class QCheckBox;
class QComboBox;
class QDialog;
class QLabel;
class QLineEdit;
class QListWidget;
class QPushButton;
class QSortFilterProxyModel;
class QTabWidget;
class QTableView;
class QTableWidget;

namespace SafeTill {

class ProductsModel;
class TillBackend;

// Window → Back Office… (issue 16): a manager's (or an approved cashier's) screens for the
// products (add, edit, retire — never delete — and restore, with a search), the categories'
// order on the till, a CSV import with its line-numbered problems, the cashiers (add, retire,
// reset PIN, role), the shop's settings and the history of these changes. Every change is one
// model call (CatalogService, CashierService: one transaction with a history entry naming who
// made it and who approved it). On a till that syncs with a server the screens are read-only with
// a note, and the model refuses the writes too.
class BackOfficeWindow : public QWidget
{
    Q_OBJECT

public:
    // authorization: Approvals::authorize(…, Permission::BackOffice) for the cashier who opened it.
    BackOfficeWindow(TillBackend &backend, const Authorization &authorization,
                     QWidget *parent = nullptr);

    bool isLoaded() const { return m_loaded; }
    bool isReadOnly() const { return m_readOnly; }
    bool isBusy() const { return m_busy; }
    // Imports CSV text as the Import tab's button does after choosing a file.
    void importCsv(const QByteArray &csv);
    // The message of the last action refused or failed ("" after a success).
    QString lastError() const { return m_lastError; }

    struct Snapshot
    {
        QList<CatalogProduct> products;
        QStringList categories;
        QList<TaxRate> taxRates;
        QList<CashierService::Entry> cashiers;
        QList<BackOfficeChange> history;
        std::optional<QString> serverOwns;
    };

Q_SIGNALS:
    // A reload finished (after opening and after every change).
    void loaded();

private:
    void reload();
    void showSnapshot(const Snapshot &snapshot);
    void setReadOnly(bool readOnly);
    // Runs a change on the worker; done(true) after a success (then everything is read again).
    template<typename T, typename Job> void change(Job job, std::function<void(bool)> done = {});
    void reportError(const QString &message);

    QWidget *productsTab();
    QWidget *categoriesTab();
    QWidget *importTab();
    QWidget *cashiersTab();
    QWidget *shopTab();
    QWidget *historyTab();

    void editProduct(const std::optional<CatalogProduct> &product);
    std::optional<CatalogProduct> selectedProduct() const;
    void editCashier(const std::optional<CashierService::Entry> &cashier);
    std::optional<CashierService::Entry> selectedCashier() const;
    QString selectedCategory() const;

    TillBackend &m_backend;
    Authorization m_authorization;
    ChangeBy m_by;
    Snapshot m_snapshot;
    bool m_loaded = false;
    bool m_readOnly = false;
    bool m_busy = false;
    QString m_lastError;

    QLabel *m_note;
    QLabel *m_status;
    QTabWidget *m_tabs;
    ProductsModel *m_products;
    QSortFilterProxyModel *m_productsProxy;
    QTableView *m_productsView;
    QListWidget *m_categories;
    QTableWidget *m_importErrors;
    QLabel *m_importSummary;
    QTableWidget *m_cashiers;
    QTableWidget *m_history;
    QList<QWidget *> m_writeControls; // off on a synced till and while a change runs
};

} // namespace SafeTill
