#pragma once
// Point-in-time recovery on PostgreSQL, driven by `yoyaku backup point|points|restore --stanza`:
// pgBackRest (Debian 12's 2.45) keeps base backups and the archived WAL in an encrypted
// repository (docs/operations/pitr-postgresql.md). Yoyaku runs the `pgbackrest` command as the
// guide does, on the database server as the cluster's owner; it reads `pgbackrest info` to say
// which moments can be restored, and refuses a moment no backup reaches before pgBackRest or
// PostgreSQL would fail on it half-way.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "core/time.hpp"

namespace yoyaku::app::pgbackrest {

/// The stanza (pgBackRest's name for one cluster) and its configuration file (empty:
/// pgBackRest's own default, /etc/pgbackrest.conf).
struct Stanza {
    std::string name;
    std::string config;
};

struct BaseBackup {
    std::string label;  ///< e.g. 20261207-101500F_20261207-120000I
    std::string type;   ///< full, diff or incr
    Instant started{};
    Instant stopped{};                  ///< the earliest moment this backup restores to
    std::int64_t database_bytes = 0;    ///< the cluster's size when it was taken
    std::int64_t repository_bytes = 0;  ///< what this backup added to the repository
};

/// What the repository can bring back: its backups (newest first) and the archived WAL.
struct Window {
    std::vector<BaseBackup> backups;
    std::string wal_first, wal_last;  ///< segment names; empty when nothing is archived
    std::string status;               ///< pgBackRest's word on the stanza ("ok" when usable)
};

/// Reads `pgbackrest info --output=json` for one stanza. Errors: unavailable (its JSON not
/// what 2.45 writes, or the stanza missing from it).
Result<Window> parse_info(std::string_view json, std::string_view stanza);

/// The repository's window now. Errors: unavailable (pgbackrest failed, with its message).
Result<Window> info(const Stanza& s);

/// Takes a base backup (`type`: full, diff or incr; pgBackRest makes an incr full when there
/// is none) and returns it. Errors: invalid on "type"; unavailable.
Result<BaseBackup> take(const Stanza& s, std::string_view type);

/// Restores the stopped cluster to `at` (the last transaction committed before it kept, the
/// first after it not; nullopt: everything archived), in place (--delta), to be promoted when
/// replayed. PostgreSQL replays on its next start. Errors: invalid on "at" (in the future, or
/// before the oldest backup finished); unavailable (pgbackrest refused: e.g. PostgreSQL runs).
Result<void> restore(const Stanza& s, std::optional<Instant> at, Instant now);

/// `at` as PostgreSQL's recovery_target_time reads it: "2027-04-01 00:29:00.000000+00".
std::string recovery_target(Instant at);

}  // namespace yoyaku::app::pgbackrest
