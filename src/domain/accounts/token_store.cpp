#include "domain/accounts/token_store.hpp"

namespace yoyaku::accounts {
namespace {

using storage::Row;

constexpr std::string_view kColumns =
    "id, kind, name, hint, scopes, created_by, created_at, expires_at, last_used_at, "
    "coalesce(last_used_address, '') AS last_used_address, revoked_at";

std::optional<Instant> optional_time(const Row& r, std::string_view column) {
    if (auto v = r.opt_i64(column)) return from_micros(*v);
    return std::nullopt;
}

ApiToken from_row(const Row& r) {
    ApiToken t;
    t.id = r.id<ApiTokenId>("id");
    t.kind = r.text("kind") == "kiosk" ? TokenKind::kiosk : TokenKind::integration;
    t.name = r.text("name");
    t.hint = r.text("hint");
    std::string_view rest = r.text("scopes");
    while (!rest.empty()) {
        const auto space = rest.find(' ');
        if (auto p = access::parse_permission(rest.substr(0, space))) t.scopes.push_back(*p);
        if (space == std::string_view::npos) break;
        rest.remove_prefix(space + 1);
    }
    t.created_by = r.id<AccountId>("created_by");
    t.created_at = from_micros(r.i64("created_at"));
    t.expires_at = optional_time(r, "expires_at");
    t.last_used_at = optional_time(r, "last_used_at");
    t.last_used_address = r.text("last_used_address");
    t.revoked_at = optional_time(r, "revoked_at");
    return t;
}

}  // namespace

Result<ApiToken> TokenStore::insert(const NewRow& in) {
    YOYAKU_TRY_ASSIGN(
        auto row,
        stx_.tx().query_one(
            "INSERT INTO api_tokens(tenant_id, kind, name, token_hash, hint, scopes, created_by, "
            "created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING " +
                std::string(kColumns),
            stx_.tenant_id(),
            std::string(to_string(in.kind)),
            in.name,
            in.secret_hash,
            in.hint,
            in.scopes,
            in.created_by,
            to_micros(in.created_at),
            to_micros(in.expires_at)
        )
    );
    return from_row(row);
}

Result<std::vector<ApiToken>> TokenStore::list() {
    YOYAKU_TRY_ASSIGN(
        auto rows,
        stx_.tx().query(
            "SELECT " + std::string(kColumns) +
                " FROM api_tokens WHERE tenant_id = $1 ORDER BY id DESC",
            stx_.tenant_id()
        )
    );
    std::vector<ApiToken> out;
    for (const auto& r : rows) out.push_back(from_row(r));
    return out;
}

Result<void> TokenStore::revoke(ApiTokenId id, Instant at) {
    YOYAKU_TRY_ASSIGN(
        const auto n,
        stx_.tx().exec(
            "UPDATE api_tokens SET revoked_at = coalesce(revoked_at, $3) WHERE tenant_id = $1 AND "
            "id = $2",
            stx_.tenant_id(),
            id,
            to_micros(at)
        )
    );
    if (n == 0) return Error::not_found("no such token");
    return {};
}

Result<TokenStore::Found> TokenStore::find_by_secret_hash(const std::string& secret_hash) {
    YOYAKU_TRY_ASSIGN(
        auto row,
        stx_.tx().query_one(
            "SELECT " + std::string(kColumns) +
                ", (SELECT status FROM tenants WHERE id = $1) AS tenant_status, (SELECT count(*) "
                "FROM accounts a WHERE a.tenant_id = $1 AND a.id = api_tokens.created_by AND "
                "a.role = 'manager' AND a.status = 'active') AS maker_stands FROM api_tokens "
                "WHERE tenant_id = $1 AND token_hash = $2",
            stx_.tenant_id(),
            secret_hash
        )
    );
    return Found{from_row(row), row.text("tenant_status"), row.i64("maker_stands") == 1};
}

Result<void> TokenStore::record_use(ApiTokenId id, Instant at, const std::string& address) {
    YOYAKU_TRY(stx_.tx().exec(
        "UPDATE api_tokens SET last_used_at = $3, last_used_address = $4 WHERE tenant_id = $1 AND "
        "id = $2",
        stx_.tenant_id(),
        id,
        to_micros(at),
        address
    ));
    return {};
}

}  // namespace yoyaku::accounts
