#pragma once

#include "AuthStore.h"
#include "Database.h"
#include "HttpMessage.h"

#include <QStringList>

namespace SafeTill {

// Everything a worker needs to serve the API, fixed at start.
struct ApiConfig
{
    DatabaseOptions database;
    int tokenTtlSeconds = 12 * 3600;
    AuthStore::ThrottlePolicy throttle;
};

enum class Route {
    Health, // GET /healthz: liveness, answered by the server thread without the database
    Ready,  // GET /readyz: the database is reachable and its schema current
    Login,
    SignOut, // POST /api/auth/logout
    OpenOrder,
    GetCurrent,
    PutCurrent,
    AddItem,
    Logout,
    Complete,
    AssignTab,
    ListTabs,
    SettleTab,
    SyncPull, // terminal sync (SyncApi), device tokens only
    SyncPush,
};

// The API's handlers. They run on a worker thread of the server's pool, each thread with its own
// database connection (opened on first use, kept for the thread's life). handle() never throws:
// whatever goes wrong becomes a response.
class OrderApi
{
public:
    static HttpResponse handle(const ApiConfig &config, Route route, const HttpRequest &request,
                               const QStringList &parameters) noexcept;
    // GET /healthz: 200 while the process serves requests; nothing else is checked.
    static HttpResponse liveness();
    // Drops the calling thread's connection (at pool shutdown).
    static void releaseThreadDatabase();
};

} // namespace SafeTill
