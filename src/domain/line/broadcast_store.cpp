#include "domain/line/broadcast_store.hpp"

#include <array>
#include <boost/json.hpp>
#include <limits>

#include "storage/sql_text.hpp"

namespace yoyaku::line {
namespace {

constexpr std::array<std::string_view, 4> kBroadcastStatuses = {
    "scheduled", "sending", "sent", "cancelled"};

boost::json::value optional_time(const std::optional<Instant>& t) {
    return t ? boost::json::value(to_micros(*t)) : boost::json::value(nullptr);
}

Segment segment_of(std::string_view json) {
    Segment s;
    boost::system::error_code ec;
    const auto v = boost::json::parse(json, ec);
    const auto* o = ec ? nullptr : v.if_object();
    if (!o) return s;
    const auto i64 = [&](std::string_view key) -> std::optional<std::int64_t> {
        const auto* f = o->if_contains(key);
        return f && f->is_int64() ? std::optional(f->get_int64()) : std::nullopt;
    };
    if (auto x = i64("offering")) s.offering = OfferingId{*x};
    if (auto x = i64("from")) s.from = from_micros(*x);
    if (auto x = i64("to")) s.to = from_micros(*x);
    if (auto x = i64("user_class")) s.user_class = UserClassId{*x};
    if (auto x = i64("min_bookings")) s.min_bookings = static_cast<int>(*x);
    if (const auto* t = o->if_contains("tag"); t && t->is_string())
        s.tag = std::string(t->get_string());
    if (const auto* a = o->if_contains("statuses"); a && a->is_array())
        for (const auto& x : a->get_array())
            if (x.is_string()) s.statuses.emplace_back(x.get_string());
    return s;
}

std::optional<BroadcastStatus> status_of(std::string_view s) {
    for (std::size_t i = 0; i < kBroadcastStatuses.size(); ++i)
        if (kBroadcastStatuses[i] == s) return static_cast<BroadcastStatus>(i);
    return std::nullopt;
}

constexpr std::string_view kColumns =
    "id, text, image_url, offering_id, filter, status, send_at, recipients, delivered, failed,"
    " created_at, sent_at";

Broadcast broadcast_of(const storage::Row& r) {
    Broadcast b;
    b.id = r.id<BroadcastId>("id");
    b.input.text = r.text("text");
    b.input.image_url = r.text("image_url");
    b.input.offering_button = r.opt_id<OfferingId>("offering_id");
    b.input.segment = segment_of(r.text("filter"));
    b.input.send_at = from_micros(r.i64("send_at"));
    b.status = status_of(r.text("status")).value_or(BroadcastStatus::scheduled);
    b.recipients = r.i32("recipients");
    b.delivered = r.i32("delivered");
    b.failed = r.i32("failed");
    b.created_at = from_micros(r.i64("created_at"));
    if (auto s = r.opt_i64("sent_at")) b.sent_at = from_micros(*s);
    return b;
}

}  // namespace

std::string segment_json(const Segment& s) {
    boost::json::array statuses;
    for (const auto& x : s.statuses) statuses.emplace_back(x);
    return boost::json::serialize(boost::json::object{
        {"offering", s.offering ? boost::json::value(s.offering->value) : nullptr},
        {"from", optional_time(s.from)},
        {"to", optional_time(s.to)},
        {"statuses", std::move(statuses)},
        {"user_class", s.user_class ? boost::json::value(s.user_class->value) : nullptr},
        {"tag", s.tag},
        {"min_bookings", s.min_bookings}});
}

std::string_view to_string(BroadcastStatus s) noexcept {
    return kBroadcastStatuses[static_cast<std::size_t>(s)];
}

Result<bool> BroadcastStore::offering_exists(OfferingId id) {
    YOYAKU_TRY_ASSIGN(
        const auto rows,
        stx_.tx().query(
            "SELECT 1 AS x FROM offerings WHERE tenant_id = $1 AND id = $2", stx_.tenant_id(), id
        )
    );
    return !rows.empty();
}

Result<bool> BroadcastStore::user_class_exists(UserClassId id) {
    YOYAKU_TRY_ASSIGN(
        const auto rows,
        stx_.tx().query(
            "SELECT 1 AS x FROM user_classes WHERE tenant_id = $1 AND id = $2", stx_.tenant_id(), id
        )
    );
    return !rows.empty();
}

Result<std::vector<Recipient>> BroadcastStore::recipients(const Segment& s) {
    const bool booking_condition = s.offering || s.from || s.to || !s.statuses.empty();
    auto params = storage::values(
        stx_.tenant_id(),
        s.user_class.has_value(),
        s.user_class.value_or(UserClassId{0}),
        s.tag,
        booking_condition,
        s.offering.has_value(),
        s.offering.value_or(OfferingId{0}),
        s.from ? to_micros(*s.from) : std::numeric_limits<std::int64_t>::min(),
        s.to ? to_micros(*s.to) : std::numeric_limits<std::int64_t>::max(),
        s.min_bookings
    );
    std::vector<std::string> statuses = s.statuses;
    if (statuses.empty()) statuses.assign(kSegmentStatuses.begin(), kSegmentStatuses.end());
    const auto status_list = storage::append_list(params, statuses);
    // A customer's bookings: made signed in, or as a guest with their address.
    const std::string theirs =
        "b.tenant_id = a.tenant_id AND (b.account_id = a.id OR b.email_index = a.email_index)";
    YOYAKU_TRY_ASSIGN(
        const auto rows,
        stx_.tx().query(
            "SELECT a.id, a.name_sealed, a.line_user_sealed FROM accounts a"
            " WHERE a.tenant_id = $1 AND a.role = 'customer' AND a.status = 'active'"
            " AND a.line_user_sealed IS NOT NULL AND a.line_blocked = 0 AND a.announcements = 1"
            " AND ($2 = 0 OR a.user_class_id = $3)"
            " AND ($4 = '' OR EXISTS (SELECT 1 FROM customer_tags t WHERE t.tenant_id = a.tenant_id"
            " AND t.account_id = a.id AND t.tag = $4))"
            " AND ($5 = 0 OR EXISTS (SELECT 1 FROM bookings b WHERE " +
                theirs +
                " AND ($6 = 0 OR b.offering_id = $7) AND b.starts_at >= $8 AND b.starts_at < $9"
                " AND b.status IN (" +
                status_list +
                ")))"
                " AND ($10 = 0 OR (SELECT count(*) FROM bookings b WHERE " +
                theirs + " AND b.status <> 'cancelled') >= $10) ORDER BY a.id",
            std::span<const storage::Value>(params)
        )
    );
    std::vector<Recipient> out;
    out.reserve(rows.size());
    for (const auto& r : rows)
        out.push_back(
            {r.id<AccountId>("id"), r.blob("name_sealed").bytes, r.blob("line_user_sealed").bytes}
        );
    return out;
}

Result<BroadcastId> BroadcastStore::insert(const BroadcastInput& in, Instant send_at, Instant now) {
    YOYAKU_TRY_ASSIGN(
        const auto row,
        stx_.tx().query_one(
            "INSERT INTO broadcasts(tenant_id, text, image_url, offering_id, filter, status,"
            " send_at, created_at) VALUES ($1, $2, $3, $4, $5, 'scheduled', $6, $7) RETURNING id",
            stx_.tenant_id(),
            in.text,
            in.image_url,
            in.offering_button,
            segment_json(in.segment),
            to_micros(send_at),
            to_micros(now)
        )
    );
    return row.id<BroadcastId>("id");
}

Result<Broadcast> BroadcastStore::find(BroadcastId id) {
    YOYAKU_TRY_ASSIGN(
        const auto rows,
        stx_.tx().query(
            "SELECT " + std::string(kColumns) + " FROM broadcasts WHERE tenant_id = $1 AND id = $2",
            stx_.tenant_id(),
            id
        )
    );
    if (rows.empty()) return Error::not_found("no such message");
    return broadcast_of(rows.front());
}

Result<std::vector<Broadcast>> BroadcastStore::list(int limit) {
    YOYAKU_TRY_ASSIGN(
        const auto rows,
        stx_.tx().query(
            "SELECT " + std::string(kColumns) +
                " FROM broadcasts WHERE tenant_id = $1 ORDER BY id DESC LIMIT $2",
            stx_.tenant_id(),
            limit
        )
    );
    std::vector<Broadcast> out;
    out.reserve(rows.size());
    for (const auto& r : rows) out.push_back(broadcast_of(r));
    return out;
}

Result<void> BroadcastStore::cancel(BroadcastId id) {
    YOYAKU_TRY(stx_.tx().exec(
        "UPDATE broadcasts SET status = 'cancelled' WHERE tenant_id = $1 AND id = $2",
        stx_.tenant_id(),
        id
    ));
    return {};
}

Result<void> BroadcastStore::start_sending(BroadcastId id, int n, Instant now) {
    if (n == 0) {
        YOYAKU_TRY(stx_.tx().exec(
            "UPDATE broadcasts SET status = 'sent', sent_at = $3 WHERE tenant_id = $1 AND id = $2",
            stx_.tenant_id(),
            id,
            to_micros(now)
        ));
        return {};
    }
    YOYAKU_TRY(stx_.tx().exec(
        "UPDATE broadcasts SET status = 'sending', recipients = $3 WHERE tenant_id = $1 AND id = $2",
        stx_.tenant_id(),
        id,
        n
    ));
    return {};
}

Result<void> BroadcastStore::add_counts(BroadcastId id, int delivered, int failed, Instant now) {
    YOYAKU_TRY(stx_.tx().exec(
        "UPDATE broadcasts SET delivered = delivered + $3, failed = failed + $4,"
        " status = CASE WHEN delivered + failed + $3 + $4 >= recipients THEN 'sent' ELSE status END,"
        " sent_at = CASE WHEN delivered + failed + $3 + $4 >= recipients THEN $5 ELSE sent_at END"
        " WHERE tenant_id = $1 AND id = $2 AND status = 'sending'",
        stx_.tenant_id(),
        id,
        delivered,
        failed,
        to_micros(now)
    ));
    return {};
}

}  // namespace yoyaku::line
