#include "app/platform_metrics.hpp"

#include <fmt/format.h>

#include <cmath>

#include "domain/monitor/monitor.hpp"

namespace yoyaku::app {
namespace {

std::string prometheus_number(double v) {
    if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
    return fmt::format("{}", v);
}

}  // namespace

// The build, and the platform's last self-check (stored by whichever node ran it, so every
// node reports the same) for Prometheus: each check's state and its value in base units.
std::string platform_metrics(storage::Database& db) {
    std::string out = fmt::format(
        "# HELP yoyaku_build_info The running binary's version.\n"
        "# TYPE yoyaku_build_info gauge\nyoyaku_build_info{{version=\"{}\"}} 1\n",
        YOYAKU_VERSION
    );
    auto last = monitor::Monitor::last(db);
    if (!last || !*last) return out;
    const auto& reading = **last;
    out += fmt::format(
        "# HELP yoyaku_monitor_reading_timestamp_seconds When the platform last checked itself.\n"
        "# TYPE yoyaku_monitor_reading_timestamp_seconds gauge\n"
        "yoyaku_monitor_reading_timestamp_seconds {}\n"
        "# HELP yoyaku_monitor_check_ok The last self-check: 1 within its threshold "
        "(monitor.* settings), 0 crossed.\n# TYPE yoyaku_monitor_check_ok gauge\n",
        to_micros(reading.at) / 1'000'000
    );
    for (const auto& c : reading.checks)
        out += fmt::format("yoyaku_monitor_check_ok{{check=\"{}\"}} {}\n", c.name, c.ok ? 1 : 0);
    struct Family {
        const char* check;
        const char* metric;
        const char* help;
    };
    static constexpr Family kFamilies[] = {
        {"database_latency", "yoyaku_monitor_database_latency_seconds", "One database round trip."},
        {"queue_lag",
         "yoyaku_monitor_queue_lag_seconds",
         "How long the oldest due job has waited."},
        {"mail_failures",
         "yoyaku_monitor_mail_failures_last_hour",
         "Mails failed for good in the last hour."},
        {"backup_age",
         "yoyaku_monitor_backup_age_seconds",
         "Age of the newest backup (+Inf: none)."},
        {"disk_free", "yoyaku_monitor_disk_free_ratio", "Free share of the data's file system."},
    };
    for (const auto& f : kFamilies)
        for (const auto& c : reading.checks)
            if (c.name == f.check)
                out += fmt::format(
                    "# HELP {0} {1}\n# TYPE {0} gauge\n{0} {2}\n",
                    f.metric,
                    f.help,
                    prometheus_number(c.amount)
                );
    return out;
}

}  // namespace yoyaku::app
