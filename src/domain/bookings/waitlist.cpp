// The waitlist (キャンセル待ち, ADR 0012): customers line up for a full occurrence; every
// transaction that gives seats back serves the line in order, first fit (a group of three is
// never offered one seat), inside the same transaction. An offer is a hold made for the entry
// with the customer's details (accepted before it runs out, else the line moves on); in
// automatic mode the booking is made at once. The guarded seat UPDATE and the guarded entry
// UPDATE make sure a freed seat goes to exactly one waiting customer.

#include <boost/json.hpp>

#include "crypto/sealing.hpp"
#include "domain/bookings/announce.hpp"
#include "domain/bookings/booking_store.hpp"
#include "domain/bookings/capacity.hpp"
#include "domain/bookings/customer_sealing.hpp"
#include "domain/bookings/entry_confirmation_store.hpp"
#include "domain/bookings/holds.hpp"
#include "domain/bookings/plan.hpp"
#include "domain/bookings/resource_time.hpp"
#include "domain/bookings/venue_rules.hpp"
#include "domain/bookings/waitlist_entry_store.hpp"
#include "domain/bookings/waitlist_serving.hpp"
#include "domain/offerings/offering_store.hpp"
#include "domain/webhooks/webhooks.hpp"

namespace yoyaku::bookings {
namespace {

using namespace std::chrono;
using storage::ScopedTx;

std::string entry_context(TenantId tenant, WaitlistEntryId id) {
    return crypto::field_context(tenant, "waitlist_entries", "customer", id);
}

// 1 for the first in line; 0 when not waiting (or not confirmed: not in the line yet).
Result<int> position_of(ScopedTx& stx, const WaitlistEntry& e) {
    if (e.status != WaitStatus::waiting || !e.confirmed) return 0;
    YOYAKU_TRY_ASSIGN(
        const int ahead, WaitlistEntryStore(stx).count_waiting_before(e.occurrence_id, e.id)
    );
    return ahead + 1;
}

Result<WaitlistEntry> load_entry(
    ScopedTx& stx, std::string_view reference, const crypto::TenantKeys& keys
) {
    YOYAKU_TRY_ASSIGN(auto e, WaitlistEntryStore(stx).find_by_reference(reference, keys));
    YOYAKU_TRY_ASSIGN(e.position, position_of(stx, e));
    return e;
}

bool proves_entry(const WaitlistEntry& e, const Requester& who, const crypto::TenantKeys& keys) {
    Booking as;
    as.customer = e.customer;
    as.account_id = e.account_id;
    return detail::proves(as, who, keys);
}

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

}  // namespace

namespace detail {

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
    auto keys = keyring.tenant_keys(tenant);
    if (!keys) return fail(std::move(keys).error());
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
        if (auto took = take(stx, taken); !took) {
            if (took.error().code != Errc::slot_taken) return fail(std::move(took).error());
            // Taken meanwhile by a concurrent booking: the entry keeps its place.
            YOYAKU_TRY(entries.update_waiting_again(e.id));
            break;
        }
        auto opened = keys->open(e.customer_sealed, entry_context(tenant, e.id));
        if (!opened) return Error::internal("a waitlist entry's customer does not open");
        SealedBooking nb;
        nb.offering_id = o.id;
        nb.occurrence_id = occurrence_id;
        nb.status = automatic ? "confirmed" : "held";
        nb.taken = taken;
        nb.total_jpy = e.total_jpy;
        nb.tickets_json = e.tickets_json;
        nb.customer_text = *opened;
        nb.email_index = e.email_index;
        nb.account_id = e.account_id;
        nb.locale = e.locale;
        if (!automatic) nb.hold_expires_at = now + minutes(o.waitlist_offer_minutes);
        nb.sessions = *occ;
        auto inserted = insert_sealed_booking(stx, *keys, nb, now);
        if (!inserted) return fail(std::move(inserted).error());
        const auto booking_id = *inserted;
        YOYAKU_TRY(entries.update_booking(e.id, booking_id));
        auto b = BookingStore(stx).find_by_id(booking_id, *keys);
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
        if (automatic) {
            YOYAKU_TRY(announce(stx, keyring, options, "created", "booking_confirmed", *b, o, now));
        } else {
            YOYAKU_TRY(announce(stx, keyring, options, "offered", "", *b, o, now));
            YOYAKU_TRY(mail_customer(
                stx,
                keyring,
                options,
                "waitlist_offer",
                *b,
                o.name,
                now,
                {{"waitlist_reference", e.reference}}
            ));
        }
        ++served;
    }
    return served;
}

}  // namespace detail

