#pragma once
// Venue rules (ADR 0012): cancellation fee tiers and per-customer limits.

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/bookings/bookings.hpp"

namespace yoyaku::bookings::detail {

/// The fee cancelling `b` at `now` costs under `o`'s tiers (only confirmed bookings cost).
FeeQuote quote_fee(const Offering& o, const Booking& b, Instant now);

/// Refuses (unprocessable on limits.<which>) a booking of `o` starting at `starts` (on
/// `resource_id` when the limits count by resource) for the customer with `email_index` or
/// `account_id`, when it would pass one of `o`'s limits; `except` is a booking being moved.
/// Takes the customer's lock row first, so two bookings of one customer count in turn.
/// `email_indexes`: the address's blind index under each key generation, current first.
Result<void> check_limits(
    storage::ScopedTx& stx,
    const Offering& o,
    const std::vector<std::string>& email_indexes,
    std::optional<AccountId> account_id,
    Instant starts,
    std::optional<ResourceId> resource_id,
    std::optional<BookingId> except,
    Instant now
);

}  // namespace yoyaku::bookings::detail
