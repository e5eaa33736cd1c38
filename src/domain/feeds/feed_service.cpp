#include "domain/feeds/feed_service.hpp"

#include "crypto/hash.hpp"
#include "crypto/random.hpp"
#include "domain/accounts/account_store.hpp"
#include "domain/bookings/booking_store.hpp"
#include "domain/calendar/ical.hpp"
#include "domain/feeds/calendar_feed_store.hpp"
#include "domain/resources/resources.hpp"
#include "domain/tenants/tenant_store.hpp"

namespace yoyaku::feeds {
namespace {

using storage::ScopedTx;

// The feed's subject exists in the scoped tenant. Errors: not_found.
Result<void> check_owner(
    ScopedTx& stx, std::optional<ResourceId> resource, std::optional<AccountId> account
) {
    if (resource) {
        auto r = resources::load_resource(stx, *resource);
        if (!r && r.error().code == Errc::not_found) return Error::not_found("no such resource");
        if (!r) return fail(std::move(r).error());
        return {};
    }
    YOYAKU_TRY_ASSIGN(const bool found, accounts::AccountStore(stx).exists(*account));
    if (!found) return Error::not_found("no such account");
    return {};
}

}  // namespace

Result<NewFeed> FeedService::create(
    TenantId tenant,
    std::optional<ResourceId> resource,
    std::optional<AccountId> account,
    const audit::Actor& actor,
    const audit::Origin& origin
) {
    if (resource.has_value() == account.has_value())
        return Error::invalid("resource_id", "a feed is of one resource or one customer");
    const Instant now = clock_.now();
    NewFeed out;
    out.token = crypto::random_hex(32);
    YOYAKU_TRY(db_.write(storage::TenantScope(tenant), [&](ScopedTx& stx) -> Result<void> {
        YOYAKU_TRY(check_owner(stx, resource, account));
        YOYAKU_TRY_ASSIGN(
            out.feed,
            CalendarFeedStore(stx).insert(
                resource, account, crypto::blake2b_256_hex(out.token), now
            )
        );
        YOYAKU_TRY(audit::append(
            stx,
            actor,
            origin,
            {"calendar_feed.created",
             "calendar_feed:" + to_string(out.feed.id),
             "success",
             resource ? R"({"of":"resource:)" + to_string(*resource) + "\"}"
                      : R"({"of":"account:)" + to_string(*account) + "\"}"},
            now
        ));
        return {};
    }));
    return out;
}

Result<std::vector<CalendarFeed>> FeedService::list(TenantId tenant, std::optional<AccountId> of) {
    return db_.read(storage::TenantScope(tenant), [&](ScopedTx& stx) {
        return CalendarFeedStore(stx).list(of);
    });
}

Result<void> FeedService::revoke(
    TenantId tenant,
    FeedId id,
    std::optional<AccountId> of,
    const audit::Actor& actor,
    const audit::Origin& origin
) {
    const Instant now = clock_.now();
    return db_.write(storage::TenantScope(tenant), [&](ScopedTx& stx) -> Result<void> {
        YOYAKU_TRY_ASSIGN(const bool revoked, CalendarFeedStore(stx).revoke(id, of, now));
        if (!revoked) return Error::not_found("no such calendar feed");
        YOYAKU_TRY(audit::append(
            stx, actor, origin, {"calendar_feed.revoked", "calendar_feed:" + to_string(id)}, now
        ));
        return {};
    });
}

Result<std::string> FeedService::calendar(TenantId tenant, std::string_view token) {
    if (token.size() != 64) return Error::not_found("no such calendar feed");
    const Instant now = clock_.now();
    return db_.read(storage::TenantScope(tenant), [&](ScopedTx& stx) -> Result<std::string> {
        YOYAKU_TRY_ASSIGN(
            const auto feed,
            CalendarFeedStore(stx).find_live_by_token_hash(crypto::blake2b_256_hex(token))
        );
        if (!feed) return Error::not_found("no such calendar feed");
        YOYAKU_TRY_ASSIGN(const auto profile, tenants::TenantStore(stx).find_profile());
        YOYAKU_TRY_ASSIGN(
            const auto entries,
            bookings::BookingStore(stx).list_calendar_entries(
                feed->resource_id,
                feed->account_id,
                now - std::chrono::days(30),
                now + std::chrono::days(366)
            )
        );
        std::vector<calendar::IcalEvent> events;
        events.reserve(entries.size());
        for (const auto& x : entries) {
            calendar::IcalEvent e;
            e.uid = x.reference + "@" + profile.code + ".yoyaku";
            e.summary = x.offering_name;
            e.description = x.reference;
            e.starts_at = x.starts_at;
            e.ends_at = x.ends_at;
            e.sequence = x.revision;
            e.stamp = x.updated_at;
            events.push_back(std::move(e));
        }
        return calendar::ical_calendar({}, events, {}, profile.name);
    });
}

}  // namespace yoyaku::feeds
