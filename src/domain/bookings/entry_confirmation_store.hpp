#pragma once
// Guests' entries waiting for their address to be confirmed (issue 24): `waitlist_entries` and
// `lottery_entries` keep it in the same columns (confirmed_at, email_index, created_at).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "storage/database.hpp"

namespace yoyaku::bookings {

/// A table of such entries: its name, the column naming the line or draw, its live rows.
struct EntryTable {
    std::string_view table;
    std::string_view scope_column;
    std::string_view live;
};
inline constexpr EntryTable kWaitlistEntries{
    "waitlist_entries", "occurrence_id", "status IN ('waiting', 'offered')"};
inline constexpr EntryTable kLotteryEntries{
    "lottery_entries", "offering_id", "status <> 'withdrawn'"};

class EntryConfirmationStore {
public:
    EntryConfirmationStore(storage::ScopedTx& stx, EntryTable table) : stx_(stx), table_(table) {}

    /// Marks entry `id` confirmed at `now`, once; false when it was already.
    Result<bool> confirm(std::int64_t id, std::int64_t now_micros);
    /// Whether another live entry of the same line or draw (`scope_id`) holds one of the
    /// address's blind indexes and counts: confirmed, or made after `young_since` (its
    /// confirmation mail is still young).
    Result<bool> address_taken(
        std::int64_t scope_id,
        const std::vector<std::string>& email_indexes,
        std::int64_t except_id,
        std::optional<std::int64_t> young_since_micros
    );

private:
    storage::ScopedTx& stx_;
    EntryTable table_;
};

}  // namespace yoyaku::bookings
