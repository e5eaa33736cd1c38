#include "domain/bookings/idempotency_key_store.hpp"

namespace yoyaku::bookings {

Result<std::optional<KeptKey>> IdempotencyKeyStore::find(const std::string& key) {
    YOYAKU_TRY_ASSIGN(
        auto rows,
        stx_.tx().query(
            "SELECT request_hash, booking_id FROM idempotency_keys WHERE tenant_id = $1 AND idempotency_key = $2",
            stx_.tenant_id(),
            key
        )
    );
    if (rows.empty()) return std::optional<KeptKey>();
    const auto& r = rows.front();
    return std::optional<KeptKey>(KeptKey{r.text("request_hash"), r.id<BookingId>("booking_id")});
}

Result<void> IdempotencyKeyStore::insert(const std::string& key, const KeptKey& kept, Instant now) {
    YOYAKU_TRY(stx_.tx().exec(
        "INSERT INTO idempotency_keys(tenant_id, idempotency_key, request_hash, booking_id, created_at) VALUES ($1, $2, $3, $4, $5)",
        stx_.tenant_id(),
        key,
        kept.request_hash,
        kept.booking_id,
        to_micros(now)
    ));
    return {};
}

}  // namespace yoyaku::bookings
