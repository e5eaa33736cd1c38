#pragma once
// The `account_tokens` table: single-use mailed tokens (setup, reset, verify), kept as the
// BLAKE2b hash of their secret, each used at most once before it expires.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/ids.hpp"
#include "core/result.hpp"
#include "core/time.hpp"
#include "storage/database.hpp"

namespace yoyaku::accounts {

class AccountTokenStore {
public:
    explicit AccountTokenStore(storage::ScopedTx& stx) : stx_(stx) {}

    /// A new token. `only_if_account`: nothing is inserted when the account does not exist (an
    /// unknown address's request runs the same statement).
    Result<void> insert(
        const std::string& hash,
        AccountId account,
        std::string_view purpose,
        Instant now,
        Instant expires_at,
        bool only_if_account = false
    );
    /// The account of an unused, unexpired token of one of `purposes`.
    Result<std::optional<AccountId>> find_live(
        const std::string& hash, const std::vector<std::string>& purposes, Instant now
    );
    /// Uses an unused, unexpired token (any purpose) at `now`; false when it is not one (of
    /// two concurrent uses, one changes the row).
    Result<bool> use(const std::string& hash, Instant now);
    /// Uses an unused, unexpired token of `purpose`, answering its account.
    Result<std::optional<AccountId>> use_for(
        const std::string& hash, std::string_view purpose, Instant now
    );
    /// Marks the account's unused tokens of `purpose` used (only the newest link works).
    Result<void> update_unused_used(AccountId account, std::string_view purpose, Instant now);

private:
    storage::ScopedTx& stx_;
};

}  // namespace yoyaku::accounts
