#include "BackOfficeWindow.h"

#include "ProductsModel.h"
#include "Services.h"
#include "ShopContext.h"
#include "ShopSettingsDialog.h"
#include "Tax.h"
#include "TillBackend.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialog>
#include <QDialogButtonBox>
#include <QFile>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QRegularExpression>
#include <QSortFilterProxyModel>
#include <QTabWidget>
#include <QTableView>
#include <QTableWidget>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace SafeTill {

namespace {

QPushButton *button(QWidget *parent, const QString &text, const QString &objectName)
{
    auto *b = new QPushButton(text, parent);
    b->setObjectName(objectName);
    return b;
}

QLabel *errorLabel(QWidget *parent, const QString &objectName)
{
    auto *label = new QLabel(parent);
    label->setObjectName(objectName);
    label->setWordWrap(true);
    label->setForegroundRole(QPalette::LinkVisited);
    label->hide();
    return label;
}

void fillTable(QTableWidget *table, const QList<QStringList> &rows)
{
    table->setRowCount(int(rows.size()));
    for (int r = 0; r < rows.size(); ++r) {
        for (int c = 0; c < rows.at(r).size() && c < table->columnCount(); ++c) {
            auto *item = new QTableWidgetItem(rows.at(r).at(c));
            item->setFlags(item->flags() & ~Qt::ItemIsEditable);
            table->setItem(r, c, item);
        }
    }
}

QTableWidget *table(QWidget *parent, const QString &objectName, const QStringList &headers)
{
    auto *t = new QTableWidget(0, int(headers.size()), parent);
    t->setObjectName(objectName);
    t->setHorizontalHeaderLabels(headers);
    t->setSelectionBehavior(QAbstractItemView::SelectRows);
    t->setSelectionMode(QAbstractItemView::SingleSelection);
    t->horizontalHeader()->setStretchLastSection(true);
    t->verticalHeader()->hide();
    return t;
}

} // namespace

BackOfficeWindow::BackOfficeWindow(TillBackend &backend, const Authorization &authorization,
                                   QWidget *parent)
    : QWidget(parent, Qt::Window)
    , m_backend(backend)
    , m_authorization(authorization)
    , m_by(ChangeBy::from(authorization))
    , m_note(new QLabel(this))
    , m_status(new QLabel(this))
    , m_tabs(new QTabWidget(this))
    , m_products(new ProductsModel(this))
    , m_productsProxy(new QSortFilterProxyModel(this))
{
    setObjectName(u"backOfficeWindow"_s);
    setWindowTitle(authorization.approver
                       ? tr("Back office — %1 (approved by %2)")
                             .arg(authorization.actor.name, authorization.approver->name)
                       : tr("Back office — %1").arg(authorization.actor.name));
    resize(900, 600);
    m_note->setObjectName(u"backOfficeNote"_s);
    m_note->setWordWrap(true);
    m_note->hide();
    m_status->setObjectName(u"backOfficeStatus"_s);
    m_status->setWordWrap(true);
    m_tabs->setObjectName(u"backOfficeTabs"_s);
    m_tabs->addTab(productsTab(), tr("&Products"));
    m_tabs->addTab(categoriesTab(), tr("C&ategories"));
    m_tabs->addTab(importTab(), tr("&Import"));
    m_tabs->addTab(cashiersTab(), tr("Ca&shiers"));
    m_tabs->addTab(shopTab(), tr("S&hop"));
    m_tabs->addTab(historyTab(), tr("&History"));
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_note);
    layout->addWidget(m_tabs, 1);
    layout->addWidget(m_status);
    setReadOnly(true); // until the first load says otherwise
    connect(&m_backend, &TillBackend::changed, this, &BackOfficeWindow::reload);
    reload();
}

// --- loading ---------------------------------------------------------------------------------

