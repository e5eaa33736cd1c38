#include "domain/accounts/sign_in_leftover_store.hpp"

namespace yoyaku::accounts {

Result<std::vector<SignInLeftoverStore::Swept>> SignInLeftoverStore::sweep(
    Instant now, Instant attempts_before, bool dry_run
) {
    const struct {
        const char* table;
        const char* expired;  ///< $2: the instant before which a row is gone
        Instant before;
    } kinds[] = {
        {"sessions", "(idle_expires_at < $2 OR absolute_expires_at < $2)", now},
        {"account_tokens", "expires_at < $2", now},
        {"mfa_challenges", "expires_at < $2", now},
        {"line_logins", "expires_at < $2", now},
        {"login_attempts", "at < $2", attempts_before},
        // LINE redelivers an event within hours; its id is kept as long as sign-in attempts.
        {"line_events", "received_at < $2", attempts_before},
    };
    std::vector<Swept> out;
    for (const auto& k : kinds) {
        const std::string where =
            std::string(" FROM ") + k.table + " WHERE tenant_id = $1 AND " + k.expired;
        std::int64_t n = 0;
        if (dry_run) {
            YOYAKU_TRY_ASSIGN(
                const auto row,
                tx_.query_one("SELECT count(*) AS n" + where, tenant_, to_micros(k.before))
            );
            n = row.i64("n");
        } else {
            YOYAKU_TRY_ASSIGN(n, tx_.exec("DELETE" + where, tenant_, to_micros(k.before)));
        }
        if (n > 0) out.push_back({k.table, n});
    }
    return out;
}

}  // namespace yoyaku::accounts
