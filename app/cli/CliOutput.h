#pragma once

#include "Money.h"
#include "ReceiptSearch.h"
#include "Result.h"
#include "Types.h"

#include <QJsonObject>
#include <QTextStream>

namespace SafeTill {

// Exit statuses of safetill-cli, part of its interface for scripts.
enum ExitStatus {
    ExitOk = 0,
    ExitFailure = 1,
    ExitInvalid = 2, // usage or invalid input
    ExitRefused = 3, // conflict or invalid state
    ExitNotFound = 4,
    ExitBusy = 5,
};

int exitStatusFor(Outcome outcome);
// Strict whole numbers: digits only (and a leading minus where allowed), within [min, max].
std::optional<qint64> parseWhole(const QString &text, qint64 min, qint64 max);

// Prints results as text for people or as one JSON object for scripts. Errors always also go to
// stderr in plain words.
class CliOutput
{
public:
    explicit CliOutput(bool json);

    bool json() const { return m_json; }
    void setJson(bool json) { m_json = json; }
    // 12345 -> "123.45" in the shop's currency's minor units (setCurrency(); "12345" for JPY),
    // without a symbol or grouping: what scripts parse.
    static QString money(Cents cents);
    static void setCurrency(const Currency &currency);

    void printOrder(const Order &order);
    void printTab(const Tab &tab);
    void printTabs(const QList<Tab> &tabs);
    void printCashiers(const QList<Cashier> &cashiers);
    void printProducts(const QList<Product> &products);
    void printHistory(const QList<HistoryEntry> &history);
    void printMessage(const QString &text, const QJsonObject &json);
    // The receipts list; a receipt (its order or tab: as show --json prints it with --json),
    // headed COPY when it is a reprint.
    void printReceipts(const ReceiptList &list);
    void printReceipt(const Receipt &receipt, bool copy);

    // Prints the failure and returns the exit status for it.
    template<typename T> int fail(const Result<T> &result)
    {
        QJsonObject current;
        if constexpr (std::is_same_v<T, Order> || std::is_same_v<T, Tab>) {
            if (result.value())
                current = toJsonObject(*result.value());
        }
        return failWith(result.outcome(), result.message(), current, result.detail());
    }
    int failWith(Outcome outcome, const QString &message, const QJsonObject &current = {},
                 const QString &detail = {});
    int usage(const QString &message);
    void noteReplay();

private:
    static QJsonObject toJsonObject(const Order &order);
    static QJsonObject toJsonObject(const Tab &tab);
    void printJson(const QJsonObject &object);
    QString orderText(const Order &order, const QString &indent = {}) const;
    // "10%" or an amount in the shop's currency.
    QString discountText(const Discount &discount) const;
    // One line per payment fact: method (or label), amount, tendered, change, cash rounding.
    QString paymentsText(const QList<Payment> &payments, const QString &indent = {}) const;

    bool m_json;
    QTextStream m_out;
    QTextStream m_err;
};

} // namespace SafeTill
