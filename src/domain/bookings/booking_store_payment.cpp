// BookingStore (booking_store.hpp): what a payment changes on a booking's row.

#include "domain/bookings/booking_store.hpp"

namespace yoyaku::bookings {

Result<bool> BookingStore::update_awaiting_paid(
    BookingId id, BookingStatus from, std::int64_t amount_jpy, Instant now
) {
    YOYAKU_TRY_ASSIGN(
        auto n,
        stx_.tx().exec(
            "UPDATE bookings SET status = 'confirmed', awaiting_payment = 0, hold_expires_at = NULL, paid_at = $3, payment_state = 'paid', paid_jpy = $4, updated_at = $3 WHERE tenant_id = $1 AND id = $2 AND status = $5 AND awaiting_payment = 1",
            stx_.tenant_id(),
            id,
            to_micros(now),
            amount_jpy,
            std::string(to_string(from))
        )
    );
    return n == 1;
}

Result<bool> BookingStore::update_hold_awaiting_payment(
    BookingId id,
    const std::string& customer_sealed,
    const std::string& email_index,
    std::optional<AccountId> account_id,
    Instant until,
    Instant now
) {
    YOYAKU_TRY_ASSIGN(
        auto n,
        stx_.tx().exec(
            "UPDATE bookings SET awaiting_payment = 1, customer_sealed = $3, email_index = $4, account_id = $5, hold_expires_at = $6, updated_at = $7 WHERE tenant_id = $1 AND id = $2 AND status = 'held' AND awaiting_payment = 0",
            stx_.tenant_id(),
            id,
            storage::Blob{customer_sealed},
            email_index,
            account_id,
            to_micros(until),
            to_micros(now)
        )
    );
    return n == 1;
}

Result<bool> BookingStore::update_awaiting_until(
    BookingId id, Instant until, std::string_view state
) {
    YOYAKU_TRY_ASSIGN(
        auto n,
        stx_.tx().exec(
            "UPDATE bookings SET hold_expires_at = $3, payment_state = $4 WHERE tenant_id = $1 AND id = $2 AND status = 'held' AND awaiting_payment = 1",
            stx_.tenant_id(),
            id,
            to_micros(until),
            std::string(state)
        )
    );
    return n == 1;
}

std::vector<MoneyRow> money_rows(const std::vector<storage::Row>& rows) {
    std::vector<MoneyRow> out;
    out.reserve(rows.size());
    for (const auto& r : rows)
        out.push_back(
            {r.id<OfferingId>("offering_id"), from_micros(r.i64("at")), r.i64("amount_jpy")}
        );
    return out;
}

Result<std::vector<MoneyRow>> BookingStore::list_paid(Instant from, Instant to) {
    YOYAKU_TRY_ASSIGN(
        const auto rows,
        stx_.tx().query(
            "SELECT offering_id, paid_at AS at, paid_jpy AS amount_jpy FROM bookings WHERE tenant_id = $1 AND paid_at >= $2 AND paid_at < $3 AND paid_jpy > 0",
            stx_.tenant_id(),
            to_micros(from),
            to_micros(to)
        )
    );
    return money_rows(rows);
}

Result<std::vector<MoneyRow>> BookingStore::list_fees(Instant from, Instant to) {
    YOYAKU_TRY_ASSIGN(
        const auto rows,
        stx_.tx().query(
            "SELECT offering_id, updated_at AS at, cancellation_fee_jpy AS amount_jpy FROM bookings WHERE tenant_id = $1 AND status = 'cancelled' AND cancellation_fee_jpy > 0 AND updated_at >= $2 AND updated_at < $3",
            stx_.tenant_id(),
            to_micros(from),
            to_micros(to)
        )
    );
    return money_rows(rows);
}

Result<void> BookingStore::update_refunded(BookingId id, std::int64_t amount_jpy) {
    YOYAKU_TRY(stx_.tx().exec(
        "UPDATE bookings SET refunded_jpy = refunded_jpy + $3, payment_state = CASE WHEN refunded_jpy + $3 >= paid_jpy THEN 'refunded' ELSE 'partially_refunded' END WHERE tenant_id = $1 AND id = $2",
        stx_.tenant_id(),
        id,
        amount_jpy
    ));
    return {};
}

}  // namespace yoyaku::bookings
