#pragma once
// Seat maps and the seats of an event's occurrences (issue 26, ADR 0022): a manager draws a
// hall's map; an event offering uses one (OfferingInput::seat_map_id); each occurrence shows
// which seats are taken, and the house may keep seats of one occurrence off sale. Bookings
// take and give back their seats with their other places (capacity.hpp).

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/ids.hpp"
#include "core/result.hpp"
#include "core/time.hpp"
#include "domain/audit/audit.hpp"
#include "domain/bookings/bookings.hpp"
#include "domain/seating/seat_map.hpp"
#include "domain/seating/seat_store.hpp"
#include "storage/database.hpp"

namespace yoyaku::bookings {

/// An occurrence's seats: its map and what is taken.
struct OccurrenceSeats {
    OccurrenceId occurrence_id;
    std::int64_t seat_map_id = 0;
    std::string layout;  ///< seating::layout_json()
    std::vector<seating::TakenSeat> taken;
    /// Staff only: the booking holding each booked seat with a live ticket (seat → reference).
    std::map<std::string, std::string> holders;
};

class SeatService {
public:
    SeatService(
        storage::Database& db, crypto::Keyring& keys, const Clock& clock, BookingOptions options
    )
        : db_(db), keys_(keys), clock_(clock), options_(std::move(options)) {}

    Result<std::vector<seating::SeatMapRow>> maps(TenantId tenant);
    /// Errors: not_found.
    Result<seating::SeatMapRow> map(TenantId tenant, std::int64_t id);
    /// Errors: invalid_input naming the field ("name", "layout.sections[0]…").
    Result<seating::SeatMapRow> create_map(
        TenantId tenant,
        std::string_view name,
        std::string_view layout,
        const audit::Actor& actor,
        const audit::Origin& origin
    );
    /// Errors: as create_map, not_found, conflict (a seat some occurrence has taken is gone
    /// from the new layout).
    Result<seating::SeatMapRow> update_map(
        TenantId tenant,
        std::int64_t id,
        std::string_view name,
        std::string_view layout,
        const audit::Actor& actor,
        const audit::Origin& origin
    );
    /// The seats of an event's occurrence. `published`: only of a published offering (the
    /// booking site), without holders. Errors: not_found (no such occurrence, or its
    /// offering has no seat map).
    Result<OccurrenceSeats> occurrence_seats(TenantId tenant, OccurrenceId id, bool published);
    /// Keeps seats of one occurrence for the house (off sale; they count as taken).
    /// Errors: not_found, invalid_input ("seats[i]": not a seat of the map), slot_taken
    /// (a seat is taken).
    Result<OccurrenceSeats> keep_for_house(
        TenantId tenant,
        OccurrenceId id,
        const std::vector<std::string>& seats,
        const audit::Actor& actor,
        const audit::Origin& origin
    );
    /// Puts seats the house kept back on sale (seats not kept are passed over); the waitlist
    /// is served from them first.
    Result<OccurrenceSeats> release_house(
        TenantId tenant,
        OccurrenceId id,
        const std::vector<std::string>& seats,
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
