#include "support/standin_controls.hpp"

#include <boost/json.hpp>
#include <cctype>

#include "support/http_client.hpp"

namespace yoyaku::testing {

boost::json::object standin_control(std::uint16_t port, const std::string& what) {
    const auto r = request(port, "POST", "/_standin/" + what);
    boost::system::error_code ec;
    auto v = boost::json::parse(r.body, ec);
    boost::json::object o = !ec && v.is_object() ? v.as_object() : boost::json::object{};
    o["status"] = r.status;
    return o;
}

std::string query_encoded(const std::string& text) {
    std::string q;
    for (const unsigned char c : text)
        q += std::isalnum(c) ? std::string(1, static_cast<char>(c))
                             : "%" + std::string(1, "0123456789ABCDEF"[c >> 4]) +
                                   std::string(1, "0123456789ABCDEF"[c & 15]);
    return q;
}

void standin_send_events_to(std::uint16_t port, const std::string& url) {
    standin_control(port, "webhook_url?url=" + query_encoded(url));
}

void standin_set_clock(std::uint16_t port, Instant now) {
    standin_control(
        port,
        "clock?unix=" +
            std::to_string(
                std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count()
            )
    );
}

}  // namespace yoyaku::testing
