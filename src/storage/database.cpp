#include "storage/database.hpp"

#include "storage/postgres/pg_database.hpp"
#include "storage/sqlite/sqlite_database.hpp"

namespace yoyaku::storage {

std::string_view to_string(Backend b) noexcept {
    return b == Backend::sqlite ? "sqlite" : "postgres";
}

Result<std::unique_ptr<Database>> open_database(const DatabaseOptions& options) {
    std::string_view url = options.url;
    if (url.starts_with("sqlite:")) {
        auto path = url.substr(7);
        if (path.empty()) return Error::invalid("database.url", "sqlite: URL needs a file path");
        return open_sqlite(std::string(path), options);
    }
    if (url.starts_with("postgresql://") || url.starts_with("postgres://")) {
        return open_postgres(options);
    }
    return Error::invalid("database.url", "expected sqlite:<path> or postgresql://...");
}

}  // namespace yoyaku::storage
