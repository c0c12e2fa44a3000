#include "RawOrders.h"

#include <sqlite3.h>

#include <algorithm>
#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <ctime>

namespace SafeTillBench {

namespace {

// Copied verbatim from model/OrderService.cpp, model/OrderStore.cpp, model/ActionJournal.cpp and
// db/Database.cpp (as of issue 14, migration 012), so both sides run the same statements. Run the
// benchmark with SAFETILL_BENCH_SQL=1 to print both sides' statements and compare them.
enum Statement : int {
    Begin,
    Commit,
    Rollback,
    IdempotencyFind,
    BumpUnpaid,
    ProductBySku,
    LineBySku,
    LineAdd,
    LineCount,
    TaxSnapshot,
    NextLineNo,
    LineInsert,
    OrderById,
    LinesOfOrder,
    PaymentsOfOrder,
    HistoryInsert,
    OutboxInsert,
    IdempotencyInsert,
    BumpVersioned,
    BumpAnyVersion,
    OrderTotal,
    CashRounding,
    NextReceipt,
    SetReceipt,
    MarkCompleted,
    OpenShift,
    PaymentInsert,
    PaidUpdate,
    FindLineByNo,
    SetLineDiscount,
    SetOrderDiscount,
    TerminalId,
    CashierExists,
    Resume,
    OpenOrderOf,
    OrderInsert,
    StatementCount
};

const char *const sqlText[StatementCount] = {
    "BEGIN IMMEDIATE",
    "COMMIT",
    "ROLLBACK",
    "SELECT action, fingerprint, result FROM idempotency WHERE request_id = ?",
    "UPDATE order_sessions SET version = version + 1, updated_at = ? "
    "WHERE id = ? AND status = 'active' AND paid_cents = 0 RETURNING version",
    "SELECT name, price_cents FROM products WHERE sku = ?",
    "SELECT line_no, quantity, line_id FROM order_lines WHERE order_id = ? AND sku = ? "
    "ORDER BY line_no LIMIT 1",
    "UPDATE order_lines SET quantity = quantity + ? WHERE order_id = ? AND line_id = ?",
    "SELECT COUNT(*) FROM order_lines WHERE order_id = ?",
    // The tax a new line keeps (issue 14): OrderStore::withCurrentTax().
    "SELECT COALESCE(r.code, ''), COALESCE(r.rate_bp, 0), "
    "COALESCE((SELECT CASE s.value WHEN 'no' THEN 0 ELSE 1 END FROM shop_settings s "
    "WHERE s.name = 'prices_include_tax'), 1) "
    "FROM (SELECT 1) AS one LEFT JOIN tax_rates r ON r.code = CASE "
    "WHEN COALESCE(CAST(? AS TEXT), '') = '' THEN (SELECT s.value FROM shop_settings s "
    "WHERE s.name = 'default_tax') "
    "ELSE (SELECT p.tax_code FROM products p WHERE p.sku = CAST(? AS TEXT)) END",
    "UPDATE order_sessions SET line_seq = line_seq + 1 WHERE id = ? RETURNING line_seq",
    "INSERT INTO order_lines (order_id, line_no, line_id, sku, name, unit_price_cents, quantity, "
    "tax_code, tax_rate_bp, price_includes_tax) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    "SELECT o.id, o.cashier_id, c.name, o.status, o.version, o.tab_id, t.name, o.receipt_no, "
    "o.created_at, o.updated_at, o.logout_time, o.completed_at, o.terminal_id, o.discount_kind, "
    "o.discount_value, o.discount_reason, o.discount_by FROM order_sessions o "
    "JOIN cashiers c ON c.id = o.cashier_id LEFT JOIN tabs t ON t.id = o.tab_id WHERE o.id = ?",
    "SELECT line_no, sku, name, unit_price_cents, quantity, line_id, tax_code, tax_rate_bp, "
    "price_includes_tax, discount_kind, discount_value, discount_reason, discount_by, "
    "list_price_cents, price_reason FROM order_lines WHERE order_id = ? ORDER BY line_no",
    "SELECT id, order_id, tab_id, method, amount_cents, tendered_cents, change_cents, receipt_no, "
    "paid_at, kind, due_cents, paid_version, terminal_id, cashier_id, label, rounding_cents, "
    "shift_id FROM payments WHERE order_id = ? ORDER BY paid_at, receipt_no IS NOT NULL, id",
    "INSERT INTO order_history (order_id, at, cashier_id, action, from_version, to_version, "
    "from_status, to_status, detail, request_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    "INSERT INTO outbox (request_id, op, order_id, tab_id, payload, created_at) "
    "VALUES (?, ?, ?, ?, ?, ?)",
    "INSERT INTO idempotency (request_id, action, fingerprint, result, created_at) "
    "VALUES (?, ?, ?, ?, ?)",
    "UPDATE order_sessions SET version = version + 1, updated_at = ? "
    "WHERE id = ? AND status = 'active' AND version = ? RETURNING version",
    "UPDATE order_sessions SET version = version + 1, updated_at = ? "
    "WHERE id = ? AND status = 'active' RETURNING version",
    // OrderStore::taxesOf() for an order, with OrderStore::lineTotalSql().
    "SELECT o.id, l.tax_code, l.tax_rate_bp, l.price_includes_tax, "
    "CAST(COALESCE(SUM((l.unit_price_cents * l.quantity - CASE l.discount_kind "
    "WHEN 'percent' THEN (l.unit_price_cents * l.quantity * l.discount_value + 5000) / 10000 "
    "WHEN 'amount' THEN CASE WHEN l.discount_value < l.unit_price_cents * l.quantity "
    "THEN l.discount_value ELSE l.unit_price_cents * l.quantity END ELSE 0 END)), 0) AS BIGINT), "
    "COUNT(l.line_id), MAX(o.discount_kind), MAX(o.discount_value), MAX(o.paid_cents) "
    "FROM order_sessions o LEFT JOIN order_lines l ON l.order_id = o.id WHERE o.id = ? "
    "GROUP BY o.id, l.tax_code, l.tax_rate_bp, l.price_includes_tax",
    "SELECT value FROM shop_settings WHERE name = 'cash_rounding'",
    "UPDATE terminal SET next_receipt_seq = next_receipt_seq + 1 WHERE id = 1 "
    "RETURNING receipt_prefix, next_receipt_seq",
    "UPDATE order_sessions SET receipt_no = ? WHERE id = ? RETURNING cashier_id",
    "UPDATE order_sessions SET status = 'completed', completed_at = ? "
    "WHERE id = ? AND status = 'active'",
    // ShiftStore::openShiftFor() (issue 15): the payment lands in the till's open shift.
    "SELECT id FROM shifts WHERE terminal_id = ? AND status = 'open'",
    "INSERT INTO payments (id, order_id, tab_id, kind, method, label, amount_cents, "
    "rounding_cents, tendered_cents, change_cents, due_cents, paid_version, receipt_no, "
    "terminal_id, cashier_id, paid_at, shift_id) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    "UPDATE order_sessions SET paid_cents = paid_cents + ? WHERE id = ?",
    "SELECT line_id, line_no, unit_price_cents * quantity FROM order_lines "
    "WHERE order_id = ? AND line_no = ?",
    "UPDATE order_lines SET discount_kind = ?, discount_value = ?, discount_reason = ?, "
    "discount_by = ? WHERE order_id = ? AND line_id = ?",
    "UPDATE order_sessions SET discount_kind = ?, discount_value = ?, discount_reason = ?, "
    "discount_by = ? WHERE id = ?",
    "SELECT terminal_id FROM terminal WHERE id = 1",
    "SELECT 1 FROM cashiers WHERE id = ?",
    "UPDATE order_sessions SET status = 'active', version = version + 1, updated_at = ?, "
    "logout_time = NULL WHERE terminal_id = (SELECT terminal_id FROM terminal WHERE id = 1) "
    "AND cashier_id = ? AND status IN ('active', 'pending_logout') "
    "AND status = 'pending_logout' RETURNING id, version",
    "SELECT id FROM order_sessions WHERE terminal_id = (SELECT terminal_id FROM terminal "
    "WHERE id = 1) AND cashier_id = ? AND status IN ('active', 'pending_logout')",
    "INSERT INTO order_sessions (id, cashier_id, status, version, created_at, updated_at, "
    "terminal_id) VALUES (?, ?, 'active', ?, ?, ?, ?) ON CONFLICT DO NOTHING",
};

// SafeTill stores a SHA-256 of the action and its parameters; the baseline stores a constant of
// the same length.
const std::string fixedFingerprint(64, 'f');

struct Failure
{
    int code;
    std::string message;
};

struct Refusal
{
    std::string message;
};

[[noreturn]] void fail(sqlite3 *db)
{
    throw Failure{sqlite3_extended_errcode(db), sqlite3_errmsg(db)};
}

// UTC ISO-8601 with milliseconds, like toStorageTime().
std::string storageTimeNow()
{
    timespec ts{};
    clock_gettime(CLOCK_REALTIME, &ts);
    tm utc{};
    gmtime_r(&ts.tv_sec, &utc);
    char text[96];
    std::snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", utc.tm_year + 1900,
                  utc.tm_mon + 1, utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec,
                  int(ts.tv_nsec / 1000000));
    return text;
}

std::string columnText(sqlite3_stmt *statement, int column)
{
    const auto *text = reinterpret_cast<const char *>(sqlite3_column_text(statement, column));
    return text ? std::string(text, std::size_t(sqlite3_column_bytes(statement, column)))
                : std::string();
}

class Binder
{
public:
    Binder(sqlite3 *db, sqlite3_stmt *statement)
        : m_db(db)
        , m_statement(statement)
    {}
    Binder &text(const std::string &value)
    {
        check(sqlite3_bind_text(m_statement, ++m_index, value.data(), int(value.size()),
                                SQLITE_STATIC));
        return *this;
    }
    Binder &text(const char *value)
    {
        check(sqlite3_bind_text(m_statement, ++m_index, value, -1, SQLITE_STATIC));
        return *this;
    }
    Binder &textOrNull(const std::string &value) { return value.empty() ? null() : text(value); }
    Binder &integer(std::int64_t value)
    {
        check(sqlite3_bind_int64(m_statement, ++m_index, value));
        return *this;
    }
    Binder &null()
    {
        check(sqlite3_bind_null(m_statement, ++m_index));
        return *this;
    }
    // Steps once: true for a row (read it, then reset()), false when done (already reset).
    bool step()
    {
        const int rc = sqlite3_step(m_statement);
        if (rc == SQLITE_ROW)
            return true;
        sqlite3_reset(m_statement);
        if (rc != SQLITE_DONE)
            fail(m_db);
        return false;
    }
    // Runs a statement that returns no rows we need.
    void run()
    {
        while (step()) {
        }
    }
    void reset() { sqlite3_reset(m_statement); }

private:
    void check(int rc)
    {
        if (rc != SQLITE_OK)
            fail(m_db);
    }
    sqlite3 *m_db;
    sqlite3_stmt *m_statement;
    int m_index = 0;
};

void appendJsonString(std::string &out, const std::string &text)
{
    out += '"';
    for (const char c : text) {
        switch (c) {
        case '"':
            out += "\\\"";
            break;
        case '\\':
            out += "\\\\";
            break;
        default:
            if (static_cast<unsigned char>(c) < 0x20) {
                char escaped[8];
                std::snprintf(escaped, sizeof escaped, "\\u%04x", unsigned(c));
                out += escaped;
            } else {
                out += c;
            }
        }
    }
    out += '"';
}

void appendKey(std::string &out, const char *key)
{
    if (out.back() != '{')
        out += ',';
    out += '"';
    out += key;
    out += "\":";
}

void appendText(std::string &out, const char *key, const std::string &value)
{
    appendKey(out, key);
    appendJsonString(out, value);
}

void appendTextOrNull(std::string &out, const char *key, const std::string &value)
{
    appendKey(out, key);
    if (value.empty())
        out += "null";
    else
        appendJsonString(out, value);
}

void appendInteger(std::string &out, const char *key, std::int64_t value)
{
    appendKey(out, key);
    out += std::to_string(value);
}

} // namespace

