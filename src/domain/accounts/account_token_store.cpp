#include "domain/accounts/account_token_store.hpp"

#include "storage/sql_text.hpp"

namespace yoyaku::accounts {

Result<void> AccountTokenStore::insert(
    const std::string& hash,
    AccountId account,
    std::string_view purpose,
    Instant now,
    Instant expires_at,
    bool only_if_account
) {
    YOYAKU_TRY(stx_.tx().exec(
        "INSERT INTO account_tokens(token_hash, tenant_id, account_id, purpose, created_at, expires_at) SELECT CAST($1 AS TEXT), CAST($2 AS BIGINT), CAST($3 AS BIGINT), CAST($4 AS TEXT), CAST($5 AS BIGINT), CAST($6 AS BIGINT) WHERE $7 = 0 OR EXISTS (SELECT 1 FROM accounts WHERE tenant_id = $2 AND id = $3)",
        hash,
        stx_.tenant_id(),
        account,
        std::string(purpose),
        to_micros(now),
        to_micros(expires_at),
        only_if_account
    ));
    return {};
}

Result<std::optional<AccountId>> AccountTokenStore::find_live(
    const std::string& hash, const std::vector<std::string>& purposes, Instant now
) {
    auto params = storage::values(hash, stx_.tenant_id(), to_micros(now));
    const auto list = storage::append_list(params, purposes);
    YOYAKU_TRY_ASSIGN(
        const auto rows,
        stx_.tx().query(
            "SELECT account_id FROM account_tokens WHERE token_hash = $1 AND tenant_id = $2 AND purpose IN (" +
                list + ") AND used_at IS NULL AND expires_at > $3",
            std::span<const storage::Value>(params)
        )
    );
    if (rows.empty()) return std::optional<AccountId>();
    return std::optional(rows.front().id<AccountId>("account_id"));
}

Result<bool> AccountTokenStore::use(const std::string& hash, Instant now) {
    YOYAKU_TRY_ASSIGN(
        const auto n,
        stx_.tx().exec(
            "UPDATE account_tokens SET used_at = $3 WHERE token_hash = $1 AND tenant_id = $2 AND used_at IS NULL AND expires_at > $3",
            hash,
            stx_.tenant_id(),
            to_micros(now)
        )
    );
    return n == 1;
}

Result<std::optional<AccountId>> AccountTokenStore::use_for(
    const std::string& hash, std::string_view purpose, Instant now
) {
    YOYAKU_TRY_ASSIGN(
        const auto rows,
        stx_.tx().query(
            "UPDATE account_tokens SET used_at = $3 WHERE token_hash = $1 AND tenant_id = $2 AND purpose = $4 AND used_at IS NULL AND expires_at > $3 RETURNING account_id",
            hash,
            stx_.tenant_id(),
            to_micros(now),
            std::string(purpose)
        )
    );
    if (rows.empty()) return std::optional<AccountId>();
    return std::optional(rows.front().id<AccountId>("account_id"));
}

Result<void> AccountTokenStore::update_unused_used(
    AccountId account, std::string_view purpose, Instant now
) {
    YOYAKU_TRY(stx_.tx().exec(
        "UPDATE account_tokens SET used_at = $3 WHERE tenant_id = $1 AND account_id = $2 AND purpose = $4 AND used_at IS NULL",
        stx_.tenant_id(),
        account,
        to_micros(now),
        std::string(purpose)
    ));
    return {};
}

}  // namespace yoyaku::accounts
