#pragma once
// The `lottery_entries` table. Its statements are moving here from lottery.cpp (ADR 0016); so far
// the sealed customer.

#include <cstdint>
#include <string>

#include "core/result.hpp"
#include "storage/database.hpp"
#include "storage/sealed_column.hpp"

namespace yoyaku::bookings {

class LotteryEntryStore {
public:
    explicit LotteryEntryStore(storage::ScopedTx& stx) : stx_(stx) {}

    /// The applicant (name, address, phone as JSON), indexed by its address; an erased one by
    /// the entry's reference.
    static constexpr storage::SealedColumn kCustomer{
        "lottery_entries",
        "customer_sealed",
        "customer",
        storage::SealedIndex::customer,
        "reference"};

    Result<void> update_customer_sealed(std::int64_t id, const std::string& sealed);

private:
    storage::ScopedTx& stx_;
};

}  // namespace yoyaku::bookings
