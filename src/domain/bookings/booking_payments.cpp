// The provider's payment of a booking (BookingService::record_payment): a hold awaiting it is
// confirmed and announced; an unpaid live booking becomes paid; a repeat changes nothing.

#include <string>

#include "domain/bookings/announce.hpp"
#include "domain/bookings/booking_store.hpp"
#include "domain/bookings/bookings.hpp"
#include "domain/bookings/plan.hpp"
#include "domain/offerings/offering_store.hpp"

namespace yoyaku::bookings {

using namespace detail;
using storage::ScopedTx;

namespace {

std::string paid_detail(const ProviderPayment& p) {
    return "{\"provider\":\"" + p.provider + "\",\"amount_jpy\":" + std::to_string(p.amount_jpy) +
           "}";
}

}  // namespace

Result<Booking> BookingService::record_payment(
    TenantId tenant,
    std::string_view reference,
    const ProviderPayment& payment,
    const audit::Actor& actor
) {
    return change(tenant, reference, [&](ScopedTx& stx, const Change& c) -> Result<Booking> {
        const auto& b = c.booking;
        if (b.paid_at) return b;  // the same payment again
        if (payment.amount_jpy != b.total_jpy)
            return Error{
                Errc::conflict,
                "the payment's amount is not the booking's total",
                "amount_jpy",
                {}};
        BookingStore store(stx);
        if (b.awaiting_payment && b.status == BookingStatus::held) {
            YOYAKU_TRY_ASSIGN(
                const bool paid, store.update_hold_paid(b.id, payment.amount_jpy, c.now)
            );
            if (!paid) return refused("the booking no longer holds its places", "status");
            YOYAKU_TRY_ASSIGN(auto after, store.find_by_id(b.id, c.keys));
            YOYAKU_TRY_ASSIGN(auto o, offerings::OfferingStore(stx).find_by_id(b.offering_id));
            YOYAKU_TRY(audit::append(
                stx,
                actor,
                {},
                {"booking.paid", "booking:" + b.reference, "success", paid_detail(payment)},
                c.now
            ));
            YOYAKU_TRY(
                announce(stx, keys_, options_, "created", "booking_confirmed", after, o, c.now)
            );
            return after;
        }
        if (!is_live(b.status) && b.status != BookingStatus::checked_in)
            return refused("the booking no longer holds its places", "status");
        YOYAKU_TRY(store.update_paid(b.id, c.now));
        YOYAKU_TRY(audit::append(
            stx,
            actor,
            {},
            {"booking.paid", "booking:" + b.reference, "success", paid_detail(payment)},
            c.now
        ));
        return store.find_by_id(b.id, c.keys);
    });
}

}  // namespace yoyaku::bookings
