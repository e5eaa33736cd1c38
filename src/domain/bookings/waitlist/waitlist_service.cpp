// The waitlist's use cases (ADR 0012): join, a guest's address confirmed by the mailed link,
// one's place in the line, an offer accepted, leaving (an open offer passes on).

#include "domain/bookings/waitlist/waitlist_service.hpp"

#include <algorithm>
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
#include "domain/bookings/waitlist/waitlist_entry_store.hpp"
#include "domain/bookings/waitlist/waitlist_serving.hpp"
#include "domain/offerings/offering_store.hpp"
#include "domain/seating/seat_map.hpp"
#include "domain/seating/seat_store.hpp"
#include "domain/webhooks/webhooks.hpp"

namespace yoyaku::bookings {
namespace {

using namespace std::chrono;
using storage::ScopedTx;

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

// A new entry's row (its customer is sealed once it has an id).
WaitlistEntryRow entry_row(
    const NewWaiter& in,
    OfferingId offering_id,
    OccurrenceId occurrence_id,
    const detail::Plan& plan,
    const std::string& email_index
) {
    WaitlistEntryRow row;
    row.reference = detail::new_reference();
    row.offering_id = offering_id;
    row.occurrence_id = occurrence_id;
    row.seats = plan.seats;
    row.tickets_json = detail::tickets_text(plan.tickets);
    row.total_jpy = plan.total;
    row.email_index = email_index;
    row.account_id = in.account_id;
    row.locale = in.locale;
    row.seat_category = plan.candidates.front().taken.category;
    return row;
}

}  // namespace

using namespace detail;

Result<WaitlistEntry> WaitlistService::join(
    TenantId tenant, const NewWaiter& in, const audit::Actor& actor, const audit::Origin& origin
) {
    auto customer = check_customer(in.customer);
    if (!customer) return fail(std::move(customer).error());
    if (!in.locale.empty() && in.locale != "ja" && in.locale != "en")
        return Error::invalid("customer.locale", "must be ja or en");
    YOYAKU_TRY_ASSIGN(auto keys, keys_.tenant_keys(tenant));
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
        YOYAKU_TRY_ASSIGN(auto plan, member_plan(stx, *o, in.account_id, in.what, now));
        const auto occurrence_id = *plan.occurrence_id;
        auto occ = sessions_of(stx, *o, occurrence_id);
        if (!occ) return fail(std::move(occ).error());
        int free = seats_free(*occ);
        if (const auto& category = plan.candidates.front().taken.category; !category.empty()) {
            // Waiting for seats of one category: those free in it are what counts.
            YOYAKU_TRY_ASSIGN(const auto row, seating::SeatMapStore(stx).find(o->seat_map_id));
            YOYAKU_TRY_ASSIGN(const auto map, seating::parsed_layout(row.layout));
            YOYAKU_TRY_ASSIGN(
                const auto busy, seating::OccurrenceSeatStore(stx).taken_ids(occurrence_id)
            );
            free = std::min(free, seating::free_in_category(*map, busy, category));
        }
        if (free >= plan.seats)
            return refused("enough places are free: book them instead", "tickets");
        const auto indexes = keys.indexes(customer->email);
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
        const auto row = entry_row(in, o->id, occurrence_id, plan, email_index);
        const std::string& reference = row.reference;
        YOYAKU_TRY_ASSIGN(const auto id, WaitlistEntryStore(stx).insert(row, now));
        YOYAKU_TRY(WaitlistEntryStore(stx).update_customer_sealed(
            id, seal_customer(keys, stx.tenant_id(), WaitlistEntryStore::kCustomer, id, *customer)
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
                 {"seats", plan.seats},
                 {"confirmed", member}})},
            now
        ));
        auto e = load_entry(stx, reference, keys);
        if (!e || member) return e;
        const auto told = mail_stand_in(
            e->reference, e->customer, e->locale, e->seats, e->total_jpy, occ->front().starts_at
        );
        YOYAKU_TRY(mail_confirmation(stx, keys_, options_, "waitlist", told, o->name, now));
        return e;
    });
}

