// AvailabilityService on an in-memory database: an event's sessions with seats left, a full
// one gone, drafts hidden from the public, a range that names its fault.

#include "domain/bookings/availability/availability_service.hpp"

#include <gtest/gtest.h>

#include "domain/testing/booking_fixture.hpp"

using namespace yoyaku;
using namespace yoyaku::bookings;
using namespace std::chrono;

namespace {

class AvailabilityTest : public yoyaku::testing::BookingSliceTest {
protected:
    AvailabilityTest() : bookings_(db(), *keyring_, clock_), availability_(db(), clock_) {}

    BookingService bookings_;
    AvailabilityService availability_;
};

}  // namespace

TEST_F(AvailabilityTest, AnEventsSessionsWithSeatsLeftAreItsSlots) {
    const auto talk = event({3, 1});
    auto a = availability_.find(tenant_, talk.offering, std::nullopt, std::nullopt, true);
    ASSERT_TRUE(a) << a.error().message;
    ASSERT_EQ(a->slots.size(), 2u);
    EXPECT_EQ(a->slots[0].occurrence_id, talk.sessions[0]);
    EXPECT_EQ(a->slots[0].remaining, 3);
    EXPECT_EQ(a->slots[1].ends_at - a->slots[1].starts_at, hours(1));

    ASSERT_TRUE(
        bookings_.book(tenant_, booking(talk.sessions[1], 1, "a@example.jp"), manager_, origin_)
    );
    ASSERT_TRUE(
        bookings_.book(tenant_, booking(talk.sessions[0], 2, "b@example.jp"), manager_, origin_)
    );
    a = availability_.find(tenant_, talk.offering, std::nullopt, std::nullopt, true);
    ASSERT_TRUE(a);
    ASSERT_EQ(a->slots.size(), 1u) << "the full session is gone";
    EXPECT_EQ(a->slots[0].remaining, 1);
}

TEST_F(AvailabilityTest, ADraftIsHiddenFromThePublicAndABadRangeNamesItsField) {
    const auto draft = event({3}, [](offerings::OfferingInput& in) { in.published = false; });
    EXPECT_EQ(
        availability_.find(tenant_, draft.offering, std::nullopt, std::nullopt, true).error().code,
        Errc::not_found
    );
    EXPECT_EQ(
        availability_.find(tenant_, draft.offering, std::nullopt, std::nullopt, false)
            ->slots.size(),
        1u
    );
    const year_month_day day{2026y / 9 / 1};
    EXPECT_EQ(
        availability_.find(tenant_, draft.offering, day, year_month_day{2026y / 8 / 31}, false)
            .error()
            .field,
        "to"
    );
    EXPECT_EQ(
        availability_.find(tenant_, draft.offering, day, year_month_day{2026y / 10 / 15}, false)
            .error()
            .field,
        "to"
    );
}
