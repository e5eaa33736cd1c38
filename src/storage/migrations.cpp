#include "storage/migrations.hpp"

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <string>

#include "core/time.hpp"

namespace yoyaku::storage {
namespace {

constexpr MigrationDialect kSqlite{
    "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'",
    "CREATE TABLE IF NOT EXISTS schema_migrations ("
    " version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL) STRICT",
    "",
    "SELECT count(*) FROM pragma_table_info('schema_migrations') WHERE name = 'checksum'"};

constexpr MigrationDialect kPostgres{
    "SELECT CAST(to_regclass('schema_migrations') IS NOT NULL AS integer)",
    "CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, name text NOT "
    "NULL, applied_at bigint NOT NULL)",
    "SELECT pg_advisory_xact_lock(133143986293621)",  // 0x796f79616b75, "yoyaku"
    "SELECT count(*) FROM information_schema.columns WHERE table_schema = current_schema() AND "
    "table_name = 'schema_migrations' AND column_name = 'checksum'"};

std::string label(int version, std::string_view name) {
    char n[8];
    std::snprintf(n, sizeof n, "%04d", version);
    return std::string(n) + "_" + std::string(name);
}

const Migration* known(std::span<const Migration> list, std::int64_t version) {
    auto it = std::find_if(list.begin(), list.end(), [&](const Migration& m) {
        return m.version == version;
    });
    return it == list.end() ? nullptr : &*it;
}

// The bookkeeping columns (checksum, compatible_from) added to a schema_migrations made before
// them, and filled for the migrations applied then (trusting their text on first sight).
Result<void> upgrade_bookkeeping(
    Tx& tx, std::span<const Migration> list, const MigrationDialect& d
) {
    YOYAKU_TRY(tx.exec_script(d.create_table));
    YOYAKU_TRY_ASSIGN(auto has, tx.query_one(d.has_checksums));
    if (has.i64(0) == 0) {
        YOYAKU_TRY(tx.exec_script("ALTER TABLE schema_migrations ADD COLUMN checksum text"));
        YOYAKU_TRY(tx.exec_script("ALTER TABLE schema_migrations ADD COLUMN compatible_from integer"
        ));
    }
    YOYAKU_TRY_ASSIGN(
        const auto bare, tx.query("SELECT version FROM schema_migrations WHERE checksum IS NULL")
    );
    for (const auto& row : bare) {
        const auto* m = known(list, row.i64("version"));
        if (!m) continue;
        YOYAKU_TRY(tx.exec(
            "UPDATE schema_migrations SET checksum = $2, compatible_from = $3 WHERE version = $1",
            std::int64_t{m->version},
            checksum(*m),
            std::int64_t{compatible_from(*m)}
        ));
    }
    return {};
}

Result<SchemaCompatibility> read_compatibility(
    Database& db, std::span<const Migration> list, const MigrationDialect& d
) {
    SchemaCompatibility c;
    c.latest = list.empty() ? 0 : list.back().version;
    YOYAKU_TRY(db.read_platform([&](Tx& tx) -> Result<void> {
        YOYAKU_TRY_ASSIGN(auto exists, tx.query_one(d.table_exists));
        if (exists.i64(0) == 0) return {};
        YOYAKU_TRY_ASSIGN(auto has, tx.query_one(d.has_checksums));
        YOYAKU_TRY_ASSIGN(
            const auto rows,
            tx.query(
                has.i64(0)
                    ? "SELECT version, name, checksum, compatible_from FROM schema_migrations"
                    : "SELECT version, name, NULL AS checksum, NULL AS compatible_from FROM "
                      "schema_migrations"
            )
        );
        for (const auto& r : rows) {
            const auto version = static_cast<int>(r.i64("version"));
            c.current = std::max(c.current, version);
            c.needs =
                std::max(c.needs, static_cast<int>(r.opt_i64("compatible_from").value_or(version)));
            const auto sum = r.opt_text("checksum");
            const auto* m = known(list, version);
            if (sum && m && *sum != checksum(*m))
                c.changed.push_back(label(version, r.text("name")));
        }
        return {};
    }));
    return c;
}

}  // namespace

const MigrationDialect& dialect_of(Backend b) noexcept {
    return b == Backend::sqlite ? kSqlite : kPostgres;
}

int compatible_from(const Migration& m) noexcept {
    constexpr std::string_view kMark = "-- compatible-from: ";
    const auto at = m.sql.find(kMark);
    if (at == std::string_view::npos) return m.version;
    const auto digits = m.sql.substr(at + kMark.size());
    int v = 0;
    const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), v);
    return ec == std::errc() && v > 0 && v <= m.version ? v : m.version;
}