void BackOfficeWindow::reload()
{
    m_backend.query(
        this,
        [](Services &services) -> Result<Snapshot> {
            Snapshot snapshot;
            Result<QList<CatalogProduct>> products = services.catalog().listAll();
            if (!products)
                return Result<Snapshot>::from(products);
            snapshot.products = products.take();
            Result<QStringList> categories = services.catalog().categories();
            if (!categories)
                return Result<Snapshot>::from(categories);
            snapshot.categories = categories.take();
            Result<QList<TaxRate>> rates = services.catalog().taxRates();
            if (!rates)
                return Result<Snapshot>::from(rates);
            snapshot.taxRates = rates.take();
            Result<QList<CashierService::Entry>> cashiers = services.cashiers().listAll();
            if (!cashiers)
                return Result<Snapshot>::from(cashiers);
            snapshot.cashiers = cashiers.take();
            Result<QList<BackOfficeChange>> history =
                BackOfficeHistory::entries(services.database(), 500);
            if (!history)
                return Result<Snapshot>::from(history);
            snapshot.history = history.take();
            Result<std::optional<QString>> owner =
                BackOfficeHistory::catalogOwner(services.database());
            if (!owner)
                return Result<Snapshot>::from(owner);
            snapshot.serverOwns = owner.take();
            return Result<Snapshot>::ok(snapshot);
        },
        [this](const Result<Snapshot> &snapshot) {
            if (!snapshot) {
                // Nothing can be changed while what is there is unknown.
                reportError(snapshot.message());
                setReadOnly(true);
                return;
            }
            showSnapshot(*snapshot);
        });
}

void BackOfficeWindow::showSnapshot(const Snapshot &snapshot)
{
    m_snapshot = snapshot;
    const std::optional<CatalogProduct> selected = selectedProduct();
    m_products->setProducts(snapshot.products);
    if (selected) {
        for (int row = 0; row < m_productsProxy->rowCount(); ++row) {
            const QModelIndex index = m_productsProxy->index(row, ProductsModel::Sku);
            if (index.data().toString() == selected->product.sku)
                m_productsView->selectRow(row);
        }
    }
    const QString category = selectedCategory();
    m_categories->clear();
    m_categories->addItems(snapshot.categories);
    if (const int row = int(snapshot.categories.indexOf(category)); row >= 0)
        m_categories->setCurrentRow(row);

    const std::optional<CashierService::Entry> cashier = selectedCashier();
    QList<QStringList> rows;
    for (const CashierService::Entry &entry : snapshot.cashiers)
        rows << QStringList{entry.cashier.name,
                            entry.cashier.role == Role::Manager ? tr("manager") : tr("cashier"),
                            entry.retired ? tr("retired") : tr("active")};
    fillTable(m_cashiers, rows);
    if (cashier) {
        for (int row = 0; row < snapshot.cashiers.size(); ++row) {
            if (snapshot.cashiers.at(row).cashier.id == cashier->cashier.id)
                m_cashiers->selectRow(row);
        }
    }

    rows.clear();
    for (const BackOfficeChange &change : snapshot.history)
        rows << QStringList{QLocale().toString(change.at.toLocalTime(), QLocale::ShortFormat),
                            change.actorName.isEmpty() ? tr("(set-up or command line)")
                                                       : change.actorName,
                            change.subjectKind,
                            change.subject,
                            change.action,
                            change.detail};
    fillTable(m_history, rows);

    m_loaded = true;
    m_note->setText(snapshot.serverOwns.value_or(QString()));
    m_note->setVisible(snapshot.serverOwns.has_value());
    setReadOnly(snapshot.serverOwns.has_value());
    Q_EMIT loaded();
}

void BackOfficeWindow::setReadOnly(bool readOnly)
{
    m_readOnly = readOnly;
    for (QWidget *control : std::as_const(m_writeControls))
        control->setEnabled(!readOnly && !m_busy);
}

void BackOfficeWindow::reportError(const QString &message)
{
    m_lastError = message;
    m_status->setText(message);
}

template<typename T, typename Job>
void BackOfficeWindow::change(Job job, std::function<void(bool)> done)
{
    if (m_busy || m_readOnly) {
        if (done)
            done(false);
        return;
    }
    m_busy = true;
    setReadOnly(m_readOnly);
    m_backend.act(this, std::move(job), [this, done](const Result<T> &result) {
        m_busy = false;
        setReadOnly(m_readOnly);
        if (result) {
            m_lastError.clear();
            m_status->setText(tr("Saved."));
        } else {
            reportError(result.message());
        }
        if (done)
            done(result.isOk());
        reload();
    });
}

