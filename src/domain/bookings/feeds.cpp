// Secret iCalendar feed URLs (SPEC "Notifications": calendar feeds per staff member or
// resource, and per customer).

#include <boost/json.hpp>

#include "crypto/hash.hpp"
#include "crypto/random.hpp"
#include "domain/bookings/bookings.hpp"
#include "domain/calendar/ical.hpp"

namespace yoyaku::bookings {
namespace {

using storage::Row;
using storage::ScopedTx;
using storage::Value;

constexpr std::string_view kFeedColumns = "id, resource_id, account_id, created_at, revoked_at";

CalendarFeed feed_from(const Row& r) {
    CalendarFeed f;
    f.id = r.i64(0);
    if (!r.is_null(1)) f.resource_id = r.i64(1);
    if (!r.is_null(2)) f.account_id = r.i64(2);
    f.created_at = from_micros(r.i64(3));
    if (!r.is_null(4)) f.revoked_at = from_micros(r.i64(4));
    return f;
}

Value opt(const std::optional<std::int64_t>& v) {
    return v ? Value(*v) : Value();
}

}  // namespace

Result<NewFeed> BookingService::create_feed(
    TenantId tenant,
    std::optional<std::int64_t> resource_id,
    std::optional<std::int64_t> account_id,
    const audit::Actor& actor,
    const audit::Origin& origin
) {
    if (resource_id.has_value() == account_id.has_value())
        return Error::invalid("resource_id", "a feed is of one resource or one customer");
    const Instant now = clock_.now();
    NewFeed out;
    out.token = crypto::random_hex(32);
    YOYAKU_TRY(db_.write(storage::TenantScope(tenant), [&](ScopedTx& stx) -> Result<void> {
        auto& tx = stx.tx();
        const auto t = stx.tenant_id().value;
        auto owner =
            resource_id
                ? tx.query(
                      "SELECT id FROM resources WHERE tenant_id = $1 AND id = $2", t, *resource_id
                  )
                : tx.query(
                      "SELECT id FROM accounts WHERE tenant_id = $1 AND id = $2", t, *account_id
                  );
        if (!owner) return fail(std::move(owner).error());
        if (owner->empty())
            return Error::not_found(resource_id ? "no such resource" : "no such account");
        auto row = tx.query_one(
            "INSERT INTO calendar_feeds(tenant_id, resource_id, account_id, token_hash, "
            "created_at) VALUES ($1, $2, $3, $4, $5) RETURNING " +
                std::string(kFeedColumns),
            t,
            opt(resource_id),
            opt(account_id),
            crypto::blake2b_256_hex(out.token),
            to_micros(now)
        );
        if (!row) return fail(std::move(row).error());
        out.feed = feed_from(*row);
        YOYAKU_TRY(audit::append(
            stx,
            actor,
            origin,
            {"calendar_feed.created",
             "calendar_feed:" + std::to_string(out.feed.id),
             "success",
             resource_id ? "{\"of\":\"resource:" + std::to_string(*resource_id) + "\"}"
                         : "{\"of\":\"account:" + std::to_string(*account_id) + "\"}"},
            now
        ));
        return {};
    }));
    return out;
}

Result<std::vector<CalendarFeed>> BookingService::list_feeds(
    TenantId tenant, std::optional<std::int64_t> account_id
) {
    return db_.read(
        storage::TenantScope(tenant),
        [&](ScopedTx& stx) -> Result<std::vector<CalendarFeed>> {
            auto rows = stx.tx().query(
                "SELECT " + std::string(kFeedColumns) +
                    " FROM calendar_feeds WHERE tenant_id = $1 AND ($2 = 0 OR account_id = $2) "
                    "ORDER BY id",
                stx.tenant_id().value,
                account_id.value_or(0)
            );
            if (!rows) return fail(std::move(rows).error());
            std::vector<CalendarFeed> out;
            for (const auto& r : *rows) out.push_back(feed_from(r));
            return out;
        }
    );
}

Result<void> BookingService::revoke_feed(
    TenantId tenant,
    std::int64_t id,
    std::optional<std::int64_t> account_id,
    const audit::Actor& actor,
    const audit::Origin& origin
) {
    const Instant now = clock_.now();
    return db_.write(storage::TenantScope(tenant), [&](ScopedTx& stx) -> Result<void> {
        auto n = stx.tx().exec(
            "UPDATE calendar_feeds SET revoked_at = $4 WHERE tenant_id = $1 AND id = $2 AND ($3 = "
            "0 OR account_id = $3) AND revoked_at IS NULL",
            stx.tenant_id().value,
            id,
            account_id.value_or(0),
            to_micros(now)
        );
        if (!n) return fail(std::move(n).error());
        if (*n == 0) return Error::not_found("no such calendar feed");
        YOYAKU_TRY(audit::append(
            stx,
            actor,
            origin,
            {"calendar_feed.revoked", "calendar_feed:" + std::to_string(id)},
            now
        ));
        return {};
    });
}

Result<std::string> BookingService::feed_calendar(TenantId tenant, std::string_view token) {
    if (token.size() != 64) return Error::not_found("no such calendar feed");
    const Instant now = clock_.now();
    return db_.read(storage::TenantScope(tenant), [&](ScopedTx& stx) -> Result<std::string> {
        auto& tx = stx.tx();
        const auto t = stx.tenant_id().value;
        auto feed = tx.query(
            "SELECT " + std::string(kFeedColumns) +
                " FROM calendar_feeds WHERE tenant_id = $1 AND token_hash = $2 AND revoked_at IS "
                "NULL",
            t,
            crypto::blake2b_256_hex(token)
        );
        if (!feed) return fail(std::move(feed).error());
        if (feed->empty()) return Error::not_found("no such calendar feed");
        const auto f = feed_from(feed->front());
        auto tenant_row = tx.query_one("SELECT code, name FROM tenants WHERE id = $1", t);
        if (!tenant_row) return fail(std::move(tenant_row).error());
        auto rows = tx.query(
            "SELECT b.reference, o.name, b.starts_at, b.ends_at, b.revision, b.updated_at FROM "
            "bookings b JOIN offerings o ON o.tenant_id = b.tenant_id AND o.id = b.offering_id "
            "WHERE b.tenant_id = $1 AND b.status IN ('confirmed', 'pending', 'checked_in') AND "
            "b.starts_at >= $2 AND b.starts_at < $3 AND (($4 <> 0 AND (b.resource_id = $4 OR "
            "b.room_id = $4)) OR ($5 <> 0 AND b.account_id = $5)) ORDER BY b.starts_at LIMIT 5000",
            t,
            to_micros(now - std::chrono::days(30)),
            to_micros(now + std::chrono::days(366)),
            f.resource_id.value_or(0),
            f.account_id.value_or(0)
        );
        if (!rows) return fail(std::move(rows).error());
        std::vector<calendar::IcalEvent> events;
        events.reserve(rows->size());
        for (const auto& r : *rows) {
            calendar::IcalEvent e;
            e.uid = r.text(0) + "@" + tenant_row->text(0) + ".yoyaku";
            e.summary = r.text(1);
            e.description = r.text(0);
            e.starts_at = from_micros(r.i64(2));
            e.ends_at = from_micros(r.i64(3));
            e.sequence = static_cast<int>(r.i64(4));
            e.stamp = from_micros(r.i64(5));
            events.push_back(std::move(e));
        }
        return calendar::ical_calendar({}, events, {}, tenant_row->text(1));
    });
}

}  // namespace yoyaku::bookings
