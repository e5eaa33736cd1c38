#include "crypto/keyring.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <fstream>
#include <optional>
#include <sstream>

#include "crypto/random.hpp"

namespace yoyaku::crypto {
namespace fs = std::filesystem;

namespace {

Result<std::string> read_file(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    if (!in) return Error::not_found("no such key");
    std::ostringstream buf;
    buf << in.rdbuf();
    return std::move(buf).str();
}

// Writes crash-safely: temp file, fsync, rename, fsync the directory.
Result<void> write_file(const fs::path& p, std::string_view bytes) {
    const fs::path tmp = p.string() + ".tmp";
    int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) return Error::unavailable("cannot write " + tmp.string());
    bool ok = ::write(fd, bytes.data(), bytes.size()) == static_cast<ssize_t>(bytes.size()) &&
              ::fsync(fd) == 0;
    ::close(fd);
    if (!ok || ::rename(tmp.c_str(), p.c_str()) != 0)
        return Error::unavailable("cannot write " + p.string());
    int dfd = ::open(p.parent_path().c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd >= 0) {
        ::fsync(dfd);
        ::close(dfd);
    }
    return {};
}

std::string wrap_context(TenantId t) {
    return "yoyaku-keyring/tenant:" + std::to_string(t.value);
}

// Reads a 32-byte key file that only its owner may read. Errors name the file.
Result<SecretKey> read_key(const fs::path& p) {
    struct stat st {};
    if (::stat(p.c_str(), &st) != 0) return Error::invalid("keys", "cannot read " + p.string());
    if (st.st_mode & 077)
        return Error::invalid("keys", p.string() + " is accessible to group or others (chmod 600)");
    YOYAKU_TRY_ASSIGN(auto bytes, read_file(p));
    auto key = SecretKey::from_bytes(bytes);
    if (!key) return Error::invalid("keys", p.string() + " is not a 32-byte key");
    return std::move(*key);
}

// The retired masters in `dir`/retired, newest first (their names sort by time).
Result<std::vector<SecretKey>> read_retired(const fs::path& dir) {
    std::vector<fs::path> files;
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(dir / "retired", ec))
        if (e.path().extension() == ".key") files.push_back(e.path());
    std::sort(files.rbegin(), files.rend());
    std::vector<SecretKey> out;
    for (const auto& f : files) {
        YOYAKU_TRY_ASSIGN(auto k, read_key(f));
        out.push_back(std::move(k));
    }
    return out;
}

// A key file's identity: a rotation replaces the file (rename), so another inode or time.
std::uint64_t file_identity(const struct stat& st) {
    const auto ns = static_cast<std::uint64_t>(st.st_mtim.tv_sec) * 1000000000u +
                    static_cast<std::uint64_t>(st.st_mtim.tv_nsec);
    return (static_cast<std::uint64_t>(st.st_ino) * 0x9E3779B97F4A7C15u) ^ ns ^
           (static_cast<std::uint64_t>(st.st_size) << 48);
}

// A tenant key file's plaintext: 32 bytes (one key, generation 1: files written before
// rotation existed), or format byte 2 then, newest first, each generation as a 4-byte
// big-endian number and its 32-byte key.
constexpr unsigned char kGenerations = 2;
constexpr std::size_t kEntry = 4 + 32;

std::string encode_generations(const std::vector<std::pair<std::uint32_t, SecretKey>>& gens) {
    std::string out(1, static_cast<char>(kGenerations));
    for (const auto& [n, key] : gens) {
        for (int shift = 24; shift >= 0; shift -= 8)
            out.push_back(static_cast<char>((n >> shift) & 0xFF));
        out.append(key.view());
    }
    return out;
}

std::optional<std::vector<std::pair<std::uint32_t, SecretKey>>> parse_generations(
    std::string_view raw
) {
    std::vector<std::pair<std::uint32_t, SecretKey>> out;
    if (raw.size() == 32) {
        out.emplace_back(1, std::move(*SecretKey::from_bytes(raw)));
        return out;
    }
    if (raw.size() < 1 + kEntry || static_cast<unsigned char>(raw[0]) != kGenerations ||
        (raw.size() - 1) % kEntry != 0)
        return std::nullopt;
    for (std::size_t at = 1; at < raw.size(); at += kEntry) {
        std::uint32_t n = 0;
        for (std::size_t i = 0; i < 4; ++i) n = (n << 8) | static_cast<unsigned char>(raw[at + i]);
        out.emplace_back(n, std::move(*SecretKey::from_bytes(raw.substr(at + 4, 32))));
    }
    return out;
}

}  // namespace

Result<std::string> TenantKeys::open(std::string_view sealed, std::string_view associated) const {
    auto opened = crypto::open(seal, sealed, associated);
    for (std::size_t i = 0; !opened && i < older.size(); ++i)
        opened = crypto::open(older[i].seal, sealed, associated);
    return opened;
}

std::vector<std::string> TenantKeys::indexes(std::string_view normalized) const {
    std::vector<std::string> out{blind_index(index, normalized)};
    for (const auto& g : older) out.push_back(blind_index(g.index, normalized));
    return out;
}

