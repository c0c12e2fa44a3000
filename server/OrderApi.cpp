#include "OrderApi.h"

#include "ActionJournal.h"
#include "ApiJson.h"
#include "CashierService.h"
#include "ItemsJson.h"
#include "OrderService.h"
#include "PinHasher.h"
#include "ServerLogging.h"
#include "TabService.h"
#include "Validation.h"

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

// Each worker thread's connection, deleted when the thread finishes. QThreadStorage (not
// thread_local): Qt destroys it inside QThread's own finish, before QThread::wait() returns. A
// thread_local is destroyed later, at pthread exit, where it raced with the process's exit and
// crashed in Qt SQL's destroyed globals (QThreadPool::waitForDone() ends idle threads).
QThreadStorage<Database *> t_database;

constexpr qsizetype maxIdempotencyKeyLength = 64;

std::mutex sqliteWriterMutex;

// Routes whose work is a write transaction (login is not: its slow PIN hash must not hold up
// the writers).
bool isWrite(Route route)
{
    switch (route) {
    case Route::OpenOrder:
    case Route::PutCurrent:
    case Route::AddItem:
    case Route::Logout:
    case Route::Complete:
    case Route::AssignTab:
    case Route::SettleTab:
        return true;
    default:
        return false;
    }
}

QString newRequestId()
{
    return QUuid::createUuid().toString(QUuid::WithoutBraces);
}

// A failure on the way to a handler's real work (bad header, bad body, no token): the response.
struct Refusal
{
    HttpResponse response;
};

HttpResponse busyResponse(const QString &message)
{
    HttpResponse response = HttpResponse::error(503, u"busy"_s, message);
    response.addHeader("Retry-After", "1");
    return response;
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
        HttpResponse response = HttpResponse::json(200, apiJson(*result));
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
    case Outcome::Busy:
        return busyResponse(result.message());
    case Outcome::Error:
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
        qCWarning(lcServer).noquote() << "database error:" << result.detail();
        return HttpResponse::error(500, u"internal"_s,
                                   u"The server could not complete the request."_s);
    default:
        return HttpResponse::error(422, u"invalid_input"_s, result.message());
    }
}

// A JSON object body (empty allowed when optional). 400 for what is not JSON at all, 422 for JSON
// of the wrong shape or with members that are not expected.
QJsonObject objectBody(const HttpRequest &request, const QStringList &allowed, bool optional)
{
    if (request.body.trimmed().isEmpty()) {
        if (optional)
            return {};
        throw Refusal{HttpResponse::error(422, u"invalid_input"_s,
                                          u"The request needs a JSON object body."_s)};
    }
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(request.body, &error);
    if (error.error != QJsonParseError::NoError) {
        throw Refusal{HttpResponse::error(
            400, u"malformed_json"_s,
            u"The body is not valid JSON (%1 at offset %2)."_s.arg(error.errorString())
                .arg(error.offset))};
    }
    if (!document.isObject()) {
        throw Refusal{
            HttpResponse::error(422, u"invalid_input"_s, u"The body must be a JSON object."_s)};
    }
    const QJsonObject object = document.object();
    for (auto it = object.begin(); it != object.end(); ++it) {
        if (!allowed.contains(it.key())) {
            throw Refusal{HttpResponse::error(422, u"invalid_input"_s,
                                              u"Unknown member \u201c%1\u201d; expected %2."_s.arg(
                                                  it.key(), allowed.join(u", "_s)))};
        }
    }
    return object;
}

QString stringMember(const QJsonObject &object, const QString &name, qsizetype maxLength)
{
    const QJsonValue value = object.value(name);
    if (!value.isString()) {
        throw Refusal{HttpResponse::error(422, u"invalid_input"_s,
                                          u"\u201c%1\u201d must be a string."_s.arg(name))};
    }
    const QString text = value.toString();
    if (text.size() > maxLength) {
        throw Refusal{HttpResponse::error(
            422, u"invalid_input"_s,
            u"\u201c%1\u201d is longer than %2 characters."_s.arg(name).arg(maxLength))};
    }
    return text;
}

qint64 wholeMember(const QJsonObject &object, const QString &name, qint64 min, qint64 max)
{
    const QJsonValue value = object.value(name);
    const double number = value.toDouble();
    if (!value.isDouble() || !std::isfinite(number) || std::trunc(number) != number ||
        number < double(min) || number > double(max)) {
        throw Refusal{HttpResponse::error(
            422, u"invalid_input"_s,
            u"\u201c%1\u201d must be a whole number from %2 to %3."_s.arg(name).arg(min).arg(max))};
    }
    return qint64(number);
}

