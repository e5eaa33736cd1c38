#pragma once
// A lottery application, what applying asks for, a draw, and the allocation a seed gives
// (pure; the slice: lottery_service.hpp).

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/ids.hpp"
#include "core/time.hpp"
#include "domain/bookings/bookings.hpp"

namespace yoyaku::bookings {

/// An application to a lottery: ranked occurrences (1–5, first preferred), tickets, who.
struct NewApplication {
    OfferingId offering_id;
    std::vector<OccurrenceId> preferences;
    std::map<std::string, int> tickets;
    Customer customer;
    std::optional<AccountId> account_id;
    std::string locale;
};

struct LotteryEntry {
    LotteryEntryId id;
    std::string reference;
    OfferingId offering_id;
    std::vector<OccurrenceId> preferences;
    std::string status;  ///< applied, won, lost
    int seats = 0;
    std::int64_t total_jpy = 0;
    Customer customer;
    std::optional<AccountId> account_id;  ///< a signed-in customer's
    std::string locale = "ja";
    std::optional<std::string> booking_reference;  ///< won: the booking made
    Instant created_at{};
    /// A guest's application takes part in the draw only once its address is confirmed.
    bool confirmed = true;
};

/// A lottery's draw: its seed, the allocation (entry reference → occurrence won, none: lost)
/// and whether computing it again from the seed, the applications and the seats free at the
/// draw gives the same.
struct LotteryDraw {
    bool drawn = false;  ///< false: not drawn yet (the rest is empty)
    std::string seed;    ///< 64 hex characters
    Instant drawn_at{};
    std::vector<std::pair<std::string, std::optional<OccurrenceId>>> allocation;
    bool verified = false;
};

/// One applicant as the draw sees them.
struct Applicant {
    std::string reference;
    int seats = 0;
    std::vector<OccurrenceId> preferences;
};

/// The allocation a seed gives: applicants ordered by BLAKE2b(seed ‖ reference), each given
/// their first preference with enough of `free` seats left. Pure: the same inputs give the
/// same answer.
std::vector<std::pair<std::string, std::optional<OccurrenceId>>> allocate(
    const std::string& seed, std::vector<Applicant> applicants, std::map<OccurrenceId, int> free
);

}  // namespace yoyaku::bookings
