#include "support/test_server.hpp"

#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include <stdexcept>

namespace yoyaku::testing {

const http::Waf* platform_waf() {
    static const std::unique_ptr<http::Waf> waf = [] {
        auto w = http::Waf::load({});
        if (!w) throw std::runtime_error("waf: " + w.error().message + " " + w.error().detail);
        return std::move(*w);
    }();
    return waf.get();
}

TestServer::TestServer(
    http::ServerOptions options,
    const std::function<void(http::Router&, http::Metrics&)>& setup,
    std::string web_root,
    http::PipelineOptions pipeline_options,
    http::PipelineSecurity security
) {
    pipeline_options.hsts = pipeline_options.hsts || !options.tls_cert_file.empty();
    log_stream_ = std::make_shared<std::ostringstream>();
    auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(*log_stream_);
    auto logger = std::make_shared<spdlog::logger>("test-access", sink);
    logger->set_pattern("%v");
    logger_ = logger;
    access_ = std::make_unique<http::AccessLog>(logger, "Asia/Tokyo", clock_);
    setup(router_, metrics_);
    if (!web_root.empty()) files_ = std::make_unique<http::StaticFiles>(web_root);
    pipeline_ = std::make_unique<http::Pipeline>(
        router_, metrics_, *access_, files_.get(), std::move(pipeline_options), security
    );
    options.host = "127.0.0.1";
    options.port = 0;
    if (options.io_threads == 0) options.io_threads = 2;
    server_ = std::make_unique<http::Server>(options, *pipeline_, metrics_);
    auto r = server_->start();
    if (!r) throw std::runtime_error("test server: " + r.error().message + " " + r.error().detail);
    port_ = server_->port();
    thread_ = std::thread([this] { server_->run(); });
}

TestServer::~TestServer() {
    stop();
}

void TestServer::stop() {
    if (!thread_.joinable()) return;
    server_->stop();
    thread_.join();
}

std::string TestServer::access_log() const {
    std::static_pointer_cast<spdlog::logger>(logger_)->flush();
    return log_stream_->str();
}

}  // namespace yoyaku::testing
