// Signing in an account whose owner another party proved (LINE Login's verified ID token).

#include "domain/accounts/account_store.hpp"
#include "domain/accounts/auth_service.hpp"

namespace yoyaku::accounts {

Result<SignedIn> AuthService::sign_in_proven(
    TenantId tenant, AccountId id, const audit::Origin& origin, std::string_view previous_token
) {
    const Instant now = clock_.now();
    struct Found {
        std::optional<AccountRow> row;
        bool totp = false;
        SecurityPolicy policy;
    };
    YOYAKU_TRY_ASSIGN(
        auto found,
        in_scope(
            db_,
            storage::Access::read,
            tenant,
            [&](storage::Tx& tx) -> Result<Found> {
                Found f;
                storage::ScopedTx stx(tx, storage::TenantScope(tenant));
                AccountStore accounts(stx);
                YOYAKU_TRY_ASSIGN(f.row, accounts.find(id));
                if (f.row) {
                    YOYAKU_TRY_ASSIGN(f.totp, accounts.totp_enabled(id));
                }
                YOYAKU_TRY_ASSIGN(f.policy, load_policy(tx, tenant));
                return f;
            }
        )
    );
    const LoginInput in{tenant, {}, {}, origin, std::string(previous_token)};
    const auto& row = found.row;
    const bool locked = row && row->locked_until && *row->locked_until > now;
    if (!row || row->role != "customer" || row->status != "active" || locked) {
        LoginRow shown;
        if (row) {
            shown.id = row->id;
            shown.role = row->role;
            shown.status = row->status;
        }
        YOYAKU_TRY(record_failed_login(
            in, row ? &shown : nullptr, found.policy, locked ? "locked" : "disabled", now
        ));
        return Error{Errc::unauthenticated, "this account cannot sign in now", {}, {}};
    }
    if (!row->email_verified)
        return Error{
            Errc::forbidden, "confirm your email address first with the link we sent", "email", {}};
    if (found.totp) {
        LoginRow pending;
        pending.id = row->id;
        pending.role = row->role;
        return challenge_second_factor(in, pending, now);
    }
    return complete_login(in, id, found.policy, std::nullopt, now);
}

}  // namespace yoyaku::accounts
