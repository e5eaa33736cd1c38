#include "domain/calendar/ical.hpp"

#include <gtest/gtest.h>

using namespace yoyaku;
using namespace yoyaku::calendar;

namespace {

std::vector<std::string> physical_lines(const std::string& ics) {
    std::vector<std::string> out;
    std::size_t at = 0;
    while (at < ics.size()) {
        const auto end = ics.find("\r\n", at);
        EXPECT_NE(end, std::string::npos) << "every line ends in CRLF";
        if (end == std::string::npos) break;
        out.push_back(ics.substr(at, end - at));
        at = end + 2;
    }
    return out;
}

// Joins folded lines back (RFC 5545 §3.1).
std::string unfolded(const std::string& ics) {
    std::string out;
    for (const auto& l : physical_lines(ics)) {
        if (!l.empty() && l[0] == ' ')
            out += l.substr(1);
        else
            out += (out.empty() ? "" : "\n") + l;
    }
    return out;
}

IcalEvent event() {
    IcalEvent e;
    e.uid = "ABCDEFGH23@hall.yoyaku";
    e.sequence = 2;
    e.starts_at = from_micros(1'790'386'200'000'000);  // 2026-09-26T01:30:00Z
    e.ends_at = from_micros(1'790'389'800'000'000);
    e.stamp = from_micros(1'790'000'000'000'000);
    e.summary = "市民ホール 大会議室; 午前, 半日";
    e.description =
        std::string(60, 'x') + "予約番号は ABCDEFGH23 です。\n当日は受付へお越しください。";
    return e;
}

}  // namespace

TEST(Ical, WritesUtcTimesEscapedTextAndTheMethod) {
    const auto ics = ical_calendar("REQUEST", {event()}, "no-reply@hall.example", "Hall");
    const auto text = unfolded(ics);
    EXPECT_NE(text.find("METHOD:REQUEST\n"), std::string::npos);
    EXPECT_NE(text.find("DTSTART:20260926T013000Z\n"), std::string::npos) << text;
    EXPECT_NE(text.find("DTEND:20260926T023000Z\n"), std::string::npos);
    EXPECT_NE(text.find("UID:ABCDEFGH23@hall.yoyaku\n"), std::string::npos);
    EXPECT_NE(text.find("SEQUENCE:2\n"), std::string::npos);
    EXPECT_NE(text.find("SUMMARY:市民ホール 大会議室\\; 午前\\, 半日\n"), std::string::npos)
        << text;
    EXPECT_NE(text.find("です。\\n当日は"), std::string::npos) << "a newline is escaped";
    EXPECT_NE(text.find("ORGANIZER:mailto:no-reply@hall.example\n"), std::string::npos);
    EXPECT_NE(text.find("STATUS:CONFIRMED\n"), std::string::npos);
    EXPECT_TRUE(text.starts_with("BEGIN:VCALENDAR\nVERSION:2.0\n"));
    EXPECT_TRUE(text.ends_with("END:VCALENDAR"));
}

TEST(Ical, FoldsLongLinesAt75OctetsWithoutSplittingACharacter) {
    const auto ics = ical_calendar("", {event()});
    for (const auto& l : physical_lines(ics)) {
        EXPECT_LE(l.size(), 75u) << l;
        // A physical line never starts or ends inside a UTF-8 sequence.
        const std::string_view body = l.starts_with(' ') ? std::string_view(l).substr(1) : l;
        if (!body.empty()) {
            EXPECT_NE(static_cast<unsigned char>(body[0]) & 0xC0, 0x80) << l;
        }
    }
    EXPECT_NE(
        unfolded(ics).find("DESCRIPTION:" + std::string(60, 'x') + "予約番号は"), std::string::npos
    );
    EXPECT_EQ(ics.find("METHOD"), std::string::npos) << "a feed carries no method";
}

TEST(Ical, ACancellationSaysSoAndControlCharactersNeverReachTheFile) {
    auto e = event();
    e.cancelled = true;
    e.summary = "Room\r\nATTENDEE:mailto:x@evil.example";
    const auto ics = ical_calendar("CANCEL", {e});
    const auto text = unfolded(ics);
    EXPECT_NE(text.find("METHOD:CANCEL\n"), std::string::npos);
    EXPECT_NE(text.find("STATUS:CANCELLED\n"), std::string::npos);
    EXPECT_EQ(text.find("\nATTENDEE"), std::string::npos) << "no injected property";
    EXPECT_NE(text.find("SUMMARY:Room\\nATTENDEE:mailto:x@evil.example"), std::string::npos);
}
