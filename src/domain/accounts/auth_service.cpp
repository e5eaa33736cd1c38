#include "domain/accounts/auth_service.hpp"

#include <algorithm>
#include <boost/json.hpp>
#include <charconv>

#include "crypto/hash.hpp"
#include "crypto/random.hpp"
#include "domain/accounts/account_store.hpp"
#include "domain/accounts/second_factor_store.hpp"
#include "domain/accounts/session_store.hpp"
#include "domain/accounts/staff_scope_store.hpp"
#include "domain/tenants/tenant_store.hpp"

namespace yoyaku::accounts {
namespace {

using storage::Tx;
using namespace std::chrono_literals;

audit::Actor actor_of(AccountId account_id, access::Role role) {
    return {account_target(account_id), std::string(access::to_string(role))};
}

const Error& wrong_credentials() {
    static const Error e{
        Errc::unauthenticated,
        "the email or password is wrong, or the account is locked for a while",
        {},
        {}};
    return e;
}

Error not_signed_in() {
    return Error{Errc::unauthenticated, "not signed in, or the session has ended", {}, {}};
}

}  // namespace

std::string csrf_token_for(std::string_view session_token) {
    return crypto::blake2b_256_hex(std::string("yoyaku/csrf/v1\n").append(session_token));
}

AuthService::AuthService(
    storage::Database& db,
    AccountService& accounts,
    const crypto::PasswordHasher& hasher,
    LoginDefence& defence,
    const Clock& clock,
    AuthOptions options
)
    : db_(db),
      accounts_(accounts),
      hasher_(hasher),
      defence_(defence),
      clock_(clock),
      options_(options) {}

bool AuthService::mfa_required(access::Role role, const SecurityPolicy& policy) const noexcept {
    switch (role) {
        case access::Role::operator_:
            return options_.mfa_for_operators;
        case access::Role::manager:
            return options_.mfa_for_managers;
        case access::Role::staff:
            return policy.mfa_for_staff;
        default:
            return false;
    }
}

Result<SignedIn> AuthService::open_session(
    Tx& tx,
    TenantId tenant,
    const Account& account,
    const SecurityPolicy& policy,
    const audit::Origin& origin,
    Instant now
) {
    if (!policy.admits(account.role, origin.client_address))
        return Error{
            Errc::forbidden,
            "staff of this venue sign in only from its own networks",
            "network",
            {}};
    const std::string secret = crypto::random_hex(32);
    const auto& t = policy.for_role(account.role);
    SessionInfo info;
    info.id = crypto::random_hex(8);
    info.created_at = now;
    info.last_seen_at = now;
    info.absolute_expires_at = now + t.absolute;
    info.idle_expires_at = std::min(now + t.idle, info.absolute_expires_at);
    info.client_address = origin.client_address;
    info.user_agent = origin.user_agent;
    info.current = true;
    storage::ScopedTx stx(tx, storage::TenantScope(tenant));
    YOYAKU_TRY(SessionStore(stx).insert(crypto::blake2b_256_hex(secret), account.id, info, now));
    SignedIn out;
    out.token = std::to_string(tenant.value) + "." + secret;
    out.csrf_token = csrf_token_for(out.token);
    out.principal.role = account.role;
    out.principal.tenant = tenant;
    out.principal.account_id = account.id;
    out.principal.session_id = info.id;
    out.principal.reauthenticated_at = now;
    YOYAKU_TRY_ASSIGN(const bool totp, AccountStore(stx).totp_enabled(account.id));
    out.principal.mfa_enrolment_required = !totp && mfa_required(account.role, policy);
    if (tenant != kPlatform) {
        // The tenants table is the platform's (no row-level security): readable in this scope.
        YOYAKU_TRY_ASSIGN(const auto profile, tenants::TenantStore(stx).find_profile());
        out.principal.tenant_read_only = profile.status == tenants::Status::suspended;
        out.principal.tenant_export_only = profile.status == tenants::Status::terminated;
    }
    out.session = std::move(info);
    return out;
}

Result<SignedIn> AuthService::login(const LoginInput& in) {
    auto email = normalize_email(in.email);
    if (!email) return fail(std::move(email).error());
    YOYAKU_TRY_ASSIGN(auto indexes, accounts_.email_indexes(in.tenant, *email));
    const std::string* index = &indexes.front();
    const auto& address = in.origin.client_address;
    if (defence_.blocked(address)) {
        YOYAKU_TRY(defence_.record(in.tenant, *index, in.origin, "blocked"));
        return Error{Errc::forbidden, "sign-in from this address is blocked for now", {}, {}};
    }
    YOYAKU_TRY(defence_.admit(address, std::to_string(in.tenant.value) + ":" + *index));
    const Instant now = clock_.now();

    struct Found {
        std::optional<LoginRow> row;
        SecurityPolicy policy;
    };
    auto found = in_scope(db_, storage::Access::read, in.tenant, [&](Tx& tx) -> Result<Found> {
        Found f;
        storage::ScopedTx stx(tx, storage::TenantScope(in.tenant));
        YOYAKU_TRY_ASSIGN(f.row, AccountStore(stx).find_for_login(indexes));
        YOYAKU_TRY_ASSIGN(auto p, load_policy(tx, in.tenant));
        f.policy = p;
        return f;
    });
    if (!found) return fail(std::move(found).error());
    const auto& row = found->row;
    const bool exists = row.has_value();
    const bool has_password = exists && !row->password_hash.empty();
    // One argon2id verification whatever the case, so time does not tell accounts apart.
    auto password = crypto::normalize_password(in.password);
    YOYAKU_TRY_ASSIGN(
        const bool verified,
        hasher_.verify(
            has_password ? row->password_hash : hasher_.decoy(),
            password ? *password : std::string_view("\x01")
        )
    );
    const bool match = verified && password && has_password;
    const bool locked = exists && row->locked_until && *row->locked_until > now;
    const bool active = exists && row->status == "active";

    if (!(match && !locked && active)) {
        const std::string reason = !exists         ? "unknown_account"
                                   : locked        ? "locked"
                                   : !active       ? "disabled"
                                   : !has_password ? "no_password"
                                                   : "wrong_password";
        YOYAKU_TRY(record_failed_login(in, exists ? &*row : nullptr, found->policy, reason, now));
        YOYAKU_TRY(defence_.record(in.tenant, *index, in.origin, locked ? "locked" : "failure"));
        return wrong_credentials();
    }
    // Said only to whoever knows the password, so it tells nobody else the account exists.
    if (!row->email_verified)
        return Error{
            Errc::forbidden, "confirm your email address first with the link we sent", "email", {}};
    if (row->totp_enabled) return challenge_second_factor(in, *row, now);
    std::optional<std::string> new_hash;
    if (hasher_.needs_rehash(row->password_hash)) {
        YOYAKU_TRY_ASSIGN(new_hash, hasher_.hash(*password));
    }
    auto signed_in = complete_login(in, row->id, found->policy, new_hash, now);
    if (!signed_in) return audit_refusal(std::move(signed_in), in.tenant, row->id, in.origin);
    YOYAKU_TRY(defence_.record(in.tenant, *index, in.origin, "success"));
    return signed_in;
}

Result<void> AuthService::record_failed_login(
    const LoginInput& in,
    const LoginRow* row,
    const SecurityPolicy& policy,
    const std::string& reason,
    Instant now
) {
    return db_.write(storage::TenantScope(in.tenant), [&](storage::ScopedTx& stx) -> Result<void> {
        const audit::Actor actor{
            row ? account_target(row->id) : "anonymous", row ? row->role : "anonymous"};
        if (row && reason == "wrong_password")
            YOYAKU_TRY(count_wrong_password(stx, row->id, policy, actor, in.origin, now, ""));
        return audit_in(
            stx.tx(),
            in.tenant,
            actor,
            in.origin,
            {"account.login_failed",
             row ? account_target(row->id) : "account:unknown",
             "failure",
             boost::json::serialize(boost::json::object{{"reason", reason}})},
            now
        );
    });
}

// The password was right; the session waits for the code.
Result<SignedIn> AuthService::challenge_second_factor(
    const LoginInput& in, const LoginRow& row, Instant now
) {
    const std::string secret = crypto::random_hex(32);
    YOYAKU_TRY(in_scope(db_, storage::Access::write, in.tenant, [&](Tx& tx) -> Result<void> {
        storage::ScopedTx stx(tx, storage::TenantScope(in.tenant));
        YOYAKU_TRY(MfaChallengeStore(stx).insert(
            crypto::blake2b_256_hex(secret), row.id, now, now + 5min, in.origin.client_address
        ));
        return audit_in(
            tx,
            in.tenant,
            {account_target(row.id), row.role},
            in.origin,
            {"account.mfa_challenged", account_target(row.id)},
            now
        );
    }));
    SignedIn pending;
    pending.mfa_token = std::to_string(in.tenant.value) + "." + secret;
    pending.principal.tenant = in.tenant;
    pending.principal.account_id = row.id;
    return pending;
}

Result<SignedIn> AuthService::complete_login(
    const LoginInput& in,
    AccountId id,
    const SecurityPolicy& policy,
    const std::optional<std::string>& new_hash,
    Instant now
) {
    return in_scope(db_, storage::Access::write, in.tenant, [&](Tx& tx) -> Result<SignedIn> {
        storage::ScopedTx stx(tx, storage::TenantScope(in.tenant));
        AccountStore accounts(stx);
        YOYAKU_TRY(accounts.record_sign_in(id, now));
        if (new_hash) YOYAKU_TRY(accounts.update_password_hash(id, *new_hash));
        // Rotation: a session the client held before signing in ends now.
        if (auto prev = split_token(in.previous_token); prev && prev->first == in.tenant)
            YOYAKU_TRY(SessionStore(stx).remove(crypto::blake2b_256_hex(prev->second)));
        YOYAKU_TRY_ASSIGN(const auto account, accounts_.load(tx, in.tenant, id));
        auto s = open_session(tx, in.tenant, account, policy, in.origin, now);
        if (!s) return s;
        YOYAKU_TRY(audit_in(
            tx,
            in.tenant,
            actor_of(id, account.role),
            in.origin,
            {"account.logged_in",
             account_target(id),
             "success",
             boost::json::serialize(boost::json::object{
                 {"session", s->session.id}, {"rehashed", new_hash.has_value()}})},
            now
        ));
        return s;
    });
}

template <class T>
Result<T> AuthService::audit_refusal(
    Result<T> r, TenantId tenant, AccountId account_id, const audit::Origin& origin
) {
    if (r || r.error().code != Errc::forbidden || r.error().field != "network") return r;
    YOYAKU_TRY(in_scope(db_, storage::Access::write, tenant, [&](Tx& tx) -> Result<void> {
        return audit_in(
            tx,
            tenant,
            {account_target(account_id), "anonymous"},
            origin,
            {"account.login_refused",
             account_target(account_id),
             "denied",
             R"({"reason":"network"})"},
            clock_.now()
        );
    }));
    return r;
}
template Result<SignedIn>
AuthService::audit_refusal(Result<SignedIn>, TenantId, AccountId, const audit::Origin&);

namespace {

// Who a live session speaks for.
access::Principal principal_of(
    TenantId tenant,
    const SessionSeen& r,
    access::Role role,
    const std::string& tenant_status,
    access::StaffScope scope,
    bool mfa_enrolment_required
) {
    access::Principal p;
    p.role = role;
    p.tenant = tenant;
    p.account_id = r.account;
    p.session_id = r.public_id;
    p.reauthenticated_at = r.reauthenticated_at;
    p.tenant_read_only = tenant_status == "suspended";
    p.tenant_export_only = tenant_status == "terminated";
    p.mfa_enrolment_required = mfa_enrolment_required;
    p.scope = std::move(scope);
    return p;
}

}  // namespace

Result<access::Principal> AuthService::authenticate(
    std::string_view token, std::string_view client_address
) {
    auto parts = split_token(token);
    if (!parts) return not_signed_in();
    const auto& tenant = parts->first;
    const auto& secret = parts->second;
    const std::string hash = crypto::blake2b_256_hex(secret);
    const Instant now = clock_.now();
    struct Seen {
        SessionSeen row;
        std::string tenant_status;
        access::StaffScope scope;
    };
    bool staff_mfa = false;
    bool outside = false;
    auto seen = in_scope(db_, storage::Access::read, tenant, [&](Tx& tx) -> Result<Seen> {
        storage::ScopedTx stx(tx, storage::TenantScope(tenant));
        YOYAKU_TRY_ASSIGN(auto found, SessionStore(stx).find_seen(hash));
        if (!found) return not_signed_in();
        std::string status = "active";
        const auto& role_text = found->role;
        if (role_text == "staff" || role_text == "manager") {
            YOYAKU_TRY_ASSIGN(auto policy, load_policy(tx, tenant));
            staff_mfa = policy.mfa_for_staff;
            if (auto role = access::parse_role(role_text))
                outside = !policy.admits(*role, client_address);
        }
        if (tenant != kPlatform) {
            auto t = tenants::TenantStore(stx).find_profile();
            if (!t) {
                if (t.error().code == Errc::not_found) return not_signed_in();
                return fail(std::move(t).error());
            }
            status = tenants::to_string(t->status);
        }
        // A staff member's limits, if a manager set any, travel with every request.
        access::StaffScope scope;
        if (role_text == "staff") {
            YOYAKU_TRY_ASSIGN(scope, StaffScopeStore(stx).find(found->account));
        }
        return Seen{std::move(*found), std::move(status), std::move(scope)};
    });
    if (!seen) return fail(std::move(seen).error());
    // From outside the venue's staff networks the session stays, unused: back inside, it works.
    if (outside) return not_signed_in();
    const SessionSeen& r = seen->row;
    const Instant idle_end = r.idle_expires_at;
    const Instant absolute_end = r.absolute_expires_at;
    const auto role = access::parse_role(r.role);
    if (now >= idle_end || now >= absolute_end || r.status != "active" || !role) {
        YOYAKU_TRY(in_scope(db_, storage::Access::write, tenant, [&](Tx& tx) -> Result<void> {
            storage::ScopedTx stx(tx, storage::TenantScope(tenant));
            YOYAKU_TRY(SessionStore(stx).remove(hash));
            return {};
        }));
        return not_signed_in();
    }
    // Renewing at most once a minute keeps most requests read-only.
    if (now - r.last_seen_at >= 60s) {
        YOYAKU_TRY(in_scope(db_, storage::Access::write, tenant, [&](Tx& tx) -> Result<void> {
            YOYAKU_TRY_ASSIGN(auto policy, load_policy(tx, tenant));
            const Instant idle = std::min(now + policy.for_role(*role).idle, absolute_end);
            storage::ScopedTx stx(tx, storage::TenantScope(tenant));
            return SessionStore(stx).update_seen(hash, now, idle);
        }));
    }
    SecurityPolicy policy;
    policy.mfa_for_staff = staff_mfa;
    const bool enrol = !r.totp && mfa_required(*role, policy);
    return principal_of(tenant, r, *role, seen->tenant_status, std::move(seen->scope), enrol);
}

Result<void> AuthService::logout(std::string_view token, const audit::Origin& origin) {
    auto parts = split_token(token);
    if (!parts) return {};
    const auto& tenant = parts->first;
    const auto& secret = parts->second;
    const Instant now = clock_.now();
    return in_scope(db_, storage::Access::write, tenant, [&](Tx& tx) -> Result<void> {
        storage::ScopedTx stx(tx, storage::TenantScope(tenant));
        YOYAKU_TRY_ASSIGN(
            const auto gone, SessionStore(stx).remove(crypto::blake2b_256_hex(secret))
        );
        if (!gone) return {};
        const auto& [account, session] = *gone;
        YOYAKU_TRY_ASSIGN(const auto role, AccountStore(stx).role_of(account));
        return audit_in(
            tx,
            tenant,
            {account_target(account), role.value_or("")},
            origin,
            {"account.logged_out",
             account_target(account),
             "success",
             boost::json::serialize(boost::json::object{{"session", session}})},
            now
        );
    });
}

Result<std::vector<SessionInfo>> AuthService::sessions(
    const access::Principal& who, std::string_view current_token
) {
    auto parts = split_token(current_token);
    const std::string current_hash = parts ? crypto::blake2b_256_hex(parts->second) : "";
    const Instant now = clock_.now();
    return in_scope(
        db_,
        storage::Access::read,
        who.tenant,
        [&](Tx& tx) -> Result<std::vector<SessionInfo>> {
            storage::ScopedTx stx(tx, storage::TenantScope(who.tenant));
            YOYAKU_TRY_ASSIGN(auto rows, SessionStore(stx).list_live(who.account_id, now));
            std::vector<SessionInfo> out;
            for (auto& [s, hash] : rows) {
                s.current = hash == current_hash;
                out.push_back(std::move(s));
            }
            return out;
        }
    );
}

Result<void> AuthService::revoke(
    const access::Principal& who, std::string_view session_id, const audit::Origin& origin
) {
    const Instant now = clock_.now();
    return in_scope(db_, storage::Access::write, who.tenant, [&](Tx& tx) -> Result<void> {
        storage::ScopedTx stx(tx, storage::TenantScope(who.tenant));
        YOYAKU_TRY_ASSIGN(
            const bool ended,
            SessionStore(stx).remove_public(who.account_id, std::string(session_id))
        );
        if (!ended) return Error::not_found("no such session");
        return audit_in(
            tx,
            who.tenant,
            actor_of(who.account_id, who.role),
            origin,
            {"session.revoked",
             account_target(who.account_id),
             "success",
             boost::json::serialize(boost::json::object{{"session", std::string(session_id)}})},
            now
        );
    });
}

Result<std::int64_t> AuthService::revoke_all(
    const access::Principal& who, const audit::Origin& origin
) {
    const Instant now = clock_.now();
    return in_scope(db_, storage::Access::write, who.tenant, [&](Tx& tx) -> Result<std::int64_t> {
        storage::ScopedTx stx(tx, storage::TenantScope(who.tenant));
        YOYAKU_TRY_ASSIGN(auto n, SessionStore(stx).remove_of_account(who.account_id));
        YOYAKU_TRY(audit_in(
            tx,
            who.tenant,
            actor_of(who.account_id, who.role),
            origin,
            {"session.revoked_all",
             account_target(who.account_id),
             "success",
             boost::json::serialize(boost::json::object{{"sessions", n}})},
            now
        ));
        return n;
    });
}

Result<SignedIn> AuthService::reauthenticate(
    std::string_view token, std::string_view password, const audit::Origin& origin
) {
    YOYAKU_TRY_ASSIGN(auto who, authenticate(token, origin.client_address));
    auto parts = split_token(token);
    const TenantId tenant = who.tenant;
    const Instant now = clock_.now();
    YOYAKU_TRY(
        recheck_password(who, password, "password", "account.reauthentication_failed", origin)
    );
    const auto actor = actor_of(who.account_id, who.role);
    auto out = in_scope(db_, storage::Access::write, tenant, [&](Tx& tx) -> Result<SignedIn> {
        YOYAKU_TRY_ASSIGN(auto policy, load_policy(tx, tenant));
        auto account = accounts_.load(tx, tenant, who.account_id);
        if (!account) return fail(std::move(account).error());
        // The raised session gets a new id: a token captured before is worth less.
        storage::ScopedTx stx(tx, storage::TenantScope(tenant));
        YOYAKU_TRY(SessionStore(stx).remove(crypto::blake2b_256_hex(parts->second)));
        auto s = open_session(tx, tenant, *account, policy, origin, now);
        if (!s) return s;
        YOYAKU_TRY(audit_in(
            tx,
            tenant,
            actor,
            origin,
            {"account.reauthenticated",
             account_target(who.account_id),
             "success",
             boost::json::serialize(boost::json::object{{"session", s->session.id}})},
            now
        ));
        return s;
    });
    return out;
}

bool AuthService::recently_authenticated(const access::Principal& who) const {
    return who.signed_in() && clock_.now() - who.reauthenticated_at <= kReauthenticationWindow;
}

}  // namespace yoyaku::accounts
