#pragma once
// A room lottery's month as slots: each division of each of its rooms on each date, free or not
// (room_lottery_month.cpp). Shared by applying, drawing and reading demand.

#include <chrono>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "domain/bookings/resource_time.hpp"
#include "domain/bookings/room_lottery/room_lottery.hpp"
#include "storage/database.hpp"

namespace yoyaku::bookings::detail {

/// One division of one room on one date in the lottery's month.
struct MonthSlot {
    const Offering* offering = nullptr;
    std::chrono::year_month_day date{};
    DivisionTime time;
    bool free = false;  ///< inside the room's hours and free of bookings, holds and buffers
    std::string key;    ///< slot_key()
};

/// The lottery's rooms (by-division rentals) and every slot of its month, by room, date and
/// start.
struct Month {
    std::vector<Offering> rooms;
    std::vector<MonthSlot> slots;
};

Result<Month> month_of(storage::ScopedTx& stx, const RoomLottery& l);

/// The slots a choice takes: `blocks` consecutive divisions from its division on its date.
/// Errors: invalid_input naming `f`.offering_id, .date, .division or .blocks.
Result<std::vector<const MonthSlot*>> slots_of(
    const Month& m, const RoomChoice& c, const std::string& f
);

/// The offering as the draw and a winner's confirmation book it: the lottery is its window.
Offering drawn_room(Offering o);

}  // namespace yoyaku::bookings::detail