Result<std::unique_ptr<Keyring>> Keyring::open(const fs::path& dir, bool create) {
    std::error_code ec;
    const fs::path master = dir / "master.key";
    if (!fs::exists(master)) {
        if (!create) return Error::invalid("keys", "no master key in " + dir.string());
        fs::create_directories(dir / "tenants", ec);
        if (ec)
            return Error::invalid("keys", "cannot create " + dir.string() + ": " + ec.message());
        ::chmod(dir.c_str(), 0700);
        ::chmod((dir / "tenants").c_str(), 0700);
        auto key = SecretKey::random();
        YOYAKU_TRY(write_file(master, key.view()));
    }
    fs::create_directories(dir / "tenants", ec);
    YOYAKU_TRY_ASSIGN(auto key, read_key(master));
    std::unique_ptr<Keyring> ring(new Keyring(dir, std::move(key)));
    YOYAKU_TRY(ring->reload_masters());  // retired/ and master.key's identity
    return ring;
}

Result<void> Keyring::reload_masters() const {
    struct stat st {};
    const bool seen = ::stat((dir_ / "master.key").c_str(), &st) == 0;
    YOYAKU_TRY_ASSIGN(auto key, read_key(dir_ / "master.key"));
    YOYAKU_TRY_ASSIGN(auto retired, read_retired(dir_));
    master_ = std::move(key);
    retired_ = std::move(retired);
    master_id_ = seen ? file_identity(st) : 0;
    return {};
}

void Keyring::refresh_masters() const {
    struct stat st {};
    if (::stat((dir_ / "master.key").c_str(), &st) != 0 || file_identity(st) == master_id_) return;
    (void)reload_masters();
}

std::optional<std::string> Keyring::unwrap(TenantId tenant, std::string_view wrapped) const {
    auto raw = crypto::open(master_, wrapped, wrap_context(tenant));
    for (std::size_t i = 0; !raw && i < retired_.size(); ++i)
        raw = crypto::open(retired_[i], wrapped, wrap_context(tenant));
    if (!raw) return std::nullopt;
    return std::move(*raw);
}

fs::path Keyring::key_path(TenantId tenant) const {
    return dir_ / "tenants" / (std::to_string(tenant.value) + ".key");
}

bool Keyring::has(TenantId tenant) const {
    return fs::exists(key_path(tenant));
}

Result<Keyring::Cached*> Keyring::load(TenantId tenant) {
    const fs::path path = key_path(tenant);
    struct stat st {};
    const bool exists = ::stat(path.c_str(), &st) == 0;
    const std::uint64_t id = exists ? file_identity(st) : 0;
    auto it = cache_.find(tenant.value);
    if (exists && it != cache_.end() && it->second.file_id == id) return &it->second;
    if (it != cache_.end()) cache_.erase(it);
    const fs::path gone = path.string() + ".destroyed";
    if (fs::exists(gone)) return Error::not_found("the tenant's key was destroyed");
    Cached entry;
    if (exists) {
        if (st.st_mode & 077)
            return Error::invalid(
                "keys", path.string() + " is accessible to group or others (chmod 600)"
            );
        YOYAKU_TRY_ASSIGN(auto wrapped, read_file(path));
        auto raw = unwrap(tenant, wrapped);
        // Another process may have rotated the master key since this one started.
        if (!raw && reload_masters()) raw = unwrap(tenant, wrapped);
        auto generations = raw ? parse_generations(*raw) : std::nullopt;
        if (!generations)
            return Error{
                Errc::unprocessable,
                "the tenant's key does not open with any known master key",
                {},
                {}};
        entry.generations = std::move(*generations);
        entry.file_id = id;
    } else {
        entry.generations.emplace_back(1, SecretKey::random());
        YOYAKU_TRY(store(tenant, entry));
    }
    return &cache_.insert_or_assign(tenant.value, std::move(entry)).first->second;
}

Result<void> Keyring::store(TenantId tenant, Cached& entry) {
    const fs::path path = key_path(tenant);
    YOYAKU_TRY(
        write_file(path, seal(master_, encode_generations(entry.generations), wrap_context(tenant)))
    );
    struct stat st {};
    entry.file_id = ::stat(path.c_str(), &st) == 0 ? file_identity(st) : 0;
    return {};
}

Result<TenantKeys> Keyring::tenant_keys(TenantId tenant) {
    std::lock_guard lock(mu_);
    YOYAKU_TRY_ASSIGN(auto entry, load(tenant));
    const auto& g = (entry)->generations;
    TenantKeys keys{
        derive(g.front().second, 1, "seal"),
        derive(g.front().second, 2, "index"),
        g.front().first,
        {}};
    for (std::size_t i = 1; i < g.size(); ++i)
        keys.older.push_back(
            {g[i].first, derive(g[i].second, 1, "seal"), derive(g[i].second, 2, "index")}
        );
    return keys;
}

