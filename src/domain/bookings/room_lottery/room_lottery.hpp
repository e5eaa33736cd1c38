#pragma once
// Room lotteries (施設の抽選, issue 27, ADR 0024): a month of by-division rentals allotted by
// lottery. Applicants (signed-in customers, as themselves or as a registered group) rank
// choices of room × date × division while applications are open; one draw from a recorded
// seed over the supply it saw, residents' tiers first (bookings::allot); winners' bookings are
// provisional until they confirm by the deadline (else they lapse and the slot is free again);
// what is left opens first come, first served at a set time.

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/ids.hpp"
#include "core/time.hpp"
#include "domain/bookings/bookings.hpp"

namespace yoyaku::bookings {

/// One ranked choice: `blocks` consecutive divisions of a room (a by-division rental) on a
/// date, from the division with code `division`.
struct RoomChoice {
    OfferingId offering_id;
    std::chrono::year_month_day date{};
    std::string division;
    int blocks = 1;
    friend bool operator==(const RoomChoice&, const RoomChoice&) = default;
};

struct RoomLottery {
    RoomLotteryId id;
    std::string name;  ///< 1–200 characters
    std::chrono::year_month month{};
    std::vector<OfferingId> offering_ids;  ///< by-division rentals, 1–20
    Instant opens_at{};                    ///< applications from
    Instant closes_at{};                   ///< until
    Instant draw_at{};                     ///< the draw from (the scheduler runs it)
    Instant confirm_by{};                  ///< winners confirm by (≤ the month's start)
    Instant first_come_at{};               ///< what is left opens for anyone
    int max_choices = 3;                   ///< per application, 1–10
    int max_wins = 1;                      ///< per application, 1–max_choices
    /// User classes in priority order (tier 0 first); anyone else comes after them.
    std::vector<UserClassId> tiers;
    std::optional<Instant> drawn_at;
    std::string seed;  ///< 64 hex characters once drawn
};

/// A choice won: the booking made for it and its status now.
struct RoomWin {
    int choice = 0;
    std::string booking_reference;
    BookingStatus status = BookingStatus::pending;
    std::optional<Instant> confirm_by;  ///< while it awaits confirmation
};

struct RoomEntry {
    RoomLotteryEntryId id;
    std::string reference;
    RoomLotteryId lottery_id;
    AccountId account_id;
    std::optional<GroupId> group_id;
    int tier = 0;
    std::vector<RoomChoice> choices;
    std::string status;  ///< applied, won, lost
    std::vector<RoomWin> wins;
    std::string locale = "ja";
    Instant created_at{};
};

struct NewRoomApplication {
    RoomLotteryId lottery_id;
    std::vector<RoomChoice> choices;
    std::optional<GroupId> group_id;
    std::string locale;
};

/// A room lottery's draw: its seed, the supply it saw (slot key → 1 free, 0 not), the
/// allocation (entry reference → indexes of the choices won, in draw order) and whether
/// computing it again from the seed gives the same.
struct RoomDraw {
    bool drawn = false;
    std::string seed;
    Instant drawn_at{};
    std::map<std::string, int> supply;
    std::vector<std::pair<std::string, std::vector<int>>> allocation;
    bool verified = false;
};

/// Demand and supply of one slot (a division of a room on a date).
struct SlotDemand {
    OfferingId offering_id;
    std::string offering_name;
    std::chrono::year_month_day date{};
    std::string division;
    std::string division_name;
    Instant starts_at{};
    bool open = false;                  ///< free to allot (at the draw: as the draw saw it)
    int first_choices = 0;              ///< applications ranking it first
    int choices = 0;                    ///< applications naming it at any rank
    std::optional<std::string> won_by;  ///< the winning application's reference
};

/// YYYY-MM.
std::string format_month(std::chrono::year_month m);

/// The key of a slot in a draw's supply.
std::string slot_key(
    OfferingId offering, std::chrono::year_month_day date, std::string_view division
);

}  // namespace yoyaku::bookings
