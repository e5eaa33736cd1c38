#pragma once
// What a selection books and for whom (a member's class applied).

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/bookings/bookings.hpp"
#include "domain/bookings/capacity.hpp"
#include "domain/bookings/resource_time.hpp"

namespace yoyaku::bookings::detail {

// What a selection books: its time, seats and price, and the candidates for what it occupies
// (an appointment may go to any free staff member: one Taken per candidate, best first).
struct Plan {
    std::optional<OccurrenceId> occurrence_id;
    Instant starts{};
    Instant ends{};
    int seats = 1;
    std::int64_t total = 0;
    std::map<std::string, int> tickets;
    std::optional<ResourceId> room_id;
    /// Rentals: what the fee is made of (the member's class itemised in by member_plan) and
    /// the terms kept with the booking.
    std::optional<offerings::FeeBasis> basis;
    FeeTerms fees;
    struct Candidate {
        std::optional<ResourceId> resource_id;
        Taken taken;
    };
    std::vector<Candidate> candidates;
};

/// Errors as BookingService::book for what `sel` asks of `o` at `now`.
Result<Plan> plan_for(storage::ScopedTx& stx, const Offering& o, const Selection& sel, Instant now);
Error refused(std::string message, std::string field);
/// Takes the first candidate of `p` that fits (capacity.hpp's take); the candidate held (with
/// the seats chosen for it). Errors: slot_taken (the last refusal), or the storage error.
Result<Plan::Candidate> take_plan(storage::ScopedTx& stx, const Plan& p, Instant now);
/// The published offering a selection names (an event's occurrence names its offering).
/// Errors: not_found, invalid_input (offering_id, occurrence_id).
Result<Offering> published_offering(storage::ScopedTx& stx, const Selection& what);
/// The usage of `r` over [start, end): its own buckets, then each part's (a divided hall).
std::vector<Use> uses_of(const ResourceTime& r, Instant start, Instant end, int quantity);

/// A customer's user class as prices see it: the percent they pay (100 without a class).
struct ClassPrice {
    int percent = 100;
    std::string name;
};
/// The class of a signed-in customer (or of their registered `group`, approved at `now`),
/// applied to `o` for them: its own booking window replaces the offering's opening. Errors:
/// invalid_input on group_id when the group cannot be booked as.
Result<ClassPrice> apply_user_class(
    storage::ScopedTx& stx,
    std::optional<AccountId> account_id,
    Offering& o,
    std::optional<GroupId> group = std::nullopt,
    Instant now = {}
);
/// `total`, or a rental's fee lines, at the class's percent: a plan's total and its terms'
/// lines (basis itemised), or a held booking's as its customer confirms it.
void price_for_class(Plan& plan, const ClassPrice& c);
/// A rental booking's fee basis rebuilt from its terms and its offering (the room lines kept,
/// the equipment and surcharges at the offering's prices). None for the other kinds.
std::optional<offerings::FeeBasis> basis_of(const Offering& o, const FeeTerms& terms);

/// plan_for() as a member (`account_id`) sees it: their class's booking window and price.
Result<Plan> member_plan(
    storage::ScopedTx& stx,
    Offering o,
    std::optional<AccountId> account_id,
    const Selection& sel,
    Instant now
);
/// Tickets (type code → count) as the JSON text stored with a booking or an entry.
std::string tickets_text(const std::map<std::string, int>& tickets);

/// The starts of a repeating rental: the first, then every N weeks at the same local time in
/// the tenant's zone. Errors: invalid_input (repeat.*, starts_at).
Result<std::vector<Instant>> repeat_dates(
    storage::ScopedTx& stx, const Offering& o, const NewBooking& in
);

}  // namespace yoyaku::bookings::detail
