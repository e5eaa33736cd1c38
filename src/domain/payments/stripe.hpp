#pragma once
// Stripe's adapter (docs.stripe.com/api): Checkout Sessions for the hosted page (JPY; the
// payment methods the account has turned on, card and konbini among them), Refunds with an
// Idempotency-Key, Balance Transactions (their source expanded) for the daily reconciliation,
// and webhook events signed in `Stripe-Signature: t=…,v1=…` (HMAC-SHA256 of
// "t.payload" under the endpoint's secret) with five minutes' tolerance. The API base is
// configuration (payments.stripe_api_base): tests point it at the stand-in in tests/support.

#include <chrono>
#include <string>

#include "domain/payments/payments.hpp"

namespace yoyaku::payments {

/// How old a signed event may be.
inline constexpr std::chrono::minutes kSignatureTolerance{5};

/// Checks a `Stripe-Signature` header against `payload`: one of its v1 signatures is the
/// HMAC-SHA256 of "<t>.<payload>" under `secret`, and t is within the tolerance of `now`.
/// Errors: forbidden.
Result<void> verify_stripe_signature(
    std::string_view payload, std::string_view header, std::string_view secret, Instant now
);

class StripeProvider final : public Provider {
public:
    /// `api_base`: "https://api.stripe.com" or a stand-in.
    StripeProvider(Transport& transport, std::string api_base)
        : transport_(transport), api_base_(std::move(api_base)) {}

    std::string_view name() const noexcept override { return "stripe"; }
    Result<Checkout> create_checkout(const Credentials& keys, const CheckoutRequest& request)
        override;
    Result<Refund> refund(const Credentials& keys, const RefundRequest& request) override;
    Result<std::vector<BalanceItem>> balance(const Credentials& keys, Instant from, Instant to)
        override;
    Result<Event> read_event(
        const Credentials& keys, std::string_view payload, std::string_view signature, Instant now
    ) const override;

private:
    Result<HttpReply> send(
        const Credentials& keys,
        std::string_view method,
        std::string_view path,
        const std::string& form,
        const std::string& idempotency_key
    );

    Transport& transport_;
    std::string api_base_;
};

}  // namespace yoyaku::payments
