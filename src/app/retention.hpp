#pragma once
// The platform's retention run (SPEC S12, S13, S15): the database's steps
// (domain/retention) and the access log files, one a day in DATA/logs, deleted after
// `access_log_days`.

#include "app/config.hpp"
#include "domain/retention/retention.hpp"

namespace yoyaku::app {

/// Deletes (or with `dry_run` lists) access_YYYY-MM-DD.jsonl files in `dir` whose day is more
/// than `days` days before `now` (UTC days). Returns how many.
Result<std::int64_t> prune_access_logs(
    const std::filesystem::path& dir, Instant now, int days, bool dry_run
);

/// Everything: the database's retention and the access logs of `c`.
Result<retention::Report> run_retention(
    const Config& c, storage::Database& db, crypto::Keyring& keys, Instant now, bool dry_run
);

}  // namespace yoyaku::app
