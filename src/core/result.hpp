#pragma once
// Result<T>: a value or an Error. std::expected arrives with C++23; this is the small subset
// the project needs, with the same spelling so a later switch is mechanical.

#include <cassert>
#include <utility>
#include <variant>

#include "core/error.hpp"

namespace yoyaku {

struct Unexpected {
    Error error;
};
inline Unexpected fail(Error e) {
    return Unexpected{std::move(e)};
}

template <class T>
class [[nodiscard]] Result {
public:
    Result(T value) : v_(std::in_place_index<0>, std::move(value)) {}  // NOLINT: implicit by design
    Result(Unexpected u) : v_(std::in_place_index<1>, std::move(u.error)) {}  // NOLINT
    Result(Error e) : v_(std::in_place_index<1>, std::move(e)) {}             // NOLINT

    bool has_value() const noexcept { return v_.index() == 0; }
    explicit operator bool() const noexcept { return has_value(); }

    T& value() & {
        assert(has_value());
        return std::get<0>(v_);
    }
    const T& value() const& {
        assert(has_value());
        return std::get<0>(v_);
    }
    T&& value() && {
        assert(has_value());
        return std::get<0>(std::move(v_));
    }
    T& operator*() & { return value(); }
    const T& operator*() const& { return value(); }
    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }

    const Error& error() const& {
        assert(!has_value());
        return std::get<1>(v_);
    }
    Error&& error() && {
        assert(!has_value());
        return std::get<1>(std::move(v_));
    }

private:
    std::variant<T, Error> v_;
};

template <>
class [[nodiscard]] Result<void> {
public:
    Result() = default;
    Result(Unexpected u) : error_(std::move(u.error)), ok_(false) {}  // NOLINT
    Result(Error e) : error_(std::move(e)), ok_(false) {}             // NOLINT

    bool has_value() const noexcept { return ok_; }
    explicit operator bool() const noexcept { return ok_; }
    const Error& error() const& {
        assert(!ok_);
        return error_;
    }
    Error&& error() && {
        assert(!ok_);
        return std::move(error_);
    }

private:
    Error error_;
    bool ok_ = true;
};

}  // namespace yoyaku

/// Propagates the error of a Result-returning expression, Envoy RETURN_IF_ERROR style.
/// (A fresh variable name per use, so a YOYAKU_TRY may nest inside another's lambda.)
#define YOYAKU_TRY(expr) YOYAKU_TRY_IMPL_(expr, YOYAKU_CONCAT_(yoyaku_try_r_, __COUNTER__))
#define YOYAKU_CONCAT_(a, b) YOYAKU_CONCAT2_(a, b)
#define YOYAKU_CONCAT2_(a, b) a##b
#define YOYAKU_TRY_IMPL_(expr, name)                        \
    do {                                                    \
        auto name = (expr);                                 \
        if (!name) {                                        \
            return ::yoyaku::fail(std::move(name).error()); \
        }                                                   \
    } while (false)

/// Evaluates a Result-returning expression; on error returns it, otherwise moves its value
/// into `lhs` (a declaration such as `auto rows` or an existing variable), the way an
/// assign-or-return macro does in Envoy and Abseil:
///     YOYAKU_TRY_ASSIGN(auto offering, store.find_by_id(id));
/// Expands to more than one statement: not the sole body of an unbraced if/for.
#define YOYAKU_TRY_ASSIGN(lhs, expr) \
    YOYAKU_TRY_ASSIGN_IMPL_(lhs, expr, YOYAKU_CONCAT_(yoyaku_try_a_, __COUNTER__))
#define YOYAKU_TRY_ASSIGN_IMPL_(lhs, expr, name)                            \
    auto name = (expr);                                                     \
    if (!name) return ::yoyaku::fail(std::move(name).error()); /* NOLINT */ \
    lhs = std::move(name).value()
