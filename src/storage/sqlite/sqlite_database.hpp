#pragma once

#include <memory>
#include <string>

#include "storage/database.hpp"

namespace yoyaku::storage {

/// SQLite in WAL mode with STRICT tables and foreign keys on. One writer connection on its own
/// thread takes write transactions from a queue in arrival order (no SQLITE_BUSY storms, room
/// for group commit); `pool_size` reader connections serve read transactions concurrently.
Result<std::unique_ptr<Database>> open_sqlite(
    const std::string& path, const DatabaseOptions& options
);

}  // namespace yoyaku::storage
