#pragma once
// API tokens (SPEC S6): integrations call the JSON API with "Authorization: Bearer yk_…",
// kiosk devices check customers in and do nothing else. A manager makes one, sees its secret
// once, and can revoke it; the database keeps a BLAKE2b hash, the scopes, and when and from
// where it was last used. A token never holds more than its scopes, never reaches session or
// staff routes, and never passes the recent-password check sensitive actions need.

#include <chrono>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "core/time.hpp"
#include "domain/access/principal.hpp"
#include "domain/audit/audit.hpp"
#include "storage/database.hpp"

namespace yoyaku::accounts {

enum class TokenKind { integration, kiosk };
std::string_view to_string(TokenKind k) noexcept;

struct ApiToken {
    ApiTokenId id;
    TokenKind kind = TokenKind::integration;
    std::string name;
    std::string hint;  ///< the first characters of the secret, to recognise it in lists
    std::vector<access::Permission> scopes;
    AccountId created_by;
    Instant created_at{};
    std::optional<Instant> expires_at;
    std::optional<Instant> last_used_at;
    std::string last_used_address;
    std::optional<Instant> revoked_at;
};

struct NewToken {
    TokenKind kind = TokenKind::integration;
    std::string name;
    std::vector<std::string> scopes;    ///< permission names; kiosk tokens: tenant.checkin only
    std::optional<Instant> expires_at;  ///< none: kDefaultLifetime from now
};

struct IssuedToken {
    ApiToken token;
    std::string secret;  ///< "yk_<tenant>.<64 hex>", shown once
};

/// How long a token lives when its maker names no end, and the longest it may live.
inline constexpr std::chrono::hours kDefaultLifetime{24 * 365};
inline constexpr std::chrono::hours kLongestLifetime{24 * (3 * 365 + 1)};

/// The permissions a token of `kind` may carry.
std::span<const access::Permission> grantable_scopes(TokenKind kind) noexcept;

class TokenService {
public:
    TokenService(storage::Database& db, const Clock& clock);

    /// Errors: invalid_input on name, kind, scopes (empty, unknown or not grantable) or
    /// expires_at (past, or beyond kLongestLifetime); reauthentication_required unless `who`
    /// confirmed the password recently (checked by the caller).
    Result<IssuedToken> create(
        const access::Principal& who, const NewToken& input, const audit::Origin& origin
    );
    /// The tenant's tokens, newest first, revoked ones included.
    Result<std::vector<ApiToken>> list(TenantId tenant);
    /// Errors: not_found (also for another tenant's token).
    Result<void> revoke(const access::Principal& who, ApiTokenId id, const audit::Origin& origin);
    /// The principal of a bearer token; records its use (at most once a minute). A token stops
    /// when its maker is no longer an active manager, and an integration token works only from
    /// the tenant's staff networks (when it has any). Errors: unauthenticated when malformed,
    /// unknown, revoked, expired, its maker disabled, demoted or deleted, or outside the networks.
    Result<access::Principal> authenticate(
        std::string_view bearer, std::string_view client_address
    );

private:
    storage::Database& db_;
    const Clock& clock_;
};

}  // namespace yoyaku::accounts
