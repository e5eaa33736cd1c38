#pragma once
// The database role the platform serves as (issue 24, defect 4). On PostgreSQL, row-level
// security keeps tenants apart only for a role that cannot read past it or switch it off: not
// a superuser, without BYPASSRLS, and owning none of the tables (an owner may ALTER TABLE …
// DISABLE ROW LEVEL SECURITY). So migrations run as an owner role and `serve` as another one,
// granted the rows' work and nothing more. SQLite has no roles: both answers are empty.

#include <string>
#include <vector>

#include "core/result.hpp"
#include "storage/database.hpp"

namespace yoyaku::storage {

/// Why the role `db` connects as could read past row-level security or switch it off, one
/// sentence each; empty when it cannot (and always on SQLite).
Result<std::vector<std::string>> role_risks(Database& db);

/// Grants the role that `app` connects as reading and writing the rows of every table (and
/// using every sequence) in the schema `owner` migrated; nothing on SQLite. Run after
/// migrating, as the owner.
Result<void> grant_rows_to(Database& owner, Database& app);

}  // namespace yoyaku::storage
