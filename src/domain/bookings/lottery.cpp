// Lotteries (抽選, ADR 0012): applications with ranked occurrences while the offering takes no
// direct bookings; at the draw a new random seed orders the applicants (BLAKE2b of seed and
// reference), each gets their first preference with enough seats left, winners are booked and
// mailed, the others told. The seed, the free seats the draw started from and the allocation
// are kept (the seed also in the audit log), so anyone can compute the draw again and compare.

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
#include "domain/bookings/lottery_entry_store.hpp"
#include "domain/bookings/plan.hpp"
#include "domain/bookings/resource_time.hpp"
#include "domain/bookings/venue_rules.hpp"
#include "domain/bookings/waitlist_serving.hpp"
#include "domain/offerings/offering_store.hpp"
#include "domain/tenants/tenant_store.hpp"
#include "storage/sql_text.hpp"

namespace yoyaku::bookings {
namespace {

using namespace std::chrono;
using namespace detail;
using storage::Blob;
using storage::Row;
using storage::ScopedTx;

constexpr std::string_view kEntryColumns =
    "l.id, l.reference, l.offering_id, l.preferences, l.status, l.seats, l.total_jpy, "
    "l.customer_sealed, l.account_id, l.created_at, b.reference, l.confirmed_at, l.locale";

std::vector<std::int64_t> ids_of(const std::string& text) {
    std::vector<std::int64_t> out;
    boost::system::error_code ec;
    auto v = boost::json::parse(text, ec);
    if (!ec && v.is_array())
        for (const auto& x : v.get_array())
            if (x.is_int64()) out.push_back(x.get_int64());
    return out;
}

std::string ids_text(const std::vector<std::int64_t>& ids) {
    boost::json::array a;
    for (auto id : ids) a.emplace_back(id);
    return boost::json::serialize(a);
}

Result<LotteryEntry> entry_from(const Row& r, TenantId tenant, const crypto::TenantKeys& k) {
    LotteryEntry e;
    e.id = r.i64(0);
    e.reference = r.text(1);
    e.offering_id = r.i64(2);
    e.preferences = ids_of(r.text(3));
    e.status = r.text(4);
    e.seats = static_cast<int>(r.i64(5));
    e.total_jpy = r.i64(6);
    auto c = open_customer(k, r.blob(7).bytes, tenant, LotteryEntryStore::kCustomer, e.id);
    if (!c) return fail(std::move(c).error());
    e.customer = std::move(*c);
    if (!r.is_null(8)) e.account_id = r.i64(8);
    e.created_at = from_micros(r.i64(9));
    if (!r.is_null(10)) e.booking_reference = r.text(10);
    e.confirmed = !r.is_null(11);
    e.locale = r.text(12);
    return e;
}

Result<LotteryEntry> load_entry(
    ScopedTx& stx, std::string_view where, const storage::Value& key, const crypto::TenantKeys& k
) {
    auto rows = stx.tx().query(
        "SELECT " + std::string(kEntryColumns) +
            " FROM lottery_entries l LEFT JOIN bookings b ON b.tenant_id = l.tenant_id AND "
            "b.id = l.booking_id WHERE l.tenant_id = $1 AND " +
            std::string(where),
        stx.tenant_id().value,
        key
    );
    if (!rows) return fail(std::move(rows).error());
    if (rows->empty()) return Error::not_found("no such application");
    return entry_from(rows->front(), stx.tenant_id(), k);
}

std::string alloc_text(const std::vector<std::pair<std::string, std::optional<std::int64_t>>>& a) {
    boost::json::array out;
    for (const auto& [ref, occ] : a)
        out.push_back(boost::json::array{
            boost::json::value(ref), occ ? boost::json::value(*occ) : boost::json::value(nullptr)});
    return boost::json::serialize(out);
}

std::vector<std::pair<std::string, std::optional<std::int64_t>>> alloc_from(const std::string& s) {
    std::vector<std::pair<std::string, std::optional<std::int64_t>>> out;
    boost::system::error_code ec;
    auto v = boost::json::parse(s, ec);
    if (ec || !v.is_array()) return out;
    for (const auto& x : v.get_array()) {
        const auto& a = x.as_array();
        out.emplace_back(
            std::string(a.at(0).as_string()),
            a.at(1).is_int64() ? std::optional<std::int64_t>(a.at(1).get_int64()) : std::nullopt
        );
    }
    return out;
}

std::string free_text(const std::map<std::int64_t, int>& free) {
    boost::json::object o;
    for (const auto& [id, n] : free) o[std::to_string(id)] = n;
    return boost::json::serialize(o);
}

std::map<std::int64_t, int> free_from(const std::string& s) {
    std::map<std::int64_t, int> out;
    boost::system::error_code ec;
    auto v = boost::json::parse(s, ec);
    if (ec || !v.is_object()) return out;
    for (const auto& [k, n] : v.get_object())
        out[std::stoll(std::string(k))] = static_cast<int>(n.as_int64());
    return out;
}

}  // namespace

using namespace detail;

std::vector<std::pair<std::string, std::optional<std::int64_t>>> allocate(
    const std::string& seed, std::vector<Applicant> applicants, std::map<std::int64_t, int> free
) {
    std::vector<std::pair<std::string, Applicant>> order;
    order.reserve(applicants.size());
    for (auto& a : applicants)
        order.emplace_back(crypto::blake2b_256_hex(seed + ":" + a.reference), std::move(a));
    std::sort(order.begin(), order.end(), [](const auto& x, const auto& y) {
        return x.first != y.first ? x.first < y.first : x.second.reference < y.second.reference;
    });
    std::vector<std::pair<std::string, std::optional<std::int64_t>>> out;
    for (const auto& [key, a] : order) {
        std::optional<std::int64_t> won;
        for (const auto occ : a.preferences) {
            auto it = free.find(occ);
            if (it != free.end() && it->second >= a.seats) {
                it->second -= a.seats;
                won = occ;
                break;
            }
        }
        out.emplace_back(a.reference, won);
    }
    return out;
}

Result<LotteryEntry> BookingService::apply_lottery(
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
    auto keys = keys_.tenant_keys(tenant);
    if (!keys) return fail(std::move(keys).error());
    const Instant now = clock_.now();
    return db_.write(storage::TenantScope(tenant), [&](ScopedTx& stx) -> Result<LotteryEntry> {
        auto& tx = stx.tx();
        const auto t = stx.tenant_id().value;
        auto o = offerings::OfferingStore(stx).find_by_id(OfferingId{in.offering_id});
        if (!o || !o->published) return Error::not_found("no such offering");
        if (!o->lottery) return refused("this offering has no lottery", "offering_id");
        if (now >= o->lottery->applications_close_at)
            return refused("applications have closed", "offering_id");
        auto occ = offerings::OccurrenceStore(stx).list_by_offering(o->id, now);
        if (!occ) return fail(std::move(occ).error());
        for (std::size_t i = 0; i < in.preferences.size(); ++i) {
            const std::string f = "preferences[" + std::to_string(i) + "]";
            if (std::find(
                    in.preferences.begin(),
                    in.preferences.begin() + static_cast<long>(i),
                    in.preferences[i]
                ) != in.preferences.begin() + static_cast<long>(i))
                return Error::invalid(f, "is ranked twice");
            if (std::none_of(occ->begin(), occ->end(), [&](const Occurrence& x) {
                    return x.id.value == in.preferences[i];
                }))
                return Error::invalid(f, "is not an upcoming occurrence of this offering");
        }
        // The tickets as a booking would check them (the lottery itself keeps the window shut).
        Offering plain = *o;
        plain.lottery.reset();
        Selection sel;
        sel.offering_id = o->id.value;
        sel.occurrence_id = in.preferences.front();
        sel.tickets = in.tickets;
        auto plan = member_plan(stx, plain, in.account_id, sel, now);
        if (!plan) return fail(std::move(plan).error());
        const auto indexes = keys->indexes(customer->email);
        const std::string& email_index = indexes.front();
        // One application per address and draw: a confirmed one, or one whose confirmation
        // mail went out lately (so nobody can send this address a mail per request).
        YOYAKU_TRY_ASSIGN(
            const bool taken,
            EntryConfirmationStore(stx, kLotteryEntries)
                .address_taken(o->id.value, indexes, 0, to_micros(now - kUnconfirmedHold))
        );
        if (taken)
            return Error{
                Errc::conflict,
                "this address has applied already (or has a confirmation mail to open)",
                "customer.email",
                {}};
        const std::string reference = new_reference();
        const std::vector<storage::Value> values{
            t,
            reference,
            o->id.value,
            ids_text(in.preferences),
            static_cast<std::int64_t>(plan->seats),
            tickets_text(plan->tickets),
            plan->total,
            Blob{},
            email_index,
            in.account_id ? storage::Value(*in.account_id) : storage::Value(),
            in.locale.empty() ? storage::Value() : storage::Value(in.locale),
            to_micros(now)};
        auto row = tx.query_one(
            "INSERT INTO lottery_entries(tenant_id, reference, offering_id, preferences, status, "
            "seats, tickets, total_jpy, customer_sealed, email_index, account_id, locale, "
            "created_at) VALUES ($1, $2, $3, $4, 'applied', $5, $6, $7, $8, $9, $10, "
            "coalesce(CAST($11 AS text), (SELECT locale FROM tenants WHERE id = $1)), $12) "
            "RETURNING id",
            std::span<const storage::Value>(values)
        );
        if (!row) return fail(std::move(row).error());
        const auto id = row->i64(0);
        YOYAKU_TRY(LotteryEntryStore(stx).update_customer_sealed(
            id, seal_customer(*keys, stx.tenant_id(), LotteryEntryStore::kCustomer, id, *customer)
        ));
        // A signed-in customer's address was confirmed with the account; a guest's by the link.
        const bool member = in.account_id.has_value();
        if (member)
            YOYAKU_TRY(EntryConfirmationStore(stx, kLotteryEntries).confirm(id, to_micros(now)));
        YOYAKU_TRY(audit::append(
            stx,
            actor,
            origin,
            {"lottery.applied",
             "offering:" + std::to_string(o->id.value),
             "success",
             boost::json::serialize(boost::json::object{
                 {"entry", reference}, {"seats", plan->seats}, {"confirmed", member}})},
            now
        ));
        auto e = load_entry(stx, "l.id = $2", id, *keys);
        if (!e || member) return e;
        const auto first = std::find_if(occ->begin(), occ->end(), [&](const Occurrence& x) {
            return x.id.value == in.preferences.front();
        });
        const auto told = mail_stand_in(
            e->reference, e->customer, e->locale, e->seats, e->total_jpy, first->starts_at
        );
        YOYAKU_TRY(mail_confirmation(stx, keys_, options_, "lottery", told, o->name, now));
        return e;
    });
}

Result<LotteryEntry> BookingService::confirm_application(
    TenantId tenant,
    std::string_view reference,
    std::string_view key,
    const audit::Actor& actor,
    const audit::Origin& origin
) {
    auto keys = keys_.tenant_keys(tenant);
    if (!keys) return fail(std::move(keys).error());
    const Instant now = clock_.now();
    return db_.write(storage::TenantScope(tenant), [&](ScopedTx& stx) -> Result<LotteryEntry> {
        auto e = load_entry(stx, "l.reference = $2", std::string(reference), *keys);
        if (!e) return e;
        if (!confirms(key, "lottery", e->reference, *keys))
            return Error::not_found("no such application");
        if (e->confirmed) return e;
        if (e->status != "applied")
            return refused("this application is no longer open", "reference");
        auto drawn = stx.tx().query(
            "SELECT 1 FROM lottery_draws WHERE tenant_id = $1 AND offering_id = $2",
            stx.tenant_id().value,
            e->offering_id
        );
        if (!drawn) return fail(std::move(drawn).error());
        if (!drawn->empty()) return refused("the lottery has been drawn", "reference");
        YOYAKU_TRY_ASSIGN(
            const bool taken,
            EntryConfirmationStore(stx, kLotteryEntries)
                .address_taken(
                    e->offering_id, keys->indexes(e->customer.email), e->id, std::nullopt
                )
        );
        if (taken)
            return Error{Errc::conflict, "this address has applied already", "reference", {}};
        YOYAKU_TRY(EntryConfirmationStore(stx, kLotteryEntries).confirm(e->id, to_micros(now)));
        YOYAKU_TRY(audit::append(
            stx,
            actor,
            origin,
            {"lottery.confirmed",
             "offering:" + std::to_string(e->offering_id),
             "success",
             boost::json::serialize(boost::json::object{{"entry", e->reference}})},
            now
        ));
        e->confirmed = true;
        return e;
    });
}

Result<LotteryEntry> BookingService::find_application(
    TenantId tenant, std::string_view reference, const Requester& who
) {
    auto keys = keys_.tenant_keys(tenant);
    if (!keys) return fail(std::move(keys).error());
    return db_.read(storage::TenantScope(tenant), [&](ScopedTx& stx) -> Result<LotteryEntry> {
        auto e = load_entry(stx, "l.reference = $2", std::string(reference), *keys);
        if (!e) return e;
        Booking as;
        as.customer = e->customer;
        as.account_id = e->account_id;
        if (!proves(as, who, *keys)) return Error::not_found("no such application");
        return e;
    });
}

Result<LotteryDraw> BookingService::draw_lottery(
    TenantId tenant,
    std::int64_t offering_id,
    const audit::Actor& actor,
    const audit::Origin& origin
) {
    auto keys = keys_.tenant_keys(tenant);
    if (!keys) return fail(std::move(keys).error());
    const Instant now = clock_.now();
    return db_.write(storage::TenantScope(tenant), [&](ScopedTx& stx) -> Result<LotteryDraw> {
        auto& tx = stx.tx();
        const auto t = stx.tenant_id().value;
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
        auto claimed = tx.exec(
            "INSERT INTO lottery_draws(tenant_id, offering_id, seed, free_seats, allocation, "
            "drawn_at) VALUES ($1, $2, $3, '{}', '[]', $4) ON CONFLICT (tenant_id, offering_id) DO "
            "NOTHING",
            t,
            offering_id,
            d.seed,
            to_micros(now)
        );
        if (!claimed) return fail(std::move(claimed).error());
        if (*claimed != 1)
            return Error{Errc::conflict, "this lottery was drawn already", "offering_id", {}};
        auto occ = offerings::OccurrenceStore(stx).list_by_offering(OfferingId{offering_id});
        if (!occ) return fail(std::move(occ).error());
        std::map<std::int64_t, int> free;
        std::map<std::int64_t, Occurrence> by_id;
        for (const auto& x : *occ) {
            free[x.id.value] = x.capacity - x.taken;
            by_id[x.id.value] = x;
        }
        auto rows = tx.query(
            "SELECT id, reference, seats, preferences, tickets, total_jpy, customer_sealed, "
            "email_index, account_id, locale FROM lottery_entries WHERE tenant_id = $1 AND "
            "offering_id = $2 AND status = 'applied' AND confirmed_at IS NOT NULL ORDER BY "
            "reference",
            t,
            offering_id
        );
        if (!rows) return fail(std::move(rows).error());
        std::vector<Applicant> applicants;
        std::map<std::string, const Row*> row_of;
        for (const auto& r : *rows) {
            applicants.push_back({r.text(1), static_cast<int>(r.i64(2)), ids_of(r.text(3))});
            row_of[r.text(1)] = &r;
        }
        d.allocation = allocate(d.seed, applicants, free);
        int winners = 0;
        for (const auto& [ref, won] : d.allocation) {
            const Row& r = *row_of.at(ref);
            const auto id = r.i64(0);
            auto who =
                open_customer(*keys, r.blob(6).bytes, tenant, LotteryEntryStore::kCustomer, id);
            if (!who) return fail(std::move(who).error());
            if (won) {
                Taken taken;
                taken.seats = static_cast<int>(r.i64(2));
                taken.occurrences = {*won};
                YOYAKU_TRY(take(stx, taken));
                SealedBooking nb;
                nb.offering_id = offering_id;
                nb.occurrence_id = *won;
                nb.status = "confirmed";
                nb.taken = taken;
                nb.sessions = {by_id.at(*won)};
                nb.total_jpy = r.i64(5);
                nb.tickets_json = r.text(4);
                nb.customer_text = sealed_text(Sealed{*who, {}, {}});
                nb.email_index = r.text(7);
                if (!r.is_null(8)) nb.account_id = r.i64(8);
                nb.locale = r.text(9);
                auto booking_id = insert_sealed_booking(stx, *keys, nb, now);
                if (!booking_id) return fail(std::move(booking_id).error());
                YOYAKU_TRY(tx.exec(
                    "UPDATE lottery_entries SET status = 'won', booking_id = $3 WHERE tenant_id = "
                    "$1 AND id = $2",
                    t,
                    id,
                    *booking_id
                ));
                auto b = BookingStore(stx).find_by_id(*booking_id, *keys);
                if (!b) return fail(std::move(b).error());
                YOYAKU_TRY(
                    announce(stx, keys_, options_, "created", "booking_confirmed", *b, *o, now)
                );
                ++winners;
                continue;
            }
            YOYAKU_TRY(tx.exec(
                "UPDATE lottery_entries SET status = 'lost' WHERE tenant_id = $1 AND id = $2", t, id
            ));
            // The result mail speaks of their first preference.
            const auto prefs = ids_of(r.text(3));
            const auto told = mail_stand_in(
                ref,
                *who,
                r.text(9),
                static_cast<int>(r.i64(2)),
                r.i64(5),
                !prefs.empty() && by_id.contains(prefs.front()) ? by_id.at(prefs.front()).starts_at
                                                                : Instant{}
            );
            YOYAKU_TRY(mail_customer(stx, keys_, options_, "lottery_lost", told, o->name, now));
        }
        YOYAKU_TRY(tx.exec(
            "UPDATE lottery_draws SET free_seats = $3, allocation = $4 WHERE tenant_id = $1 AND "
            "offering_id = $2",
            t,
            offering_id,
            free_text(free),
            alloc_text(d.allocation)
        ));
        YOYAKU_TRY(audit::append(
            stx,
            actor,
            origin,
            {"lottery.drawn",
             "offering:" + std::to_string(offering_id),
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

Result<int> BookingService::draw_due_lotteries() {
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
            auto d = draw_lottery(tenant, o.id.value, {"lottery", "system"}, {});
            if (d)
                ++drawn;
            else if (d.error().code != Errc::conflict)
                return fail(std::move(d).error());
        }
    }
    return drawn;
}

Result<LotteryDraw> BookingService::lottery_draw(TenantId tenant, std::int64_t offering_id) {
    return db_.read(storage::TenantScope(tenant), [&](ScopedTx& stx) -> Result<LotteryDraw> {
        const auto t = stx.tenant_id().value;
        YOYAKU_TRY(offerings::OfferingStore(stx).find_by_id(OfferingId{offering_id}));
        auto row = stx.tx().query(
            "SELECT seed, free_seats, allocation, drawn_at FROM lottery_draws WHERE tenant_id = "
            "$1 AND offering_id = $2",
            t,
            offering_id
        );
        if (!row) return fail(std::move(row).error());
        LotteryDraw d;
        if (row->empty()) return d;
        d.drawn = true;
        d.seed = row->front().text(0);
        d.allocation = alloc_from(row->front().text(2));
        d.drawn_at = from_micros(row->front().i64(3));
        // Computed again from what the draw saw: the seed, the applicants, the free seats.
        auto rows = stx.tx().query(
            "SELECT reference, seats, preferences FROM lottery_entries WHERE tenant_id = $1 AND "
            "offering_id = $2 AND status IN ('won', 'lost') ORDER BY reference",
            t,
            offering_id
        );
        if (!rows) return fail(std::move(rows).error());
        std::vector<Applicant> applicants;
        for (const auto& r : *rows)
            applicants.push_back({r.text(0), static_cast<int>(r.i64(1)), ids_of(r.text(2))});
        d.verified = allocate(d.seed, applicants, free_from(row->front().text(1))) == d.allocation;
        return d;
    });
}

}  // namespace yoyaku::bookings