// --- products --------------------------------------------------------------------------------

QWidget *BackOfficeWindow::productsTab()
{
    auto *tab = new QWidget(this);
    auto *search = new QLineEdit(tab);
    search->setObjectName(u"productSearch"_s);
    search->setPlaceholderText(tr("Search by SKU, name or category"));
    search->setClearButtonEnabled(true);
    search->setAccessibleName(tr("Search products"));
    m_productsProxy->setSourceModel(m_products);
    m_productsProxy->setFilterCaseSensitivity(Qt::CaseInsensitive);
    m_productsProxy->setFilterKeyColumn(-1);
    m_productsProxy->setSortRole(Qt::UserRole);
    m_productsView = new QTableView(tab);
    m_productsView->setObjectName(u"productsTable"_s);
    m_productsView->setModel(m_productsProxy);
    m_productsView->setSortingEnabled(true);
    m_productsView->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_productsView->setSelectionMode(QAbstractItemView::SingleSelection);
    m_productsView->horizontalHeader()->setStretchLastSection(true);
    m_productsView->verticalHeader()->hide();
    connect(search, &QLineEdit::textChanged, m_productsProxy,
            &QSortFilterProxyModel::setFilterFixedString);

    auto *add = button(tab, tr("&Add…"), u"addProduct"_s);
    auto *edit = button(tab, tr("&Edit…"), u"editProduct"_s);
    auto *retire = button(tab, tr("&Retire"), u"retireProduct"_s);
    retire->setToolTip(tr("Takes the product off the till. It is never deleted: its receipts and "
                          "reports keep showing it, and Restore puts it back."));
    auto *restore = button(tab, tr("Re&store"), u"restoreProduct"_s);
    m_writeControls << add << edit << retire << restore;
    connect(add, &QPushButton::clicked, this, [this] { editProduct(std::nullopt); });
    connect(edit, &QPushButton::clicked, this, [this] {
        if (const std::optional<CatalogProduct> product = selectedProduct())
            editProduct(product);
        else
            reportError(tr("Choose a product in the list first."));
    });
    connect(m_productsView, &QTableView::doubleClicked, this, [this] {
        if (const std::optional<CatalogProduct> product = selectedProduct(); product && !m_readOnly)
            editProduct(product);
    });
    for (QPushButton *action : {retire, restore}) {
        const bool retiring = action == retire;
        connect(action, &QPushButton::clicked, this, [this, retiring] {
            const std::optional<CatalogProduct> product = selectedProduct();
            if (!product) {
                reportError(tr("Choose a product in the list first."));
                return;
            }
            const QString sku = product->product.sku;
            const ChangeBy by = m_by;
            change<CatalogProduct>([sku, by, retiring](Services &services) {
                return retiring ? services.catalog().retire(sku, by)
                                : services.catalog().restore(sku, by);
            });
        });
    }
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(add);
    buttons->addWidget(edit);
    buttons->addWidget(retire);
    buttons->addWidget(restore);
    buttons->addStretch();
    auto *layout = new QVBoxLayout(tab);
    layout->addWidget(search);
    layout->addWidget(m_productsView, 1);
    layout->addLayout(buttons);
    return tab;
}

std::optional<CatalogProduct> BackOfficeWindow::selectedProduct() const
{
    const QModelIndexList rows = m_productsView->selectionModel()->selectedRows();
    if (rows.isEmpty())
        return std::nullopt;
    const QModelIndex source = m_productsProxy->mapToSource(rows.first());
    if (!source.isValid() || source.row() >= m_products->rowCount())
        return std::nullopt;
    return m_products->product(source.row());
}