Result<WaitlistEntry> WaitlistService::confirm(
    TenantId tenant,
    std::string_view reference,
    std::string_view key,
    const audit::Actor& actor,
    const audit::Origin& origin
) {
    YOYAKU_TRY_ASSIGN(auto keys, keys_.tenant_keys(tenant));
    const Instant now = clock_.now();
    return db_.write(storage::TenantScope(tenant), [&](ScopedTx& stx) -> Result<WaitlistEntry> {
        auto e = load_entry(stx, reference, keys);
        if (!e) return e;
        if (!confirms(key, "waitlist", e->reference, keys))
            return Error::not_found("no such waitlist entry");
        if (e->confirmed) return e;
        if (e->status != WaitStatus::waiting)
            return refused("this entry is no longer waiting", "reference");
        YOYAKU_TRY_ASSIGN(
            const bool taken,
            EntryConfirmationStore(stx, kWaitlistEntries)
                .address_taken(
                    e->occurrence_id, keys.indexes(e->customer.email), e->id, std::nullopt
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
        YOYAKU_TRY_ASSIGN(
            auto o, offerings::OfferingStore(stx).find_by_id(OfferingId{e->offering_id})
        );
        YOYAKU_TRY(serve_waitlist(stx, keys_, options_, o, e->occurrence_id, now));
        return load_entry(stx, reference, keys);
    });
}

Result<WaitlistEntry> WaitlistService::find(
    TenantId tenant, std::string_view reference, const Requester& who
) {
    YOYAKU_TRY_ASSIGN(auto keys, keys_.tenant_keys(tenant));
    return db_.read(storage::TenantScope(tenant), [&](ScopedTx& stx) -> Result<WaitlistEntry> {
        auto e = load_entry(stx, reference, keys);
        if (!e) return e;
        if (!proves_entry(*e, who, keys)) return Error::not_found("no such waitlist entry");
        return e;
    });
}

Result<std::vector<WaitlistEntry>> WaitlistService::list(
    TenantId tenant, OfferingId offering_id, std::optional<OccurrenceId> occurrence_id
) {
    YOYAKU_TRY_ASSIGN(auto keys, keys_.tenant_keys(tenant));
    return db_.read(
        storage::TenantScope(tenant),
        [&](ScopedTx& stx) -> Result<std::vector<WaitlistEntry>> {
            YOYAKU_TRY_ASSIGN(
                auto o, offerings::OfferingStore(stx).find_by_id(OfferingId{offering_id})
            );
            YOYAKU_TRY_ASSIGN(
                auto out, WaitlistEntryStore(stx).list_by_offering(offering_id, occurrence_id, keys)
            );
            std::map<OccurrenceId, int> waiting;  // occurrence → entries waiting so far
            for (auto& e : out)
                if (e.status == WaitStatus::waiting && e.confirmed)
                    e.position = ++waiting[e.occurrence_id];
            return out;
        }
    );
}

Result<Booking> WaitlistService::accept_offer(
    TenantId tenant,
    std::string_view reference,
    const Requester& who,
    const audit::Actor& actor,
    const audit::Origin& origin
) {
    YOYAKU_TRY_ASSIGN(auto keys, keys_.tenant_keys(tenant));
    const Instant now = clock_.now();
    return db_.write(storage::TenantScope(tenant), [&](ScopedTx& stx) -> Result<Booking> {
        auto e = load_entry(stx, reference, keys);
        if (!e) return fail(std::move(e).error());
        if (!proves_entry(*e, who, keys)) return Error::not_found("no such waitlist entry");
        if (e->status == WaitStatus::booked && e->booking_reference)
            return BookingStore(stx).find_by_reference(*e->booking_reference, keys);
        if (e->status != WaitStatus::offered || !e->booking_reference)
            return refused("there is no open offer for this entry", "reference");
        auto b = BookingStore(stx).find_by_reference(*e->booking_reference, keys);
        if (!b) return fail(std::move(b).error());
        if (b->status != BookingStatus::held || !b->hold_expires_at || *b->hold_expires_at <= now)
            return refused("the offer has run out", "reference");
        YOYAKU_TRY_ASSIGN(
            auto o, offerings::OfferingStore(stx).find_by_id(OfferingId{b->offering_id})
        );
        YOYAKU_TRY_ASSIGN(const bool kept, BookingStore(stx).update_hold_kept(b->id, now));
        if (!kept) return refused("the offer has run out", "reference");
        YOYAKU_TRY(WaitlistEntryStore(stx).update_status(e->id, WaitStatus::booked, now));
        YOYAKU_TRY_ASSIGN(auto after, BookingStore(stx).find_by_id(b->id, keys));
        YOYAKU_TRY(audit::append(
            stx,
            actor,
            origin,
            {"booking.created",
             "booking:" + after.reference,
             "success",
             "{\"from\":\"waitlist\",\"entry\":\"" + e->reference + "\"}"},
            now
        ));
        YOYAKU_TRY(
            announce(stx, keys_, options_, "created", "booking_confirmed", after, o, now, true)
        );
        return after;
    });
}

Result<WaitlistEntry> WaitlistService::leave(
    TenantId tenant,
    std::string_view reference,
    const Requester& who,
    const audit::Actor& actor,
    const audit::Origin& origin
) {
    YOYAKU_TRY_ASSIGN(auto keys, keys_.tenant_keys(tenant));
    const Instant now = clock_.now();
    auto left = db_.write(storage::TenantScope(tenant), [&](ScopedTx& stx) -> Result<std::string> {
        auto e = load_entry(stx, reference, keys);
        if (!e) return fail(std::move(e).error());
        if (!proves_entry(*e, who, keys)) return Error::not_found("no such waitlist entry");
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
        auto c = bookings_.cancel(tenant, *left, Requester{true, {}, {}}, actor, origin);
        if (!c && c.error().code != Errc::unprocessable) return fail(std::move(c).error());
    }
    return find(tenant, reference, Requester{true, {}, {}});
}

}  // namespace yoyaku::bookings
