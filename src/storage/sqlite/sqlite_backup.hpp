#pragma once
// SQLite's side of backups (SPEC S14), beside PostgreSQL's in postgres/pg_backup: a consistent
// copy of the live file with SQLite's online backup API, and the facts of a copy (integrity,
// schema version, rows per table) that a backup's manifest records and its verification
// compares.

#include <filesystem>
#include <string>

#include "core/result.hpp"
#include "storage/schema_facts.hpp"

namespace yoyaku::storage::sqlite {

/// Copies the live database at `from` (never created) into the new file `to`, one file with
/// no WAL beside it, while writers go on. Errors: unavailable (open, busy, I/O).
Result<void> snapshot(const std::string& from, const std::filesystem::path& to);

/// The facts of the SQLite file at `path`; with `check`, SQLite's integrity check first.
/// Errors: unavailable (does not open); unprocessable on "in" (does not read, or fails the
/// integrity check).
Result<SchemaFacts> describe(const std::filesystem::path& path, bool check);

}  // namespace yoyaku::storage::sqlite
