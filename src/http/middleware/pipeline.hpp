#pragma once
// The request pipeline, in order: client address → request id → route (404/405) → address
// block list → web application firewall (403) → authentication (API token, else session cookie; an
// operator's support access to a tenant) → maintenance mode (503 but for operators) → authorisation
// (the route's permission in the access matrix, and in a token's scopes) → tenant state (suspended:
// read-only; terminated: export only) → CSRF (Origin and token) → handler → security headers; then
// access log and metrics once the response is written.

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/net.hpp"
#include "http/middleware/access_log.hpp"
#include "http/middleware/cookies.hpp"
#include "http/middleware/metrics.hpp"
#include "http/router/router.hpp"
#include "http/server/http_app.hpp"

namespace yoyaku::http {

class StaticFiles;
class Waf;

}  // namespace yoyaku::http
namespace yoyaku::accounts {
class AuthService;
class LoginDefence;
class TokenService;
class SupportService;
}  // namespace yoyaku::accounts
namespace yoyaku::notices {
class MaintenanceState;
}
namespace yoyaku::http {

struct PipelineOptions {
    bool hsts = false;  ///< send Strict-Transport-Security (TLS on, or HTTPS proxy in front)
    CookiePolicy cookies;
    /// "https://booking.example.jp": the origin unsafe requests must come from. Empty: the
    /// request's own Host, with https when TLS is on or `https_proxy`.
    std::string public_origin;
    bool https_proxy = false;
    /// Peers whose X-Forwarded-For is believed (the right-most address not in this list is
    /// the client). Empty: the socket's address, always.
    std::vector<net::Cidr> trusted_proxies;
    /// Anonymous callers may read /metrics from any address, not only loopback.
    bool metrics_public = false;
};

/// The authentication parts; absent ones deny (no auth: every non-public route answers 401).
struct PipelineSecurity {
    accounts::AuthService* auth = nullptr;
    const accounts::LoginDefence* defence = nullptr;
    accounts::TokenService* tokens = nullptr;     ///< "Authorization: Bearer yk_…"
    accounts::SupportService* support = nullptr;  ///< operators' "Yoyaku-Support-Tenant"
    /// Maintenance mode: on, the API answers 503 with Retry-After to all but operators.
    const notices::MaintenanceState* maintenance = nullptr;
    /// The web application firewall; absent or off: requests are not inspected.
    const Waf* waf = nullptr;
};

class Pipeline final : public HttpApp {
public:
    Pipeline(
        const Router& router,
        Metrics& metrics,
        AccessLog& log,
        const StaticFiles* files,
        PipelineOptions options,
        PipelineSecurity security = {}
    );

    bool prepare(Request& req) override;
    Response handle(Request& req) override;
    Response reject(Request& req, const Error& error) override;
    void completed(
        const Request& req, int status, std::size_t bytes, std::chrono::nanoseconds elapsed
    ) override;

private:
    void finish(const Request& req, Response& resp) const;
    /// Authentication, authorisation, tenant state and CSRF for a matched route; an error
    /// response when the request may not reach its handler.
    std::optional<Response> guard(Request& req);
    /// Its steps, each an error response or nothing. An API token, else the session cookie
    /// (`cookie_failed`: one was sent and is no longer valid).
    std::optional<Response> authenticate(Request& req, bool& cookie_failed);
    /// Maintenance mode: only operators, and what they need to sign in, get through.
    std::optional<Response> maintenance_refusal(const Request& req) const;
    /// An operator under support access acts as a read-only manager of the tenant named.
    std::optional<Response> enter_support(Request& req, access::Permission permission);
    /// The route's permission in the one matrix, the token's scopes, the tenant's state.
    std::optional<Response> authorise(
        const Request& req, access::Permission permission, bool cookie_failed
    ) const;
    /// CSRF (SPEC S5) on unsafe requests: our origin, and the session's token echoed.
    std::optional<Response> csrf_refusal(const Request& req) const;
    /// The firewall's verdict: a 403 in block mode; logged and counted in every mode.
    std::optional<Response> inspect(const Request& req);
    std::string expected_origin(const Request& req) const;

    const Router& router_;
    Metrics& metrics_;
    AccessLog& log_;
    const StaticFiles* files_;
    PipelineOptions options_;
    PipelineSecurity security_;
};

/// The client address: the socket's, or when the socket peer is a trusted proxy, the
/// right-most X-Forwarded-For entry that is not itself a trusted proxy.
std::string client_address(
    std::string_view socket_address,
    std::string_view forwarded_for,
    const std::vector<net::Cidr>& trusted
);

/// True for 127.0.0.0/8 and ::1 (also IPv4-mapped).
bool is_loopback(std::string_view address);

/// A request id from the client's X-Request-Id when it is 1–64 characters of [A-Za-z0-9._-],
/// otherwise a fresh random one.
std::string choose_request_id(std::string_view offered);

}  // namespace yoyaku::http
