#pragma once
// Values crossing the storage boundary. Both backends speak this small type set:
// NULL, 64-bit integer, double, text (UTF-8) and blob. Times travel as integer microseconds.

#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include "core/ids.hpp"

namespace yoyaku::storage {

struct Blob {
    std::string bytes;
    friend bool operator==(const Blob&, const Blob&) = default;
};

using Value = std::variant<std::monostate, std::int64_t, double, std::string, Blob>;

namespace detail {
template <class T>
inline constexpr bool is_optional = false;
template <class T>
inline constexpr bool is_optional<std::optional<T>> = true;
}  // namespace detail

/// A statement parameter from what domain code holds: a strong id binds its number, an empty
/// optional binds NULL, integers and bools bind as 64-bit integers.
template <class T>
Value to_value(T&& v) {
    using D = std::remove_cvref_t<T>;
    if constexpr (is_id<D>) {
        return Value(v.value);
    } else if constexpr (detail::is_optional<D>) {
        return v ? to_value(*std::forward<T>(v)) : Value();
    } else if constexpr (std::is_integral_v<D>) {
        return Value(static_cast<std::int64_t>(v));
    } else {
        return Value(std::forward<T>(v));
    }
}

/// Statement parameters to extend (a list appended with append_list), each as to_value binds it.
template <class... A>
std::vector<Value> values(A&&... args) {
    std::vector<Value> out;
    out.reserve(sizeof...(A));
    (out.push_back(to_value(std::forward<A>(args))), ...);
    return out;
}

/// The column names of one result, shared by its rows.
using Columns = std::vector<std::string>;

/// One result row. Stores read columns by name (the names the SELECT gives them, `AS` for an
/// expression); accessors assert the expected type: a mismatch or an unknown name is a bug in
/// the store (std::bad_variant_access, std::out_of_range).
class Row {
public:
    explicit Row(std::vector<Value> cols, std::shared_ptr<const Columns> names = nullptr)
        : cols_(std::move(cols)), names_(std::move(names)) {}

    std::size_t size() const noexcept { return cols_.size(); }
    const Value& at(std::size_t i) const { return cols_.at(i); }
    const Value& at(std::string_view name) const { return cols_.at(index_of(name)); }

    template <class K>
    bool is_null(K key) const {
        return std::holds_alternative<std::monostate>(at(key));
    }
    template <class K>
    std::int64_t i64(K key) const {
        return std::get<std::int64_t>(at(key));
    }
    template <class K>
    int i32(K key) const {
        return static_cast<int>(i64(key));
    }
    template <class K>
    bool flag(K key) const {
        return i64(key) != 0;
    }
    template <class K>
    double f64(K key) const {
        return std::get<double>(at(key));
    }
    template <class K>
    const std::string& text(K key) const {
        return std::get<std::string>(at(key));
    }
    template <class K>
    const Blob& blob(K key) const {
        return std::get<Blob>(at(key));
    }
    /// A strong id (IdType: Id<Tag>) from an integer column.
    template <class IdType, class K>
    IdType id(K key) const {
        return IdType(i64(key));
    }
    /// NULL as nullopt.
    template <class K>
    std::optional<std::int64_t> opt_i64(K key) const {
        if (is_null(key)) return std::nullopt;
        return i64(key);
    }
    template <class K>
    std::optional<int> opt_i32(K key) const {
        if (is_null(key)) return std::nullopt;
        return i32(key);
    }
    template <class K>
    std::optional<std::string> opt_text(K key) const {
        if (is_null(key)) return std::nullopt;
        return text(key);
    }
    template <class IdType, class K>
    std::optional<IdType> opt_id(K key) const {
        if (is_null(key)) return std::nullopt;
        return id<IdType>(key);
    }

private:
    // Stores mostly read columns in the order they selected them: the search starts after the
    // column found last, so such a read finds its column at the first comparison.
    std::size_t index_of(std::string_view name) const {
        if (names_) {
            const std::size_t n = names_->size();
            for (std::size_t k = 0; k < n; ++k) {
                const std::size_t i = (next_ + k) % n;
                if ((*names_)[i] == name) {
                    next_ = i + 1;
                    return i;
                }
            }
        }
        throw std::out_of_range("no column named " + std::string(name));
    }

    std::vector<Value> cols_;
    std::shared_ptr<const Columns> names_;
    mutable std::size_t next_ = 0;  ///< where the next name search starts (a Row is not shared)
};

}  // namespace yoyaku::storage
