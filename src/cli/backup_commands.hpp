#pragma once
// Operations commands of the CLI (SPEC S11–S15): backup create, list, verify, restore, prune;
// retention run; keys rotate.

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
/// Rotates the master key: a new one, the old kept in retired/, every tenant key re-wrapped.
int keys_rotate(const app::Config& c);

}  // namespace yoyaku::cli
