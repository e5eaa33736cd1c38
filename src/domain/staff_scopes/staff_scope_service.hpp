#pragma once
// Staff rights per resource (SPEC S6): a manager limits a staff member to chosen resources
// and offerings (access::StaffScope says what that covers). The scope is read at every
// authentication (AuthService), so a change applies to the staff member's next request.

#include <map>

#include "core/ids.hpp"
#include "core/result.hpp"
#include "core/time.hpp"
#include "domain/access/staff_scope.hpp"
#include "domain/audit/audit.hpp"
#include "storage/database.hpp"

namespace yoyaku::staff_scopes {

/// At most this many resources and offerings together in one scope.
inline constexpr std::size_t kMaxScope = 200;

class StaffScopeService {
public:
    StaffScopeService(storage::Database& db, const Clock& clock) : db_(db), clock_(clock) {}

    /// Every limited staff member's scope; accounts not listed are not limited.
    Result<std::map<AccountId, access::StaffScope>> list(TenantId tenant);
    /// Errors: not_found (the tenant has no staff member with this id).
    Result<access::StaffScope> find(TenantId tenant, AccountId staff);
    /// Makes `scope` the staff member's (empty: lifts the limit), audited as
    /// staff.scope_changed with the ids before and after. Errors: not_found (no staff member
    /// with this id: managers are never limited), invalid_input ("resource_ids[i]" or
    /// "offering_ids[i]": not one of the tenant's; "resource_ids": more than kMaxScope).
    Result<access::StaffScope> set(
        TenantId tenant,
        AccountId staff,
        access::StaffScope scope,
        const audit::Actor& actor,
        const audit::Origin& origin
    );

private:
    storage::Database& db_;
    const Clock& clock_;
};

}  // namespace yoyaku::staff_scopes
