#pragma once
// Whether PostgreSQL archives its write-ahead log (yoyaku doctor): without it there is no
// point-in-time recovery (docs/operations/pitr-postgresql.md).

#include <optional>

#include "core/result.hpp"
#include "core/time.hpp"
#include "storage/database.hpp"

namespace yoyaku::storage {

struct WalArchiving {
    bool on = false;       ///< archive_mode is on (or always)
    bool failing = false;  ///< the last attempt failed (after the last success, if any)
    std::optional<Instant> last_archived;
};

/// PostgreSQL's archiving, from its settings and pg_stat_archiver; nullopt on SQLite (restore
/// points instead). Errors: unavailable.
Result<std::optional<WalArchiving>> wal_archiving(Database& db);

}  // namespace yoyaku::storage
