#pragma once

#include "AuthStore.h"
#include "Database.h"
#include "HttpMessage.h"

#include <QStringList>

#include <optional>

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
    AddDiscount,  // POST /api/order-sessions/current/discounts
    SetLinePrice, // PUT /api/order-sessions/current/lines/{lineId}/price
    PayOrder,     // POST /api/order-sessions/current/payments: one tender of a split tender
    PayTab,       // POST /api/tabs/{id}/payments
    SyncPull,     // terminal sync (SyncApi), device tokens only
    SyncPush,
    Refund,     // POST /api/refunds (issue 15, server/RefundApi.h)
    VoidSale,   // POST /api/voids
    Refundable, // GET /api/receipts/{receiptNo}/refundable
    // Reports for managers (issue 15, server/ReportApi.h).
    DayReport,    // GET /api/reports/day?date=YYYY-MM-DD
    ListShifts,   // GET /api/shifts?till=&status=
    ShiftZReport, // GET /api/shifts/{id}/z-report
};

// The API's handlers. They run on a worker thread of the server's pool, each thread with its own
// database connection (opened on first use, kept for the thread's life). handle() never throws:
// whatever goes wrong becomes a response.
class OrderApi
{
public:
    static HttpResponse handle(const ApiConfig &config, Route route, const HttpRequest &request,
                               const QStringList &parameters) noexcept;
    // Whether a request's bearer token is a valid user token known to the short token cache: a
    // lookup without the database, cheap enough for the server's thread.
    static bool callerCached(const HttpRequest &request);
    // On a worker: the 401/403 (or 503) a request's caller gets, exactly as its handler would
    // answer it, or nullopt when the token is a valid user token (then cached). A write is
    // queued for the group commit only after this, so bad tokens never take writer time.
    static std::optional<HttpResponse> refusalForCaller(const ApiConfig &config,
                                                        const HttpRequest &request) noexcept;
    // GET /healthz: 200 while the process serves requests; nothing else is checked.
    static HttpResponse liveness();
    // Drops the calling thread's connection (at pool shutdown).
    static void releaseThreadDatabase();
};

} // namespace SafeTill
