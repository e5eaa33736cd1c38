#include "app/backup.hpp"

#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <boost/json.hpp>
#include <cstring>
#include <fstream>
#include <memory>

#include "app/backup_files.hpp"
#include "crypto/random.hpp"
#include "crypto/stream.hpp"
#include "domain/audit/audit.hpp"
#include "domain/tenants/tenants.hpp"
#include "storage/database.hpp"
#include "storage/postgres/pg_backup.hpp"
#include "storage/sqlite/sqlite_backup.hpp"

namespace yoyaku::app::backup {
namespace fs = std::filesystem;
using namespace files;
namespace {

constexpr std::string_view kMagic = "YOYAKU-BACKUP/1\n";
constexpr std::size_t kChunk = 1 << 20;

// A database's facts, as a manifest says them.
Manifest from_facts(storage::SchemaFacts f, std::string backend) {
    Manifest m;
    m.backend = std::move(backend);
    m.schema = std::move(f.schema);
    m.schema_version = f.schema_version;
    m.row_counts = std::move(f.row_counts);
    return m;
}

std::string manifest_json(const Manifest& m) {
    boost::json::object counts;
    for (const auto& [t, n] : m.row_counts) counts[t] = n;
    return boost::json::serialize(boost::json::object{
        {"format", m.format},
        {"created_at", format_rfc3339(m.created_at, "UTC")},
        {"backend", m.backend},
        {"schema", m.schema},
        {"schema_version", m.schema_version},
        {"row_counts", std::move(counts)},
        {"database_bytes", m.database_bytes},
        {"database_blake2b", m.database_blake2b}});
}

Result<Manifest> parse_manifest(const std::string& text) {
    boost::system::error_code ec;
    auto v = boost::json::parse(text, ec);
    const auto* o = ec ? nullptr : v.if_object();
    if (!o) return refused("the manifest is garbled");
    try {
        Manifest m;
        m.format = std::string(o->at("format").as_string());
        if (m.format != "yoyaku.backup.v1") return refused("an unknown backup format");
        auto at = parse_rfc3339(o->at("created_at").as_string());
        if (!at) return refused("the manifest is garbled");
        m.created_at = *at;
        m.backend = std::string(o->at("backend").as_string());
        if (m.backend != "sqlite" && m.backend != "postgresql")
            return refused("a backup of an unknown database");
        if (const auto* schema = o->if_contains("schema"))
            m.schema = std::string(schema->as_string());
        m.schema_version = o->at("schema_version").as_int64();
        for (const auto& [t, n] : o->at("row_counts").as_object())
            m.row_counts.emplace_back(std::string(t), n.as_int64());
        m.database_bytes = o->at("database_bytes").as_int64();
        m.database_blake2b = std::string(o->at("database_blake2b").as_string());
        return m;
    } catch (const std::exception&) {
        return refused("the manifest is garbled");
    }
}

// Opens `file` and reads its manifest; `reader` continues with the database.
struct Opened {
    std::unique_ptr<std::ifstream> in;
    std::optional<crypto::StreamReader> reader;
    Manifest manifest;
};

Result<Opened> open_with(const crypto::SecretKey& key, const fs::path& file) {
    Opened o;
    o.in = std::make_unique<std::ifstream>(file, std::ios::binary);
    if (!*o.in) return Error{Errc::not_found, "no such backup: " + file.string(), "in", {}};
    std::string magic(kMagic.size(), '\0');
    o.in->read(magic.data(), static_cast<std::streamsize>(magic.size()));
    if (magic != kMagic) return refused("not a Yoyaku backup");
    YOYAKU_TRY_ASSIGN(auto r, crypto::StreamReader::open(key, *o.in));
    o.reader.emplace(std::move(r));
    YOYAKU_TRY_ASSIGN(auto first, o.reader->next());
    if (!first) return refused("the backup is empty");
    YOYAKU_TRY_ASSIGN(auto m, parse_manifest(*first));
    o.manifest = std::move(m);
    return o;
}

// Opens `file` with the first of `keys` whose manifest authenticates.
Result<Opened> open_backup(const BackupKeys& keys, const fs::path& file) {
    Result<Opened> o = refused("no backup key");
    for (const auto& k : keys.keys) {
        o = open_with(k, file);
        if (o || o.error().code == Errc::not_found) return o;
    }
    return o;
}

// Writes the database of an opened backup to `to` (a new file), checking its checksum and size.
Result<void> unpack(Opened& o, const fs::path& to) {
    std::ofstream out(to, std::ios::binary | std::ios::trunc);
    if (!out) return io("cannot write", to);
    Blake2b sum;
    std::int64_t bytes = 0;
    for (;;) {
        YOYAKU_TRY_ASSIGN(auto m, o.reader->next());
        if (!m) break;
        sum.update(*m);
        bytes += static_cast<std::int64_t>((m)->size());
        out.write((m)->data(), static_cast<std::streamsize>((m)->size()));
    }
    out.close();
    if (!out) return io("cannot write", to);
    if (bytes != o.manifest.database_bytes || sum.hex() != o.manifest.database_blake2b)
        return refused("the database does not match the manifest's checksum");
    return sync_path(to, false);
}

std::optional<Instant> stamp_time(const std::string& name) {
    // yoyaku-20261202T030000Z-abcd.ybk
    if (!name.starts_with("yoyaku-") || !name.ends_with(".ybk") || name.size() < 23)
        return std::nullopt;
    return parse_stamp(name.substr(7, 16));
}

Result<std::int64_t> verify_audit(const std::string& url) {
    storage::DatabaseOptions o;
    o.url = url;
    o.pool_size = 1;
    YOYAKU_TRY_ASSIGN(auto db, storage::open_database(o));
    SystemClock clock;
    tenants::TenantService tenants(*db, clock);
    YOYAKU_TRY_ASSIGN(auto all, tenants.list());
    std::int64_t entries = 0;
    auto count = [&](const std::string& name, Result<audit::Verification> v) -> Result<void> {
        if (!v) return fail(std::move(v).error());
        if (v->problem)
            return refused(
                "the audit chain of " + name + " is broken at entry " +
                std::to_string(v->problem->seq) + ": " + v->problem->reason
            );
        entries += v->entries;
        return {};
    };
    YOYAKU_TRY(count("the platform", (db)->read_platform([](storage::Tx& tx) {
        return audit::verify_platform(tx);
    })));
    for (const auto& t : all)
        YOYAKU_TRY(count(
            "tenant " + t.code,
            (db)->read(
                storage::TenantScope(t.id),
                [](storage::ScopedTx& stx) { return audit::verify(stx); }
            )
        ));
    return entries;
}

}  // namespace

BackupKeys backup_key(const crypto::Keyring& keys) {
    return keys.platform_keys("backup");
}

Result<fs::path> create(
    const Config& c, const BackupKeys& key, const fs::path& out_dir, Instant now
) {
    if (inside(out_dir, c.data_dir))
        return Error::invalid("out", "must be away from the data directory (another disk)");
    std::error_code ec;
    fs::create_directories(out_dir, ec);
    if (ec) return Error::invalid("out", "cannot create " + out_dir.string() + ": " + ec.message());
    ::chmod(out_dir.c_str(), 0700);
    const std::string name = "yoyaku-" + stamp(now) + "-" + crypto::random_hex(2) + ".ybk";
    // The plain copy stays beside the live database (PostgreSQL: in the data directory), never
    // on the backup disk.
    Result<Manifest> m = Manifest{};
    std::optional<Scratch> copy;
    if (on_sqlite(c)) {
        const auto live = fs::path(sqlite_path(c));
        copy.emplace().path = (live.parent_path().empty() ? fs::path(".") : live.parent_path()) /
                              ("." + name + ".db");
        YOYAKU_TRY(storage::sqlite::snapshot(live.string(), copy->path));
        YOYAKU_TRY_ASSIGN(auto facts, storage::sqlite::describe(copy->path, false));
        m = from_facts(std::move(facts), "sqlite");
    } else {
        fs::create_directories(c.data_dir, ec);
        ::chmod(c.data_dir.c_str(), 0700);
        copy.emplace().path = fs::path(c.data_dir) / ("." + name + ".dump");
        auto facts =
            storage::pg::dump(c.effective_backup_database_url(), copy->path, "backup.database_url");
        if (!facts) return fail(std::move(facts).error());
        m = from_facts(std::move(*facts), "postgresql");
    }
    if (!m) return fail(std::move(m).error());
    m->created_at = now;
    {
        std::ifstream in(copy->path, std::ios::binary);
        Blake2b sum;
        std::string buf(kChunk, '\0');
        while (in.read(buf.data(), static_cast<std::streamsize>(buf.size())) || in.gcount() > 0) {
            sum.update(std::string_view(buf.data(), static_cast<std::size_t>(in.gcount())));
            m->database_bytes += in.gcount();
        }
        m->database_blake2b = sum.hex();
    }
    const fs::path tmp = out_dir / ("." + name + ".tmp");
    const fs::path final_path = out_dir / name;
    {
        const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
        if (fd < 0) return io("cannot create", tmp);
        ::close(fd);
        std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
        out.write(kMagic.data(), static_cast<std::streamsize>(kMagic.size()));
        crypto::StreamWriter w(key.keys.front(), out);
        w.push(manifest_json(*m));
        std::ifstream in(copy->path, std::ios::binary);
        std::string buf(kChunk, '\0');
        while (in.read(buf.data(), static_cast<std::streamsize>(buf.size())) || in.gcount() > 0)
            w.push(std::string_view(buf.data(), static_cast<std::size_t>(in.gcount())));
        w.push({}, true);
        out.close();
        if (!out) {
            fs::remove(tmp, ec);
            return io("cannot write", tmp);
        }
    }
    // Crash-safe: the data reaches the disk before the name does.
    YOYAKU_TRY(sync_path(tmp, false));
    fs::rename(tmp, final_path, ec);
    if (ec) return Error::unavailable("cannot rename the backup: " + ec.message());
    YOYAKU_TRY(sync_path(out_dir, true));
    return final_path;
}

Result<Manifest> inspect(const BackupKeys& key, const fs::path& file) {
    YOYAKU_TRY_ASSIGN(auto o, open_backup(key, file));
    return std::move(o.manifest);
}

Result<Verified> verify(
    const BackupKeys& key,
    const fs::path& file,
    const fs::path& scratch_dir,
    const std::string& postgres_url
) {
    YOYAKU_TRY_ASSIGN(auto o, open_backup(key, file));
    const bool pg = o.manifest.backend == "postgresql";
    if (pg && !postgres_url.starts_with("postgres"))
        return refused(
            "a PostgreSQL backup is verified in a scratch database: give --database-url of its "
            "server"
        );
    std::error_code ec;
    fs::create_directories(scratch_dir, ec);
    ::chmod(scratch_dir.c_str(), 0700);
    Scratch scratch{scratch_dir / (".verify-" + crypto::random_hex(8) + (pg ? ".dump" : ".db"))};
    YOYAKU_TRY(unpack(o, scratch.path));
    Result<Manifest> found = Manifest{};
    std::string url = "sqlite:" + scratch.path.string();
    std::optional<storage::pg::ScratchDatabase> scratch_db;
    if (pg) {
        // pg_restore checks every constraint as it loads: PostgreSQL's integrity check.
        YOYAKU_TRY_ASSIGN(auto made, storage::pg::ScratchDatabase::create(postgres_url));
        scratch_db.emplace(std::move(made));
        url = scratch_db->url(o.manifest.schema);
        YOYAKU_TRY(storage::pg::restore(url, scratch.path, false));
        YOYAKU_TRY_ASSIGN(auto facts, storage::pg::describe(url, o.manifest.schema));
        found = from_facts(std::move(facts), "postgresql");
    } else {
        YOYAKU_TRY_ASSIGN(auto facts, storage::sqlite::describe(scratch.path, true));
        found = from_facts(std::move(facts), "sqlite");
    }
    if (!found) return fail(std::move(found).error());
    if (found->schema_version != o.manifest.schema_version)
        return refused("the schema version differs from the manifest's");
    if (found->row_counts != o.manifest.row_counts)
        return refused("the row counts differ from the manifest's");
    YOYAKU_TRY_ASSIGN(auto entries, verify_audit(url));
    return Verified{std::move(o.manifest), entries};
}

Result<Manifest> restore(
    const Config& target, const BackupKeys& key, const fs::path& file, bool force
) {
    YOYAKU_TRY_ASSIGN(auto o, open_backup(key, file));
    if ((o.manifest.backend == "sqlite") != on_sqlite(target))
        return refused(
            "a backup of " + o.manifest.backend + " restores into " + o.manifest.backend + " only"
        );
    std::error_code ec;
    if (!on_sqlite(target)) {
        const auto url = target.effective_backup_database_url();
        if (!force) {
            YOYAKU_TRY_ASSIGN(auto there, storage::pg::describe(url, o.manifest.schema));
            if (!there.row_counts.empty())
                return Error{
                    Errc::conflict,
                    "the target database has tables in schema " + o.manifest.schema +
                        ": give --force to replace them",
                    "target",
                    {}};
        }
        fs::create_directories(target.data_dir, ec);
        ::chmod(target.data_dir.c_str(), 0700);
        Scratch dump{fs::path(target.data_dir) / (".restore-" + crypto::random_hex(8) + ".dump")};
        YOYAKU_TRY(unpack(o, dump.path));
        YOYAKU_TRY(storage::pg::restore(url, dump.path, true));
        return std::move(o.manifest);
    }
    const fs::path db = sqlite_path(target);
    YOYAKU_TRY_ASSIGN(const auto dir, sqlite_target(db, force));
    const fs::path tmp = dir / (".restore-" + crypto::random_hex(8) + ".db");
    if (auto r = unpack(o, tmp); !r) {
        fs::remove(tmp, ec);
        return fail(std::move(r).error());
    }
    ::chmod(tmp.c_str(), 0600);
    YOYAKU_TRY(put_in_place(tmp, db));
    return std::move(o.manifest);
}

Instant next_daily(Instant now, std::string_view zone, int hour) {
    using namespace std::chrono;
    const auto local = to_local(now, zone);
    auto day = floor<days>(local);
    for (int i = 0; i < 3; ++i, day += days(1)) {
        const Instant at = from_local(day + hours(hour), zone);
        if (at > now) return at;
    }
    return now + hours(24);
}

Result<Verified> scheduled(const Config& c, const BackupKeys& key, Instant now) {
    YOYAKU_TRY_ASSIGN(auto file, create(c, key, c.backup_dir, now));
    auto v = on_sqlite(c) ? verify(key, file, fs::path(sqlite_path(c)).parent_path())
                          : verify(key, file, c.data_dir, c.effective_backup_database_url());
    if (!v) {
        std::error_code ec;
        fs::rename(file, file.string() + ".failed", ec);
        return fail(std::move(v).error());
    }
    YOYAKU_TRY_ASSIGN(
        auto gone,
        prune(
            c.backup_dir,
            now,
            static_cast<int>(c.backup_keep_generations),
            std::chrono::hours(24 * c.backup_keep_days),
            false
        )
    );
    return v;
}

std::vector<Generation> generations(const fs::path& dir) {
    std::vector<Generation> out;
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(dir, ec)) {
        if (!e.is_regular_file()) continue;
        auto t = stamp_time(e.path().filename().string());
        if (!t) continue;
        out.push_back({e.path(), *t, static_cast<std::int64_t>(e.file_size())});
    }
    std::sort(out.begin(), out.end(), [](const Generation& a, const Generation& b) {
        return a.created_at != b.created_at ? a.created_at > b.created_at : a.file > b.file;
    });
    return out;
}

Result<std::vector<Generation>> prune(
    const fs::path& dir, Instant now, int keep, std::chrono::hours keep_for, bool dry_run
) {
    std::vector<Generation> gone;
    const auto all = generations(dir);
    for (std::size_t i = 0; i < all.size(); ++i) {
        if (static_cast<int>(i) < keep || all[i].created_at > now - keep_for) continue;
        if (!dry_run) {
            std::error_code ec;
            fs::remove(all[i].file, ec);
            if (ec) return Error::unavailable("cannot delete " + all[i].file.string());
        }
        gone.push_back(all[i]);
    }
    if (!dry_run && !gone.empty()) YOYAKU_TRY(sync_path(dir, true));
    return gone;
}

}  // namespace yoyaku::app::backup
