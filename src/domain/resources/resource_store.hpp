#pragma once
// The `resources`, `resource_parts` (a divided hall's parts) and `resource_exceptions`
// (hours on a date) tables, rows read by name. Weekly and daily hours are kept as JSON arrays
// of [opens, closes] minute pairs.

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "core/time.hpp"
#include "domain/resources/resources.hpp"
#include "storage/database.hpp"

namespace yoyaku::resources {

/// Hours as stored (and as the audit log records them).
std::string hours_json(const DayHours& day);
std::string hours_json(const WeeklyHours& week);
/// Time divisions as stored (a JSON array of their fields).
std::string divisions_json(const std::vector<Division>& divisions);

class ResourceStore {
public:
    explicit ResourceStore(storage::ScopedTx& stx) : stx_(stx) {}

    /// The resource with its parts. Errors: not_found.
    Result<Resource> find(ResourceId id);
    /// By id, with their parts; archived ones too when asked.
    Result<std::vector<Resource>> list(bool include_archived);
    /// The halls `id` is a part of, ascending.
    Result<std::vector<ResourceId>> list_halls_of(ResourceId id);
    /// A new live resource (parts stored apart: replace_parts).
    Result<Resource> insert(const ResourceInput& in, Instant now);
    /// Errors: not_found.
    Result<Resource> update(ResourceId id, const ResourceInput& in, Instant now);
    Result<void> update_archived(ResourceId id, Instant now);
    /// Makes `parts` the hall's parts (none: not divided).
    Result<void> replace_parts(ResourceId hall, const std::vector<ResourceId>& parts);

private:
    storage::ScopedTx& stx_;
};

class ResourceExceptionStore {
public:
    explicit ResourceExceptionStore(storage::ScopedTx& stx) : stx_(stx) {}

    /// The resource's exceptions between two local dates (inclusive), by date.
    Result<std::vector<DateException>> list(
        ResourceId resource_id, std::chrono::year_month_day from, std::chrono::year_month_day to
    );
    /// Sets the hours (and note) of a date.
    Result<void> upsert(ResourceId resource_id, const DateException& e);
    /// False when the date had no exception.
    Result<bool> remove(ResourceId resource_id, std::chrono::year_month_day date);

private:
    storage::ScopedTx& stx_;
};

}  // namespace yoyaku::resources
