#include "domain/bookings/customer_lock_store.hpp"

namespace yoyaku::bookings {

Result<void> CustomerLockStore::lock(const std::string& subject, Instant now) {
    YOYAKU_TRY(stx_.tx().exec(
        "INSERT INTO customer_locks(tenant_id, subject, touched_at) VALUES ($1, $2, $3) ON CONFLICT (tenant_id, subject) DO UPDATE SET touched_at = excluded.touched_at",
        stx_.tenant_id(),
        subject,
        to_micros(now)
    ));
    return {};
}

}  // namespace yoyaku::bookings
