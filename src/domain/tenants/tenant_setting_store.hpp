#pragma once
// The `tenant_settings` table: a tenant's settings by key (security policy, LINE channel…),
// each a text value with the time it was last set.

#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "core/time.hpp"
#include "storage/database.hpp"

namespace yoyaku::tenants {

struct Setting {
    std::string key;
    std::string value;
    Instant updated_at{};
};

/// The settings whose value is sealed under the tenant's key (base64 of crypto::seal, bound to
/// field_context(tenant, "tenant_settings", key, 0)): key rotation seals them again.
inline constexpr std::string_view kSealedSettings[] = {
    "line.channel_token", "line.channel_secret", "line.login_secret", "zoom.credentials"};

class TenantSettingStore {
public:
    explicit TenantSettingStore(storage::ScopedTx& stx) : stx_(stx) {}

    /// Every setting of the scoped tenant, by key.
    Result<std::vector<Setting>> list();
    Result<std::optional<Setting>> find(const std::string& key);
    /// Sets `key` to `value` (made or replaced).
    Result<void> upsert(const std::string& key, const std::string& value, Instant at);
    /// Replaces `key`'s value only if it still is `was` (its time unchanged: a re-sealing, not
    /// a new setting); false when it changed meanwhile.
    Result<bool> update_if(
        const std::string& key, const std::string& was, const std::string& value
    );
    /// Removes `key`; false when it was not set.
    Result<bool> remove(const std::string& key);

private:
    storage::ScopedTx& stx_;
};

}  // namespace yoyaku::tenants
