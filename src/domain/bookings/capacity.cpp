// Capacity taking (ADR 0009): seats by one guarded UPDATE per occurrence, resource time by
// 5-minute usage buckets checked under their locks, in one order for every transaction.
#include "domain/bookings/capacity.hpp"

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
#include "domain/bookings/resource_usage_store.hpp"
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

std::string taken_json(const Taken& t) {
    boost::json::array occ, usage;
    for (auto id : t.occurrences) occ.emplace_back(id.value);
    for (const auto& u : t.usage)
        usage.push_back(boost::json::array{u.resource.value, u.from, u.to, u.quantity});
    boost::json::object out{{"occurrences", occ}, {"seats", t.seats}, {"usage", usage}};
    if (t.seat_map != 0) {
        out["seat_map"] = t.seat_map;
        boost::json::array ids;
        for (const auto& s : t.seat_ids) ids.emplace_back(s);
        out["seat_ids"] = std::move(ids);
    }
    return boost::json::serialize(out);
}

Taken taken_from(const std::string& text) {
    // Written by taken_json(); anything else reads as nothing taken.
    Taken t;
    boost::system::error_code ec;
    auto v = boost::json::parse(text, ec);
    if (ec || !v.is_object()) return t;
    const auto& o = v.get_object();
    if (const auto* occ = o.if_contains("occurrences"); occ && occ->is_array())
        for (const auto& x : occ->get_array())
            if (x.is_int64()) t.occurrences.push_back(OccurrenceId(x.get_int64()));
    if (const auto* s = o.if_contains("seats"); s && s->is_int64())
        t.seats = static_cast<int>(s->get_int64());
    if (const auto* m = o.if_contains("seat_map"); m && m->is_int64()) t.seat_map = m->get_int64();
    if (const auto* ids = o.if_contains("seat_ids"); ids && ids->is_array())
        for (const auto& x : ids->get_array())
            if (x.is_string()) t.seat_ids.emplace_back(x.get_string());
    if (const auto* usage = o.if_contains("usage"); usage && usage->is_array())
        for (const auto& x : usage->get_array()) {
            if (!x.is_array() || x.get_array().size() != 4) continue;
            const auto& a = x.get_array();
            if (!(a[0].is_int64() && a[1].is_int64() && a[2].is_int64() && a[3].is_int64()))
                continue;
            t.usage.push_back(
                {ResourceId(a[0].get_int64()),
                 a[1].get_int64(),
                 a[2].get_int64(),
                 static_cast<int>(a[3].get_int64())}
            );
        }
    return t;
}

// Adds the buckets in ascending order (taking their row locks), then looks whether any is
// over the resource's units while holding them. Over: gives the units back and answers false.
Result<bool> take_use(ScopedTx& stx, const Use& u) {
    ResourceUsageStore usage(stx);
    YOYAKU_TRY(usage.add(u.resource, u.from, u.to, u.quantity));
    YOYAKU_TRY_ASSIGN(const bool over, usage.any_over(u.resource, u.from, u.to, u.units));
    if (!over) return true;
    YOYAKU_TRY(usage.subtract(u.resource, u.from, u.to, u.quantity));
    return false;
}

// The numbered seats of an event with a seat map: those named, or the best available together.
Result<void> take_numbered(ScopedTx& stx, Taken& taken, Instant now) {
    const auto occurrence = taken.occurrences.front();
    seating::OccurrenceSeatStore seats(stx);
    if (taken.seat_ids.empty()) {
        YOYAKU_TRY_ASSIGN(const auto row, seating::SeatMapStore(stx).find(taken.seat_map));
        YOYAKU_TRY_ASSIGN(const auto map, seating::parsed_layout(row.layout));
        YOYAKU_TRY_ASSIGN(const auto busy, seats.taken_ids(occurrence));
        auto best =
            seating::best_available(*map, busy, {taken.seats, taken.category, false, taken.apart});
        if (!best)
            return Error{
                Errc::slot_taken,
                "no " + std::to_string(taken.seats) + " seats side by side are left" +
                    (taken.category.empty() ? "" : " in this category"),
                taken.category.empty() ? "seats" : "seat_category",
                {}};
        taken.seat_ids = std::move(*best);
    }
    for (const auto& id : taken.seat_ids) {
        YOYAKU_TRY_ASSIGN(
            const bool took,
            seats.take(occurrence, taken.seat_map, id, seating::SeatUse::booked, now)
        );
        if (!took) return Error{Errc::slot_taken, "seat " + id + " is taken", "seats", {}};
    }
    return {};
}

Result<void> give_back(ScopedTx& stx, const Taken& taken) {
    offerings::OccurrenceStore occurrences(stx);
    for (const auto id : taken.occurrences)
        YOYAKU_TRY(occurrences.give_back_seats(id, taken.seats));
    if (taken.seat_map != 0 && !taken.occurrences.empty())
        YOYAKU_TRY(seating::OccurrenceSeatStore(stx).release(
            taken.occurrences.front(), taken.seat_ids, seating::SeatUse::booked
        ));
    ResourceUsageStore usage(stx);
    for (const auto& u : taken.usage)
        YOYAKU_TRY(usage.subtract(u.resource, u.from, u.to, u.quantity));
    return {};
}

// Seats first (occurrences in id order), then resources in the order planned (non-staff
// before staff, ascending): every transaction locks in the same order.
Result<void> take(ScopedTx& stx, Taken& taken, Instant now) {
    offerings::OccurrenceStore occurrences(stx);
    for (const auto id : taken.occurrences) {
        YOYAKU_TRY_ASSIGN(const bool took, occurrences.take_seats(id, taken.seats));
        if (!took) return Error{Errc::slot_taken, "not enough seats are left", "tickets", {}};
    }
    if (taken.seat_map != 0 && !taken.occurrences.empty())
        YOYAKU_TRY(take_numbered(stx, taken, now));
    for (std::size_t i = 0; i < taken.usage.size(); ++i) {
        YOYAKU_TRY_ASSIGN(const bool ok, take_use(stx, taken.usage[i]));
        if (!ok) {
            // Give back what this candidate took so far: the caller may try another.
            Taken so_far;
            so_far.usage.assign(
                taken.usage.begin(), taken.usage.begin() + static_cast<std::ptrdiff_t>(i)
            );
            YOYAKU_TRY(give_back(stx, so_far));
            const auto& field = taken.usage[i].field;
            if (!field.empty())
                return Error{Errc::slot_taken, "not enough of this is left then", field, {}};
            return Error{Errc::slot_taken, "this time is no longer free", "starts_at", {}};
        }
    }
    return {};
}

}  // namespace detail

}  // namespace yoyaku::bookings
