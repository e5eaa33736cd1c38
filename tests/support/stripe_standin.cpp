#include "support/stripe_standin.hpp"

#include <boost/json.hpp>

#include "support/child_process.hpp"
#include "support/http_client.hpp"

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
    const auto r = request(port_, "POST", "/_standin/" + what);
    boost::system::error_code ec;
    auto v = boost::json::parse(r.body, ec);
    boost::json::object o = !ec && v.is_object() ? v.as_object() : boost::json::object{};
    o["status"] = r.status;
    return o;
}

void StripeStandIn::send_events_to(const std::string& url) const {
    std::string q;
    for (const unsigned char c : url)
        q += std::isalnum(c) ? std::string(1, static_cast<char>(c))
                             : "%" + std::string(1, "0123456789ABCDEF"[c >> 4]) +
                                   std::string(1, "0123456789ABCDEF"[c & 15]);
    control("webhook_url?url=" + q);
}

void StripeStandIn::set_clock(Instant now) const {
    control(
        "clock?unix=" +
        std::to_string(
            std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count()
        )
    );
}

}  // namespace yoyaku::testing
