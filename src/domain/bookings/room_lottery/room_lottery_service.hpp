#pragma once
// Room lotteries (issue 27, ADR 0024): set up by staff, applied to by signed-in customers (as
// themselves or as their registered group), drawn once from a recorded seed, winners confirm.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/ids.hpp"
#include "core/result.hpp"
#include "core/time.hpp"
#include "crypto/keyring.hpp"
#include "domain/audit/audit.hpp"
#include "domain/bookings/bookings.hpp"
#include "domain/bookings/room_lottery/room_lottery.hpp"
#include "storage/database.hpp"

namespace yoyaku::bookings {

namespace detail {
/// A customer's booking of a room whose month a room lottery allots, before that lottery
/// opens it for anyone (only rentals by division are looked up: nothing else pays for it).
/// Errors: unprocessable on starts_at.
Result<void> check_room_lottery(
    storage::ScopedTx& stx, const Offering& o, Instant starts, Instant now
);
}  // namespace detail

class RoomLotteryService {
public:
    RoomLotteryService(
        storage::Database& db,
        crypto::Keyring& keys,
        const Clock& clock,
        BookingOptions options = {}
    )
        : db_(db), keys_(keys), clock_(clock), options_(std::move(options)) {}

    /// Sets up a month's lottery. Errors: invalid_input naming the field (name, month,
    /// offering_ids[i], the times, max_choices, max_wins, tiers[i]).
    Result<RoomLottery> create(
        TenantId tenant, RoomLottery in, const audit::Actor& actor, const audit::Origin& origin
    );
    /// Moves a lottery's times before its draw (e.g. applications closed early): the same
    /// checks as create. Errors: invalid_input (the times), not_found, unprocessable (drawn).
    Result<RoomLottery> reschedule(
        TenantId tenant,
        RoomLotteryId id,
        const RoomLottery& times,
        const audit::Actor& actor,
        const audit::Origin& origin
    );
    Result<std::vector<RoomLottery>> list(TenantId tenant);
    /// Errors: not_found.
    Result<RoomLottery> find(TenantId tenant, RoomLotteryId id);
    /// Applies while applications are open, once per account. Errors: invalid_input
    /// (choices[i].…, group_id), not_found, unprocessable (closed), conflict (applied already).
    Result<RoomEntry> apply(
        TenantId tenant,
        AccountId account,
        const NewRoomApplication& in,
        const audit::Actor& actor,
        const audit::Origin& origin
    );
    /// A customer's applications with what they won, newest first.
    Result<std::vector<RoomEntry>> mine(TenantId tenant, AccountId account);
    /// Every application of a lottery (staff).
    Result<std::vector<RoomEntry>> entries(TenantId tenant, RoomLotteryId id);
    /// Draws from draw_at, once: a new seed, the supply of every slot, the allocation by tier
    /// and draw order; winners' bookings provisional until confirm_by, everyone mailed.
    /// Errors: not_found, unprocessable (too early), conflict (drawn).
    Result<RoomDraw> draw(
        TenantId tenant, RoomLotteryId id, const audit::Actor& actor, const audit::Origin& origin
    );
    /// Draws every room lottery due, in every active tenant. Returns how many.
    Result<int> draw_due();
    /// The draw with its allocation computed again from the seed.
    Result<RoomDraw> draw_of(TenantId tenant, RoomLotteryId id);
    /// Each slot of the lottery's rooms in its month: open or not, demand at first and any
    /// rank, who won it.
    Result<std::vector<SlotDemand>> demand(TenantId tenant, RoomLotteryId id);
    /// A winner confirms their provisional booking (本予約) before the deadline, with the
    /// equipment and surcharges they want. Errors: not_found unless `who` proves it,
    /// unprocessable (not a win awaiting confirmation, deadline passed), slot_taken (equipment
    /// short), invalid_input.
    Result<Booking> confirm_win(
        TenantId tenant,
        std::string_view reference,
        const Requester& who,
        const std::vector<EquipmentChoice>& equipment,
        const std::vector<std::string>& surcharges,
        const audit::Actor& actor,
        const audit::Origin& origin
    );

private:
    storage::Database& db_;
    crypto::Keyring& keys_;
    const Clock& clock_;
    BookingOptions options_;
};

}  // namespace yoyaku::bookings
