#include "domain/tenants/tenant_setting_store.hpp"

namespace yoyaku::tenants {
namespace {

Setting setting_from(const storage::Row& r) {
    return {r.text("key"), r.text("value"), from_micros(r.i64("updated_at"))};
}

}  // namespace

Result<std::vector<Setting>> TenantSettingStore::list() {
    YOYAKU_TRY_ASSIGN(
        auto rows,
        stx_.tx().query(
            "SELECT key, value, updated_at FROM tenant_settings WHERE tenant_id = $1 ORDER BY key",
            stx_.tenant_id()
        )
    );
    std::vector<Setting> out;
    out.reserve(rows.size());
    for (const auto& r : rows) out.push_back(setting_from(r));
    return out;
}

Result<std::optional<Setting>> TenantSettingStore::find(const std::string& key) {
    YOYAKU_TRY_ASSIGN(
        auto rows,
        stx_.tx().query(
            "SELECT key, value, updated_at FROM tenant_settings WHERE tenant_id = $1 AND key = $2",
            stx_.tenant_id(),
            key
        )
    );
    if (rows.empty()) return std::optional<Setting>();
    return std::optional<Setting>(setting_from(rows.front()));
}

Result<void> TenantSettingStore::upsert(
    const std::string& key, const std::string& value, Instant at
) {
    YOYAKU_TRY(stx_.tx().exec(
        "INSERT INTO tenant_settings(tenant_id, key, value, updated_at) VALUES ($1, $2, $3, $4) ON CONFLICT (tenant_id, key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
        stx_.tenant_id(),
        key,
        value,
        to_micros(at)
    ));
    return {};
}

Result<bool> TenantSettingStore::remove(const std::string& key) {
    YOYAKU_TRY_ASSIGN(
        const auto n,
        stx_.tx().exec(
            "DELETE FROM tenant_settings WHERE tenant_id = $1 AND key = $2", stx_.tenant_id(), key
        )
    );
    return n > 0;
}

Result<bool> TenantSettingStore::update_if(
    const std::string& key, const std::string& was, const std::string& value
) {
    YOYAKU_TRY_ASSIGN(
        const auto n,
        stx_.tx().exec(
            "UPDATE tenant_settings SET value = $3 WHERE tenant_id = $1 AND key = $2 AND value = $4",
            stx_.tenant_id(),
            key,
            value,
            was
        )
    );
    return n == 1;
}

}  // namespace yoyaku::tenants
