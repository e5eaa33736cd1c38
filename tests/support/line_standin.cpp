#include "support/line_standin.hpp"

#include <boost/json.hpp>

#include "support/child_process.hpp"
#include "support/http_client.hpp"
#include "support/standin_controls.hpp"

namespace yoyaku::testing {

LineStandIn::LineStandIn() {
    port_ = free_port();
    pid_ = spawn_listening(
        {"/usr/bin/python3",
         YOYAKU_TEST_SUPPORT_DIR "/line_standin.py",
         std::to_string(port_),
         kChannelId,
         kChannelSecret,
         kAccessToken,
         kMessagingSecret},
        port_,
        "line_standin.py"
    );
}

LineStandIn::~LineStandIn() {
    stop_child(pid_);
}

boost::json::object LineStandIn::control(const std::string& what) const {
    return standin_control(port_, what);
}

void LineStandIn::send_events_to(const std::string& url) const {
    standin_send_events_to(port_, url);
}

void LineStandIn::set_clock(Instant now) const {
    standin_set_clock(port_, now);
}

std::string LineStandIn::sign_in(const std::string& authorize_url) const {
    const auto prefix = url();
    if (authorize_url.rfind(prefix, 0) != 0) return "";
    const auto r = request(port_, "GET", authorize_url.substr(prefix.size()));
    if (r.status != 302) return "";
    // The callback's absolute URL: keep its path and query, the test server answers them.
    const auto location = r.header("location");
    const auto scheme = location.find("://");
    const auto path = scheme == std::string::npos ? 0 : location.find('/', scheme + 3);
    return path == std::string::npos ? "" : location.substr(path);
}

}  // namespace yoyaku::testing
