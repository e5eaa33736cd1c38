#include "domain/accounts/account_store.hpp"

#include "storage/sql_text.hpp"

namespace yoyaku::accounts {

Result<bool> AccountStore::exists(AccountId id) {
    YOYAKU_TRY_ASSIGN(
        auto rows,
        stx_.tx().query(
            "SELECT id FROM accounts WHERE tenant_id = $1 AND id = $2", stx_.tenant_id(), id
        )
    );
    return !rows.empty();
}

Result<std::optional<AccountStore::Sealed>> AccountStore::find_sealed_email(AccountId id) {
    YOYAKU_TRY_ASSIGN(
        auto rows,
        stx_.tx().query(
            "SELECT role, email_sealed FROM accounts WHERE tenant_id = $1 AND id = $2",
            stx_.tenant_id(),
            id
        )
    );
    if (rows.empty()) return std::optional<Sealed>();
    return std::optional<Sealed>(Sealed{
        rows.front().text("role"), rows.front().blob("email_sealed").bytes});
}

Result<std::vector<std::pair<AccountId, std::string>>> AccountStore::list_by_email_index(
    const std::vector<std::string>& indexes
) {
    auto params = storage::values(stx_.tenant_id());
    const auto list = storage::append_list(params, indexes);
    YOYAKU_TRY_ASSIGN(
        auto rows,
        stx_.tx().query(
            "SELECT id, role FROM accounts WHERE tenant_id = $1 AND email_index IN (" + list + ")",
            std::span<const storage::Value>(params)
        )
    );
    std::vector<std::pair<AccountId, std::string>> out;
    for (const auto& r : rows) out.emplace_back(r.id<AccountId>("id"), r.text("role"));
    return out;
}

Result<std::optional<std::string>> AccountStore::find_line_user_sealed(AccountId id) {
    YOYAKU_TRY_ASSIGN(
        auto rows,
        stx_.tx().query(
            "SELECT line_user_sealed FROM accounts WHERE tenant_id = $1 AND id = $2",
            stx_.tenant_id(),
            id
        )
    );
    if (rows.empty() || rows.front().is_null("line_user_sealed"))
        return std::optional<std::string>();
    return std::optional<std::string>(rows.front().blob("line_user_sealed").bytes);
}

Result<bool> AccountStore::update_line_user(AccountId id, const std::string& sealed) {
    YOYAKU_TRY_ASSIGN(
        const auto n,
        stx_.tx().exec(
            "UPDATE accounts SET line_user_sealed = $3 WHERE tenant_id = $1 AND id = $2 AND role = 'customer'",
            stx_.tenant_id(),
            id,
            storage::Blob{sealed}
        )
    );
    return n > 0;
}

Result<bool> AccountStore::clear_line_user(AccountId id) {
    YOYAKU_TRY_ASSIGN(
        const auto n,
        stx_.tx().exec(
            "UPDATE accounts SET line_user_sealed = NULL WHERE tenant_id = $1 AND id = $2 AND line_user_sealed IS NOT NULL",
            stx_.tenant_id(),
            id
        )
    );
    return n > 0;
}

Result<bool> AccountStore::remove(AccountId id) {
    YOYAKU_TRY_ASSIGN(
        const auto n,
        stx_.tx().exec(
            "DELETE FROM accounts WHERE tenant_id = $1 AND id = $2", stx_.tenant_id(), id
        )
    );
    return n == 1;
}

Result<std::optional<std::string>> AccountStore::role_of(AccountId id) {
    YOYAKU_TRY_ASSIGN(
        auto rows,
        stx_.tx().query(
            "SELECT role FROM accounts WHERE tenant_id = $1 AND id = $2", stx_.tenant_id(), id
        )
    );
    if (rows.empty()) return std::optional<std::string>();
    return std::optional<std::string>(rows.front().text("role"));
}

Result<AccountStore::PasswordState> AccountStore::password_state(AccountId id) {
    YOYAKU_TRY_ASSIGN(
        auto r,
        stx_.tx().query_one(
            "SELECT coalesce(password_hash, '') AS hash, role, status, locked_until FROM accounts "
            "WHERE tenant_id = $1 AND id = $2",
            stx_.tenant_id(),
            id
        )
    );
    PasswordState s;
    s.hash = r.text("hash");
    s.role = r.text("role");
    s.status = r.text("status");
    if (auto until = r.opt_i64("locked_until")) s.locked_until = from_micros(*until);
    return s;
}

Result<std::int64_t> AccountStore::count_failure(AccountId id) {
    YOYAKU_TRY_ASSIGN(
        auto r,
        stx_.tx().query_one(
            "UPDATE accounts SET failed_logins = failed_logins + 1 WHERE tenant_id = $1 AND id = "
            "$2 RETURNING failed_logins",
            stx_.tenant_id(),
            id
        )
    );
    return r.i64("failed_logins");
}

Result<void> AccountStore::lock(AccountId id, Instant until) {
    YOYAKU_TRY(stx_.tx().exec(
        "UPDATE accounts SET failed_logins = 0, locked_until = $3 WHERE tenant_id = $1 AND id = $2",
        stx_.tenant_id(),
        id,
        to_micros(until)
    ));
    return {};
}

Result<void> AccountStore::clear_failures(AccountId id) {
    YOYAKU_TRY(stx_.tx().exec(
        "UPDATE accounts SET failed_logins = 0, locked_until = NULL WHERE tenant_id = $1 AND id = "
        "$2 AND (failed_logins <> 0 OR locked_until IS NOT NULL)",
        stx_.tenant_id(),
        id
    ));
    return {};
}

Result<std::optional<EmailOwner>> AccountStore::find_by_email_indexes(
    const std::vector<std::string>& indexes, bool active_only
) {
    auto params = storage::values(stx_.tenant_id(), active_only);
    const auto list = storage::append_list(params, indexes);
    YOYAKU_TRY_ASSIGN(
        const auto rows,
        stx_.tx().query(
            "SELECT id, locale FROM accounts WHERE tenant_id = $1 AND ($2 = 0 OR status = 'active') AND email_index IN (" +
                list + ")",
            std::span<const storage::Value>(params)
        )
    );
    if (rows.empty()) return std::optional<EmailOwner>();
    const auto& r = rows.front();
    return std::optional(EmailOwner{r.id<AccountId>("id"), r.opt_text("locale")});
}

Result<void> AccountStore::update_locale(AccountId id, const std::string& locale) {
    YOYAKU_TRY(stx_.tx().exec(
        "UPDATE accounts SET locale = $3 WHERE tenant_id = $1 AND id = $2",
        stx_.tenant_id(),
        id,
        locale
    ));
    return {};
}

Result<void> AccountStore::update_email_verified(AccountId id, Instant now) {
    YOYAKU_TRY(stx_.tx().exec(
        "UPDATE accounts SET email_verified_at = coalesce(email_verified_at, $3) WHERE tenant_id = $1 AND id = $2",
        stx_.tenant_id(),
        id,
        to_micros(now)
    ));
    return {};
}

}  // namespace yoyaku::accounts
