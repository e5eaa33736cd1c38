#pragma once
// The HTTP/1.1 server: Boost.Beast over Asio with C++20 coroutines. Beast and Asio stay inside
// server.cpp; this header is safe for the rest of the code base.
//
// One io_context per I/O thread, connections dealt round-robin, one coroutine per connection
// on its context; a fresh parser per request with header and
// body limits; an idle timeout while waiting for a request and a request timeout covering the
// whole read (a slowloris client cannot hold a connection); a connection cap; optional TLS
// 1.2/1.3 with AEAD suites only and certificate reload; graceful drain on stop()/SIGTERM.

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "core/result.hpp"
#include "http/middleware/metrics.hpp"
#include "http/server/http_app.hpp"

namespace yoyaku::http {

/// What the server tells its service manager: ready (serving), reloading (SIGHUP, TLS files),
/// stopping (draining), heartbeat (the event loop is alive).
enum class ServerState { ready, reloading, stopping, heartbeat };

struct ServerOptions {
    std::string host = "127.0.0.1";
    std::uint16_t port = 8080;  ///< 0: any free port (tests)
    int io_threads = 0;         ///< 0: one per core
    int worker_threads = 16;    ///< blocking handlers (database work)
    std::size_t header_limit = 16 * 1024;
    std::size_t body_limit = 1024 * 1024;
    std::chrono::milliseconds request_timeout{15'000};  ///< whole request, first byte to last
    std::chrono::milliseconds idle_timeout{30'000};     ///< waiting for the next request
    std::chrono::milliseconds drain_timeout{10'000};
    int max_connections = 10'000;
    std::string tls_cert_file;  ///< PEM chain; TLS is on when both files are set
    std::string tls_key_file;
    bool handle_signals = false;  ///< SIGTERM/SIGINT drain and stop, SIGHUP reloads TLS files
    /// Told of the server's life: what a service manager wants to hear (systemd's sd_notify).
    /// Called on the accepting thread; must not block.
    std::function<void(ServerState)> on_state;
    /// With on_state: `heartbeat` is sent this often from the accepting thread, so a stuck
    /// event loop stops it (a watchdog's keep-alive). Zero: none.
    std::chrono::microseconds heartbeat_every{0};
};

class Server {
public:
    Server(ServerOptions options, HttpApp& app, Metrics& metrics);
    ~Server();
    Server(const Server&) = delete;
    Server& operator=(const Server&) = delete;

    /// Loads TLS material and binds the listening socket. Errors: unavailable (address in use),
    /// invalid_input (bad TLS files, naming the setting).
    Result<void> start();
    /// The bound port (after start).
    std::uint16_t port() const;
    /// Serves until stop() or a signal, then drains in-flight requests (at most
    /// drain_timeout) and returns.
    void run();
    /// Starts the graceful drain; safe from any thread and from signal-free contexts.
    void stop();
    /// Re-reads the TLS certificate and key for new connections; the old ones keep theirs.
    Result<void> reload_tls();

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace yoyaku::http
