#pragma once
// The `idempotency_keys` table: a creating request's key, the hash of what it asked and the
// booking it made, so that a retry gets the first answer (never a second booking).

#include <cstdint>
#include <optional>
#include <string>

#include "core/result.hpp"
#include "core/time.hpp"
#include "storage/database.hpp"

namespace yoyaku::bookings {

struct KeptKey {
    std::string request_hash;
    BookingId booking_id;
};

class IdempotencyKeyStore {
public:
    explicit IdempotencyKeyStore(storage::ScopedTx& stx) : stx_(stx) {}

    Result<std::optional<KeptKey>> find(const std::string& key);
    /// Errors: conflict when the key is kept already (a duplicate in flight waits on it).
    Result<void> insert(const std::string& key, const KeptKey& kept, Instant now);

private:
    storage::ScopedTx& stx_;
};

}  // namespace yoyaku::bookings