// If-Match: the order (or tab) version the caller saw: 7, "7" or W/"7".
std::optional<int> ifMatch(const HttpRequest &request)
{
    if (!request.hasHeader("if-match"))
        return std::nullopt;
    QByteArray value = request.header("if-match").trimmed();
    if (value.startsWith("W/"))
        value = value.mid(2);
    if (value.size() >= 2 && value.startsWith('"') && value.endsWith('"'))
        value = value.mid(1, value.size() - 2);
    bool ok = false;
    const int version = value.toInt(&ok);
    const bool digitsOnly = !value.isEmpty() && std::all_of(value.begin(), value.end(), [](char c) {
        return c >= '0' && c <= '9';
    });
    if (!ok || !digitsOnly || version < 1) {
        throw Refusal{HttpResponse::error(400, u"bad_if_match"_s,
                                          u"If-Match must be the version you saw, e.g. \"3\"."_s)};
    }
    return version;
}

class Handler
{
public:
    Handler(const ApiConfig &config, Database &db, const HttpRequest &request,
            const QStringList &parameters)
        : m_config(config)
        , m_db(db)
        , m_request(request)
        , m_parameters(parameters)
    {}

    HttpResponse run(Route route)
    {
        switch (route) {
        case Route::Health:
            return health();
        case Route::Login:
            return login();
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
        }
        return HttpResponse::error(404, u"not_found"_s, u"No such route."_s);
    }

private:
    HttpResponse health()
    {
        const QVariant one = m_db.scalar(u"SELECT 1"_s);
        return HttpResponse::json(200, {{u"status"_s, one.toInt() == 1 ? u"ok"_s : u"degraded"_s}});
    }

    HttpResponse login()
    {
        const QJsonObject body = objectBody(m_request, {u"username"_s, u"pin"_s}, false);
        const QString username = stringMember(body, u"username"_s, Limits::maxNameLength);
        const QString pin = stringMember(body, u"pin"_s, 64);
        const QString userKey = u"user:"_s + nameKey(normalizedName(username));
        const QString addressKey = u"addr:"_s + m_request.remoteAddress.toString();
        AuthStore auth(m_db);
        const Result<int> wait = auth.beginLoginAttempt(userKey, addressKey, m_config.throttle);
        if (!wait)
            return fromFailure(wait);
        if (*wait > 0) {
            HttpResponse response = HttpResponse::error(
                429, u"too_many_attempts"_s,
                u"Too many failed sign-ins; try again in %1 seconds."_s.arg(*wait));
            response.addHeader("Retry-After", QByteArray::number(*wait));
            return response;
        }
        const Result<Cashier> cashier = CashierService(m_db).verifyPin(username, pin);
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
        if (const Result<int> reset = auth.loginSucceeded(userKey, addressKey, m_config.throttle);
            !reset)
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

    static void equalizeTiming(const QString &pin)
    {
        static const QString dummy = PinHasher::hash(u"000000"_s);
        PinHasher::verify(pin, dummy);
    }

    // The caller's cashier id, or throws the 401/403 refusal.
    QString authenticate()
    {
        const QByteArray header = m_request.header("authorization").trimmed();
        QString token;
        if (header.size() > 7 && header.left(7).compare("Bearer ", Qt::CaseInsensitive) == 0)
            token = QString::fromLatin1(header.mid(7).trimmed());
        if (token.isEmpty()) {
            HttpResponse response = HttpResponse::error(
                401, u"unauthorized"_s, u"Sign in first: Authorization: Bearer <token>."_s);
            response.addHeader("WWW-Authenticate", "Bearer");
            throw Refusal{response};
        }
        const Result<QString> cashier = AuthStore(m_db).cashierForToken(token);
        if (cashier)
            return *cashier;
        if (cashier.outcome() == Outcome::InvalidState)
            throw Refusal{HttpResponse::error(403, u"forbidden"_s, cashier.message())};
        if (cashier.outcome() == Outcome::NotFound) {
            HttpResponse response = HttpResponse::error(401, u"unauthorized"_s, cashier.message());
            response.addHeader("WWW-Authenticate", "Bearer error=\"invalid_token\"");
            throw Refusal{response};
        }
        throw Refusal{fromFailure(cashier)};
    }

    // The model's request id: the client's Idempotency-Key scoped to the caller (two users' keys
    // never meet), or a fresh id when there is none.
    QString requestId(const QString &cashierId)
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
            throw Refusal{HttpResponse::error(
                400, u"bad_idempotency_key"_s,
                u"Idempotency-Key must be 1 to %1 characters of A-Z a-z 0-9 - _ . ~"_s.arg(
                    maxIdempotencyKeyLength))};
        }
        m_keyed = true;
        return u"http:"_s + cashierId + u':' + QString::fromLatin1(key);
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

    bool storedResultExists(const QString &requestId)
    {
        ActionJournal journal(m_db, Clock::system());
        return m_db.read([&] { return Result<bool>::ok(journal.find(requestId).has_value()); })
            .value()
            .value_or(false);
    }

