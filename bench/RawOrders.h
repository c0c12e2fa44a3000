#pragma once

// The baseline: SafeTill's openOrResume / addProduct / complete transactions (by order id) written
// directly against the libsqlite3 C API — the same SQL statements in the same order, the same
// pragmas (WAL, synchronous, foreign_keys, busy_timeout), one connection, prepared statements kept
// for the life of the connection, writing the same rows with the same contents. What it leaves
// out is SafeTill's own work around the SQL: QSqlQuery/QVariant (and the UTF-16 round trip of the
// Qt driver), the SHA-256 request fingerprint (a fixed 64-character string is stored instead),
// QJsonObject/QJsonDocument (the JSON is appended by hand), QDateTime formatting and parsing, and
// the explanation of a refusal (the baseline only reports it).

#include <cstdint>
#include <functional>
#include <optional>
#include <random>
#include <string>
#include <vector>

struct sqlite3;
struct sqlite3_stmt;

namespace SafeTillBench {

class RawOrders
{
public:
    enum class Status { Ok, Busy, Refused, Error };
    struct Outcome
    {
        Status status = Status::Ok;
        std::string message;
        int version = 0;
        std::string orderId;
    };

    RawOrders() = default;
    ~RawOrders();
    RawOrders(const RawOrders &) = delete;
    RawOrders &operator=(const RawOrders &) = delete;

    // Opens an existing (migrated) database with SafeTill's pragmas: busy_timeout, WAL,
    // foreign_keys ON, synchronous FULL or NORMAL.
    bool open(const std::string &path, bool durable, int busyTimeoutMs, std::string *error);

    // openOrResume(cashierId): resumes a parked order, returns the open one, or opens a new one.
    Outcome openOrResume(const std::string &cashierId, const std::string &requestId);
    Outcome addProduct(const std::string &orderId, const std::string &sku, int quantity,
                       const std::string &requestId);
    // Untimed set-up of add_taxed_discounted: a percent discount (basis points) on a line, an
    // amount off the order.
    Outcome discountLine(const std::string &orderId, int lineNo, std::int64_t percentBp,
                         const std::string &reason, const std::string &byCashierId,
                         const std::string &requestId);
    Outcome discountOrder(const std::string &orderId, std::int64_t amountCents,
                          const std::string &reason, const std::string &byCashierId,
                          const std::string &requestId);
    Outcome complete(const std::string &orderId, std::int64_t tenderedCents,
                     std::optional<int> expectedVersion, const std::string &requestId);

    sqlite3 *handle() const { return m_db; }

private:
    struct Discount
    {
        std::string kind, reason, by; // kind '' for none
        std::int64_t value = 0;
        std::int64_t of(std::int64_t amount) const; // what it takes off amount
    };
    struct Line
    {
        int lineNo = 0;
        std::string sku, name, lineId, taxCode, priceReason;
        std::int64_t unitPriceCents = 0;
        int quantity = 0;
        int taxRateBp = 0;
        bool priceIncludesTax = true;
        Discount discount;
        std::optional<std::int64_t> listPriceCents;
        std::int64_t discountCents() const { return discount.of(unitPriceCents * quantity); }
        std::int64_t totalCents() const { return unitPriceCents * quantity - discountCents(); }
    };
    struct Payment
    {
        std::string id, orderId, tabId, method, receiptNo, paidAt, kind, terminalId, cashierId,
            label;
        std::int64_t amountCents = 0, tenderedCents = 0, changeCents = 0, dueCents = 0,
                     roundingCents = 0;
        int paidVersion = 0;
    };
    struct Order
    {
        std::string id, cashierId, cashierName, status, tabId, tabName, receiptNo, createdAt,
            updatedAt, logoutTime, completedAt, terminalId;
        int version = 0;
        Discount discount;
        std::vector<Line> lines;
        std::vector<Payment> payments;
        // Prices include tax (the shop's default, as in the benchmark's databases): the lines
        // after their discounts, less the order's discount.
        std::int64_t totalCents() const;
    };

    template<typename Body> Outcome transaction(Body &&body);
    sqlite3_stmt *statement(int which) const { return m_statements[std::size_t(which)]; }
    bool loadOrder(const std::string &orderId, Order &order);
    void appendHistory(const Order &order, const std::string &action,
                       std::optional<int> fromVersion, const char *fromStatus,
                       const std::string &detail, const std::string &requestId,
                       const std::string &now);
    void appendOutbox(const std::string &requestId, const char *op, const Order &order,
                      std::optional<int> baseVersion, std::string &payload,
                      const std::string &changes, const std::string &now);
    void appendOrderJson(std::string &json, const Order &order, bool syncState);
    void storeResult(const std::string &requestId, const char *action, const Order &order,
                     const std::string &now);
    bool seen(const std::string &requestId);
    Outcome lineEdit(const std::string &orderId, const char *action, const std::string &requestId,
                     const std::string &parameters,
                     const std::function<std::string(std::string &changes)> &edit);
    std::string newId();
    const std::string &terminalId();

    sqlite3 *m_db = nullptr;
    std::vector<sqlite3_stmt *> m_statements;
    std::mt19937_64 m_random{std::random_device{}()};
    std::string m_json; // reused buffer for the stored result
    std::string m_terminalId;
};

} // namespace SafeTillBench
