#pragma once
// Values crossing the storage boundary. Both backends speak this small type set:
// NULL, 64-bit integer, double, text (UTF-8) and blob. Times travel as integer microseconds.

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

namespace yoyaku::storage {

struct Blob {
    std::string bytes;
    friend bool operator==(const Blob&, const Blob&) = default;
};

using Value = std::variant<std::monostate, std::int64_t, double, std::string, Blob>;

/// One result row. Accessors assert the expected type: a mismatch is a bug in the store.
class Row {
public:
    explicit Row(std::vector<Value> cols) : cols_(std::move(cols)) {}

    std::size_t size() const noexcept { return cols_.size(); }
    bool is_null(std::size_t i) const {
        return std::holds_alternative<std::monostate>(cols_.at(i));
    }
    std::int64_t i64(std::size_t i) const { return std::get<std::int64_t>(cols_.at(i)); }
    double f64(std::size_t i) const { return std::get<double>(cols_.at(i)); }
    const std::string& text(std::size_t i) const { return std::get<std::string>(cols_.at(i)); }
    const Blob& blob(std::size_t i) const { return std::get<Blob>(cols_.at(i)); }
    const Value& at(std::size_t i) const { return cols_.at(i); }

private:
    std::vector<Value> cols_;
};

}  // namespace yoyaku::storage
