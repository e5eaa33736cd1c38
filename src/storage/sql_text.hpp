#pragma once
// Helpers on SQL text shared by the backends.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "storage/value.hpp"

namespace yoyaku::storage {

/// Translates the shared dialect to SQLite: `$N` placeholders become `?N` (string literals,
/// quoted identifiers and comments are left alone), and row locks (`FOR UPDATE`, `FOR UPDATE
/// SKIP LOCKED`, also in a subquery) are dropped: SQLite runs every write transaction alone on
/// the writer connection, so the lock PostgreSQL needs is already implied.
std::string to_sqlite_dialect(std::string_view sql);

/// Appends `values` to `params` and answers their placeholders, "$k, $k+1, …" (k: the first
/// one appended), for the list of an `IN (…)`.
std::string append_list(std::vector<Value>& params, const std::vector<std::string>& values);
std::string append_list(std::vector<Value>& params, const std::vector<std::int64_t>& values);

/// " AND (account_id = $k OR email_index IN (…))": the rows of a customer, by their account
/// (none: 0, which no row has) or any of their address's blind indexes; appends the values.
std::string append_customer_clause(
    std::vector<Value>& params, AccountId account_id, const std::vector<std::string>& indexes
);

}  // namespace yoyaku::storage
