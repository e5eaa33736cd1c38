#include "http/server/server.hpp"

#include <openssl/ssl.h>
#include <spdlog/spdlog.h>

#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <mutex>
#include <thread>
#include <unordered_set>

namespace yoyaku::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
using tcp = asio::ip::tcp;
using asio::awaitable;
constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);

namespace {

using PlainStream = beast::tcp_stream;
using TlsStream = beast::ssl_stream<beast::tcp_stream>;

// Per-connection state shared with the drain logic. Only touched on the connection's own
// io_context thread.
struct ConnBase {
    virtual ~ConnBase() = default;
    virtual void close() = 0;
    virtual asio::any_io_executor executor() = 0;
    bool idle = true;
};

template <class Stream>
struct Conn final : ConnBase {
    template <class... A>
    explicit Conn(A&&... a) : stream(std::forward<A>(a)...) {}
    void close() override {
        beast::error_code ec;
        beast::get_lowest_layer(stream).socket().close(ec);
    }
    asio::any_io_executor executor() override { return stream.get_executor(); }
    Stream stream;
};

Result<std::shared_ptr<asio::ssl::context>> make_tls_context(
    const std::string& cert, const std::string& key
) {
    auto ctx = std::make_shared<asio::ssl::context>(asio::ssl::context::tls_server);
    ctx->set_options(
        asio::ssl::context::default_workarounds | asio::ssl::context::no_sslv2 |
        asio::ssl::context::no_sslv3 | asio::ssl::context::no_tlsv1 |
        asio::ssl::context::no_tlsv1_1 | asio::ssl::context::no_compression |
        asio::ssl::context::single_dh_use
    );
    SSL_CTX* native = ctx->native_handle();
    SSL_CTX_set_min_proto_version(native, TLS1_2_VERSION);
    SSL_CTX_set_options(native, SSL_OP_CIPHER_SERVER_PREFERENCE | SSL_OP_NO_RENEGOTIATION);
    // TLS 1.2: ECDHE with AEAD only. TLS 1.3 suites are all AEAD; keep OpenSSL's defaults.
    SSL_CTX_set_cipher_list(
        native,
        "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:"
        "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:"
        "ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305"
    );
    SSL_CTX_set1_groups_list(native, "X25519:P-256:P-384");
    beast::error_code ec;
    ctx->use_certificate_chain_file(cert, ec);
    if (ec)
        return Error::invalid(
            "server.tls_cert_file", "cannot load certificate chain: " + ec.message()
        );
    ctx->use_private_key_file(key, asio::ssl::context::pem, ec);
    if (ec)
        return Error::invalid("server.tls_key_file", "cannot load private key: " + ec.message());
    if (SSL_CTX_check_private_key(native) != 1)
        return Error::invalid("server.tls_key_file", "private key does not match the certificate");
    return ctx;
}

bool is_routine(const beast::error_code& ec) {
    return ec == bhttp::error::end_of_stream || ec == beast::error::timeout ||
           ec == asio::error::operation_aborted || ec == asio::error::eof ||
           ec == asio::error::connection_reset || ec == asio::error::broken_pipe ||
           ec == asio::error::bad_descriptor || ec == asio::ssl::error::stream_truncated;
}

// Completion of a detached connection coroutine: report an escaped exception, never crash.
void on_session_end(std::exception_ptr e) {
    if (!e) return;
    try {
        std::rethrow_exception(e);
    } catch (const std::exception& ex) {
        spdlog::error("connection ended by an exception: {}", ex.what());
    }
}

}  // namespace

struct Server::Impl {
    Impl(ServerOptions o, HttpApp& a, Metrics& m) : opt(std::move(o)), app(a), metrics(m) {}

    ServerOptions opt;
    HttpApp& app;
    Metrics& metrics;
    std::atomic<bool> draining{false};
    std::atomic<int> active{0};
    std::mutex conns_mu;
    std::unordered_set<std::shared_ptr<ConnBase>> conns;
    std::mutex tls_mu;
    std::shared_ptr<asio::ssl::context> tls;
    // One io_context per I/O thread (nginx's worker model): a connection lives on one context
    // and one thread, so completions never wake another thread. Declared after the state
    // above: destroying a context destroys suspended session frames, whose clean-up touches it.
    std::vector<std::unique_ptr<asio::io_context>> contexts = make_contexts(opt.io_threads);
    asio::io_context& ioc = *contexts.front();
    std::size_t next_context = 0;
    tcp::acceptor acceptor{ioc};
    asio::signal_set signals{ioc};
    asio::steady_timer drain_timer{ioc};
    asio::steady_timer heartbeat_timer{ioc};
    asio::thread_pool workers{static_cast<std::size_t>(std::max(1, opt.worker_threads))};
    std::chrono::steady_clock::time_point drain_deadline;

