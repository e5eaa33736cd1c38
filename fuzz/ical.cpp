// iCalendar output, round trip: any text as a booking's summary, location and description is
// written as content lines no longer than 75 octets, folded between UTF-8 characters, and
// reads back (unfolded, unescaped) as the text itself less the control characters TEXT may not
// hold.
#include "domain/calendar/ical.hpp"

#include <cstddef>
#include <cstdint>
#include <string>

#include "core/text.hpp"

using namespace yoyaku;

namespace {

std::string allowed(std::string_view in) {
    std::string out;
    for (char c : in)
        if (c != '\r' && (static_cast<unsigned char>(c) >= 0x20 || c == '\t' || c == '\n'))
            out += c;
    return out;
}

// The value of the first `name:` property in the unfolded text, unescaped.
std::string property(const std::string& unfolded, const std::string& name) {
    const auto at = unfolded.find("\r\n" + name + ":");
    if (at == std::string::npos) __builtin_trap();
    const auto start = at + 3 + name.size();
    const auto end = unfolded.find("\r\n", start);
    std::string out;
    for (std::size_t i = start; i < end; ++i) {
        if (unfolded[i] != '\\') {
            out += unfolded[i];
            continue;
        }
        const char n = unfolded[++i];
        out += n == 'n' ? '\n' : n;
    }
    return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string in(reinterpret_cast<const char*>(data), size);
    if (!text::is_valid_utf8(in)) return 0;  // every caller's text was checked as UTF-8
    // Three texts, cut between characters.
    auto boundary = [&](std::size_t i) {
        while (i > 0 && i < in.size() && (static_cast<unsigned char>(in[i]) & 0xC0) == 0x80) --i;
        return i;
    };
    const auto one = boundary(in.size() / 3), two = boundary(2 * in.size() / 3);
    calendar::IcalEvent e;
    e.uid = "ABCDEFGHJK@demo.yoyaku";
    e.starts_at = Instant{} + std::chrono::hours(24 * 365 * 57);
    e.ends_at = e.starts_at + std::chrono::hours(1);
    e.stamp = e.starts_at;
    e.summary = in.substr(0, one);
    e.location = in.substr(one, two - one);
    e.description = in.substr(two);
    const auto cal = calendar::ical_calendar("REQUEST", {e});
    // Physical lines: at most 75 octets, never cut inside a UTF-8 sequence.
    std::size_t from = 0;
    while (from < cal.size()) {
        const auto end = cal.find("\r\n", from);
        if (end == std::string::npos) __builtin_trap();  // every line ends with CRLF
        if (end - from > 75) __builtin_trap();
        if (!text::is_valid_utf8(std::string_view(cal).substr(from, end - from))) __builtin_trap();
        from = end + 2;
    }
    std::string unfolded;
    for (std::size_t i = 0; i < cal.size(); ++i) {
        if (cal.compare(i, 3, "\r\n ") == 0) {
            i += 2;
            continue;
        }
        unfolded += cal[i];
    }
    if (property(unfolded, "SUMMARY") != allowed(e.summary)) __builtin_trap();
    // Empty ones are left out.
    if (!e.location.empty() && property(unfolded, "LOCATION") != allowed(e.location))
        __builtin_trap();
    if (!e.description.empty() && property(unfolded, "DESCRIPTION") != allowed(e.description))
        __builtin_trap();
    return 0;
}
