#pragma once
// The platform's own Prometheus families for /metrics: yoyaku_build_info and the last
// self-check (monitor::Monitor::last), rendered at scrape time.

#include <string>

#include "storage/database.hpp"

namespace yoyaku::app {

/// The build, and the platform's last stored self-check: each check's state and its value in
/// base units. Only yoyaku_build_info when there is no reading (or no database).
std::string platform_metrics(storage::Database& db);

}  // namespace yoyaku::app
