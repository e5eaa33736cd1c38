#pragma once
// Secret iCalendar feed URLs: staff subscribe to a resource's bookings, customers to their own.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "core/time.hpp"
#include "domain/audit/audit.hpp"
#include "domain/feeds/calendar_feed.hpp"
#include "storage/database.hpp"

namespace yoyaku::feeds {

/// Every call is one transaction in the tenant's scope; creating and revoking are audited
/// (calendar_feed.created/revoked, naming the resource or account, never the token).
class FeedService {
public:
    FeedService(storage::Database& db, const Clock& clock) : db_(db), clock_(clock) {}

    /// A new feed of exactly one of `resource` or `account`; its token is returned once.
    /// Errors: invalid_input (resource_id: both or neither), not_found (no such resource or
    /// account).
    Result<NewFeed> create(
        TenantId tenant,
        std::optional<ResourceId> resource,
        std::optional<AccountId> account,
        const audit::Actor& actor,
        const audit::Origin& origin
    );
    /// The tenant's feeds, or with `of` that customer's.
    Result<std::vector<CalendarFeed>> list(TenantId tenant, std::optional<AccountId> of = {});
    /// With `of`, only that customer's own feed. Errors: not_found (none live).
    Result<void> revoke(
        TenantId tenant,
        FeedId id,
        std::optional<AccountId> of,
        const audit::Actor& actor,
        const audit::Origin& origin
    );
    /// The iCalendar text of the feed with `token`: live bookings from 30 days ago to a year
    /// ahead, offering name and reference only (no personal data in a URL-protected file).
    /// Errors: not_found for an unknown or revoked token.
    Result<std::string> calendar(TenantId tenant, std::string_view token);

private:
    storage::Database& db_;
    const Clock& clock_;
};

}  // namespace yoyaku::feeds
