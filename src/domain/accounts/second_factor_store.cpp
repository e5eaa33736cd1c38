#include "domain/accounts/second_factor_store.hpp"

namespace yoyaku::accounts {

Result<void> MfaChallengeStore::insert(
    const std::string& hash,
    AccountId account,
    Instant now,
    Instant expires_at,
    const std::string& client_address
) {
    YOYAKU_TRY(stx_.tx().exec(
        "INSERT INTO mfa_challenges(token_hash, tenant_id, account_id, created_at, expires_at, client_address) VALUES ($1, $2, $3, $4, $5, $6)",
        hash,
        stx_.tenant_id(),
        account,
        to_micros(now),
        to_micros(expires_at),
        client_address
    ));
    return {};
}

Result<std::optional<AccountId>> MfaChallengeStore::count_try(
    const std::string& hash, Instant now, int max_tries
) {
    YOYAKU_TRY_ASSIGN(
        const auto rows,
        stx_.tx().query(
            "UPDATE mfa_challenges SET attempts = attempts + 1 WHERE token_hash = $1 AND tenant_id = $2 AND expires_at > $3 AND attempts < $4 RETURNING account_id",
            hash,
            stx_.tenant_id(),
            to_micros(now),
            max_tries
        )
    );
    if (rows.empty()) return std::optional<AccountId>();
    return std::optional(rows.front().id<AccountId>("account_id"));
}

Result<void> MfaChallengeStore::remove(const std::string& hash) {
    YOYAKU_TRY(stx_.tx().exec(
        "DELETE FROM mfa_challenges WHERE token_hash = $1 AND tenant_id = $2",
        hash,
        stx_.tenant_id()
    ));
    return {};
}

Result<void> RecoveryCodeStore::replace(
    AccountId account, const std::vector<std::string>& hashes, Instant now
) {
    YOYAKU_TRY(remove_of_account(account));
    for (const auto& h : hashes)
        YOYAKU_TRY(stx_.tx().exec(
            "INSERT INTO recovery_codes(code_hash, tenant_id, account_id, created_at) VALUES ($1, $2, $3, $4)",
            h,
            stx_.tenant_id(),
            account,
            to_micros(now)
        ));
    return {};
}

Result<bool> RecoveryCodeStore::use(AccountId account, const std::string& hash, Instant now) {
    YOYAKU_TRY_ASSIGN(
        const auto n,
        stx_.tx().exec(
            "UPDATE recovery_codes SET used_at = $4 WHERE code_hash = $1 AND tenant_id = $2 AND account_id = $3 AND used_at IS NULL",
            hash,
            stx_.tenant_id(),
            account,
            to_micros(now)
        )
    );
    return n == 1;
}

Result<void> RecoveryCodeStore::remove_of_account(AccountId account) {
    YOYAKU_TRY(stx_.tx().exec(
        "DELETE FROM recovery_codes WHERE tenant_id = $1 AND account_id = $2",
        stx_.tenant_id(),
        account
    ));
    return {};
}

}  // namespace yoyaku::accounts
