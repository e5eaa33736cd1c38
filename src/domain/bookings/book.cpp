// Booking (ADR 0009): plan what a booking occupies, take it with guarded statements in a fixed
// order, and record booking, idempotency key, audit entry and notification in one transaction.
#include <algorithm>
#include <boost/json.hpp>

#include "core/text.hpp"
#include "crypto/hash.hpp"
#include "crypto/random.hpp"
#include "crypto/sealing.hpp"
#include "domain/accounts/account_service.hpp"
#include "domain/bookings/announce.hpp"
#include "domain/bookings/booking_store.hpp"
#include "domain/bookings/bookings.hpp"
#include "domain/bookings/capacity.hpp"
#include "domain/bookings/customer_sealing.hpp"
#include "domain/bookings/export.hpp"
#include "domain/bookings/holds.hpp"
#include "domain/bookings/idempotency_key_store.hpp"
#include "domain/bookings/plan.hpp"
#include "domain/bookings/resource_time.hpp"
#include "domain/bookings/room_lottery/room_lottery_service.hpp"
#include "domain/bookings/venue_rules.hpp"
#include "domain/bookings/waitlist/waitlist_serving.hpp"
#include "domain/calendar/ical.hpp"
#include "domain/line/line.hpp"
#include "domain/mail/mail.hpp"
#include "domain/offerings/offering_store.hpp"
#include "domain/tenants/tenant_store.hpp"
#include "domain/user_classes/user_class_service.hpp"
#include "domain/webhooks/webhooks.hpp"
#include "storage/sql_text.hpp"

namespace yoyaku::bookings {
namespace {

using namespace detail;
using namespace std::chrono;
using storage::ScopedTx;

bool valid_key(std::string_view k) {
    if (k.size() < 8 || k.size() > 128) return false;
    for (char c : k)
        if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.' ||
              c == ':'))
            return false;
    return true;
}

// What a request asked, as one hash: a retry with the same key must ask the same.
std::string request_hash(const NewBooking& in, const Sealed& details, OfferingId offering) {
    boost::json::object tickets;
    for (const auto& [k, n] : in.what.tickets) tickets[k] = n;
    std::string repeat;
    if (in.repeat)
        repeat = "|repeat:" + std::to_string(in.repeat->every_weeks) + ":" +
                 std::to_string(in.repeat->count) + ":" +
                 (in.repeat->until ? resources::format_date(*in.repeat->until) : std::string("-")) +
                 (in.repeat->skip_conflicts ? ":skip" : "");
    return crypto::blake2b_256_hex(
        sealed_text(details) + "|" + to_string(offering) + "|" + to_string(in.what.occurrence_id) +
        "|" + (in.what.starts_at ? std::to_string(to_micros(*in.what.starts_at)) : "-") + "|" +
        std::to_string(in.what.blocks) + "|" + std::to_string(in.what.quantity) + "|" +
        to_string(in.what.resource_id.value_or(ResourceId())) + "|" +
        boost::json::serialize(tickets) + (in.hold ? "|hold" : "") + repeat + "|" +
        to_string(in.what.group_id.value_or(GroupId()))
    );
}

// The first answer to a request made before with this key (none: a new request).
// Errors: invalid_input on Idempotency-Key when the key asked for something else.
Result<std::optional<Created>> replay(
    ScopedTx& stx, const crypto::TenantKeys& keys, const std::string& key, const std::string& hash
) {
    YOYAKU_TRY_ASSIGN(const auto kept, IdempotencyKeyStore(stx).find(key));
    if (!kept) return std::optional<Created>();
    if (kept->request_hash != hash)
        return Error::invalid("Idempotency-Key", "this key was used for another request");
    BookingStore store(stx);
    YOYAKU_TRY_ASSIGN(auto first, store.find_by_id(kept->booking_id, keys));
    Created out{std::move(first), true, {}, {}};
    if (out.booking.series) {
        YOYAKU_TRY_ASSIGN(const auto ids, store.list_ids_by_series(*out.booking.series));
        for (const auto id : ids) {
            YOYAKU_TRY_ASSIGN(auto b, store.find_by_id(id, keys));
            out.series.push_back(std::move(b));
        }
    }
    return std::optional<Created>(std::move(out));
}

