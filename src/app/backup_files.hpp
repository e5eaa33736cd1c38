#pragma once
// What the backup files (app/backup.cpp) and the restore points (app/restore_points.cpp)
// share: file safety, checksums, names. Internal to app/.

#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "app/config.hpp"
#include "core/result.hpp"
#include "core/time.hpp"
#include "storage/sqlite/sqlite_backup.hpp"

namespace yoyaku::app::backup::files {
namespace fs = std::filesystem;

inline Error refused(std::string why) {
    return Error{Errc::unprocessable, std::move(why), "in", {}};
}

inline Error io(const std::string& what, const fs::path& p) {
    return Error::unavailable(what + " " + p.string() + ": " + std::strerror(errno));
}

inline bool on_sqlite(const Config& c) {
    return c.effective_database_url().starts_with("sqlite:");
}

inline std::string sqlite_path(const Config& c) {
    return c.effective_database_url().substr(std::string_view("sqlite:").size());
}

// fsyncs a file or directory by path.
inline Result<void> sync_path(const fs::path& p, bool directory) {
    const int fd = ::open(p.c_str(), (directory ? O_DIRECTORY : 0) | O_RDONLY | O_CLOEXEC);
    if (fd < 0) return io("cannot open", p);
    const int rc = ::fsync(fd);
    ::close(fd);
    if (rc != 0) return io("cannot sync", p);
    return {};
}

class Blake2b {
public:
    Blake2b() { crypto_generichash_init(&st_, nullptr, 0, 32); }
    void update(std::string_view d) {
        crypto_generichash_update(&st_, reinterpret_cast<const unsigned char*>(d.data()), d.size());
    }
    std::string hex() {
        unsigned char out[32];
        crypto_generichash_final(&st_, out, sizeof out);
        char h[65];
        sodium_bin2hex(h, sizeof h, out, sizeof out);
        return h;
    }

private:
    crypto_generichash_state st_{};
};

// A scratch file beside `dir`'s other files, removed when this goes.
struct Scratch {
    fs::path path;
    ~Scratch() {
        std::error_code ec;
        for (const char* suffix : {"", "-wal", "-shm", "-journal"})
            fs::remove(path.string() + suffix, ec);
    }
};

inline std::string stamp(Instant t) {
    auto s = format_rfc3339(t, "UTC");  // 2026-12-02T03:00:00Z or with fraction
    std::string out;
    for (char ch : s.substr(0, 19))
        if (ch != '-' && ch != ':') out += ch;
    return out + "Z";
}

/// The folder of the SQLite database `db` about to be replaced, made (0700) if missing.
/// Errors: conflict on "target" when the database has tables, unless `force`.
inline Result<fs::path> sqlite_target(const fs::path& db, bool force) {
    std::error_code ec;
    if (fs::exists(db, ec) && !force) {
        auto there = storage::sqlite::describe(db, false);
        if (!there || !there->row_counts.empty())
            return Error{
                Errc::conflict,
                "the target database is not empty: give --force to replace it",
                "target",
                {}};
    }
    const auto dir = db.parent_path().empty() ? fs::path(".") : db.parent_path();
    fs::create_directories(dir, ec);
    ::chmod(dir.c_str(), 0700);
    return dir;
}

/// Puts the checked database file `from` in place of `db` in one rename (its old WAL and
/// journal go first), and syncs the folder.
inline Result<void> put_in_place(const fs::path& from, const fs::path& db) {
    std::error_code ec;
    for (const char* suffix : {"-wal", "-shm", "-journal"}) fs::remove(db.string() + suffix, ec);
    fs::rename(from, db, ec);
    if (ec) return Error::unavailable("cannot put the database in place: " + ec.message());
    return sync_path(db.parent_path().empty() ? fs::path(".") : db.parent_path(), true);
}

/// The time a stamp() names ("20261202T030000Z"), or none.
inline std::optional<Instant> parse_stamp(const std::string& s) {
    if (s.size() != 16 || s[8] != 'T' || s[15] != 'Z') return std::nullopt;
    return parse_rfc3339(
        s.substr(0, 4) + "-" + s.substr(4, 2) + "-" + s.substr(6, 2) + "T" + s.substr(9, 2) + ":" +
        s.substr(11, 2) + ":" + s.substr(13, 2) + "Z"
    );
}

inline bool inside(const fs::path& child, const fs::path& parent) {
    std::error_code ec;
    const auto c = fs::weakly_canonical(child, ec);
    const auto p = fs::weakly_canonical(parent, ec);
    auto [pe, ce] = std::mismatch(p.begin(), p.end(), c.begin(), c.end());
    return pe == p.end();
}

}  // namespace yoyaku::app::backup::files
