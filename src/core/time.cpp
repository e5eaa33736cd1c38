#include "core/time.hpp"

#include <date/date.h>
#include <date/tz.h>

#include <sstream>
#include <stdexcept>

namespace yoyaku {

std::string format_rfc3339(Instant t, std::string_view zone) {
    const auto* tz = date::locate_zone(zone);  // throws std::runtime_error when unknown
    auto ms = std::chrono::time_point_cast<std::chrono::milliseconds>(t);
    auto info = tz->get_info(ms);
    auto local = ms + info.offset;
    auto off = std::chrono::duration_cast<std::chrono::minutes>(info.offset).count();
    char sign = off < 0 ? '-' : '+';
    if (off < 0) off = -off;
    std::string out = date::format(
        "%Y-%m-%dT%H:%M:%S", date::sys_time<std::chrono::milliseconds>{local.time_since_epoch()}
    );
    char buf[8];
    std::snprintf(
        buf, sizeof buf, "%c%02d:%02d", sign, static_cast<int>(off / 60), static_cast<int>(off % 60)
    );
    return out + buf;
}

std::optional<Instant> parse_rfc3339(std::string_view text) {
    // date::parse with %FT%T%Ez accepts fractions and an offset; "Z" handled separately.
    std::string s(text);
    if (s.size() < 20 || (s[10] != 'T' && s[10] != 't')) return std::nullopt;
    bool zulu = s.back() == 'Z' || s.back() == 'z';
    std::istringstream in(zulu ? s.substr(0, s.size() - 1) : s);
    date::sys_time<std::chrono::microseconds> tp;
    if (zulu) {
        in >> date::parse("%FT%T", tp);
    } else {
        // Parsing into a sys_time with %Ez already converts to UTC.
        in >> date::parse("%FT%T%Ez", tp);
    }
    if (in.fail() || in.peek() != std::char_traits<char>::eof()) return std::nullopt;
    return Instant{tp.time_since_epoch()};
}

bool is_known_zone(std::string_view zone) noexcept {
    try {
        return date::locate_zone(zone) != nullptr;
    } catch (...) {
        return false;
    }
}

Instant SystemClock::now() const {
    return std::chrono::time_point_cast<std::chrono::microseconds>(std::chrono::system_clock::now()
    );
}

}  // namespace yoyaku
