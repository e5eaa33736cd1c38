#pragma once
// The `customer_locks` table: one row per customer (by address index) that a booking locks,
// so a customer's concurrent bookings are counted against their limits one after another.

#include <string>

#include "core/result.hpp"
#include "core/time.hpp"
#include "storage/database.hpp"

namespace yoyaku::bookings {

class CustomerLockStore {
public:
    explicit CustomerLockStore(storage::ScopedTx& stx) : stx_(stx) {}

    /// Locks the customer's row until the transaction ends (made on first use).
    Result<void> lock(const std::string& subject, Instant now);

private:
    storage::ScopedTx& stx_;
};

}  // namespace yoyaku::bookings
