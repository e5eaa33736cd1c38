#pragma once
// The `user_classes` table and the class column of customer accounts (`accounts.user_class_id`).

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "core/time.hpp"
#include "domain/user_classes/user_class.hpp"
#include "storage/database.hpp"

namespace yoyaku::user_classes {

/// Reads and writes one tenant's classes inside the caller's transaction. Errors: the
/// storage port's (unavailable, internal); not_found where a row must exist.
class UserClassStore {
public:
    explicit UserClassStore(storage::ScopedTx& stx) : stx_(stx) {}

    /// In id order.
    Result<std::vector<UserClass>> list();
    /// Errors: not_found.
    Result<UserClass> find_by_id(UserClassId id);
    /// The class of customer `account`, if it has one.
    Result<std::optional<UserClass>> find_by_account(AccountId account);
    Result<UserClassId> insert(const UserClass& c, Instant now);
    /// Errors: not_found.
    Result<void> update(const UserClass& c);
    /// Deletes the class; its members keep none.
    Result<void> remove(UserClassId id);
    /// Customer account → class, for the customers that have one.
    Result<std::map<AccountId, UserClassId>> list_members();
    /// Sets (or clears) the class of customer `account`. Errors: not_found (no such customer).
    Result<void> update_account_class(AccountId account, std::optional<UserClassId> id);
    /// Customer account → its tags (customer_tags), for the customers that have any, in order.
    Result<std::map<AccountId, std::vector<std::string>>> list_tags();
    /// Replaces the tags of customer `account`; false (nothing changed) when there is no such
    /// customer.
    Result<bool> replace_tags(AccountId account, const std::vector<std::string>& tags, Instant now);

private:
    storage::ScopedTx& stx_;
};

}  // namespace yoyaku::user_classes