void BackOfficeWindow::editProduct(const std::optional<CatalogProduct> &existing)
{
    auto *dialog = new QDialog(this);
    dialog->setObjectName(u"productDialog"_s);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setWindowTitle(existing ? tr("Edit %1").arg(existing->product.name)
                                    : tr("New product"));
    auto *sku = new QLineEdit(dialog);
    sku->setObjectName(u"productSku"_s);
    sku->setMaxLength(64);
    auto *name = new QLineEdit(dialog);
    name->setObjectName(u"productName"_s);
    auto *price = new QLineEdit(dialog);
    price->setObjectName(u"productPrice"_s);
    auto *category = new QComboBox(dialog);
    category->setObjectName(u"productCategory"_s);
    category->setEditable(true);
    category->addItem(QString());
    category->addItems(m_snapshot.categories);
    auto *tax = new QComboBox(dialog);
    tax->setObjectName(u"productTax"_s);
    tax->addItem(tr("None"), QString());
    for (const TaxRate &rate : std::as_const(m_snapshot.taxRates))
        tax->addItem(u"%1 · %2 (%3)"_s.arg(rate.code, rate.name, formatRate(rate.rateBp)),
                     rate.code);
    auto *openPrice =
        new QCheckBox(tr("Open price: the till asks for the price each time"), dialog);
    openPrice->setObjectName(u"productOpenPrice"_s);
    auto *error = errorLabel(dialog, u"productError"_s);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Save | QDialogButtonBox::Cancel, dialog);
    buttons->button(QDialogButtonBox::Save)->setObjectName(u"productSave"_s);
    if (existing) {
        sku->setText(existing->product.sku);
        sku->setReadOnly(true); // order lines name the product by it
        name->setText(existing->product.name);
        price->setText(ShopContext::amount(existing->product.priceCents));
        category->setCurrentText(existing->product.category);
        tax->setCurrentIndex(qMax(0, tax->findData(existing->product.taxCode)));
        openPrice->setChecked(existing->openPrice);
    }
    auto *form = new QFormLayout(dialog);
    form->addRow(tr("SKU / barcode"), sku);
    form->addRow(tr("Name"), name);
    form->addRow(tr("Price (%1)").arg(ShopContext::currency().code), price);
    form->addRow(tr("Category"), category);
    form->addRow(tr("Tax rate"), tax);
    form->addRow(openPrice);
    form->addRow(error);
    form->addRow(buttons);
    connect(buttons, &QDialogButtonBox::rejected, dialog, &QDialog::reject);
    connect(buttons, &QDialogButtonBox::accepted, dialog, [=, this] {
        const std::optional<Cents> cents = ShopContext::parse(price->text());
        if (!cents) {
            error->setText(tr("Price: \u201c%1\u201d is not an amount of %2, such as %3.")
                               .arg(price->text().left(20), ShopContext::currency().code,
                                    ShopContext::amount(250)));
            error->show();
            return;
        }
        CatalogProduct entry{Product{sku->text(), name->text(), *cents, category->currentText(),
                                     tax->currentData().toString()},
                             openPrice->isChecked(),
                             {}};
        const bool adding = !existing;
        const ChangeBy by = m_by;
        const QPointer<QDialog> open(dialog);
        buttons->setEnabled(false);
        m_backend.act(
            this,
            [entry, by, adding](Services &services) {
                return adding ? services.catalog().add(entry, by)
                              : services.catalog().update(entry, by);
            },
            [this, open, error, buttons](const Result<CatalogProduct> &result) {
                if (!open)
                    return;
                buttons->setEnabled(true);
                if (!result) {
                    reportError(result.message());
                    error->setText(result.message());
                    error->show();
                    return;
                }
                m_lastError.clear();
                m_status->setText(tr("Saved %1.").arg(result->product.name));
                open->accept();
                reload();
            });
    });
    dialog->open();
}

// --- categories ------------------------------------------------------------------------------

