#include "http/middleware/pipeline.hpp"

#include <spdlog/spdlog.h>

#include <charconv>

#include "crypto/hash.hpp"
#include "crypto/random.hpp"
#include "domain/accounts/auth_service.hpp"
#include "domain/accounts/login_defence.hpp"
#include "domain/accounts/support_service.hpp"
#include "domain/accounts/token_service.hpp"
#include "domain/notices/notices.hpp"
#include "http/api/static_files.hpp"
#include "http/json/problem.hpp"
#include "http/middleware/waf.hpp"

namespace yoyaku::http {
namespace {

// SPEC S10. The web app loads no inline script or style; images may be data: URIs (QR). The
// booking site as a LIFF app (/t/<code>/liff…) also lets the LIFF SDK reach LINE's API host,
// which the SDK names itself (token, keys and context of the LIFF login).
constexpr std::string_view kCsp =
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'";
constexpr std::string_view kLiffCsp =
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self' https://api.line.me; font-src 'self'; object-src 'none'; "
    "base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

// /t/<code>/liff or below it: the booking site opened as the tenant's LIFF app.
bool is_liff_page(std::string_view path) {
    if (!path.starts_with("/t/")) return false;
    const auto slash = path.find('/', 3);
    if (slash == std::string_view::npos) return false;
    const auto rest = path.substr(slash);
    return rest == "/liff" || rest.starts_with("/liff/");
}

}  // namespace

bool is_loopback(std::string_view address) {
    auto a = net::parse_address(address);
    if (!a) return false;
    if (a->is_v4()) return a->bytes[12] == 127;
    static const net::Address kV6Loopback = *net::parse_address("::1");
    return *a == kV6Loopback;
}

std::string client_address(
    std::string_view socket_address,
    std::string_view forwarded_for,
    const std::vector<net::Cidr>& trusted
) {
    auto is_trusted = [&](std::string_view text) {
        auto a = net::parse_address(text);
        if (!a) return false;
        for (const auto& c : trusted)
            if (c.contains(*a)) return true;
        return false;
    };
    if (trusted.empty() || !is_trusted(socket_address)) return std::string(socket_address);
    // Walk from the right: each hop appended the address it saw.
    std::string_view rest = forwarded_for;
    std::string chosen(socket_address);
    while (!rest.empty()) {
        const auto comma = rest.rfind(',');
        auto item = comma == std::string_view::npos ? rest : rest.substr(comma + 1);
        rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(0, comma);
        while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
        while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
        auto a = net::parse_address(item);
        if (!a) break;  // garbage: keep the last address we could trust
        chosen = net::to_string(*a);
        if (!is_trusted(item)) break;
    }
    return chosen;
}

std::string choose_request_id(std::string_view offered) {
    bool ok = !offered.empty() && offered.size() <= 64;
    for (char c : offered)
        ok = ok && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '.' || c == '_' || c == '-');
    return ok ? std::string(offered) : crypto::fast_random_hex(16);
}

Pipeline::Pipeline(
    const Router& router,
    Metrics& metrics,
    AccessLog& log,
    const StaticFiles* files,
    PipelineOptions options,
    PipelineSecurity security
)
    : router_(router),
      metrics_(metrics),
      log_(log),
      files_(files),
      options_(std::move(options)),
      security_(security) {}

bool Pipeline::prepare(Request& req) {
    if (!options_.trusted_proxies.empty())
        req.client_address = client_address(
            req.client_address, req.headers.get("X-Forwarded-For"), options_.trusted_proxies
        );
    req.request_id = choose_request_id(req.headers.get("X-Request-Id"));
    // The firewall's rule set costs a few hundred microseconds of CPU: not on the I/O thread.
    const bool inspected = security_.waf && security_.waf->mode() != WafMode::off;
    auto m = router_.match(req.method, req.path);
    if (m.kind == RouteMatch::Kind::found) {
        req.route = m.route->pattern;
        req.matched = m.route;
        for (auto& [k, v] : m.params) req.params[k] = std::move(v);
        return inspected || m.route->exec == Exec::worker;
    }
    // Static files are read from disk: worker pool.
    const bool is_static = files_ && (req.method == "GET" || req.method == "HEAD") &&
                           !req.path.starts_with("/api/") && m.kind == RouteMatch::Kind::not_found;
    req.route = is_static ? "static" : "-";
    return inspected || is_static;
}

