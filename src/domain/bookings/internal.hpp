#pragma once
// Pieces the booking engine's files share (not part of the module's interface).

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "domain/bookings/bookings.hpp"
#include "domain/resources/resources.hpp"

namespace yoyaku::bookings::detail {

inline constexpr std::string_view kOfferingColumns =
    "id, kind, name, description, published, opens_before_minutes, closes_before_minutes, "
    "cancel_before_minutes, max_per_order, ticket_types, created_at, duration_minutes, "
    "slot_step_minutes, min_blocks, max_blocks, price_jpy, requires_approval, resource_ids, "
    "room_id, applications_open_at, applications_close_at, hold_minutes, questions, "
    "reminder_minutes";
inline constexpr std::string_view kOccurrenceColumns =
    "id, offering_id, starts_at, ends_at, capacity, taken";

Offering offering_from(const storage::Row& r);
Occurrence occurrence_from(const storage::Row& r);
/// Errors: not_found.
Result<Offering> load_offering(storage::ScopedTx& stx, std::int64_t id);
/// In start order; with `from`/`to`, only those starting in [from, to).
Result<std::vector<Occurrence>> load_occurrences(
    storage::ScopedTx& stx,
    std::int64_t offering_id,
    Instant from = Instant::min(),
    Instant to = Instant::max()
);
Result<std::string> tenant_zone(storage::ScopedTx& stx);

/// The 5-minute bucket an instant falls in (epoch minutes / 5, rounded down).
std::int64_t bucket_of(Instant t);

/// A resource as slots are computed from it: open periods and units used per bucket.
struct ResourceTime {
    std::int64_t id = 0;
    int units = 1;
    std::chrono::minutes before{0};
    std::chrono::minutes after{0};
    std::vector<resources::OpenPeriod> open;
    /// What live bookings and holds occupy, widened by the resource's buffers: [from, to)
    /// with the units used, ascending by `from`.
    struct Use {
        Instant from{};
        Instant to{};
        int units = 1;
    };
    std::vector<Use> used;
};

/// Reads a resource's open periods on the local dates from..to and the live bookings and holds
/// on it then (as staff member, rented resource or room), widened by its current buffers.
/// Availability is advice computed from these; a booking's guard counts the usage buckets it
/// takes (ADR 0009). Archived resources have no open periods. Errors: not_found.
Result<ResourceTime> load_resource_time(
    storage::ScopedTx& stx,
    std::int64_t id,
    std::string_view zone,
    std::chrono::year_month_day from,
    std::chrono::year_month_day to
);

/// Units of `r` free over every bucket of [from, to).
int free_units(const ResourceTime& r, Instant from, Instant to);
/// Whether [start, end) lies inside one open period of `r`.
bool inside_open(const ResourceTime& r, Instant start, Instant end);
/// Start times in every open period: from its start, every `step`, while start + length
/// fits in the period.
std::vector<Instant> starts_in(
    const ResourceTime& r, std::chrono::minutes length, std::chrono::minutes step
);
/// Whether the booking window of `o` (and a course's application period) is open at `now` for
/// something starting at `start`.
bool window_open(const Offering& o, Instant start, Instant now);

/// The free slots of a time offering (appointment, rental) among `staff` (appointment: the
/// candidates; rental: the one resource) and the optional room, keeping those whose window is
/// open at `now`.
std::vector<Slot> time_slots(
    const Offering& o, const std::vector<ResourceTime>& staff, const ResourceTime* room, Instant now
);

}  // namespace yoyaku::bookings::detail
