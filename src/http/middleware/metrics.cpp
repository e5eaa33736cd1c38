#include "http/middleware/metrics.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <array>
#include <fstream>
#include <sstream>

namespace yoyaku::http {
namespace {
constexpr std::array<double, 12> kBounds = {
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5};

// Label values come from route templates and methods (never raw paths), so escaping is only
// a safety net.
std::string esc(std::string_view s) {
    std::string o;
    for (char c : s) {
        if (c == '\\' || c == '"') o.push_back('\\');
        if (c == '\n') {
            o += "\\n";
            continue;
        }
        o.push_back(c);
    }
    return o;
}

void process_metrics(std::string& out) {
    std::ifstream stat("/proc/self/stat");
    std::string line;
    std::getline(stat, line);
    auto rp = line.rfind(')');
    if (rp != std::string::npos) {
        std::istringstream in(line.substr(rp + 2));
        std::string f;
        std::vector<std::string> v;
        while (in >> f) v.push_back(f);
        // After the command: state(0) ... utime(11) stime(12) ... starttime(19) vsize(20) rss(21)
        if (v.size() > 21) {
            const double tick = static_cast<double>(sysconf(_SC_CLK_TCK));
            const double cpu = (std::stod(v[11]) + std::stod(v[12])) / tick;
            const double rss = std::stod(v[21]) * static_cast<double>(sysconf(_SC_PAGESIZE));
            out += fmt::format(
                "# HELP process_cpu_seconds_total User and system CPU time.\n"
                "# TYPE process_cpu_seconds_total counter\nprocess_cpu_seconds_total {}\n"
                "# HELP process_resident_memory_bytes Resident memory.\n"
                "# TYPE process_resident_memory_bytes gauge\nprocess_resident_memory_bytes {}\n",
                cpu,
                rss
            );
        }
    }
}
}  // namespace

void Metrics::observe_request(
    std::string_view method, std::string_view route, int status, std::chrono::nanoseconds elapsed
) {
    const double s = std::chrono::duration<double>(elapsed).count();
    const std::tuple<std::string_view, std::string_view, int> probe{method, route, status};
    Series* series = nullptr;
    {
        std::shared_lock lock(mu_);
        auto it = series_.find(probe);
        if (it != series_.end()) series = it->second.get();
    }
    if (!series) {
        std::unique_lock lock(mu_);
        auto& slot = series_[Key{std::string(method), std::string(route), status}];
        if (!slot) slot = std::make_unique<Series>();
        series = slot.get();
    }
    series->count.fetch_add(1, std::memory_order_relaxed);
    series->sum_seconds.fetch_add(s, std::memory_order_relaxed);
    for (std::size_t i = 0; i < kBounds.size(); ++i)
        if (s <= kBounds[i]) series->buckets[i].fetch_add(1, std::memory_order_relaxed);
}

void Metrics::add_gauge(std::string name, std::string help, std::function<double()> sample) {
    std::unique_lock lock(mu_);
    gauges_[std::move(name)] = Gauge{std::move(help), std::move(sample)};
}

void Metrics::add_collector(std::function<std::string()> render) {
    std::unique_lock lock(mu_);
    collectors_.push_back(std::move(render));
}

void Metrics::waf_refused(bool blocked, const std::vector<std::string>& rules) {
    const std::string action = blocked ? "blocked" : "detected";
    std::lock_guard lock(waf_mu_);
    ++waf_[{action, ""}];
    for (const auto& r : rules) ++waf_[{action, r}];
}

std::string Metrics::render() const {
    std::string out;
    out +=
        "# HELP yoyaku_http_requests_total HTTP requests by method, route template and status.\n"
        "# TYPE yoyaku_http_requests_total counter\n";
    std::string hist =
        "# HELP yoyaku_http_request_duration_seconds Time from request read to response ready.\n"
        "# TYPE yoyaku_http_request_duration_seconds histogram\n";
    std::map<std::string, Gauge> gauges;
    std::vector<std::function<std::string()>> collectors;
    {
        std::shared_lock lock(mu_);
        gauges = gauges_;
        collectors = collectors_;
        for (const auto& [key, series] : series_) {
            const Series& s = *series;
            const auto& [method, route, status] = key;
            auto labels = fmt::format(
                "method=\"{}\",route=\"{}\",status=\"{}\"", esc(method), esc(route), status
            );
            out += fmt::format("yoyaku_http_requests_total{{{}}} {}\n", labels, s.count.load());
            for (std::size_t i = 0; i < kBounds.size(); ++i)
                hist += fmt::format(
                    "yoyaku_http_request_duration_seconds_bucket{{{},le=\"{}\"}} {}\n",
                    labels,
                    kBounds[i],
                    s.buckets[i].load()
                );
            hist += fmt::format(
                "yoyaku_http_request_duration_seconds_bucket{{{},le=\"+Inf\"}} {}\n",
                labels,
                s.count.load()
            );
            hist += fmt::format(
                "yoyaku_http_request_duration_seconds_sum{{{}}} {}\n", labels, s.sum_seconds.load()
            );
            hist += fmt::format(
                "yoyaku_http_request_duration_seconds_count{{{}}} {}\n", labels, s.count.load()
            );
        }
    }
    out += hist;
    out += fmt::format(
        "# HELP yoyaku_http_connections_open Open client connections.\n"
        "# TYPE yoyaku_http_connections_open gauge\nyoyaku_http_connections_open {}\n"
        "# HELP yoyaku_http_connections_total Accepted client connections.\n"
        "# TYPE yoyaku_http_connections_total counter\nyoyaku_http_connections_total {}\n"
        "# HELP yoyaku_http_connections_refused_total Connections refused at the connection cap.\n"
        "# TYPE yoyaku_http_connections_refused_total "
        "counter\nyoyaku_http_connections_refused_total {}\n",
        connections_open_.load(),
        connections_total_.load(),
        connections_refused_.load()
    );
    out +=
        "# HELP yoyaku_waf_requests_total Requests the web application firewall refused "
        "(blocked) or would have refused (detected).\n"
        "# TYPE yoyaku_waf_requests_total counter\n";
    std::string by_rule =
        "# HELP yoyaku_waf_rule_matches_total Rules matched in refused requests, by rule id.\n"
        "# TYPE yoyaku_waf_rule_matches_total counter\n";
    {
        std::lock_guard lock(waf_mu_);
        for (const auto& [key, n] : waf_) {
            if (key.second.empty())
                out += fmt::format("yoyaku_waf_requests_total{{action=\"{}\"}} {}\n", key.first, n);
            else
                by_rule += fmt::format(
                    "yoyaku_waf_rule_matches_total{{action=\"{}\",rule=\"{}\"}} {}\n",
                    key.first,
                    key.second,
                    n
                );
        }
    }
    out += by_rule;
    for (const auto& [name, g] : gauges)
        out += fmt::format("# HELP {0} {1}\n# TYPE {0} gauge\n{0} {2}\n", name, g.help, g.sample());
    for (const auto& render : collectors) out += render();
    process_metrics(out);
    return out;
}

}  // namespace yoyaku::http
