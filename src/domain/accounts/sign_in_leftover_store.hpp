#pragma once
// What signing in leaves behind and retention removes once it has expired (ADR 0014):
// sessions, account tokens (reset, invitation, verification), MFA challenges, LINE sign-ins in
// progress, and the sign-in attempts kept for throttling with the LINE webhook events' ids. One
// tenant's (or the platform's, TenantId(0)) at a time.

#include <cstdint>
#include <string>
#include <vector>

#include "core/ids.hpp"
#include "core/result.hpp"
#include "core/time.hpp"
#include "storage/database.hpp"

namespace yoyaku::accounts {

class SignInLeftoverStore {
public:
    SignInLeftoverStore(storage::Tx& tx, TenantId tenant) : tx_(tx), tenant_(tenant) {}

    /// How many expired rows of one kind there are, or were removed.
    struct Swept {
        std::string kind;  ///< the table: sessions, account_tokens, mfa_challenges, line_logins,
                           ///< login_attempts, line_events
        std::int64_t rows = 0;
    };
    /// Removes (or with `dry_run` counts) the sessions, tokens, challenges and LINE sign-ins
    /// expired at `now`, and the sign-in attempts and LINE event ids from before
    /// `attempts_before`; kinds with none are left out.
    Result<std::vector<Swept>> sweep(Instant now, Instant attempts_before, bool dry_run);

private:
    storage::Tx& tx_;
    TenantId tenant_;
};

}  // namespace yoyaku::accounts
