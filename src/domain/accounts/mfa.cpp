// Two-step sign-in (SPEC S2): TOTP enrolment, the second step of a sign-in, recovery codes.

#include <boost/json.hpp>

#include "crypto/hash.hpp"
#include "crypto/random.hpp"
#include "crypto/sealing.hpp"
#include "crypto/totp.hpp"
#include "domain/accounts/account_store.hpp"
#include "domain/accounts/auth_service.hpp"
#include "domain/accounts/second_factor_store.hpp"
#include "domain/accounts/session_store.hpp"

namespace yoyaku::accounts {
namespace {

using storage::Tx;
using namespace std::chrono_literals;

constexpr int kRecoveryCodes = 10;
constexpr int kChallengeTries = 5;

audit::Actor self(const access::Principal& p) {
    return {account_target(p.account_id), std::string(access::to_string(p.role))};
}

// "abcde-fghij": 50 bits from an alphabet without look-alikes; stored as a BLAKE2b hash (the
// entropy makes a slow hash unnecessary).
std::string new_recovery_code() {
    static constexpr char kAlphabet[] = "abcdefghjkmnpqrstuvwxyz23456789";  // 31 symbols
    const std::string bytes = crypto::random_bytes(10);
    std::string code;
    for (int i = 0; i < 10; ++i) {
        if (i == 5) code += '-';
        code += kAlphabet[static_cast<unsigned char>(bytes[i]) % 31];
    }
    return code;
}

std::string normalize_recovery_code(std::string_view code) {
    std::string out;
    for (char c : code) {
        if (c == '-' || c == ' ') continue;
        out += static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    }
    return out;
}

std::string recovery_hash(std::string_view code) {
    return crypto::blake2b_256_hex("yoyaku/recovery/v1\n" + normalize_recovery_code(code));
}

Error wrong_code() {
    return Error{Errc::unauthenticated, "the code is wrong or has expired; sign in again", {}, {}};
}

}  // namespace

Result<std::vector<std::string>> AuthService::store_recovery_codes(
    Tx& tx, TenantId tenant, AccountId account_id, Instant now
) {
    std::vector<std::string> codes, hashes;
    for (int i = 0; i < kRecoveryCodes; ++i) {
        codes.push_back(new_recovery_code());
        hashes.push_back(recovery_hash(codes.back()));
    }
    storage::ScopedTx stx(tx, storage::TenantScope(tenant));
    YOYAKU_TRY(RecoveryCodeStore(stx).replace(account_id, hashes, now));
    return codes;
}

Result<bool> AuthService::count_wrong_code(
    storage::ScopedTx& stx,
    AccountId id,
    const audit::Actor& actor,
    const audit::Origin& origin,
    Instant now
) {
    const TenantId tenant = stx.tenant_id();
    YOYAKU_TRY_ASSIGN(const auto policy, load_policy(stx.tx(), tenant));
    AccountStore accounts(stx);
    YOYAKU_TRY_ASSIGN(const auto failures, accounts.count_failure(id));
    const bool locked = failures >= policy.lockout_threshold;
    if (locked) {
        YOYAKU_TRY(accounts.lock(id, now + policy.lockout_duration));
        YOYAKU_TRY(
            audit_in(stx.tx(), tenant, actor, origin, {"account.locked", account_target(id)}, now)
        );
    }
    YOYAKU_TRY(audit_in(
        stx.tx(), tenant, actor, origin, {"account.mfa_failed", account_target(id), "failure"}, now
    ));
    return locked;
}

Result<SignedIn> AuthService::complete_mfa(
    std::string_view mfa_token, std::string_view code, const audit::Origin& origin
) {
    auto parts = split_token(mfa_token);
    if (!parts) return wrong_code();
    const auto tenant = parts->first;
    const auto secret = parts->second;
    const std::string hash = crypto::blake2b_256_hex(secret);
    const Instant now = clock_.now();
    struct Outcome {
        std::optional<SignedIn> in;
        bool locked = false;
    };
    AccountId who;
    auto outcome = in_scope(db_, storage::Access::write, tenant, [&](Tx& tx) -> Result<Outcome> {
        storage::ScopedTx stx(tx, storage::TenantScope(tenant));
        YOYAKU_TRY_ASSIGN(
            const auto challenge, MfaChallengeStore(stx).count_try(hash, now, kChallengeTries)
        );
        if (!challenge) return Outcome{};
        const AccountId id = *challenge;
        who = id;
        AccountStore accounts(stx);
        YOYAKU_TRY_ASSIGN(const auto row, accounts.find_totp(id));
        if (!row) return Outcome{};
        const audit::Actor actor{account_target(id), row->role};
        if (row->status != "active" || (row->locked_until && *row->locked_until > now))
            return Outcome{};
        YOYAKU_TRY_ASSIGN(auto keys, accounts_.keys_.tenant_keys(tenant));
        auto totp =
            keys.open(row->totp_sealed, crypto::field_context(tenant, "accounts", "totp", id));
        if (!totp) return Error::internal("a TOTP secret does not open");
        bool ok = false;
        std::string how = "totp";
        if (auto step = crypto::match_totp(*totp, code, now)) {
            // Each code once: only a later time step than the last accepted one.
            YOYAKU_TRY_ASSIGN(ok, accounts.claim_totp_step(id, static_cast<std::int64_t>(*step)));
        } else {
            how = "recovery_code";
            YOYAKU_TRY_ASSIGN(ok, RecoveryCodeStore(stx).use(id, recovery_hash(code), now));
        }
        if (!ok) {
            Outcome o;
            YOYAKU_TRY_ASSIGN(o.locked, count_wrong_code(stx, id, actor, origin, now));
            return o;
        }
        YOYAKU_TRY(MfaChallengeStore(stx).remove(hash));
        YOYAKU_TRY(accounts.record_sign_in(id, now));
        YOYAKU_TRY_ASSIGN(auto policy, load_policy(tx, tenant));
        auto account = accounts_.load(tx, tenant, id);
        if (!account) return fail(std::move(account).error());
        auto s = open_session(tx, tenant, *account, policy, origin, now);
        if (!s) return fail(std::move(s).error());
        YOYAKU_TRY(audit_in(
            tx,
            tenant,
            actor,
            origin,
            {"account.logged_in",
             account_target(id),
             "success",
             boost::json::serialize(boost::json::object{
                 {"session", s->session.id}, {"second_factor", how}})},
            now
        ));
        return Outcome{std::move(*s), false};
    });
    if (!outcome)
        return audit_refusal(
            Result<SignedIn>(fail(std::move(outcome).error())), tenant, who, origin
        );
    if (!outcome->in) return wrong_code();
    return std::move(*outcome->in);
}

Result<TotpEnrolment> AuthService::begin_totp(
    const access::Principal& who, std::string_view issuer
) {
    const TenantId tenant = who.tenant;
    // A borrowed session must not bind its own authenticator to the account.
    if (!recently_authenticated(who))
        return Error{
            Errc::reauthentication_required, "confirm your password to continue", "password", {}};
    auto account = accounts_.find(tenant, who.account_id);
    if (!account) return fail(std::move(account).error());
    auto enabled = db_.read(storage::TenantScope(tenant), [&](storage::ScopedTx& stx) {
        return AccountStore(stx).totp_enabled(who.account_id);
    });
    if (!enabled) return fail(std::move(enabled).error());
    if (*enabled)
        return Error{
            Errc::unprocessable,
            "two-step sign-in is on; turn it off before enrolling again",
            "totp",
            {}};
    YOYAKU_TRY_ASSIGN(auto keys, accounts_.keys_.tenant_keys(tenant));
    const std::string secret = crypto::new_totp_secret();
    // Pending: stored sealed, enabled only when a code from the app confirms it.
    YOYAKU_TRY(db_.write(storage::TenantScope(tenant), [&](storage::ScopedTx& stx) {
        return AccountStore(stx).update_pending_totp(
            who.account_id,
            crypto::seal(
                keys.seal,
                secret,
                crypto::field_context(tenant, "accounts", "totp_pending", who.account_id)
            )
        );
    }));
    TotpEnrolment e;
    e.secret = crypto::base32(secret);
    e.otpauth_uri = crypto::otpauth_uri(issuer, account->email, secret);
    YOYAKU_TRY_ASSIGN(auto svg, crypto::qr_svg(e.otpauth_uri));
    e.qr_svg = std::move(svg);
    return e;
}

Result<std::vector<std::string>> AuthService::confirm_totp(
    const access::Principal& who, std::string_view code, const audit::Origin& origin
) {
    const TenantId tenant = who.tenant;
    const Instant now = clock_.now();
    YOYAKU_TRY_ASSIGN(auto keys, accounts_.keys_.tenant_keys(tenant));
    return in_scope(
        db_,
        storage::Access::write,
        tenant,
        [&](Tx& tx) -> Result<std::vector<std::string>> {
            storage::ScopedTx stx(tx, storage::TenantScope(tenant));
            AccountStore accounts(stx);
            YOYAKU_TRY_ASSIGN(const auto pending, accounts.find_pending_totp(who.account_id));
            if (!pending)
                return Error{
                    Errc::unprocessable, "no two-step sign-in enrolment is pending", "code", {}};
            auto secret = keys.open(
                *pending, crypto::field_context(tenant, "accounts", "totp_pending", who.account_id)
            );
            if (!secret) return Error::internal("a pending TOTP secret does not open");
            auto step = crypto::match_totp(*secret, code, now);
            if (!step)
                return Error::invalid("code", "does not match; check the time on your device");
            YOYAKU_TRY(accounts.enable_totp(
                who.account_id,
                crypto::seal(
                    keys.seal,
                    *secret,
                    crypto::field_context(tenant, "accounts", "totp", who.account_id)
                ),
                now,
                static_cast<std::int64_t>(*step)
            ));
            auto codes = store_recovery_codes(tx, tenant, who.account_id, now);
            if (!codes) return codes;
            // A new factor: sessions opened with the password alone end.
            YOYAKU_TRY(SessionStore(stx).remove_of_account(who.account_id, who.session_id));
            YOYAKU_TRY(audit_in(
                tx,
                tenant,
                self(who),
                origin,
                {"account.mfa_enabled",
                 account_target(who.account_id),
                 "success",
                 R"({"factor":"totp"})"},
                now
            ));
            YOYAKU_TRY(alert_owner(
                tx,
                tenant,
                who.account_id,
                "二段階認証（認証アプリ）を有効にしました",
                "two-step sign-in with an authenticator app was turned on",
                origin,
                now
            ));
            return codes;
        }
    );
}

Result<void> AuthService::disable_totp(const access::Principal& who, const audit::Origin& origin) {
    const TenantId tenant = who.tenant;
    const Instant now = clock_.now();
    if (!recently_authenticated(who))
        return Error{
            Errc::reauthentication_required, "confirm your password to continue", "password", {}};
    return in_scope(db_, storage::Access::write, tenant, [&](Tx& tx) -> Result<void> {
        YOYAKU_TRY_ASSIGN(auto policy, load_policy(tx, tenant));
        if (mfa_required(who.role, policy))
            return Error{Errc::unprocessable, "your role must use two-step sign-in", "totp", {}};
        storage::ScopedTx stx(tx, storage::TenantScope(tenant));
        YOYAKU_TRY(AccountStore(stx).clear_totp(who.account_id));
        YOYAKU_TRY(RecoveryCodeStore(stx).remove_of_account(who.account_id));
        YOYAKU_TRY(audit_in(
            tx,
            tenant,
            self(who),
            origin,
            {"account.mfa_disabled", account_target(who.account_id)},
            now
        ));
        return alert_owner(
            tx,
            tenant,
            who.account_id,
            "二段階認証を無効にしました",
            "two-step sign-in was turned off",
            origin,
            now
        );
    });
}

Result<std::vector<std::string>> AuthService::new_recovery_codes(
    const access::Principal& who, const audit::Origin& origin
) {
    const TenantId tenant = who.tenant;
    const Instant now = clock_.now();
    if (!recently_authenticated(who))
        return Error{
            Errc::reauthentication_required, "confirm your password to continue", "password", {}};
    return in_scope(
        db_,
        storage::Access::write,
        tenant,
        [&](Tx& tx) -> Result<std::vector<std::string>> {
            storage::ScopedTx stx(tx, storage::TenantScope(tenant));
            YOYAKU_TRY_ASSIGN(const bool on, AccountStore(stx).totp_enabled(who.account_id));
            if (!on)
                return Error{
                    Errc::unprocessable, "two-step sign-in is not on", "recovery_codes", {}};
            auto codes = store_recovery_codes(tx, tenant, who.account_id, now);
            if (!codes) return codes;
            YOYAKU_TRY(audit_in(
                tx,
                tenant,
                self(who),
                origin,
                {"account.recovery_codes_replaced", account_target(who.account_id)},
                now
            ));
            YOYAKU_TRY(alert_owner(
                tx,
                tenant,
                who.account_id,
                "リカバリーコードを作り直しました（以前のコードは使えません）",
                "new recovery codes were made (the old ones no longer work)",
                origin,
                now
            ));
            return codes;
        }
    );
}

Result<void> AuthService::reset_totp(
    const access::Principal& who, AccountId account_id, const audit::Origin& origin
) {
    if (account_id == who.account_id)
        return Error{
            Errc::unprocessable,
            "use a recovery code or turn it off yourself; another manager can reset it",
            "account_id",
            {}};
    const TenantId tenant = who.tenant;
    const Instant now = clock_.now();
    return in_scope(db_, storage::Access::write, tenant, [&](Tx& tx) -> Result<void> {
        auto account = accounts_.load(tx, tenant, account_id);
        if (!account) return fail(std::move(account).error());
        storage::ScopedTx stx(tx, storage::TenantScope(tenant));
        YOYAKU_TRY(AccountStore(stx).clear_totp(account_id));
        YOYAKU_TRY(RecoveryCodeStore(stx).remove_of_account(account_id));
        YOYAKU_TRY(SessionStore(stx).remove_of_account(account_id));
        YOYAKU_TRY(audit_in(
            tx, tenant, self(who), origin, {"account.mfa_reset", account_target(account_id)}, now
        ));
        return accounts_.alert(
            tx,
            *account,
            "管理者が二段階認証をリセットしました（次回のサインインで設定し直してください）",
            "an administrator reset your two-step sign-in (set it up again at your next sign-in)",
            origin,
            now
        );
    });
}

Result<void> AuthService::alert_owner(
    Tx& tx,
    TenantId tenant,
    AccountId account_id,
    std::string_view change_ja,
    std::string_view change_en,
    const audit::Origin& origin,
    Instant now
) {
    YOYAKU_TRY_ASSIGN(auto account, accounts_.load(tx, tenant, account_id));
    return accounts_.alert(tx, account, change_ja, change_en, origin, now);
}

}  // namespace yoyaku::accounts
