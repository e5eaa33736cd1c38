#pragma once
// iCalendar (RFC 5545) for booking confirmations and feeds: UTC times, TEXT escaping, lines
// folded at 75 octets without splitting a UTF-8 character, CRLF line ends. One UID per
// booking for its whole life; SEQUENCE counts its changes so calendars replace or cancel the
// event they already hold.

#include <string>
#include <string_view>
#include <vector>

#include "core/time.hpp"

namespace yoyaku::calendar {

struct IcalEvent {
    std::string uid;  ///< stable per booking: "<reference>@<tenant code>.yoyaku"
    int sequence = 0;
    Instant starts_at;
    Instant ends_at;
    Instant stamp;  ///< when this version was made (DTSTAMP)
    std::string summary;
    std::string location;
    std::string url;  ///< URL (an online meeting's link), or empty
    std::string description;
    bool cancelled = false;  ///< STATUS:CANCELLED (else CONFIRMED)
};

/// A VCALENDAR with `events`. `method` is "REQUEST", "CANCEL" or empty (a feed: no METHOD).
/// `organizer` is a mail address or empty; `name` names the calendar (X-WR-CALNAME) or is empty.
std::string ical_calendar(
    std::string_view method,
    const std::vector<IcalEvent>& events,
    std::string_view organizer = {},
    std::string_view name = {}
);

/// RFC 5545 TEXT escaping: backslash, semicolon, comma and newline.
std::string ical_escape(std::string_view text);

}  // namespace yoyaku::calendar
