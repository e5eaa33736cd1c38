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
#include "storage/sql_text.hpp"

namespace yoyaku::bookings {
namespace {

using namespace std::chrono;
using storage::Blob;
using storage::Row;
using storage::ScopedTx;

constexpr std::string_view kEntryColumns =
    "w.id, w.reference, w.offering_id, w.occurrence_id, w.status, w.seats, w.tickets, "
    "w.total_jpy, w.customer_sealed, w.account_id, w.locale, w.created_at, b.reference, "
    "b.hold_expires_at, b.status, w.confirmed_at";

std::string entry_context(TenantId tenant, std::int64_t id) {
    return crypto::field_context(tenant, "waitlist_entries", "customer", id);
}

std::string entry_query(std::string_view where) {
    return "SELECT " + std::string(kEntryColumns) +
           " FROM waitlist_entries w LEFT JOIN bookings b ON b.tenant_id = w.tenant_id AND b.id "
           "= w.booking_id WHERE w.tenant_id = $1 AND " +
           std::string(where);
}

Result<WaitlistEntry> entry_from(const Row& r, TenantId tenant, const crypto::TenantKeys& k) {
    WaitlistEntry e;
    e.id = r.i64(0);
    e.reference = r.text(1);
    e.offering_id = r.i64(2);
    e.occurrence_id = r.i64(3);
    static constexpr std::array<std::string_view, 5> kStatuses = {
        "waiting", "offered", "booked", "expired", "left"};
    for (std::size_t i = 0; i < kStatuses.size(); ++i)
        if (kStatuses[i] == r.text(4)) e.status = static_cast<WaitStatus>(i);
    e.seats = static_cast<int>(r.i64(5));
    boost::system::error_code ec;
    auto t = boost::json::parse(r.text(6), ec);
    if (!ec && t.is_object())
        for (const auto& [code, n] : t.get_object())
            e.tickets[std::string(code)] = static_cast<int>(n.to_number<std::int64_t>());
    e.total_jpy = r.i64(7);
    auto c = detail::open_customer(k, r.blob(8).bytes, tenant, WaitlistEntryStore::kCustomer, e.id);
    if (!c) return fail(std::move(c).error());
    e.customer = std::move(*c);
    if (!r.is_null(9)) e.account_id = r.i64(9);
    e.locale = r.text(10);
    e.created_at = from_micros(r.i64(11));
    if (!r.is_null(12)) e.booking_reference = r.text(12);
    if (e.status == WaitStatus::offered && !r.is_null(13))
        e.offer_expires_at = from_micros(r.i64(13));
    e.confirmed = !r.is_null(15);
    return e;
}

// 1 for the first in line; 0 when not waiting (or not confirmed: not in the line yet).
Result<int> position_of(ScopedTx& stx, const WaitlistEntry& e) {
    if (e.status != WaitStatus::waiting || !e.confirmed) return 0;
    auto n = stx.tx().query_one(
        "SELECT count(*) FROM waitlist_entries WHERE tenant_id = $1 AND occurrence_id = $2 AND "
        "status = 'waiting' AND confirmed_at IS NOT NULL AND id < $3",
        stx.tenant_id().value,
        e.occurrence_id,
        e.id
    );
    if (!n) return fail(std::move(n).error());
    return static_cast<int>(n->i64(0)) + 1;
}

Result<WaitlistEntry> load_entry(
    ScopedTx& stx, std::string_view reference, TenantId tenant, const crypto::TenantKeys& keys
) {
    auto rows = stx.tx().query(
        entry_query("w.reference = $2"), stx.tenant_id().value, std::string(reference)
    );
    if (!rows) return fail(std::move(rows).error());
    if (rows->empty()) return Error::not_found("no such waitlist entry");
    auto e = entry_from(rows->front(), tenant, keys);
    if (!e) return e;
    auto pos = position_of(stx, *e);
    if (!pos) return fail(std::move(pos).error());
    e->position = *pos;
    return e;
}

bool proves_entry(const WaitlistEntry& e, const Requester& who, const crypto::TenantKeys& keys) {
    Booking as;
    as.customer = e.customer;
    as.account_id = e.account_id;
    return detail::proves(as, who, keys);
}

// The seats an entry would take: the occurrence (event) or every session (course), by id.
Result<std::vector<Occurrence>> sessions_of(ScopedTx& stx, const Offering& o, std::int64_t occ) {
    if (o.kind == OfferingKind::course)
        return offerings::OccurrenceStore(stx).list_by_offering(o.id);
    auto one = offerings::OccurrenceStore(stx).find_by_id(OccurrenceId{occ});
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

Result<std::int64_t> insert_sealed_booking(
    ScopedTx& stx, const crypto::TenantKeys& keys, const SealedBooking& nb, Instant now
) {
    auto& tx = stx.tx();
    const auto t = stx.tenant_id().value;
    Instant starts = nb.sessions.front().starts_at, ends = nb.sessions.front().ends_at;
    for (const auto& x : nb.sessions) {
        starts = std::min(starts, x.starts_at);
        ends = std::max(ends, x.ends_at);
    }
    const std::vector<storage::Value> values{
        t,
        new_reference(),
        nb.offering_id,
        nb.occurrence_id,
        nb.status,
        static_cast<std::int64_t>(nb.taken.seats),
        nb.total_jpy,
        nb.tickets_json,
        Blob{},
        nb.email_index,
        to_micros(now),
        to_micros(starts),
        to_micros(ends),
        nb.hold_expires_at ? storage::Value(to_micros(*nb.hold_expires_at)) : storage::Value(),
        nb.account_id ? storage::Value(*nb.account_id) : storage::Value(),
        taken_json(nb.taken),
        nb.locale};
    auto row = tx.query_one(
        "INSERT INTO bookings(tenant_id, reference, offering_id, occurrence_id, status, seats, "
        "total_jpy, tickets, customer_sealed, email_index, created_at, updated_at, starts_at, "
        "ends_at, hold_expires_at, account_id, capacity_taken, locale) VALUES ($1, $2, $3, $4, "
        "$5, $6, $7, $8, $9, $10, $11, $11, $12, $13, $14, $15, $16, $17) RETURNING id",
        std::span<const storage::Value>(values)
    );
    if (!row) return fail(std::move(row).error());
    const auto id = row->i64(0);
    YOYAKU_TRY(tx.exec(
        "UPDATE bookings SET customer_sealed = $3 WHERE tenant_id = $1 AND id = $2",
        t,
        id,
        Blob{crypto::seal(keys.seal, nb.customer_text, customer_context(stx.tenant_id(), id))}
    ));
    return id;
}

Result<void> offer_ended(ScopedTx& stx, std::int64_t booking_id, bool declined) {
    YOYAKU_TRY(stx.tx().exec(
        "UPDATE waitlist_entries SET status = $3 WHERE tenant_id = $1 AND booking_id = $2 AND "
        "status = 'offered'",
        stx.tenant_id().value,
        booking_id,
        std::string(declined ? "left" : "expired")
    ));
    return {};
}

Result<int> serve_waitlist(
    ScopedTx& stx,
    crypto::Keyring& keyring,
    const BookingOptions& options,
    const Offering& o,
    std::int64_t occurrence_id,
    Instant now
) {
    if (o.waitlist == WaitlistMode::off) return 0;
    auto& tx = stx.tx();
    const auto t = stx.tenant_id().value;
    const TenantId tenant = stx.tenant_id();
    auto keys = keyring.tenant_keys(tenant);
    if (!keys) return fail(std::move(keys).error());
    auto line = tx.query(
        "SELECT id, reference, seats, tickets, total_jpy, customer_sealed, email_index, "
        "account_id, locale FROM waitlist_entries WHERE tenant_id = $1 AND occurrence_id = $2 AND "
        "status = 'waiting' AND confirmed_at IS NOT NULL ORDER BY id LIMIT 200",
        t,
        occurrence_id
    );
    if (!line) return fail(std::move(line).error());
    const bool automatic = o.waitlist == WaitlistMode::automatic;
    int served = 0;
    for (const auto& e : *line) {
        auto occ = sessions_of(stx, o, occurrence_id);
        if (!occ) return fail(std::move(occ).error());
        const int free = seats_free(*occ);
        if (free <= 0) break;
        const int seats = static_cast<int>(e.i64(2));
        if (seats > free) continue;  // first fit: a group is never offered fewer places
        const auto entry_id = e.i64(0);
        auto claimed = tx.exec(
            "UPDATE waitlist_entries SET status = $3, updated_at = $4 WHERE tenant_id = $1 AND id "
            "= $2 AND status = 'waiting'",
            t,
            entry_id,
            std::string(automatic ? "booked" : "offered"),
            to_micros(now)
        );
        if (!claimed) return fail(std::move(claimed).error());
        if (*claimed != 1) continue;  // served by a concurrent transaction
        Taken taken;
        taken.seats = seats;
        for (const auto& x : *occ) taken.occurrences.push_back(x.id.value);
        std::sort(taken.occurrences.begin(), taken.occurrences.end());
        if (auto took = take(stx, taken); !took) {
            if (took.error().code != Errc::slot_taken) return fail(std::move(took).error());
            // Taken meanwhile by a concurrent booking: the entry keeps its place.
            YOYAKU_TRY(tx.exec(
                "UPDATE waitlist_entries SET status = 'waiting' WHERE tenant_id = $1 AND id = $2",
                t,
                entry_id
            ));
            break;
        }
        auto opened = keys->open(e.blob(5).bytes, entry_context(tenant, entry_id));
        if (!opened) return Error::internal("a waitlist entry's customer does not open");
        SealedBooking nb;
        nb.offering_id = o.id.value;
        nb.occurrence_id = occurrence_id;
        nb.status = automatic ? "confirmed" : "held";
        nb.taken = taken;
        nb.total_jpy = e.i64(4);
        nb.tickets_json = e.text(3);
        nb.customer_text = *opened;
        nb.email_index = e.text(6);
        if (!e.is_null(7)) nb.account_id = e.i64(7);
        nb.locale = e.text(8);
        if (!automatic) nb.hold_expires_at = now + minutes(o.waitlist_offer_minutes);
        nb.sessions = *occ;
        auto inserted = insert_sealed_booking(stx, *keys, nb, now);
        if (!inserted) return fail(std::move(inserted).error());
        const auto booking_id = *inserted;
        YOYAKU_TRY(tx.exec(
            "UPDATE waitlist_entries SET booking_id = $3 WHERE tenant_id = $1 AND id = $2",
            t,
            entry_id,
            booking_id
        ));
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
                 {"entry", e.text(1)}, {"occurrence", occurrence_id}, {"seats", seats}})},
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
                {{"waitlist_reference", e.text(1)}}
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
        auto& tx = stx.tx();
        const auto t = stx.tenant_id().value;
        auto o = published_offering(stx, in.what);
        if (!o) return fail(std::move(o).error());
        if (o->waitlist == WaitlistMode::off)
            return refused("this offering keeps no waitlist", "offering_id");
        if (o->kind == OfferingKind::event && in.what.occurrence_id == 0)
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
                .address_taken(occurrence_id, indexes, 0, to_micros(now - kUnconfirmedHold))
        );
        if (taken)
            return Error{
                Errc::conflict,
                "this address is already waiting for it (or has a confirmation mail to open)",
                "customer.email",
                {}};
        const std::string reference = new_reference();
        const std::vector<storage::Value> values{
            t,
            reference,
            o->id.value,
            occurrence_id,
            static_cast<std::int64_t>(plan->seats),
            tickets_text(plan->tickets),
            plan->total,
            Blob{},
            email_index,
            in.account_id ? storage::Value(*in.account_id) : storage::Value(),
            in.locale.empty() ? storage::Value() : storage::Value(in.locale),
            to_micros(now)};
        auto row = tx.query_one(
            "INSERT INTO waitlist_entries(tenant_id, reference, offering_id, occurrence_id, "
            "status, "
            "seats, tickets, total_jpy, customer_sealed, email_index, account_id, locale, "
            "created_at, updated_at) VALUES ($1, $2, $3, $4, 'waiting', $5, $6, $7, $8, $9, $10, "
            "coalesce(CAST($11 AS text), (SELECT locale FROM tenants WHERE id = $1)), $12, $12) "
            "RETURNING id",
            std::span<const storage::Value>(values)
        );
        if (!row) return fail(std::move(row).error());
        const auto id = row->i64(0);
        YOYAKU_TRY(WaitlistEntryStore(stx).update_customer_sealed(
            id, seal_customer(*keys, stx.tenant_id(), WaitlistEntryStore::kCustomer, id, *customer)
        ));
        // A signed-in customer's address was confirmed when the account was made; a guest's
        // is confirmed by opening the link mailed to it.
        const bool member = in.account_id.has_value();
        if (member)
            YOYAKU_TRY(EntryConfirmationStore(stx, kWaitlistEntries).confirm(id, to_micros(now)));
        YOYAKU_TRY(audit::append(
            stx,
            actor,
            origin,
            {"waitlist.joined",
             "offering:" + std::to_string(o->id.value),
             "success",
             boost::json::serialize(boost::json::object{
                 {"entry", reference},
                 {"occurrence", occurrence_id},
                 {"seats", plan->seats},
                 {"confirmed", member}})},
            now
        ));
        auto e = load_entry(stx, reference, tenant, *keys);
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
        auto e = load_entry(stx, reference, tenant, *keys);
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
        YOYAKU_TRY(EntryConfirmationStore(stx, kWaitlistEntries).confirm(e->id, to_micros(now)));
        YOYAKU_TRY(audit::append(
            stx,
            actor,
            origin,
            {"waitlist.confirmed",
             "offering:" + std::to_string(e->offering_id),
             "success",
             boost::json::serialize(boost::json::object{
                 {"entry", e->reference}, {"occurrence", e->occurrence_id}})},
            now
        ));
        // Places may have freed while the entry waited for its confirmation.
        auto o = offerings::OfferingStore(stx).find_by_id(OfferingId{e->offering_id});
        if (!o) return fail(std::move(o).error());
        YOYAKU_TRY(serve_waitlist(stx, keys_, options_, *o, e->occurrence_id, now));
        return load_entry(stx, reference, tenant, *keys);
    });
}

