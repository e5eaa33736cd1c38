#include "core/time.hpp"

#include <gtest/gtest.h>

using namespace yoyaku;
using namespace std::chrono;

TEST(Time, RendersTokyoWithPlusNine) {
    auto t = parse_rfc3339("2026-11-21T13:44:00.123Z").value();
    EXPECT_EQ(format_rfc3339(t, "Asia/Tokyo"), "2026-11-21T22:44:00.123+09:00");
}

TEST(Time, RendersDstOffsetsForBerlin) {
    EXPECT_EQ(
        format_rfc3339(parse_rfc3339("2026-03-29T00:59:59Z").value(), "Europe/Berlin"),
        "2026-03-29T01:59:59.000+01:00"
    );
    EXPECT_EQ(
        format_rfc3339(parse_rfc3339("2026-03-29T01:00:00Z").value(), "Europe/Berlin"),
        "2026-03-29T03:00:00.000+02:00"
    );
}

TEST(Time, ParsesOffsetsToUtc) {
    auto a = parse_rfc3339("2026-11-21T22:44:00+09:00");
    auto b = parse_rfc3339("2026-11-21T13:44:00Z");
    ASSERT_TRUE(a && b);
    EXPECT_EQ(*a, *b);
}

TEST(Time, RejectsMalformedText) {
    EXPECT_FALSE(parse_rfc3339("2026-11-21"));
    EXPECT_FALSE(parse_rfc3339("2026-11-21T25:00:00Z"));
    EXPECT_FALSE(parse_rfc3339("2026-11-21T10:00:00Zjunk"));
    EXPECT_FALSE(parse_rfc3339(""));
    EXPECT_FALSE(parse_rfc3339("2026-11-21T10:00:00+0900"));
    EXPECT_FALSE(parse_rfc3339("2026-11-21T10:00:00.Z"));
    EXPECT_FALSE(parse_rfc3339("2026-11-21T10:00:00.1234567890Z"));
    EXPECT_TRUE(parse_rfc3339("2026-11-21T10:00:00.123456-03:30"));
}

// Found by fuzzing (fuzz/corpus/json_body/nan-time): a letter where the minutes end sent the
// date library's stream reading to a NaN, converted to an integer (undefined behaviour).
TEST(Time, RefusesNumbersThatAreNotDigits) {
    EXPECT_FALSE(parse_rfc3339("2027-01-15T10:0Email09:01"));
    EXPECT_FALSE(parse_rfc3339("2027-01-15T10:00:0E+09:00Z"));
    EXPECT_FALSE(parse_rfc3339("2027-01-15T1e:00:00+09:00"));
}

TEST(Time, KnowsZones) {
    EXPECT_TRUE(is_known_zone("Asia/Tokyo"));
    EXPECT_FALSE(is_known_zone("Mars/Olympus"));
}

TEST(FakeClock, MovesOnlyWhenTold) {
    FakeClock clock(from_micros(1'000'000));
    EXPECT_EQ(to_micros(clock.now()), 1'000'000);
    clock.advance(seconds(2));
    EXPECT_EQ(to_micros(clock.now()), 3'000'000);
}

TEST(Time, FormatsMailDatesInUtc) {
    // 2026-11-22T01:50:07.5Z
    EXPECT_EQ(
        format_rfc5322(*parse_rfc3339("2026-11-22T10:50:07.5+09:00")),
        "Sun, 22 Nov 2026 01:50:07 +0000"
    );
}

TEST(Time, LocalTimesAcrossDaylightSavingChanges) {
    using std::chrono::local_days;
    using namespace std::chrono_literals;
    auto at = [](int y, unsigned m, unsigned d, std::chrono::minutes t) {
        return std::chrono::local_seconds{
            local_days{std::chrono::year{y} / std::chrono::month{m} / std::chrono::day{d}} + t};
    };
    // Tokyo has no DST: 09:00 JST is 00:00Z.
    EXPECT_EQ(
        from_local(at(2026, 11, 22, 9h), "Asia/Tokyo"), *parse_rfc3339("2026-11-22T00:00:00Z")
    );
    // New York, 2026-03-08: 02:30 does not exist; it maps to the jump (03:00 EDT = 07:00Z).
    EXPECT_EQ(
        from_local(at(2026, 3, 8, 2h + 30min), "America/New_York"),
        *parse_rfc3339("2026-03-08T07:00:00Z")
    );
    EXPECT_EQ(
        from_local(at(2026, 3, 8, 9h), "America/New_York"), *parse_rfc3339("2026-03-08T13:00:00Z")
    );
    // 2026-11-01: 01:30 happens twice; the first (EDT) is taken.
    EXPECT_EQ(
        from_local(at(2026, 11, 1, 1h + 30min), "America/New_York"),
        *parse_rfc3339("2026-11-01T05:30:00Z")
    );
    EXPECT_EQ(
        to_local(*parse_rfc3339("2026-11-01T06:30:00Z"), "America/New_York"),
        at(2026, 11, 1, 1h + 30min)
    );
}

TEST(Time, UtcRenderingMatchesTheZonePathAtEveryEdge) {
    // "UTC" takes a path without streams; "Etc/UTC" the general one: they must agree.
    for (const char* text :
         {"1969-12-31T23:59:59.999Z",
          "1970-01-01T00:00:00Z",
          "2000-02-29T12:34:56.007Z",
          "2026-11-22T15:00:00Z",
          "2099-12-31T23:59:59.999Z"}) {
        const auto t = parse_rfc3339(text).value();
        EXPECT_EQ(format_rfc3339(t, "UTC"), format_rfc3339(t, "Etc/UTC")) << text;
    }
    EXPECT_EQ(
        format_rfc3339(parse_rfc3339("2026-11-22T15:00:00Z").value(), "UTC"),
        "2026-11-22T15:00:00.000+00:00"
    );
}