std::optional<Response> Pipeline::inspect(const Request& req) {
    if (!security_.waf || security_.waf->mode() == WafMode::off) return std::nullopt;
    const auto verdict = security_.waf->inspect(req);
    if (!verdict.refused) return std::nullopt;
    const bool block = security_.waf->mode() == WafMode::block;
    metrics_.waf_refused(block, verdict.rules);
    // The rule ids and where the request went, never its query, headers or body.
    std::string rules;
    for (const auto& r : verdict.rules) rules += (rules.empty() ? "" : ",") + r;
    spdlog::warn(
        "waf: {} request_id={} client={} method={} route={} score={} rules={}",
        block ? "blocked" : "would block",
        req.request_id,
        req.client_address,
        req.method,
        req.route,
        verdict.score,
        rules
    );
    if (!block) return std::nullopt;
    if (verdict.unreadable_body)
        return problem(Error::invalid("body", "must be one JSON object"), req);
    return problem(
        Error{Errc::forbidden, "the web application firewall refused this request", {}, {}}, req
    );
}

Response Pipeline::handle(Request& req) {
    Response resp;
    try {
        if (security_.defence && security_.defence->blocked(req.client_address)) {
            resp = problem(
                Error{Errc::forbidden, "requests from this address are blocked", {}, {}}, req
            );
        } else if (auto firewall = inspect(req)) {
            resp = std::move(*firewall);
        } else if (req.route == "static") {
            resp = files_->serve(req);
        } else if (req.route == "-") {
            auto m = router_.match(req.method, req.path);
            if (m.kind == RouteMatch::Kind::method_not_allowed) {
                resp = problem(
                    Error{Errc::method_not_allowed, "method not allowed for this resource", {}, {}},
                    req
                );
                resp.headers.set("Allow", m.allow);
            } else {
                resp = problem(Error::not_found("no such resource"), req);
            }
        } else if (auto refused = guard(req)) {
            resp = std::move(*refused);
        } else {
            resp = req.matched->handler(req);
        }
    } catch (const std::exception& e) {
        spdlog::error("request {} failed: {}", req.request_id, e.what());
        resp = problem(Error::internal(e.what()), req);
    } catch (...) {
        spdlog::error("request {} failed with a non-standard exception", req.request_id);
        resp = problem(Error::internal("unknown exception"), req);
    }
    finish(req, resp);
    return resp;
}

// Routes that answer during maintenance mode: health, metrics, the status page, and signing
// in and out (who signs in is known only afterwards, and operators must be able to).
static bool open_in_maintenance(std::string_view pattern) {
    return pattern == "/healthz" || pattern == "/readyz" || pattern == "/metrics" ||
           pattern == "/api/v1/public/status" || pattern == "/api/v1/challenge" ||
           pattern == "/api/v1/session" || pattern == "/api/v1/session/mfa";
}

std::string Pipeline::expected_origin(const Request& req) const {
    if (!options_.public_origin.empty()) return options_.public_origin;
    const bool https = req.tls || options_.https_proxy;
    return std::string(https ? "https://" : "http://") + std::string(req.headers.get("Host"));
}

std::optional<Response> Pipeline::guard(Request& req) {
    const auto permission = access::parse_permission(req.matched->permission);
    if (!permission) return problem(Error::internal("route without a known permission"), req);
    bool cookie_failed = false;
    if (auto r = authenticate(req, cookie_failed)) return r;
    if (auto r = maintenance_refusal(req)) return r;
    if (auto r = enter_support(req, *permission)) return r;
    if (auto r = authorise(req, *permission, cookie_failed)) return r;
    return csrf_refusal(req);
}

