#pragma once
// One JSON line per request (SPEC S13): time (RFC 3339 in the log zone, +09:00 by default),
// request id, method, route template, status, bytes, duration, client address. Never the raw
// path, query string, cookies, tokens or bodies: personal data and secrets stay out.

#include <chrono>
#include <memory>
#include <string>

#include "core/time.hpp"
#include "http/router/message.hpp"

namespace spdlog {
class logger;
}

namespace yoyaku::http {

class AccessLog {
public:
    /// `logger` may be null: nothing is written.
    AccessLog(std::shared_ptr<spdlog::logger> logger, std::string zone, const Clock& clock);
    void write(const Request& req, int status, std::size_t bytes, std::chrono::nanoseconds elapsed);
    /// The line `write` would log, for tests.
    std::string format(
        const Request& req, int status, std::size_t bytes, std::chrono::nanoseconds elapsed
    ) const;

private:
    std::shared_ptr<spdlog::logger> logger_;
    std::string zone_;
    const Clock& clock_;
};

}  // namespace yoyaku::http
