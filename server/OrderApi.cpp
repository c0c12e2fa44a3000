#include "OrderApi.h"

#include "ActionJournal.h"
#include "ApiJson.h"
#include "CashierService.h"
#include "Digest.h"
#include "ItemsJson.h"
#include "Json.h"
#include "Migrations.h"
#include "OrderService.h"
#include "PinHasher.h"
#include "RefundApi.h"
#include "ReportApi.h"
#include "ServerLogging.h"
#include "ServerMetrics.h"
#include "Services.h"
#include "SyncApi.h"
#include "TabService.h"
#include "Validation.h"
#include "WriteBatcher.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QThreadStorage>
#include <QUuid>

#include <cmath>
#include <memory>
#include <mutex>
#include <optional>

using namespace Qt::StringLiterals;

namespace SafeTill {

namespace {

// Each worker thread's connection and the services on it (the server's: no outbox rows), deleted
// when the thread finishes. QThreadStorage (not thread_local): Qt destroys it inside QThread's own
// finish, before QThread::wait() returns. A thread_local is destroyed later, at pthread exit, where
// it raced with the process's exit and crashed in Qt SQL's destroyed globals
// (QThreadPool::waitForDone() ends idle threads).
QThreadStorage<Services *> t_services;

constexpr qsizetype maxIdempotencyKeyLength = 64;

std::mutex sqliteWriterMutex;

// Routes whose work is a write transaction: the group commit's, and sync pushes (login is not:
// its slow PIN hash must not hold up the writers).
bool isWrite(Route route)
{
    return WriteBatcher::isBatched(route) || route == Route::SyncPush;
}

// The token of an "Authorization: Bearer <token>" header; empty without one.
QString bearerToken(const HttpRequest &request)
{
    const QByteArray header = request.header("authorization").trimmed();
    if (header.size() > 7 && header.left(7).compare("Bearer ", Qt::CaseInsensitive) == 0)
        return QString::fromLatin1(header.mid(7).trimmed());
    return {};
}

QString newRequestId()
{
    return QUuid::createUuid().toString(QUuid::WithoutBraces);
}

// A failure on the way to a handler's real work (bad header, bad body, no token) is returned
// as the response that refuses the request: the steps return a Checked<T> (ApiJson.h, where the
// request parsers live too) or a std::optional<HttpResponse>, and the handler returns the refusal
// as its answer.

// GET /readyz when the server cannot serve: 503 saying what is wrong, for a load balancer or a
// monitor (and a person reading it).
HttpResponse notReady(const QString &database, const QString &message, const QJsonObject &more = {})
{
    QJsonObject extra = more;
    extra.insert(u"status"_s, u"unavailable"_s);
    extra.insert(u"database"_s, database);
    HttpResponse response = HttpResponse::error(503, u"not_ready"_s, message, extra);
    response.addHeader("Retry-After", "1");
    return response;
}

// Not ready: the database's schema is not the one this build needs (another process migrated the
// shared database further, or a restore brought an older one back).
HttpResponse schemaMismatch(int version, int expected)
{
    qCWarning(lcServer) << "readiness: schema version" << version << "but this server needs"
                        << expected;
    return notReady(
        u"schema_mismatch"_s,
        u"The database schema is at version %1; this server needs %2."_s.arg(version).arg(expected),
        {{u"schema_version"_s, version}, {u"expected_schema_version"_s, expected}});
}

// A path's id (a tab's, a line's) that cannot name anything: 404 "There is no such <what>.",
// answered after the caller is known (Handler::readChange).
std::optional<HttpResponse> malformedId(const QString &id, const QString &what)
{
    if (!id.isEmpty() && id.size() <= 64)
        return std::nullopt;
    return HttpResponse::error(404, u"not_found"_s, u"There is no such %1."_s.arg(what));
}

HttpResponse busyResponse(const QString &message)
{
    HttpResponse response = HttpResponse::error(503, u"busy"_s, message);
    response.addHeader("Retry-After", "1");
    return response;
}

// The body of a successful answer: apiJson(value) as compact JSON (an order's written directly).
template<typename T> QByteArray answerBody(const T &value)
{
    return QJsonDocument(apiJson(value)).toJson(QJsonDocument::Compact);
}

QByteArray answerBody(const Order &order)
{
    return apiJsonText(order);
}

// Maps a model result to the API's answer. ifMatchGiven: the caller named a version, so an order
// that is no longer active is a conflict with what the caller saw (409 with it) rather than
// "there is no current order" (404).
template<typename T>
HttpResponse fromResult(const Result<T> &result, bool ifMatchGiven, const QString &member)
{
    auto withCurrent = [&]() {
        QJsonObject extra;
        if (result.value())
            extra.insert(member, apiJson(*result.value()));
        return extra;
    };
    switch (result.outcome()) {
    case Outcome::Ok: {
        HttpResponse response = HttpResponse::json(200, answerBody(*result));
        response.addHeader("ETag", '"' + QByteArray::number(result->version) + '"');
        if (result.replayed())
            response.addHeader("Idempotent-Replayed", "true");
        return response;
    }
    case Outcome::NotFound:
        return HttpResponse::error(404, u"not_found"_s, result.message());
    case Outcome::Conflict:
        return HttpResponse::error(409, u"conflict"_s, result.message(), withCurrent());
    case Outcome::InvalidState:
        if (ifMatchGiven || member != u"order"_s)
            return HttpResponse::error(409, u"invalid_state"_s, result.message(), withCurrent());
        return HttpResponse::error(404, u"not_found"_s,
                                   u"There is no active order: %1"_s.arg(result.message()));
    case Outcome::InvalidInput:
        return HttpResponse::error(422, u"invalid_input"_s, result.message());
    case Outcome::Forbidden:
        return HttpResponse::error(403, u"forbidden"_s, result.message());
    case Outcome::Busy:
        return busyResponse(result.message());
    case Outcome::Error:
        if (result.unavailable()) {
            qCWarning(lcServer).noquote() << "database unavailable:" << result.detail();
            return databaseUnavailable();
        }
        qCWarning(lcServer).noquote() << "database error:" << result.detail();
        return HttpResponse::error(500, u"internal"_s,
                                   u"The server could not complete the request; nothing was "
                                   "changed."_s);
    }
    return HttpResponse::error(500, u"internal"_s, u"Unknown outcome."_s);
}

// Failures of lookups that have no value to show (token checks, throttle bookkeeping).
template<typename T> HttpResponse fromFailure(const Result<T> &result)
{
    switch (result.outcome()) {
    case Outcome::Busy:
        return busyResponse(result.message());
    case Outcome::Error:
        if (result.unavailable()) {
            qCWarning(lcServer).noquote() << "database unavailable:" << result.detail();
            return databaseUnavailable();
        }
        qCWarning(lcServer).noquote() << "database error:" << result.detail();
        return HttpResponse::error(500, u"internal"_s,
                                   u"The server could not complete the request."_s);
    default:
        return HttpResponse::error(422, u"invalid_input"_s, result.message());
    }
}

class Handler
{
public:
    Handler(const ApiConfig &config, Services &services, const HttpRequest &request,
            const QStringList &parameters)
        : m_config(config)
        , m_services(services)
        , m_db(services.database())
        , m_request(request)
        , m_parameters(parameters)
    {}

