#pragma once
// The `api_tokens` table (ADR 0016): every statement on it, rows read by column name, in the
// scoped tenant's transaction.

#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "core/time.hpp"
#include "domain/accounts/token_service.hpp"
#include "storage/database.hpp"

namespace yoyaku::accounts {

class TokenStore {
public:
    explicit TokenStore(storage::ScopedTx& stx) : stx_(stx) {}

    struct NewRow {
        TokenKind kind = TokenKind::integration;
        std::string name;
        std::string secret_hash;  ///< BLAKE2b of the secret, hex
        std::string hint;
        std::string scopes;  ///< permission names, space-separated
        AccountId created_by;
        Instant created_at{};
        Instant expires_at{};
    };
    Result<ApiToken> insert(const NewRow& row);
    /// The tenant's tokens, newest first, revoked ones included.
    Result<std::vector<ApiToken>> list();
    /// Marks a token revoked (a revoked one keeps its first time). Errors: not_found.
    Result<void> revoke(ApiTokenId id, Instant at);

    /// A token found by its secret's hash, with what its use depends on. Errors: not_found.
    struct Found {
        ApiToken token;
        std::string tenant_status;
        bool maker_stands = false;  ///< its maker is still an active manager of the tenant
    };
    Result<Found> find_by_secret_hash(const std::string& secret_hash);
    Result<void> record_use(ApiTokenId id, Instant at, const std::string& address);

private:
    storage::ScopedTx& stx_;
};

}  // namespace yoyaku::accounts
