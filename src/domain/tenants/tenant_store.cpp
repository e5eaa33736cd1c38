#include "domain/tenants/tenant_store.hpp"

namespace yoyaku::tenants {

Result<Profile> TenantStore::find_profile() {
    YOYAKU_TRY_ASSIGN(
        auto row,
        stx_.tx().query_one(
            "SELECT code, name, time_zone, locale FROM tenants WHERE id = $1", stx_.tenant_id()
        )
    );
    return Profile{row.text("code"), row.text("name"), row.text("time_zone"), row.text("locale")};
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
