// Lotteries (抽選, ADR 0012): applications with ranked occurrences while the offering takes no
// direct bookings; at the draw a new random seed orders the applicants (BLAKE2b of seed and
// reference), each gets their first preference with enough seats left, winners are booked and
// mailed, the others told. The seed, the free seats the draw started from and the allocation
// are kept (the seed also in the audit log), so anyone can compute the draw again and compare.

#include "domain/bookings/lottery/lottery_service.hpp"

#include <algorithm>
#include <boost/json.hpp>

#include "crypto/hash.hpp"
#include "crypto/random.hpp"
#include "crypto/sealing.hpp"
#include "domain/bookings/announce.hpp"
#include "domain/bookings/booking_store.hpp"
#include "domain/bookings/capacity.hpp"
#include "domain/bookings/customer_sealing.hpp"
#include "domain/bookings/entry_confirmation_store.hpp"
#include "domain/bookings/holds.hpp"
#include "domain/bookings/lottery/lottery_entry_store.hpp"
#include "domain/bookings/plan.hpp"
#include "domain/bookings/resource_time.hpp"
#include "domain/bookings/venue_rules.hpp"
#include "domain/bookings/waitlist/waitlist_serving.hpp"
#include "domain/offerings/offering_store.hpp"
#include "domain/tenants/tenant_store.hpp"

