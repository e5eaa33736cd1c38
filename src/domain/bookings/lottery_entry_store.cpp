#include "domain/bookings/lottery_entry_store.hpp"

namespace yoyaku::bookings {

Result<void> LotteryEntryStore::update_customer_sealed(std::int64_t id, const std::string& sealed) {
    YOYAKU_TRY(stx_.tx().exec(
        "UPDATE lottery_entries SET customer_sealed = $3 WHERE tenant_id = $1 AND id = $2",
        stx_.tenant_id(),
        id,
        storage::Blob{sealed}
    ));
    return {};
}

}  // namespace yoyaku::bookings
