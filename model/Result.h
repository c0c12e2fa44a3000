#pragma once

#include "SqlFailure.h"

#include <QCoreApplication>
#include <QString>

#include <optional>
#include <utility>

namespace SafeTill {

// How an action ended. Every action returns one of these — never a bare bool, never an exception.
enum class Outcome {
    Ok,
    NotFound,     // the order, tab, cashier or product does not exist
    Conflict,     // someone else changed it first (stale version); the current state comes along
    InvalidState, // it exists but is not in a state that allows this (e.g. already paid)
    InvalidInput, // the request itself is wrong; the message says why, in words a cashier reads
    Forbidden,    // the rules need a manager (or a manager's approval) for this; nothing changed
    Busy,         // the database stayed locked by others; the same request may be retried
    Error,        // the database failed; nothing was changed
};

QString outcomeName(Outcome outcome); // stable machine-readable code, e.g. "conflict"

template<typename T> class Result
{
public:
    static Result ok(T value) { return Result(Outcome::Ok, {}, std::move(value)); }
    static Result replay(T value)
    {
        Result result = ok(std::move(value));
        result.m_replayed = true;
        return result;
    }
    static Result failure(Outcome outcome, QString message, std::optional<T> current = {})
    {
        return Result(outcome, std::move(message), std::move(current));
    }
    static Result notFound(QString message) { return failure(Outcome::NotFound, message); }
    static Result invalidInput(QString message) { return failure(Outcome::InvalidInput, message); }

    // What Database::write() needs (the TransactionOutcome concept).
    bool shouldCommit() const { return m_outcome == Outcome::Ok && !m_replayed; }
    static Result busy()
    {
        return failure(Outcome::Busy,
                       QCoreApplication::translate("SafeTill::Result",
                                                   "The till database is busy; nothing was "
                                                   "changed. Please try again."));
    }
    static Result databaseError(const SqlFailure &failure)
    {
        if (failure.isUnavailable()) {
            Result result(
                Outcome::Error,
                QCoreApplication::translate("SafeTill::Result",
                                            "The database cannot be reached or cannot store more "
                                            "data right now; please try again shortly."),
                std::nullopt);
            result.m_detail = failure.describe();
            result.m_unavailable = true;
            return result;
        }
        Result result(
            Outcome::Error,
            QCoreApplication::translate(
                "SafeTill::Result", "The till database reported an error; nothing was changed."),
            std::nullopt);
        result.m_detail = failure.describe();
        return result;
    }

    // A failure of another Result type, carried over (e.g. a cashier lookup inside an order
    // action).
    template<typename U> static Result from(const Result<U> &other)
    {
        Result result(other.outcome(), other.message(), std::nullopt);
        result.m_detail = other.detail();
        result.m_unavailable = other.unavailable();
        return result;
    }

    Outcome outcome() const { return m_outcome; }
    bool isOk() const { return m_outcome == Outcome::Ok; }
    explicit operator bool() const { return isOk(); }
    // The new state on success; the current state on a conflict or invalid state, where known.
    const std::optional<T> &value() const { return m_value; }
    const T &operator*() const { return *m_value; }
    const T *operator->() const { return &*m_value; }
    // Moves the value out, for a value that cannot be copied (an opened connection); only where
    // value() holds one.
    T take() { return std::move(*m_value); }
    // For the person at the till: what happened and what to do.
    const QString &message() const { return m_message; }
    // For logs and support staff only (SQL error text); empty unless outcome() is Error.
    const QString &detail() const { return m_detail; }
    // True when this is the stored result of an earlier request with the same request id.
    bool replayed() const { return m_replayed; }
    // Outcome::Error because the database was unreachable or out of space
    // (SqlFailure::isUnavailable()), not because of a bug: the request may be retried later, under
    // the same request id when the change may have been committed.
    bool unavailable() const { return m_unavailable; }

private:
    Result(Outcome outcome, QString message, std::optional<T> value)
        : m_outcome(outcome)
        , m_value(std::move(value))
        , m_message(std::move(message))
    {}

    Outcome m_outcome;
    std::optional<T> m_value;
    QString m_message;
    QString m_detail;
    bool m_replayed = false;
    bool m_unavailable = false;
};

} // namespace SafeTill
