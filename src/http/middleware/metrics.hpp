#pragma once
// Prometheus text-format metrics: request counts and latency histograms by route and status,
// connection gauges, database pool gauges and process figures. Thread-safe.

#include <array>
#include <atomic>
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

namespace yoyaku::http {

class Metrics {
public:
    void observe_request(
        std::string_view method,
        std::string_view route,
        int status,
        std::chrono::nanoseconds elapsed
    );
    void connection_opened() {
        ++connections_open_;
        ++connections_total_;
    }
    void connection_closed() { --connections_open_; }
    void connection_refused() { ++connections_refused_; }
    long connections_open() const { return connections_open_.load(); }
    /// A request the web application firewall refused (`blocked`) or would have refused
    /// (detect mode), with the ids of the rules that matched.
    void waf_refused(bool blocked, const std::vector<std::string>& rules);

    /// Adds a gauge sampled at scrape time (e.g. database pool figures).
    void add_gauge(std::string name, std::string help, std::function<double()> sample);

    /// Adds families rendered at scrape time as exposition text of their own (several series
    /// from one source, e.g. the platform's last self-check).
    void add_collector(std::function<std::string()> render);

    /// The exposition text (Content-Type: text/plain; version=0.0.4).
    std::string render() const;

private:
    struct Series {
        std::atomic<std::uint64_t> count{0};
        std::atomic<double> sum_seconds{0};
        std::array<std::atomic<std::uint64_t>, 12> buckets{};
    };
    using Key = std::tuple<std::string, std::string, int>;
    // Finds a Key by views of its strings (no allocation per request), comparing views.
    struct KeyLess {
        using is_transparent = void;
        using View = std::tuple<std::string_view, std::string_view, int>;
        static View view(const Key& k) { return {std::get<0>(k), std::get<1>(k), std::get<2>(k)}; }
        static View view(const View& v) { return v; }
        template <class A, class B>
        bool operator()(const A& a, const B& b) const {
            return view(a) < view(b);
        }
    };
    // Series are found under a shared lock and updated with atomics; a new (method, route,
    // status) takes the exclusive lock once.
    mutable std::shared_mutex mu_;
    std::map<Key, std::unique_ptr<Series>, KeyLess> series_;
    struct Gauge {
        std::string help;
        std::function<double()> sample;
    };
    std::map<std::string, Gauge> gauges_;
    std::vector<std::function<std::string()>> collectors_;
    std::atomic<long> connections_open_{0};
    std::atomic<long> connections_total_{0};
    std::atomic<long> connections_refused_{0};
    // (blocked|detected, rule id) → requests; "" counts the requests themselves.
    mutable std::mutex waf_mu_;
    std::map<std::pair<std::string, std::string>, std::uint64_t> waf_;
};

}  // namespace yoyaku::http
