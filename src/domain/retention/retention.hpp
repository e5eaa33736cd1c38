#pragma once
// Retention and the tenant lifecycle (SPEC S12, S13, S15; defaults from "Where the seeds
// disagree"). Every step is counted in a report; with dry_run nothing changes.

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "core/time.hpp"
#include "crypto/keyring.hpp"
#include "storage/database.hpp"

namespace yoyaku::retention {

struct Policy {
    std::chrono::hours purge_after{24 * 30};        ///< after termination: every row deleted
    std::chrono::hours destroy_key_after{24 * 37};  ///< after termination: the key destroyed
    std::chrono::hours audit{24 * 183};             ///< audit entries
    std::chrono::hours login_attempts{24 * 31};
    std::chrono::hours finished_jobs{24 * 30};
    std::chrono::hours access_logs{24 * 31};  ///< access log files (the app deletes them)
};

/// One thing done (or, in a dry run, to be done).
struct Step {
    std::string what;    ///< "tenant.purged", "tenant.key_destroyed", "audit", "sessions"…
    std::string tenant;  ///< its code, or empty for the platform / all tenants
    std::int64_t count = 0;
};

struct Report {
    bool dry_run = false;
    std::vector<Step> steps;
    std::int64_t count(std::string_view what) const;
};

/// Runs every retention step at `now`. Errors: unavailable (database), internal.
Result<Report> run(
    storage::Database& db, crypto::Keyring& keys, Instant now, const Policy& policy, bool dry_run
);

}  // namespace yoyaku::retention
