#pragma once
// The `waitlist_entries` table. Its statements are moving here from waitlist.cpp (ADR 0016); so far
// the sealed customer.

#include <cstdint>
#include <string>

#include "core/result.hpp"
#include "storage/database.hpp"
#include "storage/sealed_column.hpp"

namespace yoyaku::bookings {

class WaitlistEntryStore {
public:
    explicit WaitlistEntryStore(storage::ScopedTx& stx) : stx_(stx) {}

    /// The applicant (name, address, phone as JSON), indexed by its address; an erased one by
    /// the entry's reference.
    static constexpr storage::SealedColumn kCustomer{
        "waitlist_entries",
        "customer_sealed",
        "customer",
        storage::SealedIndex::customer,
        "reference"};

    Result<void> update_customer_sealed(std::int64_t id, const std::string& sealed);

private:
    storage::ScopedTx& stx_;
};

}  // namespace yoyaku::bookings
