#include "domain/tenants/sealed_settings.hpp"

#include "crypto/random.hpp"
#include "crypto/sealing.hpp"
#include "domain/tenants/tenant_setting_store.hpp"

namespace yoyaku::tenants {
namespace {

std::string setting_context(TenantId tenant, std::string_view key) {
    return crypto::field_context(tenant, "tenant_settings", key, 0);
}

}  // namespace

Result<std::optional<std::string>> open_setting(
    storage::ScopedTx& stx, crypto::Keyring& keys, std::string_view key
) {
    YOYAKU_TRY_ASSIGN(const auto setting, TenantSettingStore(stx).find(std::string(key)));
    if (!setting) return std::optional<std::string>();
    YOYAKU_TRY_ASSIGN(auto k, keys.tenant_keys(stx.tenant_id()));
    auto sealed = crypto::from_base64(setting->value);
    if (!sealed) return Error::internal("a sealed setting is garbled");
    auto opened = k.open(*sealed, setting_context(stx.tenant_id(), key));
    if (!opened) return Error::internal("a sealed setting does not open");
    return std::optional<std::string>(std::move(*opened));
}

Result<void> seal_setting(
    storage::ScopedTx& stx,
    const crypto::TenantKeys& keys,
    std::string_view key,
    std::string_view value,
    Instant now
) {
    return TenantSettingStore(stx).upsert(
        std::string(key),
        crypto::to_base64(crypto::seal(keys.seal, value, setting_context(stx.tenant_id(), key))),
        now
    );
}

}  // namespace yoyaku::tenants
