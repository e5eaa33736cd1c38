#include "domain/accounts/account_store.hpp"

namespace yoyaku::accounts {

Result<bool> AccountStore::exists(AccountId id) {
    YOYAKU_TRY_ASSIGN(
        auto rows,
        stx_.tx().query(
            "SELECT id FROM accounts WHERE tenant_id = $1 AND id = $2", stx_.tenant_id(), id
        )
    );
    return !rows.empty();
}

}  // namespace yoyaku::accounts
