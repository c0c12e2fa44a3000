#pragma once

#include "HttpMessage.h"
#include "Types.h"

#include <QJsonObject>
#include <QStringList>

#include <optional>

namespace SafeTill {

// The HTTP API's JSON (camelCase, money in integer cents). A pure function of the domain value,
// so a replayed idempotent request, rebuilt from the stored result, gets the same body.
QJsonObject apiJson(const Order &order);
QJsonObject apiJson(const Tab &tab);
QJsonObject apiJson(const Payment &payment);

// Reading requests. These are pure functions of the request (no database), so the fuzz target
// runs them exactly as the handlers do. Whatever they refuse, they throw as a Refusal carrying
// the answer: 400 for what is not JSON at all or a malformed header, 422 for JSON of the wrong
// shape, type or range, or with members that are not expected. OrderApi::handle catches it.
struct Refusal
{
    HttpResponse response;
};

// A JSON object body (empty allowed when optional) whose members are all in allowed.
QJsonObject objectBody(const HttpRequest &request, const QStringList &allowed, bool optional);
QString stringMember(const QJsonObject &object, const QString &name, qsizetype maxLength);
// A JSON number that is a whole number within [min, max].
qint64 wholeMember(const QJsonObject &object, const QString &name, qint64 min, qint64 max);
// If-Match: the order (or tab) version the caller saw: 7, "7" or W/"7"; nullopt without one.
std::optional<int> ifMatch(const HttpRequest &request);
// {"items": [...]} (PUT .../current, optional on POST /api/order-sessions); *present tells
// whether the body named items at all.
QList<ItemSpec> itemsBody(const HttpRequest &request, bool optional, bool *present);
// POST .../current/items: a catalog item {"sku", "qty"} or an open-price item {"name",
// "unitPriceCents", "qty"}; qty defaults to 1.
ItemSpec addItemBody(const HttpRequest &request);
// PUT .../complete and PUT /api/tabs/{id}/settle: {"method", "tenderedCents"}.
PaymentRequest paymentBody(const HttpRequest &request);

// 503 for a request met by an unavailable database (PostgreSQL connection lost and not yet
// reopened, SQLite disk full or failing: SqlFailure::isUnavailable()), never 500: code
// "database_unavailable", Retry-After in seconds. The change may have been committed only when
// the connection was lost during COMMIT, so the message asks for a retry with the same
// Idempotency-Key, which is then applied once.
HttpResponse databaseUnavailable();

} // namespace SafeTill
