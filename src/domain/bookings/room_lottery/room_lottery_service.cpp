// Room lotteries (issue 27, ADR 0024). A month of by-division rentals is allotted by lottery:
// while it runs, customers cannot book those rooms in that month directly; applications rank
// slots; the draw (bookings::allot, the event lottery's fair draw with tiers and rounds) books
// the winners provisionally until confirm_by; first_come_at opens what is left to anyone.

#include "domain/bookings/room_lottery/room_lottery_service.hpp"

#include <algorithm>
#include <boost/json.hpp>

#include "core/text.hpp"
#include "domain/bookings/announce.hpp"
#include "domain/bookings/booking_store.hpp"
#include "domain/bookings/capacity.hpp"
#include "domain/bookings/customer_sealing.hpp"
#include "domain/bookings/plan.hpp"
#include "domain/bookings/room_lottery/room_lottery_month.hpp"
#include "domain/bookings/room_lottery/room_lottery_store.hpp"
#include "domain/groups/group_service.hpp"
#include "domain/offerings/offering_store.hpp"
#include "domain/user_classes/user_class_store.hpp"

namespace yoyaku::bookings {
namespace {

using namespace std::chrono;
using detail::drawn_room;
using detail::month_of;
using detail::slots_of;
using storage::ScopedTx;

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

namespace detail {

Result<void> check_room_lottery(ScopedTx& stx, const Offering& o, Instant starts, Instant now) {
    if (o.kind != OfferingKind::rental || !o.by_division) return {};
    YOYAKU_TRY_ASSIGN(const auto zone, tenant_zone(stx));
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
