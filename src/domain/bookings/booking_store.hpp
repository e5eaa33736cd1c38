#pragma once
// The `bookings` table. Its statements are moving here from the engine's files (ADR 0016);
// so far the calendar feeds' read.

#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "core/time.hpp"
#include "storage/database.hpp"

namespace yoyaku::bookings {

/// A live booking as a calendar shows it: no personal data.
struct CalendarEntry {
    std::string reference;
    std::string offering_name;
    Instant starts_at{};
    Instant ends_at{};
    int revision = 0;
    Instant updated_at{};
};

class BookingStore {
public:
    explicit BookingStore(storage::ScopedTx& stx) : stx_(stx) {}

    /// Live bookings (pending, confirmed, checked in) starting in [from, to) on `resource` (as
    /// staff member, rented resource or room) or of `account`, in start order, at most 5,000.
    Result<std::vector<CalendarEntry>> list_calendar_entries(
        std::optional<ResourceId> resource,
        std::optional<AccountId> account,
        Instant from,
        Instant to
    );

private:
    storage::ScopedTx& stx_;
};

}  // namespace yoyaku::bookings
