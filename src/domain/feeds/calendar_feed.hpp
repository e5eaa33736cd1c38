#pragma once
// A secret iCalendar feed URL (SPEC "Notifications"): of one resource (staff member, room) or
// of one customer's own bookings.

#include <optional>
#include <string>

#include "core/ids.hpp"
#include "core/time.hpp"

namespace yoyaku::feeds {

struct CalendarFeed {
    FeedId id;
    std::optional<ResourceId> resource_id;
    std::optional<AccountId> account_id;
    Instant created_at{};
    std::optional<Instant> revoked_at;
};

struct NewFeed {
    CalendarFeed feed;
    std::string token;  ///< 64 hex characters, shown once; only its hash is kept
};

}  // namespace yoyaku::feeds
