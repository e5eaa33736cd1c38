#include "domain/accounts/account_store.hpp"

#include "storage/sql_text.hpp"

namespace yoyaku::accounts {
namespace {

using storage::Blob;

constexpr std::string_view kColumns =
    "id, tenant_id, role, status, email_sealed, name_sealed, password_hash IS NOT NULL AS "
    "has_password, failed_logins, locked_until, created_at, last_login_at, email_verified_at IS "
    "NOT NULL AS email_verified, locale";

std::optional<Instant> opt_instant(const storage::Row& r, std::string_view col) {
    if (auto v = r.opt_i64(col)) return from_micros(*v);
    return std::nullopt;
}

AccountRow account_row(const storage::Row& r) {
    AccountRow a;
    a.id = r.id<AccountId>("id");
    a.tenant = r.id<TenantId>("tenant_id");
    a.role = r.text("role");
    a.status = r.text("status");
    a.email_sealed = r.blob("email_sealed").bytes;
    a.name_sealed = r.blob("name_sealed").bytes;
    a.has_password = r.flag("has_password");
    a.failed_logins = r.i32("failed_logins");
    a.locked_until = opt_instant(r, "locked_until");
    a.created_at = from_micros(r.i64("created_at"));
    a.last_login_at = opt_instant(r, "last_login_at");
    a.email_verified = r.flag("email_verified");
    a.locale = r.opt_text("locale");
    return a;
}

}  // namespace

Result<std::optional<AccountRow>> AccountStore::find(AccountId id) {
    YOYAKU_TRY_ASSIGN(
        const auto rows,
        stx_.tx().query(
            "SELECT " + std::string(kColumns) + " FROM accounts WHERE tenant_id = $1 AND id = $2",
            stx_.tenant_id(),
            id
        )
    );
    if (rows.empty()) return std::optional<AccountRow>();
    return std::optional(account_row(rows.front()));
}

Result<std::vector<AccountRow>> AccountStore::list(std::optional<std::string> role) {
    YOYAKU_TRY_ASSIGN(
        const auto rows,
        stx_.tx().query(
            "SELECT " + std::string(kColumns) +
                " FROM accounts WHERE tenant_id = $1 AND role = coalesce($2, role) ORDER BY id",
            stx_.tenant_id(),
            role
        )
    );
    std::vector<AccountRow> out;
    out.reserve(rows.size());
    for (const auto& r : rows) out.push_back(account_row(r));
    return out;
}

Result<AccountId> AccountStore::insert(const NewAccountRow& row, Instant now) {
    const auto at = to_micros(now);
    auto inserted = stx_.tx().query_one(
        "INSERT INTO accounts(tenant_id, role, status, email_index, email_sealed, name_sealed, password_hash, created_at, password_changed_at, email_verified_at) VALUES ($1, $2, 'active', $3, $4, $4, $5, $6, $7, $8) RETURNING id",
        stx_.tenant_id(),
        row.role,
        row.email_index,
        Blob{},
        row.password_hash,
        at,
        row.password_hash ? std::optional(at) : std::nullopt,
        row.verified ? std::optional(at) : std::nullopt
    );
    if (!inserted) {
        auto e = std::move(inserted).error();
        if (e.code == Errc::conflict)
            return Error{Errc::conflict, "an account with this email exists", "email", {}};
        return e;
    }
    return inserted->id<AccountId>("id");
}

Result<void> AccountStore::update_sealed(
    AccountId id, const std::string& email, const std::string& name
) {
    YOYAKU_TRY(stx_.tx().exec(
        "UPDATE accounts SET email_sealed = $3, name_sealed = $4 WHERE tenant_id = $1 AND id = $2",
        stx_.tenant_id(),
        id,
        Blob{email},
        Blob{name}
    ));
    return {};
}

Result<void> AccountStore::update_name(AccountId id, const std::string& name_sealed) {
    YOYAKU_TRY(stx_.tx().exec(
        "UPDATE accounts SET name_sealed = $3 WHERE tenant_id = $1 AND id = $2",
        stx_.tenant_id(),
        id,
        Blob{name_sealed}
    ));
    return {};
}

Result<void> AccountStore::update_role(AccountId id, std::string_view role) {
    YOYAKU_TRY(stx_.tx().exec(
        "UPDATE accounts SET role = $3 WHERE tenant_id = $1 AND id = $2",
        stx_.tenant_id(),
        id,
        std::string(role)
    ));
    return {};
}

Result<void> AccountStore::update_status(AccountId id, std::string_view status) {
    YOYAKU_TRY(stx_.tx().exec(
        "UPDATE accounts SET status = $3 WHERE tenant_id = $1 AND id = $2",
        stx_.tenant_id(),
        id,
        std::string(status)
    ));
    return {};
}

Result<std::int64_t> AccountStore::count_other_active_managers(AccountId id) {
    YOYAKU_TRY_ASSIGN(
        const auto r,
        stx_.tx().query_one(
            "SELECT count(*) AS n FROM accounts WHERE tenant_id = $1 AND role = 'manager' AND status = 'active' AND id <> $2",
            stx_.tenant_id(),
            id
        )
    );
    return r.i64("n");
}

Result<std::optional<LoginRow>> AccountStore::find_for_login(const std::vector<std::string>& indexes
) {
    auto params = storage::values(stx_.tenant_id());
    const auto list = storage::append_list(params, indexes);
    YOYAKU_TRY_ASSIGN(
        const auto rows,
        stx_.tx().query(
            "SELECT id, role, status, coalesce(password_hash, '') AS password_hash, failed_logins, locked_until, totp_enabled_at IS NOT NULL AS totp_enabled, email_verified_at IS NOT NULL AS email_verified FROM accounts WHERE tenant_id = $1 AND email_index IN (" +
                list + ")",
            std::span<const storage::Value>(params)
        )
    );
    if (rows.empty()) return std::optional<LoginRow>();
    const auto& r = rows.front();
    return std::optional(LoginRow{
        r.id<AccountId>("id"),
        r.text("role"),
        r.text("status"),
        r.text("password_hash"),
        r.i32("failed_logins"),
        opt_instant(r, "locked_until"),
        r.flag("totp_enabled"),
        r.flag("email_verified")});
}

Result<void> AccountStore::record_sign_in(AccountId id, Instant now) {
    YOYAKU_TRY(stx_.tx().exec(
        "UPDATE accounts SET failed_logins = 0, locked_until = NULL, last_login_at = $3 WHERE tenant_id = $1 AND id = $2",
        stx_.tenant_id(),
        id,
        to_micros(now)
    ));
    return {};
}

Result<void> AccountStore::update_password_hash(AccountId id, const std::string& hash) {
    YOYAKU_TRY(stx_.tx().exec(
        "UPDATE accounts SET password_hash = $3 WHERE tenant_id = $1 AND id = $2",
        stx_.tenant_id(),
        id,
        hash
    ));
    return {};
}

Result<void> AccountStore::update_password(AccountId id, const std::string& hash, Instant now) {
    YOYAKU_TRY(stx_.tx().exec(
        "UPDATE accounts SET password_hash = $3, password_changed_at = $4 WHERE tenant_id = $1 AND id = $2",
        stx_.tenant_id(),
        id,
        hash,
        to_micros(now)
    ));
    return {};
}

Result<void> AccountStore::reset_password(AccountId id, const std::string& hash, Instant now) {
    YOYAKU_TRY(stx_.tx().exec(
        "UPDATE accounts SET password_hash = $3, password_changed_at = $4, failed_logins = 0, locked_until = NULL, email_verified_at = coalesce(email_verified_at, $4) WHERE tenant_id = $1 AND id = $2",
        stx_.tenant_id(),
        id,
        hash,
        to_micros(now)
    ));
    return {};
}

Result<bool> AccountStore::totp_enabled(AccountId id) {
    YOYAKU_TRY_ASSIGN(
        const auto r,
        stx_.tx().query_one(
            "SELECT totp_enabled_at IS NOT NULL AS enabled FROM accounts WHERE tenant_id = $1 AND id = $2",
            stx_.tenant_id(),
            id
        )
    );
    return r.flag("enabled");
}

Result<std::optional<TotpRow>> AccountStore::find_totp(AccountId id) {
    YOYAKU_TRY_ASSIGN(
        const auto rows,
        stx_.tx().query(
            "SELECT role, status, totp_sealed, locked_until FROM accounts WHERE tenant_id = $1 AND id = $2 AND totp_enabled_at IS NOT NULL",
            stx_.tenant_id(),
            id
        )
    );
    if (rows.empty()) return std::optional<TotpRow>();
    const auto& r = rows.front();
    return std::optional(TotpRow{
        r.text("role"),
        r.text("status"),
        r.blob("totp_sealed").bytes,
        opt_instant(r, "locked_until")});
}

Result<bool> AccountStore::claim_totp_step(AccountId id, std::int64_t step) {
    YOYAKU_TRY_ASSIGN(
        const auto n,
        stx_.tx().exec(
            "UPDATE accounts SET totp_last_step = $3 WHERE tenant_id = $1 AND id = $2 AND totp_last_step < $3",
            stx_.tenant_id(),
            id,
            step
        )
    );
    return n == 1;
}

Result<std::optional<std::string>> AccountStore::find_pending_totp(AccountId id) {
    YOYAKU_TRY_ASSIGN(
        const auto r,
        stx_.tx().query_one(
            "SELECT totp_sealed, totp_enabled_at IS NOT NULL AS enabled FROM accounts WHERE tenant_id = $1 AND id = $2",
            stx_.tenant_id(),
            id
        )
    );
    if (r.is_null("totp_sealed") || r.flag("enabled")) return std::optional<std::string>();
    return std::optional(r.blob("totp_sealed").bytes);
}

Result<void> AccountStore::update_pending_totp(AccountId id, const std::string& sealed) {
    YOYAKU_TRY(stx_.tx().exec(
        "UPDATE accounts SET totp_sealed = $3 WHERE tenant_id = $1 AND id = $2 AND totp_enabled_at IS NULL",
        stx_.tenant_id(),
        id,
        Blob{sealed}
    ));
    return {};
}

Result<void> AccountStore::enable_totp(
    AccountId id, const std::string& sealed, Instant now, std::int64_t step
) {
    YOYAKU_TRY(stx_.tx().exec(
        "UPDATE accounts SET totp_sealed = $3, totp_enabled_at = $4, totp_last_step = $5 WHERE tenant_id = $1 AND id = $2",
        stx_.tenant_id(),
        id,
        Blob{sealed},
        to_micros(now),
        step
    ));
    return {};
}

Result<void> AccountStore::clear_totp(AccountId id) {
    YOYAKU_TRY(stx_.tx().exec(
        "UPDATE accounts SET totp_sealed = NULL, totp_enabled_at = NULL WHERE tenant_id = $1 AND id = $2",
        stx_.tenant_id(),
        id
    ));
    return {};
}

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

Result<std::optional<AccountId>> AccountStore::find_by_line_indexes(
    const std::vector<std::string>& indexes
) {
    auto params = storage::values(stx_.tenant_id());
    const auto list = storage::append_list(params, indexes);
    YOYAKU_TRY_ASSIGN(
        auto rows,
        stx_.tx().query(
            "SELECT id FROM accounts WHERE tenant_id = $1 AND line_user_index IN (" + list + ")",
            std::span<const storage::Value>(params)
        )
    );
    if (rows.empty()) return std::optional<AccountId>();
    return std::optional<AccountId>(rows.front().id<AccountId>("id"));
}

Result<bool> AccountStore::update_line_user(
    AccountId id, const std::string& sealed, const std::string& index
) {
    YOYAKU_TRY_ASSIGN(
        const auto n,
        stx_.tx().exec(
            "UPDATE accounts SET line_user_sealed = $3, line_user_index = $4, line_relink = 0, line_blocked = 0 WHERE tenant_id = $1 AND id = $2 AND role = 'customer'",
            stx_.tenant_id(),
            id,
            storage::Blob{sealed},
            index
        )
    );
    return n > 0;
}

Result<void> AccountStore::set_line_blocked(AccountId id, bool blocked) {
    YOYAKU_TRY(stx_.tx().exec(
        "UPDATE accounts SET line_blocked = $3 WHERE tenant_id = $1 AND id = $2",
        stx_.tenant_id(),
        id,
        std::int64_t{blocked ? 1 : 0}
    ));
    return {};
}

Result<AccountStore::LineFlags> AccountStore::line_flags(AccountId id) {
    YOYAKU_TRY_ASSIGN(
        auto rows,
        stx_.tx().query(
            "SELECT line_relink, line_blocked, notify_channel, announcements FROM accounts WHERE tenant_id = $1 AND id = $2",
            stx_.tenant_id(),
            id
        )
    );
    if (rows.empty()) return LineFlags{};
    const auto& r = rows.front();
    return LineFlags{
        r.flag("line_relink"),
        r.flag("line_blocked"),
        r.text("notify_channel"),
        r.flag("announcements")};
}

Result<bool> AccountStore::update_announcements(AccountId id, bool on) {
    YOYAKU_TRY_ASSIGN(
        const auto changed,
        stx_.tx().exec(
            "UPDATE accounts SET announcements = $3 WHERE tenant_id = $1 AND id = $2 AND role = 'customer'",
            stx_.tenant_id(),
            id,
            on
        )
    );
    return changed > 0;
}

Result<bool> AccountStore::update_notify_channel(AccountId id, const std::string& channel) {
    YOYAKU_TRY_ASSIGN(
        const auto n,
        stx_.tx().exec(
            "UPDATE accounts SET notify_channel = $3 WHERE tenant_id = $1 AND id = $2 AND role = 'customer'",
            stx_.tenant_id(),
            id,
            channel
        )
    );
    return n > 0;
}

Result<bool> AccountStore::clear_line_user(AccountId id) {
    YOYAKU_TRY_ASSIGN(
        const auto n,
        stx_.tx().exec(
            "UPDATE accounts SET line_user_sealed = NULL, line_user_index = NULL WHERE tenant_id = $1 AND id = $2 AND line_user_sealed IS NOT NULL",
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

Result<void> AccountStore::update_locale(AccountId id, std::optional<std::string> locale) {
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
