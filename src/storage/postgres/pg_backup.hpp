#pragma once
// PostgreSQL's side of backups (SPEC S14): a consistent dump with PostgreSQL's own pg_dump
// (custom format), row counts read in the very snapshot the dump reads, restore with pg_restore
// in one transaction, and scratch databases for verification.
//
// The tools get the connection through libpq's environment variables (PGHOST, PGPASSWORD…),
// never on their command line, where any local user could read a password. Tables carry forced
// row-level security, so the role must bypass it (BYPASSRLS, or a superuser): the platform's
// own role cannot, by design. A restore keeps the dump's owners (the restoring role must be a
// member of the owning role); a scratch restore takes the restoring role as owner.

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.hpp"
#include "storage/schema_facts.hpp"

namespace yoyaku::storage::pg {

using storage::SchemaFacts;

/// Dumps the schema that `url`'s search path resolves to into `file` (a new file, custom
/// format) and counts its rows in the same snapshot. Errors: unprocessable on `field` when the
/// role cannot bypass row-level security; unavailable (connection, pg_dump failed, with its
/// message).
Result<SchemaFacts> dump(
    const std::string& url, const std::filesystem::path& file, std::string_view field
);

/// The facts of `schema` in `url`'s database now (`row_counts` empty when it has no table).
Result<SchemaFacts> describe(const std::string& url, std::string_view schema);

/// Restores `file` into `url`'s database in one transaction, first dropping what the dump
/// holds (the caller has checked the target is empty or was told to replace it). With
/// `keep_owners` false, the restoring role owns what is made (a scratch copy). Errors:
/// unprocessable on "in" with pg_restore's message (nothing is restored then).
Result<void> restore(const std::string& url, const std::filesystem::path& file, bool keep_owners);

/// A new, empty database on `url`'s server (the role needs CREATEDB), dropped when this goes.
class ScratchDatabase {
public:
    static Result<ScratchDatabase> create(const std::string& url);
    ScratchDatabase(ScratchDatabase&& other) noexcept;
    ScratchDatabase& operator=(ScratchDatabase&&) = delete;
    ~ScratchDatabase();
    /// A URL of the scratch database whose search path is `schema`.
    std::string url(std::string_view schema) const;

private:
    ScratchDatabase(std::string server_url, std::string name)
        : server_url_(std::move(server_url)), name_(std::move(name)) {}
    std::string server_url_;  ///< where it was created from (and is dropped through)
    std::string name_;
};

}  // namespace yoyaku::storage::pg
