// The provider's payment of a booking (BookingService::record_payment): a hold awaiting it is
// confirmed and announced; an unpaid live booking becomes paid; a repeat changes nothing.

#include <algorithm>
#include <boost/json.hpp>
#include <string>

#include "domain/bookings/announce.hpp"
#include "domain/bookings/booking_store.hpp"
#include "domain/bookings/booking_tickets.hpp"
#include "domain/bookings/bookings.hpp"
#include "domain/bookings/capacity.hpp"
#include "domain/bookings/plan.hpp"
#include "domain/jobs/jobs.hpp"
#include "domain/offerings/offering_store.hpp"
#include "domain/webhooks/webhooks.hpp"

namespace yoyaku::bookings {

using namespace detail;
using storage::ScopedTx;

namespace {

// The outgoing webhook of a payment (or refund) of `b`.
Result<void> emit_money(
    ScopedTx& stx,
    crypto::Keyring& keys,
    std::string_view type,
    const Booking& b,
    std::int64_t amount,
    Instant now
) {
    YOYAKU_TRY(webhooks::emit(
        stx,
        keys,
        type,
        boost::json::serialize(boost::json::object{
            {"reference", b.reference},
            {"amount_jpy", amount},
            {"payment_state", to_string(b.payment_state)}}),
        now
    ));
    return {};
}

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
        // The hold ran out before the payment came: its places are taken again if still free
        // (a resource's units are not kept with the booking, so its guard is one unit: at
        // worst a refund where a place was free, never a place sold twice).
        if (b.awaiting_payment && b.status == BookingStatus::expired) {
            YOYAKU_TRY_ASSIGN(const auto text, store.find_capacity_taken(b.id));
            auto again = taken_from(text);
            if (auto took = take(stx, again, c.now); !took) {
                if (took.error().code != Errc::slot_taken) return fail(std::move(took).error());
                return refused("the booking's places went to someone else", "status");
            }
        }
        if (b.awaiting_payment &&
            (b.status == BookingStatus::held || b.status == BookingStatus::expired)) {
            YOYAKU_TRY_ASSIGN(
                const bool paid,
                store.update_awaiting_paid(b.id, b.status, payment.amount_jpy, c.now)
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
            YOYAKU_TRY(emit_money(stx, keys_, "booking.paid", after, payment.amount_jpy, c.now));
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
        YOYAKU_TRY_ASSIGN(auto after, store.find_by_id(b.id, c.keys));
        YOYAKU_TRY_ASSIGN(auto o, offerings::OfferingStore(stx).find_by_id(b.offering_id));
        YOYAKU_TRY(mail_customer(stx, keys_, options_, "payment_received", after, o.name, c.now, {})
        );
        YOYAKU_TRY(emit_money(stx, keys_, "booking.paid", after, payment.amount_jpy, c.now));
        return after;
    });
}

Result<Booking> BookingService::payment_pending(
    TenantId tenant, std::string_view reference, const audit::Actor& actor
) {
    return change(tenant, reference, [&](ScopedTx& stx, const Change& c) -> Result<Booking> {
        const auto& b = c.booking;
        if (b.status != BookingStatus::held || !b.awaiting_payment) return b;
        const auto until = std::min(c.now + kKonbiniHours, b.starts_at);
        BookingStore store(stx);
        YOYAKU_TRY_ASSIGN(const bool kept, store.update_awaiting_until(b.id, until, "pending"));
        if (!kept) return b;
        YOYAKU_TRY(audit::append(
            stx, actor, {}, {"booking.payment_pending", "booking:" + b.reference}, c.now
        ));
        return store.find_by_id(b.id, c.keys);
    });
}

Result<Booking> BookingService::checkout_ended(
    TenantId tenant, std::string_view reference, const audit::Actor& actor
) {
    return change(tenant, reference, [&](ScopedTx& stx, const Change& c) -> Result<Booking> {
        const auto& b = c.booking;
        if (b.status != BookingStatus::held || !b.awaiting_payment) return b;
        // The hold runs out now; the expiry sweep gives the places back (to the waitlist first).
        BookingStore store(stx);
        YOYAKU_TRY_ASSIGN(const bool ended, store.update_awaiting_until(b.id, c.now, "unpaid"));
        if (!ended) return b;
        YOYAKU_TRY(audit::append(
            stx, actor, {}, {"booking.checkout_ended", "booking:" + b.reference}, c.now
        ));
        return store.find_by_id(b.id, c.keys);
    });
}

Result<void> BookingService::tell_refunded_late(TenantId tenant, std::string_view reference) {
    YOYAKU_TRY(change(tenant, reference, [&](ScopedTx& stx, const Change& c) -> Result<Booking> {
        YOYAKU_TRY_ASSIGN(auto o, offerings::OfferingStore(stx).find_by_id(c.booking.offering_id));
        YOYAKU_TRY(mail_customer(
            stx,
            keys_,
            options_,
            "booking_cancelled",
            c.booking,
            o.name,
            c.now,
            {{"refunded_late", "1"}}
        ));
        return c.booking;
    }));
    return {};
}

Result<void> queue_refund(
    storage::ScopedTx& stx, crypto::Keyring& keys, const RefundOrder& order, Instant now
) {
    jobs::NewJob job;
    job.topic = "refund";
    job.kind = "booking.refund";
    job.payload = boost::json::serialize(boost::json::object{
        {"booking_id", order.booking_id.value},
        {"reference", order.reference},
        {"amount_jpy", order.amount_jpy},
        {"key", order.key}});
    job.run_at = now;
    job.ref = order.reference;
    YOYAKU_TRY(jobs::enqueue(stx.tx(), keys, stx.tenant_id(), job, now));
    return {};
}

Result<void> add_refund(
    storage::ScopedTx& stx,
    crypto::Keyring& keys,
    const crypto::TenantKeys& tenant_keys,
    BookingId booking,
    std::int64_t amount_jpy,
    Instant now
) {
    BookingStore store(stx);
    YOYAKU_TRY(store.update_refunded(booking, amount_jpy));
    YOYAKU_TRY_ASSIGN(const auto after, store.find_by_id(booking, tenant_keys));
    // Refunded in full, its tickets no longer admit.
    YOYAKU_TRY_ASSIGN(const auto o, offerings::OfferingStore(stx).find_by_id(after.offering_id));
    YOYAKU_TRY(detail::sync_tickets(stx, keys, after, o, now));
    return emit_money(stx, keys, "booking.refunded", after, amount_jpy, now);
}

Result<Booking> BookingService::refund(
    TenantId tenant,
    std::string_view reference,
    std::int64_t amount_jpy,
    const audit::Actor& actor,
    const audit::Origin& origin
) {
    return change(tenant, reference, [&](ScopedTx& stx, const Change& c) -> Result<Booking> {
        const auto& b = c.booking;
        const auto left = b.paid_jpy - b.refunded_jpy;
        if (amount_jpy < 1 || amount_jpy > left)
            return Error::invalid(
                "amount_jpy", "must be 1 to " + std::to_string(left) + " (what is left to refund)"
            );
        YOYAKU_TRY(queue_refund(
            stx,
            keys_,
            {b.id,
             b.reference,
             amount_jpy,
             "refund-" + b.reference + "-" + std::to_string(b.refunded_jpy) + "-" +
                 std::to_string(amount_jpy)},
            c.now
        ));
        YOYAKU_TRY(audit::append(
            stx,
            actor,
            origin,
            {"booking.refund_asked",
             "booking:" + b.reference,
             "success",
             "{\"amount_jpy\":" + std::to_string(amount_jpy) + "}"},
            c.now
        ));
        return b;
    });
}

}  // namespace yoyaku::bookings
