#pragma once
// The `staff_scopes` table: the resources and offerings a manager limited a staff member to,
// one row for each. No rows: not limited.

#include <map>

#include "core/ids.hpp"
#include "core/result.hpp"
#include "core/time.hpp"
#include "domain/access/staff_scope.hpp"
#include "storage/database.hpp"

namespace yoyaku::accounts {

class StaffScopeStore {
public:
    explicit StaffScopeStore(storage::ScopedTx& stx) : stx_(stx) {}

    /// The account's scope (empty when not limited).
    Result<access::StaffScope> find(AccountId account);
    /// Every limited account's scope.
    Result<std::map<AccountId, access::StaffScope>> list();
    /// Makes `scope` the account's scope (empty: lifts the limit).
    Result<void> replace(AccountId account, const access::StaffScope& scope, Instant now);

private:
    storage::ScopedTx& stx_;
};

}  // namespace yoyaku::accounts
