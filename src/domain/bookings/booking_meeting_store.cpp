#include "domain/bookings/booking_meeting_store.hpp"

namespace yoyaku::bookings {
namespace {

std::optional<Instant> opt_instant(const storage::Row& r, const char* column) {
    const auto v = r.opt_i64(column);
    return v ? std::optional<Instant>(from_micros(*v)) : std::nullopt;
}

std::optional<std::int64_t> opt_micros(std::optional<Instant> t) {
    return t ? std::optional<std::int64_t>(to_micros(*t)) : std::nullopt;
}

}  // namespace

Result<std::optional<BookingMeeting>> BookingMeetingStore::find(BookingId booking) {
    YOYAKU_TRY_ASSIGN(
        const auto rows,
        stx_.tx().query(
            "SELECT booking_id, wanted, topic, starts_at, ends_at, meeting_id, join_url, synced_starts_at, synced_ends_at FROM booking_meetings WHERE tenant_id = $1 AND booking_id = $2",
            stx_.tenant_id(),
            booking.value
        )
    );
    if (rows.empty()) return std::optional<BookingMeeting>();
    const auto& r = rows.front();
    BookingMeeting m;
    m.booking_id = r.id<BookingId>("booking_id");
    m.wanted = r.i64("wanted") != 0;
    m.topic = r.text("topic");
    m.starts_at = from_micros(r.i64("starts_at"));
    m.ends_at = from_micros(r.i64("ends_at"));
    m.meeting_id = r.opt_text("meeting_id");
    m.join_url = r.opt_text("join_url");
    m.synced_starts_at = opt_instant(r, "synced_starts_at");
    m.synced_ends_at = opt_instant(r, "synced_ends_at");
    return std::optional<BookingMeeting>(std::move(m));
}

Result<void> BookingMeetingStore::want(
    BookingId booking,
    bool wanted,
    const std::string& topic,
    Instant starts_at,
    Instant ends_at,
    Instant now
) {
    YOYAKU_TRY(stx_.tx().exec(
        "INSERT INTO booking_meetings(tenant_id, booking_id, wanted, topic, starts_at, ends_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (tenant_id, booking_id) DO UPDATE SET wanted = excluded.wanted, topic = excluded.topic, starts_at = excluded.starts_at, ends_at = excluded.ends_at, updated_at = excluded.updated_at",
        stx_.tenant_id(),
        booking.value,
        wanted ? 1 : 0,
        topic,  // an offering's name: at most 200 characters, whole
        to_micros(starts_at),
        to_micros(ends_at),
        to_micros(now)
    ));
    return {};
}

Result<void> BookingMeetingStore::synced(
    BookingId booking,
    const std::optional<std::string>& meeting_id,
    const std::optional<std::string>& join_url,
    std::optional<Instant> starts_at,
    std::optional<Instant> ends_at,
    Instant now
) {
    YOYAKU_TRY(stx_.tx().exec(
        "UPDATE booking_meetings SET meeting_id = $3, join_url = $4, synced_starts_at = $5, synced_ends_at = $6, updated_at = $7 WHERE tenant_id = $1 AND booking_id = $2",
        stx_.tenant_id(),
        booking.value,
        meeting_id,
        join_url,
        opt_micros(starts_at),
        opt_micros(ends_at),
        to_micros(now)
    ));
    return {};
}

}  // namespace yoyaku::bookings