QWidget *BackOfficeWindow::categoriesTab()
{
    auto *tab = new QWidget(this);
    m_categories = new QListWidget(tab);
    m_categories->setObjectName(u"categoriesList"_s);
    m_categories->setAccessibleName(tr("Categories in their order on the till"));
    auto *up = button(tab, tr("Move &up"), u"categoryUp"_s);
    auto *down = button(tab, tr("Move &down"), u"categoryDown"_s);
    auto *name = new QLineEdit(tab);
    name->setObjectName(u"newCategory"_s);
    name->setPlaceholderText(tr("New category"));
    auto *add = button(tab, tr("Add &category"), u"addCategory"_s);
    m_writeControls << up << down << name << add;
    for (QPushButton *move : {up, down}) {
        const int delta = move == up ? -1 : 1;
        connect(move, &QPushButton::clicked, this, [this, delta] {
            const QString category = selectedCategory();
            if (category.isEmpty()) {
                reportError(tr("Choose a category in the list first."));
                return;
            }
            const ChangeBy by = m_by;
            change<QStringList>([category, delta, by](Services &services) {
                return services.catalog().moveCategory(category, delta, by);
            });
        });
    }
    connect(add, &QPushButton::clicked, this, [this, name] {
        const QString text = name->text();
        const ChangeBy by = m_by;
        change<QStringList>(
            [text, by](Services &services) { return services.catalog().addCategory(text, by); },
            [name](bool ok) {
                if (ok)
                    name->clear();
            });
    });
    auto *side = new QVBoxLayout;
    side->addWidget(up);
    side->addWidget(down);
    side->addStretch();
    auto *top = new QHBoxLayout;
    top->addWidget(m_categories, 1);
    top->addLayout(side);
    auto *bottom = new QHBoxLayout;
    bottom->addWidget(name, 1);
    bottom->addWidget(add);
    auto *layout = new QVBoxLayout(tab);
    layout->addWidget(new QLabel(tr("The till shows the categories in this order."), tab));
    layout->addLayout(top, 1);
    layout->addLayout(bottom);
    return tab;
}

QString BackOfficeWindow::selectedCategory() const
{
    const QListWidgetItem *item = m_categories->currentItem();
    return item ? item->text() : QString();
}

// --- import ----------------------------------------------------------------------------------

QWidget *BackOfficeWindow::importTab()
{
    auto *tab = new QWidget(this);
    auto *choose = button(tab, tr("Import a CSV &file…"), u"importFile"_s);
    m_writeControls << choose;
    m_importSummary = new QLabel(
        tr("A CSV file with the header sku,name,price_cents and optionally category and tax. "
           "New SKUs are added, known ones changed; a file with any problem imports nothing."),
        tab);
    m_importSummary->setObjectName(u"importSummary"_s);
    m_importSummary->setWordWrap(true);
    m_importErrors = table(tab, u"importErrors"_s, {tr("Line"), tr("Problem")});
    connect(choose, &QPushButton::clicked, this, [this] {
        const QString path = QFileDialog::getOpenFileName(this, tr("Import products"), QString(),
                                                          tr("CSV files (*.csv);;All files (*)"));
        if (path.isEmpty())
            return;
        QFile file(path);
        if (file.size() > CatalogService::maxImportBytes) {
            reportError(tr("%1 is larger than %2 MiB.")
                            .arg(path)
                            .arg(CatalogService::maxImportBytes / (1024 * 1024)));
            return;
        }
        if (!file.open(QIODevice::ReadOnly)) {
            reportError(tr("%1 cannot be read: %2").arg(path, file.errorString()));
            return;
        }
        importCsv(file.readAll());
    });
    auto *layout = new QVBoxLayout(tab);
    layout->addWidget(m_importSummary);
    layout->addWidget(choose, 0, Qt::AlignLeft);
    layout->addWidget(m_importErrors, 1);
    return tab;
}

void BackOfficeWindow::importCsv(const QByteArray &csv)
{
    if (m_busy || m_readOnly)
        return;
    m_busy = true;
    setReadOnly(m_readOnly);
    m_importErrors->setRowCount(0);
    const ChangeBy by = m_by;
    m_backend.act(
        this, [csv, by](Services &services) { return services.catalog().importCsv(csv, by); },
        [this](const Result<ImportSummary> &result) {
            m_busy = false;
            setReadOnly(m_readOnly);
            if (result) {
                m_lastError.clear();
                m_importSummary->setText(
                    tr("Imported: %1 added, %2 changed.").arg(result->added).arg(result->updated));
            } else {
                reportError(result.message());
                m_importSummary->setText(tr("Nothing was imported."));
                // The model's list: "line N: problem", one a line.
                static const QRegularExpression linePattern(u"line (\\d+): (.*)"_s);
                QList<QStringList> rows;
                for (const QString &part : result.message().split(u'\n')) {
                    const QRegularExpressionMatch match = linePattern.match(part);
                    rows << (match.hasMatch() ? QStringList{match.captured(1), match.captured(2)}
                                              : QStringList{QString(), part});
                }
                fillTable(m_importErrors, rows);
            }
            reload();
        });
}

