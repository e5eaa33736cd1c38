#include "domain/line/line_login_store.hpp"

namespace yoyaku::line {

Result<std::int64_t> LineLoginStore::insert(const NewLogin& row, Instant now) {
    const auto account =
        row.account ? std::optional<std::int64_t>(row.account->value) : std::nullopt;
    YOYAKU_TRY_ASSIGN(
        const auto r,
        stx_.tx().query_one(
            "INSERT INTO line_logins (tenant_id, secret_hash, purpose, account_id, nonce, return_to, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
            stx_.tenant_id(),
            row.secret_hash,
            row.purpose,
            account,
            row.nonce,
            row.return_to,
            to_micros(now),
            to_micros(row.expires_at)
        )
    );
    return r.i64("id");
}

Result<void> LineLoginStore::update_line_user(std::int64_t id, const std::string& sealed) {
    YOYAKU_TRY(stx_.tx().exec(
        "UPDATE line_logins SET line_user_sealed = $3 WHERE tenant_id = $1 AND id = $2",
        stx_.tenant_id(),
        id,
        storage::Blob{sealed}
    ));
    return {};
}

Result<std::optional<LoginRow>> LineLoginStore::find(
    const std::string& secret_hash, std::string_view purpose, Instant now
) {
    YOYAKU_TRY_ASSIGN(
        const auto rows,
        stx_.tx().query(
            "SELECT id, purpose, account_id, nonce, line_user_sealed, return_to FROM line_logins WHERE tenant_id = $1 AND secret_hash = $2 AND purpose = $3 AND expires_at > $4",
            stx_.tenant_id(),
            secret_hash,
            std::string(purpose),
            to_micros(now)
        )
    );
    if (rows.empty()) return std::optional<LoginRow>();
    const auto& r = rows.front();
    LoginRow out;
    out.id = r.i64("id");
    out.purpose = r.text("purpose");
    if (!r.is_null("account_id")) out.account = r.id<AccountId>("account_id");
    out.nonce = r.text("nonce");
    if (!r.is_null("line_user_sealed")) out.line_user_sealed = r.blob("line_user_sealed").bytes;
    out.return_to = r.text("return_to");
    return std::optional<LoginRow>(std::move(out));
}

Result<bool> LineLoginStore::remove(std::int64_t id) {
    YOYAKU_TRY_ASSIGN(
        const auto n,
        stx_.tx().exec(
            "DELETE FROM line_logins WHERE tenant_id = $1 AND id = $2", stx_.tenant_id(), id
        )
    );
    return n > 0;
}

}  // namespace yoyaku::line
