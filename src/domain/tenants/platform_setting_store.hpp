#pragma once
// The `platform_settings` table: the platform's own state by key (maintenance mode, the last
// self-check), outside any tenant.

#include <optional>
#include <string>

#include "core/result.hpp"
#include "core/time.hpp"
#include "storage/database.hpp"

namespace yoyaku::tenants {

class PlatformSettingStore {
public:
    explicit PlatformSettingStore(storage::Tx& tx) : tx_(tx) {}

    /// The value of `key`; nullopt when it was never set.
    Result<std::optional<std::string>> find(const std::string& key);
    /// Sets `key` to `value` (made or replaced).
    Result<void> upsert(const std::string& key, const std::string& value, Instant at);

private:
    storage::Tx& tx_;
};

}  // namespace yoyaku::tenants
