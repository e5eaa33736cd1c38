#pragma once
// Holds and what expiry gives back.

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/bookings/bookings.hpp"

namespace yoyaku::bookings::detail {

/// Seats given back in an occurrence go to its waitlist first (events and courses keeping one).
Result<void> release_to_waitlist(
    storage::ScopedTx& stx,
    crypto::Keyring& keys,
    const BookingOptions& options,
    OfferingId offering_id,
    std::optional<OccurrenceId> occurrence_id,
    Instant now
);
/// Gives back what expired holds of one offering (or all: an invalid id) keep, marking them
/// expired; a waitlist offer that ran out passes to the next in line. Returns how many expired.
Result<int> expire_holds(
    storage::ScopedTx& stx,
    crypto::Keyring& keys,
    const BookingOptions& options,
    OfferingId offering_id,
    Instant now,
    int limit
);

}  // namespace yoyaku::bookings::detail