    static std::vector<std::unique_ptr<asio::io_context>> make_contexts(int wanted) {
        const int n = std::max(1, wanted ? wanted : int(std::thread::hardware_concurrency()));
        std::vector<std::unique_ptr<asio::io_context>> v;
        for (int i = 0; i < n; ++i) v.push_back(std::make_unique<asio::io_context>(1));
        return v;
    }

    void stop_contexts() {
        for (auto& c : contexts) c->stop();
    }

    bool tls_enabled() const { return !opt.tls_cert_file.empty() && !opt.tls_key_file.empty(); }

    awaitable<void> accept_loop() {
        for (;;) {
            auto& home = *contexts[next_context++ % contexts.size()];
            tcp::socket sock(home.get_executor());
            auto [ec] = co_await acceptor.async_accept(sock, kTuple);
            if (ec) {
                if (!acceptor.is_open() || draining) co_return;
                spdlog::warn("accept failed: {}", ec.message());
                // Out of descriptors and the like: back off briefly instead of spinning.
                asio::steady_timer t(ioc, std::chrono::milliseconds(50));
                co_await t.async_wait(kTuple);
                continue;
            }
            if (active.load() >= opt.max_connections) {
                metrics.connection_refused();
                auto ex = sock.get_executor();
                asio::co_spawn(ex, refuse(std::move(sock)), asio::detached);
                continue;
            }
            beast::error_code nec;
            sock.set_option(tcp::no_delay(true), nec);
            ++active;
            std::shared_ptr<asio::ssl::context> ctx;
            if (tls_enabled()) {
                std::lock_guard g(tls_mu);
                ctx = tls;
            }
            auto ex = sock.get_executor();
            if (ctx) {
                auto c = std::make_shared<Conn<TlsStream>>(std::move(sock), *ctx);
                asio::co_spawn(ex, session(c, ctx), on_session_end);
            } else {
                auto c = std::make_shared<Conn<PlainStream>>(std::move(sock));
                asio::co_spawn(ex, session(c, nullptr), on_session_end);
            }
        }
    }

    // Over the connection cap: a canned 503 and close.
    awaitable<void> refuse(tcp::socket sock) {
        static constexpr std::string_view body =
            R"({"type":"urn:yoyaku:problem:unavailable","title":"Service Unavailable","status":503,)"
            R"("detail":"too many connections","code":"unavailable"})";
        static const std::string msg =
            "HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/problem+json\r\n"
            "Retry-After: 1\r\nConnection: close\r\nContent-Length: " +
            std::to_string(body.size()) + "\r\n\r\n" + std::string(body);
        if (!tls_enabled()) co_await asio::async_write(sock, asio::buffer(msg), kTuple);
        beast::error_code ec;
        sock.shutdown(tcp::socket::shutdown_both, ec);
        sock.close(ec);
    }

    awaitable<Response> on_worker(Request* req) { co_return app.handle(*req); }