    HttpResponse run(Route route)
    {
        switch (route) {
        case Route::Health:
            return OrderApi::liveness();
        case Route::Ready:
            return readiness();
        case Route::Login:
            return login();
        case Route::SignOut:
            return signOut();
        case Route::OpenOrder:
            return openOrder();
        case Route::GetCurrent:
            return current();
        case Route::PutCurrent:
            return replaceItems();
        case Route::AddItem:
            return addItem();
        case Route::Logout:
            return logout();
        case Route::Complete:
            return complete();
        case Route::AssignTab:
            return assignTab();
        case Route::ListTabs:
            return listTabs();
        case Route::SettleTab:
            return settleTab();
        case Route::AddDiscount:
            return addDiscount();
        case Route::SetLinePrice:
            return setLinePrice();
        case Route::PayOrder:
            return payOrder();
        case Route::PayTab:
            return payTab();
        case Route::SyncPull:
            return SyncApi(m_db, m_request).pull();
        case Route::SyncPush:
            return SyncApi(m_db, m_request).push();
        case Route::Refund:
            return refund(false);
        case Route::VoidSale:
            return refund(true);
        case Route::Refundable:
            return refundable();
        case Route::DayReport:
        case Route::ListShifts:
        case Route::ShiftZReport:
            return report(route);
        }
        return HttpResponse::error(404, u"not_found"_s, u"No such route."_s);
    }

private:
    // Ready when this worker's connection answers and the schema is the one this build expects
    // (another process may have migrated the shared database further, or a restore brought an
    // older one back).
    HttpResponse readiness()
    {
        const int expected = Migrations::latestVersion(m_db);
        int version = 0;
        try {
            version = m_db.scalar(u"SELECT MAX(version) FROM schema_migrations"_s).toInt();
        } catch (const SqlFailure &failure) {
            qCWarning(lcServer).noquote()
                << "readiness: the database does not answer:" << failure.describe();
            return notReady(u"unreachable"_s, u"The database does not answer."_s);
        }
        if (version != expected)
            return schemaMismatch(version, expected);
        const QJsonObject schema{{u"schema_version"_s, version},
                                 {u"expected_schema_version"_s, expected}};
        QJsonObject body = schema;
        body.insert(u"status"_s, u"ready"_s);
        body.insert(u"database"_s, u"ok"_s);
        return HttpResponse::json(200, body);
    }

