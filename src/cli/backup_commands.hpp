#pragma once
// Backup and retention commands of the CLI (SPEC S12–S15): backup create, list, verify,
// restore, prune; retention run.

#include <string>

#include "app/config.hpp"

namespace yoyaku::cli {

struct BackupArgs {
    std::string out;     ///< create, list, prune: the backup directory
    std::string in;      ///< verify, restore: one backup file
    bool force = false;  ///< restore over a database that has data
    bool dry_run = false;
    int keep = 8;
    int keep_days = 30;
};

int backup_create(const app::Config& c, const BackupArgs& a);
int backup_list(const app::Config& c, const BackupArgs& a);
int backup_verify(const app::Config& c, const BackupArgs& a);
int backup_restore(const app::Config& c, const BackupArgs& a);
int backup_prune(const app::Config& c, const BackupArgs& a);
/// Runs every retention step now (or with `dry_run` says what it would delete).
int retention_run(const app::Config& c, bool dry_run);

}  // namespace yoyaku::cli
