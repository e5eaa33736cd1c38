#include "domain/accounts/support_grant_store.hpp"

namespace yoyaku::accounts {
namespace {

constexpr std::string_view kColumns =
    "id, tenant_id, operator_id, reason, created_at, expires_at, ended_at";

SupportGrant grant_from(const storage::Row& r) {
    SupportGrant g;
    g.id = r.id<SupportGrantId>("id");
    g.tenant = r.id<TenantId>("tenant_id");
    g.operator_id = r.id<AccountId>("operator_id");
    g.reason = r.text("reason");
    g.created_at = from_micros(r.i64("created_at"));
    g.expires_at = from_micros(r.i64("expires_at"));
    if (auto at = r.opt_i64("ended_at")) g.ended_at = from_micros(*at);
    return g;
}

}  // namespace

Result<SupportGrant> SupportGrantStore::insert(
    TenantId tenant,
    AccountId operator_id,
    const std::string& reason,
    Instant now,
    Instant expires_at
) {
    YOYAKU_TRY_ASSIGN(
        auto row,
        tx_.query_one(
            "INSERT INTO support_grants(tenant_id, operator_id, reason, created_at, expires_at) VALUES ($1, $2, $3, $4, $5) RETURNING " +
                std::string(kColumns),
            tenant,
            operator_id,
            reason,
            to_micros(now),
            to_micros(expires_at)
        )
    );
    return grant_from(row);
}

Result<std::vector<SupportGrantId>> SupportGrantStore::update_ended(
    TenantId tenant, AccountId operator_id, Instant now
) {
    YOYAKU_TRY_ASSIGN(
        auto rows,
        tx_.query(
            "UPDATE support_grants SET ended_at = $3 WHERE tenant_id = $1 AND operator_id = $2 AND ended_at IS NULL AND expires_at > $3 RETURNING id",
            tenant,
            operator_id,
            to_micros(now)
        )
    );
    std::vector<SupportGrantId> out;
    out.reserve(rows.size());
    for (const auto& r : rows) out.push_back(r.id<SupportGrantId>("id"));
    return out;
}

Result<std::vector<SupportGrant>> SupportGrantStore::list(TenantId tenant) {
    YOYAKU_TRY_ASSIGN(
        auto rows,
        tx_.query(
            "SELECT " + std::string(kColumns) +
                " FROM support_grants WHERE tenant_id = $1 ORDER BY id DESC",
            tenant
        )
    );
    std::vector<SupportGrant> out;
    out.reserve(rows.size());
    for (const auto& r : rows) out.push_back(grant_from(r));
    return out;
}

Result<std::optional<LiveGrant>> SupportGrantStore::find_live(
    TenantId tenant, AccountId operator_id, Instant now
) {
    YOYAKU_TRY_ASSIGN(
        auto rows,
        tx_.query(
            "SELECT g.id, t.status FROM support_grants g JOIN tenants t ON t.id = g.tenant_id WHERE g.tenant_id = $1 AND g.operator_id = $2 AND g.ended_at IS NULL AND g.expires_at > $3 ORDER BY g.id DESC LIMIT 1",
            tenant,
            operator_id,
            to_micros(now)
        )
    );
    if (rows.empty()) return std::optional<LiveGrant>();
    return std::optional<LiveGrant>(LiveGrant{
        rows.front().id<SupportGrantId>("id"), rows.front().text("status")});
}

}  // namespace yoyaku::accounts
