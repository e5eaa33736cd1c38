#pragma once
// An offering's lottery: applications while they are open (a guest's confirmed by the mailed
// link), one draw from a recorded random seed (winners booked, everyone mailed), and the draw
// computed again from its seed for anyone to check.

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
#include "domain/bookings/lottery/lottery.hpp"
#include "storage/database.hpp"

namespace yoyaku::bookings {

class LotteryService {
public:
    LotteryService(
        storage::Database& db,
        crypto::Keyring& keys,
        const Clock& clock,
        BookingOptions options = {}
    )
        : db_(db), keys_(keys), clock_(clock), options_(std::move(options)) {}

    /// Applies to an offering's lottery while applications are open. Errors: invalid_input
    /// naming the field, not_found, unprocessable (no lottery, closed), conflict (this address
    /// applied already).
    Result<LotteryEntry> apply(
        TenantId tenant,
        const NewApplication& in,
        const audit::Actor& actor,
        const audit::Origin& origin
    );
    /// Confirms a guest's application with the key of the link mailed to its address: it takes
    /// part in the draw. Errors: not_found (no such application, or a wrong key), conflict
    /// (this address has a confirmed application already), unprocessable (drawn, withdrawn).
    Result<LotteryEntry> confirm(
        TenantId tenant,
        std::string_view reference,
        std::string_view key,
        const audit::Actor& actor,
        const audit::Origin& origin
    );
    /// An applicant's own entry. Errors: not_found unless `who` proves it.
    Result<LotteryEntry> find(TenantId tenant, std::string_view reference, const Requester& who);
    /// Draws an offering's lottery (from its draw time, once): a new random seed, the
    /// allocation, winners booked and mailed, the others mailed; the seed goes to the audit
    /// log. Errors: not_found, unprocessable (no lottery, too early), conflict (drawn).
    Result<LotteryDraw> draw(
        TenantId tenant,
        OfferingId offering_id,
        const audit::Actor& actor,
        const audit::Origin& origin
    );
    /// Draws every lottery due, in every active tenant (the scheduler runs it). Returns how
    /// many were drawn.
    Result<int> draw_due();
    /// A lottery's draw with its allocation computed again from the seed (not drawn yet:
    /// drawn false). Errors: not_found (no such offering).
    Result<LotteryDraw> draw_of(TenantId tenant, OfferingId offering_id);

private:
    storage::Database& db_;
    crypto::Keyring& keys_;
    const Clock& clock_;
    BookingOptions options_;
};

}  // namespace yoyaku::bookings
