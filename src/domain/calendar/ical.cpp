#include "domain/calendar/ical.hpp"

namespace yoyaku::calendar {
namespace {

// "20260926T010000Z"
std::string utc(Instant at) {
    const auto iso = format_rfc3339(at, "UTC");  // 2026-09-26T01:00:00Z or with fraction
    std::string out;
    for (char c : iso.substr(0, 19))
        if (c != '-' && c != ':') out += c;
    return out + "Z";
}

// Appends one content line, folded: at most 75 octets per physical line, continuation lines
// start with a space, never inside a UTF-8 sequence.
void line(std::string& out, std::string_view text) {
    std::size_t limit = 75;
    while (text.size() > limit) {
        std::size_t cut = limit;
        while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
        out.append(text.substr(0, cut));
        out += "\r\n ";
        text.remove_prefix(cut);
        limit = 74;  // the leading space counts
    }
    out.append(text);
    out += "\r\n";
}

}  // namespace

std::string ical_escape(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (char c : text) {
        switch (c) {
            case '\\':
                out += "\\\\";
                break;
            case ';':
                out += "\\;";
                break;
            case ',':
                out += "\\,";
                break;
            case '\n':
                out += "\\n";
                break;
            case '\r':
                break;
            default:
                // Other control characters are not allowed in TEXT.
                if (static_cast<unsigned char>(c) >= 0x20 || c == '\t') out += c;
        }
    }
    return out;
}

std::string ical_calendar(
    std::string_view method,
    const std::vector<IcalEvent>& events,
    std::string_view organizer,
    std::string_view name
) {
    std::string out;
    line(out, "BEGIN:VCALENDAR");
    line(out, "VERSION:2.0");
    line(out, "PRODID:-//Yoyaku//Yoyaku//EN");
    line(out, "CALSCALE:GREGORIAN");
    if (!method.empty()) line(out, "METHOD:" + std::string(method));
    if (!name.empty()) line(out, "X-WR-CALNAME:" + ical_escape(name));
    for (const auto& e : events) {
        line(out, "BEGIN:VEVENT");
        line(out, "UID:" + ical_escape(e.uid));
        line(out, "SEQUENCE:" + std::to_string(e.sequence));
        line(out, "DTSTAMP:" + utc(e.stamp));
        line(out, "DTSTART:" + utc(e.starts_at));
        line(out, "DTEND:" + utc(e.ends_at));
        line(out, "SUMMARY:" + ical_escape(e.summary));
        if (!e.location.empty()) line(out, "LOCATION:" + ical_escape(e.location));
        // URL is a URI value: not TEXT-escaped (online_url holds no spaces or quotes).
        if (!e.url.empty()) line(out, "URL:" + e.url);
        if (!e.description.empty()) line(out, "DESCRIPTION:" + ical_escape(e.description));
        if (!organizer.empty()) line(out, "ORGANIZER:mailto:" + std::string(organizer));
        line(out, e.cancelled ? "STATUS:CANCELLED" : "STATUS:CONFIRMED");
        line(out, "TRANSP:OPAQUE");
        line(out, "END:VEVENT");
    }
    line(out, "END:VCALENDAR");
    return out;
}

}  // namespace yoyaku::calendar