    QList<ItemSpec> itemsFromBody(bool optional, bool *present)
    {
        *present = false;
        if (m_request.body.trimmed().isEmpty()) {
            if (optional)
                return {};
            throw Refusal{HttpResponse::error(422, u"invalid_input"_s,
                                              u"The body must be {\"items\": [...]}."_s)};
        }
        QJsonParseError error;
        const QJsonDocument document = QJsonDocument::fromJson(m_request.body, &error);
        if (error.error != QJsonParseError::NoError) {
            throw Refusal{HttpResponse::error(
                400, u"malformed_json"_s,
                u"The body is not valid JSON (%1 at offset %2)."_s.arg(error.errorString())
                    .arg(error.offset))};
        }
        if (!document.isObject()) {
            throw Refusal{HttpResponse::error(422, u"invalid_input"_s,
                                              u"The body must be {\"items\": [...]}."_s)};
        }
        if (optional && document.object().isEmpty())
            return {};
        const ParsedItems parsed = parseItemsJson(m_request.body);
        if (!parsed.error.isEmpty())
            throw Refusal{HttpResponse::error(422, u"invalid_input"_s, parsed.error)};
        *present = true;
        return parsed.items;
    }

    PaymentRequest paymentFromBody()
    {
        const QJsonObject body = objectBody(m_request, {u"method"_s, u"tenderedCents"_s}, false);
        const std::optional<PaymentMethod> method =
            paymentMethodFromString(stringMember(body, u"method"_s, 16));
        if (!method) {
            throw Refusal{HttpResponse::error(422, u"invalid_input"_s,
                                              u"\u201cmethod\u201d is cash or card."_s)};
        }
        return PaymentRequest{*method,
                              wholeMember(body, u"tenderedCents"_s, 0, Limits::maxTenderCents)};
    }

    HttpResponse openOrder()
    {
        const QString cashierId = authenticate();
        bool withItems = false;
        const QList<ItemSpec> items = itemsFromBody(true, &withItems);
        const QString id = requestId(cashierId);
        OrderService orders(m_db);
        // Opening and filling are two journaled actions under ids derived from the one key
        // (keys cannot contain ':'), so a replay replays both.
        const QString openId = withItems ? id + u":open"_s : id;
        const Result<Order> opened = orders.openOrResume(cashierId, openId);
        if (!opened || !withItems)
            return answer(opened, openId, false);
        const Result<Order> filled = orders.replaceLines(OrderTarget::byId(opened->id), items,
                                                         opened->version, id + u":items"_s);
        return answer(filled, id + u":items"_s, true);
    }

    HttpResponse current()
    {
        const QString cashierId = authenticate();
        const Result<Order> order = OrderService(m_db).openOrderOf(cashierId);
        if (order && order->status != OrderStatus::Active) {
            return HttpResponse::error(
                404, u"not_found"_s,
                u"There is no active order (it is %1)."_s.arg(toString(order->status)));
        }
        return fromResult(order, false, u"order"_s);
    }

    HttpResponse replaceItems()
    {
        const QString cashierId = authenticate();
        const std::optional<int> version = ifMatch(m_request);
        if (!version) {
            throw Refusal{HttpResponse::error(
                428, u"precondition_required"_s,
                u"Replacing the items needs If-Match: the order version you saw."_s)};
        }
        bool present = false;
        const QList<ItemSpec> items = itemsFromBody(false, &present);
        const QString id = requestId(cashierId);
        return answer(
            OrderService(m_db).replaceLines(OrderTarget::byCashier(cashierId), items, *version, id),
            id, true);
    }

    HttpResponse addItem()
    {
        const QString cashierId = authenticate();
        const QJsonObject body = objectBody(m_request, {u"sku"_s, u"qty"_s}, false);
        const QString sku = stringMember(body, u"sku"_s, Limits::maxSkuLength);
        const int qty =
            body.contains(u"qty"_s) ? int(wholeMember(body, u"qty"_s, 1, Limits::maxQuantity)) : 1;
        const QString id = requestId(cashierId);
        OrderService orders(m_db);
        // "current" is the active order: adding never opens one. The order is looked up first and
        // the add is conditional on it still being active (a completed order answers 404). A key
        // seen before goes to the order it was first applied to, so its replay is found.
        QString orderId;
        if (m_keyed) {
            ActionJournal journal(m_db, Clock::system());
            const Result<QString> stored = m_db.read([&] {
                const std::optional<ActionJournal::StoredResult> found = journal.find(id);
                return Result<QString>::ok(found ? found->result.value(u"id"_s).toString()
                                                 : QString());
            });
            if (!stored)
                return fromFailure(stored);
            orderId = *stored;
        }
        if (orderId.isEmpty()) {
            const Result<Order> current = orders.openOrderOf(cashierId);
            if (!current)
                return fromResult(current, false, u"order"_s);
            if (current->status != OrderStatus::Active) {
                return HttpResponse::error(
                    404, u"not_found"_s,
                    u"There is no active order (it is %1)."_s.arg(toString(current->status)));
            }
            orderId = current->id;
        }
        const Result<Order> added = orders.addProduct(OrderTarget::byId(orderId), sku, qty, id);
        if (added.outcome() == Outcome::NotFound)
            return HttpResponse::error(422, u"unknown_sku"_s, added.message());
        return answer(added, id, false);
    }

