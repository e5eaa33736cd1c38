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
    std::int64_t offering_id,
    std::optional<std::int64_t> occurrence_id,
    Instant now
);
/// Gives back what expired holds of one offering (or all, 0) keep, marking them expired; a
/// waitlist offer that ran out passes to the next in line. Returns how many expired.
Result<int> expire_holds(
    storage::ScopedTx& stx,
    crypto::Keyring& keys,
    const BookingOptions& options,
    std::int64_t offering_id,
    Instant now,
    int limit
);

}  // namespace yoyaku::bookings::detail
