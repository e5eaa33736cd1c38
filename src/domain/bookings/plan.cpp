// What a selection books: its time, seats, price and the candidates for what it occupies.
#include "domain/bookings/plan.hpp"

#include <algorithm>
#include <boost/json.hpp>

#include "core/text.hpp"
#include "crypto/hash.hpp"
#include "crypto/random.hpp"
#include "crypto/sealing.hpp"
#include "domain/accounts/account_service.hpp"
#include "domain/bookings/announce.hpp"
#include "domain/bookings/booking_store.hpp"
#include "domain/bookings/capacity.hpp"
#include "domain/bookings/customer_sealing.hpp"
#include "domain/bookings/export.hpp"
#include "domain/bookings/holds.hpp"
#include "domain/bookings/plan.hpp"
#include "domain/bookings/resource_time.hpp"
#include "domain/bookings/venue_rules.hpp"
#include "domain/bookings/waitlist/waitlist_serving.hpp"
#include "domain/calendar/ical.hpp"
#include "domain/line/line.hpp"
#include "domain/mail/mail.hpp"
#include "domain/offerings/offering_store.hpp"
#include "domain/seating/seat_map.hpp"
#include "domain/seating/seat_store.hpp"
#include "domain/tenants/tenant_store.hpp"
#include "domain/user_classes/user_class_service.hpp"
#include "domain/webhooks/webhooks.hpp"
#include "storage/sql_text.hpp"

