#pragma once
// The `accounts` table as other modules read it inside their transactions. The account
// service's own statements are still in account_service.cpp (ADR 0016: moving into this store).

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/ids.hpp"
#include "core/result.hpp"
#include "core/time.hpp"
#include "storage/database.hpp"
#include "storage/sealed_column.hpp"

namespace yoyaku::accounts {

/// An account found by its address: its id and chosen language (none: the tenant's).
struct EmailOwner {
    AccountId id;
    std::optional<std::string> locale;
};

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

    /// The account holding one of the address's indexes (`active_only`: an active one).
    Result<std::optional<EmailOwner>> find_by_email_indexes(
        const std::vector<std::string>& indexes, bool active_only
    );
    Result<void> update_locale(AccountId id, const std::string& locale);
    /// Its address is proven (the first time counts).
    Result<void> update_email_verified(AccountId id, Instant now);

    /// Whether the scoped tenant has an account with this id (any role, any status).
    Result<bool> exists(AccountId id);

    /// The account's role ("manager", "staff", …); nullopt when the tenant has no such account.
    Result<std::optional<std::string>> role_of(AccountId id);

    /// The role and the sealed address of an account; nullopt when there is none.
    struct Sealed {
        std::string role;
        std::string email_sealed;
    };
    Result<std::optional<Sealed>> find_sealed_email(AccountId id);
    /// The accounts whose address has any of these blind indexes: id and role.
    Result<std::vector<std::pair<AccountId, std::string>>> list_by_email_index(
        const std::vector<std::string>& indexes
    );
    /// Deletes the account (its sessions, factors, tokens and feeds follow it); false when
    /// there was none.
    Result<bool> remove(AccountId id);

    /// The account's sealed LINE user id; nullopt when it has none (or there is no account).
    Result<std::optional<std::string>> find_line_user_sealed(AccountId id);
    /// Links a customer account to a LINE user (sealed); false when there is no such customer.
    Result<bool> update_line_user(AccountId id, const std::string& sealed);
    /// Unlinks it; false when it was not linked.
    Result<bool> clear_line_user(AccountId id);

    /// What a password check needs to know of an account. Errors: not_found.
    struct PasswordState {
        std::string hash;  ///< empty: no password set
        std::string role;
        std::string status;
        std::optional<Instant> locked_until;
    };
    Result<PasswordState> password_state(AccountId id);
    /// Counts one more wrong password; the failures in a row so far.
    Result<std::int64_t> count_failure(AccountId id);
    /// Locks the account until `until` and starts its count again.
    Result<void> lock(AccountId id, Instant until);
    /// A right password: the count starts again.
    Result<void> clear_failures(AccountId id);

private:
    storage::ScopedTx& stx_;
};

}  // namespace yoyaku::accounts
