#pragma once

#include "Approvals.h"
#include "HttpMessage.h"
#include "Types.h"
#include "ValueOr.h"

#include <QJsonObject>
#include <QStringList>

#include <functional>
#include <optional>

namespace SafeTill {

// The HTTP API's JSON (camelCase, money in integer cents). A pure function of the domain value,
// so a replayed idempotent request, rebuilt from the stored result, gets the same body.
// An order carries its lines' tax (taxCode, taxRateBp, priceIncludesTax), its tax table ("taxes":
// [{code, rateBp, netCents, taxCents, grossCents}], model/Tax.h) and the shop's "currency".
QJsonObject apiJson(const Order &order);
// QJsonDocument(apiJson(order)).toJson(Compact), byte for byte, written directly (model/Json.h's
// compact writer): an order's answer, the body of nearly every order request. Building and
// serialising the QJsonObject was about a third of the server's instructions per PUT /current
// (bench/README.md); tst_json compares the two for every member an order can have.
QByteArray apiJsonText(const Order &order);
QJsonObject apiJson(const Tab &tab);
// The shop's ISO 4217 currency the API's amounts are in: read by the server at start and on
// SIGHUP (it cannot change once money was taken, model/ShopSettings.cpp).
void setApiCurrency(const QString &code);
QString apiCurrency();
QJsonObject apiJson(const Payment &payment);

// What a step of a request's handling read or found, or the response that refuses the request
// (a typed result, never an exception: a refusal is an ordinary answer). The caller returns
// refusal() as its own answer, or carries it up: a Checked<U> is made from the HttpResponse too.
//   const Checked<PaymentRequest> payment = paymentBody(request);
//   if (!payment)
//       return payment.refusal();
// A check that reads no value returns std::optional<HttpResponse>: the refusal, or nullopt.
template<typename T> class Checked : public ValueOr<T, HttpResponse>
{
public:
    using ValueOr<T, HttpResponse>::ValueOr;
    // The response refusing the request (400, 422, ...); only when there is no value.
    const HttpResponse &refusal() const { return this->why(); }
};

// Reading requests. These are pure functions of the request (no database), so the fuzz target
// runs them exactly as the handlers do. Each returns what it read or, for what it refuses, the
// response that ends the request (a Checked, or a std::optional<HttpResponse> for a check that
// reads nothing): 400 for what is not JSON at all or a malformed header, 422 for JSON of the
// wrong shape, type or range, or with members that are not expected. The handlers
// (OrderApi.cpp) return that refusal as their answer. Checks run in a fixed order and the first
// that fails is the answer.

// A JSON object body (empty allowed when optional) whose members are all in allowed.
Checked<QJsonObject> objectBody(const HttpRequest &request, const QStringList &allowed,
                                bool optional);
Checked<QString> stringMember(const QJsonObject &object, const QString &name, qsizetype maxLength);
// A JSON number that is a whole number within [min, max].
Checked<qint64> wholeMember(const QJsonObject &object, const QString &name, qint64 min, qint64 max);
// If-Match: the order (or tab) version the caller saw: 7, "7" or W/"7"; nullopt without one.
Checked<std::optional<int>> ifMatch(const HttpRequest &request);
// {"items": [...]} (PUT .../current, optional on POST /api/order-sessions); *present tells
// whether the body named items at all.
Checked<QList<ItemSpec>> itemsBody(const HttpRequest &request, bool optional, bool *present);
// PUT .../current: {"items": [...]}, or the whole order as GET .../current returns it. The
// read-only members (the order's id, userId, userName, status, version, total, tabId, tabName,
// receiptNo, logoutTime, createdAt, updatedAt, completedAt, payment; an item's line and
// totalCents, and a catalog item's name and unitPriceCents) are set aside here and checked
// against the order being replaced by checkReadOnly(); an open-price item may say "sku": null.
struct ReplaceBody
{
    QList<ItemSpec> items;
    QJsonObject order;              // the read-only members of the order the body carried
    QList<QJsonObject> itemsFields; // per item, its read-only members (empty: none)
    bool hasReadOnly() const;
};
Checked<ReplaceBody> replaceBody(const HttpRequest &request);
// The 400 naming the first read-only member of body that does not match the order it replaces
// (current, at the version the caller named in If-Match), or nullopt when all match: a member is
// consistent when it says what GET returned for current, or (a total) what the new items make.
// catalog: a catalog item's current name and price (nullopt: no such product), or the response
// that refuses the request when the catalog cannot be read (returned as it is).
struct CatalogEntry
{
    QString name;
    Cents priceCents = 0;
};
std::optional<HttpResponse> checkReadOnly(
    const ReplaceBody &body, const Order &current, int version,
    const std::function<Checked<std::optional<CatalogEntry>>(const QString &sku)> &catalog);
// POST .../current/items: a catalog item {"sku", "qty"} or an open-price item {"name",
// "unitPriceCents", "qty"}; qty defaults to 1.
Checked<ItemSpec> addItemBody(const HttpRequest &request);
// PUT .../complete and PUT /api/tabs/{id}/settle: {"method", "tenderedCents"}.
Checked<PaymentRequest> paymentBody(const HttpRequest &request);

// POST .../current/payments and POST /api/tabs/{id}/payments (split tender, issue 14):
// {"method": "cash"|"card"|"other", "amountCents" (optional: the whole balance), "tenderedCents"
// (cash: required; card and other: the amount), "label" (other: required)}. tenderedGiven is
// false only for a card or other payment of the whole balance: the handler fills in the balance.
struct TenderBody
{
    PaymentRequest payment;
    bool tenderedGiven = false;
};
Checked<TenderBody> tenderBody(const HttpRequest &request);
// POST .../current/discounts: {"scope": "line"|"order", "lineId" (line: its id or its number),
// "percentBp" | "amountCents" (0 removes the discount), "reason"}. The discount's byCashierId is
// left for the handler (the caller).
struct DiscountBody
{
    bool wholeOrder = false;
    QString line;
    Discount discount;
    std::optional<Approver> approver; // "approver": {"name", "pin"}: a manager on the spot
};
Checked<DiscountBody> discountBody(const HttpRequest &request);
// PUT .../current/lines/{lineId}/price: {"unitPriceCents", "reason"}.
struct PriceBody
{
    Cents unitPriceCents = 0;
    QString reason;
    std::optional<Approver> approver;
};
Checked<PriceBody> priceBody(const HttpRequest &request);
// The optional "approver": {"name": "...", "pin": "..."} of a request that may need a manager's
// approval (422 naming the field when it is malformed).
Checked<std::optional<Approver>> approverMember(const QJsonObject &body);

// 503 for a request met by an unavailable database (PostgreSQL connection lost and not yet
// reopened, SQLite disk full or failing: SqlFailure::isUnavailable()), never 500: code
// "database_unavailable", Retry-After in seconds. The change may have been committed only when
// the connection was lost during COMMIT, so the message asks for a retry with the same
// Idempotency-Key, which is then applied once.
HttpResponse databaseUnavailable();

} // namespace SafeTill
