#pragma once
// The `room_lotteries`, `room_lottery_rooms`, `room_lottery_entries` and `room_lottery_wins`
// tables: the room lottery slice's only SQL.

#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "domain/bookings/room_lottery/room_lottery.hpp"
#include "storage/database.hpp"

namespace yoyaku::bookings {

/// A won booking as its lottery knows it.
struct WinOf {
    RoomLotteryId lottery_id;
    RoomLotteryEntryId entry_id;
    int choice = 0;
};

class RoomLotteryStore {
public:
    explicit RoomLotteryStore(storage::ScopedTx& stx) : stx_(stx) {}

    /// The lottery and its rooms (one row each per offering and month). Errors: conflict when
    /// a room is in another lottery of the month.
    Result<RoomLotteryId> insert(const RoomLottery& l, Instant now);
    /// New times for a lottery not drawn yet (false: drawn).
    Result<bool> update_times(const RoomLottery& l);
    Result<std::vector<RoomLottery>> list();
    /// Errors: not_found.
    Result<RoomLottery> find(RoomLotteryId id);
    /// When the lottery allotting `offering`'s `month` (YYYY-MM) opens it for anyone, if one
    /// does.
    Result<std::optional<Instant>> first_come_at(OfferingId offering, const std::string& month);
    /// Claims the draw (false: drawn already).
    Result<bool> claim_draw(RoomLotteryId id, const std::string& seed, Instant now);
    Result<void> update_result(
        RoomLotteryId id, const std::string& supply, const std::string& allocation
    );
    /// The supply and allocation a draw recorded (JSON), empty before.
    Result<std::pair<std::string, std::string>> find_result(RoomLotteryId id);

    Result<RoomLotteryEntryId> insert_entry(const RoomEntry& e, Instant now);
    /// Whether `account` applied to the lottery.
    Result<bool> has_entry(RoomLotteryId id, AccountId account);
    /// The entries of a lottery (of `status` when given), by reference, without wins.
    Result<std::vector<RoomEntry>> list_entries(
        RoomLotteryId id, std::optional<std::string> status
    );
    /// An account's entries with their wins, newest first.
    Result<std::vector<RoomEntry>> list_of(AccountId account);
    Result<void> update_entry_status(RoomLotteryEntryId id, const std::string& status);
    Result<void> insert_win(RoomLotteryEntryId entry, int choice, BookingId booking);
    /// The wins of an entry with their bookings' references and status.
    Result<std::vector<RoomWin>> wins_of(RoomLotteryEntryId entry);
    /// The lottery win `booking` is, if it is one.
    Result<std::optional<WinOf>> find_win(BookingId booking);

private:
    storage::ScopedTx& stx_;
};

/// Choices as kept (JSON) and back.
std::string choices_text(const std::vector<RoomChoice>& choices);
std::vector<RoomChoice> choices_from(const std::string& text);

}  // namespace yoyaku::bookings
