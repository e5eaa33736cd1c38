#pragma once
// The audit chains' rows (ADR 0006, 0016): `audit_log` entries, each chain's head (its last
// seq and hash) and its anchor (where retention cut it off). One store over one chain: a
// tenant's (its TenantId) or the platform's (TenantId(0)).

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/ids.hpp"
#include "core/result.hpp"
#include "core/time.hpp"
#include "domain/audit/audit.hpp"
#include "storage/database.hpp"

namespace yoyaku::audit {

/// A place in a chain: an entry's seq and hash.
struct Mark {
    std::int64_t seq = 0;
    std::string hash;
};

class AuditChainStore {
public:
    AuditChainStore(storage::Tx& tx, TenantId chain) : tx_(tx), chain_(chain) {}

    /// Takes the next seq (creating the head on first use); the head row stays locked until
    /// COMMIT, so appends to one chain serialise (SQLite, whose writes are serial anyway).
    /// Returns that seq and the previous hash.
    Result<Mark> advance_head();
    Result<void> update_head_hash(const std::string& hash);

    // Linking after commit (PostgreSQL, ADR 0027): entries are written unlinked (no seq, no
    // hashes) and given their place once committed, under a lock only linkers take.
    /// Waits for, then holds until COMMIT, the right to link this chain (PostgreSQL: an
    /// advisory lock; it writes nothing, so a linker that finds nothing commits for free).
    Result<void> lock_for_linking();
    /// How many committed entries wait to be linked (no lock taken).
    Result<std::int64_t> count_unlinked();
    /// The oldest entries waiting to be linked, in the order they were written.
    Result<std::vector<Entry>> unlinked(int limit);
    /// Gives an unlinked entry its place: seq, prev_hash, hash, keyed.
    Result<void> link(const Entry& e);
    /// Moves the head (creating it on first use).
    Result<void> set_head(const Mark& m);
    /// The head (none before the first entry).
    Result<std::optional<Mark>> find_head();
    /// The anchor retention left (none while nothing was pruned).
    Result<std::optional<Mark>> find_anchor();
    /// Sets the anchor (`at`: when it was cut; 0 for a chain that is going whole).
    Result<void> upsert_anchor(const Mark& m, std::int64_t at_micros);

    /// Writes `e`, linked (its seq set) or unlinked (seq 0: seq and hashes stay empty).
    Result<AuditEntryId> insert(const Entry& e);
    /// Every linked entry, in seq order.
    Result<std::vector<Entry>> list_all();
    /// Linked entries, newest first, as the filter narrows.
    Result<std::vector<Entry>> list(const Filter& f);
    /// The hash of the entry at `seq` (none: no such entry).
    Result<std::optional<std::string>> find_hash_at(std::int64_t seq);
    /// The last entry written before `cutoff` (none: nothing that old).
    Result<std::optional<Mark>> find_last_before(Instant cutoff);
    Result<std::int64_t> count();
    Result<std::int64_t> count_up_to(std::int64_t seq);
    /// Removes the entries up to `seq` (below the anchor just set). Returns how many.
    Result<std::int64_t> remove_up_to(std::int64_t seq);
    /// Removes the chain whole: entries, anchor and head.
    Result<void> remove_all();

private:
    storage::Tx& tx_;
    TenantId chain_;
};

}  // namespace yoyaku::audit
