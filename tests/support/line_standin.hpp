#pragma once
// The LINE stand-in (tests/support/line_standin.py, named as such: the real platform cannot be
// reached from here) run for one test: LINE Login's authorization and token endpoints and the
// Messaging API's push, with its test controls.

#include <sys/types.h>

#include <boost/json/object.hpp>
#include <cstdint>
#include <string>

#include "core/time.hpp"

namespace yoyaku::testing {

class LineStandIn {
public:
    static constexpr const char* kChannelId = "1650000000";
    static constexpr const char* kChannelSecret = "0123456789abcdef0123456789abcdef";
    static constexpr const char* kAccessToken = "standin-channel-access-token-0123456789";
    /// The Messaging API channel's secret: its webhook deliveries are signed with it.
    static constexpr const char* kMessagingSecret = "fedcba9876543210fedcba9876543210";

    /// Starts it and waits until it listens. Throws when it cannot.
    LineStandIn();
    ~LineStandIn();
    LineStandIn(const LineStandIn&) = delete;
    LineStandIn& operator=(const LineStandIn&) = delete;

    /// Where line.api_base_url and line.login_base_url point.
    std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
    std::uint16_t port() const noexcept { return port_; }
    /// POST /_standin/<what> (e.g. "login_as?user=U…", "forge?what=nonce"): its JSON answer
    /// with "status" added.
    boost::json::object control(const std::string& what) const;
    /// Where its webhook events go (the URL set in the LINE Developers console).
    void send_events_to(const std::string& url) const;
    /// Its clock (ID tokens' iat and exp) follows the test's.
    void set_clock(Instant now) const;
    /// The path and query of where LINE sends the browser back after `authorize_url` (the
    /// stand-in signs in at once as the user chosen last), or "" when it refused.
    std::string sign_in(const std::string& authorize_url) const;

private:
    std::uint16_t port_ = 0;
    pid_t pid_ = -1;
};

}  // namespace yoyaku::testing
