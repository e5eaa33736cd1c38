#pragma once
// A tenant's secret settings (LINE's channel token and secrets, Zoom's credentials): kept in
// `tenant_settings` sealed under the tenant's data key (kSealedSettings), opened only for the
// call that needs them.

#include <optional>
#include <string>
#include <string_view>

#include "core/result.hpp"
#include "core/time.hpp"
#include "crypto/keyring.hpp"
#include "storage/database.hpp"

namespace yoyaku::tenants {

/// The scoped tenant's sealed setting `key`, opened; nullopt when unset. Errors: internal when
/// it does not open.
Result<std::optional<std::string>> open_setting(
    storage::ScopedTx& stx, crypto::Keyring& keys, std::string_view key
);
/// Seals `value` as the scoped tenant's setting `key` (made or replaced).
Result<void> seal_setting(
    storage::ScopedTx& stx,
    const crypto::TenantKeys& keys,
    std::string_view key,
    std::string_view value,
    Instant now
);

}  // namespace yoyaku::tenants
