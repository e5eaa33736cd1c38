#include "support/stripe_standin.hpp"

#include <boost/json.hpp>

#include "support/child_process.hpp"
#include "support/standin_controls.hpp"

namespace yoyaku::testing {

StripeStandIn::StripeStandIn() {
    port_ = free_port();
    pid_ = spawn_listening(
        {"/usr/bin/python3",
         YOYAKU_TEST_SUPPORT_DIR "/stripe_standin.py",
         std::to_string(port_),
         kSecretKey,
         kWebhookSecret},
        port_,
        "stripe_standin.py"
    );
}

StripeStandIn::~StripeStandIn() {
    stop_child(pid_);
}

boost::json::object StripeStandIn::control(const std::string& what) const {
    return standin_control(port_, what);
}

void StripeStandIn::send_events_to(const std::string& url) const {
    standin_send_events_to(port_, url);
}

void StripeStandIn::set_clock(Instant now) const {
    standin_set_clock(port_, now);
}

}  // namespace yoyaku::testing
