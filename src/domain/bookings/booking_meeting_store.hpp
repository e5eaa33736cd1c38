#pragma once
// The `booking_meetings` table: a booking's own online meeting (Zoom). `wanted`, `topic` and
// the times are what the meeting should be, written with the booking's change; `meeting_id`,
// `join_url` and the synced times are what Zoom holds, written by the job that makes it follow
// (online_meetings.cpp).

#include <optional>
#include <string>

#include "core/ids.hpp"
#include "core/result.hpp"
#include "core/time.hpp"
#include "storage/database.hpp"

namespace yoyaku::bookings {

struct BookingMeeting {
    BookingId booking_id;
    bool wanted = false;
    std::string topic;
    Instant starts_at{};
    Instant ends_at{};
    std::optional<std::string> meeting_id;  ///< Zoom's, once made
    std::optional<std::string> join_url;
    std::optional<Instant> synced_starts_at;  ///< the times Zoom holds
    std::optional<Instant> synced_ends_at;

    /// Zoom holds a meeting and it is at the wanted times.
    bool in_step() const {
        return meeting_id && synced_starts_at == starts_at && synced_ends_at == ends_at;
    }
};

class BookingMeetingStore {
public:
    explicit BookingMeetingStore(storage::ScopedTx& stx) : stx_(stx) {}

    Result<std::optional<BookingMeeting>> find(BookingId booking);
    /// What booking's meeting should be (made or replaced); what Zoom holds is kept.
    Result<void> want(
        BookingId booking,
        bool wanted,
        const std::string& topic,
        Instant starts_at,
        Instant ends_at,
        Instant now
    );
    /// Zoom holds meeting `meeting_id` (at `join_url`) at these times; nullopt: none any more.
    Result<void> synced(
        BookingId booking,
        const std::optional<std::string>& meeting_id,
        const std::optional<std::string>& join_url,
        std::optional<Instant> starts_at,
        std::optional<Instant> ends_at,
        Instant now
    );

private:
    storage::ScopedTx& stx_;
};

}  // namespace yoyaku::bookings
