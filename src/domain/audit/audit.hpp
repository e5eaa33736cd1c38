#pragma once
// The audit log (SPEC S12): every state change and every security event writes one entry in
// the same transaction as the change. Entries are append-only and hash-chained per tenant
// (chain 0 holds platform events): hash = BLAKE2b-256(prev_hash ‖ canonical entry), and the
// chain's head row records the last seq and hash, so an altered, removed, reordered or
// truncated entry is found by `verify`.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "core/time.hpp"
#include "storage/database.hpp"

namespace yoyaku::audit {

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
    std::int64_t id = 0;
    std::int64_t chain = 0;  ///< tenant id; 0 for the platform
    std::int64_t seq = 0;
    Instant at;
    Actor actor;
    Origin origin;
    Event event;
    std::string prev_hash;
    std::string hash;
};

/// Appends to the scoped tenant's chain. Errors: those of the store.
Result<Entry> append(
    storage::ScopedTx& tx, const Actor& actor, const Origin& origin, const Event& event, Instant at
);
/// Appends to the platform chain (operator actions not about one tenant's data).
Result<Entry> append_platform(
    storage::Tx& tx, const Actor& actor, const Origin& origin, const Event& event, Instant at
);

/// The canonical text the hash covers (length-prefixed fields, so no two entries share it).
std::string canonical(const Entry& e);

struct Problem {
    std::int64_t id = 0;  ///< the entry at fault (0 for the head)
    std::int64_t seq = 0;
    std::string reason;
};

struct Verification {
    std::int64_t chain = 0;
    std::int64_t entries = 0;
    std::optional<Problem> problem;  ///< the first problem, if any
};

/// Recomputes the scoped tenant's chain.
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

/// The scoped tenant's entries, newest first.
Result<std::vector<Entry>> list(storage::ScopedTx& tx, const Filter& filter);

}  // namespace yoyaku::audit
