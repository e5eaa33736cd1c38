#pragma once
// Guests' entries waiting for their address to be confirmed (issue 24): `waitlist_entries` and
// `lottery_entries` keep it in the same columns (confirmed_at, email_index, created_at).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/ids.hpp"
#include "core/result.hpp"
#include "core/time.hpp"
#include "storage/database.hpp"

namespace yoyaku::bookings {

/// A table of such entries: its name, the column naming the line or draw, its live rows; typed
/// by the ids of its entries and of the line or draw.
template <class EntryId, class ScopeId>
struct EntryTable {
    std::string_view table;
    std::string_view scope_column;
    std::string_view live;
};
inline constexpr EntryTable<WaitlistEntryId, OccurrenceId> kWaitlistEntries{
    "waitlist_entries", "occurrence_id", "status IN ('waiting', 'offered')"};
inline constexpr EntryTable<LotteryEntryId, OfferingId> kLotteryEntries{
    "lottery_entries", "offering_id", "status <> 'withdrawn'"};

namespace detail {
// The statements, over the tables' integer keys (the typed store below is the interface).
Result<bool> confirm_entry(
    storage::ScopedTx& stx, std::string_view table, std::int64_t row, Instant now
);
Result<bool> entry_address_taken(
    storage::ScopedTx& stx,
    std::string_view table,
    std::string_view scope_column,
    std::string_view live,
    std::int64_t scope,
    const std::vector<std::string>& email_indexes,
    std::int64_t except_row,
    std::optional<Instant> young_since
);
}  // namespace detail

template <class EntryId, class ScopeId>
class EntryConfirmationStore {
public:
    EntryConfirmationStore(storage::ScopedTx& stx, EntryTable<EntryId, ScopeId> table)
        : stx_(stx), table_(table) {}

    /// Marks entry `id` confirmed at `now`, once; false when it was already.
    Result<bool> confirm(EntryId id, Instant now) {
        return detail::confirm_entry(stx_, table_.table, id.value, now);
    }
    /// Whether another live entry (not `except`) of the same line or draw (`scope`) holds one
    /// of the address's blind indexes and counts: confirmed, or made after `young_since` (its
    /// confirmation mail is still young).
    Result<bool> address_taken(
        ScopeId scope,
        const std::vector<std::string>& email_indexes,
        EntryId except,
        std::optional<Instant> young_since
    ) {
        return detail::entry_address_taken(
            stx_,
            table_.table,
            table_.scope_column,
            table_.live,
            scope.value,
            email_indexes,
            except.value,
            young_since
        );
    }

private:
    storage::ScopedTx& stx_;
    EntryTable<EntryId, ScopeId> table_;
};

}  // namespace yoyaku::bookings
