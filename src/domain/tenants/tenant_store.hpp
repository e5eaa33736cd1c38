#pragma once
// The `tenants` table: as a tenant's own code reads it (its name, zone and language), and as
// the platform makes, finds and changes tenants.

#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "domain/tenants/tenants.hpp"
#include "storage/database.hpp"

namespace yoyaku::tenants {

/// What domain code needs to know about the tenant it acts for.
struct Profile {
    std::string code;
    std::string name;
    std::string time_zone;  ///< IANA zone
    std::string locale;     ///< ja | en
    Status status = Status::active;
};

class TenantStore {
public:
    explicit TenantStore(storage::ScopedTx& stx) : stx_(stx) {}

    /// The scoped tenant's profile. Errors: not_found.
    Result<Profile> find_profile();

private:
    storage::ScopedTx& stx_;
};

/// The platform's statements on tenants, outside any tenant scope (`change_status` runs in
/// the tenant's own scope; the row is the tenant's).
class PlatformTenantStore {
public:
    explicit PlatformTenantStore(storage::Tx& tx) : tx_(tx) {}

    /// Errors: not_found.
    Result<Tenant> find_by_id(TenantId id);
    Result<Tenant> find_by_code(const std::string& code);
    /// Every tenant, by code.
    Result<std::vector<Tenant>> list();
    /// A new active tenant. Errors: conflict when the code is taken.
    Result<Tenant> insert(const NewTenant& t, Instant now);
    /// Its new status; terminating also starts the count to its purge (`terminated_at`).
    Result<void> update_status(TenantId id, Status to, Instant now);

    /// Where a tenant's data stands after it leaves (retention, ADR 0014).
    struct Lifecycle {
        TenantId id;
        std::string code;
        Status status = Status::active;
        std::optional<Instant> terminated_at, purged_at, key_destroyed_at;
    };
    /// Every tenant's, by id.
    Result<std::vector<Lifecycle>> list_lifecycles();
    /// Its rows were purged at `now` (run in the tenant's scope: the row is the tenant's).
    Result<void> update_purged(TenantId id, Instant now);
    /// Its key was destroyed at `now`.
    Result<void> update_key_destroyed(TenantId id, Instant now);

private:
    storage::Tx& tx_;
};

/// The active tenants, by id: platform-level work (the scheduler's passes) outside any scope.
Result<std::vector<TenantId>> list_active_tenants(storage::Tx& tx);

}  // namespace yoyaku::tenants
