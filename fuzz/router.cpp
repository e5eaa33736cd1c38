// The router and URL decoding: any method and path find a route, a 404 or a 405; decoded
// parameters are the path's own bytes; query strings decode or are refused by name.
#include "http/router/router.hpp"

#include <cstddef>
#include <cstdint>
#include <string>

#include "http/json/body.hpp"

using namespace yoyaku;

namespace {
const http::Router& routes() {
    static const http::Router r = [] {
        http::Router t;
        auto ok = [](http::Request&) { return http::Response::json(200, "{}"); };
        for (const char* p :
             {"/healthz",
              "/api/v1/public/{tenant_code}/offerings",
              "/api/v1/public/{tenant_code}/offerings/{offering_id}/availability",
              "/api/v1/public/{tenant_code}/bookings/{reference}/lookup",
              "/api/v1/bookings/{reference}",
              "/api/v1/offerings/{offering_id}/occurrences",
              "/api/v1/feeds/{token}.ics"})
            t.add({"GET", p, "public", ok});
        t.add({"POST", "/api/v1/public/{tenant_code}/bookings", "public", ok});
        t.add({"DELETE", "/api/v1/bookings/{reference}", "tenant.bookings.manage", ok});
        return t;
    }();
    return r;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string in(reinterpret_cast<const char*>(data), size);
    // "METHOD path?query"
    const auto space = in.find(' ');
    const std::string method = space == std::string::npos ? "GET" : in.substr(0, space);
    const std::string target = space == std::string::npos ? in : in.substr(space + 1);
    const auto q = target.find('?');
    http::Request req;
    req.method = method;
    req.path = target.substr(0, q);
    req.query = q == std::string::npos ? "" : target.substr(q + 1);
    const auto m = routes().match(req.method, req.path);
    if (m.kind == http::RouteMatch::Kind::found) {
        if (!m.route) __builtin_trap();
        for (const auto& [k, v] : m.params)
            if (v.size() > req.path.size()) __builtin_trap();  // decoding never grows a value
    }
    (void)http::query_params(req, {"from", "to", "q", "limit"});
    return 0;
}
