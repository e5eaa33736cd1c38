#pragma once
// The second factor's rows (issue 24 S2): `mfa_challenges`, the five-minute tokens between a
// right password and its code, and `recovery_codes`, single-use codes kept as their hash.

#include <optional>
#include <string>
#include <vector>

#include "core/ids.hpp"
#include "core/result.hpp"
#include "core/time.hpp"
#include "storage/database.hpp"

namespace yoyaku::accounts {

class MfaChallengeStore {
public:
    explicit MfaChallengeStore(storage::ScopedTx& stx) : stx_(stx) {}

    Result<void> insert(
        const std::string& hash,
        AccountId account,
        Instant now,
        Instant expires_at,
        const std::string& client_address
    );
    /// Counts one more try of a live challenge that has tries left (`max_tries` in all);
    /// answers its account (none: no such challenge, expired, or out of tries).
    Result<std::optional<AccountId>> count_try(const std::string& hash, Instant now, int max_tries);
    Result<void> remove(const std::string& hash);

private:
    storage::ScopedTx& stx_;
};

class RecoveryCodeStore {
public:
    explicit RecoveryCodeStore(storage::ScopedTx& stx) : stx_(stx) {}

    /// The account's codes become these (by hash); the old ones are gone.
    Result<void> replace(AccountId account, const std::vector<std::string>& hashes, Instant now);
    /// Uses an unused code of the account; false when it is none.
    Result<bool> use(AccountId account, const std::string& hash, Instant now);
    Result<void> remove_of_account(AccountId account);

private:
    storage::ScopedTx& stx_;
};

}  // namespace yoyaku::accounts
