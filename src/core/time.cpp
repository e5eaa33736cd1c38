#include "core/time.hpp"

// date.h's %S parser trips a false -Wmaybe-uninitialized at -O2 (a long double it sets on every
// path that reads it); silence it for this file only.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#include <date/date.h>
#include <date/tz.h>

#include <sstream>
#include <stdexcept>

namespace yoyaku {

std::string format_rfc3339(Instant t, std::string_view zone) {
    if (zone == "UTC") {
        // JSON renders every instant in UTC, hundreds per availability answer: digits by hand.
        const auto ms = std::chrono::floor<std::chrono::milliseconds>(t);
        const auto day = std::chrono::floor<std::chrono::days>(ms);
        const std::chrono::year_month_day ymd{day};
        const std::chrono::hh_mm_ss hms{ms - day};
        std::string out = "0000-00-00T00:00:00.000+00:00";
        auto put = [&](std::size_t at, int width, long long v) {
            for (int k = width - 1; k >= 0; --k, v /= 10)
                out[at + static_cast<std::size_t>(k)] = static_cast<char>('0' + v % 10);
        };
        put(0, 4, static_cast<int>(ymd.year()));
        put(5, 2, static_cast<unsigned>(ymd.month()));
        put(8, 2, static_cast<unsigned>(ymd.day()));
        put(11, 2, hms.hours().count());
        put(14, 2, hms.minutes().count());
        put(17, 2, hms.seconds().count());
        put(20, 3, hms.subseconds().count());
        return out;
    }
    // Log lines render the same second many times: keep the last second's text per thread.
    struct Cache {
        std::string zone;
        const date::time_zone* tz = nullptr;
        date::sys_seconds second{};
        std::string prefix;  // "YYYY-MM-DDTHH:MM:SS"
        char offset[8] = {};
        bool valid = false;
    };
    thread_local Cache c;
    if (!c.tz || c.zone != zone) {
        c.tz = date::locate_zone(zone);  // throws std::runtime_error when unknown
        c.zone = std::string(zone);
        c.valid = false;
    }
    auto ms = std::chrono::time_point_cast<std::chrono::milliseconds>(t);
    auto sec = std::chrono::floor<std::chrono::seconds>(ms);
    if (!c.valid || sec != c.second) {
        auto info = c.tz->get_info(sec);
        c.prefix = date::format(
            "%Y-%m-%dT%H:%M:%S", date::sys_seconds{(sec + info.offset).time_since_epoch()}
        );
        auto off = std::chrono::duration_cast<std::chrono::minutes>(info.offset).count();
        char sign = off < 0 ? '-' : '+';
        if (off < 0) off = -off;
        std::snprintf(
            c.offset,
            sizeof c.offset,
            "%c%02d:%02d",
            sign,
            static_cast<int>(off / 60),
            static_cast<int>(off % 60)
        );
        c.second = sec;
        c.valid = true;
    }
    char frac[8];
    std::snprintf(frac, sizeof frac, ".%03d", static_cast<int>((ms - sec).count()));
    std::string out;
    out.reserve(c.prefix.size() + 10);
    out.append(c.prefix).append(frac).append(c.offset);
    return out;
}

Instant from_local(std::chrono::local_seconds local, std::string_view zone) {
    const auto* tz = date::locate_zone(zone);
    const date::local_seconds l{local.time_since_epoch()};
    const auto info = tz->get_info(l);
    date::sys_seconds sys;
    switch (info.result) {
        case date::local_info::unique:
        case date::local_info::ambiguous:  // the first occurrence
            sys = date::sys_seconds{l.time_since_epoch() - info.first.offset};
            break;
        case date::local_info::nonexistent:  // the moment the clocks jump
        default:
            sys = info.first.end;
            break;
    }
    return std::chrono::time_point_cast<std::chrono::microseconds>(std::chrono::sys_seconds{
        sys.time_since_epoch()});
}

std::chrono::local_seconds to_local(Instant t, std::string_view zone) {
    const auto* tz = date::locate_zone(zone);
    const auto sec =
        date::sys_seconds{std::chrono::floor<std::chrono::seconds>(t).time_since_epoch()};
    const auto info = tz->get_info(sec);
    return std::chrono::local_seconds{(sec + info.offset).time_since_epoch()};
}

std::string format_rfc5322(Instant t) {
    return date::format("%a, %d %b %Y %H:%M:%S +0000", std::chrono::floor<std::chrono::seconds>(t));
}

namespace {

// The shape of an RFC 3339 date-time: YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM). Checked before
// date::parse, which reads its fields through a stream and took "10:0Email09:01" for a
// number it then converted from NaN (found by fuzzing, fuzz/corpus/json_body/nan-time).
bool rfc3339_shape(std::string_view s) {
    auto digits = [&](std::size_t at, std::size_t n) {
        if (s.size() < at + n) return false;
        for (std::size_t i = at; i < at + n; ++i)
            if (s[i] < '0' || s[i] > '9') return false;
        return true;
    };
    if (!digits(0, 4) || s[4] != '-' || !digits(5, 2) || s[7] != '-' || !digits(8, 2) ||
        (s[10] != 'T' && s[10] != 't') || !digits(11, 2) || s[13] != ':' || !digits(14, 2) ||
        s[16] != ':' || !digits(17, 2))
        return false;
    std::size_t i = 19;
    if (i < s.size() && s[i] == '.') {
        std::size_t n = 0;
        while (i + 1 + n < s.size() && s[i + 1 + n] >= '0' && s[i + 1 + n] <= '9') ++n;
        if (n == 0 || n > 9) return false;
        i += 1 + n;
    }
    const auto rest = s.substr(std::min(i, s.size()));
    if (rest == "Z" || rest == "z") return true;
    return rest.size() == 6 && (rest[0] == '+' || rest[0] == '-') && digits(i + 1, 2) &&
           rest[3] == ':' && digits(i + 4, 2);
}

}  // namespace

std::optional<Instant> parse_rfc3339(std::string_view text) {
    // date::parse with %FT%T%Ez accepts fractions and an offset; "Z" handled separately.
    if (text.size() < 20 || !rfc3339_shape(text)) return std::nullopt;
    std::string s(text);
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

#pragma GCC diagnostic pop