using namespace detail;

Result<WaitlistEntry> BookingService::join_waitlist(
    TenantId tenant, const NewWaiter& in, const audit::Actor& actor, const audit::Origin& origin
) {
    auto customer = check_customer(in.customer);
    if (!customer) return fail(std::move(customer).error());
    if (!in.locale.empty() && in.locale != "ja" && in.locale != "en")
        return Error::invalid("customer.locale", "must be ja or en");
    auto keys = keys_.tenant_keys(tenant);
    if (!keys) return fail(std::move(keys).error());
    const Instant now = clock_.now();
    return db_.write(storage::TenantScope(tenant), [&](ScopedTx& stx) -> Result<WaitlistEntry> {
        auto o = published_offering(stx, in.what);
        if (!o) return fail(std::move(o).error());
        if (o->waitlist == WaitlistMode::off)
            return refused("this offering keeps no waitlist", "offering_id");
        if (o->kind == OfferingKind::event && !in.what.occurrence_id.valid())
            return Error::invalid("occurrence_id", "an event's waitlist is per occurrence");
        // The same checks as booking it: tickets, limits per order, the booking window (the
        // member's class's), and its price.
        auto plan = member_plan(stx, *o, in.account_id, in.what, now);
        if (!plan) return fail(std::move(plan).error());
        const auto occurrence_id = *plan->occurrence_id;
        auto occ = sessions_of(stx, *o, occurrence_id);
        if (!occ) return fail(std::move(occ).error());
        if (seats_free(*occ) >= plan->seats)
            return refused("enough places are free: book them instead", "tickets");
        const auto indexes = keys->indexes(customer->email);
        const std::string& email_index = indexes.front();
        // One place per address: a confirmed entry, or one whose confirmation mail went out
        // lately (so nobody can send this address a mail per request).
        YOYAKU_TRY_ASSIGN(
            const bool taken,
            EntryConfirmationStore(stx, kWaitlistEntries)
                .address_taken(occurrence_id, indexes, WaitlistEntryId{}, now - kUnconfirmedHold)
        );
        if (taken)
            return Error{
                Errc::conflict,
                "this address is already waiting for it (or has a confirmation mail to open)",
                "customer.email",
                {}};
        WaitlistEntryRow row;
        row.reference = new_reference();
        row.offering_id = o->id;
        row.occurrence_id = occurrence_id;
        row.seats = plan->seats;
        row.tickets_json = tickets_text(plan->tickets);
        row.total_jpy = plan->total;
        row.email_index = email_index;
        row.account_id = in.account_id;
        row.locale = in.locale;
        const std::string& reference = row.reference;
        YOYAKU_TRY_ASSIGN(const auto id, WaitlistEntryStore(stx).insert(row, now));
        YOYAKU_TRY(WaitlistEntryStore(stx).update_customer_sealed(
            id, seal_customer(*keys, stx.tenant_id(), WaitlistEntryStore::kCustomer, id, *customer)
        ));
        // A signed-in customer's address was confirmed when the account was made; a guest's
        // is confirmed by opening the link mailed to it.
        const bool member = in.account_id.has_value();
        if (member) YOYAKU_TRY(EntryConfirmationStore(stx, kWaitlistEntries).confirm(id, now));
        YOYAKU_TRY(audit::append(
            stx,
            actor,
            origin,
            {"waitlist.joined",
             "offering:" + to_string(o->id),
             "success",
             boost::json::serialize(boost::json::object{
                 {"entry", reference},
                 {"occurrence", occurrence_id.value},
                 {"seats", plan->seats},
                 {"confirmed", member}})},
            now
        ));
        auto e = load_entry(stx, reference, *keys);
        if (!e || member) return e;
        const auto told = mail_stand_in(
            e->reference, e->customer, e->locale, e->seats, e->total_jpy, occ->front().starts_at
        );
        YOYAKU_TRY(mail_confirmation(stx, keys_, options_, "waitlist", told, o->name, now));
        return e;
    });
}

