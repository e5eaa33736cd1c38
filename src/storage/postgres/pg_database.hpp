#pragma once

#include <memory>

#include "storage/database.hpp"

namespace yoyaku::storage {

/// PostgreSQL through libpq: a pool of `pool_size` connections opened on demand. A broken
/// connection (server restarted) is dropped and replaced on the next call, so the platform
/// recovers by itself when the database returns. Serialization failures and deadlocks are
/// retried up to three times. Scoped transactions set `app.tenant_id` (transaction-local) for
/// row-level security.
Result<std::unique_ptr<Database>> open_postgres(const DatabaseOptions& options);

}  // namespace yoyaku::storage
