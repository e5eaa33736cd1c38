#pragma once
// Restore points (issue 30, SQLite): the database as it was at a moment, taken every few
// minutes while the server runs, so that it can be brought back to a moment between two daily
// backups. A point is a consistent snapshot (SQLite's online backup API) cut into 64 KiB
// blocks; each block is stored once, sealed (XChaCha20-Poly1305 under the backup key, its name
// bound as associated data) and named by a keyed BLAKE2b of its bytes, so a point costs only
// the blocks that changed since the points before it. The point's own file is its sealed
// manifest: when, the schema version, the database's size and checksum, and its blocks in
// order.
//
//   <dir>/point-<microseconds since 1970>-<random>.ypt
//   <dir>/blocks/<first two hex digits>/<block name>
//
// Restoring to a moment takes the newest point at or before it: its blocks are opened and
// joined beside the target, the whole checked against the manifest's checksum and SQLite's
// integrity check, and put in place of the database in one rename. Recovery point objective:
// backup.point_minutes (5); kept backup.points_keep_hours (48), the daily backups beyond.

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <vector>

#include "app/backup.hpp"
#include "app/config.hpp"
#include "core/result.hpp"
#include "core/time.hpp"

namespace yoyaku::app::backup {

struct Point {
    std::filesystem::path file;
    Instant taken_at;
    std::int64_t database_bytes = 0;
    std::int64_t schema_version = 0;
    int blocks = 0;      ///< blocks of the database
    int new_blocks = 0;  ///< of those, stored by this point (take() only)
};

/// Takes a restore point of the SQLite database of `c` into `dir` (created 0700). Errors:
/// invalid_input on "out" (inside the data directory) and on "database.url" (not SQLite),
/// unavailable (I/O).
Result<Point> take_point(
    const Config& c, const BackupKeys& key, const std::filesystem::path& dir, Instant now
);

/// The restore points in `dir`, newest first (from their names; sizes from the manifests when
/// `key` opens them).
std::vector<Point> points(const BackupKeys& key, const std::filesystem::path& dir);

/// When the newest point in `dir` was taken (from its name: no key needed), if any.
std::optional<Instant> newest_point(const std::filesystem::path& dir);

/// Restores the newest point of `dir` taken at or before `at` as the database of `target`
/// (stop its servers first); refuses a target with data unless `force`. Errors: not_found on
/// "at" (no point that early), unprocessable on "in" (a block or manifest that does not open or
/// match), conflict on "target", invalid_input on "database.url" (not SQLite).
Result<Point> restore_point(
    const Config& target,
    const BackupKeys& key,
    const std::filesystem::path& dir,
    Instant at,
    bool force
);

/// Deletes the points older than `keep_for` (the newest always stays) and the blocks no point
/// left names (only those older than an hour: a point being taken may be writing them).
/// Returns how many points went.
Result<int> prune_points(
    const BackupKeys& key,
    const std::filesystem::path& dir,
    Instant now,
    std::chrono::hours keep_for
);

}  // namespace yoyaku::app::backup
