// Changes to a booking: cancel (with the fee the tiers charge), move, approve or reject,
// check in, no-show, paid.
#include <algorithm>
#include <boost/json.hpp>

#include "core/text.hpp"
#include "crypto/hash.hpp"
#include "crypto/random.hpp"
#include "crypto/sealing.hpp"
#include "domain/accounts/account_service.hpp"
#include "domain/bookings/announce.hpp"
#include "domain/bookings/booking_store.hpp"
#include "domain/bookings/booking_tickets.hpp"
#include "domain/bookings/bookings.hpp"
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

using namespace detail;
using namespace std::chrono;
using storage::ScopedTx;

Result<Booking> BookingService::cancel(
    TenantId tenant,
    std::string_view reference,
    const Requester& who,
    const audit::Actor& actor,
    const audit::Origin& origin,
    const CancelOptions& options
) {
    return change(tenant, reference, [&](ScopedTx& stx, const Change& c) -> Result<Booking> {
        const auto* b = &c.booking;
        const auto* keys = &c.keys;
        const Instant now = c.now;
        if (!proves(*b, who, *keys)) return Error::not_found("no such booking");
        // Paid (or changed) before its deadline came: the unpaid job leaves it.
        if (options.unpaid && (b->paid_at || b->status != BookingStatus::confirmed)) return *b;
        if (!is_live(b->status) && b->status != BookingStatus::held)
            return refused("this booking cannot be cancelled now", "status");
        YOYAKU_TRY_ASSIGN(
            auto o, offerings::OfferingStore(stx).find_by_id(OfferingId{b->offering_id})
        );
        if (!who.staff && now > b->starts_at - minutes(o.cancel_before_minutes))
            return refused("the cancellation deadline has passed", "reference");
        // The fee the tiers charge now, the same for every channel; staff may waive it.
        const bool waive = options.waive_fee && who.staff;
        const std::int64_t fee = waive ? 0 : quote_fee(o, *b, now).fee_jpy;
        if (options.expected_fee_jpy && *options.expected_fee_jpy != fee)
            return Error{
                Errc::conflict,
                "the cancellation fee is now " + std::to_string(fee) + " yen; confirm again",
                "expected_fee_jpy",
                {}};
        YOYAKU_TRY_ASSIGN(
            const bool cancelled, BookingStore(stx).update_cancelled(b->id, fee, now)
        );
        if (!cancelled) return refused("this booking cannot be cancelled now", "status");
        YOYAKU_TRY(give_back(stx, taken_from(capacity_of(stx, b->id))));
        // Paid: what the fee leaves goes back (the payments slice asks the provider).
        if (const auto owed = b->paid_jpy - b->refunded_jpy - fee; owed > 0)
            YOYAKU_TRY(
                queue_refund(stx, keys_, {b->id, b->reference, owed, "cancel-" + b->reference}, now)
            );
        YOYAKU_TRY(audit::append(
            stx,
            actor,
            origin,
            {"booking.cancelled",
             "booking:" + b->reference,
             "success",
             boost::json::serialize(boost::json::object{
                 {"by",
                  options.unpaid ? "unpaid"
                  : who.staff    ? "staff"
                                 : "customer"},
                 {"fee_jpy", fee},
                 {"fee_waived", waive}})},
            now
        ));
        YOYAKU_TRY_ASSIGN(auto after, BookingStore(stx).find_by_id(b->id, *keys));
        // A held booking may be a waitlist offer: declined, it passes on.
        YOYAKU_TRY(offer_ended(stx, b->id, true));
        // A hold never confirmed (a waitlist offer given up) mails nobody; an unpaid booking's
        // mail says why it went.
        YOYAKU_TRY(announce(
            stx,
            keys_,
            options_,
            "cancelled",
            b->status == BookingStatus::held || options.unpaid ? "" : "booking_cancelled",
            after,
            o,
            now
        ));
        if (options.unpaid)
            YOYAKU_TRY(mail_customer(
                stx, keys_, options_, "booking_cancelled", after, o.name, now, {{"unpaid", "1"}}
            ));
        YOYAKU_TRY(release_to_waitlist(stx, keys_, options_, o.id, b->occurrence_id, now));
        return after;
    });
}

