#pragma once

#include "Database.h"

#include <QObject>
#include <QPointer>

#include <memory>

namespace SafeTill {

class MainWindow;
class TabsWindow;
class TillBackend;

// The GUI's wiring: one backend (worker thread + connection) shared by all of this process's
// windows; Window → New Window opens another till window on the same database.
class TillApplication : public QObject
{
    Q_OBJECT

public:
    // Opens the database; on failure returns nullptr and sets *error.
    static std::unique_ptr<TillApplication> create(const DatabaseOptions &options,
                                                   const QString &demoHint, QString *error);
    ~TillApplication() override;

    MainWindow *newWindow();
    TabsWindow *showTabs();
    TillBackend &backend() { return *m_backend; }
    QList<MainWindow *> windows() const;

private:
    TillApplication() = default;

    std::unique_ptr<TillBackend> m_backend;
    QString m_demoHint;
    QList<QPointer<MainWindow>> m_windows;
    QPointer<TabsWindow> m_tabs;
};

} // namespace SafeTill
