#pragma once
// The `sessions` table (ADR 0007): signed-in sessions, kept as the BLAKE2b hash of their
// secret, with a public id that names them in lists and revocation.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/ids.hpp"
#include "core/result.hpp"
#include "core/time.hpp"
#include "domain/accounts/auth_service.hpp"
#include "storage/database.hpp"

namespace yoyaku::accounts {

/// A session with what authenticating it needs of its account.
struct SessionSeen {
    AccountId account;
    std::string public_id;
    Instant idle_expires_at{};
    Instant absolute_expires_at{};
    Instant reauthenticated_at{};
    Instant last_seen_at{};
    std::string role;    ///< the account's role
    std::string status;  ///< the account's status
    bool totp = false;   ///< the account has a second factor
};

class SessionStore {
public:
    explicit SessionStore(storage::ScopedTx& stx) : stx_(stx) {}

    /// A new session (`s.id` its public id; seen and re-authenticated at `now`).
    Result<void> insert(
        const std::string& hash, AccountId account, const SessionInfo& s, Instant now
    );
    /// The session of this secret's hash, with its account (none: no such session).
    Result<std::optional<SessionSeen>> find_seen(const std::string& hash);
    /// Seen at `now`, idle until `idle_expires_at`.
    Result<void> update_seen(const std::string& hash, Instant now, Instant idle_expires_at);
    /// Ends the session; answers whose it was (none: there was none).
    Result<std::optional<std::pair<AccountId, std::string>>> remove(const std::string& hash);
    /// The account's live sessions, newest first, with their hashes (to mark the current one).
    Result<std::vector<std::pair<SessionInfo, std::string>>> list_live(
        AccountId account, Instant now
    );
    /// Ends one of the account's sessions by its public id; false when it has none such.
    Result<bool> remove_public(AccountId account, const std::string& public_id);
    /// Ends every session of the account (but `keep`, a public id, when given). Returns how
    /// many ended.
    Result<std::int64_t> remove_of_account(
        AccountId account, const std::optional<std::string>& keep = std::nullopt
    );

private:
    storage::ScopedTx& stx_;
};

}  // namespace yoyaku::accounts
