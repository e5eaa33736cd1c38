#include "domain/audit/audit.hpp"

#include <memory>
#include <mutex>

#include "crypto/hash.hpp"
#include "domain/audit/audit_store.hpp"
#include "storage/catalog.hpp"

namespace yoyaku::audit {
namespace {

using storage::Tx;

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
    AuditChainStore store(tx, chain);
    YOYAKU_TRY_ASSIGN(const auto head, store.advance_head());
    Entry e;
    e.chain = chain;
    e.seq = head.seq;
    e.prev_hash = head.hash;
    e.at = at;
    e.actor = actor;
    e.origin = origin;
    e.event = event;
    const auto key = current_key();
    e.keyed = key != nullptr;
    e.hash = hash_of(e, key.get());
    YOYAKU_TRY_ASSIGN(e.id, store.insert(e));
    YOYAKU_TRY(store.update_head_hash(e.hash));
    return e;
}

Result<Verification> verify_chain(Tx& tx, TenantId chain) {
    Verification v;
    v.chain = chain;
    AuditChainStore store(tx, chain);
    YOYAKU_TRY_ASSIGN(const auto entries, store.list_all());
    // Retention deletes a chain's oldest entries and keeps the last one's hash as an anchor:
    // the rest verifies from there.
    YOYAKU_TRY_ASSIGN(const auto anchor, store.find_anchor());
    std::string prev = anchor ? anchor->hash : "";
    std::int64_t expected_seq = anchor ? anchor->seq + 1 : 1;
    const auto key = current_key();
    bool keyed_seen = false;
    for (const auto& e : entries) {
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
    YOYAKU_TRY_ASSIGN(const auto head, store.find_head());
    const std::int64_t head_seq = head ? head->seq : 0;
    const std::string head_hash = head ? head->hash : "";
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
    std::vector<TenantId> tenants;
    const auto head_of = [&](Tx& tx, TenantId chain) -> Result<void> {
        YOYAKU_TRY_ASSIGN(const auto head, AuditChainStore(tx, chain).find_head());
        if (head) out.push_back({chain, head->seq, head->hash});
        return {};
    };
    YOYAKU_TRY(db.read_platform([&](Tx& tx) -> Result<void> {
        YOYAKU_TRY(head_of(tx, TenantId(0)));
        YOYAKU_TRY_ASSIGN(tenants, storage::all_tenant_ids(tx));
        return {};
    }));
    for (const auto id : tenants)
        YOYAKU_TRY(db.read(storage::TenantScope(id), [&](storage::ScopedTx& stx) {
            return head_of(stx.tx(), id);
        }));
    return out;
}

Result<AtSeq> entry_at(storage::Database& db, TenantId chain, std::int64_t seq) {
    auto look = [&](Tx& tx) -> Result<AtSeq> {
        AtSeq at;
        AuditChainStore store(tx, chain);
        YOYAKU_TRY_ASSIGN(const auto anchor, store.find_anchor());
        if (anchor && seq <= anchor->seq) {
            if (seq < anchor->seq) {
                at.state = AtSeq::State::pruned;
                return at;
            }
            at.state = AtSeq::State::present;
            at.hash = anchor->hash;
            return at;
        }
        YOYAKU_TRY_ASSIGN(const auto hash, store.find_hash_at(seq));
        if (!hash) return at;
        at.state = AtSeq::State::present;
        at.hash = *hash;
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
    return AuditChainStore(tx.tx(), tx.tenant_id()).list(filter);
}

}  // namespace yoyaku::audit
