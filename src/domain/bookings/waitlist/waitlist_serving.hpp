#pragma once
// The waitlist as the booking engine serves it when seats come back.

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/bookings/bookings.hpp"
#include "domain/bookings/capacity.hpp"

namespace yoyaku::bookings::detail {

/// A booking made for someone already known (a waiter, a lottery winner): its places were
/// taken by the caller; the customer comes as the sealed text of their details.
struct SealedBooking {
    OfferingId offering_id;
    OccurrenceId occurrence_id;
    std::string status;  ///< held (an offer) or confirmed
    Taken taken;
    std::vector<Occurrence> sessions;  ///< what was taken (its times span the booking)
    std::int64_t total_jpy = 0;
    std::string tickets_json;
    std::string customer_text;  ///< sealed_text() of the customer
    std::string email_index;
    std::optional<AccountId> account_id;
    std::string locale;
    std::optional<Instant> hold_expires_at;
};
/// Inserts it (its customer sealed under the booking's context). Returns the booking's id.
Result<BookingId> insert_sealed_booking(
    storage::ScopedTx& stx, const crypto::TenantKeys& keys, const SealedBooking& nb, Instant now
);

/// The seats an entry would take: the occurrence (event) or every session (course), by id
/// (none when the occurrence is gone).
Result<std::vector<Occurrence>> sessions_of(
    storage::ScopedTx& stx, const Offering& o, OccurrenceId occurrence_id
);
/// The places free in all of `sessions` at once (0 for none).
int seats_free(const std::vector<Occurrence>& sessions);

/// Offers (or books) the free seats of `occurrence_id` to the waitlist of `o` in line order,
/// first fit; returns how many entries were served. Called in every transaction that gives
/// seats back (cancel, reject, expire, move, capacity raised).
Result<int> serve_waitlist(
    storage::ScopedTx& stx,
    crypto::Keyring& keys,
    const BookingOptions& options,
    const Offering& o,
    OccurrenceId occurrence_id,
    Instant now
);
/// The waitlist entry whose offer `booking_id` was, when that hold ran out or was cancelled:
/// marked expired (or left) so the line moves on.
Result<void> offer_ended(storage::ScopedTx& stx, BookingId booking_id, bool declined);

}  // namespace yoyaku::bookings::detail
