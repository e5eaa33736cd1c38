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

/// A ranked choice as a draw sees it: the units it needs, each a slot's key and how many of it.
struct Claim {
    std::vector<std::pair<std::string, int>> units;
};

/// One entrant of a draw: a priority tier (0 first), how many of their choices they may win,
/// and their choices, first preferred.
struct Entrant {
    std::string reference;
    int tier = 0;
    int max_wins = 1;
    std::vector<Claim> choices;
};

/// The fair draw (ADR 0012, generalised by ADR 0024): tiers in order; inside a tier the
/// entrants ordered by BLAKE2b(seed ‖ ":" ‖ reference) (ties by reference), then in rounds
/// each takes their best-ranked choice not yet won whose units are all free, until they hold
/// max_wins or nothing they chose is left. Returns every entrant, in draw order, with the
/// indexes of the choices won (in the order won). Pure.
std::vector<std::pair<std::string, std::vector<int>>> allot(
    const std::string& seed, std::vector<Entrant> entrants, std::map<std::string, int> free
);

/// The allocation a seed gives: applicants ordered by BLAKE2b(seed ‖ reference), each given
/// their first preference with enough of `free` seats left. Pure: the same inputs give the
/// same answer.
std::vector<std::pair<std::string, std::optional<OccurrenceId>>> allocate(
    const std::string& seed, std::vector<Applicant> applicants, std::map<OccurrenceId, int> free
);

}  // namespace yoyaku::bookings
