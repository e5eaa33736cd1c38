#pragma once
// Keys kept outside the database (SPEC S11): a master key file and, per tenant, a data key
// wrapped under it in its own file. Backups of the database never contain a key, so destroying
// a tenant's key file makes that tenant's sealed data unreadable in every backup
// (crypto-shredding).
//
// Layout: <dir>/master.key (32 bytes, mode 0600), <dir>/tenants/<id>.key (the tenant's data
// keys, sealed under the master: one per generation, newest first),
// <dir>/retired/master-<UTC time>.key (earlier master keys, after a rotation: they still open
// older backups and key files another node wrapped before it saw the new master). The
// directory is created with mode 0700; key files readable by group or others are refused.
// Thread-safe.

#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/ids.hpp"
#include "core/result.hpp"
#include "crypto/sealing.hpp"

namespace yoyaku::crypto {

/// One earlier generation of a tenant's data key: it still opens what it sealed.
struct KeyGeneration {
    std::uint32_t number = 0;
    SecretKey seal;
    SecretKey index;
};

/// The keys a tenant's data is protected with, derived from its data keys. New data is sealed
/// and indexed under the current generation; what an earlier one sealed (rows not yet
/// re-encrypted after a rotation, rows restored from an older backup) still opens.
struct TenantKeys {
    SecretKey seal;   ///< current generation: for seal() of its fields
    SecretKey index;  ///< current generation: for blind_index() of new rows
    std::uint32_t generation = 1;
    std::vector<KeyGeneration> older;  ///< newest first

    /// Opens a field sealed under the current generation, else under an earlier one.
    /// Errors: unprocessable as crypto::open.
    Result<std::string> open(std::string_view sealed, std::string_view associated) const;
    /// The blind index of `normalized` under every generation, current first: a look-up matches
    /// any of them (SQL `IN`), so rows keep being found while they are re-indexed.
    std::vector<std::string> indexes(std::string_view normalized) const;
};

class Keyring {
public:
    /// Opens the keyring in `dir`, creating the directory and master key when `create`.
    /// Errors: invalid_input (field "keys") when the master key file is readable or writable by
    /// others, has the wrong size, or is missing and `create` is false.
    static Result<std::unique_ptr<Keyring>> open(const std::filesystem::path& dir, bool create);

    /// The tenant's keys; its data key is made (and written, fsynced) on first use.
    /// Errors: not_found when the key was destroyed; unprocessable when the key file does not
    /// open under this master key; unavailable on I/O failure.
    Result<TenantKeys> tenant_keys(TenantId tenant);
    /// A platform key for one `purpose` (at most 8 characters, e.g. "altcha"), derived from the
    /// master key: every node with the same keys directory derives the same key. A master
    /// rotated by another process is picked up here (master.key is checked on each call).
    SecretKey platform_key(std::string_view purpose) const;
    /// A platform key kept in a file of its own (`<dir>/<name>.key`, mode 0600), made on first
    /// use (of two processes making it at once, one file wins and both use it). Not derived
    /// from the master: a master rotation leaves it, so what it chained or signed still checks
    /// (the audit chain's key, the checkpoints' signing seed). Errors: invalid_input (field
    /// "keys") for a file others may read or of the wrong size; unavailable on I/O failure.
    Result<SecretKey> own_key(std::string_view name) const;
    /// Destroys the tenant's data key: overwritten, synced and removed. Idempotent.
    Result<void> destroy(TenantId tenant);
    /// True when the tenant's key file exists.
    bool has(TenantId tenant) const;

    /// Master key rotation (SPEC S11): makes a new master key, keeps the old one in retired/,
    /// and re-wraps every tenant key under the new one, each file replaced crash-safely.
    /// Running nodes pick the new master up when a key file no longer opens under theirs.
    /// Returns how many tenant keys were re-wrapped. Errors: unavailable (I/O), unprocessable
    /// (a tenant key that no known master opens; nothing is changed after that file).
    Result<int> rotate_master();
    /// Data key rotation (SPEC S11), first step: a new generation of the tenant's data key
    /// becomes current; earlier ones stay in the file to open what they sealed. Running nodes
    /// see the file change on their next use of the tenant's keys. Returns the new generation.
    /// Errors: as tenant_keys.
    Result<std::uint32_t> add_data_key(TenantId tenant);
    /// Keeps only the current generation of the tenant's data key: what earlier ones sealed no
    /// longer opens (rows not re-encrypted, older backups of this tenant). Returns how many
    /// generations were dropped.
    Result<int> drop_older_data_keys(TenantId tenant);

    /// The platform key for `purpose` under the current master, then under each retired one
    /// (newest first): what older masters protected (backups) still opens.
    std::vector<SecretKey> platform_keys(std::string_view purpose) const;

private:
    Keyring(std::filesystem::path dir, SecretKey master)
        : dir_(std::move(dir)), master_(std::move(master)) {}
    std::filesystem::path key_path(TenantId tenant) const;
    /// Rereads master.key and retired/ (another process rotated). Caller holds mu_.
    Result<void> reload_masters() const;
    /// reload_masters() when master.key is another file than the one read (a stat, no read
    /// otherwise); on failure the keys in memory stay. Caller holds mu_.
    void refresh_masters() const;
    /// Opens a wrapped tenant key file with the current master, else a retired one: its
    /// plaintext (the generations).
    std::optional<std::string> unwrap(TenantId tenant, std::string_view wrapped) const;

    /// A tenant's data keys as read from its file, and which file that was (a rotation by
    /// another process replaces the file, so a changed identity means read it again).
    struct Cached {
        std::vector<std::pair<std::uint32_t, SecretKey>> generations;  ///< newest first
        std::uint64_t file_id = 0;
    };
    /// The tenant's entry, read again when its file changed (or made). Caller holds mu_.
    Result<Cached*> load(TenantId tenant);
    Result<void> store(TenantId tenant, Cached& entry);

    std::filesystem::path dir_;
    // The masters follow master.key and retired/, which another process may rotate; const
    // readers refresh them.
    mutable SecretKey master_;
    mutable std::vector<SecretKey> retired_;  ///< newest first
    mutable std::uint64_t master_id_ = 0;     ///< master.key's file identity when read
    mutable std::mutex mu_;
    std::map<std::int64_t, Cached> cache_;
};

}  // namespace yoyaku::crypto
