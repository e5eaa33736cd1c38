// BookingService::book on an in-memory database: the first answer for a retried key, a key
// reused for something else, the last seat, and what a booking row holds.

#include <gtest/gtest.h>

#include "domain/bookings/bookings.hpp"
#include "domain/testing/booking_fixture.hpp"

using namespace yoyaku;
using namespace yoyaku::bookings;

namespace {

class BookTest : public yoyaku::testing::BookingSliceTest {
protected:
    BookTest() : service_(std::make_unique<BookingService>(db(), *keyring_, clock_)) {
        occurrence_ = event({3}).sessions.front();
    }

    NewBooking request(const std::string& key, int seats, const std::string& email) {
        auto in = booking(occurrence_, seats, email);
        in.idempotency_key = key;
        return in;
    }

    std::unique_ptr<BookingService> service_;
    OccurrenceId occurrence_;
};

}  // namespace

TEST_F(BookTest, ARetryWithTheSameKeyGetsTheFirstAnswerAndBooksNothingMore) {
    auto first =
        service_->book(tenant_, request("key-00000001", 2, "hanako@example.jp"), manager_, origin_);
    ASSERT_TRUE(first) << first.error().field << ": " << first.error().message;
    EXPECT_FALSE(first->replayed);
    EXPECT_EQ(first->booking.status, BookingStatus::confirmed);
    EXPECT_EQ(first->booking.total_jpy, 3000);
    EXPECT_EQ(first->booking.customer.email, "hanako@example.jp");
    auto again =
        service_->book(tenant_, request("key-00000001", 2, "hanako@example.jp"), manager_, origin_);
    ASSERT_TRUE(again);
    EXPECT_TRUE(again->replayed);
    EXPECT_EQ(again->booking.reference, first->booking.reference);
    auto other =
        service_->book(tenant_, request("key-00000001", 1, "hanako@example.jp"), manager_, origin_);
    EXPECT_EQ(other.error().field, "Idempotency-Key");
    EXPECT_EQ(service_->list(tenant_, {})->size(), 1u);
}

TEST_F(BookTest, TheLastSeatsGoOnceAndAFullOccurrenceRefusesWithoutAnyTrace) {
    ASSERT_TRUE(
        service_->book(tenant_, request("key-00000001", 2, "a@example.jp"), manager_, origin_)
    );
    auto over =
        service_->book(tenant_, request("key-00000002", 2, "b@example.jp"), manager_, origin_);
    ASSERT_FALSE(over);
    EXPECT_EQ(over.error().code, Errc::slot_taken);
    auto last =
        service_->book(tenant_, request("key-00000003", 1, "c@example.jp"), manager_, origin_);
    ASSERT_TRUE(last);
    auto bookings = service_->list(tenant_, {});
    ASSERT_TRUE(bookings);
    EXPECT_EQ(bookings->size(), 2u);
    // The refused request left no row, no key: the same key books once seats are back.
    ASSERT_TRUE(service_->cancel(
        tenant_, last->booking.reference, Requester{true, "", std::nullopt}, manager_, origin_
    ));
    EXPECT_TRUE(
        service_->book(tenant_, request("key-00000002", 1, "b@example.jp"), manager_, origin_)
    );
}

TEST_F(BookTest, BadInputNamesItsFieldAndStoresNothing) {
    EXPECT_EQ(
        service_->book(tenant_, request("short", 1, "a@example.jp"), manager_, origin_)
            .error()
            .field,
        "Idempotency-Key"
    );
    EXPECT_EQ(
        service_->book(tenant_, request("key-00000001", 1, "not-an-address"), manager_, origin_)
            .error()
            .field,
        "customer.email"
    );
    EXPECT_EQ(
        service_->book(tenant_, request("key-00000001", 5, "a@example.jp"), manager_, origin_)
            .error()
            .field,
        "tickets.adult"
    );
    EXPECT_TRUE(service_->list(tenant_, {})->empty());
}
