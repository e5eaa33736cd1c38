#pragma once
// The `accounts` table as other modules read it inside their transactions. The account
// service's own statements are still in account_service.cpp (ADR 0016: moving into this store).

#include "core/result.hpp"
#include "storage/database.hpp"
#include "storage/sealed_column.hpp"

namespace yoyaku::accounts {

class AccountStore {
public:
    explicit AccountStore(storage::ScopedTx& stx) : stx_(stx) {}

    /// The sealed columns of `accounts`: the address (its blind index in email_index), the
    /// name, the TOTP secret (bound as "totp_pending" until confirmed) and the LINE user id.
    static constexpr storage::SealedColumn kSealed[] = {
        {"accounts", "email_sealed", "email", storage::SealedIndex::email},
        {"accounts", "name_sealed", "name"},
        {"accounts",
         "totp_sealed",
         "",
         storage::SealedIndex::none,
         "CASE WHEN totp_enabled_at IS NULL THEN 'totp_pending' ELSE 'totp' END"},
        {"accounts", "line_user_sealed", "line_user"},
    };

    /// Whether the scoped tenant has an account with this id (any role, any status).
    Result<bool> exists(AccountId id);

private:
    storage::ScopedTx& stx_;
};

}  // namespace yoyaku::accounts
