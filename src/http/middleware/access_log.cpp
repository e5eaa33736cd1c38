#include "http/middleware/access_log.hpp"

#include <spdlog/spdlog.h>

#include <boost/json.hpp>

namespace yoyaku::http {

AccessLog::AccessLog(std::shared_ptr<spdlog::logger> logger, std::string zone, const Clock& clock)
    : logger_(std::move(logger)), zone_(std::move(zone)), clock_(clock) {}

std::string AccessLog::format(
    const Request& req, int status, std::size_t bytes, std::chrono::nanoseconds elapsed
) const {
    boost::json::object o;
    o["time"] = format_rfc3339(clock_.now(), zone_);
    o["request_id"] = req.request_id;
    o["method"] = req.method;
    o["route"] = req.route.empty() ? std::string("-") : req.route;
    o["status"] = status;
    o["bytes"] = bytes;
    o["duration_us"] = std::chrono::duration_cast<std::chrono::microseconds>(elapsed).count();
    o["client"] = req.client_address;
    return boost::json::serialize(o);
}

void AccessLog::write(
    const Request& req, int status, std::size_t bytes, std::chrono::nanoseconds elapsed
) {
    if (!logger_) return;
    logger_->info(format(req, status, bytes, elapsed));
}

}  // namespace yoyaku::http
