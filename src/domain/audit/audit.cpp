#include "domain/audit/audit.hpp"

#include <memory>
#include <mutex>

#include "crypto/hash.hpp"

namespace yoyaku::audit {
namespace {

using storage::Row;
using storage::Tx;

constexpr std::string_view kColumns =
    "id, chain, seq, at, actor_id, actor_role, action, target, client_address, user_agent, "
    "request_id, result, details, prev_hash, hash, keyed";

std::mutex key_mu;
std::shared_ptr<const crypto::SecretKey> chain_key;  // guarded by key_mu

std::shared_ptr<const crypto::SecretKey> current_key() {
    std::lock_guard lock(key_mu);
    return chain_key;
}

std::string hash_of(const Entry& e, const crypto::SecretKey* key) {
    const std::string text = e.prev_hash + "\n" + canonical(e);
    return key ? crypto::blake2b_256_keyed_hex(key->view(), text) : crypto::blake2b_256_hex(text);
}

Entry from_row(const Row& r) {
    Entry e;
    e.id = AuditEntryId(r.i64(0));
    e.chain = TenantId(r.i64(1));
    e.seq = r.i64(2);
    e.at = from_micros(r.i64(3));
    e.actor = {r.text(4), r.text(5)};
    e.event.action = r.text(6);
    e.event.target = r.text(7);
    e.origin = {r.text(8), r.text(9), r.text(10)};
    e.event.result = r.text(11);
    e.event.details = r.text(12);
    e.prev_hash = r.text(13);
    e.hash = r.text(14);
    e.keyed = r.i64(15) != 0;
    return e;
}

void field(std::string& out, std::string_view v) {
    out += std::to_string(v.size());
    out += ':';
    out += v;
    out += ';';
}

// Both backends: the head row is created on first use and locked by the UPDATE, so concurrent
// appends to one chain serialise (PostgreSQL row lock; SQLite's single writer).
Result<Entry> append_to(
    Tx& tx, TenantId chain, const Actor& actor, const Origin& origin, const Event& event, Instant at
) {
    YOYAKU_TRY(tx.exec(
        "INSERT INTO audit_heads(chain, seq, hash) VALUES ($1, 0, '') ON CONFLICT (chain) DO "
        "NOTHING",
        chain
    ));
    auto head = tx.query_one(
        "UPDATE audit_heads SET seq = seq + 1 WHERE chain = $1 RETURNING seq, hash", chain
    );
    if (!head) return fail(std::move(head).error());
    Entry e;
    e.chain = chain;
    e.seq = head->i64(0);
    e.prev_hash = head->text(1);
    e.at = at;
    e.actor = actor;
    e.origin = origin;
    e.event = event;
    const auto key = current_key();
    e.keyed = key != nullptr;
    e.hash = hash_of(e, key.get());
    auto row = tx.query_one(
        "INSERT INTO audit_log(chain, seq, at, actor_id, actor_role, action, target, "
        "client_address, "
        "user_agent, request_id, result, details, prev_hash, hash, keyed) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) RETURNING id",
        chain,
        e.seq,
        to_micros(at),
        actor.id,
        actor.role,
        event.action,
        event.target,
        origin.client_address,
        origin.user_agent,
        origin.request_id,
        event.result,
        event.details,
        e.prev_hash,
        e.hash,
        std::int64_t{e.keyed ? 1 : 0}
    );
    if (!row) return fail(std::move(row).error());
    e.id = AuditEntryId(row->i64(0));
    YOYAKU_TRY(tx.exec("UPDATE audit_heads SET hash = $2 WHERE chain = $1", chain, e.hash));
    return e;
}

Result<Verification> verify_chain(Tx& tx, TenantId chain) {
    Verification v;
    v.chain = chain;
    auto rows = tx.query(
        std::string("SELECT ") + std::string(kColumns) +
            " FROM audit_log WHERE chain = $1 ORDER BY seq, id",
        chain
    );
    if (!rows) return fail(std::move(rows).error());
    // Retention deletes a chain's oldest entries and keeps the last one's hash as an anchor:
    // the rest verifies from there.
    auto anchor = tx.query("SELECT seq, hash FROM audit_anchors WHERE chain = $1", chain);
    if (!anchor) return fail(std::move(anchor).error());
    std::string prev = anchor->empty() ? "" : anchor->front().text(1);
    std::int64_t expected_seq = anchor->empty() ? 1 : anchor->front().i64(0) + 1;
    const auto key = current_key();
    bool keyed_seen = false;
    for (const auto& r : *rows) {
        Entry e = from_row(r);
        ++v.entries;
        if (e.keyed && !key) {
            v.problem = Problem{e.id, e.seq, "keyed, but no chain key here to check it"};
            return v;
        }
        if (!e.keyed && keyed_seen) {
            v.problem = Problem{e.id, e.seq, "unkeyed after keyed entries (rewritten)"};
            return v;
        }
        keyed_seen = keyed_seen || e.keyed;
        if (!e.keyed) ++v.unkeyed;
        if (e.seq != expected_seq) {
            v.problem =
                Problem{e.id, e.seq, "sequence gap: expected " + std::to_string(expected_seq)};
            return v;
        }
        if (e.prev_hash != prev) {
            v.problem = Problem{e.id, e.seq, "does not link to the previous entry"};
            return v;
        }
        if (hash_of(e, e.keyed ? key.get() : nullptr) != e.hash) {
            v.problem = Problem{e.id, e.seq, "content does not match its hash (altered)"};
            return v;
        }
        prev = e.hash;
        ++expected_seq;
    }
    auto head = tx.query("SELECT seq, hash FROM audit_heads WHERE chain = $1", chain);
    if (!head) return fail(std::move(head).error());
    const std::int64_t head_seq = head->empty() ? 0 : head->front().i64(0);
    const std::string head_hash = head->empty() ? "" : head->front().text(1);
    if (head_seq != expected_seq - 1 || head_hash != prev)
        v.problem = Problem{
            AuditEntryId(),
            head_seq,
            "the chain ends at entry " + std::to_string(expected_seq - 1) + " but its head says " +
                std::to_string(head_seq) + " (entries removed)"};
    return v;
}

}  // namespace

void use_chain_key(const crypto::SecretKey& key) {
    auto k = std::make_shared<const crypto::SecretKey>(key);
    std::lock_guard lock(key_mu);
    chain_key = std::move(k);
}

Result<std::vector<Head>> heads(storage::Database& db) {
    std::vector<Head> out;
    std::vector<std::int64_t> tenants;
    YOYAKU_TRY(db.read_platform([&](Tx& tx) -> Result<void> {
        YOYAKU_TRY_ASSIGN(
            auto platform, tx.query("SELECT seq, hash FROM audit_heads WHERE chain = 0")
        );
        for (const auto& r : platform) out.push_back({TenantId(0), r.i64("seq"), r.text("hash")});
        YOYAKU_TRY_ASSIGN(auto rows, tx.query("SELECT id FROM tenants ORDER BY id"));
        for (const auto& r : rows) tenants.push_back(r.i64("id"));
        return {};
    }));
    for (const auto id : tenants)
        YOYAKU_TRY(db.read(
            storage::TenantScope(TenantId{id}),
            [&](storage::ScopedTx& stx) -> Result<void> {
                YOYAKU_TRY_ASSIGN(
                    auto rows,
                    stx.tx().query(
                        "SELECT seq, hash FROM audit_heads WHERE chain = $1", stx.tenant_id()
                    )
                );
                for (const auto& r : rows)
                    out.push_back({TenantId{id}, r.i64("seq"), r.text("hash")});
                return {};
            }
        ));
    return out;
}

Result<AtSeq> entry_at(storage::Database& db, TenantId chain, std::int64_t seq) {
    auto look = [&](Tx& tx) -> Result<AtSeq> {
        AtSeq at;
        YOYAKU_TRY_ASSIGN(
            auto anchor, tx.query("SELECT seq, hash FROM audit_anchors WHERE chain = $1", chain)
        );
        if (!anchor.empty() && seq <= anchor.front().i64("seq")) {
            if (seq < anchor.front().i64("seq")) {
                at.state = AtSeq::State::pruned;
                return at;
            }
            at.state = AtSeq::State::present;
            at.hash = anchor.front().text("hash");
            return at;
        }
        YOYAKU_TRY_ASSIGN(
            auto rows,
            tx.query("SELECT hash FROM audit_log WHERE chain = $1 AND seq = $2", chain, seq)
        );
        if (rows.empty()) return at;
        at.state = AtSeq::State::present;
        at.hash = rows.front().text("hash");
        return at;
    };
    if (!chain.valid()) return db.read_platform(look);
    return db.read(storage::TenantScope(chain), [&](storage::ScopedTx& stx) {
        return look(stx.tx());
    });
}

std::string canonical(const Entry& e) {
    std::string out;
    field(out, to_string(e.chain));
    field(out, std::to_string(e.seq));
    field(out, std::to_string(to_micros(e.at)));
    field(out, e.actor.id);
    field(out, e.actor.role);
    field(out, e.event.action);
    field(out, e.event.target);
    field(out, e.origin.client_address);
    field(out, e.origin.user_agent);
    field(out, e.origin.request_id);
    field(out, e.event.result);
    field(out, e.event.details);
    return out;
}

Result<Entry> append(
    storage::ScopedTx& tx, const Actor& actor, const Origin& origin, const Event& event, Instant at
) {
    return append_to(tx.tx(), tx.tenant_id(), actor, origin, event, at);
}

Result<Entry> append_platform(
    storage::Tx& tx, const Actor& actor, const Origin& origin, const Event& event, Instant at
) {
    return append_to(tx, TenantId(0), actor, origin, event, at);
}

Result<Verification> verify(storage::ScopedTx& tx) {
    return verify_chain(tx.tx(), tx.tenant_id());
}
Result<Verification> verify_platform(storage::Tx& tx) {
    return verify_chain(tx, TenantId(0));
}

Result<std::vector<Entry>> list(storage::ScopedTx& tx, const Filter& filter) {
    if (filter.limit < 1 || filter.limit > 10000)
        return Error::invalid("limit", "must be 1 to 10000");
    const std::string prefix = filter.action_prefix.value_or("");
    if (prefix.size() > 100) return Error::invalid("action", "must be at most 100 characters");
    // LIKE is avoided (its escape rules differ); a prefix is a range on the text.
    auto rows = tx.tx().query(
        std::string("SELECT ") + std::string(kColumns) +
            " FROM audit_log WHERE chain = $1 AND substr(action, 1, length($2)) = $2 "
            "AND at >= $3 AND at < $4 AND seq < $6 AND ($7 = '' OR actor_id = $7) AND ($8 = '' "
            "OR result = $8) ORDER BY seq DESC LIMIT $5",
        tx.tenant_id().value,
        prefix,
        filter.from ? to_micros(*filter.from) : INT64_MIN,
        filter.to ? to_micros(*filter.to) : INT64_MAX,
        std::int64_t{filter.limit},
        filter.before_seq.value_or(INT64_MAX),
        filter.actor_id.value_or(""),
        filter.result.value_or("")
    );
    if (!rows) return fail(std::move(rows).error());
    std::vector<Entry> out;
    out.reserve(rows->size());
    for (const auto& r : *rows) out.push_back(from_row(r));
    return out;
}

}  // namespace yoyaku::audit
