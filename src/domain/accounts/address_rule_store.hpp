#pragma once
// The platform's `address_rules` (blocked and allowed client networks, by operators or
// automatic) and `login_attempts` (every sign-in's outcome, for stuffing detection) tables.

#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "core/time.hpp"
#include "domain/accounts/login_defence.hpp"
#include "storage/database.hpp"

namespace yoyaku::accounts {

class AddressRuleStore {
public:
    explicit AddressRuleStore(storage::Tx& tx) : tx_(tx) {}

    /// The rules not expired at `now`, newest first (rows whose network does not parse left
    /// out; the table's CHECK keeps them well-formed).
    Result<std::vector<AddressRule>> list_live(Instant now);
    /// Whether an automatic block of exactly `cidr` is live at `now`.
    Result<bool> automatic_block_live(const std::string& cidr, Instant now);
    /// A new rule (`automatic`: made by the login defence, else by an operator); its id.
    Result<AddressRuleId> insert(
        RuleKind kind,
        const std::string& cidr,
        const std::string& reason,
        bool automatic,
        Instant now,
        std::optional<Instant> expires_at
    );
    /// Deletes a rule; what it was (kind and network), nullopt when there was none.
    Result<std::optional<std::pair<RuleKind, std::string>>> remove(AddressRuleId id);

private:
    storage::Tx& tx_;
};

class LoginAttemptStore {
public:
    explicit LoginAttemptStore(storage::Tx& tx) : tx_(tx) {}

    Result<void> insert(
        TenantId tenant,
        const std::string& subject,
        const std::string& client,
        Instant at,
        const std::string& result
    );
    /// How many accounts `client` failed to sign in to since `since`.
    Result<std::int64_t> count_failed_subjects(const std::string& client, Instant since);

private:
    storage::Tx& tx_;
};

}  // namespace yoyaku::accounts