Result<WaitlistEntry> BookingService::find_waiter(
    TenantId tenant, std::string_view reference, const Requester& who
) {
    auto keys = keys_.tenant_keys(tenant);
    if (!keys) return fail(std::move(keys).error());
    return db_.read(storage::TenantScope(tenant), [&](ScopedTx& stx) -> Result<WaitlistEntry> {
        auto e = load_entry(stx, reference, tenant, *keys);
        if (!e) return e;
        if (!proves_entry(*e, who, *keys)) return Error::not_found("no such waitlist entry");
        return e;
    });
}

Result<std::vector<WaitlistEntry>> BookingService::waitlist(
    TenantId tenant, std::int64_t offering_id, std::optional<std::int64_t> occurrence_id
) {
    auto keys = keys_.tenant_keys(tenant);
    if (!keys) return fail(std::move(keys).error());
    return db_.read(
        storage::TenantScope(tenant),
        [&](ScopedTx& stx) -> Result<std::vector<WaitlistEntry>> {
            auto o = offerings::OfferingStore(stx).find_by_id(OfferingId{offering_id});
            if (!o) return fail(std::move(o).error());
            auto rows = stx.tx().query(
                entry_query("w.offering_id = $2 AND ($3 = 0 OR w.occurrence_id = $3)") +
                    " ORDER BY w.occurrence_id, w.id LIMIT 1000",
                stx.tenant_id().value,
                offering_id,
                occurrence_id.value_or(0)
            );
            if (!rows) return fail(std::move(rows).error());
            std::vector<WaitlistEntry> out;
            std::map<std::int64_t, int> waiting;  // occurrence → entries waiting so far
            for (const auto& r : *rows) {
                auto e = entry_from(r, tenant, *keys);
                if (!e) return fail(std::move(e).error());
                if (e->status == WaitStatus::waiting && e->confirmed)
                    e->position = ++waiting[e->occurrence_id];
                out.push_back(std::move(*e));
            }
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
        auto& tx = stx.tx();
        const auto t = stx.tenant_id().value;
        auto e = load_entry(stx, reference, tenant, *keys);
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
        auto changed = tx.exec(
            "UPDATE bookings SET status = 'confirmed', hold_expires_at = NULL, updated_at = $3 "
            "WHERE tenant_id = $1 AND id = $2 AND status = 'held'",
            t,
            b->id,
            to_micros(now)
        );
        if (!changed) return fail(std::move(changed).error());
        if (*changed != 1) return refused("the offer has run out", "reference");
        YOYAKU_TRY(tx.exec(
            "UPDATE waitlist_entries SET status = 'booked', updated_at = $3 WHERE tenant_id = $1 "
            "AND id = $2",
            t,
            e->id,
            to_micros(now)
        ));
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
        auto& tx = stx.tx();
        auto e = load_entry(stx, reference, tenant, *keys);
        if (!e) return fail(std::move(e).error());
        if (!proves_entry(*e, who, *keys)) return Error::not_found("no such waitlist entry");
        if (e->status == WaitStatus::booked)
            return refused("this entry became a booking: cancel the booking", "reference");
        if (e->status != WaitStatus::waiting && e->status != WaitStatus::offered)
            return e->reference;
        YOYAKU_TRY(tx.exec(
            "UPDATE waitlist_entries SET status = 'left', updated_at = $3 WHERE tenant_id = $1 "
            "AND id = $2",
            stx.tenant_id().value,
            e->id,
            to_micros(now)
        ));
        YOYAKU_TRY(audit::append(
            stx,
            actor,
            origin,
            {"waitlist.left",
             "offering:" + std::to_string(e->offering_id),
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
    std::int64_t occurrence_id,
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
             "occurrence:" + std::to_string(occurrence_id),
             "success",
             boost::json::serialize(boost::json::object{{"capacity", capacity}})},
            now
        ));
        auto o = offerings::OfferingStore(stx).find_by_id(occ.offering_id);
        if (!o) return fail(std::move(o).error());
        // A course's line waits on its first session.
        auto first = offerings::OccurrenceStore(stx).list_by_offering(o->id);
        if (!first) return fail(std::move(first).error());
        const auto line = o->kind == OfferingKind::course && !first->empty()
                              ? first->front().id.value
                              : occurrence_id;
        auto served = serve_waitlist(stx, keys_, options_, *o, line, now);
        if (!served) return fail(std::move(served).error());
        auto again = offerings::OccurrenceStore(stx).list_by_offering(o->id);
        if (!again) return fail(std::move(again).error());
        for (const auto& x : *again)
            if (x.id.value == occurrence_id) return x;
        return occ;
    });
}

}  // namespace yoyaku::bookings