Result<WaitlistEntry> BookingService::confirm_waiter(
    TenantId tenant,
    std::string_view reference,
    std::string_view key,
    const audit::Actor& actor,
    const audit::Origin& origin
) {
    auto keys = keys_.tenant_keys(tenant);
    if (!keys) return fail(std::move(keys).error());
    const Instant now = clock_.now();
    return db_.write(storage::TenantScope(tenant), [&](ScopedTx& stx) -> Result<WaitlistEntry> {
        auto e = load_entry(stx, reference, *keys);
        if (!e) return e;
        if (!confirms(key, "waitlist", e->reference, *keys))
            return Error::not_found("no such waitlist entry");
        if (e->confirmed) return e;
        if (e->status != WaitStatus::waiting)
            return refused("this entry is no longer waiting", "reference");
        YOYAKU_TRY_ASSIGN(
            const bool taken,
            EntryConfirmationStore(stx, kWaitlistEntries)
                .address_taken(
                    e->occurrence_id, keys->indexes(e->customer.email), e->id, std::nullopt
                )
        );
        if (taken)
            return Error{Errc::conflict, "this address is already waiting for it", "reference", {}};
        YOYAKU_TRY(EntryConfirmationStore(stx, kWaitlistEntries).confirm(e->id, now));
        YOYAKU_TRY(audit::append(
            stx,
            actor,
            origin,
            {"waitlist.confirmed",
             "offering:" + to_string(e->offering_id),
             "success",
             boost::json::serialize(boost::json::object{
                 {"entry", e->reference}, {"occurrence", e->occurrence_id.value}})},
            now
        ));
        // Places may have freed while the entry waited for its confirmation.
        auto o = offerings::OfferingStore(stx).find_by_id(OfferingId{e->offering_id});
        if (!o) return fail(std::move(o).error());
        YOYAKU_TRY(serve_waitlist(stx, keys_, options_, *o, e->occurrence_id, now));
        return load_entry(stx, reference, *keys);
    });
}

Result<WaitlistEntry> BookingService::find_waiter(
    TenantId tenant, std::string_view reference, const Requester& who
) {
    auto keys = keys_.tenant_keys(tenant);
    if (!keys) return fail(std::move(keys).error());
    return db_.read(storage::TenantScope(tenant), [&](ScopedTx& stx) -> Result<WaitlistEntry> {
        auto e = load_entry(stx, reference, *keys);
        if (!e) return e;
        if (!proves_entry(*e, who, *keys)) return Error::not_found("no such waitlist entry");
        return e;
    });
}

Result<std::vector<WaitlistEntry>> BookingService::waitlist(
    TenantId tenant, OfferingId offering_id, std::optional<OccurrenceId> occurrence_id
) {
    auto keys = keys_.tenant_keys(tenant);
    if (!keys) return fail(std::move(keys).error());
    return db_.read(
        storage::TenantScope(tenant),
        [&](ScopedTx& stx) -> Result<std::vector<WaitlistEntry>> {
            auto o = offerings::OfferingStore(stx).find_by_id(OfferingId{offering_id});
            if (!o) return fail(std::move(o).error());
            YOYAKU_TRY_ASSIGN(
                auto out,
                WaitlistEntryStore(stx).list_by_offering(offering_id, occurrence_id, *keys)
            );
            std::map<OccurrenceId, int> waiting;  // occurrence → entries waiting so far
            for (auto& e : out)
                if (e.status == WaitStatus::waiting && e.confirmed)
                    e.position = ++waiting[e.occurrence_id];
            return out;
        }
    );
}