std::string checksum(const Migration& m) {
    std::uint64_t h = 0xcbf29ce484222325ULL;
    for (const unsigned char ch : m.sql) {
        h ^= ch;
        h *= 0x100000001b3ULL;
    }
    char out[17];
    std::snprintf(out, sizeof out, "%016llx", static_cast<unsigned long long>(h));
    return out;
}

std::string SchemaCompatibility::why_not() const {
    if (!changed.empty())
        return "migration " + changed.front() +
               " was applied from another text than this binary's (a changed migration file): "
               "install the release it came from";
    if (behind())
        return "the schema is at version " + std::to_string(current) + ", this binary needs " +
               std::to_string(latest) + ": run yoyaku migrate";
    if (needs > latest)
        return "the schema is at version " + std::to_string(current) +
               ", which binaries older than schema " + std::to_string(needs) +
               " cannot use; this one knows " + std::to_string(latest) + ": upgrade it";
    return "";
}

Result<SchemaCompatibility> schema_compatibility(Database& db) {
    const auto list = db.backend() == Backend::sqlite ? sqlite_migrations() : postgres_migrations();
    return read_compatibility(db, list, dialect_of(db.backend()));
}

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
    YOYAKU_TRY_ASSIGN(const auto before, read_compatibility(db, list, d));
    if (!before.changed.empty())
        return Error{
            Errc::conflict, "a migration was changed after it was applied", {}, before.why_not()};
    if (before.current >= before.latest) {
        YOYAKU_TRY_ASSIGN(auto has, db.read_platform([&](Tx& tx) -> Result<std::int64_t> {
            YOYAKU_TRY_ASSIGN(auto exists, tx.query_one(d.table_exists));
            if (exists.i64(0) == 0) return 0;
            YOYAKU_TRY_ASSIGN(auto h, tx.query_one(d.has_checksums));
            return h.i64(0);
        }));
        if (has) return read_schema_status(db, list, d);
    }
    YOYAKU_TRY(db.write_platform([&](Tx& tx) -> Result<void> {
        if (!d.lock.empty()) YOYAKU_TRY(tx.query(d.lock));
        return upgrade_bookkeeping(tx, list, d);
    }));
    for (const auto& m : list) {
        auto applied = db.write_platform([&](Tx& tx) -> Result<void> {
            // Several nodes may start at once: one migrates, the others wait and then skip.
            if (!d.lock.empty()) YOYAKU_TRY(tx.query(d.lock));
            YOYAKU_TRY_ASSIGN(
                auto done,
                tx.query(
                    "SELECT 1 FROM schema_migrations WHERE version = $1", std::int64_t{m.version}
                )
            );
            if (!done.empty()) return {};
            YOYAKU_TRY(tx.exec_script(m.sql));
            YOYAKU_TRY(tx.exec(
                "INSERT INTO schema_migrations(version, name, applied_at, checksum, "
                "compatible_from) VALUES ($1, $2, $3, $4, $5)",
                std::int64_t{m.version},
                std::string(m.name),
                to_micros(SystemClock{}.now()),
                checksum(m),
                std::int64_t{compatible_from(m)}
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
