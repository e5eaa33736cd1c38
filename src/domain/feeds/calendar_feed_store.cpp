#include "domain/feeds/calendar_feed_store.hpp"

namespace yoyaku::feeds {
namespace {

using storage::Row;

constexpr std::string_view kColumns = "id, resource_id, account_id, created_at, revoked_at";

CalendarFeed feed_from(const Row& r) {
    CalendarFeed f;
    f.id = r.id<FeedId>("id");
    f.resource_id = r.opt_id<ResourceId>("resource_id");
    f.account_id = r.opt_id<AccountId>("account_id");
    f.created_at = from_micros(r.i64("created_at"));
    if (auto at = r.opt_i64("revoked_at")) f.revoked_at = from_micros(*at);
    return f;
}

}  // namespace

Result<CalendarFeed> CalendarFeedStore::insert(
    std::optional<ResourceId> resource,
    std::optional<AccountId> account,
    const std::string& token_hash,
    Instant now
) {
    YOYAKU_TRY_ASSIGN(
        auto row,
        stx_.tx().query_one(
            "INSERT INTO calendar_feeds(tenant_id, resource_id, account_id, token_hash, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING " +
                std::string(kColumns),
            stx_.tenant_id(),
            resource,
            account,
            token_hash,
            to_micros(now)
        )
    );
    return feed_from(row);
}

Result<std::vector<CalendarFeed>> CalendarFeedStore::list(std::optional<AccountId> of) {
    YOYAKU_TRY_ASSIGN(
        auto rows,
        stx_.tx().query(
            "SELECT " + std::string(kColumns) +
                " FROM calendar_feeds WHERE tenant_id = $1 AND ($2 = 0 OR account_id = $2) ORDER BY id",
            stx_.tenant_id(),
            of.value_or(AccountId{})
        )
    );
    std::vector<CalendarFeed> out;
    out.reserve(rows.size());
    for (const auto& r : rows) out.push_back(feed_from(r));
    return out;
}

Result<bool> CalendarFeedStore::revoke(FeedId id, std::optional<AccountId> of, Instant now) {
    YOYAKU_TRY_ASSIGN(
        auto n,
        stx_.tx().exec(
            "UPDATE calendar_feeds SET revoked_at = $4 WHERE tenant_id = $1 AND id = $2 AND ($3 = 0 OR account_id = $3) AND revoked_at IS NULL",
            stx_.tenant_id(),
            id,
            of.value_or(AccountId{}),
            to_micros(now)
        )
    );
    return n > 0;
}

Result<std::optional<CalendarFeed>> CalendarFeedStore::find_live_by_token_hash(
    const std::string& token_hash
) {
    YOYAKU_TRY_ASSIGN(
        auto rows,
        stx_.tx().query(
            "SELECT " + std::string(kColumns) +
                " FROM calendar_feeds WHERE tenant_id = $1 AND token_hash = $2 AND revoked_at IS NULL",
            stx_.tenant_id(),
            token_hash
        )
    );
    if (rows.empty()) return std::optional<CalendarFeed>();
    return std::optional<CalendarFeed>(feed_from(rows.front()));
}

}  // namespace yoyaku::feeds