// One booking request inside its transaction.
struct Request {
    ScopedTx& stx;
    crypto::Keyring& keyring;
    const BookingOptions& options;
    const crypto::TenantKeys& keys;
    const NewBooking& in;
    const Offering& offering;
    const Sealed& details;
    const std::string& hash;
    const audit::Actor& actor;
    const audit::Origin& origin;
    Instant now;
};

Result<void> keep_key(const Request& r, BookingId booking_id) {
    auto kept =
        IdempotencyKeyStore(r.stx).insert(r.in.idempotency_key, {r.hash, booking_id}, r.now);
    if (kept) return {};
    if (kept.error().code == Errc::conflict)
        return Error{Errc::conflict, "a duplicate is in flight", "Idempotency-Key", {}};
    return kept;
}

// A customer's booking of an offering paid online at once: held while they pay.
bool pays_first(const Request& r, const Plan& plan) {
    return !r.in.hold && r.in.by_customer && r.offering.payment == offerings::Payment::online_now &&
           plan.total > 0;
}

// The row of a booking of `plan` going (for now) to the candidate `first`.
BookingRow booking_row(const Request& r, const Plan& plan, const Plan::Candidate& first) {
    const auto& o = r.offering;
    BookingRow row;
    row.reference = new_reference();
    row.offering_id = o.id;
    row.occurrence_id = plan.occurrence_id;
    row.status = r.in.hold ? "held" : offerings::waits_for_staff(o) ? "pending" : "confirmed";
    row.seats = plan.seats;
    row.total_jpy = plan.total;
    row.tickets_json = tickets_text(plan.tickets);
    row.email_index = crypto::blind_index(r.keys.index, r.details.customer.email);
    row.created_at = r.now;
    row.starts_at = plan.starts;
    row.ends_at = plan.ends;
    row.resource_id = first.resource_id;
    row.room_id = plan.room_id;
    if (r.in.hold) row.hold_expires_at = r.now + minutes(o.hold_minutes);
    // A provisional booking (仮予約) keeps its places until staff confirm it or its time ends.
    else
        row.hold_expires_at = offerings::provisional_until(o, r.now, plan.starts);
    if (!r.in.hold) {
        row.account_id = r.in.account_id;
        row.group_id = r.in.what.group_id;
    }
    row.payment_state = plan.total > 0 ? "unpaid" : "none";
    if (pays_first(r, plan)) {
        row.status = "held";
        row.awaiting_payment = true;
        row.hold_expires_at = r.now + kCheckoutMinutes;
    }
    row.capacity_taken = taken_json(first.taken);
    row.fees_json = fees_json(plan.fees);
    row.locale = r.in.locale;
    return row;
}

// Announced (unless a hold, or waiting for its payment) and audited.
Result<void> record(const Request& r, const Booking& b, const Plan& plan) {
    const auto& o = r.offering;
    const std::string_view mail = !r.in.mail_customer             ? ""
                                  : offerings::waits_for_staff(o) ? "booking_received"
                                                                  : "booking_confirmed";
    if (!r.in.hold && !b.awaiting_payment)
        YOYAKU_TRY(announce(r.stx, r.keyring, r.options, "created", mail, b, o, r.now));
    YOYAKU_TRY(audit::append(
        r.stx,
        r.actor,
        r.origin,
        {r.in.hold            ? "booking.held"
         : b.awaiting_payment ? "booking.awaiting_payment"
                              : "booking.created",
         "booking:" + b.reference,
         "success",
         boost::json::serialize(boost::json::object{
             {"offering", o.id.value},
             {"status", to_string(b.status)},
             {"seats", plan.seats},
             {"total_jpy", plan.total}})},
        r.now
    ));
    return {};
}