    template <class Stream>
    awaitable<void> session(
        std::shared_ptr<Conn<Stream>> c, std::shared_ptr<asio::ssl::context> keep_ctx
    ) {
        metrics.connection_opened();
        {
            std::lock_guard g(conns_mu);
            conns.insert(c);
        }
        struct Cleanup {
            Impl* self;
            std::shared_ptr<ConnBase> c;
            ~Cleanup() {
                {
                    std::lock_guard g(self->conns_mu);
                    self->conns.erase(c);
                }
                --self->active;
                self->metrics.connection_closed();
            }
        } cleanup{this, c};
        // The connection keeps the TLS context it started with, even after a SIGHUP reload
        // replaced the server's current one.
        (void)keep_ctx;

        auto& stream = c->stream;
        auto& lowest = beast::get_lowest_layer(stream);
        beast::error_code aec;
        auto remote = lowest.socket().remote_endpoint(aec);
        std::string client = aec ? std::string("-") : remote.address().to_string();
        constexpr bool kTls = std::is_same_v<Stream, TlsStream>;

        if constexpr (kTls) {
            lowest.expires_after(opt.request_timeout);
            auto [ec] = co_await stream.async_handshake(asio::ssl::stream_base::server, kTuple);
            if (ec) co_return;
        }

        beast::flat_buffer buffer;
        bool close_gently = true;
        for (;;) {
            c->idle = true;
            if (draining) break;
            if (buffer.size() == 0) {
                lowest.expires_after(opt.idle_timeout);
                auto [ec, n] = co_await stream.async_read_some(buffer.prepare(8192), kTuple);
                if (ec) {
                    close_gently = false;
                    break;
                }
                buffer.commit(n);
            }
            c->idle = false;

            bhttp::request_parser<bhttp::string_body> parser;  // fresh per request
            parser.header_limit(static_cast<std::uint32_t>(opt.header_limit));
            parser.body_limit(opt.body_limit);
            lowest.expires_after(opt.request_timeout);
            auto [rec, rn] = co_await bhttp::async_read(stream, buffer, parser, kTuple);
            auto started = std::chrono::steady_clock::now();
            if (rec) {
                if (is_routine(rec)) {
                    close_gently = false;
                    break;
                }
                Request req;
                req.client_address = client;
                req.tls = kTls;
                req.method = "-";
                Error e =
                    rec == bhttp::error::header_limit
                        ? Error{Errc::headers_too_large, "request header fields too large", {}, {}}
                    : rec == bhttp::error::body_limit
                        ? Error{Errc::payload_too_large, "request body too large", {}, {}}
                        : Error::invalid("", "malformed HTTP request");
                Response resp = app.reject(req, e);
                auto bytes = co_await write(stream, resp, false, false);
                app.completed(req, resp.status, bytes, std::chrono::steady_clock::now() - started);
                co_await linger(stream);
                close_gently = false;
                break;
            }

            auto& msg = parser.get();
            Request req;
            req.method = std::string(msg.method_string());
            std::string_view target = msg.target();
            if (target.empty() || target.front() != '/') {
                req.method = "-";
                Response resp =
                    app.reject(req, Error::invalid("", "request target must be a path"));
                auto bytes = co_await write(stream, resp, false, false);
                app.completed(req, resp.status, bytes, std::chrono::steady_clock::now() - started);
                break;
            }
            auto q = target.find('?');
            req.path = std::string(target.substr(0, q));
            if (q != std::string_view::npos) req.query = std::string(target.substr(q + 1));
            for (const auto& f : msg)
                req.headers.add(std::string(f.name_string()), std::string(f.value()));
            req.body = std::move(msg.body());
            req.client_address = client;
            req.tls = kTls;

            const bool offload = app.prepare(req);
            // Not a conditional expression: GCC 12 mishandles temporaries around co_await there.
            Response resp;
            if (offload) {
                resp = co_await asio::co_spawn(
                    workers.get_executor(), on_worker(&req), asio::use_awaitable
                );
            } else {
                resp = app.handle(req);
            }
            const bool keep = msg.keep_alive() && !draining;
            auto bytes = co_await write(stream, resp, keep, req.method == "HEAD");
            app.completed(req, resp.status, bytes, std::chrono::steady_clock::now() - started);
            if (!keep || bytes == 0) break;
        }

        if constexpr (kTls) {
            if (close_gently) {
                lowest.expires_after(std::chrono::seconds(2));
                co_await stream.async_shutdown(kTuple);
            }
        } else {
            (void)close_gently;
            beast::error_code ec;
            lowest.socket().shutdown(tcp::socket::shutdown_send, ec);
        }
        c->close();
    }

    // Returns the bytes written, 0 when the write failed.
    template <class Stream>
    awaitable<std::size_t> write(Stream& stream, Response& resp, bool keep, bool head) {
        bhttp::response<bhttp::string_body> res{static_cast<bhttp::status>(resp.status), 11};
        for (const auto& f : resp.headers.fields()) res.set(f.name, f.value);
        res.keep_alive(keep);
        const auto len = resp.body.size();
        if (resp.status == 204 || resp.status == 304 || resp.status < 200) {
            // no body, no Content-Length
        } else if (head) {
            res.content_length(len);
        } else {
            res.body() = std::move(resp.body);
            res.prepare_payload();
        }
        beast::get_lowest_layer(stream).expires_after(opt.request_timeout);
        auto [ec, n] = co_await bhttp::async_write(stream, res, kTuple);
        co_return ec ? 0 : n;
    }

    // After refusing a request mid-body, read and drop what the client still sends for a
    // moment, so that closing does not reset the connection before it reads our answer.
    template <class Stream>
    awaitable<void> linger(Stream& stream) {
        auto& lowest = beast::get_lowest_layer(stream);
        if constexpr (std::is_same_v<Stream, PlainStream>) {
            beast::error_code ec;
            lowest.socket().shutdown(tcp::socket::shutdown_send, ec);
        }
        lowest.expires_after(std::chrono::seconds(1));
        std::array<char, 16384> sink;
        std::size_t total = 0;
        while (total < 8 * opt.body_limit + (1u << 20)) {
            auto [ec, n] = co_await stream.async_read_some(asio::buffer(sink), kTuple);
            if (ec) break;
            total += n;
        }
    }

    void tell(ServerState state) const {
        if (opt.on_state) opt.on_state(state);
    }