// --- cashiers --------------------------------------------------------------------------------

QWidget *BackOfficeWindow::cashiersTab()
{
    auto *tab = new QWidget(this);
    m_cashiers = table(tab, u"cashiersTable"_s, {tr("Name"), tr("Role"), tr("Status")});
    auto *add = button(tab, tr("&Add…"), u"addCashier"_s);
    auto *pin = button(tab, tr("Reset &PIN…"), u"resetPin"_s);
    auto *role = button(tab, tr("Switch &role"), u"switchRole"_s);
    role->setToolTip(tr("A cashier becomes a manager, a manager a cashier."));
    auto *retire = button(tab, tr("&Retire"), u"retireCashier"_s);
    retire->setToolTip(tr("The cashier can no longer sign in; their sales keep their name."));
    m_writeControls << add << pin << role << retire;
    connect(add, &QPushButton::clicked, this, [this] { editCashier(std::nullopt); });
    connect(pin, &QPushButton::clicked, this, [this] {
        if (const std::optional<CashierService::Entry> cashier = selectedCashier())
            editCashier(cashier);
        else
            reportError(tr("Choose a cashier in the list first."));
    });
    connect(role, &QPushButton::clicked, this, [this] {
        const std::optional<CashierService::Entry> cashier = selectedCashier();
        if (!cashier) {
            reportError(tr("Choose a cashier in the list first."));
            return;
        }
        if (cashier->cashier.id == m_authorization.actor.id ||
            cashier->cashier.id == m_authorization.approvedById()) {
            reportError(tr("You cannot change your own role; ask another manager."));
            return;
        }
        const QString id = cashier->cashier.id;
        const Role next = cashier->cashier.role == Role::Manager ? Role::Cashier : Role::Manager;
        const ChangeBy by = m_by;
        change<Cashier>([id, next, by](Services &services) {
            return services.cashiers().setRole(id, next, by);
        });
    });
    connect(retire, &QPushButton::clicked, this, [this] {
        const std::optional<CashierService::Entry> cashier = selectedCashier();
        if (!cashier) {
            reportError(tr("Choose a cashier in the list first."));
            return;
        }
        if (cashier->cashier.id == m_authorization.actor.id) {
            reportError(tr("You cannot retire yourself; ask another manager."));
            return;
        }
        const QString id = cashier->cashier.id;
        const ChangeBy by = m_by;
        change<Cashier>(
            [id, by](Services &services) { return services.cashiers().retire(id, nullptr, by); });
    });
    auto *buttons = new QHBoxLayout;
    for (QPushButton *b : {add, pin, role, retire})
        buttons->addWidget(b);
    buttons->addStretch();
    auto *layout = new QVBoxLayout(tab);
    layout->addWidget(m_cashiers, 1);
    layout->addLayout(buttons);
    return tab;
}

std::optional<CashierService::Entry> BackOfficeWindow::selectedCashier() const
{
    const int row = m_cashiers->currentRow();
    if (row < 0 || row >= m_snapshot.cashiers.size() ||
        m_cashiers->selectionModel()->selectedRows().isEmpty())
        return std::nullopt;
    return m_snapshot.cashiers.at(row);
}

