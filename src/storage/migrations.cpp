#include "storage/migrations.hpp"

#include <string>

#include "core/time.hpp"

namespace yoyaku::storage {

Result<SchemaStatus> read_schema_status(
    Database& db, std::span<const Migration> list, const MigrationDialect& d
) {
    SchemaStatus s{0, list.empty() ? 0 : list.back().version};
    auto r = db.read_platform([&](Tx& tx) -> Result<void> {
        YOYAKU_TRY_ASSIGN(auto exists, tx.query_one(d.table_exists));
        if (exists.i64(0) == 0) return {};
        YOYAKU_TRY_ASSIGN(
            auto v, tx.query_one("SELECT coalesce(max(version), 0) FROM schema_migrations")
        );
        s.current = static_cast<int>(v.i64(0));
        return {};
    });
    if (!r) return fail(std::move(r).error());
    return s;
}

Result<SchemaStatus> apply_migrations(
    Database& db, std::span<const Migration> list, const MigrationDialect& d
) {
    // Nothing to do is found without writing: a role that may not create tables (PostgreSQL's
    // serving role, database.owner_url migrates) starts against a current schema.
    if (auto now = read_schema_status(db, list, d); now && now->up_to_date()) return now;
    for (const auto& m : list) {
        auto applied = db.write_platform([&](Tx& tx) -> Result<void> {
            // Several nodes may start at once: one migrates, the others wait and then skip.
            if (!d.lock.empty()) YOYAKU_TRY(tx.query(d.lock));
            YOYAKU_TRY(tx.exec_script(d.create_table));
            YOYAKU_TRY_ASSIGN(
                auto done,
                tx.query(
                    "SELECT 1 FROM schema_migrations WHERE version = $1", std::int64_t{m.version}
                )
            );
            if (!done.empty()) return {};
            YOYAKU_TRY(tx.exec_script(m.sql));
            YOYAKU_TRY(tx.exec(
                "INSERT INTO schema_migrations(version, name, applied_at) VALUES ($1, $2, $3)",
                std::int64_t{m.version},
                std::string(m.name),
                to_micros(SystemClock{}.now())
            ));
            return {};
        });
        if (!applied) {
            auto e = std::move(applied).error();
            e.detail = "migration " + std::to_string(m.version) + " (" + std::string(m.name) +
                       "): " + e.detail;
            return e;
        }
    }
    return read_schema_status(db, list, d);
}

}  // namespace yoyaku::storage
