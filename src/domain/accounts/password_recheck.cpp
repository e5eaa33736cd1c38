// Checking a signed-in account's password again (re-authentication, password change) under the
// sign-in defences (issue 24, defect 2): a stolen session cannot guess its owner's password
// faster than a sign-in form could, and a flood of wrong passwords holds no worker thread.

#include <boost/json.hpp>

#include "domain/accounts/account_store.hpp"
#include "domain/accounts/auth_service.hpp"

namespace yoyaku::accounts {

Result<void> AuthService::count_wrong_password(
    storage::ScopedTx& stx,
    AccountId id,
    const SecurityPolicy& policy,
    const audit::Actor& actor,
    const audit::Origin& origin,
    Instant now,
    std::string_view during
) {
    YOYAKU_TRY_ASSIGN(const auto failures, AccountStore(stx).count_failure(id));
    if (failures < policy.lockout_threshold) return {};
    YOYAKU_TRY(AccountStore(stx).lock(id, now + policy.lockout_duration));
    boost::json::object details{
        {"failures", failures}, {"minutes", policy.lockout_duration.count()}};
    if (!during.empty()) details["during"] = during;
    return audit_in(
        stx.tx(),
        stx.tenant_id(),
        actor,
        origin,
        {"account.locked", account_target(id), "success", boost::json::serialize(details)},
        now
    );
}

Result<std::string> AuthService::recheck_password(
    const access::Principal& who,
    std::string_view password,
    std::string_view field,
    std::string_view failed_action,
    const audit::Origin& origin
) {
    const auto& address = origin.client_address;
    const std::string subject = account_target(who.account_id);
    if (defence_.blocked(address)) {
        YOYAKU_TRY(defence_.record(who.tenant, subject, origin, "blocked"));
        return Error{
            Errc::forbidden, "password checks from this address are blocked for now", {}, {}};
    }
    YOYAKU_TRY(defence_.admit(address, std::to_string(who.tenant.value) + ":" + subject));
    const Instant now = clock_.now();
    const AccountId id{who.account_id};
    struct Found {
        AccountStore::PasswordState state;
        SecurityPolicy policy;
    };
    YOYAKU_TRY_ASSIGN(
        auto found,
        db_.read(
            storage::TenantScope(who.tenant),
            [&](storage::ScopedTx& stx) -> Result<Found> {
                YOYAKU_TRY_ASSIGN(auto state, AccountStore(stx).password_state(id));
                YOYAKU_TRY_ASSIGN(auto policy, load_policy(stx.tx(), who.tenant));
                return Found{std::move(state), std::move(policy)};
            }
        )
    );
    if (found.state.locked_until && *found.state.locked_until > now) {
        const auto wait = std::chrono::ceil<std::chrono::seconds>(*found.state.locked_until - now);
        return Error{
            Errc::rate_limited,
            "too many wrong passwords: this account is locked for now",
            {},
            std::to_string(wait.count())};
    }
    // One argon2id verification whatever the case, like a sign-in.
    auto normalized = crypto::normalize_password(password);
    const bool has_password = !found.state.hash.empty();
    YOYAKU_TRY_ASSIGN(
        const bool match,
        hasher_.verify(
            has_password ? found.state.hash : hasher_.decoy(),
            normalized ? *normalized : std::string_view("\x01")
        )
    );
    const audit::Actor actor{subject, found.state.role};
    if (match && normalized && has_password) {
        YOYAKU_TRY(db_.write(storage::TenantScope(who.tenant), [&](storage::ScopedTx& stx) {
            return AccountStore(stx).clear_failures(id);
        }));
        return std::move(*normalized);
    }
    YOYAKU_TRY(db_.write(
        storage::TenantScope(who.tenant),
        [&](storage::ScopedTx& stx) -> Result<void> {
            YOYAKU_TRY(
                count_wrong_password(stx, id, found.policy, actor, origin, now, failed_action)
            );
            return audit_in(
                stx.tx(),
                who.tenant,
                actor,
                origin,
                {std::string(failed_action), subject, "failure"},
                now
            );
        }
    ));
    YOYAKU_TRY(defence_.record(who.tenant, subject, origin, "failure"));
    return Error::invalid(std::string(field), "is not the current password");
}

Result<void> AuthService::change_password(
    const access::Principal& who,
    std::string_view current_password,
    std::string_view new_password,
    const audit::Origin& origin
) {
    YOYAKU_TRY_ASSIGN(
        auto current,
        recheck_password(
            who, current_password, "current_password", "account.password_change_failed", origin
        )
    );
    return accounts_.replace_password(
        who.tenant, who.account_id, current, new_password, who.session_id, origin
    );
}

}  // namespace yoyaku::accounts
