#pragma once
// Issuing and revoking tickets (issue 26, ADR 0021), inside the transaction of the change to
// the booking they admit to. The booking slice says what admissions a booking gives (one per
// seat or person; each session of a course; one for an appointment or rental), sync() makes
// the booking's live tickets exactly those: what no longer matches (a move, a cancellation, a
// refund) is revoked, what is missing is issued under the tenant's current ticket key with a
// new number, so a moved booking's old QR codes stop working.

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/ids.hpp"
#include "core/result.hpp"
#include "core/time.hpp"
#include "crypto/keyring.hpp"
#include "domain/tickets/ticket.hpp"
#include "domain/tickets/ticket_store.hpp"
#include "storage/database.hpp"

namespace yoyaku::tickets {

/// How long before its start a ticket opens, and after its end it still admits.
inline constexpr std::chrono::hours kOpensBefore{3};
inline constexpr std::chrono::hours kClosesAfter{1};

/// One admission a booking gives.
struct Admission {
    std::optional<OccurrenceId> occurrence;
    std::string type;  ///< the ticket type's code ("admission" when the offering has none)
    std::string seat;
    Instant starts_at{};
    Instant ends_at{};
};

/// What sync() changed.
struct Synced {
    int issued = 0;
    int revoked = 0;
};

/// The booking whose tickets sync() keeps.
struct Holder {
    std::string_view tenant_code;
    BookingId booking;
    OfferingId offering;
    std::string_view reference;
};

/// Makes the holder's live tickets exactly `want` (none: revokes them all).
Result<Synced> sync(
    storage::ScopedTx& stx,
    const crypto::TenantKeys& keys,
    const Holder& holder,
    const std::vector<Admission>& want,
    Instant now
);

/// The tenant's current ticket key's number and its key pair (made on first use).
struct SigningKey {
    int key_id = 0;
    std::shared_ptr<const crypto::Signer> signer;
};
Result<SigningKey> signing_key(storage::ScopedTx& stx, const crypto::TenantKeys& keys, Instant now);

/// A new ticket key signs from now on; the older ones are retired but still check the tickets
/// they signed. Returns the new key's number.
Result<int> rotate_key(storage::ScopedTx& stx, const crypto::TenantKeys& keys, Instant now);

}  // namespace yoyaku::tickets
