#include "crypto/keyring.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

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
    struct stat st {};
    if (::stat(master.c_str(), &st) != 0)
        return Error::invalid("keys", "cannot read " + master.string());
    if (st.st_mode & 077)
        return Error::invalid(
            "keys", master.string() + " is accessible to group or others (chmod 600)"
        );
    auto bytes = read_file(master);
    if (!bytes) return fail(std::move(bytes).error());
    auto key = SecretKey::from_bytes(*bytes);
    if (!key) return Error::invalid("keys", master.string() + " is not a 32-byte key");
    return std::unique_ptr<Keyring>(new Keyring(dir, std::move(*key)));
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
            auto wrapped = read_file(path);
            if (!wrapped) return fail(std::move(wrapped).error());
            auto raw = crypto::open(master_, *wrapped, wrap_context(tenant));
            if (!raw)
                return Error{
                    Errc::unprocessable,
                    "the tenant's key does not open with this master key",
                    {},
                    {}};
            auto k = SecretKey::from_bytes(*raw);
            if (!k) return Error{Errc::unprocessable, "the tenant's key file is damaged", {}, {}};
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
    return derive(master_, 1, purpose);
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