Result<Booking> BookingService::reschedule(
    TenantId tenant,
    std::string_view reference,
    const Selection& to,
    const Requester& who,
    const audit::Actor& actor,
    const audit::Origin& origin
) {
    return change(tenant, reference, [&](ScopedTx& stx, const Change& c) -> Result<Booking> {
        const auto* b = &c.booking;
        const auto* keys = &c.keys;
        const Instant now = c.now;
        if (!proves(*b, who, *keys)) return Error::not_found("no such booking");
        if (!is_live(b->status)) return refused("only a live booking can be moved", "status");
        auto o = offerings::OfferingStore(stx).find_by_id(OfferingId{b->offering_id});
        if (!o) return fail(std::move(o).error());
        if (o->kind == OfferingKind::course)
            return refused("a course enrolment cannot be moved", "reference");
        if (!who.staff && now > b->starts_at - minutes(o->cancel_before_minutes))
            return refused("the deadline for changes has passed", "reference");
        // The same booking at another time: same tickets, blocks and quantity.
        Selection sel = to;
        sel.offering_id = o->id;
        sel.tickets = b->tickets;
        sel.quantity = b->seats;
        if (sel.seats.empty() && sel.seat_category.empty() && !b->seat_ids.empty() &&
            offerings::prices_by_category(o->ticket_types)) {
            // Prices differ by seat: the best available in the category the booking sits in
            // now (the same price), unless the request says otherwise.
            YOYAKU_TRY_ASSIGN(const auto row, seating::SeatMapStore(stx).find(o->seat_map_id));
            YOYAKU_TRY_ASSIGN(const auto map, seating::parsed_layout(row.layout));
            if (const auto* seat = map->find(b->seat_ids.front()))
                sel.seat_category = seat->category;
        }
        sel.blocks =
            b->fees.blocks > 0 ? b->fees.blocks
            : o->duration_minutes > 0
                ? static_cast<int>((b->ends_at - b->starts_at) / minutes(o->duration_minutes))
                : 1;
        // A rental keeps its equipment and surcharges unless the move names others (equipment
        // may change until the deadline: the same start with other equipment).
        if (sel.equipment.empty()) sel.equipment = b->fees.equipment;
        if (sel.surcharges.empty()) sel.surcharges = b->fees.surcharges;
        sel.group_id = b->group_id;
        if (o->kind == OfferingKind::event && !sel.occurrence_id.valid())
            return Error::invalid("occurrence_id", "is required");
        YOYAKU_TRY_ASSIGN(auto plan, member_plan(stx, *o, b->account_id, sel, now));
        if (offerings::prices_by_category(o->ticket_types) && plan.total != b->total_jpy) {
            // Seats of another price: the house may move a customer (the price stays what
            // was agreed); a customer books those seats anew.
            if (!who.staff)
                return refused("these seats cost differently: cancel and book them anew", "seats");
            plan.total = b->total_jpy;
        }
        YOYAKU_TRY(check_limits(
            stx,
            *o,
            keys->indexes(b->customer.email),
            b->account_id,
            plan.starts,
            plan.candidates.front().resource_id,
            b->id,
            now
        ));
        YOYAKU_TRY(expire_holds(stx, keys_, options_, o->id, now, 100));
        const Taken old = taken_from(capacity_of(stx, b->id));
        // One transaction: the old places go back and the new are taken (a move may overlap
        // its own old time); a refusal rolls both back and leaves the booking as it was.
        YOYAKU_TRY(give_back(stx, old));
        YOYAKU_TRY_ASSIGN(auto chosen, take_plan(stx, plan, now));
        YOYAKU_TRY(BookingStore(stx).update_moved(
            b->id,
            {plan.occurrence_id,
             plan.starts,
             plan.ends,
             chosen.resource_id,
             plan.room_id,
             taken_json(chosen.taken),
             plan.total,
             fees_json(plan.fees)},
            now
        ));
        YOYAKU_TRY(audit::append(
            stx,
            actor,
            origin,
            {"booking.rescheduled",
             "booking:" + b->reference,
             "success",
             boost::json::serialize(boost::json::object{
                 {"from", format_rfc3339(b->starts_at, "UTC")},
                 {"to", format_rfc3339(plan.starts, "UTC")}})},
            now
        ));
        YOYAKU_TRY_ASSIGN(auto after, BookingStore(stx).find_by_id(b->id, *keys));
        YOYAKU_TRY(
            announce(stx, keys_, options_, "rescheduled", "booking_rescheduled", after, *o, now)
        );
        if (b->occurrence_id != after.occurrence_id)
            YOYAKU_TRY(release_to_waitlist(stx, keys_, options_, o->id, b->occurrence_id, now));
        return after;
    });
}

