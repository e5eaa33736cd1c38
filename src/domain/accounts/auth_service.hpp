#pragma once
// Sign-in and sessions (SPEC S3, S4). A session is a 256-bit secret held only by the client
// ("<tenant>.<secret>" in the cookie); the database keeps its BLAKE2b hash, so several nodes
// share sessions and a database copy signs nobody in. Sessions expire when idle and at an
// absolute limit, both per role and tenant-configurable.

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "core/net.hpp"
#include "domain/access/principal.hpp"
#include "domain/accounts/account_service.hpp"
#include "domain/accounts/login_defence.hpp"
#include "domain/accounts/security_policy.hpp"

namespace yoyaku::accounts {

struct LoginRow;  // account_store.hpp

/// Sensitive actions need the password confirmed this recently.
inline constexpr std::chrono::minutes kReauthenticationWindow{10};

struct SessionInfo {
    std::string id;  ///< public id (16 hex), names the session in lists and revocation
    Instant created_at{};
    Instant last_seen_at{};
    Instant idle_expires_at{};
    Instant absolute_expires_at{};
    std::string client_address;
    std::string user_agent;
    bool current = false;
};

struct SignedIn {
    /// Set instead of a session when the account uses two-step sign-in: "<tenant>.<secret>",
    /// valid 5 minutes, for complete_mfa(). token and csrf_token are then empty.
    std::string mfa_token;
    std::string token;       ///< "<tenant>.<secret>": the cookie value, shown once
    std::string csrf_token;  ///< derived from the secret; the client echoes it in X-CSRF-Token
    access::Principal principal;
    SessionInfo session;
};

struct LoginInput {
    TenantId tenant{0};  ///< kPlatform for operators
    std::string email;
    std::string password;
    audit::Origin origin;
    /// A session the client already holds (cookie), ended by a successful sign-in (rotation).
    std::string previous_token;
};

/// Which roles must use two-step sign-in (SPEC S2). The defaults are the SPEC's; tests that are
/// not about MFA turn them off.
struct AuthOptions {
    bool mfa_for_operators = true;
    bool mfa_for_managers = true;
};

/// What an authenticator app needs to enrol: scan `qr_svg` or type `secret`.
struct TotpEnrolment {
    std::string secret;  ///< base32
    std::string otpauth_uri;
    std::string qr_svg;
};

/// The CSRF token that belongs to a session token.
std::string csrf_token_for(std::string_view session_token);

class AuthService {
public:
    AuthService(
        storage::Database& db,
        AccountService& accounts,
        const crypto::PasswordHasher& hasher,
        LoginDefence& defence,
        const Clock& clock,
        AuthOptions options = {}
    );

    /// Signs in with email and password. Unknown email, wrong password, disabled account,
    /// locked account and an account without a password all answer the same unauthenticated
    /// error after the same work (one argon2id verification). Errors also: invalid_input
    /// (email), forbidden (the address is blocked), rate_limited (throttled; detail holds the
    /// seconds to wait), not_found (no such tenant, or terminated tenant with no manager).
    Result<SignedIn> login(const LoginInput& input);

    /// Signs in customer `id`, whose owner LINE Login proved (no password). Refused
    /// (unauthenticated, audited as a failed sign-in) when the account is not an active
    /// customer or is locked; forbidden on "email" until its address is confirmed; the second
    /// step is asked for when it uses TOTP. `previous_token` ends as in login().
    Result<SignedIn> sign_in_proven(
        TenantId tenant, AccountId id, const audit::Origin& origin, std::string_view previous_token
    );

    /// The principal of a session token, renewing its idle expiry (at most once a minute).
    /// Errors: unauthenticated when unknown, expired or malformed.
    /// Managers and staff of a tenant with staff networks are not signed in from elsewhere
    /// (an empty `client_address` is elsewhere).
    Result<access::Principal> authenticate(
        std::string_view token, std::string_view client_address = {}
    );

    /// Ends the session of `token` (idempotent).
    Result<void> logout(std::string_view token, const audit::Origin& origin);
    /// The account's sessions, newest first; the one of `current_token` marked.
    Result<std::vector<SessionInfo>> sessions(
        const access::Principal& who, std::string_view current_token
    );
    /// Ends one of the caller's own sessions by public id. Errors: not_found.
    Result<void> revoke(
        const access::Principal& who, std::string_view session_id, const audit::Origin& origin
    );
    /// Ends all of the caller's sessions ("log out everywhere"), the current one included.
    Result<std::int64_t> revoke_all(const access::Principal& who, const audit::Origin& origin);
    /// Confirms the password again before a sensitive action and rotates the session.
    /// The sign-in defences apply (see recheck_password). Errors: invalid_input on "password"
    /// when wrong; unauthenticated when the session is not valid from `origin`'s address.
    Result<SignedIn> reauthenticate(
        std::string_view token, std::string_view password, const audit::Origin& origin
    );
    /// Changes the caller's password after checking the current one (the sign-in defences
    /// apply, see recheck_password); ends the account's other sessions. Errors: invalid_input
    /// on "current_password" when wrong, on "password" when the policy refuses the new one.
    Result<void> change_password(
        const access::Principal& who,
        std::string_view current_password,
        std::string_view new_password,
        const audit::Origin& origin
    );