    void heartbeat() {
        if (!opt.on_state || opt.heartbeat_every.count() <= 0) return;
        tell(ServerState::heartbeat);
        heartbeat_timer.expires_after(opt.heartbeat_every);
        heartbeat_timer.async_wait([this](beast::error_code ec) {
            if (!ec) heartbeat();
        });
    }

    void begin_drain() {
        if (draining.exchange(true)) return;
        tell(ServerState::stopping);
        spdlog::info("draining: {} open connection(s)", active.load());
        beast::error_code ec;
        acceptor.close(ec);
        signals.cancel(ec);
        heartbeat_timer.cancel();
        std::vector<std::shared_ptr<ConnBase>> snapshot;
        {
            std::lock_guard g(conns_mu);
            snapshot.assign(conns.begin(), conns.end());
        }
        for (auto& c : snapshot)
            asio::dispatch(c->executor(), [c] {
                if (c->idle) c->close();
            });
        drain_deadline = std::chrono::steady_clock::now() + opt.drain_timeout;
        check_drained();
    }

    void check_drained() {
        if (active.load() == 0 || std::chrono::steady_clock::now() >= drain_deadline) {
            if (active.load() > 0)
                spdlog::warn("drain timeout: closing {} connection(s)", active.load());
            stop_contexts();
            return;
        }
        drain_timer.expires_after(std::chrono::milliseconds(20));
        drain_timer.async_wait([this](beast::error_code) { check_drained(); });
    }

    void wait_signal() {
        signals.async_wait([this](beast::error_code ec, int sig) {
            if (ec) return;
            if (sig == SIGHUP) {
                tell(ServerState::reloading);
                auto r = reload();
                if (r)
                    spdlog::info("TLS certificate reloaded");
                else
                    spdlog::error("TLS reload failed: {}", r.error().message);
                tell(ServerState::ready);
                wait_signal();
                return;
            }
            spdlog::info("signal {}: stopping", sig);
            begin_drain();
        });
    }

    Result<void> reload() {
        if (!tls_enabled()) return {};
        YOYAKU_TRY_ASSIGN(auto ctx, make_tls_context(opt.tls_cert_file, opt.tls_key_file));
        std::lock_guard g(tls_mu);
        tls = std::move(ctx);
        return {};
    }
};

Server::Server(ServerOptions options, HttpApp& app, Metrics& metrics)
    : impl_(std::make_unique<Impl>(std::move(options), app, metrics)) {}

Server::~Server() {
    if (impl_) {
        impl_->workers.join();
        std::lock_guard g(impl_->conns_mu);
        impl_->conns.clear();
    }
}

Result<void> Server::start() {
    auto& s = *impl_;
    YOYAKU_TRY(s.reload());
    beast::error_code ec;
    auto addr = asio::ip::make_address(s.opt.host, ec);
    if (ec) return Error::invalid("server.listen", "not an IP address: " + s.opt.host);
    tcp::endpoint ep(addr, s.opt.port);
    s.acceptor.open(ep.protocol(), ec);
    if (!ec) s.acceptor.set_option(asio::socket_base::reuse_address(true), ec);
    if (!ec) s.acceptor.bind(ep, ec);
    if (!ec) s.acceptor.listen(asio::socket_base::max_listen_connections, ec);
    if (ec)
        return Error::unavailable(
            "cannot listen on " + s.opt.host + ":" + std::to_string(s.opt.port) + ": " +
            ec.message()
        );
    if (s.opt.handle_signals) {
        s.signals.add(SIGTERM);
        s.signals.add(SIGINT);
        s.signals.add(SIGHUP);
        s.wait_signal();
    }
    asio::co_spawn(s.ioc, s.accept_loop(), on_session_end);
    return {};
}

std::uint16_t Server::port() const {
    return impl_->acceptor.local_endpoint().port();
}

void Server::run() {
    auto& s = *impl_;
    // Contexts without connections yet must not return from run() at once.
    std::vector<asio::executor_work_guard<asio::io_context::executor_type>> guards;
    for (auto& c : s.contexts) guards.push_back(asio::make_work_guard(*c));
    std::vector<std::thread> threads;
    for (std::size_t i = 1; i < s.contexts.size(); ++i)
        threads.emplace_back([&s, i] { s.contexts[i]->run(); });
    asio::post(s.ioc, [&s] {
        s.tell(ServerState::ready);
        s.heartbeat();
    });
    s.ioc.run();
    for (auto& t : threads) t.join();
    s.workers.join();
}

void Server::stop() {
    asio::post(impl_->ioc, [this] { impl_->begin_drain(); });
}

Result<void> Server::reload_tls() {
    return impl_->reload();
}

}  // namespace yoyaku::http
