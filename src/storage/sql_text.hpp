#pragma once
// Helpers on SQL text shared by the backends.

#include <cstddef>
#include <string>
#include <string_view>

namespace yoyaku::storage {

/// Translates the shared dialect to SQLite: `$N` placeholders become `?N` (string literals,
/// quoted identifiers and comments are left alone), and a trailing `FOR UPDATE` is dropped:
/// SQLite runs every write transaction alone on the writer connection, so the row lock that
/// PostgreSQL needs is already implied.
std::string to_sqlite_dialect(std::string_view sql);

/// "$first, $first+1, …" for `n` values: the list of an `IN (…)`.
std::string placeholders(int first, std::size_t n);

}  // namespace yoyaku::storage
