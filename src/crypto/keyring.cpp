#include "crypto/keyring.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <optional>
#include <sstream>

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
    auto bytes = read_file(p);
    if (!bytes) return fail(std::move(bytes).error());
    auto key = SecretKey::from_bytes(*bytes);
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
        auto k = read_key(f);
        if (!k) return fail(std::move(k).error());
        out.push_back(std::move(*k));
    }
    return out;
}

}  // namespace

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
    auto key = read_key(master);
    if (!key) return fail(std::move(key).error());
    std::unique_ptr<Keyring> ring(new Keyring(dir, std::move(*key)));
    auto retired = read_retired(dir);
    if (!retired) return fail(std::move(retired).error());
    ring->retired_ = std::move(*retired);
    return ring;
}

Result<void> Keyring::reload_masters() {
    auto key = read_key(dir_ / "master.key");
    if (!key) return fail(std::move(key).error());
    auto retired = read_retired(dir_);
    if (!retired) return fail(std::move(retired).error());
    master_ = std::move(*key);
    retired_ = std::move(*retired);
    return {};
}

std::optional<SecretKey> Keyring::unwrap(TenantId tenant, std::string_view wrapped) const {
    auto raw = crypto::open(master_, wrapped, wrap_context(tenant));
    for (std::size_t i = 0; !raw && i < retired_.size(); ++i)
        raw = crypto::open(retired_[i], wrapped, wrap_context(tenant));
    if (!raw) return std::nullopt;
    auto k = SecretKey::from_bytes(*raw);
    if (!k) return std::nullopt;
    return std::move(*k);
}

fs::path Keyring::key_path(TenantId tenant) const {
    return dir_ / "tenants" / (std::to_string(tenant.value) + ".key");
}

bool Keyring::has(TenantId tenant) const {
    return fs::exists(key_path(tenant));
}

Result<TenantKeys> Keyring::tenant_keys(TenantId tenant) {
    std::lock_guard lock(mu_);
    auto it = cache_.find(tenant.value);
    if (it == cache_.end()) {
        const fs::path path = key_path(tenant);
        const fs::path gone = path.string() + ".destroyed";
        if (fs::exists(gone)) return Error::not_found("the tenant's key was destroyed");
        std::optional<SecretKey> data;
        if (fs::exists(path)) {
            struct stat st {};
            if (::stat(path.c_str(), &st) == 0 && (st.st_mode & 077))
                return Error::invalid(
                    "keys", path.string() + " is accessible to group or others (chmod 600)"
                );
            auto wrapped = read_file(path);
            if (!wrapped) return fail(std::move(wrapped).error());
            auto k = unwrap(tenant, *wrapped);
            // Another process may have rotated the master key since this one started.
            if (!k && reload_masters()) k = unwrap(tenant, *wrapped);
            if (!k)
                return Error{
                    Errc::unprocessable,
                    "the tenant's key does not open with any known master key",
                    {},
                    {}};
            data.emplace(std::move(*k));
        } else {
            data.emplace(SecretKey::random());
            YOYAKU_TRY(write_file(path, seal(master_, data->view(), wrap_context(tenant))));
        }
        it = cache_.emplace(tenant.value, std::move(*data)).first;
    }
    return TenantKeys{derive(it->second, 1, "seal"), derive(it->second, 2, "index")};
}

SecretKey Keyring::platform_key(std::string_view purpose) const {
    std::lock_guard lock(mu_);
    return derive(master_, 1, purpose);
}

std::vector<SecretKey> Keyring::platform_keys(std::string_view purpose) const {
    std::lock_guard lock(mu_);
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
        auto wrapped = read_file(e.path());
        if (!wrapped) return fail(std::move(wrapped).error());
        auto k = unwrap(TenantId{id}, *wrapped);
        if (!k)
            return Error{
                Errc::unprocessable,
                "the key of tenant " + std::to_string(id) + " opens with no known master key",
                "keys",
                {}};
        YOYAKU_TRY(write_file(e.path(), seal(master_, k->view(), wrap_context(TenantId{id}))));
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
