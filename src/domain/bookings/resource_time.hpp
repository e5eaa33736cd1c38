#pragma once
// Resources as slots are computed from them: open periods, buffers and what is in use.

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/bookings/bookings.hpp"
#include "domain/resources/resources.hpp"

namespace yoyaku::bookings::detail {

Result<std::string> tenant_zone(storage::ScopedTx& stx);

/// The 5-minute bucket an instant falls in (epoch minutes / 5, rounded down).
std::int64_t bucket_of(Instant t);

/// A resource as slots are computed from it: open periods and units used per bucket.
struct ResourceTime {
    ResourceId id;
    int units = 1;
    std::chrono::minutes before{0};
    std::chrono::minutes after{0};
    std::vector<resources::OpenPeriod> open;
    std::vector<resources::Division> divisions;  ///< a room or facility rented by division
    /// A divided hall's parts (ascending): taking the hall takes each of them too.
    struct Part {
        ResourceId id;
        std::chrono::minutes before{0};
        std::chrono::minutes after{0};
    };
    std::vector<Part> parts;
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
/// on it then (as staff member, rented resource or room), widened by its current buffers; for
/// a divided hall also those on its parts and on other halls sharing them, for a part those
/// on its halls.
/// Availability is advice computed from these; a booking's guard counts the usage buckets it
/// takes (ADR 0009). Archived resources have no open periods. Errors: not_found.
Result<ResourceTime> load_resource_time(
    storage::ScopedTx& stx,
    ResourceId id,
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
/// A time division on a date, as instants.
struct DivisionTime {
    resources::Division division;
    int index = 0;  ///< its place among the date's divisions
    Instant start{};
    Instant end{};
};
/// The divisions of `r` on a local date in `zone`, by start.
std::vector<DivisionTime> division_times(
    const ResourceTime& r, std::string_view zone, std::chrono::year_month_day date
);
/// A rental by divisions: each division of each date from..to whose window is open at `now`
/// and that is free.
std::vector<Slot> division_slots(
    const Offering& o,
    const ResourceTime& r,
    std::string_view zone,
    std::chrono::year_month_day from,
    std::chrono::year_month_day to,
    Instant now
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
