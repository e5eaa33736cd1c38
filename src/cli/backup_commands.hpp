#pragma once
// Operations commands of the CLI (SPEC S11–S15): backup create, list, verify, restore, prune,
// point, points (SQLite restore points, or PostgreSQL through pgBackRest); retention run; keys
// rotate.

#include <string>

#include "app/config.hpp"

namespace yoyaku::cli {

struct BackupArgs {
    std::string out;     ///< create, list, prune: the backup directory
    std::string in;      ///< verify, restore: one backup file
    std::string points;  ///< restore: a restore points' directory instead of --in
    std::string at;      ///< restore from points or a stanza: the moment (RFC 3339; empty: now)
    std::string stanza;  ///< point, points, restore: a pgBackRest stanza (PostgreSQL) instead
    std::string pgbackrest_config;  ///< its pgbackrest.conf (empty: pgBackRest's default)
    std::string type = "incr";      ///< point with a stanza: full, diff or incr
    bool force = false;             ///< restore over a database that has data
    bool dry_run = false;
    int keep = 8;
    int keep_days = 30;
};

int backup_create(const app::Config& c, const BackupArgs& a);
int backup_list(const app::Config& c, const BackupArgs& a);
int backup_verify(const app::Config& c, const BackupArgs& a);
int backup_restore(const app::Config& c, const BackupArgs& a);
int backup_prune(const app::Config& c, const BackupArgs& a);
/// Takes a restore point (SQLite) into --out, or a pgBackRest backup of the stanza.
int backup_point(const app::Config& c, const BackupArgs& a);
/// Lists the restore points in --out, or the stanza's backups and the moments they restore to;
/// newest first.
int backup_points(const app::Config& c, const BackupArgs& a);
/// Runs every retention step now (or with `dry_run` says what it would delete).
int retention_run(const app::Config& c, bool dry_run);
struct KeysArgs {
    bool master_only = false;  ///< only the master key (tenant keys re-wrapped, data untouched)
    std::string tenant;        ///< only this tenant's data key (by code; "platform": tenant 0)
    bool resume = false;       ///< no new data key: finish re-encrypting under the current one
    bool drop_old = false;     ///< afterwards drop earlier data key generations
};
/// Rotates the master key (a new one, the old kept in retired/, every tenant key re-wrapped),
/// then each tenant's data key: a new generation, every sealed field re-encrypted under it
/// while servers keep running. Exit status 1 when some field is left under an older key.
int keys_rotate(const app::Config& c, const KeysArgs& a);

}  // namespace yoyaku::cli
