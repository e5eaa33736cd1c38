#pragma once
// The `waitlist_entries` table. Its statements are moving here from waitlist.cpp (ADR 0016); so far
// the sealed customer.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

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
    /// Marks entry `id` confirmed at `now`, once; false when it was already.
    Result<bool> confirm(std::int64_t id, std::int64_t now_micros);
    /// Whether another live entry for the same occurrence (`scope_id`) holds one of the address's
    /// blind indexes and counts: confirmed, or made after `young_since` (a pending mail).
    Result<bool> address_taken(
        std::int64_t scope_id,
        const std::vector<std::string>& email_indexes,
        std::int64_t except_id,
        std::optional<std::int64_t> young_since_micros
    );

private:
    storage::ScopedTx& stx_;
};

}  // namespace yoyaku::bookings