// One booking of `what`: priced for the member's class, within the customer's limits, its
// places taken, announced and audited. A repeating request takes the places first (`take_first`)
// so that a date refused leaves nothing behind.
Result<Booking> place(const Request& r, const Selection& what, bool take_first) {
    const auto& o = r.offering;
    auto& stx = r.stx;
    // A member's class (or their group's): their own booking window and price factor. A hold
    // is priced when it is confirmed.
    Selection priced = what;
    if (r.in.hold) priced.group_id.reset();
    YOYAKU_TRY_ASSIGN(
        const auto plan,
        member_plan(stx, o, r.in.hold ? std::nullopt : r.in.account_id, priced, r.now)
    );
    // A room's month a room lottery allots is booked by its draw until it opens.
    if (r.in.by_customer) YOYAKU_TRY(check_room_lottery(stx, o, plan.starts, r.now));
    if (!r.in.hold)
        YOYAKU_TRY(check_limits(
            stx,
            o,
            r.keys.indexes(r.details.customer.email),
            r.in.account_id,
            plan.starts,
            plan.candidates.front().resource_id,
            std::nullopt,
            r.now
        ));
    // Places kept by holds that ran out come back first (ADR 0009).
    YOYAKU_TRY(expire_holds(stx, r.keyring, r.options, o.id, r.now, 100));
    // The hot rows (seats, the tenant's audit chain head) are locked last, so that concurrent
    // bookings wait on them only for a statement or two and the COMMIT.
    std::optional<Plan::Candidate> taken_first;
    if (take_first) {
        YOYAKU_TRY_ASSIGN(taken_first, take_plan(stx, plan, r.now));
    }
    const auto& first = taken_first ? *taken_first : plan.candidates.front();
    BookingStore store(stx);
    YOYAKU_TRY_ASSIGN(const auto id, store.insert(booking_row(r, plan, first)));
    YOYAKU_TRY(store.update_customer_sealed(
        id, crypto::seal(r.keys.seal, sealed_text(r.details), customer_context(stx.tenant_id(), id))
    ));
    // A single booking's key is written before its places are taken (the hot rows last); a
    // duplicate in flight waits here.
    if (!take_first) YOYAKU_TRY(keep_key(r, id));
    YOYAKU_TRY_ASSIGN(auto booking, store.find_by_id(id, r.keys));
    Plan::Candidate chosen;
    if (taken_first) {
        chosen = *taken_first;
    } else {
        YOYAKU_TRY_ASSIGN(chosen, take_plan(stx, plan, r.now));
    }
    if (chosen.resource_id != first.resource_id || chosen.taken.seat_ids != first.taken.seat_ids) {
        YOYAKU_TRY(store.update_resource(id, chosen.resource_id, taken_json(chosen.taken)));
        booking.resource_id = chosen.resource_id;
        booking.seat_ids = chosen.taken.seat_ids;
    }
    YOYAKU_TRY(record(r, booking, plan));
    return booking;
}

// A repeating rental: every date booked, or (skip_conflicts) those that can be, all or
// nothing otherwise; the bookings share the first one's reference as their series.
Result<Created> place_series(const Request& r) {
    YOYAKU_TRY_ASSIGN(const auto dates, repeat_dates(r.stx, r.offering, r.in));
    Created out;
    for (const auto start : dates) {
        Selection what = r.in.what;
        what.starts_at = start;
        auto b = place(r, what, true);
        if (b) {
            out.series.push_back(std::move(*b));
            continue;
        }
        const auto& e = b.error();
        const bool refusal = e.code == Errc::slot_taken || e.code == Errc::unprocessable;
        if (!refusal) return fail(std::move(b).error());
        if (!r.in.repeat->skip_conflicts)
            return Error{
                e.code,
                format_rfc3339(start, "UTC") + ": " + e.message +
                    " (nothing was booked; send repeat.skip_conflicts to book the rest)",
                "repeat",
                {}};
        out.skipped.push_back({start, e.field, e.message});
    }
    if (out.series.empty())
        return Error{Errc::slot_taken, "none of the dates can be booked", "repeat", {}};
    BookingStore store(r.stx);
    const auto series = out.series.front().reference;
    for (auto& b : out.series) {
        YOYAKU_TRY(store.update_series(b.id, series));
        b.series = series;
    }
    YOYAKU_TRY(keep_key(r, out.series.front().id));
    out.booking = out.series.front();
    return out;
}

}  // namespace

