#pragma once
// An in-process server on 127.0.0.1:<free port> with the real pipeline, for HTTP tests.

#include <memory>
#include <sstream>
#include <thread>

#include "core/time.hpp"
#include "http/api/static_files.hpp"
#include "http/middleware/pipeline.hpp"
#include "http/middleware/waf.hpp"
#include "http/server/server.hpp"

namespace yoyaku::testing {

/// The platform's firewall in block mode with the Core Rule Set, loaded once per process: API
/// tests pass it so that everything they send goes through the rules a deployment runs.
const http::Waf* platform_waf();

class TestServer {
public:
    /// `setup` adds routes before the server starts.
    TestServer(
        http::ServerOptions options,
        const std::function<void(http::Router&, http::Metrics&)>& setup,
        std::string web_root = "",
        http::PipelineOptions pipeline_options = {},
        http::PipelineSecurity security = {}
    );
    ~TestServer();

    std::uint16_t port() const { return port_; }
    http::Server& server() { return *server_; }
    http::Metrics& metrics() { return metrics_; }
    /// Access-log lines written so far.
    std::string access_log() const;
    /// Starts the drain and waits for run() to return.
    void stop();

private:
    SystemClock clock_;
    http::Metrics metrics_;
    std::shared_ptr<std::ostringstream> log_stream_;
    std::unique_ptr<http::AccessLog> access_;
    http::Router router_;
    std::unique_ptr<http::StaticFiles> files_;
    std::unique_ptr<http::Pipeline> pipeline_;
    std::unique_ptr<http::Server> server_;
    std::thread thread_;
    std::uint16_t port_ = 0;
    std::shared_ptr<void> logger_;
};

}  // namespace yoyaku::testing
