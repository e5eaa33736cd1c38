#pragma once
// Setting the provider's balance against Yoyaku's records of a day (reconciliation.hpp runs
// it daily): pure, no database, no network.

#include <string>
#include <vector>

#include "core/time.hpp"
#include "domain/payments/payments.hpp"

namespace yoyaku::payments {

/// A payment or refund as Yoyaku recorded it.
struct Recorded {
    std::string kind;             ///< "charge" or "refund"
    std::string payment_ref;      ///< "pi_…"
    std::string refund_ref;       ///< a refund's "re_…"
    std::int64_t amount_jpy = 0;  ///< positive both ways
    Instant at{};
    std::string reference;  ///< the booking's
};

struct Mismatch {
    /// "unknown_to_yoyaku", "missing_at_provider", "amount_differs"
    std::string kind;
    std::string provider_id;  ///< the balance transaction's, when the provider lists it
    std::string payment_ref;
    std::string reference;  ///< the booking's, when Yoyaku knows it
    std::int64_t yoyaku_jpy = 0;
    std::int64_t provider_jpy = 0;
};

/// Sets the provider's movements against Yoyaku's records of [from, to): both lists may reach
/// past the day on either side (a payment recorded a moment after the provider took it), so
/// only what lies inside it is reported missing on the other side. The provider's other
/// movements (fees, payouts) are not bookings' and are left out.
std::vector<Mismatch> reconcile(
    const std::vector<BalanceItem>& provider,
    const std::vector<Recorded>& yoyaku,
    Instant from,
    Instant to
);

}  // namespace yoyaku::payments
