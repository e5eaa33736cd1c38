#pragma once
// Versioned schema migrations, one list per backend, embedded from
// src/storage/<backend>/migrations/NNNN_name.sql at build time.

#include <span>
#include <string_view>

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
    std::string_view create_table;  ///< CREATE TABLE IF NOT EXISTS schema_migrations …
    std::string_view lock;          ///< taken first in each migration transaction; may be empty
};

/// Applied vs known versions. Used by both backends' Database::schema_status.
Result<SchemaStatus> read_schema_status(
    Database& db, std::span<const Migration> list, const MigrationDialect& d
);
/// Applies pending migrations in order, each in its own write transaction together with its
/// schema_migrations row. Used by both backends' Database::migrate.
Result<SchemaStatus> apply_migrations(
    Database& db, std::span<const Migration> list, const MigrationDialect& d
);

}  // namespace yoyaku::storage
