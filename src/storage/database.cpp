#include "storage/database.hpp"

#include "storage/postgres/pg_database.hpp"
#include "storage/sqlite/sqlite_database.hpp"

namespace yoyaku::storage {

std::string_view to_string(Backend b) noexcept {
    return b == Backend::sqlite ? "sqlite" : "postgres";
}

void Tx::after_commit(std::string key, AfterCommit fn) {
    for (const auto& [k, _] : after_commit_)
        if (k == key) return;
    after_commit_.emplace_back(std::move(key), std::move(fn));
}

std::vector<Tx::AfterCommit> Tx::take_after_commit() {
    std::vector<AfterCommit> out;
    out.reserve(after_commit_.size());
    for (auto& [_, fn] : after_commit_) out.push_back(std::move(fn));
    after_commit_.clear();
    return out;
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
