#include "domain/audit/audit_store.hpp"

#include <climits>

#include "storage/concurrency.hpp"

namespace yoyaku::audit {
namespace {

constexpr std::int32_t kLinkingLock = 1635083369;  // "audi"

constexpr std::string_view kColumns =
    "id, chain, seq, at, actor_id, actor_role, action, target, client_address, user_agent, "
    "request_id, result, details, prev_hash, hash, keyed";

Entry from_row(const storage::Row& r) {
    Entry e;
    e.id = r.id<AuditEntryId>("id");
    e.chain = r.id<TenantId>("chain");
    e.seq = r.i64("seq");
    e.at = from_micros(r.i64("at"));
    e.actor = {r.text("actor_id"), r.text("actor_role")};
    e.event.action = r.text("action");
    e.event.target = r.text("target");
    e.origin = {r.text("client_address"), r.text("user_agent"), r.text("request_id")};
    e.event.result = r.text("result");
    e.event.details = r.text("details");
    e.prev_hash = r.text("prev_hash");
    e.hash = r.text("hash");
    e.keyed = r.flag("keyed");
    return e;
}

std::vector<Entry> entries_of(const std::vector<storage::Row>& rows) {
    std::vector<Entry> out;
    out.reserve(rows.size());
    for (const auto& r : rows) out.push_back(from_row(r));
    return out;
}

std::optional<Mark> mark_of(const std::vector<storage::Row>& rows) {
    if (rows.empty()) return std::nullopt;
    return Mark{rows.front().i64("seq"), rows.front().text("hash")};
}

}  // namespace

Result<Mark> AuditChainStore::advance_head() {
    YOYAKU_TRY(tx_.exec(
        "INSERT INTO audit_heads(chain, seq, hash) VALUES ($1, 0, '') ON CONFLICT (chain) DO NOTHING",
        chain_
    ));
    YOYAKU_TRY_ASSIGN(
        const auto row,
        tx_.query_one(
            "UPDATE audit_heads SET seq = seq + 1 WHERE chain = $1 RETURNING seq, hash", chain_
        )
    );
    return Mark{row.i64("seq"), row.text("hash")};
}

Result<void> AuditChainStore::update_head_hash(const std::string& hash) {
    YOYAKU_TRY(tx_.exec("UPDATE audit_heads SET hash = $2 WHERE chain = $1", chain_, hash));
    return {};
}

Result<void> AuditChainStore::lock_for_linking() {
    return storage::lock_name(tx_, kLinkingLock, chain_.value);
}

Result<std::int64_t> AuditChainStore::count_unlinked() {
    YOYAKU_TRY_ASSIGN(
        const auto row,
        tx_.query_one(
            "SELECT count(*) AS entries FROM audit_log WHERE chain = $1 AND seq IS NULL", chain_
        )
    );
    return row.i64("entries");
}

Result<std::vector<Entry>> AuditChainStore::unlinked(int limit) {
    YOYAKU_TRY_ASSIGN(
        const auto rows,
        tx_.query(
            "SELECT id, chain, 0 AS seq, at, actor_id, actor_role, action, target, client_address, user_agent, request_id, result, details, '' AS prev_hash, '' AS hash, 0 AS keyed FROM audit_log WHERE chain = $1 AND seq IS NULL ORDER BY id LIMIT $2",
            chain_,
            limit
        )
    );
    return entries_of(rows);
}

Result<void> AuditChainStore::link(const Entry& e) {
    YOYAKU_TRY_ASSIGN(
        const auto n,
        tx_.exec(
            "UPDATE audit_log SET seq = $3, prev_hash = $4, hash = $5, keyed = $6 WHERE chain = $1 AND id = $2 AND seq IS NULL",
            chain_,
            e.id,
            e.seq,
            e.prev_hash,
            e.hash,
            e.keyed
        )
    );
    if (n != 1) return Error::internal("audit entry " + to_string(e.id) + " was linked twice");
    return {};
}

Result<void> AuditChainStore::set_head(const Mark& m) {
    YOYAKU_TRY(tx_.exec(
        "INSERT INTO audit_heads(chain, seq, hash) VALUES ($1, $2, $3) ON CONFLICT (chain) DO UPDATE SET seq = excluded.seq, hash = excluded.hash",
        chain_,
        m.seq,
        m.hash
    ));
    return {};
}

Result<std::optional<Mark>> AuditChainStore::find_head() {
    YOYAKU_TRY_ASSIGN(
        const auto rows, tx_.query("SELECT seq, hash FROM audit_heads WHERE chain = $1", chain_)
    );
    return mark_of(rows);
}

Result<std::optional<Mark>> AuditChainStore::find_anchor() {
    YOYAKU_TRY_ASSIGN(
        const auto rows, tx_.query("SELECT seq, hash FROM audit_anchors WHERE chain = $1", chain_)
    );
    return mark_of(rows);
}

Result<void> AuditChainStore::upsert_anchor(const Mark& m, std::int64_t at_micros) {
    YOYAKU_TRY(tx_.exec(
        "INSERT INTO audit_anchors(chain, seq, hash, at) VALUES ($1, $2, $3, $4) ON CONFLICT (chain) DO UPDATE SET seq = excluded.seq, hash = excluded.hash, at = excluded.at",
        chain_,
        m.seq,
        m.hash,
        at_micros
    ));
    return {};
}

Result<AuditEntryId> AuditChainStore::insert(const Entry& e) {
    YOYAKU_TRY_ASSIGN(
        const auto row,
        tx_.query_one(
            "INSERT INTO audit_log(chain, seq, at, actor_id, actor_role, action, target, client_address, user_agent, request_id, result, details, prev_hash, hash, keyed) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) RETURNING id",
            chain_,
            e.seq > 0 ? std::optional(e.seq) : std::nullopt,
            to_micros(e.at),
            e.actor.id,
            e.actor.role,
            e.event.action,
            e.event.target,
            e.origin.client_address,
            e.origin.user_agent,
            e.origin.request_id,
            e.event.result,
            e.event.details,
            e.seq > 0 ? std::optional(e.prev_hash) : std::nullopt,
            e.seq > 0 ? std::optional(e.hash) : std::nullopt,
            e.keyed
        )
    );
    return row.id<AuditEntryId>("id");
}

Result<std::vector<Entry>> AuditChainStore::list_all() {
    YOYAKU_TRY_ASSIGN(
        const auto rows,
        tx_.query(
            "SELECT " + std::string(kColumns) +
                " FROM audit_log WHERE chain = $1 AND seq IS NOT NULL ORDER BY seq",
            chain_
        )
    );
    return entries_of(rows);
}

Result<std::vector<Entry>> AuditChainStore::list(const Filter& f) {
    // LIKE is avoided (its escape rules differ); a prefix is a range on the text.
    YOYAKU_TRY_ASSIGN(
        const auto rows,
        tx_.query(
            "SELECT " + std::string(kColumns) +
                " FROM audit_log WHERE chain = $1 AND seq IS NOT NULL AND substr(action, 1, length($2)) = $2 AND at >= $3 AND at < $4 AND seq < $6 AND ($7 = '' OR actor_id = $7) AND ($8 = '' OR result = $8) ORDER BY seq DESC LIMIT $5",
            chain_,
            f.action_prefix.value_or(""),
            f.from ? to_micros(*f.from) : INT64_MIN,
            f.to ? to_micros(*f.to) : INT64_MAX,
            f.limit,
            f.before_seq.value_or(INT64_MAX),
            f.actor_id.value_or(""),
            f.result.value_or("")
        )
    );
    return entries_of(rows);
}

Result<std::optional<std::string>> AuditChainStore::find_hash_at(std::int64_t seq) {
    YOYAKU_TRY_ASSIGN(
        const auto rows,
        tx_.query("SELECT hash FROM audit_log WHERE chain = $1 AND seq = $2", chain_, seq)
    );
    if (rows.empty()) return std::optional<std::string>();
    return std::optional<std::string>(rows.front().text("hash"));
}

Result<std::optional<Mark>> AuditChainStore::find_last_before(Instant cutoff) {
    YOYAKU_TRY_ASSIGN(
        const auto rows,
        tx_.query(
            "SELECT seq, hash FROM audit_log WHERE chain = $1 AND seq IS NOT NULL AND at < $2 ORDER BY seq DESC LIMIT 1",
            chain_,
            to_micros(cutoff)
        )
    );
    return mark_of(rows);
}

Result<std::int64_t> AuditChainStore::count() {
    YOYAKU_TRY_ASSIGN(
        const auto row,
        tx_.query_one("SELECT count(*) AS entries FROM audit_log WHERE chain = $1", chain_)
    );
    return row.i64("entries");
}

Result<std::int64_t> AuditChainStore::count_up_to(std::int64_t seq) {
    YOYAKU_TRY_ASSIGN(
        const auto row,
        tx_.query_one(
            "SELECT count(*) AS entries FROM audit_log WHERE chain = $1 AND seq <= $2", chain_, seq
        )
    );
    return row.i64("entries");
}

Result<std::int64_t> AuditChainStore::remove_up_to(std::int64_t seq) {
    return tx_.exec("DELETE FROM audit_log WHERE chain = $1 AND seq <= $2", chain_, seq);
}

Result<void> AuditChainStore::remove_all() {
    YOYAKU_TRY(tx_.exec("DELETE FROM audit_log WHERE chain = $1", chain_));
    YOYAKU_TRY(tx_.exec("DELETE FROM audit_anchors WHERE chain = $1", chain_));
    YOYAKU_TRY(tx_.exec("DELETE FROM audit_heads WHERE chain = $1", chain_));
    return {};
}

}  // namespace yoyaku::audit
