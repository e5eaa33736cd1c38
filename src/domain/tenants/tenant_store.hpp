#pragma once
// The `tenants` table as a tenant's own code reads it (its name, zone and language). The
// platform's lifecycle statements are still in tenants.cpp (ADR 0016: moving into this store).

#include <string>
#include <vector>

#include "core/result.hpp"
#include "storage/database.hpp"

namespace yoyaku::tenants {

/// What domain code needs to know about the tenant it acts for.
struct Profile {
    std::string code;
    std::string name;
    std::string time_zone;  ///< IANA zone
    std::string locale;     ///< ja | en
};

class TenantStore {
public:
    explicit TenantStore(storage::ScopedTx& stx) : stx_(stx) {}

    /// The scoped tenant's profile. Errors: not_found.
    Result<Profile> find_profile();

private:
    storage::ScopedTx& stx_;
};

/// The active tenants, by id: platform-level work (the scheduler's passes) outside any scope.
Result<std::vector<TenantId>> list_active_tenants(storage::Tx& tx);

}  // namespace yoyaku::tenants
