// ErasureService on an in-memory database: refused while a booking is ahead, then the
// customer's details gone from bookings and waitlist while counts and takings stay.

#include "domain/bookings/erasure/erasure_service.hpp"

#include <gtest/gtest.h>

#include "domain/testing/booking_fixture.hpp"

using namespace yoyaku;
using namespace yoyaku::bookings;

namespace {

class ErasureTest : public yoyaku::testing::BookingSliceTest {
protected:
    ErasureTest() : bookings_(db(), *keyring_, clock_), erasure_(db(), *keyring_, clock_) {}

    BookingService bookings_;
    ErasureService erasure_;
};

}  // namespace

TEST_F(ErasureTest, AnUpcomingBookingStopsItAndACancelledOneKeepsOnlyItsNumbers) {
    const auto talk = event({5});
    auto b = bookings_.book(
        tenant_, booking(talk.sessions.front(), 2, "guest@example.jp"), manager_, origin_
    );
    ASSERT_TRUE(b);
    const auto ref = b->booking.reference;

    auto early = erasure_.erase_by_email(tenant_, "guest@example.jp", manager_, origin_);
    ASSERT_FALSE(early);
    EXPECT_EQ(early.error().code, Errc::conflict);
    EXPECT_EQ(early.error().field, "bookings");
    EXPECT_EQ(bookings_.find_by_reference(tenant_, ref)->customer.email, "guest@example.jp");

    ASSERT_TRUE(bookings_.cancel(tenant_, ref, Requester{true, "", std::nullopt}, manager_, origin_)
    );
    auto done = erasure_.erase_by_email(tenant_, "Guest@Example.jp", manager_, origin_);
    ASSERT_TRUE(done) << done.error().message;
    EXPECT_EQ(done->bookings, 1);
    EXPECT_FALSE(done->account);
    auto after = bookings_.find_by_reference(tenant_, ref);
    ASSERT_TRUE(after);
    EXPECT_TRUE(after->customer.email.empty());
    EXPECT_TRUE(after->customer.name.empty());
    EXPECT_EQ(after->seats, 2);
    EXPECT_EQ(after->total_jpy, 3000);
    EXPECT_EQ(audit_actions(tenant_).front(), "customer.erased");

    // Nothing is left under the address; a bad one names its field.
    EXPECT_EQ(
        erasure_.erase_by_email(tenant_, "guest@example.jp", manager_, origin_).error().code,
        Errc::not_found
    );
    EXPECT_EQ(erasure_.erase_by_email(tenant_, "nobody", manager_, origin_).error().field, "email");
}

TEST_F(ErasureTest, AStaffAddressIsNotErasedAsACustomer) {
    const auto staff = add_account(tenant_, 3, "staff");
    auto r = erasure_.erase_customer(tenant_, staff, manager_, origin_);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, Errc::unprocessable);
    EXPECT_EQ(
        erasure_.erase_customer(tenant_, AccountId{9999}, manager_, origin_).error().code,
        Errc::not_found
    );
}
