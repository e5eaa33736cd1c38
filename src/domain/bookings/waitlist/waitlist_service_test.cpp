// WaitlistService on an in-memory database: who may join, the line served when seats come
// back (an offer accepted, an offer given up passing on), one place per address.

#include "domain/bookings/waitlist/waitlist_service.hpp"

#include <gtest/gtest.h>

#include "domain/testing/booking_fixture.hpp"

using namespace yoyaku;
using namespace yoyaku::bookings;

namespace {

class WaitlistTest : public yoyaku::testing::BookingSliceTest {
protected:
    WaitlistTest()
        : bookings_(db(), *keyring_, clock_), waitlist_(db(), *keyring_, clock_, bookings_) {
        full_ = event({2}, [](offerings::OfferingInput& in) {
            in.waitlist = WaitlistMode::offer;
            in.waitlist_offer_minutes = 60;
        });
        auto b =
            bookings_.book(tenant_, booking(session(), 2, "first@example.jp"), manager_, origin_);
        if (!b) throw std::runtime_error("booking: " + b.error().message);
        first_ = b->booking.reference;
    }
    OccurrenceId session() const { return full_.sessions.front(); }

    /// A signed-in customer's request (confirmed at once: no mailed link).
    NewWaiter waiter(int seats, int n) {
        NewWaiter w;
        w.what.occurrence_id = session();
        w.what.tickets = {{"adult", seats}};
        w.customer = {"Taro", "waiter" + std::to_string(n) + "@example.jp", ""};
        w.account_id = add_customer(tenant_, ++accounts_);
        return w;
    }
    Requester staff() const { return Requester{true, "", std::nullopt}; }

    BookingService bookings_;
    WaitlistService waitlist_;
    Event full_;
    std::string first_;
    int accounts_ = 0;
};

}  // namespace

TEST_F(WaitlistTest, OnlyAFullOccurrenceOfAnOfferingThatKeepsALineTakesWaiters) {
    auto open = event({5}, [](offerings::OfferingInput& in) { in.waitlist = WaitlistMode::offer; });
    auto w = waiter(1, 1);
    w.what.occurrence_id = open.sessions.front();
    EXPECT_EQ(waitlist_.join(tenant_, w, manager_, origin_).error().field, "tickets");
    auto none = event({1});
    w.what.occurrence_id = none.sessions.front();
    EXPECT_EQ(waitlist_.join(tenant_, w, manager_, origin_).error().field, "offering_id");
    auto bad = waiter(1, 2);
    bad.customer.email = "nobody";
    EXPECT_EQ(waitlist_.join(tenant_, bad, manager_, origin_).error().field, "customer.email");
    EXPECT_TRUE(waitlist_.list(tenant_, full_.offering, std::nullopt)->empty());
}

TEST_F(WaitlistTest, SeatsComingBackAreOfferedInLineOrderAndAnAcceptedOfferIsABooking) {
    auto a = waitlist_.join(tenant_, waiter(2, 1), manager_, origin_);
    ASSERT_TRUE(a) << a.error().field << ": " << a.error().message;
    auto b = waitlist_.join(tenant_, waiter(1, 2), manager_, origin_);
    ASSERT_TRUE(b);
    EXPECT_EQ(a->position, 1);
    EXPECT_EQ(b->position, 2);
    // One address waits once.
    EXPECT_EQ(
        waitlist_.join(tenant_, waiter(1, 1), manager_, origin_).error().code, Errc::conflict
    );

    ASSERT_TRUE(bookings_.cancel(tenant_, first_, staff(), manager_, origin_));
    auto offered = waitlist_.find(tenant_, a->reference, staff());
    ASSERT_TRUE(offered);
    EXPECT_EQ(offered->status, WaitStatus::offered);
    ASSERT_TRUE(offered->booking_reference);
    EXPECT_EQ(offered->offer_expires_at, clock_.now() + std::chrono::minutes(60));
    // Both seats went to the first in line: the second still waits, now first.
    EXPECT_EQ(waitlist_.find(tenant_, b->reference, staff())->position, 1);

    auto booked = waitlist_.accept_offer(tenant_, a->reference, staff(), manager_, origin_);
    ASSERT_TRUE(booked) << booked.error().message;
    EXPECT_EQ(booked->status, BookingStatus::confirmed);
    EXPECT_EQ(booked->seats, 2);
    EXPECT_EQ(booked->customer.email, "waiter1@example.jp");
    EXPECT_EQ(waitlist_.find(tenant_, a->reference, staff())->status, WaitStatus::booked);
}

TEST_F(WaitlistTest, AnOfferGivenUpPassesToTheNextWhoFitsAndALapsedOneIsRefused) {
    auto a = waitlist_.join(tenant_, waiter(2, 1), manager_, origin_);
    auto b = waitlist_.join(tenant_, waiter(2, 2), manager_, origin_);
    ASSERT_TRUE(a && b);
    ASSERT_TRUE(bookings_.cancel(tenant_, first_, staff(), manager_, origin_));
    auto left = waitlist_.leave(tenant_, a->reference, staff(), manager_, origin_);
    ASSERT_TRUE(left) << left.error().message;
    EXPECT_EQ(left->status, WaitStatus::left);
    auto next = waitlist_.find(tenant_, b->reference, staff());
    ASSERT_TRUE(next);
    EXPECT_EQ(next->status, WaitStatus::offered);

    clock_.advance(std::chrono::minutes(61));
    auto late = waitlist_.accept_offer(tenant_, b->reference, staff(), manager_, origin_);
    ASSERT_FALSE(late);
    EXPECT_EQ(late.error().code, Errc::unprocessable);
    EXPECT_EQ(late.error().field, "reference");
}