Result<Booking> BookingService::decide(
    TenantId tenant,
    std::string_view reference,
    bool approve,
    const audit::Actor& actor,
    const audit::Origin& origin
) {
    return change(tenant, reference, [&](ScopedTx& stx, const Change& c) -> Result<Booking> {
        const auto* b = &c.booking;
        const auto* keys = &c.keys;
        const Instant now = c.now;
        YOYAKU_TRY_ASSIGN(
            const bool decided,
            BookingStore(stx).update_status(
                b->id,
                BookingStatus::pending,
                approve ? BookingStatus::confirmed : BookingStatus::rejected,
                now
            )
        );
        if (!decided) return refused("only a pending booking awaits a decision", "status");
        YOYAKU_TRY(BookingStore(stx).clear_hold_expiry(b->id));
        if (!approve) YOYAKU_TRY(give_back(stx, taken_from(capacity_of(stx, b->id))));
        YOYAKU_TRY(audit::append(
            stx,
            actor,
            origin,
            {approve ? "booking.approved" : "booking.rejected", "booking:" + b->reference},
            now
        ));
        YOYAKU_TRY_ASSIGN(auto after, BookingStore(stx).find_by_id(b->id, *keys));
        YOYAKU_TRY_ASSIGN(
            auto o, offerings::OfferingStore(stx).find_by_id(OfferingId{b->offering_id})
        );
        YOYAKU_TRY(announce(
            stx,
            keys_,
            options_,
            approve ? "approved" : "rejected",
            approve ? "booking_confirmed" : "booking_rejected",
            after,
            o,
            now
        ));
        return after;
    });
}

Result<Booking> BookingService::check_in(
    TenantId tenant,
    std::string_view reference,
    const audit::Actor& actor,
    const audit::Origin& origin
) {
    return change(tenant, reference, [&](ScopedTx& stx, const Change& c) -> Result<Booking> {
        const auto* b = &c.booking;
        const auto* keys = &c.keys;
        const Instant now = c.now;
        if (b->status == BookingStatus::checked_in)
            return Error{
                Errc::conflict,
                "already checked in at " + format_rfc3339(*b->checked_in_at, "UTC"),
                "reference",
                {}};
        if (b->status != BookingStatus::confirmed)
            return refused("only a confirmed booking can be checked in", "status");
        if (now < b->starts_at - hours(12) || now > b->ends_at + hours(12))
            return refused("check-in opens 12 hours before the start", "reference");
        YOYAKU_TRY_ASSIGN(const bool checked_in, BookingStore(stx).update_checked_in(b->id, now));
        if (!checked_in) return Error{Errc::conflict, "already checked in", "reference", {}};
        // The whole party is in: its tickets valid now are used.
        YOYAKU_TRY_ASSIGN(const auto live, live_tickets(stx, *b));
        for (const auto& t : live)
            if (t.valid_from <= now && now <= t.valid_until)
                YOYAKU_TRY(tickets::TicketStore(stx).check_in(t.id, now, "booking check-in"));
        YOYAKU_TRY(audit::append(
            stx, actor, origin, {"booking.checked_in", "booking:" + b->reference}, now
        ));
        return announced(stx, keys_, "checked_in", b->id, *keys, now);
    });
}

