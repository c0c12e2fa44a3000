#pragma once

#include <type_traits>
#include <utility>
#include <variant>

namespace SafeTill {

// What a step read or made (a T), or why it stopped (a Why): a typed result, never an exception,
// for steps whose "no" is an ordinary answer. The request readers' Checked<T> (ApiJson.h: Why is
// the response refusing the request) and the sync applier's Parsed<T> (Why: the op is invalid)
// are this with their own name for why().
template<typename T, typename Why> class ValueOr
{
    static_assert(!std::is_same_v<T, Why>, "a value and a reason of one type cannot be told apart");

public:
    using Value = T;

    // Implicit both, so a step says "return value;" or "return why;".
    ValueOr(T value)
        : m_result(std::in_place_index<0>, std::move(value))
    {}
    ValueOr(Why why)
        : m_result(std::in_place_index<1>, std::move(why))
    {}

    // True when there is a value, false when the step stopped.
    explicit operator bool() const { return m_result.index() == 0; }
    const T &operator*() const { return std::get<0>(m_result); }
    T &operator*() { return std::get<0>(m_result); }
    const T *operator->() const { return &std::get<0>(m_result); }
    T *operator->() { return &std::get<0>(m_result); }
    // Why the step stopped; only when there is no value.
    const Why &why() const { return std::get<1>(m_result); }

private:
    std::variant<T, Why> m_result;
};

} // namespace SafeTill
