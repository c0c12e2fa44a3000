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
    Outcome complete(const std::string &orderId, std::int64_t tenderedCents,
                     std::optional<int> expectedVersion, const std::string &requestId);

private:
    struct Line
    {
        int lineNo = 0;
        std::string sku;
        std::string name;
        std::int64_t unitPriceCents = 0;
        int quantity = 0;
    };
    struct Payment
    {
        std::string id, orderId, tabId, method, receiptNo, paidAt;
        std::int64_t amountCents = 0, tenderedCents = 0, changeCents = 0;
    };
    struct Order
    {
        std::string id, cashierId, cashierName, status, tabId, tabName, receiptNo, createdAt,
            updatedAt, logoutTime, completedAt;
        int version = 0;
        std::vector<Line> lines;
        std::optional<Payment> payment;
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
                      std::string &payload, const std::string &now);
    void storeResult(const std::string &requestId, const char *action, const Order &order,
                     const std::string &now);
    bool seen(const std::string &requestId);
    std::string newId();

    sqlite3 *m_db = nullptr;
    std::vector<sqlite3_stmt *> m_statements;
    std::mt19937_64 m_random{std::random_device{}()};
    std::string m_json; // reused buffer for the stored result
};

} // namespace SafeTillBench
