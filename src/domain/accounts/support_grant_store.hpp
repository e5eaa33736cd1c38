#pragma once
// The `support_grants` table: operators' time-boxed, audited access to a tenant (platform
// level, outside any tenant scope).

#include <optional>
#include <string>
#include <vector>

#include "core/ids.hpp"
#include "core/result.hpp"
#include "core/time.hpp"
#include "domain/accounts/support_service.hpp"
#include "storage/database.hpp"

namespace yoyaku::accounts {

/// An operator's live grant to a tenant, as entering the tenant needs it.
struct LiveGrant {
    SupportGrantId id;
    std::string tenant_status;  ///< active, suspended, terminated
};

class SupportGrantStore {
public:
    explicit SupportGrantStore(storage::Tx& tx) : tx_(tx) {}

    Result<SupportGrant> insert(
        TenantId tenant,
        AccountId operator_id,
        const std::string& reason,
        Instant now,
        Instant expires_at
    );
    /// Ends the operator's live grants to the tenant; their ids.
    Result<std::vector<SupportGrantId>> update_ended(
        TenantId tenant, AccountId operator_id, Instant now
    );
    /// The tenant's grants, newest first.
    Result<std::vector<SupportGrant>> list(TenantId tenant);
    /// The operator's newest live grant to the tenant, with the tenant's status.
    Result<std::optional<LiveGrant>> find_live(TenantId tenant, AccountId operator_id, Instant now);

private:
    storage::Tx& tx_;
};

}  // namespace yoyaku::accounts
