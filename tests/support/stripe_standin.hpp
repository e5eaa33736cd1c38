#pragma once
// The Stripe stand-in (tests/support/stripe_standin.py, named as such: the real API cannot be
// reached from here) run for one test, with its test controls.

#include <sys/types.h>

#include <boost/json/object.hpp>
#include <cstdint>
#include <string>

#include "core/time.hpp"
#include "support/test_database.hpp"

namespace yoyaku::testing {

class StripeStandIn {
public:
    static constexpr const char* kSecretKey = "sk_test_standin_0123456789abcdef";
    static constexpr const char* kWebhookSecret = "whsec_standin_0123456789abcdef";

    /// Starts it and waits until it listens. Throws when it cannot.
    StripeStandIn();
    ~StripeStandIn();
    StripeStandIn(const StripeStandIn&) = delete;
    StripeStandIn& operator=(const StripeStandIn&) = delete;

    /// Where payments.stripe_api_base points.
    std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
    std::uint16_t port() const noexcept { return port_; }
    /// POST /_standin/<what> (e.g. "sessions/cs_…/pay?method=konbini"): its JSON answer
    /// with "status" added. Deliveries of the events it sent are in "deliveries".
    boost::json::object control(const std::string& what) const;
    /// Where its events go (the endpoint configured at Stripe).
    void send_events_to(const std::string& url) const;
    /// Its clock (event signatures, session expiry) follows the test's.
    void set_clock(Instant now) const;

private:
    std::uint16_t port_ = 0;
    pid_t pid_ = -1;
};

}  // namespace yoyaku::testing
