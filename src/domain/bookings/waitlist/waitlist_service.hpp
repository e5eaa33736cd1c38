#pragma once
// The waitlist of a full occurrence (an event's session, a course as a whole): join, confirm a
// guest's address, see one's place, accept an offer, leave; staff list the line. Seats coming
// back are offered by waitlist_serving.hpp, inside the transaction that gives them back.

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/ids.hpp"
#include "core/result.hpp"
#include "core/time.hpp"
#include "crypto/keyring.hpp"
#include "domain/audit/audit.hpp"
#include "domain/bookings/bookings.hpp"
#include "domain/bookings/waitlist/waitlist.hpp"
#include "storage/database.hpp"

namespace yoyaku::bookings {

class WaitlistService {
public:
    WaitlistService(
        storage::Database& db,
        crypto::Keyring& keys,
        const Clock& clock,
        BookingService& bookings,
        BookingOptions options = {}
    )
        : db_(db), keys_(keys), clock_(clock), bookings_(bookings), options_(std::move(options)) {}

    /// Joins the waitlist of a full occurrence (an event's session; a course as a whole).
    /// Errors: invalid_input naming the field, not_found, unprocessable (the offering keeps
    /// no waitlist; enough places are free: book them; the window is closed), conflict (this
    /// address already waits for it).
    Result<WaitlistEntry> join(
        TenantId tenant, const NewWaiter& in, const audit::Actor& actor, const audit::Origin& origin
    );
    /// Confirms a guest's entry with the key of the link mailed to its address: it takes its
    /// place in the line (and is served at once when places are free). Errors: not_found (no
    /// such entry, or the key is not its link's), conflict (another entry of this address
    /// waits for it already), unprocessable (no longer waiting).
    Result<WaitlistEntry> confirm(
        TenantId tenant,
        std::string_view reference,
        std::string_view key,
        const audit::Actor& actor,
        const audit::Origin& origin
    );
    /// A waiter's own entry with their position. Errors: not_found unless `who` proves it.
    Result<WaitlistEntry> find(TenantId tenant, std::string_view reference, const Requester& who);
    /// The entries of an offering (staff), in line order; `occurrence_id` narrows.
    Result<std::vector<WaitlistEntry>> list(
        TenantId tenant, OfferingId offering_id, std::optional<OccurrenceId> occurrence_id
    );
    /// Accepts an offer: the hold kept for the entry becomes a booking. Errors: not_found,
    /// unprocessable (no offer, or it ran out).
    Result<Booking> accept_offer(
        TenantId tenant,
        std::string_view reference,
        const Requester& who,
        const audit::Actor& actor,
        const audit::Origin& origin
    );
    /// The job handler for topic "line_postback": a waitlist offer's "book it" button accepts
    /// the offer for the linked customer who holds the entry (accept_offer()), answered by a
    /// LINE reply; every other button goes to BookingService::line_postback_handler().
    jobs::Handler line_postback_handler();
    /// Leaves the waitlist (an open offer is declined and passes on). Errors: not_found,
    /// unprocessable (already booked).
    Result<WaitlistEntry> leave(
        TenantId tenant,
        std::string_view reference,
        const Requester& who,
        const audit::Actor& actor,
        const audit::Origin& origin
    );

private:
    storage::Database& db_;
    crypto::Keyring& keys_;
    const Clock& clock_;
    BookingService& bookings_;  ///< an open offer is given up like any hold: cancelled
    BookingOptions options_;
};

}  // namespace yoyaku::bookings
