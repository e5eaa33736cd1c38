#include "domain/bookings/availability/availability_service.hpp"

#include <algorithm>

#include "domain/bookings/resource_time.hpp"
#include "domain/offerings/offering_store.hpp"

namespace yoyaku::bookings {
namespace {

using namespace std::chrono;
using storage::ScopedTx;

// An event's occurrences in [lo, hi) with seats left, or a course as one slot (its first
// session's time, the fewest seats left), inside the booking window.
Result<void> seat_slots(
    ScopedTx& stx, const Offering& o, Instant lo, Instant hi, Instant now, Availability& a
) {
    offerings::OccurrenceStore occurrences(stx);
    if (o.kind == OfferingKind::course) {
        YOYAKU_TRY_ASSIGN(const auto occ, occurrences.list_by_offering(o.id));
        if (occ.empty() || occ.front().starts_at < lo || occ.front().starts_at >= hi) return {};
        int left = occ.front().capacity;
        for (const auto& x : occ) left = std::min(left, x.capacity - x.taken);
        if (left > 0 && detail::window_open(o, occ.front().starts_at, now))
            a.slots.push_back({occ.front().starts_at, occ.back().ends_at, left, occ.front().id, {}}
            );
        return {};
    }
    YOYAKU_TRY_ASSIGN(const auto occ, occurrences.list_by_offering(o.id, lo, hi));
    for (const auto& x : occ)
        if (x.starts_at >= lo && x.starts_at < hi && x.taken < x.capacity &&
            detail::window_open(o, x.starts_at, now))
            a.slots.push_back({x.starts_at, x.ends_at, x.capacity - x.taken, x.id, {}});
    return {};
}

// An appointment's or rental's start times with room on its staff (and room).
Result<void> time_slots(ScopedTx& stx, const Offering& o, Instant now, Availability& a) {
    std::vector<detail::ResourceTime> staff;
    for (const auto id : o.resource_ids) {
        YOYAKU_TRY_ASSIGN(auto r, detail::load_resource_time(stx, id, a.time_zone, a.from, a.to));
        staff.push_back(std::move(r));
    }
    std::optional<detail::ResourceTime> room;
    if (o.room_id) {
        YOYAKU_TRY_ASSIGN(
            auto r, detail::load_resource_time(stx, *o.room_id, a.time_zone, a.from, a.to)
        );
        room = std::move(r);
    }
    if (o.by_division && !staff.empty())
        a.slots = detail::division_slots(o, staff.front(), a.time_zone, a.from, a.to, now);
    else
        a.slots = detail::time_slots(o, staff, room ? &*room : nullptr, now);
    return {};
}

}  // namespace

Result<Availability> AvailabilityService::find(
    TenantId tenant,
    OfferingId offering_id,
    std::optional<year_month_day> from,
    std::optional<year_month_day> to,
    bool published_only
) {
    const Instant now = clock_.now();
    return db_.read(storage::TenantScope(tenant), [&](ScopedTx& stx) -> Result<Availability> {
        YOYAKU_TRY_ASSIGN(const auto o, offerings::OfferingStore(stx).find_by_id(offering_id));
        if (published_only && !o.published) return Error::not_found("no such offering");
        Availability a;
        YOYAKU_TRY_ASSIGN(a.time_zone, detail::tenant_zone(stx));
        a.from = from.value_or(year_month_day{floor<days>(to_local(now, a.time_zone))});
        a.to = to.value_or(year_month_day{local_days{a.from} + days{6}});
        if (local_days{a.to} < local_days{a.from})
            return Error::invalid("to", "must not be before from");
        if ((local_days{a.to} - local_days{a.from}).count() >= resources::kMaxRangeDays)
            return Error::invalid("to", "at most 31 days at once");
        const Instant lo = from_local(local_seconds{local_days{a.from}}, a.time_zone);
        const Instant hi = from_local(local_seconds{local_days{a.to} + days{1}}, a.time_zone);
        if (o.kind == OfferingKind::event || o.kind == OfferingKind::course) {
            YOYAKU_TRY(seat_slots(stx, o, lo, hi, now, a));
        } else {
            YOYAKU_TRY(time_slots(stx, o, now, a));
        }
        return a;
    });
}

}  // namespace yoyaku::bookings
