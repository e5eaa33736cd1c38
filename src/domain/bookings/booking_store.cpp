#include "domain/bookings/booking_store.hpp"

namespace yoyaku::bookings {

Result<std::vector<CalendarEntry>> BookingStore::list_calendar_entries(
    std::optional<ResourceId> resource, std::optional<AccountId> account, Instant from, Instant to
) {
    YOYAKU_TRY_ASSIGN(
        auto rows,
        stx_.tx().query(
            "SELECT b.reference AS reference, o.name AS offering_name, b.starts_at AS starts_at, b.ends_at AS ends_at, b.revision AS revision, b.updated_at AS updated_at FROM bookings b JOIN offerings o ON o.tenant_id = b.tenant_id AND o.id = b.offering_id WHERE b.tenant_id = $1 AND b.status IN ('confirmed', 'pending', 'checked_in') AND b.starts_at >= $2 AND b.starts_at < $3 AND (($4 <> 0 AND (b.resource_id = $4 OR b.room_id = $4)) OR ($5 <> 0 AND b.account_id = $5)) ORDER BY b.starts_at LIMIT 5000",
            stx_.tenant_id(),
            to_micros(from),
            to_micros(to),
            resource.value_or(ResourceId{}),
            account.value_or(AccountId{})
        )
    );
    std::vector<CalendarEntry> out;
    out.reserve(rows.size());
    for (const auto& r : rows)
        out.push_back(
            {r.text("reference"),
             r.text("offering_name"),
             from_micros(r.i64("starts_at")),
             from_micros(r.i64("ends_at")),
             r.i32("revision"),
             from_micros(r.i64("updated_at"))}
        );
    return out;
}

}  // namespace yoyaku::bookings
