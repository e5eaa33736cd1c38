#pragma once
// Payments without card data (SPEC "Payments", issue 25, ADR 0017). The customer pays on the
// provider's hosted page; Yoyaku keeps only the provider's references, amounts and states.
// A provider is a `Provider` (Stripe's adapter in stripe.hpp; another is one more file): it
// opens checkouts, refunds, and reads the events its webhooks deliver after checking their
// signature. A tenant's keys are sealed under its data key (payment_account_store.hpp).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/ids.hpp"
#include "core/outbound.hpp"
#include "core/result.hpp"
#include "core/time.hpp"

namespace yoyaku::payments {

/// A tenant's keys with the provider, opened for one call (never logged, never shown again).
struct Credentials {
    std::string secret_key;
    std::string webhook_secret;
};

/// A hosted checkout page for one booking's total.
struct CheckoutRequest {
    std::string reference;    ///< the booking's
    std::string description;  ///< what the customer sees on the page (the offering's name)
    std::int64_t amount_jpy = 0;
    std::string customer_email;
    std::string success_url;
    std::string cancel_url;
    Instant expires_at{};
    std::string idempotency_key;
};

struct Checkout {
    std::string id;   ///< the provider's ("cs_…")
    std::string url;  ///< where the customer pays
    Instant expires_at{};
};

struct RefundRequest {
    std::string payment_ref;  ///< the provider's payment ("pi_…")
    std::int64_t amount_jpy = 0;
    std::string idempotency_key;
};

struct Refund {
    std::string id;     ///< the provider's ("re_…")
    std::string state;  ///< pending, succeeded, failed
};

/// What a provider's event says, once its signature is checked.
struct Event {
    enum class Kind {
        other,             ///< nothing for Yoyaku to do
        checkout_paid,     ///< paid at the checkout (card), or later (konbini)
        checkout_pending,  ///< the checkout completed with a payment still to make (konbini)
        checkout_failed,   ///< a delayed payment failed, or the checkout expired unpaid
    };
    std::string id;  ///< the provider's event id (each applied once)
    std::string type;
    Kind kind = Kind::other;
    std::string checkout_id;
    std::string payment_ref;
    std::string reference;  ///< the booking's, as the checkout was opened with
    std::int64_t amount = 0;
    std::string currency;
};

/// One movement of money in the provider's balance (what its statements list): a payment
/// taken or a refund given, with the payment it belongs to.
struct BalanceItem {
    std::string id;    ///< the provider's ("txn_…")
    std::string type;  ///< "charge", "refund", or the provider's other kinds (fees, payouts…)
    std::int64_t amount_jpy = 0;  ///< negative for a refund
    std::string payment_ref;      ///< the payment ("pi_…") a charge or refund belongs to
    std::string refund_ref;       ///< a refund's ("re_…")
    Instant created{};
};

/// Calls to the provider's API (libcurl in app/).
using outbound::HttpCall;
using outbound::HttpReply;
using outbound::Transport;

/// A payment provider.
class Provider {
public:
    virtual ~Provider() = default;
    /// "stripe"
    virtual std::string_view name() const noexcept = 0;
    /// Errors: invalid_input naming the key field when the provider refuses the keys;
    /// unavailable when it cannot be reached or answers with an error.
    virtual Result<Checkout> create_checkout(
        const Credentials& keys, const CheckoutRequest& request
    ) = 0;
    /// Errors: unavailable (retry later); unprocessable when the provider refuses it.
    virtual Result<Refund> refund(const Credentials& keys, const RefundRequest& request) = 0;
    /// The balance's movements created in [from, to), every page of them. Errors:
    /// unavailable (retry later); invalid_input on "secret_key" (refused keys).
    virtual Result<std::vector<BalanceItem>> balance(
        const Credentials& keys, Instant from, Instant to
    ) = 0;
    /// Checks a webhook delivery's signature (`signature`: the provider's header) and reads
    /// it. Errors: forbidden (missing, forged or stale signature); invalid_input (not an
    /// event).
    virtual Result<Event> read_event(
        const Credentials& keys, std::string_view payload, std::string_view signature, Instant now
    ) const = 0;
};

}  // namespace yoyaku::payments
