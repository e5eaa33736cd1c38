#pragma once
// A customer's deletion request (SPEC S15): their bookings, waitlist and lottery entries keep
// counts, times and prices but lose every personal detail; the account and its sessions go.

#include <string>
#include <string_view>

#include "core/ids.hpp"
#include "core/result.hpp"
#include "core/time.hpp"
#include "crypto/keyring.hpp"
#include "domain/audit/audit.hpp"
#include "domain/bookings/bookings.hpp"
#include "storage/database.hpp"

namespace yoyaku::bookings {

/// What erasing a customer did. Bookings stay, for the tenant's counts and takings, with
/// nobody's details in them; so do waitlist and lottery entries (any still open withdrawn).
struct Erasure {
    int bookings = 0;      ///< bookings anonymised
    int waitlist = 0;      ///< waitlist entries anonymised
    int lottery = 0;       ///< lottery entries anonymised
    bool account = false;  ///< the customer's account (with its sessions) deleted
};

class ErasureService {
public:
    ErasureService(storage::Database& db, crypto::Keyring& keys, const Clock& clock)
        : db_(db), keys_(keys), clock_(clock) {}

    /// A customer erases their account: refused (conflict on "bookings") while they have
    /// upcoming bookings; otherwise their bookings, waitlist and lottery entries (by account
    /// and by its address) keep counts, times and prices but lose every personal detail, and
    /// the account with its sessions goes, in one transaction. Errors: not_found,
    /// unprocessable (not a customer), conflict.
    Result<Erasure> erase_customer(
        TenantId tenant,
        AccountId account_id,
        const audit::Actor& actor,
        const audit::Origin& origin
    );
    /// A manager erases a customer on their request (by mail, at the desk), found by address:
    /// the same as the customer's own erasure, for guests too, and the customer's account if
    /// there is one. Errors: invalid ("email"), not_found (nothing under that address),
    /// conflict ("bookings": upcoming bookings to cancel first; "email": a staff account).
    Result<Erasure> erase_by_email(
        TenantId tenant,
        std::string_view email,
        const audit::Actor& actor,
        const audit::Origin& origin
    );

private:
    storage::Database& db_;
    crypto::Keyring& keys_;
    const Clock& clock_;
};

}  // namespace yoyaku::bookings
