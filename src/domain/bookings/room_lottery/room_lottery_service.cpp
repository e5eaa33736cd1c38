// Room lotteries (issue 27, ADR 0024). A month of by-division rentals is allotted by lottery:
// while it runs, customers cannot book those rooms in that month directly; applications rank
// slots; the draw (bookings::allot, the event lottery's fair draw with tiers and rounds) books
// the winners provisionally until confirm_by; first_come_at opens what is left to anyone.

#include "domain/bookings/room_lottery/room_lottery_service.hpp"

#include <algorithm>
#include <boost/json.hpp>

#include "core/text.hpp"
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
#include "domain/bookings/resource_time.hpp"
#include "domain/bookings/room_lottery/room_lottery_store.hpp"
#include "domain/groups/group_service.hpp"
#include "domain/offerings/offering_store.hpp"
#include "domain/resources/resources.hpp"
#include "domain/tenants/tenant_store.hpp"
#include "domain/user_classes/user_class_store.hpp"
#include "domain/webhooks/webhooks.hpp"

namespace yoyaku::bookings {
namespace {

using namespace std::chrono;
using storage::ScopedTx;

// One division of one room on one date in the lottery's month.
struct MonthSlot {
    const Offering* offering = nullptr;
    year_month_day date{};
    detail::DivisionTime time;
    bool free = false;
    std::string key;
};

// The lottery's rooms (by-division rentals) and every slot of its month, by room, date and
// start.
struct Month {
    std::vector<Offering> rooms;
    std::vector<MonthSlot> slots;
};

Result<Month> month_of(ScopedTx& stx, const RoomLottery& l) {
    YOYAKU_TRY_ASSIGN(const auto zone, detail::tenant_zone(stx));
    Month m;
    m.rooms.reserve(l.offering_ids.size());
    for (const auto id : l.offering_ids) {
        YOYAKU_TRY_ASSIGN(auto o, offerings::OfferingStore(stx).find_by_id(id));
        m.rooms.push_back(std::move(o));
    }
    const year_month_day first{l.month / day{1}};
    const year_month_day last{l.month / std::chrono::last};
    for (const auto& o : m.rooms) {
        if (o.resource_ids.empty()) continue;
        YOYAKU_TRY_ASSIGN(
            const auto r,
            detail::load_resource_time(
                stx,
                o.resource_ids.front(),
                zone,
                year_month_day{local_days{first} - days{1}},
                year_month_day{local_days{last} + days{1}}
            )
        );
        for (auto d = local_days{first}; d <= local_days{last}; d += days{1}) {
            const year_month_day date{d};
            for (auto& t : detail::division_times(r, zone, date)) {
                MonthSlot s{&o, date, t, false, slot_key(o.id, date, t.division.code)};
                s.free = detail::inside_open(r, t.start, t.end) &&
                         detail::free_units(r, t.start, t.end) > 0;
                m.slots.push_back(std::move(s));
            }
        }
    }
    return m;
}

// The slots a choice takes: `blocks` consecutive divisions from its division on its date.
// Errors: invalid_input naming choices[i].…
Result<std::vector<const MonthSlot*>> slots_of(
    const Month& m, const RoomChoice& c, const std::string& f
) {
    const auto room = std::find_if(m.rooms.begin(), m.rooms.end(), [&](const Offering& o) {
        return o.id == c.offering_id;
    });
    if (room == m.rooms.end())
        return Error::invalid(f + ".offering_id", "is not a room of this lottery");
    std::vector<const MonthSlot*> day;
    for (const auto& s : m.slots)
        if (s.offering->id == c.offering_id && s.date == c.date) day.push_back(&s);
    if (day.empty())
        return Error::invalid(f + ".date", "is not a date of this lottery's month with divisions");
    const auto at = std::find_if(day.begin(), day.end(), [&](const MonthSlot* s) {
        return s->time.division.code == c.division;
    });
    if (at == day.end()) return Error::invalid(f + ".division", "is not a division of this date");
    if (c.blocks < room->min_blocks || c.blocks > room->max_blocks)
        return Error::invalid(
            f + ".blocks",
            "must be " + std::to_string(room->min_blocks) + " to " +
                std::to_string(room->max_blocks)
        );
    if (day.end() - at < c.blocks)
        return Error::invalid(f + ".blocks", "so many divisions do not follow on this date");
    return std::vector<const MonthSlot*>(at, at + c.blocks);
}

// An applicant's tier: the place of their class (or their group's) in the lottery's tiers.
Result<int> tier_of(
    ScopedTx& stx,
    const RoomLottery& l,
    AccountId account,
    std::optional<GroupId> group,
    Instant now
) {
    std::optional<UserClassId> cls;
    if (group) {
        YOYAKU_TRY_ASSIGN(cls, groups::class_for_booking(stx, account, *group, now));
    } else {
        YOYAKU_TRY_ASSIGN(const auto c, user_classes::UserClassStore(stx).find_by_account(account));
        if (c) cls = c->id;
    }
    const auto it = cls ? std::find(l.tiers.begin(), l.tiers.end(), *cls) : l.tiers.end();
    return static_cast<int>(it - l.tiers.begin());
}

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

// The offering as the draw and a winner's confirmation book it: the lottery is its window.
Offering drawn_room(Offering o) {
    o.opens_before_minutes.reset();
    o.closes_before_minutes = 0;
    o.applications_open_at.reset();
    o.applications_close_at.reset();
    o.lottery.reset();
    return o;
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

Result<void> check_times(const RoomLottery& in) {
    if (in.closes_at <= in.opens_at) return Error::invalid("closes_at", "must be after opens_at");
    if (in.draw_at < in.closes_at) return Error::invalid("draw_at", "must not be before closes_at");
    if (in.confirm_by <= in.draw_at) return Error::invalid("confirm_by", "must be after draw_at");
    if (in.first_come_at < in.confirm_by)
        return Error::invalid("first_come_at", "must not be before confirm_by");
    return {};
}

// Winners confirm before the month begins (their bookings' deadlines are at most their starts).
Result<void> check_confirm_by(ScopedTx& stx, const RoomLottery& in) {
    YOYAKU_TRY_ASSIGN(const auto zone, detail::tenant_zone(stx));
    const auto starts = from_local(local_seconds{local_days{in.month / day{1}}}, zone);
    if (in.confirm_by > starts)
        return Error::invalid("confirm_by", "must not be after the month begins");
    return {};
}

}  // namespace

Result<RoomLottery> RoomLotteryService::create(
    TenantId tenant, RoomLottery in, const audit::Actor& actor, const audit::Origin& origin
) {
    auto name = text::check_line(in.name, 1, 200);
    if (!name.value) return Error::invalid("name", name.problem);
    in.name = *name.value;
    if (!in.month.ok() || in.month.year() < year{2000} || in.month.year() > year{2200})
        return Error::invalid("month", "must be a month YYYY-MM");
    if (in.offering_ids.empty() || in.offering_ids.size() > 20)
        return Error::invalid("offering_ids", "name 1 to 20 rooms");
    YOYAKU_TRY(check_times(in));
    if (in.max_choices < 1 || in.max_choices > 10)
        return Error::invalid("max_choices", "must be 1 to 10");
    if (in.max_wins < 1 || in.max_wins > in.max_choices)
        return Error::invalid("max_wins", "must be 1 to max_choices");
    if (in.tiers.size() > 20) return Error::invalid("tiers", "name at most 20 user classes");
    in.drawn_at.reset();
    in.seed.clear();
    const Instant now = clock_.now();
    return db_.write(storage::TenantScope(tenant), [&](ScopedTx& stx) -> Result<RoomLottery> {
        YOYAKU_TRY(check_confirm_by(stx, in));
        RoomLotteryStore store(stx);
        for (std::size_t i = 0; i < in.offering_ids.size(); ++i) {
            const auto f = "offering_ids[" + std::to_string(i) + "]";
            const auto before = in.offering_ids.begin() + static_cast<long>(i);
            if (std::find(in.offering_ids.begin(), before, in.offering_ids[i]) != before)
                return Error::invalid(f, "is named twice");
            auto o = offerings::OfferingStore(stx).find_by_id(in.offering_ids[i]);
            if (!o && o.error().code == Errc::not_found)
                return Error::invalid(f, "no offering has this id");
            if (!o) return fail(std::move(o).error());
            if (o->kind != OfferingKind::rental || !o->by_division)
                return Error::invalid(f, "is not a rental by divisions");
            YOYAKU_TRY_ASSIGN(const auto taken, store.first_come_at(o->id, format_month(in.month)));
            if (taken) return Error::invalid(f, "is in another room lottery of this month");
        }
        for (std::size_t i = 0; i < in.tiers.size(); ++i) {
            const auto f = "tiers[" + std::to_string(i) + "]";
            const auto before = in.tiers.begin() + static_cast<long>(i);
            if (std::find(in.tiers.begin(), before, in.tiers[i]) != before)
                return Error::invalid(f, "is named twice");
            auto c = user_classes::UserClassStore(stx).find_by_id(in.tiers[i]);
            if (!c && c.error().code == Errc::not_found)
                return Error::invalid(f, "no user class has this id");
            if (!c) return fail(std::move(c).error());
        }
        YOYAKU_TRY_ASSIGN(const auto id, store.insert(in, now));
        YOYAKU_TRY(audit::append(
            stx,
            actor,
            origin,
            {"room_lottery.created",
             "room_lottery:" + to_string(id),
             "success",
             boost::json::serialize(boost::json::object{
                 {"month", format_month(in.month)}, {"rooms", in.offering_ids.size()}})},
            now
        ));
        return store.find(id);
    });
}

Result<RoomLottery> RoomLotteryService::reschedule(
    TenantId tenant,
    RoomLotteryId id,
    const RoomLottery& times,
    const audit::Actor& actor,
    const audit::Origin& origin
) {
    YOYAKU_TRY(check_times(times));
    const Instant now = clock_.now();
    return db_.write(storage::TenantScope(tenant), [&](ScopedTx& stx) -> Result<RoomLottery> {
        RoomLotteryStore store(stx);
        YOYAKU_TRY_ASSIGN(auto l, store.find(id));
        l.opens_at = times.opens_at;
        l.closes_at = times.closes_at;
        l.draw_at = times.draw_at;
        l.confirm_by = times.confirm_by;
        l.first_come_at = times.first_come_at;
        YOYAKU_TRY(check_confirm_by(stx, l));
        YOYAKU_TRY_ASSIGN(const bool moved, store.update_times(l));
        if (!moved) return detail::refused("this lottery has been drawn", "lottery_id");
        YOYAKU_TRY(audit::append(
            stx,
            actor,
            origin,
            {"room_lottery.rescheduled",
             "room_lottery:" + to_string(id),
             "success",
             boost::json::serialize(boost::json::object{
                 {"closes_at", format_rfc3339(l.closes_at, "UTC")},
                 {"draw_at", format_rfc3339(l.draw_at, "UTC")}})},
            now
        ));
        return l;
    });
}

Result<std::vector<RoomLottery>> RoomLotteryService::list(TenantId tenant) {
    return db_.read(storage::TenantScope(tenant), [](ScopedTx& stx) {
        return RoomLotteryStore(stx).list();
    });
}

Result<RoomLottery> RoomLotteryService::find(TenantId tenant, RoomLotteryId id) {
    return db_.read(storage::TenantScope(tenant), [&](ScopedTx& stx) {
        return RoomLotteryStore(stx).find(id);
    });
}

Result<RoomEntry> RoomLotteryService::apply(
    TenantId tenant,
    AccountId account,
    const NewRoomApplication& in,
    const audit::Actor& actor,
    const audit::Origin& origin
) {
    if (!in.locale.empty() && in.locale != "ja" && in.locale != "en")
        return Error::invalid("locale", "must be ja or en");
    const Instant now = clock_.now();
    return db_.write(storage::TenantScope(tenant), [&](ScopedTx& stx) -> Result<RoomEntry> {
        RoomLotteryStore store(stx);
        YOYAKU_TRY_ASSIGN(const auto l, store.find(in.lottery_id));
        if (now < l.opens_at || now >= l.closes_at)
            return detail::refused(
                "applications are taken from " + format_rfc3339(l.opens_at, "UTC") + " until " +
                    format_rfc3339(l.closes_at, "UTC"),
                "lottery_id"
            );
        if (in.choices.empty() || static_cast<int>(in.choices.size()) > l.max_choices)
            return Error::invalid(
                "choices", "rank 1 to " + std::to_string(l.max_choices) + " choices"
            );
        YOYAKU_TRY_ASSIGN(const auto m, month_of(stx, l));
        std::vector<std::string> firsts;
        for (std::size_t i = 0; i < in.choices.size(); ++i) {
            const auto f = "choices[" + std::to_string(i) + "]";
            YOYAKU_TRY_ASSIGN(const auto slots, slots_of(m, in.choices[i], f));
            if (std::find(firsts.begin(), firsts.end(), slots.front()->key) != firsts.end())
                return Error::invalid(f, "is ranked twice");
            firsts.push_back(slots.front()->key);
        }
        YOYAKU_TRY_ASSIGN(const int tier, tier_of(stx, l, account, in.group_id, now));
        YOYAKU_TRY_ASSIGN(const bool applied, store.has_entry(l.id, account));
        if (applied)
            return Error{
                Errc::conflict, "you have applied to this lottery already", "lottery_id", {}};
        RoomEntry e;
        e.reference = detail::new_reference();
        e.lottery_id = l.id;
        e.account_id = account;
        e.group_id = in.group_id;
        e.tier = tier;
        e.choices = in.choices;
        e.status = "applied";
        e.locale = in.locale.empty() ? "ja" : in.locale;
        e.created_at = now;
        YOYAKU_TRY_ASSIGN(e.id, store.insert_entry(e, now));
        YOYAKU_TRY(audit::append(
            stx,
            actor,
            origin,
            {"room_lottery.applied",
             "room_lottery:" + to_string(l.id),
             "success",
             boost::json::serialize(boost::json::object{
                 {"entry", e.reference},
                 {"choices", e.choices.size()},
                 {"tier", tier},
                 {"group",
                  e.group_id ? boost::json::value(e.group_id->value) : boost::json::value()}})},
            now
        ));
        return e;
    });
}

Result<std::vector<RoomEntry>> RoomLotteryService::mine(TenantId tenant, AccountId account) {
    return db_.read(storage::TenantScope(tenant), [&](ScopedTx& stx) {
        return RoomLotteryStore(stx).list_of(account);
    });
}

Result<std::vector<RoomEntry>> RoomLotteryService::entries(TenantId tenant, RoomLotteryId id) {
    return db_.read(
        storage::TenantScope(tenant),
        [&](ScopedTx& stx) -> Result<std::vector<RoomEntry>> {
            RoomLotteryStore store(stx);
            YOYAKU_TRY(store.find(id));
            YOYAKU_TRY_ASSIGN(auto all, store.list_entries(id, std::nullopt));
            for (auto& e : all) {
                YOYAKU_TRY_ASSIGN(e.wins, store.wins_of(e.id));
            }
            return all;
        }
    );
}

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

Result<Booking> RoomLotteryService::confirm_win(
    TenantId tenant,
    std::string_view reference,
    const Requester& who,
    const std::vector<EquipmentChoice>& equipment,
    const std::vector<std::string>& surcharges,
    const audit::Actor& actor,
    const audit::Origin& origin
) {
    YOYAKU_TRY_ASSIGN(const auto keys, keys_.tenant_keys(tenant));
    const Instant now = clock_.now();
    return db_.write(storage::TenantScope(tenant), [&](ScopedTx& stx) -> Result<Booking> {
        BookingStore bookings(stx);
        YOYAKU_TRY_ASSIGN(const auto b, bookings.find_by_reference(reference, keys));
        if (!detail::proves(b, who, keys)) return Error::not_found("no such booking");
        YOYAKU_TRY_ASSIGN(const auto win, RoomLotteryStore(stx).find_win(b.id));
        if (!win || b.status != BookingStatus::pending)
            return detail::refused(
                "this booking is not a lottery win awaiting confirmation", "reference"
            );
        if (!b.hold_expires_at || now >= *b.hold_expires_at)
            return detail::refused("the deadline to confirm has passed", "reference");
        YOYAKU_TRY_ASSIGN(const auto o, offerings::OfferingStore(stx).find_by_id(b.offering_id));
        Selection sel;
        sel.offering_id = o.id;
        sel.starts_at = b.starts_at;
        sel.blocks = b.fees.blocks > 0 ? b.fees.blocks : 1;
        sel.equipment = equipment;
        sel.surcharges = surcharges;
        sel.group_id = b.group_id;
        YOYAKU_TRY_ASSIGN(
            const auto plan, detail::member_plan(stx, drawn_room(o), b.account_id, sel, now)
        );
        // The divisions won are given back and taken again with the equipment, in one
        // transaction: a shortfall leaves the win as it was.
        YOYAKU_TRY(detail::give_back(stx, detail::taken_from(detail::capacity_of(stx, b.id))));
        YOYAKU_TRY_ASSIGN(const auto chosen, detail::take_plan(stx, plan, now));
        YOYAKU_TRY(bookings.update_moved(
            b.id,
            {plan.occurrence_id,
             plan.starts,
             plan.ends,
             chosen.resource_id,
             plan.room_id,
             detail::taken_json(chosen.taken),
             plan.total,
             fees_json(plan.fees)},
            now
        ));
        YOYAKU_TRY(
            bookings.update_status(b.id, BookingStatus::pending, BookingStatus::confirmed, now)
        );
        YOYAKU_TRY(bookings.clear_hold_expiry(b.id));
        YOYAKU_TRY(audit::append(
            stx,
            actor,
            origin,
            {"room_lottery.confirmed",
             "booking:" + b.reference,
             "success",
             boost::json::serialize(boost::json::object{
                 {"lottery", win->lottery_id.value},
                 {"total_jpy", plan.total},
                 {"equipment", equipment.size()},
                 {"surcharges", surcharges.size()}})},
            now
        ));
        YOYAKU_TRY_ASSIGN(auto after, bookings.find_by_id(b.id, keys));
        // A winner: where the room is paid online at once, the mail asks for the payment and
        // the booking goes unless it is paid in time (as a lottery's or waitlist's winner).
        YOYAKU_TRY(detail::announce(
            stx, keys_, options_, "approved", "booking_confirmed", after, o, now, true
        ));
        return after;
    });
}

std::string slot_key(OfferingId offering, year_month_day date, std::string_view division) {
    return to_string(offering) + ":" + resources::format_date(date) + ":" + std::string(division);
}

namespace detail {

Result<void> check_room_lottery(
    ScopedTx& stx, const Offering& o, Instant starts, std::string_view zone, Instant now
) {
    if (o.kind != OfferingKind::rental || !o.by_division) return {};
    const year_month_day day{floor<days>(to_local(starts, zone))};
    YOYAKU_TRY_ASSIGN(
        const auto opens,
        RoomLotteryStore(stx).first_come_at(o.id, format_month(day.year() / day.month()))
    );
    if (!opens || now >= *opens) return {};
    return refused(
        "this month of the room is allotted by lottery; what is left opens for booking at " +
            format_rfc3339(*opens, zone),
        "starts_at"
    );
}

}  // namespace detail
}  // namespace yoyaku::bookings