    HttpResponse logout()
    {
        const QString cashierId = authenticate();
        objectBody(m_request, {}, true);
        const QString id = requestId(cashierId);
        return answer(OrderService(m_db).logOut(OrderTarget::byCashier(cashierId), id), id, false);
    }

    HttpResponse complete()
    {
        const QString cashierId = authenticate();
        const std::optional<int> version = ifMatch(m_request);
        const PaymentRequest payment = paymentFromBody();
        const QString id = requestId(cashierId);
        return answer(
            OrderService(m_db).complete(OrderTarget::byCashier(cashierId), payment, version, id),
            id, version.has_value());
    }

    HttpResponse assignTab()
    {
        const QString cashierId = authenticate();
        const std::optional<int> version = ifMatch(m_request);
        const QJsonObject body = objectBody(m_request, {u"tabName"_s}, false);
        const QString tabName = stringMember(body, u"tabName"_s, 200);
        const QString id = requestId(cashierId);
        return answer(
            OrderService(m_db).assignToTab(OrderTarget::byCashier(cashierId), tabName, version, id),
            id, version.has_value());
    }

    HttpResponse listTabs()
    {
        authenticate();
        const Result<QList<Tab>> tabs = TabService(m_db).openTabs();
        if (!tabs)
            return fromFailure(tabs);
        QJsonArray list;
        for (const Tab &tab : *tabs)
            list.append(apiJson(tab));
        return HttpResponse::json(200, {{u"tabs"_s, list}});
    }

    HttpResponse settleTab()
    {
        const QString cashierId = authenticate();
        const QString tabId = m_parameters.value(0);
        if (tabId.isEmpty() || tabId.size() > 64)
            return HttpResponse::error(404, u"not_found"_s, u"There is no such tab."_s);
        const std::optional<int> version = ifMatch(m_request);
        const PaymentRequest payment = paymentFromBody();
        const QString id = requestId(cashierId);
        return answer(TabService(m_db).settle(tabId, payment, version, id), id, version.has_value(),
                      u"tab"_s);
    }

    const ApiConfig &m_config;
    Database &m_db;
    const HttpRequest &m_request;
    const QStringList &m_parameters;
    bool m_keyed = false;
};

} // namespace

HttpResponse OrderApi::handle(const ApiConfig &config, Route route, const HttpRequest &request,
                              const QStringList &parameters) noexcept
{
    try {
        if (!t_database.hasLocalData() || !t_database.localData()) {
            QString error;
            t_database.setLocalData(Database::open(config.database, &error).release());
            if (!t_database.localData()) {
                qCWarning(lcServer).noquote() << "worker could not open the database:" << error;
                return busyResponse(u"The database is not reachable; try again."_s);
            }
        }
        Database &db = *t_database.localData();
        if (db.dialect() == SqlDialect::Sqlite && isWrite(route)) {
            // SQLite has one writer at a time. Writers of this process queue here, where the
            // next one starts the moment the last commits, instead of in SQLite's busy handler,
            // which polls with sleeps (1 to 100 ms) and wrecks tail latency. Other processes on
            // the same file still meet busy_timeout and the retry policy.
            std::lock_guard lock(sqliteWriterMutex);
            return Handler(config, db, request, parameters).run(route);
        }
        return Handler(config, db, request, parameters).run(route);
    } catch (const Refusal &refusal) {
        return refusal.response;
    } catch (const SqlFailure &failure) {
        // Only reads outside Database::write()/read() can get here (e.g. the health check).
        qCWarning(lcServer).noquote() << "database error:" << failure.describe();
        return HttpResponse::error(500, u"internal"_s, u"The database reported an error."_s);
    } catch (const std::exception &exception) {
        qCCritical(lcServer) << "handler failed:" << exception.what();
    } catch (...) {
        qCCritical(lcServer) << "handler failed with an unknown exception";
    }
    return HttpResponse::error(500, u"internal"_s, u"The server failed; nothing was changed."_s);
}

void OrderApi::releaseThreadDatabase()
{
    t_database.setLocalData(nullptr); // deletes the previous one
}

} // namespace SafeTill
