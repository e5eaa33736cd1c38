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

}  // namespace yoyaku::tenants
