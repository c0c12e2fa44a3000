#pragma once

#include "ReviewStore.h"

#include <QAbstractTableModel>
#include <QWidget>

#include <optional>

class QCheckBox;
class QComboBox;
class QLineEdit;
class QPushButton;
class QTableView;
class QTextBrowser;

namespace SafeTill {

class MessageBar;
class TillBackend;

// The review list's rows: newest first, as ReviewStore::list() returns them.
class ReviewModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column {
        WhenColumn,
        KindColumn,
        OrderColumn,
        DifferenceColumn,
        StatusColumn,
        ColumnCount
    };
    using QAbstractTableModel::QAbstractTableModel;

    void setItems(const QList<ReviewItem> &items);
    const QList<ReviewItem> &items() const { return m_items; }
    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    QList<ReviewItem> m_items;
};

// What sync could not settle alone (docs/sync-protocol.md, "review list"), for a manager: each
// case in domain words — what was paid, what changed — and a decision to record. The money is
// booked already; resolving only records who decided what.
class ReviewWindow : public QWidget
{
    Q_OBJECT

public:
    explicit ReviewWindow(TillBackend &backend, QWidget *parent = nullptr);

    void reload();
    // Prefills "Resolved by" with the logged-in cashier's name when the field is still empty.
    void suggestResolver(const QString &name);
    ReviewModel *model() const { return m_model; }
    MessageBar *messageBar() const { return m_messages; }
    bool resolveInFlight() const { return m_busy; }

private:
    void showDetails();
    void fillResolutions(const std::optional<ReviewItem> &item);
    void updateResolveButton();
    void resolveSelected();
    void resolve(const QString &id, const QString &resolution, const QString &note,
                 const QString &resolvedBy);
    std::optional<ReviewItem> selectedItem() const;

    TillBackend &m_backend;
    ReviewModel *m_model;
    QCheckBox *m_showResolved;
    QTableView *m_view;
    QTextBrowser *m_details;
    QComboBox *m_resolution;
    QLineEdit *m_note;
    QLineEdit *m_resolvedBy;
    QPushButton *m_resolve;
    MessageBar *m_messages;
    QString m_formItemId; // the item the resolution form was filled for
    bool m_busy = false;
    bool m_reloading = false;
    bool m_reloadAgain = false;
};

} // namespace SafeTill