// I/O-thread routes are public and never touch the database.
std::optional<Response> Pipeline::authenticate(Request& req, bool& cookie_failed) {
    if (req.matched->exec != Exec::worker) return std::nullopt;
    const auto authorization = req.headers.get("Authorization");
    if (!authorization.empty()) {
        constexpr std::string_view bearer = "Bearer ";
        auto who = authorization.starts_with(bearer) && security_.tokens
                       ? security_.tokens->authenticate(
                             authorization.substr(bearer.size()), req.client_address
                         )
                       : Result<access::Principal>(Error{
                             Errc::unauthenticated, "use Authorization: Bearer", {}, {}});
        if (!who) {
            auto r = problem(who.error(), req);
            if (who.error().code == Errc::unauthenticated)
                r.headers.set("WWW-Authenticate", "Bearer");
            return r;
        }
        req.principal = std::move(*who);
    }
    const auto token = req.principal.token_id.valid() ? std::string_view{}
                                                      : cookie_value(req, options_.cookies.name());
    if (token.empty() || !security_.auth) return std::nullopt;
    auto who = security_.auth->authenticate(token, req.client_address);
    if (who) {
        req.principal = std::move(*who);
        req.session_token = std::string(token);
    } else if (who.error().code == Errc::unauthenticated) {
        cookie_failed = true;
    } else {
        return problem(who.error(), req);
    }
    return std::nullopt;
}

std::optional<Response> Pipeline::maintenance_refusal(const Request& req) const {
    if (!security_.maintenance || !security_.maintenance->on() ||
        req.principal.role == access::Role::operator_ || open_in_maintenance(req.matched->pattern))
        return std::nullopt;
    const auto m = security_.maintenance->message();
    auto r = problem(
        Error{
            Errc::unavailable,
            "Yoyaku is under maintenance" + (m.empty() ? std::string() : ": " + m),
            {},
            {}},
        req
    );
    r.headers.set("Retry-After", std::to_string(security_.maintenance->retry_after_s()));
    return r;
}

std::optional<Response> Pipeline::enter_support(Request& req, access::Permission permission) {
    const auto support_tenant = req.headers.get("Yoyaku-Support-Tenant");
    if (support_tenant.empty() || req.matched->exec != Exec::worker) return std::nullopt;
    std::int64_t id = 0;
    const auto [end, ec] =
        std::from_chars(support_tenant.data(), support_tenant.data() + support_tenant.size(), id);
    if (ec != std::errc{} || end != support_tenant.data() + support_tenant.size() || id <= 0)
        return problem(Error::invalid("Yoyaku-Support-Tenant", "must be a tenant id"), req);
    if (!security_.support || !req.principal.signed_in())
        return problem(Error{Errc::unauthenticated, "sign in to use this resource", {}, {}}, req);
    auto inside = security_.support->enter(req.principal, TenantId{id});
    if (!inside) return problem(inside.error(), req);
    if (permission == access::Permission::session_self)
        return problem(
            Error{
                Errc::forbidden,
                "your own session is reached without the support header",
                "Yoyaku-Support-Tenant",
                {}},
            req
        );
    req.principal = std::move(*inside);
    return std::nullopt;
}

