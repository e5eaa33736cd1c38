#pragma once
// The request pipeline, in order: request id → route (404/405) → [tenant → authentication →
// CSRF → rate limit, as they arrive] → handler → security headers; then access log and
// metrics once the response is written.

#include <memory>
#include <string>

#include "http/middleware/access_log.hpp"
#include "http/middleware/metrics.hpp"
#include "http/router/router.hpp"
#include "http/server/http_app.hpp"

namespace yoyaku::http {

class StaticFiles;

struct PipelineOptions {
    bool hsts = false;  ///< send Strict-Transport-Security (TLS on, or HTTPS proxy in front)
};

class Pipeline final : public HttpApp {
public:
    Pipeline(
        const Router& router,
        Metrics& metrics,
        AccessLog& log,
        const StaticFiles* files,
        PipelineOptions options
    );

    bool prepare(Request& req) override;
    Response handle(Request& req) override;
    Response reject(Request& req, const Error& error) override;
    void completed(
        const Request& req, int status, std::size_t bytes, std::chrono::nanoseconds elapsed
    ) override;

private:
    void finish(const Request& req, Response& resp) const;

    const Router& router_;
    Metrics& metrics_;
    AccessLog& log_;
    const StaticFiles* files_;
    PipelineOptions options_;
};

/// A request id from the client's X-Request-Id when it is 1–64 characters of [A-Za-z0-9._-],
/// otherwise a fresh random one.
std::string choose_request_id(std::string_view offered);

}  // namespace yoyaku::http