namespace yoyaku::bookings {
namespace detail {

using namespace std::chrono;
using storage::ScopedTx;

Error refused(std::string message, std::string field) {
    return Error{Errc::unprocessable, std::move(message), std::move(field), {}};
}

Use use_of(const detail::ResourceTime& r, Instant start, Instant end, int quantity) {
    return {
        r.id,
        detail::bucket_of(start - r.before),
        detail::bucket_of(end + r.after - microseconds(1)) + 1,
        quantity,
        r.units};
}

std::vector<Use> uses_of(const ResourceTime& r, Instant start, Instant end, int quantity) {
    std::vector<Use> out{use_of(r, start, end, quantity)};
    for (const auto& p : r.parts)
        out.push_back(
            {p.id,
             bucket_of(start - p.before),
             bucket_of(end + p.after - microseconds(1)) + 1,
             quantity,
             1}
        );
    return out;
}

// What the tickets of `p` cost on their seats: each ticket (types by code, as the tickets are
// issued) on the next seat named, or in the category asked for.
std::int64_t seat_priced(
    const Offering& o, const Plan& p, const seating::SeatMap& map, const Taken& t
) {
    std::int64_t total = 0;
    std::size_t next = 0;
    for (const auto& [code, n] : p.tickets) {
        const auto type = std::find_if(o.ticket_types.begin(), o.ticket_types.end(), [&](auto& x) {
            return x.code == code;
        });
        if (type == o.ticket_types.end()) continue;  // plan_seats checked every code
        for (int i = 0; i < n; ++i) {
            const auto* seat = next < t.seat_ids.size() ? map.find(t.seat_ids[next++]) : nullptr;
            total +=
                offerings::price_in(*type, seat ? std::string_view(seat->category) : t.category);
        }
    }
    return total;
}

// The numbered seats a selection names on an event with a seat map: one per ticket, each a
// seat of the map not held back, none twice (taken or not is take()'s to say); or the seat
// category to choose the best available in. Where the ticket types price categories, the
// plan's total is the price of those seats (or that category).
Result<void> plan_numbered(
    ScopedTx& stx, const Offering& o, const Selection& sel, Plan& p, Taken& t
) {
    if (o.seat_map_id == 0) {
        if (!sel.seats.empty())
            return Error::invalid("seats", "this offering has no seat map: choose tickets only");
        if (!sel.seat_category.empty())
            return Error::invalid("seat_category", "this offering has no seat map");
        return {};
    }
    t.seat_map = o.seat_map_id;
    const bool priced = offerings::prices_by_category(o.ticket_types);
    if (sel.seats.empty() && sel.seat_category.empty() && !priced) return {};
    YOYAKU_TRY_ASSIGN(const auto row, seating::SeatMapStore(stx).find(o.seat_map_id));
    YOYAKU_TRY_ASSIGN(const auto parsed, seating::parsed_layout(row.layout));
    const auto& map = *parsed;
    if (sel.seats.empty()) {
        if (sel.seat_category.empty())
            return Error::invalid(
                "seat_category", "prices differ by seat: choose seats or a seat category"
            );
        if (std::none_of(map.categories.begin(), map.categories.end(), [&](const auto& c) {
                return c.code == sel.seat_category;
            }))
            return Error::invalid("seat_category", "is not a seat category of this hall");
        t.category = sel.seat_category;
    } else {
        if (static_cast<int>(sel.seats.size()) != t.seats)
            return Error::invalid(
                "seats", "choose one seat per ticket (" + std::to_string(t.seats) + ")"
            );
        for (std::size_t i = 0; i < sel.seats.size(); ++i) {
            const auto field = "seats[" + std::to_string(i) + "]";
            const auto* seat = map.find(sel.seats[i]);
            if (!seat) return Error::invalid(field, "is not a seat of this hall");
            if (seat->held) return refused("this seat is not on sale", field);
            const auto before = sel.seats.begin() + static_cast<std::ptrdiff_t>(i);
            if (std::find(sel.seats.begin(), before, sel.seats[i]) != before)
                return Error::invalid(field, "is chosen twice");
        }
        t.seat_ids = sel.seats;
    }
    if (priced) p.total = seat_priced(o, p, map, t);
    return {};
}

Result<Plan> plan_seats(ScopedTx& stx, const Offering& o, const Selection& sel, Instant now) {
    Plan p;
    std::vector<Occurrence> occ;
    if (o.kind == OfferingKind::event) {
        // One row by its key: an event may have thousands of occurrences.
        YOYAKU_TRY_ASSIGN(
            auto one,
            offerings::OccurrenceStore(stx).find_of_offering(o.id, OccurrenceId{sel.occurrence_id})
        );
        occ.push_back(std::move(one));
    } else {
        YOYAKU_TRY_ASSIGN(auto all, offerings::OccurrenceStore(stx).list_by_offering(o.id));
        if (all.empty()) return refused("this course has no sessions yet", "offering_id");
        occ = std::move(all);
    }
    p.occurrence_id = occ.front().id;
    p.starts = occ.front().starts_at;
    p.ends = occ.back().ends_at;
    if (!detail::window_open(o, p.starts, now))
        return refused("booking is not open for this date", "occurrence_id");
    if (sel.tickets.empty()) return Error::invalid("tickets", "choose at least one ticket");
    int seats = 0;
    for (const auto& ticket : sel.tickets) {
        const auto& code = ticket.first;  // named, not bound: lambdas below capture it
        const int n = ticket.second;
        if (n < 0 || n > 100) return Error::invalid("tickets." + code, "must be 0 to 100");
        const auto it =
            std::find_if(o.ticket_types.begin(), o.ticket_types.end(), [&](const auto& x) {
                return x.code == code;
            });
        if (it == o.ticket_types.end())
            return Error::invalid("tickets." + code, "is not a ticket type of this offering");
        if (n > it->max_per_order)
            return refused(
                "at most " + std::to_string(it->max_per_order) + " per order", "tickets." + code
            );
        if (n > 0) p.tickets[code] = n;
        seats += n;
        p.total += it->price_jpy * n;
    }
    if (seats < 1) return Error::invalid("tickets", "choose at least one ticket");
    if (seats > o.max_per_order)
        return refused("at most " + std::to_string(o.max_per_order) + " per order", "tickets");
    p.seats = seats;
    Taken t;
    t.seats = seats;
    YOYAKU_TRY(plan_numbered(stx, o, sel, p, t));
    for (const auto& x : occ) t.occurrences.push_back(x.id);
    std::sort(t.occurrences.begin(), t.occurrences.end());
    p.candidates.push_back({std::nullopt, std::move(t)});
    return p;
}

// A rental's equipment and surcharges: each item's units taken with the room over the same
// time (equipment in ascending id after the room, so concurrent bookings lock in one order),
// and both priced into the fee basis.
Result<void> plan_extras(
    ScopedTx& stx,
    const Offering& o,
    const Selection& sel,
    std::string_view zone,
    Plan& p,
    std::vector<Use>& usage
) {
    auto& basis = *p.basis;
    const auto day = year_month_day{floor<days>(to_local(p.starts, zone))};
    const auto before = year_month_day{local_days{day} - days{1}};
    const auto after = year_month_day{local_days{day} + days{1}};
    std::vector<std::pair<ResourceId, Use>> taken;
    for (std::size_t i = 0; i < sel.equipment.size(); ++i) {
        const auto& want = sel.equipment[i];
        const auto f = "equipment[" + std::to_string(i) + "]";
        const auto option =
            std::find_if(o.equipment.begin(), o.equipment.end(), [&](const auto& e) {
                return e.resource_id == want.resource_id;
            });
        if (option == o.equipment.end())
            return Error::invalid(f + ".resource_id", "is not equipment of this offering");
        for (std::size_t k = 0; k < i; ++k)
            if (sel.equipment[k].resource_id == want.resource_id)
                return Error::invalid(f + ".resource_id", "is chosen twice");
        if (want.quantity < 0 || want.quantity > option->max_quantity)
            return Error::invalid(
                f + ".quantity", "must be 0 to " + std::to_string(option->max_quantity)
            );
        if (want.quantity == 0) continue;
        YOYAKU_TRY_ASSIGN(auto e, load_resource_time(stx, want.resource_id, zone, before, after));
        if (want.quantity > e.units)
            return refused("only " + std::to_string(e.units) + " are kept", f + ".quantity");
        auto use = use_of(e, p.starts, p.ends, want.quantity);
        use.field = f;
        taken.emplace_back(want.resource_id, std::move(use));
        basis.equipment.push_back({option->name, option->price_jpy, want.quantity});
        p.fees.equipment.push_back(want);
    }
    std::sort(taken.begin(), taken.end(), [](const auto& a, const auto& b) {
        return a.first < b.first;
    });
    for (auto& [id, use] : taken) usage.push_back(std::move(use));
    for (std::size_t i = 0; i < sel.surcharges.size(); ++i) {
        const auto& code = sel.surcharges[i];
        const auto f = "surcharges[" + std::to_string(i) + "]";
        const auto it = std::find_if(o.surcharges.begin(), o.surcharges.end(), [&](auto& x) {
            return x.code == code;
        });
        if (it == o.surcharges.end())
            return Error::invalid(f, "is not a surcharge of this offering");
        if (std::find(
                sel.surcharges.begin(), sel.surcharges.begin() + static_cast<long>(i), code
            ) != sel.surcharges.begin() + static_cast<long>(i))
            return Error::invalid(f, "is declared twice");
        basis.surcharges.push_back(*it);
        p.fees.surcharges.push_back(code);
    }
    return {};
}

// A rental by divisions: `blocks` consecutive divisions of a date, from the one starting at
// starts_at, over the time from the first's start to the last's end; each priced as the
// resource says for that day.
Result<Plan> plan_divisions(ScopedTx& stx, const Offering& o, const Selection& sel, Instant now) {
    if (!sel.starts_at) return Error::invalid("starts_at", "is required");
    if (sel.blocks < o.min_blocks || sel.blocks > o.max_blocks)
        return Error::invalid(
            "blocks",
            "must be " + std::to_string(o.min_blocks) + " to " + std::to_string(o.max_blocks) +
                " divisions"
        );
    if (sel.quantity != 1) return Error::invalid("quantity", "a rental by divisions takes 1");
    YOYAKU_TRY_ASSIGN(auto zone, detail::tenant_zone(stx));
    const auto day = year_month_day{floor<days>(to_local(*sel.starts_at, zone))};
    const auto before = year_month_day{local_days{day} - days{1}};
    const auto after = year_month_day{local_days{day} + days{1}};
    YOYAKU_TRY_ASSIGN(
        auto r, detail::load_resource_time(stx, o.resource_ids.front(), zone, before, after)
    );
    const auto all = division_times(r, zone, day);
    const auto first = std::find_if(all.begin(), all.end(), [&](const auto& d) {
        return d.start == *sel.starts_at;
    });
    if (first == all.end()) return refused("no division starts then", "starts_at");
    if (all.end() - first < sel.blocks)
        return refused(
            "only " + std::to_string(all.end() - first) + " divisions follow on this date", "blocks"
        );
    const auto last = first + (sel.blocks - 1);
    Plan p;
    p.starts = first->start;
    p.ends = last->end;
    p.seats = 1;
    if (!detail::window_open(o, p.starts, now))
        return refused("booking is not open for this time", "starts_at");
    if (!detail::inside_open(r, p.starts, p.ends))
        return refused("the room is not open then", "starts_at");
    p.basis.emplace();
    p.basis->blocks = sel.blocks;
    p.fees.blocks = sel.blocks;
    for (auto d = first; d <= last; ++d)
        p.basis->room.push_back(
            {"room",
             d->division.name + " " + d->division.starts + "–" + d->division.ends,
             d->division.price_jpy,
             1,
             d->division.price_jpy}
        );
    Taken t;
    t.usage = uses_of(r, p.starts, p.ends, 1);
    YOYAKU_TRY(plan_extras(stx, o, sel, zone, p, t.usage));
    p.candidates.push_back({r.id, std::move(t)});
    return p;
}

Result<Plan> plan_time(ScopedTx& stx, const Offering& o, const Selection& sel, Instant now) {
    if (!sel.starts_at) return Error::invalid("starts_at", "is required");
    Plan p;
    p.starts = *sel.starts_at;
    const minutes unit{o.duration_minutes};
    const bool rental = o.kind == OfferingKind::rental;
    if (rental) {
        if (sel.blocks < o.min_blocks || sel.blocks > o.max_blocks)
            return Error::invalid(
                "blocks",
                "must be " + std::to_string(o.min_blocks) + " to " + std::to_string(o.max_blocks)
            );
        if (sel.quantity < 1 || sel.quantity > o.max_per_order)
            return Error::invalid("quantity", "must be 1 to " + std::to_string(o.max_per_order));
        p.seats = sel.quantity;
        p.total = o.price_jpy * sel.blocks * sel.quantity;
        p.ends = p.starts + unit * sel.blocks;
        p.basis.emplace();
        p.basis->blocks = sel.blocks;
        p.basis->room.push_back({"room", o.name, o.price_jpy, sel.blocks * sel.quantity, p.total});
        p.fees.blocks = sel.blocks;
    } else {
        p.total = o.price_jpy;
        p.ends = p.starts + unit;
        if (sel.resource_id &&
            std::find(o.resource_ids.begin(), o.resource_ids.end(), *sel.resource_id) ==
                o.resource_ids.end())
            return Error::invalid("resource_id", "is not a staff member of this offering");
    }
    if (!detail::window_open(o, p.starts, now))
        return refused("booking is not open for this time", "starts_at");
    YOYAKU_TRY_ASSIGN(auto zone, detail::tenant_zone(stx));
    const auto day = year_month_day{floor<days>(to_local(p.starts, zone))};
    const auto before = year_month_day{local_days{day} - days{1}};
    const auto after = year_month_day{local_days{day} + days{1}};
    const minutes step{
        rental || o.slot_step_minutes == 0 ? o.duration_minutes : o.slot_step_minutes};
    std::optional<detail::ResourceTime> room;
    if (o.room_id) {
        YOYAKU_TRY_ASSIGN(auto r, detail::load_resource_time(stx, *o.room_id, zone, before, after));
        if (!detail::inside_open(r, p.starts, p.ends))
            return refused("the room is not open then", "starts_at");
        room = std::move(r);
        p.room_id = room->id;
    }
    bool offered = false;
    std::vector<Plan::Candidate> busy;
    for (const auto id : o.resource_ids) {
        if (sel.resource_id && *sel.resource_id != id) continue;
        YOYAKU_TRY_ASSIGN(auto r, detail::load_resource_time(stx, id, zone, before, after));
        const auto starts = detail::starts_in(r, unit, step);
        if (std::find(starts.begin(), starts.end(), p.starts) == starts.end() ||
            !detail::inside_open(r, p.starts, p.ends))
            continue;
        offered = true;
        if (rental && sel.quantity > r.units)
            return Error::invalid("quantity", "must be 1 to " + std::to_string(r.units));
        Taken t;
        if (room) t.usage = uses_of(*room, p.starts, p.ends, 1);
        for (auto& u : uses_of(r, p.starts, p.ends, p.seats)) t.usage.push_back(u);
        // Those the read shows free go first (in the offering's order); the guard decides.
        const bool looks_free =
            detail::free_units(r, p.starts - r.before, p.ends + r.after) >= p.seats;
        if (rental) YOYAKU_TRY(plan_extras(stx, o, sel, zone, p, t.usage));
        (looks_free ? p.candidates : busy).push_back({id, std::move(t)});
    }
    if (!offered) return refused("this offering has no slot starting then", "starts_at");
    for (auto& c : busy) p.candidates.push_back(std::move(c));
    return p;
}

Result<Plan> plan_for(ScopedTx& stx, const Offering& o, const Selection& sel, Instant now) {
    if (o.kind != OfferingKind::rental) {
        if (!sel.equipment.empty())
            return Error::invalid("equipment", "only rentals lend equipment");
        if (!sel.surcharges.empty())
            return Error::invalid("surcharges", "only rentals have surcharges");
    }
    if (o.kind == OfferingKind::event || o.kind == OfferingKind::course)
        return plan_seats(stx, o, sel, now);
    if (o.by_division) return plan_divisions(stx, o, sel, now);
    return plan_time(stx, o, sel, now);
}

// Takes the first candidate that fits; the Taken actually held, and the resource chosen.
Result<Plan::Candidate> take_plan(ScopedTx& stx, const Plan& p, Instant now) {
    Error last{Errc::slot_taken, "not enough places are left", "starts_at", {}};
    for (auto c : p.candidates) {
        auto r = take(stx, c.taken, now);
        if (r) return c;
        if (r.error().code != Errc::slot_taken) return fail(std::move(r).error());
        last = std::move(r).error();
        // Seats refused mid-course leave earlier rows taken: only time candidates continue,
        // and take_use gave its rows back before answering.
        if (!c.taken.occurrences.empty()) return last;
    }
    return last;
}

// The published offering a selection names (an event's occurrence names its offering).
Result<Offering> published_offering(ScopedTx& stx, const Selection& what) {
    OfferingId offering_id = what.offering_id;
    if (what.occurrence_id.valid()) {
        YOYAKU_TRY_ASSIGN(
            const auto occ,
            offerings::OccurrenceStore(stx).find_by_id(OccurrenceId{what.occurrence_id})
        );
        if (offering_id.valid() && offering_id != occ.offering_id)
            return Error::invalid("occurrence_id", "is not an occurrence of offering_id");
        offering_id = occ.offering_id;
    }
    if (!offering_id.valid()) return Error::invalid("offering_id", "is required");
    auto o = offerings::OfferingStore(stx).find_by_id(OfferingId{offering_id});
    if (!o || !o->published) return Error::not_found("no such offering");
    return o;
}

// The starts of a repeating rental: the first, then every N weeks at the same local time in the
// tenant's zone (across daylight saving), `count` in all or up to the `until` date.
Result<std::vector<Instant>> repeat_dates(ScopedTx& stx, const Offering& o, const NewBooking& in) {
    const auto& r = *in.repeat;
    if (o.kind != OfferingKind::rental) return Error::invalid("repeat", "only rentals repeat");
    if (in.hold) return Error::invalid("repeat", "a hold does not repeat");
    if (!in.what.starts_at) return Error::invalid("starts_at", "is required");
    if (r.every_weeks < 1 || r.every_weeks > 52)
        return Error::invalid("repeat.every_weeks", "must be 1 to 52");
    if ((r.count != 0) == r.until.has_value())
        return Error::invalid("repeat", "give either count or until");
    if (r.until.has_value() ? false : (r.count < 2 || r.count > 52))
        return Error::invalid("repeat.count", "must be 2 to 52");
    YOYAKU_TRY_ASSIGN(auto zone, tenant_zone(stx));
    const auto local = to_local(*in.what.starts_at, zone);
    if (r.until) {
        const auto first = year_month_day{floor<days>(local)};
        if (local_days{*r.until} <= local_days{first})
            return Error::invalid("repeat.until", "must be after the first date");
        if (local_days{*r.until} - local_days{first} > days{366})
            return Error::invalid("repeat.until", "at most a year after the first date");
    }
    std::vector<Instant> out;
    for (int k = 0; k < 52; ++k) {
        const auto at = local + weeks(k * r.every_weeks);
        if (r.until ? year_month_day{floor<days>(at)} > *r.until : k >= r.count) break;
        out.push_back(from_local(at, zone));
    }
    return out;
}

}  // namespace detail

}  // namespace yoyaku::bookings
