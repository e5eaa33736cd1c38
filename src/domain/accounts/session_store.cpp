#include "domain/accounts/session_store.hpp"

namespace yoyaku::accounts {

Result<void> SessionStore::insert(
    const std::string& hash, AccountId account, const SessionInfo& s, Instant now
) {
    YOYAKU_TRY(stx_.tx().exec(
        "INSERT INTO sessions(id_hash, tenant_id, account_id, public_id, created_at, last_seen_at, idle_expires_at, absolute_expires_at, reauthenticated_at, client_address, user_agent) VALUES ($1, $2, $3, $4, $5, $5, $6, $7, $5, $8, $9)",
        hash,
        stx_.tenant_id(),
        account,
        s.id,
        to_micros(now),
        to_micros(s.idle_expires_at),
        to_micros(s.absolute_expires_at),
        s.client_address,
        s.user_agent
    ));
    return {};
}

Result<std::optional<SessionSeen>> SessionStore::find_seen(const std::string& hash) {
    YOYAKU_TRY_ASSIGN(
        const auto rows,
        stx_.tx().query(
            "SELECT s.account_id, s.public_id, s.idle_expires_at, s.absolute_expires_at, s.reauthenticated_at, s.last_seen_at, a.role, a.status, CASE WHEN a.totp_enabled_at IS NULL THEN 0 ELSE 1 END AS totp FROM sessions s JOIN accounts a ON a.id = s.account_id AND a.tenant_id = s.tenant_id WHERE s.id_hash = $1 AND s.tenant_id = $2",
            hash,
            stx_.tenant_id()
        )
    );
    if (rows.empty()) return std::optional<SessionSeen>();
    const auto& r = rows.front();
    return std::optional(SessionSeen{
        r.id<AccountId>("account_id"),
        r.text("public_id"),
        from_micros(r.i64("idle_expires_at")),
        from_micros(r.i64("absolute_expires_at")),
        from_micros(r.i64("reauthenticated_at")),
        from_micros(r.i64("last_seen_at")),
        r.text("role"),
        r.text("status"),
        r.flag("totp")});
}

Result<void> SessionStore::update_seen(
    const std::string& hash, Instant now, Instant idle_expires_at
) {
    YOYAKU_TRY(stx_.tx().exec(
        "UPDATE sessions SET last_seen_at = $3, idle_expires_at = $4 WHERE id_hash = $1 AND tenant_id = $2",
        hash,
        stx_.tenant_id(),
        to_micros(now),
        to_micros(idle_expires_at)
    ));
    return {};
}

Result<std::optional<std::pair<AccountId, std::string>>> SessionStore::remove(
    const std::string& hash
) {
    YOYAKU_TRY_ASSIGN(
        const auto rows,
        stx_.tx().query(
            "DELETE FROM sessions WHERE id_hash = $1 AND tenant_id = $2 RETURNING account_id, public_id",
            hash,
            stx_.tenant_id()
        )
    );
    if (rows.empty()) return std::optional<std::pair<AccountId, std::string>>();
    return std::optional(std::pair{
        rows.front().id<AccountId>("account_id"), rows.front().text("public_id")});
}

Result<std::vector<std::pair<SessionInfo, std::string>>> SessionStore::list_live(
    AccountId account, Instant now
) {
    YOYAKU_TRY_ASSIGN(
        const auto rows,
        stx_.tx().query(
            "SELECT public_id, created_at, last_seen_at, idle_expires_at, absolute_expires_at, client_address, user_agent, id_hash FROM sessions WHERE tenant_id = $1 AND account_id = $2 AND idle_expires_at > $3 AND absolute_expires_at > $3 ORDER BY created_at DESC",
            stx_.tenant_id(),
            account,
            to_micros(now)
        )
    );
    std::vector<std::pair<SessionInfo, std::string>> out;
    out.reserve(rows.size());
    for (const auto& r : rows) {
        SessionInfo s;
        s.id = r.text("public_id");
        s.created_at = from_micros(r.i64("created_at"));
        s.last_seen_at = from_micros(r.i64("last_seen_at"));
        s.idle_expires_at = from_micros(r.i64("idle_expires_at"));
        s.absolute_expires_at = from_micros(r.i64("absolute_expires_at"));
        s.client_address = r.text("client_address");
        s.user_agent = r.text("user_agent");
        out.emplace_back(std::move(s), r.text("id_hash"));
    }
    return out;
}

Result<bool> SessionStore::remove_public(AccountId account, const std::string& public_id) {
    YOYAKU_TRY_ASSIGN(
        const auto n,
        stx_.tx().exec(
            "DELETE FROM sessions WHERE tenant_id = $1 AND account_id = $2 AND public_id = $3",
            stx_.tenant_id(),
            account,
            public_id
        )
    );
    return n > 0;
}

Result<std::int64_t> SessionStore::remove_of_account(
    AccountId account, const std::optional<std::string>& keep
) {
    return stx_.tx().exec(
        "DELETE FROM sessions WHERE tenant_id = $1 AND account_id = $2 AND public_id <> $3",
        stx_.tenant_id(),
        account,
        keep.value_or("")
    );
}

}  // namespace yoyaku::accounts