Result<std::uint32_t> Keyring::add_data_key(TenantId tenant) {
    std::lock_guard lock(mu_);
    auto entry = load(tenant);
    if (!entry) return fail(std::move(entry).error());
    Cached next = **entry;
    const std::uint32_t number = next.generations.front().first + 1;
    next.generations.emplace(next.generations.begin(), number, SecretKey::random());
    YOYAKU_TRY(store(tenant, next));
    **entry = std::move(next);
    return number;
}

Result<int> Keyring::drop_older_data_keys(TenantId tenant) {
    std::lock_guard lock(mu_);
    auto entry = load(tenant);
    if (!entry) return fail(std::move(entry).error());
    const int dropped = static_cast<int>((*entry)->generations.size()) - 1;
    if (dropped == 0) return 0;
    Cached next;
    next.generations.push_back((*entry)->generations.front());
    YOYAKU_TRY(store(tenant, next));
    **entry = std::move(next);
    return dropped;
}

Result<SecretKey> Keyring::own_key(std::string_view name) const {
    const fs::path path = dir_ / (std::string(name) + ".key");
    if (fs::exists(path)) return read_key(path);
    // Made beside, then linked into place: link() fails when another process got there first.
    const fs::path made = path.string() + "." + random_hex(8) + ".new";
    YOYAKU_TRY(write_file(made, SecretKey::random().view()));
    const bool linked = ::link(made.c_str(), path.c_str()) == 0;
    const int why = errno;
    ::unlink(made.c_str());
    if (!linked && why != EEXIST) return Error::unavailable("cannot write " + path.string());
    return read_key(path);
}

SecretKey Keyring::platform_key(std::string_view purpose) const {
    std::lock_guard lock(mu_);
    refresh_masters();
    return derive(master_, 1, purpose);
}

std::vector<SecretKey> Keyring::platform_keys(std::string_view purpose) const {
    std::lock_guard lock(mu_);
    refresh_masters();
    std::vector<SecretKey> out{derive(master_, 1, purpose)};
    for (const auto& r : retired_) out.push_back(derive(r, 1, purpose));
    return out;
}

Result<int> Keyring::rotate_master() {
    std::lock_guard lock(mu_);
    YOYAKU_TRY(reload_masters());
    // First the old master goes to retired/ (so nothing becomes unreadable if we stop midway),
    // then the new master, then each tenant key is re-wrapped.
    std::error_code ec;
    fs::create_directories(dir_ / "retired", ec);
    ::chmod((dir_ / "retired").c_str(), 0700);
    const auto now = std::chrono::system_clock::now();
    const auto stamp = std::to_string(
        std::chrono::duration_cast<std::chrono::microseconds>(now.time_since_epoch()).count()
    );
    YOYAKU_TRY(write_file(dir_ / "retired" / ("master-" + stamp + ".key"), master_.view()));
    auto fresh = SecretKey::random();
    YOYAKU_TRY(write_file(dir_ / "master.key", fresh.view()));
    retired_.insert(retired_.begin(), master_);
    master_ = fresh;
    int rewrapped = 0;
    for (const auto& e : fs::directory_iterator(dir_ / "tenants", ec)) {
        const auto name = e.path().filename().string();
        if (e.path().extension() != ".key") continue;
        std::int64_t id = 0;
        try {
            id = std::stoll(name.substr(0, name.size() - 4));
        } catch (const std::exception&) {
            continue;
        }
        YOYAKU_TRY_ASSIGN(auto wrapped, read_file(e.path()));
        auto raw = unwrap(TenantId{id}, wrapped);
        if (!raw)
            return Error{
                Errc::unprocessable,
                "the key of tenant " + std::to_string(id) + " opens with no known master key",
                "keys",
                {}};
        YOYAKU_TRY(write_file(e.path(), seal(master_, *raw, wrap_context(TenantId{id}))));
        cache_.erase(id);
        ++rewrapped;
    }
    return rewrapped;
}

Result<void> Keyring::destroy(TenantId tenant) {
    std::lock_guard lock(mu_);
    cache_.erase(tenant.value);
    const fs::path path = key_path(tenant);
    // A marker stops a later call from silently minting a new key for the destroyed tenant.
    YOYAKU_TRY(write_file(path.string() + ".destroyed", "destroyed\n"));
    if (!fs::exists(path)) return {};
    // Overwrite in place before unlinking. On copy-on-write or flash storage this is best
    // effort; the guarantee is that the key never entered the database or its backups.
    std::error_code ec;
    const auto size = fs::file_size(path, ec);
    int fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC);
    if (fd >= 0) {
        const std::string zeros(ec ? 64 : size, '\0');
        (void)!::write(fd, zeros.data(), zeros.size());
        ::fsync(fd);
        ::close(fd);
    }
    fs::remove(path, ec);
    if (ec) return Error::unavailable("cannot remove " + path.string());
    int dfd = ::open(path.parent_path().c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd >= 0) {
        ::fsync(dfd);
        ::close(dfd);
    }
    return {};
}

}  // namespace yoyaku::crypto