    HttpResponse login()
    {
        const Checked<QJsonObject> body = objectBody(m_request, {u"username"_s, u"pin"_s}, false);
        if (!body)
            return body.refusal();
        const Checked<QString> username = stringMember(*body, u"username"_s, Limits::maxNameLength);
        if (!username)
            return username.refusal();
        const Checked<QString> checkedPin = stringMember(*body, u"pin"_s, 64);
        if (!checkedPin)
            return checkedPin.refusal();
        const QString &pin = *checkedPin;
        AuthStore auth(m_db);
        const Result<AuthStore::LoginGate> gate = auth.beginLoginAttempt(
            *username, m_request.remoteAddress.toString(), m_config.throttle);
        if (!gate)
            return fromFailure(gate);
        ServerMetrics::instance().recordLoginLockouts(quint64(gate->locksSet));
        if (const int wait = gate->waitSeconds; wait > 0) {
            HttpResponse response = HttpResponse::error(
                429, u"too_many_attempts"_s,
                u"Too many failed sign-ins; try again in %1 seconds."_s.arg(wait));
            response.addHeader("Retry-After", QByteArray::number(wait));
            return response;
        }
        // The throttle above (per user and per address) is the sign-in's lockout.
        const Result<Cashier> cashier = m_services.cashiers().verifyPin(
            *username, pin, CashierService::Lockout::CallerThrottles);
        if (!cashier) {
            if (cashier.outcome() == Outcome::Busy || cashier.outcome() == Outcome::Error)
                return fromFailure(cashier);
            if (cashier.outcome() == Outcome::NotFound)
                equalizeTiming(pin); // an unknown name must not answer faster than a wrong PIN
            HttpResponse response =
                HttpResponse::error(401, u"invalid_credentials"_s, u"Unknown user or wrong PIN."_s);
            response.addHeader("WWW-Authenticate", "Bearer");
            return response;
        }
        if (const Result<int> reset = auth.loginSucceeded(*gate, m_config.throttle); !reset)
            return fromFailure(reset);
        const Result<AuthStore::IssuedToken> issued =
            auth.issueToken(cashier->id, m_config.tokenTtlSeconds);
        if (!issued)
            return fromFailure(issued);
        return HttpResponse::json(200, {{u"token"_s, issued->token},
                                        {u"userId"_s, issued->cashierId},
                                        {u"userName"_s, cashier->name},
                                        {u"expiresAt"_s, toStorageTime(issued->expiresAt)}});
    }

    // POST /api/auth/logout: the caller's token stops working, in every server process.
    HttpResponse signOut()
    {
        if (const Checked<QString> caller = authenticate(); !caller)
            return caller.refusal();
        if (const Checked<QJsonObject> body = objectBody(m_request, {}, true); !body)
            return body.refusal();
        if (const Result<bool> revoked = AuthStore(m_db).revokeToken(m_token); !revoked)
            return fromFailure(revoked);
        HttpResponse response;
        response.status = 204;
        return response;
    }

