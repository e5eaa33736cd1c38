#pragma once
// The database server's clock against this machine's (yoyaku doctor): times written by one
// and compared by the other (holds, tokens, the audit log) assume they agree.

#include <chrono>
#include <optional>

#include "core/result.hpp"
#include "storage/database.hpp"

namespace yoyaku::storage {

/// The database server's clock minus this machine's, measured at the middle of a round trip;
/// nullopt on SQLite (one clock). Errors: unavailable.
Result<std::optional<std::chrono::milliseconds>> clock_offset(Database& db);

}  // namespace yoyaku::storage
