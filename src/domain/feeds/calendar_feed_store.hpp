#pragma once
// The `calendar_feeds` table: feeds found by the BLAKE2b hash of their token.

#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "domain/feeds/calendar_feed.hpp"
#include "storage/database.hpp"

namespace yoyaku::feeds {

class CalendarFeedStore {
public:
    explicit CalendarFeedStore(storage::ScopedTx& stx) : stx_(stx) {}

    /// A feed of `resource` or of `account` (exactly one given) under `token_hash`.
    Result<CalendarFeed> insert(
        std::optional<ResourceId> resource,
        std::optional<AccountId> account,
        const std::string& token_hash,
        Instant now
    );
    /// In id order; with `of`, that account's only (revoked ones included).
    Result<std::vector<CalendarFeed>> list(std::optional<AccountId> of);
    /// Marks a live feed revoked (with `of`, only that account's); false when none was.
    Result<bool> revoke(FeedId id, std::optional<AccountId> of, Instant now);
    /// The live feed with this token hash, if any.
    Result<std::optional<CalendarFeed>> find_live_by_token_hash(const std::string& token_hash);

private:
    storage::ScopedTx& stx_;
};

}  // namespace yoyaku::feeds
