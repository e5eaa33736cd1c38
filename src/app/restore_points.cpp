#include "app/restore_points.hpp"

#include <sys/stat.h>

#include <boost/json.hpp>
#include <charconv>
#include <fstream>
#include <set>

#include "app/backup_files.hpp"
#include "crypto/hash.hpp"
#include "crypto/random.hpp"
#include "crypto/sealing.hpp"
#include "storage/sqlite/sqlite_backup.hpp"

namespace yoyaku::app::backup {
namespace fs = std::filesystem;
using namespace files;
namespace {

constexpr std::string_view kMagic = "YOYAKU-POINT/1\n";
constexpr std::string_view kFormat = "yoyaku.point.v1";
constexpr std::size_t kBlock = 64 * 1024;
constexpr std::size_t kName = 64;  // hex of a keyed BLAKE2b-256

Error not_sqlite() {
    return Error::invalid(
        "database.url", "restore points are taken of an SQLite database (PostgreSQL: backups)"
    );
}

// A block's name: its bytes under a key of its own, so that names say nothing without it.
std::string block_name(const crypto::SecretKey& key, std::string_view bytes) {
    const auto k = crypto::derive(key, 9, "ptblock");
    return crypto::blake2b_256_keyed_hex(k.view(), bytes);
}

fs::path block_path(const fs::path& dir, const std::string& name) {
    return dir / "blocks" / name.substr(0, 2) / name;
}

// Writes `bytes` as `to` (0600) through a temporary name of its own (the service and an
// operator's command may write the same block at once), synced before the rename.
Result<void> write_new(const fs::path& to, std::string_view bytes) {
    const fs::path tmp =
        to.parent_path() / ("." + to.filename().string() + "." + crypto::random_hex(4) + ".tmp");
    std::error_code ec;
    const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) return io("cannot create", tmp);
    std::size_t done = 0;
    while (done < bytes.size()) {
        const auto n = ::write(fd, bytes.data() + done, bytes.size() - done);
        if (n <= 0) {
            ::close(fd);
            fs::remove(tmp, ec);
            return io("cannot write", tmp);
        }
        done += static_cast<std::size_t>(n);
    }
    const bool synced = ::fsync(fd) == 0;
    ::close(fd);
    if (!synced) return io("cannot sync", tmp);
    fs::rename(tmp, to, ec);
    if (ec) return Error::unavailable("cannot rename " + tmp.string() + ": " + ec.message());
    return {};
}

std::optional<Instant> name_time(const std::string& name) {
    // point-<17 digits>-<4 hex>.ypt
    if (!name.starts_with("point-") || !name.ends_with(".ypt") || name.size() != 32)
        return std::nullopt;
    std::int64_t us = 0;
    const auto digits = std::string_view(name).substr(6, 17);
    const auto [p, e] = std::from_chars(digits.data(), digits.data() + digits.size(), us);
    if (e != std::errc() || p != digits.data() + digits.size()) return std::nullopt;
    return from_micros(us);
}

struct PointManifest {
    Instant taken_at;
    std::int64_t schema_version = 0;
    std::int64_t database_bytes = 0;
    std::string database_blake2b;
    std::string blocks;  ///< the blocks' names, joined
    int count() const { return static_cast<int>(blocks.size() / kName); }
    std::string block(int i) const {
        return blocks.substr(static_cast<std::size_t>(i) * kName, kName);
    }
};

std::string manifest_text(const PointManifest& m) {
    return boost::json::serialize(boost::json::object{
        {"format", kFormat},
        {"backend", "sqlite"},
        {"taken_at_us", to_micros(m.taken_at)},
        {"schema_version", m.schema_version},
        {"database_bytes", m.database_bytes},
        {"database_blake2b", m.database_blake2b},
        {"blocks", m.blocks}});
}

Result<PointManifest> open_manifest(const BackupKeys& key, const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) return Error{Errc::not_found, "no such restore point: " + file.string(), "in", {}};
    std::string all((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (!all.starts_with(kMagic)) return refused("not a Yoyaku restore point");
    const auto sealed = std::string_view(all).substr(kMagic.size());
    Result<std::string> text = refused("the restore point does not open with these keys");
    for (const auto& k : key.keys)
        if ((text = crypto::open(k, sealed, kFormat))) break;
    if (!text) return refused("the restore point does not open with these keys");
    try {
        const auto o = boost::json::parse(*text).as_object();
        PointManifest m;
        m.taken_at = from_micros(o.at("taken_at_us").as_int64());
        m.schema_version = o.at("schema_version").as_int64();
        m.database_bytes = o.at("database_bytes").as_int64();
        m.database_blake2b = std::string(o.at("database_blake2b").as_string());
        m.blocks = std::string(o.at("blocks").as_string());
        if (m.blocks.size() % kName != 0) return refused("the restore point is garbled");
        return m;
    } catch (const std::exception&) {
        return refused("the restore point is garbled");
    }
}

Result<std::string> open_block(
    const BackupKeys& key, const fs::path& dir, const std::string& name
) {
    std::ifstream in(block_path(dir, name), std::ios::binary);
    if (!in) return refused("block " + name.substr(0, 12) + "… of the restore point is missing");
    std::string sealed((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    for (const auto& k : key.keys)
        if (auto plain = crypto::open(k, sealed, name)) return plain;
    return refused("block " + name.substr(0, 12) + "… of the restore point does not open");
}

}  // namespace

Result<Point> take_point(const Config& c, const BackupKeys& key, const fs::path& dir, Instant now) {
    if (!on_sqlite(c)) return not_sqlite();
    if (inside(dir, c.data_dir))
        return Error::invalid("out", "must be away from the data directory (another disk)");
    std::error_code ec;
    fs::create_directories(dir / "blocks", ec);
    if (ec) return Error::invalid("out", "cannot create " + dir.string() + ": " + ec.message());
    ::chmod(dir.c_str(), 0700);
    ::chmod((dir / "blocks").c_str(), 0700);
    const auto live = fs::path(sqlite_path(c));
    Scratch copy{
        (live.parent_path().empty() ? fs::path(".") : live.parent_path()) /
        (".point-" + crypto::random_hex(8) + ".db")};
    YOYAKU_TRY(storage::sqlite::snapshot(live.string(), copy.path));
    YOYAKU_TRY_ASSIGN(const auto facts, storage::sqlite::describe(copy.path, false));
    PointManifest m;
    m.taken_at = now;
    m.schema_version = facts.schema_version;
    Point p;
    std::set<fs::path> touched;
    {
        std::ifstream in(copy.path, std::ios::binary);
        Blake2b sum;
        std::string buf(kBlock, '\0');
        while (in.read(buf.data(), static_cast<std::streamsize>(buf.size())) || in.gcount() > 0) {
            const std::string_view bytes(buf.data(), static_cast<std::size_t>(in.gcount()));
            sum.update(bytes);
            m.database_bytes += in.gcount();
            const auto name = block_name(key.keys.front(), bytes);
            m.blocks += name;
            const auto at = block_path(dir, name);
            if (!fs::exists(at, ec)) {
                fs::create_directories(at.parent_path(), ec);
                YOYAKU_TRY(write_new(at, crypto::seal(key.keys.front(), bytes, name)));
                touched.insert(at.parent_path());
                ++p.new_blocks;
            }
        }
        if (in.bad()) return io("cannot read", copy.path);
        m.database_blake2b = sum.hex();
    }
    // The blocks reach the disk before the point that names them does.
    for (const auto& d : touched) YOYAKU_TRY(sync_path(d, true));
    char digits[18];
    std::snprintf(digits, sizeof digits, "%017lld", static_cast<long long>(to_micros(now)));
    p.file = dir / ("point-" + std::string(digits) + "-" + crypto::random_hex(2) + ".ypt");
    YOYAKU_TRY(write_new(
        p.file, std::string(kMagic) + crypto::seal(key.keys.front(), manifest_text(m), kFormat)
    ));
    YOYAKU_TRY(sync_path(dir, true));
    p.taken_at = now;
    p.database_bytes = m.database_bytes;
    p.schema_version = m.schema_version;
    p.blocks = m.count();
    return p;
}

std::vector<Point> points(const BackupKeys& key, const fs::path& dir) {
    std::vector<Point> out;
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(dir, ec)) {
        if (!e.is_regular_file()) continue;
        const auto t = name_time(e.path().filename().string());
        if (!t) continue;
        Point p;
        p.file = e.path();
        p.taken_at = *t;
        if (auto m = open_manifest(key, e.path())) {
            p.database_bytes = m->database_bytes;
            p.schema_version = m->schema_version;
            p.blocks = m->count();
        }
        out.push_back(std::move(p));
    }
    std::sort(out.begin(), out.end(), [](const Point& a, const Point& b) {
        return a.taken_at != b.taken_at ? a.taken_at > b.taken_at : a.file > b.file;
    });
    return out;
}

std::optional<Instant> newest_point(const fs::path& dir) {
    std::optional<Instant> out;
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(dir, ec))
        if (const auto t = name_time(e.path().filename().string()); t && (!out || *t > *out))
            out = t;
    return out;
}

Result<Point> restore_point(
    const Config& target, const BackupKeys& key, const fs::path& dir, Instant at, bool force
) {
    if (!on_sqlite(target)) return not_sqlite();
    const auto all = points(key, dir);
    const auto chosen =
        std::find_if(all.begin(), all.end(), [&](const Point& p) { return p.taken_at <= at; });
    if (chosen == all.end())
        return Error{
            Errc::not_found,
            "no restore point in " + dir.string() + " was taken at or before " +
                format_rfc3339(at, "UTC"),
            "at",
            {}};
    YOYAKU_TRY_ASSIGN(const auto m, open_manifest(key, chosen->file));
    const fs::path db = sqlite_path(target);
    YOYAKU_TRY_ASSIGN(const auto folder, sqlite_target(db, force));
    Scratch tmp{folder / (".restore-" + crypto::random_hex(8) + ".db")};
    {
        const int fd = ::open(tmp.path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
        if (fd < 0) return io("cannot create", tmp.path);
        ::close(fd);
        std::ofstream out(tmp.path, std::ios::binary | std::ios::trunc);
        Blake2b sum;
        std::int64_t bytes = 0;
        for (int i = 0; i < m.count(); ++i) {
            YOYAKU_TRY_ASSIGN(const auto block, open_block(key, dir, m.block(i)));
            sum.update(block);
            bytes += static_cast<std::int64_t>(block.size());
            out.write(block.data(), static_cast<std::streamsize>(block.size()));
        }
        out.close();
        if (!out) return io("cannot write", tmp.path);
        if (bytes != m.database_bytes || sum.hex() != m.database_blake2b)
            return refused("the restore point's blocks do not match its checksum");
    }
    YOYAKU_TRY(sync_path(tmp.path, false));
    YOYAKU_TRY_ASSIGN(const auto facts, storage::sqlite::describe(tmp.path, true));
    if (facts.schema_version != m.schema_version)
        return refused("the restored database is not at the restore point's schema version");
    YOYAKU_TRY(put_in_place(tmp.path, db));
    return *chosen;
}

Result<int> prune_points(
    const BackupKeys& key, const fs::path& dir, Instant now, std::chrono::hours keep_for
) {
    const auto all = points(key, dir);
    int gone = 0;
    bool unreadable = false;
    std::set<std::string> named;
    for (std::size_t i = 0; i < all.size(); ++i) {
        if (i > 0 && all[i].taken_at < now - keep_for) {
            std::error_code ec;
            fs::remove(all[i].file, ec);
            if (ec) return Error::unavailable("cannot delete " + all[i].file.string());
            ++gone;
            continue;
        }
        auto m = open_manifest(key, all[i].file);
        if (!m) {
            // It may be under a key not given: every block stays.
            unreadable = true;
            continue;
        }
        for (int b = 0; b < m->count(); ++b) named.insert(m->block(b));
    }
    if (unreadable) return gone;
    std::error_code ec;
    const auto old = fs::file_time_type::clock::now() - std::chrono::hours(1);
    for (const auto& e : fs::recursive_directory_iterator(dir / "blocks", ec)) {
        if (!e.is_regular_file()) continue;
        const auto name = e.path().filename().string();
        if (e.last_write_time() > old) continue;
        // A block no point names, or what a write cut short left.
        const bool leftover = name.starts_with(".") && name.ends_with(".tmp");
        if (!leftover && (name.size() != kName || named.contains(name))) continue;
        std::error_code rm;
        fs::remove(e.path(), rm);
    }
    if (gone > 0) YOYAKU_TRY(sync_path(dir, true));
    return gone;
}

}  // namespace yoyaku::app::backup
