#pragma once
// Versioned schema migrations, one list per backend, embedded from
// src/storage/<backend>/migrations/NNNN_name.sql at build time.

#include <span>
#include <string_view>

namespace yoyaku::storage {

struct Migration {
    int version;
    std::string_view name;
    std::string_view sql;
};

std::span<const Migration> sqlite_migrations() noexcept;
std::span<const Migration> postgres_migrations() noexcept;

}  // namespace yoyaku::storage
