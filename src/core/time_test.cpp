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
