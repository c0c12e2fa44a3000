#include "TillApplication.h"

#include "MainWindow.h"
#include "TabsWindow.h"
#include "TillBackend.h"

namespace SafeTill {

std::unique_ptr<TillApplication> TillApplication::create(const DatabaseOptions &options,
                                                         const QString &demoHint, QString *error)
{
    std::unique_ptr<TillApplication> app(new TillApplication);
    app->m_backend = TillBackend::open(options, error);
    if (!app->m_backend)
        return nullptr;
    app->m_demoHint = demoHint;
    return app;
}

TillApplication::~TillApplication()
{
    // Windows hold references to the backend: close them before it goes.
    for (const QPointer<MainWindow> &window : std::as_const(m_windows))
        delete window.data();
    delete m_tabs.data();
}

MainWindow *TillApplication::newWindow()
{
    auto *window = new MainWindow(*m_backend, m_demoHint);
    connect(window, &MainWindow::newWindowRequested, this, &TillApplication::newWindow);
    connect(window, &MainWindow::tabsWindowRequested, this, &TillApplication::showTabs);
    m_windows.removeAll(nullptr);
    m_windows << window;
    window->show();
    return window;
}

TabsWindow *TillApplication::showTabs()
{
    if (!m_tabs) {
        m_tabs = new TabsWindow(*m_backend);
        m_tabs->setAttribute(Qt::WA_DeleteOnClose);
    }
    m_tabs->show();
    m_tabs->raise();
    m_tabs->activateWindow();
    return m_tabs;
}

QList<MainWindow *> TillApplication::windows() const
{
    QList<MainWindow *> open;
    for (const QPointer<MainWindow> &window : m_windows) {
        if (window)
            open << window;
    }
    return open;
}

} // namespace SafeTill