Result<Booking> BookingService::accept_offer(
    TenantId tenant,
    std::string_view reference,
    const Requester& who,
    const audit::Actor& actor,
    const audit::Origin& origin
) {
    auto keys = keys_.tenant_keys(tenant);
    if (!keys) return fail(std::move(keys).error());
    const Instant now = clock_.now();
    return db_.write(storage::TenantScope(tenant), [&](ScopedTx& stx) -> Result<Booking> {
        auto e = load_entry(stx, reference, *keys);
        if (!e) return fail(std::move(e).error());
        if (!proves_entry(*e, who, *keys)) return Error::not_found("no such waitlist entry");
        if (e->status == WaitStatus::booked && e->booking_reference)
            return BookingStore(stx).find_by_reference(*e->booking_reference, *keys);
        if (e->status != WaitStatus::offered || !e->booking_reference)
            return refused("there is no open offer for this entry", "reference");
        auto b = BookingStore(stx).find_by_reference(*e->booking_reference, *keys);
        if (!b) return fail(std::move(b).error());
        if (b->status != BookingStatus::held || !b->hold_expires_at || *b->hold_expires_at <= now)
            return refused("the offer has run out", "reference");
        auto o = offerings::OfferingStore(stx).find_by_id(OfferingId{b->offering_id});
        if (!o) return fail(std::move(o).error());
        YOYAKU_TRY_ASSIGN(const bool kept, BookingStore(stx).update_hold_kept(b->id, now));
        if (!kept) return refused("the offer has run out", "reference");
        YOYAKU_TRY(WaitlistEntryStore(stx).update_status(e->id, WaitStatus::booked, now));
        auto after = BookingStore(stx).find_by_id(b->id, *keys);
        if (!after) return fail(std::move(after).error());
        YOYAKU_TRY(audit::append(
            stx,
            actor,
            origin,
            {"booking.created",
             "booking:" + after->reference,
             "success",
             "{\"from\":\"waitlist\",\"entry\":\"" + e->reference + "\"}"},
            now
        ));
        YOYAKU_TRY(announce(stx, keys_, options_, "created", "booking_confirmed", *after, *o, now));
        return after;
    });
}

Result<WaitlistEntry> BookingService::leave_waitlist(
    TenantId tenant,
    std::string_view reference,
    const Requester& who,
    const audit::Actor& actor,
    const audit::Origin& origin
) {
    auto keys = keys_.tenant_keys(tenant);
    if (!keys) return fail(std::move(keys).error());
    const Instant now = clock_.now();
    auto left = db_.write(storage::TenantScope(tenant), [&](ScopedTx& stx) -> Result<std::string> {
        auto e = load_entry(stx, reference, *keys);
        if (!e) return fail(std::move(e).error());
        if (!proves_entry(*e, who, *keys)) return Error::not_found("no such waitlist entry");
        if (e->status == WaitStatus::booked)
            return refused("this entry became a booking: cancel the booking", "reference");
        if (e->status != WaitStatus::waiting && e->status != WaitStatus::offered)
            return e->reference;
        YOYAKU_TRY(WaitlistEntryStore(stx).update_status(e->id, WaitStatus::left, now));
        YOYAKU_TRY(audit::append(
            stx,
            actor,
            origin,
            {"waitlist.left",
             "offering:" + to_string(e->offering_id),
             "success",
             "{\"entry\":\"" + e->reference + "\"}"},
            now
        ));
        return e->booking_reference && e->status == WaitStatus::offered ? *e->booking_reference
                                                                        : std::string();
    });
    if (!left) return fail(std::move(left).error());
    // An open offer is given up like any hold: its places pass to the next in line.
    if (!left->empty()) {
        auto c = cancel(tenant, *left, Requester{true, {}, {}}, actor, origin);
        if (!c && c.error().code != Errc::unprocessable) return fail(std::move(c).error());
    }
    return find_waiter(tenant, reference, Requester{true, {}, {}});
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
        auto o = offerings::OfferingStore(stx).find_by_id(occ.offering_id);
        if (!o) return fail(std::move(o).error());
        // A course's line waits on its first session.
        auto first = offerings::OccurrenceStore(stx).list_by_offering(o->id);
        if (!first) return fail(std::move(first).error());
        const auto line =
            o->kind == OfferingKind::course && !first->empty() ? first->front().id : occurrence_id;
        auto served = serve_waitlist(stx, keys_, options_, *o, line, now);
        if (!served) return fail(std::move(served).error());
        auto again = offerings::OccurrenceStore(stx).list_by_offering(o->id);
        if (!again) return fail(std::move(again).error());
        for (const auto& x : *again)
            if (x.id == occurrence_id) return x;
        return occ;
    });
}

}  // namespace yoyaku::bookings