Result<Booking> BookingService::mark_no_show(
    TenantId tenant,
    std::string_view reference,
    const audit::Actor& actor,
    const audit::Origin& origin
) {
    return change(tenant, reference, [&](ScopedTx& stx, const Change& c) -> Result<Booking> {
        const auto* b = &c.booking;
        const auto* keys = &c.keys;
        const Instant now = c.now;
        if (b->status != BookingStatus::confirmed)
            return refused("only a confirmed booking can be marked no-show", "status");
        if (now < b->starts_at)
            return refused("a booking is a no-show only after its start", "reference");
        YOYAKU_TRY(BookingStore(stx).update_status(
            b->id, BookingStatus::confirmed, BookingStatus::no_show, now
        ));
        YOYAKU_TRY(
            audit::append(stx, actor, origin, {"booking.no_show", "booking:" + b->reference}, now)
        );
        return announced(stx, keys_, "no_show", b->id, *keys, now);
    });
}

Result<Booking> BookingService::mark_paid(
    TenantId tenant,
    std::string_view reference,
    const audit::Actor& actor,
    const audit::Origin& origin
) {
    return change(tenant, reference, [&](ScopedTx& stx, const Change& c) -> Result<Booking> {
        const auto* b = &c.booking;
        if (b->paid_at) return *b;
        if (!is_live(b->status) && b->status != BookingStatus::checked_in)
            return refused("only a live booking is paid", "status");
        YOYAKU_TRY(BookingStore(stx).update_paid(b->id, c.now));
        YOYAKU_TRY(audit::append(
            stx,
            actor,
            origin,
            {"booking.paid",
             "booking:" + b->reference,
             "success",
             "{\"total_jpy\":" + std::to_string(b->total_jpy) + "}"},
            c.now
        ));
        return BookingStore(stx).find_by_id(b->id, c.keys);
    });
}

Result<Occurrence> BookingService::set_capacity(
    TenantId tenant,
    OccurrenceId occurrence_id,
    int capacity,
    const audit::Actor& actor,
    const audit::Origin& origin
) {
    const Instant now = clock_.now();
    return db_.write(storage::TenantScope(tenant), [&](ScopedTx& stx) -> Result<Occurrence> {
        offerings::OccurrenceStore occurrences(stx);
        YOYAKU_TRY(occurrences.find_by_id(OccurrenceId{occurrence_id}));
        if (capacity < 1 || capacity > 1'000'000)
            return Error::invalid("capacity", "must be 1 to 1000000");
        YOYAKU_TRY_ASSIGN(
            const bool changed, occurrences.update_capacity(OccurrenceId{occurrence_id}, capacity)
        );
        YOYAKU_TRY_ASSIGN(const auto occ, occurrences.find_by_id(OccurrenceId{occurrence_id}));
        if (!changed)
            return Error::invalid(
                "capacity", "must be at least the " + std::to_string(occ.taken) + " seats taken"
            );
        YOYAKU_TRY(audit::append(
            stx,
            actor,
            origin,
            {"occurrence.capacity_changed",
             "occurrence:" + to_string(occurrence_id),
             "success",
             boost::json::serialize(boost::json::object{{"capacity", capacity}})},
            now
        ));
        YOYAKU_TRY_ASSIGN(auto o, offerings::OfferingStore(stx).find_by_id(occ.offering_id));
        // A course's line waits on its first session.
        YOYAKU_TRY_ASSIGN(auto first, offerings::OccurrenceStore(stx).list_by_offering(o.id));
        const auto line =
            o.kind == OfferingKind::course && !first.empty() ? first.front().id : occurrence_id;
        YOYAKU_TRY(serve_waitlist(stx, keys_, options_, o, line, now));
        YOYAKU_TRY_ASSIGN(auto again, offerings::OccurrenceStore(stx).list_by_offering(o.id));
        for (const auto& x : again)
            if (x.id == occurrence_id) return x;
        return occ;
    });
}

}  // namespace yoyaku::bookings
