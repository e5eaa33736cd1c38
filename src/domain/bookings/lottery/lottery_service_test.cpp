// LotteryService on an in-memory database: applying while open, the draw at its time (winners
// booked, the rest lost), and the draw computed again from its seed.

#include "domain/bookings/lottery/lottery_service.hpp"

#include <gtest/gtest.h>

#include "domain/testing/booking_fixture.hpp"

using namespace yoyaku;
using namespace yoyaku::bookings;
using namespace std::chrono;

namespace {

class LotteryTest : public yoyaku::testing::BookingSliceTest {
protected:
    LotteryTest() : bookings_(db(), *keyring_, clock_), lottery_(db(), *keyring_, clock_) {
        const Instant close = clock_.now() + days(1);
        draw_at_ = close + hours(1);
        drawn_ = event({2, 1}, [&](offerings::OfferingInput& in) {
            in.lottery = offerings::LotteryRules{close, draw_at_, std::nullopt};
        });
    }

    /// A signed-in customer's application for one seat, first preference first.
    NewApplication application(int n, std::vector<OccurrenceId> preferences) {
        NewApplication a;
        a.offering_id = drawn_.offering;
        a.preferences = std::move(preferences);
        a.tickets = {{"adult", 1}};
        a.customer = {"Taro", "applicant" + std::to_string(n) + "@example.jp", ""};
        a.account_id = add_customer(tenant_, ++accounts_);
        return a;
    }
    Requester staff() const { return Requester{true, "", std::nullopt}; }

    BookingService bookings_;
    LotteryService lottery_;
    Instant draw_at_;
    Event drawn_;
    int accounts_ = 0;
};

}  // namespace

TEST_F(LotteryTest, ApplicationsNameTheirFaultAndCloseOnTime) {
    const auto [first, second] = std::pair{drawn_.sessions[0], drawn_.sessions[1]};
    EXPECT_EQ(
        lottery_.apply(tenant_, application(1, {}), manager_, origin_).error().field, "preferences"
    );
    EXPECT_EQ(
        lottery_.apply(tenant_, application(1, {first, first}), manager_, origin_).error().field,
        "preferences[1]"
    );
    EXPECT_EQ(
        lottery_.apply(tenant_, application(1, {OccurrenceId{999}}), manager_, origin_)
            .error()
            .field,
        "preferences[0]"
    );
    ASSERT_TRUE(lottery_.apply(tenant_, application(1, {first, second}), manager_, origin_));
    EXPECT_EQ(
        lottery_.apply(tenant_, application(1, {second}), manager_, origin_).error().code,
        Errc::conflict
    );
    // No booking goes around the lottery.
    EXPECT_EQ(
        bookings_.book(tenant_, booking(first, 1, "direct@example.jp"), manager_, origin_)
            .error()
            .code,
        Errc::unprocessable
    );
    clock_.set(draw_at_ - hours(1));
    EXPECT_EQ(
        lottery_.apply(tenant_, application(2, {second}), manager_, origin_).error().code,
        Errc::unprocessable
    );
}

TEST_F(LotteryTest, TheDrawBooksTheWinnersOnceAndItsSeedGivesItAgain) {
    const auto first = drawn_.sessions[0];
    std::vector<std::string> refs;
    for (int n = 1; n <= 4; ++n) {
        auto a = lottery_.apply(tenant_, application(n, {first}), manager_, origin_);
        ASSERT_TRUE(a) << a.error().field << ": " << a.error().message;
        refs.push_back(a->reference);
    }
    EXPECT_EQ(
        lottery_.draw(tenant_, drawn_.offering, manager_, origin_).error().code, Errc::unprocessable
    ) << "too early";
    EXPECT_FALSE(lottery_.draw_of(tenant_, drawn_.offering)->drawn);

    clock_.set(draw_at_);
    auto d = lottery_.draw(tenant_, drawn_.offering, manager_, origin_);
    ASSERT_TRUE(d) << d.error().message;
    EXPECT_EQ(d->seed.size(), 64u);
    int won = 0;
    for (const auto& [ref, occ] : d->allocation) won += occ.has_value();
    EXPECT_EQ(won, 2) << "two seats in the first session";
    EXPECT_EQ(
        lottery_.draw(tenant_, drawn_.offering, manager_, origin_).error().code, Errc::conflict
    );

    int booked = 0, lost = 0;
    for (const auto& ref : refs) {
        auto e = lottery_.find(tenant_, ref, staff());
        ASSERT_TRUE(e);
        if (e->status == "won") {
            ASSERT_TRUE(e->booking_reference);
            auto b = bookings_.find_by_reference(tenant_, *e->booking_reference);
            ASSERT_TRUE(b);
            EXPECT_EQ(b->status, BookingStatus::confirmed);
            ++booked;
        } else {
            EXPECT_EQ(e->status, "lost");
            ++lost;
        }
    }
    EXPECT_EQ(booked, 2);
    EXPECT_EQ(lost, 2);

    auto again = lottery_.draw_of(tenant_, drawn_.offering);
    ASSERT_TRUE(again);
    EXPECT_TRUE(again->drawn);
    EXPECT_TRUE(again->verified);
    EXPECT_EQ(again->seed, d->seed);
    EXPECT_EQ(again->allocation, d->allocation);
}