    /// True when the principal confirmed its password within kReauthenticationWindow.
    bool recently_authenticated(const access::Principal& who) const;

    /// Second step of a sign-in: a TOTP code (6 digits, each accepted once) or an unused
    /// recovery code. Wrong codes count towards the account's lockout; a challenge allows 5
    /// tries. Errors: unauthenticated (one sentence for every failure).
    Result<SignedIn> complete_mfa(
        std::string_view mfa_token, std::string_view code, const audit::Origin& origin
    );
    /// Starts (or restarts) TOTP enrolment with a fresh secret, pending until confirmed.
    /// Errors: reauthentication_required unless the password was confirmed recently;
    /// unprocessable when a factor is already on (turn it off first).
    Result<TotpEnrolment> begin_totp(const access::Principal& who, std::string_view issuer);
    /// Confirms enrolment with a code from the app; returns 10 recovery codes, shown once, and
    /// ends the account's other sessions. Errors: invalid_input on "code"; unprocessable when
    /// no enrolment is pending.
    Result<std::vector<std::string>> confirm_totp(
        const access::Principal& who, std::string_view code, const audit::Origin& origin
    );
    /// Turns TOTP off (recent password needed). Errors: unprocessable when the role requires it.
    Result<void> disable_totp(const access::Principal& who, const audit::Origin& origin);
    /// Replaces the recovery codes (recent password needed).
    Result<std::vector<std::string>> new_recovery_codes(
        const access::Principal& who, const audit::Origin& origin
    );
    /// A manager clears another account's two-step sign-in (a lost phone): its TOTP secret and
    /// recovery codes go, its sessions end, its owner is mailed; it enrols again at its next
    /// sign-in where its role requires it. Errors: not_found; unprocessable for one's own.
    Result<void> reset_totp(
        const access::Principal& who, AccountId account_id, const audit::Origin& origin
    );
    /// True when `role` must use two-step sign-in under `policy`.
    bool mfa_required(access::Role role, const SecurityPolicy& policy) const noexcept;

private:
    /// Checks `who`'s password again under the sign-in defences: refused from a blocked
    /// address, throttled per address and per account, each wrong password counted towards
    /// the account's lockout (audited as `failed_action`). Answers the NFKC password.
    /// Errors: invalid_input on `field` when wrong; forbidden (blocked address); rate_limited
    /// (throttled, locked, or the hash queue is full; detail: seconds to wait).
    Result<std::string> recheck_password(
        const access::Principal& who,
        std::string_view password,
        std::string_view field,
        std::string_view failed_action,
        const audit::Origin& origin
    );

    /// One more wrong password for account `id` (in the caller's transaction): at the
    /// policy's threshold the account is locked and `account.locked` audited (with `during`, the
    /// failed action, when given).
    Result<void> count_wrong_password(
        storage::ScopedTx& stx,
        AccountId id,
        const SecurityPolicy& policy,
        const audit::Actor& actor,
        const audit::Origin& origin,
        Instant now,
        std::string_view during
    );

    /// login()'s ends: a refusal recorded (audited, counted towards the lockout when the
    /// password was wrong), the second step asked for, or the session opened.
    Result<void> record_failed_login(
        const LoginInput& in,
        const LoginRow* row,
        const SecurityPolicy& policy,
        const std::string& reason,
        Instant now
    );
    Result<SignedIn> challenge_second_factor(
        const LoginInput& in, const LoginRow& row, Instant now
    );
    Result<SignedIn> complete_login(
        const LoginInput& in,
        AccountId id,
        const SecurityPolicy& policy,
        const std::optional<std::string>& new_hash,
        Instant now
    );

    /// A wrong second-step code for account `id`: counted, audited, and at the policy's
    /// threshold the account locked (answers whether it was).
    Result<bool> count_wrong_code(
        storage::ScopedTx& stx,
        AccountId id,
        const audit::Actor& actor,
        const audit::Origin& origin,
        Instant now
    );

    /// Opens a session; refused (forbidden on "network") for staff outside the staff networks.
    Result<SignedIn> open_session(
        storage::Tx& tx,
        TenantId tenant,
        const Account& account,
        const SecurityPolicy& policy,
        const audit::Origin& origin,
        Instant now
    );

    /// When `r` is a refusal for the network, writes it to the tenant's audit log (the refused
    /// transaction wrote nothing). Answers `r` unchanged.
    template <class T>
    Result<T> audit_refusal(
        Result<T> r, TenantId tenant, AccountId account_id, const audit::Origin& origin
    );

    /// Mails the account's owner about a change to its sign-in (in the caller's transaction).
    Result<void> alert_owner(
        storage::Tx& tx,
        TenantId tenant,
        AccountId account_id,
        std::string_view change_ja,
        std::string_view change_en,
        const audit::Origin& origin,
        Instant now
    );

    storage::Database& db_;
    AccountService& accounts_;
    const crypto::PasswordHasher& hasher_;
    Result<std::vector<std::string>> store_recovery_codes(
        storage::Tx& tx, TenantId tenant, AccountId account_id, Instant now
    );

    LoginDefence& defence_;
    const Clock& clock_;
    AuthOptions options_;
};

}  // namespace yoyaku::accounts
