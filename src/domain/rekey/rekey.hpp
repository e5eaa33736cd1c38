#pragma once
// Data key rotation (SPEC S11): a tenant gets a new generation of its data key and every field
// sealed under an earlier one is sealed again under it, with its blind index recomputed, while
// the platform keeps serving. Rows are read in batches and each is written back only if it has
// not changed since it was read; one changed meanwhile is taken again by the next pass. Look-ups
// match every generation's index (crypto::TenantKeys::indexes) until then.

#include <cstdint>
#include <string>
#include <vector>

#include "core/ids.hpp"
#include "core/result.hpp"
#include "core/time.hpp"
#include "crypto/keyring.hpp"
#include "storage/database.hpp"
#include "storage/sealed_column.hpp"

namespace yoyaku::rekey {

/// Every sealed column of the schema, as the stores owning the tables declare them: what a
/// rotation re-seals (with the tenant_settings' LINE channel token besides).
const std::vector<storage::SealedColumn>& sealed_columns();

struct Options {
    bool new_key = true;    ///< add a data key generation first (false: only finish re-sealing)
    bool drop_old = false;  ///< afterwards drop the earlier generations, if nothing needs them
    int batch = 200;        ///< rows per transaction
};

/// What one tenant's re-encryption did.
struct TenantReport {
    TenantId tenant{0};
    std::string code;              ///< the tenant's code; "platform" for the operators (tenant 0)
    std::uint32_t generation = 0;  ///< the current generation afterwards
    std::int64_t resealed = 0;     ///< fields sealed again under the current generation
    std::int64_t reindexed = 0;    ///< blind indexes recomputed
    std::int64_t left = 0;         ///< fields still under an earlier generation (or unreadable)
    int dropped = 0;               ///< earlier generations dropped (only with drop_old, left 0)
};

/// Re-encrypts `tenant` (TenantId{0}: the platform's own accounts) as `options` say, and
/// records it in the tenant's audit chain. Errors: not_found (the tenant's key was destroyed),
/// unavailable (database or key files), internal.
Result<TenantReport> rotate_tenant(
    storage::Database& db,
    crypto::Keyring& keys,
    TenantId tenant,
    std::string code,
    const Options& options,
    Instant now
);

/// rotate_tenant for the platform and every tenant whose key exists (purged tenants and those
/// whose key was destroyed are skipped).
Result<std::vector<TenantReport>> rotate_all(
    storage::Database& db, crypto::Keyring& keys, const Options& options, Instant now
);

}  // namespace yoyaku::rekey
