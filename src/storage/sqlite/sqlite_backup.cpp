#include "storage/sqlite/sqlite_backup.hpp"

#include <sqlite3.h>

#include <string_view>
#include <vector>

namespace yoyaku::storage::sqlite {
namespace {

namespace fs = std::filesystem;

Error refused(std::string why) {
    return Error{Errc::unprocessable, std::move(why), "in", {}};
}

struct Sqlite {
    sqlite3* db = nullptr;
    ~Sqlite() { sqlite3_close(db); }
};

Result<void> sqlite_ok(int rc, sqlite3* db, const std::string& what) {
    if (rc == SQLITE_OK || rc == SQLITE_DONE) return {};
    return Error::unavailable(what + ": " + (db ? sqlite3_errmsg(db) : sqlite3_errstr(rc)));
}

}  // namespace

Result<void> snapshot(const std::string& from, const fs::path& to) {
    Sqlite src, dst;
    YOYAKU_TRY(sqlite_ok(
        // Read-write (never created): a WAL database opened read-only needs its -shm file,
        // which a stopped platform may not have left.
        sqlite3_open_v2(from.c_str(), &src.db, SQLITE_OPEN_READWRITE, nullptr),
        src.db,
        "open"
    ));
    sqlite3_busy_timeout(src.db, 5000);
    YOYAKU_TRY(sqlite_ok(
        sqlite3_open_v2(to.c_str(), &dst.db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr),
        dst.db,
        "create"
    ));
    sqlite3_backup* b = sqlite3_backup_init(dst.db, "main", src.db, "main");
    if (!b) return Error::unavailable(std::string("backup: ") + sqlite3_errmsg(dst.db));
    int rc = SQLITE_OK;
    do {
        rc = sqlite3_backup_step(b, -1);
        if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) sqlite3_sleep(20);
    } while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
    sqlite3_backup_finish(b);
    if (rc != SQLITE_DONE) return Error::unavailable(std::string("backup: ") + sqlite3_errstr(rc));
    // One file, no WAL beside it: the copy is the database.
    return sqlite_ok(
        sqlite3_exec(dst.db, "PRAGMA journal_mode=DELETE", nullptr, nullptr, nullptr),
        dst.db,
        "journal mode"
    );
}

Result<SchemaFacts> describe(const fs::path& path, bool check) {
    Sqlite s;
    YOYAKU_TRY(
        sqlite_ok(sqlite3_open_v2(path.c_str(), &s.db, SQLITE_OPEN_READONLY, nullptr), s.db, "open")
    );
    auto query = [&](const std::string& sql) -> Result<std::vector<std::vector<std::string>>> {
        sqlite3_stmt* st = nullptr;
        if (sqlite3_prepare_v2(s.db, sql.c_str(), -1, &st, nullptr) != SQLITE_OK)
            return refused(std::string("the database does not read: ") + sqlite3_errmsg(s.db));
        std::vector<std::vector<std::string>> rows;
        int rc;
        while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
            std::vector<std::string> row;
            for (int i = 0; i < sqlite3_column_count(st); ++i) {
                const auto* t = sqlite3_column_text(st, i);
                row.emplace_back(t ? reinterpret_cast<const char*>(t) : "");
            }
            rows.push_back(std::move(row));
        }
        sqlite3_finalize(st);
        if (rc != SQLITE_DONE)
            return refused(std::string("the database does not read: ") + sqlite3_errmsg(s.db));
        return rows;
    };
    if (check) {
        auto ok = query("PRAGMA integrity_check");
        if (!ok) return fail(std::move(ok).error());
        if (ok->empty() || ok->front().front() != "ok")
            return refused("the database fails SQLite's integrity check");
    }
    SchemaFacts m;
    YOYAKU_TRY_ASSIGN(
        auto tables,
        query("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
              "ORDER BY name")
    );
    for (const auto& t : tables) {
        YOYAKU_TRY_ASSIGN(auto n, query("SELECT count(*) FROM \"" + t[0] + "\""));
        m.row_counts.emplace_back(t[0], std::stoll(n.front().front()));
        if (t[0] == "schema_migrations") {
            YOYAKU_TRY_ASSIGN(
                auto v, query("SELECT coalesce(max(version), 0) FROM schema_migrations")
            );
            m.schema_version = std::stoll(v.front().front());
        }
    }
    return m;
}

}  // namespace yoyaku::storage::sqlite
