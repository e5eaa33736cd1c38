#pragma once
// Accounts (SPEC "Who uses it", S1): operators of the platform and the managers, staff and
// customers of each tenant. An account lives in its tenant's scope (tenant 0: operators), so a
// scoped query never sees another tenant's people. Emails and names are sealed (S11); look-up
// goes through a keyed blind index of the normalised email.

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/ids.hpp"
#include "core/result.hpp"
#include "core/time.hpp"
#include "crypto/keyring.hpp"
#include "crypto/password.hpp"
#include "domain/access/permissions.hpp"
#include "domain/audit/audit.hpp"
#include "storage/database.hpp"

namespace yoyaku::accounts {

struct AccountRow;  // account_store.hpp

/// The platform's own scope: operators' accounts and sessions.
inline constexpr TenantId kPlatform{0};

enum class Status { active, disabled };
std::string_view to_string(Status s) noexcept;

struct Account {
    AccountId id;
    TenantId tenant{0};
    access::Role role = access::Role::customer;
    Status status = Status::active;
    std::string email;  ///< opened from its sealed form
    std::string name;
    bool has_password = false;  ///< false until the set-up link is used
    int failed_logins = 0;
    bool email_verified = true;  ///< false for a customer who signed up and has not confirmed
    std::optional<Instant> locked_until;
    Instant created_at{};
    std::optional<Instant> last_login_at;
    std::string locale;  ///< "ja" or "en" for its mail; empty: the tenant's language
};

/// Trims, applies NFKC and lower-cases; checks the shape (one '@', 1–64 before it, a dotted
/// domain, 3–254 bytes, no spaces, control characters or any of <>()[],;:"\).
/// Errors: invalid_input on `field`.
Result<std::string> normalize_email(std::string_view email, std::string_view field = "email");

struct NewAccount {
    access::Role role = access::Role::staff;
    std::string email;
    std::string name;
    std::optional<std::string> password;  ///< none: the account gets a set-up link
};

struct Created {
    Account account;
    /// "<tenant>.<secret>": the single-use set-up token when no password was given (72 h).
    std::optional<std::string> setup_token;
};

/// The services' tunable parts; the defaults are the SPEC's.
struct AccountOptions {
    std::chrono::hours setup_token_ttl{72};
    std::chrono::hours verify_token_ttl{48};
    std::chrono::minutes reset_token_ttl{60};
    /// Base of the links in mail, e.g. "https://booking.example.jp".
    std::string public_url = "http://127.0.0.1:8080";
};

/// What a customer gives to sign up.
struct SignUp {
    std::string email;
    std::string name;
    std::string password;
    std::string locale;  ///< "ja", "en" or empty (the tenant's): the language of its mail
    /// Signing up through LINE Login: no password (LINE signs the owner in).
    bool without_password = false;
    /// Runs in the sign-up's transaction once a new account exists (not when the address was
    /// taken): LINE Login links the proven LINE user there.
    std::function<Result<void>(storage::ScopedTx&, AccountId)> on_created;
};

/// Errors: invalid_input on "locale" unless empty, "ja" or "en".
Result<void> check_locale(std::string_view locale);

/// Account use cases. Every change writes its audit entry in the same transaction.
class AccountService {
public:
    AccountService(
        storage::Database& db,
        crypto::Keyring& keys,
        const crypto::PasswordHasher& hasher,
        const Clock& clock,
        AccountOptions options = {}
    );

    /// Creates an account in `tenant` (kPlatform for operators, where the role must be
    /// operator; elsewhere manager, staff or customer). Errors: invalid_input (email, name,
    /// password, role), conflict on field email when the email is taken in that scope,
    /// not_found when the tenant does not exist.
    Result<Created> create(
        TenantId tenant,
        const NewAccount& input,
        const audit::Actor& actor,
        const audit::Origin& origin
    );
    /// The same inside the caller's transaction, already bound to `tenant` (a tenant created
    /// together with its first manager). A given password is hashed inside that transaction.
    Result<Created> create(
        storage::Tx& tx,
        TenantId tenant,
        const NewAccount& input,
        const audit::Actor& actor,
        const audit::Origin& origin
    );

    /// Errors: not_found.
    Result<Account> find(TenantId tenant, AccountId id);
    /// Accounts of a tenant, optionally of one role, ordered by id.
    Result<std::vector<Account>> list(TenantId tenant, std::optional<access::Role> role);

    /// manager ⇄ staff. Ends the account's sessions (its rights changed). Errors: not_found,
    /// invalid_input (role), unprocessable when it would leave no active manager.
    Result<Account> change_role(
        TenantId tenant,
        AccountId id,
        access::Role role,
        const audit::Actor& actor,
        const audit::Origin& origin
    );
    /// Disables (ends its sessions) or enables. Errors as change_role.
    Result<Account> change_status(
        TenantId tenant,
        AccountId id,
        Status status,
        const audit::Actor& actor,
        const audit::Origin& origin
    );
    /// Deletes the account and its sessions. Errors as change_role.
    Result<void> remove(
        TenantId tenant, AccountId id, const audit::Actor& actor, const audit::Origin& origin
    );
    /// Changes the name the account's owner goes by (1–100 characters, one line) and/or the
    /// language of its mail ("ja", "en", or "" for the tenant's). Errors: not_found,
    /// invalid_input on "name" or "locale".
    Result<Account> update_profile(
        TenantId tenant,
        AccountId id,
        std::optional<std::string_view> name,
        std::optional<std::string_view> locale,
        const audit::Actor& actor,
        const audit::Origin& origin
    );
    /// Lifts a lockout. Errors: not_found.
    Result<Account> unlock(
        TenantId tenant, AccountId id, const audit::Actor& actor, const audit::Origin& origin
    );

