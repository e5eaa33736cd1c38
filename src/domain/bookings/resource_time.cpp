// A resource's time in a range (open periods, usage, buffers) and the slots it leaves
// (ADR 0009: computed, never stored).

#include "domain/bookings/resource_time.hpp"

#include <algorithm>

#include "domain/bookings/booking_store.hpp"
#include "domain/offerings/offering_store.hpp"

namespace yoyaku::bookings {
namespace detail {

using namespace std::chrono;
using storage::ScopedTx;

std::int64_t bucket_of(Instant t) {
    const auto m = floor<minutes>(t.time_since_epoch()).count();
    const auto b = m / kBucket.count();
    return m % kBucket.count() < 0 ? b - 1 : b;
}

Result<ResourceTime> load_resource_time(
    ScopedTx& stx, ResourceId id, std::string_view zone, year_month_day from, year_month_day to
) {
    YOYAKU_TRY_ASSIGN(auto r, resources::load_resource(stx, id));
    ResourceTime out;
    out.id = r.id;
    out.units = r.units;
    out.before = r.buffer_before;
    out.after = r.buffer_after;
    out.divisions = r.divisions;
    for (const auto part : r.parts) {
        YOYAKU_TRY_ASSIGN(auto p, resources::load_resource(stx, part));
        out.parts.push_back({p.id, p.buffer_before, p.buffer_after});
    }
    if (r.archived) return out;
    YOYAKU_TRY_ASSIGN(auto ex, resources::load_exceptions(stx, id, from, to));
    out.open = resources::open_periods(r, ex, zone, from, to);
    if (out.open.empty()) return out;
    // What else takes this resource's time: a hall's parts and the halls sharing them; a
    // part's halls.
    std::vector<ResourceId> linked{id};
    linked.insert(linked.end(), r.parts.begin(), r.parts.end());
    for (const auto x : std::vector<ResourceId>(linked)) {
        YOYAKU_TRY_ASSIGN(auto halls, resources::halls_of(stx, x));
        for (const auto h : halls)
            if (std::find(linked.begin(), linked.end(), h) == linked.end()) linked.push_back(h);
    }
    // Bookings are read, not usage buckets: a handful of rows a week instead of one per five
    // minutes (the bench's B2 found the difference).
    for (const auto x : linked) {
        YOYAKU_TRY_ASSIGN(
            const auto uses,
            BookingStore(stx).list_resource_uses(
                x, out.open.front().start - out.after, out.open.back().end + out.before
            )
        );
        for (const auto& u : uses)
            if (const auto st = u.status;
                st == BookingStatus::held || st == BookingStatus::pending ||
                st == BookingStatus::confirmed || st == BookingStatus::checked_in)
                out.used.push_back({u.starts_at - out.before, u.ends_at + out.after, u.seats});
    }
    std::sort(out.used.begin(), out.used.end(), [](const auto& a, const auto& b) {
        return a.from < b.from;
    });
    return out;
}

int free_units(const ResourceTime& r, Instant from, Instant to) {
    // The uses overlapping [from, to); the most in use at once is reached at one of their
    // starts (or at `from`).
    std::vector<const ResourceTime::Use*> overlap;
    for (const auto& u : r.used) {
        if (u.from >= to) break;
        if (u.to > from) overlap.push_back(&u);
    }
    int most = 0;
    for (const auto* at : overlap) {
        const Instant t = std::max(at->from, from);
        int sum = 0;
        for (const auto* u : overlap)
            if (u->from <= t && t < u->to) sum += u->units;
        most = std::max(most, sum);
    }
    return std::max(0, r.units - most);
}

bool inside_open(const ResourceTime& r, Instant start, Instant end) {
    return std::any_of(r.open.begin(), r.open.end(), [&](const resources::OpenPeriod& p) {
        return p.start <= start && end <= p.end;
    });
}

std::vector<Instant> starts_in(const ResourceTime& r, minutes length, minutes step) {
    std::vector<Instant> out;
    for (const auto& p : r.open)
        for (Instant s = p.start; s + length <= p.end; s += step) out.push_back(s);
    return out;
}

std::vector<DivisionTime> division_times(
    const ResourceTime& r, std::string_view zone, year_month_day date
) {
    std::vector<DivisionTime> out;
    int index = 0;
    for (auto& d : resources::divisions_on(r.divisions, date)) {
        const Instant start =
            from_local(local_seconds{local_days{date} + minutes(d.start_minute())}, zone);
        const Instant end =
            from_local(local_seconds{local_days{date} + minutes(d.end_minute())}, zone);
        out.push_back({std::move(d), index++, start, end});
    }
    return out;
}

std::vector<Slot> division_slots(
    const Offering& o,
    const ResourceTime& r,
    std::string_view zone,
    year_month_day from,
    year_month_day to,
    Instant now
) {
    std::vector<Slot> out;
    for (auto day = local_days{from}; day <= local_days{to}; day += days{1})
        for (auto& d : division_times(r, zone, year_month_day{day})) {
            if (!window_open(o, d.start, now) || !inside_open(r, d.start, d.end)) continue;
            const int free = free_units(r, d.start - r.before, d.end + r.after);
            if (free < 1) continue;
            Slot slot;
            slot.starts_at = d.start;
            slot.ends_at = d.end;
            slot.remaining = free;
            slot.division = std::move(d.division);
            slot.division_index = d.index;
            out.push_back(std::move(slot));
        }
    return out;
}

bool window_open(const Offering& o, Instant start, Instant now) {
    if (start <= now) return false;
    // A lottery's offering is booked directly only once first come first served opens.
    if (o.lottery && (!o.lottery->first_come_at || now < *o.lottery->first_come_at)) return false;
    if (o.opens_before_minutes && now < start - minutes(*o.opens_before_minutes)) return false;
    if (now > start - minutes(o.closes_before_minutes)) return false;
    if (o.applications_open_at && now < *o.applications_open_at) return false;
    if (o.applications_close_at && now >= *o.applications_close_at) return false;
    return true;
}

std::vector<Slot> time_slots(
    const Offering& o, const std::vector<ResourceTime>& staff, const ResourceTime* room, Instant now
) {
    const minutes length{o.duration_minutes};
    const bool rental = o.kind == OfferingKind::rental;
    const minutes step{
        rental || o.slot_step_minutes == 0 ? o.duration_minutes : o.slot_step_minutes};
    std::map<Instant, Slot> by_start;
    for (const auto& s : staff) {
        for (const Instant start : starts_in(s, length, step)) {
            const Instant end = start + length;
            if (!window_open(o, start, now)) continue;
            const int free = free_units(s, start - s.before, end + s.after);
            if (free < 1) continue;
            if (room && (!inside_open(*room, start, end) ||
                         free_units(*room, start - room->before, end + room->after) < 1))
                continue;
            auto& slot = by_start[start];
            slot.starts_at = start;
            slot.ends_at = end;
            if (rental) {
                slot.remaining = free;
            } else {
                slot.remaining += 1;
                slot.resource_ids.push_back(s.id);
            }
        }
    }
    std::vector<Slot> out;
    out.reserve(by_start.size());
    for (auto& [start, slot] : by_start) out.push_back(std::move(slot));
    return out;
}

}  // namespace detail

}  // namespace yoyaku::bookings
