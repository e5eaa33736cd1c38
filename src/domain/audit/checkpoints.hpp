#pragma once
// Signed checkpoints of the audit chains (issue 24): at least hourly the platform writes the
// head of every chain (chain, seq, hash), signed with an Ed25519 key from the keys directory,
// into files outside the database (the log directory, and the backup directory when there is
// one). A history rewritten whole (every hash recomputed, the head row moved) still verifies
// as a chain, but no longer holds the hashes an earlier checkpoint signed: `yoyaku audit verify
// --checkpoints DIR` finds it.

#include <filesystem>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "core/time.hpp"
#include "crypto/sealing.hpp"
#include "storage/database.hpp"

namespace yoyaku::audit {

/// Writes one checkpoint file, "audit-checkpoint-<UTC time>.json", into each of `dirs` (made
/// when missing, mode 0700; the file 0600). Answers the files written.
Result<std::vector<std::filesystem::path>> write_checkpoint(
    storage::Database& db,
    const crypto::SecretKey& signing_seed,
    const std::vector<std::filesystem::path>& dirs,
    Instant now
);

struct CheckpointReport {
    int files = 0;                      ///< checkpoint files read
    int heads = 0;                      ///< chain heads compared with the database
    std::vector<std::string> problems;  ///< one sentence each: file, chain, what differs
};

/// Compares every checkpoint in `dir` with the database: each file's signature must be
/// `public_key`'s, and each chain must still hold, at the signed seq, the signed hash (entries
/// pruned by retention since are skipped).
Result<CheckpointReport> check_checkpoints(
    storage::Database& db, std::string_view public_key, const std::filesystem::path& dir
);

}  // namespace yoyaku::audit
