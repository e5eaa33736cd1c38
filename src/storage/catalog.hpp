#pragma once
// What the schema itself holds, asked the one way for both databases (SQLite's pragmas,
// PostgreSQL's information_schema of the current schema), so that domain code never branches
// on the backend.

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.hpp"
#include "storage/database.hpp"

namespace yoyaku::storage {

/// The tables that have a column named `column`, by name.
Result<std::vector<std::string>> tables_with_column(Tx& tx, std::string_view column);

/// Every tenant the database holds (any status), ascending: the scopes a platform walk visits
/// (audit chain heads) when row-level security hides the tenants' rows from the platform.
Result<std::vector<TenantId>> all_tenant_ids(Tx& tx);

/// How many rows of `table` (a name the catalog gave) belong to `tenant`.
Result<std::int64_t> count_tenant_rows(Tx& tx, const std::string& table, TenantId tenant);
/// Deletes them; returns how many.
Result<std::int64_t> delete_tenant_rows(Tx& tx, const std::string& table, TenantId tenant);

/// Every foreign key as (referencing table, referenced table).
Result<std::vector<std::pair<std::string, std::string>>> foreign_keys(Tx& tx);

/// The columns whose name ends with `suffix`, as (table, column).
Result<std::vector<std::pair<std::string, std::string>>> columns_ending_with(
    Tx& tx, std::string_view suffix
);

}  // namespace yoyaku::storage