std::int64_t RawOrders::Discount::of(std::int64_t amount) const
{
    // Discount::of() and roundedMulDiv(): amounts are never negative here.
    if (kind == "percent")
        return (amount * value + 5000) / 10000;
    if (kind == "amount")
        return std::clamp<std::int64_t>(value, 0, amount);
    return 0;
}

std::int64_t RawOrders::Order::totalCents() const
{
    std::int64_t subtotal = 0;
    for (const Line &line : lines)
        subtotal += line.totalCents();
    return subtotal - discount.of(subtotal);
}

RawOrders::~RawOrders()
{
    for (sqlite3_stmt *statement : m_statements)
        sqlite3_finalize(statement);
    sqlite3_close(m_db);
}

bool RawOrders::open(const std::string &path, bool durable, int busyTimeoutMs, std::string *error)
{
    if (sqlite3_open_v2(path.c_str(), &m_db, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK) {
        *error = m_db ? sqlite3_errmsg(m_db) : "out of memory";
        return false;
    }
    sqlite3_busy_timeout(m_db, busyTimeoutMs);
    const std::string pragmas =
        std::string("PRAGMA journal_mode=WAL; PRAGMA foreign_keys=ON; ") +
        (durable ? "PRAGMA synchronous=FULL;" : "PRAGMA synchronous=NORMAL;");
    char *message = nullptr;
    if (sqlite3_exec(m_db, pragmas.c_str(), nullptr, nullptr, &message) != SQLITE_OK) {
        *error = message ? message : "pragma failed";
        sqlite3_free(message);
        return false;
    }
    m_statements.assign(StatementCount, nullptr);
    for (int i = 0; i < StatementCount; ++i) {
        if (sqlite3_prepare_v3(m_db, sqlText[i], -1, SQLITE_PREPARE_PERSISTENT,
                               &m_statements[std::size_t(i)], nullptr) != SQLITE_OK) {
            *error = std::string(sqlite3_errmsg(m_db)) + " in: " + sqlText[i];
            return false;
        }
    }
    return true;
}

template<typename Body> RawOrders::Outcome RawOrders::transaction(Body &&body)
{
    try {
        Binder(m_db, statement(Begin)).run();
    } catch (const Failure &failure) {
        const bool busy = (failure.code & 0xff) == SQLITE_BUSY;
        return Outcome{busy ? Status::Busy : Status::Error, failure.message, 0, {}};
    }
    try {
        Outcome outcome = body();
        Binder(m_db, statement(Commit)).run();
        return outcome;
    } catch (const Refusal &refusal) {
        Binder(m_db, statement(Rollback)).run();
        return Outcome{Status::Refused, refusal.message, 0, {}};
    } catch (const Failure &failure) {
        try {
            Binder(m_db, statement(Rollback)).run();
        } catch (const Failure &) {
        }
        const bool busy = (failure.code & 0xff) == SQLITE_BUSY;
        return Outcome{busy ? Status::Busy : Status::Error, failure.message, 0, {}};
    }
}

bool RawOrders::seen(const std::string &requestId)
{
    Binder find(m_db, statement(IdempotencyFind));
    if (!find.text(requestId).step())
        return false;
    // SafeTill would decode the stored result and replay it; the benchmark never repeats an id.
    find.reset();
    return true;
}

bool RawOrders::loadOrder(const std::string &orderId, Order &order)
{
    sqlite3_stmt *row = statement(OrderById);
    Binder select(m_db, row);
    if (!select.text(orderId).step())
        return false;
    order.id = columnText(row, 0);
    order.cashierId = columnText(row, 1);
    order.cashierName = columnText(row, 2);
    order.status = columnText(row, 3);
    order.version = sqlite3_column_int(row, 4);
    order.tabId = columnText(row, 5);
    order.tabName = columnText(row, 6);
    order.receiptNo = columnText(row, 7);
    order.createdAt = columnText(row, 8);
    order.updatedAt = columnText(row, 9);
    order.logoutTime = columnText(row, 10);
    order.completedAt = columnText(row, 11);
    order.terminalId = columnText(row, 12);
    order.discount = Discount{columnText(row, 13), columnText(row, 15), columnText(row, 16),
                              sqlite3_column_int64(row, 14)};
    select.reset();

    sqlite3_stmt *lineRow = statement(LinesOfOrder);
    Binder lines(m_db, lineRow);
    lines.text(orderId);
    order.lines.clear();
    while (lines.step()) {
        Line line;
        line.lineNo = sqlite3_column_int(lineRow, 0);
        line.sku = columnText(lineRow, 1);
        line.name = columnText(lineRow, 2);
        line.unitPriceCents = sqlite3_column_int64(lineRow, 3);
        line.quantity = sqlite3_column_int(lineRow, 4);
        line.lineId = columnText(lineRow, 5);
        line.taxCode = columnText(lineRow, 6);
        line.taxRateBp = sqlite3_column_int(lineRow, 7);
        line.priceIncludesTax = sqlite3_column_int(lineRow, 8) != 0;
        line.discount = Discount{columnText(lineRow, 9), columnText(lineRow, 11),
                                 columnText(lineRow, 12), sqlite3_column_int64(lineRow, 10)};
        if (sqlite3_column_type(lineRow, 13) != SQLITE_NULL)
            line.listPriceCents = sqlite3_column_int64(lineRow, 13);
        line.priceReason = columnText(lineRow, 14);
        order.lines.push_back(std::move(line));
    }

    sqlite3_stmt *paymentRow = statement(PaymentsOfOrder);
    Binder payments(m_db, paymentRow);
    payments.text(orderId);
    order.payments.clear();
    while (payments.step()) {
        Payment p;
        p.id = columnText(paymentRow, 0);
        p.orderId = columnText(paymentRow, 1);
        p.tabId = columnText(paymentRow, 2);
        p.method = columnText(paymentRow, 3);
        p.amountCents = sqlite3_column_int64(paymentRow, 4);
        p.tenderedCents = sqlite3_column_int64(paymentRow, 5);
        p.changeCents = sqlite3_column_int64(paymentRow, 6);
        p.receiptNo = columnText(paymentRow, 7);
        p.paidAt = columnText(paymentRow, 8);
        p.kind = columnText(paymentRow, 9);
        p.dueCents = sqlite3_column_int64(paymentRow, 10);
        p.paidVersion = sqlite3_column_int(paymentRow, 11);
        p.terminalId = columnText(paymentRow, 12);
        p.cashierId = columnText(paymentRow, 13);
        p.label = columnText(paymentRow, 14);
        p.roundingCents = sqlite3_column_int64(paymentRow, 15);
        order.payments.push_back(std::move(p));
    }
    return true;
}

void RawOrders::appendHistory(const Order &order, const std::string &action,
                              std::optional<int> fromVersion, const char *fromStatus,
                              const std::string &detail, const std::string &requestId,
                              const std::string &now)
{
    Binder insert(m_db, statement(HistoryInsert));
    insert.text(order.id).text(now).textOrNull(order.cashierId).text(action);
    if (fromVersion)
        insert.integer(*fromVersion);
    else
        insert.null();
    insert.integer(order.version);
    if (*fromStatus)
        insert.text(fromStatus);
    else
        insert.null();
    insert.text(order.status).text(detail).text(requestId);
    insert.run();
}

namespace {

void appendDiscount(std::string &json, const char *key, const std::string &kind, std::int64_t value,
                    const std::string &reason, const std::string &by)
{
    appendKey(json, key);
    json += '{';
    appendText(json, "kind", kind);
    appendInteger(json, "value", value);
    appendText(json, "reason", reason);
    appendTextOrNull(json, "by", by);
    json += '}';
}

} // namespace

// toJson(Order) (model/Json.cpp), or the sync state (OrderService's syncState(): without the
// cashier's name, the totals, the payments and the terminal).
void RawOrders::appendOrderJson(std::string &json, const Order &order, bool syncState)
{
    json += '{';
    appendText(json, "id", order.id);
    appendText(json, "cashier_id", order.cashierId);
    if (!syncState)
        appendText(json, "cashier", order.cashierName);
    appendText(json, "status", order.status);
    appendInteger(json, "version", order.version);
    appendKey(json, "lines");
    json += '[';
    for (std::size_t i = 0; i < order.lines.size(); ++i) {
        const Line &line = order.lines[i];
        if (i > 0)
            json += ',';
        json += '{';
        appendInteger(json, "line", line.lineNo);
        appendTextOrNull(json, "sku", line.sku);
        appendText(json, "name", line.name);
        appendInteger(json, "unit_price_cents", line.unitPriceCents);
        appendInteger(json, "qty", line.quantity);
        if (!syncState)
            appendInteger(json, "total_cents", line.totalCents());
        appendText(json, "line_id", line.lineId);
        appendText(json, "tax_code", line.taxCode);
        appendInteger(json, "tax_rate_bp", line.taxRateBp);
        appendKey(json, "price_includes_tax");
        json += line.priceIncludesTax ? "true" : "false";
        if (!line.discount.kind.empty()) {
            appendDiscount(json, "discount", line.discount.kind, line.discount.value,
                           line.discount.reason, line.discount.by);
            appendInteger(json, "discount_cents", line.discountCents());
        }
        if (line.listPriceCents) {
            appendInteger(json, "list_price_cents", *line.listPriceCents);
            appendText(json, "price_reason", line.priceReason);
        }
        json += '}';
    }
    json += ']';
    if (!syncState)
        appendInteger(json, "total_cents", order.totalCents());
    appendTextOrNull(json, "tab_id", order.tabId);
    appendTextOrNull(json, "tab", order.tabName);
    appendTextOrNull(json, "receipt_no", order.receiptNo);
    appendTextOrNull(json, "created_at", order.createdAt);
    appendTextOrNull(json, "updated_at", order.updatedAt);
    appendTextOrNull(json, "logout_time", order.logoutTime);
    appendTextOrNull(json, "completed_at", order.completedAt);
    auto appendPayment = [&json](const Payment &p) {
        json += '{';
        appendText(json, "id", p.id);
        appendTextOrNull(json, "order_id", p.orderId);
        appendTextOrNull(json, "tab_id", p.tabId);
        appendText(json, "method", p.method);
        appendInteger(json, "amount_cents", p.amountCents);
        appendInteger(json, "tendered_cents", p.tenderedCents);
        appendInteger(json, "change_cents", p.changeCents);
        appendTextOrNull(json, "receipt_no", p.receiptNo);
        appendTextOrNull(json, "paid_at", p.paidAt);
        appendText(json, "kind", p.kind);
        appendInteger(json, "due_cents", p.dueCents);
        appendInteger(json, "paid_version", p.paidVersion);
        appendText(json, "terminal_id", p.terminalId);
        appendTextOrNull(json, "cashier_id", p.cashierId);
        if (!p.label.empty())
            appendText(json, "label", p.label);
        if (p.roundingCents != 0)
            appendInteger(json, "rounding_cents", p.roundingCents);
        json += '}';
    };
    // The sale payment (the one with the receipt, as salePayment() picks it), then all of them.
    const Payment *sale = nullptr;
    for (const Payment &p : order.payments) {
        if (p.kind == "sale" && !p.receiptNo.empty())
            sale = &p;
    }
    appendKey(json, "payment");
    if (sale)
        appendPayment(*sale);
    else
        json += "null";
    if (!syncState) {
        appendKey(json, "payments");
        json += '[';
        for (std::size_t i = 0; i < order.payments.size(); ++i) {
            if (i > 0)
                json += ',';
            appendPayment(order.payments[i]);
        }
        json += ']';
        appendText(json, "terminal_id", order.terminalId);
    }
    if (!order.discount.kind.empty()) {
        appendDiscount(json, "discount", order.discount.kind, order.discount.value,
                       order.discount.reason, order.discount.by);
    }
    json += '}';
}

void RawOrders::appendOutbox(const std::string &requestId, const char *op, const Order &order,
                             std::optional<int> baseVersion, std::string &payload,
                             const std::string &changes, const std::string &now)
{
    // payload holds the action's parameters as an open JSON object; OrderService::finish() and
    // ActionJournal::appendOutbox() add these.
    appendText(payload, "order_id", order.id);
    appendText(payload, "cashier_id", order.cashierId);
    appendInteger(payload, "version", order.version);
    appendText(payload, "status", order.status);
    appendKey(payload, "base_version");
    payload += baseVersion ? std::to_string(*baseVersion) : std::string("null");
    appendKey(payload, "order");
    appendOrderJson(payload, order, true);
    appendKey(payload, "changes");
    payload += '[';
    payload += changes;
    payload += ']';
    appendInteger(payload, "format", 1);
    payload += '}';
    Binder insert(m_db, statement(OutboxInsert));
    insert.text(requestId).text(op).text(order.id).textOrNull(order.tabId).text(payload).text(now);
    insert.run();
}

void RawOrders::storeResult(const std::string &requestId, const char *action, const Order &order,
                            const std::string &now)
{
    std::string &json = m_json;
    json.clear();
    appendOrderJson(json, order, false);
    Binder insert(m_db, statement(IdempotencyInsert));
    insert.text(requestId).text(action).text(fixedFingerprint).text(json).text(now);
    insert.run();
}

std::string RawOrders::newId()
{
    const std::uint64_t high = m_random();
    const std::uint64_t low = m_random();
    char text[40];
    std::snprintf(text, sizeof text,
                  "%08" PRIx64 "-%04" PRIx64 "-4%03" PRIx64 "-%04" PRIx64 "-%012" PRIx64,
                  high >> 32, (high >> 16) & 0xffff, high & 0xfff, (low >> 48) & 0xffff,
                  low & std::uint64_t(0xffffffffffff));
    return text;
}

const std::string &RawOrders::terminalId()
{
    // OrderStore keeps the terminal's id once read.
    if (m_terminalId.empty()) {
        sqlite3_stmt *row = statement(TerminalId);
        Binder select(m_db, row);
        if (select.step()) {
            m_terminalId = columnText(row, 0);
            select.reset();
        }
    }
    return m_terminalId;
}

RawOrders::Outcome RawOrders::openOrResume(const std::string &cashierId,
                                           const std::string &requestId)
{
    return transaction([&]() -> Outcome {
        if (seen(requestId))
            throw Refusal{"request id already used"};
        Binder cashier(m_db, statement(CashierExists));
        if (!cashier.text(cashierId).step())
            throw Refusal{"no such cashier"};
        cashier.reset();
        const std::string now = storageTimeNow();
        Order order;

        sqlite3_stmt *resumeRow = statement(Resume);
        Binder resume(m_db, resumeRow);
        if (resume.text(now).text(cashierId).step()) {
            const std::string orderId = columnText(resumeRow, 0);
            const int version = sqlite3_column_int(resumeRow, 1);
            resume.reset();
            if (!loadOrder(orderId, order))
                throw Refusal{"no such order"};
            appendHistory(order, "resume", version - 1, "pending_logout", "resumed after log-out",
                          requestId, now);
            std::string payload = "{";
            appendOutbox(requestId, "resume", order, version - 1, payload, {}, now);
            storeResult(requestId, "open", order, now);
            return Outcome{Status::Ok, {}, order.version, order.id};
        }

        sqlite3_stmt *openRow = statement(OpenOrderOf);
        Binder open(m_db, openRow);
        if (open.text(cashierId).step()) {
            const std::string orderId = columnText(openRow, 0);
            open.reset();
            if (!loadOrder(orderId, order))
                throw Refusal{"no such order"};
            storeResult(requestId, "open", order, now); // already open: nothing else changes
            return Outcome{Status::Ok, {}, order.version, order.id};
        }

        const std::string orderId = newId();
        Binder(m_db, statement(OrderInsert))
            .text(orderId)
            .text(cashierId)
            .integer(1)
            .text(now)
            .text(now)
            .text(terminalId())
            .run();
        if (sqlite3_changes(m_db) == 0)
            throw Refusal{"another till opened an order at the same moment"};
        if (!loadOrder(orderId, order))
            throw Refusal{"no such order"};
        appendHistory(order, "open", std::nullopt, "", "opened", requestId, now);
        std::string payload = "{";
        appendOutbox(requestId, "open", order, std::nullopt, payload, {}, now);
        storeResult(requestId, "open", order, now);
        return Outcome{Status::Ok, {}, order.version, order.id};
    });
}

RawOrders::Outcome RawOrders::addProduct(const std::string &orderId, const std::string &sku,
                                         int quantity, const std::string &requestId)
{
    return transaction([&]() -> Outcome {
        if (seen(requestId))
            throw Refusal{"request id already used"};
        const std::string now = storageTimeNow();

        sqlite3_stmt *bumpRow = statement(BumpUnpaid);
        Binder bump(m_db, bumpRow);
        if (!bump.text(now).text(orderId).step())
            throw Refusal{"order is not active"}; // SafeTill loads the order to explain why
        const int version = sqlite3_column_int(bumpRow, 0);
        bump.reset();

        sqlite3_stmt *productRow = statement(ProductBySku);
        Binder product(m_db, productRow);
        if (!product.text(sku).step())
            throw Refusal{"no such product"};
        const std::string name = columnText(productRow, 0);
        const std::int64_t price = sqlite3_column_int64(productRow, 1);
        product.reset();

        sqlite3_stmt *lineRow = statement(LineBySku);
        Binder existing(m_db, lineRow);
        struct Existing
        {
            int lineNo, quantity;
            std::string lineId;
        };
        std::optional<Existing> line;
        if (existing.text(orderId).text(sku).step()) {
            line = Existing{sqlite3_column_int(lineRow, 0), sqlite3_column_int(lineRow, 1),
                            columnText(lineRow, 2)};
            existing.reset();
        }

        std::string detail;
        std::string changes;
        if (line) {
            if (line->quantity + quantity > 9999)
                throw Refusal{"line full"};
            Binder(m_db, statement(LineAdd))
                .integer(quantity)
                .text(orderId)
                .text(line->lineId)
                .run();
            changes = "{";
            appendText(changes, "kind", "adjust");
            appendText(changes, "line_id", line->lineId);
            appendInteger(changes, "delta", quantity);
            changes += '}';
            detail = "line " + std::to_string(line->lineNo) + ": " + sku + " +" +
                     std::to_string(quantity);
        } else {
            sqlite3_stmt *countRow = statement(LineCount);
            Binder count(m_db, countRow);
            count.text(orderId).step();
            const int lineCount = sqlite3_column_int(countRow, 0);
            count.reset();
            if (lineCount >= 2000)
                throw Refusal{"too many lines"};
            sqlite3_stmt *taxRow = statement(TaxSnapshot);
            Binder tax(m_db, taxRow);
            tax.text(sku).text(sku).step();
            const std::string taxCode = columnText(taxRow, 0);
            const int rateBp = sqlite3_column_int(taxRow, 1);
            const int included = sqlite3_column_int(taxRow, 2);
            tax.reset();
            sqlite3_stmt *nextRow = statement(NextLineNo);
            Binder next(m_db, nextRow);
            next.text(orderId).step();
            const int lineNo = sqlite3_column_int(nextRow, 0);
            next.reset();
            const std::string lineId = newId();
            Binder(m_db, statement(LineInsert))
                .text(orderId)
                .integer(lineNo)
                .text(lineId)
                .text(sku)
                .text(name)
                .integer(price)
                .integer(quantity)
                .text(taxCode)
                .integer(rateBp)
                .integer(included)
                .run();
            changes = "{";
            appendText(changes, "kind", "add");
            appendText(changes, "line_id", lineId);
            appendInteger(changes, "line", lineNo);
            appendText(changes, "sku", sku);
            appendText(changes, "name", name);
            appendInteger(changes, "unit_price_cents", price);
            appendInteger(changes, "qty", quantity);
            appendText(changes, "tax_code", taxCode);
            appendInteger(changes, "tax_rate_bp", rateBp);
            appendKey(changes, "price_includes_tax");
            changes += included ? "true" : "false";
            changes += '}';
            detail =
                "line " + std::to_string(lineNo) + ": " + sku + " x" + std::to_string(quantity);
        }

        Order order;
        if (!loadOrder(orderId, order))
            throw Refusal{"no such order"};
        appendHistory(order, "add_item", version - 1, "active", detail, requestId, now);
        std::string payload = "{";
        appendText(payload, "sku", sku);
        appendInteger(payload, "qty", quantity);
        appendText(payload, "name", name);
        appendInteger(payload, "unit_price_cents", price);
        appendOutbox(requestId, "add_item", order, version - 1, payload, changes, now);
        storeResult(requestId, "add_item", order, now);
        return Outcome{Status::Ok, {}, order.version, {}};
    });
}

RawOrders::Outcome RawOrders::complete(const std::string &orderId, std::int64_t tenderedCents,
                                       std::optional<int> expectedVersion,
                                       const std::string &requestId)
{
    return transaction([&]() -> Outcome {
        if (seen(requestId))
            throw Refusal{"request id already used"};
        const std::string now = storageTimeNow();

        sqlite3_stmt *updateRow = statement(expectedVersion ? BumpVersioned : BumpAnyVersion);
        Binder update(m_db, updateRow);
        update.text(now).text(orderId);
        if (expectedVersion)
            update.integer(*expectedVersion);
        if (!update.step())
            throw Refusal{"order is not active or has changed"};
        const int version = sqlite3_column_int(updateRow, 0);
        update.reset();

        // The lines after discounts by rate, with the order's discount and what was paid: prices
        // include tax here, so the total is the subtotal less the order's discount.
        sqlite3_stmt *sumRow = statement(OrderTotal);
        Binder sum(m_db, sumRow);
        sum.text(orderId);
        std::int64_t subtotal = 0, paid = 0;
        int lineCount = 0;
        Discount orderDiscount;
        while (sum.step()) {
            subtotal += sqlite3_column_int64(sumRow, 4);
            lineCount += sqlite3_column_int(sumRow, 5);
            orderDiscount.kind = columnText(sumRow, 6);
            orderDiscount.value = sqlite3_column_int64(sumRow, 7);
            paid = sqlite3_column_int64(sumRow, 8);
        }
        const std::int64_t total = subtotal - orderDiscount.of(subtotal);
        if (lineCount == 0)
            throw Refusal{"empty order"};
        const std::int64_t due = total - paid;
        if (tenderedCents < due)
            throw Refusal{"tendered less than total"};

        sqlite3_stmt *roundingRow = statement(CashRounding);
        Binder rounding(m_db, roundingRow);
        std::int64_t step = 0;
        if (rounding.step()) {
            step = std::atoll(reinterpret_cast<const char *>(sqlite3_column_text(roundingRow, 0)));
            rounding.reset();
        }
        if (step > 1)
            throw Refusal{"cash rounding is not mirrored by the baseline"};

        sqlite3_stmt *receiptRow = statement(NextReceipt);
        Binder next(m_db, receiptRow);
        if (!next.step())
            throw Refusal{"terminal row missing"};
        char receiptText[48];
        std::snprintf(receiptText, sizeof receiptText, "%s-%06" PRId64,
                      reinterpret_cast<const char *>(sqlite3_column_text(receiptRow, 0)),
                      std::int64_t(sqlite3_column_int64(receiptRow, 1) - 1));
        next.reset();
        const std::string receipt = receiptText;

        sqlite3_stmt *cashierRow = statement(SetReceipt);
        Binder setReceipt(m_db, cashierRow);
        std::string cashierId;
        if (setReceipt.text(receipt).text(orderId).step()) {
            cashierId = columnText(cashierRow, 0);
            setReceipt.reset();
        }
        Binder(m_db, statement(MarkCompleted)).text(now).text(orderId).run();
        const std::string paymentId = newId();
        // The benchmark's database has its shift open after the first payment (the model opens
        // it then); this side reads it the same way and books into it.
        sqlite3_stmt *shiftRow = statement(OpenShift);
        Binder openShift(m_db, shiftRow);
        std::string shiftId;
        if (openShift.text(terminalId()).step()) {
            shiftId = columnText(shiftRow, 0);
            openShift.reset();
        }
        Binder(m_db, statement(PaymentInsert))
            .text(paymentId)
            .text(orderId)
            .null()
            .text("sale")
            .text("cash")
            .text("")
            .integer(due)
            .integer(0)
            .integer(tenderedCents)
            .integer(tenderedCents - due)
            .integer(total)
            .integer(version - 1)
            .text(receipt)
            .text(terminalId())
            .textOrNull(cashierId)
            .text(now)
            .textOrNull(shiftId)
            .run();
        Binder(m_db, statement(PaidUpdate)).integer(due).text(orderId).run();

        Order order;
        if (!loadOrder(orderId, order))
            throw Refusal{"no such order"};
        const std::string detail =
            "paid " + std::to_string(due) + " cents by cash, receipt " + receipt;
        appendHistory(order, "complete", version - 1, "active", detail, requestId, now);
        std::string payload = "{";
        appendText(payload, "method", "cash");
        appendInteger(payload, "tendered_cents", tenderedCents);
        appendKey(payload, "expected_version");
        payload += expectedVersion ? std::to_string(*expectedVersion) : std::string("null");
        appendInteger(payload, "amount_cents", due);
        appendText(payload, "receipt_no", receipt);
        appendOutbox(requestId, "complete", order, version - 1, payload, {}, now);
        storeResult(requestId, "complete", order, now);
        return Outcome{Status::Ok, {}, order.version, {}};
    });
}

// OrderService::lineEdit(): the conditional update, the edit, then what finish() writes.
RawOrders::Outcome RawOrders::lineEdit(const std::string &orderId, const char *action,
                                       const std::string &requestId, const std::string &parameters,
                                       const std::function<std::string(std::string &)> &edit)
{
    return transaction([&]() -> Outcome {
        if (seen(requestId))
            throw Refusal{"request id already used"};
        const std::string now = storageTimeNow();
        sqlite3_stmt *bumpRow = statement(BumpUnpaid);
        Binder bump(m_db, bumpRow);
        if (!bump.text(now).text(orderId).step())
            throw Refusal{"order is not active"};
        const int version = sqlite3_column_int(bumpRow, 0);
        bump.reset();
        std::string changes;
        const std::string detail = edit(changes);
        Order order;
        if (!loadOrder(orderId, order))
            throw Refusal{"no such order"};
        appendHistory(order, action, version - 1, "active", detail, requestId, now);
        std::string payload = "{" + parameters;
        appendOutbox(requestId, action, order, version - 1, payload, changes, now);
        storeResult(requestId, action, order, now);
        return Outcome{Status::Ok, {}, order.version, {}};
    });
}

RawOrders::Outcome RawOrders::discountLine(const std::string &orderId, int lineNo,
                                           std::int64_t percentBp, const std::string &reason,
                                           const std::string &byCashierId,
                                           const std::string &requestId)
{
    std::string discount = "{";
    appendText(discount, "kind", "percent");
    appendInteger(discount, "value", percentBp);
    appendText(discount, "reason", reason);
    appendText(discount, "by", byCashierId);
    discount += '}';
    std::string parameters;
    appendKey(parameters = "{", "line");
    appendJsonString(parameters, std::to_string(lineNo));
    appendKey(parameters, "discount");
    parameters += discount;
    parameters.erase(0, 1); // lineEdit() opens the object
    return lineEdit(orderId, "discount_line", requestId, parameters,
                    [&](std::string &changes) -> std::string {
                        sqlite3_stmt *row = statement(FindLineByNo);
                        Binder find(m_db, row);
                        if (!find.text(orderId).integer(lineNo).step())
                            throw Refusal{"no such line"};
                        const std::string lineId = columnText(row, 0);
                        find.reset();
                        Binder cashier(m_db, statement(CashierExists));
                        if (!cashier.text(byCashierId).step())
                            throw Refusal{"no such cashier"};
                        cashier.reset();
                        Binder(m_db, statement(SetLineDiscount))
                            .text("percent")
                            .integer(percentBp)
                            .text(reason)
                            .text(byCashierId)
                            .text(orderId)
                            .text(lineId)
                            .run();
                        changes = "{";
                        appendText(changes, "kind", "discount");
                        appendText(changes, "line_id", lineId);
                        appendKey(changes, "discount");
                        changes += discount;
                        changes += '}';
                        return "line " + std::to_string(lineNo) + ": " +
                               std::to_string(percentBp / 100) + "% off (" + reason + ")";
                    });
}

RawOrders::Outcome RawOrders::discountOrder(const std::string &orderId, std::int64_t amountCents,
                                            const std::string &reason,
                                            const std::string &byCashierId,
                                            const std::string &requestId)
{
    std::string discount = "{";
    appendText(discount, "kind", "amount");
    appendInteger(discount, "value", amountCents);
    appendText(discount, "reason", reason);
    appendText(discount, "by", byCashierId);
    discount += '}';
    const std::string parameters = "\"discount\":" + discount;
    return lineEdit(
        orderId, "discount_order", requestId, parameters, [&](std::string &changes) -> std::string {
            // SafeTill reads the lines to check the discount against the subtotal.
            sqlite3_stmt *lineRow = statement(LinesOfOrder);
            Binder lines(m_db, lineRow);
            lines.text(orderId);
            while (lines.step()) {
            }
            Binder cashier(m_db, statement(CashierExists));
            if (!cashier.text(byCashierId).step())
                throw Refusal{"no such cashier"};
            cashier.reset();
            Binder(m_db, statement(SetOrderDiscount))
                .text("amount")
                .integer(amountCents)
                .text(reason)
                .text(byCashierId)
                .text(orderId)
                .run();
            changes = "{";
            appendText(changes, "kind", "order_discount");
            appendKey(changes, "discount");
            changes += discount;
            changes += '}';
            return "order: " + std::to_string(amountCents) + " cents off (" + reason + ")";
        });
}

} // namespace SafeTillBench