    /// Uses a set-up or reset token: sets the password and ends every session of the account.
    /// Errors: invalid_input on "token" when unknown, used or expired (one message for all);
    /// invalid_input on "password" when the policy refuses it.
    Result<Account> redeem_password_token(
        std::string_view token, std::string_view new_password, const audit::Origin& origin
    );
    /// Replaces the password of an account whose owner has just proved the current one
    /// (`current`, NFKC: AuthService::change_password checks it under the sign-in defences);
    /// ends the account's other sessions (`keep_session`: the public id of the caller's).
    /// Errors: invalid_input on "password" when the policy refuses the new one.
    Result<void> replace_password(
        TenantId tenant,
        AccountId account_id,
        std::string_view current,
        std::string_view new_password,
        std::string_view keep_session,
        const audit::Origin& origin
    );

    /// Customer sign-up. Answers the same whether or not the email is taken (no enumeration):
    /// a new address gets an inactive account and a confirmation link (48 h); a taken one gets
    /// a mail saying so. The password is hashed in both cases. Errors: invalid_input (email,
    /// name, password), unprocessable when the tenant is not active, not_found (tenant).
    Result<void> sign_up(TenantId tenant, const SignUp& input, const audit::Origin& origin);
    /// Confirms the address with the emailed token. Errors: invalid_input on "token".
    Result<Account> verify_email(std::string_view token, const audit::Origin& origin);
    /// Mails a reset link (60 min, single use; older unused links stop working) to an active
    /// account, or a note that no account uses the address. Answers the same either way.
    /// Errors: invalid_input on "email"; not_found (tenant).
    Result<void> request_password_reset(
        TenantId tenant, std::string_view email, const audit::Origin& origin
    );
    /// Queues a security alert to `account`'s owner in the caller's transaction ("your
    /// two-step sign-in was turned off", …) with time and client address.
    Result<void> alert(
        storage::Tx& tx,
        const Account& account,
        std::string_view change_ja,
        std::string_view change_en,
        const audit::Origin& origin,
        Instant at
    );

    /// The blind index an email gets in `tenant` (under its current key generation).
    Result<std::string> email_index(TenantId tenant, std::string_view normalized_email);
    /// The indexes an email is looked up by: under each key generation, current first.
    Result<std::vector<std::string>> email_indexes(
        TenantId tenant, std::string_view normalized_email
    );

private:
    friend class AuthService;
    struct Prepared {
        access::Role role;
        std::string email;
        std::string name;
        std::optional<std::string> password_hash;
        bool verified = true;  ///< false: a sign-up waiting for its confirmation link
    };
    /// Checks the input and hashes the password: the slow part, done before any transaction.
    Result<Prepared> prepare(TenantId tenant, const NewAccount& input) const;
    Result<Created> insert(
        storage::Tx& tx,
        TenantId tenant,
        const Prepared& p,
        const audit::Actor& actor,
        const audit::Origin& origin
    );
    Result<Account> load(storage::Tx& tx, TenantId tenant, AccountId id);
    Result<std::vector<Account>> open_rows(TenantId tenant, const std::vector<AccountRow>& rows);
    Result<void> check_not_last_manager(storage::Tx& tx, TenantId tenant, AccountId id);

    storage::Database& db_;
    crypto::Keyring& keys_;
    const crypto::PasswordHasher& hasher_;
    const Clock& clock_;
    AccountOptions options_;
};

/// Runs `fn(tx)` in `tenant`'s scope, or unscoped for kPlatform (operators live there).
template <class F>
auto in_scope(storage::Database& db, storage::Access access, TenantId tenant, F&& fn) {
    if (tenant == kPlatform) {
        return access == storage::Access::write ? db.write_platform(std::forward<F>(fn))
                                                : db.read_platform(std::forward<F>(fn));
    }
    auto scoped = [&](storage::ScopedTx& stx) { return fn(stx.tx()); };
    return access == storage::Access::write ? db.write(storage::TenantScope(tenant), scoped)
                                            : db.read(storage::TenantScope(tenant), scoped);
}

/// Appends to the audit chain of `tenant` (the platform chain for kPlatform).
Result<void> audit_in(
    storage::Tx& tx,
    TenantId tenant,
    const audit::Actor& actor,
    const audit::Origin& origin,
    const audit::Event& event,
    Instant at
);

/// "account:<id>": how audit entries name an account (actor id and target).
std::string account_target(AccountId id);

/// Splits "<tenant>.<secret>" (cookies, set-up links). nullopt when malformed.
std::optional<std::pair<TenantId, std::string>> split_token(std::string_view token);

}  // namespace yoyaku::accounts
