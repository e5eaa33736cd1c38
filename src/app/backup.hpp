#pragma once
// Backups (SPEC S14): one encrypted, authenticated file per backup, written crash-safely to a
// directory away from the data; its manifest (schema version, row counts, the database's
// checksum) travels inside. Verifying a backup opens every byte, checks the checksum, restores
// it into a scratch database and checks its integrity, row counts and audit chains. Restoring
// writes the database in place of an empty (or, when told, any) target.
//
// The file: "YOYAKU-BACKUP/1\n", then a secretstream (crypto/stream.hpp) under the platform's
// backup key (derived from the master key): the manifest (JSON), the database in 1 MiB
// messages, an empty final message. Tenant keys are not in it: they stay in the keys directory,
// so a tenant whose key was destroyed stays unreadable in every older backup (crypto-shredding).
//
// SQLite is copied with its online backup API (a consistent snapshot while the server runs);
// PostgreSQL with pg_dump's custom format (storage/postgres/pg_backup.hpp), its row counts read
// in the snapshot pg_dump reads, through backup.database_url (a role that bypasses row-level
// security). A PostgreSQL backup is verified in a scratch database made on the same server and
// dropped afterwards; it restores into PostgreSQL only, an SQLite backup into SQLite only.

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "app/config.hpp"
#include "core/result.hpp"
#include "core/time.hpp"
#include "crypto/keyring.hpp"

namespace yoyaku::app::backup {

struct Manifest {
    std::string format = "yoyaku.backup.v1";
    Instant created_at;
    std::string backend;  ///< "sqlite" or "postgresql"
    std::string schema;   ///< PostgreSQL: the schema dumped (restored under the same name)
    std::int64_t schema_version = 0;
    std::vector<std::pair<std::string, std::int64_t>> row_counts;  ///< per table, by name
    std::int64_t database_bytes = 0;
    std::string database_blake2b;  ///< hex BLAKE2b-256 of the database as stored
};

/// The keys of backups: the first encrypts new ones; any of them opens one (after a master key
/// rotation, older backups are under a retired master's key).
struct BackupKeys {
    BackupKeys(crypto::SecretKey key) : keys{std::move(key)} {}
    BackupKeys(std::vector<crypto::SecretKey> all) : keys(std::move(all)) {}
    std::vector<crypto::SecretKey> keys;
};

/// The keys backups are encrypted under, derived from the master key (then the retired ones).
BackupKeys backup_key(const crypto::Keyring& keys);

/// Backs up the database of `c` into `out_dir` (created 0700 if missing) as
/// "yoyaku-<UTC time>-<random>.ybk" (0600). Errors: invalid_input on "out" (inside the data
/// directory, or not writable), unavailable (I/O, pg_dump), unprocessable on
/// "backup.database_url" when its PostgreSQL role cannot read past row-level security.
Result<std::filesystem::path> create(
    const Config& c, const BackupKeys& key, const std::filesystem::path& out_dir, Instant now
);

/// The manifest of a backup (opens its first message only). Errors: unprocessable on "in".
Result<Manifest> inspect(const BackupKeys& key, const std::filesystem::path& file);

/// What a verification found.
struct Verified {
    Manifest manifest;
    std::int64_t audit_entries = 0;  ///< in every chain, each verified
};

/// Opens every message, checks the checksum, restores into a scratch file in `scratch_dir`
/// (removed afterwards) and checks SQLite's integrity, the row counts, the schema version and
/// every audit chain. A PostgreSQL backup is restored (pg_restore, every constraint checked)
/// into a scratch database made through `postgres_url` and dropped afterwards; without that
/// URL it is refused. Errors: unprocessable on "in" naming what failed; unavailable (no scratch
/// database could be made).
Result<Verified> verify(
    const BackupKeys& key,
    const std::filesystem::path& file,
    const std::filesystem::path& scratch_dir,
    const std::string& postgres_url = {}
);

/// Restores the backup as the database of `target` (stop its servers first), a PostgreSQL one
/// through its backup.database_url in one transaction (the dump's owners kept). Refuses a
/// target that has tables (PostgreSQL: in the backup's schema) unless `force`. Errors:
/// unprocessable on "in" (the file, or a backup of the other backend), conflict on "target"
/// (not empty).
Result<Manifest> restore(
    const Config& target, const BackupKeys& key, const std::filesystem::path& file, bool force
);

/// The next `hour`:00 wall-clock time in `zone` after `now` (the daily backup's due time).
Instant next_daily(Instant now, std::string_view zone, int hour);

/// The scheduled backup: create into `c.backup_dir`, verify it (scratch beside the data, or a
/// scratch database on the PostgreSQL server), prune
/// to `c.backup_keep_generations` / `c.backup_keep_days`. Errors as create and verify; a backup
/// that fails verification is deleted and reported.
Result<Verified> scheduled(const Config& c, const BackupKeys& key, Instant now);

/// A backup file in a directory, newest first by the time in its name.
struct Generation {
    std::filesystem::path file;
    Instant created_at;
    std::int64_t bytes = 0;
};
std::vector<Generation> generations(const std::filesystem::path& dir);

/// Deletes the backups in `dir` that are neither among the newest `keep` nor younger than
/// `keep_for` (with `dry_run`, only says which). Returns them.
Result<std::vector<Generation>> prune(
    const std::filesystem::path& dir,
    Instant now,
    int keep,
    std::chrono::hours keep_for,
    bool dry_run
);

}  // namespace yoyaku::app::backup
