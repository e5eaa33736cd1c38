#pragma once
// The `accounts` table as other modules read it inside their transactions. The account
// service's own statements are still in account_service.cpp (ADR 0016: moving into this store).

#include "core/result.hpp"
#include "storage/database.hpp"

namespace yoyaku::accounts {

class AccountStore {
public:
    explicit AccountStore(storage::ScopedTx& stx) : stx_(stx) {}

    /// Whether the scoped tenant has an account with this id (any role, any status).
    Result<bool> exists(AccountId id);

private:
    storage::ScopedTx& stx_;
};

}  // namespace yoyaku::accounts
