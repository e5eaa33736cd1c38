#include "domain/bookings/room_lottery/room_lottery_month.hpp"

#include <algorithm>

#include "domain/offerings/offering_store.hpp"
#include "domain/resources/resources.hpp"

namespace yoyaku::bookings {

using namespace std::chrono;
using storage::ScopedTx;

std::string slot_key(OfferingId offering, year_month_day date, std::string_view division) {
    return to_string(offering) + ":" + resources::format_date(date) + ":" + std::string(division);
}

namespace detail {

Result<Month> month_of(ScopedTx& stx, const RoomLottery& l) {
    YOYAKU_TRY_ASSIGN(const auto zone, tenant_zone(stx));
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
            load_resource_time(
                stx,
                o.resource_ids.front(),
                zone,
                year_month_day{local_days{first} - days{1}},
                year_month_day{local_days{last} + days{1}}
            )
        );
        for (auto d = local_days{first}; d <= local_days{last}; d += days{1}) {
            const year_month_day date{d};
            for (auto& t : division_times(r, zone, date)) {
                MonthSlot s{&o, date, t, false, slot_key(o.id, date, t.division.code)};
                s.free = inside_open(r, t.start, t.end) && free_units(r, t.start, t.end) > 0;
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

Offering drawn_room(Offering o) {
    o.opens_before_minutes.reset();
    o.closes_before_minutes = 0;
    o.applications_open_at.reset();
    o.applications_close_at.reset();
    o.lottery.reset();
    return o;
}

}  // namespace detail
}  // namespace yoyaku::bookings
