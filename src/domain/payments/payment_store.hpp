#pragma once
// The `payments` table: each checkout opened and each refund asked of a provider for a
// booking, with the provider's references, the amount and its state.

#include <optional>
#include <string>
#include <vector>

#include "core/ids.hpp"
#include "core/result.hpp"
#include "core/time.hpp"
#include "domain/bookings/booking_store.hpp"
#include "domain/payments/reconcile.hpp"
#include "storage/database.hpp"

namespace yoyaku::payments {

struct PaymentRow {
    std::int64_t id = 0;
    BookingId booking_id;
    std::string provider;
    std::string kind;          ///< checkout, refund
    std::string provider_ref;  ///< "cs_…", "re_…"
    std::string payment_ref;   ///< "pi_…" once known
    std::string url;           ///< a checkout's page
    std::int64_t amount_jpy = 0;
    std::string state;  ///< checkout: open, complete, expired; refund: pending, succeeded, failed
    std::optional<Instant> expires_at;
    Instant created_at{};
};

class PaymentStore {
public:
    explicit PaymentStore(storage::ScopedTx& stx) : stx_(stx) {}

    /// False when the provider's reference was recorded already.
    Result<bool> insert(const PaymentRow& row);
    /// A booking's rows, newest first.
    Result<std::vector<PaymentRow>> list_of_booking(BookingId booking_id);
    /// Refunds asked in [from, to) and not refused, with their booking's offering.
    Result<std::vector<bookings::MoneyRow>> list_refunds(Instant from, Instant to);
    /// Payments confirmed through the provider (complete checkouts, by when) and refunds asked
    /// of it and not refused (by when they were asked) in [from, to), with their booking.
    Result<std::vector<Recorded>> list_settled(Instant from, Instant to);
    /// A checkout's new state (and its payment once known); a complete one stays complete
    /// (a late or reordered event does not undo it).
    Result<void> update_checkout(
        std::string_view provider,
        std::string_view checkout_id,
        std::string_view state,
        std::string_view payment_ref,
        Instant now
    );

private:
    storage::ScopedTx& stx_;
};

}  // namespace yoyaku::payments
