#include "domain/accounts/address_rule_store.hpp"

namespace yoyaku::accounts {

Result<std::vector<AddressRule>> AddressRuleStore::list_live(Instant now) {
    YOYAKU_TRY_ASSIGN(
        auto rows,
        tx_.query(
            "SELECT id, kind, cidr, reason, source, created_at, expires_at FROM address_rules WHERE expires_at IS NULL OR expires_at > $1 ORDER BY id DESC",
            to_micros(now)
        )
    );
    std::vector<AddressRule> out;
    out.reserve(rows.size());
    for (const auto& r : rows) {
        auto cidr = net::parse_cidr(r.text("cidr"));
        if (!cidr) continue;
        AddressRule rule;
        rule.id = r.id<AddressRuleId>("id");
        rule.kind = r.text("kind") == "allow" ? RuleKind::allow : RuleKind::block;
        rule.cidr = *cidr;
        rule.reason = r.text("reason");
        rule.automatic = r.text("source") == "automatic";
        rule.created_at = from_micros(r.i64("created_at"));
        if (auto at = r.opt_i64("expires_at")) rule.expires_at = from_micros(*at);
        out.push_back(std::move(rule));
    }
    return out;
}

Result<bool> AddressRuleStore::automatic_block_live(const std::string& cidr, Instant now) {
    YOYAKU_TRY_ASSIGN(
        auto rows,
        tx_.query(
            "SELECT id FROM address_rules WHERE kind = 'block' AND source = 'automatic' AND cidr = $1 AND expires_at > $2",
            cidr,
            to_micros(now)
        )
    );
    return !rows.empty();
}

Result<AddressRuleId> AddressRuleStore::insert(
    RuleKind kind,
    const std::string& cidr,
    const std::string& reason,
    bool automatic,
    Instant now,
    std::optional<Instant> expires_at
) {
    YOYAKU_TRY_ASSIGN(
        auto row,
        tx_.query_one(
            "INSERT INTO address_rules(kind, cidr, reason, source, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
            std::string(to_string(kind)),
            cidr,
            reason,
            std::string(automatic ? "automatic" : "operator"),
            to_micros(now),
            expires_at ? storage::Value(to_micros(*expires_at)) : storage::Value()
        )
    );
    return row.id<AddressRuleId>("id");
}

Result<std::optional<std::pair<RuleKind, std::string>>> AddressRuleStore::remove(AddressRuleId id) {
    YOYAKU_TRY_ASSIGN(
        auto rows, tx_.query("DELETE FROM address_rules WHERE id = $1 RETURNING kind, cidr", id)
    );
    if (rows.empty()) return std::optional<std::pair<RuleKind, std::string>>();
    return std::optional<std::pair<RuleKind, std::string>>(std::pair{
        rows.front().text("kind") == "block" ? RuleKind::block : RuleKind::allow,
        rows.front().text("cidr")});
}

Result<void> LoginAttemptStore::insert(
    TenantId tenant,
    const std::string& subject,
    const std::string& client,
    Instant at,
    const std::string& result
) {
    YOYAKU_TRY(tx_.exec(
        "INSERT INTO login_attempts(tenant_id, subject, client_address, at, result) VALUES ($1, $2, $3, $4, $5)",
        tenant,
        subject,
        client,
        to_micros(at),
        result
    ));
    return {};
}

Result<std::int64_t> LoginAttemptStore::count_failed_subjects(
    const std::string& client, Instant since
) {
    YOYAKU_TRY_ASSIGN(
        auto row,
        tx_.query_one(
            "SELECT count(DISTINCT subject) AS accounts FROM login_attempts WHERE client_address = $1 AND at > $2 AND result IN ('failure', 'locked')",
            client,
            to_micros(since)
        )
    );
    return row.i64("accounts");
}

}  // namespace yoyaku::accounts
