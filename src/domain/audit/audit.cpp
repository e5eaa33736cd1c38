#include "domain/audit/audit.hpp"

#include <atomic>
#include <map>
#include <memory>
#include <mutex>

#include "crypto/hash.hpp"
#include "domain/audit/audit_store.hpp"
#include "storage/catalog.hpp"
#include "storage/concurrency.hpp"

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

// Gives `e` its place after `head` and its hash.
void place(Entry& e, const Mark& head, const crypto::SecretKey* key) {
    e.seq = head.seq + 1;
    e.prev_hash = head.hash;
    e.keyed = key != nullptr;
    e.hash = hash_of(e, key);
}

constexpr int kLinkBatch = 256;

Result<Entry> append_to(
    Tx& tx, TenantId chain, const Actor& actor, const Origin& origin, const Event& event, Instant at
) {
    AuditChainStore store(tx, chain);
    Entry e;
    e.chain = chain;
    e.at = at;
    e.actor = actor;
    e.origin = origin;
    e.event = event;
    if (storage::writers_run_one_at_a_time(tx)) {
        // One writer at a time: linking here, through the locked head, waits on nobody.
        YOYAKU_TRY_ASSIGN(const auto head, store.advance_head());
        place(e, {head.seq - 1, head.hash}, current_key().get());
        YOYAKU_TRY_ASSIGN(e.id, store.insert(e));
        YOYAKU_TRY(store.update_head_hash(e.hash));
        return e;
    }
    // Parallel writers (ADR 0027): written unlinked, linked once committed. A failure there
    // leaves the entry waiting for the chain's next commit or the hourly checkpoint's sweep.
    YOYAKU_TRY_ASSIGN(e.id, store.insert(e));
    tx.after_commit("audit.link:" + to_string(chain), [chain](storage::Database& db) {
        (void)link_waiting(db, chain);
    });
    return e;
}

// Linkers of one chain in this process take turns here before they take a connection, so that
// waiting for the chain's advisory lock never holds the pool's connections (ADR 0027). Each
// linker draws a ticket after its commit; a pass that began after a ticket was drawn has seen
// that commit's entries, so once it has finished, the ticket's holder has nothing left to do.
struct Turns {
    std::mutex mu;                  // held for a whole pass
    std::uint64_t linked_upto = 0;  // guarded by mu: the tickets the last finished pass covers
};
std::atomic<std::uint64_t> tickets{0};
std::mutex turns_mu;
std::map<std::pair<const storage::Database*, std::int64_t>, std::shared_ptr<Turns>> turns;

std::shared_ptr<Turns> turns_of(const storage::Database& db, TenantId chain) {
    std::lock_guard lock(turns_mu);
    auto& t = turns[{&db, chain.value}];
    if (!t) t = std::make_shared<Turns>();
    return t;
}

// One linking transaction: up to kLinkBatch entries. Answers how many.
Result<std::int64_t> link_batch(Tx& tx, TenantId chain) {
    AuditChainStore store(tx, chain);
    YOYAKU_TRY_ASSIGN(const auto waiting, store.count_unlinked());
    if (waiting == 0) return 0;
    YOYAKU_TRY(store.lock_for_linking());
    YOYAKU_TRY_ASSIGN(const auto found, store.find_head());
    Mark head = found.value_or(Mark{});
    YOYAKU_TRY_ASSIGN(auto entries, store.unlinked(kLinkBatch));
    const auto key = current_key();
    for (auto& e : entries) {
        place(e, head, key.get());
        YOYAKU_TRY(store.link(e));
        head = {e.seq, e.hash};
    }
    if (!entries.empty()) YOYAKU_TRY(store.set_head(head));
    return static_cast<std::int64_t>(entries.size());
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
    YOYAKU_TRY_ASSIGN(v.unlinked, store.count_unlinked());
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

Result<std::int64_t> link_waiting(storage::ScopedTx& tx) {
    std::int64_t total = 0;
    for (;;) {
        YOYAKU_TRY_ASSIGN(const auto n, link_batch(tx.tx(), tx.tenant_id()));
        total += n;
        if (n < kLinkBatch) return total;
    }
}

Result<std::int64_t> link_waiting(storage::Database& db, TenantId chain) {
    const std::uint64_t ticket = ++tickets;
    const auto turn = turns_of(db, chain);
    std::lock_guard lock(turn->mu);
    if (turn->linked_upto >= ticket) return 0;  // a pass that began after ours linked it
    const std::uint64_t pass = tickets.load();
    std::int64_t total = 0;
    for (;;) {
        auto n = chain.valid()
                     ? db.write(
                           storage::TenantScope(chain),
                           [&](storage::ScopedTx& stx) { return link_batch(stx.tx(), chain); }
                       )
                     : db.write_platform([&](Tx& tx) { return link_batch(tx, chain); });
        if (!n) return fail(std::move(n).error());
        total += *n;
        if (*n < kLinkBatch) break;
    }
    turn->linked_upto = pass;
    return total;
}

void use_chain_key(const crypto::SecretKey& key) {
    auto k = std::make_shared<const crypto::SecretKey>(key);
    std::lock_guard lock(key_mu);
    chain_key = std::move(k);
}

Result<std::vector<Head>> heads(storage::Database& db) {
    std::vector<TenantId> chains{TenantId(0)};
    YOYAKU_TRY(db.read_platform([&](Tx& tx) -> Result<void> {
        YOYAKU_TRY_ASSIGN(const auto tenants, storage::all_tenant_ids(tx));
        chains.insert(chains.end(), tenants.begin(), tenants.end());
        return {};
    }));
    std::vector<Head> out;
    for (const auto chain : chains) {
        YOYAKU_TRY(link_waiting(db, chain));
        const auto head_of = [&](Tx& tx) -> Result<void> {
            YOYAKU_TRY_ASSIGN(const auto head, AuditChainStore(tx, chain).find_head());
            if (head) out.push_back({chain, head->seq, head->hash});
            return {};
        };
        if (!chain.valid()) {
            YOYAKU_TRY(db.read_platform(head_of));
        } else {
            YOYAKU_TRY(db.read(storage::TenantScope(chain), [&](storage::ScopedTx& stx) {
                return head_of(stx.tx());
            }));
        }
    }
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
