// Room lotteries' draws (ADR 0024): the supply of every slot computed and kept, the entrants
// by tier and draw order (bookings::allot), winners booked provisionally and mailed, the
// others mailed; the kept draw computed again; demand against supply per slot.

#include <algorithm>
#include <boost/json.hpp>

#include "crypto/hash.hpp"
#include "crypto/random.hpp"
#include "crypto/sealing.hpp"
#include "domain/accounts/account_store.hpp"
#include "domain/bookings/announce.hpp"
#include "domain/bookings/booking_store.hpp"
#include "domain/bookings/capacity.hpp"
#include "domain/bookings/customer_sealing.hpp"
#include "domain/bookings/lottery/lottery.hpp"
#include "domain/bookings/plan.hpp"
#include "domain/bookings/room_lottery/room_lottery_month.hpp"
#include "domain/bookings/room_lottery/room_lottery_service.hpp"
#include "domain/bookings/room_lottery/room_lottery_store.hpp"
#include "domain/tenants/tenant_store.hpp"
#include "domain/webhooks/webhooks.hpp"

namespace yoyaku::bookings {
namespace {

using namespace std::chrono;
using detail::drawn_room;
using detail::Month;
using detail::month_of;
using detail::MonthSlot;
using detail::slots_of;
using storage::ScopedTx;

std::string supply_text(const std::map<std::string, int>& supply) {
    boost::json::object o;
    for (const auto& [k, n] : supply) o[k] = n;
    return boost::json::serialize(o);
}

std::map<std::string, int> supply_from(const std::string& s) {
    std::map<std::string, int> out;
    boost::system::error_code ec;
    const auto v = boost::json::parse(s, ec);
    if (!ec && v.is_object())
        for (const auto& [k, n] : v.get_object())
            if (n.is_int64()) out[std::string(k)] = static_cast<int>(n.get_int64());
    return out;
}

std::string allocation_text(const std::vector<std::pair<std::string, std::vector<int>>>& a) {
    boost::json::array out;
    for (const auto& [ref, won] : a) {
        boost::json::array w;
        for (const int i : won) w.emplace_back(i);
        out.push_back(boost::json::array{boost::json::value(ref), std::move(w)});
    }
    return boost::json::serialize(out);
}

std::vector<std::pair<std::string, std::vector<int>>> allocation_from(const std::string& s) {
    std::vector<std::pair<std::string, std::vector<int>>> out;
    boost::system::error_code ec;
    const auto v = boost::json::parse(s, ec);
    if (ec || !v.is_array()) return out;
    for (const auto& x : v.get_array()) {
        const auto& a = x.as_array();
        std::vector<int> won;
        for (const auto& i : a.at(1).as_array()) won.push_back(static_cast<int>(i.as_int64()));
        out.emplace_back(std::string(a.at(0).as_string()), std::move(won));
    }
    return out;
}

// The entrants of a draw from its applications: each choice as the slots it takes (a choice
// whose divisions are gone since claims a slot no supply has, so it is never won).
std::vector<Entrant> entrants_of(
    const RoomLottery& l, const std::vector<RoomEntry>& entries, const Month& m
) {
    std::vector<Entrant> out;
    out.reserve(entries.size());
    for (const auto& e : entries) {
        Entrant x{e.reference, e.tier, l.max_wins, {}};
        for (const auto& c : e.choices) {
            Claim claim;
            if (auto slots = slots_of(m, c, "choices"))
                for (const auto* s : *slots) claim.units.emplace_back(s->key, 1);
            else
                claim.units.emplace_back("gone:" + slot_key(c.offering_id, c.date, c.division), 1);
            x.choices.push_back(std::move(claim));
        }
        out.push_back(std::move(x));
    }
    return out;
}

// The customer a signed-in account stands for (its name and address).
Result<Customer> customer_of(ScopedTx& stx, const crypto::TenantKeys& keys, AccountId id) {
    YOYAKU_TRY_ASSIGN(const auto row, accounts::AccountStore(stx).find(id));
    if (!row) return Error::internal("an applicant's account is gone");
    const auto tenant = stx.tenant_id();
    Customer c;
    YOYAKU_TRY_ASSIGN(
        c.name, keys.open(row->name_sealed, crypto::field_context(tenant, "accounts", "name", id))
    );
    YOYAKU_TRY_ASSIGN(
        c.email,
        keys.open(row->email_sealed, crypto::field_context(tenant, "accounts", "email", id))
    );
    return c;
}

// A won choice booked: the room and its divisions taken, pending until confirm_by.
Result<Booking> book_win(
    ScopedTx& stx,
    const crypto::TenantKeys& keys,
    const RoomLottery& l,
    const Offering& o,
    const RoomEntry& e,
    const MonthSlot& first,
    int blocks,
    const Customer& who,
    Instant now
) {
    const Offering room = drawn_room(o);
    Selection sel;
    sel.offering_id = o.id;
    sel.starts_at = first.time.start;
    sel.blocks = blocks;
    sel.group_id = e.group_id;
    auto plan = detail::member_plan(stx, room, e.account_id, sel, now);
    if (!plan && plan.error().field == "group_id") {
        // The group's registration ran out since it applied: booked as the person.
        sel.group_id.reset();
        plan = detail::member_plan(stx, room, e.account_id, sel, now);
    }
    if (!plan) return fail(std::move(plan).error());
    YOYAKU_TRY_ASSIGN(const auto chosen, detail::take_plan(stx, *plan, now));
    BookingRow row;
    row.reference = detail::new_reference();
    row.offering_id = o.id;
    row.status = "pending";
    row.seats = plan->seats;
    row.total_jpy = plan->total;
    row.tickets_json = "{}";
    row.email_index = crypto::blind_index(keys.index, who.email);
    row.created_at = now;
    row.starts_at = plan->starts;
    row.ends_at = plan->ends;
    row.resource_id = chosen.resource_id;
    row.room_id = plan->room_id;
    row.hold_expires_at = std::min(l.confirm_by, plan->starts);
    row.account_id = e.account_id;
    row.group_id = sel.group_id;
    row.payment_state = plan->total > 0 ? "unpaid" : "none";
    row.capacity_taken = detail::taken_json(chosen.taken);
    row.fees_json = fees_json(plan->fees);
    row.locale = e.locale;
    BookingStore store(stx);
    YOYAKU_TRY_ASSIGN(const auto id, store.insert(row));
    YOYAKU_TRY(store.update_customer_sealed(
        id,
        crypto::seal(
            keys.seal,
            detail::sealed_text(detail::Sealed{who, {}, {}}),
            detail::customer_context(stx.tenant_id(), id)
        )
    ));
    return store.find_by_id(id, keys);
}

}  // namespace

Result<RoomDraw> RoomLotteryService::draw(
    TenantId tenant, RoomLotteryId id, const audit::Actor& actor, const audit::Origin& origin
) {
    YOYAKU_TRY_ASSIGN(const auto keys, keys_.tenant_keys(tenant));
    const Instant now = clock_.now();
    return db_.write(storage::TenantScope(tenant), [&](ScopedTx& stx) -> Result<RoomDraw> {
        RoomLotteryStore store(stx);
        YOYAKU_TRY_ASSIGN(const auto l, store.find(id));
        if (now < l.draw_at)
            return detail::refused(
                "the draw is at " + format_rfc3339(l.draw_at, "UTC"), "lottery_id"
            );
        RoomDraw d;
        d.drawn = true;
        d.seed = crypto::random_hex(32);
        d.drawn_at = now;
        // One draw: the claim is written first, so a second node's draw waits, then conflicts.
        YOYAKU_TRY_ASSIGN(const bool claimed, store.claim_draw(id, d.seed, now));
        if (!claimed)
            return Error{Errc::conflict, "this lottery was drawn already", "lottery_id", {}};
        YOYAKU_TRY_ASSIGN(const auto m, month_of(stx, l));
        for (const auto& s : m.slots) d.supply[s.key] = s.free ? 1 : 0;
        YOYAKU_TRY_ASSIGN(const auto applied, store.list_entries(id, std::string("applied")));
        d.allocation = allot(d.seed, entrants_of(l, applied, m), d.supply);
        std::map<std::string, const RoomEntry*> entry_of;
        for (const auto& e : applied) entry_of[e.reference] = &e;
        int winners = 0, wins = 0;
        for (const auto& [ref, won] : d.allocation) {
            const RoomEntry& e = *entry_of.at(ref);
            YOYAKU_TRY_ASSIGN(const auto who, customer_of(stx, keys, e.account_id));
            YOYAKU_TRY(store.update_entry_status(e.id, won.empty() ? "lost" : "won"));
            if (won.empty()) {
                const auto& c = e.choices.front();
                auto slots = slots_of(m, c, "choices");
                const auto told = detail::mail_stand_in(
                    e.reference, who, e.locale, 1, 0, slots ? slots->front()->time.start : Instant{}
                );
                YOYAKU_TRY(detail::mail_customer(
                    stx, keys_, options_, "room_lottery_lost", told, l.name, now
                ));
                continue;
            }
            ++winners;
            for (const int i : won) {
                const auto& c = e.choices[static_cast<std::size_t>(i)];
                YOYAKU_TRY_ASSIGN(const auto slots, slots_of(m, c, "choices"));
                const auto& room = *slots.front()->offering;
                YOYAKU_TRY_ASSIGN(
                    const auto b,
                    book_win(stx, keys, l, room, e, *slots.front(), c.blocks, who, now)
                );
                YOYAKU_TRY(store.insert_win(e.id, i, b.id));
                YOYAKU_TRY(detail::announce(
                    stx, keys_, options_, "created", "room_lottery_won", b, room, now
                ));
                ++wins;
            }
        }
        YOYAKU_TRY(store.update_result(id, supply_text(d.supply), allocation_text(d.allocation)));
        YOYAKU_TRY(audit::append(
            stx,
            actor,
            origin,
            {"room_lottery.drawn",
             "room_lottery:" + to_string(id),
             "success",
             boost::json::serialize(boost::json::object{
                 {"seed", d.seed},
                 {"applicants", applied.size()},
                 {"winners", winners},
                 {"bookings", wins},
                 {"allocation", crypto::blake2b_256_hex(allocation_text(d.allocation))}})},
            now
        ));
        YOYAKU_TRY(webhooks::emit(
            stx,
            keys_,
            "room_lottery.drawn",
            boost::json::serialize(boost::json::object{
                {"id", id.value},
                {"name", l.name},
                {"month", format_month(l.month)},
                {"seed", d.seed},
                {"applicants", applied.size()},
                {"winners", winners},
                {"bookings", wins}}),
            now
        ));
        d.verified = true;
        return d;
    });
}

Result<int> RoomLotteryService::draw_due() {
    YOYAKU_TRY_ASSIGN(const auto tenants, db_.read_platform([](storage::Tx& tx) {
        return tenants::list_active_tenants(tx);
    }));
    const Instant now = clock_.now();
    int drawn = 0;
    for (const auto tenant : tenants) {
        YOYAKU_TRY_ASSIGN(const auto all, list(tenant));
        for (const auto& l : all) {
            if (l.drawn_at || now < l.draw_at) continue;
            auto d = draw(tenant, l.id, {"room_lottery", "system"}, {});
            if (d)
                ++drawn;
            else if (d.error().code != Errc::conflict)
                return fail(std::move(d).error());
        }
    }
    return drawn;
}

Result<RoomDraw> RoomLotteryService::draw_of(TenantId tenant, RoomLotteryId id) {
    return db_.read(storage::TenantScope(tenant), [&](ScopedTx& stx) -> Result<RoomDraw> {
        RoomLotteryStore store(stx);
        YOYAKU_TRY_ASSIGN(const auto l, store.find(id));
        RoomDraw d;
        if (!l.drawn_at) return d;
        d.drawn = true;
        d.seed = l.seed;
        d.drawn_at = *l.drawn_at;
        YOYAKU_TRY_ASSIGN(const auto result, store.find_result(id));
        d.supply = supply_from(result.first);
        d.allocation = allocation_from(result.second);
        // Computed again: the applications the draw decided, over the supply it saw.
        YOYAKU_TRY_ASSIGN(const auto all, store.list_entries(id, std::nullopt));
        std::vector<RoomEntry> decided;
        for (const auto& e : all)
            if (e.status == "won" || e.status == "lost") decided.push_back(e);
        YOYAKU_TRY_ASSIGN(const auto m, month_of(stx, l));
        d.verified = allot(d.seed, entrants_of(l, decided, m), d.supply) == d.allocation;
        return d;
    });
}

Result<std::vector<SlotDemand>> RoomLotteryService::demand(TenantId tenant, RoomLotteryId id) {
    return db_.read(
        storage::TenantScope(tenant),
        [&](ScopedTx& stx) -> Result<std::vector<SlotDemand>> {
            RoomLotteryStore store(stx);
            YOYAKU_TRY_ASSIGN(const auto l, store.find(id));
            YOYAKU_TRY_ASSIGN(const auto m, month_of(stx, l));
            YOYAKU_TRY_ASSIGN(const auto all, store.list_entries(id, std::nullopt));
            std::map<std::string, SlotDemand> out;
            std::vector<std::string> order;
            for (const auto& s : m.slots) {
                SlotDemand x;
                x.offering_id = s.offering->id;
                x.offering_name = s.offering->name;
                x.date = s.date;
                x.division = s.time.division.code;
                x.division_name = s.time.division.name;
                x.starts_at = s.time.start;
                x.open = s.free;
                out.emplace(s.key, std::move(x));
                order.push_back(s.key);
            }
            if (l.drawn_at) {
                // Open as the draw saw it (the bookings it made take the slots since).
                YOYAKU_TRY_ASSIGN(const auto result, store.find_result(id));
                for (const auto& [key, n] : supply_from(result.first))
                    if (auto it = out.find(key); it != out.end()) it->second.open = n > 0;
            }
            for (const auto& e : all) {
                YOYAKU_TRY_ASSIGN(const auto wins, store.wins_of(e.id));
                for (std::size_t i = 0; i < e.choices.size(); ++i) {
                    auto slots = slots_of(m, e.choices[i], "choices");
                    if (!slots) continue;
                    const bool won = std::any_of(wins.begin(), wins.end(), [&](const RoomWin& w) {
                        return w.choice == static_cast<int>(i);
                    });
                    for (const auto* s : *slots) {
                        auto& x = out.at(s->key);
                        ++x.choices;
                        if (i == 0) ++x.first_choices;
                        if (won) x.won_by = e.reference;
                    }
                }
            }
            std::vector<SlotDemand> rows;
            rows.reserve(order.size());
            for (const auto& key : order) rows.push_back(std::move(out.at(key)));
            return rows;
        }
    );
}

}  // namespace yoyaku::bookings
