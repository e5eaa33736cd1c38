// Venue rules applied on the booking engine's write path (ADR 0012): cancellation fee tiers
// and per-customer limits.

#include <algorithm>

#include "domain/bookings/announce.hpp"
#include "domain/bookings/booking_store.hpp"
#include "domain/bookings/capacity.hpp"
#include "domain/bookings/customer_lock_store.hpp"
#include "domain/bookings/customer_sealing.hpp"
#include "domain/bookings/holds.hpp"
#include "domain/bookings/plan.hpp"
#include "domain/bookings/resource_time.hpp"
#include "domain/bookings/venue_rules.hpp"
#include "domain/bookings/waitlist/waitlist_serving.hpp"
#include "domain/offerings/offering_store.hpp"

namespace yoyaku::bookings::detail {

using namespace std::chrono;

FeeQuote quote_fee(const Offering& o, const Booking& b, Instant now) {
    FeeQuote q;
    if (b.status != BookingStatus::confirmed) return q;
    auto tiers = o.cancellation_fees;
    std::sort(tiers.begin(), tiers.end(), [](const auto& x, const auto& y) {
        return x.within_minutes > y.within_minutes;
    });
    // Widest first: of the tiers already in force, the nearest the start is read last.
    for (const auto& t : tiers) {
        const Instant from = b.starts_at - minutes(t.within_minutes);
        if (now >= from)
            q.percent = t.percent;
        else if (!q.changes_at || from < *q.changes_at)
            q.changes_at = from;
    }
    q.fee_jpy = b.total_jpy * q.percent / 100;
    return q;
}

Result<void> check_limits(
    storage::ScopedTx& stx,
    const Offering& o,
    const std::vector<std::string>& email_indexes,
    std::optional<AccountId> account_id,
    Instant starts,
    std::optional<ResourceId> resource_id,
    std::optional<BookingId> except,
    Instant now
) {
    const auto& l = o.limits;
    if (!l.any()) return {};
    // The customer's row lock: a second booking of theirs waits here until this one commits,
    // then counts it. Taken before any seat or resource row (the engine's lock order).
    YOYAKU_TRY(CustomerLockStore(stx).lock(email_indexes.front(), now));
    const bool by_resource = l.by_resource && resource_id;
    YOYAKU_TRY_ASSIGN(
        const auto starts_of_theirs,
        BookingStore(stx).list_customer_starts(
            email_indexes, account_id, except, o.id, by_resource ? resource_id : std::nullopt
        )
    );
    YOYAKU_TRY_ASSIGN(auto zone, tenant_zone(stx));
    const auto day_of = [&](Instant x) { return floor<days>(to_local(x, zone)); };
    const auto week_of = [&](local_days d) {
        return d - days{weekday{d}.iso_encoding() - 1};  // its Monday
    };
    const auto month_of = [](local_days d) {
        const year_month_day ymd{d};
        return ymd.year() / ymd.month();
    };
    const local_days day = day_of(starts);
    int same_day = 0, same_week = 0, same_month = 0, ahead = 0;
    for (const Instant s : starts_of_theirs) {
        const local_days d = day_of(s);
        same_day += d == day;
        same_week += week_of(d) == week_of(day);
        same_month += month_of(d) == month_of(day);
        ahead += s > now;
    }
    const auto over = [&](int n, int limit, const char* field, const char* period) -> Result<void> {
        if (limit > 0 && n + 1 > limit)
            return refused(
                "at most " + std::to_string(limit) + " booking(s) " + period +
                    (by_resource ? " of this resource" : " of this offering") + " per customer",
                field
            );
        return {};
    };
    YOYAKU_TRY(over(same_day, l.per_day, "limits.per_day", "a day"));
    YOYAKU_TRY(over(same_week, l.per_week, "limits.per_week", "a week"));
    YOYAKU_TRY(over(same_month, l.per_month, "limits.per_month", "a month"));
    YOYAKU_TRY(over(ahead, l.active, "limits.active", "ahead at once"));
    return {};
}

}  // namespace yoyaku::bookings::detail
