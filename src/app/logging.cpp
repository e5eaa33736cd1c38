#include "app/logging.hpp"

#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/daily_file_sink.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <boost/json.hpp>
#include <filesystem>

#include "core/time.hpp"

namespace yoyaku::app {
namespace fs = std::filesystem;
namespace {

// "%*" in spdlog patterns: the message time as RFC 3339 in the configured zone.
class ZonedTimeFlag final : public spdlog::custom_flag_formatter {
public:
    explicit ZonedTimeFlag(std::string zone) : zone_(std::move(zone)) {}
    void format(const spdlog::details::log_msg& msg, const std::tm&, spdlog::memory_buf_t& dest)
        override {
        auto t = std::chrono::time_point_cast<std::chrono::microseconds>(msg.time);
        auto s = format_rfc3339(Instant{t.time_since_epoch()}, zone_);
        dest.append(s.data(), s.data() + s.size());
    }
    std::unique_ptr<custom_flag_formatter> clone() const override {
        return std::make_unique<ZonedTimeFlag>(zone_);
    }

private:
    std::string zone_;
};

// "%J" in spdlog patterns: the message as the inside of a JSON string (log.format = "json").
class JsonMessageFlag final : public spdlog::custom_flag_formatter {
public:
    void format(const spdlog::details::log_msg& msg, const std::tm&, spdlog::memory_buf_t& dest)
        override {
        const std::string_view text(msg.payload.data(), msg.payload.size());
        const auto quoted = boost::json::serialize(boost::json::string(text));
        dest.append(quoted.data() + 1, quoted.data() + quoted.size() - 1);
    }
    std::unique_ptr<custom_flag_formatter> clone() const override {
        return std::make_unique<JsonMessageFlag>();
    }
};

std::unique_ptr<spdlog::formatter> zoned_formatter(
    const std::string& zone, const std::string& pattern
) {
    auto f = std::make_unique<spdlog::pattern_formatter>();
    f->add_flag<ZonedTimeFlag>('*', zone);
    f->add_flag<JsonMessageFlag>('J').set_pattern(pattern);
    return f;
}

}  // namespace

// Lines go into the sink's stdio buffer and are flushed every second: a request never waits on
// a disk write, and no thread is woken per line (an async logger measured slower here).
std::shared_ptr<spdlog::logger> make_access_logger(const Config& c) {
    if (c.log_access_log == "off") return nullptr;
    spdlog::sink_ptr sink;
    if (c.log_access_log == "stdout") {
        sink = std::make_shared<spdlog::sinks::stdout_sink_mt>();
    } else {
        fs::create_directories(fs::path(c.data_dir) / "logs");
        // One file a day (access_YYYY-MM-DD.jsonl): retention deletes whole days.
        sink = std::make_shared<spdlog::sinks::daily_file_sink_mt>(
            (fs::path(c.data_dir) / "logs" / "access.jsonl").string(), 0, 0
        );
    }
    auto logger = std::make_shared<spdlog::logger>("access", sink);
    logger->set_pattern("%v");
    spdlog::register_logger(logger);
    spdlog::flush_every(std::chrono::seconds(1));
    return logger;
}

void init_logging(const Config& c) {
    // Application log on stderr; stdout stays free for command output (and an access log).
    auto logger = std::make_shared<spdlog::logger>(
        "yoyaku", std::make_shared<spdlog::sinks::stderr_sink_mt>()
    );
    spdlog::set_default_logger(logger);
    // JSON lines like the access log's (log.format = "json", for a log collector), or text.
    logger->set_formatter(zoned_formatter(
        c.log_time_zone,
        c.log_format == "json" ? R"({"time":"%*","level":"%l","message":"%J"})" : "%* [%l] %v"
    ));
    logger->set_level(spdlog::level::from_str(c.log_level));
}

}  // namespace yoyaku::app
