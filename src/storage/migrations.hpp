#pragma once
// Versioned schema migrations, one list per backend, embedded from
// src/storage/<backend>/migrations/NNNN_name.sql at build time.

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "storage/database.hpp"

namespace yoyaku::storage {

struct Migration {
    int version;
    std::string_view name;
    std::string_view sql;
};

std::span<const Migration> sqlite_migrations() noexcept;
std::span<const Migration> postgres_migrations() noexcept;

/// What differs between the backends when applying migrations.
struct MigrationDialect {
    std::string_view
        table_exists;  ///< one row, one integer column: 1 when schema_migrations exists
    std::string_view create_table;   ///< CREATE TABLE IF NOT EXISTS schema_migrations …
    std::string_view lock;           ///< taken first in each migration transaction; may be empty
    std::string_view has_checksums;  ///< one row, one integer: 1 when the checksum column exists
};
const MigrationDialect& dialect_of(Backend b) noexcept;

/// The oldest schema a binary may know and still run against a database where `m` is applied:
/// the number on the migration's `-- compatible-from: N` line (an expand-only change the
/// previous release keeps working with), else the migration's own version.
int compatible_from(const Migration& m) noexcept;
/// A fingerprint of the migration's text (FNV-1a, 64 bits, hex): finds a file changed after it
/// was applied. Not a defence against someone who can write the database.
std::string checksum(const Migration& m);

/// What this binary makes of the database's schema (rolling upgrades, issue 29).
struct SchemaCompatibility {
    int current = 0;                   ///< highest migration applied
    int latest = 0;                    ///< highest migration this binary knows
    int needs = 0;                     ///< binaries must know at least this one (compatible-from)
    std::vector<std::string> changed;  ///< "0017_name": applied from another text than ours
    /// Migrations are to be applied (`yoyaku migrate`).
    bool behind() const noexcept { return current < latest; }
    /// This binary may serve: nothing changed, nothing pending, and a newer schema admits it.
    bool serves() const noexcept { return changed.empty() && !behind() && needs <= latest; }
    /// Why it may not, in one sentence (empty when it may).
    std::string why_not() const;
};
Result<SchemaCompatibility> schema_compatibility(Database& db);

/// Applied vs known versions. Used by both backends' Database::schema_status.
Result<SchemaStatus> read_schema_status(
    Database& db, std::span<const Migration> list, const MigrationDialect& d
);
/// Applies pending migrations in order, each in its own write transaction together with its
/// schema_migrations row (its checksum and compatible-from). Refuses when an applied migration's
/// text has changed. Used by both backends' Database::migrate.
Result<SchemaStatus> apply_migrations(
    Database& db, std::span<const Migration> list, const MigrationDialect& d
);

}  // namespace yoyaku::storage