std::optional<Response> Pipeline::authorise(
    const Request& req, access::Permission permission, bool cookie_failed
) const {
    // Prometheus on the same host may scrape without signing in (or anyone, when the operator
    // said so).
    const bool open_metrics = permission == access::Permission::metrics_read &&
                              (options_.metrics_public || is_loopback(req.client_address));
    if (!open_metrics && !access::allows(req.principal.role, permission)) {
        if (!req.principal.signed_in()) {
            auto r =
                problem(Error{Errc::unauthenticated, "sign in to use this resource", {}, {}}, req);
            if (cookie_failed) r.headers.add("Set-Cookie", clear_session_cookie(options_.cookies));
            return r;
        }
        // Another role's resource does not exist for this caller.
        return problem(Error{Errc::forbidden, "your role may not do this", {}, {}}, req);
    }
    if (!req.principal.scope_allows(permission))
        return problem(
            Error{
                Errc::forbidden,
                "this token's scopes do not include " + req.matched->permission,
                "scopes",
                {}},
            req
        );
    // A suspended tenant is read-only; a terminated one may only export (and sign out).
    const auto& p = req.principal;
    const bool own_session = permission == access::Permission::session_self;
    if (p.tenant_export_only && !own_session && permission != access::Permission::tenant_export)
        return problem(
            Error{Errc::forbidden, "this tenant has ended; only its data export remains", {}, {}},
            req
        );
    if (p.mfa_enrolment_required && !own_session)
        return problem(Error{Errc::forbidden, "set up two-step sign-in first", "mfa", {}}, req);
    if (p.tenant_read_only && !is_safe_method(req.method) && !own_session)
        return problem(
            Error{Errc::forbidden, "this tenant is suspended and read-only for now", {}, {}}, req
        );
    return std::nullopt;
}

// A browser names the page's origin on unsafe requests; it must be ours. Cookie-authenticated
// ones must also echo the session's token, which a page of another origin cannot read.
std::optional<Response> Pipeline::csrf_refusal(const Request& req) const {
    if (is_safe_method(req.method)) return std::nullopt;
    const auto origin = req.headers.get("Origin");
    if (!origin.empty() && origin != expected_origin(req))
        return problem(Error{Errc::forbidden, "cross-origin request refused", {}, {}}, req);
    if (req.session_token.empty()) return std::nullopt;
    const auto sent = req.headers.get("X-CSRF-Token");
    const auto want = accounts::csrf_token_for(req.session_token);
    if (!crypto::equal_constant_time(sent, want))
        return problem(
            Error{
                Errc::forbidden,
                "the CSRF token is missing or wrong; reload the page",
                "X-CSRF-Token",
                {}},
            req
        );
    return std::nullopt;
}

Response Pipeline::reject(Request& req, const Error& error) {
    if (req.request_id.empty()) req.request_id = crypto::fast_random_hex(16);
    auto resp = problem(error, req);
    finish(req, resp);
    return resp;
}

void Pipeline::finish(const Request& req, Response& resp) const {
    auto& h = resp.headers;
    h.set("X-Request-Id", req.request_id);
    h.set("Content-Security-Policy", std::string(is_liff_page(req.path) ? kLiffCsp : kCsp));
    h.set("X-Content-Type-Options", "nosniff");
    h.set("X-Frame-Options", "DENY");
    // The legacy XSS auditor is off (OWASP Secure Headers): no current browser has it, and
    // where it lingers it opens cross-site leaks; the CSP above is the protection.
    h.set("X-XSS-Protection", "0");
    h.set("Referrer-Policy", "no-referrer");
    // The kiosk page scans QR codes, so the camera stays available to our own origin.
    h.set(
        "Permissions-Policy",
        "camera=(self), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()"
    );
    h.set("Cross-Origin-Opener-Policy", "same-origin");
    h.set("Cross-Origin-Resource-Policy", "same-origin");
    if (options_.hsts) h.set("Strict-Transport-Security", "max-age=31536000; includeSubDomains");
    if (!h.has("Cache-Control")) h.set("Cache-Control", "no-store");
    if (!h.has("Content-Type")) h.set("Content-Type", "text/plain; charset=utf-8");
}

void Pipeline::completed(
    const Request& req, int status, std::size_t bytes, std::chrono::nanoseconds elapsed
) {
    metrics_.observe_request(req.method, req.route.empty() ? "-" : req.route, status, elapsed);
    log_.write(req, status, bytes, elapsed);
}

}  // namespace yoyaku::http
