#pragma once
// What a database holds, as backups record and verify it.

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace yoyaku::storage {

/// Its schema (PostgreSQL; empty for SQLite), the newest migration applied, and rows per
/// table by name.
struct SchemaFacts {
    std::string schema;
    std::int64_t schema_version = 0;
    std::vector<std::pair<std::string, std::int64_t>> row_counts;
};

}  // namespace yoyaku::storage