namespace yoyaku::bookings {
namespace {

using namespace std::chrono;
using namespace detail;
using storage::ScopedTx;

std::string alloc_text(const std::vector<std::pair<std::string, std::optional<OccurrenceId>>>& a) {
    boost::json::array out;
    for (const auto& [ref, occ] : a)
        out.push_back(boost::json::array{
            boost::json::value(ref),
            occ ? boost::json::value(occ->value) : boost::json::value(nullptr)});
    return boost::json::serialize(out);
}

std::vector<std::pair<std::string, std::optional<OccurrenceId>>> alloc_from(const std::string& s) {
    std::vector<std::pair<std::string, std::optional<OccurrenceId>>> out;
    boost::system::error_code ec;
    auto v = boost::json::parse(s, ec);
    if (ec || !v.is_array()) return out;
    for (const auto& x : v.get_array()) {
        const auto& a = x.as_array();
        out.emplace_back(
            std::string(a.at(0).as_string()),
            a.at(1).is_int64() ? std::optional(OccurrenceId(a.at(1).get_int64())) : std::nullopt
        );
    }
    return out;
}

std::string free_text(const std::map<OccurrenceId, int>& free) {
    boost::json::object o;
    for (const auto& [id, n] : free) o[to_string(id)] = n;
    return boost::json::serialize(o);
}

std::map<OccurrenceId, int> free_from(const std::string& s) {
    std::map<OccurrenceId, int> out;
    boost::system::error_code ec;
    auto v = boost::json::parse(s, ec);
    if (ec || !v.is_object()) return out;
    for (const auto& [k, n] : v.get_object())
        out[OccurrenceId(std::stoll(std::string(k)))] = static_cast<int>(n.as_int64());
    return out;
}

// A winner's booking: their seats taken in the session won, the booking confirmed with
// their details sealed. Returns its id.
Result<BookingId> book_winner(
    ScopedTx& stx,
    const crypto::TenantKeys& keys,
    const DrawnEntry& r,
    const Customer& who,
    const Occurrence& won,
    std::int64_t seat_map,
    Instant now
) {
    Taken taken;
    taken.seats = r.seats;
    taken.occurrences = {won.id};
    taken.seat_map = seat_map;
    taken.apart = true;
    YOYAKU_TRY(take(stx, taken, now));
    SealedBooking nb;
    nb.offering_id = won.offering_id;
    nb.occurrence_id = won.id;
    nb.status = "confirmed";
    nb.taken = taken;
    nb.sessions = {won};
    nb.total_jpy = r.total_jpy;
    nb.tickets_json = r.tickets_json;
    nb.customer_text = sealed_text(Sealed{who, {}, {}});
    nb.email_index = r.email_index;
    nb.account_id = r.account_id;
    nb.locale = r.locale;
    return insert_sealed_booking(stx, keys, nb, now);
}

// A lost application told by mail, of its first preference.
Result<void> tell_loser(
    ScopedTx& stx,
    crypto::Keyring& keyring,
    const BookingOptions& options,
    const Offering& o,
    const DrawnEntry& r,
    const Customer& who,
    const std::map<OccurrenceId, Occurrence>& sessions,
    Instant now
) {
    const auto& prefs = r.preferences;
    const auto first = !prefs.empty() ? sessions.find(prefs.front()) : sessions.end();
    const auto told = mail_stand_in(
        r.reference,
        who,
        r.locale,
        r.seats,
        r.total_jpy,
        first != sessions.end() ? first->second.starts_at : Instant{}
    );
    return mail_customer(stx, keyring, options, "lottery_lost", told, o.name, now);
}

// A new application's row (its customer is sealed once it has an id).
LotteryEntryRow entry_row(
    const NewApplication& in, const Plan& plan, const std::string& email_index
) {
    LotteryEntryRow row;
    row.reference = new_reference();
    row.offering_id = in.offering_id;
    row.preferences = in.preferences;
    row.seats = plan.seats;
    row.tickets_json = tickets_text(plan.tickets);
    row.total_jpy = plan.total;
    row.email_index = email_index;
    row.account_id = in.account_id;
    row.locale = in.locale;
    return row;
}

// The preferences of an application: each an upcoming occurrence of the offering, once.
Result<void> check_preferences(
    const std::vector<OccurrenceId>& preferences, const std::vector<Occurrence>& upcoming
) {
    for (std::size_t i = 0; i < preferences.size(); ++i) {
        const std::string f = "preferences[" + std::to_string(i) + "]";
        const auto before = preferences.begin() + static_cast<long>(i);
        if (std::find(preferences.begin(), before, preferences[i]) != before)
            return Error::invalid(f, "is ranked twice");
        if (std::none_of(upcoming.begin(), upcoming.end(), [&](const Occurrence& x) {
                return x.id == preferences[i];
            }))
            return Error::invalid(f, "is not an upcoming occurrence of this offering");
    }
    return {};
}

}  // namespace

using namespace detail;

Result<LotteryEntry> LotteryService::apply(
    TenantId tenant,
    const NewApplication& in,
    const audit::Actor& actor,
    const audit::Origin& origin
) {
    auto customer = check_customer(in.customer);
    if (!customer) return fail(std::move(customer).error());
    if (!in.locale.empty() && in.locale != "ja" && in.locale != "en")
        return Error::invalid("customer.locale", "must be ja or en");
    if (in.preferences.empty() || in.preferences.size() > 5)
        return Error::invalid("preferences", "rank 1 to 5 occurrences");
    YOYAKU_TRY_ASSIGN(auto keys, keys_.tenant_keys(tenant));
    const Instant now = clock_.now();
    return db_.write(storage::TenantScope(tenant), [&](ScopedTx& stx) -> Result<LotteryEntry> {
        auto o = offerings::OfferingStore(stx).find_by_id(OfferingId{in.offering_id});
        if (!o || !o->published) return Error::not_found("no such offering");
        if (!o->lottery) return refused("this offering has no lottery", "offering_id");
        if (now >= o->lottery->applications_close_at)
            return refused("applications have closed", "offering_id");
        YOYAKU_TRY_ASSIGN(auto occ, offerings::OccurrenceStore(stx).list_by_offering(o->id, now));
        YOYAKU_TRY(check_preferences(in.preferences, occ));
        // The tickets as a booking would check them (the lottery itself keeps the window shut).
        Offering plain = *o;
        plain.lottery.reset();
        Selection sel;
        sel.offering_id = o->id;
        sel.occurrence_id = in.preferences.front();
        sel.tickets = in.tickets;
        YOYAKU_TRY_ASSIGN(auto plan, member_plan(stx, plain, in.account_id, sel, now));
        const auto indexes = keys.indexes(customer->email);
        const std::string& email_index = indexes.front();
        // One application per address and draw: a confirmed one, or one whose confirmation
        // mail went out lately (so nobody can send this address a mail per request).
        YOYAKU_TRY_ASSIGN(
            const bool taken,
            EntryConfirmationStore(stx, kLotteryEntries)
                .address_taken(o->id, indexes, LotteryEntryId{}, now - kUnconfirmedHold)
        );
        if (taken)
            return Error{
                Errc::conflict,
                "this address has applied already (or has a confirmation mail to open)",
                "customer.email",
                {}};
        const auto row = entry_row(in, plan, email_index);
        const std::string& reference = row.reference;
        YOYAKU_TRY_ASSIGN(const auto id, LotteryEntryStore(stx).insert(row, now));
        YOYAKU_TRY(LotteryEntryStore(stx).update_customer_sealed(
            id, seal_customer(keys, stx.tenant_id(), LotteryEntryStore::kCustomer, id, *customer)
        ));
        // A signed-in customer's address was confirmed with the account; a guest's by the link.
        const bool member = in.account_id.has_value();
        if (member) YOYAKU_TRY(EntryConfirmationStore(stx, kLotteryEntries).confirm(id, now));
        YOYAKU_TRY(audit::append(
            stx,
            actor,
            origin,
            {"lottery.applied",
             "offering:" + to_string(o->id),
             "success",
             boost::json::serialize(boost::json::object{
                 {"entry", reference}, {"seats", plan.seats}, {"confirmed", member}})},
            now
        ));
        auto e = LotteryEntryStore(stx).find_by_id(id, keys);
        if (!e || member) return e;
        const auto first = std::find_if(occ.begin(), occ.end(), [&](const Occurrence& x) {
            return x.id == in.preferences.front();
        });
        const auto told = mail_stand_in(
            e->reference, e->customer, e->locale, e->seats, e->total_jpy, first->starts_at
        );
        YOYAKU_TRY(mail_confirmation(stx, keys_, options_, "lottery", told, o->name, now));
        return e;
    });
}

Result<LotteryEntry> LotteryService::confirm(
    TenantId tenant,
    std::string_view reference,
    std::string_view key,
    const audit::Actor& actor,
    const audit::Origin& origin
) {
    YOYAKU_TRY_ASSIGN(auto keys, keys_.tenant_keys(tenant));
    const Instant now = clock_.now();
    return db_.write(storage::TenantScope(tenant), [&](ScopedTx& stx) -> Result<LotteryEntry> {
        auto e = LotteryEntryStore(stx).find_by_reference(reference, keys);
        if (!e) return e;
        if (!confirms(key, "lottery", e->reference, keys))
            return Error::not_found("no such application");
        if (e->confirmed) return e;
        if (e->status != "applied")
            return refused("this application is no longer open", "reference");
        YOYAKU_TRY_ASSIGN(const auto drawn, LotteryDrawStore(stx).find(e->offering_id));
        if (drawn) return refused("the lottery has been drawn", "reference");
        YOYAKU_TRY_ASSIGN(
            const bool taken,
            EntryConfirmationStore(stx, kLotteryEntries)
                .address_taken(e->offering_id, keys.indexes(e->customer.email), e->id, std::nullopt)
        );
        if (taken)
            return Error{Errc::conflict, "this address has applied already", "reference", {}};
        YOYAKU_TRY(EntryConfirmationStore(stx, kLotteryEntries).confirm(e->id, now));
        YOYAKU_TRY(audit::append(
            stx,
            actor,
            origin,
            {"lottery.confirmed",
             "offering:" + to_string(e->offering_id),
             "success",
             boost::json::serialize(boost::json::object{{"entry", e->reference}})},
            now
        ));
        e->confirmed = true;
        return e;
    });
}

Result<LotteryEntry> LotteryService::find(
    TenantId tenant, std::string_view reference, const Requester& who
) {
    YOYAKU_TRY_ASSIGN(auto keys, keys_.tenant_keys(tenant));
    return db_.read(storage::TenantScope(tenant), [&](ScopedTx& stx) -> Result<LotteryEntry> {
        auto e = LotteryEntryStore(stx).find_by_reference(reference, keys);
        if (!e) return e;
        Booking as;
        as.customer = e->customer;
        as.account_id = e->account_id;
        if (!proves(as, who, keys)) return Error::not_found("no such application");
        return e;
    });
}

Result<LotteryDraw> LotteryService::draw(
    TenantId tenant, OfferingId offering_id, const audit::Actor& actor, const audit::Origin& origin
) {
    YOYAKU_TRY_ASSIGN(auto keys, keys_.tenant_keys(tenant));
    const Instant now = clock_.now();
    return db_.write(storage::TenantScope(tenant), [&](ScopedTx& stx) -> Result<LotteryDraw> {
        auto o = offerings::OfferingStore(stx).find_by_id(OfferingId{offering_id});
        if (!o) return fail(std::move(o).error());
        if (!o->lottery) return refused("this offering has no lottery", "offering_id");
        if (now < o->lottery->draw_at)
            return refused(
                "the draw is at " + format_rfc3339(o->lottery->draw_at, "UTC"), "offering_id"
            );
        // One draw: its row is written first, so a second node's draw waits, then conflicts.
        LotteryDraw d;
        d.drawn = true;
        d.seed = crypto::random_hex(32);
        d.drawn_at = now;
        LotteryDrawStore draws(stx);
        YOYAKU_TRY_ASSIGN(const bool claimed, draws.insert(offering_id, d.seed, now));
        if (!claimed)
            return Error{Errc::conflict, "this lottery was drawn already", "offering_id", {}};
        YOYAKU_TRY_ASSIGN(
            auto occ, offerings::OccurrenceStore(stx).list_by_offering(OfferingId{offering_id})
        );
        std::map<OccurrenceId, int> free;
        std::map<OccurrenceId, Occurrence> by_id;
        for (const auto& x : occ)
            std::tie(free[x.id], by_id[x.id]) = std::pair(x.capacity - x.taken, x);
        LotteryEntryStore entries(stx);
        YOYAKU_TRY_ASSIGN(const auto applied, entries.list_applied(offering_id));
        std::vector<Applicant> applicants;
        std::map<std::string, const DrawnEntry*> entry_of;
        for (const auto& e : applied) {
            applicants.push_back({e.reference, e.seats, e.preferences});
            entry_of[e.reference] = &e;
        }
        d.allocation = allocate(d.seed, applicants, free);
        int winners = 0;
        for (const auto& [ref, won] : d.allocation) {
            const DrawnEntry& r = *entry_of.at(ref);
            const auto id = r.id;
            auto who =
                open_customer(keys, r.customer_sealed, tenant, LotteryEntryStore::kCustomer, id);
            if (!who) return fail(std::move(who).error());
            if (won) {
                YOYAKU_TRY_ASSIGN(
                    const auto booking_id,
                    book_winner(stx, keys, r, *who, by_id.at(*won), o->seat_map_id, now)
                );
                YOYAKU_TRY(entries.update_won(id, booking_id));
                YOYAKU_TRY_ASSIGN(const auto b, BookingStore(stx).find_by_id(booking_id, keys));
                YOYAKU_TRY(
                    announce(stx, keys_, options_, "created", "booking_confirmed", b, *o, now, true)
                );
                ++winners;
                continue;
            }
            YOYAKU_TRY(entries.update_lost(id));
            YOYAKU_TRY(tell_loser(stx, keys_, options_, *o, r, *who, by_id, now));
        }
        YOYAKU_TRY(draws.update_result(offering_id, free_text(free), alloc_text(d.allocation)));
        YOYAKU_TRY(audit::append(
            stx,
            actor,
            origin,
            {"lottery.drawn",
             "offering:" + to_string(offering_id),
             "success",
             boost::json::serialize(boost::json::object{
                 {"seed", d.seed},
                 {"applicants", applicants.size()},
                 {"winners", winners},
                 {"allocation", crypto::blake2b_256_hex(alloc_text(d.allocation))}})},
            now
        ));
        d.verified = true;
        return d;
    });
}

Result<int> LotteryService::draw_due() {
    YOYAKU_TRY_ASSIGN(const auto tenants, db_.read_platform([](storage::Tx& tx) {
        return tenants::list_active_tenants(tx);
    }));
    const Instant now = clock_.now();
    int drawn = 0;
    for (const auto tenant : tenants) {
        auto all = db_.read(storage::TenantScope(tenant), [](storage::ScopedTx& stx) {
            return offerings::OfferingStore(stx).list(false);
        });
        if (!all) return fail(std::move(all).error());
        for (const auto& o : *all) {
            if (!o.lottery || now < o.lottery->draw_at) continue;
            auto d = draw(tenant, o.id, {"lottery", "system"}, {});
            if (d)
                ++drawn;
            else if (d.error().code != Errc::conflict)
                return fail(std::move(d).error());
        }
    }
    return drawn;
}

Result<LotteryDraw> LotteryService::draw_of(TenantId tenant, OfferingId offering_id) {
    return db_.read(storage::TenantScope(tenant), [&](ScopedTx& stx) -> Result<LotteryDraw> {
        YOYAKU_TRY(offerings::OfferingStore(stx).find_by_id(OfferingId{offering_id}));
        YOYAKU_TRY_ASSIGN(const auto stored, LotteryDrawStore(stx).find(offering_id));
        LotteryDraw d;
        if (!stored) return d;
        d.drawn = true;
        d.seed = stored->seed;
        d.allocation = alloc_from(stored->allocation_json);
        d.drawn_at = stored->drawn_at;
        // Computed again from what the draw saw: the seed, the applicants, the free seats.
        YOYAKU_TRY_ASSIGN(const auto applicants, LotteryEntryStore(stx).list_decided(offering_id));
        d.verified =
            allocate(d.seed, applicants, free_from(stored->free_seats_json)) == d.allocation;
        return d;
    });
}

}  // namespace yoyaku::bookings
