#pragma once
// A tenant's payments (payments.hpp): its keys with the provider, the checkout of a booking
// that waits for its payment, and the provider's webhook events applied once each.

#include <optional>
#include <string>

#include "crypto/keyring.hpp"
#include "domain/audit/audit.hpp"
#include "domain/bookings/bookings.hpp"
#include "domain/jobs/jobs.hpp"
#include "domain/payments/payments.hpp"
#include "domain/payments/sales.hpp"
#include "storage/database.hpp"

namespace yoyaku::payments {

/// A tenant's account with the provider as staff see it (never the keys themselves).
struct AccountView {
    bool configured = false;
    std::string provider = "stripe";
    std::string key_hint;    ///< the secret key's last four characters
    bool test_mode = false;  ///< test keys (sk_test_…): no real money moves
    std::optional<Instant> updated_at;
};

struct NewKeys {
    std::string secret_key;      ///< sk_test_… / sk_live_… (or a restricted rk_…)
    std::string webhook_secret;  ///< whsec_…
};

/// A booking's checkout page.
struct CheckoutView {
    std::string url;
    Instant expires_at{};
};

/// What a webhook delivery came to: "confirmed", "paid", "pending", "checkout_ended",
/// "refunded_late", "amount_mismatch", "unknown_booking", "ignored"; `duplicate` when the
/// event was applied before (the first outcome).
struct Applied {
    std::string outcome;
    bool duplicate = false;
};

struct PaymentOptions {
    /// Where the booking site is: the checkout returns the customer to their booking's page.
    std::string public_url;
};

/// The tenant's keys with the provider, opened. Errors: unprocessable (field "payment") when
/// it has none.
Result<Credentials> tenant_credentials(
    storage::Database& db, crypto::Keyring& keys, TenantId tenant
);

class PaymentService {
public:
    PaymentService(
        storage::Database& db,
        crypto::Keyring& keys,
        const Clock& clock,
        Provider& provider,
        bookings::BookingService& bookings,
        PaymentOptions options
    )
        : db_(db),
          keys_(keys),
          clock_(clock),
          provider_(provider),
          bookings_(bookings),
          options_(std::move(options)) {}

    Result<AccountView> account(TenantId tenant);
    /// Stores the tenant's keys, sealed, audited. Errors: invalid_input on "secret_key" or
    /// "webhook_secret".
    Result<AccountView> set_account(
        TenantId tenant, const NewKeys& keys, const audit::Actor& actor, const audit::Origin& origin
    );
    /// Forgets the keys: online payments stop. Idempotent, audited.
    Result<void> remove_account(
        TenantId tenant, const audit::Actor& actor, const audit::Origin& origin
    );

    /// The checkout page of a booking held for its payment (expiring with the hold), or of a
    /// pay-later booking still unpaid (a day at most, not past its deadline): the one open, or
    /// a new one with the provider. Errors: not_found; unprocessable (nothing to pay online, the
    /// hold ran out, too late; the tenant takes no online payments); unavailable (the
    /// provider).
    Result<CheckoutView> checkout(TenantId tenant, std::string_view reference);

    /// A webhook delivery: its signature checked with the tenant's secret (a forged one is
    /// refused and recorded), applied once by event id; a payment is checked against the
    /// booking's total and currency; one that comes after its booking let the places go takes
    /// them again if still free, else it is refunded in full. Errors: forbidden (signature; no
    /// keys); invalid_input (not an event).
    Result<Applied> receive(
        TenantId tenant,
        std::string_view payload,
        std::string_view signature,
        const audit::Origin& origin
    );

    /// Sales from local date `from` to `to` (inclusive, at most 366 days) in the tenant's
    /// zone, per day or month and offering. Errors: invalid_input on "to".
    Result<SalesReport> sales(
        TenantId tenant, std::chrono::year_month_day from, std::chrono::year_month_day to, Period by
    );
    /// The job handler for topic "refund" (bookings::queue_refund): asks the provider to give
    /// the amount back (one refund per order, by its key), records it on the booking and in the
    /// audit log. A booking paid on site is left to staff (audited). The provider unreachable:
    /// retried; a refusal: recorded as failed for staff to see, and the job fails.
    jobs::Handler refund_handler();
    Result<void> refund_now(TenantId tenant, const bookings::RefundOrder& order);

private:
    Result<Credentials> credentials(TenantId tenant);
    Result<std::string> apply(TenantId tenant, const Event& e);
    Result<std::string> refund_late(TenantId tenant, const Event& e);

    storage::Database& db_;
    crypto::Keyring& keys_;
    const Clock& clock_;
    Provider& provider_;
    bookings::BookingService& bookings_;
    PaymentOptions options_;
};

}  // namespace yoyaku::payments
