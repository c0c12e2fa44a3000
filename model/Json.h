#pragma once

#include "Types.h"

#include <QByteArrayView>
#include <QDateTime>
#include <QJsonArray>
#include <QJsonObject>
#include <QJsonValue>

#include <optional>

class QSqlQuery;

namespace SafeTill {

// The one JSON shape of each domain type: what `safetill-cli --json` prints and what the
// idempotency table stores as an action's result. Keys are snake_case; money is integer cents.
QJsonObject toJson(const Order &order);
// toJson(order) as a sync op carries the order's state: without the cashier's name, the totals,
// the payments list and the terminal, which the server does not read.
QJsonObject toSyncJson(const Order &order);
// A discount as stored in JSON (orders, lines, sync): {kind, value, reason, by}, or null for none.
QJsonValue toJson(const Discount &discount);
QJsonObject toJson(const OrderLine &line);
QJsonObject toJson(const Payment &payment);
QJsonObject toJson(const Tab &tab);
QJsonObject toJson(const Cashier &cashier);
QJsonObject toJson(const Product &product);
QJsonObject toJson(const HistoryEntry &entry);
struct TaxTable;
// A tax table's rows: [{code, rateBp, netCents, taxCents, grossCents}] (issue 14's names).
QJsonArray toJson(const TaxTable &table);
// toJson(order) as people and scripts read it (`--json`, the HTTP API): plus what is derived from
// the stored order and not stored with it, its tax table ("taxes") and its "currency".
QJsonObject toPresentedJson(const Order &order);
// A discount as people and scripts read it: {kind, percentBp | valueCents, reason, by}.
QJsonObject presentedDiscount(const Discount &discount);
// An order's "discounts": each line's and the order's, with what it took off (amountCents), its
// scope ("line" with lineId and line, or "order"). `taxes` is taxTable(order.lines,
// order.discount).
QJsonArray discountRows(const Order &order, const TaxTable &taxes);

// Reads back what toJson(order) wrote (any JSON of that shape): nullopt unless it is an object
// with a string "id" and a known "status". The text form is the one to use when the JSON is text
// (a stored result, a database's answer): it does not build a QJsonObject first.
std::optional<Order> orderFromJson(const QJsonObject &json);
std::optional<Order> orderFromJsonText(QByteArrayView json);

// Compact JSON written straight to UTF-8 bytes: byte for byte what
// QJsonDocument(value).toJson(QJsonDocument::Compact) writes (members in QJsonObject's sorted key
// order, Qt's string escaping and numbers), without building QJsonObjects first. Every action
// stores its result and writes its outbox op with these: building the order's JSON objects and
// serialising them was half of an add's instructions (bench/README.md, "Issue 14").
void appendCompactJson(QByteArray &out, const QJsonValue &value);
QByteArray toCompactJson(const QJsonObject &object);
// QJsonDocument(toJson(order)).toJson(Compact), and the same of toSyncJson(order).
QByteArray toCompactJson(const Order &order);
QByteArray toCompactSyncJson(const Order &order);
// `object` with one more member, `key` whose value is the compact JSON `rawValue`, in its sorted
// place: toCompactJson of the object with that member inserted. `key` must not be in `object`.
QByteArray toCompactJsonWith(const QJsonObject &object, QStringView key,
                             const QByteArray &rawValue);

// The pieces those are written with, for other fixed shapes written the same way (the HTTP API's
// order, server/ApiJson): a string with Qt's escaping, an integer, text or null (empty text is
// null, like textOrNull()), a storage time or null (timeOrNull()).
void appendJsonString(QByteArray &out, QStringView text);
void appendJsonInteger(QByteArray &out, qint64 value);
void appendJsonTextOrNull(QByteArray &out, const QString &text);
void appendJsonTimeOrNull(QByteArray &out, const QDateTime &time);

// The members of one object, each after a comma but the first; the caller names them in
// QJsonObject's order (sorted by key, as UTF-16 code units: "Z" before "a").
class CompactObjectWriter
{
public:
    explicit CompactObjectWriter(QByteArray &out)
        : m_out(out)
    {
        m_out += '{';
    }
    ~CompactObjectWriter() { m_out += '}'; }
    CompactObjectWriter(const CompactObjectWriter &) = delete;
    CompactObjectWriter &operator=(const CompactObjectWriter &) = delete;

    // `key` is plain ASCII without anything to escape; the caller writes the value.
    QByteArray &key(const char *key)
    {
        if (!m_first)
            m_out += ',';
        m_first = false;
        m_out += '"';
        m_out += key;
        m_out += "\":";
        return m_out;
    }
    void text(const char *name, QStringView value) { appendJsonString(key(name), value); }
    void textOrNull(const char *name, const QString &value)
    {
        appendJsonTextOrNull(key(name), value);
    }
    void integer(const char *name, qint64 value) { appendJsonInteger(key(name), value); }
    void boolean(const char *name, bool value) { key(name) += value ? "true" : "false"; }
    void time(const char *name, const QDateTime &value) { appendJsonTimeOrNull(key(name), value); }
    // A value already written as compact JSON.
    void raw(const char *name, const QByteArray &json) { key(name) += json; }

private:
    QByteArray &m_out;
    bool m_first = true;
};

// Building blocks shared by every JSON shape (CLI, HTTP API, sync): an empty text or an invalid
// time is null, times are UTC ISO-8601.
QJsonValue textOrNull(const QString &text);
QJsonValue timeOrNull(const QDateTime &time);
// A JSON number that is a whole number within [min, max] (JSON numbers are doubles: 2.5 and 1e300
// are not counts or cents).
std::optional<qint64> wholeNumber(const QJsonValue &value, qint64 min, qint64 max);
// The rows of an executed query, each a JSON object keyed by column name; finishes the query.
QJsonArray rowsToJson(QSqlQuery &query);
std::optional<Tab> tabFromJson(const QJsonObject &json);

// Reads back what toJson wrote, for replaying a stored result.
template<typename T> struct JsonCodec;
template<> struct JsonCodec<Order>
{
    static QJsonObject encode(const Order &order) { return toJson(order); }
    // encode()'s compact JSON, written directly (what the idempotency table stores).
    static QByteArray encodeCompact(const Order &order) { return toCompactJson(order); }
    static std::optional<Order> decode(const QJsonObject &json) { return orderFromJson(json); }
};
template<> struct JsonCodec<Tab>
{
    static QJsonObject encode(const Tab &tab) { return toJson(tab); }
    static QByteArray encodeCompact(const Tab &tab) { return toCompactJson(toJson(tab)); }
    static std::optional<Tab> decode(const QJsonObject &json) { return tabFromJson(json); }
};

} // namespace SafeTill
