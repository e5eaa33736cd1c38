#include "domain/accounts/token_service.hpp"

#include <algorithm>
#include <array>
#include <boost/json.hpp>

#include "core/text.hpp"
#include "crypto/hash.hpp"
#include "crypto/random.hpp"
#include "domain/accounts/account_service.hpp"
#include "domain/accounts/auth_service.hpp"
#include "domain/accounts/token_store.hpp"

namespace yoyaku::accounts {
namespace {

using access::Permission;

constexpr std::string_view kPrefix = "yk_";
constexpr std::array kIntegrationScopes = {
    Permission::tenant_bookings_read,
    Permission::tenant_bookings_manage,
    Permission::tenant_setup_manage,
    Permission::tenant_checkin,
    Permission::tenant_audit_read,
    Permission::tenant_export};
constexpr std::array kKioskScopes = {Permission::tenant_checkin};

std::string target(ApiTokenId id) {
    return "api_token:" + to_string(id);
}

audit::Actor actor(const access::Principal& who) {
    return {account_target(who.account_id), std::string(access::to_string(who.role))};
}

// Integration tokens work with a manager's rights (within their scopes), so the staff networks
// limit them like managers; kiosk tokens check customers in wherever the kiosk stands.
access::Role role_of(TokenKind kind) {
    return kind == TokenKind::kiosk ? access::Role::kiosk : access::Role::manager;
}

Error refused() {
    return Error{Errc::unauthenticated, "this token is not valid", {}, {}};
}

}  // namespace

std::string_view to_string(TokenKind k) noexcept {
    return k == TokenKind::kiosk ? "kiosk" : "integration";
}

std::span<const Permission> grantable_scopes(TokenKind kind) noexcept {
    if (kind == TokenKind::kiosk) return kKioskScopes;
    return kIntegrationScopes;
}

TokenService::TokenService(storage::Database& db, const Clock& clock) : db_(db), clock_(clock) {}

Result<IssuedToken> TokenService::create(
    const access::Principal& who, const NewToken& input, const audit::Origin& origin
) {
    auto name = text::check_line(input.name, 1, 100);
    if (!name.value) return Error::invalid("name", name.problem);
    if (input.scopes.empty()) return Error::invalid("scopes", "name at least one permission");
    const auto allowed = grantable_scopes(input.kind);
    std::vector<Permission> scopes;
    std::string scope_text;
    for (const auto& s : input.scopes) {
        auto p = access::parse_permission(s);
        if (!p || std::find(allowed.begin(), allowed.end(), *p) == allowed.end())
            return Error::invalid(
                "scopes",
                "\"" + s + "\" cannot be given to " + std::string(to_string(input.kind)) + " tokens"
            );
        if (std::find(scopes.begin(), scopes.end(), *p) != scopes.end()) continue;
        scopes.push_back(*p);
        if (!scope_text.empty()) scope_text += ' ';
        scope_text += s;
    }
    const Instant now = clock_.now();
    if (input.expires_at && *input.expires_at <= now)
        return Error::invalid("expires_at", "must be in the future");
    if (input.expires_at && *input.expires_at > now + kLongestLifetime)
        return Error::invalid("expires_at", "must be within three years");
    const Instant expires_at = input.expires_at.value_or(now + kDefaultLifetime);
    const std::string secret = crypto::random_hex(32);
    const std::string full = std::string(kPrefix) + std::to_string(who.tenant.value) + "." + secret;
    IssuedToken out;
    out.secret = full;
    YOYAKU_TRY(db_.write(
        storage::TenantScope(who.tenant),
        [&](storage::ScopedTx& stx) -> Result<void> {
            YOYAKU_TRY_ASSIGN(
                out.token,
                TokenStore(stx).insert(
                    {input.kind,
                     *name.value,
                     crypto::blake2b_256_hex(secret),
                     full.substr(0, kPrefix.size() + std::to_string(who.tenant.value).size() + 5),
                     scope_text,
                     who.account_id,
                     now,
                     expires_at}
                )
            );
            YOYAKU_TRY(audit::append(
                stx,
                actor(who),
                origin,
                {"api_token.created",
                 target(out.token.id),
                 "success",
                 boost::json::serialize(boost::json::object{
                     {"kind", to_string(input.kind)}, {"scopes", scope_text}})},
                now
            ));
            return {};
        }
    ));
    return out;
}

Result<std::vector<ApiToken>> TokenService::list(TenantId tenant) {
    return db_.read(storage::TenantScope(tenant), [](storage::ScopedTx& stx) {
        return TokenStore(stx).list();
    });
}

Result<void> TokenService::revoke(
    const access::Principal& who, ApiTokenId id, const audit::Origin& origin
) {
    const Instant now = clock_.now();
    return db_.write(storage::TenantScope(who.tenant), [&](storage::ScopedTx& stx) -> Result<void> {
        YOYAKU_TRY(TokenStore(stx).revoke(id, now));
        YOYAKU_TRY(audit::append(stx, actor(who), origin, {"api_token.revoked", target(id)}, now));
        return {};
    });
}

Result<access::Principal> TokenService::authenticate(
    std::string_view bearer, std::string_view client_address
) {
    if (!bearer.starts_with(kPrefix)) return refused();
    auto parts = split_token(bearer.substr(kPrefix.size()));
    if (!parts || parts->first == kPlatform) return refused();
    const auto tenant = parts->first;
    const auto secret = parts->second;
    const Instant now = clock_.now();
    struct Seen {
        TokenStore::Found found;
        bool network_admits = true;
    };
    auto seen = db_.read(storage::TenantScope(tenant), [&](storage::ScopedTx& stx) -> Result<Seen> {
        // A token is worth what its maker is: disabled, demoted or deleted, it stops.
        YOYAKU_TRY_ASSIGN(
            auto found, TokenStore(stx).find_by_secret_hash(crypto::blake2b_256_hex(secret))
        );
        YOYAKU_TRY_ASSIGN(const auto policy, load_policy(stx.tx(), tenant));
        const bool admits = policy.admits(role_of(found.token.kind), client_address);
        return Seen{std::move(found), admits};
    });
    if (!seen) {
        if (seen.error().code == Errc::not_found) return refused();
        return fail(std::move(seen).error());
    }
    const auto& t = seen->found.token;
    if (t.revoked_at || (t.expires_at && *t.expires_at <= now) || !seen->found.maker_stands ||
        !seen->network_admits)
        return refused();
    if (!t.last_used_at || now - *t.last_used_at >= std::chrono::minutes(1)) {
        YOYAKU_TRY(db_.write(storage::TenantScope(tenant), [&](storage::ScopedTx& stx) {
            return TokenStore(stx).record_use(t.id, now, std::string(client_address.substr(0, 64)));
        }));
    }
    access::Principal p;
    p.role = role_of(t.kind);
    p.tenant = tenant;
    p.account_id = t.created_by;
    p.token_id = t.id;
    for (auto s : t.scopes) p.token_scopes |= 1u << static_cast<unsigned>(s);
    p.tenant_read_only = seen->found.tenant_status == "suspended";
    p.tenant_export_only = seen->found.tenant_status == "terminated";
    return p;
}

}  // namespace yoyaku::accounts
