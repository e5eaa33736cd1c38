#pragma once
// The `accounts` table: every statement on it (the account service's, sign-in's, the second
// factor's, and what other modules read of an account inside their transactions). Platform
// operators are the accounts of tenant 0 (kPlatform): a ScopedTx of that scope reaches them.

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

/// An account's row as stored, its name and address still sealed.
struct AccountRow {
    AccountId id;
    TenantId tenant;
    std::string role;
    std::string status;
    std::string email_sealed;
    std::string name_sealed;
    bool has_password = false;
    int failed_logins = 0;
    std::optional<Instant> locked_until;
    Instant created_at{};
    std::optional<Instant> last_login_at;
    bool email_verified = false;
    std::optional<std::string> locale;
};

/// A new account's row; its name and address are sealed afterwards, under its own id.
struct NewAccountRow {
    std::string role;
    std::string email_index;
    std::optional<std::string> password_hash;
    bool verified = false;  ///< the address is proven already
};

/// What signing in with a password reads of the account holding an address.
struct LoginRow {
    AccountId id;
    std::string role;
    std::string status;
    std::string password_hash;  ///< empty: no password set
    int failed_logins = 0;
    std::optional<Instant> locked_until;
    bool totp_enabled = false;
    bool email_verified = false;
};

/// What the second step of a sign-in reads of an account with TOTP on.
struct TotpRow {
    std::string role;
    std::string status;
    std::string totp_sealed;
    std::optional<Instant> locked_until;
};

class AccountStore {
public:
    explicit AccountStore(storage::ScopedTx& stx) : stx_(stx) {}

    /// The sealed columns of `accounts`: the address (its blind index in email_index), the
    /// name, the TOTP secret (bound as "totp_pending" until confirmed) and the LINE user id (its
    /// blind index in line_user_index).
    static constexpr storage::SealedColumn kSealed[] = {
        {"accounts", "email_sealed", "email", storage::SealedIndex::email},
        {"accounts", "name_sealed", "name"},
        {"accounts",
         "totp_sealed",
         "",
         storage::SealedIndex::none,
         "CASE WHEN totp_enabled_at IS NULL THEN 'totp_pending' ELSE 'totp' END"},
        {"accounts",
         "line_user_sealed",
         "line_user",
         storage::SealedIndex::email,
         "''",
         "line_user_index"},
    };

    /// The account holding one of the address's indexes (`active_only`: an active one).
    Result<std::optional<EmailOwner>> find_by_email_indexes(
        const std::vector<std::string>& indexes, bool active_only
    );
    /// Its language for messages (none: the tenant's).
    Result<void> update_locale(AccountId id, std::optional<std::string> locale);
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
    /// The account linked to the LINE user of one of `indexes` (its blind index under each
    /// key generation), if any.
    Result<std::optional<AccountId>> find_by_line_indexes(const std::vector<std::string>& indexes);
    /// Links a customer account to a LINE user (sealed, with its blind index) and clears the
    /// request to link again; false when there is no such customer.
    Result<bool> update_line_user(
        AccountId id, const std::string& sealed, const std::string& index
    );
    /// Unlinks it; false when it was not linked.
    Result<bool> clear_line_user(AccountId id);
    /// Whether the account's owner is asked to link LINE again (a typed link was dropped) and
    /// whether its LINE user unfollowed the official account (pushes stop).
    struct LineFlags {
        bool relink = false;
        bool blocked = false;
        std::string channel = "both";  ///< where booking messages go: mail, line or both
        bool announcements = true;     ///< takes the venue's segment messages
    };
    Result<LineFlags> line_flags(AccountId id);
    /// Records that the account's LINE user unfollowed (true) or followed again (false).
    Result<void> set_line_blocked(AccountId id, bool blocked);
    /// Where the account's booking messages go ("mail", "line" or "both"); false when there
    /// is no such customer.
    Result<bool> update_notify_channel(AccountId id, const std::string& channel);
    /// Whether customer `id` takes segment messages. False when there is no such customer.
    Result<bool> update_announcements(AccountId id, bool on);

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

    /// The account's row; nullopt when the scoped tenant has none with this id.
    Result<std::optional<AccountRow>> find(AccountId id);
    /// The accounts (of one role when given), by id.
    Result<std::vector<AccountRow>> list(std::optional<std::string> role);
    /// Inserts an active account with placeholder sealed fields. Errors: conflict (field
    /// "email") when the address's current index is taken.
    Result<AccountId> insert(const NewAccountRow& row, Instant now);
    Result<void> update_sealed(AccountId id, const std::string& email, const std::string& name);
    Result<void> update_name(AccountId id, const std::string& name_sealed);
    Result<void> update_role(AccountId id, std::string_view role);
    Result<void> update_status(AccountId id, std::string_view status);
    /// The active managers other than `id`.
    Result<std::int64_t> count_other_active_managers(AccountId id);

    /// The account holding one of the address's indexes (the first), as sign-in reads it.
    Result<std::optional<LoginRow>> find_for_login(const std::vector<std::string>& indexes);
    /// A sign-in succeeded: the failure count and any lock end, the time is kept.
    Result<void> record_sign_in(AccountId id, Instant now);
    /// The password hash again (a stronger cost), nothing else.
    Result<void> update_password_hash(AccountId id, const std::string& hash);
    /// A password the account's owner chose while signed in.
    Result<void> update_password(AccountId id, const std::string& hash, Instant now);
    /// A password set or reset with a mailed link: failures and lock cleared, and the
    /// address proven by the link.
    Result<void> reset_password(AccountId id, const std::string& hash, Instant now);

    /// Whether two-step sign-in is on. Errors: not_found.
    Result<bool> totp_enabled(AccountId id);
    /// The second step's view of an account with TOTP on; nullopt when it is off or there is
    /// no such account.
    Result<std::optional<TotpRow>> find_totp(AccountId id);
    /// Accepts a TOTP time step once: false unless it is later than the last one accepted.
    Result<bool> claim_totp_step(AccountId id, std::int64_t step);
    /// The sealed secret of a pending enrolment (nullopt: none pending, or TOTP is on).
    /// Errors: not_found.
    Result<std::optional<std::string>> find_pending_totp(AccountId id);
    /// Stores a pending secret (sealed as "totp_pending") unless TOTP is on already.
    Result<void> update_pending_totp(AccountId id, const std::string& sealed);
    /// Turns TOTP on with its secret (sealed as "totp") and the time step just accepted.
    Result<void> enable_totp(
        AccountId id, const std::string& sealed, Instant now, std::int64_t step
    );
    /// Turns TOTP off and forgets the secret.
    Result<void> clear_totp(AccountId id);

private:
    storage::ScopedTx& stx_;
};

}  // namespace yoyaku::accounts