Result<Created> BookingService::book(
    TenantId tenant, const NewBooking& in, const audit::Actor& actor, const audit::Origin& origin
) {
    if (!valid_key(in.idempotency_key))
        return Error::invalid("Idempotency-Key", "send 8–128 characters of A-Z, a-z, 0-9, _ - . :");
    YOYAKU_TRY_ASSIGN(const auto keys, keys_.tenant_keys(tenant));
    auto attempt = [&]() -> Result<Created> {
        return db_.write(storage::TenantScope(tenant), [&](ScopedTx& stx) {
            return book_with(stx, keys, in, actor, origin);
        });
    };
    auto r = attempt();
    // Two requests with one key at once: the loser rolled back; it now finds the winner's
    // answer.
    if (!r && r.error().code == Errc::conflict && r.error().field == "Idempotency-Key")
        r = attempt();
    return r;
}

Result<Created> BookingService::book_in(
    ScopedTx& stx, const NewBooking& in, const audit::Actor& actor, const audit::Origin& origin
) {
    if (!valid_key(in.idempotency_key))
        return Error::invalid("Idempotency-Key", "send 8–128 characters of A-Z, a-z, 0-9, _ - . :");
    YOYAKU_TRY_ASSIGN(const auto keys, keys_.tenant_keys(stx.tenant_id()));
    return book_with(stx, keys, in, actor, origin);
}

Result<Created> BookingService::book_with(
    ScopedTx& stx,
    const crypto::TenantKeys& keys,
    const NewBooking& in,
    const audit::Actor& actor,
    const audit::Origin& origin
) {
    const Instant now = clock_.now();
    YOYAKU_TRY_ASSIGN(const auto o, published_offering(stx, in.what));
    if (o.kind == OfferingKind::event && !in.what.occurrence_id.valid())
        return Error::invalid("occurrence_id", "an event is booked by its occurrence");
    if (in.repeat && in.by_customer && o.payment == offerings::Payment::online_now)
        return Error::invalid("repeat", "a series is not paid online at once");
    Sealed details;
    if (!in.hold) {
        YOYAKU_TRY_ASSIGN(details, check_details(o, in));
    }
    const auto hash = request_hash(in, details, o.id);
    // A retry: the first answer.
    YOYAKU_TRY_ASSIGN(auto first, replay(stx, keys, in.idempotency_key, hash));
    if (first) return std::move(*first);
    const Request r{stx, keys_, options_, keys, in, o, details, hash, actor, origin, now};
    if (in.repeat) return place_series(r);
    YOYAKU_TRY_ASSIGN(auto b, place(r, in.what, false));
    return Created{std::move(b), false, {}, {}};
}

Result<Booking> BookingService::change(
    TenantId tenant,
    std::string_view reference,
    const std::function<Result<Booking>(ScopedTx&, const Change&)>& fn
) {
    YOYAKU_TRY_ASSIGN(auto keys, keys_.tenant_keys(tenant));
    const Instant now = clock_.now();
    return db_.write(storage::TenantScope(tenant), [&](ScopedTx& stx) -> Result<Booking> {
        YOYAKU_TRY_ASSIGN(auto b, BookingStore(stx).find_by_reference(reference, keys));
        return fn(stx, Change{b, keys, now});
    });
}

}  // namespace yoyaku::bookings