    static void equalizeTiming(const QString &pin)
    {
        static const QString dummy = PinHasher::hash(u"000000"_s);
        PinHasher::verify(pin, dummy);
    }

public:
    // The caller's cashier id, or the 401/403 (or 503) refusal.
    Checked<QString> authenticate()
    {
        const QString token = bearerToken(m_request);
        if (token.isEmpty()) {
            HttpResponse response = HttpResponse::error(
                401, u"unauthorized"_s, u"Sign in first: Authorization: Bearer <token>."_s);
            response.addHeader("WWW-Authenticate", "Bearer");
            return response;
        }
        const Result<QString> cashier = AuthStore(m_db).cashierForToken(token);
        if (cashier) {
            m_token = token;
            return *cashier;
        }
        if (cashier.outcome() == Outcome::InvalidState)
            return HttpResponse::error(403, u"forbidden"_s, cashier.message());
        if (cashier.outcome() == Outcome::NotFound) {
            HttpResponse response = HttpResponse::error(401, u"unauthorized"_s, cashier.message());
            response.addHeader("WWW-Authenticate", "Bearer error=\"invalid_token\"");
            return response;
        }
        return fromFailure(cashier);
    }

private:
    // The model's request id: the client's Idempotency-Key scoped to the caller (two users' keys
    // never meet), or a fresh id when there is none; 400 for a malformed key.
    Checked<QString> requestId(const QString &cashierId)
    {
        if (!m_request.hasHeader("idempotency-key"))
            return newRequestId();
        const QByteArray key = m_request.header("idempotency-key").trimmed();
        const bool valid = !key.isEmpty() && key.size() <= maxIdempotencyKeyLength &&
                           std::all_of(key.begin(), key.end(), [](char c) {
                               return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                                      (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.' ||
                                      c == '~';
                           });
        if (!valid) {
            return HttpResponse::error(
                400, u"bad_idempotency_key"_s,
                u"Idempotency-Key must be 1 to %1 characters of A-Z a-z 0-9 - _ . ~"_s.arg(
                    maxIdempotencyKeyLength));
        }
        m_keyed = true;
        return u"http:"_s + cashierId + u':' + QString::fromLatin1(key);
    }

    // What a change carries, read in the API's order so the first refusal is the answer: the
    // caller (401/403), the path's own refusal if any (404 for a malformed id, computed by the
    // caller), If-Match when the change names a version (400), the body (400/422), the
    // Idempotency-Key (400).
    template<typename Body> struct Change
    {
        QString cashierId;
        std::optional<int> version;
        Body body;
        QString id;
    };
    enum class Versioned : bool { No, Yes };

    template<typename ReadBody, typename Body = typename std::invoke_result_t<ReadBody>::Value>
    Checked<Change<Body>> readChange(Versioned versioned, ReadBody &&readBody,
                                     std::optional<HttpResponse> pathRefusal = std::nullopt)
    {
        const Checked<QString> caller = authenticate();
        if (!caller)
            return caller.refusal();
        if (pathRefusal)
            return *pathRefusal;
        std::optional<int> version;
        if (versioned == Versioned::Yes) {
            const Checked<std::optional<int>> named = ifMatch(m_request);
            if (!named)
                return named.refusal();
            version = *named;
        }
        Checked<Body> body = readBody();
        if (!body)
            return body.refusal();
        const Checked<QString> id = requestId(*caller);
        if (!id)
            return id.refusal();
        return Change<Body>{*caller, version, std::move(*body), *id};
    }

    // 422 with its own code when the failure was the key reused for another request.
    template<typename T>
    HttpResponse answer(const Result<T> &result, const QString &requestId, bool ifMatchGiven,
                        const QString &member = u"order"_s)
    {
        if (result.outcome() == Outcome::InvalidInput && m_keyed && storedResultExists(requestId))
            return HttpResponse::error(422, u"idempotency_key_reused"_s, result.message());
        return fromResult(result, ifMatchGiven, member);
    }

    // A whole-balance card or "other" payment done before under this request id: what it
    // tendered (it completed the order or settled the tab, so it is the last payment of the
    // stored result). None for a request not done yet.
    std::optional<Cents> tenderOfStoredPayment(const QString &requestId)
    {
        if (!m_keyed)
            return std::nullopt;
        ActionJournal journal(m_db, m_services.clock(), m_services.side());
        const std::optional<ActionJournal::StoredResult> stored =
            m_db.read([&] {
                    return Result<std::optional<ActionJournal::StoredResult>>::ok(
                        journal.find(requestId));
                })
                .value()
                .value_or(std::nullopt);
        if (!stored)
            return std::nullopt;
        const QJsonArray payments = stored->result.value(u"payments"_s).toArray();
        if (payments.isEmpty())
            return std::nullopt;
        return payments.last().toObject().value(u"tendered_cents"_s).toInteger();
    }

    bool storedResultExists(const QString &requestId)
    {
        ActionJournal journal(m_db, m_services.clock(), m_services.side());
        return m_db.read([&] { return Result<bool>::ok(journal.find(requestId).has_value()); })
            .value()
            .value_or(false);
    }

    HttpResponse openOrder()
    {
        const Checked<QString> caller = authenticate();
        if (!caller)
            return caller.refusal();
        const QString &cashierId = *caller;
        bool withItems = false;
        const Checked<QList<ItemSpec>> items = itemsBody(m_request, true, &withItems);
        if (!items)
            return items.refusal();
        const Checked<QString> requestKey = requestId(cashierId);
        if (!requestKey)
            return requestKey.refusal();
        const QString &id = *requestKey;
        OrderService &orders = m_services.orders();
        // Opening and filling are two journaled actions under ids derived from the one key
        // (keys cannot contain ':'), so a replay replays both. The open is bound to the whole
        // body: the key used again with another body (items or none) is refused as reused, also
        // when the first request's filling failed.
        const QString openId = id + u":open"_s;
        const QJsonObject bound{{u"body_sha256"_s, sha256Hex(m_request.body.trimmed())}};
        const Result<Order> opened = orders.openOrResume(cashierId, openId, bound);
        if (!opened || !withItems)
            return answer(opened, openId, false);
        const Result<Order> filled = orders.replaceLines(OrderTarget::byId(opened->id), *items,
                                                         opened->version, id + u":items"_s);
        return answer(filled, id + u":items"_s, true);
    }

    HttpResponse current()
    {
        const Checked<QString> caller = authenticate();
        if (!caller)
            return caller.refusal();
        const Result<Order> order = m_services.orders().openOrderOf(*caller);
        if (order && order->status != OrderStatus::Active) {
            return HttpResponse::error(
                404, u"not_found"_s,
                u"There is no active order (it is %1)."_s.arg(toString(order->status)));
        }
        return fromResult(order, false, u"order"_s);
    }

    HttpResponse replaceItems()
    {
        const Checked<PreparedReplace> prepared = prepareReplace();
        if (!prepared)
            return prepared.refusal();
        const OrderService::ActiveOrderReplace &replace = prepared->replace;
        return finishReplace(
            *prepared, m_services.orders().replaceLines(OrderTarget::byCashier(replace.cashierId),
                                                        replace.items, replace.expectedVersion,
                                                        replace.requestId));
    }

public:
    // PUT /current in two halves, like the item adds (see WriteBatcher): what to replace (or the
    // refusal that ends the request), and the answer.
    Checked<PreparedReplace> prepareReplace()
    {
        const Checked<QString> caller = authenticate();
        if (!caller)
            return caller.refusal();
        const QString &cashierId = *caller;
        const Checked<std::optional<int>> version = ifMatch(m_request);
        if (!version)
            return version.refusal();
        if (!*version) {
            return HttpResponse::error(
                428, u"precondition_required"_s,
                u"Replacing the items needs If-Match: the order version you saw."_s);
        }
        Checked<ReplaceBody> body = replaceBody(m_request);
        if (!body)
            return body.refusal();
        if (std::optional<HttpResponse> refused = takeEnteredPrices(*body))
            return *refused;
        if (body->hasReadOnly()) {
            if (std::optional<HttpResponse> refused =
                    checkReadOnlyFields(cashierId, *body, **version))
                return *refused;
        }
        const Checked<QString> id = requestId(cashierId);
        if (!id)
            return id.refusal();
        return PreparedReplace{{cashierId, body->items, **version, *id}, m_keyed};
    }

    HttpResponse finishReplace(const PreparedReplace &prepared, const Result<Order> &replaced)
    {
        m_keyed = prepared.keyed;
        return answer(replaced, prepared.replace.requestId, true);
    }

private:
    // A catalog item's unitPriceCents is read-only (the catalog's price, checked against GET's),
    // except for a product sold at an open price: there it is the price entered, the item's own.
    // The refusal when such a price is not one, or the catalog cannot be read.
    std::optional<HttpResponse> takeEnteredPrices(ReplaceBody &body)
    {
        QStringList priced;
        for (qsizetype i = 0; i < body.items.size(); ++i) {
            if (!body.items.at(i).sku.isEmpty() &&
                body.itemsFields.value(i).contains(u"unitPriceCents"_s))
                priced << body.items.at(i).sku;
        }
        if (priced.isEmpty())
            return std::nullopt;
        const Result<QSet<QString>> openPrice = m_services.catalog().openPriceSkus(priced);
        if (!openPrice)
            return fromFailure(openPrice);
        for (qsizetype i = 0; i < body.items.size(); ++i) {
            ItemSpec &item = body.items[i];
            if (i >= body.itemsFields.size() || !openPrice->contains(item.sku))
                continue;
            QJsonObject &fields = body.itemsFields[i];
            const std::optional<qint64> price =
                wholeNumber(fields.value(u"unitPriceCents"_s), 0, Limits::maxPriceCents);
            if (!price) {
                return HttpResponse::error(
                    422, u"invalid_input"_s,
                    u"Item %1: \u201cunitPriceCents\u201d must be a whole number from 0 to %2."_s
                        .arg(i + 1)
                        .arg(Limits::maxPriceCents));
            }
            item.unitPriceCents = *price;
            fields.remove(u"unitPriceCents"_s);
        }
        return std::nullopt;
    }

    // The body carried GET /current's read-only members: they must say what GET said of the
    // order being replaced. Only checked when that order is the cashier's active order at the
    // version named; otherwise the replace itself answers (404, or 409 with the order as it is).
    // The refusal (400 naming the member, or the database's failure), or nullopt.
    std::optional<HttpResponse> checkReadOnlyFields(const QString &cashierId,
                                                    const ReplaceBody &body, int version)
    {
        auto failed = [](Outcome outcome) {
            return outcome == Outcome::Busy || outcome == Outcome::Error;
        };
        const Result<Order> current = m_services.orders().openOrderOf(cashierId);
        if (!current && failed(current.outcome()))
            return fromFailure(current); // a database failure is not "no order"
        if (!current || current->status != OrderStatus::Active || current->version != version)
            return std::nullopt;
        return checkReadOnly(body, *current, version,
                             [&](const QString &sku) -> Checked<std::optional<CatalogEntry>> {
                                 const Result<Product> product = m_services.catalog().product(sku);
                                 if (!product && failed(product.outcome()))
                                     return fromFailure(product);
                                 if (!product)
                                     return std::optional<CatalogEntry>();
                                 return std::optional<CatalogEntry>(
                                     CatalogEntry{product->name, product->priceCents});
                             });
    }

public:
    // POST /current/items in two halves, so a batch's adds can reach the database together
    // (see WriteBatcher): what to add (or the refusal that ends the request), and the answer.
    Checked<PreparedItemAdd> prepareAddItem()
    {
        // A catalog or an open-price item.
        const auto add = readChange(Versioned::No, [&] { return addItemBody(m_request); });
        if (!add)
            return add.refusal();
        return PreparedItemAdd{{add->cashierId, add->body, add->id}, m_keyed};
    }

    HttpResponse finishAddItem(const PreparedItemAdd &prepared, const Result<Order> &added)
    {
        m_keyed = prepared.keyed;
        if (added.outcome() == Outcome::NotFound)
            return HttpResponse::error(422, u"unknown_sku"_s, added.message());
        return answer(added, prepared.add.requestId, false);
    }

private:
    HttpResponse addItem()
    {
        // "current" is the active order: adding never opens one (no active order: 404).
        const Checked<PreparedItemAdd> prepared = prepareAddItem();
        if (!prepared)
            return prepared.refusal();
        const OrderService::ActiveOrderAdd &add = prepared->add;
        return finishAddItem(*prepared, m_services.orders().addToActiveOrder(
                                            add.cashierId, add.item, add.requestId));
    }

    HttpResponse logout()
    {
        const auto change =
            readChange(Versioned::No, [&] { return objectBody(m_request, {}, true); });
        if (!change)
            return change.refusal();
        return answer(
            m_services.orders().logOut(OrderTarget::byCashier(change->cashierId), change->id),
            change->id, false);
    }

    HttpResponse complete()
    {
        const auto change = readChange(Versioned::Yes, [&] { return paymentBody(m_request); });
        if (!change)
            return change.refusal();
        return answer(m_services.orders().complete(OrderTarget::byCashier(change->cashierId),
                                                   change->body, change->version, change->id),
                      change->id, change->version.has_value());
    }

    HttpResponse assignTab()
    {
        const auto change = readChange(Versioned::Yes, [&]() -> Checked<QString> {
            const Checked<QJsonObject> body = objectBody(m_request, {u"tabName"_s}, false);
            if (!body)
                return body.refusal();
            return stringMember(*body, u"tabName"_s, 200);
        });
        if (!change)
            return change.refusal();
        return answer(m_services.orders().assignToTab(OrderTarget::byCashier(change->cashierId),
                                                      change->body, change->version, change->id),
                      change->id, change->version.has_value());
    }

    HttpResponse listTabs()
    {
        if (const Checked<QString> caller = authenticate(); !caller)
            return caller.refusal();
        const Result<QList<Tab>> tabs = m_services.tabs().openTabs();
        if (!tabs)
            return fromFailure(tabs);
        QJsonArray list;
        for (const Tab &tab : *tabs)
            list.append(apiJson(tab));
        return HttpResponse::json(200, {{u"tabs"_s, list}});
    }

    HttpResponse settleTab()
    {
        const QString tabId = m_parameters.value(0);
        const auto change = readChange(
            Versioned::Yes, [&] { return paymentBody(m_request); }, malformedId(tabId, u"tab"_s));
        if (!change)
            return change.refusal();
        return answer(m_services.tabs().settle(tabId, change->body, change->version, change->id),
                      change->id, change->version.has_value(), u"tab"_s);
    }

    // Discounts, price overrides and payments answer an order they cannot change (money taken,
    // logged out) 409 with the order, If-Match or not: the order is there, only locked.

    // POST /current/discounts: a line's or the order's discount, given by the caller.
    HttpResponse addDiscount()
    {
        auto change = readChange(Versioned::Yes, [&] { return discountBody(m_request); });
        if (!change)
            return change.refusal();
        auto &[cashierId, version, body, id] = *change;
        if (!body.discount.isNone())
            body.discount.byCashierId = cashierId;
        OrderService &orders = m_services.orders();
        const OrderTarget target = OrderTarget::byCashier(cashierId);
        // The caller is the actor; a discount above the shop's limit needs a manager (the caller,
        // or an approver in the body): 403 forbidden otherwise.
        return answer(
            body.wholeOrder
                ? orders.discountOrder(target, body.discount, version, id, body.approver)
                : orders.discountLine(target, body.line, body.discount, version, id, body.approver),
            id, true);
    }

    // PUT /current/lines/{lineId}/price: a price override by the caller.
    HttpResponse setLinePrice()
    {
        const QString line = m_parameters.value(0);
        const auto change = readChange(
            Versioned::Yes, [&] { return priceBody(m_request); }, malformedId(line, u"line"_s));
        if (!change)
            return change.refusal();
        const QString &cashierId = change->cashierId;
        const PriceBody &body = change->body;
        // Always a manager: the caller, or an approver in the body (403 forbidden otherwise).
        return answer(m_services.orders().overridePrice(OrderTarget::byCashier(cashierId), line,
                                                        body.unitPriceCents, body.reason, cashierId,
                                                        change->version, change->id, body.approver),
                      change->id, true);
    }

    // POST /current/payments: one tender of a split tender; the one that clears the balance
    // completes the order.
    HttpResponse payOrder()
    {
        auto change = readChange(Versioned::Yes, [&] { return tenderBody(m_request); });
        if (!change)
            return change.refusal();
        auto &[cashierId, version, body, id] = *change;
        if (!body.tenderedGiven) {
            // A card or "other" payment of the whole balance: for exactly the balance as it is
            // now. Should the order change before the payment (a discount, an item), the model
            // refuses the mismatch (422) rather than take another amount. A repeat of a request
            // already done (same key) asks for what it asked for then, so it replays.
            if (const std::optional<Cents> before = tenderOfStoredPayment(id)) {
                body.payment.tenderedCents = *before;
            } else {
                const Result<Order> order = m_services.orders().openOrderOf(cashierId);
                if (order && order->status == OrderStatus::Active)
                    body.payment.tenderedCents = std::max<Cents>(0, order->balanceCents());
            }
        }
        const Result<Order> paid =
            m_services.orders().pay(OrderTarget::byCashier(cashierId), body.payment, version, id);
        if (paid.outcome() == Outcome::NotFound && version) {
            // The caller paid the order it saw at that version, which is no longer open (paid in
            // full, by another window for one): a conflict with what it saw, not "no order".
            return HttpResponse::error(
                409, u"invalid_state"_s,
                u"The order you saw (version %1) is no longer open: it was paid in full or "
                "closed meanwhile; nothing was charged. %2"_s.arg(*version)
                    .arg(paid.message()));
        }
        return answer(paid, id, true);
    }

    // POST /api/tabs/{id}/payments: the same for a tab; the last payment settles it.
    HttpResponse payTab()
    {
        const QString tabId = m_parameters.value(0);
        auto change = readChange(
            Versioned::Yes, [&] { return tenderBody(m_request); }, malformedId(tabId, u"tab"_s));
        if (!change)
            return change.refusal();
        const std::optional<int> &version = change->version;
        TenderBody &body = change->body;
        const QString &id = change->id;
        if (!body.tenderedGiven) {
            if (const std::optional<Cents> before = tenderOfStoredPayment(id)) {
                body.payment.tenderedCents = *before;
            } else {
                const Result<Tab> tab = m_services.tabs().tab(tabId);
                if (tab && tab->status == TabStatus::Open)
                    body.payment.tenderedCents = std::max<Cents>(0, tab->balanceCents());
            }
        }
        return answer(m_services.tabs().pay(tabId, body.payment, version, id), id,
                      version.has_value(), u"tab"_s);
    }

    // POST /api/refunds and POST /api/voids (issue 15): the caller pays back lines of a past
    // receipt (or takes back a whole sale); RefundService enforces the roles.
    HttpResponse refund(bool isVoid)
    {
        auto change = readChange(Versioned::No, [&] {
            return isVoid ? RefundApi::voidBody(m_request) : RefundApi::refundBody(m_request);
        });
        if (!change)
            return change.refusal();
        RefundRequest &body = change->body;
        body.cashier = change->cashierId;
        const QString &id = change->id;
        const Result<Refund> done = isVoid ? m_services.refunds().voidSale(body, id)
                                           : m_services.refunds().refund(body, id);
        if (done) {
            HttpResponse response = HttpResponse::json(201, RefundApi::apiJson(*done));
            if (done.replayed())
                response.addHeader("Idempotent-Replayed", "true");
            return response;
        }
        return refundFailure(done, id);
    }

    // GET /api/receipts/{receiptNo}/refundable: what is left to refund of a sale receipt.
    HttpResponse refundable()
    {
        if (const Checked<QString> caller = authenticate(); !caller)
            return caller.refusal();
        const QString receipt = m_parameters.value(0);
        if (receipt.isEmpty() || receipt.size() > 64)
            return HttpResponse::error(404, u"not_found"_s, u"There is no such receipt."_s);
        const Result<RefundableReceipt> found = m_services.refunds().refundable(receipt);
        if (found)
            return HttpResponse::json(200, RefundApi::apiJson(*found));
        return refundFailure(found, QString());
    }

    // The server's reports (ReportApi.h): managers only (a cashier's token: 403 forbidden, a
    // device's: 403 as on every cashier route).
    HttpResponse report(Route route)
    {
        const Checked<QString> caller = authenticate();
        if (!caller)
            return caller.refusal();
        const Result<Cashier> who = m_services.cashiers().find(*caller);
        if (!who)
            return fromFailure(who);
        if (who->role != Role::Manager)
            return HttpResponse::error(403, u"forbidden"_s,
                                       u"Reports and shifts are for managers."_s);
        if (route == Route::DayReport)
            return ReportApi::dayReportResponse(m_db, m_request);
        if (route == Route::ListShifts)
            return ReportApi::shiftsResponse(m_db, m_request);
        return ReportApi::zReportResponse(m_db, m_parameters.value(0));
    }

    template<typename T> HttpResponse refundFailure(const Result<T> &result, const QString &id)
    {
        switch (result.outcome()) {
        case Outcome::NotFound:
            return HttpResponse::error(404, u"not_found"_s, result.message());
        case Outcome::InvalidState:
        case Outcome::Conflict:
            return HttpResponse::error(409, u"invalid_state"_s, result.message());
        case Outcome::Forbidden:
            return HttpResponse::error(403, u"forbidden"_s, result.message());
        case Outcome::InvalidInput:
            if (!id.isEmpty() && m_keyed && storedResultExists(id))
                return HttpResponse::error(422, u"idempotency_key_reused"_s, result.message());
            return HttpResponse::error(422, u"invalid_input"_s, result.message());
        default:
            return fromFailure(result);
        }
    }

    const ApiConfig &m_config;
    Services &m_services; // the server's (SyncSide::Server): its actions write no outbox rows
    Database &m_db;
    const HttpRequest &m_request;
    const QStringList &m_parameters;
    bool m_keyed = false;
    QString m_token; // the caller's bearer token, once authenticated
};

} // namespace

namespace {

// The calling worker thread's services, opened on first use; null (and *failure) when the
// database cannot be opened.
Services *threadServices(const ApiConfig &config, Database::OpenFailure *failure)
{
    if (!t_services.hasLocalData() || !t_services.localData()) {
        Result<std::unique_ptr<Services>> opened =
            Services::open(config.database, SyncSide::Server, Clock::system(), failure);
        if (!opened)
            return nullptr;
        t_services.setLocalData(opened.take().release());
    }
    return t_services.localData();
}

} // namespace

HttpResponse OrderApi::handle(const ApiConfig &config, Route route, const HttpRequest &request,
                              const QStringList &parameters) noexcept
{
    try {
        Database::OpenFailure failure;
        if (!threadServices(config, &failure)) {
            qCWarning(lcServer).noquote()
                << "worker could not open the database:" << failure.message;
            if (route == Route::Ready) {
                // A worker opening its connection migrates first: a database a newer SafeTill
                // migrated answers, but is refused. The same answer as an open worker's check.
                if (failure.newerSchema)
                    return schemaMismatch(failure.newerSchema, failure.knownSchema);
                return notReady(u"unreachable"_s, u"The database is not reachable."_s);
            }
            return databaseUnavailable();
        }
        Services &services = *t_services.localData();
        const Database &db = services.database();
        if (db.dialect() == SqlDialect::Sqlite && isWrite(route)) {
            // SQLite has one writer at a time. Writers of this process queue here, where the
            // next one starts the moment the last commits, instead of in SQLite's busy handler,
            // which polls with sleeps (1 to 100 ms) and wrecks tail latency. Other processes on
            // the same file still meet busy_timeout and the retry policy.
            std::lock_guard lock(sqliteWriterMutex);
            return handleOnDatabase(config, route, request, parameters, services);
        }
        return handleOnDatabase(config, route, request, parameters, services);
    } catch (const std::exception &exception) {
        qCCritical(lcServer) << "handler failed:" << exception.what();
    } catch (...) {
        qCCritical(lcServer) << "handler failed with an unknown exception";
    }
    return HttpResponse::error(500, u"internal"_s, u"The server failed; nothing was changed."_s);
}

namespace {

// Runs a handler step. Its refusals are answers it returns (ApiJson.h's Checked); this is the
// last-resort net for what escapes as an exception: a database failure outside
// Database::write()/read() becomes a 503 or 500, anything else a 500.
template<typename Answer, typename Step> Answer guarded(Step &&step) noexcept
{
    try {
        return step();
    } catch (const SqlFailure &failure) {
        // Only reads outside Database::write()/read() can get here (e.g. the health check).
        if (failure.isUnavailable()) {
            qCWarning(lcServer).noquote() << "database unavailable:" << failure.describe();
            return databaseUnavailable();
        }
        qCWarning(lcServer).noquote() << "database error:" << failure.describe();
        return HttpResponse::error(500, u"internal"_s, u"The database reported an error."_s);
    } catch (const std::exception &exception) {
        qCCritical(lcServer) << "handler failed:" << exception.what();
    } catch (...) {
        qCCritical(lcServer) << "handler failed with an unknown exception";
    }
    return HttpResponse::error(500, u"internal"_s, u"The server failed; nothing was changed."_s);
}

} // namespace

HttpResponse handleOnDatabase(const ApiConfig &config, Route route, const HttpRequest &request,
                              const QStringList &parameters, Services &services) noexcept
{
    return guarded<HttpResponse>(
        [&] { return Handler(config, services, request, parameters).run(route); });
}

namespace {

// A first half's Checked as the public functions' variant: the refusal, or what to do.
template<typename T> std::variant<HttpResponse, T> refusalOr(const Checked<T> &prepared)
{
    if (!prepared)
        return prepared.refusal();
    return *prepared;
}

} // namespace

std::variant<HttpResponse, PreparedItemAdd>
prepareItemAdd(const ApiConfig &config, const HttpRequest &request, Services &services) noexcept
{
    return guarded<std::variant<HttpResponse, PreparedItemAdd>>(
        [&] { return refusalOr(Handler(config, services, request, {}).prepareAddItem()); });
}

std::variant<HttpResponse, PreparedReplace>
prepareReplace(const ApiConfig &config, const HttpRequest &request, Services &services) noexcept
{
    return guarded<std::variant<HttpResponse, PreparedReplace>>(
        [&] { return refusalOr(Handler(config, services, request, {}).prepareReplace()); });
}

HttpResponse finishReplace(const ApiConfig &config, const HttpRequest &request,
                           const PreparedReplace &prepared, const Result<Order> &replaced,
                           Services &services) noexcept
{
    return guarded<HttpResponse>(
        [&] { return Handler(config, services, request, {}).finishReplace(prepared, replaced); });
}

HttpResponse finishItemAdd(const ApiConfig &config, const HttpRequest &request,
                           const PreparedItemAdd &prepared, const Result<Order> &added,
                           Services &services) noexcept
{
    return guarded<HttpResponse>(
        [&] { return Handler(config, services, request, {}).finishAddItem(prepared, added); });
}

std::mutex &sqliteWriterLock()
{
    return sqliteWriterMutex;
}

bool OrderApi::callerCached(const HttpRequest &request)
{
    return AuthStore::cachedCashierForToken(bearerToken(request), Clock::system().now())
        .has_value();
}

std::optional<HttpResponse> OrderApi::refusalForCaller(const ApiConfig &config,
                                                       const HttpRequest &request) noexcept
{
    try {
        Database::OpenFailure failure;
        Services *services = threadServices(config, &failure);
        if (!services) {
            qCWarning(lcServer).noquote()
                << "worker could not open the database:" << failure.message;
            return databaseUnavailable();
        }
        return guarded<std::optional<HttpResponse>>([&]() -> std::optional<HttpResponse> {
            const Checked<QString> caller = Handler(config, *services, request, {}).authenticate();
            if (!caller)
                return caller.refusal();
            return std::nullopt;
        });
    } catch (...) {
        qCCritical(lcServer) << "the token check failed with an exception";
    }
    return HttpResponse::error(500, u"internal"_s, u"The server failed; nothing was changed."_s);
}

HttpResponse OrderApi::liveness()
{
    return HttpResponse::json(200, {{u"status"_s, u"ok"_s}});
}

void OrderApi::releaseThreadDatabase()
{
    t_services.setLocalData(nullptr); // deletes the previous one and its connection
}

} // namespace SafeTill