void BackOfficeWindow::editCashier(const std::optional<CashierService::Entry> &existing)
{
    auto *dialog = new QDialog(this);
    dialog->setObjectName(u"cashierDialog"_s);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setWindowTitle(existing ? tr("New PIN for %1").arg(existing->cashier.name)
                                    : tr("New cashier"));
    auto *name = new QLineEdit(dialog);
    name->setObjectName(u"cashierName"_s);
    auto *pin = new QLineEdit(dialog);
    pin->setObjectName(u"cashierPin"_s);
    auto *again = new QLineEdit(dialog);
    again->setObjectName(u"cashierPinAgain"_s);
    for (QLineEdit *edit : {pin, again}) {
        edit->setEchoMode(QLineEdit::Password);
        edit->setInputMethodHints(Qt::ImhDigitsOnly | Qt::ImhSensitiveData);
        edit->setMaxLength(12);
    }
    auto *role = new QComboBox(dialog);
    role->setObjectName(u"cashierRole"_s);
    role->addItem(tr("Cashier"), QVariant::fromValue(int(Role::Cashier)));
    role->addItem(tr("Manager"), QVariant::fromValue(int(Role::Manager)));
    auto *error = errorLabel(dialog, u"cashierError"_s);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Save | QDialogButtonBox::Cancel, dialog);
    buttons->button(QDialogButtonBox::Save)->setObjectName(u"cashierSave"_s);
    auto *form = new QFormLayout(dialog);
    if (existing) {
        name->setText(existing->cashier.name);
        name->setReadOnly(true);
        role->hide();
    }
    form->addRow(tr("Name"), name);
    form->addRow(tr("PIN (digits)"), pin);
    form->addRow(tr("PIN again"), again);
    if (!existing)
        form->addRow(tr("Role"), role);
    form->addRow(error);
    form->addRow(buttons);
    connect(buttons, &QDialogButtonBox::rejected, dialog, &QDialog::reject);
    connect(buttons, &QDialogButtonBox::accepted, dialog, [=, this] {
        if (pin->text() != again->text()) {
            error->setText(tr("PIN again: the two PINs differ; type the same PIN twice."));
            error->show();
            return;
        }
        const QString id = existing ? existing->cashier.id : QString();
        const QString newName = name->text();
        const QString newPin = pin->text();
        const Role newRole = Role(role->currentData().toInt());
        const ChangeBy by = m_by;
        const QPointer<QDialog> open(dialog);
        buttons->setEnabled(false);
        m_backend.act(
            this,
            [id, newName, newPin, newRole, by](Services &services) {
                return id.isEmpty() ? services.cashiers().add(newName, newPin, newRole, by)
                                    : services.cashiers().setPin(id, newPin, by);
            },
            [this, open, error, buttons, pin, again](const Result<Cashier> &result) {
                if (!open)
                    return;
                buttons->setEnabled(true);
                pin->clear();
                again->clear();
                if (!result) {
                    reportError(result.message());
                    error->setText(result.message());
                    error->show();
                    return;
                }
                m_lastError.clear();
                m_status->setText(tr("Saved %1.").arg(result->name));
                open->accept();
                reload();
            });
    });
    dialog->open();
}

// --- shop and history ------------------------------------------------------------------------

QWidget *BackOfficeWindow::shopTab()
{
    auto *tab = new QWidget(this);
    auto *open = button(tab, tr("Open the shop's &settings…"), u"openShopSettings"_s);
    connect(open, &QPushButton::clicked, this, [this] {
        // The settings' own dialog, with the same rights (its save asks Approvals again).
        auto *dialog = new ShopSettingsDialog(m_backend, m_authorization.manager(), this);
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        dialog->open();
    });
    auto *layout = new QVBoxLayout(tab);
    layout->addWidget(new QLabel(tr("The shop's name, address, tax number, receipt footer, "
                                    "currency, cash rounding and default tax."),
                                 tab));
    layout->addWidget(open, 0, Qt::AlignLeft);
    layout->addStretch();
    return tab;
}

QWidget *BackOfficeWindow::historyTab()
{
    auto *tab = new QWidget(this);
    m_history = table(tab, u"historyTable"_s,
                      {tr("When"), tr("Who"), tr("What"), tr("Which"), tr("Change"), tr("Detail")});
    auto *layout = new QVBoxLayout(tab);
    layout->addWidget(m_history);
    return tab;
}

} // namespace SafeTill
