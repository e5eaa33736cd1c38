#pragma once
// The audit log (SPEC S12): every state change and every security event writes one entry in
// the same transaction as the change. Entries are append-only and hash-chained per tenant
// (chain 0 holds platform events): hash = BLAKE2b-256 keyed with the chain key (prev_hash ‖
// canonical entry), and the chain's head row records the last seq and hash, so an altered,
// removed, reordered or truncated entry is found by `verify`. The chain key lives in the keys
// directory, outside the database (issue 24): whoever can write the database cannot recompute
// a rewritten chain. Signed checkpoints (checkpoints.hpp) catch a history rewritten whole.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "core/time.hpp"
#include "crypto/sealing.hpp"
#include "storage/database.hpp"

namespace yoyaku::audit {

/// Installs the chain key for this process (the platform does it when it opens its database,
/// from `audit.key` in the keys directory), before any entry is written or verified. Without
/// one, entries are written unkeyed (keyed = false), as before keying existed.
void use_chain_key(const crypto::SecretKey& key);

/// Who acted. `id` like "operator:3", "account:12", "cli", "system"; `role` one of operator,
/// manager, staff, kiosk, customer, system, anonymous.
struct Actor {
    std::string id;
    std::string role;
};

/// Where the action came from (empty for the CLI and jobs).
struct Origin {
    std::string client_address;
    std::string user_agent;
    std::string request_id;
};

/// What happened. `action` is dotted past tense ("tenant.created"); `target` names the object
/// ("tenant:5"); `details` is a JSON object that never holds secrets or personal data.
struct Event {
    std::string action;
    std::string target;
    std::string result = "success";  ///< success | failure | denied
    std::string details = "{}";
};

struct Entry {
    AuditEntryId id;
    TenantId chain;  ///< the tenant's chain; TenantId(0) for the platform
    std::int64_t seq = 0;
    Instant at;
    Actor actor;
    Origin origin;
    Event event;
    std::string prev_hash;
    std::string hash;
    bool keyed = false;  ///< hashed under the chain key (false: written before keying)
};

/// Appends to the scoped tenant's chain. Where writers run in parallel (PostgreSQL) the entry
/// is written unlinked, so that no shared row makes the tenant's writes wait on each other, and
/// linked into the chain right after the transaction commits (ADR 0027): the answer then has
/// seq 0 and no hashes. Errors: those of the store.
Result<Entry> append(
    storage::ScopedTx& tx, const Actor& actor, const Origin& origin, const Event& event, Instant at
);
/// Appends to the platform chain (operator actions not about one tenant's data).
Result<Entry> append_platform(
    storage::Tx& tx, const Actor& actor, const Origin& origin, const Event& event, Instant at
);

/// Links the chain's committed, unlinked entries, oldest first, after its head (the work each
/// writing transaction leaves for after its commit; also the sweep after a crash between
/// commit and linking). Answers how many it linked. Errors: those of the database.
Result<std::int64_t> link_waiting(storage::Database& db, TenantId chain);
/// The same inside the scoped tenant's transaction (before its chain is removed whole).
Result<std::int64_t> link_waiting(storage::ScopedTx& tx);

/// The canonical text the hash covers (length-prefixed fields, so no two entries share it).
std::string canonical(const Entry& e);

struct Problem {
    AuditEntryId id;  ///< the entry at fault (none for the head)
    std::int64_t seq = 0;
    std::string reason;
};

struct Verification {
    TenantId chain;
    std::int64_t entries = 0;
    std::int64_t unkeyed = 0;        ///< entries written before the chain was keyed
    std::int64_t unlinked = 0;       ///< committed, not yet linked (not verified yet either)
    std::optional<Problem> problem;  ///< the first problem, if any
};

/// Recomputes the scoped tenant's chain. A keyed entry needs the chain key installed; an unkeyed
/// entry after a keyed one is a problem (a rewrite that dropped the key).
Result<Verification> verify(storage::ScopedTx& tx);
/// Recomputes the platform chain.
Result<Verification> verify_platform(storage::Tx& tx);

struct Filter {
    std::optional<std::string> action_prefix;  ///< e.g. "tenant." or "account.login"
    std::optional<Instant> from, to;
    std::optional<std::string> actor_id;     ///< e.g. "account:12"
    std::optional<std::string> result;       ///< success | failure | denied
    std::optional<std::int64_t> before_seq;  ///< paging: entries older than this one
    int limit = 100;                         ///< 1..10000
};

/// A chain's last entry, as its head row records it.
struct Head {
    TenantId chain;
    std::int64_t seq = 0;
    std::string hash;
};
/// The head of every chain: the platform's, then each tenant's (every status), each once its
/// waiting entries are linked.
Result<std::vector<Head>> heads(storage::Database& db);

/// What a chain holds at one seq: the entry's hash, or that it was pruned by retention (its
/// anchor is later), or that the chain has no such entry.
struct AtSeq {
    enum class State { present, pruned, missing } state = State::missing;
    std::string hash;
};
Result<AtSeq> entry_at(storage::Database& db, TenantId chain, std::int64_t seq);

/// The scoped tenant's entries, newest first.
Result<std::vector<Entry>> list(storage::ScopedTx& tx, const Filter& filter);

}  // namespace yoyaku::audit
