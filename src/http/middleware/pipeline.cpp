#include "http/middleware/pipeline.hpp"

#include <spdlog/spdlog.h>

#include "crypto/random.hpp"
#include "http/api/static_files.hpp"
#include "http/json/problem.hpp"

namespace yoyaku::http {

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
    PipelineOptions options
)
    : router_(router), metrics_(metrics), log_(log), files_(files), options_(options) {}

bool Pipeline::prepare(Request& req) {
    req.request_id = choose_request_id(req.headers.get("X-Request-Id"));
    auto m = router_.match(req.method, req.path);
    if (m.kind == RouteMatch::Kind::found) {
        req.route = m.route->pattern;
        req.matched = m.route;
        for (auto& [k, v] : m.params) req.params[k] = std::move(v);
        return m.route->exec == Exec::worker;
    }
    // Static files are read from disk: worker pool.
    const bool is_static = files_ && (req.method == "GET" || req.method == "HEAD") &&
                           !req.path.starts_with("/api/") && m.kind == RouteMatch::Kind::not_found;
    req.route = is_static ? "static" : "-";
    return is_static;
}

Response Pipeline::handle(Request& req) {
    Response resp;
    try {
        if (req.route == "static") {
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

Response Pipeline::reject(Request& req, const Error& error) {
    if (req.request_id.empty()) req.request_id = crypto::fast_random_hex(16);
    auto resp = problem(error, req);
    finish(req, resp);
    return resp;
}

void Pipeline::finish(const Request& req, Response& resp) const {
    auto& h = resp.headers;
    h.set("X-Request-Id", req.request_id);
    // SPEC S10. The web app loads no inline script or style; images may be data: URIs (QR).
    h.set(
        "Content-Security-Policy",
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; "
        "form-action 'self'; frame-ancestors 'none'"
    );
    h.set("X-Content-Type-Options", "nosniff");
    h.set("X-Frame-Options", "DENY");
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
