#pragma once
// What an offering has free (ADR 0009: computed from open periods, usage, capacity, buffers
// and windows at each request, never stored).

#include <chrono>
#include <optional>

#include "core/ids.hpp"
#include "core/result.hpp"
#include "core/time.hpp"
#include "domain/bookings/bookings.hpp"
#include "storage/database.hpp"

namespace yoyaku::bookings {

class AvailabilityService {
public:
    AvailabilityService(storage::Database& db, const Clock& clock) : db_(db), clock_(clock) {}

    /// The free slots of an offering on the local dates from..to (inclusive, at most 31) in
    /// the tenant's zone, as UTC instants: hours, exceptions, holidays, bookings, holds,
    /// capacity, buffers and the booking window (from now). `published_only` hides drafts.
    /// Errors: invalid_input on "to", not_found.
    Result<Availability> find(
        TenantId tenant,
        OfferingId offering_id,
        std::optional<std::chrono::year_month_day> from,
        std::optional<std::chrono::year_month_day> to,
        bool published_only
    );

private:
    storage::Database& db_;
    const Clock& clock_;
};

}  // namespace yoyaku::bookings
