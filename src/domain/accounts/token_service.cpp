#include "domain/accounts/token_service.hpp"

#include <algorithm>
#include <array>
#include <boost/json.hpp>

#include "core/text.hpp"
#include "crypto/hash.hpp"
#include "crypto/random.hpp"
#include "domain/accounts/account_service.hpp"
#include "domain/accounts/auth_service.hpp"

namespace yoyaku::accounts {
namespace {

using access::Permission;
using storage::Row;
using storage::Tx;

constexpr std::string_view kPrefix = "yk_";
constexpr std::array kIntegrationScopes = {
    Permission::tenant_bookings_read,
    Permission::tenant_bookings_manage,
    Permission::tenant_setup_manage,
    Permission::tenant_checkin,
    Permission::tenant_audit_read,
    Permission::tenant_export};
constexpr std::array kKioskScopes = {Permission::tenant_checkin};

constexpr std::string_view kColumns =
    "id, kind, name, hint, scopes, created_by, created_at, expires_at, last_used_at, "
    "coalesce(last_used_address, ''), revoked_at";

std::optional<Instant> optional_time(const Row& r, std::size_t i) {
    if (r.is_null(i)) return std::nullopt;
    return from_micros(r.i64(i));
}

ApiToken from_row(const Row& r) {
    ApiToken t;
    t.id = r.i64(0);
    t.kind = r.text(1) == "kiosk" ? TokenKind::kiosk : TokenKind::integration;
    t.name = r.text(2);
    t.hint = r.text(3);
    std::string_view rest = r.text(4);
    while (!rest.empty()) {
        const auto space = rest.find(' ');
        if (auto p = access::parse_permission(rest.substr(0, space))) t.scopes.push_back(*p);
        if (space == std::string_view::npos) break;
        rest.remove_prefix(space + 1);
    }
    t.created_by = r.i64(5);
    t.created_at = from_micros(r.i64(6));
    t.expires_at = optional_time(r, 7);
    t.last_used_at = optional_time(r, 8);
    t.last_used_address = r.text(9);
    t.revoked_at = optional_time(r, 10);
    return t;
}

std::string target(std::int64_t id) {
    return "api_token:" + std::to_string(id);
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
    auto r =
        db_.write(storage::TenantScope(who.tenant), [&](storage::ScopedTx& stx) -> Result<void> {
            auto& tx = stx.tx();
            auto row = tx.query_one(
                "INSERT INTO api_tokens(tenant_id, kind, name, token_hash, hint, scopes, "
                "created_by, "
                "created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING " +
                    std::string(kColumns),
                stx.tenant_id().value,
                std::string(to_string(input.kind)),
                *name.value,
                crypto::blake2b_256_hex(secret),
                full.substr(0, kPrefix.size() + std::to_string(who.tenant.value).size() + 5),
                scope_text,
                who.account_id,
                to_micros(now),
                to_micros(expires_at)
            );
            if (!row) return fail(std::move(row).error());
            out.token = from_row(*row);
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
        });
    if (!r) return fail(std::move(r).error());
    return out;
}

Result<std::vector<ApiToken>> TokenService::list(TenantId tenant) {
    return db_.read(
        storage::TenantScope(tenant),
        [&](storage::ScopedTx& stx) -> Result<std::vector<ApiToken>> {
            auto rows = stx.tx().query(
                "SELECT " + std::string(kColumns) +
                    " FROM api_tokens WHERE tenant_id = $1 ORDER BY id DESC",
                stx.tenant_id().value
            );
            if (!rows) return fail(std::move(rows).error());
            std::vector<ApiToken> out;
            for (const auto& r : *rows) out.push_back(from_row(r));
            return out;
        }
    );
}

Result<void> TokenService::revoke(
    const access::Principal& who, std::int64_t id, const audit::Origin& origin
) {
    const Instant now = clock_.now();
    return db_.write(storage::TenantScope(who.tenant), [&](storage::ScopedTx& stx) -> Result<void> {
        auto n = stx.tx().exec(
            "UPDATE api_tokens SET revoked_at = coalesce(revoked_at, $3) WHERE tenant_id = $1 AND "
            "id = $2",
            stx.tenant_id().value,
            id,
            to_micros(now)
        );
        if (!n) return fail(std::move(n).error());
        if (*n == 0) return Error::not_found("no such token");
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
    const auto [tenant, secret] = *parts;
    const Instant now = clock_.now();
    struct Seen {
        ApiToken token;
        std::string tenant_status;
        bool maker_stands = false;  ///< the maker is still an active manager of the tenant
        bool network_admits = true;
    };
    auto seen = db_.read(storage::TenantScope(tenant), [&](storage::ScopedTx& stx) -> Result<Seen> {
        // A token is worth what its maker is: disabled, demoted or deleted, it stops.
        auto row = stx.tx().query_one(
            "SELECT " + std::string(kColumns) +
                ", (SELECT status FROM tenants WHERE id = $1), (SELECT count(*) FROM accounts a "
                "WHERE a.tenant_id = $1 AND a.id = api_tokens.created_by AND a.role = 'manager' "
                "AND a.status = 'active') FROM api_tokens WHERE tenant_id = $1 AND token_hash = $2",
            stx.tenant_id().value,
            crypto::blake2b_256_hex(secret)
        );
        if (!row) return fail(std::move(row).error());
        Seen out{from_row(*row), row->text(11), row->i64(12) == 1};
        auto policy = load_policy(stx.tx(), tenant);
        if (!policy) return fail(std::move(policy).error());
        out.network_admits = policy->admits(role_of(out.token.kind), client_address);
        return out;
    });
    if (!seen) {
        if (seen.error().code == Errc::not_found) return refused();
        return fail(std::move(seen).error());
    }
    const auto& t = seen->token;
    if (t.revoked_at || (t.expires_at && *t.expires_at <= now) || !seen->maker_stands ||
        !seen->network_admits)
        return refused();
    if (!t.last_used_at || now - *t.last_used_at >= std::chrono::minutes(1)) {
        YOYAKU_TRY(db_.write(
            storage::TenantScope(tenant),
            [&](storage::ScopedTx& stx) -> Result<void> {
                YOYAKU_TRY(stx.tx().exec(
                    "UPDATE api_tokens SET last_used_at = $3, last_used_address = $4 WHERE "
                    "tenant_id = $1 AND id = $2",
                    stx.tenant_id().value,
                    t.id,
                    to_micros(now),
                    std::string(client_address.substr(0, 64))
                ));
                return {};
            }
        ));
    }
    access::Principal p;
    p.role = role_of(t.kind);
    p.tenant = tenant;
    p.account_id = t.created_by;
    p.token_id = t.id;
    for (auto s : t.scopes) p.token_scopes |= 1u << static_cast<unsigned>(s);
    p.tenant_read_only = seen->tenant_status == "suspended";
    p.tenant_export_only = seen->tenant_status == "terminated";
    return p;
}

}  // namespace yoyaku::accounts
