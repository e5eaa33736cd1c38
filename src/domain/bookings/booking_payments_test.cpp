// What a payment does to a booking (booking_payments.cpp) on an in-memory database: a
// customer's booking of an offering paid at once is a hold awaiting its payment; only the
// right amount confirms it, once; a konbini voucher keeps it; an ended checkout lets it go;
// a refund is owed on cancellation by what the fee leaves.

#include <gtest/gtest.h>

#include "domain/bookings/bookings.hpp"
#include "domain/testing/booking_fixture.hpp"

using namespace yoyaku;
using namespace yoyaku::bookings;

namespace {

class BookingPaymentsTest : public yoyaku::testing::BookingSliceTest {
protected:
    BookingPaymentsTest() : service_(std::make_unique<BookingService>(db(), *keyring_, clock_)) {
        occurrence_ = event({2}, [](offerings::OfferingInput& in) {
                          in.payment = offerings::Payment::online_now;
                      }).sessions.front();
    }
    Booking held(const std::string& email, bool by_customer = true) {
        auto in = booking(occurrence_, 1, email);
        in.by_customer = by_customer;
        auto r = service_->book(tenant_, in, manager_, origin_);
        if (!r) throw std::runtime_error("book: " + r.error().field);
        return r->booking;
    }
    ProviderPayment paid(std::int64_t amount) { return {"stripe", "pi_1", amount}; }

    std::unique_ptr<BookingService> service_;
    OccurrenceId occurrence_;
};

}  // namespace

TEST_F(BookingPaymentsTest, OnlyTheRightAmountConfirmsAHoldAwaitingItsPaymentAndOnce) {
    const auto b = held("hanako@example.jp");
    EXPECT_EQ(b.status, BookingStatus::held);
    EXPECT_TRUE(b.awaiting_payment);
    EXPECT_EQ(b.payment_state, PaymentState::unpaid);
    EXPECT_EQ(*b.hold_expires_at, clock_.now() + kCheckoutMinutes);
    EXPECT_EQ(held("staff@example.jp", false).status, BookingStatus::confirmed)
        << "staff take the money themselves";

    auto wrong = service_->record_payment(tenant_, b.reference, paid(1), manager_);
    ASSERT_FALSE(wrong);
    EXPECT_EQ(wrong.error().field, "amount_jpy");
    auto right = service_->record_payment(tenant_, b.reference, paid(1500), manager_);
    ASSERT_TRUE(right) << right.error().message;
    EXPECT_EQ(right->status, BookingStatus::confirmed);
    EXPECT_EQ(right->payment_state, PaymentState::paid);
    EXPECT_EQ(right->paid_jpy, 1500);
    EXPECT_FALSE(right->awaiting_payment);
    auto again = service_->record_payment(tenant_, b.reference, paid(1500), manager_);
    ASSERT_TRUE(again);
    EXPECT_EQ(again->paid_at, right->paid_at) << "the same payment again changes nothing";
}

TEST_F(BookingPaymentsTest, AKonbiniVoucherKeepsTheHoldAndAnEndedCheckoutLetsItGo) {
    const auto b = held("hanako@example.jp");
    auto pending = service_->payment_pending(tenant_, b.reference, manager_);
    ASSERT_TRUE(pending);
    EXPECT_EQ(pending->payment_state, PaymentState::pending);
    EXPECT_GT(*pending->hold_expires_at, clock_.now() + std::chrono::hours(24));

    const auto other = held("taro@example.jp");
    auto ended = service_->checkout_ended(tenant_, other.reference, manager_);
    ASSERT_TRUE(ended);
    EXPECT_EQ(*ended->hold_expires_at, clock_.now());
    ASSERT_TRUE(service_->release_expired_holds(tenant_));
    EXPECT_EQ(
        service_->find_by_reference(tenant_, other.reference)->status, BookingStatus::expired
    );
    EXPECT_EQ(service_->find_by_reference(tenant_, b.reference)->status, BookingStatus::held);
    // Its seat goes to someone else: a payment that comes now is refused (the caller gives
    // the money back) and takes nothing.
    const auto third = held("jiro@example.jp");
    auto late = service_->record_payment(tenant_, other.reference, paid(1500), manager_);
    ASSERT_FALSE(late);
    EXPECT_EQ(late.error().code, Errc::unprocessable);
    EXPECT_EQ(
        service_->find_by_reference(tenant_, other.reference)->status, BookingStatus::expired
    );
    // The seat free again: the same late payment takes it back and confirms the booking.
    ASSERT_TRUE(service_->checkout_ended(tenant_, third.reference, manager_));
    ASSERT_TRUE(service_->release_expired_holds(tenant_));
    auto retaken = service_->record_payment(tenant_, other.reference, paid(1500), manager_);
    ASSERT_TRUE(retaken) << retaken.error().message;
    EXPECT_EQ(retaken->status, BookingStatus::confirmed);
    EXPECT_EQ(retaken->payment_state, PaymentState::paid);
}

TEST_F(BookingPaymentsTest, StaffRefundAtMostWhatIsLeft) {
    const auto b = held("hanako@example.jp");
    ASSERT_TRUE(service_->record_payment(tenant_, b.reference, paid(1500), manager_));
    EXPECT_EQ(
        service_->refund(tenant_, b.reference, 1501, manager_, origin_).error().field, "amount_jpy"
    );
    EXPECT_EQ(
        service_->refund(tenant_, b.reference, 0, manager_, origin_).error().field, "amount_jpy"
    );
    EXPECT_TRUE(service_->refund(tenant_, b.reference, 500, manager_, origin_));
}
