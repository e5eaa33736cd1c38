// BookingStore's statements about holds and provisional bookings (booking_store.hpp): a hold
// confirmed, those whose time ran out, a decision clearing the deadline.

#include "domain/bookings/booking_store.hpp"

namespace yoyaku::bookings {
namespace {

std::vector<ExpiredHold> expired_from(const std::vector<storage::Row>& rows) {
    std::vector<ExpiredHold> out;
    out.reserve(rows.size());
    for (const auto& r : rows)
        out.push_back(
            {r.id<BookingId>("id"),
             r.text("capacity_taken"),
             r.text("reference"),
             r.id<OfferingId>("offering_id"),
             r.opt_id<OccurrenceId>("occurrence_id")}
        );
    return out;
}

}  // namespace

Result<bool> BookingStore::update_hold_confirmed(
    BookingId id,
    BookingStatus status,
    const std::string& customer_sealed,
    const std::string& email_index,
    std::optional<AccountId> account_id,
    std::optional<Instant> until,
    Instant now
) {
    YOYAKU_TRY_ASSIGN(
        auto n,
        stx_.tx().exec(
            "UPDATE bookings SET status = $3, customer_sealed = $4, email_index = $5, account_id = $6, hold_expires_at = $8, updated_at = $7 WHERE tenant_id = $1 AND id = $2 AND status = 'held' AND awaiting_payment = 0",
            stx_.tenant_id(),
            id,
            std::string(to_string(status)),
            storage::Blob{customer_sealed},
            email_index,
            account_id,
            to_micros(now),
            until ? storage::Value(to_micros(*until)) : storage::Value()
        )
    );
    return n == 1;
}

Result<std::vector<ExpiredHold>> BookingStore::list_expired_holds(
    OfferingId offering_id, Instant now, int limit
) {
    YOYAKU_TRY_ASSIGN(
        auto rows,
        stx_.tx().query(
            "SELECT id, capacity_taken, reference, offering_id, occurrence_id FROM bookings WHERE tenant_id = $1 AND status = 'held' AND hold_expires_at <= $2 AND ($3 = 0 OR offering_id = $3) ORDER BY hold_expires_at LIMIT $4",
            stx_.tenant_id(),
            to_micros(now),
            offering_id,
            limit
        )
    );
    return expired_from(rows);
}

Result<std::vector<ExpiredHold>> BookingStore::list_lapsed_provisional(Instant now, int limit) {
    YOYAKU_TRY_ASSIGN(
        auto rows,
        stx_.tx().query(
            "SELECT id, capacity_taken, reference, offering_id, occurrence_id FROM bookings WHERE tenant_id = $1 AND status = 'pending' AND hold_expires_at IS NOT NULL AND hold_expires_at <= $2 ORDER BY hold_expires_at LIMIT $3",
            stx_.tenant_id(),
            to_micros(now),
            limit
        )
    );
    return expired_from(rows);
}

Result<void> BookingStore::clear_hold_expiry(BookingId id) {
    YOYAKU_TRY(stx_.tx().exec(
        "UPDATE bookings SET hold_expires_at = NULL WHERE tenant_id = $1 AND id = $2",
        stx_.tenant_id(),
        id
    ));
    return {};
}

}  // namespace yoyaku::bookings
