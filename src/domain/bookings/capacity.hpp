#pragma once
// Capacity taking: what a booking occupies, taken and given back exactly.

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/bookings/bookings.hpp"

namespace yoyaku::bookings::detail {

// What a booking occupies: a seat count in some occurrences, and units of resources over
// bucket ranges. Stored with the booking so that giving back is exact.
struct Use {
    ResourceId resource;
    std::int64_t from = 0;  ///< first bucket
    std::int64_t to = 0;    ///< past the last bucket
    int quantity = 1;
    int units = 1;  ///< the resource's units when taken (the guard; not stored)
    /// The request field a shortfall names ("equipment[0]"; empty: starts_at). Not stored.
    std::string field = {};
};
struct Taken {
    std::vector<OccurrenceId> occurrences;
    int seats = 0;
    std::vector<Use> usage;
    /// An event with a seat map: the map, and the seats by id ("A-12"; one per seat counted
    /// above). Empty ids with a map: take() chooses the best available and fills them in.
    std::int64_t seat_map = 0;
    std::vector<std::string> seat_ids;
    /// Chosen for someone not there to choose (a lottery's winner, the waitlist's next): seats
    /// apart when none are left together. Not stored.
    bool apart = false;
    /// The best available only in this seat category (empty: any). Not stored.
    std::string category = {};
};

std::string taken_json(const Taken& t);
Taken taken_from(const std::string& text);
/// Takes seats (occurrences in id order; then the numbered seats of a seat map, the best
/// available together when none are named), then resource time in the order planned; refused
/// (slot_taken) when any is short, giving back what it took of the resources.
Result<void> take(storage::ScopedTx& stx, Taken& taken, Instant now);
Result<void> give_back(storage::ScopedTx& stx, const Taken& taken);

}  // namespace yoyaku::bookings::detail
