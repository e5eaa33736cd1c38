#pragma once
// How the database runs concurrent writers, asked the one way for both (ADR 0027), so that
// domain code that orders writers never branches on the backend.

#include <cstdint>

#include "core/result.hpp"
#include "storage/database.hpp"

namespace yoyaku::storage {

/// Whether write transactions run one at a time (SQLite's writer): then ordering writers in the
/// writing transaction, through a shared row, costs nobody a wait.
bool writers_run_one_at_a_time(const Tx& tx) noexcept;

/// Holds, until the transaction ends, the exclusive lock named (`space`, `id`), waiting for it;
/// it writes nothing (PostgreSQL: a transaction-scoped advisory lock in the two-key space, apart
/// from any one-key lock; SQLite: nothing to take, its writer is alone). `id` must fit 32 bits.
Result<void> lock_name(Tx& tx, std::int32_t space, std::int64_t id);

}  // namespace yoyaku::storage
