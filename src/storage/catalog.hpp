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

/// Every foreign key as (referencing table, referenced table).
Result<std::vector<std::pair<std::string, std::string>>> foreign_keys(Tx& tx);

/// The columns whose name ends with `suffix`, as (table, column).
Result<std::vector<std::pair<std::string, std::string>>> columns_ending_with(
    Tx& tx, std::string_view suffix
);

}  // namespace yoyaku::storage
