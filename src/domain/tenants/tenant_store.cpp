#include "domain/tenants/tenant_store.hpp"

namespace yoyaku::tenants {

Result<Profile> TenantStore::find_profile() {
    YOYAKU_TRY_ASSIGN(
        auto row,
        stx_.tx().query_one(
            "SELECT code, name, time_zone, locale, status FROM tenants WHERE id = $1",
            stx_.tenant_id()
        )
    );
    return Profile{
        row.text("code"),
        row.text("name"),
        row.text("time_zone"),
        row.text("locale"),
        parse_status(row.text("status")).value_or(Status::suspended)};
}

namespace {

constexpr std::string_view kColumns = "id, code, name, time_zone, locale, status, created_at";

Tenant from_row(const storage::Row& r) {
    Tenant t;
    t.id = r.id<TenantId>("id");
    t.code = r.text("code");
    t.name = r.text("name");
    t.time_zone = r.text("time_zone");
    t.locale = r.text("locale");
    t.status = parse_status(r.text("status")).value_or(Status::suspended);
    t.created_at = from_micros(r.i64("created_at"));
    return t;
}

Result<Tenant> one(Result<std::vector<storage::Row>> rows) {
    YOYAKU_TRY_ASSIGN(const auto found, std::move(rows));
    if (found.empty()) return Error::not_found("no such tenant");
    return from_row(found.front());
}

}  // namespace

Result<Tenant> PlatformTenantStore::find_by_id(TenantId id) {
    return one(tx_.query("SELECT " + std::string(kColumns) + " FROM tenants WHERE id = $1", id));
}

Result<Tenant> PlatformTenantStore::find_by_code(const std::string& code) {
    return one(tx_.query("SELECT " + std::string(kColumns) + " FROM tenants WHERE code = $1", code)
    );
}

Result<std::vector<Tenant>> PlatformTenantStore::list() {
    YOYAKU_TRY_ASSIGN(
        auto rows, tx_.query("SELECT " + std::string(kColumns) + " FROM tenants ORDER BY code")
    );
    std::vector<Tenant> out;
    out.reserve(rows.size());
    for (const auto& r : rows) out.push_back(from_row(r));
    return out;
}

Result<Tenant> PlatformTenantStore::insert(const NewTenant& t, Instant now) {
    YOYAKU_TRY_ASSIGN(
        auto row,
        tx_.query_one(
            "INSERT INTO tenants(code, name, time_zone, locale, status, created_at) VALUES ($1, $2, $3, $4, 'active', $5) RETURNING " +
                std::string(kColumns),
            t.code,
            t.name,
            t.time_zone,
            t.locale,
            to_micros(now)
        )
    );
    return from_row(row);
}

Result<void> PlatformTenantStore::update_status(TenantId id, Status to, Instant now) {
    YOYAKU_TRY(tx_.exec(
        "UPDATE tenants SET status = $2, terminated_at = CASE WHEN $2 = 'terminated' THEN $3 ELSE terminated_at END WHERE id = $1",
        id,
        std::string(to_string(to)),
        to_micros(now)
    ));
    return {};
}

namespace {
std::optional<Instant> opt_instant(const storage::Row& r, const char* column) {
    if (r.is_null(column)) return std::nullopt;
    return from_micros(r.i64(column));
}
}  // namespace

Result<std::vector<PlatformTenantStore::Lifecycle>> PlatformTenantStore::list_lifecycles() {
    YOYAKU_TRY_ASSIGN(
        const auto rows,
        tx_.query(
            "SELECT id, code, status, terminated_at, purged_at, key_destroyed_at FROM tenants ORDER BY id"
        )
    );
    std::vector<Lifecycle> out;
    out.reserve(rows.size());
    for (const auto& r : rows)
        out.push_back(
            {r.id<TenantId>("id"),
             r.text("code"),
             parse_status(r.text("status")).value_or(Status::suspended),
             opt_instant(r, "terminated_at"),
             opt_instant(r, "purged_at"),
             opt_instant(r, "key_destroyed_at")}
        );
    return out;
}

Result<void> PlatformTenantStore::update_purged(TenantId id, Instant now) {
    YOYAKU_TRY(tx_.exec("UPDATE tenants SET purged_at = $2 WHERE id = $1", id, to_micros(now)));
    return {};
}

Result<void> PlatformTenantStore::update_key_destroyed(TenantId id, Instant now) {
    YOYAKU_TRY(
        tx_.exec("UPDATE tenants SET key_destroyed_at = $2 WHERE id = $1", id, to_micros(now))
    );
    return {};
}

Result<std::vector<TenantId>> list_active_tenants(storage::Tx& tx) {
    YOYAKU_TRY_ASSIGN(
        auto rows, tx.query("SELECT id FROM tenants WHERE status = 'active' ORDER BY id")
    );
    std::vector<TenantId> out;
    out.reserve(rows.size());
    for (const auto& r : rows) out.push_back(r.id<TenantId>("id"));
    return out;
}

}  // namespace yoyaku::tenants
