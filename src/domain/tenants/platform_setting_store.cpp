#include "domain/tenants/platform_setting_store.hpp"

namespace yoyaku::tenants {

Result<std::optional<std::string>> PlatformSettingStore::find(const std::string& key) {
    YOYAKU_TRY_ASSIGN(
        auto rows, tx_.query("SELECT value FROM platform_settings WHERE key = $1", key)
    );
    if (rows.empty()) return std::optional<std::string>();
    return std::optional<std::string>(rows.front().text("value"));
}

Result<void> PlatformSettingStore::upsert(
    const std::string& key, const std::string& value, Instant at
) {
    YOYAKU_TRY(tx_.exec(
        "INSERT INTO platform_settings(key, value, updated_at) VALUES ($1, $2, $3) ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
        key,
        value,
        to_micros(at)
    ));
    return {};
}

}  // namespace yoyaku::tenants
