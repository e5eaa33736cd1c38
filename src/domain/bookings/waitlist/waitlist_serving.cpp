// The waitlist (キャンセル待ち, ADR 0012): customers line up for a full occurrence; every
// transaction that gives seats back serves the line in order, first fit (a group of three is
// never offered one seat), inside the same transaction. An offer is a hold made for the entry
// with the customer's details (accepted before it runs out, else the line moves on); in
// automatic mode the booking is made at once. The guarded seat UPDATE and the guarded entry
// UPDATE make sure a freed seat goes to exactly one waiting customer.

#include "domain/bookings/waitlist/waitlist_serving.hpp"

#include <boost/json.hpp>

#include "crypto/sealing.hpp"
#include "domain/bookings/announce.hpp"
#include "domain/bookings/booking_store.hpp"
#include "domain/bookings/capacity.hpp"
#include "domain/bookings/customer_sealing.hpp"
#include "domain/bookings/waitlist/waitlist_entry_store.hpp"
#include "domain/offerings/offering_store.hpp"

namespace yoyaku::bookings::detail {
namespace {

using namespace std::chrono;
using storage::ScopedTx;

std::string entry_context(TenantId tenant, WaitlistEntryId id) {
    return crypto::field_context(tenant, "waitlist_entries", "customer", id);
}

// The booking made for a waiting entry: held as an offer for the offering's offer time, or
// confirmed at once in automatic mode.
SealedBooking served_booking(
    const Offering& o,
    OccurrenceId occurrence_id,
    const WaitingEntry& e,
    const Taken& taken,
    std::string customer_text,
    std::vector<Occurrence> sessions,
    Instant now
) {
    const bool automatic = o.waitlist == WaitlistMode::automatic;
    SealedBooking nb;
    nb.offering_id = o.id;
    nb.occurrence_id = occurrence_id;
    nb.status = automatic ? "confirmed" : "held";
    nb.taken = taken;
    nb.total_jpy = e.total_jpy;
    nb.tickets_json = e.tickets_json;
    nb.customer_text = std::move(customer_text);
    nb.email_index = e.email_index;
    nb.account_id = e.account_id;
    nb.locale = e.locale;
    if (!automatic) nb.hold_expires_at = now + minutes(o.waitlist_offer_minutes);
    nb.sessions = std::move(sessions);
    return nb;
}

// Announces the booking served to entry `entry_reference`: as made, or as an offer mailed.
Result<void> tell_served(
    ScopedTx& stx,
    crypto::Keyring& keyring,
    const BookingOptions& options,
    const Offering& o,
    const std::string& entry_reference,
    const Booking& b,
    Instant now
) {
    if (o.waitlist == WaitlistMode::automatic)
        return announce(stx, keyring, options, "created", "booking_confirmed", b, o, now, true);
    YOYAKU_TRY(announce(stx, keyring, options, "offered", "", b, o, now));
    return mail_customer(
        stx,
        keyring,
        options,
        "waitlist_offer",
        b,
        o.name,
        now,
        {{"waitlist_reference", entry_reference}}
    );
}

}  // namespace

// The seats an entry would take: the occurrence (event) or every session (course), by id.
Result<std::vector<Occurrence>> sessions_of(ScopedTx& stx, const Offering& o, OccurrenceId occ) {
    if (o.kind == OfferingKind::course)
        return offerings::OccurrenceStore(stx).list_by_offering(o.id);
    auto one = offerings::OccurrenceStore(stx).find_by_id(occ);
    if (!one && one.error().code == Errc::not_found) return std::vector<Occurrence>{};
    if (!one) return fail(std::move(one).error());
    return std::vector<Occurrence>{std::move(one).value()};
}

int seats_free(const std::vector<Occurrence>& occ) {
    if (occ.empty()) return 0;
    int free = occ.front().capacity - occ.front().taken;
    for (const auto& x : occ) free = std::min(free, x.capacity - x.taken);
    return free;
}

Result<BookingId> insert_sealed_booking(
    ScopedTx& stx, const crypto::TenantKeys& keys, const SealedBooking& nb, Instant now
) {
    BookingRow row;
    row.starts_at = nb.sessions.front().starts_at;
    row.ends_at = nb.sessions.front().ends_at;
    for (const auto& x : nb.sessions) {
        row.starts_at = std::min(row.starts_at, x.starts_at);
        row.ends_at = std::max(row.ends_at, x.ends_at);
    }
    row.reference = new_reference();
    row.offering_id = nb.offering_id;
    row.occurrence_id = nb.occurrence_id;
    row.status = nb.status;
    row.seats = nb.taken.seats;
    row.total_jpy = nb.total_jpy;
    row.tickets_json = nb.tickets_json;
    row.email_index = nb.email_index;
    row.created_at = now;
    row.hold_expires_at = nb.hold_expires_at;
    row.account_id = nb.account_id;
    row.capacity_taken = taken_json(nb.taken);
    row.locale = nb.locale;
    BookingStore bookings(stx);
    YOYAKU_TRY_ASSIGN(const auto id, bookings.insert(row));
    YOYAKU_TRY(bookings.update_customer_sealed(
        id, crypto::seal(keys.seal, nb.customer_text, customer_context(stx.tenant_id(), id))
    ));
    return id;
}

Result<void> offer_ended(ScopedTx& stx, BookingId booking_id, bool declined) {
    return WaitlistEntryStore(stx).update_offer_ended(booking_id, declined);
}

Result<int> serve_waitlist(
    ScopedTx& stx,
    crypto::Keyring& keyring,
    const BookingOptions& options,
    const Offering& o,
    OccurrenceId occurrence_id,
    Instant now
) {
    if (o.waitlist == WaitlistMode::off) return 0;
    const TenantId tenant = stx.tenant_id();
    YOYAKU_TRY_ASSIGN(auto keys, keyring.tenant_keys(tenant));
    WaitlistEntryStore entries(stx);
    YOYAKU_TRY_ASSIGN(const auto line, entries.list_line(occurrence_id));
    const bool automatic = o.waitlist == WaitlistMode::automatic;
    int served = 0;
    for (const auto& e : line) {
        auto occ = sessions_of(stx, o, occurrence_id);
        if (!occ) return fail(std::move(occ).error());
        const int free = seats_free(*occ);
        if (free <= 0) break;
        const int seats = e.seats;
        if (seats > free) continue;  // first fit: a group is never offered fewer places
        YOYAKU_TRY_ASSIGN(
            const bool claimed,
            entries.update_served(e.id, automatic ? WaitStatus::booked : WaitStatus::offered, now)
        );
        if (!claimed) continue;  // served by a concurrent transaction
        Taken taken;
        taken.seats = seats;
        for (const auto& x : *occ) taken.occurrences.push_back(x.id);
        std::sort(taken.occurrences.begin(), taken.occurrences.end());
        if (o.kind == OfferingKind::event) taken.seat_map = o.seat_map_id;
        taken.apart = true;
        taken.category = e.seat_category;
        if (auto took = take(stx, taken, now); !took) {
            if (took.error().code != Errc::slot_taken) return fail(std::move(took).error());
            // Taken meanwhile by a concurrent booking (or none left in the entry's seat
            // category: the next may wait for another): the entry keeps its place.
            YOYAKU_TRY(entries.update_waiting_again(e.id));
            if (!e.seat_category.empty()) continue;
            break;
        }
        auto opened = keys.open(e.customer_sealed, entry_context(tenant, e.id));
        if (!opened) return Error::internal("a waitlist entry's customer does not open");
        const auto nb = served_booking(o, occurrence_id, e, taken, *opened, *occ, now);
        YOYAKU_TRY_ASSIGN(auto inserted, insert_sealed_booking(stx, keys, nb, now));
        const auto booking_id = inserted;
        YOYAKU_TRY(entries.update_booking(e.id, booking_id));
        auto b = BookingStore(stx).find_by_id(booking_id, keys);
        if (!b) return fail(std::move(b).error());
        YOYAKU_TRY(audit::append(
            stx,
            {"system", "system"},
            {},
            {automatic ? "waitlist.booked" : "waitlist.offered",
             "booking:" + b->reference,
             "success",
             boost::json::serialize(boost::json::object{
                 {"entry", e.reference}, {"occurrence", occurrence_id.value}, {"seats", seats}})},
            now
        ));
        YOYAKU_TRY(tell_served(stx, keyring, options, o, e.reference, *b, now));
        ++served;
    }
    return served;
}

}  // namespace yoyaku::bookings::detail
