#pragma once
// The `resource_usage` table: units of a resource in use per 5-minute bucket (ADR 0009).

#include <cstdint>

#include "core/result.hpp"
#include "storage/database.hpp"

namespace yoyaku::bookings {

/// Buckets [from, to) of one resource, with their row locks taken in ascending order.
class ResourceUsageStore {
public:
    explicit ResourceUsageStore(storage::ScopedTx& stx) : stx_(stx) {}

    /// Adds `quantity` units to every bucket in [from, to) (creating the rows), ascending.
    Result<void> add(ResourceId resource, std::int64_t from, std::int64_t to, int quantity);
    /// Whether any bucket in [from, to) uses more than `units`.
    Result<bool> any_over(ResourceId resource, std::int64_t from, std::int64_t to, int units);
    /// The most units in use in any bucket of [from, to) (0 when none is).
    Result<int> most_used(ResourceId resource, std::int64_t from, std::int64_t to);
    /// Takes `quantity` units off every bucket in [from, to).
    Result<void> subtract(ResourceId resource, std::int64_t from, std::int64_t to, int quantity);

private:
    storage::ScopedTx& stx_;
};

}  // namespace yoyaku::bookings
