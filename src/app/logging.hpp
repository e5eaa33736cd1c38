#pragma once
// The platform's logs: the application log on stderr (text, or JSON lines with log.format =
// "json") and the access log (one JSON line per request, to a daily file or stdout), times in
// log.time_zone.

#include <spdlog/logger.h>

#include <memory>

#include "app/config.hpp"

namespace yoyaku::app {

/// Sets up logging: application log on stderr with RFC 3339 times in `log.time_zone`.
void init_logging(const Config& config);

/// The access log as configured (log.access_log); nullptr when off. Flushed every second.
std::shared_ptr<spdlog::logger> make_access_logger(const Config& config);

}  // namespace yoyaku::app
