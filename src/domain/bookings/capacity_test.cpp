// Pure pieces of the engine: what a booking holds, as stored, and the fee its tiers charge.

#include "domain/bookings/capacity.hpp"

#include <gtest/gtest.h>

#include "domain/bookings/venue_rules.hpp"

using namespace yoyaku;
using namespace yoyaku::bookings;
using namespace yoyaku::bookings::detail;
using namespace std::chrono;

TEST(Capacity, WhatABookingHoldsRoundTripsThroughItsStoredText) {
    Taken t;
    t.occurrences = {OccurrenceId(3), OccurrenceId(9)};
    t.seats = 2;
    t.usage = {{ResourceId(7), 100, 112, 1, 1}, {ResourceId(8), 100, 112, 2, 4}};
    const auto back = taken_from(taken_json(t));
    EXPECT_EQ(back.occurrences, t.occurrences);
    EXPECT_EQ(back.seats, 2);
    ASSERT_EQ(back.usage.size(), 2u);
    EXPECT_EQ(back.usage[1].resource, ResourceId(8));
    EXPECT_EQ(back.usage[1].from, 100);
    EXPECT_EQ(back.usage[1].to, 112);
    EXPECT_EQ(back.usage[1].quantity, 2);
}

TEST(Capacity, StoredTextThatIsNotATakenReadsAsNothingTakenWithoutThrowing) {
    for (const char* text :
         {"",
          "{",
          "[]",
          R"({"occurrences":"x"})",
          R"({"usage":[[1,2]]})",
          R"({"usage":[["a",1,2,3]],"seats":"2"})"}) {
        const auto t = taken_from(text);
        EXPECT_TRUE(t.occurrences.empty()) << text;
        EXPECT_TRUE(t.usage.empty()) << text;
        EXPECT_EQ(t.seats, 0) << text;
    }
}

TEST(FeeQuote, TheNearestTierInForceAppliesAndTheNextOneIsAnnounced) {
    Offering o;
    o.cancellation_fees = {{60, 100}, {10080, 30}, {1440, 50}};
    Booking b;
    b.status = BookingStatus::confirmed;
    b.total_jpy = 9999;
    b.starts_at = from_micros(0) + days(30);
    // More than a week ahead: free until the 7-day tier starts.
    auto q = quote_fee(o, b, b.starts_at - days(8));
    EXPECT_EQ(q.percent, 0);
    EXPECT_EQ(q.fee_jpy, 0);
    EXPECT_EQ(q.changes_at, b.starts_at - minutes(10080));
    q = quote_fee(o, b, b.starts_at - hours(30));
    EXPECT_EQ(q.percent, 30);
    EXPECT_EQ(q.fee_jpy, 2999);  // rounded down to the yen
    EXPECT_EQ(q.changes_at, b.starts_at - minutes(1440));
    q = quote_fee(o, b, b.starts_at - minutes(30));
    EXPECT_EQ(q.percent, 100);
    EXPECT_EQ(q.changes_at, std::nullopt);
    // Only a confirmed booking costs anything.
    b.status = BookingStatus::pending;
    EXPECT_EQ(quote_fee(o, b, b.starts_at - minutes(30)).fee_jpy, 0);
}
