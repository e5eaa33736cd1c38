// Cookie and header parsing: the session cookie among any Cookie header, the client address
// behind a proxy from any X-Forwarded-For, a request id from any X-Request-Id, and address
// and CIDR parsing.
#include <cstddef>
#include <cstdint>
#include <string>

#include "core/net.hpp"
#include "http/middleware/cookies.hpp"
#include "http/middleware/pipeline.hpp"

using namespace yoyaku;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string in(reinterpret_cast<const char*>(data), size);
    http::Request req;
    req.headers.add("Cookie", in);
    const auto v = http::cookie_value(req, "__Host-yoyaku_session");
    if (v.size() > in.size()) __builtin_trap();
    static const std::vector<net::Cidr> proxies = {*net::parse_cidr("10.0.0.0/8")};
    const auto client = http::client_address("10.0.0.2", in, proxies);
    if (client.empty()) __builtin_trap();
    const auto id = http::choose_request_id(in);
    if (id.empty() || id.size() > 64) __builtin_trap();
    if (auto a = net::parse_address(in)) {
        // What parses prints and parses back to the same address.
        auto again = net::parse_address(net::to_string(*a));
        if (!again || !(*again == *a)) __builtin_trap();
        (void)net::client_network(*a);
        (void)net::client_key(in);
    }
    (void)net::parse_cidr(in);
    return 0;
}
